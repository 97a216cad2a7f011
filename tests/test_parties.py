"""Tiers, accounts, GSTIN/PAN validation, payment terms and credit checks."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from distcrm.errors import ValidationError
from distcrm.money import Money
from distcrm.parties import (
    GSTIN_ALPHABET,
    INDIAN_FMCG,
    INDIAN_STATES,
    PARTNER_PROGRAM,
    Account,
    Gstin,
    Link,
    Pan,
    PaymentTerms,
    Tier,
    TierRules,
    credit_check,
    gstin_check_character,
)
from distcrm.periods import Validity


def _reference_check(first14: str) -> str:
    """The Luhn mod 36 algorithm written out independently, as the DESIGN states it."""
    values = [int(c) if c.isdigit() else ord(c) - ord("A") + 10 for c in first14]
    total = 0
    for i, v in enumerate(values):
        d = v * (2 if i % 2 else 1)
        total += d // 36 + d % 36
    check = (36 - total % 36) % 36
    return str(check) if check < 10 else chr(ord("A") + check - 10)


def test_known_gstins() -> None:
    assert Gstin("27AAPFU0939F1ZV").value == "27AAPFU0939F1ZV"
    with pytest.raises(ValidationError, match="check character 'O', expected 'V'"):
        Gstin("27AAPFU0939F1ZO")
    with pytest.raises(ValidationError, match="unknown state code '40'"):
        Gstin("40AAPFU0939F1ZV")
    with pytest.raises(ValidationError, match="must be 15 characters"):
        Gstin("27AAPFU0939F1Z")
    assert _reference_check("27AAPFU0939F1Z") == "V"


_STATES = sorted(INDIAN_STATES)
_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


@st.composite
def gstin_bodies(draw: st.DrawFn) -> str:
    state = draw(st.sampled_from(_STATES))
    pan = (
        draw(st.text(_LETTERS, min_size=5, max_size=5))
        + draw(st.text("0123456789", min_size=4, max_size=4))
        + draw(st.sampled_from(_LETTERS))
    )
    entity = draw(st.sampled_from("123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
    return state + pan + entity + draw(st.sampled_from(GSTIN_ALPHABET))


@settings(max_examples=300, deadline=None)
@given(gstin_bodies(), st.data())
def test_gstin_check_character_agrees_with_algorithm(body: str, data: st.DataObject) -> None:
    expected = _reference_check(body)
    assert gstin_check_character(body) == expected
    assert Gstin(body + expected).state_code == body[:2]
    wrong = data.draw(st.sampled_from([c for c in GSTIN_ALPHABET if c != expected]))
    with pytest.raises(ValidationError, match="check character"):
        Gstin(body + wrong)


def test_pan() -> None:
    assert Pan("AAPFU0939F").holder_type == "F"
    with pytest.raises(ValidationError, match="pan: 'AAPXU0939F'"):
        Pan("AAPXU0939F")  # X is not a PAN holder type


def test_tier_presets() -> None:
    assert INDIAN_FMCG.names == ("principal", "super_stockist", "distributor", "dealer", "retailer")
    assert INDIAN_FMCG.may_supply("super_stockist", "distributor")
    assert INDIAN_FMCG.may_supply("principal", "distributor")  # direct distributors
    assert not INDIAN_FMCG.may_supply("retailer", "distributor")
    assert not INDIAN_FMCG.allows_multi_parent("retailer")
    assert PARTNER_PROGRAM.allows_multi_parent("reseller")
    assert INDIAN_FMCG.is_root("principal")
    assert not INDIAN_FMCG.is_root("dealer")
    with pytest.raises(ValidationError, match="tier: 'wholesaler' is not one of"):
        INDIAN_FMCG.rank("wholesaler")


def test_tier_rules_report_every_problem() -> None:
    with pytest.raises(ValidationError) as info:
        TierRules((Tier("a"), Tier("b", frozenset({"c"})), Tier("a")))
    text = str(info.value)
    assert "$.tiers[1].parents: 'c' must be a tier declared above 'b'" in text
    assert "$.tiers[2].name: tier 'a' is declared twice" in text


def test_account_consistency_checks() -> None:
    a = Account("D1", "Shree", "distributor", gstin=Gstin("27AAPFU0939F1ZV"), pan=Pan("AAPFU0939F"))
    assert a.gst_state == "27"
    assert a.pan_from_gstin == "AAPFU0939F"
    with pytest.raises(ValidationError, match=r"account 'D2'.state_code: '29' does not match"):
        Account("D2", "X", "distributor", gstin=Gstin("27AAPFU0939F1ZV"), state_code="29")
    with pytest.raises(ValidationError, match=r"account 'D3'.pan: 'ABCPU0939F' does not match"):
        Account("D3", "X", "distributor", gstin=Gstin("27AAPFU0939F1ZV"), pan=Pan("ABCPU0939F"))
    with pytest.raises(ValidationError, match="lat: must be a number in"):
        Account("R1", "X", "retailer", lat=91.0, lon=0.0)
    with pytest.raises(ValidationError, match=r"account 'R2'.state_code: '00'"):
        Account("R2", "X", "retailer", state_code="00")


def test_payment_terms_due_dates() -> None:
    # 15 Jan + 30 days = 14 Feb
    assert PaymentTerms(30).due_date(date(2025, 1, 15)) == date(2025, 2, 14)
    # end of January (31 Jan) + 30 days = 2 March (February 2025 has 28 days)
    assert PaymentTerms(30, "end_of_month").due_date(date(2025, 1, 15)) == date(2025, 3, 2)
    # end of February in a leap year: 29 Feb 2024 + 0 days
    assert PaymentTerms(0, "end_of_month").due_date(date(2024, 2, 3)) == date(2024, 2, 29)
    with pytest.raises(ValidationError, match="payment_terms.days: must be an int >= 0"):
        PaymentTerms(-1)


def test_credit_check() -> None:
    acct = Account("D1", "S", "distributor", credit_limit=Money.of("100000", "INR"))
    # 90,000 outstanding + 15,000.50 new = 105,000.50; limit 100,000 -> 5,000.50 over
    finding = credit_check(acct, Money.of("90000", "INR"), Money.of("15000.50", "INR"))
    assert finding is not None
    assert finding.code == "credit_limit_exceeded"
    assert finding.subject == "D1"
    assert finding.amount == Money.of("5000.50", "INR")
    assert credit_check(acct, Money.of("90000", "INR"), Money.of("10000", "INR")) is None
    assert (
        credit_check(Account("D2", "S", "distributor"), Money.of("1", "INR"), Money.of("1", "INR"))
        is None
    )


def test_link() -> None:
    link = Link("SS1", "D1", Validity(date(2025, 4, 1), date(2026, 4, 1)))
    assert link.active_on(date(2025, 4, 1))
    assert not link.active_on(date(2026, 4, 1))
    assert link.id == "SS1->D1@2025-04-01"
    with pytest.raises(ValidationError, match="cannot supply itself"):
        Link("D1", "D1")
