"""Where the ND30 elements of a document are: what a line is from its text alone (`role`), and the one
element finder (`elements`) that check (over a .docx's paragraphs, check/locate) and parse (over any
reader's lines) share. Layout facts (cell, bold, alignment) only refine the text; the text patterns are
law.lines'. A source without layout (PDF, OCR, web text) is read the way it prints, line after line: the
header's two cells interleaved, a số cut from its ký hiệu, a V/v, trích yếu or căn cứ wrapped onto more lines;
parse reads the content of what is found here."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, fields
from enum import Enum
from functools import cache, lru_cache
from typing import Any, NamedTuple, Protocol

from ..lazy import lazy
from . import lines as L
from . import specs
from .specs import Kind, body_types, cited_names, cong_van, kinds


class Role(Enum):
    """The ND30 element a line opens (ô numbers of Phụ lục I where they have one)."""

    QUOC_HIEU = "1a"
    TIEU_NGU = "1b"
    SO = "3"
    DATE = "4"
    TEN_LOAI = "5a"
    VV = "5b"
    KINH_GUI = "9a"
    BASIS = "can_cu"
    SIGNER = "7a"
    NOI_NHAN = "9b"
    HEADING = "de_muc"
    ITEM = "diem"


@lru_cache(maxsize=2048)  # asked of the header's lines, document after document
def role(text: str) -> Role | None:
    """The element `text` (one line, spaces normalised) opens, or None for running text."""
    if L.quoc_hieu(text):
        return Role.QUOC_HIEU
    if L.tieu_ngu(text):
        return Role.TIEU_NGU
    if L.SO.match(text):
        return Role.SO
    if L.DATE.match(text):
        return Role.DATE
    if L.VV.match(text):
        return Role.VV
    if L.KINH_GUI.match(text):
        return Role.KINH_GUI
    if L.NOI_NHAN.match(text):
        return Role.NOI_NHAN
    if L.SIGNER.match(text) and is_caps(text):
        return Role.SIGNER
    if L.basis_lead(text, ["Căn cứ", "Thực hiện", "Theo đề nghị", "Xét đề nghị", "Xét"]):
        return Role.BASIS
    if L.ten_loai(text):
        return Role.TEN_LOAI
    if _heading(text):
        return Role.HEADING
    if L.DIEM.match(text) or L.DASH_ITEM.match(text):
        return Role.ITEM
    return None


@lru_cache(maxsize=2048)  # the finder asks about the same lines many times; a batch's own lines churn
def is_caps(text: str) -> bool:
    """Written in capitals (two letters at least): a header, tên loại or signer line."""
    letters = 0
    for c in text:  # a line of text ends it at its first small letter
        if c.isalpha():
            if not c.isupper():
                return False
            letters += 1
    return letters >= 2


@cache
def _cites() -> re.Pattern[str]:
    """A căn cứ cites a document (or a proposal): "Căn cứ Luật …", "Căn cứ Công văn số …", "Theo đề nghị của …"."""
    names = sorted({k.name for k in kinds().values() if not k.separate} | set(cited_names()), key=len, reverse=True)
    return re.compile(rf"\b({'|'.join(map(re.escape, names))})\b|\bsố \d+/|^(Theo|Xét) đề nghị của\b")


def cites(text: str) -> bool:
    return bool(_cites().search(text))


def cited_first(text: str) -> bool:
    """A line that opens with the document it cites: 'Thông tư số 15/2026/TT-BCT …', 'Luật sửa đổi …'."""
    m = _cites().search(text)
    return m is not None and m.start() == 0 and bool(m.group(1))


BASIS_LEADS_CITED = ["Thực hiện"]  # a lead that opens a căn cứ only when it cites a document


def basis_line(text: str) -> bool:
    """A line that opens a căn cứ as a text copy shows one: a căn cứ lead (nd30.yaml `basis_leads_italic`), or
    'Thực hiện' citing a document, also by its kind in lower case ('Thực hiện kế hoạch công tác … của Ủy ban
    nhân dân xã'; 'Thực hiện nhiệm vụ năm học …' is an opening sentence)."""
    lead = L.basis_lead(text, _basis_line_leads())
    if lead is None or lead not in BASIS_LEADS_CITED:
        return lead is not None
    rest = text[len(lead) :].strip()
    return cites(rest) or cited_first(rest[:1].upper() + rest[1:])


@cache
def _basis_line_leads() -> tuple[str, ...]:
    return (*L.basis_leads(), *BASIS_LEADS_CITED)


def is_basis(text: str) -> bool:
    """A căn cứ ban hành: an italic lead ('Căn cứ', 'Theo đề nghị' …) citing a document; 'Căn cứ tình hình …'
    that cites nothing is body text."""
    return L.basis_lead(text) is not None and cites(text)


def opens_body(text: str) -> bool:
    """A header line that opens an issuing body's name ('SỞ …', 'ỦY BAN NHÂN DÂN …'; levels.yaml body_types)."""
    t = L.fold(text)
    words, opens = _body_words()
    return t in words or t.startswith(opens)


@cache
def _body_words() -> tuple[frozenset[str], tuple[str, ...]]:
    """levels.yaml body_types folded, and each with the space after it (for str.startswith)."""
    words = folded(tuple(body_types()))
    return words, tuple(w + " " for w in words)


def header_like(text: str) -> bool:
    """A line of the header's left column: the issuer in capitals, the số, a V/v, or the date line."""
    return bool((is_caps(text) and len(text) > 4) or text.startswith("Số") or role(text) in (Role.VV, Role.DATE))


@lru_cache(maxsize=2048)  # asked of every line: a batch's documents share most of them
def quoc_hieu_line(text: str) -> bool:
    """The Quốc hiệu on an extracted line, also with words glued by a PDF ('CỘNG HÒA XàHỘI …')."""
    if len(text) > 60:  # '… nước Cộng hòa Xã hội Chủ nghĩa Việt Nam;' in a sentence
        return False
    return L.quoc_hieu(text, within=True) or "conghoaxahoichunghiavietnam" in L.bare(text).replace(" ", "")


@cache
def _kind_codes() -> list[str]:
    return sorted(specs.kind_codes(), key=len, reverse=True)


@lru_cache(maxsize=256)  # the same few numbers' codes, document after document
def symbol(code: str) -> str | None:
    """The ký hiệu after 'Số: N/': '67 /TTr - UBND' → 'TTr-UBND'; None when there is none."""
    words = _SPACED_JOINS.sub(_join, code.strip()).split()
    token = words[0].rstrip(".,;") if words else ""
    if "-" not in token:  # 'QĐUBND': a PDF extraction lost the hyphen after the kind's code
        for c in _kind_codes():
            if token.startswith(c) and len(token) > len(c) + 1 and token[len(c)].isupper():
                token = f"{c}-{token[len(c) :]}"
                break
    return token if token and (token[:1].isalpha() or L.YEAR_NUMBER.match(f"1/{token}")) else None


_SPACED_JOINS = re.compile(r"\s*([-/])\s*")


def _join(m: re.Match[str]) -> str:
    return m[1]


OCR_SYMBOL = re.compile(r"([A-ZĐ][A-Za-zĐđ&]*(?:-[A-ZĐ][A-Za-zĐđ&0-9]*)+)\s*$")  # 'Số1§4ØBGDĐT-GDPT'
SYMBOL_TAIL = re.compile(r"[A-ZĐ&]{2,10}(?:-[A-ZĐ&]{2,10})*")  # 'Số: 255/BC-BCĐPCGD-' … 'XMC' printed below


def date_line(text: str) -> bool:
    """The place and date line (ô 4) with its place and a four-digit year."""
    dl = L.DATE.read(text)
    return bool(dl and dl.place and len(dl.year) == 4)


def is_mark(text: str) -> bool:
    """'HỎA TỐC', 'KHẨN', 'MẬT', 'LƯU HÀNH NỘI BỘ': urgency and circulation marks (nd30.yaml)."""
    return L.fold(text) in _marks()


@cache
def _marks() -> frozenset[str]:
    return folded((*L.urgency_words(), *L.rules.nd30()["circulation"]))


@lru_cache(maxsize=16)  # a few word lists of the data, asked of line after line
def folded(words: tuple[str, ...]) -> frozenset[str]:
    """The words' comparison keys (law.lines.fold), folded once rather than at every line compared."""
    return frozenset(L.fold(w) for w in words)


def is_draft_mark(text: str) -> bool:
    return L.fold(text) in ("dự thảo", "du thao")


def issuers_in(code: str | None) -> int:
    """How many issuers a ký hiệu names after its kind's code: 'KH-SGDĐT-SVHTTDL' → 2 (a văn bản liên tịch);
    1 when it cannot tell (a công văn's 'UBND-VP' is issuer and unit)."""
    groups = (code or "").split("-")
    return len(groups) - 1 if len(groups) > 2 and groups[0] in _kind_codes() else 1


def issuer_split(bodies: list[bool], bolds: list[bool] | None = None, issuers: int = 1) -> int:
    """Where the issuing body starts among the header's left lines (ô 2; `bodies`: whether each opens a body's
    name, opens_body): after the leading non-bold chủ quản lines when the layout says which are bold;
    otherwise (all bold, or text without layout) at the last line that opens a body's name ('UBND TỈNH LÀO
    CAI' over 'SỞ CÔNG THƯƠNG')."""
    split = 0
    if bolds is not None and any(bolds):
        while split < len(bodies) and not bolds[split]:
            split += 1
    if split == 0 and (bolds is None or all(bolds)):
        opens = [i for i, body in enumerate(bodies) if i and body]
        split = opens[-1] if opens else 0
        if len(opens) >= 2 and bodies[0]:  # 'BỘ CÔNG AN' / 'BỘ QUỐC PHÒNG' / 'BỘ Y TẾ' …:
            split = 0  # the issuers of a văn bản liên tịch, stacked, none of them a chủ quản
        elif issuers > 1 and len(opens) >= issuers:
            split = opens[-issuers]  # as many issuers as its ký hiệu names, stacked under their chủ quản
    return split


# ---------------------------------------------------------------------------- the element finder
# One walk for check and parse: the readers' lines, with whatever layout their source has, → the ND30
# elements (ô 1–14 and the body parts). check/locate gives .docx paragraphs (a handle on each); parse gives
# the lines of any reader (PDF, OCR, web text have no layout: the finder then goes by text alone).


class Slot(NamedTuple):
    """A table cell's place: which table (any key unique in the document), row and grid column."""

    table: object
    row: int
    col: int


def _may_open_qh(text: str) -> bool:
    """The Quốc hiệu (L.quoc_hieu: an accepted form, or one whose bare form opens 'cong h') opens with a 'C' or
    'c', or with a letter outside ASCII that may be one with its marks ('Č', 'ç'): a line opening with another
    ASCII character is none."""
    first = text.lstrip()[:1]
    return first in ("C", "c") or first > "\x7f"


class Facts:
    """What the finder reads of one line's text, each fact worked out on first use and then kept: one Facts
    per distinct text (`facts_of`), so that the finder's walks over a document's lines read attributes, and
    a batch's documents, which share most of their lines, share the work. `raw` is the text as given; each
    fact is of it or of its normal form (`norm`). (The lambdas call the module's functions of the same names.)"""

    def __init__(self, raw: str) -> None:
        self.raw = raw

    norm = lazy(lambda f: norm(f.raw))
    blank = lazy(lambda f: not f.raw.strip())  # nothing but spaces
    bare = lazy(lambda f: L.bare(f.raw))
    fold = lazy(lambda f: L.fold(f.norm))
    caps = lazy(lambda f: is_caps(f.norm))
    person = lazy(lambda f: L.person_name(f.raw))  # L.person_name of the text as written
    qh = lazy(lambda f: _may_open_qh(f.raw) and L.quoc_hieu(f.raw))  # L.quoc_hieu of the text as written
    qh_line = lazy(lambda f: quoc_hieu_line(f.norm))
    ky_so = lazy(lambda f: ";" in f.raw and _ky_so_box(f.raw))
    separator = lazy(lambda f: bool(L.SEPARATOR.match(f.raw)))
    copy_mark = lazy(lambda f: bool(L.COPY_MARK.match(f.raw.strip())))
    underscores = lazy(lambda f: len(t := f.raw.strip()) >= 3 and set(t) <= {"_"})
    nn_label = lazy(lambda f: f.nn_lead and f.bare.rstrip(" :") == "noi nhan")  # 'Nơi nhận:' alone
    nn_lead = lazy(lambda f: L.bare_starts(f.raw, "noi nhan"))  # 'Nơi nhận' opening the line
    kg_lead = lazy(lambda f: L.bare_starts(f.raw, "kinh gui"))  # 'Kính gửi' opening the line (bare)
    header_like = lazy(lambda f: header_like(f.norm))
    so = lazy(lambda f: L.SO.read(f.norm))
    # 'SỐ 1050/QĐ-SCT' in capitals without its colon
    names_a_number = lazy(lambda f: f.so is not None and not f.so.colon and f.norm.isupper())
    dated = lazy(lambda f: L.DATE.read(f.norm))
    date = lazy(lambda f: f.dated is not None and not f.dated.tail.strip())  # L.DATE.match
    place_colon = lazy(lambda f: ":" in f.norm.partition(",")[0])  # a ':' before the first ',': no place name
    vv = lazy(lambda f: bool(L.VV.match(f.norm)))
    kg = lazy(lambda f: L.KINH_GUI.match(f.norm))
    is_mark = lazy(lambda f: is_mark(f.norm))  # an urgency or circulation mark
    mark = lazy(lambda f: f.is_mark or is_draft_mark(f.norm))  # … or a draft mark
    opens_body = lazy(lambda f: opens_body(f.raw))
    ending = lazy(lambda f: _ending(f.norm))
    dash = lazy(lambda f: f.norm.startswith(("-", "–", "+")))  # an item's dash
    luu = lazy(lambda f: f.norm.lstrip("-–+ ").startswith("Lưu"))  # the 'Lưu: …' item
    basis_lead = lazy(lambda f: L.basis_lead(f.norm))
    basis_line = lazy(lambda f: basis_line(f.norm))
    is_basis = lazy(lambda f: is_basis(f.norm))
    appendix = lazy(lambda f: appendix_start(f.norm))
    ten_loai = lazy(lambda f: L.ten_loai(f.norm))
    ten_loai_any = lazy(lambda f: L.ten_loai(f.norm, any_case=True))
    signer = lazy(lambda f: L.SIGNER.match(f.norm) and f.caps)  # 'TM. ỦY BAN NHÂN DÂN' in capitals
    signer_caps = lazy(lambda f: _signer_caps(f.norm))
    kem_theo = lazy(lambda f: bool(L.KEM_THEO.match(f.norm)))


@lru_cache(maxsize=4096)  # a batch's lines repeat document after document; its own lines churn
def facts_of(text: str) -> Facts:
    """The facts of `text` (one line as given)."""
    return Facts(text)


class Line(Protocol):
    """What the finder reads of one line: the text and the layout facts its source knows. Lines are told apart
    by identity: none equals another (a dataclass line has eq=False)."""

    @property
    def text(self) -> str: ...  # as written
    @property
    def shown(self) -> str: ...  # as printed (w:caps upper-cased), spaces normalised
    @property
    def facts(self) -> Facts: ...  # facts_of(text)
    @property
    def shown_facts(self) -> Facts: ...  # facts_of(shown)
    @property
    def slot(self) -> Slot | None: ...  # its table cell, None outside tables (or not known)
    @property
    def section(self) -> int | None: ...  # None when the source does not say (every reader but .docx's here)
    @property
    def align(self) -> str | None: ...
    @property
    def bold(self) -> bool | None: ...  # all its visible text bold; None when not known
    @property
    def num_text(self) -> str | None: ...  # an automatic list marker ("-", "1.")
    @property
    def border_bottom(self) -> bool: ...
    @property
    def has_drawing(self) -> bool: ...  # an image or a shape anchored in it
    @property
    def line_shape(self) -> bool: ...  # a drawn line among its shapes


@dataclass(eq=False, slots=True)
class TextLine:
    """A line of a source without layout (PDF text, OCR, web text) or with some (a .docx read by readers)."""

    text: str
    slot: Slot | None = None
    bold: bool | None = None
    section: int | None = None
    align: str | None = None
    num_text: str | None = None
    border_bottom: bool = False
    has_drawing: bool = False
    line_shape: bool = False

    @property
    def shown(self) -> str:
        return norm(self.text)

    @property
    def facts(self) -> Facts:
        return facts_of(self.text)

    @property
    def shown_facts(self) -> Facts:
        return facts_of(norm(self.text))


def _numbered(p: Line) -> bool:
    """ "Số: 1105/KH-ĐKT": a Số line with its colon."""
    return (r := p.facts.so) is not None and r.colon


@lru_cache(maxsize=2048)  # every rule asks for the same paragraphs' text; a batch's own lines churn
def norm(text: str) -> str:
    """NFC, single spaces, stripped."""
    return " ".join(unicodedata.normalize("NFC", text).split())  # str.split's spaces are re's \s


@lru_cache(maxsize=2048)  # asked of every line with a ';' (a Nơi nhận's items): the batch's lines repeat
def _ky_so_box(text: str) -> bool:
    """The ký số box of a signed copy: read back by the pattern that printed it (law.lines.KY_SO)."""
    return L.KY_SO.fields(norm(text)) is not None


class _Texty(Protocol):
    @property
    def text(self) -> str: ...
    @property
    def has_drawing(self) -> bool: ...


def empty(p: _Texty) -> bool:
    """Nothing on the line: no text, no image or shape."""
    return not p.text.strip() and not p.has_drawing


def underscores(p: _Texty) -> bool:
    """A rule typed as underscores: '______'."""
    t = p.text.strip()
    return len(t) >= 3 and set(t) <= {"_"}


def _all_bold(p: Line) -> bool:
    return p.bold is not False


@dataclass(eq=False)
class Elements:
    """Where each ND30 element of one document is (None / [] when not found), as lines of the input."""

    lines: Sequence[Line]
    qh: Line | None = None
    tn: Line | None = None
    tn_skipped: int = 0  # blank lines between Quốc hiệu and Tiêu ngữ
    issuer: list[Line] = field(default_factory=list)
    chu_quan: list[Line] = field(default_factory=list)
    so: Line | None = None
    so_parts: list[Line] = field(default_factory=list)  # text: 'Số: 542' … '/TB-UBND', '…-' … 'XMC' below
    date: Line | None = None
    vv: Line | None = None
    vv_more: list[Line] = field(default_factory=list)  # text: the lines a V/v wrapped onto
    above: list[Line] = field(default_factory=list)  # what a scan or a copy shows above the header
    ky_so: Line | None = None  # the agency's ký số box (kinds.yaml `ky_so`): page 1's header, or above all
    marks: list[Line] = field(default_factory=list)  # 'HỎA TỐC', 'LƯU HÀNH NỘI BỘ', 'DỰ THẢO'
    garbled: list[Line] = field(default_factory=list)  # text: unreadable lines inside the header
    kind: Kind | None = None
    tl: Line | None = None
    other_tl: Line | None = None  # a tên loại outside Phụ lục III: 'PHIẾU TRÌNH', 'GIẤY PHÉP …'
    ty: list[Line] = field(default_factory=list)  # trích yếu lines under the tên loại
    kg: Line | None = None
    recipients: list[Line] = field(default_factory=list)
    authority: list[Line] = field(default_factory=list)  # "GIÁM ĐỐC SỞ …" above the căn cứ
    nn: Line | None = None
    nn_items: list[Line] = field(default_factory=list)
    o12: Line | None = None
    signer: list[Line] = field(default_factory=list)  # the whole block
    body: list[Line] = field(default_factory=list)
    basis: list[Line] = field(default_factory=list)  # căn cứ ban hành
    opening: list[Line] = field(default_factory=list)  # căn cứ and 'Thực hiện …' lines as parse reads them
    head_zone: list[Line] = field(default_factory=list)
    header_end: int = 0  # the line after the header's run of lines from the top
    cut: int | None = None  # where attached material cuts the body short, before any signature
    appendices: list[list[Line]] = field(default_factory=list)  # attached phụ lục and forms, each its lines
    trailing: list[Line] = field(default_factory=list)  # after the document, attached to nothing (portal links)
    under: dict[int, list[Line]] = field(default_factory=dict)  # id(text line) → its rule line candidates
    used: set[int] = field(default_factory=set)

    def __post_init__(self) -> None:
        self.pos: dict[int, int] = dict(zip(map(id, self.lines), range(len(self.lines)), strict=True))
        # text without layout (PDF, OCR, web): no cells, no bold, and one column read line after line
        self.layout = any(p.bold is not None or p.slot is not None for p in self.lines)
        self.aligned = any(p.align is not None for p in self.lines)  # a reader that says what is centred
        self._cells: dict[Slot, list[Line]] = {}
        self._rows: dict[tuple[object, int], list[Slot]] = {}
        self._top: list[Line] = []
        top, cells = self._top, self._cells
        for p in self.lines:
            s = p.slot
            if s is None:
                top.append(p)
            elif (sib := cells.get(s)) is None:
                cells[s] = [p]
                self._rows.setdefault((s.table, s.row), []).append(s)
            else:
                sib.append(p)

    # -- the layout around a line
    def siblings(self, p: Line) -> list[Line]:
        """Lines of the same container (cell or top level) in order."""
        return self._top if p.slot is None else self._cells[p.slot]

    def cell(self, s: Slot) -> list[Line]:
        return self._cells[s]

    def row(self, s: Slot) -> list[Slot]:
        """The cells of `s`'s row, left to right."""
        return self._rows[(s.table, s.row)]

    def table_rows(self, table: object) -> Iterator[list[Slot]]:
        """The rows of `table` that hold lines, top to bottom (a reader leaves out blank cells)."""
        for key in sorted(k for k in self._rows if k[0] == table):
            yield self._rows[key]

    def after(self, p: Line, n: int = 6) -> list[Line]:
        sib = self.siblings(p)
        i = sib.index(p)  # a line is equal to itself only
        return sib[i + 1 : i + 1 + n]

    def before(self, p: Line) -> Line | None:
        sib = self.siblings(p)
        i = sib.index(p)
        return sib[i - 1] if i else None

    def below(self, p: Line, n: int = 6) -> list[Line]:
        """Lines under `p` on the page: the rest of its cell, then the same column of the next rows
        (headers laid out one line per table row), or the next top-level lines."""
        out = self.after(p, n)
        s = p.slot
        if s is None:
            return out
        r = s.row + 1
        while len(out) < n and (s.table, r) in self._rows:
            same = [c for c in self._rows[(s.table, r)] if c.col == s.col]
            if not same:
                break
            out += self._cells[same[0]]
            r += 1
        return out[:n]

    def next_nonempty(self, p: Line, n: int = 4) -> tuple[Line | None, int]:
        skipped = 0
        for q in self.below(p, n):
            if q.text.strip():
                return q, skipped
            skipped += 1
        return None, skipped

    def claim(self, *ps: Line | None) -> None:
        used = self.used
        for p in ps:
            if p is not None:
                used.add(id(p))


# Elements' fields by what they hold (Recording, check.locate): a line, lines, or what holds none
ONE = [f.name for f in fields(Elements) if f.type == "Line | None"]
MANY = [f.name for f in fields(Elements) if f.type == "list[Line]"]
AS_IS = [f.name for f in fields(Elements) if "Line" not in str(f.type) and f.name != "used"]  # used: ids of lines
assert {f.name for f in fields(Elements)} == {"lines", "appendices", "under", "used", *ONE, *MANY, *AS_IS}, (
    "an Elements field that Recording.at does not carry"
)


def _date_and_vv(zone: Sequence[Line]) -> tuple[Line | None, Line | None]:
    """The first date line and the first V/v of the header's zone, in one walk that ends when both are found."""
    date = vv = None
    for p in zone:
        f = p.facts
        # a place has no ':' ("Thời gian bắt đầu: 14 giờ, ngày …" opens a biên bản's body, Mẫu 1.9)
        if date is None and f.date and not f.place_colon:
            date = p
            if vv is not None:
                break
        if vv is None and f.vv:
            vv = p
            if date is not None:
                break
    return date, vv


def elements(lines: Sequence[Line], data: dict[str, Any]) -> Elements:
    """The ND30 elements of a document given as its lines in reading order. Elements are found by content
    and position (Quốc hiệu by its text, the date line by its pattern, the signer block by TM./KT./… or a
    caps title over a name), refined by layout where the source has it. Finding judges nothing."""
    found = Elements(lines)
    _Finder(found, data).run()
    return found


# ---------------------------------------------------------------------------- the same finding again
# A batch's next document has the very lines of the one before but a few (its header table, the lines naming
# its unit). The finder reads a line only through its attributes and its facts', and lines by identity only
# within the document: where what it read of each line that changed reads the same, it walks the same way
# and finds the same elements at the same positions.


class _Seen:
    """A line whose reads by the finder are recorded (the first value of each attribute, of each facts')."""

    __slots__ = ("_facts", "_line", "_reads")

    def __init__(self, line: Line) -> None:
        self._line = line
        self._reads: dict[str, Any] = {}
        self._facts: dict[str, _SeenFacts] = {}  # 'facts', 'shown_facts' → their reads

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._line, name)
        if name in ("facts", "shown_facts"):
            if (seen := self._facts.get(name)) is None:
                seen = self._facts[name] = _SeenFacts(value)
            return seen
        self._reads.setdefault(name, value)
        return value


