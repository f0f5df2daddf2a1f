"""The one exception family that reaches users.

Everything a user can get wrong (a pack file, an import file, a database path, an
argument) ends as a ``BipTalkError`` with a plain message; the CLI prints it and
exits with ``exit_code``. Anything else escaping is a bug.
"""

from __future__ import annotations

# The exit status of a bug: anything unexpected, in a command or in the app (EX_SOFTWARE).
UNEXPECTED_EXIT = 70


class BipTalkError(Exception):
    exit_code = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class PackError(BipTalkError):
    """A questionnaire pack that cannot be used; ``problems`` lists each finding."""

    exit_code = 2

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))


class StoreError(BipTalkError):
    """The database cannot be opened or used as asked."""

    exit_code = 3


class BusyError(StoreError):
    """Another bip-talk window held the database for longer than the busy timeout:
    nothing was saved, and trying again in a moment may work."""


class InputError(BipTalkError):
    """A file or argument given by the user is not acceptable."""

    exit_code = 2


class NotFoundError(BipTalkError):
    exit_code = 4


class AccessRefused(BipTalkError):
    """The signed-in role may not do this, or nobody has logged in on a database with
    personal accounts. The refusal is in the access log."""

    exit_code = 5


class LoginRefused(AccessRefused):
    """Wrong initials or password, a disabled account, or an account that must wait
    after too many wrong passwords (``wait_s`` > 0)."""

    def __init__(self, message: str, wait_s: int = 0) -> None:
        super().__init__(message)
        self.wait_s = wait_s
