"""What-if: run several versions of a scheme set over the same history and compare them.

A *variant* is a named scheme set ("current", "richer slab 2", "no free goods").
:func:`simulate` evaluates every variant over the same documents with the
reference evaluator and :func:`summarize` rolls the applied entitlements up
into cells keyed by the requested dimensions:

* ``scheme`` — the scheme id;
* ``slab`` — the 1-based slab reached (``None`` when none);
* ``party`` — the earning account;
* ``tier`` — the earning account's channel tier;
* ``territory`` — the earning account's territory;
* ``distributor`` — the earning account when it is itself a distributor,
  else the distributor on the other side of its qualifying lines (when lines
  come from several distributors, the one with the largest gross value, ties
  to the smallest id); ``distributor_of`` overrides both;
* ``period`` — the label of the calendar period (``period=`` month, quarter,
  fiscal year) containing the window's first day;
* ``settlement`` — ``on_invoice`` or ``off_invoice``.

Every cell holds :class:`SimulationTotals`: cost (discount money plus the value of free
goods: the entitlement's ``value``), the discount, the free-goods value, free
units, free units without a price and the number of entitlements. Each
entitlement lands in exactly one cell, so roll-ups conserve totals: summing
the cells over any dimension gives the grand total. Each variant is compared
with a *baseline* variant (the first one unless named) cell by cell.

Examples:
    >>> from datetime import date
    >>> from distcrm.findings import Trace
    >>> from distcrm.money import Money, quantum
    >>> from distcrm.schemes.results import Entitlement, SchemeResult, Window
    >>> june = Window("month", date(2025, 6, 1), date(2025, 7, 1), "2025-06")
    >>> def ent(scheme, party, value):
    ...     m = Money.of(value, "INR")
    ...     return Entitlement(scheme=scheme, party=party, window=june, applied=True,
    ...                        measure="units", volume=Decimal(10), slab=1, lines=(), free=(),
    ...                        discount=m, value=m, cut=Money.zero("INR"),
    ...                        settlement="off_invoice")
    >>> def result(*ents):
    ...     return SchemeResult(ents, ents, (), Trace.of("r"))
    >>> sim = summarize({"now": result(ent("S1", "R1", "30.00"), ent("S1", "R2", "20.00")),
    ...                  "rich": result(ent("S1", "R1", "45.00"), ent("S1", "R2", "20.00"))},
    ...                 by=("party",))
    >>> [(c.variant, c.key, str(c.totals.cost)) for c in sim.cells]
    [('now', ('R1',), '30.00 INR'), ('now', ('R2',), '20.00 INR'), ('rich', ('R1',), '45.00 INR'), ('rich', ('R2',), '20.00 INR')]
    >>> [(d.key, str(d.delta.cost)) for d in sim.diff("rich")]
    [(('R1',), '15.00 INR'), (('R2',), '0.00 INR')]
    >>> str(sim.totals("rich").cost - sim.totals("now").cost)
    '15.00 INR'
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Literal, TypeAlias

import attrs

from distcrm.catalog import Product
from distcrm.documents import Document
from distcrm.errors import Problem, SchemeError, ValidationError
from distcrm.findings import Finding, Trace
from distcrm.money import Money, quantum
from distcrm.parties import Account
from distcrm.periods import Period, PeriodKind
from distcrm.schemes.model import Scheme
from distcrm.schemes.results import Entitlement, SchemeResult

__all__ = [
    "DIMENSIONS",
    "Dimension",
    "Evaluator",
    "KeyValue",
    "Simulation",
    "SimulationCell",
    "SimulationDiff",
    "SimulationTotals",
    "WhatIfError",
    "simulate",
    "summarize",
]

Dimension: TypeAlias = Literal[
    "scheme", "slab", "party", "tier", "territory", "distributor", "period", "settlement"
]
DIMENSIONS: tuple[Dimension, ...] = (
    "scheme", "slab", "party", "tier", "territory", "distributor", "period", "settlement"
)
"""The dimensions a simulation can be broken down by."""

KeyValue: TypeAlias = str | int | None
"""One coordinate of a cell: an id or label, a slab number, or ``None`` when unknown."""

Evaluator: TypeAlias = Callable[..., SchemeResult]
"""A function with the reference evaluator's call shape: ``(schemes, documents, **kwargs)``."""


