"""The sample-data generator: determinism, conservation, validity and plausibility."""

from __future__ import annotations

import importlib.util
from collections import defaultdict
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from types import ModuleType

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from distcrm.catalog import Product, category_key
from distcrm.documents import Document
from distcrm.errors import NotFound, ValidationError
from distcrm.parties import INDIAN_FMCG, Gstin, Link, gstin_check_character
from distcrm.stores.memory import MemoryStore
from distcrm.testing.sample import GST_RATE_CHANGE, SampleConfig, SampleData, generate

SMALL = SampleConfig(
    seed=11, super_stockists=2, distributors_per_super_stockist=3, direct_distributors=1,
    retailers_per_distributor=15, skus=24, categories=8, brands=4, secondary_lines=1_500,
    return_rate=0.05,
)

# GST rates (percent) before 2025-09-22 and from then on, by category, written out by hand.
GST = {
    "Foods/Biscuits": (18, 5),
    "Personal Care/Soap": (18, 5),
    "Home/Detergent": (18, 18),
    "Beverages/Tea": (5, 5),
    "Foods/Snacks": (12, 5),
    "Personal Care/Toothpaste": (18, 5),
    "Foods/Noodles": (12, 5),
    "Beverages/Juices": (12, 5),
    "Personal Care/Shampoo": (18, 5),
    "Home/Dishwash": (18, 18),
    "Foods/Spices": (5, 5),
    "Foods/Edible Oil": (5, 5),
    "Personal Care/Hair Oil": (18, 5),
    "Foods/Chocolates": (18, 5),
    "Beverages/Coffee": (18, 5),
    "Home/Floor Cleaner": (18, 18),
    "Foods/Atta": (5, 5),
    "Foods/Rice": (5, 5),
    "Foods/Pulses": (5, 5),
    "Foods/Sugar": (5, 5),
    "Foods/Sauces": (12, 5),
    "Foods/Breakfast Cereals": (18, 5),
    "Foods/Pickles": (12, 5),
    "Foods/Jams": (12, 5),
    "Foods/Dairy Whitener": (5, 5),
    "Foods/Ghee": (12, 5),
    "Foods/Pasta": (12, 5),
    "Foods/Confectionery": (18, 5),
    "Beverages/Soft Drinks": (28, 40),
    "Beverages/Health Drinks": (18, 5),
    "Beverages/Packaged Water": (18, 5),
    "Personal Care/Face Wash": (18, 18),
    "Personal Care/Talcum Powder": (18, 5),
    "Personal Care/Deodorant": (18, 18),
    "Personal Care/Shaving": (18, 5),
    "Personal Care/Skin Cream": (18, 18),
    "Home/Toilet Cleaner": (18, 18),
    "Home/Insect Repellent": (18, 18),
    "Home/Air Freshener": (18, 18),
    "Home/Agarbatti": (5, 5),
}


@pytest.fixture(scope="module")
def small() -> SampleData:
    return generate(SMALL)


def _products(data: SampleData) -> dict[str, Product]:
    return {p.sku: p for p in data.products}


def _priced_on(data: SampleData) -> dict[str, date]:
    """The day each document's prices come from: its own date, or its invoice's for a return."""
    issued: dict[str, date] = {d.id: d.issued_on for d in data.documents}
    return {d.id: issued[d.reference] if d.kind == "return" and d.reference else d.issued_on
            for d in data.documents}


def _stock_shortfalls(data: SampleData) -> set[tuple[str, str]]:
    """(distributor or dealer, sku) pairs whose stock goes negative at some day's end."""
    holders = {a.id for a in data.accounts if a.tier in ("distributor", "dealer")}
    moves: dict[tuple[str, str], dict[date, int]] = defaultdict(lambda: defaultdict(int))
    for doc in data.documents:
        for line in doc.lines:
            # an invoice moves goods from seller to buyer; a return (sign -1) back again
            units = (line.qty + line.free_qty) * doc.sign
            if doc.buyer in holders:
                moves[(doc.buyer, line.sku)][doc.issued_on] += units
            if doc.seller in holders:
                moves[(doc.seller, line.sku)][doc.issued_on] -= units
    short = set()
    for key, by_day in moves.items():
        level = 0
        for day in sorted(by_day):
            level += by_day[day]
            if level < 0:
                short.add(key)
                break
    return short


