"""JSON, TOML and plain-dict conversion for every distcrm entity.

One private :mod:`cattrs` converter sits at the edge of the library. It turns
entities into JSON-ready data and back, exactly: ``Decimal`` as strings (never
floats), dates and date-times as ISO strings, :class:`~distcrm.money.Money` as
``{"amount": "12.50", "currency": "INR"}``, GSTIN and PAN as plain strings,
tuples and frozensets as lists. Structuring is strict: unknown keys, missing
keys and wrong types are all reported at once, each with its path, in one
:class:`~distcrm.errors.StructureError`.

Capabilities whose definitions contain unions of entity classes (scheme
benefits, say) register them with :func:`register_tagged_union`, so the JSON
carries an explicit ``"type"`` tag instead of a guess.

Examples:
    >>> from datetime import date
    >>> from distcrm.money import Money
    >>> from distcrm.documents import Line
    >>> line = Line("SKU1", 24, Money.of("8.50", "INR"))
    >>> data = unstructure(line)
    >>> data["unit_price"], data["qty"]
    ({'amount': '8.50', 'currency': 'INR'}, 24)
    >>> structure(data, Line) == line
    True
    >>> structure({"sku": "SKU1", "qty": "24", "unit_price": {"amount": 8.5, "currency": "INR"},
    ...            "colour": "red"}, Line)
    Traceback (most recent call last):
    ...
    distcrm.errors.StructureError: $.colour: unknown field
    $.qty: expected int, got str '24'
    $.unit_price.amount: expected a decimal string or int, got float 8.5
"""

from __future__ import annotations

import json
import tomllib
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any, Literal, TypeVar, get_args, get_origin

import cattrs
from cattrs.errors import (
    AttributeValidationNote,
    ClassValidationError,
    ForbiddenExtraKeysError,
    IterableValidationError,
)
from cattrs.strategies import configure_tagged_union

from distcrm.errors import DistcrmError, Problem, StructureError
from distcrm.money import Money
from distcrm.parties import Gstin, Pan

__all__ = [
    "from_json",
    "from_toml",
    "register_tagged_union",
    "structure",
    "to_json",
    "unstructure",
]

T = TypeVar("T")


class _WrongType(TypeError):
    """A value of the wrong JSON type; the message is shown as is."""


def _describe(value: object) -> str:
    text = repr(value)
    if len(text) > 40:
        text = text[:37] + "..."
    return f"{type(value).__name__} {text}"


def _structure_str(value: object, _: type) -> str:
    if not isinstance(value, str):
        raise _WrongType(f"expected str, got {_describe(value)}")
    return value


def _structure_int(value: object, _: type) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise _WrongType(f"expected int, got {_describe(value)}")
    return value


def _structure_bool(value: object, _: type) -> bool:
    if not isinstance(value, bool):
        raise _WrongType(f"expected bool, got {_describe(value)}")
    return value


def _structure_float(value: object, _: type) -> float:
    # Only fields declared float come here: coordinates, distances, sampling rates.
    # Money is Decimal and has its own hooks, which refuse floats.
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise _WrongType(f"expected a number, got {_describe(value)}")
    return float(value)


def _structure_decimal(value: object, _: type) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, str | int | Decimal):
        raise _WrongType(f"expected a decimal string or int, got {_describe(value)}")
    try:
        result = Decimal(value)
    except InvalidOperation:
        raise _WrongType(f"expected a decimal string, got {_describe(value)}") from None
    if not result.is_finite():
        raise _WrongType(f"expected a finite decimal, got {_describe(value)}")
    return result


def _structure_date(value: object, _: type) -> date:
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if not isinstance(value, str):
        raise _WrongType(f"expected an ISO date string, got {_describe(value)}")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise _WrongType(f"expected an ISO date (YYYY-MM-DD), got {_describe(value)}") from None


