"""Money: exact decimal amounts with an ISO 4217 currency.

Money is never a float. Arithmetic is allowed only between amounts of the same
currency; multiplication and division take ``int`` or ``Decimal`` factors.
Rounding is explicit and goes to the currency's minor unit (from babel's
currency data) half-up unless another mode is asked for. :func:`allocate`
splits an amount by weights without losing or inventing a minor unit.

Examples:
    >>> price = Money.of("72.03", "INR")
    >>> (price * 3).amount
    Decimal('216.09')
    >>> Money.of("10", "INR") / 3
    Money(amount=Decimal('3.333333333333333333333333333'), currency='INR')
    >>> (Money.of("10", "INR") / 3).round()
    Money(amount=Decimal('3.33'), currency='INR')
    >>> [str(m) for m in allocate(Money.of("100.00", "INR"), [1, 1, 1])]
    ['33.34 INR', '33.33 INR', '33.33 INR']
    >>> format_money(Money.of("12345678", "INR"), locale="en_IN")
    '₹1,23,45,678.00'
"""

from __future__ import annotations

import decimal
from collections.abc import Iterable, Sequence
from decimal import Decimal
from functools import lru_cache
from typing import Literal, TypeAlias

import attrs
from babel.numbers import format_currency, get_currency_precision, is_currency

from distcrm.errors import CurrencyMismatch, MoneyError

__all__ = [
    "ROUNDING_MODES",
    "Money",
    "RoundingMode",
    "allocate",
    "format_money",
    "minor_unit_exponent",
    "quantum",
    "round_decimal",
    "sum_money",
    "to_decimal",
]

RoundingMode: TypeAlias = Literal[
    "half_up", "half_even", "half_down", "up", "down", "ceiling", "floor"
]

ROUNDING_MODES: dict[str, str] = {
    "half_up": decimal.ROUND_HALF_UP,
    "half_even": decimal.ROUND_HALF_EVEN,
    "half_down": decimal.ROUND_HALF_DOWN,
    "up": decimal.ROUND_UP,
    "down": decimal.ROUND_DOWN,
    "ceiling": decimal.ROUND_CEILING,
    "floor": decimal.ROUND_FLOOR,
}
"""Rounding modes by name, mapped to the :mod:`decimal` constants."""


def to_decimal(value: object, *, what: str = "amount") -> Decimal:
    """Convert ``value`` to ``Decimal``, refusing floats and other lossy inputs.

    ``int``, ``Decimal`` and numeric strings are accepted; a ``float`` (or
    ``bool``) raises :class:`MoneyError` because it cannot carry an exact
    amount.

    Examples:
        >>> to_decimal("12.50")
        Decimal('12.50')
        >>> to_decimal(0.1)
        Traceback (most recent call last):
        ...
        distcrm.errors.MoneyError: amount: float 0.1 is not exact; pass a Decimal, int or str
    """
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise MoneyError(f"{what}: {value} is not a finite number")
        return value
    if isinstance(value, bool):
        raise MoneyError(f"{what}: expected a number, got bool")
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        raise MoneyError(f"{what}: float {value!r} is not exact; pass a Decimal, int or str")
    if isinstance(value, str):
        try:
            result = Decimal(value.strip())
        except decimal.InvalidOperation:
            raise MoneyError(f"{what}: {value!r} is not a number") from None
        if not result.is_finite():
            raise MoneyError(f"{what}: {value!r} is not a finite number")
        return result
    raise MoneyError(f"{what}: expected Decimal, int or str, got {type(value).__name__}")


@lru_cache(maxsize=256)
def minor_unit_exponent(currency: str) -> int:
    """Number of decimal places of ``currency``'s minor unit (INR 2, JPY 0, KWD 3).

    Examples:
        >>> minor_unit_exponent("INR"), minor_unit_exponent("JPY"), minor_unit_exponent("KWD")
        (2, 0, 3)
    """
    return int(get_currency_precision(currency))


@lru_cache(maxsize=256)
def quantum(currency: str) -> Decimal:
    """The currency's minor unit as a ``Decimal`` quantum (``Decimal('0.01')`` for INR).

    Examples:
        >>> quantum("INR"), quantum("JPY")
        (Decimal('0.01'), Decimal('1'))
    """
    return Decimal(1).scaleb(-minor_unit_exponent(currency))


def round_decimal(value: Decimal, exp: Decimal, mode: RoundingMode = "half_up") -> Decimal:
    """Round ``value`` to the quantum ``exp`` with the named rounding ``mode``.

    Examples:
        >>> round_decimal(Decimal("2.345"), Decimal("0.01"))
        Decimal('2.35')
        >>> round_decimal(Decimal("2.345"), Decimal("0.01"), "half_even")
        Decimal('2.34')
    """
    try:
        rounding = ROUNDING_MODES[mode]
    except KeyError:
        raise MoneyError(
            f"rounding mode {mode!r} is unknown; use one of {', '.join(ROUNDING_MODES)}"
        ) from None
    return value.quantize(exp, rounding=rounding)


