"""WordprocessingML snippets the renderer emits. Formatting lives in the template's named styles;
code only chooses the style, and sets what depends on the text (a short line's indents)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from markupsafe import Markup, escape


class Run(NamedTuple):  # a tuple: hashed and compared in C, as the paragraph cache's key, dozens per document
    text: str
    bold: bool = False
    italic: bool = False
    size: int | None = None  # half-points; only where a style's size does not fit (wide tables)


def run(r: Run) -> str:
    props = ("<w:b/><w:bCs/>" if r.bold else "") + ("<w:i/><w:iCs/>" if r.italic else "")
    if r.size:
        props += f'<w:sz w:val="{r.size}"/><w:szCs w:val="{r.size}"/>'
    rpr = f"<w:rPr>{props}</w:rPr>" if props else ""
    return f'<w:r>{rpr}<w:t xml:space="preserve">{escape(r.text)}</w:t></w:r>'


def paragraph(style: str, runs: Iterable[Run] = (), *, ind: tuple[int, int] | None = None) -> Markup:
    """A whole <w:p>; `ind` = (left, right) twips, used for short lines drawn as a bottom border."""
    return _paragraph(style, tuple(runs), ind)


@lru_cache(maxsize=512)  # the paragraphs all plans of a batch share (few: memory stays flat)
def _paragraph(style: str, runs: tuple[Run, ...], ind: tuple[int, int] | None) -> Markup:
    ppr = f'<w:pStyle w:val="{style}"/>'
    if ind is not None:
        ppr += f'<w:ind w:left="{ind[0]}" w:right="{ind[1]}"/>'
    return Markup(f"<w:p><w:pPr>{ppr}</w:pPr>{''.join(run(r) for r in runs)}</w:p>")


@dataclass(frozen=True)
class Cell:
    """One table cell: its paragraphs (already built), and how it merges with its neighbours."""

    paragraphs: tuple[Markup, ...]
    span: int = 1  # w:gridSpan: grid columns covered
    vmerge: str | None = None  # "restart" opens a vertical merge, "continue" joins the cell above
    valign: str = "center"


def _cell_xml(cell: Cell, width: int) -> str:
    props = f'<w:tcW w:w="{width}" w:type="dxa"/>'
    if cell.span > 1:
        props += f'<w:gridSpan w:val="{cell.span}"/>'
    if cell.vmerge == "restart":
        props += '<w:vMerge w:val="restart"/>'
    elif cell.vmerge == "continue":
        props += "<w:vMerge/>"
    props += f'<w:vAlign w:val="{cell.valign}"/>'
    # A cell must hold at least one paragraph, even a merged-away one.
    content = "".join(cell.paragraphs) or '<w:p><w:pPr><w:pStyle w:val="VBBang"/></w:pPr></w:p>'
    return f"<w:tc><w:tcPr>{props}</w:tcPr>{content}</w:tc>"


def table(
    grid: list[int], rows: list[list[Cell]], *, header_rows: int = 0, border_sz: int = 4, cell_margin: int | None = None
) -> Markup:
    """A bordered table on a fixed grid. The first `header_rows` rows repeat on every page (w:tblHeader);
    rows are never split across pages, so a group row stays with its figures."""
    sides = ("top", "left", "bottom", "right", "insideH", "insideV")
    borders = "".join(f'<w:{s} w:val="single" w:sz="{border_sz}" w:space="0" w:color="000000"/>' for s in sides)
    cols = "".join(f'<w:gridCol w:w="{w}"/>' for w in grid)
    out = []
    for r, row in enumerate(rows):
        trpr = "<w:cantSplit/>" + ("<w:tblHeader/>" if r < header_rows else "")
        cells, col = [], 0
        for c in row:
            cells.append(_cell_xml(c, sum(grid[col : col + c.span])))
            col += c.span
        if col != len(grid):
            raise ValueError(f"row {r} covers {col} grid columns, the table has {len(grid)}")
        out.append(f"<w:tr><w:trPr>{trpr}</w:trPr>{''.join(cells)}</w:tr>")
    margins = (
        f'<w:tblCellMar><w:left w:w="{cell_margin}" w:type="dxa"/><w:right w:w="{cell_margin}" w:type="dxa"/>'
        "</w:tblCellMar>"
        if cell_margin is not None
        else ""
    )  # narrower than Word's 108 twips when many figure columns share the page
    return Markup(
        f'<w:tbl><w:tblPr><w:tblW w:w="{sum(grid)}" w:type="dxa"/><w:jc w:val="center"/>'
        f'<w:tblBorders>{borders}</w:tblBorders><w:tblLayout w:type="fixed"/>{margins}'
        f'<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="0" w:lastColumn="0" '
        f'w:noHBand="0" w:noVBand="1"/></w:tblPr><w:tblGrid>{cols}</w:tblGrid>{"".join(out)}</w:tbl>'
    )


def layout_table(widths: tuple[int, ...], cells: list[tuple[list[Markup], ...]]) -> Markup:
    """A borderless table of two columns (header or signature block of a report form, §2.4) or more
    (signers side by side)."""
    nil = "".join(f'<w:{s} w:val="nil"/>' for s in ("top", "left", "bottom", "right", "insideH", "insideV"))
    cols = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
    rows = "".join(
        "<w:tr>"
        + "".join(
            f'<w:tc><w:tcPr><w:tcW w:w="{w}" w:type="dxa"/></w:tcPr>'
            + ("".join(ps) or '<w:p><w:pPr><w:pStyle w:val="VBBang"/></w:pPr></w:p>')
            + "</w:tc>"
            for w, ps in zip(widths, pair, strict=True)
        )
        + "</w:tr>"
        for pair in cells
    )
    return Markup(
        f'<w:tbl><w:tblPr><w:tblW w:w="{sum(widths)}" w:type="dxa"/><w:jc w:val="center"/>'
        f'<w:tblBorders>{nil}</w:tblBorders><w:tblLayout w:type="fixed"/><w:tblLook w:val="0000"/></w:tblPr>'
        f"<w:tblGrid>{cols}</w:tblGrid>{rows}</w:tbl>"
    )


def section_break(sect_pr: str) -> Markup:
    """An empty paragraph whose w:sectPr closes the section holding everything before it."""
    return Markup(f"<w:p><w:pPr>{sect_pr}</w:pPr></w:p>")
