"""One month of the demo network through every capability, against the SQLite store.

:func:`month_sections` runs the last month of the sample: it prices a sample
order with its breakdown and GST, defines and evaluates three trade schemes
(and finds near misses), builds claims for the distributors — some exact,
some over-claimed, some re-claiming lines another claim already holds —
verifies them in one batch, decides and settles them in the store and
reconciles the distributors' debit notes; then it reports stock positions
and inventory health, journey-plan coverage, field KPIs and the 30-day
high-value distributor alert. Each part is a
:class:`~distcrm.cli.summary.Section`.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

import attrs

from distcrm.catalog import Product
from distcrm.claims import (
    Claim,
    ClaimLine,
    Verification,
    decide,
    reconcile,
    settle_in_store,
    submit,
    verify_batch,
)
from distcrm.cli.summary import CURRENCY, Section, inr, text_table
from distcrm.documents import Document, Line
from distcrm.money import Money
from distcrm.parties import Account
from distcrm.periods import Period
from distcrm.pricing import (
    Buyer,
    Discount,
    GstPolicy,
    PriceEntry,
    PriceIndex,
    PriceList,
    PricingLine,
    Scope,
    Supply,
    price_order,
    sample_hsn_rates,
)
from distcrm.schemes import (
    FreeGoods,
    PercentDiscount,
    ProductSelection,
    Rebate,
    Scheme,
    SchemeResult,
    Slab,
    allocate_benefit,
    evaluate,
)
from distcrm.sellthrough import SkuHealth, inventory_health
from distcrm.stores.sqlite import SqliteStore
from distcrm.territory import (
    Beat,
    WorkCalendar,
    classes_of,
    coverage,
    field_kpis,
    journey_plan,
    unvisited_accounts,
)
from distcrm.testing.sample import SampleData

__all__ = [
    "CLAIM_KINDS",
    "demo_beats",
    "demo_claims",
    "demo_month",
    "demo_price_list",
    "demo_schemes",
    "month_sections",
]

CLAIM_KINDS = ("exact", "over-claimed", "duplicate")
"""How the demo's distributors claim, in turn: exactly, 10 % too much, re-claiming lines."""

_CENT = Decimal("0.01")


def demo_month(data: SampleData) -> Period:
    """The month the demo walks through: the last month of the sample."""
    cfg = data.config
    period = Period.containing(cfg.start, "month")
    for _ in range(cfg.months - 1):
        period = period.next()
    return period


def demo_price_list(data: SampleData, before: date) -> PriceList:
    """Price to retailer: each SKU at the last price distributors billed retailers before ``before``."""
    tiers = {a.id: a.tier for a in data.accounts}
    latest: dict[str, tuple[date, Money]] = {}
    for doc in data.secondary():
        if doc.kind != "invoice" or doc.issued_on >= before or tiers.get(doc.buyer) != "retailer":
            continue
        for line in doc.lines:
            seen = latest.get(line.sku)
            if seen is None or doc.issued_on >= seen[0]:
                latest[line.sku] = (doc.issued_on, line.unit_price)
    entries = tuple(
        PriceEntry(sku, price, Scope(tier="retailer"), label="PTR")
        for sku, (_, price) in sorted(latest.items())
    )
    return PriceList("PTR", CURRENCY, entries=entries, name="Price to retailer")


def demo_schemes(data: SampleData, month: Period) -> tuple[Scheme, ...]:
    """Three schemes for ``month``: free goods, distributor value slabs and a retailer target."""
    window = month.validity
    first = sorted({p.category for p in data.products})[0]
    category = "/".join(first)
    return (
        Scheme("S-FREE", f"Buy 10 get 1 on {category}", window, window="invoice",
               products=ProductSelection(categories={category}),
               slabs=(Slab(Decimal(10), FreeGoods(1, Decimal(10))),)),
        Scheme("S-VAL", "Distributor value slabs", window, measure="net_value", window="month",
               party="seller", slabs=(Slab(Decimal(200_000), PercentDiscount(Decimal(1))),
                                      Slab(Decimal(250_000), PercentDiscount(Decimal("1.5"))),
                                      Slab(Decimal(300_000), PercentDiscount(Decimal(2))))),
        Scheme("S-TGT", "Retailer monthly target", window, measure="net_value", window="month",
               slabs=(Slab(Decimal(15_000), Rebate(amount=Decimal(250))),
                      Slab(Decimal(25_000), Rebate(amount=Decimal(500))))),
    )


