"""Bad input is reported with file:line, field and a Vietnamese message; nothing is written.
Text that looks like markup or template tags comes out literally."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from samples import VALID  # tests/ is on sys.path under pytest

from vn_congvan import ooxml
from vn_congvan.cli import main
from vn_congvan.errors import InputError
from vn_congvan.loader import load


def write(tmp_path: Path, text: str, name: str = "doc.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def problems(tmp_path: Path, text: str) -> list:
    with pytest.raises(InputError) as info:
        load(write(tmp_path, text))
    return info.value.problems


def test_valid_document_loads(tmp_path: Path) -> None:
    doc = load(write(tmp_path, VALID))
    assert doc.number == 5 and doc.full_symbol() == "KH-UBND"
    assert doc.issuer.place == "Thái Nguyên"  # from the profile


@pytest.mark.parametrize(
    ("old", "new", "line", "field", "words"),
    [
        ("date: 2022-09-30", "date: 2025-02-30", 4, "date", "ngày không tồn tại"),
        ("number: 5", "number: 0", 3, "number", "lớn hơn 0"),
        ("number: 5", "number: -3", 3, "number", "số nguyên dương"),
        ("kind: ke_hoach", "kind: cong_van_x", 2, "kind", "Phụ lục III"),
        ("  end: 2022-10-07", "  end: 2022-09-01", 10, "campaign.end", "trước ngày bắt đầu"),
        ("archive: KGVX", "archive: KGVX\ntitle: Trùng", 18, "title", "bị lặp"),
        ("signer: pho_chu_tich_tt", "signer: giam_doc", 16, "signer", "không có người ký"),
        ("profile: ubnd-tinh-thai-nguyen", "profile: khong-co", 1, "profile", "không tìm thấy hồ sơ"),
        ("closing:", "closng:", 15, "closng", "unknown key"),
        ("      - Nâng cao nhận thức của", "      - Nâng cao nhận thức\x07 của", 14, "", "U+0007"),
        (
            "      - Nâng cao nhận thức của người dân.",
            "      - Các hoạt động trọng tâm sau:",
            14,
            "",
            "dấu hai chấm",
        ),
    ],
)
def test_bad_input_names_line_field_and_reason(tmp_path, old, new, line, field, words) -> None:
    assert old in VALID
    found = problems(tmp_path, VALID.replace(old, new))
    match = [p for p in found if words in p.message]
    assert match, found
    assert match[0].line == line and match[0].file.endswith("doc.yaml")
    assert field in match[0].field


def test_level_from_profile_is_validated_against_the_profile_file(tmp_path: Path) -> None:
    (tmp_path / "profiles").mkdir()
    profile = Path(__file__).parent.parent / "profiles/ubnd-tinh-thai-nguyen.yaml"
    write(tmp_path / "profiles", profile.read_text().replace("level: tinh", "level: thon"), "p.yaml")
    found = problems(tmp_path, VALID.replace("ubnd-tinh-thai-nguyen", "p"))
    assert found[0].file.endswith("p.yaml") and found[0].line == 2 and found[0].field == "issuer.level"


def test_yaml_syntax_error_has_a_line(tmp_path: Path) -> None:
    found = problems(tmp_path, VALID.replace("kind: ke_hoach", "kind: [ke_hoach"))
    assert "(unclosed bracket)" in found[0].message and (found[0].line, found[0].column) == (2, 7)


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    text = VALID.replace("number: 5", "number: 0").replace("date: 2022-09-30", "date: 2025-02-30")
    lines = sorted(p.line for p in problems(tmp_path, text))
    assert lines == [3, 4]


def test_yaml_11_surprises_stay_strings(tmp_path: Path) -> None:
    text = VALID.replace("title: Tổ chức", "title: NO\nx_title: Tổ chức").replace("x_title: ", "# ")
    doc = load(write(tmp_path, text.replace("number: 5", "number: 0123")))
    assert doc.title == "NO"  # not False
    assert doc.number == 123  # not octal 83


def test_tab_and_nfd_are_normalised(tmp_path: Path) -> None:
    nfd = unicodedata.normalize("NFD", "Nâng cao nhận thức\tcủa người dân.")
    doc = load(write(tmp_path, VALID.replace("Nâng cao nhận thức của người dân.", nfd)))
    text = doc.body[0].content[0]
    assert text == "Nâng cao nhận thức của người dân." and unicodedata.is_normalized("NFC", text)


def test_cli_exits_2_and_writes_nothing(tmp_path: Path, capsys) -> None:
    bad = write(tmp_path, VALID.replace("number: 5", "number: 0"))
    good = write(tmp_path, VALID, "good.yaml")
    out = tmp_path / "out"
    assert main(["render", str(good), str(bad), "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert "doc.yaml:3:9: number:" in err
    assert not out.exists()


def test_markup_and_tags_in_yaml_come_out_literally(tmp_path: Path) -> None:
    literal = "Sở GD&ĐT gửi <b>báo cáo</b> {{ x }} {%p if y %} trước ngày 10/10."
    text = VALID.replace("Nâng cao nhận thức của người dân.", f"'{literal}'").replace(
        "title: Tổ chức", "title: Phối hợp với Sở GD&ĐT <i>{{ x }}</i> tổ chức"
    )
    out = tmp_path / "out"
    assert main(["render", str(write(tmp_path, text)), "-o", str(out)]) == 0
    paragraphs = [p.text for p in ooxml.read(out / "doc.docx").paragraphs()]
    assert literal in paragraphs
    assert "Phối hợp với Sở GD&ĐT <i>{{ x }}</i> tổ chức Tuần lễ hưởng ứng học tập suốt đời năm 2022" in paragraphs
    assert [p for p in paragraphs if p][-1] == "Đặng Xuân Trường"  # nothing after the literal text was swallowed
