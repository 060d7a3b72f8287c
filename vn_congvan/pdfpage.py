"""The printed page: read a PDF's lines (poppler's `pdftotext -bbox-layout`) and find what only the page
shows (`vn-congvan check --pdf`, tests/test_pages.py):

- PG-01 the signature block stands apart from the closing sentence (another page);
- PG-02 a page is blank or holds only its page number;
- PG-03 a short line (header, date, title, Kính gửi, signer, table header) broke inside a word or a name;
- PG-04 the Quốc hiệu is not on one line.

Elements are found in the .docx (ooxml) and located on the page by their text, spaces ignored.
"""

from __future__ import annotations

import itertools
import re
import shutil
import subprocess
import tempfile
import unicodedata
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import linebreak, ooxml, rules
from .errors import ExportError

_NS = "{http://www.w3.org/1999/xhtml}"
_DIGITS = re.compile(r"^\d+$")


@dataclass(frozen=True)
class Line:
    page: int  # 1-based
    text: str
    x0: float
    top: float
    x1: float
    bottom: float


@dataclass
class Page:
    number: int
    height: float
    lines: list[Line] = field(default_factory=list)

    def content(self) -> list[Line]:
        """The lines other than a page number in the top margin (header)."""
        return [ln for ln in self.lines if not (_DIGITS.match(ln.text) and ln.bottom < self.height * 0.08)]


def read_pdf(pdf: str | Path) -> list[Page]:
    """Every page's text lines with their boxes, in poppler's reading order."""
    exe = shutil.which("pdftotext")
    if exe is None:
        raise ExportError.one(
            "Không tìm thấy pdftotext (poppler-utils) để đọc trang PDF; cài: apt-get install poppler-utils"
        )
    out = subprocess.run([exe, "-bbox-layout", str(pdf), "-"], capture_output=True, check=False)
    if out.returncode != 0:
        raise ExportError.one(f"pdftotext không đọc được tệp PDF: {out.stderr.decode(errors='replace')}", file=str(pdf))
    root = ET.fromstring(out.stdout)
    pages = []
    for n, page in enumerate(root.iter(_NS + "page"), start=1):
        pg = Page(n, float(page.get("height", "842")))
        for ln in page.iter(_NS + "line"):
            words = [w.text or "" for w in ln.iter(_NS + "word")]
            text = unicodedata.normalize("NFC", " ".join(w for w in words if w))
            if text:
                box = [float(ln.get(k, "0")) for k in ("xMin", "yMin", "xMax", "yMax")]
                pg.lines.append(Line(n, text, *box))
        pages.append(pg)
    return pages


# ---------------------------------------------------------------- finding elements on the page


def _shown(p: ooxml.Paragraph) -> str:
    """The paragraph as printed (caps applied), whitespace collapsed."""
    text = "".join(r.text.upper() if r.props.caps else r.text for r in p.runs)
    return " ".join(unicodedata.normalize("NFC", text).split())


def _key(text: str) -> str:
    return "".join(text.split())


@dataclass
class Placed:
    """A paragraph's printed lines (consecutive in reading order, on one page)."""

    text: str
    lines: list[Line]

    @property
    def page(self) -> int:
        return self.lines[-1].page

    def rows(self) -> list[str]:
        """The printed lines (pieces at one height joined by a space)."""
        out = [self.lines[0].text]
        for prev, ln in itertools.pairwise(self.lines):
            if _same_row(prev, ln):
                out[-1] += " " + ln.text
            else:
                out.append(ln.text)
        return out

    def breaks(self) -> list[int]:
        """Offsets into the space-free text where a new printed line starts (same-height pieces of one
        line, e.g. a draft date's gaps, are not breaks)."""
        out, pos = [], 0
        for prev, ln in itertools.pairwise(self.lines):
            pos += len(_key(prev.text))
            if not _same_row(prev, ln):
                out.append(pos)
        return out


def _same_row(a: Line, b: Line) -> bool:
    """Two pieces of one printed line (a draft date's gaps split it): their tops differ by less than half
    a line (boxes of successive lines overlap, ascent and descent included)."""
    return abs(a.top - b.top) < (a.bottom - a.top) / 2


