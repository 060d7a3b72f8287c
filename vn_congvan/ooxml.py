"""Read-only, low-level view of a .docx (zip + lxml): sections, headers/footers, body blocks, effective
paragraph and run properties (docDefaults → paragraph style chain → run style chain → direct).

Plain dataclasses and no python-docx objects, so hundreds of documents can be checked quickly.
"""

from __future__ import annotations

import hashlib
import re
import threading
import zipfile
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple, TypeVar

from lxml import etree

from .errors import Problem
from .package import DocxReadError, open_package

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
W = f"{{{W_NS}}}"
NS = {"w": W_NS, "a": A_NS}
T = TypeVar("T")

FONT_SLOTS = ("ascii", "hAnsi", "cs", "eastAsia")
_THEME_ATTR = {"ascii": "asciiTheme", "hAnsi": "hAnsiTheme", "cs": "cstheme", "eastAsia": "eastAsiaTheme"}
_TOGGLES = {"b": "bold", "i": "italic", "caps": "caps", "smallCaps": "small_caps", "strike": "strike"}
_JC = {"start": "left", "end": "right", "distribute": "both"}
# Containers whose runs are part of the paragraph's visible text (w:del is left out on purpose).
_RUN_CONTAINERS = {W + t for t in ("hyperlink", "ins", "smartTag", "sdt", "sdtContent", "fldSimple", "customXml")}
_BLOCK_CONTAINERS = {W + t for t in ("customXml", "smartTag", "ins")}
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"  # repeats mc:Choice
_PAGE_FIELD = re.compile(r"^\s*PAGE\b", re.IGNORECASE)
_OFF = {"0", "false", "off", "none"}


# --- data model -----------------------------------------------------------------------------------


@dataclass(slots=True, frozen=True)
class RunProps:
    fonts: dict[str, str | None]  # slot -> font name (theme fonts resolved)
    size: int | None  # half-points (w:sz)
    size_cs: int | None
    bold: bool = False
    italic: bool = False
    caps: bool = False
    small_caps: bool = False
    strike: bool = False
    underline: str | None = None  # w:u value, None when absent or "none"
    color: str | None = None  # hex or "auto"
    vert_align: str | None = None

    @property
    def size_pt(self) -> float | None:
        return None if self.size is None else self.size / 2


@dataclass(slots=True)
class Run:
    text: str
    props: RunProps
    style_id: str | None = None
    has_drawing: bool = False  # w:drawing / w:pict / v:line: image or shape
    shape: str | None = None  # "line", "picture" or "shape" when has_drawing
    shape_width: int | None = None  # its width in twips, when the XML says
    image_rel: str | None = None  # r:embed of a picture: Document.rels gives its part
    # the w:r it was read from, or (its paragraph's _Unparsed, its place among the runs) until asked for
    _element: Any = field(default=None, repr=False, compare=False)

    @property
    def element(self) -> Any:
        """The w:r it was read from (a fix edits it in place)."""
        el = self._element
        if type(el) is tuple:
            el = self._element = el[0].runs()[el[1]]
        return el


@dataclass(slots=True, frozen=True)
class Border:
    val: str
    size: int  # eighths of a point
    space: int
    color: str | None

    @property
    def visible(self) -> bool:
        return self.val not in ("nil", "none")


@dataclass(slots=True)
class Paragraph:
    text: str
    runs: list[Run]
    style_id: str | None
    align: str | None  # left, center, right, both (start/end normalised)
    ind_left: int = 0
    ind_right: int = 0
    ind_first_line: int = 0
    ind_hanging: int = 0
    space_before: int = 0
    space_after: int = 0
    line: int | None = None
    line_rule: str = "auto"
    borders: dict[str, Border] = field(default_factory=dict)  # pBdr sides
    fields: list[str] = field(default_factory=list)  # field instructions (simple and complex)
    num_id: str | None = None
    num_text: str | None = None  # bullet text of a list level ("-", "•"), if any
    section: int = 0
    cell: Cell | None = field(default=None, repr=False)
    index: int = 0  # order among all paragraphs of its part
    _element: Any = field(default=None, repr=False, compare=False)  # the w:p, or its _Unparsed XML (element)
    boxes: list[list[Block]] = field(default_factory=list)  # text boxes anchored here (not in runs' text)
    # what once() worked out: shared by the paragraphs read from the same XML at the same section and cell
    # width (read_parts, _Resolver.recall), a batch's documents
    memo: dict[Any, Any] | None = field(default=None, repr=False, compare=False)
    visible: list[Run] | None = field(default=None, repr=False, compare=False)  # visible_runs()

    def once(self, compute: Callable[..., T], *args: Hashable) -> T:
        """`compute(self, *args)`, worked out once for all the paragraphs that read from the same XML at the
        same section and cell width (read_parts gives a batch's documents these, often the same object):
        the checker judges a line once for the whole batch. So `compute` is a module-level function that
        reads only the paragraph's own content (text, runs and their properties, paragraph properties), its
        section and its cell's width, never the document or the table around it; and what it returns is
        plain data (text, numbers, tuples of them), never the paragraph's runs or XML handles."""
        memo = self.memo
        if memo is None:
            memo = self.memo = {}
        key = (compute, *args) if args else compute
        try:  # asked hundreds of times per document: the hit is the path to keep short
            return memo[key]  # type: ignore[no-any-return]
        except KeyError:
            value = memo[key] = compute(self, *args)
            return value

    @property
    def element(self) -> Any:
        """The w:p it was read from (a fix edits it in place); read_parts parses a new line only when asked."""
        el = self._element
        if type(el) is _Unparsed:
            el = self._element = el.element()
        return el

    @property
    def border_bottom(self) -> Border | None:
        b = self.borders.get("bottom")
        return b if b is not None and b.visible else None

    @property
    def has_page_field(self) -> bool:
        return self.once(_has_page_field)

    @property
    def has_drawing(self) -> bool:
        return any(r.has_drawing for r in self.runs)

    def visible_runs(self) -> list[Run]:
        """The runs with text (the list is the paragraph's own: not to be changed)."""
        if self.visible is None:
            self.visible = [r for r in self.runs if r.text.strip()]
        return self.visible


@dataclass(slots=True)
class Cell:
    paragraphs: list[Paragraph]
    tables: list[Table]
    width: int | None  # tcW in twips (dxa), None when auto/pct/absent
    grid_width: int | None  # sum of the w:gridCol the cell spans
    grid_span: int = 1
    borders: dict[str, Border] = field(default_factory=dict)
    row: int = 0
    col: int = 0
    table: Table | None = field(default=None, repr=False)
    blocks: list[Block] = field(default_factory=list)  # paragraphs and tables in reading order

    @property
    def effective_width(self) -> int | None:
        return self.grid_width or self.width

    @property
    def text(self) -> str:
        return "\n".join(p.text for p in self.paragraphs)


@dataclass(slots=True)
class Row:
    cells: list[Cell]


@dataclass(slots=True)
class Table:
    rows: list[Row]
    grid: list[int]
    style_id: str | None
    borders: dict[str, Border]  # effective tblBorders (style chain + direct)
    width: int | None
    indent: int = 0
    section: int = 0
    index: int = 0  # position among body blocks

    @property
    def has_visible_borders(self) -> bool:
        if any(b.visible for b in self.borders.values()):
            return True
        return any(b.visible for row in self.rows for c in row.cells for b in c.borders.values())

    @property
    def n_cols(self) -> int:
        return max((sum(c.grid_span for c in r.cells) for r in self.rows), default=0)

    def paragraphs(self) -> Iterator[Paragraph]:
        for row in self.rows:
            for cell in row.cells:
                yield from _cell_paragraphs(cell)


Block = Paragraph | Table


def _cell_paragraphs(cell: Cell) -> Iterator[Paragraph]:
    yield from cell.paragraphs
    for t in cell.tables:
        yield from t.paragraphs()


@dataclass(slots=True)
class HeaderFooter:
    part: str
    kind: str  # "header" | "footer"
    blocks: list[Block]

    def paragraphs(self) -> Iterator[Paragraph]:
        for b in self.blocks:
            if isinstance(b, Paragraph):
                yield b
            else:
                yield from b.paragraphs()

    @property
    def has_page_field(self) -> bool:
        return any(p.has_page_field for p in self.paragraphs())

    @property
    def text(self) -> str:
        return "\n".join(p.text for p in self.paragraphs())


def _has_page_field(p: Paragraph) -> bool:
    return any(_PAGE_FIELD.match(f) for f in p.fields)


@dataclass(slots=True)
class Note:
    kind: str  # "footnote" | "endnote"
    id: str
    blocks: list[Block]


@dataclass(slots=True)
class Section:
    index: int
    page_width: int | None
    page_height: int | None
    orient: str  # "portrait" | "landscape"
    margins: dict[str, int]  # top, bottom, left, right, header, footer, gutter
    title_pg: bool
    pgnum_start: int | None
    pgnum_format: str | None
    headers: dict[str, HeaderFooter]  # type (default/first/even) -> part, inherited like Word does
    footers: dict[str, HeaderFooter]

    @property
    def text_width(self) -> int | None:
        if self.page_width is None:
            return None
        return self.page_width - self.margins.get("left", 0) - self.margins.get("right", 0)


