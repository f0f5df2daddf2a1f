"""A citizen's audit trail in words: who changed what, when, and from what to what.

The audit table keeps earlier values as JSON; this turns each row into a line a
caseworker can read (item names from the pack, values as the scale shows them).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bip_talk.domain.entities import AuditEntry
from bip_talk.domain.pack import Pack
from bip_talk.domain.plan_review import RUNNING
from bip_talk.errors import NotFoundError
from bip_talk.i18n import Translator, format_date
from bip_talk.store import Store

# Plan item fields worth showing when one changes, in this order.
PLAN_FIELDS = (
    "title",
    "status",
    "responsible",
    "due_on",
    "starts_on",
    "ends_on",
    "reason",
    "decline_reason",
    "kind",
)


@dataclass(frozen=True, slots=True)
class TrailLine:
    at: str  # local time, minutes
    who: str  # caseworker initials, or "–" when not known
    what: str  # e.g. "Answer · Citizen · Health"
    action: str
    old: str | None
    new: str | None


def local_minutes(iso: str) -> str:
    try:
        return datetime.fromisoformat(iso).astimezone().strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return iso


def _decode(raw: str | None) -> Any:
    if raw is None:
        return None
    try:
        return json.loads(raw)
    except ValueError:
        return raw


def _word(t: Translator, section: str, code: str) -> str:
    key = f"audit.{section}.{code}"
    return t(key) if t.has(key) else code


def _reviewed_status(values: dict[str, Any]) -> dict[str, Any]:
    """An item reviewed as still running is stored open with ``reviewed_in`` set: the
    trail says "still running" for it."""
    if values.get("status") == "open" and values.get("reviewed_in") is not None:
        return {**values, "status": RUNNING}
    return values


class _Describer:
    def __init__(self, store: Store, pack: Pack, t: Translator) -> None:
        self.store, self.pack, self.t = store, pack, t
        self.initials = {c.id: c.initials for c in store.caseworkers()}

    def answer_place(self, key: str | None) -> str:
        meeting_id, _, rest = (key or "").partition("/")
        perspective, _, item_id = rest.partition("/")
        try:
            side = self.pack.perspective(perspective).name.get(self.t.lang)
        except StopIteration:
            side = perspective
        item = self.pack.item(perspective, item_id)
        name = item_id
        if item is not None:
            try:
                name = self.pack.indicator(item.indicator).name.get(self.t.lang)
            except StopIteration:
                name = item.text.get(self.t.lang)
        return f"{side} · {name}"

    def answer_value(self, key: str | None, raw: str | None) -> str | None:
        value = _decode(raw)
        if not isinstance(value, dict):
            return None if value is None else str(value)
        if value.get("declined"):
            return self.t("audit.declined")
        _, _, rest = (key or "").partition("/")
        perspective, _, item_id = rest.partition("/")
        item = self.pack.item(perspective, item_id)
        if value.get("value") is not None:
            shown = str(value["value"])
            if item is not None and item.type == "scale":
                labels = self.pack.scale_labels(item, self.t.lang)
                if 1 <= int(value["value"]) <= len(labels):
                    shown += f" ({labels[int(value['value']) - 1]})"
            return shown
        if value.get("choices"):
            texts = {o.id: o.text.get(self.t.lang) for o in item.options} if item else {}
            return ", ".join(texts.get(c, c) for c in value["choices"])
        if value.get("text"):
            return f"“{value['text']}”"
        return self.t("audit.empty")

    def note_value(self, raw: str | None) -> str | None:
        value = _decode(raw)
        if not isinstance(value, dict):
            return None if value is None else str(value)
        text = f"“{value.get('text', '')}”"
        if value.get("visibility") == "private":
            text += f" ({self.t('audit.private')})"
        return text

    def outcome_value(self, raw: str | None) -> str | None:
        """'Ordinært job fra 03.02.2026' from the stored kind and date."""
        value = _decode(raw)
        if not isinstance(value, dict):
            return None if value is None else str(value)
        kind = str(value.get("kind", ""))
        day = str(value.get("occurred_on", ""))
        try:
            day = format_date(day, self.t.lang)
        except ValueError:
            pass
        key = f"outcomes.kind.{kind}"
        name = self.t(key) if self.t.has(key) else kind
        return self.t("outcomes.line", kind=name, date=day)

    def plan_values(
        self, old_raw: str | None, new_raw: str | None
    ) -> tuple[str | None, str | None]:
        old, new = _decode(old_raw), _decode(new_raw)
        if not isinstance(new, dict):
            return (None if old is None else str(old), None if new is None else str(new))
        if not isinstance(old, dict):  # created: show what it was created as
            return None, str(new.get("title", ""))
        old, new = _reviewed_status(old), _reviewed_status(new)
        fields = [f for f in PLAN_FIELDS if f in new and old.get(f) != new.get(f)]
        fields += [f for f in new if f not in PLAN_FIELDS and old.get(f) != new.get(f)]

        def value(field: str, raw: Any) -> str:
            if raw in (None, ""):
                return "–"
            return _word(self.t, "plan_status", str(raw)) if field == "status" else str(raw)

        def show(values: dict[str, Any]) -> str:
            return "; ".join(
                f"{_word(self.t, 'field', f)}: {value(f, values.get(f))}" for f in fields
            )

        return show(old), show(new)

    def line(self, e: AuditEntry) -> TrailLine:
        who = self.initials.get(e.actor_id, "–") if e.actor_id is not None else "–"
        what = _word(self.t, "entity", e.entity)
        old: str | None = None
        new: str | None = None
        if e.entity == "answer":
            what = f"{what} · {self.answer_place(e.entity_key)}"
            old = self.answer_value(e.entity_key, e.old)
            new = self.answer_value(e.entity_key, e.new)
        elif e.entity == "note":
            old, new = self.note_value(e.old), self.note_value(e.new)
        elif e.entity == "plan_item" or (e.entity == "citizen" and e.action == "change"):
            old, new = self.plan_values(e.old, e.new)  # changed fields, in words
        elif e.entity == "outcome":
            old, new = self.outcome_value(e.old), self.outcome_value(e.new)
        elif e.entity == "assignment":
            old = self.initials.get(int(e.old), e.old) if e.old and e.old.isdigit() else e.old
            new = self.initials.get(int(e.new), e.new) if e.new and e.new.isdigit() else e.new
        else:
            old, new = e.old, e.new
        return TrailLine(
            local_minutes(e.at), who, what, _word(self.t, "action", e.action), old, new
        )


def audit_trail(store: Store, pack: Pack, citizen_id: str, t: Translator) -> list[TrailLine]:
    """Every recorded change for the citizen, oldest first."""
    try:
        store.citizen(citizen_id)
    except NotFoundError:
        raise NotFoundError(t("audit.unknown_citizen", id=citizen_id)) from None
    describe = _Describer(store, pack, t)
    return [describe.line(e) for e in store.audit_for(citizen_id)]
