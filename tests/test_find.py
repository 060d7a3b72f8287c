"""The one element finder (law.find.elements) that check and parse share: the same elements of a .docx
whichever side asks, and text without layout read the way a PDF or a web copy prints it."""

from __future__ import annotations

import dataclasses
import importlib
import random
import re
import zipfile
from datetime import date
from pathlib import Path

import pytest
from shared import REALDOCS  # tests/ is on sys.path under pytest

from vn_congvan import ooxml, rules, units
from vn_congvan.check import check, check_each, locate
from vn_congvan.derive import derive, issuer_for_unit
from vn_congvan.law import find
from vn_congvan.loader import load
from vn_congvan.render import render, render_package

ROOT = Path(__file__).resolve().parents[1]
parse = importlib.import_module("vn_congvan.parse")


@pytest.mark.parametrize("example", ["seeds/000-hai-phong-cong-van", "seeds/001-thai-nguyen-ke-hoach"])
def test_check_and_parse_find_the_same_elements_in_a_docx(example: str, tmp_path: Path) -> None:
    src = ROOT / "examples" / f"{example}.yaml"
    out = render(load(src), tmp_path / "doc.docx", base=src.parent)
    checked = locate(ooxml.read(out))
    lines, _ = parse.read_lines(out)
    parsed = parse._Parser(lines).found

    def texts(xs: list[find.Line]) -> list[str]:  # parse keeps a paragraph's text with single spaces
        return [find.norm(x.text) for x in xs if x.text.strip()]

    def one(x: find.Line | None) -> str | None:
        return find.norm(x.text) if x is not None else None

    for name in ("qh", "tn", "so", "date", "vv", "tl", "kg", "nn"):
        assert one(getattr(checked, name)) == one(getattr(parsed, name)), name
    for name in ("issuer", "chu_quan", "ty", "recipients", "nn_items", "signer", "basis"):
        assert texts(getattr(checked, name)) == texts(getattr(parsed, name)), name
    assert checked.kind is parsed.kind
    assert texts(parsed.signer)[-1] in {"Đặng Xuân Trường", "Đỗ Thị Hòa"}  # the name closes the block


def lines(*texts: str) -> list[find.TextLine]:
    return [find.TextLine(t) for t in texts]


def test_text_without_layout_signer_under_the_list_and_wrapped_items() -> None:
    """A PDF's text layer reads the Nơi nhận column, then the signer's: an item wrapped onto two lines, its
    note on a line of its own, then the chức vụ and the name."""
    doc = lines(
        "Kính trình Chủ tịch Ủy ban nhân dân tỉnh xem xét./.",
        "Nơi nhận:",
        "- Như trên;",
        "- Các Sở: Tài chính, Kế hoạch và Đầu tư,",
        "Tài nguyên và Môi trường;",
        "- Sở GD&ĐT Hà Nội;",
        "để báo cáo",
        "- Lưu: VT, TCCC.",
        "07.KH/T9/Tamht",
        "GIÁM ĐỐC",
        "Đỗ Văn Chung",
    )
    e = find.elements(doc, rules.nd30())
    assert e.nn is doc[1]
    assert [x.text for x in e.nn_items] == [x.text for x in doc[2:8]]
    assert e.o12 is doc[8]
    assert [x.text for x in e.signer] == ["GIÁM ĐỐC", "Đỗ Văn Chung"]


def test_text_without_sections_takes_the_first_noi_nhan() -> None:
    """An attached report form has its own Nơi nhận: without sections, the main document's is the first."""
    doc = lines(
        "Trân trọng./.",
        "Nơi nhận:",
        "- Như trên;",
        "- Lưu: VT.",
        "KT. GIÁM ĐỐC",
        "PHÓ GIÁM ĐỐC",
        "Đỗ Thị Hòa",
        "(MẪU BÁO CÁO)",
        "Nơi nhận:",
        "- Sở GD&ĐT;",
    )
    e = find.elements(doc, rules.nd30())
    assert e.nn is doc[1]
    assert [x.text for x in e.signer] == ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Đỗ Thị Hòa"]


