"""The review table: every indicator, each side now / before / change, the gap and the
trend. Rows that moved or disagree carry a word flag as well as a style."""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual.widgets import DataTable

from bip_talk.domain.pack import Pack
from bip_talk.i18n import Translator
from bip_talk.presenters.review import ReviewLine


class ReviewTable(DataTable):
    def __init__(self, **kwargs) -> None:
        super().__init__(cursor_type="row", zebra_stripes=False, **kwargs)

    def fill(self, pack: Pack, lines: list[ReviewLine], t: Translator) -> None:
        """Two lines per indicator: trend, now and (before) on top, the change in words below,
        so both perspectives and the gap fit in 120 columns. Column widths are computed
        here from the cells: the table's own auto-width can lag behind a quick refill."""
        headers = [t("review.col_indicator")] + [p.name.get(t.lang) for p in pack.perspectives]
        headers.append(t("review.col_gap"))
        keys = ["indicator", *[p.id for p in pack.perspectives], "gap"]
        rows: list[list[Text]] = []
        for line in lines:
            style = "bold" if (line.moved or line.disagree) else ""
            mark = "◆ " if (line.moved or line.disagree) else "  "
            cells: list[Text] = [Text(mark + line.name, style=style)]
            for p in pack.perspectives:
                side = line.sides[p.id]
                cell = Text(side.summary, style=style)
                if side.change:
                    cell.append("\n" + side.change, style=style)
                cells.append(cell)
            # "≠ 2" on top, the words below, like the change cells.
            gap = f"{line.gap_size}\n{line.gap_word}" if line.gap_word else line.gap_size
            cells.append(Text(gap, style="bold" if line.disagree else ""))
            rows.append(cells)
        self.clear(columns=True)
        for n, (key, header) in enumerate(zip(keys, headers, strict=True)):
            width = max(
                [cell_len(header)]
                + [
                    max((cell_len(part) for part in row[n].plain.split("\n")), default=0)
                    for row in rows
                ]
            )
            self.add_column(header, key=key, width=width)
        for line, cells in zip(lines, rows, strict=True):
            self.add_row(*cells, key=line.indicator, height=2)
