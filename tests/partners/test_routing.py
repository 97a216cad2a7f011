"""Headquarters leads go to the partners covering their region, in a fixed order."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from distcrm.errors import InvalidTransition, PartnerError
from distcrm.partners import CustomerIdentity, Lead, Partner, RegionMap, route_lead
from distcrm.periods import Validity

REGIONS = RegionMap.from_parents({"PUNE": "MH", "NASHIK": "MH", "MH": "WEST"})
PARTNERS = [
    Partner("CP-WEST", "regional", ["WEST"], priority=100),
    Partner("CP-MH-B", "regional", ["MH"], priority=100),
    Partner("CP-MH-A", "regional", ["MH"], priority=100),
    Partner("CP-PUNE", "city_partner", ["PUNE"], priority=100),
    Partner("CP-VIP", "city_partner", ["WEST"], priority=10),
    Partner("CP-NSK", "city_partner", ["NASHIK"], priority=1),
    Partner(
        "CP-GONE", "city_partner", ["PUNE"], validity=Validity(date(2024, 1, 1), date(2025, 1, 1))
    ),
]


def _lead(region: str = "PUNE") -> Lead:
    return Lead("HQ-1", CustomerIdentity("Apex Hospital", "Pune"), region, date(2025, 6, 2))


def test_candidates_by_priority_then_closest_coverage_then_id() -> None:
    r = route_lead(_lead(), PARTNERS, REGIONS)
    # priority 10 first; then priority 100: PUNE itself (0 up), MH (1 up, A before B), WEST (2 up).
    # CP-NSK covers NASHIK only; CP-GONE left the programme in 2025.
    assert r.candidate_ids == ("CP-VIP", "CP-PUNE", "CP-MH-A", "CP-MH-B", "CP-WEST")
    assert r.status == "offered"
    assert r.current == "CP-VIP"
    assert [c.levels_up for c in r.candidates] == [2, 0, 1, 1, 2]


def test_decline_moves_to_the_next_and_claim_makes_the_lead_theirs() -> None:
    r = route_lead(_lead(), PARTNERS, REGIONS, at=datetime(2025, 6, 2, 9))
    r = r.decline("CP-VIP", at=datetime(2025, 6, 2, 12), reason="outside our segment")
    assert r.current == "CP-PUNE"
    r = r.claim("CP-PUNE", at=datetime(2025, 6, 3, 10))
    assert r.status == "claimed"
    assert r.lead.partner == "CP-PUNE"
    assert r.lead.source == "assigned"
    assert [(s.kind, s.partner) for s in r.history] == [
        ("offered", "CP-VIP"),
        ("declined", "CP-VIP"),
        ("offered", "CP-PUNE"),
        ("claimed", "CP-PUNE"),
    ]
    assert [s.outcome for s in r.trace.steps[-2:]] == ["rejected", "applied"]


def test_all_declined_leaves_the_lead_unassigned_with_a_finding() -> None:
    partners = [Partner("A", "city_partner", ["PUNE"]), Partner("B", "city_partner", ["MH"])]
    r = route_lead(_lead(), partners, REGIONS)
    r = r.decline("A", at=datetime(2025, 6, 2, 10))
    r = r.decline("B", at=datetime(2025, 6, 2, 11))
    assert r.status == "unassigned"
    assert r.current is None
    (finding,) = r.findings
    assert finding.code == "all_declined"
    assert finding.message == (
        "lead HQ-1 (Apex Hospital (Pune)) in PUNE was declined by A, B; assign it by hand"
    )


def test_no_partner_covers_the_region() -> None:
    r = route_lead(_lead("GOA"), PARTNERS, REGIONS)
    assert r.status == "unassigned"
    assert [f.code for f in r.findings] == ["no_partner_covers_region"]


def test_only_the_partner_holding_the_offer_acts() -> None:
    r = route_lead(_lead(), PARTNERS, REGIONS)
    with pytest.raises(InvalidTransition) as err:
        r.claim("CP-PUNE", at=datetime(2025, 6, 2))
    assert str(err.value) == (
        "lead routing 'HQ-1': 'CP-PUNE' cannot claim, the offer is with 'CP-VIP'"
    )
    done = r.claim("CP-VIP", at=datetime(2025, 6, 2))
    with pytest.raises(
        InvalidTransition, match="lead routing 'HQ-1': cannot decline, the lead is claimed"
    ):
        done.decline("CP-VIP", at=datetime(2025, 6, 3))


def test_partner_leads_are_not_routed() -> None:
    lead = Lead("L-1", CustomerIdentity("X", "Pune"), "PUNE", date(2025, 6, 2), partner="CP-PUNE")
    with pytest.raises(PartnerError, match=r"lead 'L-1'\.partner: already 'CP-PUNE'"):
        route_lead(lead, PARTNERS, REGIONS)


def test_without_a_region_tree_only_exact_regions_match() -> None:
    r = route_lead(_lead(), PARTNERS)
    assert r.candidate_ids == ("CP-PUNE",)
