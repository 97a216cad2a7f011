"""The working commands: import, schemes evaluate / whatif, claims verify / settle /
reconcile, price and coverage.

Each handler takes the parsed arguments and returns a :class:`Outcome`: the
tables to write and the findings that need attention. Bad input raises
:class:`~distcrm.cli.inputs.InputError` (exit status 2).
"""

from __future__ import annotations

import argparse
from collections.abc import Iterable, Sequence
from datetime import date, datetime, time, timedelta
from typing import Any, TextIO

import attrs

from distcrm.catalog import Product
from distcrm.claims import (
    Claim,
    decide,
    reconcile,
    settle_in_store,
    submit,
    verify_batch,
)
from distcrm.cli.inputs import (
    InputError,
    load_accounts,
    load_beats,
    load_claims,
    load_documents,
    load_price_lists,
    load_products,
    load_schemes,
    load_visits,
    open_store,
    read_text,
)
from distcrm.cli.output import Table
from distcrm.csvimport import IMPORTERS
from distcrm.documents import Document
from distcrm.errors import DistcrmError
from distcrm.findings import Finding
from distcrm.money import quantum
from distcrm.parties import Account
from distcrm.periods import Period
from distcrm.pricing import (
    Buyer,
    Discount,
    GstPolicy,
    PriceIndex,
    PriceList,
    PricingLine,
    Supply,
    price_order,
    sample_hsn_rates,
)
from distcrm.schemes import (
    ENTITLEMENT_COLUMNS,
    FREE_GOODS_COLUMNS,
    NEAR_MISS_COLUMNS,
    TOTALS_COLUMNS,
    Scheme,
    entitlement_rows,
    evaluate,
    free_goods_rows,
    near_miss_rows,
    simulate,
    simulation_rows,
)
from distcrm.stores.sqlite import SqliteStore
from distcrm.territory import (
    WorkCalendar,
    classes_of,
    coverage,
    field_kpis,
    journey_plan,
    unvisited_accounts,
)

__all__ = [
    "ATTENTION",
    "Dataset",
    "Outcome",
    "claims_reconcile",
    "claims_settle",
    "claims_verify",
    "coverage_command",
    "findings_table",
    "gather",
    "import_command",
    "price_command",
    "schemes_evaluate",
    "schemes_whatif",
]

ATTENTION = frozenset({"warning", "error"})
"""Finding severities that make ``--fail-on-findings`` exit with status 1."""

FINDING_COLUMNS = ("code", "severity", "subject", "amount", "message")


@attrs.frozen
class Outcome:
    """What a command produced: tables to write and findings."""

    tables: tuple[Table, ...]
    findings: tuple[Finding, ...] = ()
    message: str = ""


@attrs.frozen
class Dataset:
    """Accounts, products and documents from the database and the data files."""

    accounts: tuple[Account, ...]
    products: tuple[Product, ...]
    documents: tuple[Document, ...]


def _merge(base: Iterable[Any], extra: Iterable[Any], key: str) -> tuple[Any, ...]:
    out = {getattr(e, key): e for e in base}
    for e in extra:
        out[getattr(e, key)] = e
    return tuple(out.values())


def _store(args: argparse.Namespace) -> SqliteStore | None:
    return open_store(args.db) if getattr(args, "db", None) else None


def gather(args: argparse.Namespace, store: SqliteStore | None) -> Dataset:
    """The data named by ``--db``, ``--accounts``, ``--products`` and ``--documents``.

    Files add to (and replace by id) what the database holds.
    """
    accounts: tuple[Account, ...] = tuple(store.accounts.all()) if store else ()
    products: tuple[Product, ...] = tuple(store.products.all()) if store else ()
    documents: tuple[Document, ...] = tuple(store.documents.all()) if store else ()
    for path in getattr(args, "accounts", None) or ():
        accounts = _merge(accounts, load_accounts(path), "id")
    for path in getattr(args, "products", None) or ():
        products = _merge(products, load_products(path), "sku")
    for path in getattr(args, "documents", None) or ():
        documents = _merge(documents, load_documents(path), "id")
    return Dataset(accounts, products, documents)


