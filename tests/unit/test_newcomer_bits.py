"""Smaller things a newcomer hit: doctor before the app ever ran, the demo's showcase
citizens listed with what they show, figures that never break from their unit, and
an undefined kappa shown as "–". The commands run for real, in a subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from bip_talk.domain.training.calibration import agreement
from bip_talk.domain.typography import NBSP, glue_units, no_break
from bip_talk.domain.wording import decimal, with_unit
from bip_talk.i18n import Translator
from bip_talk.services.synthetic.demo import DEMO


def _run(args: list[str], data: Path, lang: str = "da") -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BIP_TALK_")}
    env.update(BIP_TALK_DATA_DIR=str(data), BIP_TALK_LANG=lang)
    return subprocess.run(
        [sys.executable, "-m", "bip_talk", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )


@pytest.mark.parametrize("lang", ["da", "en"])
def test_doctor_on_a_machine_that_never_ran_the_app(tmp_path, lang):
    data = tmp_path / "never" / "bip-talk"
    result = _run(["doctor"], data, lang)
    assert result.returncode == 0, result.stderr
    said = {"da": "Der er ingen database endnu", "en": "There is no database yet"}[lang]
    assert said in result.stdout and str(data / "bip-talk.db") in result.stdout
    assert "findes ikke" not in result.stdout + result.stderr
    assert not data.exists()  # doctor creates nothing


def test_doctor_on_a_named_file_that_is_missing_is_still_an_error(tmp_path):
    result = _run(["--db", str(tmp_path / "nope.db"), "doctor"], tmp_path / "data")
    assert result.returncode != 0 and "nope.db" in result.stderr


def test_demo_list_names_the_showcase_citizens_first(tmp_path):
    result = _run(["demo", "--list"], tmp_path / "data")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    names = [spec.name for spec in DEMO]
    listed = [n for line in lines[1:] for n in names if f" {n}" in line]
    assert listed == names  # every hand-shaped citizen, in a fixed order
    draft = next(line for line in lines if "Ahmed Pauselund" in line)
    assert "ufærdig samtale" in draft
    assert all(line.strip().startswith("B-") for line in lines[1:])


def test_figures_stay_with_their_unit():
    assert with_unit(26.8, "%", "da") == f"26,8{NBSP}%"
    assert with_unit(26.8, "%", "en") == f"26.8{NBSP}%"
    assert (
        glue_units("mindsker jobchancen med 22 % (BIP)")
        == f"mindsker jobchancen med 22{NBSP}% (BIP)"
    )
    assert glue_units("4 mod 2 og 3,6 procentpoint") == f"4 mod 2 og 3,6{NBSP}procentpoint"
    # The catalogs glue them for every text they give.
    assert f"22{NBSP}%" in Translator("da")("reassign.warning")
    # And a wrapped line never splits them.
    text = "x" * 70 + " " + no_break("26,8 %")
    assert all(not line.startswith("%") for line in textwrap.wrap(glue_units(text), 74))


def test_an_undefined_kappa_is_a_dash_never_minus_zero():
    assert decimal(None, "da") == "–"
    assert decimal(-1e-16, "da") == "0,00" and decimal(-0.004, "en") == "0.00"
    assert decimal(0.8, "da") == "0,80" and decimal(-0.5, "da") == "−0,50"
    # A trainee who always says 3: kappa says nothing then.
    assert agreement([(3, 2), (3, 3), (3, 4)]).kappa is None
    assert agreement([(2, 2), (3, 3), (4, 3)]).kappa is not None


@pytest.mark.parametrize("lang", ["da", "en"])
def test_the_drill_summary_shows_the_dash(pack, lang):
    from bip_talk.domain.training.vignettes import vignettes_of
    from bip_talk.services.training.calibration_drill import score, summary, tasks

    vs = vignettes_of(pack)
    ratings = {(task.vignette.id, task.indicator): 3 for task in tasks(pack, vs.vignettes)}
    text = "\n".join(summary(pack, score(pack, vs, ratings), Translator(lang)))
    assert {"da": "Vægtet kappa: –.", "en": "Weighted kappa: –."}[lang] in text
    assert "0,00" not in text and "0.00" not in text
    assert f"{NBSP}%)" in text  # the shares keep their unit
