"""What `bip-talk serve` answers over HTTP, the checks textual-serve (1.1.3) does not
make: a request for another host name is refused (DNS rebinding), a websocket from
another origin is refused (another site open in the same browser cannot start a
session), the number of sessions is capped, and every page carries a strict CSP."""

from __future__ import annotations

import http.client
import socket
import time
from pathlib import Path

import pytest

from tests.e2e.serve_support import Served, serving

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory):
    with serving(tmp_path_factory.mktemp("http"), "--max-sessions", "1") as served:
        yield served


def _get(server: Served, path: str, host: str | None = None) -> http.client.HTTPResponse:
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    conn.putrequest("GET", path, skip_host=True)
    conn.putheader("Host", host or f"127.0.0.1:{server.port}")
    conn.endheaders()
    response = conn.getresponse()
    response.read()
    conn.close()
    return response


def _websocket(server: Served, origin: str | None) -> tuple[int, socket.socket]:
    """The websocket handshake; the status and the open socket (a 101 is a session)."""
    sock = socket.create_connection(("127.0.0.1", server.port), timeout=10)
    lines = [
        "GET /ws?width=80&height=24 HTTP/1.1",
        f"Host: 127.0.0.1:{server.port}",
        "Upgrade: websocket",
        "Connection: Upgrade",
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==",
        "Sec-WebSocket-Version: 13",
    ]
    if origin is not None:
        lines.append(f"Origin: {origin}")
    sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
    status = int(sock.recv(4096).split(b" ", 2)[1])
    return status, sock


def test_the_page_and_its_headers(server: Served) -> None:
    page = _get(server, "/")
    assert page.status == 200
    csp = page.headers["Content-Security-Policy"]
    assert "default-src 'none'" in csp and "script-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp and "font-src 'self'" in csp
    assert page.headers["X-Frame-Options"] == "DENY"
    assert page.headers["Referrer-Policy"] == "no-referrer"
    assert page.headers["Cache-Control"] == "no-store"
    for name in ("localhost", "127.0.0.1"):
        assert _get(server, "/", host=f"{name}:{server.port}").status == 200


def test_another_host_name_is_refused(server: Served) -> None:
    for host in ("evil.example", f"evil.example:{server.port}", "127.0.0.1:1"):
        assert _get(server, "/", host=host).status == 421, host
        assert _get(server, "/static/js/textual.js", host=host).status == 421


def test_no_downloads_and_no_folder_listings(server: Served) -> None:
    assert _get(server, "/download/anything").status == 404
    for folder in ("/static/", "/static/js/", "/assets/", "/assets/fonts/"):
        assert _get(server, folder).status in (403, 404), folder
    assert _get(server, "/assets/fonts/LICENSE-RobotoMono.txt").status == 200


def test_a_websocket_from_another_origin_is_refused(server: Served) -> None:
    for origin in (None, "http://evil.example", f"http://evil.example:{server.port}", "null"):
        status, sock = _websocket(server, origin)
        sock.close()
        assert status == 403, origin


def test_sessions_are_capped(server: Served) -> None:
    own = f"http://127.0.0.1:{server.port}"
    status, first = _websocket(server, own)
    assert status == 101  # a session: its own app process
    try:
        status, second = _websocket(server, own)
        second.close()
        assert status == 503
    finally:
        first.close()
    deadline = time.monotonic() + 20  # the first session ends with its socket
    while True:
        status, again = _websocket(server, f"http://localhost:{server.port}")
        again.close()
        if status == 101 or time.monotonic() > deadline:
            break
        time.sleep(0.3)
    assert status == 101


def test_the_page_names_no_other_host(server: Served, tmp_path: Path) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    conn.request("GET", "/")
    html = conn.getresponse().read().decode()
    conn.close()
    assert "googleapis" not in html and "https://" not in html
    assert "http://" not in html.replace(f'ws://127.0.0.1:{server.port}/ws"', "")
    assert 'data-session-websocket-url="ws://127.0.0.1:' in html
    assert '<html lang="da">' in html and "Sessionen er slut." in html
