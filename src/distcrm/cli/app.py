"""The ``distcrm`` argument parser and :func:`main`.

Exit codes: 0 success; 1 findings that need attention (severity warning or
error) when ``--fail-on-findings`` is given; 2 bad arguments or bad input,
with ``error: <message>`` naming the file and the place in it.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TextIO

from distcrm import __version__
from distcrm.cli import commands
from distcrm.cli.demo import DEFAULT_DB, run_demo
from distcrm.cli.inputs import InputError
from distcrm.cli.output import FORMATS, write_tables
from distcrm.cli.summary import DEFAULT_START, demo_config
from distcrm.csvimport import IMPORTERS
from distcrm.errors import DistcrmError
from distcrm.periods import Period
from distcrm.schemes import DIMENSIONS
from distcrm.testing.sample import generate

__all__ = ["build_parser", "main"]


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


def _month(value: str) -> Period:
    try:
        return Period.containing(date.fromisoformat(f"{value}-01"), "month")
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a month like 2025-06") from None


def _percent(value: str) -> Decimal:
    try:
        d = Decimal(value)
    except InvalidOperation:
        raise argparse.ArgumentTypeError(f"{value!r} is not a number") from None
    if not 0 <= d <= 100:
        raise argparse.ArgumentTypeError(f"must be between 0 and 100, got {value}")
    return d


def _add_data(p: argparse.ArgumentParser, *, documents: bool = True) -> None:
    g = p.add_argument_group("data (the database, and files adding to it)")
    g.add_argument("--db", metavar="FILE", help="a distcrm SQLite database")
    g.add_argument("--accounts", action="append", metavar="FILE",
                   help="accounts, CSV or JSON (repeatable)")
    g.add_argument("--products", action="append", metavar="FILE",
                   help="products, CSV or JSON (repeatable)")
    if documents:
        g.add_argument("--documents", action="append", metavar="FILE",
                       help="documents, CSV (one line per row) or JSON (repeatable)")


def _add_output(p: argparse.ArgumentParser, *, findings: bool = True) -> None:
    g = p.add_argument_group("output")
    g.add_argument("--format", choices=FORMATS, default="table",
                   help="table (default; every table, amounts in INR), csv or json (the main "
                   "table, every column, exact amounts)")
    g.add_argument("--output", metavar="FILE", help="write to FILE instead of standard output")
    if findings:
        g.add_argument("--fail-on-findings", action="store_true",
                       help="exit with status 1 when there are findings of severity warning "
                       "or error")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``distcrm`` command."""
    parser = argparse.ArgumentParser(
        prog="distcrm",
        description="Distribution CRM as a library: channel hierarchies, tier pricing, trade "
        "schemes, claims, sell-through and beats.",
        epilog="Exit codes: 0 ok, 1 findings (with --fail-on-findings), 2 bad input.",
    )
    parser.add_argument("--version", action="version", version=f"distcrm {__version__}")
    commands_ = parser.add_subparsers(dest="command", metavar="COMMAND")

    demo = commands_.add_parser(
        "demo", help="generate a sample network into SQLite and run a month through it",
        description="Generate a deterministic sample distribution network into a SQLite "
        "file (replaced on every run), print a summary, then run its last month through "
        "every capability: prices, schemes, claims, sell-through, coverage and alerts.",
    )
    demo.add_argument("--db", default=DEFAULT_DB, metavar="FILE",
                      help=f"the database to write (default {DEFAULT_DB} in the current "
                      "directory; replaced if it exists)")
    demo.add_argument("--outlets", type=_positive, default=None, metavar="N",
                      help="retail outlets (default 220; rounded to whole distributors of 20)")
    demo.add_argument("--months", type=_positive, default=3, metavar="M",
                      help="months of sales (default 3); the last one is run in detail")
    demo.add_argument("--start", type=_date, default=DEFAULT_START, metavar="DATE",
                      help="first day of sales (default 2025-04-01)")
    demo.add_argument("--seed", type=int, default=7, metavar="S",
                      help="random seed; the same seed gives the same network (default 7)")
    demo.add_argument("--lines", type=_non_negative, default=None, metavar="L",
                      help="secondary invoice lines (default about 25 per outlet a quarter)")
    demo.add_argument("--dealers", type=_non_negative, default=0, metavar="K",
                      help="dealers per distributor, serving K of every K + 1 of its outlets "
                      "(default 0)")
    demo.add_argument("--progress", action="store_true",
                      help="draw progress bars on stderr even when it is not a terminal")

    imp = commands_.add_parser(
        "import", help="import a CSV file into the database, with per-row errors",
        description="Import accounts, products, price lists or documents from CSV. Every "
        "row error is printed (row, column, problem); a file with errors is not imported "
        "unless --skip-bad-rows is given.",
    )
    imp.add_argument("kind", choices=sorted(IMPORTERS), metavar="KIND",
                     help="accounts, products, price-lists or documents")
    imp.add_argument("file", metavar="FILE", help="the CSV file")
    imp.add_argument("--db", required=True, metavar="FILE",
                     help="the database (created if missing)")
    imp.add_argument("--skip-bad-rows", action="store_true",
                     help="import the good rows of a file with errors")

    schemes = commands_.add_parser("schemes", help="evaluate schemes, compare variants",
                                   description="Trade schemes from JSON or TOML definitions.")
    sc = schemes.add_subparsers(dest="action", metavar="ACTION", required=True)
    ev = sc.add_parser("evaluate", help="entitlements, near misses or free goods",
                       description="Evaluate scheme definitions over the documents.")
    ev.add_argument("schemes", metavar="SCHEMES", nargs="?",
                    help="scheme definitions, JSON or TOML (default: the database's)")
    ev.add_argument("--on", type=_date, required=True, metavar="DATE",
                    help="the evaluation date")
    ev.add_argument("--show", choices=("entitlements", "near-misses", "free-goods"),
                    default="entitlements", help="what to list (default entitlements)")
    _add_data(ev)
    _add_output(ev)
    wi = sc.add_parser("whatif", help="compare scheme variants over the same history",
                       description="Evaluate each variant (a scheme file; the first is the "
                       "baseline) over the same documents and total the cost by dimension.")
    wi.add_argument("variants", nargs="+", metavar="SCHEMES",
                    help="scheme files, each a variant named after the file")
    wi.add_argument("--on", type=_date, required=True, metavar="DATE",
                    help="the evaluation date")
    wi.add_argument("--by", default="scheme", metavar="DIMS",
                    help=f"comma-separated dimensions ({', '.join(DIMENSIONS)}; default scheme)")
    _add_data(wi)
    _add_output(wi, findings=False)

    claims = commands_.add_parser("claims", help="verify, settle and reconcile claims",
                                  description="Distributor claims.")
    cc = claims.add_subparsers(dest="action", metavar="ACTION", required=True)
    cv = cc.add_parser("verify", help="verify claims against documents and schemes",
                       description="Verify claims (JSON or TOML) in one batch; with --decide, "
                       "save them in the database with the approved amounts.")
    cv.add_argument("claims", metavar="CLAIMS", help="claims, JSON or TOML")
    cv.add_argument("--schemes", metavar="FILE",
                    help="scheme definitions, JSON or TOML (default: the database's)")
    cv.add_argument("--on", type=_date, required=True, metavar="DATE",
                    help="the verification date")
    cv.add_argument("--show", choices=("claims", "lines", "findings"), default="claims",
                    help="the main table (default claims)")
    cv.add_argument("--decide", action="store_true",
                    help="save the claims in --db, decided with the approved amounts")
    cv.add_argument("--by", default="cli", metavar="WHO", help="who decides (default cli)")
    _add_data(cv)
    _add_output(cv)
    cs = cc.add_parser("settle", help="issue a credit note for every approved claim",
                       description="Settle every approved or partially approved claim in the "
                       "database exactly once; each credit note is saved as a document.")
    cs.add_argument("--db", required=True, metavar="FILE", help="the database")
    cs.add_argument("--on", type=_date, required=True, metavar="DATE",
                    help="the credit notes' date")
    cs.add_argument("--issuer", metavar="ID",
                    help="the account issuing credit notes (default: the principal)")
    cs.add_argument("--by", default="cli", metavar="WHO", help="who settles (default cli)")
    _add_output(cs, findings=False)
    cr = cc.add_parser("reconcile", help="match debit notes to claims and credit notes",
                       description="Match the distributors' debit notes (in the database and "
                       "the files given) to claims and credit notes.")
    cr.add_argument("--db", required=True, metavar="FILE", help="the database")
    cr.add_argument("--debit-notes", action="append", metavar="FILE",
                    help="debit notes, CSV or JSON (repeatable)")
    _add_output(cr)

    pr = commands_.add_parser("price", help="price an order with breakdown and GST",
                              description="Price order lines from price lists, with "
                              "discounts and GST (from the seller's and buyer's states).")
    pr.add_argument("--buyer", required=True, metavar="ID", help="the buying account")
    pr.add_argument("--seller", metavar="ID", help="the selling account (for GST)")
    pr.add_argument("--line", type=commands._line, action="append", required=True,
                    metavar="SKU:QTY", help="an order line (repeatable)")
    pr.add_argument("--on", type=_date, required=True, metavar="DATE", help="the pricing date")
    pr.add_argument("--discount", type=_percent, metavar="PCT",
                    help="a trade discount in percent on every line")
    pr.add_argument("--price-lists", action="append", metavar="FILE",
                    help="price lists, CSV or JSON (repeatable; default: the database's)")
    pr.add_argument("--explain", action="store_true",
                    help="print each line's breakdown under the table")
    _add_data(pr, documents=False)
    _add_output(pr, findings=False)

    cov = commands_.add_parser("coverage", help="journey-plan coverage, field KPIs, alerts",
                               description="Plan visits from beats for a month, compare with "
                               "actual visits, compute field KPIs and the 30-day high-value "
                               "distributor alert.")
    cov.add_argument("--beats", required=True, metavar="FILE", help="beats, JSON or TOML")
    cov.add_argument("--month", type=_month, required=True, metavar="YYYY-MM",
                     help="the month")
    cov.add_argument("--visits", action="append", metavar="FILE",
                     help="visits, JSON or TOML (repeatable; adds to the database's)")
    _add_data(cov)
    _add_output(cov)
    return parser


