"""The SQLite benchmark still runs (at a tiny scale) and prints its ratios."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "benchmarks" / "sqlite.py"


def test_sqlite_benchmark_runs_small(capsys: pytest.CaptureFixture[str]) -> None:
    spec = importlib.util.spec_from_file_location("sqlite_benchmark", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.main(["--scale", "0.001"]) == 0
    out = capsys.readouterr().out
    assert out.count("ratio") == 2
    assert "bulk load" in out
