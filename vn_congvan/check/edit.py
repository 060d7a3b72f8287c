"""Writing back to a located element: the paragraph and run handles ooxml keeps (`element`) are edited in
place, then the package is written with its main part re-serialised. The rules' `fix` methods use this;
the `fix` command that drives them is separate (check/fix.py).

Children are inserted where the schema puts them (Word refuses a w:rPr whose w:sz comes before w:b), and
only what a rule found wrong is touched: a run already in range keeps its size."""

from __future__ import annotations

import functools
import os
import tempfile
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lxml import etree

from .. import rules as data
from ..ooxml import R_NS, REL_NS, Document, Paragraph, Run, W, mark_size
from .text import norm

XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
HEADER_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/header"
HEADER_CT = "application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"

# Schema order of the children we write (ECMA-376 CT_RPr, CT_PPr, CT_SectPr); others keep their place.
_RPR = "rStyle rFonts b bCs i iCs caps smallCaps strike dstrike outline shadow emboss imprint noProof snapToGrid "
_RPR += "vanish webHidden color spacing w kern position sz szCs highlight u effect bdr shd fitText vertAlign"
_PPR = "pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr suppressLineNumbers pBdr shd tabs "
_PPR += "suppressAutoHyphens kinsoku wordWrap overflowPunct topLinePunct autoSpaceDE autoSpaceDN bidi "
_PPR += "adjustRightInd snapToGrid spacing ind contextualSpacing mirrorIndents suppressOverlap jc textDirection "
_PPR += "textAlignment textboxTightWrap outlineLvl divId cnfStyle rPr sectPr pPrChange"
_SECT = "headerReference footerReference footnotePr endnotePr type pgSz pgMar paperSrc pgBorders lnNumType "
_SECT += "pgNumType cols formProt vAlign noEndnote titlePg textDirection bidi rtlGutter docGrid printerSettings"
ORDER = {"rPr": _RPR.split(), "pPr": _PPR.split(), "sectPr": _SECT.split()}


def child(parent: Any, tag: str) -> Any:
    """`parent`'s w:`tag`, created at its schema place when absent."""
    found = parent.find(W + tag)
    if found is not None:
        return found
    el = etree.Element(W + tag)
    order = ORDER.get(etree.QName(parent).localname, [])
    rank = order.index(tag) if tag in order else len(order)
    for i, sib in enumerate(parent):
        name = etree.QName(sib).localname if isinstance(sib.tag, str) else ""
        if name in order and order.index(name) > rank:
            parent.insert(i, el)
            return el
    parent.append(el)
    return el


def _props(el: Any, tag: str) -> Any:
    """The w:rPr / w:pPr of a run or paragraph element, created as its first child."""
    found = el.find(W + tag)
    if found is None:
        found = etree.Element(W + tag)
        el.insert(0, found)
    return found


# -- text -----------------------------------------------------------------------------------------------
def replace_text(p: Paragraph, old: str, new: str) -> bool:
    """Replace the first `old` by `new` in the paragraph's text (False when it is not there); see splice."""
    full = wtext(p)
    if old not in full:
        return False
    start = full.index(old)
    splice(p, start, start + len(old), new)
    return True


def splice(p: Paragraph, start: int, end: int, new: str) -> None:
    """Put `new` in place of the characters start:end of the paragraph's w:t text. The edit goes into the
    run where the span starts (it keeps its formatting); runs the span covered give up their part."""
    pos = 0
    placed = False
    for t in texts(p):
        text = t.text or ""
        lo, hi = pos, pos + len(text)
        pos = hi
        if not placed and (lo <= start < hi or (start == end == hi)):
            t.text = text[: start - lo] + new + text[max(0, end - lo) :]
            placed = True
        elif placed and lo < end:
            t.text = text[max(0, end - lo) :]
        else:
            continue
        t.set(XML_SPACE, "preserve")


def retext(p: Paragraph, new: str) -> bool:
    """Make the paragraph's text `new` by changing only the span where the two differ."""
    old = wtext(p)
    if old == new:
        return False
    a = 0
    while a < min(len(old), len(new)) and old[a] == new[a]:
        a += 1
    b = 0
    while b < min(len(old), len(new)) - a and old[-1 - b] == new[-1 - b]:
        b += 1
    splice(p, a, len(old) - b, new[a : len(new) - b])
    return True


