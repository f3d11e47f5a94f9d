"""Fixtures for `ungehus serve`: the real command in a subprocess on a free loopback port, a
database with passwords, and (for the browser tests) Debian's Chromium driven by Playwright.

Chromium is never downloaded: the tests use /usr/bin/chromium (`apt-get install -y
chromium`, done by .ci/run) and fail, not skip, when it is missing."""

from __future__ import annotations

import os
import queue
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path(os.environ.get("UNGEHUS_TEST_CHROMIUM", "/usr/bin/chromium"))
PASSWORD = "serve-test-password"
START_TIMEOUT = 60.0

_ANSI = re.compile(
    rb"\x1b\[[0-9;?<>=]*[ -/]*[@-~]"  # CSI: cursor moves, colours
    rb"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)"  # OSC: titles
    rb"|\x1b[()#][0-9A-Za-z]|\x1b[=>78MDEc]"
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def ungehus(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """The real command line, as a municipality's IT runs it."""
    return subprocess.run(
        [sys.executable, "-m", "ungehus_tui", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
    )


@dataclass
class Served:
    """`ungehus serve` running in a subprocess; a thread reads its output line by line."""

    process: subprocess.Popen[str]
    port: int
    lines: list[str] = field(default_factory=list)
    _queue: queue.Queue[str | None] = field(default_factory=queue.Queue)

    def __post_init__(self) -> None:
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self._queue.put(line)
        self._queue.put(None)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def read_until(self, needle: str, timeout: float = START_TIMEOUT) -> str:
        """Lines of output until one contains `needle` (fails on exit or timeout)."""
        deadline = time.monotonic() + timeout
        while (left := deadline - time.monotonic()) > 0:
            try:
                line = self._queue.get(timeout=left)
            except queue.Empty:
                break
            if line is None:
                break
            self.lines.append(line)
            if needle in line:
                return line
        self.stop()
        raise AssertionError(f"no {needle!r} from ungehus serve: {self.lines}")

    def stop(self) -> str:
        """SIGTERM (as systemd stops it); its whole output."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        while True:
            try:
                line = self._queue.get(timeout=5)
            except queue.Empty:
                break
            if line is None:
                break
            self.lines.append(line)
        return "".join(self.lines)


def start_serve(db_url: str, *args: str) -> Served:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "ungehus_tui", "serve", "--db", db_url, "--port", str(port), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        text=True,
        bufsize=1,
    )
    served = Served(process, port)
    served.read_until("Ungehus serves")
    return served


def give_passwords(ctx: Any, actor_for: Callable[[str], Any], *logins: str) -> None:
    """IT gives `logins` the test password (no change asked at the first sign-in)."""
    from ungehus_tui.services.access import auth

    auth.set_password(ctx, None, "it.admin", PASSWORD, must_change=False)
    admin = actor_for("it.admin")
    for login in logins:
        auth.set_password(ctx, admin, login, PASSWORD, must_change=False)


@pytest.fixture
def served(ctx, actor_for) -> Iterator[Callable[..., Served]]:  # type: ignore[no-untyped-def]
    """Start `ungehus serve` on the test's database (rec.1 and rec.2 have PASSWORD)."""
    give_passwords(ctx, actor_for, "rec.1", "rec.2")
    started: list[Served] = []

    def start(*args: str) -> Served:
        s = start_serve(str(ctx.engine.url.render_as_string(hide_password=False)), *args)
        started.append(s)
        return s

    yield start
    for s in started:
        s.stop()


def screen_text(frames: list[bytes]) -> str:
    """What the app wrote to the terminal, escape sequences removed."""
    return _ANSI.sub(b"", b"".join(frames)).decode("utf-8", "replace")


def focus_moved(frame: bytes) -> bool:
    """A frame that draws the sign-in's password field again but not the whole screen: the
    Tab from the login field has been handled (keys sent before that went to the login
    field's queue, Textual forwards keys to the focused widget's own queue)."""
    text = screen_text([frame])
    return "Adgangskode" in text and "Log ind" not in text


class Tab:
    """One browser tab on the served app: what it requested and what the app drew."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.requests: list[str] = []
        self.websockets: list[str] = []
        self.frames: list[bytes] = []
        self.console: list[str] = []
        page.on("request", lambda r: self.requests.append(r.url))
        page.on("console", lambda m: self.console.append(m.text))
        page.on("websocket", self._websocket)

    def _websocket(self, ws: Any) -> None:
        self.websockets.append(ws.url)
        ws.on(
            "framereceived",
            lambda f: self.frames.append(f if isinstance(f, bytes) else f.encode()),
        )

    def mark(self) -> int:
        return len(self.frames)

    def text(self, since: int = 0) -> str:
        return screen_text(self.frames[since:])

    def wait_for(self, *needles: str, since: int = 0, timeout: float = 60.0) -> str:
        """Wait until the app has drawn one of `needles` after frame `since`; which one."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            text = self.text(since)
            for needle in needles:
                if needle in text:
                    return needle
            self.page.wait_for_timeout(50)
        tail = self.text(since)[-3000:]
        self.page.screenshot(path=os.environ.get("UNGEHUS_TEST_SHOT", "/tmp/ungehus-serve.png"))
        raise AssertionError(f"the app never showed {needles!r}; last drawn:\n{tail}")

    def keys(self, *keys: str) -> None:
        """Playwright key names ("Enter", "Control+s") or text."""
        for key in keys:
            if len(key) == 1 or key == " ":
                self.page.keyboard.type(key)
            else:
                self.page.keyboard.press(key)

    def sign_in(self, login: str, password: str = PASSWORD) -> None:
        """Login, Tab, and once the focus has moved (`focus_moved`), password and Enter."""
        self.wait_for("Adgangskode")
        self.page.keyboard.type(login)
        mark = self.mark()
        self.keys("Tab")
        deadline = time.monotonic() + 60
        while not any(focus_moved(f) for f in self.frames[mark:]):
            assert time.monotonic() < deadline, "the focus never reached the password field"
            self.page.wait_for_timeout(20)
        self.page.keyboard.type(password)
        self.keys("Enter")


@pytest.fixture
def browser() -> Iterator[Any]:
    """Debian's Chromium, headless (fails, never skips, when it is not installed)."""
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} is missing: the browser tests need Debian's Chromium "
            "(`apt-get install -y chromium`; .ci/run installs it)"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu"]
        )
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def open_tab(browser) -> Callable[[str], Tab]:  # type: ignore[no-untyped-def]
    def open_(url: str) -> Tab:
        page = browser.new_context(viewport={"width": 1280, "height": 800}).new_page()
        tab = Tab(page)
        page.goto(url)
        return tab

    return open_
