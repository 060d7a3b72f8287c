"""The ND30 line patterns, each written once. A pattern prints a line (compose), matches it strictly or
leniently (check) and reads its values back (parse), the way one babel date pattern drives both
format_date and parse_date. Formats (sizes, bold, alignment) are data: data/nd30.yaml `elements`."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from functools import cache, lru_cache

from .. import rules
from . import specs
from .specs import Kind, kinds

DRAFT_GAP = " " * 6  # what a văn thư fills by hand: "Số:      /KH-UBND", "ngày      tháng"
_CAP = "A-ZĐÂĂÊÔƠƯÀ-ỸẠ-Ỹ"  # initial capitals for a regex class; case is tested with str methods
_WORD = "A-Za-zĐđÀ-ỹ&"


def pad_day(day: int) -> str:
    return f"{day:02d}"


def pad_month(month: int) -> str:
    """NĐ 30 PL I II.4: months 1 and 2 get a leading zero, months 3–12 do not."""
    return f"{month:02d}" if month < 3 else str(month)


def long_date(d: date) -> str:
    """'ngày 05 tháng 01 năm 2020' (date line and formal citations)."""
    return f"ngày {pad_day(d.day)} tháng {pad_month(d.month)} năm {d.year}"


@dataclass(frozen=True, slots=True)
class NumberRead:
    number: str  # digits as written ("" in a draft)
    gap: str  # spaces between the number and "/"
    colon: bool
    code: str  # everything after "/", as written
    symbol: str  # the ký hiệu: first token of `code`, without a trailing "."


class SoKyHieu:
    """Ô 3: 'Số: 05/KH-UBND'."""

    LOOSE = re.compile(r"^Số\b\s*(?P<colon>:?)\s*(?P<num>\d*)(?P<gap>\s*)/(?P<code>.*)$", re.IGNORECASE)
    GROUP = re.compile(rf"^[{_CAP}][{_WORD}0-9]*$")  # "THPTCL2": a school's number is part of its name
    SYMBOL = re.compile(rf"^[{_CAP}][{_WORD}0-9]*(-[{_CAP}][{_WORD}0-9]*)+$")  # the whole ký hiệu: KH-UBND
    HEAD = re.compile(r"^Số\s*:?\s*\d*\s*$")  # "Số: 4595" cut from its "/KH-UBND" by text extraction
    STRICT = re.compile(rf"^Số: ?(0[1-9]|[1-9]\d+| +)?/[{_CAP}][{_WORD}0-9]*(-[{_CAP}][{_WORD}0-9]*)+$")
    # OCR: whatever fills the number (a handwritten number reads as any letters)
    SLOT = re.compile(r"^(?P<so>Số\s*:)\s*(?P<n>[^/\s][^/]*?)\s*(?P<rest>/\s*[A-ZĐ].*)$")

    def format(self, number: int | None, symbol: str) -> str:
        return f"Số:{DRAFT_GAP}/{symbol}" if number is None else f"Số: {number:02d}/{symbol}"

    def match(self, text: str, *, strict: bool = False) -> bool:
        return bool((self.STRICT if strict else self.LOOSE).match(text))

    def read(self, text: str) -> NumberRead | None:
        m = self.LOOSE.match(text)
        if m is None:
            return None
        code = m["code"]
        token = code.strip().split()[0].rstrip(".") if code.strip() else ""
        return NumberRead(m["num"], m["gap"], bool(m["colon"]), code, token)


@dataclass(frozen=True, slots=True)
class DateRead:
    place: str
    comma: bool
    day: str
    month: str
    year: str
    tail: str  # text after the year: "" on a real date line


class DateLine:
    """Ô 4: 'Hà Nội, ngày 05 tháng 3 năm 2026'; a draft: 'Hà Nội, ngày      tháng      năm 2026'."""

    LOOSE = re.compile(
        r"^(?P<place>[^,\d\-(][^,]{0,60}?|)\s*(?P<comma>,?)\s*ngày(?![^\s.…\d])[\s.…]*(?P<d>\d{1,2})?[\s.…]*"
        r"tháng[\s.…]*(?P<m>\d{1,2})?[\s.…]*năm[\s.…]*(?P<y>\d*)\s*\.?(?P<tail>.*)$"
    )
    STRICT = re.compile(
        rf"^(?P<place>[{_CAP}][^,]*), ngày (?P<d>0[1-9]|[12]\d|3[01]| +) tháng "
        r"(?P<m>0[12]|[3-9]|1[0-2]| +) năm (?P<y>\d{4})$"
    )
    SLOTS = re.compile(  # OCR: whatever fills the day and month (a handwritten day reads as any letters)
        r"^(?P<place>[^,\d]{2,40},\s*ngày)\s*(?P<d>\S*?)\s*(?P<t>tháng)\s*(?P<m>\S*?)\s*(?P<y>năm\b)"
    )

    def format(self, place: str, d: date | None, year: int) -> str:
        if d is None:
            return f"{place}, ngày{DRAFT_GAP}tháng{DRAFT_GAP}năm {year}"
        return f"{place}, {long_date(d)}"

    def match(self, text: str, *, strict: bool = False) -> bool:
        if strict:
            blanks = re.sub(r"tháng +năm", "tháng   năm", re.sub(r"ngày +tháng", "ngày   tháng", text))
            return bool(self.STRICT.match(blanks))
        r = self.read(text)
        return r is not None and not r.tail.strip()

    def read(self, text: str) -> DateRead | None:
        m = self.LOOSE.match(text) if "tháng" in text else None  # most lines have none: not worth the regex
        if m is None or text.startswith(("V/v", "v/v")):  # a trích yếu may mention a date
            return None
        return DateRead(m["place"].strip(), bool(m["comma"]), m["d"] or "", m["m"] or "", m["y"], m["tail"])


class Prefixed:
    """A line opened by a fixed label: 'V/v …', 'Kính gửi: …', 'Nơi nhận:', '- Lưu: VT, …'."""

    def __init__(self, label: str, *, colon: bool, end: str = "", lead: str = "") -> None:
        self.label = label
        self.lead = lead
        self.colon = ":" if colon else ""
        self.end = end
        sep = r"\s*(?P<colon>[:.]?)" if colon or label == "V/v" else "(?P<colon>)"
        self.LOOSE = re.compile(rf"^(?:{re.escape(lead.strip())})?\s*{re.escape(label)}\b{sep}\s*(?P<rest>.*)$", re.I)
        self.STRICT = re.compile(rf"^{re.escape(lead + label + self.colon)}(?: (?P<rest>\S.*))?$")

    def format(self, rest: str = "") -> str:
        return f"{self.lead}{self.label}{self.colon}" + (f" {rest}{self.end}" if rest else "")

    def match(self, text: str, *, strict: bool = False) -> bool:
        return bool((self.STRICT if strict else self.LOOSE).match(text))

    def read(self, text: str) -> str | None:
        m = self.LOOSE.match(text)
        return None if m is None else m["rest"].strip()

    def strip(self, text: str) -> str:
        """The text without its label: 'V/v tổ chức …' → 'tổ chức …'; other text as it is."""
        rest = self.read(text.strip())
        return rest if rest else text.strip()


VV = Prefixed("V/v", colon=False)
KINH_GUI = Prefixed("Kính gửi", colon=True)
NOI_NHAN = Prefixed("Nơi nhận", colon=True)
LUU = Prefixed("Lưu", colon=True, end=".", lead="- ")


def archive(text: str) -> str | None:
    """What a 'Lưu: VT, …' line of the Nơi nhận lists; None for another line ('- Lưu hồ sơ Tuần lễ;' with no
    colon and no 'VT' is a recipient)."""
    luu = LUU.read(text)
    if luu is None or not text.lstrip("-–+ ").startswith("Lưu"):
        return None
    return luu if ":" in text[:8] or luu.startswith("VT") else None


NOTE_LEAD = re.compile(r"^\(?(để|b/c|t/h|p/h|đ/b)\b")  # a Nơi nhận item's note: '(để báo cáo)', 'b/c'
LUU_STRICT = re.compile(r"^- Lưu: VT(, .+)?\.$")  # "VT" first, a final "." (drafter notes may hold dots)
NHU_TREN = "- Như trên;"


class SignerPrefix:
    """Ô 7a: 'TM. ỦY BAN NHÂN DÂN', 'KT. CHỦ TỊCH'; the old 'T/M', 'K/T', 'T.L' are read as their new form."""

    @property
    def prefixes(self) -> list[str]:
        return list(rules.nd30()["signer_prefixes"])

    @property
    def STRICT(self) -> re.Pattern[str]:
        return _signer_res()[0]

    @property
    def LOOSE(self) -> re.Pattern[str]:
        return _signer_res()[1]

    def format(self, prefix: str, rest: str) -> str:
        return f"{prefix} {rest}" if prefix else rest

    def match(self, text: str, *, strict: bool = False) -> bool:
        return bool((self.STRICT if strict else self.LOOSE).match(text))

    def read(self, text: str) -> tuple[str, str] | None:
        """'K/T CHỦ TỊCH' → ('KT.', 'CHỦ TỊCH')."""
        m = self.LOOSE.match(text)
        if m is None:
            return None
        letters = re.sub(r"[/.\s]", "", m.group(0)).upper()
        return letters + ".", text[m.end() :].strip()


@cache
def _signer_res() -> tuple[re.Pattern[str], re.Pattern[str]]:
    right = [p.rstrip(".") for p in rules.nd30()["signer_prefixes"]]
    wrong = rules.nd30()["signer_prefixes_wrong"] + ["K.T"]
    alts = "|".join(right)
    return (
        re.compile(rf"^({alts})\.\s"),
        re.compile(rf"^({alts})\b\.?\s*|^({'|'.join(re.escape(w) for w in wrong)})\b\.?\s*"),  # 'T/M.' too
    )


SO = SoKyHieu()
DATE = DateLine()
SIGNER = SignerPrefix()

# Ô 12: drafter's initials and copies, "PL.(300)".
KY_HIEU_SOAN = re.compile(rf"^[{_CAP}][{_WORD}]*\.\((?P<copies>\d+)\)$")
KY_HIEU_SOAN_LOOSE = re.compile(r"^[\w.()/\-]{3,30}$")

# Phụ lục (PL I III.1): "Phụ lục II", "(Kèm theo Kế hoạch số …)"; where the main text ends.
PHU_LUC = re.compile(r"^Phụ lục(?: (?P<num>[IVXLC]+|\d+))?$", re.IGNORECASE)
KEM_THEO = re.compile(r"^\((?:Kèm|Ban hành kèm) theo .+\)$")
ATTACHED = re.compile(r"^\((?:Kèm theo|Ban hành kèm theo|Đính kèm)\b")  # also the wrong '(Đính kèm …)'


@dataclass(frozen=True, slots=True)
class AttachedRead:
    lead: str  # "Kèm theo", "Ban hành kèm theo"
    kind: str  # the văn bản's tên loại as written: "Kế hoạch"
    number: str  # "" when blank (a draft; a file signed apart, whose ký số carries it: PL I III.1.c)
    symbol: str
    date: DateRead  # day and month "" when blank
    issuer: str


class AttachedLine:
    """PL I III.1.b, Mẫu 1.3, 2.2: '(Kèm theo Kế hoạch số 05/KH-UBND ngày 20 tháng 9 năm 2026 của Ủy ban nhân
    dân tỉnh Thái Nguyên)'; number, day and month left blank in a draft or a file signed apart."""

    LOOSE = re.compile(
        r"^\((?P<lead>(?:[^\W\d]+ ){0,3}?[Kk]èm theo)\s+(?P<kind>\S.*?)\s+số\s*(?P<num>\d*)\s*/\s*(?P<symbol>[^\s,;]+)"
        r"\s+(?P<when>ngày\b.*?năm\s*\d{4})\s+của\s+(?P<issuer>\S.*?)\s*\)$"
    )

    def format(
        self, kind: str, number: int | None, symbol: str, when: date | None, year: int, issuer: str, lead: str = ""
    ) -> str:
        num = DRAFT_GAP if number is None else f" {number:02d}"
        day = long_date(when) if when is not None else f"ngày{DRAFT_GAP}tháng{DRAFT_GAP}năm {year}"
        return f"({lead or 'Kèm theo'} {kind} số{num}/{symbol} {day} của {issuer})"

    def read(self, text: str) -> AttachedRead | None:
        m = self.LOOSE.match(re.sub(r"\s+", " ", text.strip()))
        when = DATE.read(m["when"]) if m else None
        if m is None or when is None or when.place or when.tail.strip():
            return None
        return AttachedRead(m["lead"], m["kind"], m["num"], m["symbol"], when, m["issuer"])


