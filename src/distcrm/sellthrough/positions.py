"""Stock positions per distributor and SKU on any date, from documents.

:func:`stock_positions` walks the documents once, in date order, and keeps
one running balance per ``(holder, sku)`` (see
:mod:`distcrm.sellthrough.movements` for which documents count where). At the
end of every day on which goods left a holder's godown it checks the
balances those goods left: a balance below zero means more went out than the
holder could have had, and is reported as a ``sales_beyond_stock`` finding
naming the holder, the SKU, the day and the shortfall. Nothing is clipped:
the negative balance stays in the position.

The pass keeps only what it must: the balances, the returns and
write-offs. Receipts are summed from the receipt documents (the report keeps
a reference to them) the first time they are read, and sales are derived from the balance (``sales = opening +
receipts + returns in − returns out − damages + adjustments − closing``), so
a secondary sale line costs one dictionary update.

Examples:
    >>> from datetime import date
    >>> from distcrm.documents import Document, Line
    >>> from distcrm.money import Money
    >>> p = Money.of("10.00", "INR")
    >>> docs = [
    ...     Document("P-1", "invoice", "primary", seller="SS1", buyer="D1",
    ...              issued_on=date(2025, 6, 1), currency="INR", lines=[Line("SKU1", 48, p)]),
    ...     Document("S-1", "invoice", "secondary", seller="D1", buyer="R1",
    ...              issued_on=date(2025, 6, 2), currency="INR",
    ...              lines=[Line("SKU1", 20, p, free_qty=2)]),
    ...     Document("S-2", "invoice", "secondary", seller="D1", buyer="R2",
    ...              issued_on=date(2025, 6, 5), currency="INR", lines=[Line("SKU1", 40, p)]),
    ... ]
    >>> report = stock_positions(docs, on=date(2025, 6, 2), opening={("D1", "SKU1"): 5})
    >>> report.stock("D1", "SKU1")      # 5 + 48 - (20 + 2)
    31
    >>> later = stock_positions(docs, on=date(2025, 6, 30), opening={("D1", "SKU1"): 5})
    >>> later.stock("D1", "SKU1")       # 31 - 40
    -9
    >>> print(later.findings[0].message)
    D1 had -9 units of SKU1 at the end of 2025-06-05: 9 units more left the godown than it had
"""

from __future__ import annotations

from collections.abc import (
    Collection,
    ItemsView,
    Iterable,
    Iterator,
    KeysView,
    Mapping,
    ValuesView,
)
from datetime import date
from operator import attrgetter
from types import MappingProxyType

import attrs

from distcrm.documents import Document
from distcrm.findings import Finding
from distcrm.sellthrough.adjustments import StockAdjustment
from distcrm.sellthrough.errors import SellThroughError
from distcrm.sellthrough.movements import StockKey, StockPosition

__all__ = ["StockReport", "stock_positions"]

_COMPONENTS: tuple[str, ...] = (
    "receipts",
    "sales",
    "returns_in",
    "returns_out",
    "damages",
    "adjustments",
)


def _frozen_map(value: Mapping[StockKey, int]) -> Mapping[StockKey, int]:
    if isinstance(value, MappingProxyType | _DerivedSales | _LazyReceipts):
        return value
    return MappingProxyType(dict(value))


class _LazyReceipts(Mapping[StockKey, int]):
    """Units received per key, summed from the receipt documents on first access."""

    __slots__ = ("_documents", "_totals")

    def __init__(self, documents: list[tuple[str, Document]]) -> None:
        self._documents = documents
        self._totals: dict[StockKey, int] | None = None

    def _sum(self) -> dict[StockKey, int]:
        if self._totals is None:
            totals: dict[StockKey, int] = {}
            for holder, doc in self._documents:
                for line in doc.lines:
                    key = (holder, line.sku)
                    totals[key] = totals.get(key, 0) + line.qty + line.free_qty
            self._totals = totals
        return self._totals

    def __getitem__(self, key: StockKey) -> int:
        return self._sum()[key]

    def get(self, key: StockKey, default: int = 0) -> int:  # type: ignore[override]
        return self._sum().get(key, default)

    def as_dict(self) -> dict[StockKey, int]:
        """A plain copy of the totals."""
        return dict(self._sum())

    def keys(self) -> KeysView[StockKey]:
        return self.as_dict().keys()

    def items(self) -> ItemsView[StockKey, int]:
        return self.as_dict().items()

    def values(self) -> ValuesView[int]:
        return self.as_dict().values()

    def __iter__(self) -> Iterator[StockKey]:
        return iter(self._sum())

    def __len__(self) -> int:
        return len(self._sum())


