"""Phụ lục (NĐ 30 PL I III.1), tables and báo cáo, read back from the .docx XML (vn_congvan.ooxml)."""

from __future__ import annotations

import copy
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from lxml import etree
from shared import SEEDS as SHARED_SEEDS  # tests/ is on sys.path under pytest

from vn_congvan import ooxml
from vn_congvan.errors import InputError
from vn_congvan.loader import load
from vn_congvan.model import Document
from vn_congvan.render import render

ROOT = Path(__file__).resolve().parent.parent
PLAN = ROOT / "examples/appendix/ke-hoach-phu-luc.yaml"
REPORT = ROOT / "examples/reports/phuong-tan-phu.yaml"
ISSUER = {
    "level": "huyen",
    "name": "Ủy ban nhân dân Quận 7",
    "header": ["ỦY BAN NHÂN DÂN", "QUẬN 7"],
    "place": "Quận 7",
    "abbreviation": "UBND",
    "signers": {"ct": {"authority": "TM. ỦY BAN NHÂN DÂN", "title": "CHỦ TỊCH", "name": "Nguyễn Văn A"}},
}
TABLE = {
    "columns": [
        {"title": "STT", "key": "stt", "width": 0.8, "align": "center"},
        {"title": "Nội dung", "key": "label", "width": 5},
        {
            "title": "Số lượng",
            "columns": [
                {"title": "Lớp", "key": "lop", "figures": True},
                {"title": "Người", "key": "nguoi", "figures": True},
            ],
        },
        {"title": "Ghi chú", "key": "note"},
    ],
    "rows": [
        {"id": "1", "stt": "1", "group": True, "label": "Các lớp bồi dưỡng", "lop": "1250", "nguoi": 1250000},
        {"id": "2", "stt": "2", "label": "Tin bài", "lop": "3", "figures": ["lop"]},
    ],
}


def plan(appendices: list[dict[str, Any]], body: list[Any] | None = None, **extra: Any) -> dict[str, Any]:
    return {
        "kind": "ke_hoach",
        "issuer": copy.deepcopy(ISSUER),
        "number": 4595,
        "date": "2021-10-01",
        "title": "Tổ chức Tuần lễ hưởng ứng học tập suốt đời năm 2021",
        "body": body or ["Nội dung kế hoạch."],
        "closing": ["Trân trọng."],
        "signer": "ct",
        "appendices": appendices,
        **extra,
    }


def rendered(tmp_path: Path, data: dict[str, Any], *, draft: bool = False) -> ooxml.Document:
    return ooxml.read(render(Document.model_validate(data), tmp_path / "d.docx", draft=draft))


def texts(d: ooxml.Document) -> list[str]:
    return [p.text for p in d.paragraphs() if p.text.strip()]


def test_heading_stack_and_back_reference(tmp_path: Path) -> None:
    d = rendered(tmp_path, plan([{"title": "Khẩu hiệu tuyên truyền", "content": ["Học, học nữa, học mãi."]}]))
    lines = texts(d)
    i = lines.index("Phụ lục")  # a single phụ lục has no number (PL I III.1.a)
    assert lines[i + 1] == "KHẨU HIỆU TUYÊN TRUYỀN"
    assert lines[i + 2] == ("(Kèm theo Kế hoạch số 4595/KH-UBND ngày 01 tháng 10 năm 2021 của Ủy ban nhân dân Quận 7)")
    paras = [p for p in d.paragraphs() if p.section == 1 and p.cell is None]
    head, title, kem, rule = paras[:4]
    assert head.runs[0].props.bold and head.runs[0].props.size == 28 and head.align == "center"
    assert title.runs[0].props.bold and title.align == "center"
    assert kem.runs[0].props.italic and not kem.runs[0].props.bold and kem.align == "center"
    assert rule.text == "" and rule.border_bottom is not None


def test_draft_leaves_number_and_day_blank_in_kem_theo(tmp_path: Path) -> None:
    data = plan([{"title": "Mẫu báo cáo", "content": ["Nội dung."]}])
    lines = texts(rendered(tmp_path, data, draft=True))
    assert "(Kèm theo Kế hoạch số      /KH-UBND ngày      tháng      năm 2021 của Ủy ban nhân dân Quận 7)" in lines


