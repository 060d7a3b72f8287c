"""Build the Word templates in templates/ from vn_congvan/data/nd30.yaml.

    python scripts/build_templates.py

The .docx files are committed so users can open and adjust them in Word or LibreOffice (every
format is a named paragraph style: "VB Nội dung", "VB Quốc hiệu", …); this script is how they are
made, so a diff of it shows what changed. Tags are docxtpl's: {{ x }}, {%p … %}, {{p x }}.
Output is byte-reproducible (fixed zip timestamps, sorted parts).
"""

from __future__ import annotations

import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from vn_congvan import compose, rules, wml  # noqa: E402
from vn_congvan.metrics import text_width  # noqa: E402
from vn_congvan.render import APP  # noqa: E402

ND = rules.nd30()
W_NS = (
    'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
)
FONT = ND["font"]["name"]
MARGINS = {side: values[2] for side, values in ND["page"]["margins"].items()}
TEXT_WIDTH = ND["page"]["width"] - MARGINS["left"] - MARGINS["right"]
SIG_LEFT, SIG_RIGHT = ND["signature_table"]["left"], ND["signature_table"]["right"]
CELL_MARGINS = 2 * 108
KEEP = "<w:keepNext/><w:keepLines/>"
BODY = ND["body"]


def pt(element: str) -> float:
    return rules.element(element)["default"] / 2


# ---------------------------------------------------------------- styles


def style(
    sid: str,
    name: str,
    element: str | None = None,
    *,
    jc: str | None = None,
    before: int = 0,
    after: int = 0,
    line: int = 240,
    ind: str = "",
    extra_ppr: str = "",
    bold: bool | None = None,
    italic: bool | None = None,
    size: int | None = None,
    based_on: str = "Normal",
    line_rule: str = "auto",
) -> str:
    spec = rules.element(element) if element else {}
    sz = size or spec.get("default")
    b = spec.get("bold", False) if bold is None else bold
    i = spec.get("italic", False) if italic is None else italic
    jc = jc or spec.get("align")
    ppr = f'<w:spacing w:before="{before}" w:after="{after}" w:line="{line}" w:lineRule="{line_rule}"/>'
    ppr += ind
    if jc:
        ppr += f'<w:jc w:val="{jc}"/>'
    rpr = "<w:b/><w:bCs/>" if b else '<w:b w:val="0"/><w:bCs w:val="0"/>'
    rpr += "<w:i/><w:iCs/>" if i else '<w:i w:val="0"/><w:iCs w:val="0"/>'
    if sz:
        rpr += f'<w:sz w:val="{sz}"/><w:szCs w:val="{sz}"/>'
    return (
        f'<w:style w:type="paragraph" w:customStyle="1" w:styleId="{sid}"><w:name w:val="{name}"/>'
        f'<w:basedOn w:val="{based_on}"/><w:qFormat/><w:pPr>{extra_ppr}{ppr}</w:pPr><w:rPr>{rpr}</w:rPr></w:style>'
    )


def kinh_gui_indents() -> tuple[str, str]:
    """Mẫu 1.5: "Kính gửi:" starts ≈35 mm in; recipients' dashes stand under its colon (compose breaks
    their lines against the same indents)."""
    start, label, item = compose.kinh_gui_indents()
    dash = round(text_width("- ", pt("kinh_gui")) * 20)
    head = f'<w:ind w:left="{start + label}" w:hanging="{label}"/>'
    return head, f'<w:ind w:left="{start + item}" w:hanging="{dash}"/>'


