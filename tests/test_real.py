"""Real documents reproduced from YAML (issue 11 item 3): each examples/real/<name>.yaml renders the words of
the real file ../shared/realdocs/files/<name>.<ext> in order, adds few of its own, and passes `check`.

The source's words come straight from the file, not through the library's readers: every `w:t` of a .docx
in document order (a text box once: the `mc:Fallback` copy is skipped), `pdftotext -layout` of a PDF. The
measure is the seeds' (tests/textmatch.py): ≥ 0.95 of the source's words in order, ≥ 0.85 of ours in it.

A PDF's text layer reads a table with multi-line cells row band by row band, interleaving the columns
("Cấp Giấy phép … Khoản 2 Điều 3 … nguy hiểm loại 1 …"): no rendering can match that order. For such a table
(TABLES names the source line that opens it), the words from there on count when found in the rendering's
matching part, order aside; everything before it counts in order.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import unicodedata
import zipfile
from collections import Counter
from pathlib import Path

import pytest
from docx import Document as open_docx
from lxml import etree
from shared import REALDOCS  # tests/ is on sys.path under pytest
from test_seeds import _texts
from textmatch import lcs_length, precision, words

from vn_congvan.cli import main

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples" / "real"
FILES = REALDOCS / "files"

IN_ORDER_MIN = 0.95
PRECISION_MIN = 0.85

# Source with a PDF table after the main text: the line (in both texts) where that table begins.
TABLES = {"qd-ubnd-tinh-lao-cai-1696-uy-quyen-2026-signed": "STT"}

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"

# Source lines that are not the document: the e-signature and Công báo stamps a signed PDF carries
# ("TRUNG TÂM CÔNG / BÁO VÀ TIN HỌC / ttcbth@quangngai.gov.vn / 24.01.2025 20:01:14 / +07:00").
_STAMP = re.compile(
    r"^\s*(?:TRUNG TÂM CÔNG|BÁO VÀ TIN HỌC|\S+@\S+\.vn|[\d.]+ \d{2}:\d{2}:\d{2}|\+07:00)\s*$|Ký bởi|Thời gian ký"
)


_CYRILLIC = str.maketrans("АВСЕНКМОРТХаеорсух", "ABCEHKMOPTXaeopcyx")


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
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return "\n".join(line for line in text.splitlines() if not _STAMP.search(line))


def source_text(name: str) -> str:
    (path,) = [p for p in FILES.glob(name + ".*") if p.suffix in (".docx", ".pdf")]
    text = docx_source(path) if path.suffix == ".docx" else pdf_source(path)
    # "m³" is "m3" on both sides; Cyrillic look-alikes of an OCR layer ("ВСТ-ВТC") are the Latin letters printed
    return unicodedata.normalize("NFKC", text).translate(_CYRILLIC)


def split_at(text: str, marker: str | None) -> tuple[str, str]:
    """The text before the line `marker` (stripped) and from it on; all of it when there is no marker."""
    if marker is None:
        return text, ""
    lines = text.splitlines()
    at = next((i for i, line in enumerate(lines) if line.strip() == marker), None)
    assert at is not None, f"no line {marker!r}"
    return "\n".join(lines[:at]), "\n".join(lines[at:])


def found_ratio(name: str, source: str, mine: str) -> float:
    """Share of the source's words the rendering reproduces: in order, except in a TABLES table (see above)."""
    (src_main, src_table), (my_main, my_table) = (split_at(t, TABLES.get(name)) for t in (source, mine))
    src_words = words(src_main) + words(src_table)
    if not src_words:
        return 1.0
    in_table = sum((Counter(words(src_table)) & Counter(words(my_table))).values())
    return (lcs_length(words(src_main), words(my_main)) + in_table) / len(src_words)


def rendered_text(path: Path) -> str:
    """All lines of our rendering, phụ lục included (the sources carry theirs)."""
    doc = open_docx(str(path))
    return "\n".join(t for t in _texts(doc.element.body, doc) if t.strip())


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
    source_raw, mine_raw = source_text(name), rendered_text(rendered / f"{name}.docx")
    source, mine = words(source_raw), words(mine_raw)
    ratio, prec = found_ratio(name, source_raw, mine_raw), precision(source, mine)
    print(f"{name}: in-order {ratio:.3f}, precision {prec:.3f} ({len(source)} source words, {len(mine)} rendered)")
    assert ratio >= IN_ORDER_MIN, f"{name}: only {ratio:.1%} of the source's words in order"
    assert prec >= PRECISION_MIN, f"{name}: only {prec:.1%} of the rendered words are in the source"


# the kind each source is (its file name's prefix), as `check` must tell it
KINDS = {"bb": "bien_ban", "bc": "bao_cao", "cv": "cong_van", "gm": "giay_moi", "hd": "huong_dan"}
KINDS |= {"kh": "ke_hoach", "qd": "quyet_dinh", "tb": "thong_bao", "ttr": "to_trinh"}


@pytest.mark.parametrize("name", CASES)
def test_check_finds_nothing(name: str, rendered: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`check` on the rendering: a văn bản hành chính of the source's kind, with no finding at all (no warning
    either)."""
    main(["check", "--json", str(rendered / f"{name}.docx")])
    (report,) = json.loads(capsys.readouterr().out)
    assert report["class"] == "hanh_chinh", report
    assert report["kind"] == KINDS[name.split("-", 1)[0]], report
    assert report["findings"] == [], report
