"""Derive a lower level's document from its parent's: the plan of a district from the province's, a commune's
from the district's (or, from 01/7/2025, from the province's), a Sở's letter from the Bộ's.

The child cites the parent in full (after the parent's own sources), inherits the campaign and the
activities with the parent's words for its level replaced by the child's (data/localise.yaml), takes the
task addressed to its level as its own obligations, re-addresses the tasks of bodies that exist at its level
and adds its own units from the catalogue (data/unit_types.yaml), with a report deadline a few working days
before the parent's (workdays.py). Number and date stay blank unless given: an official number is never
invented. Every decision is recorded in `Derived.trace`.

Speed: a parent is prepared once (dumped to plain data, tasks classified) and cached by identity; rules are
compiled once per parent vocabulary; a child's body is made once per set of values of the fields it reads
(the communes of a batch have three) and copied; the child is validated only when `.document` is read, and
then only its new parts: the issuer and the campaign, already validated objects, are used as they are.
"""

from __future__ import annotations

import re
import unicodedata
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import date
from functools import cache, cached_property, lru_cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from . import law, vntext, workdays
from . import units as units_mod
from .compose import unknown_fill_fields
from .errors import InputError, Problem
from .law import lines as L
from .model import Document, Issuer, _clean_tree
from .rules import read_data

__all__ = ["Derived", "derive", "issuer_for_unit", "save"]

REFORM = units_mod.REFORM_DATE
_UP = "A-ZĐÂĂÊÔƠƯÁÀẢÃẠẤẦẨẪẬẮẰẲẴẶÉÈẺẼẸẾỀỂỄỆÍÌỈĨỊÓÒỎÕỌỐỒỔỖỘỚỜỞỠỢÚÙỦŨỤỨỪỬỮỰÝỲỶỸỴ"
_FIELD = re.compile(r"\{([a-z_]+(?::[a-z_]+)?)\}")  # {area}, {to:so_gddt}; dotted {campaign.x} are the renderer's
_UBND = re.compile(r"^(?:Ủy ban nhân dân|UBND)\s+")  # "Ủy ban nhân dân huyện Đồng Hỷ" → "huyện Đồng Hỷ"
_ON_AREA = re.compile(r"\s*trên địa bàn\b.*$")  # a title's "… trên địa bàn Quận 7"
_DEADLINE_TEXT = re.compile(r"(?:trước|chậm nhất|hạn chót)(?: là)?(?: ngày)? (\d{1,2})/(\d{1,2})/(\d{4})")
_TOP_KEYS = (
    "profile",
    "issuer",
    "kind",
    "draft",
    "number",
    "date",
    "year",
    "drafting_unit",
    "title",
    "authority",
    "recipients",
    "campaign",
    "basis",
    "numbering",
    "body",
    "closing",
    "signer",
    "distribution",
    "archive",
)


# ------------------------------------------------------------------ data files (read once)


@cache
def _catalogue() -> dict[str, Any]:
    raw = read_data("unit_types.yaml")
    raw["issuers"] = _squeeze(raw["issuers"])  # folded YAML keeps no double spaces; done once, not per child
    raw["_match"] = [
        (type_, [re.compile(p, re.IGNORECASE) for p in patterns]) for type_, patterns in raw["match"].items()
    ]
    raw["_by_level"] = {}  # Level → its issuers (key, spec), in file order
    for key, spec in raw["issuers"].items():
        raw["_by_level"].setdefault(law.level(spec["level"]), []).append((key, spec))
    return raw


@cache
def _localise() -> dict[str, Any]:
    return read_data("localise.yaml")


def _squeeze(value: Any) -> Any:
    if isinstance(value, str):
        return " ".join(value.split())
    if isinstance(value, list):
        return [_squeeze(v) for v in value]
    if isinstance(value, dict):
        return {k: _squeeze(v) for k, v in value.items()}
    return value


def _squeeze_copy(value: Any) -> Any:
    """A fresh copy of plain data: children never share the prepared parent's lists and dicts."""
    # A leaf (most of a body: its strings) is kept without a call; a container is copied by the same test.
    if isinstance(value, list):
        return [v if v.__class__ in _LEAVES else _squeeze_copy(v) for v in value]
    if isinstance(value, dict):
        return {k: v if v.__class__ in _LEAVES else _squeeze_copy(v) for k, v in value.items()}
    return value


_LEAVES = frozenset({str, int, float, bool, type(None)})


def _norm(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).replace("hoá", "hóa").replace("Hoá", "Hóa").split())


def classify(unit_text: str) -> str | None:
    """The catalogue type of a task's unit text ('UBND các huyện, thành phố' → 'ubnd_cap_duoi'), or None."""
    text = _norm(unit_text)
    for type_, patterns in _catalogue()["_match"]:
        if any(p.search(text) for p in patterns):
            return type_
    return None


@dataclass(frozen=True)
class _Rules:
    """One shift's rules compiled into a single alternation: one pass over each string."""

    pattern: re.Pattern[str] | None
    replacements: tuple[str, ...]  # templates, one per alternative


@cache
def _rules(shift: str, parent_area: str) -> _Rules:
    data = _localise()
    rows: list[tuple[str, str]] = []
    for group in data["shifts"].get(shift, []):
        rows += [(p, r) for p, r in data["groups"][group]]
    if not rows:
        return _Rules(None, ())
    # "trên địa bàn Thành phố", "của Tỉnh": a body writing of itself often capitalises its area word
    area = f"[{parent_area[:1].upper()}{parent_area[:1]}]{re.escape(parent_area[1:])}" if parent_area else ""
    alts = [f"(?P<r{i}>{p.replace('{P}', area).replace('{UP}', f'[{_UP}]')})" for i, (p, _) in enumerate(rows)]
    return _Rules(re.compile("|".join(alts)), tuple(r for _, r in rows))


def _fill(template: str, fields: dict[str, str]) -> str | None:
    """Fill {field}s; None when one is missing (the rule or sentence does not apply to this child).
    Memoised by the template and the values of the fields it names: the communes of a batch differ in a
    few fields (their names), so most sentences and rules are filled once per batch, not once per child."""
    if "{" not in template:  # most sentences: no field to fill, none unknown
        return template
    key = (template, *map(fields.get, _named(template)))
    out = _FILLS.get(key, _MISSING)
    if out is _MISSING:
        if len(_FILLS) >= _FILLS_MAX:
            _FILLS.clear()
        out = _FILLS[key] = _fill_now(template, fields)
    return out  # type: ignore[return-value]


_MISSING = object()
_FILLS: dict[tuple[str | None, ...], str | None] = {}
_FILLS_MAX = 1024  # a batch adds ~2 per unit (its names): full, and emptied, within its first 500 units


@lru_cache(maxsize=4096)
def _named(template: str) -> tuple[str, ...]:
    return tuple(_FIELD.findall(template))


def _fill_now(template: str, fields: dict[str, str]) -> str | None:
    missing = False

    def one(m: re.Match[str]) -> str:
        nonlocal missing
        value = fields.get(m.group(1))
        if value is None:
            missing = True
            return ""
        return value

    out = _FIELD.sub(one, template)
    # Dotted fields are left as written for the renderer, but only the ones it knows (compose.FILL_FIELDS).
    return None if missing or _unknown_dotted(template) else out


def _unknown_dotted(template: str) -> list[str]:
    return [n for n in unknown_fill_fields(template) if "." in n]


def _filler(fields: dict[str, str]) -> Any:
    """_must_fill for one child's (final) fields."""
    return lambda template: _must_fill(template, fields)


def _must_fill(template: str, fields: dict[str, str]) -> str:
    out = _fill(template, fields)
    if out is None:
        names = [n for n in _FIELD.findall(template) if n not in fields]
        names += _unknown_dotted(template)
        raise InputError.one(f"mẫu câu thiếu trường (template field missing): {', '.join(names)} in {template!r}")
    return out


