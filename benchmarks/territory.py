"""Benchmark of distcrm.territory against plain baselines measured in the same run.

Figures at ``--scale 1`` (one line each, ending with the ratio ours / baseline):

* **Beat building** for one distributor with 2,000 outlets into 24 beats. Outlets come
  from :mod:`distcrm.testing.sample` (retailers clustered around the distributor's town,
  ids numbered in creation order, so not sorted geographically). Baseline: the naive
  split — outlets sorted by id, cut into 24 equal chunks, each walked in id order.
  Reported: time; total route length (target: at most half the baseline's); the same
  against the baseline chunks routed with our own nearest-neighbour + 2-opt (a fairer
  baseline); the largest beat's load against the mean (target: within 10 %).
* **Journey plan** for 100,000 outlets over one month (June 2025, two holidays, policy
  ``next_working_day``). Baseline: a plain loop over beat days and outlets deciding each
  visit with integer arithmetic (week parity, n-th beat day), the same plan without
  rrules, traces or findings.
* **Coverage** over 1,000,000 visits against the journey plan of the same outlets for as
  many months as needed (about 90 % of planned visits made, plus unplanned ones).
  Baseline: a plain dict/set pass computing covered and planned counts per rep.
* **Field KPIs** over the same visits (about a third of them productive, each with its
  own order document). Baseline: a plain pass summing calls, lines and paise per rep.

Data for the journey plan, coverage and KPIs is built directly (a documented local
builder: ids, classes and beats only, ``build_network``), because generating 100,000
fully populated sample retailers with their documents is far slower than what is
measured. Building data is never timed. Times are CPU seconds of the benchmark process
(``time.process_time``), stable on a shared machine; ours and the baseline run in the same
process one after the other.

Run: ``python benchmarks/territory.py --scale 1``.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from datetime import date, timedelta
from typing import TypeVar

from distcrm.documents import Document, Line
from distcrm.money import Money
from distcrm.parties import Account
from distcrm.periods import Period, Validity
from distcrm.territory import (
    DEFAULT_LOAD,
    WEEK_EPOCH,
    Beat,
    JourneyPlan,
    WorkCalendar,
    build_beats,
    coverage,
    field_kpis,
    journey_plan,
    order_route,
    route_length_km,
)
from distcrm.visits import Visit

T = TypeVar("T")
JUNE = Period.containing(date(2025, 6, 1), "month")
HOLIDAYS = (date(2025, 6, 7), date(2025, 6, 16))


def timed(fn: Callable[[], T]) -> tuple[float, T]:
    """Run ``fn`` once; (CPU seconds of this process, result).

    CPU time (:func:`time.process_time`) rather than wall time, so that other work on a
    shared machine does not distort the ratios.
    """
    start = time.process_time()
    result = fn()
    return time.process_time() - start, result


def line(label: str, ours: float, base: float, unit: str, note: str = "") -> None:
    """Print one figure: ours, baseline and the ratio ours / baseline."""
    ratio = ours / base if base else float("inf")
    extra = f"  {note}" if note else ""
    print(f"{label}: ours {ours:.3f} {unit}, baseline {base:.3f} {unit}, ratio {ratio:.3f}{extra}")


# -- beat building ------------------------------------------------------------------------


def sample_outlets(n: int) -> tuple[Account, list[Account]]:
    """One distributor and its ``n`` retailers from the sample generator."""
    from distcrm.testing.sample import SampleConfig, generate

    data = generate(
        SampleConfig(
            seed=7,
            months=1,
            super_stockists=1,
            distributors_per_super_stockist=1,
            direct_distributors=0,
            retailers_per_distributor=n,
            skus=5,
            categories=2,
            brands=2,
            secondary_lines=50,
        )
    )
    distributor = data.by_tier("distributor")[0]
    outlets = [r for r in data.by_tier("retailer") if data.parent_of(r.id) == distributor.id]
    return distributor, outlets


def chunk_by_id(outlets: Sequence[Account], n: int) -> list[list[Account]]:
    """The naive baseline: outlets sorted by id, cut into ``n`` equal chunks."""
    ordered = sorted(outlets, key=lambda a: a.id)
    return [ordered[k * len(ordered) // n : (k + 1) * len(ordered) // n] for k in range(n)]


def bench_building(scale: float) -> None:
    n_outlets = max(48, round(2000 * scale))
    n_beats = max(2, min(24, n_outlets // 20))
    distributor, outlets = sample_outlets(n_outlets)
    depot = (distributor.lat or 0.0, distributor.lon or 0.0)
    t_ours, build = timed(lambda: build_beats(distributor.id, outlets, n_beats, depot=depot))
    t_base, chunks = timed(lambda: chunk_by_id(outlets, n_beats))
    line(f"beat build {len(outlets)} outlets / {n_beats} beats time", t_ours, t_base, "s")
    naive_km = sum(route_length_km([(a.lat or 0.0, a.lon or 0.0) for a in c]) for c in chunks)
    routed_km = 0.0
    for c in chunks:
        pts = [(a.lat or 0.0, a.lon or 0.0) for a in c]
        routed_km += route_length_km([pts[i] for i in order_route(pts, depot)])
    ours_km = build.total_route_km
    line("beat build total route", ours_km, naive_km, "km", "(target <= 0.5 vs chunk by id)")
    line("beat build total route vs routed chunks", ours_km, routed_km, "km")
    loads = [sum(DEFAULT_LOAD.minutes(a.account_class) for a in c) for c in chunks]
    mean = float(build.mean_load)
    line(
        "beat build largest beat load",
        build.largest_load,
        max(loads),
        "min",
        f"(mean {mean:.1f}; ours +{100 * (build.largest_load / mean - 1):.1f} %, "
        f"baseline +{100 * (max(loads) / mean - 1):.1f} %; target <= +10 %; "
        f"balanced={build.balanced})",
    )


# -- journey plan, coverage and KPIs -----------------------------------------------------


def build_network(n_outlets: int, seed: int = 11) -> tuple[list[Beat], dict[str, str]]:
    """Beats of about 40 outlets, one weekday each (Monday to Saturday), six per rep."""
    rng = random.Random(seed)
    ids = [f"R{i:07d}" for i in range(n_outlets)]
    rng.shuffle(ids)
    classes = {oid: rng.choices("ABC", (20, 30, 50))[0] for oid in ids}
    beats = []
    per_beat = 40
    for b, start in enumerate(range(0, n_outlets, per_beat)):
        rep = f"REP{b // 6:05d}"
        beats.append(
            Beat(f"BT{b:06d}", f"D{b // 60:04d}", rep, [b % 6], ids[start : start + per_beat])
        )
    return beats, classes


def baseline_plan(
    beats: Sequence[Beat], classes: dict[str, str], period: Period, holidays: set[date]
) -> list[tuple[date, str, str, str]]:
    """Plain loops: the same cadences (A every beat day, B alternate weeks, C n-th beat day)."""
    out: list[tuple[date, str, str, str]] = []
    days = [period.start + timedelta(days=i) for i in range(period.days())]
    for beat in beats:
        weekday = min(beat.weekdays)
        beat_days = [d for d in days if d.weekday() == weekday]
        b_rank = 0
        c_rank = 0
        for outlet in beat.outlets:
            cls = classes[outlet]
            if cls == "A":
                chosen = beat_days
            elif cls == "B":
                parity = b_rank % 2
                b_rank += 1
                chosen = [d for d in beat_days if ((d - WEEK_EPOCH).days // 7) % 2 == parity]
            else:
                nth = c_rank % 4
                c_rank += 1
                chosen = beat_days[nth : nth + 1]
            for d in chosen:
                if d in holidays:
                    d += timedelta(days=1)
                    while d.weekday() == 6 or d in holidays:
                        d += timedelta(days=1)
                    if d >= period.end:
                        continue
                out.append((d, outlet, beat.id, beat.rep))
    return out


def make_visits(plan: JourneyPlan, seed: int = 5) -> tuple[list[Visit], list[Document]]:
    """About 90 % of planned visits made, 5 % extra unplanned; a third productive."""
    rng = random.Random(seed)
    visits: list[Visit] = []
    orders: list[Document] = []
    price = Money.of("42.50", "INR")
    lines_pool = [tuple(Line(f"SKU{k}", 12, price) for k in range(n)) for n in range(1, 6)]
    for pv in plan.visits:
        if rng.random() < 0.9:
            order_id = None
            if rng.random() < 0.33:
                order_id = f"SO{len(orders):07d}"
                orders.append(
                    Document(
                        order_id,
                        "order",
                        "secondary",
                        "D1",
                        pv.account,
                        pv.on,
                        "INR",
                        rng.choice(lines_pool),
                    )
                )
            visits.append(
                Visit(f"V{len(visits):07d}", pv.rep, pv.account, pv.on, pv.beat, order_id)
            )
        if rng.random() < 0.05:
            day = pv.on + timedelta(days=1)
            visits.append(Visit(f"V{len(visits):07d}", pv.rep, pv.account, day, pv.beat))
    return visits, orders


def baseline_coverage(plan: JourneyPlan, visits: Sequence[Visit]) -> dict[str, list[int]]:
    """Plain dicts: planned and covered per rep."""
    planned: dict[tuple[str, date], str] = {}
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for pv in plan.visits:
        planned[(pv.account, pv.on)] = pv.rep
        counts[pv.rep][0] += 1
    seen: set[tuple[str, date]] = set()
    start, end = plan.period.start, plan.period.end
    assert end is not None
    for v in visits:
        if not start <= v.visited_on < end:
            continue
        key = (v.account, v.visited_on)
        rep = planned.get(key)
        if rep is not None and key not in seen:
            seen.add(key)
            counts[rep][1] += 1
    return counts


def baseline_kpis(visits: Sequence[Visit], orders: dict[str, Document]) -> dict[str, list[int]]:
    """Plain pass: calls, productive calls, lines and paise per rep."""
    out: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for v in visits:
        row = out[v.rep]
        row[0] += 1
        if v.order_id is not None:
            row[1] += 1
            doc = orders.get(v.order_id)
            if doc is not None:
                row[2] += len(doc.lines)
                row[3] += sum(int(ln.qty * ln.unit_price.amount * 100) for ln in doc.lines)
    return out


def bench_plans(scale: float) -> None:
    n_outlets = max(240, round(100_000 * scale))
    n_visits = max(1_000, round(1_000_000 * scale))
    beats, classes = build_network(n_outlets)
    calendar = WorkCalendar(holidays=HOLIDAYS)
    t_ours, plan = timed(
        lambda: journey_plan(beats, JUNE, calendar, classes=classes, policy="next_working_day")
    )
    t_base, rows = timed(lambda: baseline_plan(beats, classes, JUNE, set(HOLIDAYS)))
    line(
        f"journey plan {n_outlets} outlets x 1 month time ({len(plan)} visits, baseline {len(rows)})",
        t_ours,
        t_base,
        "s",
    )
    # a plan long enough to yield the wanted number of visits
    months = max(1, round(n_visits / (0.945 * max(1, len(plan)))))
    end = JUNE.start
    for _ in range(months):
        end = Period.containing(end, "month").end
    long_plan = journey_plan(
        beats, Validity(JUNE.start, end), calendar, classes=classes, policy="next_working_day"
    )
    visits, orders = make_visits(long_plan)
    t_ours, report = timed(lambda: coverage(long_plan, visits))
    t_base, _ = timed(lambda: baseline_coverage(long_plan, visits))
    line(
        f"coverage over {len(visits)} visits / {len(long_plan)} planned time "
        f"(compliance {report.overall.compliance} %)",
        t_ours,
        t_base,
        "s",
    )
    by_id: dict[str, Document] = {d.id: d for d in orders}
    period = Validity(JUNE.start, end)
    t_ours, kpis = timed(lambda: field_kpis(visits, by_id, period, plan=long_plan))
    t_base, _ = timed(lambda: baseline_kpis(visits, by_id))
    k = kpis.overall
    line(
        f"field KPIs over {len(visits)} visits time (strike rate {k.strike_rate} %, "
        f"LPC {k.lines_per_call}, drop {k.drop_size}, effective coverage {k.effective_coverage} %)",
        t_ours,
        t_base,
        "s",
    )


def main(argv: list[str] | None = None) -> int:
    """Run every figure at ``--scale`` (fraction of the full size)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0] if __doc__ else None)
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of the full size")
    args = parser.parse_args(argv)
    if not 0 < args.scale <= 10:
        parser.error("--scale must be in (0, 10]")
    print(f"territory benchmark, scale {args.scale}")
    bench_building(args.scale)
    bench_plans(args.scale)
    return 0


if __name__ == "__main__":
    sys.exit(main())
