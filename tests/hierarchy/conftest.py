"""A small, hand-checkable FMCG network with history, and a partner program.

FMCG network (INDIAN_FMCG tiers)::

    P ─┬─ SS1 ─┬─ D1 ─┬─ R1
       │       │      ├─ R2
       │       │      └─ R5   until 2025-07-01, then R5 moves to D3
       │       └─ D2 ─── R3
       ├─ SS2 ─── D3 ─── R4   (and R5 from 2025-07-01)
       └─ D4  ─── R6          R6 from 2025-05-01 only

Partner program (seed 003): vendor V, distributors DA and DB, reseller RX served by
both, RY by DA only, RZ by the vendor directly.
"""

from __future__ import annotations

from datetime import date

import pytest

from distcrm.hierarchy import ChannelGraph, build_graph
from distcrm.parties import INDIAN_FMCG, PARTNER_PROGRAM, Account, Link
from distcrm.periods import Validity

MOVE = date(2025, 7, 1)
R6_START = date(2025, 5, 1)
JUNE = date(2025, 6, 15)
AUGUST = date(2025, 8, 15)

FMCG_TIERS = {
    "P": "principal",
    "SS1": "super_stockist",
    "SS2": "super_stockist",
    "D1": "distributor",
    "D2": "distributor",
    "D3": "distributor",
    "D4": "distributor",
    "R1": "retailer",
    "R2": "retailer",
    "R3": "retailer",
    "R4": "retailer",
    "R5": "retailer",
    "R6": "retailer",
}


def fmcg_accounts() -> list[Account]:
    return [Account(i, f"{i} name", t) for i, t in FMCG_TIERS.items()]


def fmcg_links() -> list[Link]:
    return [
        Link("P", "SS1"),
        Link("P", "SS2"),
        Link("SS1", "D1"),
        Link("SS1", "D2"),
        Link("SS2", "D3"),
        Link("P", "D4"),
        Link("D1", "R1"),
        Link("D1", "R2"),
        Link("D2", "R3"),
        Link("D3", "R4"),
        Link("D1", "R5", Validity(date(2025, 4, 1), MOVE)),
        Link("D3", "R5", Validity(MOVE)),
        Link("D4", "R6", Validity(R6_START)),
    ]


@pytest.fixture
def fmcg() -> ChannelGraph:
    return build_graph(fmcg_accounts(), INDIAN_FMCG, fmcg_links())


def partner_accounts() -> list[Account]:
    return [
        Account("V", "Vendor", "vendor"),
        Account("DA", "North Distribution", "distributor"),
        Account("DB", "South Distribution", "distributor"),
        Account("RX", "Acme IT", "reseller"),
        Account("RY", "Byte Shop", "reseller"),
        Account("RZ", "Direct Reseller", "reseller"),
    ]


def partner_links() -> list[Link]:
    return [
        Link("V", "DA"),
        Link("V", "DB"),
        Link("DA", "RX"),
        Link("DB", "RX"),
        Link("DA", "RY"),
        Link("V", "RZ"),
    ]


@pytest.fixture
def partner() -> ChannelGraph:
    return build_graph(partner_accounts(), PARTNER_PROGRAM, partner_links())


@pytest.fixture
def fmcg_data() -> tuple[list[Account], list[Link]]:
    return fmcg_accounts(), fmcg_links()


@pytest.fixture
def partner_data() -> tuple[list[Account], list[Link]]:
    return partner_accounts(), partner_links()
