"""The reference evaluator on hand-checked examples."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from scheme_builders import ACCOUNTS, PRODUCTS, TERRITORY_PARENTS, doc, inr, scheme

from distcrm.errors import SchemeError
from distcrm.periods import Validity
from distcrm.schemes import (
    ComboGroup,
    Eligibility,
    FlatAmount,
    FreeGoods,
    PercentDiscount,
    ProductSelection,
    Rebate,
    Scheme,
    evaluate,
)

D = Decimal
J3 = date(2025, 6, 3)
J30 = date(2025, 6, 30)


def s2(**kw: object) -> Scheme:
    return scheme(
        "S2",
        (10_000, PercentDiscount(D(2))),
        (50_000, PercentDiscount(D("3.5"))),
        measure="net_value",
        window="month",
        **kw,
    )


def test_value_slabs_whole_volume_at_reached_rate() -> None:
    # 3000 x 20.00 = 60000.00 net -> slab 2 -> 60000 x 3.5 % = 2100.00
    d = doc("R1", J3, ("BIS1", 3000, "20.00"))
    r = evaluate([s2()], [d], on=J30)
    (e,) = r.entitlements
    assert (e.party, e.window.label, e.slab, e.volume) == ("R1", "2025-06", 2, D("60000.00"))
    assert e.discount == inr("2100.00")
    assert e.value == inr("2100.00")
    assert [str(x) for x in e.lines] == [f"{d.id}#1"]


def test_step_mode_pays_each_band_at_its_rate() -> None:
    # bands: [10000, 50000) at 2 % = 40000 x 0.02 = 800; [50000, ...) 10000 x 0.035 = 350
    d = doc("R1", J3, ("BIS1", 3000, "20.00"))
    (e,) = evaluate([s2(slab_mode="step")], [d], on=J30).entitlements
    assert e.discount == inr("1150.00")


def test_half_up_to_the_paisa() -> None:
    # 10000.25 x 2 % = 200.005 -> 200.01 (half-up)
    d = doc("R1", J3, ("BIS1", 1, "10000.25"))
    (e,) = evaluate([s2()], [d], on=J30).entitlements
    assert e.discount == inr("200.01")


def test_below_first_slab_is_considered_not_applied_with_near_miss() -> None:
    # 9000 < 10000 -> nothing; 1000.00 more reaches slab 1
    d = doc("R1", J3, ("BIS1", 450, "20.00"))
    r = evaluate([s2()], [d], on=J30)
    assert r.entitlements == ()
    (c,) = r.considered
    assert not c.applied
    assert c.slab is None
    assert "reaches no slab" in c.trace.render()
    (m,) = r.near_misses
    assert (m.missing, m.slab, m.threshold) == (D("1000.00"), 1, D(10_000))
    assert m.message == "1000.00 INR more net value reaches slab 1 (2 % of net value)"
    assert r.nearest_miss("R1") == m


def test_cumulative_window_is_per_account_never_pooled() -> None:
    # R1 and R2 each buy 6000: pooled they would pass 10000, per account neither does
    docs = [doc("R1", J3, ("BIS1", 300, "20.00")), doc("R2", J3, ("BIS1", 300, "20.00"))]
    r = evaluate([s2()], docs, on=J30)
    assert r.entitlements == ()
    assert sorted(c.party for c in r.considered) == ["R1", "R2"]


def test_cumulative_month_sums_invoices_and_splits_months() -> None:
    # June: 6000 + 6000 = 12000 -> 240.00; July 6000 -> nothing
    docs = [
        doc("R1", date(2025, 6, 2), ("BIS1", 300, "20.00")),
        doc("R1", date(2025, 6, 28), ("BIS1", 300, "20.00")),
        doc("R1", date(2025, 7, 1), ("BIS1", 300, "20.00")),
    ]
    r = evaluate([s2()], docs, on=date(2025, 7, 31))
    (e,) = r.entitlements
    assert (e.window.label, e.discount, len(e.lines)) == ("2025-06", inr("240.00"), 2)
    assert {c.window.label for c in r.considered} == {"2025-06", "2025-07"}


def test_window_respects_scheme_dates() -> None:
    # valid from 15 June: the 2 June invoice does not count; 12000 from 20 June does
    s = s2(validity=Validity(date(2025, 6, 15), date(2025, 7, 1)))
    docs = [
        doc("R1", date(2025, 6, 2), ("BIS1", 300, "20.00")),
        doc("R1", date(2025, 6, 20), ("BIS1", 600, "20.00")),
    ]
    (e,) = evaluate([s], docs, on=J30).entitlements
    assert e.volume == D("12000.00")
    assert (e.window.start, e.window.end) == (date(2025, 6, 15), date(2025, 7, 1))


def test_returns_in_window_reduce_volume() -> None:
    # 12000 sold, 3000 returned in June -> 9000 net -> below 10000
    inv = doc("R1", J3, ("BIS1", 600, "20.00"))
    ret = doc("R1", date(2025, 6, 20), ("BIS1", 150, "20.00"), kind="return", reference=inv.id)
    r = evaluate([s2()], [inv, ret], on=J30)
    assert r.entitlements == ()
    assert r.considered[0].volume == D("9000.00")


def test_late_return_after_settlement_gives_negative_adjustment() -> None:
    # June settles 12000 x 2 % = 240.00; a 15 July return of 3000 against the June invoice
    # leaves 9000 in June: nothing earned, adjustment -240.00
    inv = doc("R1", J3, ("BIS1", 600, "20.00"))
    first = evaluate([s2()], [inv], on=J30)
    ret = doc("R1", date(2025, 7, 15), ("BIS1", 150, "20.00"), kind="return", reference=inv.id)
    again = evaluate([s2()], [inv, ret], on=date(2025, 7, 31), settled=first.entitlements)
    (adj,) = again.entitlements
    assert adj.window.label == "2025-06"
    assert not adj.applied
    assert adj.settled == inr("240.00")
    assert adj.adjustment == inr("-240.00")
    assert "already settled" in adj.trace.render()
    # a smaller return keeps the slab: 12000 - 1000 = 11000 x 2 % = 220 -> adjustment -20
    ret2 = doc("R1", date(2025, 7, 15), ("BIS1", 50, "20.00"), kind="return", reference=inv.id)
    (e,) = evaluate(
        [s2()], [inv, ret2], on=date(2025, 7, 31), settled=first.entitlements
    ).entitlements
    assert (e.value, e.adjustment) == (inr("220.00"), inr("-20.00"))


def test_buy_10_get_1_recurring_and_once() -> None:
    # 25 units: recurring -> 25 // 10 = 2 free; once -> 1 free
    d = doc("R1", J3, ("BIS1", 25, "8.00"))
    rec = scheme("B", (10, FreeGoods(1, D(10))))
    once = scheme("O", (10, FreeGoods(1)))
    (e1,) = evaluate([rec], [d], on=J3).entitlements
    (e2,) = evaluate([once], [d], on=J3).entitlements
    assert [(f.sku, f.units, f.value) for f in e1.free] == [("BIS1", 2, inr("16.00"))]
    assert e1.value == inr("16.00")
    assert e1.discount == inr(0)
    assert e2.free_units == 1


def test_free_goods_of_another_sku_valued_at_caller_price() -> None:
    # 30 units -> 3 x 2 = 6 SOAP, priced 25.00 by the caller -> 150.00
    s = scheme("X", (10, FreeGoods(2, D(10), sku="SOAP")))
    d = doc("R1", J3, ("BIS1", 30, "8.00"))
    (e,) = evaluate([s], [d], on=J3, prices={"SOAP": inr("25.00")}).entitlements
    assert [(f.sku, f.units, f.value) for f in e.free] == [("SOAP", 6, inr("150.00"))]
    (u,) = evaluate([s], [d], on=J3).entitlements
    assert u.free[0].value is None
    assert u.value == inr(0)


def test_same_sku_free_goods_split_in_whole_units() -> None:
    # category scheme, every 10 get 1: 15 BIS1 + 6 BIS2 = 21 -> 2 free,
    # shared 15:6 -> exact 1.43 / 0.57 -> floors 1, 0, remainder to BIS2 (.57 > .43)
    s = scheme(
        "C", (10, FreeGoods(1, D(10))), products=ProductSelection(categories={"Foods/Biscuits"})
    )
    d = doc("R1", J3, ("BIS1", 15, "8.00"), ("BIS2", 6, "9.00"), ("SOAP", 50, "20.00"))
    (e,) = evaluate([s], [d], on=J3, products=PRODUCTS).entitlements
    assert [(f.sku, f.units) for f in e.free] == [("BIS1", 1), ("BIS2", 1)]
    assert e.value == inr("17.00")  # 8.00 + 9.00
    assert len(e.lines) == 2


def test_cases_measure_is_exact() -> None:
    # 50 units of a 24-pack = 2 1/12 cases >= 2 -> flat 30.00 per case = 62.50
    s = scheme("K", (2, FlatAmount(D(30), "case")), measure="cases")
    (e,) = evaluate(
        [s], [doc("R1", J3, ("BIS1", 50, "8.00"))], on=J3, products=PRODUCTS
    ).entitlements
    assert e.volume == D("2.0833")
    assert e.discount == inr("62.50")


def test_flat_per_invoice_counts_qualifying_invoices() -> None:
    # two invoices in the month, 50.00 per invoice -> 100.00
    s = scheme("F", (1, FlatAmount(D(50), "invoice")), window="month")
    docs = [doc("R1", J3, ("BIS1", 5, "8.00")), doc("R1", J30, ("BIS1", 5, "8.00"))]
    (e,) = evaluate([s], docs, on=J30).entitlements
    assert e.discount == inr("100.00")


def test_rebate_on_target() -> None:
    # target 100 units in the quarter; lump rebate 500.00
    s = scheme("T", (100, Rebate(amount=D(500))), window="quarter")
    docs = [
        doc("R1", date(2025, 4, 3), ("BIS1", 60, "8.00")),
        doc("R1", date(2025, 6, 3), ("BIS1", 40, "8.00")),
    ]
    (e,) = evaluate([s], docs, on=J30).entitlements
    assert (e.window.label, e.discount) == ("2025-Q2", inr("500.00"))


def test_combo_needs_every_group() -> None:
    # needs 10 units of biscuits and 5 of snacks; only 3 snacks -> near miss of 2 units
    s = scheme(
        "CB",
        (1, PercentDiscount(D(5))),
        combo=(
            ComboGroup("biscuits", ProductSelection(categories={"Foods/Biscuits"}), D(10)),
            ComboGroup("snacks", ProductSelection(categories={"Foods/Snacks"}), D(5)),
        ),
    )
    d = doc("R1", J3, ("BIS1", 12, "10.00"), ("CHP1", 3, "10.00"))
    r = evaluate([s], [d], on=J3, products=PRODUCTS)
    assert r.entitlements == ()
    (m,) = r.near_misses
    assert (m.group, m.missing) == ("snacks", D(2))
    assert "group 'snacks' has 3 units" in r.considered[0].trace.render()
    # with 5 snacks: 170.00 x 5 % = 8.50
    d2 = doc("R1", J3, ("BIS1", 12, "10.00"), ("CHP1", 5, "10.00"))
    (e,) = evaluate([s], [d2], on=J3, products=PRODUCTS).entitlements
    assert e.discount == inr("8.50")


def test_seller_party_earns_on_its_secondary_sales() -> None:
    # distributor D1 sells 6 + 6 units to two retailers -> 12 -> 1 free for D1
    s = scheme(
        "S1",
        (10, FreeGoods(1, D(10))),
        party="seller",
        window="month",
        eligibility=Eligibility(tiers={"distributor"}),
    )
    docs = [doc("R1", J3, ("BIS1", 6, "8.00")), doc("R2", J3, ("BIS1", 6, "8.00"))]
    (e,) = evaluate([s], docs, on=J30, accounts=ACCOUNTS).entitlements
    assert (e.party, e.free_units) == ("D1", 1)


def test_eligibility_rejections_show_in_the_overview_trace() -> None:
    s = s2(eligibility=Eligibility(territories={"WEST"}, exclude_accounts={"R2"}))
    docs = [doc("R1", J3, ("BIS1", 600, "20.00")), doc("R2", J3, ("BIS1", 600, "20.00"))]
    r = evaluate([s], docs, on=J30, accounts=ACCOUNTS, territory_parents=TERRITORY_PARENTS)
    assert [e.party for e in r.entitlements] == ["R1"]
    text = r.trace.render()
    assert "R2: account R2 is excluded" in text
    # without the tree, PUNE is not WEST: nobody is eligible
    r2 = evaluate([s], docs, on=J30, accounts=ACCOUNTS)
    assert r2.entitlements == ()
    assert "territory 'PUNE' is not eligible" in r2.trace.render()


def test_documents_after_on_and_other_levels_do_not_count() -> None:
    docs = [
        doc("R1", date(2025, 7, 2), ("BIS1", 600, "20.00")),
        doc("D1", J3, ("BIS1", 600, "20.00"), seller="SS1", level="primary"),
    ]
    r = evaluate([s2()], docs, on=J30)
    assert r.considered == ()
    assert "skipped" in r.trace.render()


def test_order_preview_with_kinds() -> None:
    order = doc("R1", J3, ("BIS1", 600, "20.00"), kind="order")
    assert evaluate([s2()], [order], on=J3).entitlements == ()
    (e,) = evaluate([s2()], [order], on=J3, kinds=["order"]).entitlements
    assert e.discount == inr("240.00")


def test_unknown_account_with_attribute_eligibility_is_an_error() -> None:
    s = s2(eligibility=Eligibility(tiers={"retailer"}))
    with pytest.raises(SchemeError, match=r"scheme 'S2'.eligibility: account 'R9'"):
        evaluate([s], [doc("R9", J3, ("BIS1", 1, "1.00"))], on=J30, accounts=ACCOUNTS)


def test_currency_mismatch_names_document_and_scheme() -> None:
    s = s2(currency="USD")
    d = doc("R1", J3, ("BIS1", 1, "1.00"), id="INV-9")
    with pytest.raises(
        SchemeError, match=r"document 'INV-9'.currency: INR differs from scheme 'S2'"
    ):
        evaluate([s], [d], on=J30)


def test_duplicate_scheme_ids_rejected() -> None:
    with pytest.raises(SchemeError, match=r"evaluate.schemes\[1\].id: 'S2' is listed twice"):
        evaluate([s2(), s2()], [], on=J30)


def test_explain_false_keeps_entitlements_only() -> None:
    docs = [doc("R1", J3, ("BIS1", 600, "20.00")), doc("R2", J3, ("BIS1", 60, "20.00"))]
    full = evaluate([s2()], docs, on=J30)
    bulk = evaluate([s2()], docs, on=J30, explain=False)
    assert bulk.entitlements == full.entitlements
    assert len(full.considered) == 2
    assert len(bulk.considered) == 1
    assert bulk.near_misses == ()
    assert len(full.near_misses) == 2


def test_prebuilt_index_gives_the_same_result_and_refuses_a_second_catalog() -> None:
    from distcrm.schemes import SchemeIndex

    s = scheme("C", (10, FreeGoods(1, D(10))), products=ProductSelection(categories={"Foods"}))
    docs = [doc("R1", J3, ("BIS1", 15, "8.00"), ("CHP1", 6, "9.00"), ("SOAP", 40, "5.00"))]
    index = SchemeIndex([s, s2()], PRODUCTS)
    once = evaluate([s, s2()], docs, on=J30, products=PRODUCTS)
    for _ in range(2):  # the index is reusable
        again = evaluate(index, docs, on=J30)
        assert again.entitlements == once.entitlements
    # 15 + 6 Foods units -> 2 free shared 15:6 -> exact 1.43 / 0.57 -> BIS1 1, CHP1 1
    assert [(f.sku, f.units) for f in again.entitlements[0].free] == [("BIS1", 1), ("CHP1", 1)]
    with pytest.raises(SchemeError, match=r"evaluate.products: the SchemeIndex already holds"):
        evaluate(index, docs, on=J30, products=PRODUCTS)
