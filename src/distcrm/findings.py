"""Decisions as data: :class:`Finding` records and :class:`Trace` explanations.

A *finding* is a business fact worth a person's attention (a claim line above
entitlement, a credit limit exceeded, an outlet not visited in 30 days). It is
returned, never raised. A *trace* records how a decision was reached: every
rule considered, whether it applied, and why.

Examples:
    >>> t = Trace.of("price of SKU1 for R1 on 2025-06-01")
    >>> t = t.add("account price list", "rejected", "no entry for R1")
    >>> t = t.add("tier price list", "applied", "PTR 72.03")
    >>> print(t.render())
    price of SKU1 for R1 on 2025-06-01
      - account price list: rejected (no entry for R1)
      + tier price list: applied (PTR 72.03)
    >>> [s.rule for s in t.applied()]
    ['tier price list']
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal, TypeAlias

import attrs

from distcrm.money import Money

__all__ = [
    "Finding",
    "Outcome",
    "Severity",
    "Trace",
    "TraceStep",
]

Severity: TypeAlias = Literal["info", "warning", "error"]
Outcome: TypeAlias = Literal["applied", "rejected", "skipped", "considered", "cut"]

_MARKS: dict[str, str] = {
    "applied": "+",
    "rejected": "-",
    "skipped": "·",
    "considered": "?",
    "cut": "!",
}


@attrs.frozen
class Finding:
    """A business finding: something a person should look at.

    Attributes:
        code: stable machine-readable code, e.g. ``"amount_above_entitlement"``.
        message: a readable sentence naming the objects involved.
        subject: id of the object concerned (claim line, account, SKU...).
        amount: the money at stake, when there is one.
        severity: ``"info"``, ``"warning"`` or ``"error"``.

    Examples:
        >>> f = Finding("credit_limit_exceeded", "D1 would owe 1200.00 INR over a 1000 limit",
        ...             subject="D1", amount=Money.of("200.00", "INR"))
        >>> str(f)
        'warning credit_limit_exceeded [D1]: D1 would owe 1200.00 INR over a 1000 limit'
    """

    code: str
    message: str
    subject: str | None = None
    amount: Money | None = None
    severity: Severity = "warning"

    def __str__(self) -> str:
        where = f" [{self.subject}]" if self.subject else ""
        return f"{self.severity} {self.code}{where}: {self.message}"


@attrs.frozen
class TraceStep:
    """One rule considered during a decision, with its outcome and the reason."""

    rule: str
    outcome: Outcome
    reason: str = ""
    children: tuple[TraceStep, ...] = ()

    def render(self, indent: int = 1) -> list[str]:
        """Lines of text for this step and its children."""
        pad = "  " * indent
        why = f" ({self.reason})" if self.reason else ""
        lines = [f"{pad}{_MARKS.get(self.outcome, '?')} {self.rule}: {self.outcome}{why}"]
        for child in self.children:
            lines.extend(child.render(indent + 1))
        return lines


@attrs.frozen
class Trace:
    """How a decision was reached: a subject and the ordered steps considered."""

    subject: str
    steps: tuple[TraceStep, ...] = ()

    @classmethod
    def of(cls, subject: str, steps: Iterable[TraceStep] = ()) -> Trace:
        """A trace about ``subject`` with the given ``steps``."""
        return cls(subject, tuple(steps))

    def add(
        self,
        rule: str,
        outcome: Outcome,
        reason: str = "",
        children: Iterable[TraceStep] = (),
    ) -> Trace:
        """A new trace with one more step appended."""
        step = TraceStep(rule, outcome, reason, tuple(children))
        return Trace(self.subject, (*self.steps, step))

    def extend(self, steps: Iterable[TraceStep]) -> Trace:
        """A new trace with ``steps`` appended."""
        return Trace(self.subject, (*self.steps, *steps))

    def applied(self) -> tuple[TraceStep, ...]:
        """Top-level steps whose outcome is ``applied``."""
        return tuple(s for s in self.steps if s.outcome == "applied")

    def rejected(self) -> tuple[TraceStep, ...]:
        """Top-level steps whose outcome is ``rejected``."""
        return tuple(s for s in self.steps if s.outcome == "rejected")

    def render(self) -> str:
        """The trace as indented text, one step a line."""
        lines = [self.subject]
        for step in self.steps:
            lines.extend(step.render())
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.render()
