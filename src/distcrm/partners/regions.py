"""Partners and the regions they cover.

A :class:`Partner` covers a set of regions (territory ids or state codes). A
customer or lead in region ``r`` is *within* a partner's regions when the
partner covers ``r`` itself or any region above it. "Above" is read from a
:class:`RegionTree`: anything with ``path(region, on)`` returning the regions
from the top down to ``region`` — a :class:`distcrm.territory.TerritoryTree`
qualifies, and so does the small :class:`RegionMap` built from child → parent
pairs. Without a tree, only an exact match counts.

Examples:
    >>> from datetime import date
    >>> regions = RegionMap.from_parents({"PUNE": "MH", "MUMBAI": "MH", "MH": "WEST"})
    >>> regions.path("PUNE", date(2025, 6, 1))
    ('WEST', 'MH', 'PUNE')
    >>> p = Partner("CP-PUNE", "city_partner", regions=["PUNE"])
    >>> covering_region(p, "PUNE", regions, on=date(2025, 6, 1))
    ('PUNE', 0)
    >>> covering_region(Partner("RP-MH", "regional", regions=["MH"]), "PUNE", regions,
    ...                 on=date(2025, 6, 1))
    ('MH', 1)
    >>> covering_region(p, "MUMBAI", regions, on=date(2025, 6, 1)) is None
    True
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Protocol

import attrs

from distcrm.errors import PartnerError
from distcrm.parties import AccountId, as_account_id
from distcrm.periods import Validity

__all__ = [
    "Partner",
    "RegionMap",
    "RegionTree",
    "covering_region",
    "region_path",
]


class RegionTree(Protocol):
    """Anything that can list the regions from the top down to ``region`` on a day."""

    def path(self, territory: str, on: date) -> tuple[str, ...]:
        """From the top region down to ``territory`` (inclusive) on ``on``."""
        ...


def _frozen_parents(values: Mapping[str, str]) -> tuple[tuple[str, str], ...]:
    return tuple(sorted(values.items()))


@attrs.frozen
class RegionMap:
    """A fixed region tree given as child → parent pairs.

    A region that appears nowhere is its own top (its path is just itself).

    Raises:
        PartnerError: a region that is its own ancestor (a cycle).

    Examples:
        >>> RegionMap.from_parents({"A": "B", "B": "A"})
        Traceback (most recent call last):
        ...
        distcrm.errors.PartnerError: region map.parents['A']: 'A' is its own ancestor
    """

    parents: tuple[tuple[str, str], ...] = attrs.field(converter=_frozen_parents)
    _up: dict[str, str] = attrs.field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        up = dict(self.parents)
        for start in sorted(up):
            seen = {start}
            current = up.get(start)
            while current is not None:
                if current in seen:
                    raise PartnerError(
                        f"region map.parents[{start!r}]: {start!r} is its own ancestor"
                    )
                seen.add(current)
                current = up.get(current)
        object.__setattr__(self, "_up", up)

    @classmethod
    def from_parents(cls, parents: Mapping[str, str]) -> RegionMap:
        """Build from a ``{child: parent}`` mapping."""
        return cls(dict(parents))

    def path(self, territory: str, on: date) -> tuple[str, ...]:
        """From the top region down to ``territory``; ``on`` is ignored (the map is fixed)."""
        out = [territory]
        current = self._up.get(territory)
        while current is not None:
            out.append(current)
            current = self._up.get(current)
        return tuple(reversed(out))


def _regions(values: Iterable[str]) -> frozenset[str]:
    if isinstance(values, str):
        return frozenset({values})
    return frozenset(values)


@attrs.frozen
class Partner:
    """A partner of the programme (city partner, distributor, reseller...).

    Attributes:
        id: the partner's account id.
        type: the partner type commission rules are keyed by (``"distributor"``,
            ``"reseller"``, ``"city_partner"``...).
        regions: the regions the partner may register customers in and receives leads for.
        priority: lower comes first when several partners cover a lead's region.
        validity: when the partner is active in the programme.
    """

    id: AccountId = attrs.field(converter=as_account_id)
    type: str
    regions: frozenset[str] = attrs.field(factory=frozenset, converter=_regions)
    priority: int = 100
    validity: Validity = attrs.field(factory=Validity.always)

    def __attrs_post_init__(self) -> None:
        if not self.id:
            raise PartnerError("partner.id: must be a non-empty string")
        if not self.type:
            raise PartnerError(f"partner {self.id!r}.type: must be a non-empty string")
        if isinstance(self.priority, bool) or not isinstance(self.priority, int):
            raise PartnerError(f"partner {self.id!r}.priority: must be an int")


def region_path(region: str, tree: RegionTree | None, on: date) -> tuple[str, ...]:
    """The regions from the top down to ``region`` (just ``region`` without a tree)."""
    return (region,) if tree is None else tree.path(region, on)


def covering_region(
    partner: Partner, region: str, tree: RegionTree | None, *, on: date
) -> tuple[str, int] | None:
    """The nearest of ``partner``'s regions at or above ``region``, and how many levels up.

    ``None`` when the partner does not cover ``region`` or is not active on ``on``.
    """
    if not partner.validity.contains(on):
        return None
    path = region_path(region, tree, on)
    for distance, candidate in enumerate(reversed(path)):
        if candidate in partner.regions:
            return candidate, distance
    return None