def findings_table(findings: Sequence[Finding], title: str = "Findings") -> Table:
    """Findings as a table (amounts as money)."""
    rows = tuple(
        {"code": f.code, "severity": f.severity, "subject": f.subject,
         "amount": f.amount.amount if f.amount is not None else None, "message": f.message}
        for f in findings
    )
    return Table(title, FINDING_COLUMNS, rows, money=frozenset({"amount"}),
                 view=("code", "severity", "amount", "message"))


# --------------------------------------------------------------------------- import


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def import_command(args: argparse.Namespace, err: TextIO) -> Outcome:
    """``distcrm import KIND FILE --db DB [--skip-bad-rows]``."""
    result = IMPORTERS[args.kind](read_text(args.file))
    for e in result.errors:
        err.write(f"{args.file}: {e}\n")
    if result.errors and not args.skip_bad_rows:
        bad = len(result.bad_rows)
        raise InputError(f"{args.file}: {_count(len(result.errors), 'error')} in {bad} of "
                         f"{_count(result.rows, 'row')}; nothing imported (use --skip-bad-rows "
                         "to import the good rows)")
    store = open_store(args.db, create=True)
    try:
        repo: Any = {"accounts": store.accounts, "products": store.products,
                "price-lists": store.price_lists, "documents": store.documents}[args.kind]
        entities = list(result.entities)
        try:
            if args.kind == "price-lists":
                for e in entities:
                    repo.put(e)
                added = len(entities)
            else:
                added = repo.add_many(entities)
        except DistcrmError as exc:
            raise InputError(f"{args.file}: {exc}") from None
    finally:
        store.close()
    skipped = len(result.bad_rows)
    singular = {"accounts": "account", "products": "product", "price-lists": "price list",
                "documents": "document"}[args.kind]
    message = f"imported {_count(added, singular)} from {args.file} into {args.db}"
    if skipped:
        message += f"; skipped {_count(skipped, 'bad row')}"
    return Outcome((), message=message)


# --------------------------------------------------------------------------- schemes


def _schemes(
    path: str | None, store: SqliteStore | None, what: str, *, required: bool = True
) -> tuple[Scheme, ...]:
    """Schemes from ``path``, else those stored in the database."""
    if path:
        return load_schemes(path)
    stored = tuple(store.schemes.all()) if store is not None else ()
    if not stored and required:
        raise InputError(f"{what}: give a scheme file (no database with schemes given)")
    return stored


def _on(args: argparse.Namespace) -> date:
    on: date = args.on
    return on


def schemes_evaluate(args: argparse.Namespace) -> Outcome:
    """``distcrm schemes evaluate SCHEMES --on DATE``: entitlements, near misses or free goods."""
    store = _store(args)
    try:
        schemes = _schemes(args.schemes, store, "SCHEMES")
        data = gather(args, store)
    finally:
        if store:
            store.close()
    try:
        result = evaluate(schemes, data.documents, on=_on(args), accounts=data.accounts,
                          products=data.products)
    except DistcrmError as exc:
        raise InputError(f"{args.schemes or args.db}: {exc}") from None
    money = frozenset({"free_value", "discount", "value", "cut", "settled", "adjustment"})
    if args.show == "near-misses":
        main = Table("Near misses", NEAR_MISS_COLUMNS, tuple(near_miss_rows(result)),
                     view=("scheme", "party", "window_label", "missing", "message"))
    elif args.show == "free-goods":
        main = Table("Free goods", FREE_GOODS_COLUMNS, tuple(free_goods_rows(result)),
                     money=frozenset({"value"}),
                     view=("scheme", "party", "window_label", "sku", "units", "value"))
    else:
        main = Table("Entitlements", ENTITLEMENT_COLUMNS, tuple(entitlement_rows(result)),
                     money=money,
                     view=("scheme", "party", "window_label", "slab", "volume", "free_units",
                           "discount", "value"))
    findings = tuple(
        Finding("budget_cut", f"scheme {e.scheme}: {e.party} {e.window.label}: "
                f"{e.cut} cut by caps", subject=e.party, amount=e.cut)
        for e in result.entitlements if e.cut.amount > 0
    )
    tables = [main]
    if args.show == "entitlements":
        totals = []
        for s in schemes:
            ents = result.for_scheme(s.id)
            totals.append({"scheme": s.id, "name": s.name, "entitlements": len(ents),
                           "free_units": sum(e.free_units for e in ents),
                           "value": result.total(s.id).amount})
        tables.append(Table("Totals by scheme",
                            ("scheme", "name", "entitlements", "free_units", "value"),
                            tuple(totals), money=frozenset({"value"})))
    if findings:
        tables.append(findings_table(findings))
    return Outcome(tuple(tables), findings)


