"""Text laid out to a width: a list item's wrapped lines go on under its text (never at
the edge), and a key hint never leaves its separator's dot alone on a line."""

from __future__ import annotations

from bip_talk.presenters.layout import hanging, key_hint


def test_a_list_item_continues_under_its_text():
    text = (
        "Forslag til dagsorden:\n"
        "  1. Lavest af de jobrettede: At arbejde sammen med andre (jeres svar i snit 1,5)\n"
        "- Spørg lageret, om der er mulighed for løntilskud efter praktikken, senest 14.10.2026\n"
        "✗ Ændringer fulgt op – Ikke nået, men det var en lang overskrift her\n"
        "    Disse indikatorer flyttede sig, men du fulgte ikke op på dem i samtalen"
    )
    lines = hanging(text, 40, extra=0, under_mark=True).splitlines()
    assert all(len(line) <= 40 for line in lines)
    starts = {line.strip().split()[0]: line for line in lines}
    agenda = lines.index(starts["1."])
    assert lines[agenda + 1].startswith(" " * 5) and lines[agenda + 1][5] != " "
    dash = lines.index(starts["-"])
    assert lines[dash + 1].startswith("  ") and lines[dash + 1][2] != " "
    check = lines.index(starts["✗"])
    assert lines[check + 1].startswith("  ") and lines[check + 1][2] != " "
    reason = lines.index(starts["Disse"])
    assert lines[reason + 1].startswith(" " * 4) and lines[reason + 1][4] != " "
    # Without under_mark, as before: under the line's own indent plus extra.
    plain = hanging("  1. " + "ord " * 20, 30, extra=2).splitlines()
    assert plain[1].startswith(" " * 4) and plain[1][4] != " "


def test_a_key_hint_keeps_its_dot_at_the_end_of_a_line_that_fits():
    hint = "↑ frem · ↓ tilbage · → uændret · ≠ forskel · ● privat"
    for width in range(12, len(hint) + 2):
        lines = key_hint(hint, width).splitlines()
        assert all(len(line) <= width for line in lines), (width, lines)
        assert all(line.strip() not in ("·", "") for line in lines), (width, lines)
        assert " · ".join(line.removesuffix(" ·") for line in lines) == hint


def test_a_key_list_goes_on_under_the_keys_text() -> None:
    from bip_talk.presenters.layout import KEY_COLUMN

    text = (
        "Velkommen.\n  F2  opret en borger\n  F5  se programmet med demodata (dine data røres ikke)"
    )
    out = hanging(text, 40, extra=0, under_mark=True, mark_of=KEY_COLUMN).split("\n")
    assert out[:2] == ["Velkommen.", "  F2  opret en borger"]
    assert out[2].startswith("  F5  se programmet")
    assert out[3:] and all(line.startswith("      ") and line[6] != " " for line in out[3:])
    # A paragraph without a key column wraps flush, as without the mark.
    prose = "Her vises ingen navne, før du søger eller vælger en liste."
    assert hanging(prose, 30, extra=0, under_mark=True, mark_of=KEY_COLUMN) == hanging(
        prose, 30, extra=0
    )


def test_an_address_longer_than_the_line_goes_on_after_a_slash():
    url = "http://vaeksthusets-forskningscenter.dk/publications/what-affects-job-prospects/"
    lines = hanging(f"  Kilder:\n    {url}\n    Holder: bekræftet", 60).splitlines()
    assert lines == [
        "  Kilder:",
        "    http://vaeksthusets-forskningscenter.dk/publications/",
        "      what-affects-job-prospects/",
        "    Holder: bekræftet",
    ]
    # Never inside "://"; with no slash that fits, a long word stays whole, indent kept.
    assert hanging(f"    {url}", 30).splitlines()[0] == f"    {url}"
    word = "x" * 50
    assert hanging(f"   {word} ord", 30).splitlines() == [f"   {word}", "     ord"]