class _DerivedSales(Mapping[StockKey, int]):
    """Units sold per key, derived from the balance instead of summed line by line.

    ``sales = opening + receipts + returns_in − returns_out − damages + adjustments − closing``;
    keys whose derived sales are 0 are absent, like keys without sales in the other flows.
    """

    __slots__ = ("_closing", "_flows", "_opening")

    def __init__(
        self,
        opening: Mapping[StockKey, int],
        closing: Mapping[StockKey, int],
        flows: Mapping[str, Mapping[StockKey, int]],
    ) -> None:
        self._opening = opening
        self._closing = closing
        self._flows = flows

    def _value(self, key: StockKey) -> int:
        f = self._flows
        return (
            self._opening.get(key, 0)
            + f["receipts"].get(key, 0)
            + f["returns_in"].get(key, 0)
            - f["returns_out"].get(key, 0)
            - f["damages"].get(key, 0)
            + f["adjustments"].get(key, 0)
            - self._closing[key]
        )

    def __getitem__(self, key: StockKey) -> int:
        if key not in self._closing:
            raise KeyError(key)
        value = self._value(key)
        if not value:
            raise KeyError(key)
        return value

    def __iter__(self) -> Iterator[StockKey]:
        return iter(self.as_dict())

    def as_dict(self) -> dict[StockKey, int]:
        """Every non-zero derived value, computed in one tight loop."""
        f = self._flows
        opening = self._opening.get
        receipts = f["receipts"].get
        returns_in = f["returns_in"].get
        returns_out = f["returns_out"].get
        damages = f["damages"].get
        adjustments = f["adjustments"].get
        result: dict[StockKey, int] = {}
        for key, closing in self._closing.items():
            value = (
                opening(key, 0)
                + receipts(key, 0)
                + returns_in(key, 0)
                - returns_out(key, 0)
                - damages(key, 0)
                + adjustments(key, 0)
                - closing
            )
            if value:
                result[key] = value
        return result

    def keys(self) -> KeysView[StockKey]:
        return self.as_dict().keys()

    def items(self) -> ItemsView[StockKey, int]:
        return self.as_dict().items()

    def values(self) -> ValuesView[int]:
        return self.as_dict().values()

    def __len__(self) -> int:
        return sum(1 for _ in self)


def _frozen_flows(
    value: Mapping[str, Mapping[StockKey, int]],
) -> Mapping[str, Mapping[StockKey, int]]:
    return MappingProxyType({name: _frozen_map(value.get(name, {})) for name in _COMPONENTS})


