"""Field readers on real sources: issuers keep the capitals NĐ 30 Phụ lục II gives them (proper names every
syllable, type and field words their first letter), their place is read through the unit table in the era of
the document's date, signers side by side are all kept, a quyết định's thẩm quyền line is its authority."""

from __future__ import annotations

import tempfile
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml
from shared import REALDOCS, SHARED

from vn_congvan.parse import _signer_fields, _unwrap, issuer_name, parse_file
from vn_congvan.parseplace import place_fields
from vn_congvan.readers import ocr_available

needs_ocr = pytest.mark.skipif(not ocr_available(), reason="Tesseract with Vietnamese data (tesseract-ocr-vie)")


@pytest.mark.parametrize(
    ("header", "name"),
    [
        (["TRƯỜNG TRUNG HỌC CƠ SỞ LÊ QUÝ ĐÔN"], "Trường Trung học cơ sở Lê Quý Đôn"),
        (["TRƯỜNG TIỂU HỌC QUẢNG LỘC"], "Trường Tiểu học Quảng Lộc"),
        (["TRƯỜNG MẦM NON HỌA MI"], "Trường Mầm non Họa Mi"),
        (["TRƯỜNG THPT CAO LÃNH 2"], "Trường THPT Cao Lãnh 2"),
        (["TRƯỜNG ĐẠI HỌC SƯ PHẠM HÀ NỘI"], "Trường Đại học Sư phạm Hà Nội"),
        (["ỦY BAN NHÂN DÂN", "XÃ CHÍ MINH"], "Ủy ban nhân dân xã Chí Minh"),
        (["UỶ BAN NHÂN DÂN THỊ TRẤN HƯƠNG SƠN"], "Ủy ban nhân dân thị trấn Hương Sơn"),
        (["UBND PHƯỜNG LÊ LỢI"], "UBND Phường Lê Lợi"),  # a unit named after a person keeps its type capital
        (["ỦY BAN NHÂN DÂN", "THÀNH PHỐ HỒ CHÍ MINH"], "Ủy ban nhân dân Thành phố Hồ Chí Minh"),
        (["VĂN PHÒNG UBND TỈNH LÀO CAI"], "Văn phòng UBND tỉnh Lào Cai"),
        (["PHÒNG GD&ĐT YÊN THẾ"], "Phòng GD&ĐT Yên Thế"),
        (["PHÒNG VĂN HÓA - XÃ HỘI"], "Phòng Văn hóa - Xã hội"),  # 'xã hội' is no commune
        (["BAN CHỈ ĐẠO XÂY DỰNG XÃ HỘI HỌC TẬP QUẬN LONG BIÊN"], "Ban Chỉ đạo xây dựng xã hội học tập quận Long Biên"),
        (["HỘI ĐỒNG XÉT THĂNG HẠNG CDNN VIÊN CHỨC NĂM 2025"], "Hội đồng xét thăng hạng CDNN viên chức năm 2025"),
        (["BỘ CÔNG THƯƠNG"], "Bộ Công Thương"),
        (["BỘ CÔNG AN", "BỘ QUỐC PHÒNG"], "Bộ Công an - Bộ Quốc phòng"),  # joint issuers
        (["ÚY BAN NHÂN DÂN", "TỈNH QUẢNG NGÃI"], "Ủy ban nhân dân tỉnh Quảng Ngãi"),  # a scan's misread 'Ủ'
    ],
)
def test_issuer_name_capitals(header: list[str], name: str) -> None:
    assert issuer_name(header) == name