def locate(pages: list[Page], text: str, used: set[tuple[int, int]] | None = None) -> Placed | None:
    """The first run of lines whose text, spaces ignored, is exactly `text` (not yet `used`)."""
    target = _key(text)
    if not target:
        return None
    used = used if used is not None else set()
    for page in pages:
        lines = page.lines
        for i, first in enumerate(lines):
            if (page.number, i) in used or not target.startswith(_key(first.text)):
                continue
            got, j = _key(first.text), i
            while got != target and j + 1 < len(lines) and target.startswith(got + _key(lines[j + 1].text)):
                j += 1
                got += _key(lines[j].text)
            if got == target:
                used.update((page.number, k) for k in range(i, j + 1))
                return Placed(text, lines[i : j + 1])
    return None


def _bad_break(text: str, offset: int, *, names: bool = True) -> str | None:
    """Why a line break at `offset` (space-free) of `text` is wrong: inside a word or inside a name."""
    seen = 0
    for pos, ch in enumerate(text):
        if ch.isspace():
            continue
        if seen == offset:
            before = text[:pos]
            if not before or not before[-1].isspace():
                return None if before and before[-1] in "-/–" else "giữa một từ (inside a word)"
            words, seps = linebreak.split(text)
            gap = len(linebreak.split(before)[0]) - 1
            kinds = linebreak.gaps(words, seps=seps, names=names)
            if 0 <= gap < len(kinds) and kinds[gap] == linebreak.BAD:
                return "giữa một tên hoặc một từ (inside a name or word)"
            return None
        seen += 1
    return None


# ---------------------------------------------------------------- the page rules


@dataclass(frozen=True)
class PageFinding:
    rule_id: str
    page: int
    detail: str
    where: str = ""


def _short_lines(doc: ooxml.Document) -> Iterable[tuple[ooxml.Paragraph, bool]]:
    """Paragraphs that linebreak sets (not justified body text, not the cells of a data table's body), and
    whether a name must stay whole (a narrow table header may break between a name's syllables)."""
    for block in doc.body:
        if isinstance(block, ooxml.Paragraph):
            if block.align != "both" and block.text.strip():
                yield block, True
            continue
        bordered = block.has_visible_borders
        for r, row in enumerate(block.rows):
            for cell in row.cells:
                bold = all(x.props.bold for p in cell.paragraphs for x in p.visible_runs())
                if bordered and not (r < 2 and bold):  # a data table: only its header rows
                    continue
                yield from ((p, not bordered) for p in cell.paragraphs if p.text.strip())


def _signature(doc: ooxml.Document) -> tuple[ooxml.Paragraph | None, list[ooxml.Paragraph], ooxml.Paragraph | None]:
    """(closing paragraph, signer's lines, "Nơi nhận:") of the main text, found as the check finds them:
    the borderless table whose left cell starts with "Nơi nhận", and the last text before it."""
    closing: ooxml.Paragraph | None = None
    for block in doc.body:
        if isinstance(block, ooxml.Paragraph):
            if block.text.strip():
                closing = block
            continue
        for row in block.rows:
            texts = [[p for p in c.paragraphs if p.text.strip()] for c in row.cells]
            label = next((ps[0] for ps in texts if ps and ps[0].text.strip().startswith("Nơi nhận")), None)
            if label is not None and len(texts) >= 2:
                signer = next((ps for ps in texts[1:] if ps and ps[0] is not label), [])
                return closing, signer, label
        if not block.has_visible_borders:
            continue
        # a data table's last row stands for "the text before" too
        last = [p for c in block.rows[-1].cells for p in c.paragraphs if p.text.strip()] if block.rows else []
        closing = last[-1] if last else closing
    return closing, [], None


