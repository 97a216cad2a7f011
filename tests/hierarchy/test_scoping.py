"""Scoping and data isolation (seed 002 data isolation, seed 003 distributor portals)."""

from __future__ import annotations

from datetime import date

import attrs
import pytest

from distcrm.documents import Document, Line
from distcrm.errors import AccessDenied, NotFound
from distcrm.hierarchy import ChannelGraph, HierarchyError, ScopedStore, visible_accounts
from distcrm.money import Money
from distcrm.parties import Account, Link
from distcrm.periods import Validity
from distcrm.stores.memory import MemoryStore
from distcrm.visits import Visit

JUNE = date(2025, 6, 15)
AUGUST = date(2025, 8, 15)


def test_visible_accounts_by_role(fmcg: ChannelGraph) -> None:
    assert visible_accounts(fmcg, "P", on=JUNE) == frozenset(fmcg)  # principal sees all
    assert visible_accounts(fmcg, "SS1", on=JUNE) == {"SS1", "D1", "D2", "R1", "R2", "R3", "R5"}
    assert visible_accounts(fmcg, "SS1", on=AUGUST) == {"SS1", "D1", "D2", "R1", "R2", "R3"}
    assert visible_accounts(fmcg, "D1", on=JUNE) == {"D1", "R1", "R2", "R5"}
    assert visible_accounts(fmcg, "R1", on=JUNE) == {"R1"}  # a retailer sees itself only


def test_visible_accounts_multi_parent(partner: ChannelGraph) -> None:
    # Both distributors see the shared reseller RX, neither sees the other's network.
    assert visible_accounts(partner, "DA", on=JUNE) == {"DA", "RX", "RY"}
    assert visible_accounts(partner, "DB", on=JUNE) == {"DB", "RX"}


def test_viewer_not_in_network_is_refused(fmcg: ChannelGraph) -> None:
    with pytest.raises(HierarchyError, match="'R6' \\(retailer\\) has no parent link on 2025-04-01"):
        visible_accounts(fmcg, "R6", on=date(2025, 4, 1))


def inr(s: str) -> Money:
    return Money.of(s, "INR")


def _doc(id: str, seller: str, buyer: str) -> Document:
    return Document(id, "invoice", "secondary", seller, buyer, JUNE, "INR",
                    [Line("SKU1", 1, inr("10"))])


@pytest.fixture
def store(fmcg: ChannelGraph) -> MemoryStore:
    s = MemoryStore()
    s.accounts.add_many(fmcg.accounts)
    s.links.add_many(fmcg.links)
    s.documents.add_many([
        _doc("S1", "D1", "R1"),  # D1's sale
        _doc("S2", "D2", "R3"),  # D2's sale
        _doc("S3", "SS1", "D1"),  # D1's purchase
        _doc("S4", "D3", "R4"),
    ])
    s.visits.add_many([
        Visit("V1", "REP1", "R1", JUNE),
        Visit("V2", "REP1", "R3", JUNE),
    ])
    return s


def test_distributor_portal_reads_only_its_network(store: MemoryStore, fmcg: ChannelGraph) -> None:
    portal = ScopedStore(store, fmcg, "D1", on=JUNE)
    assert [a.id for a in portal.accounts.all()] == ["D1", "R1", "R2", "R5"]
    assert len(portal.accounts) == 4
    assert portal.accounts.find("R3") is None
    assert "R3" not in portal.accounts and "R1" in portal.accounts
    assert [a.id for a in portal.accounts.by_tier("retailer")] == ["R1", "R2", "R5"]
    with pytest.raises(AccessDenied) as info:
        portal.accounts.get("R3")
    assert str(info.value) == (
        "viewer 'D1' may not read account 'R3': outside its scope (its own subtree on 2025-06-15)"
    )
    # documents: seller or buyer in scope
    assert [d.id for d in portal.documents.all()] == ["S1", "S3"]
    assert [d.id for d in portal.documents.query(seller="D2")] == []
    assert portal.documents.find("S2") is None
    with pytest.raises(AccessDenied, match="document 'S2' \\(seller 'D2', buyer 'R3'\\)"):
        portal.documents.get("S2")
    # links: child in scope
    assert {lk.child for lk in portal.links.all()} == {"D1", "R1", "R2", "R5"}
    assert list(portal.links.of_child("R3")) == []
    # visits: visited account in scope
    assert [v.id for v in portal.visits.all()] == ["V1"]
    # shared definitions are readable
    assert len(portal.products) == 0


