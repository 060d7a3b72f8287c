"""Ô 5 (tên loại, trích yếu; V/v of a công văn) and ô 9a (Kính gửi)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from lxml import etree

from ... import rules as data
from ...law import lines as L
from ...ooxml import Paragraph, W
from .. import edit
from ..edit import format_paragraph, retext, set_para, wtext
from ..locate import Located
from ..report import Finding
from ..text import display, is_caps, norm
from .base import Rule, fmt_check, fmt_problems, register
from .header import fix_line, line_findings


@register
class KindName(Rule):
    """Tên loại: caps, bold, upright, 13–14 pt, centred."""

    id = "TL-01"

    def check(self, d: Located) -> Iterator[Finding]:
        if d.tl is not None:
            yield from fmt_check(self, d.tl, "ten_loai")

    def fix(self, d: Located) -> list[str]:
        return [f"tên loại: {x}" for x in format_paragraph(d.tl, "ten_loai")] if d.tl is not None else []


@register
class Summary(Rule):
    """Trích yếu under the tên loại: lower case with capitals where due, bold, 13–14 pt, centred."""

    id = "TL-02"

    def check(self, d: Located) -> Iterator[Finding]:
        if d.tl is None:
            return
        if not d.ty:
            if d.kind is None or "trich_yeu" in d.kind.elements:  # a giấy giới thiệu has none (Mẫu 1.8)
                yield self.missing(d.tl.text)
            return
        for q in d.ty:
            probs = fmt_problems(q, "trich_yeu")
            if is_caps(display(q)):  # letters, and none in lower case
                probs.append("trích yếu không viết toàn chữ in hoa")
            if probs:
                yield self.finding(q.text, "; ".join(probs))

    def fix(self, d: Located) -> list[str]:
        """Format only: a trích yếu typed in capitals stays so (its proper names cannot be guessed)."""
        return [f"trích yếu: {x}" for q in d.ty for x in format_paragraph(q, "trich_yeu")]


@register
class SummaryLine(Rule):
    """A solid line, 1/3–1/2 of the text, centred under the trích yếu."""

    id = "TL-03"

    def check(self, d: Located) -> Iterator[Finding]:
        if d.tl is not None and d.ty:
            yield from line_findings(self, d, d.ty[-1], data.nd30()["lines"]["trich_yeu"], above=d.ty)
        elif d.tl is not None and d.kind is not None and "trich_yeu" not in d.kind.elements:  # under the tên loại
            yield from line_findings(self, d, d.tl, data.nd30()["lines"]["trich_yeu"], above=[d.tl])

    def fix(self, d: Located) -> list[str]:
        return fix_line(d, d.ty[-1], "trich_yeu", above=d.ty) if d.ty else []


@register
class Vv(Rule):
    """A công văn's trích yếu: 'V/v …', upright, 12–13 pt, centred, 6 pt before, no line (its place: VV-02)."""

    id = "VV-01"

    def check(self, d: Located) -> Iterator[Finding]:
        p = d.vv
        if p is None:
            if d.kind is not None and "vv" in d.kind.elements:
                yield self.missing()
            return
        probs = fmt_problems(p, "vv")
        if not L.VV.match(norm(p.text), strict=True):
            probs.append("phải bắt đầu bằng 'V/v ' (chữ V hoa, v thường)")
        prev = d.before(p)
        before = p.space_before + (prev.space_after if prev is not None else 0)
        if prev is not None and before < data.element("vv").get("space_before", 120) / 2:
            probs.append("cần cách dòng số, ký hiệu 6pt")
        if p.border_bottom:
            probs.append("không kẻ đường dưới V/v")
        if probs:
            yield self.finding(p.text, "; ".join(probs))

    def fix(self, d: Located) -> list[str]:
        """Format, 'V/V' or 'v/v' → 'V/v', 6 pt above; its place in the header is left."""
        p = d.vv
        if p is None:
            return []
        done = [f"V/v: {x}" for x in format_paragraph(p, "vv")]
        text = wtext(p)
        m = re.match(r"^(\s*)([Vv]/[Vv])[ \t]*", text)
        if m and (m[2] != "V/v" or m.group(0)[len(m[1]) :] != "V/v "):
            retext(p, f"{m[1]}V/v {text[m.end() :]}")
            done.append(f"V/v: '{m.group(0).strip()}' → 'V/v'")
        if p.border_bottom is not None:
            edit.set_para(p, no_bottom_border=True)
            done.append("V/v: bỏ đường kẻ dưới")
        prev = d.before(p)
        want = data.element("vv").get("space_before", 120)
        if prev is not None and p.space_before + prev.space_after < want / 2:
            set_para(p, before=want - prev.space_after)
            done.append(f"V/v: cách trên {p.space_before / 20:g} → {(want - prev.space_after) / 20:g} pt")
        return done


