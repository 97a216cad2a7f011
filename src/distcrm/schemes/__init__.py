"""Trade schemes: definitions as data, the reference evaluator, stacking, caps, near misses.

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

__all__ = [
    "BENEFIT_TAGS",
    "AllocationBasis",
    "Benefit",
    "Caps",
    "ComboGroup",
    "Eligibility",
    "Entitlement",
    "FlatAmount",
    "FreeGoods",
    "FreeUnits",
    "LineRefs",
    "LineShare",
    "Measure",
    "NearMiss",
    "Party",
    "PercentDiscount",
    "ProductSelection",
    "Rebate",
    "Scheme",
    "SchemeDefinitionError",
    "SchemeIndex",
    "SchemeLevel",
    "SchemeResult",
    "Settlement",
    "Slab",
    "SlabMode",
    "Stacking",
    "TiePolicy",
    "Window",
    "WindowKind",
    "allocate_benefit",
    "evaluate",
    "scheme_from_dict",
    "scheme_to_dict",
    "schemes_from_data",
    "schemes_from_json",
    "schemes_from_toml",
]
