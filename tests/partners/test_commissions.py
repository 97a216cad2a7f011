"""Commission rules, splits, invoice and payment basis, clawbacks and statements (hand-checked)."""

from __future__ import annotations

from datetime import date

import pytest
from commission_builders import attribution, doc, inr

from distcrm.errors import DuplicateError, PartnerError
from distcrm.partners import (
    CommissionPlan,
    CommissionRule,
    Deal,
    Partner,
    Payment,
    Split,
    commission_ledger,
)
from distcrm.periods import Period

JUNE = Period.containing(date(2025, 6, 1), "month")
JULY = Period.containing(date(2025, 7, 1), "month")
PARTNERS = [
    Partner("CP1", "city_partner"),
    Partner("D1", "distributor"),
    Partner("R1", "reseller"),
]


def test_rate_by_lead_source_for_a_city_partner() -> None:
    # Seed 002: own customers earn more than leads headquarters assigned.
    plan = CommissionPlan(
        [
            CommissionRule("OWN", "partner_sourced", "10"),
            CommissionRule("HQ", "assigned", "6"),
        ]
    )
    deals = [
        Deal("DEAL-1", attribution("L1", "CP1", reseller="CP1"), ["INV-1"]),
        Deal("DEAL-2", attribution("L2", "CP1", reseller="CP1", source="assigned"), ["INV-2"]),
    ]
    docs = [doc("INV-1", date(2025, 6, 5), "50000.00"), doc("INV-2", date(2025, 6, 9), "50000.00")]
    ledger = commission_ledger(deals, docs, plan, PARTNERS)
    s = ledger.statement("CP1", JUNE)
    # 10 % of 50,000 = 5,000.00 ; 6 % of 50,000 = 3,000.00 ; total 8,000.00
    assert [(e.deal, str(e.amount), e.rule) for e in s.lines] == [
        ("DEAL-1", "5000.00 INR", "OWN"),
        ("DEAL-2", "3000.00 INR", "HQ"),
    ]
    assert s.earned == inr("8000.00")
    assert s.clawed_back == inr("0.00")


def test_tax_is_not_commissionable_and_split_loses_no_paisa() -> None:
    plan = CommissionPlan(
        [
            CommissionRule(
                "D", "partner_sourced", "10", Split("30", "70"), partner_type="distributor"
            )
        ]
    )
    deal = Deal("DEAL-1", attribution("L1", "D1", distributor="D1", reseller="R1"), ["INV-1"])
    ledger = commission_ledger(
        [deal], [doc("INV-1", date(2025, 6, 5), "333.33", "60.00")], plan, PARTNERS
    )
    # 10 % of taxable 333.33 = 33.333 -> 33.33 (GST 60.00 earns nothing).
    # 30/70 of 3,333 paise = 999.9 / 2,333.1 -> floors 999 + 2,333 = 3,332; the last paisa goes
    # to the larger remainder (.9, the distributor): 10.00 + 23.33 = 33.33.
    shares = {e.partner: e.amount for e in ledger.events}
    assert shares == {"D1": inr("10.00"), "R1": inr("23.33")}
    assert ledger.deal_total("DEAL-1") == inr("33.33")
    step = ledger.events[0].trace.steps
    assert step[0].rule == "rule D"
    assert step[1].reason == "0.00 -> 33.33: invoice INV-1 taxable 333.33"


def test_single_attributed_partner_takes_the_whole_commission() -> None:
    plan = CommissionPlan([CommissionRule("R", "partner_sourced", "8", Split("25", "75"))])
    deal = Deal("DEAL-1", attribution("L1", "R1", reseller="R1"), ["INV-1"])
    ledger = commission_ledger([deal], [doc("INV-1", date(2025, 6, 5), "1000.00")], plan, PARTNERS)
    # no distributor: R1 takes 100 % of 8 % of 1,000 = 80.00
    assert [(e.partner, e.role, str(e.amount)) for e in ledger.events] == [
        ("R1", "reseller", "80.00 INR")
    ]