ATTACHED_LINE = AttachedLine()

APPENDIX_START = re.compile(r"^\(?\s*(MẪU|PHỤ LỤC|Phụ lục|Kèm theo|Ban hành kèm)\b")

# Đề mục (PL I II.6.đ) and the body's numbered lines.
PART_HEAD = re.compile(r"^(?P<word>Phần|Chương) (?P<n>[IVXLC]+|\d+)$")
SECTION_HEAD = re.compile(r"^(?P<word>Mục|Tiểu mục) (?P<n>\d+)$")
DIEU = re.compile(r"^Điều (?P<n>\d+)\.\s*(?P<t>.*)$")
ROMAN_ITEM = re.compile(r"^(?P<n>[IVXLC]{1,6})\.\s+(?P<t>\S.*)$")
ARABIC_ITEM = re.compile(r"^(?P<n>\d{1,2}\.|\d{1,2}(?:\.\d{1,2})+\.?)\s+(?P<t>\S.*)$")
DIEM = re.compile(r"^(?P<n>[a-zđ])\)\s+(?P<t>\S.*)$")
DASH_ITEM = re.compile(r"^(?:(?P<m>[-–—+•])\s*)+(?P<t>\S.*)$")
SEPARATOR = re.compile(r"^[\s_\-–—=.*]{3,}$")  # a drawn-by-hand rule: "________", "-----"


