"""Coverage, field KPIs and alerts: hand-checked figures, findings, and bounds."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from distcrm.documents import Document, Line
from distcrm.money import Money
from distcrm.parties import Account
from distcrm.periods import Validity
from distcrm.territory import (
    Beat,
    CoverageReport,
    CoverageRow,
    TerritoryError,
    TerritoryTree,
    VisitRule,
    WorkCalendar,
    coverage,
    falling_compliance,
    field_kpis,
    journey_plan,
    outlets_in_no_beat,
    unvisited_accounts,
)
from distcrm.visits import Visit

PERIOD = Validity(date(2025, 6, 2), date(2025, 6, 15))
BEATS = [
    Beat("B1", "D1", "REP1", ["MO"], ["R1", "R2"]),
    Beat("B2", "D1", "REP2", ["TU"], ["R3"]),
]
CLASSES = {"R1": "A", "R2": "A", "R3": "A"}


def d(day: int) -> date:
    return date(2025, 6, day)


def _tree() -> TerritoryTree:
    tree = TerritoryTree.from_rows(
        [
            ("MH", None, "state"),
            ("PUNE", "MH", "district"),
            ("BARAMATI", "PUNE", "town"),
            ("HADAPSAR", "PUNE", "town"),
        ]
    )
    on = date(2025, 1, 1)
    return tree.place("R1", "BARAMATI", on).place("R2", "BARAMATI", on).place("R3", "HADAPSAR", on)


VISITS = [
    Visit("V1", "REP1", "R1", d(2)),
    Visit("V2", "REP1", "R1", d(2)),  # second call the same day covers nothing more
    Visit("V3", "REP2", "R2", d(9)),  # another rep covers REP1's planned call
    Visit("V4", "REP2", "R3", d(3)),
    Visit("V5", "REP2", "R3", d(5)),  # not planned that day
    Visit("V6", "REP1", "R1", d(20)),  # outside the period
]


def test_coverage_by_rep_beat_and_territory() -> None:
    plan = journey_plan(BEATS, PERIOD, WorkCalendar(), classes=CLASSES)
    # planned: R1 and R2 on Mondays 2 and 9, R3 on Tuesdays 3 and 10 -> 6
    report = coverage(plan, VISITS, tree=_tree())
    # covered: (R1, 2), (R2, 9), (R3, 3) -> 3 of 6
    assert report.overall == CoverageRow("*", planned=6, covered=3, actual=5, unplanned=1)
    assert report.overall.compliance == Decimal("50.00")
    assert report.by_rep["REP1"] == CoverageRow("REP1", 4, 2, 2, 0)
    assert report.by_rep["REP2"] == CoverageRow("REP2", 2, 1, 3, 1)
    assert report.by_beat["B1"].compliance == Decimal("50.00")
    assert report.by_territory["BARAMATI"] == CoverageRow("BARAMATI", 4, 2, 3, 0)
    assert report.by_territory["HADAPSAR"] == CoverageRow("HADAPSAR", 2, 1, 2, 1)
    assert report.by_territory["MH"] == CoverageRow("MH", 6, 3, 5, 1)


def test_same_rep_coverage_counts_only_the_planned_rep() -> None:
    plan = journey_plan(BEATS, PERIOD, WorkCalendar(), classes=CLASSES)
    report = coverage(plan, VISITS, same_rep=True)
    # (R2, 9) was made by REP2 for REP1's plan: now unplanned; 2 of 6 = 33.33 %
    assert report.overall.covered == 2
    assert report.overall.compliance == Decimal("33.33")
    assert report.by_rep["REP2"].unplanned == 2
    assert report.by_territory == {}


def _order(oid: str, buyer: str, lines: int, kind: str = "order") -> Document:
    return Document(
        oid,
        kind,  # type: ignore[arg-type]
        "secondary",
        "D1",
        buyer,
        d(2),
        "INR",
        tuple(Line(f"SKU{i}", 6, Money.of("10.00", "INR")) for i in range(lines)),
    )


def test_kpis_with_plan_and_unusable_orders() -> None:
    plan = journey_plan(BEATS, PERIOD, WorkCalendar(), classes=CLASSES)
    orders = [_order("SO1", "R1", 3), _order("SO2", "R3", 1), _order("RT1", "R3", 1, "return")]
    visits = [
        Visit("V1", "REP1", "R1", d(2), order_id="SO1"),
        Visit("V2", "REP1", "R2", d(2)),
        Visit("V3", "REP1", "R1", d(9), order_id="SO1"),  # same order again: counted once
        Visit("V4", "REP2", "R3", d(3), order_id="SO2"),
        Visit("V5", "REP2", "R3", d(10), order_id="RT1"),  # not an order
        Visit("V6", "REP2", "R3", d(10), order_id="SO404"),  # no such document
    ]
    report = field_kpis(visits, orders, PERIOD, plan=plan)
    k = report.overall
    # 6 calls, 5 productive (every call with an order id)
    assert (k.total_calls, k.productive_calls) == (6, 5)
    assert k.strike_rate == Decimal("83.33")  # 5 / 6
    # lines: SO1 3 + SO2 1 = 4 -> LPC 4 / 5 = 0.80
    assert k.order_lines == 4
    assert k.lines_per_call == Decimal("0.80")
    # value: 4 lines x 6 x 10.00 = 240.00 -> drop size 240 / 5 = 48.00
    assert k.drop_size == Money.of("48.00", "INR")
    # planned outlets R1, R2, R3; billed R1, R3 -> 66.67 %
    assert (k.outlets_planned, k.outlets_billed, k.effective_coverage) == (3, 2, Decimal("66.67"))
    rep1 = report.by_rep["REP1"]
    assert (rep1.strike_rate, rep1.effective_coverage) == (Decimal("66.67"), Decimal("50.00"))
    assert [f.subject for f in report.findings] == ["V5", "V6"]
    assert "order 'SO404', which does not exist" in report.findings[1].message
    assert "is a return, not an order or invoice" in report.findings[0].message


def test_kpis_by_beat_and_territory() -> None:
    plan = journey_plan(BEATS, PERIOD, WorkCalendar(), classes=CLASSES)
    orders = [_order("SO1", "R1", 3), _order("SO2", "R3", 1)]
    visits = [
        Visit("V1", "REP1", "R1", d(2), beat="B1", order_id="SO1"),
        Visit("V2", "REP1", "R2", d(2), beat="B1"),
        Visit("V3", "REP2", "R3", d(3), beat="B2", order_id="SO2"),
        Visit("V4", "REP2", "R3", d(5)),  # off-beat call: overall, rep and territory only
    ]
    report = field_kpis(visits, orders, PERIOD, plan=plan, tree=_tree())
    b1, b2 = report.by_beat["B1"], report.by_beat["B2"]
    # B1: 2 calls, 1 productive (SO1: 3 lines x 6 x 10.00 = 180.00); planned R1, R2, billed R1
    assert (b1.total_calls, b1.productive_calls, b1.order_lines) == (2, 1, 3)
    assert b1.drop_size == Money.of("180.00", "INR")
    assert b1.effective_coverage == Decimal("50.00")
    # B2: the beat call only; SO2 1 line = 60.00; R3 planned and billed
    assert (b2.total_calls, b2.strike_rate, b2.effective_coverage) == (
        1,
        Decimal("100.00"),
        Decimal("100.00"),
    )
    # territories: R1, R2 in BARAMATI; R3 in HADAPSAR; both under PUNE and MH
    baramati, hadapsar, mh = (report.by_territory[t] for t in ("BARAMATI", "HADAPSAR", "MH"))
    assert (baramati.total_calls, baramati.productive_calls) == (2, 1)
    assert (hadapsar.total_calls, hadapsar.productive_calls) == (2, 1)
    assert hadapsar.strike_rate == Decimal("50.00")
    # MH rolls up everything: 4 calls, 2 productive, 240.00 over 2 = 120.00
    assert (mh.total_calls, mh.productive_calls, mh.drop_size) == (4, 2, Money.of("120.00", "INR"))
    assert mh == attrs.evolve(report.overall, key="MH")


def test_kpis_without_calls_are_none() -> None:
    k = field_kpis([], [], PERIOD).overall
    assert (k.strike_rate, k.lines_per_call, k.drop_size, k.effective_coverage) == (
        None,
        None,
        None,
        None,
    )


def test_unvisited_high_value_distributor_after_thirty_days() -> None:
    accounts = [
        Account("D1", "A", "distributor", account_class="A"),
        Account("D2", "B", "distributor", account_class="A"),
        Account("D3", "C", "distributor", account_class="A"),
        Account("D4", "D", "distributor", account_class="B"),
        Account("R1", "E", "retailer", account_class="A"),
    ]
    visits = [
        Visit("V1", "REP1", "D1", date(2025, 5, 3)),  # 30 days before 2 June: fine
        Visit("V2", "REP1", "D2", date(2025, 5, 2)),  # 31 days: alert
        Visit("V3", "REP1", "D2", date(2025, 6, 5)),  # after the day asked: ignored
    ]
    found = unvisited_accounts(accounts, visits, date(2025, 6, 2))
    assert [(f.subject, f.code) for f in found] == [
        ("D2", "account_not_visited"),
        ("D3", "account_not_visited"),
    ]
    assert "31 days before 2025-06-02" in found[0].message
    assert "no visit on record" in found[1].message
    retail = VisitRule(14, tier="retailer", account_class=None, code="outlet_not_visited")
    assert [
        f.subject for f in unvisited_accounts(accounts, visits, date(2025, 6, 2), [retail])
    ] == ["R1"]
    with pytest.raises(TerritoryError, match=r"visit rule 'x'\.max_days: must be an int >= 0"):
        VisitRule(-1, code="x")


def test_falling_compliance_and_outlets_in_no_beat() -> None:
    def report(start: date, end: date, covered: int) -> CoverageReport:
        row = CoverageRow("B1", planned=10, covered=covered)
        return CoverageReport(Validity(start, end), row, {}, {"B1": row}, {})

    reports = [
        report(date(2025, 4, 1), date(2025, 5, 1), 9),
        report(date(2025, 5, 1), date(2025, 6, 1), 8),  # 90 -> 80: a drop of 10 points
        report(date(2025, 6, 1), date(2025, 7, 1), 8),
    ]
    found = falling_compliance(reports)
    assert [f.subject for f in found] == ["B1"]
    assert "from 90.00% to 80.00% (10.00 points)" in found[0].message
    assert falling_compliance(reports, min_drop=Decimal("10.01")) == ()
    lost = outlets_in_no_beat(["R1", "R3", "R7"], BEATS, d(2))
    assert [f.subject for f in lost] == ["R7"]


@st.composite
def plans_and_visits(draw: st.DrawFn) -> tuple[list[Beat], dict[str, str], list[Visit]]:
    outlets = [f"R{i}" for i in range(draw(st.integers(1, 10)))]
    beats = [
        Beat(
            f"B{b}",
            "D1",
            f"REP{b % 2}",
            draw(st.lists(st.integers(0, 5), min_size=1, max_size=2, unique=True)),
            draw(st.lists(st.sampled_from(outlets), min_size=1, unique=True)),
        )
        for b in range(draw(st.integers(1, 3)))
    ]
    classes = {o: draw(st.sampled_from("ABC")) for o in outlets}
    visits = [
        Visit(
            f"V{i}",
            draw(st.sampled_from(["REP0", "REP1", "REP2"])),
            draw(st.sampled_from(outlets)),
            date(2025, 6, 1) + timedelta(days=draw(st.integers(0, 35))),
            beat=draw(st.sampled_from([None, "B0", "B1"])),
            order_id=draw(st.sampled_from([None, "SO1", "SO2"])),
        )
        for i in range(draw(st.integers(0, 40)))
    ]
    return beats, classes, visits


@settings(max_examples=80, deadline=None)
@given(plans_and_visits(), st.booleans())
def test_coverage_figures_stay_within_bounds(
    case: tuple[list[Beat], dict[str, str], list[Visit]], same_rep: bool
) -> None:
    beats, classes, visits = case
    period = Validity(date(2025, 6, 1), date(2025, 7, 1))
    plan = journey_plan(beats, period, WorkCalendar(), classes=classes)
    report = coverage(plan, visits, same_rep=same_rep)
    rows = [report.overall, *report.by_rep.values(), *report.by_beat.values()]
    for row in rows:
        assert 0 <= row.covered <= row.planned
        assert row.unplanned <= row.actual
        if row.compliance is not None:
            assert Decimal(0) <= row.compliance <= Decimal(100)
    assert report.overall.planned == len(plan)
    assert report.overall.actual == sum(1 for v in visits if period.contains(v.visited_on))
    orders = [_order("SO1", "R0", 2), _order("SO2", "R0", 1)]
    kpis = field_kpis(visits, orders, period, plan=plan)
    for k in [kpis.overall, *kpis.by_rep.values()]:
        for pct in (k.strike_rate, k.effective_coverage):
            assert pct is None or Decimal(0) <= pct <= Decimal(100)
        assert k.outlets_billed <= k.outlets_planned


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.integers(0, 500),
            st.decimals("0", "999.99", places=2),
            st.one_of(st.none(), st.decimals("0", "50", places=2)),
        ),
        min_size=1,
        max_size=5,
    )
)
def test_drop_size_uses_the_documents_taxable_value(
    lines: list[tuple[int, Decimal, Decimal | None]],
) -> None:
    doc = Document(
        "SO1",
        "order",
        "secondary",
        "D1",
        "R1",
        d(2),
        "INR",
        tuple(
            Line(
                f"SKU{i}",
                qty,
                Money(price, "INR"),
                discount=None if disc is None else Money(disc, "INR"),
            )
            for i, (qty, price, disc) in enumerate(lines)
        ),
    )
    k = field_kpis([Visit("V1", "REP1", "R1", d(2), order_id="SO1")], [doc], PERIOD).overall
    assert k.order_value == doc.taxable
    assert k.drop_size == doc.taxable.round()


def test_items_left_with_a_rep_who_left_are_errors() -> None:
    from distcrm.territory import AssignmentBook, Rep, assignments_without_rep, reassign

    ravi = Rep("RAVI", "Ravi", Validity(date(2024, 1, 1))).leaves(date(2025, 7, 1))
    meera = Rep("MEERA", "Meera", Validity(date(2025, 8, 1)))
    book = (
        AssignmentBook()
        .assign("RAVI", "account", "D1", date(2025, 1, 1))
        .assign("RAVI", "territory", "PUNE", date(2025, 1, 1))
    )
    beats = [Beat("B1", "D1", "RAVI", ["MO"], ["R1"])]
    on = date(2025, 7, 1)
    found = assignments_without_rep(book, beats, [ravi, meera], on)
    assert [(f.code, f.subject) for f in found] == [
        ("account_held_by_absent_rep", "D1"),
        ("territory_held_by_absent_rep", "PUNE"),
        ("beat_held_by_absent_rep", "B1"),
    ]
    assert "who left on 2025-07-01" in found[0].message
    # handed to MEERA, who only starts in August: still flagged in July, clean in August
    moved = reassign(book, beats, "RAVI", on, ["MEERA"])
    july = assignments_without_rep(moved.book, moved.beats, [ravi, meera], on)
    assert all("who starts on 2025-08-01" in f.message for f in july) and len(july) == 3
    assert assignments_without_rep(moved.book, moved.beats, [ravi, meera], date(2025, 8, 1)) == ()
    unknown = assignments_without_rep(moved.book, moved.beats, [], date(2025, 8, 1))
    assert "'MEERA', who is not a known rep" in unknown[0].message