def test_a_name_typed_rows_down_the_signer_column() -> None:
    """.docx read by the readers: blank cells are left out, the name sits three rows under the titles."""
    t = "t2"
    doc = [
        find.TextLine("Nơi nhận:", find.Slot(t, 0, 0), True),
        find.TextLine("- Sở GDĐT (bc);", find.Slot(t, 0, 0), False),
        find.TextLine("KT.HIỆU TRƯỞNG", find.Slot(t, 0, 1), True),
        find.TextLine("PHÓ HIỆU TRƯỞNG", find.Slot(t, 0, 1), True),
        find.TextLine("Trần Thanh Vũ", find.Slot(t, 3, 1), True),
    ]
    e = find.elements(doc, rules.nd30())
    assert [x.text for x in e.signer] == ["KT.HIỆU TRƯỞNG", "PHÓ HIỆU TRƯỞNG", "Trần Thanh Vũ"]


def test_kinh_gui_one_recipient_alone_and_one_on_two_lines() -> None:
    doc = lines(
        "V/v tuyển sinh",
        "Kính gửi:",
        "Ông (bà) Hiệu trưởng các trường trung cấp chuyên nghiệp,",
        "Cao đẳng; Đại học (có hệ TCCN) trực thuộc.",
        "Căn cứ Thông tư số 27/2014/TT-BGDĐT ngày 11/8/2014 của Bộ Giáo dục và Đào tạo;",
    )
    e = find.elements(doc, rules.nd30())
    assert e.kg is doc[1]
    assert e.recipients == doc[2:4]
    assert parse.parse_lines([parse.Line(x.text) for x in doc])["recipients"] == [
        "Ông (bà) Hiệu trưởng các trường trung cấp chuyên nghiệp, Cao đẳng; Đại học (có hệ TCCN) trực thuộc"
    ]


def test_text_without_layout_signer_read_between_the_items() -> None:
    """A scan's OCR reads the two columns line by line: the chức vụ lands between 'Nơi nhận:' and its items;
    a heading in capitals over an attached document's Quốc hiệu is not the signer's."""
    doc = lines(
        "5. Gửi cho Văn phòng Cục để biết./.",
        "Nơi nhận:",
        "CỤC TRƯỞNG",
        "- Như Điều 3;",
        "- Lưu: VT, Hồ sơ.",
        "Nguyễn Văn Bình",
        "ỦY BAN NHÂN DÂN QUẬN 7",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    )
    e = find.elements(doc, rules.nd30())
    assert [x.text for x in e.nn_items] == ["- Như Điều 3;", "- Lưu: VT, Hồ sơ."]
    assert [x.text for x in e.signer] == ["CỤC TRƯỞNG", "Nguyễn Văn Bình"]
    attached = lines(
        "Nơi nhận:", "- Như trên;", "- Lưu: VT.", "ỦY BAN NHÂN DÂN QUẬN 7", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    )
    assert find.elements(attached, rules.nd30()).signer == []


def test_text_without_layout_authority_and_wrapped_can_cu() -> None:
    """A PDF's quyết định: the thẩm quyền line known by its words (no bold, no centring to go by), then the
    căn cứ, one wrapped onto a second line, and 'Thực hiện' citing a document; the body's own 'Căn cứ tình
    hình …' further down is text."""
    doc = lines(
        "ỦY BAN NHÂN DÂN",
        "TỈNH KIÊN GIANG",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Số: 1961/QĐ-UBND",
        "Kiên Giang, ngày 05 tháng 9 năm 2019",
        "QUYẾT ĐỊNH",
        "Ban hành Quy chế tổ chức và hoạt động",
        "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH KIÊN GIANG",
        "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;",
        "Căn cứ Nghị định số 61/2018/NĐ-CP ngày 23 tháng 4 năm 2018 của",
        "Chính phủ về thực hiện cơ chế một cửa;",
        "Thực hiện Kế hoạch số 12/KH-UBND ngày 10/01/2019 của Ủy ban nhân dân tỉnh;",
        "Theo đề nghị của Giám đốc Sở Nội vụ.",
        "QUYẾT ĐỊNH:",
        "Điều 1. Ban hành kèm theo Quyết định này Quy chế.",
        "Căn cứ tình hình thực tế, các sở thực hiện.",
    )
    found = find.elements(doc, rules.nd30())
    assert [p.text for p in found.authority] == ["CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH KIÊN GIANG"]
    assert [p.text for p in found.basis] == [t.text for t in doc[9:14]]
    assert found.opening == found.basis
    parsed = parse.parse_text("\n".join(p.text for p in doc))
    assert [b["lead"] for b in parsed["basis"]] == ["Căn cứ", "Căn cứ", "Thực hiện", "Theo đề nghị"]
    assert parsed["basis"][1]["refs"][0]["summary"] == "về thực hiện cơ chế một cửa"  # the wrapped line read
    assert parsed["authority"] == "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH KIÊN GIANG"


