"""Administrative units: bundled snapshot counts, name matching, eras, user lists, the `units` command."""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import sys
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from vn_congvan import units
from vn_congvan.cli import main
from vn_congvan.errors import InputError

BEFORE = date(2021, 10, 1)
AFTER = date(2026, 1, 1)
ROOT = Path(__file__).resolve().parents[1]


# --- the snapshot -------------------------------------------------------------------------------------


def test_totals_after_reform() -> None:
    every = units.all_units(as_of=AFTER)
    assert Counter(u.level for u in every) == {"tinh": 34, "xa": 3321}
    communes = Counter(u.type for u in every if u.level == "xa")
    assert communes == {"xã": 2621, "phường": 687, "đặc khu": 13}
    assert {u.era for u in every} == {"2025"}


def test_totals_before_reform() -> None:
    every = units.all_units(as_of=BEFORE)
    assert Counter(u.level for u in every) == {"tinh": 63, "huyen": 696, "xa": 10035}
    assert len(units.all_units(era="legacy", level="huyen")) == 696
    # Types come from the names: the source mislabels 3 legacy communes (e.g. Phường 5, Quận Phú Nhuận as "Xã").
    assert Counter(u.type for u in every if u.level == "xa") == {"xã": 7692, "phường": 1726, "thị trấn": 617}


def test_meta_records_source_counts_and_hashes() -> None:
    meta = units.snapshot_meta()
    assert meta["source"] == {
        "package": "vietnamadminunits",
        "version": "1.0.4",
        "license": "MIT",
        "url": "https://github.com/tranngocminhhieu/vietnamadminunits",
    }
    assert meta["counts"]["2025"]["by_level"] == {"tinh": 34, "xa": 3321}
    assert meta["counts"]["legacy"]["by_level"] == {"huyen": 696, "tinh": 63, "xa": 10035}
    date.fromisoformat(meta["build_date"])
    for name, digest in meta["files"].items():
        assert hashlib.sha256((units.UNITS_DIR / name).read_bytes()).hexdigest() == digest


def test_bundle_is_small() -> None:
    assert sum(p.stat().st_size for p in units.UNITS_DIR.iterdir()) < 400_000


def test_full_names_capitalise_the_type() -> None:
    assert units.find("Hồ Chí Minh", as_of=AFTER).full_name == "Thành phố Hồ Chí Minh"
    assert units.find("Thái Nguyên", as_of=AFTER).full_name == "Tỉnh Thái Nguyên"
    q7 = units.find("Quận 7", as_of=BEFORE)
    assert (q7.name, q7.type, q7.full_name, q7.level) == ("7", "quận", "Quận 7", "huyen")
    con_dao = units.find("Côn Đảo", as_of=AFTER)
    assert (con_dao.full_name, con_dao.type, con_dao.level) == ("Đặc khu Côn Đảo", "đặc khu", "xa")


# --- counts from domain.md -----------------------------------------------------------------------------


def test_ho_chi_minh_city() -> None:
    after = units.children("TP. Hồ Chí Minh", as_of=AFTER)
    assert len(after) == 168
    assert {u.level for u in after} == {"xa"}
    before = units.children("Thành phố Hồ Chí Minh", as_of=BEFORE)
    assert len(before) == 22  # 16 quận, Thành phố Thủ Đức, 5 huyện: unchanged 2021 -> mid-2025
    assert Counter(u.type for u in before) == {"quận": 16, "thành phố": 1, "huyện": 5}


def test_thai_nguyen() -> None:
    assert len(units.children("Thái Nguyên", as_of=AFTER)) == 92
    before = [u.full_name for u in units.children("Thái Nguyên", as_of=BEFORE)]
    # Phổ Yên was a thị xã in October 2021 and a thành phố from 2022: the snapshot is mid-2025.
    assert before == [
        "Thành phố Thái Nguyên",
        "Thành phố Sông Công",
        "Huyện Định Hóa",
        "Huyện Phú Lương",
        "Huyện Đồng Hỷ",
        "Huyện Võ Nhai",
        "Huyện Đại Từ",
        "Thành phố Phổ Yên",
        "Huyện Phú Bình",
    ]


