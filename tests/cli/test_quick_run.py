"""Issue 15: `ungehus run` starts the app without loading Typer (Click, pydantic) first; it
takes exactly what Typer would take, and leaves everything else to Typer."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from ungehus_tui.cli import app, launch
from ungehus_tui.cli.launch import RunArgs, parse_quick

SAME = [
    [],
    ["run"],
    ["--db", "x.db"],
    ["--db=x.db"],
    ["run", "--db", "x.db"],
    ["run", "--demo"],
    ["run", "--demo", "--as", "rec.1"],
    ["run", "--as=rec.1", "--db=sqlite:///y.db", "--demo"],
    ["run", "--as", "rec.1", "--as", "cbu.bfr.1"],  # the last one, as Click takes it
]


@pytest.mark.parametrize("argv", SAME, ids=lambda a: " ".join(a) or "bare")
def test_the_quick_path_takes_what_typer_takes(argv, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    started: list[RunArgs] = []
    monkeypatch.setattr(launch, "start", lambda args: (started.append(args), (0, None))[1])
    result = CliRunner().invoke(app, argv)
    assert result.exit_code == 0, result.output
    assert started == [parse_quick(argv)]
    assert launch.quick_run(argv) is True
    assert started[-1] == started[0]


@pytest.mark.parametrize(
    "argv",
    [
        ["run", "--help"],
        ["--help"],
        ["run", "--bogus"],
        ["run", "--db", ""],
        ["run", "--demo=1"],
        ["run", "--db"],
        ["run", "--de"],  # no abbreviations (Click has none)
        ["--db", "x.db", "run"],
        ["--demo"],  # the bare command takes --db only
        ["staff", "list"],
        ["triage", "--json"],
        ["run", "extra"],
    ],
    ids=" ".join,
)
def test_anything_else_goes_to_typer(argv) -> None:  # type: ignore[no-untyped-def]
    assert parse_quick(argv) is None


def test_a_refusal_is_one_line_and_its_exit_code(monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(launch, "start", lambda args: (2, "Not a demo database: 0101901234"))
    with pytest.raises(SystemExit) as exit_:
        launch.quick_run(["run", "--demo", "--as", "rec.1"])
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("Error: Not a demo database") and err.count("\n") == 1
    assert "0101901234" not in err  # scrubbed as every error line is


PROBE = """
import sys
import textual.app
def run(self, *args, **kwargs):
    heavy = ("typer", "click", "pydantic", "sqlalchemy", "sqlmodel", "stdnum",
             "textual.widgets._text_area")
    loaded = [m for m in heavy if m in sys.modules]
    print("LOADED", ",".join(loaded))
textual.app.App.run = run
sys.argv = ["ungehus", "run", "--db", sys.argv[1]]
from ungehus_tui.cli import main
main()
"""


def test_run_loads_neither_typer_nor_the_store_nor_form_widgets_before_the_app(tmp_path) -> None:
    out = subprocess.run(
        [sys.executable, "-c", PROBE, str(tmp_path / "u.db")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode == 0, out.stderr
    assert "LOADED \n" in out.stdout, out.stdout


FRAME_PROBE = """
import sys, types
fake = types.ModuleType("ungehus_tui.app")
class App:
    refusal = None
    return_code = 0
    def run(self):
        import textual.constants
        print("FPS", textual.constants.MAX_FPS)
fake.starting_app = lambda db, demo, login: App()
sys.modules["ungehus_tui.app"] = fake
from ungehus_tui.cli import launch
assert "textual" not in sys.modules
print(launch.start(launch.RunArgs(sys.argv[1])))
"""


@pytest.mark.parametrize(
    ("environ", "fps"), [({}, launch.FRAMES_PER_SECOND), ({"TEXTUAL_FPS": "30"}, 30)]
)
def test_the_app_runs_at_the_desks_frame_rate_unless_told_otherwise(tmp_path, environ, fps) -> None:  # type: ignore[no-untyped-def]
    """`start` sets Textual's frame rate before the app (and Textual) is imported; a user's
    TEXTUAL_FPS wins."""
    env = {k: v for k, v in os.environ.items() if k != "TEXTUAL_FPS"} | environ
    out = subprocess.run(
        [sys.executable, "-c", FRAME_PROBE, str(tmp_path / "u.db")],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout == f"FPS {fps}\n(0, None)\n", out.stdout
