"""Today's notes as the overview lists them, and the cut that keeps a line inside its
width: whole words, wide letters counted as the two cells they take, and a word longer
than the line (an address) cut inside rather than left out."""

from __future__ import annotations

from bip_talk.domain.entities import Note
from bip_talk.i18n import Translator
from bip_talk.presenters.layout import cells, cut_at_word
from bip_talk.presenters.review import note_lines


def _note(n: int, text: str, indicator: str | None = "helbred") -> Note:
    return Note(n, 1, indicator, "shared", text, 1, "2026-12-04T10:00:00+00:00")


def test_cells_counts_wide_letters_twice_and_combining_marks_not_at_all():
    assert cells("abc") == 3
    assert cells("日本") == 4
    assert cells("e\u0301") == 1  # é as e + a combining accent


def test_cut_at_word_keeps_whole_words_and_leaves_no_comma():
    assert cut_at_word("Praktik på lageret, og mere", 100) == "Praktik på lageret, og mere"
    assert cut_at_word("Praktik på lageret, og mere", 22) == "Praktik på lageret…"


def test_cut_at_word_cuts_a_wide_text_by_its_cells():
    wide = "Wide " + "日本語" * 10 + " end"
    cut = cut_at_word(wide, 40)
    assert cut.endswith("…") and cells(cut) <= 40 and cut.startswith("Wide 日本語")


def test_cut_at_word_cuts_inside_a_word_longer_than_half_the_line():
    address = "Se https://example.org/a/very/long/path/that/goes/on/and/on"
    cut = cut_at_word(address, 30)
    assert cut == "Se https://example.org/a/very…" and cells(cut) == 30


def test_note_lines_name_the_topic_in_the_citizens_words_and_count_the_rest(pack):
    t = Translator("da")
    notes = [_note(n, f"Note {n}") for n in range(5)]
    lines = note_lines(notes, pack, t, 78, most=2, rows_each=1)
    assert lines == [
        "Noter fra samtalen:",
        "  ✎ Dit helbred: Note 0",
        "  ✎ Dit helbred: Note 1",
        "  +3 mere – alle står i opsummeringen (s gemmer den)",
    ]
    assert note_lines([], pack, t, 78, most=2, rows_each=1) == []
    # One more than the room: it takes the line "+1 mere" would.
    three = note_lines(notes[:3], pack, t, 78, most=2, rows_each=1)
    assert three[1:] == [f"  ✎ Dit helbred: Note {n}" for n in range(3)]
    assert note_lines([_note(1, "Uden emne", None)], pack, t, 78, most=2, rows_each=1)[1] == (
        "  ✎ Uden emne"
    )


def test_note_lines_never_run_past_the_width(pack):
    t = Translator("da")
    hostile = [
        _note(1, "Wide " + "日本語" * 30 + " end"),
        _note(2, "https://example.org/" + "a" * 200),
        _note(3, "Linje et\nLinje to\n\n  Linje fire " + "ord " * 60),
    ]
    for rows_each in (1, 2):
        lines = note_lines(hostile, pack, t, 78, most=4, rows_each=rows_each)
        assert all(cells(x) <= 78 for x in lines), lines
        assert len(lines) <= 1 + 3 * rows_each
        url = next(x for x in lines if "example.org" in x)
        assert "aaaa" in url  # the address shows, cut inside, not left out
    (two,) = [
        x
        for x in note_lines(hostile[2:], pack, t, 78, most=4, rows_each=2)[1:]
        if x.startswith("    ")
    ]
    assert two.endswith("…")
