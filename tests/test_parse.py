"""Reading received documents back into the YAML schema: the five seed texts field by field, and
round trips through the library's own .docx output (every examples/seeds/*.yaml present)."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml
from shared import REALDOCS
from shared import SEEDS as SHARED_SEEDS  # tests/ is on sys.path under pytest

from vn_congvan import rules
from vn_congvan.cli import main
from vn_congvan.errors import InputError
from vn_congvan.loader import load
from vn_congvan.model import Document, Section
from vn_congvan.parse import issuer_name, parse, parse_basis, parse_file, parse_text, parse_to_yaml, to_yaml
from vn_congvan.render import render

ROOT = Path(__file__).resolve().parents[1]
SEEDS = SHARED_SEEDS
EXAMPLES = sorted((ROOT / "examples" / "seeds").glob("*.yaml"))


def seed(prefix: str) -> Path:
    found = sorted(SEEDS.glob(f"{prefix}_*.txt"))
    if not found:
        pytest.skip(f"seed {prefix} not available")
    return found[0]


@pytest.fixture(scope="module")
def seeds() -> dict[str, dict[str, Any]]:
    return {p: parse(seed(p)) for p in ("000", "001", "002", "003", "004")}


def sections(blocks: list[Any]) -> list[dict[str, Any]]:
    return [b for b in blocks if isinstance(b, dict) and "heading" in b]


def headings(data: dict[str, Any]) -> list[str]:
    return [s["heading"] for s in sections(data["body"])]


def task_section(data: dict[str, Any]) -> dict[str, Any]:
    return next(s for s in sections(data["body"]) if s.get("tasks"))


def entries(data: dict[str, Any]) -> list[tuple[str, str | None]]:
    return [(e, None) if isinstance(e, str) else (e["to"], e.get("note")) for e in data.get("distribution", [])]


def walk_text(node: Any) -> list[str]:
    if isinstance(node, str):
        return [node]
    if isinstance(node, dict):
        return [t for v in node.values() for t in walk_text(v)]
    if isinstance(node, list):
        return [t for v in node for t in walk_text(v)]
    return []


# ---------------------------------------------------------------------------- 001: Thái Nguyên kế hoạch


def test_001_header_and_title(seeds: dict[str, dict[str, Any]]) -> None:
    d = seeds["001"]
    assert (d["number"], d["symbol"], d["date"]) == (144, "KH-UBND", "2022-09-30")
    assert d["issuer"]["place"] == "Thái Nguyên"
    assert d["issuer"]["abbreviation"] == "UBND"
    assert "header" not in d["issuer"]  # the extracted text has no left header cell
    assert d["kind"] == "ke_hoach"
    assert d["title"] == "Tổ chức Tuần lễ hưởng ứng học tập suốt đời năm 2022"
    assert "draft" not in d and "recipients" not in d


def test_001_basis(seeds: dict[str, dict[str, Any]]) -> None:
    (basis,) = seeds["001"]["basis"]
    assert basis["lead"] == "Thực hiện"
    (ref,) = basis["refs"]
    assert ref == {
        "kind": "cong_van",
        "number": "4342",
        "symbol": "BGDĐT-GDTrX",
        "date": "2022-09-07",
        "issuer": "Bộ Giáo dục và Đào tạo",
        "summary": "về việc tổ chức Tuần lễ hưởng ứng học tập suốt đời năm 2022",
    }
    assert basis["text"].startswith("; sau khi xem xét đề nghị của Sở Giáo dục và Đào tạo tại Báo cáo số 2193/BC-SGDĐT")
    assert basis["text"].endswith("với nội dung như sau:")


def test_001_sections_and_tasks(seeds: dict[str, dict[str, Any]]) -> None:
    d = seeds["001"]
    assert headings(d) == [
        "Mục đích, yêu cầu",
        "Chủ đề",
        "Thời gian tổ chức",
        "Các hoạt động trong tuần lễ",
        "Tổ chức thực hiện",
    ]
    activities = sections(d["body"])[3]["content"]
    assert activities[0].endswith("hoạt động trọng tâm sau:")
    assert len(activities[1]["items"]) == 4 and "marker" not in activities[1]
    tasks = task_section(d)["tasks"]
    assert [t["unit"] for t in tasks] == [
        "Sở Giáo dục và Đào tạo",
        "Hội Khuyến học tỉnh",
        "Sở Thông tin và Truyền thông, Báo Thái Nguyên, Đài Phát thanh - Truyền hình tỉnh, Trung tâm Thông tin tỉnh",
        "Sở Văn hóa, Thể thao và Du lịch",
        "Đại học Thái Nguyên, các trường Đại học thành viên thuộc Đại học Thái Nguyên, Đại học Khoa học và Công nghệ, "
        "các trường cao đẳng, trung cấp trên địa bàn tỉnh",
        "Các sở, ban, ngành, đoàn thể, cơ quan đơn vị trên địa bàn tỉnh",
        "UBND các huyện, thành phố",
    ]
    assert [t.get("prefix", "") for t in tasks] == ["", "", "", "", "Đề nghị", "", ""]
    assert [len(t["duties"]) for t in tasks] == [1, 1, 3, 2, 1, 2, 2]
    assert "numbering" not in d  # 1. / 4.1. is the default


def test_001_campaign_closing_tail(seeds: dict[str, dict[str, Any]]) -> None:
    d = seeds["001"]
    assert d["campaign"] == {
        "name": "Tuần lễ hưởng ứng học tập suốt đời",
        "year": 2022,
        "theme": "Thúc đẩy chuyển đổi số phục vụ cho học tập suốt đời sau đại dịch COVID-19",
        "start": "2022-10-01",
        "end": "2022-10-07",
        "opening_day": "2022-10-01",
    }
    assert d["closing"] == [
        "Trên đây là Kế hoạch tổ chức Tuần lễ hưởng ứng học tập suốt đời năm 2022 trên địa bàn tỉnh, các cơ quan, "
        "đơn vị, địa phương phối hợp triển khai thực hiện."
    ]
    assert entries(d) == [
        ("Bộ Giáo dục và Đào tạo", "(b/c)"),
        ("CT UBND tỉnh", "(b/c)"),
        ("Các sở, ban, ngành, đoàn thể", None),
        ("Hội Khuyến học tỉnh", None),
        ("UBND các huyện, thành phố", None),
        ("LĐ VP UBND tỉnh", None),
    ]
    assert d["archive"] == ["KGVX"]
    assert d["drafter_mark"] == "07.KH/T9/Tamht"
    assert d["signer"] == {
        "prefix": "KT.",
        "head_title": "CHỦ TỊCH",
        "title": "PHÓ CHỦ TỊCH THƯỜNG TRỰC",
        "name": "Đặng Xuân Trường",
    }


def test_001_yaml_loads_with_profile_and_renders(tmp_path: Path) -> None:
    out = parse_to_yaml(seed("001"), tmp_path / "001.yaml")
    text = out.read_text(encoding="utf-8")
    assert "Cần bổ sung" in text and "issuer.level" in text  # tells the user what to add
    data = yaml.safe_load(text)
    assert list(data)[:4] == ["kind", "issuer", "number", "date"]
    data["profile"] = "ubnd-tinh-thai-nguyen"
    del data["issuer"]  # the profile has the header lines the extracted text lacks
    (tmp_path / "001p.yaml").write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    (tmp_path / "profiles").mkdir()
    (tmp_path / "profiles" / "ubnd-tinh-thai-nguyen.yaml").write_text(
        (ROOT / "profiles" / "ubnd-tinh-thai-nguyen.yaml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    doc = load(tmp_path / "001p.yaml")
    assert doc.number == 144 and doc.full_symbol() == "KH-UBND"
    assert doc.campaign is not None and doc.campaign.opening_day is not None
    assert render(doc, tmp_path / "001.docx").stat().st_size > 5000


# ---------------------------------------------------------------------------- 000: Hải Phòng công văn (draft)


def test_000_draft_cong_van(seeds: dict[str, dict[str, Any]]) -> None:
    d = seeds["000"]
    assert d["kind"] == "cong_van"
    assert d["number"] is None and d["date"] is None and d["year"] == 2022 and d["draft"] is True
    assert d["symbol"] == "SGDDT-GDTEX&DH"
    # the place through the unit table: Hải Phòng is a thành phố (a province)
    assert d["issuer"] == {"place": "Hải Phòng", "area": "thành phố", "abbreviation": "SGDDT"}
    assert d["title"] == "tổ chức Tuần lễ hưởng ứng học tập suốt đời năm 2022"  # the V/v on two lines
    assert d["recipients"] == [
        "Các sở, ban, ngành, đoàn thể thành phố",
        "Hội Khuyến học Hải Phòng",
        "Ủy ban nhân dân các quận, huyện",
        "Phòng Giáo dục và Đào tạo quận, huyện",
        "Các trường THPT công lập; Trung tâm GDTEX Hải Phòng; Trung tâm GDNN-GDTEX quận/huyện",
        "Trung tâm Tin học Hải Phòng; Trung tâm Giáo dục KTTHHN và Bồi dưỡng nhà giáo",
        "Đài PTTH Hải Phòng; Báo Hải Phòng",
    ]


def test_000_basis_body_tail(seeds: dict[str, dict[str, Any]]) -> None:
    d = seeds["000"]
    first, second = d["basis"]
    (ref,) = first["refs"]
    assert (ref["number"], ref["symbol"], ref["date"], ref["issuer"]) == (
        "4342",
        "BGDĐT-GDTEX",
        "2022-09-07",
        "Bộ Giáo dục và Đào tạo",
    )
    assert ref["summary"].endswith("Về việc tổ chức Tuần lễ hưởng ứng học tập suốt đời năm 2022")
    assert second["lead"] == "Căn cứ chỉ đạo của Ủy ban nhân dân thành phố, tại"  # words before the citation
    assert [(r["number"], r["symbol"], r["date"]) for r in second["refs"]] == [("3201", "VP-VX", "2022-09-14")]
    assert second["refs"][0]["summary"].startswith("về việc tổ chức Tuần lễ hưởng ứng học tập suốt đời năm 2022")
    # two opening paragraphs, joined across the page break ("thuộc" / "ngành dọc")
    assert d["body"][0].startswith("Tuần lễ hưởng ứng học tập suốt đời là hoạt động")
    assert "các cơ quan liên quan thuộc ngành dọc" in d["body"][1]
    assert headings(d) == [
        "Mục đích, yêu cầu",
        "Chủ đề",
        "Thời gian tổ chức",
        "Các hoạt động trong Tuần lễ",
        "Tổ chức thực hiện",
    ]
    assert d["campaign"]["report_deadline"] == "2022-10-14"
    assert d["closing"][-1] == "Trân trọng."
    assert d["closing"][0].startswith("Trong quá trình thực hiện")
    assert entries(d)[:2] == [("Như kg", "(để triển khai thực hiện)"), ("Bộ GD&ĐT, Vụ GDTX", "(để báo cáo)")]
    assert len(entries(d)) == 6
    assert d["archive"] == ["GDTX&ĐH"]
    assert d["signer"] == {"prefix": "KT.", "head_title": "GIÁM ĐỐC", "title": "PHÓ GIÁM ĐỐC", "name": "Đỗ Thị Hòa"}


def test_000_report_form_is_an_appendix_not_body(seeds: dict[str, dict[str, Any]]) -> None:
    body = " ".join(walk_text([seeds["000"]["body"], seeds["000"].get("closing")]))
    assert "MẪU BÁO CÁO" not in body and "Kết quả cụ thể" not in body and "<" not in body
    assert "**" not in body and "***" not in body
    # nothing lost: the attached form is kept, as an appendix of its own
    appendix = " ".join(walk_text(seeds["000"]["appendices"]))
    assert "MẪU BÁO CÁO" in appendix and "Kết quả cụ thể" in appendix


# ---------------------------------------------------------------------------- 002: Bộ GD&ĐT công văn


def test_002_header(seeds: dict[str, dict[str, Any]]) -> None:
    d = seeds["002"]
    assert d["kind"] == "cong_van"
    assert d["issuer"] == {
        "level": "bo",
        "name": "Bộ Giáo dục và Đào tạo",
        "header": ["BỘ GIÁO DỤC VÀ ĐÀO TẠO"],
        "place": "Hà Nội",
    }
    assert d["date"] == "2020-09-15"  # written "tháng 09" in the seed
    assert d["number"] is None and "draft" not in d  # the extracted text has no số line at all
    assert d["title"] is None
    assert d["recipients"] == ["Chủ tịch Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương"]


def test_002_body_inline_tasks_and_signer(seeds: dict[str, dict[str, Any]]) -> None:
    d = seeds["002"]
    assert "basis" not in d  # "Thực hiện nhiệm vụ năm học…" cites no document
    assert d["body"][0].startswith("Thực hiện nhiệm vụ năm học 2020-2021")
    assert headings(d)[-1] == "Tổ chức thực hiện"
    activities = sections(d["body"])[3]["content"]
    letters = activities[1]
    assert letters["marker"] == "a)" and len(letters["items"]) == 3
    assert len(letters["items"][2]["items"]) == 5  # the '-' points under c)
    tasks = task_section(d)
    assert tasks["task_style"] == "inline"
    assert [t["unit"] for t in tasks["tasks"]] == [
        "Ủy ban nhân dân các tỉnh",
        "Sở Giáo dục và Đào tạo",
        "Các cơ sở giáo dục",
    ]
    assert tasks["tasks"][0]["duties"][0].startswith("Chỉ đạo các sở, ban, ngành")
    assert d["closing"][0].startswith("Bộ Giáo dục và Đào tạo đề nghị Chủ tịch")
    assert d["campaign"]["theme"] == "Chuyển đổi số thúc đẩy Học tập suốt đời"
    assert (d["campaign"]["start"], d["campaign"]["end"]) == ("2020-10-01", "2020-10-07")
    assert d["campaign"]["report_deadline"] == "2020-10-30"
    assert d["signer"] == {"prefix": "KT.", "head_title": "BỘ TRƯỞNG", "title": None}
    assert "distribution" not in d
    assert "Thông tư 07/2018/TT-BTC hướng dẫn" not in " ".join(walk_text(d))  # the web page's links


# ---------------------------------------------------------------------------- 003: BCĐ Long Biên


def test_003(seeds: dict[str, dict[str, Any]]) -> None:
    d = seeds["003"]
    assert (d["number"], d["symbol"], d["date"]) == (22, "KH-BCĐ", "2023-09-22")
    assert d["issuer"] == {"place": "Long Biên", "area": "quận", "abbreviation": "BCĐ"}
    assert d["kind"] == "ke_hoach"
    assert d["title"] == "Tổ chức “Tuần lễ hưởng ứng học tập suốt đời” năm 2023"
    (basis,) = d["basis"]
    assert basis["lead"] == "Căn cứ"
    assert [(r["number"], r["symbol"], r["date"], r.get("issuer")) for r in basis["refs"]] == [
        ("4864", "BGDĐT-GDĐT", "2023-09-08", "Bộ Giáo dục và Đào tạo"),
        ("3442", "SGDĐT-GDĐT-ĐH", "2023-09-21", "Sở GD&ĐT Hà Nội"),
    ]
    assert basis["text"].startswith(", Ban Chỉ đạo xây dựng xã hội học tập quận Long Biên")
    assert headings(d) == [
        "Mục đích, yêu cầu",
        "Chủ đề:",
        "Thời gian tổ chức, địa điểm tổ chức:",
        "Các hoạt động trong Tuần lễ",
        "Tổ chức thực hiện",
    ]
    assert [t["unit"] for t in task_section(d)["tasks"]] == [
        "Phòng Giáo dục và Đào tạo Quận",
        "UBND phường, Trung tâm Học tập cộng đồng và Hội Khuyến học 14 Phường",
        "Các trường học trên địa bàn Quận",
        "Trung tâm giáo dục nghề nghiệp – giáo dục thường xuyên quận Long Biên",
    ]
    text = " ".join(walk_text(d))
    assert "X.H.C." not in text and "V.G. BIÊN" not in text  # stamp OCR residue
    assert "nguyenvansan_longbien@hanoi.gov.vn" in d["closing"][0]
    assert d["campaign"]["theme"] == "Xây dựng năng lực tự học trong kỷ nguyên số"
    assert (d["campaign"]["start"], d["campaign"]["end"]) == ("2023-10-02", "2023-10-08")
    assert entries(d)[0] == ("Sở GD&ĐT Hà Nội", "(để báo cáo)")
    assert len(entries(d)) == 4
    assert "archive" not in d  # "Lưu: VT ( 02 )." keeps only VT
    assert d["signer"] == {
        "prefix": "KT.",
        "head_title": "TRƯỞNG BAN",
        "title": "PHÓ TRƯỞNG BAN THƯỜNG TRỰC",
        "other_title": "TRƯỞNG PHÒNG GD&ĐT",
        "name": "Vũ Thị Thu Hà",
    }


# ---------------------------------------------------------------------------- 004: UBND Quận 7


def test_004(seeds: dict[str, dict[str, Any]]) -> None:
    d = seeds["004"]
    assert (d["number"], d["symbol"], d["date"]) == (4595, "KH-UBND", "2021-10-01")  # "Số: 4595" / "/KH-UBND"
    assert d["issuer"] == {
        "level": "huyen",
        "name": "Ủy ban nhân dân Quận 7",
        "header": ["ỦY BAN NHÂN DÂN", "QUẬN 7"],
        "place": "Quận 7",
        "area": "quận",  # not the level's "huyện": the unit table says what Quận 7 is
        "abbreviation": "UBND",
    }
    assert d["title"] == "Tổ chức “Tuần lễ hưởng ứng học tập suốt đời năm 2021” trên địa bàn Quận 7"
    refs = [r for b in d["basis"] for r in b["refs"]]
    assert [(r["kind"], r["number"], r["symbol"], r["date"], r["issuer"]) for r in refs] == [
        ("ke_hoach", "3195", "KH-UBND", "2021-09-27", "Ủy ban nhân dân Thành phố"),
        ("cong_van", "2615", "GDDT-GDTX-CNDH", "2021-09-29", "Sở Giáo dục và Đào tạo"),
    ]
    assert refs[0]["summary"] == (
        "về tổ chức Tuần lễ hưởng ứng học tập suốt đời năm 2021 trên địa bàn Thành phố Hồ Chí Minh"
    )
    assert d["citation_dates"] == "long"
    assert headings(d) == ["Mục đích, yêu cầu", "Các nội dung thực hiện", "Phân công thực hiện"]  # I. II. III.
    assert d["numbering"] == ["I.", "1.", "1.1."]
    contents = sections(d["body"])[1]["content"]
    assert [s["heading"] for s in sections(contents)] == [
        "Công tác tuyên truyền",
        "Tổ chức Lễ khai mạc Tuần lễ hướng ứng học tập suốt đời",
        "Các hoạt động cụ thể",
    ]
    tasks = task_section(d)["tasks"]
    assert len(tasks) == 9
    assert [t.get("prefix") for t in tasks] == ["Giao"] * 8 + ["Đề nghị"]
    assert tasks[0]["unit"] == "Phòng Giáo dục và Đào tạo quận"
    assert tasks[-1]["unit"].startswith("Ủy ban Mặt trận Tổ quốc Việt Nam quận")
    assert d["campaign"]["theme"] == "Chuyển đổi số để xây dựng thành công một xã hội học tập mới"
    assert (d["campaign"]["start"], d["campaign"]["end"]) == ("2021-10-01", "2021-10-07")
    assert d["campaign"]["opening_day"] == "2021-10-05"
    assert d["closing"][0].endswith("nghiêm túc triển khai thực hiện.")  # "✓" dropped
    assert len(entries(d)) == 11 and "archive" not in d  # "Lưu: VT."
    assert d["signer"] is None  # no signature block in the extracted text
    text = " ".join(walk_text({k: v for k, v in d.items() if k != "appendices"}))
    assert "KHẨU HIỆU" not in text and "Đề cương" not in text and "TỔNG HỢP SỐ LIỆU" not in text
    attached = " ".join(walk_text(d["appendices"]))  # kept, not lost: the slogans page and the report form
    assert "KHẨU HIỆU" in attached and "TỔNG HỢP SỐ LIỆU" in attached


# ---------------------------------------------------------------------------- pieces


def test_issuer_name_sentence_case() -> None:
    assert issuer_name(["ỦY BAN NHÂN DÂN", "TỈNH THÁI NGUYÊN"]) == "Ủy ban nhân dân tỉnh Thái Nguyên"
    assert issuer_name(["BỘ GIÁO DỤC VÀ ĐÀO TẠO"]) == "Bộ Giáo dục và Đào tạo"
    assert issuer_name(["SỞ GIÁO DỤC VÀ ĐÀO TẠO"]) == "Sở Giáo dục và Đào tạo"
    assert issuer_name(["PHÒNG VĂN HÓA - XÃ HỘI"]) == "Phòng Văn hóa - Xã hội"
    assert issuer_name(["ỦY BAN NHÂN DÂN", "QUẬN 7"]) == "Ủy ban nhân dân Quận 7"
    assert (
        issuer_name(["BAN CHỈ ĐẠO XÂY DỰNG XÃ HỘI HỌC TẬP QUẬN LONG BIÊN"])
        == "Ban Chỉ đạo xây dựng xã hội học tập quận Long Biên"
    )
    assert issuer_name(["TRƯỜNG THCS BẠCH LIÊU"]) == "Trường THCS Bạch Liêu"


def test_basis_forms() -> None:
    b = parse_basis(
        "Căn cứ Kế hoạch số 3195 /KH-UBND ngày 27 tháng 9 năm 2021 của Ủy ban nhân dân Thành phố về tổ chức Tuần lễ;"
    )
    assert b == {
        "lead": "Căn cứ",
        "refs": [
            {
                "kind": "ke_hoach",
                "number": "3195",
                "symbol": "KH-UBND",
                "date": "2021-09-27",
                "issuer": "Ủy ban nhân dân Thành phố",
                "summary": "về tổ chức Tuần lễ",
            }
        ],
    }
    t = parse_basis("Căn cứ Thông tư số 01/2011/TT-BNV ngày 19/01/2011 của Bộ Nội vụ.")
    assert t is not None and t["refs"][0]["kind"] == "Thông tư" and t["refs"][0]["symbol"] == "2011/TT-BNV"
    assert parse_basis("Thực hiện nhiệm vụ năm học 2020-2021, Bộ đề nghị:") is None
    assert parse_basis("Tổ chức Tuần lễ") is None


def test_noise_is_cleaned() -> None:
    d = parse_text(
        "## **Số: 05\n/KH-UBND**\n\n*Hà Nội, ngày 05 tháng 01 năm 2026*\n\n**KẾ HOẠCH**  \n**Tổ chức ngày hội**\n\n"
        "**1. Mục đích**\n\nNội dung một.\n\nX.H.C.  \nPHÒNG\n\n- mục một;\n\n- + mục con\n\n"
        "Trên đây là kế hoạch./. ✓\n\n**Nơi nhận:**\n- Sở A; | để biết\n- Lưu: VT, VP.\n\n| TM. ỦY BAN NHÂN DÂN |\n"
        "| CHỦ TỊCH |\n\nNguyễn Văn A\n"
    )
    assert (d["number"], d["symbol"], d["date"]) == (5, "KH-UBND", "2026-01-05")
    assert d["title"] == "Tổ chức ngày hội"
    (section,) = d["body"]
    assert section["content"] == [
        "Nội dung một.",
        {"items": [{"text": "mục một;", "items": ["mục con"], "marker": "+"}]},
    ]
    assert d["closing"] == ["Trên đây là kế hoạch."]
    assert d["distribution"] == [{"to": "Sở A", "note": "(để biết)"}]
    assert d["archive"] == ["VP"]
    assert d["signer"] == {"authority": "TM. ỦY BAN NHÂN DÂN", "title": "CHỦ TỊCH", "name": "Nguyễn Văn A"}


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_completed_seed_validates(prefix: str, seeds: dict[str, dict[str, Any]]) -> None:
    """Once the user adds what the YAML's header comment lists, the model accepts the parsed data."""
    from vn_congvan.parse import missing_fields

    d = {**seeds[prefix]}
    todo = " ".join(missing_fields(d))
    filled = {"level": "tinh", "name": "Cơ quan", "place": "Nơi", "abbreviation": "UBND"}
    d["issuer"] = {**filled, **(d.get("issuer") or {})}
    if "title" in todo:
        d["title"] = "tổ chức Tuần lễ"
    if "symbol" in todo:
        d["symbol"] = "BGDĐT-GDTX"
    if "signer" in todo:
        d["signer"] = {**(d["signer"] or {}), "title": (d["signer"] or {}).get("title") or "THỨ TRƯỞNG"}
    doc = Document.model_validate(d)
    assert doc.kind == d["kind"]


