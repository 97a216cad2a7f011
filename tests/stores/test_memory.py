"""MemoryStore runs the repository contract, plus its own threading and index guarantees."""

from __future__ import annotations

import re
import threading
from datetime import date, timedelta
from decimal import Decimal

import pytest

from distcrm.documents import Document, Line
from distcrm.errors import ConcurrencyError, ValidationError
from distcrm.money import Money
from distcrm.parties import Account
from distcrm.repositories import Store
from distcrm.stores import MemoryStore
from distcrm.testing.contract import ContractClaim, StoreContract


class TestMemoryStoreContract(StoreContract):
    def make_store(self) -> Store:
        return MemoryStore()


def test_memory_store_satisfies_the_store_port() -> None:
    store: Store = MemoryStore()  # checked by mypy as well
    assert len(store.documents) == 0


def test_concurrency_error_message_names_claim_and_versions() -> None:
    store = MemoryStore()
    store.claims.save(ContractClaim("CL-7"), expected_version=0)
    with pytest.raises(ConcurrencyError) as caught:
        store.claims.save(ContractClaim("CL-7"), expected_version=0)
    assert str(caught.value) == "claim 'CL-7': expected version 0, stored version is 1"


def test_negative_expected_version_is_refused() -> None:
    store = MemoryStore()
    with pytest.raises(ValidationError, match=r"claim 'C1'\.expected_version: must be an int >= 0"):
        store.claims.save(ContractClaim("C1"), expected_version=-1)
    assert len(store.claims) == 0


def test_eight_threads_saving_the_same_version_one_wins() -> None:
    store = MemoryStore()
    store.claims.save(ContractClaim("C1", amount=Decimal(0)), expected_version=0)
    barrier = threading.Barrier(8)
    won: list[int] = []
    lost: list[int] = []

    def writer(n: int) -> None:
        barrier.wait()
        try:
            store.claims.save(ContractClaim("C1", amount=Decimal(n)), expected_version=1)
            won.append(n)
        except ConcurrencyError:
            lost.append(n)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(won) == 1 and len(lost) == 7
    stored = store.claims.get("C1")
    assert stored.version == 2
    # The stored amount is the winner's.
    assert stored == ContractClaim("C1", 2, Decimal(won[0]))


def test_threads_adding_disjoint_batches_lose_nothing() -> None:
    store = MemoryStore()
    inr = Money.of("1", "INR")

    def writer(t: int) -> None:
        store.documents.add_many(
            Document(
                f"T{t}-{i}",
                "invoice",
                "secondary",
                f"D{t}",
                "R1",
                date(2025, 6, 1) + timedelta(days=i % 30),
                "INR",
                (Line("SKU1", 1, inr),),
            )
            for i in range(200)
        )

    threads = [threading.Thread(target=writer, args=(t,)) for t in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # 4 threads x 200 documents.
    assert len(store.documents) == 800
    assert sum(1 for _ in store.documents.query(sku="SKU1")) == 800
    assert sum(1 for _ in store.documents.query(seller="D2")) == 200
    days = [d.issued_on for d in store.documents.query(buyer="R1")]
    assert days == sorted(days)


def test_iteration_is_a_snapshot() -> None:
    store = MemoryStore()
    store.accounts.add_many([Account("A1", "a", "retailer"), Account("A2", "b", "retailer")])
    seen = []
    for account in store.accounts.all():
        seen.append(account.id)
        store.accounts.put(Account(f"{account.id}-copy", "c", "retailer"))
    assert seen == ["A1", "A2"]
    assert len(store.accounts) == 4


def test_documents_added_out_of_order_are_queried_in_order() -> None:
    store = MemoryStore()
    inr = Money.of("1", "INR")
    # Days 9, 8, ..., 0: every add lands before the previous one.
    for i in reversed(range(10)):
        store.documents.add(
            Document(
                f"S{i}",
                "invoice",
                "secondary",
                "D1",
                "R1",
                date(2025, 6, 1) + timedelta(days=i),
                "INR",
                (Line("SKU1", 1, inr),),
            )
        )
    assert [
        d.id
        for d in store.documents.query(seller="D1", start=date(2025, 6, 3), end=date(2025, 6, 6))
    ] == ["S2", "S3", "S4"]


def test_entity_without_string_id_is_refused() -> None:
    store = MemoryStore()
    with pytest.raises(ValidationError, match=r"int\.id: expected a string id"):
        store.price_lists.add(42)  # type: ignore[arg-type]


def test_benchmark_runs_at_a_tiny_scale(capsys: pytest.CaptureFixture[str]) -> None:
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parents[2] / "benchmarks" / "memory_store.py"
    spec = importlib.util.spec_from_file_location("memory_store_benchmark", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.main(["--scale", "0.0005"]) == 0
    out = capsys.readouterr().out
    # Every figure is printed with its ratio (the benchmark asserts equal answers itself).
    for figure in ("load", "by seller", "by buyer", "by sku", "one week"):
        assert re.search(rf"^{figure}.*ratio [0-9.e+-]+$", out, flags=re.MULTILINE), out
