"""The strategies draw valid entities, and the properties they are meant to exercise hold."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from distcrm import serde
from distcrm.catalog import Product
from distcrm.documents import Document, Line
from distcrm.errors import ValidationError
from distcrm.money import Money
from distcrm.parties import (
    GSTIN_ALPHABET,
    INDIAN_STATES,
    Account,
    Gstin,
    Link,
    Pan,
    PaymentTerms,
    gstin_check_character,
)
from distcrm.periods import Period, Validity
from distcrm.testing import strategies as s
from distcrm.visits import Visit

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def revalidated(entity: Any) -> Any:
    """Rebuild an attrs entity from its fields, which runs every converter and validator again."""
    return type(entity)(
        **{a.alias: getattr(entity, a.name) for a in attrs.fields(type(entity)) if a.init}
    )


@SETTINGS
@given(s.money("INR", "-5.00", "250.50"), s.money("JPY", 0, 1000), s.money("KWD", 1, 2))
def test_money_respects_bounds_and_places(inr: Money, jpy: Money, kwd: Money) -> None:
    assert inr.currency == "INR" and Decimal("-5.00") <= inr.amount <= Decimal("250.50")
    assert inr.round() == inr  # two places at most: rounding to the paisa changes nothing
    assert jpy.currency == "JPY" and jpy.amount == jpy.amount.to_integral_value()
    assert kwd.amount.as_tuple().exponent >= -3  # type: ignore[operator]


@SETTINGS
@given(s.money("INR", 0, 10, places=4))
def test_money_places_can_be_finer_than_the_currency(m: Money) -> None:
    assert m.amount.as_tuple().exponent >= -4  # type: ignore[operator]


@SETTINGS
@given(s.validities(date(2025, 1, 1), date(2025, 12, 31), max_days=30))
def test_validities_are_half_open_and_within_bounds(v: Validity) -> None:
    assert revalidated(v) == v
    assert date(2025, 1, 1) <= v.start <= date(2025, 12, 31)
    assert v.contains(v.start)
    if v.end is not None:
        assert 1 <= (v.end - v.start).days <= 30
        assert not v.contains(v.end)


@SETTINGS
@given(s.validities(open_ended=False))
def test_closed_validities_have_an_end(v: Validity) -> None:
    assert v.end is not None


@SETTINGS
@given(s.periods())
def test_periods_contain_their_start_and_chain(p: Period) -> None:
    assert p.contains(p.start)
    assert not p.contains(p.end)
    assert p.next().start == p.end


@SETTINGS
@given(s.periods(kinds=["quarter"]))
def test_periods_of_one_kind(p: Period) -> None:
    assert p.kind == "quarter"
    # Three calendar months: from 89 days (Feb-Apr of a common year, 28 + 31 + 30)
    # to 92 days (Jul-Sep, 31 + 31 + 30... or Dec-Feb never exceeds 31 + 31 + 29 = 91).
    assert 89 <= p.days() <= 92


@SETTINGS
@given(s.gstins())
def test_gstins_are_valid(g: Gstin) -> None:
    assert g.value[14] == gstin_check_character(g.value[:14])
    assert g.state_code in INDIAN_STATES
    assert Pan(g.pan).value == g.pan  # the embedded PAN is well formed too
    assert Gstin(g.value) == g


@SETTINGS
@given(s.pans().flatmap(lambda pan: st.tuples(st.just(pan), s.gstins(state_code="27", pan=pan))))
def test_gstins_can_be_pinned_to_a_state_and_pan(pair: tuple[Pan, Gstin]) -> None:
    pan, gstin = pair
    assert gstin.state_code == "27"
    assert gstin.pan == pan.value


@SETTINGS
@given(
    s.gstins(),
    st.integers(0, 13),
    st.integers(1, len(GSTIN_ALPHABET) - 1),
)
def test_any_single_substitution_in_a_gstin_is_detected(
    g: Gstin, position: int, shift: int
) -> None:
    # Luhn mod 36 maps each position's value through a permutation of 0..35 (x1, or x2 with
    # the digits summed in base 36), so changing one character always changes the check value.
    original = g.value[:14]
    index = (GSTIN_ALPHABET.index(original[position]) + shift) % len(GSTIN_ALPHABET)
    mutated = original[:position] + GSTIN_ALPHABET[index] + original[position + 1 :]
    assert mutated != original
    assert gstin_check_character(mutated) != g.value[14]
    with pytest.raises(ValidationError, match=re.escape(repr(mutated + g.value[14]))):
        Gstin(mutated + g.value[14])


@SETTINGS
@given(s.pans(holder_types="PC"))
def test_pans_are_valid(pan: Pan) -> None:
    assert pan.holder_type in "PC"
    assert re.fullmatch(r"[A-Z]{5}[0-9]{4}[A-Z]", pan.value)
    assert Pan(pan.value) == pan


@SETTINGS
@given(s.accounts(tier="retailer", ids=s.pooled_ids("R", 5)))
def test_accounts_are_consistent(a: Account) -> None:
    assert revalidated(a) == a
    assert a.tier == "retailer"
    assert a.id in {f"R{i}" for i in range(5)}
    if a.gstin is not None:
        assert a.state_code == a.gstin.state_code
        if a.pan is not None:
            assert a.pan.value == a.gstin.pan
    assert (a.lat is None) == (a.lon is None)


@SETTINGS
@given(s.products(currency="USD"))
def test_products_have_a_clean_mrp_history(p: Product) -> None:
    assert revalidated(p) == p
    for entry in p.mrp:
        assert entry.price.currency == "USD"
        # Entries do not overlap, so the MRP on an entry's first day is that entry's price.
        assert p.mrp_on(entry.validity.start) == entry.price
    for pack in p.packs:
        assert p.to_base(1, pack.uom) == pack.units


@SETTINGS
@given(s.lines("EUR"))
def test_lines_never_discount_below_zero(line: Line) -> None:
    assert revalidated(line) == line
    assert line.currency == "EUR"
    assert line.taxable.amount >= 0
    assert line.total.amount >= line.taxable.amount


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(s.documents(max_lines=3), unique_by=lambda d: d.id, max_size=4))
def test_documents_are_valid(docs: list[Document]) -> None:
    for doc in docs:
        assert revalidated(doc) == doc
        assert doc.seller != doc.buyer
        assert len(doc.lines) <= 3
        assert all(line.currency == doc.currency for line in doc.lines)
        assert doc.total == sum((line.total for line in doc.lines), Money.zero(doc.currency))


@SETTINGS
@given(s.links(parties=s.pooled_ids("SS", 2)))
def test_links_join_two_accounts(link: Link) -> None:
    assert revalidated(link) == link
    assert {link.parent, link.child} == {"SS0", "SS1"}


@SETTINGS
@given(s.visits())
def test_visits_are_valid(v: Visit) -> None:
    assert revalidated(v) == v
    assert v.productive == (v.order_id is not None)


@SETTINGS
@given(s.payment_terms(), s.dates())
def test_payment_terms_fall_due_on_or_after_the_invoice(terms: PaymentTerms, day: date) -> None:
    assert terms.due_date(day) >= day


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(s.kernel_entities())
def test_kernel_entities_survive_a_json_round_trip(entity: object) -> None:
    assert serde.from_json(serde.to_json(entity), type(entity)) == entity