def test_unreadable_input(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="không tìm thấy"):
        parse(tmp_path / "missing.docx")
    bad = tmp_path / "bad.docx"
    bad.write_bytes(b"not a zip")
    with pytest.raises(InputError, match=r"không phải gói zip \(not a zip package"):
        parse(bad)
    other = tmp_path / "x.pdf"
    other.write_bytes(b"%PDF")
    with pytest.raises(InputError, match="unreadable PDF"):
        parse(other)
    empty = tmp_path / "empty.txt"
    empty.write_text("** \n\n", encoding="utf-8")
    with pytest.raises(InputError, match="empty document"):
        parse(empty)


def test_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "o" / "004.yaml"
    assert main(["parse", str(seed("004")), "-o", str(out)]) == 0
    assert capsys.readouterr().out.strip() == str(out)
    assert yaml.safe_load(out.read_text(encoding="utf-8"))["number"] == 4595
    bad = tmp_path / "bad.docx"
    bad.write_bytes(b"PK broken")
    assert main(["parse", str(bad), "-o", str(tmp_path / "b.yaml")]) == 2
    err = capsys.readouterr().err
    assert "bad.docx: không đọc được tệp .docx" in err and not (tmp_path / "b.yaml").exists()


# ---------------------------------------------------------------------------- round trips


