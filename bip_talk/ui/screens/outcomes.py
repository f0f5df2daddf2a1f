"""What happened to the citizen after the meetings (ordinary job, job with wage
subsidy or flexjob, education started, other exit): the list, and a dialog to note,
correct or remove one. Every change is one Casework call and leaves an audit row.
The job centre's own BIP tables (``bip-talk stats``) are built from these."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, OptionList, Static

from bip_talk import clock
from bip_talk.domain.dates import entry_text
from bip_talk.domain.outcomes import Outcome
from bip_talk.errors import InputError
from bip_talk.services.outcomes import outcome_kinds, outcome_text
from bip_talk.ui.screens.base import BaseModal
from bip_talk.ui.text import plain, safe_text
from bip_talk.ui.widgets.choice import ChoiceField
from bip_talk.ui.widgets.form import field_row
from bip_talk.ui.widgets.marked import MarkedButton, MarkedOptionList


class OutcomesScreen(BaseModal):
    """The citizen's outcomes, oldest first; ``n`` notes a new one, Enter corrects the
    highlighted one, ``d`` removes it (asked first)."""

    BINDINGS = [
        Binding("n", "new", "keys.outcome_new", id="outcome-new"),
        Binding("d", "delete", "keys.outcome_delete", id="outcome-delete"),
        Binding("escape", "close", "keys.close", id="close"),
    ]

    def __init__(self, citizen_id: str) -> None:
        super().__init__()
        self.citizen_id = citizen_id
        self.outcomes: list[Outcome] = []

    def compose(self) -> ComposeResult:
        citizen = self.casework.citizen(self.citizen_id)
        with Vertical(classes="dialog"):
            yield Static(
                plain(self.t("outcomes.title", name=citizen.display_name, id=citizen.id)),
                classes="dialog-title",
            )
            yield MarkedOptionList(id="outcome-list")
            yield Static(plain(self.t("outcomes.none")), id="outcome-none")
            yield Static(self.t("outcomes.screen_hint", keys=self.keys), classes="dialog-hint")

    def on_mount(self) -> None:
        self.refresh_list()

    def refresh_list(self, *, keep: bool = False) -> None:
        self.outcomes = self.casework.outcomes(self.citizen_id)
        listing = self.query_one(MarkedOptionList)
        listing.show(((outcome_text(o, self.t), str(o.id)) for o in self.outcomes), keep=keep)
        listing.display = bool(self.outcomes)
        self.query_one("#outcome-none").display = not self.outcomes
        if self.outcomes:
            listing.focus()

    def _highlighted(self) -> Outcome | None:
        index = self.query_one(MarkedOptionList).highlighted
        return self.outcomes[index] if index is not None and self.outcomes else None

    def _edit(self, outcome: Outcome | None) -> None:
        def saved(changed: bool | None) -> None:
            if changed:
                self.refresh_list(keep=outcome is not None)

        self.app.push_screen(OutcomeDialog(self.citizen_id, outcome), callback=saved)

    def action_new(self) -> None:
        self._edit(None)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._edit(self._highlighted())

    def action_delete(self) -> None:
        from bip_talk.ui.screens.confirm import ConfirmScreen

        outcome = self._highlighted()
        if outcome is None:
            self.notify(self.t("outcomes.nothing_to_delete"))
            return

        def answer(yes: bool | None) -> None:
            if yes:
                self.casework.delete_outcome(self.citizen_id, outcome.id)
                self.notify(
                    safe_text(self.t("outcomes.removed", line=outcome_text(outcome, self.t))),
                    markup=False,
                )
                self.refresh_list()

        question = self.t("outcomes.delete_question", line=outcome_text(outcome, self.t))
        self.app.push_screen(ConfirmScreen(question, safe_no=True), callback=answer)

    def action_close(self) -> None:
        self.dismiss(None)


class OutcomeDialog(BaseModal):
    """Note a new outcome (``outcome`` None) or correct one: its kind and its date.
    Dismissed with True once saved, None when cancelled."""

    BINDINGS = [
        Binding("ctrl+s", "save", "keys.save", priority=True, id="save"),
        Binding("escape", "cancel", "keys.cancel", id="cancel"),
    ]

    def __init__(self, citizen_id: str, outcome: Outcome | None = None) -> None:
        super().__init__()
        self.citizen_id = citizen_id
        self.outcome = outcome

    def compose(self) -> ComposeResult:
        t, o = self.t, self.outcome
        kinds: list[tuple[str, str | None]] = [(name, code) for code, name in outcome_kinds(t)]
        with Vertical(classes="dialog"):
            yield Static(
                plain(t("outcomes.edit_title" if o else "outcomes.new_title")),
                classes="dialog-title",
            )
            yield field_row(
                t("outcomes.kind_label"),
                ChoiceField(
                    kinds, o.kind if o else None, title=t("outcomes.kind_label"), id="kind"
                ),
            )
            yield field_row(
                t("outcomes.date_label"),
                Input(
                    entry_text(o.occurred_on if o else clock.today().isoformat()),
                    id="occurred-on",
                    max_length=10,
                    placeholder=t("outcomes.date_placeholder"),
                ),
            )
            yield Static(
                t("outcomes.dialog_hint", keys=self.keys), id="hint", classes="dialog-hint"
            )
            yield Static(id="error", classes="dialog-error")
            with Horizontal(classes="dialog-buttons"):
                yield MarkedButton(t("outcomes.save"), id="save", variant="primary")
                yield MarkedButton(t("common.cancel"), id="cancel")

    def on_mount(self) -> None:
        self.query_one("#error").display = False
        self.query_one("#kind", ChoiceField).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save":
            self.action_save()
        else:
            self.action_cancel()

    def _say(self, message: str) -> None:
        """The message in the hint's place, so the dialog keeps fitting 80×24."""
        error = self.query_one("#error", Static)
        error.update(plain(message))
        error.display = True
        self.query_one("#hint").display = False

    def action_save(self) -> None:
        self.after_typing(self._save)  # the letters typed just before Ctrl+S too

    def _save(self) -> None:
        kind = self.query_one("#kind", ChoiceField).value or ""
        day = self.query_one("#occurred-on", Input).value.strip()
        try:
            if self.outcome is None:
                saved = self.casework.record_outcome(self.citizen_id, kind, day)
                key = "outcomes.noted"
            else:
                saved = self.casework.edit_outcome(
                    self.citizen_id, self.outcome.id, kind=kind, occurred_on=day
                )
                key = "outcomes.corrected"
        except InputError as exc:  # a date that is not a date, or in the future
            self._say(exc.message)
            self.query_one("#occurred-on", Input).focus()
            return
        self.notify(safe_text(self.t(key, line=outcome_text(saved, self.t))), markup=False)
        self.dismiss(True)

    def action_cancel(self) -> None:
        self.dismiss(None)
