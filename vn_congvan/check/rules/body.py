"""Ô 6: the body — căn cứ, đề mục, paragraphs, spacing and the closing './.'."""

from __future__ import annotations

from collections.abc import Iterator
from typing import NamedTuple

from ... import rules as data
from ...law import lines as L
from ...ooxml import Paragraph
from ..edit import clamp, end_items, format_paragraph, set_para, set_run, set_text_suffix
from ..locate import Located
from ..report import Finding
from ..text import display, is_caps, norm, normal
from .base import Rule, fmt_problems, in_range, register


def _text_paragraphs(d: Located) -> list[tuple[Paragraph, str, bool]]:
    """Body paragraphs other than căn cứ lines: (paragraph, text, all runs bold)."""
    return d.once(_text_paragraph_list)


def _text_paragraph_list(d: Located) -> list[tuple[Paragraph, str, bool]]:
    basis = {id(p) for p in d.basis}
    return [(p, *p.once(_text_bold)) for p in d.body if id(p) not in basis]


def _text_bold(p: Paragraph) -> tuple[str, bool]:
    runs = p.visible_runs()
    return normal(p), bool(runs) and all(r.props.bold for r in runs)


class _Said(NamedTuple):
    """What the body's paragraph rules say of one paragraph (ND-01 of a căn cứ line too, the rest of the
    others only)."""

    size_out: bool  # ND-01: a run outside 13–14 pt
    formats: tuple[str, ...]  # ND-01: alignment, first-line indent, italic
    low_spacing: bool  # ND-02: under 6 pt from the next paragraph
    line: str | None  # ND-03: line spacing out of range, "auto" (a multiple) or "exact"
    headings: tuple[str, ...]  # ND-05


def _said(d: Located) -> list[tuple[Paragraph, _Said, bool]]:
    """(paragraph, what the rules say of it, whether it is a căn cứ line) of the body's paragraphs they have
    something to say of, in order: one walk and one lookup per paragraph for ND-01, 02, 03 and 05."""
    return d.once(_said_list)


def _said_list(d: Located) -> list[tuple[Paragraph, _Said, bool]]:
    basis = {id(p) for p in d.basis}
    return [(p, said, id(p) in basis) for p in d.body if (said := p.once(_paragraph_said)) is not None]


def _paragraph_said(p: Paragraph) -> _Said | None:
    spec = data.nd30()["body"]
    t, heading = p.once(_text_bold)
    de_muc = _de_muc(p)
    line = None
    if p.line is not None and not de_muc:
        if p.line_rule == "auto":
            lo, hi = spec["line_auto"]
            line = None if lo <= p.line <= hi else "auto"
        else:
            size = max((r.props.size or 28 for r in p.visible_runs()), default=28)
            lo, hi = spec["line_exact_per_sz"]
            line = None if lo * size <= p.line <= hi * size else "exact"
    said = _Said(
        _size_out(p),
        _format_issues(p, heading, de_muc),
        p.space_before + p.space_after < spec["spacing_between_min"] and not de_muc,
        line,
        _heading_issues(p, t, heading, de_muc),
    )
    return said if any(said) else None


def _de_muc(p: Paragraph) -> bool:
    """'Phần I', 'Chương II', 'Mục 1': a đề mục line, which the body's paragraph rules leave alone."""
    t = normal(p)
    return bool(L.PART_HEAD.match(t) or L.SECTION_HEAD.match(t))


_SIZE = "cỡ chữ ngoài 13–14"


@register
class BodyFormat(Rule):
    """Body paragraphs: justified, 13–14 pt, upright, first line indented 1 cm or 1.27 cm."""

    id = "ND-01"

    def check(self, d: Located) -> Iterator[Finding]:
        issues: dict[str, list[Paragraph]] = {}
        said = _said(d)
        for p, s, _ in said:
            if s.size_out:
                issues.setdefault(_SIZE, []).append(p)
        for p, s, basis in said:
            for key in () if basis else s.formats:
                issues.setdefault(key, []).append(p)
        for key, ps in issues.items():
            yield self.finding(ps[0].text, f"{key}: {len(ps)} đoạn")

    def fix(self, d: Located) -> list[str]:
        """What `check` counts, paragraph by paragraph: sizes into 13–14 pt, justified, the first line indented
        1 cm (or to the nearer 1.27 cm), italic
        removed. Headings, centred bold lines and a table's caps title are left as they are."""
        spec = data.nd30()["body"]
        el = data.element("noi_dung")
        accepted, tol = spec["first_line_indent"]["accepted"], spec["first_line_indent"]["tolerance"]
        counts: dict[str, int] = {}
        for p in d.body:
            caps_title = is_caps(display(p)) and len(p.text.split()) <= 12
            bad = [r for r in p.runs if r.text and not in_range(r.props.size, el["range"])]
            if not caps_title and any(r.text.strip() for r in bad):
                for r in bad:
                    set_run(r, size=clamp(r.props.size, el["range"], el["default"]))
                counts["cỡ chữ → 13–14 pt"] = counts.get("cỡ chữ → 13–14 pt", 0) + 1
        for p, t, heading in _text_paragraphs(d):
            runs = p.visible_runs()
            if L.PART_HEAD.match(t) or L.SECTION_HEAD.match(t) or (heading and p.align == "center"):
                continue
            if p.align != "both" and not heading:
                set_para(p, align="both")
                counts["canh đều hai lề"] = counts.get("canh đều hai lề", 0) + 1
            fl = p.ind_first_line - p.ind_hanging
            tab = 720 if p.text.startswith("\t") else 0
            starts = (fl, p.ind_left + fl, fl + tab)
            if not heading and not any(abs(s - a) <= tol for a in accepted for s in starts):
                # the nearest accepted indent: 1.23 cm becomes 1.27 cm, a flush paragraph 1 cm
                indent = min(accepted, key=lambda a: abs(a - fl)) if fl > 0 else spec["first_line_indent"]["default"]
                set_para(p, first_line=indent - tab if tab and indent > tab else indent)
                counts["lùi đầu dòng 1 cm/1,27 cm"] = counts.get("lùi đầu dòng 1 cm/1,27 cm", 0) + 1
            if runs and all(r.props.italic for r in runs) and not heading:
                for r in runs:
                    set_run(r, italic=False)
                counts["bỏ chữ nghiêng"] = counts.get("bỏ chữ nghiêng", 0) + 1
        return [f"nội dung: {what}: {n} đoạn" for what, n in counts.items()]


