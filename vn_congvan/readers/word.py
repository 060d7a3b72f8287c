"""Word files: .docx read in body order (paragraphs, table cells row by row, text boxes after the paragraph
that anchors them); .doc converted to .docx by LibreOffice first."""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

from lxml import etree

from ..errors import InputError
from ..export import find_soffice
from ..package import open_package
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


_OFF = ("0", "false", "off", "none")


class _Bold:
    """Whether text is bold: the run's own w:b, else its character style's, else the paragraph style's
    (each style through its basedOn chain), else the document default."""

    def __init__(self, styles_xml: bytes | None) -> None:
        self.styles: dict[str, tuple[bool | None, str | None]] = {}
        self.default = False
        if styles_xml is None:
            return
        root = etree.fromstring(styles_xml)
        d = root.find(f"{_W}docDefaults/{_W}rPrDefault/{_W}rPr")
        self.default = bool(d is not None and _flag(d))
        for st in root.findall(f"{_W}style"):
            based = st.find(f"{_W}basedOn")
            rpr = st.find(f"{_W}rPr")
            self.styles[st.get(f"{_W}styleId", "")] = (
                _flag(rpr) if rpr is not None else None,
                based.get(f"{_W}val") if based is not None else None,
            )

    def style(self, style_id: str | None) -> bool | None:
        seen = set()
        while style_id and style_id not in seen:
            seen.add(style_id)
            bold, style_id = self.styles.get(style_id, (None, None))
            if bold is not None:
                return bold
        return None

    def paragraph(self, p: etree._Element) -> bool | None:
        pstyle = p.find(f"{_W}pPr/{_W}pStyle")
        para = self.style(pstyle.get(f"{_W}val") if pstyle is not None else None)
        runs = [r for r in p.iter(f"{_W}r") if "".join(t.text or "" for t in r.findall(f"{_W}t")).strip()]
        runs = [r for r in runs if not any(a.tag in _SKIP for a in r.iterancestors())]
        if not runs:
            return None
        out = []
        for r in runs:
            rpr = r.find(f"{_W}rPr")
            own = _flag(rpr) if rpr is not None else None
            if own is None and rpr is not None and rpr.find(f"{_W}rStyle") is not None:
                own = self.style(rpr.find(f"{_W}rStyle").get(f"{_W}val"))
            out.append(own if own is not None else para if para is not None else self.default)
        return all(out)


def _flag(rpr: etree._Element) -> bool | None:
    b = rpr.find(f"{_W}b")
    return None if b is None else b.get(f"{_W}val", "true").lower() not in _OFF


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


def _blocks(parent: etree._Element, prefix: str, bold: _Bold) -> Iterator[Source]:
    n_p = n_t = 0
    for child in parent:
        if child.tag == f"{_W}p":
            n_p += 1
            where = f"{prefix}p{n_p}"
            is_bold = bold.paragraph(child)
            for line in _runs_text(child).split("\n"):
                yield Source(line, Origin.DOCX, where=where, bold=is_bold)
            for k, box in enumerate(_boxes(child), 1):
                yield from _blocks(box, f"{where}.box{k}.", bold)
        elif child.tag == f"{_W}tbl":
            n_t += 1
            for r, row in enumerate(child.findall(f"{_W}tr"), 1):
                for c, cell in enumerate(row.findall(f"{_W}tc"), 1):
                    yield from _blocks(cell, f"{prefix}t{n_t}.r{r}.c{c}.", bold)
        elif child.tag in (f"{_W}sdt", f"{_W}sdtContent", f"{_W}customXml", f"{_W}smartTag", f"{_W}ins"):
            inner = child.find(f"{_W}sdtContent") if child.tag == f"{_W}sdt" else child
            if inner is not None:
                yield from _blocks(inner, prefix, bold)


_PARTS = re.compile(r"word/(document|styles|footnotes|endnotes|header\d*|footer\d*)\.xml")


def read_docx(path: Path) -> list[Source]:
    """The body in reading order, then footnotes and endnotes, then page headers and footers (their page
    numbers are dropped as such by clean). The package is opened through package.py, within the budgets."""
    with open_package(path) as package:
        parts = {name: package.read(name) for name in package.namelist() if _PARTS.fullmatch(name)}
    if "word/document.xml" not in parts:
        raise InputError.one("không phải tệp .docx hợp lệ (not a valid .docx): thiếu word/document.xml", file=str(path))
    bold = _Bold(parts.get("word/styles.xml"))
    body = etree.fromstring(parts["word/document.xml"]).find(f"{_W}body")
    out = list(_blocks(body, "", bold)) if body is not None else []
    for kind in ("footnote", "endnote"):
        xml = parts.get(f"word/{kind}s.xml")
        if xml is None:
            continue
        for note in etree.fromstring(xml).findall(f"{_W}{kind}"):
            if note.get(f"{_W}type") in ("separator", "continuationSeparator", "continuationNotice"):
                continue
            out += _blocks(note, f"{kind}{note.get(f'{_W}id')}.", bold)
    for name in sorted(n for n in parts if re.fullmatch(r"word/(header|footer)\d*\.xml", n)):
        out += _blocks(etree.fromstring(parts[name]), name[5:-4] + ".", bold)
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
