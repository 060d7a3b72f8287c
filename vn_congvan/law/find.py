"""What an ND30 line is, from its text alone: the classification the checker's finder (check/locate, over
a .docx's paragraphs with their layout) and the parser (parse, over any reader's lines) share. Layout
facts (cell, bold, alignment) only refine it, in each finder; the text patterns are law.lines'."""

from __future__ import annotations

import re
from enum import Enum
from functools import cache

from . import lines as L
from .specs import body_types, cited_names, kinds


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
    if (
        L.PART_HEAD.match(text)
        or L.SECTION_HEAD.match(text)
        or L.DIEU.match(text)
        or L.ROMAN_ITEM.match(text)
        or L.ARABIC_ITEM.match(text)
    ):
        return Role.HEADING
    if L.DIEM.match(text) or L.DASH_ITEM.match(text):
        return Role.ITEM
    return None


def is_caps(text: str) -> bool:
    """Written in capitals (two letters at least): a header, tên loại or signer line."""
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


@cache
def _cites() -> re.Pattern[str]:
    """A căn cứ cites a document (or a proposal): "Căn cứ Luật …", "Căn cứ Công văn số …", "Theo đề nghị của …"."""
    names = sorted({k.name for k in kinds().values() if not k.separate} | set(cited_names()), key=len, reverse=True)
    return re.compile(rf"\b({'|'.join(map(re.escape, names))})\b|\bsố \d+/|^(Theo|Xét) đề nghị của\b")


def cites(text: str) -> bool:
    return bool(_cites().search(text))


def is_basis(text: str) -> bool:
    """A căn cứ ban hành: an italic lead ('Căn cứ', 'Theo đề nghị' …) citing a document; 'Căn cứ tình hình …'
    that cites nothing is body text."""
    return L.basis_lead(text) is not None and cites(text)


def opens_body(text: str) -> bool:
    """A header line that opens an issuing body's name ('SỞ …', 'ỦY BAN NHÂN DÂN …'; levels.yaml body_types)."""
    t = L.fold(text)
    return any(t.startswith(L.fold(w) + " ") or t == L.fold(w) for w in body_types())


def header_like(text: str) -> bool:
    """A line of the header's left column: the issuer in capitals, the số, a V/v, or the date line."""
    return bool((is_caps(text) and len(text) > 4) or text.startswith("Số") or role(text) in (Role.VV, Role.DATE))


def issuer_split(texts: list[str], bolds: list[bool] | None = None) -> int:
    """Where the issuing body starts among the header's left lines (ô 2): after the leading non-bold chủ
    quản lines when the layout says which are bold; otherwise (all bold, or text without layout) at the
    last line that opens a body's name ('UBND TỈNH LÀO CAI' over 'SỞ CÔNG THƯƠNG')."""
    split = 0
    if bolds is not None and any(bolds):
        while split < len(texts) and not bolds[split]:
            split += 1
    if split == 0 and (bolds is None or all(bolds)):
        opens = [i for i, t in enumerate(texts) if i and opens_body(t)]
        split = opens[-1] if opens else 0
        if len(opens) >= 2 and opens_body(texts[0]):  # 'BỘ CÔNG AN' / 'BỘ QUỐC PHÒNG' / 'BỘ Y TẾ' …:
            split = 0  # the issuers of a văn bản liên tịch, stacked, none of them a chủ quản
    return split
