"""An in-memory store implementing every repository port.

:class:`MemoryStore` keeps entities in dictionaries guarded by one
:class:`threading.RLock` per store, so it can be shared between threads. It
is the reference implementation of :mod:`distcrm.repositories` (every
convention of that module's docstring holds) and is fast enough for tests,
notebooks and batch jobs of a few million lines:

* documents are indexed by seller, buyer and SKU, each index kept in
  ``(issued_on, id)`` order, so :meth:`MemoryDocuments.query` with one of those
  filters reads only the matching documents and narrows a date range by
  bisection;
* ``add_many`` and ``replace_all`` check the whole batch before storing any of
  it, so a failure leaves the store unchanged;
* every iterator is a snapshot taken under the lock: later writes do not
  disturb an iteration in progress.

Examples:
    >>> from datetime import date
    >>> from distcrm.documents import Document, Line
    >>> from distcrm.money import Money
    >>> store = MemoryStore()
    >>> store.documents.add_many([
    ...     Document("INV-2", "invoice", "secondary", "D1", "R1", date(2025, 6, 2), "INR",
    ...              (Line("SKU1", 12, Money.of("8.50", "INR")),)),
    ...     Document("INV-1", "invoice", "secondary", "D1", "R2", date(2025, 6, 9), "INR",
    ...              (Line("SKU2", 6, Money.of("20", "INR")),)),
    ... ])
    2
    >>> [d.id for d in store.documents.query(seller="D1", end=date(2025, 6, 9))]
    ['INV-2']
    >>> [d.id for d in store.documents.query(sku="SKU2")]
    ['INV-1']
    >>> store.documents.get("INV-9")
    Traceback (most recent call last):
    ...
    distcrm.errors.NotFound: document 'INV-9' does not exist
"""

from __future__ import annotations

import threading
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from typing import Any, Generic, TypeVar, cast

import attrs

from distcrm.catalog import Product
from distcrm.documents import Document, DocumentKind, Level
from distcrm.errors import ConcurrencyError, DuplicateError, NotFound, ValidationError
from distcrm.parties import Account, Link
from distcrm.repositories import Keyed, Versioned
from distcrm.visits import Visit

__all__ = [
    "MemoryAccounts",
    "MemoryClaims",
    "MemoryDocuments",
    "MemoryKeyed",
    "MemoryLinks",
    "MemoryProducts",
    "MemoryStore",
    "MemoryVisits",
]

T = TypeVar("T")
K = TypeVar("K", bound=Keyed)
V = TypeVar("V", bound=Versioned)


