"""Create a citizen, or change their facts: a display name, and the facts the
suggestions read (target group, birth year, highest completed education). The app
gives a pseudonymous id; a CPR number or a control character is refused with a
message that names the field, and the dialog stays open."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Static

from bip_talk.domain.entities import Citizen
from bip_talk.errors import InputError
from bip_talk.services.citizen_facts import fact_choices
from bip_talk.ui.screens.base import BaseModal
from bip_talk.ui.text import plain, safe_text
from bip_talk.ui.widgets.choice import ChoiceField
from bip_talk.ui.widgets.form import field_row
from bip_talk.ui.widgets.marked import MarkedButton
from bip_talk.user_text import problem


class NewCitizenScreen(BaseModal):
    """``citizen``: edit that citizen's facts instead of creating one. Dismissed with
    the citizen's id once saved, None when cancelled."""

    BINDINGS = [
        Binding("ctrl+s", "save", "keys.save", priority=True, id="save"),
        Binding("escape", "cancel", "keys.cancel", id="cancel"),
    ]

    def __init__(self, citizen: Citizen | None = None) -> None:
        super().__init__()
        self.citizen = citizen

    def compose(self) -> ComposeResult:
        t, c = self.t, self.citizen
        choices = fact_choices(self.casework.pack, t.lang)
        groups: list[tuple[str, str | None]] = [(t("new_citizen.not_recorded"), None)]
        groups += [(g.name, g.id) for g in choices.target_groups]
        if c and c.target_group and c.target_group not in {v for _, v in groups}:
            groups.append((c.target_group, c.target_group))  # no longer offered: kept as is
        levels: list[tuple[str, str | None]] = [(t("new_citizen.not_recorded"), None)]
        levels += [(e.name, e.id) for e in choices.education_levels]
        title = t("new_citizen.edit_title", name=c.display_name) if c else t("new_citizen.title")
        with Vertical(classes="dialog"):
            yield Static(plain(title), classes="dialog-title")
            yield field_row(
                t("new_citizen.name_label"),
                Input(
                    c.display_name if c else "",
                    id="name",
                    placeholder=t("new_citizen.name_placeholder"),
                ),
            )
            yield field_row(
                t("new_citizen.born_label"),
                Input(
                    str(c.birth_year) if c and c.birth_year else "",
                    id="birth-year",
                    restrict=r"[0-9]*",
                    max_length=4,
                    placeholder=t("new_citizen.born_placeholder"),
                ),
                hint=t("new_citizen.optional"),
            )
            yield field_row(
                t("new_citizen.group_label"),
                ChoiceField(
                    groups,
                    c.target_group if c else None,
                    title=t("new_citizen.group_label"),
                    id="group",
                ),
            )
            yield field_row(
                t("new_citizen.education_label"),
                ChoiceField(
                    levels,
                    c.education if c else None,
                    title=t("new_citizen.education_label"),
                    id="education",
                ),
            )
            yield Static(
                t("new_citizen.edit_hint" if c else "new_citizen.hint"),
                id="hint",
                classes="dialog-hint",
            )
            yield Static(id="error", classes="dialog-error")
            with Horizontal(classes="dialog-buttons"):
                yield MarkedButton(
                    t("new_citizen.save" if c else "new_citizen.create"),
                    id="create",
                    variant="primary",
                )
                yield MarkedButton(t("common.cancel"), id="cancel")

    def on_mount(self) -> None:
        self.query_one("#error", Static).display = False
        self.query_one("#name", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    def on_input_changed(self, event: Input.Changed) -> None:
        # A message about a field goes once that field is right again.
        error = self.query_one("#error", Static)
        if error.display and event.input.id == "name" and self._name_problem() is None:
            self._say(None)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "create":
            self.action_save()
        else:
            self.action_cancel()

    def _name_problem(self) -> str | None:
        name = self.query_one("#name", Input).value.strip()
        if not name:
            return self.t("new_citizen.name_missing")
        return problem(name, "display_name", self.t.lang)  # CPR, control characters

    def _say(self, message: str | None) -> None:
        """The message in the hint's place, so the dialog keeps fitting 80×24."""
        error = self.query_one("#error", Static)
        error.update(plain(message or ""))
        error.display = bool(message)
        self.query_one("#hint").display = not message

    def _facts(self) -> dict[str, Any]:
        return {
            "display_name": self.query_one("#name", Input).value.strip(),
            "birth_year": self.query_one("#birth-year", Input).value.strip() or None,
            "target_group": self.query_one("#group", ChoiceField).value,
            "education": self.query_one("#education", ChoiceField).value,
        }

    def action_save(self) -> None:
        self.after_typing(self._save)  # the letters typed just before Ctrl+S too

    def _save(self) -> None:
        if refused := self._name_problem():
            self._say(refused)
            self.query_one("#name", Input).focus()
            return
        facts = self._facts()
        try:
            if self.citizen is None:
                name = facts.pop("display_name")
                citizen = self.casework.create_citizen(name, **facts)
                self.notify(
                    safe_text(
                        self.t("new_citizen.created", name=citizen.display_name, id=citizen.id)
                    ),
                    markup=False,
                )
            else:
                before = self.citizen
                changes = {k: v for k, v in facts.items() if v != _fact(before, k)}
                citizen = self.casework.edit_citizen(before.id, **changes) if changes else before
        except InputError as exc:  # a birth year out of range, a group no longer valid
            self._say(exc.message)
            if exc.message.lower().startswith(self.t("citizen_facts.born").lower()):
                self.query_one("#birth-year", Input).focus()
            return
        self.dismiss(citizen.id)

    def action_cancel(self) -> None:
        self.dismiss(None)


def _fact(citizen: Citizen, name: str) -> Any:
    value = getattr(citizen, name)
    return str(value) if name == "birth_year" and value is not None else value
