"""What the meeting says when a key would make a rating and a choice disagree
(domain/answer_clash.py), and when choosing one option took others away: plain
sentences for the shared screen, with the keys that put it right."""

from __future__ import annotations

from collections.abc import Sequence

from bip_talk.domain.answer_clash import Clash
from bip_talk.domain.pack import Item, Option, Pack
from bip_talk.i18n import Translator
from bip_talk.presenters.meeting import OPTION_KEYS


def _join(parts: Sequence[str], t: Translator) -> str:
    if len(parts) <= 1:
        return "".join(parts)
    return f"{', '.join(parts[:-1])} {t('planui.and')} {parts[-1]}"


def _quoted(options: Sequence[Option], t: Translator) -> str:
    return _join([t("meeting.quoted", text=o.text.get(t.lang)) for o in options], t)


def _keys(item: Item, options: Sequence[Option], t: Translator) -> str:
    ids = [o.id for o in item.options]
    return _join([OPTION_KEYS[ids.index(o.id)] for o in options], t)


def _values(clash: Clash, scale: Item, pack: Pack, t: Translator) -> dict[str, object]:
    labels = pack.scale_labels(scale, t.lang)
    out: dict[str, object] = {"value": clash.value, "value_label": labels[clash.value - 1]}
    if clash.rating is not None:
        out |= {"rating": clash.rating, "rating_label": labels[clash.rating - 1]}
    return out


def rating_refused(clash: Clash, scale: Item, choices: Item, pack: Pack, t: Translator) -> str:
    """A rating key refused: it says the opposite of what is chosen ("Svaret 2
    («Sjældent») passer ikke med «Jeg søger ikke job». Tast g …")."""
    values = _values(clash, scale, pack, t)
    if clash.ways:
        ways, keys = _quoted(clash.ways, t), _keys(choices, clash.ways, t)
        return t("meeting.clash_rating_ways", ways=ways, keys=keys, **values)
    said, letter = _quoted([clash.said], t), _keys(choices, [clash.said], t)
    return t("meeting.clash_rating_said", said=said, letter=letter, **values)


def choice_refused(clash: Clash, scale: Item, pack: Pack, t: Translator) -> str:
    """A choice key refused: it says the opposite of the rating ("«Jeg søger ikke job»
    passer ikke med svaret 2 («Sjældent»). Tast 1 …")."""
    values = _values(clash, scale, pack, t)
    if clash.ways:
        return t("meeting.clash_way_rating", way=_quoted(clash.ways, t), **values)
    return t("meeting.clash_said_rating", said=_quoted([clash.said], t), **values)


def dropped_text(item: Item, option_id: str, dropped: Sequence[str], t: Translator) -> str:
    """Choosing ``option_id`` took ``dropped`` away: say so ("«Jeg søger ikke job» kan
    ikke vælges sammen med andet, så «Aviser» er fjernet.")."""
    options = {o.id: o for o in item.options}
    chosen = options[option_id]
    gone = _quoted([options[d] for d in dropped], t)
    key = "meeting.dropped_others" if chosen.exclusive else "meeting.dropped_alone"
    return t(key, chosen=_quoted([chosen], t), dropped=gone)
