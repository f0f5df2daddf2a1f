"""Which host names and origins the server accepts, from --host and --public-url: the
address behind a TLS proxy, or loopback for a demo (the HTTP side is tested against a
running server in tests/e2e/test_serve_http.py)."""

from __future__ import annotations

import pytest

from bip_talk.i18n import Translator
from bip_talk.ui.serve import BipTalkServer, is_loopback


def _server(host: str, port: int, public_url: str | None) -> BipTalkServer:
    return BipTalkServer(
        "true", host=host, port=port, public_url=public_url, max_sessions=5, t=Translator()
    )


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("127.1.2.3", True),
        ("localhost", True),
        ("::1", True),
        ("[::1]", True),
        ("0.0.0.0", False),
        ("10.0.0.5", False),
        ("bip.kommune.dk", False),
    ],
)
def test_loopback(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback


def test_behind_a_tls_proxy_only_the_public_address_is_accepted() -> None:
    server = _server("127.0.0.1", 8000, "https://bip.kommune.dk/")
    assert server.websocket_url == "wss://bip.kommune.dk/ws"
    assert "https://bip.kommune.dk" in server.allowed_origins
    assert "http://bip.kommune.dk" not in server.allowed_origins
    assert {"bip.kommune.dk", "127.0.0.1:8000"} <= server.allowed_hosts
    assert "evil.example" not in server.allowed_hosts


def test_on_another_host_loopback_names_are_not_accepted() -> None:
    server = _server("10.0.0.5", 8000, "https://bip.kommune.dk:8443")
    assert server.allowed_hosts == {"bip.kommune.dk:8443"}
    assert server.allowed_origins == {"https://bip.kommune.dk:8443"}


def test_loopback_without_a_public_url() -> None:
    server = _server("127.0.0.1", 8123, None)
    assert server.websocket_url == "ws://127.0.0.1:8123/ws"
    assert server.allowed_origins == {
        "http://127.0.0.1:8123",
        "http://localhost:8123",
        "http://[::1]:8123",
    }
