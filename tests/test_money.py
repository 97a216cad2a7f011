"""Money: exact arithmetic, rounding, allocation and formatting."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from distcrm.errors import CurrencyMismatch, DistcrmError, MoneyError
from distcrm.money import Money, allocate, format_money, quantum, sum_money, to_decimal


def inr(s: str) -> Money:
    return Money.of(s, "INR")


def test_same_currency_arithmetic_is_exact() -> None:
    # 0.10 + 0.20 is exactly 0.30 in Decimal (it is not in binary floating point)
    assert inr("0.10") + inr("0.20") == inr("0.30")
    assert inr("5.00") - inr("7.25") == inr("-2.25")
    assert inr("72.03") * 3 == inr("216.09")
    assert Decimal("1.5") * inr("10") == inr("15.0")
    assert -inr("1") == inr("-1")
    assert abs(inr("-2")) == inr("2")


def test_mixing_currencies_raises() -> None:
    with pytest.raises(CurrencyMismatch, match="cannot add INR and USD"):
        _ = inr("1") + Money.of("1", "USD")
    with pytest.raises(CurrencyMismatch):
        _ = inr("1") < Money.of("1", "USD")


@pytest.mark.parametrize("bad", [0.1, 1.0, float("nan")])
def test_floats_are_refused_everywhere(bad: float) -> None:
    with pytest.raises(MoneyError, match="float"):
        Money(bad, "INR")  # type: ignore[arg-type]
    with pytest.raises(MoneyError, match="float"):
        _ = inr("1") * bad  # type: ignore[operator]


def test_bad_inputs_raise_distcrm_errors() -> None:
    with pytest.raises(MoneyError, match="not an ISO 4217"):
        Money.of("1", "RUPEES")
    with pytest.raises(MoneyError, match="not a number"):
        to_decimal("12,50")
    with pytest.raises(MoneyError, match="not a finite"):
        to_decimal(Decimal("Infinity"))
    with pytest.raises(MoneyError, match="divide money by zero"):
        _ = inr("1") / 0
    with pytest.raises(MoneyError, match="rounding mode 'bankers'"):
        inr("1.005").round("bankers")  # type: ignore[arg-type]
    assert issubclass(MoneyError, DistcrmError)


def test_rounding_half_up_to_minor_unit_by_default() -> None:
    assert inr("2.345").round() == inr("2.35")
    assert inr("-2.345").round() == inr("-2.35")  # half-up rounds away from zero
    assert inr("2.345").round("half_even") == inr("2.34")
    assert inr("2.349").round("down") == inr("2.34")
    assert Money.of("1234.5", "JPY").round() == Money.of("1235", "JPY")  # yen has no minor unit
    assert Money.of("1.2345", "KWD").round() == Money.of("1.235", "KWD")  # dinar has three
    assert inr("2.345").round(places=1) == inr("2.3")
    assert quantum("INR") == Decimal("0.01")


def test_minor_units_round_trip() -> None:
    assert inr("123.45").minor_units() == 12345
    assert Money.from_minor_units(12345, "INR") == inr("123.45")
    with pytest.raises(MoneyError, match="round it first"):
        inr("1.005").minor_units()


def test_allocate_hand_checked() -> None:
    # 100.00 in three equal parts: 33.333.. each; 1 paisa left over goes to the first share
    assert allocate(inr("100.00"), [1, 1, 1]) == (inr("33.34"), inr("33.33"), inr("33.33"))
    # GST halves of an odd paisa amount: 0.05 -> 0.03 + 0.02, never 0.025 + 0.025
    assert allocate(inr("0.05"), [1, 1]) == (inr("0.03"), inr("0.02"))
    # weights 1:2:7 over 10.01 -> exact 1.001, 2.002, 7.007 -> floors 1.00, 2.00, 7.00; 1 paisa
    # left, largest remainder is the 7.007 share (0.7 paise)
    assert allocate(inr("10.01"), [1, 2, 7]) == (inr("1.00"), inr("2.00"), inr("7.01"))
    assert allocate(inr("5.00"), [0, 3]) == (inr("0.00"), inr("5.00"))


def test_allocate_rejects_bad_weights() -> None:
    with pytest.raises(MoneyError, match=r"weights\[1\]: must be >= 0"):
        allocate(inr("1.00"), [1, -1])
    with pytest.raises(MoneyError, match="at least one weight must be positive"):
        allocate(inr("1.00"), [0, 0])
    with pytest.raises(MoneyError, match="at least one weight is needed"):
        allocate(inr("1.00"), [])
    with pytest.raises(MoneyError, match="round it first"):
        allocate(inr("1.005"), [1])


@settings(max_examples=300, deadline=None)
@given(
    units=st.integers(min_value=-(10**9), max_value=10**9),
    weights=st.lists(st.integers(min_value=0, max_value=10**6), min_size=1, max_size=12).filter(
        lambda ws: sum(ws) > 0
    ),
)
def test_allocation_conserves_and_stays_within_one_minor_unit(
    units: int, weights: list[int]
) -> None:
    total = Money.from_minor_units(units, "INR")
    shares = allocate(total, weights)
    assert len(shares) == len(weights)
    assert sum_money(shares, "INR") == total
    weight_sum = sum(weights)
    for share, w in zip(shares, weights, strict=True):
        exact = Decimal(units) * w / weight_sum  # in paise
        assert abs(Decimal(share.minor_units()) - exact) < 1
        if w == 0:
            assert share.is_zero


@settings(max_examples=100, deadline=None)
@given(
    units=st.integers(min_value=0, max_value=10**7),
    weights=st.lists(st.integers(min_value=1, max_value=100), min_size=1, max_size=6),
)
def test_allocation_is_deterministic(units: int, weights: list[int]) -> None:
    total = Money.from_minor_units(units, "INR")
    assert allocate(total, weights) == allocate(total, list(weights))


def test_format_money_locales() -> None:
    assert format_money(inr("12345678"), locale="en_IN") == "₹1,23,45,678.00"
    assert format_money(Money.of("1234.5", "CNY"), locale="zh_CN") == "¥1,234.50"
    assert format_money(Money.of("1234.5", "USD"), locale="en_US") == "$1,234.50"
    # formatting rounds half-up first: 0.005 -> 0.01
    assert format_money(inr("0.005"), locale="en_IN") == "₹0.01"
