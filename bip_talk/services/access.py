"""The checks behind ``Casework._reach``: who acts (the principal), whether their role
may act for a purpose, and the access log of every view of a citizen's data.

One ``Door`` per open store (one per app process: a served browser tab, a terminal, a
command). It remembers which views it logged in the last few minutes, so a meeting that
reads the plan twenty times leaves one row per purpose, not twenty.
"""

from __future__ import annotations

import re
import threading
import time
import weakref
from collections.abc import Iterable
from dataclasses import dataclass

from bip_talk import clock
from bip_talk.domain.access import (
    CITIZEN_VIEWS,
    Account,
    Channel,
    Event,
    Purpose,
    Role,
    allowed,
)
from bip_talk.domain.entities import Caseworker
from bip_talk.errors import AccessRefused
from bip_talk.i18n import Translator
from bip_talk.store import Store

# The same view (who, citizen, purpose) is logged again after this long.
REPEAT_AFTER_S = 300
# Purposes anyone may ask for before logging in (the login itself).
BEFORE_LOGIN: frozenset[str] = frozenset({"login"})
_INITIALS = re.compile(r"^[A-Za-zÆØÅæøå0-9]{1,12}$")


@dataclass(frozen=True, slots=True)
class Principal:
    """Who acts. ``account``: logged in with a password (a database with accounts);
    None: the workstation's initials, or nobody (single-user local use)."""

    account: Account | None = None
    channel: Channel = "app"

    @property
    def role(self) -> Role | None:
        return self.account.role if self.account else None


def typed_initials(text: str) -> str | None:
    """What someone typed as initials, fit for the log: initials-shaped, else nothing
    (a password typed into the wrong field must not land in the log)."""
    text = text.strip().upper()
    return text if _INITIALS.match(text) else None


class Door:
    def __init__(self, store: Store) -> None:
        self.store = store
        self._logged: dict[tuple[object, ...], float] = {}
        self._lock = threading.Lock()

    # -- the check -----------------------------------------------------------------------

    def admit(
        self,
        principal: Principal,
        actor: Caseworker | None,
        citizen_id: str | None,
        purpose: Purpose | str,
        *,
        change: bool,
        t: Translator,
    ) -> None:
        """Raise AccessRefused (logged) unless ``principal`` may act for ``purpose``;
        log the view of ``citizen_id``'s data if it is one."""
        if purpose in BEFORE_LOGIN:
            return
        accounts = self.store.accounts
        if accounts.has_accounts():
            account = principal.account
            if account is None:
                self.record(principal, actor, "refused", purpose, [citizen_id], "no-login")
                raise AccessRefused(t("access.login_needed"))
            current = accounts.by_id(account.caseworker_id)
            if current is None or not current.active:
                self.record(principal, actor, "refused", purpose, [citizen_id], "disabled")
                raise AccessRefused(t("access.account_disabled", initials=account.initials))
            if not allowed(current.role, purpose):  # type: ignore[arg-type]
                self.record(principal, actor, "refused", purpose, [citizen_id])
                raise AccessRefused(refusal(t, current.role, purpose))
        if citizen_id is not None and purpose in CITIZEN_VIEWS:
            self.record(principal, actor, "change" if change else "view", purpose, [citizen_id])

    # -- the log -------------------------------------------------------------------------

    def record(
        self,
        principal: Principal,
        actor: Caseworker | None,
        event: Event,
        purpose: str | None = None,
        citizen_ids: Iterable[str | None] = (None,),
        detail: str | None = None,
        *,
        initials: str | None = None,
    ) -> None:
        """Append one row per citizen (one row if none). Views repeat only after
        REPEAT_AFTER_S; every refusal and login event is written."""
        log = self.store.access_log
        who = principal.account
        at = clock.now_iso()
        base = {
            "at": at,
            "actor_id": who.caseworker_id if who else (actor.id if actor else None),
            "initials": who.initials if who else (actor.initials if actor else initials),
            "role": who.role if who else None,
            "event": event,
            "purpose": purpose,
            "channel": principal.channel,
            "detail": detail,
        }
        rows = []
        now = time.monotonic()
        with self._lock:
            for citizen_id in citizen_ids:
                ref = log.ref(citizen_id) if citizen_id is not None else None
                if event in ("view", "change"):
                    key = (base["actor_id"], ref, purpose, event)
                    if now - self._logged.get(key, -REPEAT_AFTER_S) < REPEAT_AFTER_S:
                        continue
                    self._logged[key] = now
                rows.append({**base, "citizen_ref": ref})
        try:
            log.append(rows)
        except BaseException:
            with self._lock:  # not written: the next view tries again
                for row in rows:
                    self._logged.pop((base["actor_id"], row["citizen_ref"], purpose, event), None)
            raise


def refusal(t: Translator, role: str, purpose: str) -> str:
    return t(
        "access.refused",
        role=t(f"access.role.{role}"),
        what=t(f"access.purpose.{purpose}"),
    )


_DOORS: weakref.WeakKeyDictionary[Store, Door] = weakref.WeakKeyDictionary()
_DOORS_LOCK = threading.Lock()


def door_of(store: Store) -> Door:
    """The one door of an open store (shared by every Casework over it)."""
    with _DOORS_LOCK:
        door = _DOORS.get(store)
        if door is None:
            door = _DOORS[store] = Door(store)
        return door