def test_roman_numbers_sections_and_landscape(tmp_path: Path) -> None:
    body = [{"fill": "Khẩu hiệu tại {appendix.1}, đề cương tại {appendix.2}, bảng số liệu tại {appendix.3}."}]
    data = plan(
        [
            {"title": "Khẩu hiệu", "content": [{"marker": "1.", "items": ["Một.", "Hai."]}]},
            {"title": "Đề cương", "content": [{"heading": "Ý nghĩa", "content": ["Học tập suốt đời."]}]},
            {"title": "Số liệu", "orientation": "landscape", "content": [{"table": TABLE}]},
        ],
        body=body,
    )
    d = rendered(tmp_path, data)
    lines = texts(d)
    assert "Khẩu hiệu tại Phụ lục I, đề cương tại Phụ lục II, bảng số liệu tại Phụ lục III." in lines
    for n in ("I", "II", "III"):
        assert f"Phụ lục {n}" in lines
    assert "1. Một." in lines and "2. Hai." in lines
    assert "1. Ý nghĩa" in lines
    assert len(d.sections) == 4
    for s in d.sections:
        assert s.pgnum_start == 1 and s.title_pg
        assert s.headers["default"].has_page_field and not s.headers["first"].has_page_field
    assert [s.orient for s in d.sections] == ["portrait", "portrait", "portrait", "landscape"]
    assert (d.sections[3].page_width, d.sections[3].page_height) == (16838, 11906)
    # each phụ lục begins its own section
    starts = {p.section: p.text for p in d.paragraphs() if p.text.startswith("Phụ lục ") and p.cell is None}
    assert starts == {1: "Phụ lục I", 2: "Phụ lục II", 3: "Phụ lục III"}
    (table,) = [t for t in d.tables() if t.section == 3]
    assert sum(table.grid) == d.sections[3].text_width == 16838 - 1701 - 851


def test_appendix_reference_out_of_range(tmp_path: Path) -> None:
    data = plan([{"content": ["x"]}, {"content": ["y"]}], body=[{"fill": "Xem {appendix.3}."}])
    with pytest.raises(InputError, match="2 phụ lục"):
        rendered(tmp_path, data)


def test_table_structure_in_the_body(tmp_path: Path) -> None:
    d = rendered(tmp_path, plan([], body=["Kết quả như sau:", {"table": TABLE}]))
    table = next(t for t in d.tables() if t.grid and len(t.grid) == 5)
    assert sum(table.grid) == 11906 - 1701 - 851
    assert table.has_visible_borders
    head1, head2, row1, row2 = table.rows
    assert [c.text for c in head1.cells] == ["STT", "Nội dung", "Số lượng", "Ghi chú"]
    assert [c.grid_span for c in head1.cells] == [1, 1, 2, 1]  # "Số lượng" over two columns
    assert [c.text for c in head2.cells] == ["", "", "Lớp", "Người", ""]  # merged down (vMerge)
    assert all(r.runs[0].props.bold for c in head1.cells for r in [c.paragraphs[0]] if c.text)
    assert [c.text for c in row1.cells] == ["1", "Các lớp bồi dưỡng", "1.250", "1.250.000", ""]
    assert row1.cells[1].paragraphs[0].runs[0].props.bold  # group row
    assert [c.text for c in row2.cells] == ["2", "Tin bài", "3", "", ""]
    assert 22 <= row2.cells[1].paragraphs[0].runs[0].props.size <= 26
    xml = zipfile.ZipFile(tmp_path / "d.docx").read("word/document.xml")
    root = etree.fromstring(xml)
    ns = {"w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main"}
    big = next(t for t in root.iterfind(".//w:tbl", ns) if len(t.findall("w:tblGrid/w:gridCol", ns)) == 5)
    rows = big.findall("w:tr", ns)
    assert [r.find("w:trPr/w:tblHeader", ns) is not None for r in rows] == [True, True, False, False]
    assert len(rows[1].findall("w:tc/w:tcPr/w:vMerge", ns)) == 3


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ({"id": "1", "label": "x", "lop": "mười"}, "không phải số"),
        ({"id": "1", "label": "x", "lop": "-2"}, "số liệu âm"),
        ({"id": "1", "label": "x", "sach": "2"}, "không có cột sach"),
    ],
)
def test_bad_table_values_are_input_errors(tmp_path: Path, row: dict[str, Any], message: str) -> None:
    table = {**TABLE, "rows": [row]}
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(plan([], body=[{"table": table}]), allow_unicode=True), encoding="utf-8")
    with pytest.raises(InputError, match=message) as exc:
        load(path)
    assert exc.value.problems[0].line is not None  # file:line from the loader


