"""Assignments, rep resolution and reassignment when a rep leaves."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from distcrm.periods import Validity
from distcrm.territory import (
    Assignment,
    AssignmentBook,
    AssignmentConflict,
    Beat,
    ReassignmentError,
    TerritoryTree,
    reassign,
)

APRIL = date(2025, 4, 1)
LEAVES = date(2025, 7, 1)


def test_overlap_of_one_account_names_account_reps_and_date() -> None:
    with pytest.raises(AssignmentConflict) as err:
        AssignmentBook(
            [
                Assignment("REP1", "account", "D1", Validity(APRIL, date(2025, 6, 1))),
                Assignment("REP2", "account", "D1", Validity(date(2025, 5, 15))),
            ]
        )
    assert str(err.value) == "account 'D1': assigned to 'REP1' and 'REP2' on 2025-05-15"


def test_shared_accounts_may_have_two_reps_but_never_one_rep_twice() -> None:
    both = [
        Assignment("REP1", "account", "D1", Validity(APRIL)),
        Assignment("REP2", "account", "D1", Validity(APRIL)),
    ]
    book = AssignmentBook(both, shared={"account:D1"})
    assert book.reps_on("account", "D1", APRIL) == ("REP1", "REP2")
    assert AssignmentBook(both, exclusive=False).reps_on("account", "D1", APRIL) == (
        "REP1",
        "REP2",
    )
    with pytest.raises(AssignmentConflict, match="account 'D1': assigned twice to 'REP1'"):
        AssignmentBook(
            [
                Assignment("REP1", "account", "D1", Validity(APRIL)),
                Assignment("REP1", "account", "D1", Validity(date(2025, 5, 1))),
            ],
            exclusive=False,
        )


def test_consecutive_assignments_do_not_overlap() -> None:
    book = AssignmentBook(
        [
            Assignment("REP1", "account", "D1", Validity(APRIL, LEAVES)),
            Assignment("REP2", "account", "D1", Validity(LEAVES)),
        ]
    )
    assert book.reps_on("account", "D1", LEAVES - timedelta(days=1)) == ("REP1",)
    assert book.reps_on("account", "D1", LEAVES) == ("REP2",)


def test_resolution_prefers_account_then_nearest_territory() -> None:
    tree = TerritoryTree.from_rows(
        [("MH", None, "state"), ("PUNE", "MH", "district"), ("BARAMATI", "PUNE", "town")]
    )
    tree = tree.place("R1", "BARAMATI", APRIL).place("R2", "BARAMATI", APRIL)
    book = (
        AssignmentBook()
        .assign("REP-STATE", "territory", "MH", APRIL)
        .assign("REP-PUNE", "territory", "PUNE", APRIL, date(2025, 6, 1))
        .assign("REP-KEY", "account", "R2", APRIL)
    )
    assert book.resolve("R2", APRIL, tree).via == "account:R2"
    r1 = book.resolve("R1", date(2025, 5, 1), tree)
    assert (r1.rep, r1.via) == ("REP-PUNE", "territory:PUNE")
    assert "territory BARAMATI: rejected (no rep assigned)" in r1.trace.render()
    later = book.resolve("R1", date(2025, 6, 1), tree)
    assert (later.rep, later.via) == ("REP-STATE", "territory:MH")
    assert book.resolve("R9", APRIL, tree).rep is None


def _setup() -> tuple[AssignmentBook, list[Beat]]:
    book = AssignmentBook(
        [
            Assignment("REP1", "account", "D1", Validity(APRIL)),
            Assignment("REP1", "account", "R1", Validity(APRIL)),
            Assignment("REP1", "account", "R2", Validity(APRIL)),
            Assignment("REP1", "account", "R3", Validity(APRIL)),
            Assignment("REP1", "account", "R4", Validity(APRIL, date(2025, 5, 1))),
            Assignment("REP1", "territory", "PUNE", Validity(APRIL)),
            Assignment("REP9", "account", "R9", Validity(APRIL)),
        ]
    )
    beats = [
        Beat("B-MON", "D1", "REP1", ["MO"], ["R1", "R2"], Validity(APRIL)),
        Beat("B-TUE", "D1", "REP1", ["TU"], ["R3"], Validity(APRIL)),
        Beat("B-WED", "D1", "REP9", ["WE"], ["R9"], Validity(APRIL)),
    ]
    return book, beats


def test_reassignment_to_one_successor_keeps_history() -> None:
    book, beats = _setup()
    result = reassign(book, beats, "REP1", LEAVES, ["REP2"])
    # five live items of REP1 (D1, R1, R2, R3, PUNE) and two beats; R4 ended in May
    assert len(result.moves) == 7
    assert all(m.to_rep == "REP2" for m in result.moves)
    assert result.book.accounts_of("REP2", LEAVES) == ("D1", "R1", "R2", "R3")
    assert result.book.accounts_of("REP1", LEAVES) == ()
    assert result.book.accounts_of("REP1", date(2025, 6, 30)) == ("D1", "R1", "R2", "R3")
    assert [a.rep for a in result.book.history("account", "R4")] == ["REP1"]
    assert result.book.territories_of("REP2", LEAVES) == ("PUNE",)
    mon = [b for b in result.beats if b.id == "B-MON"]
    assert [(b.rep, str(b.validity)) for b in mon] == [
        ("REP1", "[2025-04-01, 2025-07-01)"),
        ("REP2", "[2025-07-01, …)"),
    ]
    # the other rep's beat is untouched
    assert [b for b in result.beats if b.id == "B-WED"] == [beats[2]]


def test_several_successors_balance_by_load_and_accounts_follow_their_beat() -> None:
    book, beats = _setup()
    result = reassign(book, beats, "REP1", LEAVES, ["REP2", "REP3"])
    to = {m.subject: m.to_rep for m in result.moves}
    # B-MON (2 outlets) goes first to REP2; B-TUE (1 outlet) to the lighter REP3
    assert to["B-MON"] == "REP2"
    assert to["B-TUE"] == "REP3"
    assert (to["R1"], to["R2"], to["R3"]) == ("REP2", "REP2", "REP3")
    # loads then REP2 = 2, REP3 = 1: D1 (weight 1) goes to REP3, PUNE to REP2 (2 vs 2, first)
    assert to["D1"] == "REP3"
    assert to["PUNE"] == "REP2"
    assert "follows its beat" in result.trace.render()


def test_override_pins_an_item() -> None:
    book, beats = _setup()
    result = reassign(
        book, beats, "REP1", LEAVES, ["REP2", "REP3"], overrides={"account:D1": "REP4"}
    )
    assert result.book.reps_on("account", "D1", LEAVES) == ("REP4",)


def test_future_assignment_is_handed_over_whole() -> None:
    book = AssignmentBook([Assignment("REP1", "account", "R1", Validity(date(2025, 8, 1)))])
    result = reassign(book, [], "REP1", LEAVES, ["REP2"])
    assert [(a.rep, a.validity.start) for a in result.book.history("account", "R1")] == [
        ("REP2", date(2025, 8, 1))
    ]


@pytest.mark.parametrize(
    ("successors", "overrides", "message"),
    [
        ([], None, "successors: rep 'REP1' leaves but no successor is given"),
        (["REP1"], None, "successors: rep 'REP1' is the leaving rep"),
        (
            ["REP2"],
            {"account:R9": "REP2"},
            "overrides['account:R9']: rep 'REP1' holds no such item",
        ),
    ],
)
def test_bad_reassignment_calls_name_the_rep(
    successors: list[str], overrides: dict[str, str] | None, message: str
) -> None:
    book, beats = _setup()
    with pytest.raises(ReassignmentError, match=message.replace("[", r"\[").replace("]", r"\]")):
        reassign(book, beats, "REP1", LEAVES, successors, overrides=overrides)


def test_successor_holding_the_account_is_not_duplicated() -> None:
    book = AssignmentBook(
        [
            Assignment("REP1", "account", "D1", Validity(APRIL)),
            Assignment("REP2", "account", "D1", Validity(APRIL)),
        ],
        shared={"account:D1"},
    )
    result = reassign(book, [], "REP1", LEAVES, ["REP2"])
    assert result.moves[0].note == "already held"
    assert result.book.reps_on("account", "D1", LEAVES) == ("REP2",)


@st.composite
def books(draw: st.DrawFn) -> tuple[AssignmentBook, list[Beat], date, list[str]]:
    n_accounts = draw(st.integers(1, 15))
    items: list[Assignment] = []
    for i in range(n_accounts):
        rep = draw(st.sampled_from(["REP1", "REP1", "REP5"]))
        start = APRIL + timedelta(days=draw(st.integers(0, 120)))
        end = draw(st.one_of(st.none(), st.integers(1, 200)))
        items.append(
            Assignment(
                rep,
                "account",
                f"R{i}",
                Validity(start, None if end is None else start + timedelta(days=end)),
            )
        )
    outlets = [f"R{i}" for i in range(n_accounts)]
    beats = []
    for b in range(draw(st.integers(0, 4))):
        chosen = draw(st.lists(st.sampled_from(outlets), unique=True, max_size=6))
        beats.append(Beat(f"B{b}", "D1", draw(st.sampled_from(["REP1", "REP5"])), ["MO"], chosen))
    on = APRIL + timedelta(days=draw(st.integers(1, 200)))
    successors = draw(
        st.lists(st.sampled_from(["REP2", "REP3", "REP4"]), min_size=1, max_size=3, unique=True)
    )
    return AssignmentBook(items), beats, on, successors


@settings(max_examples=120, deadline=None)
@given(books())
def test_reassignment_loses_no_account_and_keeps_history(
    case: tuple[AssignmentBook, list[Beat], date, list[str]],
) -> None:
    book, beats, on, successors = case
    result = reassign(book, beats, "REP1", on, successors)
    new = result.book
    for a in book.assignments:
        target = a.target
        # every day before the date reads as before
        probe = a.validity.start
        if probe < on:
            assert new.reps_on("account", target, probe) == book.reps_on("account", target, probe)
        # from the date, whatever REP1 held is held by one successor; nothing else changes
        for day in (on, on + timedelta(days=30), a.validity.start):
            if day < on:
                continue
            before = book.reps_on("account", target, day)
            after = new.reps_on("account", target, day)
            assert len(after) == len(before)
            if "REP1" in before:
                assert len(after) == 1
                assert after[0] in successors
            else:
                assert after == before
    assert new.accounts_of("REP1", on) == ()
    assert all(b.rep != "REP1" or (b.validity.end and b.validity.end <= on) for b in result.beats)
    # beats of REP1 live on the date are moved, each with one Move
    live_beats = {b.id for b in beats if b.rep == "REP1"}
    assert {m.subject for m in result.moves if m.kind == "beat"} == live_beats


def test_ending_an_assignment_keeps_its_past() -> None:
    book = AssignmentBook().assign("REP1", "account", "R1", APRIL)
    ended = book.end("REP1", "account", "R1", LEAVES)
    assert [str(a.validity) for a in ended.history("account", "R1")] == ["[2025-04-01, 2025-07-01)"]
    assert ended.end("REP1", "account", "R1", APRIL).history("account", "R1") == ()
    with pytest.raises(AssignmentConflict, match="account 'R1': 'REP2' holds no assignment"):
        book.end("REP2", "account", "R1", LEAVES)
