"""SQLite specifics: migrations, exact money, concurrency across threads and processes, crashes."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import threading
from datetime import date, datetime
from pathlib import Path

import pytest

from distcrm.claims import Claim, ClaimLine, decide, settle_in_store, submit
from distcrm.documents import Document, Line, LineRef
from distcrm.errors import ConcurrencyError, ValidationError
from distcrm.money import Money
from distcrm.periods import Validity
from distcrm.stores.sqlite import MIGRATIONS, SCHEMA_VERSION, SqliteStore

WORKERS = Path(__file__).with_name("sqlite_workers.py")
JUNE = Validity(date(2025, 6, 1), date(2025, 7, 1))
T = datetime(2025, 7, 1, 9)


def inr(s: str) -> Money:
    return Money.of(s, "INR")


def _invoice(i: int = 1) -> Document:
    return Document(
        f"SI-{i}", "invoice", "secondary", "D1", "R1", date(2025, 6, 3), "INR",
        (Line("SKU1", 24, inr("8.50"), tax=inr("36.72")), Line("SKU2", 3, inr("0.10"))),
    )


def test_money_is_stored_as_exact_text(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "s.db")
    store.documents.add(_invoice())
    raw = sqlite3.connect(tmp_path / "s.db").execute(
        "SELECT json_extract(data, '$.lines[1].unit_price.amount'), "
        "typeof(json_extract(data, '$.lines[1].unit_price.amount')), issued_on FROM documents"
    ).fetchone()
    assert raw == ("0.10", "text", "2025-06-03")
    assert store.documents.get("SI-1") == _invoice()


def test_opening_an_older_file_upgrades_it(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
    for sql in MIGRATIONS[0]:
        conn.execute(sql)
    conn.execute("INSERT INTO meta VALUES ('schema_version', '1')")
    doc = _invoice(7)
    from distcrm import serde

    conn.execute(
        "INSERT INTO documents VALUES (?, ?, ?, ?, ?, ?, ?)",
        (doc.id, doc.kind, doc.level, doc.seller, doc.buyer, "2025-06-03",
         json.dumps(serde.unstructure(doc))),
    )
    conn.commit()
    conn.close()
    store = SqliteStore(path)
    assert store.schema_version == SCHEMA_VERSION == 2
    # version 2's SKU index was filled from the documents already there
    assert [d.id for d in store.documents.query(sku="SKU2")] == ["SI-7"]
    version = sqlite3.connect(path).execute("SELECT value FROM meta").fetchone()
    assert version == (str(SCHEMA_VERSION),)


def test_a_newer_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    SqliteStore(path).close()
    conn = sqlite3.connect(path)
    conn.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    conn.commit()
    conn.close()
    with pytest.raises(ValidationError, match="schema version 99, newer than"):
        SqliteStore(path)


def test_stale_claim_version_writes_nothing(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "c.db")
    c = Claim("CL-1", "D1", "display", JUNE, "INR", lines=(ClaimLine(None, None, 0, inr("5.00")),))
    saved = store.claims.save(c, expected_version=0)
    assert saved.version == 1
    with pytest.raises(ConcurrencyError, match="claim 'CL-1': expected version 0, stored version is 1"):
        store.claims.save(submit(c, by="D1", at=T), expected_version=0)
    assert store.claims.get("CL-1") == saved


def _approved_claims(store: SqliteStore, n: int) -> None:
    store.documents.add(_invoice())
    for i in range(n):
        c = Claim(f"CL-{i:03d}", "D1", "scheme", JUNE, "INR", scheme="S2",
                  lines=(ClaimLine(LineRef("SI-1", 1), "SKU1", 0, inr("4.08")),))
        c = decide(submit(c, by="D1", at=T), [inr("4.08")], by="asm", at=T)
        store.claims.save(c, expected_version=0)


def _check_settled_once(store: SqliteStore, n: int) -> None:
    notes = list(store.documents.query(kind="credit_note"))
    assert len(notes) == n
    assert {d.id for d in notes} == {f"CN-CL-{i:03d}" for i in range(n)}
    for claim in store.claims.all():
        assert claim.status == "settled"
        assert [h.status for h in claim.history].count("settled") == 1
        assert claim.version == 2  # saved once as new, once as settled


def test_eight_threads_settle_200_claims_exactly_once(tmp_path: Path) -> None:
    path = tmp_path / "threads.db"
    _approved_claims(SqliteStore(path), 200)
    errors: list[BaseException] = []
    results: list[list[str]] = []

    def worker() -> None:
        store = SqliteStore(path)
        mine: list[str] = []
        try:
            for i in range(200):
                s = settle_in_store(store, f"CL-{i:03d}", issuer="P1", on=date(2025, 7, 3),
                                    by="finance", at=T)
                mine.append(s.note.id)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        results.append(mine)

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert all(r == [f"CN-CL-{i:03d}" for i in range(200)] for r in results)
    _check_settled_once(SqliteStore(path), 200)


def test_four_processes_settle_200_claims_exactly_once(tmp_path: Path) -> None:
    path = tmp_path / "procs.db"
    _approved_claims(SqliteStore(path), 200)
    procs = [
        subprocess.Popen([sys.executable, str(WORKERS), "settle", str(path), "200"],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(4)
    ]
    outs = [p.communicate(timeout=300) for p in procs]
    for p, (out, err) in zip(procs, outs, strict=True):
        assert p.returncode == 0, err
        assert out.split() == [f"CN-CL-{i:03d}" for i in range(200)]
    _check_settled_once(SqliteStore(path), 200)


def test_a_writer_killed_mid_batch_leaves_the_batch_out(tmp_path: Path) -> None:
    path = tmp_path / "crash.db"
    SqliteStore(path).close()
    done = 0
    killed = False
    with subprocess.Popen(
        [sys.executable, str(WORKERS), "load", str(path), "5", "5000", "2"],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    ) as proc:
        assert proc.stdout is not None
        for line in proc.stdout:
            done += line.endswith("done\n")
            killed = killed or "killed mid-transaction" in line
        proc.wait(timeout=120)
    assert killed and proc.returncode == -9
    store = SqliteStore(path)
    count = len(store.documents)
    assert done == 2
    assert count == 2 * 5000  # batches 0 and 1, nothing of batch 2
    assert len(list(store.documents.query(start=date(2025, 6, 1), seller="D1"))) == count
    integrity = sqlite3.connect(path).execute("PRAGMA integrity_check").fetchone()
    assert integrity == ("ok",)
