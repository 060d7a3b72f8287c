"""Document → the flat context a template renders: numbered headings, citation sentences, the
punctuation of Kính gửi and Nơi nhận, short lines sized to the text above them (NĐ 30 §2.5), the short
lines of ô 1–9 broken where linebreak chooses (`line`), the signature block kept with the closing, and
table columns sized from their content."""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any

from markupsafe import Markup, escape
from pydantic import TypeAdapter

from . import appendix as pl
from . import linebreak, rules, vntext
from .errors import InputError
from .law import lines as L
from .metrics import text_width
from .model import (
    Appendix,
    Attachment,
    Basis,
    Column,
    DataTable,
    Document,
    Item,
    ItemList,
    Paragraph,
    Reference,
    ReportForm,
    Section,
    Signer,
    TableBlock,
    Task,
    blank,
    format_figure,
    parse_figure,
)
from .wml import Cell, Run, layout_table, paragraph, section_break, table

# Paragraph style ids of the bundled templates (scripts/build_templates.py creates them).
BODY, HEADING, BASIS, ITEM, RULE = "VBNoiDung", "VBDeMuc", "VBCanCu", "VBNoiDung", "VBGach"
# Phụ lục content: same formats under other names, so "the body" stays the main text (ends with "./.").
PL_BODY, PL_HEADING = "VBPLNoiDung", "VBPLDeMuc"
# Mẫu 1.1–1.3: thẩm quyền ban hành, "QUYẾT ĐỊNH:", "Chương I" and its title.
AUTHORITY, ENACTING, CHAPTER, CHAPTER_TITLE = "VBThamQuyen", "VBBanHanh", "VBChuong", "VBChuongTen"
CELL_STYLE = {"left": "VBBang", "center": "VBBangGiua", "right": "VBBangPhai"}
CELL_HEAD = "VBBangTieuDe"
CELL_MARGINS = 2 * 108  # Word's default left + right cell margins, twips
NARROW_CELL_MARGIN = 30  # a crowded table's cells (≈0.5 mm each side)

KINH_GUI_START = 1985  # Mẫu 1.5: "Kính gửi:" starts ≈35 mm in

GLUED = {"chu_quan", "co_quan", "chuc_vu", "bang_tieu_de"}  # elements whose names may get no-break spaces
_AFTER_HYPHEN = re.compile(r"(?<=[-–])(?=.)")
_FILL = re.compile(r"\{([a-z_]+(?:\.[a-z0-9_]+)*)(?::(long|short|upper))?\}")
# The whole vocabulary of `fill:` ({campaign.start}, {campaign.start:long}, {issuer.name:upper}): a name is
# looked up only if it is here, so "{campaign.__init__.__globals__…}" is an unknown field, never a path into
# Python objects. derive.py fills its own plain fields ({area}, {lower}) and leaves these for the renderer.
FILL_FIELDS: dict[str, str] = {
    "campaign.name": "tên đợt hưởng ứng",
    "campaign.year": "năm của đợt",
    "campaign.theme": "chủ đề",
    "campaign.start": "ngày bắt đầu",
    "campaign.end": "ngày kết thúc",
    "campaign.opening_day": "ngày khai mạc",
    "campaign.report_deadline": "hạn báo cáo",
    "issuer.name": "tên cơ quan ban hành",
    "issuer.place": "địa danh",
    "issuer.area": "địa bàn (tỉnh, xã, phường…)",
    "issuer.abbreviation": "chữ viết tắt tên cơ quan",
    "document.number": "số văn bản",
    "document.date": "ngày ban hành",
    "document.title": "trích yếu",
    "appendix": "“Phụ lục” (văn bản có một phụ lục)",
    "appendix.N": "“Phụ lục II”… (phụ lục thứ N)",
}


def fill_field(name: str) -> str | None:
    """The FILL_FIELDS key of a placeholder's name ("appendix.2" → "appendix.N"), or None if it is not one."""
    key = "appendix.N" if re.fullmatch(r"appendix\.[0-9]+", name) else name
    return key if key in FILL_FIELDS else None


def unknown_fill_fields(template: str) -> list[str]:
    """The {names} in `template` that are not fill fields."""
    return list(_unknown_fill_fields(template))


@lru_cache(maxsize=4096)  # derive asks for every sentence of the parent, child after child
def _unknown_fill_fields(template: str) -> tuple[str, ...]:
    return tuple(m.group(1) for m in _FILL.finditer(template) if fill_field(m.group(1)) is None)


@lru_cache(maxsize=4096)
def _fill_names(template: str) -> tuple[tuple[str, str | None], ...]:
    """Each {field} of the template: its name and its FILL_FIELDS key (None: unknown)."""
    return tuple((m.group(1), fill_field(m.group(1))) for m in _FILL.finditer(template))


_FILLED: dict[tuple[Any, ...], str] = {}  # (template, its fields' values) → the filled text
_FILLED_MAX = 4096


def pt(element: str) -> float:
    return rules.element(element)["default"] / 2


@lru_cache(maxsize=1)  # from the law's data and the font's widths: the same for every document
def kinh_gui_indents() -> tuple[int, int, int]:
    """(start, label, dash) twips: "Kính gửi:" starts ≈35 mm in; recipients' dashes stand under its colon.
    The template's styles and the line breaking of the recipients both use them."""
    size = pt("kinh_gui")
    label = round(text_width("Kính gửi: ", size) * 20)
    colon = round(text_width("Kính gửi", size) * 20)
    dash = round(text_width("- ", size) * 20)
    return KINH_GUI_START, label, colon + dash


class Line(str):
    """A short line of ô 1–9: its text (what a template's {{ x }} prints), and `p`, the whole paragraph
    (the bundled templates' {{p x.p }}) whose indents make Word and LibreOffice wrap it where linebreak
    chose (its `lines`)."""

    p: Markup
    sides: tuple[int, int] | None  # (left, right) twips when narrowed
    lines: list[str]
    width: float  # points: the widest printed line
    box: float  # points: the paragraph's width that wraps it there (a little more than `width`)

    def printed_as(self, p: Markup) -> Line:
        """This line printed as another paragraph: a copy, since lines are shared through `_line`'s cache."""
        out = Line(self)
        out.__dict__.update(self.__dict__, p=p)
        return out


