"""Reconciliation: distributor debit notes against claims and credit notes.

A distributor books what it is owed as a *debit note* on the principal
(``kind="debit_note"``, seller = the distributor, buyer = the principal,
``reference`` = the claim id). The principal answers with a *credit note*
(``reference`` = the claim id). :func:`reconcile` matches them and splits
every debit note's amount into

* ``approved`` — the part the claim decision approved (settled or not),
* ``rejected`` — the part the decision refused, or a duplicate debit note,
* ``open`` — the part still waiting for a decision,

so that ``claimed = approved + rejected + open`` for every note and every
distributor. ``credited`` is what credit notes actually gave, and each match
gets a status:

==========  ====================================================================
exact       credited equals the amount claimed on the debit note
partial     something was credited, less than claimed
missing     nothing credited yet (or no claim behind the debit note)
duplicate   an earlier debit note already claims the same claim
excess      credited more than the debit note claimed
==========  ====================================================================

Amounts compare taxable values (claims are made on values before GST).

Examples:
    >>> from datetime import date
    >>> from distcrm.money import Money
    >>> from distcrm.documents import Document, Line
    >>> inr = lambda s: Money.of(s, "INR")
    >>> dn = Document("DN-1", "debit_note", "primary", "D1", "P1", date(2025, 7, 1), "INR",
    ...               lines=(Line("CLAIM", 1, inr("500.00")),), reference="CL-1")
    >>> r = reconcile([dn], [], [])
    >>> m = r.matches[0]
    >>> m.status, str(m.open), m.finding.code
    ('missing', '500.00 INR', 'debit_note_without_claim')
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

import attrs

from distcrm.claims.model import Claim
from distcrm.documents import Document
from distcrm.errors import ClaimError
from distcrm.findings import Finding
from distcrm.money import Money
from distcrm.parties import AccountId, as_account_id

__all__ = [
    "DebitNoteMatch",
    "DistributorBalance",
    "MatchStatus",
    "Reconciliation",
    "reconcile",
]

from typing import Literal, TypeAlias

MatchStatus: TypeAlias = Literal["exact", "partial", "missing", "duplicate", "excess"]


@attrs.frozen
class DebitNoteMatch:
    """How one debit note stands against its claim and credit notes."""

    debit_note: str
    distributor: AccountId = attrs.field(converter=as_account_id)
    claim: str | None = attrs.field()
    status: MatchStatus = attrs.field()
    claimed: Money = attrs.field()
    approved: Money = attrs.field()
    rejected: Money = attrs.field()
    open: Money = attrs.field()
    credited: Money = attrs.field()
    credit_notes: tuple[str, ...] = ()
    finding: Finding | None = None


@attrs.frozen
class DistributorBalance:
    """Totals of one distributor's debit notes; ``claimed = approved + rejected + open``."""

    distributor: AccountId = attrs.field(converter=as_account_id)
    claimed: Money = attrs.field()
    approved: Money = attrs.field()
    rejected: Money = attrs.field()
    open: Money = attrs.field()
    credited: Money = attrs.field()

    @property
    def to_credit(self) -> Money:
        """Approved but not yet credited (negative when credited beyond approval)."""
        return self.approved - self.credited


@attrs.frozen
class Reconciliation:
    """Every debit note's match, balances per distributor, and findings."""

    matches: tuple[DebitNoteMatch, ...]
    balances: tuple[DistributorBalance, ...]
    findings: tuple[Finding, ...]

    def balance(self, distributor: str) -> DistributorBalance | None:
        """The balance of one distributor, if it raised any debit note."""
        for b in self.balances:
            if b.distributor == distributor:
                return b
        return None


