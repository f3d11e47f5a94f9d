"""A DataTable that draws plain one-line cells without Rich's layout engine.

Textual's DataTable renders every cell through `Console.render_lines` (Padding, Styled,
wrapping) and computes the table's style from the DOM several times per line. After each
keystroke the desk's result table is cleared and its 20 rows drawn anew: at 100,000 young
people that drawing was ~20 ms of the ~70 ms from key to result (bench: `keystroke_p95_ms`).

`FastTable` draws a cell that is a plain `str` or a span-less, style-less `Text` on a row of
height 1 as one segment: the text cut or padded to the column's cells (`set_cell_size`, so
wide characters count double; printable text only), the cell padding either side, in the
style Textual would give it. Anything else (markup, spans, tabs, newlines, the header,
fixed or label cells) goes to DataTable's own `_render_cell`. While one frame is drawn, the
table's and the rows' styles are computed once, not per line.

This leans on DataTable's private API (`_render_cell` and the caches it fills) of the pinned
Textual minor version; tests/screens/test_fast_table.py draws the same rows with both tables,
cursor, hover and zebra stripes included, and fails when they differ.
"""

from __future__ import annotations

from typing import Any

from rich.cells import set_cell_size
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.geometry import Region
from textual.strip import Strip
from textual.widgets import DataTable


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


class FastTable(DataTable):
    _frame_styles: dict[object, Style] | None = None

    def render_lines(self, crop: Region) -> list[Strip]:
        self._frame_styles = {}
        try:
            return super().render_lines(crop)
        finally:
            self._frame_styles = None

    @property
    def rich_style(self) -> Style:
        memo = self._frame_styles
        if memo is None:
            return DataTable.rich_style.fget(self)  # type: ignore[attr-defined]
        style = memo.get("table")
        if style is None:
            style = memo["table"] = DataTable.rich_style.fget(self)  # type: ignore[attr-defined]
        return style

    def _get_row_style(self, row_index: int, base_style: Style) -> Style:
        memo = self._frame_styles
        if memo is None or row_index < self.fixed_rows:
            return super()._get_row_style(row_index, base_style)
        key = ("row", row_index % 2 if self.zebra_stripes else -1, base_style)
        style = memo.get(key)
        if style is None:
            style = memo[key] = super()._get_row_style(row_index, base_style)
        return style

    def _render_cell(
        self,
        row_index: int,
        column_index: int,
        base_style: Style,
        width: int,
        cursor: bool = False,
        hover: bool = False,
    ) -> Any:
        if row_index < self.fixed_rows or column_index < self.fixed_columns:
            # the header (-1), the row labels (-1), fixed rows and columns: Textual's way
            return super()._render_cell(row_index, column_index, base_style, width, cursor, hover)
        row_key = self._row_locations.get_key(row_index)
        column_key = self._column_locations.get_key(column_index)
        if row_key is None or column_key is None:
            return super()._render_cell(row_index, column_index, base_style, width, cursor, hover)
        cache_key = (
            row_key,
            column_key,
            base_style,
            cursor,
            hover,
            self._show_hover_cursor,
            self._update_count,
            self._pseudo_class_state,
        )
        cached = self._cell_render_cache.get(cache_key)
        if cached is not None:
            return cached
        text = _plain(self._data[row_key][column_key])
        if text is None or self.rows[row_key].height != 1 or width < 2 * self.cell_padding:
            return super()._render_cell(row_index, column_index, base_style, width, cursor, hover)
        component_style, post_style = self._get_styles_to_render_cell(
            False,
            False,
            False,
            hover,
            cursor,
            self.show_cursor,
            self._show_hover_cursor,
            self.cursor_foreground_priority == "css",
            self.cursor_background_priority == "css",
        )
        style = (
            base_style
            + Style.from_meta({"row": row_index, "column": column_index})
            + component_style
            + post_style
        )
        pad = " " * self.cell_padding
        inner = set_cell_size(text, width - 2 * self.cell_padding)
        lines = [[Segment(f"{pad}{inner}{pad}", style)]]
        self._cell_render_cache[cache_key] = lines
        return lines
