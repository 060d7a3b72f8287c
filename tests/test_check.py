"""Tests for Times New Roman metrics, the OOXML reader and the ND30 checker."""

from __future__ import annotations

import json
import unicodedata

import pytest

from vn_congvan.metrics import pt_to_mm, text_width
from vn_congvan.paths import DATA

QUOC_HIEU = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"


# --- metrics -------------------------------------------------------------------------------------


def test_quoc_hieu_width_matches_nd30_estimate() -> None:
    # ND30 §2.4 (confidence Low) says ≈95 mm at 12 pt, ≈100 mm at 13 pt (cell padding included);
    # TNR Bold advance widths give 88.3 mm / 95.7 mm of set text.
    at12 = pt_to_mm(text_width(QUOC_HIEU, 12, bold=True))
    at13 = pt_to_mm(text_width(QUOC_HIEU, 13, bold=True))
    assert 86 < at12 < 96
    assert 93 < at13 < 104
    assert at13 / at12 == pytest.approx(13 / 12)


def test_bold_wider_than_regular_and_linear_in_size() -> None:
    assert text_width(QUOC_HIEU, 12, bold=True) > text_width(QUOC_HIEU, 12)
    assert text_width("abc", 28) == pytest.approx(2 * text_width("abc", 14))
    assert text_width("", 12) == 0


def test_known_advance_widths() -> None:
    # Times New Roman: space = 512/2048 em, "M" regular = 1821/2048 em.
    assert text_width(" ", 2048) == pytest.approx(512)
    assert text_width("M", 12) == pytest.approx(1821 / 2048 * 12)


def test_nfc_and_fallbacks() -> None:
    decomposed = unicodedata.normalize("NFD", "Việt")
    assert text_width(decomposed, 13) == text_width("Việt", 13)
    # A letter with a diacritic the table lacks falls back to its base letter.
    assert text_width("ḃ", 13) == text_width("b", 13)
    # A character with no base in the table falls back to the average, not zero.
    assert text_width("中", 13) > 0


def test_every_vietnamese_letter_is_in_the_table() -> None:
    table = json.loads((DATA / "tnr_metrics.json").read_text(encoding="utf-8"))
    vowels = "aăâeêioôơuưy"
    for base in vowels + vowels.upper():
        for mark in ["", "\u0300", "\u0301", "\u0303", "\u0309", "\u0323"]:
            ch = unicodedata.normalize("NFC", base + mark)
            assert ch in table["regular"] and ch in table["bold"], ch
    for ch in "đĐ–—“”‘’…":
        assert ch in table["regular"]


# --- checker ---------------------------------------------------------------------------------------

import sys  # noqa: E402
from pathlib import Path  # noqa: E402

sys.path.insert(0, str(Path(__file__).parent))

from docx_builder import LEFT, build  # noqa: E402

from vn_congvan import ooxml  # noqa: E402
from vn_congvan.check import check, rules  # noqa: E402
from vn_congvan.cli import main  # noqa: E402