# -- determinism ----------------------------------------------------------------------------


def test_same_config_gives_equal_data(small: SampleData) -> None:
    again = generate(SMALL)
    assert again == small
    assert [d.id for d in again.documents] == [d.id for d in small.documents]


def test_another_seed_gives_other_data(small: SampleData) -> None:
    other = generate(attrs.evolve(SMALL, seed=12))
    assert other.documents != small.documents
    assert [a.name for a in other.accounts] != [a.name for a in small.accounts]


def test_anomalies_do_not_change_the_network(small: SampleData) -> None:
    with_anomalies = generate(attrs.evolve(SMALL, anomaly_rate=0.05))
    assert with_anomalies.accounts == small.accounts
    assert with_anomalies.products == small.products


# -- sizes and conservation -----------------------------------------------------------------


def test_sizes_follow_the_config(small: SampleData) -> None:
    # 2 stockists × 3 distributors + 1 direct = 7 distributors; 7 × 15 = 105 retailers
    assert [len(small.by_tier(t)) for t in INDIAN_FMCG.names] == [1, 2, 7, 0, 105]
    assert len(small.products) == 24
    assert len({p.brand for p in small.products}) <= 4
    assert len({p.category for p in small.products}) == 8
    assert small.principal is small.accounts[0]
    assert small.retailers == small.by_tier("retailer")
    assert small.distributors == small.by_tier("distributor")


def test_secondary_invoice_lines_total_exactly(small: SampleData) -> None:
    invoices = [d for d in small.secondary() if d.kind == "invoice"]
    assert sum(len(d.lines) for d in invoices) == 1_500


def test_documents_are_ordered_and_unique(small: SampleData) -> None:
    keys = [(d.issued_on, d.id) for d in small.documents]
    assert keys == sorted(keys)
    assert len({d.id for d in small.documents}) == len(small.documents)
    assert all(SMALL.start <= d.issued_on < SMALL.end for d in small.documents)
    assert set(small.primary()) | set(small.secondary()) == set(small.documents)


def test_invoice_lines_name_distinct_skus(small: SampleData) -> None:
    for doc in small.documents:
        skus = [line.sku for line in doc.lines]
        assert len(skus) == len(set(skus)), doc.id


# -- hierarchy ------------------------------------------------------------------------------


def _assert_links_valid(data: SampleData) -> None:
    tiers = {a.id: a.tier for a in data.accounts}
    links: dict[str, list[Link]] = defaultdict(list)
    for link in data.links:
        assert INDIAN_FMCG.may_supply(tiers[link.parent], tiers[link.child]), link
        links[link.child].append(link)
    for account in data.accounts:
        mine = links[account.id]
        if account.tier == "principal":
            assert mine == []
            continue
        # one active parent on every day: exactly one open link, no two links overlap
        assert [link.validity.end for link in mine].count(None) == 1, account.id
        assert sum(link.active_on(data.config.start) for link in mine) == 1
        for i, a in enumerate(mine):
            assert all(not a.validity.overlaps(b.validity) for b in mine[i + 1:]), account.id


def test_every_link_obeys_the_tier_rules(small: SampleData) -> None:
    _assert_links_valid(small)
    direct = [d for d in small.distributors if small.parent_of(d.id) == small.principal.id]
    assert len(direct) == 1


