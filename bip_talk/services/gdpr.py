"""The citizen's rights: a copy of everything stored about them (access, GDPR art. 15)
and erasure (art. 17).

The access copy comes twice: a Markdown text the citizen can read (Danish by
default; every sentence from the ``gdpr`` catalog, question texts from the pack) and
a JSON file with every stored field. Erasure deletes the rows, leaves one audit row
without personal data, and rewrites the file so no byte of the citizen remains.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bip_talk import clock
from bip_talk.domain.evidence_model import evidence_of
from bip_talk.domain.ids import ALPHABET
from bip_talk.domain.pack import Pack
from bip_talk.domain.text import escape_control
from bip_talk.errors import InputError, NotFoundError
from bip_talk.i18n import Translator
from bip_talk.services.copies import CopyCleanup, clean_copies, record
from bip_talk.services.exchange.files import write_json
from bip_talk.store import Store
from bip_talk.store.failures import as_store_errors, kind_of
from bip_talk.store.gdpr import (
    citizen_data,
    citizen_row,
    decode_json,
    erase_citizen,
    scrub,
    touched_tables,
)

ACCESS_FORMAT = "bip-talk-access"


def require_citizen(store: Store, citizen_id: str, t: Translator) -> dict[str, Any]:
    row = citizen_row(store.db, citizen_id)
    if row is None:
        raise NotFoundError(t("gdpr.unknown_citizen", id=citizen_id))
    return row


# -- access -----------------------------------------------------------------------------


def access_data(store: Store, pack: Pack, citizen_id: str, t: Translator) -> dict[str, Any]:
    """Everything about one citizen as plain JSON-ready data."""
    citizen = require_citizen(store, citizen_id, t)
    data = citizen_data(store.db, citizen_id)
    for answer in data["answers"]:
        answer["declined"] = bool(answer["declined"])
        answer["choices"] = decode_json(answer["choices"]) or []
    for entry in data["audit"]:
        entry["old"] = decode_json(entry["old"])
        entry["new"] = decode_json(entry["new"])
    for meeting in data["meetings"]:
        meeting["position"] = decode_json(meeting["position"])
    return {
        "format": ACCESS_FORMAT,
        "generated_at": clock.now_iso(),
        "pack": {"id": pack.id, "version": pack.version},
        "citizen": citizen,
        **data,
        "access_log": who_looked(store, citizen_id),
    }


def who_looked(store: Store, citizen_id: str) -> list[dict[str, Any]]:
    """Who has looked at or changed the citizen's data, and when and for what (the access
    log): staff initials and role, never another citizen."""
    log = store.access_log
    return [
        {
            "at": e.at,
            "initials": e.initials,
            "role": e.role,
            "event": e.event,
            "purpose": e.purpose,
            "channel": e.channel,
        }
        for e in log.entries(citizen_ref=log.ref(citizen_id))
    ]


def _value_text(pack: Pack, answer: dict[str, Any], lang: str, t: Translator) -> str:
    item = pack.item(answer["perspective"], answer["item_id"])
    if answer["declined"]:
        return t("gdpr.declined")
    parts = []
    if answer["value"] is not None:
        label = ""
        if item is not None and item.type == "scale":
            label = pack.scale_labels(item, lang)[answer["value"] - 1]
        parts.append(f"{answer['value']} – {label}" if label else str(answer["value"]))
    if answer["choices"]:
        options = {o.id: o.text.get(lang) for o in item.options} if item else {}
        parts.append(", ".join(options.get(c, c) for c in answer["choices"]))
    if answer["text"]:
        parts.append(f"«{answer['text']}»")
    return "; ".join(parts) or t("gdpr.no_answer")


def _item_order(pack: Pack) -> dict[tuple[str, str], int]:
    order = {}
    for p in pack.perspectives:
        for n, item in enumerate(pack.items(p.id)):
            order[(p.id, item.id)] = n
    return order


def _name(pack: Pack, kind: str, code: str | None, lang: str) -> str:
    """A pack code's name in ``lang`` (the code itself if the pack does not know it)."""
    if code is None:
        return ""
    try:
        if kind == "indicator":
            return pack.indicator(code).name.get(lang)
        if kind == "perspective":
            return pack.perspective(code).name.get(lang)
        if kind == "group":
            return next(g.name.get(lang) for g in pack.manifest.target_groups if g.id == code)
        if kind == "education":
            evidence = evidence_of(pack)
            level = evidence.education_level(code) if evidence else None
            return level.name.get(lang) if level else code
    except StopIteration:
        pass
    return code


