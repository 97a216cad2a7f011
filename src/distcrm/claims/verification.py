"""Claim verification: recompute what the claimant is owed and explain every difference.

:func:`verify` checks one claim; :func:`verify_batch` checks a month's claims of
every distributor in one call, evaluating the schemes once. Both return
:class:`Verification` records: the approved amount of every line and in total,
the recomputed entitlement, and :class:`~distcrm.findings.Finding` records with
stable codes. Problems in the *distributor's* data (an unknown invoice, an
over-claim) are findings; a malformed *call* raises
:class:`~distcrm.errors.ClaimError`.

Finding codes:

=============================  ================================================================
``unknown_scheme``             the claim names a scheme that is not defined
``document_missing``           a line that must rest on a document line names none
``document_unknown``           the document (or its line number) does not exist
``document_not_claimants``     the document is not the claimant's (wrong buyer / seller)
``outside_window``             dated outside the claim period or the scheme's validity
``ineligible_product``         the SKU is not selected by the scheme (or differs from the document)
``ineligible_outlet``          the claimant is not eligible for the scheme
``quantity_above_documented``  more units claimed than the document line shows
``line_already_claimed``       the line is already claimed (this or another claim, any scheme)
``not_entitled``               the line earns nothing (its window reached no slab)
``amount_above_entitlement``   more asked than earned: the entitlement is approved, the excess flagged
``budget_exhausted``           the scheme's total budget is spent: the line is cut
``phantom_sell_through``       sales above the stock the distributor could have had
``unknown_price_change``       a price-drop line for a SKU with no declared price change
``price_drop_above_stock``     price-drop quantity above the stock on hand on the effective date
``agreed_price_missing``       a rate-difference line without the agreed price
``no_rate_difference``         the invoiced price is not above the agreed price
``outside_return_window``      damage / expiry claimed too long after the goods were received
``quantity_above_received``    damage / expiry units above what was received (less earlier claims)
``evidence_missing``           a transport / display claim without evidence
``no_allowance``               no allowance is configured for a transport / display claim
``under_claim``                the claimant is owed more than it asked (information)
=============================  ================================================================

A document line may be claimed once per scheme: two claims on one line under
the same scheme are duplicates. Under two different schemes each claim is held
to that scheme's own share of the line, and the scheme engine's stacking rules
decide whether the line earns under both (an exclusive scheme leaves the other
nothing, so the second claim finds ``not_entitled``). Rate-difference claims
hold their lines in a space of their own.

Precedence is deterministic and independent of input order: prior claims first,
then batch claims by id, and within a claim lines by (document, line, SKU,
larger amount first, larger quantity first). The first to claim a document
line gets it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import date, timedelta
from decimal import Decimal
from typing import overload

import attrs

from distcrm.catalog import Product
from distcrm.claims.model import Claim, ClaimLine, PriceChange
from distcrm.claims.stock import StockLedger
from distcrm.documents import Document, Line, LineRef
from distcrm.errors import ClaimError
from distcrm.findings import Finding, Outcome, Severity, Trace, TraceStep
from distcrm.money import Money, minor_unit_exponent
from distcrm.parties import Account
from distcrm.schemes import LineRefs, Scheme, SchemeResult, evaluate
from distcrm.schemes.arithmetic import split_whole

__all__ = [
    "ClaimPolicy",
    "LineVerdict",
    "LineVerdicts",
    "Verification",
    "verify",
    "verify_batch",
]

_NEGATIVE = frozenset({"return", "credit_note"})
_HOLDING = ("submitted", "approved", "partially_approved", "settled")


@attrs.frozen
class ClaimPolicy:
    """The principal's rules for claims that schemes do not define.

    Attributes:
        return_window_days: damage / expiry may be claimed up to this many days
            after the goods were invoiced to the claimant.
        allowances: the most a claimant may be paid per claim of a type
            (``{"display": Money.of("1000", "INR")}``); transport and display
            claims without an allowance are not approved.
        check_stock: look for phantom sell-through on secondary lines.
    """

    return_window_days: int = 90
    allowances: Mapping[str, Money] = attrs.field(factory=dict)
    check_stock: bool = True


@attrs.frozen
class LineVerdict:
    """The verdict on one claim line."""

    index: int
    ref: LineRef | None
    claimed: Money
    entitled: Money
    approved: Money
    findings: tuple[Finding, ...] = ()

    @property
    def codes(self) -> tuple[str, ...]:
        """The finding codes on this line."""
        return tuple(f.code for f in self.findings)


@attrs.frozen
class Verification:
    """The verdict on one claim.

    Attributes:
        claim: the claim id.
        version: the claim version verified.
        claimed: total asked.
        entitled: what the claimant is entitled to for what it claimed, as recomputed.
        approved: total approved (never above ``entitled``).
        lines: one verdict per claim line, in the claim's line order.
        findings: every finding, line findings first, then claim-level ones.
        trace: how the verdict was reached.
    """

    claim: str
    version: int
    claimed: Money
    entitled: Money
    approved: Money
    lines: Sequence[LineVerdict]
    findings: tuple[Finding, ...]
    trace: Trace

    @property
    def approved_lines(self) -> tuple[Money, ...]:
        """Approved amount per line, ready for :func:`~distcrm.claims.lifecycle.decide`."""
        return tuple(v.approved for v in self.lines)

    @property
    def codes(self) -> frozenset[str]:
        """Every finding code raised."""
        return frozenset(f.code for f in self.findings)


_Slot = LineVerdict | int | None


def _clean_verdict(claim: Claim, i: int, share: int) -> LineVerdict:
    line = claim.lines[i]
    return LineVerdict(
        i, line.ref, line.amount, Money.from_minor_units(share, claim.currency), line.amount
    )


class LineVerdicts(Sequence[LineVerdict]):
    """One :class:`LineVerdict` per claim line, built when read.

    A month of claims has millions of lines, most of them approved exactly as
    claimed; those are kept as their entitled minor units and turned into
    verdicts only when somebody looks at them.
    """

    __slots__ = ("_claim", "_slots")

    def __init__(self, claim: Claim, slots: Sequence[LineVerdict | int]) -> None:
        self._claim = claim
        self._slots = tuple(slots)

    def __len__(self) -> int:
        return len(self._slots)

    def _get(self, i: int) -> LineVerdict:
        slot = self._slots[i]
        return _clean_verdict(self._claim, i, slot) if isinstance(slot, int) else slot

    @overload
    def __getitem__(self, i: int) -> LineVerdict: ...
    @overload
    def __getitem__(self, i: slice) -> tuple[LineVerdict, ...]: ...
    def __getitem__(self, i: int | slice) -> LineVerdict | tuple[LineVerdict, ...]:
        if isinstance(i, slice):
            return tuple(self._get(j) for j in range(len(self._slots))[i])
        if i < 0:
            i += len(self._slots)
        return self._get(i)

    def __iter__(self) -> Iterator[LineVerdict]:
        for i in range(len(self._slots)):
            yield self._get(i)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Sequence):
            return tuple(self) == tuple(other)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(tuple(self))

    def __repr__(self) -> str:
        return f"LineVerdicts({list(self)!r})"


class _Registry:
    """What earlier claims already hold: document lines, units, allowances, budgets."""

    def __init__(self) -> None:
        self.lines: dict[tuple[str, str, int], str] = {}
        self.units: dict[tuple[str, ...], int] = defaultdict(int)
        self.money: dict[tuple[str, ...], Decimal] = defaultdict(Decimal)

    @staticmethod
    def space(claim: Claim) -> str:
        return f"scheme:{claim.scheme}" if claim.type == "scheme" else claim.type

    def hold(self, claim: Claim, approved: Sequence[Money] | None) -> None:
        for i, line in enumerate(claim.lines):
            amount = approved[i] if approved is not None else line.amount
            if approved is not None and amount.is_zero:
                continue
            if line.ref is not None and claim.type not in ("damage", "expiry"):
                key = (self.space(claim), line.ref.document, line.ref.line)
                self.lines.setdefault(key, claim.id)
            if line.ref is not None and claim.type in ("damage", "expiry"):
                self.units[("returned", line.ref.document, str(line.ref.line))] += line.qty
            if claim.type in ("price_drop", "price_protection") and line.sku is not None:
                self.units[("price_drop", claim.claimant, line.sku)] += line.qty
            self.money[("type", claim.type, claim.claimant, claim.period.start.isoformat())] += (
                amount.amount
            )
            if claim.scheme:
                self.money[("scheme", claim.scheme)] += amount.amount


@attrs.define
class _Context:
    schemes: dict[str, Scheme]
    documents: dict[str, Document]
    accounts: dict[str, Account]
    products: dict[str, Product]
    price_changes: dict[str, PriceChange]
    policy: ClaimPolicy
    on: date
    result: SchemeResult | None
    ledger: StockLedger | None
    shares: dict[tuple[str, str], dict[tuple[str, int], int]] = attrs.field(factory=dict)
    shares_by_doc: dict[tuple[str, str], dict[str, int]] = attrs.field(factory=dict)
    weights: dict[int, int | None] = attrs.field(factory=dict)
    registry: _Registry = attrs.field(factory=_Registry)
    selected: dict[tuple[str, str], bool] = attrs.field(factory=dict)


def _finding(
    code: str,
    message: str,
    subject: str,
    amount: Money | None = None,
    severity: Severity = "warning",
) -> Finding:
    return Finding(code, message, subject=subject, amount=amount, severity=severity)


def _verdict(
    i: int,
    line: ClaimLine,
    entitled: Money,
    notes: list[Finding],
    subject: str,
    why: str | None,
) -> LineVerdict:
    """Approve the entitlement at most; flag what is asked above it.

    ``why`` explains how the entitlement was computed; ``None`` means the line
    earned nothing because of a finding already in ``notes`` (no excess flag then).
    """
    if line.amount <= entitled:
        return LineVerdict(i, line.ref, line.amount, entitled, line.amount, tuple(notes))
    if why is not None:
        detail = f" ({why})" if why else ""
        notes.append(
            _finding(
                "amount_above_entitlement",
                f"{subject}: asks {line.amount}, entitled to {entitled}{detail}",
                subject,
                line.amount - entitled,
            )
        )
    return LineVerdict(i, line.ref, line.amount, entitled, entitled, tuple(notes))


def _canonical(lines: Sequence[ClaimLine]) -> list[int]:
    """Line indices in the order claims on one document line compete.

    By (document, line); lines on the same document line by SKU, larger
    amount, larger quantity, then position. Independent of the claim's order
    of lines except for exact duplicates, which are interchangeable.
    """
    refs = [(ln.ref.document, ln.ref.line) if ln.ref is not None else ("", 0) for ln in lines]
    if len(set(refs)) == len(refs):
        # no two lines compete for one document line: any order gives the same verdicts
        return list(range(len(lines)))
    order = sorted(range(len(lines)), key=refs.__getitem__)
    i = 0
    while i < len(order):
        j = i + 1
        while j < len(order) and refs[order[j]] == refs[order[i]]:
            j += 1
        if j - i > 1:
            order[i:j] = sorted(
                order[i:j],
                key=lambda k: (lines[k].sku or "", -lines[k].amount.amount, -lines[k].qty, k),
            )
        i = j
    return order


def _resolve_line(
    ctx: _Context, claim: Claim, line: ClaimLine, subject: str, notes: list[Finding]
) -> tuple[Document, Line] | None:
    if line.ref is None:
        notes.append(
            _finding(
                "document_missing",
                f"{subject} names no document line",
                subject,
                line.amount,
                "error",
            )
        )
        return None
    doc = ctx.documents.get(line.ref.document)
    if doc is None or not 1 <= line.ref.line <= len(doc.lines):
        what = f"document {line.ref.document}" if doc is None else f"line {line.ref}"
        notes.append(
            _finding(
                "document_unknown", f"{subject}: {what} is unknown", subject, line.amount, "error"
            )
        )
        return None
    src = doc.line(line.ref.line)
    if line.sku is not None and line.sku != src.sku:
        notes.append(
            _finding(
                "ineligible_product",
                f"{subject}: claims {line.sku} but {line.ref} is {src.sku}",
                subject,
                line.amount,
                "error",
            )
        )
        return None
    return doc, src


_WEIGHT_PLACES = 6  # value weights are exact integers in millionths of the currency


def _value_weight(line: Line, cache: dict[int, int | None]) -> int | None:
    """The line's net value in millionths, or ``None`` when it has finer digits.

    Cached by object identity: documents share equal lines, and every line is
    alive for the whole verification.
    """
    key = id(line)
    if key in cache:
        return cache[key]
    value = line.unit_price.amount * line.qty
    if line.discount is not None:
        value -= line.discount.amount
    exp = value.as_tuple().exponent
    out = (
        int(value.scaleb(_WEIGHT_PLACES))
        if isinstance(exp, int) and exp >= -_WEIGHT_PLACES
        else None
    )
    cache[key] = out
    return out


def _exact_ints(weights: Sequence[Decimal]) -> list[int]:
    """Decimal weights scaled to integers without losing a digit."""
    scale = 0
    for w in weights:
        exp = w.as_tuple().exponent
        if isinstance(exp, int) and -exp > scale:
            scale = -exp
    return [int(w.scaleb(scale)) for w in weights]


def _scheme_shares(ctx: _Context, scheme: Scheme, party: str) -> dict[tuple[str, int], int]:
    """Each earning line's share of ``party``'s entitlements under ``scheme``, in minor units.

    The same split as :func:`distcrm.schemes.allocation.allocate_benefit`
    (largest remainder over net value, or units for unit and case measures),
    done on integers because a month of claims touches every line.
    """
    key = (scheme.id, party)
    if key in ctx.shares:
        return ctx.shares[key]
    shares: dict[tuple[str, int], int] = {}
    assert ctx.result is not None
    docs = ctx.documents
    by_value = scheme.is_value_measure
    cache = ctx.weights
    for ent in ctx.result.entitlements:
        if ent.scheme != scheme.id or ent.party != party or ent.value.amount <= 0:
            continue
        refs: list[tuple[str, int]] = []
        ints: list[int] = []
        exact = True
        lines = ent.lines
        keys = (
            lines.keys()
            if isinstance(lines, LineRefs)
            else ((ref.document, ref.line) for ref in lines)
        )
        for doc_id, number in keys:
            doc = docs.get(doc_id)
            if doc is None or doc.kind in _NEGATIVE:
                continue
            src = doc.lines[number - 1]
            if by_value:
                w = _value_weight(src, cache)
                if w is None:
                    exact = False
                    w = 1  # placeholder; the exact Decimal split below replaces it
            else:
                w = src.qty
            if w > 0:
                refs.append((doc_id, number))
                ints.append(w)
        if not refs:
            continue
        if not exact:
            nets = [(ref, _net(docs[ref[0]].lines[ref[1] - 1])) for ref in refs]
            refs = [ref for ref, net in nets if net > 0]
            ints = _exact_ints([net for _, net in nets if net > 0])
            if not refs:
                continue
        for ref_key, units in zip(
            refs, split_whole(ent.value.round().minor_units(), ints), strict=True
        ):
            if units:
                shares[ref_key] = units
    by_doc: dict[str, int] = defaultdict(int)
    for (doc_id, _), units in shares.items():
        by_doc[doc_id] += units
    ctx.shares[key] = shares
    ctx.shares_by_doc[key] = dict(by_doc)
    return shares


def _net(line: Line) -> Decimal:
    value = line.unit_price.amount * line.qty
    return value - line.discount.amount if line.discount is not None else value


def _selects(ctx: _Context, scheme: Scheme, sku: str, product: Product | None) -> bool:
    key = (scheme.id, sku)
    hit = ctx.selected.get(key)
    if hit is None:
        hit = ctx.selected[key] = scheme.products.matches_sku(sku, product)
    return hit


def _verify_scheme(
    ctx: _Context, claim: Claim, verdicts: list[_Slot], trace: list[TraceStep]
) -> list[Finding]:
    cur = claim.currency
    zero = Money.zero(cur)
    scheme = ctx.schemes.get(claim.scheme or "")
    claim_findings: list[Finding] = []
    if scheme is None:
        f = _finding(
            "unknown_scheme",
            f"claim {claim.id} names unknown scheme {claim.scheme!r}",
            claim.id,
            claim.claimed,
            "error",
        )
        for i, line in enumerate(claim.lines):
            verdicts[i] = LineVerdict(i, line.ref, line.amount, zero, zero, (f,))
        trace.append(TraceStep("scheme", "rejected", f"{claim.scheme!r} is not defined"))
        return [f]
    if scheme.currency != cur:
        raise ClaimError(
            f"claim {claim.id!r}.currency: {cur} differs from scheme {scheme.id!r}'s {scheme.currency}"
        )
    account = ctx.accounts.get(claim.claimant)
    eligible_reason = scheme.eligibility.reject_reason(account) if account is not None else None
    shares = _scheme_shares(ctx, scheme, claim.claimant)
    trace.append(
        TraceStep(
            "scheme",
            "applied",
            f"{scheme.id} ({scheme.name}), {len(shares)} earning lines for {claim.claimant}",
        )
    )
    # The fast path accepts only what the full checks below would accept without a
    # finding, with the same amounts; anything else takes the full path.
    space = f"scheme:{scheme.id}"
    held = ctx.registry.lines
    docs = ctx.documents
    products_get = ctx.products.get
    claimant = claim.claimant
    ends = [e for e in (claim.period.end, scheme.validity.end) if e is not None]
    lo = max(claim.period.start, scheme.validity.start)
    hi = min(ends) if ends else date.max
    seller_earns = scheme.party == "seller"
    before = ctx.ledger.before_issue if ctx.policy.check_stock and ctx.ledger is not None else None
    scale = 10 ** minor_unit_exponent(cur)  # amount x scale compares with shares in minor units
    selected: dict[str, bool] = {}
    lines = claim.lines
    for i in _canonical(lines):
        line = lines[i]
        ref = line.ref
        if ref is not None and eligible_reason is None:
            doc_id, number = ref.document, ref.line
            doc = docs.get(doc_id)
            if doc is not None and 0 < number <= len(doc.lines):
                src = doc.lines[number - 1]
                sku = src.sku
                ok = selected.get(sku)
                if ok is None:
                    ok = selected[sku] = _selects(ctx, scheme, sku, products_get(sku))
                key = (space, doc_id, number)
                if (
                    ok
                    and (doc.seller if seller_earns else doc.buyer) == claimant
                    and lo <= doc.issued_on < hi
                    and (line.sku is None or line.sku == sku)
                    and (line.qty == 0 or line.qty == src.qty)
                    and key not in held
                    and (
                        before is None
                        or doc.level != "secondary"
                        or doc.seller != claimant
                        or before.get((doc_id, number), src.qty + src.free_qty)
                        >= src.qty + src.free_qty
                    )
                ):
                    share = shares.get((doc_id, number))
                    asked = line.amount.amount
                    if share is not None and asked * scale <= share:
                        verdicts[i] = share  # approved as claimed; the verdict is built on demand
                        if asked:
                            held[key] = claim.id
                        continue
        subject = f"claim {claim.id} line {i + 1}"
        notes: list[Finding] = []
        entitled = zero
        approved = zero
        resolved = _resolve_line(ctx, claim, line, subject, notes)
        if resolved is not None:
            doc, src = resolved
            assert line.ref is not None
            earner = doc.buyer if scheme.party == "buyer" else doc.seller
            product = ctx.products.get(src.sku)
            key = (f"scheme:{scheme.id}", doc.id, line.ref.line)
            if earner != claim.claimant:
                notes.append(
                    _finding(
                        "document_not_claimants",
                        f"{subject}: {doc.id} earns for {earner}, not {claim.claimant}",
                        subject,
                        line.amount,
                        "error",
                    )
                )
            elif not (
                claim.period.contains(doc.issued_on) and scheme.validity.contains(doc.issued_on)
            ):
                notes.append(
                    _finding(
                        "outside_window",
                        f"{subject}: {doc.id} dated {doc.issued_on} is outside the claim period {claim.period} or scheme validity {scheme.validity}",
                        subject,
                        line.amount,
                    )
                )
            elif eligible_reason is not None:
                notes.append(
                    _finding(
                        "ineligible_outlet",
                        f"{subject}: {eligible_reason} for {scheme.id}",
                        subject,
                        line.amount,
                    )
                )
            elif not _selects(ctx, scheme, src.sku, product):
                notes.append(
                    _finding(
                        "ineligible_product",
                        f"{subject}: {src.sku} is not a product of {scheme.id}",
                        subject,
                        line.amount,
                    )
                )
            elif key in ctx.registry.lines:
                notes.append(
                    _finding(
                        "line_already_claimed",
                        f"{subject}: {line.ref} is already claimed by {ctx.registry.lines[key]}",
                        subject,
                        line.amount,
                        "error",
                    )
                )
            else:
                qty = line.qty or src.qty
                fraction = Decimal(1)
                if qty > src.qty:
                    notes.append(
                        _finding(
                            "quantity_above_documented",
                            f"{subject}: claims {qty} units, {line.ref} shows {src.qty}",
                            subject,
                        )
                    )
                    qty = src.qty
                if src.qty:
                    fraction = Decimal(qty) / Decimal(src.qty)
                if (
                    ctx.policy.check_stock
                    and ctx.ledger is not None
                    and doc.level == "secondary"
                    and doc.seller == claim.claimant
                ):
                    avail = ctx.ledger.available_before(doc.id, line.ref.line)
                    need = src.qty + src.free_qty
                    if avail is not None and avail < need:
                        covered = max(avail, 0)
                        notes.append(
                            _finding(
                                "phantom_sell_through",
                                f"{subject}: {claim.claimant} sold {need} {src.sku} on {doc.issued_on} with only {covered} in stock",
                                subject,
                            )
                        )
                        fraction = fraction * Decimal(covered) / Decimal(need)
                share = shares.get((doc.id, line.ref.line))
                if share is None:
                    notes.append(
                        _finding(
                            "not_entitled",
                            f"{subject}: {line.ref} earns nothing under {scheme.id}",
                            subject,
                            line.amount,
                        )
                    )
                else:
                    if fraction != 1:
                        share = int(share * fraction)  # toward zero: never above the share
                    entitled = Money.from_minor_units(share, cur)
                    approved = line.amount if line.amount <= entitled else entitled
                    if line.amount > entitled:
                        notes.append(
                            _finding(
                                "amount_above_entitlement",
                                f"{subject}: asks {line.amount}, entitled to {entitled}",
                                subject,
                                line.amount - entitled,
                            )
                        )
                    if not approved.is_zero:
                        ctx.registry.lines[key] = claim.id
        verdicts[i] = LineVerdict(i, line.ref, line.amount, entitled, approved, tuple(notes))
    # budget
    if scheme.caps.total is not None:
        spent = ctx.registry.money[("scheme", scheme.id)]
        remaining = max(scheme.caps.total - spent, Decimal(0))
        for i, slot in enumerate(verdicts):
            if isinstance(slot, int):
                verdicts[i] = _clean_verdict(claim, i, slot)
        total = sum((v.approved.amount for v in verdicts if isinstance(v, LineVerdict)), Decimal(0))
        if total > remaining:
            over = total - remaining
            for i in reversed(_canonical(claim.lines)):
                v = verdicts[i]
                if not isinstance(v, LineVerdict) or over <= 0 or v.approved.is_zero:
                    continue
                cut = min(v.approved.amount, over)
                over -= cut
                f = _finding(
                    "budget_exhausted",
                    f"claim {claim.id} line {i + 1}: scheme {scheme.id} budget {scheme.caps.total} is spent; {cut} cut",
                    f"claim {claim.id} line {i + 1}",
                    Money(cut, cur),
                )
                verdicts[i] = attrs.evolve(
                    v, approved=v.approved - Money(cut, cur), findings=(*v.findings, f)
                )
            trace.append(
                TraceStep(
                    "budget", "cut", f"{scheme.id} had {remaining} left of {scheme.caps.total}"
                )
            )
    # under-claim: the party's earnings on the documents it claimed against
    claimed_docs = {ln.ref.document for ln in claim.lines if ln.ref is not None}
    per_doc = ctx.shares_by_doc[(scheme.id, claim.claimant)]
    owed_units = sum(
        per_doc[d]
        for d in claimed_docs
        if d in per_doc and claim.period.contains(ctx.documents[d].issued_on)
    )
    owed = Money.from_minor_units(owed_units, cur).amount
    total_asked = claim.claimed
    if owed > total_asked.amount:
        claim_findings.append(
            _finding(
                "under_claim",
                f"claim {claim.id}: {claim.claimant} is owed {Money(owed, cur)} on these documents under {scheme.id} but asked {total_asked}",
                claim.id,
                Money(owed - total_asked.amount, cur),
                "info",
            )
        )
    return claim_findings


def _verify_price_drop(
    ctx: _Context, claim: Claim, verdicts: list[_Slot], trace: list[TraceStep]
) -> list[Finding]:
    zero = Money.zero(claim.currency)
    for i in _canonical(claim.lines):
        line = claim.lines[i]
        subject = f"claim {claim.id} line {i + 1}"
        notes: list[Finding] = []
        entitled = zero
        why: str | None = None
        pc = ctx.price_changes.get(line.sku or "")
        if pc is None:
            notes.append(
                _finding(
                    "unknown_price_change",
                    f"{subject}: no price change declared for {line.sku}",
                    subject,
                    line.amount,
                    "error",
                )
            )
        elif not claim.period.contains(pc.effective_on):
            notes.append(
                _finding(
                    "outside_window",
                    f"{subject}: the {pc.sku} price change of {pc.effective_on} is outside {claim.period}",
                    subject,
                    line.amount,
                )
            )
        else:
            on_hand = 0
            if ctx.ledger is not None:
                on_hand = ctx.ledger.on_hand(claim.claimant, pc.sku, pc.effective_on)
            held = ctx.registry.units[("price_drop", claim.claimant, pc.sku)]
            available = max(on_hand - held, 0)
            units = line.qty
            if units > available:
                notes.append(
                    _finding(
                        "price_drop_above_stock",
                        f"{subject}: claims {units} {pc.sku} but held {on_hand} on {pc.effective_on} ({held} already claimed)",
                        subject,
                    )
                )
                units = available
            if pc.max_units is not None and units + held > pc.max_units:
                units = max(pc.max_units - held, 0)
            ctx.registry.units[("price_drop", claim.claimant, pc.sku)] += units
            entitled = (pc.cut * units).round()
            why = f"{units} units x {pc.cut}"
        verdicts[i] = _verdict(i, line, entitled, notes, subject, why)
    trace.append(
        TraceStep(
            "price drop", "considered", f"{len(claim.lines)} lines against declared price changes"
        )
    )
    return []


def _verify_rate_difference(
    ctx: _Context, claim: Claim, verdicts: list[_Slot], trace: list[TraceStep]
) -> list[Finding]:
    zero = Money.zero(claim.currency)
    for i in _canonical(claim.lines):
        line = claim.lines[i]
        subject = f"claim {claim.id} line {i + 1}"
        notes: list[Finding] = []
        entitled = zero
        why: str | None = None
        resolved = _resolve_line(ctx, claim, line, subject, notes)
        if resolved is not None:
            doc, src = resolved
            assert line.ref is not None
            key = (claim.type, doc.id, line.ref.line)
            if doc.buyer != claim.claimant:
                notes.append(
                    _finding(
                        "document_not_claimants",
                        f"{subject}: {doc.id} was billed to {doc.buyer}, not {claim.claimant}",
                        subject,
                        line.amount,
                        "error",
                    )
                )
            elif not claim.period.contains(doc.issued_on):
                notes.append(
                    _finding(
                        "outside_window",
                        f"{subject}: {doc.id} dated {doc.issued_on} is outside {claim.period}",
                        subject,
                        line.amount,
                    )
                )
            elif key in ctx.registry.lines:
                notes.append(
                    _finding(
                        "line_already_claimed",
                        f"{subject}: {line.ref} is already claimed by {ctx.registry.lines[key]}",
                        subject,
                        line.amount,
                        "error",
                    )
                )
            elif line.agreed_unit_price is None:
                notes.append(
                    _finding(
                        "agreed_price_missing",
                        f"{subject}: no agreed unit price given",
                        subject,
                        line.amount,
                        "error",
                    )
                )
            elif src.unit_price <= line.agreed_unit_price:
                notes.append(
                    _finding(
                        "no_rate_difference",
                        f"{subject}: invoiced {src.unit_price} is not above the agreed {line.agreed_unit_price}",
                        subject,
                        line.amount,
                    )
                )
            else:
                qty = line.qty or src.qty
                if qty > src.qty:
                    notes.append(
                        _finding(
                            "quantity_above_documented",
                            f"{subject}: claims {qty} units, {line.ref} shows {src.qty}",
                            subject,
                        )
                    )
                    qty = src.qty
                entitled = ((src.unit_price - line.agreed_unit_price) * qty).round()
                why = f"{qty} units x {src.unit_price - line.agreed_unit_price}"
                ctx.registry.lines[key] = claim.id
        verdicts[i] = _verdict(i, line, entitled, notes, subject, why)
    trace.append(
        TraceStep(
            "rate difference", "considered", f"{len(claim.lines)} lines against invoiced prices"
        )
    )
    return []


def _submitted_on(claim: Claim, on: date) -> date:
    for step in claim.history:
        if step.status == "submitted":
            return step.at.date()
    return on


def _verify_returned_goods(
    ctx: _Context, claim: Claim, verdicts: list[_Slot], trace: list[TraceStep]
) -> list[Finding]:
    zero = Money.zero(claim.currency)
    submitted = _submitted_on(claim, ctx.on)
    window = timedelta(days=ctx.policy.return_window_days)
    for i in _canonical(claim.lines):
        line = claim.lines[i]
        subject = f"claim {claim.id} line {i + 1}"
        notes: list[Finding] = []
        entitled = zero
        why: str | None = None
        resolved = _resolve_line(ctx, claim, line, subject, notes)
        if resolved is not None:
            doc, src = resolved
            assert line.ref is not None
            ukey = ("returned", doc.id, str(line.ref.line))
            if doc.buyer != claim.claimant or doc.kind != "invoice":
                notes.append(
                    _finding(
                        "document_not_claimants",
                        f"{subject}: {doc.id} is not an invoice to {claim.claimant}",
                        subject,
                        line.amount,
                        "error",
                    )
                )
            elif submitted - doc.issued_on > window:
                notes.append(
                    _finding(
                        "outside_return_window",
                        f"{subject}: received {doc.issued_on}, claimed {submitted}: more than {ctx.policy.return_window_days} days",
                        subject,
                        line.amount,
                    )
                )
            else:
                remaining = max(src.qty + src.free_qty - ctx.registry.units[ukey], 0)
                units = line.qty
                if units > remaining:
                    notes.append(
                        _finding(
                            "quantity_above_received",
                            f"{subject}: claims {units} units of {src.sku}, {remaining} of {line.ref} left to claim",
                            subject,
                        )
                    )
                    units = remaining
                ctx.registry.units[ukey] += units
                per_unit = src.taxable / src.qty if src.qty else zero
                entitled = (per_unit * units).round("down")  # never above the value received
                why = f"{units} units x {per_unit.round()}"
        verdicts[i] = _verdict(i, line, entitled, notes, subject, why)
    trace.append(
        TraceStep(
            "returned goods", "considered", f"return window {ctx.policy.return_window_days} days"
        )
    )
    return []


def _verify_allowance(
    ctx: _Context, claim: Claim, verdicts: list[_Slot], trace: list[TraceStep]
) -> list[Finding]:
    zero = Money.zero(claim.currency)
    allowance = ctx.policy.allowances.get(claim.type)
    claim_findings: list[Finding] = []
    remaining = zero
    if not claim.evidence:
        claim_findings.append(
            _finding(
                "evidence_missing",
                f"claim {claim.id}: a {claim.type} claim needs evidence",
                claim.id,
                claim.claimed,
                "error",
            )
        )
    elif allowance is None:
        claim_findings.append(
            _finding(
                "no_allowance",
                f"claim {claim.id}: no {claim.type} allowance is configured",
                claim.id,
                claim.claimed,
                "error",
            )
        )
    else:
        spent = ctx.registry.money[
            ("type", claim.type, claim.claimant, claim.period.start.isoformat())
        ]
        remaining = Money(max(allowance.amount - spent, Decimal(0)), claim.currency)
    for i in _canonical(claim.lines):
        line = claim.lines[i]
        entitled = min(remaining, line.amount) if remaining.amount > 0 else zero
        remaining = remaining - entitled
        notes: tuple[Finding, ...] = ()
        if allowance is not None and claim.evidence and line.amount > entitled:
            subject = f"claim {claim.id} line {i + 1}"
            notes = (
                _finding(
                    "amount_above_entitlement",
                    f"{subject}: asks {line.amount}, the {claim.type} allowance leaves {entitled}",
                    subject,
                    line.amount - entitled,
                ),
            )
        verdicts[i] = LineVerdict(i, line.ref, line.amount, entitled, entitled, notes)
    trace.append(
        TraceStep(
            "allowance",
            "applied" if allowance is not None else "rejected",
            f"{claim.type} allowance {allowance}",
        )
    )
    return claim_findings


_VERIFIERS = {
    "scheme": _verify_scheme,
    "price_drop": _verify_price_drop,
    "price_protection": _verify_price_drop,
    "rate_difference": _verify_rate_difference,
    "damage": _verify_returned_goods,
    "expiry": _verify_returned_goods,
    "transport": _verify_allowance,
    "display": _verify_allowance,
}


def _check_one(ctx: _Context, claim: Claim) -> Verification:
    if not isinstance(claim, Claim):
        raise ClaimError(f"verify.claim: expected a Claim, got {type(claim).__name__}")
    verdicts: list[_Slot] = [None] * len(claim.lines)
    steps: list[TraceStep] = []
    claim_findings = _VERIFIERS[claim.type](ctx, claim, verdicts, steps)
    cur = claim.currency
    claimed = claim.claimed
    entitled_units = 0
    entitled_sum = Decimal(0)
    approved_sum = Decimal(0)
    clean = 0
    slots: list[LineVerdict | int] = []
    findings: list[Finding] = []
    for i, v in enumerate(verdicts):
        if v is None:
            raise ClaimError(f"claim {claim.id!r}.lines[{i}]: no verdict (internal error)")
        slots.append(v)
        if isinstance(v, int):
            entitled_units += v
            approved_sum += claim.lines[i].amount.amount
            clean += 1
            continue
        entitled_sum += v.entitled.amount
        approved_sum += v.approved.amount
        findings.extend(v.findings)
        if not v.findings and v.approved == v.claimed:
            clean += 1  # summarised below: one step per clean line would bury the exceptions
            continue
        outcome: Outcome = (
            "applied"
            if v.approved == v.claimed
            else ("cut" if not v.approved.is_zero else "rejected")
        )
        why = "; ".join(f.message for f in v.findings) or "verified"
        steps.append(
            TraceStep(
                f"line {v.index + 1}" + (f" ({v.ref})" if v.ref else ""),
                outcome,
                f"approve {v.approved} of {v.claimed}: {why}",
            )
        )
    entitled = Money(entitled_sum, cur) + Money.from_minor_units(entitled_units, cur)
    approved = Money(approved_sum, cur)
    if clean:
        steps.append(
            TraceStep("clean lines", "applied", f"{clean} lines verified and approved as claimed")
        )
    trace = Trace.of(f"claim {claim.id} ({claim.type}) by {claim.claimant}", steps).add(
        "total",
        "applied" if approved == claimed else "cut",
        f"approve {approved} of {claimed} (entitled {entitled})",
    )
    findings.extend(claim_findings)
    return Verification(
        claim.id,
        claim.version,
        claimed,
        entitled,
        approved,
        LineVerdicts(claim, slots),
        tuple(findings),
        trace,
    )


def _by_id(items: Mapping[str, object] | Iterable[object], attr: str) -> dict[str, object]:
    if isinstance(items, Mapping):
        return dict(items)
    return {getattr(x, attr): x for x in items}


def _context(
    claims: Sequence[Claim],
    *,
    schemes: Iterable[Scheme],
    documents: Mapping[str, Document] | Iterable[Document],
    stock: Mapping[tuple[str, str], int] | None,
    on: date,
    accounts: Mapping[str, Account] | Iterable[Account],
    products: Mapping[str, Product] | Iterable[Product],
    price_changes: Iterable[PriceChange],
    policy: ClaimPolicy,
    scheme_result: SchemeResult | None,
) -> _Context:
    scheme_map: dict[str, Scheme] = {}
    for s in schemes:
        if s.id in scheme_map:
            raise ClaimError(f"verify.schemes: scheme id {s.id!r} is given twice")
        scheme_map[s.id] = s
    docs = {k: v for k, v in _by_id(documents, "id").items() if isinstance(v, Document)}
    accts = {k: v for k, v in _by_id(accounts, "id").items() if isinstance(v, Account)}
    prods = {k: v for k, v in _by_id(products, "sku").items() if isinstance(v, Product)}
    changes: dict[str, PriceChange] = {}
    for pc in price_changes:
        if pc.sku in changes:
            raise ClaimError(f"verify.price_changes: two price changes for {pc.sku!r}")
        changes[pc.sku] = pc
    result = scheme_result
    if result is None and any(c.type == "scheme" for c in claims):
        wanted = [
            scheme_map[c.scheme] for c in claims if c.type == "scheme" and c.scheme in scheme_map
        ]
        unique = {s.id: s for s in wanted}
        result = evaluate(
            [s for s in scheme_map.values() if s.id in unique],
            docs.values(),
            on=on,
            accounts=accts,
            products=prods,
            explain=False,
        )
    ledger: StockLedger | None = None
    needs_stock = any(c.type in ("price_drop", "price_protection") for c in claims) or (
        policy.check_stock and stock is not None and any(c.type == "scheme" for c in claims)
    )
    if needs_stock:
        ledger = StockLedger.build(
            docs.values(), opening=stock, accounts={c.claimant for c in claims}
        )
    return _Context(scheme_map, docs, accts, prods, changes, policy, on, result, ledger)


def verify(
    claim: Claim,
    *,
    schemes: Iterable[Scheme] = (),
    documents: Mapping[str, Document] | Iterable[Document] = (),
    prior_claims: Iterable[Claim] = (),
    stock: Mapping[tuple[str, str], int] | None = None,
    on: date,
    accounts: Mapping[str, Account] | Iterable[Account] = (),
    products: Mapping[str, Product] | Iterable[Product] = (),
    price_changes: Iterable[PriceChange] = (),
    policy: ClaimPolicy | None = None,
    scheme_result: SchemeResult | None = None,
) -> Verification:
    """Verify one claim against the documents, the schemes and earlier claims.

    Args:
        claim: the claim to verify (any status; its version is recorded).
        schemes: scheme definitions (scheme claims recompute entitlement with
            :func:`distcrm.schemes.evaluate` over ``documents``).
        documents: every document that may bear on the claim (by id or iterable).
        prior_claims: claims already made; their lines count as claimed when
            submitted or decided (decided ones only for what was approved).
        stock: opening stock per (distributor, SKU) before the first document;
            given, secondary sales are checked for phantom sell-through. Price-drop
            claims always replay stock (opening 0 when not given).
        on: the verification date (documents after it are ignored by the evaluator).
        accounts: accounts by id, for scheme eligibility.
        products: the catalog, for product selection by category or brand.
        price_changes: declared price drops (price-drop / price-protection claims).
        policy: return window and allowances.
        scheme_result: a ready evaluation to reuse (batch runs).

    Examples:
        >>> from datetime import date
        >>> from distcrm.documents import Document, Line, LineRef
        >>> from distcrm.money import Money
        >>> from distcrm.periods import Validity
        >>> from distcrm.schemes import PercentDiscount, Scheme, Slab
        >>> from distcrm.claims.model import Claim, ClaimLine
        >>> inr = lambda s: Money.of(s, "INR")
        >>> s2 = Scheme("S2", "2 % over 10,000", Validity(date(2025, 6, 1), date(2025, 7, 1)),
        ...             slabs=(Slab(10_000, PercentDiscount(2)),), measure="net_value",
        ...             window="month", party="seller")
        >>> si = Document("SI-1", "invoice", "secondary", "D1", "R1", date(2025, 6, 9), "INR",
        ...               (Line("SKU1", 1000, inr("12.00")),))          # 12,000 net
        >>> claim = Claim("CL-1", "D1", "scheme", Validity(date(2025, 6, 1), date(2025, 7, 1)),
        ...               "INR", lines=(ClaimLine(LineRef("SI-1", 1), "SKU1", 0, inr("300.00")),),
        ...               scheme="S2")
        >>> v = verify(claim, schemes=[s2], documents=[si], on=date(2025, 7, 5))
        >>> str(v.entitled), str(v.approved), sorted(v.codes)      # 2 % of 12,000 = 240
        ('240.00 INR', '240.00 INR', ['amount_above_entitlement'])
    """
    return verify_batch(
        [claim],
        schemes=schemes,
        documents=documents,
        prior_claims=prior_claims,
        stock=stock,
        on=on,
        accounts=accounts,
        products=products,
        price_changes=price_changes,
        policy=policy,
        scheme_result=scheme_result,
    )[0]


def verify_batch(
    claims: Iterable[Claim],
    *,
    schemes: Iterable[Scheme] = (),
    documents: Mapping[str, Document] | Iterable[Document] = (),
    prior_claims: Iterable[Claim] = (),
    stock: Mapping[tuple[str, str], int] | None = None,
    on: date,
    accounts: Mapping[str, Account] | Iterable[Account] = (),
    products: Mapping[str, Product] | Iterable[Product] = (),
    price_changes: Iterable[PriceChange] = (),
    policy: ClaimPolicy | None = None,
    scheme_result: SchemeResult | None = None,
) -> tuple[Verification, ...]:
    """Verify many claims at once (a month of every distributor's claims).

    Schemes are evaluated once for the whole batch. Claims are checked in id
    order so the result does not depend on the order given; a document line
    claimed twice goes to the claim with the smaller id. Results come back in
    the order of ``claims``. Arguments are those of :func:`verify`.
    """
    batch = list(claims)
    ids = [c.id for c in batch]
    if len(set(ids)) != len(ids):
        dup = sorted({i for i in ids if ids.count(i) > 1})
        raise ClaimError(f"verify_batch.claims: claim ids given twice: {', '.join(dup)}")
    ctx = _context(
        batch,
        schemes=schemes,
        documents=documents,
        stock=stock,
        on=on,
        accounts=accounts,
        products=products,
        price_changes=price_changes,
        policy=policy or ClaimPolicy(),
        scheme_result=scheme_result,
    )
    for prior in sorted(prior_claims, key=lambda c: c.id):
        if prior.id in set(ids) or prior.status not in _HOLDING:
            continue
        ctx.registry.hold(prior, prior.approved_lines if prior.is_decided else None)
    out: dict[str, Verification] = {}
    for claim in sorted(batch, key=lambda c: c.id):
        v = _check_one(ctx, claim)
        out[claim.id] = v
        for scheme_id in [claim.scheme] if claim.scheme else []:
            ctx.registry.money[("scheme", scheme_id)] += v.approved.amount
        if claim.type in ("transport", "display"):
            ctx.registry.money[
                ("type", claim.type, claim.claimant, claim.period.start.isoformat())
            ] += v.approved.amount
    return tuple(out[c.id] for c in batch)
