"""OCR spelling from context (readers/spelling.py): words Tesseract read with a wrong mark are put right
when the syllable pairs of data/bigrams.csv favour the other spelling, and only then.

The phrases to put right are Tesseract's readings of the labelled scans (tests/labels/parse, OCR misses of
`benchmarks/parse_quality.py --only-ocr -v`); the corrector's data never saw those documents
(scripts/build_bigrams.py). The phrases to leave alone are OCR readings that were right, and names.
"""

from __future__ import annotations

import pytest
from shared import REALDOCS

from vn_congvan.readers import ocr_available, read
from vn_congvan.readers.ocr import read_ocr
from vn_congvan.readers.spelling import correct_pages, correct_text, lexicon, pairs, summary

needs_ocr = pytest.mark.skipif(not ocr_available(), reason="Tesseract with Vietnamese data (tesseract-ocr-vie)")


def fixed(text: str) -> str:
    return correct_text(text)[0]


@pytest.mark.parametrize(
    ("read_as", "printed"),
    [
        # kh-doan-kiem-tra-sct-lao-cai-1105 (its broken layer read by OCR): trích yếu, căn cứ, Nơi nhận
        (
            "của Giám đốc Sở Công Thương tỉnh Lào Cai vê việc kiểm tra",
            "của Giám đốc Sở Công Thương tỉnh Lào Cai về việc kiểm tra",
        ),
        ("- Văn phòng Sở (Bồ trí kinh phí, phương tiện", "- Văn phòng Sở (Bố trí kinh phí, phương tiện"),
        ("Đoàn Kiểm tra theo quyết định só 1050/QĐ-SCT", "Đoàn Kiểm tra theo quyết định số 1050/QĐ-SCT"),
        ("KẾ HOẠCH KIẾM TRA", "KẾ HOẠCH KIỂM TRA"),
        # cv-cuc-dck-bo-cong-thuong-1178: the V/v and the issuer's lines
        (
            "V/v hướng dẫn về công tác quản lý, phát triên cụm công nghiệp",
            "V/v hướng dẫn về công tác quản lý, phát triển cụm công nghiệp",
        ),
        ("CỤC ĐÓI MỚI SÁNG TẠO,", "CỤC ĐỔI MỚI SÁNG TẠO,"),
        # ttr-ubnd-tinh-quang-ngai-24: căn cứ
        (
            "Luật sửa đôi, bộ sung một sô điêu của Luật Tổ chức Chính phủ và Luật Tô chức Chính quyên địa phương",
            "Luật sửa đổi, bổ sung một số điêu của Luật Tổ chức Chính phủ và Luật Tổ chức Chính quyền địa phương",
        ),
        # qd-cuc-hoa-chat-26: căn cứ
        ("(được sửa đổi, bồ sung năm 2020, 2025);", "(được sửa đổi, bổ sung năm 2020, 2025);"),
        # cv-bo-gddt-1849: a common word read for another ("chuyên" for "chuyển") when its neighbour calls for it
        (
            "yêu cầu chuyên đổi số và đổi mới sáng tạo trong trường phô thông",
            "yêu cầu chuyển đổi số và đổi mới sáng tạo trong trường phổ thông",
        ),
        ("của Bộ Giáo đục và Đào tạo", "của Bộ Giáo dục và Đào tạo"),
    ],
)
def test_misread_marks_are_put_right_from_context(read_as: str, printed: str) -> None:
    assert fixed(read_as) == printed


@pytest.mark.parametrize(
    "text",
    [
        # right readings whose neighbours the corpus does not know ("phòng học", "khắc phục", "để đáp ứng"):
        # a common word is not changed for want of evidence
        "- Quy mô phòng học: Tổng số trường mỗi cấp học có phòng học bộ môn",
        "6. Bị áp dụng hình thức xử phạt, biện pháp khắc phục hậu quả như sau:",
        "định của Bộ Giáo dục và Đào tạo để đáp ứng dạy học STEM",
        "cơ sở giáo dục cho mỗi cấp học",  # "cho mọi" is a frequent pair, but "mỗi" is a word the corpus knows
        "4. Các tình tiết tăng nặng: Không áp dụng.",  # "các tỉnh" is frequent, yet no set phrase
        "1. Kết quả đánh giá tác động và thầm định TTHC",  # "và tham" is chance, not evidence
        "bước rời xa ma túy, làm lại cuộc đời",  # "xã ma" (unit names) is no set phrase
        "- Tiếp tục thực hiện giám sát việc lập hộ chiếu nổ mìn",
        # the only evidence is a pair seen once or twice: too little in a corpus this size
        "- Tông công ty xây dựng Trường Sơn;",
        "trực tiếp cho Bộ GDĐT về các vấn đề cốt lõi)",
    ],
)
def test_right_readings_and_weak_evidence_are_left_alone(text: str) -> None:
    assert fixed(text) == text


@pytest.mark.parametrize(
    ("name", "words", "as_words"),
    [
        # the same letters outside a name are changed: the name is kept by the protection, not by chance
        ("KT. GIÁM ĐỐC\nLê Thị Trân", "lê thị trân", "lê thị trấn"),  # a signer's line; "thị trấn"
        ("giao Nguyễn Văn Hòa chủ trì", "giao nguyễn văn hòa chủ trì", "giao nguyễn văn hóa chủ trì"),
        ("Ông Trần Trọng Tuấn", "trần trọng", "trân trọng"),
        ("đồng chí Nguyễn Văn Ban và", "nguyễn văn ban và", "nguyễn văn bản và"),
        ("ghi Chư Păh", "ghi chư rõ", "ghi chú rõ"),  # a district of Gia Lai in the unit table
    ],
)
def test_names_are_never_changed(name: str, words: str, as_words: str) -> None:
    assert fixed(name) == name
    assert fixed(words) == as_words


