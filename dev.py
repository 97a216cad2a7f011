"""Project runner: ``python3 dev.py demo`` and ``python3 dev.py test``.

Each command creates (or refreshes, when ``pyproject.toml`` changed) its own
virtual environment under ``.venvs/`` and then runs inside it, so a machine
with only Python 3.11+ needs nothing installed by hand.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENVS = ROOT / ".venvs"


def _venv_python(venv: Path) -> Path:
    if os.name == "nt":
        return venv / "Scripts" / "python.exe"
    return venv / "bin" / "python"


def _ensure_venv(name: str, extras: str) -> Path:
    """Create or update the virtual environment ``name`` and return its python."""
    if sys.version_info < (3, 11):  # noqa: UP036 - dev.py may be started by an older Python
        sys.exit("distcrm needs Python 3.11 or newer")
    venv = VENVS / name
    python = _venv_python(venv)
    spec = (ROOT / "pyproject.toml").read_bytes() + extras.encode()
    digest = hashlib.sha256(spec).hexdigest()
    stamp = venv / ".distcrm-stamp"
    if python.exists() and stamp.exists() and stamp.read_text() == digest:
        return python
    if not python.exists():
        print(f"creating virtual environment {venv.relative_to(ROOT)}", flush=True)
        shutil.rmtree(venv, ignore_errors=True)
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    print(f"installing distcrm{extras} into {venv.relative_to(ROOT)}", flush=True)
    pip = [str(python), "-m", "pip", "--disable-pip-version-check", "-q"]
    subprocess.run([*pip, "install", "--upgrade", "pip"], check=True)
    subprocess.run([*pip, "install", "-e", f".{extras}"], check=True, cwd=ROOT)
    stamp.write_text(digest)
    return python


def demo(args: list[str]) -> int:
    python = _ensure_venv("run", "")
    return subprocess.run([str(python), "-m", "distcrm", "demo", *args], cwd=ROOT).returncode


def test(args: list[str]) -> int:
    python = _ensure_venv("dev", "[dev]")
    env = dict(os.environ, PYTHONHASHSEED="0", NO_MKDOCS_2_WARNING="1")
    with tempfile.TemporaryDirectory() as site:
        steps: list[tuple[str, list[str]]] = [
            ("pytest", [str(python), "-m", "pytest", "-q", *args]),
            ("mypy --strict", [str(python), "-m", "mypy", "--strict"]),
            *[
                (
                    f"mypy --strict {d.relative_to(ROOT)}",
                    [str(python), "-m", "mypy", "--strict", str(d)],
                )
                for d in sorted((ROOT / "tests").iterdir())
                if d.is_dir() and any(d.glob("*.py"))
            ],
            ("ruff check", [str(python), "-m", "ruff", "check", "."]),
            (
                "mkdocs build --strict",
                [str(python), "-m", "mkdocs", "build", "--strict", "-q", "-d", site],
            ),
        ]
        failed: list[str] = []
        for title, command in steps:
            print(f"\n=== {title}", flush=True)
            started = time.perf_counter()
            code = subprocess.run(command, cwd=ROOT, env=env).returncode
            took = time.perf_counter() - started
            print(f"=== {title}: {'ok' if code == 0 else f'FAILED ({code})'} in {took:.0f}s")
            if code != 0:
                failed.append(title)
    if failed:
        print(f"\nfailed: {', '.join(failed)}")
        return 1
    print("\nall checks passed")
    return 0


COMMANDS = {"demo": demo, "test": test}


def main() -> int:
    if len(sys.argv) < 2 or sys.argv[1] not in COMMANDS:
        print("usage: python3 dev.py demo [demo options] | test [pytest options]")
        return 2
    return COMMANDS[sys.argv[1]](sys.argv[2:])


if __name__ == "__main__":
    sys.exit(main())