def _code_text(t: Translator, key: str, code: str | None) -> str:
    if code is None:
        return ""
    return t(f"{key}.{code}") if t.has(f"{key}.{code}") else code


def access_markdown(pack: Pack, data: dict[str, Any], t: Translator) -> str:
    lang = t.lang
    c = data["citizen"]
    out = [
        f"# {t('gdpr.title', name=c['display_name'])}",
        "",
        t("gdpr.intro", date=data["generated_at"][:10]),
        "",
    ]

    out += [
        f"## {t('gdpr.about_you')}",
        "",
        f"- {t('gdpr.field_id')}: {c['id']}",
        f"- {t('gdpr.field_name')}: {c['display_name']}",
        f"- {t('gdpr.field_group')}: "
        f"{_name(pack, 'group', c['target_group'], lang) or t('gdpr.none')}",
        f"- {t('gdpr.field_birth_year')}: {c['birth_year'] or t('gdpr.none')}",
        f"- {t('gdpr.field_education')}: "
        f"{_name(pack, 'education', c['education'], lang) or t('gdpr.none')}",
        f"- {t('gdpr.field_created')}: {c['created_at']}",
        "",
    ]

    out += [f"## {t('gdpr.caseworkers')}", ""]
    for a in data["assignments"]:
        out.append(
            "- "
            + t(
                "gdpr.assignment",
                name=a["caseworker_name"] or "?",
                initials=a["caseworker_initials"] or "?",
                start=a["started_at"],
                end=a["ended_at"] or t("gdpr.now"),
            )
        )
    if not data["assignments"]:
        out.append(t("gdpr.none"))
    out.append("")

    order = _item_order(pack)
    answers: dict[int, list[dict[str, Any]]] = {}
    for a in data["answers"]:
        answers.setdefault(a["meeting_id"], []).append(a)
    notes: dict[int, list[dict[str, Any]]] = {}
    for n in data["notes"]:
        notes.setdefault(n["meeting_id"], []).append(n)
    out += [f"## {t('gdpr.meetings')}", ""]
    if not data["meetings"]:
        out += [t("gdpr.none"), ""]
    for m in data["meetings"]:
        out += [
            "### "
            + t(
                "gdpr.meeting",
                date=m["held_on"],
                status=_code_text(t, "gdpr.status", m["status"]),
                initials=m["caseworker_initials"] or "?",
            ),
            "",
        ]
        if m["priority"]:
            out += [t("gdpr.priority", indicator=_name(pack, "indicator", m["priority"], lang)), ""]
        rows = sorted(
            answers.get(m["id"], []),
            key=lambda a: (
                [p.id for p in pack.perspectives].index(a["perspective"])
                if a["perspective"] in {p.id for p in pack.perspectives}
                else 99,
                order.get((a["perspective"], a["item_id"]), 999),
                a["item_id"],
            ),
        )
        current = None
        for a in rows:
            if a["perspective"] != current:
                if current is not None:
                    out.append("")
                current = a["perspective"]
                out += [f"**{_name(pack, 'perspective', current, lang)}**", ""]
            item = pack.item(a["perspective"], a["item_id"])
            question = item.text.get(lang) if item else a["item_id"]
            out.append(f"- {question} → {_value_text(pack, a, lang, t)}")
        if rows:
            out.append("")
        for n in notes.get(m["id"], []):
            tag = t("gdpr.note_private") if n["visibility"] == "private" else t("gdpr.note_shared")
            about = f" ({_name(pack, 'indicator', n['indicator'], lang)})" if n["indicator"] else ""
            out.append(f"- {tag}{about}: {n['text']}")
        if notes.get(m["id"]):
            out.append("")

    out += [f"## {t('gdpr.plan')}", ""]
    for p in data["plan_items"]:
        status = _code_text(t, "exchange.code.plan_status", p["status"])
        line = f"- {p['title']} – {status}"
        extra = [
            x
            for x in (
                p["responsible"] and t("gdpr.responsible", who=p["responsible"]),
                p["due_on"] and t("gdpr.due", date=p["due_on"]),
                p["reason"] and t("gdpr.reason", text=p["reason"]),
                p["decline_reason"] and t("gdpr.decline_reason", text=p["decline_reason"]),
            )
            if x
        ]
        out.append(line + (f" ({'; '.join(extra)})" if extra else ""))
    if not data["plan_items"]:
        out.append(t("gdpr.none"))
    out.append("")

    out += [f"## {t('gdpr.outcomes')}", ""]
    for o in data["outcomes"]:
        line = t(
            "outcomes.line",
            kind=_code_text(t, "outcomes.kind", o["kind"]),
            date=o["occurred_on"],
        )
        out.append("- " + t("gdpr.outcome", line=line, initials=o["recorded_by_initials"] or "–"))
    if not data["outcomes"]:
        out.append(t("gdpr.none"))
    out.append("")

    out += [f"## {t('gdpr.log')}", "", t("gdpr.log_intro"), ""]
    for e in data["audit"]:
        out.append(
            "- "
            + t(
                "gdpr.log_entry",
                at=e["at"],
                action=_code_text(t, "gdpr.action", e["action"]),
                entity=_code_text(t, "gdpr.entity", e["entity"]),
                who=e["actor_initials"] or "–",
            )
        )
    if not data["audit"]:
        out.append(t("gdpr.none"))
    out += ["", f"## {t('gdpr.looked')}", "", t("gdpr.looked_intro"), ""]
    for e in data.get("access_log", []):
        out.append(
            "- "
            + t(
                "gdpr.looked_entry",
                at=e["at"],
                who=e["initials"] or "–",
                role=t(f"access.role.{e['role']}") if e["role"] else "–",
                what=_code_text(t, "access.purpose", e["purpose"]) or "–",
                event=_code_text(t, "gdpr.looked_event", e["event"]),
            )
        )
    if not data.get("access_log"):
        out.append(t("gdpr.none"))
    out += ["", "---", "", t("gdpr.footer"), ""]
    # Readable text: control characters from an older database show as escapes.
    return escape_control("\n".join(out))


