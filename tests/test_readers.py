"""The input layer: every real file and text is read without losing a line; broken PDF text layers are
detected and read by Tesseract; legacy encodings and detached tone marks are repaired; web chrome is set
aside with its reason.

Expected words come from looking at the documents (page images rendered with pdftoppm, the .docx in Word),
not from the reader's output. OCR tests read one page each at 200 dpi (about 5 s a page).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import unicodedata
from collections import Counter
from pathlib import Path

import pytest
from shared import LAW, REALDOCS

from vn_congvan.cli import main
from vn_congvan.errors import InputError
from vn_congvan.readers import Origin, Reason, ocr_available, read
from vn_congvan.readers.base import Line
from vn_congvan.readers.legacy import repair, repair_detached_marks, repair_encoding
from vn_congvan.readers.quality import is_syllable, measure, words

FILES = REALDOCS / "files"
TEXTS = REALDOCS / "texts"
ALL = sorted(FILES.glob("*")) + sorted(TEXTS.glob("*.txt"))
needs_ocr = pytest.mark.skipif(not ocr_available(), reason="Tesseract with Vietnamese data (tesseract-ocr-vie)")
needs_soffice = pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice")


def _nonspace(text: str) -> Counter[str]:
    return Counter(c for c in unicodedata.normalize("NFC", text) if not c.isspace() and c != "|")


def _words(text: str) -> Counter[str]:
    return Counter(w.lower() for w in words(text))


def _dice(a: Counter[str], b: Counter[str]) -> float:
    return 2 * sum((a & b).values()) / (sum(a.values()) + sum(b.values()))


# ------------------------------------------------------------------ nothing lost


@pytest.mark.parametrize("path", ALL, ids=lambda p: p.name[:60])
def test_every_source_line_is_read_or_dropped_with_a_reason(path: Path) -> None:
    if path.suffix == ".doc" and shutil.which("soffice") is None:
        pytest.skip("LibreOffice")
    result = read(path, ocr=False)
    assert result.unaccounted() == []
    # Not only accounted for: every character of a source line is in the pieces made from it.
    pieces: dict[int, str] = {}
    for item in [*result.lines, *result.dropped]:
        pieces[item.src] = pieces.get(item.src, "") + item.text
    for src, text in enumerate(result.sources):
        if text.strip():
            assert _nonspace(pieces[src]) == _nonspace(text), (src, text)
    assert all(isinstance(d.reason, Reason) for d in result.dropped)
    assert result.summary().startswith(f"{path.name}: đọc ")


def test_summary_counts_lines_and_reasons() -> None:
    result = read(TEXTS / "11_cv-ubnd-huyen-tho-xuan-khong-phoi-lua-2024.txt")
    # source:/level:/kind: (3), "Đăng lúc: …", "100%", "Xem chi tiết tại đây.", the signed PDF's file name (4)
    assert result.summary() == (
        "11_cv-ubnd-huyen-tho-xuan-khong-phoi-lua-2024.txt: đọc 4/11 dòng; bỏ 7: "
        "4 khung trang web (page chrome), 3 thông tin nguồn (source metadata)"
    )
    assert result.lines[1].text.startswith("V/v tăng cường công tác đảm bảo trật tự an toàn giao thông")


# ------------------------------------------------------------------ Word


def test_docx_reads_header_table_cells_then_body_in_order() -> None:
    result = read(FILES / "kh-so-cong-thuong-lao-cai-3898-huan-luyen-2026.docx")
    texts = [line.text for line in result.lines]
    assert texts[:6] == [
        "UBND TỈNH LÀO CAI",
        "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "SỞ CÔNG THƯƠNG",
        "Độc lập - Tự do - Hạnh phúc",
        "Số: /KH-SCT",
        "Lào Cai, ngày tháng 6 năm 2026",
    ]
    assert texts[6] == "KẾ HOẠCH"
    assert result.lines[0].where == "t1.r1.c1.p1" and result.lines[6].where == "p1"
    # Word shows the chủ quản line regular and the issuer bold.
    assert (result.lines[0].bold, result.lines[2].bold, result.lines[4].bold) == (False, True, False)
    assert {line.origin for line in result.lines} == {Origin.DOCX}
    assert "Nơi nhận:" in texts


def test_docx_reads_text_in_text_boxes() -> None:
    # The V/v of this internal memo sits in a text box (INDEX.md); Word shows it under "PHÒNG QLCN".
    result = read(FILES / "cv-noi-bo-phong-qlcn-sct-lao-cai-kcn-phu-xuan-2026.docx")
    texts = [line.text for line in result.lines]
    assert texts[:3] == [
        "SỞ CÔNG THƯƠNG",
        "PHÒNG QLCN",
        "V/v tham gia ý kiến Hồ sơ đề xuất đầu tư dự án hạ tầng KCN Phú Xuân, xã Gia Phú",
    ]
    assert "Kính gửi: Phòng Kế hoạch - Tổng hợp" in texts


def test_docx_text_box_lines_carry_their_effective_bold_and_tab_stops_are_not_text() -> None:
    # Phụ lục IV's register cover sits in a text box: the issuer line is <w:b/>, the chủ quản line is not.
    lines: dict[str, Line] = {}
    for line in read(LAW / "Phuluc4.docx").lines:
        lines.setdefault(line.text, line)
    assert lines["TÊN CƠ QUAN/ĐƠN VỊ"].where == "p10.box1.p2" and lines["TÊN CƠ QUAN/ĐƠN VỊ"].bold is True
    assert lines["TÊN CƠ QUAN CHỦ QUẢN TRỰC TIẾP"].bold is False
    # "2. Nội dung đăng ký văn bản đi" has a tab stop in its w:pPr, no tab in its runs.
    assert "2. Nội dung đăng ký văn bản đi" in lines


def test_docx_footnotes_are_read_and_header_page_numbers_reported() -> None:
    # The giấy mời lists the invited communes in a footnote (seen in Word).
    gm = read(FILES / "gm-ubnd-tinh-lao-cai-hop-cum-cong-nghiep-2026-draft.docx")
    note = [line for line in gm.lines if line.where.startswith("footnote")]
    assert len(note) == 1 and note[0].text.startswith("UBND các xã, phường: Gia Phú, Văn Bàn, Bảo Yên")
    tb = read(FILES / "tb-vp-ubnd-tinh-lao-cai-ket-luan-cum-cong-nghiep-2026-draft.docx")
    assert [d.text for d in tb.dropped if d.reason is Reason.PAGE_NUMBER] == ["5"]  # the header's PAGE field


@needs_soffice
def test_doc_is_converted_by_libreoffice() -> None:
    result = read(FILES / "tb-ubnd-tinh-binh-thuan-giai-the-06-hoi-2024-draft.doc")
    text = result.text
    assert "ỦY BAN NHÂN DÂN" in text and "TỈNH BÌNH THUẬN" in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert {line.origin for line in result.lines} == {Origin.DOCX}


# ------------------------------------------------------------------ PDF text layer


def test_clean_pdf_is_read_from_its_text_layer_and_stamps_are_reported() -> None:
    result = read(FILES / "tb-ubnd-tinh-quang-ngai-11-ket-luan-2025-signed.pdf")
    assert {line.origin for line in result.lines} == {Origin.PDF_TEXT}
    assert result.lines[0].text == "ỦY BAN NHÂN DÂN"
    assert result.lines[0].page == 1
    stamp = [d.text for d in result.dropped if d.reason is Reason.STAMP]
    # The Công báo stamp printed above the header (seen on the page image).
    assert stamp == ["TRUNG TÂM CÔNG BÁO", "VÀ TIN HỌC", "ttcbth@quangngai.gov.vn", "09.01.2025 10:21:11 +07:00"]
    assert [d.text for d in result.dropped if d.reason is Reason.PAGE_NUMBER] == ["2"]
    assert result.warnings == []


def test_a_hyphen_at_the_end_of_a_pdf_line_is_kept() -> None:
    # The page shows "Nghị định số 126/2024/NĐ-" at a line's end and "CP" on the next.
    result = read(FILES / "ttr-so-noi-vu-binh-thuan-3367-hoi-quan-chung-2024-signed.pdf")
    assert "NĐCP" not in result.text and "UBNDNCKSTTHC" not in result.text
    assert any(line.text.endswith("2769/UBND-") for line in result.lines)


def test_broken_layers_are_detected_page_by_page_without_ocr() -> None:
    for name in (
        "kh-doan-kiem-tra-sct-lao-cai-1105-2026-mojibake.pdf",
        "tb-so-cong-thuong-lao-cai-1894-2026-signed-mojibake.pdf",
        "cv-cuc-dck-bo-cong-thuong-1178-2025-broken-glyphs.pdf",
        "ttr-cong-an-tinh-lam-dong-298-pc04-2025-adobe-scan-badfont.pdf",
        "qd-cuc-hoa-chat-26-xpvphc-2026-scan-ocr.pdf",
        "pt-phong-qlcn-sct-lao-cai-tham-dinh-2025-scan-ocr.pdf",
        "bb-kiem-tra-sct-lao-cai-kho-vlncn-2026-scan-ocr.pdf",
        "cv-bo-gddt-1849-bgddt-gdpt-stem-2026-scan.pdf",
    ):
        result = read(FILES / name, ocr=False)
        assert any(w.startswith("trang 1: ") and "OCR đang tắt" in w for w in result.warnings), name
    for name in ("qd-bo-xay-dung-1074-pccc-2026.pdf", "hd-lien-nganh-bca-bqp-byt-bct-24-n2o-2026.pdf"):
        assert not any("OCR" in w for w in read(FILES / name, ocr=False).warnings), name


def test_quality_score_separates_clean_and_broken_text() -> None:
    assert not measure("Kính gửi: Sở Công Thương tỉnh Lào Cai về việc hướng dẫn thực hiện").broken
    assert measure("6Ӣ CÔNG 7+ѬѪ1* &Ӝ1* HÒA XÃ HӜI CHӪ NGHƬA").broken
    assert measure("CØNG HOÀXÃ HØI CHæNGH(AVIÆT NAM TÜTRÌNH").broken
    no_marks = "BIEN BAN KIEM TRA Cong tac nghiem thu ve phong chay chua chay va hoan thanh cong trinh xay dung"
    assert measure(no_marks).no_diacritics and measure(no_marks).broken
    assert is_syllable("nghiêng") and is_syllable("thiệt") and not is_syllable("thịêt") and not is_syllable("ƣu")


# ------------------------------------------------------------------ OCR


@needs_ocr
@pytest.mark.parametrize(
    ("name", "seen"),
    [
        # Adobe Scan layer: "CØNG HOÀXÃ HØI CHæNGH(AVIÆT NAM", "TÜTRÌNH".
        (
            "ttr-cong-an-tinh-lam-dong-298-pc04-2025-adobe-scan-badfont.pdf",
            ["CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM", "TỜ TRÌNH", "Kính gửi: Đồng chí Chủ tịch UBND tỉnh Lâm Đồng."],
        ),
        # Broken ToUnicode map: "ƣ" for "ư".
        (
            "cv-cuc-dck-bo-cong-thuong-1178-2025-broken-glyphs.pdf",
            ["BỘ CÔNG THƯƠNG", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Kính gửi: Sở Công Thương tỉnh Lào Cai"],
        ),
        # Ghostscript mojibake ("6Ӣ CÔNG 7+ѬѪ1*").
        (
            "kh-doan-kiem-tra-sct-lao-cai-1105-2026-mojibake.pdf",
            ["SỞ CÔNG THƯƠNG", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Lào Cai, ngày 10 tháng 3 năm 2026"],
        ),
        # Garbage OCR layer ("ceNG noa xA Her cHU Ncuia vrET NAM").
        (
            "qd-cuc-hoa-chat-26-xpvphc-2026-scan-ocr.pdf",
            ["BỘ CÔNG THƯƠNG", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "QUYẾT ĐỊNH", "Xử phạt vi phạm hành chính"],
        ),
        # ABBYY layer without diacritics ("PHIEU TRiNH GIAI OUYfT C6NC VIEC").
        (
            "pt-phong-qlcn-sct-lao-cai-tham-dinh-2025-scan-ocr.pdf",
            [
                "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                "PHIẾU TRÌNH GIẢI QUYẾT CÔNG VIỆC",
                "Kính gửi: Lãnh đạo Sở Công Thương",
            ],
        ),
        # ABBYY layer with lost or garbled marks ("BITN BAN KIEM TRA", "C6ng tic nghi$m thu"); OCR reads the
        # Quốc hiệu's first word as "CỌNG", so the rest of it is asserted.
        (
            "bb-kiem-tra-sct-lao-cai-kho-vlncn-2026-scan-ocr.pdf",
            [
                "XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                "Độc lập - Tự do - Hạnh phúc",
                "BIÊN BẢN KIỂM TRA",
                "Hôm nay, ngày 31 tháng 03 năm 2026 Sở Công Thương tỉnh Lào Cai tiến",
            ],
        ),
        # Image-only scan: no text layer at all.
        (
            "cv-bo-gddt-1849-bgddt-gdpt-stem-2026-scan.pdf",
            [
                "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                "Hà Nội, ngày 10 tháng 4 năm 2026",
                "Kính gửi: Các Sở Giáo dục và Đào tạo",
            ],
        ),
    ],
    ids=lambda v: v[:30] if isinstance(v, str) else "",
)
def test_broken_or_missing_text_layer_is_read_by_ocr(name: str, seen: list[str]) -> None:
    result = read(FILES / name, pages=1)
    texts = [line.text for line in result.lines]
    for words_seen in seen:
        assert any(words_seen in t for t in texts), (words_seen, texts[:15])
    assert {line.origin for line in result.lines} == {Origin.OCR}
    assert any(w.startswith("trang 1: ") and "đã đọc bằng OCR" in w for w in result.warnings)
    one_page = name.startswith(("ttr-cong-an", "cv-cuc-dck"))
    # The pages left out are named, not skipped silently.
    assert one_page or any(w.startswith("chỉ đọc 1/") and "not read" in w for w in result.warnings)
    assert result.unaccounted() == []
    if name.startswith("qd-cuc-hoa-chat"):
        # The Sở's red "ĐẾN" stamp overlaps the header (page image): its ink is whitened before OCR, so none of
        # its labels is read as text, and the title line it touched is read whole.
        assert not any("ký hiệu HS" in t or "SỞ CÔNG THƯƠNG LÀO CAI" in t or "Chuyển" in t for t in texts)
        assert "CỤC TRƯỞNG CỤC HÓA CHẤT" in texts
    if name != "cv-bo-gddt-1849-bgddt-gdpt-stem-2026-scan.pdf":  # a scan has no layer to replace
        assert sum(d.reason is Reason.BROKEN_LAYER for d in result.dropped) > 20
    assert measure(result.text).valid > 0.9


@needs_ocr
def test_image_file_is_read_by_ocr_like_the_text_layer(tmp_path: Path) -> None:
    pdf = FILES / "cv-bo-noi-vu-8151-bnv-cchc-2025-signed.pdf"
    subprocess.run(["pdftoppm", "-r", "200", "-png", "-singlefile", str(pdf), str(tmp_path / "cv")], check=True)
    image = read(tmp_path / "cv.png")
    layer = read(pdf)
    assert {line.origin for line in image.lines} == {Origin.OCR}
    overlap = _dice(_words(image.text), _words(layer.text))
    assert overlap > 0.93, overlap  # measured 0.96


# ------------------------------------------------------------------ draft and signed copies


@pytest.mark.parametrize(
    ("draft", "signed", "least"),
    [
        # measured 1.000 (0.999 while the text layer came from plain pdftotext, which glued "1849/BGDĐT-" and
        # "GDPT" across the line break and dropped the hyphen)
        pytest.param(
            "kh-so-gddt-dong-thap-362-tiep-doan-stem-2026-draft.doc",
            "kh-so-gddt-dong-thap-362-tiep-doan-stem-2026-signed.pdf",
            0.99,
            marks=needs_soffice,
        ),
        # measured 1.000
        (
            "kh-truong-thpt-cao-lanh-2-58-sinh-hoat-lich-su-2026.docx",
            "kh-truong-thpt-cao-lanh-2-58-sinh-hoat-lich-su-2026-signed.pdf",
            0.99,
        ),
        # measured 0.943: the signed copy's text layer is mojibake, so both pages are OCR'd ("nổ" read "nỗ")
        pytest.param(
            "tb-so-cong-thuong-lao-cai-1894-2026-draft.docx",
            "tb-so-cong-thuong-lao-cai-1894-2026-signed-mojibake.pdf",
            0.92,
            marks=needs_ocr,
        ),
    ],
    ids=["kh-362", "kh-58", "tb-1894"],
)
def test_draft_and_signed_copy_read_the_same_words(draft: str, signed: str, least: float) -> None:
    a, b = read(FILES / draft), read(FILES / signed)
    assert _dice(_words(a.text), _words(b.text)) >= least
    if "mojibake" in signed:  # its text layer reads "6ӕ 1894 /TB-SCT"; the page shows:
        texts = [line.text for line in b.lines]
        assert {"UBND TỈNH LÀO CAI", "SỞ CÔNG THƯƠNG", "Số: 1894 /TB-SCT", "THÔNG BÁO"} <= set(texts)
        assert {line.origin for line in b.lines} == {Origin.OCR}


# ------------------------------------------------------------------ repairs


def test_tcvn3_text_is_repaired() -> None:
    result = read(TEXTS / "26_bc-bcd-pcgd-xmc-huyen-nga-son-255-2020-tcvn3-mojibake.txt")
    texts = [line.text for line in result.lines]
    assert "1.2.Tình hình kinh tế-xã hội:" in texts  # the page shows "1.2.T×nh h×nh kinh tÕ-x· héi:"
    assert "đã sửa mã TCVN3 ở 1 dòng" in result.warnings
    assert "Kinh tế Nga Sơn ở mức độ trung bình và đang có chiều hướng phát triển:" in texts  # untouched


def test_vni_and_cyrillic_look_alikes_are_repaired() -> None:
    assert repair_encoding("Coäng hoøa xaõ hoäi Vieät Nam")[0] == "Cộng hòa xã hội Việt Nam"
    assert repair("Số: 24 /HDLN-ВСТ-ВТC")[0] == "Số: 24 /HDLN-BCT-BTC"
    # Unicode Vietnamese is never "repaired", even where its letters are TCVN3 codes.
    text = "Tình hình kinh tế - xã hội, Hòa Bình, ½ ngày, 3 × 4"
    assert repair(text) == (text, [])
    result = read(FILES / "hd-lien-nganh-bca-bqp-byt-bct-24-n2o-2026.pdf")
    assert "BCT-BTC-VKSNDTC-TANDTC" in [line.text for line in result.lines]
    assert not any("\u0400" <= c <= "\u04ff" for c in result.text)


def test_detached_tone_marks_are_put_back() -> None:
    result = read(TEXTS / "19_cv-so-gddt-ninh-thuan-2917-thiet-hai-lu-lut-2010-broken-diacritics.txt")
    text = result.text
    # The text shows "thiêt hai ̀ ̣ ̣ do lũ lụt cua nganh Giao duc và Đao tao. ̉ ̀ ́ ̣ ̀ ̣"
    assert "do lũ lụt của ngành Giáo dục và Đào tạo." in text
    assert "- Bộ Giáo dục và Đào tạo." in text
    assert "tình hình thiệt hại do lũ lụt gây ra" in text
    assert not any(unicodedata.combining(c) for c in unicodedata.normalize("NFC", text))
    assert repair_detached_marks("bị thiêt hai ̣ ̣")[0] == "bị thiệt hại"
    # Vietnamese syllables: 0.85 of the words with the stray marks simply deleted, 0.957 repaired.
    assert measure(text).valid > 0.95


def test_text_without_diacritics_is_flagged() -> None:
    result = read(FILES / "cv-bo-tai-chinh-cu-dai-dien-2026-generated-no-diacritics.docx")
    assert any(w.startswith("văn bản mất dấu tiếng Việt (no diacritics)") for w in result.warnings)
    assert "CONG HOA XA HOI CHU NGHIA VIET NAM" in [line.text for line in result.lines]  # kept, only flagged
    assert not any("mất dấu" in w for w in read(FILES / "qd-bo-xay-dung-1074-pccc-2026.pdf").warnings)


# ------------------------------------------------------------------ web copies


def test_doc_site_chrome_is_dropped_and_the_header_comes_after_it() -> None:
    result = read(TEXTS / "04_kh-ubnd-xa-chi-minh-thang-hanh-dong-tre-em-2021-ocr.txt")
    texts = [line.text for line in result.lines]
    # The OCR put both header columns on one line: "UỶ BAN NHÂN DÂN CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM".
    assert texts[:6] == [
        "UỶ BAN NHÂN DÂN",
        "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "XÃ CHÍ MINH",
        "Độc lập - Tự do - Hạnh phúc",
        "Số: 9 /KH-UBND",
        "Chỉ Minh, ngày 43 tháng 5 năm 2021",
    ]
    chrome = {d.text for d in result.dropped if d.reason is Reason.CHROME}
    assert {"1. Trang chủ", "Tài liệu được quét OCR, nội dung có thể không chính xác", "Dung lượng 1,33 MB"} <= chrome
    before = [d.text for d in result.dropped if d.reason is Reason.BEFORE_HEADER]
    assert before == ["KH thang hanh dong vi tre em 2021", "lây"]


def test_web_lead_before_the_header_and_print_chrome() -> None:
    mn = read(TEXTS / "14_tb-truong-mn-hoa-mi-ba-dinh-ket-thuc-nam-hoc-covid-2021.txt")
    assert mn.lines[0].text == "UBND QUẬN BA ĐÌNH"
    assert [d.reason for d in mn.dropped if d.text.startswith("Trước tình hình dịch bệnh")] == [Reason.BEFORE_HEADER]
    gm = read(TEXTS / "01_gm-ubnd-tinh-hai-duong-tet-trong-cay-2018.txt")
    assert [(d.text, d.reason) for d in gm.dropped if d.reason is not Reason.METADATA] == [
        ("In bài viết", Reason.CHROME)
    ]
    # A mixed-case "Cộng hòa Xã hội Chủ nghĩa Việt Nam" in the body is not a header: nothing above it is dropped.
    assert gm.lines[0].text.startswith("Giấy mời dự Lễ phát động")


def test_a_quoc_hieu_further_down_heads_an_attachment_and_drops_nothing() -> None:
    body = [f"{i}. Nội dung công việc thứ {i} của các đơn vị." for i in range(1, 21)]
    text = "\n".join(["Kính gửi: Các trường tiểu học", *body, "UBND QUẬN 11", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"])
    result = read(text)
    assert result.dropped == [] and len(result.lines) == 23


def test_a_flattened_web_copy_is_cut_at_its_element_leads() -> None:
    # The whole document on one line of 1,990 characters: header, Số, date, V/v, Kính gửi list and body.
    result = read(TEXTS / "19_cv-so-gddt-ninh-thuan-2917-thiet-hai-lu-lut-2010-broken-diacritics.txt")
    texts = [line.text for line in result.lines]
    assert texts[:9] == [
        "UBND TỈNH NINH THUẬN",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "SỞ GIÁO DỤC VÀ ĐÀO TẠO",
        "Độc lập - Tự do - Hạnh phúc",
        "Số : 2917 /SGDĐT-VP",
        "Phan Rang-Tháp Chàm, ngày 05 tháng11 năm 2010",
        "V/v báo cáo nhanh tình hình bị thiệt hại do lũ lụt của ngành Giáo dục và Đào tạo.",
        "Kính gửi:",
        "- Ủy ban nhân dân tỉnh Ninh Thuận;",
    ]
    assert texts[9] == "- Bộ Giáo dục và Đào tạo."
    assert texts[10].startswith("Vừa qua, tỉnh Ninh Thuận") and texts[10].endswith("mai phon")
    assert [d.text for d in result.dropped if d.reason is Reason.BEFORE_HEADER] == ["1."]
    # A long line that quotes one lead in a sentence stays whole.
    sentence = "Thực hiện Kế hoạch số 12/KH-UBND của tỉnh, " + "các đơn vị tổ chức tuyên truyền rộng rãi; " * 12
    assert [line.text for line in read(sentence).lines] == [sentence.strip()]


def test_merged_header_columns_and_cells_are_split() -> None:
    ct = read(TEXTS / "09_hd-so-gddt-can-tho-681-day-them-hoc-them-2013.txt")
    assert [line.text for line in ct.lines[:4]] == [
        "ỦY BAN NHÂN DÂN",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Số: 681/HD-SGDĐT",
        "Cần Thơ, ngày 18 tháng 04 năm 2013",
    ]
    ql = read(TEXTS / "21_bc-truong-th-quang-loc-so-ket-hk1-2017-2018.txt")
    texts = [line.text for line in ql.lines]
    assert "BÁO CÁO" in texts  # "Số: /BCSK-THQLBÁO CÁO"
    assert [d.text for d in ql.dropped if d.reason is Reason.DUPLICATE] == ["Số: /BCSK-THQL"]
    glued = read(
        "TRƯỜNG THCS A CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAMTRƯỜNG\nSố: 12/KH-THCS Hà Nội, ngày 5 tháng 9 năm 2025"
    )
    assert [line.text for line in glued.lines] == [
        "TRƯỜNG THCS A",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "TRƯỜNG",
        "Số: 12/KH-THCS",
        "Hà Nội, ngày 5 tháng 9 năm 2025",
    ]


# ------------------------------------------------------------------ public surface


def test_read_accepts_text_and_is_repeatable() -> None:
    text = (TEXTS / "12_cv-pgd-quan-11-cuoc-thi-ve-tranh-nha-hoc-duong-2021.txt").read_text(encoding="utf-8")
    first, second = read(text), read(text)
    assert first.text == second.text and first.summary() == second.summary()
    assert first.source == "<text>"
    assert first.lines[0].text == "Kính gửi: Hiệu Trưởng các trường Tiểu học."


def test_bad_input_names_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "hong.docx"
    bad.write_bytes(b"PK\x03\x04 not a zip")
    with pytest.raises(InputError) as err:
        read(bad)
    assert str(bad) in str(err.value) and ".docx" in str(err.value)
    with pytest.raises(InputError, match="không tìm thấy tệp"):
        read(tmp_path / "khong-co.pdf")
    with pytest.raises(InputError, match="không tìm thấy tệp"):  # a mistyped name is not a one-line document
        read(str(tmp_path / "khong-co.docx"))
    fake = tmp_path / "anh.png"
    fake.write_bytes(b"not an image at all")
    with pytest.raises(InputError, match=r"không phải \.png"):
        read(fake)
    binary = tmp_path / "rac.txt"
    binary.write_bytes(bytes(range(256)) * 4)
    with pytest.raises(InputError, match="binary data"):
        read(binary)
    renamed = tmp_path / "cong-van.txt"  # a PDF saved under the wrong name is still read as a PDF
    renamed.write_bytes((FILES / "qd-bo-xay-dung-1074-pccc-2026.pdf").read_bytes())
    assert {line.origin for line in read(renamed).lines} == {Origin.PDF_TEXT}


def test_cli_lines_prints_lines_reasons_and_summary(capsys: pytest.CaptureFixture[str]) -> None:
    path = TEXTS / "11_cv-ubnd-huyen-tho-xuan-khong-phoi-lua-2024.txt"
    assert main(["parse", str(path), "--lines"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[-1] == read(path).summary()
    assert "bỏ                        [khung trang web (page chrome)] 100%" in out


def test_cli_lines_reads_stdin() -> None:
    text = "In bài viết\nUBND TỈNH X\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n1.2.T×nh h×nh\n"
    res = subprocess.run(
        [sys.executable, "-m", "vn_congvan", "parse", "-", "--lines"],
        input=text,
        capture_output=True,
        text=True,
        check=True,
    )
    assert "1.2.Tình hình" in res.stdout
    assert res.stdout.splitlines()[-1] == "<stdin>: đọc 3/4 dòng; bỏ 1: 1 khung trang web (page chrome)"