@pytest.fixture(scope="module")
def correct(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    d = tmp_path_factory.mktemp("ok")
    return {k: check(build(d / f"{k}.docx", kind=k)) for k in ("ke_hoach", "cong_van")}


def test_correct_documents_pass(correct: dict[str, object]) -> None:
    for kind, report in correct.items():
        assert report.kind == kind  # type: ignore[attr-defined]
        assert report.ok, report.findings  # type: ignore[attr-defined]
        assert report.findings == []  # type: ignore[attr-defined]


MISTAKES = [
    ("arial_font", "ke_hoach", {"font": "Arial"}, "FONT-01", "error"),
    ("arial_one_paragraph", "ke_hoach", {"body_font": "Arial"}, "FONT-01", "error"),
    ("month_zero", "ke_hoach", {"date": "Thái Nguyên, ngày 05 tháng 03 năm 2026"}, "DD-02", "error"),
    ("number_no_zero", "ke_hoach", {"so": "Số: 5/KH-UBND"}, "SO-02", "error"),
    ("left_margin_20", "ke_hoach", {"margins_mm": (20, 20, 20, 15)}, "PAGE-04", "error"),
    ("en_dash_tieu_ngu", "ke_hoach", {"tieu_ngu": "Độc lập – Tự do – Hạnh phúc"}, "TN-01", "error"),
    ("no_noi_nhan", "ke_hoach", {"noi_nhan": False}, "NN-01", "error"),
    ("no_noi_nhan_cv", "cong_van", {"noi_nhan": False}, "NN-01", "error"),
    ("noi_nhan_plain", "ke_hoach", {"noi_nhan_bold_italic": False}, "NN-01", "error"),
    ("kinh_gui_bold", "cong_van", {"kinh_gui_bold": True}, "KG-01", "error"),
    ("no_title_pg", "ke_hoach", {"title_pg": False}, "PGN-02", "error"),
    ("page_in_first_header", "ke_hoach", {"page_in_first_header": True}, "PGN-02", "error"),
    ("page_in_footer", "ke_hoach", {"page_in_footer": True}, "PGN-01", "error"),
    ("cv_code_cong_van", "cong_van", {"so": "Số: 12/CV-UBND"}, "SO-04", "error"),
    ("cv_code_ke_hoach", "ke_hoach", {"so": "Số: 12/CV-UBND"}, "SO-04", "error"),
    ("space_before_slash", "ke_hoach", {"so": "Số: 110 /KH-UBND"}, "SO-03", "error"),
    ("day_no_zero", "ke_hoach", {"date": "Hà Nội, ngày 5 tháng 3 năm 2026"}, "DD-02", "error"),
    ("body_no_indent", "ke_hoach", {"body_first_line": 0}, "ND-01", "error"),
    ("body_left_aligned", "cong_van", {"body_align": LEFT}, "ND-01", "error"),
    ("code_wrong_case", "ke_hoach", {"so": "Số: 12/Kh-UBND"}, "SO-05", "error"),
    ("title_case_agency", "ke_hoach", {"body_extra": "Ủy Ban Nhân Dân các huyện thực hiện."}, "CAP-01", "warning"),
]


@pytest.mark.parametrize(("name", "kind", "mistake", "rule_id", "severity"), MISTAKES, ids=[m[0] for m in MISTAKES])
def test_single_mistake_trips_its_rule(
    tmp_path: Path,
    correct: dict[str, object],
    name: str,
    kind: str,
    mistake: dict[str, object],
    rule_id: str,
    severity: str,
) -> None:
    assert rule_id not in correct[kind].rule_ids()  # type: ignore[attr-defined]
    report = check(build(tmp_path / f"{name}.docx", kind=kind, **mistake))  # type: ignore[arg-type]
    assert rule_id in report.rule_ids(severity), report.findings
    assert report.ok == (severity == "warning")
    finding = next(f for f in report.findings if f.rule_id == rule_id)
    rule = rules()[rule_id]
    assert finding.message.startswith((rule["message"], rule.get("missing", rule["message"])))
    assert len(finding.where) <= 60


def test_drafts_with_blank_number_and_day_pass(tmp_path: Path) -> None:
    for kind, so in (("ke_hoach", "Số:      /KH-UBND"), ("cong_van", "Số:      /SGDĐT-GDTX")):
        path = build(tmp_path / f"draft_{kind}.docx", kind=kind, so=so, date="Hải Phòng, ngày      tháng      năm 2022")
        report = check(path)
        assert report.ok, report.findings
        assert not report.rule_ids() & {"SO-01", "SO-02", "SO-03", "DD-01", "DD-02"}


def test_invalid_date_and_wrong_prefix(tmp_path: Path) -> None:
    report = check(build(tmp_path / "d.docx", date="Thái Nguyên, ngày 30 tháng 02 năm 2026"))
    assert "DD-01" in report.rule_ids("error")
    report = check(build(tmp_path / "tp.docx", date="TP. Hồ Chí Minh, ngày 05 tháng 3 năm 2026"))
    assert "DD-03" in report.rule_ids("warning")


def test_hand_made_document_without_tables(tmp_path: Path) -> None:
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH as A
    from docx.shared import Mm, Pt

    d = docx.Document()
    d.styles["Normal"].font.name = "Times New Roman"
    s = d.sections[0]
    s.page_width, s.page_height = Mm(210), Mm(297)
    s.left_margin, s.right_margin, s.top_margin, s.bottom_margin = Mm(30), Mm(15), Mm(20), Mm(20)
    for text, bold, italic, size in [
        ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", True, False, 12),
        ("Độc lập - Tự do - Hạnh phúc", True, False, 13),
        ("SỞ GIÁO DỤC VÀ ĐÀO TẠO", True, False, 12),
        ("Số: 05/BC-SGDĐT", False, False, 13),
        ("Thái Nguyên, ngày 05 tháng 01 năm 2026", False, True, 13),
        ("BÁO CÁO", True, False, 14),
        ("Kết quả Tuần lễ học tập suốt đời", True, False, 14),
        ("Nội dung báo cáo về kết quả thực hiện.", False, False, 14),
        ("GIÁM ĐỐC", True, False, 14),
        ("", False, False, 14),
        ("Trần Thị Bình", True, False, 14),
    ]:
        p = d.add_paragraph()
        p.alignment = A.CENTER
        r = p.add_run(text)
        r.bold, r.italic, r.font.size = bold, italic, Pt(size)
    d.save(str(tmp_path / "hand.docx"))
    report = check(tmp_path / "hand.docx")
    assert report.kind == "bao_cao"
    # lines missing, body not justified nor indented, no Nơi nhận; number and date are right
    assert {"TN-02", "CQ-03", "TL-03", "ND-01", "NN-01"} <= report.rule_ids("error")
    assert not report.rule_ids() & {"QH-01", "TN-01", "SO-01", "SO-02", "SO-04", "DD-01", "DD-02", "FONT-01"}


def test_every_rule_has_vietnamese_message_and_reference() -> None:
    table = rules()
    for rid in ("PAGE-01", "FONT-01", "PGN-01", "QH-01", "TN-02", "SO-05", "NN-04", "HDR-02"):
        assert table[rid]["severity"] in ("error", "warning")
        assert table[rid]["message"] and table[rid]["ref"]


def test_ooxml_reads_effective_properties(tmp_path: Path) -> None:
    doc = ooxml.read(build(tmp_path / "x.docx", kind="cong_van"))
    s = doc.sections[0]
    assert (s.page_width, s.page_height, s.title_pg) == (11906, 16838, True)
    assert s.headers["default"].has_page_field and s.footers == {}
    header = doc.tables()[0]
    assert header.grid[0] == 3686 and not header.has_visible_borders
    qh = next(p for p in doc.paragraphs() if p.text.startswith("CỘNG HÒA"))
    assert qh.cell is not None and qh.cell.col == 1 and qh.align == "center"
    run = qh.runs[0].props
    assert run.bold and run.size == 24 and run.fonts["ascii"] == "Times New Roman"
    line = next(p for p in doc.paragraphs() if p.border_bottom is not None)
    assert line.ind_left > 0 and line.border_bottom.val == "single"  # type: ignore[union-attr]
    assert "docProps/thumbnail.jpeg" in doc.parts and doc.core["creator"] == "Văn thư"


def test_cli_exit_codes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = build(tmp_path / "good.docx")
    bad = build(tmp_path / "bad.docx", font="Arial")
    assert main(["check", str(good)]) == 0
    assert main(["check", str(good), str(bad)]) == 1
    out = capsys.readouterr().out
    assert "FONT-01" in out and "KHÔNG ĐẠT" in out
    assert main(["check", "--json", str(bad)]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data[0]["findings"][0]["rule_id"] == "FONT-01"
    junk = tmp_path / "junk.docx"
    junk.write_text("not a zip")
    assert main(["check", str(junk)]) == 2
    assert main(["check", str(tmp_path / "missing.docx")]) == 2
    assert main(["check", str(good), str(junk)]) == 2


# --- the bugs of issue 10, each on a document that showed it -----------------------------------------

import docx  # noqa: E402
from recipes import build as build_recipe  # noqa: E402
from shared import LAW  # noqa: E402

from vn_congvan.check import check_document, locate  # noqa: E402

KH = "example:seeds/001-thai-nguyen-ke-hoach"
CV = "example:seeds/000-hai-phong-cong-van"


def _recipe(tmp_path: Path, base: str, *ops: dict[str, object]) -> Path:
    return build_recipe({"base": base, "mutate": list(ops)}, tmp_path / "doc.docx")


def test_all_caps_trich_yeu_is_flagged(tmp_path: Path) -> None:
    # 'À-ỹ' in a regex spans Vietnamese capitals (Ứ, Ề …): the old lower-case test passed all-caps text.
    caps = "TỔ CHỨC TUẦN LỄ HƯỞNG ỨNG HỌC TẬP SUỐT ĐỜI NĂM 2022"
    report = check(_recipe(tmp_path, KH, {"find": "Tổ chức Tuần lễ hưởng ứng", "replace": caps}))
    found = [f for f in report.findings if f.rule_id == "TL-02"]
    assert found and "toàn chữ in hoa" in found[0].message and found[0].where == caps


def test_kinh_gui_in_capitals_is_flagged(tmp_path: Path) -> None:
    report = check(_recipe(tmp_path, CV, {"find": "Kính gửi:", "replace": "KÍNH GỬI:"}))
    assert "KG-01" in report.rule_ids()
    assert "'Kính gửi:'" in next(f.message for f in report.findings if f.rule_id == "KG-01")


def _plain_signature(path: Path) -> Path:
    """Body, signer block and Nơi nhận as plain paragraphs, no table (how many offices type them)."""
    d = docx.Document(str(build(path, kind="ke_hoach")))
    body = d.element.body
    for tbl in list(body.iterchildren(docx.oxml.ns.qn("w:tbl")))[1:]:
        body.remove(tbl)  # drop the signature table
    for text, bold, italic, size in [
        ("KT. CHỦ TỊCH", True, False, 14),
        ("PHÓ CHỦ TỊCH", True, False, 14),
        ("", False, False, 14),
        ("", False, False, 14),
        ("", False, False, 14),
        ("Nguyễn Văn An", True, False, 14),
        ("Nơi nhận:", True, True, 12),
        ("- Bộ Giáo dục và Đào tạo;", False, False, 11),
        ("- Lưu: VT, VX.", False, False, 11),
    ]:
        p = d.add_paragraph()
        p.alignment = 1 if text and not text.startswith(("-", "Nơi")) else 0
        run = p.add_run(text)
        run.bold, run.italic, run.font.size = bold, italic, docx.shared.Pt(size)
    d.save(str(path))
    return path


def test_plain_signer_block_stops_at_noi_nhan(tmp_path: Path) -> None:
    doc = ooxml.read(_plain_signature(tmp_path / "plain.docx"))
    located = locate(doc)
    assert located.name is not None and located.name.text == "Nguyễn Văn An"
    assert [p.text for p in located.titles] == ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]
    assert [p.text for p in located.nn_items] == ["- Bộ Giáo dục và Đào tạo;", "- Lưu: VT, VX."]
    assert not check_document(doc).rule_ids() & {"SIG-01", "SIG-03", "NN-01", "NN-02", "NN-03"}


def test_authority_line_before_italic_can_cu(tmp_path: Path) -> None:
    # A quyết định: 'CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH …' (thẩm quyền ban hành) stands between the trích yếu and
    # the căn cứ; correctly italic căn cứ under it must pass.
    first = "Thực hiện Công văn số 4342"
    path = _recipe(
        tmp_path,
        KH,
        {"find": first, "insert_after": "Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05 tháng 3 năm 2020 của Chính phủ."},
        {"find": first, "insert_after": "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;"},
        {"find": "Căn cứ Luật", "set": {"italic": True}},
        {"find": "Căn cứ Nghị định", "set": {"italic": True}},
        {"find": first, "replace": "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH THÁI NGUYÊN"},
        {"find": "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH", "set": {"bold": True, "align": "center", "first_line": 0}},
    )
    located = locate(ooxml.read(path))
    assert [p.text for p in located.authority] == ["CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH THÁI NGUYÊN"]
    assert [p.text[:12] for p in located.basis] == ["Căn cứ Luật ", "Căn cứ Nghị "]
    assert not check(path).rule_ids() & {"ND-01", "ND-04"}


def test_body_sentence_starting_can_cu_is_not_a_basis(tmp_path: Path) -> None:
    sentence = "Căn cứ tình hình thực tế của địa phương, các đơn vị chủ động bố trí thời gian tổ chức."
    path = _recipe(tmp_path, KH, {"find": "Thực hiện Công văn số 4342", "replace": sentence})
    assert locate(ooxml.read(path)).basis == []
    assert "ND-04" not in check(path).rule_ids()


def test_underscore_separator_is_not_body_text(tmp_path: Path) -> None:
    path = _recipe(
        tmp_path,
        KH,
        {"find": "Tiếp tục đẩy mạnh phong trào", "insert_after": "_______________"},
        {"find": "_______________", "set": {"align": "center", "first_line": 0}},
    )
    assert all(set(p.text) != {"_"} for p in locate(ooxml.read(path)).body)
    assert check(path).findings == []


def test_times_new_roman_bold_is_times_new_roman(tmp_path: Path) -> None:
    path = _recipe(tmp_path, KH, {"find": "Tiếp tục đẩy mạnh phong trào", "set": {"font": "Times New Roman Bold"}})
    assert "FONT-01" not in check(path).rule_ids()
    arial = _recipe(tmp_path, KH, {"find": "Tiếp tục đẩy mạnh phong trào", "set": {"font": "Arial Bold"}})
    assert "FONT-01" in check(arial).rule_ids()


def test_binary_doc_is_named(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(LAW / "Phuluc2.doc")]) == 2
    err = capsys.readouterr().err
    assert ".doc" in err and "convert-to docx" in err and "w:body" not in err


