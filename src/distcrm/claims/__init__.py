"""Distributor claims: lifecycle, verification against history, settlement, reconciliation.

A claim is what a distributor says it is owed. distcrm recomputes what it is
entitled to from the documents and the scheme engine, explains every
difference as a finding, settles the approved amount with exactly one credit
note, and reconciles the distributor's debit notes against the credit notes.

Examples:
    >>> from datetime import date, datetime
    >>> from distcrm.documents import Document, Line, LineRef
    >>> from distcrm.money import Money
    >>> from distcrm.periods import Validity
    >>> from distcrm.schemes import PercentDiscount, Scheme, Slab
    >>> inr = lambda s: Money.of(s, "INR")
    >>> june = Validity(date(2025, 6, 1), date(2025, 7, 1))
    >>> s2 = Scheme("S2", "2 % over 10,000", june, slabs=(Slab(10_000, PercentDiscount(2)),),
    ...             measure="net_value", window="month", party="seller")
    >>> si = Document("SI-1", "invoice", "secondary", "D1", "R1", date(2025, 6, 9), "INR",
    ...               (Line("SKU1", 1000, inr("12.00"), tax=inr("2160.00")),))
    >>> claim = Claim("CL-1", "D1", "scheme", june, "INR", scheme="S2",
    ...               lines=(ClaimLine(LineRef("SI-1", 1), "SKU1", 0, inr("240.00")),))
    >>> claim = submit(claim, by="D1", at=datetime(2025, 7, 1, 9))
    >>> v = verify(claim, schemes=[s2], documents=[si], on=date(2025, 7, 1))
    >>> claim = decide(claim, v.approved_lines, by="asm", at=datetime(2025, 7, 2, 9))
    >>> claim, s = settle(claim, issuer="P1", on=date(2025, 7, 3), by="finance",
    ...                   at=datetime(2025, 7, 3, 9), documents={"SI-1": si})
    >>> claim.status, s.treatment, str(s.note.taxable), str(s.note.tax)   # 18 % of 240
    ('settled', 'linked_discount', '240.00 INR', '43.20 INR')
"""

from distcrm.claims.lifecycle import (
    TRANSITIONS,
    allowed_transitions,
    decide,
    mark_settled,
    submit,
    withdraw,
)
from distcrm.claims.model import (
    CLAIM_STATUSES,
    CLAIM_TYPES,
    Claim,
    ClaimId,
    ClaimLine,
    ClaimStatus,
    ClaimType,
    PriceChange,
    StatusChange,
)
from distcrm.claims.reconciliation import (
    DebitNoteMatch,
    DistributorBalance,
    MatchStatus,
    Reconciliation,
    reconcile,
)
from distcrm.claims.settlement import (
    GstTreatment,
    Settlement,
    credit_note_for,
    credit_note_id,
    settle,
    settle_in_store,
)
from distcrm.claims.stock import StockLedger
from distcrm.claims.verification import (
    ClaimPolicy,
    LineVerdict,
    LineVerdicts,
    Verification,
    verify,
    verify_batch,
)

__all__ = [
    "CLAIM_STATUSES",
    "CLAIM_TYPES",
    "TRANSITIONS",
    "Claim",
    "ClaimId",
    "ClaimLine",
    "ClaimPolicy",
    "ClaimStatus",
    "ClaimType",
    "DebitNoteMatch",
    "DistributorBalance",
    "GstTreatment",
    "LineVerdict",
    "LineVerdicts",
    "MatchStatus",
    "PriceChange",
    "Reconciliation",
    "Settlement",
    "StatusChange",
    "StockLedger",
    "Verification",
    "allowed_transitions",
    "credit_note_for",
    "credit_note_id",
    "decide",
    "mark_settled",
    "reconcile",
    "settle",
    "settle_in_store",
    "submit",
    "verify",
    "verify_batch",
    "withdraw",
]
