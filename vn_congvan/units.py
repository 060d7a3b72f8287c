"""Vietnamese administrative units, before and after the 2025 reform.

The bundled snapshot (vn_congvan/data/units/, built by scripts/build_units.py) has two eras:

- ``"legacy"``: the state on 2025-06-30, three levels tỉnh -> huyện -> xã (63 / 696 / 10,035);
- ``"2025"``: from 2025-07-01, two levels tỉnh -> xã (34 / 3,321).

``as_of`` picks the era. No data set gives the state on an arbitrary earlier date (wards merged in
2019-2025 already appear merged), so callers can supply their own list with `read_units_csv`.
Legacy and new codes are separate namespaces: a code only means something together with ``era``.
"""

from __future__ import annotations

import csv
import difflib
import gzip
import io
import json
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache, cached_property
from pathlib import Path
from typing import Any

from . import law
from .errors import InputError, Problem
from .paths import DATA

UNITS_DIR = DATA / "units"
REFORM_DATE = date(2025, 7, 1)
LEGACY = "legacy"
ERA_2025 = "2025"
LEVELS = tuple(lv.key for lv in law.territorial_levels())  # ("tinh", "huyen", "xa"): data/levels.yaml
_RANK = {level: i for i, level in enumerate(LEVELS)}
_MAX_LISTED = 15  # candidates shown in an error message


@dataclass(frozen=True, slots=True)
class Unit:
    code: str  # legacy or 2025 code, according to `era`
    name: str  # "Tân Phú", "7" (for Quận 7)
    type: str  # "phường", "xã", "đặc khu", "thị trấn", "quận", "huyện", "thị xã", "thành phố", "tỉnh"
    full_name: str  # "Phường Tân Phú", "Quận 7", "Thành phố Hồ Chí Minh"
    level: str  # "tinh" | "huyen" | "xa"
    parent_code: str | None  # same era as this unit; None for a province
    era: str  # "legacy" | "2025"

    def __str__(self) -> str:
        return self.full_name


def full_name_of(type_: str, name: str) -> str:
    """Type capitalised at the start (ND30 Phụ lục II, a name standing alone): 'Phường Tân Phú'."""
    return f"{type_[:1].upper()}{type_[1:]} {name}"


# --- names -------------------------------------------------------------------------------------------

_TONES = "\u0300\u0301\u0303\u0309\u0323"  # huyền, sắc, ngã, hỏi, nặng (NFD combining marks)
_END = r"(?![\w\u0300-\u036f])"  # end of syllable: no letter or combining mark follows
# Canonical form puts the tone on the first vowel (hòa, khỏe, thủy), as the bundled data does.
_OA_OE = re.compile(rf"(?<!q)o([ae])([{_TONES}]){_END}")
_UY = re.compile(rf"(?<!q)uy([{_TONES}]){_END}")
_SPACES = re.compile(r"\s+")
_MAYBE_MOVED = re.compile("o[àáảãạèéẻẽẹ]|uy[\u0300-\u036f]|u[ỳýỷỹỵ]")


@cache
def _names() -> dict[str, dict[str, object]]:
    return json.loads((UNITS_DIR / "names.json").read_text(encoding="utf-8"))


@cache
def _prefixes() -> list[tuple[str, str]]:
    table: dict[str, str] = _names()["type_prefixes"]  # type: ignore[assignment]
    return sorted(table.items(), key=lambda kv: -len(kv[0]))  # longest first: "thị xã" before "thị"


def type_levels(type_: str) -> list[str]:
    """The levels a unit type can be, highest first (data/levels.yaml `unit_types`)."""
    return [lv.key for lv in law.levels_of_type(type_)]


def _basic(s: str) -> str:
    """NFC, one space, case-folded, tone on the first vowel of oa/oe/uy."""
    s = _SPACES.sub(" ", unicodedata.normalize("NFC", s).replace("\u00d0", "Đ")).strip().casefold()
    if not _MAYBE_MOVED.search(s):  # fast path: most names have no tone to move
        return s
    d = unicodedata.normalize("NFD", s)
    d = _UY.sub(r"u\1y", _OA_OE.sub(r"o\2\1", d))
    return unicodedata.normalize("NFC", d)


