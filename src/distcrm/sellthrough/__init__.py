"""Sell-through: secondary sales, stock positions and inventory health per distributor.

Brands see what they ship to distributors (primary sales) but rarely what
sells through to retailers (secondary sales). This package computes, from the
same documents:

* stock per distributor and SKU on any date (:func:`stock_positions`), with
  impossible data (more goods leaving than the godown held) as findings;
* velocity, days of inventory, stockout risk, slow movers and building demand
  (:func:`inventory_health`);
* sell-through ratios per distributor, SKU and period (:func:`sell_through`).

Examples:
    >>> from datetime import date
    >>> from distcrm.documents import Document, Line
    >>> from distcrm.money import Money
    >>> p = Money.of("10.00", "INR")
    >>> docs = [Document("P-1", "invoice", "primary", seller="SS1", buyer="D1",
    ...                  issued_on=date(2025, 6, 1), currency="INR", lines=[Line("SKU1", 24, p)]),
    ...         Document("S-1", "invoice", "secondary", seller="D1", buyer="R1",
    ...                  issued_on=date(2025, 6, 4), currency="INR", lines=[Line("SKU1", 6, p)])]
    >>> stock_positions(docs, on=date(2025, 6, 30)).stock("D1", "SKU1")   # 24 - 6
    18
"""

from distcrm.sellthrough.adjustments import ADJUSTMENT_REASONS, AdjustmentReason, StockAdjustment
from distcrm.sellthrough.errors import SellThroughError
from distcrm.sellthrough.movements import FLOWS, Flow, StockKey, StockPosition, stock_flow
from distcrm.sellthrough.positions import StockReport, stock_positions
from distcrm.sellthrough.ratios import Grouping, SellThrough, SellThroughReport, sell_through
from distcrm.sellthrough.velocity import (
    HealthPolicy,
    InventoryReport,
    SkuHealth,
    inventory_health,
    secondary_units,
)

__all__ = [
    "ADJUSTMENT_REASONS",
    "FLOWS",
    "AdjustmentReason",
    "Flow",
    "Grouping",
    "HealthPolicy",
    "InventoryReport",
    "SellThrough",
    "SellThroughError",
    "SellThroughReport",
    "SkuHealth",
    "StockAdjustment",
    "StockKey",
    "StockPosition",
    "StockReport",
    "inventory_health",
    "secondary_units",
    "sell_through",
    "stock_flow",
    "stock_positions",
]
