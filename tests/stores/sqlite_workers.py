"""Worker processes for the SQLite concurrency and crash tests (run with ``python -m``-less paths)."""

from __future__ import annotations

import sys
from datetime import date, datetime
from pathlib import Path
from typing import Any


def settle_all(db: str, count: int) -> None:
    """Settle claims CL-000..CL-<count-1> in the store at ``db``; print the note ids."""
    from distcrm.claims import settle_in_store
    from distcrm.stores.sqlite import SqliteStore

    store = SqliteStore(db)
    notes = []
    for i in range(count):
        s = settle_in_store(
            store, f"CL-{i:03d}", issuer="P1", on=date(2025, 7, 3), by="finance",
            at=datetime(2025, 7, 3, 9),
        )
        notes.append(s.note.id)
    print(" ".join(notes))


def _crash_mid_transaction(conn: Any, batch: int) -> None:
    """Make the process kill itself once SQLite is well into a write transaction."""
    import os
    import signal

    calls = [0]

    def crash() -> int:
        calls[0] += 1
        if conn.in_transaction and calls[0] > 200:
            print(f"batch {batch} killed mid-transaction", flush=True)
            os.kill(os.getpid(), signal.SIGKILL)
        return 0

    conn.set_progress_handler(crash, 1000)


def slow_load(db: str, batches: int, batch_size: int, crash_in: int = -1) -> None:
    """Load ``batches`` batches of documents, announcing each batch before writing it.

    With ``crash_in`` = k, the process kills itself (SIGKILL) in the middle of
    batch k's transaction, once SQLite has done some work on it.
    """
    from distcrm.documents import Document, Line
    from distcrm.money import Money
    from distcrm.stores.sqlite import SqliteStore

    store = SqliteStore(db)
    price = Money.of("8.50", "INR")
    for b in range(batches):
        docs = [
            Document(f"SI-{b:03d}-{i:06d}", "invoice", "secondary", "D1", f"R{i % 50}",
                     date(2025, 6, 1 + i % 28), "INR", (Line(f"SKU{i % 7}", 1 + i % 9, price),))
            for i in range(batch_size)
        ]
        print(f"batch {b} start", flush=True)
        if b == crash_in:
            _crash_mid_transaction(store._db.connection(), b)
        store.documents.add_many(docs)
        print(f"batch {b} done", flush=True)


if __name__ == "__main__":
    command, *args = sys.argv[1:]
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "src"))
    if command == "settle":
        settle_all(args[0], int(args[1]))
    elif command == "load":
        slow_load(args[0], int(args[1]), int(args[2]), int(args[3]) if len(args) > 3 else -1)
    else:
        raise SystemExit(f"unknown command {command!r}")