class _Localiser:
    """Applies one shift's rules with one child's values, each string once (a body is made once per set of
    values the body reads, _BODIES)."""

    def __init__(self, rules: _Rules, fields: dict[str, str]) -> None:
        self.pattern = rules.pattern
        self.values = [_fill(r, fields) for r in rules.replacements]
        self.changes: list[tuple[str, str]] = []
        self.memo: dict[str, tuple[str, tuple[tuple[str, str], ...]]] = {}

    def _sub(self, m: re.Match[str]) -> str:
        old = m.group(0)
        new = self.values[int(m.lastgroup[1:])]  # type: ignore[index]
        if new is None:
            return old
        before = m.string[: m.start()].rstrip()
        if not before or before[-1] in ".!?:":  # a replacement that starts a sentence keeps its capital
            new = new[:1].upper() + new[1:]
        elif new.startswith("Các "):  # "các …" inside a sentence
            new = "c" + new[1:]
        if new != old:
            self.changes.append((old, new))
        return new

    def text(self, s: str) -> str:
        if self.pattern is None:
            return s
        hit = self.memo.get(s)
        if hit is None:
            start = len(self.changes)
            out = self.pattern.sub(self._sub, s)
            hit = self.memo[s] = (out, tuple(self.changes[start:]))
        else:
            self.changes.extend(hit[1])
        return hit[0]

    def tree(self, value: Any) -> Any:
        """Localise every text of a block (plain data), leaving keys and flags alone."""
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, list):
            return [self.tree(v) for v in value]
        if isinstance(value, dict):
            return {
                k: (
                    self.tree(v)
                    if k in ("text", "fill", "heading", "content", "items", "runs", "duties", "unit")
                    else v
                )
                for k, v in value.items()
            }
        return value


# ------------------------------------------------------------------ the parent, prepared once


def _plain(value: Any) -> Any:
    """Model dump → the YAML schema's short forms: {'text': s} becomes s."""
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        if set(value) == {"text"}:
            return value["text"]
        return {k: _plain(v) for k, v in value.items()}
    return value


@dataclass
class _Parent:
    doc: Document
    body: list[Any]
    deadline: date | None
    deadline_note: str
    level: law.Level  # the level whose words it uses (_speaks_as): shifts, ranks, 'type@level' entries
    # What every child takes from it as it is (each child copies the dicts):
    campaign: dict[str, Any] | None  # as plain data
    refs: list[tuple[int, int, dict[str, Any] | None]]  # its sources (None: no issuer, not cited), by basis
    cite: dict[str, Any] | None  # the parent cited in full (None: no number or date yet)
    words: str  # the parent by kind, date, issuer and title
    up: str  # its short name in Nơi nhận
    title: str  # its trích yếu without "V/v"
    name: str  # its issuer, or its issuers (liên tịch), as a citation names them
    marked: bool  # it holds parse's placeholders: its children are searched for them (Derived.todo)


@cache
def _unit_type_word() -> re.Pattern[str]:
    words = sorted({t for lv in law.territorial_levels() for t in lv.unit_types}, key=len, reverse=True)
    return re.compile(r"\b(" + "|".join(map(re.escape, words)) + r")\b")  # "thị xã" before "xã"


def _territory(issuer: Issuer) -> law.Level | None:
    """The territorial level an issuer belongs to: its own (UBND), its area's ('quận' → huyện) or the one its
    chủ quản line names ('UBND HUYỆN ĐỒNG HỶ' → huyện); None when nothing tells."""
    own = law.level(issuer.level.value)
    if own.is_territorial:
        return own
    for text in (issuer.area or "", *issuer.parent):
        m = _unit_type_word().search(text.lower())
        if m:
            return law.levels_of_type(m.group(1))[0]  # 'thành phố': the province
    return None


def _speaks_as(issuer: Issuer) -> law.Level:
    """The level whose words a body's document uses: its own; a Phòng its district's; a Ban Chỉ đạo or a school
    (no rank of its own) the area it serves (levels.yaml `speaks_as` when none is known)."""
    own = law.level(issuer.level.value)
    if own.rank is None:
        return _territory(issuer) or law.level(own.speaks_as or "")
    return law.level(own.speaks_as) if own.speaks_as else own


def _at(entry: str, parent: law.Level) -> str | None:
    """A catalogue 'type@level' entry's type when it applies to a parent of that level (or names none)."""
    type_, _, only = entry.partition("@")
    return type_ if not only or law.level(only) is parent else None


