"""The validated document model: what a YAML file may say, checked before anything is rendered.

Keys are English snake_case, values Vietnamese (README has the key ↔ thuật ngữ table).
Validation messages are Vietnamese with the English term; the loader adds file:line:column.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from functools import lru_cache
from typing import Annotated, Any, Literal

from babel.numbers import format_decimal
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    ValidationInfo,
    field_validator,
    model_validator,
)

from . import law, rules, vntext
from .errors import FieldError
from .law import lines as L

# ---------------------------------------------------------------- scalars


def _fresh(factory: type) -> Any:
    """An empty list or dict made new for each model: pydantic deep-copies a `= []` default every time."""
    return Field(default_factory=factory)


def parse_date(value: Any) -> Any:
    """ISO 2022-09-30, or the Vietnamese 30/9/2022; anything else is left for pydantic to reject."""
    return _parse_date(value) if isinstance(value, str) else value


@lru_cache(maxsize=1024)  # a batch's documents carry the same few dates (a date is immutable: shared safely)
def _parse_date(value: str) -> date:
    if m := re.fullmatch(r"\s*(\d{1,2})/(\d{1,2})/(\d{4})\s*", value):
        d, mo, y = (int(g) for g in m.groups())
    elif m := re.fullmatch(r"\s*(\d{4})-(\d{2})-(\d{2})\s*", value):
        y, mo, d = (int(g) for g in m.groups())
    else:
        raise ValueError(f"ngày phải viết dạng YYYY-MM-DD hoặc DD/MM/YYYY (date format): {value!r}")
    try:
        return date(y, mo, d)
    except ValueError as exc:
        raise ValueError(f"ngày không tồn tại (invalid date): {value}") from exc


Day = Annotated[date, BeforeValidator(parse_date)]


def _positive_number(value: Any) -> Any:
    if isinstance(value, str):
        if not re.fullmatch(r"\d+", value.strip()):
            raise ValueError(f"số văn bản phải là số nguyên dương (positive integer): {value!r}")
        value = int(value)
    if isinstance(value, int) and value <= 0:
        raise ValueError(f"số văn bản phải lớn hơn 0 (must be positive): {value}")
    return value


PositiveInt = Annotated[int, BeforeValidator(_positive_number)]


def _as_list(value: Any) -> Any:
    return [value] if isinstance(value, str | dict) else value


# Issuing body levels (cấp): data/levels.yaml; law.level(key) has the spec (rank, header widths …).
Level = StrEnum("Level", {key: key for key in law.levels()})  # type: ignore[misc]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=False)


# ---------------------------------------------------------------- issuer and signer


def chain_problem(lines: list[str]) -> str | None:
    """What NĐ 30 PL I II.7 forbids in a signer's lines (TM. KT. TL. TUQ. Q.), or None. TM. (on behalf of a
    collective) opens the chain; KT. (a deputy signs) is the last authority, its next line the deputy's title;
    TL. and TUQ. are never combined, and neither repeats (who signs thừa lệnh or thừa ủy quyền may not pass
    it on); Q. (acting head) prefixes a title."""
    return _chain_problem(tuple(lines))


@lru_cache(maxsize=256)  # a batch's issuers have the same few signers: each Signer validated reads them again
def _chain_problem(lines: tuple[str, ...]) -> str | None:
    heads = [L.SIGNER.read(line) for line in lines]
    prefixes = [h[0] for h in heads if h]
    for line in lines[:-1]:
        if not L.SIGNER.match(line, strict=True):
            return f"dòng quyền hạn '{line}' phải bắt đầu bằng TM., KT., TL., TUQ. hoặc Q."
    if "TM." in prefixes[1:] or ("TM." in prefixes and prefixes[0] != "TM."):
        return "'TM.' (thay mặt tập thể) chỉ đứng ở dòng đầu"
    for p in ("TM.", "KT.", "TL.", "TUQ."):
        if prefixes.count(p) > 1:
            return f"'{p}' chỉ dùng một lần trong quyền hạn người ký"
    if "TL." in prefixes and "TUQ." in prefixes:
        return "không dùng cùng lúc 'TL.' (thừa lệnh) và 'TUQ.' (thừa ủy quyền)"
    if "KT." in prefixes and prefixes.index("KT.") != len(prefixes) - 1 and prefixes[-1] != "Q.":
        return "sau 'KT. …' là chức vụ của người ký thay (cấp phó), không thêm quyền hạn khác"
    return None


class Signer(Strict):
    """Ô 7: e.g. authority "TM. ỦY BAN NHÂN DÂN", prefix "KT.", head_title "CHỦ TỊCH", title "PHÓ CHỦ TỊCH"."""

    authority: str | None = None
    prefix: Literal["KT.", "TL.", "TUQ.", "Q.", ""] = ""
    head_title: str | None = None
    chain: list[str] = _fresh(list)  # authority lines of any depth instead: [TL. CHỦ TỊCH, KT. CHÁNH VĂN PHÒNG]
    title: str
    other_title: str | None = None  # ô 7b: another official title shown above the name
    name: str | None = None  # blank until the signer is known; the checker reports it

    @model_validator(mode="after")
    def _prefix_needs_head(self) -> Signer:
        if self.prefix and not self.head_title:
            raise ValueError(f"'{self.prefix}' cần chức danh người đứng đầu (head_title), ví dụ 'CHỦ TỊCH'")
        if self.authority and not self.authority.startswith("TM. "):
            raise ValueError("authority phải bắt đầu bằng 'TM. ' (thay mặt tập thể), ví dụ 'TM. ỦY BAN NHÂN DÂN'")
        if self.chain and (self.authority or self.prefix):
            raise ValueError("dùng chain hoặc authority/prefix, không dùng cả hai")
        if problem := chain_problem(self.lines()):
            raise ValueError(problem)
        return self

    @field_validator("name")
    @classmethod
    def _no_academic_title(cls, v: str | None) -> str | None:
        if v is None:
            return v
        if L.academic_title(v):
            raise ValueError("không ghi học hàm, học vị trước họ tên người ký (NĐ 30 PL I II.7)")
        return v

    def lines(self) -> list[str]:
        """Quyền hạn, chức vụ lines, in capitals."""
        if self.chain:
            return [vntext.upper(line) for line in [*self.chain, self.title]]
        out = [self.authority] if self.authority else []
        if self.prefix:
            out.append(f"{self.prefix} {self.head_title}")
        out.append(self.title)
        return [line.upper() for line in out]


class _Body(Strict):
    """What every issuing body has: its name, its ô 2 lines and its abbreviation in the ký hiệu."""

    name: str  # official full name, used in citations: "Ủy ban nhân dân tỉnh Thái Nguyên"
    header: list[str] | None = None  # bold lines of ô 2; default: the name in capitals
    abbreviation: str  # in ký hiệu: UBND, SGDĐT, BCĐ

    @field_validator("abbreviation")
    @classmethod
    def _abbr_shape(cls, v: str) -> str:
        if not L.SO.GROUP.match(v):
            raise ValueError(f"chữ viết tắt cơ quan (abbreviation) chỉ gồm chữ và số, bắt đầu bằng chữ hoa: {v!r}")
        return v

    def header_lines(self) -> list[str]:
        return [line.upper() for line in (self.header or [self.name])]


class Issuer(_Body):
    """Ô 2 and everything the body needs to know about the issuing body (from a profile or the document)."""

    level: Level
    parent: Annotated[list[str], BeforeValidator(_as_list)] = _fresh(list)  # cơ quan chủ quản line(s), regular
    place: str  # địa danh of ô 4
    area: str | None = None  # "tỉnh", "quận", "phường": for "trên địa bàn …"
    drafting_units: dict[str, str] = _fresh(dict)  # code → name, e.g. KGVX: Phòng Khoa giáo - Văn xã
    signers: dict[str, Signer] = _fresh(dict)
    template: str | None = None


# ---------------------------------------------------------------- references (căn cứ, thực hiện)


class Reference(Strict):
    """A cited document: rendered 'Công văn số 4342/BGDĐT-GDTX ngày 07/9/2022 của Bộ … về việc …'."""

    kind: str  # a key of kinds.yaml (cong_van, ke_hoach…) or a name ("Thông tư", "Nghị quyết")
    number: str
    symbol: str
    date: Day
    issuer: str | None = None
    summary: str | None = None  # appended as written: "về việc tổ chức …"

    @field_validator("symbol")
    @classmethod
    def _symbol_no_spaces(cls, v: str) -> str:
        v = v.strip().lstrip("/")
        if re.search(r"\s", v):
            raise ValueError(f"ký hiệu không có khoảng trắng (symbol without spaces): {v!r}")
        return v

    def kind_name(self) -> str:
        known = law.kinds().get(self.kind)
        name = known.name if known else self.kind.replace("_", " ")
        return name[:1].upper() + name[1:]


class Basis(Strict):
    """One căn cứ paragraph: lead + references joined by '; ' + text."""

    lead: str = "Căn cứ"
    refs: list[Reference] = _fresh(list)
    text: str = ""

    @model_validator(mode="after")
    def _not_empty(self) -> Basis:
        if not self.refs and not self.text:
            raise ValueError("căn cứ (basis) cần ít nhất một văn bản (refs) hoặc nội dung (text)")
        return self


# ---------------------------------------------------------------- campaign


class Campaign(Strict):
    name: str  # "Tuần lễ hưởng ứng học tập suốt đời"
    year: int
    theme: str | None = None
    start: Day | None = None
    end: Day | None = None
    opening_day: Day | None = None
    report_deadline: Day | None = None

    @model_validator(mode="after")
    def _dates_in_order(self) -> Campaign:
        if self.start and self.end and self.end < self.start:
            raise FieldError("end", f"ngày kết thúc (end) {self.end} trước ngày bắt đầu (start) {self.start}")
        if self.opening_day and self.start and self.end and not self.start <= self.opening_day <= self.end:
            raise FieldError("opening_day", "ngày khai mạc (opening_day) phải nằm trong thời gian tổ chức")
        return self


# ---------------------------------------------------------------- body blocks


class Run(Strict):
    text: str
    bold: bool = False
    italic: bool = False


class Paragraph(Strict):
    """A paragraph: literal `text`, `runs` with bold/italic, or `fill` with {campaign.start}-style fields."""

    text: str | None = None
    runs: list[Run] | None = None
    fill: str | None = None
    bold: bool = False
    italic: bool = False

    @model_validator(mode="after")
    def _exactly_one(self) -> Paragraph:
        given = [k for k in ("text", "runs", "fill") if getattr(self, k) is not None]
        if len(given) != 1:
            raise ValueError("đoạn văn (paragraph) cần đúng một trong các khóa text, runs, fill")
        return self


class Item(Strict):
    """A list item: the paragraph itself and, optionally, a nested list."""

    text: str | None = None
    runs: list[Run] | None = None
    fill: str | None = None
    items: list[ItemLike] = _fresh(list)
    marker: str | None = None  # marker of the nested list


ItemLike = Annotated[str | Item, Field(union_mode="left_to_right")]

MARKERS = ("-", "+", "a)", "1)", "1.", "•")
# Heading styles by depth (nd30.md §9): Phần/Chương (Roman, own line, title under it), Mục (Arabic, the same),
# Điều (counted through the whole document), khoản "1.", điểm "a)"; phần-mục documents: I., 1., 1.1.
NUMBERING = (
    "Phần I",
    "Chương I",
    "Mục 1",
    "Điều 1.",
    "I.",
    "1.",
    "1.1.",
    "a)",
)  # "1.": numbered lines (slogans of a phụ lục)


class ItemList(Strict):
    items: list[ItemLike]
    marker: str = "-"

    @field_validator("marker")
    @classmethod
    def _known_marker(cls, v: str) -> str:
        if v not in MARKERS:
            raise ValueError(f"ký hiệu đầu dòng (marker) phải là một trong {', '.join(MARKERS)}")
        return v


class Task(Strict):
    """A unit's assignment in 'Tổ chức thực hiện': heading = prefix + unit, then its duties."""

    unit: str
    prefix: str = ""  # "Giao", "Đề nghị"
    unit_type: str | None = None  # catalogue key used when deriving lower-level plans
    duties: list[Block] = _fresh(list)

    def heading(self) -> str:
        return f"{self.prefix} {self.unit}".strip()


