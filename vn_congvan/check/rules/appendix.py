"""Phụ lục (PL I Phần III.1): heading, title, '(Kèm theo …)', numbering and the body's reference to it."""

from __future__ import annotations

from collections.abc import Iterator

from ... import rules as data
from ...law import lines as L
from ...ooxml import Paragraph
from ..edit import format_paragraph
from ..locate import Located
from ..report import Finding
from ..text import fold, norm
from .base import ANY_DOCX, Rule, fmt_problems, register


def appendix_heads(d: Located) -> list[tuple[Paragraph, str | None]]:
    return d.appendices


def unheaded(d: Located) -> list[Paragraph]:
    return d.unheaded_attachments


@register
class AppendixHeading(Rule):
    """'Phụ lục …' bold 14 pt centred; its title caps bold; '(Kèm theo …)' italic centred."""

    id = "PL-01"
    applies_to = ANY_DOCX

    def check(self, d: Located) -> Iterator[Finding]:
        for p, _num in appendix_heads(d):
            probs = fmt_problems(p, "phu_luc_so")
            after = [q for q in d.after(p, 6) if q.text.strip()]
            title = after[0] if after and not L.ATTACHED.match(norm(after[0].text)) else None
            kem = next((q for q in after[:3] if L.ATTACHED.match(norm(q.text))), None)
            if title is not None and title is not kem:
                probs += fmt_problems(title, "phu_luc_ten")
            if kem is None:
                probs.append("thiếu dòng '(Kèm theo …)'")
            else:
                if not L.KEM_THEO.match(norm(kem.text)):
                    probs.append(f"viết '{norm(kem.text)[:12]}…', đúng là '(Kèm theo …)'")
                probs += fmt_problems(kem, "phu_luc_kem")
            if probs:
                yield self.finding(p.text, "; ".join(dict.fromkeys(probs)))
        for q in unheaded(d):
            yield self.finding(q.text, "thiếu dòng 'Phụ lục …' phía trên")

    def fix(self, d: Located) -> list[str]:
        """The heading stack's formats: 'Phụ lục …' bold 14 pt centred, its title caps bold, '(Kèm theo …)'
        italic centred. A missing line, or '(Đính kèm …)' for '(Kèm theo …)', is a person's to write."""
        done = []
        for p, _num in appendix_heads(d):
            after = [q for q in d.after(p, 6) if q.text.strip()]
            title = after[0] if after and not L.ATTACHED.match(norm(after[0].text)) else None
            kem = next((q for q in after[:3] if L.ATTACHED.match(norm(q.text))), None)
            for q, elem in ((p, "phu_luc_so"), (title, "phu_luc_ten"), (kem, "phu_luc_kem")):
                if q is not None and (q is not title or title is not kem):
                    done += [f"'{norm(q.text)[:30]}': {x}" for x in format_paragraph(q, elem)]
        return done


@register
class AppendixReferenced(Rule):
    """The body points at the phụ lục it attaches ('… tại Phụ lục I', '(kèm theo)', 'theo mẫu')."""

    id = "PL-02"

    def check(self, d: Located) -> Iterator[Finding]:
        heads = appendix_heads(d)
        if not heads:  # folding the whole body costs more than all the other rules of a plan
            return
        body = fold.__wrapped__(d.body_text)  # not kept in fold's cache: one long string per document
        if not any(w in body for w in data.nd30()["check"]["appendix_reference"]):
            yield self.finding(heads[0][0].text)


@register
class AppendixNumbers(Rule):
    """Two or more phụ lục are numbered in Roman numerals."""

    id = "PL-03"
    applies_to = ANY_DOCX

    def check(self, d: Located) -> Iterator[Finding]:
        heads = appendix_heads(d)
        if len(heads) >= 2 and any(n is None or n.isdigit() for _, n in heads):
            yield self.finding(heads[0][0].text)
