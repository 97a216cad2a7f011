"""Territory and beats: which rep covers which outlets, when, and are they covered.

* :mod:`~distcrm.territory.tree` — the effective-dated territory tree and account placements.
* :mod:`~distcrm.territory.assignments` — reps, assignments to accounts and territories.
"""

from distcrm.territory.assignments import (
    Assignment,
    AssignmentBook,
    AssignmentKind,
    Rep,
    RepResolution,
)
from distcrm.territory.beats import WEEKDAY_NAMES, Beat, beats_on, parse_weekday
from distcrm.territory.cadence import (
    DEFAULT_CADENCES,
    MONTHLY_CADENCE,
    WEEK_EPOCH,
    WEEKLY_CADENCE,
    Cadence,
    CadenceFrequency,
)
from distcrm.territory.errors import (
    AssignmentConflict,
    BeatError,
    CadenceError,
    MissingCoordinates,
    ReassignmentError,
    TerritoryError,
    TerritoryTreeError,
)
from distcrm.territory.journey import JourneyPlan, PlannedVisit, classes_of, journey_plan
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
    "HOLIDAY_POLICIES",
    "MAX_SHIFT_DAYS",
    "MONTHLY_CADENCE",
    "WEEKDAY_NAMES",
    "WEEKLY_CADENCE",
    "WEEK_EPOCH",
    "Assignment",
    "AssignmentBook",
    "AssignmentConflict",
    "AssignmentKind",
    "Beat",
    "BeatError",
    "Cadence",
    "CadenceError",
    "CadenceFrequency",
    "HolidayPolicy",
    "JourneyPlan",
    "MissingCoordinates",
    "Placement",
    "PlannedVisit",
    "ReassignmentError",
    "Rep",
    "RepResolution",
    "TerritoryError",
    "TerritoryNode",
    "TerritoryTree",
    "TerritoryTreeError",
    "WorkCalendar",
    "beats_on",
    "classes_of",
    "journey_plan",
    "parse_weekday",
]