def test_place_through_the_unit_table_in_the_documents_era() -> None:
    # 'thành phố' is a tỉnh or a huyện: the unit data of the date's era tells
    assert place_fields(
        None, ["ỦY BAN NHÂN DÂN", "THÀNH PHỐ THÁI NGUYÊN"], [], "Thái Nguyên", date(2022, 9, 30), 2022
    ) == {
        "level": "huyen",
        "area": "thành phố",
    }
    assert place_fields(None, ["ỦY BAN NHÂN DÂN", "THÀNH PHỐ HÀ NỘI"], [], "Hà Nội", date(2022, 9, 30), 2022) == {
        "level": "tinh",
        "area": "thành phố",
    }
    # a district before the reform; after it there is none, and the commune called so is not the UBND's own
    assert place_fields("huyen", ["ỦY BAN NHÂN DÂN", "HUYỆN ĐỒNG HỶ"], [], "Đồng Hỷ", date(2022, 9, 30), 2022) == {
        "area": "huyện"
    }
    assert place_fields("huyen", ["ỦY BAN NHÂN DÂN", "HUYỆN ĐỒNG HỶ"], [], "Đồng Hỷ", date(2026, 9, 30), 2026) == {}
    assert place_fields(None, ["ỦY BAN NHÂN DÂN", "PHƯỜNG TÂN ĐỊNH"], [], "Tân Định", date(2026, 3, 2), 2026) == {
        "level": "xa",
        "area": "phường",
    }
    # a Sở serves its province; a school its commune; a draft's year picks the era
    assert place_fields("so", ["SỞ CÔNG THƯƠNG"], ["UBND TỈNH LÀO CAI"], "Lào Cai", None, 2026) == {"area": "tỉnh"}
    assert place_fields(
        "truong", ["TRƯỜNG THCS HÓA TRUNG"], ["PHÒNG GD&ĐT HUYỆN ĐỒNG HỶ"], "Hóa Trung", date(2022, 3, 2), 2022
    ) == {"area": "xã"}
    # an OCR'd date line lost a tone mark the header kept: the unit's name is the place
    assert place_fields(None, ["ỦY BAN NHÂN DÂN", "XÃ CHÍ MINH"], [], "Chỉ Minh", date(2021, 5, 13), 2021) == {
        "place": "Chí Minh",
        "level": "xa",
        "area": "xã",
    }


def test_parsed_real_documents_keep_capitals_and_read_their_place() -> None:
    """On real sources: the issuer written letter for letter as the label (case included), its area."""
    cases = {
        "realdocs/texts/14_tb-truong-mn-hoa-mi-ba-dinh-ket-thuc-nam-hoc-covid-2021.txt": (
            "Trường Mầm non Họa Mi",
            "quận",
        ),
        "realdocs/texts/21_bc-truong-th-quang-loc-so-ket-hk1-2017-2018.txt": ("Trường Tiểu học Quảng Lộc", "xã"),
        "realdocs/texts/16_ttr-ubnd-thi-tran-huong-son-67-pcgd-tieu-hoc-2014.txt": (
            "Ủy ban nhân dân thị trấn Hương Sơn",
            "thị trấn",
        ),
        "seeds/004_8969669e60869b4d.txt": ("Ủy ban nhân dân Quận 7", "quận"),
    }
    for source, (name, area) in cases.items():
        parsed = parse_file(SHARED / source)
        assert parsed.fields["issuer"]["name"] == name, source
        assert parsed.data["issuer"]["area"] == area, source


def test_every_labelled_issuer_name_keeps_its_capitals() -> None:
    """Where the parsed issuer matches its label ignoring case, it matches it letter for letter too: a proper
    name is never lower-cased (labels/parse, text sources)."""
    from pathlib import Path

    labels = sorted((Path(__file__).parent / "labels" / "parse").glob("*.yaml"))
    checked = 0
    wrong = []
    for path in labels:
        label = yaml.safe_load(path.read_text(encoding="utf-8"))
        want = ((label.get("fields") or {}).get("issuer") or {}).get("name")
        if label.get("ocr") or not want or not source_ok(label["source"]):
            continue
        got = (parse_file(SHARED / label["source"], ocr=False).fields.get("issuer") or {}).get("name")
        if got and got.casefold() == want.casefold():
            checked += 1
            if got != want:
                wrong.append(f"{path.stem}: {got!r} ≠ {want!r}")
    assert checked >= 30
    # known: a copy without diacritics ('BO TAI CHINH' cannot tell 'Bo' is the body type 'Bộ'), and a field
    # after 'về' the label writes in capitals ('Tổ giúp việc về Cải cách hành chính')
    assert len(wrong) <= 2, wrong


