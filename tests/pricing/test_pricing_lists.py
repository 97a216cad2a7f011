"""Price lists: validation errors name list, entry and field; derived lists; MRP checks."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from pricing_builders import inr, product

from distcrm.errors import CurrencyMismatch, PricingError
from distcrm.money import Money
from distcrm.periods import Validity
from distcrm.pricing import (
    BasedOn,
    GstPolicy,
    MrpViolation,
    PriceCurrencyMismatch,
    PriceEntry,
    PriceList,
    PriceListCycle,
    PriceListError,
    Scope,
    check_list_against_mrp,
    materialize,
    sample_hsn_rates,
)


def test_negative_price_names_list_entry_and_field() -> None:
    with pytest.raises(PriceListError, match=r"price list 'PL1'\.entries\[1\]\.price: must be >= 0"):
        PriceList("PL1", "INR", entries=(PriceEntry("A", inr("1")), PriceEntry("B", inr("-0.01"))))


def test_non_money_price_is_refused_with_its_type() -> None:
    bad: Any = Decimal("10")
    with pytest.raises(PriceListError, match=r"'PL1'\.entries\[0\]\.price: expected Money"):
        PriceList("PL1", "INR", entries=(PriceEntry("A", bad),))


def test_float_price_never_becomes_money() -> None:
    with pytest.raises(Exception, match="float"):
        Money.of(10.5, "INR")  # type: ignore[arg-type]


def test_currency_mismatch_is_a_pricing_and_currency_error() -> None:
    with pytest.raises(PriceCurrencyMismatch, match=r"'PL1'\.entries\[0\]\.price: currency USD") as e:
        PriceList("PL1", "INR", entries=(PriceEntry("A", Money.of("1", "USD")),))
    assert isinstance(e.value, PricingError) and isinstance(e.value, CurrencyMismatch)


def test_overlapping_same_scope_and_break_is_refused_but_disjoint_days_are_fine() -> None:
    scope = Scope(tier="retailer")
    first = PriceEntry("A", inr("10"), scope, validity=Validity(date(2025, 1, 1), date(2025, 7, 1)))
    later = PriceEntry("A", inr("11"), scope, validity=Validity(date(2025, 7, 1)))
    assert len(PriceList("PL1", "INR", entries=(first, later)).entries) == 2
    overlapping = PriceEntry("A", inr("11"), scope, validity=Validity(date(2025, 6, 1)))
    with pytest.raises(PriceListError, match=r"'PL1'\.entries\[1\]: same scope, SKU and break as "
                                             r"entries\[0\]"):
        PriceList("PL1", "INR", entries=(first, overlapping))


def test_every_problem_is_reported_at_once() -> None:
    with pytest.raises(PriceListError) as e:
        PriceList("PL1", "INR", entries=(PriceEntry("A", inr("-1")),
                                         PriceEntry("B", inr("1"), min_qty=-2)))
    assert [p.path for p in e.value.problems] == [
        "price list 'PL1'.entries[0].price", "price list 'PL1'.entries[1].min_qty"]


def test_based_on_changes_prices_and_own_entries_win_on_their_days() -> None:
    base = PriceList("BASE", "INR", entries=(PriceEntry("A", inr("100.00")),
                                             PriceEntry("B", inr("10.00"))))
    # A: own entry from 2025-07-01 only; before that, the derived price applies.
    own = PriceEntry("A", inr("50.00"), validity=Validity(date(2025, 7, 1)))
    derived = PriceList("D", "INR", entries=(own,),
                        based_on=BasedOn("BASE", percent=Decimal("-10"), amount=Decimal("1")))
    _, d = materialize([base, derived])
    by: dict[tuple[str, Validity], Money] = {(e.sku, e.validity): e.price for e in d.entries}
    # 100 × 0.9 + 1 = 91.00 ; 10 × 0.9 + 1 = 10.00
    assert by[("A", Validity(date(2025, 7, 1)))] == inr("50.00")
    assert by[("A", Validity(date.min, date(2025, 7, 1)))] == inr("91.00")
    assert by[("B", Validity.always())] == inr("10.00")


def test_based_on_loops_and_unknown_bases_are_named() -> None:
    a = PriceList("A", "INR", based_on=BasedOn("B"))
    b = PriceList("B", "INR", based_on=BasedOn("C"))
    c = PriceList("C", "INR", based_on=BasedOn("A"))
    with pytest.raises(PriceListCycle, match="A -> B -> C -> A"):
        materialize([a, b, c])
    with pytest.raises(PriceListError, match=r"'A'\.based_on\.list_id: unknown price list 'B'"):
        materialize([a])
    with pytest.raises(PriceListCycle, match="S -> S"):
        materialize([PriceList("S", "INR", based_on=BasedOn("S"))])


def test_based_on_a_list_of_another_currency_raises() -> None:
    usd = PriceList("USD", "USD", entries=(PriceEntry("A", Money.of("1", "USD")),))
    with pytest.raises(PriceCurrencyMismatch, match="'INR'.based_on.list_id"):
        materialize([usd, PriceList("INR", "INR", based_on=BasedOn("USD"))])


def test_list_above_mrp_raises_naming_entry_with_and_without_tax() -> None:
    p = product("A", mrp="100")
    incl = PriceList("RET", "INR", tax_inclusive=True, entries=(PriceEntry("A", inr("100.01")),))
    with pytest.raises(MrpViolation, match=r"'RET'\.entries\[0\]\.price: 100.01 INR"):
        check_list_against_mrp(incl, [p])
    # 85.00 ex tax × 1.18 = 100.30 > 100 on 2025-06-01 (18 %), but 85 × 1.05 = 89.25 from
    # 2025-09-22 (5 %): the entry is checked on every day it is valid, so it fails.
    excl = PriceList("PTR", "INR", entries=(PriceEntry("A", inr("85.00")),))
    check_list_against_mrp(excl, [p])  # before tax it is below the MRP
    with pytest.raises(MrpViolation, match=r"85.00 INR \(100.30 INR with 18 % GST\)"):
        check_list_against_mrp(excl, [p], rates=sample_hsn_rates())
    assert GstPolicy(sample_hsn_rates()).name == "GST"


def test_price_lists_round_trip_through_json_and_bad_data_is_located() -> None:
    from distcrm import serde
    from distcrm.errors import StructureError

    pl = PriceList("PL1", "INR", entries=(
        PriceEntry("A", inr("72.03"), Scope(tier="retailer"), min_qty=2, uom="case",
                   validity=Validity(date(2025, 1, 1))),), based_on=BasedOn("X", percent="-5"))
    assert serde.from_json(serde.to_json(pl), PriceList) == pl
    bad = ('{"id": "P", "currency": "INR", "entries": [{"sku": "A", '
           '"price": {"amount": "-1", "currency": "INR"}}]}')
    with pytest.raises(StructureError, match=r"price list 'P'.entries\[0\].price: must be >= 0"):
        serde.from_json(bad, PriceList)


def test_margin_chain_becomes_tier_entries_of_a_list() -> None:
    from distcrm.pricing import TierMargin, price_chain

    chain = price_chain(inr("100"), 18, [TierMargin("retailer", "PTR", 15, on="tax_inclusive"),
                                         TierMargin("distributor", "PTD", 7)])
    pl = PriceList("CHAIN", "INR", entries=chain.entries("A", validity=Validity(date(2025, 4, 1))))
    # PTR 72.03 and PTD 72.03 × 0.93 = 66.9879 → 66.99, scoped by tier, ex tax.
    assert [(e.scope.tier, e.price) for e in pl.entries] == [
        ("retailer", inr("72.03")), ("distributor", inr("66.99"))]
