"""Writing command results as an aligned table, CSV or JSON.

A command's result is a sequence of :class:`Table` values: titled rows of
plain values (``str``, ``int``, ``bool``, ``Decimal``, ``date``, ``None``).
``--format table`` prints every table, amounts in rupees with Indian digit
grouping; ``csv`` and ``json`` write the first (main) table with every
column, amounts as exact decimal strings.

Examples:
    >>> import io
    >>> from decimal import Decimal
    >>> t = Table("Claims", ("claim", "approved"), ({"claim": "CL-1", "approved": Decimal("144000")},),
    ...           money=frozenset({"approved"}))
    >>> out = io.StringIO()
    >>> write_tables([t], "table", out)
    >>> print(out.getvalue().rstrip())
    Claims
    ------
    claim      approved
    -----  ------------
    CL-1   ₹1,44,000.00
    >>> out = io.StringIO()
    >>> write_tables([t], "json", out)
    >>> print(out.getvalue().rstrip())
    [
      {
        "claim": "CL-1",
        "approved": "144000"
      }
    ]
"""

from __future__ import annotations

import csv
import json
from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import TextIO

import attrs

from distcrm._table import render_table
from distcrm.money import Money, format_money

__all__ = ["FORMATS", "Table", "plain", "write_tables"]

FORMATS = ("table", "csv", "json")
"""The values of ``--format``."""


@attrs.frozen
class Table:
    """Titled rows.

    Attributes:
        title: shown above the table in ``table`` format.
        columns: every column, in order (CSV and JSON write them all).
        rows: one mapping per row.
        money: columns holding amounts (shown as rupees in ``table`` format).
        view: the columns shown in ``table`` format (default: every column).
        currency: the currency of the money columns.
        note: a line printed under the table in ``table`` format.
    """

    title: str
    columns: tuple[str, ...]
    rows: tuple[Mapping[str, object], ...]
    money: frozenset[str] = frozenset()
    view: tuple[str, ...] | None = None
    currency: str = "INR"
    note: str = ""


def plain(value: object) -> object:
    """A JSON-ready value: decimals as strings, dates ISO, money as its amount string."""
    if isinstance(value, Money):
        return str(value.amount)
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple | frozenset | set):
        return [plain(v) for v in value]
    return value


def _cell(table: Table, column: str, value: object) -> object:
    if value is None:
        return None
    if column in table.money and isinstance(value, Decimal | int):
        return format_money(Money(Decimal(value), table.currency), locale="en_IN")
    if isinstance(value, Money):
        return format_money(value, locale="en_IN")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, list | tuple | frozenset):
        return ", ".join(str(v) for v in value)
    return value


def _csv_cell(value: object) -> object:
    if isinstance(value, bool):
        return "true" if value else "false"
    v = plain(value)
    if isinstance(v, list):
        return ";".join(str(x) for x in v)
    return "" if v is None else v


def write_tables(tables: Sequence[Table], fmt: str, stream: TextIO) -> None:
    """Write ``tables`` to ``stream`` in ``fmt`` (see the module docs)."""
    if fmt == "json":
        main = tables[0] if tables else Table("", (), ())
        rows = [{c: plain(r.get(c)) for c in main.columns} for r in main.rows]
        stream.write(json.dumps(rows, indent=2, ensure_ascii=False) + "\n")
        return
    if fmt == "csv":
        main = tables[0] if tables else Table("", (), ())
        writer = csv.writer(stream, lineterminator="\n")
        writer.writerow(main.columns)
        for r in main.rows:
            writer.writerow([_csv_cell(r.get(c)) for c in main.columns])
        return
    blocks: list[str] = []
    for t in tables:
        cols = t.view or t.columns
        body = [[_cell(t, c, r.get(c)) for c in cols] for r in t.rows]
        text = render_table(cols, body, locale="en_IN") if t.rows else "(none)"
        block = f"{t.title}\n{'-' * len(t.title)}\n{text}" if t.title else text
        if t.note:
            block += f"\n{t.note}"
        blocks.append(block)
    stream.write("\n\n".join(blocks) + "\n")