class WhatIfError(SchemeError):
    """A what-if simulation was asked for with invalid inputs."""


def _zero(currency: str) -> Money:
    # zero at the currency's minor unit (0.00 INR), so totals print alike
    return Money(quantum(currency) * 0, currency)


@attrs.frozen
class SimulationTotals:
    """Summed figures of a set of entitlements.

    Attributes:
        cost: discount money plus the value of free goods (the entitlements' ``value``).
        discount: discount money (percent discounts, flat amounts, rebates).
        free_value: value of the free goods (unpriced free goods count zero).
        free_units: free units, every SKU.
        unpriced_free_units: free units that had no price (so no value in ``cost``).
        entitlements: number of applied entitlements.

    Examples:
        >>> t = SimulationTotals.zero("INR")
        >>> str(t.cost), t.free_units
        ('0.00 INR', 0)
    """

    cost: Money
    discount: Money
    free_value: Money
    free_units: int = 0
    unpriced_free_units: int = 0
    entitlements: int = 0

    @classmethod
    def zero(cls, currency: str) -> SimulationTotals:
        """Nothing, in ``currency``."""
        return cls(_zero(currency), _zero(currency), _zero(currency))

    @classmethod
    def of(cls, entitlement: Entitlement, currency: str) -> SimulationTotals:
        """The figures of one entitlement."""
        free_value = _zero(currency)
        unpriced = 0
        for free in entitlement.free:
            if free.value is None:
                unpriced += free.units
            else:
                free_value = free_value + free.value
        return cls(
            cost=entitlement.value,
            discount=entitlement.discount,
            free_value=free_value,
            free_units=entitlement.free_units,
            unpriced_free_units=unpriced,
            entitlements=1,
        )

    def __add__(self, other: SimulationTotals) -> SimulationTotals:
        return SimulationTotals(
            self.cost + other.cost,
            self.discount + other.discount,
            self.free_value + other.free_value,
            self.free_units + other.free_units,
            self.unpriced_free_units + other.unpriced_free_units,
            self.entitlements + other.entitlements,
        )

    def __sub__(self, other: SimulationTotals) -> SimulationTotals:
        return SimulationTotals(
            self.cost - other.cost,
            self.discount - other.discount,
            self.free_value - other.free_value,
            self.free_units - other.free_units,
            self.unpriced_free_units - other.unpriced_free_units,
            self.entitlements - other.entitlements,
        )


@attrs.frozen
class SimulationCell:
    """The totals of one variant for one combination of dimension values.

    ``key`` holds one value per dimension of the simulation's ``by``, in order.
    """

    variant: str
    key: tuple[KeyValue, ...]
    totals: SimulationTotals


@attrs.frozen
class SimulationDiff:
    """One cell of ``variant`` compared with the same cell of ``baseline``.

    A cell missing on one side counts as zero there. ``delta = other − base``.
    """

    variant: str
    baseline: str
    key: tuple[KeyValue, ...]
    base: SimulationTotals
    other: SimulationTotals
    delta: SimulationTotals


def _sort_key(key: tuple[KeyValue, ...]) -> tuple[tuple[bool, KeyValue], ...]:
    # None sorts last; within one dimension values are all str or all int.
    return tuple((v is None, v if v is not None else 0) for v in key)


_Raw: TypeAlias = tuple[Decimal, Decimal, Decimal, int, int, int]
"""Totals as plain numbers: cost, discount, free value, free units, unpriced units, count."""


