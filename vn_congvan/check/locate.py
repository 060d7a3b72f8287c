"""The checker's side of the element finder (law.find.elements): a .docx read by ooxml (effective
properties, a handle back to each paragraph) given to the finder as lines with their layout, and the
elements it finds handed back as paragraphs, for the rules (check/rules) to judge and their fixes to edit."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, fields
from functools import cache
from typing import Any, TypeVar

from .. import law, rules
from ..law import find
from ..law import lines as L
from ..law.find import Elements, Facts, Recording, Slot, elements, elements_again, facts_of
from ..lazy import lazy
from ..metrics import text_width
from ..ooxml import Document, Paragraph, Run
from .text import display, empty, is_caps, norm

T = TypeVar("T")


@dataclass
class Located:
    """Where each ND30 element of one document is (None / [] when not found)."""

    doc: Document
    paras: list[Paragraph]
    qh: Paragraph | None = None
    tn: Paragraph | None = None
    tn_skipped: int = 0
    issuer: list[Paragraph] = field(default_factory=list)
    chu_quan: list[Paragraph] = field(default_factory=list)
    so: Paragraph | None = None
    date: Paragraph | None = None
    vv: Paragraph | None = None
    kind: law.Kind | None = None
    tl: Paragraph | None = None
    other_tl: Paragraph | None = None  # a tên loại outside Phụ lục III: 'PHIẾU TRÌNH', 'GIẤY PHÉP …'

    ty: list[Paragraph] = field(default_factory=list)  # trích yếu lines under the tên loại
    kg: Paragraph | None = None
    recipients: list[Paragraph] = field(default_factory=list)
    authority: list[Paragraph] = field(default_factory=list)  # "GIÁM ĐỐC SỞ …" above the căn cứ
    nn: Paragraph | None = None
    nn_items: list[Paragraph] = field(default_factory=list)
    o12: Paragraph | None = None
    signer: list[Paragraph] = field(default_factory=list)  # the whole block
    body: list[Paragraph] = field(default_factory=list)
    basis: list[Paragraph] = field(default_factory=list)  # căn cứ ban hành
    head_zone: list[Paragraph] = field(default_factory=list)
    under: dict[int, list[Paragraph]] = field(default_factory=dict)  # text paragraph → its line candidates
    found: Elements | None = field(default=None, repr=False)  # the finder's result, over _DocxLine
    lines: dict[int, _DocxLine] = field(default_factory=dict, repr=False, compare=False)  # id(paragraph) → its line
    memo: dict[Any, Any] = field(default_factory=dict, repr=False, compare=False)  # once()

    def once(self, compute: Callable[[Located], T]) -> T:
        """`compute(self)` (a module-level function), worked out once per located document: what several
        rules read of it, such as the body's text paragraphs."""
        memo = self.memo
        try:  # asked by every rule of a family: the hit is the path to keep short
            return memo[compute]  # type: ignore[no-any-return]
        except KeyError:
            value = memo[compute] = compute(self)
            return value

    # -- shared measurements ------------------------------------------------------------------
    @lazy
    def data(self) -> dict[str, Any]:
        return rules.nd30()

    @lazy
    def pos(self) -> dict[int, int]:
        return {id(p): i for i, p in enumerate(self.paras)}

    def siblings(self, p: Paragraph) -> list[Paragraph]:
        """Paragraphs of the same container (cell or top-level body) in order."""
        return [q.p for q in self._found.siblings(self.lines[id(p)])]

    def after(self, p: Paragraph, n: int = 6) -> list[Paragraph]:
        return [q.p for q in self._found.after(self.lines[id(p)], n)]

    def before(self, p: Paragraph) -> Paragraph | None:
        q = self._found.before(self.lines[id(p)])
        return q.p if q is not None else None

    @lazy
    def used(self) -> set[int]:
        """id(paragraph) of every paragraph the finder gave to an element."""
        return {id(x.p) for x in self._found.lines if id(x) in self._found.used}  # type: ignore[attr-defined]

    @property
    def _found(self) -> Elements:
        assert self.found is not None, "Located is made by locate()"
        return self.found

    def container_width(self, p: Paragraph) -> int:
        """Text width available to `p`, twips, before its own indents."""
        cell = p.cell
        if cell is not None and (width := cell.effective_width):
            return width - cell_margins()
        widths = self._text_widths
        return widths[min(p.section, len(widths) - 1)]

    @lazy
    def _text_widths(self) -> list[int]:
        """Each section's text width, twips."""
        return [s.text_width or 9355 for s in self.doc.sections]

    def measure(self, p: Paragraph) -> float:
        """Width of the longest rendered line of `p`, twips (wrapping capped at the container)."""
        return min(self._total(p), self._avail(p))

    def spans(self, p: Paragraph) -> tuple[float, float]:
        """(the longest rendered line's width, the last one's), twips (an estimate: wrapping at the container
        width): what a short line under `p` is measured against."""
        total, avail = self._total(p), self._avail(p)
        return (total, total) if total <= avail else (avail, total % avail or avail)

    def _total(self, p: Paragraph) -> float:
        return p.once(_text_width)

    def _avail(self, p: Paragraph) -> float:
        return float(max(self.container_width(p) - p.ind_left - p.ind_right, 1))

    def below(self, p: Paragraph, n: int = 6) -> list[Paragraph]:
        """Paragraphs under `p` on the page: the rest of its cell, then the same column of the next rows,
        or the next top-level paragraphs."""
        return [q.p for q in self._found.below(self.lines[id(p)], n)]

    def next_nonempty(self, p: Paragraph, n: int = 4) -> tuple[Paragraph | None, int]:
        q, skipped = self._found.next_nonempty(self.lines[id(p)], n)
        return (q.p if q is not None else None), skipped

    def shown_runs(self) -> Iterator[tuple[Paragraph, Run]]:
        """Runs that print (those of shown_paragraphs)."""
        for p in self.shown_paragraphs():
            for r in p.runs:
                yield p, r

    def shown_paragraphs(self) -> list[Paragraph]:
        """Paragraphs that print: the body, and the headers and footers a page shows (shown_hf_paragraphs)."""
        return [*self.paras, *self.shown_hf_paragraphs()]

    def shown_hf_paragraphs(self) -> list[Paragraph]:
        """The paragraphs of the headers and footers a page shows (default; first-page ones with titlePg).
        Even-page parts are left out: whether they print is a document setting."""
        parts: dict[str, Any] = {}
        for s in self.doc.sections:
            for hfs in (s.headers, s.footers):
                for typ, hf in hfs.items():
                    if typ == "default" or (typ == "first" and s.title_pg):
                        parts.setdefault(hf.part, hf)
        return [p for hf in parts.values() for p in hf.paragraphs()]

    @lazy
    def main_end(self) -> int:
        """Position of the main document's last element (its signer block or Nơi nhận)."""
        f = self._found  # its lines are the paragraphs' own, in the same order
        ends = [f.pos[id(x)] for x in (*f.signer, f.nn, *f.nn_items) if x is not None]
        return max(ends, default=len(self.paras))

    @lazy
    def judged(self) -> list[tuple[int, Paragraph, tuple[Any, ...]]]:
        """(position, paragraph, every registered judgment of it) of the paragraphs with text that some judgment
        has something to say of, in order: the one walk of the paragraphs that the families of rules share."""
        return [(i, p, said) for i, p in enumerate(self.paras) if p.text and (said := p.once(_judge)) is not None]

    @lazy
    def appendices(self) -> list[tuple[Paragraph, str | None]]:
        """'Phụ lục …' headings (with their number): in a later section, after the main document, or over a
        '(Kèm theo …)' line."""
        heads = [(p, said[_PHU_LUC]) for _, p, said in self.judged if said[_PHU_LUC] is not None and p.cell is None]
        out = []
        for p, (num,) in heads:
            attached = any(L.ATTACHED.match(norm(q.text)) for q in self.after(p, 3))
            if p.section > 0 or attached or self.pos[id(p)] > self.main_end:
                out.append((p, num))
        return out

    @lazy
    def unheaded_attachments(self) -> list[Paragraph]:
        """'(Kèm theo …)' lines after the main document in a file that has no 'Phụ lục' heading at all."""
        if self.appendices:
            return []
        tail = self.paras[self.main_end + 1 :]
        found = [p for p in tail if p.cell is None and L.ATTACHED.match(norm(p.text))]
        return [p for p in found if p not in self.attached_documents]

    @lazy
    def attached_documents(self) -> list[Paragraph]:
        """'(Ban hành kèm theo Quyết định …)' lines under a tên loại after the main document: a văn bản that a
        quyết định ban hành (Mẫu 1.3), headed by its own tên loại and trích yếu, not a phụ lục."""
        out = []
        for k in range(self.main_end + 1, len(self.paras)):
            p = self.paras[k]
            if p.cell is not None or not L.ATTACHED.match(norm(p.text)):
                continue
            above = [q for q in self.paras[max(0, k - 6) : k] if q.text.strip() and q.cell is None]
            if any((t := L.ten_loai(norm(q.text))) is not None and not t[1] for q in above[-3:]):
                out.append(p)
        return out

    @property
    def body_text(self) -> str:
        return " ".join(p.text for p in self.body)

    @lazy
    def titles(self) -> list[Paragraph]:
        """Chức vụ lines of the signer block (all but the name)."""
        texts = self._signer_texts
        return texts if self.awaiting_name else texts[:-1]

    @lazy
    def name(self) -> Paragraph | None:
        texts = self._signer_texts
        return None if self.awaiting_name or not texts else texts[-1]

    @lazy
    def _signer_texts(self) -> list[Paragraph]:
        return [p for p in self.signer if p.text and p.once(_signer_line)]

    @lazy
    def awaiting_name(self) -> bool:
        """Titles and no name under them (a caps title last, no signature gap above it): a document
        awaiting its signer's name."""
        texts = self._signer_texts  # the signer block's lines with text, in its order
        if len(texts) < 2 or not texts[-1].once(_caps_unnamed):
            return False
        # a caps line after the signature gap is a name written in capitals (SIG-03 says so), not a title
        at = {id(p): i for i, p in enumerate(self.signer)}
        gap = self.signer[at[id(texts[-2])] + 1 : at[id(texts[-1])]]
        signed_gap = sum(1 for q in gap if empty(q)) >= self.data["check"]["signature_gap_min"]
        return not signed_gap and not any(q.has_drawing for q in gap)