def texts(p: Paragraph) -> list[Any]:
    """The paragraph's own w:t elements (not those of a text box drawn inside one of its runs)."""
    return [t for t in p.element.iter(W + "t") if next(t.iterancestors(W + "p")) is p.element]


def wtext(p: Paragraph) -> str:
    """The paragraph's w:t text (no tabs or breaks): what splice and retext count in."""
    return "".join(t.text or "" for t in texts(p))


def set_text_prefix(p: Paragraph, old: str, new: str) -> bool:
    """Replace the paragraph's leading `old` (after leading spaces) by `new`."""
    text = wtext(p)
    lead = len(text) - len(text.lstrip())
    if not text[lead:].startswith(old):
        return False
    return retext(p, text[:lead] + new + text[lead + len(old) :])


def set_text_suffix(p: Paragraph, old: str, new: str) -> bool:
    """Replace the paragraph's trailing `old` (before trailing spaces) by `new`; `old` may be ''."""
    text = wtext(p)
    body = text.rstrip()
    if not body.endswith(old):
        return False
    return retext(p, body[: len(body) - len(old)] + new + text[len(body) :])


def end_items(items: list[Paragraph], what: str, *, colon_opens_list: bool = False) -> list[str]:
    """Lines of a list (căn cứ, recipients) end ';' and the last '.': a ',' '.' ';' (or ':') in the wrong place
    is replaced, a missing one added. `colon_opens_list`: a line ending ':' introduces sub-items and stays."""
    done = []
    for i, q in enumerate(items):
        want = "." if i == len(items) - 1 else ";"
        t = norm(q.text)
        if t.endswith(want) or (colon_opens_list and want == ";" and t.endswith(":")):
            continue
        old = t[-1] if t[-1] in (",.;" if colon_opens_list else ",.;:") else ""
        if set_text_suffix(q, old, want):
            done.append(f"{what} '{t[:40]}': '{old}' → '{want}'" if old else f"{what} '{t[:40]}': thêm '{want}'")
    return done


def nfc(p: Paragraph) -> bool:
    done = False
    for t in texts(p):
        if t.text and unicodedata.normalize("NFC", t.text) != t.text:
            t.text = unicodedata.normalize("NFC", t.text)
            done = True
    return done


# -- run and paragraph properties ------------------------------------------------------------------------
def set_colour(r: Run, value: str = "000000") -> None:
    color = child(_props(r.element, "rPr"), "color")
    for attr in list(color.attrib):
        del color.attrib[attr]
    color.set(W + "val", value)


def set_run(
    r: Run | Any,
    *,
    size: int | None = None,
    bold: bool | None = None,
    italic: bool | None = None,
    caps: bool | None = None,
    font: str | None = None,
) -> None:
    """Direct run properties (w:rPr of the w:r, or of a paragraph mark when given a w:pPr's rPr parent)."""
    el = r.element if isinstance(r, Run) else r
    rpr = _props(el, "rPr")
    if font is not None:
        fonts = child(rpr, "rFonts")
        for attr in list(fonts.attrib):
            del fonts.attrib[attr]
        for slot in ("ascii", "hAnsi", "cs", "eastAsia"):
            fonts.set(W + slot, font)
    for tag, on in (("b", bold), ("bCs", bold), ("i", italic), ("iCs", italic), ("caps", caps)):
        if on is not None:
            el_ = child(rpr, tag)
            el_.set(W + "val", "1" if on else "0")
    if size is not None:
        for tag in ("sz", "szCs"):
            child(rpr, tag).set(W + "val", str(size))