def _raw_entitlement(e: Entitlement) -> _Raw:
    free_value = Decimal(0)
    unpriced = 0
    units = 0
    for free in e.free:
        units += free.units
        if free.value is None:
            unpriced += free.units
        else:
            free_value += free.value.amount
    return (e.value.amount, e.discount.amount, free_value, units, unpriced, 1)


def _raw_totals(t: SimulationTotals) -> _Raw:
    return (t.cost.amount, t.discount.amount, t.free_value.amount, t.free_units,
            t.unpriced_free_units, t.entitlements)


def _aggregate(
    pairs: Iterable[tuple[tuple[KeyValue, ...], _Raw]], currency: str
) -> dict[tuple[KeyValue, ...], SimulationTotals]:
    # sums plain numbers, then builds one SimulationTotals per key (Money is built once per cell)
    sums: dict[tuple[KeyValue, ...], tuple[list[Decimal], list[int]]] = {}
    for key, raw in pairs:
        acc = sums.get(key)
        if acc is None:
            sums[key] = ([raw[0], raw[1], raw[2]], [raw[3], raw[4], raw[5]])
        else:
            money, counts = acc
            money[0] += raw[0]
            money[1] += raw[1]
            money[2] += raw[2]
            counts[0] += raw[3]
            counts[1] += raw[4]
            counts[2] += raw[5]
    zero = quantum(currency) * 0
    out: dict[tuple[KeyValue, ...], SimulationTotals] = {}
    for key in sorted(sums, key=_sort_key):
        money, counts = sums[key]
        out[key] = SimulationTotals(
            Money(zero + money[0], currency),
            Money(zero + money[1], currency),
            Money(zero + money[2], currency),
            counts[0],
            counts[1],
            counts[2],
        )
    return out


@attrs.frozen
class Simulation:
    """Variants of a scheme set evaluated over the same history, rolled up by ``by``.

    Attributes:
        by: the dimensions of every cell's key, in order.
        variants: variant names, in the order given.
        baseline: the variant the others are compared with.
        currency: currency of every amount.
        cells: one cell per variant and key that has an entitlement, sorted by
            variant order then key (``None`` last).
        diffs: for each variant other than the baseline, every key of either
            side compared with the baseline.
        results: each variant's full evaluation, for drilling down.
        findings: things worth a look (unpriced free goods, parties missing from
            ``accounts``).
        trace: one step per variant with its total cost.
    """

    by: tuple[Dimension, ...]
    variants: tuple[str, ...]
    baseline: str
    currency: str
    cells: tuple[SimulationCell, ...]
    diffs: tuple[SimulationDiff, ...]
    results: tuple[tuple[str, SchemeResult], ...]
    findings: tuple[Finding, ...]
    trace: Trace

    def _variant(self, variant: str) -> str:
        if variant not in self.variants:
            raise WhatIfError(
                f"simulation.variants: no variant {variant!r} (have {', '.join(self.variants)})"
            )
        return variant

    def result(self, variant: str) -> SchemeResult:
        """The full evaluation of ``variant``."""
        self._variant(variant)
        return dict(self.results)[variant]

    def totals(self, variant: str) -> SimulationTotals:
        """Grand totals of ``variant``."""
        self._variant(variant)
        total = SimulationTotals.zero(self.currency)
        for cell in self.cells:
            if cell.variant == variant:
                total = total + cell.totals
        return total

    def _positions(self, by: Sequence[Dimension]) -> list[int]:
        positions: list[int] = []
        for i, dim in enumerate(by):
            if dim not in self.by:
                raise WhatIfError(
                    f"simulation.rollup.by[{i}]: {dim!r} is not one of the simulation's "
                    f"dimensions ({', '.join(self.by)}); simulate again with it in by="
                )
            positions.append(self.by.index(dim))
        return positions

    def rollup(
        self, by: Sequence[Dimension], variant: str | None = None
    ) -> tuple[SimulationCell, ...]:
        """Cells re-aggregated over a subset of the simulation's dimensions.

        ``rollup(())`` gives one cell per variant holding its grand total.
        ``variant`` limits the answer to one variant.

        Examples:
            >>> sim = summarize({"a": SchemeResult((), (), (), Trace.of("r"))}, by=("scheme",))
            >>> sim.rollup(())
            (SimulationCell(variant='a', key=(), totals=SimulationTotals(...)),)
        """
        positions = self._positions(by)
        if variant is not None:
            self._variant(variant)
        cells: list[SimulationCell] = []
        for name in self.variants:
            if variant is not None and name != variant:
                continue
            mine = [c for c in self.cells if c.variant == name]
            grouped = _aggregate(
                ((tuple(c.key[p] for p in positions), _raw_totals(c.totals)) for c in mine),
                self.currency,
            )
            if not grouped and not positions:
                grouped = {(): SimulationTotals.zero(self.currency)}
            cells.extend(SimulationCell(name, key, totals) for key, totals in grouped.items())
        return tuple(cells)

    def diff(
        self,
        variant: str,
        baseline: str | None = None,
        *,
        by: Sequence[Dimension] | None = None,
    ) -> tuple[SimulationDiff, ...]:
        """``variant`` against ``baseline`` (the simulation's baseline by default), cell by cell.

        ``by`` re-aggregates first (a subset of the simulation's dimensions);
        ``by=()`` compares the grand totals.
        """
        self._variant(variant)
        base_name = self.baseline if baseline is None else self._variant(baseline)
        dims = self.by if by is None else tuple(by)
        base = {c.key: c.totals for c in self.rollup(dims, base_name)}
        other = {c.key: c.totals for c in self.rollup(dims, variant)}
        zero = SimulationTotals.zero(self.currency)
        keys = sorted(set(base) | set(other), key=_sort_key)
        return tuple(
            SimulationDiff(
                variant,
                base_name,
                key,
                base.get(key, zero),
                other.get(key, zero),
                other.get(key, zero) - base.get(key, zero),
            )
            for key in keys
        )


