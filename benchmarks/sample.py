"""Benchmark: generating a large sample network with :mod:`distcrm.testing.sample`.

Full size (``--scale 1``): 10 super-stockists × 50 distributors × 200 retailers =
100,000 outlets, 500 SKUs and 1,000,000 secondary invoice lines over 3 months.
``--scale`` shrinks the outlets (distributors first, then outlets per
distributor once there is one distributor per super-stockist) and the lines
proportionally.

The baseline draws the same kinds of random numbers for the same number of
lines (SKU by popularity, quantity, discount, free goods, day) and computes the
same integer paise arithmetic, but keeps plain tuples instead of validated
entities and builds no network, visits, primary invoices or returns. The ratio
is therefore the price of real entities, stock planning and everything else.

Prints one line per figure, each ending with its ratio against the baseline.

Run: ``python benchmarks/sample.py --scale 1`` (add ``--memory`` for tracemalloc peaks).
"""

from __future__ import annotations

import argparse
import gc
import random
import resource
import sys
import time
import tracemalloc
from collections.abc import Callable
from typing import Any

from distcrm.testing.sample import SampleConfig, SampleData, generate

FULL_DISTRIBUTORS_PER_SS = 50
FULL_LINES = 1_000_000
FULL_OUTLETS = 100_000


def config_for(scale: float, seed: int = 7) -> SampleConfig:
    """The benchmark's configuration at ``scale`` (1.0 = 100k outlets, 1M lines)."""
    per_stockist = max(1, round(FULL_DISTRIBUTORS_PER_SS * scale))
    outlets = FULL_OUTLETS * scale
    return SampleConfig(
        seed=seed,
        super_stockists=10,
        distributors_per_super_stockist=per_stockist,
        direct_distributors=0,
        retailers_per_distributor=max(1, round(outlets / (10 * per_stockist))),
        skus=500,
        categories=16,
        brands=12,
        secondary_lines=max(1, round(FULL_LINES * scale)),
        months=3,
    )


def baseline(config: SampleConfig) -> list[tuple[int, int, int, int, int, int, int]]:
    """Plain tuples ``(day, sku, qty, unit paise, discount, tax, free)`` with the same draws."""
    rng = random.Random(config.seed)
    n = config.skus
    cum: list[float] = []
    total = 0.0
    for i in range(n):
        total += 1.0 / (1 + (i * 7919) % n) ** 0.8
        cum.append(total)
    prices = [rng.randint(500, 30_000) for _ in range(n)]
    cases = [(12, 24, 48)[rng.randrange(3)] for _ in range(n)]
    out: list[tuple[int, int, int, int, int, int, int]] = []
    remaining = config.secondary_lines
    days = config.months * 30
    while remaining > 0:
        k = min(remaining, rng.randint(1, 7))
        remaining -= k
        day = rng.randrange(days)
        for s in dict.fromkeys(rng.choices(range(n), cum_weights=cum, k=k + 2)):
            if k == 0:
                break
            k -= 1
            u = rng.random()
            qty = max(1, cases[s] // 4 * (1 + int(u * 4)))
            disc_bp = rng.choice((200, 300, 500)) if rng.random() < 0.08 else 0
            free = qty // 12 if rng.random() < 0.04 else 0
            gross = prices[s] * qty
            disc = (2 * gross * disc_bp + 10_000) // 20_000
            tax = 2 * ((2 * (gross - disc) * 18 + 200) // 400)
            out.append((day, s, qty, prices[s], disc, tax, free))
        remaining += k  # lines not drawn because of duplicate SKUs
    return out


def _timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    gc.collect()
    t0 = time.perf_counter()
    result = fn()
    return time.perf_counter() - t0, result


def _peak(fn: Callable[[], Any]) -> int:
    gc.collect()
    tracemalloc.start()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def _summary(data: SampleData) -> tuple[int, int, int, int]:
    lines = sum(len(d.lines) for d in data.secondary() if d.kind == "invoice")
    distinct = len({id(line) for d in data.documents for line in d.lines})
    total_lines = sum(len(d.lines) for d in data.documents)
    return lines, len(data.documents), total_lines, distinct


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print its figures; returns 0."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--scale", type=float, default=1.0,
                        help="fraction of the full size (1.0 = 100k outlets, 1M lines)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--memory", action="store_true",
                        help="also measure peak traced memory (runs each side again)")
    args = parser.parse_args(argv)
    if args.scale <= 0:
        parser.error("--scale must be > 0")
    config = config_for(args.scale, args.seed)
    base_s, base = _timed(lambda: baseline(config))
    n_base = len(base)
    del base
    ours_s, data = _timed(lambda: generate(config))
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    lines, docs, all_lines, distinct = _summary(data)
    outlets = len(data.retailers)
    ratio = ours_s / base_s if base_s else float("inf")
    print(f"scale {args.scale:g}: {outlets:,} outlets, {lines:,} secondary lines, "
          f"{docs:,} documents, {all_lines:,} lines in all, {len(data.visits):,} visits")
    print(f"generate: {ours_s:.2f} s; baseline plain tuples: {base_s:.2f} s "
          f"({n_base:,} tuples); ratio {ratio:.1f}x")
    print(f"throughput: {lines / ours_s:,.0f} secondary lines/s; baseline "
          f"{n_base / base_s:,.0f} tuples/s; ratio {ratio:.1f}x")
    print(f"shared lines: {distinct:,} distinct Line objects for {all_lines:,} lines; "
          f"ratio {all_lines / max(distinct, 1):.1f}x")
    print(f"peak RSS after generating: {rss_mb:,.0f} MB")
    del data
    if args.memory:
        base_peak = _peak(lambda: baseline(config))
        ours_peak = _peak(lambda: generate(config))
        print(f"peak traced memory: {ours_peak / 2**20:,.0f} MB; baseline "
              f"{base_peak / 2**20:,.0f} MB; ratio {ours_peak / max(base_peak, 1):.1f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
