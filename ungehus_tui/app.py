"""The Textual app, one for the whole session. Built by `starting_app(db)` (`ungehus run`:
the first screen at once, settings and store loading behind it) or `make_app(ctx, ...)`
(signed in on an open store: tests); nothing happens at import time.

Modes (Textual modes): `sign-in` (the first screen until someone signs in; then removed),
the desk (`reception`) and the counsellor's queue (`queue`); F2/F3 switch. After the sign-in
the role's screen opens (counsellors and leaders: the queue); the idle lock and Ctrl+L push
the sign-in over the work (`app_lock`). `--demo --as LOGIN` starts at the desk, signed in
as LOGIN once the store has shown it is a demo database. The first screen (sign-in or desk)
is Textual's default screen, and its mode is added once it is shown (drawn a frame sooner).

The first frame needs neither the store nor the settings: the desk and queue screens and
everything of SQLAlchemy, SQLModel and pydantic are imported behind it, in the worker that
loads the settings and opens the store (`startup.open_for_app`). `app.ctx` (and, for
`--demo --as`, `app.actor`) waits for it, so a screen's worker, or the sign-in's Enter,
simply waits; what is typed meanwhile stays where it was typed (`screens.keys`). A refusal
(bad settings, not a demo database, nobody can sign in, a broken store) closes the app with
`refusal` set, which the command prints as one line with its exit code.

Every screen runs its database work in thread workers that post their results as messages;
a failed worker ends in `screens.base.show_error`, the one place that turns an exception
into a Danish message.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import SystemCommand, UnknownModeError
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.notifications import SeverityLevel
from textual.screen import Screen

from ungehus_tui.app_lock import LOCK_BINDINGS, LockingApp
from ungehus_tui.domain.text import visible
from ungehus_tui.screens.danish import DanishApp
from ungehus_tui.screens.key_order import KeyOrderApp
from ungehus_tui.screens.sign_in import SignInScreen
from ungehus_tui.screens.unsaved import GuardedApp
from ungehus_tui.services.access.permissions import Action, allowed
from ungehus_tui.services.context import Actor, Ctx, actor_by_login, set_process_source
from ungehus_tui.startup import EarlySearch, Started, StartRefused, open_early

if TYPE_CHECKING:
    from ungehus_tui.services.desk.hits import PersonHit
    from ungehus_tui.settings import Settings

# what may run before anyone has signed in (the sign-in's own keys are screen bindings)
SIGN_IN_REMOVED_AFTER = 1.0  # seconds after the role's screen took the keys (`_enter`)
BEFORE_SIGN_IN = frozenset({"quit", "focus_next", "focus_previous", "bell", "help_quit"})


class StoreGate:
    """The store the app opens behind its first screen; `get()` waits for it (any thread)."""

    def __init__(self) -> None:
        self._done = threading.Event()
        self._started: Started | None = None
        self._refused: StartRefused | None = None

    def open(self, started: Started) -> None:
        self._started = started
        self._done.set()

    def refuse(self, refused: StartRefused) -> None:
        self._refused = refused
        self._done.set()

    @property
    def ready(self) -> bool:
        return self._started is not None

    def get(self) -> Started:
        self._done.wait()
        if self._started is None:
            raise self._refused or StartRefused("The store did not open")
        return self._started


def desk_screen() -> Screen:
    from ungehus_tui.screens.desk import DeskScreen  # imported when first shown

    return DeskScreen()


def queue_screen() -> Screen:
    from ungehus_tui.screens.queue import QueueScreen

    return QueueScreen()


def warm_up() -> None:
    """Behind the first screen, once the store is open: import what the next screens need
    (so the desk is there at once after the sign-in's Enter)."""
    import importlib

    for module in (
        "stdnum.dk.cpr",  # the desk's CPR line (`domain.cpr` imports it when first needed)
        "ungehus_tui.services.access.auth",
        "ungehus_tui.services.desk.people",
        "ungehus_tui.services.desk.arrivals",
        "ungehus_tui.services.desk.walk_in",
        "ungehus_tui.screens.desk",
        "ungehus_tui.screens.queue",
        "ungehus_tui.services.casework.queue",
        "ungehus_tui.screens.person",
        "ungehus_tui.screens.registration",
    ):
        importlib.import_module(module)


def collect_from_now() -> None:
    """`ungehus run` starts with the garbage collector off (`cli.launch.start`): what the
    start makes (modules, classes, styles, the store) lives as long as the app, and one full
    collection among it cost ~60 ms of the first answer. Once the store is open, all of it is
    moved out of the collector's way for good (`gc.freeze`) and collection resumes. Where
    the collector was on (tests, other callers), nothing changes."""
    import gc

    if not gc.isenabled():
        gc.freeze()
        gc.enable()


def start_mode(actor: Actor) -> str:
    """Counsellors and leaders start in their queue, everyone else at the desk."""
    return "queue" if actor.role in ("COUNSELLOR", "LEADER") else "reception"


class UngehusApp(DanishApp, GuardedApp, KeyOrderApp, LockingApp):
    TITLE = "Ungehus"
    SUB_TITLE = "Ungehuset · Slagelse Kommune"
    # the desk's styles with the app's: a screen bringing a file of its own has Textual parse
    # the whole stylesheet again when the screen is first shown (~2% of the first frame)
    CSS_PATH = ["app.tcss", "screens/desk.tcss"]
    MODES = {"reception": desk_screen, "queue": queue_screen}
    DEFAULT_MODE = "reception"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "f2",
            "app.switch_mode('reception')",
            "Skranke",
            id="mode.reception",
            tooltip="Skranken: søg, registrér, visitér og book",
        ),
        Binding(
            "f3",
            "app.switch_mode('queue')",
            "Kø",
            id="mode.queue",
            tooltip="Rådgivernes arbejdskø",
        ),
        Binding("ctrl+q", "quit", "Afslut", id="quit", tooltip="Luk Ungehus"),
        Binding(
            "f9",
            "change_password",
            "Adgangskode",
            id="password",
            tooltip="Skift din egen adgangskode",
            show=False,
        ),
        *LOCK_BINDINGS,
    ]

    class PasswordMustChange(Message, bubble=False):
        """IT has set a temporary password: it is changed before anything else."""

    def __init__(
        self,
        ctx: Ctx | None = None,
        actor: Actor | None = None,
        *,
        opener: Callable[[], Started] | None = None,
        login: str | None = None,
        skip_sign_in: bool = False,
        early: EarlySearch | None = None,
        idle_clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """Signed in on an open store (`ctx`, `actor`); or from the sign-in (`actor` None,
        `login` filled in) with the store open (`ctx`) or opened behind it by `opener`; or
        (`skip_sign_in`, `--demo --as`) at the desk at once, the actor coming with the store
        from `opener`; `early` answers the desk's search until then (`data.early`)."""
        if ctx is None and opener is None:
            raise ValueError("UngehusApp needs a ctx or an opener")
        self.skip_sign_in = skip_sign_in and actor is None and opener is not None
        # the first screen: the sign-in, or the desk (`--demo --as`), or the signed-in role's
        first = "reception" if self.skip_sign_in else "sign-in"
        self.DEFAULT_MODE = first if actor is None else start_mode(actor)  # type: ignore[misc]
        # The first screen (the sign-in, or the desk) is the app's default screen, its mode
        # added once it is shown (`on_mount`): Textual draws a default screen whole in its
        # first frame, a mode's screen only in the frame after (measured: ~60 ms later).
        self._first_screen: Callable[[], Screen] | None = None
        if actor is None:
            self._first_screen = (
                desk_screen
                if self.skip_sign_in
                else lambda: SignInScreen(login=login, on_signed_in=self._signed_in)
            )
            modes = type(self).MODES
            self.MODES = {name: screen for name, screen in modes.items() if name != first}  # type: ignore[misc]
        super().__init__()
        self.store = StoreGate()
        self._prepared: Screen | None = None  # the desk made behind the sign-in
        self._sign_in_mode = False  # the sign-in's mode is there (until `_remove_sign_in`)
        self._undelayed = False  # the switch to the desk made behind the sign-in (`_enter`)
        self.opener = opener if ctx is None else None
        self.early = early if self.skip_sign_in else None
        self.refusal: StartRefused | None = None
        self._actor = actor
        self.setup_lock(idle_clock)
        self.lock_actor = actor
        if ctx is not None:
            self.store.open(Started(ctx, None))
            self._apply_settings(ctx.settings, initial=True)
        if actor is None and not self.skip_sign_in:
            self._sign_in_mode = True

    def _apply_settings(self, settings: Settings, *, initial: bool = False) -> None:
        self.lock_settings = settings
        self.set_keymap(settings.keymap)  # the [keymap] table: binding id -> key(s)
        if initial:
            self.set_reactive(UngehusApp.privacy, bool(settings.privacy_mode))
        else:
            self.privacy = bool(settings.privacy_mode)

    @property
    def ctx(self) -> Ctx:
        """The open store; waits while it is opening (StartRefused when it could not)."""
        return self.store.get().ctx

    @property
    def actor(self) -> Actor:
        """The signed-in staff member. With `--demo --as` it comes with the store: a worker
        asking before that waits for it."""
        if self._actor is None and self.skip_sign_in and not self.store.ready:
            self.store.get()  # a worker thread (the screens only ask `signed_in` before)
        if self._actor is None:
            raise RuntimeError("Nobody has signed in")
        return self._actor

    @property
    def signed_in(self) -> bool:
        return self._actor is not None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Before the sign-in only quitting and moving between the fields; the key of the
        mode one is in is not shown (it does nothing there); the queue mode
        (F3) is there only for roles with a queue: reception and IT would get a refusal (and,
        before, a crash) instead of a screen."""
        if self._actor is None:
            return action in BEFORE_SIGN_IN
        if action == "switch_mode" and parameters == (self.current_mode,):
            return False  # F2 at the desk, F3 in the queue: nothing to do, not shown
        if action == "switch_mode" and parameters == ("queue",):
            if not allowed(self.actor, Action.VIEW_QUEUE):
                return False
        return super().check_action(action, parameters)

    def get_default_screen(self) -> Screen:
        if self._first_screen is not None:
            return self._first_screen()
        return super().get_default_screen()

    def on_mount(self) -> None:
        if self._first_screen is not None:  # its screen is there: now its mode (F2, removal)
            self.add_mode(self.DEFAULT_MODE, self._first_screen)
        if self.opener is not None:
            self.call_after_refresh(self._open_store)  # the first frame first
        if self._actor is not None:
            self._session_started()
        else:
            self.sub_title = self.SUB_TITLE
        # the keys typed meanwhile: once the first screen has drawn itself with its focus (a
        # release now came before the screen's own mount, and a key typed between the two
        # went to no field)
        self.release_keys_after_refresh(self.screen)

    @work(thread=True, exclusive=True, group="open-store", exit_on_error=False)
    def _open_store(self) -> None:
        assert self.opener is not None
        try:
            started = self.opener()
        except StartRefused as refused:
            self.store.refuse(refused)
        except Exception as error:  # anything else: one line, no traceback, no data
            self.store.refuse(StartRefused(f"Could not open the database ({type(error).__name__})"))
        else:
            if self.skip_sign_in:
                self._actor = started.actor  # before the gate opens: waiting workers see it
            self.store.open(started)
            self.call_from_thread(self._store_opened, started)
            if not self.skip_sign_in:
                warm_up()  # while the password is typed (at the desk it would slow the search)
                self.call_from_thread(self.call_later, self._prepare_desk)
            collect_from_now()
            return
        self.call_from_thread(self._refused)

    def early_search(self, term: str) -> list[PersonHit] | None:
        """(a worker thread) The desk's search while the store is still opening (`--demo
        --as`); None: the store answers."""
        if self.early is None or self.store.ready:
            return None
        return self.early.search(term)

    def _store_opened(self, started: Started) -> None:
        if self.early is not None:
            self.early.close()
        self._apply_settings(started.ctx.settings)
        for screen in self.screen_stack:
            if isinstance(screen, SignInScreen) and started.notice:
                screen.post_message(SignInScreen.Notice(started.notice))
        if self.skip_sign_in and started.actor is not None:
            self.lock_actor = started.actor
            self._session_started()
            if started.notice:
                self.notify(started.notice)
            self._role_known()
            if start_mode(started.actor) == "queue" and self._desk_untouched():
                self.switch_mode("queue")  # counsellors and leaders start in their queue

    def _desk_untouched(self) -> bool:
        """Nothing typed at the desk yet (then a counsellor may be moved to the queue)."""
        from textual.widgets import Input

        screen = self.screen
        if len(self.screen_stack) > 1 or type(screen).__name__ != "DeskScreen":
            return False
        return not any(i.value for i in screen.query(Input).results(Input))

    def _refused(self) -> None:
        try:
            self.store.get()
        except StartRefused as refused:
            self.refusal = refused
            self.exit(return_code=refused.code)

    def _signed_in(self, actor: Actor) -> None:
        """The first sign-in: the role's screen replaces the sign-in (the keys typed after
        the Enter wait for it, held)."""
        self._actor = actor
        self.lock_actor = actor
        self.call_later(self._enter, actor)

    async def _prepare_desk(self) -> None:
        """While the password is typed: the desk made (composed, styled, mounted) behind the
        sign-in, so that the Enter only has to show it (`signin_ready_ms`). Textual makes a
        mode's screen when the mode is first shown: the desk's mode is shown and the
        sign-in's shown again within one batch of updates, so nothing of it reaches the
        screen (tests/security/test_sign_in_flow.py: the desk made before the Enter, the
        sign-in's fields and keys untouched, the desk's keys, waiting list and results after
        it). The keys typed meanwhile wait, then go to the sign-in's field."""
        if self.signed_in or self.current_mode != "sign-in" or not self.is_running:
            return
        if self.holding_keys:  # an Enter is being answered: its keys are its own to release
            return
        sign_in = self.screen
        focused = sign_in.focused
        self.hold_keys()  # what is typed meanwhile is the sign-in's, never the desk's
        try:
            with self.batch_update():
                await self.switch_mode("reception")
                self._prepared = self.screen
                # styled now that it is mounted (Textual styles a mode's screen when it is
                # shown and not yet mounted, and again at the next switch: after the Enter)
                self.refresh_css(animate=False)
                await self.switch_mode("sign-in")
            if focused is not None and self.screen is sign_in and sign_in.focused is not focused:
                sign_in.set_focus(focused)
        finally:
            self.release_keys()

    async def _enter(self, actor: Actor) -> None:
        self._role_known()  # before the switch: the desk is drawn once, with the role's keys
        self._session_started()
        mode = start_mode(actor)
        # Textual draws a mode's screen when it switches to it and again when the screen has
        # resumed (restyled): the role's screen is drawn once, after it resumed and took the
        # keys typed after the Enter (`_shown`); the desk made behind the sign-in is not held
        # back either (`delay_update`)
        self._undelayed = self._prepared is not None and mode == "reception"
        batch = self.batch_update()
        batch.__enter__()
        try:
            await self.switch_mode(mode)
        except BaseException:
            batch.__exit__(None, None, None)
            raise
        finally:
            self._undelayed = False
        if not self.is_running:  # quit meanwhile: the app is closing its screens
            batch.__exit__(None, None, None)
            return
        self._focus_first()
        self.release_keys()
        if not self.screen.call_later(self._shown, batch):
            self._shown(batch)
        # the sign-in's screen goes once the keys typed after the Enter have been answered
        # (taking it down costs ~0.1 s, which they would otherwise wait for)
        self.set_timer(SIGN_IN_REMOVED_AFTER, self._remove_sign_in)

    async def _remove_sign_in(self) -> None:
        if self._sign_in_mode and self.current_mode != "sign-in" and self.is_running:
            self._sign_in_mode = False
            try:
                await self.remove_mode("sign-in")
            except UnknownModeError:  # the app is closing its modes already
                pass

    def _shown(self, batch: AbstractContextManager[None]) -> None:
        """The role's screen has resumed after the sign-in: drawn now."""
        batch.__exit__(None, None, None)
        self.screen.refresh()

    def delay_update(self, delay: float = 0.05) -> None:
        """Textual holds every frame for `delay` after a mode switch, to mask the new mode's
        screen being made; the desk made behind the sign-in is shown at once (the held frame
        was ~50 ms of the sign-in's Enter, and the desk drawn meanwhile was thrown away)."""
        if not self._undelayed:
            super().delay_update(delay)

    def _focus_first(self) -> None:
        """Focus in the screen now, before the held keys go to it (a screen made in the
        background, like the desk behind the sign-in, could not take focus then)."""
        screen = self.screen
        if screen.focused is None:
            for widget in screen.query("*"):
                if widget.focusable:
                    screen.set_focus(widget)
                    return

    def _role_known(self) -> None:
        """The screens made before anyone signed in (the desk) get the role's keys and
        panels."""
        prepared = [] if self._prepared is None else [self._prepared]
        for screen in [*self.screen_stack, *prepared]:
            hook = getattr(screen, "signed_in", None)
            if callable(hook):
                hook()
        self.refresh_bindings()

    def _session_started(self) -> None:
        self.start_idle_timer()
        self.sub_title = f"{self.SUB_TITLE} · {visible(self.actor.name)}"
        self._check_temporary_password()

    @work(thread=True, exclusive=True, group="password-check", exit_on_error=False)
    def _check_temporary_password(self) -> None:
        from ungehus_tui.data.engine import read_session
        from ungehus_tui.data.models import Staff

        with read_session(self.ctx.engine) as session:
            staff = session.get(Staff, self.actor.id)
            forced = bool(staff and staff.must_change_password)
        if forced:
            self.post_message(self.PasswordMustChange())

    @on(PasswordMustChange)
    def _password_must_change(self) -> None:
        self._ask_password(True)

    def _ask_password(self, forced: bool) -> None:
        from ungehus_tui.screens.change_password import ChangePasswordDialog

        self.push_screen(ChangePasswordDialog(self.ctx, self.actor, forced=forced))

    def action_change_password(self) -> None:
        self._ask_password(False)

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """Every notice as plain text: a message may quote stored text (a name, a plan's
        intervention), so its control characters are made visible and markup is off."""
        super().notify(
            visible(message), title=visible(title), severity=severity, timeout=timeout, markup=False
        )

    # --- command palette -------------------------------------------------------------

    def _desk_action(self, action: str) -> None:

        async def run() -> None:
            await self.switch_mode("reception")
            while len(self.screen_stack) > 1:
                await self.pop_screen()
            screen = self.screen
            if type(screen).__name__ == "DeskScreen":
                await screen.run_action(action)

        self.call_later(run)

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        if self._actor is None:  # the sign-in: nothing but Textual's own (quit, keys)
            yield from super().get_system_commands(screen)
            return

        def may(action: Action) -> bool:  # the role's commands only
            return allowed(self.actor, action)

        yield SystemCommand("Søg efter en ung", "Skranken: CPR-nummer eller navn", self._cmd_search)
        if may(Action.REGISTER):
            yield SystemCommand(
                "Ny ung", "Registrér en ny ung med visitation og samtykke", self._cmd_new
            )
        if may(Action.RECORD_ARRIVAL):
            yield SystemCommand(
                "Registrér henvendelse",
                "En henvendelse i skranken (spørgsmål), også uden navn",
                self._cmd_arrival,
            )
            yield SystemCommand(
                "Opdatér venteliste", "Hent hvem der venter i skranken", self._cmd_waiting
            )
        yield SystemCommand("Skranke", "Skift til skranken (F2)", self._cmd_mode_reception)
        if may(Action.VIEW_QUEUE):
            yield SystemCommand("Kø", "Skift til arbejdskøen (F3)", self._cmd_mode_queue)
        yield SystemCommand(
            "Skift adgangskode", "Vælg en ny adgangskode (F9)", self.action_change_password
        )
        yield from super().get_system_commands(screen)

    def search_desk(self, term: str) -> None:
        """The desk with `term` in its search field (the palette's last line)."""

        from ungehus_tui.screens.desk import DeskScreen

        async def run() -> None:
            await self.switch_mode("reception")
            while len(self.screen_stack) > 1:
                await self.pop_screen()
            screen = self.screen
            if isinstance(screen, DeskScreen):
                screen.search_for(term)

        self.call_later(run)

    def _cmd_search(self) -> None:
        self._desk_action("focus_search")

    def _cmd_new(self) -> None:
        self._desk_action("new_person")

    def _cmd_arrival(self) -> None:
        self._desk_action("question")

    def _cmd_waiting(self) -> None:
        self._desk_action("refresh_waiting")

    def _cmd_mode_reception(self) -> None:
        self.switch_mode("reception")

    def _cmd_mode_queue(self) -> None:
        if allowed(self.actor, Action.VIEW_QUEUE):
            self.switch_mode("queue")
        else:
            self.notify("Din rolle har ingen arbejdskø", severity="warning", timeout=4)


def default_actor(ctx: Ctx, as_login: str | None) -> Actor:
    from sqlmodel import col, select

    from ungehus_tui.data.engine import read_session
    from ungehus_tui.data.models import Staff

    with read_session(ctx.engine) as session:
        if as_login:
            return actor_by_login(session, as_login)
        staff = session.exec(
            select(Staff)
            .where(Staff.role == "RECEPTION", Staff.active == True)  # noqa: E712
            .order_by(Staff.login)
        ).first()
        if staff is None:
            staff = session.exec(select(Staff).order_by(col(Staff.id))).first()
        if staff is None:
            raise RuntimeError("No staff in the database: run `ungehus init`")
        return Actor.of(staff)


def make_app(
    ctx: Ctx,
    *,
    actor: Actor | None = None,
    as_login: str | None = None,
    channel: str = "tui",
    origin: str | None = None,
) -> UngehusApp:
    """The app for a signed-in `actor` (or, for development and tests, `as_login`). The audit
    log says where from: `tui` by this OS user on this host, or `serve` from the browser's
    address (`origin`, given by `ungehus serve`)."""
    from ungehus_tui import logsafe

    logsafe.install()
    set_process_source(channel, origin)
    return UngehusApp(ctx, (actor or default_actor(ctx, as_login)).acting_from(channel, origin))


def starting_app(
    db: str | None = None,
    *,
    demo: bool = False,
    login: str | None = None,
    channel: str = "tui",
    origin: str | None = None,
) -> UngehusApp:
    """`ungehus run`: the first screen at once, the settings and the store loaded behind it.
    The sign-in (`login` filled in); with `demo` and `login`, the desk, signed in as `login`
    once the store says it is a demo database. The audit log records `channel` and `origin`
    (default: this OS user on this host) for everyone signing in here."""
    from ungehus_tui import logsafe
    from ungehus_tui.startup import open_for_app

    logsafe.install()
    set_process_source(channel, origin)
    skip = demo and login is not None
    return UngehusApp(
        opener=lambda: open_for_app(db, demo=demo, as_login=login if skip else None),
        login=None if skip else login,
        skip_sign_in=skip,
        early=EarlySearch(lambda: open_early(db, login)) if skip and login is not None else None,
    )
