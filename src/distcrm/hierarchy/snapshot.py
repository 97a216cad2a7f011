"""The channel graph as of one day: parents, children and the queries over them.

A :class:`Snapshot` is what :meth:`ChannelGraph.as_of
<distcrm.hierarchy.ChannelGraph.as_of>` returns. The link set only changes on
link start and end dates, so the days between two such dates share one
*epoch*: a parent column (first active parent per account, ``-1`` for none),
the extra parents of multi-parent accounts, and CSR children arrays (offsets
and a flat list of child indices). Epochs are built once on first use and
cached by the graph; a snapshot is a thin view of an epoch for one date.

Accounts "in the network" on a day are the root-tier accounts and every
account with an active parent link. Asking about any other account on that
day raises :class:`~distcrm.errors.HierarchyError` naming the account, its
tier, the day and the periods its links do cover.

Examples:
    >>> from datetime import date
    >>> from distcrm.hierarchy import build_graph
    >>> from distcrm.parties import INDIAN_FMCG, Account, Link
    >>> g = build_graph(
    ...     [Account("P", "Brand", "principal"), Account("SS1", "Stock", "super_stockist"),
    ...      Account("D1", "Shree", "distributor"), Account("R1", "Kirana", "retailer")],
    ...     INDIAN_FMCG,
    ...     [Link("P", "SS1"), Link("SS1", "D1"), Link("D1", "R1")],
    ... )
    >>> s = g.as_of(date(2025, 6, 1))
    >>> s.ancestors("R1"), s.path_to_root("R1"), s.depth("R1")
    (('D1', 'SS1', 'P'), ('R1', 'D1', 'SS1', 'P'), 3)
    >>> s.descendants("SS1"), s.children("P")
    (('D1', 'R1'), ('SS1',))
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Mapping
from datetime import date
from itertools import accumulate
from typing import Literal, TypeAlias

from distcrm.hierarchy.encoding import Encoded
from distcrm.hierarchy.problems import HierarchyError, HierarchyProblem
from distcrm.parties import AccountId

__all__ = ["Epoch", "OnMulti", "Snapshot"]

OnMulti: TypeAlias = Literal["raise", "first"]
"""What to do when a path must go through a multi-parent account and no parent was chosen:
``"raise"`` (the default) raises :class:`~distcrm.errors.HierarchyError`; ``"first"`` takes
the parent with the smallest id."""


class Epoch:
    """Parent column and CSR children of the links active during one epoch."""

    __slots__ = (
        "chains",
        "children_flat",
        "children_offsets",
        "extra_parents",
        "parent",
        "position",
        "preorder",
        "size",
    )

    parent: array[int]
    extra_parents: dict[int, tuple[int, ...]]
    children_offsets: array[int]
    children_flat: array[int]
    preorder: array[int] | None
    position: dict[int, int] | None
    size: dict[int, int] | None
    chains: dict[int, tuple[AccountId, ...]]

    def ensure_preorder(self) -> tuple[array[int], dict[int, int], dict[int, int]]:
        """Depth-first preorder of a tree epoch, with position and size of every inner account.

        In preorder every subtree is one contiguous run, so the descendants of an
        account are a slice. Only accounts with children (a few thousand in a
        network of a million outlets) get a position and size; the runs are built
        bottom-up by concatenating children's runs, which for the usual inner
        account whose children are all leaves is one array copy. Built on first
        use and kept.
        """
        if self.preorder is not None and self.position is not None and self.size is not None:
            return self.preorder, self.position, self.size
        parent, off, flat = self.parent, self.children_offsets, self.children_flat
        inner = set(parent)
        inner.discard(-1)
        depth: dict[int, int] = {}
        for v in inner:
            d, u = 0, v
            while u >= 0 and u not in depth:
                d += 1
                u = parent[u]
            depth[v] = d + (depth[u] if u >= 0 else 0)
        runs: dict[int, array[int]] = {}
        relative: dict[int, int] = {}
        size: dict[int, int] = {}
        for v in sorted(inner, key=depth.__getitem__, reverse=True):
            kids = flat[off[v] : off[v + 1]]
            run = array("i", [v])
            if inner.isdisjoint(kids):
                run.extend(kids)
            else:
                for c in kids:
                    sub = runs.pop(c, None)
                    if sub is None:
                        run.append(c)
                    else:
                        relative[c] = len(run)
                        run.extend(sub)
            runs[v] = run
            size[v] = len(run)
        order = array("i")
        position: dict[int, int] = {}
        for v, run in runs.items():  # what is left are the roots of inner trees
            position[v] = len(order)
            order.extend(run)
        for v in sorted(inner, key=depth.__getitem__):
            if v not in position:
                position[v] = position[parent[v]] + relative[v]
        self.preorder, self.position, self.size = order, position, size
        return order, position, size

    @classmethod
    def build(cls, enc: Encoded, ordinal: int) -> Epoch:
        """The epoch containing day ``ordinal`` of the encoded graph."""
        self = cls()
        self.preorder = self.position = self.size = None
        self.chains = {}
        lp, lc, ls, le = enc.link_parent, enc.link_child, enc.link_start, enc.link_end
        n = len(enc.ids)
        m = len(lp)
        if m and max(ls) <= ordinal < min(le):
            active_p, active_c = lp, lc
        else:
            chosen = [
                li
                for li, s, e in zip(range(m), ls, le, strict=True)
                if s <= ordinal < e
            ]
            active_p = array("i", [lp[li] for li in chosen])
            active_c = array("i", [lc[li] for li in chosen])
        parent = array("i", [-1]) * n
        counts = array("i", [0]) * (n + 1)
        multi: dict[int, list[int]] = {}
        for p, c in zip(active_p, active_c, strict=True):
            counts[p + 1] += 1
            if parent[c] < 0:
                parent[c] = p
            elif c in multi:
                multi[c].append(p)
            else:
                multi[c] = [parent[c], p]
        offsets = array("i", accumulate(counts))
        fill = array("i", offsets)
        flat = array("i", [0]) * len(active_p)
        for p, c in zip(active_p, active_c, strict=True):
            k = fill[p]
            flat[k] = c
            fill[p] = k + 1
        extra: dict[int, tuple[int, ...]] = {}
        for c, ps in multi.items():
            ordered = tuple(sorted(set(ps), key=enc.ids.__getitem__))
            extra[c] = ordered
            parent[c] = ordered[0]
        self.parent = parent
        self.extra_parents = extra
        self.children_offsets = offsets
        self.children_flat = flat
        return self


class Snapshot:
    """The channel graph on one day ``on`` (a view of a cached :class:`Epoch`)."""

    __slots__ = ("_enc", "_epoch", "_root", "on")

    on: date

    def __init__(self, enc: Encoded, epoch: Epoch, on: date, root: bytes) -> None:
        self._enc = enc
        self._epoch = epoch
        self._root = root
        self.on = on

    # -- lookups -------------------------------------------------------------------------

    def not_in_network(self, account: str) -> HierarchyError:
        """The error for ``account`` unknown or without a parent link on this day."""
        enc = self._enc
        i = enc.index.get(account)
        if i is None:
            return HierarchyError(
                [
                    HierarchyProblem(
                        "account", f"unknown account {account!r}", "unknown_account", (account,)
                    )
                ]
            )
        spans = [str(enc.links[li].validity) for li in enc.links_of_child(i)]
        covered = ", ".join(sorted(spans)) if spans else "no period at all"
        return HierarchyError(
            [
                HierarchyProblem(
                    "on",
                    f"account {enc.account_text(i)} has no parent link on {self.on.isoformat()}; "
                    f"its links cover {covered}",
                    "not_in_network",
                    (account,),
                )
            ]
        )

    def index_of(self, account: str) -> int:
        """The integer index of ``account``, checking it is in the network on this day."""
        i = self._enc.index.get(account)
        if i is None or (self._epoch.parent[i] < 0 and not self._root[self._enc.tier_code[i]]):
            raise self.not_in_network(account)
        return i

    def contains(self, account: str) -> bool:
        """True when ``account`` is in the network on this day."""
        i = self._enc.index.get(account)
        return i is not None and (
            self._epoch.parent[i] >= 0 or bool(self._root[self._enc.tier_code[i]])
        )

    __contains__ = contains

    @property
    def epoch(self) -> Epoch:
        """The cached parent and children arrays behind this snapshot (read-only)."""
        return self._epoch

    @property
    def root_tiers(self) -> bytes:
        """``1`` at the code of every root tier (indexed by tier code)."""
        return self._root

    @property
    def has_multi_parent(self) -> bool:
        """True when some account has several active parents on this day."""
        return bool(self._epoch.extra_parents)

    # -- upward --------------------------------------------------------------------------

    def parents(self, account: str) -> tuple[AccountId, ...]:
        """Every active parent of ``account`` (sorted by id; ``()`` for a root account)."""
        i = self.index_of(account)
        ep = self._epoch
        ids = self._enc.ids
        extra = ep.extra_parents.get(i)
        if extra is not None:
            return tuple(ids[p] for p in extra)
        p = ep.parent[i]
        return () if p < 0 else (ids[p],)

    def ancestors(self, account: str) -> tuple[AccountId, ...]:
        """Every account above ``account``, nearest first (each once, even with multi-parent)."""
        enc = self._enc
        ep = self._epoch
        parent = ep.parent
        i = enc.index.get(account)
        if i is None:
            raise self.not_in_network(account)
        p = parent[i]
        if not ep.extra_parents:
            if p < 0:
                if self._root[enc.tier_code[i]]:
                    return ()
                raise self.not_in_network(account)
            chain = ep.chains.get(p)
            return chain if chain is not None else self._chain(p)
        if p < 0 and not self._root[enc.tier_code[i]]:
            raise self.not_in_network(account)
        ids = enc.ids
        extra = ep.extra_parents
        seen: set[int] = set()
        order: list[int] = []
        frontier = [i]
        while frontier:
            nxt: list[int] = []
            for v in frontier:
                ps = extra.get(v)
                if ps is None:
                    ps = (parent[v],) if parent[v] >= 0 else ()
                for p in ps:
                    if p not in seen:
                        seen.add(p)
                        order.append(p)
                        nxt.append(p)
            frontier = nxt
        return tuple(ids[p] for p in order)

    def _chain(self, i: int) -> tuple[AccountId, ...]:
        """``i`` and its ancestors in a tree epoch, cached per epoch (shared by its children)."""
        ep = self._epoch
        ids, parent, chains = self._enc.ids, ep.parent, ep.chains
        path = []
        v = i
        while v >= 0 and v not in chains:
            path.append(v)
            v = parent[v]
        tail: tuple[AccountId, ...] = chains[v] if v >= 0 else ()
        for v in reversed(path):
            tail = (ids[v], *tail)
            chains[v] = tail
        return tail

    def path_to_root(
        self,
        account: str,
        *,
        via: Mapping[str, str] | Mapping[AccountId, AccountId] | None = None,
        on_multi: OnMulti = "raise",
    ) -> tuple[AccountId, ...]:
        """``account`` and the accounts above it up to a root, one parent per step.

        Where an account on the way has several parents, ``via[account]`` names
        the parent to follow; otherwise ``on_multi`` decides.
        """
        return tuple(self._enc.ids[i] for i in self.path_indices(self.index_of(account), via,
                                                                   on_multi))

    def path_indices(
        self, i: int, via: Mapping[str, str] | Mapping[AccountId, AccountId] | None, on_multi: OnMulti
    ) -> list[int]:
        """Indices of the path from account index ``i`` to its root (see :meth:`path_to_root`)."""
        ep = self._epoch
        parent, extra = ep.parent, ep.extra_parents
        out = [i]
        v = i
        while True:
            v = self.choose_parent(v, via, on_multi) if v in extra else parent[v]
            if v < 0:
                return out
            out.append(v)

    def choose_parent(self, i: int, via: Mapping[str, str] | Mapping[AccountId, AccountId] | None, on_multi: OnMulti) -> int:
        """The parent index to follow from multi-parent account ``i``."""
        enc = self._enc
        options = self._epoch.extra_parents[i]
        account = enc.ids[i]
        names = ", ".join(repr(enc.ids[p]) for p in options)
        if via is not None and account in via:
            chosen = enc.index.get(via[account], -1)
            if chosen not in options:
                raise HierarchyError(
                    [
                        HierarchyProblem(
                            f"via[{account!r}]",
                            f"{via[account]!r} is not a parent of {enc.account_text(i)} on "
                            f"{self.on.isoformat()}; its parents are {names}",
                            "bad_change",
                            (account, via[account]),
                        )
                    ]
                )
            return chosen
        if on_multi == "first":
            return options[0]
        raise HierarchyError(
            [
                HierarchyProblem(
                    f"via[{account!r}]",
                    f"account {enc.account_text(i)} has {len(options)} parents on "
                    f"{self.on.isoformat()} ({names}); choose one with via= or on_multi='first'",
                    "multi_parent",
                    (account, *(enc.ids[p] for p in options)),
                )
            ]
        )

    def depth(
        self,
        account: str,
        *,
        via: Mapping[str, str] | Mapping[AccountId, AccountId] | None = None,
        on_multi: OnMulti = "raise",
    ) -> int:
        """Number of links between ``account`` and its root along :meth:`path_to_root`."""
        return len(self.path_indices(self.index_of(account), via, on_multi)) - 1

    # -- downward ------------------------------------------------------------------------

    def children(self, account: str) -> tuple[AccountId, ...]:
        """Accounts ``account`` supplies on this day, sorted by id."""
        i = self.index_of(account)
        ep = self._epoch
        ids = self._enc.ids
        kids = ep.children_flat[ep.children_offsets[i] : ep.children_offsets[i + 1]]
        return tuple(sorted(ids[k] for k in kids))

    def descendant_indices(self, i: int) -> list[int]:
        """Indices of every account below account index ``i`` (each once)."""
        ep = self._epoch
        off, flat = ep.children_offsets, ep.children_flat
        out: list[int] = []
        frontier = [i]
        if ep.extra_parents:
            seen = {i}
            while frontier:
                nxt: list[int] = []
                for v in frontier:
                    for k in flat[off[v] : off[v + 1]]:
                        if k not in seen:
                            seen.add(k)
                            nxt.append(k)
                out.extend(nxt)
                frontier = nxt
            return out
        while frontier:
            nxt = []
            ext = nxt.extend
            for v in frontier:
                ext(flat[off[v] : off[v + 1]])
            out.extend(nxt)
            frontier = nxt
        return out

    def _subtree_indices(self, i: int, skip: int) -> Iterable[int]:
        ep = self._epoch
        if ep.extra_parents:
            below = self.descendant_indices(i)
            return below if skip else [i, *below]
        order, position, size = ep.ensure_preorder()
        k = position.get(i)
        if k is None:  # a leaf
            return () if skip else (i,)
        return order[k + skip : k + size[i]]

    def descendants(self, account: str) -> tuple[AccountId, ...]:
        """Every account below ``account`` (each once; depth-first in a tree, else by level)."""
        i = self.index_of(account)
        return tuple(map(self._enc.ids.__getitem__, self._subtree_indices(i, 1)))

    def subtree(self, account: str) -> tuple[AccountId, ...]:
        """``account`` followed by its :meth:`descendants`."""
        i = self.index_of(account)
        return tuple(map(self._enc.ids.__getitem__, self._subtree_indices(i, 0)))

    def tier_counts(self) -> dict[str, int]:
        """Number of accounts of each tier in the network on this day (every tier listed)."""
        enc = self._enc
        names = enc.rules.names
        counts = [0] * 256
        parent, root, tier_code = self._epoch.parent, self._root, enc.tier_code
        for i, code in enumerate(tier_code):
            if parent[i] >= 0 or root[code]:
                counts[code] += 1
        return {name: counts[k] for k, name in enumerate(names)}

    def accounts(self) -> tuple[AccountId, ...]:
        """Ids of every account in the network on this day, in declaration order."""
        parent, root, tier_code = self._epoch.parent, self._root, self._enc.tier_code
        ids = self._enc.ids
        return tuple(ids[i] for i, code in enumerate(tier_code) if parent[i] >= 0 or root[code])

    def edges(self) -> tuple[tuple[AccountId, AccountId], ...]:
        """Every active ``(parent, child)`` pair on this day."""
        ep = self._epoch
        ids = self._enc.ids
        out: list[tuple[AccountId, AccountId]] = []
        for c, p in enumerate(ep.parent):
            if p < 0:
                continue
            for q in ep.extra_parents.get(c, (p,)):
                out.append((ids[q], ids[c]))
        return tuple(out)