def source_ok(source: str) -> bool:
    import shutil

    return not source.endswith(".doc") or shutil.which("soffice") is not None


def test_signers_side_by_side_and_the_authority_line() -> None:
    from shared import REALDOCS

    # a biên bản signed by both parties: both blocks, left to right; the issuing side (right) is its signer
    bb = parse_file(REALDOCS / "files" / "bb-kiem-tra-thuc-te-sct-lao-cai-hhnh-2026-python-docx.docx")
    assert bb.data["signer"] == [
        {"title": "ĐẠI DIỆN CÔNG TY", "name": "Nguyễn Quang Thắng"},
        {"title": "TRƯỞNG ĐOÀN", "name": "Trần Trọng Trang"},
    ]
    assert bb.fields["signer"] == {"title": "TRƯỞNG ĐOÀN", "name": "Trần Trọng Trang"}
    assert not bb.unread
    # a quyết định's thẩm quyền line is its authority, not a body paragraph
    qd = parse_file(SHARED / "realdocs/texts/24_qd-ubnd-tinh-ha-giang-1209-quy-che-bcd-dan-so-2013.txt")
    assert qd.data["authority"] == "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH HÀ GIANG"
    assert qd.data["body"][0].startswith("Điều 1. Ban hành kèm theo")  # 'QUYẾT ĐỊNH:' is printed from the kind


def test_a_chuc_vu_wrapped_onto_the_next_line_is_one_title() -> None:
    lines = _unwrap(["CHỦ TỊCH", "GIÁM ĐỐC SỞ GIÁO DỤC VÀ", "ĐÀO TẠO"])
    assert _signer_fields(lines, "Nguyễn Văn A")["title"] == "CHỦ TỊCH / GIÁM ĐỐC SỞ GIÁO DỤC VÀ ĐÀO TẠO"
    assert _unwrap(["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"]) == ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"]


def test_a_can_cu_that_goes_on_into_sau_khi_xem_xet() -> None:
    """'Thực hiện Công văn …; sau khi xem xét đề nghị của Sở …, Ủy ban nhân dân tỉnh ban hành …': the căn cứ ends
    at the ';' (seed 001, Thái Nguyên)."""
    text = (
        "KẾ HOẠCH\nTổ chức Tuần lễ hưởng ứng học tập suốt đời năm 2022\n"
        "Thực hiện Công văn số 4342/BGDĐT-GDTrX ngày 07/9/2022 của Bộ Giáo dục và Đào tạo về việc tổ chức Tuần lễ; "
        "sau khi xem xét đề nghị của Sở Giáo dục và Đào tạo tại Tờ trình số 2118/TTr-SGDĐT ngày 19/9/2022, "
        "Ủy ban nhân dân tỉnh ban hành Kế hoạch như sau:\nI. MỤC ĐÍCH\n"
    )
    assert parse_file(text).fields["basis"] == [
        "Thực hiện Công văn số 4342/BGDĐT-GDTrX ngày 07/9/2022 của Bộ Giáo dục và Đào tạo về việc tổ chức Tuần lễ;"
    ]


def test_a_signer_name_with_a_military_rank() -> None:
    """The armed forces print the cấp hàm before the name (PL I II.7.c): 'Thiếu tướng Trương Minh Đương'."""
    text = (
        "CÔNG AN TỈNH LÂM ĐỒNG\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
        "Số: 298/TTr-CAT-PC04\nLâm Đồng, ngày 24 tháng 10 năm 2025\nTỜ TRÌNH\nVề việc đề nghị phê duyệt\n"
        "Kính gửi: Ủy ban nhân dân tỉnh Lâm Đồng.\nCông an tỉnh kính trình Ủy ban nhân dân tỉnh xem xét.\n"
        "Nơi nhận:\n- Như trên;\n- Lưu: VT, PC04.\nGIÁM ĐỐC\nThiếu tướng Trương Minh Đương\n"
    )
    assert parse_file(text).fields["signer"]["name"] == "Thiếu tướng Trương Minh Đương"
    assert not parse_file(text.replace("Thiếu tướng", "thiếu tướng")).fields["signer"].get("name")