def expected(doc: Document) -> dict[str, Any]:
    """The structured fields a reader must get back from the rendered .docx."""
    draft = doc.draft
    title = doc.title.strip()
    if doc.is_cong_van:
        title = title.removeprefix("V/v").strip()
    top = [b for b in doc.body if isinstance(b, Section)]
    signer = doc.the_signer
    skip = ("như trên", "như kính gửi") if doc.recipients else ()
    return {
        "kind": doc.kind,
        "number": None if draft or doc.number is None else doc.number,
        "date": None if draft or doc.date is None else doc.date.isoformat(),
        "place": doc.issuer.place,
        "symbol": doc.full_symbol(),
        "title": title,
        "recipients": [r.strip().rstrip(";.") for r in doc.recipients],
        "refs": [
            (
                r.kind_name().lower(),
                r.number,
                r.symbol,
                r.date.isoformat(),
                # issuer and trích yếu print as one phrase; where "của …" ends is a choice, so compare the phrase
                " ".join(x.strip() for x in (r.issuer, r.summary) if x),
            )
            for b in doc.basis
            for r in b.refs
        ],
        "headings": [s.heading.strip().casefold() for s in top],
        "tasks": [[(t.prefix, t.unit.strip()) for t in s.tasks] for s in top if s.tasks],
        "distribution": [
            (r.to.strip().rstrip(";."), r.note)
            for r in doc.distribution
            if r.to.strip().rstrip(";.").lower() not in skip
        ],
        "archive": [a.strip() for a in doc.archive],
        "signer": {
            "authority": signer.authority.upper() if signer.authority else None,
            "prefix": signer.prefix or None,
            "head_title": signer.head_title.upper() if signer.head_title else None,
            "title": signer.title.upper(),
            "other_title": signer.other_title.upper() if signer.other_title else None,
            "name": signer.name,
        },
    }


