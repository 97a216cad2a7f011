"""Trade schemes: definitions as data, the reference evaluator, stacking, caps, near misses.

* definitions: :class:`Scheme` and its parts (:mod:`~distcrm.schemes.model`), loading from
  JSON / TOML (:mod:`~distcrm.schemes.loading`);
* evaluation: :func:`evaluate` (the specification), :class:`SchemeIndex` for repeated calls,
  results (:class:`SchemeResult`, :class:`Entitlement`, :class:`NearMiss`), exact
  :func:`allocate_benefit`; slab arithmetic in :mod:`~distcrm.schemes.slabs`;
* analysis: what-if :func:`simulate`, :func:`uplift`, and plain rows for dataframes
  (:func:`to_rows`).

Examples:
    >>> from datetime import date
    >>> from distcrm.documents import Document, Line
    >>> from distcrm.money import Money
    >>> from distcrm.periods import Validity
    >>> buy10get1 = Scheme("S1", "Buy 10 get 1", Validity(date(2025, 4, 1)),
    ...                    slabs=(Slab(10, FreeGoods(get=1, every=10)),))
    >>> inv = Document("I1", "invoice", "secondary", "D1", "R1", date(2025, 6, 3), "INR",
    ...                (Line("SKU1", 25, Money.of("8.00", "INR")),))
    >>> e = evaluate([buy10get1], [inv], on=date(2025, 6, 3)).entitlements[0]
    >>> [(f.sku, f.units, str(f.value)) for f in e.free]
    [('SKU1', 2, '16.00 INR')]
"""

from distcrm.schemes.allocation import AllocationBasis, LineShare, allocate_benefit
from distcrm.schemes.evaluate import TiePolicy, evaluate
from distcrm.schemes.index import SchemeIndex
from distcrm.schemes.loading import (
    BENEFIT_TAGS,
    scheme_from_dict,
    scheme_to_dict,
    schemes_from_data,
    schemes_from_json,
    schemes_from_toml,
)
from distcrm.schemes.model import (
    Benefit,
    Caps,
    ComboGroup,
    Eligibility,
    FlatAmount,
    FreeGoods,
    Measure,
    Party,
    PercentDiscount,
    ProductSelection,
    Rebate,
    Scheme,
    SchemeDefinitionError,
    SchemeLevel,
    Settlement,
    Slab,
    SlabMode,
    Stacking,
    WindowKind,
)
from distcrm.schemes.results import (
    Entitlement,
    FreeUnits,
    LineRefs,
    NearMiss,
    SchemeResult,
    Window,
)
from distcrm.schemes.rows import (
    DIFF_MEASURES,
    ENTITLEMENT_COLUMNS,
    FREE_GOODS_COLUMNS,
    NEAR_MISS_COLUMNS,
    TOTALS_COLUMNS,
    UPLIFT_COLUMNS,
    Row,
    RowValue,
    diff_rows,
    entitlement_rows,
    free_goods_rows,
    near_miss_rows,
    simulation_rows,
    to_rows,
    uplift_rows,
)
from distcrm.schemes.uplift import (
    DEFAULT_PLACES,
    DEFAULT_RESAMPLES,
    GroupSummary,
    UpliftError,
    UpliftResult,
    account_measures,
    uplift,
    uplift_from_documents,
)
from distcrm.schemes.uplift import (
    Measure as UpliftMeasure,
)
from distcrm.schemes.whatif import (
    DIMENSIONS,
    Dimension,
    Evaluator,
    KeyValue,
    Simulation,
    SimulationCell,
    SimulationDiff,
    SimulationTotals,
    WhatIfError,
    simulate,
    summarize,
)

__all__ = [
    "BENEFIT_TAGS",
    "DEFAULT_PLACES",
    "DEFAULT_RESAMPLES",
    "DIFF_MEASURES",
    "DIMENSIONS",
    "ENTITLEMENT_COLUMNS",
    "FREE_GOODS_COLUMNS",
    "NEAR_MISS_COLUMNS",
    "TOTALS_COLUMNS",
    "UPLIFT_COLUMNS",
    "AllocationBasis",
    "Benefit",
    "Caps",
    "ComboGroup",
    "Dimension",
    "Eligibility",
    "Entitlement",
    "Evaluator",
    "FlatAmount",
    "FreeGoods",
    "FreeUnits",
    "GroupSummary",
    "KeyValue",
    "LineRefs",
    "LineShare",
    "Measure",
    "NearMiss",
    "Party",
    "PercentDiscount",
    "ProductSelection",
    "Rebate",
    "Row",
    "RowValue",
    "Scheme",
    "SchemeDefinitionError",
    "SchemeIndex",
    "SchemeLevel",
    "SchemeResult",
    "Settlement",
    "Simulation",
    "SimulationCell",
    "SimulationDiff",
    "SimulationTotals",
    "Slab",
    "SlabMode",
    "Stacking",
    "TiePolicy",
    "UpliftError",
    "UpliftMeasure",
    "UpliftResult",
    "WhatIfError",
    "Window",
    "WindowKind",
    "account_measures",
    "allocate_benefit",
    "diff_rows",
    "entitlement_rows",
    "evaluate",
    "free_goods_rows",
    "near_miss_rows",
    "scheme_from_dict",
    "scheme_to_dict",
    "schemes_from_data",
    "schemes_from_json",
    "schemes_from_toml",
    "simulate",
    "simulation_rows",
    "summarize",
    "to_rows",
    "uplift",
    "uplift_from_documents",
    "uplift_rows",
]
