"""Region-based assignment of headquarters leads, with a claim / decline step.

Headquarters enters a lead; :func:`route_lead` lists the partners covering the
lead's region on the day, in a fixed order, and offers the lead to the first.
The partner *claims* it (it becomes theirs, source ``assigned``) or *declines*
it, and the offer moves to the next candidate. When every candidate has
declined — or none covers the region — the lead is ``unassigned`` with a
finding for headquarters.

Candidate order (documented and deterministic):

1. ``priority`` ascending (a partner's :attr:`~distcrm.partners.regions.Partner.priority`);
2. the closest coverage first: a partner covering the lead's town itself
   before one covering its state (fewer levels up the region tree);
3. partner id.

Only partners active on the day count.

Examples:
    >>> from datetime import date, datetime
    >>> from distcrm.partners.identity import CustomerIdentity
    >>> from distcrm.partners.regions import Partner, RegionMap
    >>> regions = RegionMap.from_parents({"PUNE": "MH", "NASHIK": "MH"})
    >>> partners = [Partner("CP-MH", "city_partner", ["MH"]),
    ...             Partner("CP-PUNE", "city_partner", ["PUNE"]),
    ...             Partner("CP-NSK", "city_partner", ["NASHIK"])]
    >>> lead = Lead("HQ-7", CustomerIdentity("Apex Hospital", "Pune"), "PUNE", date(2025, 6, 2))
    >>> r = route_lead(lead, partners, regions)
    >>> r.candidate_ids, r.current
    (('CP-PUNE', 'CP-MH'), 'CP-PUNE')
    >>> r = r.decline("CP-PUNE", at=datetime(2025, 6, 3, 10, 0), reason="no capacity")
    >>> r = r.claim("CP-MH", at=datetime(2025, 6, 3, 15, 0))
    >>> r.status, r.lead.partner, r.lead.source
    ('claimed', 'CP-MH', 'assigned')
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Literal, TypeAlias

import attrs

from distcrm.errors import InvalidTransition, PartnerError
from distcrm.findings import Finding, Trace
from distcrm.parties import AccountId, as_account_id
from distcrm.partners.leads import Lead
from distcrm.partners.regions import Partner, RegionTree, covering_region

__all__ = [
    "Candidate",
    "LeadRouting",
    "RoutingStatus",
    "RoutingStep",
    "route_lead",
]

RoutingStatus: TypeAlias = Literal["offered", "claimed", "unassigned"]
StepKind: TypeAlias = Literal["offered", "declined", "claimed"]


@attrs.frozen
class Candidate:
    """A partner covering the lead's region, with why and where it ranks."""

    partner: AccountId = attrs.field(converter=as_account_id)
    priority: int
    covers: str
    levels_up: int


@attrs.frozen
class RoutingStep:
    """One step of a routing's history: an offer, a decline or a claim."""

    kind: StepKind
    partner: AccountId = attrs.field(converter=as_account_id)
    at: datetime | None = None
    note: str = ""


