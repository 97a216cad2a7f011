"""Beat building: partition, balance, compactness, routes, and bad input."""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from distcrm.parties import Account
from distcrm.territory import (
    BeatError,
    LoadModel,
    MissingCoordinates,
    build_beats,
    haversine_km,
    order_route,
    route_length_km,
)


def shop(oid: str, lat: float | None, lon: float | None, cls: str = "B") -> Account:
    return Account(oid, oid, "retailer", account_class=cls, lat=lat, lon=lon)  # type: ignore[arg-type]


def test_haversine_known_distances() -> None:
    # one degree of longitude on the equator is 2 * pi * 6371.0088 / 360 = 111.195 km
    assert haversine_km((0.0, 0.0), (0.0, 1.0)) == pytest.approx(111.195, abs=0.001)
    assert haversine_km((18.5, 73.8), (18.5, 73.8)) == 0.0


def test_route_on_a_line_is_walked_end_to_end() -> None:
    lons = [73.83, 73.80, 73.82, 73.81, 73.84]
    pts = [(18.5, lon) for lon in lons]
    order = order_route(pts, start=(18.5, 73.70))
    assert [lons[i] for i in order] == [73.80, 73.81, 73.82, 73.83, 73.84]
    # 0.04 degrees of longitude at 18.5 N: 0.04 * 111.195 * cos(18.5 deg) = 4.218 km
    assert route_length_km([pts[i] for i in order]) == pytest.approx(4.218, abs=0.002)


def test_far_apart_clusters_become_one_beat_each() -> None:
    centres = [(18.4, 73.7), (18.4, 74.1), (18.8, 73.7), (18.8, 74.1)]
    outlets = []
    ids = iter(random.Random(5).sample(range(100, 999), 12))
    for lat, lon in centres:
        for k in range(3):
            outlets.append(shop(f"R{next(ids)}", lat + k * 0.002, lon - k * 0.002))
    build = build_beats("D1", outlets, 4)
    # each B outlet weighs 2 visits x 15 min = 30; 3 per cluster -> 90 = the mean
    assert [b.load for b in build.beats] == [90, 90, 90, 90]
    assert build.balanced and build.findings == ()
    by_id = {o.id: (o.lat, o.lon) for o in outlets}
    for b in build.beats:
        lats = {round(by_id[o][0] or 0, 1) for o in b.outlets}
        lons = {round(by_id[o][1] or 0, 1) for o in b.outlets}
        assert len(lats) == len(lons) == 1


def test_impossible_balance_is_reported() -> None:
    outlets = [
        shop("R1", 18.5, 73.8, "A"),
        shop("R2", 18.6, 73.8, "C"),
        shop("R3", 18.6, 73.9, "C"),
    ]
    build = build_beats("D1", outlets, 2)
    # loads: A 4 x 20 = 80, C 1 x 10 = 10; mean (80 + 10 + 10) / 2 = 50, band 45..55
    assert build.band == (45, 55)
    assert not build.balanced
    codes = {f.code for f in build.findings}
    assert codes == {"beat_load_out_of_band"}
    assert "an outlet alone weighs 80 min, above the upper bound 55" in build.findings[0].message
    assert sorted(o for b in build.beats for o in b.outlets) == ["R1", "R2", "R3"]


def test_outlets_without_coordinates_are_named() -> None:
    outlets = [shop("R1", 18.5, 73.8), shop("R2", None, 73.8), shop("R3", 18.5, None)]
    with pytest.raises(MissingCoordinates) as err:
        build_beats("D1", outlets, 1)
    assert str(err.value) == (
        "outlet 'R2'.lat/lon: no coordinates; beat building needs both\n"
        "outlet 'R3'.lat/lon: no coordinates; beat building needs both"
    )
    build = build_beats("D1", outlets, 1, on_missing="skip")
    assert build.skipped == ("R2", "R3")
    assert [f.subject for f in build.findings] == ["R2", "R3"]
    assert build.beats[0].outlets == ("R1",)


