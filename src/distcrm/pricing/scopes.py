"""Scopes of price entries and the access sequence that orders them.

An entry's :class:`Scope` says which buyers it applies to by any combination of
account, territory, tier, channel and price group (the empty scope applies to
everyone). An :class:`AccessSequence` lists scope shapes from the most to the
least specific, as in SAP's condition technique: resolution tries each step in
turn and the first step with a valid entry wins. Scopes are matched on the
buyer's own fields (a :class:`Buyer`), never on a territory tree.

Examples:
    >>> buyer = Buyer("R1", territory="PUNE", tier="retailer", channel="general_trade")
    >>> [step.describe() for step in DEFAULT_ACCESS_SEQUENCE.steps]
    ['account', 'territory+tier', 'channel', 'tier', 'everyone']
    >>> [DEFAULT_ACCESS_SEQUENCE.steps[i].key(buyer) for i in range(5)]
    [('R1',), ('PUNE', 'retailer'), ('general_trade',), ('retailer',), ()]
    >>> Scope(territory="PUNE", tier="retailer").fields
    ('territory', 'tier')
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal, TypeAlias

import attrs

from distcrm.errors import PricingError
from distcrm.parties import Account

__all__ = [
    "DEFAULT_ACCESS_SEQUENCE",
    "SCOPE_FIELDS",
    "AccessSequence",
    "AccessStep",
    "Buyer",
    "Scope",
    "ScopeField",
]

ScopeField: TypeAlias = Literal["account", "territory", "tier", "channel", "price_group"]
SCOPE_FIELDS: tuple[ScopeField, ...] = ("account", "territory", "tier", "channel", "price_group")
"""The buyer fields a scope can match, in canonical order."""


def _opt_str(value: object) -> str | None:
    return None if value is None else str(value)


@attrs.frozen(kw_only=True)
class Scope:
    """The buyers an entry applies to: every field given must equal the buyer's.

    Examples:
        >>> Scope(account="R1").describe()
        'account=R1'
        >>> Scope().describe(), Scope().fields
        ('everyone', ())
    """

    account: str | None = attrs.field(default=None, converter=_opt_str)
    territory: str | None = attrs.field(default=None, converter=_opt_str)
    tier: str | None = attrs.field(default=None, converter=_opt_str)
    channel: str | None = attrs.field(default=None, converter=_opt_str)
    price_group: str | None = attrs.field(default=None, converter=_opt_str)

    @property
    def fields(self) -> tuple[ScopeField, ...]:
        """The fields this scope constrains, in canonical order."""
        return tuple(f for f in SCOPE_FIELDS if getattr(self, f) is not None)

    @property
    def key(self) -> tuple[str, ...]:
        """The values of :attr:`fields`, in the same order."""
        return tuple(str(getattr(self, f)) for f in self.fields)

    def describe(self) -> str:
        """``field=value`` pairs joined by commas, or ``everyone``."""
        parts = [f"{f}={getattr(self, f)}" for f in self.fields]
        return ", ".join(parts) if parts else "everyone"


@attrs.frozen(cache_hash=True)
class Buyer:
    """The buyer fields prices are scoped on (built from an :class:`Account` by :meth:`of`).

    Examples:
        >>> from distcrm.parties import Account
        >>> Buyer.of(Account("R1", "Kirana", "retailer", territory="PUNE"), price_group="A")
        Buyer(account='R1', territory='PUNE', tier='retailer', channel=None, price_group='A')
    """

    account: str = attrs.field(converter=str)
    territory: str | None = attrs.field(default=None, converter=_opt_str, kw_only=True)
    tier: str | None = attrs.field(default=None, converter=_opt_str, kw_only=True)
    channel: str | None = attrs.field(default=None, converter=_opt_str, kw_only=True)
    price_group: str | None = attrs.field(default=None, converter=_opt_str, kw_only=True)

    @classmethod
    def of(cls, account: Account, *, price_group: str | None = None) -> Buyer:
        """The pricing fields of ``account`` (id, territory, tier, channel) plus a price group."""
        return cls(account.id, territory=account.territory, tier=account.tier,
                   channel=account.channel, price_group=price_group)


def _fields(values: Iterable[str]) -> tuple[ScopeField, ...]:
    out: list[ScopeField] = []
    for v in values:
        if v not in SCOPE_FIELDS:
            raise PricingError(f"access step.fields: {v!r} is not one of {', '.join(SCOPE_FIELDS)}")
        if v in out:
            raise PricingError(f"access step.fields: {v!r} is given twice")
        out.append(v)
    return tuple(sorted(out, key=SCOPE_FIELDS.index))


@attrs.frozen
class AccessStep:
    """One step of an access sequence: the exact set of scope fields an entry must constrain.

    An entry belongs to the step whose fields equal its scope's fields; the buyer
    matches when its values for those fields equal the entry's.

    Examples:
        >>> AccessStep(("tier", "territory")).fields
        ('territory', 'tier')
        >>> AccessStep(("region",))
        Traceback (most recent call last):
        ...
        distcrm.errors.PricingError: access step.fields: 'region' is not one of account, territory, tier, channel, price_group
    """

    fields: tuple[ScopeField, ...] = attrs.field(converter=_fields)

    def describe(self) -> str:
        """The fields joined by ``+``, or ``everyone`` for the empty step."""
        return "+".join(self.fields) if self.fields else "everyone"

    def key(self, buyer: Buyer) -> tuple[str, ...] | None:
        """The buyer's values for this step, or ``None`` when the buyer lacks one of them."""
        values = tuple(getattr(buyer, f) for f in self.fields)
        if any(v is None for v in values):
            return None
        return values

    def missing(self, buyer: Buyer) -> tuple[str, ...]:
        """The fields of this step the buyer has no value for."""
        return tuple(f for f in self.fields if getattr(buyer, f) is None)


def _steps(values: Iterable[AccessStep | Iterable[str]]) -> tuple[AccessStep, ...]:
    steps = tuple(v if isinstance(v, AccessStep) else AccessStep(tuple(v)) for v in values)
    if not steps:
        raise PricingError("access sequence.steps: at least one step is needed")
    seen: set[tuple[str, ...]] = set()
    for i, s in enumerate(steps):
        if s.fields in seen:
            raise PricingError(f"access sequence.steps[{i}]: {s.describe()} is listed twice")
        seen.add(s.fields)
    return steps


@attrs.frozen
class AccessSequence:
    """Scope shapes from the most to the least specific; the first with a valid entry wins.

    Examples:
        >>> seq = AccessSequence([("account",), ("tier",), ()], name="short")
        >>> [s.describe() for s in seq.steps]
        ['account', 'tier', 'everyone']
    """

    steps: tuple[AccessStep, ...] = attrs.field(converter=_steps)
    name: str = "custom"

    def position(self, fields: tuple[str, ...]) -> int | None:
        """Index of the step with exactly ``fields`` (canonical order), or ``None``."""
        for i, s in enumerate(self.steps):
            if s.fields == fields:
                return i
        return None


DEFAULT_ACCESS_SEQUENCE = AccessSequence(
    [("account",), ("territory", "tier"), ("channel",), ("tier",), ()], name="fmcg"
)
"""FMCG default: account-specific → territory and tier → channel → tier → everyone."""
