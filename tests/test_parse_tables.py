"""Tables in a received document come out as `table:` blocks that load and render, not as loose paragraphs:
a .docx table with a merged header (the real Lào Cai report), a web copy's "| a | b |" rows, a PDF's ruled
tables (signed PDFs, a scan, and our own YAML rendered to PDF by LibreOffice and parsed back)."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from shared import REALDOCS

from vn_congvan import readers
from vn_congvan.loader import load
from vn_congvan.parse import parse_file, write_yaml
from vn_congvan.readers import Reason
from vn_congvan.render import render

REPORT = REALDOCS / "files" / "bc-ubnd-tinh-lao-cai-vlncn-nam-2025-draft-tables.docx"

WEB = """UBND HUYỆN NGA SƠN | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
PHÒNG GIÁO DỤC VÀ ĐÀO TẠO | Độc lập - Tự do - Hạnh phúc
Số: 12/BC-PGDĐT | Nga Sơn, ngày 13 tháng 11 năm 2020

BÁO CÁO
Kết quả Tuần lễ học tập suốt đời năm 2020

Kính gửi: Ủy ban nhân dân huyện Nga Sơn.

Phòng Giáo dục và Đào tạo báo cáo kết quả như sau:

| STT | Hoạt động | Số lớp | Người |
|---|---|---|---|
| 1 | Bồi dưỡng giáo viên | 12 | 340 |
| 2 | Tập huấn kỹ năng sống | 5 | 210 |

Trên đây là báo cáo của Phòng Giáo dục và Đào tạo.

