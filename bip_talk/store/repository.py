"""The one place that speaks SQL. Every user action is one ``db.atomic()`` write;
every change to an existing answer, note or plan item leaves an audit row with the
earlier value, who changed it and when.

The SQL is written once for SQLite and PostgreSQL (``dialect.py``): ``self.db`` is
either database, and ``self.db.dialect`` spells the few fragments that differ.
"""

from __future__ import annotations

import dataclasses
import json
import random
from collections.abc import Iterable, Sequence
from dataclasses import replace
from functools import cached_property
from typing import Any, TypeVar

from bip_talk import clock
from bip_talk.domain.entities import (
    CITIZEN_FACTS,
    Assignment,
    AuditEntry,
    Caseworker,
    Citizen,
    CitizenScope,
    CitizenSummary,
    Meeting,
    Note,
    PlanItem,
)
from bip_talk.domain.ids import new_citizen_id
from bip_talk.domain.meeting_history import Answer, MeetingAnswers
from bip_talk.errors import NotFoundError
from bip_talk.store.access_log import AccessLogStore
from bip_talk.store.accounts import AccountStore
from bip_talk.store.concurrency import busy_safe
from bip_talk.store.dialect import Db
from bip_talk.user_text import checked

# Plan item fields that hold text people type (the rest are codes, dates and ids).
PLAN_TEXT_FIELDS = ("title", "responsible", "reason", "decline_reason")

_Record = TypeVar("_Record")
_FIELDS: dict[type, tuple[str, ...]] = {}


def _row(cls: type[_Record], row: dict[str, Any]) -> _Record:
    names = _FIELDS.get(cls)
    if names is None:  # once per record type: the rows of a page reuse it
        names = _FIELDS[cls] = tuple(f.name for f in dataclasses.fields(cls))  # type: ignore[arg-type]
    return cls(**{k: row.get(k) for k in names})


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


# The desk's lists of one caseworker's citizens (``search_citizens(scope=...)``).
_SCOPES: dict[str, str] = {
    "caseload": "EXISTS (SELECT 1 FROM assignments a WHERE a.citizen_id = c.id"
    " AND a.ended_at IS NULL AND a.caseworker_id = ?)",
    "today": "EXISTS (SELECT 1 FROM meetings m WHERE m.citizen_id = c.id"
    " AND m.caseworker_id = ? AND m.held_on = ?)",
    "unfinished": "EXISTS (SELECT 1 FROM meetings m WHERE m.citizen_id = c.id"
    " AND {status} = 'draft' AND m.caseworker_id = ?)",
}


def search_key(display_name: str, citizen_id: str) -> str:
    return f"{display_name} {citizen_id}".casefold()


def _answer_row(row: dict[str, Any]) -> Answer:
    return _answer(row["value"], row["declined"], row["choices"], row["text"])


_PLAIN_ANSWERS: dict[tuple[int | None, bool], Answer] = {}


def _answer(value: int | None, declined: object, choices: str | None, text: str | None) -> Answer:
    """An answer from its columns. Most answers are a bare rating: those are shared
    (Answer is frozen), since a review reads every answer of a citizen's history."""
    if choices or text:
        return Answer(
            value, bool(declined), tuple(json.loads(choices)) if choices else (), text or ""
        )
    key = (value, bool(declined))
    found = _PLAIN_ANSWERS.get(key)
    if found is None:
        found = _PLAIN_ANSWERS[key] = Answer(value, key[1])
    return found


def _answer_json(answer: Answer | None) -> str | None:
    if answer is None:
        return None
    return json.dumps(
        {
            "value": answer.value,
            "declined": answer.declined,
            "choices": list(answer.choices),
            "text": answer.text,
        },
        ensure_ascii=False,
    )


