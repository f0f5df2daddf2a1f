"""Personal accounts: add, list, disable, enable, reset a password, and log in.

Passwords are hashed with argon2id (argon2-cffi's defaults: RFC 9106's low-memory
profile, ~0.15 s per check here). Only the hash is stored. A login counts its try before
the password is checked (``AccountStore.claim_attempt``); after LOCKOUT_AFTER wrong
passwords in a row the account waits, longer after each further one, whichever process
(browser tab, terminal, command) the tries come from. A right password, or an admin's
``user reset-password``, starts the count again.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from bip_talk import clock
from bip_talk.domain.access import (
    ROLES,
    Account,
    Role,
    initials_ok,
    password_problem,
    wait_after,
)
from bip_talk.errors import InputError, LoginRefused, NotFoundError
from bip_talk.i18n import Translator
from bip_talk.services.access import Door, Principal, typed_initials
from bip_talk.store import Store

_HASHER = PasswordHasher()
# Checked against when the initials are unknown, so a wrong name takes as long as a
# wrong password (the time does not tell which initials have an account).
_DUMMY = _HASHER.hash("not a password of anyone's")


def hash_password(password: str) -> str:
    return _HASHER.hash(password)


def _verify(stored: str, password: str) -> bool:
    try:
        return _HASHER.verify(stored, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def seconds_to_wait(failures: int, last_failed_at: str | None, now: datetime) -> int:
    """How long the account still waits before its next try (0: it may try now)."""
    wait = wait_after(failures)
    if not wait or last_failed_at is None:
        return 0
    until = datetime.fromisoformat(last_failed_at) + timedelta(seconds=wait)
    return max(0, int((until - now).total_seconds() + 0.999))


# -- managing accounts -----------------------------------------------------------------


def check_new_password(password: str, initials: str, t: Translator) -> None:
    problem = password_problem(password, initials)
    if problem:
        raise InputError(t(f"accounts.password_{problem}", min=10))


def check_role(role: str, t: Translator) -> Role:
    for known in ROLES:
        if role == known:
            return known
    raise InputError(t("accounts.bad_role", value=role, known=", ".join(ROLES)))


def add_account(
    store: Store, initials: str, name: str, role: str, password: str, t: Translator
) -> Account:
    """A new account (its caseworker row added if the initials are new). The first
    account of a database must be an admin: someone must be able to manage the rest."""
    initials = initials.strip().upper()
    name = name.strip()
    if not initials_ok(initials):
        raise InputError(t("accounts.bad_initials", value=initials))
    if not name:
        raise InputError(t("accounts.name_missing"))
    checked = check_role(role, t)
    accounts = store.accounts
    if not accounts.has_accounts() and checked != "admin":
        raise InputError(t("accounts.first_is_admin"))
    if accounts.by_initials(initials) is not None:
        raise InputError(t("accounts.exists", initials=initials))
    check_new_password(password, initials, t)
    return accounts.add(initials, name, checked, hash_password(password), at=clock.now_iso())


def existing_account(store: Store, initials: str, t: Translator) -> Account:
    account = store.accounts.by_initials(initials)
    if account is None:
        raise NotFoundError(t("accounts.unknown", initials=initials.strip().upper()))
    return account


def reset_password(store: Store, initials: str, password: str, t: Translator) -> Account:
    account = existing_account(store, initials, t)
    check_new_password(password, account.initials, t)
    store.accounts.set_password(account.caseworker_id, hash_password(password), at=clock.now_iso())
    return account


def set_active(store: Store, initials: str, active: bool, t: Translator) -> Account:
    account = existing_account(store, initials, t)
    store.accounts.set_active(account.caseworker_id, active, at=clock.now_iso())
    return account


# -- logging in ------------------------------------------------------------------------


def login(
    store: Store,
    door: Door,
    initials: str,
    password: str,
    *,
    channel: str,
    t: Translator,
) -> Account:
    """The account for these initials and password, or LoginRefused (always logged).
    Unknown initials, a disabled account and a wrong password give the same message."""
    principal = Principal(channel=channel)  # type: ignore[arg-type]
    shown = typed_initials(initials)
    accounts = store.accounts
    account = accounts.by_initials(initials) if shown else None
    if account is None or not account.active:
        _verify(_DUMMY, password)
        door.record(
            principal,
            None,
            "login-failed",
            detail="unknown" if account is None else "disabled",
            initials=shown,
        )
        raise LoginRefused(t("access.login_wrong"))
    return check_password(store, door, account, password, channel=channel, t=t)


def check_password(
    store: Store, door: Door, account: Account, password: str, *, channel: str, t: Translator
) -> Account:
    """Check ``account``'s password (a login, or unlocking the app after the idle time)."""
    principal = Principal(channel=channel)  # type: ignore[arg-type]
    now = clock.now()
    wait = 0

    def may_try(failures: int, last_failed_at: str | None) -> bool:
        nonlocal wait
        wait = seconds_to_wait(failures, last_failed_at, now)
        return wait == 0

    accounts = store.accounts
    at = now.isoformat(timespec="seconds")
    if not accounts.claim_attempt(account.caseworker_id, at=at, may_try=may_try):
        door.record(principal, None, "login-wait", initials=account.initials)
        raise LoginRefused(t("access.login_wait", seconds=wait), wait_s=wait)
    stored = accounts.password_hash(account.caseworker_id) or _DUMMY
    current = accounts.by_id(account.caseworker_id)
    if current is None or not current.active or not _verify(stored, password):
        door.record(
            principal,
            None,
            "login-failed",
            detail="password" if current and current.active else "disabled",
            initials=account.initials,
        )
        wait = wait_after(current.failed_logins if current else 0)
        if wait:
            raise LoginRefused(t("access.login_wrong_wait", seconds=wait), wait_s=wait)
        raise LoginRefused(t("access.login_wrong"))
    accounts.login_succeeded(account.caseworker_id)
    if _HASHER.check_needs_rehash(stored):
        accounts.set_password(account.caseworker_id, hash_password(password), at=clock.now_iso())
    door.record(Principal(current, principal.channel), None, "login")
    return current
