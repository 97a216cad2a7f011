"""Changes as pure functions: re-parent, add and retire accounts, multi-parent links."""

from __future__ import annotations

from datetime import date

import pytest

from distcrm.hierarchy import (
    ChannelGraph,
    HierarchyError,
    add_account,
    add_parent,
    ancestors,
    children,
    parents,
    remove_parent,
    reparent,
    retire_account,
)
from distcrm.parties import Account, Link
from distcrm.periods import Validity

SEPT = date(2025, 9, 1)


def test_reparent_closes_the_old_link_and_opens_a_new_one(fmcg: ChannelGraph) -> None:
    before = fmcg.links
    change = reparent(fmcg, "R1", "D2", on=SEPT)
    assert change.closed == (Link("D1", "R1"),)
    assert change.opened == (Link("D2", "R1", Validity(SEPT)),)
    assert Link("D1", "R1", Validity.always().closed_at(SEPT)) in change.links
    assert len(change.links) == len(before) + 1  # one closed (kept), one opened
    g = change.graph
    assert parents(g, "R1", on=date(2025, 8, 31)) == ("D1",)
    assert parents(g, "R1", on=SEPT) == ("D2",)
    assert ancestors(g, "R1", on=SEPT) == ("D2", "SS1", "P")
    # the input graph is untouched
    assert fmcg.links == before
    assert parents(fmcg, "R1", on=SEPT) == ("D1",)
    assert [s.rule for s in change.trace.applied()] == ["close D1 -> R1", "open D2 -> R1"]


def test_reparent_on_the_day_a_link_starts_replaces_it(fmcg: ChannelGraph) -> None:
    # R5's link to D3 starts on 2025-07-01; moving it on that very day drops that link.
    change = reparent(fmcg, "R5", "D2", on=date(2025, 7, 1))
    assert Link("D3", "R5", Validity(date(2025, 7, 1))) not in change.links
    assert [lk.parent for lk in change.graph.history("R5")] == ["D1", "D2"]
    assert parents(change.graph, "R5", on=date(2025, 7, 1)) == ("D2",)


def test_reparent_to_a_parent_of_a_wrong_tier_is_refused_with_nothing_applied(
    fmcg: ChannelGraph,
) -> None:
    with pytest.raises(HierarchyError) as info:
        reparent(fmcg, "R1", "R2", on=SEPT)
    assert "'R2' is a retailer, which may not supply 'R1', a retailer" in str(info.value)
    assert parents(fmcg, "R1", on=SEPT) == ("D1",)


def test_reparent_outside_any_link_names_dates(fmcg: ChannelGraph) -> None:
    with pytest.raises(HierarchyError) as info:
        reparent(fmcg, "R6", "D1", on=date(2025, 4, 1))
    assert str(info.value) == (
        "change: account 'R6' (retailer) has no parent on 2025-04-01 to replace; its links "
        "cover [2025-05-01, …); use add_parent to link it"
    )


def test_reparent_unknown_accounts(fmcg: ChannelGraph) -> None:
    with pytest.raises(HierarchyError, match="new_parent: unknown account 'D9'"):
        reparent(fmcg, "R1", "D9", on=SEPT)
    with pytest.raises(HierarchyError, match="child: unknown account 'R9'"):
        reparent(fmcg, "R9", "D1", on=SEPT)


def test_reparent_multi_parent_needs_replace(partner: ChannelGraph) -> None:
    with pytest.raises(HierarchyError, match="'RX' \\(reseller\\) has 2 parents on 2025-09-01"):
        reparent(partner, "RX", "V", on=SEPT)
    change = reparent(partner, "RX", "V", on=SEPT, replace="DB")
    assert parents(change.graph, "RX", on=SEPT) == ("DA", "V")
    assert parents(change.graph, "RX", on=date(2025, 8, 1)) == ("DA", "DB")
    with pytest.raises(HierarchyError, match="replace: 'DZ' is not a parent of 'RX'"):
        reparent(partner, "RX", "V", on=SEPT, replace="DZ")


def test_add_and_remove_a_second_parent(partner: ChannelGraph) -> None:
    change = add_parent(partner, "RY", "DB", on=SEPT)
    assert parents(change.graph, "RY", on=SEPT) == ("DA", "DB")
    assert parents(change.graph, "RY", on=date(2025, 8, 31)) == ("DA",)
    removed = remove_parent(change.graph, "RY", "DA", on=date(2025, 10, 1))
    assert parents(removed.graph, "RY", on=date(2025, 10, 1)) == ("DB",)
    with pytest.raises(HierarchyError, match="would leave 'RY' without a parent"):
        remove_parent(partner, "RY", "DA", on=SEPT)
    with pytest.raises(HierarchyError, match="no active link 'DB' -> 'RY' on 2025-09-01"):
        remove_parent(partner, "RY", "DB", on=SEPT)


def test_add_account(fmcg: ChannelGraph) -> None:
    change = add_account(fmcg, Account("R7", "New outlet", "retailer"), "D2", on=SEPT)
    assert len(change.graph) == len(fmcg) + 1
    assert children(change.graph, "D2", on=SEPT) == ("R3", "R7")
    assert "R7" not in change.graph.as_of(date(2025, 8, 31))
    with pytest.raises(HierarchyError, match="'R8' \\(retailer\\) has no parent link"):
        add_account(fmcg, Account("R8", "No parent", "retailer"), (), on=SEPT)
    with pytest.raises(HierarchyError, match="'SS1' is a super_stockist, which may not supply"):
        add_account(fmcg, Account("R8", "Wrong", "retailer"), "SS1", on=SEPT)


def test_retire_account(fmcg: ChannelGraph) -> None:
    change = retire_account(fmcg, "R2", on=SEPT)
    assert "R2" in change.graph  # the account and its history stay
    assert children(change.graph, "D1", on=SEPT) == ("R1",)
    assert children(change.graph, "D1", on=date(2025, 8, 31)) == ("R1", "R2")
    with pytest.raises(HierarchyError) as info:
        retire_account(fmcg, "D1", on=SEPT)
    assert str(info.value) == (
        "change: account 'D1' (distributor) still supplies 'R1', 'R2' on or after 2025-09-01; "
        "re-parent them first"
    )


def test_retire_after_moving_the_children(fmcg: ChannelGraph) -> None:
    g = reparent(fmcg, "R3", "D1", on=SEPT).graph
    g = retire_account(g, "D2", on=SEPT).graph
    assert children(g, "SS1", on=SEPT) == ("D1",)
    assert children(g, "SS1", on=date(2025, 8, 31)) == ("D1", "D2")
