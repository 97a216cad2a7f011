"""Settlement: an approved claim becomes one credit note, exactly once.

:func:`credit_note_for` is pure and deterministic: the same claim always
yields the same note (id ``CN-<claim id>``), so settling twice can never
produce a second note. :func:`settle` moves the claim to ``settled`` and
returns the note; :func:`settle_in_store` does both against a
:class:`~distcrm.repositories.Store` with optimistic concurrency, so any
number of concurrent settlers of one claim leave exactly one settled claim
and one credit note.

GST treatment is recorded on the note:

* ``linked_discount`` — a credit note under section 34 linked to the original
  invoices: each line reverses tax at the rate of the invoice line it refers
  to (tax ÷ taxable value of that line), rounded half-up to the paisa.
* ``financial`` — a commercial credit note with no GST (display or transport
  support, or lines that rest on no invoice).

``treatment="auto"`` (the default) picks ``linked_discount`` when every
approved line refers to a known invoice line carrying tax, else ``financial``.

Examples:
    >>> from datetime import date, datetime
    >>> from distcrm.money import Money
    >>> from distcrm.periods import Validity
    >>> from distcrm.claims.model import Claim, ClaimLine
    >>> from distcrm.claims.lifecycle import decide, submit
    >>> inr = lambda s: Money.of(s, "INR")
    >>> c = Claim("CL-7", "D1", "transport", Validity(date(2025, 6, 1), date(2025, 7, 1)), "INR",
    ...           lines=(ClaimLine(None, None, 0, inr("800.00")),))
    >>> c = submit(c, by="D1", at=datetime(2025, 7, 1))
    >>> c = decide(c, [inr("800.00")], by="asm", at=datetime(2025, 7, 2))
    >>> settled, s = settle(c, issuer="P1", on=date(2025, 7, 3), by="finance", at=datetime(2025, 7, 3))
    >>> settled.status, s.note.id, s.treatment, str(s.note.total)
    ('settled', 'CN-CL-7', 'financial', '800.00 INR')
    >>> credit_note_for(settled, issuer="P1", on=date(2025, 7, 3)) == s
    True
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Literal, TypeAlias

import attrs

from distcrm.claims.lifecycle import mark_settled
from distcrm.claims.model import Claim
from distcrm.documents import Document, Line
from distcrm.errors import ClaimError, ConcurrencyError, DuplicateError, InvalidTransition
from distcrm.money import Money, quantum, round_decimal
from distcrm.repositories import Store

__all__ = [
    "GstTreatment",
    "Settlement",
    "credit_note_for",
    "credit_note_id",
    "settle",
    "settle_in_store",
]

GstTreatment: TypeAlias = Literal["linked_discount", "financial"]


@attrs.frozen
class Settlement:
    """The outcome of settling a claim.

    Attributes:
        claim: the claim id.
        note: the credit note (kind ``credit_note``; seller = issuer, buyer =
            claimant, ``reference`` = claim id).
        treatment: ``linked_discount`` or ``financial``.
        linked_invoices: the invoices the note is linked to (linked discounts).
    """

    claim: str
    note: Document
    treatment: GstTreatment
    linked_invoices: tuple[str, ...] = ()


def credit_note_id(claim_id: str) -> str:
    """The id of the one credit note a claim can ever produce."""
    return f"CN-{claim_id}"


def credit_note_for(
    claim: Claim,
    *,
    issuer: str,
    on: date,
    documents: Mapping[str, Document] | None = None,
    treatment: GstTreatment | Literal["auto"] = "auto",
) -> Settlement:
    """The credit note for an approved (or already settled) claim; pure and deterministic.

    Args:
        claim: an ``approved``, ``partially_approved`` or ``settled`` claim.
        issuer: the account issuing the note (the principal, or a super-stockist).
        on: the note date.
        documents: documents by id, to link lines to invoices and find their tax rate.
        treatment: ``"auto"``, ``"linked_discount"`` or ``"financial"``.

    Raises:
        ClaimError: the claim is not approved, nothing is approved, or a linked
            discount is asked for lines that rest on no taxed invoice line.
    """
    where = f"claim {claim.id!r}"
    if claim.status not in ("approved", "partially_approved", "settled"):
        raise ClaimError(f"{where}.status: only approved claims are settled, not {claim.status!r}")
    approved = claim.approved_lines
    if approved is None or all(a.is_zero for a in approved):
        raise ClaimError(f"{where}.approved_lines: nothing approved to settle")
    docs = documents or {}
    rates: list[Decimal | None] = []
    for line, ok in zip(claim.lines, approved, strict=True):
        if ok.is_zero:
            rates.append(None)
            continue
        rate: Decimal | None = None
        if line.ref is not None and line.ref.document in docs:
            doc = docs[line.ref.document]
            if 1 <= line.ref.line <= len(doc.lines):
                src = doc.line(line.ref.line)
                if src.tax is not None and not src.taxable.is_zero:
                    rate = src.tax.amount / src.taxable.amount
        rates.append(rate)
    linkable = all(r is not None for r, ok in zip(rates, approved, strict=True) if not ok.is_zero)
    chosen: GstTreatment
    if treatment == "auto":
        chosen = "linked_discount" if linkable else "financial"
    elif treatment == "linked_discount" and not linkable:
        raise ClaimError(
            f"{where}: a linked-discount credit note needs every approved line to refer to a "
            "known invoice line carrying tax"
        )
    else:
        chosen = treatment
    q = quantum(claim.currency)
    lines: list[Line] = []
    linked: set[str] = set()
    for i, (line, ok, rate) in enumerate(zip(claim.lines, approved, rates, strict=True)):
        if ok.is_zero:
            continue
        tax: Money | None = None
        if chosen == "linked_discount" and rate is not None and line.ref is not None:
            tax = Money(round_decimal(ok.amount * rate, q), claim.currency)
            linked.add(line.ref.document)
        sku = line.sku if line.sku is not None else f"{claim.type.upper()}-{i + 1}"
        lines.append(Line(sku, 1, ok, tax=tax))
    note = Document(
        credit_note_id(claim.id),
        "credit_note",
        "primary",
        seller=issuer,
        buyer=claim.claimant,
        issued_on=on,
        currency=claim.currency,
        lines=tuple(lines),
        reference=claim.id,
        reason=f"{claim.type} claim {claim.id} ({chosen.replace('_', ' ')})",
    )
    return Settlement(claim.id, note, chosen, tuple(sorted(linked)))


def settle(
    claim: Claim,
    *,
    issuer: str,
    on: date,
    by: str,
    at: datetime,
    documents: Mapping[str, Document] | None = None,
    treatment: GstTreatment | Literal["auto"] = "auto",
) -> tuple[Claim, Settlement]:
    """Settle an approved claim: the claim marked ``settled`` and its credit note.

    Settling a claim that is already settled raises
    :class:`~distcrm.errors.InvalidTransition`; call :func:`credit_note_for`
    to get its note again (the same note).
    """
    if claim.status == "settled":
        raise InvalidTransition(
            f"claim {claim.id!r}: already settled with {credit_note_id(claim.id)}"
        )
    settlement = credit_note_for(
        claim, issuer=issuer, on=on, documents=documents, treatment=treatment
    )
    note = f"credit note {settlement.note.id} for {settlement.note.total}"
    return mark_settled(claim, by=by, at=at, note=note), settlement


def settle_in_store(
    store: Store,
    claim_id: str,
    *,
    issuer: str,
    on: date,
    by: str,
    at: datetime,
    treatment: GstTreatment | Literal["auto"] = "auto",
    attempts: int = 20,
) -> Settlement:
    """Settle a stored claim exactly once, however many callers race to do it.

    The claim is saved with ``expected_version`` (the optimistic-concurrency
    gate) before the note is written; a caller that loses the race reloads,
    finds the claim settled and returns the same note. If a previous caller
    stopped between the two writes, the missing note is written now (it is
    deterministic, so it is the note that caller would have written).
    """
    for _ in range(attempts):
        claim = store.claims.get(claim_id)
        if not isinstance(claim, Claim):
            raise ClaimError(
                f"claim {claim_id!r}: the store holds a {type(claim).__name__}, not a Claim"
            )
        docs = _linked_documents(store, claim)
        if claim.status == "settled":
            settlement = credit_note_for(
                claim, issuer=issuer, on=on, documents=docs, treatment=treatment
            )
            existing = store.documents.find(settlement.note.id)
            if existing is not None:
                return attrs.evolve(settlement, note=existing)
        else:
            settled, settlement = settle(
                claim, issuer=issuer, on=on, by=by, at=at, documents=docs, treatment=treatment
            )
            try:
                store.claims.save(settled, expected_version=claim.version)
            except ConcurrencyError:
                continue
        try:
            store.documents.add(settlement.note)
        except DuplicateError:
            existing = store.documents.get(settlement.note.id)
            return attrs.evolve(settlement, note=existing)
        return settlement
    raise ConcurrencyError(f"claim {claim_id!r}: could not settle after {attempts} attempts")


def _linked_documents(store: Store, claim: Claim) -> dict[str, Document]:
    out: dict[str, Document] = {}
    for line in claim.lines:
        if line.ref is not None and line.ref.document not in out:
            doc = store.documents.find(line.ref.document)
            if doc is not None:
                out[doc.id] = doc
    return out
