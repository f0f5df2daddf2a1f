"""Only ``bip_talk.ui`` may import textual.

Every other module is imported in a fresh interpreter where textual is blocked: a
module that pulls it in (directly or through another module) fails to import and is
named. Because the block stops textual from ever loading, one interpreter checks
every module independently. The headless CLI paths are checked the same way.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import bip_talk

PACKAGE = Path(bip_talk.__file__).parent

_BLOCK = textwrap.dedent("""
    import importlib, json, sys

    class BlockTextual:
        def find_spec(self, name, path=None, target=None):
            if name == "textual" or name.startswith("textual."):
                raise ImportError("BLOCKED: textual imported outside bip_talk.ui")
            return None

    sys.meta_path.insert(0, BlockTextual())
""")


def non_ui_modules() -> list[str]:
    """Module names from the files on disk (walking the package would import it)."""
    names = []
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        name = ".".join(parts)
        if name == "bip_talk.__main__" or name == "bip_talk.ui" or name.startswith("bip_talk.ui."):
            continue
        names.append(name)
    return names


def _run(script: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", _BLOCK + script],
        capture_output=True,
        text=True,
        timeout=120,
        cwd="/tmp",
    )


def test_the_walk_finds_the_layers() -> None:
    names = non_ui_modules()
    for expected in (
        "bip_talk.cli",
        "bip_talk.domain.change",
        "bip_talk.store.repository",
        "bip_talk.services.workstation",
    ):
        assert expected in names
    assert not any(n.startswith("bip_talk.ui") for n in names)


def test_no_module_outside_ui_imports_textual() -> None:
    script = textwrap.dedent(f"""
        failed = {{}}
        for name in {non_ui_modules()!r}:
            try:
                importlib.import_module(name)
            except ImportError as exc:
                failed[name] = str(exc)
        print(json.dumps({{"failed": failed, "textual": "textual" in sys.modules}}))
    """)
    result = _run(script)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])
    via_textual = sorted(n for n, msg in report["failed"].items() if "BLOCKED" in msg)
    assert via_textual == [], "these modules import textual (only bip_talk.ui may)"
    assert report["failed"] == {}, "these modules do not import at all"
    assert report["textual"] is False


def test_headless_commands_do_not_load_textual() -> None:
    """`--help`, `--version` and `validate` run without the UI (fast, no terminal needed)."""
    script = textwrap.dedent("""
        from bip_talk.cli import main
        codes = []
        for argv in (["--help"], ["--version"], ["validate"], ["validate", "--help"]):
            try:
                main(argv)
            except SystemExit as exc:
                codes.append(exc.code)
        print(json.dumps({"codes": codes, "textual": "textual" in sys.modules}))
    """)
    result = _run(script)
    assert "BLOCKED" not in result.stdout + result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report == {"codes": [0, 0, 0, 0], "textual": False}


def test_the_first_screen_needs_no_templates_and_no_pydantic() -> None:
    """Start-up is a target (issue 18: ≤ 1.3× a bare Textual app): the app and its first
    screen must not pull in jinja2 or pydantic (the meeting's helpers load them later;
    ui/ahead.py once imported ui/warm.py, and with it jinja2, at start-up: +25 ms)."""
    script = textwrap.dedent("""
        import json, sys
        import bip_talk.ui.app
        import bip_talk.ui.screens.citizens
        import bip_talk.ui.screens.sign_in
        print(json.dumps(sorted(m for m in ("jinja2", "pydantic") if m in sys.modules)))
    """)
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, cwd="/tmp"
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == []
