"""Who a customer is: normalised identity keys for duplicate detection.

A partner registers an end customer by GSTIN, phone and name + town. Each is
normalised to an :data:`IdentityKey`; two customers are *duplicates* when any
of their keys match.

* **GSTIN** — validated by :class:`~distcrm.parties.Gstin` (check character
  verified); the key is the 15 characters, upper case.
* **Phone** — :func:`normalise_phone`: digits only. An Indian number (no
  ``+``, or ``+91`` / ``0091``) loses its ``91`` country code and leading zeros
  and keeps its last 10 digits (a mobile, or an STD code plus landline number).
  A foreign number written with ``+`` or ``00`` and a country code other than 91
  is kept whole as ``+<digits>`` (8 to 15 digits, E.164). Fewer than 10 digits
  for an Indian number is an error, not a key.
* **Name + town** — :func:`normalise_name`: case-folded, ``&`` read as
  ``and``, every other punctuation mark a space, whitespace collapsed, a leading
  ``M/s`` dropped and the legal suffixes in :data:`LEGAL_SUFFIXES` removed from
  the end (repeatedly). Trade words such as *traders*, *stores* or *enterprises*
  are kept: they tell apart different shops of the same family name. The town is
  case-folded with punctuation and whitespace collapsed the same way.

Examples:
    >>> normalise_phone("+91 98765-43210"), normalise_phone("098765 43210")
    ('9876543210', '9876543210')
    >>> normalise_phone("+44 20 7946 0958")
    '+442079460958'
    >>> normalise_name("M/s. Sharma & Co. Pvt. Ltd.")
    'sharma'
    >>> a = CustomerIdentity("Sharma Electricals Pvt Ltd", town="Pune", phone="+91 98765 43210")
    >>> b = CustomerIdentity("SHARMA ELECTRICALS PRIVATE LIMITED", town="pune ")
    >>> sorted(a.identity_keys())
    [('name_town', 'sharma electricals|pune'), ('phone', '9876543210')]
    >>> a.matches(b)
    (('name_town', 'sharma electricals|pune'),)
"""

from __future__ import annotations

import re
from typing import Literal, TypeAlias

import attrs

from distcrm.errors import PartnerError, ValidationError
from distcrm.parties import Gstin

__all__ = [
    "LEGAL_SUFFIXES",
    "CustomerIdentity",
    "IdentityKey",
    "KeyKind",
    "normalise_name",
    "normalise_phone",
    "normalise_town",
]

KeyKind: TypeAlias = Literal["gstin", "phone", "name_town"]
IdentityKey: TypeAlias = tuple[KeyKind, str]
"""One normalised identity key: ``("gstin", "27AAPFU0939F1ZV")``, ``("phone", "9876543210")``."""

LEGAL_SUFFIXES: tuple[str, ...] = (
    "private limited",
    "private ltd",
    "pvt limited",
    "pvt ltd",
    "pvt",
    "limited",
    "ltd",
    "llp",
    "opc",
    "and company",
    "and co",
    "co",
    "inc",
)
"""Legal-form words removed from the end of a normalised name (after punctuation is removed)."""

_NON_WORD = re.compile(r"[^\w\s]+", re.UNICODE)
_SPACES = re.compile(r"\s+")
_DIGITS = re.compile(r"\d")


def _words(text: str) -> str:
    folded = text.casefold().replace("&", " and ").replace("_", " ")
    return _SPACES.sub(" ", _NON_WORD.sub(" ", folded)).strip()


def normalise_name(name: str) -> str:
    """The name case-folded, punctuation removed, ``M/s`` and legal suffixes dropped.

    A name made only of suffix words keeps its last word, so it never becomes empty.

    Examples:
        >>> normalise_name("  Om  Sai Traders LLP ")
        'om sai traders'
        >>> normalise_name("Gupta & Company")
        'gupta'
        >>> normalise_name("Limited")
        'limited'
    """
    words = _words(name)
    if words.startswith("m s "):
        words = words[4:]
    changed = True
    while changed:
        changed = False
        for suffix in LEGAL_SUFFIXES:
            if words.endswith(" " + suffix):
                words = words[: -len(suffix) - 1].rstrip()
                changed = True
                break
    return words


def normalise_town(town: str) -> str:
    """The town case-folded with punctuation removed and whitespace collapsed.

    Examples:
        >>> normalise_town(" Navi-Mumbai ")
        'navi mumbai'
    """
    return _words(town)


