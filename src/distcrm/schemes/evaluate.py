"""The reference evaluator: what every party is entitled to under a set of schemes.

:func:`evaluate` is the specification of scheme semantics; every other engine
must agree with it. It works in five steps:

1. **Index.** Each scheme's product selection is resolved once per SKU
   against the catalog (SKU → candidate schemes).
2. **Measure.** One pass over the documents accumulates integers (base units,
   gross and net minor units) per *(scheme, earning party, window)*. Only
   documents of the requested ``kinds`` (invoices and returns by default)
   dated on or before ``on`` count; returns and credit notes subtract. A return
   that references a document in the input is measured in that document's
   window and on its date, so a late return reduces the original window.
3. **Condition and benefit.** Each window's volume is compared with the slabs
   (inclusive lower bounds) and the benefit computed exactly, then rounded
   once to the minor unit with the scheme's rounding (half-up by default).
4. **Stacking.** Schemes are applied in priority order (lower number first).
   A line used by an applied ``exclusive`` scheme counts for no later scheme;
   an ``exclusive`` scheme ignores lines already used by an applied scheme;
   of a ``best_of`` group only the member worth most to the party applies in
   each window; a ``compounding`` percent discount applies on the value left
   after earlier percent discounts on the same lines. Schemes of equal
   priority that share a line where one is exclusive are a *tie*, decided by
   ``on_tie``.
5. **Caps.** Budgets are consumed in a documented order (see
   :mod:`distcrm.schemes.caps`); the trace of each entitlement says what was cut.

Examples:
    >>> from datetime import date
    >>> from decimal import Decimal
    >>> from distcrm.documents import Document, Line
    >>> from distcrm.money import Money
    >>> from distcrm.periods import Validity
    >>> from distcrm.schemes.model import PercentDiscount, Scheme, Slab
    >>> s2 = Scheme("S2", "Value slabs", Validity(date(2025, 4, 1)), measure="net_value",
    ...     window="month", slabs=(Slab(10_000, PercentDiscount(2)),
    ...                            Slab(50_000, PercentDiscount("3.5"))))
    >>> inv = Document("I1", "invoice", "secondary", "D1", "R1", date(2025, 6, 3), "INR",
    ...                (Line("SKU1", 600, Money.of("20.00", "INR")),))
    >>> result = evaluate([s2], [inv], on=date(2025, 6, 30))
    >>> e = result.entitlements[0]
    >>> e.party, e.window.label, e.volume, e.slab, str(e.discount)    # 12000 x 2 %
    ('R1', '2025-06', Decimal('12000.00'), 1, '240.00 INR')
    >>> result.near_misses[0].message
    '38000.00 INR more net value reaches slab 2 (3.5 % of net value)'
"""

from __future__ import annotations

import gc
import itertools
import operator
from collections.abc import Collection, Iterable, Mapping, Sequence
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction
from functools import lru_cache
from typing import Literal, NoReturn, TypeAlias, cast

import attrs

from distcrm.documents import Document, DocumentKind, Line
from distcrm.errors import SchemeError
from distcrm.findings import Trace, TraceStep
from distcrm.money import Money, minor_unit_exponent
from distcrm.parties import Account
from distcrm.periods import Period
from distcrm.schemes import slabs as slab_math
from distcrm.schemes.arithmetic import (
    Number,
    round_fraction,
    round_ratio,
    split_whole,
    to_decimal_places,
)
from distcrm.schemes.caps import CapItem, apply_caps
from distcrm.schemes.index import (
    AccountsArg,
    CompiledScheme,
    PricesArg,
    ProductsArg,
    SchemeIndex,
    as_mapping,
)
from distcrm.schemes.model import (
    Benefit,
    FlatAmount,
    FreeGoods,
    PercentDiscount,
    Rebate,
    Scheme,
)
from distcrm.schemes.near_misses import describe_benefit, near_miss_message
from distcrm.schemes.results import (
    Entitlement,
    FreeUnits,
    LineRefs,
    NearMiss,
    SchemeResult,
    Window,
)

__all__ = ["TiePolicy", "evaluate"]

TiePolicy: TypeAlias = Literal["raise", "first", "best_for_buyer"]
_TIE_POLICIES = ("raise", "first", "best_for_buyer")
_SHIFT = 20
_REF = 1 << _SHIFT  # line id = document position * _REF + line index
_MASK = _REF - 1


class _Acc:
    """Running totals of one (scheme, party, window) during the pass (internal)."""

    __slots__ = ("gross", "net", "refs", "units")

    def __init__(self) -> None:
        self.units = 0
        self.gross = 0
        self.net = 0
        self.refs: list[int] = []


_UNSET = _Acc()
_DOC_ORDER = operator.attrgetter("issued_on", "id")
_PARTY_WINDOW = operator.attrgetter("party", "wkey")
_GC_PAUSE_DOCS = 10_000
_SIGNS: dict[str, int] = {
    k: Document("x", k, "primary", "a", "b", date.min, "INR").sign
    for k in ("order", "invoice", "return", "debit_note", "credit_note")
}


@attrs.define(eq=False)
class _Group:
    """One (scheme, party, window) being resolved (internal)."""

    cs: CompiledScheme
    party: str
    wkey: object
    refs: list[int]
    units: int
    gross: int
    net: int
    start: date  # date of the first qualifying line (an invoice window's date)
    bounds: tuple[Number, ...] | None  # slab bounds (the party's own with targets; None: none)
    volume: Number = 0
    slab: int | None = None
    combo_short: tuple[tuple[str, Number, Number], ...] = ()
    free: list[tuple[str, int, int | None]] = attrs.Factory(list)  # sku, units, unit minor
    discount: int = 0
    applied: bool = False
    notes: list[TraceStep] = attrs.Factory(list)
    cut: int = 0

    @property
    def value(self) -> int:
        if not self.free:
            return self.discount
        return self.discount + sum(u * (p or 0) for _, u, p in self.free)


class _Lines:
    """Per-line values recomputed from the documents on demand (internal)."""

    def __init__(self, docs: Sequence[Document]) -> None:
        self.docs = docs
        self.exp_cache: dict[str, int] = {}
        self.prices: dict[int, dict[Decimal, int | None]] = {}

    def values(self, ref: int) -> tuple[str, int, int, int, Decimal]:
        """(sku, signed units, signed gross minor, signed net minor, unit price)."""
        doc = self.docs[ref >> _SHIFT]
        line = doc.lines[ref & _MASK]
        exp = self.exp_cache.get(doc.currency)
        if exp is None:
            exp = self.exp_cache[doc.currency] = minor_unit_exponent(doc.currency)
        cache = self.prices.get(exp)
        if cache is None:
            cache = self.prices[exp] = {}
        gross, net = _gross_net(line, exp, cache)
        s = doc.sign
        return line.sku, s * line.qty, s * gross, s * net, line.unit_price.amount