def line(
    text: str,
    box_tw: float,
    element: str,
    style: str = "Normal",
    *,
    prefix: str = "",
    size: int | None = None,
    bold: bool | None = None,
    names: bool = True,
    glue: bool = False,
    align: str = "center",
    left: int = 0,
    hanging: int = 0,
    first: int | None = None,
) -> Line:
    """`text` set in a box `box_tw` wide (past `left`), broken at linebreak's best gaps by narrowing the
    paragraph; warns (linebreak.LayoutWarning) naming the line when no break keeps names and words whole.
    `prefix`: printed before the text in the hanging indent ("Kính gửi: "). `size`: half-points, when the
    run's size is not the element's. `first`: twips more the first line has (default `hanging`: a list
    item's "- " hangs)."""
    out, warning = _line(text, box_tw, element, style, prefix, size, bold, names, glue, align, left, hanging, first)
    if warning:
        linebreak.warn(warning)
    return out


@lru_cache(maxsize=512)  # the short lines all plans share stay; a Line is never changed once built
def _line(
    text: str,
    box_tw: float,
    element: str,
    style: str,
    prefix: str,
    size: int | None,
    bold: bool | None,
    names: bool,
    glue: bool,
    align: str,
    left: int,
    hanging: int,
    first: int | None,
) -> tuple[Line, str | None]:
    spec, warning = rules.element(element), None
    first = hanging if first is None else first
    pts = (size or spec["default"]) / 2
    is_bold = spec.get("bold", False) if bold is None else bold
    italic = spec.get("italic", False)
    broken = linebreak.fit(text, box_tw / 20, pts, is_bold, italic, names=names, glue=glue, first=first / 20)
    if not broken.ok and not glue and element in GLUED:
        # A short word before a long name ("PHƯỜNG / ĐÔNG HƯNG THUẬN") is no greedy wrap's choice:
        # no-break spaces inside the name make it one (names and titles only: the user's own text, such
        # as a trích yếu, is printed exactly as typed, and warned about instead).
        glued = linebreak.fit(text, box_tw / 20, pts, is_bold, italic, names=names, glue=True, first=first / 20)
        broken, glue = (glued, True) if glued.ok else (broken, False)
    if not broken.ok:
        label = rules.nd30()["line_breaking"]["labels"].get(element, element)
        warning = (
            f"{label}: không có chỗ ngắt dòng giữa hai cụm từ, dòng bị ngắt giữa một tên hoặc một từ "
            f"(no good line break): «{text}»"
        )
    out = Line(" ".join(broken.lines) if glue else text)  # a glued line keeps its no-break spaces
    out.lines = broken.lines
    out.width = max(
        text_width(x, pts, is_bold, italic) - (first / 20 if k == 0 else 0) for k, x in enumerate(broken.lines)
    )
    out.box = broken.width
    out.sides, ind = None, ""
    if len(broken.lines) > 1:
        spare = max(0, int(box_tw - broken.width * 20))
        side = spare // 2 if align == "center" else 0
        out.sides = (left + side, spare - side)
        hang = f' w:hanging="{hanging}"' if hanging else ""
        ind = f'<w:ind w:left="{left + side}" w:right="{spare - side}"{hang}/>'
    run = "" if not out else f'<w:r><w:t xml:space="preserve">{escape(prefix + out)}</w:t></w:r>'
    rpr = f'<w:rPr><w:sz w:val="{size}"/><w:szCs w:val="{size}"/></w:rPr>' if size else ""
    if rpr:
        run = run.replace("<w:r>", f"<w:r>{rpr}", 1)
    out.p = Markup(f'<w:p><w:pPr><w:pStyle w:val="{style}"/>{ind}</w:pPr>{run}</w:p>')
    return out, warning


def short(style: str, text: str, box_tw: float, element: str) -> Markup:
    """A centred short line built here (phụ lục heading, report form): linebreak's breaks by its indents."""
    return line(text, box_tw, element, style).p


@lru_cache(maxsize=512, typed=True)  # a batch's closing paragraphs are the same few (a Markup is never changed)
def keep_with_next(block: Markup) -> Markup:
    """The paragraph `block` with keep-with-next (a table is left as it is)."""
    head = "<w:p><w:pPr><w:pStyle "
    if not block.startswith(head):
        return block
    text = str(block)
    end = text.index("/>", len(head)) + 2
    return Markup(text[:end] + "<w:keepNext/>" + text[end:])


def tiny(block: Markup) -> Markup:
    """A section-break paragraph 1 pt high: it never spills onto a page of its own."""
    mark = '<w:spacing w:before="0" w:after="0" w:line="20" w:lineRule="exact"/><w:rPr><w:sz w:val="2"/></w:rPr>'
    return Markup(str(block).replace("<w:pPr>", "<w:pPr>" + mark, 1))


