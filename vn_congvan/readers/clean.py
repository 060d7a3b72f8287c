"""From source lines to document lines: split merged header columns, set aside what is not the document.

Every reader hands its source lines here. Each non-blank one ends up in `lines` (whole or split) or in
`dropped` with a Reason; nothing is removed silently. The chrome and stamp patterns are data
(data/page_chrome.yaml); the Quốc hiệu, Tiêu ngữ (nd30.yaml) and kinds (kinds.yaml) come from the law's data.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

import yaml

from .. import rules
from ..law import lines as law_lines
from ..paths import DATA
from .base import Dropped, Line, Origin, ReadResult, Reason


@dataclass(frozen=True)
class Source:
    """One source line as a reader saw it."""

    text: str
    origin: Origin
    page: int | None = None
    where: str = ""
    replaced: bool = False  # a broken text layer's line, read again by OCR
    bold: bool | None = None  # .docx: every run of the paragraph is bold
    repair: bool = True  # False: a broken PDF layer kept as it is (OCR off), not "repaired" into other garbage
    speck: bool = False  # OCR: a line of specks a seal or a signature left (ocr.speck), not text
    drop: Reason | None = None  # the reader knows it is no text (a table's header row repeated on a new page)


@dataclass(frozen=True)
class Chrome:
    """data/page_chrome.yaml, compiled."""

    chrome: list[re.Pattern[str]]
    page_marker: re.Pattern[str]
    stamp_start: list[re.Pattern[str]]
    stamp_part: list[re.Pattern[str]]
    received_stamp: list[re.Pattern[str]]
    received_stamp_prefix: re.Pattern[str]


@cache
def _chrome() -> Chrome:
    data = yaml.safe_load((DATA / "page_chrome.yaml").read_text(encoding="utf-8"))
    return Chrome(
        chrome=[re.compile(p) for p in data["chrome"]],
        page_marker=re.compile(data["page_marker"]),
        stamp_start=[re.compile(p) for p in data["stamp_start"]],
        stamp_part=[re.compile(p) for p in data["stamp_part"]],
        received_stamp=[re.compile(p) for p in data["received_stamp"]],
        received_stamp_prefix=re.compile(data["received_stamp_prefix"]),
    )


def _any(patterns: list[re.Pattern[str]], text: str) -> bool:
    return any(p.search(text) for p in patterns)


@cache
def _kind_names() -> list[str]:
    kinds = yaml.safe_load((DATA / "kinds.yaml").read_text(encoding="utf-8"))["kinds"]
    return sorted((k["name"].upper() for k in kinds.values()), key=len, reverse=True)


@cache
def _letter_families() -> dict[str, str]:
    """Each Vietnamese letter -> every letter (either case) with the same base: "Ò" -> "oòóỏõọôồ…OÒÓ…"."""
    families: dict[str, set[str]] = {}
    for code in [*range(0x41, 0x5B), *range(0x61, 0x7B), *range(0xC0, 0x250), *range(0x1EA0, 0x1F00)]:
        c = chr(code)
        if c.isalpha():
            base = "d" if c in "đĐ" else unicodedata.normalize("NFD", c)[0].lower()
            families.setdefault(base, set()).add(c)
    out = {}
    for members in families.values():
        for c in members:
            out[c] = "".join(sorted(members))
    return out


def tolerant(text: str) -> str:
    """A pattern for `text` as copies mangle it: any mark on any vowel, either case, words glued together,
    any dash or none ("CỘNG HOÀ XàHỘI", "Độc lập  Tự do  Hạnh Phúc")."""
    fam = _letter_families()
    words = []
    for word in text.split():
        if word in ("-", "–", "—"):
            words.append("[-–—]?")
        else:
            words.append("".join(f"[{re.escape(fam[c])}]" if c in fam else re.escape(c) for c in word))
    return r"\s*".join(words)


@cache
def _header_words() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """Quốc hiệu, Tiêu ngữ (from the law's data, nd30.yaml) and the first words of a Quốc hiệu split over lines."""
    law = rules.nd30()
    qh = law["quoc_hieu"].split()
    start = "|".join(tolerant(" ".join(qh[:k])) for k in range(len(qh) - 1, 0, -1))
    return re.compile(tolerant(law["quoc_hieu"])), re.compile(tolerant(law["tieu_ngu"])), re.compile(start)


_NUMBER_DATE = re.compile(r"^(Số\s*:?[^/,]{0,20}/\s*\S+(?:\s*-\s*[^\s,]+)*)\s+(\S[^,]{0,40},\s*ngày\b.*)$")
_CELL = re.compile(r"\s*\|\s*")
_SEPARATOR = re.compile(r"^[\s\-–—_*=.~|•·#+]+$")
_METADATA = re.compile(r"^(source|url|level|kind|title|date)\s*:\s*\S")


def _is_upper(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and sum(c.isupper() for c in letters) / len(letters) > 0.8


def split_merged(text: str) -> list[str]:
    """Header columns that a copy put on one line, as separate lines."""
    pieces = [p for p in _CELL.split(text)] if "|" in text else [text]
    out: list[str] = []
    for piece in pieces:
        piece = piece.strip()
        if not piece:
            continue
        # "UBND TỈNH X CỘNG HÒA…", "VIỆT NAMTRƯỜNG", "SỞ Y Độc lập - Tự do - Hạnh phúc"
        quoc_hieu, tieu_ngu, _ = _header_words()
        for rx in (quoc_hieu, tieu_ngu):
            m = rx.search(piece)
            if m and (rx is tieu_ngu or _is_upper(m.group(0))):  # "Cộng hòa Xã hội…" in a sentence stays
                piece = piece[: m.start()] + "\n" + m.group(0) + "\n" + piece[m.end() :]
        for part in piece.split("\n"):
            part = part.strip()
            m = _NUMBER_DATE.match(part)
            parts = [m.group(1), m.group(2)] if m else [part]
            for p in parts:
                out += _split_kind(p)
    return [p for p in (p.strip() for p in out) if p]


def _split_kind(text: str) -> list[str]:
    """ "Số: /BCSK-THQLBÁO CÁO": a ký hiệu glued to the kind's name."""
    for name in _kind_names():
        i = text.find(name)
        if i > 0 and "/" in text[:i] and text[i - 1].isalpha() and text[i - 1].isupper():
            return [text[:i], text[i:]]
    return [text]


_FLAT = 400  # a web copy's line longer than this, holding element leads, is a whole document flattened
# Leads a flattened document is cut before, in document order, each read by its own pattern (law/lines.py).
_FLAT_LEADS = (
    ("Số", law_lines.SO.match),
    (law_lines.VV.label, law_lines.VV.match),
    (law_lines.KINH_GUI.label, law_lines.KINH_GUI.match),
    (law_lines.NOI_NHAN.label, law_lines.NOI_NHAN.match),
    (law_lines.LUU.lead + law_lines.LUU.label, law_lines.LUU.match),
)
_LIST_ITEM = re.compile(r"(?<=[:;])\s+(?=[-–]\s)")  # "Kính gửi: - A; - B": each recipient on its line
_SENTENCE_END = re.compile(r"(?<=\.)\s+(?=[A-ZĐÀ-Ỹ])")


def unflatten(text: str) -> list[str]:
    """A document a web copy flattened onto one line, cut at the ND30 element leads it holds (Số, V/v,
    Kính gửi, Nơi nhận, Lưu) so the finder sees lines; the date line leaves the Số line in split_merged.
    Each lead cuts once, at its first occurrence after the previous cut; a short line is left as it is."""
    if len(text) < _FLAT:
        return [text]
    cuts: list[int] = []
    start = 0
    for lead, match in _FLAT_LEADS:
        for m in re.finditer(re.escape(lead), text[start:]):
            i = start + m.start()
            if (i == 0 or text[i - 1] == " ") and match(text[i:]):
                cuts.append(i)
                start = i + len(lead)
                break
    if len(cuts) < 2:  # one lead alone may be a sentence quoting it
        return [text]
    pieces = [text[a:b].strip() for a, b in zip([0, *cuts], [*cuts, len(text)], strict=True)]
    m = law_lines.ARABIC_ITEM.match(pieces[0])
    if m and _is_upper(m["t"]):  # "1. UBND TỈNH …": the web page's list number before the header
        pieces[:1] = [m["n"], m["t"]]
    out: list[str] = []
    for piece in pieces:
        if not (law_lines.KINH_GUI.match(piece) or law_lines.NOI_NHAN.match(piece)):
            out.append(piece)
            continue
        # The list ends at the first item that ends a sentence: what follows it is the body.
        items = [m.start() for m in _LIST_ITEM.finditer(piece)]
        start = 0
        for i in [*items, len(piece)]:
            end = _SENTENCE_END.search(piece, start, i)
            if end:
                out += [piece[start : end.start()], piece[end.end() :]]
                break
            out.append(piece[start:i])
            start = i
    return [p.strip() for p in out if p.strip()]


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip()


_TOP = 16  # lines a web page may show before the document's header, chrome already set aside
_WINDOW = 8  # header lines above the Quốc hiệu in a web copy: agency (2–3), Số, V/v (2), blanks


def _header_start(texts: list[str]) -> int | None:
    """Index of the document header's first line (the agency line above the Quốc hiệu), if any.

    The Quốc hiệu is found as a line of its own (split_merged isolates it); the header starts at the earliest
    upper-case line just above it that is not a kind's name (a web page's title, "HƯỚNG DẪN TUYỂN SINH…")."""
    for i, t in enumerate(texts):
        quoc_hieu, _, first_words = _header_words()
        if _is_upper(t) and (quoc_hieu.fullmatch(t) or first_words.fullmatch(t)):
            for j in range(max(0, i - _WINDOW), i):
                if _is_upper(texts[j]) and not any(texts[j].startswith(k) for k in _kind_names()):
                    return j
            for j in range(max(0, i - _WINDOW), i):
                if texts[j].startswith("Số"):
                    return j
            return i
    return None


def clean(sources: Iterable[Source], name: str) -> ReadResult:
    """Classify and split the source lines of one document."""
    result = ReadResult(source=name)
    chrome = _chrome()
    items: list[tuple[int, str, Source]] = []  # (src, text, source): the pieces still in play
    meta = True
    for src, s in enumerate(sources):
        result.sources.append(s.text)
        text = _norm(s.text)
        if not text:
            if s.origin is not Origin.TXT or src > 0:
                meta = False
            continue

        def drop(t: str, reason: Reason, src: int = src, s: Source = s) -> None:
            result.dropped.append(Dropped(t, reason, src, s.page))

        if s.speck:
            drop(text, Reason.STAMP_RESIDUE)
            continue
        if s.drop is not None:
            drop(text, s.drop)
            continue
        if s.replaced:
            stamp = _any(chrome.stamp_start, text) or _any(chrome.stamp_part, text)
            drop(text, Reason.STAMP if stamp else Reason.BROKEN_LAYER)
            continue
        if meta and s.origin is Origin.TXT and _METADATA.match(text):
            drop(text, Reason.METADATA)
            continue
        meta = False
        m = chrome.page_marker.match(text)
        if m:
            drop(m.group(0), Reason.CHROME)
            text = text[m.end() :].strip()
        m = chrome.received_stamp_prefix.match(text) if s.origin is Origin.OCR else None
        if m:
            drop(m.group(0).strip(), Reason.RECEIVED_STAMP)
            text = text[m.end() :].strip()
        chunks = unflatten(text) if s.origin is Origin.TXT else [text]
        pieces = [p for chunk in chunks for p in split_merged(chunk)]
        items += [(src, piece, s) for piece in pieces]
        if text and not pieces:  # only "|" cell marks
            drop(text, Reason.SEPARATOR)

    keep: list[tuple[int, str, Source]] = []
    in_stamp = False
    for src, text, s in items:
        reason: Reason | None = None
        if _any(chrome.stamp_start, text):
            reason, in_stamp = Reason.STAMP, True
        elif in_stamp and _any(chrome.stamp_part, text):
            reason = Reason.STAMP
        else:
            in_stamp = False
            if not any(c.isalnum() for c in text):
                reason = Reason.SEPARATOR if _SEPARATOR.match(text) else Reason.STAMP_RESIDUE
            elif s.origin is Origin.TXT and _any(chrome.chrome, text):
                reason = Reason.CHROME
            elif s.origin is Origin.OCR and len(text) < 40 and _any(chrome.received_stamp, text):
                reason = Reason.RECEIVED_STAMP
        if reason is None:
            keep.append((src, text, s))
        else:
            result.dropped.append(Dropped(text, reason, src, s.page))

    keep = _page_numbers(keep, result)
    keep = _before_header(keep, result)
    seen: dict[str, int] = {}
    for src, text, s in keep:
        # Web copies repeat a lead paragraph (near the top, or at once) or the số line; a PDF or Word file
        # repeating a line means it, and so does a plan repeating a task under another heading.
        first = seen.get(text)
        lead = first is not None and (first < _WINDOW or first == len(result.lines) - 1)
        if s.origin is Origin.TXT and ((len(text) >= 40 and lead) or (text.startswith("Số") and first is not None)):
            result.dropped.append(Dropped(text, Reason.DUPLICATE, src, s.page))
            continue
        seen.setdefault(text, len(result.lines))
        result.lines.append(Line(text, s.origin, src, s.page, s.where, s.bold))
    result.dropped.sort(key=lambda d: d.src)
    return result


def _page_numbers(items: list[tuple[int, str, Source]], result: ReadResult) -> list[tuple[int, str, Source]]:
    """A page's own number: printed at the top or bottom of a PDF page ("2", "- 2 -"), or a Word page
    header's or footer's PAGE field."""
    out = []
    for k, (src, text, s) in enumerate(items):
        edge = k == 0 or items[k - 1][2].page != s.page or k == len(items) - 1 or items[k + 1][2].page != s.page
        pdf_number = s.page and s.page > 1 and edge and re.fullmatch(rf"[-–\s]*{s.page}[-–\s]*", text)
        docx_number = s.where.startswith(("header", "footer")) and re.fullmatch(r"[-–\s]*\d+[-–\s]*", text)
        if pdf_number or docx_number:
            result.dropped.append(Dropped(text, Reason.PAGE_NUMBER, src, s.page))
        else:
            out.append((src, text, s))
    return out


def _before_header(items: list[tuple[int, str, Source]], result: ReadResult) -> list[tuple[int, str, Source]]:
    """Web copies: what a page shows above the document's header is not the document."""
    if not items or items[0][2].origin is not Origin.TXT:
        return items
    # Only near the top: a Quốc hiệu further down heads an attached document, not this one.
    start = _header_start([t for _, t, _ in items[:_TOP]])
    if not start:
        return items
    for src, text, s in items[:start]:
        result.dropped.append(Dropped(text, Reason.BEFORE_HEADER, src, s.page))
    return items[start:]
