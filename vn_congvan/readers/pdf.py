"""PDF files page by page: the text layer where it is good, Tesseract OCR where it is broken or missing;
images (.png/.jpg/.tif) by OCR.

The text layer comes from poppler's `pdftotext` (see the README for the measurement behind the choice).
A page is read by OCR when its text layer is broken (quality.measure: too few Vietnamese syllables,
mojibake letters, or no diacritics at all) or when it is a scanned image with next to no text. The
replaced text-layer lines are kept in `dropped` (Reason.BROKEN_LAYER), so nothing goes missing.
"""

from __future__ import annotations

import dataclasses
import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from ..errors import InputError
from . import grid
from . import ocr as layout
from .base import Origin, Reason
from .clean import Source, _any, _chrome
from .quality import Quality, measure

DPI = 200  # enough for 13–14 pt body text; 300 is slower for no gain on these documents
MIN_WORDS = 15  # fewer words than this on a page with an image: a scan
OCR_LANG = layout.OCR_LANG


@dataclass
class PageReport:
    page: int
    quality: Quality
    ocr: bool
    why: str = ""


def _run(cmd: list[str], path: Path, timeout: float = 300) -> subprocess.CompletedProcess[bytes]:
    if shutil.which(cmd[0]) is None:
        raise InputError.one(
            f"thiếu chương trình {cmd[0]} (missing); cài bằng scripts/install_system_deps.sh", file=str(path)
        )
    # One OCR thread: Tesseract's OpenMP threads slow it down on small, shared machines.
    env = {**os.environ, "OMP_THREAD_LIMIT": os.environ.get("OMP_THREAD_LIMIT", "1")}
    try:
        return subprocess.run(cmd, capture_output=True, timeout=timeout, check=False, env=env)
    except subprocess.TimeoutExpired:
        raise InputError.one(f"{cmd[0]} quá thời gian (timeout)", file=str(path)) from None


def ocr_available() -> bool:
    if shutil.which("tesseract") is None or shutil.which("pdftoppm") is None:
        return False
    langs = subprocess.run(["tesseract", "--list-langs"], capture_output=True, text=True, check=False).stdout
    return OCR_LANG in langs.split()


_XHTML = "{http://www.w3.org/1999/xhtml}"


@dataclass(frozen=True)
class Word:
    text: str
    x0: float
    y0: float
    x1: float
    y1: float


TextLine = list[Word]


def _text_pages(path: Path) -> list[list[TextLine]]:
    """Each page's text layer as lines of words with their boxes (pt), in poppler's reading order (flows,
    blocks, lines).

    Read from `pdftotext -bbox-layout` rather than plain `pdftotext`: the same order, but plain output
    joins a line ending in "-" to the next and drops the hyphen, so "126/2024/NĐ-" + "CP" became "NĐCP"."""
    res = _run(["pdftotext", "-bbox-layout", "-enc", "UTF-8", str(path), "-"], path)
    if res.returncode != 0:
        msg = res.stderr.decode("utf-8", "replace").strip().splitlines()
        why = msg[-1] if msg else res.returncode
        raise InputError.one(f"không đọc được PDF (unreadable PDF): {why}", file=str(path))
    root = etree.fromstring(res.stdout, etree.XMLParser(recover=True, huge_tree=True))
    box = ("xMin", "yMin", "xMax", "yMax")
    return [
        [
            [Word(w.text or "", *(float(w.get(k, 0)) for k in box)) for w in line.iter(f"{_XHTML}word")]
            for line in page.iter(f"{_XHTML}line")
        ]
        for page in root.iter(f"{_XHTML}page")
    ]


def _line_text(line: TextLine) -> str:
    return " ".join(w.text for w in line)


def _image_pages(path: Path) -> set[int]:
    res = _run(["pdfimages", "-list", str(path)], path)
    pages = set()
    for row in res.stdout.decode("utf-8", "replace").splitlines()[2:]:
        cols = row.split()
        if cols and cols[0].isdigit():
            pages.add(int(cols[0]))
    return pages


def _body_text(page: str) -> str:
    """The page's text without digital-signature stamp lines (a scan's only text is often its stamp)."""
    return "\n".join(line for line in page.splitlines() if not _any(_stamp(), line))