class Section(Strict):
    """A numbered part. `heading` is its title (bold, "Điều 1. Phạm vi điều chỉnh"); `numbered` instead is
    running text after a bold number (a quyết định's "**Điều 1.** Thành lập Ban Tổ chức …")."""

    heading: str | None = None
    numbered: str | None = None
    content: list[Block] = _fresh(list)
    tasks: list[Task] = _fresh(list)
    task_style: Literal["section", "inline"] = "section"  # inline: "a) Unit: duty; duty."

    @model_validator(mode="after")
    def _heading_or_text(self) -> Section:
        if (self.heading is None) == (self.numbered is None):
            raise ValueError("mục (section) cần đúng một trong hai khóa heading (tiêu đề) hoặc numbered (nội dung)")
        return self


# ---------------------------------------------------------------- tables


class Column(Strict):
    """A table column; `columns` makes it a merged header cell over sub-columns ("Số lượng" over
    "Số lớp/số cuộc thi" and "Người"). Leaves name the row key that fills them."""

    title: str
    key: str | None = None
    width: float = 1.0  # relative share of the text width
    align: Literal["left", "center", "right"] | None = None  # default: figures right, others left
    figures: bool = False  # numeric: checked, printed "1.250.000", summed by aggregation
    columns: list[Column] = _fresh(list)

    @model_validator(mode="after")
    def _leaf_or_group(self) -> Column:
        if self.columns and (self.key or self.figures):
            raise ValueError(f"cột nhóm '{self.title}' (column group) không có key/figures; đặt ở các cột con")
        if not self.columns and not self.key:
            raise ValueError(f"cột '{self.title}' cần khóa dữ liệu (key), ví dụ key: so_luong")
        if self.key and not re.fullmatch(r"[a-z][a-z0-9_]*", self.key):
            raise ValueError(f"khóa cột (key) chỉ gồm chữ thường không dấu, số và '_': {self.key!r}")
        if self.width <= 0:
            raise ValueError("độ rộng cột (width) phải lớn hơn 0")
        return self

    def leaves(self) -> list[Column]:
        return [leaf for c in self.columns for leaf in c.leaves()] if self.columns else [self]

    def depth(self) -> int:
        return 1 + max((c.depth() for c in self.columns), default=0)


