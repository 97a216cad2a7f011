"""Small builders for scheme tests: a catalog, accounts and documents."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from distcrm.catalog import PackSize, Product
from distcrm.documents import Document, DocumentKind, Line
from distcrm.money import Money
from distcrm.parties import Account
from distcrm.periods import Validity
from distcrm.schemes import Benefit, Scheme, Slab

APR1 = date(2025, 4, 1)
JUN = date(2025, 6, 1)


def inr(amount: str | int) -> Money:
    return Money.of(amount if isinstance(amount, str) else str(amount), "INR")


PRODUCTS: dict[str, Product] = {
    "BIS1": Product(
        "BIS1",
        "Glucose 100g",
        brand="Tiger",
        category=("Foods", "Biscuits"),
        packs=(PackSize("case", 24),),
    ),
    "BIS2": Product(
        "BIS2",
        "Cream 100g",
        brand="Tiger",
        category=("Foods", "Biscuits"),
        packs=(PackSize("case", 24),),
    ),
    "CHP1": Product(
        "CHP1",
        "Chips 50g",
        brand="Crunch",
        category=("Foods", "Snacks"),
        packs=(PackSize("case", 48),),
    ),
    "SOAP": Product(
        "SOAP", "Soap 75g", brand="Clean", category=("Home", "Soap"), packs=(PackSize("case", 72),)
    ),
}

ACCOUNTS: dict[str, Account] = {
    "D1": Account("D1", "Shree Traders", "distributor", territory="PUNE"),
    "D2": Account("D2", "Om Agencies", "distributor", territory="NASHIK"),
    "R1": Account("R1", "Kirana One", "retailer", territory="PUNE", account_class="A"),
    "R2": Account("R2", "Kirana Two", "retailer", territory="PUNE", account_class="B"),
    "R3": Account("R3", "Kirana Three", "retailer", territory="NASHIK", account_class="C"),
}

TERRITORY_PARENTS: dict[str, str | None] = {"PUNE": "WEST", "NASHIK": "WEST", "WEST": None}

_counter = [0]


def doc(
    buyer: str,
    on: date,
    *lines: tuple[str, int, str],
    seller: str = "D1",
    kind: DocumentKind = "invoice",
    id: str | None = None,
    reference: str | None = None,
    level: str = "secondary",
) -> Document:
    """A document; each line is (sku, qty, unit price)."""
    if id is None:
        _counter[0] += 1
        id = f"DOC{_counter[0]:05d}"
    return Document(
        id,
        kind,
        level,  # type: ignore[arg-type]
        seller,
        buyer,
        on,
        "INR",
        tuple(Line(sku, qty, inr(price)) for sku, qty, price in lines),
        reference=reference,
    )


def scheme(
    id: str,
    *slabs: tuple[int | str, Benefit],
    **kw: object,
) -> Scheme:
    validity = kw.pop("validity", Validity(APR1))
    slab_list: list[Slab] = [Slab(Decimal(str(m)), b) for m, b in slabs]
    return Scheme(
        id=id,
        name=id,
        validity=validity,  # type: ignore[arg-type]
        slabs=tuple(slab_list),
        **kw,  # type: ignore[arg-type]
    )