class _SeenFacts:
    __slots__ = ("_facts", "_reads")

    def __init__(self, facts: Facts) -> None:
        self._facts = facts
        self._reads: dict[str, Any] = {}

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._facts, name)
        self._reads.setdefault(name, value)
        return value


# what the finder read of one line: of its attributes, of its facts, of its shown facts (None: not read)
_Reads = tuple[dict[str, Any], dict[str, Any] | None, dict[str, Any] | None]


class Recording:
    """The finder's walk over one document, with what it read of each line (`elements_again`)."""

    def __init__(self, lines: Sequence[Line], data: dict[str, Any]) -> None:
        seen = [_Seen(x) for x in lines]
        found = elements(seen, data)
        pos = found.pos  # what the finder found, as positions
        self.as_is = {n: getattr(found, n) for n in AS_IS}
        self.one = [(n, pos[id(x)]) for n in ONE if (x := getattr(found, n)) is not None]
        self.many = [(n, [pos[id(x)] for x in getattr(found, n)]) for n in MANY]
        self.appendices = [[pos[id(x)] for x in block] for block in found.appendices]
        self.under = [(pos[k], [pos[id(x)] for x in v]) for k, v in found.under.items()]
        self.used = [pos[k] for k in found.used]
        self.lines = list(lines)
        self.data = data
        self.reads: list[_Reads] = []
        self.tables: dict[object, list[int]] = {}  # a Slot's table → the positions of its lines
        for i, x in enumerate(seen):
            facts, shown = (x._facts.get(n) for n in ("facts", "shown_facts"))
            self.reads.append((x._reads, facts and facts._reads, shown and shown._reads))
            if (s := x._reads.get("slot")) is not None:
                self.tables.setdefault(s.table, []).append(i)

    def again(self, lines: Sequence[Line], data: dict[str, Any]) -> Elements | None:
        """The elements of `lines` when the finder would read them as it read the recorded ones: the same
        values at each line that is not the recorded one, and the same cells (a changed table may be another
        object); None otherwise."""
        old = self.lines
        if data is not self.data or len(lines) != len(old):
            return None
        tables: dict[object, object] = {}  # a changed line's table → the recorded line's
        changed = []
        for i, x in enumerate(lines):
            was = old[i]
            if x is was:
                continue  # its reads are what they were
            changed.append(i)
            attrs, facts, shown = self.reads[i]
            for name, value in attrs.items():
                now = getattr(x, name)
                if not (_same_slot(now, value, tables) if name == "slot" else now == value):
                    return None
            for read, f, f_was in ((facts, x.facts, was.facts), (shown, x.shown_facts, was.shown_facts)):
                if read is not None and f is not f_was and any(getattr(f, n) != v for n, v in read.items()):
                    return None
        if not self._same_cells(tables, lines):
            return None
        # the next document is compared with this one: it shares more lines with it than with the recorded one
        for i in changed:
            if "slot" in (attrs := self.reads[i][0]):
                attrs["slot"] = lines[i].slot
        back = {was: now for now, was in tables.items()}
        self.tables = {back.get(t, t): at for t, at in self.tables.items()}
        self.lines = list(lines)
        return self.at(lines)

    def at(self, lines: Sequence[Line]) -> Elements:
        """The recorded elements at their positions among `lines` (a new Elements each time: it can be
        changed)."""
        kw: dict[str, Any] = {**self.as_is, **{n: lines[i] for n, i in self.one}}
        for n, ps in self.many:
            kw[n] = [lines[i] for i in ps]
        kw["appendices"] = [[lines[i] for i in ps] for ps in self.appendices]
        kw["under"] = {id(lines[k]): [lines[i] for i in ps] for k, ps in self.under}
        kw["used"] = {id(lines[i]) for i in self.used}
        return Elements(lines, **kw)

    def _same_cells(self, tables: dict[object, object], lines: Sequence[Line]) -> bool:
        """Whether the changed lines' tables stand for the recorded ones one for one, and a table that is
        another object holds none of the unchanged lines (so lines share a cell as the recorded ones do)."""
        if len(set(tables.values())) < len(tables):
            return False
        old, at = self.lines, self.tables
        for now, was in tables.items():
            if now != was and any(lines[i] is old[i] for t in (now, was) for i in at.get(t, ())):
                return False
        return True