Cellvalue = str | int | float | None


class TableRow(BaseModel):
    """One row: values by column key (`stt: "1"`, `label: …`, `so_luong: 12`), plus row options."""

    model_config = ConfigDict(extra="allow")

    id: str | None = None  # stable row id: figures from CSV and aggregation are matched by it
    group: bool = False  # a group heading row ("1. Các lớp bồi dưỡng…"), bold
    figures: list[str] | None = None  # figure columns this row carries; default all, [] for none

    @model_validator(mode="after")
    def _scalar_values(self) -> TableRow:
        for k, v in (self.model_extra or {}).items():
            if not isinstance(v, str | int | float | None):
                raise ValueError(f"ô '{k}' (cell) cần một giá trị đơn (text or number), không phải danh sách/bảng")
        return self

    def values(self) -> dict[str, Cellvalue]:
        return dict(self.model_extra or {})


def parse_figure(raw: Any) -> int | Decimal:
    """A figure as written by a person: 1250000, "1.250.000" (Vietnamese grouping), "12,5".
    Raises ValueError (Vietnamese message) on text or negative numbers; never guesses."""
    if isinstance(raw, bool):
        raise ValueError(f"không phải số (not a number): {raw!r}")
    if isinstance(raw, int | Decimal):
        value: int | Decimal = raw
    elif isinstance(raw, float):
        value = Decimal(str(raw))
    else:
        text = str(raw).strip().replace(" ", "")
        if re.fullmatch(r"-?\d{1,3}(\.\d{3})+", text):  # grouping dots: 1.250.000
            text = text.replace(".", "")
        if re.fullmatch(r"-?\d+", text):
            value = int(text)
        elif re.fullmatch(r"-?\d+,\d+", text):  # decimal comma: 12,5
            value = Decimal(text.replace(",", "."))  # exact sums, unlike float
        else:
            raise ValueError(f"không phải số (not a number): {raw!r}")
    if value < 0:
        raise ValueError(f"số liệu âm (negative figure): {raw!r}")
    return value


