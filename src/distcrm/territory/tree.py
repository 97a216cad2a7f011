"""The territory tree: zone → region → state → district → town, effective-dated.

A :class:`TerritoryTree` holds versions of territory nodes (each with a
validity) and placements of accounts in territories (also with a validity).
The level names and the depth are configurable; a child's level must be
below its parent's. Every query takes an explicit ``on`` date, so the tree
as it stood on any past day can be read back: re-parenting a territory or
moving an account closes the old version and opens a new one.

Examples:
    >>> from datetime import date
    >>> tree = TerritoryTree.from_rows([
    ...     ("WEST", None, "zone"), ("MH", "WEST", "state"),
    ...     ("PUNE", "MH", "district"), ("BARAMATI", "PUNE", "town")])
    >>> tree.path("BARAMATI", date(2025, 6, 1))
    ('WEST', 'MH', 'PUNE', 'BARAMATI')
    >>> tree = tree.place("R1", "BARAMATI", date(2025, 4, 1))
    >>> tree.accounts_in("MH", date(2025, 6, 1))
    ('R1',)
    >>> tree.accounts_in("MH", date(2025, 3, 1))
    ()
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from itertools import pairwise
from typing import Any, Protocol, TypeVar

import attrs

from distcrm.errors import NotFound, Problem
from distcrm.parties import Account, AccountId, as_account_id
from distcrm.periods import Validity
from distcrm.territory.errors import TerritoryTreeError

__all__ = [
    "DEFAULT_LEVELS",
    "Placement",
    "TerritoryNode",
    "TerritoryTree",
]


class _Addable(Protocol):
    def __add__(self, other: Any, /) -> Any: ...


V = TypeVar("V", bound=_Addable)

DEFAULT_LEVELS: tuple[str, ...] = ("zone", "region", "state", "district", "town")
"""The usual Indian sales geography, top level first."""


@attrs.frozen
class TerritoryNode:
    """One version of a territory: its level and parent during ``validity``.

    Attributes:
        id: territory id, e.g. ``"PUNE"``.
        level: one of the tree's level names, e.g. ``"district"``.
        parent: the parent territory id, ``None`` for a top node.
        name: a readable name (defaults to the id).
        validity: when this version holds.
    """

    id: str
    level: str
    parent: str | None = None
    name: str = ""
    validity: Validity = attrs.field(factory=Validity.always)

    @property
    def label(self) -> str:
        """The name, or the id when no name was given."""
        return self.name or self.id


@attrs.frozen
class Placement:
    """Account ``account`` sits in territory ``territory`` during ``validity``."""

    account: AccountId = attrs.field(converter=as_account_id)
    territory: str
    validity: Validity = attrs.field(factory=Validity.always)


def _overlapping(validities: Sequence[Validity]) -> tuple[Validity, Validity] | None:
    ordered = sorted(validities)
    for a, b in pairwise(ordered):
        if a.overlaps(b):
            return a, b
    return None


def _covers(spans: Sequence[Validity], target: Validity) -> bool:
    """True when the union of ``spans`` covers every day of ``target``."""
    cursor = target.start
    for span in sorted(spans):
        if span.start > cursor:
            return False
        if span.end is None:
            return True
        if span.end > cursor:
            cursor = span.end
        if target.end is not None and cursor >= target.end:
            return True
    return False


def _node_tuple(values: Iterable[TerritoryNode]) -> tuple[TerritoryNode, ...]:
    return tuple(values)


def _placement_tuple(values: Iterable[Placement]) -> tuple[Placement, ...]:
    return tuple(values)


def _str_tuple(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(values)


@attrs.frozen
class TerritoryTree:
    """Effective-dated territory nodes and account placements.

    Build with :meth:`from_rows` or by passing node versions; change with
    :meth:`place`, :meth:`move` and :meth:`with_nodes`, which return new trees.

    Attributes:
        nodes: every version of every territory.
        placements: every placement of every account.
        levels: level names, top first (depth is ``len(levels)``).

    Raises:
        TerritoryTreeError: unknown level or parent, a child not below its
            parent, a parent missing while its child is active, overlapping
            versions of one territory or placements of one account.
    """

    nodes: tuple[TerritoryNode, ...] = attrs.field(converter=_node_tuple)
    placements: tuple[Placement, ...] = attrs.field(default=(), converter=_placement_tuple)
    levels: tuple[str, ...] = attrs.field(default=DEFAULT_LEVELS, converter=_str_tuple)
    _versions: dict[str, tuple[TerritoryNode, ...]] = attrs.field(init=False, repr=False, eq=False)
    _children: dict[str, tuple[TerritoryNode, ...]] = attrs.field(init=False, repr=False, eq=False)
    _placed: dict[str, tuple[Placement, ...]] = attrs.field(init=False, repr=False, eq=False)
    _residents: dict[str, tuple[Placement, ...]] = attrs.field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        problems: list[Problem] = []
        if not self.levels or len(set(self.levels)) != len(self.levels):
            problems.append(
                Problem("territory tree.levels", "must be distinct names, at least one")
            )
        rank = {name: i for i, name in enumerate(self.levels)}
        versions: dict[str, list[TerritoryNode]] = defaultdict(list)
        for node in self.nodes:
            versions[node.id].append(node)
        for i, node in enumerate(self.nodes):
            where = f"territory {node.id!r}"
            if node.level not in rank:
                problems.append(
                    Problem(f"{where}.level", f"{node.level!r} is not one of {self.levels}")
                )
                continue
            if node.parent is None:
                continue
            parents = versions.get(node.parent)
            if not parents:
                problems.append(Problem(f"{where}.parent", f"unknown territory {node.parent!r}"))
                continue
            for parent in parents:
                if parent.level in rank and rank[parent.level] >= rank[node.level]:
                    problems.append(
                        Problem(
                            f"{where}.parent",
                            f"{node.parent!r} ({parent.level}) is not above {node.level!r}",
                        )
                    )
                    break
            if not _covers([p.validity for p in parents], node.validity):
                problems.append(
                    Problem(
                        f"{where}.parent",
                        f"{node.parent!r} does not exist for all of {node.validity} (nodes[{i}])",
                    )
                )
        for tid, vs in versions.items():
            clash = _overlapping([v.validity for v in vs])
            if clash:
                problems.append(
                    Problem(
                        f"territory {tid!r}.validity", f"versions {clash[0]} and {clash[1]} overlap"
                    )
                )
        placed: dict[str, list[Placement]] = defaultdict(list)
        residents: dict[str, list[Placement]] = defaultdict(list)
        for i, pl in enumerate(self.placements):
            if pl.territory not in versions:
                problems.append(
                    Problem(
                        f"account {pl.account!r}.territory",
                        f"unknown territory {pl.territory!r} (placements[{i}])",
                    )
                )
            placed[pl.account].append(pl)
            residents[pl.territory].append(pl)
        for acc, pls in placed.items():
            clash = _overlapping([p.validity for p in pls])
            if clash:
                problems.append(
                    Problem(
                        f"account {acc!r}.territory",
                        f"placements {clash[0]} and {clash[1]} overlap",
                    )
                )
        if problems:
            raise TerritoryTreeError(problems)
        children: dict[str, list[TerritoryNode]] = defaultdict(list)
        for node in self.nodes:
            if node.parent is not None:
                children[node.parent].append(node)
        object.__setattr__(
            self,
            "_versions",
            {k: tuple(sorted(v, key=lambda n: n.validity)) for k, v in versions.items()},
        )
        object.__setattr__(
            self,
            "_children",
            {k: tuple(sorted(v, key=lambda n: n.id)) for k, v in children.items()},
        )
        object.__setattr__(
            self,
            "_placed",
            {k: tuple(sorted(v, key=lambda p: p.validity)) for k, v in placed.items()},
        )
        object.__setattr__(
            self,
            "_residents",
            {k: tuple(sorted(v, key=lambda p: p.account)) for k, v in residents.items()},
        )

    @classmethod
    def from_rows(
        cls,
        rows: Iterable[tuple[str, str | None, str]],
        *,
        levels: Sequence[str] = DEFAULT_LEVELS,
        validity: Validity | None = None,
    ) -> TerritoryTree:
        """A tree from ``(territory id, parent id, level)`` rows, all valid for ``validity``.

        Examples:
            >>> from datetime import date
            >>> t = TerritoryTree.from_rows([("N", None, "zone"), ("DL", "N", "state")])
            >>> t.children("N", date(2025, 1, 1))
            ('DL',)
        """
        span = validity or Validity.always()
        return cls(
            tuple(TerritoryNode(tid, level, parent, validity=span) for tid, parent, level in rows),
            (),
            tuple(levels),
        )

    # -- reading -------------------------------------------------------------------------

    def __contains__(self, territory: object) -> bool:
        return territory in self._versions

    def ids(self) -> tuple[str, ...]:
        """Every territory id ever declared, sorted."""
        return tuple(sorted(self._versions))

    def find(self, territory: str, on: date) -> TerritoryNode | None:
        """The version of ``territory`` in force on ``on``, or ``None``."""
        for node in self._versions.get(territory, ()):
            if node.validity.contains(on):
                return node
        return None

    def node(self, territory: str, on: date) -> TerritoryNode:
        """The version of ``territory`` in force on ``on``; raises :class:`NotFound`."""
        node = self.find(territory, on)
        if node is None:
            raise NotFound(f"territory {territory!r}: does not exist on {on.isoformat()}")
        return node

    def history(self, territory: str) -> tuple[TerritoryNode, ...]:
        """Every version of ``territory``, oldest first."""
        return self._versions.get(territory, ())

    def parent(self, territory: str, on: date) -> str | None:
        """The parent of ``territory`` on ``on`` (``None`` for a top node)."""
        return self.node(territory, on).parent

    def children(self, territory: str, on: date) -> tuple[str, ...]:
        """Direct children of ``territory`` on ``on``, sorted by id."""
        return tuple(n.id for n in self._children.get(territory, ()) if n.validity.contains(on))

    def ancestors(self, territory: str, on: date) -> tuple[str, ...]:
        """Ancestors of ``territory`` on ``on``, nearest first."""
        out: list[str] = []
        current = self.parent(territory, on)
        while current is not None:
            out.append(current)
            current = self.parent(current, on)
        return tuple(out)

    def path(self, territory: str, on: date) -> tuple[str, ...]:
        """From the top node down to ``territory`` (inclusive) on ``on``."""
        return (*reversed(self.ancestors(territory, on)), territory)

    def descendants(self, territory: str, on: date) -> tuple[str, ...]:
        """Every territory below ``territory`` on ``on``, depth first, children sorted."""
        self.node(territory, on)
        out: list[str] = []
        stack = list(reversed(self.children(territory, on)))
        while stack:
            current = stack.pop()
            out.append(current)
            stack.extend(reversed(self.children(current, on)))
        return tuple(out)

    def subtree(self, territory: str, on: date) -> tuple[str, ...]:
        """``territory`` followed by its descendants on ``on``."""
        return (territory, *self.descendants(territory, on))

    def roots(self, on: date) -> tuple[str, ...]:
        """Territories without a parent on ``on``, sorted."""
        return tuple(
            tid for tid in sorted(self._versions) if (n := self.find(tid, on)) and n.parent is None
        )

    def at_level(self, level: str, on: date) -> tuple[str, ...]:
        """Territories of ``level`` on ``on``, sorted."""
        if level not in self.levels:
            raise TerritoryTreeError(
                f"territory tree.levels: {level!r} is not one of {self.levels}"
            )
        return tuple(
            tid
            for tid in sorted(self._versions)
            if (n := self.find(tid, on)) is not None and n.level == level
        )

    def territory_of(self, account: str, on: date) -> str | None:
        """The territory ``account`` is placed in on ``on``, or ``None``."""
        for pl in self._placed.get(account, ()):
            if pl.validity.contains(on):
                return pl.territory
        return None

    def placements_of(self, account: str) -> tuple[Placement, ...]:
        """Every placement of ``account``, oldest first (its territory history)."""
        return self._placed.get(account, ())

    def accounts_in(self, territory: str, on: date, *, deep: bool = True) -> tuple[AccountId, ...]:
        """Accounts placed in ``territory`` (and, when ``deep``, below it) on ``on``, sorted."""
        scope = self.subtree(territory, on) if deep else (territory,)
        found = {
            pl.account
            for tid in scope
            for pl in self._residents.get(tid, ())
            if pl.validity.contains(on)
        }
        return tuple(sorted(found))

    def roll_up(self, values: Mapping[str, V], on: date, *, zero: V) -> dict[str, V]:
        """Sum a measure per account up to every territory containing it on ``on``.

        Accounts not placed on ``on`` are left out. Every territory in force on
        ``on`` gets a total (``zero`` when nothing sits below it).

        Examples:
            >>> from datetime import date
            >>> from decimal import Decimal
            >>> t = TerritoryTree.from_rows([("MH", None, "state"), ("PUNE", "MH", "district"),
            ...                              ("NAGPUR", "MH", "district")])
            >>> t = t.place("R1", "PUNE", date(2025, 1, 1)).place("R2", "NAGPUR", date(2025, 1, 1))
            >>> t.roll_up({"R1": Decimal("120.50"), "R2": Decimal("80")}, date(2025, 6, 1),
            ...           zero=Decimal(0))
            {'MH': Decimal('200.50'), 'NAGPUR': Decimal('80'), 'PUNE': Decimal('120.50')}
        """
        totals: dict[str, V] = {
            tid: zero for tid in sorted(self._versions) if self.find(tid, on) is not None
        }
        paths: dict[str, tuple[str, ...]] = {}
        for account, value in values.items():
            territory = self.territory_of(account, on)
            if territory is None or territory not in totals:
                continue
            path = paths.get(territory)
            if path is None:
                path = paths[territory] = self.path(territory, on)
            for tid in path:
                totals[tid] = totals[tid] + value
        return totals

    # -- changing ------------------------------------------------------------------------

    def place(self, account: str, territory: str, on: date) -> TerritoryTree:
        """A new tree where ``account`` sits in ``territory`` from ``on``.

        The account's current open placement (if any) is closed at ``on``;
        a placement starting on or after ``on`` is refused (edit history explicitly).
        """
        return attrs.evolve(self, placements=self._reopened(account, territory, on))

    def place_accounts(self, accounts: Iterable[Account], on: date) -> TerritoryTree:
        """A new tree with every account that names a ``territory`` placed there from ``on``."""
        tree = self
        for acc in accounts:
            if acc.territory is not None:
                tree = tree.place(acc.id, acc.territory, on)
        return tree

    def _reopened(self, account: str, territory: str, on: date) -> tuple[Placement, ...]:
        kept: list[Placement] = []
        for pl in self.placements:
            if pl.account != account or (pl.validity.end is not None and pl.validity.end <= on):
                kept.append(pl)
                continue
            if pl.validity.start >= on:
                raise TerritoryTreeError(
                    f"account {account!r}.territory: placement {pl.validity} starts on or after "
                    f"{on.isoformat()}"
                )
            kept.append(attrs.evolve(pl, validity=pl.validity.closed_at(on)))
        kept.append(Placement(account, territory, Validity(on)))
        return tuple(kept)

    def move(self, territory: str, new_parent: str | None, on: date) -> TerritoryTree:
        """A new tree where ``territory`` hangs under ``new_parent`` from ``on``.

        The version in force on ``on`` is closed and a new one opened; history stays.

        Examples:
            >>> from datetime import date
            >>> t = TerritoryTree.from_rows([("W", None, "zone"), ("S", None, "zone"),
            ...                              ("GOA", "W", "state")])
            >>> t2 = t.move("GOA", "S", date(2025, 7, 1))
            >>> t2.parent("GOA", date(2025, 6, 30)), t2.parent("GOA", date(2025, 7, 1))
            ('W', 'S')
        """
        current = self.node(territory, on)
        if current.validity.start >= on:
            raise TerritoryTreeError(
                f"territory {territory!r}.validity: version {current.validity} starts on "
                f"{on.isoformat()}; edit it instead of moving it"
            )
        closed = attrs.evolve(current, validity=current.validity.closed_at(on))
        opened = attrs.evolve(
            current, parent=new_parent, validity=Validity(on, current.validity.end)
        )
        nodes = (*(closed if n is current else n for n in self.nodes), opened)
        return attrs.evolve(self, nodes=nodes)

    def with_nodes(self, nodes: Iterable[TerritoryNode]) -> TerritoryTree:
        """A new tree with ``nodes`` added."""
        return attrs.evolve(self, nodes=(*self.nodes, *nodes))
