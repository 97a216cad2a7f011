"""Test support for distcrm and for applications built on it.

* :mod:`distcrm.testing.contract` — :class:`~distcrm.testing.contract.StoreContract`,
  a pytest suite any implementation of :mod:`distcrm.repositories` runs against itself.
* :mod:`distcrm.testing.strategies` — hypothesis strategies for every kernel entity.
* :mod:`distcrm.testing.sample` — a deterministic sample network, catalog and sales history.

The sub-modules need the development dependencies (pytest, hypothesis); this
package imports none of them, so ``import distcrm.testing`` is always cheap.
"""

__all__: list[str] = []