def _texts(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [t for v in value for t in _texts(v)]
    if isinstance(value, dict):
        return [t for k, v in value.items() if k in ("text", "content", "items", "duties", "tasks") for t in _texts(v)]
    return []


def _prepare_doc(doc: Document) -> _Parent:
    body = _plain(doc.model_dump(mode="json", exclude_defaults=True, include={"body"}).get("body", []))
    deadline, note = (doc.campaign.report_deadline if doc.campaign else None), "campaign.report_deadline"
    if deadline is None:
        closing = _plain(doc.model_dump(mode="json", include={"closing"}).get("closing", []))
        for text in _texts(closing) + _texts(body):
            m = _DEADLINE_TEXT.search(text)
            if m:
                d, mo, y = (int(g) for g in m.groups())
                try:
                    deadline, note = date(y, mo, d), f"đọc từ văn bản cấp trên «{m.group(0)}»"
                except ValueError:
                    continue
                break
    campaign = doc.campaign.model_dump(mode="json", exclude_none=True) if doc.campaign else None
    refs = [
        (bi, ri, r.model_dump(mode="json", exclude_none=True) if r.issuer else None)
        for bi, b in enumerate(doc.basis)
        for ri, r in enumerate(b.refs)
    ]
    # A công văn's "V/v" is printed by its layout; a received trích yếu "Về việc …" (a hướng dẫn, a thông báo)
    # is the same words, which a kế hoạch's title does not take.
    title = re.sub(r"^[Vv]ề việc\s+", "", L.VV.strip(doc.title))
    name = _issuers_named(doc)
    words = _words(doc, name)
    level = _speaks_as(doc.issuer)
    from .parse import PLACEHOLDER  # parse's placeholders: a parent read from a received file may carry them

    marked = bool(PLACEHOLDER.search(doc.model_dump_json()))
    return _Parent(
        doc, body, deadline, note, level, campaign, refs, _cite(doc), words, _short_body(name), title, name, marked
    )


_PREPARED: OrderedDict[int, _Parent] = OrderedDict()
_PREPARED_MAX = 16


def _prepare(doc: Document) -> _Parent:
    hit = _PREPARED.get(id(doc))
    if hit is not None and hit.doc is doc:  # identity, not equality: a cached id may be reused
        _PREPARED.move_to_end(id(doc))
        return hit
    prepared = _prepare_doc(doc)
    _PREPARED[id(doc)] = prepared
    while len(_PREPARED) > _PREPARED_MAX:
        _PREPARED.popitem(last=False)
    return prepared


def _validate(data: dict[str, Any], where: str, *, clean: bool = False) -> Document:
    try:
        return Document.model_validate(data, context={"clean": clean})
    except ValidationError as exc:
        from .loader import validation_problems

        raise InputError(validation_problems(exc, data, {}, where)) from None


@dataclass(frozen=True)
class _Received:
    doc: Document
    todo: tuple[str, ...]  # what parse.complete() filled with a placeholder or a guess (a received file's)
    file: bool = False  # read from a received file (not a YAML or a Document)


@cache
def _load_parent_file(path: str, mtime: float, parent_profile: str | None = None) -> _Received:
    p = Path(path)
    suffix = p.suffix.lower()
    if suffix in (".yaml", ".yml"):
        from .loader import load

        return _Received(load(p), ())
    # any other file is a received document parse reads: .docx, .doc, .pdf, a scan, .txt
    from .loader import find_profile, read_yaml
    from .parse import complete, parse

    data = parse(p)
    # Text extracted from a PDF often lacks the header: the parent's profile supplies the issuer.
    name = parent_profile or data.get("profile")
    if isinstance(name, str):
        try:
            found = Path(name) if Path(name).is_file() else find_profile(name, p.parent)
        except FileNotFoundError:
            raise InputError.one(f"không tìm thấy hồ sơ cơ quan (profile) '{name}'", file=path) from None
        pdata, _ = read_yaml(found)
        data = {**data, "issuer": {**pdata, **{k: v for k, v in (data.get("issuer") or {}).items() if v}}}
    data.pop("profile", None)
    # What was not read becomes parse's own placeholder, as in the YAML `parse` writes: the child is made,
    # and the placeholders it inherits are listed for the user (Derived.todo).
    done, todo = complete(data)
    try:
        return _Received(_validate(done, path), tuple(todo), file=True)
    except InputError as exc:
        from .parse import missing_fields

        missing = missing_fields(data)
        if missing:
            exc.problems.append(
                Problem(
                    "văn bản cấp trên thiếu (the parsed parent lacks): "
                    + ", ".join(missing)
                    + "; hãy cho hồ sơ cơ quan cấp trên (--parent-profile) hoặc sửa YAML",
                    path,
                )
            )
        raise


def _received(parent: Document | str | Path, parent_profile: str | Path | None = None) -> _Received:
    if isinstance(parent, Document):
        return _Received(parent, ())
    p = Path(parent)
    if not p.is_file():
        raise InputError.one("không tìm thấy văn bản cấp trên (parent file not found)", file=str(p))
    return _load_parent_file(str(p.resolve()), p.stat().st_mtime, str(parent_profile) if parent_profile else None)


def _parent_doc(parent: Document | str | Path, parent_profile: str | Path | None = None) -> Document:
    return _received(parent, parent_profile).doc


# ------------------------------------------------------------------ the child issuer


@dataclass(frozen=True)
class _Profile:
    issuer: Issuer
    name: str | None  # profile name for `profile:` when it came from a file
    path: Path | None


@cache
def _load_profile_file(path: str, mtime: float) -> _Profile:
    from .loader import read_yaml, validation_problems

    data, tree = read_yaml(Path(path))
    if not isinstance(data, dict):
        root = tree.marks.get(())
        raise InputError.one(
            "hồ sơ phải là một bảng khóa: giá trị (mapping)", file=path, line=root.line if root else None
        )
    try:
        issuer = Issuer.model_validate(data)
    except ValidationError as exc:
        raise InputError(validation_problems(exc, data, tree.marks, path)) from None
    return _Profile(issuer, Path(path).stem, Path(path))


def _profile(profile: Issuer | str | Path) -> _Profile:
    if isinstance(profile, Issuer):
        return _Profile(profile, None, None)
    p = Path(profile)
    if not p.is_file():
        from .loader import find_profile

        try:
            p = find_profile(str(profile), Path.cwd())
        except FileNotFoundError:
            raise InputError.one("không tìm thấy hồ sơ cơ quan (profile not found)", file=str(profile)) from None
    return _load_profile_file(str(p.resolve()), p.stat().st_mtime)


@cache
def _person_names() -> frozenset[str]:
    return frozenset(read_data("person_names.yaml"))


def _place_in_full(unit: units_mod.Unit) -> bool:
    """Numbered or named after a person or event: the địa danh keeps its type (NĐ 30 PL I II.4)."""
    return unit.name[:1].isdigit() or unit.name in _person_names()  # "Phường 5", "Phường 2 Bảo Lộc"


def issuer_for_unit(unit: units_mod.Unit, *, as_of: date) -> Issuer:
    """The UBND of a commune (or district, before the reform) built from the unit data (NĐ 30 §4.2, §6.2).

    'Phường Tân Phú' → name 'Ủy ban nhân dân phường Tân Phú', header ['ỦY BAN NHÂN DÂN', 'PHƯỜNG TÂN PHÚ'],
    place 'Tân Phú'; numbered and person-named units keep their type: 'Quận 7', 'Phường 5'."""
    era = units_mod.era_for(as_of)
    if unit.era != era:
        raise InputError.one(
            f"đơn vị {unit.full_name} thuộc dữ liệu {unit.era}, không dùng được ngày {as_of.isoformat()} "
            f"(unit era mismatch: choose units as of that date)"
        )
    level = law.level(unit.level)
    if not level.exists_in(era):
        raise InputError.one(_district_gone())
    full = _place_in_full(unit)
    named = unit.full_name if full else f"{unit.type} {unit.name}"
    place = _localise()["full_places"].get(unit.name) or (unit.full_name if full else unit.name)
    kind = _issuer_kind_key(level, era, "")
    spec = _catalogue()["issuers"][kind] if kind else {}
    drafting = spec.get("drafting_unit")
    return Issuer(
        level=level.key,
        name=f"Ủy ban nhân dân {named}",
        header=["ỦY BAN NHÂN DÂN", vntext.upper(unit.full_name)],
        place=place,
        abbreviation="UBND",
        area=unit.type,
        drafting_units={drafting: spec["drafting_name"]} if spec.get("drafting_name") else {},
        signers={"chu_tich": {"authority": "TM. ỦY BAN NHÂN DÂN", "title": "CHỦ TỊCH"}},
    )


def _district_gone() -> str:
    return (
        "cấp huyện không còn từ 01/7/2025 (district level abolished on 1 July 2025): "
        "không lập văn bản của UBND huyện/quận hay phòng thuộc huyện sau ngày này; hãy dẫn xuất thẳng từ tỉnh "
        "xuống xã, phường, hoặc chọn ngày áp dụng (as_of) trước 01/7/2025"
    )


def _issuer_kind_key(level: law.Level, era: str, name: str, seat: law.Level | None = None) -> str | None:
    """The catalogue entry (unit_types.yaml `issuers`) of an issuer of this level, era, name and seat (the
    territory a Ban Chỉ đạo or a school serves)."""
    for key, spec in _catalogue()["_by_level"].get(level, []):
        if spec.get("era", era) != era:
            continue
        if spec.get("seat") and law.level(spec["seat"]) is not seat:
            continue
        if spec.get("name") and spec["name"] not in _norm(name).lower():
            continue
        return key
    return None


# ------------------------------------------------------------------ result


@dataclass
class Derived:
    data: dict[str, Any]  # the child in the YAML schema (issuer inline; `profile` names its file if any)
    trace: list[dict[str, str]] = field(default_factory=list)
    parent_path: str | None = None
    profile_path: Path | None = None
    # Validated objects behind parts of `data` (key → (the dict in `data`, the object)): `.document` takes the
    # object while that dict is still the one in `data`, instead of validating the same values a second time.
    models: dict[str, tuple[Any, Any]] = field(default_factory=dict, repr=False)
    # What the user must complete: 'where: placeholder' (parse's [CẦN BỔ SUNG: …]/XXX) and the parent's guesses.
    todo: list[str] = field(default_factory=list)

    @cached_property
    def document(self) -> Document:
        """The validated child (validated on first use: a batch that only writes YAML skips it)."""
        # Its text comes from validated (cleaned) documents; only an issuer built in Python may need the walk.
        issuer = self.data.get("issuer")
        clean = issuer is None or _clean_tree(issuer) == issuer
        data = self.data
        if clean:  # an issuer that needs cleaning is validated (and cleaned) from its dict, as before
            data = {**data, **{k: obj for k, (part, obj) in self.models.items() if data.get(k) is part}}
        return _validate(data, "văn bản dẫn xuất (derived document)", clean=clean)


def _t(trace: list[dict[str, str]], child: str, parent: str, rule: str) -> None:
    trace.append({"child": child, "parent": parent, "rule": rule})


# ------------------------------------------------------------------ derive


def _type_list(types: list[str]) -> str:
    order = _localise()["type_order"]
    ranked = sorted(set(types), key=lambda t: order.index(t) if t in order else len(order))
    return "các " + ", ".join(ranked)


@cache
def _lower_of(name: str, place: str, by_name: bool, era: str, area: str) -> tuple[str | None, str]:
    """'các xã, thị trấn' for a district from the unit data (None if it cannot be found) and a note."""
    as_of = date(2025, 6, 30) if era == units_mod.LEGACY else REFORM
    # A district's UBND by its name; a Sở by its province (the place).
    query = _UBND.sub("", name) if by_name else place
    try:
        unit = units_mod.find(query, as_of=as_of)
    except InputError:
        return None, f"'{query}' not found in the unit data"
    kids = units_mod.children(unit)
    if not kids:
        return None, f"{unit.full_name} has no units below it in the data"
    return _type_list([k.type for k in kids]), f"{len(kids)} units below {unit.full_name} in the unit data ({era})"


@cache
def _body_type_word() -> re.Pattern[str]:
    words = sorted(law.specs.body_types(), key=len, reverse=True)
    return re.compile(r"(?<!\S)(?:" + "|".join(map(re.escape, words)) + r")(?!\S)", re.IGNORECASE)


def _words(doc: Document, name: str, *, read: bool = False) -> str:
    """How a child names its parent: 'Kế hoạch ngày 25/9/2026 của Ủy ban nhân dân tỉnh … về …' (a draft's date
    left out); `read`: a received file cited with what was read of it, its number too."""
    number = f" số {doc.number:02d}/{doc.full_symbol()}" if read and doc.number else ""
    when = f" ngày {vntext.short_date(doc.date)}" if doc.date and (read or not doc.draft) else ""
    return f"{doc.kind_name}{number}{when} của {name} " + _about(doc)


def _issuers_named(doc: Document) -> str:
    """The parent's issuers as a citation names a joint document: 'Bộ Công an, Bộ Quốc phòng và Bộ Y tế'.
    A parsed liên tịch header comes as one name ('Bộ Công an bộ quốc phòng …'): it is split where each part's
    initials are one of the issuers' codes in the ký hiệu (HDLN-BCA-BQP-…, NĐ 30 §5.2), each part named as
    Phụ lục II writes it; a name that does not split that way is kept as it was read."""
    names = [doc.issuer.name, *(c.name for c in doc.co_issuers)]
    if len(names) == 1 and doc.symbol and doc.symbol.count("-") >= 2:
        parts = _joint_parts(names[0], frozenset(doc.symbol.upper().split("-")))
        if parts:
            from .agencyname import agency_name

            names = [agency_name([vntext.upper(p)]) for p in parts]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " và " + names[-1]


def _joint_parts(name: str, codes: frozenset[str]) -> list[str] | None:
    """`name` cut at body types ('Bộ', 'Viện', 'Tòa án') into parts whose initials are all in `codes`, or None."""
    cuts = [m.start() for m in _body_type_word().finditer(name)]
    if len(cuts) < 2 or cuts[0] != 0:
        return None
    cuts.append(len(name))
    parts: list[str] = []
    at = 0
    while at < len(cuts) - 1:
        for end in range(at + 1, len(cuts)):
            part = name[cuts[at] : cuts[end]].strip(" ,-")
            if "".join(unicodedata.normalize("NFD", w[0])[0] for w in part.split()).upper() in codes:  # án → A
                parts.append(part)
                at = end
                break
        else:
            return None
    return parts if len(parts) > 1 else None


def _short_body(name: str) -> str:
    return re.sub(r"^Ủy ban nhân dân\b", "UBND", name)


def _about(doc: Document) -> str:
    """'về việc …' (a công văn) or 'về …': a trích yếu that already opens with 'Về' keeps its own words."""
    title = vntext.lower_first(L.VV.strip(doc.title))
    return title if title.startswith("về ") else ("về việc " if doc.is_cong_van else "về ") + title


def _cite(doc: Document) -> dict[str, Any] | None:
    if doc.number is None or doc.date is None or doc.draft:
        return None
    summary = _about(doc)
    return {
        "kind": doc.kind,
        "number": f"{doc.number:02d}",
        "symbol": doc.full_symbol(),
        "date": doc.date.isoformat(),
        "issuer": _issuers_named(doc),
        "summary": summary,
    }


def _item(block: Any) -> list[Any]:
    """A duty as list items (the own-obligations list takes strings and {text|fill} items)."""
    if isinstance(block, str):
        return [block]
    if isinstance(block, dict):
        if "items" in block and "heading" not in block:
            return list(block["items"])
        for key in ("text", "fill"):
            if key in block:
                return [{key: block[key]}]
        if "runs" in block:
            return [{"runs": block["runs"]}]
        if "heading" in block:
            return [block["heading"], *(x for c in block.get("content", []) for x in _item(c))]
    return []


def _has_tasks(block: Any) -> bool:
    return isinstance(block, dict) and bool(block.get("tasks"))


def derive(
    parent: Document | str | Path,
    profile: Issuer | str | Path,
    *,
    as_of: date,
    deadline_days: int = 3,
    units: list[units_mod.Unit] | list[str] | None = None,
    kind: str | None = None,
    number: int | None = None,
    issued: date | None = None,
    after_end_days: int | None = None,
    parent_profile: str | Path | None = None,
) -> Derived:
    """The child document of `profile`'s body implementing `parent`, as of `as_of` (which fixes the era).

    `parent` is a Document, a .yaml or any received file parse reads (.docx, .doc, .pdf, a scan, .txt);
    `parent_profile` completes the issuer of a parsed one. `units` overrides the units below the child (e.g.
    Long Biên's 14 phường before 2025). `number` and `issued` are printed only when both are given;
    otherwise the child is a draft with both blank.
    `after_end_days` overrides settings.deadline_after_end_workdays (parent without a deadline)."""
    received = _received(parent, parent_profile)
    pdoc = received.doc
    par = _prepare(pdoc)
    prof = _profile(profile)
    issuer = prof.issuer
    trace: list[dict[str, str]] = []
    era = units_mod.era_for(as_of)
    own_level = law.level(issuer.level.value)
    level = own_level.key  # in trace notes
    seat = _speaks_as(issuer)

    # -- eras and levels (domain.md §2)
    territory = _territory(issuer)
    if territory is not None and not territory.exists_in(era):
        raise InputError.one(_district_gone(), field="profile")
    # An issuer without a unit catalogue: say so first, whatever its rank (README, limits).
    kind_key = _issuer_kind_key(own_level, era, issuer.name, seat)
    if kind_key is None:
        raise InputError.one(
            f"chưa có danh mục đơn vị cho cơ quan cấp '{level}' ({issuer.name}) trong unit_types.yaml "
            "(no unit catalogue for this issuer)",
            field="profile",
        )
    if not par.level.implemented_by(own_level, seat):
        raise InputError.one(
            f"{issuer.name} không ở cấp dưới của {pdoc.issuer.name} (the child must be below its parent)",
            field="profile",
        )
    through = law.level(seat.through) if seat.through else None
    if through is not None and through.exists_in(era) and (par.level.rank or 0) < (through.rank or 0):
        # Before the reform the province's plan addresses the districts; a commune implements its district's.
        p, t, c = par.level.name, through.name, seat.name
        raise InputError.one(
            f"trước 01/7/2025 kế hoạch của {p} triển khai qua cấp {t} (before the reform: {p} → {t} → {c}): "
            f"hãy dẫn xuất kế hoạch của {t} trước, rồi dẫn xuất kế hoạch {c} từ kế hoạch {t}",
            field="profile",
        )
    spec = _catalogue()["issuers"][kind_key]
    child_kind, document = _child_kind(kind, spec, kind_key)
    cong_van = child_kind in law.kinds() and law.kind(child_kind).is_cong_van
    settings = _localise()["settings"]
    templates = {**_localise()["templates"], **spec.get("templates", {})}

    # -- fields for templates and rules
    area = issuer.area or own_level.area or ""
    # "huyện Đồng Hỷ": a UBND's name without 'Ủy ban nhân dân'; another body's area and place
    area_named = (
        _UBND.sub("", issuer.name) if own_level.is_territorial or not issuer.area else f"{issuer.area} {issuer.place}"
    )
    if units:
        types = [
            u.type if isinstance(u, units_mod.Unit) else (units_mod.parse_type(u.split()[0]) or "xã") for u in units
        ]
        lower, note = _type_list(types), f"{len(units)} đơn vị do người dùng cho"
    elif seat.is_lowest_unit:  # nothing below a commune in the unit data
        lower, note = _localise()["lower_of_commune"].get(area, "các thôn, tổ dân phố"), f"đơn vị cấp xã loại {area}"
    else:
        lower, note = _lower_of(issuer.name, issuer.place, own_level.is_territorial, era, area)
        if lower is None:
            lower = seat.lower or ""
            note += f"; dùng '{lower}'"
    _t(trace, "fields.lower", "-", f"đơn vị cấp dưới: '{lower}' ({note})")
    parent_name = par.name
    campaign_name = pdoc.campaign.name if pdoc.campaign else "Tuần lễ hưởng ứng học tập suốt đời"
    year = pdoc.campaign.year if pdoc.campaign else (pdoc.date or as_of).year
    drafting_unit = next(iter(issuer.drafting_units), None) or spec["drafting_unit"]
    fields: dict[str, str] = {
        "area": area,
        "area_named": area_named,
        "lower": lower,
        "lower_cap": lower[:1].upper() + lower[1:],
        "year": str(year),
        "parent": parent_name,
        "campaign": campaign_name,
        "self_full": issuer.name,
        "lead": issuer.drafting_units.get(drafting_unit, "phòng chuyên môn"),
    }
    if seat.is_lowest_unit:  # thôn and tổ dân phố have no UBND
        fields["lower_bodies"] = fields["lower_bodies_short"] = lower
    else:
        fields["lower_bodies"], fields["lower_bodies_short"] = f"Ủy ban nhân dân {lower}", f"UBND {lower}"
    for k, v in spec.get("vars", {}).items():
        fields[k] = _must_fill(v, fields)
    own_units = [u for u in spec["units"] if u.get("era", era) == era]
    for src_type, u in _targets(own_units, par.level).items():
        fields[f"to:{src_type}"] = _must_fill(u["unit"], fields)
        fields[f"to_short:{src_type}"] = _must_fill(u["short"], fields)

    fields["title_place"] = _must_fill(templates["title_suffix"], fields)
    fill = _filler(fields)
    body = _body(par, fields, trace, _BodyKey(kind_key, era, own_level.key, seat.key, cong_van))
    task_section = body[-1] if _has_tasks(body[-1]) else next(b for b in body if _has_tasks(b))

    # -- campaign and deadline
    models: dict[str, tuple[Any, Any]] = {}
    campaign = dict(par.campaign) if par.campaign is not None else None
    if par.deadline is not None:
        deadline = workdays.subtract_workdays(par.deadline, deadline_days)
        rule = (
            f"{deadline_days} ngày làm việc trước hạn của cấp trên {vntext.short_date(par.deadline)} "
            f"({par.deadline_note}); trừ cuối tuần và ngày lễ (holidays.yaml)"
        )
    elif pdoc.campaign and pdoc.campaign.end:
        n = settings["deadline_after_end_workdays"] if after_end_days is None else after_end_days
        deadline = workdays.add_workdays(pdoc.campaign.end, n)
        rule = (
            f"cấp trên không cho hạn báo cáo: {n} ngày làm việc sau khi kết thúc đợt "
            f"({vntext.short_date(pdoc.campaign.end)}; settings.deadline_after_end_workdays)"
        )
    else:
        deadline, rule = None, "không có hạn: cấp trên không cho hạn báo cáo hay ngày kết thúc đợt"
    if deadline is not None and not workdays.covered(deadline):
        rule += f"; ngày lễ năm {deadline.year} chưa có trong holidays.yaml (chỉ trừ cuối tuần)"
    if campaign is not None:
        campaign.pop("report_deadline", None)
        if deadline is not None:
            campaign["report_deadline"] = deadline.isoformat()
        models["campaign"] = (campaign, pdoc.campaign.model_copy(update={"report_deadline": deadline}))  # type: ignore[union-attr]
        _t(trace, "campaign", "campaign", "kế thừa (tên, năm, chủ đề, thời gian)")
        _t(trace, "campaign.report_deadline", "campaign.report_deadline", rule)

    # -- basis: the parent's sources first, then the parent itself
    refs: list[dict[str, Any]] = []
    for bi, ri, ref in par.refs:
        if ref is None:
            _t(
                trace,
                "-",
                f"basis[{bi}].refs[{ri}]",
                "không dẫn văn bản cấp trên nữa: văn bản dẫn không ghi cơ quan ban hành",
            )
            continue
        refs.append(dict(ref))
        _t(
            trace,
            f"basis[0].refs[{len(refs) - 1}]",
            f"basis[{bi}].refs[{ri}]",
            "dẫn văn bản của cấp trên nữa trước",
        )
    cite = dict(par.cite) if par.cite is not None else None
    basis: dict[str, Any] = {"lead": "Thực hiện"}
    parent_words = par.words
    if received.file and not cite:  # a received file missing its number or date: cited with what was read
        parent_words = _words(pdoc, parent_name, read=True)
    if cite:
        refs.append(cite)
        _t(trace, f"basis[0].refs[{len(refs) - 1}]", "number, date, title", "dẫn đầy đủ văn bản cấp trên")
    if refs:
        basis["refs"] = refs
    if not cite:  # "Thực hiện Công văn …; Kế hoạch của UBND tỉnh … về …"
        basis["text"] = ("; " if refs else "") + parent_words
    if not cong_van:
        basis["text"] = basis.get("text", "") + fill(templates["intro_ke_hoach"])
    if not cite:
        _t(
            trace,
            "basis[0].text",
            "-",
            "the parent has no number (or no date) yet: cited by kind, date, issuer and title, never a made-up number",
        )

    # -- title, closing, Nơi nhận, signer
    title = par.title
    if cong_van:
        title = vntext.lower_first(title)
    else:
        # "… trên địa bàn Quận 7" names the parent's area: the child names its own.
        title = _ON_AREA.sub("", title[:1].upper() + title[1:]) + fill(templates["title_suffix"])
    closing = [{"fill": fill(c["fill"])} if isinstance(c, dict) else fill(c) for c in spec["closing"]]
    _t(trace, "closing", "-", f"câu kết của cấp dưới (unit_types.yaml issuers.{kind_key}.closing) kèm hạn báo cáo")
    up = par.up
    distribution: list[Any] = [{"to": up, "note": "(để báo cáo)"}]
    recipients: list[str] = []
    if cong_van:
        recipients = [t["unit"] for t in task_section["tasks"]]
    else:
        distribution += [{"to": t["short"], "note": "(để thực hiện)"} for t in task_section["tasks"]]
    for t in task_section["tasks"]:
        t.pop("short", None)
    _t(trace, "distribution", "issuer", f"{up} (để báo cáo); các đơn vị của cấp dưới (để thực hiện)")
    signers = issuer.signers
    if not signers:
        raise InputError.one("hồ sơ cơ quan chưa có người ký (profile has no signers)", field="signers")
    signer = next((k for k, s in signers.items() if s.prefix == "KT."), next(iter(signers)))
    _t(
        trace,
        "signer",
        "-",
        f"người ký trong hồ sơ '{signer}'" + (" (KT.: cấp phó ký thay)" if signers[signer].prefix else ""),
    )

    data: dict[str, Any] = {}
    if prof.name:
        data["profile"] = prof.name
    data["issuer"] = issuer.model_dump(mode="json", exclude_defaults=True)
    if prof.path is None:  # the caller's own object (a profile file's is cached: each child gets its own copy)
        models["issuer"] = (data["issuer"], issuer)
    data["kind"] = child_kind
    if number is not None and issued is not None:
        data["number"], data["date"] = number, issued.isoformat()
    else:
        data["draft"] = True
        data["year"] = year
        _t(trace, "number, date", "-", "để trống: văn thư ghi số và ngày khi văn bản được ký ban hành")
    if cong_van:
        data["drafting_unit"] = drafting_unit
    data["title"] = title
    if recipients:
        data["recipients"] = recipients
    if campaign is not None:
        data["campaign"] = campaign
    data["basis"] = [basis]
    data["body"] = body
    data["closing"] = closing
    data["signer"] = signer
    data["distribution"] = distribution
    data["archive"] = [drafting_unit]
    if document is not None:
        made = _Made(data, fill, trace, issuer, pdoc, era, up, refs[:], None if cite else parent_words)
        data = _campaign_document(document, made)
    todo = [f"văn bản cấp trên: {t}" for t in received.todo if "đoán" in t]  # guesses show nowhere else
    if received.file and not cite:  # a draft, or a number or date the reader could not read (a scan's hand)
        unread = ", ".join(w for w, v in (("số", pdoc.number), ("ngày", pdoc.date)) if v is None)
        todo.append(f"văn bản cấp trên: chưa có {unread} (dự thảo, hoặc không đọc được): thêm nếu đã ban hành")
    if deadline is None or campaign is None:  # no campaign to hold it: the date in the text, or a visible blank
        data = _deadline_in_text(data, deadline)
        if campaign is None:  # otherwise noted with the campaign
            _t(trace, "report_deadline", "-", rule)
    return Derived(
        data,
        trace,
        parent_path=str(parent) if not isinstance(parent, Document) else None,
        profile_path=prof.path,
        models=models,
        todo=todo + _placeholders(data) if par.marked or deadline is None else todo,
    )


def _targets(own_units: list[dict[str, Any]], parent: law.Level) -> dict[str, dict[str, Any]]:
    """The child's unit that takes over each type of the parent's units (catalogue `from`)."""
    target_of: dict[str, dict[str, Any]] = {}
    for u in own_units:
        for src in u["from"]:
            src_type = _at(src, parent)
            if src_type is not None:
                target_of.setdefault(src_type, u)
    return target_of


@dataclass(frozen=True)
class _BodyKey:
    """Besides the parent and the child's fields, all a child's body depends on."""

    kind_key: str  # the child's catalogue entry (unit_types.yaml issuers)
    era: str
    level: str
    seat: str  # the level whose words it uses
    cong_van: bool


# (parent, key) → the fields the body read and, by their values, the body and its trace notes
_BODIES: dict[tuple[int, _BodyKey], tuple[_Parent, tuple[str, ...], dict[tuple[Any, ...], Any]]] = {}
_BODIES_MAX = 32  # bodies per parent and key: the communes of a batch have three, districts a few more


class _Reads(dict[str, str]):
    """A child's fields, noting the names read: what its body depends on."""

    def __init__(self, fields: dict[str, str]) -> None:
        super().__init__(fields)
        self.read: set[str] = set()

    def get(self, key: str, default: Any = None) -> Any:
        self.read.add(key)
        return super().get(key, default)

    def __getitem__(self, key: str) -> str:
        self.read.add(key)
        return super().__getitem__(key)

    def __contains__(self, key: object) -> bool:
        self.read.add(key)  # type: ignore[arg-type]
        return super().__contains__(key)


def _body(par: _Parent, fields: dict[str, str], trace: list[dict[str, str]], key: _BodyKey) -> list[Any]:
    """The child's body, and its trace notes added to `trace`. The communes of a batch read the same few
    fields with a handful of values (xã, phường, đặc khu): each body is made once per value set and each child
    gets its own copy, so no child shares a list or dict with another."""
    entry = _BODIES.get((id(par), key))
    if entry is not None and entry[0] is par:
        made = entry[2].get(tuple(map(fields.get, entry[1])))
        if made is not None:
            trace += [dict(t) for t in made[1]]
            return _squeeze_copy(made[0])  # type: ignore[no-any-return]
    reads, start = _Reads(fields), len(trace)
    body = _make_body(par, reads, trace, key)
    names = tuple(sorted(reads.read))
    if entry is None or entry[0] is not par or entry[1] != names or len(entry[2]) >= _BODIES_MAX:
        if len(_BODIES) >= _PREPARED_MAX:  # as many parents and keys as prepared parents
            _BODIES.clear()
        entry = _BODIES[(id(par), key)] = (par, names, {})
    entry[2][tuple(map(fields.get, names))] = (_squeeze_copy(body), [dict(t) for t in trace[start:]])
    return body


def _make_body(par: _Parent, fields: dict[str, str], trace: list[dict[str, str]], k: _BodyKey) -> list[Any]:
    """The child's body (the parent's activities localised, its own duties, its units' tasks) and its
    trace notes, from the parent, the child's catalogue entry and its fields."""
    spec = _catalogue()["issuers"][k.kind_key]
    templates = {**_localise()["templates"], **spec.get("templates", {})}
    own_level, seat, level, cong_van = law.level(k.level), law.level(k.seat), k.level, k.cong_van
    own_units = [u for u in spec["units"] if u.get("era", k.era) == k.era]
    target_of = _targets(own_units, par.level)
    self_types = {t for t in (_at(s, par.level) for s in spec["self"]) if t is not None}
    pdoc = par.doc
    fill = _filler(fields)
    shift = f"{par.level.key}>{seat.key}"
    rules = _rules(shift, (pdoc.issuer.area or par.level.area or "").lower())
    if rules.pattern is None:
        _t(trace, "body", "body", f"không có quy tắc địa phương hóa cho {shift}: giữ nguyên văn bản cấp trên")
    loc = _Localiser(rules, fields)

    def localise(value: Any, child: str, parent_path: str, what: str) -> Any:
        start = len(loc.changes)
        out = loc.tree(value)
        new = loc.changes[start:]
        if new:
            pairs = list(dict.fromkeys(f"{a} → {b}" for a, b in new))
            _t(
                trace,
                child,
                parent_path,
                f"{what}, địa phương hóa: " + "; ".join(pairs[:4]) + ("; …" if len(pairs) > 4 else ""),
            )
        else:
            _t(trace, child, parent_path, what)
        return out

    # -- body
    body: list[Any] = []
    if cong_van:
        body.append(fill(" ".join(templates["intro_cong_van"].split())))
        _t(trace, "body[0]", "-", "lời mở đầu của cấp dưới (templates.intro_cong_van)")
    own: list[Any] = []
    own_from = "-"
    tasks_done = False
    for pi, block in enumerate(par.body):
        ppath = f"body[{pi}]"
        if not isinstance(block, dict) or "heading" not in block:
            _t(trace, "-", ppath, "bỏ: lời mở đầu của cấp trên (cấp dưới viết lời mở đầu riêng)")
            continue
        if not own_level.is_territorial and block["heading"] == templates["own_heading"]:
            # A body below a UBND (its Phòng, Ban Chỉ đạo, schools) does not take over the UBND's own duties.
            _t(trace, "-", ppath, "bỏ: nhiệm vụ trọng tâm của chính cấp trên (cấp trên nữa giao cho cấp trên)")
            continue
        if not _has_tasks(block):
            body.append(localise(block, f"body[{len(body)}]", ppath, "hoạt động kế thừa"))
            continue
        if tasks_done:
            _t(trace, "-", ppath, "bỏ: mục tổ chức thực hiện thứ hai (nhiệm vụ chỉ liệt kê một lần)")
            continue
        tasks_done = True
        assigned: dict[str, list[tuple[str, Any]]] = {}
        for ti, task in enumerate(block["tasks"]):
            tpath = f"{ppath}.tasks[{ti}]"
            type_ = task.get("unit_type") or classify(task["unit"])
            how = "unit_type" if task.get("unit_type") else "nhận theo tên"
            if type_ in self_types:
                for d in task.get("duties", []):
                    own.extend(_item(d))
                own_from = tpath
                _t(
                    trace,
                    "own",
                    tpath,
                    f"nhiệm vụ của chính cấp dưới: '{task['unit']}' ({type_}, {how}) là cấp của đơn vị",
                )
                continue
            target = target_of.get(type_ or "")
            if target is None:
                _t(
                    trace,
                    "-",
                    tpath,
                    f"bỏ: '{task['unit']}' ({type_ or 'không rõ loại'}) không có đơn vị tương ứng ở cấp {level}",
                )
                continue
            assigned.setdefault(target["type"], []).append((tpath, task))
        if own:
            # Not localised: addressed to the child, they name the parent's level as it is ("báo cáo về Sở").
            section = {
                "heading": templates["own_heading"],
                "content": [fill(templates["own_lead"]), {"items": _squeeze_copy(own)}],
            }
            _t(
                trace,
                f"body[{len(body)}]",
                own_from,
                "nhiệm vụ của chính cấp dưới: nhiệm vụ cấp trên giao cho cấp này, giữ nguyên",
            )
            body.append(section)
        heading = loc.text(block["heading"])
        section = {"heading": heading}
        if block.get("content"):
            section["content"] = localise(block["content"], f"body[{len(body)}].content", f"{ppath}.content", "kế thừa")
        section["tasks"] = _tasks(own_units, assigned, fill, loc, trace, len(body), level)
        body.append(section)
    if not tasks_done:
        _t(
            trace,
            f"body[{len(body)}]",
            "-",
            "cấp trên không có mục tổ chức thực hiện: đơn vị của cấp dưới lấy từ danh mục",
        )
        body.append(
            {"heading": templates["task_heading"], "tasks": _tasks(own_units, {}, fill, loc, trace, len(body), level)}
        )
    return body


def _deadline_in_text(data: dict[str, Any], deadline: date | None) -> dict[str, Any]:
    """{campaign.report_deadline} → the date, when the child has no campaign to hold it, or parse's
    placeholder when there is no deadline to fill it with (a draft's visible blank, never an invented date)."""
    from .parse import TODO

    blank = vntext.short_date(deadline) if deadline else TODO.format("hạn báo cáo")

    def walk(value: Any) -> Any:
        if isinstance(value, str):
            return value.replace("{campaign.report_deadline}", blank)
        if isinstance(value, list):
            return [walk(v) for v in value]
        if isinstance(value, dict):
            return {k: walk(v) for k, v in value.items()}
        return value

    return {k: v if k in ("issuer", "campaign") else walk(v) for k, v in data.items()}


def _placeholders(data: dict[str, Any]) -> list[str]:
    """'path: placeholder' for each of parse's placeholders (TODO, TODO_CODE) the child carries."""
    from .parse import PLACEHOLDER

    out: list[str] = []

    def walk(value: Any, path: str) -> None:
        if isinstance(value, str):
            out.extend(f"{path}: {m}" for m in dict.fromkeys(PLACEHOLDER.findall(value)))
        elif isinstance(value, list):
            for i, v in enumerate(value):
                walk(v, f"{path}[{i}]")
        elif isinstance(value, dict):
            for k, v in value.items():
                walk(v, f"{path}.{k}" if path else k)

    walk(data, "")
    return out


def _child_kind(kind: str | None, spec: dict[str, Any], kind_key: str) -> tuple[str, law.Kind | None]:
    """(the kind the plan part is made as, the campaign document made from it or None): `kind` is the
    catalogue's own (kế hoạch or công văn), any other kind of layout, or one of localise.yaml `documents`."""
    if kind is None or kind not in _localise()["documents"]:
        if kind is not None and kind not in law.kinds():
            known = ", ".join([spec["kind"], *_localise()["documents"]])
            raise InputError.one(f"loại văn bản (kind) không có trong Phụ lục III: {kind!r}; dẫn xuất được: {known}")
        return kind or spec["kind"], None
    wanted = _localise()["documents"][kind].get("plan")
    if wanted and law.kind(wanted) is not law.kind(spec["kind"]):
        raise InputError.one(
            f"{law.kind(kind).name.lower()} ban hành {law.kind(wanted).name.lower()}: cơ quan này lập "
            f"{law.kind(spec['kind']).name.lower()} (unit_types.yaml issuers.{kind_key}.kind)",
            field="kind",
        )
    return spec["kind"], law.kind(kind)


def _head(issuer: Issuer) -> str:
    """The issuer's head as a title in running text: 'Chủ tịch', 'Hiệu trưởng', 'Trưởng ban'."""
    heads = [s.title for s in issuer.signers.values() if not s.prefix and not s.chain]
    heads += [s.head_title for s in issuer.signers.values() if s.head_title]
    return heads[0].capitalize() if heads else "Thủ trưởng"  # str.capitalize lowers the rest


def _mid(name: str) -> str:
    """A unit's name inside a sentence: 'Các trường học …' → 'các trường học …'."""
    return "c" + name[1:] if name.startswith("Các ") else name


@dataclass
class _Made:
    """What a campaign document takes from the child's plan."""

    plan: dict[str, Any]
    fill: Any
    trace: list[dict[str, str]]
    issuer: Issuer
    parent: Document
    era: str
    up: str  # the parent's short name in Nơi nhận
    refs: list[dict[str, Any]]  # the parent's sources and the parent, cited in full
    parent_words: str | None  # the parent by kind, date, issuer and title when it has no number yet

    @property
    def units(self) -> list[str]:
        return [t["unit"] for t in next(b for b in self.plan["body"] if _has_tasks(b))["tasks"]]


def _decision(t: dict[str, Any], m: _Made, data: dict[str, Any]) -> None:
    """Mẫu 1.3: a quyết định ban hành the plan, the plan attached. A body whose signer signs 'TM.' (a UBND)
    decides as the collective; otherwise its head decides ('Hiệu trưởng Trường …')."""
    head, name = _head(m.issuer), m.issuer.name
    words = head.split()
    if m.issuer.signers[m.plan["signer"]].authority:
        data["authority"] = name
        _t(m.trace, "authority", "-", "thẩm quyền ban hành: tập thể (người ký 'TM.')")
    else:
        if len(words) > 1 and name.split()[0].lower() == words[-1].lower():  # "Trưởng ban" + "Ban Chỉ đạo …"
            data["authority"] = " ".join(words[:-1]) + " " + name
        else:
            data["authority"] = f"{head} {name}"
        _t(m.trace, "authority", "-", f"thẩm quyền ban hành: người đứng đầu ({head})")
    basis: list[dict[str, Any]] = [{"text": " ".join(t["law"][m.era].split())}]
    basis += [{"refs": [r]} for r in m.refs]
    if m.parent_words:
        basis.append({"text": m.parent_words})
    drafting = m.issuer.drafting_units.get(m.plan["archive"][0])
    if drafting:
        proposer = "Trưởng phòng " + drafting[len("Phòng ") :] if drafting.startswith("Phòng ") else drafting
        basis.append({"lead": "Theo đề nghị của", "text": proposer})
    data["basis"] = basis
    _t(m.trace, "basis", "-", f"căn cứ luật về tổ chức chính quyền địa phương ({m.era}), từng văn bản cấp trên")
    articles = [
        m.fill(a.replace("{executors}", t["executors_lead"] + ", ".join(_mid(u) for u in m.units)))
        for a in t["articles"]
    ]
    data["numbering"] = ["Điều 1."]
    data["body"] = [{"numbered": a} for a in articles]
    _t(m.trace, "body[2]", "-", "người thi hành: các đơn vị trong kế hoạch của cấp dưới")
    plan_body = [b for b in m.plan["body"]] + list(m.plan["closing"])
    last = plan_body[-1]
    if isinstance(last, str) and not last.endswith("./."):  # the attached text ends as a document does
        plan_body[-1] = last.removesuffix(".") + "./."
    numbering = m.plan.get("numbering") or Document.model_fields["numbering"].get_default(call_default_factory=True)
    data["attachment"] = {"kind": m.plan["kind"], "title": m.plan["title"], "numbering": numbering}
    data["attachment"]["body"] = plan_body
    _t(m.trace, "attachment", "-", "kế hoạch của cấp dưới ban hành kèm theo quyết định (Mẫu 1.3)")
    data["signer"] = m.plan["signer"]
    data["distribution"] = ["Như Điều 3", {"to": m.up, "note": "(để báo cáo)"}]


def _invitation(t: dict[str, Any], m: _Made, data: dict[str, Any]) -> None:
    """Mẫu 1.7: a giấy mời to the campaign's opening: who, what, time, place."""
    campaign = m.plan.get("campaign") or {}
    time = t["time"] if campaign.get("opening_day") else t["time_start"] if campaign.get("start") else None
    invitees = [m.fill(t["invitee"].replace("{unit}", _mid(u))) for u in [m.parent.issuer.name, *m.units]]
    data["body"] = [
        m.fill(t["invite"]),
        {"items": invitees},
        m.fill(t["event"]),
        {"fill": m.fill(time)} if time else m.fill(t["time_unknown"]),
        m.fill(t["venue"]),
    ]
    _t(m.trace, "body[1]", "-", "thành phần mời: cấp trên và các đơn vị trong kế hoạch của cấp dưới")
    _t(m.trace, "body[3]", "campaign", "ngày khai mạc của đợt; giờ mặc định (localise.yaml documents): sửa nếu khác")
    _t(m.trace, "body[4]", "-", "địa điểm mặc định: sửa nếu khác")
    data["closing"] = [m.fill(t["closing"])]
    data["signer"] = m.plan["signer"]
    data["distribution"] = [t["recipients_note"]]


def _notice(t: dict[str, Any], m: _Made, data: dict[str, Any]) -> None:
    """A thông báo to the child's units: the plan's activities, then who does them and the report deadline."""
    basis: dict[str, Any] = {"lead": "Thực hiện"}
    if m.refs:
        basis["refs"] = m.refs
    basis["text"] = (("; " if m.refs else "") + m.parent_words if m.parent_words else "") + m.fill(t["intro"])
    data["basis"] = [basis]
    executors = ", ".join(_mid(u) for u in m.units)
    request: list[Any] = [m.fill(t["request"].replace("{executors}", executors))]
    if (m.plan.get("campaign") or {}).get("report_deadline"):
        request.append({"fill": m.fill(t["report"])})
    data["body"] = [b for b in m.plan["body"] if isinstance(b, dict) and not _has_tasks(b)]  # no công văn intro
    data["body"].append({"heading": t["request_heading"], "content": request})
    _t(m.trace, f"body[{len(data['body']) - 1}]", "-", "các đơn vị trong kế hoạch của cấp dưới, gộp trong một mục")
    data["closing"] = [m.fill(t["closing"])]
    data["signer"] = m.plan["signer"]
    data["distribution"] = m.plan["distribution"]


_FORMS = {"decision": _decision, "invitation": _invitation, "notice": _notice}


def _campaign_document(kind: law.Kind, m: _Made) -> dict[str, Any]:
    """A quyết định ban hành the plan, a giấy mời to the opening or a thông báo, made from the child's plan
    with the sentences of localise.yaml `documents`."""
    t = _localise()["documents"][kind.key]
    # The plan's own notes stay in the trace under the plan's place: attached, or only the source of this one.
    prefix = "attachment." if t["form"] == "decision" else f"{m.plan['kind']}."
    for entry in m.trace:
        if entry["child"].startswith(("body", "closing", "distribution", "signer", "basis")):
            entry["child"] = prefix + entry["child"]
    data = {k: m.plan[k] for k in ("profile", "issuer") if k in m.plan}
    data["kind"] = kind.key
    data.update({k: m.plan[k] for k in ("number", "date", "draft", "year") if k in m.plan})
    data["title"] = m.fill(t["title"])
    if "campaign" in m.plan:
        data["campaign"] = m.plan["campaign"]
    _FORMS[t["form"]](t, m, data)
    data["archive"] = m.plan["archive"]
    _t(m.trace, "kind", "-", f"{kind.name} lập từ kế hoạch của cấp dưới (localise.yaml documents.{kind.key})")
    return data


def _tasks(
    own_units: list[dict[str, Any]],
    assigned: dict[str, list[tuple[str, Any]]],
    fill: Any,
    loc: _Localiser,
    trace: list[dict[str, str]],
    section_index: int,
    level: str,
) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for u in own_units:
        name = fill(u["unit"])
        child = f"body[{section_index}].tasks[{len(out)}]"
        duties: list[Any] = []
        sources = assigned.get(u["type"], [])
        for tpath, task in sources:
            start = len(loc.changes)
            for d in loc.tree(task.get("duties", [])):
                if d not in duties:
                    duties.append(d)
            pairs = list(dict.fromkeys(f"{a} → {b}" for a, b in loc.changes[start:]))
            src = task.get("unit_type") or classify(task["unit"])
            rule = f"chuyển giao {task['unit']} → {name} ({src} → {u['type']})"
            if pairs:
                rule += "; địa phương hóa: " + "; ".join(pairs[:3])
            _t(trace, child, tpath, rule)
        if not duties:
            duties = [fill(d) for d in u["duties"]]
            _t(
                trace,
                child,
                "-",
                f"đơn vị {u['type']} cấp {level} với nhiệm vụ mặc định trong danh mục (unit_types.yaml)",
            )
        if u.get("report"):
            duties.append({"fill": fill(u["report"])})
        task: dict[str, Any] = {"unit": name}
        if u.get("prefix"):
            task["prefix"] = u["prefix"]
        task["unit_type"] = u["type"]
        task["duties"] = duties
        task["short"] = fill(u["short"])
        out.append(task)
    return out


# ------------------------------------------------------------------ save


class _Dumper(yaml.SafeDumper):
    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)  # lists indented under their key, as in the examples


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    if len(value) > 90 and "\n" not in value and not value.startswith((" ", "-", "'", '"')):
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=">")
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