def test_dealers_buy_from_their_distributor_and_serve_retailers() -> None:
    data = generate(attrs.evolve(SMALL, dealers_per_distributor=2, anomaly_rate=0.02))
    # 7 distributors × 2 dealers; each distributor serves 1 of every 3 retailers itself
    dealers = data.by_tier("dealer")
    assert len(dealers) == 14
    _assert_links_valid(data)
    served: dict[str, int] = defaultdict(int)
    for retailer in data.retailers:
        served[data.account(data.parent_of(retailer.id) or "").tier] += 1
    assert served == {"distributor": 35, "dealer": 70}  # 7 × 5 and 7 × 10 of 7 × 15
    invoices = [d for d in data.secondary() if d.kind == "invoice"]
    assert sum(len(d.lines) for d in invoices if data.account(d.buyer).tier == "retailer") == (
        SMALL.secondary_lines
    )
    pairs = {(link.parent, link.child) for link in data.links}
    assert all((d.seller, d.buyer) in pairs for d in data.documents)
    restock = [d for d in invoices if data.account(d.buyer).tier == "dealer"]
    assert restock
    for doc in restock:
        assert data.parent_of(doc.buyer) == doc.seller
    # a dealer pays PTR less 4 %, more than a distributor (PTR less 7 %), less than a retailer
    retail = {(line.sku, d.issued_on.month): line.unit_price for d in invoices
              if data.account(d.buyer).tier == "retailer" for line in d.lines}
    for doc in restock:
        for line in doc.lines:
            ptr = retail.get((line.sku, doc.issued_on.month))
            if ptr is not None:
                assert line.unit_price < ptr
    documents: dict[str, Document] = {d.id: d for d in data.documents}
    phantom = {(documents[r.document].seller, documents[r.document].line(r.line).sku)
               for r in data.anomalies}
    assert {tier for seller, _ in phantom for tier in [data.account(seller).tier]} == {
        "distributor", "dealer"}
    assert _stock_shortfalls(data) == phantom


def test_moved_retailers_keep_their_history() -> None:
    data = generate(attrs.evolve(SMALL, moved_retailer_rate=0.3))
    closed = [link for link in data.links if link.validity.end is not None]
    # 105 retailers × 0.3 ≈ 31 (binomial; 15 is more than 3 standard deviations away)
    assert 15 < len(closed) < 50
    _assert_links_valid(data)
    for link in closed:
        end = link.validity.end
        assert end is not None
        assert end <= SMALL.start
        assert data.parent_of(link.child, on=end - timedelta(days=1)) == link.parent
        assert data.parent_of(link.child, on=end) == data.parent_of(link.child)
        assert data.parent_of(link.child) != link.parent
        assert data.account(link.parent).state_code == data.account(link.child).state_code
    assert data.accounts == generate(SMALL).accounts
    assert data.documents == generate(SMALL).documents


def test_documents_flow_along_links(small: SampleData) -> None:
    pairs = {(link.parent, link.child) for link in small.links}
    for doc in small.documents:
        assert (doc.seller, doc.buyer) in pairs, doc.id


# -- KYC ------------------------------------------------------------------------------------


def test_every_gstin_is_valid_and_matches_state_and_pan(small: SampleData) -> None:
    gstins = [a for a in small.accounts if a.gstin is not None]
    assert len(gstins) > len(small.accounts) // 2
    for account in gstins:
        assert account.gstin is not None
        assert account.pan is not None
        value = account.gstin.value
        assert Gstin(value) == account.gstin
        assert value[14] == gstin_check_character(value[:14])
        assert account.gstin.state_code == account.state_code
        assert account.gstin.pan == account.pan.value
    assert len({a.gstin for a in gstins}) == len(gstins)
    for tier in ("principal", "super_stockist", "distributor"):
        assert all(a.gstin is not None for a in small.by_tier(tier))


def test_stockists_sit_in_different_states(small: SampleData) -> None:
    states = [a.state_code for a in small.by_tier("super_stockist")]
    assert len(set(states)) == len(states)
    for distributor in small.distributors:
        parent = small.account(small.parent_of(distributor.id) or "")
        if parent.tier == "super_stockist":
            assert distributor.state_code == parent.state_code


# -- outlets and territories ----------------------------------------------------------------


def test_retailers_cluster_around_their_distributor(small: SampleData) -> None:
    for retailer in small.retailers:
        distributor = small.account(small.parent_of(retailer.id) or "")
        assert retailer.territory == distributor.territory
        assert retailer.lat is not None
        assert distributor.lat is not None
        assert retailer.lon is not None
        assert distributor.lon is not None
        # a Gaussian spread of 0.02 degrees (about 2 km); 0.15 is 7.5 sigma
        assert abs(retailer.lat - distributor.lat) < 0.15
        assert abs(retailer.lon - distributor.lon) < 0.15


