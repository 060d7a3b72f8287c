"""The printed page: every bundled example, the README's aggregate, a batch sample (≥ 50 units, two
provinces, both eras) and documents made to stress pagination and line breaking are printed to PDF by
LibreOffice in one call, then read back line by line (vn_congvan.pdfpage, poppler's pdftotext):
no blank or number-only page, the signer with the closing sentence, no short line broken inside a word
or a name, the Quốc hiệu on one line; and the defects this suite was written for, one by one."""

from __future__ import annotations

import json
import re
import shutil
import warnings
import zipfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
import yaml

from vn_congvan import pdfpage, rules
from vn_congvan.aggregate import aggregate
from vn_congvan.batch import run_batch, select_units
from vn_congvan.export import find_soffice, to_pdf
from vn_congvan.linebreak import LayoutWarning
from vn_congvan.loader import load
from vn_congvan.render import render

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted(p for p in (ROOT / "examples").rglob("*.yaml") if not p.name.endswith(".trace.yaml"))
REPORTS = ROOT / "examples" / "reports"

pytestmark = pytest.mark.skipif(
    find_soffice() is None or shutil.which("pdftotext") is None, reason="needs LibreOffice and poppler-utils"
)

FILLER = (
    "Các đơn vị chủ động xây dựng kế hoạch, bố trí nguồn lực và tổ chức các hoạt động hưởng ứng phù hợp "
    "với điều kiện thực tế của địa phương, bảo đảm thiết thực, hiệu quả."
)


@dataclass
class Printed:
    docx: Path
    pages: list[pdfpage.Page]
    findings: list[pdfpage.PageFinding]

    def lines_of(self, text: str) -> list[str]:
        placed = pdfpage.locate(self.pages, text)
        assert placed is not None, f"not printed: {text!r}"
        return placed.rows()

    def page_of(self, text: str) -> int:
        placed = pdfpage.locate(self.pages, text)
        assert placed is not None, f"not printed: {text!r}"
        return placed.page


def _write(path: Path, data: dict) -> Path:
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _short_cong_van(n: int) -> dict:
    """A school-sized công văn whose signature block lands lower on the page as `n` grows."""
    return {
        "profile": "so-gddt-thai-nguyen",
        "kind": "cong_van",
        "number": 12,
        "date": "2026-09-20",
        "drafting_unit": "GDTX",
        "title": "tổ chức Tuần lễ hưởng ứng học tập suốt đời năm 2026",
        "recipients": ["Các cơ sở giáo dục trực thuộc Sở"],
        "body": [FILLER] * n,
        "closing": "Trân trọng./.",
        "signer": {"prefix": "KT.", "head_title": "GIÁM ĐỐC", "title": "PHÓ GIÁM ĐỐC", "name": "Nguyễn Văn An"},
        "distribution": ["Như trên", "Lãnh đạo Sở"],
        "archive": ["GDTX"],
    }


def _long_lines() -> dict:
    """The lines of the issue's 'Why': a Phòng under a district, a deputy head 'thường trực', a long list."""
    doc = _short_cong_van(3)
    doc["issuer"] = {
        "level": "phong",
        "name": "Phòng Giáo dục và Đào tạo huyện Đồng Hỷ",
        "parent": "UBND HUYỆN ĐỒNG HỶ",
        "header": ["PHÒNG GIÁO DỤC VÀ ĐÀO TẠO"],
        "place": "Đồng Hỷ",
        "abbreviation": "PGDĐT",
    }
    doc["signer"] = {
        "prefix": "KT.",
        "head_title": "TRƯỞNG BAN",
        "title": "PHÓ TRƯỞNG BAN THƯỜNG TRỰC",
        "name": "Trần Thị Bình",
    }
    doc["title"] = (
        "tổ chức Tuần lễ hưởng ứng học tập suốt đời năm 2026 và triển khai các hoạt động khuyến học, khuyến tài "
        "trên địa bàn xã Đồng Hỷ"
    )
    doc["recipients"] = [
        "Ủy ban nhân dân xã Đồng Hỷ, xã Hóa Thượng, xã Văn Hán, xã Nam Hòa, xã Quang Sơn",
        "Hiệu trưởng các trường mầm non, tiểu học, trung học cơ sở trên địa bàn",
        "Trung tâm Giáo dục nghề nghiệp - Giáo dục thường xuyên huyện Đồng Hỷ",
    ] * 3
    return doc


