"""Reference implementations of the repository ports of :mod:`distcrm.repositories`.

* :mod:`distcrm.stores.memory` — :class:`~distcrm.stores.memory.MemoryStore`,
  every port in memory, thread-safe.
* :mod:`distcrm.stores.sqlite` — :class:`~distcrm.stores.sqlite.SqliteStore`,
  every port on a SQLite database file.

Examples:
    >>> from distcrm.stores import MemoryStore
    >>> len(MemoryStore().documents)
    0
"""

from distcrm.stores.memory import (
    MemoryAccounts,
    MemoryClaims,
    MemoryDocuments,
    MemoryKeyed,
    MemoryLinks,
    MemoryProducts,
    MemoryStore,
    MemoryVisits,
)
from distcrm.stores.sqlite import SqliteStore

__all__ = [
    "MemoryAccounts",
    "MemoryClaims",
    "MemoryDocuments",
    "MemoryKeyed",
    "MemoryLinks",
    "MemoryProducts",
    "MemoryStore",
    "MemoryVisits",
    "SqliteStore",
]