def test_account_classes_are_about_20_30_50() -> None:
    data = generate(SampleConfig(seed=5, super_stockists=1, distributors_per_super_stockist=20,
                                 direct_distributors=0, retailers_per_distributor=100,
                                 secondary_lines=0))
    classes = [r.account_class for r in data.retailers]
    n = len(classes)  # 2,000 outlets: a share's standard error is at most about 1.1 points
    assert abs(classes.count("A") / n - 0.2) < 0.04
    assert abs(classes.count("B") / n - 0.3) < 0.04
    assert abs(classes.count("C") / n - 0.5) < 0.04


def test_territories_form_a_five_level_tree(small: SampleData) -> None:
    levels = ("zone", "region", "state", "district", "town")
    by_id = {tid: (parent, level) for tid, parent, level in small.territories}
    assert len(by_id) == len(small.territories)
    for tid, (parent, level) in by_id.items():
        if level == "zone":
            assert parent is None
        else:
            assert parent in by_id, tid
            assert levels.index(by_id[parent][1]) == levels.index(level) - 1
    for account in small.accounts[1:]:
        assert account.territory in by_id
    for distributor in small.distributors:
        assert by_id[distributor.territory or ""][1] == "town"


# -- catalog and prices ---------------------------------------------------------------------


def test_catalog_has_case_packs_hsn_and_mrp_in_paise(small: SampleData) -> None:
    for p in small.products:
        assert p.packs[0].uom == "case"
        assert p.packs[0].units in (12, 24, 48)
        assert len(p.hsn) in (4, 8)
        assert p.hsn.isdigit()
        for entry in p.mrp:
            assert entry.price.currency == "INR"
            assert entry.price.amount == entry.price.amount.quantize(Decimal("0.01"))
            assert entry.price.amount > 0
        assert category_key(p.category) in GST


def test_forty_leaf_categories_each_with_its_gst_rates() -> None:
    data = generate(SampleConfig(seed=5, super_stockists=1, distributors_per_super_stockist=2,
                                 retailers_per_distributor=10, skus=80, categories=40,
                                 secondary_lines=2_000))
    products = _products(data)
    assert len({p.category for p in data.products}) == 40
    assert {category_key(p.category) for p in data.products} == set(GST)
    states = {a.id: a.state_code for a in data.accounts}
    checked = 0
    for doc in data.documents:
        if doc.kind != "invoice":
            continue
        for line in doc.lines:
            before, after = GST[category_key(products[line.sku].category)]
            rate = Decimal(after if doc.issued_on >= GST_RATE_CHANGE else before)
            assert line.tax is not None
            # CGST + SGST (two halves, each to the paisa) within a state, else IGST
            if states[doc.seller] == states[doc.buyer]:
                expected = 2 * _half_up(line.taxable.amount * rate / 200)
            else:
                expected = _half_up(line.taxable.amount * rate / 100)
            assert line.tax.amount == expected, (doc.id, line)
            checked += 1
    assert checked > 1_000


def test_the_first_16_categories_keep_their_order() -> None:
    # categories beyond the first 16 are appended to the table, so the draws of a
    # configuration with at most 16 categories (and so its data) do not change
    sixteen = generate(SampleConfig(seed=9, skus=48, categories=16, secondary_lines=100))
    assert [category_key(p.category) for p in sixteen.products[:16]] == list(GST)[:16]


def test_no_price_above_mrp(small: SampleData) -> None:
    products = _products(small)
    priced_on = _priced_on(small)
    for doc in small.documents:
        for line in doc.lines:
            mrp = products[line.sku].mrp_on(priced_on[doc.id])
            assert line.mrp == mrp
            assert line.unit_price < mrp
            # tax-inclusive value per unit never exceeds the MRP
            assert line.total.amount <= mrp.amount * line.qty


