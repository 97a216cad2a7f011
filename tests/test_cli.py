"""The ``distcrm`` command: help, version, the demo and argument errors."""

from __future__ import annotations

import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

import distcrm
from distcrm._table import render_table
from distcrm.cli import DEMO_SECTIONS, Section, demo_config, main, render_demo
from distcrm.testing.sample import SampleConfig, SampleData, generate


@pytest.fixture(autouse=True)
def _in_tmp_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The demo writes its database to the current directory."""
    monkeypatch.chdir(tmp_path)


# ₹ then 1-2 digits, pairs of digits, a last group of three, and paise: ₹1,23,45,678.00
INDIAN_RUPEES = re.compile(r"₹\d{1,2}(?:,\d{2})*,\d{3}\.\d{2}")


def test_help_lists_the_demo(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    assert "usage: distcrm" in out
    assert "demo" in out


def test_demo_help_lists_its_options(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo", "--help"]) == 0
    out = capsys.readouterr().out
    for option in ("--outlets", "--months", "--seed", "--lines", "--start", "--dealers"):
        assert option in out


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"distcrm {distcrm.__version__}"


def test_demo_prints_every_section_in_indian_rupees(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo", "--outlets", "100", "--months", "2", "--seed", "3"]) == 0
    out = capsys.readouterr().out
    for title in ("Network", "Catalog", "Sales by month", "Top 5 distributors", "Returns"):
        assert title in out
    amounts = INDIAN_RUPEES.findall(out)
    assert amounts, out
    lakhs = [a for a in amounts if a.count(",") >= 2]  # at least ₹1,00,000.00
    assert lakhs
    assert "seed 3, 2 months from 2025-04-01" in out
    # 100 outlets = 5 distributors of 20; the tier table ends with the total of accounts
    assert re.search(r"^retailer\s+100$", out, re.MULTILINE)
    assert re.search(r"^2025-05\s", out, re.MULTILINE)
    assert not re.search(r"^2025-06\s", out, re.MULTILINE)


def test_demo_totals_match_the_sample(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo", "--outlets", "40", "--seed", "9"]) == 0
    out = capsys.readouterr().out
    data = generate(demo_config(40, 3, 9))
    secondary = sum(
        (d.taxable.amount for d in data.secondary() if d.kind == "invoice"), Decimal(0)
    )
    total_row = next(line for line in out.splitlines() if line.startswith("total ") and "₹" in line)
    shown = INDIAN_RUPEES.findall(total_row)[-1]
    assert Decimal(shown.lstrip("₹").replace(",", "")) == secondary


def test_demo_starts_on_the_given_day(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo", "--outlets", "20", "--months", "2", "--start", "2025-09-01"]) == 0
    out = capsys.readouterr().out
    assert "2 months from 2025-09-01" in out
    assert re.search(r"^2025-10\s", out, re.MULTILINE)


def test_demo_with_dealers(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo", "--outlets", "40", "--dealers", "1"]) == 0
    out = capsys.readouterr().out
    # 2 distributors with 1 dealer each; the dealers serve half of the 40 outlets
    assert re.search(r"^dealer\s+2$", out, re.MULTILINE)
    top = out.split("Top 5 distributors by secondary sales", 1)[1].split("Returns", 1)[0]
    rows = [line for line in top.splitlines() if re.match(r"^\d ", line)]
    # each network has its 20 outlets, 10 of them through its dealer; dealers are not ranked
    assert len(rows) == 2
    assert all(re.search(r"\s20\s+₹", row) for row in rows)
    assert "DL0" not in top


def test_demo_is_deterministic(capsys: pytest.CaptureFixture[str]) -> None:
    main(["demo", "--outlets", "40", "--seed", "5"])
    first = capsys.readouterr().out
    main(["demo", "--outlets", "40", "--seed", "5"])
    assert capsys.readouterr().out == first


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["demo", "--outlets", "0"], "--outlets: must be >= 1, got 0"),
        (["demo", "--months", "x"], "--months: 'x' is not a whole number"),
        (["demo", "--lines", "-1"], "--lines: must be >= 0, got -1"),
        (["demo", "--dealers", "-2"], "--dealers: must be >= 0, got -2"),
        (["demo", "--seed"], "--seed: expected one argument"),
        (["demo", "--start", "2025-13-01"], "--start: '2025-13-01' is not a date"),
        (["frobnicate"], "invalid choice: 'frobnicate'"),
        ([], "choose a command"),
    ],
)
def test_bad_arguments_exit_2(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(argv) == 2
    assert message in capsys.readouterr().err


def test_demo_config_rounds_outlets_to_whole_distributors() -> None:
    # 220 outlets → 11 distributors of 20 → 2 stockists × 5 + 1 direct; 220 × 3 × 25/3 lines
    default = demo_config()
    assert (default.super_stockists, default.distributors_per_super_stockist,
            default.direct_distributors, default.retailers_per_distributor) == (2, 5, 1, 20)
    assert default.secondary_lines == 5_500
    # 7 outlets → one distributor with 7 outlets, served by the principal
    tiny = demo_config(7, months=1)
    assert (tiny.super_stockists, tiny.direct_distributors, tiny.retailer_count) == (0, 1, 7)
    assert tiny.secondary_lines == round(7 * 25 / 3)


def test_render_demo_takes_extra_sections() -> None:
    data = generate(SampleConfig(seed=1, super_stockists=1, distributors_per_super_stockist=1,
                                 retailers_per_distributor=4, skus=5, categories=2,
                                 secondary_lines=20))

    def documents(sample: SampleData) -> Section:
        return Section("Documents", f"{len(sample.documents)} documents")

    text = render_demo(data, (*DEMO_SECTIONS[:1], documents))
    assert text.index("Network") < text.index("Documents")
    assert f"{len(data.documents)} documents" in text
    assert "Catalog" not in text


def test_table_aligns_numbers_right_and_checks_shapes() -> None:
    table = render_table(["Name", "Amount"], [["a", "₹1,00,000.00"], ["bb", "₹5.00"]])
    assert table.splitlines() == [
        "Name        Amount",
        "----  ------------",
        "a     ₹1,00,000.00",
        "bb           ₹5.00",
    ]
    with pytest.raises(ValueError, match="table row 1: 1 cells for 2 columns"):
        render_table(["A", "B"], [["x", 1], ["y"]])
    with pytest.raises(ValueError, match="table align"):
        render_table(["A"], [["x"]], align="c")


def test_python_dash_m_runs_the_command() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "distcrm", "--version"], capture_output=True, text=True,
        check=False,
    )
    assert done.returncode == 0
    assert done.stdout.strip() == f"distcrm {distcrm.__version__}"


def test_the_documented_demo_output_is_current(capsys: pytest.CaptureFixture[str]) -> None:
    docs = Path(__file__).resolve().parents[1] / "docs" / "sample-data.md"
    text = docs.read_text(encoding="utf-8")
    block = text.split("$ distcrm demo --outlets 220 --months 3 --seed 7\n", 1)[1]
    shown = [line for line in block.split("```", 1)[0].splitlines() if line and line != "..."]
    assert main(["demo", "--outlets", "220", "--months", "3", "--seed", "7"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert len(shown) > 5
    for line in shown:
        assert line in out
