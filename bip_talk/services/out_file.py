"""A file the user named for a report or the figures (``--out``): written readable by
them only, never half a file, and never over something that was there – a database
least of all (a mistyped ``--out bip.db`` replaced the whole database and said
"saved")."""

from __future__ import annotations

import os
from pathlib import Path

from bip_talk.errors import InputError
from bip_talk.i18n import Translator
from bip_talk.store.failures import kind_of

_SQLITE_HEADER = b"SQLite format 3\x00"
# What SQLite keeps beside a database while it is open or after a crash.
_SIDE_FILES = ("-wal", "-shm", "-journal")


def _is_database(path: Path) -> bool:
    try:
        with path.open("rb") as fh:
            return fh.read(len(_SQLITE_HEADER)) == _SQLITE_HEADER
    except OSError:
        return False


def check_out_file(path: Path, t: Translator, *, replace: bool = False) -> None:
    """Refuse, before anything is recorded or written: a folder; a SQLite database or
    one of its side files (even with ``replace``); another existing file unless
    ``replace`` (the user said ``--overwrite``, or the name is the app's own)."""
    path = Path(path)
    if path.is_dir():
        raise InputError(t("reports.out_is_folder", path=path))
    side = next((s for s in _SIDE_FILES if path.name.endswith(s)), None)
    base = path.with_name(path.name[: -len(side)]) if side else None
    if _is_database(path) or (base is not None and _is_database(base)):
        raise InputError(t("reports.out_is_database", path=path))
    if not replace and (path.exists() or path.is_symlink()):
        raise InputError(t("reports.out_exists", path=path))


def write_private(path: Path, text: str, t: Translator, *, replace: bool = False) -> Path:
    """Written readable by the user only (it holds personal data); never half a file."""
    path = Path(path)
    check_out_file(path, t, replace=replace)
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        if not replace and (path.exists() or path.is_symlink()):
            raise FileExistsError(path)  # it came while this was written
        os.replace(tmp, path)
    except FileExistsError:
        tmp.unlink(missing_ok=True)
        raise InputError(t("reports.out_exists", path=path)) from None
    except OSError as exc:
        try:
            tmp.unlink(missing_ok=True)
        except OSError:
            pass
        if kind_of(exc) == "full":
            raise InputError(t("store.full", path=path)) from None
        raise InputError(
            t("reports.out_unwritable", path=path, reason=exc.strerror or str(exc))
        ) from None
    return path
