"""What `ungehus run` does before the app can be used, run by the app in a worker behind its
first screen (so the sign-in is drawn and takes keys at once): open the store (engine,
schema check, organisation file), fill an empty database with demo data for `--demo`, check
that someone can sign in, and, for `--demo --as LOGIN`, the demo marker and the actor.

Every refusal is a `StartRefused` with one English line and the exit code the command ends
with (the app closes and `cli/core.py` prints it); nothing here prints.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ungehus_tui.data.early import EarlyReader
    from ungehus_tui.demo.seed import DemoState
    from ungehus_tui.services.context import Actor, Ctx
    from ungehus_tui.services.desk.hits import PersonHit
    from ungehus_tui.settings import Settings


class StartRefused(Exception):
    """The app cannot start on this store: `message` (one line) and the exit `code`."""

    def __init__(self, message: str, code: int = 1) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


@dataclass(frozen=True)
class Started:
    ctx: Ctx
    actor: Actor | None  # `--demo --as LOGIN`: signed in without a password
    notice: str = ""  # shown on the sign-in (the demo password after a fill)


def refusal(reason: str) -> str:
    return (
        f"Not a demo database: {reason}. Demo data only goes into a new, empty database "
        "(give one with --db); nothing was changed"
    )


def open_for_app(
    settings: Settings | str | None, *, demo: bool = False, as_login: str | None = None
) -> Started:
    """Open the store for the app; StartRefused (message, exit code) when it cannot start.
    `settings`: loaded ones, or the `--db` value to load them with (the app loads them here,
    behind its first screen).

    `--as LOGIN` skips the password only together with `--demo` and only on a database
    carrying the demo marker (exit 2 elsewhere). `--demo` fills an empty database with demo
    data first and refuses (exit 1) a database that is neither empty nor a demo one."""
    from ungehus_tui.data import engine
    from ungehus_tui.data.engine import StoreError
    from ungehus_tui.data.org import OrgFileError
    from ungehus_tui.services.errors import ServiceError
    from ungehus_tui.settings import Settings, SettingsError, load_settings

    notices: list[str] = []
    engine.notice = notices.append  # said on the first screen, not printed over it
    try:
        loaded = settings if isinstance(settings, Settings) else load_settings(db=settings)
        started = _open(loaded, demo, as_login)
    except (StoreError, OrgFileError, SettingsError) as exc:
        raise StartRefused(str(exc)) from None
    except ServiceError as exc:  # a bad --as and the like
        raise StartRefused(exc.message) from None
    except OSError as exc:  # a folder or file that cannot be made, read or written
        where = f" ({exc.filename})" if exc.filename else ""
        raise StartRefused(f"{exc.strerror or type(exc).__name__}{where}") from None
    if notices:
        return replace(started, notice=" ".join([*notices, started.notice]).strip())
    return started


def _open(settings: Settings, demo: bool, as_login: str | None) -> Started:
    from ungehus_tui.store import start_store

    state = demo_state(settings) if demo else None
    if state is not None and state.kind == "other":
        if as_login:
            raise StartRefused(
                f"--demo --as skips the sign-in only on a demo database ({state.reason}); "
                "the app was not started",
                code=2,
            )
        raise StartRefused(refusal(state.reason))
    ctx = start_store(settings)
    try:
        return _ready(ctx, state, demo, as_login)
    except BaseException:
        ctx.engine.dispose()
        raise


def _ready(ctx: Ctx, state: DemoState | None, demo: bool, as_login: str | None) -> Started:
    from ungehus_tui.data.engine import read_session
    from ungehus_tui.data.meta import is_demo_store
    from ungehus_tui.services.access import auth
    from ungehus_tui.services.context import actor_by_login

    notice = ""
    if state is not None and state.kind == "empty":
        from ungehus_tui.demo.seed import fill_demo

        fill_demo(ctx, persons=2000, seed=2019, progress=False)
        if auth.set_demo_passwords(ctx):
            notice = f"Demo: alle (f.eks. rec.1) har adgangskoden {auth.DEMO_PASSWORD}"
    if not auth.has_any_password(ctx):
        raise StartRefused(
            "No staff member has a password yet. Create the first administrator with "
            "`ungehus staff reset-password it.admin` (or try `ungehus run --demo`)."
        )
    actor = None
    if demo and as_login:
        with read_session(ctx.engine) as session:
            if not is_demo_store(session):  # checked again on the store the app gets
                raise StartRefused("--demo --as skips the sign-in only on a demo database", 2)
            actor = actor_by_login(session, as_login)
    return Started(ctx, actor, notice)


def demo_state(settings: Settings) -> DemoState:
    """The database's demo state, read before anything is written (no migration, no org)."""
    from ungehus_tui.data.org import read_org
    from ungehus_tui.demo.seed import demo_state as state_of
    from ungehus_tui.store import engine_for, friendly_errors

    org = read_org(settings.org_file)
    engine = engine_for(settings)
    try:
        with friendly_errors():
            return state_of(engine, org)
    finally:
        engine.dispose()


class EarlySearch:
    """The desk's search while the store is still opening (`--demo --as` on an SQLite file):
    the early reader (`data.early`) is opened at the first search, once, and closed when the
    store is open (`close`)."""

    def __init__(self, opener: Callable[[], EarlyReader | None]) -> None:
        self._opener: Callable[[], EarlyReader | None] | None = opener
        self._reader: EarlyReader | None = None
        self._lock = threading.Lock()

    def search(self, term: str) -> list[PersonHit] | None:
        """(a worker thread) The hits, or None: the store answers (no early reader, closed,
        or a term it cannot answer)."""
        with self._lock:
            if self._reader is None and self._opener is not None:
                opener, self._opener = self._opener, None
                self._reader = opener()  # once: None leaves it to the store
            reader = self._reader
        if reader is None:
            return None
        from ungehus_tui.services.desk.early_search import early_actor, early_search

        try:
            return early_search(reader, early_actor(reader), term)
        except Exception:  # any refusal or error (closed meanwhile): the store answers
            return None

    @property
    def closed(self) -> bool:
        return self._reader is None and self._opener is None

    def close(self) -> None:
        with self._lock:
            self._opener = None
            if self._reader is not None:
                self._reader.close()
                self._reader = None


def open_early(db: str | None, login: str) -> EarlyReader | None:
    """The early reader of `--db` (an SQLite file) for `--demo --as LOGIN`, or None."""
    from ungehus_tui.data.early import EarlyReader, sqlite_path

    path = sqlite_path(db)
    return None if path is None else EarlyReader.open(path, login)
