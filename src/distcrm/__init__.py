"""distcrm: distribution CRM as a library.

The package root re-exports the shared kernel's most used names. Each
capability lives in its own sub-package (``distcrm.hierarchy``,
``distcrm.pricing``, ``distcrm.schemes``...) and is imported from there.

Examples:
    >>> import distcrm
    >>> distcrm.Money.of("72.03", "INR") * 2
    Money(amount=Decimal('144.06'), currency='INR')
    >>> distcrm.INDIAN_FMCG.names[0]
    'principal'
"""

from distcrm.catalog import CategoryTree, MrpEntry, PackSize, Product
from distcrm.documents import Document, Line, LineRef
from distcrm.errors import (
    AccessDenied,
    ConcurrencyError,
    DistcrmError,
    NotFound,
    StructureError,
    ValidationError,
)
from distcrm.findings import Finding, Trace
from distcrm.money import Money, allocate, format_money
from distcrm.parties import (
    INDIAN_FMCG,
    PARTNER_PROGRAM,
    Account,
    Gstin,
    Link,
    Pan,
    PaymentTerms,
    Tier,
    TierRules,
)
from distcrm.periods import Period, Validity
from distcrm.visits import Visit

__version__ = "0.1.0"

__all__ = [
    "INDIAN_FMCG",
    "PARTNER_PROGRAM",
    "AccessDenied",
    "Account",
    "CategoryTree",
    "ConcurrencyError",
    "DistcrmError",
    "Document",
    "Finding",
    "Gstin",
    "Line",
    "LineRef",
    "Link",
    "Money",
    "MrpEntry",
    "NotFound",
    "PackSize",
    "Pan",
    "PaymentTerms",
    "Period",
    "Product",
    "StructureError",
    "Tier",
    "TierRules",
    "Trace",
    "ValidationError",
    "Validity",
    "Visit",
    "__version__",
    "allocate",
    "format_money",
]
