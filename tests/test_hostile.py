"""Hostile input through the CLI: every file in tests/hostile/ says on its first line what it tests and what
must happen (`— expect: ok` or `— expect: error FILE:LINE [field=FIELD] ["words"]`).

An error case exits 2 with `FILE:LINE:` (and the field and words) in the message, no traceback, and writes
nothing into OUTDIR (no .docx, no temporary file). An ok case exits 0, writes exactly OUTDIR/<name>.docx,
which opens, passes the ND30 checker, and contains every input text verbatim (after NFC).
"""

from __future__ import annotations

import os
import re
import shutil
import stat
import time
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

import vn_congvan
from vn_congvan import check, ooxml
from vn_congvan.cli import main
from vn_congvan.cli.render import output_path
from vn_congvan.paths import TEMPLATES

HOSTILE = Path(__file__).parent / "hostile"
EXPECT = re.compile(
    r"^# (?P<what>.+) — expect: (?:(?P<ok>ok)|error (?P<file>[^:]+):(?P<line>\d+)"
    r"(?: field=(?P<field>\S+))?(?: \"(?P<words>[^\"]+)\")?)$"
)
# Keys whose strings are printed as written (headings get a number, items a marker, Nơi nhận a "- … ;").
TEXT_KEYS = {"title", "heading", "content", "body", "items", "text", "closing", "distribution", "to", "note", "unit"}
SECONDS = 30  # "never hang": the 10,000-item cases take about 1–2 s


@dataclass(frozen=True)
class Case:
    name: str
    what: str
    ok: bool
    file: str = ""
    line: int = 0
    field: str = ""
    words: str = ""

    def __str__(self) -> str:
        return self.name


def _cases() -> list[Case]:
    out = []
    for path in sorted(HOSTILE.glob("*.yaml")):
        first = path.read_bytes().split(b"\n", 1)[0].decode("utf-8")
        m = EXPECT.match(first)
        assert m, f"{path.name}: first line must say '— expect: ok' or '— expect: error FILE:LINE …'"
        out.append(
            Case(
                path.name,
                m["what"],
                bool(m["ok"]),
                m["file"] or "",
                int(m["line"] or 0),
                m["field"] or "",
                m["words"] or "",
            )
        )
    return out


CASES = _cases()
ERRORS = [c for c in CASES if not c.ok]
OKS = [c for c in CASES if c.ok]

# User templates: the bundled one with one tag added after {{ title }}.
USER_TEMPLATES = {
    "unknown-tag": "{{ no_such_field }}",
    "sandbox-mro": "{{ ''.__class__.__mro__ }}",
    "sandbox-globals": "{{ cycler.__init__.__globals__ }}",
}


