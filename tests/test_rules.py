"""Every rule alone on its own fixture: tests/rules/<ID>/pass.yaml must not trip it, fail.yaml must.
The fixtures are recipes (tests/recipes.py): a bundled example plus exactly one mistake."""

from __future__ import annotations

from pathlib import Path

import pytest
from recipes import build

from vn_congvan.check import REGISTRY, check, check_set

RULES = Path(__file__).parent / "rules"
FOLDERS = sorted(p.name for p in RULES.iterdir() if p.is_dir())


def test_every_rule_has_a_fixture_folder_and_every_folder_a_rule() -> None:
    assert set(REGISTRY) - set(FOLDERS) == set()
    assert set(FOLDERS) - set(REGISTRY) - {"NUM-01"} == set()


@pytest.mark.parametrize("rule_id", sorted(REGISTRY))
def test_rule_alone(rule_id: str, tmp_path: Path) -> None:
    good = check(build(RULES / rule_id / "pass.yaml", tmp_path / "pass.docx"), select=[rule_id])
    assert good.findings == [], good.findings
    bad = check(build(RULES / rule_id / "fail.yaml", tmp_path / "fail.docx"), select=[rule_id])
    assert bad.rule_ids() == {rule_id}, bad.findings
    meta = REGISTRY[rule_id].meta()
    assert all(f.message.startswith((meta["message"], meta.get("missing", meta["message"]))) for f in bad.findings)


def test_num01_same_number_twice_in_a_year(tmp_path: Path) -> None:
    a = build(RULES / "NUM-01" / "fail.yaml", tmp_path / "a.docx")
    b = build(RULES / "NUM-01" / "fail.yaml", tmp_path / "b.docx")
    c = build(RULES / "NUM-01" / "pass.yaml", tmp_path / "c.docx")
    first, second = check_set([a, b], select=["NUM-01"])
    assert first.findings == []
    assert [f.rule_id for f in second.findings] == ["NUM-01"]
    assert "a.docx" in second.findings[0].message
    assert all(r.findings == [] for r in check_set([a, c], select=["NUM-01"]))


FIXABLE = sorted(r for r, cls in REGISTRY.items() if cls.has_fix())


def test_fixable_rules_are_listed() -> None:
    assert {"DD-02", "FONT-02", "SO-02"} <= set(FIXABLE)


@pytest.mark.parametrize("rule_id", ["DD-02", "FONT-02", "SO-02"])  # every fix, through `fix`: test_fix.py
def test_fix_repairs_its_fixture_and_nothing_else(rule_id: str, tmp_path: Path) -> None:
    from vn_congvan import ooxml
    from vn_congvan.check import locate
    from vn_congvan.check.edit import save

    bad = build(RULES / rule_id / "fail.yaml", tmp_path / "fail.docx")
    before = check(bad).rule_ids()
    doc = ooxml.read(bad)
    edits = REGISTRY[rule_id]().fix(locate(doc))  # type: ignore[attr-defined]
    assert edits
    fixed = save(doc, tmp_path / "fixed.docx")
    after = check(fixed)
    assert after.rule_ids() == before - {rule_id}
    text = [p.text for p in ooxml.read(fixed).paragraphs()]
    if rule_id in FIXED_TEXT:  # the number or date as the law writes it
        assert FIXED_TEXT[rule_id] in text
    else:  # a colour fix leaves every word where it was
        assert text == [p.text for p in ooxml.read(bad).paragraphs()]


FIXED_TEXT = {
    "SO-02": "Số: 05/KH-UBND",
    "DD-02": "Thái Nguyên, ngày 30 tháng 9 năm 2022",
}


def test_cap04_searches_only_lines_holding_a_patterns_words() -> None:
    """CAP-04 skips a line without one of its pattern's literal words: those words are read from the
    pattern, one per alternative, and never from a part that may be absent (a group, a lookaround)."""
    from vn_congvan.check.rules.caps import _special_hits, needles

    assert needles(r"\btết nguyên đán\b|\b[Tt]ết Nguyên Đán\b") == ("tết nguyên đán", "ết Nguyên Đán")
    assert needles(r"(?<=[a-zđà-ỹ,] )Thứ (?:Hai|Ba)\b") == ("Thứ ",)
    assert needles(r"x(?:ab|)yz") == ("yz",)  # an empty alternative holds no word
    assert needles(r"(?i)tết") == ("",) and needles(r"[Tt]+") == ("",)  # found in any text
    assert _special_hits("Nghỉ Tết Nguyên Đán và thứ hai, ngày 5/2") == (
        ("Tết Nguyên Đán", "tết Nguyên đán"),
        ("thứ hai", "thứ Hai, thứ Ba … (tên ngày viết hoa)"),
    )
