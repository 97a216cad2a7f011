"""Run every command of the tutorial (docs/tutorial.md) and check the output it shows.

Console blocks hold commands (``$ distcrm ...``, with ``# exit status N`` when it is not 0)
followed by their output; ``...`` marks left-out lines. Without ``...`` the output must match
line for line (stdout and stderr together, blank lines aside); with it, every line shown must
appear. Python blocks run too, and a text block right after one is its output.
"""

from __future__ import annotations

import contextlib
import io
import re
import shlex
import shutil
from collections import Counter
from pathlib import Path

import attrs
import pytest

from distcrm.cli import main

DOCS = Path(__file__).resolve().parents[1] / "docs"
TUTORIAL = DOCS / "tutorial.md"
FILES = DOCS / "tutorial"

FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.MULTILINE | re.DOTALL)
EXIT = re.compile(r"\s+#\s*exit status (\d+)\s*$")


@attrs.frozen
class Step:
    kind: str  # "command" or "python"
    text: str  # the command line (without "$ ") or the code
    expected: tuple[str, ...]
    status: int = 0

    @property
    def abbreviated(self) -> bool:
        return "..." in self.expected


def steps(markdown: str) -> list[Step]:
    """The tutorial's commands and Python blocks in order, each with the output shown."""
    out: list[Step] = []
    blocks = list(FENCE.finditer(markdown))
    for i, m in enumerate(blocks):
        lang, body = m.group(1), m.group(2)
        if lang == "console":
            current: list[str] | None = None
            command = ""
            status = 0
            for line in body.splitlines():
                if line.startswith("$ "):
                    if current is not None:
                        out.append(Step("command", command, tuple(current), status))
                    found = EXIT.search(line)
                    status = int(found.group(1)) if found else 0
                    command = EXIT.sub("", line[2:]).strip()
                    current = []
                elif current is not None:
                    current.append(line)
            if current is not None:
                out.append(Step("command", command, tuple(current), status))
        elif lang == "python":
            nxt = blocks[i + 1] if i + 1 < len(blocks) else None
            between = markdown[m.end():nxt.start()] if nxt else "x"
            shown: tuple[str, ...] = ()
            if nxt is not None and nxt.group(1) == "text" and not between.strip():
                shown = tuple(nxt.group(2).splitlines())
            out.append(Step("python", body, shown))
    return out


def _lines(text: str) -> list[str]:
    return [line.rstrip() for line in text.splitlines() if line.strip()]


def check_output(step: Step, output: str) -> None:
    got = _lines(output)
    shown = [line.rstrip() for line in step.expected if line.strip() and line.strip() != "..."]
    if step.abbreviated:
        missing = [line for line in shown if line not in got]
        assert not missing, f"{step.text}: lines not in the output: {missing}\n{output}"
    else:
        assert Counter(got) == Counter(shown), f"{step.text}: output differs:\n{output}"


def test_the_tutorial_lists_commands_with_output() -> None:
    found = steps(TUTORIAL.read_text(encoding="utf-8"))
    commands = [s for s in found if s.kind == "command"]
    assert len(commands) >= 15
    assert all(s.text.startswith("distcrm ") for s in commands)
    assert {s.status for s in commands} == {0, 1, 2}
    # every file a command names is shipped with the tutorial
    shipped = {p.name for p in FILES.iterdir()}
    for s in commands:
        for word in shlex.split(s.text):
            if re.fullmatch(r"[\w-]+\.(csv|json|toml)", word):
                assert word in shipped, f"{s.text}: {word} is not in docs/tutorial/"


def test_every_tutorial_command_runs_as_shown(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for f in FILES.iterdir():
        shutil.copy(f, tmp_path / f.name)
    monkeypatch.chdir(tmp_path)
    ran = 0
    for step in steps(TUTORIAL.read_text(encoding="utf-8")):
        if step.kind == "command":
            argv = shlex.split(step.text)[1:]
            status = main(argv)
            captured = capsys.readouterr()
            output = captured.out + captured.err
            assert status == step.status, f"{step.text}: exit {status}\n{output}"
        else:
            buffer = io.StringIO()
            with contextlib.redirect_stdout(buffer):
                exec(compile(step.text, "tutorial.md", "exec"), {})
            output = buffer.getvalue()
        check_output(step, output)
        ran += 1
    assert ran >= 16


def test_the_command_line_page_examples_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for f in FILES.iterdir():
        shutil.copy(f, tmp_path / f.name)
    monkeypatch.chdir(tmp_path)
    for kind in ("accounts", "products", "price-lists"):
        assert main(["import", kind, f"{kind}.csv", "--db", "june.sqlite"]) == 0
    capsys.readouterr()
    found = [s for s in steps((DOCS / "cli.md").read_text(encoding="utf-8"))
             if s.kind == "command"]
    assert len(found) >= 2
    for step in found:
        status = main(shlex.split(step.text)[1:])
        captured = capsys.readouterr()
        assert status == step.status, f"{step.text}: exit {status}\n{captured.err}"
        check_output(step, captured.out + captured.err)