_Dumper.add_representer(str, _str)


def _dump(value: Any, indent: int = 0) -> str:
    text = yaml.dump(value, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=110, default_flow_style=False)
    pad = " " * indent
    return "".join(pad + line if line.strip() else line for line in text.splitlines(keepends=True))


def _comments_for(trace: list[dict[str, str]], prefix: str) -> list[str]:
    out = []
    for t in trace:
        if t["child"] == prefix or t["child"].startswith(prefix + ".") or t["child"].startswith(prefix + "["):
            out.append(f"{t['rule']}" + (f" (cấp trên: {t['parent']})" if t["parent"] not in ("-", "") else ""))
    return out


def _comment(lines: list[str], indent: int, limit: int = 3) -> str:
    pad = " " * indent
    shown = [re.sub(r"\s+", " ", line) for line in lines[:limit]]
    shown = [s if len(s) <= 150 else s[:147] + "…" for s in shown]
    more = [f"… và {len(lines) - limit} ghi chú nữa trong tệp trace"] if len(lines) > limit else []
    return "".join(f"{pad}# {s}\n" for s in [*shown, *more])


def _one_line(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def save(derived: Derived, out_yaml: str | Path) -> Path:
    """Write the child as readable YAML with `#` notes on where each part came from, and the full trace
    beside it as <stem>.trace.yaml. A profile that the loader finds from the output folder is referenced by
    name; otherwise the issuer is written inline."""
    from .loader import find_profile
    from .render import write_atomic

    out = Path(out_yaml)
    data = dict(derived.data)
    name = data.get("profile")
    if name:
        try:
            found = find_profile(name, out.parent.resolve())
        except FileNotFoundError:
            found = None
        if found is not None and derived.profile_path is not None and found.resolve() == derived.profile_path.resolve():
            data.pop("issuer", None)
        else:
            data.pop("profile", None)
    head = [
        f"Dẫn xuất bằng `vn-congvan derive` từ {derived.parent_path or 'văn bản cấp trên'}"
        f" cho {derived.data['issuer']['name']}.",
        "Sửa tùy ý: các ghi chú cho biết từng phần lấy từ đâu; toàn bộ vết (trace) ghi ở tệp bên cạnh "
        f"({out.stem}.trace.yaml).",
    ]
    if data.get("draft"):
        head.append("Dự thảo: số và ngày để trống đến khi văn thư ban hành văn bản (không bao giờ tự đặt).")
    if derived.todo:
        from .parse import TODO_HEAD

        head.append(TODO_HEAD)
        head += [f"  {_one_line(t)}" for t in derived.todo]
    parts = ["".join(f"# {h}\n" for h in head)]
    notes = {
        "issuer": ["cơ quan ban hành của cấp dưới (không tìm thấy hồ sơ cơ quan từ thư mục này)"],
        "basis": _comments_for(derived.trace, "basis"),
        "campaign": _comments_for(derived.trace, "campaign"),
        "closing": _comments_for(derived.trace, "closing"),
        "signer": _comments_for(derived.trace, "signer"),
        "distribution": _comments_for(derived.trace, "distribution"),
    }
    for key in [k for k in _TOP_KEYS if k in data] + [k for k in data if k not in _TOP_KEYS]:
        if key == "body":
            parts.append("body:\n")
            for i, block in enumerate(data["body"]):
                lines = [
                    t["rule"] + (f" (cấp trên: {t['parent']})" if t["parent"] != "-" else "")
                    for t in derived.trace
                    if t["child"] == f"body[{i}]"
                ]
                lines += [
                    f"{t['child'].removeprefix(f'body[{i}].')}: {t['rule']}"
                    for t in derived.trace
                    if t["child"].startswith(f"body[{i}].")
                ]
                parts.append(_comment(lines, 2, limit=4 if _has_tasks(block) else 2))
                parts.append(_dump([block], 2))
            continue
        if notes.get(key):
            parts.append(_comment(notes[key], 0))
        if key == "distribution":  # one line per recipient, as the examples write them
            parts.append("distribution:\n")
            for r in data[key]:
                flow = yaml.dump(
                    r, Dumper=_Dumper, allow_unicode=True, sort_keys=False, default_flow_style=True, width=1000
                )
                parts.append(f"  - {flow.strip().removesuffix(chr(10) + '...')}\n")  # a plain line: no '...'
            continue
        parts.append(_dump({key: data[key]}))
    write_atomic(out, "".join(parts).encode("utf-8"))
    trace_path = out.with_name(f"{out.stem}.trace.yaml")
    write_atomic(trace_path, _dump(derived.trace).encode("utf-8"))
    return out
