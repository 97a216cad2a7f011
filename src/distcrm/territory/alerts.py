"""Alerts as findings: unvisited accounts, falling beat compliance, outlets in no beat.

Every function returns :class:`~distcrm.findings.Finding` records (never
raises for a business condition) naming the account, beat or outlet.

* :func:`unvisited_accounts` — an account matching a :class:`VisitRule` not
  visited within the rule's days. The default rule is the classic one: a
  high-value (class A) distributor not visited in more than 30 days.
* :func:`falling_compliance` — beats whose compliance fell between
  consecutive coverage reports by at least ``min_drop`` points.
* :func:`outlets_in_no_beat` — outlets on no beat in force on a day.
* :func:`assignments_without_rep` — accounts, territories and beats still held
  on a day by a rep who is not employed then (a leaver nobody reassigned).

Examples:
    >>> from datetime import date
    >>> from distcrm.parties import Account
    >>> from distcrm.visits import Visit
    >>> d1 = Account("D1", "Shree Traders", "distributor", account_class="A")
    >>> d2 = Account("D2", "Om Agencies", "distributor", account_class="A")
    >>> visits = [Visit("V1", "REP1", "D1", date(2025, 5, 1)),
    ...           Visit("V2", "REP1", "D2", date(2025, 6, 1))]
    >>> for f in unvisited_accounts([d1, d2], visits, date(2025, 6, 2)):
    ...     print(f)
    warning account_not_visited [D1]: distributor 'D1' (class A) last visited on 2025-05-01, 32 days before 2025-06-02 (rule: more than 30 days)
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal

import attrs

from distcrm.findings import Finding, Severity
from distcrm.parties import Account
from distcrm.territory.assignments import AssignmentBook, Rep
from distcrm.territory.beats import Beat
from distcrm.territory.compliance import CoverageReport
from distcrm.territory.errors import TerritoryError
from distcrm.visits import Visit

__all__ = [
    "HIGH_VALUE_DISTRIBUTOR",
    "VisitRule",
    "assignments_without_rep",
    "falling_compliance",
    "outlets_in_no_beat",
    "unvisited_accounts",
]


@attrs.frozen
class VisitRule:
    """Accounts of ``tier`` and ``account_class`` must be visited at least every ``max_days``.

    ``None`` for ``tier`` or ``account_class`` matches any value.
    """

    max_days: int = 30
    tier: str | None = "distributor"
    account_class: str | None = "A"
    code: str = "account_not_visited"
    severity: Severity = "warning"

    def __attrs_post_init__(self) -> None:
        if (
            isinstance(self.max_days, bool)
            or not isinstance(self.max_days, int)
            or self.max_days < 0
        ):
            raise TerritoryError(f"visit rule {self.code!r}.max_days: must be an int >= 0")

    def applies(self, account: Account) -> bool:
        """True when the rule concerns ``account``."""
        return (self.tier is None or account.tier == self.tier) and (
            self.account_class is None or account.account_class == self.account_class
        )


HIGH_VALUE_DISTRIBUTOR = VisitRule()
"""A class-A distributor must be visited at least every 30 days."""


def unvisited_accounts(
    accounts: Iterable[Account],
    visits: Iterable[Visit],
    on: date,
    rules: Sequence[VisitRule] = (HIGH_VALUE_DISTRIBUTOR,),
) -> tuple[Finding, ...]:
    """Findings for accounts whose last visit on or before ``on`` is older than a rule allows.

    An account never visited is reported too. The first matching rule decides.
    """
    last: dict[str, date] = {}
    for v in visits:
        if v.visited_on <= on:
            seen = last.get(v.account)
            if seen is None or v.visited_on > seen:
                last[v.account] = v.visited_on
    out: list[Finding] = []
    for acc in sorted(accounts, key=lambda a: a.id):
        rule = next((r for r in rules if r.applies(acc)), None)
        if rule is None:
            continue
        what = f"{acc.tier} {acc.id!r}" + (
            f" (class {acc.account_class})" if acc.account_class else ""
        )
        seen = last.get(acc.id)
        if seen is None:
            out.append(
                Finding(
                    rule.code,
                    f"{what} has no visit on record up to {on.isoformat()}",
                    subject=acc.id,
                    severity=rule.severity,
                )
            )
            continue
        days = (on - seen).days
        if days > rule.max_days:
            out.append(
                Finding(
                    rule.code,
                    f"{what} last visited on {seen.isoformat()}, {days} days before "
                    f"{on.isoformat()} (rule: more than {rule.max_days} days)",
                    subject=acc.id,
                    severity=rule.severity,
                )
            )
    return tuple(out)


def falling_compliance(
    reports: Sequence[CoverageReport], *, min_drop: Decimal = Decimal("10")
) -> tuple[Finding, ...]:
    """Beats whose compliance fell by at least ``min_drop`` points from one report to the next.

    ``reports`` are coverage reports of consecutive periods, oldest first; every
    drop between two consecutive reports is a finding.

    Examples:
        >>> from datetime import date
        >>> from distcrm.periods import Validity
        >>> from distcrm.territory.compliance import CoverageRow
        >>> def rep(start, covered):
        ...     row = CoverageRow("B1", planned=20, covered=covered)
        ...     return CoverageReport(Validity(start, date(start.year, start.month + 1, 1)),
        ...                           row, {}, {"B1": row}, {})
        >>> [f.message for f in falling_compliance([rep(date(2025, 5, 1), 19),
        ...                                         rep(date(2025, 6, 1), 15)])]
        ["beat 'B1' compliance fell from 95.00% to 75.00% (20.00 points) in [2025-06-01, 2025-07-01)"]
    """
    out: list[Finding] = []
    for before, after in itertools.pairwise(reports):
        for beat in sorted(after.by_beat):
            old_row = before.by_beat.get(beat)
            new = after.by_beat[beat].compliance
            old = old_row.compliance if old_row is not None else None
            if old is None or new is None:
                continue
            drop = old - new
            if drop >= min_drop:
                out.append(
                    Finding(
                        "beat_compliance_falling",
                        f"beat {beat!r} compliance fell from {old}% to {new}% ({drop} points) "
                        f"in {after.period}",
                        subject=beat,
                    )
                )
    return tuple(out)


def outlets_in_no_beat(
    outlets: Iterable[Account | str], beats: Iterable[Beat], on: date
) -> tuple[Finding, ...]:
    """Findings for outlets that are on no beat in force on ``on``.

    Examples:
        >>> from datetime import date
        >>> b = Beat("B1", "D1", "REP1", ["MO"], ["R1"])
        >>> [str(f) for f in outlets_in_no_beat(["R1", "R2"], [b], date(2025, 6, 2))]
        ["warning outlet_in_no_beat [R2]: outlet 'R2' is on no beat on 2025-06-02"]
    """
    covered = {o for b in beats if b.active_on(on) for o in b.outlets}
    ids = sorted({o.id if isinstance(o, Account) else o for o in outlets})
    return tuple(
        Finding(
            "outlet_in_no_beat",
            f"outlet {o!r} is on no beat on {on.isoformat()}",
            subject=o,
        )
        for o in ids
        if o not in covered
    )


def assignments_without_rep(
    book: AssignmentBook, beats: Iterable[Beat], reps: Iterable[Rep], on: date
) -> tuple[Finding, ...]:
    """Findings for items held on ``on`` by a rep not employed (or not known) on ``on``.

    Examples:
        >>> from datetime import date
        >>> from distcrm.periods import Validity
        >>> ravi = Rep("RAVI", "Ravi", Validity(date(2024, 1, 1), date(2025, 7, 1)))
        >>> book = AssignmentBook().assign("RAVI", "account", "D1", date(2025, 1, 1))
        >>> [str(f) for f in assignments_without_rep(book, [], [ravi], date(2025, 7, 1))]
        ["error account_held_by_absent_rep [D1]: account 'D1' is held on 2025-07-01 by 'RAVI', who left on 2025-07-01"]
    """
    known: dict[str, Rep] = {r.id: r for r in reps}

    def why(rep: str) -> str | None:
        person = known.get(rep)
        if person is None:
            return f"{rep!r}, who is not a known rep"
        if person.employed.contains(on):
            return None
        if person.employed.end is not None and on >= person.employed.end:
            return f"{rep!r}, who left on {person.employed.end.isoformat()}"
        return f"{rep!r}, who starts on {person.employed.start.isoformat()}"

    out: list[Finding] = []
    for a in sorted(book.assignments, key=lambda a: (a.kind, a.target, a.rep)):
        if a.active_on(on) and (reason := why(a.rep)) is not None:
            out.append(
                Finding(
                    f"{a.kind}_held_by_absent_rep",
                    f"{a.kind} {a.target!r} is held on {on.isoformat()} by {reason}",
                    subject=a.target,
                    severity="error",
                )
            )
    for b in sorted(beats, key=lambda b: b.id):
        if b.active_on(on) and (reason := why(b.rep)) is not None:
            out.append(
                Finding(
                    "beat_held_by_absent_rep",
                    f"beat {b.id!r} is run on {on.isoformat()} by {reason}",
                    subject=b.id,
                    severity="error",
                )
            )
    return tuple(out)
