"""`vn-congvan fix`: each rule's fix repairs its single mistake without a new finding, the real hand-made
drafts come out passing `check` with their words unchanged, what is not a văn bản hành chính is not
touched, the input is never overwritten unless asked, and the page looks right afterwards."""

from __future__ import annotations

import json
import shutil
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import docx
import pytest
from recipes import build
from shared import LAW, REALDOCS

import vn_congvan
from vn_congvan import ooxml
from vn_congvan.check import REGISTRY, check, locate
from vn_congvan.check.fix import content_words, fix, words_changed
from vn_congvan.check.text import norm
from vn_congvan.cli import main

RULES = Path(__file__).parent / "rules"
FILES = REALDOCS / "files"
FIXABLE = sorted(r for r, cls in REGISTRY.items() if cls.has_fix())
TB = FILES / "tb-so-cong-thuong-lao-cai-1894-2026-draft.docx"
TTR = FILES / "ttr-so-cong-thuong-lao-cai-panm-2026-draft.docx"
REAL_DOCX = sorted(FILES.glob("*.docx"))
REAL_DOC = sorted(FILES.glob("*.doc"))


def fixture(rule_id: str) -> Path:
    folder = RULES / rule_id
    return folder / "fix.yaml" if (folder / "fix.yaml").exists() else folder / "fail.yaml"


def words(path: Path) -> list[str]:
    return content_words(ooxml.read(path))


@pytest.mark.parametrize("rule_id", FIXABLE)
def test_fix_repairs_the_single_mistake(rule_id: str, tmp_path: Path) -> None:
    bad = build(fixture(rule_id), tmp_path / "bad.docx")
    assert rule_id in check(bad, select=[rule_id]).rule_ids()
    result = fix(bad, tmp_path / "fixed.docx", unsafe=True)
    assert result.out == str(tmp_path / "fixed.docx")
    assert result.changes  # by this rule's fix, or another's (a 16 pt Quốc hiệu too wide: QH-01's size)
    after = check(tmp_path / "fixed.docx", select=sorted(REGISTRY))  # the opt-in rules too
    assert rule_id not in after.rule_ids(), after.findings
    assert after.rule_ids() <= result.before.rule_ids(), "a fix made a new finding"
    assert words(bad) == words(tmp_path / "fixed.docx")
    docx.Document(str(tmp_path / "fixed.docx"))  # python-docx opens it


OTHERS = sorted(p.name for p in RULES.iterdir() if p.is_dir() and (p.name not in FIXABLE or (p / "fix.yaml").exists()))


@pytest.mark.parametrize("folder", OTHERS)
def test_a_mistake_for_a_person_is_left_unharmed(folder: str, tmp_path: Path) -> None:
    """The mistakes no fix repairs (a missing element, a wording, a duplicate number): fixing the document
    around them changes no word and makes no new finding."""
    bad = build(RULES / folder / "fail.yaml", tmp_path / "bad.docx")
    result = fix(bad, tmp_path / "out.docx", unsafe=True)
    assert not result.refused and result.new_findings == [] and result.words_changed == 0
    if result.out:
        assert words(bad) == words(Path(result.out))


def test_hand_made_draft_passes_after_fix(tmp_path: Path) -> None:
    out = tmp_path / "tb.docx"
    result = fix(TB, out)
    before = check(TB)
    assert not before.ok and check(out).ok
    assert result.ok and result.new_findings == [] and result.words_changed == 0
    assert words(TB) == words(out)
    paras = [p.text for p in ooxml.read(out).paragraphs()]
    # the mechanical forms the fix may write: the Quốc hiệu's spelling, the date's spacing
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in paras and "      CỘNG HÕA XÃ HỘI CHỦ NGHĨA VIỆT NAM" not in paras
    assert any(" ".join(t.split()) == "Lào Cai, ngày tháng 4 năm 2026" for t in paras)
    doc = ooxml.read(out)
    so = next(p for p in doc.paragraphs() if p.text.strip().startswith("Số:"))
    assert {r.props.size for r in so.visible_runs()} == {26}  # 13 pt
    nn = locate(doc).nn_items
    sizes = {
        r.props.size for p in nn for r in p.visible_runs() if not r.props.vert_align
    }  # a drafter's subscript aside
    assert len(nn) == 5 and sizes == {22}  # 11 pt


