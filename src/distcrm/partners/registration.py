"""Customer registrations and their approval flow, as a pure state machine.

::

    submitted ──approve──▶ approved ──expire (window over)──▶ expired
        │
        └──reject──▶ rejected

A partner *submits* a registration of an end customer; the vendor approves or
rejects it. Approval protects the customer for the partner from the approval
date for ``protection_days`` days: the protection covers
``[approved_on, approved_on + protection_days)``. After that the registration
is *expired*: :func:`status_on` says so for any date without anyone recording
it, and :func:`expire` records it in the history once the window is over.

Every function returns a new :class:`Registration` with the step appended to its
history (who and when are passed in: the core never reads the clock). A move
not allowed from the current state raises :class:`~distcrm.errors.InvalidTransition`
naming the registration and both states. Whether an approval *conflicts* with
another partner's protection is decided over all registrations by
:class:`~distcrm.partners.protection.RegistrationBook`.

Examples:
    >>> from datetime import date, datetime
    >>> r = Registration("REG-1", "CP-PUNE", CustomerIdentity("Sharma Electricals", "Pune"),
    ...                  region="PUNE", submitted_at=datetime(2025, 6, 2, 11, 0))
    >>> r = approve(r, by="hq.meera", at=datetime(2025, 6, 3, 9, 0), protection_days=90)
    >>> r.status, str(r.protection)
    ('approved', '[2025-06-03, 2025-09-01)')
    >>> status_on(r, date(2025, 8, 31)), status_on(r, date(2025, 9, 1))
    ('approved', 'expired')
    >>> reject(r, by="hq.meera", at=datetime(2025, 6, 4))
    Traceback (most recent call last):
    ...
    distcrm.errors.InvalidTransition: registration 'REG-1': cannot go from 'approved' to 'rejected' (allowed: expired)
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Literal, NewType, TypeAlias

import attrs

from distcrm.errors import InvalidTransition, PartnerError
from distcrm.parties import AccountId, as_account_id
from distcrm.partners.identity import CustomerIdentity
from distcrm.periods import Validity

__all__ = [
    "DEFAULT_PROTECTION_DAYS",
    "REGISTRATION_STATUSES",
    "TRANSITIONS",
    "Registration",
    "RegistrationChange",
    "RegistrationId",
    "RegistrationStatus",
    "allowed_transitions",
    "approve",
    "expire",
    "reject",
    "status_on",
]

RegistrationId = NewType("RegistrationId", str)
RegistrationStatus: TypeAlias = Literal["submitted", "approved", "rejected", "expired"]
REGISTRATION_STATUSES: tuple[RegistrationStatus, ...] = (
    "submitted",
    "approved",
    "rejected",
    "expired",
)
DEFAULT_PROTECTION_DAYS = 90
"""Days a customer stays protected for the partner from the approval date."""

TRANSITIONS: dict[RegistrationStatus, frozenset[RegistrationStatus]] = {
    "submitted": frozenset({"approved", "rejected"}),
    "approved": frozenset({"expired"}),
    "rejected": frozenset(),
    "expired": frozenset(),
}
"""Allowed moves from each status."""


def _as_registration_id(value: str) -> RegistrationId:
    return RegistrationId(value)


@attrs.frozen
class RegistrationChange:
    """One step of a registration's history: who moved it from ``previous`` to ``status``."""

    previous: RegistrationStatus
    status: RegistrationStatus
    by: str
    at: datetime
    note: str = ""


def _history(values: Iterable[RegistrationChange]) -> tuple[RegistrationChange, ...]:
    return tuple(values)


