"""Two probes started as separate processes by bench_startup.py: each builds its app and
exits as soon as the first interactive screen is ready.

  python startup_probes.py bare          a bare Textual app with a header and a footer
  python startup_probes.py bip DATA_DIR  bip-talk as the CLI starts it
"""

from __future__ import annotations

import sys
import time


def _ready(app) -> None:
    """The first screen is painted and takes keys: tell the parent when, then leave."""
    print(f"READY {time.time():.6f}", flush=True)
    app.exit()


def bare() -> None:
    from textual.app import App
    from textual.widgets import Footer, Header

    class Bare(App):
        def compose(self):
            yield Header()
            yield Footer()

        def on_ready(self) -> None:
            self.call_after_refresh(_ready, self)

    Bare().run(headless=True)


def bip(data_dir: str) -> None:
    from pathlib import Path

    from bip_talk.services.workstation import Workstation
    from bip_talk.settings import Settings
    from bip_talk.ui.app import BipTalkApp

    class Probe(BipTalkApp):
        def on_ready(self) -> None:
            super().on_ready()
            self.call_after_refresh(_ready, self)

    workstation = Workstation(Settings.from_env(data_dir=Path(data_dir)))
    # As cli.run_tui: nothing opened before the app; it opens the database beside the
    # first screen.
    Probe(workstation).run(headless=True)


if __name__ == "__main__":
    if sys.argv[1] == "bare":
        bare()
    else:
        bip(sys.argv[2])
