"""An issuing body's name as NĐ 30 Phụ lục II writes it, from its header lines printed in capitals.

    >>> agency_name(["ỦY BAN NHÂN DÂN", "XÃ CHÍ MINH"])
    'Ủy ban nhân dân xã Chí Minh'
    >>> agency_name(["TRƯỜNG TRUNG HỌC CƠ SỞ LÊ QUÝ ĐÔN"])
    'Trường Trung học cơ sở Lê Quý Đôn'

The name is read as [body type] [field] [place] (nd30.md §13): the body type from levels.yaml `body_types`
("Sở", "Ban Chỉ đạo"), capitalised as written there; the field with the first letter of each of its parts
capitalised ("Giáo dục và Đào tạo", "Văn hóa - Xã hội"); the place from the last administrative unit word
whose name the unit data knows ("tỉnh Lào Cai", "Quận 7": a numbered or person-named unit keeps its type in
capitals). A school's level ("Trung học cơ sở", "THCS") is followed by the school's own name, every syllable
capitalised. Acronyms and codes (UBND, GD&ĐT, 19-5) stay as written. Joint issuers, one per line, are joined
with " - ".
"""

from __future__ import annotations

import re
from functools import cache

from . import law, units
from .law import lines as L
from .readers.quality import is_syllable
from .rules import read_data

_UNIT_WORDS = ("thành phố", "thủ đô", "thị xã", "thị trấn", "đặc khu", "tỉnh", "quận", "huyện", "phường", "xã")
_JOINERS = re.compile(r"(\s+và\s+|\s*,\s*|\s+-\s+)", re.I)
_LOWER_FIELD = ("Ban Chỉ đạo", "Hội đồng")  # a body named by its task: "Ban Chỉ đạo xây dựng xã hội học tập"


@cache
def _data() -> dict[str, list[str]]:
    return read_data("agency_names.yaml")


@cache
def _body_types() -> list[str]:
    return sorted(law.specs.body_types(), key=len, reverse=True)


@cache
def _school_levels() -> list[str]:
    return sorted(_data()["school_levels"], key=len, reverse=True)


@cache
def _person_names() -> frozenset[str]:
    return frozenset(L.fold(n) for n in read_data("person_names.yaml"))


def acronym(token: str) -> bool:
    """UBND, GD&ĐT, PCGD, 19-5, 2: kept as written (no Vietnamese syllable to re-case)."""
    letters = re.sub(r"[^\w]", "", token)
    return bool(re.search(r"[&./\d]", token)) or not letters or not is_syllable(letters)


def _proper(tokens: list[str]) -> str:
    """Every syllable capitalised: a person's or place's name ('LÊ QUÝ ĐÔN' → 'Lê Quý Đôn')."""
    return " ".join(t if acronym(t) else t[:1].upper() + t[1:].lower() for t in tokens)


def _lower(tokens: list[str]) -> str:
    return " ".join(t if acronym(t) else t.lower() for t in tokens)


def _field(text: str) -> str:
    """'GIÁO DỤC VÀ ĐÀO TẠO' → 'Giáo dục và Đào tạo': each part's first letter capitalised."""
    out = []
    for i, part in enumerate(_JOINERS.split(text)):
        if i % 2:
            out.append(part.lower())
            continue
        words = _lower(part.split())
        out.append(words[:1].upper() + words[1:] if words and not acronym(part.split()[0]) else words)
    return "".join(out)


def _split_place(tokens: list[str]) -> int:
    """Where the place starts in `tokens` (len(tokens) when none): the last unit word followed by a name the
    unit data knows (either era), else the last one that is no common word ('xã hội')."""
    low = [L.fold(t) for t in tokens]
    found = []
    for i in range(len(tokens) - 1):
        for word in _UNIT_WORDS:
            n = len(word.split())
            if low[i : i + n] == word.split() and i + n < len(tokens):
                found.append((i, n))
                break
    for i, _ in reversed(found):
        if _known(" ".join(tokens[i:])):
            return i
    for i, _ in reversed(found):
        if not (low[i] == "xã" and low[i + 1] == "hội"):
            return i
    return len(tokens)


def _known(name: str) -> bool:
    """A unit of either era is called so ('tỉnh Lào Cai', 'Hà Nội')."""
    return any(units.named(name, era=era) for era in (units.LEGACY, units.ERA_2025))