def set_para(
    p: Paragraph,
    *,
    align: str | None = None,
    first_line: int | None = None,
    indent: tuple[int, int] | None = None,
    hanging: int | None = None,
    before: int | None = None,
    after: int | None = None,
    line: tuple[int, str] | None = None,
    no_bottom_border: bool = False,
    top_border: bool = False,
) -> None:
    ppr = _props(p.element, "pPr")
    if no_bottom_border or top_border:
        bdr = child(ppr, "pBdr")
        side = child(bdr, "top") if top_border else child(bdr, "bottom")
        for attr in list(side.attrib):
            del side.attrib[attr]
        if top_border:
            for attr, value in (("val", "single"), ("sz", "6"), ("space", "1"), ("color", "000000")):
                side.set(W + attr, value)
        else:
            side.set(W + "val", "nil")
    if align is not None:
        child(ppr, "jc").set(W + "val", align)
    if first_line is not None:
        ind = child(ppr, "ind")
        ind.attrib.pop(W + "hanging", None)
        ind.attrib.pop(W + "hangingChars", None)
        ind.attrib.pop(W + "firstLineChars", None)
        ind.set(W + "firstLine", str(first_line))
    if indent is not None:
        ind = child(ppr, "ind")
        for attr in ("start", "end", "leftChars", "rightChars", "startChars", "endChars"):
            ind.attrib.pop(W + attr, None)
        ind.set(W + "left", str(indent[0]))
        ind.set(W + "right", str(indent[1]))
    if hanging is not None:
        ind = child(ppr, "ind")
        for attr in ("firstLine", "firstLineChars", "hangingChars"):
            ind.attrib.pop(W + attr, None)
        ind.set(W + "hanging", str(hanging))
    if before is not None or after is not None or line is not None:
        sp = child(ppr, "spacing")
        for attr, value in (("before", before), ("after", after)):
            if value is not None:
                sp.set(W + attr, str(value))
                sp.attrib.pop(W + attr + "Lines", None)
                sp.attrib.pop(W + attr + "Autospacing", None)
        if line is not None:
            sp.set(W + "line", str(line[0]))
            sp.set(W + "lineRule", line[1])


def clamp(value: int | None, rng: list[int], default: int) -> int:
    """The nearest value in `rng`: 12 pt body text becomes 13 pt, not the default 14 pt."""
    if value is None:
        return default
    return min(max(value, rng[0]), rng[1])


def format_paragraph(
    p: Paragraph, elem: str, *, attrs: tuple[str, ...] = ("bold", "italic"), caps: bool = True, align: bool = True
) -> list[str]:
    """Give `p` the format of nd30.yaml elements.<elem> where it departs from it (what base.fmt_problems
    reports): sizes out of range, bold, italic, caps (w:caps: letters stay as typed), alignment. A small
    drafter's note in the line, '(Bích)', keeps its size, as the checker does not judge it."""
    spec = data.element(elem)
    runs = p.visible_runs()
    chars = sum(len(r.text.strip()) for r in runs) or 1
    out: list[str] = []
    # sizes are judged on the runs holding the text (as base.fmt_problems); set on all but a '(note)'
    judged = [r for r in runs if not r.props.vert_align and not _note(r) and len(r.text.strip()) >= 0.3 * chars]
    sized = [r for r in p.runs if r.text and not r.props.vert_align and not _note(r)]  # '- ' and ';' too
    bad = [r for r in sized if not (spec["range"][0] <= (r.props.size or 0) <= spec["range"][1])]
    if bad:
        before = sorted(
            {(r.props.size or 24) / 2 for r in bad if r in judged} or {(r.props.size or 24) / 2 for r in bad}
        )
        for r in bad:
            set_run(r, size=clamp(r.props.size, spec["range"], spec["default"]))
        after = clamp(bad[0].props.size, spec["range"], spec["default"]) / 2
        out.append(f"cỡ chữ {', '.join(f'{s:g}' for s in before)} → {after:g} pt")
    letters = [r for r in runs if any(c.isalpha() for c in r.text)] or runs
    for attr in attrs:
        if attr not in spec:
            continue
        wrong = [r for r in letters if getattr(r.props, attr) != spec[attr]]
        if wrong:
            for r in wrong:
                set_run(r, **{attr: spec[attr]})
            out.append(_SAID[attr, spec[attr]])
    shown = "".join(r.text.upper() if r.props.caps else r.text for r in p.runs)
    if caps and spec.get("caps") and any(c.isalpha() and not c.isupper() for c in shown):
        for r in letters:
            if any(c.isalpha() and not c.isupper() for c in r.text) and not r.props.caps:
                set_run(r, caps=True)
        out.append("in hoa (định dạng chữ hoa)")
    want = spec.get("align")
    if align and want and not (p.text[:2].isspace() or p.text.startswith("\t")):
        ok = p.align in (None, "left", "both") if want == "left" else p.align == want
        if not ok:
            set_para(p, align=want)
            out.append(f"canh {_ALIGN_VI[want]}")
    return out


