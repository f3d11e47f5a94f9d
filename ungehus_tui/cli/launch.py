"""`ungehus run` (and the bare `ungehus`): the terminal app, started with as little as
possible before its first frame.

The first frame is what the desk feels first (issue 15). Typer is the command line for
everything else, but it loads Click and pydantic (Typer 0.29 coerces parameters with
pydantic) before it calls a command: about a quarter of a second on this machine's launch.
`quick_run` therefore takes the one common shape, `ungehus [run] [--db X] [--demo]
[--as LOGIN]`, with the standard library's argparse and starts the app at once; anything
else (`--help`, an unknown or malformed option, an empty `--db`) goes to Typer, which
explains it exactly as it always has. Both paths start the app through `start`.

`start` also sets Textual's frame rate (`TEXTUAL_FPS`, unless it is set already) to
FRAMES_PER_SECOND before Textual is imported. At its default 60, a screen refresh asked for
within a frame of the last one waits one to two frames (16-33 ms): the desk draws the typed
key at once and its search results a few milliseconds later, which then waited for the next
frame but one. Textual draws only what changed, so the higher rate costs nothing when idle.
"""

from __future__ import annotations

import argparse
import gc
import os
from dataclasses import dataclass

FRAMES_PER_SECOND = 120


@dataclass(frozen=True)
class RunArgs:
    db: str | None = None
    demo: bool = False
    as_login: str | None = None


def parse_quick(argv: list[str]) -> RunArgs | None:
    """The `run` invocation in `argv`, or None when Typer should handle it."""
    root = not argv or argv[0].startswith("--")  # the bare `ungehus [--db X]`
    if not root and argv[0] != "run":
        return None
    rest = argv if root else argv[1:]
    if any(arg in ("--help", "-h") or arg.startswith("--help=") for arg in rest):
        return None
    parser = argparse.ArgumentParser(add_help=False, allow_abbrev=False, exit_on_error=False)
    parser.add_argument("--db")
    if not root:  # the bare `ungehus` takes --db only
        parser.add_argument("--demo", action="store_true")
        parser.add_argument("--as", dest="as_login")
    try:
        known, extra = parser.parse_known_args(rest)
    except (argparse.ArgumentError, SystemExit):
        return None
    if extra:
        return None
    db = known.db
    if db is not None and not db.strip():
        return None  # Typer's path says why
    return RunArgs(db, bool(getattr(known, "demo", False)), getattr(known, "as_login", None))


def set_frame_rate() -> None:
    """Textual's frame rate for this process, unless the environment sets one; before
    Textual is imported (it reads the rate once)."""
    os.environ.setdefault("TEXTUAL_FPS", str(FRAMES_PER_SECOND))


def start(args: RunArgs) -> tuple[int, str | None]:
    """Run the app; its exit code and, when the start was refused, the one line to print."""
    set_frame_rate()
    gc.disable()  # until the store is open: `app.collect_from_now`
    from ungehus_tui.app import starting_app

    app = starting_app(args.db, demo=args.demo, login=args.as_login)
    try:
        app.run()
    finally:
        gc.enable()  # a start refused before the store opened
    if app.refusal is not None:
        return app.refusal.code, app.refusal.message
    return app.return_code or 0, None


def quick_run(argv: list[str]) -> bool:
    """Start the app if `argv` is a plain `run`; False when it is for Typer. Ends the
    process with the app's exit code (a refusal: its one line, as `fail` prints it)."""
    args = parse_quick(argv)
    if args is None:
        return False
    code, refusal = start(args)
    if refusal is not None:
        from ungehus_tui.cli.common import error_line

        error_line(refusal)
    if code:
        raise SystemExit(code)
    return True