@dataclass(slots=True)
class Document:
    path: str
    parts: list[str]
    core: Mapping[str, str]  # docProps/core.xml: title, creator …
    sections: list[Section]
    body: list[Block]
    main: str = "word/document.xml"  # the part the body was read from (what a fix writes back)
    rels: dict[str, str] = field(default_factory=dict)  # the main part's relationship id -> part name
    notes: list[Note] = field(default_factory=list)  # footnotes, then endnotes, separators left out

    def paragraphs(self) -> Iterator[Paragraph]:
        """All body paragraphs in reading order, table cells included."""
        for b in self.body:
            if isinstance(b, Paragraph):
                yield b
            else:
                yield from b.paragraphs()

    def tables(self) -> list[Table]:
        return [b for b in self.body if isinstance(b, Table)]

    def header_footer_parts(self) -> list[HeaderFooter]:
        seen: dict[str, HeaderFooter] = {}
        for s in self.sections:
            for hf in (*s.headers.values(), *s.footers.values()):
                seen.setdefault(hf.part, hf)
        return list(seen.values())

    def all_runs(self) -> Iterator[tuple[Paragraph, Run]]:
        for p in self.paragraphs():
            for r in p.runs:
                yield p, r
        for hf in self.header_footer_parts():
            for p in hf.paragraphs():
                for r in p.runs:
                    yield p, r


# --- property parsing -----------------------------------------------------------------------------


def _on(el: Any) -> bool:
    return el.get(W + "val", "true").lower() not in _OFF


def _int(value: str | None, default: int | None = None) -> int | None:
    if value is None:
        return default
    try:
        return int(float(value))
    except ValueError:
        return default


def _parse_rpr(rpr: Any) -> dict[str, Any]:
    """Properties set by one w:rPr, as a flat dict (absent = not set at this level)."""
    out: dict[str, Any] = {}
    if rpr is None:
        return out
    for child in rpr:
        tag = child.tag
        if not isinstance(tag, str) or not tag.startswith(W):
            continue
        name = tag[len(W) :]
        if name == "rFonts":
            for slot in FONT_SLOTS:
                theme = child.get(W + _THEME_ATTR[slot])
                if theme:  # a theme attribute wins over the explicit one in the same element
                    out["font." + slot] = ("theme", theme)
                elif child.get(W + slot):
                    out["font." + slot] = ("name", child.get(W + slot))
        elif name == "sz":
            out["size"] = _int(child.get(W + "val"))
        elif name == "szCs":
            out["size_cs"] = _int(child.get(W + "val"))
        elif name in _TOGGLES:
            out[_TOGGLES[name]] = _on(child)
        elif name == "u":
            val = child.get(W + "val", "single")
            out["underline"] = None if val == "none" else val
        elif name == "color":
            out["color"] = child.get(W + "val")
        elif name == "vertAlign":
            out["vert_align"] = child.get(W + "val")
        elif name == "rStyle":
            out["rstyle"] = child.get(W + "val")
    return out


def _parse_border(el: Any) -> Border:
    return Border(
        val=el.get(W + "val", "nil"),
        size=_int(el.get(W + "sz"), 0) or 0,
        space=_int(el.get(W + "space"), 0) or 0,
        color=el.get(W + "color"),
    )


def _parse_borders(el: Any) -> dict[str, Border]:
    if el is None:
        return {}
    out = {}
    for child in el:
        if isinstance(child.tag, str) and child.tag.startswith(W):
            side = child.tag[len(W) :]
            out[{"start": "left", "end": "right"}.get(side, side)] = _parse_border(child)
    return out