def _check_by(by: Sequence[Dimension]) -> tuple[Dimension, ...]:
    if isinstance(by, str):
        raise WhatIfError(f"simulate.by: expected a sequence of dimensions, got the string {by!r}")
    seen: set[str] = set()
    for i, dim in enumerate(by):
        if dim not in DIMENSIONS:
            raise WhatIfError(f"simulate.by[{i}]: {dim!r} is not one of {', '.join(DIMENSIONS)}")
        if dim in seen:
            raise WhatIfError(f"simulate.by[{i}]: {dim!r} is repeated")
        seen.add(dim)
    return tuple(by)


def _account_index(accounts: Iterable[Account] | Mapping[str, Account]) -> dict[str, Account]:
    if isinstance(accounts, Mapping):
        return {str(k): v for k, v in accounts.items()}
    return {a.id: a for a in accounts}


@attrs.define
class _Resolver:
    """Finds the dimension values of one entitlement."""

    accounts: dict[str, Account]
    documents: dict[str, Document]
    period: PeriodKind
    first_month: int | None
    distributor_tier: str
    distributor_of: Mapping[str, str]
    missing: set[str] = attrs.field(factory=set)
    counterparts: dict[str, set[str]] = attrs.field(factory=dict)
    labels: dict[date, str] = attrs.field(factory=dict)

    def __attrs_post_init__(self) -> None:
        for doc in self.documents.values():
            self.counterparts.setdefault(doc.buyer, set()).add(doc.seller)
            self.counterparts.setdefault(doc.seller, set()).add(doc.buyer)

    def account(self, party: str) -> Account | None:
        found = self.accounts.get(party)
        if found is None:
            self.missing.add(party)
        return found

    def distributor(self, e: Entitlement) -> str | None:
        if e.party in self.distributor_of:
            return self.distributor_of[e.party]
        me = self.account(e.party)
        if me is not None and me.tier == self.distributor_tier:
            return str(e.party)
        others = self.counterparts.get(e.party, ())
        if len(others) == 1 and len(e.lines) > 0:
            # one trading partner in the whole history: no need to weigh the lines
            (only,) = others
            acct = self.accounts.get(only)
            return only if acct is not None and acct.tier == self.distributor_tier else None
        weights: dict[str, Decimal] = {}
        for ref in e.lines:
            doc = self.documents.get(ref.document)
            if doc is None or not 1 <= ref.line <= len(doc.lines):
                continue
            if doc.buyer == e.party:
                other = str(doc.seller)
            elif doc.seller == e.party:
                other = str(doc.buyer)
            else:
                continue
            acct = self.accounts.get(other)
            if acct is None or acct.tier != self.distributor_tier:
                continue
            line = doc.lines[ref.line - 1]
            weights[other] = weights.get(other, Decimal(0)) + line.unit_price.amount * line.qty
        if not weights:
            return None
        return max(sorted(weights), key=lambda k: weights[k])

    def value(self, dim: Dimension, e: Entitlement) -> KeyValue:
        if dim == "scheme":
            return e.scheme
        if dim == "slab":
            return e.slab
        if dim == "party":
            return str(e.party)
        if dim == "tier":
            acct = self.account(e.party)
            return None if acct is None else acct.tier
        if dim == "territory":
            acct = self.account(e.party)
            return None if acct is None else acct.territory
        if dim == "distributor":
            return self.distributor(e)
        if dim == "period":
            label = self.labels.get(e.window.start)
            if label is None:
                label = Period.containing(
                    e.window.start, self.period, first_month=self.first_month
                ).label
                self.labels[e.window.start] = label
            return label
        return e.settlement