def styles_xml() -> str:
    first = BODY["first_line_indent"]["default"]
    body_ind = f'<w:ind w:firstLine="{first}"/>'
    body = {"before": BODY["spacing_before"], "after": BODY["spacing_after"], "line": BODY["line_default"]}
    kg_head, kg_item = kinh_gui_indents()
    cell_spacing = {"before": ND["table"]["cell_spacing"], "after": ND["table"]["cell_spacing"]}
    rule_border = '<w:pBdr><w:bottom w:val="single" w:sz="6" w:space="1" w:color="000000"/></w:pBdr>'
    defs = [
        style("VBChuQuan", "VB Chủ quản", "chu_quan"),
        style("VBCoQuan", "VB Cơ quan ban hành", "co_quan"),
        style("VBGach", "VB Đường kẻ", None, jc="left", size=4, extra_ppr=KEEP + rule_border),
        style("VBSo", "VB Số ký hiệu", "so_ky_hieu", before=60),
        style("VBVv", "VB Trích yếu công văn", "vv", before=rules.element("vv")["space_before"]),
        style("VBQuocHieu", "VB Quốc hiệu", "quoc_hieu"),
        style("VBTieuNgu", "VB Tiêu ngữ", "tieu_ngu"),
        style("VBDiaDanh", "VB Địa danh ngày tháng", "dia_danh", before=60),
        # Pagination: tên loại, trích yếu and Kính gửi stay with the body's first lines (keep with next,
        # lines together); the signature block is one row that cannot split (signature_table).
        style("VBTenLoai", "VB Tên loại", "ten_loai", before=360, extra_ppr=KEEP),
        style("VBTrichYeu", "VB Trích yếu", "trich_yeu", extra_ppr=KEEP),
        style("VBKinhGui", "VB Kính gửi", "kinh_gui", jc="left", before=120, ind=kg_head, extra_ppr=KEEP),
        style("VBKinhGuiMuc", "VB Kính gửi mục", "kinh_gui", jc="left", ind=kg_item, extra_ppr=KEEP),
        style("VBNoiDung", "VB Nội dung", "noi_dung", ind=body_ind, **body),
        style("VBDeMuc", "VB Đề mục", "noi_dung", bold=True, ind=body_ind, extra_ppr="<w:keepNext/>", **body),
        style("VBCanCu", "VB Căn cứ", "can_cu", ind=body_ind, **body),
        # Mẫu 1.1–1.3: the thẩm quyền ban hành line over the căn cứ, "QUYẾT ĐỊNH:" under them; Chương/Mục
        # on a centred line with the title in capitals under it (§9).
        style("VBThamQuyen", "VB Thẩm quyền ban hành", "tham_quyen", before=240, after=120, extra_ppr=KEEP),
        style("VBBanHanh", "VB Quyết định", "ban_hanh", before=120, after=120, extra_ppr=KEEP),
        style("VBChuong", "VB Chương", "chuong", before=240, extra_ppr=KEEP),
        style("VBChuongTen", "VB Tên chương", "chuong_ten", after=120, extra_ppr=KEEP),
        style("VBNoiNhanLabel", "VB Nơi nhận", "noi_nhan_label", before=240, extra_ppr=KEEP),
        style("VBNoiNhan", "VB Nơi nhận mục", "noi_nhan"),
        style("VBKyHieuSoan", "VB Người soạn thảo", "ky_hieu_soan", before=120),
        style("VBChucVu", "VB Chức vụ người ký", "chuc_vu", before=0, extra_ppr=KEEP),
        style("VBHoTen", "VB Họ tên người ký", "ho_ten"),
        style("VBSoTrang", "VB Số trang", "so_trang"),
        # The agency's ký số box (PL I II.8.b; Mẫu 1.3 điện tử, 2.2, 3.2): the first page's header, top right.
        style("VBKySo", "VB Chữ ký số cơ quan", "ky_so"),
        # The paragraph Word requires after the last table: 1 pt high, so it never spills onto a page
        # of its own when the signature block ends at the foot of a page.
        style("VBCuoi", "VB Cuối văn bản", None, size=2, line=20, extra_ppr="", line_rule="exact"),
        # Phụ lục (§12): heading stack, then content styled like the body but under its own names, so
        # the main text (which ends with "./.") and the attachments stay distinguishable.
        style("VBPhuLucSo", "VB Phụ lục số", "phu_luc_so", extra_ppr="<w:keepNext/>"),
        style("VBPhuLucTen", "VB Phụ lục tên", "phu_luc_ten", extra_ppr="<w:keepNext/>"),
        style("VBPhuLucKem", "VB Phụ lục kèm theo", "phu_luc_kem", extra_ppr="<w:keepNext/>"),
        style("VBPLNoiDung", "VB Phụ lục nội dung", "noi_dung", ind=body_ind, **body),
        style("VBPLDeMuc", "VB Phụ lục đề mục", "noi_dung", bold=True, ind=body_ind, extra_ppr="<w:keepNext/>", **body),
        # Table cells (nd30.yaml `bang`): small spacing, single line; header cells bold and centred.
        style("VBBang", "VB Bảng", "bang", jc="left", **cell_spacing),
        style("VBBangGiua", "VB Bảng canh giữa", "bang", jc="center", **cell_spacing),
        style("VBBangPhai", "VB Bảng canh phải", "bang", jc="right", **cell_spacing),
        style("VBBangTieuDe", "VB Bảng tiêu đề", "bang_tieu_de", **cell_spacing),
    ]
    fonts = f'w:ascii="{FONT}" w:hAnsi="{FONT}" w:cs="{FONT}" w:eastAsia="{FONT}"'
    body_sz = rules.element("noi_dung")["default"]
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:styles {W_NS}>'
        f'<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts {fonts}/><w:color w:val="000000"/>'
        f'<w:sz w:val="{body_sz}"/><w:szCs w:val="{body_sz}"/><w:lang w:val="vi-VN" w:eastAsia="vi-VN" w:bidi="ar-SA"/>'
        '</w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/>'
        "</w:pPr></w:pPrDefault></w:docDefaults>"
        '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/></w:style>'
        '<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont">'
        '<w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/><w:semiHidden/></w:style>'
        '<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/>'
        '<w:semiHidden/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/>'
        '<w:left w:w="108" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/>'
        "</w:tblCellMar></w:tblPr></w:style>"
        f"{''.join(defs)}</w:styles>"
    )


