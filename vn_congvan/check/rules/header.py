"""Ô 1 (Quốc hiệu, Tiêu ngữ), ô 2 (tên cơ quan), the header table and the marks under the number."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any, NamedTuple

from ... import rules as data
from ...law import lines as L
from ...metrics import text_width
from ...ooxml import Paragraph, Run, W
from .. import edit
from ..edit import format_paragraph, retext, wtext
from ..locate import Located, cell_margins, paragraph_judgment
from ..report import Finding
from ..text import display, fold, norm, normal, underscores
from .base import ANY_DOCX, Rule, fmt_check, fmt_problems, register


def line_findings(
    rule: Rule, d: Located, text_p: Paragraph, spec: dict[str, Any], above: list[Paragraph] | None = None
) -> Iterator[Finding]:
    """The solid line under `text_p` (found by locate): its kind, its length against the text, centring.
    Under several lines (`above`, or a wrapped paragraph) it may match the longest line or the last one."""
    if above:  # most often ending with text_p
        spans = [d.spans(p) for p in above]
        longest = max([s[0] for s in spans])
        last = spans[-1][1] if above[-1] is text_p else d.spans(text_p)[1]
    else:
        longest, last = d.spans(text_p)
    for q in d.under.get(id(text_p), (text_p,)):
        drawn, length = q.once(_drawn)
        if drawn is not None:
            if drawn == "drawing" or (drawn == "shape" and not length):
                return  # another drawing on its own, or a line shape of unknown length: not measured
            # a line shape: its length from the XML, its position not judged; typed underscores: centred or not
            centred = drawn == "shape" or q.align == "center"
            if (detail := _length(length, longest, last, spec, centred)) is not None:
                yield rule.finding(text_p.text, detail)
            return
        b = q.border_bottom
        if b is not None:
            if b.val not in ("single", "thick"):
                yield rule.finding(text_p.text, f"đường kẻ kiểu '{b.val}', cần nét liền")
            avail = d.container_width(q)
            length = avail - q.ind_left - q.ind_right
            if q is text_p and q.ind_left == q.ind_right == 0 and spec["ratio"][1] < 0.9:
                length = avail  # a border on the text paragraph spans the whole cell
            centred = abs(q.ind_left - q.ind_right) <= data.nd30()["check"]["centre_tolerance"] * avail
            if (detail := _length(length, longest, last, spec, centred)) is not None:
                yield rule.finding(text_p.text, detail)
            return
    if rule.id == "TN-02" and any(r.props.underline for r in text_p.visible_runs()):
        yield rule.finding(text_p.text, "dùng gạch chân chữ thay cho đường kẻ", severity="warning")
        return
    yield rule.missing(text_p.text)


def _drawn(q: Paragraph) -> tuple[str | None, float]:
    """What `q` draws that may be a short line, with its length in twips where known: a line shape
    ("shape"), another drawing alone on its line ("drawing"), typed underscores ("underscores")."""
    shapes = [r.shape_width for r in q.runs if r.shape == "line"]
    if shapes:
        return "shape", shapes[0] or 0
    if q.has_drawing and not q.text.strip():
        return "drawing", 0
    if "_" in q.text and underscores(q):  # the test in C first: most lines are long text
        size = (q.visible_runs()[0].props.size or 24) / 2
        return "underscores", text_width(q.text.strip(), size) * 20
    return None, 0


def _length(length: float, longest: float, last: float, spec: dict[str, Any], centred: bool) -> str | None:
    """What is wrong with a line `length` twips long under a text whose longest and last lines are given: its
    length against nd30.yaml lines.<element> ratio (± tolerance), then its centring; None when nothing."""
    if longest <= 0:
        return None
    (lo, hi), tol = spec["ratio"], spec.get("tolerance", 0.0)
    lo, hi = lo - tol, hi + tol
    # Under a text of several lines the line may fit the longest or the last one; when it is too short for
    # one and too long for the other its length is left unjudged.
    a = length / longest
    b = length / last if last > 0 else a  # plain comparisons: asked of three lines of every document
    if lo <= a <= hi or lo <= b <= hi or (min(a, b) < lo and max(a, b) > hi):
        return None if centred else "đường kẻ không cân đối giữa"
    ratio = spec["ratio"]
    return (
        f"đường kẻ dài {length / 56.7:.0f} mm = {length / longest:.0%} dòng chữ ({longest / 56.7:.0f} mm), "
        f"cần {ratio[0]:.0%}–{ratio[1]:.0%}"
    )


def fix_line(d: Located, text_p: Paragraph, name: str, above: list[Paragraph] | None = None) -> list[str]:
    """The line under `text_p` brought to the law's share of the text (nd30.yaml lines.<name> default, e.g.
    0.42), centred: a paragraph's border gets its indents; a drawn line shape is replaced, and a missing line
    drawn, as compose draws it (edit.add_rule: a bottom-border paragraph of the templates' style), its
    height taken from the space under the text (make_room) so that no word moves. A drawn shape floats
    over the text: taking it away moves nothing; where there is no room for the paragraph it is resized
    about its centre instead (a missing line is drawn all the same: the text under it moves down by the
    line's 4 pt). Hand-typed underscores, or a drawing nearby the finder did not take for the line, are left
    for a person."""
    text_w = max(d.measure(p) for p in above or [text_p])
    want = round(data.nd30()["lines"][name]["default"] * text_w)
    if want <= 0:
        return []
    what = f"đường kẻ dưới '{norm(text_p.text)[:30]}'"
    for q in d.under.get(id(text_p), [text_p]):
        lines = [r for r in q.runs if r.shape == "line"]
        if lines:
            was = f"{lines[0].shape_width / 56.7:.0f}" if lines[0].shape_width else "?"
            if make_room(d, text_p, gone=lines[0]):
                edit.remove_drawing(lines[0])
                length = edit.add_rule(d.doc, text_p, text_w, d.container_width(text_p), name)
                return [f"{what}: hình vẽ {was} mm → đường viền đoạn văn {length / 56.7:.0f} mm, cân giữa"]
            # no room under the text for the line's paragraph: the drawn line is resized, nothing moves
            if edit.resize_line(lines[0], want):
                return [f"{what}: hình vẽ {was} → {want / 56.7:.0f} mm"]
            return []
        if q.has_drawing or underscores(q):
            return []
        if q.border_bottom is not None:
            if q is text_p:
                return []  # a border on the text itself: shortening it would squeeze the text
            avail = d.container_width(q)
            side = max(0, (avail - want) // 2)
            edit.set_para(q, indent=(side, side))
            return [f"{what}: → {want / 56.7:.0f} mm, cân giữa"]
    near = [text_p, *d.below(text_p, 2)]
    if any(q.has_drawing or "top" in q.borders or q.border_bottom or underscores(q) for q in near):
        return []  # something drawn nearby that the finder did not take for the line: a person looks
    make_room(d, text_p)
    length = edit.add_rule(d.doc, text_p, text_w, d.container_width(text_p), name)
    return [f"{what}: thêm, dài {length / 56.7:.0f} mm, cân giữa"]


def make_room(d: Located, text_p: Paragraph, gone: Run | None = None) -> bool:
    """Height for a short line's paragraph right under `text_p`, taken from the space under it so that no
    word moves: from its own cell or the body, or, when `text_p` ends its cell (a header laid out one line
    per table row), from every cell of the next row, less what the row had spare (a taller cell beside,
    a minimum row height). False, changing nothing, when there is not that much room."""
    need = edit.rule_height()
    after = d.after(text_p, 4)
    cell = text_p.cell
    if after or cell is None or cell.table is None:
        return edit.give_up([edit.room(d.doc, text_p, after, gone)], need)
    t = cell.table
    tr = cell.paragraphs[0].element.getparent().getparent()
    height = tr.find(f"{W}trPr/{W}trHeight")
    least = int(height.get(W + "val", "0")) if height is not None else 0
    if height is not None and height.get(W + "hRule") == "exact":
        return _cell_height(d, cell) + need <= least  # a row of fixed height would hide the line
    tall = max([least, *(_cell_height(d, c) for c in t.rows[cell.row].cells)])
    grow = _cell_height(d, cell) + need - tall
    if grow <= 0:
        return True
    if cell.row + 1 >= len(t.rows):
        return False
    nxt = t.rows[cell.row + 1].cells
    return edit.give_up([edit.room(d.doc, None, c.paragraphs, gone) for c in nxt], grow)


def _cell_height(d: Located, c: Any) -> int:
    """An estimate of the height of a cell's content, twips, with the short lines a fix added to it."""
    total = 0
    for p in c.paragraphs:
        lines = max(1, -(-round(d._total(p)) // round(d._avail(p))))
        total += p.space_before + p.space_after + lines * edit.line_height(d.doc, p)
    tc = c.paragraphs[0].element.getparent() if c.paragraphs else None
    known = {id(p.element) for p in c.paragraphs}
    added = [q for q in (tc if tc is not None else []) if q.tag == W + "p" and id(q) not in known]
    return total + len(added) * edit.rule_height()


@register
class QuocHieu(Rule):
    """'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM': caps, bold, 12–13 pt, centred, right cell of page 1."""

    id = "QH-01"

    def check(self, d: Located) -> Iterator[Finding]:
        qh = d.qh
        if qh is None:
            yield self.missing()
            return
        probs = fmt_problems(qh, "quoc_hieu")
        if display(qh) not in data.nd30()["quoc_hieu_accepted"]:
            probs.append("viết sai chữ hoặc chưa in hoa")
        if qh.cell is not None and qh.cell.col == 0 and qh.cell.table and qh.cell.table.n_cols > 1:
            probs.append("phải ở ô bên phải")
        if qh.section != 0:
            probs.append("phải ở trang đầu")
        if probs:
            yield self.finding(qh.text, "; ".join(dict.fromkeys(probs)))

    def fix(self, d: Located) -> list[str]:
        """Format, and the law's own text for a misspelt Quốc hiệu ('CỘNG HÕA …'); its place is left."""
        if d.qh is None:
            return []
        done = [f"Quốc hiệu: {x}" for x in format_paragraph(d.qh, "quoc_hieu")]
        done += _formula(d.qh, data.nd30()["quoc_hieu"], accepted=data.nd30()["quoc_hieu_accepted"])
        return done


@register
class QuocHieuOneLine(Rule):
    """The Quốc hiệu fits on one line of its column."""

    id = "HDR-02"
    fix_stage = 0

    def check(self, d: Located) -> Iterator[Finding]:
        qh = d.qh
        if qh is None:
            return
        need = qh.once(_one_line_width)
        avail = d.container_width(qh) - qh.ind_left - qh.ind_right
        if need > avail * 1.03:  # metrics and cell padding are estimates: a near fit is not judged
            yield self.finding(qh.text, f"cần {need / 56.7:.0f} mm, cột chỉ có {avail / 56.7:.0f} mm")

    def fix(self, d: Located) -> list[str]:
        """Spaces typed before the Quốc hiệu to push it to the centre are removed (it is centred instead);
        if it is still too wide, its column of the header table takes the room from the left column, as far
        as the left column's own lines still fit."""
        qh = d.qh
        if qh is None:
            return []
        done = []
        size = max((r.props.size or 24 for r in qh.visible_runs()), default=24) / 2
        text = wtext(qh)
        if text[:1].isspace():
            edit.retext(qh, text.lstrip())
            edit.set_para(qh, align="center")
            done.append("Quốc hiệu: bỏ khoảng trắng đầu dòng, canh giữa")
        need = text_width(norm(qh.text).upper(), size, bold=True) * 20 + qh.ind_left + qh.ind_right
        avail = d.container_width(qh)
        cell = qh.cell
        if need <= avail * 1.03 or cell is None or cell.table is None or len(cell.table.grid) != 2 or cell.col != 1:
            return done
        t = cell.table
        margin = cell_margins()
        left_need = max(
            (d.measure(p) + p.ind_left + p.ind_right for c in _column(t, 0) for p in c.paragraphs), default=0
        )
        delta = int(need - avail) + 60  # a little slack: the metrics are estimates
        if t.grid[0] - delta < left_need + margin:
            return done
        widths = [t.grid[0] - delta, t.grid[1] + delta]
        edit.set_table_widths(qh, widths)
        done.append(f"bảng phần đầu: cột phải {t.grid[1] / 56.7:.0f} → {widths[1] / 56.7:.0f} mm (Quốc hiệu một dòng)")
        return done


def _one_line_width(qh: Paragraph) -> float:
    """Width of the Quốc hiệu on one line, twips: in bold capitals at its largest size (its leading spaces
    push it too)."""
    size = max((r.props.size or 24 for r in qh.visible_runs()), default=24) / 2
    return text_width(qh.text.rstrip().upper(), size, bold=True) * 20


def _column(t: Any, col: int) -> list[Any]:
    return [c for row in t.rows for c in row.cells if c.col == col]


@register
class TieuNgu(Rule):
    """'Độc lập - Tự do - Hạnh phúc' right under the Quốc hiệu: hyphens with spaces, bold, 13–14 pt, centred."""

    id = "TN-01"

    def check(self, d: Located) -> Iterator[Finding]:
        if d.qh is None:
            return
        tn = d.tn
        if tn is None:
            yield self.missing(d.qh.text)
            return
        probs = fmt_problems(tn, "tieu_ngu")
        text, want = norm(tn.text), data.nd30()["tieu_ngu"]
        if text != want:
            if re.search(r"[–—]", text):
                probs.append("dùng gạch ngang dài (–) thay cho gạch nối (-)")
            elif re.search(r"\S-|-\S", text):
                probs.append("thiếu khoảng trắng quanh gạch nối")
            elif fold(text) == fold(want):
                probs.append("viết hoa sai: chỉ viết hoa chữ đầu mỗi cụm từ")
            else:
                probs.append(f"viết là '{text}'")
        if probs:
            yield self.finding(tn.text, "; ".join(probs))

    def fix(self, d: Located) -> list[str]:
        """Format, and the hyphens, spaces and capitals of 'Độc lập - Tự do - Hạnh phúc'."""
        if d.tn is None:
            return []
        done = [f"Tiêu ngữ: {x}" for x in format_paragraph(d.tn, "tieu_ngu")]
        return done + _formula(d.tn, data.nd30()["tieu_ngu"], accepted=[data.nd30()["tieu_ngu"]])


def _formula(p: Paragraph, want: str, accepted: list[str]) -> list[str]:
    """A line whose text the law fixes, written as the law writes it (leading spaces kept)."""
    text = wtext(p)
    if norm(display(p)) in accepted or norm(text) in accepted or not (L.quoc_hieu(text) or L.tieu_ngu(text)):
        return []
    lead = text[: len(text) - len(text.lstrip())]
    new = lead + want
    return [f"'{norm(text)}' → '{want}'"] if retext(p, new) else []


@register
class QuocHieuSpacing(Rule):
    """Quốc hiệu and Tiêu ngữ on consecutive lines, single spacing."""

    id = "QHTN-SP"

    def check(self, d: Located) -> Iterator[Finding]:
        qh, tn = d.qh, d.tn
        if qh is None or tn is None:
            return
        wide = qh.line_rule == "auto" and qh.line and qh.line > 276
        if d.tn_skipped or wide:
            yield self.finding(tn.text, "có dòng trống hoặc giãn dòng lớn" if d.tn_skipped else "giãn dòng lớn")

    def fix(self, d: Located) -> list[str]:
        """Empty lines between the two removed (only truly empty ones: no text, drawing or section end);
        the Quốc hiệu's line spacing single."""
        qh, tn = d.qh, d.tn
        if qh is None or tn is None:
            return []
        done = []
        gap = [q for q in d.below(qh, d.tn_skipped) if q is not tn][: d.tn_skipped]
        empty = [q for q in gap if not q.text.strip() and not q.has_drawing and q.element.find(f".//{W}sectPr") is None]
        if gap and len(empty) == len(gap):
            for q in empty:
                q.element.getparent().remove(q.element)
            done.append(f"Quốc hiệu, Tiêu ngữ: bỏ {len(empty)} dòng trống ở giữa")
        if qh.line_rule == "auto" and qh.line and qh.line > 276:
            edit.set_para(qh, line=(240, "auto"))
            done.append("Quốc hiệu: giãn dòng đơn")
        return done


@register
class TieuNguLine(Rule):
    """A solid line under the Tiêu ngữ, as long as the text."""

    id = "TN-02"

    def check(self, d: Located) -> Iterator[Finding]:
        if d.tn is not None:
            yield from line_findings(self, d, d.tn, data.nd30()["lines"]["tieu_ngu"])

    def fix(self, d: Located) -> list[str]:
        return fix_line(d, d.tn, "tieu_ngu") if d.tn is not None else []


@register
class Issuer(Rule):
    """Tên cơ quan ban hành: caps, bold, 12–13 pt, centred."""

    id = "CQ-01"

    def check(self, d: Located) -> Iterator[Finding]:
        if not d.issuer and not d.chu_quan:
            yield self.missing()
        for p in d.issuer:
            yield from fmt_check(self, p, "co_quan")

    def fix(self, d: Located) -> list[str]:
        return [f"tên cơ quan '{norm(p.text)}': {x}" for p in d.issuer for x in format_paragraph(p, "co_quan")]


@register
class ParentIssuer(Rule):
    """Tên cơ quan chủ quản: caps, not bold, 12–13 pt, centred."""

    id = "CQ-02"

    def check(self, d: Located) -> Iterator[Finding]:
        for p in d.chu_quan:
            yield from fmt_check(self, p, "chu_quan")

    def fix(self, d: Located) -> list[str]:
        return [f"cơ quan chủ quản '{norm(p.text)}': {x}" for p in d.chu_quan for x in format_paragraph(p, "chu_quan")]


@register
class IssuerLine(Rule):
    """A solid line, 1/3–1/2 of the text, centred under the issuing body's name."""

    id = "CQ-03"

    def check(self, d: Located) -> Iterator[Finding]:
        if d.issuer:  # measured against the widest line of the name ('ỦY BAN NHÂN DÂN' over 'TỈNH LÀO CAI')
            yield from line_findings(self, d, d.issuer[-1], data.nd30()["lines"]["co_quan"], above=d.issuer)

    def fix(self, d: Located) -> list[str]:
        return fix_line(d, d.issuer[-1], "co_quan", above=d.issuer) if d.issuer else []


@register
class HeaderTable(Rule):
    """Two borderless columns, the left one 35–45 % wide."""

    id = "HDR-01"
    fix_stage = 0

    def check(self, d: Located) -> Iterator[Finding]:
        qh = d.qh
        if qh is None or qh.cell is None or qh.cell.table is None:
            return
        t = qh.cell.table
        probs = []  # a third, empty spacer column is common practice and not judged
        widths = [c.effective_width or 0 for c in t.rows[qh.cell.row].cells]
        if len(widths) == 2 and sum(widths) and t.n_cols == 2:
            share = widths[0] / sum(widths)
            lo, hi = data.nd30()["check"]["header_left_share"]
            if not lo <= share <= hi:
                probs.append(f"cột trái chiếm {share:.0%}")
        if t.has_visible_borders:
            probs.append("có đường viền")
        if probs:
            yield self.finding(qh.text, "; ".join(probs))

    def fix(self, d: Located) -> list[str]:
        """Borders of the header table removed (table, its style's and each cell's): it prints borderless.
        Two columns out of proportion get the templates' shares (nd30.yaml header_table), when every line
        of each column still fits its new width."""
        qh = d.qh
        if qh is None or qh.cell is None or qh.cell.table is None:
            return []
        t, done = qh.cell.table, []
        if t.has_visible_borders:
            edit.remove_table_borders(qh)
            done.append("bảng phần đầu: bỏ đường viền")
        widths = [c.effective_width or 0 for c in t.rows[qh.cell.row].cells]
        lo, hi = data.nd30()["check"]["header_left_share"]
        if len(widths) != 2 or t.n_cols != 2 or len(t.grid) != 2 or not sum(widths):
            return done
        if lo <= widths[0] / sum(widths) <= hi:
            return done
        left_w, right_w = data.header_table()
        total = sum(t.grid)
        new = [round(total * left_w / (left_w + right_w)), 0]
        new[1] = total - new[0]
        margin = cell_margins()
        for col, width in enumerate(new):
            for p in (p for c in _column(t, col) for p in c.paragraphs):
                if d._total(p) + p.ind_left + p.ind_right > width - margin and d._total(p) <= d._avail(p):
                    return done  # a line that fits now would wrap: the shares are a person's call
        edit.set_table_widths(qh, new)
        was = widths[0] / sum(widths)
        done.append(f"bảng phần đầu: cột trái {was:.0%} → {new[0] / total:.0%}")
        return done


class _Mark(Rule):
    """A short caps line in the header naming an urgency or circulation mark."""

    words_key: str
    stem: re.Pattern[str]

    def check(self, d: Located) -> Iterator[Finding]:
        for p, t in _marks(d):
            if not self.stem.search(t.upper()):
                continue
            allowed = {fold(w) for w in data.nd30()[self.words_key]}
            probs = []
            if fold(t) not in allowed:
                probs.append(f"'{t}' không phải một trong: {', '.join(data.nd30()[self.words_key][::-1])}")
            probs += fmt_problems(p, "dau_muc_do")
            if probs:
                yield self.finding(p.text, "; ".join(probs))

    def fix(self, d: Located) -> list[str]:
        """Bold 13–14 pt capitals for a mark the decree knows; another word is a person's to change."""
        allowed = {fold(w) for w in data.nd30()[self.words_key]}
        done = []
        for p in d.head_zone[:40]:
            t = norm(display(p))
            if t and fold(t) in allowed and id(p) not in (id(d.qh), id(d.tn)):
                done += [f"'{t}': {x}" for x in format_paragraph(p, "dau_muc_do")]
        return done


class _HeadSaid(NamedTuple):
    mark: str | None  # the text of a short line naming an urgency or circulation mark (KHAN-01, LH-01)
    box: bool  # a line of a ký số box (ES-03)


def _head_lines(d: Located) -> list[tuple[int, Paragraph, _HeadSaid]]:
    """(place in the head zone, paragraph, what it is) of the head zone's mark and ký số box lines: one walk
    and one lookup per paragraph for KHAN-01, LH-01 and ES-03."""
    return d.once(_head_line_list)


def _head_line_list(d: Located) -> list[tuple[int, Paragraph, _HeadSaid]]:
    n = len(d.head_zone)  # the document's first lines (law.find: a prefix of its paragraphs)
    return [(i, p, said[_SLOT]) for i, p, said in d.judged if i < n and said[_SLOT] is not None]


def _head_said(p: Paragraph) -> _HeadSaid | None:
    said = _HeadSaid(_mark_text(p), _box_line(p))
    return said if said.mark is not None or said.box else None


_SLOT = paragraph_judgment(_head_said)


def _marks(d: Located) -> list[tuple[Paragraph, str]]:
    """(paragraph, text) of the header's short lines that name a mark (the first 40 lines of the head zone)."""
    fixed = (id(d.qh), id(d.tn))
    return [(p, s.mark) for i, p, s in _head_lines(d) if i < 40 and s.mark is not None and id(p) not in fixed]


def _mark_text(p: Paragraph) -> str | None:
    """The text of a short line that a mark's stem finds a word in (not the Số, date or V/v line)."""
    t = display(p)  # in its normal form already
    if not t or len(t) > 40 or not _MARK_STEMS.search(t.upper()):
        return None
    return None if L.SO.match(t) or L.DATE.read(t) or L.VV.match(t) else t


_URGENCY = re.compile(r"\bKHẨN\b|\bH[OÓ][AẢ]?\s*T[ỐO]C\b|\bHOẢ TỐC\b")
_CIRCULATION = re.compile(r"\bTRẢ LẠI\b|\bNỘI BỘ\b|\bLƯU HÀNH\b")
_MARK_STEMS = re.compile(f"{_URGENCY.pattern}|{_CIRCULATION.pattern}")  # either: one search of a line


@register
class Urgency(_Mark):
    """Urgency mark: only KHẨN, THƯỢNG KHẨN, HỎA TỐC; caps, bold, 13–14 pt."""

    id, words_key, stem = "KHAN-01", "urgency", _URGENCY


@register
class Circulation(_Mark):
    """Circulation mark (ô 11): only 'XEM XONG TRẢ LẠI', 'LƯU HÀNH NỘI BỘ'; caps, bold, 13–14 pt."""

    id, words_key, stem = "LH-01", "circulation", _CIRCULATION


@register
class AgencySignature(Rule):
    """An agency's ký số box (a văn bản kèm theo or a phụ lục in its own file, an electronic copy: PL I II.8.b,
    III.1.d, Phần II I.3): at the top right of page 1 (in the first page's header, or above the Quốc hiệu),
    Times New Roman 10 pt, upright, black. In the Mẫu's words ('Số: 05/KH-UBND; 20/09/2026; 16:05:12+07:00',
    'SAO Y; Sở …; 17/09/2026; 09:30:00+07:00') its time carries the ISO 8601 offset; a signing tool's
    'Ký bởi: …', 'Thời gian ký: …' lines are held to the format."""

    id = "ES-03"
    applies_to = ANY_DOCX

    @staticmethod
    def box(d: Located) -> list[tuple[Paragraph, bool]]:
        """The box's lines, each with whether it stands at the top of page 1 (first header, or above the body)."""
        first = d.doc.sections[0].headers if d.doc.sections else {}
        header = [p for hf in first.values() for p in hf.paragraphs()]
        lines = [p for p in header if p.once(_box_line)] + [p for _, p, said in _head_lines(d) if said.box]
        out = []
        for p in lines:
            top = d.pos[id(d.qh)] if d.qh is not None else 1 + min((d.pos[id(q)] for q in d.head_zone), default=0)
            out.append((p, any(p is h for h in header) or d.pos.get(id(p), top) < top))
        return out

    def check(self, d: Located) -> Iterator[Finding]:
        box = self.box(d)
        probs = [x for p, _ in box for x in fmt_problems(p, "ky_so")]
        probs += ["chữ màu" for p, _ in box for r in p.visible_runs() if r.props.color not in (None, "auto", "000000")]
        for p, at_top in box:
            read = L.KY_SO.read(norm(p.text))
            if read is None:
                continue  # a signing tool's 'Ký bởi: …': where it stamps is its own
            if not at_top:
                probs.append("không ở góc trên, bên phải trang đầu")
            if read.time is None or not read.zone:
                probs.append("thời gian ký cần ngày/tháng/năm; giờ:phút:giây và múi giờ ISO 8601 (+07:00)")
            head = read.parts[0] if read.parts else ""
            if head.startswith("Số") and not L.SO.match(head, strict=True):
                probs.append(f"số, ký hiệu '{head[:30]}' sai dạng ('Số: 05/KH-UBND')")
        if probs:
            yield self.finding(box[0][0].text, "; ".join(dict.fromkeys(probs)))

    def fix(self, d: Located) -> list[str]:
        """10 pt upright black lines of the ký số box, right-aligned."""
        done = []
        for p, _ in self.box(d):
            done += [f"ký số '{norm(p.text)[:30]}': {x}" for x in format_paragraph(p, "ky_so")]
            coloured = [r for r in p.visible_runs() if r.props.color not in (None, "auto", "000000")]
            for r in coloured:
                edit.set_colour(r)
            if coloured:
                done.append(f"ký số '{norm(p.text)[:30]}': màu → đen")
        return done


def _box_line(p: Paragraph) -> bool:
    """A line of a ký số box: an agency's signature or a signing tool's 'Ký bởi: …'."""
    t = normal(p)
    return bool(L.AGENCY_SIGNED.match(t) or L.KY_SO.match(t))