# The families of rules that judge the document's paragraphs one by one (the 'Phụ lục' headings here; CAP, FONT,
# the head zone's marks and ký số box in check/rules) share one walk, Located.judged: each registers its judgment
# of a paragraph with text (plain data, None when it has nothing to say) at import and reads its slot. A paragraph
# is asked once per document, whatever the number of families, and judged once for a batch (Paragraph.once: the
# plans share their unchanged lines).
_JUDGES: list[Callable[[Paragraph], Any]] = []


def paragraph_judgment(judge: Callable[[Paragraph], Any]) -> int:
    """Register a family's judgment of one paragraph (a module-level function, as Paragraph.once asks); its
    slot in each judgment Located.judged gives."""
    _JUDGES.append(judge)
    return len(_JUDGES) - 1


def _judge(p: Paragraph) -> tuple[Any, ...] | None:
    said = tuple([judge(p) for judge in _JUDGES])
    return None if said.count(None) == len(said) else said


def _phu_luc(p: Paragraph) -> tuple[str | None] | None:
    """(its number,) of a 'Phụ lục …' heading line. L.PHU_LUC ignores case but needs a 'P' first: the other
    lines are not matched at all."""
    if p.text.lstrip()[:1] not in ("P", "p") or (m := L.PHU_LUC.match(norm(p.text))) is None:
        return None
    return (m["num"],)


_PHU_LUC = paragraph_judgment(_phu_luc)


@cache  # a fact of the law's data: asked for every line measured
def cell_margins() -> int:
    """A cell's left and right margins, twips (Word's default)."""
    return 2 * int(rules.nd30()["check"]["cell_margin"])


def _signer_line(p: Paragraph) -> bool:
    """A line of the signer block with text that is not its 'Nơi nhận' (judged once per paragraph)."""
    t = p.text.strip()
    return bool(t) and L.NOI_NHAN.read(t) is None


def _caps_unnamed(p: Paragraph) -> bool:
    """Shown in capitals and not a person's name: a chức vụ when it ends the signer block."""
    return is_caps(display(p)) and not L.person_name(p.text)


def _text_width(p: Paragraph) -> float:
    """Width of `p`'s text on one line, twips."""
    total = 0.0
    for r in p.visible_runs():
        size = (r.props.size or 24) / 2
        total += text_width(r.text.upper() if r.props.caps else r.text, size, r.props.bold) * 20
    return total


class _DocxLine:
    """A .docx paragraph as the finder reads it (law.find.Line): what the paragraph alone says (its facts, its
    layout) worked out once per paragraph (Paragraph.once: a batch's documents share their paragraphs') and kept
    as plain attributes, which the finder's walks read again and again."""

    __slots__ = (
        "bold",
        "border_bottom",
        "facts",
        "has_drawing",
        "line_shape",
        "p",
        "section",
        "shown_facts",
        "slot",
        "text",
    )

    def __init__(self, p: Paragraph, slot: Slot | None) -> None:
        self.p = p
        self.slot = slot
        self.text = p.text
        self.section = p.section
        self.facts, self.shown_facts, self.bold, self.border_bottom, self.has_drawing, self.line_shape = p.once(_line)

    @property
    def shown(self) -> str:
        return display(self.p)

    @property
    def align(self) -> str | None:
        return self.p.align

    @property
    def num_text(self) -> str | None:
        return self.p.num_text


