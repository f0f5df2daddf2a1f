"""Pseudonymous citizen ids: short, readable aloud, no look-alike characters, no CPR."""

from __future__ import annotations

import random
import re

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
PATTERN = re.compile(r"^B-[2-9A-HJKMNP-Z]{6}$")
# Ten digits, six and four, maybe parted by a dash or a space (010190-1234, 010190 1234,
# 0101901234): looks like a CPR number, which we never store. Not inside a longer number.
CPR_LIKE = re.compile(r"(?<!\d)\d{6}(?:\s?[-\u2010-\u2015]\s?|\s)?\d{4}(?!\d)")


def new_citizen_id(rng: random.Random | None = None) -> str:
    import secrets  # here, not at the top: the app's start needs CPR_LIKE, not this

    pick = rng.choice if rng else secrets.choice
    return "B-" + "".join(pick(ALPHABET) for _ in range(6))


def looks_like_cpr(text: str) -> bool:
    return bool(CPR_LIKE.search(text))
