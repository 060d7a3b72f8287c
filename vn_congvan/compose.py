"""Document → the flat context a template renders: numbered headings, citation sentences, the
punctuation of Kính gửi and Nơi nhận, and short lines sized to the text above them (NĐ 30 §2.5)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from markupsafe import Markup

from . import appendix as pl
from . import rules, vntext
from .errors import InputError
from .law import lines as L
from .metrics import text_width
from .model import (
    Appendix,
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
CELL_STYLE = {"left": "VBBang", "center": "VBBangGiua", "right": "VBBangPhai"}
CELL_HEAD = "VBBangTieuDe"
CELL_MARGINS = 2 * 108  # Word's default left + right cell margins, twips

_FILL = re.compile(r"\{([a-z_]+(?:\.[a-z0-9_]+)*)(?::(long|short|upper))?\}")


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

        def value(m: re.Match[str]) -> str:
            if m.group(1).split(".")[0] == "appendix":
                return self.appendix_ref(m.group(1))
            obj: Any = scope
            for part in m.group(1).split("."):
                obj = obj.get(part) if isinstance(obj, dict) else getattr(obj, part, None)
                if obj is None:
                    raise InputError.one(f"trường '{{{m.group(1)}}}' chưa có giá trị (missing value for fill)")
            if isinstance(obj, date):
                return vntext.long_date(obj) if m.group(2) == "long" else vntext.short_date(obj)
            return vntext.upper(str(obj)) if m.group(2) == "upper" else str(obj)

        return _FILL.sub(value, template)

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

    def section(self, s: Section, counters: list[int], depth: int) -> None:
        while len(counters) <= depth:
            counters.append(0)
        counters[depth] += 1
        del counters[depth + 1 :]
        style = self.numbering[depth] if depth < len(self.numbering) else "1.1."
        heading = vntext.upper(s.heading) if style == "I." else s.heading
        self.para(self.heading_style, [Run(f"{self.numbering_label(counters, depth)} {heading}", bold=True)])
        self.blocks_of(s.content, counters, depth + 1)
        if s.task_style == "inline":
            self.item_list([self.inline_task(t) for t in s.tasks], "a)")
        else:
            for task in s.tasks:
                self.section(Section(heading=task.heading(), content=self.duties(task)), counters, depth + 1)
                del counters[depth + 2 :]

    @staticmethod
    def duties(task: Task) -> list[Any]:
        """One duty is a paragraph; several plain duties are a '-' list; other blocks stay as they are."""
        if len(task.duties) == 1 and isinstance(task.duties[0], str):
            return list(task.duties)
        out: list[Any] = []
        for duty in task.duties:
            if isinstance(duty, str):
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

    def grid(self, columns: list[Column], width: int) -> list[int]:
        """Leaf widths in twips, in proportion to `width` of each, summing exactly to the text width."""
        total = sum(c.width for c in columns)
        grid = [round(width * c.width / total) for c in columns]
        grid[-1] += width - sum(grid)
        return grid

    def table(self, t: DataTable) -> Markup:
        leaves = t.leaves()
        size = t.font_size
        depth = max(c.depth() for c in t.columns)
        header: list[list[Cell]] = [[] for _ in range(depth)]

        def head(text: str) -> tuple[Markup, ...]:
            return (paragraph(CELL_HEAD, [Run(text, size=size)]),)

        def place(col: Column, r: int) -> None:
            # Merged header cells: a group spans its leaves (gridSpan); a leaf fills the rows below (vMerge).
            if col.columns:
                header[r].append(Cell(head(col.title), span=len(col.leaves())))
                for child in col.columns:
                    place(child, r + 1)
                return
            header[r].append(Cell(head(col.title), vmerge="restart" if r < depth - 1 else None))
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
        return table(self.grid(leaves, self.width), rows, header_rows=depth, border_sz=border)

    # ------------------------------------------------------------------ phụ lục

    def appendix_blocks(self, draft: bool) -> tuple[list[Markup], str | None]:
        """The phụ lục after the signature, and the w:sectPr of the last one (it replaces the template's)."""
        doc = self.doc
        if not doc.appendices:
            return [], None
        out: list[Markup] = []
        closing = self.sect_pr  # the main document's own section (page numbers from 1, first page bare)
        for i, a in enumerate(doc.appendices):
            out.append(section_break(closing))
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
            for line in a.title:
                self.para("VBPhuLucTen", [Run(vntext.upper(line))])
            self.para("VBPhuLucKem", [Run(a.attached or pl.attached_line(self.doc, draft=draft))])
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

    def form(self, f: ReportForm) -> None:
        """A blank report for lower units: its own header block, title, Kính gửi, body, Nơi nhận, signer."""
        nd = rules.nd30()
        left_w, right_w = nd["header_table"]["left"], nd["header_table"]["right"]
        co_quan = rules.element("co_quan")["default"] / 2
        issuer = [paragraph("VBChuQuan", [Run(vntext.upper(x))]) for x in f.issuer[:-1]]
        issuer.append(paragraph("VBCoQuan", [Run(vntext.upper(f.issuer[-1]))]))
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
                    ([paragraph("VBSo", [Run(f.number_line)])], [paragraph("VBDiaDanh", [Run(f.date_line)])]),
                ],
            )
        )
        for n, line in enumerate(f.title):
            self.para("VBTenLoai" if n == 0 else "VBTrichYeu", [Run(vntext.upper(line))])
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
        right = [paragraph("VBChucVu")] + [paragraph("VBChucVu", [Run(vntext.upper(x))]) for x in f.signer]
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

    # ------------------------------------------------------------------ short lines

    @staticmethod
    def rule_under(text_pt: float, box_tw: int, name: str) -> Markup:
        """A centred bottom-border paragraph, `ratio` of the text width above it (indents from the box)."""
        spec = rules.nd30()["lines"][name]
        length = min(text_pt * 20, box_tw) * spec["default"]
        side = max(0, round((box_tw - length) / 2))
        return paragraph(RULE, ind=(side, side))

    def context(self) -> dict[str, Any]:
        doc, nd = self.doc, rules.nd30()
        draft = self.draft or doc.draft
        issuer_lines = doc.issuer.header_lines()
        left_box = rules.header_table(doc.issuer.level.value)[0] - CELL_MARGINS
        text_box = 11906 - nd["page"]["margins"]["left"][2] - nd["page"]["margins"]["right"][2]
        co_quan = rules.element("co_quan")["default"] / 2
        trich_yeu = rules.element("trich_yeu")["default"] / 2
        number = None if draft else doc.number
        when = None if draft else doc.date

        self.numbering = doc.numbering
        self.width = pl.text_width(self.sect_pr)
        for i, b in enumerate(doc.basis):
            self.basis_paragraph(b, i == len(doc.basis) - 1)
        self.blocks_of(doc.body, [], 0)
        self.closing()
        appendix_blocks, final_sect_pr = self.appendix_blocks(draft)

        signer = doc.the_signer
        title = L.VV.strip(doc.title) if doc.is_cong_van else doc.title.strip()
        return {
            "parent_lines": [vntext.upper(p) for p in doc.issuer.parent],
            "issuer_lines": issuer_lines,
            "issuer_rule": self.rule_under(text_width(issuer_lines[-1], co_quan, bold=True), left_box, "co_quan"),
            "number_line": vntext.number_line(number, doc.full_symbol()),
            "date_line": vntext.date_line(doc.issuer.place, when, doc.the_year),
            "kind_name": vntext.upper(doc.kind_name),
            "title": title,
            "vv": L.VV.format(title),
            "title_rule": self.rule_under(text_width(title, trich_yeu, bold=True), text_box, "trich_yeu"),
            "recipients": self.recipients(),
            "blocks": self.blocks,
            "appendix_blocks": appendix_blocks,
            "final_sect_pr": final_sect_pr,
            "distribution": self.distribution(),
            "drafter_mark": doc.drafter_mark or "",
            "signer_lines": signer.lines(),
            "signer_other_title": vntext.upper(signer.other_title) if signer.other_title else "",
            "signer_name": signer.name or "",
            "properties": {"title": f"{doc.kind_name} {title}", "author": doc.issuer.name},
        }


def compose(doc: Document, *, draft: bool = False, sect_pr: str | None = None) -> dict[str, Any]:
    """`sect_pr`: the template's body section properties, copied into the phụ lục sections."""
    return Composer(doc, draft, sect_pr or pl.default_sect_pr()).context()
