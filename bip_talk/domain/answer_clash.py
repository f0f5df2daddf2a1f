"""A rating and a choice on one step that say opposite things.

The citizen's job search is rated on a scale whose lowest answer is "Jeg søger ikke" and
asked as choices that hold "Jeg søger ikke job" beside the ways of searching. The
choice that says the same as one rating (``Option.scale_value``) goes only with that
rating; that rating goes with no way of searching. The meeting refuses the key that
would make them disagree, and says why: the answers stay as they were, so nothing
asks "what did you do that helped?" of someone who is not searching."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bip_talk.domain.pack import Item, Option


@dataclass(frozen=True, slots=True)
class Clash:
    """``said``: the choice that means the rating ``value``. Either ``rating`` (another
    rating, given or chosen beside it) or ``ways`` (ways of searching beside ``value``)."""

    said: Option
    value: int
    rating: int | None = None
    ways: tuple[Option, ...] = ()


def _meaning(item: Item) -> Option | None:
    return next((o for o in item.options if o.scale_value is not None), None)


def rating_clash(item: Item | None, chosen: Sequence[str], value: int) -> Clash | None:
    """Rating ``value`` beside the choices ``chosen`` on the step's choice ``item``."""
    said = _meaning(item) if item is not None else None
    if item is None or said is None or said.scale_value is None:
        return None
    if said.id in chosen and value != said.scale_value:
        return Clash(said, said.scale_value, rating=value)
    ways = tuple(o for o in item.options if o.id in chosen and not o.exclusive)
    if value == said.scale_value and ways:
        return Clash(said, value, ways=ways)
    return None


def choice_clash(
    item: Item, option_id: str, chosen: Sequence[str], rating: int | None
) -> Clash | None:
    """Choosing ``option_id`` (unchoosing never clashes) beside the step's ``rating``."""
    said = _meaning(item)
    if said is None or said.scale_value is None or rating is None or option_id in chosen:
        return None
    option = next(o for o in item.options if o.id == option_id)
    if option.id == said.id and rating != said.scale_value:
        return Clash(said, said.scale_value, rating=rating)
    if not option.exclusive and rating == said.scale_value:
        return Clash(said, rating, ways=(option,))
    return None


def toggled(item: Item, chosen: Sequence[str], option_id: str) -> tuple[str, ...]:
    """The choices after ``option_id`` is toggled, in the item's order. An exclusive
    choice stands alone: choosing it drops the others, choosing another drops it."""
    option = next(o for o in item.options if o.id == option_id)
    now = list(chosen)
    if option_id in now:
        now.remove(option_id)
    elif option.exclusive:
        now = [option_id]
    else:
        exclusive = {o.id for o in item.options if o.exclusive}
        now = [c for c in now if c not in exclusive] + [option_id]
    order = [o.id for o in item.options]
    return tuple(sorted(now, key=order.index))
