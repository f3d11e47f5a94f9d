"""The app's DataTable: lines drawn before the table measured its rows are drawn again.

Textual's DataTable measures newly added rows when its message queue runs empty (its idle
handler), and caches each drawn line under a key that holds no column width. A frame drawn
between `add_row` and that handler (a loaded machine, a thread's rows arriving mid-frame)
caches the rows cut to their headings' widths; once measured, the columns are wider but the
cached lines are still used, until the cursor moves or the table is resized. The queue then
showed "Mang", "Clar" and "290" for "Mangler mødeudfald", "Clara Udfaldsen" and the CPR.

Measuring rows always changes the table's virtual width when a column grows, so here a
change of that width drops the drawn lines (`notify_style_update`, Textual's public way to
say that what was drawn no longer holds). tests/screens/test_table.py draws a row before it
is measured, in this table and in Textual's own, and fails if either behaves otherwise.
"""

from __future__ import annotations

from textual.geometry import Size
from textual.widgets import DataTable


class Table(DataTable):
    def watch_virtual_size(self, old: Size, new: Size) -> None:
        if old.width != new.width:
            self.notify_style_update()
