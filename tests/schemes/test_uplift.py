"""Difference-in-differences uplift: hand-checked examples, invariants and errors."""

from __future__ import annotations

import doctest
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from distcrm.documents import Document, Line
from distcrm.money import Money
from distcrm.periods import Period, Validity
from distcrm.schemes.uplift import (
    UpliftError,
    account_measures,
    uplift,
    uplift_from_documents,
)

D = Decimal
APRIL = Period.containing(date(2025, 4, 1), "month")
MAY = Period.containing(date(2025, 5, 1), "month")


def _hand_groups() -> tuple[dict[str, tuple[Decimal, Decimal]], dict[str, tuple[Decimal, Decimal]]]:
    treated = {"R1": (D(100), D(130)), "R2": (D(200), D(250))}
    control = {"R3": (D(100), D(110)), "R4": (D(300), D(310))}
    return treated, control


def test_hand_computed_example() -> None:
    treated, control = _hand_groups()
    result = uplift(treated, control, seed=3)
    # treated: pre mean (100 + 200) / 2 = 150, post mean (130 + 250) / 2 = 190, change 40
    assert (result.treated.mean_pre, result.treated.mean_post) == (D("150"), D("190"))
    assert result.treated.change == D("40")
    assert result.treated.size == 2
    # control: pre mean (100 + 300) / 2 = 200, post mean (110 + 310) / 2 = 210, change 10
    assert (result.control.mean_pre, result.control.mean_post) == (D("200"), D("210"))
    assert result.control.change == D("10")
    # estimate 40 - 10 = 30; counterfactual 150 + 10 = 160; relative 30 / 160 = 0.1875
    assert result.estimate == D("30")
    assert result.counterfactual == D("160")
    assert result.relative == D("0.1875")
    # reported to the default 4 places
    assert result.estimate.as_tuple().exponent == -4
    # Bootstrap by hand: treated diffs {30, 50}, control diffs {10, 10}. A resampled
    # treated mean is 30 (p 1/4), 40 (p 1/2) or 50 (p 1/4); control is always 10, so a
    # replicate is 20, 30 or 40 and each extreme holds ~25 % of 2000 resamples: the
    # 2.5 % and 97.5 % percentiles are exactly 20 and 40.
    assert (result.ci_low, result.ci_high) == (D("20"), D("40"))
    assert result.confidence == D("0.95")
    assert result.significant
    assert "estimate" in result.trace.render()


def test_uneven_group_sizes_and_rounding() -> None:
    treated = {"A": (D("10.00"), D("12.00")), "B": (D("10.00"), D("11.00")),
               "C": (D("10.00"), D("11.00"))}
    control = {"X": (D("5"), D("5"))}
    result = uplift(treated, control, places=2, n_resamples=50)
    # treated change (2 + 1 + 1) / 3 = 1.3333.. -> 1.33; control change 0
    # counterfactual 10 + 0 = 10; relative 1.3333.. / 10 = 0.13333.. -> 0.1333 (places + 2)
    assert result.treated.change == D("1.33")
    assert result.estimate == D("1.33")
    assert result.relative == D("0.1333")
    assert result.relative.as_tuple().exponent == -4
    # every replicate lies between the smallest and largest treated mean diff (1 and 2)
    assert D(1) <= result.ci_low <= result.ci_high <= D(2)


def test_half_up_rounding_of_ties() -> None:
    # treated change (1 + 0) / 2 = 0.5 -> 1 at 0 places (half up); control change 0
    result = uplift({"A": (D(0), D(1)), "B": (D(0), D(0))}, {"C": (D(3), D(3))},
                    places=0, n_resamples=10)
    assert result.estimate == D("1")
    # negative ties round away from zero: -0.5 -> -1
    result = uplift({"A": (D(1), D(0)), "B": (D(0), D(0))}, {"C": (D(3), D(3))},
                    places=0, n_resamples=10)
    assert result.estimate == D("-1")


def test_relative_is_none_when_counterfactual_is_zero() -> None:
    # treated pre mean 0, control change 0: counterfactual 0
    result = uplift({"A": (D(0), D(5))}, {"B": (D(4), D(4))}, n_resamples=10)
    assert result.estimate == D(5)
    assert result.relative is None
    assert "counterfactual treated mean is zero" in result.trace.render()


