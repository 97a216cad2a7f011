"""The evaluator's integer shortcuts agree with plain Decimal arithmetic (hypothesis)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from distcrm.documents import Document, Line
from distcrm.money import Money
from distcrm.periods import Validity
from distcrm.schemes import FlatAmount, FreeGoods, PercentDiscount, Scheme, Slab, evaluate

D = Decimal
VALID = Validity(date(2025, 6, 1), date(2025, 8, 1))
ON = date(2025, 7, 31)

# (buyer, day offset from 1 June, sku, qty, unit price in paise, a return of invoice 0?)
row_st = st.tuples(
    st.sampled_from(("R1", "R2")),
    st.integers(0, 59),
    st.sampled_from(("A", "B")),
    st.integers(1, 60),
    st.integers(50, 5_000),
    st.booleans(),
)


def build(rows: list[tuple[str, int, str, int, int, bool]]) -> list[Document]:
    docs: list[Document] = []
    for i, (buyer, day, sku, qty, paise, ret) in enumerate(rows):
        is_return = ret and i > 0 and docs[0].buyer == buyer
        docs.append(
            Document(
                f"D{i:03d}",
                "return" if is_return else "invoice",
                "secondary",
                "DIST",
                buyer,
                date(2025, 6, 1) + timedelta(days=day),
                "INR",
                (Line(sku, qty, Money.from_minor_units(paise, "INR")),),
                reference="D000" if is_return else None,
            )
        )
    return docs


def windows(
    docs: list[Document], by_invoice: bool
) -> dict[tuple[str, str], list[tuple[int, Decimal]]]:
    """(signed units, unit price) per (buyer, month) or (buyer, invoice); returns join
    their invoice."""
    by_id: dict[str, Document] = {d.id: d for d in docs}
    out: dict[tuple[str, str], list[tuple[int, Decimal]]] = {}
    for d in docs:
        target = by_id[d.reference] if d.reference else d
        key = target.id if by_invoice else target.issued_on.strftime("%Y-%m")
        for line in d.lines:
            qty = line.qty if d.kind == "invoice" else -line.qty
            out.setdefault((d.buyer, key), []).append((qty, line.unit_price.amount))
    return out


@settings(max_examples=120, deadline=None)
@given(st.lists(row_st, min_size=1, max_size=25), st.integers(1, 40), st.integers(1, 300))
def test_flat_per_unit_and_free_goods_match_decimal_arithmetic(
    rows: list[tuple[str, int, str, int, int, bool]], minimum: int, flat_paise: int
) -> None:
    docs = build(rows)
    flat = Scheme(
        "F",
        "flat",
        VALID,
        window="month",
        slabs=(Slab(minimum, FlatAmount(Decimal(flat_paise).scaleb(-2), "unit")),),
    )
    free = Scheme(
        "G", "free", VALID, window="invoice", slabs=(Slab(minimum, FreeGoods(2, minimum)),)
    )
    result = evaluate([flat, free], docs, on=ON)
    got_flat = {(e.party, e.window.label): e.discount.amount for e in result.for_scheme("F")}
    got_free = {(e.party, e.window.label): e.free_units for e in result.for_scheme("G")}
    want_flat: dict[tuple[str, str], Decimal] = {}
    for key, lines in windows(docs, by_invoice=False).items():
        units = sum(q for q, _ in lines)
        if units >= minimum and units * flat_paise:
            want_flat[key] = D(units * flat_paise).scaleb(-2)  # paise per unit x units
    want_free: dict[tuple[str, str], int] = {}
    for key, lines in windows(docs, by_invoice=True).items():
        units = sum(q for q, _ in lines)
        if units >= minimum:
            want_free[key] = units // minimum * 2  # 2 free every `minimum` units
    assert got_flat == want_flat
    assert got_free == want_free
    bulk = evaluate([flat, free], docs, on=ON, explain=False)
    assert bulk.entitlements == result.entitlements


@settings(max_examples=120, deadline=None)
@given(st.lists(row_st, min_size=1, max_size=25), st.sampled_from(("2", "2.5", "0.75")))
def test_step_percent_on_gross_value_matches_decimal_arithmetic(
    rows: list[tuple[str, int, str, int, int, bool]], first: str
) -> None:
    docs = build(rows)
    rates = ((D(100), D(first)), (D(500), D("3.5")))
    s = Scheme(
        "S",
        "step",
        VALID,
        window="month",
        measure="gross_value",
        slab_mode="step",
        slabs=tuple(Slab(low, PercentDiscount(r, base="gross_value")) for low, r in rates),
    )
    result = evaluate([s], docs, on=ON)
    got = {(e.party, e.window.label): e.discount.amount for e in result.entitlements}
    want: dict[tuple[str, str], Decimal] = {}
    for key, lines in windows(docs, by_invoice=False).items():
        v = sum((price * q for q, price in lines), D(0))
        amount = D(0)
        for i, (low, r) in enumerate(rates):
            high = rates[i + 1][0] if i + 1 < len(rates) else None
            top = v if high is None else min(v, high)
            if top > low:
                amount += (top - low) * r / 100  # each band at its own rate
        amount = amount.quantize(D("0.01"), ROUND_HALF_UP)
        if amount:
            want[key] = amount
    assert got == want
