"""Budget caps: who gets how much of a limited budget, in a deterministic order.

A scheme may cap its benefit value in total (the budget), per account and per
invoice. :func:`apply_caps` grants each earned amount in turn, in the order
of its ``sort_key`` then its party:

* for cumulative windows, the key is the window (earlier months first), then
  the party id: the budget goes to earlier periods first and, within a
  period, to parties in id order;
* for invoice windows, the key is the invoice's date then the invoice id: the
  budget goes first come, first served.

An amount is granted up to the tightest remaining cap; the rest is cut and
the reason names the cap. Amounts are integers (minor units).

Examples:
    >>> items = [CapItem("R2", (1,), 600), CapItem("R1", (1,), 500), CapItem("R1", (2,), 300)]
    >>> [(r.granted, r.reason) for r in apply_caps(items, total=1000, per_party=700)]
    [(500, 'total budget 1000 left 500'), (500, ''), (0, 'total budget 1000 left 0')]
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs

__all__ = ["CapItem", "CapResult", "apply_caps"]


@attrs.frozen
class CapItem:
    """One earned amount competing for a budget.

    ``step`` is the granularity of a grant: free goods are granted in whole
    units, so an item of free units worth 1250 each has ``step=1250``.
    """

    party: str
    sort_key: tuple[object, ...]
    amount: int
    step: int = 1


@attrs.frozen
class CapResult:
    """The part of an item granted, and why the rest was cut (empty when nothing was)."""

    granted: int
    reason: str = ""


def apply_caps(
    items: Sequence[CapItem],
    *,
    total: int | None = None,
    per_party: int | None = None,
    per_item: int | None = None,
) -> tuple[CapResult, ...]:
    """Grant ``items`` against the caps; results are in the order of ``items``.

    The grants never exceed any cap, and the outcome does not depend on the
    order of ``items`` (only on their keys).
    """
    order = sorted(range(len(items)), key=lambda i: (items[i].sort_key, items[i].party, i))
    left_total = total
    used: dict[str, int] = {}
    out: list[CapResult | None] = [None] * len(items)
    for i in order:
        item = items[i]
        want = max(item.amount, 0)
        limits: list[tuple[int, str]] = []
        if per_item is not None:
            limits.append((per_item, f"per-invoice cap {per_item}"))
        if per_party is not None:
            room = per_party - used.get(item.party, 0)
            limits.append((room, f"per-account cap {per_party} left {room}"))
        if left_total is not None:
            limits.append((left_total, f"total budget {total} left {left_total}"))
        grant = want
        reason = ""
        for limit, why in limits:
            if limit < grant:
                grant = max(limit, 0)
                reason = why
        if item.step > 1 and grant < want:
            grant -= grant % item.step
        used[item.party] = used.get(item.party, 0) + grant
        if left_total is not None:
            left_total -= grant
        out[i] = CapResult(grant, reason)
    return tuple(r for r in out if r is not None)
