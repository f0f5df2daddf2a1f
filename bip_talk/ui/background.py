"""Slow work started from a screen (saving reports, exports) runs in a worker thread so
the meeting stays responsive: a notification says it started, another where it ended
up; an error is a message to the user, never a crash."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any, TypeVar

from textual.app import App
from textual.worker import Worker, WorkerState

from bip_talk.errors import BipTalkError
from bip_talk.i18n import Translator
from bip_talk.ui.text import safe_text

T = TypeVar("T")

RUNNING = (WorkerState.PENDING, WorkerState.RUNNING)
DONE_TIMEOUT = 12  # seconds: long enough to read a path


def in_background(
    app: App[Any],
    t: Translator,
    work: Callable[[], T],
    *,
    group: str,
    busy: str | None,
    still_busy: str | None,
    done: Callable[[T], str],
    failed: Callable[[str], str],
) -> Worker[None] | None:
    """Run ``work`` in a thread worker of ``app`` (so leaving the screen does not cancel
    it); one at a time per ``group``. ``busy`` is said when it starts (None: quick work,
    nothing to say). ``done`` runs on the UI thread with the result (it may copy to the
    clipboard, say) and gives the closing message; ``failed`` gives the message for an
    error."""
    if any(w.group == group and w.state in RUNNING for w in app.workers):
        if still_busy:
            app.notify(still_busy)
        return None
    debug = bool(os.environ.get("BIP_TALK_DEBUG"))

    def run() -> None:
        try:
            result = work()
        except BipTalkError as exc:
            app.call_from_thread(
                app.notify, safe_text(failed(str(exc))), severity="error", timeout=10, markup=False
            )
        except Exception as exc:
            if debug:  # the worker fails and Textual shows the details
                raise
            reason = t("cli.unexpected", kind=type(exc).__name__)
            app.call_from_thread(
                app.notify, safe_text(failed(reason)), severity="error", timeout=10, markup=False
            )
        else:
            app.call_from_thread(
                lambda: app.notify(safe_text(done(result)), timeout=DONE_TIMEOUT, markup=False)
            )

    if busy:
        app.notify(busy)
    return app.run_worker(run, thread=True, group=group, exit_on_error=debug)
