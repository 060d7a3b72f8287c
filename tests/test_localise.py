"""Localisation and batch details a user meets: the capitalised "Thành phố"/"Tỉnh" a body writes of itself,
the units named after people (data built by scripts/build_person_names.py), batch with no units or an
ambiguous place, a school's derivation, `fill:` duties in a list, Vietnamese notes in derived YAML."""

from __future__ import annotations

import importlib.util
import re
from datetime import date
from pathlib import Path

import pytest
import yaml

from vn_congvan import ooxml, units
from vn_congvan.cli import main
from vn_congvan.derive import derive, issuer_for_unit, save
from vn_congvan.errors import InputError
from vn_congvan.loader import load
from vn_congvan.paths import DATA
from vn_congvan.render import render

ROOT = Path(__file__).resolve().parent.parent
PLAN_2026 = ROOT / "examples/derive/2026-ubnd-tinh-thai-nguyen-ke-hoach.yaml"
WARD_2026 = ROOT / "examples/derive/2026-phuong-phan-dinh-phung-ke-hoach.yaml"
AS_OF = date(2026, 9, 28)
PERSON_NAMES = set(yaml.safe_load((DATA / "person_names.yaml").read_text(encoding="utf-8")))
CURRENT = [u for u in units.all_units(era=units.ERA_2025) if u.level == "xa"]


def hcmc_plan(tmp_path: Path) -> Path:
    """The 2026 Thái Nguyên plan as Thành phố Hồ Chí Minh would write it: "trên địa bàn Thành phố"."""
    text = PLAN_2026.read_text(encoding="utf-8")
    text = re.sub(r"issuer:\n  signers:.*\n    pho_chu_tich_tt: \{name: ~\}\n", "", text)
    text = text.replace("profile: ubnd-tinh-thai-nguyen", "profile: ubnd-tp-ho-chi-minh")
    text = text.replace("signer: pho_chu_tich_tt", "signer: pho_chu_tich").replace("archive: [KGVX]", "archive: [VX]")
    text = text.replace("trên địa bàn tỉnh", "trên địa bàn Thành phố")
    assert text.count("trên địa bàn Thành phố") >= 2
    path = tmp_path / "hcmc.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def all_text(value: object) -> str:
    return yaml.safe_dump(value, allow_unicode=True, width=10_000)


def test_a_city_plan_is_localised_for_each_of_its_168_units(tmp_path: Path) -> None:
    plan = load(hcmc_plan(tmp_path))
    wards = units.children("Thành phố Hồ Chí Minh", as_of=AS_OF)
    assert len(wards) == 168
    for unit in wards:
        issuer = issuer_for_unit(unit, as_of=AS_OF)
        child = derive(plan, issuer, as_of=AS_OF)
        text = all_text(child.data["body"])
        assert "địa bàn Thành phố" not in text, unit
        assert f"trên địa bàn {unit.type}" in text, unit
        assert issuer.place == unit.name, unit  # no HCMC unit is named after a person: "Tân Định, ngày …"


def test_tan_dinh_prints_its_name_alone_in_the_date_line(tmp_path: Path) -> None:
    unit = units.find("Phường Tân Định", province="Hồ Chí Minh", as_of=AS_OF)
    doc = derive(load(hcmc_plan(tmp_path)), issuer_for_unit(unit, as_of=AS_OF), as_of=AS_OF).document
    texts = [p.text for p in ooxml.read(render(doc, tmp_path / "tan-dinh.docx")).paragraphs()]
    assert "Tân Định, ngày      tháng      năm 2026" in texts


def _script():
    spec = importlib.util.spec_from_file_location("build_person_names", ROOT / "scripts/build_person_names.py")
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def test_person_names_are_the_scripts_rule_applied_to_the_unit_tables() -> None:
    script = _script()
    names = {u.name for era in (units.ERA_2025, units.LEGACY) for u in units.all_units(era=era) if u.level != "tinh"}
    assert {n for n in names if script.person_named(n)} == PERSON_NAMES


@pytest.mark.parametrize(
    "name",
    [
        *["Tân Định", "Bến Thành", "Bàn Cờ", "Cầu Ông Lãnh", "Đa Kao", "Hàng Bạc", "Sài Gòn", "Ba Đình"],
        *["Hoàng Mai", "Phan Thiết", "Phan Rang", "Cao Lãnh", "Lý Sơn", "Hoàng Sa", "Vũ Thư", "Lương Sơn"],
        *["Hoàng Su Phì", "Phan Rí Cửa", "Đinh Văn Lâm Hà", "Tân Phú", "Quảng Châu"],
    ],
)
def test_a_place_name_is_not_a_person(name: str) -> None:
    assert name not in PERSON_NAMES


@pytest.mark.parametrize(
    "name",
    [
        *["Phan Đình Phùng", "Hoàng Văn Thụ", "Trần Hưng Đạo", "Lý Thường Kiệt", "Lê Lợi", "Trần Phú"],
        *["Quang Trung", "Hai Bà Trưng", "Điện Biên Phủ", "Nguyễn Trãi", "Võ Thị Sáu", "Nguyễn Thái Bình"],
    ],
)
def test_a_person_or_event_is_listed(name: str) -> None:
    assert name in PERSON_NAMES