def test_a_thuc_hien_line_that_cites_nothing_opens_the_body() -> None:
    doc = lines("KẾ HOẠCH", "Tổ chức Tuần lễ", "Thực hiện nhiệm vụ năm học 2024-2025, trường xây dựng kế hoạch.")
    assert not find.elements(doc, rules.nd30()).basis


def test_text_without_layout_header_read_line_after_line() -> None:
    """A PDF's header, both cells read line after line: a portal's line above it, the issuer read between
    the right cell's lines, the số cut from its ký hiệu, a V/v on two lines, the Tiêu ngữ after the số."""
    doc = lines(
        "Cổng thông tin điện tử tỉnh",
        "ỦY BAN NHÂN DÂN",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "TỈNH QUẢNG NGÃI",
        "Số: 542",
        "Độc lập - Tự do - Hạnh phúc",
        "/TB-UBND",
        "HỎA TỐC",
        "Quảng Ngãi, ngày 12 tháng 11 năm 2024",
        "V/v tham dự hội nghị trực tuyến",
        "toàn quốc về chuyển đổi số",
        "Kính gửi: Các sở, ban, ngành tỉnh.",
    )
    found = find.elements(doc, rules.nd30())
    assert found.above == doc[:1]
    assert [p.text for p in (*found.chu_quan, *found.issuer)] == ["ỦY BAN NHÂN DÂN", "TỈNH QUẢNG NGÃI"]
    assert (found.so, found.so_parts, found.tn, found.marks) == (doc[4], [doc[6]], doc[5], [doc[7]])
    assert (found.date, found.vv, found.vv_more, found.kg) == (doc[8], doc[9], [doc[10]], doc[11])
    parsed = parse.parse_text("\n".join(p.text for p in doc))
    assert (parsed["number"], parsed["symbol"], parsed["date"]) == (542, "TB-UBND", "2024-11-12")
    assert parsed["title"] == "tham dự hội nghị trực tuyến toàn quốc về chuyển đổi số"
    assert parsed["issuer"]["name"] == "Ủy ban nhân dân tỉnh Quảng Ngãi"


def test_text_without_layout_symbol_tail_on_its_own_line() -> None:
    doc = lines("BAN CHỈ ĐẠO PCGD-XMC", "Số: 255/BC-BCĐPCGD-", "XMC", "Nga Sơn, ngày 10 tháng 6 năm 2020", "BÁO CÁO")
    found = find.elements(doc, rules.nd30())
    assert (found.so, found.so_parts, found.date, found.tl) == (doc[1], [doc[2]], doc[3], doc[4])
    assert parse.parse_text("\n".join(p.text for p in doc))["symbol"] == "BC-BCĐPCGD-XMC"


def test_text_without_layout_trich_yeu_wrapped_under_the_ten_loai() -> None:
    """Text without alignment: the trích yếu goes on while its lines keep its case; the thẩm quyền line in
    capitals under a sentence-case trích yếu, or the căn cứ, closes it."""
    doc = lines(
        "QUYẾT ĐỊNH",
        "Ban hành Quy chế làm việc của Ủy ban nhân dân",
        "xã Xuân Phú nhiệm kỳ 2021 - 2026",
        "ỦY BAN NHÂN DÂN XÃ XUÂN PHÚ",
        "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;",
    )
    found = find.elements(doc, rules.nd30())
    assert (found.tl, found.ty) == (doc[0], doc[1:3])
    caps = lines("THÔNG BÁO", "KẾT LUẬN CỦA CHỦ TỊCH UBND TỈNH", "TẠI CUỘC HỌP NGÀY 5/3/2026", "Ngày 5/3/2026, …")
    assert find.elements(caps, rules.nd30()).ty == caps[1:3]


