from __future__ import annotations

from ungehus_tui.domain.privacy import initials, shown_name


def test_initials() -> None:
    assert initials("Søren Ærø Prøvesen") == "S. Æ. P."
    assert initials("  ") == ""
    assert shown_name("Ida Demolund", privacy=True) == "I. D."
    assert shown_name("Ida Demolund", privacy=False) == "Ida Demolund"


async def test_privacy_key_shows_initials_on_the_waiting_list() -> None:
    from textual.app import App, ComposeResult
    from textual.reactive import reactive
    from textual.widgets import DataTable

    from ungehus_tui.services.desk.arrivals import Waiting
    from ungehus_tui.widgets.waiting import WaitingPanel

    class Desk(App[None]):
        privacy: reactive[bool] = reactive(False)

        def compose(self) -> ComposeResult:
            yield WaitingPanel()

    app = Desk()
    async with app.run_test() as pilot:
        panel = app.query_one(WaitingPanel)
        fields = {f: None for f in Waiting.__dataclass_fields__}
        import datetime as dt

        fields.update(
            arrival_id=1,
            person_id=1,
            name="Freja Prøvesen",
            reason="QUESTION",
            reason_da="Spørgsmål",
            arrived_at=dt.datetime(2026, 11, 26, 9, 0),
            minutes=5,
        )
        panel.show([Waiting(**{k: v for k, v in fields.items()})])
        await pilot.pause()
        table = app.query_one(DataTable)
        assert str(table.get_row_at(0)[2]) == "Freja Prøvesen"
        app.privacy = True
        await pilot.pause()
        assert str(table.get_row_at(0)[2]) == "F. P."