def _tesseract(image: Path, name: Path, psm: str = layout.PSM) -> str:
    """Tesseract's words of one image with their boxes (TSV)."""
    res = _run(["tesseract", str(image), "stdout", "-l", OCR_LANG, "--psm", psm, "tsv"], name)
    if res.returncode != 0:
        raise InputError.one(
            f"tesseract lỗi (OCR failed): {res.stderr.decode('utf-8', 'replace')[-200:]}", file=str(name)
        )
    return res.stdout.decode("utf-8", "replace")


def ocr_image(image: Path, name: Path) -> list[tuple[str, str]]:
    """(text, where) lines of one image file, its column blocks read left column first (layout.order)."""
    return layout.read_ocr([_tesseract(image, name)])[0]


def _page_image(path: Path, page: int, tmp: Path) -> Path:
    """One PDF page rendered at DPI in colour, stripped of coloured ink (layout.ink_only), as a PGM file."""
    res = _run(["pdftoppm", "-r", str(DPI), "-f", str(page), "-l", str(page), "-singlefile", str(path)], path)
    if res.returncode != 0 or not res.stdout.startswith(b"P6"):
        raise InputError.one(f"pdftoppm không dựng được trang {page} (cannot render page)", file=str(path))
    image = tmp / f"p{page}.pgm"
    image.write_bytes(layout.ink_only(res.stdout))
    return image


def _rereader(path: Path, tmp: Path) -> layout.Reread:
    """Reads a box of a page image again on its own (layout.order's column blocks)."""

    def reread(index: int, box: layout.Box) -> str:
        part = tmp / "box.pgm"
        part.write_bytes(layout.crop((tmp / f"p{index + 1}.pgm").read_bytes(), box))
        return _tesseract(part, path, layout.PSM_COLUMN)

    return reread


def read_pdf(
    path: Path, *, ocr: bool = True, warnings: list[str] | None = None, pages: int | None = None
) -> list[Source]:
    """Source lines of every page (or of the first `pages`); `warnings` receives what the caller must know
    (pages not read, pages read by OCR). A ruled table's cells come as one source line each, placed like a
    .docx cell ("t1.r2.c3.p1"), where the table starts in the page's reading order."""
    warnings = warnings if warnings is not None else []
    layers = _text_pages(path)
    if pages is not None and len(layers) > pages:
        warnings.append(f"chỉ đọc {pages}/{len(layers)} trang đầu (pages {pages + 1}–{len(layers)} not read)")
        layers = layers[:pages]
    texts = ["\n".join(_line_text(line) for line in lines) for lines in layers]
    with_images = _image_pages(path)
    can_ocr = ocr and ocr_available()
    out: list[Source] = []
    tsv: dict[int, str] = {}
    whys: list[str] = []
    for number, text in enumerate(texts, 1):
        q = measure(_body_text(text))
        scan = q.words < MIN_WORDS and number in with_images
        whys.append("ảnh quét (scanned image)" if scan else _broken_why(q) if q.broken else "")
    with tempfile.TemporaryDirectory(prefix="vn_congvan_ocr_") as tmp:
        grids = _ruled(path, [n for n, why in enumerate(whys, 1) if not why], Path(tmp))
        tables = _Tables()
        for number, (lines, why) in enumerate(zip(layers, whys, strict=True), 1):
            scan = why.startswith("ảnh quét")
            layer = [Source(_line_text(line), Origin.PDF_TEXT, number) for line in lines]
            if not why:
                out += tables.page(lines, grids.get(number, []), number)
            elif can_ocr:
                out += [Source(s.text, Origin.PDF_TEXT, number, replaced=True) for s in layer]
                tsv[number] = _tesseract(_page_image(path, number, Path(tmp)), path)
                out.append(Source("", Origin.OCR, number, where=_SLOT))  # the page's OCR lines go here
                warnings.append(f"trang {number}: {why}, đã đọc bằng OCR (Tesseract, {OCR_LANG})")
            else:
                out += [dataclasses.replace(s, repair=False) for s in layer]
                off = "OCR đang tắt (OCR off)" if not ocr else "chưa có OCR (cài tesseract-ocr, tesseract-ocr-vie)"
                warnings.append(
                    f"trang {number}: {why}; {off}: giữ lớp chữ như nó là"
                    + ("; trang này coi như chưa đọc (page not read)" if scan else "")
                )
        out = _between_parts(out)
        return _fill_ocr(out, tsv, len(texts), warnings, _rereader(path, Path(tmp)))


