"""Partner programmes: customer registration and protection, lead routing, attribution, commissions.

* :mod:`~distcrm.partners.identity` — normalised identity keys (GSTIN, phone, name + town)
  that detect duplicate customers.
* :mod:`~distcrm.partners.registration` — a registration's approval flow as a pure state
  machine (submitted → approved / rejected; approved → expired when its window ends).
* :mod:`~distcrm.partners.protection` — :class:`RegistrationBook`: region checks, duplicates
  and conflicts; a customer is protected for at most one partner at a time.
* :mod:`~distcrm.partners.regions` — partners and the regions they cover.
* :mod:`~distcrm.partners.leads`, :mod:`~distcrm.partners.routing` — leads, and headquarters
  leads offered to the partners covering their region, with claim / decline.
* :mod:`~distcrm.partners.attribution` — vendor → distributor → reseller attribution and who
  sees which lead (reusing :mod:`distcrm.hierarchy` scoping).
* :mod:`~distcrm.partners.commission_rules`, :mod:`~distcrm.partners.commissions` — commission
  rules by partner type and lead source, splits, invoice or payment basis, clawbacks on
  returns and statements per partner and period.

Examples:
    >>> from datetime import datetime
    >>> book = RegistrationBook.of([Partner("CP1", "city_partner", ["PUNE"])])
    >>> shop = CustomerIdentity("Om Stores", "Pune", phone="+91 98220 12345")
    >>> book, d = book.submit(Registration("REG-1", "CP1", shop, "PUNE", datetime(2025, 6, 2)))
    >>> d.accepted, len(book)
    (True, 1)
"""

from distcrm.errors import InvalidTransition, PartnerError
from distcrm.partners.attribution import Attribution, attribute, visible_leads
from distcrm.partners.commission_rules import (
    BASES,
    Basis,
    CommissionPlan,
    CommissionRule,
    Split,
)
from distcrm.partners.commissions import (
    CommissionEvent,
    CommissionLedger,
    CommissionStatement,
    Deal,
    EventKind,
    Payment,
    Role,
    commission_ledger,
)
from distcrm.partners.identity import (
    LEGAL_SUFFIXES,
    CustomerIdentity,
    IdentityKey,
    KeyKind,
    normalise_name,
    normalise_phone,
    normalise_town,
)
from distcrm.partners.leads import LEAD_SOURCES, Lead, LeadId, LeadSource
from distcrm.partners.protection import RegistrationBook, RegistrationDecision
from distcrm.partners.regions import (
    Partner,
    RegionMap,
    RegionTree,
    covering_region,
    region_path,
)
from distcrm.partners.registration import (
    DEFAULT_PROTECTION_DAYS,
    REGISTRATION_STATUSES,
    TRANSITIONS,
    Registration,
    RegistrationChange,
    RegistrationId,
    RegistrationStatus,
    allowed_transitions,
    approve,
    expire,
    reject,
    status_on,
)
from distcrm.partners.routing import (
    Candidate,
    LeadRouting,
    RoutingStatus,
    RoutingStep,
    route_lead,
)

__all__ = [
    "BASES",
    "DEFAULT_PROTECTION_DAYS",
    "LEAD_SOURCES",
    "LEGAL_SUFFIXES",
    "REGISTRATION_STATUSES",
    "TRANSITIONS",
    "Attribution",
    "Basis",
    "Candidate",
    "CommissionEvent",
    "CommissionLedger",
    "CommissionPlan",
    "CommissionRule",
    "CommissionStatement",
    "CustomerIdentity",
    "Deal",
    "EventKind",
    "IdentityKey",
    "InvalidTransition",
    "KeyKind",
    "Lead",
    "LeadId",
    "LeadRouting",
    "LeadSource",
    "Partner",
    "PartnerError",
    "Payment",
    "RegionMap",
    "RegionTree",
    "Registration",
    "RegistrationBook",
    "RegistrationChange",
    "RegistrationDecision",
    "RegistrationId",
    "RegistrationStatus",
    "Role",
    "RoutingStatus",
    "RoutingStep",
    "Split",
    "allowed_transitions",
    "approve",
    "attribute",
    "commission_ledger",
    "covering_region",
    "expire",
    "normalise_name",
    "normalise_phone",
    "normalise_town",
    "region_path",
    "reject",
    "route_lead",
    "status_on",
    "visible_leads",
]