_SAID = {("bold", True): "in đậm", ("bold", False): "bỏ in đậm", ("italic", True): "in nghiêng"}
_SAID["italic", False] = "bỏ in nghiêng"
_ALIGN_VI = {"center": "giữa", "both": "đều hai lề", "left": "trái", "right": "phải"}


def _note(r: Run) -> bool:
    t = r.text.strip()
    return t.startswith("(") and t.endswith(")")


# -- package parts -------------------------------------------------------------------------------------------
# Parts other than the main one that a fix edited or added, per document (a Document is a slotted dataclass:
# it cannot carry them itself).
_PARTS: dict[int, tuple[Document, dict[str, Any], dict[str, bytes]]] = {}


def _state(doc: Document) -> tuple[dict[str, Any], dict[str, bytes]]:
    entry = _PARTS.get(id(doc))
    if entry is None or entry[0] is not doc:
        entry = (doc, {}, {})
        _PARTS[id(doc)] = entry
    return entry[1], entry[2]


def discard(doc: Document) -> None:
    """Forget the parts loaded for `doc` without writing them (a fix that changed nothing)."""
    _PARTS.pop(id(doc), None)


def part(doc: Document, name: str) -> Any | None:
    """The parsed XML of part `name`, kept for writing back; None when the package has no such part."""
    roots, new = _state(doc)
    if name in roots:
        return roots[name]
    if name in new:
        roots[name] = etree.fromstring(new.pop(name))
        return roots[name]
    with zipfile.ZipFile(doc.path) as zf:
        if name not in zf.namelist():
            return None
        parser = etree.XMLParser(resolve_entities=False, huge_tree=True)
        roots[name] = etree.fromstring(zf.read(name), parser)
    return roots[name]


def part_bytes(doc: Document, name: str) -> bytes:
    """Part `name` as the file holds it."""
    with zipfile.ZipFile(doc.path) as zf:
        return zf.read(name)


def main_root(doc: Document) -> Any:
    first = next(doc.paragraphs(), None)
    if first is None or first.element is None:
        raise ValueError(f"{doc.path}: không có đoạn văn nào để ghi (nothing to write)")
    return first.element.getroottree().getroot()


def sect_prs(doc: Document) -> list[Any]:
    """The w:sectPr of each section, in the order ooxml numbers them (Document.sections)."""
    body = main_root(doc).find(W + "body")
    out = [sp for p in body.iterfind(W + "p") if (sp := p.find(f"{W}pPr/{W}sectPr")) is not None]
    final = body.find(W + "sectPr")
    if final is None:
        final = etree.SubElement(body, W + "sectPr")
    return [*out, final]


def add_header(doc: Document, xml: bytes, like: str | None = None) -> str:
    """A new header part with its relationship and content type (and, copying part `like`, a copy of its
    own relationships: pictures in it); returns its relationship id."""
    names = set(doc.parts) | set(_state(doc)[1]) | set(_state(doc)[0])
    n = 1
    while f"word/header{n}.xml" in names:
        n += 1
    name = f"word/header{n}.xml"
    _state(doc)[1][name] = xml
    if like is not None:
        own = f"{like.rpartition('/')[0]}/_rels/{like.rpartition('/')[2]}.rels"
        if own in doc.parts:
            _state(doc)[1][f"word/_rels/header{n}.xml.rels"] = part_bytes(doc, own)
    folder, _, base = doc.main.rpartition("/")
    rels = part(doc, f"{folder}/_rels/{base}.rels")
    if rels is None:
        raise ValueError(f"{doc.path}: thiếu tệp quan hệ của phần chính (no main part relationships)")
    ids = {r.get("Id") for r in rels}
    k = 1
    while f"rIdFix{k}" in ids:
        k += 1
    rel = etree.SubElement(rels, f"{{{REL_NS}}}Relationship")
    rel.set("Id", f"rIdFix{k}")
    rel.set("Type", HEADER_TYPE)
    rel.set("Target", name.removeprefix(folder + "/"))
    types = part(doc, "[Content_Types].xml")
    over = etree.SubElement(types, f"{{{CT_NS}}}Override")
    over.set("PartName", "/" + name)
    over.set("ContentType", HEADER_CT)
    return f"rIdFix{k}"


