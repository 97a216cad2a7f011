"""Roll-ups: hand-checked totals, multi-parent attribution, documents by seller."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from distcrm.documents import Document, Line
from distcrm.hierarchy import ChannelGraph, HierarchyError, roll_up, roll_up_documents
from distcrm.money import Money

JUNE = date(2025, 6, 15)
AUGUST = date(2025, 8, 15)


def inr(s: str) -> Money:
    return Money.of(s, "INR")


VALUES = {
    "R1": Decimal("100.00"),
    "R2": Decimal("250.50"),
    "R3": Decimal("40.00"),
    "R4": Decimal("10.00"),
    "R5": Decimal("5.25"),
    "R6": Decimal("1000.00"),
}


def test_roll_up_hand_checked_in_june(fmcg: ChannelGraph) -> None:
    r = roll_up(fmcg, VALUES, on=JUNE)
    # In June R5 is under D1.
    assert r.total("D1") == Decimal("355.75")  # 100.00 + 250.50 + 5.25
    assert r.total("D2") == Decimal("40.00")
    assert r.total("SS1") == Decimal("395.75")  # 355.75 + 40.00
    assert r.total("D3") == Decimal("10.00")
    assert r.total("SS2") == Decimal("10.00")
    assert r.total("D4") == Decimal("1000.00")
    assert r.total("P") == Decimal("1405.75")  # 395.75 + 10.00 + 1000.00
    assert r.total("R1") == Decimal("100.00")  # own value
    assert r.on == JUNE


def test_roll_up_in_august_follows_the_move(fmcg: ChannelGraph) -> None:
    r = roll_up(fmcg, VALUES, on=AUGUST)
    # From July R5 (5.25) is under D3 / SS2.
    assert r.total("D1") == Decimal("350.50")  # 100.00 + 250.50
    assert r.total("SS2") == Decimal("15.25")  # 10.00 + 5.25
    assert r.total("P") == Decimal("1405.75")  # unchanged: conservation


def test_roll_up_of_money_and_ints(fmcg: ChannelGraph) -> None:
    money = roll_up(fmcg, {"R1": inr("12.50"), "R3": inr("7.50")}, on=JUNE)
    assert money.total("SS1") == inr("20.00")
    assert money.total("D4") is None  # nothing below D4 had a value
    qty = roll_up(fmcg, {"R1": 3, "R2": 4, "D1": 10}, on=JUNE)
    assert qty.total("D1") == 17  # its own 10 + 3 + 4


def test_roll_up_errors_list_every_bad_account(fmcg: ChannelGraph) -> None:
    with pytest.raises(HierarchyError) as info:
        roll_up(fmcg, {"R404": Decimal(1), "R6": Decimal(2)}, on=date(2025, 4, 15))
    message = str(info.value)
    assert "unknown account 'R404'" in message
    assert "account 'R6' (retailer) has no parent link on 2025-04-15" in message


def test_multi_parent_values_go_up_one_path_only(partner: ChannelGraph) -> None:
    values = {"RX": Decimal("300"), "RY": Decimal("50"), "RZ": Decimal("7")}
    with pytest.raises(HierarchyError, match="'RX' \\(reseller\\) has 2 parents"):
        roll_up(partner, values, on=JUNE)
    via_db = roll_up(partner, values, on=JUNE, via={"RX": "DB"})
    assert via_db.total("DB") == Decimal("300")
    assert via_db.total("DA") == Decimal("50")
    assert via_db.total("V") == Decimal("357")  # 300 + 50 + 7, RX counted once
    assert [s.rule for s in via_db.trace.applied()] == ["RX -> DB"]
    first = roll_up(partner, values, on=JUNE, on_multi="first")
    assert first.total("DA") == Decimal("350")  # 300 + 50
    assert first.total("DB") is None
    assert first.total("V") == Decimal("357")


def _invoice(id: str, seller: str, buyer: str, on: date, qty: int, price: str) -> Document:
    return Document(id, "invoice", "secondary", seller, buyer, on, "INR",
                    [Line("SKU1", qty, inr(price))])


def test_documents_follow_the_seller_recorded_on_the_document(partner: ChannelGraph) -> None:
    docs = [
        _invoice("I1", "DA", "RX", JUNE, 10, "20.00"),  # 200.00 via DA
        _invoice("I2", "DB", "RX", JUNE, 3, "50.00"),  # 150.00 via DB
        _invoice("I3", "DA", "RY", JUNE, 1, "9.99"),  # 9.99 via DA
        Document("C1", "credit_note", "secondary", "DB", "RX", JUNE, "INR",
                 [Line("SKU1", 1, inr("50.00"))]),  # -50.00 via DB
        Document("P1", "invoice", "primary", "V", "DA", JUNE, "INR",
                 [Line("SKU1", 100, inr("15.00"))]),  # primary: not counted by default
    ]
    r = roll_up_documents(partner, docs)
    assert r.total("RX") == inr("300.00")  # 200 + 150 - 50
    assert r.total("DA") == inr("209.99")  # 200 + 9.99
    assert r.total("DB") == inr("100.00")  # 150 - 50
    assert r.total("V") == inr("309.99")  # 209.99 + 100.00: nothing counted twice
    assert r.findings == ()
    primary = roll_up_documents(partner, docs, level="primary")
    assert primary.total("DA") == inr("1500.00")
    assert primary.total("V") == inr("1500.00")


def test_documents_use_the_hierarchy_of_their_own_date(fmcg: ChannelGraph) -> None:
    docs = [
        _invoice("I1", "D1", "R5", date(2025, 6, 30), 1, "10.00"),
        _invoice("I2", "D3", "R5", date(2025, 7, 1), 1, "20.00"),
    ]
    r = roll_up_documents(fmcg, docs)
    assert r.total("SS1") == inr("10.00")
    assert r.total("SS2") == inr("20.00")
    assert r.total("P") == inr("30.00")
    assert r.on is None


def test_document_from_a_seller_that_is_not_the_parent_is_a_finding(fmcg: ChannelGraph) -> None:
    r = roll_up_documents(fmcg, [_invoice("I9", "D2", "R1", JUNE, 2, "5.00")])
    assert r.total("D2") == inr("10.00")
    assert r.total("D1") is None
    (f,) = r.findings
    assert f.code == "seller_not_parent"
    assert "seller 'D2' is not a parent of buyer 'R1' on 2025-06-15" in f.message


def test_documents_with_unknown_accounts_are_all_reported(fmcg: ChannelGraph) -> None:
    docs = [_invoice("I1", "D1", "R404", JUNE, 1, "1"), _invoice("I2", "D404", "R1", JUNE, 1, "1")]
    with pytest.raises(HierarchyError) as info:
        roll_up_documents(fmcg, docs)
    message = str(info.value)
    assert "document 'I1'.account: unknown account 'R404'" in message
    assert "document 'I2'.account: unknown account 'D404'" in message
