"""Changes to the channel graph as pure functions returning a new, validated link set.

Every change returns a :class:`Change`: the complete new account and link sets
(ready for ``store.links.replace_all(change.links)``), the links it opened and
closed, a :class:`~distcrm.findings.Trace`, and the new validated graph. History
is kept: a closed link keeps its start and gets an end; only a link that would
end on or before its own start (it had not begun yet) is dropped. The result is
validated exactly like :func:`~distcrm.hierarchy.build_graph`; on any problem a
:class:`~distcrm.errors.HierarchyError` is raised and the input graph is, as
always, untouched.

Examples:
    >>> from datetime import date
    >>> from distcrm.hierarchy import build_graph, parents
    >>> from distcrm.parties import INDIAN_FMCG, Account, Link
    >>> g = build_graph(
    ...     [Account("P", "Brand", "principal"), Account("D1", "Shree", "distributor"),
    ...      Account("D2", "Om", "distributor"), Account("R1", "Kirana", "retailer")],
    ...     INDIAN_FMCG,
    ...     [Link("P", "D1"), Link("P", "D2"), Link("D1", "R1")],
    ... )
    >>> ch = reparent(g, "R1", "D2", on=date(2025, 7, 1))
    >>> [f"{lk.parent} {lk.validity}" for lk in ch.graph.history("R1")]
    ['D1 [0001-01-01, 2025-07-01)', 'D2 [2025-07-01, …)']
    >>> parents(ch.graph, "R1", on=date(2025, 6, 30)), parents(ch.graph, "R1", on=date(2025, 7, 1))
    (('D1',), ('D2',))
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

import attrs

from distcrm.findings import Trace
from distcrm.hierarchy.graph import ChannelGraph, build_graph
from distcrm.hierarchy.problems import HierarchyError, HierarchyProblem
from distcrm.parties import Account, Link
from distcrm.periods import Validity

__all__ = [
    "Change",
    "add_account",
    "add_parent",
    "remove_parent",
    "reparent",
    "retire_account",
]


@attrs.frozen
class Change:
    """The outcome of a change to the channel graph.

    Attributes:
        accounts: every account after the change.
        links: every link after the change (the whole history).
        opened: links the change added.
        closed: links the change ended or dropped, as they were before the change.
        trace: what was done and why.
        graph: the validated graph of ``accounts`` and ``links``.
    """

    accounts: tuple[Account, ...]
    links: tuple[Link, ...]
    opened: tuple[Link, ...]
    closed: tuple[Link, ...]
    trace: Trace
    graph: ChannelGraph = attrs.field(eq=False, repr=False)


def _fail(message: str, *accounts: str, path: str = "change") -> HierarchyError:
    return HierarchyError([HierarchyProblem(path, message, "bad_change", tuple(accounts))])


def _require(graph: ChannelGraph, account: str, role: str) -> Account:
    if account not in graph:
        raise _fail(f"{role}: unknown account {account!r}", account, path=role)
    return graph.account(account)


def _close(link: Link, on: date) -> Link | None:
    """``link`` ended at ``on``; ``None`` when it would not have started by then."""
    if on <= link.validity.start:
        return None
    if link.validity.end is not None and link.validity.end <= on:
        return link
    return attrs.evolve(link, validity=Validity(link.validity.start, on))


def _apply(
    graph: ChannelGraph,
    *,
    accounts: Sequence[Account] | None = None,
    replace: dict[int, Link | None],
    opened: Iterable[Link],
    trace: Trace,
) -> Change:
    old = graph.links
    new_links: list[Link] = []
    closed: list[Link] = []
    for li, link in enumerate(old):
        if li in replace:
            closed.append(link)
            repl = replace[li]
            if repl is not None:
                new_links.append(repl)
        else:
            new_links.append(link)
    opened_t = tuple(opened)
    new_links.extend(opened_t)
    accts = graph.accounts if accounts is None else tuple(accounts)
    new_graph = build_graph(accts, graph.rules, new_links)
    return Change(accts, tuple(new_links), opened_t, tuple(closed), trace, new_graph)


def _active_links_of(graph: ChannelGraph, child: str, on: date) -> list[int]:
    enc = graph.encoded
    i = enc.index[child]
    return [li for li in enc.links_of_child(i) if enc.links[li].active_on(on)]


def reparent(
    graph: ChannelGraph,
    child: str,
    new_parent: str,
    *,
    on: date,
    replace: str | None = None,
    until: date | None = None,
) -> Change:
    """Move ``child`` to ``new_parent`` from ``on``: the old link is closed, a new one opened.

    Args:
        graph: the channel graph.
        child: the account moving.
        new_parent: its parent from ``on``.
        on: the first day under the new parent.
        replace: the parent being replaced; required when ``child`` has several
            active parents on ``on`` (multi-parent tiers).
        until: end of the new link (exclusive); by default the end of the link it
            replaces, so a move already planned for later still happens.

    Raises:
        HierarchyError: unknown accounts, no active parent on ``on``, ``replace``
            not an active parent, or any problem of the resulting graph.
    """
    c = _require(graph, child, "child")
    _require(graph, new_parent, "new_parent")
    active = _active_links_of(graph, child, on)
    links = graph.links
    if not active:
        covered = ", ".join(str(lk.validity) for lk in graph.history(child)) or "no period"
        raise _fail(
            f"account {child!r} ({c.tier}) has no parent on {on.isoformat()} to replace; its "
            f"links cover {covered}; use add_parent to link it",
            child,
        )
    if replace is not None:
        chosen = [li for li in active if links[li].parent == replace]
        if not chosen:
            raise _fail(
                f"replace: {replace!r} is not a parent of {child!r} on {on.isoformat()} "
                f"(parents: {', '.join(sorted(links[li].parent for li in active))})",
                child, replace, path="replace",
            )
    elif len(active) > 1:
        raise _fail(
            f"account {child!r} ({c.tier}) has {len(active)} parents on {on.isoformat()} "
            f"({', '.join(sorted(links[li].parent for li in active))}); say which with replace=",
            child, path="replace",
        )
    else:
        chosen = active
    old = links[chosen[0]]
    if old.parent == new_parent:
        raise _fail(f"account {child!r} is already supplied by {new_parent!r} on {on}",
                    child, new_parent)
    end = old.validity.end if until is None else until
    new = Link(new_parent, child, Validity(on, end))
    trace = Trace.of(f"re-parent {child} on {on.isoformat()}").add(
        f"close {old.parent} -> {child}", "applied", f"was {old.validity}"
    ).add(f"open {new_parent} -> {child}", "applied", str(new.validity))
    return _apply(graph, replace={chosen[0]: _close(old, on)}, opened=[new], trace=trace)


def add_parent(
    graph: ChannelGraph, child: str, parent: str, *, on: date, until: date | None = None
) -> Change:
    """Link ``child`` to one more ``parent`` from ``on`` (multi-parent tiers, or a first parent).

    Examples:
        >>> from datetime import date
        >>> from distcrm.hierarchy import build_graph
        >>> from distcrm.parties import INDIAN_FMCG, Account, Link
        >>> g = build_graph([Account("P", "B", "principal"), Account("D1", "S", "distributor"),
        ...                  Account("D2", "O", "distributor"), Account("R1", "K", "retailer")],
        ...                 INDIAN_FMCG, [Link("P", "D1"), Link("P", "D2"), Link("D1", "R1")])
        >>> add_parent(g, "R1", "D2", on=date(2025, 7, 1))
        Traceback (most recent call last):
        ...
        distcrm.errors.HierarchyError: $.links[3]: account 'R1' (retailer) has two active parents 'D1' and 'D2' from 2025-07-01 (links 'D1' -> 'R1' [0001-01-01, …) and 'D2' -> 'R1' [2025-07-01, …)); a retailer may have only one parent
    """
    _require(graph, child, "child")
    _require(graph, parent, "parent")
    new = Link(parent, child, Validity(on, until))
    trace = Trace.of(f"add parent of {child} on {on.isoformat()}").add(
        f"open {parent} -> {child}", "applied", str(new.validity)
    )
    return _apply(graph, replace={}, opened=[new], trace=trace)


def remove_parent(graph: ChannelGraph, child: str, parent: str, *, on: date) -> Change:
    """End the link ``parent -> child`` at ``on`` (``child`` keeps its other parents).

    Raises:
        HierarchyError: when the link is not active on ``on``, or the child would be
            left without a parent (use :func:`reparent` or :func:`retire_account`).
    """
    _require(graph, child, "child")
    _require(graph, parent, "parent")
    links = graph.links
    active = [li for li in _active_links_of(graph, child, on) if links[li].parent == parent]
    if not active:
        raise _fail(f"no active link {parent!r} -> {child!r} on {on.isoformat()}", parent, child)
    trace = Trace.of(f"remove parent {parent} of {child} on {on.isoformat()}").add(
        f"close {parent} -> {child}", "applied", f"was {links[active[0]].validity}"
    )
    change = _apply(graph, replace={active[0]: _close(links[active[0]], on)}, opened=[],
                    trace=trace)
    if not change.graph.as_of(on).contains(child):
        raise _fail(
            f"removing {parent!r} would leave {child!r} without a parent on {on.isoformat()}; "
            "use reparent or retire_account",
            child, parent,
        )
    return change


def add_account(
    graph: ChannelGraph,
    account: Account,
    parents: str | Sequence[str] = (),
    *,
    on: date,
) -> Change:
    """Add ``account`` supplied by ``parents`` from ``on`` (no parents for a root tier).

    Examples:
        >>> from datetime import date
        >>> from distcrm.hierarchy import build_graph
        >>> from distcrm.parties import INDIAN_FMCG, Account, Link
        >>> g = build_graph([Account("P", "B", "principal"), Account("D1", "S", "distributor")],
        ...                 INDIAN_FMCG, [Link("P", "D1")])
        >>> ch = add_account(g, Account("R1", "Kirana", "retailer"), "D1", on=date(2025, 8, 1))
        >>> ch.graph.as_of(date(2025, 8, 1)).children("D1")
        ('R1',)
        >>> add_account(g, Account("D1", "Again", "distributor"), "P", on=date(2025, 8, 1))
        Traceback (most recent call last):
        ...
        distcrm.errors.HierarchyError: account: account 'D1' already exists
    """
    if account.id in graph:
        raise _fail(f"account {account.id!r} already exists", account.id, path="account")
    names = (parents,) if isinstance(parents, str) else tuple(parents)
    opened = [Link(p, account.id, Validity(on)) for p in names]
    trace = Trace.of(f"add account {account.id} on {on.isoformat()}")
    for link in opened:
        trace = trace.add(f"open {link.parent} -> {link.child}", "applied", str(link.validity))
    return _apply(graph, accounts=(*graph.accounts, account), replace={}, opened=opened,
                  trace=trace)


def retire_account(graph: ChannelGraph, account: str, *, on: date) -> Change:
    """Retire ``account`` from ``on``: its parent links end (the account and history stay).

    Raises:
        HierarchyError: when the account still supplies someone on or after ``on``
            (re-parent them first) — every such child is named.
    """
    acct = _require(graph, account, "account")
    enc = graph.encoded
    i = enc.index[account]
    on_ord = on.toordinal()
    kids = sorted(
        {enc.ids[enc.link_child[li]] for li in range(len(enc.links))
         if enc.link_parent[li] == i and enc.link_end[li] > on_ord}
    )
    if kids:
        raise _fail(
            f"account {account!r} ({acct.tier}) still supplies {', '.join(repr(k) for k in kids)} "
            f"on or after {on.isoformat()}; re-parent them first",
            account, *kids,
        )
    own = [li for li in enc.links_of_child(i) if enc.link_end[li] > on_ord]
    replace = {li: _close(enc.links[li], on) for li in own}
    trace = Trace.of(f"retire {account} on {on.isoformat()}")
    for li in own:
        trace = trace.add(f"close {enc.links[li].parent} -> {account}", "applied",
                          f"was {enc.links[li].validity}")
    return _apply(graph, replace=replace, opened=[], trace=trace)
