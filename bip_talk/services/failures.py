"""What a failure that escaped a command means for the user (the command line's last
line of defence): a full disk, a damaged or busy database, a name too long for the
file system, a helper process that failed. The SQLite side of it lives in
``store/failures.py``."""

from __future__ import annotations

import errno

from bip_talk.errors import UNEXPECTED_EXIT, BipTalkError
from bip_talk.i18n import Translator
from bip_talk.services.forked import HelperFailed
from bip_talk.store.failures import store_error


def known_failure(exc: BaseException, *, database: object, t: Translator) -> BipTalkError | None:
    """Its own message, or None when ``exc`` is truly unexpected."""
    if isinstance(exc, OSError) and exc.errno == errno.ENAMETOOLONG:
        name = str(exc.filename or "")
        longest = max((len(p.encode()) for p in name.split("/")), default=0)
        if longest > 255:
            return BipTalkError(
                t(
                    "cli.name_too_long",
                    name=name.rsplit("/", 1)[-1][:30] + "…",
                    length=longest,
                    limit=255,
                )
            )
        return BipTalkError(t("cli.path_too_long", length=len(name.encode()), limit=4095))
    if isinstance(exc, HelperFailed) and t.has(f"cli.helper_failed_{exc.work}"):
        # Unexpected still (exit 70), but said for what it is: the work that stopped,
        # the kind of error (never its text: it may quote the file) and that the
        # database is as it was – an import and a seed write all or nothing.
        why = t("cli.helper_error", kind=exc.kind) if exc.kind else t("cli.helper_died")
        failed = BipTalkError(t(f"cli.helper_failed_{exc.work}", why=why))
        failed.exit_code = UNEXPECTED_EXIT
        return failed
    return store_error(exc, path=database, lang=t.lang)