def test_each_change_is_reported_with_its_place_and_evidence() -> None:
    page = [
        ("Thực hiện Quyết định số 1050/QĐ-SCT ngày 06/3/2026 của Giám đốc Sở Công Thương", ""),
        ("tỉnh Lào Cai vê việc kiểm tra việc chấp hành Quy định pháp luật trong sử dụng và bảo quản vật", ""),
        ("liệu nỗ công nghiệp trên địa bàn tỉnh Lào Cai.", ""),
        ("Nơi nhận:", "cols2.c1"),
        ("- Văn phòng Sở (Bồ trí kinh phí,", "cols2.c1"),
        ("KT. GIÁM ĐỐC", "cols2.c2"),
    ]
    (out,), changes = correct_pages([page])
    assert [t for t, _ in out] == [
        page[0][0],
        "tỉnh Lào Cai về việc kiểm tra việc chấp hành Quy định pháp luật trong sử dụng và bảo quản vật",
        "liệu nổ công nghiệp trên địa bàn tỉnh Lào Cai.",  # a known misreading split by a line break
        "Nơi nhận:",
        "- Văn phòng Sở (Bố trí kinh phí,",
        "KT. GIÁM ĐỐC",
    ]
    assert [w for _, w in out] == [w for _, w in page]
    assert [(c.page, c.line, c.before, c.after) for c in changes] == [
        (1, 1, "vật liệu nỗ", "vật liệu nổ"),
        (1, 1, "vê", "về"),
        (1, 4, "Bồ", "Bố"),
    ]
    assert changes[0].evidence == ()  # data/ocr_confusions.yaml
    assert ("về việc", lexicon().n("về", "việc")) in changes[1].evidence
    assert str(changes[2]).startswith("Bồ → Bố ('bố trí' ")
    assert summary(changes, shown=2) == (
        "sửa chính tả OCR theo ngữ cảnh (OCR spelling) 3 chỗ: 'vật liệu nỗ' → 'vật liệu nổ', 'vê' → 'về' và 1 chỗ khác"
    )


def test_context_does_not_cross_a_sentence_end_or_a_column() -> None:
    # "kiểm tra" is the pair that would turn "KIÊM" into "KIỂM"; across a full stop or into another column
    # it is no context
    assert fixed("Hồ sơ đã kiêm. Tra cứu") == "Hồ sơ đã kiêm. Tra cứu"
    (out,), _ = correct_pages([[("cán bộ kiêm", "cols1.c1"), ("tra cứu", "cols1.c2")]])
    assert out[0][0] == "cán bộ kiêm"


def test_the_data_is_pairs_of_syllables_and_numbers() -> None:
    assert list(pairs("Căn cứ Nghị định số 30/2020/NĐ-CP. Theo đề nghị")) == [
        ("căn", "cứ"),
        ("cứ", "nghị"),
        ("nghị", "định"),
        ("định", "số"),
        ("số", "#"),
        ("#", "#"),
        ("theo", "đề"),
        ("đề", "nghị"),
    ]
    lex = lexicon()
    assert lex.n("tổ", "chức") > 100 and lex.n("số", "#") > 10
    assert lex.n("vê", "việc") == 0 and lex.n("về", "việc") > 0


def test_ocr_output_is_corrected_and_the_changes_are_a_warning() -> None:
    """read_ocr, the one place OCR text is produced, runs the corrector and says what it changed."""
    head = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext"
    words = ["Căn", "cứ", "Luật", "sửa", "đổi,", "bồ", "sung", "năm", "2020"]
    rows = [head, "1\t1\t0\t0\t0\t0\t0\t0\t1650\t2330\t-1\t"]
    rows += [f"5\t1\t1\t1\t1\t{k}\t{100 + 120 * k}\t100\t100\t30\t90\t{w}" for k, w in enumerate(words, 1)]
    warnings: list[str] = []
    assert read_ocr(["\n".join(rows) + "\n"], warnings=warnings) == [[("Căn cứ Luật sửa đổi, bổ sung năm 2020", "")]]
    assert warnings == ["sửa chính tả OCR theo ngữ cảnh (OCR spelling) 1 chỗ: 'bồ' → 'bổ'"]


@needs_ocr
def test_a_broken_layer_read_by_ocr_reads_right_and_says_what_changed() -> None:
    """The Cục ĐMST letter 1178: its text layer is broken, OCR reads "ĐÓI MỚI", "phát triên"."""
    r = read(REALDOCS / "files" / "cv-cuc-dck-bo-cong-thuong-1178-2025-broken-glyphs.pdf")
    text = r.text
    assert "CỤC ĐỔI MỚI SÁNG TẠO," in text and "phát triển cụm công nghiệp" in text
    assert "ĐÓI MỚI" not in text and "phát triên" not in text
    note = next(w for w in r.warnings if w.startswith("sửa chính tả OCR"))
    assert "'triên' → 'triển'" in note


def test_a_corrected_word_keeps_the_case_it_was_read_in() -> None:
    """All capitals stay capitals, a capital first stays first; a lone capital opens a word ('V' read for
    'Về' at a sentence's start), it does not make the word capitals."""
    from vn_congvan.readers.legacy import recase

    assert recase("giám đốc", "GIAM ĐÓC") == "GIÁM ĐỐC"
    assert recase("giấy", "Giây") == "Giấy"
    assert recase("về", "V") == "Về"
    assert recase("về", "v") == "về"
