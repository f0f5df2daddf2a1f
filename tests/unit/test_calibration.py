"""Agreement over a calibration drill (exact, within one, quadratic-weighted kappa) and
the drill service (seeded order, scoring, learning-framed summary)."""

from __future__ import annotations

import pytest

from bip_talk.domain.training.calibration import agreement, quadratic_weighted_kappa
from bip_talk.domain.training.vignettes import vignettes_of
from bip_talk.errors import InputError
from bip_talk.i18n import Translator
from bip_talk.services.training.calibration_drill import Drill, order, score, summary, tasks
from bip_talk.settings import Settings

# Hand example: five vignettes, trainee vs reference on 1–5.
#   trainee   a = 1 2 3 4 5
#   reference b = 1 3 3 3 4
# Exact: pairs 1 and 3 agree -> 2/5 = 0.4. Within one: |a-b| = 0 1 0 1 1 -> 5/5 = 1.0.
# Mean difference (a - b): (0 - 1 + 0 + 1 + 1) / 5 = 0.2.
# Quadratic weights w = (i-j)^2 / (k-1)^2 = (i-j)^2 / 16; the 16 cancels in the ratio.
# Observed: sum of (a-b)^2 over the pairs = 0+1+0+1+1 = 3, per pair 3/5 = 0.6.
# Expected (every trainee rating against every reference rating, 25 pairings):
#   a=1: (1-1)^2 + 3*(1-3)^2 + (1-4)^2 = 0 + 12 + 9 = 21
#   a=2: (2-1)^2 + 3*(2-3)^2 + (2-4)^2 = 1 + 3 + 4  = 8
#   a=3: (3-1)^2 + 3*(3-3)^2 + (3-4)^2 = 4 + 0 + 1  = 5
#   a=4: (4-1)^2 + 3*(4-3)^2 + (4-4)^2 = 9 + 3 + 0  = 12
#   a=5: (5-1)^2 + 3*(5-3)^2 + (5-4)^2 = 16 + 12 + 1 = 29
#   total 75, per pairing 75/25 = 3.0
# kappa = 1 - 0.6 / 3.0 = 0.8
HAND = [(1, 1), (2, 3), (3, 3), (4, 3), (5, 4)]


def test_hand_computed_example():
    a = agreement(HAND)
    assert a.n == 5
    assert a.exact == pytest.approx(0.4)
    assert a.within_one == pytest.approx(1.0)
    assert a.mean_difference == pytest.approx(0.2)
    assert a.kappa == pytest.approx(0.8)


def test_kappa_is_symmetric_in_the_two_raters():
    flipped = [(b, a) for a, b in HAND]
    assert quadratic_weighted_kappa(flipped) == pytest.approx(quadratic_weighted_kappa(HAND))


def test_perfect_agreement_is_one():
    a = agreement([(1, 1), (3, 3), (5, 5), (2, 2)])
    assert (a.exact, a.within_one, a.mean_difference) == (1.0, 1.0, 0.0)
    assert a.kappa == pytest.approx(1.0)


def test_all_in_one_category_has_no_kappa():
    # Both always say 3: full agreement, but nothing to tell it from chance.
    a = agreement([(3, 3)] * 4)
    assert a.exact == 1.0 and a.kappa is None


def test_a_rater_who_always_says_the_same_agrees_no_better_than_chance():
    # Observed = expected when one side is constant: (4+0+4)/3 both -> kappa 0.
    assert quadratic_weighted_kappa([(3, 1), (3, 3), (3, 5)]) == pytest.approx(0.0)


def test_opposite_ends_give_minus_one():
    # Observed w: both pairs at distance 4 -> 1 each, mean 1. Expected: half the
    # pairings at distance 4 (w 1), half at 0 -> 0.5. kappa = 1 - 1/0.5 = -1.
    assert quadratic_weighted_kappa([(1, 5), (5, 1)]) == pytest.approx(-1.0)


def test_a_two_step_miss_costs_four_one_step_misses():
    one = quadratic_weighted_kappa([(1, 1), (2, 2), (3, 3), (4, 4), (5, 5), (2, 3)])
    two = quadratic_weighted_kappa([(1, 1), (2, 2), (3, 3), (4, 4), (5, 5), (1, 3)])
    assert two < one


def test_empty_and_out_of_range():
    empty = agreement([])
    assert (empty.n, empty.exact, empty.kappa) == (0, None, None)
    with pytest.raises(ValueError):
        agreement([(0, 3)])
    with pytest.raises(ValueError):
        quadratic_weighted_kappa([(3, 6)])


# -- the drill -------------------------------------------------------------------------


def test_order_follows_the_seed(pack):
    vs = vignettes_of(pack)
    assert [v.id for v in order(vs, 4)] == [v.id for v in order(vs, 4)]
    orders = {tuple(v.id for v in order(vs, s)) for s in range(1, 8)}
    assert len(orders) > 1
    assert sorted(v.id for v in order(vs, 4)) == sorted(v.id for v in vs.vignettes)


def test_score_against_the_reference(pack):
    vs = vignettes_of(pack)
    first = vs.vignettes[0]
    ratings = {(first.id, ind): value for ind, value in first.reference.items()}
    result = score(pack, vs, ratings)
    assert result.overall.exact == 1.0 and result.overall.n == len(first.reference)
    off = {key: min(5, value + 2) for key, value in ratings.items()}
    worse = score(pack, vs, off)
    assert worse.overall.mean_difference > 0 and worse.overall.exact < 1


def test_summary_is_about_the_ratings_not_a_ranking(pack):
    vs = vignettes_of(pack)
    ratings = {}
    for task in tasks(pack, vs.vignettes):
        ref = task.vignette.reference[task.indicator]
        # Rate health one step higher everywhere, the rest as the reference.
        value = min(5, ref + 1) if task.indicator == "helbred" else ref
        ratings[(task.vignette.id, task.indicator)] = value
    lines = summary(pack, score(pack, vs, ratings), Translator("da"))
    text = "\n".join(lines)
    assert "Helbredsmestring: dine vurderinger lå i gennemsnit 1 højere end referencen" in text
    assert "Jobsøgning: du lå på linje med referencen" in text
    assert "kappa" in text
    for word in ("rang", "bedst", "dårligst", "placering", "score"):
        assert word not in text.lower()
    en = "\n".join(summary(pack, score(pack, vs, ratings), Translator("en")))
    assert "Coping with health: your ratings were on average 1 higher than the reference" in en


def test_nothing_rated_says_so(pack):
    vs = vignettes_of(pack)
    assert summary(pack, score(pack, vs, {}), Translator("en")) == [
        Translator("en")("training.drill.nothing_rated")
    ]


def test_drill_service(tmp_path):
    drill = Drill.start(Settings(data_dir=tmp_path / "data"), seed=3, lang="en", limit=4)
    assert len(drill.order) == 4
    first = drill.tasks()[0]
    drill.rate(first.vignette.id, first.indicator, 2)
    lines = drill.reveal(first.vignette.id)
    assert any(line.startswith("Your rating: 2") or "Your rating: 2" in line for line in lines)
    assert lines[-1] == first.vignette.why.en
    assert drill.summary()
    with pytest.raises(InputError, match="unknown case"):
        drill.rate("nope", first.indicator, 3)
    with pytest.raises(InputError, match="between 1 and 5"):
        drill.rate(first.vignette.id, first.indicator, 9)
    with pytest.raises(InputError, match="no reference rating"):
        drill.rate(first.vignette.id, "sb_tro", 3)
    assert not (tmp_path / "data").exists()  # the drill needs no database or data folder