def test_attached_phu_luc_after_the_signature_and_a_portal_footer() -> None:
    """What follows the signer: each 'PHỤ LỤC' opens a block of its own; a web copy's footer after the
    signature is attached to nothing."""
    head = ["KẾ HOẠCH", "Tổ chức Tuần lễ", "I. MỤC ĐÍCH", "Nâng cao nhận thức.", "Nơi nhận:", "- Lưu: VT."]
    sign = ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Nguyễn Văn An"]
    doc = lines(*head, *sign, "PHỤ LỤC I", "DANH SÁCH ĐƠN VỊ", "1. Trường A", "PHỤ LỤC II", "BIỂU MẪU", "Mẫu số 1")
    found = find.elements(doc, rules.nd30())
    assert [[p.text for p in b] for b in found.appendices] == [
        ["PHỤ LỤC I", "DANH SÁCH ĐƠN VỊ", "1. Trường A"],
        ["PHỤ LỤC II", "BIỂU MẪU", "Mẫu số 1"],
    ]
    assert (found.cut, found.trailing) == (None, [])
    web = lines(*head, *sign, "Tải về văn bản", "Chia sẻ bài viết")
    found = find.elements(web, rules.nd30())
    assert (found.appendices, [p.text for p in found.trailing]) == ([], ["Tải về văn bản", "Chia sẻ bài viết"])
    parsed = parse.parse_text("\n".join(p.text for p in doc))
    assert [a["title"] for a in parsed["appendices"]] == [["PHỤ LỤC I", "DANH SÁCH ĐƠN VỊ"], ["PHỤ LỤC II", "BIỂU MẪU"]]


def test_a_phu_luc_before_any_signature_cuts_the_body() -> None:
    doc = lines("KẾ HOẠCH", "Tổ chức Tuần lễ", "I. MỤC ĐÍCH", "Nâng cao nhận thức.", "PHỤ LỤC", "DANH SÁCH", "1. A")
    found = find.elements(doc, rules.nd30())
    assert found.cut == 4
    assert [[p.text for p in b] for b in found.appendices] == [["PHỤ LỤC", "DANH SÁCH", "1. A"]]


def test_text_without_layout_a_ten_loai_outside_phu_luc_iii() -> None:
    """'GIẤY PHÉP …' is no kind of Phụ lục III: a caps line over the thẩm quyền and the căn cứ is its tên loại."""
    doc = lines(
        "ỦY BAN NHÂN DÂN",
        "TỈNH LÀO CAI",
        "Số: /GP-UBND",
        "Lào Cai, ngày tháng năm 2026",
        "GIẤY PHÉP SỬ DỤNG VẬT LIỆU NỔ CÔNG NGHIỆP",
        "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH LÀO CAI",
        "Căn cứ Luật Tổ chức chính quyền địa phương ngày 16/6/2025;",
    )
    found = find.elements(doc, rules.nd30())
    assert (found.tl, found.other_tl, found.authority, found.basis) == (None, doc[4], [doc[5]], [doc[6]])
    assert parse.parse_text("\n".join(p.text for p in doc))["title"] == doc[4].text


def test_text_without_layout_a_ky_hieu_alone_on_the_top_line() -> None:
    """A web copy that lost 'Số: …/' and the issuer: the ký hiệu alone is the số line, not the issuer."""
    doc = lines("UBND-KTHT", "V/v tăng cường công tác đảm bảo trật tự an toàn giao thông.", "Hiện nay, người dân …")
    found = find.elements(doc, rules.nd30())
    assert (found.so, found.issuer, found.vv) == (doc[0], [], doc[1])
    parsed = parse.parse_text("\n".join(p.text for p in doc))
    assert (parsed["symbol"], parsed["number"], parsed.get("draft")) == ("UBND-KTHT", None, None)