@lru_cache(maxsize=512)  # the checker asks again for the same lines, document after document
def bare(text: str) -> str:
    """Lower case, without diacritics and spaces collapsed: finds 'CONG HOA …' or 'Kinh gui:' typed without
    them (the rules judge the spelling)."""
    t = " ".join(unicodedata.normalize("NFD", text.lower()).split()).replace("đ", "d")
    ascii_ = t.encode("ascii", "ignore")
    if len(t) - len(ascii_) == sum(map(t.count, _VI_MARKS)):  # all it dropped are Vietnamese marks
        return ascii_.decode()
    return t.translate(_UNMARKED)


_VI_MARKS = "\u0300\u0301\u0302\u0303\u0306\u0309\u031b\u0323"  # the tones, circumflex, breve and horn, NFD


def bare_starts(text: str, lead: str) -> bool:
    """bare(text).startswith(lead), for a `lead` in ASCII, read from the start of `text` when that says it (bare of
    a text's start is a start of its bare): a long line of the body is not made bare to be told it is no label."""
    head = bare(text[: len(lead) + 16])
    return head.startswith(lead) if len(head) >= len(lead) else bare(text).startswith(lead)


class _Unmarked(dict[int, int | str | None]):
    """str.translate's table for bare(): a combining mark dropped, 'đ' read as 'd', every other character
    kept; each character judged once (a body line naming its unit is new to bare's cache, its letters not)."""

    def __missing__(self, code: int) -> int | None:
        kept = None if unicodedata.combining(chr(code)) else code
        self[code] = kept
        return kept