# ---------------------------------------------------------------- body


def p(style_id: str, text: str = "", ind: tuple[int, int] | None = None) -> str:
    return str(wml.paragraph(style_id, [wml.Run(text)] if text else [], ind=ind))


def wrapped(var: str) -> str:
    """The paragraph of the compose.Line `var`, built by compose with its style and the indents that make
    it wrap where compose chose (a paragraph-level tag keeps the template valid Word XML)."""
    return tag(f"{{{{p {var}.p }}}}")


def tag(text: str) -> str:
    """A paragraph holding only a docxtpl tag; its style does not matter, docxtpl removes it."""
    return p("Normal", text)


def loop(var: str, items: str) -> str:
    return tag(f"{{%p for {var} in {items} %}}") + wrapped(var) + tag("{%p endfor %}")


def cell(width: int, content: str) -> str:
    return f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/></w:tcPr>{content}</w:tc>'


def table(widths: tuple[int, int], rows: list[tuple[str, str]]) -> str:
    borders = "".join(f'<w:{side} w:val="nil"/>' for side in ("top", "left", "bottom", "right", "insideH", "insideV"))
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
    # A row never splits across pages: the signature block (Nơi nhận | chức vụ … họ tên) stays whole.
    row = "<w:tr><w:trPr><w:cantSplit/></w:trPr>"
    body = "".join(f"{row}{cell(widths[0], a)}{cell(widths[1], b)}</w:tr>" for a, b in rows)
    return (
        f'<w:tbl><w:tblPr><w:tblW w:w="{sum(widths)}" w:type="dxa"/><w:jc w:val="center"/>'
        f'<w:tblBorders>{borders}</w:tblBorders><w:tblLayout w:type="fixed"/>'
        f'<w:tblLook w:val="0000"/></w:tblPr><w:tblGrid>{grid}</w:tblGrid>{body}</w:tbl>'
    )


def tieu_ngu_rule(right: int) -> tuple[int, int]:
    box = right - CELL_MARGINS
    length = text_width(ND["tieu_ngu"], pt("tieu_ngu"), bold=True) * 20 * ND["lines"]["tieu_ngu"]["default"]
    side = round((box - length) / 2)
    return side, side