def test_text_without_layout_symbol_groups_below_and_a_to_truong() -> None:
    """A liên tịch số whose ký hiệu runs onto the next line in groups, and 'TỔ TRƯỞNG …' deciding."""
    doc = lines(
        "BỘ CÔNG AN",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Số: 24/HDLN-BCA-BQP-",
        "Hà Nội, ngày 25 tháng 6 năm 2026",
        "BYT-BCT",
        "QUYẾT ĐỊNH",
        "Về việc ban hành Quy chế",
        "TỔ TRƯỞNG TỔ GIÚP VIỆC VỀ CẢI CÁCH HÀNH CHÍNH",
        "Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025;",
    )
    found = find.elements(doc, rules.nd30())
    assert (found.so_parts, found.authority) == ([doc[4]], [doc[7]])
    assert parse.parse_text("\n".join(p.text for p in doc))["symbol"] == "HDLN-BCA-BQP-BYT-BCT"


def test_a_caps_trich_yeu_begun_on_the_ten_loai_line() -> None:
    """'QUY CHẾ LÀM' over 'VIỆC CỦA …' in capitals: the words after the kind's name begin the trích yếu; over
    a trích yếu in ordinary case ('GIẤY MỜI HỌP' / 'Dự hội nghị …') they are the tên loại's own."""
    caps = parse.parse_text("QUY CHẾ LÀM\nVIỆC CỦA ỦY BAN NHÂN DÂN XÃ XUÂN PHÚ\nChương I\n")
    assert (caps["kind"], caps["title"]) == ("quy_che", "LÀM VIỆC CỦA ỦY BAN NHÂN DÂN XÃ XUÂN PHÚ")
    plain = parse.parse_text("GIẤY MỜI HỌP\nDự hội nghị tổng kết năm học\nKính gửi: Các trường.\n")
    assert (plain["kind"], plain["title"]) == ("giay_moi", "Dự hội nghị tổng kết năm học")


def test_bold_without_alignment_ends_the_trich_yeu_at_the_body() -> None:
    """A .docx as parse reads it (bold known, alignment not): the bold trích yếu ends where plain body text
    starts, even when that line goes on without a full stop."""
    doc = [
        find.TextLine("THÔNG BÁO", bold=True),
        find.TextLine("Kết luận của Chủ tịch Ủy ban nhân dân tỉnh tại cuộc họp", bold=True),
        find.TextLine("về các cụm công nghiệp trên địa bàn tỉnh", bold=True),
        find.TextLine("Ngày 19 tháng 6 năm 2026, Ủy ban nhân dân tỉnh tổ chức cuộc họp, gồm:", bold=False),
    ]
    assert find.elements(doc, rules.nd30()).ty == doc[1:3]


@pytest.mark.parametrize(
    ("header", "chu_quan"),
    [
        (["BỘCÔNGAN", "CÔNG AN TỈNH LÂM ĐỒNG"], ["BỘCÔNGAN"]),  # a scan glued the chủ quản's words
        (["BỘ CÔNG AN", "CÔNG AN TỈNH LÂM ĐỒNG"], ["BỘ CÔNG AN"]),
        (["SỞ CÔNG THƯƠNG", "ĐOÀN KIỂM TRA", "THEO QUYẾT ĐỊNH", "SÓ 1050/QĐ-SCT"], ["SỞ CÔNG THƯƠNG"]),  # as read
    ],
)
def test_text_without_layout_chu_quan_over_a_cong_an_or_doan(header: list[str], chu_quan: list[str]) -> None:
    """'Công an tỉnh …' and 'Đoàn kiểm tra …' open an issuing body (levels.yaml body_types): the line above is
    the chủ quản, not part of the issuer's name."""
    doc = lines(*header, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "Số: 298/TTr-CAT")
    found = find.elements(doc, rules.nd30())
    assert [p.text for p in found.chu_quan] == chu_quan
    assert [p.text for p in found.issuer] == header[len(chu_quan) :]