def _same_slot(now: Slot | None, was: Slot | None, tables: dict[object, object]) -> bool:
    """The same place in a table that stands for the recorded one (`tables`: which stands for which so far)."""
    if now is None or was is None:
        return now is was
    return (now.row, now.col) == (was.row, was.col) and tables.setdefault(now.table, was.table) == was.table


def elements_again(lines: Sequence[Line], data: dict[str, Any], before: Recording | None) -> tuple[Elements, Recording]:
    """elements(lines, data), from `before` when it holds (Recording.again), and the recording to ask next."""
    if before is not None and (found := before.again(lines, data)) is not None:
        return found, before
    recording = Recording(lines, data)
    return recording.at(lines), recording


class _Finder:
    def __init__(self, loc: Elements, data: dict[str, Any]) -> None:
        self.loc = loc
        self.paras = loc.lines
        self.data = data

    def run(self) -> None:
        loc = self.loc
        loc.ky_so = next((p for p in self.paras if p.facts.ky_so), None)
        self.quoc_hieu()
        loc.above = self.above()
        left = self.header_left()
        head_end0 = (loc.pos[id(loc.qh)] + 30) if loc.qh is not None else 40
        loc.head_zone = list(self.paras[: max(40, head_end0)])
        if loc.layout:
            loc.so = self.find_so(left) or self.find_so(loc.head_zone)
            loc.date, loc.vv = _date_and_vv(loc.head_zone)
        else:
            left = self.header_text()
        start = max((loc.pos[id(p)] for p in (loc.qh, loc.so, loc.date) if p is not None), default=-1) + 1
        loc.kind, loc.tl = self.find_ten_loai(start)
        if loc.tl is not None and loc.vv is not None and loc.pos[id(loc.vv)] > loc.pos[id(loc.tl)]:
            loc.vv = None  # 'THÔNG BÁO' then 'V/v …': a trích yếu written in the công văn form
        elif loc.vv is not None:
            start = max(start, loc.pos[id(loc.vv)] + 1)
        head = self.paras[start : (loc.pos[id(loc.tl)] + 1 if loc.tl is not None else start) + 12]
        # under the header: a phụ lục's report form has its own Kính gửi, much later
        label = _address_label(loc.kind)
        loc.kg = next((p for p in head if _addresses(p, label) and id(p) not in loc.used), None)
        if loc.kind is None and (loc.vv is not None or (loc.kg is not None and loc.tl is None)):
            loc.kind = cong_van()
        if loc.layout:
            self.issuer([p for p in left if p is not loc.so and p is not loc.vv])
            loc.marks = [p for p in self.paras[:start] if p.facts.mark]
        else:
            self.split_issuer(left)
            loc.claim(*loc.so_parts, *loc.vv_more, *loc.marks, *loc.garbled)
        loc.claim(loc.so, loc.date, loc.vv)
        if loc.tl is not None:
            self.trich_yeu(loc.tl)
        if loc.kg is not None:
            self.kinh_gui(loc.kg)
        found = [loc.pos[id(p)] for p in (loc.qh, loc.so, loc.date, loc.vv, loc.tl, loc.kg, *loc.recipients) if p]
        head_end = max([*found, max((loc.pos[i] for i in loc.used), default=0)])
        loc.nn = self.find_noi_nhan()
        loc.signer = self.find_signer(head_end + 1, loc.nn)
        loc.claim(*loc.signer)
        if loc.nn is not None:
            self.noi_nhan(loc.nn)
            if not loc.signer and not loc.layout:
                loc.signer = self.signer_below(loc.nn)
                loc.claim(*loc.signer)
        sig_start = min([loc.pos[id(p)] for p in (*loc.signer, loc.nn) if p is not None] + [len(self.paras)])
        body = [
            p
            for p in self.paras[head_end + 1 : sig_start]
            if p.slot is None and not (f := p.facts).blank and id(p) not in loc.used and not f.separator
        ]
        self.preamble(body)
        loc.header_end = self.header_end()
        if not loc.aligned:
            loc.other_tl = self.other_title()
        self.attached()

    # -- header -----------------------------------------------------------------------------------
    def quoc_hieu(self) -> None:
        loc = self.loc
        # a text copy may have lost its header: a Quốc hiệu further down heads an attached form
        loc.qh = next((p for p in self.paras[: 60 if loc.layout else 20] if p.facts.qh), None)
        if loc.qh is None:
            return
        loc.claim(loc.qh)
        tn, skipped = loc.next_nonempty(loc.qh)
        if tn is None or not all(w in tn.facts.fold for w in ("độc lập", "tự do", "hạnh phúc")):
            return
        loc.tn, loc.tn_skipped = tn, skipped
        loc.claim(tn)
        self.line_under(tn)

    def line_under(self, text_p: Line) -> None:
        """A solid line right under `text_p`: its own bottom border, or the next empty line's, a shape,
        or underscores. The candidates are claimed so that they are not read as body text."""
        loc = self.loc
        candidates: list[Line] = [text_p]
        if not text_p.line_shape:
            for q in loc.below(text_p, 2):
                if q.line_shape:  # a line shape anchored in the paragraph below, even one with text
                    candidates.append(q)
                    break
                f = q.facts
                if not (f.blank or f.underscores or f.separator):
                    break
                candidates.append(q)
                if q.border_bottom or q.has_drawing or f.underscores:
                    break
        loc.under[id(text_p)] = candidates
        loc.claim(*(q for q in candidates if q is text_p or (f := q.facts).blank or f.underscores))

    def above(self) -> list[Line]:
        """What a scan or a copy shows above the header (a signature stamp's text, a portal's lines): the
        header opens with the issuer's lines over the Quốc hiệu, or with the Quốc hiệu."""
        top = [p.facts for p in self.paras[:20]]
        qh = next((k for k, f in enumerate(top) if f.qh_line), None)
        if qh is None:
            return []
        begin = qh
        while begin > 0 and qh - begin < 9:  # a văn bản liên tịch stacks its issuers (7 Bộ, 8 lines)
            if top[begin - 1].header_like:
                begin -= 1
            elif begin > 1 and top[begin - 2].header_like:
                begin -= 2  # a V/v wrapped onto a second line
            else:
                break
        return list(self.paras[:begin])

    def header_text(self) -> list[Line]:
        """Text without layout, the header's two columns read line after line: from its top to the first
        line that is none of its elements, the số (and what a copy cut from it), the date line, the V/v and
        the lines it wraps onto, the marks; returns the issuer's lines (the left cell's, also when read
        between the right cell's)."""
        loc, paras = self.loc, self.paras
        issuer: list[Line] = []
        code = ""  # the ký hiệu read so far; '' none, None a number without one
        numbered = False
        i = len(loc.above)
        while i < len(paras):
            p = paras[i]
            t = norm(p.text)
            named = p.facts.names_a_number and any(map(_numbered, paras[i + 1 : i + 3]))  # the Số line follows
            so = None if named else L.SO.read(t)
            if p is loc.ky_so:
                pass  # 'Số: 05/KH-UBND; 20/09/2026; …' above the header is the box, not ô 3
            elif quoc_hieu_line(t) or L.tieu_ngu(t) or is_mark(t):
                if is_mark(t):
                    loc.marks.append(p)
                elif loc.qh is None and quoc_hieu_line(t):
                    loc.qh = p  # its words glued by the extraction ('CỘNG HÒA XàHỘI …')
                    loc.claim(p)
                elif L.tieu_ngu(t) and loc.tn is None and loc.qh is not None:
                    loc.tn = p  # the right cell's lines read between the left's: 'Số: …' before the Tiêu ngữ
                    loc.claim(p)
            elif so and (found := symbol(so.code)) and not code:
                self._so(p)
                code, numbered = found, True
            elif L.SO.HEAD.match(t) and not code and not numbered:
                self._so(p)  # 'Số: 542' … '/TB-UBND' printed further down
                numbered = True
            elif t.startswith("/") and (found := symbol(t[1:])) and not code:
                self._so(p)
                code = found
            elif t.startswith("Số") and not code and (m := OCR_SYMBOL.search(t)):
                self._so(p)  # 'Số1§4ØBGDĐT-GDPT': OCR of a stamped number
                code, numbered = m[1], True
            elif (vv := L.VV.read(t)) and loc.vv is None:
                loc.vv = p
                while i + 1 < len(paras) and _continues_vv(vv, norm(paras[i + 1].text)):
                    i += 1  # a V/v wrapped onto a line of its own
                    loc.vv_more.append(paras[i])
                    vv = f"{vv} {norm(paras[i].text)}"
            elif date_line(t) and loc.date is None:
                loc.date = p
                dl = L.DATE.read(t)
                if loc.vv is None and dl is not None and L.VV.read(dl.tail.strip()):
                    loc.vv = p  # 'Hà Nội, ngày … V/v …' on one line
            elif SYMBOL_TAIL.fullmatch(t) and code and code.endswith("-"):
                self._so(p)  # 'Số: 255/BC-BCĐPCGD-' … 'XMC'
                code += t
            elif not code and not numbered and OCR_SYMBOL.fullmatch(t) and loc.vv is None and loc.date is None:
                self._so(p)  # the ký hiệu alone, 'UBND-KTHT': a copy that lost 'Số: …/'
                code = t
            elif is_caps(t) and not L.ten_loai(t) and loc.date is None and not code and not self._over_body(i):
                issuer.append(p)
            elif is_draft_mark(t):
                loc.marks.append(p)
            elif is_caps(t) and not L.ten_loai(t) and not _signer_head(t) and len(t) < 80 and self._in_header(i, 2):
                issuer.append(p)  # the left cell read between the right cell's lines
            elif self._header_goes_on(i):
                loc.garbled.append(p)  # a garbled date: a header element follows it closely
            else:
                break
            i += 1
        return issuer

    def _so(self, p: Line) -> None:
        if self.loc.so is None:
            self.loc.so = p
        else:
            self.loc.so_parts.append(p)

    def _over_body(self, i: int) -> bool:
        """A caps line that Kính gửi or a căn cứ follows at once is a title ('PHIẾU TRÌNH GIẢI QUYẾT CÔNG
        VIỆC'), not the issuer's: the issuer's cell is followed by the số, the date or the tên loại."""
        after = next((norm(p.text) for p in self.paras[i + 1 : i + 3] if p.text.strip()), "")
        return bool(self.loc.tn is not None and (L.KINH_GUI.match(after) or basis_line(after)))

    def _in_header(self, i: int, n: int) -> bool:
        """Another header element (Quốc hiệu, Tiêu ngữ, số, date) within the `n` lines after line `i`."""
        near = [norm(p.text) for p in self.paras[i + 1 : i + 1 + n]]
        return any(
            quoc_hieu_line(t) or L.tieu_ngu(t) or L.SO.read(t) or L.SO.HEAD.match(t) or date_line(t) for t in near
        )

    def _header_goes_on(self, i: int) -> bool:
        """An unreadable line inside the header: a header element follows it closely."""
        t = norm(self.paras[i].text)
        near = [norm(p.text) for p in self.paras[i + 1 : i + 4]]
        return any(
            quoc_hieu_line(x) or L.tieu_ngu(x) or L.SO.read(x) or L.ten_loai(x) or L.VV.match(x) for x in near
        ) and not (L.KINH_GUI.match(t) or basis_line(t))

    def header_left(self) -> list[Line]:
        """Lines of the left header block (ô 2, 3, 5b)."""
        loc, qh = self.loc, self.loc.qh
        table = qh.slot.table if qh is not None and qh.slot is not None else None
        if table is None and self.paras and self.paras[0].slot is not None:
            table = self.paras[0].slot.table  # no Quốc hiệu found: the header table opening the page
        if table is not None:
            limit = qh.slot.col if qh is not None and qh.slot is not None else None
            left = [row[0] for row in loc.table_rows(table) if limit is None or row[0].col < limit]
            if left:
                return [p for s in left for p in loc.cell(s)]
        # Hand-made layouts without a table: top-level lines before the first tên loại / body.
        return [p for p in self.paras[:30] if p.slot is None]

    def issuer(self, left: list[Line]) -> None:
        issuer: list[Line] = []
        for p in left:
            if id(p) in self.loc.used:
                continue
            f = p.facts
            if f.blank:
                if issuer:
                    break
                continue
            named = self.loc.so is not None and f.names_a_number  # "… THEO QUYẾT ĐỊNH / SỐ 1050/QĐ-SCT"
            if (f.so is not None and not named) or f.dated is not None or f.vv or not p.shown_facts.caps:
                break
            if f.is_mark:
                continue
            issuer.append(p)
        self.split_issuer(issuer)

    def split_issuer(self, issuer: list[Line]) -> None:
        loc = self.loc
        if not issuer:
            return
        # Leading non-bold lines are the chủ quản, the rest the issuing body; all bold, the body is the line
        # that opens with a body type ('UBND TỈNH LÀO CAI' over 'SỞ CÔNG THƯƠNG').
        known = any(p.bold is not None for p in issuer)
        so = loc.so.facts.so if loc.so is not None else None
        issuers = issuers_in(symbol(so.code) if so else None)
        bodies = [p.shown_facts.opens_body for p in issuer]
        split = issuer_split(bodies, [_all_bold(p) for p in issuer] if known else None, issuers)
        loc.chu_quan, loc.issuer = issuer[:split], issuer[split:]
        loc.claim(*issuer)
        if loc.issuer:
            self.line_under(loc.issuer[-1])

    def find_so(self, candidates: Iterable[Line]) -> Line | None:
        found = [p for p in candidates if p.facts.so is not None and p is not self.loc.ky_so]
        return next((p for p in found if not p.facts.names_a_number), found[0] if found else None)

    def find_ten_loai(self, start: int) -> tuple[Kind | None, Line | None]:
        """The tên loại line: a kind's name alone ('KẾ HOẠCH'), or opening a caps line that carries part of
        the subject ('GIẤY MỜI HỌP', 'BIÊN BẢN KIỂM TRA THỰC TẾ')."""
        for k in range(start, min(start + 40, len(self.paras))):
            p = self.paras[k]
            if id(p) in self.loc.used or p.slot is not None:
                continue
            found = p.shown_facts.ten_loai_any
            if found and not found[1]:  # the name alone, or with more capitals; not a line of body text
                return found[0], p
            if found and not self.loc.layout:
                if caps := p.shown_facts.ten_loai:
                    return caps[0], p  # 'KẾ HOẠCH Tổ chức …': the tên loại and trích yếu on one extracted line
                if k == 0 and not any(q.shown_facts.ten_loai for q in self.paras[1:4]):
                    return found[0], p  # a web copy without its header: 'Giấy mời dự Lễ …' opens the text
            if self.loc.other_tl is None and _title_like(p) and not p.facts.qh:
                self.loc.other_tl = p
        return None, None

    def trich_yeu(self, tl: Line) -> None:
        loc = self.loc
        loc.claim(tl)
        if loc.kind is not None and "trich_yeu" not in loc.kind.elements:
            self.line_under(tl)  # the tên loại alone, its line under it (Mẫu 1.8, 1.10): the body follows
            return
        for q in loc.after(tl, 6) if loc.aligned else ():
            f = q.facts
            if f.blank or f.so is not None or f.kg or f.basis_lead:
                break
            if loc.ty and (q.align != "center" or not _all_bold(q) or f.caps):
                break  # a wrapped trích yếu continues only with centred bold lines; caps: the thẩm quyền line
            loc.ty.append(q)
            if q.border_bottom or len(loc.ty) >= 3:
                break
        if not loc.aligned:
            self.trich_yeu_text(tl)
        loc.claim(*loc.ty)
        if loc.ty:
            self.line_under(loc.ty[-1])

    def trich_yeu_text(self, tl: Line) -> None:
        """A source that does not say what is centred: the trích yếu runs on under the tên loại (five lines at
        most, with what the tên loại line carries) while its lines keep the case it started in and it has not
        ended a sentence; Kính gửi, a căn cứ, a heading, an item or the thẩm quyền line closes it."""
        loc = self.loc
        names = L.fold(" ".join(norm(p.text) for p in (*loc.chu_quan, *loc.issuer)))
        found = L.ten_loai(tl.shown, any_case=True)
        title = [found[1]] if found and found[1] else []
        for q in loc.after(tl, 5 - len(title)):
            t = norm(q.text)
            caps = is_caps(" ".join(title))
            if (
                not t
                or L.KINH_GUI.match(t)
                or basis_line(t)
                or _heading(t)
                or L.DASH_ITEM.match(t)
                or len(t) > 600
                or (title and caps and not is_caps(t) and not t.startswith("(") and not _dates_title(t))
                or (title and not caps and is_caps(t))
                or (title and title[-1].endswith((";", ":", ".")))
                or (title and t.endswith(".") and len(t) > 60)
                or (title and t.endswith(":"))  # the body's lead-in: '… trân trọng kính mời:'; no trích yếu ends so
                or _authority_text(t, names)
                or _addresses(q, _address_label(loc.kind))  # a công điện's '… điện:' (Mẫu 1.6)
                or L.ATTACHED.match(t)
                or (loc.ty and None not in (q.bold, loc.ty[-1].bold) and q.bold != loc.ty[-1].bold)  # body text
            ):
                break
            loc.ty.append(q)
            title.append(t)

    def kinh_gui(self, kg: Line) -> None:
        loc = self.loc
        loc.claim(kg)
        following = loc.after(kg, 30)
        if kg.slot is not None and ":" in kg.text and not kg.text.split(":", 1)[1].strip():
            right = [s for s in loc.row(kg.slot) if s.col > kg.slot.col]
            if right and not any(q.text.strip() for q in following):  # 'Kính gửi:' | the list, side by side
                following = [q for q in loc.cell(right[0]) if q.text.strip()]
        last = norm(L.KINH_GUI.read(norm(kg.text)) or "")
        count, closed = int(bool(last)), False
        for q in following:
            qt = norm(q.text)
            if not qt:
                break
            dash = qt.startswith(("-", "–", "+")) or bool(q.num_text)
            wrapped = not loc.layout and count and last[:1] in "-–+" and not last.endswith((";", ".", ":"))
            if (last.endswith(",") or wrapped) and not dash and not is_basis(qt) and not _heading(qt):
                pass  # 'Kính gửi: Ông (bà) Hiệu trưởng …,' / 'Cao đẳng; …': one recipient on two lines (a PDF's)
            elif closed:
                break
            elif not dash:
                # one recipient alone on the line under 'Kính gửi:', not a dash item
                if count or len(qt) >= 160 or is_basis(qt) or _heading(qt) or qt.endswith(":"):
                    break
                closed = not qt.endswith((";", ","))
            loc.recipients.append(q)
            last, count = qt, count + 1
        loc.claim(*loc.recipients)

    # -- signature block and Nơi nhận ---------------------------------------------------------------
    def find_noi_nhan(self) -> Line | None:
        # The main document's label stands alone after its body ("Nơi nhận hồ sơ: …" in the body is
        # text; a phụ lục's report form, in a later section, has its own).
        main = [p for p in self.paras if p.section == 0] or self.paras
        # sections unknown, an attached form's own label may come later: the main document's is the first
        for p in reversed(main) if any(p.section is not None for p in main) else main:
            if p.facts.nn_label:
                return p
        return next((p for p in main if p.facts.nn_lead), None)

    def find_signer(self, body_start: int, nn: Line | None) -> list[Line]:
        """Lines of the signer block: chức vụ lines, gap, họ tên."""
        loc = self.loc
        # (1) the other cell of the Nơi nhận row
        if nn is not None and nn.slot is not None:
            others = [s for s in loc.row(nn.slot) if s != nn.slot and any(not q.facts.blank for q in loc.cell(s))]
            if others:
                return self.column_down(others[-1])
        # (2) a line starting with an authority prefix, or (3) the last caps bold line before Nơi nhận
        # followed by a short Title Case line
        start = None
        for i in range(body_start, len(self.paras)):
            p = self.paras[i]
            if p.facts.copy_mark:
                break  # a bản sao's block has its own (Mẫu 3.1)
            if p.shown_facts.signer and id(p) not in loc.used:
                start = i
                break
        if start is None:
            end = loc.pos[id(nn)] if nn is not None else len(self.paras)
            for i in range(end - 1, max(body_start, end - 25), -1):
                p = self.paras[i]
                if p.shown_facts.caps and _all_bold(p) and id(p) not in loc.used:
                    rest = [q for q in self.paras[i + 1 : i + 10] if not q.facts.blank]
                    if rest and rest[0].facts.person:
                        if p.slot is not None:
                            return loc.cell(p.slot)
                        beside = self._names_beside(rest[0])  # signers side by side: their titles above
                        top = i
                        while beside and top > body_start and i - top < 2 * len(beside):
                            q = self.paras[top - 1]
                            if id(q) in loc.used or not _signer_caps(norm(q.text)):
                                break
                            top -= 1
                        return list(self.paras[top : loc.pos[id(rest[0])] + 1]) + beside
            return []
        p = self.paras[start]
        if p.slot is not None:
            return loc.cell(p.slot)
        # Plain lines: the block ends at its name, at Nơi nhận or at what another element claimed.
        block: list[Line] = []
        for q in self.paras[start : start + 12]:
            if q is nn or (id(q) in loc.used and q is not p) or (q.slot is not None):
                break
            t = norm(q.text)
            if not loc.layout and block and not (is_caps(t) or L.person_name(t) or sign_note(t) or not t):
                break  # text without layout: the block is caps lines, a note, the name
            if block and any(quoc_hieu_line(norm(x.text)) for x in self.paras[loc.pos[id(q)] : loc.pos[id(q)] + 3]):
                break  # the header of an attached document (Mẫu 1.3: the văn bản after the signature)
            block.append(q)
            if block[0] is not q and L.person_name(q.text):
                row = block + self._names_beside(q)
                k = loc.pos[id(row[-1])] + 1  # text: a grid of signers reads row after row (seven Bộ)
                more = k < len(self.paras) and not loc.layout and _signer_head(self.paras[k].shown)
                return row + (self.find_signer(k, nn) if more and id(self.paras[k]) not in loc.used else [])
        return block

    def _names_beside(self, name: Line) -> list[Line]:
        """Text without layout: the names of the signers beside `name`, read line across line under it."""
        k = self.loc.pos[id(name)] + 1
        out: list[Line] = []
        while not self.loc.layout and k < len(self.paras) and L.person_name(self.paras[k].text):
            out.append(self.paras[k])
            k += 1
        return out

    def signer_below(self, nn: Line) -> list[Line]:
        """Text read one column after the other: the signer's caps lines (among the Nơi nhận items or under
        them) and the name below."""
        loc = self.loc
        end = max(loc.pos[id(p)] for p in (nn, *loc.nn_items, loc.o12) if p is not None)
        block: list[Line] = []
        for k in range(loc.pos[id(nn)] + 1, min(end + 8, len(self.paras))):
            q = self.paras[k]
            if id(q) in loc.used:
                continue  # an item of the list
            t = norm(q.text)
            if L.person_name(t) and block:
                return [*block, q, *self._names_beside(q)]
            if any(L.quoc_hieu(x.text, within=True) for x in self.paras[k : k + 3]):
                break  # the header of an attached document
            if not (_signer_caps(t) or sign_note(t)):
                break
            block.append(q)
        return block if any(_signer_caps(norm(q.text)) for q in block) else []  # awaiting the name

    def column_down(self, top: Slot) -> list[Line]:
        """A signer cell and the cells under it in its column, when the name was typed a few rows down."""
        loc = self.loc
        out = list(loc.cell(top))
        below = []
        for row in loc.table_rows(top.table):
            same = [s for s in row if s.col == top.col and s.row > top.row]
            below += [q for s in same for q in loc.cell(s)]
        named = next((i for i, q in enumerate(below) if q.text.strip()), None)
        if named is None or not below[named].facts.person or any(q.facts.person for q in out):
            return out
        return out + below[: named + 1]  # the rows between are empty: the signature's gap

    def noi_nhan(self, nn: Line) -> None:
        loc = self.loc
        loc.claim(nn)
        for q in loc.after(nn, len(self.paras)):
            f = q.facts  # (its text read only without layout: a batch's items differ in it)
            if f.blank:
                if loc.nn_items:
                    break
                continue
            is_item = f.dash or bool(q.num_text)
            if not is_item and not loc.layout and id(q) not in loc.used and self._plain_item(f.norm):
                is_item = True  # a copy that lost the items' dashes: 'Bộ Công an;' / … / 'Lưu: VT, …'
            if not is_item and not loc.layout and id(q) not in loc.used and self._item_goes_on(f.norm):
                loc.nn_items.append(q)  # an item wrapped onto the next line, or its note '(để báo cáo)'
                continue
            if not is_item and not loc.layout and _signer_caps(f.norm) and not any(x.facts.luu for x in loc.nn_items):
                continue  # the signer's column read between the items: 'Nơi nhận:' / 'CỤC TRƯỞNG' / '- …'
            if not is_item and not loc.layout and not loc.nn_items and L.person_name(f.norm):
                continue  # … and the names under the signers' titles, before the first item
            if not is_item and (loc.nn_items or q.slot is None):
                after_luu = bool(loc.nn_items) and loc.nn_items[-1].facts.luu
                if q.slot is not None or (not loc.layout and after_luu and drafter(f.norm)):
                    loc.o12 = q  # a line after the list in the same cell: ô 12, drafter + copies
                break
            loc.nn_items.append(q)
        loc.claim(*loc.nn_items, loc.o12)

    def _plain_item(self, t: str) -> bool:
        """An item of the list without its dash: it ends as an item does (';', or ':' as a scan reads it) or is
        the 'Lưu' line, and the one before it (if any) has ended too."""
        items = self.loc.nn_items
        if is_caps(t) or L.person_name(t) or sign_note(t) or len(t) > 120:
            return False
        ended = not items or norm(items[-1].text).endswith((";", ":"))
        return ended and (t.endswith((";", ":")) or (bool(items) and L.bare(t).startswith("luu")))

    def _item_goes_on(self, t: str) -> bool:
        items = self.loc.nn_items
        if any(x.facts.luu for x in items) and norm(items[-1].text).endswith(",") and len(t) < 120:
            return True  # '- Lưu: VT, (BCA, BQP,' / 'VKSNDTC, TANDTC, …': the Lưu line wrapped (a PDF's)
        if not items or is_caps(t) or L.person_name(t) or sign_note(t) or len(t) > 120:
            return False
        last = norm(items[-1].text)
        note = bool(L.NOTE_LEAD.match(t))
        return note or not last.endswith((";", ".", ":"))

    # -- body -------------------------------------------------------------------------------------
    def header_end(self) -> int:
        """Where the header ends: after the run of its elements' lines from the top (a line among them that
        no element took, a garbled date, goes with it), never past the tên loại or Kính gửi; an element found
        further down belongs to an attached form."""
        loc = self.loc
        parts = [loc.qh, loc.tn, loc.so, loc.date, loc.vv, *loc.so_parts, *loc.vv_more, *loc.garbled]
        marked = {loc.pos[id(p)] for p in [*parts, *loc.chu_quan, *loc.issuer, *loc.marks] if p is not None}
        stops = {loc.pos[id(p)] for p in (loc.tl, loc.kg) if p is not None}
        i = len(loc.above)
        while i < len(self.paras) and i not in stops and not marked.isdisjoint(range(i, i + 4)):
            i += 1
        return i

    def other_title(self) -> Line | None:
        """A source that does not say what is centred: a tên loại outside Phụ lục III ('GIẤY PHÉP SỬ DỤNG …')
        is a caps line under the header, among the căn cứ and thẩm quyền lines, that one of them or Kính gửi
        follows within two lines; there is none under a tên loại, a V/v or a Kính gửi."""
        loc = self.loc
        if loc.tl is not None or loc.vv is not None:
            return None
        opening = {loc.pos[id(p)] for p in (*loc.opening, *loc.authority)}
        k = loc.header_end
        while k in opening:
            k += 1
        if k >= len(self.paras) or self.paras[k] is loc.kg:
            return None
        t = norm(self.paras[k].text)
        near = opening | ({loc.pos[id(loc.kg)]} if loc.kg is not None else set())
        return self.paras[k] if is_caps(t) and len(t) < 200 and near & {k + 1, k + 2} else None

    def attached(self) -> None:
        """What follows the main document: attached phụ lục and forms (a 'PHỤ LỤC' or 'MẪU …' line, an
        attached document's own header, a caps title over '(Kèm theo …)') in blocks, from where one cuts the
        body short or else from the end of the signature (and the other signers of its row)."""
        loc, paras = self.loc, self.paras
        first = loc.signer[0].slot if loc.signer else None
        row = [q for s in loc.row(first) for q in loc.cell(s)] if first is not None else []  # its other signers
        tail = [loc.pos[id(p)] for p in (loc.nn, *loc.nn_items, loc.o12, *loc.signer, *row) if p is not None]
        facts = [p.facts for p in paras]
        loc.cut = next(
            (
                k
                for k in range(loc.header_end, min(tail, default=len(paras)))
                if ((f := facts[k]).appendix or f.qh_line)
                and id(paras[k]) not in loc.used
                and (
                    (f.appendix and paras[k].slot is None)  # a data table's cell is the table's
                    or (f.qh_line and self._new_document(k))
                )
            ),
            None,
        )
        start = loc.cut if loc.cut is not None else max(tail) + 1 if tail else len(paras)
        rest = [k for k in range(start, len(paras)) if paras[k] is not loc.ky_so]
        if not any(facts[k].appendix or facts[k].qh_line for k in rest) and not (
            start < len(paras)
            and facts[start].caps
            and any(L.ATTACHED.match(f.norm) for f in facts[start + 1 : start + 4])  # a title over '(Kèm theo …)'
        ):
            loc.trailing = [paras[k] for k in rest]
            return
        blocks: list[list[Line]] = [[]]
        for k in rest:
            header = facts[k].qh_line and len(blocks[-1]) > 3  # an attached document's own header
            if (facts[k].appendix and len(blocks[-1]) > 1) or header:
                blocks.append([])
            blocks[-1].append(paras[k])
        loc.appendices = blocks

    def _new_document(self, k: int) -> bool:
        """A Quốc hiệu in the text opens an attached document when a header follows it, not a repeated
        page header."""
        near = [norm(p.text) for p in self.paras[k + 1 : k + 8]]
        return any(L.SO.read(t) or L.DATE.read(t) or L.ten_loai(t) for t in near)

    def preamble(self, body: list[Line]) -> None:
        """Căn cứ ban hành open the body, after the thẩm quyền line of a quyết định ("GIÁM ĐỐC SỞ …");
        a later "Căn cứ tình hình …" or one that cites nothing is ordinary text."""
        loc = self.loc
        if loc.layout and loc.aligned:
            i = 0
            while i < len(body) and _authority_line(body[i]) and i < 3:
                i += 1
            loc.authority = body[:i]
        else:  # a source that does not say what is centred: the thẩm quyền line by its words
            names = L.fold(" ".join(norm(p.text) for p in (*loc.chu_quan, *loc.issuer)))
            at = next((k for k, p in enumerate(body[:4]) if _authority_text(norm(p.text), names)), None)
            loc.authority = [body[at]] if at is not None else []
            i = at + 1 if at is not None else 0  # under a trích yếu the finder read short
        loc.opening = self.opening(body, i)
        if not loc.layout:
            loc.basis = loc.opening
        # the first run of căn cứ lines among the opening lines ("Thực hiện Công văn …" may precede it)
        elif (start := next((k for k in range(i, min(i + 3, len(body))) if body[k].facts.is_basis), None)) is not None:
            end = start
            while end < len(body) and body[end].facts.basis_lead:
                end += 1
            # "…, có ý kiến như sau:" opens the body instead; "…./." is a one-paragraph body (công văn 507/UBND-KGVX)
            if not body[end - 1].facts.norm.endswith((":", "./.")):
                loc.basis = body[start:end]
        loc.claim(*loc.authority)
        loc.body = [p for p in body if p not in loc.authority] if loc.authority else body

    def opening(self, body: list[Line], i: int) -> list[Line]:
        """The căn cứ lines as a reader takes them: from a line that opens one among the first three, each
        with the lines a PDF or web copy wrapped it onto; one that goes on into the issuer's own words
        ('…, Sở … báo cáo như sau:') too (its reader splits it)."""
        start = next((k for k in range(i, min(i + 3, len(body))) if body[k].facts.basis_line), None)
        if start is None:
            return []
        end = start + 1
        while end < len(body) and (
            (f := body[end].facts).basis_line or _continues_basis(body[end - 1].facts.ending, f.norm)
        ):
            end += 1
        return body[start:end]


