"""Queries on the channel graph as of a day (functions over :class:`ChannelGraph`).

Each function is a shortcut for the same-named method of
``graph.as_of(on)`` (a :class:`~distcrm.hierarchy.snapshot.Snapshot`); use the
snapshot directly when asking many questions about one day.

An account that is neither a root-tier account nor linked to a parent on
``on`` is not in the network that day: asking about it raises
:class:`~distcrm.errors.HierarchyError` naming the account, its tier, the day
and the periods its links cover.

Examples:
    >>> from datetime import date
    >>> from distcrm.hierarchy import build_graph
    >>> from distcrm.parties import INDIAN_FMCG, Account, Link
    >>> from distcrm.periods import Validity
    >>> g = build_graph(
    ...     [Account("P", "Brand", "principal"), Account("D1", "Shree", "distributor"),
    ...      Account("D2", "Om", "distributor"), Account("R1", "Kirana", "retailer")],
    ...     INDIAN_FMCG,
    ...     [Link("P", "D1"), Link("P", "D2"),
    ...      Link("D1", "R1", Validity(date(2025, 4, 1), date(2025, 7, 1))),
    ...      Link("D2", "R1", Validity(date(2025, 7, 1)))],
    ... )
    >>> parents(g, "R1", on=date(2025, 6, 30)), parents(g, "R1", on=date(2025, 7, 1))
    (('D1',), ('D2',))
    >>> tier_counts(g, on=date(2025, 1, 1))
    {'principal': 1, 'super_stockist': 0, 'distributor': 2, 'dealer': 0, 'retailer': 0}
    >>> parents(g, "R1", on=date(2025, 1, 1))
    Traceback (most recent call last):
    ...
    distcrm.errors.HierarchyError: on: account 'R1' (retailer) has no parent link on 2025-01-01; its links cover [2025-04-01, 2025-07-01), [2025-07-01, …)
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from distcrm.hierarchy.graph import ChannelGraph
from distcrm.hierarchy.snapshot import OnMulti
from distcrm.parties import AccountId

__all__ = [
    "ancestors",
    "children",
    "depth",
    "descendants",
    "parents",
    "path_to_root",
    "subtree",
    "tier_counts",
]


def parents(graph: ChannelGraph, account: str, *, on: date) -> tuple[AccountId, ...]:
    """Every active parent of ``account`` on ``on``, sorted by id."""
    return graph.as_of(on).parents(account)


def ancestors(graph: ChannelGraph, account: str, *, on: date) -> tuple[AccountId, ...]:
    """Every account above ``account`` on ``on``, nearest first, each once."""
    return graph.as_of(on).ancestors(account)


def path_to_root(
    graph: ChannelGraph,
    account: str,
    *,
    on: date,
    via: Mapping[str, str] | Mapping[AccountId, AccountId] | None = None,
    on_multi: OnMulti = "raise",
) -> tuple[AccountId, ...]:
    """``account`` then one parent per step up to a root; ``via`` picks among several parents."""
    return graph.as_of(on).path_to_root(account, via=via, on_multi=on_multi)


def children(graph: ChannelGraph, account: str, *, on: date) -> tuple[AccountId, ...]:
    """Accounts ``account`` supplies on ``on``, sorted by id."""
    return graph.as_of(on).children(account)


def descendants(graph: ChannelGraph, account: str, *, on: date) -> tuple[AccountId, ...]:
    """Every account below ``account`` on ``on``, level by level, each once."""
    return graph.as_of(on).descendants(account)


def subtree(graph: ChannelGraph, account: str, *, on: date) -> tuple[AccountId, ...]:
    """``account`` followed by its descendants on ``on``."""
    return graph.as_of(on).subtree(account)


def depth(
    graph: ChannelGraph,
    account: str,
    *,
    on: date,
    via: Mapping[str, str] | Mapping[AccountId, AccountId] | None = None,
    on_multi: OnMulti = "raise",
) -> int:
    """Links between ``account`` and its root on ``on`` (0 for a root account)."""
    return graph.as_of(on).depth(account, via=via, on_multi=on_multi)


def tier_counts(graph: ChannelGraph, *, on: date) -> dict[str, int]:
    """Accounts in the network on ``on``, per tier (every tier of the rules listed)."""
    return graph.as_of(on).tier_counts()
