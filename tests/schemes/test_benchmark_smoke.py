"""The schemes benchmark runs end to end at a tiny scale (so it never rots)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "benchmarks" / "schemes.py"


def test_benchmark_runs_at_tiny_scale(capsys: pytest.CaptureFixture[str]) -> None:
    spec = importlib.util.spec_from_file_location("schemes_benchmark", BENCH)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.main(["--scale", "0.0005", "--order-runs", "3"]) == 0
    out = capsys.readouterr().out
    assert "evaluator and baseline agree" in out
    assert out.count("ratio") >= 6