def _line(p: Paragraph) -> tuple[Facts, Facts, bool, bool, bool, bool]:
    """The facts of the paragraph's text as written and as the page shows it (display); all its visible text
    bold; a bottom border; an image or shape in it; a drawn line among its shapes."""
    return (
        facts_of(p.text),
        facts_of(display(p)),
        all(r.props.bold for r in p.visible_runs()),
        bool(p.border_bottom),
        p.has_drawing,
        any(r.shape == "line" for r in p.runs),
    )


# the elements Located gives as paragraphs: every name it shares with the finder's Elements, by what it holds
_SHARED = {f.name for f in fields(Located)}
_ONE = [n for n in find.ONE if n in _SHARED]  # a line
_MANY = [n for n in find.MANY if n in _SHARED]  # lines
_AS_IS = [n for n in find.AS_IS if n in _SHARED]  # other facts: the kind, a count


def _line_of(p: Paragraph, slots: dict[int, Slot]) -> _DocxLine:
    """A new line for `p`; `slots`: its document's cells' places so far, by id(cell)."""
    if (c := p.cell) is None:
        return _DocxLine(p, None)
    if (s := slots.get(id(c))) is None:
        s = slots[id(c)] = Slot(id(c.table), c.row, c.col)
    return _DocxLine(p, s)


class _Kept(threading.local):
    """What locate keeps of the document it located last, per thread (a script may check from several).
    `lines`: its lines by id(paragraph) (each line holds its paragraph: no other takes its id meanwhile); a
    batch's next plan shares most Paragraph objects with it (ooxml.read_parts): its lines are these, only its
    few new paragraphs make one. Not an attribute of the paragraph: that cycle would leave a plan's dropped
    paragraphs to the collector instead of freeing them. `recording`: the finder's walk over a batch's
    document, by which its next documents are found (law.find.elements_again)."""

    def __init__(self) -> None:
        self.lines: dict[int, _DocxLine] = {}
        self.recording: Recording | None = None


_kept = _Kept()


def locate(doc: Document) -> Located:
    """The ND30 elements of a .docx, found by law.find.elements, as the document's paragraphs."""
    paras = list(doc.paragraphs())
    ids = list(map(id, paras))
    slots: dict[int, Slot] = {}  # id(cell) → its place
    kept = _kept
    lines = list(map(kept.lines.get, ids))
    batch = lines.count(None) < len(lines)  # lines shared with the document before: a batch's document
    for i, x in enumerate(lines):
        if x is None:
            lines[i] = _line_of(paras[i], slots)
    now = dict(zip(ids, lines, strict=True))
    if len(now) < len(lines):  # one paragraph object at two places: the finder tells lines apart by identity
        lines = [_line_of(p, slots) for p in paras]
        now = dict(zip(ids, lines, strict=True))  # the last line of a paragraph at two places, as Located keeps
    kept.lines = now
    if batch:  # recording a walk costs a few walks: the next documents found by it pay it back
        found, kept.recording = elements_again(lines, rules.nd30(), kept.recording)
    else:
        found = elements(lines, rules.nd30())
    # the finder's lines → their paragraphs
    kw: dict[str, Any] = {n: getattr(found, n) for n in _AS_IS}
    for n in _ONE:
        kw[n] = x.p if (x := getattr(found, n)) is not None else None
    for n in _MANY:
        kw[n] = [q.p for q in getattr(found, n)]
    return Located(
        doc,
        paras,
        **kw,
        under={id(lines[found.pos[k]].p): [q.p for q in v] for k, v in found.under.items()},
        found=found,
        lines=now,
    )
