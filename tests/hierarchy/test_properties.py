"""Property tests on random hierarchies: queries vs networkx, conservation, isolation."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from distcrm.documents import Document, Line
from distcrm.errors import AccessDenied
from distcrm.hierarchy import (
    ChannelGraph,
    ScopedStore,
    build_graph,
    reparent,
    roll_up,
    roll_up_documents,
    to_networkx,
    visible_accounts,
)
from distcrm.money import Money
from distcrm.parties import INDIAN_FMCG, PARTNER_PROGRAM, Account, Link
from distcrm.periods import Validity
from distcrm.stores.memory import MemoryStore
from distcrm.visits import Visit

START = date(2025, 4, 1)
DAYS = 120


@st.composite
def fmcg_networks(draw: st.DrawFn) -> tuple[ChannelGraph, list[date]]:
    """A random FMCG tree; some retailers move to another parent on a random day."""
    n_ss = draw(st.integers(0, 3))
    n_d = draw(st.integers(1, 5))
    n_dealer = draw(st.integers(0, 3))
    n_r = draw(st.integers(0, 20))
    accounts = [Account("P", "P", "principal")]
    links: list[Link] = []
    ss = [f"SS{i}" for i in range(n_ss)]
    for s in ss:
        accounts.append(Account(s, s, "super_stockist"))
        links.append(Link("P", s))
    ds = [f"D{i}" for i in range(n_d)]
    for d in ds:
        accounts.append(Account(d, d, "distributor"))
        links.append(Link(draw(st.sampled_from(["P", *ss])), d))
    dealers = [f"K{i}" for i in range(n_dealer)]
    for k in dealers:
        accounts.append(Account(k, k, "dealer"))
        links.append(Link(draw(st.sampled_from(ds)), k))
    days = [START]
    for i in range(n_r):
        r = f"R{i}"
        accounts.append(Account(r, r, "retailer"))
        first = draw(st.sampled_from(ds + dealers))
        if draw(st.booleans()):
            move = START + timedelta(days=draw(st.integers(1, DAYS)))
            second = draw(st.sampled_from(ds + dealers))
            links.append(Link(first, r, Validity(START, move)))
            links.append(Link(second, r, Validity(move)))
            days.append(move)
        else:
            links.append(Link(first, r, Validity(START)))
    order = draw(st.permutations(range(len(links))))
    graph = build_graph(accounts, INDIAN_FMCG, [links[i] for i in order])
    probe = [START + timedelta(days=draw(st.integers(0, DAYS + 5))) for _ in range(2)]
    return graph, sorted(set(days + probe))


@st.composite
def partner_networks(draw: st.DrawFn) -> ChannelGraph:
    """A random partner program: resellers with one to three distributors, or the vendor."""
    n_d = draw(st.integers(1, 4))
    n_r = draw(st.integers(0, 12))
    accounts = [Account("V", "V", "vendor")]
    links: list[Link] = []
    ds = [f"D{i}" for i in range(n_d)]
    for d in ds:
        accounts.append(Account(d, d, "distributor"))
        links.append(Link("V", d))
    for i in range(n_r):
        r = f"R{i}"
        accounts.append(Account(r, r, "reseller"))
        ps = draw(st.lists(st.sampled_from(["V", *ds]), min_size=1, max_size=3, unique=True))
        links.extend(Link(p, r) for p in ps)
    return build_graph(accounts, PARTNER_PROGRAM, links)


@settings(max_examples=80, deadline=None)
@given(fmcg_networks())
def test_queries_agree_with_networkx(case: tuple[ChannelGraph, list[date]]) -> None:
    graph, days = case
    for day in days:
        g = to_networkx(graph, on=day)
        snap = graph.as_of(day)
        for account in g.nodes:
            assert set(snap.descendants(account)) == nx.descendants(g, account)
            assert set(snap.ancestors(account)) == nx.ancestors(g, account)
            assert snap.children(account) == tuple(sorted(g.successors(account)))
            assert len(snap.descendants(account)) == len(set(snap.descendants(account)))
            path = snap.path_to_root(account)
            assert path[-1] == "P"
            assert snap.depth(account) == nx.shortest_path_length(g, "P", account)
        counts = snap.tier_counts()
        assert sum(counts.values()) == g.number_of_nodes()


@settings(max_examples=80, deadline=None)
@given(fmcg_networks(), st.data())
def test_roll_up_conserves_the_total(case: tuple[ChannelGraph, list[date]], data: st.DataObject) -> None:
    graph, days = case
    day = data.draw(st.sampled_from(days))
    snap = graph.as_of(day)
    leaves = [a for a in snap.accounts() if not snap.children(a)]
    values = {a: Decimal(data.draw(st.integers(-10_000, 10_000))) / 100 for a in leaves}
    r = roll_up(graph, values, on=day)
    # conservation: the root holds the sum of the leaves
    assert r.total("P", Decimal(0)) == sum(values.values(), Decimal(0))
    # every account's total is its own value plus its children's totals
    for account in snap.accounts():
        expected = values.get(account, Decimal(0)) + sum(
            (r.total(c, Decimal(0)) for c in snap.children(account)), Decimal(0)
        )
        assert r.total(account, Decimal(0)) == expected


@settings(max_examples=80, deadline=None)
@given(partner_networks(), st.data())
def test_multi_parent_roll_ups_never_double_count(graph: ChannelGraph, data: st.DataObject) -> None:
    day = date(2025, 6, 1)
    snap = graph.as_of(day)
    resellers = [a for a in snap.accounts() if a.startswith("R")]
    values = {r: data.draw(st.integers(0, 1000)) for r in resellers}
    via = {r: data.draw(st.sampled_from(snap.parents(r))) for r in resellers}
    r = roll_up(graph, values, on=day, via=via)
    assert r.total("V", 0) == sum(values.values())
    for dist in (a for a in snap.accounts() if a.startswith("D")):
        assert r.total(dist, 0) == sum(v for k, v in values.items() if via[k] == dist)
    # documents: each sale goes up through its own seller only
    docs = []
    for i, reseller in enumerate(resellers):
        seller = data.draw(st.sampled_from(snap.parents(reseller)))
        qty = data.draw(st.integers(1, 50))
        docs.append(Document(f"I{i}", "invoice", "secondary", seller, reseller, day, "INR",
                             [Line("SKU1", qty, Money.of("2.50", "INR"))]))
    rd = roll_up_documents(graph, docs)
    assert rd.total("V", Money.zero("INR")) == sum(
        (d.taxable for d in docs if d.seller != "V"), Money.zero("INR")
    ) + sum((d.taxable for d in docs if d.seller == "V"), Money.zero("INR"))
    for doc in docs:
        assert doc.seller in snap.parents(doc.buyer)


@settings(max_examples=60, deadline=None)
@given(fmcg_networks(), st.data())
def test_reparent_keeps_every_account_and_history(
    case: tuple[ChannelGraph, list[date]], data: st.DataObject
) -> None:
    graph, days = case
    day = data.draw(st.sampled_from(days))
    snap = graph.as_of(day)
    movable = [a for a in snap.accounts() if a.startswith("R")]
    if not movable:
        return
    child = data.draw(st.sampled_from(movable))
    options = [a for a in snap.accounts() if a[0] in "DK" and a not in snap.parents(child)]
    if not options:
        return
    new_parent = data.draw(st.sampled_from(options))
    change = reparent(graph, child, new_parent, on=day)
    after = change.graph
    assert after.as_of(day).parents(child) == (new_parent,)
    for earlier in days:
        if earlier < day:  # the past is unchanged
            assert after.as_of(earlier).edges() == graph.as_of(earlier).edges()
    assert after.as_of(day).tier_counts() == snap.tier_counts()


def _store_for(graph: ChannelGraph, day: date, data: st.DataObject) -> MemoryStore:
    store = MemoryStore()
    store.accounts.add_many(graph.accounts)
    store.links.add_many(graph.links)
    snap = graph.as_of(day)
    ids = list(snap.accounts())
    docs = []
    for i in range(data.draw(st.integers(0, 8))):
        seller = data.draw(st.sampled_from(ids))
        buyer = data.draw(st.sampled_from([a for a in ids if a != seller] or ids))
        docs.append(Document(f"S{i}", "invoice", "secondary", seller, buyer, day, "INR",
                             [Line("SKU1", 1, Money.of("1", "INR"))]))
    store.documents.add_many(docs)
    store.visits.add_many(
        Visit(f"V{i}", "REP", data.draw(st.sampled_from(ids)), day)
        for i in range(data.draw(st.integers(0, 5)))
    )
    return store


def _contents(store: MemoryStore) -> tuple[object, ...]:
    return (
        tuple(store.accounts.all()),
        tuple(store.links.all()),
        tuple(store.documents.all()),
        tuple(store.visits.all()),
    )


@settings(max_examples=60, deadline=None)
@given(fmcg_networks(), st.data())
def test_scoped_reads_never_leave_the_viewers_subtree(
    case: tuple[ChannelGraph, list[date]], data: st.DataObject
) -> None:
    graph, days = case
    day = data.draw(st.sampled_from(days))
    snap = graph.as_of(day)
    viewer = data.draw(st.sampled_from(snap.accounts()))
    store = _store_for(graph, day, data)
    scoped = ScopedStore(store, graph, viewer, on=day)
    visible = visible_accounts(graph, viewer, on=day)
    subtree = set(snap.subtree(viewer))
    if viewer != "P":
        assert visible == subtree
    for entity in scoped.accounts.all():
        assert entity.id in visible
    for account in graph:
        found = scoped.accounts.find(account)
        assert found is None or found.id in visible
        for link in scoped.links.of_child(account):
            assert link.child in visible
        for link in scoped.links.of_parent(account):
            assert link.child in visible
        for doc in scoped.documents.query(seller=account):
            assert doc.seller in visible or doc.buyer in visible
        for visit in scoped.visits.query(account=account):
            assert visit.account in visible
    for link in scoped.links.all():
        assert link.child in visible
    for doc in scoped.documents.all():
        assert doc.seller in visible or doc.buyer in visible
    for visit in scoped.visits.all():
        assert visit.account in visible


@settings(max_examples=60, deadline=None)
@given(fmcg_networks(), st.data())
def test_scoped_writes_outside_the_subtree_are_refused_with_nothing_changed(
    case: tuple[ChannelGraph, list[date]], data: st.DataObject
) -> None:
    graph, days = case
    day = data.draw(st.sampled_from(days))
    snap = graph.as_of(day)
    viewer = data.draw(st.sampled_from(snap.accounts()))
    if viewer == "P":
        return  # the principal's scope is everything
    store = _store_for(graph, day, data)
    scoped = ScopedStore(store, graph, viewer, on=day)
    visible = visible_accounts(graph, viewer, on=day)
    outside = [a for a in graph if a not in visible]
    if not outside:
        return
    target = data.draw(st.sampled_from(outside))
    others = [a for a in outside if a != target]
    # the seller is outside too (an id unknown to the graph when no other account is)
    seller = data.draw(st.sampled_from(others)) if others else "UNLISTED"
    before = _contents(store)
    doc = Document("NEW", "invoice", "secondary", seller, target, day, "INR",
                   [Line("SKU1", 1, Money.of("1", "INR"))])
    attempts: list[Callable[[], object]] = [
        lambda: scoped.documents.add(doc),
        lambda: scoped.documents.put(doc),
        lambda: scoped.accounts.put(graph.account(target)),
        lambda: scoped.accounts.remove(target),
        lambda: scoped.accounts.add_many([graph.account(viewer), graph.account(target)]),
        lambda: scoped.links.add(Link(viewer, target, Validity(day + timedelta(days=1)))),
        lambda: scoped.links.replace_all([]),
        lambda: scoped.visits.add(Visit("NEWV", "REP", target, day)),
    ]
    for attempt in attempts:
        with pytest.raises(AccessDenied) as info:
            attempt()
        assert repr(viewer) in str(info.value)
        assert _contents(store) == before


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 5), st.integers(0, 5)).filter(lambda e: e[0] != e[1]),
        max_size=12,
        unique=True,
    )
)
def test_cycles_are_found_exactly_when_networkx_finds_one(edges: list[tuple[int, int]]) -> None:
    from distcrm.hierarchy import validate
    from distcrm.parties import Tier, TierRules

    rules = TierRules((Tier("hub"), Tier("node", frozenset({"hub"}), multi_parent=True)))
    accounts = [Account("H", "H", "hub")] + [Account(f"N{i}", f"N{i}", "node") for i in range(6)]
    links = [Link("H", f"N{i}") for i in range(6)]
    links += [Link(f"N{p}", f"N{c}") for p, c in edges]
    problems = validate(accounts, rules, links)
    reported = [p for p in problems if p.code == "cycle"]
    g = nx.DiGraph([(f"N{p}", f"N{c}") for p, c in edges])
    assert bool(reported) == (not nx.is_directed_acyclic_graph(g))
    for problem in reported:  # every reported cycle is a real one
        loop = list(problem.accounts)
        for child, parent in zip(loop, [*loop[1:], loop[0]], strict=True):
            assert g.has_edge(parent, child)
    assert sum(p.code == "tier_not_allowed" for p in problems) == len(edges)