def header_reference(sect: Any, typ: str, rid: str) -> None:
    for ref in sect.findall(W + "headerReference"):
        if ref.get(W + "type", "default") == typ:
            sect.remove(ref)
    ref = etree.Element(W + "headerReference")
    ref.set(W + "type", typ)
    ref.set(f"{{{R_NS}}}id", rid)
    sect.insert(0, ref)


def save(doc: Document, out: str | Path) -> Path:
    """Write `doc` with its edited parts to `out` (the other parts copied as they were), atomically: a
    temporary file in the same folder replaces `out` only once it is complete."""
    serial = {doc.main: _xml(main_root(doc))}
    for hf in doc.header_footer_parts():
        first = next(hf.paragraphs(), None)
        if first is not None and first.element is not None:
            serial[hf.part] = _xml(first.element.getroottree().getroot())
    roots, new = _state(doc)
    serial.update({name: _xml(root) for name, root in roots.items()})
    serial.update(new)
    out = Path(out)
    fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent)
    os.close(fd)
    try:
        with zipfile.ZipFile(doc.path) as zin, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zout:
            for info in zin.infolist():
                zout.writestr(info, serial.pop(info.filename, None) or zin.read(info.filename))
            for name, payload in serial.items():
                zout.writestr(name, payload)
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    _PARTS.pop(id(doc), None)
    return out


def _xml(root: Any) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def set_table_widths(p: Paragraph, widths: list[int]) -> None:
    """Column widths of the table holding `p` (grid, each cell's tcW; the table's width if fixed)."""
    tbl = next(a for a in p.element.iterancestors(W + "tbl"))
    for g, w in zip(tbl.iterfind(f"{W}tblGrid/{W}gridCol"), widths, strict=False):
        g.set(W + "w", str(w))
    for tr in tbl.iterfind(W + "tr"):
        col = 0
        for tc in tr.iterfind(W + "tc"):
            span_el = tc.find(f"{W}tcPr/{W}gridSpan")
            span = int(span_el.get(W + "val", "1")) if span_el is not None else 1
            tcw = tc.find(f"{W}tcPr/{W}tcW")
            if tcw is not None and tcw.get(W + "type", "dxa") == "dxa":
                tcw.set(W + "w", str(sum(widths[col : col + span])))
            col += span
    tblw = tbl.find(f"{W}tblPr/{W}tblW")
    if tblw is not None and tblw.get(W + "type") == "dxa":
        tblw.set(W + "w", str(sum(widths)))


def remove_table_borders(p: Paragraph) -> None:
    """The table holding `p` prints without borders: w:tblBorders all 'nil' (over its style's), cells' own
    borders dropped."""
    tbl = next(a for a in p.element.iterancestors(W + "tbl"))
    tblpr = tbl.find(W + "tblPr")
    if tblpr is None:
        tblpr = etree.Element(W + "tblPr")
        tbl.insert(0, tblpr)
    borders = tblpr.find(W + "tblBorders")
    if borders is None:
        borders = etree.Element(W + "tblBorders")
        # after tblStyle, tblpPr, tblOverlap, bidiVisual, tblStyleRowBandSize, tblStyleColBandSize, tblW, jc,
        # tblCellSpacing, tblInd; before tblShd, tblLayout, tblCellMar, tblLook
        later = [c for c in tblpr if etree.QName(c).localname in ("shd", "tblLayout", "tblCellMar", "tblLook")]
        (later[0].addprevious if later else tblpr.append)(borders)
    for child_ in list(borders):
        borders.remove(child_)
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = etree.SubElement(borders, W + side)
        el.set(W + "val", "nil")
    for tc_borders in tbl.iter(W + "tcBorders"):
        tc_borders.getparent().remove(tc_borders)


