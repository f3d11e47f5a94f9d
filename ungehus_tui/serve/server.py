"""The web server of `ungehus serve` (aiohttp, with textual-serve's AppService).

Each browser tab that opens the page gets its own app process (`ungehus serve-session`),
which always starts at the sign-in; the idle lock and privacy mode work as in the terminal.
The page, its script, style sheets and fonts all come from this server (textual-serve's
`static` folder and ours); a Content-Security-Policy tells the browser to load nothing from
anywhere else. At most `max_sessions` app processes run at once; one more tab gets a Danish
page saying so. The app process learns the browser's address (`UNGEHUS_SERVE_CLIENT`), which
the audit log records with the channel `serve`.

This module never imports Textual: the server stays small, the apps run in their own
processes.
"""

from __future__ import annotations

import asyncio
import contextlib
import html
import ipaddress
import shlex
import signal
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from aiohttp import WSMsgType, web
from textual_serve.app_service import AppService
from textual_serve.download_manager import DownloadManager

CLIENT_ENV = "UNGEHUS_SERVE_CLIENT"
"""The browser's address, handed to the app process (the audit log's origin)."""

STOP_GRACE_SECONDS = 5.0

CSP = "; ".join(
    [
        "default-src 'none'",
        "script-src 'self'",
        # xterm.js sets its cell styles with <style> elements it writes itself
        "style-src 'self' 'unsafe-inline'",
        "font-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "base-uri 'none'",
        "form-action 'none'",
        "frame-ancestors 'none'",
    ]
)

SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}

PAGE = """<!DOCTYPE html>
<html lang="da">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Ungehus</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="static/textual/css/xterm.css">
<link rel="stylesheet" href="static/ungehus/ungehus.css">
<script src="static/ungehus/ungehus.js"></script>
<script src="static/textual/js/textual.js"></script>
</head>
<body>
<div class="notice" id="starting"><div class="box"><p>Ungehus starter ...</p></div></div>
<div class="notice" id="closed"><div class="box">
<h1>Ungehus er lukket</h1>
<p>Sessionen er slut: du er logget ud, eller forbindelsen til serveren blev afbrudt.</p>
<button type="button" class="restart">Start igen</button>
</div></div>
<div id="terminal" class="textual-terminal" data-font-size="{font_size}"></div>
</body>
</html>
"""

FULL_PAGE = """<!DOCTYPE html>
<html lang="da">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Ungehus: ingen ledig plads</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="static/ungehus/ungehus.css">
<script src="static/ungehus/ungehus.js"></script>
</head>
<body>
<div class="notice" id="full"><div class="box">
<h1>Ungehus har ikke plads til flere lige nu</h1>
<p>Der er allerede {limit} åbne sessioner på serveren, og det er det højeste antal.
Luk en fane med Ungehus, som du ikke bruger, eller prøv igen om lidt.</p>
<p>Bliver det ved, så kontakt IT.</p>
<button type="button" class="restart">Prøv igen</button>
</div></div>
</body>
</html>
"""


def textual_static() -> Path:
    """textual-serve's shipped static folder (textual.js, xterm.css, the Roboto Mono fonts)."""
    return Path(str(resources.files("textual_serve") / "static"))


def own_static() -> Path:
    return Path(str(resources.files("ungehus_tui.serve") / "static"))


def session_command() -> str:
    """The shell command textual-serve runs for one tab: this Python, `serve-session`; `exec`
    so the process the server holds (and stops) is the app itself, not a shell."""
    return "exec " + shlex.join([sys.executable, "-m", "ungehus_tui", "serve-session"])


def client_address(request: web.Request) -> str:
    """The browser's address. Behind a reverse proxy on this host (the peer is a loopback
    address), the last X-Forwarded-For entry, which the proxy itself added; anything that is
    not an IP address is ignored."""
    peer = request.remote or "unknown"
    try:
        loopback = ipaddress.ip_address(peer).is_loopback
    except ValueError:
        return "unknown"
    forwarded = request.headers.get("X-Forwarded-For", "")
    if loopback and forwarded:
        last = forwarded.split(",")[-1].strip()
        try:
            return str(ipaddress.ip_address(last))
        except ValueError:
            pass
    return peer


def same_site(request: web.Request) -> bool:
    """A WebSocket opened by a page from this server (or a non-browser client without an
    Origin): no other site's page may open a session in a staff member's browser."""
    origin = request.headers.get("Origin")
    if origin is None:
        return True
    host = request.host.rsplit(":", 1)[0] if not request.host.endswith("]") else request.host
    return (urlsplit(origin).hostname or "") == host.strip("[]").lower()