# --- the document-class gate --------------------------------------------------------------------------


def test_gate_decree_and_its_appendix_are_not_held_to_nd30() -> None:
    decree = check(LAW / "30_2020_ND_CP.docx")
    assert decree.doc_class is not None and decree.doc_class.key == "qppl"
    assert decree.findings == [] and "không áp dụng" in decree.not_applicable
    appendix = check(LAW / "Phuluc2.docx")
    assert appendix.doc_class is not None and appendix.doc_class.key == "phu_luc_rieng"
    assert appendix.findings == [] and "quy phạm pháp luật" in appendix.not_applicable


def test_gate_party_copy_and_other_files(tmp_path: Path) -> None:
    party = _recipe(tmp_path, KH, {"find": "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "replace": "ĐẢNG CỘNG SẢN VIỆT NAM"})
    report = check(party)
    assert report.doc_class is not None and report.doc_class.key == "dang" and report.findings == []
    copy = build_recipe(
        {"base": KH, "mutate": [{"find": "Đặng Xuân Trường", "insert_after": "SAO Y BẢN CHÍNH"}]}, tmp_path / "sy.docx"
    )
    assert check(copy).doc_class.key == "ban_sao"  # type: ignore[union-attr]
    plain = docx.Document()
    plain.add_paragraph("Danh sách lớp học tiếng Anh buổi tối, tháng 9.")
    plain.save(str(tmp_path / "plain.docx"))
    other = check(tmp_path / "plain.docx")
    assert other.doc_class is not None and other.doc_class.key == "khac" and other.findings == []


def test_gate_in_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _recipe(tmp_path, KH)
    assert main(["check", "--json", str(path), str(LAW / "30_2020_ND_CP.docx")]) == 0
    out = json.loads(capsys.readouterr().out)
    assert [(r["class"], r["class_confidence"]) for r in out] == [("hanh_chinh", 0.95), ("qppl", 0.9)]
    assert out[1]["not_applicable"].startswith("không áp dụng")


def test_select_ignore_and_list_rules(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _recipe(tmp_path, KH, {"find": "Số: 144/KH-UBND", "replace": "Số: 5/Kh-UBND"})
    assert check(path).rule_ids() == {"SO-02", "SO-05"}
    assert check(path, select=["SO-02"]).rule_ids() == {"SO-02"}
    assert check(path, ignore=["SO"]).rule_ids() == set()
    assert main(["check", "--select", "SO-05", str(path)]) == 1
    assert "SO-02" not in capsys.readouterr().out
    assert main(["check", "--list-rules", "--select", "KG"]) == 0
    listed = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in listed] == ["KG-01", "KG-02", "KG-03"]
    assert "PL I II.9.d" in listed[0]
    assert main(["check", "--select", "NOPE-1", str(path)]) == 2


def test_deputy_signing_without_kt(tmp_path: Path) -> None:
    path = _recipe(tmp_path, KH, {"find": "KT. CHỦ TỊCH", "delete": True})
    found = [f for f in check(path).findings if f.rule_id == "SIG-01"]
    assert found and "'KT. …'" in found[0].message and found[0].where == "PHÓ CHỦ TỊCH THƯỜNG TRỰC"


def test_bold_parent_body_is_the_chu_quan(tmp_path: Path) -> None:
    # 'UBND THÀNH PHỐ HẢI PHÒNG' typed bold over 'SỞ GIÁO DỤC VÀ ĐÀO TẠO': still the chủ quản, wrongly bold.
    path = _recipe(tmp_path, CV, {"find": "UBND THÀNH PHỐ HẢI PHÒNG", "set": {"bold": True}})
    located = locate(ooxml.read(path))
    assert [p.text for p in located.chu_quan] == ["UBND THÀNH PHỐ HẢI PHÒNG"]
    assert [p.text for p in located.issuer] == ["SỞ GIÁO DỤC VÀ ĐÀO TẠO"]
    report = check(path)
    assert report.rule_ids() == {"CQ-02"}
    assert "không được in đậm" in report.findings[0].message


Q7 = "example:seeds/004-quan-7-ke-hoach"
CAN_CU_1 = "Căn cứ Kế hoạch số 3195/KH-UBND"
CAN_CU_2 = "Căn cứ Công văn số 2615/GDĐT-GDTX-CNĐH"


@pytest.mark.parametrize(
    ("ops", "detail"),
    [
        (  # two căn cứ run together on one line
            [
                {"find": CAN_CU_2, "delete": True},
                {"find": CAN_CU_1, "replace": f"{CAN_CU_1} ngày 27/9/2021; {CAN_CU_2}."},
            ],
            "mỗi căn cứ một dòng",
        ),
        ([{"find": CAN_CU_2, "replace": f"{CAN_CU_2} ngày 29/9/2021;"}], "căn cứ cuối phải kết thúc bằng '.'"),
        ([{"find": CAN_CU_1, "replace": f"{CAN_CU_1} ngày 27/9/2021."}], "phải kết thúc bằng ';'"),
    ],
    ids=["two-on-one-line", "last-ends-semicolon", "middle-ends-stop"],
)
def test_each_can_cu_on_its_line_with_its_stop(tmp_path: Path, ops: list[dict[str, object]], detail: str) -> None:
    assert "ND-04" not in check(_recipe(tmp_path, Q7)).rule_ids()
    report = check(_recipe(tmp_path, Q7, *ops), select=["ND-04"])
    assert [f.rule_id for f in report.findings] == ["ND-04"], report.findings
    assert detail in report.findings[0].message


def test_kinds_and_levels_are_spec_objects() -> None:
    from vn_congvan import law
    from vn_congvan import rules as data

    cv, kh, ttr = law.kind("cong_van"), law.kind("ke_hoach"), law.kind("to_trinh")
    assert cv.is_cong_van and cv.kinh_gui_required and cv.symbol("UBND", "VX") == "UBND-VX"
    assert not kh.is_cong_van and not kh.kinh_gui_required and kh.symbol("UBND") == "KH-UBND"
    assert ttr.kinh_gui_required and law.kind("quyet_dinh").body == "dieu"
    assert cv.elements.index("vv") < cv.elements.index("kinh_gui") and "ten_loai" not in cv.elements
    assert kh.elements.index("ten_loai") < kh.elements.index("trich_yeu") < kh.elements.index("noi_dung")
    assert all(e in data.nd30()["elements"] for k in law.kinds().values() for e in k.elements)
    assert law.level("bo").header_widths == data.header_table("bo") and law.level("xa").rank == 3


PL = "example:appendix/ke-hoach-phu-luc"


def test_attachment_without_phu_luc_heading(tmp_path: Path) -> None:
    heads = [{"find": f"Phụ lục {n}", "delete": True} for n in ("III", "II", "I")]
    report = check(_recipe(tmp_path, PL, *heads), select=["PL-01"])
    assert [f.rule_id for f in report.findings] == ["PL-01"] * 3
    assert all("thiếu dòng 'Phụ lục …'" in f.message and f.where.startswith("(Kèm theo") for f in report.findings)


def test_dinh_kem_is_not_kem_theo(tmp_path: Path) -> None:
    path = _recipe(tmp_path, PL, {"find": "(Kèm theo Kế hoạch", "replace": "(Đính kèm Kế hoạch số 118/KH-UBND)"})
    found = check(path, select=["PL-01"]).findings
    assert len(found) == 1 and "đúng là '(Kèm theo …)'" in found[0].message and found[0].where == "Phụ lục I"


def test_phu_luc_in_the_main_section_goes_on_numbering(tmp_path: Path) -> None:
    assert check(_recipe(tmp_path, PL), select=["PGN-03"]).findings == []
    found = check(_recipe(tmp_path, PL, {"one_section": True}), select=["PGN-03"]).findings
    assert len(found) == 1 and "section" in found[0].message and found[0].where == "Phụ lục I"


def test_check_and_parse_read_the_ten_loai_alike(tmp_path: Path) -> None:
    from shared import REALDOCS

    from vn_congvan.parse import parse

    # 'BIÊN BẢN KIỂM TRA THỰC TẾ', 'GIẤY MỜI HỌP': a tên loại carrying part of the subject
    for name, kind in (
        ("bb-kiem-tra-thuc-te-sct-lao-cai-hhnh-2026-python-docx.docx", "bien_ban"),
        ("gm-ubnd-tinh-lao-cai-hop-cum-cong-nghiep-2026-draft.docx", "giay_moi"),
        ("kh-truong-thpt-cao-lanh-2-58-sinh-hoat-lich-su-2026.docx", "ke_hoach"),
    ):
        path = REALDOCS / "files" / name
        assert check(path).kind == kind
        assert parse(path)["kind"] == kind
    # in lower case it is still found, and TL-01 says it must be in capitals
    lower = _recipe(tmp_path, KH, {"find": "KẾ HOẠCH", "replace": "Kế hoạch"})
    report = check(lower)
    assert report.kind == "ke_hoach" and "TL-01" in report.rule_ids()


@pytest.mark.parametrize("heading", ["Phụ lục", "PHỤ LỤC", "phụ lục"])
def test_phu_luc_headings_are_found_in_any_case(heading: str) -> None:
    """'PHỤ LỤC II' in capitals heads a phụ lục as 'Phụ lục II' does (the pattern ignores case)."""
    from vn_congvan import ooxml
    from vn_congvan.check.locate import locate
    from vn_congvan.loader import load
    from vn_congvan.render import render_package

    parts, _ = render_package(load(DATA.parent.parent / "examples/appendix/ke-hoach-phu-luc.yaml"))
    xml = parts["word/document.xml"].replace("Phụ lục".encode(), heading.encode())
    d = locate(ooxml.read_parts({**parts, "word/document.xml": xml}, f"{heading}.docx"))
    assert [(p.text, num) for p, num in d.appendices] == [(f"{heading} {n}", n) for n in ("I", "II", "III")]
