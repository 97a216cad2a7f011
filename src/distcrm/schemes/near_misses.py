"""Near misses in words: what a benefit is and how much more volume reaches it.

Examples:
    >>> from datetime import date
    >>> from decimal import Decimal
    >>> from distcrm.periods import Validity
    >>> from distcrm.schemes.model import PercentDiscount, Scheme, Slab
    >>> s = Scheme("S", "s", Validity(date(2025, 4, 1)), measure="cases", window="month",
    ...            slabs=(Slab(10, PercentDiscount(2)), Slab(20, PercentDiscount(3))))
    >>> near_miss_message(s, Decimal(3), 1)
    '3 more cases reach slab 2 (3 % of net value)'
"""

from __future__ import annotations

from decimal import Decimal

from distcrm.schemes.model import (
    Benefit,
    FlatAmount,
    PercentDiscount,
    Rebate,
    Scheme,
)

__all__ = ["describe_benefit", "near_miss_message"]

_UNIT_WORDS = {"units": "units", "cases": "cases"}


def _measure_word(s: Scheme) -> str:
    if s.measure == "gross_value":
        return f"{s.currency} more gross value"
    if s.measure == "net_value":
        return f"{s.currency} more net value"
    return f"more {_UNIT_WORDS[s.measure]}"


def describe_benefit(benefit: Benefit, scheme: Scheme) -> str:
    """A benefit in words.

    Examples:
        >>> from datetime import date
        >>> from distcrm.periods import Validity
        >>> from distcrm.schemes.model import FreeGoods, Scheme, Slab
        >>> s = Scheme("S", "s", Validity(date(2025, 4, 1)), slabs=(Slab(10, FreeGoods(1, 10)),))
        >>> describe_benefit(FreeGoods(1, Decimal(10)), s)
        '1 free unit of the same SKU every 10 units'
        >>> describe_benefit(FlatAmount(Decimal("2.50"), "case"), s)
        '2.50 INR per case'
    """
    if isinstance(benefit, PercentDiscount):
        base = "net value" if benefit.base == "net_value" else "gross value"
        return f"{benefit.percent} % of {base}"
    if isinstance(benefit, FlatAmount):
        return f"{benefit.amount} {scheme.currency} per {benefit.per}"
    if isinstance(benefit, Rebate):
        if benefit.amount is not None:
            return f"rebate of {benefit.amount} {scheme.currency}"
        return f"rebate of {benefit.percent} % of net value"
    what = "the same SKU" if benefit.sku is None else benefit.sku
    units = "unit" if benefit.get == 1 else "units"
    if benefit.every is None:
        return f"{benefit.get} free {units} of {what}"
    if scheme.is_value_measure:
        per = f"{benefit.every} {scheme.currency}"
    else:
        per = f"{benefit.every} {_UNIT_WORDS[scheme.measure]}"
    return f"{benefit.get} free {units} of {what} every {per}"


def near_miss_message(
    scheme: Scheme,
    missing: Decimal,
    slab: int | None,
    *,
    group: str | None = None,
    target: Decimal | None = None,
) -> str:
    """``"3 more cases reach slab 2 (3.5 % of net value)"``; ``slab`` is 0-based.

    With ``group``, the message is about a combo group still short of its minimum.
    With ``target`` (the party's own target of a target scheme), it speaks of the
    percentage of that target the slab needs.

    Examples:
        >>> from datetime import date
        >>> from distcrm.periods import Validity
        >>> from distcrm.schemes.model import Rebate, Slab
        >>> s = Scheme("T", "t", Validity(date(2025, 4, 1)), measure="net_value",
        ...            window="month", slabs=(Slab(100, Rebate(percent=2)),),
        ...            targets={"D1": 50_000})
        >>> near_miss_message(s, Decimal("12000.00"), 0, target=Decimal(50_000))
        '12000.00 INR more net value reaches 100 % of target 50000 INR (rebate of 2 % of net value)'
    """
    if scheme.is_value_measure:
        amount = f"{missing} {_measure_word(scheme)}"
    else:
        amount = f"{missing} {_measure_word(scheme)}"
    if group is not None:
        return f"{amount} from group {group!r} meet the combo condition"
    assert slab is not None
    benefit = describe_benefit(scheme.slabs[slab].benefit, scheme)
    if target is not None:
        unit = f" {scheme.currency}" if scheme.is_value_measure else f" {scheme.measure}"
        verb = "reaches" if scheme.is_value_measure else "reach"
        return f"{amount} {verb} {scheme.slabs[slab].min} % of target {target}{unit} ({benefit})"
    return f"{amount} reach{'es' if scheme.is_value_measure else ''} slab {slab + 1} ({benefit})"