def reconcile(
    debit_notes: Iterable[Document],
    credit_notes: Iterable[Document],
    claims: Iterable[Claim],
) -> Reconciliation:
    """Match debit notes to claims and credit notes; see the module docstring.

    Debit notes are taken in (date, id) order, so "the earlier one" of two
    duplicates is well defined. Raises :class:`~distcrm.errors.ClaimError`
    when a document of another kind is passed, or currencies differ.
    """
    debits = sorted(debit_notes, key=lambda d: (d.issued_on, d.id))
    credits = sorted(credit_notes, key=lambda d: (d.issued_on, d.id))
    by_claim: dict[str, Claim] = {c.id: c for c in claims}
    for d in debits:
        if d.kind != "debit_note":
            raise ClaimError(f"document {d.id!r}.kind: expected a debit note, got {d.kind!r}")
    credited_by_claim: dict[str, list[Document]] = defaultdict(list)
    findings: list[Finding] = []
    claimed_refs = {d.reference for d in debits if d.reference}
    for c in credits:
        if c.kind != "credit_note":
            raise ClaimError(f"document {c.id!r}.kind: expected a credit note, got {c.kind!r}")
        if c.reference:
            credited_by_claim[c.reference].append(c)
        if not c.reference or c.reference not in claimed_refs:
            findings.append(
                Finding(
                    "credit_note_without_debit_note",
                    f"credit note {c.id} to {c.buyer} ({c.taxable}) answers no debit note",
                    subject=c.id,
                    amount=c.taxable,
                    severity="info",
                )
            )
    seen: dict[str, str] = {}
    matches: list[DebitNoteMatch] = []
    for d in debits:
        cur = d.currency
        zero = Money.zero(cur)
        claimed = d.taxable
        ref = d.reference
        claim = by_claim.get(ref) if ref else None
        notes = tuple(c.id for c in credited_by_claim.get(ref or "", ()))
        credited = zero
        for c in credited_by_claim.get(ref or "", ()):
            if c.currency != cur:
                raise ClaimError(
                    f"credit note {c.id!r}.currency: {c.currency} differs from {d.id}'s {cur}"
                )
            credited = credited + c.taxable
        finding: Finding | None = None
        if ref and ref in seen:
            status: MatchStatus = "duplicate"
            approved, rejected, open_ = zero, claimed, zero
            credited = zero
            notes = ()
            finding = Finding(
                "duplicate_debit_note",
                f"debit note {d.id} from {d.seller} claims {ref} again (first claimed by {seen[ref]})",
                subject=d.id,
                amount=claimed,
                severity="error",
            )
        elif claim is None:
            status = "missing"
            approved, rejected, open_ = zero, zero, claimed
            finding = Finding(
                "debit_note_without_claim",
                f"debit note {d.id} from {d.seller} for {claimed} refers to no known claim"
                + (f" ({ref})" if ref else ""),
                subject=d.id,
                amount=claimed,
                severity="warning",
            )
        else:
            if claim.claimant != d.seller:
                findings.append(
                    Finding(
                        "debit_note_not_claimants",
                        f"debit note {d.id} is from {d.seller} but claim {claim.id} is {claim.claimant}'s",
                        subject=d.id,
                        amount=claimed,
                        severity="error",
                    )
                )
            if claim.is_decided and claim.approved is not None:
                approved = min(claim.approved, claimed)
                rejected, open_ = claimed - approved, zero
            else:
                approved, rejected, open_ = zero, zero, claimed
            if credited.is_zero:
                status = "missing"
            elif credited == claimed:
                status = "exact"
            elif credited < claimed:
                status = "partial"
            else:
                status = "excess"
                finding = Finding(
                    "credited_above_claimed",
                    f"claim {claim.id} credited {credited} against a debit note for {claimed}",
                    subject=d.id,
                    amount=credited - claimed,
                    severity="error",
                )
        if ref and ref not in seen:
            seen[ref] = d.id
        if finding is not None:
            findings.append(finding)
        matches.append(
            DebitNoteMatch(
                d.id,
                d.seller,
                ref,
                status,
                claimed,
                approved,
                rejected,
                open_,
                credited,
                notes,
                finding,
            )
        )
    balances: dict[str, list[Money]] = {}
    for m in matches:
        row = balances.setdefault(m.distributor, [Money.zero(m.claimed.currency)] * 5)
        for i, amount in enumerate((m.claimed, m.approved, m.rejected, m.open, m.credited)):
            row[i] = row[i] + amount
    return Reconciliation(
        tuple(matches),
        tuple(DistributorBalance(k, *v) for k, v in sorted(balances.items())),
        tuple(findings),
    )
