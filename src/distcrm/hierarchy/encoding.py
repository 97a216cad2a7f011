"""Compact integer encoding of accounts and links (the internals of the channel graph).

Account ids become dense integers ``0..n-1``; each link becomes four integers
(parent index, child index, start ordinal, end ordinal) held in :mod:`array`
columns. Everything else in :mod:`distcrm.hierarchy` works on these columns
with linear passes, which is what keeps a million-outlet network fast and
small. An unknown account in a link is encoded as ``-1``; an unknown tier as
:data:`UNKNOWN_TIER`.

Examples:
    >>> from datetime import date
    >>> from distcrm.parties import INDIAN_FMCG, Account, Link
    >>> enc = Encoded.of(
    ...     [Account("P", "Brand", "principal"), Account("D1", "Shree", "distributor")],
    ...     INDIAN_FMCG,
    ...     [Link("P", "D1")],
    ... )
    >>> enc.index["D1"], list(enc.link_parent), list(enc.link_child)
    (1, [0], [1])
    >>> enc.links_of_child(1)
    [0]
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable
from datetime import date

from distcrm.parties import Account, AccountId, Link, TierRules

__all__ = ["OPEN_END", "UNKNOWN_TIER", "Encoded", "ordinal_date"]

OPEN_END = date.max.toordinal() + 1
"""End ordinal used for open-ended links (after every representable day)."""

UNKNOWN_TIER = 255
"""Tier code of an account whose tier is not declared in the rules."""


def ordinal_date(ordinal: int) -> date | None:
    """The date of an ordinal, or ``None`` for :data:`OPEN_END`.

    Examples:
        >>> ordinal_date(date(2025, 4, 1).toordinal())
        datetime.date(2025, 4, 1)
        >>> ordinal_date(OPEN_END) is None
        True
    """
    return None if ordinal >= OPEN_END else date.fromordinal(ordinal)


class Encoded:
    """Accounts and links as integer columns (read-only once built)."""

    __slots__ = (
        "accounts",
        "first_link",
        "ids",
        "index",
        "link_child",
        "link_end",
        "link_parent",
        "link_start",
        "links",
        "more_links",
        "rules",
        "tier_code",
    )

    accounts: tuple[Account, ...]
    links: tuple[Link, ...]
    rules: TierRules
    ids: list[AccountId]
    index: dict[str, int]
    tier_code: bytes
    link_parent: array[int]
    link_child: array[int]
    link_start: array[int]
    link_end: array[int]
    first_link: array[int]
    more_links: dict[int, list[int]]

    @classmethod
    def of(cls, accounts: Iterable[Account], rules: TierRules, links: Iterable[Link]) -> Encoded:
        """Encode ``accounts`` and ``links`` against ``rules`` (no validation here)."""
        self = cls()
        self.rules = rules
        self.accounts = tuple(accounts)
        self.links = tuple(links)
        ids = [a.id for a in self.accounts]
        self.ids = ids
        # On duplicate ids the last account wins the index; validation reports it.
        self.index = dict(zip(ids, range(len(ids)), strict=True))
        codes = {name: i for i, name in enumerate(rules.names)}
        get_code = codes.get
        self.tier_code = bytes([get_code(a.tier, UNKNOWN_TIER) for a in self.accounts])
        index_get = self.index.get
        links_ = self.links
        self.link_parent = array("i", [index_get(lk.parent, -1) for lk in links_])
        self.link_child = array("i", [index_get(lk.child, -1) for lk in links_])
        validities = [lk.validity for lk in links_]
        starts = [v.start for v in validities]
        ends = [v.end for v in validities]
        start_ord = {d: d.toordinal() for d in set(starts)}
        end_ord: dict[date | None, int] = {d: d.toordinal() for d in set(ends) if d is not None}
        end_ord[None] = OPEN_END
        self.link_start = array("i", [start_ord[d] for d in starts])
        self.link_end = array("i", [end_ord[d] for d in ends])
        first = array("i", [-1]) * len(ids)
        more: dict[int, list[int]] = {}
        for li, c in enumerate(self.link_child):
            if c < 0:
                continue
            f = first[c]
            if f < 0:
                first[c] = li
            elif c in more:
                more[c].append(li)
            else:
                more[c] = [f, li]
        self.first_link = first
        self.more_links = more
        return self

    def links_of_child(self, child: int) -> list[int]:
        """Indices of every link (whole history) whose child is ``child``."""
        extra = self.more_links.get(child)
        if extra is not None:
            return extra
        f = self.first_link[child]
        return [] if f < 0 else [f]

    def link_text(self, li: int) -> str:
        """A readable name of link ``li``: ``'D1' -> 'R1' [2025-04-01, …)``."""
        link = self.links[li]
        return f"{link.parent!r} -> {link.child!r} {link.validity}"

    def account_text(self, i: int) -> str:
        """A readable name of account ``i``: ``'R1' (retailer)``."""
        return f"{self.ids[i]!r} ({self.accounts[i].tier})"
