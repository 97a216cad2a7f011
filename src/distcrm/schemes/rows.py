"""Plain rows: scheme results as lists of dicts, for pandas, polars or a CSV writer.

Neither pandas nor polars is a dependency: every function here returns a
``list[dict[str, value]]`` with stable column names (listed in the ``*_COLUMNS``
constants, in order), one dict per row, so ``pandas.DataFrame(rows)`` or
``polars.DataFrame(rows)`` turns it into a frame.

Value conventions:

* money and other exact quantities stay ``Decimal`` (a :class:`~distcrm.money.Money`
  becomes its ``Decimal`` amount, with its currency in a ``currency`` column), so
  nothing is rounded or turned into a float on the way; convert in the frame
  library if you want floats (``df["cost"].astype(float)``);
* dates stay ``datetime.date``;
* counts are ``int``, flags ``bool``, ids and labels ``str``; a missing value
  is ``None``.

Examples:
    >>> from decimal import Decimal as D
    >>> from distcrm.schemes.uplift import uplift
    >>> r = uplift({"R1": (D(100), D(130)), "R2": (D(200), D(250))},
    ...            {"R3": (D(100), D(110)), "R4": (D(300), D(310))}, n_resamples=100, places=2)
    >>> row = uplift_rows({"June push": r})[0]
    >>> row["label"], row["estimate"], row["relative"], row["treated_size"]
    ('June push', Decimal('30.00'), Decimal('0.1875'), 2)
    >>> list(row) == list(UPLIFT_COLUMNS)
    True
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import TypeAlias

from distcrm.errors import SchemeError
from distcrm.money import Money, quantum
from distcrm.schemes.results import Entitlement, NearMiss, SchemeResult
from distcrm.schemes.uplift import UpliftResult
from distcrm.schemes.whatif import Dimension, Simulation, SimulationTotals

__all__ = [
    "DIFF_MEASURES",
    "ENTITLEMENT_COLUMNS",
    "FREE_GOODS_COLUMNS",
    "NEAR_MISS_COLUMNS",
    "TOTALS_COLUMNS",
    "UPLIFT_COLUMNS",
    "Row",
    "RowValue",
    "diff_rows",
    "entitlement_rows",
    "free_goods_rows",
    "near_miss_rows",
    "simulation_rows",
    "to_rows",
    "uplift_rows",
]

RowValue: TypeAlias = str | int | bool | Decimal | date | None
"""A value in a row: ``str``, ``int``, ``bool``, ``Decimal``, ``date`` or ``None``."""

Row: TypeAlias = dict[str, RowValue]
"""One row: column name to value."""

ENTITLEMENT_COLUMNS: tuple[str, ...] = (
    "scheme", "party", "window_kind", "window_label", "window_start", "window_end",
    "applied", "measure", "volume", "slab", "slab_min", "benefit", "lines", "free_units",
    "free_value", "discount", "value", "cut", "settled", "adjustment", "settlement", "currency",
)
"""Columns of :func:`entitlement_rows` (``trace`` is appended when asked for)."""

FREE_GOODS_COLUMNS: tuple[str, ...] = (
    "scheme", "party", "window_label", "window_start", "sku", "units", "value", "currency",
)
"""Columns of :func:`free_goods_rows`."""

NEAR_MISS_COLUMNS: tuple[str, ...] = (
    "scheme", "party", "window_label", "window_start", "measure", "volume", "threshold",
    "missing", "slab", "group", "message",
)
"""Columns of :func:`near_miss_rows`."""

TOTALS_COLUMNS: tuple[str, ...] = (
    "cost", "discount", "free_value", "free_units", "unpriced_free_units", "entitlements",
)
"""The figures of a :class:`~distcrm.schemes.whatif.SimulationTotals`, in column order."""

DIFF_MEASURES = TOTALS_COLUMNS
"""Figures compared by :func:`diff_rows`: each gives ``baseline_*``, ``variant_*``, ``delta_*``."""

UPLIFT_COLUMNS: tuple[str, ...] = (
    "label", "estimate", "ci_low", "ci_high", "confidence", "significant", "relative",
    "counterfactual", "treated_size", "treated_mean_pre", "treated_mean_post", "treated_change",
    "control_size", "control_mean_pre", "control_mean_post", "control_change",
    "n_resamples", "seed",
)
"""Columns of :func:`uplift_rows`."""


def _amount(m: Money | None) -> Decimal | None:
    return None if m is None else m.amount


def _entitlements(source: SchemeResult | Iterable[Entitlement],
                  considered: bool) -> Iterable[Entitlement]:
    if isinstance(source, SchemeResult):
        return source.considered if considered else source.entitlements
    return source


def entitlement_rows(
    source: SchemeResult | Iterable[Entitlement],
    *,
    considered: bool = False,
    trace: bool = False,
) -> list[Row]:
    """One row per entitlement.

    Args:
        source: an evaluation result, or entitlements.
        considered: with a result, every measured (scheme, party, window),
            applied or not, instead of the applied entitlements only.
        trace: add a ``trace`` column holding the rendered trace text.

    Examples:
        >>> from datetime import date
        >>> from distcrm.money import Money
        >>> from distcrm.schemes.results import Window
        >>> m = Money.of("240.00", "INR")
        >>> e = Entitlement(scheme="S2", party="R1",
        ...                 window=Window("month", date(2025, 6, 1), date(2025, 7, 1), "2025-06"),
        ...                 applied=True, measure="net_value", volume=Decimal("12000.00"), slab=1,
        ...                 lines=(), free=(), discount=m, value=m, cut=Money.zero("INR"),
        ...                 settlement="off_invoice")
        >>> row = entitlement_rows([e])[0]
        >>> row["scheme"], row["window_start"], row["value"], row["currency"], row["settled"]
        ('S2', datetime.date(2025, 6, 1), Decimal('240.00'), 'INR', None)
    """
    rows: list[Row] = []
    for e in _entitlements(source, considered):
        free_value = quantum(e.value.currency) * 0
        for f in e.free:
            if f.value is not None:
                free_value += f.value.amount
        row: Row = {
            "scheme": e.scheme,
            "party": str(e.party),
            "window_kind": e.window.kind,
            "window_label": e.window.label,
            "window_start": e.window.start,
            "window_end": e.window.end,
            "applied": e.applied,
            "measure": e.measure,
            "volume": e.volume,
            "slab": e.slab,
            "slab_min": e.slab_min,
            "benefit": e.benefit_label or None,
            "lines": len(e.lines),
            "free_units": e.free_units,
            "free_value": free_value,
            "discount": e.discount.amount,
            "value": e.value.amount,
            "cut": e.cut.amount,
            "settled": _amount(e.settled),
            "adjustment": _amount(e.adjustment),
            "settlement": e.settlement,
            "currency": e.value.currency,
        }
        if trace:
            row["trace"] = e.trace.render()
        rows.append(row)
    return rows


def free_goods_rows(
    source: SchemeResult | Iterable[Entitlement], *, considered: bool = False
) -> list[Row]:
    """One row per entitlement and free SKU: what goes out of the godown for free.

    ``value`` is ``None`` for free goods without a price.
    """
    rows: list[Row] = []
    for e in _entitlements(source, considered):
        for f in e.free:
            rows.append({
                "scheme": e.scheme,
                "party": str(e.party),
                "window_label": e.window.label,
                "window_start": e.window.start,
                "sku": str(f.sku),
                "units": f.units,
                "value": _amount(f.value),
                "currency": e.value.currency,
            })
    return rows


def near_miss_rows(source: SchemeResult | Iterable[NearMiss]) -> list[Row]:
    """One row per near miss (the next threshold a party can reach)."""
    misses = source.near_misses if isinstance(source, SchemeResult) else source
    return [
        {
            "scheme": m.scheme,
            "party": str(m.party),
            "window_label": m.window.label,
            "window_start": m.window.start,
            "measure": m.measure,
            "volume": m.volume,
            "threshold": m.threshold,
            "missing": m.missing,
            "slab": m.slab,
            "group": m.group,
            "message": m.message,
        }
        for m in misses
    ]


def _totals(t: SimulationTotals, prefix: str = "") -> Row:
    return {
        f"{prefix}cost": t.cost.amount,
        f"{prefix}discount": t.discount.amount,
        f"{prefix}free_value": t.free_value.amount,
        f"{prefix}free_units": t.free_units,
        f"{prefix}unpriced_free_units": t.unpriced_free_units,
        f"{prefix}entitlements": t.entitlements,
    }


def simulation_rows(
    simulation: Simulation, *, by: Sequence[Dimension] | None = None
) -> list[Row]:
    """One row per variant and cell of a what-if simulation.

    Columns: ``variant``, one column per dimension of ``by`` (the simulation's
    own dimensions unless a subset is given, see
    :meth:`~distcrm.schemes.whatif.Simulation.rollup`), then
    :data:`TOTALS_COLUMNS` and ``currency``.

    Examples:
        >>> from distcrm.findings import Trace
        >>> from distcrm.schemes.whatif import summarize
        >>> empty = SchemeResult((), (), (), Trace.of("r"))
        >>> simulation_rows(summarize({"now": empty}, by=("scheme",)), by=())
        [{'variant': 'now', 'cost': Decimal('0.00'), 'discount': Decimal('0.00'), 'free_value': Decimal('0.00'), 'free_units': 0, 'unpriced_free_units': 0, 'entitlements': 0, 'currency': 'INR'}]
    """
    dims = simulation.by if by is None else tuple(by)
    cells = simulation.cells if by is None else simulation.rollup(dims)
    rows: list[Row] = []
    for cell in cells:
        row: Row = {"variant": cell.variant}
        row.update(zip(dims, cell.key, strict=True))
        row.update(_totals(cell.totals))
        row["currency"] = simulation.currency
        rows.append(row)
    return rows


def diff_rows(
    simulation: Simulation,
    variant: str | None = None,
    *,
    by: Sequence[Dimension] | None = None,
) -> list[Row]:
    """Each variant against the baseline, one row per cell.

    Columns: ``variant``, ``baseline``, one column per dimension, then for each
    figure of :data:`DIFF_MEASURES` the three columns ``baseline_<figure>``,
    ``variant_<figure>`` and ``delta_<figure>`` (variant − baseline), and
    ``currency``.

    Args:
        simulation: the what-if result.
        variant: one variant only (default: every variant but the baseline).
        by: a subset of the simulation's dimensions to re-aggregate to first.
    """
    names = [variant] if variant is not None else [
        v for v in simulation.variants if v != simulation.baseline
    ]
    dims = simulation.by if by is None else tuple(by)
    rows: list[Row] = []
    for name in names:
        for d in simulation.diff(name, by=dims):
            row: Row = {"variant": d.variant, "baseline": d.baseline}
            row.update(zip(dims, d.key, strict=True))
            base, other, delta = _totals(d.base), _totals(d.other), _totals(d.delta)
            for figure in DIFF_MEASURES:
                row[f"baseline_{figure}"] = base[figure]
                row[f"variant_{figure}"] = other[figure]
                row[f"delta_{figure}"] = delta[figure]
            row["currency"] = simulation.currency
            rows.append(row)
    return rows


def uplift_rows(results: UpliftResult | Mapping[str, UpliftResult]) -> list[Row]:
    """One row per uplift result; a mapping's keys fill the ``label`` column.

    A single result gets ``label`` ``None``. Columns: :data:`UPLIFT_COLUMNS`.
    """
    items: Iterable[tuple[str | None, UpliftResult]] = (
        [(None, results)] if isinstance(results, UpliftResult) else results.items()
    )
    rows: list[Row] = []
    for label, r in items:
        rows.append({
            "label": label,
            "estimate": r.estimate,
            "ci_low": r.ci_low,
            "ci_high": r.ci_high,
            "confidence": r.confidence,
            "significant": r.significant,
            "relative": r.relative,
            "counterfactual": r.counterfactual,
            "treated_size": r.treated.size,
            "treated_mean_pre": r.treated.mean_pre,
            "treated_mean_post": r.treated.mean_post,
            "treated_change": r.treated.change,
            "control_size": r.control.size,
            "control_mean_pre": r.control.mean_pre,
            "control_mean_post": r.control.mean_post,
            "control_change": r.control.change,
            "n_resamples": r.n_resamples,
            "seed": r.seed,
        })
    return rows


def to_rows(obj: SchemeResult | Simulation | UpliftResult | Mapping[str, UpliftResult]) -> list[Row]:
    """The default rows of any scheme result: one call for a notebook cell.

    An evaluation gives :func:`entitlement_rows`, a simulation
    :func:`simulation_rows`, an uplift result (or a mapping of labelled ones)
    :func:`uplift_rows`.

    Examples:
        >>> from distcrm.findings import Trace
        >>> to_rows(SchemeResult((), (), (), Trace.of("nothing")))
        []
        >>> to_rows(object())
        Traceback (most recent call last):
        ...
        distcrm.errors.SchemeError: to_rows: no rows for object; expected a SchemeResult, Simulation or UpliftResult
    """
    if isinstance(obj, SchemeResult):
        return entitlement_rows(obj)
    if isinstance(obj, Simulation):
        return simulation_rows(obj)
    if isinstance(obj, UpliftResult) or (
        isinstance(obj, Mapping) and all(isinstance(v, UpliftResult) for v in obj.values())
    ):
        return uplift_rows(obj)
    raise SchemeError(
        f"to_rows: no rows for {type(obj).__name__}; "
        "expected a SchemeResult, Simulation or UpliftResult"
    )
