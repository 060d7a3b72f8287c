"""Word files: .docx read in body order (paragraphs, table cells row by row, text boxes after the paragraph
that anchors them); .doc converted to .docx by LibreOffice first."""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
import zipfile
from collections.abc import Iterator
from pathlib import Path

from lxml import etree

from ..errors import InputError
from ..export import find_soffice
from .base import Origin
from .clean import Source

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_W = f"{{{W}}}"


_SKIP = (f"{_W}txbxContent", f"{{{MC}}}Fallback")  # text boxes are read on their own; Fallback repeats Choice


def _runs_text(p: etree._Element) -> str:
    """A paragraph's own text (not its text boxes'): w:t, tabs and breaks of its runs."""
    out: list[str] = []

    def walk(el: etree._Element) -> None:
        for c in el:
            if c.tag in _SKIP:
                continue
            if c.tag == f"{_W}t":
                out.append(c.text or "")
            elif c.tag == f"{_W}tab":
                out.append("\t")
            elif c.tag in (f"{_W}br", f"{_W}cr"):
                out.append("\n")
            else:
                walk(c)

    walk(p)
    return "".join(out)


def _boxes(p: etree._Element) -> list[etree._Element]:
    """Text boxes anchored in a paragraph, outermost only, the Fallback (VML) copy left out."""
    out = []
    for box in p.iter(f"{_W}txbxContent"):
        ancestors = list(box.iterancestors())
        if any(a.tag == f"{{{MC}}}Fallback" for a in ancestors):
            continue
        if any(a.tag == f"{_W}txbxContent" for a in ancestors):
            continue
        out.append(box)
    return out


def _blocks(parent: etree._Element, prefix: str) -> Iterator[Source]:
    n_p = n_t = 0
    for child in parent:
        if child.tag == f"{_W}p":
            n_p += 1
            where = f"{prefix}p{n_p}"
            for line in _runs_text(child).split("\n"):
                yield Source(line, Origin.DOCX, where=where)
            for k, box in enumerate(_boxes(child), 1):
                yield from _blocks(box, f"{where}.box{k}.")
        elif child.tag == f"{_W}tbl":
            n_t += 1
            for r, row in enumerate(child.findall(f"{_W}tr"), 1):
                for c, cell in enumerate(row.findall(f"{_W}tc"), 1):
                    yield from _blocks(cell, f"{prefix}t{n_t}.r{r}.c{c}.")
        elif child.tag in (f"{_W}sdt", f"{_W}sdtContent", f"{_W}customXml", f"{_W}smartTag"):
            yield from _blocks(child.find(f"{_W}sdtContent") if child.tag == f"{_W}sdt" else child, prefix)


def read_docx(path: Path) -> list[Source]:
    """The body in reading order, then footnotes and endnotes, then page headers and footers (their page
    numbers are dropped as such by clean)."""
    try:
        with zipfile.ZipFile(path) as z:
            parts = {name: z.read(name) for name in z.namelist() if name.startswith("word/") and name.endswith(".xml")}
    except zipfile.BadZipFile as exc:
        raise InputError.one(f"không phải tệp .docx hợp lệ (not a valid .docx): {exc}", file=str(path)) from None
    if "word/document.xml" not in parts:
        raise InputError.one("không phải tệp .docx hợp lệ (not a valid .docx): thiếu word/document.xml", file=str(path))
    body = etree.fromstring(parts["word/document.xml"]).find(f"{_W}body")
    out = list(_blocks(body, "")) if body is not None else []
    for kind in ("footnote", "endnote"):
        xml = parts.get(f"word/{kind}s.xml")
        if xml is None:
            continue
        for note in etree.fromstring(xml).findall(f"{_W}{kind}"):
            if note.get(f"{_W}type") in ("separator", "continuationSeparator", "continuationNotice"):
                continue
            out += _blocks(note, f"{kind}{note.get(f'{_W}id')}.")
    for name in sorted(n for n in parts if re.fullmatch(r"word/(header|footer)\d*\.xml", n)):
        out += _blocks(etree.fromstring(parts[name]), name[5:-4] + ".")
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
