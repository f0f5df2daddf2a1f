"""The workstation: settings, preferences, the pack and the store, opened on demand.

One object the CLI and the app both receive; nothing is opened or created until a
use case asks for it.
"""

from __future__ import annotations

import threading
from dataclasses import replace
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from bip_talk.domain.entities import Caseworker
from bip_talk.i18n import Translator
from bip_talk.settings import (
    Preferences,
    Settings,
    ensure_private_dir,
    load_preferences,
    save_preferences,
)

if TYPE_CHECKING:
    from bip_talk.domain.pack import Pack
    from bip_talk.store import Store


class Workstation:
    def __init__(self, settings: Settings, preferences: Preferences | None = None) -> None:
        self.settings = settings
        self._prefs = preferences
        self._store: Store | None = None
        self._store_lock = threading.Lock()

    @property
    def preferences(self) -> Preferences:
        if self._prefs is None:
            self._prefs = load_preferences(self.settings.preferences_file)
            if self.settings.language:
                self._prefs = replace(self._prefs, language=self.settings.language)
        return self._prefs

    def save_preferences(self, prefs: Preferences) -> None:
        self._prefs = prefs
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
    def store(self) -> Store:
        """Opened on first use, once, even when the app opens it from a worker thread
        while the first screen is already showing."""
        with self._store_lock:
            if self._store is None:
                from bip_talk.store import Store, open_database  # sqlite-utils: ~90 ms

                path = self.database_path
                if self.settings.db_path is None:
                    ensure_private_dir(path.parent)
                self._store = Store(open_database(path, lang=self.lang))
            return self._store

    @property
    def store_is_open(self) -> bool:
        return self._store is not None

    @property
    def database_path(self) -> Path:
        return self.settings.database

    def current_caseworker(self) -> Caseworker | None:
        prefs = self.preferences
        if not prefs.has_user:
            return None
        return self.store.ensure_caseworker(prefs.caseworker_initials, prefs.caseworker_name)

    def sign_in(self, name: str, initials: str) -> Caseworker:
        prefs = replace(
            self.preferences,
            caseworker_name=name.strip(),
            caseworker_initials=initials.strip().upper(),
        )
        self.save_preferences(prefs)
        return self.store.ensure_caseworker(prefs.caseworker_initials, prefs.caseworker_name)

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
