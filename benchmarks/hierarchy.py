"""Benchmark of distcrm.hierarchy against plain baselines measured in the same run.

Network at ``--scale 1``: 1 principal, 20 super-stockists, 2,000 distributors and
1,000,000 retailers (Indian FMCG tiers), every link valid from 2025-04-01.

Data: by default (``--source direct``) the accounts and links are built directly,
as minimal ``Account(id, id, tier)`` entities and ``Link`` s, because generating a
million fully populated sample accounts (GSTINs, coordinates, documents) takes far
longer than what is measured. ``--source sample`` builds the network with
``distcrm.testing.sample`` instead (sizes through ``SampleConfig``). Building the
data is never timed; only the operations below are.

Figures (one line each, ending with the ratio ours / baseline and the target):

* build + full validation vs ``networkx.DiGraph().add_edges_from`` of the same
  (parent, child) edges — time (target <= 1), memory retained by the result
  (target <= 0.5) and peak memory while building (reported), both measured with
  tracemalloc in the same run;
* first as-of index of a day (built once per epoch and cached; reported, no target);
* roll-up of one value per retailer to every ancestor vs a plain dict-of-parents
  pass (target <= 2);
* descendants of one super-stockist vs a plain dict-of-children walk (target <= 2);
* ancestors of a retailer vs walking a plain parent dict (target <= 3).

Run: ``python benchmarks/hierarchy.py --scale 1``.
"""

from __future__ import annotations

import argparse
import gc
import random
import sys
import time
import tracemalloc
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

import networkx as nx

from distcrm.hierarchy import ChannelGraph, ancestors, build_graph, descendants, roll_up
from distcrm.parties import INDIAN_FMCG, Account, Link
from distcrm.periods import Validity

START = date(2025, 4, 1)
ON = date(2025, 6, 15)


def direct_network(scale: float) -> tuple[list[Account], list[Link]]:
    """Minimal accounts and links: 1 principal, 20 SS, 2,000 distributors, 1M retailers at scale 1."""
    n_ss = max(1, round(20 * scale))
    n_d = max(1, round(2_000 * scale))
    n_r = max(1, round(1_000_000 * scale))
    validity = Validity(START)
    accounts = [Account("P", "P", "principal")]
    links: list[Link] = []
    for i in range(n_ss):
        accounts.append(Account(f"SS{i}", f"SS{i}", "super_stockist"))
        links.append(Link("P", f"SS{i}", validity))
    for i in range(n_d):
        accounts.append(Account(f"D{i}", f"D{i}", "distributor"))
        links.append(Link(f"SS{i % n_ss}", f"D{i}", validity))
    for i in range(n_r):
        accounts.append(Account(f"R{i}", f"R{i}", "retailer"))
        links.append(Link(f"D{i % n_d}", f"R{i}", validity))
    return accounts, links