def header_table(layout: str, level: str | None) -> str:
    left, right = rules.header_table(level)
    left_top = loop("line", "parent_lines") + loop("line", "issuer_lines") + tag("{{p issuer_rule }}")
    motto_line = p("VBGach", ind=tieu_ngu_rule(right))
    right_top = p("VBQuocHieu", ND["quoc_hieu"]) + p("VBTieuNgu", ND["tieu_ngu"]) + motto_line
    left_bottom = p("VBSo", "{{ number_line }}")
    if layout == "cong_van":
        left_bottom += wrapped("vv")
    return table((left, right), [(left_top, right_top), (left_bottom, wrapped("date_line"))])


def kinh_gui() -> str:
    return (
        tag("{%p if recipients|length == 1 %}")
        + wrapped("recipients[0]")
        + tag("{%p elif recipients %}")
        + p("VBKinhGui", "{{ kinh_gui_label }}")  # "Kính gửi:"; a công điện's "… điện:" (Mẫu 1.6)
        + loop("r", "recipients")
        + tag("{%p endif %}")
    )


def signature_table() -> str:
    left = (
        p("VBNoiNhanLabel", "Nơi nhận:")
        + loop("line", "distribution")
        + tag("{%p if drafter_mark %}")
        + p("VBKyHieuSoan", "{{ drafter_mark }}")
        + tag("{%p endif %}")
    )
    right = (
        p("VBChucVu", "")  # level with "Nơi nhận:", whose style has space before
        + loop("line", "signer_lines")
        + "".join(p("VBChucVu") for _ in range(4))  # room for the signature and seal (ô 7c, 8)
        + tag("{%p if signer_other_title %}")
        + wrapped("signer_other_title")
        + tag("{%p endif %}")
        + p("VBHoTen", "{{ signer_name }}")
    )
    return table((SIG_LEFT, SIG_RIGHT), [(left, right)])


def sect_pr() -> str:
    m = MARGINS
    return (
        '<w:sectPr><w:headerReference w:type="default" r:id="rIdHeaderDefault"/>'
        '<w:headerReference w:type="first" r:id="rIdHeaderFirst"/>'
        f'<w:pgSz w:w="{ND["page"]["width"]}" w:h="{ND["page"]["height"]}"/>'
        f'<w:pgMar w:top="{m["top"]}" w:right="{m["right"]}" w:bottom="{m["bottom"]}" w:left="{m["left"]}" '
        f'w:header="{ND["page"]["header_distance"]}" w:footer="567" w:gutter="0"/>'
        '<w:pgNumType w:start="1"/><w:titlePg/></w:sectPr>'
    )


def separate_file_xml() -> str:
    """A file signed apart from its văn bản (Mẫu 1.3 điện tử, 2.2): compose builds all of it (the văn bản's
    header, or the phụ lục's heading stack, and the content); its ký số box is in the first page's header."""
    parts = [tag("{%p for b in blocks %}"), tag("{{p b }}"), tag("{%p endfor %}"), p("VBCuoi")]
    parts += [tag("{%p for b in appendix_blocks %}"), tag("{{p b }}"), tag("{%p endfor %}")]  # none: its blocks
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document {W_NS}><w:body>'
        f"{''.join(parts)}{sect_pr()}</w:body></w:document>"
    )


def document_xml(layout: str, level: str | None = None) -> str:
    if layout == "tep_rieng":
        return separate_file_xml()
    parts = [header_table(layout, level)]
    if layout != "cong_van":
        parts += [p("VBTenLoai", "{{ kind_name }}"), wrapped("title"), tag("{{p title_rule }}")]
    parts += [
        kinh_gui(),
        tag("{%p for b in blocks %}"),
        tag("{{p b }}"),
        tag("{%p endfor %}"),
        # Several signers side by side (biên bản, liên tịch): compose puts them, with Nơi nhận, in `blocks`.
        tag("{%p if not several_signers %}"),
        signature_table(),
        tag("{%p endif %}"),
        p("VBCuoi"),
        # Phụ lục: each opens with the section break that closes the part before it (see compose).
        tag("{%p for b in appendix_blocks %}"),
        tag("{{p b }}"),
        tag("{%p endfor %}"),
    ]
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document {W_NS}><w:body>'
        f"{''.join(parts)}{sect_pr()}</w:body></w:document>"
    )


