"""Finding the files of an export folder: its manifest (checked), or the files by name."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from bip_talk.domain.exchange import (
    FORMAT_NAME,
    FORMAT_VERSION,
    FORMATS,
    MANIFEST,
    TABLES,
    Manifest,
)
from bip_talk.errors import InputError
from bip_talk.i18n import Translator


@dataclass(frozen=True)
class Source:
    table: str
    path: Path
    fmt: str
    rows: int | None  # what the manifest promises, if there is one


def read_manifest(path: Path, t: Translator) -> Manifest:
    try:
        data = json.loads(path.read_bytes().decode("utf-8-sig"))
    except OSError as exc:
        raise InputError(t("exchange.unreadable", path=path, reason=exc.strerror or exc)) from None
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise InputError(t("exchange.manifest_not_json", path=path)) from None
    if not isinstance(data, dict) or data.get("format") != FORMAT_NAME:
        raise InputError(t("exchange.not_an_export", path=path))
    if data.get("pseudonymized") is True:
        raise InputError(t("exchange.pseudonymized_refused", path=path))
    try:
        manifest = Manifest.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err["loc"])
        raise InputError(
            t("exchange.manifest_invalid", path=path, field=where, detail=err["msg"])
        ) from None
    if manifest.format_version > FORMAT_VERSION:
        raise InputError(
            t(
                "exchange.newer_format",
                path=path,
                found=manifest.format_version,
                known=FORMAT_VERSION,
            )
        )
    return manifest


def find_sources(source: Path, t: Translator) -> tuple[Path, list[Source]]:
    """The folder and its files, in import order (a table only refers to those before)."""
    if not source.exists():
        raise InputError(t("exchange.import_missing", path=source))
    if source.is_dir():
        folder, manifest_path = source, source / MANIFEST
    elif source.name == MANIFEST:
        folder, manifest_path = source.parent, source
    else:
        raise InputError(t("exchange.import_not_folder", path=source))
    found: list[Source] = []
    if manifest_path.is_file():
        manifest = read_manifest(manifest_path, t)
        for table in TABLES:
            entry = manifest.files.get(table.name)
            if entry is None:
                continue
            path = folder / f"{table.name}.{manifest.file_format}"
            if not path.is_file():
                raise InputError(t("exchange.listed_file_missing", path=path))
            found.append(Source(table.name, path, manifest.file_format, entry.rows))
    else:
        for table in TABLES:
            paths = [folder / f"{table.name}.{fmt}" for fmt in FORMATS]
            present = [p for p in paths if p.is_file()]
            if len(present) > 1:
                raise InputError(t("exchange.both_formats", folder=folder, table=table.name))
            if present:
                found.append(Source(table.name, present[0], present[0].suffix[1:], None))
    if not found:
        raise InputError(t("exchange.no_files", folder=folder))
    return folder, found