@attrs.frozen
class StockReport:
    """Stock positions at the end of ``on`` for every ``(holder, sku)`` seen, with findings.

    The report keeps one read-only mapping per component rather than one
    object per position (a national network has millions of positions);
    :meth:`position` builds a :class:`StockPosition` on demand.

    Attributes:
        on: positions are at the end of this day.
        start: first day whose documents were counted (``None``: all history).
        opening: stock before ``start`` as given by the caller.
        closing: stock at the end of ``on`` per ``(holder, sku)``.
        flows: per component name (``receipts``, ``sales``, ``returns_in``,
            ``returns_out``, ``damages``, ``adjustments``) the units per key.
        findings: impossible data met on the way, in date order.
    """

    on: date
    start: date | None
    opening: Mapping[StockKey, int] = attrs.field(converter=_frozen_map)
    closing: Mapping[StockKey, int] = attrs.field(converter=_frozen_map)
    flows: Mapping[str, Mapping[StockKey, int]] = attrs.field(converter=_frozen_flows)
    findings: tuple[Finding, ...] = ()

    def __len__(self) -> int:
        return len(self.closing)

    def __contains__(self, key: object) -> bool:
        return key in self.closing

    def totals(self, flow: str) -> dict[StockKey, int]:
        """A plain dict of one component's units per key (keys with none are absent).

        Faster than reading ``flows[flow]`` key by key when every key is needed.
        """
        if flow not in _COMPONENTS:
            raise SellThroughError(
                f"stock report.totals: {flow!r} is not one of {', '.join(_COMPONENTS)}"
            )
        mapping = self.flows[flow]
        if isinstance(mapping, _DerivedSales | _LazyReceipts):
            return mapping.as_dict()
        return dict(mapping)

    def stock(self, account: str, sku: str) -> int:
        """Closing stock of ``sku`` at ``account`` (0 when nothing was ever recorded)."""
        return self.closing.get((account, sku), 0)

    def position(self, account: str, sku: str) -> StockPosition:
        """The full :class:`StockPosition` of ``sku`` at ``account``."""
        key = (account, sku)
        f = self.flows
        return StockPosition(
            account,
            sku,
            self.on,
            opening=self.opening.get(key, 0),
            receipts=f["receipts"].get(key, 0),
            sales=f["sales"].get(key, 0),
            returns_in=f["returns_in"].get(key, 0),
            returns_out=f["returns_out"].get(key, 0),
            damages=f["damages"].get(key, 0),
            adjustments=f["adjustments"].get(key, 0),
        )

    def sorted_keys(self) -> list[StockKey]:
        """Every ``(holder, sku)`` with a position, sorted."""
        return sorted(self.closing)

    def positions(self, account: str | None = None) -> Iterator[StockPosition]:
        """Positions sorted by holder then SKU, optionally for one holder only."""
        for acct, sku in self.sorted_keys():
            if account is None or acct == account:
                yield self.position(acct, sku)

    def holders(self) -> tuple[str, ...]:
        """Every holder with at least one position, sorted."""
        return tuple(sorted({acct for acct, _ in self.closing}))


def _check_opening(opening: Mapping[StockKey, int]) -> dict[StockKey, int]:
    checked: dict[StockKey, int] = {}
    for key, qty in opening.items():
        if not (isinstance(key, tuple) and len(key) == 2):
            raise SellThroughError(f"opening[{key!r}]: key must be an (account, sku) pair")
        if not isinstance(qty, int) or isinstance(qty, bool):
            raise SellThroughError(
                f"opening[{key!r}]: expected an int number of units, got {qty!r}"
            )
        checked[key] = qty
    return checked


def _shortfall_finding(key: StockKey, day: date, balance: int) -> Finding:
    account, sku = key
    return Finding(
        "sales_beyond_stock",
        f"{account} had {balance} units of {sku} at the end of {day.isoformat()}: "
        f"{-balance} units more left the godown than it had",
        subject=f"{account}/{sku}",
        severity="error",
    )