def format_figure(value: int | Decimal) -> str:
    """Vietnamese grouping and decimal comma: 1.250.000, 12,5 (babel's `vi` locale gets these right)."""
    return format_decimal(value, locale="vi", decimal_quantization=False)


def blank(raw: Any) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip())


class DataTable(Strict):
    """A Word table: header rows from `columns`, body rows from `rows` (or figures from a CSV file)."""

    columns: list[Column]
    rows: list[TableRow] = _fresh(list)
    figures_csv: str | None = None  # path relative to the YAML: id,<figure key>,… (report.py)
    font_size: int | None = None  # half-points, within nd30.yaml `bang` (default 24 = 12 pt)

    @model_validator(mode="after")
    def _consistent(self) -> DataTable:
        leaves = self.leaves()
        keys = [c.key for c in leaves]
        dup = sorted({k for k in keys if keys.count(k) > 1})  # type: ignore[type-var]
        if dup:
            raise ValueError(f"khóa cột (key) bị lặp (duplicate): {', '.join(dup)}")  # type: ignore[arg-type]
        figures = {c.key for c in leaves if c.figures}
        problems, ids = [], set()
        for n, row in enumerate(self.rows, 1):
            where = f"hàng (row) {row.id or n}"
            if row.id is not None:
                if row.id in ids:
                    problems.append(f"{where}: id bị lặp (duplicate row id)")
                ids.add(row.id)
            unknown = [k for k in row.values() if k not in keys]
            if unknown:
                problems.append(f"{where}: không có cột {', '.join(unknown)} (unknown column); có: {', '.join(keys)}")  # type: ignore[arg-type]
            for k in row.figures or []:
                if k not in figures:
                    problems.append(f"{where}: '{k}' không phải cột số liệu (figures column)")
            for k, raw in row.values().items():
                if k in figures and not blank(raw):
                    try:
                        parse_figure(raw)
                    except ValueError as exc:
                        problems.append(f"{where}, cột '{k}': {exc}")
        if self.font_size is not None:
            low, high = rules.element("bang")["range"]
            if not low <= self.font_size <= high:
                problems.append(f"cỡ chữ bảng (font_size) phải từ {low} đến {high} (nửa điểm)")
        if problems:
            raise ValueError("; ".join(problems))
        return self

    def leaves(self) -> list[Column]:
        return [leaf for c in self.columns for leaf in c.leaves()]

    def figure_keys(self) -> list[str]:
        return [c.key for c in self.leaves() if c.figures and c.key]

    def row_figures(self, row: TableRow) -> list[str]:
        return self.figure_keys() if row.figures is None else list(row.figures)


class TableBlock(Strict):
    table: DataTable


def _block_tag(value: Any) -> str | None:
    if isinstance(value, str):
        return "str"
    if isinstance(value, dict):  # before BaseModel, whose isinstance check runs in Python
        for key, tag in (
            ("heading", "Section"),
            ("numbered", "Section"),
            ("items", "ItemList"),
            ("table", "TableBlock"),
        ):
            if key in value:
                return tag
        return "Paragraph"
    if isinstance(value, BaseModel):
        return type(value).__name__
    return None


Block = Annotated[
    Annotated[str, Tag("str")]
    | Annotated[Paragraph, Tag("Paragraph")]
    | Annotated[ItemList, Tag("ItemList")]
    | Annotated[Section, Tag("Section")]
    | Annotated[TableBlock, Tag("TableBlock")],
    Discriminator(
        _block_tag,
        custom_error_type="block",
        custom_error_message=(
            "khối nội dung (block) phải là một chuỗi, hoặc có khóa "
            "text / runs / fill / items / heading / numbered / table"
        ),
    ),
]