def got(d: dict[str, Any]) -> dict[str, Any]:
    kinds = rules.kinds()
    top = sections(d["body"])
    signer = d["signer"] or {}
    return {
        "kind": d["kind"],
        "number": int(d["number"]) if d["number"] else None,
        "date": d["date"],
        "place": d["issuer"].get("place"),
        "symbol": d.get("symbol"),
        "title": d["title"],
        "recipients": d.get("recipients", []),
        "refs": [
            (
                (kinds[r["kind"]]["name"] if r["kind"] in kinds else r["kind"]).lower(),
                r["number"],
                r["symbol"],
                r["date"],
                " ".join(x for x in (r.get("issuer"), r.get("summary")) if x),
            )
            for b in d.get("basis", [])
            for r in b.get("refs", [])
        ],
        "headings": [s["heading"].casefold() for s in top],
        "tasks": [[(t.get("prefix", ""), t["unit"]) for t in s["tasks"]] for s in top if s.get("tasks")],
        "distribution": entries(d),
        "archive": d.get("archive", []),
        "signer": {
            k: signer.get(k) or None for k in ("authority", "prefix", "head_title", "title", "other_title", "name")
        },
    }


@pytest.mark.parametrize("example", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_round_trip_examples(example: Path, tmp_path: Path) -> None:
    doc = load(example)
    docx = render(doc, tmp_path / "x.docx", base=example.parent)
    assert got(parse(docx)) == expected(doc)


def test_round_trip_001_details(tmp_path: Path) -> None:
    doc = load(ROOT / "examples" / "seeds" / "001-thai-nguyen-ke-hoach.yaml")
    d = parse(render(doc, tmp_path / "x.docx"))
    assert (d["number"], d["symbol"], d["date"]) == (144, "KH-UBND", "2022-09-30")
    assert d["issuer"] == {
        "level": "tinh",
        "name": "Ủy ban nhân dân tỉnh Thái Nguyên",
        "header": ["ỦY BAN NHÂN DÂN", "TỈNH THÁI NGUYÊN"],
        "place": "Thái Nguyên",
        "area": "tỉnh",
        "abbreviation": "UBND",
    }
    assert d["basis"] == [b.model_dump(mode="json", exclude_defaults=True) for b in doc.basis]
    assert d["campaign"] == doc.campaign.model_dump(mode="json", exclude_none=True)  # type: ignore[union-attr]
    tasks = task_section(d)["tasks"]
    source = next(s for s in doc.body if isinstance(s, Section) and s.tasks).tasks
    assert [t["duties"] for t in tasks] == [t.duties for t in source]
    assert d["closing"] == doc.closing
    assert d["drafter_mark"] == doc.drafter_mark
    # and the parsed data renders again into the same structure
    data = {**d, "issuer": {**d["issuer"], "signers": {}}}
    again = Document.model_validate(data)
    assert got(parse(render(again, tmp_path / "y.docx"))) == got(d)


# ---------------------------------------------------------------------------- any input, nothing lost


def test_received_pdf_derives_in_one_command(tmp_path: Path) -> None:
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice")
    docx = render(load(ROOT / "examples" / "seeds" / "001-thai-nguyen-ke-hoach.yaml"), tmp_path / "parent.docx")
    subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(docx)], check=True)
    pdf = tmp_path / "parent.pdf"
    parent = parse(pdf)  # the PDF's text layer, through readers.read
    assert (parent["number"], parent["symbol"], parent["date"]) == (144, "KH-UBND", "2022-09-30")
    assert parent["issuer"]["name"] == "Ủy ban nhân dân tỉnh Thái Nguyên"
    out = tmp_path / "child.yaml"
    args = ["derive", str(pdf), "--unit", "Huyện Đồng Hỷ", "--province", "Thái Nguyên", "--as-of", "2022-10-03"]
    assert main([*args, "-o", str(out)]) == 0
    child = load(out)
    assert child.basis[0].refs[-1].symbol == "KH-UBND" and child.basis[0].refs[-1].number == "144"


