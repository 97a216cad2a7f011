"""Small document and product builders shared by the performance tests."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from distcrm.catalog import Product
from distcrm.documents import Document, DocumentKind, Level, Line
from distcrm.money import Money


def inr(amount: str | int | Decimal) -> Money:
    """An INR amount."""
    return Money.of(amount, "INR")


def doc(
    number: str,
    kind: DocumentKind,
    level: Level,
    seller: str,
    buyer: str,
    day: date,
    *lines: tuple[str, int, str] | tuple[str, int, str, int],
    reference: str | None = None,
) -> Document:
    """A document whose lines are ``(sku, qty, unit price)`` or ``(sku, qty, price, free)``."""
    built = [
        Line(spec[0], spec[1], inr(spec[2]), free_qty=spec[3] if len(spec) == 4 else 0)
        for spec in lines
    ]
    return Document(
        number,
        kind,
        level,
        seller=seller,
        buyer=buyer,
        issued_on=day,
        currency="INR",
        lines=built,
        reference=reference,
    )


PRODUCTS = (
    Product("BIS", "Biscuit 100 g", "Crunch", ("Foods", "Biscuits")),
    Product("NUT", "Cashew 200 g", "Crunch", ("Foods", "Nuts")),
    Product("SOAP", "Soap 75 g", "Clean", ("Home", "Soap")),
)
