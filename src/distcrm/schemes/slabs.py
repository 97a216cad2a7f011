"""Slab arithmetic: which slab a volume reaches and how a volume splits into bands.

Pure functions over numbers, reused by the scheme evaluator and by any code
that pays by slabs (incentive payouts, commissions). Slabs are given by their
*inclusive* lower bounds in ascending order: ``(0, 10_000, 50_000)`` means
``[0, 10000)``, ``[10000, 50000)`` and ``[50000, ∞)``.

Two ways to pay a volume across slabs:

* **slab** mode: the whole volume is paid at the rate of the highest slab it
  reaches (:func:`slab_amount`);
* **step** mode: each band of the volume is paid at its own rate, like income
  tax brackets (:func:`step_amount`).

With non-negative, non-decreasing rates, step mode never pays more than slab
mode, and in slab mode buying more never pays less.

Examples:
    >>> from decimal import Decimal as D
    >>> bounds = (D(10_000), D(50_000))
    >>> rates = (D("0.02"), D("0.035"))
    >>> reached(bounds, D(60_000))
    1
    >>> slab_amount(bounds, rates, D(60_000))
    Decimal('2100.000')
    >>> step_amount(bounds, rates, D(60_000))     # 40000 x 2 % + 10000 x 3.5 %
    Decimal('1150.000')
    >>> band_portions(bounds, D(60_000))
    (Decimal('40000'), Decimal('10000'))
    >>> shortfall(bounds, D(42_000))
    (1, Decimal('8000'))
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction
from typing import TypeVar

__all__ = [
    "band_portions",
    "check_bounds",
    "reached",
    "shortfall",
    "slab_amount",
    "step_amount",
]

N = TypeVar("N", int, Decimal, Fraction)


def check_bounds(bounds: Sequence[N]) -> list[str]:
    """Problems with a sequence of lower bounds (empty when they are valid).

    Bounds must be non-negative and strictly increasing.

    Examples:
        >>> check_bounds([0, 10, 10])
        ['[2]: 10 must be greater than the previous bound 10']
        >>> check_bounds([-1])
        ['[0]: -1 must be >= 0']
    """
    problems: list[str] = []
    for i, b in enumerate(bounds):
        if b < 0:
            problems.append(f"[{i}]: {b} must be >= 0")
        if i and b <= bounds[i - 1]:
            problems.append(f"[{i}]: {b} must be greater than the previous bound {bounds[i - 1]}")
    return problems


def reached(bounds: Sequence[N], volume: N) -> int | None:
    """0-based index of the highest slab whose lower bound ``volume`` reaches, or ``None``.

    Lower bounds are inclusive: a volume equal to a bound reaches that slab.

    Examples:
        >>> reached((10, 20), 9), reached((10, 20), 10), reached((10, 20), 25)
        (None, 0, 1)
    """
    found: int | None = None
    for i, b in enumerate(bounds):
        if volume >= b:
            found = i
        else:
            break
    return found


def band_portions(bounds: Sequence[N], volume: N) -> tuple[N, ...]:
    """How much of ``volume`` falls in each slab's band (step mode).

    The band of slab ``i`` is ``[bounds[i], bounds[i + 1])``; the last band is
    open. Volume below the first bound belongs to no band.

    Examples:
        >>> band_portions((10, 20), 25)
        (10, 5)
        >>> band_portions((10, 20), 5)
        (0, 0)
    """
    portions: list[N] = []
    for i, low in enumerate(bounds):
        high = bounds[i + 1] if i + 1 < len(bounds) else None
        top = volume if high is None or volume < high else high
        portions.append(top - low if top > low else low - low)
    return tuple(portions)


def slab_amount(bounds: Sequence[N], rates: Sequence[N], volume: N) -> N:
    """Slab mode: the whole ``volume`` times the rate of the slab reached (zero if none).

    Examples:
        >>> slab_amount((10, 20), (1, 2), 25)
        50
        >>> slab_amount((10, 20), (1, 2), 9)
        0
    """
    i = reached(bounds, volume)
    if i is None:
        return volume - volume
    return volume * rates[i]


def step_amount(bounds: Sequence[N], rates: Sequence[N], volume: N) -> N:
    """Step mode: each band of ``volume`` times its own slab's rate.

    Examples:
        >>> step_amount((10, 20), (1, 2), 25)     # 10 x 1 + 5 x 2
        20
    """
    total = volume - volume
    for portion, rate in zip(band_portions(bounds, volume), rates, strict=True):
        total += portion * rate
    return total


def shortfall(bounds: Sequence[N], volume: N) -> tuple[int, N] | None:
    """The next slab above ``volume`` and how much more volume reaches it.

    Returns ``(0-based slab index, missing volume)``, or ``None`` when the top
    slab is already reached.

    Examples:
        >>> shortfall((10, 20), 12)
        (1, 8)
        >>> shortfall((10, 20), 20) is None
        True
    """
    for i, b in enumerate(bounds):
        if volume < b:
            return i, b - volume
    return None