def places(found: find.Elements) -> dict[str, object]:
    """Every element of `found` as positions among its lines: what two findings are compared by."""
    at = found.pos

    def one(x: find.Line | None) -> int | None:
        return at[id(x)] if x is not None else None

    out: dict[str, object] = {}
    for f in dataclasses.fields(found):
        v = getattr(found, f.name)
        if f.name == "used":
            out[f.name] = sorted(at[k] for k in v)
        elif f.name == "under":
            out[f.name] = {at[k]: [one(x) for x in xs] for k, xs in v.items()}
        elif f.name == "appendices":
            out[f.name] = [[one(x) for x in block] for block in v]
        elif f.name != "lines":
            out[f.name] = [one(x) for x in v] if isinstance(v, list) else one(v) if f.type == "Line | None" else v
    return out


def test_a_batch_s_next_plan_is_found_again_as_its_lines_say() -> None:
    """elements_again: a batch's plans share all lines but those naming their unit, and each is found by the
    walk recorded over the one before; a plan whose changed lines read otherwise (another tên loại, another
    Nơi nhận label) is walked anew. Each finding is the finder's own, position for position."""
    as_of = date(2026, 9, 15)
    parent = load(ROOT / "examples/derive/2026-ubnd-tinh-thai-nguyen-ke-hoach.yaml")
    communes = [*units.children("Thái Nguyên", as_of=as_of)[:5], *units.children("Hồ Chí Minh", as_of=as_of)[:5]]
    parts = [render_package(derive(parent, issuer_for_unit(u, as_of=as_of), as_of=as_of).document)[0] for u in communes]
    main = "word/document.xml"
    for at, old, new in ((3, "KẾ HOẠCH", "THÔNG BÁO"), (7, ">Nơi nhận:<", ">Nơi gửi:<")):
        xml = parts[at - 1][main].decode()
        assert xml.count(old) == 1
        parts.insert(at, {**parts[at - 1], main: xml.replace(old, new).encode()})
    recording = None
    again = []
    for i, p in enumerate(parts):
        lines = locate(ooxml.read_parts(p, f"{i}.docx")).found.lines
        found, recorded = find.elements_again(lines, rules.nd30(), recording)
        again.append(recorded is recording)
        assert places(found) == places(find.elements(lines, rules.nd30())), i
        assert (found.kind is not None and found.kind.code == "TB") == (i == 3)
        assert (found.nn is None) == (i == 7)
        recording = recorded
    # the edited plans and the ones after them (their lines differ again) walked anew, the others found again
    assert again == [False, True, True, False, False, True, True, False, False, True, True, True]


_PARA = re.compile(rb"<w:p>.*?</w:p>", re.S)
_CELL = re.compile(rb"<w:tc>.*?</w:tc>", re.S)
_RUNS = re.compile(rb"<w:r>.*?</w:r>", re.S)
# the lines an edit aims at most: the ones naming a plan's unit and the elements around them
_ELEMENT_STYLES = re.compile(rb'w:val="VB(CoQuan|So|DiaDanh|TenLoai|TrichYeu|NoiNhan|NoiNhanLabel|ChucVu|HoTen)"')
# words that open another element, or none
_WORDINGS = [
    "", "Nơi nhận:", "Nơi gửi:", "- Lưu: VT.", "- Như trên;", "UBND tỉnh;", "THÔNG BÁO", "QUYẾT ĐỊNH", "KẾ HOẠCH",
    "V/v tổ chức Tuần lễ", "Kính gửi: Các xã", "Số: 12/TB-UBND", "SỐ 1050/QĐ-SCT", "Số: 7/KH-UBND",
    "Tân Cương, ngày 3 tháng 4 năm 2026", "TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Nguyễn Văn An",
    "Căn cứ Luật Giáo dục ngày 14 tháng 6 năm 2019;", "PHỤ LỤC I", "HỎA TỐC", "ỦY BAN NHÂN DÂN", "XÃ TÂN CƯƠNG",
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "(Đã ký)", "Tamht.05",
]  # fmt: skip


