"""What every desk screen shares: the app's context and one way to show worker errors."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from textual import on
from textual.screen import ModalScreen, Screen
from textual.worker import Worker, WorkerState

from ungehus_tui.services.permissions import Action, allowed

if TYPE_CHECKING:
    from ungehus_tui.app import UngehusApp
    from ungehus_tui.services.context import Actor, Ctx


def leave(screen: Screen[Any]) -> None:
    """Close `screen` if it is still the one showing (a worker may answer after a pop)."""
    if screen.app.screen is screen:
        screen.app.pop_screen()


def back_with_refusal(screen: Screen[Any], message: str) -> None:
    """A screen whose young person the actor may not see: back where they came from, and
    the refusal said (instead of a screen left on "Henter ...")."""
    leave(screen)
    screen.app.notify(message, title="Kan ikke vises", severity="warning", timeout=6)


class RoleKeys:
    """Keys by role. `NEEDS` maps a screen action to the permission it needs: an action the
    signed-in role may not use is left out of the footer and does nothing. The service would
    refuse it anyway; this keeps a counsellor at the desk from reception-only keys and a
    leader (read-only) from the counsellor's."""

    NEEDS: ClassVar[dict[str, Action]] = {}
    actor: Actor

    def may(self, action: Action) -> bool:
        return allowed(self.actor, action)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        needed = self.NEEDS.get(action)
        return needed is None or self.may(needed)


class DeskScreen(RoleKeys, Screen[Any]):
    """A screen whose thread workers report errors through the app's one error handler."""

    @property
    def desk(self) -> UngehusApp:
        return self.app  # type: ignore[return-value]

    @property
    def ctx(self) -> Ctx:
        return self.desk.ctx

    @property
    def actor(self) -> Actor:  # type: ignore[override]
        return self.desk.actor

    @on(Worker.StateChanged)
    def _worker_failed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.ERROR and event.worker.error is not None:
            self.desk.report_error(event.worker.error)


class DeskModal(ModalScreen[Any]):
    """A dialog with the same error handling as DeskScreen."""

    @property
    def desk(self) -> UngehusApp:
        return self.app  # type: ignore[return-value]

    @on(Worker.StateChanged)
    def _worker_failed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.ERROR and event.worker.error is not None:
            self.desk.report_error(event.worker.error)
