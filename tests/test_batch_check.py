"""Batch checks each plan from the parts it has just rendered, not by unzipping the written file: the findings
must be those of `vn-congvan check` on that file, on plans with mistakes as well as clean ones."""

from __future__ import annotations

import importlib
import itertools
import re
import unicodedata
import zipfile
from dataclasses import asdict
from datetime import date
from pathlib import Path

import pytest
from shared import LAW, REALDOCS, SEEDS  # tests/ is on sys.path under pytest

from vn_congvan import ooxml, units
from vn_congvan.batch import run_batch
from vn_congvan.check import REGISTRY, Located, Report, check, check_document, check_each
from vn_congvan.check.text import norm
from vn_congvan.derive import derive, issuer_for_unit
from vn_congvan.loader import load
from vn_congvan.model import Document
from vn_congvan.render import render_package, write_atomic

ROOT = Path(__file__).resolve().parents[1]
PLAN = ROOT / "examples/derive/2026-ubnd-tinh-thai-nguyen-ke-hoach.yaml"
AS_OF = date(2026, 9, 15)
# Mistakes the checker must report in every derived plan: a citation's 'điều' in lower case (CAP-02), a
# holiday in lower case (CAP-04), an agency name in title case (CAP-01).
MISTAKES = (
    "Tiếp tục đẩy mạnh phong trào học tập",
    "Theo điều 5 của Luật Giáo dục, từ dịp tết nguyên đán, Ủy Ban Nhân Dân tiếp tục đẩy mạnh phong trào học tập",
)


KINDS = (None, "cong_van", "quyet_dinh", "giay_moi", "thong_bao")  # None: the catalogue's kế hoạch


