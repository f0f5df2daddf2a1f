"""CPU time per recorded answer in the running meeting screen, against a bare two-pane
Textual app that only updates two text panes and a progress bar on each key.

Process time over N key presses through Pilot, minus the process time of the same
number of idle Pilot pauses (Pilot's own waiting is not the app's work). Each press
rates the active side with a value different from before, so every press is a real
database write with its audit row. Target: ratio ≤ 1.2.

    .venv/bin/python benchmarks/bench_answer.py [--presses 100] [--rounds 5]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from textual.app import App, ComposeResult  # noqa: E402
from textual.containers import Horizontal  # noqa: E402
from textual.widgets import ProgressBar, Static  # noqa: E402

from benchmarks.common import interleaved, report, row  # noqa: E402

TARGET = 1.2


class BarePanes(App):
    """The baseline: two text panes and a progress bar, updated on every digit."""

    def compose(self) -> ComposeResult:
        with Horizontal():
            yield Static(id="left")
            yield Static(id="right")
        yield ProgressBar(total=100, id="bar")

    def on_key(self, event) -> None:
        if event.character and event.character.isdigit():
            n = int(event.character)
            self.query_one("#left", Static).update(f"citizen answered {n}")
            self.query_one("#right", Static).update(f"caseworker answered {n}")
            self.query_one(ProgressBar).advance(1)


async def _measure(app: App, presses: int, before=None) -> float:
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        if before:
            await before(pilot)
        keys = ["2", "3"] * (presses // 2)
        start = time.process_time()
        for key in keys:
            await pilot.press(key)
        busy = time.process_time() - start
        start = time.process_time()
        for _ in keys:
            await pilot.pause()
        idle = time.process_time() - start
    return (busy - idle) / len(keys)


def bip_round(presses: int) -> float:
    from bip_talk.services.workstation import Workstation
    from bip_talk.settings import Preferences, Settings
    from bip_talk.ui.app import make_app

    with tempfile.TemporaryDirectory() as tmp:
        ws = Workstation(
            Settings(data_dir=Path(tmp), db_path=Path(tmp) / "b.db"),
            Preferences(caseworker_name="Bench", caseworker_initials="BE"),
        )
        citizen = ws.open(sign_in=True).create_citizen("Bench Borger")
        app = make_app(ws)

        async def before(pilot) -> None:
            app.open_meeting(citizen.id)
            await pilot.pause()
            await pilot.press("enter")  # past the opening to the questions
            await pilot.pause()
            assert type(app.screen).__name__ == "MeetingScreen"
            app.screen.session.blind_rating = False

        try:
            return asyncio.run(_measure(app, presses, before))
        finally:
            ws.close()


def bare_round(presses: int) -> float:
    return asyncio.run(_measure(BarePanes(), presses))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--presses", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args(argv)
    cand, base = interleaved(
        lambda: bip_round(args.presses), lambda: bare_round(args.presses), rounds=args.rounds
    )
    ok = report("CPU per answer", cand, base, TARGET)
    c, b = statistics.median(cand) * 1000, statistics.median(base) * 1000
    ratio = c / b if b > 0 else None
    row(
        "3. CPU per answer ≤ 1.2× a bare two-pane app",
        f"{c:.1f} ms",
        f"{b:.1f} ms (bare)",
        ratio,
        ok,
    )
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