def _dates_title(t: str) -> bool:
    """A short line under a trích yếu in capitals that dates it: 'Thời điểm tháng 10 năm 2020', 'Năm học
    2020 - 2021' (a sentence of the body is longer, goes on after a comma, 'Ngày 5/3/2026, …', or ends)."""
    dated = bool(re.search(r"\b(19|20)\d\d\b", t))
    return dated and len(t) < 60 and not any(c in t for c in ",…") and not t.endswith((".", ":", ";"))


def _continues_vv(vv: str, t: str) -> bool:
    """A V/v printed on two lines: the next line is no other header element."""
    return not (
        quoc_hieu_line(t) or L.tieu_ngu(t) or L.SO.read(t) or L.DATE.read(t) or L.KINH_GUI.match(t) or is_caps(t)
    ) and (len(t) < 300 and not t.endswith(":") and not vv.endswith("."))


def _signer_head(t: str) -> bool:
    """'KT. CHỦ TỊCH', 'TM. ỦY BAN NHÂN DÂN': a signer's authority line."""
    read = L.SIGNER.read(t)
    return bool(read and is_caps(read[1]))


_FORM_HEAD = re.compile(r"^\(?(PHỤ LỤC|MẪU)\b")


@lru_cache(maxsize=1024)  # asked of every line after the header
def appendix_start(text: str) -> bool:
    """Where an attached phụ lục or form starts: 'PHỤ LỤC', 'Phụ lục II', 'MẪU BÁO CÁO' standing alone (a
    '(Kèm theo …)' line inside the text is text)."""
    return bool(L.PHU_LUC.match(text) or (_FORM_HEAD.match(text) and is_caps(text)))


