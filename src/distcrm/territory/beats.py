"""Beats: an ordered list of outlets served by one distributor, visited by one rep.

A :class:`Beat` is effective-dated like every assignment: when its rep
changes (a rep leaves) the old version is closed and a new one opened under
the same id, so past journey plans can be rebuilt exactly.

Weekdays are integers ``0`` (Monday) to ``6`` (Sunday), as in
:meth:`datetime.date.weekday`; the two-letter names ``"MO"`` ... ``"SU"`` are
accepted too.

Examples:
    >>> from datetime import date
    >>> b = Beat("B-MON", distributor="D1", rep="REP1", weekdays=("MO", "TH"),
    ...          outlets=("R3", "R1", "R2"))
    >>> b.weekdays, b.weekday_names
    (frozenset({0, 3}), 'MO,TH')
    >>> b.runs_on(date(2025, 6, 2))
    True
    >>> Beat("B2", "D1", "REP1", weekdays=(), outlets=("R1",))
    Traceback (most recent call last):
    ...
    distcrm.territory.errors.BeatError: beat 'B2'.weekdays: at least one weekday is needed
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

import attrs

from distcrm.parties import AccountId, as_account_id
from distcrm.periods import Validity
from distcrm.territory.errors import BeatError
from distcrm.visits import RepId, as_rep_id

__all__ = [
    "WEEKDAY_NAMES",
    "Beat",
    "beats_on",
    "parse_weekday",
]

WEEKDAY_NAMES: tuple[str, ...] = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
"""Two-letter weekday names, Monday first (index = :meth:`date.weekday`)."""


def parse_weekday(value: int | str) -> int:
    """A weekday as ``0``..``6`` from an int or a name such as ``"MO"`` or ``"monday"``.

    Examples:
        >>> parse_weekday("fr"), parse_weekday(6)
        (4, 6)
    """
    if isinstance(value, bool):
        raise BeatError(f"weekday: {value!r} is not a weekday")
    if isinstance(value, int):
        if 0 <= value <= 6:
            return value
        raise BeatError(f"weekday: {value!r} is not in 0..6 (0 = Monday)")
    if isinstance(value, str):
        key = value.strip().upper()[:2]
        if key in WEEKDAY_NAMES and len(value.strip()) >= 2:
            return WEEKDAY_NAMES.index(key)
    raise BeatError(f"weekday: {value!r} is not a weekday name (MO..SU) or 0..6")


def _weekdays(values: Iterable[int | str]) -> frozenset[int]:
    return frozenset(parse_weekday(v) for v in values)


def _outlets(values: Iterable[str]) -> tuple[AccountId, ...]:
    return tuple(as_account_id(v) for v in values)


@attrs.frozen
class Beat:
    """One version of a beat.

    Attributes:
        id: beat id (stable across versions).
        distributor: the distributor serving the outlets.
        rep: the rep visiting the beat.
        weekdays: the days of the week the beat is run.
        outlets: outlets in visiting order (the route).
        validity: when this version holds.
        name: a readable name.
    """

    id: str
    distributor: AccountId = attrs.field(converter=as_account_id)
    rep: RepId = attrs.field(converter=as_rep_id)
    weekdays: frozenset[int] = attrs.field(converter=_weekdays)
    outlets: tuple[AccountId, ...] = attrs.field(default=(), converter=_outlets)
    validity: Validity = attrs.field(factory=Validity.always)
    name: str = ""

    def __attrs_post_init__(self) -> None:
        where = f"beat {self.id!r}"
        if not isinstance(self.id, str) or not self.id:
            raise BeatError("beat.id: must be a non-empty string")
        if not self.weekdays:
            raise BeatError(f"{where}.weekdays: at least one weekday is needed")
        seen: set[str] = set()
        for i, outlet in enumerate(self.outlets):
            if outlet in seen:
                raise BeatError(f"{where}.outlets[{i}]: outlet {outlet!r} is listed twice")
            seen.add(outlet)

    @property
    def weekday_names(self) -> str:
        """The weekdays as ``"MO,TH"``."""
        return ",".join(WEEKDAY_NAMES[d] for d in sorted(self.weekdays))

    def active_on(self, on: date) -> bool:
        """True when this version holds on ``on``."""
        return self.validity.contains(on)

    def runs_on(self, on: date) -> bool:
        """True when this version holds on ``on`` and ``on`` is one of its weekdays."""
        return self.validity.contains(on) and on.weekday() in self.weekdays


def beats_on(beats: Iterable[Beat], on: date) -> tuple[Beat, ...]:
    """The beat versions in force on ``on``, sorted by id.

    Examples:
        >>> from datetime import date
        >>> old = Beat("B1", "D1", "REP1", ["MO"], ["R1"], Validity(date(2025, 1, 1), date(2025, 6, 1)))
        >>> new = Beat("B1", "D1", "REP2", ["MO"], ["R1"], Validity(date(2025, 6, 1)))
        >>> [b.rep for b in beats_on([old, new], date(2025, 6, 2))]
        ['REP2']
    """
    return tuple(sorted((b for b in beats if b.active_on(on)), key=lambda b: b.id))