class MemoryKeyed(Generic[T]):
    """A repository of entities keyed by a string (``id`` unless told otherwise).

    Args:
        what: the entity name used in error messages (``"account"``).
        lock: the store's lock, shared by all its repositories.
        key: how to read an entity's key; defaults to its ``id`` attribute.

    Examples:
        >>> from distcrm.parties import Account
        >>> repo = MemoryKeyed[Account]("account")
        >>> repo.add(Account("D1", "Shree Traders", "distributor"))
        >>> repo.add(Account("D1", "Other", "distributor"))
        Traceback (most recent call last):
        ...
        distcrm.errors.DuplicateError: account 'D1' already exists
    """

    def __init__(
        self,
        what: str,
        lock: threading.RLock | None = None,
        key: Callable[[T], str] | None = None,
    ) -> None:
        self._what = what
        self._lock = lock if lock is not None else threading.RLock()
        self._key: Callable[[T], str] = key if key is not None else _id_of
        self._items: dict[str, T] = {}

    # -- hooks for subclasses that keep indexes -------------------------------------------

    def _indexed(self, key: str, entity: T) -> None:
        """Called (under the lock) after ``entity`` was stored under ``key``."""

    def _unindexed(self, key: str, entity: T) -> None:
        """Called (under the lock) after ``entity`` was removed or replaced."""

    def _indexed_many(self, pairs: list[tuple[str, T]]) -> None:
        """Called (under the lock) after a batch was stored; one call per batch."""
        for key, entity in pairs:
            self._indexed(key, entity)

    # -- the port ---------------------------------------------------------------------------

    def _missing(self, id: str) -> NotFound:
        return NotFound(f"{self._what} {id!r} does not exist")

    def get(self, id: str) -> T:
        """The entity with ``id``; raises :class:`~distcrm.errors.NotFound`."""
        with self._lock:
            try:
                return self._items[id]
            except KeyError:
                raise self._missing(id) from None

    def find(self, id: str) -> T | None:
        """The entity with ``id``, or ``None``."""
        with self._lock:
            return self._items.get(id)

    def add(self, entity: T) -> None:
        """Insert a new entity; raises :class:`~distcrm.errors.DuplicateError` if the id exists."""
        self.add_many((entity,))

    def add_many(self, entities: Iterable[T]) -> int:
        """Insert many new entities atomically; returns how many were added.

        The batch is checked first: an id already stored, or repeated inside
        the batch, raises :class:`~distcrm.errors.DuplicateError` and nothing
        is stored.
        """
        batch = list(entities)
        keys = [self._key(e) for e in batch]
        with self._lock:
            seen: set[str] = set()
            for i, key in enumerate(keys):
                if key in self._items:
                    raise DuplicateError(f"{self._what} {key!r} already exists")
                if key in seen:
                    raise DuplicateError(
                        f"{self._what} {key!r} appears twice in the batch (item {i})"
                    )
                seen.add(key)
            pairs = list(zip(keys, batch, strict=True))
            self._items.update(pairs)
            self._indexed_many(pairs)
        return len(batch)

    def put(self, entity: T) -> None:
        """Insert ``entity`` or replace the one with the same id."""
        key = self._key(entity)
        with self._lock:
            old = self._items.get(key)
            if old is not None:
                self._unindexed(key, old)
            self._items[key] = entity
            self._indexed(key, entity)

    def remove(self, id: str) -> None:
        """Delete the entity with ``id``; raises :class:`~distcrm.errors.NotFound`."""
        with self._lock:
            try:
                old = self._items.pop(id)
            except KeyError:
                raise self._missing(id) from None
            self._unindexed(id, old)

    def all(self) -> Iterator[T]:
        """Every entity, ordered by id."""
        with self._lock:
            return iter([self._items[k] for k in sorted(self._items)])

    def __len__(self) -> int:
        with self._lock:
            return len(self._items)

    def __contains__(self, id: object) -> bool:
        with self._lock:
            return id in self._items


def _id_of(entity: object) -> str:
    key = getattr(entity, "id", None)
    if not isinstance(key, str):
        raise ValidationError(f"{type(entity).__name__}.id: expected a string id, got {key!r}")
    return key


class MemoryAccounts(MemoryKeyed[Account]):
    """Accounts of every tier.

    Examples:
        >>> repo = MemoryAccounts()
        >>> repo.add_many([Account("R2", "b", "retailer"), Account("D1", "a", "distributor"),
        ...                Account("R1", "c", "retailer")])
        3
        >>> [a.id for a in repo.by_tier("retailer")]
        ['R1', 'R2']
    """

    def __init__(self, lock: threading.RLock | None = None) -> None:
        super().__init__("account", lock)

    def by_tier(self, tier: str) -> Iterator[Account]:
        """Accounts of ``tier``, ordered by id."""
        return iter([a for a in self.all() if a.tier == tier])

    def by_territory(self, territory: str) -> Iterator[Account]:
        """Accounts placed in ``territory`` (exactly), ordered by id."""
        return iter([a for a in self.all() if a.territory == territory])


class MemoryProducts(MemoryKeyed[Product]):
    """Products keyed by SKU."""

    def __init__(self, lock: threading.RLock | None = None) -> None:
        super().__init__("product", lock, key=_sku_of)


def _sku_of(product: Product) -> str:
    return product.sku


class _DatedBucket:
    """``(date, id)`` pairs kept sorted lazily: appends are cheap, reads sort once."""

    __slots__ = ("_items", "_sorted")

    def __init__(self) -> None:
        self._items: list[tuple[date, str]] = []
        self._sorted = True

    def add(self, item: tuple[date, str]) -> None:
        if self._items and item < self._items[-1]:
            self._sorted = False
        self._items.append(item)

    def extend(self, items: list[tuple[date, str]]) -> None:
        self._items.extend(items)
        self._sorted = False

    def discard(self, item: tuple[date, str]) -> None:
        self._items.remove(item)

    def __len__(self) -> int:
        return len(self._items)

    def between(self, start: date | None, end: date | None) -> list[tuple[date, str]]:
        """The pairs with ``start <= date < end`` (either bound optional), in order."""
        if not self._sorted:
            self._items.sort()
            self._sorted = True
        lo = 0 if start is None else bisect_left(self._items, (start, ""))
        hi = len(self._items) if end is None else bisect_left(self._items, (end, ""))
        return self._items[lo:hi]


