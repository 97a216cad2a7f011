"""The partners benchmark runs at a tiny scale, so it never rots."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest


def _load_benchmark() -> ModuleType:
    path = Path(__file__).resolve().parents[2] / "benchmarks" / "partners.py"
    spec = importlib.util.spec_from_file_location("benchmark_partners", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_benchmark_runs_at_a_tiny_scale(capsys: pytest.CaptureFixture[str]) -> None:
    bench = _load_benchmark()
    # Timings are noise at this size; the run must finish, print every figure and find the
    # same duplicates and accept the same registrations as the baselines (exit 2 otherwise).
    assert bench.main(["--scale", "0.01", "--runs", "1"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("data: ")
    assert out[1].startswith("build book of ") and "ratio" in out[1]
    assert out[2].startswith("duplicate lookup per probe (") and "ratio" in out[2]
    assert out[3].startswith("submit ") and "ratio" in out[3]
