"""Invariants: one protecting partner at a time; splits add up; clawbacks never exceed earnings."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta
from decimal import Decimal

from commission_builders import attribution, doc, inr
from hypothesis import example, given, settings
from hypothesis import strategies as st

from distcrm.errors import InvalidTransition, PartnerError
from distcrm.money import Money
from distcrm.partners import (
    CommissionPlan,
    CommissionRule,
    CustomerIdentity,
    Deal,
    Lead,
    Partner,
    Payment,
    RegionMap,
    Registration,
    RegistrationBook,
    Split,
    commission_ledger,
    normalise_phone,
    route_lead,
)

START = date(2025, 1, 1)
PHONES = ("9800000001", "9800000002", "9800000003")
NAMES = ("Om Stores", "Sai Traders", "Kaveri Foods")
PARTNERS = [Partner(f"P{i}", "city_partner", ["PUNE"]) for i in range(3)]

customers = st.builds(
    lambda phone, name, both: CustomerIdentity(name, "Pune", phone=phone if both else None),
    st.sampled_from(PHONES),
    st.sampled_from(NAMES),
    st.booleans(),
) | st.builds(lambda phone: CustomerIdentity("", phone=phone), st.sampled_from(PHONES))

operations = st.lists(
    st.one_of(
        st.tuples(st.just("submit"), st.integers(0, 2), customers, st.integers(0, 300)),
        st.tuples(st.just("approve"), st.integers(0, 30), st.integers(0, 300)),
        st.tuples(st.just("reject"), st.integers(0, 30), st.integers(0, 300)),
    ),
    max_size=40,
)


def _at(day: int) -> datetime:
    return datetime.combine(START + timedelta(days=day), datetime.min.time())


_MIXED = CustomerIdentity("Sai Traders", "Pune", phone="9800000002")


@settings(max_examples=150, deadline=None)
@given(operations, st.integers(1, 120))
@example(  # a pending registration mixing one protected customer's name and another's phone
    [
        ("submit", 0, CustomerIdentity(name="Sai Traders", town="Pune"), 0),
        ("submit", 0, CustomerIdentity("", phone="9800000001"), 0),
        ("submit", 1, CustomerIdentity("", phone="9800000002"), 0),
        ("approve", 0, 1),
        ("approve", 2, 1),
        ("submit", 0, _MIXED, 0),
        ("approve", 3, 3),
    ],
    7,
)
def test_a_customer_is_protected_for_at_most_one_partner_at_a_time(
    ops: list[tuple[object, ...]], days: int
) -> None:
    book = RegistrationBook.of(PARTNERS, protection_days=days)
    ids: list[str] = []
    for op in ops:
        try:
            if op[0] == "submit":
                _, partner, customer, day = op
                rid = f"REG-{len(ids)}"
                reg = Registration(rid, f"P{partner}", customer, "PUNE", _at(day))  # type: ignore[arg-type]
                book, decision = book.submit(reg)
                if decision.accepted:
                    ids.append(rid)
            elif ids:
                _, k, day = op
                rid = ids[k % len(ids)]  # type: ignore[operator]
                if op[0] == "approve":
                    book, _ = book.approve(rid, by="hq", at=_at(day))  # type: ignore[arg-type]
                else:
                    book, _ = book.reject(rid, by="hq", at=_at(day))  # type: ignore[arg-type]
        except (InvalidTransition, PartnerError):
            continue  # a move the state machine refuses (wrong state, going back in time)
    held = [r for r in book.registrations if r.protection is not None]
    for a in held:
        for b in held:
            if a.partner != b.partner and a.customer.matches(b.customer):
                assert a.protection is not None and b.protection is not None
                assert not a.protection.overlaps(b.protection), (a, b)
    # Day by day: the partners protecting each protected customer are at most one.
    # (Identities match pairwise, not transitively: a pending registration whose
    # identity mixes two different protected customers -- one's name, the other's
    # phone -- matches both; it is refused if it ever comes up for approval.)
    for reg in held:
        for day in range(0, 450, 7):
            on = START + timedelta(days=day)
            assert len({r.partner for r in book.protecting(reg.customer, on)}) <= 1


percents = st.decimals(min_value=0, max_value=100, places=2)
amounts = st.integers(min_value=0, max_value=10_000_000).map(
    lambda p: Money.from_minor_units(p, "INR")
)


@settings(max_examples=200, deadline=None)
@given(percents, percents, st.lists(amounts, min_size=1, max_size=4))
def test_commission_splits_always_sum_to_the_total(
    rate: Decimal, dist_share: Decimal, taxables: list[Money]
) -> None:
    plan = CommissionPlan(
        [CommissionRule("R", "partner_sourced", rate, Split(dist_share, Decimal(100) - dist_share))]
    )
    invoices = [
        doc(f"INV-{i}", START + timedelta(days=i), str(t.amount)) for i, t in enumerate(taxables)
    ]
    deal = Deal(
        "D", attribution("L", "P0", distributor="D1", reseller="R1"), [d.id for d in invoices]
    )
    ledger = commission_ledger([deal], invoices, plan, [Partner("P0", "city_partner")])
    by_document: dict[str, Money] = defaultdict(lambda: inr("0"))
    for e in ledger.events:
        by_document[e.document] += e.signed
    total = sum((t.amount for t in taxables), Decimal(0))
    expected = Money(total * rate / 100, "INR").round()
    assert ledger.deal_total("D") == expected
    # Each document's shares add up to the change of the deal's entitlement it caused.
    running = inr("0")
    for i in range(len(taxables)):
        so_far = sum((x.amount for x in taxables[: i + 1]), Decimal(0))
        after = Money(so_far * rate / 100, "INR").round()
        assert by_document.get(f"INV-{i}", inr("0")) == after - running
        running = after


events = st.lists(
    st.one_of(
        st.tuples(st.just("return"), st.integers(0, 60), st.integers(1, 60_000)),
        st.tuples(st.just("credit_note"), st.integers(0, 60), st.integers(1, 60_000)),
        st.tuples(st.just("payment"), st.integers(0, 60), st.integers(1, 80_000)),
    ),
    max_size=12,
)


@settings(max_examples=200, deadline=None)
@given(
    st.integers(1, 100_000),
    percents,
    percents,
    st.sampled_from(["invoice", "payment"]),
    events,
)
def test_clawbacks_never_exceed_what_was_paid(
    taxable_paise: int,
    rate: Decimal,
    dist_share: Decimal,
    basis: str,
    steps: list[tuple[str, int, int]],
) -> None:
    rule = CommissionRule(
        "R",
        "partner_sourced",
        rate,
        Split(dist_share, Decimal(100) - dist_share),
        basis=basis,  # type: ignore[arg-type]
    )
    taxable = Money.from_minor_units(taxable_paise, "INR")
    docs = [doc("INV", START, str(taxable.amount), str((taxable * Decimal("0.18")).round().amount))]
    pays = []
    for i, (kind, day, paise) in enumerate(steps):
        on = START + timedelta(days=day)
        amount = str(Money.from_minor_units(paise, "INR").amount)
        if kind == "payment":
            pays.append(Payment(f"PAY-{i}", "INV", on, inr(amount)))
        else:
            docs.append(doc(f"{kind}-{i}", on, amount, kind=kind, reference="INV"))  # type: ignore[arg-type]
    deal = Deal("D", attribution("L", "P0", distributor="D1", reseller="R1"), ["INV"])
    ledger = commission_ledger([deal], docs, CommissionPlan([rule]), [Partner("P0", "x")], pays)
    for partner in ("D1", "R1"):
        earned = clawed = Decimal(0)
        for e in ledger.for_partner(partner):
            if e.kind == "earned":
                earned += e.amount.amount
            else:
                clawed += e.amount.amount
            assert clawed <= earned, (partner, e)
    assert ledger.deal_total("D").amount >= 0
    assert ledger.deal_total("D") <= Money(taxable.amount * rate / 100, "INR").round()


mobiles = st.integers(6_000_000_000, 9_999_999_999).map(str)


@settings(max_examples=100, deadline=None)
@given(mobiles, st.sampled_from(["{}", "+91{}", "+91 {}", "0{}", "91{}", "0091 {}", "+91-{}"]))
def test_every_way_of_writing_an_indian_mobile_gives_one_key(number: str, pattern: str) -> None:
    spaced = f"{number[:5]} {number[5:]}"
    assert normalise_phone(pattern.format(number)) == number
    assert normalise_phone(pattern.format(spaced)) == number


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.sampled_from(["PUNE", "MH", "WEST", "NASHIK"]), min_size=1, max_size=6),
    st.lists(st.integers(0, 3), max_size=6),
    st.integers(0, 6),
)
def test_routing_offers_each_candidate_once_in_order(
    covers: list[str], priorities: list[int], declines: int
) -> None:
    regions = RegionMap.from_parents({"PUNE": "MH", "NASHIK": "MH", "MH": "WEST"})
    partners = [
        Partner(f"P{i}", "city_partner", [c], priority=priorities[i] if i < len(priorities) else 0)
        for i, c in enumerate(covers)
    ]
    lead = Lead("HQ", CustomerIdentity("Apex", "Pune"), "PUNE", START)
    r = route_lead(lead, partners, regions)
    keys = [(c.priority, c.levels_up, c.partner) for c in r.candidates]
    assert keys == sorted(keys)
    assert {c.partner for c in r.candidates} == {
        p.id for p in partners if p.regions & {"PUNE", "MH", "WEST"}
    }
    for n in range(declines):
        if r.status != "offered":
            break
        r = r.decline(r.current or "", at=_at(n))
    offered = [s.partner for s in r.history if s.kind == "offered"]
    assert len(offered) == len(set(offered))
    assert offered == list(r.candidate_ids[: len(offered)])
    if r.status == "unassigned":
        assert r.findings
        assert len(offered) == len(r.candidates)