def test_invoice_basis_clawback_on_return_and_cap_at_what_was_earned() -> None:
    plan = CommissionPlan([CommissionRule("R", "partner_sourced", "10")])
    deal = Deal("DEAL-1", attribution("L1", "R1", reseller="R1"), ["INV-1"])
    docs = [
        doc("INV-1", date(2025, 6, 5), "1000.00", "180.00"),
        doc("RET-1", date(2025, 7, 2), "600.00", "108.00", kind="return", reference="INV-1"),
        doc("CN-1", date(2025, 7, 20), "600.00", kind="credit_note", reference="INV-1"),
        doc("RET-X", date(2025, 7, 21), "50.00", kind="return", reference="INV-OTHER"),
    ]
    ledger = commission_ledger([deal], docs, plan, PARTNERS)
    # June: 10 % of 1,000 = 100.00 earned.
    # July: return of 600 -> entitlement 10 % of 400 = 40.00 -> clawback 60.00;
    #       credit note of 600 more -> net taxable max(0, 1,000 - 1,200) = 0 -> clawback 40.00 only
    #       (not 60.00): never more than was earned. RET-X references no deal's invoice.
    assert [(e.document, e.kind, str(e.amount)) for e in ledger.events] == [
        ("INV-1", "earned", "100.00 INR"),
        ("RET-1", "clawback", "60.00 INR"),
        ("CN-1", "clawback", "40.00 INR"),
    ]
    july = ledger.statement("R1", JULY)
    assert (july.earned, july.clawed_back, july.net) == (inr("0.00"), inr("100.00"), inr("-100.00"))
    assert ledger.deal_total("DEAL-1") == inr("0.00")


def test_payment_basis_earns_as_the_customer_pays() -> None:
    plan = CommissionPlan([CommissionRule("P", "partner_sourced", "5", basis="payment")])
    deal = Deal("DEAL-1", attribution("L1", "R1", reseller="R1"), ["INV-1"])
    docs = [doc("INV-1", date(2025, 6, 5), "10000.00", "1800.00")]
    pays = [
        Payment("PAY-1", "INV-1", date(2025, 6, 20), inr("5900.00")),
        Payment("PAY-2", "INV-1", date(2025, 7, 10), inr("5900.00")),
        Payment("PAY-3", "INV-1", date(2025, 7, 11), inr("100.00")),  # overpaid: earns nothing more
    ]
    ledger = commission_ledger([deal], docs, plan, PARTNERS, pays)
    # full commission 5 % of taxable 10,000 = 500.00; each payment of 5,900 is half of the
    # 11,800 total -> 250.00 on 2025-06-20 and 250.00 on 2025-07-10; nothing on the invoice date.
    assert [(e.document, e.on, str(e.amount)) for e in ledger.events] == [
        ("PAY-1", date(2025, 6, 20), "250.00 INR"),
        ("PAY-2", date(2025, 7, 10), "250.00 INR"),
    ]
    assert ledger.statement("R1", JUNE).earned == inr("250.00")


def test_payment_basis_return_before_payment_is_not_clawed_back() -> None:
    plan = CommissionPlan([CommissionRule("P", "partner_sourced", "5", basis="payment")])
    deal = Deal("DEAL-1", attribution("L1", "R1", reseller="R1"), ["INV-1"])
    docs = [
        doc("INV-1", date(2025, 6, 5), "10000.00", "1800.00"),
        doc("RET-1", date(2025, 6, 15), "2000.00", "360.00", kind="return", reference="INV-1"),
    ]
    pays = [Payment("PAY-1", "INV-1", date(2025, 6, 30), inr("9440.00"))]
    ledger = commission_ledger([deal], docs, plan, PARTNERS, pays)
    # net taxable 10,000 - 2,000 = 8,000; net total 11,800 - 2,360 = 9,440, paid in full
    # -> 5 % of 8,000 = 400.00 earned on the payment date; nothing was earned before the return.
    assert [(e.document, e.kind, str(e.amount)) for e in ledger.events] == [
        ("PAY-1", "earned", "400.00 INR")
    ]


