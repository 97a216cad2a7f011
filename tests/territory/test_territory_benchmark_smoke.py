"""The territory benchmark runs end to end at a tiny scale, so it never rots."""

from __future__ import annotations

import importlib.util
import time
from pathlib import Path

import pytest

BENCHMARK = Path(__file__).resolve().parents[2] / "benchmarks" / "territory.py"


def test_benchmark_runs_at_tiny_scale(capsys: pytest.CaptureFixture[str]) -> None:
    spec = importlib.util.spec_from_file_location("territory_benchmark", BENCHMARK)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    started = time.perf_counter()
    assert module.main(["--scale", "0.002"]) == 0
    assert time.perf_counter() - started < 3
    out = capsys.readouterr().out.splitlines()
    figures = [ln for ln in out if "ratio" in ln]
    assert len(figures) == 7
    assert all(ln.split("ratio ")[1].split()[0].replace(".", "").isdigit() for ln in figures)
    route = next(ln for ln in figures if ln.startswith("beat build total route:"))
    assert float(route.split("ratio ")[1].split()[0]) <= 0.5
