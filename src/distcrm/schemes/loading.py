"""Loading scheme definitions from dicts, JSON and TOML, with every problem located.

Benefits are told apart by a ``"type"`` tag: ``free_goods``, ``percent``,
``flat``, ``rebate``. Decimals are strings (or JSON/TOML numbers, read
exactly), dates ISO strings, categories ``"Foods/Biscuits"``. A file holds a
list of schemes, or a table with a ``schemes`` list (TOML: ``[[schemes]]``).
Every problem — unknown keys, wrong types, invalid definitions, duplicate
ids — is reported at once in one :class:`~distcrm.errors.StructureError`,
each with its path.

Examples:
    >>> text = '''
    ... [[schemes]]
    ... id = "S1"
    ... name = "Buy 10 get 1"
    ... validity = { start = "2025-04-01" }
    ... window = "month"
    ... products = { categories = ["Foods/Biscuits"] }
    ... slabs = [ { min = 10, benefit = { type = "free_goods", get = 1, every = 10 } } ]
    ... '''
    >>> [s.id for s in schemes_from_toml(text)]
    ['S1']
    >>> schemes_from_json('[{"id": "S2", "name": "x", "validity": {"start": "2025-04-01"},'
    ...                   ' "slabs": [{"min": "5", "benefit": {"type": "percent", "percent": 120}}]}]')
    Traceback (most recent call last):
    ...
    distcrm.errors.StructureError: $[0].slabs[0].benefit.percent: must be between 0 and 100
"""

from __future__ import annotations

import json
import tomllib
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from distcrm import serde
from distcrm.errors import Problem, StructureError
from distcrm.schemes.model import (
    Benefit,
    FlatAmount,
    FreeGoods,
    PercentDiscount,
    Rebate,
    Scheme,
)

__all__ = [
    "BENEFIT_TAGS",
    "scheme_from_dict",
    "scheme_to_dict",
    "schemes_from_data",
    "schemes_from_json",
    "schemes_from_toml",
]

BENEFIT_TAGS: dict[type, str] = {
    FreeGoods: "free_goods",
    PercentDiscount: "percent",
    FlatAmount: "flat",
    Rebate: "rebate",
}
"""The ``"type"`` tag of each benefit class in JSON / TOML."""

serde.register_tagged_union(Benefit, BENEFIT_TAGS, key="type")


def scheme_from_dict(data: Mapping[str, Any]) -> Scheme:
    """One scheme from plain data; problems are reported with ``$.`` paths."""
    return serde.structure(data, Scheme)


def scheme_to_dict(scheme: Scheme) -> dict[str, Any]:
    """Plain, JSON-ready data for ``scheme`` (benefits tagged with ``"type"``).

    Examples:
        >>> from datetime import date
        >>> from distcrm.periods import Validity
        >>> from distcrm.schemes.model import Slab
        >>> s = Scheme("S", "s", Validity(date(2025, 4, 1)), slabs=(Slab(1, FreeGoods(1)),))
        >>> scheme_from_dict(scheme_to_dict(s)) == s
        True
    """
    data: dict[str, Any] = serde.unstructure(scheme)
    return data


def schemes_from_data(data: Any) -> tuple[Scheme, ...]:
    """Schemes from a list of dicts, or a dict with a ``schemes`` list."""
    prefix = "$"
    if isinstance(data, Mapping):
        extra = sorted(k for k in data if k != "schemes")
        if "schemes" not in data or extra:
            problems = [Problem(f"$.{k}", "unknown field") for k in extra]
            if "schemes" not in data:
                problems.append(Problem("$.schemes", "required field missing"))
            raise StructureError(problems)
        data = data["schemes"]
        prefix = "$.schemes"
    if not isinstance(data, list):
        raise StructureError([Problem(prefix, f"expected a list, got {type(data).__name__}")])
    try:
        schemes: tuple[Scheme, ...] = serde.structure(data, tuple[Scheme, ...])
    except StructureError as exc:
        raise StructureError(
            [Problem(prefix + p.path[1:], p.message) for p in exc.problems]
        ) from None
    seen: dict[str, int] = {}
    dupes: list[Problem] = []
    for i, s in enumerate(schemes):
        if s.id in seen:
            dupes.append(Problem(f"{prefix}[{i}].id", f"{s.id!r} repeats {prefix}[{seen[s.id]}]"))
        seen.setdefault(s.id, i)
    if dupes:
        raise StructureError(dupes)
    return schemes


def schemes_from_json(text: str | bytes) -> tuple[Scheme, ...]:
    """Schemes from a JSON document (numbers with a fraction are read exactly)."""
    try:
        data = json.loads(text, parse_float=Decimal)
    except json.JSONDecodeError as exc:
        raise StructureError([Problem("$", f"invalid JSON: {exc}")]) from None
    return schemes_from_data(data)


def schemes_from_toml(text: str) -> tuple[Scheme, ...]:
    """Schemes from a TOML document with a ``[[schemes]]`` array of tables."""
    try:
        data = tomllib.loads(text, parse_float=Decimal)
    except tomllib.TOMLDecodeError as exc:
        raise StructureError([Problem("$", f"invalid TOML: {exc}")]) from None
    return schemes_from_data(data)
