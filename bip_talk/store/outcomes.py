"""The SQL of outcomes: what happened to a citizen, recorded, changed or removed.

Each write is one transaction with an audit row (``entity = 'outcome'``): creating
one records what it was, a change keeps the earlier kind and date, a removal keeps
what was removed. Validation (known kind, a real date) is the service's job.
"""

from __future__ import annotations

import json
from typing import Any

from bip_talk import clock
from bip_talk.domain.outcomes import Outcome
from bip_talk.errors import NotFoundError
from bip_talk.store.concurrency import busy_safe
from bip_talk.store.dialect import Db

_COLUMNS = "id, citizen_id, kind, occurred_on, recorded_by, recorded_at, updated_at"


def _outcome(row: tuple[Any, ...]) -> Outcome:
    return Outcome(*row)


def _fields(outcome: Outcome) -> str:
    return json.dumps({"kind": outcome.kind, "occurred_on": outcome.occurred_on})


@busy_safe
class OutcomeStore:
    def __init__(self, db: Db) -> None:
        self.db = db

    def _audit(self, outcome: Outcome, action: str, *, actor: int | None, **values: Any) -> None:
        self.db.execute(
            "INSERT INTO audit (at, actor_id, citizen_id, entity, entity_key, action, old, new) "
            "VALUES (?, ?, ?, 'outcome', ?, ?, ?, ?)",
            [
                clock.now_iso(),
                actor,
                outcome.citizen_id,
                str(outcome.id),
                action,
                values.get("old"),
                values.get("new"),
            ],
        )

    def outcome(self, outcome_id: int) -> Outcome:
        row = self.db.execute(
            f"SELECT {_COLUMNS} FROM outcomes WHERE id = ?", [outcome_id]
        ).fetchone()
        if row is None:
            raise NotFoundError(str(outcome_id))
        return _outcome(row)

    def outcomes_for(self, citizen_id: str) -> list[Outcome]:
        """The citizen's outcomes, oldest first."""
        rows = self.db.execute(
            f"SELECT {_COLUMNS} FROM outcomes WHERE citizen_id = ? ORDER BY occurred_on, id",
            [citizen_id],
        )
        return [_outcome(r) for r in rows]

    def record(self, citizen_id: str, kind: str, occurred_on: str, *, actor: int | None) -> Outcome:
        with self.db.atomic():
            new_id = self.db.insert_row(
                "outcomes",
                {
                    "citizen_id": citizen_id,
                    "kind": kind,
                    "occurred_on": occurred_on,
                    "recorded_by": actor,
                    "recorded_at": clock.now_iso(),
                },
            )
            outcome = self.outcome(new_id)
            self._audit(outcome, "create", actor=actor, new=_fields(outcome))
        return outcome

    def change(self, outcome_id: int, *, kind: str, occurred_on: str, actor: int | None) -> Outcome:
        """Set kind and date; the earlier values go to the audit table. Nothing changed:
        no write and no audit row."""
        with self.db.atomic():
            old = self.outcome(outcome_id)
            if (old.kind, old.occurred_on) == (kind, occurred_on):
                return old
            self.db.execute(
                "UPDATE outcomes SET kind = ?, occurred_on = ?, updated_at = ? WHERE id = ?",
                [kind, occurred_on, clock.now_iso(), outcome_id],
            )
            new = self.outcome(outcome_id)
            self._audit(new, "change", actor=actor, old=_fields(old), new=_fields(new))
        return new

    def delete(self, outcome_id: int, *, actor: int | None) -> Outcome:
        with self.db.atomic():
            old = self.outcome(outcome_id)
            self.db.execute("DELETE FROM outcomes WHERE id = ?", [outcome_id])
            self._audit(old, "delete", actor=actor, old=_fields(old))
        return old
