"""Tables in a received document come out as `table:` blocks that load and render, not as loose paragraphs:
a .docx table with a merged header (the real Lào Cai report) and a web copy's "| a | b |" rows."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from shared import REALDOCS

from vn_congvan import readers
from vn_congvan.loader import load
from vn_congvan.parse import parse_file, write_yaml
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
