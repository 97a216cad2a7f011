"""Uplift of a scheme or campaign: difference-in-differences against a control group.

A scheme runs for a *treated* group of accounts; a *control* group, where no
programme runs, shows what would have happened anyway. Each account has one
measure (sales value, units...) in a *pre* period and in a *post* period. The
uplift is the treated group's change less the control group's change::

    estimate = (mean post − mean pre of treated) − (mean post − mean pre of control)

The *counterfactual* is what the treated group's post mean would have been
without the programme (its pre mean plus the control group's change); the
*relative* uplift is ``estimate / counterfactual``.

A percentile bootstrap gives the confidence interval: accounts are resampled
with replacement within each group by ``random.Random(seed)``, the estimate is
recomputed for each resample, and the interval is read off the sorted
estimates (linear interpolation between order statistics, the usual "type 7"
quantile). The same seed always gives the same interval.

Arithmetic is exact: measures are ``Decimal``; every mean, estimate and
bootstrap replicate is computed as an exact fraction (integer arithmetic, no
float anywhere) and only the reported figures are rounded, half-up, to
``places`` decimals.

Examples:
    >>> from decimal import Decimal as D
    >>> treated = {"R1": (D(100), D(130)), "R2": (D(200), D(250))}
    >>> control = {"R3": (D(100), D(110)), "R4": (D(300), D(310))}
    >>> result = uplift(treated, control, n_resamples=200, seed=1, places=2)
    >>> result.treated.change, result.control.change, result.estimate
    (Decimal('40.00'), Decimal('10.00'), Decimal('30.00'))
    >>> result.counterfactual, result.relative
    (Decimal('160.00'), Decimal('0.1875'))
    >>> result.ci_low <= result.estimate <= result.ci_high
    True
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Literal, TypeAlias, TypeVar

import attrs

from distcrm.documents import Document, DocumentKind, Level
from distcrm.errors import MoneyError, SchemeError
from distcrm.findings import Trace
from distcrm.money import to_decimal
from distcrm.periods import Period, Validity

__all__ = [
    "DEFAULT_PLACES",
    "DEFAULT_RESAMPLES",
    "GroupSummary",
    "Measure",
    "UpliftError",
    "UpliftResult",
    "account_measures",
    "uplift",
    "uplift_from_documents",
]

DEFAULT_RESAMPLES = 2000
"""Bootstrap resamples drawn when ``n_resamples`` is not given."""

DEFAULT_PLACES = 4
"""Decimal places of reported figures when ``places`` is not given."""

Measure: TypeAlias = Literal["net_value", "gross_value", "units"]
"""What :func:`account_measures` adds up per account: taxable value (gross less
discounts), gross value (``unit_price × qty``) or base units (free goods excluded)."""

_MEASURES: tuple[Measure, ...] = ("net_value", "gross_value", "units")

K = TypeVar("K", bound=str)

Number: TypeAlias = Decimal | int | str


class UpliftError(SchemeError):
    """An uplift measurement was asked for with invalid inputs."""


@attrs.frozen
class GroupSummary:
    """One group's figures (means rounded to the result's ``places``).

    Attributes:
        name: ``"treated"`` or ``"control"``.
        size: number of accounts.
        mean_pre: mean measure in the pre period.
        mean_post: mean measure in the post period.
        change: ``mean_post − mean_pre`` (computed exactly, then rounded).
    """

    name: str
    size: int
    mean_pre: Decimal
    mean_post: Decimal
    change: Decimal


@attrs.frozen
class UpliftResult:
    """A difference-in-differences estimate with its bootstrap confidence interval.

    Attributes:
        estimate: treated change less control change.
        counterfactual: the treated post mean expected without the programme
            (treated pre mean + control change).
        relative: ``estimate / counterfactual`` as a fraction (``0.1875`` is
            18.75 %), rounded to ``places + 2`` decimals so that as a percentage
            it is as precise as the amounts; ``None`` when the counterfactual is zero.
        ci_low: lower bound of the percentile bootstrap interval.
        ci_high: upper bound of the percentile bootstrap interval.
        confidence: the interval's confidence level, e.g. ``Decimal('0.95')``.
        treated: the treated group's figures.
        control: the control group's figures.
        n_resamples: bootstrap resamples drawn.
        seed: the seed of the ``random.Random`` that drew them.
        places: decimal places the reported amounts are rounded to (half-up).
        trace: how the figures were obtained.
    """

    estimate: Decimal
    counterfactual: Decimal
    relative: Decimal | None
    ci_low: Decimal
    ci_high: Decimal
    confidence: Decimal
    treated: GroupSummary
    control: GroupSummary
    n_resamples: int
    seed: int
    places: int
    trace: Trace

    @property
    def significant(self) -> bool:
        """True when the confidence interval excludes zero."""
        return self.ci_low > 0 or self.ci_high < 0


def _round(value: Fraction, places: int) -> Decimal:
    """Round an exact fraction half-up (ties away from zero) to ``places`` decimals."""
    scaled = value * 10**places
    sign = -1 if scaled < 0 else 1
    whole, rest = divmod(abs(scaled.numerator), scaled.denominator)
    if 2 * rest >= scaled.denominator:
        whole += 1
    return Decimal(f"{sign * whole}E-{places}")


def _check_confidence(confidence: Decimal | str | float) -> Decimal:
    where = "uplift.confidence"
    if isinstance(confidence, float):
        value = Decimal(repr(confidence))
    else:
        try:
            value = to_decimal(confidence, what=where)
        except MoneyError as exc:
            raise UpliftError(str(exc)) from None
    if not Decimal(0) < value < Decimal(1):
        raise UpliftError(f"{where}: must be strictly between 0 and 1, got {value}")
    return value


def _check_int(value: object, where: str, minimum: int) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < minimum:
        raise UpliftError(f"{where}: must be an int >= {minimum}, got {value!r}")
    return value


def _pairs(
    group: Mapping[K, tuple[Number, Number]], name: str
) -> list[tuple[Decimal, Decimal]]:
    if not isinstance(group, Mapping):
        raise UpliftError(
            f"uplift.{name}: expected a mapping of account to (pre, post), "
            f"got {type(group).__name__}"
        )
    if not group:
        raise UpliftError(f"uplift.{name}: the group is empty; at least one account is needed")
    pairs: list[tuple[Decimal, Decimal]] = []
    for account, value in group.items():
        where = f"uplift.{name}[{account!r}]"
        if not isinstance(value, tuple | list) or len(value) != 2:
            raise UpliftError(f"{where}: expected a (pre, post) pair, got {value!r}")
        try:
            pre = to_decimal(value[0], what=f"{where}.pre")
            post = to_decimal(value[1], what=f"{where}.post")
        except MoneyError as exc:
            raise UpliftError(str(exc)) from None
        pairs.append((pre, post))
    return pairs


def _scale(values: Iterable[Decimal]) -> int:
    """The power of ten that turns every value into an integer."""
    places = 0
    for v in values:
        exponent = v.as_tuple().exponent
        if isinstance(exponent, int) and -exponent > places:
            places = -exponent
    return places


def _quantile(ordered: Sequence[int], p: Fraction) -> Fraction:
    """Type-7 quantile (linear interpolation between order statistics)."""
    h = (len(ordered) - 1) * p
    lo = int(h)  # h >= 0, so int() is floor
    if lo + 1 >= len(ordered):
        return Fraction(ordered[-1])
    return ordered[lo] + (h - lo) * (ordered[lo + 1] - ordered[lo])


def uplift(
    treated: Mapping[K, tuple[Number, Number]],
    control: Mapping[K, tuple[Number, Number]],
    *,
    n_resamples: int = DEFAULT_RESAMPLES,
    confidence: Decimal | str | float = Decimal("0.95"),
    seed: int = 0,
    places: int = DEFAULT_PLACES,
) -> UpliftResult:
    """Difference-in-differences uplift of ``treated`` against ``control``.

    Args:
        treated: per account of the treated group, its ``(pre, post)`` measures.
        control: the same for the control group; no account may be in both.
        n_resamples: bootstrap resamples (>= 1).
        confidence: confidence level of the interval, strictly between 0 and 1.
        seed: seed of the ``random.Random`` drawing the resamples.
        places: decimal places of the reported figures (>= 0).

    Returns:
        The estimate, each group's means, the relative uplift and the interval.

    Raises:
        UpliftError: an empty group, an account in both groups (named), a
            measure that is not an exact number (floats are refused), a
            confidence outside (0, 1), a bad ``n_resamples``, ``seed`` or ``places``.

    Examples:
        >>> from decimal import Decimal as D
        >>> uplift({"R1": (D(10), D(20))}, {"R1": (D(10), D(12))})
        Traceback (most recent call last):
        ...
        distcrm.schemes.uplift.UpliftError: uplift.control: account 'R1' is also in the treated group
    """
    level = _check_confidence(confidence)
    _check_int(n_resamples, "uplift.n_resamples", 1)
    _check_int(seed, "uplift.seed", 0)
    _check_int(places, "uplift.places", 0)
    t_pairs = _pairs(treated, "treated")
    c_pairs = _pairs(control, "control")
    both = sorted(set(treated) & set(control))
    if both:
        noun = "account" if len(both) == 1 else "accounts"
        verb = "is" if len(both) == 1 else "are"
        names = ", ".join(repr(str(a)) for a in both)
        raise UpliftError(f"uplift.control: {noun} {names} {verb} also in the treated group")

    k = _scale(v for pair in (*t_pairs, *c_pairs) for v in pair)
    unit = 10**k

    def ints(pairs: list[tuple[Decimal, Decimal]]) -> tuple[list[int], list[int]]:
        pre = [int(Fraction(a) * unit) for a, _ in pairs]
        post = [int(Fraction(b) * unit) for _, b in pairs]
        return pre, post

    t_pre, t_post = ints(t_pairs)
    c_pre, c_post = ints(c_pairs)
    nt, nc = len(t_pairs), len(c_pairs)

    def mean(values: list[int], n: int) -> Fraction:
        return Fraction(sum(values), n * unit)

    t_mean_pre, t_mean_post = mean(t_pre, nt), mean(t_post, nt)
    c_mean_pre, c_mean_post = mean(c_pre, nc), mean(c_post, nc)
    t_change = t_mean_post - t_mean_pre
    c_change = c_mean_post - c_mean_pre
    estimate = t_change - c_change
    counterfactual = t_mean_pre + c_change
    relative = None if counterfactual == 0 else estimate / counterfactual

    # Bootstrap: the DiD estimate equals mean(treated diffs) − mean(control diffs)
    # where diff = post − pre per account. A replicate scaled by nt·nc·unit is
    # an integer, so sorting and interpolating stay exact.
    t_diff = [b - a for a, b in zip(t_pre, t_post, strict=True)]
    c_diff = [b - a for a, b in zip(c_pre, c_post, strict=True)]
    rng = random.Random(seed)
    replicates = sorted(
        sum(rng.choices(t_diff, k=nt)) * nc - sum(rng.choices(c_diff, k=nc)) * nt
        for _ in range(n_resamples)
    )
    tail = (1 - Fraction(level)) / 2
    denominator = nt * nc * unit
    ci_low = _quantile(replicates, tail) / denominator
    ci_high = _quantile(replicates, 1 - tail) / denominator

    def summary(name: str, pre: Fraction, post: Fraction, n: int) -> GroupSummary:
        return GroupSummary(name, n, _round(pre, places), _round(post, places),
                            _round(post - pre, places))

    t_sum = summary("treated", t_mean_pre, t_mean_post, nt)
    c_sum = summary("control", c_mean_pre, c_mean_post, nc)
    r_estimate = _round(estimate, places)
    r_relative = None if relative is None else _round(relative, places + 2)
    trace = (
        Trace.of("uplift: difference in differences, treated vs control")
        .add("treated group", "considered",
             f"{nt} accounts, mean {t_sum.mean_pre} -> {t_sum.mean_post}, change {t_sum.change}")
        .add("control group", "considered",
             f"{nc} accounts, mean {c_sum.mean_pre} -> {c_sum.mean_post}, change {c_sum.change}")
        .add("estimate", "applied", f"{t_sum.change} - {c_sum.change} = {r_estimate}")
        .add("relative uplift", "applied" if relative is not None else "skipped",
             f"{r_estimate} / counterfactual {_round(counterfactual, places)} = {r_relative}"
             if relative is not None else "counterfactual treated mean is zero")
        .add("bootstrap interval", "applied",
             f"{n_resamples} resamples, seed {seed}, {level} percentile interval")
    )
    return UpliftResult(
        estimate=r_estimate,
        counterfactual=_round(counterfactual, places),
        relative=r_relative,
        ci_low=_round(ci_low, places),
        ci_high=_round(ci_high, places),
        confidence=level,
        treated=t_sum,
        control=c_sum,
        n_resamples=n_resamples,
        seed=seed,
        places=places,
        trace=trace,
    )


def _window(value: Validity | Period, name: str) -> Validity:
    if isinstance(value, Period):
        return value.validity
    if isinstance(value, Validity):
        if value.end is None:
            raise UpliftError(f"uplift.{name}: the period must have an end, got {value}")
        return value
    raise UpliftError(f"uplift.{name}: expected a Validity or Period, got {type(value).__name__}")


def account_measures(
    documents: Iterable[Document],
    accounts: Iterable[str],
    *,
    pre: Validity | Period,
    post: Validity | Period,
    measure: Measure = "net_value",
    role: Literal["buyer", "seller"] = "buyer",
    level: Level | None = None,
    kinds: Iterable[DocumentKind] = ("invoice", "return"),
    skus: Iterable[str] | None = None,
) -> dict[str, tuple[Decimal, Decimal]]:
    """Each account's ``(pre, post)`` measure computed from documents.

    A document counts for the account in its ``role`` (``buyer``: purchases of
    a retailer or distributor; ``seller``: a distributor's sales) when its
    kind is in ``kinds``, its level matches ``level`` (any when ``None``) and
    its date falls in ``pre`` or ``post``. Returns and credit notes count
    negative (:attr:`Document.sign`). Accounts without documents get zero, so
    every account of the group is present.

    Args:
        documents: the history.
        accounts: the group's account ids.
        pre: the period before the programme, half-open.
        post: the period under the programme, half-open; must not overlap ``pre``.
        measure: ``net_value`` (taxable value), ``gross_value`` or ``units``.
        role: which side of a document the accounts are on.
        level: ``primary``, ``secondary`` or ``None`` for both.
        kinds: document kinds that count.
        skus: only lines of these SKUs count (all when ``None``).

    Raises:
        UpliftError: overlapping or open periods, an unknown measure, or value
            measures over documents in more than one currency.

    Examples:
        >>> from datetime import date
        >>> from distcrm.documents import Document, Line
        >>> from distcrm.money import Money
        >>> inv = Document("I1", "invoice", "secondary", "D1", "R1", date(2025, 5, 2), "INR",
        ...                (Line("S1", 10, Money.of("5.00", "INR")),))
        >>> ret = Document("C1", "return", "secondary", "D1", "R1", date(2025, 5, 9), "INR",
        ...                (Line("S1", 2, Money.of("5.00", "INR")),))
        >>> account_measures([inv, ret], ["R1", "R2"],
        ...                  pre=Period.containing(date(2025, 4, 1), "month"),
        ...                  post=Period.containing(date(2025, 5, 1), "month"))
        {'R1': (Decimal('0'), Decimal('40.00')), 'R2': (Decimal('0'), Decimal('0'))}
    """
    pre_w = _window(pre, "pre")
    post_w = _window(post, "post")
    if pre_w.overlaps(post_w):
        raise UpliftError(f"uplift.post: {post_w} overlaps the pre period {pre_w}")
    if measure not in _MEASURES:
        raise UpliftError(f"uplift.measure: {measure!r} is not one of {', '.join(_MEASURES)}")
    if role not in ("buyer", "seller"):
        raise UpliftError(f"uplift.role: {role!r} is not 'buyer' or 'seller'")
    wanted_kinds = frozenset(kinds)
    wanted_skus = None if skus is None else frozenset(skus)
    totals: dict[str, list[Decimal]] = {str(a): [Decimal(0), Decimal(0)] for a in accounts}
    currency: tuple[str, str] | None = None
    for doc in documents:
        account = doc.buyer if role == "buyer" else doc.seller
        slot = totals.get(account)
        if slot is None or doc.kind not in wanted_kinds:
            continue
        if level is not None and doc.level != level:
            continue
        if pre_w.contains(doc.issued_on):
            index = 0
        elif post_w.contains(doc.issued_on):
            index = 1
        else:
            continue
        if measure != "units":
            if currency is None:
                currency = (doc.currency, doc.id)
            elif doc.currency != currency[0]:
                raise UpliftError(
                    f"document {doc.id!r}.currency: {doc.currency} differs from "
                    f"{currency[0]} of document {currency[1]!r}; measure one currency at a time"
                )
        amount = Decimal(0)
        for line in doc.lines:
            if wanted_skus is not None and line.sku not in wanted_skus:
                continue
            if measure == "units":
                amount += line.qty
            elif measure == "gross_value":
                amount += line.gross.amount
            else:
                amount += line.taxable.amount
        slot[index] += doc.sign * amount
    return {a: (v[0], v[1]) for a, v in totals.items()}


def uplift_from_documents(
    documents: Iterable[Document],
    *,
    treated: Iterable[str],
    control: Iterable[str],
    pre: Validity | Period,
    post: Validity | Period,
    measure: Measure = "net_value",
    role: Literal["buyer", "seller"] = "buyer",
    level: Level | None = None,
    kinds: Iterable[DocumentKind] = ("invoice", "return"),
    skus: Iterable[str] | None = None,
    n_resamples: int = DEFAULT_RESAMPLES,
    confidence: Decimal | str | float = Decimal("0.95"),
    seed: int = 0,
    places: int = DEFAULT_PLACES,
) -> UpliftResult:
    """:func:`uplift` over measures taken from documents by :func:`account_measures`.

    The documents are read once for both groups. See :func:`account_measures`
    for the arguments that select documents and :func:`uplift` for the rest.

    Examples:
        >>> from datetime import date
        >>> from distcrm.documents import Document, Line
        >>> from distcrm.money import Money
        >>> def sale(n, buyer, day, qty):
        ...     return Document(n, "invoice", "secondary", "D1", buyer, day, "INR",
        ...                     (Line("S1", qty, Money.of("1.00", "INR")),))
        >>> docs = [sale("I1", "R1", date(2025, 4, 5), 10), sale("I2", "R1", date(2025, 5, 5), 16),
        ...         sale("I3", "R2", date(2025, 4, 5), 10), sale("I4", "R2", date(2025, 5, 5), 11)]
        >>> r = uplift_from_documents(docs, treated=["R1"], control=["R2"], measure="units",
        ...                           pre=Period.containing(date(2025, 4, 1), "month"),
        ...                           post=Period.containing(date(2025, 5, 1), "month"),
        ...                           places=2, n_resamples=10)
        >>> r.estimate, r.counterfactual, r.relative
        (Decimal('5.00'), Decimal('11.00'), Decimal('0.4545'))
    """
    treated_ids = list(dict.fromkeys(str(a) for a in treated))
    control_ids = list(dict.fromkeys(str(a) for a in control))
    overlap = sorted(set(treated_ids) & set(control_ids))
    if overlap:
        noun = "account" if len(overlap) == 1 else "accounts"
        verb = "is" if len(overlap) == 1 else "are"
        names = ", ".join(repr(a) for a in overlap)
        raise UpliftError(f"uplift.control: {noun} {names} {verb} also in the treated group")
    measures = account_measures(
        documents, [*treated_ids, *control_ids], pre=pre, post=post, measure=measure,
        role=role, level=level, kinds=kinds, skus=skus,
    )
    return uplift(
        {a: measures[a] for a in treated_ids},
        {a: measures[a] for a in control_ids},
        n_resamples=n_resamples, confidence=confidence, seed=seed, places=places,
    )
