"""Fill in an agreed action: what, who, from when and by when (and the type, for a
free one). Dates are typed as the screens show them, dd.mm.åååå (ÅÅÅÅ-MM-DD works
too), and checked here: a date that is not one keeps the dialog open with a message
naming the field, the cursor in it, nothing typed lost. Each label sits beside its
field so the dialog fits 80×24 with its buttons in view; the type is a chooser whose
value and focus read without colour."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.events import Resize
from textual.widgets import Button, Input, Static

from bip_talk.domain.dates import entry_text, read_day
from bip_talk.ui.screens.base import BaseModal
from bip_talk.ui.sizes import SHORT
from bip_talk.ui.text import plain, safe_text
from bip_talk.ui.widgets.choice import ChoiceField
from bip_talk.ui.widgets.form import field_row
from bip_talk.ui.widgets.marked import MarkedButton
from bip_talk.user_text import problem

# Below this height the fields are one line each (no frame), so the buttons stay in
# view at 80×24 even with the type, a warning and a combination's parts.


class PlanItemDialog(BaseModal):
    BINDINGS = [
        Binding("ctrl+s", "save", "keys.save", priority=True, id="save"),
        Binding("escape", "cancel", "keys.cancel", id="cancel"),
    ]

    def __init__(
        self,
        title: str,
        values: dict[str, str],
        kinds: list[tuple[str, str]] | None,
        warning: str = "",
        *,
        parts: str = "",
    ) -> None:
        """``kinds``: (name, id) of the types to choose from (a free action); ``parts``:
        what else a combination becomes (shown: each part is an action of its own)."""
        super().__init__()
        self.heading = title
        self.values = values
        self.kinds = kinds
        self.warning = warning
        self.parts = parts

    def compose(self) -> ComposeResult:
        t, v = self.t, self.values
        with Vertical(classes="dialog"):
            yield Static(plain(self.heading), classes="dialog-title")
            if self.parts:
                yield Static(plain(self.parts), id="parts")
            if self.kinds is not None:
                choices: list[tuple[str, str | None]] = [(n, k) for n, k in self.kinds]
                yield field_row(
                    t("planui.field_kind"),
                    ChoiceField(
                        choices,
                        v.get("kind") or self.kinds[-1][1],
                        title=t("planui.field_kind"),
                        id="kind",
                    ),
                )
            yield field_row(t("planui.field_title"), Input(v.get("title", ""), id="title"))
            yield field_row(
                t("planui.field_responsible"), Input(v.get("responsible", ""), id="responsible")
            )
            yield field_row(
                t("planui.field_starts_on"),
                Input(
                    entry_text(v.get("starts_on")),
                    id="starts_on",
                    placeholder=t("planui.date_placeholder"),
                ),
            )
            yield field_row(
                t("planui.field_due_on"),
                Input(
                    entry_text(v.get("due_on")),
                    id="due_on",
                    placeholder=t("planui.date_placeholder"),
                ),
            )
            if self.warning:
                yield Static(plain(self.warning), classes="dialog-error")
            hint = t("planui.item_hint", keys=self.keys)
            if self.kinds is not None:
                hint += " · " + t("planui.kind_hint")
            yield Static(hint, id="item-hint", classes="dialog-hint")
            yield Static(id="item-error", classes="dialog-error")
            with Horizontal(classes="dialog-buttons"):
                yield MarkedButton(t("planui.save"), id="save", variant="primary")
                yield MarkedButton(t("common.cancel"), id="cancel")

    def on_mount(self) -> None:
        self.set_class(self.app.size.height < SHORT, "-short")
        self.query_one("#item-error").display = False
        self.query_one("#title", Input).focus()

    def _say(self, message: str, field: str) -> None:
        """The message in the hint's place (the dialog keeps fitting 80×24), the cursor
        in the field it is about."""
        error = self.query_one("#item-error", Static)
        error.update(plain(message))
        error.display = True
        self.query_one("#item-hint").display = False
        self.query_one(f"#{field}", Input).focus()

    def on_resize(self, event: Resize) -> None:
        self.set_class(self.app.size.height < SHORT, "-short")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save":
            self.action_save()
        else:
            self.action_cancel()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    def action_save(self) -> None:
        self.after_typing(self._save)  # the letters typed just before Ctrl+S too

    def _save(self) -> None:
        out = {
            name: self.query_one(f"#{name}", Input).value.strip()
            for name in ("title", "responsible", "starts_on", "due_on")
        }
        if self.kinds is not None:
            out["kind"] = str(self.query_one("#kind", ChoiceField).value)
        for name in ("title", "responsible"):  # CPR, control characters
            if refused := problem(out[name], name, self.t.lang):
                self.notify(safe_text(refused), severity="error", markup=False)
                self.query_one(f"#{name}", Input).focus()
                return
        for name in ("starts_on", "due_on"):
            if not out[name]:
                continue
            day = read_day(out[name])
            if day is None:
                label = self.t(f"planui.field_{name}")
                self._say(self.t("planui.bad_date", field=label, value=out[name]), name)
                return
            out[name] = day.isoformat()  # the plan keeps ISO dates
        self.dismiss(out)

    def action_cancel(self) -> None:
        self.dismiss(None)


class ReasonDialog(BaseModal):
    """Why a suggestion was declined (optional; kept for the handover)."""

    BINDINGS = [Binding("escape", "cancel", "keys.cancel", id="cancel")]

    def __init__(self, title: str, reason: str = "") -> None:
        super().__init__()
        self.heading = title
        self.reason = reason

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(plain(self.heading), classes="dialog-title")
            yield Static(self.t("planui.decline_reason"))
            yield Input(self.reason, id="reason")
            with Horizontal(classes="dialog-buttons"):
                yield MarkedButton(self.t("planui.give_reason"), id="ok", variant="primary")
                yield MarkedButton(self.t("common.cancel"), id="cancel")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._done()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "ok":
            self._done()
        else:
            self.dismiss(None)

    def _done(self) -> None:
        reason = self.query_one(Input).value.strip()
        if refused := problem(reason, "decline_reason", self.t.lang):  # CPR, control chars
            self.notify(safe_text(refused), severity="error", markup=False)
            return
        self.dismiss(reason)

    def action_cancel(self) -> None:
        self.dismiss(None)
