"""Reading the command line's inputs: definitions, data files and the SQLite store.

Every problem becomes an :class:`InputError` whose message says where: the
file, then the path inside it (``schemes.toml: $[0].slabs[1].min: ...``) or
the row and column of a CSV file (``documents.csv: row 4, column qty: ...``).
The command prints it as ``error: <message>`` and exits with status 2.

Examples:
    >>> import pathlib, tempfile
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "docs.csv").write_text("document,kind,level,seller,buyer,issued_on,sku,qty,unit_price\\n"
    ...                                 "SI-1,invoice,secondary,D1,R1,2025-06-03,SKU1,two,8.50\\n")
    >>> try:
    ...     load_documents(d / "docs.csv")
    ... except InputError as e:
    ...     print(str(e).replace(str(d), "DIR"))
    DIR/docs.csv: row 2, column qty: 'two' is not valid (expected a whole number)
"""

from __future__ import annotations

import json
import tomllib
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, TypeVar

from distcrm import serde
from distcrm.catalog import Product
from distcrm.claims import Claim
from distcrm.csvimport import IMPORTERS, ImportResult, RowError
from distcrm.documents import Document
from distcrm.errors import DistcrmError, ValidationError
from distcrm.parties import Account
from distcrm.pricing import PriceList
from distcrm.schemes import Scheme, schemes_from_json, schemes_from_toml
from distcrm.stores.sqlite import SqliteStore
from distcrm.territory import Beat
from distcrm.visits import Visit

__all__ = [
    "InputError",
    "load_accounts",
    "load_beats",
    "load_claims",
    "load_documents",
    "load_entities",
    "load_price_lists",
    "load_products",
    "load_schemes",
    "load_visits",
    "open_store",
    "read_text",
    "row_errors",
]

T = TypeVar("T")


class InputError(Exception):
    """Bad input to the command line; the message names the file and the place in it."""


def read_text(path: str | Path) -> str:
    """The text of ``path`` (UTF-8); an :class:`InputError` when it cannot be read."""
    try:
        return Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot be read: {exc}") from None


def _located(path: str | Path, exc: Exception) -> InputError:
    lines = str(exc).splitlines() or [type(exc).__name__]
    return InputError("\n".join(f"{path}: {line}" for line in lines))


def row_errors(path: str | Path, errors: Sequence[RowError]) -> InputError:
    """One error listing every row error of a CSV file."""
    return InputError("\n".join(f"{path}: {e}" for e in errors))


def _data(path: str | Path) -> Any:
    text = read_text(path)
    try:
        if str(path).endswith(".toml"):
            return tomllib.loads(text)
        return json.loads(text)
    except (json.JSONDecodeError, tomllib.TOMLDecodeError) as exc:
        raise InputError(f"{path}: not valid {'TOML' if str(path).endswith('.toml') else 'JSON'}: "
                         f"{exc}") from None


def load_entities(path: str | Path, cls: type[T], key: str) -> tuple[T, ...]:
    """Entities of ``cls`` from a JSON or TOML file: a list, or a table with a ``key`` list."""
    data = _data(path)
    if isinstance(data, dict) and key in data:
        data = data[key]
    if not isinstance(data, list):
        raise InputError(f"{path}: $: expected a list of {key} or a table with a {key!r} list")
    try:
        return serde.structure(data, tuple[cls, ...])  # type: ignore[valid-type]
    except (DistcrmError, ValueError, TypeError) as exc:
        raise _located(path, exc) from None


def _csv_or_data(
    path: str | Path, kind: str, cls: type[T], key: str
) -> tuple[T, ...]:
    if str(path).endswith(".csv"):
        result: ImportResult[Any] = IMPORTERS[kind](read_text(path))
        if result.errors:
            raise row_errors(path, result.errors)
        return tuple(result.entities)
    return load_entities(path, cls, key)


def load_documents(path: str | Path) -> tuple[Document, ...]:
    """Documents from CSV (one line per row) or JSON/TOML."""
    return _csv_or_data(path, "documents", Document, "documents")


def load_accounts(path: str | Path) -> tuple[Account, ...]:
    """Accounts from CSV or JSON/TOML."""
    return _csv_or_data(path, "accounts", Account, "accounts")


def load_products(path: str | Path) -> tuple[Product, ...]:
    """Products from CSV or JSON/TOML."""
    return _csv_or_data(path, "products", Product, "products")


def load_price_lists(path: str | Path) -> tuple[PriceList, ...]:
    """Price lists from CSV (one entry per row) or JSON/TOML."""
    return _csv_or_data(path, "price-lists", PriceList, "price_lists")


def load_schemes(path: str | Path) -> tuple[Scheme, ...]:
    """Scheme definitions from JSON or TOML (every problem located)."""
    text = read_text(path)
    reader: Callable[[str], Sequence[Scheme]] = (
        schemes_from_toml if str(path).endswith(".toml") else schemes_from_json
    )
    try:
        return tuple(reader(text))
    except (DistcrmError, ValueError) as exc:
        raise _located(path, exc) from None


def load_claims(path: str | Path) -> tuple[Claim, ...]:
    """Claims from JSON or TOML."""
    return load_entities(path, Claim, "claims")


def load_beats(path: str | Path) -> tuple[Beat, ...]:
    """Beats from JSON or TOML."""
    return load_entities(path, Beat, "beats")


def load_visits(path: str | Path) -> tuple[Visit, ...]:
    """Visits from JSON or TOML."""
    return load_entities(path, Visit, "visits")


def open_store(path: str | Path, *, create: bool = False) -> SqliteStore:
    """The SQLite store in ``path``; it must exist unless ``create``."""
    if not create and not Path(path).exists():
        raise InputError(f"{path}: no such database (create one with distcrm demo or "
                         "distcrm import)")
    try:
        return SqliteStore(path)
    except (ValidationError, OSError) as exc:
        raise _located(path, exc) from None
    except Exception as exc:  # sqlite3.DatabaseError: not a database
        raise InputError(f"{path}: not a distcrm database: {exc}") from None


def _unique(items: Iterable[T], key: Callable[[T], str]) -> list[T]:
    seen: dict[str, T] = {}
    for item in items:
        seen[key(item)] = item
    return list(seen.values())
