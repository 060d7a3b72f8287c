"""Document kinds (Phụ lục III) and issuer levels as small spec objects, read from data/kinds.yaml and
data/levels.yaml. Code asks a Kind or a Level what it needs instead of comparing key strings."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

import yaml

from .. import rules
from ..paths import DATA


@dataclass(frozen=True, slots=True)
class Kind:
    key: str
    name: str  # tên loại: "Kế hoạch"
    code: str | None  # chữ viết tắt in the ký hiệu: "KH"; None for a công văn
    layout: str  # template: "cong_van" (Mẫu 1.5) or "co_ten_loai" (Mẫu 1.4)
    kinh_gui_required: bool
    body: str  # "muc" (I., 1., a)) or "dieu" (Điều 1., khoản, điểm)
    symbol_rule: str  # "code_issuer" (KH-UBND) or "issuer_unit" (UBND-VP)
    structure: str = ""  # key of kinds.yaml `structures` (or `layouts`): its elements in page order
    authority_required: bool = False  # a thẩm quyền ban hành line over the căn cứ (Mẫu 1.1–1.3)
    enacting: str | None = None  # "QUYẾT ĐỊNH:" between the căn cứ and the articles
    mau: str | None = None  # the Phụ lục III Mẫu it follows: "1.2"
    fields: tuple[str, ...] = ()  # labelled lines its body must carry: "Thời gian", "Địa điểm"
    fields_when: tuple[str, ...] = ()  # words of the trích yếu that make `fields` apply; none: always

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

    @property
    def header_widths(self) -> tuple[int, int]:
        """(left, right) twips of this level's header table."""
        return rules.header_table(self.key)


@cache
def _kinds_file() -> dict[str, Any]:
    return yaml.safe_load((DATA / "kinds.yaml").read_text(encoding="utf-8"))


@cache
def kinds() -> dict[str, Kind]:
    out = {}
    for key, row in _kinds_file()["kinds"].items():
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
            fields_when=tuple(row.get("fields_when", [])),
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
    return {k.name.lower(): k for k in kinds().values()}


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
    raw = yaml.safe_load((DATA / "levels.yaml").read_text(encoding="utf-8"))["levels"]
    return {
        key: Level(key, row["name"], row.get("rank"), tuple(row.get("header_words", [])), row.get("area"))
        for key, row in raw.items()
    }


@cache
def body_types() -> list[str]:
    """Words that open an issuing body's name: 'Ủy ban nhân dân', 'Sở', 'Phòng' … (levels.yaml)."""
    raw = yaml.safe_load((DATA / "levels.yaml").read_text(encoding="utf-8"))
    return list(raw.get("body_types", []))


def level(key: str) -> Level:
    return levels()[key]