def test_every_current_unit_flagged_follows_the_rule() -> None:
    script = _script()
    flagged = [u for u in CURRENT if u.name in PERSON_NAMES]
    assert 40 <= len(flagged) <= 120, len(flagged)
    for u in flagged:
        words = u.name.split()
        assert u.name in script.KNOWN_AS | script.OTHERS or (len(words) >= 3 and words[0] in script.SURNAMES), u
    unit = units.find("Phường Phan Đình Phùng", province="Thái Nguyên", as_of=AS_OF)
    assert issuer_for_unit(unit, as_of=AS_OF).place == "Phường Phan Đình Phùng"


def test_batch_of_a_ward_plan_has_no_units_and_says_so(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["batch", str(WARD_2026), "-o", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert code == 2 and "không có đơn vị hành chính trực thuộc (no units below it)" in err, err
    assert not (tmp_path / "out").exists()


def test_batch_takes_province_for_an_ambiguous_place(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["batch", str(PLAN_2026), "--parent-unit", "Tân Phú", "-o", str(tmp_path / "out")]
    assert main(args) == 2
    assert "ambiguous unit name" in capsys.readouterr().err
    assert main([*args, "--province", "Hồ Chí Minh"]) == 2  # found now: a phường, with nothing below it
    assert "'Tân Phú' không có đơn vị hành chính trực thuộc" in capsys.readouterr().err
    out = tmp_path / "tn"
    assert main(["batch", str(PLAN_2026), "--units", "Tân Cương", "--province", "Thái Nguyên", "-o", str(out)]) == 0
    assert [p.name for p in out.glob("*.docx")] == [f"{units.find('Xã Tân Cương', as_of=AS_OF).code}-xa-tan-cuong.docx"]


def test_a_school_derives_from_its_ward_and_an_unknown_body_has_no_unit_catalogue(tmp_path: Path) -> None:
    school = tmp_path / "truong.yaml"
    school.write_text(
        "level: truong\nname: Trường Tiểu học Phan Đình Phùng\nplace: Phan Đình Phùng\nabbreviation: THPĐP\n"
        "signers:\n  hieu_truong: {title: HIỆU TRƯỞNG}\n",
        encoding="utf-8",
    )
    assert derive(WARD_2026, school, as_of=date(2026, 10, 1)).document.full_symbol() == "KH-THPĐP"  # issue 11
    finance = tmp_path / "phong.yaml"
    finance.write_text(school.read_text(encoding="utf-8").replace("level: truong", "level: phong"), encoding="utf-8")
    with pytest.raises(InputError) as info:
        derive(WARD_2026, finance, as_of=date(2026, 10, 1))
    message = str(info.value)
    assert "(no unit catalogue for this issuer)" in message and "below its parent" not in message


def test_fill_duties_keep_their_dash(tmp_path: Path) -> None:
    doc = load(WARD_2026)
    texts = [p.text for p in ooxml.read(render(doc, tmp_path / "ward.docx")).paragraphs()]
    starts = ("Tổng hợp, báo cáo kết quả tổ chức Tuần lễ", "Báo cáo kết quả tổ chức Tuần lễ")  # the `fill:` duties
    reports = [t for t in texts if t.removeprefix("- ").startswith(starts)]
    assert reports and all(t.startswith("- ") for t in reports), reports
    tasks = next(b for b in doc.body if getattr(b, "tasks", None)).tasks
    assert len([t for t in tasks if len(t.duties) > 1 and any(getattr(d, "fill", None) for d in t.duties)]) == 2


def test_derived_yaml_notes_are_vietnamese(tmp_path: Path) -> None:
    child = derive(PLAN_2026, issuer_for_unit(units.find("Xã Tân Cương", as_of=AS_OF), as_of=AS_OF), as_of=AS_OF)
    text = save(child, tmp_path / "tan-cuong.yaml").read_text(encoding="utf-8")
    notes = [line.strip() for line in text.splitlines() if line.strip().startswith("#")]
    assert len(notes) > 10 and notes[0].startswith("# Dẫn xuất bằng `vn-congvan derive`")
    english = re.compile(r"\b(the|parent|child|inherited|dropped|localised|re-addressed|catalogue|deadline|units?)\b")
    assert not [n for n in notes if english.search(n.replace("unit_types.yaml", ""))]


def test_a_province_writing_tinh_with_a_capital_is_localised_too(tmp_path: Path) -> None:
    path = tmp_path / "tinh.yaml"
    text = PLAN_2026.read_text(encoding="utf-8").replace("trên địa bàn tỉnh", "trên địa bàn Tỉnh")
    path.write_text(text, encoding="utf-8")
    unit = units.find("Xã Tân Cương", as_of=AS_OF)
    body = all_text(derive(load(path), issuer_for_unit(unit, as_of=AS_OF), as_of=AS_OF).data["body"])
    assert "địa bàn Tỉnh" not in body and body.count("trên địa bàn xã") >= 2