def test_secondary_price_is_mrp_less_retailer_margin_without_tax(small: SampleData) -> None:
    # Worked example: MRP 52.00 at 18 % GST → PTR incl. 52.00 × 0.85 = 44.20;
    # excl. 44.20 / 1.18 = 37.4576… → 37.46. The same formula for every line:
    products = _products(small)
    for doc in small.secondary():
        for line in doc.lines:
            product = products[line.sku]
            rate = GST[category_key(product.category)][0]
            expected = (line.mrp.amount if line.mrp else Decimal(0)) * Decimal("0.85") * 100 / (
                100 + rate
            )
            assert line.unit_price.amount == expected.quantize(Decimal("0.01"), ROUND_HALF_UP)
    assert (Decimal("52.00") * Decimal("0.85") * 100 / 118).quantize(
        Decimal("0.01"), ROUND_HALF_UP
    ) == Decimal("37.46")


def test_distributors_buy_below_retail_price(small: SampleData) -> None:
    secondary = {(line.sku, d.issued_on.month): line.unit_price
                 for d in small.secondary() for line in d.lines}
    checked = 0
    for doc in small.primary():
        for line in doc.lines:
            sell = secondary.get((line.sku, doc.issued_on.month))
            if sell is not None:
                assert line.unit_price < sell
                checked += 1
    assert checked > 0


def _half_up(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), ROUND_HALF_UP)


def test_tax_is_cgst_plus_sgst_within_a_state_else_igst(small: SampleData) -> None:
    products = _products(small)
    states = {a.id: a.state_code for a in small.accounts}
    seen = {True: 0, False: 0}
    for doc in small.documents:
        intra = states[doc.seller] == states[doc.buyer]
        for line in doc.lines:
            rate = Decimal(GST[category_key(products[line.sku].category)][0])
            taxable = line.taxable.amount
            if intra:  # e.g. 1,000.05 at 18 %: 2 × round(90.0045) = 2 × 90.00 = 180.00
                expected = 2 * _half_up(taxable * rate / 200)
            else:
                expected = _half_up(taxable * rate / 100)
            assert line.tax is not None
            assert line.tax.amount == expected, (doc.id, line)
            seen[intra] += 1
    assert seen[True] > 0
    assert seen[False] > 0


def test_gst_rates_change_on_22_september_2025() -> None:
    data = generate(SampleConfig(seed=2, start=date(2025, 9, 1), months=1, super_stockists=1,
                                 distributors_per_super_stockist=2, skus=8, categories=8,
                                 secondary_lines=400))
    products = _products(data)
    rates: dict[bool, set[int]] = {True: set(), False: set()}
    units: dict[bool, set[Decimal]] = {True: set(), False: set()}
    for doc in data.secondary():
        for line in doc.lines:
            if category_key(products[line.sku].category) == "Foods/Biscuits":
                assert line.tax is not None
                after = doc.issued_on >= GST_RATE_CHANGE
                # tax / taxable is the rate, give or take the rounding of two halves
                rates[after].add(round(line.tax.amount * 100 / line.taxable.amount))
                units[after].add(line.unit_price.amount)
    assert rates == {False: {18}, True: {5}}
    # the cut goes to the buyer: the tax-exclusive price does not move
    assert units[True]
    assert units[True] <= units[False]


def test_mrp_revisions_are_effective_dated() -> None:
    data = generate(SampleConfig(seed=4, mrp_revision_rate=1.0, skus=10, categories=5,
                                 secondary_lines=500))
    revision = date(2025, 5, 1)  # start + months // 2 = April + 1 month
    for p in data.products:
        assert len(p.mrp) == 2
        assert p.mrp[0].validity.end == revision == p.mrp[1].validity.start
        assert p.mrp[1].price > p.mrp[0].price
    products = _products(data)
    priced_on = _priced_on(data)
    for doc in data.secondary():
        for line in doc.lines:
            entries = products[line.sku].mrp
            assert line.mrp == entries[0 if priced_on[doc.id] < revision else 1].price


# -- stock, returns, anomalies --------------------------------------------------------------


def test_primary_receipts_cover_secondary_sales(small: SampleData) -> None:
    assert small.anomalies == ()
    assert _stock_shortfalls(small) == set()


def test_anomalies_are_phantom_sales_beyond_stock() -> None:
    data = generate(attrs.evolve(SMALL, anomaly_rate=0.02))
    assert data.anomalies
    documents: dict[str, Document] = {d.id: d for d in data.documents}
    flagged = set()
    for ref in data.anomalies:
        doc = documents[ref.document]
        assert doc.level == "secondary"
        assert doc.kind == "invoice"
        flagged.add((doc.seller, doc.line(ref.line).sku))
    assert flagged <= _stock_shortfalls(data)
    assert _stock_shortfalls(data) <= flagged


