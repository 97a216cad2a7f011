"""Small document builders shared by the sell-through tests."""

from __future__ import annotations

from datetime import date

from distcrm.documents import Document, DocumentKind, Level, Line
from distcrm.money import Money

PRICE = Money.of("10.00", "INR")


def doc(
    number: str,
    kind: DocumentKind,
    level: Level,
    seller: str,
    buyer: str,
    day: date,
    *lines: tuple[str, int] | tuple[str, int, int],
) -> Document:
    """A document whose lines are ``(sku, qty)`` or ``(sku, qty, free_qty)``."""
    built = [
        Line(spec[0], spec[1], PRICE, free_qty=spec[2] if len(spec) == 3 else 0) for spec in lines
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
    )


def receipt(
    number: str, dist: str, day: date, *lines: tuple[str, int] | tuple[str, int, int]
) -> Document:
    """A primary invoice from SS1 to ``dist``."""
    return doc(number, "invoice", "primary", "SS1", dist, day, *lines)


def sale(
    number: str, dist: str, day: date, *lines: tuple[str, int] | tuple[str, int, int]
) -> Document:
    """A secondary invoice from ``dist`` to retailer R1."""
    return doc(number, "invoice", "secondary", dist, "R1", day, *lines)


def return_in(
    number: str, dist: str, day: date, *lines: tuple[str, int] | tuple[str, int, int]
) -> Document:
    """Retailer R1 sends goods back to ``dist`` (secondary return)."""
    return doc(number, "return", "secondary", dist, "R1", day, *lines)


def return_out(
    number: str, dist: str, day: date, *lines: tuple[str, int] | tuple[str, int, int]
) -> Document:
    """``dist`` sends goods back to SS1 (primary return)."""
    return doc(number, "return", "primary", "SS1", dist, day, *lines)
