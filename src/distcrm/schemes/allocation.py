"""Spreading an entitlement's benefit over its qualifying lines, exactly.

Tax and margin reporting need a scheme benefit earned on a whole invoice or a
whole month per line. :func:`allocate_benefit` splits the benefit in
proportion to each line's value (net by default) with the largest-remainder
method of :func:`distcrm.money.allocate`: the shares always sum exactly to
the benefit, each within one minor unit of its exact share. Return lines get
no share (their effect is already in the volume that earned the benefit).

Examples:
    >>> from datetime import date
    >>> from distcrm.documents import Document, Line
    >>> from distcrm.money import Money
    >>> from distcrm.periods import Validity
    >>> from distcrm.schemes.evaluate import evaluate
    >>> from distcrm.schemes.model import FlatAmount, Scheme, Slab
    >>> s = Scheme("F", "10 per invoice", Validity(date(2025, 4, 1)),
    ...            slabs=(Slab(1, FlatAmount(10, "invoice")),))
    >>> inv = Document("I1", "invoice", "secondary", "D1", "R1", date(2025, 6, 3), "INR", (
    ...     Line("A", 1, Money.of("1.00", "INR")), Line("B", 1, Money.of("1.00", "INR")),
    ...     Line("C", 1, Money.of("1.00", "INR"))))
    >>> e = evaluate([s], [inv], on=date(2025, 6, 3)).entitlements[0]
    >>> [(str(x.line), str(x.amount)) for x in allocate_benefit(e, [inv])]
    [('I1#1', '3.34 INR'), ('I1#2', '3.33 INR'), ('I1#3', '3.33 INR')]
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Literal, TypeAlias

import attrs

from distcrm.catalog import SkuId, as_sku_id
from distcrm.documents import Document, LineRef
from distcrm.errors import SchemeError
from distcrm.money import Money, allocate
from distcrm.schemes.results import Entitlement

__all__ = ["AllocationBasis", "LineShare", "allocate_benefit"]

AllocationBasis: TypeAlias = Literal["net_value", "gross_value", "units"]


@attrs.frozen
class LineShare:
    """The part of a benefit carried by one qualifying line."""

    line: LineRef
    sku: SkuId = attrs.field(converter=as_sku_id)
    amount: Money


def allocate_benefit(
    entitlement: Entitlement,
    documents: Mapping[str, Document] | Iterable[Document],
    *,
    amount: Money | None = None,
    basis: AllocationBasis = "net_value",
) -> tuple[LineShare, ...]:
    """Split ``amount`` (default: the entitlement's ``value``) over its qualifying lines.

    Args:
        entitlement: an entitlement from :func:`~distcrm.schemes.evaluate`.
        documents: the documents it was computed from (by id or iterable).
        amount: the amount to spread; must be rounded to the minor unit.
        basis: weights: line ``net_value`` (default), ``gross_value`` or ``units``.

    Returns:
        One share per qualifying sale line, in line order; the shares sum to ``amount``.

    Raises:
        SchemeError: a qualifying line's document is missing, or no sale line
            has a positive weight while ``amount`` is not zero.
    """
    docs = documents if isinstance(documents, Mapping) else {d.id: d for d in documents}
    total = entitlement.value if amount is None else amount
    refs: list[LineRef] = []
    skus: list[SkuId] = []
    weights: list[Decimal] = []
    for ref in entitlement.lines:
        doc = docs.get(ref.document)
        if doc is None:
            raise SchemeError(
                f"entitlement {entitlement.key}.lines: document {ref.document!r} not given"
            )
        line = doc.line(ref.line)
        refs.append(ref)
        skus.append(line.sku)
        if doc.sign < 0:
            weights.append(Decimal(0))
        elif basis == "units":
            weights.append(Decimal(line.qty))
        elif basis == "gross_value":
            weights.append(line.gross.amount)
        else:
            weights.append(max(line.taxable.amount, Decimal(0)))
    if not refs or sum(weights) == 0:
        if total.is_zero:
            return tuple(
                LineShare(r, s, Money.zero(total.currency)) for r, s in zip(refs, skus, strict=True)
            )
        raise SchemeError(f"entitlement {entitlement.key}.lines: no sale line to carry {total}")
    shares = allocate(total, weights)
    return tuple(LineShare(r, s, m) for r, s, m in zip(refs, skus, shares, strict=True))
