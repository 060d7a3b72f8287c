"""PDF export through a real LibreOffice: text, page count, fonts, PDF/A-2, batches, errors, CLI."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from docx import Document
from docx.enum.text import WD_BREAK
from docx.oxml.ns import qn
from docx.shared import Pt

from vn_congvan.cli import main
from vn_congvan.errors import ExportError, InputError
from vn_congvan.export import find_soffice, to_pdf

QUOC_HIEU = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
TIEU_NGU = "Độc lập - Tự do - Hạnh phúc"
PAGE2 = "Trang hai: Ủy ban nhân dân tỉnh Thái Nguyên đề nghị các sở, ngành phối hợp thực hiện."
TOOLS = ("pdftotext", "pdffonts", "pdfinfo")


def _require_tools() -> None:
    """Skip on a developer machine without LibreOffice; under CI its absence is a failure."""
    missing = [] if find_soffice() else ["soffice"]
    missing += [t for t in TOOLS if shutil.which(t) is None]
    if not missing:
        return
    message = f"missing {', '.join(missing)}: run scripts/install_system_deps.sh"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"CI must have PDF tools: {message}")
    pytest.skip(message)


@pytest.fixture(scope="module")
def tools() -> None:
    _require_tools()


def make_docx(path: Path, title: str = QUOC_HIEU) -> Path:
    """Two pages, Times New Roman in all four rFonts slots (ascii, hAnsi, cs, eastAsia)."""
    doc = Document()
    normal = doc.styles["Normal"]
    normal.font.name = "Times New Roman"
    normal.font.size = Pt(14)
    rfonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
    for slot in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        rfonts.set(qn(slot), "Times New Roman")
    doc.add_paragraph().add_run(title).bold = True
    doc.add_paragraph().add_run(TIEU_NGU).bold = True
    doc.add_paragraph().add_run("Thái Nguyên, ngày 05 tháng 3 năm 2026").italic = True
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    doc.add_paragraph(PAGE2)
    doc.save(str(path))
    return path


def pdf_text(pdf: Path) -> str:
    return subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True).stdout


def pdf_pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    match = re.search(r"^Pages:\s+(\d+)", info, re.M)
    assert match, info
    return int(match.group(1))


def pdf_fonts(pdf: Path) -> list[tuple[str, bool]]:
    """(base font name without subset tag, embedded) for every font pdffonts lists."""
    out = subprocess.run(["pdffonts", str(pdf)], check=True, capture_output=True, text=True).stdout
    fonts = []
    for line in out.splitlines()[2:]:  # two header lines
        cols = line.split()
        name = cols[0].split("+", 1)[-1]
        # columns from the right: emb sub uni object-id generation
        fonts.append((name, cols[-5] == "yes"))
    return fonts


@pytest.fixture(scope="module")
def converted(tools: None, tmp_path_factory: pytest.TempPathFactory) -> Path:
    src = make_docx(tmp_path_factory.mktemp("src") / "cong-van.docx")
    outdir = tmp_path_factory.mktemp("pdf")
    [pdf] = to_pdf([src], outdir)
    return pdf


def test_pdf_has_vietnamese_text(converted: Path) -> None:
    text = pdf_text(converted)
    assert QUOC_HIEU in text
    assert TIEU_NGU in text
    assert "Ủy ban nhân dân tỉnh Thái Nguyên" in text


def test_pdf_has_two_pages(converted: Path) -> None:
    assert pdf_pages(converted) == 2
    # the page break really splits the text
    first, second = pdf_text(converted).split("\f")[:2]
    assert QUOC_HIEU in first and "Trang hai" not in first
    assert "Trang hai" in second


def test_pdf_fonts_are_times_metric_only(converted: Path) -> None:
    fonts = pdf_fonts(converted)
    assert fonts, "pdffonts listed no fonts"
    for name, embedded in fonts:
        # fallbacks (DejaVu, Noto…) mean a Vietnamese letter was missing from the font
        assert re.fullmatch(r"(LiberationSerif|TimesNewRoman(PS)?(MT)?)([-,][A-Za-z]+)?", name), fonts
        assert embedded, fonts
    assert any("Bold" in name for name, _ in fonts), fonts  # bold Quốc hiệu used the bold face


def test_output_name_and_no_leftovers(converted: Path) -> None:
    assert converted.name == "cong-van.pdf"
    assert converted.read_bytes().startswith(b"%PDF-")
    assert sorted(p.name for p in converted.parent.iterdir()) == ["cong-van.pdf"]  # staging removed


def test_pdfa2(tools: None, tmp_path: Path) -> None:
    src = make_docx(tmp_path / "luu-tru.docx")
    [pdf] = to_pdf([src], tmp_path / "out", pdfa=True)
    data = pdf.read_bytes()
    assert b"<pdfaid:part>2</pdfaid:part>" in data
    assert b"<pdfaid:conformance>B</pdfaid:conformance>" in data
    assert QUOC_HIEU in pdf_text(pdf)
    # and the plain export is not PDF/A
    [plain] = to_pdf([src], tmp_path / "plain")
    assert b"pdfaid:part" not in plain.read_bytes()


def test_many_files_one_call(tools: None, tmp_path: Path) -> None:
    titles = [f"{QUOC_HIEU} {i}" for i in range(5)]
    # a Vietnamese name with spaces and URL-special characters, a name that looks like an option
    names = ["Công văn số 1.docx", "ke hoach #2 %20.docx", "-bao-cao.docx", "d.e.docx", "e.docx"]
    sources = [make_docx(tmp_path / n, t) for n, t in zip(names, titles, strict=True)]
    outdir = tmp_path / "out" / "nested"
    pdfs = to_pdf(sources, outdir)
    assert [p.name for p in pdfs] == [Path(n).stem + ".pdf" for n in names]
    for pdf, title in zip(pdfs, titles, strict=True):
        assert pdf.parent == outdir
        assert title in pdf_text(pdf)
        assert pdf_pages(pdf) == 2


def test_empty_list_does_nothing(tmp_path: Path) -> None:
    assert to_pdf([], tmp_path / "out") == []
    assert not (tmp_path / "out").exists()


def test_missing_soffice_is_clear(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    src = make_docx(tmp_path / "a.docx")
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    monkeypatch.delenv("VN_CONGVAN_SOFFICE", raising=False)
    assert find_soffice() is None
    with pytest.raises(ExportError) as info:
        to_pdf([src], tmp_path / "out")
    message = str(info.value)
    assert "Không tìm thấy LibreOffice (soffice)" in message
    assert "apt-get install libreoffice-writer-nogui fonts-liberation2" in message
    assert not (tmp_path / "out").exists()
    # CLI: exit 1, same message
    assert main(["pdf", str(src), "-o", str(tmp_path / "out")]) == 1


def test_bad_inputs_are_all_reported(tmp_path: Path) -> None:
    good = make_docx(tmp_path / "good.docx")
    garbage = tmp_path / "rac.docx"
    garbage.write_bytes(b"not a zip at all")
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    dup1 = make_docx(tmp_path / "a" / "same.docx")
    dup2 = make_docx(tmp_path / "b" / "same.docx")
    with pytest.raises(InputError) as info:
        to_pdf([good, tmp_path / "khong-co.docx", garbage, tmp_path / "a", dup1, dup2], tmp_path / "out")
    files = [p.file for p in info.value.problems]
    assert files == [str(tmp_path / "khong-co.docx"), str(garbage), str(tmp_path / "a"), str(dup2)]
    assert "Không tìm thấy tệp" in str(info.value)
    assert not (tmp_path / "out").exists()  # nothing converted


def test_conversion_failure_names_the_file(tools: None, tmp_path: Path) -> None:
    good = make_docx(tmp_path / "tot.docx")
    broken = tmp_path / "hong.docx"
    # a real zip with word/document.xml cut in half: passes the input check, LibreOffice can't load it
    with zipfile.ZipFile(good) as zin, zipfile.ZipFile(broken, "w", zipfile.ZIP_DEFLATED) as zout:
        for name in zin.namelist():
            data = zin.read(name)
            zout.writestr(name, data[: len(data) // 2] if name == "word/document.xml" else data)
    outdir = tmp_path / "out"
    with pytest.raises(ExportError) as info:
        to_pdf([good, broken], outdir)
    assert [p.file for p in info.value.problems] == [str(broken)]
    assert "conversion failed" in str(info.value)
    assert info.value.written == [outdir / "tot.pdf"]  # the good one is still there
    assert sorted(p.name for p in outdir.iterdir()) == ["tot.pdf"]


def test_cli_end_to_end(tools: None, tmp_path: Path) -> None:
    a = make_docx(tmp_path / "mot.docx")
    b = make_docx(tmp_path / "hai.docx")
    outdir = tmp_path / "pdf"
    proc = subprocess.run(
        [sys.executable, "-m", "vn_congvan", "pdf", str(a), str(b), "-o", str(outdir), "--pdfa"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines() == [str(outdir / "mot.pdf"), str(outdir / "hai.pdf")]
    for pdf in (outdir / "mot.pdf", outdir / "hai.pdf"):
        assert b"<pdfaid:part>2</pdfaid:part>" in pdf.read_bytes()
        assert QUOC_HIEU in pdf_text(pdf)


def test_cli_missing_input_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["pdf", str(tmp_path / "khong-co.docx"), "-o", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert "khong-co.docx" in err and "file not found" in err


def test_rendered_seed_example_through_render_pdf(tools: None, tmp_path: Path) -> None:
    """The library's own output: `render --pdf` on seed 001 (a four-page kế hoạch)."""
    from vn_congvan.cli import main

    example = Path(__file__).resolve().parent.parent / "examples/seeds/001-thai-nguyen-ke-hoach.yaml"
    assert main(["render", str(example), "-o", str(tmp_path), "--pdf"]) == 0
    pdf = tmp_path / "001-thai-nguyen-ke-hoach.pdf"
    text = pdf_text(pdf)
    assert QUOC_HIEU in text and "Độc lập - Tự do - Hạnh phúc" in text
    assert "Số: 144/KH-UBND" in text and "Đặng Xuân Trường" in text
    assert pdf_pages(pdf) == 4
    fonts = pdf_fonts(pdf)
    assert fonts and all(name.split("+")[-1].startswith("LiberationSerif") for name, _ in fonts)
    assert all(embedded for _, embedded in fonts)


