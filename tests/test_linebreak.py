"""Where compose breaks the short lines (vn_congvan.linebreak): phrase boundaries from nd30.yaml, names
and numbers whole, only breaks a renderer's greedy wrap can reproduce, and a warning naming the line
when nothing good fits. The printed result is tested in test_pages.py."""

from __future__ import annotations

import itertools
import warnings

import pytest

from vn_congvan import compose, linebreak
from vn_congvan.linebreak import BAD, GOOD, PLAIN, LayoutWarning, fit, gaps, split
from vn_congvan.metrics import text_width

HEADER = (3686 - 216) / 20  # the header's left cell, points
SIGNER = (4535 - 216) / 20
DATE = (5669 - 216) / 20
TEXT = (11906 - 1701 - 851) / 20


@pytest.mark.parametrize(
    ("text", "box", "size", "bold", "italic", "lines"),
    [
        ("UBND THÀNH PHỐ HẢI PHÒNG", HEADER, 12, False, False, ["UBND THÀNH PHỐ", "HẢI PHÒNG"]),
        ("PHÒNG GIÁO DỤC VÀ ĐÀO TẠO", HEADER, 12, True, False, ["PHÒNG GIÁO DỤC", "VÀ ĐÀO TẠO"]),
        ("PHÓ TRƯỞNG BAN THƯỜNG TRỰC", SIGNER, 14, True, False, ["PHÓ TRƯỞNG BAN", "THƯỜNG TRỰC"]),
        ("BAN CHỈ ĐẠO XÂY DỰNG XÃ HỘI HỌC TẬP", HEADER, 12, True, False, ["BAN CHỈ ĐẠO XÂY DỰNG", "XÃ HỘI HỌC TẬP"]),
        (
            "Phường Phan Đình Phùng, ngày      tháng      năm 2026",
            DATE,
            13,
            False,
            True,
            ["Phường Phan Đình Phùng,", "ngày      tháng      năm 2026"],
        ),
        (
            "Tổ chức Tuần lễ hưởng ứng học tập suốt đời năm 2022 trên địa bàn huyện Đồng Hỷ",
            TEXT,
            14,
            True,
            False,
            ["Tổ chức Tuần lễ hưởng ứng học tập suốt đời năm 2022", "trên địa bàn huyện Đồng Hỷ"],
        ),
        ("SỞ GIÁO DỤC VÀ ĐÀO TẠO", HEADER, 12, True, False, ["SỞ GIÁO DỤC VÀ ĐÀO TẠO"]),
    ],
)
def test_breaks_at_phrase_boundaries(text: str, box: float, size: int, bold: bool, italic: bool, lines: list[str]):
    got = fit(text, box, size, bold, italic)
    assert got.lines == lines and got.ok
    # The paragraph width makes a greedy wrap give exactly these lines: each fits, each plus its next word not.
    assert all(text_width(x, size, bold, italic) <= got.width for x in got.lines)
    for a, b in itertools.pairwise(got.lines):
        assert text_width(f"{a} {b.split()[0]}", size, bold, italic) > got.width


def test_gap_kinds_come_from_the_data() -> None:
    words, seps = split("Ủy ban nhân dân xã Đồng Hỷ và Trường Tiểu học Hóa Thượng, năm 2026")
    kinds = dict(zip(itertools.pairwise(words), gaps(words, seps=seps), strict=True))
    assert kinds[("Ủy", "ban")] == BAD  # inside a unit type
    assert kinds[("xã", "Đồng")] == BAD and kinds[("Đồng", "Hỷ")] == BAD  # a unit and its name
    assert kinds[("Hỷ", "và")] == GOOD  # before "và"
    assert kinds[("Hóa", "Thượng,")] == BAD  # capitalised syllables: a name
    assert kinds[("Thượng,", "năm")] == GOOD  # after a comma
    assert kinds[("năm", "2026")] == BAD  # a number stays with its word
    assert kinds[("dân", "xã")] == PLAIN


