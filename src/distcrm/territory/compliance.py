"""Coverage: planned versus actual visits per rep, beat and territory.

A planned visit is *covered* when the outlet received an actual visit on the
planned day (by any rep, or only by the planned rep with ``same_rep=True``);
several visits to one outlet on one day cover it once. Compliance is
``covered / planned × 100``, a :class:`~decimal.Decimal` with two places,
always within ``[0, 100]``; it is ``None`` when nothing was planned.

Actual visits are also counted where they were made (by the visit's rep,
the visit's beat and the outlet's territory); ``unplanned`` counts actual
visits that matched no planned visit of the period.

With a :class:`~distcrm.territory.tree.TerritoryTree`, territory figures roll
up: a district's row includes its towns (tree and placements as of the
period's first day).

Examples:
    >>> from datetime import date
    >>> from distcrm.periods import Validity
    >>> from distcrm.visits import Visit
    >>> from distcrm.territory import Beat, WorkCalendar, journey_plan
    >>> beat = Beat("B1", "D1", "REP1", ["MO"], ["R1", "R2"])
    >>> plan = journey_plan([beat], Validity(date(2025, 6, 2), date(2025, 6, 10)), WorkCalendar(),
    ...                     classes={"R1": "A", "R2": "A"})
    >>> len(plan)          # two Mondays x two outlets
    4
    >>> visits = [Visit("V1", "REP1", "R1", date(2025, 6, 2)),
    ...           Visit("V2", "REP1", "R2", date(2025, 6, 2)),
    ...           Visit("V3", "REP1", "R1", date(2025, 6, 9)),
    ...           Visit("V4", "REP1", "R9", date(2025, 6, 9))]
    >>> report = coverage(plan, visits)
    >>> row = report.by_rep["REP1"]
    >>> row.planned, row.covered, row.actual, row.unplanned, row.compliance
    (4, 3, 4, 1, Decimal('75.00'))
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from operator import attrgetter

import attrs

from distcrm.periods import Validity
from distcrm.territory.journey import JourneyPlan, PlannedVisit
from distcrm.territory.tree import TerritoryTree
from distcrm.visits import Visit

__all__ = [
    "CoverageReport",
    "CoverageRow",
    "coverage",
    "percent",
]

_HUNDRED = Decimal(100)
_CENT = Decimal("0.01")


def percent(part: int, whole: int) -> Decimal | None:
    """``part / whole`` as a percentage with two places, clamped to ``[0, 100]``.

    Examples:
        >>> percent(1, 3), percent(0, 0)
        (Decimal('33.33'), None)
    """
    if whole <= 0:
        return None
    value = (Decimal(part) * _HUNDRED / Decimal(whole)).quantize(_CENT, ROUND_HALF_UP)
    return min(max(value, Decimal("0.00")), Decimal("100.00"))


@attrs.frozen
class CoverageRow:
    """Planned, covered and actual visits for one rep, beat or territory."""

    key: str
    planned: int = 0
    covered: int = 0
    actual: int = 0
    unplanned: int = 0

    @property
    def compliance(self) -> Decimal | None:
        """``covered / planned`` in %, two places; ``None`` when nothing was planned."""
        return percent(self.covered, self.planned)

    @property
    def missed(self) -> int:
        """Planned visits with no actual visit."""
        return self.planned - self.covered


def _table(columns: list[Counter[str | None]]) -> dict[str, list[int]]:
    keys = {k for col in columns for k in col if k is not None}
    return {k: [col.get(k, 0) for col in columns] for k in keys}


def _rows(counts: Mapping[str, list[int]]) -> dict[str, CoverageRow]:
    return {k: CoverageRow(k, *counts[k]) for k in sorted(counts)}


@attrs.frozen(hash=False)
class CoverageReport:
    """Coverage over ``period`` by rep, beat and territory, plus the overall row."""

    period: Validity
    overall: CoverageRow
    by_rep: dict[str, CoverageRow]
    by_beat: dict[str, CoverageRow]
    by_territory: dict[str, CoverageRow]


def coverage(
    plan: JourneyPlan,
    visits: Iterable[Visit],
    *,
    territories: Mapping[str, str] | None = None,
    tree: TerritoryTree | None = None,
    same_rep: bool = False,
) -> CoverageReport:
    """Compare ``plan`` with actual ``visits`` over the plan's period.

    Args:
        plan: the journey plan (its period bounds the visits counted).
        visits: actual visits (those outside the period are ignored).
        territories: outlet id -> territory id. Defaults to the placements of
            ``tree`` on the period's first day.
        tree: when given, territory rows roll up to every ancestor.
        same_rep: count a planned visit covered only when the planned rep made it.
    """
    period = plan.period
    start = period.start
    end = period.end
    if territories is None:
        territories = {}
        if tree is not None:
            for pl in tree.placements:
                if pl.validity.contains(start):
                    territories[pl.account] = pl.territory
    assert end is not None
    # planned slot -> the planned visit; covered slots collected as they are matched
    slots: dict[tuple[str, date], PlannedVisit] = {(pv.account, pv.on): pv for pv in plan.visits}
    covered: dict[tuple[str, date], PlannedVisit] = {}
    in_period = [v for v in visits if start <= v.visited_on < end]
    unmatched: list[Visit] = []
    for v in in_period:
        key = (v.account, v.visited_on)
        pv = slots.get(key)
        if pv is None or (same_rep and pv.rep != v.rep):
            unmatched.append(v)
        else:
            covered[key] = pv
    # counts per column, each a C-level pass: planned, covered, actual, unplanned
    planned_list = plan.visits
    covered_list = list(covered.values())
    columns = (planned_list, covered_list, in_period, unmatched)
    rep_of, beat_of, account_of = attrgetter("rep"), attrgetter("beat"), attrgetter("account")
    rep_c = _table([Counter(map(rep_of, col)) for col in columns])
    beat_c = _table([Counter(map(beat_of, col)) for col in columns])
    terr_c = _table([Counter(map(territories.get, map(account_of, col))) for col in columns])
    total = [len(col) for col in columns]
    if tree is not None:
        rolled: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
        for terr, counts in terr_c.items():
            scope = tree.path(terr, start) if tree.find(terr, start) else (terr,)
            for t in scope:
                acc = rolled[t]
                for i in range(4):
                    acc[i] += counts[i]
        terr_c = rolled
    return CoverageReport(
        period,
        CoverageRow("*", *total),
        _rows(rep_c),
        _rows(beat_c),
        _rows(terr_c),
    )