# ---------------------------------------------------------------- Nơi nhận


class Recipient(Strict):
    to: str
    note: str | None = None  # "(để báo cáo)", "(b/c)"


def _recipient(value: Any) -> Any:
    return {"to": value} if isinstance(value, str) else value


RecipientLike = Annotated[Recipient, BeforeValidator(_recipient)]


# ---------------------------------------------------------------- phụ lục


class ReportForm(Strict):
    """A blank báo cáo for lower units to fill (seed 000's "MẪU BÁO CÁO"): placeholder header lines
    as written ("UBND HUYỆN (QUẬN)/SỞ...."), the report's skeleton, and its table of activities."""

    issuer: Annotated[list[str], BeforeValidator(_as_list)]
    number_line: str = "Số:      /BC-....."
    date_line: str  # "....., ngày.....tháng.....năm 2022"
    title: Annotated[list[str], BeforeValidator(_as_list)]  # "BÁO CÁO …" lines, bold capitals
    note: str | None = None  # italic line under the title: "(Kèm theo Công văn số…)"
    recipients: Annotated[list[str], BeforeValidator(_as_list)] = _fresh(list)
    recipients_note: str | None = None  # "(qua Phòng Giáo dục Thường xuyên và Đại học)"
    body: list[Block] = _fresh(list)
    distribution: list[str] = _fresh(list)  # Nơi nhận lines as written
    signer: Annotated[list[str], BeforeValidator(_as_list)] = _fresh(list)  # "TRƯỞNG P. GDĐT/HIỆU TRƯỞNG/GĐ"
    signer_note: str | None = None  # "(ký tên và đóng dấu)"


class Appendix(Strict):
    """A phụ lục (NĐ 30 PL I III.1): own section, page numbers from 1, "Phụ lục I" + title + "(Kèm theo …)"."""

    title: Annotated[list[str], BeforeValidator(_as_list)] = _fresh(list)  # printed in capitals, bold
    attached: str | None = None  # the italic line, when not "(Kèm theo <this document>)"
    orientation: Literal["portrait", "landscape"] = "portrait"  # landscape: a wide table (§1)
    number: str | None = None  # "II": its number among the văn bản's phụ lục, in a file of its own (Mẫu 2.2)
    numbering: list[str] | None = None  # heading styles inside; default: the document's
    content: list[Block] = _fresh(list)
    form: ReportForm | None = None  # a report form to fill, after `content`

    @model_validator(mode="after")
    def _not_empty(self) -> Appendix:
        if not self.content and self.form is None:
            raise ValueError("phụ lục (appendix) cần nội dung (content) hoặc mẫu báo cáo (form)")
        return self


class Attachment(Strict):
    """Mẫu 1.3: the văn bản a quyết định ban hành or phê duyệt, after the signature on a page of its own:
    its tên loại and trích yếu, "(Ban hành kèm theo Quyết định số …)", then Chương/Mục/Điều with titles."""

    kind: str  # quy_dinh, quy_che, ke_hoach …: its own tên loại
    title: str
    attached: str = "Ban hành kèm theo"  # "Kèm theo" (the Mẫu's words), "Phê duyệt kèm theo" …
    numbering: list[str] = ["Chương I", "Điều 1.", "1.", "a)"]
    body: list[Block]

    @field_validator("kind")
    @classmethod
    def _known_kind(cls, v: str) -> str:
        if v not in law.kinds():
            raise ValueError(f"loại văn bản kèm theo (attachment.kind) không có trong Phụ lục III: {v!r}")
        return v

    @field_validator("numbering")
    @classmethod
    def _known_numbering(cls, v: list[str]) -> list[str]:
        return _numbering(v)

    @property
    def spec(self) -> law.Kind:
        return law.kind(self.kind)


class AttachedTo(Strict):
    """Mẫu 1.3 (điện tử), 2.2: the văn bản a file signed on its own goes with (same issuer). Its số and ký
    hiệu go in the file's ký số box; its kind, ký hiệu and issuer in the "(Kèm theo …)" line, whose number and
    day stay blank in an electronic file (PL I III.1.c)."""

    kind: str
    number: PositiveInt | None = None  # None only in a draft: the box's số left blank
    symbol: str | None = None  # default: built as the văn bản's own (KH-UBND, QĐ-UBND)
    date: Day

    @field_validator("kind")
    @classmethod
    def _known_kind(cls, v: str) -> str:
        if v not in law.kinds() or law.kind(v).separate:
            raise ValueError(f"loại văn bản (attached_to.kind) không có trong Phụ lục III: {v!r}")
        return v


class CoIssuer(_Body):
    """Another issuer of a văn bản liên tịch: its name lines under the lead issuer's, its abbreviation in the
    ký hiệu (KH-SGDĐT-SVHTTDL), its signer in `signer:` (one block per issuer)."""


