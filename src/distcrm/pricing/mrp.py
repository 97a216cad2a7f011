"""Legal Metrology: no price at any tier may exceed the MRP.

MRP is tax-inclusive. A tax-inclusive price is compared with it directly; a
tax-exclusive price is grossed up at the HSN's GST rate on the day when a rate
table is given, and compared as it stands otherwise (a price already above the
MRP before tax is a violation whatever the rate).

Examples:
    >>> from datetime import date
    >>> from distcrm.catalog import MrpEntry, Product
    >>> p = Product("SKU1", "Biscuits", hsn="1905", mrp=(MrpEntry(Money.of("10", "INR")),))
    >>> check_within_mrp(Money.of("10.00", "INR"), True, p, date(2025, 6, 1), where="x.price")
    >>> check_within_mrp(Money.of("10.01", "INR"), True, p, date(2025, 6, 1), where="x.price")
    Traceback (most recent call last):
    ...
    distcrm.pricing.errors.MrpViolation: x.price: 10.01 INR (tax-inclusive) exceeds the MRP 10 INR of SKU1 on 2025-06-01
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date

from distcrm.catalog import Product
from distcrm.errors import NotFound, Problem
from distcrm.money import Money, quantum, round_decimal
from distcrm.pricing.errors import MrpViolation
from distcrm.pricing.gst import HsnRateTable
from distcrm.pricing.price_lists import PriceList

__all__ = [
    "check_list_against_mrp",
    "check_within_mrp",
]


def _incl(price: Money, tax_inclusive: bool, product: Product, on: date,
          rates: HsnRateTable | None) -> tuple[Money, str]:
    if tax_inclusive:
        return price, "tax-inclusive"
    if rates is None or not product.hsn:
        return price, "before tax"
    rate = rates.rate(product.hsn, on).rate
    gross = Money(round_decimal(price.amount * (100 + rate) / 100, quantum(price.currency)),
                  price.currency)
    return gross, f"{gross} with {rate} % GST"


def check_within_mrp(price: Money, tax_inclusive: bool, product: Product, on: date, *,
                     where: str, rates: HsnRateTable | None = None) -> None:
    """Raise :class:`MrpViolation` (naming ``where``) if ``price`` exceeds the MRP on ``on``.

    Products without an MRP on that day are not checked.
    """
    try:
        mrp = product.mrp_on(on)
    except NotFound:
        return
    if mrp.currency != price.currency:
        return
    gross, how = _incl(price, tax_inclusive, product, on, rates)
    if gross.amount > mrp.amount:
        shown = f"{price} ({how})"
        raise MrpViolation(f"{where}: {shown} exceeds the MRP {mrp} of {product.sku} on {on}")


def check_list_against_mrp(price_list: PriceList,
                           products: Mapping[str, Product] | Iterable[Product], *,
                           rates: HsnRateTable | None = None) -> None:
    """Check every entry of ``price_list`` against the MRP on every day it is valid.

    Prices, MRPs and rates are piecewise constant, so checking each entry at its
    start and at every MRP or rate change inside its validity covers every day.
    All violations are reported at once; SKUs without a product are not checked.

    Examples:
        >>> from datetime import date
        >>> from distcrm.catalog import MrpEntry, Product
        >>> from distcrm.pricing.price_lists import PriceEntry
        >>> p = Product("SKU1", "Soap", mrp=(MrpEntry(Money.of("40", "INR")),))
        >>> pl = PriceList("RETAIL", "INR", tax_inclusive=True, entries=(
        ...     PriceEntry("SKU1", Money.of("41.00", "INR")),))
        >>> check_list_against_mrp(pl, [p])
        Traceback (most recent call last):
        ...
        distcrm.pricing.errors.MrpViolation: price list 'RETAIL'.entries[0].price: 41.00 INR (tax-inclusive) exceeds the MRP 40 INR of SKU1 on 0001-01-01
    """
    by_sku = dict(products) if isinstance(products, Mapping) else {p.sku: p for p in products}
    problems: list[Problem] = []
    for i, e in enumerate(price_list.entries):
        product = by_sku.get(e.sku)
        if product is None:
            continue
        days = {e.validity.start}
        changes = [m.validity.start for m in product.mrp]
        changes += [m.validity.end for m in product.mrp if m.validity.end is not None]
        if rates is not None:
            changes += list(rates.boundaries())
        days |= {d for d in changes if e.validity.contains(d)}
        for day in sorted(days):
            try:
                check_within_mrp(e.price, price_list.tax_inclusive, product, day,
                                 where=f"{price_list.entry_path(i)}.price", rates=rates)
            except MrpViolation as exc:
                problems.extend(exc.problems)
                break
    if problems:
        raise MrpViolation(problems)
