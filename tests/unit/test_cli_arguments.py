"""Wrong *arguments* (not just unknown options) for every command: a missing required
argument or a value of the wrong kind gives usage help and exit 2, never a traceback.

Commands and their parameters are read from the click group, so commands added later
are covered without touching this file. (Unknown options: ``test_cli.py``.)
"""

from __future__ import annotations

import click
import pytest

from bip_talk import cli as cli_module

NONSENSE = "§not-a-valid-value§"


def _commands() -> list[tuple[list[str], click.Command]]:
    cli_module._register_subcommands()
    out: list[tuple[list[str], click.Command]] = []

    def walk(group: click.Group, prefix: list[str]) -> None:
        for name, command in sorted(group.commands.items()):
            out.append(([*prefix, name], command))
            if isinstance(command, click.Group):
                walk(command, [*prefix, name])

    walk(cli_module.cli, [])
    return out


def _rejects(param: click.Parameter, value: str) -> bool:
    try:
        param.type.convert(value, param, None)
    except click.BadParameter:
        return True
    except Exception:  # noqa: BLE001 – a type that cannot judge without a context
        return False
    return False


def _cases() -> list[tuple[str, list[str]]]:
    cases: list[tuple[str, list[str]]] = []
    for path, command in _commands():
        required = [p for p in command.params if isinstance(p, click.Argument) and p.required]
        if required:
            cases.append((f"{' '.join(path)} (missing {required[0].name})", path))
        for param in command.params:
            if isinstance(param, click.Option) and not param.is_flag and param.opts:
                if _rejects(param, NONSENSE):
                    filler = [NONSENSE] * len(required)
                    cases.append(
                        (
                            f"{' '.join(path)} {param.opts[0]}",
                            [*path, *filler, param.opts[0], NONSENSE],
                        )
                    )
    for param in cli_module.cli.params:  # the group's own options, e.g. --lang
        if isinstance(param, click.Option) and not param.is_flag and _rejects(param, NONSENSE):
            cases.append((f"bip-talk {param.opts[0]}", [param.opts[0], NONSENSE, "where"]))
    return cases


CASES = _cases()


def test_there_is_something_to_check() -> None:
    assert any("missing" in name for name, _ in CASES)
    assert any("--lang" in name for name, _ in CASES)


@pytest.mark.parametrize("args", [a for _, a in CASES], ids=[n for n, _ in CASES])
def test_wrong_arguments_give_usage_and_exit_2(args: list[str], capsys) -> None:
    with pytest.raises(SystemExit) as info:
        cli_module.main(args)
    captured = capsys.readouterr()
    assert info.value.code == 2, captured.err
    assert "Brug: bip-talk" in captured.err
    assert "Traceback" not in captured.out + captured.err