def test_report_form_in_an_appendix(tmp_path: Path) -> None:
    form = {
        "issuer": ["UBND HUYỆN (QUẬN)/SỞ....", "PHÒNG GD&ĐT/TRƯỜNG...."],
        "date_line": "....., ngày.....tháng.....năm 2022",
        "title": ["Báo cáo việc tổ chức thực hiện Tuần lễ"],
        "recipients": ["Sở Giáo dục và Đào tạo Hải Phòng"],
        "body": [{"text": "I. Công tác chỉ đạo", "bold": True}, {"table": TABLE}],
        "distribution": ["- Như trên;", "- Lưu: VT,..."],
        "signer": ["TRƯỞNG P. GDĐT/HIỆU TRƯỞNG/GĐ"],
        "signer_note": "(ký tên và đóng dấu)",
    }
    d = rendered(tmp_path, plan([{"title": "Mẫu báo cáo", "form": form}]))
    lines = [p.text for p in d.paragraphs() if p.section == 1 and p.text.strip()]
    for line in (
        "UBND HUYỆN (QUẬN)/SỞ....",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Số:      /BC-.....",
        "....., ngày.....tháng.....năm 2022",
        "BÁO CÁO VIỆC TỔ CHỨC THỰC HIỆN TUẦN LỄ",
        "Kính gửi: Sở Giáo dục và Đào tạo Hải Phòng",
        "Nơi nhận:",
        "TRƯỞNG P. GDĐT/HIỆU TRƯỞNG/GĐ",
    ):
        assert line in lines


def test_bao_cao_from_csv(tmp_path: Path) -> None:
    doc = load(REPORT)
    assert doc.kind == "bao_cao"
    d = ooxml.read(render(doc, tmp_path / "bc.docx", base=REPORT.parent))
    assert "BÁO CÁO" in texts(d)
    table = next(t for t in d.tables() if len(t.grid) == 6)
    rows = {r.cells[1].text: [c.text for c in r.cells] for r in table.rows}
    assert rows["Các lớp bồi dưỡng, tập huấn tổ chức trong Tuần lễ"][3] == "25"  # from phuong-tan-phu.csv
    assert rows["Ngân sách nhà nước"][3] == "5.500.000"


def test_bao_cao_figures_csv_errors_name_file_and_line(tmp_path: Path) -> None:
    data = yaml.safe_load(REPORT.read_text(encoding="utf-8"))
    (tmp_path / "phuong-tan-phu.csv").write_text("id,so_luong,nguoi\n1,12,\n2,abc,\n99,1,\n3,-4,\n", encoding="utf-8")
    path = tmp_path / "r.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(InputError) as exc:
        render(load(path), tmp_path / "r.docx", base=tmp_path)
    got = {(p.line, p.message.split(":")[0]) for p in exc.value.problems}
    assert {line for line, _ in got} == {3, 4, 5}
    text = str(exc.value)
    assert "phuong-tan-phu.csv:3" in text and "không phải số" in text
    assert "không có hàng (row) id '99'" in text and "số liệu âm" in text
    assert not (tmp_path / "r.docx").exists()


def test_bao_cao_figures_from_yaml(tmp_path: Path) -> None:
    data = plan([], body=[{"table": TABLE}])
    data["kind"] = "bao_cao"
    d = rendered(tmp_path, data)
    assert "BÁO CÁO" in texts(d)
    assert "1.250.000" in [c.text for t in d.tables() for r in t.rows for c in r.cells]


def test_example_plan_passes_the_checker(tmp_path: Path) -> None:
    from vn_congvan.check import check_document

    report = check_document(ooxml.read(render(load(PLAN), tmp_path / "p.docx")))
    assert report.ok and not [f for f in report.findings if f.rule_id.startswith(("PL-", "PGN-"))]


SEEDS = SHARED_SEEDS
FULL = {  # seed, example, orientation of each phụ lục
    "000": ("000_bc84719e80160f2a.txt", "000-hai-phong-cong-van.yaml", ["portrait"]),
    "004": ("004_8969669e60869b4d.txt", "004-quan-7-ke-hoach.yaml", ["portrait", "portrait", "landscape"]),
}


@pytest.mark.skipif(not SEEDS.is_dir(), reason="seed texts not available")
@pytest.mark.parametrize("key", sorted(FULL))
def test_seed_with_its_appendices(key: str, tmp_path: Path) -> None:
    """The whole seed, attachments included, against the whole rendering (main document and phụ lục)."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from textmatch import in_order_ratio, precision, words

    seed_file, example, orients = FULL[key]
    path = ROOT / "examples/seeds" / example
    d = ooxml.read(render(load(path), tmp_path / "s.docx", base=path.parent))
    seed = words((SEEDS / seed_file).read_text(encoding="utf-8"))
    mine = words("\n".join(p.text for p in d.paragraphs()))
    ratio, prec = in_order_ratio(seed, mine), precision(seed, mine)
    print(f"seed {key} with phụ lục: in-order {ratio:.3f}, precision {prec:.3f} ({len(seed)} / {len(mine)} words)")
    assert ratio >= 0.93 and prec >= 0.85
    assert [s.orient for s in d.sections[1:]] == orients
    assert all(s.pgnum_start == 1 for s in d.sections)
