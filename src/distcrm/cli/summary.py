"""The sample summary of ``distcrm demo``: network, catalog, sales, distributors, returns.

Each part of the summary is a *section*, a function from the sample to a titled
block of text, listed in :data:`DEMO_SECTIONS`.

Examples:
    >>> c = demo_config(40, months=1)
    >>> c.retailer_count, c.distributor_count
    (40, 2)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date
from decimal import Decimal

import attrs

from distcrm import __version__
from distcrm._table import render_table
from distcrm.money import Money, format_money
from distcrm.testing.sample import SampleConfig, SampleData

__all__ = [
    "CURRENCY",
    "DEFAULT_START",
    "DEMO_SECTIONS",
    "LINES_PER_OUTLET_QUARTER",
    "LOCALE",
    "DemoSection",
    "Section",
    "catalog_section",
    "demo_config",
    "inr",
    "network_section",
    "render_demo",
    "render_sections",
    "returns_section",
    "sales_section",
    "text_table",
    "top_distributors_section",
]

DEFAULT_START = date(2025, 4, 1)
LOCALE = "en_IN"
CURRENCY = "INR"
LINES_PER_OUTLET_QUARTER = 25
"""Default secondary lines per outlet and quarter (three months) in the demo."""


@attrs.frozen
class Section:
    """A titled block of the demo's output."""

    title: str
    body: str


DemoSection = Callable[[SampleData], Section]
"""A demo section: renders one part of the summary from the sample."""


def inr(amount: Decimal) -> str:
    """``amount`` in rupees with Indian digit grouping: ``₹1,00,000.00``."""
    return format_money(Money(amount, CURRENCY), locale=LOCALE)


def text_table(
    headers: Sequence[str],
    rows: Sequence[Sequence[object]],
    footer: Sequence[object] | None = None,
) -> str:
    """An aligned table with Indian digit grouping of whole numbers."""
    return render_table(headers, rows, locale=LOCALE, footer=footer)


def network_section(data: SampleData) -> Section:
    """Accounts by tier, links and territories."""
    rows: list[list[object]] = [[t, len(data.by_tier(t))] for t in data.tier_rules.names]
    levels: dict[str, int] = {}
    for _, _, level in data.territories:
        levels[level] = levels.get(level, 0) + 1
    territory = ", ".join(f"{n} {level}s" for level, n in levels.items())
    classes = {"A": 0, "B": 0, "C": 0}
    for r in data.retailers:
        if r.account_class is not None:
            classes[r.account_class] += 1
    body = "\n".join([
        text_table(["Tier", "Accounts"], rows, footer=["total", len(data.accounts)]),
        "",
        f"Retailer classes: A {classes['A']:,}, B {classes['B']:,}, C {classes['C']:,}",
        f"Territories: {territory}",
        f"Sales reps: {len(data.reps):,} on {len(data.beats):,} beats, "
        f"{len(data.visits):,} visits "
        f"({sum(1 for v in data.visits if v.productive):,} productive)",
    ])
    return Section("Network", body)


def catalog_section(data: SampleData) -> Section:
    """SKUs, brands and categories."""
    categories: dict[tuple[str, ...], int] = {}
    for p in data.products:
        categories[p.category] = categories.get(p.category, 0) + 1
    roots = sorted({c[0] for c in categories})
    brands = sorted({p.brand for p in data.products})
    rows = [["/".join(c), n] for c, n in sorted(categories.items())]
    body = "\n".join([
        f"{len(data.products)} SKUs, {len(brands)} brands ({', '.join(brands)}), "
        f"{len(categories)} categories under {len(roots)} roots",
        "",
        text_table(["Category", "SKUs"], rows),
    ])
    return Section("Catalog", body)


def sales_section(data: SampleData) -> Section:
    """Primary (to distributors) and secondary (to retailers) invoices by month, net of GST."""
    tiers = {a.id: a.tier for a in data.accounts}
    months: dict[str, list[Decimal]] = {}
    counts: dict[str, list[int]] = {}
    for doc in data.documents:
        if doc.kind != "invoice":
            continue
        wanted = "distributor" if doc.level == "primary" else "retailer"
        if tiers[doc.buyer] != wanted:
            continue
        key = doc.issued_on.strftime("%Y-%m")
        col = 0 if doc.level == "primary" else 1
        months.setdefault(key, [Decimal(0), Decimal(0)])[col] += doc.taxable.amount
        counts.setdefault(key, [0, 0])[col] += 1
    rows: list[list[object]] = []
    totals = [Decimal(0), Decimal(0)]
    total_counts = [0, 0]
    for key in sorted(months):
        p, s = months[key]
        rows.append([key, counts[key][0], inr(p), counts[key][1], inr(s)])
        totals[0] += p
        totals[1] += s
        total_counts[0] += counts[key][0]
        total_counts[1] += counts[key][1]
    table = text_table(
        ["Month", "Primary invoices", "Primary sales", "Secondary invoices", "Secondary sales"],
        rows,
        footer=["total", total_counts[0], inr(totals[0]), total_counts[1], inr(totals[1])],
    )
    note = ("Net of GST. Primary: super-stockist or principal to distributor; "
            "secondary: distributor or dealer to retailer.")
    return Section("Sales by month", f"{table}\n\n{note}")


