"""Outcomes: record what happened to a citizen (ordinary job, job with wage subsidy or
flexjob, education started, other exit), with its date and who recorded it; change
or remove one; list a citizen's. Every write leaves an audit row.

The calls the citizen screen needs: ``outcome_kinds`` (the choices, in words),
``citizen_outcomes``, ``record_outcome``, ``edit_outcome``, ``delete_outcome`` and
``outcome_text`` (one line in words). Bad input raises ``InputError`` with a message
that says what to do; an unknown citizen or outcome raises ``NotFoundError``.
"""

from __future__ import annotations

from datetime import date

from bip_talk import clock
from bip_talk.domain.dates import read_day
from bip_talk.domain.outcomes import OUTCOME_KINDS, Outcome
from bip_talk.errors import InputError, NotFoundError
from bip_talk.i18n import Translator, format_date
from bip_talk.store import Store
from bip_talk.store.outcomes import OutcomeStore


def outcome_kinds(t: Translator) -> list[tuple[str, str]]:
    """(code, name) of every kind, in the order a picker shows them."""
    return [(kind, t(f"outcomes.kind.{kind}")) for kind in OUTCOME_KINDS]


def outcome_text(outcome: Outcome, t: Translator) -> str:
    """'Ordinært job fra 03.02.2026'."""
    return t(
        "outcomes.line",
        kind=t(f"outcomes.kind.{outcome.kind}") if outcome.kind in OUTCOME_KINDS else outcome.kind,
        date=format_date(outcome.occurred_on, t.lang),
    )


def _kind(kind: str, t: Translator) -> str:
    code = kind.strip().lower()
    if code not in OUTCOME_KINDS:
        raise InputError(t("outcomes.bad_kind", value=kind, known=", ".join(OUTCOME_KINDS)))
    return code


def _day(value: str | date, t: Translator) -> str:
    """A date that has happened (today at the latest), as ISO."""
    if isinstance(value, date):
        day = value
    else:
        found = read_day(value)  # dd.mm.åååå as shown, or ÅÅÅÅ-MM-DD
        if found is None:
            raise InputError(t("outcomes.bad_date", value=value))
        day = found
    if day > clock.today():
        raise InputError(t("outcomes.future_date", value=day.isoformat()))
    return day.isoformat()


def _require_citizen(store: Store, citizen_id: str, t: Translator) -> None:
    try:
        store.citizen(citizen_id)
    except NotFoundError:
        raise NotFoundError(t("outcomes.unknown_citizen", id=citizen_id)) from None


def _existing(
    outcomes: OutcomeStore, outcome_id: int, citizen_id: str | None, t: Translator
) -> Outcome:
    """The outcome, which must be the citizen's when a citizen is named."""
    try:
        found = outcomes.outcome(outcome_id)
    except NotFoundError:
        found = None
    if found is None or (citizen_id is not None and found.citizen_id != citizen_id):
        raise NotFoundError(t("outcomes.unknown_outcome", id=outcome_id, citizen=citizen_id))
    return found


def citizen_outcomes(store: Store, citizen_id: str, t: Translator) -> list[Outcome]:
    _require_citizen(store, citizen_id, t)
    return OutcomeStore(store.db).outcomes_for(citizen_id)


def record_outcome(
    store: Store,
    citizen_id: str,
    kind: str,
    occurred_on: str | date,
    *,
    actor: int | None,
    t: Translator,
) -> Outcome:
    code, day = _kind(kind, t), _day(occurred_on, t)
    _require_citizen(store, citizen_id, t)
    return OutcomeStore(store.db).record(citizen_id, code, day, actor=actor)


def edit_outcome(
    store: Store,
    outcome_id: int,
    *,
    citizen_id: str | None = None,
    kind: str | None = None,
    occurred_on: str | date | None = None,
    actor: int | None,
    t: Translator,
) -> Outcome:
    """Change the kind, the date or both (what is not given stays)."""
    outcomes = OutcomeStore(store.db)
    old = _existing(outcomes, outcome_id, citizen_id, t)
    code = _kind(kind, t) if kind is not None else old.kind
    day = _day(occurred_on, t) if occurred_on is not None else old.occurred_on
    return outcomes.change(outcome_id, kind=code, occurred_on=day, actor=actor)


def delete_outcome(
    store: Store,
    outcome_id: int,
    *,
    citizen_id: str | None = None,
    actor: int | None,
    t: Translator,
) -> Outcome:
    outcomes = OutcomeStore(store.db)
    _existing(outcomes, outcome_id, citizen_id, t)
    return outcomes.delete(outcome_id, actor=actor)
