"""Who may do what on a database with personal accounts, and how long a locked-out
account waits. Pure rules: the services apply them (``Casework._reach``), the store
keeps the accounts and the access log.

A database without accounts is single-user local use: everything is allowed, as before
accounts existed (the workstation's initials say who acts, not a password).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal, get_args

Role = Literal["caseworker", "team-lead", "trainer", "admin"]
ROLES: tuple[Role, ...] = get_args(Role)

# What a caller does with the data it reaches: the "what" of the access log.
Purpose = Literal[
    "caseworkers",  # the list of caseworkers (staff names, no citizen)
    "search",
    "create",
    "edit",
    "overview",
    "reassign",
    "handover",
    "meeting",
    "plan",
    "report",
    "audit",
    "access",
    "erase",
    "compact",
    "export",
    "export-pseudonymised",
    "import",
    "outcome",  # a citizen's recorded outcomes (job, education, ...)
    "stats",  # pseudonymised figures over many citizens, no names
    "accounts",  # personal accounts: add, list, disable, reset a password
    "access-log",  # read the access log
    "training",  # rehearsals with synthetic citizens only
    "login",  # logging in, or asking whether the database has accounts: before any role
]
PURPOSES: tuple[Purpose, ...] = get_args(Purpose)

_EVERYONE: frozenset[Role] = frozenset(ROLES)
_CASEWORKER: frozenset[Role] = frozenset({"caseworker"})

# Purpose -> the roles that may act for it. Every real citizen's data (names, answers,
# notes, plans, reports, the full export) is for caseworkers only; the team lead sees
# pseudonymised figures and exports; the admin manages accounts and reads the access
# log, never a citizen's data; the trainer trains on synthetic citizens.
ALLOWED: dict[Purpose, frozenset[Role]] = {
    "caseworkers": _EVERYONE,
    "search": _CASEWORKER,
    "create": _CASEWORKER,
    "edit": _CASEWORKER,
    "overview": _CASEWORKER,
    "reassign": _CASEWORKER,
    "handover": _CASEWORKER,
    "meeting": _CASEWORKER,
    "plan": _CASEWORKER,
    "report": _CASEWORKER,
    "audit": _CASEWORKER,
    "access": _CASEWORKER,
    "erase": _CASEWORKER,
    "import": _CASEWORKER,
    "export": _CASEWORKER,
    "export-pseudonymised": frozenset({"team-lead"}),
    "outcome": _CASEWORKER,
    "stats": frozenset({"team-lead", "admin"}),
    "compact": frozenset({"caseworker", "admin"}),
    "accounts": frozenset({"admin"}),
    "access-log": frozenset({"admin"}),
    "training": frozenset({"caseworker", "trainer"}),
    "login": _EVERYONE,
}
assert set(ALLOWED) == set(PURPOSES)

# Purposes that show one citizen's data: each is written to the access log.
CITIZEN_VIEWS: frozenset[Purpose] = frozenset(
    {
        "edit",
        "overview",
        "reassign",
        "handover",
        "meeting",
        "plan",
        "report",
        "audit",
        "access",
        "erase",
        "export",
        "export-pseudonymised",
        "outcome",
    }
)


def allowed(role: Role | None, purpose: Purpose) -> bool:
    """``role`` None: a database without accounts (single-user local use)."""
    return role is None or role in ALLOWED[purpose]


def roles_for(purpose: Purpose) -> tuple[Role, ...]:
    return tuple(r for r in ROLES if r in ALLOWED[purpose])


# What the access log records besides views; ``view`` and ``change`` carry a purpose.
Event = Literal[
    "view",
    "change",
    "refused",  # a role asked for what it may not (purpose says what)
    "login",
    "login-failed",  # wrong password, unknown or disabled account (detail says which)
    "login-wait",  # a try while the account waits after too many wrong passwords
    "lock",  # the app locked itself after the idle time
    "unlock",
    "account",  # an account was added, disabled, enabled or got a new password
]
Channel = Literal["app", "web", "cli"]


@dataclass(frozen=True, slots=True)
class Account:
    """A personal login on a caseworker row (``caseworkers``): initials, name, role."""

    caseworker_id: int
    initials: str
    name: str
    role: Role
    active: bool
    failed_logins: int
    last_failed_at: str | None
    created_at: str
    password_set_at: str
    disabled_at: str | None
    password_hash: str = field(repr=False, default="")


@dataclass(frozen=True, slots=True)
class AccessEntry:
    """One access-log row. ``citizen_ref`` is the keyed pseudonym of the citizen;
    ``citizen_id`` is filled in when the citizen still exists (None once erased)."""

    id: int
    at: str
    actor_id: int | None
    initials: str | None
    role: str | None
    event: str
    purpose: str | None
    citizen_ref: str | None
    channel: str
    detail: str | None
    citizen_id: str | None = None


# -- lockout ---------------------------------------------------------------------------

# After this many wrong passwords in a row the account waits before each next try:
# FIRST_WAIT seconds, doubling with every further wrong password, at most MAX_WAIT.
LOCKOUT_AFTER = 5
FIRST_WAIT_S = 30
MAX_WAIT_S = 15 * 60


def wait_after(failures: int) -> int:
    """Seconds an account waits after ``failures`` wrong passwords in a row."""
    if failures < LOCKOUT_AFTER:
        return 0
    return int(min(FIRST_WAIT_S * 2 ** (failures - LOCKOUT_AFTER), MAX_WAIT_S))


# -- initials and passwords ---------------------------------------------------------

_INITIALS = re.compile(r"^[A-ZÆØÅ0-9]{2,6}$")


def initials_ok(initials: str) -> bool:
    """Two to six letters or digits (upper case), as the sign-in asks for."""
    return bool(_INITIALS.match(initials))


# -- passwords -------------------------------------------------------------------------

MIN_PASSWORD = 10
MAX_PASSWORD = 256  # argon2 takes any length; a 1 MB "password" is an attack


def password_problem(password: str, initials: str) -> str | None:
    """The catalog key of what is wrong with a new password, or None."""
    if len(password) < MIN_PASSWORD:
        return "too_short"
    if len(password) > MAX_PASSWORD:
        return "too_long"
    if password.strip().casefold() == initials.strip().casefold():
        return "is_initials"
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in password):
        return "control"
    return None
