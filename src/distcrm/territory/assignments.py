"""Reps and their effective-dated assignments to territories and accounts.

An :class:`Assignment` says that a rep covers an account (or a whole
territory) during a validity interval. An :class:`AssignmentBook` holds all of
them, refuses overlaps that are not allowed (one account, two reps on the same
day) and answers "who covers this account on this day": a direct account
assignment wins; otherwise the rep of the account's territory, or of the
nearest ancestor territory that has one (region-based assignment).

Examples:
    >>> from datetime import date
    >>> from distcrm.periods import Validity
    >>> book = AssignmentBook([
    ...     Assignment("REP1", "account", "D1", Validity(date(2025, 4, 1))),
    ...     Assignment("REP2", "account", "D1", Validity(date(2025, 5, 1)))])
    Traceback (most recent call last):
    ...
    distcrm.territory.errors.AssignmentConflict: account 'D1': assigned to 'REP1' and 'REP2' on 2025-05-01
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from typing import Literal, TypeAlias

import attrs

from distcrm.errors import Problem
from distcrm.findings import Trace
from distcrm.parties import AccountId
from distcrm.periods import Validity
from distcrm.territory.errors import AssignmentConflict
from distcrm.territory.tree import TerritoryTree
from distcrm.visits import RepId, as_rep_id

__all__ = [
    "Assignment",
    "AssignmentBook",
    "AssignmentKind",
    "Rep",
    "RepResolution",
]

AssignmentKind: TypeAlias = Literal["account", "territory"]


@attrs.frozen
class Rep:
    """A field sales representative.

    Attributes:
        id: rep id.
        name: display name.
        employed: when the rep works for the principal (``end`` set when the rep leaves).
        home: the rep's base territory, if any.
    """

    id: RepId = attrs.field(converter=as_rep_id)
    name: str = ""
    employed: Validity = attrs.field(factory=Validity.always)
    home: str | None = None

    def employed_on(self, on: date) -> bool:
        """True when the rep works for the principal on ``on``."""
        return self.employed.contains(on)

    def leaves(self, on: date) -> Rep:
        """This rep with employment ending at ``on`` (``on`` is the first day away).

        Examples:
            >>> from datetime import date
            >>> ravi = Rep("RAVI", "Ravi", Validity(date(2024, 1, 1))).leaves(date(2025, 7, 1))
            >>> ravi.employed_on(date(2025, 6, 30)), ravi.employed_on(date(2025, 7, 1))
            (True, False)
        """
        return attrs.evolve(self, employed=self.employed.closed_at(on))


@attrs.frozen
class Assignment:
    """Rep ``rep`` covers ``target`` (an account or a territory) during ``validity``.

    Examples:
        >>> from datetime import date
        >>> a = Assignment("REP1", "territory", "PUNE", Validity(date(2025, 4, 1)))
        >>> a.key, a.active_on(date(2025, 4, 1))
        ('territory:PUNE', True)
    """

    rep: RepId = attrs.field(converter=as_rep_id)
    kind: AssignmentKind
    target: str
    validity: Validity = attrs.field(factory=Validity.always)

    def __attrs_post_init__(self) -> None:
        if self.kind not in ("account", "territory"):
            raise AssignmentConflict(
                f"assignment of {self.rep!r}.kind: {self.kind!r} is not 'account' or 'territory'"
            )
        if not self.rep or not self.target:
            raise AssignmentConflict(
                f"assignment {self.kind} {self.target!r}.rep/target: must be non-empty"
            )

    @property
    def key(self) -> str:
        """``kind:target``, the thing being covered."""
        return f"{self.kind}:{self.target}"

    def active_on(self, on: date) -> bool:
        """True when the assignment holds on ``on``."""
        return self.validity.contains(on)


@attrs.frozen
class RepResolution:
    """Who covers an account on a day, and how that was decided."""

    account: AccountId
    on: date
    reps: tuple[RepId, ...]
    via: str | None
    trace: Trace

    @property
    def rep(self) -> RepId | None:
        """The first covering rep, or ``None`` when nobody covers the account."""
        return self.reps[0] if self.reps else None


def _first_conflict(items: list[Assignment]) -> tuple[Assignment, Assignment, date] | None:
    ordered = sorted(items, key=lambda a: (a.validity.start, a.rep))
    open_: list[Assignment] = []
    for a in ordered:
        open_ = [o for o in open_ if o.validity.end is None or o.validity.end > a.validity.start]
        if open_:
            return open_[0], a, a.validity.start
        open_.append(a)
    return None


def _assignment_tuple(values: Iterable[Assignment]) -> tuple[Assignment, ...]:
    return tuple(values)


def _str_set(values: Iterable[str]) -> frozenset[str]:
    return frozenset(values)


@attrs.frozen
class AssignmentBook:
    """Every assignment of reps to accounts and territories, with their history.

    Attributes:
        assignments: the assignments, in any order.
        exclusive: when true (the default) an account or territory has at most
            one rep on any day; ``shared`` lists targets that may have several.
        shared: ``kind:target`` keys allowed to have several reps at once
            (e.g. ``"account:D1"`` for a key distributor covered by two reps).

    Raises:
        AssignmentConflict: overlapping assignments of one target, naming the
            target, both reps and the first day they overlap.
    """

    assignments: tuple[Assignment, ...] = attrs.field(default=(), converter=_assignment_tuple)
    exclusive: bool = True
    shared: frozenset[str] = attrs.field(default=frozenset(), converter=_str_set)
    _by_key: dict[str, tuple[Assignment, ...]] = attrs.field(init=False, repr=False, eq=False)
    _by_rep: dict[str, tuple[Assignment, ...]] = attrs.field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        by_key: dict[str, list[Assignment]] = defaultdict(list)
        by_rep: dict[str, list[Assignment]] = defaultdict(list)
        for a in self.assignments:
            by_key[a.key].append(a)
            by_rep[a.rep].append(a)
        problems: list[Problem] = []
        for key, items in sorted(by_key.items()):
            kind, target = key.split(":", 1)
            # the same rep twice over one day is always a mistake
            for rep in sorted({a.rep for a in items}):
                clash = _first_conflict([a for a in items if a.rep == rep])
                if clash:
                    problems.append(
                        Problem(
                            f"{kind} {target!r}",
                            f"assigned twice to {rep!r} on {clash[2].isoformat()}",
                        )
                    )
            if self.exclusive and key not in self.shared:
                clash = _first_conflict(items)
                if clash and clash[0].rep != clash[1].rep:
                    problems.append(
                        Problem(
                            f"{kind} {target!r}",
                            f"assigned to {clash[0].rep!r} and {clash[1].rep!r} on "
                            f"{clash[2].isoformat()}",
                        )
                    )
        if problems:
            raise AssignmentConflict(problems)
        order = lambda a: (a.validity.start, a.rep, a.key)  # noqa: E731
        object.__setattr__(
            self, "_by_key", {k: tuple(sorted(v, key=order)) for k, v in by_key.items()}
        )
        object.__setattr__(
            self, "_by_rep", {k: tuple(sorted(v, key=order)) for k, v in by_rep.items()}
        )

    def assign(
        self, rep: str, kind: AssignmentKind, target: str, on: date, end: date | None = None
    ) -> AssignmentBook:
        """A new book with ``rep`` covering ``target`` over ``[on, end)``.

        Examples:
            >>> from datetime import date
            >>> book = AssignmentBook().assign("REP1", "account", "R1", date(2025, 4, 1))
            >>> book.accounts_of("REP1", date(2025, 4, 1))
            ('R1',)
        """
        new = Assignment(rep, kind, target, Validity(on, end))
        return attrs.evolve(self, assignments=(*self.assignments, new))

    def end(self, rep: str, kind: AssignmentKind, target: str, on: date) -> AssignmentBook:
        """A new book where ``rep``'s assignment to ``target`` in force on ``on`` ends at ``on``.

        An assignment that starts on ``on`` itself is removed (it never took effect).
        """
        found = [
            a for a in self._by_key.get(f"{kind}:{target}", ()) if a.rep == rep and a.active_on(on)
        ]
        if not found:
            raise AssignmentConflict(
                f"{kind} {target!r}: {rep!r} holds no assignment on {on.isoformat()} to end"
            )
        old = found[0]
        replacement: tuple[Assignment, ...] = ()
        if old.validity.start < on:
            replacement = (attrs.evolve(old, validity=old.validity.closed_at(on)),)
        rest = tuple(a for a in self.assignments if a is not old)
        return attrs.evolve(self, assignments=rest + replacement)

    def history(self, kind: AssignmentKind, target: str) -> tuple[Assignment, ...]:
        """Every assignment ever made for ``target``, oldest first."""
        return self._by_key.get(f"{kind}:{target}", ())

    def of_rep(self, rep: str) -> tuple[Assignment, ...]:
        """Every assignment ever held by ``rep``, oldest first."""
        return self._by_rep.get(rep, ())

    def reps_on(self, kind: AssignmentKind, target: str, on: date) -> tuple[RepId, ...]:
        """Reps holding ``target`` on ``on`` (sorted)."""
        return tuple(sorted({a.rep for a in self.history(kind, target) if a.active_on(on)}))

    def accounts_of(self, rep: str, on: date) -> tuple[AccountId, ...]:
        """Accounts directly assigned to ``rep`` on ``on``, sorted."""
        return tuple(
            sorted(
                {
                    AccountId(a.target)
                    for a in self.of_rep(rep)
                    if a.kind == "account" and a.active_on(on)
                }
            )
        )

    def territories_of(self, rep: str, on: date) -> tuple[str, ...]:
        """Territories assigned to ``rep`` on ``on``, sorted."""
        return tuple(
            sorted(
                {a.target for a in self.of_rep(rep) if a.kind == "territory" and a.active_on(on)}
            )
        )

    def reps(self) -> tuple[RepId, ...]:
        """Every rep that ever held an assignment, sorted."""
        return tuple(sorted(RepId(r) for r in self._by_rep))

    def resolve(self, account: str, on: date, tree: TerritoryTree | None = None) -> RepResolution:
        """Who covers ``account`` on ``on``: a direct assignment, else the territory's rep.

        Walks from the account's territory up to the top of ``tree`` and stops at
        the first territory that has a rep.

        Examples:
            >>> from datetime import date
            >>> tree = TerritoryTree.from_rows([("MH", None, "state"), ("PUNE", "MH", "district")])
            >>> tree = tree.place("R9", "PUNE", date(2025, 1, 1))
            >>> book = AssignmentBook().assign("REP7", "territory", "MH", date(2025, 1, 1))
            >>> r = book.resolve("R9", date(2025, 6, 1), tree)
            >>> r.rep, r.via
            ('REP7', 'territory:MH')
        """
        trace = Trace.of(f"rep covering account {account!r} on {on.isoformat()}")
        direct = self.reps_on("account", account, on)
        if direct:
            trace = trace.add("account assignment", "applied", ", ".join(direct))
            return RepResolution(AccountId(account), on, direct, f"account:{account}", trace)
        trace = trace.add("account assignment", "rejected", "no rep assigned to the account")
        territory = tree.territory_of(account, on) if tree is not None else None
        if territory is None:
            trace = trace.add(
                "territory assignment", "skipped", "account not placed in a territory"
            )
            return RepResolution(AccountId(account), on, (), None, trace)
        assert tree is not None
        for tid in tree.path(territory, on)[::-1]:
            reps = self.reps_on("territory", tid, on)
            if reps:
                trace = trace.add(f"territory {tid}", "applied", ", ".join(reps))
                return RepResolution(AccountId(account), on, reps, f"territory:{tid}", trace)
            trace = trace.add(f"territory {tid}", "rejected", "no rep assigned")
        return RepResolution(AccountId(account), on, (), None, trace)
