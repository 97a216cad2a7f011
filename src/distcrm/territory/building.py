"""Beat building: group a distributor's outlets into balanced, compact, well-ordered beats.

**Workload.** Each outlet weighs ``visits per month × service minutes`` for
its class (:class:`LoadModel`; default A 4 × 20, B 2 × 15, C 1 × 10 minutes).
A beat's load is the sum over its outlets; the target is that every beat be
within ``±tolerance`` (default 10 %) of the mean load. Loads are whole
minutes, so the band is ``ceil(mean × 0.9) .. floor(mean × 1.1)``.

**Method** (deterministic, no randomness):

1. *Sweep*: outlets sorted by angle around the depot (the distributor, or
   the outlets' centroid) are cut into N sectors of equal load; their
   load-weighted centres seed the beats.
2. *Balanced clustering*: a few rounds of capacity-constrained assignment —
   outlets in order of regret (how much farther their second-best centre
   is) go to the nearest centre with room — each followed by moving the
   centres to the new load-weighted means. The capacity aims at half the
   tolerance (±5 % by default) to leave slack for the next steps.
3. *Repair*: while a beat is outside the aimed band (then the full band),
   move the single outlet whose move costs least distance, from a beat that
   can spare it to one that can take it. Then *polish*: move outlets to a
   nearer centre when both beats stay inside the aimed band.
4. *Route*: each beat is ordered by nearest neighbour from the outlet closest
   to the depot, improved by 2-opt (:func:`~distcrm.territory.geo.order_route`).

Clustering uses a local flat projection in kilometres (exact enough at the
scale of a district); route lengths are haversine. When the band cannot be
met (one outlet heavier than the upper bound, too few outlets...) the build
still returns every outlet in a beat and says so with a
``beat_load_out_of_band`` finding.

Examples:
    >>> from distcrm.parties import Account
    >>> shops = [Account(f"R{i}", f"Shop {i}", "retailer", account_class="B",
    ...                  lat=18.50 + (i % 4) * 0.01, lon=73.80 + (i // 4) * 0.01)
    ...          for i in range(16)]
    >>> build = build_beats("D1", shops, 2)
    >>> [len(b.outlets) for b in build.beats], [b.load for b in build.beats]
    ([8, 8], [240, 240])
    >>> build.balanced, build.mean_load
    (True, Decimal('240'))
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal, TypeAlias

import attrs

from distcrm.errors import Problem
from distcrm.findings import Finding, Trace
from distcrm.parties import Account, AccountId, as_account_id
from distcrm.periods import Validity
from distcrm.territory.beats import Beat
from distcrm.territory.errors import BeatError, MissingCoordinates
from distcrm.territory.geo import LatLon, haversine_km, order_route, route_length_km

__all__ = [
    "DEFAULT_LOAD",
    "BeatBuild",
    "BuiltBeat",
    "LoadModel",
    "MissingPolicy",
    "build_beats",
]

MissingPolicy: TypeAlias = Literal["raise", "skip"]


def _int_map(values: Mapping[str, int]) -> dict[str, int]:
    return dict(values)


@attrs.frozen(hash=False)
class LoadModel:
    """Monthly workload of an outlet in minutes: ``visits_per_month × service_minutes``.

    Outlets without a class (or a class not listed) count as ``default_class``.

    Examples:
        >>> DEFAULT_LOAD.minutes("A"), DEFAULT_LOAD.minutes("B"), DEFAULT_LOAD.minutes(None)
        (80, 30, 10)
    """

    visits_per_month: dict[str, int] = attrs.field(
        factory=lambda: {"A": 4, "B": 2, "C": 1}, converter=_int_map
    )
    service_minutes: dict[str, int] = attrs.field(
        factory=lambda: {"A": 20, "B": 15, "C": 10}, converter=_int_map
    )
    default_class: str = "C"

    def __attrs_post_init__(self) -> None:
        for name in ("visits_per_month", "service_minutes"):
            for cls, value in getattr(self, name).items():
                if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                    raise BeatError(f"load model.{name}[{cls!r}]: must be an int >= 0")
        if self.default_class not in self.visits_per_month:
            raise BeatError(
                f"load model.default_class: {self.default_class!r} has no visits_per_month"
            )

    def minutes(self, account_class: str | None) -> int:
        """Monthly minutes for an outlet of ``account_class``."""
        cls = account_class if account_class in self.visits_per_month else self.default_class
        assert cls is not None
        return self.visits_per_month[cls] * self.service_minutes.get(cls, 0)


DEFAULT_LOAD = LoadModel()
"""A: 4 visits × 20 min, B: 2 × 15, C: 1 × 10 (minutes per month)."""


@attrs.frozen
class BuiltBeat:
    """One proposed beat: outlets in route order, monthly load, route length, centre."""

    index: int
    outlets: tuple[AccountId, ...]
    load: int
    route_km: float
    centre: LatLon


@attrs.frozen
class BeatBuild:
    """The result of :func:`build_beats`."""

    distributor: AccountId
    beats: tuple[BuiltBeat, ...]
    mean_load: Decimal
    band: tuple[int, int]
    findings: tuple[Finding, ...]
    trace: Trace
    skipped: tuple[AccountId, ...] = ()

    @property
    def balanced(self) -> bool:
        """True when every beat's load is inside the band."""
        lo, hi = self.band
        return all(lo <= b.load <= hi for b in self.beats)

    @property
    def total_route_km(self) -> float:
        """Sum of the beats' route lengths."""
        return sum(b.route_km for b in self.beats)

    @property
    def largest_load(self) -> int:
        """The heaviest beat's load in minutes."""
        return max(b.load for b in self.beats)

    def deviation_pct(self) -> Decimal:
        """Largest absolute deviation of a beat's load from the mean, in % (2 places)."""
        if self.mean_load == 0:
            return Decimal("0.00")
        worst = max(abs(Decimal(b.load) - self.mean_load) for b in self.beats)
        return (worst * 100 / self.mean_load).quantize(Decimal("0.01"), ROUND_HALF_UP)

    def to_beats(
        self,
        reps: str | Sequence[str],
        weekdays: Sequence[Iterable[int | str]],
        *,
        since: date,
        prefix: str | None = None,
    ) -> tuple[Beat, ...]:
        """:class:`Beat` entities valid from ``since``.

        Args:
            reps: one rep for every beat, or one rep per beat.
            weekdays: weekdays per beat, cycled (e.g. ``[["MO"], ["TU"], ...]``).
            since: first day of the beats.
            prefix: beat id prefix (default ``"<distributor>-B"``); ids are numbered from 1.
        """
        if not weekdays:
            raise BeatError("weekdays: give at least one weekday set")
        rep_list = [reps] * len(self.beats) if isinstance(reps, str) else list(reps)
        if len(rep_list) != len(self.beats):
            raise BeatError(f"reps: {len(rep_list)} rep(s) for {len(self.beats)} beat(s)")
        stem = prefix if prefix is not None else f"{self.distributor}-B"
        width = len(str(len(self.beats)))
        return tuple(
            Beat(
                f"{stem}{b.index + 1:0{width}d}",
                self.distributor,
                rep_list[i],
                weekdays[i % len(weekdays)],
                b.outlets,
                Validity(since),
            )
            for i, b in enumerate(self.beats)
        )


