"""Read a received document (.docx, or text extracted from a PDF) back into the YAML schema.

`parse(path)` returns a plain dict shaped like examples/seeds/*.yaml: issuer lines, số and ký hiệu,
place and date, kind, trích yếu or V/v, Kính gửi, căn cứ with structured references, numbered
sections with lists, tasks per unit, campaign fields, closing, Nơi nhận, "Lưu" and the signer.
`parse_to_yaml(path, out)` writes it as readable YAML.

Everything is read from the text, in document order (a .docx gives its paragraphs and table cells;
bold only helps tell the chủ quản line from the issuer's own lines). Text extracted from PDFs is
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

import html
import json
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from . import law, rules
from .errors import InputError
from .law import lines as L
from .paths import DATA

# ---------------------------------------------------------------------------- word lists
# Kept here because no data file holds them yet: task heading prefixes. Body types and the kinds a căn cứ
# cites are data (levels.yaml `body_types`, kinds.yaml `cited`).
BODY_TYPES = [t for t in law.specs.body_types() if t != "Chi cục"]  # levels.yaml `body_types`
LEGAL_KINDS = law.specs.cited_names()  # kinds.yaml `cited`
TASK_PREFIXES = ["Giao", "Đề nghị"]
TASK_SECTION = re.compile(r"(tổ chức|phân công) thực hiện|phân công nhiệm vụ", re.I)
CLOSING_LEADS = re.compile(r"^(Trên đây|Trân trọng|Trong quá trình|Rất mong|Đề nghị các (cơ quan|đơn vị))")
BASIS_LEAD_CITED = ["Thực hiện"]  # a lead that is a căn cứ only when a document is cited

ITEM_MARKERS = {"-": "-", "–": "-", "—": "-", "+": "+", "•": "•"}
_MARKER_RANK = {"a)": 0, "-": 1, "•": 1, "+": 2}


@dataclass
class Line:
    """One paragraph (or table-cell paragraph) of the document, in reading order."""

    text: str
    bold: bool | None = None  # known for .docx only


# ---------------------------------------------------------------------------- small helpers


def _nfc(s: str) -> str:
    s = unicodedata.normalize("NFC", s)
    s = re.sub(r"[\t\x0b\x0c\u00a0\u2000-\u200b\u202f\u205f\u3000\ufeff]", " ", s)
    s = re.sub(r"[\x00-\x08\x0e-\x1f\x7f-\x9f\u200c\u200d\u2028\u2029]", "", s)
    return re.sub(r" {2,}", " ", s).strip()


def _is_caps(s: str) -> bool:
    letters = [c for c in s if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


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


@cache
def _marks() -> set[str]:
    return {_upper(u) for u in [*rules.nd30()["urgency"], *rules.nd30()["circulation"]]}


def _quoc_hieu(s: str) -> bool:
    return L.quoc_hieu(s, within=True)


def _tieu_ngu(s: str) -> bool:
    return L.tieu_ngu(s)


# ---------------------------------------------------------------------------- reading


def _docx_lines(path: Path) -> list[Line]:
    """Lines of a .docx through the one reader the checker uses (ooxml: effective bold from the styles)."""
    from . import ooxml

    try:
        doc = ooxml.read(path)
    except ooxml.DocxReadError as exc:
        why = exc.problems[0].message if exc.problems else str(exc)
        raise InputError.one(f"không đọc được tệp .docx (unreadable docx): {why}", file=str(path)) from None
    out: list[Line] = []
    for p in doc.paragraphs():
        runs = [r for r in p.runs if r.text.strip()]
        bold = all(r.props.bold for r in runs) if runs else None
        for part in p.text.split("\n"):
            part = _nfc(part)
            if part:
                out.append(Line(part, bold))
    return out


_HTML_BREAK = re.compile(r"<\s*(br|/p|/li|li|/tr|/td|/th|p|ul|/ul)\b[^>]*>", re.I)


def _clean_line(line: str) -> list[str]:
    """One extracted line → zero or more clean lines (table cells become lines)."""
    line = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", line)  # markdown link → its text
    line = line.replace("\\_", "_").replace("\\", "")
    line = re.sub(r"^\s*#{1,6}\s*", "", line)
    line = line.replace("*", "").replace("✓", "").replace("✔", "")
    line = _nfc(line)
    if "|" not in line:
        return [line] if line else []
    cells = [c.strip() for c in line.split("|") if c.strip()]
    # "- Sở GD&ĐT Hà Nội; | để báo cáo": a note written beside a Nơi nhận line
    if len(cells) == 2 and cells[0].startswith("-") and len(cells[1]) < 40 and not cells[1].startswith("-"):
        note = cells[1].strip("() ")
        return [f"{cells[0].rstrip(';. ')} ({note});"]
    return cells


def _text_lines(raw: str) -> list[Line]:
    raw = unicodedata.normalize("NFC", raw).replace("\r\n", "\n").replace("\r", "\n")
    raw = _HTML_BREAK.sub("\n", raw)
    raw = html.unescape(re.sub(r"<[^>]+>", " ", raw))
    lines: list[str] = []
    for physical in raw.split("\n"):
        lines += _clean_line(physical)
    # Each line as its parts, joined once at the end: re-joining (and re-testing) a growing paragraph per
    # continuation line made 10,000 short lines quadratic. A joined paragraph has a lower-case letter: not caps.
    out: list[list[str]] = []
    prev_caps = False
    for line in lines:
        if out:
            prev = out[-1]
            # "Số: 4595" / "/KH-UBND": the number and its ký hiệu on two lines
            if line.startswith("/") and len(prev) == 1 and L.SO.HEAD.match(prev[0]):
                prev[0] = f"{prev[0].rstrip()}{line}"
                continue
            # a paragraph cut by a page break or a wrapped V/v: the next part starts in lower case
            if (
                line[:1].isalpha()
                and line[:1].islower()
                and not _LETTER.match(line)
                and prev[-1][-1:] not in '.;:!?)”"'
                and not prev_caps
            ):
                prev.append(line)
                prev_caps = False
                continue
        out.append([line])
        prev_caps = _is_caps(line)
    return [Line(" ".join(parts)) for parts in out]


def read_lines(path: Path | str) -> list[Line]:
    """The document's paragraphs in reading order, cleaned of extraction noise."""
    path = Path(path)
    try:
        if not path.is_file():
            what = "là một thư mục (is a directory)" if path.is_dir() else "không tìm thấy tệp (file not found)"
            raise InputError.one(what, file=str(path))
    except OSError as exc:  # a folder on the way that may not be searched
        raise InputError.one(f"không đọc được tệp (cannot read): {exc.strerror}", file=str(path)) from None
    suffix = path.suffix.lower()
    if suffix == ".docx":
        lines = _docx_lines(path)
    elif suffix in (".txt", ".md", ".text", ""):
        try:
            raw = path.read_text(encoding="utf-8-sig")
        except UnicodeDecodeError as exc:
            raise InputError.one(f"tệp văn bản không phải UTF-8 (encoding): byte {exc.start}", file=str(path)) from None
        except OSError as exc:
            raise InputError.one(f"không đọc được tệp (unreadable file): {exc}", file=str(path)) from None
        lines = _text_lines(raw)
    else:
        raise InputError.one(f"chỉ đọc được tệp .docx hoặc .txt (unsupported file type): {path.suffix}", file=str(path))
    if not any(line.text for line in lines):
        raise InputError.one("tệp không có nội dung văn bản (empty document)", file=str(path))
    return lines