def top_distributors_section(data: SampleData, top: int = 5) -> Section:
    """The distributors whose networks (own and dealers' outlets) sell the most to retailers.

    Secondary sales are net of GST and of returns.
    """
    tiers: dict[str, str] = {a.id: a.tier for a in data.accounts}

    def network_of(seller: str) -> str:
        return seller if tiers[seller] == "distributor" else data.parent_of(seller) or seller

    sales: dict[str, Decimal] = {}
    outlets: dict[str, int] = {}
    for retailer in data.retailers:
        parent = data.parent_of(retailer.id)
        if parent is not None:
            outlets[network_of(parent)] = outlets.get(network_of(parent), 0) + 1
    for doc in data.secondary():
        if tiers[doc.buyer] == "retailer":
            did = network_of(doc.seller)
            sales[did] = sales.get(did, Decimal(0)) + doc.sign * doc.taxable.amount
    total = sum(sales.values(), Decimal(0))
    ranked = sorted(sales.items(), key=lambda kv: (-kv[1], kv[0]))[:top]
    rows: list[list[object]] = []
    for rank, (did, amount) in enumerate(ranked, start=1):
        acct = data.account(did)
        share = f"{(amount * 100 / total).quantize(Decimal('0.1'))}%" if total else ""
        rows.append([rank, did, acct.name, acct.account_class, data.parent_of(did),
                     outlets.get(did, 0), inr(amount), share])
    table = text_table(
        ["#", "Distributor", "Name", "Class", "Parent", "Outlets", "Secondary sales", "Share"],
        rows,
    )
    return Section(f"Top {top} distributors by secondary sales", table)


def returns_section(data: SampleData) -> Section:
    """Returns by level: count, lines, units and value."""
    rows: list[list[object]] = []
    for level in ("primary", "secondary"):
        docs = [d for d in data.returns() if d.level == level]
        rows.append([level, len(docs), sum(len(d.lines) for d in docs),
                     sum(d.total_qty for d in docs),
                     inr(sum((d.taxable.amount for d in docs), Decimal(0)))])
    reasons: dict[str, int] = {}
    for d in data.returns():
        reasons[d.reason or "unstated"] = reasons.get(d.reason or "unstated", 0) + 1
    why = ", ".join(f"{r} {n}" for r, n in sorted(reasons.items(), key=lambda kv: (-kv[1], kv[0])))
    body = text_table(["Level", "Returns", "Lines", "Units", "Value"], rows)
    if why:
        body += f"\n\nReasons: {why}"
    return Section("Returns", body)


DEMO_SECTIONS: tuple[DemoSection, ...] = (
    network_section,
    catalog_section,
    sales_section,
    top_distributors_section,
    returns_section,
)
"""The sections ``distcrm demo`` prints, in order."""


def demo_config(
    outlets: int | None = None,
    months: int = 3,
    seed: int = 7,
    lines: int | None = None,
    start: date = DEFAULT_START,
    dealers: int = 0,
) -> SampleConfig:
    """The sample configuration for ``distcrm demo``.

    About 20 outlets per distributor and 5 distributors per super-stockist
    (one more directly under the principal); the outlet count is rounded to a
    whole number of distributors.

    Examples:
        >>> c = demo_config(1000)
        >>> c.retailer_count, c.super_stockists, c.distributor_count, c.secondary_lines
        (1000, 9, 50, 25000)
    """
    if outlets is None:
        outlets = 220
    per = min(20, outlets)
    distributors = max(1, round(outlets / per))
    stockists = max(0, min(16, round(distributors / 5.5)))
    per_stockist = (distributors - 1) // stockists if stockists else 0
    direct = distributors - stockists * per_stockist
    if lines is None:
        # outlets × months × 25 / 3, rounded to the nearest line
        lines = (distributors * per * months * LINES_PER_OUTLET_QUARTER + 1) // 3
    return SampleConfig(
        seed=seed, start=start, months=months, super_stockists=stockists,
        distributors_per_super_stockist=per_stockist, direct_distributors=direct,
        retailers_per_distributor=per, secondary_lines=lines, dealers_per_distributor=dealers,
    )


def render_demo(data: SampleData, sections: Sequence[DemoSection] = DEMO_SECTIONS) -> str:
    """The demo's full text for ``data``."""
    cfg = data.config
    head = (f"distcrm {__version__} demo: sample network, seed {cfg.seed}, "
            f"{cfg.months} month{'s' if cfg.months != 1 else ''} from {cfg.start.isoformat()}")
    return "\n".join([head, "=" * len(head), render_sections(section(data) for section in sections)])


def render_sections(sections: Iterable[Section]) -> str:
    """Sections as titled, underlined blocks, each preceded by a blank line."""
    parts: list[str] = []
    for block in sections:
        parts.extend(["", block.title, "-" * len(block.title), block.body])
    return "\n".join(parts)