def demo_claims(
    result: SchemeResult, documents: Sequence[Document], month: Period, scheme: str = "S-VAL"
) -> tuple[tuple[Claim, str], ...]:
    """Claims for the distributors earning under ``scheme``, with how each was made.

    In turn a distributor claims its entitlement exactly, 10 % more on every
    line, or exactly plus a second claim (id ending ``-DUP``) re-claiming the
    first three lines of the first one.
    """
    by_id: dict[str, Document] = {d.id: d for d in documents}
    out: list[tuple[Claim, str]] = []
    earning = sorted((e for e in result.for_scheme(scheme) if e.value.amount > 0),
                     key=lambda e: e.party)
    for i, ent in enumerate(earning):
        kind = CLAIM_KINDS[i % len(CLAIM_KINDS)]
        shares = allocate_benefit(ent, by_id)
        factor = Decimal("1.1") if kind == "over-claimed" else Decimal(1)
        lines = tuple(
            ClaimLine(s.line, s.sku, 0,
                      Money((s.amount.amount * factor).quantize(_CENT, ROUND_HALF_UP), CURRENCY))
            for s in shares if s.amount.amount > 0
        )
        ident = f"CL-{month.label}-{ent.party}"
        out.append((Claim(ident, ent.party, "scheme", month.validity, CURRENCY, scheme=scheme,
                          lines=lines), kind if kind != "duplicate" else "exact"))
        if kind == "duplicate":
            out.append((Claim(f"{ident}-DUP", ent.party, "scheme", month.validity, CURRENCY,
                              scheme=scheme, lines=lines[:3]), "duplicate"))
    return tuple(out)


def demo_beats(data: SampleData) -> tuple[Beat, ...]:
    """The sample's beats as territory beats (the rep's distributor serves the outlets)."""
    reps = {r.id: r for r in data.reps}
    return tuple(
        Beat(b.id, reps[b.rep].distributor, b.rep, frozenset({b.weekday}), b.outlets)
        for b in data.beats
    )


@attrs.frozen
class _Context:
    data: SampleData
    store: SqliteStore
    month: Period
    documents: tuple[Document, ...]

    @property
    def end(self) -> date:
        """The month's last day."""
        end = self.month.validity.end
        assert end is not None
        return end - timedelta(days=1)

    @property
    def distributors(self) -> tuple[Account, ...]:
        return self.data.by_tier("distributor")


def _count(n: int, word: str) -> str:
    return f"{n:,} {word}{'' if n == 1 else 's'}"


def _money(m: Money | None) -> str:
    return "" if m is None else inr(m.amount)


def _prices_section(ctx: _Context) -> Section:
    data = ctx.data
    day = ctx.end
    plist = demo_price_list(data, day + timedelta(days=1))
    ctx.store.price_lists.put(plist)
    if not plist.entries:
        return Section("Prices: a sample order", "No sales to retailers to take prices from.")
    priced = {e.sku for e in plist.entries}
    retailer = next(r for r in data.retailers if data.parent_of(r.id) is not None)
    seller = data.account(data.parent_of(retailer.id) or "")
    products: dict[str, Product] = {p.sku: p for p in data.products}
    skus = [p.sku for p in data.products if p.sku in priced][:3]
    qtys = [24, 48, 12]
    lines = [
        PricingLine(sku, qty, hsn=products[sku].hsn,
                    discounts=(Discount("trade", percent=Decimal(2)),) if n == 0 else ())
        for n, (sku, qty) in enumerate(zip(skus, qtys, strict=False))
    ]
    order = price_order(
        lines, on=day, tax=GstPolicy(sample_hsn_rates()),
        supply=Supply(seller.state_code, retailer.state_code), index=PriceIndex([plist]),
        buyer=Buyer(retailer.id, tier="retailer", territory=retailer.territory),
        products=products,
    )
    rows = [[b.sku, b.qty, _money(b.gross), _money(b.taxable), _money(b.tax.tax), _money(b.total)]
            for b in order.lines]
    body = "\n".join([
        f"Price list PTR: {len(plist.entries)} SKUs at the last price billed to retailers "
        f"up to {day.isoformat()} (stored in the database).",
        f"Order of {retailer.id} ({retailer.name}) from {seller.id} on {day.isoformat()}, "
        "2 % trade discount on the first line, GST by HSN:",
        "",
        text_table(["SKU", "Qty", "Gross", "Taxable", "GST", "Total"], rows,
              footer=["total", sum(b.qty for b in order.lines), _money(order.gross),
                      _money(order.taxable), _money(order.tax), _money(order.total)]),
        "",
        "Breakdown of the first line:",
        order.lines[0].render(),
    ])
    return Section("Prices: a sample order", body)


