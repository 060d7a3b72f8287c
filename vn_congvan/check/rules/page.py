"""Page setup, fonts and page numbers (PL I Phần I)."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from functools import cache
from typing import NamedTuple

from ... import rules as data
from ...law import lines as L
from ...metrics import text_width
from ...ooxml import Paragraph, Table, W
from .. import edit
from ..edit import set_colour
from ..locate import Located, paragraph_judgment
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
    fix_stage = 0

    def check(self, d: Located) -> Iterator[Finding]:
        page = data.nd30()["page"]
        tol = page["tolerance"]
        for s in d.doc.sections:
            w, h = s.page_width, s.page_height
            portrait = _near(w, page["width"], tol) and _near(h, page["height"], tol)
            landscape = _near(w, page["height"], tol) and _near(h, page["width"], tol)
            if not portrait and not (landscape and (s.index > 0 or _has_table(d, s.index))):
                size = f"{(w or 0) / 56.7:.0f} × {(h or 0) / 56.7:.0f} mm" if w and h else "không rõ"
                yield self.finding(f"Mục (section) {s.index + 1}", size)

    def fix(self, d: Located) -> list[str]:
        """A4: portrait, except a later section already turned (a phụ lục table) which stays landscape."""
        page = data.nd30()["page"]
        done = []
        for s, sect in zip(d.doc.sections, edit.sect_prs(d.doc), strict=False):
            if not list(self.check_section(d, s.index)):
                continue
            turned = s.index > 0 and (s.page_width or 0) > (s.page_height or 0)
            w, h = (page["height"], page["width"]) if turned else (page["width"], page["height"])
            pg = edit.child(sect, "pgSz")
            pg.set(W + "w", str(w))
            pg.set(W + "h", str(h))
            if turned:
                pg.set(W + "orient", "landscape")
            else:
                pg.attrib.pop(W + "orient", None)
            before = f"{(s.page_width or 0) / 56.7:.0f} × {(s.page_height or 0) / 56.7:.0f} mm"
            done.append(f"khổ giấy mục {s.index + 1}: {before} → A4{' ngang' if turned else ''}")
        return done

    def check_section(self, d: Located, index: int) -> Iterator[Finding]:
        return (f for f in self.check(d) if f.where == f"Mục (section) {index + 1}")


def _has_table(d: Located, section: int) -> bool:
    return any(isinstance(b, Table) and b.section == section for b in d.doc.body)


class _Margin(Rule):
    side: str
    applies_to = ANY_DOCX
    fix_stage = 0

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

    def fix(self, d: Located) -> list[str]:
        """The margin brought to the nearest end of the range (15 mm → 20 mm), in each section it failed in."""
        lo, hi, default = data.nd30()["page"]["margins"][self.side]
        flagged = {f.where for f in self.check(d)}
        done = []
        for s, sect in zip(d.doc.sections, edit.sect_prs(d.doc), strict=False):
            if f"Mục (section) {s.index + 1}" not in flagged:
                continue
            v = s.margins.get(self.side)
            want = edit.clamp(v, [lo, hi], default)
            mar = edit.child(sect, "pgMar")
            raw = mar.get(W + self.side)
            negative = raw is not None and raw.strip().startswith("-")  # a negative top: 'exactly', kept
            mar.set(W + self.side, str(-want if negative else want))
            done.append(f"lề {_SIDE_VI[self.side]} mục {s.index + 1}: {(v or 0) / 56.7:.1f} → {want / 56.7:.1f} mm")
        return done


_SIDE_VI = {"top": "trên", "bottom": "dưới", "left": "trái", "right": "phải"}


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


class _Faces(NamedTuple):
    """What FONT-01 … FONT-03 say of one paragraph's runs with text."""

    foreign: tuple[str, ...]  # font names other than Times New Roman, run after run (FONT-01)
    legacy: tuple[str, ...]  # TCVN3 and VNI font names, run after run (FONT-03)
    colours: tuple[str, ...]  # the colour of each run that is not black (FONT-02)
    decomposed: bool  # a run not in NFC (FONT-03)


def _faces(d: Located) -> list[tuple[Paragraph, _Faces]]:
    """The paragraphs that print (headers and tables too) that the FONT rules have something to say of, in
    order: one walk and one lookup per paragraph for the three rules."""
    return d.once(_face_list)


