"""Hypothesis strategies for every kernel entity.

Every value drawn is a valid entity: it passes each validator of its class
(GSTINs carry the right check character, MRP entries never overlap, a
document's seller differs from its buyer...). Identifiers come from small
pools (``D0``..``D9``, ``SKU0``..``SKU19``) so that generated data shares
sellers, buyers and SKUs, which is what queries and roll-ups need to be
exercised. Requires :mod:`hypothesis` (a development dependency).

Examples:
    >>> from hypothesis import given, settings
    >>> from distcrm.parties import gstin_check_character
    >>> @settings(max_examples=20, deadline=None)
    ... @given(gstins())
    ... def check(g):
    ...     assert g.value[14] == gstin_check_character(g.value[:14])
    >>> check()
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from decimal import Decimal

from hypothesis import strategies as st

from distcrm.catalog import MrpEntry, PackSize, Product
from distcrm.documents import DOCUMENT_KINDS, Document, Line
from distcrm.money import Money, minor_unit_exponent
from distcrm.parties import (
    GSTIN_ALPHABET,
    INDIAN_FMCG,
    INDIAN_STATES,
    Account,
    Gstin,
    Link,
    Pan,
    PaymentTerms,
    gstin_check_character,
)
from distcrm.periods import PERIOD_KINDS, Period, PeriodKind, Validity
from distcrm.visits import Visit

__all__ = [
    "FIRST_DAY",
    "LAST_DAY",
    "accounts",
    "dates",
    "documents",
    "gstins",
    "kernel_entities",
    "lines",
    "links",
    "money",
    "pans",
    "payment_terms",
    "periods",
    "pooled_ids",
    "products",
    "skus",
    "validities",
    "visits",
]

FIRST_DAY = date(2024, 1, 1)
"""Earliest date drawn by default."""
LAST_DAY = date(2026, 12, 31)
"""Latest date drawn by default."""

_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_DIGITS = "0123456789"
_PAN_HOLDER_TYPES = "ABCFGHJLPT"


def dates(min_value: date = FIRST_DAY, max_value: date = LAST_DAY) -> st.SearchStrategy[date]:
    """Dates in ``[min_value, max_value]`` (both inclusive, as hypothesis does)."""
    return st.dates(min_value=min_value, max_value=max_value)


def pooled_ids(prefix: str = "D", pool: int = 10) -> st.SearchStrategy[str]:
    """Ids ``<prefix>0`` .. ``<prefix><pool - 1>``: a small pool, so draws collide.

    Examples:
        >>> from hypothesis import find
        >>> find(pooled_ids("D", 3), lambda i: i != "D0")
        'D1'
    """
    return st.integers(0, pool - 1).map(lambda i: f"{prefix}{i}")


def skus(pool: int = 20) -> st.SearchStrategy[str]:
    """SKU ids ``SKU0`` .. ``SKU<pool - 1>``."""
    return st.integers(0, pool - 1).map(lambda i: f"SKU{i}")


def money(
    currency: str = "INR",
    min_value: Decimal | int | str = 0,
    max_value: Decimal | int | str = 100_000,
    places: int | None = None,
) -> st.SearchStrategy[Money]:
    """Amounts of ``currency`` in ``[min_value, max_value]`` with at most ``places`` decimals.

    ``places`` defaults to the currency's minor unit (2 for INR, 0 for JPY).
    """
    digits = minor_unit_exponent(currency) if places is None else places
    return st.decimals(
        min_value=Decimal(min_value),
        max_value=Decimal(max_value),
        places=digits,
        allow_nan=False,
        allow_infinity=False,
    ).map(lambda amount: Money(amount, currency))


@st.composite
def validities(
    draw: st.DrawFn,
    min_start: date = FIRST_DAY,
    max_start: date = LAST_DAY,
    max_days: int = 400,
    open_ended: bool = True,
) -> Validity:
    """Half-open intervals starting in ``[min_start, max_start]``, 1..``max_days`` long.

    With ``open_ended`` some intervals have no end.
    """
    start = draw(dates(min_start, max_start))
    if open_ended and draw(st.booleans()):
        return Validity(start, None)
    return Validity(start, start + timedelta(days=draw(st.integers(1, max_days))))


@st.composite
def periods(
    draw: st.DrawFn,
    kinds: Sequence[PeriodKind] = PERIOD_KINDS,
    min_value: date = FIRST_DAY,
    max_value: date = LAST_DAY,
) -> Period:
    """Calendar periods of the given kinds containing a drawn day (any fiscal first month)."""
    kind = draw(st.sampled_from(tuple(kinds)))
    on = draw(dates(min_value, max_value))
    if kind == "day" or kind == "month":
        return Period.containing(on, kind)
    return Period.containing(on, kind, first_month=draw(st.integers(1, 12)))


def _chars(alphabet: str, n: int) -> st.SearchStrategy[str]:
    return st.lists(st.sampled_from(alphabet), min_size=n, max_size=n).map("".join)


@st.composite
def pans(draw: st.DrawFn, holder_types: str = _PAN_HOLDER_TYPES) -> Pan:
    """Well-formed PANs: 3 letters, a holder type, a letter, 4 digits, a letter."""
    return Pan(
        draw(_chars(_LETTERS, 3))
        + draw(st.sampled_from(holder_types))
        + draw(_chars(_LETTERS, 1))
        + draw(_chars(_DIGITS, 4))
        + draw(_chars(_LETTERS, 1))
    )


@st.composite
def gstins(draw: st.DrawFn, state_code: str | None = None, pan: Pan | None = None) -> Gstin:
    """Valid GSTINs: state code, PAN, entity number, ``Z``, and the right check character.

    ``state_code`` and ``pan`` pin those parts; otherwise they are drawn.
    """
    state = state_code if state_code is not None else draw(st.sampled_from(sorted(INDIAN_STATES)))
    holder = pan if pan is not None else draw(pans())
    entity = draw(st.sampled_from(GSTIN_ALPHABET[1:]))
    first14 = f"{state}{holder.value}{entity}Z"
    return Gstin(first14 + gstin_check_character(first14))


def payment_terms() -> st.SearchStrategy[PaymentTerms]:
    """Credit periods of 0-120 days on either basis."""
    return st.builds(
        PaymentTerms,
        st.integers(0, 120),
        st.sampled_from(("invoice_date", "end_of_month")),
    )


_NAMES = st.text(alphabet=_LETTERS + _LETTERS.lower() + " &.", min_size=1, max_size=30)


@st.composite
def accounts(
    draw: st.DrawFn,
    tier: str | None = None,
    ids: st.SearchStrategy[str] | None = None,
    tiers: Sequence[str] = INDIAN_FMCG.names,
) -> Account:
    """Accounts with consistent KYC: the PAN and state code agree with the GSTIN.

    Args:
        tier: the tier of every account drawn; otherwise one of ``tiers``.
        ids: where ids come from (default ``A0``..``A999``).
        tiers: tiers to draw from when ``tier`` is not given.
    """
    account_id = draw(ids if ids is not None else pooled_ids("A", 1000))
    state = draw(st.none() | st.sampled_from(sorted(INDIAN_STATES)))
    pan = draw(st.none() | pans())
    gstin = draw(st.none() | gstins(state_code=state, pan=pan)) if state is not None else None
    coords = draw(st.booleans())
    return Account(
        account_id,
        draw(_NAMES),
        tier if tier is not None else draw(st.sampled_from(tuple(tiers))),
        gstin=gstin,
        pan=pan,
        state_code=state,
        territory=draw(st.none() | st.sampled_from(("T1", "T2", "T3"))),
        channel=draw(st.none() | st.sampled_from(("GT", "MT", "HoReCa"))),
        credit_limit=draw(st.none() | money("INR", 0, 10_000_000)),
        payment_terms=draw(st.none() | payment_terms()),
        account_class=draw(st.none() | st.sampled_from(("A", "B", "C"))),
        lat=draw(st.floats(-90, 90)) if coords else None,
        lon=draw(st.floats(-180, 180)) if coords else None,
        kyc_status=draw(st.sampled_from(("pending", "verified", "rejected", "expired"))),
    )


@st.composite
def products(
    draw: st.DrawFn, ids: st.SearchStrategy[str] | None = None, currency: str = "INR"
) -> Product:
    """Products with a category path, an HSN code, non-overlapping MRP history and packs."""
    sku = draw(ids if ids is not None else skus(1000))
    # MRP entries follow one another: each starts where the previous one ended.
    mrp: list[MrpEntry] = []
    start = draw(dates(FIRST_DAY, date(2025, 1, 1)))
    for i in range(draw(st.integers(0, 3))):
        last = i == 2 or draw(st.booleans())
        end = None if last else start + timedelta(days=draw(st.integers(1, 365)))
        mrp.append(MrpEntry(draw(money(currency, "0.01", 5_000)), Validity(start, end)))
        if end is None:
            break
        start = end
    uoms = draw(st.lists(st.sampled_from(("inner", "box", "case", "shrink")), unique=True))
    return Product(
        sku,
        draw(_NAMES),
        brand=draw(st.sampled_from(("Tiger", "Glow", "Fresh", ""))),
        category=draw(st.lists(st.sampled_from(("Foods", "Biscuits", "Home", "Soap")), max_size=3)),
        hsn=draw(st.sampled_from(("", "19", "1905", "190590", "19059010"))),
        mrp=mrp,
        packs=[PackSize(uom, draw(st.integers(1, 144))) for uom in uoms],
    )


@st.composite
def lines(
    draw: st.DrawFn, currency: str = "INR", sku_ids: st.SearchStrategy[str] | None = None
) -> Line:
    """Document lines in ``currency``; the discount never exceeds the gross value."""
    qty = draw(st.integers(0, 500))
    unit_price = draw(money(currency, 0, 2_000))
    gross = unit_price.amount * qty
    discount = draw(st.none() | money(currency, 0, gross))
    tax = draw(st.none() | money(currency, 0, gross))
    return Line(
        draw(sku_ids if sku_ids is not None else skus()),
        qty,
        unit_price,
        discount=discount,
        tax=tax,
        free_qty=draw(st.integers(0, 24)),
        mrp=draw(st.none() | money(currency, 1, 5_000)),
    )


@st.composite
def documents(
    draw: st.DrawFn,
    currency: str = "INR",
    ids: st.SearchStrategy[str] | None = None,
    parties: st.SearchStrategy[str] | None = None,
    sku_ids: st.SearchStrategy[str] | None = None,
    min_date: date = FIRST_DAY,
    max_date: date = LAST_DAY,
    max_lines: int = 5,
) -> Document:
    """Documents of every kind and level between two different accounts.

    Args:
        currency: the currency of the document and its lines.
        ids: document ids (default ``DOC0``..``DOC9999``).
        parties: seller and buyer ids (default ``D0``..``D9``); at least two values needed.
        sku_ids: SKUs of the lines (default ``SKU0``..``SKU19``).
        min_date: earliest ``issued_on``.
        max_date: latest ``issued_on``.
        max_lines: most lines per document.
    """
    who = parties if parties is not None else pooled_ids("D", 10)
    seller = draw(who)
    buyer = draw(who.filter(lambda b: b != seller))
    return Document(
        draw(ids if ids is not None else pooled_ids("DOC", 10_000)),
        draw(st.sampled_from(DOCUMENT_KINDS)),
        draw(st.sampled_from(("primary", "secondary"))),
        seller,
        buyer,
        draw(dates(min_date, max_date)),
        currency,
        draw(st.lists(lines(currency, sku_ids), max_size=max_lines)),
        reference=draw(st.none() | pooled_ids("INV", 100)),
        place_of_supply=draw(st.none() | st.sampled_from(sorted(INDIAN_STATES))),
        reason=draw(st.none() | st.sampled_from(("damaged", "expired", "scheme"))),
    )


@st.composite
def links(draw: st.DrawFn, parties: st.SearchStrategy[str] | None = None) -> Link:
    """Parent links between two different accounts, with a drawn validity."""
    who = parties if parties is not None else pooled_ids("D", 10)
    parent = draw(who)
    child = draw(who.filter(lambda c: c != parent))
    return Link(parent, child, draw(validities()))


def visits(
    ids: st.SearchStrategy[str] | None = None,
    reps: st.SearchStrategy[str] | None = None,
    outlets: st.SearchStrategy[str] | None = None,
) -> st.SearchStrategy[Visit]:
    """Visits of reps ``REP0``..``REP4`` to outlets ``R0``..``R19``, some productive."""
    return st.builds(
        Visit,
        ids if ids is not None else pooled_ids("V", 10_000),
        reps if reps is not None else pooled_ids("REP", 5),
        outlets if outlets is not None else pooled_ids("R", 20),
        dates(),
        beat=st.none() | pooled_ids("B", 5),
        order_id=st.none() | pooled_ids("SO", 1000),
        note=st.none() | st.sampled_from(("shop closed", "owner absent")),
    )


def kernel_entities() -> st.SearchStrategy[object]:
    """Any kernel entity: money, validity, period, GSTIN, PAN, account, product, line,
    document, link, visit or payment terms (for round-trip properties)."""
    return st.one_of(
        money(),
        validities(),
        periods(),
        gstins(),
        pans(),
        accounts(),
        products(),
        lines(),
        documents(),
        links(),
        visits(),
        payment_terms(),
    )
