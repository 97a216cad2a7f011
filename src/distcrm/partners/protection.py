"""Registration protection: duplicates, regions and conflicts over every registration.

:class:`RegistrationBook` holds every registration of a programme with an index
of their identity keys, the partners and their regions. Its methods return a new
book and a :class:`RegistrationDecision` (accepted or refused, with findings and
a trace); a refused step leaves the book unchanged.

Rules, in the order they are checked:

* **submit** — the partner must be active and the customer's region within its
  regions (``outside_regions``); a duplicate customer protected on the
  submission day for *another* partner refuses the submission
  (``protected_for_other``), one protected for the *same* partner too
  (``already_protected``), as does the same partner's own pending registration
  (``already_submitted``). Another partner's pending registration of the same
  customer is reported (``pending_elsewhere``, info) but does not refuse: the
  first one *approved* wins.
* **approve** — refused (``protected_for_other``) when another partner holds a
  protection of a duplicate customer whose window overlaps the new window
  ``[approval day, approval day + protection_days)``. Windows are compared, not
  days, so a back-dated approval cannot create two protections at once: a
  customer is protected for at most one partner at a time.
* **reject** and **expire** follow the state machine of
  :mod:`distcrm.partners.registration`.

Examples:
    >>> from datetime import datetime
    >>> from distcrm.partners.identity import CustomerIdentity
    >>> from distcrm.partners.regions import Partner, RegionMap
    >>> regions = RegionMap.from_parents({"PUNE": "MH", "NASHIK": "MH"})
    >>> book = RegistrationBook.of([Partner("CP1", "city_partner", ["PUNE"]),
    ...                             Partner("CP2", "city_partner", ["MH"])], regions=regions)
    >>> shop = CustomerIdentity("Sharma Electricals", "Pune", phone="98765 43210")
    >>> book, d1 = book.submit(Registration("REG-1", "CP1", shop, "PUNE", datetime(2025, 6, 2)))
    >>> book, ok = book.approve("REG-1", by="hq", at=datetime(2025, 6, 3))
    >>> ok.accepted, str(book.get("REG-1").protection)
    (True, '[2025-06-03, 2025-09-01)')
    >>> same = CustomerIdentity("Sharma Electricals Pvt Ltd", "PUNE")
    >>> book, d2 = book.submit(Registration("REG-2", "CP2", same, "PUNE", datetime(2025, 7, 1)))
    >>> d2.accepted, [f.code for f in d2.findings]
    (False, ['protected_for_other'])
    >>> book, d3 = book.submit(Registration("REG-3", "CP2", same, "PUNE", datetime(2025, 9, 1)))
    >>> d3.accepted
    True
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from datetime import date, datetime, timedelta

import attrs

from distcrm.errors import DuplicateError, NotFound, PartnerError
from distcrm.findings import Finding, Outcome, Trace
from distcrm.parties import AccountId
from distcrm.partners.identity import CustomerIdentity, IdentityKey
from distcrm.partners.regions import Partner, RegionTree, covering_region
from distcrm.partners.registration import (
    DEFAULT_PROTECTION_DAYS,
    Registration,
    RegistrationId,
    approve,
    expire,
    reject,
)
from distcrm.periods import Validity

__all__ = ["RegistrationBook", "RegistrationDecision"]


@attrs.frozen
class RegistrationDecision:
    """The outcome of one step on a :class:`RegistrationBook`.

    Attributes:
        registration: the registration concerned.
        accepted: True when the step was applied.
        findings: why it was refused, or what to know although it was accepted.
        conflicts: the other registrations involved (protecting or pending).
        trace: every rule checked.
    """

    registration: RegistrationId
    accepted: bool
    findings: tuple[Finding, ...] = ()
    conflicts: tuple[RegistrationId, ...] = ()
    trace: Trace = attrs.field(factory=lambda: Trace.of(""))


def _key_label(keys: Iterable[IdentityKey]) -> str:
    return ", ".join(f"{kind} {value}" for kind, value in keys)


_CHUNK = 512


class _Rows:
    """An immutable sequence of registrations in chunks: appending or replacing one copies
    one chunk and the chunk list, not every registration."""

    __slots__ = ("chunks", "length")

    def __init__(self, chunks: tuple[tuple[Registration, ...], ...] = (), length: int = 0) -> None:
        self.chunks = chunks
        self.length = length

    @classmethod
    def of(cls, regs: tuple[Registration, ...]) -> _Rows:
        chunks = tuple(regs[i : i + _CHUNK] for i in range(0, len(regs), _CHUNK))
        return cls(chunks, len(regs))

    def __len__(self) -> int:
        return self.length

    def __getitem__(self, i: int) -> Registration:
        return self.chunks[i // _CHUNK][i % _CHUNK]

    def __iter__(self) -> Iterator[Registration]:
        for chunk in self.chunks:
            yield from chunk

    def appended(self, reg: Registration) -> _Rows:
        if self.chunks and len(self.chunks[-1]) < _CHUNK:
            return _Rows((*self.chunks[:-1], (*self.chunks[-1], reg)), self.length + 1)
        return _Rows((*self.chunks, (reg,)), self.length + 1)

    def replaced(self, i: int, reg: Registration) -> _Rows:
        c, j = divmod(i, _CHUNK)
        chunk = self.chunks[c]
        new = (*chunk[:j], reg, *chunk[j + 1 :])
        return _Rows((*self.chunks[:c], new, *self.chunks[c + 1 :]), self.length)


class _Index:
    """Identity-key and id index shared by successive versions of a book.

    Versions of a book differ only by registrations appended at the end or
    replaced in place (same id, same customer), so one index serves them all:
    a version of ``n`` registrations ignores positions ``>= n``. Only the newest
    version extends it; appending to an older version builds a fresh index.
    """

    __slots__ = ("by_key", "length", "positions")

    def __init__(self) -> None:
        self.positions: dict[str, int] = {}
        self.by_key: dict[IdentityKey, list[int]] = {}
        self.length = 0

    @classmethod
    def build(cls, registrations: Iterable[Registration]) -> _Index:
        index = cls()
        for i, reg in enumerate(registrations):
            if reg.id in index.positions:
                raise DuplicateError(f"registration book.registrations[{i}]: id {reg.id!r} twice")
            index.append(reg)
        return index

    def append(self, reg: Registration) -> None:
        i = self.length
        self.positions[reg.id] = i
        for key in reg.customer.identity_keys():
            self.by_key.setdefault(key, []).append(i)
        self.length = i + 1

    def find(self, reg_id: object, length: int) -> int | None:
        i = self.positions.get(reg_id) if isinstance(reg_id, str) else None
        return i if i is not None and i < length else None

    def hits(self, keys: Iterable[IdentityKey], length: int) -> list[int]:
        found: set[int] = set()
        for key in keys:
            for i in self.by_key.get(key, ()):
                if i < length:
                    found.add(i)
        return sorted(found)


@attrs.frozen(eq=False)
class RegistrationBook:
    """Every registration of a programme, indexed by identity key.

    Build with :meth:`of` (``RegistrationBook(partners)`` is an empty book). ``regions``
    is a :class:`~distcrm.partners.regions.RegionTree` (``None``: exact region match only).
    Each step returns a new version; versions share their storage, so a step costs a
    few dictionary look-ups and a small copy, however many registrations the book holds.
    Older versions stay valid and unchanged. A book is not meant for concurrent steps from
    several threads on the same version (the newest version extends a shared index).

    Attributes:
        partners: the programme's partners by id.
        regions: the region tree used for "within its regions".
        protection_days: the protection window given on approval.
    """

    partners: Mapping[AccountId, Partner] = attrs.field(eq=False)
    regions: RegionTree | None = attrs.field(default=None, eq=False)
    protection_days: int = DEFAULT_PROTECTION_DAYS
    _rows: _Rows = attrs.field(init=False, repr=False, eq=False)
    _index: _Index = attrs.field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        if isinstance(self.protection_days, bool) or not isinstance(self.protection_days, int):
            raise PartnerError("registration book.protection_days: must be an int")
        if self.protection_days < 1:
            raise PartnerError(
                f"registration book.protection_days: must be >= 1, got {self.protection_days}"
            )
        object.__setattr__(self, "_rows", _Rows())
        object.__setattr__(self, "_index", _Index())

    @classmethod
    def of(
        cls,
        partners: Iterable[Partner],
        registrations: Iterable[Registration] = (),
        *,
        regions: RegionTree | None = None,
        protection_days: int = DEFAULT_PROTECTION_DAYS,
    ) -> RegistrationBook:
        """A book over ``partners`` holding ``registrations`` (already decided or not)."""
        by_id: dict[AccountId, Partner] = {}
        for i, p in enumerate(partners):
            if p.id in by_id:
                raise DuplicateError(f"registration book.partners[{i}]: partner {p.id!r} twice")
            by_id[p.id] = p
        regs = tuple(registrations)
        empty = cls(by_id, regions, protection_days)
        return empty._sharing(_Rows.of(regs), _Index.build(regs))

    @property
    def registrations(self) -> tuple[Registration, ...]:
        """Every registration, in submission order (built on each call: O(n))."""
        return tuple(self._rows)

    def __len__(self) -> int:
        return len(self._rows)

    def __iter__(self) -> Iterator[Registration]:
        return iter(self._rows)

    def __contains__(self, reg_id: object) -> bool:
        return self._index.find(reg_id, len(self._rows)) is not None

    def get(self, reg_id: str) -> Registration:
        """The registration with id ``reg_id``; raises :class:`NotFound`."""
        i = self._index.find(reg_id, len(self._rows))
        if i is None:
            raise NotFound(f"registration {reg_id!r}: not in the book")
        return self._rows[i]

    def duplicates(self, customer: CustomerIdentity) -> tuple[Registration, ...]:
        """Every registration sharing at least one identity key with ``customer``, oldest first."""
        hits = self._index.hits(customer.identity_keys(), len(self._rows))
        return tuple(self._rows[i] for i in hits)

    def protecting(self, customer: CustomerIdentity, on: date) -> tuple[Registration, ...]:
        """Registrations of duplicates of ``customer`` that protect it on ``on``."""
        return tuple(r for r in self.duplicates(customer) if r.protected_on(on))

    def protected_for(self, customer: CustomerIdentity, on: date) -> AccountId | None:
        """The partner ``customer`` is protected for on ``on``, or ``None``.

        Examples:
            >>> from datetime import datetime
            >>> from distcrm.partners.regions import Partner
            >>> book = RegistrationBook.of([Partner("CP1", "city_partner", ["PUNE"])])
            >>> c = CustomerIdentity("Om Stores", "Pune")
            >>> book, _ = book.submit(Registration("R1", "CP1", c, "PUNE", datetime(2025, 1, 6)))
            >>> book, _ = book.approve("R1", by="hq", at=datetime(2025, 1, 7))
            >>> book.protected_for(c, date(2025, 4, 6)), book.protected_for(c, date(2025, 4, 7))
            ('CP1', None)
        """
        found = self.protecting(customer, on)
        return found[0].partner if found else None

    def _partner(self, reg: Registration) -> Partner:
        partner = self.partners.get(reg.partner)
        if partner is None:
            raise PartnerError(
                f"registration {reg.id!r}.partner: {reg.partner!r} is not a partner of the programme"
            )
        return partner

    def _replaced(self, reg: Registration) -> RegistrationBook:
        i = self._index.find(reg.id, len(self._rows))
        assert i is not None
        return self._sharing(self._rows.replaced(i, reg), self._index)

    def _appended(self, reg: Registration) -> RegistrationBook:
        rows = self._rows.appended(reg)
        if self._index.length == len(self._rows):
            self._index.append(reg)  # this book is the newest version: extend the shared index
            return self._sharing(rows, self._index)
        return self._sharing(rows, _Index.build(rows))  # a branch from an older version

    def _sharing(self, rows: _Rows, index: _Index) -> RegistrationBook:
        book = object.__new__(RegistrationBook)
        for name, value in (
            ("partners", self.partners),
            ("regions", self.regions),
            ("protection_days", self.protection_days),
            ("_rows", rows),
            ("_index", index),
        ):
            object.__setattr__(book, name, value)
        return book

    def submit(self, reg: Registration) -> tuple[RegistrationBook, RegistrationDecision]:
        """Record a new submitted registration, or refuse it with findings.

        Raises:
            DuplicateError: a registration with the same id is already in the book.
            PartnerError: the partner is unknown or the registration is not ``submitted``.
        """
        if reg.id in self:
            raise DuplicateError(f"registration {reg.id!r}: already in the book")
        if reg.status != "submitted" or reg.history:
            raise PartnerError(
                f"registration {reg.id!r}.status: a new registration must be 'submitted' "
                f"without history, got {reg.status!r}"
            )
        partner = self._partner(reg)
        on = reg.submitted_at.date()
        trace = Trace.of(
            f"registration {reg.id} of {reg.customer.label} by {reg.partner} on {on.isoformat()}"
        )
        findings: list[Finding] = []
        conflicts: list[RegistrationId] = []
        refused = False

        covered = covering_region(partner, reg.region, self.regions, on=on)
        if covered is None:
            why = (
                f"not active on {on.isoformat()}"
                if not partner.validity.contains(on)
                else f"covers {', '.join(sorted(partner.regions)) or 'no region'}"
            )
            findings.append(
                Finding(
                    "outside_regions",
                    f"{reg.partner} may not register {reg.customer.label} in {reg.region}: {why}",
                    subject=reg.id,
                    severity="error",
                )
            )
            trace = trace.add("partner regions", "rejected", f"{reg.region}: {why}")
            refused = True
        else:
            trace = trace.add("partner regions", "applied", f"{reg.region} within {covered[0]}")

        for other in self.duplicates(reg.customer):
            shared = _key_label(reg.customer.matches(other.customer))
            same = other.partner == reg.partner
            if other.protected_on(on):
                assert other.protection is not None
                until = other.protection.end.isoformat() if other.protection.end else "ever"
                code = "already_protected" if same else "protected_for_other"
                findings.append(
                    Finding(
                        code,
                        f"{reg.customer.label} is protected for {other.partner} by {other.id} "
                        f"until {until} (exclusive); same {shared}",
                        subject=reg.id,
                        severity="warning" if same else "error",
                    )
                )
                trace = trace.add(f"protection {other.id}", "rejected", f"{code}: {shared}")
                conflicts.append(other.id)
                refused = True
            elif other.status == "submitted":
                code = "already_submitted" if same else "pending_elsewhere"
                findings.append(
                    Finding(
                        code,
                        f"{reg.customer.label} is also in {other.id} by {other.partner}, "
                        f"not yet decided; same {shared}",
                        subject=reg.id,
                        severity="warning" if same else "info",
                    )
                )
                outcome: Outcome = "rejected" if same else "considered"
                trace = trace.add(f"pending {other.id}", outcome, f"{code}: {shared}")
                conflicts.append(other.id)
                refused = refused or same
            else:
                trace = trace.add(f"duplicate {other.id}", "skipped", f"{other.status}, {shared}")

        decision = RegistrationDecision(
            reg.id, not refused, tuple(findings), tuple(conflicts), trace
        )
        return (self if refused else self._appended(reg)), decision

    def approve(
        self, reg_id: str, *, by: str, at: datetime, note: str = ""
    ) -> tuple[RegistrationBook, RegistrationDecision]:
        """Approve a submitted registration unless it conflicts with another protection.

        Raises:
            NotFound: no such registration.
            InvalidTransition: the registration is not ``submitted``.
        """
        reg = self.get(reg_id)
        approved = approve(reg, by=by, at=at, protection_days=self.protection_days, note=note)
        window = approved.protection
        assert window is not None
        trace = Trace.of(f"approval of registration {reg.id} on {at.date().isoformat()}")
        findings: list[Finding] = []
        conflicts: list[RegistrationId] = []
        for other in self.duplicates(reg.customer):
            if other.id == reg.id or other.protection is None:
                continue
            if other.status not in ("approved", "expired") or other.partner == reg.partner:
                continue
            overlap = other.protection.intersection(window)
            if overlap is None:
                trace = trace.add(f"protection {other.id}", "skipped", f"window {other.protection}")
                continue
            shared = _key_label(reg.customer.matches(other.customer))
            findings.append(
                Finding(
                    "protected_for_other",
                    f"{reg.customer.label} is protected for {other.partner} by {other.id} "
                    f"over {other.protection}, overlapping {window}; same {shared}",
                    subject=reg.id,
                    severity="error",
                )
            )
            trace = trace.add(f"protection {other.id}", "rejected", f"overlaps {overlap}")
            conflicts.append(other.id)
        if findings:
            return self, RegistrationDecision(
                reg.id, False, tuple(findings), tuple(conflicts), trace
            )
        trace = trace.add("approval", "applied", f"protected for {reg.partner} over {window}")
        return self._replaced(approved), RegistrationDecision(reg.id, True, (), (), trace)

    def reject(
        self, reg_id: str, *, by: str, at: datetime, note: str = ""
    ) -> tuple[RegistrationBook, RegistrationDecision]:
        """Reject a submitted registration."""
        rejected = reject(self.get(reg_id), by=by, at=at, note=note)
        trace = Trace.of(f"rejection of registration {reg_id}").add("rejection", "applied", note)
        return self._replaced(rejected), RegistrationDecision(rejected.id, True, (), (), trace)

    def expire(
        self, reg_id: str, *, by: str, at: datetime, note: str = ""
    ) -> tuple[RegistrationBook, RegistrationDecision]:
        """Record the expiry of an approved registration whose window is over."""
        expired = expire(self.get(reg_id), by=by, at=at, note=note)
        trace = Trace.of(f"expiry of registration {reg_id}").add(
            "expiry", "applied", f"window {expired.protection}"
        )
        return self._replaced(expired), RegistrationDecision(expired.id, True, (), (), trace)

    def protections(self, on: date) -> tuple[Registration, ...]:
        """Every registration protecting its customer on ``on``."""
        return tuple(r for r in self._rows if r.protected_on(on))

    def window_for(self, approved_on: date) -> Validity:
        """The protection window an approval on ``approved_on`` would give."""
        return Validity(approved_on, approved_on + timedelta(days=self.protection_days))