def _face_list(d: Located) -> list[tuple[Paragraph, _Faces]]:
    # a paragraph without text has no run with text to judge
    body = [(p, said[_SLOT]) for _, p, said in d.judged if said[_SLOT] is not None]
    hf = [p for p in d.shown_hf_paragraphs() if p.text]
    return body + [(p, faces) for p in hf if (faces := p.once(_paragraph_faces)) is not None]


def _paragraph_faces(p: Paragraph) -> _Faces | None:
    foreign: list[str] = []
    legacy: list[str] = []
    colours: list[str] = []
    decomposed = False
    for r in p.visible_runs():
        # ascii and hAnsi draw Vietnamese; cs (complex scripts) and eastAsia never show in it
        fonts = r.props.fonts
        a, h = fonts.get("ascii"), fonts.get("hAnsi")
        for n in {a, h} - {None}:
            bad, old = _face(n)
            if bad:
                foreign.append(n)
            if old:
                legacy.append(n)
        if (c := r.props.color) and c.lower() not in ("auto", "000000"):
            colours.append(c)
        decomposed = decomposed or not unicodedata.is_normalized("NFC", r.text)
    if foreign or legacy or colours or decomposed:
        return _Faces(tuple(foreign), tuple(legacy), tuple(colours), decomposed)
    return None


_SLOT = paragraph_judgment(_paragraph_faces)


@cache
def _face(name: str) -> tuple[bool, bool]:
    """(not Times New Roman, a TCVN3 or VNI font) of a font name."""
    return font_key(name) not in _accepted(), _legacy(name)


@cache
def _accepted() -> frozenset[str]:
    return frozenset(font_key(f) for f in data.nd30()["font"]["accepted"])


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
        bad: dict[str, tuple[int, str]] = {}
        for p, faces in _faces(d):
            for name in faces.foreign:
                n, w = bad.get(name, (0, p.text))
                bad[name] = (n + 1, w)
        for name, (n, w) in bad.items():
            yield self.finding(w, f"phông '{name}' ở {n} đoạn chữ")

    def fix(self, d: Located) -> list[str]:
        """Times New Roman in all four slots of every run in another font (body, tables, headers, footers).
        A TCVN3/VNI font over text in that encoding is left (FONT-03), and so is a symbol font."""
        name = data.nd30()["font"]["name"]
        accepted = _accepted()
        changed: dict[str, int] = {}
        for _p, r in d.shown_runs():
            if not r.text.strip():
                continue
            fonts = {r.props.fonts.get(slot) for slot in ("ascii", "hAnsi")} - {None}
            bad = [f for f in fonts if font_key(f) not in accepted]
            if not bad or any(_symbol(f) for f in fonts) or (any(_legacy(f) for f in fonts) and encoded(r.text)):
                continue
            edit.set_run(r, font=name)
            for f in bad:
                changed[f] = changed.get(f, 0) + 1
        return [f"phông '{f}' → '{name}': {n} đoạn chữ" for f, n in changed.items()]


# Letters of Vietnamese in Unicode outside ASCII: text in a .VnTime run made only of these (and ASCII) is
# Unicode already, shown in the wrong font; anything else there (¸ µ ¶ ä ø …) is TCVN3 or VNI bytes.
_VIET = set("àáâãèéêìíòóôõùúýăđĩũơưÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝĂĐĨŨƠƯ\u00a0") | {chr(c) for c in range(0x1EA0, 0x1EFA)}


def encoded(text: str) -> bool:
    """Whether `text` holds TCVN3/VNI bytes rather than Unicode letters (then a font change would garble it)."""
    text = unicodedata.normalize("NFC", text)
    return any(0x80 <= ord(c) < 0x2000 and c not in _VIET for c in text)


def _symbol(name: str) -> bool:
    return fold(name).startswith(("symbol", "wingdings", "webdings", "zapf"))