def _batch(outdir: Path) -> list[Path]:
    """56 plans: 32 communes of Thái Nguyên (2026, after the reform), the 10 phường of Quận 7 (HCMC) and
    the 14 communes of Đồng Hỷ (2021–2022, before it)."""
    out: list[Path] = []
    samples = [
        ("derive/2026-ubnd-tinh-thai-nguyen-ke-hoach.yaml", date(2026, 9, 25), 32),
        ("seeds/004-quan-7-ke-hoach.yaml", date(2021, 10, 1), 10),
        ("derive/2022-ubnd-huyen-dong-hy-ke-hoach.yaml", date(2022, 10, 1), 14),
    ]
    for name, as_of, count in samples:
        plan = ROOT / "examples" / name
        selected = select_units(load(plan), "all", as_of=as_of, parent_unit=None)[:count]
        assert len(selected) == count
        entries = run_batch(
            plan, selected, outdir / plan.stem, as_of=as_of, jobs=2, check=False, progress=lambda *_: None
        )
        out += [outdir / plan.stem / e.file for e in entries if e.file and not e.error]
    return out


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Printed]:
    tmp = tmp_path_factory.mktemp("pages")
    docx: dict[str, Path] = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", LayoutWarning)
        for path in EXAMPLES:
            docx[path.stem] = render(load(path), tmp / f"{path.stem}.docx", base=path.parent)
        summary = aggregate(
            [REPORTS / "phuong-tan-phu.yaml", REPORTS / "so-lieu-9-phuong.csv"],
            form=REPORTS / "quan-7-tong-hop.yaml",
            per_unit=True,
        )
        docx["aggregate"] = render(summary.document(), tmp / "aggregate.docx", base=REPORTS)
        for n in range(6, 19, 2):
            src = _write(tmp / f"short-{n}.yaml", _short_cong_van(n))
            docx[src.stem] = render(load(src), tmp / f"{src.stem}.docx")
        src = _write(tmp / "long-lines.yaml", _long_lines())
        docx["long-lines"] = render(load(src), tmp / "long-lines.docx")
        for path in _batch(tmp / "batch"):
            docx[f"batch/{path.parent.name}/{path.stem}"] = path
    pdfs = to_pdf(list(docx.values()), tmp / "pdf")
    return {
        key: Printed(path, pdfpage.read_pdf(pdf), pdfpage.inspect(path, pdf))
        for (key, path), pdf in zip(docx.items(), pdfs, strict=True)
    }


def _ids(printed: dict[str, Printed], rule: str) -> dict[str, list[str]]:
    return {
        k: [f.detail for f in p.findings if f.rule_id == rule]
        for k, p in printed.items()
        if any(f.rule_id == rule for f in p.findings)
    }


def test_the_sample_is_what_the_issue_asks(printed: dict[str, Printed]) -> None:
    batch = [k for k in printed if k.startswith("batch/")]
    assert len(batch) >= 50
    assert {k.split("/")[1] for k in batch} == {
        "2026-ubnd-tinh-thai-nguyen-ke-hoach",
        "004-quan-7-ke-hoach",
        "2022-ubnd-huyen-dong-hy-ke-hoach",
    }
    assert all(e.stem in printed for e in EXAMPLES)


def test_every_page_carries_text(printed: dict[str, Printed]) -> None:
    """Page count equals the pages with body text: no blank page, none with only its number (PG-02)."""
    for key, p in printed.items():
        assert p.pages, key
        empty = [pg.number for pg in p.pages if not pg.content()]
        assert not empty, f"{key}: pages {empty} hold nothing but a page number"
    assert not _ids(printed, "PG-02")


def test_signer_on_the_page_of_the_closing_sentence(printed: dict[str, Printed]) -> None:
    assert not _ids(printed, "PG-01")
    for n in range(6, 19, 2):
        p = printed[f"short-{n}"]
        assert p.page_of("Trân trọng./.") == p.page_of("Nguyễn Văn An") == p.page_of("Nơi nhận:"), n


def test_no_short_line_broken_inside_a_word_or_a_name(printed: dict[str, Printed]) -> None:
    assert not _ids(printed, "PG-03")


def test_quoc_hieu_on_one_line(printed: dict[str, Printed]) -> None:
    assert not _ids(printed, "PG-04")
    bare = {e.stem for e in EXAMPLES if "quoc_hieu" not in load(e).spec.elements}  # Mẫu 2.2: a phụ lục alone
    assert bare == {"2.2-phu-luc-dien-tu"}
    for key, p in printed.items():
        if key not in bare:
            assert p.lines_of(rules.nd30()["quoc_hieu"]) == [rules.nd30()["quoc_hieu"]], key


