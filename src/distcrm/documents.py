"""Commercial documents: orders, invoices, returns, debit and credit notes.

A *primary* document moves goods or money between the principal (or a
super-stockist) and a distributor; a *secondary* document between a
distributor and a retailer. Quantities are in base units. A line's money
figures are exact: ``gross = unit_price × qty``, ``taxable = gross − discount``,
``total = taxable + tax``.

Examples:
    >>> from datetime import date
    >>> inr = lambda s: Money.of(s, "INR")
    >>> inv = Document("INV-1", "invoice", "secondary", seller="D1", buyer="R1",
    ...                issued_on=date(2025, 6, 3), currency="INR", lines=(
    ...     Line("SKU1", 24, inr("8.50"), discount=inr("10.20"), tax=inr("17.98")),
    ...     Line("SKU2", 12, inr("20.00"), free_qty=1)))
    >>> str(inv.gross), str(inv.taxable), str(inv.total)
    ('444.00 INR', '433.80 INR', '451.78 INR')
    >>> inv.sign, inv.total_qty
    (1, 36)
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date
from typing import Literal, NewType, TypeAlias

import attrs

from distcrm.catalog import SkuId, as_sku_id
from distcrm.errors import ValidationError
from distcrm.money import Money
from distcrm.parties import AccountId, as_account_id

__all__ = [
    "DOCUMENT_KINDS",
    "FLOWS",
    "FLOW_SIGN",
    "Document",
    "DocumentId",
    "DocumentKind",
    "Flow",
    "Level",
    "Line",
    "LineRef",
    "as_document_id",
    "stock_flow",
]

DocumentId = NewType("DocumentId", str)
DocumentKind: TypeAlias = Literal["order", "invoice", "return", "debit_note", "credit_note"]
Level: TypeAlias = Literal["primary", "secondary"]
DOCUMENT_KINDS: tuple[DocumentKind, ...] = (
    "order",
    "invoice",
    "return",
    "debit_note",
    "credit_note",
)


def as_document_id(value: str) -> DocumentId:
    """Convert a plain string to a :data:`DocumentId` (used as an attrs converter)."""
    return DocumentId(value)


Flow: TypeAlias = Literal["receipts", "sales", "returns_in", "returns_out"]
FLOWS: tuple[Flow, ...] = ("receipts", "sales", "returns_in", "returns_out")
"""The ways a document moves a holder's stock, in the order stock positions list them."""
FLOW_SIGN: dict[Flow, int] = {"receipts": 1, "sales": -1, "returns_in": 1, "returns_out": -1}
"""Whether a flow adds to (+1) or takes from (-1) the holder's stock."""


_SIGN: dict[str, int] = {
    "order": 1,
    "invoice": 1,
    "return": -1,
    "debit_note": 1,
    "credit_note": -1,
}


@attrs.frozen
class Line:
    """One line of a document.

    Attributes:
        sku: the product.
        qty: quantity in base units (always >= 0; the document kind gives the direction).
        unit_price: price per base unit before discounts (tax-exclusive).
        discount: total discount on the line (``None`` = none).
        tax: total tax on the line (``None`` = none).
        free_qty: free units given with the line (scheme goods), base units.
        mrp: the MRP printed on the goods, when recorded.
    """

    sku: SkuId = attrs.field(converter=as_sku_id)
    qty: int
    unit_price: Money
    discount: Money | None = None
    tax: Money | None = None
    free_qty: int = 0
    mrp: Money | None = None

    def __attrs_post_init__(self) -> None:
        if not isinstance(self.qty, int) or isinstance(self.qty, bool) or self.qty < 0:
            raise ValidationError(f"line {self.sku!r}.qty: must be an int >= 0, got {self.qty!r}")
        if (
            not isinstance(self.free_qty, int)
            or isinstance(self.free_qty, bool)
            or self.free_qty < 0
        ):
            raise ValidationError(
                f"line {self.sku!r}.free_qty: must be an int >= 0, got {self.free_qty!r}"
            )
        if not isinstance(self.unit_price, Money):
            raise ValidationError(f"line {self.sku!r}.unit_price: expected Money")
        if self.unit_price.amount < 0:
            raise ValidationError(f"line {self.sku!r}.unit_price: must be >= 0")
        for name in ("discount", "tax", "mrp"):
            value = getattr(self, name)
            if value is not None and value.currency != self.unit_price.currency:
                raise ValidationError(
                    f"line {self.sku!r}.{name}: currency {value.currency} differs from "
                    f"unit_price currency {self.unit_price.currency}"
                )

    @property
    def currency(self) -> str:
        """The line's currency."""
        return self.unit_price.currency

    @property
    def gross(self) -> Money:
        """``unit_price × qty``, before discounts and tax."""
        return self.unit_price * self.qty

    @property
    def discount_amount(self) -> Money:
        """The discount, zero when none."""
        return self.discount if self.discount is not None else Money.zero(self.currency)

    @property
    def tax_amount(self) -> Money:
        """The tax, zero when none."""
        return self.tax if self.tax is not None else Money.zero(self.currency)

    @property
    def taxable(self) -> Money:
        """Gross less discount: the taxable value."""
        return self.gross - self.discount_amount

    @property
    def total(self) -> Money:
        """Taxable value plus tax."""
        return self.taxable + self.tax_amount