def test_same_seed_same_interval_and_float_confidence() -> None:
    treated = {f"T{i}": (D(i), D(i * 2 + (i % 3))) for i in range(1, 30)}
    control = {f"C{i}": (D(i), D(i + (i % 4))) for i in range(1, 25)}
    a = uplift(treated, control, seed=11, n_resamples=300, confidence=0.9)
    b = uplift(treated, control, seed=11, n_resamples=300, confidence=D("0.9"))
    assert (a.ci_low, a.ci_high) == (b.ci_low, b.ci_high)
    assert a.confidence == D("0.9")
    wider = uplift(treated, control, seed=11, n_resamples=300, confidence="0.99")
    assert wider.ci_low <= a.ci_low
    assert a.ci_high <= wider.ci_high


# ---- properties -------------------------------------------------------------------------

amounts = st.decimals(min_value=0, max_value=10_000, places=2, allow_nan=False,
                      allow_infinity=False)
pairs = st.tuples(amounts, amounts)
# group sizes whose means terminate in decimals, so results at 8 places are exact
sizes = st.sampled_from([1, 2, 4, 5, 8])


@st.composite
def groups(draw: st.DrawFn) -> tuple[dict[str, tuple[Decimal, Decimal]],
                                     dict[str, tuple[Decimal, Decimal]]]:
    nt, nc = draw(sizes), draw(sizes)
    treated = {f"T{i}": draw(pairs) for i in range(nt)}
    control = {f"C{i}": draw(pairs) for i in range(nc)}
    return treated, control


@settings(max_examples=60, deadline=None)
@given(groups(), st.decimals(min_value=-500, max_value=500, places=2, allow_nan=False,
                             allow_infinity=False))
def test_common_post_shift_leaves_estimate_and_interval_unchanged(
    data: tuple[dict[str, tuple[Decimal, Decimal]], dict[str, tuple[Decimal, Decimal]]],
    c: Decimal,
) -> None:
    treated, control = data
    base = uplift(treated, control, n_resamples=50, seed=5, places=8)
    shifted = uplift({a: (p, q + c) for a, (p, q) in treated.items()},
                     {a: (p, q + c) for a, (p, q) in control.items()},
                     n_resamples=50, seed=5, places=8)
    assert shifted.estimate == base.estimate
    assert (shifted.ci_low, shifted.ci_high) == (base.ci_low, base.ci_high)


@settings(max_examples=60, deadline=None)
@given(groups(), st.decimals(min_value=-500, max_value=500, places=2, allow_nan=False,
                             allow_infinity=False))
def test_treated_only_shift_moves_estimate_by_exactly_k(
    data: tuple[dict[str, tuple[Decimal, Decimal]], dict[str, tuple[Decimal, Decimal]]],
    k: Decimal,
) -> None:
    treated, control = data
    base = uplift(treated, control, n_resamples=20, places=8)
    moved = uplift({a: (p, q + k) for a, (p, q) in treated.items()}, control,
                   n_resamples=20, places=8)
    assert moved.estimate == base.estimate + k
    assert moved.ci_low == base.ci_low + k
    assert moved.ci_high == base.ci_high + k


@st.composite
def symmetric_groups(draw: st.DrawFn) -> tuple[dict[str, tuple[Decimal, Decimal]],
                                               dict[str, tuple[Decimal, Decimal]]]:
    """Each group's post - pre differences are symmetric around a centre."""

    def group(prefix: str) -> dict[str, tuple[Decimal, Decimal]]:
        centre = draw(st.integers(-100, 100))
        offsets = draw(st.lists(st.integers(0, 50), min_size=1, max_size=6))
        out: dict[str, tuple[Decimal, Decimal]] = {}
        for i, x in enumerate(offsets):
            pre_a, pre_b = D(draw(st.integers(0, 1000))), D(draw(st.integers(0, 1000)))
            out[f"{prefix}{i}a"] = (pre_a, pre_a + centre + x)
            out[f"{prefix}{i}b"] = (pre_b, pre_b + centre - x)
        return out

    return group("T"), group("C")


