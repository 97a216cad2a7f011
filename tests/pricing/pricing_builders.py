"""Small builders shared by the pricing tests."""

from __future__ import annotations

from datetime import date

from distcrm.catalog import MrpEntry, PackSize, Product
from distcrm.money import Money
from distcrm.periods import Validity

ON = date(2025, 6, 1)


def inr(amount: str) -> Money:
    """An INR amount from a string."""
    return Money.of(amount, "INR")


def product(sku: str = "SKU1", mrp: str = "100", hsn: str = "1905", case: int = 24) -> Product:
    """A product with one open MRP and a case pack."""
    return Product(sku, f"Product {sku}", hsn=hsn,
                   mrp=(MrpEntry(inr(mrp), Validity(date(2025, 1, 1))),),
                   packs=(PackSize("case", case),))
