"""Velocity, days of inventory, stockout risk, slow movers and building demand.

Definitions (all in base units, free goods included, per ``(holder, sku)``):

* **recent window**: the ``window_days`` days ending on ``on`` inclusive,
  ``[on − window_days + 1, on]``; the **previous window** is the
  ``window_days`` days before it.
* **velocity**: secondary units sold in the recent window ÷ ``window_days``
  (units a day; shown to 4 places, half-up). Returns from retailers do not
  reduce it: velocity measures how fast goods leave.
* **days of inventory** (DOI): closing stock on ``on`` ÷ velocity, to 1 place
  half-up; ``None`` when velocity is 0 (no demand: cover is unbounded). A
  negative stock (impossible data, already a finding) gives a negative DOI.
* **stockout risk**: velocity > 0 and DOI < the holder's lead time.
* **moving** at retail: sold at least once in the recent window; **sitting**
  in the godown: stock > 0 and nothing sold in the recent window.
* **slow mover**: stock > 0 and either no sale for ``slow_after_days`` days
  (or never) or DOI above ``max_days_of_inventory`` when that is set.
* **demand building**: the previous window sold something, the recent window
  sold at least ``min_recent_units``, and recent ÷ previous ≥ ``building_ratio``
  (shown as ``trend`` to 2 places). A SKU with no previous sales has
  ``trend=None`` and is not flagged: one window is not a trend.

Every verdict carries a :class:`~distcrm.findings.Trace`.

Examples:
    >>> from datetime import date, timedelta
    >>> from distcrm.documents import Document, Line
    >>> from distcrm.money import Money
    >>> p = Money.of("10.00", "INR")
    >>> def sale(n, day, qty):
    ...     return Document(f"S-{n}", "invoice", "secondary", seller="D1", buyer="R1",
    ...                     issued_on=day, currency="INR", lines=[Line("SKU1", qty, p)])
    >>> start = date(2025, 6, 1)
    >>> docs = [Document("P-1", "invoice", "primary", seller="SS1", buyer="D1",
    ...                  issued_on=start, currency="INR", lines=[Line("SKU1", 102, p)])]
    >>> docs += [sale(i, start + timedelta(days=i), 2 if i < 14 else 4) for i in range(28)]
    >>> report = inventory_health(docs, on=date(2025, 6, 28),
    ...                           policy=HealthPolicy(window_days=14, lead_time_days=7))
    >>> h = report.get("D1", "SKU1")
    >>> h.stock, h.recent_units, h.previous_units    # 102 - 14x2 (1-14 June) - 14x4 (15-28 June)
    (18, 56, 28)
    >>> h.velocity, h.days_of_inventory              # 56 / 14 = 4 a day; 18 / 4 = 4.5 days
    (Decimal('4.0000'), Decimal('4.5'))
    >>> h.stockout_risk, h.demand_building, h.trend  # 4.5 < 7; 56 / 28 = 2 >= 1.5
    (True, True, Decimal('2.00'))
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Mapping
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

import attrs

from distcrm.catalog import SkuId, as_sku_id
from distcrm.documents import Document
from distcrm.findings import Finding, Outcome, Trace, TraceStep
from distcrm.parties import AccountId, as_account_id
from distcrm.sellthrough.adjustments import StockAdjustment
from distcrm.sellthrough.errors import SellThroughError
from distcrm.sellthrough.movements import StockKey
from distcrm.sellthrough.positions import stock_positions

__all__ = [
    "HealthPolicy",
    "InventoryReport",
    "SkuHealth",
    "inventory_health",
    "secondary_units",
]

_VELOCITY = Decimal("0.0001")
_DOI = Decimal("0.1")
_TREND = Decimal("0.01")


def _positive_int(what: str, value: int) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise SellThroughError(f"health policy.{what}: must be an int >= 1, got {value!r}")


def _decimal(value: Decimal | int | str) -> Decimal:
    if isinstance(value, float):
        raise SellThroughError(f"health policy: float {value!r} is not exact; pass a Decimal")
    return Decimal(value)


def _optional_decimal(value: Decimal | int | str | None) -> Decimal | None:
    return None if value is None else _decimal(value)


@attrs.frozen
class HealthPolicy:
    """Thresholds for :func:`inventory_health`.

    Attributes:
        window_days: length of the recent (and the previous) window.
        lead_time_days: days a replenishment takes to arrive (per holder
            overrides go to :func:`inventory_health`).
        slow_after_days: a SKU in stock with no sale for this many days is slow.
        max_days_of_inventory: a SKU with more cover than this is slow (``None``: no limit).
        building_ratio: recent ÷ previous sales at or above which demand is building.
        min_recent_units: recent sales below this never count as building demand.

    Examples:
        >>> HealthPolicy(window_days=0)
        Traceback (most recent call last):
        ...
        distcrm.sellthrough.errors.SellThroughError: health policy.window_days: must be an int >= 1, got 0
    """

    window_days: int = 28
    lead_time_days: int = 7
    slow_after_days: int = 30
    max_days_of_inventory: Decimal | None = attrs.field(default=None, converter=_optional_decimal)
    building_ratio: Decimal = attrs.field(default=Decimal("1.5"), converter=_decimal)
    min_recent_units: int = 1

    def __attrs_post_init__(self) -> None:
        _positive_int("window_days", self.window_days)
        _positive_int("lead_time_days", self.lead_time_days)
        _positive_int("slow_after_days", self.slow_after_days)
        _positive_int("min_recent_units", self.min_recent_units)
        if self.building_ratio <= 0:
            raise SellThroughError(
                f"health policy.building_ratio: must be > 0, got {self.building_ratio}"
            )
        if self.max_days_of_inventory is not None and self.max_days_of_inventory <= 0:
            raise SellThroughError(
                "health policy.max_days_of_inventory: must be > 0, "
                f"got {self.max_days_of_inventory}"
            )


@attrs.frozen
class SkuHealth:
    """How one SKU is doing at one holder on ``on``.

    Attributes:
        account: the holder (distributor).
        sku: the product.
        on: the day assessed (end of day).
        stock: closing stock on ``on``.
        recent_units: units sold in the recent window.
        previous_units: units sold in the window before it.
        window_days: the window length.
        velocity: units a day over the recent window (4 places).
        days_of_inventory: stock ÷ velocity (1 place); ``None`` when velocity is 0.
        lead_time_days: the lead time applied.
        stockout_risk: cover below lead time.
        last_sale: last day with a secondary sale up to ``on``, if any.
        slow_mover: sitting stock by the policy's rules.
        trend: recent ÷ previous units (2 places); ``None`` when previous is 0.
        demand_building: the trend reached the policy's ratio.
        trace: why each flag is what it is.
    """

    account: AccountId = attrs.field(converter=as_account_id)
    sku: SkuId = attrs.field(converter=as_sku_id)
    on: date
    stock: int
    recent_units: int
    previous_units: int
    window_days: int
    velocity: Decimal
    days_of_inventory: Decimal | None
    lead_time_days: int
    stockout_risk: bool
    last_sale: date | None
    slow_mover: bool
    trend: Decimal | None
    demand_building: bool
    trace: Trace

    @property
    def moving(self) -> bool:
        """Sold at least once in the recent window."""
        return self.recent_units > 0

    @property
    def sitting(self) -> bool:
        """In stock and not sold in the recent window."""
        return self.stock > 0 and self.recent_units == 0


@attrs.frozen
class InventoryReport:
    """Health of every ``(holder, sku)`` with a stock position, plus stock findings.

    Attributes:
        on: the day assessed.
        policy: the thresholds used.
        rows: one :class:`SkuHealth` per key, sorted by holder then SKU.
        findings: impossible data found while computing stock.
    """

    on: date
    policy: HealthPolicy
    rows: tuple[SkuHealth, ...]
    findings: tuple[Finding, ...] = ()
    _index: dict[StockKey, SkuHealth] = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "_index", {(r.account, r.sku): r for r in self.rows})

    def __iter__(self) -> Iterator[SkuHealth]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def get(self, account: str, sku: str) -> SkuHealth:
        """The row of ``sku`` at ``account``; raises :class:`SellThroughError` when absent."""
        row = self._index.get((account, sku))
        if row is not None:
            return row
        raise SellThroughError(f"inventory report: no position for {account!r}/{sku!r}")

    def stockout_risks(self) -> tuple[SkuHealth, ...]:
        """Rows whose cover is below lead time, lowest cover first."""
        risky = [r for r in self.rows if r.stockout_risk]
        return tuple(sorted(risky, key=lambda r: (r.days_of_inventory, r.account, r.sku)))

    def slow_movers(self) -> tuple[SkuHealth, ...]:
        """Rows flagged as slow movers."""
        return tuple(r for r in self.rows if r.slow_mover)

    def demand_building(self) -> tuple[SkuHealth, ...]:
        """Rows whose demand is building, strongest trend first."""
        rows = [r for r in self.rows if r.demand_building]
        return tuple(sorted(rows, key=lambda r: (-(r.trend or 0), r.account, r.sku)))

    def moving(self) -> tuple[SkuHealth, ...]:
        """Rows sold at retail in the recent window."""
        return tuple(r for r in self.rows if r.moving)

    def sitting(self) -> tuple[SkuHealth, ...]:
        """Rows in stock that did not sell in the recent window."""
        return tuple(r for r in self.rows if r.sitting)


def secondary_units(
    documents: Iterable[Document],
    *,
    start: date,
    end: date,
    accounts: Collection[str] | None = None,
) -> dict[StockKey, int]:
    """Units (``qty + free_qty``) sold on secondary invoices in ``[start, end)`` per (seller, sku).

    Examples:
        >>> from datetime import date
        >>> from distcrm.documents import Document, Line
        >>> from distcrm.money import Money
        >>> d = Document("S-1", "invoice", "secondary", seller="D1", buyer="R1",
        ...              issued_on=date(2025, 6, 3), currency="INR",
        ...              lines=[Line("SKU1", 12, Money.of("5", "INR"), free_qty=1)])
        >>> secondary_units([d], start=date(2025, 6, 1), end=date(2025, 7, 1))
        {('D1', 'SKU1'): 13}
    """
    if end <= start:
        raise SellThroughError(f"secondary_units.end: {end} must be after start {start}")
    keep = None if accounts is None else frozenset(accounts)
    totals: dict[StockKey, int] = {}
    for doc in documents:
        if doc.kind != "invoice" or doc.level != "secondary":
            continue
        if not start <= doc.issued_on < end:
            continue
        if keep is not None and doc.seller not in keep:
            continue
        seller = doc.seller
        for line in doc.lines:
            key = (seller, line.sku)
            totals[key] = totals.get(key, 0) + line.qty + line.free_qty
    return totals


def _assess(
    key: StockKey,
    on: date,
    stock: int,
    recent: int,
    previous: int,
    last_sale: date | None,
    lead: int,
    policy: HealthPolicy,
) -> SkuHealth:
    account, sku = key
    window = policy.window_days
    steps: list[TraceStep] = []
    velocity = (Decimal(recent) / window).quantize(_VELOCITY, ROUND_HALF_UP)
    steps.append(
        TraceStep(
            "velocity",
            "considered",
            f"{recent} units in the {window} days to {on.isoformat()} = {velocity} a day",
        )
    )
    doi: Decimal | None = None
    if recent:
        doi = (Decimal(stock * window) / recent).quantize(_DOI, ROUND_HALF_UP)
    # Exact comparison: stock / (recent / window) < lead  <=>  stock * window < lead * recent
    risk = recent > 0 and stock * window < lead * recent
    if recent == 0:
        steps.append(
            TraceStep("stockout risk", "rejected", "no sales in the window: no demand to cover")
        )
    else:
        verdict: Outcome = "applied" if risk else "rejected"
        sign = "<" if risk else ">="
        steps.append(
            TraceStep(
                "stockout risk",
                verdict,
                f"stock {stock} covers {doi} days {sign} lead time {lead} days",
            )
        )
    idle = None if last_sale is None else (on - last_sale).days
    slow = False
    if stock <= 0:
        steps.append(TraceStep("slow mover", "rejected", f"stock {stock}: nothing sitting"))
    elif idle is None or idle >= policy.slow_after_days:
        slow = True
        why = "never sold" if idle is None else f"last sale {idle} days ago"
        steps.append(
            TraceStep("slow mover", "applied", f"{why} (limit {policy.slow_after_days} days)")
        )
    elif (
        policy.max_days_of_inventory is not None
        and doi is not None
        and doi > policy.max_days_of_inventory
    ):
        slow = True
        steps.append(
            TraceStep(
                "slow mover",
                "applied",
                f"{doi} days of inventory > {policy.max_days_of_inventory}",
            )
        )
    else:
        steps.append(TraceStep("slow mover", "rejected", f"last sale {idle} days ago"))
    trend: Decimal | None = None
    building = False
    if previous == 0:
        steps.append(TraceStep("demand building", "rejected", "no sales in the previous window"))
    else:
        trend = (Decimal(recent) / previous).quantize(_TREND, ROUND_HALF_UP)
        building = recent >= policy.min_recent_units and Decimal(recent) >= (
            policy.building_ratio * previous
        )
        steps.append(
            TraceStep(
                "demand building",
                "applied" if building else "rejected",
                f"{recent} vs {previous} units = {trend}x "
                f"({'>=' if building else 'below'} {policy.building_ratio}x)",
            )
        )
    trace = Trace.of(f"inventory health of {sku} at {account} on {on.isoformat()}", steps)
    return SkuHealth(
        account,
        sku,
        on,
        stock,
        recent,
        previous,
        window,
        velocity,
        doi,
        lead,
        risk,
        last_sale,
        slow,
        trend,
        building,
        trace,
    )


def inventory_health(
    documents: Iterable[Document],
    *,
    on: date,
    policy: HealthPolicy | None = None,
    opening: Mapping[StockKey, int] | None = None,
    adjustments: Iterable[StockAdjustment] = (),
    accounts: Collection[str] | None = None,
    lead_times: Mapping[str, int] | None = None,
) -> InventoryReport:
    """Assess every ``(holder, sku)`` with a stock position on ``on``.

    Args:
        documents: the full history up to ``on`` (later documents are ignored).
        on: the day assessed; stock is the closing stock of that day.
        policy: thresholds; the defaults of :class:`HealthPolicy` when ``None``.
        opening: stock before the first document, per ``(holder, sku)``.
        adjustments: write-offs and count corrections.
        accounts: holders to assess; ``None`` for all.
        lead_times: per-holder lead time in days, overriding the policy's.

    Returns:
        An :class:`InventoryReport` with one row per key and the stock findings.
    """
    policy = policy or HealthPolicy()
    for account, days in (lead_times or {}).items():
        if not isinstance(days, int) or isinstance(days, bool) or days < 1:
            raise SellThroughError(f"lead_times[{account!r}]: must be an int >= 1, got {days!r}")
    docs = list(documents)
    stock = stock_positions(
        docs, on=on, opening=opening, adjustments=adjustments, accounts=accounts
    )
    window = timedelta(days=policy.window_days)
    recent_start = on - window + timedelta(days=1)
    previous_start = recent_start - window
    keep = None if accounts is None else frozenset(accounts)
    recent: dict[StockKey, int] = {}
    previous: dict[StockKey, int] = {}
    last_sale: dict[StockKey, date] = {}
    for doc in docs:
        d = doc.issued_on
        if doc.kind != "invoice" or doc.level != "secondary" or d > on:
            continue
        if keep is not None and doc.seller not in keep:
            continue
        bucket = recent if d >= recent_start else previous if d >= previous_start else None
        for line in doc.lines:
            key = (doc.seller, line.sku)
            if bucket is not None:
                bucket[key] = bucket.get(key, 0) + line.qty + line.free_qty
            if line.qty + line.free_qty and (key not in last_sale or last_sale[key] < d):
                last_sale[key] = d
    leads = lead_times or {}
    rows = tuple(
        _assess(
            key,
            on,
            stock.closing[key],
            recent.get(key, 0),
            previous.get(key, 0),
            last_sale.get(key),
            leads.get(key[0], policy.lead_time_days),
            policy,
        )
        for key in stock.sorted_keys()
    )
    return InventoryReport(on, policy, rows, stock.findings)
