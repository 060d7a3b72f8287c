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
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from ..errors import InputError
from . import grid, tables
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
    stamp = [*_chrome().stamp_start, *_chrome().stamp_part]
    return "\n".join(line for line in page.splitlines() if not _any(stamp, line))


def _tesseract(image: Path, name: Path, psm: str = layout.PSM) -> str:
    """Tesseract's words of one image with their boxes (TSV)."""
    res = _run(["tesseract", str(image), "stdout", "-l", OCR_LANG, "--psm", psm, "tsv"], name)
    if res.returncode != 0:
        raise InputError.one(
            f"tesseract lỗi (OCR failed): {res.stderr.decode('utf-8', 'replace')[-200:]}", file=str(name)
        )
    return res.stdout.decode("utf-8", "replace")


def ocr_image(image: Path, name: Path, warnings: list[str] | None = None) -> list[tuple[str, str]]:
    """(text, where) lines of one image file, its column blocks read left column first (layout.order)."""
    return layout.read_ocr([_tesseract(image, name)], warnings=warnings)[0]


def _page_image(path: Path, page: int, tmp: Path, colour: float = layout.COLOUR) -> Path:
    """One PDF page rendered at DPI in colour, stripped of coloured ink (layout.ink_only), as a PGM file."""
    image = tmp / (f"p{page}.pgm" if colour == layout.COLOUR else f"p{page}-{colour}.pgm")
    if image.exists():
        return image
    res = _run(["pdftoppm", "-r", str(DPI), "-f", str(page), "-l", str(page), "-singlefile", str(path)], path)
    if res.returncode != 0 or not res.stdout.startswith(b"P6"):
        raise InputError.one(f"pdftoppm không dựng được trang {page} (cannot render page)", file=str(path))
    image.write_bytes(layout.ink_only(res.stdout, colour))
    return image


def _rereader(path: Path, tmp: Path) -> layout.Reread:
    """Reads a box of a page image again on its own (layout.order's column blocks)."""

    def reread(index: int, box: layout.Box, psm: str, colour: float) -> str:
        part = tmp / "box.pgm"  # another whitening (a signer's page only) is rendered when first asked for
        part.write_bytes(layout.crop(_page_image(path, index + 1, tmp, colour).read_bytes(), box))
        return _tesseract(part, path, psm)

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
    checks: list[tuple[str, bool]] = []  # per page: why it is read by OCR ("" when it is not), a scan
    for number, text in enumerate(texts, 1):
        q = measure(_body_text(text))
        scan = q.words < MIN_WORDS and number in with_images
        checks.append(("ảnh quét (scanned image)" if scan else _broken_why(q) if q.broken else "", scan))
    with tempfile.TemporaryDirectory(prefix="vn_congvan_ocr_") as tmp:
        grids = _ruled(path, [n for n, (why, _) in enumerate(checks, 1) if not why], Path(tmp))
        numbering = tables.Tables()
        for number, (lines, (why, scan)) in enumerate(zip(layers, checks, strict=True), 1):
            layer = [Source(_line_text(line), Origin.PDF_TEXT, number) for line in lines]
            if not why:
                entries = tables.place(lines, grids.get(number, []))
                cells = numbering.number(entries, grids.get(number, []), number)
                out += [_source(e, Origin.PDF_TEXT, number, cells.get(k)) for k, e in enumerate(entries)]
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
        out = _fill_ocr(out, tsv, len(texts), warnings, _rereader(path, Path(tmp)), numbering, Path(tmp))
        return tables.between_parts(out)


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
            out[number] = grid.find_image(image.read_bytes())
        image.unlink()
    return out


_SLOT = "ocr-slot"


def _source(entry: tables.Entry, origin: Origin, page: int, cell: tuple[str, Reason | None] | None) -> Source:
    if isinstance(entry, str):
        return Source(entry, origin, page)
    assert cell is not None
    return Source(entry[2], origin, page, where=cell[0], drop=cell[1])


