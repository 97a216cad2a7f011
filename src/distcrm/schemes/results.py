"""What evaluation returns: entitlements with their trace, near misses, the whole result.

An :class:`Entitlement` is what one party earns under one scheme in one
window (an invoice, a month, a quarter or the whole scheme): the qualifying
lines, the measured volume, the slab reached, the benefit (free units with
their SKU and value, a discount amount) and a :class:`~distcrm.findings.Trace`
explaining every step (eligibility, condition, stacking, caps, settlement).

Examples:
    >>> from datetime import date
    >>> w = Window("month", date(2025, 6, 1), date(2025, 7, 1), "2025-06")
    >>> w.key, w.closed_on(date(2025, 7, 1)), w.closed_on(date(2025, 6, 30))
    ('2025-06', True, False)
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date
from decimal import Decimal
from typing import overload

import attrs

from distcrm.catalog import SkuId, as_sku_id
from distcrm.documents import LineRef
from distcrm.findings import Trace, TraceStep
from distcrm.money import Money
from distcrm.parties import AccountId, as_account_id
from distcrm.schemes.model import Measure, Settlement, WindowKind

__all__ = [
    "Entitlement",
    "FreeUnits",
    "LineRefs",
    "NearMiss",
    "SchemeResult",
    "Window",
]


@attrs.frozen(order=True)
class Window:
    """The window an entitlement is measured over.

    Attributes:
        kind: ``invoice``, ``month``, ``quarter`` or ``scheme``.
        start: first day (for an invoice window: the invoice date).
        end: first day after the window (``None`` for a scheme window with an
            open-ended validity); cumulative windows are clipped to the
            scheme's validity.
        label: ``"2025-06"``, ``"2025-Q2"``, the scheme id, or the invoice id.
    """

    kind: WindowKind
    start: date
    end: date | None
    label: str

    @property
    def key(self) -> str:
        """The label; unique per scheme and party."""
        return self.label

    def closed_on(self, on: date) -> bool:
        """True when nothing dated on or after ``on`` can fall in the window any more."""
        if self.kind == "invoice":
            return True
        return self.end is not None and self.end <= on


class LineRefs(Sequence[LineRef]):
    """An immutable sequence of :class:`~distcrm.documents.LineRef`, built lazily.

    Evaluations over millions of lines keep line references compactly and
    only build ``LineRef`` objects when they are read.

    Examples:
        >>> refs = LineRefs(("INV-1", "INV-2"), ((0, 1), (1, 2)))
        >>> [str(r) for r in refs]
        ['INV-1#1', 'INV-2#2']
        >>> refs == (LineRef("INV-1", 1), LineRef("INV-2", 2))
        True
    """

    __slots__ = ("_docs", "_refs", "_shift")

    def __init__(self, documents: Sequence[str], refs: Sequence[tuple[int, int]]) -> None:
        self._docs = documents
        self._refs: Sequence[tuple[int, int]] | Sequence[int] = tuple(refs)
        self._shift = 0

    @classmethod
    def packed(cls, documents: Sequence[str], refs: Sequence[int], shift: int) -> LineRefs:
        """Refs packed as ints: ``document index << shift | (line number - 1)``."""
        out = object.__new__(cls)  # one per entitlement in bulk runs: skip __init__'s copy
        out._docs = documents
        out._refs = refs
        out._shift = shift
        return out

    def _pair(self, i: int) -> tuple[int, int]:
        r = self._refs[i]
        if self._shift:
            assert isinstance(r, int)
            return r >> self._shift, (r & ((1 << self._shift) - 1)) + 1
        assert isinstance(r, tuple)
        return r

    def __len__(self) -> int:
        return len(self._refs)

    @overload
    def __getitem__(self, i: int) -> LineRef: ...
    @overload
    def __getitem__(self, i: slice) -> tuple[LineRef, ...]: ...
    def __getitem__(self, i: int | slice) -> LineRef | tuple[LineRef, ...]:
        if isinstance(i, slice):
            return tuple(
                LineRef(self._docs[d], n)
                for d, n in (self._pair(k) for k in range(len(self._refs))[i])
            )
        d, n = self._pair(i)
        return LineRef(self._docs[d], n)

    def __iter__(self) -> Iterator[LineRef]:
        docs = self._docs
        for k in range(len(self._refs)):
            d, n = self._pair(k)
            yield LineRef(docs[d], n)

    def keys(self) -> Iterator[tuple[str, int]]:
        """Each reference as a plain ``(document id, line number)`` pair, without building
        :class:`~distcrm.documents.LineRef` objects (for bulk consumers such as claims).

        Examples:
            >>> list(LineRefs(("INV-1", "INV-2"), ((0, 1), (1, 2))).keys())
            [('INV-1', 1), ('INV-2', 2)]
        """
        docs = self._docs
        if self._shift:
            shift = self._shift
            mask = (1 << shift) - 1
            for r in self._refs:
                assert isinstance(r, int)
                yield docs[r >> shift], (r & mask) + 1
        else:
            for pair in self._refs:
                assert isinstance(pair, tuple)
                yield docs[pair[0]], pair[1]

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Sequence):
            return tuple(self) == tuple(other)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(tuple(self))

    def __repr__(self) -> str:
        return f"LineRefs({[str(r) for r in self]!r})"


@attrs.frozen
class FreeUnits:
    """Free goods: whole ``units`` of ``sku`` worth ``value`` (``None`` when no price is known).

    ``value`` is ``units × unit price`` where the unit price is the caller's
    ``prices[sku]`` when given, else the unit price of the latest qualifying
    line of that SKU in the window (latest document date, then document id,
    then line number).
    """

    sku: SkuId = attrs.field(converter=as_sku_id)
    units: int
    value: Money | None


@attrs.frozen
class Entitlement:
    """What ``party`` earns under ``scheme`` in ``window``.

    Attributes:
        scheme: the scheme id.
        party: the earning account (buyer or seller of the lines, by the scheme's ``party``).
        window: the window measured.
        applied: True when a benefit applies after stacking (a benefit cut to zero
            by a cap still counts as applied, with the cut in the trace).
        measure: the scheme's measure.
        volume: the measured volume, net of returns: base units, cases (exact to
            4 places), or an amount in the currency (value measures).
        slab: 1-based number of the slab reached, ``None`` when none is reached.
        lines: qualifying lines (returns included: they reduce the volume).
        free: free goods, whole units.
        discount: the money benefit (percent discount, flat amount or rebate), rounded.
        value: ``discount`` plus the value of the free goods (unpriced free goods count 0).
        cut: value removed by budget caps.
        settlement: ``on_invoice`` or ``off_invoice``.
        notes: decisions beyond the measurement itself (combo, stacking, caps,
            settled adjustments), as trace steps.
        settled: the value already settled for this key (from ``settled=``), if any.
        adjustment: ``value - settled`` when ``settled`` is known (negative after a
            late return), else ``None``.
        slab_min: the reached slab's lower bound, in the measure.
        benefit_label: the reached benefit in words (``"3.5 % of net value"``).
    """

    scheme: str
    party: AccountId = attrs.field(converter=as_account_id)
    window: Window
    applied: bool
    measure: Measure
    volume: Decimal
    slab: int | None
    lines: Sequence[LineRef]
    free: tuple[FreeUnits, ...]
    discount: Money
    value: Money
    cut: Money
    settlement: Settlement
    notes: tuple[TraceStep, ...] = ()
    settled: Money | None = None
    adjustment: Money | None = None
    slab_min: Decimal | None = None
    benefit_label: str = ""

    @property
    def key(self) -> tuple[str, str, str]:
        """``(scheme id, party, window label)``: unique in one result."""
        return (self.scheme, self.party, self.window.label)

    @property
    def free_units(self) -> int:
        """Total free units, every SKU."""
        return sum(f.units for f in self.free)

    @property
    def trace(self) -> Trace:
        """Why this entitlement is what it is, step by step (built on demand).

        Examples:
            >>> from datetime import date
            >>> from distcrm.money import Money
            >>> zero = Money.zero("INR")
            >>> e = Entitlement("S1", "R1", Window("month", date(2025, 6, 1), date(2025, 7, 1),
            ...     "2025-06"), False, "units", Decimal(7), None, (), (), zero, zero, zero,
            ...     "off_invoice", slab_min=None)
            >>> print(e.trace)
            scheme S1 for R1 in 2025-06
              + eligibility: applied (R1 is eligible)
              + products: applied (0 qualifying lines)
              - condition: rejected (volume 7 units reaches no slab)
        """
        unit = _MEASURE_WORDS[self.measure]
        t = Trace.of(f"scheme {self.scheme} for {self.party} in {self.window.label}")
        t = t.add("eligibility", "applied", f"{self.party} is eligible")
        t = t.add("products", "applied", f"{len(self.lines)} qualifying lines")
        if self.slab is None:
            t = t.add("condition", "rejected", f"volume {self.volume} {unit} reaches no slab")
        else:
            t = t.add(
                "condition",
                "applied",
                f"volume {self.volume} {unit} reaches slab {self.slab} "
                f"(from {self.slab_min}): {self.benefit_label}",
            )
        t = t.extend(self.notes)
        if self.slab is not None:
            if len(self.free) > 3:
                priced = [f.value.amount for f in self.free if f.value is not None]
                worth = f" worth {sum(priced)} {self.value.currency}" if priced else ""
                parts = [f"{self.free_units} free units over {len(self.free)} SKUs{worth}"]
            else:
                parts = [
                    f"{f.units} free {f.sku}" + (f" worth {f.value}" if f.value else "")
                    for f in self.free
                ]
            if self.discount:
                parts.append(f"{self.discount}")
            what = ", ".join(parts) if parts else "nothing"
            t = t.add("benefit", "applied" if self.applied else "rejected", what)
        return t


_MEASURE_WORDS: dict[str, str] = {
    "units": "units",
    "cases": "cases",
    "gross_value": "gross value",
    "net_value": "net value",
}


@attrs.frozen
class NearMiss:
    """The next threshold ``party`` can reach under ``scheme`` in ``window``.

    Attributes:
        volume: the volume so far.
        threshold: the next slab's lower bound (or a combo group's minimum).
        missing: how much more volume reaches it (in ``measure``).
        slab: 1-based number of the slab it would reach (``None`` for a combo group).
        group: the combo group still short, if that is what is missing.
        message: e.g. ``"3 more cases reach slab 2 (3.5 % discount)"``.
    """

    scheme: str
    party: AccountId = attrs.field(converter=as_account_id)
    window: Window = attrs.field()
    measure: Measure = "units"
    volume: Decimal = Decimal(0)
    threshold: Decimal = Decimal(0)
    missing: Decimal = Decimal(0)
    slab: int | None = None
    group: str | None = None
    message: str = ""


@attrs.frozen
class SchemeResult:
    """Everything :func:`~distcrm.schemes.evaluate` found.

    Attributes:
        entitlements: applied entitlements (and settled ones with a non-zero adjustment),
            in the order of the schemes given, then by party and window.
        considered: every (scheme, party, window) measured, applied or not, same order
            (only the entitlements when evaluated with ``explain=False``).
        near_misses: next reachable threshold per (scheme, party, window) not at its top slab.
        trace: one step per scheme: whether it applied anywhere and why not.
        currency: the currency of the evaluated documents.
    """

    entitlements: tuple[Entitlement, ...]
    considered: tuple[Entitlement, ...]
    near_misses: tuple[NearMiss, ...]
    trace: Trace
    currency: str = "INR"

    def for_party(self, party: str) -> tuple[Entitlement, ...]:
        """Applied entitlements of one party."""
        return tuple(e for e in self.entitlements if e.party == party)

    def for_scheme(self, scheme: str) -> tuple[Entitlement, ...]:
        """Applied entitlements under one scheme."""
        return tuple(e for e in self.entitlements if e.scheme == scheme)

    def total(self, scheme: str | None = None) -> Money:
        """Total benefit value (all schemes, or one)."""
        total = Decimal(0)
        for e in self.entitlements:
            if scheme is None or e.scheme == scheme:
                total += e.value.amount
        return Money(total, self.currency)

    def nearest_miss(self, party: str) -> NearMiss | None:
        """The near miss of ``party`` needing the smallest share of its threshold, if any."""
        best: NearMiss | None = None
        for m in self.near_misses:
            if m.party != party or m.threshold <= 0:
                continue
            if best is None or (m.missing / m.threshold, m.scheme) < (
                best.missing / best.threshold,
                best.scheme,
            ):
                best = m
        return best
