"""The SQLite store: every repository port on the standard library's :mod:`sqlite3`.

:class:`SqliteStore` keeps each entity as exact JSON (``distcrm.serde``:
amounts as decimal strings, dates as ISO text — never a float for money) next
to the columns its queries need, indexed: documents by seller, buyer, date
and SKU; accounts by tier and territory; links by child and parent; visits by
rep, account and date.

* **Schema versions.** A ``meta`` table records the schema version; opening a
  file written by an older version applies the missing migrations in one
  transaction.
* **Concurrency.** WAL journal mode, one connection per thread, writes in
  ``BEGIN IMMEDIATE`` transactions. Claims use optimistic concurrency:
  ``save(claim, expected_version=n)`` updates the row only where its version is
  still ``n``; otherwise :class:`~distcrm.errors.ConcurrencyError` and nothing
  is written. Several threads or processes may share one file.
* **Atomic batches.** ``add_many`` writes all or nothing;
  :meth:`SqliteStore.load_documents` loads large volumes in batches, each its
  own transaction, so a crash leaves the file as it was before the batch
  being written.

Price lists, schemes and claims are stored for the entity types given to the
constructor (by default distcrm's :class:`~distcrm.pricing.PriceList`,
:class:`~distcrm.schemes.Scheme` and :class:`~distcrm.claims.Claim`).

Examples:
    >>> from datetime import date
    >>> from distcrm.documents import Document, Line
    >>> from distcrm.money import Money
    >>> store = SqliteStore(":memory:")
    >>> store.documents.add(Document("SI-1", "invoice", "secondary", "D1", "R1",
    ...     date(2025, 6, 3), "INR", (Line("SKU1", 24, Money.of("8.50", "INR")),)))
    >>> [d.id for d in store.documents.query(sku="SKU1", start=date(2025, 6, 1))]
    ['SI-1']
    >>> store.schema_version == SCHEMA_VERSION
    True
"""

from __future__ import annotations

import itertools
import json
import sqlite3
import threading
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any, Generic, TypeVar, cast

import attrs

from distcrm import serde
from distcrm.catalog import Product
from distcrm.documents import Document, DocumentKind, Level
from distcrm.errors import ConcurrencyError, DuplicateError, NotFound, ValidationError
from distcrm.parties import Account, Link
from distcrm.visits import Visit

__all__ = [
    "MIGRATIONS",
    "SCHEMA_VERSION",
    "SqliteAccounts",
    "SqliteClaims",
    "SqliteDocuments",
    "SqliteKeyed",
    "SqliteLinks",
    "SqliteProducts",
    "SqliteStore",
    "SqliteVisits",
]

T = TypeVar("T")

