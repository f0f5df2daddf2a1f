"""The review table: every indicator, each side now / before / change, the gap and the
trend. Rows that moved or disagree carry a word flag as well as a style."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import DataTable

from bip_talk.domain.pack import Pack
from bip_talk.i18n import Translator
from bip_talk.services.review_view import ReviewLine


class ReviewTable(DataTable):
    def __init__(self, **kwargs) -> None:
        super().__init__(cursor_type="row", zebra_stripes=False, **kwargs)

    def fill(self, pack: Pack, lines: list[ReviewLine], t: Translator) -> None:
        self.clear(columns=True)
        self.add_column(t("review.col_indicator"), key="indicator")
        for p in pack.perspectives:
            self.add_column(f"{p.name.get(t.lang)} {t('review.col_now_before')}", key=f"{p.id}-now")
            self.add_column(t("review.col_change"), key=f"{p.id}-change")
        self.add_column(t("review.col_gap"), key="gap")
        for line in lines:
            style = "bold" if (line.moved or line.disagree) else ""
            mark = "◆ " if (line.moved or line.disagree) else "  "
            cells: list[Text] = [Text(mark + line.name, style=style)]
            for p in pack.perspectives:
                side = line.sides[p.id]
                cells += [Text(side.summary, style=style), Text(side.change, style=style)]
            cells.append(Text(line.gap, style="bold" if line.disagree else ""))
            self.add_row(*cells, key=line.indicator)
