"""Territory tree: hand-checked queries, history, and errors naming the territory."""

from __future__ import annotations

from datetime import date

import pytest

from distcrm.errors import NotFound
from distcrm.periods import Validity
from distcrm.territory import TerritoryNode, TerritoryTree, TerritoryTreeError

ROWS = [
    ("WEST", None, "zone"),
    ("WEST-1", "WEST", "region"),
    ("MH", "WEST-1", "state"),
    ("GJ", "WEST-1", "state"),
    ("PUNE", "MH", "district"),
    ("NAGPUR", "MH", "district"),
    ("BARAMATI", "PUNE", "town"),
    ("HADAPSAR", "PUNE", "town"),
]
ON = date(2025, 6, 1)


@pytest.fixture
def tree() -> TerritoryTree:
    return TerritoryTree.from_rows(ROWS)


def test_queries_as_of_a_day(tree: TerritoryTree) -> None:
    assert tree.path("HADAPSAR", ON) == ("WEST", "WEST-1", "MH", "PUNE", "HADAPSAR")
    assert tree.ancestors("PUNE", ON) == ("MH", "WEST-1", "WEST")
    assert tree.children("MH", ON) == ("NAGPUR", "PUNE")
    # depth first, children sorted: NAGPUR before PUNE, then PUNE's towns
    assert tree.descendants("MH", ON) == ("NAGPUR", "PUNE", "BARAMATI", "HADAPSAR")
    assert tree.roots(ON) == ("WEST",)
    assert tree.at_level("state", ON) == ("GJ", "MH")


def test_accounts_placed_and_moved_keep_history(tree: TerritoryTree) -> None:
    t = tree.place("R1", "BARAMATI", date(2025, 4, 1)).place("R2", "NAGPUR", date(2025, 4, 1))
    t = t.place("R1", "HADAPSAR", date(2025, 7, 1))
    assert t.accounts_in("PUNE", ON) == ("R1",)
    assert t.accounts_in("MH", ON) == ("R1", "R2")
    assert t.accounts_in("PUNE", ON, deep=False) == ()
    assert t.territory_of("R1", ON) == "BARAMATI"
    assert t.territory_of("R1", date(2025, 7, 1)) == "HADAPSAR"
    assert [str(p.validity) for p in t.placements_of("R1")] == [
        "[2025-04-01, 2025-07-01)",
        "[2025-07-01, …)",
    ]


def test_reparenting_closes_the_old_version(tree: TerritoryTree) -> None:
    moved = tree.move("NAGPUR", "GJ", date(2025, 9, 1))
    assert moved.parent("NAGPUR", date(2025, 8, 31)) == "MH"
    assert moved.parent("NAGPUR", date(2025, 9, 1)) == "GJ"
    assert len(moved.history("NAGPUR")) == 2
    assert moved.descendants("MH", date(2025, 9, 1)) == ("PUNE", "BARAMATI", "HADAPSAR")


def test_depth_is_configurable() -> None:
    t = TerritoryTree.from_rows(
        [("N", None, "area"), ("N-1", "N", "beat_town")], levels=("area", "beat_town")
    )
    assert t.path("N-1", ON) == ("N", "N-1")


def test_unknown_parent_and_level_named() -> None:
    with pytest.raises(TerritoryTreeError) as err:
        TerritoryTree.from_rows([("PUNE", "MH", "district"), ("X", None, "galaxy")])
    message = str(err.value)
    assert "territory 'PUNE'.parent: unknown territory 'MH'" in message
    assert "territory 'X'.level: 'galaxy' is not one of" in message


def test_child_must_sit_below_parent() -> None:
    with pytest.raises(TerritoryTreeError, match=r"territory 'MH'\.parent: 'PUNE' \(district\)"):
        TerritoryTree.from_rows([("PUNE", None, "district"), ("MH", "PUNE", "state")])


def test_parent_must_exist_while_child_does() -> None:
    nodes = [
        TerritoryNode("MH", "state", validity=Validity(date(2025, 1, 1), date(2025, 6, 1))),
        TerritoryNode("PUNE", "district", "MH", validity=Validity(date(2025, 1, 1))),
    ]
    with pytest.raises(TerritoryTreeError, match=r"territory 'PUNE'\.parent: 'MH' does not exist"):
        TerritoryTree(nodes)


def test_overlapping_placements_named(tree: TerritoryTree) -> None:
    t = tree.place("R1", "BARAMATI", date(2025, 4, 1))
    with pytest.raises(TerritoryTreeError, match=r"account 'R1'\.territory: placement"):
        t.place("R1", "HADAPSAR", date(2025, 3, 1))


def test_missing_territory_on_a_day(tree: TerritoryTree) -> None:
    with pytest.raises(NotFound, match="territory 'GOA': does not exist on 2025-06-01"):
        tree.node("GOA", ON)


def test_sample_territories_load() -> None:
    sample = pytest.importorskip("distcrm.testing.sample")
    data = sample.generate(
        sample.SampleConfig(
            seed=3,
            super_stockists=1,
            distributors_per_super_stockist=2,
            retailers_per_distributor=5,
            skus=5,
            categories=2,
            brands=2,
            secondary_lines=20,
            months=1,
        )
    )
    tree = TerritoryTree.from_rows(data.territories).place_accounts(data.accounts, date(2025, 4, 1))
    retailers = data.by_tier("retailer")
    everything = {a for root in tree.roots(ON) for a in tree.accounts_in(root, ON)}
    assert {r.id for r in retailers} <= everything


def test_roll_up_sums_money_to_every_level(tree: TerritoryTree) -> None:
    from distcrm.money import Money

    t = tree.place("R1", "BARAMATI", date(2025, 4, 1)).place("R2", "HADAPSAR", date(2025, 4, 1))
    t = t.place("R3", "NAGPUR", date(2025, 4, 1))
    inr = Money.zero("INR")
    sales = {
        "R1": Money.of("100.25", "INR"),
        "R2": Money.of("50", "INR"),
        "R3": Money.of("7", "INR"),
    }
    totals = t.roll_up(sales, ON, zero=inr)
    # PUNE = 100.25 + 50 = 150.25; MH = 150.25 + 7 = 157.25; GJ has nothing
    assert totals["PUNE"] == Money.of("150.25", "INR")
    assert totals["MH"] == totals["WEST"] == Money.of("157.25", "INR")
    assert totals["GJ"] == inr
    # before the placements nothing is counted
    assert t.roll_up(sales, date(2025, 3, 1), zero=inr)["WEST"] == inr