def _write(text: str, stream: TextIO) -> None:
    encoding = getattr(stream, "encoding", None) or "utf-8"
    try:
        text.encode(encoding)
    except UnicodeEncodeError:
        text = text.replace("₹", "Rs ").encode(encoding, errors="replace").decode(encoding)
    stream.write(text + "\n")


def _demo(args: argparse.Namespace) -> int:
    try:
        config = demo_config(args.outlets, args.months, args.seed, args.lines, args.start,
                             args.dealers)
    except DistcrmError as exc:
        sys.stderr.write(f"distcrm demo: error: {exc}\n")
        return 2
    progress = args.progress or sys.stderr.isatty()
    _write(run_demo(generate(config), args.db, stream=sys.stderr, progress=progress),
           sys.stdout)
    return 0


_HANDLERS: dict[tuple[str, str | None], Callable[[argparse.Namespace], commands.Outcome]] = {
    ("schemes", "evaluate"): commands.schemes_evaluate,
    ("schemes", "whatif"): commands.schemes_whatif,
    ("claims", "verify"): commands.claims_verify,
    ("claims", "settle"): commands.claims_settle,
    ("claims", "reconcile"): commands.claims_reconcile,
    ("price", None): commands.price_command,
    ("coverage", None): commands.coverage_command,
}