def _edited(xml: bytes, rnd: random.Random) -> bytes:
    """`xml` (a rendered document.xml) with one edit: another tên loại; a line reworded (emptied, or in another
    element's words), made bold, centred or shown in capitals, put in twice, taken out or moved; a header cell
    added."""
    if rnd.random() < 0.1:  # another tên loại: the same facts of its text as written, not as printed
        a, b = rnd.sample([">KẾ HOẠCH<", ">THÔNG BÁO<", ">TỜ TRÌNH<"], 2)
        return xml.replace(a.encode(), b.encode(), 1)
    paras = list(_PARA.finditer(xml))
    if not paras:  # a real file's paragraphs carry attributes: left as they are
        return xml
    aimed = [m for m in paras if _ELEMENT_STYLES.search(m[0])]
    m = rnd.choice(aimed if aimed and rnd.random() < 0.6 else paras)
    p, op = m[0], rnd.randrange(10)
    if op <= 2:
        words = rnd.choice(_WORDINGS).encode()
        run = b'<w:r><w:t xml:space="preserve">' + words + b"</w:t></w:r>" if words else b""
        p = _RUNS.sub(b"", p).replace(b"</w:p>", run + b"</w:p>")
    elif op == 3:
        p = p.replace(b"<w:r><w:t", b"<w:r><w:rPr><w:b/></w:rPr><w:t")
    elif op == 4:
        p = p.replace(b"</w:pPr>", b'<w:jc w:val="center"/></w:pPr>', 1)
    elif op == 5:  # shown in capitals, its text the same
        p = p.replace(b"<w:r><w:t", b"<w:r><w:rPr><w:caps/></w:rPr><w:t")
    elif op == 6:
        p += p
    elif op == 7:
        p = b""
    elif op == 8:  # moved: the line count kept, the lines between shifted
        rest = xml[: m.start()] + xml[m.end() :]
        at = rnd.choice(list(_PARA.finditer(rest))).end()
        return rest[:at] + p + rest[at:]
    elif cells := list(_CELL.finditer(xml)):
        c = rnd.choice(cells)
        return xml[: c.end()] + c[0] + xml[c.end() :]
    return xml[: m.start()] + p + xml[m.end() :]


def test_a_batch_s_documents_are_found_by_the_recorded_walk_as_by_the_finder(tmp_path: Path) -> None:
    """locate()'s recorded walk (find.Recording, over a batch's documents read by ooxml.read_parts) gives
    exactly find.elements of the same lines, position for position, whatever changed from the document
    before: a seeded walk over commune plans of two parents, alternating, each edited from the one before
    (_edited: the header's cells, the số, date, tên loại, Nơi nhận and signer lines, lines in and out), with
    real .docx files (read both ways) and the same document again among them; and check_each over the
    sequence reports what check() says of each file written."""
    as_of = date(2026, 9, 15)
    communes = units.children("Thái Nguyên", as_of=as_of)[:6]
    names = ("2026-ubnd-tinh-thai-nguyen", "2022-ubnd-huyen-dong-hy")
    parents = [load(ROOT / "examples/derive" / f"{n}-ke-hoach.yaml") for n in names]
    plans = [
        [render_package(derive(p, issuer_for_unit(u, as_of=as_of), as_of=as_of).document)[0] for u in communes]
        for p in parents
    ]
    reals = sorted((REALDOCS / "files").glob("*.docx"))[:6]
    located = importlib.import_module("vn_congvan.check.locate")
    rnd, data = random.Random(4), rules.nd30()
    prev, before = plans[0][0], None
    docs, files, found_again = [], [], 0
    for n in range(120):
        r = rnd.random()
        if r < 0.45 or r > 0.95:  # the document before, edited (or, past 0.95, the same again)
            parts = dict(prev)
        elif r < 0.85:  # a plan of either parent, in turn
            parts = dict(plans[n % 2][n % 6])
        else:  # a real file, read by ooxml.read or as a batch's parts
            with zipfile.ZipFile(rnd.choice(reals)) as z:
                parts = {k: z.read(k) for k in z.namelist()}
        for _ in range(rnd.choice([0, 1, 1, 2]) if r <= 0.95 else 0):
            parts["word/document.xml"] = _edited(parts["word/document.xml"], rnd)
        file = tmp_path / f"{n}.docx"
        with zipfile.ZipFile(file, "w") as z:
            for k, v in parts.items():
                z.writestr(k, v)
        doc = ooxml.read(file) if 0.85 <= r < 0.9 else ooxml.read_parts(parts, file)
        recording = located._kept.recording
        found = locate(doc).found
        lines = found.lines
        if recording is not None and located._kept.recording is recording and before is not None:
            found_again += any(x is not was for x, was in zip(lines, before, strict=True))  # a line changed
        fresh = find.elements(lines, data)
        assert places(found) == places(fresh), n
        assert (found.layout, found.aligned) == (fresh.layout, fresh.aligned), n
        docs.append(doc)
        files.append(file)
        prev, before = parts, lines
    assert found_again >= 20  # the recorded walk did find edited documents again, not only the same one
    for n, (each, alone) in enumerate(zip(check_each(docs), map(check, files), strict=True)):
        assert dataclasses.replace(each, path="") == dataclasses.replace(alone, path=""), n


