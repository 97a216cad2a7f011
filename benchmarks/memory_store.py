"""Benchmark: loading and querying documents in :class:`~distcrm.stores.memory.MemoryStore`.

Full size (``--scale 1``): one month of 1,000,000 secondary invoice lines sold
by 200 distributors (20 super-stockists x 10) to 100,000 retailers over 500
SKUs, plus the primary invoices and returns of
:func:`distcrm.testing.sample.generate`.

Figures, each against a plain hand-written baseline timed in the same run:

* ``load``: ``documents.add_many`` (duplicate check, three indexes) against
  filling a ``dict`` by id;
* ``by seller``: one ``query(seller=..., start=..., end=...)`` for the middle
  fortnight per distributor, against scanning the list of documents once per
  distributor;
* ``by buyer``: the same for 200 retailers;
* ``by sku``: the same for 50 SKUs;
* ``one week``: every document of one week (no party filter), against one scan.

``--scale`` shrinks distributors and lines proportionally (below 0.01 the
retailers per distributor drop from 500 to 50 so smoke runs stay quick).

Run: ``python benchmarks/memory_store.py --scale 1``.
"""

from __future__ import annotations

import argparse
import gc
import time
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from distcrm.documents import Document
from distcrm.stores.memory import MemoryStore
from distcrm.testing.sample import SampleConfig, generate

START = date(2025, 6, 1)
FORTNIGHT = (date(2025, 6, 8), date(2025, 6, 22))
WEEK = (date(2025, 6, 15), date(2025, 6, 22))


def config_for(scale: float) -> SampleConfig:
    """The benchmark's sample at ``scale`` (1.0 = 200 distributors, 1M secondary lines)."""
    distributors = max(2, round(200 * scale))
    super_stockists = min(20, max(1, distributors // 10))
    return SampleConfig(
        seed=5,
        start=START,
        months=1,
        super_stockists=super_stockists,
        distributors_per_super_stockist=-(-distributors // super_stockists),
        direct_distributors=0,
        # Tiny smoke runs also shrink the retailer base.
        retailers_per_distributor=500 if scale >= 0.01 else 50,
        skus=500,
        categories=16,
        brands=10,
        secondary_lines=max(100, round(1_000_000 * scale)),
        return_rate=0.01,
        reps=1,
        unproductive_visit_rate=0.0,
    )


def _timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    gc.collect()
    began = time.perf_counter()
    result = fn()
    return time.perf_counter() - began, result


def _scan(docs: Sequence[Document], field: str, keys: Sequence[str], start: date, end: date) -> int:
    """Baseline: one pass over every document per key, then sort the hits by (date, id)."""
    found = 0
    for key in keys:
        hits = []
        for d in docs:
            if start <= d.issued_on < end:
                if field == "sku":
                    if any(line.sku == key for line in d.lines):
                        hits.append(d)
                elif getattr(d, field) == key:
                    hits.append(d)
        hits.sort(key=lambda d: (d.issued_on, d.id))
        found += len(hits)
    return found


def _report(name: str, ours: float, baseline: float) -> None:
    print(
        f"{name}: distcrm {ours:.3f} s, baseline {baseline:.3f} s, "
        f"ratio {ours / baseline if baseline else float('inf'):.3g}"
    )


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print one line per figure."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of the full size")
    args = parser.parse_args(argv)

    data = generate(config_for(args.scale))
    docs = list(data.documents)
    lines = sum(len(d.lines) for d in docs)
    print(f"documents: {len(docs):,}, lines: {lines:,}, scale {args.scale}")

    store = MemoryStore()
    ours, _ = _timed(lambda: store.documents.add_many(docs))
    base, table = _timed(lambda: {d.id: d for d in docs})
    assert len(table) == len(store.documents)
    _report("load", ours, base)

    sellers = sorted({d.seller for d in docs if d.level == "secondary"})
    buyers = sorted({d.buyer for d in docs if d.level == "secondary"})[:200]
    skus = sorted({line.sku for d in docs for line in d.lines})[:50]
    start, end = FORTNIGHT
    for name, field, keys in (
        ("by seller", "seller", sellers),
        ("by buyer", "buyer", buyers),
        ("by sku", "sku", skus),
    ):

        def ours_query(field: str = field, keys: Sequence[str] = keys) -> int:
            total = 0
            for key in keys:
                filters: dict[str, Any] = {field: key, "start": start, "end": end}
                total += len(list(store.documents.query(**filters)))
            return total

        ours, got = _timed(ours_query)
        base, expected = _timed(
            lambda field=field, keys=keys: _scan(docs, field, keys, start, end)  # type: ignore[misc]
        )
        assert got == expected, (name, got, expected)
        _report(f"{name} ({len(keys)} queries, {got:,} hits)", ours, base)

    week_start, week_end = WEEK
    ours, got = _timed(lambda: len(list(store.documents.query(start=week_start, end=week_end))))
    base, expected = _timed(
        lambda: len(
            sorted(
                (d for d in docs if week_start <= d.issued_on < week_end),
                key=lambda d: (d.issued_on, d.id),
            )
        )
    )
    assert got == expected
    _report(f"one week ({got:,} documents)", ours, base)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