Nơi nhận:
- Như trên;
- Lưu: VT.
KT. TRƯỞNG PHÒNG
PHÓ TRƯỞNG PHÒNG
Nguyễn Văn An
"""


def _tables(blocks: list[Any]) -> list[dict[str, Any]]:
    out = []
    for b in blocks:
        if isinstance(b, dict):
            if "table" in b:
                out.append(b["table"])
            out += _tables(b.get("content", []))
    return out


def _round_trip(parsed: Any, tmp_path: Path) -> Path:
    """The YAML `parse` writes, loaded and rendered as it is."""
    out = tmp_path / "parsed.docx"
    render(load(write_yaml(parsed, tmp_path / "parsed.yaml")), out)
    return out


def test_docx_table_with_merged_header_is_a_table(tmp_path: Path) -> None:
    parsed = parse_file(REPORT)
    tables = _tables(parsed.data["body"])
    assert len(tables) == 1
    t = tables[0]
    titles = [c["title"] for c in t["columns"]]
    assert titles == [
        "TT",
        "Loại hình hoạt động của tổ chức",
        "Số lượng tổ chức",
        "Số lượng Giấy phép",
        "Cơ quan cấp phép",
    ]
    group = t["columns"][-1]
    assert [c["title"] for c in group["columns"]] == ["Bộ Công Thương", "Bộ Quốc phòng", "UBND tỉnh/Sở Công Thương"]
    rows = [list(r.values()) for r in t["rows"]]
    assert rows[0] == ["1", "Tìm kiếm, thăm dò, khai thác khoáng sản trên đất liền", "40", "50", "11", "00", "39"]
    assert rows[3] == ["4", "Sử dụng tiền chất thuốc nổ sử dụng để sản xuất VLNCN", "01", "01", "01", "0", "0"]
    assert len(rows) == 4
    # no cell text is left as a loose paragraph of the body
    texts = [b for b in parsed.data["body"] if isinstance(b, str)]
    assert "Bộ Quốc phòng" not in texts and "Thi công công trình" not in texts

    # the rendered document holds the table again: header cells and every row, in order
    lines = readers.read(_round_trip(parsed, tmp_path)).lines
    cells = [line.text for line in lines if line.where.startswith("t2.")]
    assert cells[:8] == [*titles, "Bộ Công Thương", "Bộ Quốc phòng", "UBND tỉnh/Sở Công Thương"]
    assert cells[8:15] == rows[0]
    assert any(line.where.startswith("t2.r1.c5-7.") for line in lines)  # the group spans its three columns


def test_web_pipe_rows_are_a_table(tmp_path: Path) -> None:
    parsed = parse_file(WEB)
    body = parsed.data["body"]
    assert body[0] == "Phòng Giáo dục và Đào tạo báo cáo kết quả như sau:"
    (t,) = _tables(body)
    assert [c["title"] for c in t["columns"]] == ["STT", "Hoạt động", "Số lớp", "Người"]
    assert [list(r.values()) for r in t["rows"]] == [
        ["1", "Bồi dưỡng giáo viên", "12", "340"],
        ["2", "Tập huấn kỹ năng sống", "5", "210"],
    ]
    assert parsed.data["closing"] == ["Trên đây là báo cáo của Phòng Giáo dục và Đào tạo."]
    lines = readers.read(_round_trip(parsed, tmp_path)).lines
    assert [line.text for line in lines if line.where.startswith("t2.r3.")] == [
        "2",
        "Tập huấn kỹ năng sống",
        "5",
        "210",
    ]


@pytest.mark.parametrize("text", ["| Họ và tên | Nguyễn Văn An |\n", "| một ô |\n| hai |\n"])
def test_a_single_row_or_column_is_no_table(text: str) -> None:
    head = "UBND XÃ A | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nSố: 1/TB-UBND | A, ngày 2 tháng 3 năm 2021\n"
    head += "THÔNG BÁO\nVề việc họp\n"
    parsed = parse_file(head + "Xã thông báo như sau:\n" + text + "Trân trọng./.\n")
    assert not _tables(parsed.data["body"])


def test_attached_assignment_table_is_an_appendix_with_its_table(tmp_path: Path) -> None:
    """A plan's attached 'PHÂN CÔNG NHIỆM VỤ …' / '(Kèm theo Kế hoạch số …)' with its table (no 'PHỤ LỤC'
    line): an appendix with its title, its own '(Kèm theo …)' line and the table, not 28 unused lines."""
    parsed = parse_file(REALDOCS / "files" / "kh-so-cong-thuong-lao-cai-3898-huan-luyen-2026.docx")
    (appendix,) = parsed.data["appendices"]
    assert appendix["title"] == [
        "PHÂN CÔNG NHIỆM VỤ CỦA TỔ CÔNG TÁC HUẤN LUYỆN, KIỂM TRA, CẤP GIẤY CHỨNG NHẬN HUẤN LUYỆN KTAT VLNCN"
    ]
    assert appendix["attached"] == "(Kèm theo Kế hoạch số /KH-SCT ngày /6/2026 của Sở Công Thương)"
    (t,) = _tables(appendix["content"])
    assert [c["title"] for c in t["columns"]] == ["TT", "Nhiệm vụ thực hiện", "Người thực hiện", "Ghi chú"]
    assert t["rows"][0] == {
        "c2": "Rà soát việc đáp ứng các điều kiện của học viên",
        "c3": "Vũ Việt Linh Nguyễn Thị Loan",
    }
    assert not parsed.unread
    lines = readers.read(_round_trip(parsed, tmp_path)).lines
    assert "(Kèm theo Kế hoạch số /KH-SCT ngày /6/2026 của Sở Công Thương)" in [line.text for line in lines]
    assert "Rà soát việc đáp ứng các điều kiện của học viên" in [line.text for line in lines if ".r" in line.where]


# -- PDF: ruled tables from the page's drawn rules (readers.grid), words to cells by their boxes (readers.tables)

FILES = REALDOCS / "files"
PLAN_SIGNED = FILES / "kh-so-gddt-dong-thap-362-tiep-doan-stem-2026-signed.pdf"
PLAN_DRAFT = FILES / "kh-so-gddt-dong-thap-362-tiep-doan-stem-2026-draft.doc"
DECISION = FILES / "qd-ubnd-tinh-lao-cai-1696-uy-quyen-2026-signed.pdf"
SCAN = FILES / "cv-bo-gddt-1849-bgddt-gdpt-stem-2026-scan.pdf"
EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
needs_pdf_tools = pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils")


def _all_tables(data: dict[str, Any]) -> list[dict[str, Any]]:
    return _tables(data["body"]) + [t for a in data.get("appendices", []) for t in _tables(a.get("content", []))]


def _titles(columns: list[dict[str, Any]]) -> list[Any]:
    return [c["title"] if "key" in c else (c["title"], _titles(c["columns"])) for c in columns]


def _values(table: dict[str, Any]) -> list[list[str]]:
    """Each row's cell texts in column order (the keys differ: the YAML's names, the parse's c1…)."""
    keys = [c["key"] for col in table["columns"] for c in col.get("columns", [col])]
    return [[str(r[k]) for k in keys if r.get(k) not in (None, "")] for r in table["rows"]]


