"""Repository ports: the storage contracts host applications implement.

distcrm's core never touches storage. Capabilities take entities as
arguments; applications keep them wherever they like and expose them through
these :class:`typing.Protocol` ports. :mod:`distcrm.stores.memory` implements
every port in memory (also the reference for tests) and
:mod:`distcrm.testing.contract` is a pytest suite any implementation can run
against itself.

Conventions every implementation follows:

* ``get(id)`` raises :class:`~distcrm.errors.NotFound`; ``find(id)`` returns ``None``.
* ``add`` refuses an existing id with :class:`~distcrm.errors.DuplicateError`;
  ``put`` inserts or replaces.
* ``add_many`` is atomic: on any error nothing of the batch is stored.
* ``all()`` and ``query()`` yield entities in a deterministic order (by id, or
  by date then id for documents and visits).
* Date ranges are half-open: ``start`` inclusive, ``end`` exclusive.
* Versioned entities (claims) use optimistic concurrency: ``save(entity,
  expected_version=n)`` succeeds only when the stored version is ``n`` (``0``
  when the entity must be new) and stores it as version ``n + 1``; otherwise
  :class:`~distcrm.errors.ConcurrencyError` is raised and nothing is written.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date
from typing import Protocol, TypeVar, runtime_checkable

from distcrm.catalog import Product
from distcrm.documents import Document, DocumentKind, Level
from distcrm.parties import Account, Link
from distcrm.visits import Visit

__all__ = [
    "AccountRepository",
    "ClaimRepository",
    "DocumentRepository",
    "Keyed",
    "KeyedRepository",
    "LinkRepository",
    "PriceListRepository",
    "ProductRepository",
    "SchemeRepository",
    "Store",
    "Versioned",
    "VisitRepository",
]


@runtime_checkable
class Keyed(Protocol):
    """Anything with a string ``id``."""

    @property
    def id(self) -> str: ...


@runtime_checkable
class Versioned(Keyed, Protocol):
    """A keyed entity with an integer ``version`` for optimistic concurrency."""

    @property
    def version(self) -> int: ...


K = TypeVar("K", bound=Keyed)
V = TypeVar("V", bound=Versioned)


class KeyedRepository(Protocol[K]):
    """A collection of entities keyed by their ``id``."""

    def get(self, id: str) -> K:
        """The entity with ``id``; raises ``NotFound``."""
        ...

    def find(self, id: str) -> K | None:
        """The entity with ``id``, or ``None``."""
        ...

    def add(self, entity: K) -> None:
        """Insert a new entity; raises ``DuplicateError`` if the id exists."""
        ...

    def add_many(self, entities: Iterable[K]) -> int:
        """Insert many new entities atomically; returns how many were added."""
        ...

    def put(self, entity: K) -> None:
        """Insert or replace the entity with the same id."""
        ...

    def remove(self, id: str) -> None:
        """Delete the entity with ``id``; raises ``NotFound``."""
        ...

    def all(self) -> Iterator[K]:
        """Every entity, ordered by id."""
        ...

    def __len__(self) -> int: ...

    def __contains__(self, id: object) -> bool: ...


class AccountRepository(KeyedRepository[Account], Protocol):
    """Accounts of every tier."""

    def by_tier(self, tier: str) -> Iterator[Account]:
        """Accounts of ``tier``, ordered by id."""
        ...

    def by_territory(self, territory: str) -> Iterator[Account]:
        """Accounts placed in ``territory`` (exactly), ordered by id."""
        ...


class ProductRepository(Protocol):
    """Products keyed by SKU."""

    def get(self, sku: str) -> Product:
        """The product ``sku``; raises ``NotFound``."""
        ...

    def find(self, sku: str) -> Product | None:
        """The product ``sku``, or ``None``."""
        ...

    def add(self, product: Product) -> None:
        """Insert a new product; raises ``DuplicateError`` if the SKU exists."""
        ...

    def add_many(self, products: Iterable[Product]) -> int:
        """Insert many new products atomically."""
        ...

    def put(self, product: Product) -> None:
        """Insert or replace the product with the same SKU."""
        ...

    def all(self) -> Iterator[Product]:
        """Every product, ordered by SKU."""
        ...

    def __len__(self) -> int: ...

    def __contains__(self, sku: object) -> bool: ...


class LinkRepository(Protocol):
    """Effective-dated parent links of the channel graph (history is kept)."""

    def add(self, link: Link) -> None:
        """Insert a link; raises ``DuplicateError`` if the same link id exists."""
        ...

    def add_many(self, links: Iterable[Link]) -> int:
        """Insert many links atomically."""
        ...

    def replace_all(self, links: Iterable[Link]) -> None:
        """Atomically replace the whole link set (the result of a hierarchy change)."""
        ...

    def of_child(self, child: str) -> Iterator[Link]:
        """Every link (past, present, future) whose child is ``child``, by start date."""
        ...

    def of_parent(self, parent: str) -> Iterator[Link]:
        """Every link whose parent is ``parent``, ordered by child then start date."""
        ...

    def all(self) -> Iterator[Link]:
        """Every link, ordered by (child, start, parent)."""
        ...

    def __len__(self) -> int: ...


class PriceListRepository(KeyedRepository[K], Protocol):
    """Price lists (entities of :mod:`distcrm.pricing`), keyed by id."""


class SchemeRepository(KeyedRepository[K], Protocol):
    """Scheme definitions (entities of :mod:`distcrm.schemes`), keyed by id."""


class DocumentRepository(KeyedRepository[Document], Protocol):
    """Orders, invoices, returns and notes."""

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
        """Documents matching every given filter, ordered by (issued_on, id).

        ``start`` is inclusive and ``end`` exclusive; ``sku`` matches documents
        with at least one line of that SKU.
        """
        ...


class ClaimRepository(Protocol[V]):
    """Claims, saved with optimistic concurrency."""

    def get(self, id: str) -> V:
        """The claim ``id``; raises ``NotFound``."""
        ...

    def find(self, id: str) -> V | None:
        """The claim ``id``, or ``None``."""
        ...

    def save(self, claim: V, *, expected_version: int) -> V:
        """Store ``claim`` if the stored version equals ``expected_version``.

        ``expected_version=0`` means the claim must not exist yet. Returns the
        claim as stored, with ``version = expected_version + 1``. A mismatch
        raises ``ConcurrencyError`` and writes nothing.
        """
        ...

    def all(self) -> Iterator[V]:
        """Every claim, ordered by id."""
        ...

    def __len__(self) -> int: ...

    def __contains__(self, id: object) -> bool: ...


class VisitRepository(KeyedRepository[Visit], Protocol):
    """Field visits."""

    def query(
        self,
        *,
        rep: str | None = None,
        account: str | None = None,
        start: date | None = None,
        end: date | None = None,
    ) -> Iterator[Visit]:
        """Visits matching every given filter, ordered by (visited_on, id)."""
        ...


class Store(Protocol):
    """Every repository of one data set, as one object."""

    @property
    def accounts(self) -> AccountRepository: ...

    @property
    def products(self) -> ProductRepository: ...

    @property
    def links(self) -> LinkRepository: ...

    @property
    def price_lists(self) -> PriceListRepository[Keyed]: ...

    @property
    def schemes(self) -> SchemeRepository[Keyed]: ...

    @property
    def documents(self) -> DocumentRepository: ...

    @property
    def claims(self) -> ClaimRepository[Versioned]: ...

    @property
    def visits(self) -> VisitRepository: ...