def vv_block(d: Located) -> list[Paragraph]:
    """A công văn's trích yếu as typed: the 'V/v …' paragraph and the lines that continue it, the rest of
    its table cell or, outside the header table, the lines before the Kính gửi (Mẫu 1.5 has nothing else
    there). What VV-02 moves under the number, and what fix.content_words reads as one block."""
    vv = d.vv
    if vv is None:
        return []
    rest = d.after(vv, 4)
    if vv.cell is None:
        ids = [id(q) for q in rest]
        rest = rest[: ids.index(id(d.kg))] if d.kg is not None and id(d.kg) in ids else []
    block = [vv]
    for q in rest:
        if not q.text.strip() or id(q) in d.used:
            break
        block.append(q)
    return block


def _misplaced(d: Located) -> str | None:
    """Where the V/v stands when it is not in the number's column of the header, under the number (a header
    split into two tables keeps its columns)."""
    vv, so = d.vv, d.so
    if vv is None or so is None or so.cell is None or so.cell.table is None:
        return None  # no header table to put it in: not judged
    if vv.cell is None:
        return "dưới bảng phần đầu" if d.pos[id(vv)] > d.pos[id(so)] else "ngoài bảng phần đầu"
    if vv.cell.col != so.cell.col:
        return "ô bên phải" if vv.cell.col > so.cell.col else "ô khác"
    if d.pos[id(vv)] < d.pos[id(so)]:
        return "trên số và ký hiệu"
    return None


@register
class VvPlace(Rule):
    """A công văn's 'V/v …' in the left column of the header table, under the số and ký hiệu."""

    id = "VV-02"
    # Unsafe: the fix moves lines of text to another place on the page (the reading order changes, the
    # body moves up), and which lines continue the 'V/v' is read from the layout: a person confirms it.
    fix_safety = "unsafe"

    def check(self, d: Located) -> Iterator[Finding]:
        where = _misplaced(d)
        if where is not None and d.vv is not None:
            yield self.finding(d.vv.text, f"đang ở {where}")

    def fix(self, d: Located) -> list[str]:
        """The V/v and the lines that continue it moved, words untouched, to right under the 'Số:' line,
        without indents; the lines continuing it get the V/v format (12–13 pt, upright, not bold, centred).
        A line that ends a section or belongs to a numbered list is left for a person."""
        where, block = _misplaced(d), vv_block(d)
        if where is None or d.so is None or any(q.num_id or q.element.find(f".//{W}sectPr") is not None for q in block):
            return []
        source = block[0].element.getparent()
        at = d.so.element
        done = [f"V/v: chuyển từ {where} vào ô bên trái, dưới số và ký hiệu"]
        for i, q in enumerate(block):
            at.addnext(q.element)
            at = q.element
            set_para(q, indent=(0, 0), first_line=0)
            if i:  # the lines continuing it take its format (the V/v line's own is VV-01's), no gap
                set_para(q, before=0, after=0)
                done += [f"V/v '{norm(q.text)[:30]}': {x}" for x in format_paragraph(q, "vv")]
        if source.tag == W + "tc" and source.find(W + "p") is None:
            source.append(etree.Element(W + "p"))  # a table cell keeps a paragraph
        return list(dict.fromkeys(done))