# ---------------------------------------------------------------------------- issuer name


def issuer_name(lines: list[str]) -> str:
    """Header lines in capitals → the name in sentence case per NĐ 30 Phụ lục II:
    'ỦY BAN NHÂN DÂN' / 'TỈNH THÁI NGUYÊN' → 'Ủy ban nhân dân tỉnh Thái Nguyên'."""
    words = " ".join(lines).split()
    text = " ".join(words)
    low = text.lower()
    head = ""
    for body in sorted(BODY_TYPES, key=len, reverse=True):
        if low == body.lower() or low.startswith(body.lower() + " "):
            head, text = body, text[len(body) :].strip()
            break
    # the place: after the last administrative unit word ('… xã hội học tập quận Long Biên')
    field, place = text, ""
    low = text.lower()
    for m in reversed(list(re.finditer(r"(?:^|\s)(" + "|".join(map(re.escape, _unit_words())) + r")\s+\S", low))):
        field, place = text[: m.start(1)].strip(), text[m.start(1) :].strip()
        break

    def keep(token: str) -> bool:  # acronyms and codes stay as written: GD&ĐT, THPT, 7
        return bool(re.search(r"[&.\d/]", token)) or not _has_vowel(token)

    def field_case(s: str) -> str:
        # Capitalise the first letter of each field joined by 'và', ',' or ' - ': 'Giáo dục và Đào tạo'
        parts = re.split(r"(\s+và\s+|\s*,\s*|\s+-\s+)", s, flags=re.I)
        out = []
        for i, part in enumerate(parts):
            if i % 2:
                out.append(part.lower())
                continue
            toks, after_acronym = [], False
            for t in part.split():
                # a proper name follows a school-level acronym: 'Trường THCS Bạch Liêu'
                toks.append(t if keep(t) else t[:1].upper() + t[1:].lower() if after_acronym else t.lower())
                after_acronym = after_acronym or (keep(t) and not t[:1].isdigit())
            if toks and not keep(toks[0]):
                toks[0] = toks[0][:1].upper() + toks[0][1:]
            out.append(" ".join(toks))
        return "".join(out)

    def place_case(s: str) -> str:
        low = s.lower()
        for unit in _unit_words():
            if low.startswith(unit + " "):
                name = s[len(unit) :].strip()
                proper = " ".join(
                    t if keep(t) and not t.isalpha() else t[:1].upper() + t[1:].lower() for t in name.split()
                )
                special = f"{unit} {proper}" in ("thành phố Hồ Chí Minh", "thủ đô Hà Nội")
                typed = unit[:1].upper() + unit[1:] if (name[:1].isdigit() or special) else unit
                return f"{typed} {proper}"
        return field_case(s)

    parts = [head] if head else []
    if field:
        # 'Ban Chỉ đạo' already names its field: what follows is written in lower case
        lower_rest = head and sum(w[:1].isupper() for w in head.split()) > 1
        parts.append(
            field_case(field)
            if head and not lower_rest
            else " ".join(t if keep(t) else t.lower() for t in field.split())
            if head
            else _sentence_case(field)
        )
    if place:
        parts.append(place_case(place))
    name = " ".join(p for p in parts if p)
    return name[:1].upper() + name[1:]


