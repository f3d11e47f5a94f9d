"""Started as a subprocess by the benchmark: run an app headless until it is idle and accepts
keys, print `READY <epoch seconds> <focused widget>` and exit at once.

    python bench/startup_probe.py bare
    python bench/startup_probe.py ungehus DB_PATH_OR_URL
"""

from __future__ import annotations

import sys
import time


async def _ready(pilot) -> None:  # type: ignore[no-untyped-def]
    app = pilot.app
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()
    focused = type(app.focused).__name__ if app.focused is not None else "-"
    print(f"READY {time.time():.6f} {type(app.screen).__name__} {focused}", flush=True)
    app.exit()


def main() -> None:
    kind = sys.argv[1]
    if kind == "bare":
        from bare_app import BareApp

        app = BareApp()
    else:
        # What `ungehus run --db DB` does before `app.run()` (ungehus_tui/cli/core.py).
        from ungehus_tui.app import make_app
        from ungehus_tui.cli.common import settings_for
        from ungehus_tui.store import start_store

        ctx = start_store(settings_for(sys.argv[2]))
        app = make_app(ctx)  # type: ignore[assignment]
    app.run(headless=True, size=(120, 36), auto_pilot=_ready)


if __name__ == "__main__":
    main()
