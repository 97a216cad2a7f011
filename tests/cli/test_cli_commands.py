"""The working commands of ``distcrm``: inputs, formats, exit codes and the demo's month."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from distcrm.cli import main
from distcrm.stores.sqlite import SqliteStore

TUTORIAL = Path(__file__).resolve().parents[2] / "docs" / "tutorial"


@pytest.fixture
def work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A directory holding the tutorial's files, made the current directory."""
    for f in TUTORIAL.iterdir():
        shutil.copy(f, tmp_path / f.name)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out = capsys.readouterr()
    return status, out.out, out.err


def _good_documents(work: Path) -> Path:
    lines = (work / "documents.csv").read_text().splitlines()
    good = work / "good.csv"
    good.write_text("\n".join(line for line in lines if ",two," not in line) + "\n")
    return good


@pytest.fixture
def june(work: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """june.sqlite with the tutorial's accounts, products, price list and good documents."""
    for kind, name in (("accounts", "accounts.csv"), ("products", "products.csv"),
                       ("price-lists", "price-lists.csv")):
        assert main(["import", kind, name, "--db", "june.sqlite"]) == 0
    assert main(["import", "documents", "documents.csv", "--db", "june.sqlite",
                 "--skip-bad-rows"]) == 0
    capsys.readouterr()
    return work / "june.sqlite"


def test_import_reports_rows_and_imports_nothing_from_a_bad_file(
    work: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (work / "bad.csv").write_text(
        "id,name,tier,gstin,credit_limit\n"
        "D1,Shree Traders,distributor,27AAPFU0939F1ZV,500000\n"
        "D2,Ganesh Agencies,distributor,27AAPFU0939F1ZO,abc\n"
        "D3,Om Agencies,distributor,,\n"
    )
    status, out, err = _run(capsys, "import", "accounts", "bad.csv", "--db", "n.sqlite")
    assert status == 2
    assert "bad.csv: row 3, column gstin:" in err
    assert "bad.csv: row 3, column credit_limit:" in err
    assert "error: bad.csv: 2 errors in 1 of 3 rows; nothing imported" in err
    assert "Traceback" not in err
    assert not (work / "n.sqlite").exists()
    status, out, err = _run(capsys, "import", "accounts", "bad.csv", "--db", "n.sqlite",
                            "--skip-bad-rows")
    assert status == 0
    assert "imported 2 accounts from bad.csv into n.sqlite; skipped 1 bad row" in out
    store = SqliteStore(work / "n.sqlite")
    assert sorted(a.id for a in store.accounts.all()) == ["D1", "D3"]
    store.close()


def test_importing_an_existing_id_is_bad_input(
    june: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, _, err = _run(capsys, "import", "accounts", "accounts.csv", "--db", "june.sqlite")
    assert status == 2
    assert err.startswith("error: accounts.csv: ")
    assert "Traceback" not in err


def test_evaluate_from_files_as_json_and_csv(
    work: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = _good_documents(work)
    args = ("schemes", "evaluate", "schemes.toml", "--documents", str(good),
            "--products", "products.csv", "--on", "2025-06-30")
    status, out, _ = _run(capsys, *args, "--format", "json")
    assert status == 0
    rows = json.loads(out)
    value = {(r["scheme"], r["party"]): Decimal(r["value"]) for r in rows}
    # D1: (600 + 480) × 8.00 = 8,640.00 of Foods, 2 % = 172.80; R1: 600 // 24 = 25 × 8.00
    assert value[("S-VAL", "D1")] == Decimal("172.80")
    assert value[("S-FREE", "R1")] == Decimal("200.00")
    assert main([*args, "--format", "csv", "--output", "out.csv"]) == 0
    with (work / "out.csv").open(newline="") as f:
        table = list(csv.DictReader(f))
    assert {(r["scheme"], r["party"]): Decimal(r["value"]) for r in table} == value
    assert {r["applied"] for r in table} == {"true"}


def test_whatif_compares_variants(june: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = _run(capsys, "schemes", "whatif", "schemes.toml", "schemes-richer.toml",
                          "--db", "june.sqlite", "--on", "2025-06-30", "--by", "scheme",
                          "--format", "json")
    assert status == 0
    cost = {(r["variant"], r["scheme"]): Decimal(r["cost"]) for r in json.loads(out)}
    # 8,640.00 × 3 % = 259.20; (30 + 24 + 12) free packets × 8.00 = 528.00
    assert cost[("schemes-richer", "S-VAL")] == Decimal("259.20")
    assert cost[("schemes-richer", "S-FREE")] == Decimal("528.00")
    status, _, err = _run(capsys, "schemes", "whatif", "schemes.toml", "--db", "june.sqlite",
                          "--on", "2025-06-30", "--by", "colour")
    assert status == 2
    assert "error:" in err and "colour" in err


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("c.json", "[{", "error: c.json: not valid JSON"),
        ("c.json", '[{"id": "CL-9", "claimant": "D1", "type": "scheme", "scheme": "S-VAL", '
         '"currency": "INR", "period": {"start": "2025-06-01", "end": "2025-07-01"}, '
         '"lines": [{"ref": null, "sku": "BIS100", "qty": "x", '
         '"amount": {"amount": "1", "currency": "INR"}}]}]',
         "error: c.json: $[0].lines[0].qty: expected int"),
        ("c.json", '{"claims": 3}', "error: c.json: $: expected a list of claims"),
    ],
)
def test_bad_claims_files_are_located(
    june: Path, name: str, text: str, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    (june.parent / name).write_text(text)
    status, _, err = _run(capsys, "claims", "verify", name, "--schemes", "schemes.toml",
                          "--db", "june.sqlite", "--on", "2025-07-02")
    assert status == 2
    assert message in err
    assert "Traceback" not in err


def test_bad_documents_file_names_row_and_column(
    work: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, _, err = _run(capsys, "schemes", "evaluate", "schemes.toml", "--documents",
                          "documents.csv", "--on", "2025-06-30")
    assert status == 2
    assert err == ("error: documents.csv: row 9, column qty: 'two' is not valid "
                   "(expected a whole number)\n")


def test_missing_files_and_databases(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = _run(capsys, "claims", "settle", "--db", "none.sqlite", "--on",
                          "2025-07-05")
    assert (status, err.splitlines()[0][:33]) == (2, "error: none.sqlite: no such datab")
    assert not (work / "none.sqlite").exists()
    status, _, err = _run(capsys, "schemes", "evaluate", "nope.toml", "--on", "2025-06-30")
    assert (status, err) == (2, "error: nope.toml: no such file\n")
    status, _, err = _run(capsys, "claims", "verify", "claims.json", "--decide", "--on",
                          "2025-07-02")
    assert status == 2 and "--decide: needs --db" in err


def test_findings_exit_1_only_when_asked(june: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = ("claims", "verify", "claims.json", "--schemes", "schemes.toml", "--db",
            "june.sqlite", "--on", "2025-07-02", "--show", "findings", "--format", "json")
    status, out, _ = _run(capsys, *args)
    assert status == 0
    codes = sorted(r["code"] for r in json.loads(out))
    assert codes == ["amount_above_entitlement", "line_already_claimed", "not_entitled"]
    status, out, err = _run(capsys, *args, "--fail-on-findings")
    assert status == 1
    assert json.loads(out)  # the output is still complete JSON
    assert "3 findings need attention" in err


def test_decide_settle_reconcile_round_trip(
    june: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["claims", "verify", "claims.json", "--schemes", "schemes.toml", "--db",
                 "june.sqlite", "--on", "2025-07-02", "--decide"]) == 0
    # deciding again is refused: the claims are no longer open
    status, _, err = _run(capsys, "claims", "verify", "claims.json", "--schemes",
                          "schemes.toml", "--db", "june.sqlite", "--on", "2025-07-02",
                          "--decide")
    assert status == 2 and "claim 'CL-1' is already partially_approved" in err
    status, out, _ = _run(capsys, "claims", "settle", "--db", "june.sqlite", "--on",
                          "2025-07-05", "--format", "json")
    notes = json.loads(out)
    # one note, for CL-1: 96.00 + 76.80 = 172.80 approved, GST 18 % = 31.104 → 31.10
    assert [(n["credit_note"], n["taxable"], n["tax"], n["total"]) for n in notes] == [
        ("CN-CL-1", "172.80", "31.10", "203.90")]
    assert main(["claims", "settle", "--db", "june.sqlite", "--on", "2025-07-05"]) == 0
    assert "already settled" in capsys.readouterr().out
    status, out, _ = _run(capsys, "claims", "reconcile", "--db", "june.sqlite",
                          "--debit-notes", "debit-notes.csv", "--format", "json")
    rows = {r["debit_note"]: r for r in json.loads(out)}
    assert rows["DN-1"]["status"] == "partial"
    for r in rows.values():
        assert Decimal(r["claimed"]) == (Decimal(r["approved"]) + Decimal(r["rejected"])
                                         + Decimal(r["open"]))


def test_price_uses_the_database_price_list(
    june: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, _ = _run(capsys, "price", "--db", "june.sqlite", "--buyer", "R1", "--seller",
                          "D1", "--line", "BIS100:10", "--on", "2025-07-01", "--format", "json")
    assert status == 0
    (line,) = json.loads(out)
    # 10 × 8.00 = 80.00, GST 18 % = 14.40
    assert (line["taxable"], line["tax"], line["total"]) == ("80.00", "14.40", "94.40")
    status, _, err = _run(capsys, "price", "--db", "june.sqlite", "--buyer", "R9", "--line",
                          "BIS100:10", "--on", "2025-07-01")
    assert status == 2 and "--buyer: no account 'R9'" in err
    status, _, err = _run(capsys, "price", "--db", "june.sqlite", "--buyer", "R1", "--line",
                          "BIS100", "--on", "2025-07-01")
    assert status == 2 and "'BIS100' is not SKU:QTY" in err


def test_coverage_as_csv(june: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = _run(capsys, "coverage", "--beats", "beats.json", "--visits",
                          "visits.json", "--db", "june.sqlite", "--month", "2025-06",
                          "--format", "csv")
    assert status == 0
    rows = {r["rep"]: r for r in csv.DictReader(io.StringIO(out))}
    # REP1: R1 on the five Mondays, R2 on three; visited on 2, 16 (both) and 23 June (R1)
    assert (rows["REP1"]["planned"], rows["REP1"]["covered"]) == ("8", "5")
    status, _, err = _run(capsys, "coverage", "--beats", "beats.json", "--month", "2025-13")
    assert status == 2 and "'2025-13' is not a month" in err


def test_demo_writes_and_replaces_its_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "mine.sqlite").write_text("not a database")
    status, out, err = _run(capsys, "demo", "--outlets", "100", "--months", "1", "--db",
                            "mine.sqlite")
    assert status == 0
    assert err == ""  # no progress bars unless stderr is a terminal or --progress is given
    assert "Database: mine.sqlite" in out and "replaced on every run" in out
    store = SqliteStore(tmp_path / "mine.sqlite")
    claims = list(store.claims.all())
    credit_notes = list(store.documents.query(kind="credit_note"))
    assert len(store.accounts) > 100
    assert credit_notes and len(credit_notes) == sum(
        1 for c in claims if c.status == "settled")
    store.close()
    for title in ("Prices: a sample order", "Schemes in 2025-04", "Claims: verify",
                  "Sell-through and inventory health", "Coverage, field KPIs and alerts"):
        assert title in out
    # every distributor is approved exactly its S-VAL entitlement: the over-claims are cut
    # back to it and the duplicated lines are rejected
    schemes = out.split("Schemes in 2025-04", 1)[1]
    val = re.search(r"^S-VAL .*  (₹[\d,.]+)$", schemes, re.MULTILINE)
    total = re.search(r"^total\s+[\d,]+\s+₹[\d,.]+\s+(₹[\d,.]+)$",
                      out.split("Claims: verify", 1)[1], re.MULTILINE)
    assert val and total and val.group(1) == total.group(1)
    assert "line_already_claimed" in out and "amount_above_entitlement" in out
    assert not (tmp_path / "distcrm-demo.sqlite").exists()


def test_demo_progress_bars_on_request(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    status, _, err = _run(capsys, "demo", "--outlets", "20", "--months", "1", "--progress")
    assert status == 0
    assert "documents  [" in err and "visits     [" in err
    assert (tmp_path / "distcrm-demo.sqlite").exists()


def test_the_demo_database_feeds_the_other_commands(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["demo", "--outlets", "60", "--months", "1"]) == 0
    capsys.readouterr()
    beats = json.loads((tmp_path / "distcrm-demo.beats.json").read_text())
    assert beats and {"id", "distributor", "rep", "weekdays", "outlets"} <= set(beats[0])
    # the schemes stored by the demo, evaluated again from the database
    status, out, _ = _run(capsys, "schemes", "evaluate", "--db", "distcrm-demo.sqlite", "--on",
                          "2025-04-30", "--format", "json")
    assert status == 0
    assert {r["scheme"] for r in json.loads(out)} >= {"S-VAL", "S-FREE"}
    status, out, _ = _run(capsys, "coverage", "--beats", "distcrm-demo.beats.json", "--db",
                          "distcrm-demo.sqlite", "--month", "2025-04", "--format", "json")
    assert status == 0
    rows = json.loads(out)
    assert rows and all(r["covered"] <= r["planned"] for r in rows)
    status, _, err = _run(capsys, "schemes", "evaluate", "--on", "2025-04-30")
    assert status == 2 and "SCHEMES: give a scheme file" in err


def test_unreadable_databases_and_outputs_are_bad_input(
    june: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, _, err = _run(capsys, "claims", "settle", "--db", "accounts.csv", "--on",
                          "2025-07-01")
    assert (status, err) == (2, "error: accounts.csv: not a distcrm database: file is not a "
                                "database\n")
    missing = june.parent / "no" / "x.csv"
    status, _, err = _run(capsys, "claims", "verify", "claims.json", "--db", "june.sqlite",
                          "--schemes", "schemes.toml", "--on", "2025-07-01",
                          "--output", str(missing))
    assert (status, err) == (2, f"error: {missing}: No such file or directory\n")


def test_documents_and_accounts_from_json(
    work: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from distcrm import serde
    from distcrm.csvimport import import_accounts, import_documents

    docs = import_documents(_good_documents(work).read_text()).entities
    accounts = import_accounts((work / "accounts.csv").read_text()).entities
    (work / "docs.json").write_text(json.dumps(serde.unstructure(docs)))
    (work / "accounts.json").write_text(json.dumps({"accounts": serde.unstructure(accounts)}))
    status, out, _ = _run(capsys, "claims", "verify", "claims.json", "--schemes",
                          "schemes.toml", "--documents", "docs.json", "--accounts",
                          "accounts.json", "--products", "products.csv", "--on", "2025-07-02",
                          "--format", "json")
    assert status == 0
    approved = {r["claim"]: Decimal(r["approved"]) for r in json.loads(out)}
    # CL-1: 96.00 + 76.80; CL-2 re-claims SI-1 line 1; CL-3: D2 never reached the slab
    assert approved == {"CL-1": Decimal("172.80"), "CL-2": Decimal(0), "CL-3": Decimal(0)}


def test_demo_without_secondary_sales_still_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    status, out, _ = _run(capsys, "demo", "--outlets", "20", "--months", "1", "--lines", "0")
    assert status == 0
    assert "No sales to retailers to take prices from." in out
    assert "nothing to claim" in out
    assert "Alerts: " in out