def _parse_ppr(ppr: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if ppr is None:
        return out
    for child in ppr:
        tag = child.tag
        if not isinstance(tag, str) or not tag.startswith(W):
            continue
        name = tag[len(W) :]
        if name == "jc":
            val = child.get(W + "val", "left")
            out["align"] = _JC.get(val, val)
        elif name == "ind":
            for attr, key in (
                ("left", "ind_left"),
                ("start", "ind_left"),
                ("right", "ind_right"),
                ("end", "ind_right"),
                ("firstLine", "ind_first_line"),
                ("hanging", "ind_hanging"),
            ):
                v = child.get(W + attr)
                if v is not None:
                    out[key] = _int(v, 0)
            # firstLine and hanging exclude each other: setting one clears the other
            if child.get(W + "firstLine") is not None and child.get(W + "hanging") is None:
                out["ind_hanging"] = 0
            if child.get(W + "hanging") is not None:
                out["ind_first_line"] = 0
        elif name == "spacing":
            for attr, key in (("before", "space_before"), ("after", "space_after"), ("line", "line")):
                v = child.get(W + attr)
                if v is not None:
                    out[key] = _int(v, 0)
            if child.get(W + "lineRule") is not None:
                out["line_rule"] = child.get(W + "lineRule")
        elif name == "pBdr":
            out["borders"] = _parse_borders(child)
        elif name == "numPr":
            num = child.find(W + "numId")
            lvl = child.find(W + "ilvl")
            if num is not None:
                out["num"] = (num.get(W + "val"), lvl.get(W + "val", "0") if lvl is not None else "0")
        elif name == "pStyle":
            out["pstyle"] = child.get(W + "val")
    return out


@dataclass(slots=True)
class _Style:
    type: str
    based_on: str | None
    ppr: dict[str, Any]
    rpr: dict[str, Any]
    tbl_borders: dict[str, Border]


K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class _Lru(OrderedDict[K, V]):
    """A bounded memory, the least recently used forgotten first (a plain dict whose oldest keys are deleted
    one at a time slows down as the gaps they leave pile up at its start)."""

    def recall(self, key: K) -> V | None:
        value = self.get(key)
        if value is not None:
            self.move_to_end(key)
        return value

    def keep(self, key: K, value: V, limit: int) -> None:
        self[key] = value
        while len(self) > limit:
            self.popitem(last=False)


class _Resolver:
    """Styles, theme fonts and numbering of one package, with cached style-chain merges."""

    @classmethod
    def of(cls, zf: zipfile.ZipFile, names: set[str]) -> _Resolver:
        """The resolver of these styles, theme and numbering parts, parsed once: the documents of one template
        (a batch, every plan of a province) share them. Keyed by the parts' bytes; never changed once built
        (its merge caches only grow with results that follow from the parts)."""
        last = next(reversed(_RESOLVERS.values()), None)
        if last is not None and names == last.names:
            wanted = last.wanted  # the part names of the document before (a batch's): its theme's too
        else:
            theme = min((n for n in names if n.startswith("word/theme/") and n.endswith(".xml")), default=None)
            wanted = ("word/styles.xml", theme, "word/numbering.xml")
        source = tuple([zf.read(n) if n in names else b"-" for n in wanted])  # type: ignore[arg-type]
        if last is not None and all([a is b for a, b in zip(last.source, source, strict=True)]):
            return last  # the very parts of the document before (a batch's template): no need to hash them
        key = hashlib.sha1(b"\0".join(source)).digest()
        res = _RESOLVERS.recall(key) or cls(zf, names, theme=wanted[1])
        res.source, res.names, res.wanted = source, names, wanted
        _RESOLVERS.keep(key, res, 16)  # most recently used last
        return res

    def __init__(self, zf: zipfile.ZipFile, names: set[str], theme: str | None) -> None:
        self.source: tuple[bytes, ...] = ()  # the parts it was last asked for (of)
        self.names: set[str] = set()  # that package's part names, and which of them those parts are
        self.wanted: tuple[str | None, ...] = ()
        # the body of the document read last (_shared_body): its cut, and what each block read as where
        self.last = _Last(None, [], (), (), 0, [])
        # and its sections: from (its rels, its w:sectPr, the header and footer parts they name) (_sections)
        self.last_sections: tuple[dict[str, str], list[Any], list[tuple[str, bytes | None]], list[Section]] | None = (
            None
        )
        self.styles: dict[str, _Style] = {}
        self.default_para: str | None = None
        self.default_table: str | None = None
        self.doc_rpr: dict[str, Any] = {}
        self.doc_ppr: dict[str, Any] = {}
        self.theme: dict[str, str] = {}
        self.numbering: dict[tuple[str, str], str] = {}
        self._pchain: dict[str | None, tuple[dict[str, Any], dict[str, Any]]] = {}
        self._rchain: dict[str | None, dict[str, Any]] = {}
        self._props: dict[tuple[Any, ...], RunProps] = {}
        # paragraph XML -> what it reads as (no place, no handles), whether its runs are its children, and
        # Paragraph.once's memory by place; or (a body's head, a paragraph's slice of it) -> what it reads as
        # but for its runs, text and handle, those, and that memory (cut_paragraph)
        self._paragraphs: _Lru[Hashable, tuple[Any, ...]] = _Lru()
        # (a body's head, a paragraph's XML but for its text) -> what it reads as (no handles), and how its
        # text is made of its XML (cut_paragraph, _recipe)
        self._shapes: _Lru[tuple[bytes, bytes], tuple[Paragraph, _Recipe | None]] = _Lru()
        # (a body block's XML, its section, its position, paragraphs before it) -> what it reads as (_shared_body)
        self._blocks: _Lru[tuple[bytes, int, int, int], _Read] = _Lru()
        self._cells: _Lru[bytes, _CellCut] = _Lru()  # a table's XML up to a </w:tc> -> its cut (_cut_table)
        self._trial: _Lru[tuple[bytes, int, int, int], _Read] = _Lru()  # blocks met once (remember_block)
        self._parts: _Lru[Hashable, Any] = _Lru()  # (part, its XML) -> headers, footers, notes, rels read; pieces
        if "word/styles.xml" in names:
            self._load_styles(_parse(zf, "word/styles.xml"))
        if theme:
            self._load_theme(_parse(zf, theme))
        if "word/numbering.xml" in names:
            self._load_numbering(_parse(zf, "word/numbering.xml"))

    def _load_styles(self, root: Any) -> None:
        dd = root.find(W + "docDefaults")
        if dd is not None:
            self.doc_rpr = _parse_rpr(dd.find(f"{W}rPrDefault/{W}rPr"))
            self.doc_ppr = _parse_ppr(dd.find(f"{W}pPrDefault/{W}pPr"))
        for st in root.iter(W + "style"):
            sid = st.get(W + "styleId")
            if sid is None:
                continue
            based = st.find(W + "basedOn")
            tblpr = st.find(W + "tblPr")
            self.styles[sid] = _Style(
                type=st.get(W + "type", "paragraph"),
                based_on=based.get(W + "val") if based is not None else None,
                ppr=_parse_ppr(st.find(W + "pPr")),
                rpr=_parse_rpr(st.find(W + "rPr")),
                tbl_borders=_parse_borders(tblpr.find(W + "tblBorders")) if tblpr is not None else {},
            )
            if _on_attr(st.get(W + "default")):
                if self.styles[sid].type == "paragraph":
                    self.default_para = sid
                elif self.styles[sid].type == "table":
                    self.default_table = sid

    def _load_theme(self, root: Any) -> None:
        for kind in ("major", "minor"):
            font = root.find(f".//a:{kind}Font", NS)
            if font is None:
                continue
            for script, key in (("latin", "HAnsi"), ("ea", "EastAsia"), ("cs", "Bidi")):
                el = font.find(f"a:{script}", NS)
                if el is not None and el.get("typeface"):
                    self.theme[kind + key] = el.get("typeface")
            if kind + "HAnsi" in self.theme:
                self.theme[kind + "Ascii"] = self.theme[kind + "HAnsi"]

    def _load_numbering(self, root: Any) -> None:
        abstract: dict[str, dict[str, str]] = {}
        for an in root.iter(W + "abstractNum"):
            levels: dict[str, str] = {}
            for lvl in an.iter(W + "lvl"):
                fmt = lvl.find(W + "numFmt")
                text = lvl.find(W + "lvlText")
                if fmt is not None and fmt.get(W + "val") == "bullet" and text is not None:
                    levels[lvl.get(W + "ilvl", "0")] = text.get(W + "val", "")
            abstract[an.get(W + "abstractNumId", "")] = levels
        for num in root.iter(W + "num"):
            ref = num.find(W + "abstractNumId")
            if ref is None:
                continue
            for ilvl, text in abstract.get(ref.get(W + "val", ""), {}).items():
                self.numbering[(num.get(W + "numId", ""), ilvl)] = text

    def _chain(self, sid: str | None) -> list[_Style]:
        chain: list[_Style] = []
        seen: set[str] = set()
        while sid and sid in self.styles and sid not in seen:
            seen.add(sid)
            chain.append(self.styles[sid])
            sid = self.styles[sid].based_on
        return chain[::-1]  # base first

    def para_style(self, sid: str | None) -> tuple[dict[str, Any], dict[str, Any]]:
        """(pPr, rPr) merged from docDefaults and the paragraph style chain."""
        if sid not in self._pchain:
            ppr, rpr = dict(self.doc_ppr), dict(self.doc_rpr)
            for st in self._chain(sid):
                ppr.update(st.ppr)
                rpr.update(st.rpr)
            self._pchain[sid] = (ppr, rpr)
        return self._pchain[sid]

    def run_style(self, sid: str | None) -> dict[str, Any]:
        if sid not in self._rchain:
            rpr: dict[str, Any] = {}
            for st in self._chain(sid):
                rpr.update(st.rpr)
            self._rchain[sid] = rpr
        return self._rchain[sid]

    def table_borders(self, sid: str | None) -> dict[str, Border]:
        out: dict[str, Border] = {}
        for st in self._chain(sid or self.default_table):
            out.update(st.tbl_borders)
        return out

    def run_props(self, pstyle: str | None, rstyle: str | None, direct: dict[str, Any]) -> RunProps:
        key = (pstyle, rstyle, tuple(sorted((k, str(v)) for k, v in direct.items())))
        cached = self._props.get(key)
        if cached is not None:
            return cached
        merged = dict(self.para_style(pstyle)[1])
        merged.update(self.run_style(rstyle))
        merged.update(direct)
        fonts: dict[str, str | None] = {}
        for slot in FONT_SLOTS:
            v = merged.get("font." + slot)
            if v is None:
                fonts[slot] = None
            elif v[0] == "theme":
                fonts[slot] = self.theme.get(v[1])
            else:
                fonts[slot] = v[1]
        props = RunProps(
            fonts=fonts,
            size=merged.get("size"),
            size_cs=merged.get("size_cs"),
            bold=bool(merged.get("bold", False)),
            italic=bool(merged.get("italic", False)),
            caps=bool(merged.get("caps", False)),
            small_caps=bool(merged.get("small_caps", False)),
            strike=bool(merged.get("strike", False)),
            underline=merged.get("underline"),
            color=merged.get("color"),
            vert_align=merged.get("vert_align"),
        )
        self._props[key] = props
        return props

    def recall(self, xml: bytes) -> tuple[Paragraph, bool, dict[Any, dict[Any, Any]]] | None:
        return self._paragraphs.recall(xml)  # type: ignore[return-value]

    def remember(self, xml: bytes, para: Paragraph) -> None:
        """Keep what `xml` read as, without its place or any handle into a document's tree (nothing here
        keeps a document alive); at most PARAGRAPH_MEMO paragraphs, the least recently used dropped."""
        runs = [Run(r.text, r.props, r.style_id, r.has_drawing, r.shape, r.shape_width, r.image_rel) for r in para.runs]
        flat = all(r.element.getparent() is para.element for r in para.runs)  # no w:hyperlink, w:ins … around them
        memos: dict[tuple[int, int | None, bool], dict[Any, Any]] = {}  # Paragraph.once, by section and cell width
        para.memo = memos[_where(para)] = {}
        self._paragraphs.keep(xml, (_placed(para, runs, 0, None, 0, None), flat, memos), PARAGRAPH_MEMO)

    def recall_block(self, key: tuple[bytes, int, int, int]) -> _Read | None:
        known = self._blocks.recall(key)
        if known is None:
            known = self._trial.pop(key, None)  # met a second time: a block the documents share, kept
            if known is not None:
                self._blocks.keep(key, known, BLOCK_MEMO)
        return known

    def remember_block(self, key: tuple[bytes, int, int, int], read: _Read) -> None:
        """A block read for the first time waits among the few last ones (most name their unit and never come
        back: kept long, they would hold memory from document after document) until it is met again."""
        self._trial.keep(key, read, BLOCK_TRIAL)

    def part(self, name: str, xml: bytes, read: Any) -> Any:
        """What `read(root)` gives of a part, once per distinct XML (a batch's headers and footers are the
        same in every document); at most BLOCK_MEMO parts."""
        return self._known((name, xml), lambda: read(_parse_xml(xml)))

    def piece(self, head: bytes, xml: bytes, wrap: _Wrap, tail: bytes, read: Callable[[_Resolver, Any], T]) -> T:
        """What `read(self, el)` gives of the element `xml` opens, up to its first row or paragraph (a
        table's or a cell's own properties, _shared_table), read in a body of its own (`wrap`: what opens
        its parents before it and closes it and them after it); once per distinct XML, in the parts'
        memory."""

        def parsed() -> T:
            el = _parse_xml(head + wrap[0] + xml + wrap[1] + tail).find(_BODY)[0]
            for _ in range(wrap[2]):
                el = el[0]
            return read(self, el)

        return self._known((wrap, head, xml), parsed)

    def _known(self, key: Hashable, read: Callable[[], T]) -> T:
        known = self._parts.recall(key)
        if known is None:
            known = read()
            self._parts.keep(key, known, BLOCK_MEMO)
        return known  # type: ignore[no-any-return]

    def cut_paragraph(
        self, head: bytes, xml: bytes, tail: bytes, section: int, cell: Cell | None, index: int
    ) -> Paragraph:
        """The paragraph `xml` (a slice of a body whose root and body start tags are `head`, holding no
        text box) at this place. Read once per distinct XML and shared by every document that has it; its
        handles point into a tree of its own, parsed when first asked for when its text could be read
        from its XML (_retext)."""
        key = (head, xml)
        known = self._paragraphs.recall(key)
        if known is None:
            # its XML but for its text: most often one seen before (a line without text is its own shape)
            shape = (head, _untexted(xml)) if b"</w:t>" in xml else None
            like = self._shapes.recall(shape) if shape is not None else None  # recalled: already the most recent
            read = _retext(*like, head, xml, tail) if like is not None else None
            if read is not None:  # like's paragraph but for its runs' text and its handles
                known = (like[0], *read, {})
            else:
                el = _parse_xml(head + xml + tail).find(_BODY)[0]
                proto = _PartReader(self)._paragraph(el, 0, None, [])
                if like is None and shape is not None:
                    runs = [
                        Run(r.text, r.props, r.style_id, r.has_drawing, r.shape, r.shape_width, r.image_rel)
                        for r in proto.runs
                    ]
                    # no handles: a shape met once must not keep its tree (most shapes are a unit's own)
                    self._shapes.keep(shape, (_placed(proto, runs, 0, None, 0, None), _recipe(el, xml)), SHAPE_MEMO)
                known = (proto, proto.runs, proto.text, el, {})
            self._paragraphs.keep(key, known, PARAGRAPH_MEMO)
        base, runs, text, handle, memos = known
        para = _placed(base, runs, section, cell, index, handle)
        para.text = text
        para.memo = memos.setdefault(_where(para), {})
        return para


class _Unparsed:
    """A paragraph's XML in a body of its own, parsed when its handles are first asked for (Paragraph.element,
    Run.element): most of a batch's new lines are only read, and their text was read from their XML."""

    __slots__ = ("_runs", "el", "head", "tail", "xml")

    def __init__(self, head: bytes, xml: bytes, tail: bytes) -> None:
        self.head, self.xml, self.tail = head, xml, tail
        self.el: Any = None
        self._runs: list[Any] | None = None

    def element(self) -> Any:
        if self.el is None:
            el = _parse_xml(self.head + self.xml + self.tail).find(_BODY)[0]
            if self.el is None:  # the first one parsed, should two threads ask at once: one tree for all handles
                self.el = el
        return self.el

    def runs(self) -> list[Any]:
        if self._runs is None:
            self._runs = [e for e in _run_walk(self.element()) if e.tag == _R]
        return self._runs


@dataclass(slots=True, frozen=True)
class _Read:
    """A body block read once: its blocks (shared by every document that has the same block at the same
    place), how many paragraphs they hold, and the w:sectPr that closes a section there, if any."""

    blocks: list[Block]
    count: int
    sect: Any
    final: bool = False  # the body's own w:sectPr (the last section's), not a block
    # a table read from its pieces (_shared_table): its frame and its cells' pieces (_cut_table), that the next
    # plan's table at its place compares its own with
    pieces: tuple[Any, list[list[tuple[bytes, list[bytes]]]]] | None = None


def _where(p: Paragraph) -> tuple[int, int | None, bool]:
    """What of a paragraph's place Paragraph.once may read: its section and its cell's width."""
    return p.section, p.cell.effective_width if p.cell is not None else None, p.cell is not None


def _placed(para: Paragraph, runs: list[Run], section: int, cell: Cell | None, index: int, el: Any) -> Paragraph:
    """`para` read again at another place: its runs, place and handle given, everything else the same (its
    lists, as its runs, shared: nothing changes a paragraph read)."""
    return Paragraph(
        para.text,
        runs,
        para.style_id,
        para.align,
        para.ind_left,
        para.ind_right,
        para.ind_first_line,
        para.ind_hanging,
        para.space_before,
        para.space_after,
        para.line,
        para.line_rule,
        para.borders,
        para.fields,
        para.num_id,
        para.num_text,
        section,
        cell,
        index,
        el,
        para.boxes,
    )


_BODY, _SECT = W + "body", f"{W}pPr/{W}sectPr"
_RESOLVERS: _Lru[bytes, _Resolver] = _Lru()
PARAGRAPH_MEMO = 512  # paragraphs remembered per template's styles: a batch's shared lines, and room to spare
BLOCK_MEMO = 256  # body blocks (and small parts) per template's styles that documents share (a plan has ~50)
BLOCK_TRIAL = 64  # blocks met once, kept until met again: more than a document has
SHAPE_MEMO = 64  # paragraphs' XML but for their text (cut_paragraph): a batch's lines are few, most shapes its units'

_WP_EXTENT = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}extent"
_V_LINE = "{urn:schemas-microsoft-com:vml}line"
_DRAWN = (W + "drawing", _V_LINE, W + "pict", W + "object")
_VML_LENGTH = re.compile(r"^\s*(-?[\d.]+)\s*(pt|in|cm|mm|px)?\s*$")
_VML_UNIT_PT = {"pt": 1.0, "in": 72.0, "cm": 72 / 2.54, "mm": 72 / 25.4, "px": 0.75, None: 0.75}


