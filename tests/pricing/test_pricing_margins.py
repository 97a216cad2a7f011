"""Margin chains: the worked example, both conventions, the rounding order, errors."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pricing_builders import inr

from distcrm.money import Money
from distcrm.pricing import MrpViolation, PricingError, TierMargin, price_chain

FMCG = [TierMargin("retailer", "PTR", 15, on="tax_inclusive"),
        TierMargin("distributor", "PTD", 7),
        TierMargin("super_stockist", "PTSS", 3)]


@pytest.mark.parametrize("rounding", ["each_tier", "final"])
def test_worked_example(rounding: str) -> None:
    # MRP 100 incl. 18 % GST. Retailer margin 15 % of the tax-inclusive price:
    #   retailer pays 100 × 0.85 = 85.00 incl. tax; PTR = 85 / 1.18 = 72.0339 → 72.03.
    # Distributor 7 % of the tax-exclusive PTR:
    #   each tier: 72.03 × 0.93 = 66.9879 → 66.99; unrounded: 72.0339 × 0.93 = 66.9915 → 66.99.
    # Super-stockist 3 %:
    #   each tier: 66.99 × 0.97 = 64.9803 → 64.98; unrounded: 66.9915 × 0.97 = 64.9818 → 64.98.
    chain = price_chain(inr("100"), 18, FMCG, rounding=rounding)  # type: ignore[arg-type]
    assert [str(p.price_ex_tax.amount) for p in chain.prices] == ["72.03", "66.99", "64.98"]
    # Inclusive: 85.00; 66.99 × 1.18 = 79.0482 → 79.05; 64.98 × 1.18 = 76.6764 → 76.68
    # (the unrounded chain: 66.9915 × 1.18 = 79.05, 64.9818 × 1.18 = 76.6785 → 76.68).
    assert [str(p.price_incl_tax.amount) for p in chain.prices] == ["85.00", "79.05", "76.68"]
    # Margins in each rule's basis: 15.00 incl.; 72.03 − 66.99 = 5.04; 66.99 − 64.98 = 2.01.
    assert chain.price("PTD").margin == inr("5.04") or rounding == "final"
    assert "retailer margin 15 % on the tax-inclusive price" in chain.trace.steps[0].reason


def test_margin_on_exclusive_price_differs_only_by_rounding() -> None:
    # Exclusive basis, rounding each step: MRP ex tax 100 / 1.18 = 84.7458 → 84.75;
    # PTR = 84.75 × 0.85 = 72.0375 → 72.04 (one paisa above the inclusive convention).
    rule = [TierMargin("retailer", "PTR", 15, on="tax_exclusive")]
    assert price_chain(inr("100"), 18, rule).price("PTR").price_ex_tax == inr("72.04")
    # Unrounded: 84.7458 × 0.85 = 72.0339 → 72.03, as the inclusive convention.
    assert price_chain(inr("100"), 18, rule, rounding="final").price("PTR").price_ex_tax == \
        inr("72.03")


def test_markup_on_cost() -> None:
    # Markup 15 % on cost, tax-inclusive: cost = 100 / 1.15 = 86.9565 → 86.96 incl.;
    # ex tax 86.96 / 1.18 = 73.6949 → 73.69. Distributor markup 7 % on PTR ex tax:
    # 73.69 / 1.07 = 68.8692 → 68.87.
    chain = price_chain(inr("100"), 18, [
        TierMargin("retailer", "PTR", 15, basis="markup", on="tax_inclusive"),
        TierMargin("distributor", "PTD", 7, basis="markup")])
    assert chain.price("PTR").price_incl_tax == inr("86.96")
    assert chain.price("PTR").price_ex_tax == inr("73.69")
    assert chain.price("distributor").price_ex_tax == inr("68.87")


def test_bad_rates_are_named() -> None:
    with pytest.raises(PricingError, match=r"margin chain.margins\[1\].rate: must be >= 0"):
        price_chain(inr("100"), 18, [TierMargin("r", "PTR", 10), TierMargin("d", "PTD", -1)])
    with pytest.raises(PricingError, match=r"margins\[0\].rate: a margin must be below 100 %"):
        price_chain(inr("100"), 18, [TierMargin("r", "PTR", 100)])
    with pytest.raises(PricingError, match="margin chain.mrp: must be > 0"):
        price_chain(inr("0"), 18, FMCG)
    with pytest.raises(PricingError, match="no price or tier called 'PTX'"):
        price_chain(inr("100"), 18, FMCG).price("PTX")


def test_rounding_above_mrp_raises() -> None:
    # A 0 % margin on the exclusive price, rounding each step, round-trips through the
    # exclusive price: MRP 100.01 → 100.01 / 1.18 = 84.7542 → 84.75 → × 1.18 = 100.005 → 100.01,
    # equal to the MRP, accepted.
    assert price_chain(inr("100.01"), 18, [TierMargin("r", "PTR", 0)]).prices[0].price_incl_tax \
        == inr("100.01")
    # MRP 0.03: 0.03 / 1.18 = 0.0254 → 0.03 ex tax → × 1.18 = 0.0354 → 0.04 incl. > 0.03.
    with pytest.raises(MrpViolation, match=r"margins\[0\]: PTR 0.04 incl. tax exceeds the MRP"):
        price_chain(inr("0.03"), 18, [TierMargin("r", "PTR", 0)])


@settings(max_examples=100, deadline=None)
@given(st.integers(100, 1_000_000), st.sampled_from([0, 5, 12, 18, 28]),
       st.lists(st.integers(0, 3000), min_size=1, max_size=4),
       st.sampled_from(["each_tier", "final"]))
def test_prices_fall_down_the_chain_and_stay_within_mrp(
        paise: int, rate: int, margins: list[int], rounding: str) -> None:
    mrp = Money.from_minor_units(paise, "INR")
    rules = [TierMargin(f"t{i}", f"P{i}", Decimal(m) / 100) for i, m in enumerate(margins)]
    try:
        chain = price_chain(mrp, rate, rules, rounding=rounding)  # type: ignore[arg-type]
    except MrpViolation:
        return  # only a zero margin rounding up can do this, and it is refused
    previous = mrp.amount
    for p in chain.prices:
        assert p.price_incl_tax.amount <= mrp.amount
        assert p.price_incl_tax.amount <= previous + Decimal("0.01")
        previous = p.price_incl_tax.amount