def summarize(
    results: Mapping[str, SchemeResult],
    *,
    by: Sequence[Dimension] = ("scheme",),
    baseline: str | None = None,
    documents: Iterable[Document] = (),
    accounts: Iterable[Account] | Mapping[str, Account] = (),
    period: PeriodKind = "month",
    first_month: int | None = None,
    distributor_tier: str = "distributor",
    distributor_of: Mapping[str, str] | None = None,
) -> Simulation:
    """Roll evaluation results of several variants up by ``by`` and compare them.

    Use it when the variants were already evaluated; :func:`simulate` evaluates
    and then calls it.

    Args:
        results: each variant's evaluation, by variant name (order kept).
        by: dimensions of the cells (see the module docs), each at most once.
        baseline: the variant the others are compared with (default: the first).
        documents: the evaluated history; needed for the ``distributor`` dimension.
        accounts: accounts by id (or an iterable of them); needed for ``tier``,
            ``territory`` and ``distributor``.
        period: period kind of the ``period`` dimension.
        first_month: first month of quarters / fiscal years (see :class:`Period`).
        distributor_tier: the tier name of distributors.
        distributor_of: explicit distributor per party, overriding the rule.

    Raises:
        WhatIfError: no variants, an unknown baseline or dimension, or results in
            different currencies.
    """
    dims = _check_by(by)
    names = tuple(str(n) for n in results)
    if not names:
        raise WhatIfError("simulate.variants: at least one variant is needed")
    base = names[0] if baseline is None else baseline
    if base not in results:
        raise WhatIfError(
            f"simulate.baseline: no variant {base!r} (have {', '.join(names)})"
        )
    currency = results[base].currency
    for name, result in results.items():
        if result.currency != currency:
            raise WhatIfError(
                f"simulate.variants[{name!r}]: currency {result.currency} differs from "
                f"{currency} of baseline {base!r}"
            )
    docs = {str(d.id): d for d in documents} if "distributor" in dims else {}
    resolver = _Resolver(
        _account_index(accounts), docs, period, first_month, distributor_tier,
        dict(distributor_of or {}),
    )
    cells: list[SimulationCell] = []
    findings: list[Finding] = []
    trace = Trace.of(f"what-if over {len(names)} variants by {', '.join(dims) or 'nothing'}")
    for name, result in results.items():
        grouped = _aggregate(
            (
                (tuple(resolver.value(d, e) for d in dims), _raw_entitlement(e))
                for e in result.entitlements
            ),
            currency,
        )
        cells.extend(SimulationCell(name, key, totals) for key, totals in grouped.items())
        total = sum((t for t in grouped.values()), SimulationTotals.zero(currency))
        trace = trace.add(
            f"variant {name!r}" + (" (baseline)" if name == base else ""),
            "applied",
            f"{total.entitlements} entitlements, cost {total.cost}, {total.free_units} free units",
        )
        if total.unpriced_free_units:
            findings.append(Finding(
                "unpriced_free_goods",
                f"variant {name!r}: {total.unpriced_free_units} free units have no price "
                "and count zero in cost; pass prices to the evaluator",
                subject=name,
            ))
    for party in sorted(resolver.missing):
        findings.append(Finding(
            "unknown_account",
            f"account {party!r} earns an entitlement but is not among the accounts; "
            "its tier, territory or distributor is unknown",
            subject=party,
            severity="info",
        ))
    partial = Simulation(dims, names, base, currency, tuple(cells), (), (), (), trace)
    diffs = tuple(d for n in names if n != base for d in partial.diff(n))
    return attrs.evolve(
        partial,
        diffs=diffs,
        results=tuple((str(n), r) for n, r in results.items()),
        findings=tuple(findings),
    )


