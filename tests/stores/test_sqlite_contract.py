"""The SQLite store passes the same contract suite as the memory store."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path

import pytest

from distcrm.repositories import Store
from distcrm.stores.sqlite import SqliteStore
from distcrm.testing.contract import ContractClaim, ContractEntity, StoreContract

_counter = itertools.count()


class TestSqliteStoreContract(StoreContract):
    @pytest.fixture
    def store(self, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
        path = tmp_path_factory.mktemp("sqlite") / f"store-{next(_counter)}.db"
        s = SqliteStore(
            path, price_list_type=ContractEntity, scheme_type=ContractEntity,
            claim_type=ContractClaim,
        )
        yield s
        s.close()

    def make_store(self) -> Store:  # pragma: no cover - the fixture above builds stores
        return SqliteStore(
            Path(":memory:"), price_list_type=ContractEntity, scheme_type=ContractEntity,
            claim_type=ContractClaim,
        )
