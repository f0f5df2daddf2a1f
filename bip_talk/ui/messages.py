"""Typed messages: up from widgets to screens, and from the app to its screen."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message


@dataclass
class ScaleClicked(Message):
    perspective: str
    digit: int


@dataclass
class ChoiceClicked(Message):
    perspective: str
    option_id: str


@dataclass
class PaneClicked(Message):
    perspective: str


class CaseworkChanged(Message):
    """Sent to the current screen when the database has opened or someone else signed
    in: a screen that shows who is signed in, or data, refreshes."""


@dataclass
class StepShown(Message):
    """The meeting screen shows a new indicator (a rehearsal's citizen answers then)."""

    step: int


@dataclass
class PrivateOpened(Message):
    """The caseworker opened the private reflection (a rehearsal keeps score)."""

    indicator: str | None
