"""`ungehus serve` in a real browser: Debian's Chromium, driven by Playwright.

Few and quick (each starts a server, a browser and an app process per tab); marked
`browser` and in one xdist group (`--dist loadgroup` keeps them on one worker)."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def test_the_page_requests_nothing_from_elsewhere(served, open_tab) -> None:  # type: ignore[no-untyped-def]
    """Every request the page makes (page, script, style sheets, fonts, the WebSocket) goes
    to the server's own origin, the sign-in is drawn and takes keys, and the browser reports
    no Content-Security-Policy violation (nothing was blocked either)."""
    server = served()
    tab = open_tab(server.url)
    tab.sign_in("rec.1", "not-the-password")
    tab.wait_for("Forkert brugernavn")
    origin = urlsplit(server.url)
    assert len(tab.requests) >= 5 and tab.websockets
    for url in [*tab.requests, *tab.websockets]:
        parts = urlsplit(url)
        assert parts.scheme in ("http", "ws") and parts.netloc == origin.netloc, url
    assert any(u.endswith(".ttf") for u in tab.requests), "the font comes from the server"
    assert not [m for m in tab.console if "Content Security Policy" in m], tab.console
    fonts = tab.page.evaluate("document.fonts.check('16px \"Roboto Mono\"')")
    assert fonts is True
