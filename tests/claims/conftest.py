"""A small, hand-checkable month at distributor D1 (and its neighbour D2)."""

from __future__ import annotations

from datetime import date

import pytest

from distcrm.catalog import Product
from distcrm.documents import Document, Line
from distcrm.money import Money
from distcrm.parties import Account
from distcrm.periods import Validity
from distcrm.schemes import PercentDiscount, ProductSelection, Scheme, Slab

JUNE = Validity(date(2025, 6, 1), date(2025, 7, 1))


def inr(s: str) -> Money:
    return Money.of(s, "INR")


class World:
    """Documents for June 2025.

    * PI-1 (1 June): P1 sells D1 600 x SKU1 at 9.00 (tax 18 %: 972.00) and 50 x SKU2 at 8.00.
    * SI-1 (9 June): D1 sells R1 1000 x SKU1 at 12.00 = 12,000.00 net, tax 2,160.00.
    * SI-2 (10 June): D1 sells R1 200 x SKU2 (soap, not in scheme S2) at 10.00 = 2,000.00.
    * SI-3 (11 June): D2 sells R2 900 x SKU1 at 12.00 = 10,800.00 (D2's, not D1's).
    * SI-4 (2 July): D1 sells R1 100 x SKU1 (after June).

    Scheme S2: 2 % of net value of Foods products, per seller per month, from 10,000.
    D1's June Foods sales = 12,000.00 -> 2 % = 240.00, all earned on SI-1 line 1.
    D2's June Foods sales = 10,800.00 -> 216.00.
    """

    def __init__(self) -> None:
        self.products = [
            Product("SKU1", "Glucose 100g", category=("Foods", "Biscuits")),
            Product("SKU2", "Soap 75g", category=("Home", "Soap")),
        ]
        self.accounts = [
            Account("P1", "Principal", "principal"),
            Account("D1", "Shree Traders", "distributor"),
            Account("D2", "Ganesh Agencies", "distributor"),
            Account("R1", "Kirana One", "retailer"),
            Account("R2", "Kirana Two", "retailer"),
        ]
        self.s2 = Scheme(
            "S2",
            "2 % on Foods over 10,000",
            JUNE,
            slabs=(Slab(10_000, PercentDiscount(2)),),
            products=ProductSelection(categories={"Foods"}),
            measure="net_value",
            window="month",
            party="seller",
        )
        self.documents = [
            Document(
                "PI-1", "invoice", "primary", "P1", "D1", date(2025, 6, 1), "INR",
                (Line("SKU1", 600, inr("9.00"), tax=inr("972.00")), Line("SKU2", 50, inr("8.00"))),
            ),
            Document(
                "SI-1", "invoice", "secondary", "D1", "R1", date(2025, 6, 9), "INR",
                (Line("SKU1", 1000, inr("12.00"), tax=inr("2160.00")),),
            ),
            Document(
                "SI-2", "invoice", "secondary", "D1", "R1", date(2025, 6, 10), "INR",
                (Line("SKU2", 200, inr("10.00")),),
            ),
            Document(
                "SI-3", "invoice", "secondary", "D2", "R2", date(2025, 6, 11), "INR",
                (Line("SKU1", 900, inr("12.00")),),
            ),
            Document(
                "SI-4", "invoice", "secondary", "D1", "R1", date(2025, 7, 2), "INR",
                (Line("SKU1", 100, inr("12.00")),),
            ),
        ]

    @property
    def docs(self) -> dict[str, Document]:
        return {d.id: d for d in self.documents}


@pytest.fixture
def world() -> World:
    return World()