def pdf_layout(pdf: Path) -> list[tuple[str, ...]]:
    """Every page's size and every word with its box, as poppler reads them."""
    out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    return re.findall(r'<page width="([\d.]+)" height="([\d.]+)">|<word ([^>]*)>([^<]*)</word>', out)


def pdf_font_table(pdf: Path) -> list[tuple[str, ...]]:
    """pdffonts rows without the subset tag and object ids: name, type, encoding, emb, sub, uni."""
    out = subprocess.run(["pdffonts", str(pdf)], check=True, capture_output=True, text=True).stdout
    rows = [line.split() for line in out.splitlines()[2:]]
    return sorted((row[0].split("+", 1)[-1], *row[1:-2]) for row in rows)


def pdf_info(pdf: Path) -> dict[str, str]:
    out = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    keep = ("Title", "Author", "Creator", "Producer", "Pages", "Page size")
    return {k: v.strip() for k, v in (ln.split(":", 1) for ln in out.splitlines()) if k in keep}


@pytest.fixture(scope="module")
def sample_docs(tools: None, tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """Every bundled example (công văn, kế hoạch, phụ lục in landscape sections) and commune plans of
    TP. Hồ Chí Minh with names of different lengths, plus one file that cannot be combined."""
    from datetime import date

    from vn_congvan import units
    from vn_congvan.derive import derive, issuer_for_unit
    from vn_congvan.loader import load
    from vn_congvan.render import render

    root = Path(__file__).resolve().parent.parent
    src = tmp_path_factory.mktemp("sample")
    docs = []
    for example in sorted((root / "examples").rglob("*.yaml")):
        docs.append(render(load(example), src / f"{example.stem}.docx", base=example.parent))
    as_of = date(2026, 9, 15)
    plan = load(root / "examples/derive/2026-ubnd-tinh-thai-nguyen-ke-hoach.yaml")
    communes = units.children("Thành phố Hồ Chí Minh", as_of=as_of)
    for unit in sorted(communes, key=lambda u: len(u.full_name))[:: len(communes) // 6]:
        child = derive(plan, issuer_for_unit(unit, as_of=as_of), as_of=as_of).document
        docs.append(render(child, src / f"xa-{unit.code}.docx"))
    docs.insert(3, make_docx(src / "python-docx.docx"))  # list styles in styles.xml: converted alone
    return docs


def test_combined_pdfs_equal_converting_each_file_alone(
    sample_docs: list[Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from vn_congvan import combine

    splits: list[int] = []
    real_split = combine.split
    monkeypatch.setattr(combine, "split", lambda pdf, pieces: splits.append(len(pieces)) or real_split(pdf, pieces))
    alone = to_pdf(sample_docs, tmp_path / "alone", combined=False, jobs=1)
    assert splits == []
    together = to_pdf(sample_docs, tmp_path / "together", jobs=2)
    # all but the python-docx file went through a combined file, and those with a first page's header of their
    # own (an agency's ký số box, Mẫu 1.3 điện tử, 2.2, 3.2): each header part is another file's shell
    headers = [zipfile.ZipFile(d) for d in sample_docs]
    boxed = [
        z
        for z in headers
        if "word/header2.xml" in z.namelist() and re.search(rb"<w:t\b[^>]*>[^<]", z.read("word/header2.xml"))
    ]
    assert len(boxed) == 3
    assert sum(splits) == len(sample_docs) - 1 - len(boxed)
    assert [p.name for p in together] == [p.name for p in alone] == [d.stem + ".pdf" for d in sample_docs]
    pages = 0
    for a, b in zip(alone, together, strict=True):
        assert pdf_layout(b) == pdf_layout(a), b.name
        assert pdf_font_table(b) == pdf_font_table(a), b.name
        assert pdf_info(b) == pdf_info(a), b.name
        pages += int(pdf_info(a)["Pages"])
    assert pages > 2 * len(sample_docs)  # multi-page documents: numbering and first-page headers compared
    # A landscape phụ lục section keeps its geometry.
    assert together[0].name == "ke-hoach-phu-luc.pdf"
    assert any(w and float(w) > float(h) for w, h, *_ in pdf_layout(together[0]))


def test_combined_pdf_page_numbers_restart(sample_docs: list[Path], tmp_path: Path) -> None:
    """Each plan's page 2 is numbered 2 at the top, its first page has no number (NĐ 30, ô số trang)."""
    plans = [d for d in sample_docs if d.name.startswith("xa-")][:3]
    for pdf in to_pdf(plans, tmp_path, jobs=1):
        first, second = pdf_text(pdf).split("\f")[:2]
        assert second.strip().splitlines()[0].strip() == "2", pdf.name
        assert not first.strip().splitlines()[0].strip().isdigit(), pdf.name


def test_a_damaged_file_among_combinable_ones_is_named(sample_docs: list[Path], tmp_path: Path) -> None:
    """Well-formed package, broken body XML: the others are still combined and written."""
    plans = [d for d in sample_docs if d.name.startswith("xa-")][:3]
    broken = tmp_path / "hong.docx"
    with zipfile.ZipFile(plans[0]) as zin, zipfile.ZipFile(broken, "w") as zout:
        for name in zin.namelist():
            data = zin.read(name)
            if name == "word/document.xml":
                data = data.replace(b"<w:body>", b"<w:body><w:p><w:r>", 1)  # never closed
            zout.writestr(name, data)
    with pytest.raises(ExportError) as info:
        to_pdf([*plans, broken], tmp_path / "out")
    assert [p.file for p in info.value.problems] == [str(broken)]
    assert [p.name for p in info.value.written] == [p.stem + ".pdf" for p in plans]
    for pdf, plan in zip(info.value.written, plans, strict=True):
        assert pdf_info(pdf)["Title"] and QUOC_HIEU in pdf_text(pdf), plan


def test_batch_pdf_one_per_unit_same_as_alone(tools: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`batch --pdf`: every unit's plan as a PDF through the combined conversion, each as if converted alone."""
    plan = Path(__file__).resolve().parent.parent / "examples/seeds/004-quan-7-ke-hoach.yaml"
    out = tmp_path / "quan-7"
    assert main(["batch", str(plan), "--units", "all", "-o", str(out), "--pdf", "--no-check", "--jobs", "2"]) == 0
    docs = sorted(out.glob("*.docx"))
    pdfs = sorted((out / "pdf").glob("*.pdf"))
    assert len(docs) >= 5 and [p.stem for p in pdfs] == [d.stem for d in docs]
    printed = capsys.readouterr().out
    assert all(str(p) in printed for p in pdfs)
    alone = to_pdf(docs[:3], tmp_path / "alone", combined=False, jobs=1)
    for a, b in zip(alone, pdfs, strict=False):
        assert pdf_layout(b) == pdf_layout(a), b.name
        assert pdf_info(b) == pdf_info(a), b.name


def test_only_files_that_lay_out_alike_are_combined(tmp_path: Path) -> None:
    """Anything whose layout depends on the rest of the file (page count, list numbers, notes, odd/even pages)
    keeps a file of its own."""
    from vn_congvan import combine
    from vn_congvan.loader import load
    from vn_congvan.render import render_bytes

    root = Path(__file__).resolve().parent.parent
    docs = [
        render_bytes(load(root / "examples/seeds" / n))
        for n in ("001-thai-nguyen-ke-hoach.yaml", "004-quan-7-ke-hoach.yaml")
    ]
    parts = [
        {n: zipfile.ZipFile(io.BytesIO(d)).read(n) for n in zipfile.ZipFile(io.BytesIO(d)).namelist()} for d in docs
    ]
    key = combine.shell_key(parts[0])
    assert key is not None and combine.shell_key(parts[1]) == key

    def changed(name: str, old: bytes, new: bytes) -> bytes | None:
        assert old in parts[0][name], (name, old)
        return combine.shell_key({**parts[0], name: parts[0][name].replace(old, new, 1)})

    body = b"<w:body>"
    assert changed("word/header1.xml", b" PAGE ", b" NUMPAGES ") is None
    assert changed("word/document.xml", body, body + b'<w:p><w:fldSimple w:instr=" SEQ Bang "/></w:p>') is None
    assert changed("word/document.xml", body, body + b"<w:p><w:pPr><w:numPr/></w:pPr></w:p>") is None
    assert changed("word/document.xml", body, body + b'<w:p><w:bookmarkStart w:id="0" w:name="a"/></w:p>') is None
    assert changed("word/document.xml", body, body + b'<w:p><w:r><w:footnoteReference w:id="1"/></w:r></w:p>') is None
    assert changed("word/settings.xml", b"<w:defaultTabStop", b"<w:evenAndOddHeaders/><w:defaultTabStop") is None
    assert changed("word/styles.xml", b"</w:styles>", b"<!-- -->" + b"</w:styles>") not in (None, key)
    # the body and the core properties may differ: that is what combining is for
    assert changed("word/document.xml", b"</w:body>", b"<w:p/></w:body>") is None  # no longer ends in its sectPr
    assert changed("docProps/core.xml", b"<dc:title>", b"<dc:title>X") == key


def test_a_document_with_a_breaking_table_opens_its_combined_file(tmp_path: Path) -> None:
    """LibreOffice lays out the pages before a file's first page-breaking table twice; only the document
    that owns that table may have pages before it (the tờ trình's heading "5. Biện pháp…" moved a page)."""
    from vn_congvan import combine, export
    from vn_congvan.loader import load
    from vn_congvan.render import render

    root = Path(__file__).resolve().parent.parent
    names = ("001-thai-nguyen-ke-hoach", "004-quan-7-ke-hoach", "000-hai-phong-cong-van", "002-bo-gddt-cong-van")
    docs = [render(load(root / "examples/seeds" / f"{n}.yaml"), tmp_path / f"{n}.docx") for n in names]
    leads = [combine.leads(zipfile.ZipFile(d).read(combine.MAIN)) for d in docs]
    assert leads == [False, True, True, False]  # 004 and 000 have tables whose header row repeats
    inputs = [export._Input(d, d) for d in [*docs, *docs[:1]] * 3]
    for item in inputs:
        export._group(item)
    assert len({i.key for i in inputs}) == 1
    tasks = export._plan(inputs, 1)
    assert sorted(len(t) for t in tasks) == [2, 2, 2, 3, 3, 3]
    assert sum(t[0].leads for t in tasks) == 6  # every leader first in a file of its own…
    assert all(not i.leads for t in tasks for i in t[1:])  # …and never after another document
    assert sorted(id(i) for t in tasks for i in t) == sorted(id(i) for i in inputs)
