"""Word files: .docx read in body order (paragraphs, table cells row by row, text boxes after the paragraph
that anchors them); .doc converted to .docx by LibreOffice first."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

from .. import ooxml
from ..errors import InputError
from ..export import find_soffice
from .base import Origin
from .clean import Source


def _bold(p: ooxml.Paragraph) -> bool | None:
    """All the paragraph's text is bold (effective run properties); None when it has no text."""
    runs = p.visible_runs()
    return all(r.props.bold for r in runs) if runs else None


def _blocks(blocks: list[ooxml.Block], prefix: str) -> Iterator[Source]:
    n_p = n_t = 0
    for b in blocks:
        if isinstance(b, ooxml.Paragraph):
            n_p += 1
            where = f"{prefix}p{n_p}"
            bold = _bold(b)
            for line in b.text.split("\n"):
                yield Source(line, Origin.DOCX, where=where, bold=bold)
            for k, box in enumerate(b.boxes, 1):
                yield from _blocks(box, f"{where}.box{k}.")
        else:
            n_t += 1
            for r, row in enumerate(b.rows, 1):
                for cell in row.cells:  # "c5" the grid column, "c5-7" a merged cell over three
                    span = f"-{cell.col + cell.grid_span}" if cell.grid_span > 1 else ""
                    yield from _blocks(cell.blocks, f"{prefix}t{n_t}.r{r}.c{cell.col + 1}{span}.")


def read_docx(path: Path) -> list[Source]:
    """The body in reading order, then footnotes and endnotes, then page headers and footers (their page
    numbers are dropped as such by clean); read by ooxml, within package.py's budgets."""
    doc = ooxml.read(path)
    out = list(_blocks(doc.body, ""))
    for note in doc.notes:
        out += _blocks(note.blocks, f"{note.kind}{note.id}.")
    for hf in sorted(doc.header_footer_parts(), key=lambda hf: hf.part):
        out += _blocks(hf.blocks, hf.part.rpartition("/")[2].removesuffix(".xml") + ".")
    return out


def read_doc(path: Path) -> list[Source]:
    """Legacy Word (.doc): LibreOffice converts it to .docx in a temporary folder, then read as .docx."""
    soffice = find_soffice()
    if soffice is None:
        raise InputError.one(
            "cần LibreOffice (soffice) để đọc tệp .doc (legacy Word); cài bằng scripts/install_system_deps.sh",
            file=str(path),
        )
    with tempfile.TemporaryDirectory(prefix="vn_congvan_doc_") as tmp:
        profile = Path(tmp) / "profile"
        src = Path(tmp) / ("in" + path.suffix.lower())
        shutil.copyfile(path, src)  # a plain name: soffice chokes on some characters in paths
        cmd = [
            soffice,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--convert-to",
            "docx:MS Word 2007 XML",
            "--outdir",
            tmp,
            str(src),
        ]
        try:
            subprocess.run(cmd, capture_output=True, text=True, timeout=180, check=False)
        except subprocess.TimeoutExpired:
            raise InputError.one("LibreOffice quá thời gian khi đổi .doc (timeout)", file=str(path)) from None
        out = Path(tmp) / "in.docx"
        if not out.exists():
            raise InputError.one("LibreOffice không đổi được tệp .doc sang .docx (conversion failed)", file=str(path))
        return read_docx(out)
