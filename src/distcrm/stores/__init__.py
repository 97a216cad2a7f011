"""Reference implementations of the repository ports of :mod:`distcrm.repositories`.

* :mod:`distcrm.stores.memory` — :class:`~distcrm.stores.memory.MemoryStore`,
  every port in memory, thread-safe.

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
