"""India's GST as a :class:`~distcrm.pricing.tax.TaxPolicy`.

The supplier's state and the place of supply decide the components: the same
state gives CGST + SGST (half the rate each), or CGST + UTGST in a union
territory without a legislature; different states give IGST at the full rate.
Rates come from an :class:`HsnRateTable` (longest matching HSN prefix, with
validity), so rates that changed on 2025-09-22 are applied by date. A small
sample table ships as data (:func:`sample_hsn_rates`); users supply their own
with :func:`load_hsn_rates` or by building :class:`HsnRate` records.

Examples:
    >>> from datetime import date
    >>> gst = GstPolicy(sample_hsn_rates())
    >>> inr = Money.of("100.00", "INR")
    >>> def show(r):
    ...     return [(c.name, str(c.rate), str(c.amount)) for c in r.components]
    >>> show(gst.tax(inr, hsn="19053100", on=date(2025, 9, 21), supply=Supply("27", "27")))
    [('CGST', '9', '9.00 INR'), ('SGST', '9', '9.00 INR')]
    >>> show(gst.tax(inr, hsn="19053100", on=date(2025, 9, 22), supply=Supply("27", "29")))
    [('IGST', '5', '5.00 INR')]
    >>> show(gst.tax(inr, hsn="1905", on=date(2025, 9, 22), supply=Supply("04", "04")))
    [('CGST', '2.5', '2.50 INR'), ('UTGST', '2.5', '2.50 INR')]
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from importlib import resources
from typing import Literal, TypeAlias

import attrs

from distcrm.errors import Problem
from distcrm.money import Money, to_decimal
from distcrm.parties import INDIAN_STATES
from distcrm.periods import Validity
from distcrm.pricing.errors import TaxError
from distcrm.pricing.tax import (
    ComponentRounding,
    Supply,
    TaxResult,
    compute_components,
    included_components,
)

__all__ = [
    "UNION_TERRITORIES_WITHOUT_LEGISLATURE",
    "GstPolicy",
    "HsnRate",
    "HsnRateTable",
    "SupplyKind",
    "load_hsn_rates",
    "sample_hsn_rates",
    "supply_kind",
]

UNION_TERRITORIES_WITHOUT_LEGISLATURE: frozenset[str] = frozenset(
    {"35", "04", "26", "25", "31", "38"})
"""State codes charged UTGST instead of SGST: Andaman and Nicobar (35), Chandigarh (04),
Dadra and Nagar Haveli and Daman and Diu (26, legacy 25), Lakshadweep (31), Ladakh (38).
Delhi (07), Puducherry (34) and Jammu and Kashmir (01) have legislatures: SGST."""

SupplyKind: TypeAlias = Literal["intra_state", "intra_union_territory", "inter_state"]


def supply_kind(supply: Supply) -> SupplyKind:
    """Intra-state, intra-union-territory (UTGST) or inter-state, from the two state codes.

    Examples:
        >>> supply_kind(Supply("07", "07")), supply_kind(Supply("38", "38"))
        ('intra_state', 'intra_union_territory')
        >>> supply_kind(Supply("27", None))
        Traceback (most recent call last):
        ...
        distcrm.pricing.errors.TaxError: supply.place_of_supply: unknown; give the buyer's GSTIN, state code or the ship-to state
    """
    for field in ("supplier_state", "place_of_supply"):
        code = getattr(supply, field)
        if code is None:
            raise TaxError(f"supply.{field}: unknown; give the buyer's GSTIN, state code or the "
                           "ship-to state" if field == "place_of_supply" else
                           f"supply.{field}: unknown; give the seller's GSTIN or state code")
        if code not in INDIAN_STATES:
            raise TaxError(f"supply.{field}: {code!r} is not a GST state code")
    if supply.supplier_state != supply.place_of_supply:
        return "inter_state"
    if supply.place_of_supply in UNION_TERRITORIES_WITHOUT_LEGISLATURE:
        return "intra_union_territory"
    return "intra_state"


def _hsn(value: object) -> str:
    return str(value).strip()


def _rate(value: object) -> Decimal:
    return to_decimal(value, what="rate")


@attrs.frozen
class HsnRate:
    """The GST rate (percent) of goods whose HSN starts with ``hsn``, during ``validity``."""

    hsn: str = attrs.field(converter=_hsn)
    rate: Decimal = attrs.field(converter=_rate)
    validity: Validity = attrs.field(factory=Validity.always)
    description: str = ""


def _rates(values: Iterable[HsnRate]) -> tuple[HsnRate, ...]:
    return tuple(values)


@attrs.frozen
class HsnRateTable:
    """GST rates by HSN prefix with validity; the longest prefix valid on the day wins.

    Examples:
        >>> from datetime import date
        >>> table = HsnRateTable((HsnRate("19", "12"), HsnRate("1905", "5")), name="mine")
        >>> table.rate("19053100", date(2025, 1, 1)).rate, table.rate("1902", date(2025, 1, 1)).rate
        (Decimal('5'), Decimal('12'))
        >>> table.rate("3401", date(2025, 1, 1))
        Traceback (most recent call last):
        ...
        distcrm.pricing.errors.TaxError: HSN rate table 'mine': no rate for HSN '3401' on 2025-01-01
    """

    rates: tuple[HsnRate, ...] = attrs.field(converter=_rates)
    name: str = "custom"
    _by_hsn: dict[str, tuple[HsnRate, ...]] = attrs.field(init=False, eq=False, repr=False,
                                                        hash=False)

    def __attrs_post_init__(self) -> None:
        problems: list[Problem] = []
        seen: dict[str, list[tuple[int, Validity]]] = {}
        for i, r in enumerate(self.rates):
            path = f"HSN rate table {self.name!r}.rates[{i}]"
            if not (r.hsn.isdigit() and len(r.hsn) in (2, 4, 6, 8)):
                problems.append(Problem(f"{path}.hsn", f"{r.hsn!r} must be 2, 4, 6 or 8 digits"))
            if r.rate < 0 or r.rate > 100:
                problems.append(Problem(f"{path}.rate", f"must be between 0 and 100, got {r.rate}"))
            for j, v in seen.get(r.hsn, []):
                if v.overlaps(r.validity):
                    problems.append(Problem(f"{path}.validity",
                                            f"overlaps rates[{j}] for the same HSN {r.hsn!r}"))
            seen.setdefault(r.hsn, []).append((i, r.validity))
        if problems:
            raise TaxError(problems)
        by: dict[str, list[HsnRate]] = {}
        for r in self.rates:
            by.setdefault(r.hsn, []).append(r)
        object.__setattr__(self, "_by_hsn", {k: tuple(v) for k, v in by.items()})

    def rate(self, hsn: str, on: date) -> HsnRate:
        """The rate record for ``hsn`` on ``on`` (longest matching prefix)."""
        by = self._by_hsn
        for n in (8, 6, 4, 2):
            if len(hsn) < n:
                continue
            for r in by.get(hsn[:n], ()):
                if r.validity.contains(on):
                    return r
        raise TaxError(f"HSN rate table {self.name!r}: no rate for HSN {hsn!r} on {on}")

    def boundaries(self) -> tuple[date, ...]:
        """Every date on which some rate starts or ends, sorted."""
        days = {r.validity.start for r in self.rates}
        days |= {r.validity.end for r in self.rates if r.validity.end is not None}
        return tuple(sorted(days))


def load_hsn_rates(text: str, *, name: str = "custom") -> HsnRateTable:
    """Read a rate table from CSV text with columns ``hsn,rate,start,end,description``.

    Lines starting with ``#`` are comments; an empty ``end`` is open-ended.

    Examples:
        >>> t = load_hsn_rates("hsn,rate,start,end,description\\n1905,5,2025-09-22,,Biscuits\\n")
        >>> t.rates[0].validity.start, t.rates[0].rate
        (datetime.date(2025, 9, 22), Decimal('5'))
    """
    lines = [ln for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]
    rows: list[HsnRate] = []
    problems: list[Problem] = []
    for i, row in enumerate(csv.DictReader(io.StringIO("\n".join(lines)))):
        path = f"HSN rate table {name!r}.rates[{i}]"
        try:
            start = date.fromisoformat(row["start"]) if row.get("start") else date.min
            end = date.fromisoformat(row["end"]) if row.get("end") else None
            rows.append(HsnRate(row["hsn"], row["rate"], Validity(start, end),
                                row.get("description") or ""))
        except (KeyError, ValueError) as exc:
            problems.append(Problem(path, str(exc)))
    if problems:
        raise TaxError(problems)
    return HsnRateTable(tuple(rows), name=name)


def sample_hsn_rates() -> HsnRateTable:
    """The shipped *sample* table: a few HSN headings, with 2025-09-22 changes (not authoritative).

    Examples:
        >>> from datetime import date
        >>> t = sample_hsn_rates()
        >>> t.rate("1905", date(2025, 9, 21)).rate, t.rate("1905", date(2025, 9, 22)).rate
        (Decimal('18'), Decimal('5'))
    """
    text = resources.files("distcrm.pricing").joinpath("sample_hsn_rates.csv").read_text(
        encoding="utf-8")
    return load_hsn_rates(text, name="sample")


@attrs.frozen
class GstPolicy:
    """GST: CGST+SGST, CGST+UTGST or IGST by supply, at the HSN's rate on the day.

    Attributes:
        rates: the HSN rate table.
        rounding: ``"separate"`` (each component rounded half-up, the default) or
            ``"allocate"`` (total rounded once and split exactly).
    """

    rates: HsnRateTable
    rounding: ComponentRounding = "separate"
    _cache: dict[tuple[str, date, str | None, str | None], tuple[list[tuple[str, Decimal]], str]] = (
        attrs.field(init=False, factory=dict, eq=False, repr=False, hash=False))

    @property
    def name(self) -> str:
        """``"GST"``."""
        return "GST"

    def rate(self, hsn: str, on: date, supply: Supply) -> Decimal:
        """The total GST rate for ``hsn`` on ``on`` (the same for every kind of supply)."""
        return self.rates.rate(hsn, on).rate

    def _parts(self, hsn: str, on: date, supply: Supply) -> tuple[list[tuple[str, Decimal]], str]:
        key = (hsn, on, supply.supplier_state, supply.place_of_supply)
        found = self._cache.get(key)
        if found is None:
            found = self._cache[key] = self._find_parts(hsn, on, supply)
        return found

    def _find_parts(self, hsn: str, on: date,
                    supply: Supply) -> tuple[list[tuple[str, Decimal]], str]:
        kind = supply_kind(supply)
        rec = self.rates.rate(hsn, on)
        half = rec.rate / 2
        if kind == "inter_state":
            parts = [("IGST", rec.rate)]
        elif kind == "intra_union_territory":
            parts = [("CGST", half), ("UTGST", half)]
        else:
            parts = [("CGST", half), ("SGST", half)]
        why = (f"{kind.replace('_', '-')} supply {supply.supplier_state} → "
               f"{supply.place_of_supply}; HSN {hsn} at {rec.rate} % (table "
               f"{self.rates.name!r}, heading {rec.hsn} {rec.validity})")
        return parts, why

    def tax(self, taxable: Money, *, hsn: str, on: date, supply: Supply) -> TaxResult:
        """GST on a tax-exclusive taxable value."""
        parts, why = self._parts(hsn, on, supply)
        return compute_components(taxable, parts, why, rounding=self.rounding)

    def tax_included(self, gross: Money, *, hsn: str, on: date, supply: Supply) -> TaxResult:
        """Back-calculate taxable value and GST components from a tax-inclusive amount."""
        parts, why = self._parts(hsn, on, supply)
        return included_components(gross, parts, why)