@register
class Colour(Rule):
    """Black text (auto or 000000)."""

    id = "FONT-02"
    applies_to = ANY_DOCX

    def check(self, d: Located) -> Iterator[Finding]:
        bad: dict[str, tuple[int, str]] = {}
        for p, faces in _faces(d):
            for c in faces.colours:
                n, w = bad.get(c, (0, p.text))
                bad[c] = (n + 1, w)
        for color, (n, w) in bad.items():
            yield self.finding(w, f"màu #{color} ở {n} đoạn chữ")

    def fix(self, d: Located) -> list[str]:
        """Runs in a colour become black, in the body and in the headers and footers that print."""
        done = 0
        for _p, r in d.shown_runs():
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
        for p, faces in _faces(d):
            for name in faces.legacy:
                legacy.setdefault(name, p.text)
        for name, w in legacy.items():
            yield self.finding(w, f"phông '{name}'")
        for p, faces in _faces(d):
            if faces.decomposed:
                yield self.finding(p.text, "chữ tổ hợp chưa chuẩn hóa NFC")
                return

    def fix(self, d: Located) -> list[str]:
        """Decomposed letters composed (NFC): the same letters, one code point each. Unicode text in a TCVN3
        or VNI font gets Times New Roman; text in their own encoding is left: converting it is a person's check."""
        n = 0
        seen: set[int] = set()
        name = data.nd30()["font"]["name"]
        fonts = 0
        for p, r in d.shown_runs():
            names = {r.props.fonts.get(slot) for slot in ("ascii", "hAnsi")} - {None}
            legacy = any(_legacy(f) for f in names)
            if legacy and r.text.strip() and not encoded(r.text):
                edit.set_run(r, font=name)  # Unicode text shown in a TCVN3 font: only the font was wrong
                fonts += 1
            if id(p) in seen or legacy:
                continue
            if r.text.strip() and unicodedata.normalize("NFC", r.text) != r.text:
                seen.add(id(p))
                n += edit.nfc(p)
        done = [f"chữ Unicode trong phông TCVN3/VNI → '{name}': {fonts} đoạn chữ"] if fonts else []
        return done + ([f"chữ tổ hợp → Unicode dựng sẵn (NFC): {n} đoạn"] if n else [])


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
        if probs := p.once(_page_number_problems):  # a batch's documents share their header's paragraphs
            yield self.finding(p.text or "PAGE", "; ".join(probs))

    def fix(self, d: Located) -> list[str]:
        """The number's format in the default header (every run of the field: its result takes their
        format); none in any header, a centred PAGE field in a new default header from page 2 (titlePg;
        page 1 keeps the header it had). A number alone on a footer line moves to the header; a footer line
        with more ('Trang 2/5'), a header with text of its own or a phụ lục sharing the main section (its
        pages would go on with the numbers) is left for a person."""
        el = data.element("so_trang")
        first = d.doc.sections[0]
        default = first.headers.get("default")
        footers = {hf.part: hf for s in d.doc.sections for t, hf in s.footers.items() if t == "default"}
        in_footer = [p for hf in footers.values() for p in hf.paragraphs() if p.has_page_field]
        fields = [edit.page_field(p) for p in in_footer]
        if not all(fields):
            return []
        if default is not None and default.has_page_field:
            for f in fields:
                edit.remove(f)  # type: ignore[arg-type]
            p = next(p for p in default.paragraphs() if p.has_page_field)
            for r in p.runs:
                size = r.props.size if in_range(r.props.size, el["range"]) else el["default"]
                edit.set_run(r, size=size, bold=False, italic=False)
            if p.align != "center":
                edit.set_para(p, align="center")
            moved = ["số trang: bỏ ở chân trang"] if fields else []
            return [*moved, f"số trang: cỡ {el['default'] / 2:g} pt, canh giữa, chữ đứng"]
        if any(h.has_page_field for s in d.doc.sections for h in s.headers.values()):
            return []
        if (estimate_pages(d) <= 1.0 and not fields) or (default is not None and default.text.strip()):
            return []
        if _attached_in_main(d):
            return []
        for f in fields:
            edit.remove(f)  # type: ignore[arg-type]
        sects = edit.sect_prs(d.doc)
        old_first = first.headers.get("first") if first.title_pg else default
        rid = edit.add_header(d.doc, _page_header(el["default"]))
        edit.header_reference(sects[0], "default", rid)
        done = ["số trang: bỏ ở chân trang"] if fields else []
        done.append("số trang: thêm trường PAGE ở đầu trang, canh giữa, từ trang 2")
        if not first.title_pg:
            edit.child(sects[0], "titlePg").attrib.pop(W + "val", None)
            if old_first is not None:  # page 1 keeps the header it showed
                rid_first = edit.add_header(d.doc, edit.part_bytes(d.doc, old_first.part), like=old_first.part)
                edit.header_reference(sects[0], "first", rid_first)
        return done


