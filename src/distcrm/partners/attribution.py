"""Attribution of leads and deals along vendor → distributor → reseller, and who sees them.

:func:`attribute` reads the channel graph (:mod:`distcrm.hierarchy`) on the
lead's ``created_on`` day and names every party of the chain:

* a distributor's lead *for* a reseller is attributed to both; the distributor
  must serve that reseller that day (else :class:`~distcrm.errors.AccessDenied`,
  as a distributor portal may only act for its own resellers);
* a reseller's lead goes to the reseller and to its distributor: the only one
  it has, or the one named in ``lead.distributor`` when it has several (several
  without a choice raise :class:`~distcrm.errors.PartnerError`: ambiguity is the
  caller's explicit choice); a reseller served by the vendor directly has none;
* a distributor's own lead goes to the distributor alone.

The vendor (the root of the chain) sees every lead. :func:`visible_leads` lets
any other viewer see a lead when one of its attributed partners is in the
viewer's scope on the viewing day (:func:`distcrm.hierarchy.visible_accounts`):
a distributor sees the leads it is attributed and those of the resellers it
serves; a reseller sees its own. Attributions are kept as computed, so moving a
reseller to another distributor later does not rewrite old leads.

Examples:
    >>> from datetime import date
    >>> from distcrm.hierarchy import build_graph
    >>> from distcrm.parties import PARTNER_PROGRAM, Account, Link
    >>> from distcrm.partners.identity import CustomerIdentity
    >>> from distcrm.partners.leads import Lead
    >>> g = build_graph([Account("V", "Vendor", "vendor"), Account("D1", "North", "distributor"),
    ...                  Account("D2", "South", "distributor"), Account("R1", "Byte", "reseller"),
    ...                  Account("R2", "Chip", "reseller")], PARTNER_PROGRAM,
    ...                 [Link("V", "D1"), Link("V", "D2"), Link("D1", "R1"), Link("D2", "R1"),
    ...                  Link("D2", "R2")])
    >>> lead = Lead("L-1", CustomerIdentity("Om Clinic", "Pune"), "PUNE", date(2025, 6, 2),
    ...             partner="D1", reseller="R1")
    >>> a = attribute(lead, g)
    >>> a.chain, a.distributor, a.reseller
    (('V', 'D1', 'R1'), 'D1', 'R1')
    >>> own = attribute(Lead("L-2", CustomerIdentity("Ved Labs", "Pune"), "PUNE",
    ...                      date(2025, 6, 2), partner="R2"), g)
    >>> own.chain
    ('V', 'D2', 'R2')
    >>> [x.lead for x in visible_leads([a, own], g, "D1", on=date(2025, 6, 30))]
    ['L-1']
    >>> [x.lead for x in visible_leads([a, own], g, "V", on=date(2025, 6, 30))]
    ['L-1', 'L-2']
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

import attrs

from distcrm.errors import AccessDenied, PartnerError
from distcrm.findings import Trace
from distcrm.hierarchy import ChannelGraph, visible_accounts
from distcrm.parties import AccountId, as_account_id
from distcrm.partners.leads import Lead, LeadId, LeadSource


def _as_lead_id(value: str) -> LeadId:
    return LeadId(value)


def _opt_account(value: str | None) -> AccountId | None:
    return None if value is None else as_account_id(value)


__all__ = ["Attribution", "attribute", "visible_leads"]

DISTRIBUTOR = "distributor"
RESELLER = "reseller"


@attrs.frozen
class Attribution:
    """Who a lead or deal is attributed to, read on ``on``.

    Attributes:
        lead: the lead (or deal) id.
        on: the day the channel graph was read.
        source: the lead's source, carried for commission rules.
        owner: the partner who submitted or claimed the lead (its type keys commission rules).
        vendor: the root of the chain.
        distributor: the attributed distributor, if any.
        reseller: the attributed reseller, if any.
        trace: how the chain was found.
    """

    lead: LeadId = attrs.field(converter=_as_lead_id)
    on: date
    source: LeadSource
    owner: AccountId = attrs.field(converter=as_account_id)
    vendor: AccountId = attrs.field(converter=as_account_id)
    distributor: AccountId | None = attrs.field(converter=_opt_account)
    reseller: AccountId | None = attrs.field(converter=_opt_account)
    trace: Trace = attrs.field(factory=lambda: Trace.of(""), eq=False)

    @property
    def chain(self) -> tuple[AccountId, ...]:
        """The vendor, then the distributor and reseller that are attributed."""
        return tuple(a for a in (self.vendor, self.distributor, self.reseller) if a is not None)

    @property
    def partners(self) -> tuple[AccountId, ...]:
        """The attributed partners (distributor and/or reseller), top first."""
        return self.chain[1:]


def attribute(lead: Lead, graph: ChannelGraph, *, on: date | None = None) -> Attribution:
    """Attribute ``lead`` along the chain on ``on`` (default: the lead's ``created_on``).

    Raises:
        PartnerError: the lead has no partner yet, its partner is the vendor, its
            partner's tier is neither distributor nor reseller, a named distributor
            does not serve the reseller, or a reseller with several distributors
            names none.
        AccessDenied: a distributor submitted the lead for a reseller it does not serve.
        HierarchyError: an account is not in the network that day.
    """
    day = lead.created_on if on is None else on
    where = f"lead {lead.id!r}"
    if lead.partner is None:
        raise PartnerError(f"{where}.partner: an unassigned lead cannot be attributed yet")
    snap = graph.as_of(day)
    rules = graph.rules
    partner_tier = graph.account(lead.partner).tier
    trace = Trace.of(f"attribution of {lead.id} on {day.isoformat()}")
    if partner_tier not in (DISTRIBUTOR, RESELLER):
        raise PartnerError(
            f"{where}.partner: {lead.partner!r} is a {partner_tier}; leads are attributed to "
            "distributors and resellers"
        )
    distributor: AccountId | None = None
    reseller: AccountId | None = None
    if lead.reseller is not None:
        if partner_tier != DISTRIBUTOR:
            raise PartnerError(
                f"{where}.reseller: only a distributor submits a lead for a reseller, "
                f"{lead.partner!r} is a {partner_tier}"
            )
        if lead.partner not in snap.parents(lead.reseller):
            raise AccessDenied(
                f"{where}.reseller: distributor {lead.partner!r} does not serve reseller "
                f"{lead.reseller!r} on {day.isoformat()}"
            )
        distributor, reseller = lead.partner, lead.reseller
        trace = trace.add("submitted for reseller", "applied", f"{distributor} serves {reseller}")
    elif partner_tier == RESELLER:
        reseller = lead.partner
        ups = tuple(p for p in snap.parents(reseller) if graph.account(p).tier == DISTRIBUTOR)
        if lead.distributor is not None:
            if lead.distributor not in ups:
                raise PartnerError(
                    f"{where}.distributor: {lead.distributor!r} does not serve reseller "
                    f"{reseller!r} on {day.isoformat()} (served by {', '.join(ups) or 'none'})"
                )
            distributor = lead.distributor
            trace = trace.add("named distributor", "applied", distributor)
        elif len(ups) == 1:
            distributor = ups[0]
            trace = trace.add("only distributor", "applied", distributor)
        elif ups:
            raise PartnerError(
                f"{where}.distributor: reseller {reseller!r} is served by {', '.join(ups)} on "
                f"{day.isoformat()}; name one"
            )
        else:
            trace = trace.add("distributor", "skipped", f"{reseller} is served by the vendor")
    else:
        distributor = lead.partner
        trace = trace.add("distributor's own lead", "applied", distributor)
    top = distributor if distributor is not None else reseller
    assert top is not None
    path = snap.path_to_root(top, on_multi="first")
    vendor = path[-1]
    if not rules.is_root(graph.account(vendor).tier):
        raise PartnerError(f"{where}.partner: the chain above {top!r} has no vendor")
    trace = trace.add("vendor", "applied", vendor)
    return Attribution(
        lead.id, day, lead.source, lead.partner, vendor, distributor, reseller, trace
    )


def visible_leads(
    attributions: Iterable[Attribution], graph: ChannelGraph, viewer: str, *, on: date
) -> tuple[Attribution, ...]:
    """The attributions ``viewer`` may see on ``on``, in the order given.

    A root-tier viewer (the vendor) sees all; anyone else sees a lead when one of
    its attributed partners is in the viewer's scope that day.
    """
    visible = visible_accounts(graph, viewer, on=on)
    everything = graph.rules.is_root(graph.account(viewer).tier)
    return tuple(a for a in attributions if everything or any(p in visible for p in a.partners))
