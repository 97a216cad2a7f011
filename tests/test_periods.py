"""Validity intervals and calendar periods."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from distcrm.errors import PeriodError
from distcrm.periods import Period, Validity, iter_periods

D = date


def test_validity_is_half_open() -> None:
    v = Validity(D(2025, 4, 1), D(2025, 7, 1))
    assert v.contains(D(2025, 4, 1))
    assert v.contains(D(2025, 6, 30))
    assert not v.contains(D(2025, 7, 1))
    assert not v.contains(D(2025, 3, 31))
    assert Validity(D(2025, 4, 1)).contains(D(2999, 1, 1))
    assert v.days() == 91
    assert Validity(D(2025, 1, 1)).days() is None


def test_validity_intersection_and_overlap() -> None:
    a = Validity(D(2025, 1, 1), D(2025, 3, 1))
    assert a.intersection(Validity(D(2025, 2, 1))) == Validity(D(2025, 2, 1), D(2025, 3, 1))
    # touching intervals do not overlap: [Jan, Mar) and [Mar, ...)
    assert a.intersection(Validity(D(2025, 3, 1))) is None
    assert not a.overlaps(Validity(D(2025, 3, 1)))
    assert a.overlaps(Validity(D(2024, 1, 1), D(2025, 1, 2)))


def test_validity_rejects_bad_bounds() -> None:
    with pytest.raises(PeriodError, match="end: 2025-01-01 must be after start 2025-01-01"):
        Validity(D(2025, 1, 1), D(2025, 1, 1))
    with pytest.raises(PeriodError, match="cannot close"):
        Validity(D(2025, 1, 1)).closed_at(D(2024, 12, 31))
    assert Validity(D(2025, 1, 1)).closed_at(D(2025, 2, 1)) == Validity(
        D(2025, 1, 1), D(2025, 2, 1)
    )


def _validities() -> st.SearchStrategy[Validity]:
    starts = st.dates(min_value=D(2020, 1, 1), max_value=D(2030, 1, 1))
    return st.builds(
        lambda s, n: Validity(s, None if n is None else s + timedelta(days=n)),
        starts,
        st.none() | st.integers(min_value=1, max_value=800),
    )


@settings(max_examples=300, deadline=None)
@given(_validities(), _validities(), st.dates(min_value=D(2019, 1, 1), max_value=D(2033, 1, 1)))
def test_intersection_is_commutative_and_exact(a: Validity, b: Validity, on: date) -> None:
    assert a.intersection(b) == b.intersection(a)
    both = a.intersection(b)
    inside = a.contains(on) and b.contains(on)
    assert inside == (both is not None and both.contains(on))
    assert a.overlaps(b) == b.overlaps(a) == (both is not None)


def test_period_labels_and_bounds() -> None:
    m = Period.containing(D(2025, 2, 14), "month")
    assert (m.label, m.start, m.end, m.days()) == ("2025-02", D(2025, 2, 1), D(2025, 3, 1), 28)
    q = Period.containing(D(2025, 8, 9), "quarter")
    assert (q.label, q.start, q.end) == ("2025-Q3", D(2025, 7, 1), D(2025, 10, 1))
    fy = Period.containing(D(2026, 1, 15), "fiscal_year")  # India: April to March
    assert (fy.label, fy.start, fy.end) == ("FY2025-26", D(2025, 4, 1), D(2026, 4, 1))
    fq = Period.containing(D(2026, 1, 15), "quarter", first_month=4)
    assert (fq.label, fq.start) == ("FY2025-26 Q4", D(2026, 1, 1))
    cal = Period.containing(D(2025, 6, 1), "fiscal_year", first_month=1)
    assert cal.label == "FY2025"
    assert Period.containing(D(2025, 6, 1), "day").label == "2025-06-01"
    assert q.next().label == "2025-Q4"
    assert q.previous().label == "2025-Q2"


def test_period_rejects_bad_kind_and_month() -> None:
    with pytest.raises(PeriodError, match="kind: 'week'"):
        Period.containing(D(2025, 1, 1), "week")  # type: ignore[arg-type]
    with pytest.raises(PeriodError, match="first_month: must be 1..12, got 13"):
        Period.containing(D(2025, 1, 1), "fiscal_year", first_month=13)


def test_iter_periods() -> None:
    months = [p.label for p in iter_periods(D(2025, 11, 20), D(2026, 2, 1), "month")]
    assert months == ["2025-11", "2025-12", "2026-01"]
    quarters = [
        p.label for p in iter_periods(D(2025, 4, 1), D(2026, 4, 1), "quarter", first_month=4)
    ]
    assert quarters == ["FY2025-26 Q1", "FY2025-26 Q2", "FY2025-26 Q3", "FY2025-26 Q4"]
    assert list(iter_periods(D(2025, 1, 2), D(2025, 1, 1), "day")) == []


@settings(max_examples=200, deadline=None)
@given(
    st.dates(min_value=D(2000, 1, 1), max_value=D(2099, 12, 31)),
    st.sampled_from(["day", "month", "quarter", "fiscal_year"]),
    st.integers(min_value=1, max_value=12),
)
def test_periods_tile_the_calendar(on: date, kind: str, first_month: int) -> None:
    p = Period.containing(on, kind, first_month=first_month)  # type: ignore[arg-type]
    assert p.contains(on)
    assert p.next().start == p.end
    assert p.previous().end == p.start
    assert Period.containing(p.end - timedelta(days=1), p.kind, first_month=p.first_month) == p
