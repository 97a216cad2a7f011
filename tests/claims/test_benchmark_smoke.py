"""The claims benchmark still runs (at a tiny scale) and prints its ratio."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "benchmarks" / "claims.py"


def test_claims_benchmark_runs_small(capsys: pytest.CaptureFixture[str]) -> None:
    spec = importlib.util.spec_from_file_location("claims_benchmark", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.main(["--scale", "0.002", "--repeat", "1"]) == 0
    out = capsys.readouterr().out
    assert "verify" in out and "ratio" in out
    assert "approved" in out