@settings(max_examples=50, deadline=None)
@given(symmetric_groups(), st.integers(0, 2**32))
def test_interval_contains_estimate_for_symmetric_data(
    data: tuple[dict[str, tuple[Decimal, Decimal]], dict[str, tuple[Decimal, Decimal]]],
    seed: int,
) -> None:
    treated, control = data
    result = uplift(treated, control, n_resamples=200, seed=seed)
    assert result.ci_low <= result.estimate <= result.ci_high


@settings(max_examples=30, deadline=None)
@given(groups(), st.integers(0, 1000))
def test_same_seed_gives_same_result(
    data: tuple[dict[str, tuple[Decimal, Decimal]], dict[str, tuple[Decimal, Decimal]]],
    seed: int,
) -> None:
    treated, control = data
    assert uplift(treated, control, n_resamples=40, seed=seed) == uplift(
        treated, control, n_resamples=40, seed=seed
    )


# ---- errors -----------------------------------------------------------------------------


def test_empty_groups_are_refused() -> None:
    treated, control = _hand_groups()
    with pytest.raises(UpliftError, match=r"uplift\.treated: the group is empty"):
        uplift({}, control)
    with pytest.raises(UpliftError, match=r"uplift\.control: the group is empty"):
        uplift(treated, {})


def test_overlapping_accounts_are_named() -> None:
    treated, control = _hand_groups()
    both = {**control, "R1": (D(1), D(2)), "R2": (D(1), D(2))}
    with pytest.raises(UpliftError,
                       match=r"uplift\.control: accounts 'R1', 'R2' are also in the treated"):
        uplift(treated, both)


@pytest.mark.parametrize("confidence", [D(0), D(1), "1.5", -0.2, 1.0])
def test_confidence_outside_unit_interval(confidence: Decimal | str | float) -> None:
    treated, control = _hand_groups()
    with pytest.raises(UpliftError, match=r"uplift\.confidence: must be strictly between 0 and 1"):
        uplift(treated, control, confidence=confidence)


def test_float_measure_and_bad_pairs_are_refused() -> None:
    _, control = _hand_groups()
    with pytest.raises(UpliftError, match=r"uplift\.treated\['R9'\]\.post: float 2\.5"):
        uplift({"R9": (D(1), 2.5)}, control)  # type: ignore[dict-item]
    with pytest.raises(UpliftError, match=r"uplift\.treated\['R9'\]: expected a \(pre, post\)"):
        uplift({"R9": (D(1),)}, control)  # type: ignore[dict-item]


def test_bad_counts_are_refused() -> None:
    treated, control = _hand_groups()
    with pytest.raises(UpliftError, match=r"uplift\.n_resamples: must be an int >= 1"):
        uplift(treated, control, n_resamples=0)
    with pytest.raises(UpliftError, match=r"uplift\.places: must be an int >= 0"):
        uplift(treated, control, places=-1)


# ---- measures from documents ------------------------------------------------------------


def _doc(n: str, kind: str, buyer: str, day: date, *lines: Line, level: str = "secondary",
         seller: str = "D1", currency: str = "INR") -> Document:
    return Document(n, kind, level, seller, buyer, day, currency, lines)  # type: ignore[arg-type]


def _line(sku: str, qty: int, price: str, discount: str | None = None) -> Line:
    return Line(sku, qty, Money.of(price, "INR"),
                discount=None if discount is None else Money.of(discount, "INR"))


def _history() -> list[Document]:
    return [
        # R1: April 10 × 5.00 less 2.00 discount = 48.00 net (50.00 gross)
        _doc("I1", "invoice", "R1", date(2025, 4, 3), _line("S1", 10, "5.00", "2.00")),
        # R1: May 20 × 5.00 = 100.00 plus 4 × 2.50 = 10.00 of S2
        _doc("I2", "invoice", "R1", date(2025, 5, 3), _line("S1", 20, "5.00"),
             _line("S2", 4, "2.50")),
        # R1: May return of 2 × 5.00 = -10.00
        _doc("C1", "return", "R1", date(2025, 5, 20), _line("S1", 2, "5.00")),
        # ignored: an order, a primary invoice, a June invoice
        _doc("O1", "order", "R1", date(2025, 5, 4), _line("S1", 99, "5.00")),
        _doc("P1", "invoice", "R1", date(2025, 5, 4), _line("S1", 99, "5.00"),
             level="primary", seller="SS1"),
        _doc("I3", "invoice", "R1", date(2025, 6, 1), _line("S1", 99, "5.00")),
        # R3: April 8 × 5.00 = 40.00, May 9 × 5.00 = 45.00
        _doc("I4", "invoice", "R3", date(2025, 4, 30), _line("S1", 8, "5.00")),
        _doc("I5", "invoice", "R3", date(2025, 5, 31), _line("S1", 9, "5.00")),
    ]