def test_second_draft_passes_after_fix(tmp_path: Path) -> None:
    result = fix(TTR, tmp_path / "ttr.docx")
    assert result.ok, result.left
    assert check(tmp_path / "ttr.docx").ok
    assert words(TTR) == words(tmp_path / "ttr.docx")
    body = [p for p in ooxml.read(tmp_path / "ttr.docx").paragraphs() if p.text.startswith("Thực hiện Phiếu")]
    assert body[0].ind_first_line == 720 and body[0].space_before == 120 and body[0].align == "both"


@pytest.mark.parametrize("path", REAL_DOCX, ids=lambda p: p.name[:40])
def test_real_files_keep_their_words_and_gain_no_finding(path: Path, tmp_path: Path) -> None:
    result = fix(path, tmp_path / "out.docx")
    if result.refused:
        assert not (tmp_path / "out.docx").exists()
        return
    assert result.new_findings == []
    assert len(result.left) < len(result.before.findings) or not result.changes
    if result.out:
        assert words(path) == words(Path(result.out))
        docx.Document(result.out)


@pytest.mark.parametrize("path", [TB, TTR], ids=["tb", "ttr"])
def test_fixing_twice_changes_nothing_more(path: Path, tmp_path: Path) -> None:
    first = fix(path, tmp_path / "1.docx")
    second = fix(tmp_path / "1.docx", tmp_path / "2.docx")
    assert first.changes and second.changes == [] and second.out is None


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice converts the .doc files")
@pytest.mark.parametrize("path", REAL_DOC, ids=lambda p: p.name[:40])
def test_real_doc_files_converted_then_fixed(path: Path, tmp_path: Path) -> None:
    src = _as_docx(path)
    result = fix(src, tmp_path / "out.docx")
    assert result.new_findings == [] and result.words_changed == 0
    if result.out:
        assert words(src) == words(Path(result.out))


def _as_docx(path: Path) -> Path:
    """The benchmarks' cached LibreOffice conversion of a .doc (benchmarks/check_quality.py as_docx)."""
    import importlib.util
    import sys

    module = sys.modules.get("check_quality")
    if module is None:
        bench = Path(__file__).resolve().parents[1] / "benchmarks" / "check_quality.py"
        spec = importlib.util.spec_from_file_location("check_quality", bench)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module
        spec.loader.exec_module(module)
    return module.as_docx(path)  # type: ignore[no-any-return]


@pytest.mark.parametrize("rule_id", ["SO-02", "KG-01"])  # a kế hoạch and a công văn, as rendered
def test_a_conforming_document_is_not_touched(rule_id: str, tmp_path: Path) -> None:
    good = build(RULES / rule_id / "pass.yaml", tmp_path / "good.docx")
    result = fix(good, tmp_path / "out.docx", unsafe=True)
    assert result.changes == [] and result.out is None and not (tmp_path / "out.docx").exists()


def test_not_an_administrative_document_is_left_alone(tmp_path: Path) -> None:
    for src in (FILES / "gp-ubnd-tinh-lao-cai-su-dung-vlncn-my-gia-2026-draft.docx", LAW / "30_2020_ND_CP.docx"):
        if not src.exists():
            pytest.skip(f"{src} not available")
        result = fix(src, tmp_path / "out.docx")
        assert result.refused.startswith("không sửa:") and result.changes == []
        assert not (tmp_path / "out.docx").exists()


