"""Tổng hợp: sums of the ten phường of Quận 7 (made-up figures in examples/reports/), per-unit columns,
the .docx and .yaml outputs, and bad figures reported with unit and row, all at once."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
import yaml

from vn_congvan import ooxml
from vn_congvan.aggregate import aggregate
from vn_congvan.cli import main
from vn_congvan.errors import InputError

ROOT = Path(__file__).resolve().parent.parent
REPORTS = ROOT / "examples/reports"
TAN_PHU = REPORTS / "phuong-tan-phu.yaml"
NINE = REPORTS / "so-lieu-9-phuong.csv"
FORM = REPORTS / "quan-7-tong-hop.yaml"
PHUONG = [
    "Tân Thuận Đông",
    "Tân Thuận Tây",
    "Tân Kiểng",
    "Tân Hưng",
    "Bình Thuận",
    "Tân Quy",
    "Phú Thuận",
    "Tân Phú",
    "Tân Phong",
    "Phú Mỹ",
]


def rows(path: Path) -> list[dict[str, str]]:
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    return list(csv.DictReader(lines))


def expected(row_id: str, key: str) -> int:
    """The sum straight from the two CSV files, independent of the code under test."""
    total = 0
    for r in rows(NINE) + rows(REPORTS / "phuong-tan-phu.csv"):
        if r["id"] == row_id and r[key]:
            total += int(r[key])
    return total


def test_totals_over_the_ten_phuong() -> None:
    s = aggregate([TAN_PHU, NINE], form=FORM)
    assert sorted(u.removeprefix("Phường ") for u in s.units) == sorted(PHUONG)
    for row_id, key in [("1", "so_luong"), ("1.0", "nguoi"), ("1.5", "nguoi"), ("9.2", "nguoi"), ("10.1", "so_luong")]:
        assert s.total(row_id, key) == expected(row_id, key)
    assert s.total("1", "so_luong") == 306 and s.total("10.1", "so_luong") == 87_000_000
    assert s.value("Phường Tân Phú", "1", "so_luong") == 25  # from the báo cáo's own figures_csv
    assert sum(s.value(u, "1.0", "nguoi") for u in s.units) == s.total("1.0", "nguoi")
    heading = next(r for r in s.rows if r.id == "4")
    assert heading.figures == [] and heading.totals == {}


def test_docx_summary_with_per_unit_columns(tmp_path: Path) -> None:
    out = tmp_path / "tong-hop.docx"
    assert main(["aggregate", str(TAN_PHU), str(NINE), "--form", str(FORM), "--per-unit", "-o", str(out)]) == 0
    d = ooxml.read(out)
    totals = next(t for t in d.tables() if t.section == 0 and len(t.grid) == 6)
    cells = {r.cells[1].text: [c.text for c in r.cells] for r in totals.rows}
    assert cells["Ngân sách nhà nước"][3] == "87.000.000"  # Vietnamese grouping
    assert cells["Tổng số người tham gia, trong đó:"][4] == f"{expected('1.0', 'nguoi'):,}".replace(",", ".")
    # one landscape phụ lục per figure column, one column per phường plus the total
    assert [s.orient for s in d.sections] == ["portrait", "landscape", "landscape"]
    assert all(s.pgnum_start == 1 for s in d.sections)
    per_unit = [t for t in d.tables() if t.section == 1]
    assert len(per_unit) == 1
    head = [c.text for c in per_unit[0].rows[1].cells]
    assert head[3:] == [*phuong_in_order(), "Tổng cộng"]
    assert sum(per_unit[0].grid) == d.sections[1].text_width
    text = [p.text for p in d.paragraphs()]
    assert "Số liệu của từng đơn vị tại Phụ lục I và Phụ lục II kèm theo." in text


def phuong_in_order() -> list[str]:
    """The phường in the order the inputs give them (the báo cáo first, then the CSV)."""
    s = aggregate([TAN_PHU, NINE])
    return [u.removeprefix("Phường ") for u in s.units]


def test_yaml_summary(tmp_path: Path) -> None:
    out = tmp_path / "s.yaml"
    assert main(["aggregate", str(TAN_PHU), str(NINE), "--per-unit", "-o", str(out)]) == 0
    data = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert len(data["units"]) == 10
    row = next(r for r in data["rows"] if r["id"] == "1.0")
    assert row["totals"] == {"nguoi": expected("1.0", "nguoi")}
    assert sum(v["nguoi"] for v in row["by_unit"].values()) == row["totals"]["nguoi"]


def write(tmp_path: Path, lines: list[str]) -> Path:
    path = tmp_path / "bad.csv"
    path.write_text("unit,id,so_luong,nguoi\n" + "\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_bad_figures_each_named_with_unit_and_row(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = [r for r in rows(NINE) if r["unit"] == "Phường Phú Mỹ"]
    lines = []
    for r in good:
        unit, rid, so, ng = "Phường Bình An", r["id"], r["so_luong"], r["nguoi"]
        if rid == "2":
            so = "nhiều"  # non-numeric
        elif rid == "3":
            so = "-5"  # negative
        elif rid == "8":
            so = ""  # missing
        lines.append(f"{unit},{rid},{so},{ng}")
    path = write(tmp_path, lines)
    with pytest.raises(InputError) as exc:
        aggregate([TAN_PHU, path])
    problems = exc.value.problems
    assert len(problems) == 3  # all at once
    text = str(exc.value)
    assert "Phường Bình An: hàng (row) 2 «Số tin bài về các hoạt động của Tuần lễ»" in text
    assert "không phải số (not a number): 'nhiều'" in text
    assert "Phường Bình An: hàng (row) 3" in text and "số liệu âm (negative figure): '-5'" in text
    assert "Phường Bình An: hàng (row) 8" in text and "thiếu số liệu (missing figure)" in text
    assert all(p.file == str(path) and p.line for p in problems)
    # the CLI exits 2 and writes nothing
    out = tmp_path / "s.yaml"
    assert main(["aggregate", str(TAN_PHU), str(path), "-o", str(out)]) == 2
    assert not out.exists()
    assert "Phường Bình An" in capsys.readouterr().err


def test_missing_row_and_yaml_line_numbers(tmp_path: Path) -> None:
    report = yaml.safe_load(TAN_PHU.read_text(encoding="utf-8"))
    table = report["body"][1]["content"][1]["table"]
    del table["figures_csv"]
    for row in table["rows"]:
        row.update({"so_luong": "1", "nguoi": "2"})
    table["rows"][1]["nguoi"] = ""
    path = tmp_path / "r.yaml"
    path.write_text(yaml.safe_dump(report, allow_unicode=True, sort_keys=False), encoding="utf-8")
    with pytest.raises(InputError) as exc:
        aggregate([path])
    (problem,) = exc.value.problems
    assert problem.message.startswith("Phường Tân Phú: hàng (row) 1.0 «Tổng số người tham gia, trong đó:»")
    assert problem.message.endswith("thiếu số liệu (missing figure)")
    source = path.read_text(encoding="utf-8").splitlines()
    assert "nguoi: ''" in source[problem.line - 1]  # the YAML line of that cell
    # text in a figure cell is caught when the report is read, still naming the unit and the row
    table["rows"][1]["nguoi"] = "hai"
    path.write_text(yaml.safe_dump(report, allow_unicode=True, sort_keys=False), encoding="utf-8")
    with pytest.raises(InputError, match=r"Phường Tân Phú: hàng \(row\) 1.0, cột 'nguoi': không phải số"):
        aggregate([path])


def test_csv_only_needs_a_form(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="--form"):
        aggregate([NINE])
    s = aggregate([NINE], form=FORM)
    assert len(s.units) == 9
