"""`ungehus serve` in Debian's Chromium (Playwright), on the benchmark's database:

- `serve_first_frame_ms`: from the page load (navigation start) to the sign-in drawn whole
  and a typed key echoed in the login field (the app process starts per tab, so this is
  the server, the page, its script and fonts, and a whole app start). Median of a few
  fresh tabs.
- `serve_session_mib`: memory of one open browser session once signed in at the desk: the
  proportional set size (PSS: shared pages split between the processes sharing them) of the
  session's processes, the median over several sessions open at once; RSS and the server's
  own memory in the detail.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import time
from pathlib import Path

from bench.common import PYTHON, ROOT, Metric, child_env, median
from bench.target import Target

CHROMIUM = Path("/usr/bin/chromium")
DEMO_PASSWORD = "ungehus-demo"
ANSI = re.compile(rb"\x1b\[[0-9;?<>=]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)")


def _text(frame: bytes) -> str:
    return ANSI.sub(b"", frame).decode("utf-8", "replace")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class _Server:
    def __init__(self, target: Target, sessions: int) -> None:
        self.port = _free_port()
        self.process = subprocess.Popen(
            [
                *(PYTHON, "-m", "ungehus_tui", "serve", "--db", target.url),
                *("--port", str(self.port), "--max-sessions", str(sessions + 2)),
            ],
            cwd=ROOT,
            env=child_env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        assert self.process.stdout is not None
        for line in self.process.stdout:
            if "Ungehus serves" in line:
                break
        else:
            raise RuntimeError("ungehus serve did not start")
        self.url = f"http://127.0.0.1:{self.port}/"

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


class _Tab:
    def __init__(self, browser, url: str) -> None:  # type: ignore[no-untyped-def]
        self.page = browser.new_context(viewport={"width": 1280, "height": 800}).new_page()
        self.frames: list[bytes] = []
        self.page.on("websocket", self._ws)
        self.started = time.perf_counter()
        self.page.goto(url)

    def _ws(self, ws) -> None:  # type: ignore[no-untyped-def]
        ws.on("framereceived", lambda f: self.frames.append(f if isinstance(f, bytes) else b""))

    def wait(self, test, since: int = 0, timeout: float = 120) -> None:  # type: ignore[no-untyped-def]
        deadline = time.perf_counter() + timeout
        while not any(
            test(ANSI.sub(b"", f).decode("utf-8", "replace")) for f in self.frames[since:]
        ):
            if time.perf_counter() > deadline:
                raise RuntimeError("the served app never drew what was waited for")
            self.page.wait_for_timeout(5)

    def first_frame_ms(self) -> float:
        """Navigation start to the sign-in drawn and the first key echoed."""
        self.wait(lambda t: "Adgangskode" in t)
        mark = len(self.frames)
        self.page.keyboard.type("r")
        self.wait(lambda t: re.search(r"▊\s+r\s+▎", t) is not None, since=mark)
        return (time.perf_counter() - self.started) * 1000

    def sign_in(self, login: str) -> None:
        self.wait(lambda t: "Adgangskode" in t)
        self.page.keyboard.type(login)
        self.page.keyboard.press("Tab")  # a priority binding on the sign-in: keys land in order
        self.page.keyboard.type(DEMO_PASSWORD)
        self.page.keyboard.press("Enter")
        self.wait(lambda t: "Søg: CPR-nummer" in t)


def _children(pid: int) -> list[int]:
    """Every descendant process of `pid`."""
    parents: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        parents.setdefault(ppid, []).append(int(entry))
    found, todo = [], [pid]
    while todo:
        for child in parents.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def _memory_kib(pid: int) -> tuple[int, int]:
    """(PSS, RSS) of one process in KiB."""
    pss = rss = 0
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                pss = int(line.split()[1])
            elif line.startswith("Rss:"):
                rss = int(line.split()[1])
    except OSError:
        pass
    return pss, rss


def _sessions_memory(server_pid: int) -> list[tuple[int, int]]:
    """(PSS, RSS) per session: each direct child of the server (a shell or the app) with its
    own descendants."""
    per_session = []
    for child in _children_direct(server_pid):
        pids = [child, *_children(child)]
        totals = [_memory_kib(p) for p in pids]
        per_session.append((sum(t[0] for t in totals), sum(t[1] for t in totals)))
    return per_session


def _children_direct(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(p) for p in text.split()]


def measure(target: Target, quick: bool) -> tuple[Metric, Metric]:
    if not CHROMIUM.exists():
        reason = "no /usr/bin/chromium (apt-get install -y chromium)"
        return Metric.missing(reason), Metric.missing(reason)
    from playwright.sync_api import sync_playwright

    loads = 3 if quick else 5
    sessions = 3 if quick else 5
    server = _Server(target, sessions)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu"]
            )
            try:
                first: list[float] = []
                for _ in range(loads + 1):  # the first one warms the OS file cache
                    tab = _Tab(browser, server.url)
                    first.append(tab.first_frame_ms())
                    tab.page.context.close()
                first = first[1:]
                while _children_direct(server.process.pid):  # the closed tabs' apps end
                    time.sleep(0.1)
                tabs = [_Tab(browser, server.url) for _ in range(sessions)]
                for i, tab in enumerate(tabs):
                    tab.sign_in(f"rec.{i % 2 + 1}")  # the demo has rec.1 and rec.2
                time.sleep(2)  # the desks' first queries done
                memory = _sessions_memory(server.process.pid)
                server_pss, server_rss = _memory_kib(server.process.pid)
            finally:
                browser.close()
    finally:
        server.stop()
    first_metric = Metric(
        round(median(first)),
        unit="ms",
        detail={"runs_ms": [round(x) for x in first]},
    )
    if len(memory) != sessions:
        return first_metric, Metric.missing(f"{len(memory)} app processes for {sessions} tabs")
    pss = [m[0] / 1024 for m in memory]
    rss = [m[1] / 1024 for m in memory]
    memory_metric = Metric(
        round(median(pss), 1),
        unit="MiB",
        floor=f"PSS; RSS {median(rss):.1f} MiB",
        detail={
            "sessions_open": sessions,
            "pss_mib": [round(x, 1) for x in pss],
            "rss_mib": [round(x, 1) for x in rss],
            "server_pss_mib": round(server_pss / 1024, 1),
            "server_rss_mib": round(server_rss / 1024, 1),
        },
    )
    return first_metric, memory_metric