def _exact_minor(amount: Decimal, exp: int) -> int | None:
    scaled = amount.scaleb(exp)
    return int(scaled) if scaled == scaled.to_integral_value() else None


def _gross_net(line: Line, exp: int, prices: dict[Decimal, int | None]) -> tuple[int, int]:
    """Gross and net minor units of a line, each rounded half-up to the minor unit.

    ``prices`` caches exact unit prices in minor units by amount (one cache per exponent).
    """
    money = line.unit_price
    up = prices.get(money.amount, -1)
    if up == -1:
        up = prices[money.amount] = _exact_minor(money.amount, exp)
    if up is not None:
        gross = up * line.qty
    else:
        gross = round_fraction(Fraction(money.amount) * line.qty * 10**exp)
    if line.discount is None:
        return gross, gross
    d = line.discount.amount
    disc = _exact_minor(d, exp)
    if disc is None:
        disc = round_fraction(Fraction(d) * 10**exp)
    return gross, gross - disc


def evaluate(
    schemes: Iterable[Scheme] | SchemeIndex,
    documents: Iterable[Document],
    *,
    on: date,
    accounts: AccountsArg = (),
    products: ProductsArg = (),
    prices: PricesArg = None,
    settled: Iterable[Entitlement] = (),
    kinds: Collection[DocumentKind] = ("invoice", "return"),
    on_tie: TiePolicy = "raise",
    territory_parents: Mapping[str, str | None] | None = None,
    explain: bool = True,
) -> SchemeResult:
    """Compute what every party is entitled to under ``schemes`` from ``documents``.

    Args:
        schemes: scheme definitions (ids must be unique), or a prebuilt
            :class:`~distcrm.schemes.index.SchemeIndex` (then pass no ``products``).
        documents: the documents to measure, in any order (the result does not
            depend on it). Only those of ``kinds`` dated on or before ``on`` count.
        on: the evaluation date; windows ending after it are still open.
        accounts: accounts by id (or an iterable of them); needed for every
            earning party of a scheme whose eligibility looks at tier,
            territory or class.
        products: the catalog (mapping by SKU or iterable); needed to select by
            category or brand and to measure cases.
        prices: unit prices of free goods by SKU. When absent for a SKU, free
            goods are valued at the unit price of the latest qualifying line of
            that SKU in the window; with neither, their value is ``None``.
        settled: entitlements already settled (from an earlier evaluation). The
            entitlement with the same (scheme, party, window) carries
            ``settled`` and ``adjustment = value - settled``: a return after
            settlement yields a negative adjustment, history is not rewritten.
        kinds: document kinds that count (``("order",)`` to preview an order).
        on_tie: what to do when two schemes of equal priority compete for a
            line and one is exclusive: ``"raise"`` (default) raises
            :class:`~distcrm.errors.SchemeError`; ``"first"`` applies them in
            the order of ``schemes``; ``"best_for_buyer"`` applies first the one
            worth more on its own (then by id).
        territory_parents: the territory tree as child → parent, so that a
            scheme for a region covers the territories below it.
        explain: when False (bulk runs), ``considered`` holds only the applied
            entitlements and no near misses are computed; entitlements and
            their traces are unchanged.

    With 10,000 documents or more, the cyclic garbage collector is paused for
    the duration of the call (and restored): evaluation creates many small
    acyclic objects and the collector would otherwise walk them repeatedly.

    Returns:
        A :class:`~distcrm.schemes.results.SchemeResult`.

    Raises:
        SchemeError: duplicate scheme ids, a document currency different from a
            scheme's, an unknown earning party where eligibility needs its
            attributes, a tie under ``on_tie="raise"``, inconsistent best-of
            groups, a cap on free goods that have no price.
    """
    if on_tie not in _TIE_POLICIES:
        raise SchemeError(f"evaluate.on_tie: {on_tie!r} is not one of {', '.join(_TIE_POLICIES)}")
    docs = sorted(documents, key=_DOC_ORDER)
    # Bulk runs allocate millions of small acyclic objects; pausing the cyclic garbage
    # collector meanwhile saves it from walking them over and over (nothing made here
    # forms a cycle, so nothing is left behind). The collector's state is restored.
    pause = len(docs) >= _GC_PAUSE_DOCS and gc.isenabled()
    if pause:
        gc.disable()
    try:
        return _evaluate(
            schemes,
            docs,
            on,
            accounts,
            products,
            prices,
            settled,
            kinds,
            on_tie,
            territory_parents,
            explain,
        )
    finally:
        if pause:
            gc.enable()


