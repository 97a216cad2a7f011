"""Field-sales KPIs computed from visits and the orders they booked.

Definitions (over the visits of a period):

* **total calls** — visits;
* **productive calls** — visits that booked an order (``Visit.order_id`` set);
* **strike rate** — productive calls / total calls, in %;
* **lines per call (LPC)** — order lines / productive calls;
* **drop size** — order value / productive calls, where the order value is
  the orders' taxable value (after discounts, before tax);
* **effective coverage** — distinct planned outlets with a productive call /
  distinct outlets planned, in %. Outlets billed outside the plan do not count,
  so the figure stays within ``[0, 100]``.

Orders are :class:`~distcrm.documents.Document` s of kind ``order`` or
``invoice`` referenced by ``Visit.order_id``; an order referenced by several
visits is counted once (with the earliest visit). An ``order_id`` with no
document, or pointing at another kind of document, still makes the call
productive but adds no lines or value and yields a finding.

Percentages are ``Decimal`` with two places; ratios are ``None`` when their
denominator is zero.

Examples:
    >>> from datetime import date
    >>> from distcrm.documents import Document, Line
    >>> from distcrm.money import Money
    >>> from distcrm.periods import Validity
    >>> from distcrm.visits import Visit
    >>> inr = lambda s: Money.of(s, "INR")
    >>> orders = [Document("SO1", "order", "secondary", "D1", "R1", date(2025, 6, 2), "INR",
    ...                    (Line("SKU1", 10, inr("12.00")), Line("SKU2", 5, inr("20.00")))),
    ...           Document("SO2", "order", "secondary", "D1", "R2", date(2025, 6, 2), "INR",
    ...                    (Line("SKU1", 20, inr("12.00")),))]
    >>> visits = [Visit("V1", "REP1", "R1", date(2025, 6, 2), order_id="SO1"),
    ...           Visit("V2", "REP1", "R2", date(2025, 6, 2), order_id="SO2"),
    ...           Visit("V3", "REP1", "R3", date(2025, 6, 2)),
    ...           Visit("V4", "REP1", "R4", date(2025, 6, 2))]
    >>> k = field_kpis(visits, orders, Validity(date(2025, 6, 1), date(2025, 7, 1))).overall
    >>> k.total_calls, k.productive_calls, k.strike_rate, k.lines_per_call
    (4, 2, Decimal('50.00'), Decimal('1.50'))
    >>> k.drop_size                   # (10 x 12 + 5 x 20 + 20 x 12) / 2 = 460 / 2
    Money(amount=Decimal('230.00'), currency='INR')
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from decimal import ROUND_HALF_UP, Decimal

import attrs

from distcrm.documents import Document
from distcrm.errors import CurrencyMismatch
from distcrm.findings import Finding
from distcrm.money import Money
from distcrm.periods import Period, Validity
from distcrm.territory.compliance import percent
from distcrm.territory.journey import JourneyPlan
from distcrm.visits import Visit

__all__ = [
    "ORDER_KINDS",
    "FieldKpis",
    "KpiReport",
    "field_kpis",
]

ORDER_KINDS: frozenset[str] = frozenset({"order", "invoice"})
"""Document kinds that count as the order of a productive call."""

_CENT = Decimal("0.01")


@attrs.frozen
class FieldKpis:
    """Raw counts and the KPIs derived from them for one rep (or everyone)."""

    key: str
    total_calls: int = 0
    productive_calls: int = 0
    order_lines: int = 0
    order_value: Money | None = None
    outlets_planned: int = 0
    outlets_billed: int = 0

    @property
    def strike_rate(self) -> Decimal | None:
        """Productive calls / total calls, in %."""
        return percent(self.productive_calls, self.total_calls)

    @property
    def lines_per_call(self) -> Decimal | None:
        """Order lines / productive calls (two places)."""
        if not self.productive_calls:
            return None
        return (Decimal(self.order_lines) / self.productive_calls).quantize(_CENT, ROUND_HALF_UP)

    @property
    def drop_size(self) -> Money | None:
        """Order value / productive calls, rounded to the currency's minor unit."""
        if not self.productive_calls or self.order_value is None:
            return None
        return (self.order_value / self.productive_calls).round()

    @property
    def effective_coverage(self) -> Decimal | None:
        """Distinct planned outlets billed / distinct outlets planned, in %."""
        return percent(self.outlets_billed, self.outlets_planned)


