"""The sell-through benchmark runs at a tiny scale, so it never rots."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest


def _load_benchmark() -> ModuleType:
    path = Path(__file__).resolve().parents[2] / "benchmarks" / "sellthrough.py"
    spec = importlib.util.spec_from_file_location("benchmark_sellthrough", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_benchmark_runs_at_a_tiny_scale(capsys: pytest.CaptureFixture[str]) -> None:
    bench = _load_benchmark()
    # At this size timings are noise: the exit code (ratio target) is not asserted,
    # only that every figure is printed and ours agrees with the baseline (exit 2 otherwise).
    assert bench.main(["--scale", "0.002", "--runs", "1"]) in (0, 1)
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("data: ")
    assert out[1].startswith("stock positions (") and out[1].endswith("(target <= 2)")
    assert out[2].startswith("stock positions with every component") and "ratio" in out[2]
    assert out[3].startswith("sell-through ") and "ratio" in out[3]
    assert out[4].startswith("inventory health ") and "ratio" in out[4]
