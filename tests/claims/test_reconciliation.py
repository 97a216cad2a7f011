"""Reconciliation of debit notes against claims and credit notes."""

from __future__ import annotations

from datetime import date, datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from distcrm.claims import Claim, ClaimLine, decide, reconcile, submit
from distcrm.documents import Document, Line
from distcrm.money import Money
from distcrm.periods import Validity

JUNE = Validity(date(2025, 6, 1), date(2025, 7, 1))
T = datetime(2025, 7, 1, 9)


def inr(s: str) -> Money:
    return Money.of(s, "INR")


def debit(did: str, who: str, amount: str, ref: str | None, day: int = 1) -> Document:
    return Document(did, "debit_note", "primary", who, "P1", date(2025, 7, day), "INR",
                    lines=(Line("CLAIM", 1, inr(amount)),), reference=ref)


def credit(cid: str, who: str, amount: str, ref: str | None) -> Document:
    return Document(cid, "credit_note", "primary", "P1", who, date(2025, 7, 10), "INR",
                    lines=(Line("CLAIM", 1, inr(amount)),), reference=ref)


def claim(cid: str, who: str, asked: str, approved: str | None) -> Claim:
    c = Claim(cid, who, "display", JUNE, "INR", lines=(ClaimLine(None, None, 0, inr(asked)),))
    c = submit(c, by=who, at=T)
    if approved is not None:
        c = decide(c, [inr(approved)], by="asm", at=T)
    return c


def test_every_status_hand_checked() -> None:
    claims = [
        claim("CL-1", "D1", "1000.00", "1000.00"),  # approved in full, credited in full -> exact
        claim("CL-2", "D1", "500.00", "300.00"),  # approved 300, credited 300 -> partial
        claim("CL-3", "D2", "700.00", None),  # not decided, nothing credited -> missing
        claim("CL-4", "D2", "100.00", "100.00"),  # credited 150 -> excess
    ]
    debits = [
        debit("DN-1", "D1", "1000.00", "CL-1"),
        debit("DN-2", "D1", "500.00", "CL-2"),
        debit("DN-3", "D2", "700.00", "CL-3"),
        debit("DN-4", "D2", "100.00", "CL-4"),
        debit("DN-5", "D1", "1000.00", "CL-1", day=5),  # the same claim again
        debit("DN-6", "D2", "50.00", "CL-9"),  # no such claim
    ]
    credits = [
        credit("CN-1", "D1", "1000.00", "CL-1"),
        credit("CN-2", "D1", "300.00", "CL-2"),
        credit("CN-4", "D2", "150.00", "CL-4"),
        credit("CN-X", "D2", "20.00", None),
    ]
    r = reconcile(debits, credits, claims)
    status = {m.debit_note: m.status for m in r.matches}
    assert status == {
        "DN-1": "exact", "DN-2": "partial", "DN-3": "missing",
        "DN-4": "excess", "DN-5": "duplicate", "DN-6": "missing",
    }
    d1 = r.balance("D1")
    assert d1 is not None
    # D1 claimed 1000 + 500 + 1000 (duplicate) = 2500; approved 1000 + 300; rejected 200 + 1000
    assert (d1.claimed, d1.approved, d1.rejected, d1.open, d1.credited) == (
        inr("2500.00"), inr("1300.00"), inr("1200.00"), inr("0.00"), inr("1300.00"),
    )
    d2 = r.balance("D2")
    assert d2 is not None
    # D2 claimed 700 (open) + 100 (approved, credited 150) + 50 (no claim, open)
    assert (d2.claimed, d2.approved, d2.open, d2.credited) == (
        inr("850.00"), inr("100.00"), inr("750.00"), inr("150.00"),
    )
    assert d2.to_credit == inr("-50.00")
    codes = sorted(f.code for f in r.findings)
    assert codes == [
        "credit_note_without_debit_note", "credited_above_claimed",
        "debit_note_without_claim", "duplicate_debit_note",
    ]


@settings(max_examples=100, deadline=None)
@given(st.lists(
    st.tuples(
        st.sampled_from(["D1", "D2", "D3"]),
        st.integers(min_value=1, max_value=10_000),  # asked (paise x 100)
        st.one_of(st.none(), st.integers(min_value=0, max_value=100)),  # approved percent
        st.sampled_from(["CL-1", "CL-2", "CL-3", "CL-4", "CL-5"]),
        st.integers(min_value=0, max_value=12_000),  # credited
    ),
    max_size=12,
))
def test_claimed_equals_approved_plus_rejected_plus_open(rows: list[tuple[str, int, int | None, str, int]]) -> None:
    claims: dict[str, Claim] = {}
    debits: list[Document] = []
    credits: list[Document] = []
    for i, (who, asked, pct, ref, paid) in enumerate(rows):
        asked_m = Money.from_minor_units(asked * 100, "INR")
        if ref not in claims:
            approved = None if pct is None else Money.from_minor_units(asked * pct, "INR")
            claims[ref] = claim(ref, who, str(asked_m.amount), None if approved is None else str(approved.amount))
        debits.append(debit(f"DN-{i}", who, str(asked_m.amount), ref, day=1 + i % 20))
        if paid:
            credits.append(credit(f"CN-{i}", who, str(Money.from_minor_units(paid, "INR").amount), ref))
    r = reconcile(debits, credits, claims.values())
    for m in r.matches:
        assert m.claimed == m.approved + m.rejected + m.open
        assert m.approved.amount >= 0 and m.rejected.amount >= 0 and m.open.amount >= 0
    for b in r.balances:
        assert b.claimed == b.approved + b.rejected + b.open
    total = sum((d.taxable.amount for d in debits), Money.zero("INR").amount)
    assert sum((b.claimed.amount for b in r.balances), Money.zero("INR").amount) == total