MIGRATIONS: tuple[tuple[str, ...], ...] = (
    # version 1: entities as JSON with their query columns
    (
        "CREATE TABLE accounts (id TEXT PRIMARY KEY, tier TEXT NOT NULL, territory TEXT, data TEXT NOT NULL)",
        "CREATE INDEX accounts_tier ON accounts (tier, id)",
        "CREATE INDEX accounts_territory ON accounts (territory, id)",
        "CREATE TABLE products (id TEXT PRIMARY KEY, data TEXT NOT NULL)",
        "CREATE TABLE links (id TEXT PRIMARY KEY, parent TEXT NOT NULL, child TEXT NOT NULL, "
        "start TEXT NOT NULL, data TEXT NOT NULL)",
        "CREATE INDEX links_child ON links (child, start, parent)",
        "CREATE INDEX links_parent ON links (parent, child, start)",
        "CREATE TABLE price_lists (id TEXT PRIMARY KEY, data TEXT NOT NULL)",
        "CREATE TABLE schemes (id TEXT PRIMARY KEY, data TEXT NOT NULL)",
        "CREATE TABLE documents (id TEXT PRIMARY KEY, kind TEXT NOT NULL, level TEXT NOT NULL, "
        "seller TEXT NOT NULL, buyer TEXT NOT NULL, issued_on TEXT NOT NULL, data TEXT NOT NULL)",
        "CREATE INDEX documents_seller ON documents (seller, issued_on, id)",
        "CREATE INDEX documents_buyer ON documents (buyer, issued_on, id)",
        "CREATE INDEX documents_date ON documents (issued_on, id)",
        "CREATE TABLE claims (id TEXT PRIMARY KEY, version INTEGER NOT NULL, data TEXT NOT NULL)",
        "CREATE TABLE visits (id TEXT PRIMARY KEY, rep TEXT NOT NULL, account TEXT NOT NULL, "
        "visited_on TEXT NOT NULL, data TEXT NOT NULL)",
        "CREATE INDEX visits_rep ON visits (rep, visited_on, id)",
        "CREATE INDEX visits_account ON visits (account, visited_on, id)",
        "CREATE INDEX visits_date ON visits (visited_on, id)",
    ),
    # version 2: which SKUs each document carries, for document queries by SKU
    (
        "CREATE TABLE document_skus (document TEXT NOT NULL REFERENCES documents (id) "
        "ON DELETE CASCADE, sku TEXT NOT NULL, issued_on TEXT NOT NULL, "
        "PRIMARY KEY (document, sku))",
        "CREATE INDEX document_skus_sku ON document_skus (sku, issued_on, document)",
        "INSERT INTO document_skus (document, sku, issued_on) "
        "SELECT DISTINCT d.id, json_extract(l.value, '$.sku'), d.issued_on "
        "FROM documents d, json_each(d.data, '$.lines') l",
    ),
)
"""Schema migrations, one tuple of statements per version (index + 1)."""

SCHEMA_VERSION = len(MIGRATIONS)
"""The schema version this code writes."""


def _dumps(entity: object) -> str:
    return json.dumps(serde.unstructure(entity), separators=(",", ":"), ensure_ascii=False)


def _loads(text: str, cls: type[T]) -> T:
    return serde.structure(json.loads(text), cls)