def _vml_pt(value: str) -> float | None:
    """A VML coordinate ('85pt', '0', '1.2in') in points; a bare number is in pixels."""
    m = _VML_LENGTH.match(value)
    return float(m[1]) * _VML_UNIT_PT[m[2]] if m else None


def _shape(r: Any) -> tuple[str | None, int | None]:
    """What a run draws (also inside mc:AlternateContent): a line (the short rules under the header
    elements), a picture or another shape, and its width in twips (wp:extent in EMU, v:line from/to)."""
    if next(r.iter(*_DRAWN), None) is None:  # a run of text: one walk instead of three
        return None, None
    for el in r.iter(W + "drawing"):
        geom = el.find(f".//{{{A_NS}}}prstGeom")
        pic = el.find(".//{http://schemas.openxmlformats.org/drawingml/2006/picture}pic")
        ext = el.find(f".//{_WP_EXTENT}")
        width = round(int(ext.get("cx", "0")) / 635) if ext is not None else None
        if pic is not None:
            return "picture", width
        kind = "line" if geom is not None and geom.get("prst") in ("line", "straightConnector1") else "shape"
        return kind, width
    for el in r.iter(_V_LINE):
        xs = [_vml_pt(el.get(a, "").split(",")[0]) for a in ("from", "to")]
        if xs[0] is not None and xs[1] is not None:
            return "line", round(abs(xs[1] - xs[0]) * 20)
        return "line", None
    if any(True for _ in r.iter(W + "pict", W + "object")):
        return "shape", None
    return None, None


def _on_attr(value: str | None) -> bool:
    return value is not None and value.lower() not in _OFF


def _parse(zf: zipfile.ZipFile, name: str) -> Any:
    return _parse_xml(zf.read(name))


def _parse_xml(xml: bytes) -> Any:
    parser = getattr(_PARSERS, "parser", None)
    if parser is None:  # one per thread: an lxml parser is not shared between threads
        parser = _PARSERS.parser = etree.XMLParser(resolve_entities=False, huge_tree=True, remove_blank_text=False)
    return etree.fromstring(xml, parser)


_PARSERS = threading.local()


# --- body reading ---------------------------------------------------------------------------------


class _PartReader:
    def __init__(self, res: _Resolver, memo: bool = False) -> None:
        self.res = res
        self.count = 0
        self.memo = memo  # reuse what an identical paragraph of an earlier document gave (_Resolver.recall)

    def blocks(self, container: Any, section: int = 0) -> list[Block]:
        out: list[Block] = []
        for child in container:
            tag = child.tag
            if tag == W + "p":
                out.append(self.paragraph(child, section))
            elif tag == W + "tbl":
                out.append(self.table(child, section))
            elif tag == W + "sdt":
                content = child.find(W + "sdtContent")
                if content is not None:
                    out.extend(self.blocks(content, section))
            elif tag in _BLOCK_CONTAINERS:
                out.extend(self.blocks(child, section))
        return out

    def paragraph(self, p: Any, section: int = 0, cell: Cell | None = None) -> Paragraph:
        key = etree.tostring(p, with_tail=False) if self.memo else None  # its XML, namespaces included
        known = self.res.recall(key) if key is not None else None
        if known is None:
            boxes = _boxes(p)
            para = self._paragraph(p, section, cell, boxes)
            # Not one holding a text box: which boxes count depends on where the paragraph is (_boxes).
            if key is not None and next(p.iter(W + "txbxContent"), None) is None:
                self.res.remember(key, para)
            return para
        # Everything but the place and the handles follows from the paragraph's XML and the styles.
        proto, flat, memos = known
        elements = [e for e in p if e.tag == _R] if flat else [e for e in _run_walk(p) if e.tag == _R]
        runs = [
            Run(r.text, r.props, r.style_id, r.has_drawing, r.shape, r.shape_width, r.image_rel, e)
            for r, e in zip(proto.runs, elements, strict=True)
        ]
        para = _placed(proto, runs, section, cell, self.count, p)
        para.memo = memos.setdefault(_where(para), {})
        self.count += 1
        return para

    def _paragraph(self, p: Any, section: int, cell: Cell | None, boxes: list[Any]) -> Paragraph:
        ppr_el = p.find(W + "pPr")
        direct = _parse_ppr(ppr_el)
        pstyle = direct.get("pstyle") or self.res.default_para
        props = dict(self.res.para_style(pstyle)[0])
        props.update(direct)
        runs: list[Run] = []
        fields: list[str] = []
        self._collect_runs(p, pstyle, runs, fields)
        num_text = None
        if "num" in props:
            num_text = self.res.numbering.get(props["num"])
        para = Paragraph(
            text="".join(r.text for r in runs),
            runs=runs,
            style_id=pstyle,
            align=props.get("align"),
            ind_left=props.get("ind_left", 0),
            ind_right=props.get("ind_right", 0),
            ind_first_line=props.get("ind_first_line", 0),
            ind_hanging=props.get("ind_hanging", 0),
            space_before=props.get("space_before", 0),
            space_after=props.get("space_after", 0),
            line=props.get("line"),
            line_rule=props.get("line_rule", "auto"),
            borders=props.get("borders", {}),
            fields=fields,
            num_id=props["num"][0] if "num" in props and props["num"][0] != "0" else None,
            num_text=num_text,
            section=section,
            cell=cell,
            index=self.count,
            _element=p,
            boxes=[_PartReader(self.res, self.memo).blocks(box, section) for box in boxes],
        )
        self.count += 1
        return para

    def _collect_runs(self, el: Any, pstyle: str | None, runs: list[Run], fields: list[str]) -> None:
        for child in _run_walk(el):
            if child.tag == W + "r":
                runs.append(self._run(child, pstyle, fields))
            else:
                fields.append(child.get(W + "instr", ""))

    def _run(self, r: Any, pstyle: str | None, fields: list[str]) -> Run:
        direct = _parse_rpr(r.find(W + "rPr"))
        rstyle = direct.pop("rstyle", None)
        text, drawing = _run_text(r, fields)
        shape, width = _shape(r)
        blip = next(r.iter(f"{{{A_NS}}}blip"), None) if shape == "picture" else None
        return Run(
            text=text,
            props=self.res.run_props(pstyle, rstyle, direct),
            style_id=rstyle,
            has_drawing=drawing or shape is not None,
            shape=shape,
            shape_width=width,
            image_rel=blip.get(f"{{{R_NS}}}embed") if blip is not None else None,
            _element=r,
        )

    def table(self, tbl: Any, section: int = 0) -> Table:
        tblpr = tbl.find(W + "tblPr")
        style_id = None
        borders: dict[str, Border] = {}
        width = None
        indent = 0
        if tblpr is not None:
            st = tblpr.find(W + "tblStyle")
            style_id = st.get(W + "val") if st is not None else None
            borders = self.res.table_borders(style_id)
            borders = {**borders, **_parse_borders(tblpr.find(W + "tblBorders"))}
            tw = tblpr.find(W + "tblW")
            if tw is not None and tw.get(W + "type", "dxa") == "dxa":
                width = _int(tw.get(W + "w"))
            ti = tblpr.find(W + "tblInd")
            if ti is not None:
                indent = _int(ti.get(W + "w"), 0) or 0
        else:
            borders = self.res.table_borders(None)
        grid = [_int(g.get(W + "w"), 0) or 0 for g in tbl.findall(f"{W}tblGrid/{W}gridCol")]
        table = Table(
            rows=[],
            grid=grid,
            style_id=style_id,
            borders=borders,
            width=width,
            indent=indent,
            section=section,
        )
        for ri, tr in enumerate(tbl.iterfind(W + "tr")):
            cells: list[Cell] = []
            col = 0
            for tc in tr.iterfind(W + "tc"):
                cells.append(self._cell(tc, table, ri, col, section))
                col += cells[-1].grid_span
            table.rows.append(Row(cells=cells))
        return table

    def _cell(self, tc: Any, table: Table, ri: int, col: int, section: int) -> Cell:
        children = list(tc)
        span, width, borders = _cell_props(children)
        grid_width = sum(table.grid[col : col + span]) if len(table.grid) >= col + span else None
        cell = Cell(
            paragraphs=[],
            tables=[],
            width=width,
            grid_width=grid_width or None,
            grid_span=span,
            borders=borders,
            row=ri,
            col=col,
            table=table,
        )
        for child in children:
            if child.tag == W + "p":
                cell.paragraphs.append(self.paragraph(child, section, cell))
                cell.blocks.append(cell.paragraphs[-1])
            elif child.tag == W + "tbl":
                cell.tables.append(self.table(child, section))
                cell.blocks.append(cell.tables[-1])
        return cell


