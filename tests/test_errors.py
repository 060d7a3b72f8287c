"""What a user reads when input is wrong: YAML syntax errors explained in Vietnamese with the English term
at the line and column of the cause; model errors at the field's line, never at 1:1 or `<input>`, never
with pydantic's internal names."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from vn_congvan.cli import main
from vn_congvan.errors import InputError, Problem
from vn_congvan.loader import load

ROOT = Path(__file__).resolve().parent.parent
VALID = """\
profile: ubnd-tinh-thai-nguyen
kind: ke_hoach
number: 5
date: 2022-09-30
title: Tổ chức Tuần lễ hưởng ứng học tập suốt đời năm 2022
campaign:
  name: Tuần lễ hưởng ứng học tập suốt đời
  year: 2022
  start: 2022-10-01
  end: 2022-10-07
body:
  - heading: Mục đích, yêu cầu
    content:
      - Nâng cao nhận thức của người dân.
closing: Các cơ quan, đơn vị triển khai thực hiện.
signer: pho_chu_tich_tt
archive: KGVX
"""
INTERNALS = re.compile(r"function-(after|before)|\[_\w+\(\)|<block|<scalar>|expected <|<input>|Value error")


def problems(tmp_path: Path, text: str) -> list[Problem]:
    path = tmp_path / "doc.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as info:
        load(path)
    for p in info.value.problems:
        assert not INTERNALS.search(str(p)), str(p)
    return info.value.problems


# (what, old, new, line, column, English term): line and column of the cause, 1-based.
SYNTAX = [
    ("tab among spaces", "  year: 2022", "\tyear: 2022", 8, 1, "(tab character)"),
    ("tab-indented list", "      - Nâng", "\t\t\t- Nâng", 14, 1, "(tab character)"),
    ("double quote left open", "title: Tổ chức", 'title: "Tổ chức', 5, 8, "(unclosed quote)"),
    ("single quote left open", "title: Tổ chức", "title: 'Tổ chức", 5, 8, "(unclosed quote)"),
    ("missing colon, top level", "kind: ke_hoach", "kind ke_hoach", 2, 1, "(missing colon)"),
    ("missing colon, nested", "  year: 2022", "  year 2022", 8, 3, "(missing colon)"),
    ("missing colon, last line", "archive: KGVX", "archive KGVX", 17, 1, "(missing colon)"),
    ("key one space short", "  year: 2022", " year: 2022", 8, 2, "(bad indentation)"),
    ("key one space deeper", "  year: 2022", "   year: 2022", 8, 4, "(bad indentation)"),
    ("top-level key indented", "closing:", " closing:", 15, 2, "(bad indentation)"),
    ("list item among keys", "  end: 2022-10-07", "  end: 2022-10-07\n  - x", 11, 3, "(list item inside a mapping)"),
    ("colon inside a sentence", "closing: Các cơ quan,", "closing: Các cơ quan: ", 15, 21, "(colon in text)"),
    ("text after a closing quote", "title: Tổ chức Tuần", 'title: "Tổ chức" Tuần', 5, 18, "(text after closing quote)"),
    ("unclosed bracket", "kind: ke_hoach", "kind: [ke_hoach", 2, 7, "(unclosed bracket)"),
    ("reserved character", "title: Tổ chức", "title: @Tổ chức", 5, 8, "(reserved character)"),
    ("star before letters", "title: Tổ chức", "title: *Tổ chức", 5, 8, "(reserved character)"),
    (
        "undefined alias",
        "title: Tổ chức Tuần lễ hưởng ứng học tập suốt đời năm 2022",
        "title: *abc",
        5,
        8,
        "(undefined alias)",
    ),
    ("text after an alias", "title: Tổ chức", "title: *abc", 5, 13, "(unexpected text)"),
    ("second document", "archive: KGVX", "archive: KGVX\n---\nx: 1", 18, 1, "(a second YAML document)"),
]


@pytest.mark.parametrize(("what", "old", "new", "line", "column", "term"), SYNTAX, ids=[s[0] for s in SYNTAX])
def test_syntax_error_names_its_cause_at_its_line_and_column(
    tmp_path: Path, what: str, old: str, new: str, line: int, column: int, term: str
) -> None:
    assert old in VALID
    [found] = problems(tmp_path, VALID.replace(old, new, 1))
    assert term in found.message, found
    assert (found.line, found.column) == (line, column), found
    assert re.search(r"[ạảãàáâậầấẩẫăắằặẳẵđêềếệểễôồốộổỗơờớợởỡưừứựửữ]", found.message), "Vietnamese first"


def test_a_quote_left_open_is_found_where_it_opened_even_when_a_later_quote_closes_it(tmp_path: Path) -> None:
    text = VALID.replace("title: Tổ chức", 'title: "Tổ chức').replace("      - Nâng cao", '      - "Nâng cao" về')
    [found] = problems(tmp_path, text)
    assert "(unclosed quote)" in found.message and (found.line, found.column) == (5, 8)


def test_a_tab_inside_text_is_still_a_space(tmp_path: Path) -> None:
    path = tmp_path / "doc.yaml"
    path.write_text(VALID.replace("kind: ke_hoach", "kind:\tke_hoach"), encoding="utf-8")
    assert load(path).kind == "ke_hoach"


# (old, new, field, line or None when the field is absent, words)
MODEL = [
    ("signer: pho_chu_tich_tt", "signer: giam_doc", "signer", 16, "không có người ký"),
    ("signer: pho_chu_tich_tt", "signer:\n  prefix: KT.\n  title: PHÓ CHỦ TỊCH", "signer", 17, "head_title"),
    ("signer: pho_chu_tich_tt", "signer: [a, b]", "signer", 16, "không có người ký 'a'"),  # several: side by side
    ("signer: pho_chu_tich_tt", "signer:\n  name: Nguyễn Văn A", "signer.title", 17, "missing field"),
    ("title: Tổ chức Tuần lễ hưởng ứng học tập suốt đời năm 2022\n", "", "title", None, "missing field"),
    ("kind: ke_hoach", "kind: cong_van\ndrafting_unit: KGVX", "recipients", None, "Kính gửi"),
    ("  end: 2022-10-07", "  end: 2022-09-01", "campaign.end", 10, "trước ngày bắt đầu"),
]


@pytest.mark.parametrize(("old", "new", "field", "line", "words"), MODEL, ids=[m[2] + ":" + m[4] for m in MODEL])
def test_model_error_is_at_the_field_never_at_1_1(
    tmp_path: Path, old: str, new: str, field: str, line: int | None, words: str
) -> None:
    found = [p for p in problems(tmp_path, VALID.replace(old, new, 1)) if words in p.message]
    assert len(found) == 1, found
    assert found[0].field == field and found[0].line == line, found[0]
    assert found[0].file.endswith("doc.yaml")
    assert not str(found[0]).startswith(f"{found[0].file}:1:1:")


def test_a_union_reports_the_member_that_fits_the_value_once(tmp_path: Path) -> None:
    found = problems(tmp_path, VALID.replace("signer: pho_chu_tich_tt", "signer:\n  prefix: KT.\n  title: X"))
    assert [p.message for p in found] == ["'KT.' cần chức danh người đứng đầu (head_title), ví dụ 'CHỦ TỊCH'"]


def test_an_option_error_has_no_made_up_place(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["units", "Quận 7", "--as-of", "2021-13-01"])
    err = capsys.readouterr().err
    assert code == 2 and "--as-of: ngày không tồn tại (invalid date)" in err and "<input>" not in err


def test_an_invalid_profile_names_its_line_in_derive(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    profile = (ROOT / "profiles/ubnd-huyen-dong-hy.yaml").read_text(encoding="utf-8")
    bad = tmp_path / "bad.yaml"
    bad.write_text(profile.replace("level: huyen", "level: quan"), encoding="utf-8")
    line = profile.splitlines().index("level: huyen") + 1
    parent = str(ROOT / "examples/seeds/001-thai-nguyen-ke-hoach.yaml")
    code = main(["derive", parent, "--profile", str(bad), "--as-of", "2022-10-01", "-o", str(tmp_path / "o.yaml")])
    err = capsys.readouterr().err
    assert code == 2 and f"bad.yaml:{line}:8: level: giá trị không hợp lệ (invalid value)" in err, err
    assert not INTERNALS.search(err), err