def schemes_whatif(args: argparse.Namespace) -> Outcome:
    """``distcrm schemes whatif BASELINE VARIANT...``: cost of each variant by dimension."""
    variants = {}
    for path in args.variants:
        name = str(path).rsplit("/", 1)[-1].rsplit(".", 1)[0]
        if name in variants:
            raise InputError(f"{path}: a variant named {name!r} is given twice")
        variants[name] = load_schemes(path)
    store = _store(args)
    try:
        data = gather(args, store)
    finally:
        if store:
            store.close()
    by: Any = tuple(b.strip() for b in args.by.split(",") if b.strip())
    try:
        sim = simulate(variants, data.documents, accounts=data.accounts,
                       products=data.products, on=_on(args), by=by)
    except DistcrmError as exc:
        raise InputError(f"--by / variants: {exc}") from None
    rows = tuple(simulation_rows(sim))
    columns = tuple(rows[0]) if rows else ("variant", *by, *TOTALS_COLUMNS, "currency")
    money = frozenset({"cost", "discount", "free_value"})
    return Outcome((Table("What-if by " + ", ".join(by), columns, rows, money=money,
                          view=tuple(c for c in columns if c not in (
                              "unpriced_free_units", "currency"))),))


# --------------------------------------------------------------------------- claims


def _claim_rows(claims: Sequence[Claim], verifications: Sequence[Any],
                statuses: Sequence[str]) -> tuple[dict[str, object], ...]:
    return tuple(
        {"claim": c.id, "claimant": c.claimant, "type": c.type, "scheme": c.scheme,
         "lines": len(c.lines), "claimed": v.claimed.amount, "entitled": v.entitled.amount,
         "approved": v.approved.amount, "status": status,
         "findings": ";".join(sorted(v.codes))}
        for c, v, status in zip(claims, verifications, statuses, strict=True)
    )


CLAIM_COLUMNS = ("claim", "claimant", "type", "scheme", "lines", "claimed", "entitled",
                 "approved", "status", "findings")


