"""Start-up to the first interactive screen: bip-talk vs a bare Textual app with a
header and footer, each in a fresh process, interleaved. Target: ratio ≤ 1.5.

    .venv/bin/python benchmarks/bench_startup.py [--rounds 10]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import interleaved, python, report, subprocess_seconds  # noqa: E402

PROBES = str(Path(__file__).resolve().parent / "startup_probes.py")
TARGET = 1.5


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=10)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        data.mkdir(mode=0o700)
        (data / "settings.toml").write_text('caseworker_name = "Bench"\ncaseworker_initials = "BE"\n')
        env = {**os.environ, "BIP_TALK_DATA_DIR": str(data)}
        env.pop("BIP_TALK_DB", None)
        cand, base = interleaved(
            lambda: subprocess_seconds([python(), PROBES, "bip", str(data)], env),
            lambda: subprocess_seconds([python(), PROBES, "bare"], env),
            rounds=args.rounds,
        )
    ok = report("start-up to first screen", cand, base, TARGET)
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
