"""Journey plans: dated planned visits from beats, cadences and a working calendar.

:func:`journey_plan` walks every beat version in force during the period;
each outlet's class picks a :class:`~distcrm.territory.cadence.Cadence`, whose
rule gives the outlet's visit days among the beat's days. Days that are not
working days follow the holiday policy (skip, or move to the next / previous
working day, at most 14 days). An outlet is never planned twice on one day:
when two visits collide (the outlet sits on two beats, or a moved visit lands
on a day it is already planned) the visit originally planned for that day is
kept (else the one on the beat with the smaller id) and the other is dropped
with an ``info`` finding ``duplicate_visit_dropped``. Visits the policy drops
(a holiday under ``"skip"``, or no working day within reach) are summed per
beat and day in an ``info`` finding ``beat_day_dropped``.

Visits are generated over the period widened by 14 days on each side and then
kept when their final day falls inside the period, so a visit moved across a
period boundary appears in exactly one of two consecutive plans.

Examples:
    >>> from datetime import date
    >>> from distcrm.periods import Period
    >>> beat = Beat("B1", "D1", "REP1", ["MO"], ["R1", "R2", "R3"])
    >>> plan = journey_plan([beat], Period.containing(date(2025, 6, 1), "month"),
    ...                     WorkCalendar(holidays=[date(2025, 6, 16)]),
    ...                     classes={"R1": "A", "R2": "B", "R3": "C"}, policy="next_working_day")
    >>> for v in plan.visits:
    ...     print(v.on, v.account, v.moved_from or "")
    2025-06-02 R1
    2025-06-02 R2
    2025-06-02 R3
    2025-06-09 R1
    2025-06-17 R1 2025-06-16
    2025-06-17 R2 2025-06-16
    2025-06-23 R1
    2025-06-30 R1
    2025-06-30 R2
    >>> plan.counts()["R1"], plan.counts()["R2"], plan.counts()["R3"]
    (5, 3, 1)
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from operator import attrgetter

import attrs

from distcrm.findings import Finding, Trace, TraceStep
from distcrm.parties import Account, AccountId
from distcrm.periods import Period, Validity
from distcrm.territory.beats import WEEKDAY_NAMES, Beat
from distcrm.territory.cadence import DEFAULT_CADENCES, Cadence
from distcrm.territory.errors import CadenceError
from distcrm.territory.workdays import MAX_SHIFT_DAYS, HolidayPolicy, WorkCalendar
from distcrm.visits import RepId

__all__ = [
    "JourneyPlan",
    "PlannedVisit",
    "classes_of",
    "journey_plan",
]


@attrs.frozen
class PlannedVisit:
    """One planned call: rep ``rep`` visits ``account`` on ``on`` as stop ``stop`` of ``beat``.

    ``moved_from`` is the original day when the holiday policy moved the visit.
    """

    on: date
    account: AccountId
    beat: str
    rep: RepId
    stop: int
    moved_from: date | None = None


@attrs.frozen
class JourneyPlan:
    """Planned visits sorted by day, rep, beat and stop, plus findings and a trace."""

    period: Validity
    visits: tuple[PlannedVisit, ...]
    findings: tuple[Finding, ...] = ()
    trace: Trace = attrs.field(factory=lambda: Trace.of("journey plan"))

    def __len__(self) -> int:
        return len(self.visits)

    def counts(self) -> Counter[str]:
        """Planned visits per outlet."""
        return Counter(str(v.account) for v in self.visits)

    def outlets(self) -> frozenset[AccountId]:
        """Every outlet with at least one planned visit."""
        return frozenset(v.account for v in self.visits)

    def for_rep(self, rep: str) -> tuple[PlannedVisit, ...]:
        """The visits of ``rep``."""
        return tuple(v for v in self.visits if v.rep == rep)

    def on_day(self, on: date) -> tuple[PlannedVisit, ...]:
        """The visits planned for ``on``."""
        return tuple(v for v in self.visits if v.on == on)


def classes_of(accounts: Iterable[Account]) -> dict[AccountId, str]:
    """Outlet class (``A``/``B``/``C``) per account, for accounts that have one.

    Examples:
        >>> classes_of([Account("R1", "Shop", "retailer", account_class="B"),
        ...             Account("R2", "Kiosk", "retailer")])
        {'R1': 'B'}
    """
    return {a.id: a.account_class for a in accounts if a.account_class is not None}


def _window(period: Period | Validity) -> Validity:
    window = period.validity if isinstance(period, Period) else period
    if window.end is None:
        raise CadenceError(f"period: {window} must have an end to plan journeys")
    return window


def journey_plan(
    beats: Iterable[Beat],
    period: Period | Validity,
    calendar: WorkCalendar,
    *,
    classes: Mapping[str, str] | None = None,
    cadences: Mapping[str, Cadence] = DEFAULT_CADENCES,
    default: Cadence | None = None,
    policy: HolidayPolicy = "skip",
) -> JourneyPlan:
    """Dated planned visits for ``beats`` over ``period``.

    Args:
        beats: beat versions (several versions of one beat id may be given;
            each plans the days inside its own validity).
        period: the planning period (a :class:`Period` or a closed :class:`Validity`).
        calendar: working weekdays and holidays.
        classes: outlet class per outlet id (see :func:`classes_of`); ``None``
            when no class is known (every outlet then takes ``default``).
        cadences: cadence per outlet class (default A weekly, B fortnightly, C monthly).
        default: cadence for outlets whose class has none; when ``None`` such
            outlets are left out with an ``outlet_without_cadence`` finding.
        policy: what to do with visits on non-working days.

    Raises:
        CadenceError: a beat runs on a weekday the calendar never works, or a
            cadence needs more days than its beat offers (names cadence and beat).
    """
    window = _window(period)
    assert window.end is not None
    if classes is None:
        classes = {}
    lo = window.start - timedelta(days=MAX_SHIFT_DAYS)
    hi = window.end + timedelta(days=MAX_SHIFT_DAYS)
    beats = sorted(beats, key=lambda b: (b.id, b.validity.start))
    steps: list[TraceStep] = []
    findings: list[Finding] = []
    # (weekdays, cadence id, phase) -> [(final day, moved_from)] whose final day is in the window
    cache: dict[tuple[frozenset[int], int, int], list[tuple[date, date, date | None]]] = {}
    # same key -> days in the window that the policy drops (holiday skipped, nowhere to move)
    lost: dict[tuple[frozenset[int], int, int], list[date]] = {}
    dropped_on: dict[tuple[str, date], int] = defaultdict(int)
    # same key -> True when no two of its visits share a final day
    distinct: dict[tuple[frozenset[int], int, int], bool] = {}
    # (weekdays, cadence id) -> number of phases (the cadence was checked against the beat)
    fitted: dict[tuple[frozenset[int], int], int] = {}
    shift_cache: dict[date, date | None] = {}
    cadence_of: dict[str | None, Cadence | None] = {}
    no_cadence: set[AccountId] = set()
    # (account, day) -> index into rows; rows hold candidate visits
    taken: dict[tuple[str, date], int] = {}
    rows: list[PlannedVisit] = []
    w_start, w_end = window.start, window.end
    # how many beat versions list each outlet: an outlet on one beat cannot collide elsewhere
    alone = Counter(o for b in beats for o in b.outlets)
    for beat in beats:
        span = beat.validity.intersection(Validity(lo, hi))
        if span is None:
            continue
        whole = span.start == lo and span.end == hi
        s_start, s_end = span.start, span.end or hi
        weekdays = beat.weekdays
        for d in sorted(weekdays):
            if d not in calendar.working_weekdays:
                raise CadenceError(
                    f"beat {beat.id!r}.weekdays: {WEEKDAY_NAMES[d]} is not a working weekday "
                    f"of the calendar ({calendar.weekday_names})"
                )
        rank: dict[int, int] = defaultdict(int)
        planned = 0
        beat_id, rep = beat.id, beat.rep
        for stop, outlet in enumerate(beat.outlets, start=1):
            cls = classes.get(outlet)
            if cls in cadence_of:
                cadence = cadence_of[cls]
            else:
                found = cadences.get(cls) if cls is not None else None
                cadence = cadence_of[cls] = found if found is not None else default
            if cadence is None:
                no_cadence.add(outlet)
                continue
            cid = id(cadence)
            phases = fitted.get((weekdays, cid))
            if phases is None:
                cadence.check(weekdays, beat=beat_id)
                phases = fitted[(weekdays, cid)] = cadence.phases(weekdays)
            phase = rank[cid]
            rank[cid] = phase + 1
            key = (weekdays, cid, phase % phases)
            days = cache.get(key)
            if days is None:
                days = []
                gone: list[date] = []
                for raw in cadence.dates(weekdays, key[2], lo, hi):
                    if raw in shift_cache:
                        final = shift_cache[raw]
                    else:
                        final = shift_cache[raw] = calendar.shift(raw, policy)
                    if final is None:
                        if w_start <= raw < w_end:
                            gone.append(raw)
                    elif w_start <= final < w_end:
                        days.append((final, raw, None if final == raw else raw))
                cache[key] = days
                lost[key] = gone
                distinct[key] = len({f for f, _, _ in days}) == len(days)
            for raw in lost[key]:
                if whole or s_start <= raw < s_end:
                    dropped_on[(beat_id, raw)] += 1
            if alone[outlet] == 1 and distinct[key]:
                # on one beat only and never two visits on one day: no collision possible
                for final, raw, moved in days:
                    if whole or s_start <= raw < s_end:
                        rows.append(PlannedVisit(final, outlet, beat_id, rep, stop, moved))
                        planned += 1
                continue
            for final, raw, moved in days:
                if not whole and not s_start <= raw < s_end:
                    continue
                visit = PlannedVisit(final, outlet, beat_id, rep, stop, moved)
                slot = (outlet, final)
                prior = taken.get(slot)
                if prior is None:
                    taken[slot] = len(rows)
                    rows.append(visit)
                    planned += 1
                    continue
                kept = rows[prior]
                if kept.moved_from is not None and moved is None:
                    rows[prior] = visit
                    dropped = kept
                else:
                    dropped = visit
                findings.append(
                    Finding(
                        "duplicate_visit_dropped",
                        f"outlet {outlet!r} already planned on {final.isoformat()}; visit on "
                        f"beat {dropped.beat!r}"
                        + (f" moved from {dropped.moved_from}" if dropped.moved_from else "")
                        + " dropped",
                        subject=outlet,
                        severity="info",
                    )
                )
        steps.append(
            TraceStep(
                f"beat {beat.id} {beat.validity} ({beat.weekday_names}, rep {beat.rep})",
                "applied" if planned else "skipped",
                f"{planned} visit(s) for {len(beat.outlets)} outlet(s)",
            )
        )
    for (beat_id, raw), count in sorted(dropped_on.items()):
        why = (
            "not a working day"
            if policy == "skip"
            else f"no working day within {MAX_SHIFT_DAYS} days"
        )
        findings.append(
            Finding(
                "beat_day_dropped",
                f"beat {beat_id!r} on {raw.isoformat()}: {count} planned visit(s) dropped ({why})",
                subject=beat_id,
                severity="info",
            )
        )
    for outlet in sorted(no_cadence):
        findings.append(
            Finding(
                "outlet_without_cadence",
                f"outlet {outlet!r} has class {classes.get(outlet)!r} with no cadence; not planned",
                subject=outlet,
            )
        )
    visits = sorted(rows, key=attrgetter("on", "rep", "beat", "stop"))
    trace = Trace.of(f"journey plan {window}, holiday policy {policy}", steps)
    return JourneyPlan(window, tuple(visits), tuple(findings), trace)
