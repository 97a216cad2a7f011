"""A tiny text progress bar for long steps of the command line.

It draws on one line with carriage returns and is silent unless enabled, so
tests and CI logs stay clean (the command enables it when stderr is a
terminal, or when ``--progress`` is given).

Examples:
    >>> import io
    >>> out = io.StringIO()
    >>> bar = ProgressBar("documents", 200, out, width=10)
    >>> bar.update(100)
    >>> bar.finish()
    >>> print(out.getvalue().replace("\\r", "|"))
    |documents  [#####.....]    100/200|documents  [##########]    200/200
    <BLANKLINE>
    >>> quiet = io.StringIO()
    >>> ProgressBar("x", 10, quiet, enabled=False).update(5)
    >>> quiet.getvalue()
    ''
"""

from __future__ import annotations

from typing import TextIO

__all__ = ["ProgressBar"]


class ProgressBar:
    """A one-line bar ``label [####....] done/total`` redrawn in place.

    Args:
        label: what is being counted.
        total: the count at completion (0 draws a full bar).
        stream: where to draw (stderr by the command).
        enabled: draw nothing when false.
        width: characters of the bar.
    """

    def __init__(
        self, label: str, total: int, stream: TextIO, *, enabled: bool = True, width: int = 30
    ) -> None:
        self.label = label
        self.total = max(0, total)
        self.stream = stream
        self.enabled = enabled
        self.width = width
        self.done = 0

    def update(self, done: int) -> None:
        """Redraw with ``done`` items complete."""
        self.done = min(max(0, done), self.total) if self.total else done
        if not self.enabled:
            return
        filled = self.width if not self.total else self.width * self.done // self.total
        bar = "#" * filled + "." * (self.width - filled)
        digits = len(str(self.total))
        self.stream.write(f"\r{self.label:<10} [{bar}] {self.done:>{digits + 4}}/{self.total}")
        self.stream.flush()

    def finish(self) -> None:
        """Draw the full bar and end the line."""
        if not self.enabled:
            return
        if self.total and self.done != self.total:
            self.update(self.total)
        self.stream.write("\n")
        self.stream.flush()