@attrs.frozen
class LineRef:
    """A reference to one line of one document: ``(document id, 1-based line number)``."""

    document: DocumentId = attrs.field(converter=as_document_id)
    line: int

    def __str__(self) -> str:
        return f"{self.document}#{self.line}"


def _lines(values: Iterable[Line]) -> tuple[Line, ...]:
    return tuple(values)


@attrs.frozen
class Document:
    """An order, invoice, return, debit note or credit note.

    Attributes:
        id: document number, unique per store.
        kind: ``order``, ``invoice``, ``return``, ``debit_note`` or ``credit_note``.
        level: ``primary`` or ``secondary``.
        seller: the supplying account (for a return: the account the goods go back to).
        buyer: the receiving account (for a return: the account sending goods back).
        issued_on: the document date.
        currency: currency of every line.
        lines: the lines; line numbers are 1-based positions.
        reference: the document this one refers to (a return's invoice, a note's claim).
        place_of_supply: GST state code of the place of supply, when recorded.
        reason: free text (return reason, note purpose).
    """

    id: DocumentId = attrs.field(converter=as_document_id)
    kind: DocumentKind
    level: Level
    seller: AccountId = attrs.field(converter=as_account_id)
    buyer: AccountId = attrs.field(converter=as_account_id)
    issued_on: date
    currency: str
    lines: tuple[Line, ...] = attrs.field(default=(), converter=_lines)
    reference: str | None = None
    place_of_supply: str | None = None
    reason: str | None = None

    def __attrs_post_init__(self) -> None:
        where = f"document {self.id!r}"
        if not isinstance(self.id, str) or not self.id:
            raise ValidationError(f"{where}.id: must be a non-empty string")
        if self.kind not in _SIGN:
            raise ValidationError(f"{where}.kind: {self.kind!r} is not one of {', '.join(_SIGN)}")
        if self.level not in ("primary", "secondary"):
            raise ValidationError(f"{where}.level: must be 'primary' or 'secondary'")
        if self.seller == self.buyer:
            raise ValidationError(f"{where}.buyer: seller and buyer are both {self.seller!r}")
        if not isinstance(self.issued_on, date):
            raise ValidationError(f"{where}.issued_on: expected a date")
        for i, line in enumerate(self.lines):
            if line.currency != self.currency:
                raise ValidationError(
                    f"{where}.lines[{i}].unit_price: currency {line.currency} differs from "
                    f"the document's {self.currency}"
                )

    @property
    def sign(self) -> int:
        """+1 for orders, invoices and debit notes; -1 for returns and credit notes."""
        return _SIGN[self.kind]

    def line(self, number: int) -> Line:
        """The line with 1-based ``number``."""
        if not 1 <= number <= len(self.lines):
            raise ValidationError(
                f"document {self.id!r}.lines: no line {number} (it has {len(self.lines)})"
            )
        return self.lines[number - 1]

    def numbered_lines(self) -> Iterator[tuple[LineRef, Line]]:
        """Each line with its :class:`LineRef`."""
        for i, line in enumerate(self.lines, start=1):
            yield LineRef(self.id, i), line

    def _sum(self, attr: str) -> Money:
        total = Money.zero(self.currency)
        for line in self.lines:
            total = total + getattr(line, attr)
        return total

    @property
    def gross(self) -> Money:
        """Sum of line gross values."""
        return self._sum("gross")

    @property
    def discount(self) -> Money:
        """Sum of line discounts."""
        return self._sum("discount_amount")

    @property
    def taxable(self) -> Money:
        """Sum of line taxable values."""
        return self._sum("taxable")

    @property
    def tax(self) -> Money:
        """Sum of line taxes."""
        return self._sum("tax_amount")

    @property
    def total(self) -> Money:
        """Document total: taxable value plus tax."""
        return self._sum("total")

    @property
    def total_qty(self) -> int:
        """Sum of line quantities (base units, free goods excluded)."""
        return sum(line.qty for line in self.lines)


def stock_flow(document: Document) -> tuple[AccountId, Flow] | None:
    """The account whose stock ``document`` moves, and how.

    A primary invoice is a receipt of its buyer, a secondary invoice a sale of
    its seller, a secondary return comes back in to its seller and a primary
    return goes out from its buyer. Orders and notes move no goods (``None``).
    Every flow counts ``qty + free_qty`` of each line.

    Examples:
        >>> from datetime import date
        >>> inv = Document("I-1", "invoice", "primary", seller="SS1", buyer="D1",
        ...                issued_on=date(2025, 6, 1), currency="INR")
        >>> stock_flow(inv)
        ('D1', 'receipts')
        >>> stock_flow(Document("R-1", "return", "secondary", seller="D1", buyer="R7",
        ...                     issued_on=date(2025, 6, 3), currency="INR"))
        ('D1', 'returns_in')
    """
    kind = document.kind
    if kind == "invoice":
        if document.level == "primary":
            return document.buyer, "receipts"
        return document.seller, "sales"
    if kind == "return":
        if document.level == "secondary":
            return document.seller, "returns_in"
        return document.buyer, "returns_out"
    return None
