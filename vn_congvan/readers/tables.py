"""A PDF page's ruled tables as cells in reading order, numbered over the document.

`grid` finds a table's cells on the page image; here the page's words (the text layer's, or Tesseract's)
go into them by their boxes, and each table takes the place of its first word in the reading order. A cell
becomes one source line placed as a .docx cell is ("t1.r2.c3-5.p1": table 1, row 2, grid columns 3–5), so
`parse` reads it the same way. A table that ends a page and one that starts the next page with the same
columns are one table; the header rows a word processor repeats on the new page are dropped as duplicates,
and a page number between the two parts as a page number.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from typing import Protocol

from ..law import lines as L
from . import grid
from .base import Reason
from .clean import Source, _any, _chrome


class Boxed(Protocol):
    """A word with its box: the text layer's (pt) or Tesseract's (px)."""

    text: str
    x0: float
    y0: float
    x1: float
    y1: float


Entry = str | tuple[int, grid.Slot, str]  # a line of text, or a cell: (table on the page, its slot, its text)
Row = list[tuple[int, int, str]]  # a grid row's cells: first and last column, text

TRIVIAL = re.compile(r"[-–\s\d]*")  # a page number between a table's two parts
HEAD_ROWS = 3  # a header repeated on the next page is compared over this many rows at most
SAME_X = 4  # pt: two parts of a table have their column rules this close


def _cell(w: Boxed, grids: list[grid.Grid], scale: float) -> tuple[int, grid.Slot] | None:
    """The table (its index on the page) and cell a word's centre falls in."""
    x, y = (w.x0 + w.x1) / 2 * scale, (w.y0 + w.y1) / 2 * scale
    for k, t in enumerate(grids):
        if t.holds(x, y) and (cell := t.cell_at(x, y)):
            return k, cell
    return None


def lift(
    lines: list[list[Boxed]], grids: list[grid.Grid], scale: float = 1.0
) -> tuple[list[list[Boxed]], dict[int, list[Entry]]]:
    """The page's lines without the words that fall in a table (`scale`: the words' unit in pt), and each
    table's cells (row by row, each cell's words as one text). A line whose words all go to tables is gone."""
    kept: list[list[Boxed]] = []
    cells: dict[int, dict[grid.Slot, list[Boxed]]] = {}
    for line in lines:
        outside = []
        for w in line:
            if found := _cell(w, grids, scale):
                cells.setdefault(found[0], {}).setdefault(found[1], []).append(w)
            else:
                outside.append(w)
        if outside:
            kept.append(outside)
    tables: dict[int, list[Entry]] = {
        g: [(g, c, cell_text(words[c])) for c in sorted(words, key=lambda c: (c.row, c.col))]
        for g, words in cells.items()
    }
    return kept, tables


def place(lines: list[list[Boxed]], grids: list[grid.Grid]) -> list[Entry]:
    """A text-layer page in reading order: its lines outside the tables, and in place of each table (where
    its first word comes) its cells."""
    _, tables = lift(lines, grids)
    out: list[Entry] = []
    for line in lines:
        outside: list[str] = []
        for w in line:
            found = _cell(w, grids, 1.0)
            if found is None:
                outside.append(w.text)
            elif found[0] in tables:
                if outside:
                    out.append(" ".join(outside))
                    outside = []
                out += tables.pop(found[0])
        if outside:
            out.append(" ".join(outside))
    return out


def cell_text(words: list[Boxed]) -> str:
    """A cell's words line by line, top to bottom, each line left to right; a number and ký hiệu wrapped
    after its "-" or "/" is put back together ("105/2025/NĐ-" + "CP")."""
    rows: list[list[Boxed]] = []
    for w in sorted(words, key=lambda w: w.y0 + w.y1):
        if rows and (w.y0 + w.y1) / 2 < rows[-1][0].y1:
            rows[-1].append(w)
        else:
            rows.append([w])
    text = ""
    for row in rows:
        line = " ".join(w.text for w in sorted(row, key=lambda w: w.x0))
        text = f"{text}{line}" if L.cut_word(text, line) else f"{text} {line}" if text else line
    return text