def stock_positions(
    documents: Iterable[Document],
    *,
    on: date,
    start: date | None = None,
    opening: Mapping[StockKey, int] | None = None,
    adjustments: Iterable[StockAdjustment] = (),
    accounts: Collection[str] | None = None,
) -> StockReport:
    """Stock per ``(holder, sku)`` at the end of ``on``, from documents and adjustments.

    Args:
        documents: any documents, in any order; those after ``on`` (and before
            ``start``) are ignored, as are kinds that move no goods.
        on: the day whose closing stock is wanted (inclusive).
        start: first day to count; ``opening`` is the stock before it. ``None``
            counts every document up to ``on``.
        opening: stock before the first counted day per ``(holder, sku)``; 0 when absent.
        adjustments: write-offs and count corrections.
        accounts: holders to keep; ``None`` keeps every holder.

    Returns:
        A :class:`StockReport`. Findings: ``negative_opening_stock`` for an
        opening below zero, ``sales_beyond_stock`` for each day on which goods
        left a godown and its balance ended below zero.

    Raises:
        SellThroughError: ``start`` after ``on``, or an opening that is not units.
    """
    if start is not None and start > on:
        raise SellThroughError(f"stock_positions.start: {start} is after on={on}")
    balance = _check_opening(opening or {})
    opening_copy = dict(balance)
    findings: list[Finding] = [
        Finding(
            "negative_opening_stock",
            f"{key[0]} opens with {qty} units of {key[1]}",
            subject=f"{key[0]}/{key[1]}",
            severity="error",
        )
        for key, qty in sorted((k, q) for k, q in balance.items() if q < 0)
    ]
    received: list[tuple[str, Document]] = []
    returns_in: dict[StockKey, int] = {}
    returns_out: dict[StockKey, int] = {}
    damages: dict[StockKey, int] = {}
    counts: dict[StockKey, int] = {}
    keep = None if accounts is None else frozenset(accounts)

    pending_adj = sorted(
        (
            a
            for a in adjustments
            if a.adjusted_on <= on
            and (start is None or a.adjusted_on >= start)
            and (keep is None or a.account in keep)
        ),
        key=attrgetter("adjusted_on"),
    )
    adj_i = 0
    short: set[StockKey] = set()
    day: date | None = None

    def close_day(when: date) -> None:
        for key in sorted(short):
            b = balance[key]
            if b < 0:
                findings.append(_shortfall_finding(key, when, b))
        short.clear()

    def apply_adjustments(until: date) -> None:
        # Adjustments dated up to ``until`` (inclusive), each closing its own day if earlier.
        nonlocal adj_i, day
        while adj_i < len(pending_adj) and pending_adj[adj_i].adjusted_on <= until:
            a = pending_adj[adj_i]
            adj_i += 1
            if day is not None and a.adjusted_on != day:
                close_day(day)
            day = a.adjusted_on
            key = (a.account, a.sku)
            if a.written_off:
                damages[key] = damages.get(key, 0) + a.qty
            else:
                counts[key] = counts.get(key, 0) + a.qty
            b = balance.get(key, 0) + a.stock_change
            balance[key] = b
            if b < 0 and a.stock_change < 0:
                short.add(key)

    ordered = sorted(documents, key=attrgetter("issued_on"))
    for doc in ordered:
        d = doc.issued_on
        if d > on:
            break
        if start is not None and d < start:
            continue
        if d != day:
            if pending_adj:
                apply_adjustments(d)
            if day is not None and d != day:
                close_day(day)
            day = d
        kind = doc.kind
        if kind == "invoice":
            if doc.level == "secondary":
                # The hot path: sales are not summed here but derived from the
                # balance (see ``_DerivedSales``), so a sale costs one dict update.
                holder = doc.seller
                if keep is not None and holder not in keep:
                    continue
                for line in doc.lines:
                    key = (holder, line.sku)
                    q = line.qty + line.free_qty
                    b = balance.get(key, 0) - q
                    balance[key] = b
                    if b < 0 and q:
                        short.add(key)
                continue
            # Primary receipt: receipts are summed lazily (``_LazyReceipts``) from
            # this list, only when a caller asks for them.
            holder = doc.buyer
            if keep is not None and holder not in keep:
                continue
            received.append((holder, doc))
            for line in doc.lines:
                key = (holder, line.sku)
                balance[key] = balance.get(key, 0) + line.qty + line.free_qty
            continue
        elif kind == "return":
            if doc.level == "secondary":
                holder, target, inbound = doc.seller, returns_in, True
            else:
                holder, target, inbound = doc.buyer, returns_out, False
        else:
            continue
        if keep is not None and holder not in keep:
            continue
        if inbound:
            for line in doc.lines:
                key = (holder, line.sku)
                q = line.qty + line.free_qty
                target[key] = target.get(key, 0) + q
                balance[key] = balance.get(key, 0) + q
        else:
            for line in doc.lines:
                key = (holder, line.sku)
                q = line.qty + line.free_qty
                target[key] = target.get(key, 0) + q
                b = balance.get(key, 0) - q
                balance[key] = b
                if b < 0 and q:
                    short.add(key)
    if pending_adj:
        apply_adjustments(on)
    if day is not None:
        close_day(day)
    flows: dict[str, Mapping[StockKey, int]] = {
        "receipts": _LazyReceipts(received),
        "returns_in": MappingProxyType(returns_in),
        "returns_out": MappingProxyType(returns_out),
        "damages": MappingProxyType(damages),
        "adjustments": MappingProxyType(counts),
    }
    flows["sales"] = _DerivedSales(opening_copy, balance, flows)
    return StockReport(
        on,
        start,
        MappingProxyType(opening_copy),
        MappingProxyType(balance),
        flows,
        tuple(findings),
    )