@lru_cache(maxsize=512)
def _checked_currency(code: str) -> str:
    if not (len(code) == 3 and code.isalpha() and code.isupper()) or not is_currency(code):
        raise MoneyError(f"currency: {code!r} is not an ISO 4217 currency code")
    return code


def _amount_converter(value: Decimal | int | str) -> Decimal:
    return to_decimal(value)


def _currency_validator(_: object, __: attrs.Attribute[str], value: str) -> None:
    if not isinstance(value, str):
        raise MoneyError(f"currency: expected str, got {type(value).__name__}")
    _checked_currency(value)


@attrs.frozen(order=False)
class Money:
    """An exact amount of one currency.

    Attributes:
        amount: the amount; built from ``Decimal``, ``int`` or a numeric ``str``. Floats raise.
        currency: ISO 4217 code such as ``"INR"``.

    Examples:
        >>> Money(Decimal("1.10"), "INR") + Money(Decimal("2.205"), "INR")
        Money(amount=Decimal('3.305'), currency='INR')
        >>> Money.of("1", "INR") + Money.of("1", "USD")
        Traceback (most recent call last):
        ...
        distcrm.errors.CurrencyMismatch: cannot add INR and USD amounts
    """

    amount: Decimal = attrs.field(converter=_amount_converter)
    currency: str = attrs.field(validator=_currency_validator)

    @classmethod
    def of(cls, amount: Decimal | int | str, currency: str) -> Money:
        """Build from a ``Decimal``, ``int`` or numeric string."""
        return cls(to_decimal(amount), currency)

    @classmethod
    def zero(cls, currency: str) -> Money:
        """The zero amount of ``currency``, written to its minor unit (``0.00 INR``)."""
        return cls(Decimal(0).quantize(quantum(_checked_currency(currency))), currency)

    @classmethod
    def _trusted(cls, amount: Decimal, currency: str) -> Money:
        """Build without validation: only for results of operations on valid amounts."""
        m = object.__new__(cls)
        object.__setattr__(m, "amount", amount)
        object.__setattr__(m, "currency", currency)
        return m

    def _same(self, other: object, op: str) -> Money:
        if not isinstance(other, Money):
            raise MoneyError(f"cannot {op} Money and {type(other).__name__}")
        if other.currency != self.currency:
            raise CurrencyMismatch(f"cannot {op} {self.currency} and {other.currency} amounts")
        return other

    def __add__(self, other: Money) -> Money:
        return Money._trusted(self.amount + self._same(other, "add").amount, self.currency)

    def __sub__(self, other: Money) -> Money:
        return Money._trusted(self.amount - self._same(other, "subtract").amount, self.currency)

    def __neg__(self) -> Money:
        return Money._trusted(-self.amount, self.currency)

    def __abs__(self) -> Money:
        return Money._trusted(abs(self.amount), self.currency)

    def __mul__(self, factor: Decimal | int) -> Money:
        if type(factor) is int or (type(factor) is Decimal and factor.is_finite()):
            return Money._trusted(self.amount * factor, self.currency)
        return Money._trusted(self.amount * to_decimal(factor, what="factor"), self.currency)

    __rmul__ = __mul__

    def __truediv__(self, divisor: Decimal | int) -> Money:
        d = to_decimal(divisor, what="divisor")
        if d == 0:
            raise MoneyError("divisor: cannot divide money by zero")
        return Money._trusted(self.amount / d, self.currency)

    def __lt__(self, other: Money) -> bool:
        return self.amount < self._same(other, "compare").amount

    def __le__(self, other: Money) -> bool:
        return self.amount <= self._same(other, "compare").amount

    def __gt__(self, other: Money) -> bool:
        return self.amount > self._same(other, "compare").amount

    def __ge__(self, other: Money) -> bool:
        return self.amount >= self._same(other, "compare").amount

    def __bool__(self) -> bool:
        return bool(self.amount)

    def __str__(self) -> str:
        return f"{self.amount} {self.currency}"

    @property
    def is_zero(self) -> bool:
        """True when the amount is zero."""
        return self.amount == 0

    @property
    def is_rounded(self) -> bool:
        """True when the amount has no digits below the currency's minor unit."""
        return self.amount == self.amount.quantize(quantum(self.currency), decimal.ROUND_DOWN)

    def round(self, mode: RoundingMode = "half_up", *, places: int | None = None) -> Money:
        """Round to the currency's minor unit (or ``places`` decimals) with ``mode``.

        Examples:
            >>> Money.of("2.345", "INR").round()
            Money(amount=Decimal('2.35'), currency='INR')
            >>> Money.of("2.345", "INR").round("down")
            Money(amount=Decimal('2.34'), currency='INR')
            >>> Money.of("1234.5", "JPY").round()
            Money(amount=Decimal('1235'), currency='JPY')
        """
        exp = quantum(self.currency) if places is None else Decimal(1).scaleb(-places)
        return Money._trusted(round_decimal(self.amount, exp, mode), self.currency)

    def minor_units(self) -> int:
        """The amount in minor units (paise); the amount must already be rounded."""
        if not self.is_rounded:
            raise MoneyError(f"amount: {self} has digits below the minor unit; round it first")
        return int(self.amount.scaleb(minor_unit_exponent(self.currency)))

    @classmethod
    def from_minor_units(cls, units: int, currency: str) -> Money:
        """Build from an integer count of minor units (``12345`` paise is 123.45 INR)."""
        if type(units) is not int:
            raise MoneyError(f"units: expected an int count of minor units, got {units!r}")
        _checked_currency(currency)
        return cls._trusted(Decimal(units).scaleb(-minor_unit_exponent(currency)), currency)


