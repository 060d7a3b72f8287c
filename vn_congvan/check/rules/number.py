"""Ô 3 (số, ký hiệu) and ô 4 (địa danh, ngày tháng)."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterator
from functools import cache

from ... import law
from ...law import lines as L
from ...law.find import facts_of
from ...ooxml import Paragraph
from ..edit import format_paragraph, replace_text, retext, set_run, wtext
from ..locate import Located
from ..report import Finding
from ..text import norm, normal
from .base import Rule, fmt_problems, register


def _number(d: Located) -> L.NumberRead | None:
    """The Số line read (five rules ask; the line is the same in a batch's documents)."""
    return facts_of(d.so.text).so if d.so is not None else None  # L.SO.read of its normal form: the finder's


@register
class NumberLine(Rule):
    """'Số: 05/KH-UBND': 'Số:' not bold, 13 pt, centred; ký hiệu groups of capitals joined by '-'."""

    id = "SO-01"

    def check(self, d: Located) -> Iterator[Finding]:
        if d.so is None:
            yield self.missing()
            return
        probs = d.so.once(_number_line)
        if probs:
            yield self.finding(d.so.text, "; ".join(probs))

    def fix(self, d: Located) -> list[str]:
        """Size, italic, centring; 'Số' not bold (a bold number stays); 'Số' written 'SỐ' or without ':'."""
        p = d.so
        if p is None:
            return []
        done = format_paragraph(p, "so_ky_hieu", attrs=("italic",))
        head = next((r for r in p.visible_runs() if "S" in r.text or "ố" in r.text), None)
        if head is not None and head.props.bold:
            set_run(head, bold=False)
            done.append("chữ 'Số' bỏ in đậm")
        text = wtext(p)
        m = re.match(r"^(\s*)(Số|SỐ|số)(?:[ \t]*(:))?", text)
        if m and (m[2] != "Số" or not m[3]) and L.SO.read(norm(text)) is not None:
            retext(p, m[1] + "Số:" + text[m.end() :])
            done.append(f"'{m.group(0).strip()}' → 'Số:'")
        return [f"Số, ký hiệu: {x}" for x in done]


def _number_line(p: Paragraph) -> tuple[str, ...]:
    """What SO-01 says of the Số line (the same line in a batch's documents: judged once)."""
    raw = unicodedata.normalize("NFC", p.text).strip()
    m = facts_of(p.text).so
    assert m is not None
    # "Số" itself must not be bold (the number may be, by hand)
    probs = [x for x in fmt_problems(p, "so_ky_hieu") if x != "không được in đậm"]
    so_runs = [r for r in p.visible_runs() if "S" in r.text or "ố" in r.text][:1]
    if so_runs and so_runs[0].props.bold:
        probs.append("chữ 'Số' không được in đậm")
    if not m.colon or not raw.startswith("Số"):
        probs.append("phải viết 'Số:'")
    groups = [g.strip() for g in m.code.strip().split("-")]
    if len(groups) < 2 or not all(L.SO.GROUP.match(g) for g in groups):
        probs.append("ký hiệu phải gồm các nhóm chữ in hoa nối bằng '-' (ví dụ KH-UBND)")
    return tuple(probs)


@register
class NumberZero(Rule):
    """Numbers below 10 get a leading zero: 01 … 09."""

    id = "SO-02"

    def check(self, d: Located) -> Iterator[Finding]:
        m = _number(d)
        if m and len(m.number) == 1:
            yield self.finding(d.so.text, f"'{m.number}' phải viết '0{m.number}'")  # type: ignore[union-attr]

    def fix(self, d: Located) -> list[str]:
        m = _number(d)
        if d.so is None or m is None or len(m.number) != 1:
            return []
        old = f"{m.number}{m.gap}/"
        return [f"số '{m.number}' → '0{m.number}'"] if replace_text(d.so, old, "0" + old) else []


@register
class NumberSpaces(Rule):
    """No spaces around '/' or inside the ký hiệu."""

    id = "SO-03"

    def check(self, d: Located) -> Iterator[Finding]:
        m = _number(d)
        if m is None:
            return
        if m.number and m.gap:
            yield self.finding(d.so.text, "khoảng trắng trước '/'")  # type: ignore[union-attr]
        if m.code != m.code.lstrip() or re.search(r"\s", m.code.strip()):
            yield self.finding(d.so.text, "khoảng trắng trong ký hiệu")  # type: ignore[union-attr]

    def fix(self, d: Located) -> list[str]:
        """'05 /KH - UBND' → '05/KH-UBND': only spaces around '/' and '-', and only when what is left is a
        ký hiệu of capitals joined by '-'."""
        m = _number(d)
        if d.so is None or m is None:
            return []
        text = wtext(d.so)
        slash = text.find("/")
        if slash < 0 or not m.code.strip():
            return []
        code = text[slash + 1 :]
        joined = re.sub(r"\s*-\s*", "-", code.strip())
        head = text[:slash].rstrip() if m.number else text[:slash]
        if not L.SO.SYMBOL.match(joined.split()[0] if joined.split() else "") or " " in joined:
            return []
        new = f"{head}/{joined}"
        return [f"Số, ký hiệu: '{norm(text)}' → '{norm(new)}'"] if retext(d.so, new) else []


@cache
def _upper_codes() -> dict[str, str]:
    """Phụ lục III's codes by their capitals: 'QYĐ' → 'QyĐ'."""
    return {c.upper(): c for c in law.specs.kind_codes()}


def _first_group(m: L.NumberRead) -> str:
    return m.code.strip().split("-")[0].strip()


@register
class SymbolMatchesKind(Rule):
    """The ký hiệu's first group is the tên loại's code (KẾ HOẠCH → KH); a công văn has none, never 'CV'."""

    id = "SO-04"

    def check(self, d: Located) -> Iterator[Finding]:
        m = _number(d)
        if m is None or d.kind is None:
            return
        first = _first_group(m)
        upper_codes = _upper_codes()
        if d.kind.is_cong_van:
            if first.upper() in upper_codes or first.upper() == "CV":
                yield self.finding(d.so.text, f"công văn không dùng chữ viết tắt tên loại '{first}'")  # type: ignore[union-attr]
            return
        codes = law.specs.kind_codes()
        case_slip = first not in codes and first.upper() in upper_codes  # SO-05's
        if not case_slip and d.kind.code and first != d.kind.code:
            yield self.finding(d.so.text, f"'{first}' không khớp tên loại, cần '{d.kind.code}'")  # type: ignore[union-attr]


@register
class SymbolCase(Rule):
    """Phụ lục III codes in their exact case: QyĐ, CTr, TTr …"""

    id = "SO-05"

    def check(self, d: Located) -> Iterator[Finding]:
        m = _number(d)
        if m is None or (d.kind is not None and d.kind.is_cong_van):
            return
        first = _first_group(m)
        codes = law.specs.kind_codes()
        upper_codes = _upper_codes()
        if first not in codes and first.upper() in upper_codes:
            yield self.finding(d.so.text, f"viết '{first}', đúng là '{upper_codes[first.upper()]}'")  # type: ignore[union-attr]


def _date(d: Located) -> L.DateRead | None:
    return facts_of(d.date.text).dated if d.date is not None else None  # L.DATE.read of its normal form


def _padding(r: L.DateRead) -> list[str]:
    pad = []
    if r.day and len(r.day) == 1:
        pad.append(f"ngày '{r.day}' phải viết '{int(r.day):02d}'")
    if r.month:
        mi = int(r.month)
        if mi in (1, 2) and r.month != f"0{mi}":
            pad.append(f"tháng '{r.month}' phải viết '0{mi}'")
        elif mi >= 3 and r.month != str(mi):
            pad.append(f"tháng '{r.month}' phải viết '{mi}'")
    return pad


@register
class DateLine(Rule):
    """'Hà Nội, ngày 05 tháng 3 năm 2026': a real date, italic, 13–14 pt, centred, beside the number."""

    id = "DD-01"

    def check(self, d: Located) -> Iterator[Finding]:
        if d.date is None:
            if d.kind is None or "dia_danh" in d.kind.elements:  # a biên bản has none (Mẫu 1.9)
                yield self.missing()
            return
        p, r = d.date, _date(d)
        assert r is not None
        probs = fmt_problems(p, "dia_danh")
        if not r.comma:
            probs.append("thiếu dấu phẩy sau địa danh")
        if r.day and r.month and r.year:
            try:
                dt.date(int(r.year), int(r.month), int(r.day))
            except ValueError:
                probs.append("ngày không hợp lệ")
        if not r.year:
            probs.append("thiếu năm")
        if bool(r.day) and not r.month:  # a day without a month is not a draft
            probs.append("thiếu ngày hoặc tháng")
        if not probs and not _padding(r) and not L.DATE.match(normal(p), strict=True):
            probs.append("sai mẫu 'Địa danh, ngày … tháng … năm …'")
        so = d.so
        same_table = so is not None and so.cell is not None and p.cell is not None and so.cell.table is p.cell.table
        if same_table and p.cell.col <= so.cell.col:  # type: ignore[union-attr]
            probs.append("phải ở ô bên phải, ngang dòng số, ký hiệu")
        if probs:
            yield self.finding(p.text, "; ".join(probs))

    def fix(self, d: Located) -> list[str]:
        """Italic, size, centring; the spacing of 'ngày … tháng … năm …' ('4năm' → '4 năm') and the comma
        after the place. Letters and numbers are not touched (DD-02 pads them)."""
        p = d.date
        if p is None:
            return []
        done = [f"địa danh, ngày tháng: {x}" for x in format_paragraph(p, "dia_danh")]
        text = wtext(p)
        new = re.sub(r"(\d)(?=(?:tháng|năm)\b)", r"\1 ", text)
        new = re.sub(r"\b(ngày|tháng|năm)(?=\d)", r"\1 ", new)
        new = re.sub(r"(\d)[ \t]{2,}(?=tháng|năm)", r"\1 ", new)
        new = re.sub(r"\b(ngày|tháng)[ \t]{2,}(?=\d)", r"\1 ", new)
        r = L.DATE.read(norm(new))
        if r is not None and not r.comma and r.place:
            lead = len(new) - len(new.lstrip())
            at = new.find(r.place, lead) + len(r.place)
            new = new[:at].rstrip() + "," + " " + new[at:].lstrip()
        if new != text and L.DATE.read(norm(new)) is not None and retext(p, new):
            done.append(f"địa danh, ngày tháng: '{norm(text)}' → '{norm(new)}'")
        return done


@register
class DatePadding(Rule):
    """Days below 10 and months 1–2 with a leading zero; months 3–12 without."""

    id = "DD-02"

    def check(self, d: Located) -> Iterator[Finding]:
        r = _date(d)
        if r is not None and (pad := _padding(r)):
            yield self.finding(d.date.text, "; ".join(pad))  # type: ignore[union-attr]

    def fix(self, d: Located) -> list[str]:
        r = _date(d)
        if d.date is None or r is None or not _padding(r):
            return []
        done = []
        if r.day and len(r.day) == 1 and replace_text(d.date, f"ngày {r.day} ", f"ngày {L.pad_day(int(r.day))} "):
            done.append(f"ngày '{r.day}' → '{L.pad_day(int(r.day))}'")
        month = L.pad_month(int(r.month)) if r.month else ""
        if r.month and r.month != month and replace_text(d.date, f"tháng {r.month} ", f"tháng {month} "):
            done.append(f"tháng '{r.month}' → '{month}'")
        return done


@register
class PlaceName(Rule):
    """The place's official name in full, capitalised ('Thành phố Hồ Chí Minh', not 'TP. HCM')."""

    id = "DD-03"

    def check(self, d: Located) -> Iterator[Finding]:
        r = _date(d)
        if r is None:
            return
        place = r.place
        if re.search(r"\bT[Pp]\.|\bHCM\b|^Tp\b", place) or (place and not place[0].isupper()):
            yield self.finding(d.date.text, f"'{place}'")  # type: ignore[union-attr]
