"""Page setup, fonts and page numbers (PL I Phần I)."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from functools import cache

from ... import rules as data
from ...law import lines as L
from ...metrics import text_width
from ...ooxml import Table
from ..edit import set_colour
from ..locate import Located
from ..report import Finding
from ..text import fold, font_key, norm
from .appendix import appendix_heads, unheaded
from .base import ANY_DOCX, Rule, in_range, register


def _near(value: int | None, target: int, tol: int) -> bool:
    return value is not None and abs(value - target) <= tol


@register
class PaperSize(Rule):
    """A4 portrait; a landscape section only for a table or a phụ lục."""

    id = "PAGE-01"
    applies_to = ANY_DOCX

    def check(self, d: Located) -> Iterator[Finding]:
        page = data.nd30()["page"]
        tol = page["tolerance"]
        with_table = {b.section for b in d.doc.body if isinstance(b, Table)}
        for s in d.doc.sections:
            w, h = s.page_width, s.page_height
            portrait = _near(w, page["width"], tol) and _near(h, page["height"], tol)
            landscape = _near(w, page["height"], tol) and _near(h, page["width"], tol)
            if not portrait and not (landscape and (s.index > 0 or s.index in with_table)):
                size = f"{(w or 0) / 56.7:.0f} × {(h or 0) / 56.7:.0f} mm" if w and h else "không rõ"
                yield self.finding(f"Mục (section) {s.index + 1}", size)


class _Margin(Rule):
    side: str
    applies_to = ANY_DOCX

    def check(self, d: Located) -> Iterator[Finding]:
        page = data.nd30()["page"]
        lo, hi, _default = page["margins"][self.side]
        mtol = page["margin_tolerance"]
        for s in d.doc.sections:
            landscape = _near(s.page_width, page["height"], page["tolerance"])
            if landscape and s.index > 0:
                continue  # landscape phụ lục pages rotate the margins (PL I sample: L30/R15/T20/B15)
            v = s.margins.get(self.side)
            if v is None or not (lo - mtol <= v <= hi + mtol):
                yield self.finding(f"Mục (section) {s.index + 1}", f"{(v or 0) / 56.7:.1f} mm".replace(".", ","))


@register
class MarginTop(_Margin):
    """Top margin 20–25 mm."""

    id, side = "PAGE-02", "top"


@register
class MarginBottom(_Margin):
    """Bottom margin 20–25 mm."""

    id, side = "PAGE-03", "bottom"


@register
class MarginLeft(_Margin):
    """Left margin 30–35 mm."""

    id, side = "PAGE-04", "left"


@register
class MarginRight(_Margin):
    """Right margin 15–20 mm."""

    id, side = "PAGE-05", "right"


def _font_names(d: Located) -> Iterator[tuple[str, str]]:
    """(font name, paragraph text) of every run with text, in headers and tables too."""
    for p, r in d.shown_runs():
        if r.text.strip():
            # ascii and hAnsi draw Vietnamese; cs (complex scripts) and eastAsia never show in it
            for name in {r.props.fonts.get(slot) for slot in ("ascii", "hAnsi")}:
                if name is not None:
                    yield name, p.text


@cache
def _legacy(name: str) -> bool:
    forbidden = {font_key(f) for f in data.nd30()["font"]["forbidden"]}
    return font_key(name) in forbidden or fold(name).startswith((".vn", "vni"))


@register
class Font(Rule):
    """Times New Roman everywhere; a face name ('Times New Roman Bold') is its family."""

    id = "FONT-01"
    applies_to = ANY_DOCX

    def check(self, d: Located) -> Iterator[Finding]:
        accepted = {font_key(f) for f in data.nd30()["font"]["accepted"]}
        bad: dict[str, tuple[int, str]] = {}
        for name, where in _font_names(d):
            if font_key(name) not in accepted:
                n, w = bad.get(name, (0, where))
                bad[name] = (n + 1, w)
        for name, (n, w) in bad.items():
            yield self.finding(w, f"phông '{name}' ở {n} đoạn chữ")


@register
class Colour(Rule):
    """Black text (auto or 000000)."""

    id = "FONT-02"
    applies_to = ANY_DOCX

    def check(self, d: Located) -> Iterator[Finding]:
        bad: dict[str, tuple[int, str]] = {}
        for p, r in d.shown_runs():
            c = r.props.color
            if r.text.strip() and c and c.lower() not in ("auto", "000000"):
                n, w = bad.get(c, (0, p.text))
                bad[c] = (n + 1, w)
        for color, (n, w) in bad.items():
            yield self.finding(w, f"màu #{color} ở {n} đoạn chữ")

    def fix(self, d: Located) -> list[str]:
        """Body runs in a colour become black (headers and footers are other parts: left as they are)."""
        done = 0
        for p in d.paras:
            for r in p.runs:
                c = r.props.color
                if r.text.strip() and c and c.lower() not in ("auto", "000000"):
                    set_colour(r)
                    done += 1
        return [f"{done} đoạn chữ màu → đen"] if done else []


@register
class Unicode(Rule):
    """Precomposed Unicode (NFC), no TCVN3 (.VnTime) or VNI fonts."""

    id = "FONT-03"
    applies_to = ANY_DOCX

    def check(self, d: Located) -> Iterator[Finding]:
        legacy: dict[str, str] = {}
        for name, where in _font_names(d):
            if _legacy(name):
                legacy.setdefault(name, where)
        for name, w in legacy.items():
            yield self.finding(w, f"phông '{name}'")
        for p, r in d.shown_runs():
            if r.text.strip() and unicodedata.normalize("NFC", r.text) != r.text:
                yield self.finding(p.text, "chữ tổ hợp chưa chuẩn hóa NFC")
                return


def estimate_pages(d: Located) -> float:
    lines = 0.0
    for p in d.paras:
        if p.cell is not None and p.cell.col > 0:
            continue  # side-by-side cells share lines with the left cell
        size = max((r.props.size or 24 for r in p.visible_runs()), default=26) / 2
        w = d.container_width(p) / 20
        lines += max(1.0, text_width(p.text, size) / max(w, 1.0)) * size / 14 + p.space_before / 280
    return lines / data.nd30()["check"]["page_estimate_lines"]


@register
class PageNumber(Rule):
    """A PAGE field in the default header, centred, 13–14 pt, upright; not in the footer."""

    id = "PGN-01"

    def check(self, d: Located) -> Iterator[Finding]:
        el = data.element("so_trang")
        shown = {  # footers that print: first-page ones only with titlePg, even-page ones never judged
            hf.part: hf
            for s in d.doc.sections
            for typ, hf in s.footers.items()
            if typ == "default" or (typ == "first" and s.title_pg)
        }
        for hf in shown.values():
            if hf.has_page_field:
                p = next(p for p in hf.paragraphs() if p.has_page_field)
                yield self.finding(p.text or hf.part, "số trang đặt ở chân trang (footer)")
                break
        default = d.doc.sections[0].headers.get("default")
        if default is None or not default.has_page_field:
            if estimate_pages(d) > 1.0 and not any(
                h.has_page_field for s in d.doc.sections for h in s.headers.values()
            ):
                yield self.missing("Mục (section) 1")
            return
        p = next(p for p in default.paragraphs() if p.has_page_field)
        probs = []
        if p.align != "center":
            probs.append("chưa canh giữa")
        runs = p.visible_runs() or p.runs
        if any(not in_range(r.props.size, el["range"]) for r in runs):
            probs.append(f"cỡ chữ cần {el['range'][0] / 2:g}–{el['range'][1] / 2:g}")
        if any(r.props.bold or r.props.italic for r in runs):
            probs.append("không được đậm hoặc nghiêng")
        if probs:
            yield self.finding(p.text or "PAGE", "; ".join(probs))


@register
class FirstPageNumber(Rule):
    """No page number on the first page: 'different first page' and no PAGE in its header."""

    id = "PGN-02"

    def check(self, d: Located) -> Iterator[Finding]:
        first = d.doc.sections[0]
        default = first.headers.get("default")
        if default is None or not default.has_page_field:
            return
        first_hdr = first.headers.get("first")
        if not first.title_pg:
            yield self.finding("Mục (section) 1", "thiếu thiết lập 'Trang đầu khác' (titlePg)")
        elif first_hdr is not None and first_hdr.has_page_field:
            yield self.finding("Mục (section) 1", "đầu trang của trang đầu có trường PAGE")


@register
class AppendixPageNumbers(Rule):
    """Each phụ lục section restarts its page numbers at 1."""

    id = "PGN-03"

    def check(self, d: Located) -> Iterator[Finding]:
        for s in d.doc.sections[1:]:
            heads = [p for p in d.paras if p.section == s.index and p.cell is None]
            if any(L.PHU_LUC.match(norm(p.text)) for p in heads[:5]) and s.pgnum_start != 1:
                yield self.finding(f"Mục (section) {s.index + 1}")
        if not d.signer:
            return
        # a phụ lục after the signature but in the main document's own section goes on with its page numbers
        main, last = d.signer[-1].section, d.pos[id(d.signer[-1])]
        numbered = any(h.has_page_field for h in d.doc.sections[main].headers.values())
        attached = [p for p, _ in appendix_heads(d)] + unheaded(d)
        shared = [p for p in attached if p.section == main and d.pos[id(p)] > last]
        if numbered and shared:
            yield self.finding(
                shared[0].text, "phụ lục chưa tách thành mục (section) riêng nên số trang nối tiếp văn bản"
            )


@register
class ArabicPageNumbers(Rule):
    """Page numbers in Arabic numerals (1, 2, 3), not Roman or letters."""

    id = "PGN-04"
    applies_to = ANY_DOCX

    def check(self, d: Located) -> Iterator[Finding]:
        for s in d.doc.sections:
            numbered = any(h.has_page_field for h in s.headers.values())
            if numbered and s.pgnum_format not in (None, "decimal"):
                yield self.finding(f"Mục (section) {s.index + 1}", f"kiểu số '{s.pgnum_format}'")