def page_field(p: Paragraph) -> list[Any] | None:
    """The elements of the PAGE field in `p` (a simple field, or the runs from its begin to its end mark)
    when the paragraph holds nothing else; None otherwise."""
    import re

    page = re.compile(r"^\s*PAGE\b", re.IGNORECASE)
    found: list[Any] = [f for f in p.element.iter(W + "fldSimple") if page.match(f.get(W + "instr", ""))]
    depth, runs, is_page = 0, [], False
    for r in p.element.iter(W + "r"):
        kinds = [c.get(W + "fldCharType") for c in r.iter(W + "fldChar")]
        depth += kinds.count("begin")
        if depth:
            runs.append(r)
            is_page = is_page or any(page.match(t.text or "") for t in r.iter(W + "instrText"))
        depth -= kinds.count("end")
        if depth == 0 and runs:
            found += runs if is_page else []
            runs, is_page = [], False
    inside = [t for f in found for t in f.iter(W + "t")]  # held: lxml keeps one proxy per node while referenced
    rest = "".join(t.text or "" for t in p.element.iter(W + "t") if not any(t is x for x in inside))
    return found if found and not rest.strip() else None


def remove(elements: list[Any]) -> None:
    for el in elements:
        parent = el.getparent()
        if parent is not None:
            parent.remove(el)


def add_empty_before(p: Paragraph) -> None:
    """An empty paragraph before `p`, with its paragraph properties (same style, indents, alignment)."""
    new = etree.Element(W + "p")
    ppr = p.element.find(W + "pPr")
    if ppr is not None:
        copied = etree.fromstring(etree.tostring(ppr))
        for sect in copied.findall(W + "sectPr"):
            copied.remove(sect)
        new.append(copied)
    p.element.addprevious(new)


def add_rule(doc: Document, after: Paragraph, text_tw: float, box_tw: int, name: str) -> int:
    """The short line under a text (nd30.yaml lines.<name>) drawn as compose draws it: its paragraph
    (compose.Composer.rule_under: the templates' style VBGach, a bottom border between centring indents),
    inserted after `after`; the style is copied from the bundled template when the document lacks it.
    Returns the line's length, twips."""
    from ..compose import RULE, Composer  # the one definition of the short line

    markup = Composer.rule_under(text_tw / 20, box_tw, name)
    new = etree.fromstring(f'<w:body xmlns:w="{W[1:-1]}">{markup}</w:body>')[0]
    # the line's paragraph of a document whose Normal style indents first lines does not
    child(new.find(W + "pPr"), "ind").set(W + "firstLine", "0")
    after.element.addnext(new)
    add_style(doc, RULE)
    ind = new.find(f"{W}pPr/{W}ind")
    return box_tw - int(ind.get(W + "left")) - int(ind.get(W + "right"))


def add_style(doc: Document, style_id: str) -> None:
    """Style `style_id` of the bundled templates added to the document's styles, unless it has one."""
    styles = part(doc, "word/styles.xml")
    if styles is None:
        raise ValueError(f"{doc.path}: không có styles.xml (no styles part)")
    if any(s.get(W + "styleId") == style_id for s in styles.iterfind(W + "style")):
        return
    styles.append(etree.fromstring(_template_style(style_id)))


@functools.cache
def _template_style(style_id: str) -> bytes:
    from ..paths import TEMPLATES

    with zipfile.ZipFile(TEMPLATES / "co_ten_loai.docx") as zf:
        root = etree.fromstring(zf.read("word/styles.xml"))
    found = next(s for s in root.iterfind(W + "style") if s.get(W + "styleId") == style_id)
    return etree.tostring(found)


def rule_height() -> int:
    """Twips the short line's paragraph takes on the page: a single line of its style's font size, the
    border's width and its space above."""
    from ..compose import RULE

    style = etree.fromstring(_template_style(RULE))
    size = int(style.find(f"{W}rPr/{W}sz").get(W + "val"))
    border = style.find(f"{W}pPr/{W}pBdr/{W}bottom")
    per_sz = data.nd30()["body"]["line_exact_per_sz"][0]
    return round(size * per_sz + int(border.get(W + "sz")) * 20 / 8 + int(border.get(W + "space")) * 20)


