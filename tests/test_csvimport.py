"""CSV import: entities from good rows, an error for every bad cell, groups rejected whole."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from distcrm.csvimport import import_accounts, import_documents, import_price_lists, import_products
from distcrm.money import Money


def test_accounts_every_column() -> None:
    text = (
        "id,name,tier,gstin,pan,state_code,territory,channel,credit_limit,currency,"
        "payment_days,payment_basis,account_class,lat,lon,kyc_status\n"
        "D1,Shree,distributor,27AAPFU0939F1ZV,AAPFU0939F,27,MH-PUNE,GT,250000.50,INR,"
        "30,end_of_month,A,18.52,73.85,verified\n"
    )
    result = import_accounts(text)
    assert result.ok and result.rows == 1
    a = result.entities[0]
    assert a.credit_limit == Money.of("250000.50", "INR")
    assert a.payment_terms is not None and a.payment_terms.due_date(date(2025, 1, 15)) == date(2025, 3, 2)
    assert (a.territory, a.account_class, a.lat, a.kyc_status) == ("MH-PUNE", "A", 18.52, "verified")


def test_header_problems_stop_the_file() -> None:
    result = import_accounts("id,tier,colour\nD1,distributor,red\n")
    assert [str(e) for e in result.errors] == [
        "row 1, column name: required column missing",
        "row 1, column colour: unknown column (known: account_class, channel, credit_limit, "
        "currency, gstin, id, kyc_status, lat, lon, name, pan, payment_basis, payment_days, "
        "state_code, territory, tier)",
    ]
    assert result.entities == ()


def test_bad_rows_are_reported_and_left_out() -> None:
    text = (
        "id,name,tier,state_code,lat,lon\n"
        "R1,Kirana,retailer,27,18.5,73.8\n"
        "R2,,retailer,27,18.5,73.8\n"
        "R3,Store,retailer,27,95,73.8\n"
        "R4,Shop,retailer,00,,\n"
    )
    result = import_accounts(text)
    assert [a.id for a in result.entities] == ["R1"]
    assert [str(e) for e in result.errors] == [
        "row 3, column name: required value missing",
        "row 4: account 'R3': lat: must be a number in [-90, 90], got 95.0",
        "row 5: account 'R4': account 'R4'.state_code: '00' is not a GST state code",
    ]
    assert result.bad_rows == {3, 4, 5}


def test_products_with_packs_and_mrp() -> None:
    text = (
        "sku,name,brand,category,hsn,mrp,mrp_from,packs\n"
        "SKU1,Glucose 100g,Tiger,Foods/Biscuits,1905,10.00,2025-01-01,case:24;inner:6\n"
        "SKU2,Soap,Glow,Home/Soap,34A1,30,,case:x\n"
    )
    result = import_products(text)
    p = result.entities[0]
    assert p.to_base(2, "case") == 48 and p.mrp_on(date(2025, 6, 1)) == Money.of("10.00", "INR")
    assert [str(e) for e in result.errors] == [
        "row 3, column packs: 'case:x' is not valid (expected a whole number)",
    ]


def test_documents_group_rows_and_reject_whole_documents() -> None:
    text = (
        "document,kind,level,seller,buyer,issued_on,sku,qty,unit_price,tax\n"
        "SI-1,invoice,secondary,D1,R1,2025-06-03,SKU1,24,8.50,36.72\n"
        "SI-1,invoice,secondary,D1,R1,2025-06-03,SKU2,3,0.10,\n"
        "SI-2,invoice,secondary,D1,R2,2025-06-04,SKU1,-1,8.50,\n"
        "SI-2,invoice,secondary,D1,R2,2025-06-04,SKU2,2,1.00,\n"
        "SI-3,invoice,secondary,D1,R3,2025-06-05,SKU1,1,8.50,\n"
        "SI-3,invoice,secondary,D1,R9,2025-06-05,SKU2,1,8.50,\n"
    )
    result = import_documents(text)
    assert [d.id for d in result.entities] == ["SI-1"]
    si1 = result.entities[0]
    # 24 x 8.50 + 3 x 0.10 = 204.30 taxable; tax 36.72
    assert si1.taxable == Money.of("204.30", "INR") and si1.tax == Money.of("36.72", "INR")
    assert si1.lines[1].unit_price.amount == Decimal("0.10")
    assert [str(e) for e in result.errors] == [
        "row 4: line: line 'SKU1'.qty: must be an int >= 0, got -1",
        "row 5: document 'SI-2' is not imported: row 4 has errors",
        "row 6: document 'SI-3' is not imported: row 7 has errors",
        "row 7, column buyer: document 'SI-3': differs from its first row 6",
    ]


def test_price_lists() -> None:
    text = (
        "price_list,sku,price,tier,min_qty,uom,valid_from\n"
        "PTR,SKU1,72.03,retailer,,,2025-04-01\n"
        "PTR,SKU1,70.00,retailer,2,case,2025-04-01\n"
        "PTD,SKU1,-1,distributor,,,\n"
    )
    result = import_price_lists(text)
    assert [p.id for p in result.entities] == ["PTR"]
    assert [str(e.price) for e in result.entities[0].entries] == ["72.03 INR", "70.00 INR"]
    assert len(result.errors) == 1
    assert result.errors[0].row == 4 and "price" in result.errors[0].message
