"""Keys people can change: the `[keymap]` table of config.toml (binding id -> key), applied
with Textual's keymap support. Every binding has an id, so every key can be rebound."""

from __future__ import annotations

import dataclasses
import importlib
import inspect
import pkgutil
from pathlib import Path

import pytest
from textual.binding import Binding
from textual.dom import DOMNode

import ungehus_tui
from tests.reception.conftest import cpr_aged, settle
from ungehus_tui.app import make_app
from ungehus_tui.settings import load_settings


def _all_bindings() -> list[tuple[str, Binding]]:
    found: list[tuple[str, Binding]] = []
    for info in pkgutil.walk_packages(ungehus_tui.__path__, "ungehus_tui."):
        if ".data.migrations" in info.name or info.name.endswith("__main__"):
            continue
        module = importlib.import_module(info.name)
        for name, value in vars(module).items():
            if isinstance(value, list) and value and all(isinstance(b, Binding) for b in value):
                found += [(f"{info.name}.{name}", b) for b in value]
            if (
                inspect.isclass(value)
                and issubclass(value, DOMNode)
                and value.__module__.startswith("ungehus_tui")
            ):
                for b in value.__dict__.get("BINDINGS", []):
                    if isinstance(b, Binding):
                        found.append((f"{value.__module__}.{value.__qualname__}", b))
    return found


def test_every_binding_has_an_id_and_a_tooltip() -> None:
    bindings = _all_bindings()
    assert len(bindings) > 40
    missing = [(where, b.key) for where, b in bindings if not b.id or not b.tooltip]
    assert missing == []


def test_the_keymap_table_is_read_from_config_toml(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    config = tmp_path / "config.toml"
    config.write_text('[keymap]\n"desk.new" = "f8"\n"mode.queue" = "ctrl+k"\n')
    monkeypatch.setenv("UNGEHUS_CONFIG", str(config))
    settings = load_settings(data_dir=tmp_path)
    assert settings.keymap == {"desk.new": "f8", "mode.queue": "ctrl+k"}


@pytest.mark.parametrize("rebound", [True, False])
async def test_a_rebound_desk_key_works_in_the_real_app(ctx, frozen, rebound) -> None:  # type: ignore[no-untyped-def]
    """The new-young-person key moved from Ctrl+N to F8: F8 opens registration with the typed
    CPR number, the footer says F8, and Ctrl+N no longer does it."""
    if rebound:
        keymap = {"desk.new": "f8"}
        ctx = dataclasses.replace(ctx, settings=ctx.settings.model_copy(update={"keymap": keymap}))
    app = make_app(ctx)
    new_key, old_key = ("f8", "ctrl+n") if rebound else ("ctrl+n", "f8")
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        footer = {k.key for k in app.screen.query("FooterKey")}  # type: ignore[attr-defined]
        assert new_key in footer and old_key not in footer
        await pilot.press(*cpr_aged(19))
        await settle(app, pilot)
        await pilot.press(old_key)
        await settle(app, pilot)
        assert type(app.screen).__name__ == "DeskScreen"
        await pilot.press(new_key)
        await settle(app, pilot)
        assert type(app.screen).__name__ == "RegistrationScreen"
