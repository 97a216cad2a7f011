"""Writing results: CSV and JSON keep every value exact; tables show every row."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from distcrm.cli.output import Table, plain, write_tables
from distcrm.cli.progress import ProgressBar

amounts = st.decimals(min_value=Decimal("-1e9"), max_value=Decimal("1e9"), places=2,
                      allow_nan=False, allow_infinity=False)
texts = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=12)
rows = st.lists(
    st.fixed_dictionaries({"name": texts, "amount": amounts,
                           "day": st.dates(date(2000, 1, 1), date(2099, 12, 31)),
                           "count": st.integers(-10**6, 10**6),
                           "note": st.none() | texts}),
    max_size=8,
)
COLUMNS = ("name", "amount", "day", "count", "note")


@settings(max_examples=100, deadline=None)
@given(rows)
def test_csv_and_json_round_trip_exactly(data: list[dict[str, object]]) -> None:
    table = Table("T", COLUMNS, tuple(data), money=frozenset({"amount"}))
    out = io.StringIO()
    write_tables([table], "json", out)
    assert json.loads(out.getvalue()) == [{c: plain(r[c]) for c in COLUMNS} for r in data]
    out = io.StringIO()
    write_tables([table], "csv", out)
    back = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert len(back) == len(data)
    for got, row in zip(back, data, strict=True):
        assert Decimal(got["amount"]) == row["amount"]
        assert date.fromisoformat(got["day"]) == row["day"]
        assert int(got["count"]) == row["count"]
        assert got["name"] == row["name"]
        assert got["note"] == (row["note"] or "")


@settings(max_examples=50, deadline=None)
@given(rows)
def test_the_table_format_shows_every_row_in_rupees(data: list[dict[str, object]]) -> None:
    clean = [dict(r, name="x", note=None) for r in data]
    table = Table("Title", COLUMNS, tuple(clean), money=frozenset({"amount"}))
    out = io.StringIO()
    write_tables([table], "table", out)
    lines = out.getvalue().splitlines()
    assert lines[:2] == ["Title", "-----"]
    body = lines[4:] if clean else lines[2:]
    assert len(body) == max(1, len(clean))  # "(none)" for an empty table
    for line, row in zip(body, clean, strict=False):
        assert "₹" in line and row["day"].isoformat() in line  # type: ignore[attr-defined]


def test_a_table_in_rupees_groups_indian_digits() -> None:
    table = Table("", ("amount",), ({"amount": Decimal("12345678.5")},),
                  money=frozenset({"amount"}))
    out = io.StringIO()
    write_tables([table], "table", out)
    assert out.getvalue().splitlines()[-1].strip() == "₹1,23,45,678.50"


def test_progress_bar_without_a_total_draws_full_and_counts() -> None:
    out = io.StringIO()
    bar = ProgressBar("load", 0, out, width=4)
    bar.update(3)
    bar.finish()
    assert out.getvalue() == "\rload       [####]     3/0\n"


def test_progress_bar_finish_completes_the_bar() -> None:
    out = io.StringIO()
    bar = ProgressBar("load", 10, out, width=5)
    bar.update(4)
    bar.finish()
    draws = out.getvalue().split("\r")[1:]
    # 4 of 10 fills 5 * 4 // 10 = 2 cells; finishing draws the full bar once and ends the line
    assert draws == ["load       [##...]      4/10", "load       [#####]     10/10\n"]