def sample_network(scale: float) -> tuple[list[Account], list[Link]]:
    """The network of ``distcrm.testing.sample`` at the same proportions."""
    from distcrm.testing.sample import SampleConfig, generate

    n_ss = max(1, round(20 * scale))
    per_ss = max(1, round(2_000 * scale) // n_ss)
    per_d = 500
    data = generate(
        SampleConfig(
            super_stockists=n_ss,
            distributors_per_super_stockist=per_ss,
            retailers_per_distributor=per_d,
            secondary_lines=0,
        )
    )
    return list(data.accounts), list(data.links)


def _best(fn: Callable[[], object], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def _retained(fn: Callable[[], object]) -> tuple[int, int, object]:
    """Bytes still allocated after ``fn`` (its result) and the peak while it ran."""
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    result = fn()
    gc.collect()
    after, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return after - before, peak - before, result


def _line(name: str, ours: float, base: float, target: float | None, unit: str = "s") -> str:
    ratio = ours / base if base else float("inf")

    def fmt(v: float) -> str:
        return f"{v:.4f} s" if unit == "s" else f"{v / 2**20:.1f} MiB"

    verdict = "" if target is None else (" ok" if ratio <= target else " MISSED")
    goal = "" if target is None else f" (target <= {target:g}{verdict})"
    return f"{name}: ours {fmt(ours)}, baseline {fmt(base)}, ratio {ratio:.2f}{goal}"


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print one line per figure."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of the full size")
    parser.add_argument("--source", choices=("direct", "sample"), default="direct")
    parser.add_argument("--repeat", type=int, default=3, help="timing repeats (best kept)")
    parser.add_argument("--no-memory", action="store_true", help="skip the tracemalloc pass")
    args = parser.parse_args(argv)
    repeat = max(1, args.repeat)

    accounts, links = (direct_network if args.source == "direct" else sample_network)(args.scale)
    edges: list[tuple[str, str]] = [(lk.parent, lk.child) for lk in links]
    by_tier: dict[str, list[str]] = {}
    for a in accounts:
        by_tier.setdefault(a.tier, []).append(a.id)
    retailers = by_tier.get("retailer", [])
    stockist = by_tier.get("super_stockist", by_tier.get("distributor", ["P"]))[0]
    print(
        f"network: {len(accounts):,} accounts, {len(links):,} links "
        f"({len(retailers):,} retailers), scale {args.scale:g}, source {args.source}"
    )

    # -- build + validation vs networkx add_edges_from ---------------------------------------
    graphs: list[ChannelGraph] = []

    def ours_build() -> ChannelGraph:
        g = build_graph(accounts, INDIAN_FMCG, links)
        graphs[:] = [g]
        return g

    def nx_build() -> object:
        g = nx.DiGraph()
        g.add_edges_from(edges)
        return g

    t_nx = _best(nx_build, repeat)
    gc.collect()
    t_ours = _best(ours_build, repeat)
    print(_line("build + validation time", t_ours, t_nx, 1.0))
    graph = graphs[0]
    if not args.no_memory:
        m_ours, p_ours, _ = _retained(ours_build)
        graph = graphs[0]
        m_nx, p_nx, nx_graph = _retained(nx_build)
        del nx_graph
        print(_line("build + validation memory retained", m_ours, m_nx, 0.5, unit="B"))
        print(_line("build + validation memory peak", p_ours, p_nx, None, unit="B"))

    t0 = time.perf_counter()
    graph.as_of(ON)
    t_epoch = time.perf_counter() - t0
    print(_line("first as-of index (once per epoch, cached)", t_epoch, t_nx, None))
    t0 = time.perf_counter()
    descendants(graph, stockist, on=ON)
    t_pre = time.perf_counter() - t0
    print(_line("first descendants query (adds preorder once per epoch)", t_pre, t_nx, None))

    # -- roll-up vs a plain dict-of-parents pass ---------------------------------------------
    values = {r: Decimal(i % 997) + Decimal("0.25") for i, r in enumerate(retailers)}
    parent_of: dict[str, str] = {c: p for p, c in edges}

    def baseline_rollup() -> dict[str, Decimal]:
        totals: dict[str, Decimal] = {}
        get = parent_of.get
        for account, value in values.items():
            p = get(account)
            while p is not None:
                t = totals.get(p)
                totals[p] = value if t is None else t + value
                p = get(p)
        return totals

    result: dict[str, Any] = {}

    def ours_rollup() -> None:
        result["r"] = roll_up(graph, values, on=ON)

    t_base = _best(baseline_rollup, repeat)
    t_ours = _best(ours_rollup, repeat)
    base_totals = baseline_rollup()
    assert all(result["r"].totals[k] == v for k, v in base_totals.items()), "roll-up differs"
    print(_line(f"roll-up of {len(values):,} values", t_ours, t_base, 2.0))

    # -- descendants of one super-stockist vs a dict-of-children walk -------------------------
    children_of: dict[str, list[str]] = {}
    for p, c in edges:
        children_of.setdefault(p, []).append(c)

    def baseline_descendants() -> list[str]:
        out: list[str] = []
        stack = [stockist]
        get = children_of.get
        while stack:
            kids = get(stack.pop())
            if kids:
                out.extend(kids)
                stack.extend(kids)
        return out

    def ours_descendants() -> tuple[str, ...]:
        return descendants(graph, stockist, on=ON)

    reps = max(repeat, 5)
    t_base = _best(baseline_descendants, reps)
    t_ours = _best(ours_descendants, reps)
    assert sorted(ours_descendants()) == sorted(baseline_descendants()), "descendants differ"
    print(_line(f"descendants of {stockist} ({len(ours_descendants()):,})", t_ours, t_base, 2.0))

    # -- ancestors of retailers vs walking a plain parent dict --------------------------------
    rng = random.Random(7)
    probe = [rng.choice(retailers) for _ in range(min(100_000, max(1_000, len(retailers))))]

    def baseline_ancestors() -> None:
        get = parent_of.get
        for r in probe:
            out = []
            p = get(r)
            while p is not None:
                out.append(p)
                p = get(p)

    def ours_ancestors() -> None:
        for r in probe:
            ancestors(graph, r, on=ON)

    snap = graph.as_of(ON)

    def ours_ancestors_view() -> None:
        for r in probe:
            snap.ancestors(r)

    t_base = _best(baseline_ancestors, repeat)
    t_ours = _best(ours_ancestors, repeat)
    t_view = _best(ours_ancestors_view, repeat)
    assert list(ancestors(graph, probe[0], on=ON)) == _walk(parent_of, probe[0])
    print(_line(f"ancestors of {len(probe):,} retailers, ancestors()", t_ours, t_base, 3.0))
    print(_line(f"ancestors of {len(probe):,} retailers, snapshot view", t_view, t_base, 3.0))
    return 0


def _walk(parent_of: dict[str, str], account: str) -> list[str]:
    out = []
    p = parent_of.get(account)
    while p is not None:
        out.append(p)
        p = parent_of.get(p)
    return out


if __name__ == "__main__":
    sys.exit(main())
