"""Validity intervals and calendar periods.

:class:`Validity` is the half-open interval ``[start, end)`` used for every
effective-dated fact (parent links, prices, tax rates, schemes, assignments);
``end=None`` means open-ended. :class:`Period` is a named calendar bucket: a
day, a month, a quarter or a fiscal year whose first month is configurable
(India: April).

Examples:
    >>> from datetime import date
    >>> v = Validity(date(2025, 4, 1), date(2025, 7, 1))
    >>> v.contains(date(2025, 6, 30)), v.contains(date(2025, 7, 1))
    (True, False)
    >>> Period.containing(date(2026, 1, 15), "fiscal_year").label
    'FY2025-26'
    >>> Period.containing(date(2026, 1, 15), "quarter", first_month=4).label
    'FY2025-26 Q4'
    >>> [p.label for p in iter_periods(date(2025, 11, 20), date(2026, 2, 1), "month")]
    ['2025-11', '2025-12', '2026-01']
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from typing import Literal, TypeAlias

import attrs
from dateutil.relativedelta import relativedelta
from dateutil.rrule import DAILY, MONTHLY, rrule

from distcrm.errors import PeriodError

__all__ = [
    "PERIOD_KINDS",
    "Period",
    "PeriodKind",
    "Validity",
    "iter_periods",
]

PeriodKind: TypeAlias = Literal["day", "month", "quarter", "fiscal_year"]
PERIOD_KINDS: tuple[PeriodKind, ...] = ("day", "month", "quarter", "fiscal_year")


def _check_dates(instance: Validity, _: attrs.Attribute[date | None], end: date | None) -> None:
    if not isinstance(instance.start, date):
        raise PeriodError(f"start: expected a date, got {type(instance.start).__name__}")
    if end is None:
        return
    if not isinstance(end, date):
        raise PeriodError(f"end: expected a date or None, got {type(end).__name__}")
    if end <= instance.start:
        raise PeriodError(f"end: {end} must be after start {instance.start}")


@attrs.frozen(order=True)
class Validity:
    """Half-open validity interval ``[start, end)``; ``end=None`` is open-ended.

    Examples:
        >>> from datetime import date
        >>> a = Validity(date(2025, 1, 1), date(2025, 3, 1))
        >>> b = Validity(date(2025, 2, 1))
        >>> a.intersection(b)
        Validity(start=datetime.date(2025, 2, 1), end=datetime.date(2025, 3, 1))
        >>> a.overlaps(Validity(date(2025, 3, 1)))
        False
    """

    start: date
    end: date | None = attrs.field(default=None, validator=_check_dates)

    @classmethod
    def always(cls) -> Validity:
        """An interval covering every representable date."""
        return cls(date.min, None)

    @property
    def is_open(self) -> bool:
        """True when the interval has no end."""
        return self.end is None

    def contains(self, on: date) -> bool:
        """True when ``on`` falls inside ``[start, end)``."""
        return self.start <= on and (self.end is None or on < self.end)

    __contains__ = contains

    def overlaps(self, other: Validity) -> bool:
        """True when the two intervals share at least one day."""
        return self.intersection(other) is not None

    def intersection(self, other: Validity) -> Validity | None:
        """The common part of both intervals, or ``None`` when they are disjoint."""
        start = max(self.start, other.start)
        ends = [e for e in (self.end, other.end) if e is not None]
        end = min(ends) if ends else None
        if end is not None and end <= start:
            return None
        return Validity(start, end)

    def closed_at(self, on: date) -> Validity:
        """This interval ending at ``on`` (exclusive); ``on`` must fall after ``start``."""
        if on <= self.start:
            raise PeriodError(f"end: cannot close {self} at {on}, not after its start")
        if self.end is not None and on > self.end:
            raise PeriodError(f"end: cannot extend {self} to {on}")
        return Validity(self.start, on)

    def days(self) -> int | None:
        """Number of days covered, or ``None`` when open-ended."""
        return None if self.end is None else (self.end - self.start).days

    def __str__(self) -> str:
        return f"[{self.start.isoformat()}, {self.end.isoformat() if self.end else '…'})"


def _month_start(on: date, first_month: int, months: int) -> date:
    offset = (on.month - first_month) % months
    start = date(on.year, on.month, 1) - relativedelta(months=offset)
    return start


def _first_month(value: int) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 12:
        raise PeriodError(f"first_month: must be 1..12, got {value!r}")
    return value


def _check_first_month(_: object, __: attrs.Attribute[int], value: int) -> None:
    _first_month(value)


def _check_kind(_: object, __: attrs.Attribute[str], value: str) -> None:
    if value not in PERIOD_KINDS:
        raise PeriodError(f"kind: {value!r} is not one of {', '.join(PERIOD_KINDS)}")


@attrs.frozen(order=True)
class Period:
    """A calendar bucket: one day, month, quarter or fiscal year.

    ``first_month`` is the month a fiscal year starts in (India: 4) and, for
    quarters, the month the first quarter starts in (calendar quarters: 1).
    Build periods with :meth:`containing` rather than by hand.

    Examples:
        >>> from datetime import date
        >>> q = Period.containing(date(2025, 8, 9), "quarter")
        >>> q.label, q.start, q.end
        ('2025-Q3', datetime.date(2025, 7, 1), datetime.date(2025, 10, 1))
        >>> q.next().label
        '2025-Q4'
    """

    kind: PeriodKind = attrs.field(validator=_check_kind)
    start: date
    first_month: int = attrs.field(default=1, validator=_check_first_month)

    @classmethod
    def containing(cls, on: date, kind: PeriodKind, *, first_month: int | None = None) -> Period:
        """The period of ``kind`` that contains ``on``.

        ``first_month`` defaults to 4 (April) for fiscal years and 1 for quarters.
        """
        if kind == "day":
            return cls("day", on, 1)
        if kind == "month":
            return cls("month", date(on.year, on.month, 1), 1)
        if kind == "quarter":
            fm = 1 if first_month is None else _first_month(first_month)
            return cls("quarter", _month_start(on, fm, 3), fm)
        if kind == "fiscal_year":
            fm = 4 if first_month is None else _first_month(first_month)
            return cls("fiscal_year", _month_start(on, fm, 12), fm)
        raise PeriodError(f"kind: {kind!r} is not one of {', '.join(PERIOD_KINDS)}")

    @property
    def end(self) -> date:
        """First day after the period (exclusive end)."""
        if self.kind == "day":
            return self.start + timedelta(days=1)
        months = {"month": 1, "quarter": 3, "fiscal_year": 12}[self.kind]
        return self.start + relativedelta(months=months)

    @property
    def validity(self) -> Validity:
        """The period as a :class:`Validity`."""
        return Validity(self.start, self.end)

    def contains(self, on: date) -> bool:
        """True when ``on`` falls in the period."""
        return self.start <= on < self.end

    __contains__ = contains

    def next(self) -> Period:
        """The period of the same kind that follows this one."""
        return Period.containing(self.end, self.kind, first_month=self.first_month)

    def previous(self) -> Period:
        """The period of the same kind that precedes this one."""
        return Period.containing(
            self.start - timedelta(days=1), self.kind, first_month=self.first_month
        )

    def days(self) -> int:
        """Number of days in the period."""
        return (self.end - self.start).days

    @property
    def label(self) -> str:
        """A readable, sortable name: ``2025-08-09``, ``2025-08``, ``2025-Q3``, ``FY2025-26``."""
        if self.kind == "day":
            return self.start.isoformat()
        if self.kind == "month":
            return f"{self.start.year:04d}-{self.start.month:02d}"
        if self.kind == "quarter":
            if self.first_month == 1:
                return f"{self.start.year:04d}-Q{(self.start.month - 1) // 3 + 1}"
            fy = Period.containing(self.start, "fiscal_year", first_month=self.first_month)
            number = (self.start.month - self.first_month) % 12 // 3 + 1
            return f"{fy.label} Q{number}"
        end_year = (self.end - timedelta(days=1)).year
        if end_year == self.start.year:
            return f"FY{self.start.year:04d}"
        return f"FY{self.start.year:04d}-{end_year % 100:02d}"

    def __str__(self) -> str:
        return self.label


def iter_periods(
    start: date, end: date, kind: PeriodKind, *, first_month: int | None = None
) -> Iterator[Period]:
    """Every period of ``kind`` that overlaps ``[start, end)``, in order.

    Examples:
        >>> from datetime import date
        >>> [p.label for p in iter_periods(date(2025, 3, 30), date(2025, 4, 2), "day")]
        ['2025-03-30', '2025-03-31', '2025-04-01']
    """
    if end <= start:
        return
    first = Period.containing(start, kind, first_month=first_month)
    if kind == "day":
        for dt in rrule(DAILY, dtstart=start, until=end - timedelta(days=1)):
            yield Period("day", dt.date(), 1)
        return
    step = {"month": 1, "quarter": 3, "fiscal_year": 12}[kind]
    for dt in rrule(MONTHLY, interval=step, dtstart=first.start, until=end - timedelta(days=1)):
        yield Period(kind, dt.date(), first.first_month)
