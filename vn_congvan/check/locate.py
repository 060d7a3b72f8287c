"""The element finder: a .docx read by ooxml (effective properties, a handle back to each paragraph)
turned into located ND30 elements. Elements are found by content and position (Quốc hiệu by its text,
the date line by its pattern, the signer block by TM./KT./… or a caps title followed by a name), not only
by vn_congvan's own layout. Finding reports nothing: the rules (check/rules) judge what was found."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from .. import law, rules
from ..law import lines as L
from ..metrics import text_width
from ..ooxml import Document, Paragraph, Run
from .text import display, empty, fold, is_caps, norm, underscores


def _cites() -> re.Pattern[str]:
    """A căn cứ cites a document (or a proposal): "Căn cứ Luật …", "Căn cứ Công văn số …", "Theo đề nghị của …"."""
    names = sorted({k.name for k in law.kinds().values()} | set(law.specs.cited_names()), key=len, reverse=True)
    return re.compile(rf"\b({'|'.join(map(re.escape, names))})\b|\bsố \d+/|^(Theo|Xét) đề nghị của\b")


_CITES = _cites()


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
    used: set[int] = field(default_factory=set)

    # -- shared measurements ------------------------------------------------------------------
    @cached_property
    def data(self) -> dict[str, Any]:
        return rules.nd30()

    @cached_property
    def pos(self) -> dict[int, int]:
        return {id(p): i for i, p in enumerate(self.paras)}

    def siblings(self, p: Paragraph) -> list[Paragraph]:
        """Paragraphs of the same container (cell or top-level body) in order."""
        if p.cell is not None:
            return p.cell.paragraphs
        return self._top

    @cached_property
    def _top(self) -> list[Paragraph]:
        return [b for b in self.doc.body if isinstance(b, Paragraph)]

    def after(self, p: Paragraph, n: int = 6) -> list[Paragraph]:
        sib = self.siblings(p)
        i = next(i for i, q in enumerate(sib) if q is p)
        return sib[i + 1 : i + 1 + n]

    def before(self, p: Paragraph) -> Paragraph | None:
        sib = self.siblings(p)
        i = next(i for i, q in enumerate(sib) if q is p)
        return sib[i - 1] if i else None

    def container_width(self, p: Paragraph) -> int:
        """Text width available to `p`, twips, before its own indents."""
        if p.cell is not None and p.cell.effective_width:
            return p.cell.effective_width - 2 * self.data["check"]["cell_margin"]
        sec = self.doc.sections[min(p.section, len(self.doc.sections) - 1)]
        return sec.text_width or 9355

    def measure(self, p: Paragraph) -> float:
        """Width of the longest rendered line of `p`, twips (wrapping capped at the container)."""
        return min(self._total(p), self._avail(p))

    def last_line(self, p: Paragraph) -> float:
        """Width of the last rendered line of `p`, twips (an estimate: wrapping at the container width)."""
        total, avail = self._total(p), self._avail(p)
        return total if total <= avail else (total % avail or avail)

    def _total(self, p: Paragraph) -> float:
        total = 0.0
        for r in p.visible_runs():
            size = (r.props.size or 24) / 2
            total += text_width(r.text.upper() if r.props.caps else r.text, size, r.props.bold) * 20
        return total

    def _avail(self, p: Paragraph) -> float:
        return float(max(self.container_width(p) - p.ind_left - p.ind_right, 1))

    def below(self, p: Paragraph, n: int = 6) -> list[Paragraph]:
        """Paragraphs under `p` on the page: the rest of its cell, then the same column of the next rows
        (headers laid out one line per table row), or the next top-level paragraphs."""
        out = self.after(p, n)
        cell = p.cell
        if cell is None or cell.table is None:
            return out
        for row in cell.table.rows[cell.row + 1 :]:
            if len(out) >= n:
                break
            same = [c for c in row.cells if c.col == cell.col]
            if not same:
                break
            out += same[0].paragraphs
        return out[:n]

    def next_nonempty(self, p: Paragraph, n: int = 4) -> tuple[Paragraph | None, int]:
        skipped = 0
        for q in self.below(p, n):
            if q.text.strip():
                return q, skipped
            skipped += 1
        return None, skipped

    def claim(self, *ps: Paragraph | None) -> None:
        self.used.update(id(p) for p in ps if p is not None)

    def shown_runs(self) -> Iterator[tuple[Paragraph, Run]]:
        """Runs that print: the body, and the headers and footers a page shows (default; first-page ones
        with titlePg). Even-page parts are left out: whether they print is a document setting."""
        for p in self.paras:
            for r in p.runs:
                yield p, r
        parts: dict[str, Any] = {}
        for s in self.doc.sections:
            for hfs in (s.headers, s.footers):
                for typ, hf in hfs.items():
                    if typ == "default" or (typ == "first" and s.title_pg):
                        parts.setdefault(hf.part, hf)
        for hf in parts.values():
            for p in hf.paragraphs():
                for r in p.runs:
                    yield p, r

    @cached_property
    def main_end(self) -> int:
        """Position of the main document's last element (its signer block or Nơi nhận)."""
        last = [self.pos[id(p)] for p in (*self.signer, self.nn, *self.nn_items) if p is not None]
        return max(last, default=len(self.paras))

    @cached_property
    def appendices(self) -> list[tuple[Paragraph, str | None]]:
        """'Phụ lục …' headings (with their number): in a later section, after the main document, or over a
        '(Kèm theo …)' line."""
        out = []
        for p in self.paras:
            m = L.PHU_LUC.match(norm(p.text)) if p.cell is None else None
            if m is None:
                continue
            attached = any(L.ATTACHED.match(norm(q.text)) for q in self.after(p, 3))
            if p.section > 0 or attached or self.pos[id(p)] > self.main_end:
                out.append((p, m["num"]))
        return out

    @cached_property
    def unheaded_attachments(self) -> list[Paragraph]:
        """'(Kèm theo …)' lines after the main document in a file that has no 'Phụ lục' heading at all."""
        if self.appendices:
            return []
        tail = self.paras[self.main_end + 1 :]
        return [p for p in tail if p.cell is None and L.ATTACHED.match(norm(p.text))]

    @property
    def body_text(self) -> str:
        return " ".join(p.text for p in self.body)

    @property
    def titles(self) -> list[Paragraph]:
        """Chức vụ lines of the signer block (all but the name)."""
        texts = self._signer_texts
        return texts if self.awaiting_name else texts[:-1]

    @property
    def name(self) -> Paragraph | None:
        texts = self._signer_texts
        return None if self.awaiting_name or not texts else texts[-1]

    @property
    def _signer_texts(self) -> list[Paragraph]:
        return [p for p in self.signer if p.text.strip() and L.NOI_NHAN.read(p.text.strip()) is None]

    @property
    def awaiting_name(self) -> bool:
        """Titles and no name under them (a caps title last, no signature gap above it): a document
        awaiting its signer's name."""
        texts = self._signer_texts
        if not texts or texts[-1] not in self.signer:
            return False
        last = texts[-1]
        if len(texts) < 2 or not is_caps(display(last)) or L.person_name(last.text):
            return False
        # a caps line after the signature gap is a name written in capitals (SIG-03 says so), not a title
        above = self.signer.index(texts[-2]) + 1 if texts[-2] in self.signer else self.signer.index(last)
        gap = self.signer[above : self.signer.index(last)]
        signed_gap = sum(1 for q in gap if empty(q)) >= self.data["check"]["signature_gap_min"]
        return not signed_gap and not any(q.has_drawing for q in gap)


