"""`FastTable` draws exactly what Textual's DataTable draws: the same rows (wide and combining
characters, too long, empty, markup-like and control characters) with the cursor, the mouse
hover and zebra stripes, in both tables side by side, compared segment by segment."""

from __future__ import annotations

from rich.segment import Segment
from rich.text import Text
from textual.app import App, ComposeResult
from textual.geometry import Region
from textual.widgets import DataTable

from ungehus_tui.widgets.fast_table import FastTable

NAMES = [
    "Emma",
    "Søren Ærøskøbing Østergaard-Fiktivsen Langtnavn",
    "李小龍 Wide 李小龍 Wide 李小龍",
    "",
    "x" * 28,
    "y" * 29,
    "z" * 31,
    "Ca\u0301mille Combining",
    "Tab\there",
    "Bell\x07 and escape \x1b[31m",
    "Zero\u200dwidth joiner",
]
CELLS: list[object] = [
    "[b]markup[/b] as a str",
    "plain str",
    Text("styled", style="bold"),
    Text("right", justify="right"),
    Text.from_markup("[i]span[/i]"),
]


class Tables(App[None]):
    def compose(self) -> ComposeResult:
        for table in (DataTable(id="slow"), FastTable(id="fast")):
            table.cursor_type = "row"
            table.zebra_stripes = True
            table.styles.height = 20
            yield table

    def on_mount(self) -> None:
        for table in self.query(DataTable):
            table.add_column("Navn", key="name", width=30)
            table.add_column("Født", key="born", width=10)
            table.add_column("Alder", key="age")  # auto width
            for i, name in enumerate(NAMES):
                table.add_row(Text(name), "01-02-2003", str(17 + i), key=str(i))
            for i, other in enumerate(CELLS):
                table.add_row(other, Text(""), "x", key=f"c{i}")


def _lines(table: DataTable) -> list[list[Segment]]:  # type: ignore[type-arg]
    strips = table.render_lines(Region(0, 0, table.size.width, table.size.height))
    return [list(Segment.simplify(strip)) for strip in strips]


async def test_the_fast_table_draws_what_the_data_table_draws() -> None:
    app = Tables()
    async with app.run_test(size=(80, 44)) as pilot:
        await pilot.pause()
        slow, fast = app.query_one("#slow", DataTable), app.query_one("#fast", FastTable)
        seen = 0
        for row in (0, 3, 8):
            for table in (slow, fast):
                table.move_cursor(row=row)
            app.set_focus(None)
            await pilot.pause()
            expected, drawn = _lines(slow), _lines(fast)
            assert drawn == expected, row
            slow.focus()  # each focused in turn: the cursor and header look different
            await pilot.pause()
            expected = _lines(slow)
            fast.focus()
            await pilot.pause()
            assert _lines(fast) == expected, (row, "focused")
            seen += sum(1 for line in expected if any("Søren" in s.text for s in line))
        assert seen == 3  # the rows were drawn, not blank lines compared
        # and the fast table drew them itself: plain rows and the header, not DataTable
        plain = [fast._plain_line(y) is not None for y in range(len(NAMES) + 1)]
        assert plain[:9] == [True] * 9  # the header and the first eight rows
        assert not any(fast._plain_line(y) for y in (9, 10))  # a tab, control characters
        assert fast._plain_line(len(NAMES) + 1) is None  # a str with markup: DataTable's
        app.set_focus(None)
        for offset in ((3, 2), (20, 4)):  # the mouse over each table in turn: its hover
            await pilot.hover("#slow", offset=offset)
            await pilot.pause()
            expected = _lines(slow)
            await pilot.hover("#fast", offset=offset)
            await pilot.pause()
            assert _lines(fast) == expected, offset
        await pilot.hover("#slow", offset=(1, 1))  # and away again
        for table in (slow, fast):  # a cleared and refilled table (what the desk does)
            table.clear()
            table.add_row(Text("Ny række"), "x", "1", key="new")
        app.set_focus(None)
        await pilot.pause()
        assert _lines(fast) == _lines(slow)
        assert any("Ny række" in s.text for s in _lines(fast)[1])
        assert all(fast._plain_line(y) for y in range(2, fast.size.height))  # blank: its own
        for table in (slow, fast):  # a row two lines high: DataTable draws the whole table
            table.add_row(Text("To\nlinjer"), "x", "2", key="two", height=2)
            table.add_row(Text("Efter"), "x", "3", key="after")
        await pilot.pause()
        assert _lines(fast) == _lines(slow)
        assert any("Efter" in s.text for s in _lines(fast)[4])
        assert not any(fast._plain_line(y) for y in range(fast.size.height))
