"""The review table: every indicator, each side now / before / change, the gap and the
trend. Rows that moved or disagree carry ``◆`` as well as a style; the cursor row
carries ``▶`` (a plain-text capture shows which row is highlighted).

Every column fits the width it is given: a cell's lines wrap at whole words, and the
widest column gives way first, so at 80 columns every column, the gap included, is
still there (rows grow a line instead)."""

from __future__ import annotations

from collections.abc import Callable

from rich.cells import cell_len
from rich.text import Text
from textual.coordinate import Coordinate
from textual.widgets import DataTable

from bip_talk.domain.pack import Pack
from bip_talk.i18n import Translator
from bip_talk.presenters.layout import wrap_words
from bip_talk.presenters.review import ReviewLine

CURSOR, NO_CURSOR = "▶ ", "  "
FLAG, NO_FLAG = "◆ ", "  "
CELL_PADDING = 2  # DataTable's one cell of padding on each side
SCROLLBAR = 1  # room kept for the vertical scrollbar


def _longest_word(parts: list[str]) -> int:
    return max((cell_len(w) for part in parts for w in part.split()), default=0)


def _natural(parts: list[str]) -> int:
    return max((cell_len(part) for part in parts), default=0)


def _wrap(parts: list[str], width: int) -> list[str]:
    out: list[str] = []
    for part in parts:
        out += wrap_words(part, width) or [""]
    return out


def fit_widths(
    natural: list[int],
    smallest: list[int],
    room: int,
    height: Callable[[list[int]], int] | None = None,
) -> list[int]:
    """Column widths that fit ``room``: each starts at its natural width; while too wide,
    one column gives a cell – the one whose narrowing adds the fewest lines to the table
    (``height`` of the widths; widest first on a tie), never below its longest word."""
    widths = list(natural)
    while sum(widths) > room:
        shrinkable = [n for n, w in enumerate(widths) if w > smallest[n]]
        if not shrinkable:
            break

        def cost(n: int) -> tuple[int, int]:
            trial = [w - 1 if m == n else w for m, w in enumerate(widths)]
            return (height(trial) if height else 0, -widths[n])

        widths[min(shrinkable, key=cost)] -= 1
    return widths


class ReviewTable(DataTable):
    def __init__(self, **kwargs) -> None:
        super().__init__(cursor_type="row", zebra_stripes=False, **kwargs)
        self._names: dict[str, tuple[list[str], str]] = {}  # row -> (name lines, style)
        self._marked: str | None = None

    def fill(
        self, pack: Pack, lines: list[ReviewLine], t: Translator, width: int | None = None
    ) -> None:
        """Trend, now and (before) on top, the change in words below, for each side; the
        gap's size on top and its words below. ``width``: the room for the table (the
        widget's own width when left out)."""
        headers = [t("review.col_indicator")] + [p.name.get(t.lang) for p in pack.perspectives]
        headers.append(t("review.col_gap"))
        keys = ["indicator", *[p.id for p in pack.perspectives], "gap"]
        rows: list[list[list[str]]] = []
        for line in lines:
            cells = [[line.name]]
            for p in pack.perspectives:
                side = line.sides[p.id]
                cells.append([side.summary] + ([side.change] if side.change else []))
            cells.append([line.gap_size] + ([line.gap_word] if line.gap_word else []))
            rows.append(cells)
        prefix = cell_len(CURSOR) + cell_len(FLAG)
        natural = [
            max(_natural([h]), *(_natural(r[n]) for r in rows)) for n, h in enumerate(headers)
        ]
        smallest = [
            max(_longest_word([h]), *(_longest_word(r[n]) for r in rows))
            for n, h in enumerate(headers)
        ]
        natural[0] += prefix
        smallest[0] += prefix
        room = (width or self.size.width or self.app.size.width) - SCROLLBAR

        def height(widths: list[int]) -> int:
            return sum(
                max(
                    2,
                    *(
                        len(_wrap(c, widths[n] - (prefix if n == 0 else 0)))
                        for n, c in enumerate(row)
                    ),
                )
                for row in rows
            )

        widths = fit_widths(natural, smallest, room - CELL_PADDING * len(headers), height)

        self.clear(columns=True)
        self._names.clear()
        self._marked = None
        for key, header, w in zip(keys, headers, widths, strict=True):
            self.add_column(header, key=key, width=w)
        for line, cells in zip(lines, rows, strict=True):
            style = "bold" if (line.moved or line.disagree) else ""
            wrapped = [
                _wrap(cell, widths[n] - (prefix if n == 0 else 0)) for n, cell in enumerate(cells)
            ]
            flag = FLAG if (line.moved or line.disagree) else NO_FLAG
            self._names[line.indicator] = (
                [flag + wrapped[0][0], *(NO_FLAG + x for x in wrapped[0][1:])],
                style,
            )
            shown = [self._name_cell(line.indicator, cursor=False)]
            for cell in wrapped[1:-1]:
                shown.append(Text("\n".join(cell), style=style))
            shown.append(Text("\n".join(wrapped[-1]), style="bold" if line.disagree else ""))
            lines_needed = max(len(c) for c in wrapped)
            self.add_row(*shown, key=line.indicator, height=max(lines_needed, 2))
        self._mark(self.cursor_row)

    def _name_cell(self, indicator: str, *, cursor: bool) -> Text:
        names, style = self._names[indicator]
        first = CURSOR if cursor else NO_CURSOR
        return Text("\n".join([first + names[0], *(NO_CURSOR + x for x in names[1:])]), style=style)

    def _mark(self, row: int) -> None:
        """``▶`` on the cursor row's name, and only there."""
        if not self._names or not 0 <= row < self.row_count:
            return
        key = self.coordinate_to_cell_key(Coordinate(row, 0)).row_key.value
        if key == self._marked or key is None:
            return
        if self._marked is not None and self._marked in self._names:
            self.update_cell(self._marked, "indicator", self._name_cell(self._marked, cursor=False))
        self.update_cell(key, "indicator", self._name_cell(key, cursor=True))
        self._marked = key

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._mark(event.cursor_row)
