"""The walls between the layers, read from the source: screens and commands reach the
data only through the casework service, and the service reaches the store only
through its one door (where the role checks and the access log are)."""

from __future__ import annotations

import ast
from pathlib import Path

import bip_talk

PACKAGE = Path(bip_talk.__file__).parent
CASEWORK = PACKAGE / "services" / "casework.py"


def _files(*parts: str) -> list[Path]:
    out: list[Path] = []
    for part in parts:
        path = PACKAGE / part
        out += sorted(path.rglob("*.py")) if path.is_dir() else [path]
    return out


def reaches_the_store(source: str) -> list[str]:
    """Every place in ``source`` that names an attribute ``store`` (or ``_store``),
    asks ``getattr`` for one, or imports ``bip_talk.store``."""
    found = []
    for node in ast.walk(ast.parse(source)):
        line = getattr(node, "lineno", 0)
        if isinstance(node, ast.Attribute) and node.attr.lstrip("_") == "store":
            found.append(f"{line}: .{node.attr}")
        elif isinstance(node, ast.ImportFrom) and node.module:
            module = node.module
            if module == "bip_talk.store" or module.startswith("bip_talk.store."):
                found.append(f"{line}: from {module} import")
            elif module == "bip_talk" and any(a.name == "store" for a in node.names):
                found.append(f"{line}: from bip_talk import store")
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name == "bip_talk.store" or alias.name.startswith("bip_talk.store."):
                    found.append(f"{line}: import {alias.name}")
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in ("getattr", "setattr", "hasattr")
            and len(node.args) > 1
            and isinstance(node.args[1], ast.Constant)
            and str(node.args[1].value).lstrip("_") == "store"
        ):
            found.append(f"{line}: {node.func.id}(…, {node.args[1].value!r})")
    return found


def test_the_check_sees_each_way_to_the_store() -> None:
    """The checker itself: each way in is caught (else the tests below prove nothing)."""
    for snippet in (
        "self.workstation.store.citizen(x)",
        "s = session.store",
        "casework._store",
        "from bip_talk.store import Store",
        "from bip_talk.store.repository import Store",
        "import bip_talk.store.health",
        "from bip_talk import store",
        "getattr(app, 'store', None)",
    ):
        assert reaches_the_store(snippet), snippet
    assert not reaches_the_store("self.casework.citizen_overview(cid)\nstore_ready = 1")


def test_no_screen_reaches_the_store() -> None:
    """No ``store`` attribute reached from bip_talk/ui/, no import of bip_talk.store."""
    found = {
        str(path.relative_to(PACKAGE)): hits
        for path in _files("ui")
        if (hits := reaches_the_store(path.read_text(encoding="utf-8")))
    }
    assert found == {}


def test_no_command_reaches_the_store() -> None:
    """The commands use the same casework service (``doctor`` reads the database's
    health – a file's or a server's – without opening it as a store: that is not data
    access)."""
    health = ("bip_talk.store.health", "bip_talk.store.server_health")
    found = {
        str(path.relative_to(PACKAGE)): hits
        for path in _files("commands", "cli.py")
        if (hits := [h for h in reaches_the_store(path.read_text(encoding="utf-8"))])
        and not (path.name == "doctor.py" and all(any(m in h for m in health) for h in hits))
    }
    assert found == {}


def test_casework_reaches_the_store_only_through_its_door() -> None:
    """Inside Casework, only ``__init__`` (which keeps it) and ``_reach`` (the one door)
    touch ``self._store``: every use case passes the door."""
    tree = ast.parse(CASEWORK.read_text(encoding="utf-8"))
    casework = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == "Casework")
    touching = set()
    methods = [n for n in casework.body if isinstance(n, ast.FunctionDef)]
    for method in methods:
        for node in ast.walk(method):
            if (
                isinstance(node, ast.Attribute)
                and node.attr == "_store"
                and isinstance(node.value, ast.Name)
                and node.value.id == "self"
            ):
                touching.add(method.name)
    assert touching == {"__init__", "_reach", "_rebound"}
    # And the door is used: every public method that is not about who acts calls it.
    about_who = {
        *("pack", "t", "signed_in", "acting_as", "in_language", "actor_id"),
        *("role", "account", "via"),
    }
    for method in methods:
        if method.name.startswith("_") or method.name in about_who:
            continue
        calls = {
            n.func.attr
            for n in ast.walk(method)
            if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute)
        }
        assert "_reach" in calls, method.name
