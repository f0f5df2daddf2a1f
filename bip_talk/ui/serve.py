"""``bip-talk serve``: the app in a browser through textual-serve, one app process per
browser tab (each runs ``bip-talk serve-session``, which starts at the login screen).

textual-serve's ``Server`` is kept for what it does well (spawning the process per
websocket, relaying its terminal stream). Around it this adds what a public authority's
server needs and textual-serve does not have (1.1.3):

- its own page, whose fonts, styles and scripts all come from this server (the stock
  page links Google Fonts), with a Content-Security-Policy that allows nothing else;
- a Host check on every request (a DNS-rebinding page cannot talk to a loopback
  server) and an Origin check on the websocket (another site open in the same browser
  cannot start a session: textual-serve accepts any origin);
- a cap on simultaneous sessions (each is a Python process);
- no file-download route, no folder listings, no logo or tracebacks with local
  variables in the server's log.
"""

from __future__ import annotations

import ipaddress
import logging
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jinja2
import textual_serve
from aiohttp import web
from textual_serve.server import Server

from bip_talk.i18n import Translator

WEB = Path(__file__).parent / "web"
TEXTUAL_STATIC = Path(textual_serve.__file__).parent / "static"  # textual.js, xterm.css
log = logging.getLogger("bip-talk-serve")

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _netloc(host: str, port: int) -> str:
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"
    return f"{host}:{port}"


class BipTalkServer(Server):
    def __init__(
        self,
        command: str,
        *,
        host: str,
        port: int,
        public_url: str | None,
        max_sessions: int,
        t: Translator,
    ) -> None:
        super().__init__(command, host=host, port=port, public_url=public_url)
        self.public_url = self.public_url.rstrip("/")
        self.t = t
        self.max_sessions = max_sessions
        self.sessions = 0
        public = urlsplit(self.public_url)
        self.allowed_hosts = {public.netloc.lower()}
        self.allowed_origins = {f"{public.scheme}://{public.netloc}".lower()}
        if is_loopback(host):
            for name in ("127.0.0.1", "localhost", "[::1]"):
                self.allowed_hosts.add(f"{name}:{port}")
                self.allowed_origins.add(f"http://{name}:{port}")
        if public.port in (None, 80, 443):  # a default port may be left out of Host
            self.allowed_hosts.add(public.hostname or "")
        scheme = "wss" if public.scheme == "https" else "ws"
        self.websocket_url = f"{scheme}://{public.netloc}/ws"
        self._page = jinja2.Environment(
            loader=jinja2.FileSystemLoader(WEB), autoescape=True
        ).get_template("page.html")

    # -- the web application -------------------------------------------------------------

    async def _make_app(self) -> web.Application:
        app = web.Application(middlewares=[self._guard])
        app.add_routes(
            [
                web.get("/", self.handle_index, name="index"),
                web.get("/ws", self.handle_websocket, name="websocket"),
                web.static("/static", TEXTUAL_STATIC, show_index=False, name="static"),
                web.static("/assets", WEB / "static", show_index=False, name="assets"),
            ]
        )
        app.on_startup.append(self.on_startup)
        return app

    @web.middleware
    async def _guard(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        host = request.headers.get("Host", "").lower()
        if host not in self.allowed_hosts:
            log.warning("refused: Host %r is not this server's", host[:100])
            return web.Response(status=421, text=self.t("serve.wrong_host"))
        if request.path == "/ws":
            origin = request.headers.get("Origin", "").lower()
            if origin not in self.allowed_origins:
                log.warning("refused: websocket from origin %r", origin[:100])
                return web.Response(status=403, text=self.t("serve.wrong_origin"))
            if self.sessions >= self.max_sessions:
                log.warning("refused: %d sessions are running", self.sessions)
                return web.Response(status=503, text=self.t("serve.full"))
        response = await handler(request)
        self._headers(response)
        return response

    def _headers(self, response: web.StreamResponse) -> None:
        if response.prepared:  # the websocket: its headers went out with the upgrade
            return
        response.headers["Content-Security-Policy"] = (
            "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
            f"font-src 'self'; img-src 'self' data:; connect-src 'self' {self.websocket_url}; "
            "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
        )
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["Cross-Origin-Opener-Policy"] = "same-origin"
        response.headers["Cross-Origin-Resource-Policy"] = "same-origin"
        response.headers["Cache-Control"] = "no-store"

    async def handle_index(self, request: web.Request) -> web.Response:
        t = self.t
        try:
            font_size = max(8, min(40, int(request.query.get("fontsize", "16"))))
        except ValueError:
            font_size = 16
        html = self._page.render(
            lang=t.lang,
            title=t("serve.page_title"),
            starting=t("serve.page_starting"),
            start=t("serve.page_start"),
            ended=t("serve.page_ended"),
            restart=t("serve.page_restart"),
            textual_static="/static/",
            assets="/assets/",
            websocket_url=self.websocket_url,
            font_size=font_size,
        )
        return web.Response(text=html, content_type="text/html", charset="utf-8")

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        self.sessions += 1
        try:
            return await super().handle_websocket(request)
        finally:
            self.sessions -= 1

    # -- start-up and logging ------------------------------------------------------------

    def initialize_logging(self) -> None:
        # Plain lines; never Rich tracebacks with local variables.
        logging.basicConfig(level="INFO", format="%(asctime)s %(name)s %(message)s")

    async def on_startup(self, app: web.Application) -> None:
        print(self.t("serve.listening", url=self.public_url), flush=True)


def serve(
    command: str,
    *,
    host: str,
    port: int,
    public_url: str | None,
    max_sessions: int,
    t: Translator,
    **_: Any,
) -> None:
    BipTalkServer(
        command, host=host, port=port, public_url=public_url, max_sessions=max_sessions, t=t
    ).serve()