def test_a_province_misread_alike_in_the_header_and_the_date_line() -> None:
    """A scan read 'LÂM ĐÔNG' and 'Lâm Đông': no unit is called so, one province is but for its marks."""
    found = place_fields(None, ["CÔNG AN TỈNH LÂM ĐÔNG"], ["BỘ CÔNG AN"], "Lâm Đông", date(2025, 10, 24), None)
    assert found["place"] == "Lâm Đồng"
    text = (
        "BỘ CÔNG AN\nCÔNG AN TỈNH LÂM ĐÔNG\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
        "Số: 298/TTr-CAT-PC04\nLâm Đông, ngày 24 tháng 10 năm 2025\nTỜ TRÌNH\nVề việc đề nghị phê duyệt\n"
    )
    issuer = parse_file(text).fields["issuer"]
    assert (issuer["name"], issuer["place"]) == ("Công an tỉnh Lâm Đồng", "Lâm Đồng")
    # a place that is no province, nor one but for its marks, is left as read
    assert "place" not in place_fields(None, ["CÔNG AN TỈNH X"], [], "Hà Nộii", date(2025, 10, 24), None)


# ---------------------------------------------------------------------------- where each element ends
# On real sources, each value as the page prints it. A scan's words are compared without their tone marks
# (`L.bare`): what is tested is the span the parser takes, Tesseract's spelling is another matter.


def _bare(text: str) -> str:
    from vn_congvan.law import lines as L

    return L.bare(text)


@cache
def _scan(name: str, pages: int) -> Any:
    """A real scan (or a PDF with a broken text layer) parsed through OCR, its first `pages` pages only (the
    main document; the phụ lục after it are not what is tested), once for the tests that read it."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for page in PdfReader(REALDOCS / "files" / name).pages[:pages]:
        writer.add_page(page)
    out = Path(tempfile.mkdtemp()) / name
    with out.open("wb") as f:
        writer.write(f)
    return parse_file(out)


def _file(name: str) -> dict[str, Any]:
    return parse_file(REALDOCS / "files" / name, ocr=False).fields


@needs_ocr
def test_a_title_over_kinh_gui_is_not_the_issuers_line() -> None:
    """'SỞ CÔNG THƯƠNG' / 'PHÒNG QLCN' beside the Quốc hiệu, then 'PHIẾU TRÌNH GIẢI QUYẾT CÔNG VIỆC' over 'Kính
    gửi:': the form's title, not a third line of the issuer."""
    fields = _scan("pt-phong-qlcn-sct-lao-cai-tham-dinh-2025-scan-ocr.pdf", 1).fields
    assert fields["issuer"] == {"name": "Phòng QLCN", "parent": "Sở Công Thương"}
    assert fields["title"] == "PHIẾU TRÌNH GIẢI QUYẾT CÔNG VIỆC"
    assert fields["recipients"] == ["Lãnh đạo Sở Công Thương"]


@needs_ocr
def test_the_post_printed_under_the_signers_name_is_the_signers() -> None:
    """'T/M. ĐOÀN KIỂM TRA' / 'TRƯỞNG ĐOÀN' / name / 'PHÓ GIÁM ĐỐC' / 'SỞ CÔNG THƯƠNG LÀO CAI': the two lines
    under the name are the Trưởng đoàn's own post, one title, and no attached phụ lục."""
    parsed = _scan("kh-doan-kiem-tra-sct-lao-cai-1105-2026-mojibake.pdf", 4)
    signer = parsed.fields["signer"]
    assert _bare(signer["title"]) == _bare("TRƯỞNG ĐOÀN / PHÓ GIÁM ĐỐC SỞ CÔNG THƯƠNG LÀO CAI")
    assert _bare(parsed.data["signer"]["other_title"]) == _bare("PHÓ GIÁM ĐỐC SỞ CÔNG THƯƠNG LÀO CAI")
    assert [_bare(a) for a in parsed.fields["appendices"]] == [_bare("PHỤ LỤC I")]