def _signer_caps(text: str) -> bool:
    """A chức vụ line of the signer as text shows it: short, in capitals, not a heading of what follows."""
    return is_caps(text) and len(text) < 80 and not L.quoc_hieu(text) and not L.APPENDIX_START.match(text)


def drafter(text: str) -> bool:
    """Ô 12 under 'Lưu': the drafter's initials and copies ('07.KH/T9/Tamht', 'Ngan.05')."""
    return bool(L.KY_HIEU_SOAN_LOOSE.match(text)) and not is_caps(text)


def _heading(text: str) -> bool:
    """A numbered heading of the body ('I. …', '1. …', 'Điều 1. …', 'Phần I')."""
    return bool(
        L.PART_HEAD.match(text)
        or L.SECTION_HEAD.match(text)
        or L.DIEU.match(text)
        or L.ROMAN_ITEM.match(text)
        or L.ARABIC_ITEM.match(text)
    )


def sign_note(text: str) -> bool:
    """'(Đã ký)', '(ký, đóng dấu)', '[daky]': what a copy prints where the signature was."""
    return bool(re.match(r"^[(\[]\s*(đã ký|ký|chữ ký|daky|đã ký và đóng dấu)", text, re.I))


def _address_label(kind: Kind | None) -> str | None:
    """The kind's own label over its recipients (a công điện's '… điện:', Mẫu 1.6), when it has one."""
    return (kind.address.format(authority="").strip() or None) if kind is not None and kind.address else None