def test_quan_7_has_its_ten_phuong() -> None:
    wards = units.children("Quận 7", province="Hồ Chí Minh", as_of=BEFORE)
    assert [u.name for u in wards] == [
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
    assert all(u.type == "phường" and u.full_name == f"Phường {u.name}" for u in wards)


def test_long_bien_snapshot_is_mid_2025() -> None:
    # The legacy snapshot is the state on 2025-06-30: Sài Đồng already merged into Phúc Lợi (2025-01-01),
    # so a 2024 campaign needs a user list (read_units_csv) for its 14 phường.
    wards = [u.name for u in units.children("Quận Long Biên", as_of=date(2024, 10, 1))]
    assert len(wards) == 13
    assert "Phúc Lợi" in wards and "Sài Đồng" not in wards


# --- eras -------------------------------------------------------------------------------------------


def test_era_boundary() -> None:
    assert units.era_for(date(2025, 6, 30)) == "legacy"
    assert units.era_for(date(2025, 7, 1)) == "2025"
    assert units.era_for() == units.era_for(date.today())


def test_district_after_reform_is_a_clear_error() -> None:
    with pytest.raises(InputError) as exc:
        units.find("Quận 7", as_of=AFTER)
    assert "không còn cấp huyện (district level abolished)" in str(exc.value)


def test_legacy_and_new_codes_are_separate() -> None:
    # Code 00004 is Phường Trúc Bạch before the reform and Phường Ba Đình after it.
    assert units.by_code("00004", era="legacy").full_name == "Phường Trúc Bạch"
    assert units.by_code("00004", era="2025").full_name == "Phường Ba Đình"


def test_successor() -> None:
    tan_phu_q7 = units.find("Phường Tân Phú, Quận 7", as_of=BEFORE)
    new = units.successor(tan_phu_q7.code)
    assert (new.full_name, new.era) == ("Phường Tân Mỹ", "2025")
    assert units.by_code(new.parent_code or "", era="2025").full_name == "Thành phố Hồ Chí Minh"
    # Phường Cống Vị (Ba Đình) was split: default first, then the others.
    split = units.successors("00007")
    assert [u.full_name for u in split] == ["Phường Ngọc Hà", "Phường Giảng Võ"]
    assert units.successor("00007").full_name == "Phường Ngọc Hà"
    # An island district with no communes, and a whole province.
    assert units.successor("755").full_name == "Đặc khu Côn Đảo"
    assert units.successor("02").full_name == "Tỉnh Tuyên Quang"  # Hà Giang went into Tuyên Quang
    with pytest.raises(InputError, match="legacy unit code not found"):
        units.successor("99999")


def test_every_legacy_commune_has_a_successor() -> None:
    for u in units.all_units(era="legacy", level="xa"):
        assert units.successor(u.code).era == "2025"


# --- names ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Hòa Bình", "Hoà Bình"),
        ("Khánh Hòa", "KHÁNH HOÀ"),
        ("Thủy Nguyên", "Thuỷ Nguyên"),
        ("Khỏe", "Khoẻ"),
        ("Ủy ban", "Uỷ ban"),
        ("TP. Hồ Chí Minh", "thành phố  hồ chí minh"),
        ("Hồ Chí Minh", " Thành phố Hồ Chí Minh "),
        ("TP.HCM", "Hồ Chí Minh"),
        ("Tỉnh Thái Nguyên", "thái nguyên"),
        ("Phường Tân Phú", "P. Tân Phú"),
        ("Thị xã Phổ Yên", "Phổ Yên"),
        ("Thị trấn Phú Mỹ", "Phú Mỹ"),
        ("Đặc khu Côn Đảo", "Côn Đảo"),
        ("Quận 7", "7"),
        ("Tân\u00a0Phú", "Tân Phú"),  # no-break space
        ("Ho\u0300a", "Hòa"),  # decomposed input
    ],
)
def test_normalise_name_equal(a: str, b: str) -> None:
    assert units.normalise_name(a) == units.normalise_name(b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Hòa", "Hà"),
        ("Quý", "Quỳ"),  # qu + y: not an oa/oe/uy tone-placement pair
        ("Hoàng", "Hòang"),  # a final consonant fixes the tone on a: no rewrite
        ("Tân Phú", "Tân Phù"),
    ],
)
def test_normalise_name_different(a: str, b: str) -> None:
    assert units.normalise_name(a) != units.normalise_name(b)


def test_normalise_name_keeps_canonical_form() -> None:
    assert units.normalise_name("Khánh Hoà") == "khánh hòa"
    assert units.normalise_name("Thuỷ") == "thủy"
    assert units.normalise_name("Quý") == "quý"