_UNMARKED = _Unmarked({ord("đ"): "d"})


@lru_cache(maxsize=1024)  # asked of the first lines of every document of a batch
def quoc_hieu(text: str, *, within: bool = False) -> bool:
    """Ô 1a, the Quốc hiệu: exactly (either tone placement), misspelt ('CỘNG HÕA …', no diacritics) or, with
    `within`, inside a longer extracted line."""
    up = unicodedata.normalize("NFC", text.upper()).strip()
    accepted = _quoc_hieu_accepted()
    if (any(q in up for q in accepted)) if within else up in accepted:
        return True
    b = bare(text)
    return b.startswith("cong h") and b.endswith("xa hoi chu nghia viet nam") and len(b) < 40


@cache
def _quoc_hieu_accepted() -> tuple[str, ...]:
    return tuple(unicodedata.normalize("NFC", q.upper()) for q in rules.nd30()["quoc_hieu_accepted"])


def tieu_ngu(text: str) -> bool:
    """Ô 1b, the Tiêu ngữ, whatever its dashes and spaces."""
    return _TN_GAPS.sub("", text.lower()) == _tieu_ngu_key()


_TN_GAPS = re.compile(r"[\s\-–—]")  # what may stand between the Tiêu ngữ's words


@cache
def _tieu_ngu_key() -> str:
    return _TN_GAPS.sub("", rules.nd30()["tieu_ngu"].lower())


