"""Plain-text tables for the command line.

Examples:
    >>> print(render_table(["Tier", "Accounts"], [["principal", 1], ["retailer", 220]]))
    Tier       Accounts
    ---------  --------
    principal         1
    retailer        220
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from babel.numbers import format_decimal

__all__ = ["render_table"]


def _is_number(value: object) -> bool:
    return isinstance(value, int | Decimal) and not isinstance(value, bool)


def _looks_numeric(text: str) -> bool:
    stripped = text.lstrip("₹$€-+").replace(",", "").replace(".", "").rstrip("%x")
    return bool(stripped) and stripped.isdigit()


def render_table(
    headers: Sequence[str],
    rows: Sequence[Sequence[object]],
    *,
    align: str | None = None,
    footer: Sequence[object] | None = None,
    locale: str | None = None,
) -> str:
    """Render ``rows`` under ``headers`` as an aligned text table.

    Args:
        headers: column titles.
        rows: cells; ``None`` shows as empty, ints get thousands separators.
        align: one ``l`` or ``r`` per column; by default numbers and amounts are
            right-aligned and text left-aligned.
        footer: an optional last row (a total), set off by a rule.
        locale: a babel locale for grouping int digits (``"en_IN"``: 1,00,000);
            ``None`` groups by thousands.

    Returns:
        The table without a trailing newline.

    Examples:
        >>> print(render_table(["Outlets"], [[100000]], locale="en_IN"))
        Outlets
        --------
        1,00,000
        >>> print(render_table(["SKU", "Qty"], [["A", 1200], ["B", 5]], footer=["Total", 1205]))
        SKU    Qty
        -----  -----
        A      1,200
        B          5
        -----  -----
        Total  1,205
    """
    body = [list(r) for r in rows]
    if footer is not None:
        body.append(list(footer))
    cells = [[_cell(v, locale) for v in row] for row in body]
    n = len(headers)
    for i, row in enumerate(cells):
        if len(row) != n:
            raise ValueError(f"table row {i}: {len(row)} cells for {n} columns")
    if align is None:
        align = "".join(
            "r" if body and all(_is_number(r[c]) or _looks_numeric(cells[k][c]) or not cells[k][c]
                                for k, r in enumerate(body)) and any(cells[k][c] for k in
                                                                     range(len(body)))
            else "l"
            for c in range(n)
        )
    if len(align) != n or any(a not in "lr" for a in align):
        raise ValueError(f"table align: {align!r} must be one l or r per column")
    widths = [max([len(headers[c])] + [len(row[c]) for row in cells]) for c in range(n)]

    def fmt(row: Sequence[str]) -> str:
        parts = [
            row[c].rjust(widths[c]) if align[c] == "r" else row[c].ljust(widths[c])
            for c in range(n)
        ]
        return "  ".join(parts).rstrip()

    rule = "  ".join("-" * w for w in widths)
    lines = [fmt(list(headers)), rule]
    data_rows = cells[:-1] if footer is not None else cells
    lines.extend(fmt(row) for row in data_rows)
    if footer is not None:
        lines.append(rule)
        lines.append(fmt(cells[-1]))
    return "\n".join(lines)


def _cell(value: object, locale: str | None) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}" if locale is None else str(format_decimal(value, locale=locale))
    return str(value)
