"""Real documents reproduced from YAML (issue 11 item 3): each examples/real/<name>.yaml renders the words of
the real file ../shared/realdocs/files/<name>.<ext> in order, adds few of its own, and passes `check`.

The source's words come straight from the file, not through the library's readers: every `w:t` of a .docx
in document order (a text box once: the `mc:Fallback` copy is skipped), `pdftotext -layout` of a PDF. The
measure is the seeds' (tests/textmatch.py): ≥ 0.95 of the source's words in order, ≥ 0.85 of ours in it.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from lxml import etree
from shared import REALDOCS  # tests/ is on sys.path under pytest
from test_seeds import docx_lines
from textmatch import in_order_ratio, precision, words

from vn_congvan.cli import main

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples" / "real"
FILES = REALDOCS / "files"

IN_ORDER_MIN = 0.95
PRECISION_MIN = 0.85

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"

# Source lines that are not the document: e-signature and Công báo stamp text a signed PDF carries.
_STAMP = re.compile(
    r"Người ký|Email:|Cơ quan:|Thời gian ký|Ngày ký|Ký bởi|ngày \d+/\d+/\d+ \d+:\d+|\d{2}:\d{2}:\d{2}|CÔNG BÁO|Công báo",
    re.IGNORECASE,
)


def docx_source(path: Path) -> str:
    """Every `w:t` of the body in order, a paragraph or cell per line (text boxes once)."""
    with zipfile.ZipFile(path) as z:
        root = etree.fromstring(z.read("word/document.xml"))
    out: list[str] = []

    def walk(element: etree._Element) -> None:
        for child in element:
            if child.tag == _FALLBACK:
                continue
            if child.tag in (_W + "p", _W + "tc"):
                out.append("\n")
            elif child.tag == _W + "t":
                out.append(child.text or "")
            elif child.tag in (_W + "tab", _W + "br"):
                out.append(" ")
            walk(child)

    walk(root)
    return "".join(out)


def pdf_source(path: Path) -> str:
    """The text layer, stamp lines left out."""
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return "\n".join(line for line in text.splitlines() if not _STAMP.search(line))


def source_text(name: str) -> str:
    (path,) = [p for p in FILES.glob(name + ".*") if p.suffix in (".docx", ".pdf")]
    return docx_source(path) if path.suffix == ".docx" else pdf_source(path)


CASES = sorted(p.stem for p in EXAMPLES.glob("*.yaml"))


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("real")
    assert main(["render", *(str(EXAMPLES / f"{name}.yaml") for name in CASES), "-o", str(out)]) == 0
    return out


def test_eight_kinds_of_real_documents() -> None:
    """At least eight real documents, of the kinds the issue names, each named after its source."""
    assert len(CASES) >= 8, CASES
    prefixes = {name.split("-", 1)[0] for name in CASES}
    assert {"qd", "gm", "tb", "ttr", "bc", "bb", "kh", "hd"} <= prefixes, prefixes


needs_realdocs = pytest.mark.skipif(
    not FILES.is_dir() or shutil.which("pdftotext") is None,
    reason=f"real documents not available ({FILES}) or pdftotext missing",
)


@needs_realdocs
@pytest.mark.parametrize("name", CASES)
def test_words_match_source(name: str, rendered: Path) -> None:
    source = words(source_text(name))
    mine = words("\n".join(docx_lines(rendered / f"{name}.docx")))
    ratio, prec = in_order_ratio(source, mine), precision(source, mine)
    print(f"{name}: in-order {ratio:.3f}, precision {prec:.3f} ({len(source)} source words, {len(mine)} rendered)")
    assert ratio >= IN_ORDER_MIN, f"{name}: only {ratio:.1%} of the source's words in order"
    assert prec >= PRECISION_MIN, f"{name}: only {prec:.1%} of the rendered words are in the source"


@pytest.mark.parametrize("name", CASES)
def test_check_finds_nothing(name: str, rendered: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(rendered / f"{name}.docx")]) == 0, capsys.readouterr().out
    assert "ĐẠT" in capsys.readouterr().out
