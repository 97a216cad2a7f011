"""Exceptions raised by :mod:`distcrm.pricing`, all :class:`~distcrm.errors.PricingError`.

Every message names the price list, the entry and the field concerned, e.g.
``price list 'PL1'.entries[3].price: must be >= 0``.

Examples:
    >>> err = MrpViolation("price list 'PTR'.entries[0].price: 101.00 INR exceeds MRP 100.00 INR")
    >>> isinstance(err, PricingError)
    True
"""

from __future__ import annotations

from distcrm.errors import CurrencyMismatch, PricingError

__all__ = [
    "MrpViolation",
    "NoPrice",
    "PriceCurrencyMismatch",
    "PriceListCycle",
    "PriceListError",
    "PriceTie",
    "PricingError",
    "TaxError",
]


class PriceListError(PricingError):
    """A price list or one of its entries is malformed (negative price, overlap, bad break)."""


class PriceCurrencyMismatch(PricingError, CurrencyMismatch):
    """Price lists, entries or amounts of different currencies were combined."""


class PriceListCycle(PriceListError):
    """Price lists based on one another form a loop."""


class PriceTie(PricingError):
    """Two entries tie for the same scope and quantity break under ``on_tie="raise"``."""


class NoPrice(PricingError, LookupError):
    """No entry of any scope of the access sequence prices the SKU (unknown SKU)."""


class MrpViolation(PricingError):
    """A price above the MRP (Legal Metrology forbids selling above MRP)."""


class TaxError(PricingError):
    """A tax policy cannot tax a line: no rate for the HSN on that day, unknown state."""
