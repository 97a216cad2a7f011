"""Validation: every problem at once, each naming the accounts, tiers and dates involved."""

from __future__ import annotations

from datetime import date

import pytest

from distcrm.errors import ValidationError
from distcrm.hierarchy import HierarchyError, HierarchyProblem, build_graph, validate
from distcrm.parties import INDIAN_FMCG, PARTNER_PROGRAM, Account, Link
from distcrm.periods import Validity

Data = tuple[list[Account], list[Link]]


def codes(problems: tuple[HierarchyProblem, ...]) -> list[str]:
    return [p.code for p in problems]


def test_valid_network_has_no_problems(fmcg_data: Data) -> None:
    accounts, links = fmcg_data
    assert validate(accounts, INDIAN_FMCG, links) == ()
    graph = build_graph(accounts, INDIAN_FMCG, links)
    assert len(graph) == 13
    assert len(graph.links) == 13
    assert "R5" in graph and "X" not in graph


def test_every_problem_is_reported_at_once(fmcg_data: Data) -> None:
    accounts, links = fmcg_data
    accounts = [*accounts, Account("R9", "Orphan", "retailer")]
    links = [
        *links,
        Link("R1", "D2"),  # a retailer may not supply a distributor (and D2 gets a 2nd parent)
        Link("GHOST", "R2"),  # unknown account
        Link("D1", "R3", Validity(date(2025, 6, 1))),  # R3 already has D2: second parent
    ]
    with pytest.raises(HierarchyError) as info:
        build_graph(accounts, INDIAN_FMCG, links)
    err = info.value
    assert isinstance(err, ValidationError)
    found = codes(err.problems)  # type: ignore[arg-type]
    assert found.count("tier_not_allowed") == 1
    assert found.count("unknown_account") == 1
    assert found.count("multi_parent") == 2  # D2 (SS1 and R1) and R3 (D2 and D1)
    assert found.count("orphan") == 1
    text = str(err)
    assert "'R1' is a retailer, which may not supply 'D2', a distributor" in text
    assert "unknown account 'GHOST'" in text
    assert "account 'R3' (retailer) has two active parents 'D2' and 'D1' from 2025-06-01" in text
    assert "account 'R9' (retailer) has no parent link" in text
    # validate() returns the same problems without raising
    assert validate(accounts, INDIAN_FMCG, links) == err.problems


def test_tier_problem_names_accounts_tiers_and_the_allowed_parents() -> None:
    accounts = [Account("P", "P", "principal"), Account("R1", "R", "retailer")]
    problems = validate(accounts, INDIAN_FMCG, [Link("P", "R1", Validity(date(2025, 4, 1)))])
    assert codes(problems) == ["tier_not_allowed"]
    (p,) = problems
    assert p.path == "$.links[0]"
    assert p.accounts == ("P", "R1")
    assert p.message == (
        "link 'P' -> 'R1' [2025-04-01, …): 'P' is a principal, which may not supply 'R1', "
        "a retailer (a retailer is supplied by: distributor, dealer)"
    )


def test_overlapping_duplicate_links_are_reported_with_the_overlap_date() -> None:
    accounts = [Account("P", "P", "principal"), Account("D1", "D", "distributor")]
    links = [
        Link("P", "D1", Validity(date(2025, 4, 1), date(2025, 9, 1))),
        Link("P", "D1", Validity(date(2025, 8, 1))),
    ]
    problems = validate(accounts, INDIAN_FMCG, links)
    assert codes(problems) == ["duplicate_link"]
    assert "overlap from 2025-08-01" in problems[0].message
    assert problems[0].accounts == ("P", "D1")


def test_back_to_back_links_are_not_an_overlap_nor_a_gap() -> None:
    accounts = [Account("P", "P", "principal"), Account("D1", "D", "distributor")]
    links = [
        Link("P", "D1", Validity(date(2025, 4, 1), date(2025, 8, 1))),
        Link("P", "D1", Validity(date(2025, 8, 1))),
    ]
    assert validate(accounts, INDIAN_FMCG, links) == ()