def sample(provinces: tuple[str, ...] = ("Thái Nguyên", "Hồ Chí Minh"), each: int = 12) -> list[units.Unit]:
    """`each` communes of every province, spread over its list."""
    out = []
    for province in provinces:
        under = units.children(province, as_of=AS_OF)
        out += under[:: len(under) // each][:each]
    return out


def summary(report: Report) -> dict:
    return {
        "findings": [asdict(f) for f in report.findings],
        "class": report.doc_class,
        "kind": report.kind,
        "notes": report.notes,
        "not_applicable": report.not_applicable,
    }


def child_of(parent: Document, unit: units.Unit, kind: str | None = None) -> Document:
    """The plan `unit` derives from `parent` (of `kind`: the catalogue's when None)."""
    return derive(parent, issuer_for_unit(unit, as_of=AS_OF), as_of=AS_OF, kind=kind).document


def rendered(parent: Document, unit: units.Unit) -> tuple[dict[str, bytes], bytes]:
    """Its parts and its file's bytes, as batch renders them."""
    return render_package(child_of(parent, unit))


@pytest.fixture(scope="module")
def plans(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("plans")
    wrong = folder / "sai.yaml"
    text = PLAN.read_text(encoding="utf-8")
    assert MISTAKES[0] in text
    wrong.write_text(text.replace(*MISTAKES), encoding="utf-8")
    return {"clean": PLAN, "wrong": wrong}


@pytest.mark.parametrize("which", ["clean", "wrong"])
def test_parts_give_the_findings_of_the_written_file(plans: dict[str, Path], which: str, tmp_path: Path) -> None:
    parent = load(plans[which])
    chosen = sample()
    assert len(chosen) >= 20
    for unit in chosen:
        child = child_of(parent, unit)
        parts, data = render_package(child)
        path = tmp_path / f"{unit.code}.docx"
        write_atomic(path, data)
        from_parts, from_file = check_document(ooxml.read_parts(parts, path)), check(path)
        assert from_parts.path == from_file.path == str(path)
        assert summary(from_parts) == summary(from_file), unit.full_name
        assert from_file.doc_class is not None and from_file.doc_class.key == "hanh_chinh"
        ids = {f.rule_id for f in from_file.findings}
        assert (ids >= {"CAP-01", "CAP-02", "CAP-04"}) if which == "wrong" else not ids, (unit.full_name, ids)


@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_gives_the_findings_of_the_written_file(
    plans: dict[str, Path], kind: str | None, tmp_path: Path
) -> None:
    """Clean and wrong plans of three provinces in turn: what one document leaves in the checker's caches
    must never change the findings of the next, nor its kind, class or notes."""
    parents = {which: load(path) for which, path in plans.items()}
    chosen = sample(("Thái Nguyên", "Hồ Chí Minh", "Lâm Đồng"), 4)
    seen_ids: set[str] = set()
    for unit in chosen:
        for which, parent in parents.items():
            child = child_of(parent, unit, kind)
            parts, data = render_package(child)
            path = tmp_path / f"{unit.code}-{which}.docx"
            write_atomic(path, data)
            from_parts, from_file = check_document(ooxml.read_parts(parts, path)), check(path)
            assert summary(from_parts) == summary(from_file), (unit.full_name, which)
            assert from_file.kind == (kind or "ke_hoach"), unit.full_name
            ids = {f.rule_id for f in from_file.findings}
            shown = any("Theo điều 5" in p.text for p in ooxml.read(path).paragraphs())  # a giấy mời has none
            wrong = which == "wrong" and shown
            assert ids >= {"CAP-01", "CAP-02"} if wrong else not ids, (unit.full_name, which, ids)
            seen_ids |= ids
    assert seen_ids or kind == "giay_moi"


@pytest.mark.parametrize("kind", [None, "quyet_dinh", "thong_bao"])
def test_batch_manifest_says_what_check_says_of_each_file(
    plans: dict[str, Path], kind: str | None, tmp_path: Path
) -> None:
    """`batch --kind`: every file the run wrote, checked again from disk, has the check its manifest says."""
    chosen = sample() if kind is None else sample(("Thái Nguyên", "Lâm Đồng"), 4)
    entries = run_batch(plans["wrong"], chosen, tmp_path, as_of=AS_OF, jobs=1, progress=lambda *_: None, kind=kind)
    assert len(entries) == len(chosen)
    for entry in entries:
        assert entry.error is None and entry.file
        report = check(tmp_path / entry.file)
        expected = "ok" if report.ok else "errors: " + ", ".join(sorted(report.rule_ids("error")))
        assert entry.check == expected, entry.name


def shape(doc: ooxml.Document) -> list[tuple]:
    """Everything a rule can read of each paragraph (body, headers and footers, notes), in order."""
    out = []
    paras = [
        *doc.paragraphs(),
        *(p for hf in doc.header_footer_parts() for p in hf.paragraphs()),
        *(b for note in doc.notes for b in note.blocks if isinstance(b, ooxml.Paragraph)),
    ]
    for p in paras:
        runs = [(r.text, r.props, r.style_id, r.has_drawing, r.shape, r.shape_width, r.image_rel) for r in p.runs]
        c = p.cell
        place = (p.section, p.index, *((c.row, c.col, c.width, c.grid_width, c.grid_span, c.borders) if c else ()))
        out.append((p.text, runs, p.style_id, p.align, p.ind_left, p.ind_right, p.ind_first_line, p.ind_hanging))
        out.append((p.space_before, p.space_after, p.line, p.line_rule, p.borders, p.fields, p.num_id, p.num_text))
        out.append((place, [[shape_box(b) for b in box] for box in p.boxes]))
    return out


def shape_box(b: ooxml.Block) -> object:
    return b.text if isinstance(b, ooxml.Paragraph) else [c.text for row in b.rows for c in row.cells]


def own_handles(doc: ooxml.Document) -> bool:
    """Each paragraph and run has its handle into the XML, the run's inside its paragraph's (read_parts: a tree
    of the paragraph's body block alone, shared with the batch's documents that have the same block)."""
    return all(
        r.element is not None and any(a is p.element for a in r.element.iterancestors())
        for p in doc.paragraphs()
        for r in p.runs
    )


def unzip(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {n: zf.read(n) for n in zf.namelist() if not n.endswith("/")}


def test_remembered_paragraphs_read_as_the_file_does() -> None:
    """Real offices' files (hyperlinks, fields, text boxes, tracked changes) and the seeds, each read from its
    parts twice (the second time from what the first remembered): the same paragraphs as reading the file."""
    files = sorted(REALDOCS.rglob("*.docx")) + sorted(SEEDS.rglob("*.docx"))
    assert len(files) >= 10
    for path in files:
        try:
            expected = ooxml.read(path)
        except ooxml.DocxReadError:
            continue
        parts = unzip(path)
        for _ in range(2):
            doc = ooxml.read_parts(parts, path)
            assert shape(doc) == shape(expected), path.name
            assert own_handles(doc), path.name


def write_parts(parts: dict[str, bytes], path: Path) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    return path


def edited(parts: dict[str, bytes], old: str, new: str, nth: int = 0) -> dict[str, bytes]:
    """`parts` with the `nth` occurrence of `old` in the body's XML replaced by `new`."""
    xml = parts[MAIN].decode()
    at = -1
    for _ in range(nth + 1):
        at = xml.index(old, at + 1)
    return {**parts, MAIN: (xml[:at] + new + xml[at + len(old) :]).encode()}


MAIN = "word/document.xml"
BODY_STYLE = '<w:pStyle w:val="VBNoiDung"/></w:pPr>'


def test_a_paragraph_changed_in_one_unit_gets_its_finding(tmp_path: Path) -> None:
    """A batch's documents share the blocks they have in common, and what the checker worked out of them
    (ooxml.read_parts, Paragraph.once): a document that differs from one checked before in one paragraph
    only, in its words or only in its format, gets that paragraph's finding, and the next one does not."""
    parent = load(PLAN)
    chosen = sample(("Thái Nguyên",), 2)
    first, other = (rendered(parent, u)[0] for u in chosen)
    words = edited(first, MISTAKES[0], MISTAKES[1])  # a citation and a holiday in lower case
    xml = first[MAIN].decode()
    at = -1
    for _ in range(6):
        at = xml.index(BODY_STYLE, at + 1)
    sixth = xml[at : xml.index("</w:p>", at)]
    moved = norm("".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", sixth)))
    assert len(moved) > 20, "the sixth body paragraph has words"
    left = edited(first, BODY_STYLE, '<w:pStyle w:val="VBNoiDung"/><w:jc w:val="left"/></w:pPr>', nth=5)

    docs = [first, words, left, other, first]  # the first plan again, after the changed ones
    expected: list[set[str]] = [set(), {"CAP-01", "CAP-02", "CAP-04"}, {"ND-01"}, set(), set()]
    read = []
    for i, (doc_parts, ids) in enumerate(zip(docs, expected, strict=True)):
        path = write_parts(doc_parts, tmp_path / f"{i}.docx")
        doc = ooxml.read_parts(doc_parts, path)
        from_parts, from_file = check_document(doc), check(path)
        assert summary(from_parts) == summary(from_file), i
        assert from_file.rule_ids() == ids, (i, from_file.findings)
        read.append(doc)
    cap = next(f for f in check(tmp_path / "1.docx").findings if f.rule_id == "CAP-02")
    assert "Theo điều 5" in cap.where
    nd = next(f for f in check(tmp_path / "2.docx").findings if f.rule_id == "ND-01")
    assert "chưa canh đều hai lề: 1 đoạn" in nd.message and moved.startswith(nd.where.rstrip("…"))

    # the memo was at work: every paragraph but the changed one is the very object of the first plan's
    before, after = list(read[0].paragraphs()), list(read[2].paragraphs())
    apart = [i for i, (a, b) in enumerate(zip(before, after, strict=True)) if a is not b]
    assert len(apart) == 1 and norm(after[apart[0]].text) == moved and after[apart[0]].align == "left"
    assert all(a is b for a, b in zip(before, read[4].paragraphs(), strict=True))


# What the body's cut (ooxml._split_body) must take: a paragraph holding a text box (paragraphs inside it), a
# '>' in an attribute value, an empty <w:p/>, a table inside a table, a content control around paragraphs.
TRICKY = (
    '<w:p foo="a>b"><w:r><w:t>Trước hộp</w:t></w:r><w:r><w:pict xmlns:v="urn:schemas-microsoft-com:vml">'
    '<v:shape style="width:100pt"><v:textbox><w:txbxContent><w:p><w:r><w:t>Trong hộp</w:t></w:r></w:p>'
    "<w:p><w:r><w:t>Dòng hai</w:t></w:r></w:p></w:txbxContent></v:textbox></v:shape></w:pict></w:r></w:p>"
    "<w:p/>"
    '<w:tbl><w:tblGrid><w:gridCol w:w="4000"/></w:tblGrid><w:tr><w:tc><w:tcPr><w:tcW w:w="4000" w:type="dxa"/>'
    '</w:tcPr><w:tbl><w:tblGrid><w:gridCol w:w="3000"/></w:tblGrid><w:tr><w:tc><w:p><w:r><w:t>Ô trong ô</w:t>'
    "</w:r></w:p></w:tc></w:tr></w:tbl><w:p/></w:tc></w:tr></w:tbl>"
    "<w:sdt><w:sdtContent><w:p><w:r><w:t>Trong sdt</w:t></w:r></w:p></w:sdtContent></w:sdt>"
)


@pytest.mark.parametrize("comment", [False, True])
def test_cut_body_reads_as_the_file_does(tmp_path: Path, comment: bool) -> None:
    """Blocks the cut must count its way through read as the written file reads; XML it does not take (a
    comment, which could hide a tag) is read whole, with the same result."""
    parent = load(PLAN)
    unit = sample(("Thái Nguyên",), 1)[0]
    parts = rendered(parent, unit)[0]
    tricky = TRICKY + ("<!-- </w:p> -->" if comment else "")
    parts = edited(parts, "<w:p>", tricky + "<w:p>", nth=12)
    assert (ooxml._split_body(parts[MAIN]) is None) == comment
    path = write_parts(parts, tmp_path / "tricky.docx")
    expected = ooxml.read(path)
    for _ in range(2):  # the second time from what the first remembered
        doc = ooxml.read_parts(parts, path)
        assert shape(doc) == shape(expected) and own_handles(doc)
        assert summary(check_document(doc)) == summary(check(path))
    texts = [p.text for p in expected.paragraphs()]
    assert {"Trước hộp", "", "Ô trong ô", "Trong sdt"} <= set(texts)


def test_bare_reads_every_spelling_of_a_line_alike() -> None:
    """law.lines.bare (how the finder knows 'Kính gửi:', the Quốc hiệu typed without marks) drops the marks
    of precomposed and decomposed letters alike, reads 'đ' as 'd', keeps other letters and collapses spaces;
    its table of characters grows as lines come, and a letter met before reads the same."""
    from vn_congvan.law.lines import bare

    decomposed = unicodedata.normalize("NFD", "Kính   gửi:\tỦy ban")
    assert bare(decomposed) == bare("Kính gửi: Ủy ban") == "kinh gui: uy ban"
    assert bare(" ĐỘC LẬP - Tự do ") == "doc lap - tu do"
    assert bare("Œuvre ﬁn ½ Ω") == "œuvre ﬁn ½ ω"  # not marks: kept as they are (lower case)
    assert bare("CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM") == bare("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")


def test_a_header_cell_changed_in_one_unit_reads_as_the_file_does(tmp_path: Path) -> None:
    """A header table cell's own properties (tcPr: its span, width and borders), read in one walk over their
    XML: a unit whose header cell has a visible border reads it, from the parts as from the written file."""
    parent = load(PLAN)
    unit = sample(("Thái Nguyên",), 1)[0]
    parts = rendered(parent, unit)[0]
    border = '<w:tcBorders><w:top w:val="nil"/><w:bottom w:val="single" w:sz="8" w:color="FF0000"/></w:tcBorders>'
    parts = edited(parts, "</w:tcPr>", border + "</w:tcPr>")
    path = write_parts(parts, tmp_path / "border.docx")
    expected = ooxml.read(path)
    for _ in range(2):  # the second time from what the first remembered
        doc = ooxml.read_parts(parts, path)
        assert shape(doc) == shape(expected)
        cell = next(b for b in doc.body if isinstance(b, ooxml.Table)).rows[0].cells[0]
        assert cell.borders["bottom"] == ooxml.Border("single", 8, 0, "FF0000") and not cell.borders["top"].visible
        assert cell.width == 3686 and cell.grid_span == 1 and cell.paragraphs[0].cell is cell


# A header cell's first line, and a row spanning the header table's two columns.
ISSUER_RUN = '<w:r><w:t xml:space="preserve">ỦY BAN NHÂN DÂN</w:t></w:r>'
NEW_ROW = (
    '<w:tr><w:tc><w:tcPr><w:tcW w:w="9355" w:type="dxa"/><w:gridSpan w:val="2"/></w:tcPr>'
    "<w:p><w:r><w:t>Hàng mới</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"
)
INNER_TABLE = (
    '<w:tbl><w:tblGrid><w:gridCol w:w="3000"/></w:tblGrid><w:tr><w:tc><w:p><w:r><w:t>Ô trong ô</w:t></w:r></w:p>'
    "</w:tc></w:tr></w:tbl>"
)


def field_run(text: str) -> str:
    return f'<w:fldSimple w:instr=" PAGE "><w:r><w:t>{text}</w:t></w:r></w:fldSimple>'


def test_changed_header_tables_read_as_the_file_does(tmp_path: Path) -> None:
    """ooxml.read_parts reads a changed header table from its pieces (its cells, each paragraph once per
    XML; a paragraph whose XML but for its text was met before takes that one's properties): a cell whose
    text holds '>' and an entity, one whose run turns bold, a row added, a table in a cell (read whole), a
    field whose text changes, each read from the parts as from the written file, in one batch and again
    from memory; the first plan read again is the very paragraphs read first."""
    parent = load(PLAN)
    unit = sample(("Thái Nguyên",), 1)[0]
    base = rendered(parent, unit)[0]
    assert ISSUER_RUN in base[MAIN].decode()
    variants = {
        "base": base,
        "text": edited(base, "ỦY BAN NHÂN DÂN", "ỦY BAN &gt; NHÂN &amp; DÂN > Ủy"),
        "bold": edited(base, ISSUER_RUN, ISSUER_RUN.replace("<w:r>", "<w:r><w:rPr><w:b/></w:rPr>")),
        "row": edited(base, "</w:tbl>", NEW_ROW),
        "inner": edited(base, "</w:tcPr>", "</w:tcPr>" + INNER_TABLE),
        "field 1": edited(base, ISSUER_RUN, ISSUER_RUN + field_run("1")),
        "field 2": edited(base, ISSUER_RUN, ISSUER_RUN + field_run("2")),
    }
    first = None
    for name, doc_parts in [*variants.items(), ("base", base)]:
        path = write_parts(doc_parts, tmp_path / f"{name}.docx")
        expected = ooxml.read(path)
        for _ in range(2):
            doc = ooxml.read_parts(doc_parts, path)
            assert shape(doc) == shape(expected) and own_handles(doc), name
            assert summary(check_document(doc)) == summary(check(path)), name
        table = next(b for b in doc.body if isinstance(b, ooxml.Table))
        lines = [p.text for p in table.paragraphs()]
        assert all(c.table is table and all(p.cell is c for p in c.paragraphs) for r in table.rows for c in r.cells)
        if name == "text":
            assert lines[0] == "ỦY BAN > NHÂN & DÂN > Ủy"
        elif name == "bold":
            assert table.rows[0].cells[0].paragraphs[0].runs[0].props.bold
        elif name == "row":
            assert lines[-1] == "Hàng mới" and table.rows[-1].cells[0].grid_span == 2
        elif name == "inner":
            assert table.rows[0].cells[0].tables[0].rows[0].cells[0].text == "Ô trong ô"
        elif name.startswith("field"):
            assert lines[0] == "ỦY BAN NHÂN DÂN" + name[-1] and table.paragraphs().__next__().fields == [" PAGE "]
        if name == "base":
            if first is None:
                first = list(doc.paragraphs())
            else:
                assert [i for i, (a, b) in enumerate(zip(first, doc.paragraphs(), strict=True)) if a is not b] == []


def test_every_memory_of_the_batch_read_is_bounded(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """read_parts' memories (paragraphs, their shapes without text, blocks, table pieces, parts) stay within
    their bounds, and what is forgotten is read again the same."""
    monkeypatch.setattr(ooxml, "PARAGRAPH_MEMO", 4)
    monkeypatch.setattr(ooxml, "BLOCK_MEMO", 4)
    monkeypatch.setattr(ooxml, "BLOCK_TRIAL", 4)
    monkeypatch.setattr(ooxml, "SHAPE_MEMO", 4)
    monkeypatch.setattr(ooxml, "_RESOLVERS", ooxml._Lru())
    parent = load(PLAN)
    used = [0] * 6
    for unit in sample(("Thái Nguyên", "Hồ Chí Minh"), 3):
        parts, data = rendered(parent, unit)
        path = tmp_path / f"{unit.code}.docx"
        write_atomic(path, data)
        doc = ooxml.read_parts(parts, path)
        assert shape(doc) == shape(ooxml.read(path)) and own_handles(doc)
        assert summary(check_document(doc)) == summary(check(path))
        (res,) = ooxml._RESOLVERS.values()
        sizes = [len(m) for m in (res._paragraphs, res._shapes, res._blocks, res._trial, res._parts, res._cells)]
        assert max(sizes) <= 4, sizes
        used = [max(a, b) for a, b in zip(used, sizes, strict=True)]
    assert min(used) >= 1 and used[0] == used[1] == 4, used  # each memory was at work


def test_the_rest_of_a_plan_shared_with_the_plan_before_reads_as_the_file_does(tmp_path: Path) -> None:
    """A plan whose body from some block on is the plan before's, where it stood there, takes that plan's
    blocks as they were read (the very objects); a block new in the plan before and met again in that rest
    is kept (not left among the blocks met once); when a changed block before the rest holds more
    paragraphs, the rest stands elsewhere and is read at its place. Each reads as the written file does."""
    parent = load(PLAN)
    units_ = units.all_units(as_of=AS_OF, level="xa")[:4]  # communes one after another: their plans differ least
    plain = [rendered(parent, u)[0] for u in units_]
    added = '<w:r><w:t xml:space="preserve">Thêm. </w:t></w:r>'
    plans = [
        ("a", plain[0]),
        ("b", plain[1]),  # the rest from the header on is a's
        ("c, a line added", edited(plain[2], BODY_STYLE, BODY_STYLE + added, nth=10)),
        ("d, the same line added", edited(plain[3], BODY_STYLE, BODY_STYLE + added, nth=10)),
        ("a, a header row added", edited(plain[0], "</w:tbl>", NEW_ROW)),
    ]
    before: ooxml.Document | None = None
    for name, parts in plans:
        path = write_parts(parts, tmp_path / f"{name}.docx")
        doc = ooxml.read_parts(parts, path)
        assert shape(doc) == shape(ooxml.read(path)) and own_handles(doc), name
        assert summary(check_document(doc)) == summary(check(path)), name
        if before is not None:
            assert len(doc.body) == len(before.body) > 40
            same = [x is y for x, y in zip(doc.body, before.body, strict=True)]
            rest = len(same) - same[::-1].index(False)  # from here on, the plan before's very blocks
            if name.endswith("row added"):
                assert not any(same), name  # the rest stands elsewhere: read at its place
            else:  # from the header on (c: from its added line on, new there)
                assert rest < 10 or name[0] == "c", (name, rest)
        if name[0] in "cd":
            (res,) = [r for r in ooxml._RESOLVERS.values() if r.last.split and r.last.split.xml is parts[MAIN]]
            line = next(raw for raw in res.last.split.raws if added.encode() in raw)
            kept = [k for k in res._blocks if k[0] == line]
            met_once = [k for k in res._trial if k[0] == line]
            # new in c: among the blocks met once; met again in d's rest: kept
            assert (len(kept), len(met_once)) == ((0, 1) if name[0] == "c" else (1, 0)), name
        before = doc


def test_check_each_gives_every_document_its_own_check(
    plans: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """check_each (batch's way: documents located, classified, then each rule run on all of them) gives every
    document the report `check` gives it alone: kinds, clean and wrong plans, and files the gate holds back,
    across the groups it cuts a long list into."""
    monkeypatch.setattr(importlib.import_module("vn_congvan.check"), "GROUP", 5)  # the package's check() hides it
    parents = {which: load(path) for which, path in plans.items()}
    paths = []
    for unit, kind in zip(sample(("Thái Nguyên", "Lâm Đồng"), 4), itertools.cycle(KINDS), strict=False):
        for which, parent in parents.items():
            child = child_of(parent, unit, kind)
            path = tmp_path / f"{unit.code}-{which}.docx"
            write_atomic(path, render_package(child)[1])
            paths.append(path)
    paths[3:3] = [LAW / "30_2020_ND_CP.docx", LAW / "Phuluc2.docx"]
    paths.append(REALDOCS / "files/tb-so-cong-thuong-lao-cai-1894-2026-draft.docx")
    together = check_each([ooxml.read(p) for p in paths])
    alone = [check(p) for p in paths]
    assert [summary(r) for r in together] == [summary(r) for r in alone]
    assert {r.doc_class.key for r in alone if r.doc_class} >= {"hanh_chinh", "qppl", "phu_luc_rieng"}
    assert sum(bool(r.findings) for r in alone) >= 8 and sum(bool(r.not_applicable) for r in alone) == 2


def test_a_unit_that_breaks_the_check_alone_gets_the_error(
    plans: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A rule that raises on one plan of a chunk: that unit's entry names the error, every other is checked."""
    chosen = sample(("Thái Nguyên",), 5)
    bad = chosen[2].code
    rule = REGISTRY["CAP-01"]
    original = rule.check

    def broken(self: object, located: Located) -> object:
        if bad in str(located.doc.path):
            raise RuntimeError("quy tắc hỏng")
        return original(self, located)

    monkeypatch.setattr(rule, "check", broken)
    entries = run_batch(plans["wrong"], chosen, tmp_path, as_of=AS_OF, jobs=1, progress=lambda *_: None)
    assert [e.code for e in entries if e.error] == [bad]
    assert "RuntimeError: quy tắc hỏng" in (entries[2].error or "") and entries[2].check is None
    for entry in entries:
        if entry.code != bad:
            report = check(tmp_path / entry.file)
            assert entry.error is None and report.findings, entry.name  # the wrong plan's warnings
            assert entry.check == ("ok" if report.ok else "errors: " + ", ".join(sorted(report.rule_ids("error"))))


def header_line(texts: tuple[str, str, str], empty: str = "<w:t></w:t>") -> str:
    """The header's first run made of four w:t (one a '>' in its text, one empty), a tab and a break, in a
    hyperlink."""
    a, b, c = texts
    run = f'<w:r><w:t xml:space="preserve">{a}</w:t><w:tab/><w:t>{b}</w:t><w:br/>{empty}<w:t>{c}</w:t></w:r>'
    return f'<w:hyperlink w:anchor="x">{run}</w:hyperlink>'


def test_new_lines_read_from_their_xml_read_as_the_file_does(tmp_path: Path) -> None:
    """A new line whose XML but for its text an earlier one had is read from its XML, not parsed: its text
    (a '>' in it, a tab, a break, an empty w:t, four w:t in a run inside a hyperlink) and everything else
    as the written file reads; its handles, parsed when first asked for, are its own w:p and w:r. Text the
    parser reads otherwise (an entity, a character reference) or a w:t without its end tag: parsed."""
    parent = load(PLAN)
    unit = sample(("Thái Nguyên",), 1)[0]
    base = rendered(parent, unit)[0]
    variants = [  # (texts, its empty w:t, whether read from the XML: the shape of a line read before)
        (("ỦY BAN > A", "B", "C"), "<w:t></w:t>", False),
        (("ỦY BAN > Đ", "É", " "), "<w:t></w:t>", True),
        (("ỦY BAN > x", "", "ỹ"), "<w:t></w:t>", True),
        (("ỦY BAN > &amp;", "B", "C"), "<w:t></w:t>", False),
        (("ỦY BAN > &#x41;", "B", "C"), "<w:t></w:t>", False),
        (("ỦY BAN > ]]", "B", "C"), "<w:t></w:t>", True),
        (("ỦY BAN > A", "B", "C"), "<w:t/>", False),
        (("ỦY BAN > B", "B", "C"), "<w:t/>", False),
    ]
    for n, (texts, empty, lazy) in enumerate(variants):
        parts = edited(base, ISSUER_RUN, header_line(texts, empty))
        path = write_parts(parts, tmp_path / f"{n}.docx")
        doc = ooxml.read_parts(parts, path)
        line = next(next(b for b in doc.body if isinstance(b, ooxml.Table)).paragraphs())
        assert (type(line._element) is ooxml._Unparsed) == lazy, texts
        expected = ooxml.read(path)
        assert shape(doc) == shape(expected) and own_handles(doc), texts
        a, b, c = (t.replace("&amp;", "&").replace("&#x41;", "A") for t in texts)
        assert line.text == f"{a}\t{b}\n{c}" == line.runs[0].text, texts
        assert "".join(t.text or "" for t in line.element.iter(ooxml.W + "t")) == a + b + c
        assert [r.element for r in line.runs] == list(line.element.iter(ooxml.W + "r"))
        assert summary(check_document(doc)) == summary(check(path)), texts


def test_a_new_line_the_parser_refuses_is_refused_from_the_parts_too(tmp_path: Path) -> None:
    """A '<' in a new line's text, where a line of its shape had none: the written file cannot be read, and
    neither can the parts (the line is not read from its XML as if the '<' opened nothing)."""
    parent = load(PLAN)
    unit = sample(("Thái Nguyên",), 1)[0]
    base = rendered(parent, unit)[0]
    good = edited(base, ISSUER_RUN, header_line(("ỦY BAN > A", "B", "C")))
    ooxml.read_parts(good, write_parts(good, tmp_path / "good.docx"))  # its shape now known
    bad = edited(base, ISSUER_RUN, header_line(("ỦY BAN > ‹<NHÂN", "B", "C")))
    path = write_parts(bad, tmp_path / "bad.docx")
    with pytest.raises(ooxml.DocxReadError):
        ooxml.read(path)
    with pytest.raises(ooxml.DocxReadError):
        ooxml.read_parts(bad, path)


def test_header_cells_the_plan_before_had_read_as_the_file_does(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A header table's cell cut from the same XML as the plan before's at its place is read as that one was,
    its lines not looked up again; not when a cell before it in its row changed its span (it stands in
    another column there). Each reads as the written file does."""
    parent = load(PLAN)
    units_ = units.all_units(as_of=AS_OF, level="xa")[:3]
    plain = [rendered(parent, u)[0] for u in units_]
    span = '<w:tcW w:w="3686" w:type="dxa"/><w:gridSpan w:val="2"/>'
    plans = [
        ("a", plain[0]),
        ("b", plain[1]),
        ("c, a wider first cell", edited(plain[2], '<w:tcW w:w="3686" w:type="dxa"/>', span)),
    ]
    monkeypatch.setattr(ooxml, "_RESOLVERS", ooxml._Lru())  # nothing read before
    looked_up: list[ooxml.Cell | None] = []  # the cell of each line looked up
    cut_paragraph = ooxml._Resolver.cut_paragraph
    monkeypatch.setattr(ooxml._Resolver, "cut_paragraph", lambda *a: looked_up.append(a[5]) or cut_paragraph(*a))
    for name, parts in plans:
        looked_up.clear()
        path = write_parts(parts, tmp_path / f"{name}.docx")
        doc = ooxml.read_parts(parts, path)
        assert shape(doc) == shape(ooxml.read(path)) and own_handles(doc), name
        assert summary(check_document(doc)) == summary(check(path)), name
        table = next(b for b in doc.body if isinstance(b, ooxml.Table))
        cells = [c for r in table.rows for c in r.cells]
        again = [len([c for c in looked_up if c is cell]) for cell in cells]
        # b: the cells of Quốc hiệu and số are a's; c: the row whose first cell spans two is read again
        want = {"a": [3, 3, 1, 1], "b": [3, 0, 0, 1], "c": [3, 3, 0, 1]}[name[0]]
        assert again == want and [len(c.paragraphs) for c in cells] == [3, 3, 1, 1], name