def test_a_post_under_the_name_and_signers_stacked_in_one_column() -> None:
    """In one OCR column a name then caps lines over another name: the next party's block, not a post."""
    from vn_congvan.parse import Line, parse_lines

    def col(text: str, where: str = "cols1.c2") -> Line:
        return Line(text, where=where)

    head = [Line("SỞ CÔNG THƯƠNG"), Line("Số: 12/BB-SCT"), Line("BIÊN BẢN"), Line("Kiểm tra kho"), Line("Nội dung.")]
    stacked = [col("ĐẠI DIỆN SỞ CÔNG THƯƠNG"), col("Hoàng Văn Thuân"), col("ĐẠI DIỆN CÔNG TY A"), col("Lê Văn Bình")]
    signers = parse_lines([*head, *stacked])["signer"]
    assert [s.get("other_title") for s in signers] == [None, None]
    posted = [col("T/M. ĐOÀN KIỂM TRA"), col("TRƯỞNG ĐOÀN"), col("Hoàng Văn Thuân"), col("PHÓ GIÁM ĐỐC")]
    signer = parse_lines([*head, *posted])["signer"]
    assert (signer["title"], signer["other_title"]) == ("TRƯỞNG ĐOÀN", "PHÓ GIÁM ĐỐC")
    # the field keeps the old 'T/M.' the page prints; the YAML writes the decree's 'TM.' (the model's form)
    assert signer["authority"] == "TM. ĐOÀN KIỂM TRA"
    assert _signer_fields(["T/M. ĐOÀN KIỂM TRA", "TRƯỞNG ĐOÀN"], "Hoàng Văn Thuân", ["PHÓ GIÁM ĐỐC", "SỞ X"]) == {
        "authority": "T/M. ĐOÀN KIỂM TRA",
        "title": "TRƯỞNG ĐOÀN / PHÓ GIÁM ĐỐC SỞ X",
        "name": "Hoàng Văn Thuân",
    }


@needs_ocr
def test_a_can_cu_ends_where_the_documents_purpose_begins() -> None:
    """'Thực hiện Kế hoạch số 199/KH-BGDĐT … trong trường phổ thông, để đánh giá thực trạng …': the căn cứ ends
    at the comma before 'để' (công văn 1849/BGDĐT-GDPT)."""
    basis = _scan("cv-bo-gddt-1849-bgddt-gdpt-stem-2026-scan.pdf", 1).fields["basis"]
    assert [_bare(b) for b in basis] == [
        _bare(
            "Thực hiện Kế hoạch số 199/KH-BGDĐT của Bộ Giáo dục và Đào tạo ngày 05/02/2026 về việc nghiên cứu, đề "
            "xuất mô hình phòng học STEM thích ứng với yêu cầu chuyển đổi số và đổi mới sáng tạo trong trường phổ "
            "thông,"
        )
    ]


TB_1894_BASIS = (
    "Thực hiện Quyết định số 1050/QĐ-SCT ngày 06/3/2026 của Giám đốc Sở Công Thương (sau đây viết tắt là Đoàn kiểm"
    " tra) về việc tiến hành kiểm tra việc chấp hành quy định pháp luật trong sử dụng và bảo quản vật liệu nổ công "
    "nghiệp trên địa bàn tỉnh Lào Cai và Kế hoạch kiểm tra số 1105/KH-ĐKT ngày 10/3/2026 đã được Giám đốc Sở Công "
    "Thương phê duyệt tại Quyết định số 1268/QĐ-SCT ngày 16/3/2026."
)


def test_a_can_cu_ends_with_its_sentence() -> None:
    """'… ngày 16/3/2026. Trên cơ sở kết quả kiểm tra, Sở Công Thương thông báo …': the next sentence is the
    issuer's (the Word draft of thông báo 1894/TB-SCT)."""
    assert _file("tb-so-cong-thuong-lao-cai-1894-2026-draft.docx")["basis"] == [TB_1894_BASIS]