def test_a_fix_that_changes_a_word_is_not_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The safety net under every fix: were a fix to touch a word of content, nothing is written."""
    from vn_congvan.check.edit import replace_text

    def careless(self: object, d: Any) -> list[str]:
        replace_text(d.body[0], "Thực hiện", "Căn cứ")
        return ["a word changed"]

    monkeypatch.setattr(REGISTRY["SO-01"], "fix", careless)
    result = fix(TB, tmp_path / "out.docx")
    assert result.words_changed == 2 and result.refused.startswith("không ghi")
    assert not (tmp_path / "out.docx").exists()


def test_words_changed_counts_a_changed_word() -> None:
    assert words_changed(["số", "5", "kế", "hoạch"], ["số", "5", "kế", "hoạch"]) == 0
    assert words_changed(["số", "5", "kế", "hoạch"], ["số", "5", "hoạch"]) == 1
    assert words_changed(["a", "b"], ["a", "c", "d"]) == 2


def test_public_api_twice_in_one_process(tmp_path: Path) -> None:
    a = vn_congvan.fix(TB, tmp_path / "a.docx")
    b = vn_congvan.fix(TB, tmp_path / "b.docx")
    assert [c.what for c in a.changes] == [c.what for c in b.changes] and a.changes
    assert Path(a.out).read_bytes() != b""  # type: ignore[arg-type]


def test_dry_run_writes_nothing_and_the_input_is_never_the_output(tmp_path: Path) -> None:
    src = tmp_path / "tb.docx"
    shutil.copyfile(TB, src)
    before = src.read_bytes()
    result = fix(src, dry_run=True)
    assert result.changes and result.out is None and not (tmp_path / "tb.fixed.docx").exists()
    with pytest.raises(ValueError, match="--in-place"):
        fix(src, src)
    assert src.read_bytes() == before
    default = fix(src)
    assert default.out == str(tmp_path / "tb.fixed.docx") and src.read_bytes() == before


def test_in_place_keeps_a_backup(tmp_path: Path) -> None:
    src = tmp_path / "tb.docx"
    shutil.copyfile(TB, src)
    result = fix(src, in_place=True)
    assert result.backup == str(tmp_path / "tb.docx.bak")
    assert (tmp_path / "tb.docx.bak").read_bytes() == TB.read_bytes()
    assert check(src).ok and not check(tmp_path / "tb.docx.bak").ok
    assert not list(tmp_path.glob(".*.tmp"))  # the atomic write left no temporary file


def test_cli_in_place_and_dry_run(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "tb.docx"
    shutil.copyfile(TB, src)
    assert main(["fix", str(src), "--dry-run"]) == 0
    assert "sẽ sửa (chạy thử, không ghi tệp)" in capsys.readouterr().out and sorted(tmp_path.iterdir()) == [src]
    assert main(["fix", str(src), "--in-place"]) == 0
    assert f"bản gốc lưu ở {src}.bak" in capsys.readouterr().out
    assert check(src).ok and (tmp_path / "tb.docx.bak").read_bytes() == TB.read_bytes()
    assert main(["fix", str(src), "-o", str(tmp_path / "x.docx"), "--in-place"]) == 2


def test_select_and_ignore(tmp_path: Path) -> None:
    only = fix(TB, tmp_path / "a.docx", select=["SO"])
    assert {c.rule_id for c in only.changes} == {"SO-01"}
    rest = fix(TB, tmp_path / "b.docx", ignore=["SO-01", "NN"])
    assert not {c.rule_id for c in rest.changes} & {"SO-01", "NN-02"}


def test_cli_single_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out.docx"
    assert main(["fix", str(TB), "-o", str(out)]) == 0
    text = capsys.readouterr().out
    assert f"đã ghi {out}" in text and "sửa  SO-01" in text and "cỡ chữ 14 → 13 pt" in text
    assert "CỘNG HÕA XÃ HỘI CHỦ NGHĨA VIỆT NAM' → 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM'" in text
    assert "số chữ nội dung bị thay đổi: 0" in text
    assert main(["fix", str(TB), "-o", str(tmp_path / "j.docx"), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert (
        data["ok"]
        and data["words_changed"] == 0
        and {"rule_id": "SO-01", "change": "Số, ký hiệu: cỡ chữ 14 → 13 pt"} in data["changes"]
    )


def test_cli_batch_with_summary_table_and_check_fix(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    outdir = tmp_path / "out"
    gp = FILES / "gp-ubnd-tinh-lao-cai-su-dung-vlncn-my-gia-2026-draft.docx"
    status = main(["fix", str(TB), str(TTR), str(gp), "-o", str(outdir)])
    text = capsys.readouterr().out
    assert status == 1  # the giấy phép is not touched
    assert sorted(p.name for p in outdir.iterdir()) == sorted([TB.name, TTR.name])
    table = text[text.index("tệp") :]
    assert TB.name[:48] in table and "không sửa (không phải VBHC)" in table
    assert main(["check", str(TB), "--fix", "-o", str(tmp_path / "c.docx")]) == 0
    assert check(tmp_path / "c.docx").ok


def test_cli_bad_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    fake = tmp_path / "x.docx"
    fake.write_bytes(b"%PDF-1.4 not a docx")
    assert main(["fix", str(fake)]) == 2
    assert "PDF" in capsys.readouterr().err
    assert main(["fix", str(TB), "--select", "NOPE"]) == 2
    assert main(["fix", str(TB), str(TB), "-o", str(tmp_path / "out")]) == 2  # two inputs, one output
    assert "cùng ghi vào" in capsys.readouterr().err and not (tmp_path / "out").exists()


def _bbox(pdf: Path) -> list[tuple[str, float, float, float, float, int]]:
    """(word, xMin, yMin, xMax, yMax, page) of every word, from pdftotext -bbox."""
    from lxml import etree

    html = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, check=True).stdout
    root = etree.fromstring(html, etree.HTMLParser(encoding="utf-8"))
    out = []
    for n, page in enumerate(root.iter("page"), 1):
        for w in page.iter("word"):
            out.append((w.text or "", *(float(w.get(k)) for k in ("xmin", "ymin", "xmax", "ymax")), n))
    return out


@pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftotext") is None, reason="LibreOffice")
def test_page_geometry_after_fix(tmp_path: Path) -> None:
    """On the page: the Quốc hiệu of the Sở Công Thương draft, which wrapped ('NAM' on a second line), is
    on one line; the Lâm Đồng draft's 15 mm bottom margin is 20 mm, and the text column stays inside the
    margins; a school's plan without page numbers gets
    '2' at the top centre of page 2 and none on page 1."""
    from vn_congvan.export import to_pdf as export

    def to_pdf(docx_path: Path, pdf: Path) -> Path:
        pdf.parent.mkdir(exist_ok=True)
        return export([docx_path], pdf.parent)[0]

    tb = fix(TB, tmp_path / "tb.docx")
    pci = FILES / "tb-ubnd-tinh-lam-dong-ket-luan-pci-2026-draft.docx"
    lam_dong = fix(pci, tmp_path / "pci.docx")
    assert any(c.rule_id == "PAGE-03" for c in lam_dong.changes)
    before = _bbox(to_pdf(TB, tmp_path / "tb-before" / "x.pdf"))
    after = _bbox(to_pdf(Path(tb.out), tmp_path / "tb-after" / "x.pdf"))  # type: ignore[arg-type]

    def qh_lines(words: list[tuple[str, float, float, float, float, int]]) -> set[float]:
        first = [w for w in words if w[5] == 1]
        start = next(i for i, w in enumerate(first) if w[0] == "CỘNG")
        return {round(w[2]) for w in first[start : start + 8]}  # CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM

    assert len(qh_lines(before)) == 2 and len(qh_lines(after)) == 1
    page_h, mm = 842, 72 / 25.4
    pci_words = _bbox(to_pdf(Path(lam_dong.out), tmp_path / "pci" / "x.pdf"))  # type: ignore[arg-type]
    assert max(w[4] for w in pci_words) <= page_h - 20 * mm + 2
    assert min(w[1] for w in pci_words if w[2] > 250) >= 30 * mm - 2  # the body, under the header's own indents
    kh = fix(FILES / "kh-truong-thpt-cao-lanh-2-58-sinh-hoat-lich-su-2026.docx", tmp_path / "kh.docx")
    kh_words = _bbox(to_pdf(Path(kh.out), tmp_path / "kh" / "x.pdf"))  # type: ignore[arg-type]
    top1 = min((w for w in kh_words if w[5] == 1), key=lambda w: w[2])
    top2 = min((w for w in kh_words if w[5] == 2), key=lambda w: w[2])
    centre = 30 * mm + (210 - 30 - 20) * mm / 2  # of the text column between 30 and 20 mm margins
    assert top1[0] != "1" and top2[0] == "2" and abs((top2[1] + top2[3]) / 2 - centre) < 15 and top2[2] < 20 * mm


def _number_in_footer(src: Path, out: Path) -> Path:
    """The bundled example with its page number in the footer: its default header part made a footer."""
    with zipfile.ZipFile(src) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    parts["word/header1.xml"] = (
        parts["word/header1.xml"].replace(b"<w:hdr", b"<w:ftr").replace(b"</w:hdr>", b"</w:ftr>")
    )
    rels = parts["word/_rels/document.xml.rels"].decode()
    rel = rels[rels.rindex("<Relationship", 0, rels.index('Target="header1.xml"')) : rels.index('Target="header1.xml"')]
    rels = rels.replace(rel, rel.replace("/header", "/footer"))
    parts["word/_rels/document.xml.rels"] = rels.encode()
    types = parts["[Content_Types].xml"].decode()
    header_type = "wordprocessingml.header+xml"
    at = types.index('PartName="/word/header1.xml"')
    end = types.index(header_type, at) + len(header_type)
    parts["[Content_Types].xml"] = (
        types[:at] + types[at:end].replace("header+xml", "footer+xml") + types[end:]
    ).encode()
    doc = parts["word/document.xml"].decode()
    parts["word/document.xml"] = doc.replace(
        '<w:headerReference w:type="default"', '<w:footerReference w:type="default"'
    ).encode()
    with zipfile.ZipFile(out, "w") as z:
        for n, b in parts.items():
            z.writestr(n, b)
    return out


def test_page_number_moves_from_the_footer_to_the_header(tmp_path: Path) -> None:
    src = _number_in_footer(build(RULES / "PGN-01" / "pass.yaml", tmp_path / "base.docx"), tmp_path / "footer.docx")
    doc = ooxml.read(src)
    assert doc.sections[0].footers["default"].has_page_field and "default" not in doc.sections[0].headers
    assert "PGN-01" in check(src).rule_ids()
    result = fix(src, tmp_path / "out.docx")
    assert [c.what for c in result.changes if c.rule_id == "PGN-01"][:1] == ["số trang: bỏ ở chân trang"]
    fixed = ooxml.read(tmp_path / "out.docx").sections[0]
    assert not fixed.footers["default"].has_page_field and fixed.headers["default"].has_page_field
    assert fixed.title_pg and "PGN-01" not in check(tmp_path / "out.docx").rule_ids()


def test_header_columns_out_of_proportion(tmp_path: Path) -> None:
    """A header table whose left column is 29 % wide gets the templates' 39/61 %, its lines still fitting."""
    src = build(RULES / "HDR-01" / "pass.yaml", tmp_path / "base.docx")
    with zipfile.ZipFile(src) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    doc = parts["word/document.xml"].decode()
    doc = doc.replace(
        '<w:gridCol w:w="3686"/><w:gridCol w:w="5669"/>', '<w:gridCol w:w="2686"/><w:gridCol w:w="6669"/>'
    )
    doc = doc.replace('<w:tcW w:w="3686" w:type="dxa"/>', '<w:tcW w:w="2686" w:type="dxa"/>')
    parts["word/document.xml"] = doc.replace(
        '<w:tcW w:w="5669" w:type="dxa"/>', '<w:tcW w:w="6669" w:type="dxa"/>'
    ).encode()
    with zipfile.ZipFile(tmp_path / "narrow.docx", "w") as z:
        for n, b in parts.items():
            z.writestr(n, b)
    assert "HDR-01" in check(tmp_path / "narrow.docx").rule_ids()
    result = fix(tmp_path / "narrow.docx", tmp_path / "out.docx")
    assert [c.what for c in result.changes] == ["bảng phần đầu: cột trái 29% → 39%"]
    assert check(tmp_path / "out.docx").findings == []
    assert ooxml.read(tmp_path / "out.docx").tables()[0].grid == [3686, 5669]