_R, _TCPR, _GRID_SPAN, _TCW, _TC_BORDERS = W + "r", W + "tcPr", W + "gridSpan", W + "tcW", W + "tcBorders"


def _cell_props(children: list[Any]) -> tuple[int, int | None, dict[str, Border]]:
    """A cell's span, width (dxa) and borders, from its first w:tcPr among `children`: one walk over its
    children, the first of each tag kept (what find() gives; a find() per property costs more)."""
    tcpr = next((c for c in children if c.tag == _TCPR), None)
    span = 1
    width = None
    borders: dict[str, Border] = {}
    if tcpr is not None:
        props: dict[Any, Any] = {}
        for c in tcpr:
            props.setdefault(c.tag, c)
        gs = props.get(_GRID_SPAN)
        if gs is not None:
            span = _int(gs.get(W + "val"), 1) or 1
        tw = props.get(_TCW)
        if tw is not None and tw.get(W + "type", "dxa") == "dxa":
            width = _int(tw.get(W + "w"))
        borders = _parse_borders(props.get(_TC_BORDERS))
    return span, width, borders


def _run_text(r: Any, fields: list[str]) -> tuple[str, bool]:
    """A run's text, and whether it holds a drawing; its field instructions go to `fields`."""
    parts: list[str] = []
    drawing = False
    for child in r:
        tag = child.tag
        if tag == _T:
            parts.append(child.text or "")
        elif tag in _TEXTS:
            parts.append(_TEXTS[tag])
        elif tag == _INSTR:
            fields.append(child.text or "")
        elif tag in _DRAWINGS:
            drawing = True
    return "".join(parts), drawing


_T, _TAB, _NB_HYPHEN, _INSTR = W + "t", W + "tab", W + "noBreakHyphen", W + "instrText"
_DRAWINGS = (W + "drawing", W + "pict", W + "object")
_TEXTS = {_TAB: "\t", W + "br": "\n", W + "cr": "\n", _NB_HYPHEN: "-"}  # what else a run's text holds


def _untexted(xml: bytes) -> bytes:
    """A paragraph's XML without the text of its w:t (but a '>' in it and what comes before): two paragraphs
    the same without it differ in that text only, and read as the same but for it (_retext). What is cut
    is all that lies between the last '>' before a '</w:t>' and it, so only text, and what stays tells
    where each cut was (at each '</w:t>')."""
    pieces = xml.split(b"</w:t>")
    for i in range(len(pieces) - 1):
        piece = pieces[i]
        pieces[i] = piece[: piece.rfind(b">") + 1]
    return b"</w:t>".join(pieces)


class _Recipe(NamedTuple):
    """How a paragraph's runs' text is made of its XML (_recipe), for another with the same XML but for that
    text (_retext)."""

    starts: tuple[int, ...]  # per w:t, where its text starts after the last '<' before its end tag
    runs: tuple[int | tuple[str | int, ...], ...]  # per run, its w:t (its number), or the pieces of its text
    tags: int  # its '<': a line of its shape with more has one in a w:t's text, which the parser refuses


def _recipe(el: Any, xml: bytes) -> _Recipe | None:
    """How the runs' text of the paragraph `el` (read from `xml`) is made of its w:t's text: the n-th
    '</w:t>' of its XML ends the n-th w:t. None when that cannot be told from the XML alone: a namespace
    declared in it, a w:t without its end tag, holding an element or outside a run; an encoding but UTF-8."""
    ts = list(el.iter(_T))
    if b"xmlns" in xml or len(ts) != xml.count(b"</w:t>") or any(len(t) for t in ts):
        return None
    if el.getroottree().docinfo.encoding.upper() != "UTF-8":
        return None
    starts: list[int] = []
    for piece in xml.split(b"</w:t>")[:-1]:
        lt = piece.rfind(b"<")  # a w:t holds no element: its start tag
        m = _T_START.match(piece, lt)
        if m is None:
            return None
        starts.append(m.end() - lt)
    slot = {t: n for n, t in enumerate(ts)}
    runs: list[int | tuple[str | int, ...]] = []
    for r in _run_walk(el):
        if r.tag != _R:
            continue
        made: list[str | int] = []
        for child in r:
            tag = child.tag
            if tag == _T:
                made.append(slot.pop(child))
            elif tag in _TEXTS:
                made.append(_TEXTS[tag])
        runs.append(made[0] if len(made) == 1 and type(made[0]) is int else tuple(made))
    return None if slot else _Recipe(tuple(starts), tuple(runs), xml.count(b"<"))  # a w:t left over is not a run's


# what the parser reads otherwise or refuses in text: an entity or character reference, a carriage return, a
# control character (besides a '<', ']]>' and U+FFFE, U+FFFF)
_UNPLAIN = bytes(range(9)) + b"\x0b\x0c" + bytes(range(14, 32)) + b"&\r"


def _retext(
    proto: Paragraph, recipe: _Recipe | None, head: bytes, xml: bytes, tail: bytes
) -> tuple[list[Run], str, _Unparsed] | None:
    """The runs, text and handle of the paragraph `xml`, whose XML is `proto`'s but for the text of its w:t
    (_untexted): what else it reads as, its runs' properties and shapes, does not depend on that text, and
    that text is read from the XML, not parsed (_Unparsed keeps it for the handles). None when the XML alone
    cannot tell it (_recipe, a character reference, anything the parser would read otherwise or refuse)."""
    if recipe is None:
        return None
    if (
        len(xml.translate(None, _UNPLAIN)) != len(xml)
        or xml.count(b"<") != recipe.tags
        or b"]]>" in xml
        or b"\xef\xbf\xbe" in xml
        or b"\xef\xbf\xbf" in xml
    ):
        return None
    # the start tag of each w:t is where it was in `proto` (its XML but for the text after the last '>')
    try:
        texts = [p[p.rfind(b"<") + n :].decode() for p, n in zip(xml.split(b"</w:t>")[:-1], recipe.starts, strict=True)]
    except UnicodeDecodeError:
        return None
    handle = _Unparsed(head, xml, tail)
    runs = [
        Run(
            texts[made] if type(made) is int else "".join([texts[x] if type(x) is int else x for x in made]),
            r.props,
            r.style_id,
            r.has_drawing,
            r.shape,
            r.shape_width,
            r.image_rel,
            (handle, n),
        )
        for n, (r, made) in enumerate(zip(proto.runs, recipe.runs, strict=True))
    ]
    return runs, "".join([r.text for r in runs]), handle


def _run_walk(el: Any) -> Iterator[Any]:
    """The w:r of a paragraph in reading order, and each w:fldSimple before the runs it holds."""
    for child in el:
        tag = child.tag
        if tag == W + "r":
            yield child
        elif tag in _RUN_CONTAINERS:
            if tag == W + "fldSimple":
                yield child
            yield from _run_walk(child)


def _boxes(p: Any) -> list[Any]:
    """The w:txbxContent anchored in a paragraph, outermost only, the mc:Fallback (VML) copy left out."""
    out = []
    for box in p.iter(W + "txbxContent"):
        if not any(a.tag in (_MC_FALLBACK, W + "txbxContent") for a in box.iterancestors()):
            out.append(box)
    return out