@cache
def _named_kinds() -> tuple[Kind, ...]:
    """The kinds with a tên loại, longest name first: not a công văn, not a file signed apart."""
    named = (k for k in kinds().values() if not (k.is_cong_van or k.separate))
    return tuple(sorted(named, key=lambda k: -len(k.name)))


@cache
def _named_by_word() -> dict[str, list[tuple[Kind, str]]]:
    """_named_kinds with their folded names, by the names' first word (the order kept)."""
    out: dict[str, list[tuple[Kind, str]]] = {}
    for kind in _named_kinds():
        name = fold(kind.name)
        out.setdefault(name.partition(" ")[0], []).append((kind, name))
    return out


def ten_loai(text: str, *, any_case: bool = False) -> tuple[Kind, str] | None:
    """Ô 5a, the tên loại, in capitals as the page shows it: 'KẾ HOẠCH' → (kế hoạch, ''); a caps line that
    carries part of the subject, 'GIẤY MỜI HỌP', → (giấy mời, ''); one extracted line 'KẾ HOẠCH Tổ chức …' →
    (kế hoạch, 'Tổ chức …'), the trích yếu that followed it. `any_case` also finds 'Kế hoạch' (for the
    checker, which then says it is not in capitals). A công văn has none."""
    line = " ".join(unicodedata.normalize("NFC", text).split())
    named = _named_by_word().get(fold(line.partition(" ")[0]))  # the kinds whose name opens with its first word
    if named is None:
        return None
    key = fold(line)
    for kind, name in named:
        if not (key == name or key.startswith(name + " ")):
            continue
        if not any_case and not line[: len(name)].isupper():
            return None
        rest = line[len(name) :].strip()
        letters = [c for c in rest if c.isalpha()]
        if not letters or all(c.isupper() for c in letters):
            return (kind, "") if len(line) <= 80 else None
        return kind, rest
    return None


# Old and new tone placement are equal for comparisons (nd30.md §13, "checker normalisation").
_TONE_PAIRS = [
    ("oà", "òa"), ("oá", "óa"), ("oả", "ỏa"), ("oã", "õa"), ("oạ", "ọa"),
    ("uỳ", "ùy"), ("uý", "úy"), ("uỷ", "ủy"), ("uỹ", "ũy"), ("uỵ", "ụy"),
    ("oè", "òe"), ("oé", "óe"), ("oẻ", "ỏe"), ("oẽ", "õe"), ("oẹ", "ọe"),
]  # fmt: skip