def test_stale_file_properties(tmp_path: Path) -> None:
    """A draft made from another office's file: its title ('Së tn vµ m«i tr­êng …', TCVN3 from a Sở Tài
    nguyên) and author ('User') become the document's own."""
    assert "META-01" not in check(TB).rule_ids()  # beyond NĐ 30: only when selected
    assert "META-01" in check(TB, select=["META"]).rule_ids()
    safe = fix(TB, tmp_path / "safe.docx")  # an unsafe fix: only when asked
    assert "META-01" in safe.after.rule_ids() and not any(c.rule_id == "META-01" for c in safe.changes)  # type: ignore[union-attr]
    result = fix(TB, tmp_path / "tb.docx", unsafe=True)
    core = ooxml.read(tmp_path / "tb.docx").core
    assert core["title"].startswith("Thông báo Kết quả kiểm tra việc chấp hành Quy định")
    assert core["creator"] == core["lastModifiedBy"] == "SỞ CÔNG THƯƠNG"
    assert any(c.rule_id == "META-01" for c in result.changes)


def test_written_package_is_complete(tmp_path: Path) -> None:
    """A new header part (page numbers) comes with its relationship and content type."""
    src = FILES / "kh-truong-thpt-cao-lanh-2-58-sinh-hoat-lich-su-2026.docx"
    result = fix(src, tmp_path / "kh.docx")
    assert any(c.rule_id == "PGN-01" for c in result.changes)
    with zipfile.ZipFile(tmp_path / "kh.docx") as z:
        assert z.testzip() is None
        names = set(z.namelist())
        rels = z.read("word/_rels/document.xml.rels").decode()
        types = z.read("[Content_Types].xml").decode()
    new = sorted(n for n in names if n.startswith("word/header"))
    assert any(f'Target="{n.removeprefix("word/")}"' in rels for n in new)
    assert all(f'PartName="/{n}"' in types for n in new if "rIdFix" in rels)
    header = ooxml.read(tmp_path / "kh.docx").sections[0]
    assert header.title_pg and header.headers["default"].has_page_field


