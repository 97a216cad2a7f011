"""The evaluator against a naive, independent Decimal implementation on random data."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

from hypothesis import given, settings
from hypothesis import strategies as st

from distcrm.documents import Document, Line
from distcrm.money import Money
from distcrm.periods import Validity
from distcrm.schemes import FreeGoods, PercentDiscount, Scheme, Slab, evaluate

D = Decimal
START = date(2025, 5, 20)
VALID = Validity(date(2025, 6, 1), date(2025, 8, 1))
RATES = ((D(1_000), D(2)), (D(5_000), D("3.5")), (D(20_000), D(5)))

row_st = st.tuples(
    st.sampled_from(("R1", "R2")),
    st.sampled_from(("D1", "D2")),
    st.integers(0, 80),  # day offset: some before, some after validity
    st.sampled_from(("A", "B")),
    st.integers(1, 90),
    st.integers(1, 30_000),  # unit price in paise
    st.integers(0, 500),  # discount in paise
    st.booleans(),  # return referencing the previous invoice?
)


def build(rows: list[tuple[str, str, int, str, int, int, int, bool]]) -> list[Document]:
    docs: list[Document] = []
    for i, (buyer, seller, day, sku, qty, paise, disc, ret) in enumerate(rows):
        price = Money.from_minor_units(paise, "INR")
        discount = Money.from_minor_units(min(disc, paise * qty), "INR")
        line = Line(sku, qty, price, discount=discount)
        prev = next((d for d in reversed(docs) if d.kind == "invoice"), None)
        if ret and prev is not None:
            day_on = prev.issued_on + timedelta(days=day % 40)
            docs.append(
                Document(
                    f"RET{i}",
                    "return",
                    "secondary",
                    prev.seller,
                    prev.buyer,
                    day_on,
                    "INR",
                    (line,),
                    reference=prev.id,
                )
            )
        else:
            docs.append(
                Document(
                    f"INV{i}",
                    "invoice",
                    "secondary",
                    seller,
                    buyer,
                    START + timedelta(days=day),
                    "INR",
                    (line,),
                )
            )
    return docs


def oracle(
    docs: list[Document], on: date, party: str, slab_mode: bool
) -> tuple[dict[tuple[str, str], Decimal], dict[tuple[str, str], int]]:
    """Percent slabs on net value and buy 10 get 1 on units, per party and month."""
    by_id: dict[str, Document] = {d.id: d for d in docs}
    net: dict[tuple[str, str], Decimal] = {}
    units: dict[tuple[str, str], int] = {}
    for d in docs:
        if d.issued_on > on:
            continue
        eff = d.issued_on
        if d.kind == "return" and d.reference in by_id:
            eff = by_id[d.reference].issued_on
        if not VALID.contains(eff):
            continue
        who: str = d.buyer if party == "buyer" else d.seller
        key: tuple[str, str] = (who, f"{eff.year:04d}-{eff.month:02d}")
        sign = -1 if d.kind == "return" else 1
        for line in d.lines:
            gross = (line.unit_price.amount * line.qty).quantize(D("0.01"), ROUND_HALF_UP)
            value = gross - line.discount_amount.amount
            net[key] = net.get(key, D(0)) + sign * value
            units[key] = units.get(key, 0) + sign * line.qty
    discounts: dict[tuple[str, str], Decimal] = {}
    for key, v in net.items():
        if slab_mode:
            rate = next((r for low, r in reversed(RATES) if v >= low), None)
            amount = v * rate / 100 if rate is not None else D(0)
        else:
            amount = D(0)
            for i, (low, r) in enumerate(RATES):
                high = RATES[i + 1][0] if i + 1 < len(RATES) else None
                top = v if high is None else min(v, high)
                if top > low:
                    amount += (top - low) * r / 100
        amount = amount.quantize(D("0.01"), ROUND_HALF_UP)
        if amount:
            discounts[key] = amount
    free = {k: u // 10 for k, u in units.items() if u >= 10}
    return discounts, free


@settings(max_examples=150, deadline=None)
@given(
    st.lists(row_st, max_size=30),
    st.sampled_from(("buyer", "seller")),
    st.booleans(),
    st.integers(0, 90),
)
def test_evaluator_matches_a_naive_decimal_implementation(
    rows: list[tuple[str, str, int, str, int, int, int, bool]],
    party: Literal["buyer", "seller"],
    slab_mode: bool,
    on_offset: int,
) -> None:
    docs = build(rows)
    on = START + timedelta(days=on_offset)
    pct = Scheme(
        "P",
        "percent",
        VALID,
        measure="net_value",
        window="month",
        party=party,
        slab_mode="slab" if slab_mode else "step",
        slabs=tuple(Slab(low, PercentDiscount(r)) for low, r in RATES),
    )
    fg = Scheme(
        "F",
        "buy 10 get 1",
        VALID,
        window="month",
        party=party,
        slabs=(Slab(D(10), FreeGoods(1, D(10))),),
    )
    want_disc, want_free = oracle(docs, on, party, slab_mode)
    for explain in (True, False):
        r = evaluate([pct, fg], docs, on=on, explain=explain)
        got_disc = {(e.party, e.window.label): e.discount.amount for e in r.for_scheme("P")}
        got_free = {(e.party, e.window.label): e.free_units for e in r.for_scheme("F")}
        assert got_disc == want_disc
        assert got_free == want_free


def test_the_oracle_comparison_is_not_vacuous() -> None:
    # R1 in June: 50 x 200.00 - 1.00 = 9,999.00, 20 x 50.00 = 1,000.00, a return of
    # 30 x 10.00 = 300.00 made against INV1, and 5 x 1.00 = 5.00 from D2 -> 10,704.00
    # -> slab 2 (from 5,000: 3.5 %) = 374.64; units 50 + 20 - 30 + 5 = 45 -> 4 free
    rows = [
        ("R1", "D1", 15, "A", 50, 20_000, 100, False),
        ("R1", "D1", 16, "B", 20, 5_000, 0, False),
        ("R2", "D2", 17, "A", 30, 1_000, 0, True),
        ("R1", "D2", 20, "A", 5, 100, 0, False),
    ]
    docs = build(rows)
    on = START + timedelta(days=80)
    want_disc, want_free = oracle(docs, on, "buyer", True)
    pct = Scheme(
        "P",
        "percent",
        VALID,
        measure="net_value",
        window="month",
        slabs=tuple(Slab(low, PercentDiscount(r)) for low, r in RATES),
    )
    fg = Scheme(
        "F", "buy 10 get 1", VALID, window="month", slabs=(Slab(D(10), FreeGoods(1, D(10))),)
    )
    r = evaluate([pct, fg], docs, on=on)
    assert {(e.party, e.window.label): e.discount.amount for e in r.for_scheme("P")} == want_disc
    assert {(e.party, e.window.label): e.free_units for e in r.for_scheme("F")} == want_free
    assert want_free == {("R1", "2025-06"): 4}
    assert want_disc == {("R1", "2025-06"): D("374.64")}