def _size_out(p: Paragraph) -> bool:
    """A run of `p` outside 13–14 pt (a table's short caps title line is not body text)."""
    lo, hi = data.element("noi_dung")["range"]
    for r in p.visible_runs():
        size = r.props.size
        if size is None or not lo <= size <= hi:
            return not (is_caps(display(p)) and len(p.text.split()) <= 12)
    return False


def _format_issues(p: Paragraph, heading: bool, de_muc: bool) -> tuple[str, ...]:
    """What ND-01 says of a body text paragraph besides its size."""
    spec = data.nd30()["body"]
    accepted = spec["first_line_indent"]["accepted"]
    tol = spec["first_line_indent"]["tolerance"]
    if de_muc:
        return ()
    out = []
    if not (heading and p.align == "center"):
        if p.align != "both" and not heading:
            out.append("chưa canh đều hai lề")
        fl = p.ind_first_line - p.ind_hanging
        tab = 720 if p.text.startswith("\t") else 0  # a leading tab is the indent, at the default stop
        starts = (fl, p.ind_left + fl, fl + tab)  # the first line's indent, from the paragraph or the margin
        if not heading and not _indented(starts, accepted, tol):
            out.append("lùi đầu dòng khác 1 cm/1,27 cm")
    runs = p.visible_runs()
    if runs and all(r.props.italic for r in runs) and not heading:
        out.append("chữ nghiêng")
    return tuple(out)


def _indented(starts: tuple[int, int, int], accepted: list[int], tol: int) -> bool:
    """One of the first line's indents within `tol` of an accepted one (a loop: judged for every new line)."""
    for a in accepted:
        for s in starts:
            if abs(s - a) <= tol:
                return True
    return False


@register
class ParagraphSpacing(Rule):
    """At least 6 pt between body paragraphs."""

    id = "ND-02"

    def check(self, d: Located) -> Iterator[Finding]:
        low = [p for p, s, basis in _said(d) if s.low_spacing and not basis]
        if low:
            yield self.finding(low[0].text, f"{len(low)} đoạn cách nhau dưới 6pt")

    def fix(self, d: Located) -> list[str]:
        """6 pt before each body paragraph whose spacing is under 6 pt (the space after is kept)."""
        least = data.nd30()["body"]["spacing_between_min"]
        n = 0
        for p, t, _ in _text_paragraphs(d):
            if p.space_before + p.space_after < least and not (L.PART_HEAD.match(t) or L.SECTION_HEAD.match(t)):
                set_para(p, before=least - p.space_after)
                n += 1
        return [f"nội dung: cách đoạn → 6 pt: {n} đoạn"] if n else []


@register
class LineSpacing(Rule):
    """Line spacing from single to 1.5 lines (exact spacing is judged against the font size: a warning)."""

    id = "ND-03"

    def check(self, d: Located) -> Iterator[Finding]:
        said = _said(d)
        auto = [p for p, s, basis in said if s.line == "auto" and not basis]
        exact = [p for p, s, basis in said if s.line == "exact" and not basis]
        if auto:
            yield self.finding(auto[0].text, f"{len(auto)} đoạn")
        if exact:
            yield self.finding(exact[0].text, f"{len(exact)} đoạn", severity="warning")

    def fix(self, d: Located) -> list[str]:
        """Line spacing brought to the nearest end of the range (a multiple, or exact points per size)."""
        spec = data.nd30()["body"]
        n = 0
        for p, t, _ in _text_paragraphs(d):
            if p.line is None or L.PART_HEAD.match(t) or L.SECTION_HEAD.match(t):
                continue
            if p.line_rule == "auto":
                lo, hi = spec["line_auto"]
                want = min(max(p.line, lo), hi)
            else:
                size = max((r.props.size or 28 for r in p.visible_runs()), default=28)
                lo, hi = spec["line_exact_per_sz"]
                want = round(min(max(p.line, lo * size), hi * size))
            if want != p.line:
                set_para(p, line=(want, p.line_rule))
                n += 1
        return [f"nội dung: khoảng cách dòng: {n} đoạn"] if n else []


