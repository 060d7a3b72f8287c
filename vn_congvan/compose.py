"""Document → the flat context a template renders: numbered headings, citation sentences, the
punctuation of Kính gửi and Nơi nhận, and short lines sized to the text above them (NĐ 30 §2.5)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from markupsafe import Markup

from . import rules, vntext
from .errors import InputError
from .metrics import text_width
from .model import Basis, Document, Item, ItemList, Paragraph, Reference, Section, Task
from .wml import Run, paragraph

# Paragraph style ids of the bundled templates (scripts/build_templates.py creates them).
BODY, HEADING, BASIS, ITEM, RULE = "VBNoiDung", "VBDeMuc", "VBCanCu", "VBNoiDung", "VBGach"
CELL_MARGINS = 2 * 108  # Word's default left + right cell margins, twips

_FILL = re.compile(r"\{([a-z_]+(?:\.[a-z_]+)*)(?::(long|short|upper))?\}")


@dataclass
class Composer:
    doc: Document
    draft: bool = False
    blocks: list[Markup] = field(default_factory=list)

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

    def fill(self, template: str) -> str:
        scope: dict[str, Any] = {
            "campaign": self.doc.campaign,
            "issuer": self.doc.issuer,
            "document": self.doc,
        }

        def value(m: re.Match[str]) -> str:
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
        styles = self.doc.numbering
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
            else:
                self.para(BODY, self.runs(block))

    def section(self, s: Section, counters: list[int], depth: int) -> None:
        while len(counters) <= depth:
            counters.append(0)
        counters[depth] += 1
        del counters[depth + 1 :]
        style = self.doc.numbering[depth] if depth < len(self.doc.numbering) else "1.1."
        heading = vntext.upper(s.heading) if style == "I." else s.heading
        self.para(HEADING, [Run(f"{self.numbering_label(counters, depth)} {heading}", bold=True)])
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
            label = {"a)": f"{vntext.diem_letter(i)})", "1)": f"{i + 1})"}.get(marker, marker)
            runs = self.runs(item)
            self.para(
                ITEM,
                [Run(f"{label} "), *runs]
                if len(runs) > 1
                else [Run(f"{label} {runs[0].text}", runs[0].bold, runs[0].italic)],
            )
            if isinstance(item, Item) and item.items:
                self.item_list(item.items, item.marker or ("+" if marker == "-" else "-"))

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
        lines = ["- Như trên;"] if self.doc.recipients else []
        for r in self.doc.distribution:
            to = r.to.strip().rstrip(";.")
            if self.doc.recipients and to.lower() in ("như trên", "như kính gửi"):
                continue
            lines.append(f"- {to}{' ' + r.note if r.note else ''};")
        archive = ", ".join(["VT", *(a.strip() for a in self.doc.archive)])
        lines.append(f"- Lưu: {archive}.")
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
        left_box = nd["header_table"]["left"] - CELL_MARGINS
        text_box = 11906 - nd["page"]["margins"]["left"][2] - nd["page"]["margins"]["right"][2]
        co_quan = rules.element("co_quan")["default"] / 2
        trich_yeu = rules.element("trich_yeu")["default"] / 2
        number = None if draft else doc.number
        when = None if draft else doc.date

        for i, b in enumerate(doc.basis):
            self.basis_paragraph(b, i == len(doc.basis) - 1)
        self.blocks_of(doc.body, [], 0)
        self.closing()

        signer = doc.the_signer
        title = re.sub(r"^V/v\s+", "", doc.title.strip()) if doc.is_cong_van else doc.title.strip()
        return {
            "parent_lines": [vntext.upper(p) for p in doc.issuer.parent],
            "issuer_lines": issuer_lines,
            "issuer_rule": self.rule_under(text_width(issuer_lines[-1], co_quan, bold=True), left_box, "co_quan"),
            "number_line": vntext.number_line(number, doc.full_symbol()),
            "date_line": vntext.date_line(doc.issuer.place, when, doc.the_year),
            "kind_name": vntext.upper(doc.kind_name),
            "title": title,
            "vv": f"V/v {title}",
            "title_rule": self.rule_under(text_width(title, trich_yeu, bold=True), text_box, "trich_yeu"),
            "recipients": self.recipients(),
            "blocks": self.blocks,
            "distribution": self.distribution(),
            "drafter_mark": doc.drafter_mark or "",
            "signer_lines": signer.lines(),
            "signer_other_title": vntext.upper(signer.other_title) if signer.other_title else "",
            "signer_name": signer.name or "",
            "properties": {"title": f"{doc.kind_name} {title}", "author": doc.issuer.name},
        }


def compose(doc: Document, *, draft: bool = False) -> dict[str, Any]:
    return Composer(doc, draft).context()