@attrs.frozen
class Registration:
    """A partner's registration of an end customer.

    Attributes:
        id: the registration id.
        partner: the registering partner.
        customer: the customer's identity (GSTIN, phone, name + town).
        region: the customer's region (territory id or state code).
        submitted_at: when the partner submitted it.
        status: the lifecycle state as last recorded (see :func:`status_on` for a date).
        protection: ``[approved_on, approved_on + days)`` once approved, else ``None``.
        history: every status change, oldest first.
    """

    id: RegistrationId = attrs.field(converter=_as_registration_id)
    partner: AccountId = attrs.field(converter=as_account_id)
    customer: CustomerIdentity
    region: str
    submitted_at: datetime
    status: RegistrationStatus = "submitted"
    protection: Validity | None = None
    history: tuple[RegistrationChange, ...] = attrs.field(default=(), converter=_history)

    def __attrs_post_init__(self) -> None:
        where = f"registration {self.id!r}"
        if not self.id:
            raise PartnerError("registration.id: must be a non-empty string")
        if not self.partner:
            raise PartnerError(f"{where}.partner: must be a non-empty string")
        if not self.region:
            raise PartnerError(f"{where}.region: must be a non-empty string")
        if self.status not in TRANSITIONS:
            raise PartnerError(
                f"{where}.status: {self.status!r} is not one of {', '.join(REGISTRATION_STATUSES)}"
            )
        if self.status in ("approved", "expired") and self.protection is None:
            raise PartnerError(f"{where}.protection: an {self.status} registration needs one")

    def protected_on(self, on: date) -> bool:
        """True when this registration protects its customer on ``on``."""
        return (
            self.status == "approved"
            and self.protection is not None
            and (self.protection.contains(on))
        )


def allowed_transitions(status: RegistrationStatus) -> frozenset[RegistrationStatus]:
    """The statuses a registration in ``status`` may move to."""
    return TRANSITIONS[status]


def _move(
    reg: Registration,
    to: RegistrationStatus,
    *,
    by: str,
    at: datetime,
    note: str,
    protection: Validity | None = None,
) -> Registration:
    allowed = TRANSITIONS[reg.status]
    if to not in allowed:
        names = ", ".join(sorted(allowed)) or "none"
        raise InvalidTransition(
            f"registration {reg.id!r}: cannot go from {reg.status!r} to {to!r} (allowed: {names})"
        )
    if not by:
        raise PartnerError(f"registration {reg.id!r}.history: a status change needs who made it")
    last = reg.history[-1].at if reg.history else reg.submitted_at
    if at < last:
        raise PartnerError(
            f"registration {reg.id!r}.history: {to} at {at.isoformat()} is before the previous "
            f"step at {last.isoformat()}"
        )
    step = RegistrationChange(reg.status, to, by, at, note)
    return attrs.evolve(
        reg,
        status=to,
        history=(*reg.history, step),
        protection=reg.protection if protection is None else protection,
    )


def approve(
    reg: Registration,
    *,
    by: str,
    at: datetime,
    protection_days: int = DEFAULT_PROTECTION_DAYS,
    note: str = "",
) -> Registration:
    """Approve a submitted registration: protection starts on ``at``'s date.

    This checks the state only; use
    :meth:`~distcrm.partners.protection.RegistrationBook.approve` to refuse an
    approval that conflicts with another partner's protection.
    """
    if isinstance(protection_days, bool) or not isinstance(protection_days, int):
        raise PartnerError(f"registration {reg.id!r}.protection_days: must be an int")
    if protection_days < 1:
        raise PartnerError(
            f"registration {reg.id!r}.protection_days: must be >= 1, got {protection_days}"
        )
    start = at.date()
    window = Validity(start, start + timedelta(days=protection_days))
    return _move(reg, "approved", by=by, at=at, note=note, protection=window)


def reject(reg: Registration, *, by: str, at: datetime, note: str = "") -> Registration:
    """Reject a submitted registration."""
    return _move(reg, "rejected", by=by, at=at, note=note)


def expire(reg: Registration, *, by: str, at: datetime, note: str = "") -> Registration:
    """Record that an approved registration's protection is over (only once it is)."""
    if (
        reg.status == "approved"
        and reg.protection is not None
        and reg.protection.contains(at.date())
    ):
        end = reg.protection.end.isoformat() if reg.protection.end else "never"
        raise InvalidTransition(
            f"registration {reg.id!r}: cannot go from 'approved' to 'expired' on "
            f"{at.date().isoformat()}; protection runs until {end} (exclusive)"
        )
    return _move(reg, "expired", by=by, at=at, note=note)


def status_on(reg: Registration, on: date) -> RegistrationStatus:
    """The status on ``on``: ``expired`` once an approved registration's window is over.

    Examples:
        >>> from datetime import datetime
        >>> r = Registration("R", "P", CustomerIdentity("X", "Y"), "Z", datetime(2025, 1, 1))
        >>> status_on(r, date(2030, 1, 1))
        'submitted'
    """
    if reg.status in ("approved", "expired") and reg.protection is not None:
        if on < reg.protection.start:
            return "submitted"
        if reg.protection.end is not None and on >= reg.protection.end:
            return "expired"
        return "approved"
    return reg.status