def test_writes_outside_scope_are_refused_and_change_nothing(
    store: MemoryStore, fmcg: ChannelGraph
) -> None:
    portal = ScopedStore(store, fmcg, "D1", on=JUNE)
    before_docs = [d.id for d in store.documents.all()]
    with pytest.raises(AccessDenied, match="viewer 'D1' may not write account 'R3'"):
        portal.accounts.put(Account("R3", "Renamed", "retailer"))
    assert store.accounts.get("R3").name == "R3 name"
    with pytest.raises(AccessDenied, match="may not add document 'S9'"):
        portal.documents.add(_doc("S9", "D2", "R3"))
    with pytest.raises(AccessDenied, match="may not add document 'S1'"):
        portal.documents.add_many([_doc("S8", "D1", "R1"), _doc("S1", "D2", "R3")])
    with pytest.raises(AccessDenied, match="may not overwrite document 'S2'"):
        portal.documents.put(_doc("S2", "D1", "R1"))  # hijacking D2's document id
    with pytest.raises(AccessDenied, match="may not remove document 'S2'"):
        portal.documents.remove("S2")
    assert [d.id for d in store.documents.all()] == before_docs
    with pytest.raises(AccessDenied, match="link 'D1->R3@2025-09-01' \\(account 'R3'\\)"):
        portal.links.add(Link("D1", "R3", Validity(date(2025, 9, 1))))
    with pytest.raises(AccessDenied, match="may not replace the whole link set"):
        portal.links.replace_all([])
    assert len(store.links) == 13
    with pytest.raises(AccessDenied, match="may not add visit 'V9' \\(account 'R4'\\)"):
        portal.visits.add(Visit("V9", "REP1", "R4", JUNE))
    with pytest.raises(AccessDenied, match="may not add account 'R7'"):
        portal.accounts.add(Account("R7", "New", "retailer"))
    assert "R7" not in store.accounts


def test_writes_inside_scope_go_through(store: MemoryStore, fmcg: ChannelGraph) -> None:
    portal = ScopedStore(store, fmcg, "D1", on=JUNE)
    portal.accounts.put(Account("R1", "Renamed Kirana", "retailer"))
    assert store.accounts.get("R1").name == "Renamed Kirana"
    portal.documents.add(_doc("S10", "D1", "R2"))
    assert store.documents.get("S10").buyer == "R2"
    portal.visits.add(Visit("V10", "REP2", "R5", JUNE))
    assert "V10" in store.visits
    portal.documents.remove("S10")
    with pytest.raises(NotFound):
        store.documents.get("S10")


def test_principal_sees_and_writes_everything(store: MemoryStore, fmcg: ChannelGraph) -> None:
    hq = ScopedStore(store, fmcg, "P", on=JUNE)
    assert len(hq.accounts) == 13
    assert len(hq.documents) == 4
    hq.accounts.add(Account("R7", "New", "retailer"))
    assert "R7" in store.accounts


def test_retailer_sees_only_itself(store: MemoryStore, fmcg: ChannelGraph) -> None:
    shop = ScopedStore(store, fmcg, "R1", on=JUNE)
    assert [a.id for a in shop.accounts.all()] == ["R1"]
    assert [d.id for d in shop.documents.all()] == ["S1"]  # bought from D1
    assert shop.viewer == "R1"


@attrs.frozen
class _Claim:
    id: str
    claimant: str
    version: int = 0


@attrs.frozen
class _PriceList:
    id: str


def test_claims_follow_the_claimant(store: MemoryStore, fmcg: ChannelGraph) -> None:
    store.claims.save(_Claim("C1", "D1"), expected_version=0)
    store.claims.save(_Claim("C2", "D2"), expected_version=0)
    portal = ScopedStore(store, fmcg, "D1", on=JUNE)
    assert [c.id for c in portal.claims.all()] == ["C1"]
    assert portal.claims.find("C2") is None and "C2" not in portal.claims
    with pytest.raises(AccessDenied, match="may not read claim 'C2' \\(claimant 'D2'\\)"):
        portal.claims.get("C2")
    with pytest.raises(AccessDenied, match="may not write claim 'C3' \\(claimant 'D2'\\)"):
        portal.claims.save(_Claim("C3", "D2"), expected_version=0)
    assert "C3" not in store.claims
    saved = portal.claims.save(_Claim("C4", "D1"), expected_version=0)
    assert saved.version == 1


def test_shared_definitions_are_read_by_all_written_by_the_principal(
    store: MemoryStore, fmcg: ChannelGraph
) -> None:
    store.price_lists.add(_PriceList("PL-MH"))
    portal = ScopedStore(store, fmcg, "D1", on=JUNE)
    assert [p.id for p in portal.price_lists.all()] == ["PL-MH"]
    assert portal.price_lists.get("PL-MH").id == "PL-MH"
    with pytest.raises(AccessDenied, match="viewer 'D1' may not add price list 'PL-KA'"):
        portal.price_lists.add(_PriceList("PL-KA"))
    with pytest.raises(AccessDenied, match="may not remove scheme 'S1'"):
        portal.schemes.remove("S1")
    assert len(store.price_lists) == 1
    ScopedStore(store, fmcg, "P", on=JUNE).price_lists.add(_PriceList("PL-KA"))
    assert len(store.price_lists) == 2
