"""The worked examples of the scheme docs pages run and give the numbers they show."""

from __future__ import annotations

import doctest
from pathlib import Path

import pytest

PAGES = Path(__file__).resolve().parents[2] / "docs" / "schemes"


@pytest.mark.parametrize(
    "name", ["defining.md", "near-misses.md", "caps.md", "stacking.md", "traces.md"]
)
def test_page_examples_run(name: str) -> None:
    failed, attempted = doctest.testfile(
        str(PAGES / name),
        module_relative=False,
        optionflags=doctest.NORMALIZE_WHITESPACE | doctest.ELLIPSIS,
    )
    assert attempted > 3
    assert failed == 0