def test_gap_between_links_is_reported_with_both_dates() -> None:
    accounts = [
        Account("P", "P", "principal"),
        Account("D1", "D", "distributor"),
        Account("R1", "R", "retailer"),
    ]
    links = [
        Link("P", "D1"),
        Link("D1", "R1", Validity(date(2025, 4, 1), date(2025, 5, 1))),
        Link("D1", "R1", Validity(date(2025, 6, 1))),
    ]
    problems = validate(accounts, INDIAN_FMCG, links)
    assert codes(problems) == ["gap"]
    assert "'R1' (retailer) has no parent from 2025-05-01 to 2025-06-01" in problems[0].message


def test_multi_parent_allowed_for_resellers_only() -> None:
    accounts = [
        Account("V", "V", "vendor"),
        Account("DA", "A", "distributor"),
        Account("DB", "B", "distributor"),
        Account("DC", "C", "distributor"),
        Account("RX", "X", "reseller"),
    ]
    ok = [Link("V", "DA"), Link("V", "DB"), Link("V", "DC"), Link("DA", "RX"), Link("DB", "RX")]
    assert validate(accounts, PARTNER_PROGRAM, ok) == ()
    # a distributor may not have two vendors... but there is one vendor: add a second
    accounts2 = [*accounts, Account("V2", "V2", "vendor")]
    bad = [*ok, Link("V2", "DA")]
    problems = validate(accounts2, PARTNER_PROGRAM, bad)
    assert codes(problems) == ["multi_parent"]
    assert problems[0].accounts == ("DA", "V", "V2")
    assert "a distributor may have only one parent" in problems[0].message


def test_cycle_is_reported_with_its_accounts_and_day() -> None:
    # Custom rules that allow a tier to supply its own tier make a cycle possible
    # without any other problem than the cycle itself.
    from distcrm.parties import Tier, TierRules

    rules = TierRules((Tier("hub"), Tier("node", frozenset({"hub"}))))
    accounts = [Account("H", "H", "hub"), Account("A", "A", "node"), Account("B", "B", "node")]
    links = [Link("H", "A", Validity(date(2025, 1, 1), date(2025, 3, 1)))]
    # B and A supply each other from 2025-03-01: both tier violations and a cycle.
    links += [
        Link("A", "B", Validity(date(2025, 3, 1))),
        Link("B", "A", Validity(date(2025, 3, 1))),
    ]
    problems = validate(accounts, rules, links)
    found = codes(problems)
    assert found.count("tier_not_allowed") == 2
    assert found.count("cycle") == 1
    cycle = next(p for p in problems if p.code == "cycle")
    assert set(cycle.accounts) == {"A", "B"}
    assert "active on 2025-03-01" in cycle.message


def test_links_in_a_loop_that_never_overlap_in_time_are_not_a_cycle() -> None:
    from distcrm.parties import Tier, TierRules

    rules = TierRules((Tier("hub"), Tier("node", frozenset({"hub"}))))
    accounts = [Account("H", "H", "hub"), Account("A", "A", "node"), Account("B", "B", "node")]
    links = [
        Link("H", "A"),
        Link("H", "B", Validity(date(2025, 1, 1), date(2025, 3, 1))),
        Link("A", "B", Validity(date(2025, 3, 1), date(2025, 6, 1))),
        Link("B", "A", Validity(date(2025, 6, 1))),  # A->B ended before B->A began
        Link("H", "B", Validity(date(2025, 6, 1))),
    ]
    problems = validate(accounts, rules, links)
    assert "cycle" not in codes(problems)
    assert codes(problems).count("tier_not_allowed") == 2


def test_duplicate_account_and_unknown_tier() -> None:
    accounts = [
        Account("P", "P", "principal"),
        Account("P", "Again", "principal"),
        Account("X", "X", "wholesaler"),
    ]
    problems = validate(accounts, INDIAN_FMCG, [])
    assert codes(problems) == ["duplicate_account", "unknown_tier"]
    assert problems[0].message == "account 'P' is declared more than once"
    assert "account 'X' has tier 'wholesaler', which is not one of principal" in problems[1].message


def test_root_tier_account_with_a_parent_is_a_tier_problem() -> None:
    accounts = [Account("P", "P", "principal"), Account("P2", "P2", "principal")]
    problems = validate(accounts, INDIAN_FMCG, [Link("P", "P2")])
    assert codes(problems) == ["tier_not_allowed"]
    assert "principal is a root tier and has no parent" in problems[0].message