def _evaluate(
    schemes: Iterable[Scheme] | SchemeIndex,
    docs: list[Document],
    on: date,
    accounts: AccountsArg,
    products: ProductsArg,
    prices: PricesArg,
    settled: Iterable[Entitlement],
    kinds: Collection[DocumentKind],
    on_tie: TiePolicy,
    territory_parents: Mapping[str, str | None] | None,
    explain: bool,
) -> SchemeResult:
    if isinstance(schemes, SchemeIndex):
        index = schemes
        if products:
            raise SchemeError("evaluate.products: the SchemeIndex already holds the catalog")
    else:
        index = SchemeIndex(schemes, products)
    scheme_list = index.schemes
    seen = index.positions
    compiled = index.compiled
    account_map: Mapping[str, Account] = as_mapping(accounts, "accounts")  # type: ignore[assignment]
    price_map: dict[str, Money] | None = (
        None if prices is None else {str(k): v for k, v in prices.items()}
    )

    doc_ids = [d.id for d in docs]
    price_caches: dict[int, dict[Decimal, int | None]] = {}
    accs, eff, rejected = _measure(
        index, price_caches, docs, on, kinds, account_map, territory_parents
    )
    lines = _Lines(docs)
    lines.prices = price_caches

    settled = list(settled)
    settled_parties = {(e.scheme, e.party) for e in settled}
    # without explain, windows below the first slab are dropped early; only exclusive
    # schemes could raise a volume later (by taking a return line away), so not then
    prune = not explain and not any(cs.scheme.stacking == "exclusive" for cs in compiled)
    groups: list[_Group] = []
    # per scheme: may its windows below the first slab be dropped here, and by which total
    prunable = [prune and not cs.scheme.combo and cs.scheme.measure != "cases" for cs in compiled]
    measures = [cs.scheme.measure for cs in compiled]
    for (idx, party, wkey), a in accs.items():
        cs = compiled[idx]
        bounds = _party_bounds(cs, party) if cs.scheme.targets else cs.bounds
        if prunable[idx] and not (settled_parties and (cs.id, party) in settled_parties):
            if bounds is None:
                continue
            m = measures[idx]
            v = a.units if m == "units" else a.net if m == "net_value" else a.gross
            if v < bounds[0]:
                continue
        elif prune and bounds is None and (cs.id, party) not in settled_parties:
            continue
        groups.append(
            _Group(
                cs, party, wkey, a.refs, a.units, a.gross, a.net, eff[a.refs[0] >> _SHIFT], bounds
            )
        )
    by_scheme: dict[int, list[_Group]] = {}
    for g in groups:
        by_scheme.setdefault(g.cs.pos, []).append(g)
    for gs in by_scheme.values():
        # one scheme's window keys are all ints (months, quarters) or all document ids:
        # sorting by them directly is the order of _wsort
        gs.sort(key=_PARTY_WINDOW)
    for g in groups:
        _resolve(g, lines, price_map)

    order = _stacking_order(compiled, by_scheme, on_tie)
    _stack(order, by_scheme, lines, price_map)
    for cs in compiled:
        _caps(cs, by_scheme.get(cs.pos, []))

    # build results
    settled_map: dict[tuple[str, str, str], Money] = {}
    for e in settled:
        prior = settled_map.get(e.key)
        settled_map[e.key] = e.value if prior is None else prior + e.value
    windows: dict[tuple[object, ...], Window] = {}
    considered: list[Entitlement] = []
    entitlements: list[Entitlement] = []
    misses: list[NearMiss] = []
    seen_keys: set[tuple[str, str, str]] = set()
    zero_by_cur: dict[str, Money] = {}
    for cs in compiled:
        invoice_windows = cs.wkind == "invoice"
        for g in by_scheme.get(cs.pos, []):
            if not (explain or g.applied or settled_map):
                continue  # a bulk run keeps only what applies (or was settled)
            if invoice_windows:
                # an invoice window says nothing of its scheme: one per invoice
                ikey = ("invoice", g.wkey, g.start)
                window = windows.get(ikey)
                if window is None:
                    window = windows[ikey] = _window(cs, g.wkey, g.start)
            else:
                wkey = (cs.pos, g.wkey)
                window = windows.get(wkey)
                if window is None:
                    window = windows[wkey] = _window(cs, g.wkey, g.start)
            if not (explain or g.applied):
                key = (cs.id, g.party, window.label)
                if key not in settled_map:
                    continue
            ent = _entitlement(g, window, doc_ids, zero_by_cur)
            if not settled_map:
                considered.append(ent)
                if ent.applied:
                    entitlements.append(ent)
            elif ent.key in settled_map:
                done = settled_map[ent.key]
                ent = attrs.evolve(
                    ent,
                    settled=done,
                    adjustment=ent.value - done,
                    notes=(
                        *ent.notes,
                        TraceStep(
                            "settled",
                            "considered",
                            f"{done} already settled; adjustment {ent.value - done}",
                        ),
                    ),
                )
            if settled_map:
                seen_keys.add(ent.key)
                considered.append(ent)
                if ent.applied or (ent.adjustment is not None and ent.adjustment):
                    entitlements.append(ent)
            if explain:
                miss = _near_miss(g, window, ent.volume)
                if miss is not None:
                    misses.append(miss)
    for key, done in sorted(settled_map.items()):
        if key in seen_keys:
            continue
        entitlements.append(_reversal(key, done, compiled, seen))
    currency = docs[0].currency if docs else (scheme_list[0].currency if scheme_list else "INR")
    trace = _overview(compiled, by_scheme, rejected, on)
    return SchemeResult(
        entitlements=tuple(entitlements),
        considered=tuple(considered),
        near_misses=tuple(misses),
        trace=trace,
        currency=currency,
    )


# --------------------------------------------------------------------------- measuring


