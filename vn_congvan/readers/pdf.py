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
from . import ocr as layout
from .base import Origin
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


def _text_pages(path: Path) -> list[str]:
    """Each page's text layer, one line per text line, in poppler's reading order (flows, blocks, lines).

    Read from `pdftotext -bbox-layout` rather than plain `pdftotext`: the same order, but plain output
    joins a line ending in "-" to the next and drops the hyphen, so "126/2024/NĐ-" + "CP" became "NĐCP"."""
    res = _run(["pdftotext", "-bbox-layout", "-enc", "UTF-8", str(path), "-"], path)
    if res.returncode != 0:
        msg = res.stderr.decode("utf-8", "replace").strip().splitlines()
        why = msg[-1] if msg else res.returncode
        raise InputError.one(f"không đọc được PDF (unreadable PDF): {why}", file=str(path))
    root = etree.fromstring(res.stdout, etree.XMLParser(recover=True, huge_tree=True))
    pages = []
    for page in root.iter(f"{_XHTML}page"):
        lines = [" ".join(w.text or "" for w in line.iter(f"{_XHTML}word")) for line in page.iter(f"{_XHTML}line")]
        pages.append("\n".join(lines))
    return pages


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


def ocr_image(image: Path, name: Path) -> list[tuple[str, str]]:
    """(text, where) lines of one image file, its column blocks read left column first (layout.order)."""
    return layout.read_ocr([_tesseract(image, name)])[0]


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
    (pages not read, pages read by OCR)."""
    warnings = warnings if warnings is not None else []
    texts = _text_pages(path)
    if pages is not None and len(texts) > pages:
        warnings.append(f"chỉ đọc {pages}/{len(texts)} trang đầu (pages {pages + 1}–{len(texts)} not read)")
        texts = texts[:pages]
    with_images = _image_pages(path)
    can_ocr = ocr and ocr_available()
    out: list[Source] = []
    tsv: dict[int, str] = {}
    with tempfile.TemporaryDirectory(prefix="vn_congvan_ocr_") as tmp:
        for number, text in enumerate(texts, 1):
            q = measure(_body_text(text))
            scan = q.words < MIN_WORDS and number in with_images
            why = "ảnh quét (scanned image)" if scan else _broken_why(q) if q.broken else ""
            layer = [Source(line, Origin.PDF_TEXT, number) for line in text.splitlines()]
            if not why:
                out += layer
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
        return _fill_ocr(out, tsv, len(texts), warnings, _rereader(path, Path(tmp)))


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
