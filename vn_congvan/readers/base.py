"""The one result every reader returns: the lines read, the lines dropped with their reason, and warnings.

A reader turns its input into numbered *source lines* (a .docx paragraph or table-cell paragraph, a line
of a PDF page's text layer or of its OCR, a line of a text file). Every non-blank source line ends up in
`lines` (possibly split into several, e.g. merged header columns) or in `dropped` with a `Reason`:
`ReadResult.unaccounted()` is empty, and the tests assert it on every real document.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from enum import StrEnum


class Origin(StrEnum):
    DOCX = "docx"
    PDF_TEXT = "pdf-text"
    OCR = "ocr"
    TXT = "txt"


class Reason(StrEnum):
    """Why a source line is not part of the document; the value is what users read."""

    METADATA = "thông tin nguồn (source metadata)"
    CHROME = "khung trang web (page chrome)"
    BEFORE_HEADER = "chữ trang web trước đầu văn bản (web text before the header)"
    SEPARATOR = "đường kẻ phân cách (separator line)"
    STAMP = "dấu chữ ký số (digital-signature stamp)"
    RECEIVED_STAMP = "dấu công văn đến (incoming-document stamp)"
    STAMP_RESIDUE = "ký tự sót của dấu, chữ ký (stamp/signature residue)"
    DUPLICATE = "dòng lặp lại (duplicate)"
    PAGE_NUMBER = "số trang (page number)"
    BROKEN_LAYER = "lớp chữ PDF hỏng, đã đọc lại bằng OCR (broken text layer, replaced by OCR)"


@dataclass(frozen=True)
class Line:
    """One line of the document as read, in reading order."""

    text: str
    origin: Origin
    src: int  # index of the source line it comes from (ReadResult.sources)
    page: int | None = None  # PDF and OCR: 1-based page number
    where: str = ""  # .docx: "p12" (body paragraph), "t1.r2.c3.p1" (table cell, grid column 3; "c3-5": merged),
    # "p4.box1.p2" (text box); OCR: "cols1.c2" (column block 1 — the header, Nơi nhận | signer — its right column)
    bold: bool | None = None  # .docx only: all the paragraph's text is bold (tells a chủ quản line from the issuer's)


@dataclass(frozen=True)
class Dropped:
    """A source line (or part of one) that is not document text, and why."""

    text: str
    reason: Reason
    src: int
    page: int | None = None


@dataclass
class ReadResult:
    source: str  # file name, or "<stdin>" / "<text>"
    sources: list[str] = field(default_factory=list)  # the source lines, after encoding repair
    lines: list[Line] = field(default_factory=list)
    dropped: list[Dropped] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)

    def unaccounted(self) -> list[int]:
        """Non-blank source lines that are neither read nor dropped (must be empty)."""
        seen = {line.src for line in self.lines} | {d.src for d in self.dropped}
        return [i for i, s in enumerate(self.sources) if s.strip() and i not in seen]

    def summary(self) -> str:
        """ "đọc 142/150 dòng; bỏ 8: 5 khung trang web (page chrome), 3 dòng lặp lại (duplicate)"."""
        total = sum(1 for s in self.sources if s.strip())
        read = len({line.src for line in self.lines})
        out = f"{self.source}: đọc {read}/{total} dòng"
        if self.dropped:
            counts = Counter(d.reason for d in self.dropped)
            out += f"; bỏ {len(self.dropped)}: " + ", ".join(f"{n} {r.value}" for r, n in counts.most_common())
        return out