def _measure(
    index: SchemeIndex,
    prices: dict[int, dict[Decimal, int | None]],
    docs: list[Document],
    on: date,
    kinds: Collection[DocumentKind],
    account_map: Mapping[str, Account],
    territory_parents: Mapping[str, str | None] | None,
) -> tuple[dict[tuple[int, str, object], _Acc], list[date], dict[int, dict[str, str]]]:
    """The single pass over lines: integer totals per (scheme, party, window)."""
    kinds = frozenset(kinds)
    by_id: dict[str, Document] = {d.id: d for d in docs}
    accs: dict[tuple[int, str, object], _Acc] = {}
    eff_dates: list[date] = []
    rejected: dict[int, dict[str, str]] = {}
    elig: dict[tuple[int, str], bool] = {}
    ancestors: dict[str, frozenset[str]] = {}
    exp_by_cur: dict[str, int] = {}

    def territories_of(account: Account) -> frozenset[str] | None:
        t = account.territory
        if t is None or territory_parents is None:
            return None
        got = ancestors.get(t)
        if got is None:
            chain: list[str] = []
            cur: str | None = t
            while cur is not None and cur not in chain:
                chain.append(cur)
                cur = territory_parents.get(cur)
            got = ancestors[t] = frozenset(chain)
        return got

    def eligible(cs: CompiledScheme, party: str) -> bool:
        if cs.open_eligibility:
            return True
        key = (cs.pos, party)
        ok = elig.get(key)
        if ok is None:
            e = cs.scheme.eligibility
            account = account_map.get(party)
            reason: str | None
            if account is None:
                if e.needs_attributes:
                    raise SchemeError(
                        f"scheme {cs.id!r}.eligibility: account {party!r} is not in accounts "
                        "and the scheme's eligibility needs its attributes"
                    )
                reason = None
                if party in e.exclude_accounts:
                    reason = f"account {party} is excluded"
                elif e.accounts and party not in e.accounts:
                    reason = f"account {party} is not listed"
            else:
                reason = e.reject_reason(account, territories_of(account))
            ok = elig[key] = reason is None
            if reason is not None:
                rejected.setdefault(cs.pos, {})[party] = reason
        return ok

    signs = _SIGNS
    unset = _UNSET
    # (level, date, currency) -> (signature, its SKU -> candidates map, month key, minor
    # unit exponent, price cache), cached for this pass
    day_cache: dict[
        tuple[str, date, str],
        tuple[
            tuple[int, ...],
            dict[str, tuple[CompiledScheme, ...]],
            int,
            int,
            dict[Decimal, int | None],
            dict[int, tuple[tuple[CompiledScheme, ...], int, int, int]],
        ],
    ]
    day_cache = {}
    # per (signature, exponent): id(line) -> (candidate schemes, units, gross, net)
    line_caches: dict[
        tuple[tuple[int, ...], int], dict[int, tuple[tuple[CompiledScheme, ...], int, int, int]]
    ] = {}
    for dpos, doc in enumerate(docs):
        sign = signs[doc.kind]
        ref_doc = None
        if sign < 0 and doc.reference is not None:
            ref_doc = by_id.get(doc.reference)
            if ref_doc is not None and ref_doc.level != doc.level:
                ref_doc = None
        eff = ref_doc.issued_on if ref_doc is not None else doc.issued_on
        eff_dates.append(eff)
        if doc.kind not in kinds or doc.issued_on > on:
            continue
        day_key = (doc.level, eff, doc.currency)
        day = day_cache.get(day_key)
        if day is None:
            sig = index.signature(doc.level, eff)
            exp = exp_by_cur.get(doc.currency)
            if exp is None:
                exp = exp_by_cur[doc.currency] = minor_unit_exponent(doc.currency)
            cache = prices.get(exp)
            if cache is None:
                cache = prices[exp] = {}
            lkey = (sig, exp)
            line_cache = line_caches.get(lkey)
            if line_cache is None:
                line_cache = line_caches[lkey] = {}
            day = day_cache[day_key] = (
                sig,
                index.sku_map(sig),
                eff.year * 12 + eff.month - 1,
                exp,
                cache,
                line_cache,
            )
        sig, skumap, month_key, exp, price_cache, line_cache = day
        if not sig:
            continue
        per_doc: dict[int, _Acc | None] = {}
        base = dpos << _SHIFT
        lines = doc.lines
        if len(lines) > _MASK:
            raise SchemeError(f"document {doc.id!r}.lines: more than {_MASK} lines")
        for li, line in enumerate(lines):
            # equal lines are often one shared object: measure each object once per call
            # (the documents, and so the lines, outlive this pass: ids are not reused)
            info = line_cache.get(id(line))
            if info is None:
                cands = skumap.get(line.sku)
                if cands is None:
                    cands = index.candidates(sig, line.sku)
                qty = line.qty
                amount = line.unit_price.amount
                up = price_cache.get(amount, -1)
                if up == -1:
                    up = price_cache[amount] = _exact_minor(amount, exp)
                if up is not None and line.discount is None:
                    gross = net = up * qty
                else:
                    gross, net = _gross_net(line, exp, price_cache)
                info = line_cache[id(line)] = (cands, qty, gross, net)
            cands, qty, gross, net = info
            if not cands:
                continue
            if sign < 0:
                qty, gross, net = -qty, -gross, -net
            ref = base + li
            for cs in cands:
                acc = per_doc.get(cs.pos, unset)
                if acc is unset:
                    if doc.currency != cs.scheme.currency:
                        _currency_error(doc, cs)
                    party = doc.buyer if cs.buyer else doc.seller
                    if cs.open_eligibility or eligible(cs, party):
                        wkind = cs.wkind
                        if wkind == "month":
                            wkey: object = month_key
                        elif wkind == "quarter":
                            wkey = month_key // 3
                        elif wkind == "scheme":
                            wkey = 0
                        else:
                            wkey = ref_doc.id if ref_doc is not None else doc.id
                        key = (cs.pos, party, wkey)
                        acc = accs.get(key)
                        if acc is None:
                            acc = accs[key] = _Acc()
                    else:
                        acc = None
                    per_doc[cs.pos] = acc
                if acc is not None:
                    acc.units += qty
                    acc.gross += gross
                    acc.net += net
                    acc.refs.append(ref)
    return accs, eff_dates, rejected


def _currency_error(doc: Document, cs: CompiledScheme) -> NoReturn:
    raise SchemeError(
        f"document {doc.id!r}.currency: {doc.currency} differs from scheme "
        f"{cs.id!r}.currency {cs.scheme.currency}"
    )


def _fr(bounds: tuple[Number, ...]) -> tuple[Fraction, ...]:
    # ints and Fractions mix exactly; the slab functions are generic over one type
    return cast(tuple[Fraction, ...], bounds)


def _wsort(wkey: object) -> tuple[int, str]:
    return (wkey, "") if isinstance(wkey, int) else (0, str(wkey))


