"""Budgets and hostile packages (issue 14 items 5–9, 11, 13; issue 10 item 6), through the CLI in-process.

Every refusal: exit 2, a Vietnamese message naming the file (and, for a budget, the environment variable that
raises it), no traceback, nothing written. Times asserted here are hang guards; the figures are printed by
benchmarks/fuzz.py.
"""

from __future__ import annotations

import io
import os
import shutil
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import docx
import hostile_docx as H
import pytest
from shared import LAW, REALDOCS

from vn_congvan import limits
from vn_congvan.check import check
from vn_congvan.cli import main
from vn_congvan.loader import load
from vn_congvan.paths import TEMPLATES
from vn_congvan.render import render

ROOT = Path(__file__).resolve().parents[1]
HOSTILE = Path(__file__).parent / "hostile"
PLAN = HOSTILE / "kế hoạch số 5 — Thái Nguyên.yaml"
HANG = 20  # CPU seconds: "does not hang", far above the real figures (CPU, so a busy machine does not fail it)


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, float]:
    started = time.process_time()
    code = main(argv)
    captured = capsys.readouterr()
    return code, captured.out + captured.err, time.process_time() - started


def refused(code: int, output: str, elapsed: float, *words: str) -> None:
    assert code == 2, output
    assert "Traceback" not in output, output
    assert elapsed < HANG, elapsed
    for w in words:
        assert w in output, output