def _checked(
    outlets: Sequence[Account], n_beats: int, on_missing: MissingPolicy
) -> tuple[list[Account], list[AccountId]]:
    if isinstance(n_beats, bool) or not isinstance(n_beats, int) or n_beats < 1:
        raise BeatError(f"n_beats: must be an int >= 1, got {n_beats!r}")
    if on_missing not in ("raise", "skip"):
        raise BeatError(f"on_missing: {on_missing!r} is not 'raise' or 'skip'")
    seen: set[str] = set()
    problems: list[Problem] = []
    missing: list[AccountId] = []
    good: list[Account] = []
    for i, acc in enumerate(outlets):
        if acc.id in seen:
            raise BeatError(f"outlets[{i}]: outlet {acc.id!r} is listed twice")
        seen.add(acc.id)
        if acc.lat is None or acc.lon is None:
            missing.append(acc.id)
            problems.append(
                Problem(f"outlet {acc.id!r}.lat/lon", "no coordinates; beat building needs both")
            )
        else:
            good.append(acc)
    if problems and on_missing == "raise":
        raise MissingCoordinates(problems)
    if len(good) < n_beats:
        raise BeatError(f"n_beats: {n_beats} beats for {len(good)} outlet(s) with coordinates")
    good.sort(key=lambda a: a.id)
    return good, missing