def test_find_variants() -> None:
    for text in ("Khánh Hoà", "tỉnh khánh hòa", "KHÁNH HÒA"):
        assert units.find(text, as_of=AFTER).full_name == "Tỉnh Khánh Hòa"
    # A bare name that is a province and a district: the province; with its type, the district.
    assert units.find("Thái Nguyên", as_of=BEFORE).level == "tinh"
    city = units.find("Thành phố Thái Nguyên", as_of=BEFORE)
    assert (city.level, city.parent_code) == ("huyen", units.find("Thái Nguyên", as_of=BEFORE).code)
    # A name that starts with a type word.
    assert units.find("Phường Phường Đúc", as_of=BEFORE).name == "Phường Đúc"
    assert units.find("Phường Đúc", as_of=BEFORE).name == "Phường Đúc"


def test_ambiguous_name_lists_candidates() -> None:
    with pytest.raises(InputError) as exc:
        units.find("Phường 1", as_of=BEFORE)
    text = str(exc.value)
    assert "ambiguous unit name" in text
    assert "Phường 1 (Quận 3, Thành phố Hồ Chí Minh)" in text
    assert "(and 18 more)" in text  # 33 in all, 15 shown
    # Narrowed by province, still several; by the district, one.
    with pytest.raises(InputError, match="khớp 10 đơn vị"):
        units.find("Phường 1", province="Hồ Chí Minh", as_of=BEFORE)
    one = units.find("Phường 1, Quận 3", province="Hồ Chí Minh", as_of=BEFORE)
    assert units.by_code(one.parent_code or "", era="legacy").full_name == "Quận 3"


def test_unknown_name_suggests() -> None:
    with pytest.raises(InputError) as exc:
        units.find("Quận 77", as_of=BEFORE)
    assert "Không tìm thấy đơn vị hành chính (unit not found): 'Quận 77'" in str(exc.value)
    assert exc.value.problems[0].field == "name"
    with pytest.raises(InputError) as exc:
        units.find("Quan 7", as_of=BEFORE)
    assert "did you mean): Quận 7 (Thành phố Hồ Chí Minh)" in str(exc.value)
    with pytest.raises(InputError) as exc:
        units.find("Thai Nguyen", as_of=AFTER)
    assert "Tỉnh Thái Nguyên" in str(exc.value)
    with pytest.raises(InputError) as exc:
        units.find("Tân Phú", province="Atlantis", as_of=AFTER)
    assert exc.value.problems[0].field == "province"


def test_children_of_a_unit_keeps_its_era() -> None:
    province = units.find("Thái Nguyên", as_of=BEFORE)
    assert len(units.children(province)) == 9
    commune = units.find("Phường Tân Phú, Quận 7", as_of=BEFORE)
    assert units.children(commune) == []


# --- user-given lists ---------------------------------------------------------------------------------

LONG_BIEN_2024 = [
    "Thượng Thanh",
    "Ngọc Thụy",
    "Giang Biên",
    "Đức Giang",
    "Việt Hưng",
    "Gia Thụy",
    "Ngọc Lâm",
    "Phúc Lợi",
    "Bồ Đề",
    "Sài Đồng",
    "Long Biên",
    "Thạch Bàn",
    "Phúc Đồng",
    "Cự Khối",
]


def test_read_units_csv(tmp_path: Path) -> None:
    path = tmp_path / "long_bien_2024.csv"
    rows = ["code,name,type"] + [f"{i:05d},{n},Phường" for i, n in enumerate(LONG_BIEN_2024, 1)]
    path.write_text("\ufeff" + "\n".join(rows) + "\n", encoding="utf-8")  # BOM as Excel writes it
    got = units.read_units_csv(path, as_of=date(2024, 10, 1))
    assert len(got) == 14
    assert got[9].full_name == "Phường Sài Đồng"
    assert {(u.type, u.level, u.era) for u in got} == {("phường", "xa", "legacy")}


