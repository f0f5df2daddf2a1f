"""What every bip-talk screen shares: the translator and translated bindings."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.screen import ModalScreen, Screen

from bip_talk.i18n import Translator
from bip_talk.ui.bindings import translate_bindings

if TYPE_CHECKING:
    from bip_talk.services.workstation import Workstation
    from bip_talk.ui.app import BipTalkApp


class _Common:
    app: BipTalkApp

    @property
    def t(self) -> Translator:
        return self.app.t

    @property
    def workstation(self) -> Workstation:
        return self.app.workstation

    def on_mount(self) -> None:  # noqa: D401 - textual hook
        translate_bindings(self, self.t)  # type: ignore[arg-type]
        self.refresh_bindings()  # type: ignore[attr-defined]


class BaseScreen(_Common, Screen):
    pass


class BaseModal(_Common, ModalScreen):
    pass
