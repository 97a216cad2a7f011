"""JSON round trips of partner entities, and the territory tree as a region tree."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from distcrm import serde
from distcrm.errors import StructureError
from distcrm.partners import (
    CommissionPlan,
    CommissionRule,
    CustomerIdentity,
    Lead,
    Partner,
    Registration,
    RegistrationBook,
    Split,
    approve,
    route_lead,
)
from distcrm.territory import TerritoryTree


def test_registration_round_trips_through_json() -> None:
    shop = CustomerIdentity.of("Om Stores", "Pune", gstin="27AAPFU0939F1ZV", phone="98765 43210")
    reg = approve(
        Registration("REG-1", "CP1", shop, "PUNE", datetime(2025, 6, 2, 11)),
        by="hq",
        at=datetime(2025, 6, 3, 9),
    )
    back = serde.from_json(serde.to_json(reg), Registration)
    assert back == reg
    assert back.customer.identity_keys() == reg.customer.identity_keys()


def test_plan_partner_and_lead_round_trip() -> None:
    plan = CommissionPlan(
        [
            CommissionRule("OWN", "partner_sourced", "10"),
            CommissionRule("D", "assigned", "4.5", Split("25", "75"), "distributor", "payment"),
        ]
    )
    assert serde.from_json(serde.to_json(plan), CommissionPlan) == plan
    data = serde.unstructure(plan)
    assert data["rules"][1]["rate"] == "4.5"
    partner = Partner("CP1", "city_partner", ["PUNE", "MH"], priority=5)
    assert serde.from_json(serde.to_json(partner), Partner) == partner
    lead = Lead(
        "L1", CustomerIdentity("X", "Pune"), "PUNE", date(2025, 6, 1), partner="D1", reseller="R1"
    )
    assert serde.from_json(serde.to_json(lead), Lead) == lead


def test_bad_rule_in_json_is_a_structure_error_with_its_path() -> None:
    text = '{"rules": [{"id": "D", "source": "assigned", "rate": "150"}]}'
    with pytest.raises(StructureError) as err:
        serde.from_json(text, CommissionPlan)
    assert str(err.value) == (
        "$.rules[0]: commission rule 'D'.rate: must be within [0, 100] percent, got 150"
    )


def test_a_territory_tree_serves_as_the_region_tree() -> None:
    tree = TerritoryTree.from_rows(
        [
            ("WEST", None, "zone"),
            ("MH", "WEST", "state"),
            ("PUNE", "MH", "district"),
            ("BARAMATI", "PUNE", "town"),
        ]
    )
    partners = [Partner("CP-MH", "regional", ["MH"]), Partner("CP-PUNE", "city_partner", ["PUNE"])]
    book = RegistrationBook.of(partners, regions=tree)
    shop = CustomerIdentity("Baramati Agro Centre", "Baramati")
    book, d = book.submit(Registration("REG-1", "CP-MH", shop, "BARAMATI", datetime(2025, 6, 2)))
    assert d.accepted
    assert d.trace.steps[0].reason == "BARAMATI within MH"
    lead = Lead("HQ-1", shop, "BARAMATI", date(2025, 6, 2))
    assert route_lead(lead, partners, tree).candidate_ids == ("CP-PUNE", "CP-MH")
