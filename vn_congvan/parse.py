"""Read a received document (.docx, or text extracted from a PDF) back into the YAML schema.

`parse(path)` returns a plain dict shaped like examples/seeds/*.yaml: issuer lines, số and ký hiệu,
place and date, kind, trích yếu or V/v, Kính gửi, căn cứ with structured references, numbered
sections with lists, tasks per unit, campaign fields, closing, Nơi nhận, "Lưu" and the signer.
`parse_to_yaml(path, out)` writes it as readable YAML.

Everything is read from the text, in document order (a .docx gives its paragraphs and table cells;
bold only helps tell the chủ quản line from the issuer's own lines). The header (issuer, số, date, V/v), the
tên loại, Kính gửi, thẩm quyền and căn cứ, Nơi nhận and signer are where the element finder the checker uses
(`law.find.elements`) puts them; parse reads their content. Text extracted from PDFs is
cleaned first: markdown (`**`, `##`), HTML and `|` table markup, stamp OCR residue, stray marks,
a number split from its ký hiệu ("Số: 4595" / "/KH-UBND") and paragraphs split by a page break.
The main document stops at its signer; attached forms, slogans and phụ lục are not read.

Fields that a received document often lacks and the user must complete before
`vn_congvan.loader.load()` accepts the YAML (the YAML's header comment lists them per file):
- `profile`, or `issuer.level` / `issuer.name` / `issuer.place` / `issuer.abbreviation` when the
  header lines are missing (extracted text often drops the left header cell);
- `title` when there is neither a trích yếu nor a "V/v" line, and for a công văn without a số line
  `symbol` or `drafting_unit`;
- `signer.title` / `signer.name` when the signature block is missing or unreadable;
- `number` and `date` are None for a draft (blank day): `year` is then given instead.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from itertools import pairwise
from pathlib import Path
from typing import Any

import yaml

from . import law, parseapart, readers, rules
from .agencyname import agency_name
from .errors import InputError
from .law import find
from .law import lines as L
from .parseplace import place_fields
from .parsetable import Cell, docx_cell, table_block
from .paths import DATA
from .readers import Origin, ReadResult

# ---------------------------------------------------------------------------- word lists
# Kept here because no data file holds them yet: task heading prefixes. Body types and the kinds a căn cứ
# cites are data (levels.yaml `body_types`, kinds.yaml `cited`).
LEGAL_KINDS = law.specs.cited_names()  # kinds.yaml `cited`
TASK_PREFIXES = ["Giao", "Đề nghị"]
TASK_SECTION = re.compile(r"(tổ chức|phân công) thực hiện|phân công nhiệm vụ", re.I)
CLOSING_LEADS = re.compile(r"^(Trên đây|Trân trọng|Trong quá trình|Rất mong|Đề nghị các (cơ quan|đơn vị))")

ITEM_MARKERS = {"-": "-", "–": "-", "—": "-", "+": "+", "•": "•"}
_MARKER_RANK = {"a)": 0, "-": 1, "•": 1, "+": 2}


@dataclass
class Line:
    """One paragraph (or table-cell paragraph) of the document, in reading order."""

    text: str
    bold: bool | None = None  # known for .docx only
    srcs: list[int] = field(default_factory=list)  # the reader's source lines it comes from
    cell: Cell | None = None  # a .docx table cell or a web copy's "| a | b |" piece
    docx: bool = False
    where: str = ""  # the reader's place of its first line (OCR: "cols2.c1", a column block's left column)

    @property
    def slot(self) -> find.Slot | None:
        """The .docx cell as the element finder places it (0-based row and grid column)."""
        c = self.cell
        return find.Slot(c.table, c.row - 1, c.first - 1) if c is not None and self.docx else None


# ---------------------------------------------------------------------------- small helpers


def _nfc(s: str) -> str:
    s = unicodedata.normalize("NFC", s)
    s = re.sub(r"[\t\x0b\x0c\u00a0\u2000-\u200b\u202f\u205f\u3000\ufeff]", " ", s)
    s = re.sub(r"[\x00-\x08\x0e-\x1f\x7f-\x9f\u200c\u200d\u2028\u2029]", "", s)
    return re.sub(r" {2,}", " ", s).strip()


_is_caps = find.is_caps


def _upper(s: str) -> str:
    return unicodedata.normalize("NFC", s.upper())


def _sentence_case(s: str) -> str:
    low = s.lower()
    return low[:1].upper() + low[1:]


def _iso(d: int, m: int, y: int) -> str | None:
    try:
        return date(y, m, d).isoformat()
    except ValueError:
        return None


_DATE = r"\d{1,2}\s*/\s*\d{1,2}\s*/\s*\d{4}|\d{1,2}\s+tháng\s+\d{1,2}\s+năm\s+\d{4}"


def _date(text: str) -> str | None:
    """'07/9/2022' or '27 tháng 9 năm 2021' → ISO."""
    nums = [int(n) for n in re.findall(r"\d+", text)]
    return _iso(*nums[:3]) if len(nums) >= 3 else None


def _kind_by_name() -> dict[str, str]:
    return {name: k.key for name, k in law.kind_by_name().items()}


@cache
def _unit_words() -> list[str]:
    """Administrative unit types ('tỉnh', 'thành phố', 'quận'…) from the bundled names table."""
    names = json.loads((DATA / "units" / "names.json").read_text(encoding="utf-8"))
    return sorted({k for k in names["type_prefixes"] if "." not in k and len(k) > 2}, key=len, reverse=True)


_quoc_hieu = find.quoc_hieu_line


# ---------------------------------------------------------------------------- reading


_MD_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_MD_MARK = re.compile(r"(?<!\w)(\*{1,3}|_{2,3})(?=\S)(.+?)(?<=\S)\1(?!\w)")


def _markdown(text: str) -> str:
    """A web copy's markdown markup (not text) around text: '**KT. GIÁM ĐỐC**', '*144*', '## Điều 1',
    '[text](url)'."""
    text = _MD_LINK.sub(r"\1", text)
    text = re.sub(r"^#{1,6}\s+", "", text)
    text = _MD_MARK.sub(r"\2", text)
    return re.sub(r"\*{2,}|[✓✔]", "", text).replace("\\", "").strip()  # '**' left open across lines


def _join(read: ReadResult) -> list[Line]:
    """The reader's lines as paragraphs: a line a PDF or a web copy wrapped is joined to the one it continues
    ("Căn cứ Luật …" / "ngày 26/11/2003;"), a number cut from its ký hiệu ("Số: 4595" / "/KH-UBND") and a
    Quốc hiệu cut in two ("CỘNG" / "HÒA XÃ HỘI …") are put back. A .docx paragraph stays as it is.
    Each paragraph is kept as its parts and joined once at the end (100,000 continuation lines stay linear)."""
    out: list[Line] = []
    parts: list[list[str]] = []
    prev_caps = False
    wrap = _wrap_width(read)
    cells = _cells(read)
    for src, cell, text in _texts(read, cells):
        if not text:
            continue
        if cell is not None:
            out.append(Line(text, src.bold, [src.src], cell, docx=src.origin is Origin.DOCX, where=src.where))
            parts.append([text])
            prev_caps = _is_caps(text)
            continue
        if out and src.origin is not Origin.DOCX:
            prev, last = out[-1], parts[-1]
            one = last[0] if len(last) == 1 else ""  # the paragraph so far, when it is one line
            joined = True
            if text.startswith("/") and L.SO.HEAD.match(one):
                last[0] = f"{one.rstrip()}{text}"
            elif L.cut_word(last[-1], text) and not _opens(text, prev_caps):
                last[-1] += text  # a line broken at its hyphen
            elif one in rules.nd30()["military_ranks"] and L.person_name(f"{one} {text}"):
                last.append(text)  # 'Thượng tướng' / 'Nguyễn Văn Gấu': a signer's rank over the name
            elif L.ATTACHED.match(last[0]) and not last[-1].endswith(")"):
                last.append(text)  # '(Kèm theo Kế hoạch số' / '/KH-UBND ngày' …: blanks cut the line (PL I III.1.c)
            elif (
                0 < len(one) < 40  # one line so far: a paragraph of several lines is no cut header line
                and len(text) < 60
                and (
                    (L.quoc_hieu(f"{one} {text}") and not L.quoc_hieu(one, within=True))
                    or (L.tieu_ngu(f"{one} {text}") and not L.tieu_ngu(one))
                )
            ):
                last.append(text)  # a header line cut in two
            elif (
                text[:1].isalpha()
                and text[:1].islower()
                and not _LETTER.match(text)
                and last[-1][-1:] not in '.;:!?)”"'
                and not prev_caps
            ):
                last.append(text)
            elif (
                (w := wrap.get(src.page, 0))
                and not (len(parts) > 1 and L.ten_loai(parts[-2][-1]))  # the trích yếu: centred, the finder reads it
                and not (_quoc_hieu(last[0]) or L.tieu_ngu(last[0]))  # centred lines of their own
                and len(last[-1]) >= w
                and last[-1][-1:] not in ".;:!?"
                and not _opens(text, prev_caps)
                and not L.ATTACHED.match(text)
            ):
                last.append(text)  # a line that ran to the margin goes on below
            else:
                joined = False
            if joined:
                prev.srcs.append(src.src)
                continue
        out.append(Line(text, src.bold, [src.src], docx=src.origin is Origin.DOCX, where=src.where))
        parts.append([text])
        prev_caps = _is_caps(text)
    for line, pieces in zip(out, parts, strict=True):
        line.text = _glue(pieces)
    return out


def _texts(read: ReadResult, cells: list[Cell | None]) -> Iterator[tuple[readers.Line, Cell | None, str]]:
    """Each reader line's text, cleaned; a web copy's line that runs one element into a căn cứ ('- Phòng Giáo dục
    … huyện Phú Bình Căn cứ Luật giáo dục năm 2005;', a line break lost) as its two lines."""
    # the law's fixed words are put back for its patterns; the text's head tells (a long one is not measured twice)
    unmarked = readers.measure(read.text[:20_000]).no_diacritics
    for src, cell in zip(read.lines, cells, strict=True):
        text = _nfc(_markdown(src.text) if src.origin is Origin.TXT else src.text)
        text = L.join_number(text) if src.origin is Origin.OCR else text
        text = L.with_marks(text) if unmarked else text
        at = _glued_basis(text) if src.origin is Origin.TXT and cell is None else None
        if at is not None:
            yield src, cell, text[:at]
            yield src, cell, text[at + 1 :]
        else:
            yield src, cell, text


def _glued_basis(text: str) -> int | None:
    """Where a căn cứ starts inside a line, right after a word (no mark between: the break was lost)."""
    for lead in L.basis_leads():
        at = text.find(f" {lead} ", 1)
        if at > 0 and text[at - 1].isalpha() and find.is_basis(text[at + 1 :]):
            return at
    return None


def _glue(pieces: list[str]) -> str:
    """A paragraph's lines as one text: a space between lines, none after a word cut at its hyphen."""
    out = pieces[:1]
    for before, piece in pairwise(pieces):  # one join at the end: 100,000 lines stay linear
        out += [piece] if L.cut_word(before, piece) else [" ", piece]
    return "".join(out)


def _cells(read: ReadResult) -> list[Cell | None]:
    """Each reader line's table cell: a .docx or PDF table's (by its place), a web copy's "| a | b |" row's (the
    pieces of one source line with two cells or more; rows two source lines apart at most are one table)."""
    pieces = Counter(line.src for line in read.lines)
    out: list[Cell | None] = []
    table, last_src, col = "", -9, 0
    for line in read.lines:
        if line.origin is not Origin.TXT:
            out.append(docx_cell(line.where))  # a PDF's or a scan's ruled table cells are placed the same way
            continue
        if pieces[line.src] < 2 or read.sources[line.src].count("|") < 2:
            out.append(None)
            continue
        if line.src != last_src:
            table = table if 0 < line.src - last_src <= 2 else f"txt{line.src}"
            last_src, col = line.src, 0
        col += 1
        out.append(Cell(table, line.src, col, col))
    return out


def _wrap_width(read: ReadResult) -> dict[int | None, int]:
    """Length from which a PDF or OCR line is taken as running to the right margin (then the paragraph goes
    on below), page by page (a landscape appendix's lines are longer): three quarters of the longest lines.
    Empty for .docx and web text, whose lines are paragraphs."""
    pages: dict[int | None, list[int]] = {}
    for x in read.lines:
        if x.origin in (Origin.PDF_TEXT, Origin.OCR) and not docx_cell(x.where):  # a cell's lines come joined
            pages.setdefault(x.page, []).append(len(x.text))
    every = [n for lengths in pages.values() for n in lengths]
    if len(every) < 10:
        return {}

    def width(lengths: list[int]) -> int:
        return int(sorted(lengths)[int(len(lengths) * 0.9)] * 0.75)

    least = width(every) * 3 // 4  # a page of short lines (the signatures) is no measure of its margin
    return {page: max(least, width(n if len(n) >= 10 else every)) for page, n in pages.items()}


def _opens(text: str, prev_caps: bool) -> bool:
    """A line that starts an element of its own (law.find), never the rest of the line above."""
    return bool(find.role(text) or _quoc_hieu(text) or L.DATE.read(text) or _is_caps(text) != prev_caps)


def read_lines(source: Path | str, *, ocr: bool = True) -> tuple[list[Line], ReadResult]:
    """The document's paragraphs in reading order (through `readers.read`: .docx/.doc/.pdf/scans/.txt/text),
    and what the reader read and set aside."""
    if not isinstance(source, str):
        path = Path(source)
        try:
            folder = path.is_dir()
        except OSError as exc:  # a folder on the way that may not be searched
            raise InputError.one(f"không đọc được tệp (cannot read): {exc.strerror}", file=str(path)) from None
        if folder:
            raise InputError.one("là một thư mục, không phải tệp (is a directory)", file=str(path))
        if path.suffix.lower() == ".docx":
            from .ooxml import read as read_package

            read_package(path)  # the checker's package reader refuses a damaged or hostile .docx first
    read = readers.read(source if isinstance(source, str) else Path(source), ocr=ocr)
    lines = _join(read)
    if not lines:
        where = read.source if isinstance(source, str) and "\n" in source else str(source)
        raise InputError.one("tệp không có nội dung văn bản (empty document)", file=where)
    return lines, read


# ---------------------------------------------------------------------------- issuer name


def issuer_name(lines: list[str]) -> str:
    """Header lines in capitals → the name as NĐ 30 Phụ lục II writes it (agencyname):
    'ỦY BAN NHÂN DÂN' / 'TỈNH THÁI NGUYÊN' → 'Ủy ban nhân dân tỉnh Thái Nguyên'."""
    return agency_name(lines)


def _issuer_level(header: list[str]) -> str | None:
    text = _upper(" ".join(header))
    for level in law.levels().values():
        if any(text.startswith(word + " ") for word in level.header_words):
            return level.key
    if text.startswith(("ỦY BAN NHÂN DÂN", "UỶ BAN NHÂN DÂN", "UBND", "HỘI ĐỒNG NHÂN DÂN", "HĐND")):
        low = text.lower()
        for unit in _unit_words():
            if re.search(rf"\b{re.escape(unit)}\s+\S", low):
                levels = law.levels_of_type(unit)
                return levels[0].key if len(levels) == 1 else None
    return None


def _split_header(line: str) -> list[str]:
    """'ỦY BAN NHÂN DÂN QUẬN 7' (one extracted line) → the two lines it is printed on."""
    for body in ("ỦY BAN NHÂN DÂN", "HỘI ĐỒNG NHÂN DÂN"):
        if line.startswith(body + " "):
            rest = line[len(body) :].strip()
            if any(rest.lower().startswith(u + " ") for u in _unit_words()):
                return [body, rest]
    return [line]


# ---------------------------------------------------------------------------- references


def _cite_pattern() -> re.Pattern[str]:
    names = {v["name"] for v in rules.kinds().values()} | set(LEGAL_KINDS)
    kinds = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    return re.compile(
        rf"(?P<kind>{kinds})\s+số\s*(?P<number>\d+)\s*/\s*(?P<symbol>[^\s,;]+(?:\s+(?!ngày\b)[A-ZĐ][A-ZĐ&\-]+)*)"
        rf"\s*,?\s*ngày\s+(?P<date>{_DATE})"
    )


CITE = _cite_pattern()
_ISSUER_END = re.compile(r"\s+(?:về|Về|V/v|gửi|tại|hướng dẫn|ban hành|quy định)\s|[,;]|\s+\(")


def parse_reference(clause: str) -> tuple[dict[str, Any], str] | None:
    """A clause that starts with a citation → (reference, what follows it that is not part of it)."""
    m = CITE.match(clause)
    if not m:
        return None
    kind = _kind_by_name().get(m["kind"].lower(), m["kind"])
    ref: dict[str, Any] = {
        "kind": kind,
        "number": m["number"],
        "symbol": re.sub(r"\s+", "-", m["symbol"].strip().rstrip(".")),
        "date": _date(m["date"]),
    }
    if ref["date"] is None:
        return None
    rest = clause[m.end() :].strip()
    if rest.startswith("của "):
        body = rest[4:]
        end = _ISSUER_END.search(body)
        ref["issuer"] = (body[: end.start()] if end else body).strip()
        rest = body[end.start() :].strip() if end else ""
    if rest and not rest.startswith(","):
        # the trích yếu runs to the end of the clause, unless a connective starts the basis's own words
        cut = re.search(r",\s+(?:trong đó|theo đó|đồng thời|nay)\b", rest)
        ref["summary"], rest = (rest[: cut.start()], rest[cut.start() :]) if cut else (rest, "")
    return ref, rest


def parse_basis(text: str) -> dict[str, Any] | None:
    """'Căn cứ Công văn số … ; Công văn số …, Ban Chỉ đạo … sau:' → lead, refs, text."""
    lead = L.basis_lead(text, [*L.basis_leads(), *find.BASIS_LEADS_CITED])
    if lead is None:
        return None
    body = text[len(lead) :].strip()
    # "Căn cứ chỉ đạo của Ủy ban nhân dân thành phố, tại Công văn số …": the words before the first
    # citation belong to the lead, so the citation can still be read as a reference
    first = CITE.search(body.split("; ")[0])
    if first and 0 < first.start() <= 120:
        lead = f"{lead} {body[: first.start()].strip()}"
        body = body[first.start() :]
    if body.endswith((";", ".")) and not body.endswith("..."):
        body = body[:-1].rstrip()  # the renderer puts ';' or '.' back
    clauses = body.split("; ")
    refs: list[dict[str, Any]] = []
    rest_text = ""
    for i, clause in enumerate(clauses):
        found = parse_reference(clause)
        if found is None:
            rest_text = "; ".join(clauses[i:])
            rest_text = ("; " + rest_text) if refs else rest_text
            break
        ref, tail = found
        refs.append(ref)
        if tail:
            rest_text = "; ".join([tail, *clauses[i + 1 :]])
            break
    if not refs and not find.basis_line(text):
        return None  # "Thực hiện nhiệm vụ năm học …": an opening sentence, not a căn cứ
    out: dict[str, Any] = {"lead": lead}
    if refs:
        out["refs"] = refs
    if rest_text:
        out["text"] = rest_text
    return out


def _next_sentence(text: str, at: int) -> bool:
    """The '.' at `at` ends a sentence and the next one is the issuer's, not another document cited: '… ngày
    16/3/2026. Trên cơ sở kết quả kiểm tra, …' ('TP. Hồ Chí Minh', 'Tp. Huế' are abbreviations)."""
    if text[at] != "." or text[at - 1 : at] == ".":
        return False
    token = text[:at].split()[-1] if text[:at].split() else ""
    word = token.strip("()")
    if len(word) <= 2 or sum(c.isupper() for c in word) >= 2:
        return False  # 'Tp.', 'Q.', 'UBND.', 'ThS.'
    rest = text[at + 1 :].strip()
    return rest[:1].isupper() and not find.cites(" ".join(rest.split()[:4]))


# ---------------------------------------------------------------------------- headings and lists

_ROMAN = L.ROMAN_ITEM
_ARABIC = L.ARABIC_ITEM
_LETTER = L.DIEM
_ITEM = L.DASH_ITEM
_INLINE_TASK = re.compile(r"^(?P<unit>[^:.;]{3,160}):\s+(?P<duty>\S.*)$")


def _heading(text: str) -> tuple[int, str, str] | None:
    """(rank, numbering style, title) of a numbered heading line; rank orders the tree."""
    m = _ROMAN.match(text)
    if m:
        title = m["t"]
        return 0, "I.", _sentence_case(title) if _is_caps(title) else title
    m = _ARABIC.match(text)
    if m:
        depth = m["n"].rstrip(".").count(".") + 1
        return depth, "1." if depth == 1 else "1.1.", m["t"]
    return None


def _short_title(text: str) -> bool:
    return len(text) <= 90 and not text.rstrip().endswith((".", ";")) and not _INLINE_TASK.match(text)


def _marker(m: str) -> str:
    return ITEM_MARKERS.get(m, "-")


class _Body:
    """Builds the section tree: numbered headings nest, '-'/'+'/'a)' lines become lists."""

    def __init__(self) -> None:
        self.root: dict[str, Any] = {"content": []}
        self.stack: list[tuple[int, dict[str, Any]]] = [(-1, self.root)]
        self.lists: list[dict[str, Any]] = []  # open lists, outermost first
        self.numbering: dict[int, str] = {}

    @property
    def container(self) -> list[Any]:
        return self.stack[-1][1]["content"]

    def section(self, rank: int, style: str, title: str) -> None:
        while self.stack[-1][0] >= rank:
            self.stack.pop()
        depth = len(self.stack) - 1
        self.numbering.setdefault(depth, style)
        node: dict[str, Any] = {"heading": title, "content": []}
        self.container.append(node)
        self.stack.append((rank, node))
        self.lists = []

    def item(self, marker: str, text: str) -> None:
        rank = _MARKER_RANK.get(marker, 1)
        while self.lists and _MARKER_RANK.get(self.lists[-1]["marker"], 1) > rank:
            self.lists.pop()
        if self.lists and self.lists[-1]["marker"] == marker:
            self.lists[-1]["items"].append(text)
            return
        new = {"items": [text], "marker": marker}
        if self.lists and _MARKER_RANK.get(self.lists[-1]["marker"], 1) < rank:
            parent = self.lists[-1]["items"]
            last = parent[-1]
            if isinstance(last, str):
                last = parent[-1] = {"text": last, "items": [], "marker": marker}
            last["items"] = new["items"]
            last["marker"] = marker
            new = {"items": last["items"], "marker": marker}
        else:
            self.container.append(new)
            self.lists = []
        self.lists.append(new)

    def paragraph(self, text: str) -> None:
        self.container.append(text)
        self.lists = []

    def block(self, block: dict[str, Any]) -> None:
        """A block read whole (a table)."""
        self.container.append(block)
        self.lists = []

    def add(self, text: str) -> None:
        h = _heading(text)
        if h:
            self.section(*h)
            return
        m = _LETTER.match(text)
        if m:
            if _short_title(m["t"]):
                self.section(9, "a)", m["t"])
            else:
                self.item("a)", m["t"])
            return
        m = _ITEM.match(text)
        if m and text[:1] in ITEM_MARKERS:
            markers = re.findall(r"[-–—+•]", text[: m.start("t")])
            self.item(_marker(markers[-1]), m["t"])  # "- + text": the inner marker counts
            return
        self.paragraph(text)


def _stamp_residue(text: str) -> bool:
    """OCR of a red stamp inside the body: 'X.H.C.', 'PHÒNG', 'ÁO D', 'V.G. BIÊN'."""
    return _is_caps(text) and len(text.split()) <= 3 and len(text) <= 20 and not _heading(text)


def _stamp_residue(text: str) -> bool:
    """OCR of a red stamp inside the body: 'X.H.C.', 'PHÒNG', 'ÁO D', 'V.G. BIÊN' (a heading, a tên loại or
    a line ending in ':' such as 'QUYẾT ĐỊNH:' is text)."""
    return (
        _is_caps(text)
        and len(text.split()) <= 3
        and len(text) <= 20
        and not text.endswith(":")
        and not any(c.isdigit() for c in text)  # '105/2025/NĐ-CP.': the end of a wrapped citation
        and not _heading(text)
        and not L.ten_loai(text)
        and not L.PART_HEAD.match(text)
    )


def _right_spine(root: dict[str, Any]) -> list[dict[str, Any]]:
    path = [root]
    while path[-1]["content"] and isinstance(path[-1]["content"][-1], dict) and "heading" in path[-1]["content"][-1]:
        path.append(path[-1]["content"][-1])
    return path


def _take_closing(root: dict[str, Any]) -> list[str]:
    """The closing paragraph(s): trailing plain paragraphs from 'Trên đây…', 'Trân trọng…' or './.'."""
    content = _right_spine(root)[-1]["content"]
    start = len(content)
    while start > 0 and isinstance(content[start - 1], str):
        start -= 1
    trailing = content[start:]
    for i, para in enumerate(trailing):
        if CLOSING_LEADS.match(para):
            del content[start + i :]
            return trailing[i:]
    if trailing and trailing[-1].rstrip().endswith("./."):
        content.pop()
        return [trailing[-1]]
    return []


def _duties(content: list[Any]) -> list[Any]:
    """A unit's content → Task.duties as the renderer reads them back (one paragraph, or '-' items)."""
    if len(content) == 1 and isinstance(content[0], str):
        return list(content)
    out: list[Any] = []
    for block in content:
        if isinstance(block, str):
            out.append({"text": block})
        elif (
            "items" in block
            and "heading" not in block
            and block.get("marker", "-") == "-"
            and all(isinstance(i, str) for i in block["items"])
        ):
            if len(content) == 1 and len(block["items"]) == 1:
                out.append(block)  # a single '-' item stays a list, not a paragraph
            else:
                out += block["items"]
        else:
            out.append(block)
    return out


def _split_prefix(unit: str) -> tuple[str, str]:
    for prefix in TASK_PREFIXES:
        if unit.startswith(prefix + " "):
            return prefix, unit[len(prefix) :].strip()
    return "", unit


def _task(unit: str, duties: list[Any]) -> dict[str, Any]:
    prefix, unit = _split_prefix(unit.strip().rstrip(":.").strip())
    task: dict[str, Any] = {"unit": unit}
    if prefix:
        task["prefix"] = prefix
    task["duties"] = duties
    return task


def _tasks(section: dict[str, Any], last: bool) -> list[str]:
    """Turn the units of a 'Tổ chức thực hiện' section into tasks; returns paragraphs that follow
    an inline task list at the end of the document (they belong to the closing)."""
    content = section["content"]
    subs = [i for i, b in enumerate(content) if isinstance(b, dict) and "heading" in b]
    if subs and all(
        not content[i]["heading"].rstrip().endswith((".", ";")) and len(content[i]["heading"]) <= 250 for i in subs
    ):
        if subs != list(range(subs[0], len(content))):
            return []
        section["tasks"] = [_task(content[i]["heading"], _duties(content[i]["content"])) for i in subs]
        del content[subs[0] :]
        return []
    for i, block in enumerate(content):
        if not (isinstance(block, dict) and block.get("marker") == "a)" and "heading" not in block):
            continue
        matches = [_INLINE_TASK.match(t) if isinstance(t, str) else None for t in block["items"]]
        if not all(matches):
            continue
        after = content[i + 1 :]
        if after and not (last and all(isinstance(b, str) for b in after)):
            continue
        section["tasks"] = [_task(m["unit"], [m["duty"]]) for m in matches if m]
        section["task_style"] = "inline"
        del content[i:]
        return after
    return []


def _clean_tree(blocks: list[Any]) -> list[Any]:
    """Drop empty keys and the default marker so the YAML reads like a hand-written one."""
    out: list[Any] = []
    for b in blocks:
        if isinstance(b, dict):
            b = dict(b)
            for key in ("content", "tasks", "items"):
                if key in b:
                    b[key] = _clean_tree(b[key]) if key != "tasks" else b[key]
                    if not b[key] and key != "items":
                        del b[key]
            if b.get("marker") == "-" and "heading" not in b:
                del b["marker"]
            if "tasks" in b:
                for t in b["tasks"]:
                    t["duties"] = _clean_tree(t["duties"])
        out.append(b)
    return out


# ---------------------------------------------------------------------------- the document

_NOTE = re.compile(r"^(?P<to>.*?)\s*(?P<note>\((?:để|b/c|t/h|p/h|đ/b)[^)]*\))$")
_APPENDIX = L.APPENDIX_START


def _side_by_side(order: list[int], texts: list[str]) -> list[int]:
    """Signers side by side as text without layout reads them, line across line: their titles ('THƯ KÝ' /
    'CHỦ TỌA', or 'KT. GIÁM ĐỐC' / 'PHÓ GIÁM ĐỐC' twice), then as many names; a grid of them row after row.
    Each block, its titles then its name, after the Nơi nhận lines read among them; `order` as it is when there
    is no such run."""
    others, blocks = _signer_rows(order, texts)
    return others + blocks


def _signer_rows(order: list[int], texts: list[str]) -> tuple[list[int], list[int]]:
    """(the lines that are no side-by-side signer, the signers' blocks in reading order)."""
    for a in range(len(order)):
        b = a
        while b < len(order) and _is_caps(texts[order[b]]) and len(texts[order[b]]) < 80:
            b += 1
        c = b
        while c < len(order) and _is_name(texts[order[c]]):
            c += 1
        titles, names = order[a:b], order[b:c]
        heads = [i for i, k in enumerate(titles) if _signer_prefix(texts[k])]
        if len(names) < 2 or len(titles) < 2:
            continue
        if heads and heads[0] == 0 and len(heads) == len(names):
            groups = [titles[i:j] for i, j in zip(heads, [*heads[1:], len(titles)], strict=True)]
        elif not heads and len(titles) == len(names):
            groups = [[k] for k in titles]
        else:
            continue
        others, later = _signer_rows(order[c:], texts)  # a grid: the next row of signers
        blocks = [k for group, name in zip(groups, names, strict=True) for k in [*group, name]]
        return order[:a] + others, blocks + later
    return order, []


def _signer_prefix(text: str) -> tuple[str, str] | None:
    """'KT. CHỦ TỊCH' → ('KT.', 'CHỦ TỊCH'); the old forms 'K/T', 'T/M', 'T.L' count as the right ones."""
    read = L.SIGNER.read(text)
    return read if read and _is_caps(read[1]) else None


def _is_name(text: str) -> bool:
    return L.person_name(text) and len(text.split()) <= 6 and not any(c.isdigit() for c in text)


class _Parser:
    def __init__(self, lines: list[Line]) -> None:
        self.lines = lines
        self.i = 0
        self.doc: dict[str, Any] = {}
        self.issuer_lines: list[Line] = []
        self.citation_long = False
        self.used: set[int] = set()  # lines read into a field or the body
        self.fields: dict[str, Any] = {}  # the fields as written (tests/labels/parse shape)
        self.unread: list[tuple[Line, str]] = []  # lines neither a field nor body text, and why
        # the ND30 elements, found by the finder check uses (law.find): the lines of each element
        self.under_name: set[int] = set()  # caps lines under the signer's name: the signer's own post
        self.found = find.elements([find.TextLine(x.text, x.slot, x.bold) for x in lines], rules.nd30())
        self.tail_lines = sorted(
            {self.found.pos[id(x)] for x in [self.found.nn, *self.found.nn_items, self.found.o12] if x is not None}
            | self._signer_row()
        )
        tail = [self.found.nn, *self.found.signer]
        starts = [self.found.pos[id(x)] for x in tail if x is not None] + self.tail_lines[:1]
        self.tail_start = min(starts, default=len(lines))

    def _signer_row(self) -> set[int]:
        """The signer block's lines and the other signers beside it (a biên bản's parties; the finder gives the
        issuing side): in a signature table, the other cells of its row; in a scan, the signature grid the OCR
        reader read column by column right above it."""
        found = {self.found.pos[id(x)] for x in self.found.signer}
        if not found:
            return found
        first = self.found.signer[0].slot
        if first is not None:
            rows = {(first.table, first.row)}  # and a grid's other rows of signers (a văn bản liên tịch of many)
            rows |= {
                (s.table, s.row)
                for x in self.lines
                if (s := x.slot) and s.table == first.table and _signer_prefix(x.text)
            }
            return found | {k for k, x in enumerate(self.lines) if (s := x.slot) and (s.table, s.row) in rows}
        k = min(found) - 1
        grid = self.lines[k].where.split(".")[0] if k >= 0 and self.lines[k].where.startswith("cols") else ""
        while grid and k >= 0 and self.lines[k].where.split(".")[0] == grid:
            found.add(k)
            k -= 1
        # a post printed under the name in the signature's own column ('PHÓ GIÁM ĐỐC' / 'SỞ …'); caps lines over
        # another name there are the next party's block (a biên bản's signers stacked)
        k = end = max(found) + 1
        cell = self.lines[k - 1].where if self.lines[k - 1].where.startswith("cols") else ""
        while cell and end < len(self.lines) and self.lines[end].where == cell and _is_caps(self.lines[end].text):
            end += 1
        named = end < len(self.lines) and self.lines[end].where == cell and _is_name(self.lines[end].text)
        if not named and not any(_signer_prefix(x.text) for x in self.lines[k:end]):
            self.under_name = set(range(k, end))
            found |= self.under_name
        return found

    # -- cursor
    def peek(self) -> str | None:
        return self.lines[self.i].text if self.i < len(self.lines) else None

    def take(self) -> None:
        self.used.add(self.i)
        self.i += 1

    # -- header: issuer, Quốc hiệu, số, V/v, date, as the finder found them
    def header(self) -> None:
        d, f, found = self.doc, self.fields, self.found
        if found.ky_so is not None:
            self.used.add(found.pos[id(found.ky_so)])  # the agency's ký số box: read by parseapart
        for x in found.above:
            if x is not found.ky_so:
                self.unread.append((self._line(x), "trước đầu văn bản (above the header)"))
        header = [found.qh, found.tn, found.so, found.date, found.vv, *found.so_parts, *found.vv_more]
        marked = {found.pos[id(x)] for x in [*header, *found.chu_quan, *found.issuer, *found.marks] if x is not None}
        marked |= {found.pos[id(found.ky_so)]} if found.ky_so is not None else set()
        for k in range(len(found.above), found.header_end):  # the header's lines, as the finder ends it
            if k in marked:
                self.used.add(k)
            else:
                self.unread.append((self.lines[k], "dòng đầu văn bản không đọc được (unreadable header line)"))
        self.i = found.header_end

        def line(x: find.Line | None) -> Line | None:
            return self._line(x) if x is not None and found.pos[id(x)] < self.i else None

        for x in sorted([found.so, *found.so_parts] if found.so else [], key=lambda x: found.pos[id(x)]):
            if at := line(x):
                self._so(at.text)
        if (date_line := line(found.date)) and (dl := L.DATE.read(date_line.text)):
            d["place"] = dl.place
            d["year"] = int(dl.year)
            d["date"] = _iso(int(dl.day), int(dl.month), int(dl.year)) if dl.day and dl.month else None
            f.setdefault("issuer", {})["place"] = dl.place
            if d["date"]:
                f["date"] = d["date"]
            if found.vv is found.date and (vv := L.VV.read(dl.tail.strip())):  # 'Hà Nội, ngày … V/v …'
                d["title"], f["title"] = vv, dl.tail.strip()
        if found.vv is not found.date and (vv_line := line(found.vv)) and (vv := L.VV.read(vv_line.text)):
            more = [self._line(x).text for x in found.vv_more]  # a V/v wrapped onto lines of its own
            d["title"] = " ".join([vv, *more])
            f["title"] = " ".join([vv_line.text, *more])
        for x in [*found.chu_quan, *found.issuer]:
            if at := line(x):
                text = re.sub(r"^(UBND|HĐND)(?=[A-ZĐ])", r"\1 ", at.text).rstrip(" _-–—")
                self.issuer_lines.append(Line(text, at.bold))
        if any(find.is_draft_mark(at.text) for x in found.marks if (at := line(x))):
            d["draft_mark"] = True  # 'DỰ THẢO' printed in the header

    def _line(self, x: find.Line) -> Line:
        return self.lines[self.found.pos[id(x)]]

    def _so(self, text: str) -> None:
        """A line of ô 3: 'Số: 67/TTr-UBND', or the pieces a copy cut it into ('Số: 542' … '/TB-UBND')."""
        d, f = self.doc, self.fields
        if (so := L.SO.read(text)) and (symbol := find.symbol(so.code)) and "symbol" not in d:
            if so.number or "number" not in d:
                d["number"] = int(so.number) if so.number and int(so.number) else None
            d["symbol"] = f["symbol"] = symbol
            if d["number"]:
                f["number"] = d["number"]
        elif L.SO.HEAD.match(text) and "symbol" not in d and "number" not in d:
            digits = re.sub(r"\D", "", text)
            d["number"] = int(digits) if digits and int(digits) else None
            if d["number"]:
                f["number"] = d["number"]
        elif text.startswith("/") and (symbol := find.symbol(text[1:])) and "symbol" not in d:
            d["symbol"] = f["symbol"] = symbol
        elif text.startswith("Số") and "symbol" not in d and (m := find.OCR_SYMBOL.search(text)):
            d["symbol"] = f["symbol"] = m[1]
            d.setdefault("number", None)
        elif find.OCR_SYMBOL.fullmatch(text) and "symbol" not in d:
            d["symbol"] = f["symbol"] = text  # the ký hiệu alone: a copy lost 'Số: …/' (the number is unknown)
        elif find.SYMBOL_TAIL.fullmatch(text) and str(d.get("symbol", "")).endswith("-"):
            d["symbol"] = f["symbol"] = d["symbol"] + text

    def _kind_line(self, text: str) -> tuple[str, str] | None:
        """'KẾ HOẠCH' (or 'KẾ HOẠCH Tổ chức …' on one extracted line) → (kind, rest)."""
        found = L.ten_loai(text)
        return (found[0].key, found[1]) if found else None

    # -- tên loại, trích yếu, Kính gửi, căn cứ (anywhere before the body)
    def preamble(self) -> None:
        d, f = self.doc, self.fields
        tl = self.found.tl
        at = self.found.pos[id(tl)] if tl is not None else -1
        text = self.peek()
        if text and 0 < at - self.i <= 3 and not self.used and L.ten_loai(text, any_case=True):
            while self.i < at:  # a web headline over the document's own tên loại
                self.unread.append((self.lines[self.i], "tiêu đề trang web (web headline)"))
                self.i += 1
            text = self.peek()
        k = None
        if text and self.found.kind is not None and self._at(tl):
            found = L.ten_loai(text, any_case=True)
            rest = found[1] if found else ""
            ty = self.found.ty[:1]
            if not rest and ty and _is_caps(ty[0].text) and len(text) > len(self.found.kind.name):
                rest = text[len(self.found.kind.name) :].strip()  # 'QUY CHẾ LÀM' / 'VIỆC …': the caps title goes on
            k = self.found.kind.key, rest
        if text and k:
            d["kind"] = k[0]
            self.take()
            title = [k[1]] if k[1] else []  # 'GIẤY MỜI HỌP': the caps words after the name are the tên loại's
            for x in self.found.ty:  # the lines the finder found the trích yếu on
                if not self._at(x):
                    break
                title.append(self.lines[self.i].text)
                self.take()
            if title:
                d["title"] = " ".join(title)
                f["title"] = d["title"]
        while (t := self.peek()) is not None:
            if self._at(self.found.kg) and "recipients" not in d:
                self._kinh_gui(L.KINH_GUI.read(t) or "")
            elif self._in(self.found.opening) and find.basis_line(t):
                self.take()
                while self._in(self.found.opening) and not find.basis_line(more := self.peek() or ""):
                    t = _glue([t, more])  # the lines the finder found a căn cứ wrapped onto
                    self.take()
                # The YAML keeps the paragraph as printed (the renderer prints lead, references and the
                # words after them); the fields name each căn cứ alone.
                if b := parse_basis(t):
                    d.setdefault("basis", []).append(b)
                self.citation_long |= any("tháng" in m["date"] for m in CITE.finditer(t))
                items, rest = self._split_basis(t)
                f.setdefault("basis", []).extend(items)
                if rest:
                    break  # the issuer's own words after the căn cứ open the body
            elif "kind" not in d and "title" not in d and self._at(self.found.other_tl):
                d["title"] = f["title"] = t  # a tên loại outside Phụ lục III: 'GIẤY PHÉP SỬ DỤNG …'
                self.take()
            elif self._in(self.found.authority):
                f.setdefault("authority", t)  # "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH …" over a quyết định's căn cứ
                self.pending.append(t)
                self.take()
            else:
                break
        if "kind" not in d and "title" in d:
            d["kind"] = law.cong_van().key  # a V/v line without Kính gửi
        code = str(d.get("symbol", "")).split("-")[0]
        if "kind" not in d and (kind := next((k for k in law.kinds().values() if k.code and k.code == code), None)):
            d["kind"] = kind.key  # no tên loại, no V/v (a scan lost them): the ký hiệu names the kind, 'KH-UBND'
        if "kind" in d:
            f["kind"] = d["kind"]

    pending: list[str]

    def _late_basis(self) -> None:
        """A căn cứ after a sentence of the body ('Ngày 24/7/2024, Chủ tịch … có Công văn …' / 'Thực hiện ý kiến
        chỉ đạo …'): its field is read; the paragraphs stay in the body, where the page prints them."""
        opening = {self.found.pos[id(x)] for x in self.found.opening}
        texts: list[str] = []
        k = self.i
        while k in opening:
            t = self.lines[k].text
            if find.basis_line(t) or not texts:
                texts.append(t)
            else:
                texts[-1] = _glue([texts[-1], t])
            k += 1
        for t in texts:
            items, rest = self._split_basis(t)
            self.fields.setdefault("basis", []).extend(items)
            if rest:
                break

    def _split_basis(self, text: str) -> tuple[list[str], str]:
        """One paragraph → its căn cứ lines and the issuer's own words after them: '…; Căn cứ công văn …'
        holds two; '… của Sở GD&ĐT Hà Nội, Ban Chỉ đạo … xây dựng kế hoạch …' ends the căn cứ at the comma."""
        parts = re.split(r"(?<=[;.])\s+(?=(?:Căn cứ|Thực hiện|Theo đề nghị|Xét đề nghị)\s)", text)
        items, rest = [], ""
        for part in parts:
            cut = next(
                (
                    m.end(1)
                    for m in re.finditer(r"([,;.])\s+(?=\S)", part)
                    if m.start() > 20
                    and part[: m.start()].count("“") <= part[: m.start()].count("”")  # not inside a quotation
                    and (self._opens_issuer(part[m.end() :]) or _next_sentence(part, m.start()))
                ),
                None,
            )
            if cut is not None:
                items.append(part[:cut].strip())
                rest = part[cut:].strip()
                break
            items.append(part.strip())
        return items, rest

    def _opens_issuer(self, text: str) -> bool:
        """The issuer's own sentence: 'Sở Nội vụ báo cáo …', 'UBND tỉnh ban hành …', 'Trường … báo cáo …', or
        the clause that leads to it, '…; sau khi xem xét đề nghị của …, Ủy ban nhân dân tỉnh …'."""
        if L.OWN_WORDS.match(text):
            return True
        if len(text) < 25 or not text[:1].isupper():
            return False
        if head := find.office(text):  # 'Chủ tịch UBND tỉnh giao …': the issuer's head speaking
            text = text[len(head) :].strip()
        names = [line.text for line in self.issuer_lines]
        own = any(L.fold(text).startswith(L.fold(n)) for n in names if len(n) > 3)
        return own or find.opens_body(text) or bool(re.match(r"^(UBND|Ủy ban|Uỷ ban)\b", text))

    def _at(self, element: find.Line | None) -> bool:
        """The cursor is on the line the finder found as `element`."""
        return element is not None and self.found.pos[id(element)] == self.i

    def _in(self, element: list[find.Line]) -> bool:
        """The cursor is on one of the lines the finder found as `element`."""
        return any(self._at(x) for x in element)

    def _kinh_gui(self, rest: str) -> None:
        """The recipients the finder put under 'Kính gửi': one per item, a line ending ',' goes on below."""
        d = self.doc
        self.take()
        items: list[str] = []
        for t in [rest] if rest else []:
            items.append(_ITEM.sub(r"\g<t>", t) if t[:1] in ITEM_MARKERS else t)
        for x in self.found.recipients:
            k = self.found.pos[id(x)]
            t = self.lines[k].text
            if items and not items[-1].rstrip().endswith((";", ".")) and t[:1] not in ITEM_MARKERS:
                items[-1] = f"{items[-1]} {t}"
            else:
                items.append(_ITEM.sub(r"\g<t>", t) if t[:1] in ITEM_MARKERS else t)
            self.used.add(k)
            self.i = max(self.i, k + 1)
        clean = [x.strip().rstrip(";.,").strip() for x in items]
        d["recipients"] = [x for x in clean if x]
        self.fields["recipients"] = d["recipients"]
        if "kind" not in d:
            d["kind"] = law.cong_van().key

    # -- body until Nơi nhận / the signer / an appendix
    def body(self) -> None:
        tree = _Body()
        kind = law.kinds().get(self.doc.get("kind") or "")
        for t in self.pending:
            if kind is not None and kind.authority_required and "authority" not in self.doc:
                self.doc["authority"] = t  # the thẩm quyền line of a quyết định (Mẫu 1.1–1.3), printed over the căn cứ
            else:
                tree.add(t)
        while (t := self.peek()) is not None:
            if self.i >= self.tail_start:
                break
            if table := self._table():
                tree.block(table)
                continue
            if self.found.cut is not None and self.i >= self.found.cut:
                break  # an attached phụ lục or document starts (law.find)
            if self._at(self.found.ky_so):
                self.i += 1  # the agency's ký số box, in page 1's header (parseapart reads it)
                continue
            if kind is not None and t == kind.enacting and not tree.root["content"]:
                self.take()  # 'QUYẾT ĐỊNH:' over the articles: printed from the kind (kinds.yaml `enacting`)
                continue
            if _stamp_residue(t):
                self.unread.append((self.lines[self.i], "chữ sót của con dấu (stamp residue)"))
                self.i += 1
                continue
            if "basis" not in self.fields and self._in(self.found.opening) and find.basis_line(t):
                self._late_basis()
            tree.add(t)
            self.take()
        closing = _take_closing(tree.root)
        top = tree.root["content"]
        spine = _right_spine(tree.root)

        def visit(blocks: list[Any]) -> None:
            nonlocal closing
            for b in blocks:
                if isinstance(b, dict) and "heading" in b:
                    if TASK_SECTION.search(b["heading"]):
                        orphans = _tasks(b, last=any(b is s for s in spine))
                        closing = orphans + closing
                    visit(b["content"])

        visit(top)
        if closing:
            last = closing[-1].rstrip()
            closing[-1] = last[:-3].rstrip() + "." if last.endswith("./.") else last
        self.doc["body"] = _clean_tree(top)
        self.doc["closing"] = closing
        numbering = [tree.numbering[k] for k in sorted(tree.numbering)]
        self.doc["numbering"] = numbering

    def _table(self) -> dict[str, Any] | None:
        """A data table starting at the cursor, read whole (the cursor moves past it); None when the line is
        no table cell, or the table holds the header, Nơi nhận or the signature (a layout table)."""
        cell = self.lines[self.i].cell
        if cell is None or cell.nested:
            return None
        end = self.i
        while end < len(self.lines) and (c := self.lines[end].cell) is not None and c.table == cell.table:
            end += 1
        texts = [line.text for line in self.lines[self.i : end]]
        if any(L.NOI_NHAN.read(t) is not None or _signer_prefix(t) or _quoc_hieu(t) for t in texts):
            return None
        rows = {line.cell.row for line in self.lines[self.i : end] if line.cell}
        if len(rows) <= 2 and any(_is_name(t) for t in texts) and any(_is_caps(t) for t in texts):
            return None  # 'ĐẠI DIỆN …' | 'TRƯỞNG ĐOÀN' over the names: signature blocks laid out in a table
        block = table_block([(line.cell, line.text) for line in self.lines[self.i : end] if line.cell])
        if block is not None:
            while self.i < end:
                self.take()
        return block

    # -- Nơi nhận, Lưu, ô 12, signer
    def tail(self) -> None:
        d, f = self.doc, self.fields
        distribution: list[Any] = []
        written: list[str] = []
        archive: list[str] | None = None
        signer_lines: list[str] = []
        name: str | None = None
        state = ""
        blocks: list[tuple[list[str], str]] = []  # the signers read so far, left to right (biên bản, liên tịch)
        before = ""  # the line read before
        under: list[str] = []  # caps lines under the current signer's name, in its column: the signer's own post
        unders: list[list[str]] = []  # those of the blocks read so far
        order = _side_by_side(self.tail_lines, [x.text for x in self.lines])
        if self.i < self.tail_start:
            order = []  # the body ended at an attached phụ lục or document: the block found is its own
        if order:
            self.i = max(self.i, min(order))
        start = self.i
        for k in order:
            if k < start:
                continue
            self.i = k
            t = self.lines[k].text
            if name and state != "noi_nhan" and k in self.under_name:
                under.append(re.sub(r"^[^\w(]+", "", t))  # OCR marks before it: "' PHÓ GIÁM ĐỐC"
                self.take()
                continue
            if name and state != "noi_nhan" and (_signer_prefix(t) or (_is_caps(t) and len(t) < 80)):
                blocks.append((signer_lines, name))  # another signer's block beside the one just read
                unders.append(under)
                signer_lines, name, state, under = [], None, "signer", []
            if state == "noi_nhan" and written and L.NOTE_LEAD.match(t):
                t = t.rstrip(";. ")  # '(để thực hiện);': a note a PDF put on a line of its own
                note = t if t.startswith("(") else f"({t})"  # '- Sở GD&ĐT; | để báo cáo': the note cell
                distribution[-1] = {"to": written[-1], "note": note}
                self.take()
                continue
            if L.NOI_NHAN.read(t) is not None and t.lower().startswith("nơi nhận") and state != "noi_nhan":
                state = "noi_nhan"
                rest = L.NOI_NHAN.read(t)
                if rest:
                    written.append(_ITEM.sub(r"\g<t>", rest).strip().rstrip(";.").strip())
                    distribution.append(written[-1])
            elif state == "noi_nhan" and (luu := L.archive(t)) is not None:
                luu = re.sub(r"(?<=[\w)])[-–—]$", "", re.sub(r"\s*\.$", "", luu)).strip()  # a scan's '-' for the '.'
                f["archive"] = luu
                codes = [c.strip() for c in re.split(r"[,;]", luu)]
                archive = [c for c in codes if c and not re.match(r"^VT\b", c) and not re.fullmatch(r"[.…]+", c)]
                state = "after_luu"
            elif state == "noi_nhan" and (t[:1] in ITEM_MARKERS or self._plain_item(t, before)):
                entry = _ITEM.sub(r"\g<t>", t).strip().rstrip(";:.").strip()
                written.append(entry)
                m = _NOTE.match(entry)
                distribution.append({"to": m["to"], "note": m["note"]} if m and m["to"] else entry)
            elif state == "after_luu" and f.get("archive", "").endswith(",") and archive is not None:
                f["archive"] = f"{f['archive']} {t}".rstrip(" .")  # the Lưu line wrapped onto this one
                archive += [c for c in (x.strip() for x in re.split(r"[,;]", t.rstrip("."))) if c]
            elif state == "after_luu" and find.drafter(t) and "drafter_mark" not in d:
                d["drafter_mark"] = t
            elif _signer_prefix(t) or (_is_caps(t) and len(t) < 80):
                signer_lines.append(t)
                if state == "noi_nhan":
                    state = "signer"
            elif _is_name(t) and signer_lines:
                name = t
                state = "done" if state != "noi_nhan" else state
            elif _sign_note(t):
                pass
            elif state == "noi_nhan" and written and len(t) < 120:
                written[-1] = f"{written[-1]} {t}".strip().rstrip(";.")  # an item wrapped onto a new line
                last = distribution[-1]
                if isinstance(last, str):
                    distribution[-1] = written[-1]
            else:
                continue  # a line of the block that is none of these: left unread, said so
            before = t
            self.take()
        if order:
            self.i = max(self.i, max(order) + 1)
        if written:
            f["distribution"] = written
        if d.get("recipients"):
            distribution = [r for r in distribution if not (isinstance(r, str) and r.lower() == "như trên")]
        d["distribution"] = distribution
        d["archive"] = archive or []
        signer_lines = _unwrap(signer_lines)
        blocks = [(_unwrap(lines), who) for lines, who in blocks]
        unders.append(under)
        signers = [_signer(lines, who, u) for (lines, who), u in zip(blocks, unders, strict=False)]
        signers.append(_signer(signer_lines, name, under))
        d["signer"] = [x for x in signers if x] if blocks else signers[0]  # several: side by side, left to right
        every = [*blocks, (signer_lines, name)] if signer_lines or name else blocks
        if every:
            side = _issuing_side(every, self._issuer_split()[0])
            f["signer"] = _signer_fields(*every[side], unders[side])

    def _plain_item(self, t: str, before: str) -> bool:
        """A Nơi nhận item that lost its dash (the finder took it as one): 'Bộ Công an;' under 'Nơi nhận:' or
        under an item that has ended."""
        taken = any(self.found.pos[id(x)] == self.i for x in self.found.nn_items)
        return taken and t.endswith((";", ":")) and (before.endswith((";", ":")) or L.NOI_NHAN.match(before))

    def rest(self) -> None:
        """What follows the main document: attached phụ lục and forms, kept as appendices (nothing is lost),
        in the blocks the finder found."""
        for x in self.found.trailing:  # a web page's links or notes after the signature
            self.unread.append((self._line(x), "sau văn bản, không phải phụ lục (after the document)"))
        # lines the signature took (a post under the name) are not attached
        kept = [[x for x in block if self.found.pos[id(x)] not in self.used] for block in self.found.appendices]
        blocks = [[self._line(x) for x in block] for block in kept if block]
        if blocks:
            self.used.update(self.found.pos[id(x)] for block in self.found.appendices for x in block)
            appendices = [_appendix_block(block) for block in blocks]
            self.doc["appendices"] = appendices
            self.fields["appendices"] = [a["title"][0] for a in appendices]
        self.i = len(self.lines)

    def run(self) -> dict[str, Any]:
        self.pending = []
        self.header()
        self.preamble()
        self.body()
        self.tail()
        self.rest()
        listed = {id(line) for line, _ in self.unread}
        for k, line in enumerate(self.lines):
            if k not in self.used and id(line) not in listed:
                self.unread.append((line, "không thuộc trường nào (not part of any field)"))
        box = self.found.ky_so
        if (
            box is not None
            and not self.issuer_lines
            and (name := parseapart.attached_issuer([x.text for x in self.lines]))
        ):
            self.issuer_lines.append(Line(_upper(name)))  # a phụ lục file: the body named by its '(Kèm theo …)'
        self.issuer_fields()
        out = self.assemble()
        if box is not None:
            named = self.found.tl is not None and self.found.qh is not None
            rest = [x for k, x in enumerate(self.lines) if k != self.found.pos[id(box)]]
            out = parseapart.reshape(out, box.text, rest, named)
        after = [self._line(x) for x in self.found.trailing]
        if any(L.COPY_MARK.match(x.text) for x in after):  # a Mẫu 3.1 bản sao's block under the copied document
            out, read = parseapart.paper_copy(out, [x.text for x in after], _signer)
            done = {id(x) for x in after[:read]}
            self.unread = [(x, why) for x, why in self.unread if id(x) not in done]
        return out

    def issuer_fields(self) -> None:
        header, parent = self._issuer_split()
        issuer = self.fields.setdefault("issuer", {})
        if header:
            issuer["name"] = issuer_name(header)
        if parent:
            issuer["parent"] = issuer_name(parent)  # the chủ quản in ordinary case: 'UBND tỉnh Lào Cai'
        if not issuer:
            del self.fields["issuer"]

    def _issuer_split(self) -> tuple[list[str], list[str]]:
        """(issuer lines, chủ quản lines) of the header's left cell."""
        lines = [(s, line.bold) for line in self.issuer_lines for s in _split_header(line.text)]
        bolds = [bool(b) for _, b in lines] if any(b is not None for _, b in lines) else None
        split = find.issuer_split(
            [find.opens_body(t) for t, _ in lines], bolds, find.issuers_in(self.doc.get("symbol"))
        )
        parent, header = [t for t, _ in lines[:split]], [t for t, _ in lines[split:]]
        return header, parent

    # -- the dict, in the example's key order
    def assemble(self) -> dict[str, Any]:
        d = self.doc
        kind = d.get("kind") or (law.cong_van().key if d.get("recipients") else None)
        header, parent = self._issuer_split()
        issuer: dict[str, Any] = {}
        if header:
            if level := _issuer_level(header):
                issuer["level"] = level
            issuer["name"] = issuer_name(header)
            issuer["header"] = header
        if parent:
            issuer["parent"] = parent
        if d.get("place"):
            issuer["place"] = d["place"]
        day = date.fromisoformat(d["date"]) if d.get("date") else None
        found = place_fields(issuer.get("level"), header, parent, d.get("place"), day, d.get("year"))
        issuer.update(found)  # area, level, a repaired place: through the unit table (parseplace)
        if "place" in found:
            self.fields.setdefault("issuer", {})["place"] = found["place"]
            if d.get("place") and "name" in issuer:  # the header read the same misspelt place
                issuer["name"] = issuer["name"].replace(d["place"], found["place"])
                self.fields["issuer"]["name"] = issuer["name"]
        symbol = d.get("symbol") if L.SO.SYMBOL.match(str(d.get("symbol", ""))) else None
        if symbol:
            groups = symbol.split("-")
            code = law.kinds()[kind].code if kind in law.kinds() else None
            abbr = groups[1] if code and groups[0] == code and len(groups) > 1 else groups[0]
            if L.SO.GROUP.match(abbr):
                issuer["abbreviation"] = abbr
        # a draft leaves the number or the day blank on lines that are there
        draft = ("number" in d and d["number"] is None) or ("place" in d and d.get("date") is None)
        draft = draft or bool(d.get("draft_mark"))  # 'DỰ THẢO' printed in the header
        out: dict[str, Any] = {"kind": kind}
        if issuer:
            out["issuer"] = issuer
        out["number"] = d.get("number")
        out["date"] = d.get("date")
        if d.get("date") is None and d.get("year"):
            out["year"] = d["year"]
        if symbol:
            out["symbol"] = symbol
        if draft:
            out["draft"] = True
        out["title"] = d.get("title")
        if d.get("authority"):
            out["authority"] = d["authority"]
        if d.get("recipients"):
            out["recipients"] = d["recipients"]
        campaign = _campaign(d, self.lines)
        if campaign:
            out["campaign"] = campaign
        if d.get("basis"):
            out["basis"] = d["basis"]
        out["body"] = d.get("body", [])
        if d.get("closing"):
            out["closing"] = d["closing"]
        out["signer"] = d.get("signer")
        if d.get("distribution"):
            out["distribution"] = d["distribution"]
        if d.get("archive"):
            out["archive"] = d["archive"]
        if d.get("drafter_mark"):
            out["drafter_mark"] = d["drafter_mark"]
        numbering = d.get("numbering") or []
        if numbering and numbering != ["1.", "1.1."][: len(numbering)]:
            out["numbering"] = numbering
        if self.citation_long:
            out["citation_dates"] = "long"
        if d.get("appendices"):
            out["appendices"] = d["appendices"]
        return out


def _appendix_block(block: list[Line]) -> dict[str, Any]:
    """An attached phụ lục's lines → an appendix: its label and caps title lines, its '(Kèm theo …)' line as
    printed, then its content, a table read as a table."""
    title = [block[0].text]
    k = 1
    while k < len(block) and _is_caps(block[k].text) and block[k].cell is None:
        title.append(block[k].text)
        k += 1
    out: dict[str, Any] = {"title": title}
    if k < len(block) and L.ATTACHED.match(block[k].text):
        out["attached"] = block[k].text
        k += 1
    content: list[Any] = []
    while k < len(block):
        cell = block[k].cell
        end = k + 1
        while cell is not None and end < len(block) and (c := block[end].cell) is not None and c.table == cell.table:
            end += 1
        table = table_block([(x.cell, x.text) for x in block[k:end] if x.cell]) if cell is not None else None
        content += [table] if table else [x.text for x in block[k:end]]
        k = end
    if not content:  # a block of a title only ('BỘ GIÁO DỤC VÀ ĐÀO TẠO' under a stamp's text): its lines are content
        content = [*title[1:], *([out.pop("attached")] if "attached" in out else [])]
        out["title"] = title[:1]
    out["content"] = content
    return out


_sign_note = find.sign_note


def _issuing_side(blocks: list[tuple[list[str], str | None]], issuer: list[str]) -> int:
    """Of several signers side by side, the issuer's: the block whose title names the issuing body ('ĐẠI DIỆN
    SỞ CÔNG THƯƠNG' under 'SỞ CÔNG THƯƠNG'; without a header, the one body of the state among companies), else
    the last one (the right: a biên bản's issuing side, the lead issuer of a joint document)."""
    names = [L.fold(issuer[-1])] if issuer and len(issuer[-1]) > 5 else []
    names = names or [L.fold(f"ĐẠI DIỆN {b}") for b in law.specs.body_types()]
    for k, (lines, _) in enumerate(blocks):
        if any((L.fold(t) + " ").startswith(n + " ") or (issuer and n in L.fold(t)) for t in lines for n in names):
            return k
    return len(blocks) - 1


def _unwrap(lines: list[str]) -> list[str]:
    """A chức vụ wrapped onto the next line ('GIÁM ĐỐC SỞ GIÁO DỤC VÀ' / 'ĐÀO TẠO') is one line."""
    out: list[str] = []
    body = False  # the last line joined was the head's body ('KT. VIỆN TRƯỞNG' / 'VIỆN KIỂM SÁT' / 'NHÂN DÂN TỐI CAO')
    for k, line in enumerate(lines):
        last = k + 1 == len(lines)  # the chức vụ itself
        if out and re.search(r"(\s(VÀ|CỦA)|[,–-])$", out[-1]) and not L.SIGNER.match(line):
            out[-1] = f"{out[-1]} {line}"
        elif (
            out
            and not last
            and (
                (L.SIGNER.match(out[-1]) and find.opens_body(line)) or (body and not line.startswith(("PHÓ ", "THỨ ")))
            )
        ):
            out[-1] = f"{out[-1]} {line}"  # 'KT. BỘ TRƯỞNG' / 'BỘ Y TẾ': the head's body, wrapped in a narrow cell
            body = True
            continue
        else:
            out.append(line)
        body = False
    return out


def _signer_fields(lines: list[str], name: str | None, under: list[str] | None = None) -> dict[str, Any]:
    """The signer as written: authority (the prefixed lines), title (the others joined by ' / ', then the post
    printed under the name as one line), name."""
    out: dict[str, Any] = {}
    prefixed = [t for t in lines if L.SIGNER.match(t)]
    titles = [t for t in lines if not L.SIGNER.match(t)] + ([" ".join(under)] if under else [])
    if prefixed:
        out["authority"] = " / ".join(prefixed)
    if titles:
        out["title"] = " / ".join(titles)
    if name:
        out["name"] = name
    return out


def _signer(lines: list[str], name: str | None, under: list[str] | None = None) -> dict[str, Any] | None:
    if not lines and not name:
        return None
    from .model import chain_problem

    heads: list[str] = []  # the authority lines (TM., KT., TL., TUQ., Q.) above the title
    rest: list[str] = []
    for line in lines:
        if not (p := _signer_prefix(line)):
            rest.append(line)
            continue
        line = f"{p[0]} {p[1]}"  # the old 'T/M.', 'K/T' as the decree writes them (the model takes those)
        if rest or chain_problem([*heads, line, "X"]):
            break  # the next signer's block (several signers side by side): the first one is kept
        heads.append(line)
    signer: dict[str, Any] = {}
    if len(heads) > 1 and not heads[0].startswith("TM."):
        signer["chain"] = heads  # 'TL. CHỦ TỊCH / KT. CHÁNH VĂN PHÒNG' (PL I II.7)
        heads = []
    for line in heads:
        p = _signer_prefix(line)
        if p and p[0] == "TM." and "authority" not in signer:
            signer["authority"] = f"TM. {p[1]}"
        elif p and "prefix" not in signer:
            signer["prefix"], signer["head_title"] = p
    signer["title"] = rest[0] if rest else None
    other = [*rest[1:], *(under or [])]  # the signer's own post, above the name or under it (ô 7b)
    if other:
        signer["other_title"] = " ".join(other)
    if name:
        signer["name"] = name
    return signer


def _campaign(d: dict[str, Any], lines: list[Line]) -> dict[str, Any] | None:
    """Name, year, theme and dates of a campaign ('Tuần lễ …') when the text states them."""
    texts = [d.get("title") or ""] + [line.text for line in lines]
    body = [line.text for line in lines]
    name = year = None
    for t in texts:
        # bounded spans: on a long line each "tổ chức" would otherwise scan to its end (quadratic)
        m = re.search(r"[Tt]ổ chức\s+[“\"]?(?P<name>[^“”\"()]{1,200}?)[”\"]?\s+năm\s+(?P<year>\d{4})", t)
        if m:
            name, year = m["name"].strip(), int(m["year"])
            break
    if not name:
        return None
    out: dict[str, Any] = {"name": name, "year": year}
    for t in body:
        m = re.match(r"^Chủ đề(?:\s+của\s+[^:“\"]+?)?\s*:\s*[“\"]?(?P<theme>[^“”\"]+?)[”\"]?\s*\.?$", t)
        m = m or re.search(r"[Vv]ới chủ đề\s+[“\"](?P<theme>[^”\"]{1,300})[”\"]", t)
        if m:
            out["theme"] = m["theme"].strip().rstrip(".")
            break
    for t in body:
        m = re.search(rf"từ ngày\s+(?P<s>{_DATE})\s+đến ngày\s+(?P<e>{_DATE})", t)
        if m:
            out["start"], out["end"] = _date(m["s"]), _date(m["e"])
            break
        m = re.search(
            r"từ ngày\s+(?P<sd>\d{1,2})(?:\s+tháng\s+(?P<sm>\d{1,2}))?\s+đến ngày\s+(?P<ed>\d{1,2})\s+tháng\s+"
            r"(?P<em>\d{1,2})\s+năm\s+(?P<y>\d{4})",
            t,
        )
        if m:
            y, em = int(m["y"]), int(m["em"])
            out["start"] = _iso(int(m["sd"]), int(m["sm"] or em), y)
            out["end"] = _iso(int(m["ed"]), em, y)
            break
    for t in body:
        m = re.search(rf"khai mạc[^.;]{{0,200}}?ngày\s+(?P<d>{_DATE})", t)
        day = _date(m["d"]) if m else None
        if day and (not (out.get("start") and out.get("end")) or out["start"] <= day <= out["end"]):
            out["opening_day"] = day
            break
    for t in body:
        m = re.search(rf"[Bb]áo cáo[\s\S]{{0,400}}?(?:trước|chậm nhất)(?: ngày)?\s+(?P<d>{_DATE})", t)
        if m and (day := _date(m["d"])):
            out["report_deadline"] = day
            break
    if len(out) == 2:
        return None  # a name alone is not a recognisable campaign
    return {k: v for k, v in out.items() if v is not None}


# ---------------------------------------------------------------------------- public API


@dataclass
class Parsed:
    """One received document read: the YAML document, its fields as written, and what was not used."""

    data: dict[str, Any]  # the document in the YAML schema (what `parse` returns)
    fields: dict[str, Any]  # each field as the source writes it (tests/labels/parse shape)
    read: ReadResult  # the reader's lines and the lines it dropped, with why
    unread: list[tuple[str, str]]  # document lines neither a field nor body text, and why

    def summary(self) -> str:
        """'x.pdf: đọc 142/150 dòng; bỏ 8: …' plus the parser's own leftovers."""
        out = self.read.summary()
        if self.unread:
            out += f"; {len(self.unread)} dòng không dùng (unused lines)"
        return out


def parse_lines(lines: list[Line]) -> dict[str, Any]:
    return _Parser(lines).run()


def _parsed(read: ReadResult, lines: list[Line]) -> Parsed:
    p = _Parser(lines)
    data = p.run()
    return Parsed(data, p.fields, read, [(line.text, why) for line, why in p.unread])


def parse_file(source: Path | str, *, ocr: bool = True) -> Parsed:
    """Read `source` (a path of any kind `readers.read` takes, or the text itself) and parse it."""
    lines, read = read_lines(source, ocr=ocr)
    return _parsed(read, lines)


def parse_text(text: str) -> dict[str, Any]:
    """Parse text extracted from a document (the seeds' format)."""
    return parse_file(text if "\n" in text else text + "\n").data


def parse(path: Path | str, *, ocr: bool = True) -> dict[str, Any]:
    """Read a received document (.docx, .doc, .pdf, a scan, .txt) into a document dict in the YAML schema.

    Missing fields are None (title, signer.title) or absent (issuer keys, so a profile can supply
    them); see the module docstring for what a user typically has to complete."""
    path = Path(path)
    if path.is_dir():
        raise InputError.one("là một thư mục (is a directory)", file=str(path))
    return parse_file(path, ocr=ocr).data


def missing_fields(data: dict[str, Any]) -> list[str]:
    """What the user has to add before `loader.load()` accepts the parsed YAML."""
    out = []
    issuer = data.get("issuer") or {}
    lacking = [k for k in ("level", "name", "place", "abbreviation") if k not in issuer]
    if lacking:
        out.append(f"profile, hoặc issuer.{', issuer.'.join(lacking)}")
    if not data.get("kind"):
        out.append("kind")
    if not data.get("title"):
        out.append("title (trích yếu)")
    if data.get("kind") in law.kinds() and law.kind(data["kind"]).is_cong_van and not data.get("symbol"):
        out.append("symbol hoặc drafting_unit (ký hiệu)")
    signers = data.get("signer") or {}
    if not signers:
        out.append("signer")
    for signer in signers if isinstance(signers, list) else [signers] if signers else []:
        out += [f"signer.{k}" for k in ("title", "name") if not signer.get(k)]
    return out


class _Dumper(yaml.SafeDumper):
    pass


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


_Dumper.add_representer(str, _str)


TODO = "[CẦN BỔ SUNG: {}]"  # a placeholder the user sees on the page and in the summary
TODO_CODE = "XXX"  # in a ký hiệu, which takes capitals only
PLACEHOLDER = re.compile(re.escape(TODO).replace(r"\{\}", r"[^\]]*") + rf"|\b{TODO_CODE}\b", re.IGNORECASE)
TODO_HEAD = "Cần bổ sung (to complete; placeholders [CẦN BỔ SUNG …]/XXX):"  # heads the list of placeholders


def complete(data: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """The parsed document with every field the loader requires: a draft's blanks for a missing number or
    date, a marked placeholder for anything else (listed in the second value)."""
    out = json.loads(json.dumps(data, default=str))
    todo: list[str] = []
    issuer = out.setdefault("issuer", {})
    if "level" not in issuer:
        issuer["level"] = _level_of_place(issuer.get("place"), out.get("date")) or "tinh"
        todo.append(f"issuer.level (đoán: {issuer['level']})")
    for key, what in (("name", "tên cơ quan ban hành"), ("place", "địa danh")):
        if not issuer.get(key):
            issuer[key] = TODO.format(what)
            todo.append(f"issuer.{key}")
    if not issuer.get("abbreviation"):
        issuer["abbreviation"] = TODO_CODE
        todo.append("issuer.abbreviation")
    if out.get("kind") not in law.kinds():
        out["kind"] = law.cong_van().key
        todo.append(f"kind (đoán: {out['kind']})")
    spec = law.kind(out["kind"])
    if spec.authority_required and not out.get("authority"):
        out["authority"] = TODO.format("thẩm quyền ban hành").upper()
        todo.append("authority")
    if spec.separate:  # a file signed apart: no title, signer, số or date of its own (Mẫu 1.3 điện tử, 2.2)
        out.pop("signer", None)
        return out, todo
    if not out.get("title"):
        out["title"] = TODO.format("trích yếu")
        todo.append("title")
    if spec.is_cong_van and not out.get("symbol"):
        out["drafting_unit"] = TODO_CODE
        todo.append("drafting_unit")
    if spec.kinh_gui_required and not out.get("recipients"):
        out["recipients"] = [TODO.format("Kính gửi")]
        todo.append("recipients")
    signers = out.get("signer") or {}
    for signer in signers if isinstance(signers, list) else [signers]:
        if not signer.get("title"):
            signer["title"] = TODO.format("chức vụ người ký")
            todo.append("signer.title")
    out["signer"] = signers
    if not out.get("date") and not out.get("year"):
        out["year"] = date.today().year
    if out.get("number") is None or out.get("date") is None:
        out["draft"] = True  # the văn thư fills the blanks
    return out, todo


def _level_of_place(place: str | None, when: str | None) -> str | None:
    """The level of the place line's unit (unit table), when the header does not say it."""
    if not place:
        return None
    from . import units

    try:
        return units.find(place, as_of=date.fromisoformat(when) if when else None).level
    except (InputError, ValueError):
        return None


def to_yaml(data: dict[str, Any], source: str = "", parsed: Parsed | None = None) -> str:
    """The YAML `parse` writes: it loads and renders as it is (placeholders listed at the top), and says what
    was read, what was dropped and why."""
    lines = [f"# Đọc từ (parsed from) {source}" if source else "# Đọc từ văn bản (parsed document)"]
    done, todo = complete(data)
    if parsed is not None:
        lines.append(f"# {parsed.summary()}")
    if todo:
        lines.append(f"# {TODO_HEAD} " + "; ".join(todo))
    if parsed is not None:
        for d in parsed.read.dropped:
            lines.append(f"# bỏ (dropped) [{d.reason.value}]: {_one_line(d.text)}")
        for text, why in parsed.unread:
            lines.append(f"# không dùng (unused) [{why}]: {_one_line(text)}")
    text = yaml.dump(done, Dumper=_Dumper, allow_unicode=True, sort_keys=False, default_flow_style=False, width=110)
    return "\n".join(lines) + "\n" + text


def _one_line(text: str) -> str:
    """A line for a YAML comment: one line, no control characters (YAML refuses them even there)."""
    text = "".join(c if unicodedata.category(c)[0] != "C" else " " for c in text)
    return re.sub(r"\s+", " ", text).strip()[:200]


def write_yaml(parsed: Parsed, out: Path | str) -> Path:
    """Write `parsed` as readable YAML to `out` (UTF-8, block style, the example's key order)."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(to_yaml(parsed.data, parsed.read.source, parsed), encoding="utf-8")
    return out


def parse_to_yaml(path: Path | str, out: Path | str, *, ocr: bool = True) -> Path:
    """Parse `path` and write readable YAML to `out`."""
    return write_yaml(parse_file(Path(path), ocr=ocr), out)
