"""Resolution by access sequence: examples, ties, traces, errors, bulk, properties."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pricing_builders import ON, inr, product

from distcrm.periods import Validity
from distcrm.pricing import (
    DEFAULT_ACCESS_SEQUENCE,
    AccessSequence,
    Buyer,
    MrpViolation,
    NoPrice,
    PriceEntry,
    PriceIndex,
    PriceList,
    PriceListError,
    PriceTie,
    PricingError,
    Scope,
    resolve_price,
)

R1 = Buyer("R1", territory="PUNE", tier="retailer", channel="general_trade")


def _lists() -> list[PriceList]:
    return [
        PriceList("NATIONAL", "INR", entries=(
            PriceEntry("SKU1", inr("80.00")),
            PriceEntry("SKU1", inr("72.03"), Scope(tier="retailer")),
            PriceEntry("SKU1", inr("70.00"), Scope(tier="retailer"), min_qty=2, uom="case"),
        )),
        PriceList("PUNE", "INR", entries=(
            PriceEntry("SKU1", inr("71.50"), Scope(territory="PUNE", tier="retailer"),
                       min_qty=12, validity=Validity(date(2025, 5, 1), date(2025, 7, 1))),
        )),
        PriceList("KEY", "INR", entries=(
            PriceEntry("SKU1", inr("69.00"), Scope(account="R9")),
        )),
    ]


def test_most_specific_scope_with_a_valid_fitting_entry_wins() -> None:
    index = PriceIndex(_lists(), products=[product("SKU1", case=24)])
    # qty 12 reaches the PUNE break (12) on a day inside its validity.
    assert index.resolve(R1, "SKU1", 12, ON).entry.path == "price list 'PUNE'.entries[0]"
    # qty 11 is below PUNE's only break: fall through to the tier entry.
    assert index.resolve(R1, "SKU1", 11, ON).price == inr("72.03")
    # After PUNE's validity ends, the tier entries apply; 48 units = 2 cases reach the case break.
    later = date(2025, 7, 1)
    assert index.resolve(R1, "SKU1", 48, later).price == inr("70.00")
    assert index.resolve(R1, "SKU1", 47, later).price == inr("72.03")
    # A distributor has no tier entry: the everyone entry.
    assert index.resolve(Buyer("D1", tier="distributor"), "SKU1", 1, ON).price == inr("80.00")
    # The key account's own price.
    assert index.resolve(Buyer("R9", tier="retailer"), "SKU1", 1, ON).price == inr("69.00")


def test_trace_names_every_step_and_why() -> None:
    index = PriceIndex(_lists(), products=[product("SKU1", case=24)])
    trace = index.resolve(R1, "SKU1", 5, date(2025, 7, 1)).trace
    assert [(s.rule, s.outcome) for s in trace.steps] == [
        ("account", "skipped"), ("territory+tier", "rejected"), ("channel", "skipped"),
        ("tier", "applied"), ("everyone", "skipped")]
    assert "none valid on 2025-07-01" in trace.steps[1].reason
    assert "no entry for channel=general_trade" in trace.steps[2].reason
    assert "break 1 ≤ 5 at 72.03 INR" in trace.steps[3].reason
    assert "break above qty 5" in trace.steps[3].children[0].reason
    assert trace.steps[4].reason == "not reached"


def test_custom_sequence_changes_the_winner() -> None:
    seq = AccessSequence([("tier",), ("territory", "tier"), ()])
    index = PriceIndex(_lists(), seq, products=[product("SKU1", case=24)])
    assert index.resolve(R1, "SKU1", 12, ON).price == inr("72.03")
    assert {r.path for r in index.unreachable} == {"price list 'KEY'.entries[0]"}


@pytest.mark.parametrize(("policy", "winner"), [("first", "A"), ("lowest", "B"), ("highest", "A")])
def test_tie_policies(policy: str, winner: str) -> None:
    a = PriceList("A", "INR", entries=(PriceEntry("SKU1", inr("10"), Scope(tier="retailer")),))
    b = PriceList("B", "INR", entries=(PriceEntry("SKU1", inr("9"), Scope(tier="retailer")),))
    r = resolve_price([a, b], R1, "SKU1", 1, ON, on_tie=policy)  # type: ignore[arg-type]
    assert r.entry.list_id == winner
    index = PriceIndex([a, b], on_tie=policy)  # type: ignore[arg-type]
    assert index.resolve_many([(R1, "SKU1", 1)], ON).entries[0] == r.entry


def test_tie_raises_by_default_naming_both_entries_single_and_bulk() -> None:
    a = PriceList("A", "INR", entries=(PriceEntry("SKU1", inr("10"), Scope(tier="retailer")),))
    b = PriceList("B", "INR", entries=(PriceEntry("SKU1", inr("9"), Scope(tier="retailer")),))
    index = PriceIndex([a, b])
    expected = r"price list 'A'.entries\[0\] \(10 INR\) and price list 'B'.entries\[0\] \(9 INR\)"
    with pytest.raises(PriceTie, match=expected):
        index.resolve(R1, "SKU1", 1, ON)
    with pytest.raises(PriceTie, match=expected):
        index.resolve_many([(R1, "SKU1", 1)], ON)
    with pytest.raises(PricingError, match="on_tie: 'random'"):
        PriceIndex([a], on_tie="random")  # type: ignore[arg-type]


def test_unknown_sku_and_no_price_raise_with_the_trace() -> None:
    index = PriceIndex(_lists(), products=[product("SKU1", case=24)])
    with pytest.raises(NoPrice, match=r"line 'NOPE'.sku: unknown SKU, in none of price lists "
                                      r"'NATIONAL', 'PUNE', 'KEY'"):
        index.resolve(R1, "NOPE", 1, ON)
    only_tier = PriceIndex([PriceList("T", "INR", entries=(
        PriceEntry("SKU1", inr("1"), Scope(tier="retailer")),))])
    with pytest.raises(NoPrice, match="no price for buyer 'D1'") as e:
        only_tier.resolve(Buyer("D1", tier="distributor"), "SKU1", 1, ON)
    assert "no entry for tier=distributor" in str(e.value)
    assert only_tier.resolve_many([(Buyer("D1"), "SKU1", 1)], ON, missing="skip").price(0) is None


def test_currencies_must_match_across_lists() -> None:
    usd = PriceList("USD", "USD")
    with pytest.raises(PricingError, match="price list 'USD'.currency: USD does not match"):
        PriceIndex([PriceList("INR", "INR"), usd])


def test_pack_break_needs_the_product() -> None:
    with pytest.raises(PriceListError, match=r"'NATIONAL'.entries\[2\].uom: break in 'case'"):
        PriceIndex(_lists())
    with pytest.raises(PriceListError, match=r"'NATIONAL'.entries\[2\].uom: .*no pack 'case'"):
        PriceIndex(_lists(), products=[product("SKU1").__class__("SKU1", "x")])


def test_resolved_price_above_mrp_raises() -> None:
    pl = PriceList("RET", "INR", tax_inclusive=True, entries=(PriceEntry("SKU1", inr("101")),))
    index = PriceIndex([pl], products=[product("SKU1", mrp="100")])
    with pytest.raises(MrpViolation, match=r"price list 'RET'.entries\[0\].price: 101 INR"):
        index.resolve(R1, "SKU1", 1, ON)
    assert PriceIndex([pl], products=[product("SKU1")], check_mrp=False).resolve(
        R1, "SKU1", 1, ON).price == inr("101")


def test_bulk_matches_single_resolution_and_totals() -> None:
    index = PriceIndex(_lists(), products=[product("SKU1", case=24)])
    lines = [(R1, "SKU1", q) for q in (1, 11, 12, 48)] + [(Buyer("R9"), "SKU1", 3)]
    bulk = index.resolve_many(lines, ON)
    single = [index.resolve(b, s, q, ON) for b, s, q in lines]
    assert [bulk.price(i) for i in range(len(bulk))] == [r.price for r in single]
    # 72.03 + 11 × 72.03 + 12 × 71.50 + 48 × 71.50 + 3 × 69.00 = 864.36 + 4290.00 + 207.00
    assert str(bulk.total()) == "5361.36 INR"
    traced = index.resolve_many(lines, ON, trace=True)
    assert traced.resolutions is not None
    assert [r.entry if r else None for r in traced.resolutions] == bulk.entries
    assert traced.minor_units == bulk.minor_units and traced.qtys == bulk.qtys


# -- properties ------------------------------------------------------------------------

FIELDS = st.sampled_from([(), ("account",), ("tier",), ("territory", "tier"), ("channel",)])
DAY0 = date(2025, 1, 1)


@st.composite
def entries(draw: st.DrawFn) -> PriceEntry:
    fields = draw(FIELDS)
    values = {"account": draw(st.sampled_from(["R1", "R2"])),
              "tier": draw(st.sampled_from(["retailer", "distributor"])),
              "territory": draw(st.sampled_from(["PUNE", "NASIK"])),
              "channel": draw(st.sampled_from(["gt", "mt"]))}
    start = DAY0 + timedelta(days=draw(st.integers(0, 60)))
    length = draw(st.one_of(st.none(), st.integers(1, 60)))
    validity = Validity(start, None if length is None else start + timedelta(days=length))
    return PriceEntry(draw(st.sampled_from(["A", "B"])),
                      inr(str(draw(st.integers(0, 10_000)))),
                      Scope(**{f: values[f] for f in fields}),
                      min_qty=draw(st.sampled_from([0, 1, 6, 12, 48])), validity=validity)


def _lists_of(drawn: list[list[PriceEntry]]) -> list[PriceList]:
    out = []
    for i, es in enumerate(drawn):
        kept: list[PriceEntry] = []
        for e in es:  # drop entries that would overlap inside one list
            if not any((k.scope, k.sku, k.min_qty) == (e.scope, e.sku, e.min_qty)
                       and k.validity.overlaps(e.validity) for k in kept):
                kept.append(e)
        out.append(PriceList(f"L{i}", "INR", entries=kept))
    return out


BUYERS = st.builds(lambda a, t, tr, c: Buyer(a, tier=t, territory=tr, channel=c),
                   st.sampled_from(["R1", "R2", "R3"]),
                   st.sampled_from(["retailer", "distributor", None]),
                   st.sampled_from(["PUNE", "NASIK", None]), st.sampled_from(["gt", "mt", None]))


def _matches(scope: Scope, buyer: Buyer) -> bool:
    return all(getattr(buyer, f) == getattr(scope, f) for f in scope.fields)


@settings(max_examples=80, deadline=None)
@given(st.lists(st.lists(entries(), max_size=12), min_size=1, max_size=3), BUYERS,
       st.sampled_from(["A", "B"]), st.integers(0, 100), st.integers(0, 130))
def test_resolved_price_is_a_valid_matching_entry_of_the_first_fitting_step(
        drawn: list[list[PriceEntry]], buyer: Buyer, sku: str, qty: int, offset: int) -> None:
    lists = _lists_of(drawn)
    on = DAY0 + timedelta(days=offset)
    index = PriceIndex(lists, on_tie="first")
    # Brute force: the first step of the sequence with a fitting valid matching entry.
    candidates = [e for pl in lists for e in pl.entries
                  if e.sku == sku and e.validity.contains(on) and e.min_qty <= qty
                  and _matches(e.scope, buyer)]
    first_step = min((DEFAULT_ACCESS_SEQUENCE.position(e.scope.fields) or 0 for e in candidates),
                     default=None)
    if first_step is None:
        with pytest.raises(NoPrice):
            index.resolve(buyer, sku, qty, on)
        return
    r = index.resolve(buyer, sku, qty, on)
    e = r.entry.entry
    assert e.sku == sku and e.validity.contains(on) and e.min_qty <= qty
    assert _matches(e.scope, buyer)
    assert r.step == first_step
    same_step = [c for c in candidates if DEFAULT_ACCESS_SEQUENCE.position(c.scope.fields)
                 == first_step]
    assert e.min_qty == max(c.min_qty for c in same_step)
    assert index.explain(buyer, sku, qty, on)[0] == r.entry
    assert index.resolve_many([(buyer, sku, qty)], on).entries[0] == r.entry


@settings(max_examples=80, deadline=None)
@given(st.lists(st.lists(entries(), max_size=12), min_size=1, max_size=3), BUYERS,
       st.sampled_from(["A", "B"]), st.integers(0, 60), st.integers(0, 60), st.integers(0, 130))
def test_raising_the_quantity_never_moves_to_a_smaller_break(
        drawn: list[list[PriceEntry]], buyer: Buyer, sku: str, q1: int, extra: int,
        offset: int) -> None:
    index = PriceIndex(_lists_of(drawn), on_tie="first")
    on = DAY0 + timedelta(days=offset)
    try:
        low = index.resolve(buyer, sku, q1, on)
    except NoPrice:
        return
    high = index.resolve(buyer, sku, q1 + extra, on)
    assert high.step <= low.step
    if high.step == low.step:
        assert high.entry.min_base >= low.entry.min_base