@needs_ocr
def test_the_signed_scan_reads_the_same_can_cu_and_lưu() -> None:
    """The signed copy, read by OCR: the same căn cứ (OCR's '1 105' is the number 1105) and 'Lưu: VT, CN(…)'
    without the '-' the scan shows for its final '.'."""
    fields = _scan("tb-so-cong-thuong-lao-cai-1894-2026-signed-mojibake.pdf", 2).fields
    assert [_bare(b) for b in fields["basis"]] == [_bare(TB_1894_BASIS)]
    assert fields["archive"].startswith("VT, CN(") and fields["archive"].endswith("Cường)")


@needs_ocr
def test_a_can_cu_cut_at_its_hyphen_goes_on_and_the_list_is_whole() -> None:
    """'… Nghị định số 17/2022/NĐ-' / 'CP ngày 31 tháng 01 năm 2022 của Chính phủ);' is one căn cứ, and the two
    after it are read (quyết định 26/QĐ-XPVPHC; its 'Theo đề nghị …' line reads 'Ti heo …' in the OCR)."""
    basis = _scan("qd-cuc-hoa-chat-26-xpvphc-2026-scan-ocr.pdf", 1).fields["basis"]
    assert len(basis) >= 4
    assert basis[1].startswith("Căn cứ Nghị định số 71/2019/NĐ-CP ngày 30 tháng 8 năm 2019 của Chính phủ")
    assert basis[1].endswith("Nghị định số 17/2022/NĐ-CP ngày 31 tháng 01 năm 2022 của Chính phủ);")
    assert basis[2].startswith("Căn cứ Quyết định số 464/QĐ-BCT ngày 16 tháng 3 năm 2026 của Bộ trưởng")
    assert basis[3].startswith("Căn cứ Biên bản vi phạm hành chính số 23")


@needs_ocr
def test_can_cu_citing_two_documents_are_neither_dropped_nor_merged() -> None:
    """Tờ trình 24/TTr-UBND: three căn cứ, the first two citing two documents each, the third up to its ')'."""
    basis = _scan("ttr-ubnd-tinh-quang-ngai-24-mien-nhiem-2025-scan.pdf", 1).fields["basis"]
    assert [b[:40] for b in basis] == [
        "Căn cứ Luật Tổ chức chính quyền địa phươ",
        "Căn cứ Nghị định số 08/2016/NĐ-CP ngày 2",
        "Thực hiện Kết luận của Ban Thường vụ Tỉn",
    ]
    assert ("; Luật sửa" in basis[0], "; Nghị định số 115/2021/NĐ-CP" in basis[1]) == (True, True)
    assert basis[2].endswith("ngày 24/01/2025 của Ban Tổ chức Tỉnh đy):")  # the page: '… Tỉnh ủy);' (OCR)


@pytest.mark.parametrize(
    ("name", "last"),
    [
        # '…, đề xuất nhiệm vụ, giải pháp …; trên cơ sở báo cáo kết quả …, Bộ Nội vụ …'
        (
            "cv-bo-noi-vu-8151-bnv-cchc-2025-signed.pdf",
            "đề xuất nhiệm vụ, giải pháp trọng tâm đẩy mạnh cải cách hành chính nhà nước giai đoạn 2026 - 2030;",
        ),
        # '… (được gửi trên Hệ thống quản lý văn bản và điều hành), Chủ tịch UBND tỉnh giao Sở …'
        (
            "cv-ubnd-tinh-quang-ngai-507-ubnd-kgvx-2025-signed.pdf",
            "(được gửi trên Hệ thống quản lý văn bản và điều hành),",
        ),
        # '… ngày 24 tháng 7 năm 2024 của Ủy ban nhân dân tỉnh, Chủ tịch Ủy ban nhân dân tỉnh có ý kiến như sau:'
        (
            "tb-ubnd-tinh-binh-thuan-giai-the-06-hoi-2024-draft.doc",
            "theo Công văn số 2769/UBND-NCKSTTHC ngày 24 tháng 7 năm 2024 của Ủy ban nhân dân tỉnh,",
        ),
        # '… Quốc lộ 279 (hồ sơ sau chỉnh sửa). Sau khi nghiên cứu, Sở Công Thương …'
        ("ttr-so-cong-thuong-lao-cai-panm-2026-draft.docx", "trên Quốc lộ 279 (hồ sơ sau chỉnh sửa)."),
    ],
)
def test_a_can_cu_ends_where_the_issuers_own_words_begin(name: str, last: str) -> None:
    if name.endswith(".doc") and not source_ok(name):
        pytest.skip("LibreOffice")
    basis = _file(name)["basis"]
    assert basis[-1].endswith(last), basis[-1][-200:]


