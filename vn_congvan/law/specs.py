"""Document kinds (Phụ lục III) and issuer levels as small spec objects, read from data/kinds.yaml and
data/levels.yaml. Code asks a Kind or a Level what it needs instead of comparing key strings."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from .. import rules


@dataclass(frozen=True, slots=True)
class Kind:
    key: str
    name: str  # tên loại: "Kế hoạch"
    code: str | None  # chữ viết tắt in the ký hiệu: "KH"; None for a công văn
    layout: str  # template: "cong_van" (Mẫu 1.5), "co_ten_loai" (Mẫu 1.4) or "tep_rieng" (a file signed apart)
    kinh_gui_required: bool
    body: str  # "muc" (I., 1., a)) or "dieu" (Điều 1., khoản, điểm)
    symbol_rule: str  # "code_issuer" (KH-UBND) or "issuer_unit" (UBND-VP)
    structure: str = ""  # key of kinds.yaml `structures` (or `layouts`): its elements in page order
    authority_required: bool = False  # a thẩm quyền ban hành line over the căn cứ (Mẫu 1.1–1.3)
    enacting: str | None = None  # "QUYẾT ĐỊNH:" between the căn cứ and the articles
    mau: str | None = None  # the Phụ lục III Mẫu it follows: "1.2"
    address: str | None = None  # the label over the recipients instead of "Kính gửi:": "{authority} điện:"
    fields: tuple[str, ...] = ()  # labelled lines its body must carry: "Thời gian", "Địa điểm"
    fields_when: tuple[str, ...] = ()  # words of the trích yếu that make `fields` apply; none: always
    ky_so: str | None = None  # its agency ký số box (a key of kinds.yaml `ky_so`): a file signed on its own

    @property
    def separate(self) -> bool:
        """A file signed apart from its văn bản (kinds.yaml `files`: Mẫu 1.3 điện tử, 2.2): not a tên loại."""
        return self.layout == "tep_rieng"

    def fields_for(self, title: str) -> tuple[str, ...]:
        """The labelled lines a document with this trích yếu must carry."""
        low = title.lower()
        return self.fields if not self.fields_when or any(w in low for w in self.fields_when) else ()

    @property
    def is_cong_van(self) -> bool:
        """No tên loại line: the trích yếu is a 'V/v …' under the number (Mẫu 1.5)."""
        return self.layout == "cong_van"

    @property
    def elements(self) -> list[str]:
        """Its ND30 elements in page order (kinds.yaml `layouts`; formats in nd30.yaml `elements`)."""
        data = _kinds_file()
        return list({**data["layouts"], **data.get("structures", {})}[self.structure or self.layout])

    def symbol(self, issuer: str, unit: str | None = None) -> str:
        """Ký hiệu per NĐ 30 PL III: code-issuer for named kinds, issuer-unit for a công văn (never 'CV')."""
        if self.symbol_rule == "issuer_unit":
            return f"{issuer}-{unit}"
        return f"{self.code}-{issuer}"


@dataclass(frozen=True, slots=True)
class Level:
    key: str
    name: str
    rank: int | None  # Bộ 0, tỉnh/Sở 1, huyện/Phòng 2, xã 3; None: placed by its parent
    header_words: tuple[str, ...]  # caps words opening the issuer's name: "SỞ"
    area: str | None  # the word for its territory in running text: "tỉnh"
    unit_types: tuple[str, ...] = ()  # a territorial level's administrative unit types: "huyện", "quận" …
    eras: tuple[str, ...] | None = None  # the eras it exists in (None: all)
    speaks_as: str | None = None  # key of the territorial level whose words it uses when it has none of its own
    children: tuple[str, ...] = ()  # keys of same-rank or unranked levels implementing its documents
    through: str | None = None  # key of the level its documents derive through, in the eras where that exists
    lower: str | None = None  # its units below when the unit data cannot tell: "các xã, phường, thị trấn"

    @property
    def header_widths(self) -> tuple[int, int]:
        """(left, right) twips of this level's header table."""
        return rules.header_table(self.key)

    def exists_in(self, era: str) -> bool:
        return self.eras is None or era in self.eras

    @property
    def is_territorial(self) -> bool:
        """A level of administrative units (tỉnh, huyện, xã): the unit data has units of it."""
        return bool(self.unit_types)

    @property
    def is_lowest_unit(self) -> bool:
        """The lowest territorial level: the unit data has nothing below its units (thôn, tổ dân phố)."""
        return self.is_territorial and self is territorial_levels()[-1]

    def implemented_by(self, child: Level, seat: Level) -> bool:
        """Whether a document of `child`, speaking as `seat` (its own level, or the territory it serves), may
        implement one of this level's: a lower rank, or one of its listed children (a Sở below its tỉnh)."""
        if child.key in self.children:
            return True
        return seat.rank is not None and self.rank is not None and seat.rank > self.rank


