"""The document-class gate: before the administrative rules run, decide what the file is. NĐ 30 governs
văn bản hành chính (and a phụ lục in its own file); a legal normative document follows NĐ 34/2016, a Party
document HD 36-HD/VPTW, a bản sao its own Mẫu 3.1; other files are not administrative documents at all."""

from __future__ import annotations

from functools import cache

from .. import law
from ..law import lines as L
from ..ooxml import Paragraph
from .locate import Located
from .report import DocClass
from .text import display, fold, norm

_PARTY = "đảng cộng sản việt nam"


@cache
def _normative() -> frozenset[str]:
    """The tên loại of legal normative documents, folded."""
    return frozenset(fold(n) for n in law.specs.normative_names())


def _copy_mark(p: Paragraph) -> bool:
    """'SAO Y', 'SAO LỤC', 'TRÍCH SAO' opening the line as the page shows it."""
    return bool(p.text.strip() and L.COPY_MARK.match(display(p)))


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
    top = [p for p in d.paras[:60] if p.text.strip()]
    shown = [display(p) for p in top]  # display is in normal form
    if any(fold(t) == _PARTY for t in shown[:15]):
        return DocClass("dang", 0.95, "có dòng 'ĐẢNG CỘNG SẢN VIỆT NAM' ở phần đầu: thể thức văn bản của Đảng")
    first = next((t for t, p in zip(shown, top, strict=True) if p.cell is None), "")
    if (L.PHU_LUC.match(first) or fold(first).startswith("phụ lục")) and (d.qh is None or d.qh is not top[0]):
        before_qh = d.qh is None or d.pos[id(d.qh)] > d.pos[id(top[0])]
        kem = any(L.KEM_THEO.match(t) or t.startswith("(Kèm theo") for t in shown[:8])
        if before_qh and kem:
            why = f"tệp mở đầu bằng '{first[:40]}' và '(Kèm theo …)': phụ lục của văn bản khác"
            parent = " ".join(shown[:8]).lower()
            if any(f"kèm theo {n.lower()} số" in parent for n in law.specs.normative_names()):
                why += "; văn bản chính là văn bản quy phạm pháp luật, NĐ 30 không điều chỉnh"
                return DocClass("phu_luc_rieng", 0.85, why, applies=False)
            return DocClass("phu_luc_rieng", 0.9, why)
    kem = next((t for t in shown[:25] if L.KEM_THEO.match(t)), None)
    if kem and d.qh is not None and d.tl is not None and d.so is None and not d.signer and d.nn is None:
        name = norm(display(d.tl))
        why = f"tên loại '{name[:30]}' và '{kem[:40]}', không số, ký hiệu, người ký: văn bản kèm theo trong tệp riêng"
        return DocClass("phu_luc_rieng", 0.85, why + " (Mẫu 1.3, văn bản điện tử)")
    normative = _normative()
    so = L.SO.read(norm(d.so.text)) if d.so is not None else None
    if so is not None and L.YEAR_NUMBER.match(f"{so.number}/{so.code.strip()}"):
        return DocClass("qppl", 0.9, f"số, ký hiệu có năm ban hành '{norm(d.so.text)}' (NĐ 34/2016)")
    for t in shown[:40]:
        if fold(t) in normative:
            return DocClass("qppl", 0.85, f"tên loại '{t}' là văn bản quy phạm pháp luật")
    copy_codes = set(law.specs.copy_codes().values())
    if any(p.once(_copy_mark) for p in d.paras) or (so is not None and so.symbol.split("-")[0] in copy_codes):
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
