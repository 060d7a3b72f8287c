"""Phụ lục sections (NĐ 30 PL I Phần III.1, nd30.md §12): section properties and the "(Kèm theo …)" line.

Each phụ lục is its own Word section: a paragraph-level w:sectPr closes the part before it, the page
numbers restart at 1 (III.1.đ), and a wide table may turn the page (§1: landscape only for tables). The
sections copy the template's own w:sectPr (header references, margins, "different first page"), so a
user's template keeps its headers in the phụ lục too.
"""

from __future__ import annotations

import re
from functools import lru_cache

from . import rules, vntext
from .law import lines as L
from .model import Document

_SECT = re.compile(r"<w:sectPr\b[^>]*>.*?</w:sectPr>|<w:sectPr\b[^>]*/>", re.DOTALL)
_PGSZ = re.compile(r"<w:pgSz\b[^>]*/>")
_PGNUM = re.compile(r"<w:pgNumType\b[^>]*/>")
_MARGIN = re.compile(r'<w:pgMar\b[^>]*\bw:left="(\d+)"[^>]*/>')
_MARGIN_R = re.compile(r'<w:pgMar\b[^>]*\bw:right="(\d+)"[^>]*/>')


def default_sect_pr() -> str:
    """The bundled templates' section (scripts/build_templates.py), for composing without a template."""
    nd = rules.nd30()
    m = {side: values[2] for side, values in nd["page"]["margins"].items()}
    return (
        '<w:sectPr><w:headerReference w:type="default" r:id="rIdHeaderDefault"/>'
        '<w:headerReference w:type="first" r:id="rIdHeaderFirst"/>'
        f'<w:pgSz w:w="{nd["page"]["width"]}" w:h="{nd["page"]["height"]}"/>'
        f'<w:pgMar w:top="{m["top"]}" w:right="{m["right"]}" w:bottom="{m["bottom"]}" w:left="{m["left"]}" '
        f'w:header="{nd["page"]["header_distance"]}" w:footer="567" w:gutter="0"/>'
        '<w:pgNumType w:start="1"/><w:titlePg/></w:sectPr>'
    )


def final_sect_pr(document_xml: str) -> str | None:
    """The body's last w:sectPr (the one that is a child of w:body), as written in the template."""
    end = document_xml.rfind("</w:body>")
    found = [m for m in _SECT.finditer(document_xml, 0, end if end >= 0 else len(document_xml))]
    return found[-1].group(0) if found else None


def replace_final_sect_pr(document_xml: str, sect_pr: str) -> str:
    end = document_xml.rfind("</w:body>")
    found = list(_SECT.finditer(document_xml, 0, end))
    if not found:
        return document_xml[:end] + sect_pr + document_xml[end:]
    last = found[-1]
    return document_xml[: last.start()] + sect_pr + document_xml[last.end() :]


def section(base: str, orientation: str = "portrait", *, restart: bool = True) -> str:
    """`base` turned to `orientation`, with page numbers restarting at 1 (w:pgNumType after w:pgMar)."""
    page = rules.nd30()["page"]
    if orientation == "landscape":
        size = f'<w:pgSz w:w="{page["landscape"]["width"]}" w:h="{page["landscape"]["height"]}" w:orient="landscape"/>'
    else:
        size = f'<w:pgSz w:w="{page["width"]}" w:h="{page["height"]}"/>'
    out = _PGSZ.sub(size, base, count=1) if _PGSZ.search(base) else base.replace("<w:pgMar", size + "<w:pgMar", 1)
    if restart:
        if _PGNUM.search(out):
            out = _PGNUM.sub('<w:pgNumType w:start="1"/>', out, count=1)
        else:  # schema order: pgNumType follows pgMar (and paper source, borders, line numbers)
            out = re.sub(r"(<w:pgMar\b[^>]*/>)", r'\1<w:pgNumType w:start="1"/>', out, count=1)
    return out


@lru_cache(maxsize=64)  # a template's few sections, measured once (compose asks for every document)
def text_width(base: str, orientation: str = "portrait") -> int:
    """Width between the margins of a section built from `base`, twips."""
    page = rules.nd30()["page"]
    width = page["landscape"]["width"] if orientation == "landscape" else page["width"]
    margins = {side: values[2] for side, values in page["margins"].items()}
    left = _MARGIN.search(base)
    right = _MARGIN_R.search(base)
    return (
        width - (int(left.group(1)) if left else margins["left"]) - (int(right.group(1)) if right else margins["right"])
    )


def label(doc: Document, index: int) -> str:
    """'Phụ lục' alone, or 'Phụ lục II' when the document has several (PL I III.1.a) or gives its number (a
    phụ lục in a file of its own, Mẫu 2.2)."""
    if own := doc.appendices[index].number:
        return f"Phụ lục {own}"
    return f"Phụ lục {vntext.roman(index + 1)}" if len(doc.appendices) > 1 else "Phụ lục"


def attached_line(doc: Document, *, draft: bool) -> str:
    """'(Kèm theo Kế hoạch số 4595/KH-UBND ngày 01 tháng 10 năm 2021 của Ủy ban nhân dân Quận 7)';
    a draft leaves number, day and month blank as the main document does (law.lines.ATTACHED_LINE)."""
    number = None if draft else doc.number
    when = None if draft else doc.date
    return L.ATTACHED_LINE.format(doc.kind_name, number, doc.full_symbol(), when, doc.the_year, doc.issuer.name)
