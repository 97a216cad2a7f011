"""GST and VAT policies: supply kinds, UTGST, rate changes, rounding, back-calculation."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from pricing_builders import inr

from distcrm.money import Money
from distcrm.parties import Account, Gstin
from distcrm.periods import Validity
from distcrm.pricing import (
    UNION_TERRITORIES_WITHOUT_LEGISLATURE,
    FlatVat,
    GstPolicy,
    HsnRate,
    HsnRateTable,
    Supply,
    TaxError,
    TaxPolicy,
    load_hsn_rates,
    sample_hsn_rates,
    supply_kind,
)

GST = GstPolicy(sample_hsn_rates())
AFTER = date(2025, 9, 22)
BEFORE = date(2025, 9, 21)


def names(supply: Supply) -> list[str]:
    return [c.name for c in GST.tax(inr("100"), hsn="3402", on=BEFORE, supply=supply).components]


def test_intra_state_is_cgst_plus_sgst_half_each() -> None:
    # Detergent 18 %: 1000.00 × 9 % = 90.00 twice; total 1180.00.
    r = GST.tax(inr("1000.00"), hsn="34022010", on=BEFORE, supply=Supply("27", "27"))
    assert [(c.name, c.rate, c.amount) for c in r.components] == [
        ("CGST", Decimal(9), inr("90.00")), ("SGST", Decimal(9), inr("90.00"))]
    assert r.total == inr("1180.00")


def test_inter_state_is_igst_at_the_full_rate() -> None:
    r = GST.tax(inr("1000.00"), hsn="3402", on=BEFORE, supply=Supply("27", "29"))
    assert [(c.name, c.amount) for c in r.components] == [("IGST", inr("180.00"))]


@pytest.mark.parametrize("code", sorted(UNION_TERRITORIES_WITHOUT_LEGISLATURE))
def test_union_territories_without_legislature_pay_utgst(code: str) -> None:
    assert names(Supply(code, code)) == ["CGST", "UTGST"]


@pytest.mark.parametrize("code", ["07", "34", "01"])
def test_delhi_puducherry_and_jammu_kashmir_have_legislatures(code: str) -> None:
    assert names(Supply(code, code)) == ["CGST", "SGST"]


def test_ut_to_another_state_is_inter_state() -> None:
    assert names(Supply("04", "03")) == ["IGST"]


def test_supply_from_gstins_and_accounts_with_ship_to_override() -> None:
    seller = Account("D1", "Dist", "distributor", gstin=Gstin("27AAPFU0939F1ZV"))
    buyer = Account("R1", "Shop", "retailer", state_code="27")
    assert supply_kind(Supply.between(seller, buyer)) == "intra_state"
    assert supply_kind(Supply.between(seller, buyer, ship_to_state="29")) == "inter_state"
    assert Supply.from_gstins("27AAPFU0939F1ZV", "29AAPFU0939F1ZR") == Supply("27", "29")


def test_rates_change_on_2025_09_22() -> None:
    # Biscuits 18 % → 5 %, namkeen 12 % → 5 %, detergent unchanged at 18 %.
    for hsn, before, after in (("1905", 18, 5), ("21069099", 12, 5), ("3402", 18, 18),
                               ("3401", 18, 5), ("3306", 18, 5), ("3305", 18, 5)):
        assert GST.rate(hsn, BEFORE, Supply("27", "27")) == before
        assert GST.rate(hsn, AFTER, Supply("27", "27")) == after


def test_components_rounded_separately_and_reconciled_in_the_trace() -> None:
    # 100.10 at 5 %: 2.5025 → 2.50 per half, 5.00 charged; once-rounded 5.005 → 5.01.
    r = GST.tax(inr("100.10"), hsn="1905", on=AFTER, supply=Supply("27", "27"))
    assert r.tax == inr("5.00")
    assert "sum to 5.00, -0.01 from 5 % of the taxable value rounded once (5.01)" in str(r.trace)
    # Allocating the once-rounded total keeps 5.01: 2.51 + 2.50.
    alloc = GstPolicy(sample_hsn_rates(), rounding="allocate")
    r2 = alloc.tax(inr("100.10"), hsn="1905", on=AFTER, supply=Supply("27", "27"))
    assert [c.amount for c in r2.components] == [inr("2.51"), inr("2.50")]


def test_back_calculation_from_a_tax_inclusive_price_is_exact() -> None:
    # 100.00 incl. 18 %: taxable 100 / 1.18 = 84.7458 → 84.75; tax 15.25 split 7.63 + 7.62.
    r = GST.tax_included(inr("100.00"), hsn="3402", on=BEFORE, supply=Supply("27", "27"))
    assert (r.taxable, r.tax) == (inr("84.75"), inr("15.25"))
    assert [c.amount for c in r.components] == [inr("7.63"), inr("7.62")]
    assert r.total == inr("100.00")


def test_missing_rate_and_state_errors_are_named() -> None:
    with pytest.raises(TaxError, match="HSN rate table 'sample': no rate for HSN '9999'"):
        GST.tax(inr("1"), hsn="9999", on=AFTER, supply=Supply("27", "27"))
    with pytest.raises(TaxError, match=r"supply.place_of_supply: unknown"):
        GST.tax(inr("1"), hsn="1905", on=AFTER, supply=Supply("27", None))
    with pytest.raises(TaxError, match=r"supply.supplier_state: '00' is not a GST state code"):
        GST.tax(inr("1"), hsn="1905", on=AFTER, supply=Supply("00", "27"))
    with pytest.raises(TaxError, match=r"rates\[1\].validity: overlaps rates\[0\]"):
        HsnRateTable((HsnRate("1905", 18), HsnRate("1905", 5, Validity(date(2025, 1, 1)))))
    with pytest.raises(TaxError, match=r"rates\[0\].hsn: '19A' must be 2, 4, 6 or 8 digits"):
        HsnRateTable((HsnRate("19A", 18),))


def test_users_supply_their_own_table_longest_prefix_wins() -> None:
    table = load_hsn_rates("hsn,rate,start,end,description\n"
                           "19,12,,,Cereal preparations\n"
                           "190531,5,2025-01-01,,Sweet biscuits\n", name="mine")
    gst = GstPolicy(table)
    assert gst.rate("19053100", date(2025, 6, 1), Supply("27", "27")) == 5
    assert gst.rate("19023010", date(2025, 6, 1), Supply("27", "27")) == 12
    assert gst.rate("19053100", date(2024, 6, 1), Supply("27", "27")) == 12


def test_flat_vat_is_a_tax_policy_too() -> None:
    vat = FlatVat(Decimal("13"))
    assert isinstance(vat, TaxPolicy) and isinstance(GST, TaxPolicy)
    r = vat.tax(Money.of("250.00", "NPR"), hsn="", on=AFTER, supply=Supply())
    # 250 × 13 % = 32.50
    assert (r.tax, r.total) == (Money.of("32.50", "NPR"), Money.of("282.50", "NPR"))
