"""Read what officers receive — Word, PDF, scans, web copies — into lines, losing nothing silently.

    >>> from vn_congvan.readers import read
    >>> r = read("cong-van.pdf")            # or a .docx/.doc/.png/.txt path, or the text itself
    >>> r.lines[0].text, r.lines[0].page, r.lines[0].origin
    >>> print(r.summary())                   # "cong-van.pdf: đọc 142/150 dòng; bỏ 8: …"

One reader per input kind, registered by suffix (and by the file's first bytes when the suffix lies or
is missing); each returns source lines, which `clean` splits and sorts into `lines` and `dropped`.
Legacy encodings and detached tone marks are repaired first (`legacy`); text without diacritics is
flagged in `warnings`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path

from lxml import etree

from ..errors import InputError
from . import legacy
from .base import Dropped, Line, Origin, ReadResult, Reason
from .clean import Source, clean
from .pdf import ocr_available, read_image, read_pdf
from .quality import measure
from .text import read_text_file, sources
from .word import read_doc, read_docx

__all__ = ["Dropped", "Line", "Origin", "ReadResult", "Reason", "ocr_available", "read", "report"]

Reader = Callable[..., list[Source]]


def _plain(reader: Callable[[Path], list[Source]]) -> Reader:
    def run(path: Path, **_: object) -> list[Source]:
        return reader(path)

    return run


READERS: dict[str, Reader] = {
    ".docx": _plain(read_docx),
    ".docm": _plain(read_docx),
    ".doc": _plain(read_doc),
    ".pdf": read_pdf,
    ".png": read_image,
    ".jpg": read_image,
    ".jpeg": read_image,
    ".tif": read_image,
    ".tiff": read_image,
    ".txt": _plain(read_text_file),
    ".md": _plain(read_text_file),
    ".text": _plain(read_text_file),
}

TEXT_SUFFIXES = (".txt", ".md", ".text")

# First bytes -> the suffix whose reader fits (a file saved without, or with the wrong, suffix).
MAGIC = {
    b"%PDF": ".pdf",
    b"PK\x03\x04": ".docx",
    b"\xd0\xcf\x11\xe0": ".doc",
    b"\x89PNG": ".png",
    b"\xff\xd8\xff": ".jpg",
    b"II*\x00": ".tif",
    b"MM\x00*": ".tif",
}


def kind_of(path: Path) -> str:
    with path.open("rb") as f:
        head = f.read(8)
    for magic, suffix in MAGIC.items():
        if head.startswith(magic):
            return suffix
    return ".txt"


def read(source: str | Path, *, ocr: bool = True, pages: int | None = None, name: str | None = None) -> ReadResult:
    """Read a file (by path) or a text (a str holding the document itself; "-" reads stdin).

    ocr=False keeps broken PDF text layers as they are (with a warning) instead of running Tesseract;
    pages=N reads only a PDF's first N pages (with a warning naming the pages left out)."""
    warnings: list[str] = []
    if isinstance(source, str) and (source == "-" or not _looks_like_path(source)):
        if source == "-":
            import sys

            source, name = sys.stdin.read(), name or "<stdin>"
        srcs, label = sources(source), name or "<text>"
    else:
        path = Path(source)
        if not path.is_file():
            raise InputError.one("không tìm thấy tệp (file not found)", file=str(path))
        suffix = path.suffix.lower()
        sniffed = kind_of(path)
        if sniffed != ".txt":
            suffix = sniffed  # the content decides: a PDF saved as .txt is read as a PDF
        elif suffix in READERS and suffix not in TEXT_SUFFIXES:
            raise InputError.one(f"nội dung tệp không phải {suffix} (not a {suffix} file)", file=str(path))
        else:
            suffix = ".txt"
        try:
            srcs, label = READERS[suffix](path, ocr=ocr, warnings=warnings, pages=pages), name or path.name
        except etree.XMLSyntaxError as exc:  # a damaged or hostile .docx part
            why = f"XML hỏng (malformed XML): {exc}"
            raise InputError.one(f"không đọc được tệp {suffix} (unreadable {suffix}): {why}", file=str(path)) from None
        except InputError as exc:  # a .doc's LibreOffice copy: name the user's file, not the temporary one
            exc.problems[:] = [dataclasses.replace(p, file=str(path)) for p in exc.problems]
            raise
    srcs, notes = _repair(srcs)
    result = clean(srcs, label)
    result.warnings = warnings + notes
    q = measure(result.text)
    if q.no_diacritics:
        result.warnings.append(
            f"văn bản mất dấu tiếng Việt (no diacritics): chỉ {q.marked:.0%} âm tiết có dấu; cần kiểm tra lại chữ"
        )
    return result


def _looks_like_path(text: str) -> bool:
    """A one-line str naming a file (existing or not: a typo must not be read as a one-line document)."""
    if "\n" in text or len(text) > 4096:
        return False
    path = Path(text)
    return path.is_file() or path.suffix.lower() in READERS or ("/" in text and " " not in text)


def _repair(srcs: list[Source]) -> tuple[list[Source], list[str]]:
    out, counts = [], {}
    for s in srcs:
        if s.origin is Origin.OCR or s.replaced or not s.repair:
            out.append(s)
            continue
        text, notes = legacy.repair(s.text)
        for n in notes:
            counts[n] = counts.get(n, 0) + 1
        out.append(dataclasses.replace(s, text=text) if text != s.text else s)
    return out, [f"đã sửa {what} ở {n} dòng" for what, n in counts.items()]


def report(result: ReadResult) -> str:
    """What `vn-congvan parse FILE --lines` prints: each line read, each line dropped and why, warnings, summary."""
    rows: list[tuple[int, str]] = []
    for line in result.lines:
        where = ":".join(x for x in (f"tr{line.page}" if line.page else "", line.where) if x)
        rows.append((line.src, f"{line.origin.value:8} {where:16} {line.text}"))
    for d in result.dropped:
        rows.append((d.src, f"{'bỏ':8} {f'tr{d.page}' if d.page else '':16} [{d.reason.value}] {d.text}"))
    out = [row for _, row in sorted(rows, key=lambda r: r[0])]
    out += [f"cảnh báo (warning): {w}" for w in result.warnings]
    out.append(result.summary())
    return "\n".join(out)
