"""Settlement: one credit note per claim, GST treatment recorded, safe under concurrency."""

from __future__ import annotations

import threading
from datetime import date, datetime

import pytest

from distcrm.claims import (
    Claim,
    ClaimLine,
    credit_note_for,
    decide,
    settle,
    settle_in_store,
    submit,
)
from distcrm.documents import LineRef
from distcrm.errors import ClaimError, InvalidTransition
from distcrm.money import Money
from distcrm.periods import Validity
from distcrm.stores.memory import MemoryStore

JUNE = Validity(date(2025, 6, 1), date(2025, 7, 1))
T = datetime(2025, 7, 1, 9)


def inr(s: str) -> Money:
    return Money.of(s, "INR")


def approved_claim(world, cid: str = "CL-1") -> Claim:  # type: ignore[no-untyped-def]
    c = Claim(cid, "D1", "scheme", JUNE, "INR", scheme="S2", lines=(
        ClaimLine(LineRef("SI-1", 1), "SKU1", 0, inr("240.00")),
        ClaimLine(LineRef("SI-2", 1), "SKU2", 0, inr("40.00")),
    ))
    c = submit(c, by="D1", at=T)
    return decide(c, [inr("240.00"), inr("0.00")], by="asm", at=T)


def test_linked_discount_reverses_tax_at_the_invoice_rate(world) -> None:  # type: ignore[no-untyped-def]
    c = approved_claim(world)
    settled, s = settle(c, issuer="P1", on=date(2025, 7, 3), by="fin", at=T, documents=world.docs)
    assert settled.status == "settled"
    # SI-1 line 1: tax 2,160.00 on 12,000.00 taxable = 18 %; 18 % of 240.00 = 43.20
    assert s.treatment == "linked_discount" and s.linked_invoices == ("SI-1",)
    note = s.note
    assert (note.id, note.kind, note.seller, note.buyer, note.reference) == (
        "CN-CL-1", "credit_note", "P1", "D1", "CL-1",
    )
    assert len(note.lines) == 1  # the rejected soap line earns no credit
    assert note.taxable == inr("240.00") and note.tax == inr("43.20") and note.total == inr("283.20")


def test_financial_note_when_forced_or_unlinkable(world) -> None:  # type: ignore[no-untyped-def]
    c = approved_claim(world)
    s = credit_note_for(c, issuer="P1", on=date(2025, 7, 3), documents=world.docs, treatment="financial")
    assert s.treatment == "financial" and s.note.tax.is_zero and s.note.total == inr("240.00")
    with pytest.raises(ClaimError, match="linked-discount credit note needs"):
        credit_note_for(c, issuer="P1", on=date(2025, 7, 3), documents={}, treatment="linked_discount")


def test_settling_is_idempotent(world) -> None:  # type: ignore[no-untyped-def]
    c = approved_claim(world)
    settled, first = settle(c, issuer="P1", on=date(2025, 7, 3), by="fin", at=T, documents=world.docs)
    again = credit_note_for(settled, issuer="P1", on=date(2025, 7, 3), documents=world.docs)
    assert again == first
    with pytest.raises(InvalidTransition, match="already settled with CN-CL-1"):
        settle(settled, issuer="P1", on=date(2025, 7, 3), by="fin", at=T)
    with pytest.raises(ClaimError, match="only approved claims are settled, not 'draft'"):
        credit_note_for(Claim("CL-2", "D1", "display", JUNE, "INR"), issuer="P1", on=date(2025, 7, 3))


def test_concurrent_settlers_produce_one_note(world) -> None:  # type: ignore[no-untyped-def]
    store = MemoryStore()
    store.documents.add_many(world.documents)
    claims = [approved_claim(world, f"CL-{i:03d}") for i in range(20)]
    for c in claims:
        store.claims.save(c, expected_version=0)
    notes: list[str] = []
    lock = threading.Lock()
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            for c in claims:
                s = settle_in_store(store, c.id, issuer="P1", on=date(2025, 7, 3), by="fin", at=T)
                with lock:
                    notes.append(s.note.id)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(notes) == 8 * 20 and set(notes) == {f"CN-CL-{i:03d}" for i in range(20)}
    credit_notes = list(store.documents.query(kind="credit_note"))
    assert len(credit_notes) == 20
    for c in claims:
        stored = store.claims.get(c.id)
        assert isinstance(stored, Claim)
        assert stored.status == "settled"
        assert [h.status for h in stored.history].count("settled") == 1


def test_a_crash_between_the_two_writes_heals(world) -> None:  # type: ignore[no-untyped-def]
    store = MemoryStore()
    store.documents.add_many(world.documents)
    c = approved_claim(world)
    store.claims.save(c, expected_version=0)
    settled, _ = settle(c, issuer="P1", on=date(2025, 7, 3), by="fin", at=T, documents=world.docs)
    store.claims.save(settled, expected_version=1)  # ... and the writer stopped before the note
    s = settle_in_store(store, "CL-1", issuer="P1", on=date(2025, 7, 3), by="fin", at=T)
    assert s.note.id == "CN-CL-1" and store.documents.get("CN-CL-1").tax == inr("43.20")
