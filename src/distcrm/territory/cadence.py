"""Visit cadences per outlet class, expressed as :mod:`dateutil.rrule` rules.

A :class:`Cadence` says how often an outlet on a beat is visited:

* ``Cadence("weekly", "weekly")`` — on every day the beat runs;
* ``Cadence("fortnightly", "weekly", interval=2)`` — on the beat's days of every other week;
* ``Cadence("monthly", "monthly")`` — on one beat day a month;
* ``times`` narrows a weekly cadence to that many of the beat's weekdays, or
  sets the number of visits a month for a monthly cadence.

Outlets of the same cadence on a beat get consecutive *phases* (their rank
among those outlets, in route order), so fortnightly outlets alternate
between odd and even weeks and monthly outlets spread over the month's beat
days: the daily load stays even. Week parity is counted from a fixed Monday
(:data:`WEEK_EPOCH`), so plans of consecutive periods join up.

Examples:
    >>> from datetime import date
    >>> fortnightly = DEFAULT_CADENCES["B"]
    >>> [d.isoformat() for d in fortnightly.dates(frozenset({0}), 0, date(2025, 6, 1), date(2025, 7, 1))]
    ['2025-06-02', '2025-06-16', '2025-06-30']
    >>> [d.isoformat() for d in fortnightly.dates(frozenset({0}), 1, date(2025, 6, 1), date(2025, 7, 1))]
    ['2025-06-09', '2025-06-23']
    >>> monthly = DEFAULT_CADENCES["C"]
    >>> [d.isoformat() for d in monthly.dates(frozenset({0}), 2, date(2025, 6, 1), date(2025, 7, 1))]
    ['2025-06-16']
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Literal, TypeAlias

import attrs
from dateutil.rrule import MONTHLY, WEEKLY, rrule, weekday

from distcrm.territory.errors import CadenceError

__all__ = [
    "DEFAULT_CADENCES",
    "MONTHLY_CADENCE",
    "WEEKLY_CADENCE",
    "WEEK_EPOCH",
    "Cadence",
    "CadenceFrequency",
]

CadenceFrequency: TypeAlias = Literal["weekly", "monthly"]

WEEK_EPOCH = date(2024, 1, 1)
"""A Monday; week parity for every-n-weeks cadences is counted from it."""

_RRULE_DAYS = tuple(weekday(i) for i in range(7))


@attrs.frozen
class Cadence:
    """How often an outlet is visited on its beat.

    Attributes:
        name: readable name (``"weekly"``, ``"fortnightly"``...).
        frequency: ``"weekly"`` (every ``interval`` weeks) or ``"monthly"``.
        interval: for weekly cadences, visit every ``interval``-th week.
        times: weekly: on how many of the beat's weekdays (``None`` = all);
            monthly: visits per month (``None`` = 1).
    """

    name: str
    frequency: CadenceFrequency = "weekly"
    interval: int = 1
    times: int | None = None

    def __attrs_post_init__(self) -> None:
        where = f"cadence {self.name!r}"
        if self.frequency not in ("weekly", "monthly"):
            raise CadenceError(f"{where}.frequency: {self.frequency!r} is not weekly or monthly")
        if (
            isinstance(self.interval, bool)
            or not isinstance(self.interval, int)
            or self.interval < 1
        ):
            raise CadenceError(f"{where}.interval: must be an int >= 1, got {self.interval!r}")
        if self.frequency == "monthly" and self.interval != 1:
            raise CadenceError(f"{where}.interval: monthly cadences use times, not interval")
        if self.times is not None and (
            isinstance(self.times, bool) or not isinstance(self.times, int) or self.times < 1
        ):
            raise CadenceError(f"{where}.times: must be an int >= 1 or None, got {self.times!r}")

    def phases(self, weekdays: frozenset[int]) -> int:
        """How many distinct phases outlets of this cadence can take on such a beat."""
        self.check(weekdays)
        if self.frequency == "weekly":
            per_week = len(weekdays) if self.times is None else self.times
            return self.interval * (len(weekdays) // per_week)
        return (4 * len(weekdays)) // (self.times or 1)

    def check(self, weekdays: frozenset[int], *, beat: str = "?") -> None:
        """Raise :class:`CadenceError` when the cadence cannot fit a beat run on ``weekdays``."""
        n = len(weekdays)
        if self.frequency == "weekly" and self.times is not None and self.times > n:
            raise CadenceError(
                f"cadence {self.name!r}.times: needs {self.times} visits a week but beat "
                f"{beat!r} runs on {n} weekday(s)"
            )
        if self.frequency == "monthly" and (self.times or 1) > 4 * n:
            raise CadenceError(
                f"cadence {self.name!r}.times: needs {self.times} visits a month but beat "
                f"{beat!r} is sure of only {4 * n} beat days a month"
            )

    def rule(self, weekdays: frozenset[int], phase: int, start: date) -> rrule:
        """The :class:`dateutil.rrule.rrule` of visit days for ``phase`` from ``start``'s week.

        The rule is unbounded; callers slice it (see :meth:`dates`).
        """
        days = sorted(weekdays)
        n = len(days)
        if self.frequency == "weekly":
            per_week = n if self.times is None else self.times
            spread = n // per_week
            offset = (phase // self.interval) % spread
            chosen = sorted({days[(offset + i * spread) % n] for i in range(per_week)})
            week_phase = phase % self.interval
            monday = start - timedelta(days=start.weekday())
            week = (monday - WEEK_EPOCH).days // 7
            monday += timedelta(weeks=(week_phase - week) % self.interval)
            return rrule(
                WEEKLY,
                interval=self.interval,
                byweekday=[_RRULE_DAYS[d] for d in chosen],
                dtstart=datetime.combine(monday, datetime.min.time()),
            )
        times = self.times or 1
        spacing = (4 * n) // times
        first = phase % spacing
        positions = [first + i * spacing + 1 for i in range(times)]
        month_start = date(start.year, start.month, 1)
        return rrule(
            MONTHLY,
            byweekday=[_RRULE_DAYS[d] for d in days],
            bysetpos=positions,
            dtstart=datetime.combine(month_start, datetime.min.time()),
        )

    def dates(self, weekdays: frozenset[int], phase: int, start: date, end: date) -> list[date]:
        """Visit days in ``[start, end)`` for an outlet of ``phase`` on a beat run on ``weekdays``."""
        self.check(weekdays)
        if end <= start:
            return []
        rule = self.rule(weekdays, phase, start)
        lo = datetime.combine(start, datetime.min.time())
        hi = datetime.combine(end, datetime.min.time())
        return [dt.date() for dt in rule.between(lo, hi, inc=True) if dt < hi]


WEEKLY_CADENCE = Cadence("weekly", "weekly")
"""Every day the beat runs."""

MONTHLY_CADENCE = Cadence("monthly", "monthly")
"""One beat day a month."""

DEFAULT_CADENCES: dict[str, Cadence] = {
    "A": WEEKLY_CADENCE,
    "B": Cadence("fortnightly", "weekly", interval=2),
    "C": MONTHLY_CADENCE,
}
"""A weekly, B fortnightly, C monthly (the usual FMCG outlet classes)."""
