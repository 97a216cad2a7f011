"""Reassignment when a rep leaves: move every account, territory and beat on a date.

:func:`reassign` is pure: it returns a new :class:`AssignmentBook` and new
beat versions, never touching the inputs. Each assignment or beat version of
the leaving rep that is in force on the date is *closed* the day before and
re-opened for a successor from the date (same end), so history stays
queryable; one that starts on or after the date is handed over whole.
Assignments that ended before the date are left as they are.

With several successors the work is spread by load: beats first (heaviest
first, load = number of outlets), then accounts not on a moved beat, then
territories, each to the successor with the least load so far (ties to the
earlier successor). An account on one of the leaving rep's beats follows the
beat. ``overrides`` pins any item (``"beat:B1"``, ``"account:R7"``,
``"territory:PUNE"``) to a named rep.

Examples:
    >>> from datetime import date
    >>> from distcrm.periods import Validity
    >>> book = AssignmentBook([Assignment("REP1", "account", "D1", Validity(date(2025, 1, 1))),
    ...                        Assignment("REP1", "account", "D2", Validity(date(2025, 1, 1)))])
    >>> r = reassign(book, [], "REP1", date(2025, 7, 1), ["REP2", "REP3"])
    >>> [str(m) for m in r.moves]
    ['account D1: REP1 -> REP2 from 2025-07-01', 'account D2: REP1 -> REP3 from 2025-07-01']
    >>> [(a.rep, str(a.validity)) for a in r.book.history("account", "D1")]
    [('REP1', '[2025-01-01, 2025-07-01)'), ('REP2', '[2025-07-01, …)')]
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Literal, TypeAlias

import attrs

from distcrm.errors import Problem
from distcrm.findings import Trace
from distcrm.periods import Validity
from distcrm.territory.assignments import Assignment, AssignmentBook
from distcrm.territory.beats import Beat
from distcrm.territory.errors import ReassignmentError
from distcrm.visits import RepId, as_rep_id

__all__ = [
    "Move",
    "MoveKind",
    "Reassignment",
    "reassign",
]

MoveKind: TypeAlias = Literal["account", "territory", "beat"]


@attrs.frozen
class Move:
    """One item handed from ``from_rep`` to ``to_rep`` from ``on``."""

    kind: MoveKind
    subject: str
    from_rep: RepId
    to_rep: RepId
    on: date
    note: str = ""

    def __str__(self) -> str:
        note = f" ({self.note})" if self.note else ""
        return (
            f"{self.kind} {self.subject}: {self.from_rep} -> {self.to_rep} "
            f"from {self.on.isoformat()}{note}"
        )


@attrs.frozen
class Reassignment:
    """The result of :func:`reassign`: new book and beats, what moved, and why."""

    leaving: RepId
    on: date
    book: AssignmentBook
    beats: tuple[Beat, ...]
    moves: tuple[Move, ...]
    trace: Trace

    def moved_to(self, rep: str) -> tuple[Move, ...]:
        """The moves received by ``rep``."""
        return tuple(m for m in self.moves if m.to_rep == rep)


def _split(validity: Validity, on: date) -> tuple[Validity | None, Validity]:
    """(closed old part or None, the part from ``on``) of a validity in force on or after ``on``."""
    if validity.start >= on:
        return None, validity
    return validity.closed_at(on), Validity(on, validity.end)


def reassign(
    book: AssignmentBook,
    beats: Iterable[Beat],
    leaving: str,
    on: date,
    successors: Sequence[str],
    *,
    overrides: Mapping[str, str] | None = None,
) -> Reassignment:
    """Hand everything ``leaving`` holds on or after ``on`` to ``successors``.

    Args:
        book: current assignments.
        beats: every beat version (versions of other reps pass through unchanged).
        leaving: the rep who leaves.
        on: first day the successors take over.
        successors: reps taking over, in order of preference for ties.
        overrides: ``"kind:subject"`` -> rep, pinning chosen items to a rep.

    Raises:
        ReassignmentError: no successor, the leaving rep among the successors,
            or an override naming an item the leaving rep does not hold.
        AssignmentConflict: a successor would hold an account already held by
            another rep (nothing is changed).
    """
    leaving_id = as_rep_id(leaving)
    succ = [as_rep_id(s) for s in successors]
    pins = {k: as_rep_id(v) for k, v in (overrides or {}).items()}
    problems: list[Problem] = []
    if not succ:
        problems.append(Problem("successors", f"rep {leaving!r} leaves but no successor is given"))
    if leaving_id in succ:
        problems.append(Problem("successors", f"rep {leaving!r} is the leaving rep"))
    if len(set(succ)) != len(succ):
        problems.append(Problem("successors", "a rep is listed twice"))
    if leaving_id in pins.values():
        problems.append(Problem("overrides", f"rep {leaving!r} is the leaving rep"))
    beats = tuple(beats)

    def live(v: Validity) -> bool:
        return v.end is None or v.end > on

    held_beats = sorted(
        (b for b in beats if b.rep == leaving_id and live(b.validity)),
        key=lambda b: (b.id, b.validity.start),
    )
    held = [a for a in book.of_rep(leaving_id) if live(a.validity)]
    keys = {f"beat:{b.id}" for b in held_beats} | {a.key for a in held}
    for key in sorted(pins):
        if key not in keys:
            problems.append(
                Problem(f"overrides[{key!r}]", f"rep {leaving!r} holds no such item on {on}")
            )
    if problems:
        raise ReassignmentError(problems)

    trace = Trace.of(f"reassignment of rep {leaving} from {on.isoformat()}")
    load = dict.fromkeys(succ, 0)
    chosen: dict[str, RepId] = {}

    def pick(key: str, weight: int, why: str) -> RepId:
        nonlocal trace
        if key in chosen:
            return chosen[key]
        if key in pins:
            rep = pins[key]
            trace = trace.add(key, "applied", f"to {rep}: pinned by override")
        else:
            rep = min(succ, key=lambda s: (load[s], succ.index(s)))
            trace = trace.add(key, "applied", f"to {rep}: {why}, load {load[rep]} before")
        if rep in load:
            load[rep] += weight
        chosen[key] = rep
        return rep

    # beats first, heaviest first, so that accounts follow their beat
    by_weight = sorted(
        {b.id: b for b in held_beats}.values(), key=lambda b: (-len(b.outlets), b.id)
    )
    follow: dict[str, RepId] = {}
    for b in by_weight:
        rep = pick(f"beat:{b.id}", len(b.outlets), f"{len(b.outlets)} outlet(s)")
        for outlet in b.outlets:
            follow.setdefault(outlet, rep)
    for a in sorted(held, key=lambda a: (a.kind, a.target)):
        if a.key in chosen:
            continue
        if a.kind == "account" and a.target in follow and a.key not in pins:
            chosen[a.key] = follow[a.target]
            trace = trace.add(a.key, "applied", f"to {follow[a.target]}: follows its beat")
            continue
        pick(a.key, 1, a.kind)

    moves: list[Move] = []
    new_assignments: list[Assignment] = []
    held_ids = {id(a) for a in held}
    for a in book.assignments:
        if id(a) not in held_ids:
            new_assignments.append(a)
            continue
        rep = chosen[a.key]
        old, new = _split(a.validity, on)
        if old is not None:
            new_assignments.append(attrs.evolve(a, validity=old))
        if any(x.rep == rep and x.validity.overlaps(new) for x in book.history(a.kind, a.target)):
            moves.append(Move(a.kind, a.target, leaving_id, rep, new.start, "already held"))
            continue
        new_assignments.append(attrs.evolve(a, rep=rep, validity=new))
        moves.append(Move(a.kind, a.target, leaving_id, rep, new.start))
    held_beat_ids = {id(b) for b in held_beats}
    new_beats: list[Beat] = []
    for b in beats:
        if id(b) not in held_beat_ids:
            new_beats.append(b)
            continue
        rep = chosen[f"beat:{b.id}"]
        old, new = _split(b.validity, on)
        if old is not None:
            new_beats.append(attrs.evolve(b, validity=old))
        new_beats.append(attrs.evolve(b, rep=rep, validity=new))
        moves.append(Move("beat", b.id, leaving_id, rep, new.start))
    new_book = attrs.evolve(book, assignments=tuple(new_assignments))
    moves.sort(key=lambda m: (m.kind != "beat", m.kind, m.subject, m.on))
    return Reassignment(leaving_id, on, new_book, tuple(new_beats), tuple(moves), trace)