def claims_verify(args: argparse.Namespace) -> Outcome:
    """``distcrm claims verify CLAIMS --schemes FILE --on DATE [--decide --db DB]``."""
    claims = load_claims(args.claims)
    if args.decide and not args.db:
        raise InputError("--decide: needs --db, the database the decided claims are saved in")
    store = _store(args)
    try:
        schemes = _schemes(args.schemes, store, "--schemes", required=False)
        data = gather(args, store)
        prior = tuple(store.claims.all()) if store else ()
        ids = {c.id for c in claims}
        try:
            verifications = verify_batch(
                claims, schemes=schemes, documents=data.documents, on=_on(args),
                accounts=data.accounts, products=data.products,
                prior_claims=[p for p in prior if p.id not in ids],
            )
        except DistcrmError as exc:
            raise InputError(f"{args.claims}: {exc}") from None
        statuses = [c.status for c in claims]
        if args.decide and store is not None:
            at = datetime.combine(_on(args), time(12))
            statuses = []
            for claim, v in zip(claims, verifications, strict=True):
                existing = store.claims.find(claim.id)
                if existing is not None and existing.status not in ("draft", "submitted"):
                    raise InputError(f"{args.claims}: claim {claim.id!r} is already "
                                     f"{existing.status} in {args.db}")
                version = existing.version if existing is not None else 0
                current = claim if claim.status != "draft" else submit(
                    claim, by=claim.claimant, at=at)
                saved = store.claims.save(current, expected_version=version)
                done = store.claims.save(decide(saved, v.approved_lines, by=args.by, at=at),
                                         expected_version=saved.version)
                statuses.append(done.status)
    finally:
        if store:
            store.close()
    findings = tuple(f for v in verifications for f in v.findings)
    claim_table = Table("Claims", CLAIM_COLUMNS, _claim_rows(claims, verifications, statuses),
                        money=frozenset({"claimed", "entitled", "approved"}),
                        view=("claim", "claimant", "claimed", "approved", "status", "findings"))
    lines: list[dict[str, object]] = []
    for c, v in zip(claims, verifications, strict=True):
        for i, (line, verdict) in enumerate(zip(c.lines, v.lines, strict=True), start=1):
            lines.append({"claim": c.id, "line": i,
                          "document": line.ref.document if line.ref else None,
                          "document_line": line.ref.line if line.ref else None,
                          "sku": line.sku, "claimed": line.amount.amount,
                          "approved": v.approved_lines[i - 1].amount,
                          "findings": ";".join(f.code for f in verdict.findings)})
    line_table = Table("Claim lines", ("claim", "line", "document", "document_line", "sku",
                                       "claimed", "approved", "findings"),
                       tuple(lines), money=frozenset({"claimed", "approved"}))
    ftable = findings_table(findings)
    order = {"claims": [claim_table, ftable], "lines": [line_table],
             "findings": [ftable]}[args.show]
    message = f"decided {_count(len(claims), 'claim')} in {args.db}" if args.decide else ""
    return Outcome(tuple(order), findings, message)


def claims_settle(args: argparse.Namespace) -> Outcome:
    """``distcrm claims settle --db DB --on DATE``: a credit note for every approved claim."""
    store = open_store(args.db)
    try:
        issuer = args.issuer
        if issuer is None:
            roots = [a for a in store.accounts.all() if a.tier in ("principal", "vendor")]
            if len(roots) != 1:
                raise InputError("--issuer: name the account issuing credit notes (the database "
                                 f"holds {len(roots)} principals)")
            issuer = roots[0].id
        rows: list[dict[str, object]] = []
        at = datetime.combine(_on(args), time(9))
        for claim in list(store.claims.all()):
            if claim.status not in ("approved", "partially_approved", "settled"):
                continue
            was = claim.status
            try:
                s = settle_in_store(store, claim.id, issuer=issuer, on=_on(args), by=args.by,
                                    at=at)
            except DistcrmError as exc:
                raise InputError(f"claim {claim.id!r}: {exc}") from None
            rows.append({"claim": claim.id, "claimant": claim.claimant,
                         "credit_note": s.note.id, "treatment": s.treatment,
                         "taxable": s.note.taxable.amount, "tax": s.note.tax.amount,
                         "total": s.note.total.amount,
                         "note": "already settled" if was == "settled" else "settled now"})
    finally:
        store.close()
    return Outcome((Table("Credit notes", ("claim", "claimant", "credit_note", "treatment",
                                           "taxable", "tax", "total", "note"), tuple(rows),
                          money=frozenset({"taxable", "tax", "total"})),))


RECONCILE_COLUMNS = ("debit_note", "distributor", "claim", "status", "claimed", "approved",
                     "rejected", "open", "credited", "credit_notes")


