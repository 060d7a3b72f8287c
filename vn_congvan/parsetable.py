"""A table read from a received document, as the YAML's `table:` block (model.DataTable).

The reader gives each table cell's paragraphs with their place: a .docx cell its row and grid columns
("t2.r1.c5-7": merged over columns 5–7), a web copy's "| a | b |" row its pieces in order. `Cell` is that
place; `table_block` turns a table's cells into columns (a merged header cell over the row below it becomes
a column group, as compose prints it back) and rows keyed by column, every cell's text as written (figures
stay text: "00" and "01" are printed as they were).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

_FIGURE = re.compile(r"[\d.,%/ ]{1,12}")
_DOCX_CELL = re.compile(r"^(?P<outer>(?:.+\.)?)t(?P<t>\d+)\.r(?P<r>\d+)\.c(?P<c>\d+)(?:-(?P<e>\d+))?\.p\d+$")


@dataclass(frozen=True)
class Cell:
    """Where a line sits in a table: which table, row (1-based), first and last grid column (1-based)."""

    table: str
    row: int
    first: int
    last: int
    nested: bool = False  # a table inside a cell or a text box: layout, never a data table


def docx_cell(where: str) -> Cell | None:
    """The cell of a .docx table ("t2.r3.c5.p1", nested "t1.r1.c1.p2.t1.r1.c2.p1"); None for body text."""
    m = _DOCX_CELL.match(where)
    if not m:
        return None
    first = int(m["c"])
    return Cell(f"{m['outer']}t{m['t']}", int(m["r"]), first, int(m["e"] or first), bool(m["outer"]))


def table_block(cells: list[tuple[Cell, str]]) -> dict[str, Any] | None:
    """One table's cells (in reading order, a cell's paragraphs one after the other) → {"table": …}, or None
    when it is no data table (one row or one column: a layout box)."""
    texts: dict[tuple[int, int, int], list[str]] = {}
    for cell, text in cells:
        texts.setdefault((cell.row, cell.first, cell.last), []).append(text)
    rows = sorted({r for r, _, _ in texts})
    width = max(last for _, _, last in texts)
    if len(rows) < 2 or width < 2:
        return None
    by_row = {r: sorted((f, e, " ".join(t)) for (rr, f, e), t in texts.items() if rr == r) for r in rows}
    head = by_row[rows[0]]
    under = by_row[rows[1]]
    columns: list[dict[str, Any]] = []
    leaves: list[tuple[int, int, dict[str, Any]]] = []  # (first, last, leaf column)
    depth = 1
    for first, last, title in head:
        inside = [(f, e, t) for f, e, t in under if first <= f and e <= last]
        if last > first and len(inside) >= 2:  # a merged header cell over the row below: a column group
            depth = 2
            group = {"title": title, "columns": [_leaf(f, e, t, leaves) for f, e, t in inside]}
            columns.append(group)
        else:
            columns.append(_leaf(first, last, title, leaves))
    covered = {f for f, _, _ in leaves}
    for f in sorted({f for r in rows[depth:] for f, _, _ in by_row[r]}):
        if not any(first <= f <= last for first, last, _ in leaves) and f not in covered:
            columns.append(_leaf(f, f, "", leaves))  # a column whose header cell is blank
            covered.add(f)
    columns.sort(key=lambda c: _first(c))
    leaves.sort(key=lambda x: x[0])
    body_rows = rows[depth:]
    if not body_rows:
        return None
    out_rows = []
    for r in body_rows:
        row: dict[str, Any] = {}
        spans_all = False
        for first, last, text in by_row[r]:
            key = next((leaf["key"] for f, e, leaf in leaves if f <= first <= e), leaves[-1][2]["key"])
            row[key] = f"{row[key]} {text}" if key in row else text
            spans_all = spans_all or (first <= leaves[0][0] and last >= leaves[-1][1] and len(leaves) > 1)
        if spans_all:
            row = {"group": True, **row}  # "I. Các hoạt động …" over the whole width: a group row
        out_rows.append(row)
    for _, _, leaf in leaves:  # width from the longest word run the column holds (compose fits the rest)
        longest = max([len(leaf["title"])] + [len(str(row.get(leaf["key"], ""))) for row in out_rows])
        leaf["width"] = round(min(4.0, max(0.5, longest / 12)), 1)
        values = [str(row[leaf["key"]]) for row in out_rows if leaf["key"] in row]
        if values and all(_FIGURE.fullmatch(v) for v in values):
            leaf["align"] = "center"  # numbers and "STT" as the offices print them
    return {"table": {"columns": columns, "rows": out_rows}}


def _first(column: dict[str, Any]) -> int:
    return int((column.get("key") or column["columns"][0]["key"])[1:])


def _leaf(first: int, last: int, title: str, leaves: list[tuple[int, int, dict[str, Any]]]) -> dict[str, Any]:
    leaf: dict[str, Any] = {"title": title, "key": f"c{first}"}
    leaves.append((first, last, leaf))
    return leaf
