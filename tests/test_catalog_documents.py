"""Products, packs, category trees and documents."""

from __future__ import annotations

from datetime import date

import pytest

from distcrm.catalog import CategoryTree, MrpEntry, PackSize, Product, parse_category
from distcrm.documents import Document, Line, LineRef
from distcrm.errors import NotFound, ValidationError
from distcrm.findings import Finding, Trace
from distcrm.money import Money
from distcrm.periods import Validity


def inr(s: str) -> Money:
    return Money.of(s, "INR")


def _biscuit() -> Product:
    return Product(
        "SKU1",
        "Glucose 100g",
        brand="Tiger",
        category=("Foods", "Biscuits"),
        hsn="1905",
        mrp=(
            MrpEntry(inr("10"), Validity(date(2025, 1, 1), date(2025, 9, 22))),
            MrpEntry(inr("9"), Validity(date(2025, 9, 22))),
        ),
        packs=(PackSize("case", 24), PackSize("inner", 6)),
    )


def test_mrp_history_and_packs() -> None:
    p = _biscuit()
    assert p.mrp_on(date(2025, 9, 21)) == inr("10")
    assert p.mrp_on(date(2025, 9, 22)) == inr("9")  # price cut effective that day
    with pytest.raises(NotFound, match=r"product 'SKU1'.mrp: no MRP in force on 2024-12-31"):
        p.mrp_on(date(2024, 12, 31))
    assert p.to_base(3, "case") == 72
    assert p.to_base(5, "unit") == 5
    assert p.from_base(50, "case") == (2, 2)  # 50 = 2 x 24 + 2
    assert p.from_base(50, "inner") == (8, 2)  # 50 = 8 x 6 + 2
    with pytest.raises(ValidationError, match="no pack 'pallet'"):
        p.to_base(1, "pallet")
    assert p.in_category(("Foods",))
    assert not p.in_category(("Home",))


def test_product_reports_every_problem() -> None:
    with pytest.raises(ValidationError) as info:
        Product(
            "X",
            "x",
            hsn="19A5",
            mrp=(MrpEntry(inr("10")), MrpEntry(inr("0"), Validity(date(2025, 1, 1)))),
            packs=(PackSize("case", 24), PackSize("case", 12)),
        )
    text = str(info.value)
    assert "product 'X'.hsn: '19A5'" in text
    assert "product 'X'.mrp[1].price: must be > 0" in text
    assert "product 'X'.mrp[1].validity" in text
    assert "overlaps mrp[0]" in text
    assert "product 'X'.packs[1].uom: 'case' is declared twice" in text
    with pytest.raises(ValidationError, match=r"pack 'case'.units: must be an int >= 1"):
        PackSize("case", 0)


def test_category_tree() -> None:
    tree = CategoryTree.from_products(
        [
            _biscuit(),
            Product("B", "b", category=("Foods", "Snacks", "Chips")),
            Product("C", "c", category=("Home", "Soap")),
        ]
    )
    assert tree.roots() == (("Foods",), ("Home",))
    assert tree.descendants(("Foods",)) == (
        ("Foods", "Biscuits"),
        ("Foods", "Snacks"),
        ("Foods", "Snacks", "Chips"),
    )
    assert tree.ancestors(("Foods", "Snacks", "Chips")) == (("Foods", "Snacks"), ("Foods",))
    assert sorted(tree.skus_in(("Foods",))) == ["B", "SKU1"]
    with pytest.raises(NotFound, match="category: 'Toys'"):
        tree.children(("Toys",))
    assert parse_category("Foods/Biscuits") == ("Foods", "Biscuits")
    with pytest.raises(ValidationError):
        parse_category("Foods//Biscuits")


def test_document_totals_hand_checked() -> None:
    inv = Document(
        "INV-1",
        "invoice",
        "secondary",
        seller="D1",
        buyer="R1",
        issued_on=date(2025, 6, 3),
        currency="INR",
        lines=(
            # 24 x 8.50 = 204.00 gross, less 10.20 discount = 193.80 taxable, + 17.98 tax
            Line("SKU1", 24, inr("8.50"), discount=inr("10.20"), tax=inr("17.98")),
            # 12 x 20.00 = 240.00, no discount or tax
            Line("SKU2", 12, inr("20.00"), free_qty=1),
        ),
    )
    assert inv.gross == inr("444.00")
    assert inv.discount == inr("10.20")
    assert inv.taxable == inr("433.80")
    assert inv.tax == inr("17.98")
    assert inv.total == inr("451.78")
    assert inv.total_qty == 36
    assert inv.sign == 1
    assert inv.line(2).sku == "SKU2"
    assert [str(ref) for ref, _ in inv.numbered_lines()] == ["INV-1#1", "INV-1#2"]
    assert LineRef("INV-1", 1) == next(inv.numbered_lines())[0]
    ret = Document(
        "RET-1", "return", "secondary", "D1", "R1", date(2025, 6, 9), "INR", reference="INV-1"
    )
    assert ret.sign == -1


def test_document_validation() -> None:
    with pytest.raises(
        ValidationError, match=r"document 'X'.buyer: seller and buyer are both 'D1'"
    ):
        Document("X", "invoice", "primary", "D1", "D1", date(2025, 1, 1), "INR")
    with pytest.raises(ValidationError, match=r"document 'X'.kind: 'bill'"):
        Document("X", "bill", "primary", "P", "D1", date(2025, 1, 1), "INR")  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match=r"document 'X'.lines\[0\].unit_price: currency USD"):
        Document(
            "X",
            "invoice",
            "primary",
            "P",
            "D1",
            date(2025, 1, 1),
            "INR",
            lines=(Line("S", 1, Money.of("1", "USD")),),
        )
    with pytest.raises(ValidationError, match=r"line 'S'.qty: must be an int >= 0, got -2"):
        Line("S", -2, inr("1"))
    with pytest.raises(ValidationError, match=r"line 'S'.tax: currency USD differs"):
        Line("S", 1, inr("1"), tax=Money.of("1", "USD"))
    with pytest.raises(ValidationError, match="no line 3"):
        Document("X", "invoice", "primary", "P", "D1", date(2025, 1, 1), "INR").line(3)


def test_findings_and_traces() -> None:
    f = Finding(
        "outside_window", "invoice INV-9 dated 2025-07-02 is after the scheme", subject="INV-9"
    )
    assert (
        str(f)
        == "warning outside_window [INV-9]: invoice INV-9 dated 2025-07-02 is after the scheme"
    )
    t = (
        Trace.of("S1 for D1")
        .add("eligibility", "applied", "tier distributor")
        .add("slab 2", "rejected", "needs 50 cases, has 47")
    )
    assert [s.rule for s in t.rejected()] == ["slab 2"]
    assert t.render().splitlines() == [
        "S1 for D1",
        "  + eligibility: applied (tier distributor)",
        "  - slab 2: rejected (needs 50 cases, has 47)",
    ]