@dataclass
class _Open:
    """The table that ended a page, which the next page may go on with."""

    number: int
    page: int
    xs: list[float]
    rows: int  # grid rows so far
    head: list[Row]  # its first rows, to know them when the next page repeats them


class Tables:
    """Numbers the tables of a document, page after page, and carries a table over a page break."""

    def __init__(self) -> None:
        self.count = 0
        self.open: _Open | None = None
        self.heads: dict[int, list[Row]] = {}

    def number(self, entries: list[Entry], grids: list[grid.Grid], page: int) -> dict[int, tuple[str, Reason | None]]:
        """Each cell entry's place ("t1.r2.c3.p1") by its index, with Reason.DUPLICATE for a repeated header."""
        ids: dict[int, tuple[int, int]] = {}  # table on the page → (table number, rows before it)
        repeated: set[tuple[int, int]] = set()  # (table on the page, grid row) of a repeated header
        last_text = -1  # index of the last entry that is page text, not a table cell or a page number
        for k, entry in enumerate(entries):
            if isinstance(entry, str):
                if not TRIVIAL.fullmatch(entry) and not _any(_stamp(), entry):
                    last_text = k
                continue
            g = entry[0]
            if g in ids:
                continue
            rows = _rows(entries, g)
            o = self.open
            if o and o.page == page - 1 and last_text < 0 and not ids and _same_columns(o.xs, grids[g].xs):
                ids[g] = (o.number, o.rows)
                repeated |= {(g, r) for r in range(_repeats(o.head, rows))}
            else:
                self.count += 1
                ids[g] = (self.count, 0)
                self.heads[self.count] = rows[:HEAD_ROWS]
        self.open = None
        tail = [e for e in entries[last_text + 1 :] if not isinstance(e, str)]
        if tail:
            g = tail[-1][0]
            n, before = ids[g]
            self.open = _Open(n, page, grids[g].xs, before + len(grids[g].ys) - 1, self.heads[n])
        out: dict[int, tuple[str, Reason | None]] = {}
        for k, entry in enumerate(entries):
            if isinstance(entry, str):
                continue
            g, cell, _ = entry
            n, before = ids[g]
            span = f"-{cell.last_col + 1}" if cell.last_col > cell.col else ""
            drop = Reason.DUPLICATE if (g, cell.row) in repeated else None
            out[k] = (f"t{n}.r{before + cell.row + 1}.c{cell.col + 1}{span}.p1", drop)
        return out


def _rows(entries: list[Entry], g: int) -> list[Row]:
    """The grid rows of table `g` in order, each as its cells' (first column, last column, text)."""
    by_row: dict[int, Row] = {}
    for e in entries:
        if not isinstance(e, str) and e[0] == g:
            by_row.setdefault(e[1].row, []).append((e[1].col, e[1].last_col, e[2]))
    return [by_row.get(r, []) for r in range(max(by_row, default=-1) + 1)]


def _repeats(head: list[Row], rows: list[Row]) -> int:
    """How many of the first rows repeat the table's header rows."""
    n = 0
    while n < min(len(head), len(rows)) and rows[n] and rows[n] == head[n]:
        n += 1
    return n if n < len(rows) else 0  # a page holding only the header is no repetition


def _same_columns(a: list[float], b: list[float]) -> bool:
    return len(a) == len(b) and all(abs(x - y) <= SAME_X for x, y in zip(a, b, strict=True))


def _stamp() -> list[re.Pattern[str]]:
    return [*_chrome().stamp_start, *_chrome().stamp_part]


def between_parts(out: list[Source]) -> list[Source]:
    """A page number between the two parts of one table (an appendix's own numbering, which the cleaner
    cannot match to the page) is dropped as one, so the table reads on."""
    table = [s.where.split(".")[0] if s.where.startswith("t") else "" for s in out]

    def near(k: int, step: int) -> str:  # the table of the nearest line that is no page number
        k += step
        while 0 <= k < len(out) and not table[k] and TRIVIAL.fullmatch(out[k].text):
            k += step
        return table[k] if 0 <= k < len(out) else ""

    for k, s in enumerate(out):
        if not table[k] and TRIVIAL.fullmatch(s.text) and near(k, -1) and near(k, -1) == near(k, 1):
            out[k] = dataclasses.replace(s, drop=Reason.PAGE_NUMBER)
    return out
