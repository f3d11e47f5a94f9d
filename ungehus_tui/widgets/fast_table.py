"""A DataTable that draws plain one-line rows without Rich's layout engine.

Textual's DataTable renders every cell through `Console.render_lines` (Padding, Styled,
wrapping) and computes the table's styles from the DOM several times per line. After each
keystroke the desk's result table is cleared and its rows drawn anew: at 100,000 young
people that drawing was ~20 ms of the ~70 ms from key to result (bench: `keystroke_p95_ms`).

`FastTable` draws a line itself (`render_line`, Textual's public Line API) when everything on
it is plain: each cell a `str` without markup or a `Text` without spans or style, printable,
in a row-cursor table of one-line rows without fixed rows or columns, row labels or
horizontal scrolling, and the mouse not over it (the hover highlight is Textual's); and the
blank lines below the last row (DataTable finds them by raising and catching an exception
each, and computes the table's style for each: the waiting list is mostly such lines). A cell
is one segment: the text cut or padded to the column's cells (`set_cell_size`: wide
characters count double), the cell padding either side, in the style Textual gives it (the
row's zebra or header style, the cursor's over it). The component styles are read once per
frame. Anything else is drawn by DataTable itself.

tests/screens/test_fast_table.py draws the same rows with both tables (cursor, focus, zebra,
mouse over, a cleared table) and fails when a single segment differs.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from rich.cells import set_cell_size
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.geometry import Region
from textual.strip import Strip
from textual.widgets.data_table import Row

from ungehus_tui.widgets.table import Table


def _plain(cell: object) -> str | None:
    """The cell's text when it can be drawn as one plain segment, else None. A `str` cell
    is markup to DataTable: one with a '[' goes its way."""
    if isinstance(cell, Text):
        if (
            cell.spans
            or cell.style
            or cell.justify not in (None, "default", "left")
            or cell.overflow not in (None, "fold", "crop")
        ):
            return None
        cell = cell.plain
    elif not isinstance(cell, str) or "[" in cell:
        return None
    return cell if cell.isprintable() else None  # no tabs, newlines, control characters


class FastTable(Table):
    _frame: dict[str, Any] | None = None  # what one frame computes once (`_once`)

    def render_lines(self, crop: Region) -> list[Strip]:
        self._frame = {}
        try:
            return super().render_lines(crop)
        finally:
            self._frame = None

    def _once(self, key: str, make: Callable[[], Any]) -> Any:
        """`make()`, once per frame drawn (every time outside one)."""
        frame = self._frame
        if frame is None:
            return make()
        if key not in frame:
            frame[key] = make()
        return frame[key]

    def _rows(self) -> list[Row]:
        return cast(list[Row], self._once("rows", lambda: self.ordered_rows))

    def _style(self, name: str) -> Style:
        """A component's style ("" the table's own), once per frame."""
        if not name:
            return cast(Style, self._once("", lambda: self.rich_style))
        return cast(Style, self._once(name, lambda: self.get_component_rich_style(name)))

    def render_line(self, y: int) -> Strip:
        return self._plain_line(y) or super().render_line(y)

    def _plain_table(self) -> bool:
        """The table is one this class draws (its lines still have to be plain)."""
        return cast(bool, self._once("plain", self._draws_plain))

    def _draws_plain(self) -> bool:
        return not (
            self.cursor_type != "row"
            or self.fixed_rows
            or self.fixed_columns
            or self.header_height != 1
            or self.scroll_offset.x
            or self.is_mouse_over
            or (self.show_row_labels and any(row.label is not None for row in self._rows()))
            or any(row.height != 1 for row in self._rows())  # lines are rows one to one
        )

    def _line_texts(self, y: int) -> tuple[int, list[str], Style] | None:
        """(row index, -1 the header; the cells' texts; the row's style) of line `y`, or
        None when it is not plain."""
        columns = self.ordered_columns
        if self.show_header and y == 0:
            cells: list[object] = [column.label for column in columns]
            return self._texts(-1, cells, self._style("datatable--header"), len(columns))
        rows = self._rows()
        row_index = self._row_index(y)
        if not 0 <= row_index < len(rows):
            return None
        row_style = self._style("")
        if self.zebra_stripes:
            row_style = self._style(f"datatable--{'odd' if row_index % 2 else 'even'}-row")
        return self._texts(row_index, list(self.get_row_at(row_index)), row_style, len(columns))

    @staticmethod
    def _texts(
        row_index: int, cells: list[object], style: Style, columns: int
    ) -> tuple[int, list[str], Style] | None:
        texts = [_plain(cell) for cell in cells]
        if len(texts) != columns or any(text is None for text in texts):
            return None
        return row_index, [text or "" for text in texts], style

    def _row_index(self, y: int) -> int:
        return y - (1 if self.show_header else 0) + self.scroll_offset.y

    def _plain_line(self, y: int) -> Strip | None:
        if not self._plain_table():
            return None
        if (y or not self.show_header) and self._row_index(y) >= len(self._rows()):
            return Strip.blank(self.size.width, self._style(""))  # below the last row
        widths = [column.get_render_width(self) for column in self.ordered_columns]
        width = self.size.width
        line = self._line_texts(y) if sum(widths) <= width else None
        if line is None:
            return None
        row_index, texts, row_style = line
        cursor = Style()
        if self.show_cursor and row_index == self.cursor_row:  # the header's row is -1
            cursor = self._style("datatable--cursor")
        post = (
            Style.from_color(color=cursor.color)
            if self.cursor_foreground_priority == "css"
            else Style.null()
        ) + (
            Style.from_color(bgcolor=cursor.bgcolor)
            if self.cursor_background_priority == "css"
            else Style.null()
        )
        pad = " " * self.cell_padding
        segments = [
            Segment(
                f"{pad}{set_cell_size(text, cell_width - 2 * len(pad))}{pad}",
                row_style + Style.from_meta({"row": row_index, "column": i}) + cursor + post,
            )
            for i, (text, cell_width) in enumerate(zip(texts, widths, strict=True))
        ]
        extend = row_style + cursor
        extend += Style.from_meta({"row": row_index, "column": 0, "out_of_bounds": True})
        segments.append(Segment(" " * (width - sum(widths)), extend))
        return Strip(segments).adjust_cell_length(width, self._style("")).simplify()
