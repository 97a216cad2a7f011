"""A distributor's running stock, as claim verification needs it.

Two questions come up when a claim is checked: *could the distributor have had
the goods it says it sold* (phantom sell-through), and *how much stock did it
hold on the day a price fell* (price drop). Both need the running balance per
(distributor, SKU) from documents:

* + primary invoices it bought (``qty + free_qty``),
* − primary returns it sent back,
* − secondary invoices it sold (``qty + free_qty`` leave the godown),
* + secondary returns it took back,

on top of an opening stock. Events of one day are ordered receipts first,
then issues by (document id, line), so a sale is covered by goods received the
same day.

Examples:
    >>> from datetime import date
    >>> from distcrm.documents import Document, Line
    >>> from distcrm.money import Money
    >>> p = Money.of("5", "INR")
    >>> docs = [
    ...     Document("PI-1", "invoice", "primary", "P1", "D1", date(2025, 6, 1), "INR", (Line("S", 100, p),)),
    ...     Document("SI-1", "invoice", "secondary", "D1", "R1", date(2025, 6, 2), "INR", (Line("S", 80, p),)),
    ...     Document("SI-2", "invoice", "secondary", "D1", "R2", date(2025, 6, 3), "INR", (Line("S", 30, p),)),
    ... ]
    >>> ledger = StockLedger.build(docs, opening={("D1", "S"): 5}, accounts={"D1"})
    >>> ledger.available_before("SI-2", 1)     # 5 + 100 - 80
    25
    >>> ledger.on_hand("D1", "S", date(2025, 6, 3)), ledger.on_hand("D1", "S", date(2025, 6, 4))
    (25, -5)
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping
from datetime import date

import attrs

from distcrm.documents import FLOW_SIGN, Document, stock_flow

__all__ = ["StockLedger"]


def _events(
    docs: Iterable[Document], accounts: Collection[str] | None
) -> dict[tuple[str, str], list[tuple[date, int, str, int, int]]]:
    out: dict[tuple[str, str], list[tuple[date, int, str, int, int]]] = defaultdict(list)
    for doc in docs:
        moved = stock_flow(doc)
        if moved is None:
            continue
        holder, flow = moved
        sign = FLOW_SIGN[flow]
        if accounts is not None and holder not in accounts:
            continue
        for n, line in enumerate(doc.lines, start=1):
            qty = line.qty + line.free_qty
            if qty:
                out[(holder, line.sku)].append(
                    (doc.issued_on, 0 if sign > 0 else 1, doc.id, n, sign * qty)
                )
    return out


@attrs.frozen
class StockLedger:
    """Running stock per (holder, SKU), with the balance just before every issue.

    Build it with :meth:`build`. ``before_issue`` maps (document id, line
    number) of every outgoing line to the stock available just before it.
    """

    opening: Mapping[tuple[str, str], int]
    dates: Mapping[tuple[str, str], tuple[date, ...]]
    balances: Mapping[tuple[str, str], tuple[int, ...]]
    before_issue: Mapping[tuple[str, int], int]

    @classmethod
    def build(
        cls,
        documents: Iterable[Document],
        *,
        opening: Mapping[tuple[str, str], int] | None = None,
        accounts: Collection[str] | None = None,
    ) -> StockLedger:
        """Replay ``documents`` (any order) for ``accounts`` (default: every holder)."""
        opening = dict(opening or {})
        dates: dict[tuple[str, str], tuple[date, ...]] = {}
        balances: dict[tuple[str, str], tuple[int, ...]] = {}
        before: dict[tuple[str, int], int] = {}
        for key, events in _events(documents, accounts).items():
            events.sort()
            running = opening.get(key, 0)
            ds: list[date] = []
            bs: list[int] = []
            for day, _, doc_id, n, delta in events:
                if delta < 0:
                    before[(doc_id, n)] = running
                running += delta
                if ds and ds[-1] == day:
                    bs[-1] = running
                else:
                    ds.append(day)
                    bs.append(running)
            dates[key] = tuple(ds)
            balances[key] = tuple(bs)
        return cls(opening, dates, balances, before)

    def available_before(self, document: str, line: int) -> int | None:
        """Stock the holder had just before issuing this line (``None`` if not an issue)."""
        return self.before_issue.get((document, line))

    def on_hand(self, holder: str, sku: str, on: date) -> int:
        """Stock at the start of ``on`` (every event dated before ``on`` applied)."""
        key = (holder, sku)
        ds = self.dates.get(key)
        if not ds:
            return self.opening.get(key, 0)
        i = bisect.bisect_left(ds, on)
        return self.opening.get(key, 0) if i == 0 else self.balances[key][i - 1]
