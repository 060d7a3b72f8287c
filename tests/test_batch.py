"""Batch: one plan per unit from the bundled unit data, with a manifest, isolation and re-run skips."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pytest

from vn_congvan import ooxml
from vn_congvan.cli import main

ROOT = Path(__file__).resolve().parent.parent
QUAN_7 = ROOT / "examples/seeds/004-quan-7-ke-hoach.yaml"
THAI_NGUYEN_2026 = ROOT / "examples/derive/2026-ubnd-tinh-thai-nguyen-ke-hoach.yaml"
WARDS_Q7 = [
    "Tân Thuận Đông", "Tân Thuận Tây", "Tân Kiểng", "Tân Hưng", "Bình Thuận",
    "Tân Quy", "Phú Thuận", "Tân Phú", "Tân Phong", "Phú Mỹ",
]  # fmt: skip


def manifest(outdir: Path) -> list[dict]:
    return json.loads((outdir / "manifest.json").read_text(encoding="utf-8"))["units"]


def batch(plan: Path, outdir: Path, *extra: str) -> int:
    return main(["batch", str(plan), "-o", str(outdir), *extra])


@pytest.fixture(scope="module")
def quan_7(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("q7")
    assert batch(QUAN_7, out, "--units", "all", "--jobs", "2") == 0
    return out


def test_quan_7_gives_ten_ward_plans_with_their_own_header_place_and_text(quan_7: Path) -> None:
    entries = manifest(quan_7)
    assert sorted(e["name"] for e in entries) == sorted(f"Phường {w}" for w in WARDS_Q7)
    for e in entries:
        ward = e["name"].removeprefix("Phường ")
        assert e["check"] == "ok" and e["error"] is None
        doc = ooxml.read(quan_7 / e["file"])
        texts = [p.text for p in doc.paragraphs()]
        assert texts[:2] == ["ỦY BAN NHÂN DÂN", f"PHƯỜNG {ward.upper()}"]
        assert f"{ward}, ngày      tháng      năm 2021" in texts
        body = "\n".join(texts)
        assert "Kế hoạch số 4595/KH-UBND ngày 01/10/2021 của Ủy ban nhân dân Quận 7" in body
        assert "- UBND Quận 7 (để báo cáo);" in texts
        assert "trên địa bàn phường" in body


def test_manifest_matches_the_files(quan_7: Path) -> None:
    entries = manifest(quan_7)
    files = sorted(p.name for p in quan_7.glob("*.docx"))
    assert files == sorted(e["file"] for e in entries)
    for e in entries:
        assert re.fullmatch(r"[0-9]+-[a-z0-9-]+\.docx", e["file"])
        assert hashlib.sha256((quan_7 / e["file"]).read_bytes()).hexdigest() == e["sha256"]
    assert not list(quan_7.glob(".*part"))


def test_rerun_skips_unchanged_units_and_force_gives_the_same_bytes(quan_7: Path, capsys) -> None:
    before = {e["file"]: e["sha256"] for e in manifest(quan_7)}
    mtimes = {p.name: p.stat().st_mtime_ns for p in quan_7.glob("*.docx")}
    assert batch(QUAN_7, quan_7, "--units", "all", "--jobs", "1") == 0
    assert all(e["skipped"] for e in manifest(quan_7))
    assert {p.name: p.stat().st_mtime_ns for p in quan_7.glob("*.docx")} == mtimes
    assert batch(QUAN_7, quan_7, "--units", "Tân Phú, Phú Mỹ", "--force", "--jobs", "1") == 0
    again = manifest(quan_7)
    assert sorted(e["name"] for e in again) == sorted(f"Phường {w}" for w in WARDS_Q7)  # the others are kept
    assert [e["name"] for e in again if not e["skipped"]] == ["Phường Tân Phú", "Phường Phú Mỹ"]
    assert all(before[e["file"]] == e["sha256"] for e in again)  # byte-identical re-render


def test_one_failing_unit_does_not_stop_the_others(tmp_path: Path, monkeypatch, capsys) -> None:
    import vn_congvan.batch as batch_module

    real = batch_module.issuer_for_unit

    def failing(unit, **kwargs):
        if unit.name == "Tân Kiểng":
            raise RuntimeError("simulated failure")
        return real(unit, **kwargs)

    monkeypatch.setattr(batch_module, "issuer_for_unit", failing)
    assert batch(QUAN_7, tmp_path, "--units", "all", "--jobs", "1") == 1
    entries = manifest(tmp_path)
    failed = [e for e in entries if e["error"]]
    assert [e["name"] for e in failed] == ["Phường Tân Kiểng"] and "simulated failure" in failed[0]["error"]
    assert len(list(tmp_path.glob("*.docx"))) == 9
    assert "9/10" in capsys.readouterr().out


def test_units_from_a_csv_file(tmp_path: Path) -> None:
    csv = tmp_path / "long-bien-2024.csv"
    csv.write_text("code,name,type\n00001,Sài Đồng,phường\n00002,Phúc Lợi,phường\n", encoding="utf-8")
    assert batch(QUAN_7, tmp_path / "out", "--units", str(csv), "--jobs", "1", "--no-check") == 0
    assert [e["name"] for e in manifest(tmp_path / "out")] == ["Phường Sài Đồng", "Phường Phúc Lợi"]


def test_unknown_unit_name_exits_2(tmp_path: Path, capsys) -> None:
    assert batch(QUAN_7, tmp_path, "--units", "Tân Phú, Bến Nghé") == 2
    assert "Bến Nghé" in capsys.readouterr().err
    assert not (tmp_path / "manifest.json").exists()


def test_thai_nguyen_2026_gives_92_commune_plans(tmp_path: Path) -> None:
    assert batch(THAI_NGUYEN_2026, tmp_path, "--as-of", "2026-10-01", "--jobs", "2", "--no-check") == 0
    entries = manifest(tmp_path)
    assert len(entries) == 92 and not any(e["error"] for e in entries)
    assert {e["name"].split(" ")[0] for e in entries} <= {"Xã", "Phường"}


def test_ho_chi_minh_city_2026_gives_168_plans(tmp_path: Path) -> None:
    text = THAI_NGUYEN_2026.read_text(encoding="utf-8")
    text = text.replace("profile: ubnd-tinh-thai-nguyen", "profile: ubnd-tp-ho-chi-minh")
    text = text.replace("pho_chu_tich_tt: {name: ~}", "pho_chu_tich: {name: ~}").replace(
        "signer: pho_chu_tich_tt", "signer: pho_chu_tich"
    )
    plan = tmp_path / "2026-tp-hcm.yaml"
    plan.write_text(text, encoding="utf-8")
    assert batch(plan, tmp_path / "out", "--as-of", "2026-10-01", "--jobs", "2", "--no-check") == 0
    entries = manifest(tmp_path / "out")
    assert len(entries) == 168
    assert {e["name"].split(" ")[0] for e in entries} <= {"Xã", "Phường", "Đặc"}


def test_zip_holds_every_plan_and_the_manifest_and_is_reproducible(quan_7: Path) -> None:
    import zipfile

    assert batch(QUAN_7, quan_7, "--units", "all", "--jobs", "1") == 0  # every unit in the manifest
    assert batch(QUAN_7, quan_7, "--units", "all", "--jobs", "1", "--zip") == 0
    archive = quan_7 / "004-quan-7-ke-hoach.zip"
    first = archive.read_bytes()
    with zipfile.ZipFile(archive) as z:
        assert z.testzip() is None
        assert sorted(z.namelist()) == sorted([e["file"] for e in manifest(quan_7)] + ["manifest.json"])
        assert z.read(manifest(quan_7)[0]["file"]) == (quan_7 / manifest(quan_7)[0]["file"]).read_bytes()
    assert batch(QUAN_7, quan_7, "--units", "all", "--jobs", "1", "--zip") == 0
    assert archive.read_bytes() == first


def test_batch_collector_gives_back_the_callers_collector() -> None:
    """A script that runs a batch in its own process (jobs=1) keeps its garbage collector's settings, also when
    the batch fails."""
    import gc

    from vn_congvan.batch import batch_collector

    before = gc.get_threshold()
    with batch_collector():
        assert gc.get_threshold()[0] == 10_000
    assert gc.get_threshold() == before
    with pytest.raises(RuntimeError), batch_collector():
        raise RuntimeError("a unit failed")
    assert gc.get_threshold() == before
