"""ND30 formatting of every bundled example, read back from the .docx XML with properties resolved
through docDefaults → styles → direct formatting (vn_congvan.ooxml)."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest

from vn_congvan import ooxml, rules
from vn_congvan.loader import load
from vn_congvan.metrics import text_width
from vn_congvan.render import render, render_bytes

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted(p for p in (ROOT / "examples").rglob("*.yaml") if not p.name.endswith(".trace.yaml"))
ND = rules.nd30()
DATE_RE = re.compile(
    r"^(?P<place>[A-ZĐÂĂÊÔƠƯÁÀẢÃẠ-Ỹ][^,]*), "
    r"ngày (?P<d>0[1-9]|[12]\d|3[01]| +) tháng (?P<m>0[12]|[3-9]|1[0-2]| +) năm \d{4}$"
)
SO_RE = re.compile(r"^Số: (0[1-9]|[1-9]\d+| +)/[A-ZĐ][A-Za-zĐđ&0-9]*(-[A-ZĐ][A-Za-zĐđ&0-9]*)+$")


@pytest.fixture(scope="module", params=EXAMPLES, ids=lambda p: p.stem)
def rendered(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    doc = load(request.param)
    out = render(doc, tmp_path_factory.mktemp("r") / "doc.docx", base=request.param.parent)
    return doc, ooxml.read(out), out


def find(d: ooxml.Document, predicate) -> ooxml.Paragraph:
    matches = [p for p in d.paragraphs() if predicate(p)]
    assert matches, "paragraph not found"
    return matches[0]


def following(d: ooxml.Document, p: ooxml.Paragraph) -> ooxml.Paragraph:
    paras = p.cell.paragraphs if p.cell else list(d.paragraphs())
    return paras[paras.index(p) + 1]


def props(p: ooxml.Paragraph) -> ooxml.RunProps:
    runs = p.visible_runs()
    assert runs, f"no text in {p.text!r}"
    return runs[0].props


def in_range(value: int | None, element: str) -> bool:
    low, high = rules.element(element)["range"]
    return value is not None and low <= value <= high


def rule_ratio(rule: ooxml.Paragraph, text_pt: float) -> float:
    box = rule.cell.effective_width - 2 * 108 if rule.cell else 11906 - 1701 - 851
    assert rule.border_bottom is not None, "short line must be a solid bottom border"
    return (box - rule.ind_left - rule.ind_right) / 20 / text_pt


def test_page_setup(rendered) -> None:
    _, d, _ = rendered
    s = d.sections[0]
    assert (s.page_width, s.page_height) == (11906, 16838)
    for side, (low, high, _) in ND["page"]["margins"].items():
        assert low <= s.margins[side] <= high, side


def test_times_new_roman_everywhere_in_black(rendered) -> None:
    _, d, _ = rendered
    count = 0
    for _, run in d.all_runs():
        if run.text.strip():
            count += 1
            assert {run.props.fonts[slot] for slot in ("ascii", "hAnsi", "cs", "eastAsia")} == {"Times New Roman"}
            assert run.props.color in (None, "auto", "000000")
    assert count > 20


def test_quoc_hieu_and_tieu_ngu(rendered) -> None:
    doc, d, _ = rendered
    if "quoc_hieu" not in doc.spec.elements:  # a phụ lục in its own file (Mẫu 2.2)
        return
    qh = find(d, lambda p: p.text == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    assert props(qh).bold and not props(qh).italic and in_range(props(qh).size, "quoc_hieu")
    assert qh.align == "center"
    # One line: the cell is wide enough for the bold capitals at their size.
    assert text_width(qh.text, props(qh).size / 2, bold=True) * 20 < qh.cell.effective_width - 216
    tn = following(d, qh)
    assert tn.text == "Độc lập - Tự do - Hạnh phúc"
    assert props(tn).bold and in_range(props(tn).size, "tieu_ngu") and tn.align == "center"
    line = following(d, tn)
    assert line.text == ""
    assert 0.85 <= rule_ratio(line, text_width(tn.text, props(tn).size / 2, bold=True)) <= 1.15


def test_issuer_number_and_date(rendered) -> None:
    doc, d, _ = rendered
    if "co_quan" not in doc.spec.elements:  # a phụ lục in its own file (Mẫu 2.2)
        return
    header = d.tables()[0]
    left = header.rows[0].cells[0].paragraphs
    names = doc.issuer.header_lines() + [x for c in doc.co_issuers for x in c.header_lines()]  # liên tịch
    issuer = [p for p in left if p.text and p.text.replace("\u00a0", " ") in names]
    assert issuer, "issuer lines in the left header cell"
    for p in issuer:
        assert p.text == p.text.upper() and props(p).bold and in_range(props(p).size, "co_quan")
    for p in left:
        if p.text and p.text in [x.upper() for x in doc.issuer.parent]:
            assert not props(p).bold and in_range(props(p).size, "chu_quan")
    rule = following(d, issuer[-1])
    ratio = rule_ratio(rule, text_width(issuer[-1].text, props(issuer[-1]).size / 2, bold=True))
    assert 0.33 <= ratio <= 0.5
    if "so_ky_hieu" not in doc.spec.elements:  # a văn bản kèm theo in its own file: the ký số says its số
        assert not any(p.text.startswith("Số:") or DATE_RE.match(p.text) for p in d.paragraphs())
        return
    so = find(d, lambda p: p.text.startswith("Số:"))
    assert SO_RE.match(so.text), so.text
    assert props(so).size == 26 and not props(so).bold
    if "dia_danh" not in doc.spec.elements:  # biên bản (Mẫu 1.9): no date line
        assert not any(DATE_RE.match(p.text) for p in d.paragraphs())
        return
    when = find(d, lambda p: DATE_RE.match(p.text) is not None)
    assert props(when).italic and not props(when).bold and in_range(props(when).size, "dia_danh")
    assert not re.search(r"tháng 0[3-9]", when.text)


def test_kind_title_or_vv(rendered) -> None:
    doc, d, _ = rendered
    if doc.spec.separate:  # its tên loại is its văn bản's, or none (a phụ lục): tests/test_kinds.py
        return
    if doc.is_cong_van:
        vv = find(d, lambda p: p.text.startswith("V/v "))
        assert not props(vv).bold and not props(vv).italic and in_range(props(vv).size, "vv")
        assert vv.space_before >= 100 and vv.border_bottom is None
        assert vv.cell is not None and vv.cell.col == 0
    else:
        kind = find(d, lambda p: p.text == doc.kind_name.upper())
        assert props(kind).bold and in_range(props(kind).size, "ten_loai") and kind.align == "center"
        title = following(d, kind)
        if not doc.title:  # giấy giới thiệu, giấy nghỉ phép (Mẫu 1.8, 1.10): the line under the tên loại
            assert title.text == "" and title.border_bottom is not None
            return
        assert title.text == doc.title and props(title).bold and in_range(props(title).size, "trich_yeu")
        # A title on several lines is narrowed to its widest line (compose.line): the rule follows that line.
        box = (11906 - 2552 - title.ind_left - title.ind_right) / 20
        ratio = rule_ratio(following(d, title), min(text_width(title.text, 14, True), box))
        assert 0.33 <= ratio <= 0.5


def test_kinh_gui(rendered) -> None:
    doc, d, _ = rendered
    if not doc.recipients:
        assert not any(p.text.startswith("Kính gửi") for p in d.paragraphs())
        return
    label = "Kính gửi:" if not doc.spec.address else doc.spec.address.format(authority=doc.authority.upper())
    kg = find(d, lambda p: p.text.startswith(label))  # a công điện: "CHỦ TỊCH … điện:" (Mẫu 1.6)
    assert not props(kg).bold and not props(kg).italic and in_range(props(kg).size, "kinh_gui")
    if len(doc.recipients) == 1:
        assert kg.text == f"{label} {doc.recipients[0]}"
    else:
        items = list(d.paragraphs())[kg.index + 1 : kg.index + 1 + len(doc.recipients)]
        assert all(p.text.startswith("- ") and p.text.endswith(";") for p in items[:-1])
        assert items[-1].text.endswith(".")
        assert len({p.ind_left - p.ind_hanging for p in items}) == 1


def test_body_paragraphs(rendered) -> None:
    doc, d, _ = rendered
    styles = ("VBPLNoiDung", "VBPLDeMuc") if "phu_luc_so" in doc.spec.elements else ("VBNoiDung", "VBDeMuc", "VBCanCu")
    body = [p for p in d.paragraphs() if p.style_id in styles and p.text]
    assert body  # a real công văn may be one paragraph (examples/real/cv-ubnd-tinh-quang-ngai-507-…)
    for p in body:
        assert p.align == "both"
        assert p.ind_first_line in (567, 720)
        assert p.space_before + p.space_after >= 120
        assert p.line_rule == "auto" and 240 <= p.line <= 360
        assert in_range(props(p).size, "noi_dung")
    for p in body:  # căn cứ ban hành: the paragraphs that open the body
        if not p.text.startswith(("Căn cứ", "Theo đề nghị", "Xét đề nghị")) or p.text.endswith("./."):
            break  # "Theo đề nghị … ./.": the whole body of a one-paragraph công văn, not a căn cứ
        assert props(p).italic
    assert body[-1].text.endswith("./.")


def test_noi_nhan_and_signature(rendered) -> None:
    doc, d, _ = rendered
    if "noi_nhan_label" not in doc.spec.elements:  # a file signed apart: the agency's ký số, no signer
        assert not any(p.text == "Nơi nhận:" for p in d.paragraphs())
        return
    label = find(d, lambda p: p.text == "Nơi nhận:")
    assert props(label).bold and props(label).italic and props(label).size == 24
    items = label.cell.paragraphs[label.cell.paragraphs.index(label) + 1 :]
    items = [p for p in items if p.text.startswith("- ")]
    assert all(props(p).size == 22 and not props(p).bold for p in items)
    assert all(p.text.endswith(";") for p in items[:-1])
    assert re.match(r"^- Lưu: VT(, .+)?\.$", items[-1].text)  # "KT(T.Q.Hùng)": a drafter's initials
    if doc.recipients:
        assert items[0].text == "- Như trên;"
    signature = label.cell.table  # the first Nơi nhận's table (a bản sao's copy block follows with its own)
    # the signer's block: the right cell, or among several signers in rows, the cell that holds the name
    named = [c for row in signature.rows for c in row.cells if any(p.text == doc.the_signer.name for p in c.paragraphs)]
    right = [p for p in (named or [signature.rows[0].cells[-1]])[-1].paragraphs if p.text]
    for p in right[:-1] if doc.the_signer.name else right:
        assert p.text == p.text.upper() and props(p).bold and in_range(props(p).size, "chuc_vu")
    assert right[0].text.split(" ")[0] in ("TM.", "KT.", "TL.", "TUQ.", "Q.") or len(right) <= 2
    if doc.the_signer.name:
        assert right[-1].text == doc.the_signer.name and props(right[-1]).bold


def test_page_numbers_top_centre_from_page_two(rendered) -> None:
    _, d, _ = rendered
    s = d.sections[0]
    assert s.title_pg
    assert s.headers["default"].has_page_field
    assert not s.headers["first"].has_page_field
    assert not any(f.has_page_field for f in s.footers.values())
    number = next(p for p in s.headers["default"].paragraphs() if p.has_page_field)
    assert number.align == "center"
    assert props(number).size in (26, 28) and not props(number).bold and not props(number).italic


def test_properties_and_no_leaked_metadata(rendered) -> None:
    doc, d, path = rendered
    assert d.core["creator"] == doc.issuer.name
    assert doc.title in d.core["title"]
    names = zipfile.ZipFile(path).namelist()
    assert "docProps/thumbnail.jpeg" not in names
    assert b"python-docx" not in b"".join(zipfile.ZipFile(path).read(n) for n in names)


def test_same_input_same_bytes() -> None:
    doc = load(EXAMPLES[0])
    assert render_bytes(doc) == render_bytes(doc)


def test_draft_leaves_number_and_day_blank(tmp_path: Path) -> None:
    doc = load(ROOT / "examples/seeds/001-thai-nguyen-ke-hoach.yaml")
    text = "\n".join(p.text for p in ooxml.read(render(doc, tmp_path / "d.docx", draft=True)).paragraphs())
    assert "Số:      /KH-UBND" in text
    assert "Thái Nguyên, ngày      tháng      năm 2022" in text


def test_checker_finds_no_error(rendered) -> None:
    from vn_congvan.check import check_document

    report = check_document(rendered[1])
    assert report.ok, [f"{f.rule_id}: {f.message} «{f.where}»" for f in report.errors]


def test_a_level_template_is_chosen_before_the_layout_default(tmp_path: Path) -> None:
    from vn_congvan.render import template_for

    doc = load(ROOT / "examples/seeds/002-bo-gddt-cong-van.yaml")  # level bo
    assert template_for(doc)[0].name == "cong_van.bo.docx"
    header = ooxml.read(render(doc, tmp_path / "bo.docx")).tables()[0]
    assert [c.effective_width for c in header.rows[0].cells] == list(rules.header_table("bo"))
    assert rules.header_table("bo")[0] > rules.header_table("tinh")[0]  # room for a Bộ's long name
