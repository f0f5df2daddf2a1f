"""Typed messages that flow up from widgets to screens."""

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
