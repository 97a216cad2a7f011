"""Roll-ups: values per account totalled for every account above them.

:func:`roll_up` adds each account's value to the account itself and to every
account on its path to the root, as of one day. Accounts are processed tier by
tier from the bottom, so each value is added once per level, in one linear
pass. Where an account has several parents (a reseller served by two
distributors) the value goes up **one** path only: the parent named in
``via``, else as ``on_multi`` says (``"raise"`` by default). Nothing is ever
counted twice, so the total at the root equals the sum of the values
(conservation).

:func:`roll_up_documents` rolls up documents (by default secondary sales,
signed taxable value): the buyer is credited, then the **seller recorded on
the document** and the seller's own path up, as of the document's date. That
is the attribution a multi-parent reseller needs: a sale made by ``D2`` counts
under ``D2``, never under ``D1`` as well.

Examples:
    >>> from datetime import date
    >>> from decimal import Decimal
    >>> from distcrm.hierarchy import build_graph
    >>> from distcrm.parties import INDIAN_FMCG, Account, Link
    >>> g = build_graph(
    ...     [Account("P", "Brand", "principal"), Account("D1", "Shree", "distributor"),
    ...      Account("D2", "Om", "distributor"), Account("R1", "A", "retailer"),
    ...      Account("R2", "B", "retailer"), Account("R3", "C", "retailer")],
    ...     INDIAN_FMCG,
    ...     [Link("P", "D1"), Link("P", "D2"), Link("D1", "R1"), Link("D1", "R2"),
    ...      Link("D2", "R3")],
    ... )
    >>> r = roll_up(g, {"R1": Decimal("100"), "R2": Decimal("50.50"), "R3": Decimal("10")},
    ...             on=date(2025, 6, 1))
    >>> r.total("D1"), r.total("D2"), r.total("P")   # 100 + 50.50; 10; 150.50 + 10
    (Decimal('150.50'), Decimal('10'), Decimal('160.50'))
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import date
from decimal import Decimal
from types import MappingProxyType
from typing import Any, Generic, TypeVar, overload

import attrs

from distcrm.documents import Document, Level
from distcrm.findings import Finding, Trace, TraceStep
from distcrm.hierarchy.graph import ChannelGraph
from distcrm.hierarchy.problems import HierarchyError, HierarchyProblem
from distcrm.hierarchy.snapshot import OnMulti, Snapshot
from distcrm.money import Money
from distcrm.parties import AccountId

__all__ = ["RollUp", "Value", "roll_up", "roll_up_documents", "signed_taxable"]

Value = TypeVar("Value", int, Decimal, Money)
"""What can be rolled up: ``int`` (quantities, counts), ``Decimal`` or ``Money``."""


@attrs.frozen
class RollUp(Generic[Value]):
    """The result of a roll-up.

    Attributes:
        totals: account id → total of its own value and everything below it
            (only accounts with something to total are present).
        on: the day of the hierarchy used (``None`` when each document used its own date).
        trace: how multi-parent accounts were attributed, and what was rolled up.
        findings: business facts noticed on the way (a document's seller that is
            not a parent of its buyer).
    """

    totals: Mapping[AccountId, Value]
    on: date | None
    trace: Trace
    findings: tuple[Finding, ...] = ()

    @overload
    def total(self, account: str) -> Value | None: ...

    @overload
    def total(self, account: str, default: Value) -> Value: ...

    def total(self, account: str, default: Value | None = None) -> Value | None:
        """The total of ``account`` (``default`` when nothing rolled up to it)."""
        return self.totals.get(AccountId(account), default)


def _problem_for(error: HierarchyError) -> list[HierarchyProblem]:
    return [p if isinstance(p, HierarchyProblem) else HierarchyProblem(p.path, p.message)
            for p in error.problems]


def roll_up(
    graph: ChannelGraph,
    values: Mapping[str, Value] | Mapping[AccountId, Value],
    *,
    on: date,
    via: Mapping[str, str] | Mapping[AccountId, AccountId] | None = None,
    on_multi: OnMulti = "raise",
) -> RollUp[Value]:
    """Total ``values`` for every account above them, as of ``on``.

    Args:
        graph: the channel graph.
        values: a value per account (any tier; usually retailers' secondary sales).
        on: the day whose hierarchy is used.
        via: for multi-parent accounts, the parent their values go up through.
        on_multi: ``"raise"`` (default) or ``"first"`` when a multi-parent account is
            not in ``via``.

    Raises:
        HierarchyError: listing every unknown account, account not in the network on
            ``on``, and multi-parent account without a choice; nothing is returned then.
    """
    snap = graph.as_of(on)
    enc = graph.encoded
    index_get = enc.index.get
    epoch_parent = snap.epoch.parent
    root, tier_code = snap.root_tiers, enc.tier_code
    acc: list[Value | None] = [None] * len(enc.ids)
    problems: list[HierarchyProblem] = []
    for account, value in values.items():
        i = index_get(account)
        if i is None or (epoch_parent[i] < 0 and not root[tier_code[i]]):
            problems.extend(_problem_for(snap.not_in_network(account)))
            continue
        acc[i] = value
    steps: list[TraceStep] = []
    extra = snap.epoch.extra_parents
    for bucket in reversed(graph.tier_buckets()):
        for i in bucket:
            v = acc[i]
            if v is None:
                continue
            p = epoch_parent[i]
            if p < 0:
                continue
            if extra and i in extra:
                try:
                    p = snap.choose_parent(i, via, on_multi)
                except HierarchyError as err:
                    problems.extend(_problem_for(err))
                    continue
                how = "named in via" if via is not None and enc.ids[i] in via else "first by id"
                steps.append(
                    TraceStep(
                        f"{enc.ids[i]} -> {enc.ids[p]}",
                        "applied",
                        f"{how}; parents {', '.join(enc.ids[q] for q in extra[i])}",
                    )
                )
            t = acc[p]
            acc[p] = v if t is None else t + v
    if problems:
        raise HierarchyError(problems)
    ids = enc.ids
    totals: dict[AccountId, Value] = {ids[i]: v for i, v in enumerate(acc) if v is not None}
    trace = Trace.of(f"roll-up of {len(values)} values as of {on.isoformat()}", steps)
    return RollUp(MappingProxyType(totals), on, trace)


def signed_taxable(document: Document) -> Money:
    """Default document measure: taxable value, negative for returns and credit notes.

    Examples:
        >>> from datetime import date
        >>> from distcrm.documents import Line
        >>> doc = Document("INV1", "invoice", "secondary", "D1", "R1", date(2025, 6, 1), "INR",
        ...                [Line("SKU1", 10, Money.of("12.50", "INR"))])
        >>> signed_taxable(doc)
        Money(amount=Decimal('125.00'), currency='INR')
    """
    return document.taxable * document.sign


@overload
def roll_up_documents(
    graph: ChannelGraph,
    documents: Iterable[Document],
    *,
    measure: None = None,
    level: Level | None = "secondary",
    on: date | None = None,
    via: Mapping[str, str] | Mapping[AccountId, AccountId] | None = None,
    on_multi: OnMulti = "raise",
) -> RollUp[Money]: ...


@overload
def roll_up_documents(
    graph: ChannelGraph,
    documents: Iterable[Document],
    *,
    measure: Callable[[Document], Value],
    level: Level | None = "secondary",
    on: date | None = None,
    via: Mapping[str, str] | Mapping[AccountId, AccountId] | None = None,
    on_multi: OnMulti = "raise",
) -> RollUp[Value]: ...


def roll_up_documents(
    graph: ChannelGraph,
    documents: Iterable[Document],
    *,
    measure: Callable[[Document], Any] | None = None,
    level: Level | None = "secondary",
    on: date | None = None,
    via: Mapping[str, str] | Mapping[AccountId, AccountId] | None = None,
    on_multi: OnMulti = "raise",
) -> RollUp[Any]:
    """Roll up documents: buyer, then the seller on the document and the seller's path up.

    Args:
        graph: the channel graph.
        documents: the documents; only those of ``level`` count (``None``: all).
        measure: the value of one document (default :func:`signed_taxable`).
        level: ``"secondary"`` (default), ``"primary"`` or ``None``.
        on: the hierarchy day to use for every document; by default each document's
            ``issued_on`` (the hierarchy as it was when the sale was made).
        via: parent choices for multi-parent accounts *above the seller*.
        on_multi: ``"raise"`` or ``"first"`` for multi-parent accounts above the seller.

    Raises:
        HierarchyError: every document whose buyer or seller is unknown or not in the
            network on the day used.

    Examples:
        >>> from datetime import date
        >>> from distcrm.hierarchy import build_graph
        >>> from distcrm.documents import Line
        >>> from distcrm.parties import PARTNER_PROGRAM, Account, Link
        >>> g = build_graph(
        ...     [Account("V", "Vendor", "vendor"), Account("D1", "N", "distributor"),
        ...      Account("D2", "S", "distributor"), Account("R1", "Acme", "reseller")],
        ...     PARTNER_PROGRAM,
        ...     [Link("V", "D1"), Link("V", "D2"), Link("D1", "R1"), Link("D2", "R1")])
        >>> docs = [Document("I1", "invoice", "secondary", "D1", "R1", date(2025, 6, 1), "INR",
        ...                  [Line("SKU1", 2, Money.of("100.00", "INR"))]),
        ...         Document("I2", "invoice", "secondary", "D2", "R1", date(2025, 6, 2), "INR",
        ...                  [Line("SKU1", 1, Money.of("100.00", "INR"))])]
        >>> r = roll_up_documents(g, docs)
        >>> [str(r.total(a)) for a in ("R1", "D1", "D2", "V")]   # 200 via D1, 100 via D2
        ['300.00 INR', '200.00 INR', '100.00 INR', '300.00 INR']
    """
    enc = graph.encoded
    value_of = signed_taxable if measure is None else measure
    acc: dict[int, Any] = {}
    problems: list[HierarchyProblem] = []
    findings: list[Finding] = []
    count = 0
    for doc in documents:
        if level is not None and doc.level != level:
            continue
        day = on if on is not None else doc.issued_on
        snap: Snapshot = graph.as_of(day)
        where = f"document {doc.id!r}"
        path: list[int]
        try:
            b = snap.index_of(doc.buyer)
            s = snap.index_of(doc.seller)
            path = snap.path_indices(s, via, on_multi)
        except HierarchyError as err:
            problems.extend(
                HierarchyProblem(f"{where}.{p.path}", p.message, getattr(p, "code", ""),
                                 getattr(p, "accounts", ()))
                for p in err.problems
            )
            continue
        if doc.seller not in snap.parents(doc.buyer):
            findings.append(
                Finding(
                    "seller_not_parent",
                    f"{where}: seller {doc.seller!r} is not a parent of buyer {doc.buyer!r} on "
                    f"{day.isoformat()}; the value follows the seller's path",
                    subject=doc.id,
                    severity="info",
                )
            )
        value = value_of(doc)
        count += 1
        for i in (b, *path):
            t = acc.get(i)
            acc[i] = value if t is None else t + value
    if problems:
        raise HierarchyError(problems)
    ids = enc.ids
    trace = Trace.of(f"roll-up of {count} documents").add(
        "attribution",
        "applied",
        "buyer, then the seller on the document and the seller's path up"
        + (f", hierarchy as of {on.isoformat()}" if on else ", hierarchy as of each document"),
    )
    totals: dict[AccountId, Any] = {ids[i]: acc[i] for i in sorted(acc)}
    return RollUp(MappingProxyType(totals), on, trace, tuple(findings))