def _has_vowel(token: str) -> bool:
    """Every Vietnamese syllable has a vowel: a token without one is an acronym (UBND, THPT, HĐND)."""
    base = "".join(c for c in unicodedata.normalize("NFD", token.lower()) if not unicodedata.combining(c))
    return bool(re.search("[aeiouy]", base))


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
    lead = L.basis_lead(text, [*rules.nd30()["basis_leads_italic"], *BASIS_LEAD_CITED])
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
    if lead in BASIS_LEAD_CITED and not refs and not CITE.search(body):
        return None  # "Thực hiện nhiệm vụ năm học …": an opening sentence, not a căn cứ
    out: dict[str, Any] = {"lead": lead}
    if refs:
        out["refs"] = refs
    if rest_text:
        out["text"] = rest_text
    return out


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
_DRAFTER = L.KY_HIEU_SOAN_LOOSE
_APPENDIX = L.APPENDIX_START


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

    # -- cursor
    def peek(self) -> str | None:
        return self.lines[self.i].text if self.i < len(self.lines) else None

    # -- header: issuer, Quốc hiệu, số, V/v, date
    def header(self) -> None:
        d = self.doc
        while (text := self.peek()) is not None:
            if _quoc_hieu(text) or _tieu_ngu(text) or text.upper() in _marks():
                pass  # Quốc hiệu, Tiêu ngữ, "HỎA TỐC", "LƯU HÀNH NỘI BỘ"
            elif (so := L.SO.read(text)) and so.symbol and "number" not in d:
                d["number"] = so.number or None
                d["symbol"] = so.symbol
            elif (vv := L.VV.read(text)) and "title" not in d:
                d["title"] = vv
            elif (dl := L.DATE.read(text)) and dl.place and dl.comma and len(dl.year) == 4 and "place" not in d:
                d["place"] = dl.place
                d["year"] = int(dl.year)
                d["date"] = _iso(int(dl.day), int(dl.month), int(dl.year)) if dl.day and dl.month else None
            elif _is_caps(text) and not self._kind_line(text) and "place" not in d and "number" not in d:
                self.issuer_lines.append(self.lines[self.i])
            elif (
                _is_caps(text)
                and not self._kind_line(text)
                and not _signer_prefix(text)
                and len(text) < 60
                and (self.i + 1 < len(self.lines) and _quoc_hieu(self.lines[self.i + 1].text))
            ):
                self.issuer_lines.append(self.lines[self.i])  # issuer cell read after the số line
            else:
                break
            self.i += 1

    def _kind_line(self, text: str) -> tuple[str, str] | None:
        """'KẾ HOẠCH' (or 'KẾ HOẠCH Tổ chức …' on one extracted line) → (kind, rest)."""
        found = L.ten_loai(text)
        return (found[0].key, found[1]) if found else None

    # -- tên loại, trích yếu, Kính gửi, căn cứ
    def preamble(self) -> None:
        d = self.doc
        text = self.peek()
        if text and (k := self._kind_line(text)):
            d["kind"] = k[0]
            self.i += 1
            title = [k[1]] if k[1] else []
            while (t := self.peek()) is not None and len(title) < 3:
                if (
                    L.KINH_GUI.match(t)
                    or parse_basis(t)
                    or _heading(t)
                    or _ITEM.match(t)
                    or len(t) > 200
                    or (title and t.endswith((";", ":", ".")))
                ):
                    break
                title.append(t)
                self.i += 1
            if title:
                d["title"] = " ".join(title)
        text = self.peek()
        if text and (rest := L.KINH_GUI.read(text)) is not None:
            self.i += 1
            recipients = [rest] if rest else []
            while not recipients and (t := self.peek()) is not None and t[:1] in ITEM_MARKERS:
                d.setdefault("recipients", []).append(_ITEM.sub(r"\g<t>", t).strip().rstrip(";.").strip())
                self.i += 1
            if recipients:
                d["recipients"] = [recipients[0].rstrip(";.").strip()]
            if "kind" not in d:
                d["kind"] = law.cong_van().key
        while (t := self.peek()) is not None and (b := parse_basis(t)):
            d.setdefault("basis", []).append(b)
            self.citation_long |= any("tháng" in m["date"] for m in CITE.finditer(t))
            self.i += 1
        if "kind" not in d and "title" in d:
            d["kind"] = law.cong_van().key  # a V/v line without Kính gửi

    # -- body until Nơi nhận / the signer / an appendix
    def body(self) -> None:
        tree = _Body()
        while (t := self.peek()) is not None:
            if L.NOI_NHAN.read(t) == "" or _signer_prefix(t) or _quoc_hieu(t) or _APPENDIX.match(t):
                break
            if not _stamp_residue(t):
                tree.add(t)
            self.i += 1
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

    # -- Nơi nhận, Lưu, ô 12, signer
    def tail(self) -> None:
        d = self.doc
        distribution: list[Any] = []
        archive: list[str] | None = None
        signer_lines: list[str] = []
        name: str | None = None
        state = ""
        while (t := self.peek()) is not None:
            if _quoc_hieu(t) or _APPENDIX.match(t) or (name and state != "noi_nhan"):
                break
            if L.NOI_NHAN.read(t) == "":
                state = "noi_nhan"
            elif state == "noi_nhan" and (luu := L.LUU.read(t)) is not None and t.lstrip("- ").startswith("Lưu"):
                codes = [c.strip() for c in re.split(r"[,;]", luu.rstrip("."))]
                archive = [c for c in codes if c and not re.match(r"^VT\b", c) and not re.fullmatch(r"[.…]+", c)]
                state = "after_luu"
            elif state == "noi_nhan" and t[:1] in ITEM_MARKERS:
                entry = _ITEM.sub(r"\g<t>", t).strip().rstrip(";.").strip()
                m = _NOTE.match(entry)
                distribution.append({"to": m["to"], "note": m["note"]} if m and m["to"] else entry)
            elif state == "after_luu" and _DRAFTER.match(t) and not _is_caps(t) and "drafter_mark" not in d:
                d["drafter_mark"] = t
            elif _signer_prefix(t) or (_is_caps(t) and len(t) < 80):
                signer_lines.append(t)
                if state == "noi_nhan":
                    state = "signer"
            elif _is_name(t) and signer_lines:
                name = t
                state = "done" if state != "noi_nhan" else state
            elif re.match(r"^\((ký|đã ký|Đã ký|chữ ký)", t, re.I):
                pass
            elif signer_lines or state == "after_luu":
                break
            self.i += 1
        if d.get("recipients"):
            distribution = [r for r in distribution if not (isinstance(r, str) and r.lower() == "như trên")]
        d["distribution"] = distribution
        d["archive"] = archive or []
        d["signer"] = _signer(signer_lines, name)

    def run(self) -> dict[str, Any]:
        self.header()
        self.preamble()
        self.body()
        self.tail()
        return self.assemble()

    # -- the dict, in the example's key order
    def assemble(self) -> dict[str, Any]:
        d = self.doc
        kind = d.get("kind") or (law.cong_van().key if d.get("recipients") else None)
        header = [s for line in self.issuer_lines for s in _split_header(line.text)]
        parent: list[str] = []
        if any(line.bold is not None for line in self.issuer_lines):
            parent = [line.text for line in self.issuer_lines if line.bold is False]
            header = [s for line in self.issuer_lines if line.bold is not False for s in _split_header(line.text)]
        elif (
            len(header) >= 2
            and re.match(r"^(UBND|HĐND|BỘ|ỦY BAN NHÂN DÂN \S)", header[0])
            and not any(header[1].lower().startswith(u + " ") for u in _unit_words())
        ):
            parent, header = header[:1], header[1:]  # 'UBND TỈNH …' over 'SỞ …'
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
        symbol = d.get("symbol")
        if symbol:
            groups = symbol.split("-")
            code = law.kinds()[kind].code if kind in law.kinds() else None
            abbr = groups[1] if code and groups[0] == code and len(groups) > 1 else groups[0]
            if L.SO.GROUP.match(abbr):
                issuer["abbreviation"] = abbr
        # a draft leaves the number or the day blank on lines that are there
        draft = ("number" in d and d["number"] is None) or ("place" in d and d.get("date") is None)
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
        return out