def _page_number_problems(p: Paragraph) -> tuple[str, ...]:
    """What PGN-01 says of the header paragraph holding the PAGE field: centred, 13–14 pt, upright."""
    el = data.element("so_trang")
    probs = []
    if p.align != "center":
        probs.append("chưa canh giữa")
    runs = p.visible_runs() or p.runs
    if any(not in_range(r.props.size, el["range"]) for r in runs):
        probs.append(f"cỡ chữ cần {el['range'][0] / 2:g}–{el['range'][1] / 2:g}")
    if any(r.props.bold or r.props.italic for r in runs):
        probs.append("không được đậm hoặc nghiêng")
    return tuple(probs)


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

    def fix(self, d: Located) -> list[str]:
        """'Different first page' set, with the first page's header empty (a first-page header holding the
        number itself is left)."""
        first = d.doc.sections[0]
        default = first.headers.get("default")
        if first.title_pg or default is None or not default.has_page_field:
            return []
        sect = edit.sect_prs(d.doc)[0]
        edit.child(sect, "titlePg").attrib.pop(W + "val", None)
        if first.headers.get("first") is not None:
            edit.header_reference(sect, "first", edit.add_header(d.doc, _page_header(None)))
        return ["số trang: không hiện ở trang 1 (Trang đầu khác)"]


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
        numbered = any(h.has_page_field for h in d.doc.sections[d.signer[-1].section].headers.values())
        shared = _attached_in_main(d)
        if numbered and shared:
            yield self.finding(
                shared[0].text, "phụ lục chưa tách thành mục (section) riêng nên số trang nối tiếp văn bản"
            )

    def fix(self, d: Located) -> list[str]:
        """A phụ lục's own section restarts at 1; one left in the main section is a person's to split off."""
        done = []
        for s, sect in zip(d.doc.sections[1:], edit.sect_prs(d.doc)[1:], strict=False):
            heads = [p for p in d.paras if p.section == s.index and p.cell is None]
            if any(L.PHU_LUC.match(norm(p.text)) for p in heads[:5]) and s.pgnum_start != 1:
                edit.child(sect, "pgNumType").set(W + "start", "1")
                done.append(f"số trang mục {s.index + 1} (phụ lục): bắt đầu từ 1")
        return done


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

    def fix(self, d: Located) -> list[str]:
        done = []
        for s, sect in zip(d.doc.sections, edit.sect_prs(d.doc), strict=False):
            if s.pgnum_format not in (None, "decimal"):
                edit.child(sect, "pgNumType").set(W + "fmt", "decimal")
                done.append(f"số trang mục {s.index + 1}: '{s.pgnum_format}' → chữ số Ả Rập")
        return done


def _attached_in_main(d: Located) -> list[Paragraph]:
    """Phụ lục after the signature but in the main document's own section (they share its page numbers)."""
    if not d.signer:
        return []
    attached = [p for p, _ in appendix_heads(d)] + unheaded(d)
    if not attached:
        return []
    main, last = d.signer[-1].section, d.pos[id(d.signer[-1])]
    return [p for p in attached if p.section == main and d.pos[id(p)] > last]


def _page_header(size: int | None) -> bytes:
    """A header part: one centred paragraph holding a PAGE field in Times New Roman (empty without a size)."""
    font = data.nd30()["font"]["name"]
    rpr = (
        f'<w:rPr><w:rFonts w:ascii="{font}" w:hAnsi="{font}" w:cs="{font}" w:eastAsia="{font}"/>'
        f'<w:sz w:val="{size}"/><w:szCs w:val="{size}"/></w:rPr>'
    )
    field = (
        f'<w:r>{rpr}<w:fldChar w:fldCharType="begin"/></w:r>'
        f'<w:r>{rpr}<w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>'
        f'<w:r>{rpr}<w:fldChar w:fldCharType="separate"/></w:r><w:r>{rpr}<w:t>2</w:t></w:r>'
        f'<w:r>{rpr}<w:fldChar w:fldCharType="end"/></w:r>'
    )
    para = (
        '<w:p><w:pPr><w:spacing w:before="0" w:after="0"/><w:ind w:left="0" w:right="0" w:firstLine="0"/>'
        f'<w:jc w:val="center"/></w:pPr>{field if size else ""}</w:p>'
    )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f'<w:hdr xmlns:w="{W[1:-1]}" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        f"{para}</w:hdr>"
    ).encode()