@busy_safe  # every public method: retried as a whole if another process holds the lock
class Store:
    def __init__(self, db: Db) -> None:
        self.db = db

    def _text(self, value: str, field: str) -> str:
        """Every text a person gives passes here before it is stored (``user_text``)."""
        return checked(value, field, getattr(self.db, "lang", "da"))

    def _plan_texts(self, fields: dict[str, Any]) -> dict[str, Any]:
        return {
            k: self._text(v, k) if k in PLAN_TEXT_FIELDS and isinstance(v, str) else v
            for k, v in fields.items()
        }

    def close(self) -> None:
        if "access_log" in self.__dict__:
            self.access_log.close()
        self.db.close()

    # Personal accounts and the access log: their own classes over the same database.
    @cached_property
    def accounts(self) -> AccountStore:
        return AccountStore(self.db)

    @cached_property
    def access_log(self) -> AccessLogStore:
        return AccessLogStore(self.db)

    # -- audit ---------------------------------------------------------------------------

    def _audit(
        self,
        *,
        actor: int | None,
        citizen_id: str | None,
        entity: str,
        key: str | None,
        action: str,
        old: str | None = None,
        new: str | None = None,
    ) -> None:
        self.db.execute(
            "INSERT INTO audit (at, actor_id, citizen_id, entity, entity_key, action, old, new) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [clock.now_iso(), actor, citizen_id, entity, key, action, old, new],
        )

    def audit_for(self, citizen_id: str) -> list[AuditEntry]:
        rows = self.db.rows("SELECT * FROM audit WHERE citizen_id = ? ORDER BY id", [citizen_id])
        return [_row(AuditEntry, r) for r in rows]

    # -- caseworkers ---------------------------------------------------------------------

    def ensure_caseworker(self, initials: str, name: str) -> Caseworker:
        initials = self._text(initials.strip().upper(), "initials")
        name = self._text(name, "caseworker_name")
        existing = self.caseworker_by_initials(initials)
        if existing:
            if name and existing.name != name:
                with self.db.atomic():
                    self.db.update_row("caseworkers", {"id": existing.id}, {"name": name})
                return Caseworker(existing.id, initials, name)
            return existing
        # Two windows signing in with the same new initials at once: the second insert
        # is a no-op (unique initials) and both read back the one row.
        with self.db.atomic():
            self.db.execute(
                "INSERT INTO caseworkers (initials, name, created_at) VALUES (?, ?, ?) "
                "ON CONFLICT (initials) DO NOTHING",
                [initials, name or initials, clock.now_iso()],
            )
            found = self.caseworker_by_initials(initials)
        assert found is not None
        return found

    def caseworker_by_initials(self, initials: str) -> Caseworker | None:
        rows = self.db.rows(
            "SELECT id, initials, name FROM caseworkers WHERE initials = ?", [initials.upper()]
        )
        return _row(Caseworker, rows[0]) if rows else None

    def caseworker(self, caseworker_id: int) -> Caseworker | None:
        rows = self.db.rows(
            "SELECT id, initials, name FROM caseworkers WHERE id = ?", [caseworker_id]
        )
        return _row(Caseworker, rows[0]) if rows else None

    def caseworkers(self) -> list[Caseworker]:
        return [
            _row(Caseworker, r)
            for r in self.db.rows("SELECT id, initials, name FROM caseworkers ORDER BY initials")
        ]

    # -- citizens ------------------------------------------------------------------------

    def create_citizen(
        self,
        display_name: str,
        *,
        caseworker_id: int,
        target_group: str | None = None,
        citizen_id: str | None = None,
        rng: random.Random | None = None,
        birth_year: int | None = None,
        education: str | None = None,
    ) -> Citizen:
        now = clock.now_iso()
        display_name = self._text(display_name, "display_name")
        with self.db.atomic():
            cid = citizen_id
            while cid is None or self._citizen_exists(cid):
                cid = new_citizen_id(rng)
            self.db.execute(
                "INSERT INTO citizens (id, display_name, search_key, target_group, created_at, "
                "birth_year, education) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [
                    cid,
                    display_name,
                    search_key(display_name, cid),
                    target_group,
                    now,
                    birth_year,
                    education,
                ],
            )
            self.db.insert_row(
                "assignments",
                {
                    "citizen_id": cid,
                    "caseworker_id": caseworker_id,
                    "started_at": now,
                    "reason": "created",
                    "assigned_by": caseworker_id,
                },
            )
            self._audit(
                actor=caseworker_id, citizen_id=cid, entity="citizen", key=cid, action="create"
            )
        return Citizen(cid, display_name, target_group, now, birth_year, education)

    def _citizen_exists(self, citizen_id: str) -> bool:
        found = self.db.execute("SELECT 1 FROM citizens WHERE id = ?", [citizen_id]).fetchone()
        return found is not None

    def citizen(self, citizen_id: str) -> Citizen:
        rows = self.db.rows(
            "SELECT id, display_name, target_group, created_at, birth_year, education "
            "FROM citizens WHERE id = ?",
            [citizen_id],
        )
        if not rows:
            raise NotFoundError(citizen_id)
        return _row(Citizen, rows[0])

    def update_citizen(self, citizen_id: str, *, actor: int | None, **fields: Any) -> Citizen:
        """Change the citizen's facts (``CITIZEN_FACTS``); the earlier values go to the
        audit table. Nothing changed: no write, no audit row."""
        unknown = set(fields) - set(CITIZEN_FACTS)
        if unknown:
            raise ValueError(f"not a citizen fact: {', '.join(sorted(unknown))}")
        if isinstance(fields.get("display_name"), str):  # a rename passes the same gate
            fields["display_name"] = self._text(fields["display_name"], "display_name")
        with self.db.atomic():
            old = self.citizen(citizen_id)
            changed = {k: v for k, v in fields.items() if getattr(old, k) != v}
            if not changed:
                return old
            row = dict(changed)
            if "display_name" in changed:
                row["search_key"] = search_key(changed["display_name"], citizen_id)
            self.db.update_row("citizens", {"id": citizen_id}, row)
            self._audit(
                actor=actor,
                citizen_id=citizen_id,
                entity="citizen",
                key=citizen_id,
                action="change",
                old=json.dumps({k: getattr(old, k) for k in changed}, ensure_ascii=False),
                new=json.dumps(changed, ensure_ascii=False),
            )
        return self.citizen(citizen_id)

    def count_drafts(self, caseworker_id: int) -> int:
        """How many meetings of this caseworker are unfinished (by the status index)."""
        row = self.db.execute(
            "SELECT count(*) FROM meetings WHERE status = 'draft' AND caseworker_id = ?",
            [caseworker_id],
        ).fetchone()
        return int(row[0])

    def citizen_ids(self) -> list[str]:
        return [r[0] for r in self.db.execute("SELECT id FROM citizens ORDER BY id").fetchall()]

    def count_citizens(self) -> int:
        return int(self.db.execute("SELECT count(*) FROM citizens").fetchone()[0])

    def search_citizens(
        self,
        text: str = "",
        *,
        limit: int = 50,
        offset: int = 0,
        scope: CitizenScope = "all",
        caseworker_id: int | None = None,
        day: str | None = None,
    ) -> list[CitizenSummary]:
        """Search by name or id (wildcards taken literally); a page at a time, by name.
        Walks ``idx_citizens_by_name`` in order and stops after a page of matches; the
        per-row subqueries (``unindexed``: by the citizen's meetings) run for that page only.

        ``scope`` narrows to one caseworker's (``caseworker_id``) citizens: their
        caseload (current assignment), those they met or started a meeting with on
        ``day``, or those with a meeting of theirs still unfinished. Each test is a
        lookup by the citizen's id, so the walk by name stays as it is."""
        d = self.db.dialect
        conditions: list[str] = []
        args: list[object] = []
        if text.strip():
            conditions.append("c.search_key LIKE ? ESCAPE '\\'")
            args.append(_like(text.strip().casefold()))
        if scope != "all":
            if caseworker_id is None:
                raise ValueError("a scope needs the caseworker")
            conditions.append(_SCOPES[scope].format(status=d.unindexed("m.status")))
            args += [caseworker_id, day] if scope == "today" else [caseworker_id]
        where = f"WHERE {' AND '.join(conditions)}" if conditions else ""
        sql = f"""
            SELECT c.id, c.display_name,
              (SELECT max(m.held_on) FROM meetings m WHERE m.citizen_id = c.id) AS last_meeting_on,
              (SELECT w.initials FROM assignments a JOIN caseworkers w ON w.id = a.caseworker_id
                 WHERE a.citizen_id = c.id AND a.ended_at IS NULL
                 ORDER BY a.started_at DESC LIMIT 1) AS caseworker_initials,
              EXISTS(SELECT 1 FROM meetings m WHERE m.citizen_id = c.id
                     AND {d.unindexed("m.status")} = 'draft') AS has_draft
            FROM citizens c {where}
            ORDER BY {d.nocase("c.display_name")}, c.id
            LIMIT ? OFFSET ?"""
        rows = self.db.rows(sql, [*args, limit, offset])
        return [
            CitizenSummary(
                r["id"],
                r["display_name"],
                r["last_meeting_on"],
                r["caseworker_initials"],
                bool(r["has_draft"]),
            )
            for r in rows
        ]

    # -- assignments ---------------------------------------------------------------------

    def current_assignment(self, citizen_id: str) -> Assignment | None:
        rows = self.db.rows(
            "SELECT * FROM assignments WHERE citizen_id = ? AND ended_at IS NULL "
            "ORDER BY started_at DESC, id DESC LIMIT 1",
            [citizen_id],
        )
        return _row(Assignment, rows[0]) if rows else None

    def assignments(self, citizen_id: str) -> list[Assignment]:
        return [
            _row(Assignment, r)
            for r in self.db.rows(
                "SELECT * FROM assignments WHERE citizen_id = ? ORDER BY started_at, id",
                [citizen_id],
            )
        ]

    def assign(
        self,
        citizen_id: str,
        caseworker_id: int,
        *,
        actor: int,
        reason: str = "",
        at: str | None = None,
    ) -> None:
        """Move the citizen to another caseworker: an explicit, recorded action. ``at``:
        when it happened, for a made-up history (training); otherwise now."""
        now = at or clock.now_iso()
        reason = self._text(reason, "assignment_reason")
        current = self.current_assignment(citizen_id)
        if current and current.caseworker_id == caseworker_id:
            return
        with self.db.atomic():
            if current:
                self.db.update_row("assignments", {"id": current.id}, {"ended_at": now})
            self.db.insert_row(
                "assignments",
                {
                    "citizen_id": citizen_id,
                    "caseworker_id": caseworker_id,
                    "started_at": now,
                    "reason": reason or None,
                    "assigned_by": actor,
                },
            )
            self._audit(
                actor=actor,
                citizen_id=citizen_id,
                entity="assignment",
                key=citizen_id,
                action="reassign",
                old=str(current.caseworker_id) if current else None,
                new=str(caseworker_id),
            )

    def reassign(
        self, citizen_id: str, initials: str, name: str, *, actor: int, reason: str = ""
    ) -> Caseworker:
        """Move the citizen to the caseworker with these initials, adding them first if
        they are new: one action, so one transaction (retried as a whole when busy)."""
        with self.db.atomic():
            target = self.ensure_caseworker(initials, name)
            self.assign(citizen_id, target.id, actor=actor, reason=reason)
        return target

    # -- meetings ------------------------------------------------------------------------

    def start_meeting(
        self,
        citizen_id: str,
        caseworker_id: int,
        pack_id: str,
        pack_version: str,
        held_on: str | None = None,
    ) -> Meeting:
        """The citizen's unfinished meeting: a new draft, or the one already there.

        One draft per citizen is a rule of the schema (m006); under the write lock a
        draft another window started a moment ago is found and continued, never doubled.
        """
        now = clock.now_iso()
        with self.db.atomic():
            existing = self.draft_meeting(citizen_id)
            if existing is not None:
                return existing
            pk = self.db.insert_row(
                "meetings",
                {
                    "citizen_id": citizen_id,
                    "caseworker_id": caseworker_id,
                    "pack_id": pack_id,
                    "pack_version": pack_version,
                    "status": "draft",
                    "held_on": held_on or clock.today().isoformat(),
                    "started_at": now,
                },
            )
            self._audit(
                actor=caseworker_id,
                citizen_id=citizen_id,
                entity="meeting",
                key=str(pk),
                action="start",
            )
        return self.meeting(pk)

    def meeting(self, meeting_id: int) -> Meeting:
        rows = self.db.rows("SELECT * FROM meetings WHERE id = ?", [meeting_id])
        if not rows:
            raise NotFoundError(str(meeting_id))
        return _row(Meeting, rows[0])

    def meetings_for(self, citizen_id: str) -> list[Meeting]:
        return [
            _row(Meeting, r)
            for r in self.db.rows(
                "SELECT * FROM meetings WHERE citizen_id = ? ORDER BY held_on, id", [citizen_id]
            )
        ]

    def draft_meeting(self, citizen_id: str) -> Meeting | None:
        # ``unindexed``: look in the citizen's own few meetings (citizen index), never
        # through every unfinished meeting of the job centre (status index).
        status = self.db.dialect.unindexed("status")
        rows = self.db.rows(
            f"SELECT * FROM meetings WHERE citizen_id = ? AND {status} = 'draft' "
            "ORDER BY started_at DESC, id DESC LIMIT 1",
            [citizen_id],
        )
        return _row(Meeting, rows[0]) if rows else None

    def drafts(self, caseworker_id: int | None = None) -> list[Meeting]:
        where, args = "status = 'draft'", []
        if caseworker_id is not None:
            where += " AND caseworker_id = ?"
            args.append(caseworker_id)
        return [
            _row(Meeting, r)
            for r in self.db.rows(
                f"SELECT * FROM meetings WHERE {where} ORDER BY started_at DESC", args
            )
        ]

    def set_position(self, meeting_id: int, position: dict[str, Any]) -> None:
        # Where the meeting stands (not an answer): one statement, committed at once.
        self.db.execute(
            "UPDATE meetings SET position = ? WHERE id = ?", [json.dumps(position), meeting_id]
        )

    def set_priority(self, meeting_id: int, indicator: str | None, *, actor: int) -> None:
        with self.db.atomic():
            self.db.execute(
                "UPDATE meetings SET priority = ? WHERE id = ?", [indicator, meeting_id]
            )

    def complete_meeting(self, meeting_id: int, *, actor: int) -> None:
        with self.db.atomic():
            meeting = self.meeting(meeting_id)
            self.db.execute(
                "UPDATE meetings SET status = 'complete', completed_at = ? WHERE id = ?",
                [clock.now_iso(), meeting_id],
            )
            self._audit(
                actor=actor,
                citizen_id=meeting.citizen_id,
                entity="meeting",
                key=str(meeting_id),
                action="complete",
            )

    # -- answers -------------------------------------------------------------------------

    def record_answer(
        self,
        meeting_id: int,
        perspective: str,
        item_id: str,
        answer: Answer,
        *,
        actor: int,
        citizen_id: str,
    ) -> None:
        """Save one answer now; an earlier, different value goes to the audit table."""
        if answer.text:
            answer = replace(answer, text=self._text(answer.text, "answer"))
        with self.db.atomic():
            rows = self.db.rows(
                "SELECT * FROM answers WHERE meeting_id = ? AND perspective = ? AND item_id = ?",
                [meeting_id, perspective, item_id],
            )
            old = _answer_row(rows[0]) if rows else None
            if old == answer:
                return
            self.db.upsert_row(
                "answers",
                {
                    "meeting_id": meeting_id,
                    "perspective": perspective,
                    "item_id": item_id,
                    "value": answer.value,
                    "declined": int(answer.declined),
                    "choices": json.dumps(list(answer.choices)) if answer.choices else None,
                    "text": answer.text or None,
                    "answered_at": clock.now_iso(),
                    "answered_by": actor,
                },
                ("meeting_id", "perspective", "item_id"),
            )
            if old is not None:
                self._audit(
                    actor=actor,
                    citizen_id=citizen_id,
                    entity="answer",
                    key=f"{meeting_id}/{perspective}/{item_id}",
                    action="change",
                    old=_answer_json(old),
                    new=_answer_json(answer),
                )

    def clear_answer(
        self, meeting_id: int, perspective: str, item_id: str, *, actor: int, citizen_id: str
    ) -> None:
        with self.db.atomic():
            rows = self.db.rows(
                "SELECT * FROM answers WHERE meeting_id = ? AND perspective = ? AND item_id = ?",
                [meeting_id, perspective, item_id],
            )
            if not rows:
                return
            self.db.execute(
                "DELETE FROM answers WHERE meeting_id = ? AND perspective = ? AND item_id = ?",
                [meeting_id, perspective, item_id],
            )
            self._audit(
                actor=actor,
                citizen_id=citizen_id,
                entity="answer",
                key=f"{meeting_id}/{perspective}/{item_id}",
                action="clear",
                old=_answer_json(_answer_row(rows[0])),
            )

    def answers(self, meeting_ids: Sequence[int]) -> dict[int, dict[tuple[str, str], Answer]]:
        out: dict[int, dict[tuple[str, str], Answer]] = {m: {} for m in meeting_ids}
        if not meeting_ids:
            return out
        marks = ",".join("?" * len(meeting_ids))
        found = self.db.execute(
            "SELECT meeting_id, perspective, item_id, value, declined, choices, text"
            f" FROM answers WHERE meeting_id IN ({marks})",
            list(meeting_ids),
        ).fetchall()  # tuples: no dict per answer (a long history has hundreds)
        for meeting_id, perspective, item_id, value, declined, choices, text in found:
            out[meeting_id][(perspective, item_id)] = _answer(value, declined, choices, text)
        return out

    def history(self, citizen_id: str, *, include_drafts: bool = True) -> list[MeetingAnswers]:
        """All of a citizen's meetings with their answers, oldest first (two queries)."""
        meetings = [m for m in self.meetings_for(citizen_id) if include_drafts or not m.is_draft]
        return self.answered(meetings)

    def answered(self, meetings: Sequence[Meeting]) -> list[MeetingAnswers]:
        """These meetings with their answers, in the order given (one query)."""
        answers = self.answers([m.id for m in meetings])
        return [MeetingAnswers(m.id, m.held_on, m.caseworker_id, answers[m.id]) for m in meetings]

    # -- notes ---------------------------------------------------------------------------

    def add_note(
        self,
        meeting_id: int,
        text: str,
        *,
        visibility: str,
        indicator: str | None,
        actor: int,
        citizen_id: str,
    ) -> Note:
        now = clock.now_iso()
        text = self._text(text, "note")
        with self.db.atomic():
            pk = self.db.insert_row(
                "notes",
                {
                    "meeting_id": meeting_id,
                    "indicator": indicator,
                    "visibility": visibility,
                    "text": text,
                    "author_id": actor,
                    "created_at": now,
                },
            )
            self._audit(
                actor=actor, citizen_id=citizen_id, entity="note", key=str(pk), action="create"
            )
        return Note(pk, meeting_id, indicator, visibility, text, actor, now)

    def update_note(
        self, note_id: int, text: str, *, visibility: str, actor: int, citizen_id: str
    ) -> None:
        text = self._text(text, "note")
        with self.db.atomic():
            rows = self.db.rows("SELECT * FROM notes WHERE id = ?", [note_id])
            if not rows:
                raise NotFoundError(str(note_id))
            old = rows[0]
            if (old["text"], old["visibility"]) == (text, visibility):
                return  # nothing changed: no write, no audit row
            self.db.update_row(
                "notes",
                {"id": note_id},
                {"text": text, "visibility": visibility, "updated_at": clock.now_iso()},
            )
            self._audit(
                actor=actor,
                citizen_id=citizen_id,
                entity="note",
                key=str(note_id),
                action="change",
                old=json.dumps(
                    {"text": old["text"], "visibility": old["visibility"]}, ensure_ascii=False
                ),
                new=json.dumps({"text": text, "visibility": visibility}, ensure_ascii=False),
            )

    def notes(self, meeting_ids: Iterable[int], *, include_private: bool) -> list[Note]:
        ids = list(meeting_ids)
        if not ids:
            return []
        marks = ",".join("?" * len(ids))
        extra = "" if include_private else " AND visibility = 'shared'"
        return [
            _row(Note, r)
            for r in self.db.rows(
                f"SELECT * FROM notes WHERE meeting_id IN ({marks}){extra} ORDER BY id", ids
            )
        ]

    # -- plan items ----------------------------------------------------------------------

    def add_plan_item(self, citizen_id: str, *, actor: int, **fields: Any) -> PlanItem:
        now = clock.now_iso()
        fields = self._plan_texts(fields)
        row = {"citizen_id": citizen_id, "status": "open", "created_at": now, **fields}
        with self.db.atomic():
            pk = self.db.insert_row("plan_items", row)
            self._audit(
                actor=actor,
                citizen_id=citizen_id,
                entity="plan_item",
                key=str(pk),
                action="create",
                new=json.dumps(row, ensure_ascii=False, default=str),
            )
        return self.plan_item(pk)

    def plan_item(self, item_id: int) -> PlanItem:
        rows = self.db.rows("SELECT * FROM plan_items WHERE id = ?", [item_id])
        if not rows:
            raise NotFoundError(str(item_id))
        return _row(PlanItem, rows[0])

    def plan_items(self, citizen_id: str) -> list[PlanItem]:
        return [
            _row(PlanItem, r)
            for r in self.db.rows(
                "SELECT * FROM plan_items WHERE citizen_id = ? ORDER BY created_at, id",
                [citizen_id],
            )
        ]

    def update_plan_item(self, item_id: int, *, actor: int, **fields: Any) -> PlanItem:
        fields = self._plan_texts(fields)
        with self.db.atomic():
            old = self.plan_item(item_id)
            changed = {k: v for k, v in fields.items() if getattr(old, k) != v}
            if changed:
                changed["updated_at"] = clock.now_iso()
                self.db.update_row("plan_items", {"id": item_id}, changed)
                self._audit(
                    actor=actor,
                    citizen_id=old.citizen_id,
                    entity="plan_item",
                    key=str(item_id),
                    action="change",
                    old=json.dumps({k: getattr(old, k) for k in fields}, ensure_ascii=False),
                    new=json.dumps(fields, ensure_ascii=False, default=str),
                )
        return self.plan_item(item_id)

    # -- copies written to files -----------------------------------------------------------

    def record_copy(self, path: str, *, citizen_id: str | None, kind: str) -> None:
        """Remember a file written with a citizen's data (``citizen_id``) or everyone's
        (None: a full export), before it is written, so no copy goes unrecorded."""
        with self.db.atomic():
            self.db.execute(
                "INSERT INTO written_files (path, citizen_id, kind, written_at) "
                "VALUES (?, ?, ?, ?) ON CONFLICT (path) DO UPDATE SET "
                "citizen_id = excluded.citizen_id, kind = excluded.kind, "
                "written_at = excluded.written_at",
                [path, citizen_id, kind, clock.now_iso()],
            )

    def copies_of(self, citizen_id: str) -> list[tuple[str, str | None, str]]:
        """(path, citizen_id, kind) of every file that may hold the citizen: their own
        files, and every full export."""
        return [
            (r["path"], r["citizen_id"], r["kind"])
            for r in self.db.rows(
                "SELECT path, citizen_id, kind FROM written_files "
                "WHERE citizen_id = ? OR citizen_id IS NULL ORDER BY path",
                [citizen_id],
            )
        ]

    def forget_copies(self, paths: Sequence[str]) -> None:
        with self.db.atomic():
            for path in paths:
                self.db.execute("DELETE FROM written_files WHERE path = ?", [path])
