"""Every example under examples/ (all the Mẫu of Phụ lục III are in examples/mau) rendered, then read back from
its .docx and from its PDF (LibreOffice, one conversion for the module): the kind and the main fields equal the
YAML's (kind, issuer, số and ký hiệu, place and date, trích yếu, Kính gửi, signers, Nơi nhận, Lưu; a file signed
apart its văn bản, ký số time and content; a copy its copy block or box). The files signed apart and the copies
(Mẫu 1.3 điện tử, 2.2, 3.1, 3.2) are read as their kinds, the agency's ký số box and the '(Kèm theo …)' line as
fields, and the YAML parse writes renders the same text again."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from vn_congvan import law
from vn_congvan.export import find_soffice, to_pdf
from vn_congvan.law import lines as L
from vn_congvan.loader import load
from vn_congvan.model import Document
from vn_congvan.parse import parse, parse_file, read_lines, to_yaml
from vn_congvan.render import render

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted(p for p in (ROOT / "examples").rglob("*.yaml"))
NAMES = [f"{p.parent.name}/{p.stem}" for p in EXAMPLES]
SEPARATE = [
    "mau/1.3-van-ban-kem-theo-dien-tu",
    "mau/2.2-phu-luc-dien-tu",
    "mau/3.1-ban-sao-y",
    "mau/3.2-ban-sao-y-dien-tu",
]


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Document, Path]]:
    out = tmp_path_factory.mktemp("examples")
    docs = {}
    for name, path in zip(NAMES, EXAMPLES, strict=True):
        doc = load(path)
        docs[name] = (doc, render(doc, out / f"{name.replace('/', '-')}.docx", base=path.parent))
    return docs


@pytest.fixture(scope="module")
def pdfs(rendered: dict[str, tuple[Document, Path]]) -> dict[str, Path]:
    if find_soffice() is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    paths = to_pdf([docx for _, docx in rendered.values()], next(iter(rendered.values()))[1].parent)
    return dict(zip(rendered, paths, strict=True))


def _when(value: Any) -> datetime:
    return value if isinstance(value, datetime) else datetime.fromisoformat(str(value))


def _words(lines: list[str]) -> str:
    return " ".join(" ".join(lines).upper().split())


def expected(doc: Document) -> dict[str, Any]:
    """The main fields the page shows, from the YAML: what a reader must get back. The issuer as its header
    prints it (every issuer of a văn bản liên tịch); the signers as their blocks print them, left to right."""
    spec, shown = doc.spec, set(doc.spec.elements)
    header = [*doc.issuer.header_lines(), *(x for c in doc.co_issuers for x in c.header_lines())]
    out: dict[str, Any] = {"kind": doc.kind, "issuer": _words(header) if "co_quan" in shown else doc.issuer.name}
    if spec.separate:
        to, of = doc.attached_to, doc.attached_document()
        assert to is not None and doc.signed_at is not None
        out["attached_to"] = (to.kind, to.number, of.full_symbol(), to.date.isoformat())
        out["signed_at"] = _when(doc.signed_at)
        if doc.attachment is not None:
            out["attachment"] = (doc.attachment.kind, doc.attachment.title)
        for a in doc.appendices:
            out["appendix"] = (a.number, " ".join(a.title).upper())
        return out
    out["number"] = None if doc.draft else doc.number
    out["symbol"] = doc.full_symbol()
    out["date"] = doc.date.isoformat() if doc.date and not doc.draft and "dia_danh" in shown else None
    out["title"] = L.VV.strip(doc.title) if doc.is_cong_van else doc.title.strip()
    out["place"] = doc.issuer.place if "dia_danh" in shown else None
    out["recipients"] = [r.strip().rstrip(";.") for r in doc.recipients]
    skip = ("như trên", "như kính gửi") if doc.recipients else ()
    nn = [f"{d.to.strip().rstrip(';.')} {d.note or ''}".strip() for d in doc.distribution]
    out["distribution"] = [x for x in nn if x.lower() not in skip]
    out["archive"] = [a.strip() for a in doc.archive]
    out["signers"] = [(_words([s.title, s.other_title or ""]), s.name) for s in doc.all_signers]
    c = doc.copy_of
    if c is not None and c.ky_so is not None:
        out["copy_of"] = (c.form, c.format, c.name or doc.issuer.name, _when(c.signed_at))
    elif c is not None and c.date is not None and c.signer is not None:
        header = _words(c.header or doc.issuer.header_lines())
        who = (_words(c.signer.lines()), c.signer.name)
        out["copy_of"] = (
            c.form,
            c.format,
            header,
            c.number,
            c.date.isoformat(),
            who,
            [r.to.strip().rstrip(";.") for r in c.distribution],
        )
    return out


def got(d: dict[str, Any]) -> dict[str, Any]:
    """The same fields from what parse read."""
    spec = law.kind(d["kind"]) if d.get("kind") in law.kinds() else None
    issuer = d.get("issuer") or {}
    header = spec is not None and "co_quan" in spec.elements
    out: dict[str, Any] = {
        "kind": d.get("kind"),
        "issuer": _words(issuer.get("header", [])) if header else issuer.get("name"),
    }
    if spec is not None and spec.separate:
        to = d.get("attached_to") or {}
        symbol = to.get("symbol") or law.kind(to["kind"]).symbol(issuer.get("abbreviation", ""))
        out["attached_to"] = (to.get("kind"), to.get("number"), symbol, to.get("date"))
        out["signed_at"] = _when(d["signed_at"])
        if a := d.get("attachment"):
            out["attachment"] = (a["kind"], a["title"])
        for a in d.get("appendices", []):
            out["appendix"] = (a.get("number"), " ".join(a["title"]).upper())
        return out
    out["number"] = d.get("number")
    out["symbol"] = d.get("symbol")
    out["date"] = d.get("date")
    out["title"] = d.get("title") or ""
    out["place"] = issuer.get("place") if spec is None or "dia_danh" in spec.elements else None
    out["recipients"] = d.get("recipients", [])
    nn = d.get("distribution", [])
    out["distribution"] = [f"{x['to']} {x['note']}" if isinstance(x, dict) else x for x in nn]
    out["archive"] = d.get("archive", [])
    signers = d.get("signer") or {}
    every = signers if isinstance(signers, list) else [signers]
    out["signers"] = [(_words([s.get("title") or "", s.get("other_title") or ""]), s.get("name")) for s in every]
    c = d.get("copy_of")
    if c is not None and c.get("format") == "dien_tu":
        out["copy_of"] = (c["form"], c["format"], c.get("name") or issuer.get("name"), _when(c["signed_at"]))
    elif c is not None:
        header = _words(c.get("header") or issuer.get("header", []))
        s = c.get("signer") or {}
        lines = s.get("chain") or ([f"{s['prefix']} {s['head_title']}"] if s.get("prefix") else [])
        who = (_words([*lines, s.get("title") or ""]), s.get("name"))
        out["copy_of"] = (c["form"], "giay", header, c.get("number"), c.get("date"), who, c.get("distribution", []))
    return out


@pytest.mark.parametrize("name", NAMES)
def test_docx_reads_back(name: str, rendered: dict[str, tuple[Document, Path]]) -> None:
    doc, docx = rendered[name]
    assert got(parse(docx, ocr=False)) == expected(doc)


@pytest.mark.parametrize("name", NAMES)
def test_pdf_reads_back(name: str, rendered: dict[str, tuple[Document, Path]], pdfs: dict[str, Path]) -> None:
    doc, _ = rendered[name]
    assert got(parse(pdfs[name], ocr=False)) == expected(doc)


def _text(path: Path) -> list[str]:
    lines, _ = read_lines(path, ocr=False)
    return [x.text for x in lines]


@pytest.mark.parametrize("name", SEPARATE)
@pytest.mark.parametrize("source", ["docx", "pdf"])
def test_parsed_yaml_renders_the_same_document(
    name: str, source: str, rendered: dict[str, tuple[Document, Path]], pdfs: dict[str, Path], tmp_path: Path
) -> None:
    """Parse → YAML (as `parse` writes it, nothing to complete) → render: the text of the original, line for line
    from the .docx; from the PDF, where a wrapped title or cell comes back as two lines, word for word."""
    _, docx = rendered[name]
    parsed = parse_file(docx if source == "docx" else pdfs[name], ocr=False)
    assert not parsed.unread
    written = tmp_path / "parsed.yaml"
    written.write_text(to_yaml(parsed.data, source, parsed), encoding="utf-8")
    assert "Cần bổ sung" not in written.read_text(encoding="utf-8")  # every field read, no placeholder
    again = render(load(written), tmp_path / "again.docx")
    if source == "docx":
        assert _text(again) == _text(docx)
    else:
        assert " ".join(_text(again)).split() == " ".join(_text(docx)).split()


def test_the_ky_so_box_and_the_attached_line_as_fields(rendered: dict[str, tuple[Document, Path]]) -> None:
    phu_luc = parse(rendered["mau/2.2-phu-luc-dien-tu"][1])
    assert phu_luc["kind"] == "phu_luc"
    assert phu_luc["attached_to"] == {"kind": "ke_hoach", "number": 150, "date": "2026-09-20"}
    assert phu_luc["signed_at"] == "2026-09-20T16:05:12+07:00"
    assert phu_luc["issuer"]["name"] == "Ủy ban nhân dân tỉnh Thái Nguyên"  # from '(Kèm theo … của …)'
    assert phu_luc["issuer"]["abbreviation"] == "UBND"  # from the box's 'Số: 150/KH-UBND'
    appendix = phu_luc["appendices"][0]
    assert appendix["number"] == "II" and "attached" not in appendix  # the line is printed from attached_to
    assert appendix["content"][3]["table"]["rows"][1]["c2"] == "Hội thi Gia đình học tập tiêu biểu"
    for key in ("number", "date", "title", "signer", "body"):
        assert key not in phu_luc  # none of its own (Mẫu 2.2)

    van_ban = parse(rendered["mau/1.3-van-ban-kem-theo-dien-tu"][1])
    assert van_ban["kind"] == "van_ban_kem_theo"
    assert van_ban["attached_to"] == {"kind": "quyet_dinh", "number": 1521, "date": "2026-09-16"}
    chapters = van_ban["attachment"]["body"]
    assert [c["heading"] for c in chapters] == ["QUY ĐỊNH CHUNG", "NHIỆM VỤ CỦA BAN TỔ CHỨC"]
    assert [a["heading"] for a in chapters[1]["content"]] == ["Nhiệm vụ chung", "Chế độ báo cáo"]
    assert chapters[1]["content"][0]["content"][1] == {
        "numbered": "Kiểm tra, đôn đốc và tổng hợp kết quả, báo cáo Ủy ban nhân dân tỉnh."
    }

    copy = parse(rendered["mau/3.2-ban-sao-y-dien-tu"][1])
    assert copy["kind"] == "quyet_dinh" and copy["number"] == 1520  # the copied document as it is
    assert copy["copy_of"] == {
        "form": "ban_sao_y",
        "format": "dien_tu",
        "name": "Sở Giáo dục và Đào tạo tỉnh Thái Nguyên",
        "signed_at": "2026-09-17T09:30:00+07:00",
    }


def test_ky_so_box_prints_and_reads_with_one_pattern() -> None:
    when = datetime.fromisoformat("2026-09-20T16:05:12+07:00")
    for what, values in (("van_ban", {"number": "Số: 05/KH-UBND"}), ("ban_sao", {"mark": "SAO Y", "agency": "Sở X"})):
        line = L.KY_SO.format(what, when, **values)
        assert L.KY_SO.fields(line) == (what, values, when)
    assert L.KY_SO.fields("Số: 05/KH-UBND; 20/09/2026") is None  # no time: not the box
    assert L.KY_SO.fields("Số: 05/KH-UBND") is None


def test_attached_line_prints_and_reads_with_one_pattern() -> None:
    day = datetime(2026, 9, 20).date()
    line = L.ATTACHED_LINE.format("Kế hoạch", 5, "KH-UBND", day, 2026, "Ủy ban nhân dân tỉnh Thái Nguyên")
    assert line == "(Kèm theo Kế hoạch số 05/KH-UBND ngày 20 tháng 9 năm 2026 của Ủy ban nhân dân tỉnh Thái Nguyên)"
    read = L.ATTACHED_LINE.read(line)
    assert read is not None and (read.lead, read.kind, read.number, read.symbol) == (
        "Kèm theo",
        "Kế hoạch",
        "05",
        "KH-UBND",
    )
    assert (read.date.day, read.date.month, read.date.year, read.issuer) == (
        "20",
        "9",
        "2026",
        "Ủy ban nhân dân tỉnh Thái Nguyên",
    )
    blank = L.ATTACHED_LINE.format("Quyết định", None, "QĐ-UBND", None, 2026, "UBND", lead="Ban hành kèm theo")
    read = L.ATTACHED_LINE.read(re.sub(r"\s+", " ", blank))  # a reader collapses the blanks
    assert read is not None and (read.lead, read.number, read.date.day, read.date.year) == (
        "Ban hành kèm theo",
        "",
        "",
        "2026",
    )
    assert L.ATTACHED_LINE.read("(Kèm theo Kế hoạch này)") is None


@pytest.mark.parametrize("name", SEPARATE[:2])
def test_a_draft_file_signed_apart_reads_back_as_a_draft(name: str, tmp_path: Path) -> None:
    """A draft's box leaves the văn bản's số blank ('Số:      /KH-UBND; …'): parse says draft, and the YAML renders
    the same draft again."""
    doc = load(EXAMPLES[NAMES.index(name)])
    docx = render(doc, tmp_path / "draft.docx", draft=True)
    parsed = parse_file(docx, ocr=False)
    assert parsed.data["draft"] is True and parsed.data["attached_to"]["number"] is None
    written = tmp_path / "parsed.yaml"
    written.write_text(to_yaml(parsed.data, "draft.docx", parsed), encoding="utf-8")
    assert _text(render(load(written), tmp_path / "again.docx")) == _text(docx)