def _addresses(p: Line, label: str | None) -> bool:
    """'Kính gửi:', or the kind's own label over its recipients (`_address_label`)."""
    f = p.facts
    return f.kg_lead or (label is not None and f.norm.endswith(" " + label))


def _title_like(p: Line) -> bool:
    """A short caps centred line standing alone: how a tên loại looks."""
    f = p.shown_facts
    return f.caps and 1 <= len(f.norm.split()) <= 8 and (p.align == "center" or p.text[:2].isspace())


_OFFICE = re.compile(r"^(CHỦ TỊCH|GIÁM ĐỐC|(?:BỘ|HIỆU|THỦ|TỔ|CỤC|VỤ|VIỆN) TRƯỞNG|TRƯỞNG|CHÁNH)\b")


def office(text: str) -> str | None:
    """The office opening a line, in any case: 'Chủ tịch UBND tỉnh giao …' → 'Chủ tịch'."""
    m = _OFFICE.match(unicodedata.normalize("NFC", text).upper())
    return text[: m.end()] if m else None


def _authority_text(text: str, issuer: str) -> bool:
    """A thẩm quyền line as text shows it: caps, naming an office ('CHỦ TỊCH …', 'GIÁM ĐỐC SỞ …') or the
    issuer itself ('ỦY BAN NHÂN DÂN QUẬN 5' deciding), not a heading or a tên loại."""
    return (
        is_caps(text)
        and len(text) < 120
        and not _heading(text)
        and not L.ten_loai(text)
        and (bool(_OFFICE.match(text)) or (bool(issuer) and L.fold(text) == issuer))
    )


