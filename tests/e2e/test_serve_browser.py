"""The job-centre server in a real headless Chromium: `bip-talk serve --demo` on
loopback, a caseworker logs in (a wrong password first), opens a demo citizen, rates an
answer – found in the database – and the app locks after the idle time and opens again
with the password, the meeting as it was. Every request the page makes is recorded:
none leaves the server. Needs Chromium (tests/tools.py: fails under CI=true if missing).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from tests.e2e.serve_support import CHROMIUM_ARGS, Screen, serving
from tests.tools import find_tool, requires_tool

pytestmark = [pytest.mark.e2e, pytest.mark.slow, requires_tool("chromium")]

IDLE_MINUTES = 0.15  # nine seconds: the lock comes within the test's time
PASSWORD = "demo-adgangskode"  # services/synthetic/server_demo.py, printed at start


def _browser(playwright):
    return playwright.chromium.launch(executable_path=find_tool("chromium"), args=CHROMIUM_ARGS)


class Recorder:
    """Every request of the page, and a stop for any to another host (there is no
    network here anyway; the record is what the test checks)."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.requests: list[str] = []
        self.outside: list[str] = []

    def attach(self, context) -> None:
        context.on("request", lambda request: self.requests.append(request.url))
        context.route("**/*", self._route)

    def _route(self, route) -> None:
        url = route.request.url
        if url.startswith(self.base + "/") or url == self.base:
            route.continue_()
        else:
            self.outside.append(url)
            route.abort()


def test_log_in_rate_an_answer_and_lock_in_chromium(tmp_path: Path) -> None:
    with serving(tmp_path, idle_minutes=IDLE_MINUTES) as server, sync_playwright() as pw:
        browser = _browser(pw)
        context = browser.new_context(viewport={"width": 1280, "height": 820})
        recorder = Recorder(server.url)
        recorder.attach(context)
        page = context.new_page()
        screen = Screen()
        page.on("websocket", screen.attach)
        page.goto(server.url + "/")
        screen.wait_for(page, "Log ind med dine")
        page.click("#terminal")

        # A wrong password is refused.
        page.keyboard.type("LMD")
        page.keyboard.press("Enter")
        page.keyboard.type("forkert-kode")
        page.keyboard.press("Enter")
        screen.wait_for(page, "Forkerte initialer eller adgangskode.")
        page.keyboard.type(PASSWORD)  # the cursor waits in the password field
        page.keyboard.press("Enter")
        shown = screen.wait_for(page, "Logget ind som Lise M. Demobæk (LMD)")

        # A demo citizen, a meeting, one answer.
        page.keyboard.type("Faldborg")
        screen.wait_for(page, "Jonas Faldborg")
        page.keyboard.press("Enter")
        screen.wait_for(page, "Afsluttede samtaler")
        page.keyboard.press("m")
        screen.wait_for(page, "Åbning – Jonas Faldborg")  # last time's actions first
        page.keyboard.press("Enter")
        screen.wait_for(page, "Emne 1 af")
        page.keyboard.press("4")  # the citizen's side is first
        screen.wait_for(page, "● 4  Passer godt")

        conn = sqlite3.connect(f"file:{server.database}?mode=ro", uri=True)
        try:
            rows = conn.execute(
                "SELECT a.value, w.initials, m.status FROM answers a "
                "JOIN meetings m ON m.id = a.meeting_id "
                "JOIN citizens c ON c.id = m.citizen_id "
                "JOIN caseworkers w ON w.id = a.answered_by "
                "WHERE c.display_name = 'Jonas Faldborg' AND m.status = 'draft'"
            ).fetchall()
            web_views = conn.execute(
                "SELECT count(*) FROM access_log WHERE channel = 'web' AND initials = 'LMD' "
                "AND purpose IN ('overview', 'meeting')"
            ).fetchone()[0]
        finally:
            conn.close()
        assert (4, "LMD", "draft") in rows
        assert web_views >= 2

        # Idle: the lock hides everything; the password opens the meeting as it was.
        shown = screen.wait_for(page, "Skærmen er låst", timeout=IDLE_MINUTES * 60 + 10)
        assert "Jonas" not in shown and "Emne 1" not in shown
        page.keyboard.type(PASSWORD)
        page.keyboard.press("Enter")
        shown = screen.wait_for(page, "Emne 1 af")
        assert "● 4  Passer godt" in shown and "Venter på svar fra: Sagsbehandler" in shown
        browser.close()

    assert recorder.outside == []
    assert recorder.requests and all(u.startswith(server.url + "/") for u in recorder.requests)
    assert any(u.endswith(".woff2") for u in recorder.requests)  # the shipped font is used
    assert screen.websockets == [
        w for w in screen.websockets if w.startswith(f"ws://127.0.0.1:{server.port}/ws?")
    ]


def test_the_served_page_requests_nothing_outside_the_server(tmp_path: Path) -> None:
    """bip-talk's page against textual-serve's stock page, same recorder: the stock one
    asks Google Fonts for its font (so the check can fail); ours asks this server only,
    and the font it draws with is the one shipped in the package."""
    from textual_serve.server import Server

    from tests.e2e.serve_support import free_port

    with serving(tmp_path) as server, sync_playwright() as pw:
        browser = _browser(pw)
        ours = Recorder(server.url)
        context = browser.new_context()
        ours.attach(context)
        page = context.new_page()
        screen = Screen()
        page.on("websocket", screen.attach)
        page.goto(server.url + "/")
        screen.wait_for(page, "Log ind med dine")
        page.wait_for_timeout(300)
        font_ready = page.evaluate("document.fonts.check('16px \"Roboto Mono\"')")
        csp = page.evaluate("document.querySelectorAll('script[src^=\"http\"]').length")
        context.close()

        import threading

        port = free_port()
        stock = Server("true", host="127.0.0.1", port=port)  # the page only; no session
        threading.Thread(target=_serve_quietly, args=(stock,), daemon=True).start()
        theirs = Recorder(f"http://127.0.0.1:{port}")
        context = browser.new_context()
        theirs.attach(context)
        page = context.new_page()
        for _ in range(50):
            try:
                page.goto(f"http://127.0.0.1:{port}/")
                break
            except Exception:  # noqa: BLE001 – the stock server is still starting
                page.wait_for_timeout(100)
        page.wait_for_timeout(500)
        browser.close()

    assert ours.outside == [] and ours.requests
    assert font_ready and csp == 0
    assert any("fonts.googleapis.com" in u for u in theirs.outside)  # the check can fail


def _serve_quietly(server) -> None:
    import asyncio

    from aiohttp import web

    asyncio.set_event_loop(asyncio.new_event_loop())
    web.run_app(server._make_app(), host="127.0.0.1", port=server.port, print=None,
                handle_signals=False)  # fmt: skip
