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

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from operator import attrgetter

import attrs

from distcrm.documents import Document
from distcrm.errors import CurrencyMismatch
from distcrm.findings import Finding
from distcrm.money import Money
from distcrm.periods import Period, Validity
from distcrm.territory.compliance import percent
from distcrm.territory.journey import JourneyPlan
from distcrm.territory.tree import TerritoryTree
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
    """KPIs overall and per rep, beat and territory, with findings about unusable orders.

    ``by_territory`` rolls up to every ancestor when a territory tree is given,
    as :func:`~distcrm.territory.compliance.coverage` does.
    """

    period: Validity
    overall: FieldKpis
    by_rep: dict[str, FieldKpis]
    findings: tuple[Finding, ...] = ()
    by_beat: dict[str, FieldKpis] = attrs.field(factory=dict)
    by_territory: dict[str, FieldKpis] = attrs.field(factory=dict)


def _taxable(doc: Document) -> Decimal:
    """``doc.taxable.amount`` (gross - discount per line) without building Money per line."""
    total = Decimal(0)
    for ln in doc.lines:
        total += ln.unit_price.amount * ln.qty
        if ln.discount is not None:
            total -= ln.discount.amount
    return total


def _by_key(
    counts_by_account: Counter[str], scope_of: Callable[[str], tuple[str, ...]]
) -> Counter[str]:
    """Counts per account spread to every key of the account's scope."""
    out: Counter[str] = Counter()
    for account, n in counts_by_account.items():
        for key in scope_of(account):
            out[key] += n
    return out


def _rows(
    keys: Iterable[str],
    total: Mapping[str, int],
    productive: Mapping[str, int],
    lines: Mapping[str, int],
    value: Mapping[str, Decimal],
    planned: Mapping[str, set[str]],
    billed: Mapping[str, set[str]],
    currency: str | None,
) -> dict[str, FieldKpis]:
    out: dict[str, FieldKpis] = {}
    for k in sorted(keys):
        plan_set = planned.get(k, set())
        out[k] = FieldKpis(
            k,
            total.get(k, 0),
            productive.get(k, 0),
            lines.get(k, 0),
            Money(value[k], currency) if k in value and currency is not None else None,
            len(plan_set),
            len(billed.get(k, set()) & plan_set),
        )
    return out