@needs_pdf_tools
def test_signed_pdf_tables_are_tables_as_in_the_draft(tmp_path: Path) -> None:
    """The signed plan's two appendix tables (ruled, page 4 and 5) read as the page shows them, and the same
    as the Word draft's tables read them."""
    parsed = parse_file(PLAN_SIGNED, ocr=False)
    schools, agenda = _all_tables(parsed.data)
    assert _titles(schools["columns"]) == ["TT", "Tên đơn vị", "Cấp học"]
    rows = _values(schools)
    assert len(rows) == 9
    assert rows[0] == ["1", "Trường TH Nguyễn Thị Tốt, xã Vĩnh Hựu", "Tiểu học"]
    assert rows[3] == ["4", "Trường THCS Xuân Diệu, phường Mỹ Tho", "Trung học cơ sở"]
    assert rows[8] == ["9", "Trường THPT chuyên Nguyễn Quang Diêu", "Trung học phổ thông"]
    assert _titles(agenda["columns"]) == ["THỜI GIAN", "NỘI DUNG"]
    assert _values(agenda)[2] == [
        "8h45 - 09h00",
        "Báo cáo tóm tắt về thực trạng các phòng học bộ môn và mức độ đáp ứng giáo dục STEM trong nhà trường "
        "trên địa bàn tỉnh Đồng Tháp",  # three lines in the cell, one text
    ]
    assert [len(t["rows"]) for t in (schools, agenda)] == [9, 6]
    appendix = parsed.data["appendices"][0]["content"]
    assert appendix[1:] == ["Danh sách có 09 trường tham gia làm việc./.", "SỞ GIÁO DỤC VÀ ĐÀO TẠO"]
    if shutil.which("soffice"):
        draft = _all_tables(parse_file(PLAN_DRAFT).data)
        assert [(_titles(t["columns"]), _values(t)) for t in draft] == [
            (_titles(t["columns"]), _values(t)) for t in (schools, agenda)
        ]
    lines = readers.read(_round_trip(parsed, tmp_path)).lines
    assert "Trường THPT chuyên Nguyễn Quang Diêu" in [line.text for line in lines if ".r" in line.where]


@needs_pdf_tools
def test_pdf_table_with_a_column_group_and_rows_spanning_rows(tmp_path: Path) -> None:
    """The decision's landscape appendix: 'DANH MỤC TTHC ĐÃ CÔNG BỐ' over three columns becomes a column group,
    a cell over three rows (the task, its legal basis) is read once on its first row, and the red seal over
    the top border draws no rule."""
    parsed = parse_file(DECISION, ocr=False)
    (t,) = _all_tables(parsed.data)
    assert _titles(t["columns"]) == [
        "STT",
        "NỘI DUNG NHIỆM VỤ ỦY QUYỀN",
        "CĂN CỨ PHÁP LÝ",
        ("DANH MỤC TTHC ĐÃ CÔNG BỐ", ["TÊN TTHC", "LĨNH VỰC CÔNG BỐ", "MÃ TTHC"]),
        "GHI CHÚ",
    ]
    rows = _values(t)
    assert len(rows) == 7
    assert rows[0] == ["I.", "Lĩnh vực Vận chuyển hàng hóa nguy hiểm"]
    assert rows[1][0] == "1"
    assert "Điều 44 Nghị định số 105/2025/NĐ-CP của Chính phủ" in rows[1][1]  # "NĐ-" / "CP" wrapped in the cell
    assert rows[1][2:] == [
        "Khoản 2 Điều 3 Thông tư số 15/2026/TT-BCT ngày 25/3/2026 của Bộ Công Thương",
        "Cấp Giấy phép vận chuyển hàng hóa nguy hiểm loại 1 (trừ vật liệu nổ công nghiệp, tiền chất thuốc nổ), "
        "2, 3, 4, 9",
        "Vận chuyển hàng hóa nguy hiểm",
        "1.014967",
    ]
    assert rows[2][-1] == "1.014968" and rows[3][-1] == "1.014969" and len(rows[2]) == 3
    assert rows[4] == ["II", "Lĩnh vực An toàn vệ sinh lao động"]
    assert rows[6] == ["Cấp lại chứng chỉ kiểm định viên", "An toàn vệ sinh lao động", "2.000066"]
    lines = readers.read(_round_trip(parsed, tmp_path)).lines
    assert any(line.text == "DANH MỤC TTHC ĐÃ CÔNG BỐ" and ".c4-6." in line.where for line in lines)


