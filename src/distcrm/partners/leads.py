"""Leads: a prospective end customer, who brought it and for whom.

A :class:`Lead` is either *partner-sourced* (a distributor or reseller found
it; ``partner`` is set when it is created) or *assigned* (headquarters entered
it; ``partner`` stays ``None`` until a partner claims it through
:func:`~distcrm.partners.routing.route_lead`). A distributor may submit a lead
*for* one of its resellers (``reseller``); a reseller served by several
distributors names the one it works with (``distributor``).

Examples:
    >>> from datetime import date
    >>> from distcrm.partners.identity import CustomerIdentity
    >>> lead = Lead("L-1", CustomerIdentity("Om Sai Clinic", "Nashik"), "NASHIK",
    ...             date(2025, 6, 10), partner="D1", reseller="R1")
    >>> lead.source, lead.submitted_for
    ('partner_sourced', 'R1')
    >>> Lead("L-2", CustomerIdentity("X", "Y"), "Y", date(2025, 6, 10)).source
    'assigned'
"""

from __future__ import annotations

from datetime import date
from typing import Literal, NewType, TypeAlias

import attrs

from distcrm.errors import PartnerError
from distcrm.parties import AccountId, as_account_id
from distcrm.partners.identity import CustomerIdentity

__all__ = ["LEAD_SOURCES", "Lead", "LeadId", "LeadSource"]

LeadId = NewType("LeadId", str)
LeadSource: TypeAlias = Literal["partner_sourced", "assigned"]
LEAD_SOURCES: tuple[LeadSource, ...] = ("partner_sourced", "assigned")


def _as_lead_id(value: str) -> LeadId:
    return LeadId(value)


def _opt_account(value: str | None) -> AccountId | None:
    return None if value is None else as_account_id(value)


@attrs.frozen
class Lead:
    """A lead (or the deal it became) and the partners it belongs to.

    Attributes:
        id: the lead id.
        customer: who the prospective customer is.
        region: the customer's region.
        created_on: the day the lead was entered (attribution is read on this day).
        partner: the partner who submitted or claimed it; ``None`` for an unassigned HQ lead.
        reseller: the reseller a distributor submitted it for.
        distributor: the distributor a reseller works it with, when it has several.
        source: ``"partner_sourced"`` or ``"assigned"``; defaults to ``"assigned"`` when
            ``partner`` is ``None`` and ``"partner_sourced"`` otherwise.
    """

    id: LeadId = attrs.field(converter=_as_lead_id)
    customer: CustomerIdentity
    region: str
    created_on: date
    partner: AccountId | None = attrs.field(default=None, converter=_opt_account)
    reseller: AccountId | None = attrs.field(default=None, converter=_opt_account)
    distributor: AccountId | None = attrs.field(default=None, converter=_opt_account)
    source: LeadSource = attrs.field()

    @source.default
    def _source_default(self) -> LeadSource:
        return "assigned" if self.partner is None else "partner_sourced"

    def __attrs_post_init__(self) -> None:
        where = f"lead {self.id!r}"
        if not self.id:
            raise PartnerError("lead.id: must be a non-empty string")
        if self.source not in LEAD_SOURCES:
            raise PartnerError(
                f"{where}.source: {self.source!r} is not one of {', '.join(LEAD_SOURCES)}"
            )
        if self.source == "partner_sourced" and self.partner is None:
            raise PartnerError(f"{where}.partner: a partner-sourced lead needs its partner")
        if self.partner is None and (self.reseller is not None or self.distributor is not None):
            raise PartnerError(f"{where}.reseller: only a partner's lead names a reseller")
        if self.reseller is not None and self.reseller == self.partner:
            raise PartnerError(f"{where}.reseller: {self.reseller!r} is the partner itself")

    @property
    def submitted_for(self) -> AccountId | None:
        """The partner the lead is worked by: the reseller if named, else the partner."""
        return self.reseller if self.reseller is not None else self.partner