def _ruled(path: Path, pages: list[int], tmp: Path) -> dict[int, list[grid.Grid]]:
    """The ruled tables of the given pages, rendered in one pdftoppm run over their range. A page that does
    not render keeps its lines as lines (its text layer is read all the same)."""
    if not pages:
        return {}
    first, last = str(min(pages)), str(max(pages))
    aa = ["-aa", "no", "-aaVector", "no"]  # a thin rule stays one dark pixel, not a grey smear
    res = _run(["pdftoppm", "-r", str(grid.DPI), *aa, "-f", first, "-l", last, str(path), str(tmp / "g")], path)
    out: dict[int, list[grid.Grid]] = {}
    if res.returncode != 0:
        return out
    for image in tmp.glob("g-*.ppm"):
        number = int(image.stem.rsplit("-", 1)[1])  # pdftoppm pads the number: "g-03.ppm"
        if number in pages:
            out[number] = grid.find_ppm(image.read_bytes())
        image.unlink()
    return out


_TRIVIAL = re.compile(r"[-–\s\d]*")  # a page number between a table's two parts
HEAD_ROWS = 3  # a header repeated on the next page is compared over this many rows at most

Row = list[tuple[int, int, str]]  # a grid row's cells: first and last column, text


@dataclass
class _Open:
    """The table that ended a page, which the next page may go on with."""

    number: int
    xs: list[float]
    rows: int  # grid rows so far
    head: list[Row]  # its first rows, to know them when the next page repeats them


class _Tables:
    """Numbers the tables of a document and carries a table over a page break: a page's first table with
    the same columns as the table that ended the page before goes on as that table, its rows after it, and
    the header rows a word processor repeats at the top of the new page are dropped as duplicates."""

    def __init__(self) -> None:
        self.count = 0
        self.open: _Open | None = None
        self.heads: dict[int, list[Row]] = {}

    def page(self, lines: list[TextLine], grids: list[grid.Grid], number: int) -> list[Source]:
        entries = _place(lines, grids)
        ids: dict[int, tuple[int, int]] = {}  # grid → (table number, rows before it)
        repeated: set[tuple[int, int]] = set()  # (grid, grid row) of a repeated header
        last_text = -1  # index of the last entry that is page text, not a table cell or a page number
        for k, entry in enumerate(entries):
            if isinstance(entry, str):
                if not _TRIVIAL.fullmatch(entry) and not _any(_stamp(), entry):
                    last_text = k
                continue
            g = entry[0]
            if g in ids:
                continue
            rows = _rows(entries, g)
            if last_text < 0 and not ids and self.open and _same_columns(self.open.xs, grids[g].xs):
                ids[g] = (self.open.number, self.open.rows)
                head = self.heads[self.open.number]
                repeated |= {(g, r) for r in range(_repeats(head, rows))}
            else:
                self.count += 1
                ids[g] = (self.count, 0)
                self.heads[self.count] = rows[:HEAD_ROWS]
        self.open = None
        tail = [e for e in entries[last_text + 1 :] if not isinstance(e, str)]
        if tail:
            g = tail[-1][0]
            number_, before = ids[g]
            self.open = _Open(number_, grids[g].xs, before + len(grids[g].ys) - 1, self.heads[number_])
        out = []
        for entry in entries:
            if isinstance(entry, str):
                out.append(Source(entry, Origin.PDF_TEXT, number))
                continue
            g, cell, text = entry
            table, rows_before = ids[g]
            span = f"-{cell.last_col + 1}" if cell.last_col > cell.col else ""
            where = f"t{table}.r{rows_before + cell.row + 1}.c{cell.col + 1}{span}.p1"
            drop = Reason.DUPLICATE if (g, cell.row) in repeated else None
            out.append(Source(text, Origin.PDF_TEXT, number, where=where, drop=drop))
        return out


def _rows(entries: list[str | tuple[int, grid.Slot, str]], g: int) -> list[Row]:
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


def _between_parts(out: list[Source]) -> list[Source]:
    """A page number between the two parts of one table (an appendix's own numbering, which the cleaner
    cannot match to the page) is dropped as one, so the table reads on."""
    table = [s.where.split(".")[0] if s.where.startswith("t") else "" for s in out]

    def near(k: int, step: int) -> str:  # the table of the nearest line that is no page number
        k += step
        while 0 <= k < len(out) and not table[k] and _TRIVIAL.fullmatch(out[k].text):
            k += step
        return table[k] if 0 <= k < len(out) else ""

    for k, s in enumerate(out):
        if not table[k] and _TRIVIAL.fullmatch(s.text) and near(k, -1) and near(k, -1) == near(k, 1):
            out[k] = dataclasses.replace(s, drop=Reason.PAGE_NUMBER)
    return out


