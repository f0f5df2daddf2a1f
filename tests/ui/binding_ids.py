"""Every binding id the app's screens and apps declare, found by importing every module
under bip_talk/ui (tests only: the app itself never imports them all at once)."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

from textual.binding import Binding
from textual.dom import DOMNode

import bip_talk.ui


def declared_binding_ids() -> set[str]:
    ids: set[str] = set()
    for info in pkgutil.walk_packages(bip_talk.ui.__path__, "bip_talk.ui."):
        module = importlib.import_module(info.name)
        for obj in vars(module).values():
            if (
                inspect.isclass(obj)
                and issubclass(obj, DOMNode)
                and obj.__module__ == module.__name__
            ):
                for item in obj.__dict__.get("BINDINGS", []):
                    binding = item if isinstance(item, Binding) else Binding(*item)
                    assert binding.id, f"{obj.__name__}: a binding without an id ({binding.key})"
                    ids.add(binding.id)
    return ids