def _tail_place(tokens: list[str]) -> int:
    """Where a place name without its unit word ends the name ('… SƯ PHẠM HÀ NỘI', 'PHÒNG GD&ĐT YÊN THẾ'):
    two or three words a province is called, or any unit after a code; len(tokens) when none."""
    for n in (3, 2):
        tail = " ".join(tokens[-n:])
        levels = {u.level for era in (units.LEGACY, units.ERA_2025) for u in units.named(tail, era=era)}
        after_code = len(tokens) > n and acronym(tokens[-n - 1])  # 'PHÒNG GD&ĐT YÊN THẾ': any unit
        if len(tokens) > n and (units.LEVELS[0] in levels or (levels and after_code)):
            return len(tokens) - n
    return len(tokens)


def _place(tokens: list[str]) -> str:
    """'TỈNH LÀO CAI' → 'tỉnh Lào Cai'; 'QUẬN 7' → 'Quận 7'; 'PHƯỜNG LÊ LỢI' → 'Phường Lê Lợi'."""
    word = next(w for w in _UNIT_WORDS if [L.fold(t) for t in tokens[: len(w.split())]] == w.split())
    name = _proper(tokens[len(word.split()) :])
    full = name[:1].isdigit() or L.fold(name) in _person_names() or f"{word} {name}" in _SPECIAL
    return f"{word[:1].upper() + word[1:] if full else word} {name}"


_SPECIAL = ("thành phố Hồ Chí Minh", "thủ đô Hà Nội")


def _starts(tokens: list[str], phrases: list[str]) -> tuple[str, int] | None:
    """The longest phrase the tokens open with, as the phrase is written, and its length in tokens. A phrase
    of three words or more is also known without its marks ('ÚY BAN NHÂN DÂN', a scan's misread 'Ủ')."""
    for phrase in phrases:
        n = len(phrase.split())
        if len(tokens) < n:
            continue
        head = " ".join(tokens[:n])
        if L.fold(head) == L.fold(phrase) or (n >= 3 and L.bare(head) == L.bare(phrase)):
            return phrase, n
    return None


def _one(text: str) -> str:
    tokens = text.split()
    head = _starts(tokens, _body_types())
    body, rest = (head[0], tokens[head[1] :]) if head else ("", tokens)
    cut = _split_place(rest)
    field, place = rest[:cut], rest[cut:]
    tail = _tail_place(field) if not place else len(field)
    field, named = field[:tail], field[tail:]
    parts = [body] if body else []
    if field:
        level = _starts(field, _school_levels()) if body == "Trường" else None
        higher = _starts(field, _data()["school_fields"]) if body == "Trường" else None
        if level:  # "Trường Trung học cơ sở" + the school's own name
            parts += [level[0], _proper(field[level[1] :])]
        elif higher:  # "Trường Đại học" + its field: "Sư phạm"
            parts += [higher[0], _field(" ".join(field[higher[1] :]))]
        elif body in _LOWER_FIELD:
            parts.append(_lower(field))
        elif body:
            parts.append(_field(" ".join(field)))
        else:
            words = _lower(field)
            parts.append(words[:1].upper() + words[1:])
    if named:
        parts.append(_proper(named))
    if place:
        parts.append(_place(place))
    name = " ".join(p for p in parts if p)
    for spelling in _data()["spellings"]:
        name = re.sub(rf"(?<!\w){re.escape(spelling)}(?!\w)", spelling, name, flags=re.I)
    return name[:1].upper() + name[1:]


def agency_name(lines: list[str]) -> str:
    """The issuing body's name from its header lines (one body over several lines, or joint issuers one per
    line)."""
    lines = [" ".join(line.split()) for line in lines if line.strip()]
    if len(lines) > 1 and all(_starts(line.split(), _body_types()) for line in lines):
        heads = [_starts(line.split(), _body_types()) for line in lines]
        if len({h[0] for h in heads if h}) == 1 or all(h and h[0] in ("Bộ", "Viện", "Tòa án") for h in heads):
            return " - ".join(_one(line) for line in lines)  # "BỘ CÔNG AN" / "BỘ QUỐC PHÒNG": a joint document
    return _one(" ".join(lines))