@dataclass
class Composer:
    doc: Document
    draft: bool = False
    sect_pr: str = field(default_factory=pl.default_sect_pr)  # the template's body w:sectPr
    blocks: list[Markup] = field(default_factory=list)
    # Where blocks go: the main body, or a phụ lục (its styles, numbering and page width).
    body_style: str = BODY
    heading_style: str = HEADING
    numbering: list[str] = field(default_factory=list)
    width: int = 0
    articles: int = 0  # Điều are numbered through the whole text, across Chương and Mục (§9)
    printed: Collection[str] | None = None  # the context names the template prints (None: all of them)
    fills: list[tuple[str, str]] | None = None  # while the body is composed: each `fill:` and its text

    def prints(self, name: str) -> bool:
        return self.printed is None or name in self.printed

    # ------------------------------------------------------------------ text helpers

    def cite(self, ref: Reference) -> str:
        when = (
            vntext.long_date(ref.date) if self.doc.citation_dates == "long" else f"ngày {vntext.short_date(ref.date)}"
        )
        text = f"{ref.kind_name()} số {ref.number}/{ref.symbol} {when}"
        if ref.issuer:
            text += f" của {ref.issuer}"
        if ref.summary:
            text += f" {ref.summary}"
        return text

    def appendix_ref(self, name: str) -> str:
        """{appendix} → "Phụ lục" (a single one), {appendix.2} → "Phụ lục II": how the body names them."""
        n = len(self.doc.appendices)
        part = name.split(".")
        if len(part) == 1 and n == 1:
            return pl.label(self.doc, 0)
        if len(part) == 2 and part[1].isdigit() and 1 <= int(part[1]) <= n:
            return pl.label(self.doc, int(part[1]) - 1)
        raise InputError.one(
            f"trường '{{{name}}}': văn bản có {n} phụ lục (appendices); "
            + ("dùng {appendix}" if n == 1 else f"dùng {{appendix.1}} … {{appendix.{n}}}" if n else "chưa có phụ lục")
        )

    def fill(self, template: str) -> str:
        scope: dict[str, Any] = {
            "campaign": self.doc.campaign,
            "issuer": self.doc.issuer,
            "document": self.doc,
        }

        def raw(name: str, key: str | None) -> Any:
            """The field's value as it is (a date, a name), or its label (a phụ lục)."""
            if key is None:
                raise InputError.one(
                    f"trường '{{{name}}}' không dùng được trong fill (unknown field); các trường: "
                    + ", ".join(FILL_FIELDS)
                )
            if key.startswith("appendix"):
                return self.appendix_ref(name)
            owner, attr = key.split(".")
            obj = getattr(scope[owner], attr) if scope[owner] is not None else None
            if obj is None:
                raise InputError.one(f"trường '{{{name}}}' chưa có giá trị (missing value for fill)")
            return obj

        def value(m: re.Match[str]) -> str:
            obj = raw(m.group(1), fill_field(m.group(1)))
            if isinstance(obj, date):
                return vntext.long_date(obj) if m.group(2) == "long" else vntext.short_date(obj)
            return vntext.upper(str(obj)) if m.group(2) == "upper" else str(obj)

        # The text is a function of the template and the values: a batch fills the same few, plan after plan.
        key = (template, *(raw(name, field) for name, field in _fill_names(template)))
        out = _FILLED.get(key)
        if out is None:
            if len(_FILLED) >= _FILLED_MAX:
                _FILLED.clear()
            out = _FILLED[key] = _FILL.sub(value, template)
        if self.fills is not None:
            self.fills.append((template, out))
        return out

    def runs(self, p: Paragraph | Item | str) -> list[Run]:
        if isinstance(p, str):
            return [Run(p)]
        if p.runs is not None:
            return [Run(r.text, r.bold, r.italic) for r in p.runs]
        text = self.fill(p.fill) if p.fill is not None else p.text or ""
        bold = getattr(p, "bold", False)
        italic = getattr(p, "italic", False)
        return [Run(text, bold, italic)]

    def para(self, style: str, runs: list[Run]) -> None:
        # A blank line inside a YAML text means a new paragraph, never a soft line break.
        if len(runs) == 1 and "\n\n" in runs[0].text:
            for part in runs[0].text.split("\n\n"):
                self.blocks.append(paragraph(style, [Run(part, runs[0].bold, runs[0].italic)]))
            return
        self.blocks.append(paragraph(style, runs))

    # ------------------------------------------------------------------ body

    def numbering_label(self, counters: list[int], depth: int) -> str:
        styles = self.numbering
        style = styles[depth] if depth < len(styles) else "1.1."
        n = counters[depth]
        if style == "Điều 1.":
            return f"Điều {self.articles}."
        if style in ("Phần I", "Chương I"):
            return f"{style.split()[0]} {vntext.roman(n)}"
        if style == "Mục 1":
            return f"Mục {n}"
        if style == "I.":
            return f"{vntext.roman(n)}."
        if style == "a)":
            return f"{vntext.diem_letter(n - 1)})"
        if style == "1.1.":
            chain = [counters[d] for d in range(depth + 1) if (styles[d] if d < len(styles) else "1.1.") != "I."]
            return ".".join(str(c) for c in chain) + "."
        return f"{n}."

    def blocks_of(self, items: list[Any], counters: list[int], depth: int) -> None:
        for block in items:
            if isinstance(block, Section):
                self.section(block, counters, depth)
            elif isinstance(block, ItemList):
                self.item_list(block.items, block.marker)
            elif isinstance(block, TableBlock):
                self.blocks.append(self.table(block.table))
            else:
                self.para(self.body_style, self.runs(block))

    def body(self, body: list[Any]) -> None:
        """The main text. The plans of a batch share a handful of bodies (3 for all 3,321 communes): each is
        composed once, keyed by its JSON and what else shapes it, and reused while every `fill:` in it
        gives the same text. A body with a table is always composed (its layout warnings are per document)."""
        key = (
            _BLOCKS.dump_json(body),
            tuple(self.numbering),
            self.width,
            self.articles,
            self.body_style,
            self.heading_style,
        )
        hit = None if b'"table":' in key[0] else _BODIES.get(key)
        if hit is not None and all(self.fill(t) == out for t, out in hit[0]):
            self.blocks += hit[1]
            self.articles = hit[2]
            return
        start, self.fills = len(self.blocks), []
        try:
            self.blocks_of(body, [], 0)
        finally:
            fills, self.fills = self.fills, None
        if b'"table":' not in key[0]:
            if len(_BODIES) >= _BODIES_MAX:
                _BODIES.clear()
            _BODIES[key] = (tuple(fills), self.blocks[start:], self.articles)

    def section(self, s: Section, counters: list[int], depth: int) -> None:
        self.headed(s.heading, s.content, counters, depth, text=s.numbered)
        if s.task_style == "inline":
            self.item_list([self.inline_task(t) for t in s.tasks], "a)")
        else:
            for task in s.tasks:  # a task is a section of its own (not built as a Section: no re-validation)
                self.headed(task.heading(), self.duties(task), counters, depth + 1)
                del counters[depth + 2 :]

    def headed(
        self, heading: str | None, content: list[Any], counters: list[int], depth: int, *, text: str | None = None
    ) -> None:
        """A numbered title (bold), or running `text` after a bold number; Phần, Chương and Mục stand on a
        centred line of their own with the title in capitals under it (nd30.md §9)."""
        while len(counters) <= depth:
            counters.append(0)
        counters[depth] += 1
        del counters[depth + 1 :]
        style = self.numbering[depth] if depth < len(self.numbering) else "1.1."
        if style == "Điều 1.":
            self.articles += 1
        label = self.numbering_label(counters, depth)
        if style in ("Phần I", "Chương I", "Mục 1"):
            self.para(CHAPTER, [Run(label)])
            self.para(CHAPTER_TITLE, [Run(vntext.upper(heading or text or ""))])
        elif heading is not None:
            heading = vntext.upper(heading) if style == "I." else heading
            self.para(self.heading_style, [Run(f"{label} {heading}", bold=True)])
        else:
            # "Điều 1." and a mục's "I." are bold; a khoản's "1." and a điểm's "a)" are not (§9)
            self.para(self.body_style, [Run(label, bold=style in ("Điều 1.", "I.")), Run(f" {text}")])
        self.blocks_of(content, counters, depth + 1)

    @staticmethod
    def duties(task: Task) -> list[Any]:
        """One duty is a paragraph; several plain duties (text or `fill:`) are a '-' list; other blocks stay."""
        if len(task.duties) == 1 and isinstance(task.duties[0], str):
            return list(task.duties)
        out: list[Any] = []
        for duty in task.duties:
            if isinstance(duty, Paragraph) and not (duty.bold or duty.italic):  # a `fill:` duty is a duty too
                duty = Item(text=duty.text, runs=duty.runs, fill=duty.fill)
            if isinstance(duty, str | Item):
                if out and isinstance(out[-1], ItemList):
                    out[-1].items.append(duty)
                else:
                    out.append(ItemList(items=[duty], marker="-"))
            else:
                out.append(duty)
        return out

    @staticmethod
    def inline_task(task: Task) -> Item:
        duties = " ".join(d if isinstance(d, str) else (d.text or "") for d in task.duties)
        return Item(text=f"{task.heading()}: {duties}")

    def item_list(self, items: list[Any], marker: str) -> None:
        for i, item in enumerate(items):
            label = {"a)": f"{vntext.diem_letter(i)})", "1)": f"{i + 1})", "1.": f"{i + 1}."}.get(marker, marker)
            runs = self.runs(item)
            self.para(
                self.body_style,
                [Run(f"{label} "), *runs]
                if len(runs) > 1
                else [Run(f"{label} {runs[0].text}", runs[0].bold, runs[0].italic)],
            )
            if isinstance(item, Item) and item.items:
                self.item_list(item.items, item.marker or ("+" if marker == "-" else "-"))

    # ------------------------------------------------------------------ tables

    def grid(self, t: DataTable, width: int) -> tuple[list[int], int]:
        """Leaf widths in twips summing exactly to the text width, and the cells' side margin: in
        proportion to each column's `width`, but never narrower than its content allows: a figure
        ("87.000.000") on one line, the longest unbreakable piece of a header or cell (linebreak.chunks)
        whole. A crowded table gets narrower cell margins first; if it still cannot fit, a warning."""
        leaves = t.leaves()
        size = (t.font_size or rules.element("bang")["default"]) / 2
        total = sum(c.width for c in leaves)
        want = [width * c.width / total for c in leaves]
        content = []
        for leaf in leaves:
            texts = [(w, True) for w in linebreak.chunks(leaf.title, names=False)]
            for row in t.rows:
                raw = row.values().get(leaf.key or "")
                if blank(raw):
                    continue
                if leaf.figures:
                    texts.append((format_figure(parse_figure(raw)), row.group))
                else:  # a text cell wraps where LibreOffice and Word do: spaces, after a hyphen (not a slash)
                    texts += [(w, row.group) for part in str(raw).split() for w in _AFTER_HYPHEN.split(part)]
            widest = max((text_width(x, size, bold) for x, bold in texts), default=0) * 20
            # LibreOffice takes the borders' width off the cell too: 1 pt of slack
            content.append(widest / rules.nd30()["line_breaking"]["fill"] + 20)
        for margin in (CELL_MARGINS // 2, NARROW_CELL_MARGIN):
            need = [c + 2 * margin for c in content]
            short = sum(max(0.0, n - w) for n, w in zip(need, want, strict=True))
            spare = sum(max(0.0, w - n) for n, w in zip(need, want, strict=True))
            if short <= spare:
                break
        else:
            linebreak.warn(
                f"bảng «{leaves[0].title} … {leaves[-1].title}»: số liệu không vừa một dòng trong cột, "
                "bảng rộng hơn trang (table too wide for its figures)"
            )
            return [round(width * n / sum(need)) for n in need[:-1]] + [0], margin
        scale = short / spare if spare else 0.0
        grid = [round(w - (w - n) * scale if w > n else n) for n, w in zip(need, want, strict=True)]
        grid[-1] += width - sum(grid)
        return grid, margin

    def table(self, t: DataTable) -> Markup:
        leaves = t.leaves()
        size = t.font_size
        depth = max(c.depth() for c in t.columns)
        header: list[list[Cell]] = [[] for _ in range(depth)]
        grid, margin = self.grid(t, self.width)
        if grid[-1] == 0:
            grid[-1] = self.width - sum(grid)
        widths = dict(zip((id(leaf) for leaf in leaves), grid, strict=True))

        def head(col: Column) -> tuple[Markup, ...]:
            box = sum(widths[id(leaf)] for leaf in col.leaves()) - 2 * margin
            # our own paragraph: no-break spaces may glue a word the narrow cell would split
            return (line(col.title, box, "bang_tieu_de", CELL_HEAD, size=size, names=False, glue=True).p,)

        def place(col: Column, r: int) -> None:
            # Merged header cells: a group spans its leaves (gridSpan); a leaf fills the rows below (vMerge).
            if col.columns:
                header[r].append(Cell(head(col), span=len(col.leaves())))
                for child in col.columns:
                    place(child, r + 1)
                return
            header[r].append(Cell(head(col), vmerge="restart" if r < depth - 1 else None))
            for below in range(r + 1, depth):
                header[below].append(Cell((), vmerge="continue"))

        for col in t.columns:
            place(col, 0)
        rows = list(header)
        for row in t.rows:
            values = row.values()
            cells = []
            for leaf in leaves:
                raw = values.get(leaf.key or "")
                text = "" if blank(raw) else str(raw)
                if leaf.figures and text:
                    text = format_figure(parse_figure(raw))
                align = leaf.align or ("right" if leaf.figures else "left")
                runs = [Run(text, bold=row.group, size=size)] if text else []
                cells.append(Cell((paragraph(CELL_STYLE[align], runs),)))
            rows.append(cells)
        border = rules.nd30()["table"]["border_sz"]
        return table(
            grid, rows, header_rows=depth, border_sz=border, cell_margin=None if margin * 2 == CELL_MARGINS else margin
        )

    # ------------------------------------------------------------------ phụ lục

    def appendix_blocks(self, draft: bool) -> tuple[list[Markup], str | None]:
        """The phụ lục after the signature, and the w:sectPr of the last one (it replaces the template's)."""
        doc = self.doc
        paper = doc.copy_of is not None and doc.copy_of.ky_so is None  # Mẫu 3.2 has its ký số box instead
        copy = self.copy_block() if paper else []  # under the signature, before any section
        if not doc.appendices and doc.attachment is None:
            return copy, None
        out: list[Markup] = list(copy)
        closing = self.sect_pr  # the main document's own section (page numbers from 1, first page bare)
        if doc.attachment is not None:
            out.append(tiny(section_break(closing)))
            out += self.attachment(doc.attachment, draft)
            closing = pl.section(self.sect_pr)
        for i, a in enumerate(doc.appendices):
            out.append(tiny(section_break(closing)))
            out += self.appendix(i, a, draft)
            closing = pl.section(self.sect_pr, a.orientation)
        if out[-1].startswith("<w:tbl>"):
            out.append(paragraph("VBBang"))  # Word wants a paragraph between a table and the section end
        return out, closing

    def appendix(self, i: int, a: Appendix, draft: bool) -> list[Markup]:
        saved = (self.blocks, self.body_style, self.heading_style, self.numbering, self.width)
        self.blocks = []
        self.body_style, self.heading_style = PL_BODY, PL_HEADING
        self.numbering = a.numbering or self.doc.numbering
        self.width = pl.text_width(self.sect_pr, a.orientation)
        try:
            self.para("VBPhuLucSo", [Run(pl.label(self.doc, i))])
            for title in a.title:
                self.blocks.append(short("VBPhuLucTen", vntext.upper(title), self.width, "phu_luc_ten"))
            attached = a.attached or pl.attached_line(self.doc, draft=draft)
            self.blocks.append(short("VBPhuLucKem", attached, self.width, "phu_luc_kem"))
            above = a.title[-1] if a.title else pl.label(self.doc, i)
            title_pt = rules.element("phu_luc_ten")["default"] / 2
            above_tw = text_width(vntext.upper(above), title_pt, bold=True)
            self.blocks.append(self.rule_under(above_tw, self.width, "trich_yeu"))
            self.blocks_of(a.content, [], 0)
            if a.form is not None:
                self.form(a.form)
            return self.blocks
        finally:
            self.blocks, self.body_style, self.heading_style, self.numbering, self.width = saved

    def attachment(self, a: Attachment, draft: bool) -> list[Markup]:
        """Mẫu 1.3, văn bản giấy: the issuer and Quốc hiệu, its own tên loại and trích yếu, "(Ban hành kèm
        theo Quyết định số …)", then its Chương/Mục/Điều; no number, date, signature or Nơi nhận of its own."""
        saved = (self.blocks, self.numbering, self.articles)
        self.blocks, self.numbering, self.articles = [], a.numbering, 0
        try:
            nd = rules.nd30()
            left_w, right_w = rules.header_table(self.doc.issuer.level.value)
            box = left_w - CELL_MARGINS
            issuer = [short("VBChuQuan", vntext.upper(x), box, "chu_quan") for x in self.doc.issuer.parent]
            names = [line(x, box, "co_quan", "VBCoQuan") for x in self.doc.issuer.header_lines()]
            issuer += [n.p for n in names] + [self.rule_under(names[-1].width, box, "co_quan")]
            tieu_ngu_pt = rules.element("tieu_ngu")["default"] / 2
            nation = [
                paragraph("VBQuocHieu", [Run(nd["quoc_hieu"])]),
                paragraph("VBTieuNgu", [Run(nd["tieu_ngu"])]),
                self.rule_under(text_width(nd["tieu_ngu"], tieu_ngu_pt, bold=True), right_w - CELL_MARGINS, "tieu_ngu"),
            ]
            self.blocks.append(layout_table((left_w, right_w), [(issuer, nation)]))
            self.para("VBTenLoai", [Run(vntext.upper(a.spec.name))])
            title = line(a.title, self.width, "trich_yeu", "VBTrichYeu")
            self.blocks.append(title.p)
            attached = pl.attached_line(self.doc, draft=draft).replace("(Kèm theo", f"({a.attached}", 1)
            self.blocks.append(short("VBPhuLucKem", attached, self.width, "phu_luc_kem"))
            self.blocks.append(self.rule_under(title.width, self.width, "trich_yeu"))
            self.blocks_of(a.body, [], 0)
            return self.blocks
        finally:
            self.blocks, self.numbering, self.articles = saved

    def separate_file(self) -> dict[str, Any]:
        """Mẫu 2.2, 1.3 điện tử: the phụ lục or the văn bản alone, citing the văn bản it goes with in its
        "(Kèm theo …)" line with number and day blank (PL I III.1.c), under the ký số box."""
        doc, final = self.doc, None
        self.doc, self.numbering, self.width = doc.attached_document(), doc.numbering, pl.text_width(self.sect_pr)
        try:
            if doc.attachment is not None:
                self.blocks = self.attachment(doc.attachment, draft=True)
            else:
                self.blocks = self.appendix(0, doc.appendices[0], draft=True)
                if doc.appendices[0].orientation == "landscape":
                    final = pl.section(self.sect_pr, "landscape", restart=False)
        finally:
            self.doc = doc
        part = doc.attachment.title if doc.attachment else " ".join(doc.appendices[0].title)
        return {
            "blocks": self.blocks,
            "appendix_blocks": [],
            "ky_so": self.ky_so(),
            "final_sect_pr": final,
            "properties": {"title": f"{doc.kind_name} {part}".strip(), "author": doc.issuer.name},
        }

    def ky_so(self) -> str:
        """The agency's ký số box (kinds.yaml `ky_so`): a file signed apart from its văn bản (its số), an
        electronic copy (the form and the copying body); "" for a văn bản signed as itself."""
        doc, c = self.doc, self.doc.copy_of
        if doc.spec.ky_so and doc.signed_at is not None:
            of = doc.attached_document()
            number = vntext.number_line(None if self.draft or doc.draft else of.number, of.full_symbol())
            return L.KY_SO.format(doc.spec.ky_so, doc.signed_at, number=number)
        if c is not None and c.ky_so and c.signed_at is not None:
            return L.KY_SO.format(c.ky_so, c.signed_at, mark=c.mark, agency=c.name or doc.issuer.name)
        return ""

    def form(self, f: ReportForm) -> None:
        """A blank report for lower units: its own header block, title, Kính gửi, body, Nơi nhận, signer."""
        nd = rules.nd30()
        left_w, right_w = nd["header_table"]["left"], nd["header_table"]["right"]
        co_quan = rules.element("co_quan")["default"] / 2
        issuer = [short("VBChuQuan", vntext.upper(x), left_w - CELL_MARGINS, "chu_quan") for x in f.issuer[:-1]]
        issuer.append(short("VBCoQuan", vntext.upper(f.issuer[-1]), left_w - CELL_MARGINS, "co_quan"))
        issuer.append(self.rule_under(text_width(f.issuer[-1], co_quan, bold=True), left_w - CELL_MARGINS, "co_quan"))
        tieu_ngu_pt = rules.element("tieu_ngu")["default"] / 2
        nation = [
            paragraph("VBQuocHieu", [Run(nd["quoc_hieu"])]),
            paragraph("VBTieuNgu", [Run(nd["tieu_ngu"])]),
            self.rule_under(text_width(nd["tieu_ngu"], tieu_ngu_pt, bold=True), right_w - CELL_MARGINS, "tieu_ngu"),
        ]
        self.blocks.append(
            layout_table(
                (left_w, right_w),
                [
                    (issuer, nation),
                    (
                        [short("VBSo", f.number_line, left_w - CELL_MARGINS, "so_ky_hieu")],
                        [short("VBDiaDanh", f.date_line, right_w - CELL_MARGINS, "dia_danh")],
                    ),
                ],
            )
        )
        for n, title in enumerate(f.title):
            style, element = ("VBTenLoai", "ten_loai") if n == 0 else ("VBTrichYeu", "trich_yeu")
            self.blocks.append(short(style, vntext.upper(title), self.width, element))
        if f.note:
            self.para("VBPhuLucKem", [Run(f.note)])
        if len(f.recipients) == 1:
            self.para("VBKinhGui", [Run(L.KINH_GUI.format(f.recipients[0]))])
        elif f.recipients:
            self.para("VBKinhGui", [Run(L.KINH_GUI.format())])
            for r in f.recipients:
                self.para("VBKinhGuiMuc", [Run(r)])
        if f.recipients_note:
            self.para("VBKinhGuiMuc", [Run(f.recipients_note)])
        self.blocks_of(f.body, [], 0)
        left = [paragraph("VBNoiNhanLabel", [Run(L.NOI_NHAN.format())])]
        left += [paragraph("VBNoiNhan", [Run(line)]) for line in f.distribution]
        sig_box = nd["signature_table"]["right"] - CELL_MARGINS
        right = [paragraph("VBChucVu")] + [short("VBChucVu", vntext.upper(x), sig_box, "chuc_vu") for x in f.signer]
        if f.signer_note:
            right.append(paragraph("VBDiaDanh", [Run(f.signer_note)]))
        sig = nd["signature_table"]
        self.blocks.append(layout_table((sig["left"], sig["right"]), [(left, right)]))

    # ------------------------------------------------------------------ fixed parts

    def basis_paragraph(self, b: Basis, last: bool) -> None:
        text = b.lead
        if b.refs:
            text += " " + "; ".join(self.cite(r) for r in b.refs)
        if b.text:
            text += b.text if b.text[0] in ",;:." else " " + b.text
        if text[-1] not in ".;:":
            text += "." if last else ";"
        italic = any(b.lead.startswith(lead) for lead in rules.nd30()["basis_leads_italic"])
        self.para(BASIS if italic else BODY, [Run(text)])

    def closing(self) -> None:
        closing = list(self.doc.closing)
        for i, block in enumerate(closing):
            runs = self.runs(block)
            if i == len(closing) - 1:
                last = runs[-1]
                end = last.text.rstrip()
                if not end.endswith("./."):
                    end = (end[:-1] if end.endswith(".") else end) + "./."
                runs[-1] = Run(end, last.bold, last.italic)
            self.para(BODY, runs)
        # The signature block never stands alone: the closing paragraph(s) keep with it (the block itself
        # is a row that cannot split), or the last body paragraph when there is no closing.
        n = max(1, len(closing))
        self.blocks[-n:] = [keep_with_next(b) for b in self.blocks[-n:]]

    def distribution(self) -> list[str]:
        lines = [L.NHU_TREN] if self.doc.recipients else []
        for r in self.doc.distribution:
            to = r.to.strip().rstrip(";.")
            if self.doc.recipients and to.lower() in ("như trên", "như kính gửi"):
                continue
            lines.append(f"- {to}{' ' + r.note if r.note else ''};")
        archive = ", ".join(["VT", *(a.strip() for a in self.doc.archive)])
        lines.append(L.LUU.format(archive))
        return lines

    def recipients(self) -> list[str]:
        names = [r.strip().rstrip(";.") for r in self.doc.recipients]
        if len(names) <= 1:
            return names
        return [f"- {n};" for n in names[:-1]] + [f"- {names[-1]}."]

    def copy_block(self) -> list[Markup]:
        """Mẫu 3.1: under a full-width line, the copying body (bold capitals, its line) and the form ("SAO Y")
        side by side, the copy's số and date, then its Nơi nhận and signer."""
        doc, c = self.doc, self.doc.copy_of
        assert c is not None
        sig = rules.nd30()["signature_table"]
        left_w, right_w = sig["left"], sig["right"]
        box = left_w - CELL_MARGINS
        names = [line(vntext.upper(x), box, "co_quan", "VBCoQuan") for x in c.header or doc.issuer.header_lines()]
        left = [n.p for n in names] + [self.rule_under(names[-1].width, box, "co_quan")]
        symbol = f"{c.code}-{c.abbreviation or doc.issuer.abbreviation}"
        left.append(paragraph("VBSo", [Run(L.SO.format(c.number, symbol))]))
        right = [paragraph("VBTenLoai", [Run(c.mark)]), paragraph("VBCuoi")]
        when = vntext.date_line(c.place or doc.issuer.place, c.date, c.date.year)
        right.append(line(when, right_w - CELL_MARGINS, "dia_danh", "VBDiaDanh").p)
        nn = [paragraph("VBNoiNhanLabel", [Run(L.NOI_NHAN.format())])]
        items = [f"- {r.to.strip().rstrip(';.')}{' ' + r.note if r.note else ''};" for r in c.distribution]
        nn += [line(x, box, "noi_nhan", "VBNoiNhan", align="left").p for x in [*items, L.LUU.format("VT")]]
        sign = [paragraph("VBChucVu")] + [
            line(x, right_w - CELL_MARGINS, "chuc_vu", "VBChucVu").p for x in c.signer.lines()
        ]
        sign += [paragraph("VBChucVu") for _ in range(4)] + [paragraph("VBHoTen", [Run(c.signer.name or "")])]
        rule = paragraph(RULE)  # the full-width line that separates the copy from the copied document
        return [rule, layout_table((left_w, right_w), [(left, right), (nn, sign)])]

    def signers_side_by_side(self) -> Markup:
        """Mẫu 1.9 (and văn bản liên tịch): the signers in one row, left to right, each with the gap for the
        signature and seal, and Nơi nhận under them at the left."""
        sig = rules.nd30()["signature_table"]
        who = self.doc.all_signers
        total = sig["left"] + sig["right"]
        if len(who) > 3:  # seven issuers of a hướng dẫn liên ngành: rows of two and three, as printed
            return self.signers_in_rows(who, total)
        widths = (sig["left"], sig["right"]) if len(who) == 2 else tuple([total // len(who)] * len(who))
        cells = []
        for signer, w in zip(who, widths, strict=True):
            box = w - CELL_MARGINS
            cell = [paragraph("VBChucVu")] + [line(x, box, "chuc_vu", "VBChucVu").p for x in signer.lines()]
            cell += [paragraph("VBChucVu") for _ in range(4)]
            if signer.other_title:
                cell.append(line(vntext.upper(signer.other_title), box, "chuc_vu", "VBChucVu").p)
            cell.append(paragraph("VBHoTen", [Run(signer.name or "")]))
            cells.append(cell)
        box = widths[0] - CELL_MARGINS
        nn = [paragraph("VBNoiNhanLabel", [Run(L.NOI_NHAN.format())])]
        nn += [line(x, box, "noi_nhan", "VBNoiNhan", align="left").p for x in self.distribution()]
        if self.doc.drafter_mark:
            nn.append(paragraph("VBKyHieuSoan", [Run(self.doc.drafter_mark)]))
        rows = [tuple(cells), (nn, *[[] for _ in widths[1:]])]
        return layout_table(widths, rows)  # type: ignore[arg-type]

    def signers_in_rows(self, who: list[Signer], total: int) -> Markup:
        """More than three signers: rows of at most three in a three-column table (a row of two at the left
        and right, a single one in the middle; the fuller rows in the middle: 2, 3, 2), Nơi nhận under them."""
        n_rows = -(-len(who) // 3)
        sizes = [len(who) // n_rows] * n_rows
        for i in range(len(who) % n_rows):
            sizes[(n_rows - 1) // 2 + (i + 1) // 2 * (-1) ** i] += 1
        width = total // 3
        box = width - CELL_MARGINS
        rows: list[tuple[list[Markup], ...]] = []
        it = iter(who)
        for size in sizes:
            cells: list[list[Markup]] = [[], [], []]
            for col in {1: [1], 2: [0, 2], 3: [0, 1, 2]}[size]:
                signer = next(it)
                cell = [paragraph("VBChucVu")] + [line(x, box, "chuc_vu", "VBChucVu").p for x in signer.lines()]
                cell += [paragraph("VBChucVu") for _ in range(4)]
                if signer.other_title:
                    cell.append(line(vntext.upper(signer.other_title), box, "chuc_vu", "VBChucVu").p)
                cell.append(line(signer.name, box, "ho_ten", "VBHoTen").p if signer.name else paragraph("VBHoTen"))
                cells[col] = cell
            rows.append(tuple(cells))
        nn = [paragraph("VBNoiNhanLabel", [Run(L.NOI_NHAN.format())])]
        nn += [line(x, box, "noi_nhan", "VBNoiNhan", align="left").p for x in self.distribution()]
        if self.doc.drafter_mark:
            nn.append(paragraph("VBKyHieuSoan", [Run(self.doc.drafter_mark)]))
        rows.append((nn, [], []))
        return layout_table((width, width, total - 2 * width), rows)

    # ------------------------------------------------------------------ short lines

    @staticmethod
    def rule_under(text_pt: float, box_tw: int, name: str) -> Markup:
        """A centred bottom-border paragraph, `ratio` of the text width above it (indents from the box)."""
        spec = rules.nd30()["lines"][name]
        length = min(text_pt * 20, box_tw) * spec["default"]
        side = max(0, round((box_tw - length) / 2))
        return paragraph(RULE, ind=(side, side))

    def context(self) -> dict[str, Any]:
        if self.doc.spec.separate:
            return self.separate_file()
        doc, nd = self.doc, rules.nd30()
        draft = self.draft or doc.draft
        issuer_lines = doc.issuer.header_lines() + [x for c in doc.co_issuers for x in c.header_lines()]
        left_w, right_w = rules.header_table(doc.issuer.level.value)
        left_box, right_box = left_w - CELL_MARGINS, right_w - CELL_MARGINS
        text_box = 11906 - nd["page"]["margins"]["left"][2] - nd["page"]["margins"]["right"][2]
        sig = nd["signature_table"]
        sig_left, sig_right = sig["left"] - CELL_MARGINS, sig["right"] - CELL_MARGINS
        number = None if draft else doc.number
        when = None if draft else doc.date

        self.numbering = doc.numbering
        self.width = pl.text_width(self.sect_pr)
        if doc.authority and not doc.spec.address:  # a công điện names its sender over the recipients
            self.blocks.append(line(vntext.upper(doc.authority), self.width, "tham_quyen", AUTHORITY).p)
        for i, b in enumerate(doc.basis):
            self.basis_paragraph(b, i == len(doc.basis) - 1)
        if doc.spec.enacting:
            self.para(ENACTING, [Run(doc.spec.enacting)])
        self.body(doc.body)
        self.closing()
        several = len(doc.all_signers) > 1
        if several:
            self.blocks.append(self.signers_side_by_side())
        appendix_blocks, final_sect_pr = self.appendix_blocks(draft)

        signer = doc.the_signer
        title = L.VV.strip(doc.title) if doc.is_cong_van else doc.title.strip()
        start, label, item = kinh_gui_indents()
        kinh_gui = L.KINH_GUI.format()
        if doc.spec.address:  # Mẫu 1.6: "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH điện:" then the recipients
            kinh_gui = doc.spec.address.format(authority=vntext.upper(doc.authority or doc.issuer.name))
        dash = round(text_width("- ", pt("kinh_gui")) * 20)
        recipients: list[str] = self.recipients()
        if len(recipients) == 1:
            box = text_box - start - label  # "Kính gửi: " hangs in the first line's own indent
            recipients = [
                line(
                    recipients[0],
                    box,
                    "kinh_gui",
                    "VBKinhGui",
                    prefix=kinh_gui + " ",
                    align="left",
                    left=start + label,
                    hanging=label,
                    first=0,
                )
            ]
        else:
            recipients = [
                line(
                    r,
                    text_box - start - item,
                    "kinh_gui",
                    "VBKinhGuiMuc",
                    align="left",
                    left=start + item,
                    hanging=dash,
                )
                for r in recipients
            ]
        issuer = [line(x, left_box, "co_quan", "VBCoQuan") for x in issuer_lines]
        shown = self.prints("title") or self.prints("title_rule")  # a công văn's trích yếu is ô 5b (vv)
        title_line = line(title, text_box, "trich_yeu", "VBTrichYeu") if shown else None
        date_line = line(vntext.date_line(doc.issuer.place, when, doc.the_year), right_box, "dia_danh", "VBDiaDanh")
        if "dia_danh" not in doc.spec.elements:
            # Mẫu 1.9 (biên bản) has no địa danh and date: its "Thời gian bắt đầu" says when. The cell keeps
            # a paragraph (Word needs one), upright so no italic font is embedded for nothing.
            date_line = date_line.printed_as(paragraph("VBSo"))
        if title_line is not None and not title:
            title_line = title_line.printed_as(Markup(""))  # no empty paragraph between tên loại and its line
        return {
            "parent_lines": [line(vntext.upper(p), left_box, "chu_quan", "VBChuQuan") for p in doc.issuer.parent],
            "issuer_lines": issuer,
            "issuer_rule": self.rule_under(issuer[-1].width, left_box, "co_quan"),
            "number_line": vntext.number_line(number, doc.full_symbol()),
            "date_line": date_line,
            "kind_name": vntext.upper(doc.kind_name),
            "title": title_line if title_line is not None else "",
            # Only công văn templates print ô 5b under the number: a line not printed is not broken.
            "vv": line(L.VV.format(title), left_box, "vv", "VBVv") if self.prints("vv") else "",
            # no trích yếu (Mẫu 1.8, 1.10): the line goes under the tên loại
            "title_rule": self.rule_under(
                title_line.width or text_width(vntext.upper(doc.kind_name), pt("ten_loai"), bold=True),
                text_box,
                "trich_yeu",
            )
            if title_line is not None
            else "",
            "recipients": recipients,
            "kinh_gui_label": kinh_gui,
            "blocks": self.blocks,
            "appendix_blocks": appendix_blocks,
            "final_sect_pr": final_sect_pr,
            "distribution": [line(x, sig_left, "noi_nhan", "VBNoiNhan", align="left") for x in self.distribution()],
            "drafter_mark": doc.drafter_mark or "",
            "signer_lines": [line(x, sig_right, "chuc_vu", "VBChucVu") for x in signer.lines()],
            "signer_other_title": line(vntext.upper(signer.other_title), sig_right, "chuc_vu", "VBChucVu")
            if signer.other_title
            else "",
            "signer_name": signer.name or "",
            "several_signers": several,
            "ky_so": self.ky_so(),
            "properties": {"title": f"{doc.kind_name} {title}", "author": doc.issuer.name},
        }


# A body's JSON as its cache key: the blocks are serialized by their own models; the discriminated union of
# Block would call its Python discriminator once per block for the same text.
_BLOCKS: TypeAdapter[list[Any]] = TypeAdapter(list[Any])
# body JSON, numbering, width, articles, styles → (fills used and their text, blocks, articles after)
_BODIES: dict[tuple[Any, ...], tuple[tuple[tuple[str, str], ...], list[Markup], int]] = {}
_BODIES_MAX = 32


def compose(
    doc: Document, *, draft: bool = False, sect_pr: str | None = None, printed: Collection[str] | None = None
) -> dict[str, Any]:
    """`sect_pr`: the template's body section properties, copied into the phụ lục sections. `printed`: the
    names the template uses (render.CompiledTemplate.printed), when known: others may be left out."""
    composer = Composer(doc, draft, sect_pr or pl.default_sect_pr())
    composer.printed = printed
    return composer.context()
