"""The five seed examples reproduce their real documents: word for word (in order) and with few extra words,
and with the ND30-correct number, date, title, first citation and archive lines.

Seeds are text extracted from PDFs (/work/shared/seeds, domain.md §1); only the main document is compared:
report forms, slogans and appendices after it, and website noise, are cut off.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from docx import Document as open_docx
from docx.table import Table
from docx.text.paragraph import Paragraph
from shared import SEEDS as SHARED_SEEDS  # tests/ is on sys.path under pytest
from textmatch import in_order_ratio, precision, words  # tests/ is on sys.path under pytest

from vn_congvan.cli import main

ROOT = Path(__file__).resolve().parents[1]
SEEDS = Path(os.environ.get("VN_CONGVAN_SEEDS", SHARED_SEEDS))
EXAMPLES = ROOT / "examples" / "seeds"

IN_ORDER_MIN = 0.95
PRECISION_MIN = 0.85

# seed file, example, where the main document ends (None: at the end of the file)
CASES = {
    "000": ("000_bc84719e80160f2a.txt", "000-hai-phong-cong-van.yaml", "(MẪU BÁO CÁO"),
    "001": ("001_a2efb19c4460b60f.txt", "001-thai-nguyen-ke-hoach.yaml", None),
    "002": ("002_f9f7479b69127942.txt", "002-bo-gddt-cong-van.yaml", "- 1 Thông tư 07/2018"),
    "003": ("003_50f9c68472bcef57.txt", "003-long-bien-bcd-ke-hoach.yaml", None),
    "004": ("004_8969669e60869b4d.txt", "004-quan-7-ke-hoach.yaml", "ỦY BAN NHÂN DÂN QUẬN 7 CỘNG HÒA"),
}

# Concrete lines of each rendered document: số, date, tên loại / V/v, first citation, archive.
FACTS = {
    "000": [
        "Số:      /SGDĐT-GDTX&ĐH",
        "Hải Phòng, ngày      tháng      năm 2022",
        "V/v tổ chức Tuần lễ hưởng ứng học tập suốt đời năm 2022",
        "Kính gửi:",
        "Thực hiện Công văn số 4342/BGDĐT-GDTX ngày 07/9/2022 của Bộ Giáo dục và Đào tạo gửi Ủy ban nhân dân "
        "các tỉnh, thành phố trực thuộc Trung ương về việc tổ chức Tuần lễ hưởng ứng học tập suốt đời năm 2022;",
        "- Như trên;",
        "- Lưu: VT, GDTX&ĐH.",
    ],
    "001": [
        "Số: 144/KH-UBND",
        "Thái Nguyên, ngày 30 tháng 9 năm 2022",
        "KẾ HOẠCH",
        "Tổ chức Tuần lễ hưởng ứng học tập suốt đời năm 2022",
        "Thực hiện Công văn số 4342/BGDĐT-GDTrX ngày 07/9/2022 của Bộ Giáo dục và Đào tạo về việc tổ chức "
        "Tuần lễ hưởng ứng học tập suốt đời năm 2022; sau khi xem xét đề nghị",
        "- Lưu: VT, KGVX.",
    ],
    "002": [
        "Số:      /BGDĐT-GDTX",
        "Hà Nội, ngày 15 tháng 9 năm 2020",
        "V/v tổ chức Tuần lễ hưởng ứng học tập suốt đời năm 2020",
        "Kính gửi: Chủ tịch Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương",
        "Thực hiện nhiệm vụ năm học 2020-2021 đối với Giáo dục thường xuyên, Bộ Giáo dục và Đào tạo (GDĐT) đề nghị",
        "- Như trên;",
        "- Lưu: VT, GDTX.",
    ],
    "003": [
        "Số: 22/KH-BCĐ",
        "Long Biên, ngày 22 tháng 9 năm 2023",
        "KẾ HOẠCH",
        "Tổ chức “Tuần lễ hưởng ứng học tập suốt đời” năm 2023",
        "Căn cứ Công văn số 4864/BGDĐT-GDĐT ngày 08/9/2023 của Bộ Giáo dục và Đào tạo về việc tổ chức Tuần lễ "
        "hưởng ứng học tập suốt đời năm 2023; Công văn số 3442/SGDĐT-GDĐT-ĐH ngày 21/9/2023 của Sở GD&ĐT Hà Nội.",
        "Ban Chỉ đạo xây dựng xã hội học tập quận Long Biên xây dựng kế hoạch tổ chức “Tuần lễ hưởng ứng học tập "
        "suốt đời” năm 2023 (sau đây gọi là Tuần lễ) với các nội dung sau:",
        "- Lưu: VT.",
    ],
    "004": [
        "Số: 4595/KH-UBND",
        "Quận 7, ngày 01 tháng 10 năm 2021",
        "KẾ HOẠCH",
        "Tổ chức “Tuần lễ hưởng ứng học tập suốt đời năm 2021” trên địa bàn Quận 7",
        "Căn cứ Kế hoạch số 3195/KH-UBND ngày 27 tháng 9 năm 2021 của Ủy ban nhân dân Thành phố về tổ chức "
        "Tuần lễ hưởng ứng học tập suốt đời năm 2021 trên địa bàn Thành phố Hồ Chí Minh;",
        "I. MỤC ĐÍCH, YÊU CẦU",
        "III. PHÂN CÔNG THỰC HIỆN",
        "- Lưu: VT.",
    ],
}


def _texts(element, parent) -> Iterator[str]:
    """Paragraph texts in document order, descending into table cells (a merged cell once)."""
    for child in element.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            yield Paragraph(child, parent).text
        elif tag == "tbl":
            for row in Table(child, parent).rows:
                seen: set[int] = set()
                for cell in row.cells:
                    if id(cell._tc) not in seen:
                        seen.add(id(cell._tc))
                        yield from _texts(cell._tc, cell)


def docx_lines(path: Path) -> list[str]:
    """Lines of the main document: phụ lục follow it in their own sections (tests/test_appendix.py)."""
    doc = open_docx(str(path))
    body = doc.element.body
    ends = body.xpath("./w:p[w:pPr/w:sectPr]")
    if ends:
        for child in list(ends[0].itersiblings()):
            if child.tag.rsplit("}", 1)[-1] != "sectPr":
                body.remove(child)
    return [t for t in _texts(body, doc) if t.strip()]


def seed_main(seed_file: str, end: str | None) -> str:
    text = (SEEDS / seed_file).read_text(encoding="utf-8")
    if end is not None:
        cut = text.find(end)
        assert cut > 0, f"end marker {end!r} not in {seed_file}"
        text = text[:cut]
    return text


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[str]]:
    out = tmp_path_factory.mktemp("seeds")
    paths = [str(EXAMPLES / example) for _, example, _ in CASES.values()]
    assert main(["render", *paths, "-o", str(out)]) == 0
    return {key: docx_lines(out / Path(example).with_suffix(".docx").name) for key, (_, example, _) in CASES.items()}


needs_seeds = pytest.mark.skipif(not SEEDS.is_dir(), reason="seed texts not available")


@needs_seeds
@pytest.mark.parametrize("key", sorted(CASES))
def test_words_match_seed(key: str, rendered: dict[str, list[str]]) -> None:
    seed_file, _, end = CASES[key]
    seed = words(seed_main(seed_file, end))
    mine = words("\n".join(rendered[key]))
    ratio, prec = in_order_ratio(seed, mine), precision(seed, mine)
    print(f"seed {key}: in-order {ratio:.3f}, precision {prec:.3f} ({len(seed)} seed words, {len(mine)} rendered)")
    assert ratio >= IN_ORDER_MIN, f"seed {key}: only {ratio:.1%} of the seed's words in order"
    assert prec >= PRECISION_MIN, f"seed {key}: only {prec:.1%} of the rendered words are in the seed"


@pytest.mark.parametrize("key", sorted(FACTS))
def test_facts(key: str, rendered: dict[str, list[str]]) -> None:
    lines = rendered[key]
    for fact in FACTS[key]:
        assert any(line == fact or line.startswith(fact) for line in lines), f"seed {key}: no line {fact!r}"


def test_fact_order(rendered: dict[str, list[str]]) -> None:
    """The number line comes before the date line; the archive line is the last line of Nơi nhận."""
    for key, lines in rendered.items():
        number = next(i for i, line in enumerate(lines) if line.startswith("Số:"))
        date = next(i for i, line in enumerate(lines) if ", ngày " in line)
        assert number < date + 2, key
        archive = next(i for i, line in enumerate(lines) if line.startswith("- Lưu: VT"))
        assert lines[archive - 1].endswith(";"), key
        assert lines[archive].endswith("."), key


def test_closing_and_distribution(rendered: dict[str, list[str]]) -> None:
    for key, lines in rendered.items():
        nn = lines.index("Nơi nhận:")
        assert lines[nn - 1].endswith("./."), f"seed {key}: the closing must end with './.'"
        if any(line.startswith("Kính gửi:") for line in lines):
            assert lines[nn + 1] == "- Như trên;", f"seed {key}: NN-04"


def test_words_ignore_extraction_noise() -> None:
    noisy = "**5. Tổ chức thực hiện** | để báo cáo ✓\nX.H.C.  \nPHÒNG  \nÁO D  \nĐÀO  \nV.G. BIÊN\n\n## tháng 09"
    assert words(noisy) == ["5", "tổ", "chức", "thực", "hiện", "để", "báo", "cáo", "tháng", "9"]
    assert words("ngày 07/09/2022, [a\\_b@x.vn](mailto:a_b@x.vn)") == ["ngày", "7/9/2022", "a", "b", "x", "vn"]
    assert in_order_ratio(["a", "b", "c", "d"], ["a", "x", "c", "d", "b"]) == 0.75
    assert precision(["a", "b", "b"], ["b", "b", "b", "c"]) == 0.5
