"""Problems found in a channel graph, and the errors that carry them.

Every problem names the accounts involved (``accounts``) and has a stable
``code`` so that callers can group or filter them:

* ``duplicate_account`` — two accounts share one id;
* ``unknown_tier`` — an account's tier is not one of the tier rules;
* ``unknown_account`` — a link names an account that is not in the graph;
* ``tier_not_allowed`` — the parent's tier may not supply the child's tier;
* ``duplicate_link`` — two links between the same parent and child overlap in time;
* ``multi_parent`` — a second active parent where the child's tier allows one;
* ``cycle`` — accounts supply each other in a loop on some day;
* ``orphan`` — an account below the root tier has no parent link at all;
* ``gap`` — an account below the root tier has no parent between two of its links;
* ``not_in_network`` — a query names an account with no active parent link that day;
* ``bad_change`` — a change or a path choice that cannot be made as asked.

Examples:
    >>> p = HierarchyProblem("$.links[0]", "unknown account 'X'", "unknown_account", ("X",))
    >>> str(p), p.code, p.accounts
    ("$.links[0]: unknown account 'X'", 'unknown_account', ('X',))
    >>> err = HierarchyError([p])
    >>> err.problems[0].code
    'unknown_account'
"""

from __future__ import annotations

from typing import Literal, TypeAlias

import attrs

from distcrm.errors import AccessDenied, HierarchyError, Problem

__all__ = [
    "AccessDenied",
    "HierarchyError",
    "HierarchyProblem",
    "ProblemCode",
]

ProblemCode: TypeAlias = Literal[
    "duplicate_account",
    "unknown_tier",
    "unknown_account",
    "tier_not_allowed",
    "duplicate_link",
    "multi_parent",
    "cycle",
    "orphan",
    "gap",
    "not_in_network",
    "bad_change",
]


@attrs.frozen
class HierarchyProblem(Problem):
    """A :class:`~distcrm.errors.Problem` of the channel graph.

    Attributes:
        path: where the problem is, e.g. ``$.links[12]`` or ``$.accounts[3]``.
        message: a sentence naming the accounts, tiers and dates involved.
        code: the kind of problem (see the module docstring).
        accounts: ids of the accounts involved, in the order the message names them.
    """

    code: str = ""
    accounts: tuple[str, ...] = ()