@cache
def _kinds_file() -> dict[str, Any]:
    return rules.read_data("kinds.yaml")


@cache
def kinds() -> dict[str, Kind]:
    """Every kind the YAML may name: the văn bản of Điều 7 (`kinds`) and the files signed apart (`files`)."""
    out = {}
    data = _kinds_file()
    for key, row in {**data["kinds"], **data.get("files", {})}.items():
        out[key] = Kind(
            key=key,
            name=row["name"],
            code=row.get("code"),
            layout=row["layout"],
            kinh_gui_required=row.get("kinh_gui") == "required",
            body=row.get("body", "muc"),
            symbol_rule=row.get("symbol", "code_issuer"),
            structure=row.get("structure", row["layout"]),
            authority_required=row.get("authority") == "required",
            enacting=row.get("enacting"),
            mau=row.get("mau"),
            fields=tuple(row.get("fields", [])),
            address=row.get("address"),
            fields_when=tuple(row.get("fields_when", [])),
            ky_so=row.get("ky_so"),
        )
    return out


def kind(key: str) -> Kind:
    return kinds()[key]


@cache
def cong_van() -> Kind:
    """The kind without a tên loại (Mẫu 1.5): what a document with V/v and Kính gửi but no tên loại is."""
    return next(k for k in kinds().values() if k.is_cong_van)


@cache
def kind_by_name() -> dict[str, Kind]:
    """'kế hoạch' → Kind (lower-case tên loại)."""
    return {k.name.lower(): k for k in kinds().values() if not k.separate}


@cache
def copy_codes() -> dict[str, str]:
    """Bản sao codes (SY, TrS, SL) by key."""
    return dict(_kinds_file().get("copies", {}))


@cache
def field_words() -> dict[str, list[str]]:
    """Regexes by which a field ('Thời gian', 'Địa điểm') shows in a received document (kinds.yaml)."""
    return {k: list(v) for k, v in _kinds_file().get("field_words", {}).items()}


@cache
def copy_marks() -> dict[str, str]:
    """Bản sao forms (SAO Y, SAO LỤC, TRÍCH SAO) by key (Mẫu 3.1)."""
    return dict(_kinds_file().get("copy_marks", {}))


@cache
def copy_formats() -> dict[str, dict[str, str]]:
    """A bản sao's formats (giay: Mẫu 3.1, dien_tu: Mẫu 3.2 with its ký số box) by key."""
    return dict(_kinds_file().get("copy_formats", {}))


@cache
def ky_so() -> dict[str, str]:
    """The agency's ký số box: its text per thing signed (van_ban, ban_sao), the time pattern and zone."""
    return dict(_kinds_file()["ky_so"])


def cited_names() -> list[str]:
    """Kinds a căn cứ may cite besides those of Phụ lục III (kinds.yaml `cited`)."""
    return list(_kinds_file().get("cited", []))


def normative_names() -> list[str]:
    """Tên loại of legal normative documents (kinds.yaml `normative`)."""
    return list(_kinds_file().get("normative", []))


@cache
def kind_codes() -> set[str]:
    """Every chữ viết tắt of Phụ lục III: kinds and bản sao."""
    return {k.code for k in kinds().values() if k.code} | set(copy_codes().values())


@cache
def levels() -> dict[str, Level]:
    raw = rules.read_data("levels.yaml")["levels"]
    return {
        key: Level(
            key,
            row["name"],
            row.get("rank"),
            tuple(row.get("header_words", [])),
            row.get("area"),
            unit_types=tuple(row.get("unit_types", [])),
            eras=tuple(str(e) for e in row["eras"]) if "eras" in row else None,
            speaks_as=row.get("speaks_as"),
            children=tuple(row.get("children", [])),
            through=row.get("through"),
            lower=row.get("lower"),
        )
        for key, row in raw.items()
    }


@cache
def territorial_levels() -> tuple[Level, ...]:
    """The levels of administrative units, highest first: tỉnh, huyện, xã."""
    return tuple(sorted((lv for lv in levels().values() if lv.is_territorial), key=lambda lv: lv.rank or 0))


def levels_of_type(unit_type: str) -> tuple[Level, ...]:
    """The levels a unit type can be, highest first: 'thành phố' → (tỉnh, huyện); 'phường' → (xã,)."""
    return tuple(lv for lv in territorial_levels() if unit_type in lv.unit_types)


@cache
def body_types() -> list[str]:
    """Words that open an issuing body's name: 'Ủy ban nhân dân', 'Sở', 'Phòng' … (levels.yaml)."""
    raw = rules.read_data("levels.yaml")
    return list(raw.get("body_types", []))


def level(key: str) -> Level:
    return levels()[key]
