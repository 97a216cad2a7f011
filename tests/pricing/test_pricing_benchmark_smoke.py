"""The pricing benchmark runs end to end at a tiny scale (so it never rots)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "benchmarks" / "pricing.py"


def test_benchmark_runs_at_tiny_scale(capsys: pytest.CaptureFixture[str]) -> None:
    spec = importlib.util.spec_from_file_location("pricing_benchmark", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["pricing_benchmark"] = module
    spec.loader.exec_module(module)
    assert module.main(["--scale", "0.001"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert [line.split(":")[0] for line in out] == [
        "pricing.bulk.build", "pricing.bulk.resolve", "pricing.order"]
    assert all(" ratio " in line for line in out)