@attrs.frozen(hash=False)
class KpiReport:
    """KPIs overall and per rep, with findings about unusable order references."""

    period: Validity
    overall: FieldKpis
    by_rep: dict[str, FieldKpis]
    findings: tuple[Finding, ...] = ()


class _Acc:
    __slots__ = ("billed", "currency", "lines", "planned", "productive", "total", "value")

    def __init__(self) -> None:
        self.total = 0
        self.productive = 0
        self.lines = 0
        self.value = Decimal(0)
        self.currency: str | None = None
        self.planned: set[str] = set()
        self.billed: set[str] = set()

    def add(self, lines: int, value: Decimal, currency: str, visit: str) -> None:
        if self.currency is None:
            self.currency = currency
        elif currency != self.currency:
            raise CurrencyMismatch(
                f"visit {visit!r}.order_id: order in {currency}, others in {self.currency}"
            )
        self.lines += lines
        self.value += value

    def result(self, key: str) -> FieldKpis:
        return FieldKpis(
            key,
            self.total,
            self.productive,
            self.lines,
            None if self.currency is None else Money(self.value, self.currency),
            len(self.planned),
            len(self.billed & self.planned),
        )


def field_kpis(
    visits: Iterable[Visit],
    orders: Mapping[str, Document] | Iterable[Document],
    period: Period | Validity,
    *,
    plan: JourneyPlan | None = None,
) -> KpiReport:
    """Total calls, productive calls, strike rate, LPC, drop size and effective coverage.

    Args:
        visits: actual visits; those outside ``period`` are ignored.
        orders: the documents referenced by ``Visit.order_id`` (a mapping by id or an iterable).
        period: the period measured.
        plan: the journey plan; gives each rep's planned outlets for effective
            coverage (without it effective coverage is ``None``).
    """
    window = period.validity if isinstance(period, Period) else period
    by_id: Mapping[str, Document] = (
        orders if isinstance(orders, Mapping) else {d.id: d for d in orders}
    )
    overall = _Acc()
    reps: dict[str, _Acc] = defaultdict(_Acc)
    if plan is not None:
        for pv in plan.visits:
            if window.contains(pv.on):
                reps[pv.rep].planned.add(pv.account)
                overall.planned.add(pv.account)
    findings: list[Finding] = []
    counted: set[str] = set()
    ordered = sorted(
        (v for v in visits if window.contains(v.visited_on)), key=lambda v: (v.visited_on, v.id)
    )
    for v in ordered:
        acc = reps[v.rep]
        acc.total += 1
        overall.total += 1
        if v.order_id is None:
            continue
        acc.productive += 1
        overall.productive += 1
        acc.billed.add(v.account)
        overall.billed.add(v.account)
        if v.order_id in counted:
            continue
        counted.add(v.order_id)
        doc = by_id.get(v.order_id)
        if doc is None or doc.kind not in ORDER_KINDS:
            why = "does not exist" if doc is None else f"is a {doc.kind}, not an order or invoice"
            findings.append(
                Finding(
                    "order_not_usable",
                    f"visit {v.id!r} references order {v.order_id!r}, which {why}",
                    subject=v.id,
                )
            )
            continue
        value = doc.taxable.amount
        acc.add(len(doc.lines), value, doc.currency, v.id)
        overall.add(len(doc.lines), value, doc.currency, v.id)
    return KpiReport(
        window,
        overall.result("*"),
        {k: reps[k].result(k) for k in sorted(reps)},
        tuple(findings),
    )