def _split_prefix(key: str) -> tuple[str | None, str]:
    """'phường tân phú' -> ('phường', 'tân phú'); a prefix ending in '.' needs no space after it."""
    for prefix, type_ in _prefixes():
        if key.startswith(prefix):
            rest = key[len(prefix) :]
            if prefix.endswith(".") or rest.startswith(" "):
                rest = rest.strip()
                if rest:
                    return type_, rest
    return None, key


def _alias(key: str) -> str:
    aliases: dict[str, str] = _names()["aliases"]  # type: ignore[assignment]
    return aliases.get(key, key)


def normalise_name(s: str) -> str:
    """Comparison key: 'TP. Hồ Chí Minh', 'thành phố  hồ chí minh', 'Hồ Chí Minh' -> 'hồ chí minh'."""
    return _alias(_split_prefix(_basic(s))[1])


def _fold(s: str) -> str:
    """Without diacritics, for suggestions only: 'hồ chí minh' -> 'ho chi minh'."""
    d = unicodedata.normalize("NFD", s.replace("đ", "d"))
    return "".join(c for c in d if not unicodedata.combining(c))


# --- eras and the snapshot -----------------------------------------------------------------------------


def era_for(as_of: date | None = None) -> str:
    """'legacy' before 2025-07-01 (tỉnh -> huyện -> xã), '2025' from that date (tỉnh -> xã)."""
    if as_of is None:
        as_of = date.today()
    if isinstance(as_of, datetime):
        as_of = as_of.date()
    return LEGACY if as_of < REFORM_DATE else ERA_2025


