"""`Table` redraws rows drawn before they were measured; Textual's DataTable shows them cut to
their headings' widths until something else redraws it (the second test says when Textual
no longer needs `Table`)."""

from __future__ import annotations

import pytest
from textual.app import App, ComposeResult
from textual.geometry import Region
from textual.widgets import DataTable

from tests.screens.helpers import screen_text
from ungehus_tui.widgets.table import Table

LONG = "Mangler mødeudfald"


class OneTable(App[None]):
    def __init__(self, kind: type[DataTable]) -> None:  # type: ignore[type-arg]
        super().__init__()
        self.kind = kind

    def compose(self) -> ComposeResult:
        table = self.kind(cursor_type="row")
        table.styles.height = 6  # a fixed height, as in the screens: new rows don't resize it
        yield table


async def drawn_before_measured(kind: type[DataTable]) -> str:  # type: ignore[type-arg]
    app = OneTable(kind)
    async with app.run_test(size=(60, 8)) as pilot:
        table = app.query_one(kind)
        table.add_columns("Type", "Navn")
        await pilot.pause()
        table.add_row(LONG, "Clara Udfaldsen")
        table.add_row("Kommende møde", "Bjørn Mødesen")
        # a frame drawn now, before the table's idle handler measures the new rows
        table.render_lines(Region(0, 0, table.size.width, table.size.height))
        await pilot.pause()
        await pilot.pause()
        return screen_text(app)


async def test_rows_drawn_before_they_were_measured_are_drawn_again() -> None:
    text = await drawn_before_measured(Table)
    assert LONG in text and "Clara Udfaldsen" in text and "Bjørn Mødesen" in text


@pytest.mark.parametrize("kind", [DataTable])
async def test_textuals_own_table_still_shows_them_cut(kind: type[DataTable]) -> None:  # type: ignore[type-arg]
    text = await drawn_before_measured(kind)
    assert LONG not in text and "Mang" in text  # when this fails, Textual fixed it