def simulate(
    variants: Mapping[str, Sequence[Scheme]],
    history: Iterable[Document],
    *,
    accounts: Iterable[Account] | Mapping[str, Account],
    products: Iterable[Product] | Mapping[str, Product] = (),
    on: date,
    by: Sequence[Dimension] = ("scheme",),
    baseline: str | None = None,
    period: PeriodKind = "month",
    first_month: int | None = None,
    distributor_tier: str = "distributor",
    distributor_of: Mapping[str, str] | None = None,
    options: Mapping[str, object] | None = None,
    evaluator: Evaluator | None = None,
) -> Simulation:
    """Evaluate every variant over the same ``history`` and compare them by ``by``.

    Args:
        variants: scheme sets by variant name; the first is the baseline unless
            ``baseline`` names another.
        history: the documents, read once and shared by every variant.
        accounts: the accounts (eligibility, tier, territory, distributor).
        products: the products (category and brand selections, case packs).
        on: the evaluation date passed to the evaluator.
        by: dimensions to break totals down by (see the module docs).
        baseline: the variant to compare against.
        period: period kind of the ``period`` dimension.
        first_month: first month of quarters / fiscal years.
        distributor_tier: tier name of distributors (``distributor`` dimension).
        distributor_of: explicit distributor per party.
        options: further keyword arguments for the evaluator (prices, policies).
        evaluator: the evaluation function, the reference evaluator by default.

    Raises:
        WhatIfError: no variants, or a variant the evaluator refuses (the message
            names the variant); nothing is returned half-done.
    """
    if not variants:
        raise WhatIfError("simulate.variants: at least one variant is needed")
    _check_by(by)
    docs = tuple(history)
    account_list = tuple(accounts.values() if isinstance(accounts, Mapping) else accounts)
    product_list = tuple(products.values() if isinstance(products, Mapping) else products)
    if evaluator is None:
        # imported here so that summarizing and the result types never need the evaluator
        from distcrm.schemes.evaluate import evaluate

        evaluator = evaluate
    run: Evaluator = evaluator
    results: dict[str, SchemeResult] = {}
    for name, schemes in variants.items():
        try:
            results[str(name)] = run(
                tuple(schemes), docs, accounts=account_list, products=product_list, on=on,
                **dict(options or {}),
            )
        except ValidationError as exc:
            where = f"simulate.variants[{name!r}]"
            raise WhatIfError([Problem(where, str(p)) for p in exc.problems]) from exc
    return summarize(
        results, by=by, baseline=baseline, documents=docs, accounts=account_list,
        period=period, first_month=first_month, distributor_tier=distributor_tier,
        distributor_of=distributor_of,
    )