def build_beats(
    distributor: str,
    outlets: Sequence[Account],
    n_beats: int,
    *,
    load: LoadModel = DEFAULT_LOAD,
    tolerance: Decimal = Decimal("0.10"),
    depot: LatLon | None = None,
    on_missing: MissingPolicy = "raise",
    rounds: int = 12,
) -> BeatBuild:
    """Group ``outlets`` into ``n_beats`` balanced, compact beats, each ordered as a short route.

    Args:
        distributor: the distributor serving the outlets.
        outlets: the outlets (accounts with ``lat``/``lon`` and ``account_class``).
        n_beats: number of beats wanted.
        load: workload model (minutes per month per outlet class).
        tolerance: allowed deviation of a beat's load from the mean (``0.10`` = ±10 %).
        depot: the distributor's ``(lat, lon)``; routes start near it. Default: the centroid.
        on_missing: outlets without coordinates raise :class:`MissingCoordinates`
            (``"raise"``, default) or are left out with a finding (``"skip"``).
        rounds: balanced-clustering rounds.

    Raises:
        MissingCoordinates: outlets without coordinates (each one named), unless skipped.
        BeatError: a bad ``n_beats`` or ``tolerance``, or an outlet listed twice.
    """
    tol = Decimal(tolerance)
    if not Decimal(0) <= tol < 1:
        raise BeatError(f"tolerance: must be in [0, 1), got {tolerance}")
    good, missing = _checked(outlets, n_beats, on_missing)
    dist_id = as_account_id(distributor)
    trace = Trace.of(f"beat building for {distributor}: {len(good)} outlets into {n_beats} beats")
    findings = [
        Finding(
            "outlet_without_coordinates",
            f"outlet {m!r} has no coordinates; left out of the beats of {distributor!r}",
            subject=m,
        )
        for m in missing
    ]
    n = len(good)
    w = [load.minutes(a.account_class) for a in good]
    total = sum(w)
    mean = Decimal(total) / n_beats
    lo_i = math.ceil(mean * (1 - tol))
    hi_i = math.floor(mean * (1 + tol))
    # aim for half the tolerance first, keeping slack for the compactness polish
    lo_aim = max(lo_i, math.ceil(mean * (1 - tol / 2)))
    hi_aim = min(hi_i, math.floor(mean * (1 + tol / 2)))
    if lo_aim > hi_aim:
        lo_aim, hi_aim = lo_i, hi_i
    trace = trace.add(
        "workload", "considered", f"total {total} min, mean {mean:.2f}, band {lo_i}..{hi_i}"
    )

    lat0 = sum(a.lat for a in good if a.lat is not None) / n
    lon0 = sum(a.lon for a in good if a.lon is not None) / n
    kx = 111.195 * math.cos(math.radians(lat0))
    ky = 111.195
    xs = [((a.lon or 0.0) - lon0) * kx for a in good]
    ys = [((a.lat or 0.0) - lat0) * ky for a in good]
    ox, oy = (0.0, 0.0) if depot is None else ((depot[1] - lon0) * kx, (depot[0] - lat0) * ky)

    # 1. sweep into sectors of equal load
    order = sorted(range(n), key=lambda i: (math.atan2(ys[i] - oy, xs[i] - ox), i))
    assign = [0] * n
    acc_load = 0
    for i in order:
        k = min(n_beats - 1, int(acc_load * n_beats // max(total, 1)))
        assign[i] = k
        acc_load += w[i]
    # guarantee no empty sector (possible with zero loads)
    present = set(assign)
    for k in range(n_beats):
        if k not in present:
            assign[order[k * n // n_beats]] = k
    cx, cy, loads = _centres(assign, xs, ys, w, n_beats)
    trace = trace.add("sweep", "applied", f"{n_beats} sectors around the depot")

    # 2. balanced clustering
    ks = range(n_beats)
    for r in range(rounds):
        dists = [[math.hypot(xs[i] - cx[k], ys[i] - cy[k]) for k in ks] for i in range(n)]
        prefs = [sorted(ks, key=row.__getitem__) for row in dists]
        regret = sorted(
            range(n),
            key=lambda i: (
                -(dists[i][prefs[i][1]] - dists[i][prefs[i][0]]) if n_beats > 1 else 0.0,
                i,
            ),
        )
        new = [0] * n
        room = [0] * n_beats
        for i in regret:
            target = prefs[i][0]
            for k in prefs[i]:
                if room[k] + w[i] <= hi_aim:
                    target = k
                    break
            new[i] = target
            room[target] += w[i]
        changed = new != assign
        assign = new
        cx, cy, loads = _centres(assign, xs, ys, w, n_beats, keep=(cx, cy))
        if not changed:
            trace = trace.add("balanced clustering", "applied", f"stable after {r + 1} round(s)")
            break
    else:
        trace = trace.add("balanced clustering", "applied", f"{rounds} round(s)")

    # 3. repair loads, then polish compactness
    moves = _repair(assign, xs, ys, w, cx, cy, loads, lo_aim, hi_aim)
    moves += _repair(assign, xs, ys, w, cx, cy, loads, lo_i, hi_i)
    trace = trace.add("load repair", "applied" if moves else "skipped", f"{moves} move(s)")
    polished = _polish(assign, xs, ys, w, loads, lo_aim, hi_aim, n_beats)
    trace = trace.add("polish", "applied" if polished else "skipped", f"{polished} move(s)")

    # 4. routes
    members: list[list[int]] = [[] for _ in ks]
    for i, k in enumerate(assign):
        members[k].append(i)
    built: list[BuiltBeat] = []
    for k in ks:
        pts = [(good[i].lat or 0.0, good[i].lon or 0.0) for i in members[k]]
        route = order_route(pts, depot)
        ordered = [members[k][j] for j in route]
        path = [pts[j] for j in route]
        centre = (
            (sum(p[0] for p in pts) / len(pts), sum(p[1] for p in pts) / len(pts))
            if pts
            else (lat0, lon0)
        )
        built.append(
            BuiltBeat(
                k,
                tuple(good[i].id for i in ordered),
                sum(w[i] for i in ordered),
                route_length_km(path),
                centre,
            )
        )
    # number beats by angle around the depot so ids read clockwise-ish and stay stable
    anchor = depot if depot is not None else (lat0, lon0)
    built.sort(
        key=lambda b: (
            math.atan2(b.centre[0] - anchor[0], b.centre[1] - anchor[1]),
            haversine_km(anchor, b.centre),
            b.outlets,
        )
    )
    built = [attrs.evolve(b, index=i) for i, b in enumerate(built)]
    for b in built:
        if not lo_i <= b.load <= hi_i:
            heaviest = max(w)
            why = (
                f"an outlet alone weighs {heaviest} min, above the upper bound {hi_i}"
                if heaviest > hi_i
                else "no single outlet move brings it inside the band"
            )
            findings.append(
                Finding(
                    "beat_load_out_of_band",
                    f"beat {b.index + 1} of {distributor!r} carries {b.load} min against a "
                    f"band of {lo_i}..{hi_i} (mean {mean:.2f} ±{tol * 100}%): {why}",
                    subject=f"{distributor}:{b.index + 1}",
                )
            )
    return BeatBuild(
        dist_id,
        tuple(built),
        mean,
        (lo_i, hi_i),
        tuple(findings),
        trace,
        tuple(missing),
    )


def _centres(
    assign: list[int],
    xs: list[float],
    ys: list[float],
    w: list[int],
    k: int,
    keep: tuple[list[float], list[float]] | None = None,
) -> tuple[list[float], list[float], list[int]]:
    sx = [0.0] * k
    sy = [0.0] * k
    sw = [0.0] * k
    loads = [0] * k
    count = [0] * k
    for i, b in enumerate(assign):
        weight = w[i] + 1e-6  # zero-load outlets still pull their centre
        sx[b] += xs[i] * weight
        sy[b] += ys[i] * weight
        sw[b] += weight
        loads[b] += w[i]
        count[b] += 1
    cx = [sx[b] / sw[b] if count[b] else (keep[0][b] if keep else 0.0) for b in range(k)]
    cy = [sy[b] / sw[b] if count[b] else (keep[1][b] if keep else 0.0) for b in range(k)]
    return cx, cy, loads


def _repair(
    assign: list[int],
    xs: list[float],
    ys: list[float],
    w: list[int],
    cx: list[float],
    cy: list[float],
    loads: list[int],
    lo: int,
    hi: int,
) -> int:
    """Single-outlet moves until every load is inside [lo, hi] or no move helps."""
    n = len(assign)
    k = len(loads)
    moves = 0
    for _ in range(4 * n):
        over = [b for b in range(k) if loads[b] > hi]
        under = [b for b in range(k) if loads[b] < lo]
        if not over and not under:
            break
        best: tuple[float, int, int] | None = None
        if over:
            src = max(over, key=lambda b: (loads[b], -b))
            for i in range(n):
                if assign[i] != src or w[i] == 0:
                    continue
                for dst in range(k):
                    if dst == src or loads[dst] + w[i] > hi:
                        continue
                    cost = math.hypot(xs[i] - cx[dst], ys[i] - cy[dst]) - math.hypot(
                        xs[i] - cx[src], ys[i] - cy[src]
                    )
                    if best is None or (cost, i, dst) < best:
                        best = (cost, i, dst)
        else:
            dst = min(under, key=lambda b: (loads[b], b))
            for i in range(n):
                src = assign[i]
                if src == dst or w[i] == 0 or loads[dst] + w[i] > hi:
                    continue
                if loads[src] - w[i] < lo and loads[src] <= hi:
                    continue
                cost = math.hypot(xs[i] - cx[dst], ys[i] - cy[dst]) - math.hypot(
                    xs[i] - cx[src], ys[i] - cy[src]
                )
                if best is None or (cost, i, dst) < best:
                    best = (cost, i, dst)
        if best is None:
            break
        _, i, dst = best
        _move(assign, xs, ys, w, cx, cy, loads, i, dst)
        moves += 1
    return moves


def _move(
    assign: list[int],
    xs: list[float],
    ys: list[float],
    w: list[int],
    cx: list[float],
    cy: list[float],
    loads: list[int],
    i: int,
    dst: int,
) -> None:
    src = assign[i]
    assign[i] = dst
    loads[src] -= w[i]
    loads[dst] += w[i]
    for b in (src, dst):
        members = [j for j, a in enumerate(assign) if a == b]
        if members:
            weight = [w[j] + 1e-6 for j in members]
            total = sum(weight)
            cx[b] = sum(xs[j] * wt for j, wt in zip(members, weight, strict=True)) / total
            cy[b] = sum(ys[j] * wt for j, wt in zip(members, weight, strict=True)) / total


def _polish(
    assign: list[int],
    xs: list[float],
    ys: list[float],
    w: list[int],
    loads: list[int],
    lo: int,
    hi: int,
    k: int,
    passes: int = 8,
) -> int:
    """Move outlets to a nearer centre while both beats stay inside the band."""
    moves = 0
    n = len(assign)
    for _ in range(passes):
        cx, cy, _loads = _centres(assign, xs, ys, w, k)
        moved = 0
        for i in range(n):
            src = assign[i]
            here = math.hypot(xs[i] - cx[src], ys[i] - cy[src])
            best_k, best_d = src, here
            for b in range(k):
                if b == src:
                    continue
                d = math.hypot(xs[i] - cx[b], ys[i] - cy[b])
                if d < best_d - 1e-9:
                    best_k, best_d = b, d
            if best_k == src:
                continue
            if loads[src] - w[i] < lo or loads[best_k] + w[i] > hi:
                continue
            assign[i] = best_k
            loads[src] -= w[i]
            loads[best_k] += w[i]
            moved += 1
        moves += moved
        if not moved:
            break
    return moves