class Copy(Strict):
    """Mẫu 3.1: the bản sao block under the copied document: the copying body and the form (SAO Y, SAO LỤC,
    TRÍCH SAO), its own số and ký hiệu (SY, SL, TrS), place and date, Nơi nhận and signer."""

    form: Literal["ban_sao_y", "ban_sao_luc", "ban_trich_sao"]  # kinds.yaml `copies`
    format: Literal["giay", "dien_tu"] = "giay"  # kinds.yaml `copy_formats`: Mẫu 3.1 or 3.2
    header: Annotated[list[str], BeforeValidator(_as_list)] | None = None  # default: the issuer's name
    name: str | None = None  # the copying body's name in the ký số box (Mẫu 3.2); default: the issuer's
    abbreviation: str | None = None  # default: the issuer's
    place: str | None = None
    number: PositiveInt | None = None  # paper: the copy's own số, date, signer and Nơi nhận
    date: Day | None = None
    signer: Signer | None = None
    distribution: list[RecipientLike] = _fresh(list)
    signed_at: datetime | None = None  # electronic: the copying body's ký số time, in the box instead

    @model_validator(mode="after")
    def _as_its_format(self) -> Copy:
        if self.format == "dien_tu":
            if self.signed_at is None:
                raise ValueError("bản sao điện tử (Mẫu 3.2) cần thời gian ký số (signed_at)")
            if self.number is not None or self.signer is not None or self.distribution:
                raise ValueError(
                    "bản sao điện tử (Mẫu 3.2) không có số, người ký, nơi nhận riêng: chữ ký số của cơ quan sao thay"
                )
        elif self.number is None or self.date is None or self.signer is None:
            raise ValueError("bản sao giấy (Mẫu 3.1) cần số (number), ngày (date) và người ký (signer)")
        return self

    @property
    def ky_so(self) -> str | None:
        """Its ký số box (kinds.yaml `ky_so`), if its format has one."""
        return law.specs.copy_formats()[self.format].get("ky_so")

    @property
    def mark(self) -> str:
        return law.specs.copy_marks()[self.form]

    @property
    def code(self) -> str:
        return law.specs.copy_codes()[self.form]


def _numbering(v: list[str]) -> list[str]:
    for style in v:
        if style not in NUMBERING:
            raise ValueError(f"kiểu đánh số (numbering) không hỗ trợ: {style!r}; dùng {', '.join(NUMBERING)}")
    return v


# ---------------------------------------------------------------- the document


def _texts(blocks: list[Any]) -> Iterator[str]:
    """Every paragraph's text in `blocks`, nested lists and sections included (a `fill:` as written)."""
    for b in blocks:
        if isinstance(b, str):
            yield b
        elif isinstance(b, Paragraph | Item):
            yield b.text or b.fill or "".join(r.text for r in b.runs or [])
            yield from _texts(getattr(b, "items", []))
        elif isinstance(b, ItemList):
            yield from _texts(b.items)
        elif isinstance(b, Section):
            yield b.heading or b.numbered or ""
            yield from _texts(b.content)


def _opens(text: str, label: str) -> bool:
    """'Thời gian: 8 giờ …' (or '- Thời gian: …') opens with the label `label`."""
    return text.lstrip("-+• ").lower().startswith(label.lower())


