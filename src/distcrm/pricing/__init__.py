"""Pricing: price lists, access-sequence resolution, margin chains, tax (GST), breakdowns.

Answers "what does this account pay for this SKU on this day, and why".

* :mod:`~distcrm.pricing.price_lists`: :class:`PriceList`, :class:`PriceEntry`,
  :class:`BasedOn`, :func:`materialize`;
* :mod:`~distcrm.pricing.scopes`: :class:`Scope`, :class:`Buyer`, :class:`AccessSequence`;
* :mod:`~distcrm.pricing.resolution` and :mod:`~distcrm.pricing.bulk`: :class:`PriceIndex`
  (``resolve`` with a trace, ``resolve_many`` for many lines), tie policies;
* :mod:`~distcrm.pricing.margins`: :func:`price_chain` (PTR, PTD, PTSS from the MRP);
* :mod:`~distcrm.pricing.tax` and :mod:`~distcrm.pricing.gst`: the :class:`TaxPolicy`
  protocol, :class:`GstPolicy` (CGST+SGST / CGST+UTGST / IGST, HSN rates with validity),
  :class:`FlatVat`;
* :mod:`~distcrm.pricing.procedure` and :mod:`~distcrm.pricing.orders`: the pricing
  procedure and :class:`PriceBreakdown` for a line or a whole order;
* :mod:`~distcrm.pricing.mrp`: Legal Metrology checks (never above the MRP).

Examples:
    >>> from datetime import date
    >>> from distcrm.money import Money
    >>> lists = [PriceList("PTR", "INR", entries=(
    ...     PriceEntry("SKU1", Money.of("72.03", "INR"), Scope(tier="retailer")),))]
    >>> r = PriceIndex(lists).resolve(Buyer("R1", tier="retailer"), "SKU1", 6, date(2025, 6, 1))
    >>> str(r.price), r.entry.path
    ('72.03 INR', "price list 'PTR'.entries[0]")
"""

from distcrm.pricing.bulk import BulkPrices, resolve_lines
from distcrm.pricing.errors import (
    MrpViolation,
    NoPrice,
    PriceCurrencyMismatch,
    PriceListCycle,
    PriceListError,
    PriceTie,
    PricingError,
    TaxError,
)
from distcrm.pricing.gst import (
    UNION_TERRITORIES_WITHOUT_LEGISLATURE,
    GstPolicy,
    HsnRate,
    HsnRateTable,
    SupplyKind,
    load_hsn_rates,
    sample_hsn_rates,
    supply_kind,
)
from distcrm.pricing.margins import (
    ChainPrice,
    ChainRounding,
    MarginBasis,
    PriceChain,
    TaxBasis,
    TierMargin,
    price_chain,
)
from distcrm.pricing.mrp import check_list_against_mrp, check_within_mrp
from distcrm.pricing.orders import OrderBreakdown, price_order
from distcrm.pricing.price_lists import BasedOn, PriceEntry, PriceList, materialize
from distcrm.pricing.procedure import (
    STANDARD_PROCEDURE,
    BreakdownStep,
    Compounding,
    Discount,
    PriceBreakdown,
    PricingLine,
    PricingProcedure,
    price_line,
)
from distcrm.pricing.resolution import (
    ON_TIE_POLICIES,
    EntryRef,
    OnTie,
    PriceIndex,
    Resolution,
    resolve_price,
)
from distcrm.pricing.scopes import (
    DEFAULT_ACCESS_SEQUENCE,
    SCOPE_FIELDS,
    AccessSequence,
    AccessStep,
    Buyer,
    Scope,
    ScopeField,
)
from distcrm.pricing.tax import (
    ComponentRounding,
    FlatVat,
    Supply,
    TaxComponent,
    TaxPolicy,
    TaxResult,
    compute_components,
    included_components,
)

__all__ = [
    "DEFAULT_ACCESS_SEQUENCE",
    "ON_TIE_POLICIES",
    "SCOPE_FIELDS",
    "STANDARD_PROCEDURE",
    "UNION_TERRITORIES_WITHOUT_LEGISLATURE",
    "AccessSequence",
    "AccessStep",
    "BasedOn",
    "BreakdownStep",
    "BulkPrices",
    "Buyer",
    "ChainPrice",
    "ChainRounding",
    "ComponentRounding",
    "Compounding",
    "Discount",
    "EntryRef",
    "FlatVat",
    "GstPolicy",
    "HsnRate",
    "HsnRateTable",
    "MarginBasis",
    "MrpViolation",
    "NoPrice",
    "OnTie",
    "OrderBreakdown",
    "PriceBreakdown",
    "PriceChain",
    "PriceCurrencyMismatch",
    "PriceEntry",
    "PriceIndex",
    "PriceList",
    "PriceListCycle",
    "PriceListError",
    "PriceTie",
    "PricingError",
    "PricingLine",
    "PricingProcedure",
    "Resolution",
    "Scope",
    "ScopeField",
    "Supply",
    "SupplyKind",
    "TaxBasis",
    "TaxComponent",
    "TaxError",
    "TaxPolicy",
    "TaxResult",
    "TierMargin",
    "check_list_against_mrp",
    "check_within_mrp",
    "compute_components",
    "included_components",
    "load_hsn_rates",
    "materialize",
    "price_chain",
    "price_line",
    "price_order",
    "resolve_lines",
    "resolve_price",
    "sample_hsn_rates",
    "supply_kind",
]
