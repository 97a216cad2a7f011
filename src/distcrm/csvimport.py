"""CSV import of accounts, products, price lists and documents, with per-row errors.

Each ``import_*`` function takes CSV text (or lines) with a header row and
returns an :class:`ImportResult`: the entities built from the good rows and a
:class:`RowError` for every problem — its row number in the file (the header
is row 1), the column, and what is wrong. Nothing is written anywhere: the
caller decides whether to import a file with errors (the ``distcrm import``
command refuses unless told ``--skip-bad-rows``).

Documents and price lists span several rows (one per line or entry) that share
an id; a bad row rejects its whole document or list, and the error says so.

Columns (required ones in **bold**):

* accounts — **id**, **name**, **tier**, gstin, pan, state_code, territory, channel,
  credit_limit, currency (default INR), payment_days, payment_basis, account_class,
  lat, lon, kyc_status
* products — **sku**, **name**, brand, category (``Foods/Biscuits``), hsn, mrp,
  currency (default INR), mrp_from (ISO date, default always), packs (``case:24;inner:6``)
* price lists — **price_list**, **sku**, **price**, currency (default INR),
  tax_inclusive (true/false), min_qty, uom, account, territory, tier, channel,
  price_group, valid_from, valid_to
* documents — **document**, **kind**, **level**, **seller**, **buyer**, **issued_on**,
  **sku**, **qty**, **unit_price**, currency (default INR), discount, tax, free_qty,
  reference, place_of_supply

Examples:
    >>> text = '''id,name,tier,gstin,credit_limit
    ... D1,Shree Traders,distributor,27AAPFU0939F1ZV,500000
    ... D2,Ganesh Agencies,distributor,27AAPFU0939F1ZO,abc
    ... '''
    >>> result = import_accounts(text)
    >>> [a.id for a in result.entities]
    ['D1']
    >>> for e in result.errors:
    ...     print(e)
    row 3, column gstin: gstin: '27AAPFU0939F1ZO' has check character 'O', expected 'V'
    row 3, column credit_limit: amount: 'abc' is not a number
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Mapping
from datetime import date
from typing import Any, Generic, TypeVar

import attrs

from distcrm.catalog import MrpEntry, PackSize, Product, parse_category
from distcrm.documents import Document, Line
from distcrm.errors import DistcrmError
from distcrm.money import Money, to_decimal
from distcrm.parties import Account, Gstin, Pan, PaymentTerms
from distcrm.periods import Validity
from distcrm.pricing import PriceEntry, PriceList, Scope

__all__ = [
    "IMPORTERS",
    "ImportResult",
    "RowError",
    "import_accounts",
    "import_documents",
    "import_price_lists",
    "import_products",
]

T = TypeVar("T")


@attrs.frozen
class RowError:
    """A problem in one row (and column, when known) of an imported file."""

    row: int
    column: str | None
    message: str

    def __str__(self) -> str:
        where = f"row {self.row}" + (f", column {self.column}" if self.column else "")
        return f"{where}: {self.message}"


@attrs.frozen
class ImportResult(Generic[T]):
    """Entities built from the good rows, and every row error."""

    entities: tuple[T, ...]
    errors: tuple[RowError, ...]
    rows: int

    @property
    def ok(self) -> bool:
        """True when the file had no error."""
        return not self.errors

    @property
    def bad_rows(self) -> frozenset[int]:
        """Row numbers with at least one error."""
        return frozenset(e.row for e in self.errors)


class _Row:
    """One CSV row: typed cell readers that record errors instead of raising."""

    def __init__(self, number: int, cells: Mapping[str, str], errors: list[RowError]) -> None:
        self.number = number
        self.cells = cells
        self.errors = errors
        self.failed = False

    def fail(self, column: str | None, message: str) -> None:
        self.failed = True
        self.errors.append(RowError(self.number, column, message))

    def text(self, column: str, default: str | None = None) -> str | None:
        value = (self.cells.get(column) or "").strip()
        return value if value else default

    def required(self, column: str) -> str:
        value = self.text(column)
        if value is None:
            self.fail(column, "required value missing")
            return ""
        return value

    def parse(self, column: str, fn: Callable[[str], Any], *, required: bool = False) -> Any:
        raw = self.required(column) if required else self.text(column)
        if not raw:
            return None
        try:
            return fn(raw)
        except DistcrmError as exc:
            self.fail(column, str(exc))
        except (ValueError, TypeError) as exc:
            self.fail(column, f"{raw!r} is not valid ({exc})")
        return None

    def build(self, what: str, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T | None:
        if self.failed:
            return None
        try:
            return fn(*args, **kwargs)
        except DistcrmError as exc:
            self.fail(None, f"{what}: {exc}")
            return None


def _int(raw: str) -> int:
    if not raw.lstrip("-").isdigit():
        raise ValueError("expected a whole number")
    return int(raw)


def _bool(raw: str) -> bool:
    value = raw.lower()
    if value in ("true", "yes", "1"):
        return True
    if value in ("false", "no", "0"):
        return False
    raise ValueError("expected true or false")


def _money(currency: str) -> Callable[[str], Money]:
    def parse(raw: str) -> Money:
        return Money(to_decimal(raw), currency)

    return parse


def _packs(raw: str) -> tuple[PackSize, ...]:
    packs = []
    for part in raw.split(";"):
        uom, _, units = part.partition(":")
        packs.append(PackSize(uom.strip(), _int(units.strip())))
    return tuple(packs)


def _rows(
    text: str | Iterable[str], columns: Iterable[str], required: Iterable[str]
) -> tuple[list[_Row], list[RowError]]:
    source = io.StringIO(text) if isinstance(text, str) else text
    reader = csv.DictReader(source)
    errors: list[RowError] = []
    header = [h.strip() for h in (reader.fieldnames or [])]
    known = set(columns)
    for name in required:
        if name not in header:
            errors.append(RowError(1, name, "required column missing"))
    for name in header:
        if name not in known:
            errors.append(RowError(1, name, f"unknown column (known: {', '.join(sorted(known))})"))
    if errors:
        return [], errors
    rows = [
        _Row(n, {k.strip(): v for k, v in cells.items() if k is not None}, errors)
        for n, cells in enumerate(reader, start=2)
    ]
    return rows, errors


def _sorted(errors: list[RowError]) -> tuple[RowError, ...]:
    """Errors by row; within a row in the order found (the file's column order)."""
    return tuple(sorted(errors, key=lambda e: e.row))


_ACCOUNT_COLUMNS = (
    "id",
    "name",
    "tier",
    "gstin",
    "pan",
    "state_code",
    "territory",
    "channel",
    "credit_limit",
    "currency",
    "payment_days",
    "payment_basis",
    "account_class",
    "lat",
    "lon",
    "kyc_status",
)


def import_accounts(text: str | Iterable[str]) -> ImportResult[Account]:
    """Accounts, one per row."""
    rows, errors = _rows(text, _ACCOUNT_COLUMNS, ("id", "name", "tier"))
    out: list[Account] = []
    for r in rows:
        ident, name, tier = r.required("id"), r.required("name"), r.required("tier")
        gstin = r.parse("gstin", Gstin)
        pan = r.parse("pan", Pan)
        limit = r.parse("credit_limit", _money(r.text("currency", "INR") or "INR"))
        days = r.parse("payment_days", _int)
        basis = r.text("payment_basis", "invoice_date")
        terms = None if days is None else r.build("payment terms", PaymentTerms, days, basis)
        lat = r.parse("lat", float)
        lon = r.parse("lon", float)
        account = r.build(
            f"account {ident!r}",
            Account,
            ident,
            name,
            tier,
            gstin=gstin,
            pan=pan,
            state_code=r.text("state_code"),
            territory=r.text("territory"),
            channel=r.text("channel"),
            credit_limit=limit,
            payment_terms=terms,
            account_class=r.text("account_class"),
            lat=lat,
            lon=lon,
            kyc_status=r.text("kyc_status", "pending"),
        )
        if account is not None:
            out.append(account)
    return ImportResult(tuple(out), _sorted(errors), len(rows))


_PRODUCT_COLUMNS = (
    "sku",
    "name",
    "brand",
    "category",
    "hsn",
    "mrp",
    "currency",
    "mrp_from",
    "packs",
)


def import_products(text: str | Iterable[str]) -> ImportResult[Product]:
    """Products, one per row (one MRP from ``mrp_from``)."""
    rows, errors = _rows(text, _PRODUCT_COLUMNS, ("sku", "name"))
    out: list[Product] = []
    for r in rows:
        sku, name = r.required("sku"), r.required("name")
        category = r.parse("category", parse_category) or ()
        mrp = r.parse("mrp", _money(r.text("currency", "INR") or "INR"))
        since = r.parse("mrp_from", date.fromisoformat)
        packs = r.parse("packs", _packs) or ()
        entries = () if mrp is None else (MrpEntry(mrp, Validity(since or date.min)),)
        product = r.build(
            f"product {sku!r}",
            Product,
            sku,
            name,
            brand=r.text("brand", "") or "",
            category=category,
            hsn=r.text("hsn", "") or "",
            mrp=entries,
            packs=packs,
        )
        if product is not None:
            out.append(product)
    return ImportResult(tuple(out), _sorted(errors), len(rows))


def _grouped(rows: list[_Row], key: str) -> dict[str, list[_Row]]:
    groups: dict[str, list[_Row]] = {}
    for r in rows:
        ident = r.required(key)
        if ident:
            groups.setdefault(ident, []).append(r)
    return groups


def _reject_group(members: list[_Row], what: str) -> bool:
    """Mark every good row of a group with a bad row; True when the group is rejected."""
    bad = [m.number for m in members if m.failed]
    if not bad:
        return False
    for m in members:
        if not m.failed:
            m.fail(None, f"{what} is not imported: row {bad[0]} has errors")
    return True


_PRICE_COLUMNS = (
    "price_list",
    "sku",
    "price",
    "currency",
    "tax_inclusive",
    "min_qty",
    "uom",
    "account",
    "territory",
    "tier",
    "channel",
    "price_group",
    "valid_from",
    "valid_to",
)


def import_price_lists(text: str | Iterable[str]) -> ImportResult[PriceList]:
    """Price lists, one entry per row; rows with the same ``price_list`` form one list."""
    rows, errors = _rows(text, _PRICE_COLUMNS, ("price_list", "sku", "price"))
    out: list[PriceList] = []
    for ident, members in _grouped(rows, "price_list").items():
        first = members[0]
        currency = first.text("currency", "INR") or "INR"
        inclusive = first.parse("tax_inclusive", _bool) or False
        entries: list[PriceEntry] = []
        for m in members:
            if (m.text("currency", "INR") or "INR") != currency:
                m.fail("currency", f"differs from the list's first row {first.number}")
            if m is not first and (m.parse("tax_inclusive", _bool) or False) != inclusive:
                m.fail("tax_inclusive", f"differs from the list's first row {first.number}")
            sku = m.required("sku")
            price = m.parse("price", _money(currency), required=True)
            min_qty = m.parse("min_qty", _int) or 1
            start = m.parse("valid_from", date.fromisoformat) or date.min
            end = m.parse("valid_to", date.fromisoformat)
            scope = m.build(
                "scope",
                Scope,
                account=m.text("account"),
                territory=m.text("territory"),
                tier=m.text("tier"),
                channel=m.text("channel"),
                price_group=m.text("price_group"),
            )
            validity = m.build("validity", Validity, start, end)
            entry = m.build(
                f"price list {ident!r}",
                PriceEntry,
                sku,
                price,
                scope,
                min_qty=min_qty,
                uom=m.text("uom", "unit") or "unit",
                validity=validity,
            )
            if entry is not None:
                entries.append(entry)
        if _reject_group(members, f"price list {ident!r}"):
            continue
        plist = first.build(
            f"price list {ident!r}", PriceList, ident, currency, inclusive, tuple(entries)
        )
        if plist is None:
            _reject_group(members, f"price list {ident!r}")
        else:
            out.append(plist)
    return ImportResult(tuple(out), _sorted(errors), len(rows))


_DOCUMENT_COLUMNS = (
    "document",
    "kind",
    "level",
    "seller",
    "buyer",
    "issued_on",
    "sku",
    "qty",
    "unit_price",
    "currency",
    "discount",
    "tax",
    "free_qty",
    "reference",
    "place_of_supply",
)
_HEADER_FIELDS = (
    "kind",
    "level",
    "seller",
    "buyer",
    "issued_on",
    "currency",
    "reference",
    "place_of_supply",
)


def import_documents(text: str | Iterable[str]) -> ImportResult[Document]:
    """Documents, one line per row; rows with the same ``document`` form one document."""
    rows, errors = _rows(
        text,
        _DOCUMENT_COLUMNS,
        ("document", "kind", "level", "seller", "buyer", "issued_on", "sku", "qty", "unit_price"),
    )
    lines: dict[int, Line] = {}
    for r in rows:
        for col in ("kind", "level", "seller", "buyer"):
            r.required(col)
        r.parse("issued_on", date.fromisoformat, required=True)
        sku = r.required("sku")
        money = _money(r.text("currency", "INR") or "INR")
        qty = r.parse("qty", _int, required=True)
        price = r.parse("unit_price", money, required=True)
        discount = r.parse("discount", money)
        tax = r.parse("tax", money)
        free = r.parse("free_qty", _int) or 0
        line = r.build("line", Line, sku, qty, price, discount=discount, tax=tax, free_qty=free)
        if line is not None:
            lines[r.number] = line
    out: list[Document] = []
    for ident, members in _grouped(rows, "document").items():
        first = members[0]
        for m in members[1:]:
            for col in _HEADER_FIELDS:
                if m.text(col) != first.text(col):
                    m.fail(col, f"document {ident!r}: differs from its first row {first.number}")
        if _reject_group(members, f"document {ident!r}"):
            continue
        doc = first.build(
            f"document {ident!r}",
            Document,
            ident,
            first.required("kind"),
            first.required("level"),
            first.required("seller"),
            first.required("buyer"),
            date.fromisoformat(first.required("issued_on")),
            first.text("currency", "INR") or "INR",
            tuple(lines[m.number] for m in members),
            reference=first.text("reference"),
            place_of_supply=first.text("place_of_supply"),
        )
        if doc is None:
            _reject_group(members, f"document {ident!r}")
        else:
            out.append(doc)
    return ImportResult(tuple(out), _sorted(errors), len(rows))


IMPORTERS: dict[str, Callable[[str | Iterable[str]], ImportResult[Any]]] = {
    "accounts": import_accounts,
    "products": import_products,
    "price-lists": import_price_lists,
    "documents": import_documents,
}
"""Importers by the name the command line uses."""