def test_lines_not_used_are_reported(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    parsed = parse_file(seed("002"))
    unused = " ".join(text for text, _ in parsed.unread)
    assert "Thông tư 07/2018/TT-BTC hướng dẫn" in unused  # the web page's links after the signature
    out = tmp_path / "002.yaml"
    assert main(["parse", str(seed("002")), "-o", str(out)]) == 0
    captured = capsys.readouterr()
    assert captured.out.strip() == str(out)
    assert re.search(r"002_\w+\.txt: đọc 34/34 dòng; 7 dòng không dùng \(unused lines\)", captured.err)
    assert "cần bổ sung (to complete): " in captured.err and "signer.title" in captured.err
    assert "# không dùng (unused) [sau văn bản" in out.read_text(encoding="utf-8")
    web = parse_file(REALDOCS / "texts" / "24_qd-ubnd-tinh-ha-giang-1209-quy-che-bcd-dan-so-2013.txt")
    assert "bỏ 9: 6 đường kẻ phân cách (separator line), 3 thông tin nguồn (source metadata)" in web.summary()
    assert "# bỏ (dropped) [đường kẻ phân cách (separator line)]: -------" in to_yaml(web.data, "24", web)


def test_parsed_yaml_renders_as_written(tmp_path: Path) -> None:
    """002 lacks its số, trích yếu and signer's title: placeholders, listed, and the file renders."""
    out = tmp_path / "002.yaml"
    assert main(["parse", str(seed("002")), "-o", str(out)]) == 0
    doc = load(out)
    assert doc.title == "[CẦN BỔ SUNG: trích yếu]" and doc.the_signer.title == "[CẦN BỔ SUNG: chức vụ người ký]"
    assert doc.draft and doc.number is None  # no số line: a draft's blank
    render(doc, tmp_path / "002.docx")
    header = out.read_text(encoding="utf-8").splitlines()[:4]
    assert any(line.startswith("# Cần bổ sung") and "title" in line for line in header)


def test_pasted_text_and_stdin(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    text = seed("004").read_text(encoding="utf-8")
    assert parse_text(text)["symbol"] == "KH-UBND"
    monkeypatch.setattr("sys.stdin", io.StringIO(text))
    out = tmp_path / "stdin.yaml"
    assert main(["parse", "-", "-o", str(out)]) == 0
    assert yaml.safe_load(out.read_text(encoding="utf-8"))["number"] == 4595