@lru_cache(maxsize=1024)
def fold(text: str) -> str:
    """Comparison key: NFC, case-folded, tone placement unified ('Hoà' = 'Hòa'), single spaces."""
    t = " ".join(unicodedata.normalize("NFC", text).split()).lower()
    return _OLD_TONES.sub(_new_tone, t)


_OLD_TONES = re.compile("|".join(old for old, _ in _TONE_PAIRS))
_NEW_TONES = dict(_TONE_PAIRS)


def _new_tone(m: re.Match[str]) -> str:
    return _NEW_TONES[m[0]]


def person_name(text: str, *, titles: bool = False) -> bool:
    """Ô 7c, họ tên: 2–7 words, each a capital then lower case ('Nguyễn Văn An'); with `titles`, a word
    ending in '.' may stay as it is ('TS.'). Case is tested with str methods: a regex range 'à-ỹ' would
    also take Vietnamese capitals. An armed forces' rank may lead it (nd30.yaml `military_ranks`)."""
    text = re.sub(r"\s+", " ", text).strip()
    rank = next((r for r in rules.nd30()["military_ranks"] if text.startswith(r + " ")), None)
    words = text[len(rank) + 1 :].split() if rank else text.split()  # "Thiếu tướng Trương Minh Đương"
    if not 2 <= len(words) <= 7:
        return False
    for w in words:
        w = w.strip(".,")
        if not w or not w[0].isupper():
            return False
        if len(w) > 1 and not w[1:].islower() and not (titles and w.endswith(".")):
            return False
    return True


def academic_title(name: str) -> str | None:
    """'TS. Nguyễn Văn A' → 'TS': a học hàm/học vị the signer's name must not carry (PL I II.7.c)."""
    titles = "|".join(re.escape(t) for t in rules.nd30()["academic_titles"])
    m = re.match(rf"^({titles})\.?\s", name)
    return m.group(1) if m else None


# Optional marks and lines around the document (PL I III.2–4, II.8.b; Phụ lục III Mẫu 3.1).
CONTACT = re.compile(r"^(Địa chỉ|ĐT|Điện thoại|Fax|E-?mail|Website)\s*:", re.IGNORECASE)  # ô 13
AGENCY_SIGNED = re.compile(r"^(Ký bởi|Người ký|Thời gian ký|Cơ quan)\s*:", re.IGNORECASE)  # ký số box


@dataclass(frozen=True, slots=True)
class KySoRead:
    parts: tuple[str, ...]  # what precedes the time: ("Số: 05/KH-UBND",) or ("SAO Y", "SỞ …")
    time: datetime | None  # None: no time in the Mẫu's form
    zone: bool  # the time carries its ISO 8601 offset