class _DatedIndex:
    """Buckets of ``(date, id)`` pairs by a string key (a seller, a buyer, a SKU)."""

    __slots__ = ("_buckets",)

    def __init__(self) -> None:
        self._buckets: dict[str, _DatedBucket] = {}

    def add(self, key: str, item: tuple[date, str]) -> None:
        bucket = self._buckets.get(key)
        if bucket is None:
            bucket = self._buckets[key] = _DatedBucket()
        bucket.add(item)

    def extend(self, groups: dict[str, list[tuple[date, str]]]) -> None:
        for key, items in groups.items():
            bucket = self._buckets.get(key)
            if bucket is None:
                bucket = self._buckets[key] = _DatedBucket()
            bucket.extend(items)

    def discard(self, key: str, item: tuple[date, str]) -> None:
        bucket = self._buckets[key]
        bucket.discard(item)
        if not bucket:
            del self._buckets[key]

    def bucket(self, key: str) -> _DatedBucket:
        return self._buckets.get(key) or _DatedBucket()


class MemoryDocuments(MemoryKeyed[Document]):
    """Documents, indexed by seller, buyer and SKU in ``(issued_on, id)`` order."""

    def __init__(self, lock: threading.RLock | None = None) -> None:
        super().__init__("document", lock)
        self._by_date = _DatedBucket()
        self._by_seller = _DatedIndex()
        self._by_buyer = _DatedIndex()
        self._by_sku = _DatedIndex()

    def _indexed(self, key: str, entity: Document) -> None:
        item = (entity.issued_on, key)
        self._by_date.add(item)
        self._by_seller.add(entity.seller, item)
        self._by_buyer.add(entity.buyer, item)
        for sku in {line.sku for line in entity.lines}:
            self._by_sku.add(sku, item)

    def _indexed_many(self, pairs: list[tuple[str, Document]]) -> None:
        dated: list[tuple[date, str]] = []
        sellers: dict[str, list[tuple[date, str]]] = defaultdict(list)
        buyers: dict[str, list[tuple[date, str]]] = defaultdict(list)
        skus: dict[str, list[tuple[date, str]]] = defaultdict(list)
        for key, doc in pairs:
            item = (doc.issued_on, key)
            dated.append(item)
            sellers[doc.seller].append(item)
            buyers[doc.buyer].append(item)
            for sku in {line.sku for line in doc.lines}:
                skus[sku].append(item)
        self._by_date.extend(dated)
        self._by_seller.extend(sellers)
        self._by_buyer.extend(buyers)
        self._by_sku.extend(skus)

    def _unindexed(self, key: str, entity: Document) -> None:
        item = (entity.issued_on, key)
        self._by_date.discard(item)
        self._by_seller.discard(entity.seller, item)
        self._by_buyer.discard(entity.buyer, item)
        for sku in {line.sku for line in entity.lines}:
            self._by_sku.discard(sku, item)

    def query(
        self,
        *,
        seller: str | None = None,
        buyer: str | None = None,
        start: date | None = None,
        end: date | None = None,
        sku: str | None = None,
        kind: DocumentKind | None = None,
        level: Level | None = None,
    ) -> Iterator[Document]:
        """Documents matching every given filter, ordered by ``(issued_on, id)``.

        ``start`` is inclusive and ``end`` exclusive; ``sku`` matches documents
        with at least one line of that SKU. The smallest of the seller, buyer
        and SKU indexes that applies is read; the other filters are checked
        document by document.
        """
        with self._lock:
            candidates = [self._by_date]
            if seller is not None:
                candidates.append(self._by_seller.bucket(seller))
            if buyer is not None:
                candidates.append(self._by_buyer.bucket(buyer))
            if sku is not None:
                candidates.append(self._by_sku.bucket(sku))
            source = min(candidates, key=len)
            found: list[Document] = []
            for _, key in source.between(start, end):
                doc = self._items[key]
                if (
                    (seller is None or doc.seller == seller)
                    and (buyer is None or doc.buyer == buyer)
                    and (kind is None or doc.kind == kind)
                    and (level is None or doc.level == level)
                    and (sku is None or any(line.sku == sku for line in doc.lines))
                ):
                    found.append(doc)
            return iter(found)