@register
class Basis(Rule):
    """Căn cứ ban hành: italic, 13–14 pt, one per line, each ending ';' and the last '.'."""

    id = "ND-04"

    def check(self, d: Located) -> Iterator[Finding]:
        for i, p in enumerate(d.basis):
            probs = fmt_problems(p, "can_cu")
            t = norm(p.text)
            last = i == len(d.basis) - 1
            if last and not t.endswith("."):
                probs.append("căn cứ cuối phải kết thúc bằng '.'")
            elif not last and not t.endswith(";"):
                probs.append("phải kết thúc bằng ';'")
            if any(f"; {lead} " in t for lead in data.nd30()["basis_leads_italic"]):
                probs.append("mỗi căn cứ một dòng")
            if probs:
                yield self.finding(p.text, "; ".join(probs))

    def fix(self, d: Located) -> list[str]:
        """Italic and size; each căn cứ ends ';' and the last '.' (a ',' ';' '.' in the wrong place is
        replaced, a missing one added). Two căn cứ typed on one line are left: splitting is a person's call."""
        done = []
        for p in d.basis:
            done += [f"căn cứ '{norm(p.text)[:40]}': {x}" for x in format_paragraph(p, "can_cu")]
        return done + end_items(d.basis, "căn cứ")


@register
class Headings(Rule):
    """Đề mục: 'Phần I'/'Chương I'/'Mục 1' centred bold; 'I.' titles caps bold; 'Điều 1.' bold; điểm a b c d đ e g …"""

    id = "ND-05"

    def check(self, d: Located) -> Iterator[Finding]:
        for p, s, basis in _said(d):
            for detail in () if basis else s.headings:
                yield self.finding(p.text, detail)

    def fix(self, d: Located) -> list[str]:
        """'Phần I', 'Chương I', 'Mục 1' centred bold; 'I.' titles bold in capitals (w:caps: letters stay);
        'Điều 1.' bold. A điểm lettered 'f)' is left: renumbering is a person's call."""
        done = []
        for p, t, heading in _text_paragraphs(d):
            runs = p.visible_runs()
            if L.PART_HEAD.match(t) or L.SECTION_HEAD.match(t):
                if p.align != "center":
                    set_para(p, align="center")
                for r in runs:
                    set_run(r, bold=True)
                done.append(f"đề mục '{t[:30]}': canh giữa, in đậm")
            elif L.ROMAN_ITEM.match(t) and not (is_caps(display(p)) and heading):
                for r in runs:
                    set_run(r, bold=True, caps=True)
                done.append(f"đề mục '{t[:30]}': in hoa, in đậm")
            elif L.DIEU.match(t) and runs and not runs[0].props.bold:
                head = L.DIEU.match(t)
                for r in runs:  # the runs holding 'Điều N.'
                    set_run(r, bold=True)
                    if len("".join(x.text for x in runs[: runs.index(r) + 1]).strip()) >= len(t) - len(head["t"]):
                        break
                done.append(f"'{t[:12]}': in đậm")
        return done


def _heading_issues(p: Paragraph, t: str, heading: bool, de_muc: bool) -> tuple[str, ...]:
    """What ND-05 says of a body text paragraph."""
    if de_muc:
        return () if p.align == "center" and heading else ("phải canh giữa, in đậm",)
    out = []
    runs = p.visible_runs()
    if L.ROMAN_ITEM.match(t) and not (is_caps(display(p)) and heading):
        out.append("tên mục (I., II., …) phải in hoa, đậm")
    if L.DIEU.match(t) and not (runs and runs[0].props.bold):
        out.append("'Điều …' phải in đậm")
    dm = L.DIEM.match(t)
    if dm and dm["n"] not in data.nd30()["diem_letters"]:
        out.append(f"điểm không dùng chữ '{dm['n']}'")
    return tuple(out)


@register
class Closing(Rule):
    """The body ends with './.'."""

    id = "ND-06"

    def check(self, d: Located) -> Iterator[Finding]:
        last = next((p for p in reversed(d.body) if p.text.strip()), None)
        if last is not None and not norm(last.text).endswith("./."):
            yield self.finding(last.text)

    fix_safety = "unsafe"  # the finder may take a line for the body's last that a person would not

    def fix(self, d: Located) -> list[str]:
        """'./.' after the body's last sentence (its final '.' becomes './.')."""
        last = next((p for p in reversed(d.body) if p.text.strip()), None)
        if last is None or norm(last.text).endswith("./."):
            return []
        t = norm(last.text)
        old = "." if t.endswith(".") else ""
        return [f"nội dung '…{t[-30:]}': thêm './.'"] if set_text_suffix(last, old, "./.") else []