def _run(args: argparse.Namespace) -> int:
    if args.command == "import":
        outcome = commands.import_command(args, sys.stderr)
    else:
        outcome = _HANDLERS[(args.command, getattr(args, "action", None))](args)
    if outcome.tables:
        if args.output:
            with Path(args.output).open("w", encoding="utf-8", newline="") as out:
                write_tables(outcome.tables, args.format, out)
        elif args.format == "table":
            import io

            buf = io.StringIO()
            write_tables(outcome.tables, args.format, buf)
            _write(buf.getvalue().rstrip("\n"), sys.stdout)
        else:
            write_tables(outcome.tables, args.format, sys.stdout)
    if outcome.message:
        # results go to stdout unless it carries CSV or JSON
        quiet = args.format != "table" and not args.output if outcome.tables else False
        (sys.stderr if quiet else sys.stdout).write(outcome.message + "\n")
    attention = [f for f in outcome.findings if f.severity in commands.ATTENTION]
    if getattr(args, "fail_on_findings", False) and attention:
        sys.stderr.write(f"{len(attention)} finding{'s' if len(attention) != 1 else ''} "
                         f"need{'s' if len(attention) == 1 else ''} attention\n")
        return 1
    return 0


def main(argv: list[str] | None = None) -> int:
    """Run the ``distcrm`` command; returns the exit code (0 ok, 1 findings, 2 bad input)."""
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
        return _demo(args)
    try:
        return _run(args)
    except (InputError, DistcrmError) as exc:
        for line in str(exc).splitlines() or [type(exc).__name__]:
            sys.stderr.write(f"error: {line}\n")
        return 2
    except OSError as exc:
        sys.stderr.write(f"error: {exc.filename or ''}: {exc.strerror or exc}\n")
        return 2