A4_WIDTH = rules.nd30()["page"]["width"] / 20  # points
RIGHT_EDGE = A4_WIDTH - rules.nd30()["page"]["margins"]["right"][2] / 20  # the text area's right edge


@pytest.mark.parametrize(
    ("key", "box"),
    [
        ("2.2-phu-luc-dien-tu", "Số: 150/KH-UBND; 20/09/2026; 16:05:12+07:00"),
        ("1.3-van-ban-kem-theo-dien-tu", "Số: 1521/QĐ-UBND; 16/09/2026; 16:20:05+07:00"),
        ("3.2-ban-sao-y-dien-tu", "SAO Y; Sở Giáo dục và Đào tạo tỉnh Thái Nguyên; 17/09/2026; 09:30:00+07:00"),
    ],
)
def test_agency_ky_so_box_top_right_of_page_1(printed: dict[str, Printed], key: str, box: str) -> None:
    """PL I II.8.b, III.1.d; Phần II I.3: 'Góc trên, bên phải, trang đầu': one line, flush with the right
    margin, its centre in the right half, above every other line of page 1, in a smaller size than the text under it,
    and on no other page."""
    p = printed[key]
    placed = pdfpage.locate(p.pages, box)
    assert placed is not None and placed.page == 1 and placed.rows() == [box]
    (line,) = placed.lines
    assert abs(line.x1 - RIGHT_EDGE) < 2 and (line.x0 + line.x1) / 2 > A4_WIDTH / 2, (line.x0, line.x1, RIGHT_EDGE)
    others = [ln for ln in p.pages[0].lines if ln is not line]
    assert line.bottom <= min(ln.top for ln in others) + 0.5, "the box is above everything on page 1"
    first = min(others, key=lambda ln: ln.top)  # the header table's first line, or "Phụ lục II"
    assert line.bottom - line.top < first.bottom - first.top, "10 pt, smaller than the line under it"
    assert line.top < p.pages[0].height * 0.06  # in the top margin's band, over the text area
    assert all(pdfpage.locate([pg], box) is None for pg in p.pages[1:])


# ---------------------------------------------------------------- the issue's defects, one by one


def test_2020_cong_van_has_no_page_with_only_its_number(printed: dict[str, Printed]) -> None:
    p = printed["2020-so-gddt-thai-nguyen-cong-van"]
    last = p.pages[-1]
    assert pdfpage.locate([last], "Trân trọng./.") is not None
    assert pdfpage.locate([last], "PHÓ GIÁM ĐỐC") is not None


def test_thai_nguyen_2026_last_page_is_not_only_the_signature(printed: dict[str, Printed]) -> None:
    p = printed["2026-ubnd-tinh-thai-nguyen-ke-hoach"]
    closing = "trên địa bàn tỉnh, các cơ quan, đơn vị, địa phương triển khai thực hiện./."
    last = [ln.text for ln in p.pages[-1].content()]
    assert any(closing.endswith(t) or t.endswith("thực hiện./.") for t in last), last
    assert p.page_of("PHÓ CHỦ TỊCH THƯỜNG TRỰC") == len(p.pages)


def test_signature_never_alone_however_long_the_body(printed: dict[str, Printed]) -> None:
    """The short công văn at 7 lengths: the block crosses the page end at least once, and always keeps
    'Trân trọng./.' and its name with it."""
    pages = {n: len(printed[f"short-{n}"].pages) for n in range(6, 19, 2)}
    assert min(pages.values()) == 1 and max(pages.values()) == 2, pages


def test_header_breaks_at_phrase_boundaries(printed: dict[str, Printed]) -> None:
    assert printed["000-hai-phong-cong-van"].lines_of("UBND THÀNH PHỐ HẢI PHÒNG") == ["UBND THÀNH PHỐ", "HẢI PHÒNG"]
    long = printed["long-lines"]
    assert long.lines_of("PHÒNG GIÁO DỤC VÀ ĐÀO TẠO") == ["PHÒNG GIÁO DỤC", "VÀ ĐÀO TẠO"]
    assert long.lines_of("PHÓ TRƯỞNG BAN THƯỜNG TRỰC") == ["PHÓ TRƯỞNG BAN", "THƯỜNG TRỰC"]


def test_date_line_breaks_after_the_place(printed: dict[str, Printed]) -> None:
    p = printed["2026-phuong-phan-dinh-phung-ke-hoach"]
    rows = p.lines_of("Phường Phan Đình Phùng, ngày tháng năm 2026")
    assert rows[0] == "Phường Phan Đình Phùng," and rows[-1].endswith("năm 2026") and len(rows) == 2, rows