def test_payment_basis_return_after_full_payment_is_clawed_back() -> None:
    plan = CommissionPlan([CommissionRule("P", "partner_sourced", "5", basis="payment")])
    deal = Deal("DEAL-1", attribution("L1", "R1", reseller="R1"), ["INV-1"])
    docs = [
        doc("INV-1", date(2025, 6, 5), "10000.00", "1800.00"),
        doc("RET-1", date(2025, 7, 15), "4000.00", "720.00", kind="return", reference="INV-1"),
    ]
    pays = [Payment("PAY-1", "INV-1", date(2025, 6, 30), inr("11800.00"))]
    ledger = commission_ledger([deal], docs, plan, PARTNERS, pays)
    # paid in full: 5 % of 10,000 = 500.00; the return leaves net taxable 6,000 (net total 7,080,
    # paid more than that) -> 300.00 -> clawback 200.00.
    assert [(e.document, e.kind, str(e.amount)) for e in ledger.events] == [
        ("PAY-1", "earned", "500.00 INR"),
        ("RET-1", "clawback", "200.00 INR"),
    ]


def test_statement_render_and_per_partner_lines() -> None:
    plan = CommissionPlan(
        [
            CommissionRule(
                "D", "partner_sourced", "10", Split("40", "60"), partner_type="distributor"
            )
        ]
    )
    deal = Deal("DEAL-9", attribution("L9", "D1", distributor="D1", reseller="R1"), ["INV-9"])
    docs = [
        doc("INV-9", date(2025, 6, 5), "2500.00"),
        doc("RET-9", date(2025, 6, 25), "500.00", kind="return", reference="INV-9"),
    ]
    ledger = commission_ledger([deal], docs, plan, PARTNERS)
    # 10 % of 2,500 = 250.00 -> D1 40 % = 100.00, R1 60 % = 150.00
    # return 500: 10 % of 2,000 = 200.00 -> D1 80.00 (claw 20.00), R1 120.00 (claw 30.00)
    d1 = ledger.statement("D1", JUNE)
    assert (d1.earned, d1.clawed_back, d1.net) == (inr("100.00"), inr("20.00"), inr("80.00"))
    assert d1.render() == (
        "commission statement D1 2025-06 (INR)\n"
        "  2025-06-05 DEAL-9 INV-9 distributor earned +100.00 (D)\n"
        "  2025-06-25 DEAL-9 RET-9 distributor clawback -20.00 (D)\n"
        "  earned 100.00, clawed back 20.00, net 80.00"
    )
    assert ledger.statement("R1", JUNE).net == inr("120.00")
    assert [(st.partner, str(st.net)) for st in ledger.statements(JUNE)] == [
        ("D1", "80.00 INR"),
        ("R1", "120.00 INR"),
    ]
    assert ledger.statements(JULY) == ()
    assert ledger.statement("R1", JULY).lines == ()


def test_findings_for_missing_rules_and_invoices() -> None:
    plan = CommissionPlan([CommissionRule("OWN", "partner_sourced", "10", partner_type="reseller")])
    deals = [
        Deal("DEAL-1", attribution("L1", "CP1", reseller="CP1"), ["INV-1"]),
        Deal("DEAL-2", attribution("L2", "R1", reseller="R1"), ["INV-2", "INV-404"]),
    ]
    docs = [doc("INV-1", date(2025, 6, 5), "100.00"), doc("INV-2", date(2025, 6, 5), "100.00")]
    ledger = commission_ledger(deals, docs, plan, PARTNERS)
    assert [(f.code, f.subject) for f in ledger.findings] == [
        ("no_commission_rule", "DEAL-1"),
        ("invoice_missing", "DEAL-2"),
    ]
    assert (
        ledger.findings[0].message
        == "deal DEAL-1: no commission rule for city_partner / partner_sourced"
    )
    assert ledger.deal_total("DEAL-2") == inr("10.00")