def normalise_phone(raw: str, *, what: str = "phone") -> str:
    """A phone number as a comparable key (see the module docstring for the rules).

    Raises:
        PartnerError: no digits, an Indian number shorter than 10 digits, or a
            foreign number outside 8-15 digits.

    Examples:
        >>> normalise_phone("020-2567 1234")
        '2025671234'
        >>> normalise_phone("0091 98765 43210")
        '9876543210'
        >>> normalise_phone("12345")
        Traceback (most recent call last):
        ...
        distcrm.errors.PartnerError: phone: '12345' has 5 digits; an Indian number needs 10
    """
    text = raw.strip()
    digits = "".join(_DIGITS.findall(text))
    if not digits:
        raise PartnerError(f"{what}: {raw!r} has no digits")
    international = text.startswith("+") or text.startswith("00")
    if international:
        digits = digits.lstrip("0") if text.startswith("00") else digits
        if not digits.startswith("91"):
            if not 8 <= len(digits) <= 15:
                raise PartnerError(
                    f"{what}: {raw!r} has {len(digits)} digits; an international number has 8-15"
                )
            return "+" + digits
        digits = digits[2:]
    digits = digits.lstrip("0")
    if len(digits) == 12 and digits.startswith("91"):
        digits = digits[2:]
    if len(digits) < 10:
        raise PartnerError(f"{what}: {raw!r} has {len(digits)} digits; an Indian number needs 10")
    return digits[-10:]


def _opt_gstin(value: Gstin | str | None) -> Gstin | None:
    if value is None or isinstance(value, Gstin):
        return value
    return Gstin(value.strip().upper())


@attrs.frozen
class CustomerIdentity:
    """What a partner says identifies an end customer.

    Attributes:
        name: the customer's trading or legal name.
        town: the town or city (with ``name`` it forms the name + town key).
        gstin: GSTIN, as a :class:`~distcrm.parties.Gstin` or a string (validated).
        phone: any phone number the customer answers (normalised for the key).

    Raises:
        PartnerError: an invalid GSTIN or phone, or no key at all (a name without a town
            and neither GSTIN nor phone).
    """

    name: str
    town: str = ""
    gstin: Gstin | None = attrs.field(default=None, converter=_opt_gstin)
    phone: str | None = None
    _keys: frozenset[IdentityKey] = attrs.field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        keys: set[IdentityKey] = set()
        if self.gstin is not None:
            keys.add(("gstin", self.gstin.value))
        if self.phone is not None:
            keys.add(("phone", normalise_phone(self.phone, what=f"customer {self.name!r}.phone")))
        name, town = normalise_name(self.name), normalise_town(self.town)
        if name and town:
            keys.add(("name_town", f"{name}|{town}"))
        if not keys:
            raise PartnerError(
                f"customer {self.name!r}.town: give a town, a GSTIN or a phone to identify it"
            )
        object.__setattr__(self, "_keys", frozenset(keys))

    @classmethod
    def of(
        cls, name: str, town: str = "", *, gstin: str | None = None, phone: str | None = None
    ) -> CustomerIdentity:
        """Build from plain strings; an invalid GSTIN raises :class:`PartnerError`.

        Examples:
            >>> CustomerIdentity.of("X", gstin="27AAPFU0939F1ZO")
            Traceback (most recent call last):
            ...
            distcrm.errors.PartnerError: customer 'X'.gstin: '27AAPFU0939F1ZO' has check character 'O', expected 'V'
        """
        try:
            g = None if gstin is None else Gstin(gstin.strip().upper())
        except ValidationError as exc:
            detail = str(exc).removeprefix("gstin: ")
            raise PartnerError(f"customer {name!r}.gstin: {detail}") from None
        return cls(name, town, g, phone)

    def identity_keys(self) -> frozenset[IdentityKey]:
        """Every normalised identity key of this customer."""
        return self._keys

    def matches(self, other: CustomerIdentity) -> tuple[IdentityKey, ...]:
        """The keys shared with ``other``, sorted (empty when not a duplicate)."""
        return tuple(sorted(self._keys & other._keys))

    @property
    def label(self) -> str:
        """A short readable label: the name, and the town when known."""
        return f"{self.name} ({self.town})" if self.town else self.name
