"""System programs the end-to-end tests drive, and the one rule for when one is missing.

A test that needs a program says so with ``@requires_tool("tmux")``. Where the program
is missing the test is skipped with the reason and the install command – except under
``CI=true``, where it fails: CI (``.ci/run``) installs every program, so a missing one
there is a broken machine, and end-to-end tests must not vanish from a green run.
"""

from __future__ import annotations

import os
import shutil

import pytest

# name -> (candidates on PATH, Debian package)
TOOLS = {
    "tmux": (("tmux",), "tmux"),
    "chromium": (("/usr/bin/chromium", "chromium", "chromium-browser"), "chromium"),
}


def requires_tool(name: str) -> pytest.MarkDecorator:
    assert name in TOOLS, name
    return pytest.mark.requires_tool(name)


def find_tool(name: str) -> str | None:
    for candidate in TOOLS[name][0]:
        found = shutil.which(candidate)
        if found:
            return found
    return None


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"true", "1", "yes"}


def check_tools(item: pytest.Item) -> None:
    """Called before each test (tests/conftest.py): skip, or under CI fail."""
    for marker in item.iter_markers("requires_tool"):
        name = marker.args[0]
        if find_tool(name) is None:
            why = f"{name} is not installed (Debian: apt-get install {TOOLS[name][1]})"
            if in_ci():
                pytest.fail(
                    f"CI=true: {why} – .ci/run installs it; the end-to-end test must run, not skip",
                    pytrace=False,
                )
            pytest.skip(why)