@needs_pdf_tools
def test_pdfs_without_ruled_tables_have_none() -> None:
    """Borderless layout (the header's two columns, the signature blocks, a framed stamp) is no table."""
    for name in ("ttr-so-noi-vu-binh-thuan-3367-hoi-quan-chung-2024-signed.pdf", "qd-bo-xay-dung-1074-pccc-2026.pdf"):
        parsed = parse_file(FILES / name, ocr=False)
        assert not _all_tables(parsed.data), name
        assert not [x for x in readers.read(FILES / name, ocr=False).lines if x.where], name


@pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftoppm") is None, reason="LibreOffice")
def test_yaml_table_rendered_to_pdf_parses_back_to_the_same_table(tmp_path: Path) -> None:
    """Round trip: a YAML's table → .docx → PDF (LibreOffice) → parse → the same columns and rows. The plan's
    appendix table runs over three pages: its parts join into one table, the header rows LibreOffice repeats
    on each page and the appendix's own page numbers between the parts are dropped, not read as rows."""
    from vn_congvan.export import to_pdf

    sources = [EXAMPLES / "appendix" / "ke-hoach-phu-luc.yaml", EXAMPLES / "real" / f"{REPORT.stem}.yaml"]
    docx = [render(load(y), tmp_path / f"{y.stem}.docx") for y in sources]
    for y, pdf in zip(sources, to_pdf(docx, tmp_path / "pdf"), strict=True):
        want = [b["table"] for b in _yaml_blocks(yaml.safe_load(y.read_text(encoding="utf-8")))]
        read = readers.read(pdf, ocr=False)
        got = _all_tables(parse_file(pdf, ocr=False).data)
        assert [(_titles(t["columns"]), _values(t)) for t in got] == [
            (_titles(t["columns"]), _values(t)) for t in want
        ], y.name
        if y.stem == "ke-hoach-phu-luc":
            assert len({x.page for x in read.lines if x.where.startswith("t1.")}) == 3
            repeated = [d.text for d in read.dropped if d.reason is Reason.DUPLICATE]
            assert repeated.count("Các hoạt động") == 2 and repeated.count("Số lượng") == 2
            # the appendix numbers its own pages: "2" and "3" between the parts, not page 5 and 6 of the file
            assert [(d.text, d.page) for d in read.dropped if d.reason is Reason.PAGE_NUMBER] == [("2", 5), ("3", 6)]


def _yaml_blocks(doc: dict[str, Any]) -> list[dict[str, Any]]:
    blocks = [*doc.get("body", []), *(b for a in doc.get("appendices", []) for b in a.get("content", []))]
    out = []
    for b in blocks:
        if isinstance(b, dict):
            out += [b] if "table" in b else _yaml_blocks({"body": b.get("content", [])})
    return out


@pytest.mark.skipif(not readers.ocr_available(), reason="Tesseract with Vietnamese data (tesseract-ocr-vie)")
def test_scanned_table_is_a_table() -> None:
    """A scan's ruled table: the grid found on the page image, Tesseract's words put in its cells."""
    read = readers.read(SCAN, pages=3)
    cells = [(x.where, x.text) for x in read.lines if x.where.startswith("t1.")]
    assert cells[:6] == [
        ("t1.r1.c1.p1", "STT"),
        ("t1.r1.c2.p1", "Đơn vị"),
        ("t1.r1.c3.p1", "Thời gian"),
        ("t1.r2.c1.p1", "1"),
        ("t1.r2.c2.p1", "Sở Giáo dục và Đào tạo Đồng Tháp"),
        ("t1.r2.c3.p1", "Ngày 17,18 tháng 4/2026"),
    ]
    assert [t for w, t in cells if w.endswith(".c2.p1")][1:] == [
        f"Sở Giáo dục và Đào tạo {p}" for p in ("Đồng Tháp", "Lào Cai", "Thanh Hóa", "Phú Thọ", "Nghệ An", "An Giang")
    ]
    assert [t for w, t in cells if w.endswith(".c3.p1")][-1] == "Tháng 8/2026"
    assert not read.unaccounted()