@pytest.fixture(scope="module")
def good(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    out = tmp_path_factory.mktemp("good") / "good.docx"
    render(load(ROOT / "examples/seeds/001-thai-nguyen-ke-hoach.yaml"), out)
    return out.read_bytes()


# ---------------------------------------------------------------- the README lists every budget


def test_readme_documents_every_budget() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for budget in limits.ALL:
        row = next((line for line in readme.splitlines() if f"`{budget.env}`" in line), "")
        assert row.startswith("|") and str(budget.default) in row.replace(",", "").replace("_", ""), budget.env


def test_a_bad_budget_value_is_an_input_error(tmp_path: Path, capsys, monkeypatch) -> None:
    monkeypatch.setenv("VN_CONGVAN_MAX_YAML_MB", "mười")
    refused(*run(["render", str(PLAN), "-o", str(tmp_path / "out")], capsys), "VN_CONGVAN_MAX_YAML_MB")
    assert not (tmp_path / "out").exists()


# ---------------------------------------------------------------- .docx packages: check and parse


WORDS = {
    "bad-deflate": "bị hỏng",
    "encrypted-flag": "mã hóa",
    "unknown-compression": "phương thức nén",
    "lying-header": "bị hỏng",
    "broken-rels": "hỏng",
    "broken-document-xml": "hỏng",
    "empty-document-xml": "hỏng",
    "no-document-xml": "",
    "no-content-types": "[Content_Types].xml",
    "billion-laughs": "DTD",
    "external-entity": "DTD",
    "not-a-zip": "không phải gói zip",
    "empty-file": "không phải gói zip",
    "doc-renamed": ".doc",
    "pdf-renamed": "PDF",
    "zip-bomb": "VN_CONGVAN_MAX_DOCX_MB",
    "too-many-parts": "VN_CONGVAN_MAX_DOCX_PARTS",
    "element-bomb": "VN_CONGVAN_MAX_DOCX_ELEMENTS",
    "unknown-xml-encoding": "x-junk",  # found by the fuzz campaign: expat raised LookupError
}


def test_every_hostile_package_has_its_words() -> None:
    assert set(WORDS) == set(H.cases(b"PK"))


@pytest.mark.parametrize("command", ["check", "parse"])
@pytest.mark.parametrize("name", sorted(WORDS))
def test_hostile_package_is_refused(name: str, command: str, good: bytes, tmp_path: Path, capsys) -> None:
    path = tmp_path / f"{name}.docx"
    path.write_bytes(H.cases(good)[name]())
    out = tmp_path / "out.yaml"
    argv = ["check", str(path)] if command == "check" else ["parse", str(path), "-o", str(out)]
    refused(*run(argv, capsys), str(path), WORDS[name])
    assert not out.exists()


def test_a_real_doc_and_pdf_renamed_and_a_folder(tmp_path: Path, capsys) -> None:
    doc, pdf, folder = tmp_path / "phu-luc.docx", tmp_path / "cong-van.docx", tmp_path / "folder.docx"
    shutil.copy(LAW / "Phuluc2.doc", doc)
    shutil.copy(next(REALDOCS.glob("files/*.pdf")), pdf)
    folder.mkdir()
    for path, words in ((doc, "Word 97–2003 (.doc)"), (pdf, "PDF"), (folder, "thư mục")):
        for argv in (["check", str(path)], ["parse", str(path), "-o", str(tmp_path / "o.yaml")]):
            refused(*run(argv, capsys), words)


def test_derive_from_a_hostile_parent_is_refused(good: bytes, tmp_path: Path, capsys) -> None:
    for name in ("zip-bomb", "billion-laughs", "broken-rels"):
        parent = tmp_path / f"{name}.docx"
        parent.write_bytes(H.cases(good)[name]())
        out = tmp_path / "child.yaml"
        argv = ["derive", str(parent), "--profile", "ubnd-huyen-dong-hy", "-o", str(out)]
        refused(*run(argv, capsys), str(parent), WORDS[name])
        assert not out.exists()


def test_the_package_budget_can_be_raised(good: bytes, tmp_path: Path, capsys, monkeypatch) -> None:
    path = tmp_path / "many.docx"
    path.write_bytes(H.many_parts(good, 1200))
    refused(*run(["check", str(path)], capsys), "VN_CONGVAN_MAX_DOCX_PARTS")
    monkeypatch.setenv("VN_CONGVAN_MAX_DOCX_PARTS", "2000")
    code, output, _ = run(["check", str(path)], capsys)
    assert code == 0, output


def test_the_decompressed_size_budget_is_the_file_plus_the_budget(tmp_path: Path, capsys, monkeypatch) -> None:
    monkeypatch.setenv("VN_CONGVAN_MAX_DOCX_MB", "1")
    path = tmp_path / "bomb.docx"
    path.write_bytes(H.bomb(3))
    assert path.stat().st_size < 100_000
    refused(*run(["check", str(path)], capsys), "VN_CONGVAN_MAX_DOCX_MB")
    monkeypatch.setenv("VN_CONGVAN_MAX_DOCX_MB", "4")
    code, output, _ = run(["check", str(path)], capsys)
    assert code != 2 and "Traceback" not in output  # read; the checker then finds no ND30 elements


def as_nobody(argv: list[str]) -> tuple[str, str]:
    """main(argv) in a forked child that drops root (root reads any file): (exit code, stderr)."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:
        try:
            if os.geteuid() == 0:
                os.setgid(65534)
                os.setuid(65534)
            sys.stderr = err = io.StringIO()
            try:
                code: object = main(argv)
            except BaseException as exc:  # reported to the parent, which fails the test
                code = repr(exc)
            os.write(write_end, f"{code}\n{err.getvalue()}".encode())
        finally:
            os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as pipe:
        answer = pipe.read().decode()
    os.waitpid(pid, 0)
    code, _, stderr = answer.partition("\n")
    return code, stderr


def test_parse_and_check_name_an_unreadable_file(good: bytes) -> None:
    """Not python-docx's "Package not found" nor a traceback: the reason, from the system."""
    folder = Path(tempfile.mkdtemp())  # pytest's own tmp folders are closed to other users
    try:
        folder.chmod(0o755)
        path = folder / "secret.docx"
        path.write_bytes(good)
        path.chmod(0)
        closed = folder / "closed"
        closed.mkdir(mode=0o700)
        (closed / "a.docx").write_bytes(good)
        for target in (path, closed / "a.docx"):
            for argv in (["parse", str(target), "-o", str(folder / "o.yaml")], ["check", str(target)]):
                main(argv)  # as root first: the child, once nobody, cannot import from a root-only Python
                (folder / "o.yaml").unlink(missing_ok=True)
                code, stderr = as_nobody(argv)
                assert code == "2", (code, stderr)
                assert "không đọc được tệp" in stderr and "Permission denied" in stderr, stderr
                assert "Package not found" not in stderr and "Traceback" not in stderr
    finally:
        shutil.rmtree(folder)


# ---------------------------------------------------------------- YAML budgets and characters


def test_an_alias_bomb_of_long_strings_is_refused_before_rendering(tmp_path: Path, capsys) -> None:
    """1.5 MB of YAML that would expand to 1.5 GB of text (issue 14 item 6)."""
    source = PLAN.read_text(encoding="utf-8")
    long = "x" * 1_500_000
    refs = ", ".join(["*a"] * 1000)
    bomb = tmp_path / "bomb.yaml"
    bomb.write_text(source.replace("archive: KGVX", f"archive: KGVX\nx_a: &a {long}\nx_b: [{refs}]"), encoding="utf-8")
    assert bomb.stat().st_size < 1_600_000
    refused(*run(["render", str(bomb), "-o", str(tmp_path / "out")], capsys), "bomb.yaml:", "VN_CONGVAN_MAX_YAML_MB")
    assert not (tmp_path / "out").exists()


def test_a_yaml_file_over_the_budget_is_refused_before_parsing(tmp_path: Path, capsys) -> None:
    """PyYAML reads a few hundred KB a second: a 5 MB file would take most of a minute."""
    big = tmp_path / "big.yaml"
    big.write_text(PLAN.read_text(encoding="utf-8") + "# " + "x" * 5_000_000 + "\n", encoding="utf-8")
    code, output, elapsed = run(["render", str(big), "-o", str(tmp_path / "out")], capsys)
    refused(code, output, elapsed, "big.yaml", "VN_CONGVAN_MAX_YAML_MB")


def test_a_profile_name_too_long_for_the_file_system(tmp_path: Path, capsys) -> None:
    """Found by the fuzz campaign: `profile: 999…` (400 characters) raised OSError [Errno 36]."""
    path = tmp_path / "doc.yaml"
    path.write_text(PLAN.read_text(encoding="utf-8").replace("ubnd-tinh-thai-nguyen", "9" * 400), encoding="utf-8")
    refused(*run(["render", str(path), "-o", str(tmp_path / "out")], capsys), "doc.yaml:2:", "profile")


def test_the_node_budget(tmp_path: Path, capsys, monkeypatch) -> None:
    monkeypatch.setenv("VN_CONGVAN_MAX_YAML_NODES", "1000")
    refused(
        *run(["render", str(HOSTILE / "big-body-10000.yaml"), "-o", str(tmp_path / "out")], capsys),
        "VN_CONGVAN_MAX_YAML_NODES",
        "alias expansion",
    )
    monkeypatch.delenv("VN_CONGVAN_MAX_YAML_NODES")
    code, output, _ = run(["render", str(HOSTILE / "big-body-10000.yaml"), "-o", str(tmp_path / "out")], capsys)
    assert code == 0, output


def test_the_rendered_document_budget(tmp_path: Path, capsys, monkeypatch) -> None:
    monkeypatch.setenv("VN_CONGVAN_MAX_DOCUMENT_MB", "1")
    refused(
        *run(["render", str(HOSTILE / "big-body-10000.yaml"), "-o", str(tmp_path / "out")], capsys),
        "VN_CONGVAN_MAX_DOCUMENT_MB",
    )
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("char", ["\ufffe", "\uffff"])
def test_noncharacters_in_yaml_are_reported_with_line_and_column(char: str, tmp_path: Path, capsys) -> None:
    path = tmp_path / "doc.yaml"
    path.write_text(PLAN.read_text(encoding="utf-8").replace("Nâng cao", f"Nâng{char} cao"), encoding="utf-8")
    lines = path.read_text(encoding="utf-8").splitlines()
    row = next(n for n, line in enumerate(lines, 1) if char in line)
    col = lines[row - 1].index(char) + 1
    refused(*run(["render", str(path), "-o", str(tmp_path / "out")], capsys), f"doc.yaml:{row}:{col}: ")


# ---------------------------------------------------------------- text parse is linear


def test_a_hundred_thousand_line_text_parses(tmp_path: Path, capsys) -> None:
    """10,000 short lines took 94 s (each continuation line re-joined and re-tested the paragraph)."""
    for name, text in (("lines.txt", "".join(f"dòng số {i}\n" for i in range(100_000))), ("a.txt", "a\n" * 100_000)):
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        code, output, elapsed = run(["parse", str(path), "-o", str(tmp_path / "o.yaml")], capsys)
        assert code == 0 and elapsed < HANG, (output, elapsed)


# ---------------------------------------------------------------- user templates


def template(document: bytes | None = None, **parts: bytes | None) -> bytes:
    """The bundled template with document.xml (or any part, '/'-names via the dict) replaced or dropped."""
    with zipfile.ZipFile(TEMPLATES / "co_ten_loai.docx") as z:
        out = {n: z.read(n) for n in z.namelist()}
    if document is not None:
        out["word/document.xml"] = document
    for name, value in parts.items():
        name = name.replace("__", "/").replace("_xml", ".xml").replace("_rels", ".rels")
        if value is None:
            out.pop(name, None)
        else:
            out[name] = value
    return H.build(out)


def bundled_document() -> str:
    with zipfile.ZipFile(TEMPLATES / "co_ten_loai.docx") as z:
        return z.read("word/document.xml").decode("utf-8")


def with_tag(tag: str) -> bytes:
    xml = bundled_document()
    assert "{{ kind_name }}" in xml
    return template(xml.replace("{{ kind_name }}", "{{ kind_name }}" + tag, 1).encode("utf-8"))


def render_with(data: bytes, tmp_path: Path, capsys) -> tuple[int, str, float, Path]:
    tmp_path.mkdir(exist_ok=True)
    (tmp_path / "t.docx").write_bytes(data)
    profile = (ROOT / "profiles/ubnd-tinh-thai-nguyen.yaml").read_text(encoding="utf-8")
    (tmp_path / "p.yaml").write_text(profile + "\ntemplate: t.docx\n", encoding="utf-8")
    doc = tmp_path / "doc.yaml"
    doc.write_text(PLAN.read_text(encoding="utf-8").replace("ubnd-tinh-thai-nguyen", "p.yaml"), encoding="utf-8")
    out = tmp_path / "out"
    code, output, elapsed = run(["render", str(doc), "-o", str(out)], capsys)
    return code, output, elapsed, out


BROKEN_TEMPLATES = {
    "empty-document-xml": (lambda: template(b""), "không phải XML hợp lệ"),
    "non-xml-document-xml": (lambda: template(b"this is not XML"), "không phải XML hợp lệ"),
    "unbalanced-document-xml": (lambda: template(bundled_document()[:-30].encode()), "không phải XML hợp lệ"),
    "non-utf8-document-xml": (lambda: template(bundled_document().encode("utf-16")), "UTF-8"),
    "latin1-document-xml": (lambda: template(bundled_document().encode("utf-8") + "é".encode("latin-1")), "UTF-8"),
    "unknown-encoding-document-xml": (
        lambda: template(bundled_document().replace('encoding="UTF-8"', 'encoding="x-junk"', 1).encode()),
        "x-junk",
    ),
    "missing-document-xml": (lambda: template(word__document_xml=None), "word/document.xml"),
    "missing-styles-xml": (lambda: template(word__styles_xml=None), "word/styles.xml"),
    "dangling-relationship": (
        lambda: template(
            word__rels__document_xml_rels=b'<?xml version="1.0"?><Relationships xmlns="http://schemas.'
            b'openxmlformats.org/package/2006/relationships"><Relationship Id="rIdX" Type="t" Target="media/gone.png"/>'
            b"</Relationships>"
        ),
        "media/gone.png",
    ),
    "not-a-zip": (lambda: b"not a zip", "không phải gói zip"),
    "zip-bomb": (lambda: H.bomb(60), "VN_CONGVAN_MAX_DOCX_MB"),
    "include": (lambda: with_tag("{% include 'other.xml' %}"), "include"),
    "import": (lambda: with_tag("{% import 'macros.xml' as m %}"), "import"),
    "from-import": (lambda: with_tag("{% from 'macros.xml' import m %}"), "import"),
    "huge-range": (lambda: with_tag("{% for i in range(10**9) %}x{% endfor %}"), "Range too big"),
    "recursive-macro": (lambda: with_tag("{% macro m(n) %}{{ m(n) }}{% endmacro %}{{ m(1) }}"), "recursion"),
    "string-times-3e9": (lambda: with_tag("{{ 'A' * 3000000000 }}"), "VN_CONGVAN_MAX_TEMPLATE_MB"),
    "nested-ranges": (
        lambda: with_tag("{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}"),
        "VN_CONGVAN_MAX_TEMPLATE_SECONDS",
    ),
    "center-3e9": (lambda: with_tag("{{ 'a'|center(3000000000) }}"), "VN_CONGVAN_MAX_TEMPLATE_MB"),
    "unknown-relationship": (
        lambda: with_tag("{{ ('%c'|format(60) ~ 'w:hyperlink r:id=\"rId999\"/' ~ '%c'|format(62))|safe }}"),
        "rId999",
    ),
    "broken-output": (lambda: with_tag("{{ ('%c'|format(60) ~ 'w:p' ~ '%c'|format(62))|safe }}"), "dựng ra hỏng"),
}


@pytest.mark.parametrize("name", sorted(BROKEN_TEMPLATES))
def test_a_broken_or_hostile_user_template_is_refused(name: str, tmp_path: Path, capsys, monkeypatch) -> None:
    monkeypatch.setenv("VN_CONGVAN_MAX_TEMPLATE_SECONDS", "2")
    build, words = BROKEN_TEMPLATES[name]
    code, output, elapsed, out = render_with(build(), tmp_path, capsys)
    refused(code, output, elapsed, "p.yaml:", ": issuer.template: ", "t.docx", words)
    assert not out.exists()


def test_template_metadata_parts_leave_no_dangling_relationship(tmp_path: Path, capsys) -> None:
    """A template saved by Word with custom properties and a thumbnail: both are dropped, and so are their
    relationships and content-type overrides (python-docx refused the output before)."""
    with zipfile.ZipFile(TEMPLATES / "co_ten_loai.docx") as z:
        parts = {n: z.read(n) for n in z.namelist()}
    ns = "http://schemas.openxmlformats.org/package/2006/relationships"
    rels = parts["_rels/.rels"].decode("utf-8")
    rels = rels.replace(
        "</Relationships>",
        f'<Relationship Id="rIdC" Type="{ns}/metadata/custom-properties" Target="docProps/custom.xml"/>'
        f'<Relationship Id="rIdT" Type="{ns}/metadata/thumbnail" Target="docProps/thumbnail.jpeg"/></Relationships>',
    )
    types = parts["[Content_Types].xml"].decode("utf-8")
    types = types.replace(
        "</Types>",
        '<Override PartName="/docProps/custom.xml" ContentType="application/vnd.openxmlformats-officedocument.'
        'custom-properties+xml"/><Default Extension="jpeg" ContentType="image/jpeg"/></Types>',
    )
    parts.update(
        {
            "_rels/.rels": rels.encode(),
            "[Content_Types].xml": types.encode(),
            "docProps/custom.xml": b'<?xml version="1.0"?><Properties xmlns="http://schemas.openxmlformats.org/'
            b'officeDocument/2006/custom-properties"/>',
            "docProps/thumbnail.jpeg": b"\xff\xd8\xff\xe0 not really a jpeg",
        }
    )
    code, output, _, out = render_with(H.build(parts), tmp_path, capsys)
    assert code == 0, output
    result = out / "doc.docx"
    with zipfile.ZipFile(result) as z:
        names = set(z.namelist())
        assert not {"docProps/custom.xml", "docProps/thumbnail.jpeg"} & names
        assert b"custom.xml" not in z.read("_rels/.rels") and b"thumbnail" not in z.read("_rels/.rels")
        assert b"custom.xml" not in z.read("[Content_Types].xml")
    opened = docx.Document(str(result))
    assert any("Tuần lễ" in p.text for p in opened.paragraphs)
    assert check(result).ok


def test_a_good_user_template_still_renders_and_is_byte_identical(tmp_path: Path, capsys) -> None:
    first = render_with(with_tag(""), tmp_path / "a", capsys)
    second = render_with(with_tag(""), tmp_path / "b", capsys)
    assert first[0] == second[0] == 0, first[1]
    assert (first[3] / "doc.docx").read_bytes() == (second[3] / "doc.docx").read_bytes()


def test_outputs_are_verified_zip_and_xml(tmp_path: Path, capsys) -> None:
    """Every output: every part well-formed, every relationship target present."""
    code, output, _ = run(["render", str(PLAN), "-o", str(tmp_path / "out")], capsys)
    assert code == 0, output
    data = next((tmp_path / "out").iterdir()).read_bytes()
    parts = H.parts_of(data)
    from lxml import etree

    for name, body in parts.items():
        if name.endswith((".xml", ".rels")):
            etree.fromstring(body)
    for name in [n for n in parts if n.endswith(".rels")]:
        folder = name.rsplit("_rels/", 1)[0]
        for rel in etree.fromstring(parts[name]):
            if rel.get("TargetMode") != "External":
                target = os.path.normpath(folder + rel.get("Target")).lstrip("/")
                assert target in parts, (name, target)
    assert io.BytesIO(data)