def claims_reconcile(args: argparse.Namespace) -> Outcome:
    """``distcrm claims reconcile --db DB [--debit-notes FILE]``."""
    store = open_store(args.db)
    try:
        debit = list(store.documents.query(kind="debit_note"))
        for path in args.debit_notes or ():
            debit = list(_merge(debit, load_documents(path), "id"))
        credit = list(store.documents.query(kind="credit_note"))
        claims = list(store.claims.all())
    finally:
        store.close()
    try:
        rec = reconcile([d for d in debit if d.kind == "debit_note"], credit, claims)
    except DistcrmError as exc:
        raise InputError(str(exc)) from None
    rows = tuple(
        {"debit_note": m.debit_note, "distributor": m.distributor, "claim": m.claim,
         "status": m.status, "claimed": m.claimed.amount, "approved": m.approved.amount,
         "rejected": m.rejected.amount, "open": m.open.amount, "credited": m.credited.amount,
         "credit_notes": ";".join(m.credit_notes)}
        for m in rec.matches
    )
    money = frozenset({"claimed", "approved", "rejected", "open", "credited"})
    balances = tuple(
        {"distributor": b.distributor, "claimed": b.claimed.amount,
         "approved": b.approved.amount, "rejected": b.rejected.amount, "open": b.open.amount,
         "credited": b.credited.amount}
        for b in rec.balances
    )
    tables = [Table("Debit notes", RECONCILE_COLUMNS, rows,
                    money=money, view=("debit_note", "distributor", "claim", "status", "claimed",
                                       "approved", "rejected", "credited")),
              Table("Balances by distributor", ("distributor", "claimed", "approved",
                                                "rejected", "open", "credited"), balances,
                    money=money)]
    if rec.findings:
        tables.append(findings_table(rec.findings))
    return Outcome(tuple(tables), rec.findings)


# --------------------------------------------------------------------------- price


def _line(text: str) -> tuple[str, int]:
    sku, sep, qty = text.rpartition(":")
    if not sep or not sku or not qty.isdigit() or int(qty) < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not SKU:QTY with a whole QTY >= 1")
    return sku, int(qty)


def price_command(args: argparse.Namespace) -> Outcome:
    """``distcrm price --buyer ID --line SKU:QTY ... --on DATE``."""
    store = _store(args)
    try:
        data = gather(args, store)
        lists: list[PriceList] = list(store.price_lists.all()) if store else []
    finally:
        if store:
            store.close()
    for path in args.price_lists or ():
        lists = list(_merge(lists, load_price_lists(path), "id"))
    if not lists:
        raise InputError("--price-lists: no price list given (and none in the database)")
    accounts = {a.id: a for a in data.accounts}
    buyer = accounts.get(args.buyer)
    if buyer is None:
        raise InputError(f"--buyer: no account {args.buyer!r} (give --accounts or --db)")
    seller = accounts.get(args.seller) if args.seller else None
    if args.seller and seller is None:
        raise InputError(f"--seller: no account {args.seller!r}")
    products: dict[str, Product] = {p.sku: p for p in data.products}
    discounts = (Discount("trade", percent=args.discount),) if args.discount else ()
    lines = [PricingLine(sku, qty, hsn=products[sku].hsn if sku in products else "",
                         discounts=discounts)
             for sku, qty in args.line]
    supply = (Supply(seller.state_code, buyer.state_code)
              if seller is not None and seller.state_code and buyer.state_code else None)
    try:
        order = price_order(
            lines, on=_on(args), tax=GstPolicy(sample_hsn_rates()) if supply else None,
            supply=supply, index=PriceIndex(lists),
            buyer=Buyer(buyer.id, tier=buyer.tier, territory=buyer.territory,
                        channel=buyer.channel),
            products=products,
        )
    except DistcrmError as exc:
        raise InputError(str(exc)) from None
    cent = quantum(order.currency)
    rows = tuple(
        {"sku": b.sku, "qty": b.qty, "unit_price": b.unit_price.amount, "gross": b.gross.amount,
         "discount": b.discount.amount.quantize(cent), "taxable": b.taxable.amount, "tax": b.tax.tax.amount,
         "total": b.total.amount}
        for b in order.lines
    )
    money = frozenset({"unit_price", "gross", "discount", "taxable", "tax", "total"})
    totals = ({"sku": "total", "qty": sum(b.qty for b in order.lines),
               "gross": order.gross.amount, "discount": order.discount.amount.quantize(cent),
               "taxable": order.taxable.amount, "tax": order.tax.amount,
               "total": order.total.amount},)
    note = "" if not args.explain else "\nBreakdown:\n" + "\n".join(
        b.render() for b in order.lines)
    columns = ("sku", "qty", "unit_price", "gross", "discount", "taxable", "tax", "total")
    return Outcome((Table(f"Order of {buyer.id} on {_on(args).isoformat()}", columns, rows,
                          money=money, currency=order.currency),
                    Table("Order total", columns, totals, money=money,
                          currency=order.currency, note=note)))