def _structure_datetime(value: object, _: type) -> datetime:
    if isinstance(value, datetime):
        return value
    if not isinstance(value, str):
        raise _WrongType(f"expected an ISO date-time string, got {_describe(value)}")
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        raise _WrongType(f"expected an ISO date-time, got {_describe(value)}") from None


def _structure_money(value: object, _: type) -> Money:
    if not isinstance(value, dict):
        raise _WrongType(f"expected a mapping with amount and currency, got {_describe(value)}")
    problems: list[Exception] = []
    extra = set(value) - {"amount", "currency"}
    if extra:
        problems.append(ForbiddenExtraKeysError("", Money, extra))
    amount: Decimal | None = None
    currency: str | None = None
    for key in ("amount", "currency"):
        if key not in value:
            exc: Exception = KeyError(key)
            exc.__notes__ = [
                AttributeValidationNote(f"Structuring class Money @ attribute {key}", key, Money)
            ]
            problems.append(exc)
    try:
        if "amount" in value:
            amount = _structure_decimal(value["amount"], Decimal)
    except _WrongType as exc:
        exc.__notes__ = [
            AttributeValidationNote("Structuring class Money @ attribute amount", "amount", Decimal)
        ]
        problems.append(exc)
    try:
        if "currency" in value:
            currency = _structure_str(value["currency"], str)
    except _WrongType as exc:
        exc.__notes__ = [
            AttributeValidationNote("Structuring class Money @ attribute currency", "currency", str)
        ]
        problems.append(exc)
    if problems:
        raise ClassValidationError("While structuring Money", problems, Money)
    assert amount is not None and currency is not None
    return Money(amount, currency)


def _unstructure_money(m: Money) -> dict[str, str]:
    return {"amount": str(m.amount), "currency": m.currency}


def _make_converter() -> cattrs.Converter:
    conv = cattrs.Converter(forbid_extra_keys=True, detailed_validation=True)
    conv.register_structure_hook(str, _structure_str)
    conv.register_structure_hook(int, _structure_int)
    conv.register_structure_hook(bool, _structure_bool)
    conv.register_structure_hook(float, _structure_float)
    conv.register_structure_hook(Decimal, _structure_decimal)
    conv.register_unstructure_hook(Decimal, str)
    conv.register_structure_hook(datetime, _structure_datetime)
    conv.register_unstructure_hook(datetime, datetime.isoformat)
    conv.register_structure_hook(date, _structure_date)
    conv.register_unstructure_hook(date, date.isoformat)
    conv.register_structure_hook(Money, _structure_money)
    conv.register_unstructure_hook(Money, _unstructure_money)
    conv.register_structure_hook(Gstin, lambda v, _: Gstin(_structure_str(v, str)))
    conv.register_unstructure_hook(Gstin, lambda g: g.value)
    conv.register_structure_hook(Pan, lambda v, _: Pan(_structure_str(v, str)))
    conv.register_unstructure_hook(Pan, lambda p: p.value)
    conv.register_unstructure_hook_func(
        _is_set_type, lambda s: sorted(conv.unstructure(x) for x in s)
    )
    conv.register_structure_hook_func(_is_literal, _structure_literal)
    return conv


def _is_set_type(tp: Any) -> bool:
    return tp in (set, frozenset) or get_origin(tp) in (set, frozenset)


def _is_literal(tp: Any) -> bool:
    return get_origin(tp) is Literal


def _structure_literal(value: object, tp: Any) -> Any:
    allowed = get_args(tp)
    if value not in allowed or type(value) is not type(
        next((a for a in allowed if a == value), value)
    ):
        choices = ", ".join(repr(a) for a in allowed)
        raise _WrongType(f"expected one of {choices}, got {value!r}")
    return value


_converter = _make_converter()


def register_tagged_union(union: Any, tags: Mapping[type, str], *, key: str = "type") -> None:
    """Teach the converter a union of attrs classes, told apart by a ``key`` tag.

    Args:
        union: the union type, e.g. ``FreeGoods | PercentOff``.
        tags: the tag written for each member class.
        key: the field holding the tag in JSON (default ``"type"``).
    """
    names = dict(tags)

    def tag_of(cls: type) -> str:
        return names[cls]

    configure_tagged_union(union, _converter, tag_generator=tag_of, tag_name=key)


