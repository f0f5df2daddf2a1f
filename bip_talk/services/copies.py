"""Copies of a citizen's data outside the database, and what erasure does with them.

Every file bip-talk writes with personal data is recorded before it is written
(``record``): reports and summaries, access copies, full exports. At erasure
(``clean_copies``):

- files bip-talk saved in its own reports folder are deleted (each is one citizen's),
  and so is any file there named after the citizen (saved before files were recorded);
- the backups made before schema upgrades (``*.bak``) have the citizen erased from
  them the same way as the database (rows deleted, file rewritten);
- what bip-talk cannot clean – files the user saved elsewhere, exports of everyone,
  a backup that cannot be opened – is listed with its path, for the user to handle.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from pathlib import Path

from bip_talk.store import Store
from bip_talk.store.database import backups_of
from bip_talk.store.gdpr import database_file, erase_from_backup

MANIFEST = "manifest.json"


def record(store: Store, path: Path, *, citizen_id: str | None, kind: str) -> None:
    """``kind``: report, summary, access, export (``citizen_id`` None: everyone)."""
    store.record_copy(str(Path(path).resolve()), citizen_id=citizen_id, kind=kind)


@dataclass
class CopyCleanup:
    removed: list[Path] = field(default_factory=list)  # deleted from the reports folder
    cleaned: list[Path] = field(default_factory=list)  # backups the citizen is erased from
    left: list[tuple[Path, str]] = field(default_factory=list)  # (path, kind) not cleaned


def _inside(path: Path, folder: Path | None) -> bool:
    if folder is None:
        return False
    try:
        return path.resolve().is_relative_to(folder.resolve())
    except OSError:
        return False


def clean_copies(
    store: Store,
    citizen_id: str,
    recorded: list[tuple[str, str | None, str]],
    *,
    own_folder: Path | None,
    reference: str,
) -> CopyCleanup:
    """After the citizen is erased from the database: every other copy bip-talk made.
    ``recorded`` is ``store.copies_of(citizen_id)`` as it was before the erasure (which
    deletes the citizen's rows of ``written_files`` with the rest)."""
    out = CopyCleanup()
    done: list[str] = []
    for path_text, owner, kind in recorded:
        path = Path(path_text)
        if owner is None:  # an export of everyone: still one while its manifest is there
            if (path / MANIFEST).is_file():
                out.left.append((path, kind))
            else:
                done.append(path_text)
            continue
        done.append(path_text)  # the citizen's own row goes either way: no trace kept
        if not path.exists():
            continue
        if _inside(path, own_folder) and path.is_file():
            path.unlink()
            out.removed.append(path)
        else:
            out.left.append((path, kind))
    store.forget_copies(done)
    if own_folder is not None and own_folder.is_dir():
        for path in sorted(own_folder.iterdir()):
            if citizen_id in path.name and path.is_file():
                with contextlib.suppress(FileNotFoundError):
                    path.unlink()
                    out.removed.append(path)
    db_path = database_file(store.db)
    for backup in backups_of(db_path) if db_path else []:
        outcome = erase_from_backup(backup, citizen_id, reference=reference)
        if outcome is None:
            out.left.append((backup, "backup"))
        elif outcome:
            out.cleaned.append(backup)
    return out
