"""networkx export, the docs page examples, and the benchmark at a tiny scale so it never rots."""

from __future__ import annotations

import doctest
import importlib.util
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from distcrm.hierarchy import ChannelGraph, to_networkx
from distcrm.periods import Validity

BENCHMARK = Path(__file__).resolve().parents[2] / "benchmarks" / "hierarchy.py"


def test_export_whole_history(fmcg: ChannelGraph) -> None:
    g = to_networkx(fmcg)
    assert g.number_of_nodes() == 13
    assert g.number_of_edges() == 13  # 13 links, no pair linked twice
    assert g.nodes["SS1"] == {"tier": "super_stockist", "name": "SS1 name"}
    assert g.edges["D1", "R5"]["validities"] == (
        Validity(date(2025, 4, 1), date(2025, 7, 1)),
    )


def test_export_as_of_a_day(fmcg: ChannelGraph) -> None:
    june = to_networkx(fmcg, on=date(2025, 6, 15))
    assert june.has_edge("D1", "R5") and not june.has_edge("D3", "R5")
    august = to_networkx(fmcg, on=date(2025, 8, 15))
    assert august.has_edge("D3", "R5") and not august.has_edge("D1", "R5")
    april = to_networkx(fmcg, on=date(2025, 4, 15))
    assert "R6" not in april  # R6 joins on 2025-05-01
    assert april.number_of_nodes() == 12


def _benchmark_module() -> Any:
    spec = importlib.util.spec_from_file_location("hierarchy_benchmark", BENCHMARK)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_benchmark_runs_at_a_tiny_scale(capsys: pytest.CaptureFixture[str]) -> None:
    module = _benchmark_module()
    assert module.main(["--scale", "0.0005", "--repeat", "1"]) == 0
    out = capsys.readouterr().out
    lines = [line for line in out.splitlines() if "ratio" in line]
    assert len(lines) == 9
    assert all(" ratio " in line for line in lines)
    assert "network: 503 accounts" in out  # 1 principal + 1 SS + 1 distributor + 500 retailers


def test_hierarchy_page_examples_run() -> None:
    page = Path(__file__).resolve().parents[2] / "docs" / "hierarchy.md"
    failed, attempted = doctest.testfile(
        str(page), module_relative=False,
        optionflags=doctest.NORMALIZE_WHITESPACE | doctest.ELLIPSIS,
    )
    assert attempted > 40
    assert failed == 0


def test_benchmark_runs_on_sample_data(capsys: pytest.CaptureFixture[str]) -> None:
    module = _benchmark_module()
    assert module.main(["--scale", "0.0005", "--repeat", "1", "--source", "sample",
                        "--no-memory"]) == 0
    out = capsys.readouterr().out
    assert "source sample" in out
    assert out.count(" ratio ") == 7  # no memory lines
