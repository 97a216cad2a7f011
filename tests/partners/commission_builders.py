"""Small builders shared by the commission tests."""

from __future__ import annotations

from datetime import date

from distcrm.documents import Document, DocumentKind, Line
from distcrm.money import Money
from distcrm.partners import Attribution, LeadSource


def inr(amount: str) -> Money:
    return Money.of(amount, "INR")


def doc(
    doc_id: str,
    on: date,
    taxable: str,
    tax: str = "0",
    *,
    kind: DocumentKind = "invoice",
    reference: str | None = None,
) -> Document:
    """A one-line secondary document of ``taxable`` value plus ``tax``."""
    line = Line("SVC", 1, inr(taxable), tax=inr(tax) if tax != "0" else None)
    return Document(
        doc_id,
        kind,
        "secondary",
        seller="V",
        buyer="CUST",
        issued_on=on,
        currency="INR",
        lines=[line],
        reference=reference,
    )


def attribution(
    lead: str,
    owner: str,
    *,
    distributor: str | None = None,
    reseller: str | None = None,
    source: LeadSource = "partner_sourced",
) -> Attribution:
    return Attribution(lead, date(2025, 6, 1), source, owner, "V", distributor, reseller)
