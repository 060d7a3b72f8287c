"""The document-class gate: before the administrative rules run, decide what the file is. NĐ 30 governs
văn bản hành chính (and a phụ lục in its own file); a legal normative document follows NĐ 34/2016, a Party
document HD 36-HD/VPTW, a bản sao its own Mẫu 3.1; other files are not administrative documents at all."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

from .. import law
from ..law import lines as L
from ..law.find import Line, folded
from ..ooxml import Paragraph
from .locate import Located
from .report import DocClass
from .text import display, norm

_PARTY = "đảng cộng sản việt nam"


def classify(d: Located) -> DocClass:
    found = _classify(d)
    first = d.doc.sections[0].headers.get("first") if d.doc.sections else None
    box = next((t for p in (first.paragraphs() if first else []) if L.KY_SO.match(t := norm(p.text))), "")
    if found.key == "hanh_chinh" and L.COPY_MARK.match(box):  # the copy is the văn bản as it is: its rules
        return DocClass(
            found.key, found.confidence, f"bản sao điện tử (Mẫu 3.2) '{box[:40]}'; {found.reason}", copy=True
        )
    return found


def _classify(d: Located) -> DocClass:
    assert d.found is not None, "Located is made by locate()"
    lines = _texts(d.found.lines[:60])  # the finder's, with what their text says
    seen = [x.shown_facts for x in lines]  # of the text as the page shows it (display)
    if any(len(f.raw) <= len(_PARTY) and f.fold == _PARTY for f in seen[:15]):  # (a fold is no shorter)
        return DocClass("dang", 0.95, "có dòng 'ĐẢNG CỘNG SẢN VIỆT NAM' ở phần đầu: thể thức văn bản của Đảng")
    head = next((f for f, x in zip(seen, lines, strict=True) if x.slot is None), None)
    first = head.raw if head is not None else ""
    top: Paragraph | None = lines[0].p if lines else None  # type: ignore[attr-defined]
    if head is not None and (L.PHU_LUC.match(first) or head.fold.startswith("phụ lục")) and d.qh is not top:
        before_qh = d.qh is None or d.pos[id(d.qh)] > d.pos[id(top)]
        shown = [f.raw for f in seen[:8]]
        kem = any(L.KEM_THEO.match(t) or t.startswith("(Kèm theo") for t in shown)
        if before_qh and kem:
            why = f"tệp mở đầu bằng '{first[:40]}' và '(Kèm theo …)': phụ lục của văn bản khác"
            parent = " ".join(shown).lower()
            if any(f"kèm theo {n.lower()} số" in parent for n in law.specs.normative_names()):
                why += "; văn bản chính là văn bản quy phạm pháp luật, NĐ 30 không điều chỉnh"
                return DocClass("phu_luc_rieng", 0.85, why, applies=False)
            return DocClass("phu_luc_rieng", 0.9, why)
    kem = next((f.raw for f in seen[:25] if f.kem_theo), None)
    if kem and d.qh is not None and d.tl is not None and d.so is None and not d.signer and d.nn is None:
        name = norm(display(d.tl))
        why = f"tên loại '{name[:30]}' và '{kem[:40]}', không số, ký hiệu, người ký: văn bản kèm theo trong tệp riêng"
        return DocClass("phu_luc_rieng", 0.85, why + " (Mẫu 1.3, văn bản điện tử)")
    normative, longest, copy_codes = _names()
    so = d.found.so.facts.so if d.found.so is not None else None  # the finder's line for d.so
    if so is not None and L.YEAR_NUMBER.match(f"{so.number}/{so.code.strip()}"):
        return DocClass("qppl", 0.9, f"số, ký hiệu có năm ban hành '{norm(d.so.text)}' (NĐ 34/2016)")
    for f in seen[:40]:
        if len(f.raw) <= longest and f.fold in normative:
            return DocClass("qppl", 0.85, f"tên loại '{f.raw}' là văn bản quy phạm pháp luật")
    # 'SAO Y', 'SAO LỤC', 'TRÍCH SAO' opening a line as the page shows it
    coded = so is not None and so.symbol.split("-")[0] in copy_codes
    if coded or any(x.shown_facts.copy_mark for x in d.found.lines):
        return DocClass("ban_sao", 0.85, "có dấu hiệu bản sao (SAO Y, SAO LỤC, TRÍCH SAO)")
    other = d.other_tl is not None and (d.kind is None or (d.kind.is_cong_van and d.vv is None))
    if d.qh is not None and other:
        name = norm(display(d.other_tl))  # type: ignore[arg-type]
        return DocClass("khac", 0.7, f"tên loại '{name[:40]}' không thuộc Điều 7 (văn bản chuyên ngành hoặc nội bộ)")
    if d.qh is not None and (d.so is not None or d.date is not None or d.kind is not None):
        if d.kind is not None:
            return DocClass("hanh_chinh", 0.95, f"có Quốc hiệu, tên loại '{d.kind.name}'")
        return DocClass("hanh_chinh", 0.75, "có Quốc hiệu và số/ngày tháng, tên loại không có trong Phụ lục III")
    if d.so is not None and d.date is not None:
        return DocClass("hanh_chinh", 0.6, "có số, ký hiệu và ngày tháng nhưng không thấy Quốc hiệu")
    return DocClass("khac", 0.7, "không có Quốc hiệu, số, ký hiệu của văn bản hành chính")


@cache
def _names() -> tuple[frozenset[str], int, frozenset[str]]:
    """The normative tên loại folded and the longest's length (a longer line is none of them: its fold is no
    shorter), and the bản sao codes: the data's, worked out once."""
    normative = folded(tuple(law.specs.normative_names()))
    return normative, max(map(len, normative), default=0), frozenset(law.specs.copy_codes().values())


def _texts(lines: Sequence[Line]) -> list[Line]:
    """The lines with text (a blank line's facts say nothing)."""
    return [x for x in lines if not x.facts.blank]