def _signer(lines: list[str], name: str | None) -> dict[str, Any] | None:
    if not lines and not name:
        return None
    signer: dict[str, Any] = {}
    rest: list[str] = []
    for line in lines:
        p = _signer_prefix(line)
        if p and p[0] == "TM." and "authority" not in signer:
            signer["authority"] = f"TM. {p[1]}"
        elif p and "prefix" not in signer:
            signer["prefix"], signer["head_title"] = p
        else:
            rest.append(line)
    signer["title"] = rest[0] if rest else None
    if len(rest) > 1:
        signer["other_title"] = " ".join(rest[1:])
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


def parse_lines(lines: list[Line]) -> dict[str, Any]:
    return _Parser(lines).run()


def parse_text(text: str) -> dict[str, Any]:
    """Parse text extracted from a document (the seeds' format)."""
    return parse_lines(_text_lines(text))


def parse(path: Path | str) -> dict[str, Any]:
    """Read a .docx or a plain-text document into a document dict in the YAML schema.

    Missing fields are None (title, signer.title) or absent (issuer keys, so a profile can supply
    them); see the module docstring for what a user typically has to complete."""
    return parse_lines(read_lines(path))


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
    signer = data.get("signer") or {}
    if not signer:
        out.append("signer")
    else:
        out += [f"signer.{k}" for k in ("title", "name") if not signer.get(k)]
    return out


class _Dumper(yaml.SafeDumper):
    pass


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


_Dumper.add_representer(str, _str)


def to_yaml(data: dict[str, Any], source: str = "") -> str:
    lines = [f"# Đọc từ (parsed from) {source}" if source else "# Đọc từ văn bản (parsed document)"]
    todo = missing_fields(data)
    if todo:
        lines.append("# Cần bổ sung trước khi dựng (to complete before rendering): " + "; ".join(todo))
    if not data.get("issuer") or "level" not in data["issuer"]:
        lines.append("# profile: <tên hồ sơ cơ quan, ví dụ ubnd-tinh-thai-nguyen>")
    text = yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, default_flow_style=False, width=110)
    return "\n".join(lines) + "\n" + text


def parse_to_yaml(path: Path | str, out: Path | str) -> Path:
    """Parse `path` and write readable YAML to `out` (UTF-8, block style, the example's key order)."""
    data = parse(path)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(to_yaml(data, Path(path).name), encoding="utf-8")
    return out