def sum_money(amounts: Iterable[Money], currency: str) -> Money:
    """Sum ``amounts`` (all in ``currency``); the empty sum is zero.

    Examples:
        >>> sum_money([Money.of("1.25", "INR"), Money.of("2", "INR")], "INR")
        Money(amount=Decimal('3.25'), currency='INR')
    """
    total = Money.zero(currency).amount  # the empty sum reads 0.00, like any amount
    for m in amounts:
        if m.currency != currency:
            raise CurrencyMismatch(f"cannot add {m.currency} to a {currency} total")
        total += m.amount
    return Money._trusted(total, currency)


def allocate(total: Money, weights: Sequence[Decimal | int]) -> tuple[Money, ...]:
    """Split ``total`` in proportion to ``weights`` without losing a minor unit.

    Uses the largest-remainder method on minor units: each share is first
    rounded toward zero, then the units left over go one each to the shares
    with the largest remainders, ties going to the earlier share. The result
    always sums exactly to ``total`` and each share is within one minor unit of
    its exact value. ``total`` must already be rounded to the minor unit.

    Args:
        total: the amount to split (may be negative: a reversal splits the same way).
        weights: non-negative weights, at least one positive.

    Returns:
        One amount per weight, in the same order.

    Raises:
        MoneyError: ``total`` not rounded, a negative or float weight, or all weights zero.

    Examples:
        >>> [str(m) for m in allocate(Money.of("10.00", "INR"), [3, 3, 4])]
        ['3.00 INR', '3.00 INR', '4.00 INR']
        >>> [str(m) for m in allocate(Money.of("0.05", "INR"), [1, 1])]
        ['0.03 INR', '0.02 INR']
        >>> [str(m) for m in allocate(Money.of("-0.05", "INR"), [1, 1])]
        ['-0.03 INR', '-0.02 INR']
    """
    if not weights:
        raise MoneyError("weights: at least one weight is needed")
    ws: list[Decimal] = []
    for i, w in enumerate(weights):
        d = to_decimal(w, what=f"weights[{i}]")
        if d < 0:
            raise MoneyError(f"weights[{i}]: must be >= 0, got {d}")
        ws.append(d)
    weight_sum = sum(ws, Decimal(0))
    if weight_sum == 0:
        raise MoneyError("weights: at least one weight must be positive")
    units = total.minor_units()
    sign = -1 if units < 0 else 1
    units = abs(units)
    with decimal.localcontext() as ctx:
        ctx.prec = 50
        exact = [Decimal(units) * w / weight_sum for w in ws]
    floors = [int(e) for e in exact]
    left = units - sum(floors)
    order = sorted(range(len(ws)), key=lambda i: (-(exact[i] - floors[i]), i))
    for i in order[:left]:
        floors[i] += 1
    return tuple(Money.from_minor_units(sign * f, total.currency) for f in floors)


def format_money(money: Money, locale: str = "en_IN", *, rounded: bool = True) -> str:
    """Format ``money`` for display with babel's locale data.

    Args:
        money: the amount.
        locale: a babel locale such as ``"en_IN"`` (lakh/crore grouping), ``"en_US"``.
        rounded: round half-up to the minor unit first (the default).

    Examples:
        >>> format_money(Money.of("12345678", "INR"), locale="en_IN")
        '₹1,23,45,678.00'
        >>> format_money(Money.of("1234.5", "CNY"), locale="zh_CN")
        '¥1,234.50'
        >>> format_money(Money.of("1234.5", "USD"), locale="en_US")
        '$1,234.50'
    """
    value = money.round() if rounded else money
    return str(format_currency(value.amount, value.currency, locale=locale))