_NOTE_SEPARATORS = ("separator", "continuationSeparator", "continuationNotice")


def _notes(zf: zipfile.ZipFile, names: set[str], main: str, res: _Resolver, memo: bool = False) -> list[Note]:
    folder = main.rpartition("/")[0]
    out = []
    for kind in ("footnote", "endnote"):
        part = f"{folder}/{kind}s.xml"
        if part not in names:
            continue

        def notes(root: Any, kind: str = kind) -> list[Note]:
            return [
                Note(kind, note.get(W + "id", ""), _PartReader(res, memo).blocks(note))
                for note in root.iterfind(W + kind)
                if note.get(W + "type") not in _NOTE_SEPARATORS
            ]

        out += _read_part(zf, part, notes, res if memo else None)
    return out


def _read_part(zf: zipfile.ZipFile, name: str, read: Callable[[Any], T], res: _Resolver | None = None) -> T:
    """`read` of a part's XML tree; with `res` (parts a batch has just rendered), once per distinct XML."""
    if res is None:
        return read(_parse(zf, name))
    return res.part(name, zf.read(name), read)  # type: ignore[no-any-return]


# --- package --------------------------------------------------------------------------------------


def _rels(zf: zipfile.ZipFile, names: set[str], part: str, res: _Resolver | None = None) -> dict[str, str]:
    folder, _, base = part.rpartition("/")
    rels_name = f"{folder}/_rels/{base}.rels"
    if rels_name not in names:
        return {}

    def rels(root: Any) -> dict[str, str]:
        out = {}
        for rel in root.iter(f"{{{REL_NS}}}Relationship"):
            target = rel.get("Target", "")
            if rel.get("TargetMode") == "External":
                continue
            path = target.lstrip("/") if target.startswith("/") else f"{folder}/{target}"
            out[rel.get("Id", "")] = _normpath(path)
        return out

    return dict(_read_part(zf, rels_name, rels, res))


def _normpath(path: str) -> str:
    parts: list[str] = []
    for seg in path.split("/"):
        if seg == "..":
            if parts:
                parts.pop()
        elif seg and seg != ".":
            parts.append(seg)
    return "/".join(parts)


def _core(zf: zipfile.ZipFile, names: set[str], res: _Resolver | None = None) -> dict[str, str]:
    if "docProps/core.xml" not in names:
        return {}

    def core(root: Any) -> dict[str, str]:
        return {etree.QName(el).localname: (el.text or "").strip() for el in root if isinstance(el.tag, str)}

    return dict(_read_part(zf, "docProps/core.xml", core, res))


def _main_part(zf: zipfile.ZipFile, names: set[str]) -> str | None:
    if "_rels/.rels" in names:
        xml = zf.read("_rels/.rels")
        if xml in _MAIN_PARTS:
            return _MAIN_PARTS[xml]
        found = None
        for rel in _parse_xml(xml).iter(f"{{{REL_NS}}}Relationship"):
            if rel.get("Type", "").endswith("/officeDocument"):
                found = _normpath(rel.get("Target", "").lstrip("/"))
                break
        if found is not None:
            if len(_MAIN_PARTS) >= 16:
                _MAIN_PARTS.clear()
            _MAIN_PARTS[xml] = found
            return found
    return "word/document.xml" if "word/document.xml" in names else None


class _LazyCore(Mapping[str, str]):
    """The core properties, read when first asked for: no rule of `check` reads them (META-01 is opt-in), and
    a batch reads thousands of documents."""

    def __init__(self, read: Callable[[], dict[str, str]]) -> None:
        self._read: Callable[[], dict[str, str]] | None = read
        self._props: dict[str, str] = {}

    def _loaded(self) -> dict[str, str]:
        if self._read is not None:
            self._props, self._read = self._read(), None
        return self._props

    def __getitem__(self, key: str) -> str:
        return self._loaded()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._loaded())

    def __len__(self) -> int:
        return len(self._loaded())


_MAIN_PARTS: dict[bytes, str] = {}  # a package's _rels/.rels -> its main part (the same in every file of a batch)


def read(path: str | Path) -> Document:
    """Read a .docx; raise DocxReadError if it is missing, not a zip or not a Word document."""
    p = Path(path)
    with open_package(p) as zf:  # budgets, file type, damage: package.py
        return _read_word(zf, set(zf.namelist()), str(p))


def _read_word(zf: zipfile.ZipFile, names: set[str], path: str, memo: bool = False) -> Document:
    """The Word document of a package; DocxReadError, naming the file, when it holds none or is damaged."""
    try:
        main = _main_part(zf, names)
        if main is None or main not in names:
            raise DocxReadError([Problem("không phải văn bản Word (no word/document.xml)", file=path)])
        return _read_package(zf, names, main, path, memo)
    except (etree.XMLSyntaxError, KeyError, RecursionError) as exc:
        raise DocxReadError([Problem(f"tệp .docx bị hỏng (corrupt: {exc})", file=path)]) from exc


class _Parts:
    """Parts already in memory (a document batch just rendered), read like the zip."""

    def __init__(self, parts: Mapping[str, bytes]) -> None:
        self._parts = parts

    def read(self, name: str) -> bytes:
        return self._parts[name]


def read_parts(parts: Mapping[str, bytes], path: str | Path) -> Document:
    """The Document of parts the library has just rendered (they are the file `path` once written): what
    read(path) gives, without unzipping them again. A batch's documents share most lines: a paragraph whose
    XML an earlier one had is not read again (_Resolver.recall)."""
    zf: Any = _Parts(parts)
    return _read_word(zf, set(parts), str(Path(path)), memo=True)


def _read_package(zf: zipfile.ZipFile, names: set[str], main: str, path: str, memo: bool = False) -> Document:
    res = _Resolver.of(zf, names)
    shared = res if memo else None
    rels = _rels(zf, names, main, shared)
    read = _shared_body(res, zf.read(main)) if memo else None
    if read is not None:
        blocks, sect_els = read
    else:
        blocks, sect_els = _body(res, _parse(zf, main), path, memo)

    was = res.last_sections if memo else None
    if (  # a batch's plans: the sections of the plan before, when what they are read from is the same
        was is not None
        and was[0] == rels
        and len(was[1]) == len(sect_els)
        and all(a is b for a, b in zip(was[1], sect_els, strict=True))
        and all((zf.read(t) if t in names else None) == xml for t, xml in was[2])
    ):
        sections = list(was[3])
    else:
        sections = _sections(zf, names, res, rels, sect_els, memo)
    if read is None:
        for i, b in enumerate(blocks):
            if isinstance(b, Table):
                b.index = i
    return Document(
        path=path,
        parts=sorted(names),
        core=_LazyCore(lambda: _core(zf, names, shared)) if memo else _core(zf, names),
        sections=sections,
        body=blocks,
        main=main,
        rels=rels,
        notes=_notes(zf, names, main, res, memo),
    )


def _sections(
    zf: zipfile.ZipFile, names: set[str], res: _Resolver, rels: dict[str, str], sect_els: list[Any], memo: bool
) -> list[Section]:
    """The sections closed by `sect_els`, their headers and footers read (memo: what a batch's plans share
    is read once; the parts they were read from are kept in _Resolver.last_sections)."""
    hf_cache: dict[str, HeaderFooter] = {}
    used: list[tuple[str, bytes | None]] = []

    def load_hf(rid: str, kind: str) -> HeaderFooter | None:
        target = rels.get(rid)
        if target is None:
            return None
        if target not in names:
            used.append((target, None))
            return None
        if target not in hf_cache:
            used.append((target, zf.read(target)))

            def part(root: Any) -> HeaderFooter:
                return HeaderFooter(part=target, kind=kind, blocks=_PartReader(res, memo).blocks(root))

            hf_cache[target] = res.part(f"{kind}:{target}", zf.read(target), part) if memo else part(_parse(zf, target))
        return hf_cache[target]

    sections: list[Section] = []
    prev_h: dict[str, HeaderFooter] = {}
    prev_f: dict[str, HeaderFooter] = {}
    for i, sp in enumerate(sect_els):
        headers, footers = dict(prev_h), dict(prev_f)  # unspecified types inherit from the previous section
        for ref in sp.iterfind(W + "headerReference"):
            hf = load_hf(ref.get(f"{{{R_NS}}}id", ""), "header")
            if hf is not None:
                headers[ref.get(W + "type", "default")] = hf
        for ref in sp.iterfind(W + "footerReference"):
            hf = load_hf(ref.get(f"{{{R_NS}}}id", ""), "footer")
            if hf is not None:
                footers[ref.get(W + "type", "default")] = hf
        prev_h, prev_f = headers, footers
        pg = sp.find(W + "pgSz")
        mar = sp.find(W + "pgMar")
        pn = sp.find(W + "pgNumType")
        tp = sp.find(W + "titlePg")
        margins = {}
        if mar is not None:
            for k in ("top", "bottom", "left", "right", "header", "footer", "gutter"):
                v = _int(mar.get(W + k))
                if v is not None:
                    margins[k] = abs(v) if k in ("top", "bottom") else v
        sections.append(
            Section(
                index=i,
                page_width=_int(pg.get(W + "w")) if pg is not None else None,
                page_height=_int(pg.get(W + "h")) if pg is not None else None,
                orient=(pg.get(W + "orient") if pg is not None else None) or "portrait",
                margins=margins,
                title_pg=tp is not None and _on(tp),
                pgnum_start=_int(pn.get(W + "start")) if pn is not None else None,
                pgnum_format=pn.get(W + "fmt") if pn is not None else None,
                headers=headers,
                footers=footers,
            )
        )
    if memo:
        res.last_sections = (rels, list(sect_els), used, sections)
    return sections