def field_kpis(
    visits: Iterable[Visit],
    orders: Mapping[str, Document] | Iterable[Document],
    period: Period | Validity,
    *,
    plan: JourneyPlan | None = None,
    territories: Mapping[str, str] | None = None,
    tree: TerritoryTree | None = None,
) -> KpiReport:
    """Total calls, productive calls, strike rate, LPC, drop size and effective coverage.

    Reported overall and per rep, per beat (visits without a beat are counted
    overall and per rep only) and per territory.

    Args:
        visits: actual visits; those outside ``period`` are ignored.
        orders: the documents referenced by ``Visit.order_id`` (a mapping by id or an iterable).
        period: the period measured.
        plan: the journey plan; gives the planned outlets for effective coverage
            (without it effective coverage is ``None``).
        territories: outlet id -> territory id. Defaults to the placements of
            ``tree`` on the period's first day.
        tree: when given, territory rows roll up to every ancestor.
    """
    window = period.validity if isinstance(period, Period) else period
    start, end = window.start, window.end
    by_id: Mapping[str, Document] = (
        orders if isinstance(orders, Mapping) else {d.id: d for d in orders}
    )
    if territories is None:
        territories = {}
        if tree is not None:
            for pl in tree.placements:
                if pl.validity.contains(start):
                    territories[pl.account] = pl.territory
    scope_cache: dict[str, tuple[str, ...]] = {}

    def territory_scope(account: str) -> tuple[str, ...]:
        terr = territories.get(account)
        if terr is None:
            return ()
        scope = scope_cache.get(terr)
        if scope is None:
            found = tree is not None and tree.find(terr, start)
            scope = tuple(tree.path(terr, start)) if tree is not None and found else (terr,)
            scope_cache[terr] = scope
        return scope

    in_period = [v for v in visits if start <= v.visited_on and (end is None or v.visited_on < end)]
    productive_visits = [v for v in in_period if v.order_id is not None]
    rep_of, beat_of, account_of = attrgetter("rep"), attrgetter("beat"), attrgetter("account")
    # calls: one C-level counting pass per grouping
    total = {
        "rep": Counter(map(rep_of, in_period)),
        "beat": Counter(map(beat_of, in_period)),
        "territory": _by_key(Counter(map(account_of, in_period)), territory_scope),
    }
    productive = {
        "rep": Counter(map(rep_of, productive_visits)),
        "beat": Counter(map(beat_of, productive_visits)),
        "territory": _by_key(Counter(map(account_of, productive_visits)), territory_scope),
    }
    for counter in (total["beat"], productive["beat"]):
        counter.pop(None, None)  # calls off any beat
    billed: dict[str, dict[str, set[str]]] = {
        g: defaultdict(set) for g in ("rep", "beat", "territory")
    }
    first: dict[str, Visit] = {}
    for v in productive_visits:
        billed["rep"][v.rep].add(v.account)
        if v.beat is not None:
            billed["beat"][v.beat].add(v.account)
        oid = v.order_id
        assert oid is not None
        seen = first.get(oid)
        if seen is None or (v.visited_on, v.id) < (seen.visited_on, seen.id):
            first[oid] = v
    billed_all = {v.account for v in productive_visits}
    for account in billed_all:
        for key in territory_scope(account):
            billed["territory"][key].add(account)
    planned: dict[str, dict[str, set[str]]] = {
        g: defaultdict(set) for g in ("rep", "beat", "territory")
    }
    planned_all: set[str] = set()
    if plan is not None:
        for pv in plan.visits:
            if window.contains(pv.on):
                planned["rep"][pv.rep].add(pv.account)
                planned["beat"][pv.beat].add(pv.account)
                planned_all.add(pv.account)
        for outlet in planned_all:
            for key in territory_scope(outlet):
                planned["territory"][key].add(outlet)
    lines: dict[str, dict[str, int]] = {g: defaultdict(int) for g in ("rep", "beat", "territory")}
    value: dict[str, dict[str, Decimal]] = {
        g: defaultdict(Decimal) for g in ("rep", "beat", "territory")
    }
    lines_all = 0
    value_all = Decimal(0)
    currency: str | None = None
    problems: list[tuple[date, str, Finding]] = []
    for oid, v in first.items():
        doc = by_id.get(oid)
        if doc is None or doc.kind not in ORDER_KINDS:
            why = "does not exist" if doc is None else f"is a {doc.kind}, not an order or invoice"
            finding = Finding(
                "order_not_usable",
                f"visit {v.id!r} references order {oid!r}, which {why}",
                subject=v.id,
            )
            problems.append((v.visited_on, v.id, finding))
            continue
        if currency is None:
            currency = doc.currency
        elif doc.currency != currency:
            raise CurrencyMismatch(
                f"visit {v.id!r}.order_id: order {oid!r} in {doc.currency}, others in {currency}"
            )
        n_lines, amount = len(doc.lines), _taxable(doc)
        lines_all += n_lines
        value_all += amount
        keys = {
            "rep": (v.rep,),
            "beat": () if v.beat is None else (v.beat,),
            "territory": territory_scope(v.account),
        }
        for group, group_keys in keys.items():
            for key in group_keys:
                lines[group][key] += n_lines
                value[group][key] += amount
    booked = currency is not None
    overall = FieldKpis(
        "*",
        len(in_period),
        len(productive_visits),
        lines_all,
        Money(value_all, currency) if booked and currency is not None else None,
        len(planned_all),
        len(billed_all & planned_all),
    )

    def rows(group: str) -> dict[str, FieldKpis]:
        keys = set(total[group]) | set(planned[group])
        return _rows(
            keys,
            total[group],
            productive[group],
            lines[group],
            value[group],
            planned[group],
            billed[group],
            currency,
        )

    return KpiReport(
        window,
        overall,
        rows("rep"),
        tuple(f for _, _, f in sorted(problems, key=lambda p: (p[0], p[1]))),
        rows("beat"),
        rows("territory"),
    )
