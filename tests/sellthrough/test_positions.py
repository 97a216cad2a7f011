"""Stock positions: hand-checked examples, conservation properties, findings and errors."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sellthrough_builders import doc, receipt, return_in, return_out, sale

from distcrm.documents import Document
from distcrm.sellthrough import (
    SellThroughError,
    StockAdjustment,
    StockPosition,
    stock_flow,
    stock_positions,
)

D = date(2025, 6, 1)


def day(n: int) -> date:
    return D + timedelta(days=n)


def test_every_flow_counts_in_its_component() -> None:
    docs = [
        receipt("P-1", "D1", day(0), ("A", 100, 4)),
        sale("S-1", "D1", day(1), ("A", 30, 3)),
        return_in("R-1", "D1", day(2), ("A", 5)),
        return_out("R-2", "D1", day(3), ("A", 7)),
        doc("O-1", "order", "secondary", "D1", "R1", day(3), ("A", 500)),
        doc("CN-1", "credit_note", "primary", "SS1", "D1", day(3), ("A", 500)),
    ]
    adjustments = [
        StockAdjustment("ADJ-1", "D1", "A", day(4), 2, "damage"),
        StockAdjustment("ADJ-2", "D1", "A", day(4), 1, "expiry"),
        StockAdjustment("ADJ-3", "D1", "A", day(5), -1, "count"),
    ]
    report = stock_positions(docs, on=day(10), opening={("D1", "A"): 6}, adjustments=adjustments)
    pos = report.position("D1", "A")
    assert pos == StockPosition(
        "D1",
        "A",
        day(10),
        opening=6,
        receipts=104,
        sales=33,
        returns_in=5,
        returns_out=7,
        damages=3,
        adjustments=-1,
    )
    # 6 + 104 - 33 + 5 - 7 - 3 - 1 = 71
    assert pos.closing == 71
    assert report.stock("D1", "A") == 71
    assert report.findings == ()
    # the super-stockist's and the retailer's stock are not kept
    assert report.holders() == ("D1",)


def test_position_on_a_date_ignores_later_documents() -> None:
    docs = [
        receipt("P-1", "D1", day(0), ("A", 50)),
        sale("S-1", "D1", day(3), ("A", 20)),
        sale("S-2", "D1", day(5), ("A", 10)),
    ]
    assert stock_positions(docs, on=day(2)).stock("D1", "A") == 50
    assert stock_positions(docs, on=day(3)).stock("D1", "A") == 30  # 50 - 20
    assert stock_positions(docs, on=day(9)).stock("D1", "A") == 20  # 50 - 20 - 10
    # documents may come in any order
    assert stock_positions(list(reversed(docs)), on=day(9)).stock("D1", "A") == 20


def test_start_and_opening_continue_an_earlier_position() -> None:
    docs = [
        receipt("P-1", "D1", day(0), ("A", 50)),
        sale("S-1", "D1", day(3), ("A", 20)),
        sale("S-2", "D1", day(5), ("A", 10)),
    ]
    first = stock_positions(docs, on=day(3))
    rest = stock_positions(docs, on=day(9), start=day(4), opening=first.closing)
    pos = rest.position("D1", "A")
    assert (pos.opening, pos.receipts, pos.sales, pos.closing) == (30, 0, 10, 20)


def test_sales_beyond_stock_is_a_finding_naming_holder_sku_day_and_shortfall() -> None:
    docs = [
        receipt("P-1", "D1", day(0), ("A", 10)),
        sale("S-1", "D1", day(2), ("A", 8)),
        sale("S-2", "D1", day(2), ("A", 5)),  # same day: 10 - 13 = -3
        receipt("P-2", "D1", day(4), ("A", 10)),  # back to 7, no finding
        sale("S-3", "D1", day(6), ("A", 9)),  # 7 - 9 = -2
    ]
    report = stock_positions(docs, on=day(9))
    assert report.stock("D1", "A") == -2  # never clipped
    assert [f.code for f in report.findings] == ["sales_beyond_stock", "sales_beyond_stock"]
    first, second = report.findings
    assert first.subject == "D1/A"
    assert first.severity == "error"
    assert first.message == (
        "D1 had -3 units of A at the end of 2025-06-03: 3 units more left the godown than it had"
    )
    assert "2025-06-07" in second.message
    assert "2 units more" in second.message


def test_a_receipt_later_the_same_day_covers_the_sale() -> None:
    # Order within a day is unknown; only the end-of-day balance counts.
    docs = [sale("S-1", "D1", day(1), ("A", 8)), receipt("P-1", "D1", day(1), ("A", 10))]
    report = stock_positions(docs, on=day(1))
    assert report.stock("D1", "A") == 2
    assert report.findings == ()


def test_write_off_beyond_stock_and_negative_opening_are_findings() -> None:
    report = stock_positions(
        [],
        on=day(5),
        opening={("D1", "A"): 2, ("D1", "B"): -4},
        adjustments=[StockAdjustment("ADJ-1", "D1", "A", day(3), 5, "damage")],
    )
    codes = sorted((f.code, f.subject) for f in report.findings)
    assert codes == [("negative_opening_stock", "D1/B"), ("sales_beyond_stock", "D1/A")]
    assert report.stock("D1", "A") == -3  # 2 - 5
    assert report.stock("D1", "B") == -4


def test_adjustments_outside_the_window_are_ignored() -> None:
    adjustments = [
        StockAdjustment("ADJ-1", "D1", "A", day(1), 1, "damage"),
        StockAdjustment("ADJ-2", "D1", "A", day(9), 1, "damage"),
    ]
    report = stock_positions(
        [receipt("P-1", "D1", day(0), ("A", 10))],
        on=day(5),
        start=day(2),
        adjustments=adjustments,
    )
    # the receipt (day 0) and both adjustments fall outside [day 2, day 5]
    assert report.stock("D1", "A") == 0
    assert "D1", "A" not in report


def test_accounts_filter_keeps_only_the_named_holders() -> None:
    docs = [receipt("P-1", "D1", day(0), ("A", 10)), receipt("P-2", "D2", day(0), ("A", 7))]
    report = stock_positions(docs, on=day(1), accounts=["D2"])
    assert report.holders() == ("D2",)
    assert [p.closing for p in report.positions()] == [7]


def test_stock_flow_table() -> None:
    flows = {
        d.id: stock_flow(d)
        for d in [
            receipt("P", "D1", day(0)),
            sale("S", "D1", day(0)),
            return_in("RI", "D1", day(0)),
            return_out("RO", "D1", day(0)),
            doc("DN", "debit_note", "primary", "D1", "SS1", day(0)),
        ]
    }
    assert flows == {
        "P": ("D1", "receipts"),
        "S": ("D1", "sales"),
        "RI": ("D1", "returns_in"),
        "RO": ("D1", "returns_out"),
        "DN": None,
    }


def test_start_after_on_names_the_argument() -> None:
    with pytest.raises(SellThroughError, match=r"stock_positions\.start: 2025-06-05 is after"):
        stock_positions([], on=day(0), start=day(4))


def test_bad_opening_names_the_key() -> None:
    with pytest.raises(SellThroughError, match=r"opening\[\('D1', 'A'\)\]: expected an int"):
        stock_positions([], on=day(0), opening={("D1", "A"): 1.5})  # type: ignore[dict-item]


def test_adjustment_errors_name_object_and_field() -> None:
    with pytest.raises(SellThroughError, match=r"stock adjustment 'X'\.qty: a count correction"):
        StockAdjustment("X", "D1", "A", day(0), 0, "count")
    with pytest.raises(SellThroughError, match=r"stock adjustment 'X'\.reason: 'theft'"):
        StockAdjustment("X", "D1", "A", day(0), 1, "theft")  # type: ignore[arg-type]


# --- properties -------------------------------------------------------------------------

HOLDERS = ("D1", "D2")
SKUS = ("A", "B", "C")

movement = st.tuples(
    st.sampled_from(["receipt", "sale", "return_in", "return_out"]),
    st.sampled_from(HOLDERS),
    st.sampled_from(SKUS),
    st.integers(0, 30),  # day offset
    st.integers(0, 40),  # qty
    st.integers(0, 3),  # free qty
)

BUILD = {"receipt": receipt, "sale": sale, "return_in": return_in, "return_out": return_out}


def build(moves: list[tuple[str, str, str, int, int, int]]) -> list[Document]:
    docs = []
    for i, (kind, holder, sku, offset, qty, free) in enumerate(moves):
        if kind in ("receipt", "sale"):
            docs.append(BUILD[kind](f"X-{i}", holder, day(offset), (sku, qty, free)))
        else:
            docs.append(BUILD[kind](f"X-{i}", holder, day(offset), (sku, qty + free)))
    return docs


@settings(max_examples=150, deadline=None)
@given(moves=st.lists(movement, max_size=40), on=st.integers(0, 30))
def test_stock_is_conserved(moves: list[tuple[str, str, str, int, int, int]], on: int) -> None:
    docs = build(moves)
    report = stock_positions(docs, on=day(on))
    # independent accounting: signed units per key up to ``on``
    expected: dict[tuple[str, str], int] = {}
    sign = {"receipt": 1, "sale": -1, "return_in": 1, "return_out": -1}
    for kind, holder, sku, offset, qty, free in moves:
        if offset <= on:
            key = (holder, sku)
            expected[key] = expected.get(key, 0) + sign[kind] * (qty + free)
    assert dict(report.closing) == expected
    for pos in report.positions():
        assert pos.closing == report.stock(pos.account, pos.sku)
        assert pos.closing == pos.opening + pos.inflow - pos.outflow + pos.adjustments
    # everything that came in and did not go out is still in some godown
    total_in = sum(p.inflow for p in report.positions())
    total_out = sum(p.outflow for p in report.positions())
    assert sum(report.closing.values()) == total_in - total_out


@settings(max_examples=100, deadline=None)
@given(moves=st.lists(movement, max_size=30), cut=st.integers(0, 29))
def test_positions_split_at_any_day_add_up(
    moves: list[tuple[str, str, str, int, int, int]], cut: int
) -> None:
    docs = build(moves)
    whole = stock_positions(docs, on=day(30))
    first = stock_positions(docs, on=day(cut))
    second = stock_positions(docs, on=day(30), start=day(cut + 1), opening=first.closing)
    nonzero = {k: v for k, v in whole.closing.items() if v}
    assert {k: v for k, v in second.closing.items() if v} == nonzero


@settings(max_examples=100, deadline=None)
@given(moves=st.lists(movement, max_size=30))
def test_a_finding_exactly_when_some_end_of_day_balance_is_negative_after_an_outflow(
    moves: list[tuple[str, str, str, int, int, int]],
) -> None:
    docs = build(moves)
    report = stock_positions(docs, on=day(30))
    # brute force: replay day by day
    flagged = set()
    balance: dict[tuple[str, str], int] = {}
    sign = {"receipt": 1, "sale": -1, "return_in": 1, "return_out": -1}
    for d in range(31):
        went_out = set()
        for kind, holder, sku, offset, qty, free in moves:
            if offset == d:
                key = (holder, sku)
                balance[key] = balance.get(key, 0) + sign[kind] * (qty + free)
                if sign[kind] < 0 and qty + free > 0:
                    went_out.add(key)
        for key in went_out:
            if balance[key] < 0:
                flagged.add((f"{key[0]}/{key[1]}", d))
    found = {
        (f.subject, (date.fromisoformat(f.message.split("end of ")[1][:10]) - D).days)
        for f in report.findings
    }
    assert found == flagged


def test_totals_materialise_each_component_like_the_positions() -> None:
    docs = [
        receipt("P-1", "D1", day(0), ("A", 10), ("B", 5)),
        sale("S-1", "D1", day(1), ("A", 4, 1)),
        return_out("R-1", "D1", day(2), ("B", 2)),
    ]
    report = stock_positions(docs, on=day(3), opening={("D2", "C"): 3})
    assert report.totals("receipts") == {("D1", "A"): 10, ("D1", "B"): 5}
    assert report.totals("sales") == {("D1", "A"): 5}  # 4 + 1 free
    assert report.totals("returns_out") == {("D1", "B"): 2}
    assert dict(report.flows["sales"]) == report.totals("sales")
    for pos in report.positions():
        assert report.totals("sales").get((pos.account, pos.sku), 0) == pos.sales
    with pytest.raises(SellThroughError, match=r"stock report\.totals: 'theft' is not one of"):
        report.totals("theft")


@settings(max_examples=100, deadline=None)
@given(moves=st.lists(movement, max_size=30), keep=st.sets(st.sampled_from(HOLDERS)))
def test_accounts_filter_is_a_restriction(
    moves: list[tuple[str, str, str, int, int, int]], keep: set[str]
) -> None:
    docs = build(moves)
    everything = stock_positions(docs, on=day(30))
    some = stock_positions(docs, on=day(30), accounts=keep)
    assert dict(some.closing) == {k: v for k, v in everything.closing.items() if k[0] in keep}
    assert [
        f for f in everything.findings if f.subject and f.subject.split("/")[0] in keep
    ] == list(some.findings)