def _school_plan() -> list[find.TextLine]:
    """A school's plan as a .docx reader gives it: header table 'T' (chủ quản not bold over the school),
    body, and the Nơi nhận and signer table 'S'."""
    S, T = find.Slot, find.TextLine
    return [
        T("SỞ GIÁO DỤC VÀ ĐÀO TẠO", S("T", 0, 0), bold=False, align="center"),
        T("TRƯỜNG THPT CAO LÃNH", S("T", 0, 0), bold=True, align="center"),
        T("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", S("T", 0, 1), bold=True, align="center"),
        T("Độc lập - Tự do - Hạnh phúc", S("T", 0, 1), bold=True, align="center"),
        T("Số: 58/KH-THPTCL2", S("T", 1, 0), bold=False, align="center"),
        T("Cao Lãnh, ngày 3 tháng 4 năm 2026", S("T", 1, 1), bold=False, align="right"),
        T("KẾ HOẠCH", bold=True, align="center"),
        T("Tổ chức sinh hoạt lịch sử", bold=True, align="center"),
        T("Thực hiện kế hoạch năm học, nhà trường xây dựng kế hoạch như sau:", bold=False, align="both"),
        T("I. MỤC ĐÍCH", bold=True, align="both"),
        T("Nơi nhận:", S("S", 0, 0), bold=True, align="left"),
        T("- Lưu: VT.", S("S", 0, 0), bold=False, align="left"),
        T("HIỆU TRƯỞNG", S("S", 0, 1), bold=True, align="center"),
        T("Nguyễn Văn An", S("S", 0, 1), bold=True, align="center"),
    ]


@pytest.mark.parametrize(
    ("edit", "issuer", "chu_quan"),
    [
        # the same text (the same facts): only what the line says of its layout tells the walks apart
        ({1: {"bold": False}}, [0, 1], []),
        # the school's line in a table of its own, the chủ quản's line the very one recorded
        ({1: {"slot": find.Slot("U", 0, 0)}}, [0], []),
        # the header's left cell split into two tables, both lines new
        ({0: {"slot": find.Slot("U", 0, 0)}, 1: {"slot": find.Slot("V", 0, 0)}}, [], []),
    ],
)
def test_a_line_that_reads_the_same_in_another_layout_is_walked_anew(
    edit: dict[int, dict[str, object]], issuer: list[int], chu_quan: list[int]
) -> None:
    """Recording.again takes the recorded walk only where each new line reads as the recorded one did:
    its layout (bold, cell) as well as its text's facts, and its cell shared with the same lines."""
    data = rules.nd30()
    before = _school_plan()
    recorded, recording = find.elements_again(before, data, None)
    assert (places(recorded)["issuer"], places(recorded)["chu_quan"]) == ([1], [0])
    lines = list(before)
    for at, changes in edit.items():
        lines[at] = dataclasses.replace(before[at], **changes)  # type: ignore[arg-type]
    found, _ = find.elements_again(lines, data, recording)
    assert places(found) == places(find.elements(lines, data))
    assert (places(found)["issuer"], places(found)["chu_quan"]) == (issuer, chu_quan)