# Real drafts whose short lines are drawn shapes (the issuer's, the trích yếu's): one header line per table row
# (the next row gives the room), an empty line under the name, the body under the trích yếu; the Cao Lãnh
# school's next header row holds only the Tiêu ngữ's floating line, which must stay where it printed.
DRAWN = [
    "ttr-so-cong-thuong-lao-cai-panm-2026-draft.docx",
    "kh-so-cong-thuong-lao-cai-3898-huan-luyen-2026.docx",
    "bb-kiem-tra-thuc-te-sct-lao-cai-hhnh-2026-python-docx.docx",
    "kh-truong-thpt-doc-binh-kieu-sinh-hoat-cong-dan-2026-template-generated.docx",
    "tb-vp-ubnd-tinh-lao-cai-ket-luan-cum-cong-nghiep-2026-draft.docx",
    "kh-truong-thpt-cao-lanh-2-58-sinh-hoat-lich-su-2026.docx",
]
LINE_RULES = ["CQ-03", "TN-02", "TL-03"]


def _lines(pdf: Path) -> list[tuple[str, float, float, float, float]]:
    """(text, xMin, yMin, xMax, yMax) of every line of page 1, from pdftotext -bbox-layout."""
    from lxml import etree

    out = subprocess.run(["pdftotext", "-bbox-layout", "-f", "1", "-l", "1", str(pdf), "-"], capture_output=True)
    root = etree.fromstring(out.stdout, etree.HTMLParser(encoding="utf-8"))
    return [
        (" ".join(w.text or "" for w in ln.iter("word")), *(float(ln.get(k)) for k in ("xmin", "ymin", "xmax", "ymax")))
        for ln in root.iter("line")
    ]