def test_a_can_cu_after_a_sentence_of_the_body() -> None:
    """Tờ trình 3367/TTr-SNV: 'Ngày 24/7/2024, Chủ tịch … có Công văn số 2769 …' then 'Thực hiện ý kiến chỉ đạo …
    tại Công văn số 2769/UBND-NCKSTTHC, Sở Nội vụ báo cáo …': the căn cứ is read, its paragraph stays in place."""
    parsed = parse_file(REALDOCS / "files" / "ttr-so-noi-vu-binh-thuan-3367-hoi-quan-chung-2024-signed.pdf", ocr=False)
    assert parsed.fields["basis"] == [
        "Thực hiện ý kiến chỉ đạo của Chủ tịch Ủy ban nhân dân tỉnh tại Công văn số 2769/UBND-NCKSTTHC,"
    ]
    body = [b for b in parsed.data["body"] if isinstance(b, str)]
    assert body[0].startswith("Ngày 24/7/2024,") and body[1].startswith("Thực hiện ý kiến chỉ đạo")


def test_a_can_cu_goes_on_with_the_second_document_it_cites() -> None:
    """Quyết định 1696/QĐ-UBND: 'Căn cứ Thông tư số 38/2025/TT-BCT …;' / 'Thông tư số 15/2026/TT-BCT …;' is one
    căn cứ; the three after it and 'Theo đề nghị …' are read too."""
    basis = _file("qd-ubnd-tinh-lao-cai-1696-uy-quyen-2026-signed.pdf")["basis"]
    assert len(basis) == 11
    assert "Bộ Công Thương; Thông tư số 15/2026/TT-BCT ngày 25/3/2026" in basis[6]
    assert basis[7].startswith("Căn cứ Quyết định số 555/QĐ-BCT ngày 26/3/2026")
    assert basis[10] == "Theo đề nghị của Giám đốc Sở Công Thương tại Tờ trình số 1856/TTr -SCT ngày 08/4/2026."


def test_a_can_cu_in_a_narrow_column_and_dashless_noi_nhan() -> None:
    """Hướng dẫn liên ngành 24/HDLN: 'Căn cứ mục 2.2, Nghị quyết số' / '173/2024/QH15 ngày 30/11/2024 của' /
    'Quốc hội quy định: “…”;' is one căn cứ; its Nơi nhận lists 'Bộ Công an;' … without dashes, then 'Lưu: …'."""
    fields = _file("hd-lien-nganh-bca-bqp-byt-bct-24-n2o-2026.pdf")
    assert fields["basis"][0].startswith("Căn cứ mục 2.2, Nghị quyết số 173/2024/QH15 ngày 30/11/2024 của Quốc hội")
    assert fields["basis"][0].endswith('giao Chính phủ tổ chức thực hiện cụ thể";')  # the text layer's '"' for '”'
    assert fields["basis"][1].startswith("Căn cứ Công văn số 3584/BYT-KCB ngày 19/5/2026 của Bộ Y tế")
    assert fields["distribution"] == [
        "Bộ Công an",
        "Bộ Quốc phòng",
        "Viện kiểm sát nhân dân tối cao",
        "Tòa án nhân dân tối cao",
        "Bộ Y tế",
        "Bộ Công thương",
        "Bộ Tài chính",
    ]
    assert fields["archive"] == "VT (BCA, BQP, VKSNDTC, TANDTC, BYT, BCT, BTC), C04-BCA"