Slot = tuple[Paragraph, str, int, int]  # a paragraph, 'before', 'after' or 'line', its twips, what may go


@dataclass(slots=True)
class Room:
    """The height that could go between a text and the next one (see `room`)."""

    slots: list[Slot]  # spacing first (exact), then empty lines
    order: list[Paragraph]  # the paragraphs, top to bottom
    afloat: list[Paragraph]  # empty lines holding shapes placed from their top: kept where they print


def line_height(doc: Document, p: Paragraph) -> int:
    """One line of `p`, twips: its exact height, or a single line of its largest font (the paragraph
    mark's when it holds no text) times its spacing. An estimate where the font's own metrics differ."""
    if p.line_rule == "exact" and p.line:
        return p.line
    size = max((r.props.size or 0 for r in p.visible_runs()), default=0) or mark_size(doc, p) or 24
    natural = round(size * data.nd30()["body"]["line_exact_per_sz"][0])
    if p.line_rule == "atLeast":
        return max(natural, p.line or 0)
    return round(natural * (p.line or 240) / 240)


def room(doc: Document, above: Paragraph | None, paras: list[Paragraph], gone: Run | None = None) -> Room:
    """What could give up height between `above` and the next text of `paras`: the spacing between them
    (exact, so first), then the empty lines (one holding only shapes that float over the text counts as
    empty). Where one paragraph's spacing after meets the next one's before, a layout may count both or
    only the larger (LibreOffice does on these drafts): only what the larger has beyond the smaller is
    given up, which is the same in either. `gone`: a run being taken out (a drawn shape), not content."""
    spacing: list[Slot] = []
    lines: list[Slot] = []
    out = Room([], [above] if above is not None else [], [])
    prev = (above, _spacing(doc, above, "after")) if above is not None else None
    for q in paras:
        last, after = prev if prev is not None else (None, 0)
        before = _spacing(doc, q, "before")
        if last is not None and after > before:
            spacing.append((last, "after", after, after - before))
        elif before > after:
            spacing.append((q, "before", before, before - after))
        drawn = [r for r in q.runs if r.has_drawing and r is not gone]
        if q.text.strip() or not all(map(_floating, drawn)) or q.element.find(f"{W}pPr/{W}sectPr") is not None:
            break
        height = line_height(doc, q)
        lines.append((q, "line", height, height - 20))  # an empty line keeps 1 pt
        out.order.append(q)
        if drawn:
            out.afloat.append(q)
        prev = (q, _spacing(doc, q, "after"))
    else:
        if prev is not None and prev[0] is not None and prev[1] > 0:  # at the bottom of its cell
            spacing.append((prev[0], "after", prev[1], prev[1]))
    out.slots = spacing + lines
    return out


def _floating(r: Run) -> bool:
    """A shape floating over the text and placed from its paragraph's top (DrawingML wp:anchor): the line's
    room may come from that paragraph, its offset is then set so that it prints where it did (the VML copy
    kept for Word 2007 in mc:Fallback is left as it was)."""
    anchors = list(r.element.iter(_WP + "anchor"))
    return (
        bool(anchors)
        and next(r.element.iter(_WP + "inline"), None) is None
        and all(a.find(f"{_WP}positionV[@relativeFrom='paragraph']/{_WP}posOffset") is not None for a in anchors)
    )


def _spacing(doc: Document, p: Paragraph, side: str) -> int:
    """`p`'s spacing before or after as printed: its own, else its table style's (which ooxml does not
    follow: a 'Table Grid' setting 0 over the defaults' 6 pt), else the effective value of its styles."""
    own = p.element.find(f"{W}pPr/{W}spacing")
    if own is not None and own.get(W + side) is not None:
        return int(own.get(W + side))
    table = p.cell.table if p.cell is not None else None
    styles = part(doc, "word/styles.xml") if table is not None and table.style_id else None
    for st in styles.iterfind(W + "style") if styles is not None else ():
        if st.get(W + "styleId") == table.style_id:  # type: ignore[union-attr]
            sp = st.find(f"{W}pPr/{W}spacing")
            if sp is not None and sp.get(W + side) is not None:
                return int(sp.get(W + side))
    return int(p.space_before if side == "before" else p.space_after)


