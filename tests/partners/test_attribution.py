"""Vendor -> distributor -> reseller attribution and who sees which lead."""

from __future__ import annotations

from datetime import date

import pytest

from distcrm.errors import AccessDenied, PartnerError
from distcrm.hierarchy import ChannelGraph, build_graph
from distcrm.parties import PARTNER_PROGRAM, Account, Link
from distcrm.partners import CustomerIdentity, Lead, attribute, visible_leads
from distcrm.periods import Validity

JUNE = date(2025, 6, 2)


def _graph() -> ChannelGraph:
    # V supplies D1, D2, D3; R1 is served by D1 and D2; R2 by D2 only; R3 by the vendor directly;
    # R4 moved from D1 to D3 on 2025-07-01.
    accounts = [
        Account("V", "Vendor", "vendor"),
        *(Account(d, d, "distributor") for d in ("D1", "D2", "D3")),
        *(Account(r, r, "reseller") for r in ("R1", "R2", "R3", "R4")),
    ]
    links = [
        Link("V", "D1"),
        Link("V", "D2"),
        Link("V", "D3"),
        Link("D1", "R1"),
        Link("D2", "R1"),
        Link("D2", "R2"),
        Link("V", "R3"),
        Link("D1", "R4", Validity(date(2025, 1, 1), date(2025, 7, 1))),
        Link("D3", "R4", Validity(date(2025, 7, 1))),
    ]
    return build_graph(accounts, PARTNER_PROGRAM, links)


def _lead(lid: str, **kw: str) -> Lead:
    return Lead(lid, CustomerIdentity(f"Customer {lid}", "Pune"), "PUNE", JUNE, **kw)  # type: ignore[arg-type]


def test_distributor_lead_for_reseller_is_attributed_to_both() -> None:
    a = attribute(_lead("L1", partner="D1", reseller="R1"), _graph())
    assert (a.vendor, a.distributor, a.reseller, a.owner) == ("V", "D1", "R1", "D1")
    assert a.chain == ("V", "D1", "R1")
    assert a.partners == ("D1", "R1")
    assert a.source == "partner_sourced"


def test_distributor_cannot_submit_for_a_reseller_it_does_not_serve() -> None:
    with pytest.raises(AccessDenied) as err:
        attribute(_lead("L1", partner="D1", reseller="R2"), _graph())
    assert str(err.value) == (
        "lead 'L1'.reseller: distributor 'D1' does not serve reseller 'R2' on 2025-06-02"
    )


def test_reseller_with_one_distributor_and_with_several() -> None:
    g = _graph()
    assert attribute(_lead("L2", partner="R2"), g).chain == ("V", "D2", "R2")
    with pytest.raises(PartnerError) as err:
        attribute(_lead("L3", partner="R1"), g)
    assert str(err.value) == (
        "lead 'L3'.distributor: reseller 'R1' is served by D1, D2 on 2025-06-02; name one"
    )
    assert attribute(_lead("L4", partner="R1", distributor="D2"), g).chain == ("V", "D2", "R1")
    with pytest.raises(
        PartnerError, match=r"lead 'L5'\.distributor: 'D3' does not serve reseller 'R1'"
    ):
        attribute(_lead("L5", partner="R1", distributor="D3"), g)


def test_reseller_of_the_vendor_and_distributor_own_lead() -> None:
    g = _graph()
    direct = attribute(_lead("L6", partner="R3"), g)
    assert (direct.distributor, direct.reseller, direct.chain) == (None, "R3", ("V", "R3"))
    own = attribute(_lead("L7", partner="D3"), g)
    assert (own.distributor, own.reseller, own.chain) == ("D3", None, ("V", "D3"))


def test_vendor_and_unassigned_leads_are_not_attributed() -> None:
    g = _graph()
    with pytest.raises(PartnerError, match=r"lead 'L8'\.partner: 'V' is a vendor"):
        attribute(_lead("L8", partner="V"), g)
    with pytest.raises(PartnerError, match=r"lead 'L9'\.partner: an unassigned lead"):
        attribute(Lead("L9", CustomerIdentity("X", "Pune"), "PUNE", JUNE), g)
    with pytest.raises(PartnerError, match=r"lead 'L10'\.reseller: only a distributor submits"):
        attribute(_lead("L10", partner="R2", reseller="R1"), g)


def test_visibility_vendor_all_distributor_its_resellers_reseller_its_own() -> None:
    g = _graph()
    leads = [
        attribute(_lead("A", partner="D1", reseller="R1"), g),
        attribute(_lead("B", partner="D2", reseller="R1"), g),
        attribute(_lead("C", partner="R2"), g),
        attribute(_lead("D", partner="R3"), g),
        attribute(_lead("E", partner="R4"), g),  # attributed to D1 and R4 in June
    ]

    def seen(viewer: str, on: date = JUNE) -> list[str]:
        return [a.lead for a in visible_leads(leads, g, viewer, on=on)]

    assert seen("V") == ["A", "B", "C", "D", "E"]
    # D1 serves R1 (so sees B, submitted by D2 for their shared reseller) and R4 in June.
    assert seen("D1") == ["A", "B", "E"]
    assert seen("D2") == ["A", "B", "C"]
    assert seen("R1") == ["A", "B"]
    assert seen("R3") == ["D"]
    # In July R4 moved to D3: D1 still sees E, where it is attributed; D3 now serves R4.
    assert seen("D1", date(2025, 7, 15)) == ["A", "B", "E"]
    assert seen("D3", date(2025, 7, 15)) == ["E"]


def test_attribution_is_read_on_the_lead_date() -> None:
    g = _graph()
    june = attribute(_lead("E", partner="R4"), g)
    july = attribute(_lead("E", partner="R4"), g, on=date(2025, 7, 1))
    assert (june.distributor, july.distributor) == ("D1", "D3")
