"""The ``distcrm`` command.

``distcrm demo`` generates a sample distribution network with
:mod:`distcrm.testing.sample` and prints a readable summary: accounts by tier,
the catalog, primary and secondary sales by month in INR with Indian digit
grouping, the top distributors and the returns. Each part of the summary is a
*section*, a function from the sample to a titled block of text, listed in
:data:`DEMO_SECTIONS`; capabilities add their own sections there.

Exit codes: 0 success, 2 bad arguments.

Examples:
    >>> main(["--version"])  # doctest: +ELLIPSIS
    distcrm ...
    0
    >>> main(["demo", "--outlets", "0"])
    2
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from datetime import date
from decimal import Decimal
from typing import TextIO

import attrs

from distcrm import __version__
from distcrm._table import render_table
from distcrm.errors import DistcrmError
from distcrm.money import Money, format_money
from distcrm.testing.sample import SampleConfig, SampleData, generate

__all__ = [
    "DEMO_SECTIONS",
    "LINES_PER_OUTLET_QUARTER",
    "DemoSection",
    "Section",
    "build_parser",
    "catalog_section",
    "demo_config",
    "main",
    "network_section",
    "render_demo",
    "returns_section",
    "sales_section",
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


def _inr(amount: Decimal) -> str:
    return format_money(Money(amount, CURRENCY), locale=LOCALE)


def _table(
    headers: Sequence[str],
    rows: Sequence[Sequence[object]],
    footer: Sequence[object] | None = None,
) -> str:
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
        _table(["Tier", "Accounts"], rows, footer=["total", len(data.accounts)]),
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
        _table(["Category", "SKUs"], rows),
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
        rows.append([key, counts[key][0], _inr(p), counts[key][1], _inr(s)])
        totals[0] += p
        totals[1] += s
        total_counts[0] += counts[key][0]
        total_counts[1] += counts[key][1]
    table = _table(
        ["Month", "Primary invoices", "Primary sales", "Secondary invoices", "Secondary sales"],
        rows,
        footer=["total", total_counts[0], _inr(totals[0]), total_counts[1], _inr(totals[1])],
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
                     outlets.get(did, 0), _inr(amount), share])
    table = _table(
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
                     _inr(sum((d.taxable.amount for d in docs), Decimal(0)))])
    reasons: dict[str, int] = {}
    for d in data.returns():
        reasons[d.reason or "unstated"] = reasons.get(d.reason or "unstated", 0) + 1
    why = ", ".join(f"{r} {n}" for r, n in sorted(reasons.items(), key=lambda kv: (-kv[1], kv[0])))
    body = _table(["Level", "Returns", "Lines", "Units", "Value"], rows)
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
    parts = [head, "=" * len(head)]
    for section in sections:
        block = section(data)
        parts.extend(["", block.title, "-" * len(block.title), block.body])
    return "\n".join(parts)


def _positive(value: str) -> int:
    try:
        n = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number") from None
    if n < 1:
        raise argparse.ArgumentTypeError(f"must be >= 1, got {n}")
    return n


def _non_negative(value: str) -> int:
    try:
        n = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number") from None
    if n < 0:
        raise argparse.ArgumentTypeError(f"must be >= 0, got {n}")
    return n


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date like 2025-04-01") from None


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``distcrm`` command."""
    parser = argparse.ArgumentParser(
        prog="distcrm",
        description="Distribution CRM as a library: channel hierarchies, tier pricing, trade "
        "schemes, claims, sell-through and beats.",
    )
    parser.add_argument("--version", action="version", version=f"distcrm {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    demo = commands.add_parser(
        "demo", help="generate a sample network and print a summary",
        description="Generate a deterministic sample distribution network with months of "
        "primary and secondary sales, and print a summary.",
    )
    demo.add_argument("--outlets", type=_positive, default=None, metavar="N",
                      help="retail outlets (default 220; rounded to whole distributors of 20)")
    demo.add_argument("--months", type=_positive, default=3, metavar="M",
                      help="months of sales (default 3)")
    demo.add_argument("--start", type=_date, default=DEFAULT_START, metavar="DATE",
                      help="first day of sales (default 2025-04-01)")
    demo.add_argument("--seed", type=int, default=7, metavar="S",
                      help="random seed; the same seed gives the same network (default 7)")
    demo.add_argument("--lines", type=_non_negative, default=None, metavar="L",
                      help="secondary invoice lines (default about 25 per outlet a quarter)")
    demo.add_argument("--dealers", type=_non_negative, default=0, metavar="K",
                      help="dealers per distributor, serving K of every K + 1 of its outlets "
                      "(default 0)")
    return parser


def _write(text: str, stream: TextIO) -> None:
    encoding = getattr(stream, "encoding", None) or "utf-8"
    try:
        text.encode(encoding)
    except UnicodeEncodeError:
        text = text.replace("₹", "Rs ").encode(encoding, errors="replace").decode(encoding)
    stream.write(text + "\n")


def main(argv: list[str] | None = None) -> int:
    """Run the ``distcrm`` command; returns the exit code (0 ok, 2 bad arguments)."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:
        return exit_.code if isinstance(exit_.code, int) else 2
    if args.command is None:
        parser.print_usage(sys.stderr)
        sys.stderr.write("distcrm: error: choose a command (see distcrm --help)\n")
        return 2
    if args.command == "demo":
        try:
            config = demo_config(args.outlets, args.months, args.seed, args.lines, args.start,
                                 args.dealers)
        except DistcrmError as exc:
            sys.stderr.write(f"distcrm demo: error: {exc}\n")
            return 2
        _write(render_demo(generate(config)), sys.stdout)
    return 0