def give_up(rooms: list[Room], need: int) -> bool:
    """Take `need` twips from each of `rooms`: so a line put above them moves no word below, and a shape
    floating from an empty line among them prints where it did. False, changing nothing, when one of them
    has not that much."""
    plans: list[tuple[Room, list[tuple[Paragraph, str, int, int]]]] = []
    for r in rooms:
        left, plan = need, []
        for q, what, have, spare in r.slots:
            take = min(left, spare)
            if take > 0:
                plan.append((q, what, have - take, take))
                left -= take
        if left > 0:
            return False
        plans.append((r, plan))
    for r, plan in plans:
        for q, what, value, _ in plan:
            if what == "line":
                set_para(q, line=(value, "exact"))
            else:
                set_para(q, **{what: value})  # type: ignore[arg-type]
        for f in r.afloat:  # its top moves down by what was not taken above it
            above = {id(q) for q in r.order[: r.order.index(f)]}
            moved = need - sum(t for q, what, _, t in plan if id(q) in above or (q is f and what == "before"))
            for pos in f.element.iter(f"{_WP}positionV"):
                offset = pos.find(_WP + "posOffset")
                offset.text = str(int(offset.text) - moved * EMU_PER_TWIP)
    return True


def remove_drawing(r: Run) -> None:
    """Take what run `r` draws out of it (w:drawing, w:pict, w:object, or the mc:AlternateContent holding
    a drawing and its VML fallback); the run goes too when nothing else is left in it."""
    el = r.element
    for c in list(el):
        if c.tag in _DRAWN or (c.tag == _MC + "AlternateContent" and next(c.iter(*_DRAWN), None) is not None):
            el.remove(c)
    if all(c.tag == W + "rPr" for c in el):
        el.getparent().remove(el)


# -- drawn shapes ------------------------------------------------------------------------------------------
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_DRAWN = (W + "drawing", W + "pict", W + "object")
_WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
_A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
_V = "{urn:schemas-microsoft-com:vml}"
EMU_PER_TWIP = 635


def resize_line(r: Run, width: int) -> bool:
    """Make the line shape drawn by run `r` `width` twips long about the same centre: the DrawingML shape
    (extent, transform, horizontal offset) and its VML fallback (from/to, or width and margin-left)."""
    done = False
    for anchor in [*r.element.iter(_WP + "anchor"), *r.element.iter(_WP + "inline")]:
        extent = anchor.find(_WP + "extent")
        if extent is None:
            continue
        old = int(extent.get("cx", "0"))
        new = width * EMU_PER_TWIP
        extent.set("cx", str(new))
        for ext in anchor.iter(_A + "ext"):
            if ext.get("cx") is not None and ext.getparent().tag == _A + "xfrm":
                ext.set("cx", str(new))
        offset = anchor.find(f"{_WP}positionH/{_WP}posOffset")
        if offset is not None and offset.text:
            offset.text = str(int(offset.text) + (old - new) // 2)
        done = True
    for line in r.element.iter(_V + "line"):
        xs = [_pt(line.get(a, "").split(",")) for a in ("from", "to")]
        if xs[0] is None or xs[1] is None:
            continue
        (x1, y1), (x2, y2) = xs[0], xs[1]
        centre, half = (x1 + x2) / 2, width / 20 / 2
        line.set("from", f"{centre - half:.2f}pt,{y1}")
        line.set("to", f"{centre + half:.2f}pt,{y2}")
        done = True
    return done


def _pt(parts: list[str]) -> tuple[float, str] | None:
    """('41.3pt', '0') → (41.3, '0'): a VML x coordinate in points (a bare number is pixels)."""
    import re

    m = re.match(r"^\s*(-?[\d.]+)\s*(pt|px|in|cm|mm)?\s*$", parts[0]) if parts and parts[0] else None
    if m is None:
        return None
    scale = {"pt": 1.0, "px": 0.75, None: 0.75, "in": 72.0, "cm": 72 / 2.54, "mm": 72 / 25.4}[m[2]]
    return float(m[1]) * scale, parts[1] if len(parts) > 1 else "0"
