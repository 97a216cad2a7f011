"""Territory and beats: which rep covers which outlets, when, and are they being covered.

* :mod:`~distcrm.territory.tree` — the effective-dated territory tree and account placements.
* :mod:`~distcrm.territory.assignments` — reps and their assignments to accounts and territories.
* :mod:`~distcrm.territory.reassignment` — handing a leaving rep's work to successors.
* :mod:`~distcrm.territory.beats`, :mod:`~distcrm.territory.cadence`,
  :mod:`~distcrm.territory.workdays`, :mod:`~distcrm.territory.journey` — beats, visit
  cadences, working calendars and journey plans.
* :mod:`~distcrm.territory.building`, :mod:`~distcrm.territory.geo` — beat building
  from coordinates and visit load; haversine routes.
* :mod:`~distcrm.territory.compliance`, :mod:`~distcrm.territory.kpis`,
  :mod:`~distcrm.territory.alerts` — compliance, field-sales KPIs and alerts.

Examples:
    >>> from datetime import date
    >>> from distcrm.periods import Period
    >>> beat = Beat("B1", "D1", "REP1", ["MO"], ["R1", "R2"])
    >>> plan = journey_plan([beat], Period.containing(date(2025, 6, 1), "month"), WorkCalendar(),
    ...                     classes={"R1": "A", "R2": "C"})
    >>> dict(sorted(plan.counts().items()))
    {'R1': 5, 'R2': 1}
"""

from distcrm.territory.alerts import (
    HIGH_VALUE_DISTRIBUTOR,
    VisitRule,
    assignments_without_rep,
    falling_compliance,
    outlets_in_no_beat,
    unvisited_accounts,
)
from distcrm.territory.assignments import (
    Assignment,
    AssignmentBook,
    AssignmentKind,
    Rep,
    RepResolution,
)
from distcrm.territory.beats import WEEKDAY_NAMES, Beat, beats_on, parse_weekday
from distcrm.territory.building import (
    DEFAULT_LOAD,
    BeatBuild,
    BuiltBeat,
    LoadModel,
    MissingPolicy,
    build_beats,
)
from distcrm.territory.cadence import (
    DEFAULT_CADENCES,
    MONTHLY_CADENCE,
    WEEK_EPOCH,
    WEEKLY_CADENCE,
    Cadence,
    CadenceFrequency,
)
from distcrm.territory.compliance import CoverageReport, CoverageRow, coverage, percent
from distcrm.territory.errors import (
    AssignmentConflict,
    BeatError,
    CadenceError,
    MissingCoordinates,
    ReassignmentError,
    TerritoryError,
    TerritoryTreeError,
)
from distcrm.territory.geo import (
    EARTH_RADIUS_KM,
    LatLon,
    distance_matrix,
    haversine_km,
    order_route,
    route_length_km,
)
from distcrm.territory.journey import JourneyPlan, PlannedVisit, classes_of, journey_plan
from distcrm.territory.kpis import ORDER_KINDS, FieldKpis, KpiReport, field_kpis
from distcrm.territory.reassignment import Move, MoveKind, Reassignment, reassign
from distcrm.territory.tree import DEFAULT_LEVELS, Placement, TerritoryNode, TerritoryTree
from distcrm.territory.workdays import (
    HOLIDAY_POLICIES,
    MAX_SHIFT_DAYS,
    HolidayPolicy,
    WorkCalendar,
)

__all__ = [
    "DEFAULT_CADENCES",
    "DEFAULT_LEVELS",
    "DEFAULT_LOAD",
    "EARTH_RADIUS_KM",
    "HIGH_VALUE_DISTRIBUTOR",
    "HOLIDAY_POLICIES",
    "MAX_SHIFT_DAYS",
    "MONTHLY_CADENCE",
    "ORDER_KINDS",
    "WEEKDAY_NAMES",
    "WEEKLY_CADENCE",
    "WEEK_EPOCH",
    "Assignment",
    "AssignmentBook",
    "AssignmentConflict",
    "AssignmentKind",
    "Beat",
    "BeatBuild",
    "BeatError",
    "BuiltBeat",
    "Cadence",
    "CadenceError",
    "CadenceFrequency",
    "CoverageReport",
    "CoverageRow",
    "FieldKpis",
    "HolidayPolicy",
    "JourneyPlan",
    "KpiReport",
    "LatLon",
    "LoadModel",
    "MissingCoordinates",
    "MissingPolicy",
    "Move",
    "MoveKind",
    "Placement",
    "PlannedVisit",
    "Reassignment",
    "ReassignmentError",
    "Rep",
    "RepResolution",
    "TerritoryError",
    "TerritoryNode",
    "TerritoryTree",
    "TerritoryTreeError",
    "VisitRule",
    "WorkCalendar",
    "assignments_without_rep",
    "beats_on",
    "build_beats",
    "classes_of",
    "coverage",
    "distance_matrix",
    "falling_compliance",
    "field_kpis",
    "haversine_km",
    "journey_plan",
    "order_route",
    "outlets_in_no_beat",
    "parse_weekday",
    "percent",
    "reassign",
    "route_length_km",
    "unvisited_accounts",
]
