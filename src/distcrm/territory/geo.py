"""Great-circle distances and short routes through outlets.

Distances are haversine kilometres on a sphere of radius
:data:`EARTH_RADIUS_KM`. A route is an *open path* through the outlets in
visiting order (the rep's walk from the first outlet to the last; the trip
to and from the distributor is not counted). :func:`order_route` finds a
short one: nearest neighbour from a start outlet, then 2-opt until no
reversal shortens the path. Both steps are deterministic.

Coordinates here are ``float`` degrees: they are measurements, not money.

Examples:
    >>> round(haversine_km((18.5204, 73.8567), (19.0760, 72.8777)), 1)   # Pune to Mumbai
    120.2
    >>> pts = [(0.0, 0.0), (0.0, 0.03), (0.0, 0.01), (0.0, 0.02)]
    >>> order_route(pts)
    [0, 2, 3, 1]
    >>> round(route_length_km([pts[i] for i in order_route(pts)]), 2)
    3.34
"""

from __future__ import annotations

from collections.abc import Sequence
from math import asin, cos, radians, sin, sqrt

__all__ = [
    "EARTH_RADIUS_KM",
    "LatLon",
    "distance_matrix",
    "haversine_km",
    "order_route",
    "route_length_km",
]

EARTH_RADIUS_KM = 6371.0088
"""Mean Earth radius (IUGG)."""

LatLon = tuple[float, float]


def haversine_km(a: LatLon, b: LatLon) -> float:
    """Great-circle distance between two ``(lat, lon)`` points in kilometres."""
    lat1, lon1 = radians(a[0]), radians(a[1])
    lat2, lon2 = radians(b[0]), radians(b[1])
    h = sin((lat2 - lat1) / 2) ** 2 + cos(lat1) * cos(lat2) * sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * asin(min(1.0, sqrt(h)))


def route_length_km(points: Sequence[LatLon]) -> float:
    """Length of the open path through ``points`` in the given order."""
    return sum(haversine_km(points[i], points[i + 1]) for i in range(len(points) - 1))


def distance_matrix(points: Sequence[LatLon]) -> list[list[float]]:
    """Haversine distances between every pair of ``points``."""
    n = len(points)
    rad = [(radians(p[0]), radians(p[1])) for p in points]
    coslat = [cos(r[0]) for r in rad]
    m = [[0.0] * n for _ in range(n)]
    for i in range(n):
        la1, lo1 = rad[i]
        row = m[i]
        for j in range(i + 1, n):
            la2, lo2 = rad[j]
            h = sin((la2 - la1) / 2) ** 2 + coslat[i] * coslat[j] * sin((lo2 - lo1) / 2) ** 2
            d = 2 * EARTH_RADIUS_KM * asin(min(1.0, sqrt(h)))
            row[j] = d
            m[j][i] = d
    return m


def order_route(
    points: Sequence[LatLon], start: LatLon | None = None, *, passes: int = 50
) -> list[int]:
    """Indices of ``points`` in a short visiting order (nearest neighbour + 2-opt).

    The path starts at the point nearest ``start`` (e.g. the distributor)
    when given, else at the point farthest from the points' centroid.
    """
    n = len(points)
    if n <= 2:
        return list(range(n))
    d = distance_matrix(points)
    if start is not None:
        first = min(range(n), key=lambda i: (haversine_km(start, points[i]), i))
    else:
        centre = (sum(p[0] for p in points) / n, sum(p[1] for p in points) / n)
        first = max(range(n), key=lambda i: (haversine_km(centre, points[i]), -i))
    route = [first]
    left = set(range(n)) - {first}
    while left:
        row = d[route[-1]]
        nxt = min(left, key=lambda j: (row[j], j))
        route.append(nxt)
        left.remove(nxt)
    for _ in range(passes):
        improved = False
        for i in range(n - 1):
            a = route[i - 1] if i > 0 else -1
            b = route[i]
            da = d[a] if a >= 0 else None
            db = d[b]
            for j in range(i + 1, n):
                c = route[j]
                e = route[j + 1] if j + 1 < n else -1
                before = (da[b] if da is not None else 0.0) + (d[c][e] if e >= 0 else 0.0)
                after = (da[c] if da is not None else 0.0) + (db[e] if e >= 0 else 0.0)
                if after < before - 1e-9:
                    route[i : j + 1] = route[i : j + 1][::-1]
                    b = route[i]
                    db = d[b]
                    improved = True
        if not improved:
            break
    return route
