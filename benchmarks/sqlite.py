"""Benchmark: bulk loading documents into the SQLite store, and querying them.

Full size (``--scale 1``): the 1,000,000 secondary lines of a sample network
(plus its primary invoices and returns) loaded with
:meth:`distcrm.stores.sqlite.SqliteDocuments.load` in batches of 5,000
documents, each batch its own transaction. The baseline inserts the same
rows — id, query columns and the same JSON text, pre-serialised — with a bare
``executemany`` in one transaction and no SKU index: the floor any store on
SQLite pays. Then one distributor's documents are queried both ways.

Run: ``python benchmarks/sqlite.py --scale 1``.
"""

from __future__ import annotations

import argparse
import gc
import json
import sqlite3
import tempfile
import time
from pathlib import Path

from distcrm import serde
from distcrm.stores.sqlite import SqliteStore
from distcrm.testing.sample import SampleConfig, generate


def config_for(scale: float) -> SampleConfig:
    """The sample at ``scale`` (1.0 = 1M secondary lines, 100k outlets)."""
    return SampleConfig(
        seed=5, super_stockists=10, distributors_per_super_stockist=max(1, round(20 * scale)),
        direct_distributors=0, retailers_per_distributor=500, skus=500, categories=16,
        secondary_lines=max(100, round(1_000_000 * scale)), months=1, reps=1,
        unproductive_visit_rate=0.0,
    )


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print its figures; returns 0."""
    parser = argparse.ArgumentParser(description="SQLite bulk-load benchmark")
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of the full size")
    args = parser.parse_args(argv)
    if args.scale <= 0:
        parser.error("--scale must be > 0")
    data = generate(config_for(args.scale))
    docs = list(data.documents)
    lines = sum(len(d.lines) for d in docs)
    distributor = data.distributors[0].id
    with tempfile.TemporaryDirectory() as tmp:
        rows = [
            (d.id, d.kind, d.level, d.seller, d.buyer, d.issued_on.isoformat(),
             json.dumps(serde.unstructure(d), separators=(",", ":")))
            for d in docs
        ]
        base = sqlite3.connect(Path(tmp) / "baseline.db", isolation_level=None)
        base.execute("PRAGMA journal_mode = WAL")
        base.execute("CREATE TABLE documents (id TEXT PRIMARY KEY, kind TEXT, level TEXT, "
                     "seller TEXT, buyer TEXT, issued_on TEXT, data TEXT)")
        base.execute("CREATE INDEX b_seller ON documents (seller, issued_on, id)")
        gc.collect()
        started = time.perf_counter()
        base.execute("BEGIN")
        base.executemany("INSERT INTO documents VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
        base.execute("COMMIT")
        base_s = time.perf_counter() - started
        del rows
        store = SqliteStore(Path(tmp) / "store.db")
        gc.collect()
        started = time.perf_counter()
        loaded = store.documents.load(docs, batch_size=5_000)
        ours_s = time.perf_counter() - started
        started = time.perf_counter()
        mine = list(store.documents.query(seller=distributor))
        query_s = time.perf_counter() - started
        started = time.perf_counter()
        raw = base.execute("SELECT data FROM documents WHERE seller = ? ORDER BY issued_on, id",
                           (distributor,)).fetchall()
        base_q = [json.loads(r[0]) for r in raw]
        base_query_s = time.perf_counter() - started
        base.close()
        store.close()
    print(f"scale {args.scale:g}: {loaded:,} documents, {lines:,} lines")
    print(f"bulk load (batches of 5,000, entities serialised and validated): {ours_s:.2f} s, "
          f"{lines / ours_s:,.0f} lines/s; baseline executemany of pre-serialised rows "
          f"{base_s:.2f} s; ratio {ours_s / base_s:.1f}x")
    print(f"query one distributor ({len(mine):,} documents as entities): {query_s:.3f} s; "
          f"baseline rows as dicts ({len(base_q):,}) {base_query_s:.3f} s; "
          f"ratio {query_s / max(base_query_s, 1e-9):.1f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
