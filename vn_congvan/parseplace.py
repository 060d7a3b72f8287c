"""The issuer's place read through the unit table: which province, district or commune the địa danh and the
header name, in the era of the document's date (units.py: three levels until 30/6/2025, two from 1/7/2025).

    >>> place_fields("ubnd_unknown", ["ỦY BAN NHÂN DÂN", "QUẬN 7"], [], "Quận 7", date(2021, 10, 1), 2021)
    {'area': 'quận', 'level': 'huyen'}

What it gives the parsed issuer: `area`, the type of the body's own territory ("tỉnh", "quận", "phường": the
cascade's "trên địa bàn …"); `level` when the header's words do not tell it ("UBND THÀNH PHỐ …" is a tỉnh or a
huyện, the unit data knows which); `place` when the date line's spelling lost a tone mark that the header's
unit name still has (OCR: "Chỉ Minh" under "XÃ CHÍ MINH").
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from . import law, units
from .law import lines as L

_UNIT_WORD = re.compile(r"(?:^|\s)(thành phố|thủ đô|thị xã|thị trấn|đặc khu|tỉnh|quận|huyện|phường|xã)\s+\S", re.I)


def eras(when: date | None, year: int | None) -> list[str]:
    """The eras to look a name up in, likeliest first: the date's; a draft's year (2025 tries both)."""
    if when is not None:
        return [units.era_for(when)]
    if year is None:
        return [units.ERA_2025, units.LEGACY]
    if year < units.REFORM_DATE.year:
        return [units.LEGACY]
    return [units.ERA_2025] if year > units.REFORM_DATE.year else [units.ERA_2025, units.LEGACY]


def header_unit(lines: list[str], era: str) -> units.Unit | None:
    """The administrative unit a header names ('TỈNH LÀO CAI', 'UBND QUẬN 7'): the last unit word whose
    name the unit data knows."""
    text = " ".join(lines)
    for m in reversed(list(_UNIT_WORD.finditer(text))):
        words = text[m.start(1) :].split()
        for n in range(len(words), 1, -1):  # 'HUYỆN NGA SƠN' out of 'HUYỆN NGA SƠN, TỈNH …' or with words after
            found = units.named(" ".join(words[:n]).rstrip(",;"), era=era)
            if found:
                return min(found, key=lambda u: units.LEVELS.index(u.level))
    return None


def place_unit(place: str, scope: units.Unit | None, era: str) -> units.Unit | None:
    """The unit the địa danh names: within the header's province when it names one, the highest level else
    ('Thái Nguyên' is the province, not its city)."""
    found = units.named(place, era=era)
    if scope is not None:
        province = units.province_of(scope)
        inside = [u for u in found if units.province_of(u).code == province.code]
        found = inside or found
        if scope in found:
            return scope
    return min(found, key=lambda u: units.LEVELS.index(u.level)) if found else None


def place_fields(
    level: str | None, header: list[str], parent: list[str], place: str | None, when: date | None, year: int | None
) -> dict[str, Any]:
    """`area`, `level` and a repaired `place` for the parsed issuer (only the keys it can tell)."""
    out: dict[str, Any] = {}
    for era in eras(when, year):
        own = header_unit(header, era)
        above = header_unit(parent, era)
        at = place_unit(place, own or above, era) if place else None
        if at is None and place and (own or above):
            named = own or above
            assert named is not None
            if L.bare(place) == L.bare(named.name):  # the date line's copy lost a mark the header kept
                at, out["place"] = named, named.name
        if not (own or above or at) and place and (prov := units.province_unmarked(place, era=era)):
            at, out["place"] = prov, prov.name  # misread in the header and the date line alike
        if not (own or above or at):
            continue
        if level is None and own is not None and _territorial_body(header):
            level = out["level"] = own.level
        territory = _territory(level, own, above, at)
        if territory is not None:
            out["area"] = territory.type
        return out
    return out


def _territorial_body(header: list[str]) -> bool:
    """An Ủy ban nhân dân or Hội đồng nhân dân: the header's unit is the body's own."""
    head = L.fold(" ".join(header))
    return head.startswith(("ủy ban nhân dân", "ubnd", "hội đồng nhân dân", "hđnd"))


def _territory(
    level: str | None, own: units.Unit | None, above: units.Unit | None, at: units.Unit | None
) -> units.Unit | None:
    """The unit a body serves: a UBND its own; a ranked body (Sở, Phòng) the unit of the territorial level of
    its rank around it; a Bộ none; an unranked one (school, Ban Chỉ đạo) where it is."""
    lv = law.levels().get(level or "")
    if lv is None or lv.rank is None:
        return at or own or above
    if lv.is_territorial:  # a place of another level is no UBND's own ('HUYỆN ĐỒNG HỶ' after the reform)
        return own or (at if at is not None and law.level(at.level) is lv else None)
    served = next((t for t in law.territorial_levels() if t.rank == lv.rank), None)
    for unit in (own, above, at):
        while unit is not None and served is not None:
            if law.level(unit.level) is served:
                return unit
            unit = _parent(unit)
    return None


def _parent(unit: units.Unit) -> units.Unit | None:
    return units.by_code(unit.parent_code, era=unit.era) if unit.parent_code else None
