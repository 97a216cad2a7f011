"""Working calendars and the policy for visits that fall on a holiday.

A :class:`WorkCalendar` is a set of working weekdays plus a set of holidays.
A :data:`HolidayPolicy` says what happens to a planned visit that falls on a
non-working day: ``"skip"`` drops it, ``"next_working_day"`` and
``"previous_working_day"`` move it.

Examples:
    >>> from datetime import date
    >>> cal = WorkCalendar(holidays=[date(2025, 10, 20)])     # Diwali, a Monday
    >>> cal.is_working(date(2025, 10, 20)), cal.is_working(date(2025, 10, 19))
    (False, False)
    >>> cal.shift(date(2025, 10, 20), "next_working_day")
    datetime.date(2025, 10, 21)
    >>> cal.shift(date(2025, 10, 20), "previous_working_day")
    datetime.date(2025, 10, 18)
    >>> cal.shift(date(2025, 10, 20), "skip") is None
    True
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Literal, TypeAlias

import attrs

from distcrm.territory.beats import WEEKDAY_NAMES, parse_weekday
from distcrm.territory.errors import CadenceError

__all__ = [
    "HOLIDAY_POLICIES",
    "MAX_SHIFT_DAYS",
    "HolidayPolicy",
    "WorkCalendar",
]

HolidayPolicy: TypeAlias = Literal["skip", "next_working_day", "previous_working_day"]
HOLIDAY_POLICIES: tuple[HolidayPolicy, ...] = ("skip", "next_working_day", "previous_working_day")

MAX_SHIFT_DAYS = 14
"""A visit is never moved further than this; beyond it the visit is dropped."""


def _weekdays(values: Iterable[int | str]) -> frozenset[int]:
    return frozenset(parse_weekday(v) for v in values)


def _dates(values: Iterable[date]) -> frozenset[date]:
    return frozenset(values)


@attrs.frozen
class WorkCalendar:
    """Working weekdays (default Monday to Saturday, as in Indian field sales) and holidays."""

    working_weekdays: frozenset[int] = attrs.field(default=frozenset(range(6)), converter=_weekdays)
    holidays: frozenset[date] = attrs.field(default=frozenset(), converter=_dates)

    def __attrs_post_init__(self) -> None:
        if not self.working_weekdays:
            raise CadenceError("calendar.working_weekdays: at least one working weekday is needed")

    @property
    def weekday_names(self) -> str:
        """Working weekdays as ``"MO,TU,..."``."""
        return ",".join(WEEKDAY_NAMES[d] for d in sorted(self.working_weekdays))

    def is_working(self, on: date) -> bool:
        """True when ``on`` is a working weekday and not a holiday."""
        return on.weekday() in self.working_weekdays and on not in self.holidays

    def shift(self, on: date, policy: HolidayPolicy) -> date | None:
        """Where a visit planned on ``on`` goes under ``policy`` (``None`` = dropped).

        A working day stays where it is. Moves go at most :data:`MAX_SHIFT_DAYS`.
        """
        if policy not in HOLIDAY_POLICIES:
            raise CadenceError(f"policy: {policy!r} is not one of {', '.join(HOLIDAY_POLICIES)}")
        if self.is_working(on):
            return on
        if policy == "skip":
            return None
        step = timedelta(days=1 if policy == "next_working_day" else -1)
        day = on
        for _ in range(MAX_SHIFT_DAYS):
            day += step
            if self.is_working(day):
                return day
        return None

    def working_days(self, start: date, end: date) -> int:
        """Number of working days in ``[start, end)``."""
        return sum(1 for i in range((end - start).days) if self.is_working(start + timedelta(i)))