def _message(exc: BaseException) -> str:
    if isinstance(exc, _WrongType):
        return str(exc)
    if isinstance(exc, DistcrmError):
        return str(exc)
    if isinstance(exc, KeyError):
        return "required field missing"
    if isinstance(exc, ForbiddenExtraKeysError):
        return "unknown field"
    if isinstance(exc, TypeError | ValueError | AttributeError):
        return f"invalid value ({exc})"
    return f"{type(exc).__name__}: {exc}"


def _collect(exc: BaseException, path: str, out: list[Problem]) -> None:
    if isinstance(exc, ClassValidationError):
        with_notes, without = exc.group_exceptions()
        for sub, attr_note in with_notes:
            _collect(sub, f"{path}.{attr_note.name}", out)
        for sub in without:
            _collect(sub, path, out)
        return
    if isinstance(exc, IterableValidationError):
        with_index, rest = exc.group_exceptions()
        for sub, index_note in with_index:
            _collect(sub, f"{path}[{index_note.index}]", out)
        for sub in rest:
            _collect(sub, path, out)
        return
    if isinstance(exc, cattrs.BaseValidationError):
        for sub in exc.exceptions:
            _collect(sub, path, out)
        return
    if isinstance(exc, ForbiddenExtraKeysError):
        for name in sorted(exc.extra_fields):
            out.append(Problem(f"{path}.{name}", "unknown field"))
        return
    if isinstance(exc, StructureError):
        for p in exc.problems:
            out.append(Problem(path + p.path[1:] if p.path.startswith("$") else path, p.message))
        return
    out.append(Problem(path, _message(exc)))


def structure(data: Any, cls: type[T]) -> T:
    """Build an entity of type ``cls`` from plain data (dicts, lists, strings, ints).

    Raises:
        StructureError: listing every problem found, each with its ``$.path``.
    """
    try:
        return _converter.structure(data, cls)
    except (cattrs.BaseValidationError, ForbiddenExtraKeysError, _WrongType) as exc:
        problems: list[Problem] = []
        _collect(exc, "$", problems)
        problems.sort(key=lambda p: p.path)
        raise StructureError(problems) from None
    except DistcrmError as exc:
        raise StructureError([Problem("$", str(exc))]) from None


def unstructure(obj: Any) -> Any:
    """Plain, JSON-ready data for ``obj`` (an entity, or a list/dict of them)."""
    return _converter.unstructure(obj)


def to_json(obj: Any, *, indent: int | None = 2) -> str:
    """``obj`` as a JSON document (Decimals as strings, dates ISO)."""
    return json.dumps(unstructure(obj), indent=indent, ensure_ascii=False)


def from_json(text: str | bytes, cls: type[T]) -> T:
    """Parse JSON and structure it as ``cls``.

    JSON numbers with a fraction are read as exact decimals, so ``12.5`` is
    accepted for a ``Decimal`` field, while ``int`` fields still demand integers.

    Examples:
        >>> from distcrm.money import Money
        >>> from_json('{"amount": "12.50", "currency": "INR"}', Money)
        Money(amount=Decimal('12.50'), currency='INR')
    """
    try:
        data = json.loads(text, parse_float=Decimal)
    except json.JSONDecodeError as exc:
        raise StructureError([Problem("$", f"invalid JSON: {exc}")]) from None
    return structure(data, cls)


def from_toml(text: str, cls: type[T]) -> T:
    """Parse TOML and structure it as ``cls`` (TOML floats are read as exact decimals)."""
    try:
        data = tomllib.loads(text, parse_float=Decimal)
    except tomllib.TOMLDecodeError as exc:
        raise StructureError([Problem("$", f"invalid TOML: {exc}")]) from None
    return structure(data, cls)
