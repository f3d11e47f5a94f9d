"""The desk search finds what people type (issue 14): a birth date as DDMMYY or dd-mm-åååå
finds everyone born that day, more CPR digits narrow it, ten find the one young person; names
fold both ways (soren/soeren/Søren, ase/aase/Åse, aero/aerø/Ærø). Each form is one statement."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import event

from tests.cprgen import mod11_ok
from ungehus_tui.data.engine import write_session
from ungehus_tui.data.models import YoungPerson
from ungehus_tui.domain.folding import fold
from ungehus_tui.services.desk import people
from ungehus_tui.services.desk.people import PersonInput
from ungehus_tui.services.desk.person_search import DAY_LIMIT

pytestmark = pytest.mark.usefixtures("frozen")  # today is 2026-03-12

BORN = dt.date(2006, 5, 5)  # 19 on the frozen day
OTHERS = {
    "next_day": dt.date(2006, 5, 6),
    "other_year": dt.date(2007, 5, 5),
    "other_month": dt.date(2006, 6, 5),
}


def cprs_born(birth: dt.date, count: int, *, spread: bool = False) -> list[str]:
    """`count` fictitious, distinct CPR numbers of people born on `birth` (20th century
    numbers for a birth before 2000), in CPR order; `spread`: each in its own hundred of
    serials (they differ from the 8th digit on)."""
    digit7 = "0" if birth.year < 2000 else "4"
    head = birth.strftime("%d%m%y") + digit7
    out = [f"{head}{tail:03d}" for tail in range(1000) if mod11_ok(f"{head}{tail:03d}")]
    if spread:
        out = [next(n for n in out if n[7] == str(h)) for h in range(10)]
    assert len(out) >= count
    return out[:count]


def register(ctx, actor, cpr: str, name: str) -> int:  # type: ignore[no-untyped-def]
    person, created = people.register_person(ctx, actor, PersonInput(cpr=cpr, name=name))
    assert created and person.id is not None
    return person.id


def names(ctx, actor, term: str) -> list[str]:  # type: ignore[no-untyped-def]
    return [hit.name for hit in people.search(ctx, actor, term)]


@pytest.fixture
def day(ctx, reception):  # type: ignore[no-untyped-def]
    """Three young people born on BORN (CPR order = name order), one each born a day, a month,
    a year apart."""
    same = cprs_born(BORN, 3, spread=True)
    for cpr, name in zip(same, ("Anna Dato", "Bo Dato", "Carl Dato"), strict=True):
        register(ctx, reception, cpr, name)
    for label, birth in OTHERS.items():
        register(ctx, reception, cprs_born(birth, 1)[0], f"Ung {label.replace('_', ' ')}")
    return same


SAME_DAY = ["Anna Dato", "Bo Dato", "Carl Dato"]


@pytest.mark.parametrize(
    "term",
    [
        "050506",  # DDMMYY
        "050506-",  # the hyphen typed before the serial
        "05-05-2006",
        "05.05.2006",
        "05/05/2006",
        "5-5-2006",
        "5.5.2006",
        "05-05-06",  # a two-digit year: DDMMYY
        "05052006",  # eight digits that read as a date DDMMYYYY
        " 05-05-2006 ",
    ],
)
def test_a_birth_date_finds_everyone_born_that_day(ctx, reception, day, term) -> None:  # type: ignore[no-untyped-def]
    assert names(ctx, reception, term) == SAME_DAY


def test_more_digits_narrow_it_and_ten_find_the_one(ctx, reception, day) -> None:  # type: ignore[no-untyped-def]
    assert names(ctx, reception, day[0][:7]) == SAME_DAY  # the century digit: all three
    for cpr, name in zip(day, SAME_DAY, strict=True):
        for term in (cpr[:8], f"{cpr[:6]}-{cpr[6:8]}", cpr[:9], f"{cpr[:6]}-{cpr[6:9]}"):
            assert names(ctx, reception, term) == [name], term
        assert names(ctx, reception, cpr) == [name]
        assert names(ctx, reception, f"{cpr[:6]}-{cpr[6:]}") == [name]


def test_dates_being_typed_and_impossible_ones(ctx, reception, day) -> None:  # type: ignore[no-untyped-def]
    assert names(ctx, reception, "05-05") == [*SAME_DAY, "Ung other year"]  # day and month
    assert names(ctx, reception, "05-05-") == [*SAME_DAY, "Ung other year"]
    assert names(ctx, reception, "05-0") == [*SAME_DAY, "Ung other year", "Ung other month"]
    assert names(ctx, reception, "05-6") == ["Ung other month"]  # 6 can only be June
    assert names(ctx, reception, "05-05-200") == [*SAME_DAY, "Ung other year"]  # 2000-2009
    assert names(ctx, reception, "07-05-2006") == []  # nobody born that day
    assert names(ctx, reception, "06-05-2006") == ["Ung next day"]
    assert names(ctx, reception, "5-6-2006") == ["Ung other month"]
    assert names(ctx, reception, "31-02-2006") == []  # no such date
    assert names(ctx, reception, "99-99-2006") == []
    assert names(ctx, reception, day[0] + "1") == []  # more digits than a CPR has


def test_everyone_born_that_day_even_more_than_a_screenful(ctx, reception) -> None:  # type: ignore[no-untyped-def]
    many = cprs_born(BORN, 27)
    with write_session(ctx.engine) as session:  # registering 27 through the form is slow
        for i, cpr in enumerate(many):
            session.add(
                YoungPerson(cpr=cpr, birth_date=BORN, name=f"Ung {i:02d}", name_folded=f"ung {i}")
            )
    for term in ("050506", "05-05-2006", "05052006"):
        assert len(people.search(ctx, reception, term)) == 27, term
    assert len(people.search(ctx, reception, "0505")) == 20  # a mere prefix: a screenful
    assert DAY_LIMIT >= 27


def test_two_digit_years_match_both_centuries_four_digits_one(ctx, reception, day) -> None:  # type: ignore[no-untyped-def]
    """DDMMYY is what a CPR starts with, whatever its century (the 7th digit decides it): a
    young person born 1906 (a record kept past its time) shows for 050506 and 05-05-06, not
    for 05-05-2006; 05-05-1906 finds only them."""
    old = dt.date(1906, 5, 5)
    with write_session(ctx.engine) as session:
        session.add(
            YoungPerson(
                cpr=cprs_born(old, 1)[0], birth_date=old, name="Gammel Dato", name_folded="x"
            )
        )
    assert sorted(names(ctx, reception, "050506")) == sorted([*SAME_DAY, "Gammel Dato"])
    assert sorted(names(ctx, reception, "05-05-06")) == sorted([*SAME_DAY, "Gammel Dato"])
    assert names(ctx, reception, "05-05-2006") == SAME_DAY
    assert names(ctx, reception, "05-05-1906") == ["Gammel Dato"]


FOLDED = {
    "Søren Eksempel": ("soren", "soeren", "Søren", "SØREN", "sør", "soe", "so eks"),
    "Soeren Prøvesen": ("soren", "soeren", "Søren", "proevesen", "provesen", "prø"),
    "Soren Fiktiv": ("soren", "soeren", "Søren"),
    "Åse Testesen": ("ase", "aase", "Åse", "å", "aa"),
    "Aase Demo": ("ase", "aase", "Åse"),
    "Ase Prøve": ("ase", "aase", "Åse"),
    "Ærø Øhave": ("aero", "aerø", "Ærø", "aeroe", "ae", "ohave", "oehave", "øhave"),
}


@pytest.mark.parametrize("stored", sorted(FOLDED))
def test_names_fold_both_ways(ctx, reception, stored) -> None:  # type: ignore[no-untyped-def]
    register(ctx, reception, cprs_born(BORN, 1)[0], stored)
    register(ctx, reception, cprs_born(OTHERS["next_day"], 1)[0], "Bent Jensen")  # no a- word
    for term in FOLDED[stored]:
        assert names(ctx, reception, term) == [stored], term


def test_every_prefix_of_a_spelling_finds_the_name(ctx, reception) -> None:  # type: ignore[no-untyped-def]
    register(ctx, reception, cprs_born(BORN, 1)[0], "Søren Ærø Aaberg")
    for spelled in ("soeren aeroe aaberg", "soren aero aberg", "søren ærø åberg"):
        for cut in range(1, len(spelled) + 1):
            typed = spelled[:cut]
            if typed.strip():
                assert names(ctx, reception, typed) == ["Søren Ærø Aaberg"], typed


def test_ordering_puts_the_closest_word_first(ctx, reception) -> None:  # type: ignore[no-untyped-def]
    register(ctx, reception, cprs_born(BORN, 1)[0], "Zofie Hansen")
    register(ctx, reception, cprs_born(OTHERS["next_day"], 1)[0], "Zoe Hansen")
    # 'zoe' keys to 'zo' (ø/oe/o alike): both match, the shorter word first
    assert names(ctx, reception, "zoe") == ["Zoe Hansen", "Zofie Hansen"]


@pytest.mark.parametrize(
    "term", ["050506", "05-05-2006", "05052006", "05-05-200", "soeren", "aa dato"]
)
def test_each_form_is_one_statement(ctx, reception, day, term) -> None:  # type: ignore[no-untyped-def]
    register(ctx, reception, cprs_born(OTHERS["other_month"], 2)[1], "Søren Aaberg Dato")
    people.search(ctx, reception, "warm up the pool")
    seen: list[str] = []

    def capture(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        seen.append(statement.split()[0].upper())

    event.listen(ctx.engine, "before_cursor_execute", capture)
    try:
        hits = people.search(ctx, reception, term)
    finally:
        event.remove(ctx.engine, "before_cursor_execute", capture)
    assert hits
    assert [s for s in seen if s != "BEGIN"] == ["SELECT"]


def test_similar_names_fold_both_ways(ctx, reception) -> None:  # type: ignore[no-untyped-def]
    """The duplicate check at registration sees 'Soren' and 'Søren' born the same day as one
    name word."""
    register(ctx, reception, cprs_born(BORN, 1)[0], "Soren Testesen")
    with write_session(ctx.engine) as session:
        found = people.similar_in(session, "Søren Eksempel", BORN)
    assert [p.name for p in found] == ["Soren Testesen"]
    assert fold("Søren") == "soeren"  # the stored readable fold is unchanged


# Through the real desk screen.


def _rows(table) -> list[list[str]]:  # type: ignore[no-untyped-def]
    return [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]


async def test_the_desk_screen_finds_soeren_and_a_birth_date(ctx, reception) -> None:  # type: ignore[no-untyped-def]
    from textual.widgets import DataTable

    from tests.reception.conftest import settle
    from ungehus_tui.app import make_app

    søren = cprs_born(BORN, 1)[0]
    register(ctx, reception, søren, "Søren Ærø Prøvesen")
    register(ctx, reception, cprs_born(OTHERS["next_day"], 1)[0], "Sofie Hansen")
    app = make_app(ctx)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        results = app.screen.query_one("#results", DataTable)
        for term in ("soeren", "soren aero", "SØREN", "05-05-2006", "5.5.2006", "050506"):
            await pilot.press("escape", *term)
            await settle(app, pilot)
            assert [[r[3], r[0], r[1]] for r in _rows(results)] == [
                [f"{søren[:6]}-XXXX", "Søren Ærø Prøvesen", "05-05-2006"]
            ], term


async def test_the_waiting_list_tells_two_of_the_same_name_apart(ctx, reception) -> None:  # type: ignore[no-untyped-def]
    from textual.widgets import DataTable

    from tests.reception.conftest import settle, teen
    from ungehus_tui.app import make_app
    from ungehus_tui.services.desk import walk_in as desk

    job = desk.Answers("job")
    for birth in (BORN, dt.date(2008, 9, 30)):  # 19 and 17 on the frozen day
        desk.register_walk_in(ctx, reception, teen(cprs_born(birth, 1)[0]), job)
    desk.register_walk_in(
        ctx, reception, teen(cprs_born(OTHERS["next_day"], 1)[0], "Søren Ærø Eksempelholm"), job
    )
    desk.register_walk_in(
        ctx, reception, teen(cprs_born(OTHERS["other_year"], 1)[0], "Søren Ærø Eksempelholm"), job
    )
    desk.register_walk_in(
        ctx, reception, teen(cprs_born(OTHERS["other_month"], 1)[0], "Bent Jensen"), job
    )
    app = make_app(ctx)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        table = app.screen.query_one("#waiting", DataTable)
        assert [r[2] for r in _rows(table)] == [
            "Freja Prøvesen\nfødt 05-05-06",  # a second line under the name
            "Freja Prøvesen\nfødt 30-09-08",
            "Søren Ærø Eksempelholm\nfødt 06-05-06",
            "Søren Ærø Eksempelholm\nfødt 05-05-07",
            "Bent Jensen",  # no namesake: one line, as before
        ]
        assert [table.rows[k].height for k in table.rows] == [2, 2, 2, 2, 1]
        await pilot.press("ctrl+t")  # privacy mode: initials, and the age for the birth date
        await settle(app, pilot)
        assert [r[2] for r in _rows(table)] == [
            "F. P.\n19 år",
            "F. P.\n17 år",
            "S. Æ. E.\n19 år",
            "S. Æ. E.\n18 år",
            "B. J.",
        ]