class ServedApp(AppService):
    """One tab's app process; the environment carries the database and the browser's
    address (never on the command line, where `ps` would show a database password)."""

    def __init__(self, *args: Any, env: dict[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.extra_env = env

    def _build_environment(self, width: int = 80, height: int = 24) -> dict[str, str]:
        environment = super()._build_environment(width=width, height=height)
        environment.update(self.extra_env)
        return environment

    async def stop(self) -> None:
        """Ask the app to quit; SIGTERM (the app exits cleanly on it), then SIGKILL, when it
        has not gone after a grace period each."""
        process = self._process
        try:
            await asyncio.wait_for(super().stop(), STOP_GRACE_SECONDS)
        except TimeoutError:
            pass
        if process is None:
            return
        for sig in (signal.SIGTERM, signal.SIGKILL):
            if process.returncode is not None:
                return
            try:
                await asyncio.wait_for(process.wait(), STOP_GRACE_SECONDS)
                return
            except TimeoutError:
                with contextlib.suppress(ProcessLookupError):
                    process.send_signal(sig)
        await process.wait()


@dataclass
class UngehusServer:
    """The aiohttp application of `ungehus serve`."""

    db_url: str
    max_sessions: int
    command: str = field(default_factory=session_command)
    log: Callable[[str], None] = lambda line: print(line, flush=True)
    sessions: set[ServedApp] = field(default_factory=set)
    opening: int = 0  # WebSockets accepted whose app process is starting

    def web_app(self) -> web.Application:
        app = web.Application(middlewares=[security_headers])
        app.add_routes(
            [
                web.get("/", self.index),
                web.get("/ws", self.websocket),
                web.static("/static/textual", textual_static()),
                web.static("/static/ungehus", own_static()),
            ]
        )
        app.on_shutdown.append(self.on_shutdown)
        return app

    @property
    def full(self) -> bool:
        return len(self.sessions) + self.opening >= self.max_sessions

    async def index(self, request: web.Request) -> web.Response:
        if self.full:
            return web.Response(
                text=FULL_PAGE.format(limit=self.max_sessions),
                status=503,
                content_type="text/html",
                headers={"Retry-After": "30"},
            )
        font_size = request.query.get("fontsize", "16")
        size = int(font_size) if font_size.isdigit() and 8 <= int(font_size) <= 48 else 16
        return web.Response(
            text=PAGE.format(font_size=html.escape(str(size))), content_type="text/html"
        )

    async def websocket(self, request: web.Request) -> web.StreamResponse:
        if not same_site(request):
            raise web.HTTPForbidden(text="Forbidden")
        if self.full:
            raise web.HTTPServiceUnavailable(text="Ungehus har ikke plads til flere lige nu")
        client = client_address(request)
        width = _int(request.query.get("width"), 80)
        height = _int(request.query.get("height"), 24)
        websocket = web.WebSocketResponse(heartbeat=15)
        self.opening += 1  # the slot is taken from here on
        service: ServedApp | None = None
        try:
            await websocket.prepare(request)
            service = ServedApp(
                self.command,
                write_bytes=websocket.send_bytes,
                write_str=websocket.send_str,
                close=websocket.close,
                download_manager=DownloadManager(),
                env={"UNGEHUS_DB": self.db_url, CLIENT_ENV: client},
            )
            await service.start(width, height)
        except BaseException:
            self.opening -= 1
            raise
        self.opening -= 1
        self.sessions.add(service)
        self.log(f"{_now()} session from {client} opened ({len(self.sessions)} open)")
        try:
            await pump(websocket, service)
        finally:
            self.sessions.discard(service)
            await service.stop()
            self.log(f"{_now()} session from {client} closed ({len(self.sessions)} open)")
        return websocket

    async def on_shutdown(self, app: web.Application) -> None:
        await asyncio.gather(*(s.stop() for s in list(self.sessions)), return_exceptions=True)


async def pump(websocket: web.WebSocketResponse, service: AppService) -> None:
    """The browser's keys, mouse and size to the app process (textual-serve's protocol);
    downloads and anything else are ignored."""
    async for message in websocket:
        if message.type != WSMsgType.TEXT:
            continue
        try:
            envelope = message.json()
        except ValueError:
            continue
        if not isinstance(envelope, list) or not envelope:
            continue
        kind, data = envelope[0], envelope[1] if len(envelope) > 1 else None
        if kind == "stdin" and isinstance(data, str):
            await service.send_bytes(data.encode("utf-8"))
        elif kind == "resize" and isinstance(data, dict):
            await service.set_terminal_size(
                _int(data.get("width"), 80), _int(data.get("height"), 24)
            )
        elif kind == "ping" and isinstance(data, str):
            await websocket.send_json(["pong", data[:32]])
        elif kind == "blur":
            await service.blur()
        elif kind == "focus":
            await service.focus()


@web.middleware
async def security_headers(
    request: web.Request, handler: Callable[[web.Request], Any]
) -> web.StreamResponse:
    try:
        response: web.StreamResponse = await handler(request)
    except web.HTTPException as exc:
        exc.headers.update(SECURITY_HEADERS)
        raise
    if not response.prepared:
        response.headers.update(SECURITY_HEADERS)
        if not request.path.startswith("/static/"):
            response.headers["Cache-Control"] = "no-store"
    return response


def _int(value: object, default: int) -> int:
    try:
        number = int(str(value))
    except ValueError:
        return default
    return number if 1 <= number <= 1000 else default


def _now() -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S")


class ServeError(Exception):
    """Serving could not start (one line for the command line)."""


async def serve(
    server: UngehusServer,
    host: str,
    port: int,
    *,
    ready: Callable[[str], None],
    stop: asyncio.Event | None = None,
) -> None:
    """Listen on host:port until SIGINT/SIGTERM (or `stop`); `ready(url)` once listening."""
    runner = web.AppRunner(server.web_app(), handle_signals=False, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, host, port, shutdown_timeout=STOP_GRACE_SECONDS)
    try:
        await site.start()
    except OSError as exc:
        await runner.cleanup()
        raise ServeError(_listen_error(host, port, exc)) from None
    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        # asyncio has no signal handlers on Windows' event loop; Ctrl+C still ends it there
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(sig, stop.set)
    shown = f"[{host}]" if ":" in host else host
    ready(f"http://{shown}:{port}/")
    try:
        await stop.wait()
    finally:
        await runner.cleanup()


def _listen_error(host: str, port: int, exc: OSError) -> str:
    import errno

    if exc.errno == errno.EADDRINUSE:
        return f"Port {port} on {host} is already in use (another program listens there)"
    if exc.errno == errno.EACCES:
        return f"Not allowed to listen on port {port} (ports below 1024 need privileges)"
    if exc.errno == errno.EADDRNOTAVAIL:
        return f"{host} is not an address of this machine"
    return f"Cannot listen on {host}:{port}: {exc.strerror or type(exc).__name__}"
