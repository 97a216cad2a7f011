"""Territory entities travel as JSON (other services send beats and assignments)."""

from __future__ import annotations

from datetime import date

import pytest

from distcrm.errors import StructureError
from distcrm.periods import Validity
from distcrm.territory import Assignment, Beat, Cadence, TerritoryNode, WorkCalendar

serde = pytest.importorskip("distcrm.serde")


@pytest.mark.parametrize(
    "entity",
    [
        Beat("B1", "D1", "REP1", ["MO", "TH"], ["R1", "R2"], Validity(date(2025, 4, 1))),
        Assignment("REP1", "account", "D1", Validity(date(2025, 4, 1), date(2025, 7, 1))),
        Cadence("fortnightly", "weekly", interval=2),
        WorkCalendar(holidays=[date(2025, 10, 20)]),
        TerritoryNode("PUNE", "district", "MH"),
    ],
)
def test_json_round_trip(entity: object) -> None:
    assert serde.from_json(serde.to_json(entity), type(entity)) == entity


def test_bad_weekday_in_json_is_located() -> None:
    text = '{"id": "B1", "distributor": "D1", "rep": "REP1", "weekdays": [9]}'
    with pytest.raises(StructureError, match=r"weekday: 9 is not in 0\.\.6"):
        serde.from_json(text, Beat)