def _read_csv_gz(name: str) -> list[list[str]]:
    with gzip.open(UNITS_DIR / name, "rt", encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    return rows[1:]  # header checked by the build, order fixed


@dataclass
class _Index:
    era: str
    units: list[Unit]
    by_code: dict[str, Unit] = field(default_factory=dict)
    by_parent: dict[str, list[Unit]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for u in self.units:
            self.by_code[u.code] = u
            if u.parent_code is not None:
                self.by_parent.setdefault(u.parent_code, []).append(u)

    @cached_property
    def by_key(self) -> dict[str, list[Unit]]:  # built on first name lookup only
        index: dict[str, list[Unit]] = {}
        for u in self.units:
            index.setdefault(_basic(u.name), []).append(u)
        return index

    def province_of(self, unit: Unit) -> Unit:
        while unit.parent_code is not None and unit.parent_code in self.by_code:
            unit = self.by_code[unit.parent_code]
        return unit

    def ancestors(self, unit: Unit) -> list[Unit]:
        out: list[Unit] = []
        while unit.parent_code is not None and unit.parent_code in self.by_code:
            unit = self.by_code[unit.parent_code]
            out.append(unit)
        return out

    def describe(self, unit: Unit) -> str:
        """'Phường 1 (Quận 3, Thành phố Hồ Chí Minh)'."""
        up = ", ".join(a.full_name for a in self.ancestors(unit))
        return f"{unit.full_name} ({up})" if up else unit.full_name


@cache
def _index(era: str) -> _Index:
    if era not in (LEGACY, ERA_2025):
        raise ValueError(f"unknown era {era!r}")
    rows = _read_csv_gz("units_legacy.csv.gz" if era == LEGACY else "units_2025.csv.gz")
    units = [
        Unit(code, name, type_, full_name_of(type_, name), level, parent or None, era)
        for code, name, type_, level, parent in rows
    ]
    return _Index(era, units)


@cache
def _successor_map() -> dict[str, list[tuple[str, bool]]]:
    out: dict[str, list[tuple[str, bool]]] = {}
    for legacy_code, _level, new_code, is_default in _read_csv_gz("legacy_to_2025.csv.gz"):
        out.setdefault(legacy_code, []).append((new_code, is_default == "1"))
    for targets in out.values():
        targets.sort(key=lambda t: not t[1])  # the default first
    return out


@cache
def snapshot_meta() -> dict[str, object]:
    """Source package, version, licence, build date and counts of the bundled snapshot."""
    return json.loads((UNITS_DIR / "meta.json").read_text(encoding="utf-8"))


# --- lookups -----------------------------------------------------------------------------------------------


def all_units(*, as_of: date | None = None, era: str | None = None, level: str | None = None) -> list[Unit]:
    """Every unit of one era (from `as_of` unless `era` is given), optionally of one level."""
    units = _index(era or era_for(as_of)).units
    return [u for u in units if u.level == level] if level else list(units)


def by_code(code: str, *, era: str) -> Unit:
    """The unit with this code in this era ('legacy' or '2025'): codes are not shared across eras."""
    unit = _index(era).by_code.get(code.strip())
    if unit is None:
        raise InputError.one(f"Không có mã đơn vị hành chính (unit code not found): {code!r} ({era})", field="code")
    return unit


def named(name: str, *, as_of: date | None = None, era: str | None = None) -> list[Unit]:
    """The units of one era called `name` ("Lào Cai", "xã Chí Minh", "Quận 7"), of its type when it names
    one; [] when none. No error, no suggestions: for telling a place from other words, not for users."""
    return _matches(_index(era or era_for(as_of)), name)[0]


def province_unmarked(name: str, *, era: str) -> Unit | None:
    """The one province of `era` whose name is `name` but for its marks ('Lâm Đông', a scan's misread
    'Lâm Đồng'); None when none or several."""
    key = _unmarked(name)
    found = [u for u in _index(era).units if u.parent_code is None and _unmarked(u.name) == key]
    return found[0] if len(found) == 1 else None


def _unmarked(text: str) -> str:
    d = unicodedata.normalize("NFD", _basic(text)).replace("đ", "d")
    return "".join(c for c in d if not unicodedata.combining(c))


def province_of(unit: Unit) -> Unit:
    """The province a unit lies in (itself for a province), in the unit's era."""
    return _index(unit.era).province_of(unit)


def _matches(idx: _Index, text: str) -> tuple[list[Unit], list[Unit]]:
    """(units matching `text`, same-name units of another type) for one name without commas."""
    basic = _basic(text)
    type_, key = _split_prefix(basic)
    key = _alias(key)
    hits = idx.by_key.get(key, [])
    if type_ is None:
        return list(hits), []
    typed = [u for u in hits if u.type == type_]
    typed += [u for u in idx.by_key.get(basic, []) if u not in typed]  # names that start like a type: Phường Đúc
    return typed, [u for u in hits if u not in typed]


def _suggest(idx: _Index, text: str, scope: Unit | None, extra: Iterable[Unit]) -> list[Unit]:
    """Same name of another type, the same letters without diacritics ('Quan 7'), then close spellings."""
    folded = _fold(_basic(text))
    type_, key = None, folded
    for prefix, t in _prefixes():
        p = _fold(prefix)
        if folded.startswith(p) and (p.endswith(".") or folded[len(p) : len(p) + 1] == " "):
            type_, key = t, folded[len(p) :].strip()
            break
    names: dict[str, list[Unit]] = {}
    for u in idx.units:
        if scope is None or _within(idx, u, scope):
            names.setdefault(_fold(_basic(u.name)), []).append(u)
    same = sorted(names.get(key, []), key=lambda u: (u.type != type_, _RANK[u.level], u.code))
    close = difflib.get_close_matches(key, list(names), n=5, cutoff=0.75)
    near = sorted((u for n in close if n != key for u in names[n]), key=lambda u: (_RANK[u.level], u.code))
    return list(dict.fromkeys([*extra, *same, *near]))[:_MAX_LISTED]


def _within(idx: _Index, unit: Unit, scope: Unit) -> bool:
    return unit.code == scope.code or any(a.code == scope.code for a in idx.ancestors(unit))


def _listing(idx: _Index, units: list[Unit]) -> str:
    shown = "; ".join(idx.describe(u) for u in units[:_MAX_LISTED])
    more = len(units) - _MAX_LISTED
    return shown + (f"; … và {more} đơn vị khác (and {more} more)" if more > 0 else "")


def _resolve(idx: _Index, text: str, scope: Unit | None, field_name: str, level: str | None = None) -> Unit:
    hits, other_type = _matches(idx, text)
    if scope is not None:
        hits = [u for u in hits if _within(idx, u, scope)]
        other_type = [u for u in other_type if _within(idx, u, scope)]
    if level is not None:
        other_type += [u for u in hits if u.level != level]
        hits = [u for u in hits if u.level == level]
    where = f" trong {scope.full_name}" if scope else ""
    if not hits:
        message = f"Không tìm thấy đơn vị hành chính (unit not found){where}: {text!r}"
        if idx.era == ERA_2025 and _was_district(text):
            message += (
                ". Từ ngày 01/7/2025 không còn cấp huyện (district level abolished): "
                "hãy chọn ngày trước 01/7/2025 hoặc dùng tỉnh, xã, phường mới"
            )
        suggestions = _suggest(idx, text, scope, other_type)
        if suggestions:
            message += f". Có phải (did you mean): {_listing(idx, suggestions)}"
        raise InputError.one(message, field=field_name)
    if len(hits) > 1:
        top = min(_RANK[u.level] for u in hits)
        highest = [u for u in hits if _RANK[u.level] == top]
        if len(highest) == 1:  # "Thái Nguyên": the province, not Thành phố Thái Nguyên
            return highest[0]
        hits.sort(key=lambda u: (_RANK[u.level], u.code))
        parents = idx.ancestors(hits[0])
        example = f", ví dụ '{hits[0].full_name}, {parents[0].full_name}'" if parents else ""
        raise InputError.one(
            f"Tên đơn vị hành chính không rõ ràng (ambiguous unit name){where}: {text!r} khớp {len(hits)} "
            f"đơn vị: {_listing(idx, hits)}. Hãy ghi rõ tỉnh (province) hoặc cấp trên{example}",
            field=field_name,
        )
    return hits[0]


def _was_district(text: str) -> bool:
    type_, _ = _split_prefix(_basic(text))
    if type_ is not None:  # "quận", not "thành phố" (a province too)
        return all(not lv.exists_in(ERA_2025) for lv in law.levels_of_type(type_))
    return any(not law.level(u.level).exists_in(ERA_2025) for u in _matches(_index(LEGACY), text)[0])


def find(name: str, *, province: str | None = None, as_of: date | None = None) -> Unit:
    """The unit called `name` on `as_of` (default today).

    `name` may carry its type ("Phường Tân Phú", "TP. Hồ Chí Minh") and its parents after commas
    ("Phường 1, Quận 3"); `province` narrows the search. When a bare name fits a province and smaller
    units, the province wins. Raises InputError listing candidates (ambiguous) or suggestions (unknown).
    """
    idx = _index(era_for(as_of))
    scope = _resolve(idx, province, None, "province", level=LEVELS[0]) if province else None
    parts = [p for p in (s.strip() for s in name.split(",")) if p]
    if not parts:
        raise InputError.one("Thiếu tên đơn vị hành chính (unit name missing)", field="name")
    for part in reversed(parts):
        scope = _resolve(idx, part, scope, "name")
    assert scope is not None
    return scope


def children(name_or_unit: str | Unit, *, province: str | None = None, as_of: date | None = None) -> list[Unit]:
    """Units directly under one unit: a province's districts (legacy) or communes (2025), a district's
    communes. A Unit keeps its own era; a name is looked up as of `as_of`."""
    if isinstance(name_or_unit, Unit):
        return list(_index(name_or_unit.era).by_parent.get(name_or_unit.code, []))
    unit = find(name_or_unit, province=province, as_of=as_of)
    return list(_index(unit.era).by_parent.get(unit.code, []))


def successors(legacy_code: str) -> list[Unit]:
    """The 2025 units a legacy unit went into, the default (the source's choice) first."""
    code = str(legacy_code).strip()
    targets = _successor_map().get(code)
    if not targets:
        raise InputError.one(
            f"Không có mã đơn vị hành chính cũ (legacy unit code not found): {legacy_code!r}", field="code"
        )
    idx = _index(ERA_2025)
    return [idx.by_code[new] for new, _ in targets]


def successor(legacy_code: str) -> Unit:
    """The 2025 commune (or province) that a legacy commune (or province) became part of.

    A legacy commune split between several new communes maps to the source's default one; see
    `successors` for all of them.
    """
    return successors(legacy_code)[0]


# --- user-given lists ---------------------------------------------------------------------------------------


def parse_type(value: str) -> str | None:
    """'Phường', 'phường', 'P.', 'TP' -> the canonical type, or None."""
    key = _basic(value)
    aliases = dict(_prefixes())
    return aliases.get(key) or aliases.get(key + ".")


def _rows(reader: Any, path: Path) -> Iterator[list[str]]:
    """The reader's rows; one it cannot read (a field over csv.field_size_limit()) is an input error."""
    try:
        yield from reader
    except csv.Error as exc:
        raise InputError.one(
            f"Không đọc được dòng CSV (bad CSV row): {exc}", file=str(path), line=reader.line_num
        ) from None


def read_units_csv(path: str | Path, *, as_of: date | None = None) -> list[Unit]:
    """Read a user's unit list: a CSV with a header and columns code,name,type[,full_name][,parent_code].

    Use it when the bundled snapshot does not fit the date (e.g. Long Biên's 14 phường before 2025).
    ``type`` is 'phường', 'Xã', 'quận', …; a 'thành phố' is taken as district level. The units get the
    era of `as_of`. Every bad row is reported with file:line.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError.one(f"Không đọc được tệp (cannot read file): {exc}", file=str(path)) from exc
    era = era_for(as_of)
    reader = csv.reader(io.StringIO(text, newline=""))
    header = [h.strip().lower() for h in next(reader, [])]
    missing = [c for c in ("code", "name", "type") if c not in header]
    if missing:
        raise InputError.one(
            f"Thiếu cột (missing columns): {', '.join(missing)}; cần code,name,type[,full_name][,parent_code]",
            file=str(path),
            line=1,
        )
    col = {h: i for i, h in enumerate(header)}
    problems: list[Problem] = []
    units: list[Unit] = []
    seen: dict[str, int] = {}

    def cell(row: list[str], name: str) -> str:
        i = col.get(name)
        return _SPACES.sub(" ", unicodedata.normalize("NFC", row[i])).strip() if i is not None and i < len(row) else ""

    for row in _rows(reader, path):
        line = reader.line_num
        if not any(c.strip() for c in row):
            continue
        if len(row) > len(header):
            problems.append(Problem(f"Thừa cột (too many columns): {len(row)} > {len(header)}", str(path), line))
            continue
        code, name, type_text = cell(row, "code"), cell(row, "name"), cell(row, "type")
        bad = len(problems)
        for field_name, value in (("code", code), ("name", name), ("type", type_text)):
            if not value:
                problems.append(Problem("Thiếu giá trị (missing value)", str(path), line, field=field_name))
        type_ = parse_type(type_text) if type_text else None
        if type_text and type_ is None:
            problems.append(
                Problem(
                    f"Loại đơn vị không hợp lệ (invalid unit type): {type_text!r}; "
                    "dùng tỉnh, thành phố, quận, huyện, thị xã, phường, xã, thị trấn, đặc khu",
                    str(path),
                    line,
                    field="type",
                )
            )
        if code in seen:
            problems.append(
                Problem(
                    f"Mã trùng với dòng {seen[code]} (duplicate code): {code!r}",
                    str(path),
                    line,
                    field="code",
                )
            )
        if len(problems) > bad or type_ is None:
            continue
        seen[code] = line
        full = cell(row, "full_name")
        words, n = name.split(" "), len(type_.split(" "))
        doubled = len(words) > n and _basic(" ".join(words[:n])) == type_
        if doubled and not (full and _basic(full) == _basic(full_name_of(type_, name))):
            name = " ".join(words[n:])  # "Phường Tân Phú" in the name column; full_name keeps "Phường Đúc"
        level = type_levels(type_)[-1]  # the lowest: a 'thành phố' in a list of units is a district
        full = full or full_name_of(type_, name)
        units.append(Unit(code, name, type_, full, level, cell(row, "parent_code") or None, era))
    if problems:
        raise InputError(problems)
    if not units:
        raise InputError.one("Tệp không có đơn vị nào (no units in file)", file=str(path))
    return units