def _same_columns(a: list[float], b: list[float]) -> bool:
    return len(a) == len(b) and all(abs(x - y) <= 2 for x, y in zip(a, b, strict=True))


def _stamp() -> list[re.Pattern[str]]:
    return [*_chrome().stamp_start, *_chrome().stamp_part]


def _place(lines: list[TextLine], grids: list[grid.Grid]) -> list[str | tuple[int, grid.Slot, str]]:
    """The page in reading order: its lines of text outside the tables, and in place of each table (where
    its first word comes) its cells, row by row, each cell's words as one text."""
    entries: list[str | tuple[int, grid.Slot, str] | int] = []
    cells: dict[int, dict[grid.Slot, list[Word]]] = {}
    for line in lines:
        outside = []
        for w in line:
            x, y = (w.x0 + w.x1) / 2, (w.y0 + w.y1) / 2
            g = next((k for k, t in enumerate(grids) if t.holds(x, y)), None)
            cell = grids[g].cell_at(x, y) if g is not None else None
            if g is None or cell is None:
                outside.append(w)
                continue
            if g not in cells:
                cells[g] = {}
                entries.append(g)
            cells[g].setdefault(cell, []).append(w)
        if outside:
            entries.append(_line_text(outside))
    out: list[str | tuple[int, grid.Slot, str]] = []
    for entry in entries:
        if not isinstance(entry, int):
            out.append(entry)
            continue
        for cell in sorted(cells[entry], key=lambda c: (c.row, c.col)):
            out.append((entry, cell, _cell_text(cells[entry][cell])))
    return out


def _cell_text(words: list[Word]) -> str:
    """A cell's words line by line, top to bottom, each line left to right; a number and ký hiệu wrapped
    after its "-" or "/" is put back together."""
    rows: list[list[Word]] = []
    for w in sorted(words, key=lambda w: w.y0 + w.y1):
        if rows and (w.y0 + w.y1) / 2 < rows[-1][0].y1:
            rows[-1].append(w)
        else:
            rows.append([w])
    text = ""
    for row in rows:
        line = " ".join(w.text for w in sorted(row, key=lambda w: w.x0))
        glued = len(text) > 1 and text[-1] in "-/" and text[-2].isalnum()  # "105/2025/NĐ-" + "CP"
        text = f"{text}{line}" if glued else f"{text} {line}" if text else line
    return text


_SLOT = "ocr-slot"


def _fill_ocr(
    out: list[Source], tsv: dict[int, str], pages: int, warnings: list[str], reread: layout.Reread
) -> list[Source]:
    """The OCR'd pages' lines in place of their slots; the layout is ordered over all pages at once (the
    header is looked for on page 1, the signature block on the last page with text)."""
    if not tsv:
        return out
    read = layout.read_ocr([tsv.get(n, "") for n in range(1, pages + 1)], reread)
    filled: list[Source] = []
    for s in out:
        if s.where != _SLOT:
            filled.append(s)
            continue
        assert s.page is not None
        lines = read[s.page - 1]
        filled += [Source(t, Origin.OCR, s.page, where=where, speck=layout.speck(t)) for t, where in lines]
        if not lines:
            i = next(k for k, w in enumerate(warnings) if w.startswith(f"trang {s.page}: "))
            warnings[i] += "; OCR không thấy chữ nào (no text found: a blank or seal-only page?)"
    return filled


def _broken_why(q: Quality) -> str:
    if q.mojibake >= 3:
        return f"lớp chữ hỏng, {q.mojibake} ký tự lạ (mojibake)"
    if q.no_diacritics:
        return "lớp chữ mất dấu (no diacritics)"
    return f"lớp chữ hỏng, chỉ {q.valid:.0%} từ là âm tiết tiếng Việt (broken text layer)"


def read_image(path: Path, *, ocr: bool = True, **_: object) -> list[Source]:
    if not ocr or not ocr_available():
        raise InputError.one("cần Tesseract với dữ liệu tiếng Việt để đọc ảnh (tesseract-ocr-vie)", file=str(path))
    return [Source(t, Origin.OCR, 1, where=where, speck=layout.speck(t)) for t, where in ocr_image(path, path)]