class _Db:
    """Per-thread connections to one database file, and transactions."""

    def __init__(self, path: str | Path, timeout: float) -> None:
        self._keepalive: sqlite3.Connection | None = None
        if str(path) == ":memory:":
            # a name no other store in this process has ever used (ids can be reused)
            self.uri = f"file:distcrm-{uuid.uuid4().hex}?mode=memory&cache=shared"
        else:
            self.uri = Path(path).resolve().as_uri()
        self.timeout = timeout
        self._local = threading.local()
        if str(path) == ":memory:":
            self._keepalive = self.connection()

    def connection(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(
                self.uri,
                uri=True,
                timeout=self.timeout,
                isolation_level=None,
                check_same_thread=True,
            )
            conn.execute("PRAGMA foreign_keys = ON")
            if "mode=memory" not in self.uri:
                conn.execute("PRAGMA journal_mode = WAL")
                conn.execute("PRAGMA synchronous = NORMAL")
            self._local.conn = conn
        return conn

    @contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        conn = self.connection()
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        else:
            conn.execute("COMMIT")

    def read(self, sql: str, params: Sequence[object] = ()) -> list[tuple[Any, ...]]:
        return self.connection().execute(sql, params).fetchall()

    def close(self) -> None:
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None


class SqliteKeyed(Generic[T]):
    """A table of entities keyed by id, stored as JSON."""

    _table: str = ""
    _columns: tuple[str, ...] = ()

    def __init__(self, db: _Db, cls: type[T], table: str, what: str) -> None:
        self._db = db
        self._cls = cls
        self._table = table
        self._what = what

    def _key(self, entity: T) -> str:
        return cast(str, getattr(entity, "id"))  # noqa: B009 - entities are keyed by .id

    def _row(self, entity: T) -> tuple[object, ...]:
        return (self._key(entity), _dumps(entity))

    def _insert_sql(self, verb: str = "INSERT") -> str:
        cols = ("id", *self._columns, "data")
        marks = ", ".join("?" for _ in cols)
        return f"{verb} INTO {self._table} ({', '.join(cols)}) VALUES ({marks})"

    def _after_insert(self, conn: sqlite3.Connection, entities: Sequence[T]) -> None:
        return None

    def _check(self, entity: object) -> T:
        if not isinstance(entity, self._cls):
            raise ValidationError(
                f"{self._what}: expected a {self._cls.__name__}, got {type(entity).__name__}"
            )
        return entity

    def get(self, id: str) -> T:
        """The entity ``id``; raises :class:`~distcrm.errors.NotFound`."""
        found = self.find(id)
        if found is None:
            raise NotFound(f"{self._what} {id!r}: not found")
        return found

    def find(self, id: str) -> T | None:
        """The entity ``id``, or ``None``."""
        rows = self._db.read(f"SELECT data FROM {self._table} WHERE id = ?", (id,))
        return _loads(rows[0][0], self._cls) if rows else None

    def add(self, entity: T) -> None:
        """Insert a new entity; :class:`~distcrm.errors.DuplicateError` if the id exists."""
        self.add_many([entity])

    def add_many(self, entities: Iterable[T]) -> int:
        """Insert many new entities in one transaction: all or nothing."""
        batch = [self._check(e) for e in entities]
        rows = [self._row(e) for e in batch]
        seen: set[str] = set()
        for e in batch:
            key = self._key(e)
            if key in seen:
                raise DuplicateError(f"{self._what} {key!r}: given twice in one batch")
            seen.add(key)
        try:
            with self._db.write() as conn:
                conn.executemany(self._insert_sql(), rows)
                self._after_insert(conn, batch)
        except sqlite3.IntegrityError:
            for e in batch:  # the transaction is rolled back: name the first stored id
                if self._key(e) in self:
                    raise DuplicateError(f"{self._what} {self._key(e)!r}: already exists") from None
            raise
        return len(batch)

    def put(self, entity: T) -> None:
        """Insert or replace the entity with the same id."""
        entity = self._check(entity)
        with self._db.write() as conn:
            conn.execute(f"DELETE FROM {self._table} WHERE id = ?", (self._key(entity),))
            conn.execute(self._insert_sql(), self._row(entity))
            self._after_insert(conn, [entity])

    def remove(self, id: str) -> None:
        """Delete the entity ``id``; raises :class:`~distcrm.errors.NotFound`."""
        with self._db.write() as conn:
            if conn.execute(f"DELETE FROM {self._table} WHERE id = ?", (id,)).rowcount == 0:
                raise NotFound(f"{self._what} {id!r}: not found")

    def _many(self, sql: str, params: Sequence[object] = ()) -> Iterator[T]:
        cls = self._cls
        return iter([_loads(row[0], cls) for row in self._db.read(sql, params)])

    def all(self) -> Iterator[T]:
        """Every entity, ordered by id."""
        return self._many(f"SELECT data FROM {self._table} ORDER BY id")

    def __len__(self) -> int:
        return int(self._db.read(f"SELECT count(*) FROM {self._table}")[0][0])

    def __contains__(self, id: object) -> bool:
        if not isinstance(id, str):
            return False
        return bool(self._db.read(f"SELECT 1 FROM {self._table} WHERE id = ?", (id,)))


class SqliteAccounts(SqliteKeyed[Account]):
    """Accounts, indexed by tier and territory."""

    _columns = ("tier", "territory")

    def _row(self, entity: Account) -> tuple[object, ...]:
        return (entity.id, entity.tier, entity.territory, _dumps(entity))

    def by_tier(self, tier: str) -> Iterator[Account]:
        """Accounts of ``tier``, ordered by id."""
        return self._many("SELECT data FROM accounts WHERE tier = ? ORDER BY id", (tier,))

    def by_territory(self, territory: str) -> Iterator[Account]:
        """Accounts placed in ``territory``, ordered by id."""
        return self._many("SELECT data FROM accounts WHERE territory = ? ORDER BY id", (territory,))


class SqliteProducts(SqliteKeyed[Product]):
    """Products keyed by SKU."""

    def _key(self, entity: Product) -> str:
        return entity.sku


class SqliteDocuments(SqliteKeyed[Document]):
    """Documents, indexed by seller, buyer, date and SKU."""

    _columns = ("kind", "level", "seller", "buyer", "issued_on")

    def _row(self, entity: Document) -> tuple[object, ...]:
        return (
            entity.id,
            entity.kind,
            entity.level,
            entity.seller,
            entity.buyer,
            entity.issued_on.isoformat(),
            _dumps(entity),
        )

    def _after_insert(self, conn: sqlite3.Connection, entities: Sequence[Document]) -> None:
        conn.executemany(
            "INSERT OR IGNORE INTO document_skus (document, sku, issued_on) VALUES (?, ?, ?)",
            [
                (d.id, sku, d.issued_on.isoformat())
                for d in entities
                for sku in sorted({line.sku for line in d.lines})
            ],
        )

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
        """Documents matching every given filter, ordered by (issued_on, id)."""
        where: list[str] = []
        params: list[object] = []
        for column, value in (
            ("seller", seller),
            ("buyer", buyer),
            ("kind", kind),
            ("level", level),
        ):
            if value is not None:
                where.append(f"d.{column} = ?")
                params.append(value)
        if start is not None:
            where.append("d.issued_on >= ?")
            params.append(start.isoformat())
        if end is not None:
            where.append("d.issued_on < ?")
            params.append(end.isoformat())
        source = "documents d"
        if sku is not None:
            source = "document_skus s JOIN documents d ON d.id = s.document"
            where.append("s.sku = ?")
            params.append(sku)
        clause = f" WHERE {' AND '.join(where)}" if where else ""
        return self._many(f"SELECT d.data FROM {source}{clause} ORDER BY d.issued_on, d.id", params)

    def load(
        self,
        documents: Iterable[Document],
        *,
        batch_size: int = 5_000,
        progress: Callable[[int], None] | None = None,
    ) -> int:
        """Insert documents in batches, each batch its own transaction; returns the count.

        A failure (or a crash) part-way leaves every earlier batch stored and
        nothing of the batch being written.
        """
        if batch_size < 1:
            raise ValidationError(f"load.batch_size: must be >= 1, got {batch_size}")
        total = 0
        it = iter(documents)
        while batch := list(itertools.islice(it, batch_size)):
            total += self.add_many(batch)
            if progress is not None:
                progress(total)
        return total


class SqliteVisits(SqliteKeyed[Visit]):
    """Visits, indexed by rep, account and date."""

    _columns = ("rep", "account", "visited_on")

    def _row(self, entity: Visit) -> tuple[object, ...]:
        return (
            entity.id,
            entity.rep,
            entity.account,
            entity.visited_on.isoformat(),
            _dumps(entity),
        )

    def query(
        self,
        *,
        rep: str | None = None,
        account: str | None = None,
        start: date | None = None,
        end: date | None = None,
    ) -> Iterator[Visit]:
        """Visits matching every given filter, ordered by (visited_on, id)."""
        where: list[str] = []
        params: list[object] = []
        if rep is not None:
            where.append("rep = ?")
            params.append(rep)
        if account is not None:
            where.append("account = ?")
            params.append(account)
        if start is not None:
            where.append("visited_on >= ?")
            params.append(start.isoformat())
        if end is not None:
            where.append("visited_on < ?")
            params.append(end.isoformat())
        clause = f" WHERE {' AND '.join(where)}" if where else ""
        return self._many(f"SELECT data FROM visits{clause} ORDER BY visited_on, id", params)


class SqliteLinks:
    """Effective-dated parent links; history is kept."""

    def __init__(self, db: _Db) -> None:
        self._db = db

    @staticmethod
    def _row(link: Link) -> tuple[object, ...]:
        return (link.id, link.parent, link.child, link.validity.start.isoformat(), _dumps(link))

    def _many(self, sql: str, params: Sequence[object] = ()) -> Iterator[Link]:
        return iter([_loads(r[0], Link) for r in self._db.read(sql, params)])

    def add(self, link: Link) -> None:
        """Insert a link; :class:`~distcrm.errors.DuplicateError` if its id exists."""
        self.add_many([link])

    def add_many(self, links: Iterable[Link]) -> int:
        """Insert many links atomically."""
        batch = list(links)
        ids = [link.id for link in batch]
        if len(set(ids)) != len(ids):
            twice = next(i for i in ids if ids.count(i) > 1)
            raise DuplicateError(f"link {twice}: given twice in one batch")
        try:
            with self._db.write() as conn:
                conn.executemany(
                    "INSERT INTO links (id, parent, child, start, data) VALUES (?, ?, ?, ?, ?)",
                    [self._row(link) for link in batch],
                )
        except sqlite3.IntegrityError:
            for link_id in ids:
                if self._db.read("SELECT 1 FROM links WHERE id = ?", (link_id,)):
                    raise DuplicateError(f"link {link_id}: already exists") from None
            raise
        return len(batch)

    def replace_all(self, links: Iterable[Link]) -> None:
        """Atomically replace the whole link set."""
        batch = list(links)
        ids = [link.id for link in batch]
        if len(set(ids)) != len(ids):
            twice = next(i for i in ids if ids.count(i) > 1)
            raise DuplicateError(f"link {twice}: given twice")
        with self._db.write() as conn:
            conn.execute("DELETE FROM links")
            conn.executemany(
                "INSERT INTO links (id, parent, child, start, data) VALUES (?, ?, ?, ?, ?)",
                [self._row(link) for link in batch],
            )

    def of_child(self, child: str) -> Iterator[Link]:
        """Every link of ``child``, by start date."""
        return self._many("SELECT data FROM links WHERE child = ? ORDER BY start, parent", (child,))

    def of_parent(self, parent: str) -> Iterator[Link]:
        """Every link of ``parent``, by child then start date."""
        return self._many(
            "SELECT data FROM links WHERE parent = ? ORDER BY child, start", (parent,)
        )

    def all(self) -> Iterator[Link]:
        """Every link, ordered by (child, start, parent)."""
        return self._many("SELECT data FROM links ORDER BY child, start, parent")

    def __len__(self) -> int:
        return int(self._db.read("SELECT count(*) FROM links")[0][0])


class SqliteClaims(Generic[T]):
    """Claims with optimistic concurrency on their ``version``."""

    def __init__(self, db: _Db, cls: type[T]) -> None:
        self._db = db
        self._cls = cls

    def get(self, id: str) -> T:
        """The claim ``id``; raises :class:`~distcrm.errors.NotFound`."""
        found = self.find(id)
        if found is None:
            raise NotFound(f"claim {id!r}: not found")
        return found

    def find(self, id: str) -> T | None:
        """The claim ``id``, or ``None``."""
        rows = self._db.read("SELECT data FROM claims WHERE id = ?", (id,))
        return _loads(rows[0][0], self._cls) if rows else None

    def save(self, claim: T, *, expected_version: int) -> T:
        """Store ``claim`` as version ``expected_version + 1`` if the stored version matches."""
        if (
            not isinstance(expected_version, int)
            or isinstance(expected_version, bool)
            or expected_version < 0
        ):
            raise ValidationError(
                f"claim {getattr(claim, 'id', '?')!r}.expected_version: must be an int >= 0, "
                f"got {expected_version!r}"
            )
        if not isinstance(claim, self._cls):
            raise ValidationError(
                f"claim: expected a {self._cls.__name__}, got {type(claim).__name__}"
            )
        key = cast(str, getattr(claim, "id"))  # noqa: B009
        stored: T = attrs.evolve(cast(Any, claim), version=expected_version + 1)
        data = _dumps(stored)
        with self._db.write() as conn:
            row = conn.execute("SELECT version FROM claims WHERE id = ?", (key,)).fetchone()
            actual = 0 if row is None else int(row[0])
            if actual != expected_version:
                raise ConcurrencyError(
                    f"claim {key!r}: expected version {expected_version}, stored version is {actual}"
                )
            if row is None:
                conn.execute(
                    "INSERT INTO claims (id, version, data) VALUES (?, ?, ?)",
                    (key, expected_version + 1, data),
                )
            else:
                conn.execute(
                    "UPDATE claims SET version = ?, data = ? WHERE id = ? AND version = ?",
                    (expected_version + 1, data, key, expected_version),
                )
        return stored

    def all(self) -> Iterator[T]:
        """Every claim, ordered by id."""
        return iter(
            [_loads(r[0], self._cls) for r in self._db.read("SELECT data FROM claims ORDER BY id")]
        )

    def __len__(self) -> int:
        return int(self._db.read("SELECT count(*) FROM claims")[0][0])

    def __contains__(self, id: object) -> bool:
        if not isinstance(id, str):
            return False
        return bool(self._db.read("SELECT 1 FROM claims WHERE id = ?", (id,)))


def _default_types() -> tuple[type[Any], type[Any], type[Any]]:
    from distcrm.claims import Claim
    from distcrm.pricing import PriceList
    from distcrm.schemes import Scheme

    return PriceList, Scheme, Claim


class SqliteStore:
    """Every repository port in one SQLite file (or ``":memory:"``).

    Args:
        path: the database file; created if missing, upgraded if older.
        price_list_type: the entity class stored in ``price_lists``.
        scheme_type: the entity class stored in ``schemes``.
        claim_type: the entity class stored in ``claims`` (needs ``id`` and ``version``).
        timeout: seconds to wait for a lock held by another writer.
    """

    def __init__(
        self,
        path: str | Path,
        *,
        price_list_type: type[Any] | None = None,
        scheme_type: type[Any] | None = None,
        claim_type: type[Any] | None = None,
        timeout: float = 30.0,
    ) -> None:
        defaults = _default_types() if None in (price_list_type, scheme_type, claim_type) else None
        self._db = _Db(path, timeout)
        self.schema_version = self._migrate()
        self.accounts = SqliteAccounts(self._db, Account, "accounts", "account")
        self.products = SqliteProducts(self._db, Product, "products", "product")
        self.links = SqliteLinks(self._db)
        self.price_lists: SqliteKeyed[Any] = SqliteKeyed(
            self._db, price_list_type or cast(Any, defaults)[0], "price_lists", "price list"
        )
        self.schemes: SqliteKeyed[Any] = SqliteKeyed(
            self._db, scheme_type or cast(Any, defaults)[1], "schemes", "scheme"
        )
        self.documents = SqliteDocuments(self._db, Document, "documents", "document")
        self.claims: SqliteClaims[Any] = SqliteClaims(
            self._db, claim_type or cast(Any, defaults)[2]
        )
        self.visits = SqliteVisits(self._db, Visit, "visits", "visit")

    def _migrate(self) -> int:
        conn = self._db.connection()
        conn.execute("BEGIN IMMEDIATE")
        try:
            conn.execute(
                "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)"
            )
            row = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
            version = 0 if row is None else int(row[0])
            if version > SCHEMA_VERSION:
                raise ValidationError(
                    f"sqlite store: the file has schema version {version}, newer than this "
                    f"distcrm's {SCHEMA_VERSION}"
                )
            for statements in MIGRATIONS[version:]:
                for sql in statements:
                    conn.execute(sql)
            conn.execute(
                "INSERT OR REPLACE INTO meta (key, value) VALUES ('schema_version', ?)",
                (str(SCHEMA_VERSION),),
            )
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
        return SCHEMA_VERSION

    def close(self) -> None:
        """Close this thread's connection."""
        self._db.close()
