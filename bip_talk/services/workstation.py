"""The workstation: settings, preferences, the pack and the database, opened on demand.

One object the CLI and the app both receive; nothing is opened or created until
``open()`` is called. ``open()`` hands back the ``Casework`` service: the only way the
screens and the commands reach the data.
"""

from __future__ import annotations

import threading
from dataclasses import replace
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from bip_talk.i18n import DEFAULT_LANGUAGE, Translator
from bip_talk.settings import (
    Preferences,
    Settings,
    SettingsError,
    ensure_private_dir,
    load_preferences,
    save_preferences,
    set_aside,
)

if TYPE_CHECKING:
    from bip_talk.domain.access import Channel
    from bip_talk.domain.pack import Pack
    from bip_talk.services.casework import Casework
    from bip_talk.store import Store


class Workstation:
    def __init__(self, settings: Settings, preferences: Preferences | None = None) -> None:
        self.settings = settings
        self._prefs = preferences
        self._prefs_problem: SettingsError | None = None
        self._store: Store | None = None
        self._store_lock = threading.Lock()
        # False: only open a database that exists and holds data (commands that read,
        # like report or erase), never create one, not even in an empty file.
        self.create_database = True
        # False in a served session: the settings file belongs to the server, and one
        # browser user's language or theme must not become everyone's.
        self.remember_preferences = True

    @property
    def preferences(self) -> Preferences:
        """settings.toml, read once; SettingsError (exit 2) when it cannot be used."""
        if self._prefs is None:
            prefs = load_preferences(self.settings.preferences_file, self.settings.language)
            if self.settings.language:
                prefs = replace(prefs, language=self.settings.language)
            self._prefs = prefs
        return self._prefs

    def open_preferences(self) -> SettingsError | None:
        """For the app: read settings.toml; when it cannot be used, go on with the
        defaults for now and return the problem (the same one on every call until the
        file is set aside), so the app can ask what to do."""
        if self._prefs_problem is None and self._prefs is None:
            try:
                _ = self.preferences
            except SettingsError as exc:
                self.use_default_preferences()
                self._prefs_problem = exc
        return self._prefs_problem

    def use_default_preferences(self) -> None:
        """Defaults in memory (nothing written); the language asked for on the command
        line still holds."""
        self._prefs = Preferences(language=self.settings.language or DEFAULT_LANGUAGE)

    def set_aside_preferences(self) -> Path:
        """Keep the unusable settings.toml as settings.toml.bad and go on with defaults;
        the next saved change writes a fresh settings.toml."""
        kept = set_aside(self.settings.preferences_file)
        self.use_default_preferences()
        self._prefs_problem = None
        return kept

    def save_preferences(self, prefs: Preferences) -> None:
        self._prefs = prefs
        if not self.remember_preferences:
            return
        ensure_private_dir(self.settings.preferences_file.parent)
        save_preferences(self.settings.preferences_file, prefs)

    @property
    def lang(self) -> str:
        return self.settings.language or self.preferences.language

    @property
    def t(self) -> Translator:
        return Translator(self.lang)

    @cached_property
    def pack(self) -> Pack:
        from bip_talk.packs import load_pack  # pydantic: not needed for the first screen

        return load_pack(self.settings.pack, self.lang)

    @property
    def database_path(self) -> Path:
        """The SQLite file (the default location when the database is on a server)."""
        return self.settings.database

    @property
    def database_label(self) -> str:
        return database_label(self.settings)

    @property
    def reports_folder(self) -> Path:
        """Where the app saves reports itself (the review's "save"); erasure deletes a
        citizen's files here."""
        return self.settings.data_dir / "reports"

    @property
    def is_open(self) -> bool:
        return self._store is not None

    def open(self, *, sign_in: bool = False, channel: Channel = "app") -> Casework:
        """Open the database (once, even when the app does it from a worker thread while
        the first screen is showing) and return the casework of whoever is signed in on
        this workstation.

        ``sign_in=True`` (the app): the signed-in caseworker's row is added if the
        database does not know them yet. Otherwise (the commands) a caseworker the
        database does not know is not added: an export must not gain a row because it
        was run; ``actor`` is then None.

        On a database with personal accounts nobody is signed in from the settings
        file: the casework acts only after ``log_in`` (the app's login screen, the
        commands' --login)."""
        from bip_talk.services.access import Principal
        from bip_talk.services.casework import Casework

        store = self._open_store()
        prefs = self.preferences
        casework = Casework(
            store,
            lambda: self.pack,
            self.lang,
            None,
            reports_folder=self.reports_folder,
            principal=Principal(channel=channel),
        )
        if not prefs.has_user or casework.has_accounts():
            return casework
        if sign_in:
            return casework.signed_in(prefs.caseworker_initials, prefs.caseworker_name)
        known = casework.find_caseworker(prefs.caseworker_initials)
        return casework.acting_as(known) if known else casework

    def sign_in(self, name: str, initials: str) -> Casework:
        """Remember who is at the keyboard on this workstation, and open as them."""
        self.save_preferences(
            replace(
                self.preferences,
                caseworker_name=name.strip(),
                caseworker_initials=initials.strip().upper(),
            )
        )
        return self.open(sign_in=True)

    def _open_store(self) -> Store:
        with self._store_lock:
            if self._store is None:
                from bip_talk.store import Store  # sqlite-utils: ~90 ms
                from bip_talk.store.targets import open_target

                target = self.settings.database_target
                if not self.settings.on_server and self.settings.db_path is None:
                    ensure_private_dir(self.database_path.parent)
                self._store = Store(
                    open_target(target, create=self.create_database, lang=self.lang)
                )
            return self._store

    @classmethod
    def around(
        cls, settings: Settings, preferences: Preferences, *, store: Store, pack: Pack
    ) -> Workstation:
        """A workstation over an already open store and pack (a training rehearsal's
        throwaway database): nothing else is opened."""
        ws = cls(settings, preferences)
        ws._store = store
        ws.__dict__["pack"] = pack
        return ws

    def close(self) -> None:
        with self._store_lock:
            if self._store is not None:
                self._store.close()
                self._store = None


def database_label(settings: Settings) -> str:
    """How messages name the database: the file, or the URL without its password."""
    from bip_talk.store.dialect import redacted

    return redacted(settings.db_url) if settings.db_url else str(settings.database)
