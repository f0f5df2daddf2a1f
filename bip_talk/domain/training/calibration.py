"""Agreement between a trainee's ratings and reference ratings on a 1–k scale: exact
agreement, agreement within one step, the mean difference and quadratic-weighted
Cohen's kappa. Pure.

Weighted kappa compares the disagreement seen with the disagreement expected if the
two sets of ratings were paired at random (each keeping its own spread over the
categories). Quadratic weights make a two-step miss count four times a one-step miss:

    kappa = 1 - sum_ij w_ij * O_ij / sum_ij w_ij * E_ij,   w_ij = (i - j)^2 / (k - 1)^2

with O the observed share of pairs in cell (i, j) and E the product of the two
margins. When every rating of both sides falls in the same single category the
expected disagreement is zero and kappa is undefined (None), however well they agree.
When only one side never varies, the formula gives 0 ("no better than chance") however
close the ratings are; ``agreement`` reports that as undefined too, since it says
nothing about the trainee's calibration (exact and within-one still do).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

SCALE = 5


@dataclass(frozen=True, slots=True)
class Agreement:
    n: int
    exact: float | None  # share of pairs with the same rating
    within_one: float | None  # share of pairs at most one step apart
    mean_difference: float | None  # trainee minus reference; > 0: the trainee rates higher
    kappa: float | None  # quadratic-weighted; None when undefined or no pairs


def _check(pairs: Sequence[tuple[int, int]], k: int) -> None:
    for a, b in pairs:
        if not (1 <= a <= k and 1 <= b <= k):
            raise ValueError(f"rating outside 1–{k}: {(a, b)}")


def quadratic_weighted_kappa(pairs: Sequence[tuple[int, int]], k: int = SCALE) -> float | None:
    """``pairs``: (trainee, reference) ratings on 1..k."""
    _check(pairs, k)
    n = len(pairs)
    if n == 0:
        return None
    observed = [[0.0] * k for _ in range(k)]
    for a, b in pairs:
        observed[a - 1][b - 1] += 1 / n
    rows = [sum(observed[i]) for i in range(k)]
    cols = [sum(observed[i][j] for i in range(k)) for j in range(k)]
    weight = [[(i - j) ** 2 / (k - 1) ** 2 for j in range(k)] for i in range(k)]
    seen = sum(weight[i][j] * observed[i][j] for i in range(k) for j in range(k))
    expected = sum(weight[i][j] * rows[i] * cols[j] for i in range(k) for j in range(k))
    if expected <= 1e-12:
        return None
    return 1 - seen / expected


def agreement(pairs: Sequence[tuple[int, int]], k: int = SCALE) -> Agreement:
    _check(pairs, k)
    n = len(pairs)
    if n == 0:
        return Agreement(0, None, None, None, None)
    return Agreement(
        n=n,
        exact=sum(a == b for a, b in pairs) / n,
        within_one=sum(abs(a - b) <= 1 for a, b in pairs) / n,
        mean_difference=sum(a - b for a, b in pairs) / n,
        kappa=quadratic_weighted_kappa(pairs, k) if _both_vary(pairs) else None,
    )


def _both_vary(pairs: Sequence[tuple[int, int]]) -> bool:
    return len({a for a, _ in pairs}) > 1 and len({b for _, b in pairs}) > 1