@pytest.mark.parametrize(
    ("n_beats", "outlets", "message"),
    [
        (0, [shop("R1", 18.5, 73.8)], "n_beats: must be an int >= 1, got 0"),
        (3, [shop("R1", 18.5, 73.8)], "n_beats: 3 beats for 1 outlet(s) with coordinates"),
        (
            1,
            [shop("R1", 18.5, 73.8), shop("R1", 18.5, 73.9)],
            "outlets[1]: outlet 'R1' is listed twice",
        ),
    ],
)
def test_bad_calls_are_refused(n_beats: int, outlets: list[Account], message: str) -> None:
    with pytest.raises(BeatError) as err:
        build_beats("D1", outlets, n_beats)
    assert str(err.value) == message


def test_load_model_and_beats_for_the_plan() -> None:
    model = LoadModel({"A": 8, "C": 1}, {"A": 10, "C": 5}, default_class="C")
    assert (model.minutes("A"), model.minutes("B"), model.minutes(None)) == (80, 5, 5)
    with pytest.raises(
        BeatError, match=r"load model\.visits_per_month\['A'\]: must be an int >= 0"
    ):
        LoadModel({"A": -1, "C": 1})
    outlets = [shop(f"R{i}", 18.5 + i * 0.01, 73.8) for i in range(6)]
    build = build_beats("D1", outlets, 2, load=model)
    beats = build.to_beats(["REP1", "REP2"], [["MO"], ["TU"]], since=date(2025, 7, 1))
    assert [(b.id, b.rep, b.weekday_names) for b in beats] == [
        ("D1-B1", "REP1", "MO"),
        ("D1-B2", "REP2", "TU"),
    ]
    assert beats[0].outlets == build.beats[0].outlets


def _chunked_by_id_km(outlets: list[Account], n: int) -> float:
    ordered = sorted(outlets, key=lambda a: a.id)
    total = 0.0
    for k in range(n):
        chunk = ordered[k * len(ordered) // n : (k + 1) * len(ordered) // n]
        total += route_length_km([(a.lat or 0.0, a.lon or 0.0) for a in chunk])
    return total


def test_quality_against_chunking_by_id() -> None:
    rng = random.Random(42)
    towns = [(18.5 + rng.uniform(-0.3, 0.3), 73.8 + rng.uniform(-0.3, 0.3)) for _ in range(5)]
    outlets = []
    for oid in rng.sample(range(10_000, 99_999), 400):
        t = towns[rng.randrange(5)]
        outlets.append(
            shop(f"R{oid}", rng.gauss(t[0], 0.03), rng.gauss(t[1], 0.03), rng.choice("AABBBCCCC"))
        )
    build = build_beats("D1", outlets, 8)
    assert build.balanced
    assert build.deviation_pct() <= Decimal("10")
    assert build.total_route_km <= 0.5 * _chunked_by_id_km(outlets, 8)


@st.composite
def outlet_sets(draw: st.DrawFn) -> tuple[list[Account], int]:
    n = draw(st.integers(2, 50))
    ids = draw(st.lists(st.integers(1, 10_000), min_size=n, max_size=n, unique=True))
    outlets = [
        shop(
            f"R{i}",
            draw(st.floats(18.0, 19.0, allow_nan=False)),
            draw(st.floats(73.0, 74.0, allow_nan=False)),
            draw(st.sampled_from("ABC")),
        )
        for i in ids
    ]
    return outlets, draw(st.integers(1, min(6, n)))


@settings(max_examples=60, deadline=None)
@given(outlet_sets(), st.randoms(use_true_random=False))
def test_every_outlet_in_exactly_one_beat(
    case: tuple[list[Account], int], rnd: random.Random
) -> None:
    outlets, n_beats = case
    build = build_beats("D1", outlets, n_beats)
    placed = [o for b in build.beats for o in b.outlets]
    assert sorted(placed) == sorted(o.id for o in outlets)
    assert len(build.beats) == n_beats
    weight = {o.id: LoadModel().minutes(o.account_class) for o in outlets}
    assert all(b.load == sum(weight[o] for o in b.outlets) for b in build.beats)
    lo, hi = build.band
    out_of_band = [b for b in build.beats if not lo <= b.load <= hi]
    assert len(out_of_band) == len(build.findings)
    # deterministic and independent of the input order
    shuffled = list(outlets)
    rnd.shuffle(shuffled)
    assert build_beats("D1", shuffled, n_beats).beats == build.beats
