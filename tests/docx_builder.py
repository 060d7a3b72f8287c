"""Build an ND30-correct công văn or kế hoạch by hand with python-docx; keyword options inject one mistake.

Independent of vn_congvan's renderer on purpose: the checker must accept documents made another way.
"""

from __future__ import annotations

from pathlib import Path

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt, Twips

CENTER = WD_ALIGN_PARAGRAPH.CENTER
JUSTIFY = WD_ALIGN_PARAGRAPH.JUSTIFY
LEFT = WD_ALIGN_PARAGRAPH.LEFT


def _fonts(rpr: object, name: str) -> None:
    rfonts = rpr.find(qn("w:rFonts"))  # type: ignore[attr-defined]
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)  # type: ignore[attr-defined]
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        rfonts.set(qn(attr), name)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme", "w:eastAsiaTheme"):
        if rfonts.get(qn(attr)) is not None:
            del rfonts.attrib[qn(attr)]


def _par(
    container,
    text: str = "",
    *,
    size: float = 14,
    bold: bool = False,
    italic: bool = False,
    align=CENTER,
    before: int = 0,
    after: int = 0,
    first_line: int | None = None,
    font: str | None = None,
):
    p = container.add_paragraph()
    pf = p.paragraph_format
    pf.alignment = align
    pf.space_before = Twips(before)
    pf.space_after = Twips(after)
    pf.line_spacing = 1.0 if first_line is None else 1.15
    if first_line is not None:
        pf.first_line_indent = Twips(first_line)
    if text:
        r = p.add_run(text)
        r.font.size = Pt(size)
        r.bold = bold
        r.italic = italic
        if font:
            _fonts(r._r.get_or_add_rPr(), font)
    return p


def _bottom_border(p, left: int, right: int) -> None:
    p.paragraph_format.left_indent = Twips(left)
    p.paragraph_format.right_indent = Twips(right)
    ppr = p._p.get_or_add_pPr()
    bdr = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for k, v in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "auto")):
        bottom.set(qn(k), v)
    bdr.append(bottom)
    # pBdr must come before spacing/ind/jc in pPr
    ppr.insert(0, bdr) if ppr.find(qn("w:pStyle")) is None else ppr.insert(1, bdr)


def _line_under(cell, text_width_tw: float, ratio: float, cell_width: int) -> None:
    avail = cell_width - 216
    length = text_width_tw * ratio
    side = int(max(0, (avail - length) / 2))
    p = _par(cell, size=6)
    _bottom_border(p, side, side)


def _grid(table, widths: list[int]) -> None:
    tbl = table._tbl
    grid = tbl.tblGrid
    for gc, w in zip(grid.findall(qn("w:gridCol")), widths, strict=True):
        gc.set(qn("w:w"), str(w))
    for row in table.rows:
        for cell, w in zip(row.cells, widths, strict=True):
            cell.width = Twips(w)
    # start with an empty cell: python-docx puts one empty paragraph in each cell
    for row in table.rows:
        for cell in row.cells:
            cell._tc.remove(cell.paragraphs[0]._p)


def _page_field(p) -> None:
    r = p.add_run()
    r.font.size = Pt(14)
    for kind, instr in (("begin", None), (None, " PAGE "), ("separate", None), (None, None), ("end", None)):
        if kind:
            fc = OxmlElement("w:fldChar")
            fc.set(qn("w:fldCharType"), kind)
            r._r.append(fc)
        elif instr:
            it = OxmlElement("w:instrText")
            it.set(qn("xml:space"), "preserve")
            it.text = instr
            r._r.append(it)
        else:
            t = OxmlElement("w:t")
            t.text = "2"
            r._r.append(t)


