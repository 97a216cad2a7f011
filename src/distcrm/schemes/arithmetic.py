"""Exact integer arithmetic used by the evaluator: rounding fractions, splitting whole units.

Amounts are handled as integers of minor units (paise) and exact fractions;
they become :class:`~distcrm.money.Money` only at the end.

Examples:
    >>> from fractions import Fraction
    >>> round_fraction(Fraction(5, 2)), round_fraction(Fraction(-5, 2))
    (3, -3)
    >>> round_fraction(Fraction(5, 2), "half_even")
    2
    >>> split_whole(5, [1, 1, 1])
    [2, 2, 1]
    >>> to_number(Decimal("10.50")), to_number(Decimal("10.00"))
    (Fraction(21, 2), 10)
"""

from __future__ import annotations

import decimal
from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction

from distcrm.money import ROUNDING_MODES, RoundingMode

__all__ = [
    "Number",
    "round_fraction",
    "round_ratio",
    "split_whole",
    "to_decimal_places",
    "to_number",
]

Number = int | Fraction


def to_number(value: Decimal) -> Number:
    """``value`` as an ``int`` when it is integral, else as an exact ``Fraction``."""
    if value == value.to_integral_value():
        return int(value)
    return Fraction(value)


def round_fraction(value: Number, mode: RoundingMode = "half_up") -> int:
    """Round an exact number to an integer with the named rounding mode.

    ``half_up`` rounds ties away from zero, as :mod:`decimal` does.
    """
    if isinstance(value, int):
        return value
    n, d = value.numerator, value.denominator
    if d == 1:
        return n
    if mode == "half_up":
        q = (2 * abs(n) + d) // (2 * d)
        return q if n >= 0 else -q
    with decimal.localcontext() as ctx:
        ctx.prec = 80
        exact = Decimal(n) / Decimal(d)
        return int(exact.quantize(Decimal(1), rounding=ROUNDING_MODES[mode]))


def round_ratio(num: int, den: int, mode: RoundingMode = "half_up") -> int:
    """Round ``num / den`` (``den > 0``) to an integer; ``half_up`` without building a Fraction.

    Examples:
        >>> round_ratio(1_000_025 * 2, 100), round_ratio(-5, 2), round_ratio(7, 2, "down")
        (20001, -3, 3)
    """
    if mode == "half_up":
        q = (2 * abs(num) + den) // (2 * den)
        return q if num >= 0 else -q
    return round_fraction(Fraction(num, den), mode)


def to_decimal_places(value: Number, places: int = 4) -> Decimal:
    """An exact number as a ``Decimal``: exact when it terminates, else rounded half-up.

    Examples:
        >>> to_decimal_places(Fraction(5, 2)), to_decimal_places(Fraction(1, 3))
        (Decimal('2.5'), Decimal('0.3333'))
    """
    if isinstance(value, int) or value.denominator == 1:
        return Decimal(int(value))
    d = value.denominator
    while d % 2 == 0:
        d //= 2
    while d % 5 == 0:
        d //= 5
    if d == 1:
        with decimal.localcontext() as ctx:
            ctx.prec = 80
            return (Decimal(value.numerator) / Decimal(value.denominator)).normalize()
    scaled = round_fraction(value * 10**places)
    return Decimal(scaled).scaleb(-places)


def split_whole(total: int, weights: Sequence[int]) -> list[int]:
    """Split a non-negative integer ``total`` by non-negative integer ``weights``, exactly.

    Largest remainder: each share is first rounded down, then the remaining
    units go one each to the largest remainders, ties to the earlier share.
    With all weights zero, everything goes to the first share.
    """
    if not weights:
        return []
    wsum = sum(weights)
    if wsum <= 0:
        return [total] + [0] * (len(weights) - 1)
    floors = [total * w // wsum for w in weights]
    rems = [total * w % wsum for w in weights]
    left = total - sum(floors)
    if left:
        # largest remainder first; a stable sort keeps ties in index order even reversed
        order = sorted(range(len(weights)), key=rems.__getitem__, reverse=True)
        for i in order[:left]:
            floors[i] += 1
    return floors