def _window(cs: CompiledScheme, wkey: object, first: date) -> Window:
    v = cs.scheme.validity
    if cs.wkind == "scheme":
        return Window("scheme", v.start, v.end, cs.id)
    if cs.wkind == "invoice":
        return Window("invoice", first, first + timedelta(days=1), str(wkey))
    assert isinstance(wkey, int)
    if cs.wkind == "month":
        p = Period.containing(date(wkey // 12, wkey % 12 + 1, 1), "month")
    else:
        p = Period.containing(date(wkey // 4, (wkey % 4) * 3 + 1, 1), "quarter")
    start = max(p.start, v.start)
    end = p.end if v.end is None else min(p.end, v.end)
    return Window(cs.wkind, start, end, p.label)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- benefits


def _resolve(g: _Group, lines: _Lines, prices: Mapping[str, Money] | None) -> None:
    """Measure the volume, find the slab and compute the benefit of one group."""
    cs = g.cs
    s = cs.scheme
    m = s.measure
    if m == "units":
        g.volume = g.units
    elif m == "gross_value":
        g.volume = g.gross
    elif m == "net_value":
        g.volume = g.net
    else:
        cases: Number = 0
        for ref in g.refs:
            sku, q, _, _, _ = lines.values(ref)
            cases += Fraction(q, cs.pack(sku))
        g.volume = cases
    g.combo_short = _combo_short(g, lines) if s.combo else ()
    g.free = []
    g.discount = 0
    if g.bounds is None:  # a target scheme and a party without a target
        g.slab = None
        g.applied = False
        return
    g.slab = slab_math.reached(_fr(g.bounds), cast(Fraction, g.volume))
    if g.slab is None or g.combo_short:
        g.applied = False
        return
    _benefit(g, lines, prices, 0)
    g.applied = g.discount != 0 or any(u for _, u, _ in g.free)


def _combo_short(g: _Group, lines: _Lines) -> tuple[tuple[str, Number, Number], ...]:
    cs = g.cs
    s = cs.scheme
    have: list[Number] = [0] * len(s.combo)
    for ref in g.refs:
        sku, q, gross, net, _ = lines.values(ref)
        product = cs.products.get(sku)
        for i, grp in enumerate(s.combo):
            if grp.products.matches_sku(sku, product):
                if s.measure == "units":
                    have[i] += q
                elif s.measure == "gross_value":
                    have[i] += gross
                elif s.measure == "net_value":
                    have[i] += net
                else:
                    have[i] += Fraction(q, cs.pack(sku))
    return tuple(
        (grp.name, cs.internal(grp.min), have[i])
        for i, grp in enumerate(s.combo)
        if have[i] < cs.internal(grp.min)
    )


def _portions(g: _Group) -> list[tuple[Benefit, Number]]:
    """(benefit, volume share it pays on) for the reached slab(s)."""
    s = g.cs.scheme
    assert g.slab is not None
    if s.slab_mode == "slab":
        return [(s.slabs[g.slab].benefit, g.volume)]
    assert g.bounds is not None
    parts = slab_math.band_portions(_fr(g.bounds), cast(Fraction, g.volume))
    return [(s.slabs[i].benefit, p) for i, p in enumerate(parts) if p > 0]


def _benefit(
    g: _Group, lines: _Lines, prices: Mapping[str, Money] | None, prior_discount: Number
) -> None:
    cs = g.cs
    s = cs.scheme
    if s.slab_mode == "slab" and not prior_discount and g.slab is not None:
        fast = s.slabs[g.slab].benefit
        if isinstance(fast, PercentDiscount):
            # the common case in integers: base x percent / 100, rounded once
            base = g.net if fast.base == "net_value" else g.gross
            pct = _fraction(fast.percent)
            g.discount = round_ratio(base * pct.numerator, pct.denominator * 100, s.rounding)
            return
        vol = g.volume
        if type(fast) is FreeGoods and type(vol) is int:
            # whole units on an integer volume: no fractions needed
            every = None if fast.every is None else cs.internal(fast.every)
            if every is None or type(every) is int:
                total = fast.get if every is None else vol // every * fast.get
                if total > 0:
                    g.free = _free_goods(g, lines, prices, total, fast.sku)
                return
        if type(fast) is FlatAmount and fast.per == "unit":
            per_unit = _fraction(fast.amount) * 10**cs.exp
            if per_unit.denominator == 1:  # a whole number of minor units per unit: exact
                g.discount = per_unit.numerator * g.units
                return
    if (
        s.slab_mode == "step"
        and not prior_discount
        and cs.step_percent
        and not s.targets
        and type(g.volume) is int
    ):
        # each band at its own percent of the value measured: integers over one denominator
        assert g.bounds is not None
        parts = slab_math.band_portions(cast(tuple[int, ...], g.bounds), g.volume)
        num = 0
        for (pnum, pden), band in zip(cs.step_percent, parts, strict=True):
            num += band * pnum * (cs.step_den // pden)
        g.discount = round_ratio(num, cs.step_den * 100, s.rounding)
        return
    exact: Number = 0
    free_total = 0
    free_sku: str | None = None
    vol = g.volume
    whole = s.slab_mode == "slab"  # slab mode pays on the whole volume: share 1
    scale = 10**cs.exp
    for benefit, portion in _portions(g):
        share: Number = 1 if whole else (Fraction(portion) / vol if vol else 0)
        if isinstance(benefit, PercentDiscount):
            base = g.net if benefit.base == "net_value" else g.gross
            exact += (base - prior_discount) * share * _fraction(benefit.percent) / 100
        elif isinstance(benefit, FlatAmount):
            amount = _fraction(benefit.amount) * scale
            if benefit.per == "unit":
                exact += amount * g.units * share
            elif benefit.per == "case":
                cases = sum(
                    (Fraction(q, cs.pack(sku)) for sku, q, *_ in map(lines.values, g.refs)),
                    Fraction(0),
                )
                exact += amount * cases * share
            else:
                exact += amount * _invoice_count(g, lines)
        elif isinstance(benefit, Rebate):
            if benefit.amount is not None:
                exact += _fraction(benefit.amount) * scale
            else:
                assert benefit.percent is not None
                exact += (g.net - prior_discount) * _fraction(benefit.percent) / 100
        else:
            if benefit.every is None:
                free_total += benefit.get
            else:
                every = cs.internal(benefit.every)
                if isinstance(portion, int) and isinstance(every, int):
                    free_total += portion // every * benefit.get
                else:
                    free_total += int(Fraction(portion) // Fraction(every)) * benefit.get
            free_sku = benefit.sku
    g.discount = round_fraction(exact, s.rounding)
    if free_total > 0:
        g.free = _free_goods(g, lines, prices, free_total, free_sku)


@lru_cache(maxsize=1024)
def _fraction(value: Decimal) -> Fraction:
    return Fraction(value)


def _invoice_count(g: _Group, lines: _Lines) -> int:
    per_doc: dict[int, int] = {}
    for ref in g.refs:
        _, q, *_ = lines.values(ref)
        per_doc[ref // _REF] = per_doc.get(ref // _REF, 0) + q
    by_target: dict[str, int] = {}
    for dpos, q in per_doc.items():
        doc = lines.docs[dpos]
        target = doc.reference if doc.sign < 0 and doc.reference else doc.id
        by_target[target] = by_target.get(target, 0) + q
    return sum(1 for q in by_target.values() if q > 0)


def _free_goods(
    g: _Group,
    lines: _Lines,
    prices: Mapping[str, Money] | None,
    total: int,
    sku: str | None,
) -> list[tuple[str, int, int | None]]:
    exp = g.cs.exp
    if sku is not None and prices is not None and sku in prices:
        amount = prices[sku].amount
        exact = _exact_minor(amount, exp)
        return [
            (sku, total, exact if exact is not None else round_fraction(Fraction(amount) * 10**exp))
        ]
    # refs are in document order (date, then id) and line order, so the last sale line
    # of a SKU is its latest one
    latest: dict[str, Decimal] = {}
    units: dict[str, int] = {}
    docs = lines.docs
    signs = _SIGNS
    for ref in g.refs:
        doc = docs[ref >> _SHIFT]
        line = doc.lines[ref & _MASK]
        lsku = line.sku
        if signs[doc.kind] > 0:
            units[lsku] = units.get(lsku, 0) + line.qty
            latest[lsku] = line.unit_price.amount
        else:
            units[lsku] = units.get(lsku, 0) - line.qty

    cache = lines.prices.setdefault(exp, {})  # exact minor units by amount, shared per call

    def price_of(k: str) -> int | None:
        amount = prices[k].amount if prices is not None and k in prices else latest.get(k)
        if amount is None:
            return None
        exact = cache.get(amount, -1)
        if exact == -1:
            exact = cache[amount] = _exact_minor(amount, exp)
        return exact if exact is not None else round_fraction(Fraction(amount) * 10**exp)

    if sku is not None:
        return [(sku, total, price_of(sku))]
    if len(units) == 1:
        ((only, u),) = units.items()
        return [(only, total, price_of(only))] if u > 0 else []
    skus = sorted(k for k, u in units.items() if u > 0)
    shares = split_whole(total, [units[k] for k in skus])
    return [(k, u, price_of(k)) for k, u in zip(skus, shares, strict=True) if u > 0]


# --------------------------------------------------------------------------- stacking


def _stacking_order(
    compiled: list[CompiledScheme], by_scheme: dict[int, list[_Group]], on_tie: str
) -> list[list[CompiledScheme]]:
    """Units of application (a scheme, or a best-of group), in application order."""
    units: dict[str, list[CompiledScheme]] = {}
    for cs in compiled:
        key = f"group:{cs.scheme.group}" if cs.scheme.stacking == "best_of" else f"s:{cs.id}"
        units.setdefault(key, []).append(cs)
    for members in units.values():
        if len(members) > 1:
            first = members[0].scheme
            for cs in members[1:]:
                if (cs.scheme.party, cs.scheme.window) != (first.party, first.window):
                    raise SchemeError(
                        f"scheme {cs.id!r}.group: best-of group {first.group!r} mixes "
                        f"party/window ({cs.scheme.party}/{cs.scheme.window} vs "
                        f"{first.party}/{first.window} of {first.id!r})"
                    )

    def prio(u: list[CompiledScheme]) -> int:
        return min(cs.scheme.priority for cs in u)

    def value(u: list[CompiledScheme]) -> int:
        return sum(g.value for cs in u for g in by_scheme.get(cs.pos, []) if g.applied)

    def refs(u: list[CompiledScheme]) -> set[int]:
        return {r for cs in u for g in by_scheme.get(cs.pos, []) for r in g.refs}

    ordered = sorted(units.values(), key=lambda u: (prio(u), min(cs.pos for cs in u)))
    out: list[list[CompiledScheme]] = []
    for _, tied_iter in itertools.groupby(ordered, key=prio):
        tied = list(tied_iter)
        if len(tied) > 1:
            exclusive = [u for u in tied if any(cs.scheme.stacking == "exclusive" for cs in u)]
            conflict: tuple[str, str] | None = None
            for a in exclusive:
                ra = refs(a)
                for b in tied:
                    if b is not a and ra & refs(b):
                        conflict = (a[0].id, b[0].id)
                        break
                if conflict:
                    break
            if conflict is not None:
                if on_tie == "raise":
                    raise SchemeError(
                        f"scheme {conflict[0]!r}.priority: ties with scheme {conflict[1]!r} "
                        f"(both {prio(tied[0])}) on shared lines and one is exclusive; "
                        "give them different priorities or pass on_tie='first' or "
                        "'best_for_buyer'"
                    )
                if on_tie == "best_for_buyer":
                    tied.sort(key=lambda u: (-value(u), min(cs.id for cs in u)))
        out.extend(tied)
    return out


def _stack(
    order: list[list[CompiledScheme]],
    by_scheme: dict[int, list[_Group]],
    lines: _Lines,
    prices: Mapping[str, Money] | None,
) -> None:
    exclusive_at = [
        i for i, u in enumerate(order) if any(cs.scheme.stacking == "exclusive" for cs in u)
    ]
    compounding_at = [i for i, u in enumerate(order) if any(cs.scheme.compounding for cs in u)]
    last_exclusive = max(exclusive_at, default=-1)
    last_compounding = max(compounding_at, default=-1)
    claimed_any: set[int] = set()
    claimed_excl: dict[int, str] = {}
    line_discount: dict[int, int] = {}
    for pos, unit in enumerate(order):
        for cs in unit:
            is_excl = cs.scheme.stacking == "exclusive"
            for g in by_scheme.get(cs.pos, []):
                blocked = claimed_excl if claimed_excl else None
                if blocked or (is_excl and claimed_any):
                    keep = [
                        r
                        for r in g.refs
                        if r not in claimed_excl and not (is_excl and r in claimed_any)
                    ]
                    if len(keep) != len(g.refs):
                        dropped = len(g.refs) - len(keep)
                        by = sorted({claimed_excl[r] for r in g.refs if r in claimed_excl})
                        why = (
                            f"exclusive scheme(s) {', '.join(by)} already use them"
                            if by
                            else "this exclusive scheme skips lines other schemes use"
                        )
                        _refilter(g, keep, lines)
                        g.notes.append(
                            TraceStep("stacking", "cut", f"{dropped} lines left out: {why}")
                        )
                        _resolve(g, lines, prices)
                if cs.scheme.compounding and line_discount and g.applied:
                    prior = sum(line_discount.get(r, 0) for r in g.refs)
                    if prior:
                        _benefit(g, lines, prices, Fraction(prior))
                        g.notes.append(
                            TraceStep(
                                "stacking",
                                "applied",
                                f"compounds on {_fmt_minor(prior, cs)} of earlier discounts",
                            )
                        )
        if len(unit) > 1:
            _best_of(unit, by_scheme)
        for cs in unit:
            for g in by_scheme.get(cs.pos, []):
                if not g.applied:
                    continue
                if pos < last_exclusive:
                    claimed_any.update(g.refs)
                if cs.scheme.stacking == "exclusive":
                    for r in g.refs:
                        claimed_excl.setdefault(r, cs.id)
                if pos < last_compounding and g.discount and _is_percent(cs.scheme):
                    weights = [max(lines.values(r)[3], 0) for r in g.refs]
                    for r, share in zip(g.refs, split_whole(g.discount, weights), strict=True):
                        if share:
                            line_discount[r] = line_discount.get(r, 0) + share


def _is_percent(s: Scheme) -> bool:
    return all(isinstance(sl.benefit, PercentDiscount | Rebate) for sl in s.slabs)


def _refilter(g: _Group, keep: list[int], lines: _Lines) -> None:
    g.refs = keep
    g.units = g.gross = g.net = 0
    for r in keep:
        _, q, gross, net, _ = lines.values(r)
        g.units += q
        g.gross += gross
        g.net += net


def _best_of(unit: list[CompiledScheme], by_scheme: dict[int, list[_Group]]) -> None:
    cells: dict[tuple[str, object], list[_Group]] = {}
    for cs in unit:
        for g in by_scheme.get(cs.pos, []):
            cells.setdefault((g.party, g.wkey), []).append(g)
    for cell in cells.values():
        live = [g for g in cell if g.applied]
        if not live:
            continue
        best = min(live, key=lambda g: (-g.value, g.cs.scheme.priority, g.cs.id))
        for g in cell:
            if g is best:
                others = ", ".join(
                    f"{o.cs.id} {_fmt_minor(o.value, o.cs)}" for o in live if o is not g
                )
                g.notes.append(
                    TraceStep(
                        "stacking",
                        "applied",
                        f"best of group {g.cs.scheme.group!r}"
                        + (f" (beats {others})" if others else ""),
                    )
                )
            elif g.applied:
                g.applied = False
                g.notes.append(
                    TraceStep(
                        "stacking",
                        "rejected",
                        f"group {g.cs.scheme.group!r} keeps {best.cs.id} worth "
                        f"{_fmt_minor(best.value, best.cs)} over {_fmt_minor(g.value, g.cs)}",
                    )
                )


def _fmt_minor(units: int, cs: CompiledScheme) -> str:
    return f"{Decimal(units).scaleb(-cs.exp)} {cs.scheme.currency}"


# --------------------------------------------------------------------------- caps


def _caps(cs: CompiledScheme, groups: list[_Group]) -> None:
    caps = cs.scheme.caps
    if not caps.any:
        return
    live = [g for g in groups if g.applied]
    items: list[CapItem] = []
    for g in live:
        if any(p is None for _, u, p in g.free if u):
            raise SchemeError(
                f"scheme {cs.id!r}.caps: free goods for {g.party} have no price; "
                "pass prices= to value them"
            )
        priced = [p for _, u, p in g.free if u and p]
        step = priced[0] if len(priced) == 1 else 1
        items.append(CapItem(g.party, _window_sort_key(cs, g), g.value, step))
    scale = 10**cs.exp
    results = apply_caps(
        items,
        total=None if caps.total is None else round_fraction(Fraction(caps.total) * scale),
        per_party=None
        if caps.per_account is None
        else round_fraction(Fraction(caps.per_account) * scale),
        per_item=None
        if caps.per_invoice is None
        else round_fraction(Fraction(caps.per_invoice) * scale),
    )
    for g, res in zip(live, results, strict=True):
        if res.granted >= g.value:
            continue
        before = g.value
        if g.free:
            g.free = _cut_free(g.free, res.granted)
        else:
            g.discount = res.granted
        g.cut = before - g.value
        g.notes.append(
            TraceStep(
                "caps",
                "cut",
                f"{res.reason}: cut {_fmt_minor(g.cut, cs)} of {_fmt_minor(before, cs)}",
            )
        )


def _window_sort_key(cs: CompiledScheme, g: _Group) -> tuple[object, ...]:
    if cs.wkind == "invoice":
        return (g.start, str(g.wkey))
    return _wsort(g.wkey)


def _cut_free(
    free: list[tuple[str, int, int | None]], allowed: int
) -> list[tuple[str, int, int | None]]:
    out: list[tuple[str, int, int | None]] = []
    left = allowed
    for sku, units, price in free:
        p = price or 0
        can = units if p == 0 else min(units, max(left, 0) // p)
        left -= can * p
        out.append((sku, can, price))
    return out


# --------------------------------------------------------------------------- results


def _money(units: int, cs: CompiledScheme, zero: dict[str, Money]) -> Money:
    cur = cs.scheme.currency
    if units == 0:
        z = zero.get(cur)
        if z is None:
            z = zero[cur] = Money.from_minor_units(0, cur)
        return z
    # the amount is an exact Decimal built here and the currency was checked with the
    # scheme: skip Money's converters (this runs once per entitlement in bulk runs)
    m = object.__new__(Money)
    object.__setattr__(m, "amount", Decimal(units).scaleb(-cs.exp))
    object.__setattr__(m, "currency", cur)
    return m


def _volume_decimal(g: _Group) -> Decimal:
    v = g.volume
    if g.cs.value_measure:
        return Decimal(v if type(v) is int else round_fraction(v)).scaleb(-g.cs.exp)
    return Decimal(v) if type(v) is int else to_decimal_places(v)


def _entitlement(
    g: _Group, window: Window, doc_ids: Sequence[str], zero: dict[str, Money]
) -> Entitlement:
    cs = g.cs
    s = cs.scheme
    notes = g.notes
    if g.combo_short:
        for name, need, have in g.combo_short:
            notes.insert(
                0,
                TraceStep(
                    "combo",
                    "rejected",
                    f"group {name!r} has {_fmt_volume(have, cs)} of the {_fmt_volume(need, cs)} "
                    "needed",
                ),
            )
    free = (
        tuple(
            _free_units(sku, units, None if p is None else _money(units * p, cs, zero))
            for sku, units, p in g.free
            if units
        )
        if g.free
        else ()
    )
    if g.slab is None:
        slab_min = None
    elif s.targets:
        assert g.bounds is not None
        slab_min = _to_measure(g.bounds[g.slab], cs)
    else:
        slab_min = s.slabs[g.slab].min
    if s.targets:
        notes.insert(0, _target_note(g))
    label = _label(cs, g.slab) if g.slab is not None else ""
    if g.applied:
        notes.append(_SETTLEMENT_NOTES[s.settlement])
    discount = _money(g.discount if g.applied else 0, cs, zero)
    if not free:
        value = discount
    elif g.applied and not g.discount and len(free) == 1 and free[0].value is not None:
        value = free[0].value  # the value is that of the free goods alone
    else:
        value = _money(g.value if g.applied else 0, cs, zero)
    cut = _money(g.cut, cs, zero) if g.cut else _money(0, cs, zero)
    return Entitlement(
        scheme=s.id,
        party=g.party,
        window=window,
        applied=g.applied,
        measure=s.measure,
        volume=_volume_decimal(g),
        slab=None if g.slab is None else g.slab + 1,
        lines=LineRefs.packed(doc_ids, g.refs, _SHIFT),
        free=free,
        discount=discount,
        value=value,
        cut=cut,
        settlement=s.settlement,
        notes=tuple(notes),
        slab_min=slab_min,
        benefit_label=label,
    )


def _target_note(g: _Group) -> TraceStep:
    s = g.cs.scheme
    target = s.targets.get(g.party)
    if target is None:
        return TraceStep(
            "target", "rejected", f"no target for {g.party}: parties without a target do not earn"
        )
    measured = _volume_decimal(g)
    pct = (measured * 100 / target).quantize(Decimal("0.01"), rounding="ROUND_FLOOR")
    unit = f" {s.currency}" if s.is_value_measure else f" {s.measure}"
    outcome: Literal["applied", "considered"] = "applied" if g.slab is not None else "considered"
    return TraceStep("target", outcome, f"target {target}{unit}: {measured}{unit} is {pct} % of it")


def _party_bounds(cs: CompiledScheme, party: str) -> tuple[Number, ...] | None:
    """The slab bounds of ``party`` in internal units: its target x each slab's percent."""
    got = cs.party_bounds.get(party, _UNSET)
    if got is _UNSET:
        target = cs.scheme.targets.get(party)
        if target is None:
            got = None
        else:
            base = Fraction(cs.internal(target))
            got = tuple(_whole(base * _fraction(pct) / 100) for pct in cs.scheme.slab_bounds)
        cs.party_bounds[party] = got
    return cast("tuple[Number, ...] | None", got)


def _whole(v: Fraction) -> Number:
    return v.numerator if v.denominator == 1 else v


def _free_units(sku: str, units: int, value: Money | None) -> FreeUnits:
    # built from checked values, once per SKU of every free-goods entitlement: skip the
    # attrs converters (a same-SKU category scheme gives one per SKU bought)
    f = object.__new__(FreeUnits)
    object.__setattr__(f, "sku", sku)
    object.__setattr__(f, "units", units)
    object.__setattr__(f, "value", value)
    return f


_SETTLEMENT_NOTES: dict[str, TraceStep] = {
    "on_invoice": TraceStep("settlement", "applied", "deducted on the invoice"),
    "off_invoice": TraceStep("settlement", "applied", "off-invoice: to be claimed"),
}


def _label(cs: CompiledScheme, slab: int) -> str:
    got = cs.labels.get(slab)
    if got is None:
        s = cs.scheme
        got = describe_benefit(s.slabs[slab].benefit, s)
        if s.slab_mode == "step":
            got = f"step mode up to {got}"
        cs.labels[slab] = got
    return got


def _fmt_volume(v: Number, cs: CompiledScheme) -> str:
    if cs.scheme.is_value_measure:
        return _fmt_minor(round_fraction(v), cs)
    unit = "cases" if cs.scheme.measure == "cases" else "units"
    return f"{to_decimal_places(v)} {unit}"


def _near_miss(g: _Group, window: Window, vol: Decimal) -> NearMiss | None:
    """The next slab ``g`` can reach (``vol`` is its volume as reported)."""
    cs = g.cs
    s = cs.scheme
    if g.combo_short:
        name, need, have = min(g.combo_short, key=lambda t: (Fraction(t[1] - t[2]), t[0]))
        missing = _to_measure(need - have, cs)
        return NearMiss(
            scheme=s.id,
            party=g.party,
            window=window,
            measure=s.measure,
            volume=vol,
            threshold=_to_measure(need, cs),
            missing=missing,
            slab=None,
            group=name,
            message=near_miss_message(s, missing, None, group=name),
        )
    if g.bounds is None:
        return None  # no target: nothing to reach
    nxt = slab_math.shortfall(_fr(g.bounds), cast(Fraction, g.volume))
    if nxt is None:
        return None
    i, gap = nxt
    missing = _to_measure(gap, cs)
    target = s.targets.get(g.party) if s.targets else None
    tail_key = (i, target)
    tail = cs.miss_tails.get(tail_key)
    if tail is None:
        # the words after the amount depend only on the slab (and the party's target)
        tail = cs.miss_tails[tail_key] = near_miss_message(s, Decimal(0), i, target=target)[2:]
    return NearMiss(
        scheme=s.id,
        party=g.party,
        window=window,
        measure=s.measure,
        volume=vol,
        threshold=_to_measure(g.bounds[i], cs) if target is not None else s.slabs[i].min,
        missing=missing,
        slab=i + 1,
        group=None,
        message=f"{missing} {tail}",
    )


def _to_measure(v: Number, cs: CompiledScheme) -> Decimal:
    if cs.value_measure:
        if type(v) is int:
            return Decimal(v).scaleb(-cs.exp)
        return Decimal(round_fraction(Fraction(v), "ceiling")).scaleb(-cs.exp)
    if isinstance(v, Fraction) and v.denominator != 1:
        return Decimal(round_fraction(v * 10_000, "ceiling")).scaleb(-4).normalize()
    return Decimal(int(v))


def _reversal(
    key: tuple[str, str, str], done: Money, compiled: list[CompiledScheme], seen: Mapping[str, int]
) -> Entitlement:
    scheme_id, party, label = key
    zero = Money.zero(done.currency)
    pos = seen.get(scheme_id)
    s = compiled[pos].scheme if pos is not None else None
    window = Window(
        s.window if s is not None else "scheme",
        s.validity.start if s is not None else date.min,
        s.validity.end if s is not None else None,
        label,
    )
    return Entitlement(
        scheme=scheme_id,
        party=party,
        window=window,
        applied=False,
        measure=s.measure if s is not None else "units",
        volume=Decimal(0),
        slab=None,
        lines=(),
        free=(),
        discount=zero,
        value=zero,
        cut=zero,
        settlement=s.settlement if s is not None else "off_invoice",
        notes=(
            TraceStep(
                "settled",
                "considered",
                f"{done} already settled, nothing earned now; adjustment {-done}",
            ),
        ),
        settled=done,
        adjustment=-done,
    )


def _overview(
    compiled: list[CompiledScheme],
    by_scheme: dict[int, list[_Group]],
    rejected: dict[int, dict[str, str]],
    on: date,
) -> Trace:
    t = Trace.of(f"schemes evaluated on {on.isoformat()}")
    for cs in compiled:
        groups = by_scheme.get(cs.pos, [])
        applied = [g for g in groups if g.applied]
        refused = rejected.get(cs.pos, {})
        children: list[TraceStep] = []
        if cs.scheme.targets:
            untargeted = sorted({g.party for g in groups if g.bounds is None})
            if untargeted:
                more = f" and {len(untargeted) - 3} more" if len(untargeted) > 3 else ""
                children.append(
                    TraceStep(
                        "target",
                        "rejected",
                        f"no target for {', '.join(untargeted[:3])}{more}: they do not earn",
                    )
                )
        if refused:
            first = sorted(refused.items())[:3]
            more = f" and {len(refused) - 3} more" if len(refused) > 3 else ""
            children.append(
                TraceStep(
                    "eligibility", "rejected", "; ".join(f"{p}: {why}" for p, why in first) + more
                )
            )
        if applied:
            total = sum(g.value for g in applied)
            t = t.add(
                cs.id,
                "applied",
                f"{len(applied)} of {len(groups)} windows earn, worth {_fmt_minor(total, cs)}",
                children,
            )
        elif groups:
            below = sum(1 for g in groups if g.slab is None)
            t = t.add(
                cs.id,
                "rejected",
                f"{len(groups)} windows measured, none earns ({below} below the first "
                "slab, the rest blocked by combo, stacking or a zero benefit)",
                children,
            )
        elif refused:
            t = t.add(cs.id, "rejected", "no eligible party bought its products", children)
        else:
            t = t.add(
                cs.id,
                "skipped",
                "no qualifying line: not in force on any document date, other level, "
                "or no selected product bought",
            )
    return t