class MemoryVisits(MemoryKeyed[Visit]):
    """Field visits, kept in ``(visited_on, id)`` order for queries."""

    def __init__(self, lock: threading.RLock | None = None) -> None:
        super().__init__("visit", lock)
        self._by_date = _DatedBucket()

    def _indexed(self, key: str, entity: Visit) -> None:
        self._by_date.add((entity.visited_on, key))

    def _unindexed(self, key: str, entity: Visit) -> None:
        self._by_date.discard((entity.visited_on, key))

    def query(
        self,
        *,
        rep: str | None = None,
        account: str | None = None,
        start: date | None = None,
        end: date | None = None,
    ) -> Iterator[Visit]:
        """Visits matching every given filter, ordered by ``(visited_on, id)``."""
        with self._lock:
            found = [
                visit
                for visit in (self._items[key] for _, key in self._by_date.between(start, end))
                if (rep is None or visit.rep == rep)
                and (account is None or visit.account == account)
            ]
            return iter(found)


def _link_order(link: Link) -> tuple[str, date, str]:
    return (link.child, link.validity.start, link.parent)


class MemoryLinks:
    """Effective-dated parent links, keyed by :attr:`Link.id <distcrm.parties.Link.id>`.

    Examples:
        >>> from datetime import date
        >>> from distcrm.periods import Validity
        >>> links = MemoryLinks()
        >>> links.add_many([Link("SS1", "D1", Validity(date(2025, 4, 1))),
        ...                 Link("P", "D1", Validity(date(2024, 4, 1), date(2025, 4, 1)))])
        2
        >>> [link.parent for link in links.of_child("D1")]
        ['P', 'SS1']
    """

    def __init__(self, lock: threading.RLock | None = None) -> None:
        self._lock = lock if lock is not None else threading.RLock()
        self._items: dict[str, Link] = {}

    @staticmethod
    def _checked(links: Iterable[Link], existing: dict[str, Link]) -> dict[str, Link]:
        batch: dict[str, Link] = {}
        for i, link in enumerate(links):
            if link.id in existing:
                raise DuplicateError(f"link {link.id!r} already exists")
            if link.id in batch:
                raise DuplicateError(f"link {link.id!r} appears twice in the batch (item {i})")
            batch[link.id] = link
        return batch

    def add(self, link: Link) -> None:
        """Insert a link; raises :class:`~distcrm.errors.DuplicateError` if its id exists."""
        self.add_many((link,))

    def add_many(self, links: Iterable[Link]) -> int:
        """Insert many links atomically; returns how many were added."""
        with self._lock:
            batch = self._checked(links, self._items)
            self._items.update(batch)
            return len(batch)

    def replace_all(self, links: Iterable[Link]) -> None:
        """Atomically replace the whole link set.

        A link id repeated in ``links`` raises
        :class:`~distcrm.errors.DuplicateError` and keeps the current set.
        """
        batch = self._checked(links, {})
        with self._lock:
            self._items = batch

    def of_child(self, child: str) -> Iterator[Link]:
        """Every link whose child is ``child``, by start date (then parent)."""
        with self._lock:
            found = [link for link in self._items.values() if link.child == child]
        return iter(sorted(found, key=_link_order))

    def of_parent(self, parent: str) -> Iterator[Link]:
        """Every link whose parent is ``parent``, ordered by child then start date."""
        with self._lock:
            found = [link for link in self._items.values() if link.parent == parent]
        return iter(sorted(found, key=_link_order))

    def all(self) -> Iterator[Link]:
        """Every link, ordered by ``(child, start, parent)``."""
        with self._lock:
            found = list(self._items.values())
        return iter(sorted(found, key=_link_order))

    def __len__(self) -> int:
        with self._lock:
            return len(self._items)


