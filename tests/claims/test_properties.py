"""Invariants of verification on random months of documents and claims."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

import attrs
from hypothesis import given, settings
from hypothesis import strategies as st

from distcrm.claims import Claim, ClaimLine, verify_batch
from distcrm.documents import Document, Line, LineRef
from distcrm.money import Money
from distcrm.periods import Validity
from distcrm.schemes import FreeGoods, PercentDiscount, Scheme, Slab, evaluate

JUNE = Validity(date(2025, 6, 1), date(2025, 7, 1))
SCHEMES = [
    Scheme("S2", "value slabs", JUNE, measure="net_value", window="month", party="seller",
           slabs=(Slab(1_000, PercentDiscount(2)), Slab(5_000, PercentDiscount("3.5")))),
    Scheme("S1", "buy 10 get 1", JUNE, measure="units", window="month", party="seller",
           slabs=(Slab(10, FreeGoods(get=1, every=10)),)),
]


@st.composite
def months(draw: st.DrawFn) -> tuple[list[Document], list[Claim]]:
    docs: list[Document] = []
    for i in range(draw(st.integers(min_value=1, max_value=8))):
        seller = draw(st.sampled_from(["D1", "D2"]))
        lines = tuple(
            Line(draw(st.sampled_from(["A", "B"])), draw(st.integers(min_value=1, max_value=60)),
                 Money.from_minor_units(draw(st.integers(min_value=100, max_value=20_000)), "INR"))
            for _ in range(draw(st.integers(min_value=1, max_value=3)))
        )
        docs.append(Document(f"SI-{i}", "invoice", "secondary", seller, f"R{i % 3}",
                             date(2025, 6, 1) + timedelta(days=draw(st.integers(0, 29))), "INR", lines))
    refs = [LineRef(d.id, n) for d in docs for n in range(1, len(d.lines) + 1)]
    claims: list[Claim] = []
    for c in range(draw(st.integers(min_value=1, max_value=5))):
        picked = draw(st.lists(st.sampled_from(refs), min_size=1, max_size=6))
        lines_ = tuple(
            ClaimLine(r, None, 0, Money.from_minor_units(draw(st.integers(0, 50_000)), "INR"))
            for r in picked
        )
        claims.append(Claim(f"CL-{c}", draw(st.sampled_from(["D1", "D2"])), "scheme", JUNE, "INR",
                            lines=lines_, scheme=draw(st.sampled_from(["S1", "S2"]))))
    return docs, claims


def _run(docs: list[Document], claims: list[Claim]) -> dict[str, Counter[tuple[str, str, str]]]:
    out: dict[str, Counter[tuple[str, str, str]]] = {}
    for v, c in zip(verify_batch(claims, schemes=SCHEMES, documents=docs, on=date(2025, 7, 5)), claims, strict=True):
        assert v.claim == c.id
        out[c.id] = Counter(
            (str(line.ref), str(line.amount.amount), str(lv.approved.amount))
            for line, lv in zip(c.lines, v.lines, strict=True)
        )
    return out


@settings(max_examples=60, deadline=None)
@given(months(), st.randoms(use_true_random=False))
def test_verification_invariants(month: tuple[list[Document], list[Claim]], rnd) -> None:  # type: ignore[no-untyped-def]
    docs, claims = month
    results = verify_batch(claims, schemes=SCHEMES, documents=docs, on=date(2025, 7, 5))
    approved_refs: Counter[tuple[str, str]] = Counter()
    per_scheme: Counter[str] = Counter()
    for c, v in zip(claims, results, strict=True):
        assert v.approved <= v.entitled
        assert v.approved <= v.claimed
        for line, lv in zip(c.lines, v.lines, strict=True):
            assert Money.zero("INR") <= lv.approved <= lv.entitled
            assert lv.approved <= line.amount
            if not lv.approved.is_zero:
                assert line.ref is not None
                approved_refs[(c.scheme or "", str(line.ref))] += 1
        per_scheme[c.scheme or ""] += v.approved.minor_units()
    # a document line is approved at most once across all claims (per scheme space)
    assert all(n == 1 for n in approved_refs.values())
    # never more than the schemes pay out in total to the claimants
    result = evaluate(SCHEMES, docs, on=date(2025, 7, 5))
    for scheme_id, paid in per_scheme.items():
        assert paid <= result.total(scheme_id).round().minor_units()
    # order of claims and of lines does not matter
    shuffled = list(claims)
    rnd.shuffle(shuffled)
    shuffled = [attrs.evolve(c, lines=tuple(rnd.sample(c.lines, len(c.lines)))) for c in shuffled]
    assert _run(docs, shuffled) == _run(docs, claims)