def inspect(docx: str | Path, pdf: str | Path) -> list[PageFinding]:
    """Page-level findings for one document and its PDF."""
    doc = ooxml.read(docx)
    pages = read_pdf(pdf)
    out: list[PageFinding] = []
    used: set[tuple[int, int]] = set()

    for page in pages:
        if not page.content():
            only = " (chỉ có số trang)" if page.lines else ""
            out.append(PageFinding("PG-02", page.number, f"trang {page.number} trống{only}"))

    nd = rules.nd30()
    qh = next(
        (p for p in doc.paragraphs() if _key(_shown(p).upper()) in {_key(q) for q in nd["quoc_hieu_accepted"]}), None
    )
    if qh is not None:
        placed = locate(pages, _shown(qh), used)
        if placed is not None and placed.breaks():
            out.append(PageFinding("PG-04", placed.page, f"Quốc hiệu in trên {len(placed.breaks()) + 1} dòng", qh.text))

    closing, signer, label = _signature(doc)
    if signer:
        where = {}
        for name, p in (("câu kết", closing), ("Nơi nhận", label), ("người ký", signer[-1]), ("chức vụ", signer[0])):
            placed = locate(pages, _shown(p), set(used)) if p is not None else None
            if placed is not None:
                where[name] = placed.lines[0].page if name in ("Nơi nhận", "chức vụ") else placed.page
        if len(set(where.values())) > 1:
            parts = ", ".join(f"{k} ở trang {v}" for k, v in where.items())
            out.append(PageFinding("PG-01", max(where.values()), parts, signer[-1].text))

    broken: dict[tuple[int, str], PageFinding] = {}
    for p, names in _short_lines(doc):
        text = _shown(p)
        placed = locate(pages, text, used)
        if placed is None:
            continue
        for offset in placed.breaks():
            why = _bad_break(text, offset, names=names)
            if why:
                shown = " / ".join(ln.text for ln in placed.lines)
                f = PageFinding("PG-03", placed.page, f"dòng bị ngắt {why}: «{shown}»", text)
                broken.setdefault((f.page, text), f)
    for f in _broken_tokens(doc, pages):
        broken.setdefault((f.page, f.where), f)
    return out + list(broken.values())


def _broken_tokens(doc: ooxml.Document, pages: list[Page]) -> list[PageFinding]:
    """A printed word that is no word of the document: a line broke inside it ("87.000.00 / 0",
    "Thuậ / n", "ST / T"). Words are also known by their pieces after a hyphen or slash."""
    known: set[str] = set()
    for p in doc.paragraphs():
        for word in _shown(p).split():
            pieces = linebreak.split(word)[0]
            known.update("".join(pieces[i:j]) for i in range(len(pieces)) for j in range(i + 1, len(pieces) + 1))
    for part in doc.header_footer_parts():
        for p in part.paragraphs():
            known.update(_shown(p).split())
    out = []
    for page in pages:
        lines = page.content()
        for ln, nxt in itertools.pairwise(lines):
            last, first = ln.text.split()[-1], nxt.text.split()[0]
            if (last in known and first in known) or last.endswith(("-", "/", "–")):
                continue  # a break after a hyphen or slash is the renderer's own
            if last + first in known:
                out.append(
                    PageFinding("PG-03", page.number, f"dòng bị ngắt giữa một từ: «{last} / {first}»", last + first)
                )
    return out


def findings(pairs: Sequence[tuple[Path, Path]]) -> dict[Path, list[Any]]:
    """check.Finding objects (rule, severity and message from nd30.yaml) for each (docx, pdf) pair."""
    from .check import Finding

    table = rules.nd30()["rules"]
    out: dict[Path, list[Any]] = {}
    for docx, pdf in pairs:
        out[docx] = [
            Finding(f.rule_id, table[f.rule_id]["severity"], f"{table[f.rule_id]['message']} ({f.detail})", f.where)
            for f in inspect(docx, pdf)
        ]
    return out


def check_pdf(docx_paths: Sequence[str | Path]) -> dict[Path, list[Any]]:
    """Convert the documents with one LibreOffice call and read their pages: `vn-congvan check --pdf`."""
    from .export import to_pdf

    paths = [Path(p) for p in docx_paths]
    with tempfile.TemporaryDirectory(prefix="vn_congvan-check-pdf-") as tmp:
        pdfs = to_pdf(paths, Path(tmp))
        return findings(list(zip(paths, pdfs, strict=True)))