def test_unit_names_stay_whole(printed: dict[str, Printed]) -> None:
    title = printed["2022-ubnd-huyen-dong-hy-ke-hoach"].lines_of(
        "Tổ chức Tuần lễ hưởng ứng học tập suốt đời năm 2022 trên địa bàn huyện Đồng Hỷ"
    )
    assert title[-1] == "trên địa bàn huyện Đồng Hỷ", title
    long = printed["long-lines"]
    rows = long.lines_of("- Ủy ban nhân dân xã Đồng Hỷ, xã Hóa Thượng, xã Văn Hán, xã Nam Hòa, xã Quang Sơn;")
    assert len(rows) > 1
    for name in ("xã Đồng Hỷ", "xã Hóa Thượng", "xã Văn Hán", "xã Nam Hòa", "xã Quang Sơn"):
        assert any(name in r for r in rows), (name, rows)


def test_figures_and_column_headers_are_whole(printed: dict[str, Printed]) -> None:
    p = printed["aggregate"]
    words = {w for pg in p.pages for ln in pg.lines for w in ln.text.split()}
    assert "87.000.000" in words and "28.250.000" in words
    assert {"STT", "Thuận", "Kiểng", "Hưng"} <= words
    assert not words & {"ST", "Thuậ", "87.000.00", "Kiển", "Hưn"}
    # a table longer than a page repeats its header row on every page it covers
    tables = [pg for pg in p.pages if any(ln.text.split()[-1:] == ["21"] or "lớp/người" in ln.text for ln in pg.lines)]
    assert len(tables) >= 3 and all(any(ln.text.startswith("STT") for ln in pg.lines) for pg in tables)


def test_long_title_and_recipients_keep_to_the_first_page(printed: dict[str, Printed]) -> None:
    p = printed["long-lines"]
    assert p.page_of("Kính gửi:") == 1
    rows = p.lines_of(_long_lines()["title"].join(("V/v ", "")))
    assert all(not r.endswith(("xã", "Đồng")) for r in rows), rows


def _unfixed(docx: Path, out: Path) -> Path:
    """`docx` as this suite found the library: no keep-with-next, rows that split, no chosen breaks."""
    with zipfile.ZipFile(docx) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    xml = parts["word/document.xml"].decode()
    xml = xml.replace("<w:keepNext/>", "").replace("<w:trPr><w:cantSplit/></w:trPr>", "")
    xml = re.sub(r'(<w:pStyle w:val="VB(?:ChuQuan|CoQuan|VBVv|DiaDanh|TrichYeu|Vv)"/>)<w:ind [^>]*/>', r"\1", xml)
    xml = xml.replace('<w:p><w:pPr><w:pStyle w:val="VBCuoi"/></w:pPr></w:p>', "")
    parts["word/document.xml"] = xml.encode()
    parts["word/styles.xml"] = parts["word/styles.xml"].replace(b"<w:keepNext/><w:keepLines/>", b"")
    with zipfile.ZipFile(out, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return out


def test_check_pdf_reports_page_rules(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`vn-congvan check --pdf`: the defects of the issue, as the library printed them before, are
    reported with their rule IDs; the same documents as printed now pass."""
    from vn_congvan.cli import main

    names = ["2020-so-gddt-thai-nguyen-cong-van", "2026-ubnd-tinh-thai-nguyen-ke-hoach", "000-hai-phong-cong-van"]
    good, old = [], []
    for name in names:
        src = next(p for p in EXAMPLES if p.stem == name)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", LayoutWarning)
            good.append(render(load(src), tmp_path / f"{name}.docx", base=src.parent))
        old.append(_unfixed(good[-1], tmp_path / f"old-{name}.docx"))
    main(["check", "--pdf", "--json", *map(str, good + old)])
    results = {Path(r["path"]).stem: r for r in json.loads(capsys.readouterr().out)}
    pg = {k: {f["rule_id"] for f in r["findings"] if f["rule_id"].startswith("PG-")} for k, r in results.items()}
    assert pg[names[0]] == pg[names[1]] == pg[names[2]] == set()
    assert "PG-02" in pg[f"old-{names[0]}"]  # page 4 holds only its number
    assert "PG-01" in pg[f"old-{names[1]}"]  # Nơi nhận and the signer alone on page 3
    assert "PG-03" in pg[f"old-{names[2]}"]  # UBND THÀNH PHỐ HẢI / PHÒNG
    finding = next(f for f in results[f"old-{names[1]}"]["findings"] if f["rule_id"] == "PG-01")
    assert finding["severity"] == "error" and "cùng trang với câu kết" in finding["message"]
