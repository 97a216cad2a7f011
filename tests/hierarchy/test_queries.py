"""Queries as of a day on the hand-built networks of conftest.py."""

from __future__ import annotations

from datetime import date

import pytest

from distcrm.hierarchy import (
    ChannelGraph,
    HierarchyError,
    ancestors,
    children,
    depth,
    descendants,
    parents,
    path_to_root,
    subtree,
    tier_counts,
)

JUNE = date(2025, 6, 15)
AUGUST = date(2025, 8, 15)
APRIL = date(2025, 4, 15)


def test_parents_and_ancestors_follow_history(fmcg: ChannelGraph) -> None:
    # R5 belongs to D1 until 2025-07-01, then to D3 (under SS2).
    assert parents(fmcg, "R5", on=JUNE) == ("D1",)
    assert parents(fmcg, "R5", on=date(2025, 6, 30)) == ("D1",)
    assert parents(fmcg, "R5", on=date(2025, 7, 1)) == ("D3",)
    assert ancestors(fmcg, "R5", on=JUNE) == ("D1", "SS1", "P")
    assert ancestors(fmcg, "R5", on=AUGUST) == ("D3", "SS2", "P")
    assert parents(fmcg, "P", on=JUNE) == ()
    assert ancestors(fmcg, "P", on=JUNE) == ()


def test_path_to_root_and_depth(fmcg: ChannelGraph) -> None:
    assert path_to_root(fmcg, "R1", on=JUNE) == ("R1", "D1", "SS1", "P")
    assert depth(fmcg, "R1", on=JUNE) == 3
    # D4 is served by the principal directly: its retailer is only 2 links down.
    assert path_to_root(fmcg, "R6", on=JUNE) == ("R6", "D4", "P")
    assert depth(fmcg, "R6", on=JUNE) == 2
    assert depth(fmcg, "P", on=JUNE) == 0


def test_children_descendants_subtree(fmcg: ChannelGraph) -> None:
    assert children(fmcg, "D1", on=JUNE) == ("R1", "R2", "R5")
    assert children(fmcg, "D1", on=AUGUST) == ("R1", "R2")
    assert children(fmcg, "D3", on=AUGUST) == ("R4", "R5")
    assert sorted(descendants(fmcg, "SS1", on=JUNE)) == ["D1", "D2", "R1", "R2", "R3", "R5"]
    assert sorted(descendants(fmcg, "SS1", on=AUGUST)) == ["D1", "D2", "R1", "R2", "R3"]
    assert subtree(fmcg, "SS2", on=AUGUST)[0] == "SS2"
    assert sorted(subtree(fmcg, "SS2", on=AUGUST)) == ["D3", "R4", "R5", "SS2"]
    assert descendants(fmcg, "R1", on=JUNE) == ()
    # depth-first order: every account comes after its parent
    order = subtree(fmcg, "P", on=JUNE)
    assert len(order) == 13
    for account in order[1:]:
        assert order.index(parents(fmcg, account, on=JUNE)[0]) < order.index(account)


def test_tier_counts_for_past_days(fmcg: ChannelGraph) -> None:
    # R6 joins on 2025-05-01 and R5's links start on 2025-04-01.
    assert tier_counts(fmcg, on=date(2025, 3, 1)) == {
        "principal": 1, "super_stockist": 2, "distributor": 4, "dealer": 0, "retailer": 4,
    }
    assert tier_counts(fmcg, on=APRIL)["retailer"] == 5  # R1-R5
    assert tier_counts(fmcg, on=JUNE)["retailer"] == 6  # + R6


def test_snapshot_answers_the_same_as_functions(fmcg: ChannelGraph) -> None:
    snap = fmcg.as_of(AUGUST)
    assert snap.on == AUGUST
    assert snap.ancestors("R5") == ancestors(fmcg, "R5", on=AUGUST)
    assert snap.children("SS2") == ("D3",)
    assert "R6" in snap
    assert "R6" not in fmcg.as_of(APRIL)
    assert len(snap.edges()) == 12  # 13 links, R5's old link has ended
    assert set(snap.accounts()) == set(fmcg)


def test_history_and_change_dates(fmcg: ChannelGraph) -> None:
    assert [lk.parent for lk in fmcg.history("R5")] == ["D1", "D3"]
    assert fmcg.change_dates() == (date(2025, 4, 1), date(2025, 5, 1), date(2025, 7, 1))


def test_multi_parent_queries_return_every_parent(partner: ChannelGraph) -> None:
    assert parents(partner, "RX", on=JUNE) == ("DA", "DB")
    assert ancestors(partner, "RX", on=JUNE) == ("DA", "DB", "V")  # V once, not twice
    assert sorted(descendants(partner, "V", on=JUNE)) == ["DA", "DB", "RX", "RY", "RZ"]
    assert descendants(partner, "DB", on=JUNE) == ("RX",)
    assert path_to_root(partner, "RX", on=JUNE, via={"RX": "DB"}) == ("RX", "DB", "V")
    assert path_to_root(partner, "RX", on=JUNE, on_multi="first") == ("RX", "DA", "V")
    assert depth(partner, "RZ", on=JUNE) == 1


def test_multi_parent_path_without_a_choice_raises(partner: ChannelGraph) -> None:
    with pytest.raises(HierarchyError) as info:
        path_to_root(partner, "RX", on=JUNE)
    message = str(info.value)
    assert "account 'RX' (reseller) has 2 parents on 2025-06-15 ('DA', 'DB')" in message
    with pytest.raises(HierarchyError, match="'DZ' is not a parent of 'RX' \\(reseller\\)"):
        path_to_root(partner, "RX", on=JUNE, via={"RX": "DZ"})


def test_unknown_account_is_named(fmcg: ChannelGraph) -> None:
    with pytest.raises(HierarchyError, match="unknown account 'R404'"):
        ancestors(fmcg, "R404", on=JUNE)
    with pytest.raises(HierarchyError, match="unknown account 'R404'"):
        fmcg.account("R404")


def test_date_outside_every_link_names_account_tier_date_and_coverage(
    fmcg: ChannelGraph,
) -> None:
    with pytest.raises(HierarchyError) as info:
        parents(fmcg, "R6", on=APRIL)
    assert str(info.value) == (
        "on: account 'R6' (retailer) has no parent link on 2025-04-15; "
        "its links cover [2025-05-01, …)"
    )
    with pytest.raises(HierarchyError, match="'R5' \\(retailer\\) has no parent link on 2025-03-31"):
        descendants(fmcg, "R5", on=date(2025, 3, 31))
