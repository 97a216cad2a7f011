"""Parties of the channel: tiers and their rules, accounts, KYC value types.

* :class:`Tier` / :class:`TierRules` describe the ordered levels of a channel
  and which tier may supply which. Two presets ship: :data:`INDIAN_FMCG` and
  :data:`PARTNER_PROGRAM`.
* :class:`Account` is a principal, super-stockist, distributor, dealer,
  retailer, vendor or reseller with its KYC and commercial terms.
* :class:`Gstin` and :class:`Pan` validate Indian tax identifiers; the GSTIN
  check character is verified (Luhn mod 36).
* :class:`Link` is an effective-dated supply relation (parent supplies child),
  the raw material of :mod:`distcrm.hierarchy`.

Examples:
    >>> Gstin("27AAPFU0939F1ZV").state_code
    '27'
    >>> Gstin("27AAPFU0939F1ZO")
    Traceback (most recent call last):
    ...
    distcrm.errors.ValidationError: gstin: '27AAPFU0939F1ZO' has check character 'O', expected 'V'
    >>> INDIAN_FMCG.may_supply("distributor", "retailer")
    True
    >>> INDIAN_FMCG.may_supply("retailer", "distributor")
    False
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta
from typing import Literal, NewType, TypeAlias

import attrs
from dateutil.relativedelta import relativedelta

from distcrm.errors import ValidationError
from distcrm.findings import Finding
from distcrm.money import Money
from distcrm.periods import Validity

__all__ = [
    "GSTIN_ALPHABET",
    "INDIAN_FMCG",
    "INDIAN_STATES",
    "PARTNER_PROGRAM",
    "Account",
    "AccountClass",
    "AccountId",
    "Gstin",
    "KycStatus",
    "Link",
    "Pan",
    "PaymentTerms",
    "Tier",
    "TierRules",
    "as_account_id",
    "credit_check",
    "gstin_check_character",
]

AccountId = NewType("AccountId", str)
AccountClass: TypeAlias = Literal["A", "B", "C"]
KycStatus: TypeAlias = Literal["pending", "verified", "rejected", "expired"]

GSTIN_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
"""The 36 characters of the GSTIN check-digit alphabet, in value order."""

INDIAN_STATES: dict[str, str] = {
    "01": "Jammu and Kashmir",
    "02": "Himachal Pradesh",
    "03": "Punjab",
    "04": "Chandigarh",
    "05": "Uttarakhand",
    "06": "Haryana",
    "07": "Delhi",
    "08": "Rajasthan",
    "09": "Uttar Pradesh",
    "10": "Bihar",
    "11": "Sikkim",
    "12": "Arunachal Pradesh",
    "13": "Nagaland",
    "14": "Manipur",
    "15": "Mizoram",
    "16": "Tripura",
    "17": "Meghalaya",
    "18": "Assam",
    "19": "West Bengal",
    "20": "Jharkhand",
    "21": "Odisha",
    "22": "Chhattisgarh",
    "23": "Madhya Pradesh",
    "24": "Gujarat",
    "25": "Daman and Diu",
    "26": "Dadra and Nagar Haveli and Daman and Diu",
    "27": "Maharashtra",
    "28": "Andhra Pradesh (before 2014)",
    "29": "Karnataka",
    "30": "Goa",
    "31": "Lakshadweep",
    "32": "Kerala",
    "33": "Tamil Nadu",
    "34": "Puducherry",
    "35": "Andaman and Nicobar Islands",
    "36": "Telangana",
    "37": "Andhra Pradesh",
    "38": "Ladakh",
    "97": "Other Territory",
    "99": "Centre Jurisdiction",
}
"""GST state codes (01-38, 97, 99) and their names."""


def as_account_id(value: str) -> AccountId:
    """Convert a plain string to an :data:`AccountId` (used as an attrs converter)."""
    return AccountId(value)


_GSTIN_RE = re.compile(r"^[0-9]{2}[A-Z]{5}[0-9]{4}[A-Z][0-9A-Z]{3}$")
_PAN_RE = re.compile(r"^[A-Z]{3}[ABCFGHJLPT][A-Z][0-9]{4}[A-Z]$")


def gstin_check_character(first14: str) -> str:
    """The GSTIN check character for the first 14 characters (Luhn mod 36).

    Each character's value in :data:`GSTIN_ALPHABET` is multiplied by 1 and 2
    alternately from the left; each product ``p`` contributes ``p // 36 + p % 36``;
    the check value is ``(36 - total % 36) % 36``.

    Examples:
        >>> gstin_check_character("27AAPFU0939F1Z")
        'V'
    """
    if len(first14) != 14 or any(c not in GSTIN_ALPHABET for c in first14):
        raise ValidationError(f"gstin: {first14!r} is not 14 characters of 0-9A-Z")
    total = 0
    for i, ch in enumerate(first14):
        product = GSTIN_ALPHABET.index(ch) * (1 if i % 2 == 0 else 2)
        total += product // 36 + product % 36
    return GSTIN_ALPHABET[(36 - total % 36) % 36]


def _validate_gstin(_: object, __: attrs.Attribute[str], value: str) -> None:
    if not isinstance(value, str):
        raise ValidationError(f"gstin: expected str, got {type(value).__name__}")
    if not _GSTIN_RE.match(value):
        raise ValidationError(
            f"gstin: {value!r} must be 15 characters: 2-digit state, PAN, entity, 2 more"
        )
    if value[:2] not in INDIAN_STATES:
        raise ValidationError(f"gstin: {value!r} has unknown state code {value[:2]!r}")
    expected = gstin_check_character(value[:14])
    if value[14] != expected:
        raise ValidationError(
            f"gstin: {value!r} has check character {value[14]!r}, expected {expected!r}"
        )


@attrs.frozen
class Gstin:
    """A validated GST identification number (15 characters, check character verified).

    Examples:
        >>> g = Gstin("27AAPFU0939F1ZV")
        >>> g.state_code, g.pan
        ('27', 'AAPFU0939F')
    """

    value: str = attrs.field(validator=_validate_gstin)

    @property
    def state_code(self) -> str:
        """The two-digit state code (first two characters)."""
        return self.value[:2]

    @property
    def pan(self) -> str:
        """The PAN embedded in characters 3-12."""
        return self.value[2:12]

    def __str__(self) -> str:
        return self.value


def _validate_pan(_: object, __: attrs.Attribute[str], value: str) -> None:
    if not isinstance(value, str):
        raise ValidationError(f"pan: expected str, got {type(value).__name__}")
    if not _PAN_RE.match(value):
        raise ValidationError(
            f"pan: {value!r} must be 5 letters (4th a holder type such as P or C), "
            "4 digits and a letter"
        )


@attrs.frozen
class Pan:
    """A validated Permanent Account Number (format and holder-type letter).

    The PAN's final check letter uses an unpublished algorithm, so only the
    format and the holder type (4th letter) are verified.

    Examples:
        >>> Pan("AAPFU0939F").holder_type
        'F'
    """

    value: str = attrs.field(validator=_validate_pan)

    @property
    def holder_type(self) -> str:
        """The 4th character: P person, C company, F firm, H HUF, T trust..."""
        return self.value[3]

    def __str__(self) -> str:
        return self.value


@attrs.frozen
class Tier:
    """One level of a channel and the tiers allowed to supply it.

    Attributes:
        name: e.g. ``"distributor"``.
        parents: names of tiers that may be this tier's parent (supplier).
        multi_parent: whether an account of this tier may have several active parents.
    """

    name: str
    parents: frozenset[str] = frozenset()
    multi_parent: bool = False


def _check_tiers(_: object, __: attrs.Attribute[tuple[Tier, ...]], tiers: tuple[Tier, ...]) -> None:
    seen: list[str] = []
    problems: list[str] = []
    for i, tier in enumerate(tiers):
        if tier.name in seen:
            problems.append(f"$.tiers[{i}].name: tier {tier.name!r} is declared twice")
        for parent in sorted(tier.parents):
            if parent not in seen:
                problems.append(
                    f"$.tiers[{i}].parents: {parent!r} must be a tier declared above {tier.name!r}"
                )
        seen.append(tier.name)
    if not tiers:
        problems.append("$.tiers: at least one tier is needed")
    if problems:
        raise ValidationError("\n".join(problems))


@attrs.frozen
class TierRules:
    """Ordered tiers, top (rank 0) first, with allowed-parent rules.

    Examples:
        >>> PARTNER_PROGRAM.names
        ('vendor', 'distributor', 'reseller')
        >>> PARTNER_PROGRAM.allows_multi_parent("reseller")
        True
        >>> INDIAN_FMCG.rank("distributor")
        2
    """

    tiers: tuple[Tier, ...] = attrs.field(validator=_check_tiers)
    _by_name: dict[str, Tier] = attrs.field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "_by_name", {t.name: t for t in self.tiers})

    @property
    def names(self) -> tuple[str, ...]:
        """Tier names from the top down."""
        return tuple(t.name for t in self.tiers)

    def tier(self, name: str) -> Tier:
        """The tier called ``name``; raises :class:`ValidationError` if unknown."""
        try:
            return self._by_name[name]
        except KeyError:
            raise ValidationError(f"tier: {name!r} is not one of {', '.join(self.names)}") from None

    def __contains__(self, name: object) -> bool:
        return name in self._by_name

    def rank(self, name: str) -> int:
        """Position of the tier from the top (0 = root tier)."""
        return self.names.index(self.tier(name).name)

    def may_supply(self, parent_tier: str, child_tier: str) -> bool:
        """True when an account of ``parent_tier`` may be the parent of ``child_tier``."""
        return parent_tier in self.tier(child_tier).parents

    def allows_multi_parent(self, name: str) -> bool:
        """True when accounts of tier ``name`` may have several active parents."""
        return self.tier(name).multi_parent

    def is_root(self, name: str) -> bool:
        """True when the tier has no allowed parents (the top of the channel)."""
        return not self.tier(name).parents


INDIAN_FMCG = TierRules(
    (
        Tier("principal"),
        Tier("super_stockist", frozenset({"principal"})),
        Tier("distributor", frozenset({"principal", "super_stockist"})),
        Tier("dealer", frozenset({"distributor"})),
        Tier("retailer", frozenset({"distributor", "dealer"})),
    )
)
"""Indian FMCG channel: principal → super-stockist → distributor → dealer → retailer.