def _ending(line: str) -> tuple[bool, str, bool]:
    """How a line ends, for what a copy wrapped onto the next (_continues_basis): on a lower-case word or a
    dash; its last character; eight words at most."""
    words = line.split()
    last = words[-1] if words else ""
    return last.endswith("-") or (last.isalpha() and last.islower()), line[-1:], len(words) <= 8


def _continues_basis(ending: tuple[bool, str, bool], text: str) -> bool:
    """A căn cứ cut by a PDF, OCR or web copy (`ending`: the line before's, _ending): it ends on a lower-case
    word or a dash ('… của' / 'Bộ …', '… số 17/2022/NĐ-' / 'CP ngày …')."""
    cut, end, few = ending
    # '…;' / 'Thông tư số 15/2026/TT-BCT …': the second document a căn cứ cites; '…' / '(có hồ sơ kèm theo).'
    more = (end == ";" and cited_first(text)) or (text.startswith("(") and end not in (";", ".", ":"))
    return (
        (cut or more)
        and not L.ATTACHED.match(text)
        and not L.basis_lead(text, ["Thực hiện", "Căn cứ", "Xét", "Theo"])
        and not (_heading(text) or L.DASH_ITEM.match(text) or is_caps(text) or L.KINH_GUI.match(text))
        and (len(text) < 300 or few)  # a narrow column's line: what follows is its rest
    )


def _authority_line(p: Line) -> bool:
    return not p.facts.blank and p.shown_facts.caps and p.bold is True and p.align == "center"
