"""The SQL of personal accounts: a role and an argon2 hash per caseworker row, and the
count of wrong passwords that makes an account wait. Hashing and the rules live in
``services/accounts.py`` and ``domain/access.py``; this only stores."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from bip_talk.domain.access import Account, Role
from bip_talk.store.concurrency import busy_safe
from bip_talk.store.dialect import Db
from bip_talk.user_text import checked

_SELECT = (
    "SELECT a.caseworker_id, w.initials, w.name, a.role, a.active, a.failed_logins, "
    "a.last_failed_at, a.created_at, a.password_set_at, a.disabled_at, a.password_hash "
    "FROM accounts a JOIN caseworkers w ON w.id = a.caseworker_id"
)


def _account(row: tuple[Any, ...]) -> Account:
    return Account(
        caseworker_id=row[0],
        initials=row[1],
        name=row[2],
        role=cast(Role, row[3]),
        active=bool(row[4]),
        failed_logins=row[5],
        last_failed_at=row[6],
        created_at=row[7],
        password_set_at=row[8],
        disabled_at=row[9],
        password_hash=row[10],
    )


@busy_safe
class AccountStore:
    def __init__(self, db: Db) -> None:
        self.db = db
        self._any = False  # once a database has accounts it keeps them (disable, never delete)

    def has_accounts(self) -> bool:
        if not self._any:
            self._any = self.db.execute("SELECT 1 FROM accounts LIMIT 1").fetchone() is not None
        return self._any

    def accounts(self) -> list[Account]:
        rows = self.db.execute(f"{_SELECT} ORDER BY w.initials").fetchall()
        return [_account(r) for r in rows]

    def by_initials(self, initials: str) -> Account | None:
        row = self.db.execute(
            f"{_SELECT} WHERE w.initials = ?", [initials.strip().upper()]
        ).fetchone()
        return _account(row) if row else None

    def by_id(self, caseworker_id: int) -> Account | None:
        row = self.db.execute(f"{_SELECT} WHERE a.caseworker_id = ?", [caseworker_id]).fetchone()
        return _account(row) if row else None

    def add(self, initials: str, name: str, role: Role, password_hash: str, *, at: str) -> Account:
        """The caseworker row (added if new, its name updated) and its account, in one
        transaction. An account that exists already is not replaced."""
        lang = self.db.lang
        initials = checked(initials.strip().upper(), "initials", lang)
        name = checked(name, "caseworker_name", lang)
        with self.db.atomic():
            db = self.db
            row = db.execute("SELECT id FROM caseworkers WHERE initials = ?", [initials]).fetchone()
            if row is None:
                caseworker_id = db.insert_row(
                    "caseworkers", {"initials": initials, "name": name, "created_at": at}
                )
            else:
                caseworker_id = row[0]
                db.execute("UPDATE caseworkers SET name = ? WHERE id = ?", [name, caseworker_id])
            db.execute(
                "INSERT INTO accounts (caseworker_id, role, password_hash, created_at, "
                "password_set_at) VALUES (?, ?, ?, ?, ?)",
                [caseworker_id, role, password_hash, at, at],
            )
        self._any = True
        found = self.by_initials(initials)
        assert found is not None
        return found

    def set_password(self, caseworker_id: int, password_hash: str, *, at: str) -> None:
        """A new password; the count of wrong ones starts again (an admin's reset ends a
        lockout)."""
        with self.db.atomic():
            self.db.execute(
                "UPDATE accounts SET password_hash = ?, password_set_at = ?, failed_logins = 0, "
                "last_failed_at = NULL WHERE caseworker_id = ?",
                [password_hash, at, caseworker_id],
            )

    def set_active(self, caseworker_id: int, active: bool, *, at: str) -> None:
        with self.db.atomic():
            self.db.execute(
                "UPDATE accounts SET active = ?, disabled_at = ? WHERE caseworker_id = ?",
                [int(active), None if active else at, caseworker_id],
            )

    def claim_attempt(
        self, caseworker_id: int, *, at: str, may_try: Callable[[int, str | None], bool]
    ) -> bool:
        """Count a login attempt before its password is checked, in one transaction with
        the check whether the account may try now (``may_try(failures, last_failed_at)``).
        Counting first means tries in parallel (many tabs) cannot slip past the wait: each
        one sees the ones before it. A right password then calls ``login_succeeded``."""
        with self.db.atomic():
            row = self.db.execute(
                "SELECT failed_logins, last_failed_at FROM accounts WHERE caseworker_id = ?",
                [caseworker_id],
            ).fetchone()
            if row is None or not may_try(row[0], row[1]):
                return False
            self.db.execute(
                "UPDATE accounts SET failed_logins = failed_logins + 1, last_failed_at = ? "
                "WHERE caseworker_id = ?",
                [at, caseworker_id],
            )
        return True

    def login_succeeded(self, caseworker_id: int) -> None:
        with self.db.atomic():
            self.db.execute(
                "UPDATE accounts SET failed_logins = 0, last_failed_at = NULL "
                "WHERE caseworker_id = ?",
                [caseworker_id],
            )

    def password_hash(self, caseworker_id: int) -> str | None:
        row = self.db.execute(
            "SELECT password_hash FROM accounts WHERE caseworker_id = ?", [caseworker_id]
        ).fetchone()
        return str(row[0]) if row else None