def test_returns_reference_an_invoice_of_the_same_pair(small: SampleData) -> None:
    documents: dict[str, Document] = {d.id: d for d in small.documents}
    returns = small.returns()
    assert {d.level for d in returns} == {"primary", "secondary"}
    for ret in returns:
        assert ret.reference is not None
        assert ret.reason
        invoice = documents[ret.reference]
        assert invoice.kind == "invoice"
        assert invoice.level == ret.level
        assert (invoice.seller, invoice.buyer) == (ret.seller, ret.buyer)
        assert invoice.issued_on <= ret.issued_on
        invoiced = {line.sku: line for line in invoice.lines}
        for line in ret.lines:
            assert line.sku in invoiced
            assert 0 < line.qty <= invoiced[line.sku].qty
            assert line.unit_price == invoiced[line.sku].unit_price
        assert ret.sign == -1


def test_some_lines_carry_discounts_and_free_goods(small: SampleData) -> None:
    lines = [line for d in small.secondary() for line in d.lines]
    discounted = [line for line in lines if line.discount is not None]
    free = [line for line in lines if line.free_qty]
    assert 0 < len(discounted) < len(lines) // 4
    assert 0 < len(free) < len(lines) // 4
    for line in discounted:
        assert line.discount is not None
        assert line.discount < line.gross
    for line in free:  # one free unit per 12 bought
        assert line.free_qty == line.qty // 12


# -- reps, beats, visits --------------------------------------------------------------------


def test_beats_cover_each_retailer_once_and_visits_match_orders(small: SampleData) -> None:
    on_beats = [o for b in small.beats for o in b.outlets]
    assert sorted(on_beats) == sorted(r.id for r in small.retailers)
    assert len(small.reps) == len(small.distributors) * SMALL.reps
    invoices: dict[str, Document] = {d.id: d for d in small.secondary() if d.kind == "invoice"}
    productive = [v for v in small.visits if v.productive]
    assert productive
    assert len(productive) < len(small.visits)
    for visit in productive:
        invoice = invoices[visit.order_id or ""]
        assert (invoice.buyer, invoice.issued_on) == (visit.account, visit.visited_on)
    beat_day = {b.id: b.weekday for b in small.beats}
    for visit in small.visits:
        assert visit.beat is not None
        assert beat_day[visit.beat] == visit.visited_on.weekday()


# -- lookups and errors ---------------------------------------------------------------------


def test_account_lookup(small: SampleData) -> None:
    assert small.account("P1") is small.principal
    with pytest.raises(NotFound, match="sample account 'NOPE'"):
        small.account("NOPE")
    with pytest.raises(ValidationError, match="tier: 'wholesaler'"):
        small.by_tier("wholesaler")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"months": 0}, "sample config.months: must be an int >= 1, got 0"),
        ({"categories": 41}, "sample config.categories: must be an int in 1..40, got 41"),
        ({"return_rate": 1.5}, "sample config.return_rate: must be a number in [0, 1]"),
        ({"retailer_margin": 0.15}, "sample config.retailer_margin: must be a Decimal"),
        ({"skus": 3, "categories": 5}, "sample config.skus: must be >= categories (5), got 3"),
        ({"retailers_per_distributor": 0}, "sample config.secondary_lines: there are no retailers"),
    ],
)
def test_bad_configs_name_the_field(changes: dict[str, object], message: str) -> None:
    with pytest.raises(ValidationError) as info:
        SampleConfig(**changes)  # type: ignore[arg-type]
    assert message in str(info.value)


def test_every_problem_is_reported_at_once() -> None:
    with pytest.raises(ValidationError) as info:
        SampleConfig(months=0, skus=0, anomaly_rate=-1)
    paths = [p.path for p in info.value.problems]
    assert paths == ["sample config.months", "sample config.skus", "sample config.anomaly_rate"]


# -- properties -----------------------------------------------------------------------------