A distributor may be served directly by the principal; a retailer by a
distributor or a dealer (sub-stockist). One active parent per account.
"""

PARTNER_PROGRAM = TierRules(
    (
        Tier("vendor"),
        Tier("distributor", frozenset({"vendor"})),
        Tier("reseller", frozenset({"vendor", "distributor"}), multi_parent=True),
    )
)
"""Partner program: vendor → distributor → reseller; a reseller may have several distributors."""


PaymentBasis: TypeAlias = Literal["invoice_date", "end_of_month"]


@attrs.frozen
class PaymentTerms:
    """Credit period: ``days`` after the invoice date or after the end of its month.

    Examples:
        >>> PaymentTerms(30).due_date(date(2025, 1, 15))
        datetime.date(2025, 2, 14)
        >>> PaymentTerms(30, "end_of_month").due_date(date(2025, 1, 15))
        datetime.date(2025, 3, 2)
    """

    days: int = attrs.field()
    basis: PaymentBasis = "invoice_date"

    @days.validator
    def _days_ok(self, _: attrs.Attribute[int], value: int) -> None:
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise ValidationError(f"payment_terms.days: must be an int >= 0, got {value!r}")

    def due_date(self, invoice_date: date) -> date:
        """The date payment falls due for an invoice dated ``invoice_date``."""
        if self.basis == "end_of_month":
            month_end = date(invoice_date.year, invoice_date.month, 1) + relativedelta(
                months=1, days=-1
            )
            return month_end + timedelta(days=self.days)
        return invoice_date + timedelta(days=self.days)


def _optional_coordinate(
    name: str, low: float, high: float
) -> Callable[[object, attrs.Attribute[float | None], float | None], None]:
    def check(_: object, __: attrs.Attribute[float | None], value: float | None) -> None:
        if value is None:
            return
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not (low <= value <= high)
        ):
            raise ValidationError(f"{name}: must be a number in [{low}, {high}], got {value!r}")

    return check


@attrs.frozen
class Account:
    """A party in the channel: principal, stockist, distributor, retailer, reseller...

    Only ``id``, ``name`` and ``tier`` are required. When both a GSTIN and a
    state code are given they must agree, and so must a GSTIN and a PAN.

    Examples:
        >>> a = Account("D1", "Shree Traders", "distributor",
        ...             gstin=Gstin("27AAPFU0939F1ZV"), state_code="27")
        >>> a.pan_from_gstin
        'AAPFU0939F'
        >>> Account("D2", "X", "distributor", gstin=Gstin("27AAPFU0939F1ZV"), state_code="29")
        Traceback (most recent call last):
        ...
        distcrm.errors.ValidationError: account 'D2'.state_code: '29' does not match GSTIN state '27'
    """

    id: AccountId = attrs.field(converter=as_account_id)
    name: str
    tier: str
    gstin: Gstin | None = None
    pan: Pan | None = None
    state_code: str | None = None
    territory: str | None = None
    channel: str | None = None
    credit_limit: Money | None = None
    payment_terms: PaymentTerms | None = None
    account_class: AccountClass | None = None
    lat: float | None = attrs.field(default=None, validator=_optional_coordinate("lat", -90, 90))
    lon: float | None = attrs.field(default=None, validator=_optional_coordinate("lon", -180, 180))
    kyc_status: KycStatus = "pending"

    def __attrs_post_init__(self) -> None:
        where = f"account {self.id!r}"
        if not isinstance(self.id, str) or not self.id:
            raise ValidationError(f"{where}.id: must be a non-empty string")
        if self.state_code is not None and self.state_code not in INDIAN_STATES:
            raise ValidationError(
                f"{where}.state_code: {self.state_code!r} is not a GST state code"
            )
        if self.gstin is not None:
            if self.state_code is not None and self.state_code != self.gstin.state_code:
                raise ValidationError(
                    f"{where}.state_code: {self.state_code!r} does not match GSTIN state "
                    f"{self.gstin.state_code!r}"
                )
            if self.pan is not None and self.pan.value != self.gstin.pan:
                raise ValidationError(
                    f"{where}.pan: {self.pan.value!r} does not match the GSTIN's PAN "
                    f"{self.gstin.pan!r}"
                )
        if self.account_class is not None and self.account_class not in ("A", "B", "C"):
            raise ValidationError(f"{where}.account_class: must be A, B or C")
        if self.credit_limit is not None and self.credit_limit.amount < 0:
            raise ValidationError(f"{where}.credit_limit: must be >= 0")

    @property
    def pan_from_gstin(self) -> str | None:
        """The PAN embedded in the GSTIN, if there is a GSTIN."""
        return self.gstin.pan if self.gstin else None

    @property
    def gst_state(self) -> str | None:
        """The state code for GST: from the GSTIN, else the declared state code."""
        return self.gstin.state_code if self.gstin else self.state_code

    @property
    def has_coordinates(self) -> bool:
        """True when both latitude and longitude are known."""
        return self.lat is not None and self.lon is not None


@attrs.frozen
class Link:
    """``parent`` supplies ``child`` during ``validity`` (an effective-dated parent link).

    Examples:
        >>> link = Link("SS1", "D1", Validity(date(2025, 4, 1)))
        >>> link.active_on(date(2025, 3, 31)), link.active_on(date(2025, 4, 1))
        (False, True)
    """

    parent: AccountId = attrs.field(converter=as_account_id)
    child: AccountId = attrs.field(converter=as_account_id)
    validity: Validity = attrs.field(factory=Validity.always)

    def __attrs_post_init__(self) -> None:
        if self.parent == self.child:
            raise ValidationError(
                f"link {self.parent!r} -> {self.child!r}: an account cannot supply itself"
            )

    def active_on(self, on: date) -> bool:
        """True when the link is in force on ``on``."""
        return self.validity.contains(on)

    @property
    def id(self) -> str:
        """A stable key: ``parent->child@start``."""
        return f"{self.parent}->{self.child}@{self.validity.start.isoformat()}"


def credit_check(account: Account, outstanding: Money, order_value: Money) -> Finding | None:
    """A finding when ``outstanding + order_value`` exceeds the account's credit limit.

    Returns ``None`` when within the limit or when the account has no limit.

    Examples:
        >>> acct = Account("D1", "Shree", "distributor", credit_limit=Money.of("100000", "INR"))
        >>> f = credit_check(acct, Money.of("90000", "INR"), Money.of("15000.50", "INR"))
        >>> f.code, str(f.amount)
        ('credit_limit_exceeded', '5000.50 INR')
        >>> credit_check(acct, Money.of("0", "INR"), Money.of("100000", "INR")) is None
        True
    """
    if account.credit_limit is None:
        return None
    exposure = outstanding + order_value
    if exposure <= account.credit_limit:
        return None
    excess = exposure - account.credit_limit
    return Finding(
        "credit_limit_exceeded",
        f"account {account.id!r} would owe {exposure} against a credit limit of "
        f"{account.credit_limit} ({excess} over)",
        subject=account.id,
        amount=excess,
        severity="warning",
    )