@attrs.frozen
class LeadRouting:
    """Where a headquarters lead stands in its routing.

    Attributes:
        lead: the lead; its ``partner`` is set once claimed.
        candidates: every covering partner, in offer order.
        position: index of the partner holding the offer (``len(candidates)`` once exhausted).
        status: ``offered``, ``claimed`` or ``unassigned``.
        history: offers, declines and the claim, oldest first.
        findings: why the lead is unassigned, when it is.
        trace: how the candidates were chosen and what they did.
    """

    lead: Lead
    candidates: tuple[Candidate, ...]
    position: int
    status: RoutingStatus
    history: tuple[RoutingStep, ...] = ()
    findings: tuple[Finding, ...] = ()
    trace: Trace = attrs.field(factory=lambda: Trace.of(""), eq=False)

    @property
    def candidate_ids(self) -> tuple[AccountId, ...]:
        """The candidates' ids in offer order."""
        return tuple(c.partner for c in self.candidates)

    @property
    def current(self) -> AccountId | None:
        """The partner holding the offer (``None`` unless ``offered``)."""
        return self.candidates[self.position].partner if self.status == "offered" else None

    def _check(self, partner: str, action: str) -> None:
        if self.status != "offered":
            raise InvalidTransition(
                f"lead routing {self.lead.id!r}: cannot {action}, the lead is {self.status}"
            )
        if partner != self.current:
            raise InvalidTransition(
                f"lead routing {self.lead.id!r}: {partner!r} cannot {action}, the offer is with "
                f"{self.current!r}"
            )

    def _check_time(self, at: datetime) -> None:
        last = next((s.at for s in reversed(self.history) if s.at is not None), None)
        if last is not None and at < last:
            raise PartnerError(
                f"lead routing {self.lead.id!r}.history: {at.isoformat()} is before the previous "
                f"step at {last.isoformat()}"
            )

    def decline(self, partner: str, *, at: datetime, reason: str = "") -> LeadRouting:
        """``partner`` (holding the offer) declines; the next candidate is offered the lead."""
        self._check(partner, "decline")
        self._check_time(at)
        history = [*self.history, RoutingStep("declined", partner, at, reason)]
        trace = self.trace.add(f"offer to {partner}", "rejected", reason or "declined")
        nxt = self.position + 1
        if nxt < len(self.candidates):
            history.append(RoutingStep("offered", self.candidates[nxt].partner, at))
            return attrs.evolve(self, position=nxt, history=tuple(history), trace=trace)
        finding = Finding(
            "all_declined",
            f"lead {self.lead.id} ({self.lead.customer.label}) in {self.lead.region} was declined "
            f"by {', '.join(self.candidate_ids)}; assign it by hand",
            subject=self.lead.id,
        )
        return attrs.evolve(
            self,
            position=nxt,
            status="unassigned",
            history=tuple(history),
            findings=(finding,),
            trace=trace.add("routing", "cut", "every candidate declined"),
        )

    def claim(self, partner: str, *, at: datetime, note: str = "") -> LeadRouting:
        """``partner`` (holding the offer) claims the lead: it becomes theirs."""
        self._check(partner, "claim")
        self._check_time(at)
        lead = attrs.evolve(self.lead, partner=partner, source="assigned")
        return attrs.evolve(
            self,
            lead=lead,
            status="claimed",
            history=(*self.history, RoutingStep("claimed", partner, at, note)),
            trace=self.trace.add(f"offer to {partner}", "applied", note or "claimed"),
        )


def route_lead(
    lead: Lead,
    partners: Iterable[Partner],
    regions: RegionTree | None = None,
    *,
    on: date | None = None,
    at: datetime | None = None,
) -> LeadRouting:
    """Offer a headquarters lead to the first partner covering its region.

    Args:
        lead: an unassigned lead (``partner is None``).
        partners: every partner of the programme.
        regions: the region tree (``None``: exact region match only).
        on: the day partners must be active on (default: the lead's ``created_on``).
        at: when the first offer is made, recorded in the history.

    Raises:
        PartnerError: the lead already has a partner.
    """
    if lead.partner is not None:
        raise PartnerError(
            f"lead {lead.id!r}.partner: already {lead.partner!r}; only headquarters leads are routed"
        )
    day = lead.created_on if on is None else on
    trace = Trace.of(f"routing of lead {lead.id} in {lead.region} on {day.isoformat()}")
    found: list[Candidate] = []
    for p in sorted(partners, key=lambda p: p.id):
        cover = covering_region(p, lead.region, regions, on=day)
        if cover is None:
            continue
        found.append(Candidate(p.id, p.priority, cover[0], cover[1]))
    found.sort(key=lambda c: (c.priority, c.levels_up, c.partner))
    candidates = tuple(found)
    for c in candidates:
        trace = trace.add(
            f"candidate {c.partner}",
            "considered",
            f"priority {c.priority}, covers {c.covers} ({c.levels_up} levels up)",
        )
    if not candidates:
        finding = Finding(
            "no_partner_covers_region",
            f"no active partner covers {lead.region} on {day.isoformat()} for lead {lead.id}",
            subject=lead.id,
        )
        return LeadRouting(
            lead, (), 0, "unassigned", (), (finding,), trace.add("routing", "cut", "no candidate")
        )
    first = RoutingStep("offered", candidates[0].partner, at)
    return LeadRouting(lead, candidates, 0, "offered", (first,), (), trace)
