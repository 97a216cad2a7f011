"""Normalised identity keys: phone, name + town, GSTIN; duplicates match on any key."""

from __future__ import annotations

import pytest

from distcrm.errors import PartnerError
from distcrm.parties import Gstin
from distcrm.partners import CustomerIdentity, normalise_name, normalise_phone, normalise_town


@pytest.mark.parametrize(
    ("raw", "key"),
    [
        ("9876543210", "9876543210"),
        ("+91 98765 43210", "9876543210"),
        ("+91-98765-43210", "9876543210"),
        ("0091 98765 43210", "9876543210"),
        ("098765 43210", "9876543210"),
        ("91 9876543210", "9876543210"),
        ("(020) 2567-1234", "2025671234"),  # STD code 020 without its trunk 0
        ("+44 20 7946 0958", "+442079460958"),  # foreign: kept whole with its country code
        ("001 415 555 0100", "+14155550100"),
    ],
)
def test_phone_normalisation(raw: str, key: str) -> None:
    assert normalise_phone(raw) == key


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("", "phone: '' has no digits"),
        ("call me", "phone: 'call me' has no digits"),
        ("98765", "phone: '98765' has 5 digits; an Indian number needs 10"),
        ("+1 555", "phone: '+1 555' has 4 digits; an international number has 8-15"),
    ],
)
def test_bad_phone_is_an_error(raw: str, message: str) -> None:
    with pytest.raises(PartnerError) as err:
        normalise_phone(raw)
    assert str(err.value) == message


@pytest.mark.parametrize(
    ("raw", "key"),
    [
        ("Sharma Electricals Pvt. Ltd.", "sharma electricals"),
        ("SHARMA ELECTRICALS PRIVATE LIMITED", "sharma electricals"),
        ("M/s. Sharma Electricals", "sharma electricals"),
        ("Gupta & Co.", "gupta"),
        ("Gupta and Company", "gupta"),
        ("Om Sai Traders LLP", "om sai traders"),  # trade words stay
        ("Kaveri Foods (OPC) Pvt Ltd", "kaveri foods"),
        ("Ltd", "ltd"),  # never empties a name
    ],
)
def test_name_normalisation(raw: str, key: str) -> None:
    assert normalise_name(raw) == key


def test_town_normalisation() -> None:
    assert normalise_town("  NAVI-MUMBAI ") == "navi mumbai"


def test_customers_match_on_any_shared_key() -> None:
    a = CustomerIdentity.of("Sharma Electricals", "Pune", gstin="27AAPFU0939F1ZV")
    b = CustomerIdentity.of("Different Name", "Nashik", gstin="27aapfu0939f1zv")
    c = CustomerIdentity.of("Sharma Electricals Pvt Ltd", "PUNE", phone="98220 12345")
    d = CustomerIdentity.of("Sharma Electricals", "Nashik", phone="+91 98220 12345")
    assert a.matches(b) == (("gstin", "27AAPFU0939F1ZV"),)
    assert a.matches(c) == (("name_town", "sharma electricals|pune"),)
    assert c.matches(d) == (("phone", "9822012345"),)
    assert a.matches(d) == ()  # same name, other town, no shared phone or GSTIN


def test_identity_needs_at_least_one_key() -> None:
    with pytest.raises(PartnerError) as err:
        CustomerIdentity("Nameless Shop")
    assert str(err.value).startswith("customer 'Nameless Shop'.town:")
    assert CustomerIdentity("Nameless Shop", phone="9876543210").identity_keys() == frozenset(
        {("phone", "9876543210")}
    )


def test_bad_gstin_names_customer_and_field() -> None:
    with pytest.raises(PartnerError) as err:
        CustomerIdentity.of("Om Stores", "Pune", gstin="27AAPFU0939F1ZO")
    assert str(err.value).startswith("customer 'Om Stores'.gstin: ")
    assert CustomerIdentity("X", gstin=Gstin("27AAPFU0939F1ZV")).gstin == Gstin("27AAPFU0939F1ZV")


def test_bad_phone_names_customer_and_field() -> None:
    with pytest.raises(PartnerError) as err:
        CustomerIdentity("Om Stores", "Pune", phone="123")
    assert (
        str(err.value)
        == "customer 'Om Stores'.phone: '123' has 3 digits; an Indian number needs 10"
    )