@register
class KinhGui(Rule):
    """'Kính gửi:' in lower case with a capital K, upright, not bold, 13–14 pt."""

    id = "KG-01"

    def check(self, d: Located) -> Iterator[Finding]:
        if d.kg is None:
            return
        probs = fmt_problems(d.kg, "kinh_gui")
        if not display(d.kg).startswith(L.KINH_GUI.label) and not (d.kind is not None and d.kind.address):
            probs.append(f"phải viết '{L.KINH_GUI.format()}' (chữ thường, không in hoa)")
        if probs:
            yield self.finding(d.kg.text, "; ".join(probs))

    def fix(self, d: Located) -> list[str]:
        """Format, and the label written 'Kính gửi:' ('KÍNH GỬI:', 'Kính Gửi' → 'Kính gửi:')."""
        if d.kg is None:
            return []
        done = [f"Kính gửi: {x}" for x in format_paragraph(d.kg, "kinh_gui", caps=False)]
        return done + _label(d.kg, L.KINH_GUI.label + ":", r"kính\s*gửi\s*:?")


@register
class Recipients(Rule):
    """One recipient on the 'Kính gửi:' line; several, one per line '- …;', the last ending '.', aligned."""

    id = "KG-02"

    def check(self, d: Located) -> Iterator[Finding]:
        p = d.kg
        if p is None:
            return
        t = norm(p.text)
        after_colon = t.split(":", 1)[1].strip() if ":" in t else ""
        recipients = d.recipients
        if ":" not in t:
            yield self.finding(p.text, "thiếu dấu ':' sau 'Kính gửi'")
        if after_colon and recipients:
            yield self.finding(p.text, "nhiều nơi nhận thì xuống dòng sau dấu ':'")
        elif after_colon and after_colon.count(";") >= 1:
            yield self.finding(p.text, "nhiều nơi nhận phải ghi mỗi nơi một dòng")
        elif not after_colon and len(recipients) == 1:
            yield self.finding(recipients[0].text, "một nơi nhận thì ghi cùng dòng 'Kính gửi:'")
        elif not after_colon and not recipients:
            yield self.finding(p.text, "chưa ghi nơi nhận")
        if len(recipients) >= 2:
            for q in recipients[:-1]:
                if not norm(q.text).endswith(";"):
                    yield self.finding(q.text, "dòng phải kết thúc bằng ';'")
            if not norm(recipients[-1].text).endswith("."):
                yield self.finding(recipients[-1].text, "dòng cuối phải kết thúc bằng '.'")
            if len({q.ind_left - q.ind_hanging for q in recipients}) > 1:
                yield self.finding(recipients[0].text, "các gạch đầu dòng chưa thẳng hàng")

    def fix(self, d: Located) -> list[str]:
        """Several recipients: each line ends ';', the last '.' (a ',' or a missing mark is replaced), their
        dashes in line with the first one's."""
        items = d.recipients
        if len(items) < 2:
            return []
        done = edit.end_items(items, "Kính gửi", colon_opens_list=True)
        first = items[0]
        if len({q.ind_left - q.ind_hanging for q in items}) > 1:
            for q in items[1:]:
                edit.set_para(q, indent=(first.ind_left, q.ind_right), hanging=first.ind_hanging)
            done.append("Kính gửi: các gạch đầu dòng thẳng hàng")
        return done


def _label(p: Paragraph, want: str, pattern: str) -> list[str]:
    """The paragraph's opening label (`pattern`, any case) written `want`."""
    text = wtext(p)
    m = re.match(rf"^(\s*)({pattern})[ \t]*", text, re.IGNORECASE)
    if m is None or m[2] == want:
        return []
    rest = text[m.end() :]
    new = f"{m[1]}{want}{' ' if rest and m.group(0) != m[1] + m[2] else ''}{rest}"
    return [f"'{m[2].strip()}' → '{want}'"] if retext(p, new) else []


@register
class KinhGuiRequired(Rule):
    """A công văn and a tờ trình are addressed: they have 'Kính gửi:' (kinds.yaml `kinh_gui: required`)."""

    id = "KG-03"

    def check(self, d: Located) -> Iterator[Finding]:
        if d.kind is not None and d.kind.kinh_gui_required and d.kg is None:
            yield self.finding(d.tl.text if d.tl else "", f"{d.kind.name.lower()} chưa có 'Kính gửi:'")