configs = st.builds(
    SampleConfig,
    seed=st.integers(0, 10_000),
    start=st.dates(date(2024, 1, 1), date(2026, 12, 31)),
    months=st.integers(1, 4),
    super_stockists=st.integers(0, 3),
    distributors_per_super_stockist=st.integers(0, 3),
    direct_distributors=st.integers(1, 2),
    retailers_per_distributor=st.integers(1, 8),
    skus=st.integers(3, 12),
    categories=st.integers(1, 3),
    brands=st.integers(1, 4),
    secondary_lines=st.integers(0, 300),
    primary_invoices_per_distributor_month=st.integers(1, 6),
    return_rate=st.sampled_from([0.0, 0.1, 0.5]),
    reps=st.integers(1, 3),
    anomaly_rate=st.sampled_from([0.0, 0.0, 0.05]),
    moved_retailer_rate=st.sampled_from([0.0, 0.2]),
    dealers_per_distributor=st.integers(0, 2),
)


@settings(max_examples=60, deadline=None)
@given(configs)
def test_property_small_configs_are_consistent(config: SampleConfig) -> None:
    data = generate(config)
    assert data == generate(config)
    tiers = {a.id: a.tier for a in data.accounts}
    invoices = [d for d in data.secondary() if d.kind == "invoice" and tiers[d.buyer] == "retailer"]
    assert sum(len(d.lines) for d in invoices) == config.secondary_lines
    assert len(data.retailers) == config.retailer_count
    _assert_links_valid(data)
    documents: dict[str, Document] = {d.id: d for d in data.documents}
    phantom = {(documents[r.document].seller, documents[r.document].line(r.line).sku)
               for r in data.anomalies}
    assert _stock_shortfalls(data) == phantom
    products = _products(data)
    priced_on = _priced_on(data)
    for doc in data.documents:
        assert config.start <= doc.issued_on < config.end
        for line in doc.lines:
            mrp = products[line.sku].mrp_on(priced_on[doc.id])
            assert line.total.amount <= mrp.amount * line.qty
    for ret in data.returns():
        invoice = documents[ret.reference or ""]
        assert (invoice.seller, invoice.buyer, invoice.level) == (ret.seller, ret.buyer,
                                                                 ret.level)


# -- benchmark smoke test -------------------------------------------------------------------


def _load_benchmark() -> ModuleType:
    path = Path(__file__).resolve().parents[2] / "benchmarks" / "sample.py"
    spec = importlib.util.spec_from_file_location("benchmark_sample", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_benchmark_runs_at_a_tiny_scale(capsys: pytest.CaptureFixture[str]) -> None:
    bench = _load_benchmark()
    assert bench.main(["--scale", "0.0005", "--memory"]) == 0
    out = capsys.readouterr().out
    # 10 stockists × max(1, round(50 × 0.0005)) = 1 distributor × round(50 / 10) = 5 outlets;
    # 1,000,000 × 0.0005 = 500 lines
    assert "50 outlets, 500 secondary lines" in out
    figures = [line for line in out.splitlines() if "baseline" in line]
    assert figures
    assert all("ratio" in line for line in figures)


def test_distributor_classes_follow_secondary_sales_value(small: SampleData) -> None:
    value: dict[str, Decimal] = defaultdict(Decimal)
    for doc in small.secondary():
        if doc.kind == "invoice":
            value[doc.seller] += doc.taxable.amount
    ranked = sorted(small.distributors, key=lambda d: (-value[d.id], d.id))
    # 7 distributors: round(1.4) = 1 A, round(3.5) = 4 so 3 B, then 3 C
    assert [d.account_class for d in ranked] == ["A", "B", "B", "B", "C", "C", "C"]


def test_load_into_a_memory_store(small: SampleData) -> None:
    store = small.load_into(MemoryStore())
    assert len(store.accounts) == len(small.accounts)
    assert len(store.products) == len(small.products)
    assert len(store.links) == len(small.links)
    assert len(store.documents) == len(small.documents)
    assert len(store.visits) == len(small.visits)
    assert [a.id for a in store.accounts.by_tier("super_stockist")] == ["SS01", "SS02"]
    assert store.documents.get(small.documents[0].id) == small.documents[0]