def _rule_below(pdf: Path, line: tuple[str, float, float, float, float], tmp: Path) -> tuple[float, float, int]:
    """(length, centre x, y) in points of the longest dark horizontal run printed within 10 pt under a text
    line of page 1 (rendered at 72 dpi: a pixel is a point)."""
    subprocess.run(
        ["pdftoppm", "-r", "72", "-gray", "-f", "1", "-l", "1", "-singlefile", str(pdf), str(tmp)], check=True
    )
    data = tmp.with_suffix(".pgm").read_bytes()
    _, size, _, pixels = data.split(b"\n", 3)
    width = int(size.split()[0])
    best = (0, 0.0, 0)
    for y in range(int(line[4]), int(line[4]) + 11):
        row = pixels[y * width : (y + 1) * width]
        x = int(line[1]) - 60
        while x < int(line[3]) + 60:
            if row[x] < 128:
                start = x
                while row[x] < 128:
                    x += 1
                best = max(best, (x - start, (start + x) / 2, y))
            x += 1
    return float(best[0]), best[1], best[2]


def _short_motto(src: Path, out: Path) -> Path:
    """The Sở Công Thương's tờ trình with its Tiêu ngữ line drawn half as long: TN-02 and CQ-03 both replace
    a line at the end of the same header row."""
    with zipfile.ZipFile(src) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    parts["word/document.xml"] = parts["word/document.xml"].replace(b'cx="2070735"', b'cx="1035367"', 1)
    with zipfile.ZipFile(out, "w") as z:
        for n, b in parts.items():
            z.writestr(n, b)
    return out


