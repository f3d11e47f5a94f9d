"""Keys typed while the program is still starting reach the sign-in's first field, all of
them: in a real terminal (a pty), `ungehus run` launched and a login typed at once."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from bench.pty_app import PtyApp
from ungehus_tui.demo.seed import fill_demo
from ungehus_tui.settings import load_settings
from ungehus_tui.store import init_store

ROOT = Path(__file__).resolve().parents[2]


def test_a_login_typed_at_launch_reaches_the_login_field_whole(tmp_path: Path) -> None:
    path = tmp_path / "demo.db"
    ctx, _ = init_store(load_settings(db=f"sqlite:///{path}", data_dir=tmp_path / "d"))
    fill_demo(ctx, persons=20, seed=3)
    ctx.engine.dispose()
    env = {
        **os.environ,
        "HOME": str(tmp_path),
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "UNGEHUS_CONFIG": str(tmp_path / "none.toml"),
        "PYTHONPATH": str(ROOT),
    }
    argv = [sys.executable, "-m", "ungehus_tui", "run", "--db", str(path)]
    # before the app has the terminal: the first key used to be routed before the sign-in
    # had focused its login field, and went to no field ("bcdq" shown)
    with PtyApp(argv, env=env, cwd=str(tmp_path), keys="abcdq") as app:
        app.wait_for("abcdq", timeout=30)
