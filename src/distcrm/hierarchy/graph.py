"""The channel graph: accounts, tier rules and effective-dated parent links, validated.

:func:`build_graph` encodes the accounts and links into compact integer
columns, validates them (every problem at once) and returns an immutable
:class:`ChannelGraph`. Queries as of a day go through :meth:`ChannelGraph.as_of`,
which returns a cached :class:`~distcrm.hierarchy.snapshot.Snapshot`; history is
kept, so any past day can be asked about.

Examples:
    >>> from datetime import date
    >>> from distcrm.parties import PARTNER_PROGRAM, Account, Link
    >>> from distcrm.periods import Validity
    >>> g = build_graph(
    ...     [Account("V", "Vendor", "vendor"), Account("D1", "North", "distributor"),
    ...      Account("D2", "South", "distributor"), Account("R1", "Acme IT", "reseller")],
    ...     PARTNER_PROGRAM,
    ...     [Link("V", "D1"), Link("V", "D2"), Link("D1", "R1"),
    ...      Link("D2", "R1", Validity(date(2025, 7, 1)))],
    ... )
    >>> g.as_of(date(2025, 6, 30)).parents("R1")
    ('D1',)
    >>> g.as_of(date(2025, 7, 1)).parents("R1")
    ('D1', 'D2')
    >>> build_graph([Account("R9", "Lonely", "reseller")], PARTNER_PROGRAM, [])
    Traceback (most recent call last):
    ...
    distcrm.errors.HierarchyError: $.accounts[0]: account 'R9' (reseller) has no parent link; a reseller must be supplied by one of: vendor, distributor
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Iterator
from datetime import date

from distcrm.hierarchy.encoding import OPEN_END, Encoded
from distcrm.hierarchy.problems import HierarchyError, HierarchyProblem
from distcrm.hierarchy.snapshot import Epoch, Snapshot
from distcrm.hierarchy.validation import problems_of
from distcrm.parties import Account, AccountId, Link, TierRules

__all__ = ["ChannelGraph", "build_graph"]

_CACHE_SIZE = 8


class ChannelGraph:
    """A validated channel graph (immutable; build it with :func:`build_graph`).

    Attributes:
        rules: the tier rules the graph was validated against.
        accounts: every account, in the order given.
        links: every link (the whole history), in the order given.
    """

    __slots__ = ("_boundaries", "_enc", "_epochs", "_last", "_root", "_tier_buckets")

    def __init__(self, enc: Encoded) -> None:
        """Wrap an already validated encoding; use :func:`build_graph` instead."""
        self._enc = enc
        marks = set(enc.link_start) | set(enc.link_end)
        marks.discard(OPEN_END)
        self._boundaries = sorted(marks)
        self._epochs: dict[int, Epoch] = {}
        self._last: Snapshot | None = None
        names = enc.rules.names
        self._root = bytes([1 if enc.rules.is_root(t) else 0 for t in names] + [0] * (256 - len(names)))
        self._tier_buckets: list[list[int]] | None = None

    @property
    def rules(self) -> TierRules:
        """The tier rules."""
        return self._enc.rules

    @property
    def accounts(self) -> tuple[Account, ...]:
        """Every account, in the order given."""
        return self._enc.accounts

    @property
    def links(self) -> tuple[Link, ...]:
        """Every link of the whole history, in the order given."""
        return self._enc.links

    @property
    def encoded(self) -> Encoded:
        """The integer columns behind the graph (read-only)."""
        return self._enc

    def __len__(self) -> int:
        return len(self._enc.ids)

    def __contains__(self, account: object) -> bool:
        return account in self._enc.index

    def __iter__(self) -> Iterator[AccountId]:
        return iter(self._enc.ids)

    def __repr__(self) -> str:
        return f"ChannelGraph({len(self)} accounts, {len(self._enc.links)} links)"

    def account(self, account_id: str) -> Account:
        """The account ``account_id``; raises :class:`~distcrm.errors.HierarchyError` if unknown."""
        i = self._enc.index.get(account_id)
        if i is None:
            raise HierarchyError(
                [
                    HierarchyProblem(
                        "account", f"unknown account {account_id!r}", "unknown_account",
                        (account_id,),
                    )
                ]
            )
        return self._enc.accounts[i]

    def history(self, child: str) -> tuple[Link, ...]:
        """Every link (past, present, future) whose child is ``child``, by start date."""
        self.account(child)
        i = self._enc.index[child]
        enc = self._enc
        return tuple(sorted((enc.links[li] for li in enc.links_of_child(i)),
                            key=lambda lk: (lk.validity.start, lk.parent)))

    def change_dates(self) -> tuple[date, ...]:
        """Every day on which the link set changes (link starts and ends), sorted."""
        return tuple(date.fromordinal(o) for o in self._boundaries if o > 1)

    def as_of(self, on: date) -> Snapshot:
        """The graph on day ``on`` (epochs are built once and cached)."""
        last = self._last
        if last is not None and last.on == on:
            return last
        if not isinstance(on, date):
            raise HierarchyError(
                [HierarchyProblem("on", f"expected a date, got {on!r}", "bad_change")]
            )
        ordinal = on.toordinal()
        key = bisect_right(self._boundaries, ordinal)
        epoch = self._epochs.get(key)
        if epoch is None:
            epoch = Epoch.build(self._enc, ordinal)
            if len(self._epochs) >= _CACHE_SIZE:
                del self._epochs[next(iter(self._epochs))]
            self._epochs[key] = epoch
        snap = Snapshot(self._enc, epoch, on, self._root)
        self._last = snap
        return snap

    def tier_buckets(self) -> list[list[int]]:
        """Account indices per tier code, top tier first (cached)."""
        if self._tier_buckets is None:
            buckets: list[list[int]] = [[] for _ in self.rules.names]
            for i, code in enumerate(self._enc.tier_code):
                buckets[code].append(i)
            self._tier_buckets = buckets
        return self._tier_buckets


def build_graph(
    accounts: Iterable[Account], rules: TierRules, links: Iterable[Link]
) -> ChannelGraph:
    """Build and validate a channel graph.

    Raises:
        HierarchyError: carrying every :class:`~distcrm.hierarchy.HierarchyProblem`
            found (cycles, tier violations, second parents, overlapping links,
            unknown accounts, orphans and gaps), each naming the accounts involved.
    """
    enc = Encoded.of(accounts, rules, links)
    problems = problems_of(enc)
    if problems:
        raise HierarchyError(problems)
    return ChannelGraph(enc)
