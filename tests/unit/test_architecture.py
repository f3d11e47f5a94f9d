"""The layers stay honest: data, domain and services never import the UI."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_import_contracts_hold() -> None:
    lint = Path(sys.executable).with_name("lint-imports")
    done = subprocess.run([str(lint)], cwd=ROOT, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr


def test_importing_the_package_touches_nothing(tmp_path: Path) -> None:
    """Nothing at import time: no engine, no folders, no config read."""
    code = "import ungehus_tui.cli, ungehus_tui.app, ungehus_tui.data.models, ungehus_tui.store"
    env = {"HOME": str(tmp_path), "PATH": "/usr/bin:/bin", "XDG_DATA_HOME": str(tmp_path / "d")}
    done = subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, check=False)
    assert done.returncode == 0
    assert list(tmp_path.iterdir()) == []
