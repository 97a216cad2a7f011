"""Journey plans: cadences, holiday policies, collisions, beat versions and bad input."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from distcrm.periods import Period, Validity
from distcrm.territory import (
    WEEK_EPOCH,
    Beat,
    Cadence,
    CadenceError,
    HolidayPolicy,
    PlannedVisit,
    WorkCalendar,
    journey_plan,
)

JUNE = Period.containing(date(2025, 6, 1), "month")
CLASSES = {"A1": "A", "B1": "B", "B2": "B", "C1": "C", "C2": "C"}
MON_THU = Beat("B1", "D1", "REP1", ["MO", "TH"], ["A1", "B1", "B2", "C1", "C2"])


def _days(visits: tuple[PlannedVisit, ...], outlet: str) -> list[int]:
    return [v.on.day for v in visits if v.account == outlet]


def test_cadences_on_a_two_day_beat() -> None:
    plan = journey_plan([MON_THU], JUNE, WorkCalendar(), classes=CLASSES)
    # beat days in June 2025: Mondays 2, 9, 16, 23, 30 and Thursdays 5, 12, 19, 26
    assert _days(plan.visits, "A1") == [2, 5, 9, 12, 16, 19, 23, 26, 30]
    # fortnightly: B1 (phase 0) in the weeks of 2, 16 and 30 June (even weeks since 2024-01-01),
    # B2 (phase 1) in the weeks of 9 and 23 June
    assert _days(plan.visits, "B1") == [2, 5, 16, 19, 30]
    assert _days(plan.visits, "B2") == [9, 12, 23, 26]
    # monthly: C1 on the 1st beat day of the month, C2 on the 2nd
    assert _days(plan.visits, "C1") == [2]
    assert _days(plan.visits, "C2") == [5]
    assert len(plan) == 9 + 5 + 4 + 1 + 1
    assert [v.stop for v in plan.on_day(date(2025, 6, 2))] == [1, 2, 4]
    assert plan.findings == ()


def test_skip_drops_holiday_visits() -> None:
    cal = WorkCalendar(holidays=[date(2025, 6, 16)])
    plan = journey_plan([MON_THU], JUNE, cal, classes=CLASSES, policy="skip")
    assert 16 not in _days(plan.visits, "A1")
    assert len(_days(plan.visits, "A1")) == 8
    assert _days(plan.visits, "B1") == [2, 5, 19, 30]
    # A1 and B1 were due on the holiday: one finding for the beat day, counting both
    assert [str(f) for f in plan.findings] == [
        "info beat_day_dropped [B1]: beat 'B1' on 2025-06-16: 2 planned visit(s) dropped "
        "(not a working day)"
    ]


def test_next_and_previous_working_day_move_visits() -> None:
    cal = WorkCalendar(holidays=[date(2025, 6, 16)])
    nxt = journey_plan([MON_THU], JUNE, cal, classes=CLASSES, policy="next_working_day")
    moved = [v for v in nxt.visits if v.moved_from is not None]
    assert {(v.account, v.on, v.moved_from) for v in moved} == {
        ("A1", date(2025, 6, 17), date(2025, 6, 16)),
        ("B1", date(2025, 6, 17), date(2025, 6, 16)),
    }
    prev = journey_plan([MON_THU], JUNE, cal, classes=CLASSES, policy="previous_working_day")
    # Saturday is a working day in the default calendar (Monday to Saturday)
    assert date(2025, 6, 14) in {v.on for v in prev.visits if v.account == "A1"}
    assert len(prev) == len(nxt) == 20


def test_moved_visit_colliding_with_a_planned_one_is_dropped() -> None:
    monday = Beat("B-MON", "D1", "REP1", ["MO"], ["X"])
    tuesday = Beat("B-TUE", "D1", "REP1", ["TU"], ["X"])
    cal = WorkCalendar(holidays=[date(2025, 6, 16)])
    plan = journey_plan([tuesday, monday], JUNE, cal, classes={"X": "A"}, policy="next_working_day")
    on_17 = plan.on_day(date(2025, 6, 17))
    assert [(v.beat, v.moved_from) for v in on_17] == [("B-TUE", None)]
    # 5 Mondays + 4 Tuesdays (3, 10, 17, 24) - the moved Monday visit
    assert plan.counts()["X"] == 8
    assert [f.code for f in plan.findings] == ["duplicate_visit_dropped"]
    assert "moved from 2025-06-16" in plan.findings[0].message


def test_outlet_on_two_beats_the_same_day_keeps_the_first_beat() -> None:
    a = Beat("B-A", "D1", "REP1", ["MO"], ["X"])
    b = Beat("B-B", "D2", "REP2", ["MO"], ["X"])
    plan = journey_plan([b, a], JUNE, WorkCalendar(), classes={"X": "A"})
    assert {v.beat for v in plan.visits} == {"B-A"}
    assert len(plan.findings) == 5


def test_plan_without_classes_uses_the_default_cadence() -> None:
    plan = journey_plan([MON_THU], JUNE, WorkCalendar())
    assert len(plan) == 0
    assert {f.code for f in plan.findings} == {"outlet_without_cadence"}
    weekly = journey_plan([MON_THU], JUNE, WorkCalendar(), default=Cadence("weekly"))
    # 5 outlets x 9 beat days
    assert len(weekly) == 45


def test_outlets_without_cadence_are_reported_or_defaulted() -> None:
    beat = Beat("B1", "D1", "REP1", ["MO"], ["A1", "N1"])
    plan = journey_plan([beat], JUNE, WorkCalendar(), classes={"A1": "A"})
    assert plan.outlets() == {"A1"}
    assert [(f.code, f.subject) for f in plan.findings] == [("outlet_without_cadence", "N1")]
    monthly = Cadence("monthly", "monthly")
    plan = journey_plan([beat], JUNE, WorkCalendar(), classes={"A1": "A"}, default=monthly)
    assert plan.counts()["N1"] == 1


def test_beat_versions_plan_their_own_days() -> None:
    old = Beat("B1", "D1", "REP1", ["MO"], ["A1"], Validity(date(2025, 1, 1), date(2025, 6, 16)))
    new = Beat("B1", "D1", "REP2", ["MO"], ["A1"], Validity(date(2025, 6, 16)))
    plan = journey_plan([old, new], JUNE, WorkCalendar(), classes={"A1": "A"})
    assert [(v.on.day, v.rep) for v in plan.visits] == [
        (2, "REP1"),
        (9, "REP1"),
        (16, "REP2"),
        (23, "REP2"),
        (30, "REP2"),
    ]


def test_every_other_week_can_take_fewer_weekdays() -> None:
    twice = Cadence("weekly on one day", "weekly", times=1)
    beat = Beat("B1", "D1", "REP1", ["MO", "TH"], ["X", "Y"])
    plan = journey_plan([beat], JUNE, WorkCalendar(), classes={}, default=twice)
    # X (phase 0) takes the first beat weekday (Monday), Y the second (Thursday)
    assert {v.on.weekday() for v in plan.visits if v.account == "X"} == {0}
    assert {v.on.weekday() for v in plan.visits if v.account == "Y"} == {3}


def test_beat_on_a_non_working_weekday_is_refused() -> None:
    beat = Beat("B-SUN", "D1", "REP1", ["SU"], ["A1"])
    with pytest.raises(CadenceError) as err:
        journey_plan([beat], JUNE, WorkCalendar(), classes={"A1": "A"})
    assert str(err.value) == (
        "beat 'B-SUN'.weekdays: SU is not a working weekday of the calendar (MO,TU,WE,TH,FR,SA)"
    )


@pytest.mark.parametrize(
    ("cadence", "message"),
    [
        (
            Cadence("twice weekly", "weekly", times=2),
            "cadence 'twice weekly'.times: needs 2 visits a week but beat 'B1' runs on 1 weekday(s)",
        ),
        (
            Cadence("5 a month", "monthly", times=5),
            "cadence '5 a month'.times: needs 5 visits a month but beat 'B1' is sure of only 4",
        ),
    ],
)
def test_cadence_that_cannot_fit_names_cadence_and_beat(cadence: Cadence, message: str) -> None:
    beat = Beat("B1", "D1", "REP1", ["MO"], ["A1"])
    with pytest.raises(CadenceError, match=message.replace("(", r"\(").replace(")", r"\)")):
        journey_plan([beat], JUNE, WorkCalendar(), classes={"A1": "X"}, cadences={"X": cadence})


def test_bad_cadence_and_period() -> None:
    with pytest.raises(CadenceError, match=r"cadence 'x'\.interval: must be an int >= 1"):
        Cadence("x", "weekly", interval=0)
    with pytest.raises(CadenceError, match=r"period: \[2025-06-01, …\) must have an end"):
        journey_plan([MON_THU], Validity(date(2025, 6, 1)), WorkCalendar(), classes=CLASSES)
    with pytest.raises(CadenceError, match="policy: 'later' is not one of"):
        WorkCalendar().shift(date(2025, 6, 1), "later")  # type: ignore[arg-type]


# -- properties -----------------------------------------------------------------------------

WORKDAYS = [0, 1, 2, 3, 4, 5]


@st.composite
def setups(draw: st.DrawFn) -> tuple[list[Beat], dict[str, str], Period]:
    beats = []
    classes: dict[str, str] = {}
    counter = 0
    for b in range(draw(st.integers(1, 3))):
        weekdays = draw(st.lists(st.sampled_from(WORKDAYS), min_size=1, max_size=3, unique=True))
        outlets = []
        for _ in range(draw(st.integers(1, 8))):
            counter += 1
            outlets.append(f"R{counter}")
            classes[f"R{counter}"] = draw(st.sampled_from("ABC"))
        beats.append(Beat(f"B{b}", "D1", f"REP{b}", weekdays, outlets))
    month = draw(st.integers(0, 23))
    period = Period.containing(date(2025 + month // 12, month % 12 + 1, 1), "month")
    return beats, classes, period


def _week(d: date) -> int:
    return (d - timedelta(days=d.weekday()) - WEEK_EPOCH).days // 7


@settings(max_examples=80, deadline=None)
@given(setups())
def test_every_outlet_is_planned_at_its_cadence(
    setup: tuple[list[Beat], dict[str, str], Period],
) -> None:
    beats, classes, period = setup
    plan = journey_plan(beats, period, WorkCalendar(), classes=classes)
    days_of: dict[str, list[date]] = defaultdict(list)
    for v in plan.visits:
        days_of[v.account].append(v.on)
    all_days = [period.start + timedelta(i) for i in range(period.days())]
    for beat in beats:
        beat_days = [d for d in all_days if d.weekday() in beat.weekdays]
        for outlet in beat.outlets:
            got = days_of[outlet]
            assert len(set(got)) == len(got)
            assert all(d.weekday() in beat.weekdays for d in got)
            cls = classes[outlet]
            if cls == "A":
                assert got == beat_days
            elif cls == "C":
                assert len(got) == 1
            else:
                weeks = {_week(d) for d in got}
                assert len({w % 2 for w in weeks}) == 1
                # every beat day of a visiting week is visited, and weeks alternate
                assert got == [d for d in beat_days if _week(d) in weeks]
                for d in beat_days:
                    assert _week(d) in weeks or {_week(d) - 1, _week(d) + 1} & weeks


@settings(max_examples=80, deadline=None)
@given(
    setups(),
    st.sets(st.integers(0, 30), max_size=6),
    st.sampled_from(["skip", "next_working_day", "previous_working_day"]),
)
def test_holiday_policy_and_no_double_visits(
    setup: tuple[list[Beat], dict[str, str], Period], offsets: set[int], policy: HolidayPolicy
) -> None:
    beats, classes, period = setup
    holidays = {period.start + timedelta(days=o) for o in offsets}
    cal = WorkCalendar(holidays=holidays)
    plan = journey_plan(beats, period, cal, classes=classes, policy=policy)
    slots = Counter((v.account, v.on) for v in plan.visits)
    assert max(slots.values(), default=1) == 1
    assert all(cal.is_working(v.on) and period.contains(v.on) for v in plan.visits)
    assert all(v.moved_from is None or not cal.is_working(v.moved_from) for v in plan.visits)
    if policy == "skip":
        free = journey_plan(beats, period, WorkCalendar(), classes=classes)
        expected = [(v.account, v.on) for v in free.visits if v.on not in holidays]
        assert sorted((v.account, v.on) for v in plan.visits) == sorted(expected)


@settings(max_examples=40, deadline=None)
@given(setups(), st.sets(st.integers(-10, 40), max_size=8))
def test_consecutive_plans_join_up(
    setup: tuple[list[Beat], dict[str, str], Period], offsets: set[int]
) -> None:
    beats, classes, period = setup
    nxt = period.next()
    cal = WorkCalendar(holidays={nxt.start + timedelta(days=o) for o in offsets})
    policy: HolidayPolicy = "next_working_day"
    one = journey_plan(beats, period, cal, classes=classes, policy=policy)
    two = journey_plan(beats, nxt, cal, classes=classes, policy=policy)
    both = journey_plan(beats, Validity(period.start, nxt.end), cal, classes=classes, policy=policy)
    assert one.visits + two.visits == both.visits