def _scheme_sections(ctx: _Context) -> tuple[Section, SchemeResult, tuple[Scheme, ...]]:
    data = ctx.data
    schemes = demo_schemes(data, ctx.month)
    for s in schemes:
        ctx.store.schemes.put(s)
    result = evaluate(schemes, ctx.documents, on=ctx.end, accounts=data.accounts,
                      products=data.products)
    rows: list[list[object]] = []
    for s in schemes:
        ents = result.for_scheme(s.id)
        rows.append([s.id, s.name, s.party, len(ents), sum(e.free_units for e in ents),
                     inr(sum((e.discount.amount for e in ents), Decimal(0))),
                     inr(result.total(s.id).amount)])
    misses: list[list[object]] = []
    for d in ctx.distributors[:4]:
        miss = result.nearest_miss(d.id)
        if miss is not None:
            short = inr(miss.missing) if miss.measure in ("net_value", "gross_value") else (
                f"{miss.missing} {miss.measure}")
            misses.append([d.id, miss.scheme, short, miss.message])
    body = "\n".join([
        f"{len(schemes)} schemes for {ctx.month.label}, evaluated over "
        f"{len(ctx.documents):,} documents of the month:",
        "",
        text_table(["Scheme", "Name", "Earns", "Entitlements", "Free units", "Discount", "Value"],
              rows, footer=["total", "", "", len(result.entitlements),
                            sum(e.free_units for e in result.entitlements), "",
                            inr(result.total().amount)]),
        "",
        "Near misses of distributors:",
        "",
        text_table(["Distributor", "Scheme", "Missing", "Message"], misses) if misses else "(none)",
    ])
    return Section(f"Schemes in {ctx.month.label}", body), result, schemes


def _claims_section(ctx: _Context, result: SchemeResult, schemes: Sequence[Scheme]) -> Section:
    data = ctx.data
    made = demo_claims(result, ctx.documents, ctx.month)
    if not made:
        return Section("Claims: verify, decide, settle, reconcile",
                       "No distributor reached a slab of S-VAL this month: nothing to claim.")
    claims = [c for c, _ in made]
    kinds = {c.id: k for c, k in made}
    after = ctx.month.validity.end
    assert after is not None
    at = datetime.combine(after, time(10))
    verifications: tuple[Verification, ...] = verify_batch(
        claims, schemes=schemes, documents=ctx.documents, on=after, accounts=data.accounts,
        products=data.products,
    )
    principal = data.principal.id
    debit_notes: list[Document] = []
    rows: list[list[object]] = []
    for claim, v in zip(claims, verifications, strict=True):
        stored = ctx.store.claims.save(submit(claim, by=claim.claimant, at=at),
                                       expected_version=0)
        decided = ctx.store.claims.save(
            decide(stored, v.approved_lines, by="asm", at=at + timedelta(hours=2)),
            expected_version=stored.version,
        )
        debit_notes.append(Document(
            f"DN-{claim.id}", "debit_note", "primary", claim.claimant, principal, after,
            CURRENCY, (Line("CLAIM", 1, v.claimed),), reference=claim.id))
        rows.append([claim.id, kinds[claim.id], len(claim.lines), inr(v.claimed.amount),
                     inr(v.approved.amount), decided.status])
    ctx.store.documents.add_many(debit_notes)
    notes: list[Document] = []
    settle_on = after + timedelta(days=4)
    for claim in claims:
        stored = ctx.store.claims.get(claim.id)
        if stored.status in ("approved", "partially_approved"):
            s = settle_in_store(ctx.store, claim.id, issuer=principal, on=settle_on,
                                by="finance", at=datetime.combine(settle_on, time(9)))
            notes.append(s.note)
    codes: dict[str, list[Decimal]] = defaultdict(lambda: [Decimal(0), Decimal(0)])
    severity: dict[str, str] = {}
    for v in verifications:
        for f in v.findings:
            codes[f.code][0] += 1
            codes[f.code][1] += f.amount.amount if f.amount is not None else Decimal(0)
            severity[f.code] = f.severity
    finding_rows = [[code, severity[code], int(n), inr(amount)]
                    for code, (n, amount) in sorted(codes.items())]
    rec = reconcile(ctx.store.documents.query(kind="debit_note"),
                    ctx.store.documents.query(kind="credit_note"), ctx.store.claims.all())
    statuses = Counter(m.status for m in rec.matches)
    total_claimed = sum((v.claimed.amount for v in verifications), Decimal(0))
    total_approved = sum((v.approved.amount for v in verifications), Decimal(0))
    credited = sum((n.total.amount for n in notes), Decimal(0))
    body = "\n".join([
        f"{_count(len(claims), 'claim')} under S-VAL by "
        f"{_count(len({c.claimant for c in claims}), 'distributor')} "
        "(exact, 10 % over-claimed, or re-claiming lines of an earlier claim), verified in one "
        "batch, decided and saved in the database:",
        "",
        text_table(["Claim", "Made", "Lines", "Claimed", "Approved", "Status"], rows,
              footer=["total", "", sum(len(c.lines) for c in claims), inr(total_claimed),
                      inr(total_approved), ""]),
        "",
        "Verification findings by code:",
        "",
        text_table(["Code", "Severity", "Findings", "Amount"], finding_rows)
        if finding_rows else "(none)",
        "",
        f"Settled {_count(len(notes), 'claim')} in the database: "
        f"{_count(len(notes), 'credit note')} worth "
        f"{inr(credited)} including GST.",
        "Reconciliation of the distributors' debit notes: "
        + ", ".join(f"{s} {n}" for s, n in sorted(statuses.items())) + ".",
    ])
    return Section("Claims: verify, decide, settle, reconcile", body)