def test_a_caps_trich_yeu_dated_on_the_line_under_it() -> None:
    """'BÁO CÁO' / 'TÌNH HÌNH THỰC HIỆN VÀ KẾT QUẢ' / 'PHỔ CẬP GIÁO DỤC, XÓA MÙ CHỮ' / 'Thời điểm tháng 10 năm
    2020' / 'PHẦN THỨ NHẤT': the date line belongs to the trích yếu, the part heading does not."""
    fields = parse_file(SHARED / "realdocs/texts/26_bc-bcd-pcgd-xmc-huyen-nga-son-255-2020-tcvn3-mojibake.txt").fields
    assert fields["title"] == "TÌNH HÌNH THỰC HIỆN VÀ KẾT QUẢ PHỔ CẬP GIÁO DỤC, XÓA MÙ CHỮ Thời điểm tháng 10 năm 2020"


def test_a_can_cu_glued_to_a_recipient_and_one_with_its_bracketed_line() -> None:
    """A web copy lost a line break: '- Phòng Gáo dục và Đào tạo huyện Phú Bình Căn cứ Luật giáo dục năm 2005;' is
    the last recipient and the first căn cứ; 'Căn cứ vào kết quả … của thị trấn Hương Sơn' / '(có hồ sơ chi tiết
    kèm theo).' is one căn cứ."""
    fields = parse_file(SHARED / "realdocs/texts/16_ttr-ubnd-thi-tran-huong-son-67-pcgd-tieu-hoc-2014.txt").fields
    assert fields["recipients"] == ["Uỷ ban nhân dân huyện Phú Bình", "Phòng Gáo dục và Đào tạo huyện Phú Bình"]
    assert fields["basis"][0] == "Căn cứ Luật giáo dục năm 2005;"
    assert fields["basis"][-1].endswith("mức độ 2 của thị trấn Hương Sơn (có hồ sơ chi tiết kèm theo).")


def test_a_text_without_diacritics_is_read_with_the_laws_fixed_words() -> None:
    """Every mark missing ('So:      /BTC-TCCB', 'Kinh gui: Bo Xay dung.', 'Noi nhan:', '- Luu: VT, TCCB (5b).'):
    the elements are found by their fixed words, their values are kept as the file writes them."""
    from vn_congvan.law import lines as L

    fields = _file("cv-bo-tai-chinh-cu-dai-dien-2026-generated-no-diacritics.docx")
    assert (fields["symbol"], fields["recipients"]) == ("BTC-TCCB", ["Bo Xay dung"])
    assert fields["distribution"] == ["Nhu tren", "Thu truong Do Thanh Trung (de b/b)", "Vu PTHT"]
    assert fields["archive"] == "VT, TCCB (5b)"
    assert L.with_marks("So sánh với năm 2025: tăng") == "So sánh với năm 2025: tăng"  # no Số line: as it is
    assert L.with_marks("- Luu y: nop truoc ngay 5") == "- Luu y: nop truoc ngay 5"
    assert L.with_marks("Ha Noi, ngay      thang 3 nam 2026") == "Ha Noi, ngày      tháng 3 năm 2026"


def test_without_its_ten_loai_the_ky_hieu_names_the_kind() -> None:
    """An OCR'd plan that lost 'KẾ HOẠCH' (and has no V/v): 'Số: 9 /KH-UBND' says it is a kế hoạch; its two
    'Thực hiện …' lines, one citing 'kế hoạch' in lower case, are its căn cứ."""
    fields = parse_file(SHARED / "realdocs/texts/04_kh-ubnd-xa-chi-minh-thang-hanh-dong-tre-em-2021-ocr.txt").fields
    assert (fields["kind"], fields["symbol"]) == ("ke_hoach", "KH-UBND")
    assert len(fields["basis"]) == 2
    assert (
        fields["basis"][0]
        == "Thực hiện kế hoạch công tác chăm sóc và bảo vệ trẻ em năm 2021 của Ủy ban nhân dân xã Chí Minh"
    )
    assert fields["basis"][1].startswith("Thực hiện Nghị quyết lãnh đạo của Dang uy")  # the copy's 'Dang uy': Đảng ủy
