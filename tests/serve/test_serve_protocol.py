"""`ungehus serve` without a browser (aiohttp as the client): the security headers, the
session limit with its Danish page, WebSockets from other sites refused, and the audit log's
channel `serve` with the browser's address on events from a served sign-in."""

from __future__ import annotations

import asyncio
import re
import time
from pathlib import Path

import aiohttp
from sqlmodel import col, select

from tests.serve.conftest import PASSWORD, focus_moved, screen_text
from ungehus_tui.data.engine import read_session
from ungehus_tui.data.models import AuditEvent


async def _until_drawn(
    ws: aiohttp.ClientWebSocketResponse, needle: str, frames: list[bytes], since: int = 0
) -> None:
    """Read frames until the app has drawn `needle` after frame `since`."""
    deadline = time.monotonic() + 60
    while needle not in screen_text(frames[since:]):
        assert time.monotonic() < deadline, screen_text(frames)[-2000:]
        message = await ws.receive(timeout=60)
        if message.type == aiohttp.WSMsgType.BINARY:
            frames.append(message.data)
        elif message.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED):
            raise AssertionError(f"session closed: {screen_text(frames)[-2000:]}")


async def _sign_in(
    ws: aiohttp.ClientWebSocketResponse, frames: list[bytes], login: str, password: str
) -> None:
    """The sign-in drawn whole; login, Tab; once the focus has moved (one frame drawing the
    password field again without the whole screen; keys sent before that go to the login
    field's queue), password and Enter."""
    await _until_drawn(ws, "Adgangskode", frames)
    await ws.send_json(["stdin", login])
    mark = len(frames)
    await ws.send_json(["stdin", "\t"])
    deadline = time.monotonic() + 60
    while not any(focus_moved(f) for f in frames[mark:]):
        assert time.monotonic() < deadline, "the focus never reached the password field"
        message = await ws.receive(timeout=60)
        if message.type == aiohttp.WSMsgType.BINARY:
            frames.append(message.data)
    await ws.send_json(["stdin", f"{password}\r"])


async def test_page_headers_and_nothing_from_elsewhere(served) -> None:  # type: ignore[no-untyped-def]
    server = served()
    async with aiohttp.ClientSession() as http:
        async with http.get(server.url) as page:
            assert page.status == 200
            csp = page.headers["Content-Security-Policy"]
            html = await page.text()
        assert "default-src 'none'" in csp and "script-src 'self'" in csp
        assert "connect-src 'self'" in csp and "frame-ancestors 'none'" in csp
        assert page.headers["X-Content-Type-Options"] == "nosniff"
        links = re.findall(r'(?:src|href)="([^"]+)"', html)
        assert links and all(not re.match(r"[a-z]+:", u) or u == "data:," for u in links)
        assert "<script>" not in html and "onclick" not in html.lower()  # the CSP forbids them
        for link in links:
            if link.startswith("static/"):
                async with http.get(server.url + link) as asset:
                    assert asset.status == 200, link
                    assert "Content-Security-Policy" in asset.headers
                    body = await asset.read()
                    assert b"fonts.googleapis" not in body


async def test_session_limit_gives_a_danish_page(served) -> None:  # type: ignore[no-untyped-def]
    server = served("--max-sessions", "1")
    ws_url = server.url.replace("http", "ws") + "ws?width=100&height=30"
    async with aiohttp.ClientSession() as http:
        first = await http.ws_connect(ws_url)
        await _until_drawn(first, "Log ind", [])
        async with http.get(server.url) as full:
            assert full.status == 503
            text = await full.text()
        assert "ikke plads til flere" in text and "1 åbne sessioner" in text
        try:
            await http.ws_connect(ws_url)
            raise AssertionError("a second session opened over the limit")
        except aiohttp.WSServerHandshakeError as exc:
            assert exc.status == 503
        await first.close()
        deadline = time.monotonic() + 20
        while True:  # the slot is free again once the first app process has ended
            async with http.get(server.url) as again:
                if again.status == 200:
                    break
            assert time.monotonic() < deadline, "the slot was never freed"
            await asyncio.sleep(0.1)
    assert "session from 127.0.0.1 closed (0 open)" in server.read_until("closed (0 open)")


async def test_websocket_from_another_site_is_refused(served) -> None:  # type: ignore[no-untyped-def]
    server = served()
    ws_url = server.url.replace("http", "ws") + "ws"
    async with aiohttp.ClientSession() as http:
        try:
            await http.ws_connect(ws_url, origin="https://evil.example")
            raise AssertionError("a page of another site opened a session")
        except aiohttp.WSServerHandshakeError as exc:
            assert exc.status == 403


async def test_served_sign_in_is_audited_with_channel_and_address(served, ctx) -> None:  # type: ignore[no-untyped-def]
    server = served()
    ws_url = server.url.replace("http", "ws") + "ws?width=100&height=30"
    async with aiohttp.ClientSession() as http:
        # a reverse proxy on this host adds the browser's address to X-Forwarded-For
        headers = {"X-Forwarded-For": "not-an-ip, 198.51.100.23"}
        ws = await http.ws_connect(ws_url, headers=headers)
        frames: list[bytes] = []
        await _until_drawn(ws, "Log ind", frames)
        await _sign_in(ws, frames, "rec.2", "wrong-password")
        await _until_drawn(ws, "Forkert brugernavn", frames)
        await ws.close()
        ws = await http.ws_connect(ws_url, headers=headers)
        frames = []
        await _until_drawn(ws, "Log ind", frames)
        await _sign_in(ws, frames, "rec.1", PASSWORD)
        deadline = time.monotonic() + 60
        while True:
            with read_session(ctx.engine) as s:
                signed_in = s.exec(select(AuditEvent).where(AuditEvent.action == "SIGN_IN")).all()
            if signed_in:
                break
            assert time.monotonic() < deadline, screen_text(frames)[-3000:]
            await asyncio.sleep(0.1)
        await ws.close()
    with read_session(ctx.engine) as s:
        events = s.exec(
            select(AuditEvent)
            .where(col(AuditEvent.action).in_(["SIGN_IN", "SIGN_IN_FAILED"]))
            .order_by(col(AuditEvent.id))
        ).all()
    assert [(e.action, e.staff_login) for e in events] == [
        ("SIGN_IN_FAILED", "rec.2"),
        ("SIGN_IN", "rec.1"),
    ]
    assert {(e.channel, e.origin) for e in events} == {("serve", "198.51.100.23")}


async def test_no_app_outlives_the_server(served) -> None:  # type: ignore[no-untyped-def]
    """SIGTERM (systemd's stop) ends every open session's app process with the server."""
    import os

    server = served()
    ws_url = server.url.replace("http", "ws") + "ws?width=100&height=30"
    async with aiohttp.ClientSession() as http:
        ws = await http.ws_connect(ws_url)
        await _until_drawn(ws, "Log ind", [])
        children = Path(f"/proc/{server.process.pid}/task/{server.process.pid}/children")
        apps = [int(pid) for pid in children.read_text().split()]
        assert len(apps) == 1
        assert "serve-session" in Path(f"/proc/{apps[0]}/cmdline").read_text()
        await asyncio.to_thread(server.stop)
    deadline = time.monotonic() + 30
    while os.path.exists(f"/proc/{apps[0]}"):
        status = (
            Path(f"/proc/{apps[0]}/status").read_text()
            if os.path.exists(f"/proc/{apps[0]}")
            else ""
        )
        if "zombie" in status:
            break
        assert time.monotonic() < deadline, "the app process outlived the server"
        await asyncio.sleep(0.1)
    assert server.process.returncode == 0