def test_account_measures_by_hand() -> None:
    docs = _history()
    net = account_measures(docs, ["R1", "R2", "R3"], pre=APRIL, post=MAY, level="secondary")
    # R1 net: April 48.00; May 100.00 + 10.00 - 10.00 = 100.00
    assert net == {"R1": (D("48.00"), D("100.00")), "R2": (D(0), D(0)),
                   "R3": (D("40.00"), D("45.00"))}
    gross = account_measures(docs, ["R1"], pre=APRIL, post=MAY, measure="gross_value",
                             level="secondary")
    assert gross["R1"] == (D("50.00"), D("100.00"))
    units = account_measures(docs, ["R1"], pre=APRIL, post=MAY, measure="units",
                             level="secondary", skus=["S1"])
    # May S1 units: 20 - 2 = 18
    assert units["R1"] == (D(10), D(18))
    # the primary invoice counts when every level is asked for: 18 + 99 = 117
    both = account_measures(docs, ["R1"], pre=APRIL, post=MAY, measure="units", skus=["S1"])
    assert both["R1"] == (D(10), D(117))
    sellers = account_measures(docs, ["D1"], pre=APRIL, post=MAY, role="seller",
                               measure="units", level="secondary")
    # D1 sold April 10 + 8 = 18; May 20 + 4 - 2 + 9 = 31
    assert sellers["D1"] == (D(18), D(31))


def test_uplift_from_documents_matches_uplift_over_measures() -> None:
    docs = _history()
    via_docs = uplift_from_documents(docs, treated=["R1"], control=["R3"], pre=APRIL, post=MAY,
                                     level="secondary", n_resamples=30, seed=2)
    measures = account_measures(docs, ["R1", "R3"], pre=APRIL, post=MAY, level="secondary")
    direct = uplift({"R1": measures["R1"]}, {"R3": measures["R3"]}, n_resamples=30, seed=2)
    assert via_docs == direct
    # R1 change 100 - 48 = 52; R3 change 45 - 40 = 5; estimate 47
    assert via_docs.estimate == D(47)


def test_document_errors() -> None:
    docs = _history()
    with pytest.raises(UpliftError, match=r"uplift\.post: .* overlaps the pre period"):
        account_measures(docs, ["R1"], pre=Validity(date(2025, 4, 1), date(2025, 5, 15)),
                         post=MAY)
    with pytest.raises(UpliftError, match=r"uplift\.pre: the period must have an end"):
        account_measures(docs, ["R1"], pre=Validity(date(2025, 4, 1)), post=MAY)
    usd = _doc("U1", "invoice", "R1", date(2025, 5, 2), Line("S1", 1, Money.of("1", "USD")),
               currency="USD")
    with pytest.raises(UpliftError, match=r"document 'U1'\.currency: USD differs from INR"):
        account_measures([*docs, usd], ["R1"], pre=APRIL, post=MAY)
    with pytest.raises(UpliftError, match=r"uplift\.control: account 'R1' is also in the treated"):
        uplift_from_documents(docs, treated=["R1"], control=["R1", "R3"], pre=APRIL, post=MAY)
    with pytest.raises(UpliftError, match=r"uplift\.measure: 'cases' is not one of"):
        account_measures(docs, ["R1"], pre=APRIL, post=MAY, measure="cases")  # type: ignore[arg-type]


def test_uplift_page_examples_run() -> None:
    page = Path(__file__).resolve().parents[2] / "docs" / "schemes" / "uplift.md"
    failed, attempted = doctest.testfile(
        str(page), module_relative=False,
        optionflags=doctest.NORMALIZE_WHITESPACE | doctest.ELLIPSIS,
    )
    assert attempted > 10
    assert failed == 0