def _body(res: _Resolver, root: Any, path: str, memo: bool) -> tuple[list[Block], list[Any]]:
    """The body's blocks with their section index (a w:sectPr in a paragraph closes a section), and the
    w:sectPr of every section."""
    body = root.find(W + "body")
    if body is None:
        raise DocxReadError([Problem("văn bản không có phần thân (no w:body)", file=path)])
    reader = _PartReader(res, memo)
    blocks: list[Block] = []
    sect_els: list[Any] = []
    for child in body:
        if child.tag == W + "sectPr":
            continue
        new = reader.blocks([child], len(sect_els))
        blocks.extend(new)
        if child.tag == W + "p":
            sp = child.find(f"{W}pPr/{W}sectPr")
            if sp is not None:
                sect_els.append(sp)
    final = body.find(W + "sectPr")
    sect_els.append(final if final is not None else etree.Element(W + "sectPr"))
    return blocks, sect_els


def _shared_body(res: _Resolver, xml: bytes) -> tuple[list[Block], list[Any]] | None:
    """What _body reads, for parts a batch has just rendered: the body cut into its blocks' XML (_split_body),
    and a block that an earlier document had at the same place (its section, position and paragraphs
    before it) not read again: its blocks are that document's, shared. Their handles point into a tree of
    that block alone (an edit goes through ooxml.read of the file). None: XML this cut does not take."""
    like, reads_before, blocks_before, sects_before, count_before, marks_before = res.last
    split = _split_body(xml, like)
    if split is None:
        return None
    head, raws, tail = split.head, split.raws, split.tail
    raws_before = like.raws if like is not None else []
    blocks: list[Block] = []
    sect_els: list[Any] = []
    final = None
    count = 0
    reads: list[tuple[tuple[int, int, int], _Read, bool]] = []  # where each block stands, its read, if new
    marks: list[int] = []  # the blocks new here or closing the body
    rest = split.shared if like is not None else len(raws)
    for n, raw in enumerate(raws):
        place = (len(sect_els), len(blocks), count)
        if n == rest and reads_before[n][0] == place:
            # all that follows is the document before's from where it stood there: what it read as then
            blocks += blocks_before[place[1] :]
            sect_els += sects_before[place[0] :]
            count = count_before
            reads += reads_before[n:]
            for m in marks_before:
                if m < n:
                    continue
                was_place, known, new = reads_before[m]
                if new:  # new there, so met a second time: kept (as recall_block does)
                    res.recall_block((raws[m], *was_place))
                    reads[m] = (was_place, known, False)
                if known.final:
                    marks.append(m)
                    final = known.sect if final is None else final
            break
        key = (raw, *place)
        here = reads_before[n] if n < len(reads_before) and reads_before[n][0] == place else None  # the plan before's
        if here is not None and raw is raws_before[n]:
            # the very block of the document before (_split_body), where it stood: what it read as then
            known: _Read | None = here[1]
            if here[2]:  # new there, so met a second time: kept (as recall_block does)
                res.recall_block(key)
        else:
            known = res.recall_block(key)
        new = known is None
        if known is None and _lone_paragraph(raw):
            para = res.cut_paragraph(head, raw, tail, len(sect_els), None, count)
            sect = para.element.find(_SECT) if b"sectPr" in raw else None
            known = _Read([para], 1, sect)
            res.remember_block(key, known)
        elif known is None and raw.startswith(b"<w:tbl"):
            cut = _cut_table(raw, res._cells)
            if cut is not None:
                before = here[1] if here is not None else None
                known = _shared_table(res, head, cut, tail, len(sect_els), len(blocks), count, before)
                res.remember_block(key, known)
        if known is None:
            el = _parse_xml(head + raw + tail).find(W + "body")[0]
            if el.tag == W + "sectPr":
                known = _Read([], 0, el, final=True)
            else:
                reader = _PartReader(res, memo=True)
                reader.count = count
                new = reader.blocks([el], len(sect_els))
                for i, b in enumerate(new):
                    if isinstance(b, Table):
                        b.index = len(blocks) + i
                known = _Read(new, reader.count - count, el.find(f"{W}pPr/{W}sectPr") if el.tag == W + "p" else None)
            res.remember_block(key, known)
        reads.append((place, known, new))
        if new or known.final:
            marks.append(n)
        if known.final:
            final = known.sect if final is None else final
            continue
        blocks.extend(known.blocks)
        count += known.count
        if known.sect is not None:
            sect_els.append(known.sect)
    res.last = _Last(split, reads, tuple(blocks), tuple(sect_els), count, marks)
    sect_els.append(final if final is not None else etree.Element(W + "sectPr"))
    return blocks, sect_els


class _Last(NamedTuple):
    """The body of the document read last (_shared_body): its cut, what each block read as where, its blocks
    and w:sectPr (the body's own aside), how many paragraphs they hold, and which blocks were new there or
    closed the body."""

    split: _Split | None
    reads: list[tuple[tuple[int, int, int], _Read, bool]]
    blocks: tuple[Block, ...]
    sects: tuple[Any, ...]
    count: int
    marks: list[int]


def _lone_paragraph(raw: bytes) -> bool:
    """Whether a body block is a paragraph holding no other (no text box): _Resolver.cut_paragraph reads it."""
    return _P_START.match(raw) is not None and b"txbxContent" not in raw and not _P_START.search(raw, 4)


_Cut = tuple[bytes, list[list[tuple[bytes, list[bytes]]]]]  # what _cut_table gives


def _shared_table(
    res: _Resolver, head: bytes, cut: _Cut, tail: bytes, section: int, index: int, count: int, before: _Read | None
) -> _Read:
    """A body table none of whose blocks an earlier document had at this place (a batch's header table names
    its unit), read from its pieces (_cut_table): the table's and each cell's own properties, and each
    paragraph, read once per distinct XML (_Resolver.piece, _Resolver.cut_paragraph). `before`: what the
    plan before read at this place; a cell cut from the same piece as its cell there, where its table had
    the same frame, is read as that cell was (its paragraphs placed anew, not looked up again)."""
    pre, rows = cut
    frame = res.piece(head, pre, _TABLE_WRAP, tail, _table_frame)
    grid, style_id, borders, width, indent = frame
    table = Table([], list(grid), style_id, dict(borders), width, indent, section, index)
    was = before.pieces if before is not None and before.pieces is not None and before.pieces[0] is frame else None
    n = count
    for ri, row in enumerate(rows):
        cells: list[Cell] = []
        col = 0
        was_row = was[1][ri] if was is not None and ri < len(was[1]) else []
        for ci, piece in enumerate(row):
            old = before.blocks[0].rows[ri].cells[ci] if ci < len(was_row) and was_row[ci] is piece else None  # type: ignore[union-attr]
            if old is not None and old.col == col:
                cell = Cell([], [], old.width, old.grid_width, old.grid_span, dict(old.borders), ri, col, table)
                for q in old.paragraphs:
                    para = _placed(q, q.runs, section, cell, n, q._element)
                    para.memo = q.memo  # the same place: what Paragraph.once worked out there
                    cell.paragraphs.append(para)
                    n += 1
            else:
                cell_pre, paras = piece
                span, cell_width, cell_borders = res.piece(head, cell_pre, _CELL_WRAP, tail, _cell_frame)
                grid_width = sum(grid[col : col + span]) if len(grid) >= col + span else None
                cell = Cell([], [], cell_width, grid_width or None, span, dict(cell_borders), ri, col, table)
                for para_raw in paras:
                    cell.paragraphs.append(res.cut_paragraph(head, para_raw, tail, section, cell, n))
                    n += 1
            cell.blocks = list(cell.paragraphs)
            cells.append(cell)
            col += cell.grid_span
        table.rows.append(Row(cells))
    return _Read([table], n - count, None, pieces=(frame, rows))


def _table_frame(res: _Resolver, tbl: Any) -> tuple[list[int], str | None, dict[str, Border], int | None, int]:
    """A table's own properties, from its XML up to its first row."""
    t = _PartReader(res).table(tbl)
    return t.grid, t.style_id, t.borders, t.width, t.indent


def _cell_frame(res: _Resolver, tc: Any) -> tuple[int, int | None, dict[str, Border]]:
    """A cell's own properties (its span, width and borders), from its XML up to its first paragraph."""
    return _cell_props(list(tc))


_Wrap = tuple[bytes, bytes, int]  # what opens an element's parents, what closes it and them, their number
_TABLE_WRAP: _Wrap = (b"", b"</w:tbl>", 0)
_CELL_WRAP: _Wrap = (b"<w:tbl><w:tr>", b"</w:tc></w:tr></w:tbl>", 2)