def _no_room(src: Path, out: Path) -> Path:
    """The Sở Công Thương's tờ trình with no spacing above its 'Số:' row: nothing under the name to give."""
    with zipfile.ZipFile(src) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    parts["word/document.xml"] = parts["word/document.xml"].replace(b'w:before="90"', b'w:before="0"')
    with zipfile.ZipFile(out, "w") as z:
        for n, b in parts.items():
            z.writestr(n, b)
    return out


@pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftoppm") is None, reason="LibreOffice")
def test_drawn_lines_are_replaced_and_no_word_moves(tmp_path: Path) -> None:
    """The drawn line shapes under a real draft's issuer name and trích yếu become the templates' line (a
    bottom-border paragraph of style VBGach, the length compose gives it), its height taken from the space
    under the text: on page 1 every word keeps its place (±0.3 pt), the printed line is 1/3–1/2 of the text
    above it, centred under it, and a shape floating in the space that was given up (the Cao Lãnh school's
    Tiêu ngữ line) prints where it did. Where there is no room under the name, the shape is resized in
    place instead, again without moving a word."""
    from vn_congvan.export import to_pdf

    short = _short_motto(FILES / DRAWN[0], tmp_path / "short.docx")
    sources = [FILES / n for n in DRAWN] + [short, _no_room(FILES / DRAWN[0], tmp_path / "no-room.docx")]
    assert "TN-02" in check(short).rule_ids()
    staged, results = [], []
    for i, src in enumerate(sources):
        shutil.copyfile(src, tmp_path / f"b{i}.docx")
        results.append(fix(src, tmp_path / f"a{i}.docx", select=LINE_RULES))
        staged += [tmp_path / f"b{i}.docx", tmp_path / f"a{i}.docx"]
    pdfs = dict(zip([p.stem for p in staged], to_pdf(staged, tmp_path / "pdf", combined=False), strict=True))
    replaced = 0
    for i, (src, result) in enumerate(zip(sources, results, strict=True)):
        before, after = _bbox(pdfs[f"b{i}"]), _bbox(pdfs[f"a{i}"])
        assert [w[0] for w in before] == [w[0] for w in after], src.name
        moved = max(max(abs(a[k] - b[k]) for k in (1, 2, 3, 4)) for a, b in zip(before, after, strict=True))
        assert moved <= 0.3 and all(a[5] == b[5] for a, b in zip(before, after, strict=True)), (src.name, moved)
        d = locate(ooxml.read(tmp_path / f"a{i}.docx"))
        for rule_id, texts, name in (
            ("CQ-03", d.issuer, "co_quan"),
            ("TN-02", [d.tn], "tieu_ngu"),
            ("TL-03", d.ty, "trich_yeu"),
        ):
            said = [c.what for c in result.changes if c.rule_id == rule_id]
            if not said or ("hình vẽ" in said[0] and "đường viền" not in said[0]):
                continue  # not fixed here, or resized in place
            ours = d.under[id(texts[-1])][1]  # right under the text: the templates' line, no shape left
            assert ours.style_id == "VBGach" and ours.border_bottom and not any(r.shape for r in ours.runs)
            printed = [ln for ln in _lines(pdfs[f"a{i}"]) if norm(ln[0]) in {norm(p.text) for p in texts}]
            widest = max(ln[3] - ln[1] for ln in printed)
            length, centre, _ = _rule_below(pdfs[f"a{i}"], printed[-1], tmp_path / f"r{i}{rule_id}")
            lo, hi = vn_congvan.rules.nd30()["lines"][name]["ratio"]
            assert lo <= length / widest <= hi, (src.name, rule_id, length, widest)
            assert abs(centre - (printed[-1][1] + printed[-1][3]) / 2) <= 3, (src.name, rule_id)
            replaced += 1
    assert replaced == 9  # 7 issuer and trích yếu lines, the short Tiêu ngữ line and the issuer's beside it
    motto = next(ln for ln in _lines(pdfs["b5"]) if norm(ln[0]) == "Độc lập - Tự do - Hạnh phúc")
    was, now = (_rule_below(pdfs[f"{v}5"], motto, tmp_path / f"motto-{v}") for v in "ba")
    assert was[0] > 100 and max(abs(x - y) for x, y in zip(was, now, strict=True)) <= 1  # Cao Lãnh's Tiêu ngữ line
    assert [c.what for c in results[-1].changes] == ["đường kẻ dưới 'SỞ CÔNG THƯƠNG': hình vẽ 26 → 18 mm"]
    kept = [r for p in ooxml.read(tmp_path / "a7.docx").paragraphs() for r in p.runs if r.shape == "line"]
    assert any(abs((r.shape_width or 0) / 56.7 - 18) < 1 for r in kept)


@pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftotext") is None, reason="LibreOffice")
def test_vv_typed_under_the_header_moves_under_the_number(tmp_path: Path) -> None:
    """A công văn's V/v typed on two body lines (14 pt, justified, indented) between the header table and
    'Kính gửi:': the safe fix leaves it (VV-02 is unsafe); with unsafe fixes both lines move, words in their
    order, right under 'Số:' in the left cell, 13 pt and centred, and print there, above 'Kính gửi:'."""
    from vn_congvan.export import to_pdf

    recipe = {
        "base": "example:seeds/000-hai-phong-cong-van",
        "mutate": [
            {"find": "V/v tổ chức", "move_before": "Kính gửi:", "replace": "V/v tổ chức Tuần lễ hưởng ứng"},
            {"find": "V/v tổ chức", "set": {"size": 28, "align": "both", "first_line": 567}},
            {"find": "V/v tổ chức", "insert_after": "học tập suốt đời năm 2022"},
        ],
    }
    bad = build(recipe, tmp_path / "bad.docx")
    assert {"VV-01", "VV-02"} <= check(bad).rule_ids()
    safe = fix(bad, tmp_path / "safe.docx", select=["VV"])
    assert "VV-02" in safe.after.rule_ids() and not any(c.rule_id == "VV-02" for c in safe.changes)  # type: ignore[union-attr]
    result = fix(bad, tmp_path / "out.docx", select=["VV"], unsafe=True)
    assert [c.what for c in result.changes if c.rule_id == "VV-02"] == [
        "V/v: chuyển từ dưới bảng phần đầu vào ô bên trái, dưới số và ký hiệu",
        "V/v 'học tập suốt đời năm 2022': cỡ chữ 14 → 13 pt",
        "V/v 'học tập suốt đời năm 2022': canh giữa",
    ]
    assert check(tmp_path / "out.docx").rule_ids() & {"VV-01", "VV-02"} == set()
    d = locate(ooxml.read(tmp_path / "out.docx"))
    cell = d.so.cell  # type: ignore[union-attr]
    assert [norm(p.text) for p in cell.paragraphs][1:] == ["V/v tổ chức Tuần lễ hưởng ứng", "học tập suốt đời năm 2022"]
    assert all(p.align == "center" and p.ind_first_line == 0 for p in cell.paragraphs[1:])
    assert {r.props.size for p in cell.paragraphs[1:] for r in p.runs} == {26}
    assert words(bad) == words(tmp_path / "out.docx") and result.words_changed == 0
    plain = [w for p in ooxml.read(tmp_path / "out.docx").paragraphs() for w in p.text.split()]
    assert plain.index("V/v") < plain.index("Hải") < plain.index("Kính")  # it did move: before the date now
    lines = _lines(to_pdf([tmp_path / "out.docx"], tmp_path / "pdf")[0])
    so, vv, rest, kg = (next(ln for ln in lines if ln[0].startswith(s)) for s in ("Số:", "V/v", "học tập", "Kính"))
    assert so[2] + 10 < vv[2] < rest[2] - 10 < kg[2] - 20  # each on its own line, in this order
    symbol = next(ln for ln in lines if ln[0].startswith("/SGDĐT"))  # 'Số:      /SGDĐT…': two pieces
    centre = (so[1] + symbol[3]) / 2
    assert abs((vv[1] + vv[3]) / 2 - centre) < 3 and abs((rest[1] + rest[3]) / 2 - centre) < 3