def header_xml(with_page_number: bool) -> str:
    content = (
        '<w:p><w:pPr><w:pStyle w:val="VBSoTrang"/></w:pPr><w:fldSimple w:instr=" PAGE ">'
        "<w:r><w:t>2</w:t></w:r></w:fldSimple></w:p>"
        if with_page_number
        else p("VBKySo", "{{ ky_so }}")  # page 1 has no number; an agency's ký số box, when signed apart
    )
    return f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:hdr {W_NS}>{content}</w:hdr>'


# ---------------------------------------------------------------- package

CT = "application/vnd.openxmlformats-officedocument"
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    f'<Override PartName="/word/document.xml" ContentType="{CT}.wordprocessingml.document.main+xml"/>'
    f'<Override PartName="/word/styles.xml" ContentType="{CT}.wordprocessingml.styles+xml"/>'
    f'<Override PartName="/word/settings.xml" ContentType="{CT}.wordprocessingml.settings+xml"/>'
    f'<Override PartName="/word/header1.xml" ContentType="{CT}.wordprocessingml.header+xml"/>'
    f'<Override PartName="/word/header2.xml" ContentType="{CT}.wordprocessingml.header+xml"/>'
    '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
    f'<Override PartName="/docProps/app.xml" ContentType="{CT}.extended-properties+xml"/>'
    "</Types>"
)
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    f'<Relationship Id="rId1" Type="{REL}/officeDocument" Target="word/document.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/'
    'core-properties" Target="docProps/core.xml"/>'
    f'<Relationship Id="rId3" Type="{REL}/extended-properties" Target="docProps/app.xml"/>'
    "</Relationships>"
)
DOC_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    f'<Relationship Id="rIdStyles" Type="{REL}/styles" Target="styles.xml"/>'
    f'<Relationship Id="rIdSettings" Type="{REL}/settings" Target="settings.xml"/>'
    f'<Relationship Id="rIdHeaderDefault" Type="{REL}/header" Target="header1.xml"/>'
    f'<Relationship Id="rIdHeaderFirst" Type="{REL}/header" Target="header2.xml"/>'
    "</Relationships>"
)
SETTINGS = (
    f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:settings {W_NS}>'
    '<w:defaultTabStop w:val="720"/><w:characterSpacingControl w:val="doNotCompress"/>'
    '<w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" '
    'w:val="15"/></w:compat></w:settings>'
)
# Core and app properties are written per document by the renderer (title, author = issuer).
CORE = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:title>Mẫu văn bản</dc:title>'
    "<dc:creator>vn_congvan</dc:creator></cp:coreProperties>"
)


def write_docx(path: Path, parts: dict[str, str]) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name in sorted(parts, key=lambda n: (n != "[Content_Types].xml", n)):
            info = zipfile.ZipInfo(name, date_time=(2020, 3, 5, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, parts[name].encode("utf-8"))


def build(layout: str, level: str | None = None) -> dict[str, str]:
    return {
        "[Content_Types].xml": CONTENT_TYPES,
        "_rels/.rels": ROOT_RELS,
        "word/_rels/document.xml.rels": DOC_RELS,
        "word/document.xml": document_xml(layout, level),
        "word/styles.xml": styles_xml(),
        "word/settings.xml": SETTINGS,
        "word/header1.xml": header_xml(True),
        "word/header2.xml": header_xml(False),
        "docProps/core.xml": CORE,
        "docProps/app.xml": APP,
    }


def main() -> None:
    out = ROOT / "templates"
    out.mkdir(exist_ok=True)
    for layout in ("co_ten_loai", "cong_van"):
        write_docx(out / f"{layout}.docx", build(layout))
        for level in ND["header_table"].get("by_level", {}):
            write_docx(out / f"{layout}.{level}.docx", build(layout, level))
        print(out / f"{layout}.docx")
    write_docx(out / "tep_rieng.docx", build("tep_rieng"))  # no header table: the level changes nothing
    print(out / "tep_rieng.docx")


if __name__ == "__main__":
    main()