_MARK = "\ue000table"  # stands in an OCR page's lines for a table lifted out of it, where the table was


def _fill_ocr(
    out: list[Source],
    tsv: dict[int, str],
    pages: int,
    warnings: list[str],
    reread: layout.Reread,
    numbering: tables.Tables,
    tmp: Path,
) -> list[Source]:
    """The OCR'd pages' lines in place of their slots; the layout is ordered over all pages at once (the
    header is looked for on page 1, the signature block on the last page with text). A ruled table's words
    are lifted out before (a line across the page stands in for it) and come back as its cells."""
    if not tsv:
        return out
    words = [layout.words_of_tsv(tsv.get(n, "")) for n in range(1, pages + 1)]
    found: dict[int, tuple[list[grid.Grid], dict[int, list[tables.Entry]]]] = {}
    for n in tsv:
        grids = grid.find_image((tmp / f"p{n}.pgm").read_bytes(), DPI, grid.SCAN_DARK)
        if grids:
            width = words[n - 1][0].page_width if words[n - 1] else 0
            kept, cells = tables.lift([line.words for line in words[n - 1]], grids, 72 / DPI)
            marks = [[layout.Word(f"{_MARK}{g}", *_px(grids[g].box))] for g in cells]
            lines = [layout.OcrLine(list(w), width) for w in [*kept, *marks]]
            words[n - 1] = sorted(lines, key=lambda line: (line.y0, line.x0))
            found[n] = (grids, cells)
    read = layout.read_words(words, reread, warnings)
    filled: list[Source] = []
    for s in out:
        if s.where != _SLOT:
            filled.append(s)
            continue
        assert s.page is not None
        grids, cells = found.get(s.page, ([], {}))
        lines: list[tuple[str, str]] = []
        entries: list[tables.Entry] = []
        for text, where in read[s.page - 1]:
            if text.startswith(_MARK):
                entries += [(g, c, _ocr_cell(t)) for g, c, t in cells[int(text[len(_MARK) :])]]
            else:
                entries.append(text)
                lines.append((text, where))
        placed = numbering.number(entries, grids, s.page)
        flow = iter(lines)
        for k, e in enumerate(entries):
            if isinstance(e, str):
                text, where = next(flow)
                filled.append(Source(text, Origin.OCR, s.page, where=where, speck=layout.speck(text)))
            else:
                filled.append(_source(e, Origin.OCR, s.page, placed[k]))
        if not entries:
            i = next(k for k, w in enumerate(warnings) if w.startswith(f"trang {s.page}: "))
            warnings[i] += "; OCR không thấy chữ nào (no text found: a blank or seal-only page?)"
    return filled


def _ocr_cell(text: str) -> str:
    """A cell as OCR read it, without the "|" it made of the rules beside the words."""
    return layout.tidy(" ".join(w for w in text.split() if w.strip("|!")))


def _px(box: tuple[float, float, float, float]) -> tuple[int, int, int, int]:
    """A box in pt as pixels of the OCR page image."""
    x0, y0, x1, y1 = (round(v * DPI / 72) for v in box)
    return x0, y0, x1, y1


def _broken_why(q: Quality) -> str:
    if q.mojibake >= 3:
        return f"lớp chữ hỏng, {q.mojibake} ký tự lạ (mojibake)"
    if q.no_diacritics:
        return "lớp chữ mất dấu (no diacritics)"
    return f"lớp chữ hỏng, chỉ {q.valid:.0%} từ là âm tiết tiếng Việt (broken text layer)"


def read_image(path: Path, *, ocr: bool = True, warnings: list[str] | None = None, **_: object) -> list[Source]:
    if not ocr or not ocr_available():
        raise InputError.one("cần Tesseract với dữ liệu tiếng Việt để đọc ảnh (tesseract-ocr-vie)", file=str(path))
    lines = ocr_image(path, path, warnings)
    return [Source(t, Origin.OCR, 1, where=where, speck=layout.speck(t)) for t, where in lines]