class MemoryClaims(Generic[V]):
    """Versioned entities (claims) saved with optimistic concurrency.

    Any attrs class with a string ``id`` and an int ``version`` can be stored.

    Examples:
        >>> import attrs
        >>> @attrs.frozen
        ... class Note:
        ...     id: str
        ...     version: int = 0
        >>> claims = MemoryClaims[Note]()
        >>> claims.save(Note("C1"), expected_version=0)
        Note(id='C1', version=1)
        >>> claims.save(Note("C1"), expected_version=0)
        Traceback (most recent call last):
        ...
        distcrm.errors.ConcurrencyError: claim 'C1': expected version 0, stored version is 1
    """

    def __init__(self, lock: threading.RLock | None = None, what: str = "claim") -> None:
        self._lock = lock if lock is not None else threading.RLock()
        self._what = what
        self._items: dict[str, V] = {}

    def get(self, id: str) -> V:
        """The claim ``id``; raises :class:`~distcrm.errors.NotFound`."""
        with self._lock:
            try:
                return self._items[id]
            except KeyError:
                raise NotFound(f"{self._what} {id!r} does not exist") from None

    def find(self, id: str) -> V | None:
        """The claim ``id``, or ``None``."""
        with self._lock:
            return self._items.get(id)

    def save(self, claim: V, *, expected_version: int) -> V:
        """Store ``claim`` as version ``expected_version + 1`` if the stored version matches.

        ``expected_version=0`` means the claim must not exist yet. A mismatch
        raises :class:`~distcrm.errors.ConcurrencyError` naming the claim, the
        expected and the stored version, and writes nothing.
        """
        if (
            not isinstance(expected_version, int)
            or isinstance(expected_version, bool)
            or expected_version < 0
        ):
            raise ValidationError(
                f"{self._what} {claim.id!r}.expected_version: must be an int >= 0, "
                f"got {expected_version!r}"
            )
        key = _id_of(claim)
        with self._lock:
            current = self._items.get(key)
            actual = 0 if current is None else current.version
            if actual != expected_version:
                raise ConcurrencyError(
                    f"{self._what} {key!r}: expected version {expected_version}, "
                    f"stored version is {actual}"
                )
            # attrs.evolve needs an attrs instance; V is only known to have id and version.
            stored: V = attrs.evolve(cast(Any, claim), version=expected_version + 1)
            self._items[key] = stored
            return stored

    def all(self) -> Iterator[V]:
        """Every claim, ordered by id."""
        with self._lock:
            return iter([self._items[k] for k in sorted(self._items)])

    def __len__(self) -> int:
        with self._lock:
            return len(self._items)

    def __contains__(self, id: object) -> bool:
        with self._lock:
            return id in self._items


class MemoryStore:
    """Every repository port, in memory, behind one re-entrant lock.

    Price lists, schemes and claims accept any attrs entity with a string
    ``id`` (claims also an int ``version``), so the store does not depend on
    the capability packages that define them.

    Examples:
        >>> from distcrm.parties import Account
        >>> store = MemoryStore()
        >>> store.accounts.add(Account("D1", "Shree Traders", "distributor"))
        >>> len(store.accounts), "D1" in store.accounts
        (1, True)
    """

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._accounts = MemoryAccounts(self._lock)
        self._products = MemoryProducts(self._lock)
        self._links = MemoryLinks(self._lock)
        self._price_lists = MemoryKeyed[Keyed]("price list", self._lock)
        self._schemes = MemoryKeyed[Keyed]("scheme", self._lock)
        self._documents = MemoryDocuments(self._lock)
        self._claims = MemoryClaims[Versioned](self._lock)
        self._visits = MemoryVisits(self._lock)

    @property
    def lock(self) -> threading.RLock:
        """The store's lock: hold it to make several calls one atomic step."""
        return self._lock

    @property
    def accounts(self) -> MemoryAccounts:
        """Accounts of every tier."""
        return self._accounts

    @property
    def products(self) -> MemoryProducts:
        """Products keyed by SKU."""
        return self._products

    @property
    def links(self) -> MemoryLinks:
        """Parent links of the channel graph."""
        return self._links

    @property
    def price_lists(self) -> MemoryKeyed[Keyed]:
        """Price lists keyed by id."""
        return self._price_lists

    @property
    def schemes(self) -> MemoryKeyed[Keyed]:
        """Scheme definitions keyed by id."""
        return self._schemes

    @property
    def documents(self) -> MemoryDocuments:
        """Orders, invoices, returns and notes."""
        return self._documents

    @property
    def claims(self) -> MemoryClaims[Versioned]:
        """Claims, saved with optimistic concurrency."""
        return self._claims

    @property
    def visits(self) -> MemoryVisits:
        """Field visits."""
        return self._visits