# --------------------------------------------------------------------------- coverage


def coverage_command(args: argparse.Namespace) -> Outcome:
    """``distcrm coverage --beats FILE --month YYYY-MM [--visits FILE | --db DB]``."""
    beats = load_beats(args.beats)
    month: Period = args.month
    store = _store(args)
    try:
        data = gather(args, store)
        visits = tuple(store.visits.query(start=month.validity.start,
                                          end=month.validity.end)) if store else ()
        history = tuple(store.visits.all()) if store else ()
    finally:
        if store:
            store.close()
    for path in args.visits or ():
        extra = load_visits(path)
        visits = tuple(_merge(visits, (v for v in extra if month.validity.contains(
            v.visited_on)), "id"))
        history = tuple(_merge(history, extra, "id"))
    try:
        plan = journey_plan(beats, month, WorkCalendar(), classes={str(k): v for k, v in classes_of(data.accounts).items()},
                            default=None)
    except DistcrmError as exc:
        raise InputError(f"{args.beats}: {exc}") from None
    report = coverage(plan, visits)
    kpis = field_kpis(visits, data.documents, month, plan=plan)
    end = month.validity.end
    assert end is not None
    alerts = unvisited_accounts(data.accounts, history, end - timedelta(days=1))
    rows = []
    for rep in sorted(set(report.by_rep) | set(kpis.by_rep)):
        c = report.by_rep.get(rep)
        k = kpis.by_rep.get(rep)
        rows.append({"rep": rep, "planned": c.planned if c else 0,
                     "covered": c.covered if c else 0,
                     "compliance": c.compliance if c else None,
                     "calls": k.total_calls if k else 0,
                     "productive": k.productive_calls if k else 0,
                     "strike_rate": k.strike_rate if k else None,
                     "lines_per_call": k.lines_per_call if k else None,
                     "drop_size": k.drop_size.amount if k and k.drop_size else None})
    beats_rows = tuple(
        {"beat": b, "planned": r.planned, "covered": r.covered, "missed": r.missed,
         "compliance": r.compliance}
        for b, r in sorted(report.by_beat.items())
    )
    findings = tuple(plan.findings) + tuple(kpis.findings) + tuple(alerts)
    cols = ("rep", "planned", "covered", "compliance", "calls", "productive", "strike_rate",
            "lines_per_call", "drop_size")
    tables = [Table(f"Coverage and KPIs by rep, {month.label}", cols, tuple(rows),
                    money=frozenset({"drop_size"})),
              Table("Coverage by beat", ("beat", "planned", "covered", "missed", "compliance"),
                    beats_rows)]
    if findings:
        tables.append(findings_table(findings, "Alerts and findings"))
    return Outcome(tuple(tables), findings)