def _sellthrough_section(ctx: _Context) -> Section:
    ids = {d.id for d in ctx.distributors}
    history = [d for d in ctx.data.documents if d.issued_on <= ctx.end]
    report = inventory_health(history, on=ctx.end, accounts=ids)
    rows = report.rows
    risks = sorted((r for r in rows if r.stockout_risk),
                   key=lambda r: (r.days_of_inventory or Decimal(0), r.account, r.sku))
    slow = sorted((r for r in rows if r.slow_mover),
                  key=lambda r: (r.last_sale or date.min, r.account, r.sku))
    stock = sum(r.stock for r in rows)

    def line(r: SkuHealth) -> list[object]:
        return [r.account, r.sku, r.stock, r.velocity, r.days_of_inventory, r.last_sale]

    headers = ["Distributor", "SKU", "Stock", "Units/day", "Days of inventory", "Last sale"]
    body = "\n".join([
        f"Stock positions on {ctx.end.isoformat()}: {len(rows):,} distributor × SKU positions, "
        f"{stock:,} units; {len(risks)} stockout risks, {len(slow)} slow movers, "
        f"{sum(1 for r in rows if r.demand_building)} with demand building.",
        "",
        "Stockout risks (cover below lead time), lowest cover first:",
        "",
        text_table(headers, [line(r) for r in risks[:5]]) if risks else "(none)",
        "",
        "Slow movers, longest without a sale first:",
        "",
        text_table(headers, [line(r) for r in slow[:5]]) if slow else "(none)",
    ])
    return Section("Sell-through and inventory health", body)


def _coverage_section(ctx: _Context) -> Section:
    data = ctx.data
    plan = journey_plan(demo_beats(data), ctx.month, WorkCalendar(),
                        classes={str(k): v for k, v in classes_of(data.retailers).items()})
    visits = tuple(ctx.store.visits.query(start=ctx.month.validity.start,
                                          end=ctx.month.validity.end))
    report = coverage(plan, visits)
    kpis = field_kpis(visits, ctx.documents, ctx.month, plan=plan)
    rows: list[list[object]] = []
    for rep in sorted(report.by_rep):
        c = report.by_rep[rep]
        k = kpis.by_rep.get(rep)
        rows.append([rep, c.planned, c.covered, c.compliance,
                     k.total_calls if k else 0, k.productive_calls if k else 0,
                     k.strike_rate if k else None, _money(k.drop_size) if k else ""])
    o, ko = report.overall, kpis.overall
    alerts = unvisited_accounts(ctx.distributors, data.visits, ctx.end)
    body = "\n".join([
        f"Journey plan for {ctx.month.label}: {len(plan.visits):,} planned visits on "
        f"{len(data.beats)} beats (class A weekly, B fortnightly, C monthly).",
        "",
        text_table(["Rep", "Planned", "Covered", "Compliance %", "Calls", "Productive",
               "Strike rate %", "Drop size"], rows,
              footer=["total", o.planned, o.covered, o.compliance, ko.total_calls,
                      ko.productive_calls, ko.strike_rate, _money(ko.drop_size)]),
        "",
        f"Alerts: {_count(len(alerts), 'class-A distributor')} not visited in 30 days"
        + (":" if alerts else "."),
        *[f"  {f.message}" for f in alerts[:3]],
        *(["  ..."] if len(alerts) > 3 else []),
    ])
    return Section("Coverage, field KPIs and alerts", body)


def month_sections(data: SampleData, store: SqliteStore) -> tuple[Section, ...]:
    """Run the demo's month against ``store`` (holding ``data``) and render every part."""
    month = demo_month(data)
    docs = tuple(d for d in data.documents if month.validity.contains(d.issued_on))
    ctx = _Context(data, store, month, docs)
    schemes_section, result, schemes = _scheme_sections(ctx)
    return (
        _prices_section(ctx),
        schemes_section,
        _claims_section(ctx, result, schemes),
        _sellthrough_section(ctx),
        _coverage_section(ctx),
    )

