"""The job search's rating and channels tell one story: "Jeg søger ikke job" goes with
the rating 1 ("Jeg søger ikke") only, and 1 with no way of searching. The refusals,
what a toggle drops, and the pack's checks of ``scale_value``."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from bip_talk.domain.answer_clash import choice_clash, rating_clash, toggled
from bip_talk.domain.pack import Option


@pytest.fixture
def channels(pack):
    return next(i for i in pack.items("citizen") if i.id == "kanaler")


def test_the_bip_pack_says_which_choice_means_not_searching(channels):
    meaning = [(o.id, o.scale_value) for o in channels.options if o.scale_value is not None]
    assert meaning == [("soeger_ikke", 1)]


def test_a_rating_is_refused_beside_a_choice_that_says_otherwise(channels):
    clash = rating_clash(channels, ("soeger_ikke",), 2)
    assert clash is not None and (clash.said.id, clash.value, clash.rating) == ("soeger_ikke", 1, 2)
    assert rating_clash(channels, ("soeger_ikke",), 1) is None
    ways = rating_clash(channels, ("aviser", "internet"), 1)
    assert ways is not None and [o.id for o in ways.ways] == ["aviser", "internet"]
    assert rating_clash(channels, ("aviser",), 3) is None
    assert rating_clash(channels, ("vil_ikke_svare",), 1) is None  # won't say: no story
    assert rating_clash(None, (), 2) is None  # a step without choices


def test_a_choice_is_refused_beside_a_rating_that_says_otherwise(channels):
    clash = choice_clash(channels, "soeger_ikke", (), 2)
    assert clash is not None and (clash.value, clash.rating) == (1, 2)
    assert choice_clash(channels, "soeger_ikke", (), 1) is None
    way = choice_clash(channels, "netvaerk", (), 1)
    assert way is not None and [o.id for o in way.ways] == ["netvaerk"]
    assert choice_clash(channels, "netvaerk", (), None) is None  # not rated yet
    assert choice_clash(channels, "vil_ikke_svare", (), 4) is None
    # Taking a choice away never clashes: it is how a contradiction is put right.
    assert choice_clash(channels, "soeger_ikke", ("soeger_ikke",), 2) is None


def test_an_exclusive_choice_stands_alone(channels):
    assert toggled(channels, ("internet", "aviser"), "soeger_ikke") == ("soeger_ikke",)
    assert toggled(channels, ("soeger_ikke",), "internet") == ("internet",)
    assert toggled(channels, ("internet",), "aviser") == ("aviser", "internet")  # pack order
    assert toggled(channels, ("aviser", "internet"), "aviser") == ("internet",)


def test_scale_value_only_on_an_exclusive_option():
    text = {"da": "x", "en": "x"}
    with pytest.raises(ValidationError, match="scale_value_not_exclusive"):
        Option(id="x", text=text, scale_value=1)
    with pytest.raises(ValidationError):
        Option(id="x", text=text, exclusive=True, scale_value=6)
    assert Option(id="x", text=text, exclusive=True, scale_value=1).scale_value == 1
