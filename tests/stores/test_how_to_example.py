"""The adapter example of the how-to page passes the contract suite, as the page claims."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

PAGE = Path(__file__).resolve().parents[2] / "docs" / "how-to" / "testing-your-store.md"


def _example() -> str:
    blocks = re.findall(r"```python\n(.*?)```", PAGE.read_text(encoding="utf-8"), flags=re.DOTALL)
    found = [b for b in blocks if b.startswith("# tests/test_erp_store.py")]
    assert len(found) == 1, "the how-to page should hold one tests/test_erp_store.py block"
    return str(found[0])


def test_how_to_adapter_passes_the_contract(tmp_path: Path) -> None:
    (tmp_path / "test_erp_store.py").write_text(_example(), encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "test_erp_store.py"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    summary = done.stdout.strip().splitlines()[-1]
    passed = int(re.search(r"(\d+) passed", summary).group(1))  # type: ignore[union-attr]
    # Every test of the suite ran against the adapter, none skipped or failed.
    assert passed >= 90
    assert "failed" not in summary and "skipped" not in summary