def build(
    path: Path,
    *,
    kind: str = "ke_hoach",  # "ke_hoach" or "cong_van"
    font: str = "Times New Roman",
    body_font: str | None = None,  # a different font in one body paragraph only
    so: str | None = None,
    date: str = "Thái Nguyên, ngày 05 tháng 3 năm 2026",
    tieu_ngu: str = "Độc lập - Tự do - Hạnh phúc",
    issuer: tuple[str, ...] = ("ỦY BAN NHÂN DÂN", "TỈNH THÁI NGUYÊN"),
    margins_mm: tuple[float, float, float, float] = (20, 20, 30, 15),  # top, bottom, left, right
    noi_nhan: bool = True,
    noi_nhan_bold_italic: bool = True,
    kinh_gui_bold: bool = False,
    title_pg: bool = True,
    page_in_first_header: bool = False,
    page_in_footer: bool = False,
    body_extra: str | None = None,
    paragraphs: int = 14,
    body_first_line: int = 567,
    body_align: object = JUSTIFY,
) -> Path:
    d = docx.Document()
    # Times New Roman for every slot in docDefaults and the Normal style
    styles = d.styles.element
    _fonts(styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr")), font)
    normal = d.styles["Normal"]
    _fonts(normal.element.get_or_add_rPr(), font)
    normal.font.size = Pt(14)
    d.core_properties.author = "Văn thư"

    sec = d.sections[0]
    sec.page_width, sec.page_height = Twips(11906), Twips(16838)
    top, bottom, left, right = (round(m * 56.7) for m in margins_mm)
    sec.top_margin, sec.bottom_margin = Twips(top), Twips(bottom)
    sec.left_margin, sec.right_margin = Twips(left), Twips(right)
    sec.header_distance = Twips(567)
    sec.different_first_page_header_footer = title_pg
    hp = sec.header.paragraphs[0]
    hp.alignment = CENTER
    _page_field(hp)
    if page_in_first_header:
        fp = sec.first_page_header.paragraphs[0]
        fp.alignment = CENTER
        _page_field(fp)
    if page_in_footer:
        fp = sec.footer.paragraphs[0]
        fp.alignment = CENTER
        _page_field(fp)

    text_width = 11906 - left - right
    lw, rw = 3686, text_width - 3686
    cong_van = kind == "cong_van"
    if so is None:
        so = "Số: 144/UBND-VX" if cong_van else "Số: 144/KH-UBND"

    # header table
    ht = d.add_table(rows=1, cols=2)
    _grid(ht, [lw, rw])
    lc, rc = ht.rows[0].cells
    for line in issuer:
        _par(lc, line, size=12, bold=True)
    from vn_congvan.metrics import text_width as tw

    _line_under(lc, tw(issuer[-1], 12, True) * 20, 0.42, lw)
    _par(lc, so, size=13, before=60)
    if cong_van:
        _par(lc, "V/v tổ chức Tuần lễ hưởng ứng học tập suốt đời năm 2026", size=12, before=120)
    _par(rc, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", size=12, bold=True)
    _par(rc, tieu_ngu, size=13, bold=True)
    _line_under(rc, tw("Độc lập - Tự do - Hạnh phúc", 13, True) * 20, 1.0, rw)
    _par(rc, date, size=13, italic=True, before=60)

    if not cong_van:
        _par(d, "KẾ HOẠCH", size=14, bold=True, before=240)
        trich_yeu = "Tổ chức Tuần lễ hưởng ứng học tập suốt đời năm 2026"
        _par(d, trich_yeu, size=14, bold=True)
        p = _par(d, size=6)
        side = int((text_width - tw(trich_yeu, 14, True) * 20 * 0.42) / 2)
        _bottom_border(p, side, side)
    else:
        _par(d, "Kính gửi:", size=14, bold=kinh_gui_bold, align=LEFT, before=240).paragraph_format.left_indent = Twips(
            1985
        )
        for i, r in enumerate(["Ủy ban nhân dân các huyện, thành phố;", "Sở Giáo dục và Đào tạo."]):
            q = _par(d, "- " + r, size=14, align=LEFT, after=0 if i == 0 else 120)
            q.paragraph_format.left_indent = Twips(2552)

    sentences = [
        "Thực hiện Công văn số 4342/BGDĐT-GDTX ngày 07/9/2026 của Bộ Giáo dục và Đào tạo, "
        "Ủy ban nhân dân tỉnh ban hành kế hoạch với nội dung như sau:",
    ] + [
        f"Nội dung thứ {i + 1}: tiếp tục đẩy mạnh phong trào học tập sâu rộng trong các tầng lớp Nhân dân, "
        "nâng cao nhận thức của người dân về vai trò của học tập suốt đời; tăng cường trách nhiệm của các cấp."
        for i in range(paragraphs)
    ]
    if body_extra:
        sentences.append(body_extra)
    sentences.append("Trên đây là kế hoạch triển khai, đề nghị các đơn vị thực hiện./.")
    for i, s in enumerate(sentences):
        _par(
            d, s, size=14, align=body_align, before=120, first_line=body_first_line, font=body_font if i == 2 else None
        )

    # signature table
    st = d.add_table(rows=1, cols=2)
    _grid(st, [4820, text_width - 4820])
    nl, sr = st.rows[0].cells
    if noi_nhan:
        _par(nl, "Nơi nhận:", size=12, bold=noi_nhan_bold_italic, italic=noi_nhan_bold_italic, align=LEFT, before=120)
        items = ["- Như trên;"] if cong_van else []
        items += ["- Bộ Giáo dục và Đào tạo;", "- Chủ tịch, các PCT UBND tỉnh;", "- Lưu: VT, VX."]
        for it in items:
            _par(nl, it, size=11, align=LEFT)
    _par(sr, "TM. ỦY BAN NHÂN DÂN", size=14, bold=True, before=120)
    _par(sr, "KT. CHỦ TỊCH", size=14, bold=True)
    _par(sr, "PHÓ CHỦ TỊCH", size=14, bold=True)
    for _ in range(4):
        _par(sr, size=14)
    _par(sr, "Nguyễn Văn An", size=14, bold=True)

    d.save(str(path))
    return path