@dataclass(frozen=True)
class AccessFiles:
    text: Path
    data: Path


def write_access(
    store: Store, pack: Pack, citizen_id: str, folder: Path, t: Translator
) -> AccessFiles:
    data = access_data(store, pack, citizen_id, t)
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise InputError(t("gdpr.out_not_folder", path=folder))
    text_path = folder / t("gdpr.file_text", id=citizen_id)
    data_path = folder / t("gdpr.file_data", id=citizen_id)
    for path in (text_path, data_path):
        record(store, path, citizen_id=citizen_id, kind="access")
    # Both files are written in full before either takes its name: a full disk
    # leaves neither a half file nor one of the pair.
    text_tmp = text_path.with_name(f".{text_path.name}.tmp")
    data_tmp = data_path.with_name(f".{data_path.name}.part")
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        write_json(data_tmp, data)
        write_private_text(text_tmp, access_markdown(pack, data, t))
        data_tmp.replace(data_path)
        text_tmp.replace(text_path)
    except OSError as exc:
        for leftover in (text_tmp, data_tmp, data_tmp.with_name(data_tmp.name + ".tmp")):
            with contextlib.suppress(OSError):
                leftover.unlink(missing_ok=True)
        if kind_of(exc) == "full":
            raise InputError(t("store.full", path=folder)) from None
        raise InputError(
            t("gdpr.out_unwritable", path=folder, reason=exc.strerror or str(exc))
        ) from None
    return AccessFiles(text_path, data_path)


def write_private_text(path: Path, text: str) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text)


# -- erasure ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Erasure:
    reference: str
    counts: dict[str, int]
    clean: bool  # False: another program kept the file from being rewritten
    copies: CopyCleanup  # files and backups outside the database: cleaned, or listed
    # PostgreSQL: the server, not this file, keeps what bip-talk cannot reach (its
    # write-ahead log, its backups, replicas); the command says so.
    on_server: bool = False


def new_reference() -> str:
    """A random erasure reference to note in the case file instead of the citizen id."""
    return "E-" + "".join(secrets.choice(ALPHABET) for _ in range(10))


def erase(
    store: Store,
    citizen_id: str,
    *,
    actor: int | None,
    t: Translator,
    own_folder: Path | None = None,
) -> Erasure:
    """Erase the citizen from the database, then from every copy bip-talk made
    (``services.copies``); ``own_folder`` is where the app saves reports itself."""
    require_citizen(store, citizen_id, t)
    reference = new_reference()
    recorded = store.copies_of(citizen_id)
    with as_store_errors(store.db):  # damage or a full disk: a message, nothing erased
        counts = erase_citizen(store.db, citizen_id, actor=actor, reference=reference)
        copies = clean_copies(
            store, citizen_id, recorded, own_folder=own_folder, reference=reference
        )
        clean = scrub(store.db, touched_tables(store.db, counts))
    return Erasure(reference, counts, clean, copies, on_server=not store.db.dialect.is_sqlite)


def compact(store: Store) -> bool:
    """Rewrite the file (SQLite) or vacuum every table (PostgreSQL)."""
    with as_store_errors(store.db):
        return scrub(store.db, store.db.table_names())
