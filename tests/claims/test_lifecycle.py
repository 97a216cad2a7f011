"""The claim state machine."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from distcrm.claims import Claim, ClaimLine, decide, mark_settled, submit, withdraw
from distcrm.errors import ClaimError, InvalidTransition
from distcrm.money import Money
from distcrm.periods import Validity

JUNE = Validity(date(2025, 6, 1), date(2025, 7, 1))
T0 = datetime(2025, 7, 1, 9, 0)


def inr(s: str) -> Money:
    return Money.of(s, "INR")


def _claim(*amounts: str) -> Claim:
    return Claim(
        "CL-1", "D1", "display", JUNE, "INR",
        lines=tuple(ClaimLine(None, None, 0, inr(a)) for a in amounts),
        evidence=("photo-1",),
    )


def test_happy_path_keeps_history() -> None:
    c = submit(_claim("500.00", "300.00"), by="D1", at=T0)
    c = decide(c, [inr("500.00"), inr("300.00")], by="asm", at=datetime(2025, 7, 2))
    assert c.status == "approved" and c.approved == inr("800.00")
    c = mark_settled(c, by="finance", at=datetime(2025, 7, 3), note="CN-CL-1")
    assert [(h.previous, h.status, h.by) for h in c.history] == [
        ("draft", "submitted", "D1"),
        ("submitted", "approved", "asm"),
        ("approved", "settled", "finance"),
    ]


@pytest.mark.parametrize(
    ("approved", "status"),
    [
        (("500.00", "300.00"), "approved"),
        (("500.00", "0.00"), "partially_approved"),
        (("0.00", "0.00"), "rejected"),
    ],
)
def test_decision_status_follows_the_amounts(approved: tuple[str, str], status: str) -> None:
    c = submit(_claim("500.00", "300.00"), by="D1", at=T0)
    decided = decide(c, [inr(a) for a in approved], by="asm", at=T0)
    assert decided.status == status
    assert decided.approved == inr(approved[0]) + inr(approved[1])


def test_invalid_transitions_name_both_states() -> None:
    draft = _claim("1.00")
    with pytest.raises(InvalidTransition, match=r"claim 'CL-1': cannot go from 'draft' to 'settled'"):
        mark_settled(draft, by="x", at=T0)
    with pytest.raises(InvalidTransition, match="from 'draft' to 'approved'"):
        decide(draft, [inr("1.00")], by="x", at=T0)
    gone = withdraw(draft, by="D1", at=T0)
    with pytest.raises(InvalidTransition, match=r"from 'withdrawn' to 'submitted' \(allowed: none\)"):
        submit(gone, by="D1", at=T0)
    rejected = decide(submit(draft, by="D1", at=T0), [inr("0")], by="asm", at=T0)
    with pytest.raises(InvalidTransition, match="from 'rejected' to 'settled'"):
        mark_settled(rejected, by="f", at=T0)


def test_bad_calls_raise_claim_errors() -> None:
    c = submit(_claim("500.00"), by="D1", at=T0)
    with pytest.raises(ClaimError, match=r"approved_lines\[0\]: 600.00 INR must be between 0 and 500.00 INR"):
        decide(c, [inr("600.00")], by="asm", at=T0)
    with pytest.raises(ClaimError, match="2 amounts for 1 lines"):
        decide(c, [inr("1"), inr("1")], by="asm", at=T0)
    with pytest.raises(ClaimError, match="is before the previous step"):
        decide(c, [inr("1")], by="asm", at=datetime(2025, 6, 30))
    with pytest.raises(ClaimError, match="needs who made it"):
        decide(c, [inr("1")], by="", at=T0)
    with pytest.raises(ClaimError, match="without lines cannot be submitted"):
        submit(_claim(), by="D1", at=T0)


def test_claim_validation_reports_every_problem() -> None:
    with pytest.raises(ClaimError) as info:
        Claim(
            "CL-9", "D1", "scheme", Validity(date(2025, 6, 1)), "INR",
            lines=(ClaimLine(None, "S", -1, Money.of("5", "USD")),),
        )
    text = str(info.value)
    assert "claim 'CL-9'.scheme: a scheme claim must name its scheme" in text
    assert "claim 'CL-9'.period: a claim period must have an end" in text
    assert "claim 'CL-9'.lines[0].qty: must be >= 0, got -1" in text
    assert "claim 'CL-9'.lines[0].amount: currency USD differs from the claim's INR" in text