class KySoBox:
    """The agency's ký số box as the Mẫu prints it (kinds.yaml `ky_so`): 'Số: 05/KH-UBND; 20/09/2026;
    16:05:12+07:00' (Mẫu 1.3 điện tử, 2.2), 'SAO Y; SỞ …; 17/09/2026; 09:30:00+07:00' (Mẫu 3.2)."""

    LOOSE = re.compile(r"^(Số\s*:|SAO Y\b|SAO LỤC\b|TRÍCH SAO\b).*;.*\d{1,2}/\d{1,2}/\d{4}")

    @property
    def TIME(self) -> re.Pattern[str]:
        return _ky_so_time()

    def time(self, when: datetime) -> str:
        """'20/09/2026; 16:05:12+07:00': Vietnam time (an aware time converted to it, a naive one taken as it)."""
        spec = specs.ky_so()
        if when.tzinfo is not None:
            when = when.astimezone(_zone(spec["zone"])).replace(tzinfo=None)
        return when.strftime(spec["time"]) + spec["zone"]

    def format(self, what: str, when: datetime, **values: str) -> str:
        """The box of `what` (van_ban, ban_sao) with its values: number, mark, agency."""
        return specs.ky_so()[what].format(time=self.time(when), **values)

    def match(self, text: str) -> bool:
        return bool(self.LOOSE.match(text))

    def fields(self, text: str) -> tuple[str, dict[str, str], datetime] | None:
        """The box read back by the pattern that printed it: ('van_ban', {'number': 'Số: 05/KH-UBND'}, time)
        or ('ban_sao', {'mark': 'SAO Y', 'agency': 'Sở …'}, time); the time aware when it has its offset."""
        for what, pattern in _ky_so_fields().items():
            if m := pattern.match(text.strip()):
                values = {k: v.strip() for k, v in m.groupdict().items() if k not in _TIME_GROUPS}
                when = datetime(int(m["y"]), int(m["m"]), int(m["d"]), int(m["H"]), int(m["M"]), int(m["S"]))
                return what, values, when.replace(tzinfo=_zone(m["zone"])) if m["zone"] else when
        return None

    def read(self, text: str) -> KySoRead | None:
        if not self.LOOSE.match(text):
            return None
        m = self.TIME.search(text)
        head = text[: m.start()] if m else text
        parts = tuple(x.strip() for x in head.split(";") if x.strip())
        if m is None:
            return KySoRead(parts, None, False)
        when = datetime(int(m["y"]), int(m["m"]), int(m["d"]), int(m["H"]), int(m["M"]), int(m["S"]))
        return KySoRead(parts, when.replace(tzinfo=_zone(m["zone"])) if m["zone"] else when, bool(m["zone"]))


def _zone(text: str) -> timezone:
    if text == "Z":
        return UTC
    sign = -1 if text.startswith("-") else 1
    hours, minutes = text[1:].split(":")
    return timezone(sign * timedelta(hours=int(hours), minutes=int(minutes)))


_TIME_GROUPS = ("d", "m", "y", "H", "M", "S", "zone")


def _time_pattern() -> str:
    """The time pattern of kinds.yaml as a regex (%d as two digits named d …), then the offset."""
    fields = {"%d": r"(?P<d>\d{2})", "%m": r"(?P<m>\d{2})", "%Y": r"(?P<y>\d{4})"}
    fields |= {"%H": r"(?P<H>\d{2})", "%M": r"(?P<M>\d{2})", "%S": r"(?P<S>\d{2})"}
    pattern = re.sub(r"%[dmYHMS]", lambda f: fields[f.group(0)], re.escape(specs.ky_so()["time"]))
    return pattern + r"(?P<zone>[+-]\d{2}:\d{2}|Z)?"


@cache
def _ky_so_time() -> re.Pattern[str]:
    return re.compile(_time_pattern() + r"\s*$")


@cache
def _ky_so_fields() -> dict[str, re.Pattern[str]]:
    """Each box of kinds.yaml `ky_so` as a regex: '{number}; {time}' → its values by name, then the time."""
    out = {}
    for what, text in specs.ky_so().items():
        if what in ("time", "zone"):
            continue
        pieces = re.split(r"\{(\w+)\}", text)  # literal, name, literal, name …
        slot = {"time": _time_pattern()}
        regex = "".join(
            re.escape(x).replace(r"\ ", r"\s*") if i % 2 == 0 else slot.get(x, rf"(?P<{x}>[^;]+?)")
            for i, x in enumerate(pieces)
        )
        out[what] = re.compile(rf"^{regex}\s*$")
    return out


KY_SO = KySoBox()
COPY_MARK = re.compile(r"^(SAO Y( BẢN CHÍNH)?|SAO LỤC|TRÍCH SAO)\b")  # a bản sao's own header
YEAR_NUMBER = re.compile(r"^\d*/\d{4}/")  # "30/2020/NĐ-CP": how a legal normative document is numbered