def _cut_table(raw: bytes, known: _Lru[bytes, _CellCut] | None = None) -> _Cut | None:
    """A table whose rows hold cells holding paragraphs, with nothing at those levels but the table's, rows'
    and cells' own properties: (its XML up to its first row, and for each row, for each cell: its XML up to
    its first paragraph, and its paragraphs' XML). None for any other (a table in a cell, a text box, a
    content control around cells, anything between rows, cells or paragraphs but white space): the caller
    parses it whole. What comes before a row, cell or paragraph then holds no element left open (it would
    close in what lies between them), so each piece reads alone as it does in the table. The XML is cut at
    each '</w:tc>' (neither text nor an attribute holds a '<'); `known`: the cuts of its pieces met before
    (a batch's header tables differ in a cell or two)."""
    if b"txbxContent" in raw:
        return None
    pieces = raw.split(b"</w:tc>")
    if len(pieces) < 2 or not _TABLE_END.fullmatch(pieces[-1]):
        return None
    pre = b""
    rows: list[list[tuple[bytes, list[bytes]]]] = []
    for i in range(len(pieces) - 1):
        piece = pieces[i]
        got = known.recall(piece) if known is not None and i else None  # the first one is never another's
        if got is None:
            got = _cut_cell(piece, i == 0)
            if got is None:
                return None
            if known is not None and i:
                known.keep(piece, got, BLOCK_MEMO)
        if i == 0:
            pre = got[0]
        if got[1]:
            rows.append([])
        rows[-1].append(got[2])
    return pre, rows


_CellCut = tuple[bytes, bool, tuple[bytes, list[bytes]]]  # what _cut_cell gives


def _cut_cell(piece: bytes, first: bool) -> _CellCut | None:
    """A piece of a table's XML up to a '</w:tc>' (_cut_table): (the first one's XML up to its first row,
    whether a row starts in it, and its cell: its XML up to its first paragraph, and its paragraphs' XML)."""
    pre = b""
    new_row = False
    cell_start = para_start = -1
    cell_pre: bytes | None = None
    paras: list[bytes] = []
    state = 0 if first else 1  # 0: in the table, between rows, 1: in a row, 2: in a cell, 3: in a paragraph
    it = _STRUCT.finditer(piece)
    at = 0  # the end of what was read last
    lead = first  # what comes next is the frame of the table, a row or a cell (not a gap to check)
    if first:
        m = next(it, None)
        if m is None or m.start() != 0 or m[2] != b"tbl" or m[1] or m[3] or b"xmlns" in m[0]:
            return None
        at = m.end()
    for m in it:
        i, closing, name = m.start(), m[1], m[2]
        if name != b"p" and (m[3] or b"xmlns" in m[0]):
            return None  # an empty row or cell, or one declaring a namespace its paragraphs may use
        if state == 3:  # a paragraph: its end tag, nothing structural inside
            if name != b"p" or not closing:
                return None
            paras.append(piece[para_start : m.end()])
            state, lead = 2, False
        elif not lead and i != at and not piece[at:i].isspace():
            return None  # something between rows, cells or paragraphs
        elif state == 0:
            if name != b"tr" or closing or new_row:
                return None
            if first:
                pre = piece[:i]
            new_row, state, lead = True, 1, True
        elif state == 1:
            if name == b"tc" and not closing:
                cell_start, state, lead = i, 2, True
            elif name == b"tr" and closing and not first and not new_row:
                state, lead = 0, False  # the row of the cell before ends
            else:
                return None
        elif name == b"p" and not closing:  # state 2, a cell
            if cell_pre is None:
                cell_pre = piece[cell_start:i]
            if m[3]:
                paras.append(m[0])
                lead = False
            else:
                para_start, state = i, 3
        else:
            return None
        at = m.end()
    if state != 2 or (first and not new_row):
        return None
    if cell_pre is None:
        cell_pre = piece[cell_start:]
    elif at != len(piece) and not piece[at:].isspace():
        return None
    return pre, new_row, (cell_pre, paras)


_ATTRS = rb"""(?:\s+[^\s=/>]+\s*=\s*(?:"[^"]*"|'[^']*'))*\s*"""  # '>' may stand in a value, '<' may not
_BODY_START = re.compile(rb"<w:body(?=[\s/>])" + _ATTRS + rb">")
_BLOCK_START = re.compile(rb"\s*(<w:([A-Za-z][\w.-]*)(?=[\s/>])" + _ATTRS + rb"(/?)>)")
_BODY_END = re.compile(rb"\s*</w:body\s*>")
_W_DECL = f'xmlns:w="{W_NS}"'.encode()
_MARKUP = re.compile(rb"<[!?]")  # a comment, CDATA, DOCTYPE or processing instruction
_SAME_NAME: dict[bytes, re.Pattern[bytes]] = {}
_P_START = re.compile(rb"<w:p[\s/>]")
_TBL_START = re.compile(rb"<w:tbl[\s/>]")
_TABLE_END = re.compile(rb"\s*</w:tr\s*>\s*</w:tbl\s*>")
_STRUCT = re.compile(rb"<(/?)w:(tbl|tr|tc|p)(?=[\s/>])" + _ATTRS + rb"(/?)>")  # what _cut_table cuts at
_T_START = re.compile(rb"<w:t" + _ATTRS + rb">")  # a w:t's start tag (_recipe)


class _Split(NamedTuple):
    """A body cut into its blocks (_split_body): the document is head + the blocks + tail (white space
    between them aside), so head + block + tail is a document holding that block alone."""

    head: bytes  # up to the body's first block: the root's and the body's start tags
    raws: list[bytes]  # each block's XML
    tail: bytes  # what follows the last block
    xml: bytes  # the document
    left: list[int]  # how much of the document is left where each block starts (the same in a shared rest)
    shared: int  # from this block on, the blocks and what follows them are the `like` document's


def _markup(xml: bytes) -> bool:
    """Whether `xml` holds a comment, CDATA or processing instruction (most XML holds neither '!' nor '?')."""
    return (b"!" in xml or b"?" in xml) and _MARKUP.search(xml) is not None


def _split_body(xml: bytes, like: _Split | None = None) -> _Split | None:
    """The body cut into its blocks' XML (a block's own namespace declarations are in it; those of the root
    and the body are in the head). The cut counts the start and end tags of the block's own name: sound in
    XML without comments, CDATA or processing instructions (what the library renders), with the root
    binding 'w' to WordprocessingML; None otherwise, and the caller parses the whole tree. `like`: a
    document cut before (a batch's plans differ in a few blocks): a block found again where the cut stands
    is taken whole, the very bytes object (the cut from there would end where it ends; it was searched for
    comments when first cut; a key holding it is hashed once), and so are the head and all the rest when
    they are the same."""
    if like is not None and xml.startswith(like.head):
        head = like.head  # the very object, checked when `like` was cut (a key holding it is hashed once)
    else:
        start = xml.find(b"?>") + 2 if xml.startswith(b"<?xml") else 0  # the XML declaration
        m = _BODY_START.search(xml)
        if m is None or _MARKUP.search(xml, start, m.end()) is not None:
            return None
        if _W_DECL not in xml[: m.start()] or xml.count(b"xmlns:w=", 0, m.end()) != 1:
            return None
        head = xml[: m.end()]
    pos = len(head)
    raws: list[bytes] = []
    left: list[int] = []
    size = len(xml)
    was = like or _Split(b"", [], b"", b"", [], 0)
    rest = True  # whether all that follows may be what followed there in `like` (after a new block)
    while True:
        n = len(raws)
        if n < len(was.raws) and xml.startswith(raw := was.raws[n], pos):
            if rest:
                rest = False
                if size - pos == was.left[n] and xml.endswith(was.xml[-was.left[n] :]):
                    raws += was.raws[n:]
                    left += was.left[n:]
                    return _Split(head, raws, was.tail, xml, left, n)
            raws.append(raw)
            left.append(size - pos)
            pos += len(raw)
            continue
        rest = True
        # the common block first: a bare <w:p> holding no paragraph (no text box), up to its first end tag
        close = xml.find(b"</w:p>", pos + 5) if xml.startswith(b"<w:p>", pos) else -1
        if close >= 0 and not _P_START.search(xml, pos + 5, close):
            raw = xml[pos : close + 6]
            if _markup(raw):
                return None
            raws.append(raw)
            left.append(size - pos)
            pos = close + 6
            continue
        t = _BLOCK_START.match(xml, pos)
        if t is None:
            break
        end = t.end()
        if t[2] == b"p" and (close := xml.find(b"</w:p>", end)) >= 0 and not _P_START.search(xml, end, close):
            end = close + 6  # a paragraph with none inside it (no text box): its first end tag
        elif t[2] == b"tbl" and (close := xml.find(b"</w:tbl>", end)) >= 0 and not _TBL_START.search(xml, end, close):
            end = close + 8  # a table with none inside it: its first end tag
        elif not t[3]:  # not <w:x/>: its end tag, past those of the same name inside it
            name = t[2]
            same = _SAME_NAME.get(name)
            if same is None:
                same = _SAME_NAME[name] = re.compile(
                    rb"<(/?)w:" + re.escape(name) + rb"(?=[\s/>])" + _ATTRS + rb"(/?)>"
                )
            depth = 1
            for u in same.finditer(xml, end):
                depth += -1 if u[1] else 0 if u[2] else 1
                if depth == 0:
                    end = u.end()
                    break
            else:
                return None
        raw = xml[t.start(1) : end]
        if _markup(raw):
            return None
        raws.append(raw)
        left.append(size - t.start(1))
        pos = end
    close = _BODY_END.match(xml, pos)
    if close is None or _MARKUP.search(xml, close.start()) is not None:
        return None
    return _Split(head, raws, xml[close.start() :], xml, left, len(raws))


def mark_size(doc: Document, p: Paragraph) -> int | None:
    """The font size (half-points) of `p`'s paragraph mark, through its style: the height of an empty line."""
    with zipfile.ZipFile(doc.path) as zf:
        res = _Resolver.of(zf, set(doc.parts))
    ppr = p.element.find(W + "pPr") if p.element is not None else None
    direct = _parse_rpr(ppr.find(W + "rPr")) if ppr is not None else {}
    return res.run_props(p.style_id, None, direct).size
