"""Work that streams its results from a forked helper process (seed's generator, the
import's reader): the helper produces, this process consumes, both on their own core.

Each result crosses the pipe as ``marshal`` bytes: results are tuples, lists and dicts
of text, numbers and None, which marshal writes and reads about three times as fast as
pickle – unless they share many objects (the import's rows share their checked values),
which pickle sends once per message and marshal every time: then ``pickled``. The pipe
holds only a few messages, so a helper ahead of its consumer waits: memory stays flat.
"""

from __future__ import annotations

import contextlib
import ctypes
import marshal
import multiprocessing
import os
import pickle
import signal
import sys
from collections.abc import Callable, Generator, Iterator
from multiprocessing.connection import Connection
from typing import Any

PR_SET_PDEATHSIG = 1  # linux/prctl.h
_ITEM, _END, _ERROR = 0, 1, 2


class HelperFailed(RuntimeError):
    """The helper process raised or died. ``work`` is what it helped with ("import",
    "seed": the catalog words it for users), ``kind`` the kind of error it reported
    (None: it died without a word – killed, say, for want of memory)."""

    def __init__(self, work: str, kind: str | None = None, detail: str = "") -> None:
        self.work, self.kind = work, kind
        said = f"failed: {kind}: {detail}" if kind else "stopped unexpectedly"
        super().__init__(f"the {work} helper {said}")


def can_fork() -> bool:
    """A helper process pays only with a second core and ``fork`` (Linux)."""
    return sys.platform.startswith("linux") and (os.cpu_count() or 1) > 1


def _die_with_parent(parent: int) -> None:
    """The helper must not outlive its parent (killed with SIGKILL, it cannot clean
    up): on Linux the kernel kills the child when the parent dies; if the parent is
    already gone (it died before this ran), stop now."""
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:
        os._exit(1)


def _child(
    parent: int,
    recv: Connection,
    send: Connection,
    produce: Callable[..., Iterator[Any]],
    args: tuple[Any, ...],
    pickled: bool,
) -> None:
    """In the helper: send each result, then the end (or the error)."""
    _die_with_parent(parent)
    # The fork copied the parent's reading end too; without closing it here, a parent
    # that died would leave this child writing into a pipe nobody reads (blocked forever
    # once it is full) instead of getting a broken pipe.
    recv.close()
    dumps = _pickle if pickled else marshal.dumps
    try:
        for item in produce(*args):
            send.send_bytes(dumps((_ITEM, item)))
        send.send_bytes(dumps((_END, None)))
    except BaseException as exc:  # report, never hang the parent
        with contextlib.suppress(OSError):
            send.send_bytes(dumps((_ERROR, (type(exc).__name__, str(exc)))))
    finally:
        send.close()


def _pickle(item: Any) -> bytes:
    return pickle.dumps(item, protocol=pickle.HIGHEST_PROTOCOL)


def from_helper(
    work: str, produce: Callable[..., Iterator[Any]], *args: Any, pickled: bool = False
) -> Generator[Any, None, None]:
    """``produce(*args)``'s results, produced in a forked process. Forked after a
    database was opened: ``produce`` must never touch that connection. Closing the
    iterator early stops the helper."""
    ctx = multiprocessing.get_context("fork")
    recv, send = ctx.Pipe(duplex=False)
    proc = ctx.Process(
        target=_child, args=(os.getpid(), recv, send, produce, args, pickled), daemon=True
    )
    proc.start()
    send.close()
    loads = pickle.loads if pickled else marshal.loads
    try:
        while True:
            try:
                kind, item = loads(recv.recv_bytes())
            except EOFError:
                raise HelperFailed(work) from None
            if kind == _END:
                return
            if kind == _ERROR:
                raise HelperFailed(work, *item)
            yield item
    finally:
        recv.close()
        if proc.is_alive():
            proc.terminate()
        proc.join()
