"""Two probes started as separate processes by bench_startup.py: each builds its app and
exits as soon as the first interactive screen is ready.

  python startup_probes.py bare          a bare Textual app with a header and a footer
  python startup_probes.py bip DATA_DIR  bip-talk as the CLI starts it (``cli.main``)
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
    """As a user starts it: ``bip-talk`` through the command line's ``main`` (its
    imports, settings and checks, in their order), the app headless, the database opened
    beside the first screen."""
    import os

    os.environ["BIP_TALK_DATA_DIR"] = data_dir
    os.environ["BIP_TALK_FORCE_TUI"] = "1"  # no terminal here; headless below
    # The app's module is patched as it is imported, where the command line imports it,
    # so every import happens in the order (and under the settings) of a real start.
    sys.meta_path.insert(0, _PatchOnImport("bip_talk.ui.app", _headless_probe))
    from bip_talk.cli import main

    main([])


def _headless_probe(ui_app) -> None:  # type: ignore[no-untyped-def]
    class Probe(ui_app.BipTalkApp):
        def on_ready(self) -> None:
            # No super(): Textual calls the app's own on_ready after this one (a handler
            # of every class in the MRO), which opens the database beside the screen.
            self.call_after_refresh(_ready, self)

        def run(self, *args, **kwargs):  # type: ignore[no-untyped-def]
            return super().run(*args, **{**kwargs, "headless": True})

    ui_app.make_app = lambda workstation, demo=False: Probe(workstation, demo=demo)


class _PatchOnImport:
    """A meta path finder that runs ``patch(module)`` right after ``name`` is loaded."""

    def __init__(self, name: str, patch) -> None:  # type: ignore[no-untyped-def]
        self.name, self.patch = name, patch

    def find_spec(self, name, path, target=None):  # type: ignore[no-untyped-def]
        if name != self.name:
            return None
        import importlib.util

        sys.meta_path.remove(self)
        spec = importlib.util.find_spec(name)
        assert spec is not None and spec.loader is not None
        load = spec.loader.exec_module

        def exec_module(module) -> None:  # type: ignore[no-untyped-def]
            load(module)
            self.patch(module)

        spec.loader.exec_module = exec_module  # type: ignore[method-assign]
        return spec


if __name__ == "__main__":
    if sys.argv[1] == "bare":
        bare()
    else:
        bip(sys.argv[2])