def make_template(target: Path, extra: str) -> None:
    with zipfile.ZipFile(TEMPLATES / "co_ten_loai.docx") as src, zipfile.ZipFile(target, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "word/document.xml":
                xml = data.decode("utf-8")
                assert "{{ title }}" in xml
                data = xml.replace("{{ title }}", "{{ title }} " + extra, 1).encode("utf-8")
            dst.writestr(item, data)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of tests/hostile/ (nothing is ever written beside the committed files) plus the user templates."""
    root = tmp_path_factory.mktemp("corpus") / "hostile"
    shutil.copytree(HOSTILE, root)
    (root / "templates").mkdir()
    for name, extra in USER_TEMPLATES.items():
        make_template(root / "templates" / f"{name}.docx", extra)
    return root


def render(corpus: Path, case: Case, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, Path]:
    out = tmp_path / "out"
    code = main(["render", str(corpus / case.name), "-o", str(out)])
    captured = capsys.readouterr()
    return code, captured.out + captured.err, out


def expected_texts(path: Path) -> list[str]:
    """The document's printable strings, read independently of the loader: YAML's base loader (every scalar a
    string), the two Word characters that mean "space" converted, NFC."""
    source = path.read_text(encoding="utf-8")
    data = yaml.load(re.sub("[\t\x0b\x0c]", " ", source), Loader=yaml.BaseLoader)  # BaseLoader: strings only, safe
    out: list[str] = []

    def walk(value: object, key: str) -> None:
        if isinstance(value, str):
            if key in TEXT_KEYS:
                out.append(unicodedata.normalize("NFC", value))
        elif isinstance(value, list):
            for v in value:
                walk(v, key)
        elif isinstance(value, dict):
            for k, v in value.items():
                walk(v, k)

    walk(data, "")
    return out


def paragraphs(docx: Path) -> list[str]:
    return [p.text for p in ooxml.read(docx).paragraphs()]


def missing_texts(texts: list[str], paras: list[str]) -> list[str]:
    """Texts not found in any paragraph; texts mostly come in document order, so search from the last hit."""
    joined = "\n".join(paras)
    pos, missing = 0, []
    for t in texts:
        i = joined.find(t, pos)
        if i < 0:
            i = joined.find(t)
        if i < 0:
            missing.append(t)
        else:
            pos = i
    return missing


def test_the_corpus_covers_the_issue() -> None:
    names = {c.name for c in CASES}
    for prefix in ("syntax-", "type-", "duplicate-key-", "date-", "number-", "control-", "profile-", "template-"):
        assert any(n.startswith(prefix) for n in names), prefix
    assert len(ERRORS) >= 25 and len(OKS) >= 6


KNOWN: dict[str, pytest.MarkDecorator] = {}


@pytest.mark.parametrize(
    "case", [pytest.param(c, marks=KNOWN[c.name]) if c.name in KNOWN else c for c in ERRORS], ids=str
)
def test_error_case_exits_2_names_file_line_field_and_writes_nothing(
    case: Case, corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # anything a hostile tag managed to run would land here
    started = time.perf_counter()
    code, output, out = render(corpus, case, tmp_path, capsys)
    assert time.perf_counter() - started < SECONDS
    assert code == 2, output
    assert "Traceback" not in output, output
    assert not re.search(r"<input>|function-(?:after|before)|<block |expected <|\.yaml:1:1: ", output), output
    here = [line for line in output.splitlines() if f"{case.file}:{case.line}:" in line]
    assert here, f"no '{case.file}:{case.line}:' in:\n{output}"
    if case.field:
        assert any(f": {case.field}: " in line for line in here), output
    if case.words:
        assert any(case.words in line for line in here), output
    assert not out.exists() or not list(out.iterdir()), list(out.iterdir())
    assert [p.name for p in tmp_path.iterdir() if p != out] == [], "nothing may be written outside OUTDIR either"


@pytest.mark.parametrize("case", OKS, ids=str)
def test_odd_but_valid_case_renders_every_text_literally(
    case: Case, corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    started = time.perf_counter()
    code, output, out = render(corpus, case, tmp_path, capsys)
    elapsed = time.perf_counter() - started
    assert code == 0, output
    assert elapsed < SECONDS, f"{case}: {elapsed:.1f} s"
    docx = out / f"{Path(case.name).stem}.docx"
    assert sorted(out.iterdir()) == [docx]  # the same name, inside OUTDIR, no temporary file left
    with zipfile.ZipFile(docx) as z:
        assert z.testzip() is None
    paras = paragraphs(docx)
    texts = expected_texts(corpus / case.name)
    assert texts and not missing_texts(texts, paras)
    assert all(unicodedata.is_normalized("NFC", p) for p in paras)


def test_ten_thousand_body_items_in_order(corpus: Path, tmp_path: Path, capsys) -> None:
    code, output, out = render(corpus, Case("big-body-10000.yaml", "", True), tmp_path, capsys)
    assert code == 0, output
    paras = paragraphs(out / "big-body-10000.docx")
    start = paras.index("- Việc 1")
    assert paras[start : start + 10000] == [f"- Việc {i}" for i in range(1, 10001)]


def test_ten_thousand_distribution_entries_in_order(corpus: Path, tmp_path: Path, capsys) -> None:
    code, output, out = render(corpus, Case("big-distribution-10000.yaml", "", True), tmp_path, capsys)
    assert code == 0, output
    paras = paragraphs(out / "big-distribution-10000.docx")
    start = paras.index("- Xã số 1;")
    assert paras[start : start + 10001] == [*(f"- Xã số {i};" for i in range(1, 10001)), "- Lưu: VT, KGVX."]


@pytest.mark.parametrize("case", OKS, ids=str)
def test_odd_but_valid_case_passes_the_checker(
    case: Case, corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, output, out = render(corpus, case, tmp_path, capsys)
    assert code == 0, output
    report = check(out / f"{Path(case.name).stem}.docx")
    assert report.ok, [(f.rule_id, f.message, f.where) for f in report.errors]


def test_a_python_tag_runs_nothing(corpus: Path, tmp_path: Path, capsys, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    code, output, _ = render(corpus, Case("python-tag.yaml", "", False), tmp_path, capsys)
    assert code == 2 and "unsupported tag" in output
    assert not (tmp_path / "hostile-pwned.txt").exists()


def test_a_truly_empty_file(tmp_path: Path, capsys) -> None:
    (tmp_path / "zero.yaml").write_bytes(b"")
    code = main(["render", str(tmp_path / "zero.yaml"), "-o", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert code == 2 and "zero.yaml:1:" in err and "rỗng" in err
    assert not (tmp_path / "out").exists()


def test_one_bad_file_among_good_ones_writes_nothing(corpus: Path, tmp_path: Path, capsys) -> None:
    """A template error shows only when rendering: every file is rendered before any is written."""
    good, bad = corpus / "kế hoạch số 5 — Thái Nguyên.yaml", corpus / "template-sandbox-mro.yaml"
    code = main(["render", str(good), str(bad), "-o", str(tmp_path / "out")])
    assert code == 2 and "sandbox" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_two_inputs_with_the_same_name_are_refused(corpus: Path, tmp_path: Path, capsys) -> None:
    other = tmp_path / "other"
    other.mkdir()
    first = corpus / "kế hoạch số 5 — Thái Nguyên.yaml"
    second = other / first.name
    second.write_bytes(first.read_bytes())
    code = main(["render", str(first), str(second), "-o", str(tmp_path / "out")])
    assert code == 2 and "trùng tên kết quả" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_outdir_that_is_a_file_is_an_input_error(corpus: Path, tmp_path: Path, capsys) -> None:
    (tmp_path / "out").write_text("not a folder")
    code = main(["render", str(corpus / "kế hoạch số 5 — Thái Nguyên.yaml"), "-o", str(tmp_path / "out")])
    assert code == 2 and "OUTDIR" in capsys.readouterr().err
    assert (tmp_path / "out").read_text() == "not a folder"


# ---------------------------------------------------------------- security


def test_no_unsafe_yaml_loader_anywhere_in_the_package() -> None:
    """A !!python tag is refused by the loader (python-tag.yaml); no other module may load YAML unsafely."""
    unsafe = re.compile(r"yaml\.(unsafe_load|full_load|load_all|load)\(|Loader=yaml\.(Unsafe|Full)?Loader\b")
    package = Path(vn_congvan.__file__).parent
    found = [
        f"{path.relative_to(package)}:{n}: {line.strip()}"
        for path in sorted(package.rglob("*.py"))
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if unsafe.search(line) and "SafeLoader" not in line and "BaseLoader" not in line
    ]
    assert found == []


@pytest.mark.parametrize(
    "name",
    ["../../etc/passwd.yaml", "/etc/cron.d/x.yaml", "a/b/../../c.yaml", "..yaml", "kế hoạch số 5.yaml", "-o.yaml"],
)
def test_output_is_always_directly_inside_outdir(tmp_path: Path, name: str) -> None:
    outdir = tmp_path / "out"
    out = output_path(outdir, Path(name))
    assert out.parent == outdir and out.suffix == ".docx" and "/" not in out.name
    assert out.resolve().parent == outdir.resolve()


def test_an_input_path_through_parent_folders_writes_into_outdir(corpus: Path, tmp_path: Path, capsys) -> None:
    (tmp_path / "a").mkdir()
    source = tmp_path / "a" / ".." / "doc.yaml"
    source.write_bytes((corpus / "kế hoạch số 5 — Thái Nguyên.yaml").read_bytes())
    code = main(["render", str(source), "-o", str(tmp_path / "out")])
    assert code == 0, capsys.readouterr().err
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["doc.docx"]


def test_output_file_has_the_usual_permissions(corpus: Path, tmp_path: Path, capsys) -> None:
    old = os.umask(0o022)
    try:
        code = main(["render", str(corpus / "kế hoạch số 5 — Thái Nguyên.yaml"), "-o", str(tmp_path / "out")])
    finally:
        os.umask(old)
    assert code == 0
    assert stat.S_IMODE((tmp_path / "out" / "kế hoạch số 5 — Thái Nguyên.docx").stat().st_mode) == 0o644
