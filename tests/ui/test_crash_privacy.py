"""If the app crashes, what reaches the terminal names the kind of error only: no
names, notes or answers from the local variables Textual would otherwise print."""

from __future__ import annotations

import pytest

from .conftest import add_history


async def test_crash_output_has_no_personal_data(app, ws, monkeypatch: pytest.MonkeyPatch, capfd):
    cid = add_history(ws, name="Hemmelig Borgersen")
    secret = "Hemmelig Borgersen"

    def explode(self) -> None:
        name = secret  # noqa: F841 - a local that Textual's traceback would show
        raise RuntimeError("boom " + secret)

    from bip_talk.ui.screens.citizen import CitizenScreen

    monkeypatch.setattr(CitizenScreen, "action_meeting", explode)
    with pytest.raises(RuntimeError):
        async with app.run_test() as pilot:
            await pilot.pause()
            app.open_citizen(cid)
            await pilot.pause()
            await pilot.press("m")
            await pilot.pause()
    out, err = capfd.readouterr()
    printed = out + err
    assert "Uventet fejl (RuntimeError)" in printed
    assert secret not in printed
