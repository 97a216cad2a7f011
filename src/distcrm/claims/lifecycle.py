"""The claim lifecycle as a pure state machine.

::

    draft ──submit──▶ submitted ──decide──▶ approved ───────────┐
      │                  │               ├─▶ partially_approved ─┼─settle─▶ settled
      └──withdraw──┐     │               └─▶ rejected            │
                   ▼     ▼                                       │
                 withdrawn ◀──withdraw── (draft or submitted only)

Every function returns a new :class:`~distcrm.claims.model.Claim` with the
step appended to its history (who and when are passed in: the core never reads
the clock). A move not allowed from the current state raises
:class:`~distcrm.errors.InvalidTransition` naming the claim and both states.

Examples:
    >>> from datetime import date, datetime
    >>> from distcrm.money import Money
    >>> from distcrm.periods import Validity
    >>> from distcrm.claims.model import Claim, ClaimLine
    >>> c = Claim("CL-1", "D1", "display", Validity(date(2025, 6, 1), date(2025, 7, 1)), "INR",
    ...           lines=(ClaimLine(None, None, 0, Money.of("1500.00", "INR")),))
    >>> c = submit(c, by="D1", at=datetime(2025, 7, 2, 10, 0))
    >>> c = decide(c, [Money.of("1000.00", "INR")], by="asm.rao", at=datetime(2025, 7, 5, 9, 30),
    ...            note="display agreement pays 1,000 a month")
    >>> c.status, str(c.approved)
    ('partially_approved', '1000.00 INR')
    >>> [h.status for h in c.history]
    ['submitted', 'partially_approved']
    >>> submit(c, by="D1", at=datetime(2025, 7, 6))
    Traceback (most recent call last):
    ...
    distcrm.errors.InvalidTransition: claim 'CL-1': cannot go from 'partially_approved' to 'submitted' (allowed: settled)
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import attrs

from distcrm.claims.model import Claim, ClaimStatus, StatusChange
from distcrm.errors import ClaimError, InvalidTransition
from distcrm.money import Money

__all__ = [
    "TRANSITIONS",
    "allowed_transitions",
    "decide",
    "mark_settled",
    "submit",
    "withdraw",
]

TRANSITIONS: dict[ClaimStatus, frozenset[ClaimStatus]] = {
    "draft": frozenset({"submitted", "withdrawn"}),
    "submitted": frozenset({"approved", "partially_approved", "rejected", "withdrawn"}),
    "approved": frozenset({"settled"}),
    "partially_approved": frozenset({"settled"}),
    "rejected": frozenset(),
    "settled": frozenset(),
    "withdrawn": frozenset(),
}
"""Allowed moves from each status."""


def allowed_transitions(status: ClaimStatus) -> frozenset[ClaimStatus]:
    """The statuses a claim in ``status`` may move to."""
    return TRANSITIONS[status]


def _move(
    claim: Claim,
    to: ClaimStatus,
    *,
    by: str,
    at: datetime,
    note: str,
    approved_lines: tuple[Money, ...] | None = None,
) -> Claim:
    allowed = TRANSITIONS[claim.status]
    if to not in allowed:
        names = ", ".join(sorted(allowed)) or "none"
        raise InvalidTransition(
            f"claim {claim.id!r}: cannot go from {claim.status!r} to {to!r} (allowed: {names})"
        )
    if not by:
        raise ClaimError(f"claim {claim.id!r}.history: a status change needs who made it (by=)")
    if claim.history and at < claim.history[-1].at:
        raise ClaimError(
            f"claim {claim.id!r}.history: {to} at {at.isoformat()} is before the previous step "
            f"at {claim.history[-1].at.isoformat()}"
        )
    step = StatusChange(claim.status, to, by, at, note)
    history = (*claim.history, step)
    if approved_lines is None:
        return attrs.evolve(claim, status=to, history=history)
    return attrs.evolve(
        claim, status=to, history=history, approved_lines=approved_lines, reason=note
    )


def submit(claim: Claim, *, by: str, at: datetime, note: str = "") -> Claim:
    """Submit a draft claim for verification."""
    if not claim.lines:
        raise ClaimError(f"claim {claim.id!r}.lines: a claim without lines cannot be submitted")
    return _move(claim, "submitted", by=by, at=at, note=note)


def withdraw(claim: Claim, *, by: str, at: datetime, note: str = "") -> Claim:
    """Withdraw a draft or submitted claim."""
    return _move(claim, "withdrawn", by=by, at=at, note=note)


def decide(
    claim: Claim, approved_lines: Sequence[Money], *, by: str, at: datetime, note: str = ""
) -> Claim:
    """Record the decision on a submitted claim: the approved amount of every line.

    The status follows from the amounts: ``approved`` when every line is
    approved in full, ``rejected`` when nothing is, ``partially_approved``
    otherwise. Approved amounts must lie between zero and the amount asked.
    """
    amounts = tuple(approved_lines)
    if len(amounts) != len(claim.lines):
        raise ClaimError(
            f"claim {claim.id!r}.approved_lines: {len(amounts)} amounts for {len(claim.lines)} lines"
        )
    for i, (line, ok) in enumerate(zip(claim.lines, amounts, strict=True)):
        if ok.currency != claim.currency or ok.amount < 0 or ok > line.amount:
            raise ClaimError(
                f"claim {claim.id!r}.approved_lines[{i}]: {ok} must be between 0 and {line.amount}"
            )
    total = sum((a.amount for a in amounts), Money.zero(claim.currency).amount)
    if total == 0:
        status: ClaimStatus = "rejected"
    elif all(ok == line.amount for line, ok in zip(claim.lines, amounts, strict=True)):
        status = "approved"
    else:
        status = "partially_approved"
    return _move(claim, status, by=by, at=at, note=note, approved_lines=amounts)


def mark_settled(claim: Claim, *, by: str, at: datetime, note: str = "") -> Claim:
    """Mark an approved or partially approved claim as settled."""
    return _move(claim, "settled", by=by, at=at, note=note)
