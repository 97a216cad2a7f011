"""Export the channel graph to :mod:`networkx` for your own analysis.

Examples:
    >>> from datetime import date
    >>> from distcrm.hierarchy import build_graph
    >>> from distcrm.parties import INDIAN_FMCG, Account, Link
    >>> from distcrm.periods import Validity
    >>> g = build_graph(
    ...     [Account("P", "Brand", "principal"), Account("D1", "Shree", "distributor"),
    ...      Account("R1", "Kirana", "retailer")],
    ...     INDIAN_FMCG,
    ...     [Link("P", "D1"), Link("D1", "R1", Validity(date(2025, 4, 1)))],
    ... )
    >>> nxg = to_networkx(g)
    >>> sorted(nxg.edges()), nxg.nodes["R1"]["tier"]
    ([('D1', 'R1'), ('P', 'D1')], 'retailer')
    >>> [str(v) for v in nxg.edges["D1", "R1"]["validities"]]
    ['[2025-04-01, …)']
    >>> sorted(to_networkx(g, on=date(2025, 1, 1)).edges())
    [('P', 'D1')]
"""

from __future__ import annotations

from datetime import date
from typing import Any

import networkx as nx

from distcrm.hierarchy.graph import ChannelGraph

__all__ = ["to_networkx"]


def to_networkx(graph: ChannelGraph, *, on: date | None = None) -> Any:
    """A ``networkx.DiGraph`` with an edge parent → child.

    Nodes carry ``tier`` and ``name``. Without ``on`` every account and every link
    of the history is included and each edge carries ``validities`` (a tuple of
    :class:`~distcrm.periods.Validity`, sorted); with ``on`` only the accounts in
    the network that day and the links active that day.
    """
    out = nx.DiGraph()
    if on is None:
        out.add_nodes_from((a.id, {"tier": a.tier, "name": a.name}) for a in graph.accounts)
        spans: dict[tuple[str, str], list[Any]] = {}
        for link in graph.links:
            spans.setdefault((link.parent, link.child), []).append(link.validity)
        out.add_edges_from(
            (p, c, {"validities": tuple(sorted(vs))}) for (p, c), vs in spans.items()
        )
        return out
    snap = graph.as_of(on)
    out.add_nodes_from(
        (a, {"tier": graph.account(a).tier, "name": graph.account(a).name})
        for a in snap.accounts()
    )
    out.add_edges_from(snap.edges())
    return out