_MARKED_LABELS = ("Số", "Kính gửi", "Nơi nhận", "Lưu")  # the fixed words opening ô 3, 9a, 9b and the Lưu line
_DATE_WORDS = {"ngay": "ngày", "thang": "tháng", "nam": "năm"}


def with_marks(text: str) -> str:
    """A line of a text that lost all its diacritics, with the law's fixed words put back so that the patterns
    above read it: 'So: /BTC-TCCB' → 'Số: /BTC-TCCB', '- Luu: VT, …' → '- Lưu: VT, …', 'Ha Noi, ngay thang 3 nam
    2026' → 'Ha Noi, ngày tháng 3 năm 2026'. The values stay as written; any other line is returned as it is."""
    lead = len(text) - len(text.lstrip("-–+ "))
    for label in _MARKED_LABELS:
        end = lead + len(label)
        if bare(text[lead:end]) == bare(label) and text[end:].lstrip().startswith(":"):
            marked = text[:lead] + label + text[end:]
            return marked if label != "Số" or SO.read(marked) else text
    dated = re.sub(r"\b(ngay|thang|nam)\b", lambda m: _DATE_WORDS[m[1]], text)
    found = DATE.read(dated)
    return dated if found and found.place and len(found.year) == 4 and not found.tail.strip() else text


# OCR reads a gap into a document's number: 'Kế hoạch số 1 105/KH-ĐKT' (a số is written without separators).
SPLIT_NUMBER = re.compile(r"(?<=\bsố )(\d{1,3}) (\d{3})(?=\s*/)", re.IGNORECASE)


def join_number(text: str) -> str:
    """'số 1 105/KH-ĐKT' → 'số 1105/KH-ĐKT' (text read by OCR)."""
    return SPLIT_NUMBER.sub(r"\1\2", text)


def cut_word(before: str, after: str) -> bool:
    """A line ends in a word cut at its hyphen or slash and the next goes on with it ('17/2022/NĐ-' / 'CP',
    '845/TTr-' / 'SGDĐT', '01–' / '07/10/2026'): joined without a space. A dash standing alone ('Kinh tế -' /
    'Xã hội') is no cut."""
    return before[-1:] in ("-", "–", "/") and before[-2:-1].isalnum() and after[:1].isalnum()


# The words that open the issuer's own sentence after a căn cứ: '…; sau khi xem xét …', '…, để đánh giá …',
# '… 16/3/2026. Trên cơ sở kết quả kiểm tra, …' (the purpose or the finding, no longer the document cited).
OWN_WORDS = re.compile(r"^(?:sau khi|trên cơ sở|để|nhằm)\s", re.IGNORECASE)


def basis_leads() -> list[str]:
    """'Căn cứ', 'Theo đề nghị', 'Xét đề nghị', 'Xét': the leads of a căn cứ (nd30.yaml `basis_leads_italic`)."""
    return list(rules.nd30()["basis_leads_italic"])


def basis_lead(text: str, leads: Sequence[str] | None = None) -> str | None:
    """'Căn cứ', 'Theo đề nghị', 'Xét đề nghị' … opening a căn cứ line (`basis_leads`)."""
    options, opens = _longest_first(tuple(leads if leads is not None else basis_leads()))
    if not text.startswith(opens):  # most lines open with none of them
        return None
    return next(x for x, lead in options if text.startswith(lead))


@lru_cache(maxsize=64)
def _longest_first(leads: tuple[str, ...]) -> tuple[tuple[tuple[str, str], ...], tuple[str, ...]]:
    """The leads longest first, each with the space that ends it; and those as one tuple for str.startswith."""
    options = tuple((x, x + " ") for x in sorted(leads, key=len, reverse=True))
    return options, tuple(lead for _, lead in options)


def urgency_words() -> list[str]:
    """'KHẨN', 'THƯỢNG KHẨN', 'HỎA TỐC' (NĐ 30 Điều 15; the old tone placement 'HOẢ' is read too)."""
    return list(rules.nd30()["urgency"])
