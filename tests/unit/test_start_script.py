"""``scripts/start`` installs only when something it depends on changed (a stamp of
pyproject.toml and the Python version in .venv), then starts the app with the arguments.
Run in a copy of the script with stand-ins for python3, pip and the app, so the test is
quick and touches nothing real."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def _script(path: Path, body: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("#!/usr/bin/env bash\n" + body)
    path.chmod(path.stat().st_mode | stat.S_IXUSR)


def _world(tmp: Path) -> tuple[Path, Path, dict[str, str]]:
    root = tmp / "checkout"
    (root / "scripts").mkdir(parents=True)
    shutil.copy(REPO / "scripts" / "start", root / "scripts" / "start")
    (root / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    log = tmp / "log"
    bin_dir = tmp / "bin"
    # python3: "-m venv .venv" makes the stand-in venv; "-c" prints a version.
    _script(
        bin_dir / "python3",
        f"""if [[ "$1" == "-m" && "$2" == "venv" ]]; then
  echo venv >> {log}
  mkdir -p .venv/bin
  printf '#!/usr/bin/env bash\\necho "$2" >> {log}\\n' > .venv/bin/python
  printf '#!/usr/bin/env bash\\necho "app $*" >> {log}\\n' > .venv/bin/bip-talk
  chmod +x .venv/bin/python .venv/bin/bip-talk
else
  echo "3.11.9"
fi
""",
    )
    env = {**os.environ, "PATH": f"{bin_dir}:{os.environ['PATH']}"}
    return root, log, env


def _start(root: Path, env: dict[str, str], *args: str) -> None:
    subprocess.run(["bash", str(root / "scripts" / "start"), *args], check=True, env=env, cwd="/")


def test_start_installs_once_and_again_only_when_pyproject_changes(tmp_path):
    root, log, env = _world(tmp_path)
    _start(root, env, "demo")
    # Installed, compiled to bytecode (fast starts without PYTHONDONTWRITEBYTECODE's
    # cost), started.
    assert log.read_text().split("\n")[:4] == ["venv", "pip", "compileall", "app demo"]
    log.write_text("")
    _start(root, env, "--lang", "en")
    assert log.read_text() == "app --lang en\n"  # nothing changed: straight to the app
    (root / "pyproject.toml").write_text("[project]\nname = 'x'\nversion = '2'\n")
    log.write_text("")
    _start(root, env)
    assert log.read_text().split("\n")[:3] == ["venv", "pip", "compileall"]
    # A lost app script (a broken venv) installs again too.
    (root / ".venv" / "bin" / "bip-talk").unlink()
    log.write_text("")
    _start(root, env)
    assert log.read_text().startswith("venv\npip\ncompileall\n")