def _clean_tree(value: Any) -> Any:
    if isinstance(value, str):
        return vntext.clean(value)
    if isinstance(value, dict):
        return {k: _clean_tree(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_clean_tree(v) for v in value]
    return value


class Document(Strict):
    kind: str
    profile: str | None = None
    issuer: Issuer
    number: PositiveInt | None = None
    date: Day | None = None
    year: int | None = None  # the year printed in a draft's date line; default: date or campaign year
    symbol: str | None = None  # override the built ký hiệu (after the "/")
    drafting_unit: str | None = None  # công văn: the unit code after the issuer's abbreviation
    title: str = ""  # trích yếu; for công văn, without "V/v"; none on a giấy giới thiệu, giấy nghỉ phép
    authority: str | None = None  # thẩm quyền ban hành (Mẫu 1.1–1.3): "Chủ tịch Ủy ban nhân dân tỉnh …"
    recipients: Annotated[list[str], BeforeValidator(_as_list)] = _fresh(list)  # Kính gửi
    basis: list[Basis] = _fresh(list)  # căn cứ / thực hiện
    body: list[Block] = _fresh(list)
    closing: Annotated[list[Block], BeforeValidator(_as_list)] = _fresh(list)
    # one signer, or several side by side, left to right (biên bản: thư ký, chủ tọa; văn bản liên tịch: one per
    # issuer, the lead issuer's on the right), Nơi nhận then goes under them (Mẫu 1.9)
    signer: Signer | str | list[Signer | str] | None  # None only in a file signed apart (Mẫu 1.3 điện tử, 2.2)
    distribution: list[RecipientLike] = _fresh(list)  # Nơi nhận (without "Như trên" and "Lưu")
    archive: Annotated[list[str], BeforeValidator(_as_list)] = _fresh(list)  # "Lưu: VT, <these>."
    drafter_mark: str | None = None  # ô 12, e.g. "PL.(300)"
    campaign: Campaign | None = None
    # heading styles by depth: "I.", "1.", "1.1.", "a)"
    numbering: list[str] = Field(default_factory=lambda: ["1.", "1.1."])
    citation_dates: Literal["short", "long"] = "short"  # 07/9/2022 or ngày 07 tháng 9 năm 2022
    draft: bool = False
    appendices: list[Appendix] = _fresh(list)  # phụ lục, each in its own section after the signature
    attachment: Attachment | None = None  # Mẫu 1.3: the văn bản this quyết định ban hành (phê duyệt)
    copy_of: Copy | None = None  # Mẫu 3.1: this document as a bản sao, the copy block under it
    co_issuers: list[CoIssuer] = _fresh(list)  # văn bản liên tịch: the issuers besides `issuer`, in the header's order
    attached_to: AttachedTo | None = None  # a file signed on its own (Mẫu 1.3 điện tử, 2.2): its văn bản
    signed_at: datetime | None = None  # ... and the văn thư's ký số time, printed in its box
    unit: str | None = None  # báo cáo: the reporting unit's short name in a tổng hợp ("Phường Tân Phú")

    @model_validator(mode="before")
    @classmethod
    def _clean_text(cls, data: Any, info: ValidationInfo) -> Any:
        # Scripts may build documents without the loader: the same text rules apply. The library's own
        # documents (derived from cleaned text) pass context={"clean": True} and skip the walk.
        if info.context and info.context.get("clean"):
            return data
        return _clean_tree(data) if isinstance(data, dict) else data

    @model_validator(mode="before")
    @classmethod
    def _no_signer_in_a_separate_file(cls, data: Any) -> Any:
        # The agency's ký số stands for the signer of a file signed apart: `signer` is required everywhere else.
        kind = data.get("kind") if isinstance(data, dict) else None
        if isinstance(kind, str) and kind in law.kinds() and law.kind(kind).separate:
            return {"signer": None, **data}
        return data

    @field_validator("kind")
    @classmethod
    def _known_kind(cls, v: str) -> str:
        if v not in law.kinds():
            raise ValueError(
                f"loại văn bản (kind) không có trong Phụ lục III: {v!r}; ví dụ: cong_van, ke_hoach, bao_cao"
            )
        return v

    @field_validator("numbering")
    @classmethod
    def _known_numbering(cls, v: list[str]) -> list[str]:
        return _numbering(v)

    @field_validator("symbol")
    @classmethod
    def _symbol_shape(cls, v: str | None) -> str | None:
        if v is None:
            return v
        v = v.strip().lstrip("/")
        if not L.SO.SYMBOL.match(v):
            raise ValueError(f"ký hiệu (symbol) sai dạng, ví dụ 'KH-UBND', 'SGDĐT-GDTX': {v!r}")
        if "CV" in v.split("-"):
            raise ValueError("công văn không có mã 'CV' trong ký hiệu (NĐ 30 Phụ lục III)")
        return v

    @model_validator(mode="after")
    def _consistent(self) -> Document:
        if self.spec.separate:
            return self._separate_file()
        if self.signer is None:
            raise FieldError("signer", "thiếu trường bắt buộc (missing field)")
        if self.attached_to is not None or self.signed_at is not None:
            raise FieldError("attached_to", "chỉ phụ lục, văn bản kèm theo trong tệp riêng (Mẫu 1.3 điện tử, 2.2)")
        if isinstance(self.signer, list) and not self.signer:
            raise FieldError("signer", "danh sách người ký (signer) trống")
        issuers = 1 + len(self.co_issuers)
        if self.co_issuers and (not isinstance(self.signer, list) or len(self.signer) != issuers):
            raise FieldError(
                "signer", f"văn bản liên tịch của {issuers} cơ quan cần {issuers} người ký (signer: danh sách)"
            )
        for who in self.signer if isinstance(self.signer, list) else [self.signer]:
            if isinstance(who, str) and who not in self.issuer.signers:
                known = ", ".join(self.issuer.signers) or "chưa khai báo"
                raise FieldError("signer", f"không có người ký '{who}' trong hồ sơ cơ quan (signers: {known})")
        if self.spec.authority_required and not self.authority:
            raise FieldError(
                "authority",
                f"{self.spec.name.lower()} cần dòng thẩm quyền ban hành (authority), "
                "ví dụ 'CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH …'",
            )
        if self.authority and not self.spec.authority_required:
            raise FieldError("authority", f"{self.spec.name.lower()} không có dòng thẩm quyền ban hành (Mẫu 1.1–1.3)")
        if self.attachment is not None and self.spec.body != "dieu":
            raise FieldError("attachment", "chỉ quyết định, nghị quyết ban hành (phê duyệt) văn bản kèm theo (Mẫu 1.3)")
        has_title = bool({"trich_yeu", "vv"} & set(self.spec.elements))
        if not self.title.strip() and has_title:
            raise FieldError("title", f"thiếu trường bắt buộc (missing field): {self.spec.name.lower()} cần trích yếu")
        if self.title.strip() and not has_title:
            raise FieldError("title", f"{self.spec.name.lower()} không có trích yếu (Mẫu {self.spec.mau})")
        fields = self.spec.fields_for(self.title)
        if missing := [f for f in fields if not any(_opens(t, f) for t in _texts(self.body))]:
            labels = ", ".join(f"'{f}: …'" for f in missing)
            raise FieldError(
                "body", f"{self.spec.name.lower()} cần dòng {labels} trong nội dung (body) theo Mẫu {self.spec.mau}"
            )
        if self.spec.kinh_gui_required and not self.recipients:
            raise FieldError("recipients", f"{self.spec.name.lower()} cần 'Kính gửi' (recipients)")
        if self.is_cong_van and not (self.symbol or self.drafting_unit):
            raise FieldError("drafting_unit", "công văn cần đơn vị soạn thảo (drafting_unit) để lập ký hiệu: 'GDTX'")
        if self.drafting_unit and self.issuer.drafting_units and self.drafting_unit not in self.issuer.drafting_units:
            unit = self.drafting_unit
            raise FieldError("drafting_unit", f"đơn vị soạn thảo (drafting_unit) '{unit}' không có trong hồ sơ cơ quan")
        if self.date is None and self.year is None and self.campaign is None:
            raise FieldError("date", "cần ngày ban hành (date) hoặc năm (year) để in dòng địa danh, ngày tháng")
        return self

    def _separate_file(self) -> Document:
        """Mẫu 2.2: one phụ lục; Mẫu 1.3 điện tử: the văn bản of a quyết định; each with the văn bản it goes
        with and the ký số time, nothing of a văn bản's own (số, date, trích yếu, body, signer)."""
        mau = f"Mẫu {self.spec.mau}"
        if self.attached_to is None:
            raise FieldError("attached_to", f"{mau}: cần văn bản đi kèm (attached_to: kind, number, date)")
        if self.signed_at is None:
            raise FieldError("signed_at", f"{mau}: cần thời gian ký số của cơ quan (signed_at)")
        if self.attached_to.number is None and not self.draft:
            raise FieldError("attached_to", f"{mau}: cần số của văn bản đi kèm (attached_to.number) hoặc draft: true")
        own = {"signer": self.signer, "number": self.number, "date": self.date, "title": self.title.strip()}
        own |= {"body": self.body, "basis": self.basis, "recipients": self.recipients, "copy_of": self.copy_of}
        if extra := [k for k, v in own.items() if v]:
            raise FieldError(
                extra[0], f"{mau}: tệp kèm theo không có {extra[0]} riêng (số, ngày là của văn bản đi kèm)"
            )
        if "phu_luc_so" in self.spec.elements and len(self.appendices) != 1:
            raise FieldError("appendices", f"{mau}: mỗi tệp một phụ lục (appendices: một phụ lục)")
        needs_van_ban = "ten_loai" in self.spec.elements
        if needs_van_ban and (self.attachment is None or law.kind(self.attached_to.kind).body != "dieu"):
            raise FieldError("attachment", f"{mau}: văn bản (attachment) ban hành kèm theo quyết định (attached_to)")
        return self

    def attached_document(self) -> Document:
        """The văn bản this file goes with, as a document of its kind (same issuer): for its ký hiệu, kind name
        and the "(Kèm theo …)" line."""
        to = self.attached_to
        assert to is not None
        update = {"kind": to.kind, "number": to.number, "date": to.date, "symbol": to.symbol}
        return self.model_copy(update=update)

    # -- derived values used by composition

    @property
    def spec(self) -> law.Kind:
        return law.kind(self.kind)

    @property
    def is_cong_van(self) -> bool:
        return self.spec.is_cong_van

    @property
    def kind_name(self) -> str:
        return self.spec.name

    @property
    def the_signer(self) -> Signer:
        """The signer; of several, the one on the right (chủ tọa, the lead issuer)."""
        return self.all_signers[-1]

    @property
    def all_signers(self) -> list[Signer]:
        who = self.signer if isinstance(self.signer, list) else [self.signer]
        return [self.issuer.signers[s] if isinstance(s, str) else s for s in who]  # type: ignore[misc]

    @property
    def the_year(self) -> int:
        if self.date and not self.draft:
            return self.date.year
        return self.year or (self.date.year if self.date else self.campaign.year)  # type: ignore[union-attr]

    def full_symbol(self) -> str:
        """Ký hiệu per NĐ 30 §5.2: code-issuer for named kinds, issuer-unit for công văn (never 'CV')."""
        if self.symbol:
            return self.symbol
        issuers = "-".join([self.issuer.abbreviation, *(c.abbreviation for c in self.co_issuers)])
        return self.spec.symbol(issuers, self.drafting_unit)


Item.model_rebuild()
Task.model_rebuild()
Section.model_rebuild()
Column.model_rebuild()
ReportForm.model_rebuild()
Appendix.model_rebuild()
Document.model_rebuild()