def test_read_units_csv_optional_columns(tmp_path: Path) -> None:
    path = tmp_path / "u.csv"
    path.write_text(
        "code,name,type,full_name,parent_code\n"
        "1,Phường Đúc,phường,Phường Phường Đúc,474\n"
        "2,Phường Tân Phú,phường,,778\n"
        "3,Hồ Chí Minh,TP,Thành phố Hồ Chí Minh,\n",
        encoding="utf-8",
    )
    a, b, c = units.read_units_csv(path, as_of=AFTER)
    assert (a.name, a.full_name, a.parent_code) == ("Phường Đúc", "Phường Phường Đúc", "474")
    assert (b.name, b.full_name) == ("Tân Phú", "Phường Tân Phú")  # the type is not doubled
    assert (c.type, c.full_name, c.parent_code, c.era) == ("thành phố", "Thành phố Hồ Chí Minh", None, "2025")


def test_read_units_csv_reports_bad_rows(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(
        "code,name,type\n"
        "00001,Tân Phú,phường\n"
        "00002,Tân Phong,làng\n"  # line 3: unknown type
        "00003,,xã\n"  # line 4: no name
        "00001,Tân Quy,phường\n",  # line 5: duplicate code
        encoding="utf-8",
    )
    with pytest.raises(InputError) as exc:
        units.read_units_csv(path)
    problems = exc.value.problems
    assert [(p.line, p.field) for p in problems] == [(3, "type"), (4, "name"), (5, "code")]
    assert "invalid unit type" in problems[0].message
    assert str(problems[0]).startswith(f"{path}:3: type: ")
    assert "dòng 2" in problems[2].message


def test_read_units_csv_missing_column_and_file(tmp_path: Path) -> None:
    path = tmp_path / "cols.csv"
    path.write_text("code,ten\n1,Tân Phú\n", encoding="utf-8")
    with pytest.raises(InputError, match="missing columns"):
        units.read_units_csv(path)
    with pytest.raises(InputError, match="cannot read file"):
        units.read_units_csv(tmp_path / "none.csv")


# --- the `units` command ------------------------------------------------------------------------------


def test_cli_lists_full_names(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["units", "Quận 7", "--province", "TP. Hồ Chí Minh", "--as-of", "2021-10-01"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 10
    assert lines[0] == "Phường Tân Thuận Đông" and lines[-1] == "Phường Phú Mỹ"


def test_cli_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["units", "Thái Nguyên", "--as-of", "01/10/2021", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert len(rows) == 9
    assert rows[0] == {"code": "164", "name": "Thái Nguyên", "full_name": "Thành phố Thái Nguyên", "type": "thành phố"}
    assert main(["units", "Hồ Chí Minh", "--as-of", "2026-01-01", "--json"]) == 0
    assert len(json.loads(capsys.readouterr().out)) == 168


def test_cli_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["units", "Quận 77", "--as-of", "2021-10-01"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "Không tìm thấy đơn vị hành chính (unit not found): 'Quận 77'" in captured.err
    assert main(["units", "Quận 7", "--as-of", "2026-01-01"]) == 2
    assert "district level abolished" in capsys.readouterr().err
    assert main(["units", "Phường 1", "--as-of", "2021-10-01"]) == 2
    assert "ambiguous unit name" in capsys.readouterr().err
    assert main(["units", "Hồ Chí Minh", "--as-of", "2021-13-01"]) == 2
    assert "invalid date" in capsys.readouterr().err


def test_cli_commune_has_no_children(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["units", "Phường Tân Mỹ", "--province", "Hồ Chí Minh", "--as-of", "2026-01-01"]) == 0
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "no units under it" in captured.err


# --- the build ---------------------------------------------------------------------------------------


def _source() -> Path | None:
    if os.environ.get("VAU_SOURCE"):
        return Path(os.environ["VAU_SOURCE"])
    spec = importlib.util.find_spec("vietnamadminunits")
    return Path(next(iter(spec.submodule_search_locations))) if spec and spec.submodule_search_locations else None


@pytest.mark.skipif(_source() is None, reason="vietnamadminunits not installed (build-time only; set VAU_SOURCE)")
def test_build_is_deterministic_and_matches_bundle(tmp_path: Path) -> None:
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        import build_units
    finally:
        sys.path.pop(0)
    for out in (tmp_path / "a", tmp_path / "b"):
        assert build_units.main(["--source", str(_source()), "--out", str(out), "--build-date", "2026-01-01"]) == 0
    for name in ("units_2025.csv.gz", "units_legacy.csv.gz", "legacy_to_2025.csv.gz", "meta.json"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
        if name != "meta.json":
            assert (tmp_path / "a" / name).read_bytes() == (units.UNITS_DIR / name).read_bytes()