def test_any_type_rule_is_the_fallback() -> None:
    plan = CommissionPlan(
        [
            CommissionRule("ANY", "assigned", "4"),
            CommissionRule("DIST", "assigned", "3", partner_type="distributor"),
        ]
    )
    assert plan.rule_for("distributor", "assigned").id == "DIST"  # type: ignore[union-attr]
    assert plan.rule_for("reseller", "assigned").id == "ANY"  # type: ignore[union-attr]
    assert plan.rule_for("reseller", "partner_sourced") is None


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (
            lambda: CommissionRule("R", "assigned", "-0.01"),
            "commission rule 'R'.rate: must be within [0, 100] percent, got -0.01",
        ),
        (
            lambda: CommissionRule("R", "assigned", "100.5"),
            "commission rule 'R'.rate: must be within [0, 100] percent, got 100.5",
        ),
        (
            lambda: CommissionRule("R", "assigned", 0.1),  # type: ignore[arg-type]
            "commission rule 'R'.rate: float 0.1 is not exact; pass a Decimal, int or str",
        ),
        (
            lambda: CommissionRule("R", "direct", "5"),  # type: ignore[arg-type]
            "commission rule 'R'.source: 'direct' is not one of partner_sourced, assigned",
        ),
        (
            lambda: CommissionRule("R", "assigned", "5", basis="order"),  # type: ignore[arg-type]
            "commission rule 'R'.basis: 'order' is not one of invoice, payment",
        ),
        (
            lambda: Split("50", "50.01"),
            "split.reseller: distributor 50 + reseller 50.01 must be exactly 100, not 100.01",
        ),
        (
            lambda: Split("110", "-10"),
            "split.distributor: must be within [0, 100] percent, got 110",
        ),
    ],
)
def test_bad_rules_name_the_rule_and_field(build: object, message: str) -> None:
    with pytest.raises(PartnerError) as err:
        build()  # type: ignore[operator]
    assert str(err.value) == message


def test_rate_bounds_are_inclusive() -> None:
    assert CommissionRule("Z", "assigned", "0").fraction == 0
    assert CommissionRule("H", "assigned", "100").fraction == 1


def test_plan_refuses_two_rules_for_one_key() -> None:
    with pytest.raises(PartnerError) as err:
        CommissionPlan([CommissionRule("A", "assigned", "5"), CommissionRule("B", "assigned", "6")])
    assert str(err.value) == (
        "commission plan.rules[1]: 'B' and 'A' both cover any partner type / assigned"
    )


def test_ledger_misuse_is_raised() -> None:
    plan = CommissionPlan([CommissionRule("R", "partner_sourced", "10")])
    a = attribution("L1", "R1", reseller="R1")
    with pytest.raises(
        DuplicateError, match=r"deal 'B'\.invoices: 'INV-1' is already billed for deal 'A'"
    ):
        commission_ledger([Deal("A", a, ["INV-1"]), Deal("B", a, ["INV-1"])], [], plan, PARTNERS)
    with pytest.raises(
        PartnerError, match=r"deal 'A'\.attribution\.owner: 'NOBODY' is not a partner"
    ):
        commission_ledger(
            [Deal("A", attribution("L", "NOBODY", reseller="R1"), ["I"])], [], plan, PARTNERS
        )
    with pytest.raises(
        PartnerError, match=r"document 'INV-1'\.currency: INR, the ledger is in USD"
    ):
        commission_ledger(
            [Deal("A", a, ["INV-1"])],
            [doc("INV-1", date(2025, 6, 5), "1.00")],
            plan,
            PARTNERS,
            currency="USD",
        )
    with pytest.raises(
        PartnerError, match=r"deal 'A'\.invoices: a deal needs at least one invoice"
    ):
        Deal("A", a, [])