def locate(doc: Document) -> Located:
    loc = Located(doc, list(doc.paragraphs()))
    _Finder(loc).run()
    return loc


class _Finder:
    def __init__(self, loc: Located) -> None:
        self.loc = loc
        self.paras = loc.paras
        self.data = rules.nd30()

    def run(self) -> None:
        loc = self.loc
        self.quoc_hieu()
        left = self.header_left()
        head_end0 = (loc.pos[id(loc.qh)] + 30) if loc.qh is not None else 40
        loc.head_zone = self.paras[: max(40, head_end0)]
        loc.so = self.find_so(left) or self.find_so(loc.head_zone)
        loc.date = self.find_date(loc.head_zone)
        loc.vv = next((p for p in loc.head_zone if L.VV.match(norm(p.text))), None)
        start = max((loc.pos[id(p)] for p in (loc.qh, loc.so, loc.date) if p is not None), default=-1) + 1
        loc.kind, loc.tl = self.find_ten_loai(start)
        if loc.tl is not None and loc.vv is not None and loc.pos[id(loc.vv)] > loc.pos[id(loc.tl)]:
            loc.vv = None  # 'THÔNG BÁO' then 'V/v …': a trích yếu written in the công văn form
        elif loc.vv is not None:
            start = max(start, loc.pos[id(loc.vv)] + 1)
        head = self.paras[start : (loc.pos[id(loc.tl)] + 1 if loc.tl is not None else start) + 12]
        # under the header: a phụ lục's report form has its own Kính gửi, much later
        loc.kg = next((p for p in head if bare(p.text).startswith("kinh gui") and id(p) not in loc.used), None)
        if loc.kind is None and (loc.vv is not None or (loc.kg is not None and loc.tl is None)):
            loc.kind = law.cong_van()
        self.issuer([p for p in left if p is not loc.so and p is not loc.vv])
        loc.claim(loc.so, loc.date, loc.vv)
        if loc.tl is not None:
            self.trich_yeu(loc.tl)
        if loc.kg is not None:
            self.kinh_gui(loc.kg)
        found = [loc.pos[id(p)] for p in (loc.qh, loc.so, loc.date, loc.vv, loc.tl, loc.kg, *loc.recipients) if p]
        head_end = max([*found, max((loc.pos[i] for i in loc.used), default=0)])
        loc.nn = self.find_noi_nhan()
        loc.signer = self.find_signer(head_end + 1, loc.nn)
        loc.claim(*loc.signer)
        if loc.nn is not None:
            self.noi_nhan(loc.nn)
        sig_start = min([loc.pos[id(p)] for p in (*loc.signer, loc.nn) if p is not None] + [len(self.paras)])
        body = [
            p
            for p in self.paras[head_end + 1 : sig_start]
            if p.cell is None and p.text.strip() and id(p) not in loc.used and not L.SEPARATOR.match(p.text)
        ]
        self.preamble(body)

    # -- header -----------------------------------------------------------------------------------
    def quoc_hieu(self) -> None:
        loc = self.loc
        loc.qh = next((p for p in self.paras[:60] if is_quoc_hieu(p.text)), None)
        if loc.qh is None:
            return
        loc.claim(loc.qh)
        tn, skipped = loc.next_nonempty(loc.qh)
        if tn is None or not all(w in fold(tn.text) for w in ("độc lập", "tự do", "hạnh phúc")):
            return
        loc.tn, loc.tn_skipped = tn, skipped
        loc.claim(tn)
        self.line_under(tn)

    def line_under(self, text_p: Paragraph) -> None:
        """A solid line right under `text_p`: its own bottom border, or the next empty paragraph's, a shape,
        or underscores. The candidates are claimed so that they are not read as body text."""
        loc = self.loc
        candidates: list[Paragraph] = [text_p]
        if not drawn_line(text_p):
            for q in loc.below(text_p, 2):
                if drawn_line(q):  # a line shape anchored in the paragraph below, even one with text
                    candidates.append(q)
                    break
                if not (empty(q) or underscores(q) or L.SEPARATOR.match(q.text) or not q.text.strip()):
                    break
                candidates.append(q)
                if q.border_bottom or q.has_drawing or underscores(q):
                    break
        loc.under[id(text_p)] = candidates
        loc.claim(*(q for q in candidates if q is text_p or not q.text.strip() or underscores(q)))

    def header_left(self) -> list[Paragraph]:
        """Paragraphs of the left header block (ô 2, 3, 5b)."""
        qh = self.loc.qh
        table = qh.cell.table if qh is not None and qh.cell is not None else None
        if table is None and self.paras and self.paras[0].cell is not None:
            table = self.paras[0].cell.table  # no Quốc hiệu found: the header table opening the page
        if table is not None:
            left = [c for row in table.rows for c in row.cells[:1] if qh is None or c.col < qh.cell.col]  # type: ignore[union-attr]
            if left:
                return [p for c in left for p in c.paragraphs]
        # Hand-made layouts without a table: top-level paragraphs before the first tên loại / body.
        return [p for p in self.paras[:30] if p.cell is None]

    def issuer(self, left: list[Paragraph]) -> None:
        loc = self.loc
        issuer: list[Paragraph] = []
        for p in left:
            if id(p) in loc.used:
                continue
            t = norm(p.text)
            if not t:
                if issuer:
                    break
                continue
            if L.SO.match(t) or L.DATE.read(t) or L.VV.match(t) or not is_caps(display(p)):
                break
            if any(fold(t) == fold(u) for u in L.urgency_words() + self.data["circulation"]):
                continue
            issuer.append(p)
        if not issuer:
            return
        # Leading non-bold lines are the chủ quản, the rest the issuing body; all bold, the body is the line
        # that opens with a body type ('UBND TỈNH LÀO CAI' over 'SỞ CÔNG THƯƠNG').
        bolds = [all(r.props.bold for r in p.visible_runs()) for p in issuer]
        split = 0
        if any(bolds):
            while split < len(issuer) and not bolds[split]:
                split += 1
        if split == 0 and all(bolds):
            opens = [i for i, p in enumerate(issuer) if i and _opens_body(display(p))]
            split = opens[-1] if opens else 0
        loc.chu_quan, loc.issuer = issuer[:split], issuer[split:]
        loc.claim(*issuer)
        if loc.issuer:
            self.line_under(loc.issuer[-1])

    def find_so(self, candidates: Iterable[Paragraph]) -> Paragraph | None:
        return next((p for p in candidates if L.SO.match(norm(p.text))), None)

    def find_date(self, candidates: Iterable[Paragraph]) -> Paragraph | None:
        return next((p for p in candidates if L.DATE.match(norm(p.text))), None)

    def find_ten_loai(self, start: int) -> tuple[law.Kind | None, Paragraph | None]:
        """The tên loại line: a kind's name alone ('KẾ HOẠCH'), or opening a caps line that carries part of
        the subject ('GIẤY MỜI HỌP', 'BIÊN BẢN KIỂM TRA THỰC TẾ')."""
        for p in self.paras[start : start + 40]:
            if id(p) in self.loc.used or p.cell is not None:
                continue
            found = L.ten_loai(display(p), any_case=True)
            if found and not found[1]:  # the name alone, or with more capitals; not a line of body text
                return found[0], p
            if self.loc.other_tl is None and _title_like(p) and not is_quoc_hieu(p.text):
                self.loc.other_tl = p
        return None, None

    def trich_yeu(self, tl: Paragraph) -> None:
        loc = self.loc
        loc.claim(tl)
        for q in loc.after(tl, 6):
            t = norm(q.text)
            if not t or L.SO.match(t) or L.KINH_GUI.match(t) or L.basis_lead(t):
                break
            if loc.ty and (q.align != "center" or not all(r.props.bold for r in q.visible_runs()) or is_caps(t)):
                break  # a wrapped trích yếu continues only with centred bold lines; caps: the thẩm quyền line
            loc.ty.append(q)
            if q.border_bottom or len(loc.ty) >= 3:
                break
        loc.claim(*loc.ty)
        if loc.ty:
            self.line_under(loc.ty[-1])

    def kinh_gui(self, kg: Paragraph) -> None:
        loc = self.loc
        loc.claim(kg)
        following = loc.after(kg, 30)
        if kg.cell is not None and ":" in kg.text and not kg.text.split(":", 1)[1].strip():
            row = kg.cell.table.rows[kg.cell.row] if kg.cell.table is not None else None
            right = [c for c in row.cells if c.col > kg.cell.col] if row is not None else []
            if right and not any(q.text.strip() for q in following):  # 'Kính gửi:' | the list, side by side
                following = [q for q in right[0].paragraphs if q.text.strip()]
        for q in following:
            qt = norm(q.text)
            if not qt or not (qt.startswith(("-", "–", "+")) or q.num_text):
                break
            loc.recipients.append(q)
        loc.claim(*loc.recipients)

    # -- signature block and Nơi nhận ---------------------------------------------------------------
    def find_noi_nhan(self) -> Paragraph | None:
        # The main document's label stands alone after its body ("Nơi nhận hồ sơ: …" in the body is
        # text; a phụ lục's report form, in a later section, has its own).
        main = [p for p in self.paras if p.section == 0] or self.paras
        for p in reversed(main):
            if bare(p.text).rstrip(" :") == "noi nhan":
                return p
        return next((p for p in main if bare(p.text).startswith("noi nhan")), None)

    def find_signer(self, body_start: int, nn: Paragraph | None) -> list[Paragraph]:
        """Paragraphs of the signer block: chức vụ lines, gap, họ tên."""
        loc = self.loc
        # (1) the other cell of the Nơi nhận row
        if nn is not None and nn.cell is not None and nn.cell.table is not None:
            row = nn.cell.table.rows[nn.cell.row]
            others = [c for c in row.cells if c is not nn.cell and c.text.strip()]
            if others:
                return others[-1].paragraphs
        # (2) a paragraph starting with an authority prefix, or (3) the last caps bold line before
        # Nơi nhận followed by a short Title Case line
        start = None
        for i in range(body_start, len(self.paras)):
            p = self.paras[i]
            t = display(p)
            if id(p) not in loc.used and L.SIGNER.match(t) and is_caps(t):
                start = i
                break
        if start is None:
            end = loc.pos[id(nn)] if nn is not None else len(self.paras)
            for i in range(end - 1, max(body_start, end - 25), -1):
                p = self.paras[i]
                if is_caps(display(p)) and all(r.props.bold for r in p.visible_runs()) and id(p) not in loc.used:
                    rest = [q for q in self.paras[i + 1 : i + 10] if q.text.strip()]
                    if rest and L.person_name(rest[0].text):
                        if p.cell is not None:
                            return p.cell.paragraphs
                        return self.paras[i : loc.pos[id(rest[0])] + 1]
            return []
        p = self.paras[start]
        if p.cell is not None:
            return p.cell.paragraphs
        # Plain paragraphs: the block ends at its name, at Nơi nhận or at what another element claimed.
        block: list[Paragraph] = []
        for q in self.paras[start : start + 12]:
            if q is nn or (id(q) in loc.used and q is not p) or (q.cell is not None):
                break
            block.append(q)
            if block[0] is not q and L.person_name(q.text):
                break
        return block

    def noi_nhan(self, nn: Paragraph) -> None:
        loc = self.loc
        loc.claim(nn)
        for q in loc.after(nn, len(self.paras)):
            t = norm(q.text)
            if not t:
                if loc.nn_items:
                    break
                continue
            is_item = t.startswith(("-", "–", "+")) or bool(q.num_text)
            if not is_item and (loc.nn_items or q.cell is None):
                if q.cell is not None:
                    loc.o12 = q  # a line after the list in the same cell: ô 12, drafter + copies
                break
            loc.nn_items.append(q)
        loc.claim(*loc.nn_items, loc.o12)

    # -- body -------------------------------------------------------------------------------------
    def preamble(self, body: list[Paragraph]) -> None:
        """Căn cứ ban hành open the body, after the thẩm quyền line of a quyết định ("GIÁM ĐỐC SỞ …");
        a later "Căn cứ tình hình …" or one that cites nothing is ordinary text."""
        loc = self.loc
        i = 0
        while i < len(body) and _authority_line(body[i]) and i < 3:
            i += 1
        loc.authority = body[:i]
        # the first run of căn cứ lines among the opening paragraphs ("Thực hiện Công văn …" may precede it)
        start = next((k for k in range(i, min(i + 3, len(body))) if is_basis(norm(body[k].text))), None)
        if start is not None:
            end = start
            while end < len(body) and L.basis_lead(norm(body[end].text)):
                end += 1
            if not norm(body[end - 1].text).endswith(":"):  # "…, có ý kiến như sau:" opens the body instead
                loc.basis = body[start:end]
        loc.claim(*loc.authority)
        loc.body = [p for p in body if p not in loc.authority]


bare = L.bare
is_quoc_hieu = L.quoc_hieu


def _opens_body(text: str) -> bool:
    t = fold(text)
    return any(t.startswith(fold(w) + " ") or t == fold(w) for w in law.specs.body_types())


def _title_like(p: Paragraph) -> bool:
    """A short caps centred line standing alone: how a tên loại looks."""
    shown = display(p)
    return is_caps(shown) and 1 <= len(shown.split()) <= 8 and (p.align == "center" or p.text[:2].isspace())


def drawn_line(p: Paragraph) -> bool:
    return any(r.shape == "line" for r in p.runs)


def is_basis(text: str) -> bool:
    return L.basis_lead(text) is not None and bool(_CITES.search(text))


def _authority_line(p: Paragraph) -> bool:
    runs = p.visible_runs()
    return bool(runs) and is_caps(display(p)) and all(r.props.bold for r in runs) and p.align == "center"
