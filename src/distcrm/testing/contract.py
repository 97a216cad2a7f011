"""A pytest suite any implementation of the repository ports runs against itself.

:class:`StoreContract` holds one test per convention of
:mod:`distcrm.repositories`: ``get``/``find``, duplicates, ``put``,
``remove``, atomic ``add_many``, deterministic orders, document and visit
queries with half-open date ranges, link history and ``replace_all``, and
optimistic concurrency for claims. A host application subclasses it in its own
test suite and says how to build an empty store:

```python
from distcrm.testing.contract import StoreContract

class TestErpStore(StoreContract):
    def make_store(self):
        return ErpStore(connect_to_a_fresh_test_database())
```

Every test asks for a fresh, empty store through the ``store`` fixture, which
calls :meth:`StoreContract.make_store`; override the fixture itself when the
store needs a teardown (``yield`` it, then drop the database). Price lists,
schemes and claims are stored as :class:`ContractEntity` and
:class:`ContractClaim` unless :meth:`~StoreContract.make_price_list`,
:meth:`~StoreContract.make_scheme` or :meth:`~StoreContract.make_claim` are
overridden to build the application's own entities.

Needs pytest and hypothesis (development dependencies); importing the module
registers nothing, so it is safe to import anywhere.

Examples:
    >>> from distcrm.stores.memory import MemoryStore
    >>> class TestMemory(StoreContract):
    ...     def make_store(self):
    ...         return MemoryStore()
    >>> sorted(n for n in dir(TestMemory) if n.startswith("test_claims"))[:2]
    ['test_claims_all_is_ordered_by_id', 'test_claims_carried_version_is_ignored']
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, cast

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from distcrm.catalog import Product
from distcrm.documents import DOCUMENT_KINDS, Document, DocumentKind, Level, Line
from distcrm.errors import ConcurrencyError, DuplicateError, NotFound
from distcrm.money import Money
from distcrm.parties import Account, Link
from distcrm.periods import Validity
from distcrm.repositories import Keyed, Store, Versioned
from distcrm.testing.strategies import pooled_ids
from distcrm.visits import Visit

__all__ = [
    "KEYED_REPOSITORIES",
    "ContractClaim",
    "ContractEntity",
    "StoreContract",
]

KEYED_REPOSITORIES = ("accounts", "products", "price_lists", "schemes", "documents", "visits")
"""Names of the :class:`~distcrm.repositories.Store` repositories that are keyed by id."""

_REMOVABLE = tuple(name for name in KEYED_REPOSITORIES if name != "products")


@attrs.frozen
class ContractEntity:
    """A minimal keyed entity stored as a price list or a scheme by the contract."""

    id: str
    variant: int = 0


@attrs.frozen
class ContractClaim:
    """A minimal versioned entity stored as a claim by the contract."""

    id: str
    version: int = 0
    amount: Decimal = Decimal(0)


def _doc(
    id: str,
    seller: str,
    buyer: str,
    day: date,
    skus: tuple[str, ...],
    kind: DocumentKind = "invoice",
    level: Level = "secondary",
) -> Document:
    lines = tuple(Line(sku, 1, Money.of("10", "INR")) for sku in skus)
    return Document(id, kind, level, seller, buyer, day, "INR", lines)


# Documents of the query examples, with their (issued_on, id) order:
# P-001 (05-20), S-001 (06-01), S-003 (06-01), S-002 (06-15), O-001 (07-01), S-004 (07-01).
_DOCUMENTS = (
    _doc("S-003", "D1", "R1", date(2025, 6, 1), ("SKU1", "SKU2")),
    _doc("S-001", "D1", "R2", date(2025, 6, 1), ("SKU2",)),
    _doc("S-002", "D1", "R1", date(2025, 6, 15), ("SKU1",), kind="return"),
    _doc("P-001", "P", "D1", date(2025, 5, 20), ("SKU1",), level="primary"),
    _doc("S-004", "D2", "R1", date(2025, 7, 1), ("SKU3",)),
    _doc("O-001", "D1", "R1", date(2025, 7, 1), ("SKU1",), kind="order"),
)

_JUN1, _JUN15, _JUN16, _JUL1 = (
    date(2025, 6, 1),
    date(2025, 6, 15),
    date(2025, 6, 16),
    date(2025, 7, 1),
)

_DOCUMENT_QUERIES: tuple[tuple[dict[str, Any], list[str]], ...] = (
    ({}, ["P-001", "S-001", "S-003", "S-002", "O-001", "S-004"]),
    ({"seller": "D1"}, ["S-001", "S-003", "S-002", "O-001"]),
    ({"buyer": "R1"}, ["S-003", "S-002", "O-001", "S-004"]),
    ({"sku": "SKU1"}, ["P-001", "S-003", "S-002", "O-001"]),
    ({"sku": "SKU2"}, ["S-001", "S-003"]),
    ({"kind": "return"}, ["S-002"]),
    ({"level": "primary"}, ["P-001"]),
    ({"start": _JUN1}, ["S-001", "S-003", "S-002", "O-001", "S-004"]),
    ({"end": _JUN1}, ["P-001"]),
    ({"start": _JUN1, "end": _JUL1}, ["S-001", "S-003", "S-002"]),
    ({"seller": "D1", "buyer": "R1", "sku": "SKU1"}, ["S-003", "S-002", "O-001"]),
    ({"seller": "D1", "buyer": "R1", "sku": "SKU1", "kind": "invoice"}, ["S-003"]),
    ({"seller": "D1", "start": _JUN15, "end": _JUN16}, ["S-002"]),
    ({"buyer": "R1", "level": "secondary", "start": _JUL1}, ["O-001", "S-004"]),
    ({"seller": "NOBODY"}, []),
    ({"sku": "NOSKU"}, []),
    ({"seller": "D1", "buyer": "D1"}, []),
)

# Visits of the query examples, in (visited_on, id) order: V1, V3 (06-02), V2 (06-03), V4 (06-10).
_VISITS = (
    Visit("V3", "REP1", "R1", date(2025, 6, 2)),
    Visit("V1", "REP1", "R2", date(2025, 6, 2), order_id="SO-1"),
    Visit("V2", "REP2", "R1", date(2025, 6, 3)),
    Visit("V4", "REP1", "R1", date(2025, 6, 10)),
)

_VISIT_QUERIES: tuple[tuple[dict[str, Any], list[str]], ...] = (
    ({}, ["V1", "V3", "V2", "V4"]),
    ({"rep": "REP1"}, ["V1", "V3", "V4"]),
    ({"account": "R1"}, ["V3", "V2", "V4"]),
    ({"start": date(2025, 6, 3)}, ["V2", "V4"]),
    ({"end": date(2025, 6, 3)}, ["V1", "V3"]),
    ({"rep": "REP1", "account": "R1", "start": date(2025, 6, 2), "end": date(2025, 6, 10)}, ["V3"]),
    ({"rep": "NOBODY"}, []),
)

# Links: D1 was served by P, then SS1, then SS2; D2 by SS1; SS1 by P for ever.
_LINKS = (
    Link("SS2", "D1", Validity(date(2025, 4, 1))),
    Link("SS1", "D2", Validity(date(2024, 1, 1))),
    Link("P", "SS1"),
    Link("SS1", "D1", Validity(date(2024, 4, 1), date(2025, 4, 1))),
    Link("P", "D1", Validity(date(2023, 1, 1), date(2024, 4, 1))),
)


def _ids(entities: Iterator[Any]) -> list[str]:
    return [_key_of(e) for e in entities]


def _key_of(entity: Any) -> str:
    return str(entity.sku) if isinstance(entity, Product) else str(entity.id)


def _edges(links: Iterator[Link]) -> list[tuple[str, str, date]]:
    return [(link.parent, link.child, link.validity.start) for link in links]


def _matches(doc: Document, filters: dict[str, Any]) -> bool:
    """The plain reading of a document query, used as the oracle of the property test."""
    f = filters
    return (
        (f.get("seller") is None or doc.seller == f["seller"])
        and (f.get("buyer") is None or doc.buyer == f["buyer"])
        and (f.get("start") is None or doc.issued_on >= f["start"])
        and (f.get("end") is None or doc.issued_on < f["end"])
        and (f.get("sku") is None or any(line.sku == f["sku"] for line in doc.lines))
        and (f.get("kind") is None or doc.kind == f["kind"])
        and (f.get("level") is None or doc.level == f["level"])
    )


_QUERY_DAYS = (date(2025, 6, 1), date(2025, 6, 30))


@st.composite
def _query_documents(draw: st.DrawFn) -> Document:
    """Light documents for the query property: few parties, SKUs and days, so filters hit."""
    seller = draw(pooled_ids("D", 4))
    return _doc(
        draw(pooled_ids("DOC", 1000)),
        seller,
        draw(pooled_ids("D", 4).filter(lambda b: b != seller)),
        draw(st.dates(*_QUERY_DAYS)),
        tuple(draw(st.lists(pooled_ids("SKU", 5), max_size=3))),
        kind=draw(st.sampled_from(DOCUMENT_KINDS)),
        level=draw(st.sampled_from(("primary", "secondary"))),
    )


def _document_filters() -> st.SearchStrategy[dict[str, Any]]:
    def maybe(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
        return st.none() | strategy

    return st.fixed_dictionaries(
        {
            "seller": maybe(pooled_ids("D", 4)),
            "buyer": maybe(pooled_ids("D", 4)),
            "sku": maybe(pooled_ids("SKU", 5)),
            "start": maybe(st.dates(*_QUERY_DAYS)),
            "end": maybe(st.dates(*_QUERY_DAYS)),
            "kind": maybe(st.sampled_from(DOCUMENT_KINDS)),
            "level": maybe(st.sampled_from(("primary", "secondary"))),
        }
    )


class StoreContract:
    """The repository contract as pytest tests; subclass it as ``Test...`` and define
    :meth:`make_store`.

    Attributes:
        property_examples: hypothesis examples for the property tests (each builds a store).
    """

    property_examples = 50

    # -- what an implementation provides ------------------------------------------------

    def make_store(self) -> Store:
        """A new, empty store. Subclasses must override this (or the ``store`` fixture)."""
        raise NotImplementedError(
            f"{type(self).__name__}.make_store: return a new, empty store to test"
        )

    def make_price_list(self, id: str, variant: int) -> Keyed:
        """A price list with ``id``; different ``variant`` values must give unequal entities."""
        return ContractEntity(id, variant)

    def make_scheme(self, id: str, variant: int) -> Keyed:
        """A scheme with ``id``; different ``variant`` values must give unequal entities."""
        return ContractEntity(id, variant)

    def make_claim(self, id: str, variant: int) -> Versioned:
        """A new claim with ``id`` (any version); different variants must be unequal."""
        return ContractClaim(id, 0, Decimal(variant))

    @pytest.fixture
    def store(self) -> Store:
        """A fresh store for one test."""
        return self.make_store()

    # -- helpers --------------------------------------------------------------------------

    def _entity(self, repo: str, key: str, variant: int = 0) -> Any:
        day = date(2025, 6, 1) + timedelta(days=variant)
        if repo == "accounts":
            return Account(key, f"Account {variant}", "retailer")
        if repo == "products":
            return Product(key, f"Product {variant}")
        if repo == "price_lists":
            return self.make_price_list(key, variant)
        if repo == "schemes":
            return self.make_scheme(key, variant)
        if repo == "documents":
            return _doc(key, "D1", "R1", day, ("SKU1",))
        return Visit(key, "REP1", "R1", day)

    @staticmethod
    def _repo(store: Store, name: str) -> Any:
        return getattr(store, name)

    # -- every keyed repository -----------------------------------------------------------

    @pytest.mark.parametrize("repo", KEYED_REPOSITORIES)
    def test_get_missing_raises_not_found_naming_the_id(self, store: Store, repo: str) -> None:
        r = self._repo(store, repo)
        with pytest.raises(NotFound, match="X404"):
            r.get("X404")
        assert r.find("X404") is None
        assert "X404" not in r

    @pytest.mark.parametrize("repo", KEYED_REPOSITORIES)
    def test_add_then_get_find_contains_len(self, store: Store, repo: str) -> None:
        r = self._repo(store, repo)
        entity = self._entity(repo, "K1")
        r.add(entity)
        assert r.get("K1") == entity
        assert r.find("K1") == entity
        assert "K1" in r
        assert len(r) == 1

    @pytest.mark.parametrize("repo", KEYED_REPOSITORIES)
    def test_add_refuses_an_existing_id(self, store: Store, repo: str) -> None:
        r = self._repo(store, repo)
        first = self._entity(repo, "K1", 0)
        r.add(first)
        with pytest.raises(DuplicateError, match="K1"):
            r.add(self._entity(repo, "K1", 1))
        assert r.get("K1") == first
        assert len(r) == 1

    @pytest.mark.parametrize("repo", KEYED_REPOSITORIES)
    def test_put_inserts_then_replaces(self, store: Store, repo: str) -> None:
        r = self._repo(store, repo)
        r.put(self._entity(repo, "K1", 0))
        assert r.get("K1") == self._entity(repo, "K1", 0)
        replacement = self._entity(repo, "K1", 1)
        r.put(replacement)
        assert r.get("K1") == replacement
        assert len(r) == 1

    @pytest.mark.parametrize("repo", _REMOVABLE)
    def test_remove_deletes_and_refuses_missing(self, store: Store, repo: str) -> None:
        r = self._repo(store, repo)
        r.add_many([self._entity(repo, "K1"), self._entity(repo, "K2")])
        r.remove("K1")
        assert "K1" not in r
        assert r.find("K1") is None
        assert _ids(r.all()) == ["K2"]
        with pytest.raises(NotFound, match="K1"):
            r.remove("K1")
        assert len(r) == 1

    @pytest.mark.parametrize("repo", KEYED_REPOSITORIES)
    def test_all_is_ordered_by_id(self, store: Store, repo: str) -> None:
        r = self._repo(store, repo)
        keys = ["b2", "a10", "c", "a2", "B1"]
        for key in keys:
            r.add(self._entity(repo, key))
        # Plain string order: upper case before lower case, "a10" before "a2".
        assert _ids(r.all()) == ["B1", "a10", "a2", "b2", "c"]

    @pytest.mark.parametrize("repo", KEYED_REPOSITORIES)
    def test_add_many_counts_and_accepts_any_iterable(self, store: Store, repo: str) -> None:
        r = self._repo(store, repo)
        added = r.add_many(self._entity(repo, f"K{i}") for i in range(3))
        assert added == 3
        assert _ids(r.all()) == ["K0", "K1", "K2"]

    @pytest.mark.parametrize("repo", KEYED_REPOSITORIES)
    def test_add_many_with_a_stored_id_adds_nothing(self, store: Store, repo: str) -> None:
        r = self._repo(store, repo)
        existing = self._entity(repo, "K2", 0)
        r.add(existing)
        batch = [self._entity(repo, k, 1) for k in ("K1", "K3", "K2", "K4")]
        with pytest.raises(DuplicateError, match="K2"):
            r.add_many(batch)
        assert _ids(r.all()) == ["K2"]
        assert r.get("K2") == existing

    @pytest.mark.parametrize("repo", KEYED_REPOSITORIES)
    def test_add_many_with_a_repeated_id_adds_nothing(self, store: Store, repo: str) -> None:
        r = self._repo(store, repo)
        batch = [self._entity(repo, "K1", 0), self._entity(repo, "K2"), self._entity(repo, "K1", 1)]
        with pytest.raises(DuplicateError, match="K1"):
            r.add_many(batch)
        assert len(r) == 0
        assert list(r.all()) == []

    # -- accounts -------------------------------------------------------------------------

    def test_accounts_by_tier_and_territory(self, store: Store) -> None:
        store.accounts.add_many(
            [
                Account("R2", "b", "retailer", territory="T1"),
                Account("D1", "a", "distributor", territory="T1"),
                Account("R1", "c", "retailer", territory="T10"),
                Account("R3", "d", "retailer"),
            ]
        )
        assert _ids(store.accounts.by_tier("retailer")) == ["R1", "R2", "R3"]
        assert _ids(store.accounts.by_tier("distributor")) == ["D1"]
        assert _ids(store.accounts.by_tier("dealer")) == []
        # Exact territory: "T10" is not inside "T1".
        assert _ids(store.accounts.by_territory("T1")) == ["D1", "R2"]
        assert _ids(store.accounts.by_territory("T10")) == ["R1"]

    # -- documents ------------------------------------------------------------------------

    @pytest.mark.parametrize(("filters", "expected"), _DOCUMENT_QUERIES)
    def test_documents_query(
        self, store: Store, filters: dict[str, Any], expected: list[str]
    ) -> None:
        store.documents.add_many(_DOCUMENTS)
        assert _ids(store.documents.query(**filters)) == expected

    def test_documents_query_after_put_and_remove(self, store: Store) -> None:
        store.documents.add_many(_DOCUMENTS)
        # S-002 moves to seller D2 and to 2025-07-02: it leaves D1's list and follows S-004.
        store.documents.put(_doc("S-002", "D2", "R1", date(2025, 7, 2), ("SKU4",), kind="return"))
        assert _ids(store.documents.query(seller="D1")) == ["S-001", "S-003", "O-001"]
        assert _ids(store.documents.query(seller="D2")) == ["S-004", "S-002"]
        assert _ids(store.documents.query(sku="SKU1")) == ["P-001", "S-003", "O-001"]
        assert _ids(store.documents.query(sku="SKU4")) == ["S-002"]
        store.documents.remove("S-003")
        assert _ids(store.documents.query(sku="SKU2")) == ["S-001"]
        assert _ids(store.documents.query(buyer="R1")) == ["O-001", "S-004", "S-002"]

    def test_documents_sku_query_lists_a_document_once(self, store: Store) -> None:
        store.documents.add(_doc("S-1", "D1", "R1", date(2025, 6, 1), ("SKU1", "SKU2", "SKU1")))
        assert _ids(store.documents.query(sku="SKU1")) == ["S-1"]

    def test_documents_query_matches_a_plain_filter(self) -> None:
        """Property: ``query`` returns exactly the documents a plain filter keeps, in order."""

        @settings(
            max_examples=self.property_examples,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow],
        )
        @given(
            docs=st.lists(
                _query_documents(),
                unique_by=lambda d: d.id,
                max_size=15,
            ),
            filters=_document_filters(),
        )
        def check(docs: list[Document], filters: dict[str, Any]) -> None:
            store = self.make_store()
            store.documents.add_many(docs)
            expected = sorted(
                (d for d in docs if _matches(d, filters)), key=lambda d: (d.issued_on, d.id)
            )
            assert list(store.documents.query(**filters)) == expected

        check()

    # -- visits ---------------------------------------------------------------------------

    @pytest.mark.parametrize(("filters", "expected"), _VISIT_QUERIES)
    def test_visits_query(self, store: Store, filters: dict[str, Any], expected: list[str]) -> None:
        store.visits.add_many(_VISITS)
        assert _ids(store.visits.query(**filters)) == expected

    def test_visits_query_follows_a_replaced_date(self, store: Store) -> None:
        store.visits.add_many(_VISITS)
        store.visits.put(Visit("V1", "REP1", "R2", date(2025, 6, 20)))
        assert _ids(store.visits.query(rep="REP1")) == ["V3", "V4", "V1"]
        assert _ids(store.visits.query(end=date(2025, 6, 3))) == ["V3"]

    # -- links ----------------------------------------------------------------------------

    def test_links_orders(self, store: Store) -> None:
        assert store.links.add_many(_LINKS) == 5
        assert len(store.links) == 5
        # of_child: by start date.
        assert _edges(store.links.of_child("D1")) == [
            ("P", "D1", date(2023, 1, 1)),
            ("SS1", "D1", date(2024, 4, 1)),
            ("SS2", "D1", date(2025, 4, 1)),
        ]
        # of_parent: by child, then start date.
        assert _edges(store.links.of_parent("SS1")) == [
            ("SS1", "D1", date(2024, 4, 1)),
            ("SS1", "D2", date(2024, 1, 1)),
        ]
        # all: by (child, start, parent).
        assert _edges(store.links.all()) == [
            ("P", "D1", date(2023, 1, 1)),
            ("SS1", "D1", date(2024, 4, 1)),
            ("SS2", "D1", date(2025, 4, 1)),
            ("SS1", "D2", date(2024, 1, 1)),
            ("P", "SS1", date.min),
        ]
        assert list(store.links.of_child("NOBODY")) == []
        assert list(store.links.of_parent("D1")) == []

    def test_links_keep_history_but_refuse_duplicates(self, store: Store) -> None:
        store.links.add(Link("SS1", "D1", Validity(date(2024, 4, 1), date(2025, 4, 1))))
        # The same pair from another start date is history, not a duplicate.
        store.links.add(Link("SS1", "D1", Validity(date(2025, 6, 1))))
        with pytest.raises(DuplicateError, match="SS1->D1"):
            store.links.add(Link("SS1", "D1", Validity(date(2025, 6, 1), date(2026, 1, 1))))
        assert len(store.links) == 2

    def test_links_add_many_is_atomic(self, store: Store) -> None:
        store.links.add(_LINKS[0])
        with pytest.raises(DuplicateError):
            store.links.add_many([_LINKS[1], _LINKS[2], _LINKS[0], _LINKS[3]])
        assert _edges(store.links.all()) == _edges(iter([_LINKS[0]]))

    def test_links_replace_all(self, store: Store) -> None:
        store.links.add_many(_LINKS)
        moved = Link("SS2", "D2", Validity(date(2025, 4, 1)))
        store.links.replace_all(link for link in (_LINKS[2], moved))
        assert len(store.links) == 2
        assert list(store.links.of_child("D1")) == []
        assert list(store.links.of_child("D2")) == [moved]
        assert list(store.links.of_parent("SS1")) == []

    def test_links_replace_all_failing_keeps_the_old_set(self, store: Store) -> None:
        store.links.add_many(_LINKS)
        before = _edges(store.links.all())
        with pytest.raises(DuplicateError):
            store.links.replace_all([_LINKS[0], Link("X", "Y"), _LINKS[0]])
        assert _edges(store.links.all()) == before

    # -- claims ---------------------------------------------------------------------------

    def test_claims_new_claim_saves_as_version_1(self, store: Store) -> None:
        claim = self.make_claim("C1", 0)
        stored = store.claims.save(claim, expected_version=0)
        assert stored.id == "C1"
        assert stored.version == 1
        if attrs.has(type(claim)):
            assert stored == attrs.evolve(cast(Any, claim), version=1)
        assert store.claims.get("C1") == stored
        assert store.claims.find("C1") == stored
        assert "C1" in store.claims
        assert len(store.claims) == 1

    def test_claims_each_save_increments_the_version(self, store: Store) -> None:
        for n in range(3):
            stored = store.claims.save(self.make_claim("C1", n), expected_version=n)
            assert stored.version == n + 1
        assert store.claims.get("C1").version == 3
        assert store.claims.get("C1") == stored

    def test_claims_carried_version_is_ignored(self, store: Store) -> None:
        # Only expected_version counts; the version the object carries is overwritten.
        claim = self.make_claim("C1", 0)
        if attrs.has(type(claim)):
            claim = attrs.evolve(cast(Any, claim), version=7)
        assert store.claims.save(claim, expected_version=0).version == 1

    def test_claims_existing_claim_with_0_raises_and_writes_nothing(self, store: Store) -> None:
        first = store.claims.save(self.make_claim("CA", 0), expected_version=0)
        with pytest.raises(ConcurrencyError) as caught:
            store.claims.save(self.make_claim("CA", 1), expected_version=0)
        # The message names the claim, the expected (0) and the stored (1) version.
        message = str(caught.value)
        assert "CA" in message and "0" in message and "1" in message
        assert store.claims.get("CA") == first

    def test_claims_stale_save_raises_and_writes_nothing(self, store: Store) -> None:
        store.claims.save(self.make_claim("CB", 0), expected_version=0)
        # Two writers read version 1; the first one wins, the second is stale.
        winner = store.claims.save(self.make_claim("CB", 1), expected_version=1)
        with pytest.raises(ConcurrencyError, match="CB") as caught:
            store.claims.save(self.make_claim("CB", 2), expected_version=1)
        message = str(caught.value)
        assert "1" in message and "2" in message
        assert store.claims.get("CB") == winner
        assert winner.version == 2

    def test_claims_version_from_the_future_raises(self, store: Store) -> None:
        with pytest.raises(ConcurrencyError, match="C9"):
            store.claims.save(self.make_claim("C9", 0), expected_version=3)
        assert "C9" not in store.claims
        assert len(store.claims) == 0
        store.claims.save(self.make_claim("C1", 0), expected_version=0)
        with pytest.raises(ConcurrencyError, match="C1"):
            store.claims.save(self.make_claim("C1", 1), expected_version=2)
        assert store.claims.get("C1").version == 1

    def test_claims_missing(self, store: Store) -> None:
        with pytest.raises(NotFound, match="C404"):
            store.claims.get("C404")
        assert store.claims.find("C404") is None
        assert "C404" not in store.claims

    def test_claims_all_is_ordered_by_id(self, store: Store) -> None:
        for key in ("C3", "C1", "C2"):
            store.claims.save(self.make_claim(key, 0), expected_version=0)
        store.claims.save(self.make_claim("C1", 1), expected_version=1)
        assert [(c.id, c.version) for c in store.claims.all()] == [
            ("C1", 2),
            ("C2", 1),
            ("C3", 1),
        ]

    # -- one data set -----------------------------------------------------------------------

    def test_repositories_are_independent(self, store: Store) -> None:
        store.price_lists.add(self.make_price_list("X1", 0))
        assert "X1" not in store.schemes
        assert len(store.schemes) == 0
        store.schemes.add(self.make_scheme("X1", 1))
        assert store.price_lists.get("X1") == self.make_price_list("X1", 0)
