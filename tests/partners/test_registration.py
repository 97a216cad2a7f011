"""Registration state machine and the protection book: regions, duplicates, conflicts, expiry."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from distcrm.errors import DuplicateError, InvalidTransition, NotFound, PartnerError
from distcrm.partners import (
    CustomerIdentity,
    Partner,
    RegionMap,
    Registration,
    RegistrationBook,
    allowed_transitions,
    approve,
    expire,
    reject,
    status_on,
)
from distcrm.periods import Validity

REGIONS = RegionMap.from_parents({"PUNE": "MH", "NASHIK": "MH", "MH": "WEST", "SURAT": "GJ"})
SHOP = CustomerIdentity.of("Sharma Electricals", "Pune", phone="98765 43210")
SAME_SHOP = CustomerIdentity.of("SHARMA ELECTRICALS PVT LTD", "pune")
OTHER_SHOP = CustomerIdentity.of("Kulkarni Stores", "Pune")


def _book(protection_days: int = 90) -> RegistrationBook:
    return RegistrationBook.of(
        [
            Partner("CP1", "city_partner", ["PUNE"]),
            Partner("CP2", "city_partner", ["MH"]),
            Partner("CP3", "city_partner", ["GJ"]),
            Partner(
                "OLD",
                "city_partner",
                ["PUNE"],
                validity=Validity(date(2024, 1, 1), date(2025, 1, 1)),
            ),
        ],
        regions=REGIONS,
        protection_days=protection_days,
    )


def _reg(
    rid: str, partner: str, customer: CustomerIdentity, day: date, region: str = "PUNE"
) -> Registration:
    return Registration(rid, partner, customer, region, datetime(day.year, day.month, day.day, 10))


# --- the state machine ------------------------------------------------------------------------


def test_approval_protects_for_the_window_from_the_approval_date() -> None:
    r = _reg("REG-1", "CP1", SHOP, date(2025, 6, 2))
    r = approve(r, by="hq.meera", at=datetime(2025, 6, 3, 9, 30), protection_days=90)
    # 2025-06-03 + 90 days: 27 days left in June + 31 in July + 31 in August = 89 -> 2025-09-01
    assert r.protection == Validity(date(2025, 6, 3), date(2025, 9, 1))
    assert r.protected_on(date(2025, 8, 31))
    assert not r.protected_on(date(2025, 9, 1))
    assert status_on(r, date(2025, 6, 2)) == "submitted"
    assert status_on(r, date(2025, 8, 31)) == "approved"
    assert status_on(r, date(2025, 9, 1)) == "expired"
    assert [(h.previous, h.status, h.by) for h in r.history] == [
        ("submitted", "approved", "hq.meera")
    ]


def test_expire_is_recorded_only_after_the_window() -> None:
    r = approve(_reg("REG-1", "CP1", SHOP, date(2025, 6, 2)), by="hq", at=datetime(2025, 6, 3))
    with pytest.raises(InvalidTransition) as err:
        expire(r, by="system", at=datetime(2025, 8, 31, 23, 59))
    assert str(err.value).startswith("registration 'REG-1': cannot go from 'approved' to 'expired'")
    done = expire(r, by="system", at=datetime(2025, 9, 1))
    assert done.status == "expired"
    assert [h.status for h in done.history] == ["approved", "expired"]
    assert not done.protected_on(date(2025, 6, 10))  # a recorded expiry protects nothing


@pytest.mark.parametrize(
    ("status", "allowed"),
    [
        ("submitted", {"approved", "rejected"}),
        ("approved", {"expired"}),
        ("rejected", set()),
        ("expired", set()),
    ],
)
def test_allowed_transitions(status: str, allowed: set[str]) -> None:
    assert allowed_transitions(status) == frozenset(allowed)  # type: ignore[arg-type]


def test_invalid_transitions_name_the_registration_and_states() -> None:
    r = reject(_reg("REG-9", "CP1", SHOP, date(2025, 6, 2)), by="hq", at=datetime(2025, 6, 3))
    with pytest.raises(InvalidTransition) as err:
        approve(r, by="hq", at=datetime(2025, 6, 4))
    assert str(err.value) == (
        "registration 'REG-9': cannot go from 'rejected' to 'approved' (allowed: none)"
    )


def test_steps_need_who_and_go_forward_in_time() -> None:
    r = _reg("REG-1", "CP1", SHOP, date(2025, 6, 2))
    with pytest.raises(
        PartnerError, match=r"registration 'REG-1'\.history: a status change needs who"
    ):
        approve(r, by="", at=datetime(2025, 6, 3))
    with pytest.raises(
        PartnerError, match=r"registration 'REG-1'\.history: approved at .* is before"
    ):
        approve(r, by="hq", at=datetime(2025, 6, 1))
    with pytest.raises(PartnerError, match=r"registration 'REG-1'\.protection_days: must be >= 1"):
        approve(r, by="hq", at=datetime(2025, 6, 3), protection_days=0)


def test_registration_fields_are_checked() -> None:
    with pytest.raises(PartnerError, match=r"registration 'R'\.region: must be a non-empty string"):
        Registration("R", "CP1", SHOP, "", datetime(2025, 6, 2))
    with pytest.raises(
        PartnerError, match=r"registration 'R'\.protection: an approved registration"
    ):
        Registration("R", "CP1", SHOP, "PUNE", datetime(2025, 6, 2), status="approved")


# --- the book: regions ---------------------------------------------------------------------


def test_partner_registers_only_within_its_regions() -> None:
    book = _book()
    # CP2 covers MH, so PUNE (MH's child) is within its regions; CP3 covers GJ only.
    book, ok = book.submit(_reg("REG-1", "CP2", SHOP, date(2025, 6, 2)))
    assert ok.accepted
    assert ok.trace.applied()[0].reason == "PUNE within MH"
    same, refused = book.submit(_reg("REG-2", "CP3", OTHER_SHOP, date(2025, 6, 2)))
    assert not refused.accepted
    assert same is book
    assert [f.code for f in refused.findings] == ["outside_regions"]
    assert refused.findings[0].message == (
        "CP3 may not register Kulkarni Stores (Pune) in PUNE: covers GJ"
    )


def test_inactive_partner_cannot_register() -> None:
    _, d = _book().submit(_reg("REG-1", "OLD", SHOP, date(2025, 6, 2)))
    assert not d.accepted
    assert d.findings[0].message.endswith("not active on 2025-06-02")


def test_unknown_partner_and_reused_id_are_errors() -> None:
    book, _ = _book().submit(_reg("REG-1", "CP1", SHOP, date(2025, 6, 2)))
    with pytest.raises(DuplicateError, match="registration 'REG-1': already in the book"):
        book.submit(_reg("REG-1", "CP1", OTHER_SHOP, date(2025, 6, 2)))
    with pytest.raises(
        PartnerError, match=r"registration 'REG-2'\.partner: 'NOPE' is not a partner"
    ):
        book.submit(_reg("REG-2", "NOPE", OTHER_SHOP, date(2025, 6, 2)))
    with pytest.raises(NotFound, match="registration 'REG-404': not in the book"):
        book.get("REG-404")


# --- the book: protection and conflicts ------------------------------------------------------


def test_first_approved_registration_is_protected_and_later_ones_conflict() -> None:
    book = _book()
    book, _ = book.submit(_reg("REG-1", "CP1", SHOP, date(2025, 6, 2)))
    book, _ = book.approve("REG-1", by="hq", at=datetime(2025, 6, 3))
    book, d = book.submit(_reg("REG-2", "CP2", SAME_SHOP, date(2025, 7, 15)))
    assert not d.accepted
    assert d.conflicts == ("REG-1",)
    (finding,) = d.findings
    assert finding.code == "protected_for_other"
    assert finding.message == (
        "SHARMA ELECTRICALS PVT LTD (pune) is protected for CP1 by REG-1 until 2025-09-01 "
        "(exclusive); "
        "same name_town sharma electricals|pune"
    )
    assert "REG-2" not in book
    assert book.protected_for(SAME_SHOP, date(2025, 7, 15)) == "CP1"


def test_after_expiry_another_partner_may_register() -> None:
    book = _book()
    book, _ = book.submit(_reg("REG-1", "CP1", SHOP, date(2025, 6, 2)))
    book, _ = book.approve("REG-1", by="hq", at=datetime(2025, 6, 3))
    book, d = book.submit(_reg("REG-2", "CP2", SAME_SHOP, date(2025, 9, 1)))
    assert d.accepted
    book, ok = book.approve("REG-2", by="hq", at=datetime(2025, 9, 2))
    assert ok.accepted
    assert book.protected_for(SHOP, date(2025, 9, 2)) == "CP2"
    assert book.protected_for(SHOP, date(2025, 8, 31)) == "CP1"


def test_two_pending_registrations_first_approval_wins() -> None:
    book = _book()
    book, d1 = book.submit(_reg("REG-1", "CP1", SHOP, date(2025, 6, 2)))
    book, d2 = book.submit(_reg("REG-2", "CP2", SAME_SHOP, date(2025, 6, 3)))
    assert d1.accepted and d2.accepted
    assert [(f.code, f.severity) for f in d2.findings] == [("pending_elsewhere", "info")]
    book, ok = book.approve("REG-2", by="hq", at=datetime(2025, 6, 4))
    assert ok.accepted
    same, refused = book.approve("REG-1", by="hq", at=datetime(2025, 6, 5))
    assert not refused.accepted
    assert same is book
    assert refused.conflicts == ("REG-2",)
    assert book.get("REG-1").status == "submitted"  # nothing applied; HQ may now reject it
    book, _ = book.reject("REG-1", by="hq", at=datetime(2025, 6, 5), note="CP2 was approved first")
    assert book.get("REG-1").history[-1].note == "CP2 was approved first"


def test_back_dated_approval_cannot_overlap_another_protection() -> None:
    book = _book()
    book, _ = book.submit(_reg("REG-1", "CP1", SHOP, date(2025, 6, 2)))
    book, _ = book.submit(_reg("REG-2", "CP2", SAME_SHOP, date(2025, 6, 2)))
    book, _ = book.approve("REG-2", by="hq", at=datetime(2025, 7, 1))
    # REG-1 approved "as of" 2025-06-03 would protect [06-03, 09-01), overlapping REG-2's window.
    _, d = book.approve("REG-1", by="hq", at=datetime(2025, 6, 3))
    assert not d.accepted
    assert d.findings[0].code == "protected_for_other"


def test_same_partner_duplicates_are_refused() -> None:
    book = _book()
    book, _ = book.submit(_reg("REG-1", "CP1", SHOP, date(2025, 6, 2)))
    _, pending = book.submit(_reg("REG-2", "CP1", SAME_SHOP, date(2025, 6, 2)))
    assert [f.code for f in pending.findings] == ["already_submitted"]
    assert not pending.accepted
    book, _ = book.approve("REG-1", by="hq", at=datetime(2025, 6, 3))
    _, protected = book.submit(_reg("REG-3", "CP1", SAME_SHOP, date(2025, 6, 10)))
    assert [f.code for f in protected.findings] == ["already_protected"]


def test_rejected_and_expired_duplicates_do_not_block() -> None:
    book = _book(protection_days=30)
    book, _ = book.submit(_reg("REG-1", "CP1", SHOP, date(2025, 6, 2)))
    book, _ = book.reject("REG-1", by="hq", at=datetime(2025, 6, 3))
    book, d = book.submit(_reg("REG-2", "CP2", SAME_SHOP, date(2025, 6, 4)))
    assert d.accepted
    assert d.trace.steps[-1].outcome == "skipped"
    book, _ = book.approve("REG-2", by="hq", at=datetime(2025, 6, 5))
    # 30 days from 2025-06-05 -> protection ends (exclusive) on 2025-07-05
    book, _ = book.expire("REG-2", by="system", at=datetime(2025, 7, 5))
    assert book.get("REG-2").status == "expired"
    book, d3 = book.submit(_reg("REG-3", "CP1", SHOP, date(2025, 7, 5)))
    assert d3.accepted


def test_duplicates_are_found_through_any_key() -> None:
    book = _book()
    book, _ = book.submit(_reg("REG-1", "CP1", SHOP, date(2025, 6, 2)))
    by_phone = CustomerIdentity.of("Totally Different", "Nashik", phone="+91 98765 43210")
    assert [r.id for r in book.duplicates(by_phone)] == ["REG-1"]
    assert book.duplicates(OTHER_SHOP) == ()


def test_book_construction_errors() -> None:
    with pytest.raises(PartnerError, match=r"registration book\.protection_days: must be >= 1"):
        RegistrationBook.of([], protection_days=0)
    with pytest.raises(
        DuplicateError, match=r"registration book\.partners\[1\]: partner 'CP1' twice"
    ):
        RegistrationBook.of([Partner("CP1", "x"), Partner("CP1", "y")])
    r = _reg("REG-1", "CP1", SHOP, date(2025, 6, 2))
    with pytest.raises(
        DuplicateError, match=r"registration book\.registrations\[1\]: id 'REG-1' twice"
    ):
        RegistrationBook.of([Partner("CP1", "x")], [r, r])


def test_region_map_cycles_are_refused() -> None:
    with pytest.raises(PartnerError, match=r"region map\.parents\['A'\]: 'A' is its own ancestor"):
        RegionMap.from_parents({"A": "B", "B": "C", "C": "A"})


def test_older_versions_of_a_book_stay_unchanged_and_can_branch() -> None:
    v0 = _book()
    v1, _ = v0.submit(_reg("REG-1", "CP1", SHOP, date(2025, 6, 2)))
    v2, _ = v1.submit(_reg("REG-2", "CP1", OTHER_SHOP, date(2025, 6, 2)))
    assert (len(v0), len(v1), len(v2)) == (0, 1, 2)
    assert "REG-2" not in v1
    assert v1.duplicates(OTHER_SHOP) == ()
    # Branch from v1: another partner registers the same shop as REG-2 did on v2.
    b2, d = v1.submit(_reg("REG-2B", "CP2", OTHER_SHOP, date(2025, 6, 3)))
    assert d.accepted
    assert [r.id for r in b2.duplicates(OTHER_SHOP)] == ["REG-2B"]
    assert [r.id for r in v2.duplicates(OTHER_SHOP)] == ["REG-2"]
    a2, _ = v2.approve("REG-2", by="hq", at=datetime(2025, 6, 4))
    assert v2.get("REG-2").status == "submitted"
    assert a2.get("REG-2").status == "approved"