def test_hyphen_and_slash_are_renderer_break_points() -> None:
    words, seps = split("Trung tâm GDNN-GDTX quận/huyện")
    assert words == ["Trung", "tâm", "GDNN-", "GDTX", "quận/", "huyện"] and seps == [" ", " ", "", " ", ""]
    pieces = ["Tổng cộng:", "87.000.000", "GDNN-GDTX", "năm 2026"]
    assert linebreak.chunks("Tổng cộng: 87.000.000 GDNN-GDTX năm 2026", names=False) == pieces


def test_narrow_table_header_glues_words() -> None:
    """A greedy wrap cannot give "Các / hoạt động" in a narrow cell; no-break spaces can."""
    box = text_width("hoạt động", 11, True) + 2
    assert not fit("Các hoạt động", box, 11, True).ok
    glued = fit("Các hoạt động", box, 11, True, glue=True)
    assert glued.ok and glued.lines == ["Các", "hoạt\u00a0động"]


def test_no_good_break_warns_naming_the_line() -> None:
    with pytest.warns(LayoutWarning, match="Tên cơ quan ban hành.*«TRUNG TÂM GIÁO DỤC THƯỜNG XUYÊN»"):
        got = compose.line("TRUNG TÂM GIÁO DỤC THƯỜNG XUYÊN", 1400, "co_quan")
    assert len(got.lines) > 1
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        compose.line("UBND THÀNH PHỐ HẢI PHÒNG", HEADER * 20, "chu_quan")  # a good break: no warning


def test_line_carries_its_paragraph() -> None:
    one = compose.line("SỞ GIÁO DỤC VÀ ĐÀO TẠO", HEADER * 20, "co_quan", "VBCoQuan")
    assert one == "SỞ GIÁO DỤC VÀ ĐÀO TẠO" and one.sides is None
    assert one.p == (
        '<w:p><w:pPr><w:pStyle w:val="VBCoQuan"/></w:pPr>'
        '<w:r><w:t xml:space="preserve">SỞ GIÁO DỤC VÀ ĐÀO TẠO</w:t></w:r></w:p>'
    )
    two = compose.line("UBND THÀNH PHỐ HẢI PHÒNG", HEADER * 20, "chu_quan", "VBChuQuan")
    left, right = two.sides
    assert abs(left - right) <= 1  # centred
    assert f'<w:ind w:left="{left}" w:right="{right}"/>' in two.p
    assert HEADER * 20 - left - right >= two.width * 20
    gui = compose.line("Sở GD&ĐT", 5000, "kinh_gui", "VBKinhGui", prefix="Kính gửi: ")
    assert gui == "Sở GD&ĐT" and "Kính gửi: Sở GD&amp;ĐT" in gui.p  # the text is escaped once


def test_a_long_name_after_a_short_word_is_glued_in_headers_only() -> None:
    """No box makes a greedy wrap print "PHƯỜNG / ĐÔNG HƯNG THUẬN": in the header, no-break spaces inside
    the name do; the user's own trích yếu is never changed, a warning names it instead."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        head = compose.line("PHƯỜNG ĐÔNG HƯNG THUẬN", HEADER * 20, "co_quan", "VBCoQuan")
    assert head.lines == ["PHƯỜNG", "ĐÔNG\u00a0HƯNG\u00a0THUẬN"] and "ĐÔNG\u00a0HƯNG\u00a0THUẬN" in head.p
    title = "V/v Tổ chức Tuần lễ hưởng ứng học tập suốt đời năm 2026 trên địa bàn phường Trương Quang Trọng"
    with pytest.warns(LayoutWarning, match="Trích yếu công văn.*Trương Quang Trọng"):
        vv = compose.line(title, HEADER * 20, "vv", "VBVv")
    assert vv == title and "\u00a0" not in vv.p
