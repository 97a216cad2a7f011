"""The channel graph: tier rules, effective-dated links, queries, roll-ups, data isolation.

Build a graph from accounts, :class:`~distcrm.parties.TierRules` and
effective-dated :class:`~distcrm.parties.Link` s with :func:`build_graph`
(every problem reported at once) or check without raising with :func:`validate`.
Ask questions as of any day (:func:`parents`, :func:`ancestors`,
:func:`descendants`, ... or ``graph.as_of(day)``), change the network with
pure functions (:func:`reparent`, :func:`add_account`, :func:`retire_account`),
total values up the tree (:func:`roll_up`, :func:`roll_up_documents`) and give
each distributor a view of its own network only (:class:`ScopedStore`).

Examples:
    >>> from datetime import date
    >>> from decimal import Decimal
    >>> from distcrm.hierarchy import build_graph, descendants, roll_up
    >>> from distcrm.parties import INDIAN_FMCG, Account, Link
    >>> g = build_graph(
    ...     [Account("P", "Brand", "principal"), Account("SS1", "Stock", "super_stockist"),
    ...      Account("D1", "Shree", "distributor"), Account("R1", "Kirana", "retailer")],
    ...     INDIAN_FMCG,
    ...     [Link("P", "SS1"), Link("SS1", "D1"), Link("D1", "R1")],
    ... )
    >>> descendants(g, "SS1", on=date(2025, 6, 1))
    ('D1', 'R1')
    >>> roll_up(g, {"R1": Decimal("250")}, on=date(2025, 6, 1)).total("SS1")
    Decimal('250')
"""

from distcrm.hierarchy.changes import (
    Change,
    add_account,
    add_parent,
    remove_parent,
    reparent,
    retire_account,
)
from distcrm.hierarchy.export import to_networkx
from distcrm.hierarchy.graph import ChannelGraph, build_graph
from distcrm.hierarchy.problems import AccessDenied, HierarchyError, HierarchyProblem
from distcrm.hierarchy.queries import (
    ancestors,
    children,
    depth,
    descendants,
    parents,
    path_to_root,
    subtree,
    tier_counts,
)
from distcrm.hierarchy.rollup import RollUp, roll_up, roll_up_documents, signed_taxable
from distcrm.hierarchy.scoping import Scope, ScopedStore, scope_of, visible_accounts
from distcrm.hierarchy.snapshot import OnMulti, Snapshot
from distcrm.hierarchy.validation import validate
from distcrm.parties import Link

__all__ = [
    "AccessDenied",
    "Change",
    "ChannelGraph",
    "HierarchyError",
    "HierarchyProblem",
    "Link",
    "OnMulti",
    "RollUp",
    "Scope",
    "ScopedStore",
    "Snapshot",
    "add_account",
    "add_parent",
    "ancestors",
    "build_graph",
    "children",
    "depth",
    "descendants",
    "parents",
    "path_to_root",
    "remove_parent",
    "reparent",
    "retire_account",
    "roll_up",
    "roll_up_documents",
    "scope_of",
    "signed_taxable",
    "subtree",
    "tier_counts",
    "to_networkx",
    "validate",
    "visible_accounts",
]
