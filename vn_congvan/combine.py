"""Many .docx, one LibreOffice job: documents made from one template become the sections of one
file, converted once, and the PDF is split back into one file per document.

LibreOffice spends ~40 ms CPU loading and laying out each file on its own, ~10 ms per document
inside a combined file of up to ~100 documents (longer files grow superlinearly). Documents are
combined only when that cannot change a page: the same package parts besides the body, and no
document-wide state in them (list numbering, notes, comments, bookmarks, fields other than PAGE,
odd/even pages). Each document opens a section that starts a new page and restarts page numbering,
as its own file does; a bookmark in its first paragraph becomes a named destination in the PDF,
which tells where its pages begin.
"""

from __future__ import annotations

import hashlib
import io
import re
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
CP = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"
DC = "http://purl.org/dc/elements/1.1/"
MAIN = "word/document.xml"
MARK = "vncvdoc"  # bookmark name prefix; LibreOffice escapes "_" in destination names


def _w(tag: str) -> str:
    return f"{{{W}}}{tag}"


# What would make a combined document lay out differently from the files on their own.
_BODY_STATE = re.compile(
    rb"<w:(?:numPr|footnoteReference|endnoteReference|commentReference|bookmarkStart|altChunk|subDoc|lnNumType)\b"
)
_SHELL_STATE = re.compile(rb"<w:(?:numPr|evenAndOddHeaders|mirrorMargins|bookFoldPrinting)\b")
_FIELD = re.compile(rb'w:instr="\s*([^\s"]*)|<w:instrText\b[^>]*>\s*([^\s<]*)')
# A table whose header row repeats on each page is one meant to break across pages.
_BREAKING_TABLE = re.compile(rb'<w:tblHeader(?!\s+w:val="(?:0|false|off)")\b')
_ENDS_WITH_SECTION = re.compile(rb"</w:sectPr>\s*</w:body>\s*</w:document>\s*$")
# Child order of w:sectPr (ECMA-376 §17.6.17): pgNumType goes after these.
_BEFORE_PGNUM = tuple(
    _w(t)
    for t in (
        "headerReference",
        "footerReference",
        "footnotePr",
        "endnotePr",
        "type",
        "pgSz",
        "pgMar",
        "paperSrc",
        "pgBorders",
        "lnNumType",
    )
)
# LibreOffice's PDF /Info entries taken from docProps/core.xml.
_CORE_INFO = (("/Title", f"{{{DC}}}title"), ("/Author", f"{{{DC}}}creator"), ("/Subject", f"{{{DC}}}subject"))
_KEYWORDS = f"{{{CP}}}keywords"


def _only_page_fields(xml: bytes) -> bool:
    return all((a or b).upper() in (b"PAGE", b"") for a, b in _FIELD.findall(xml))


def shell_key(parts: dict[str, bytes]) -> bytes | None:
    """Documents with the same key can be combined; None: this one must be converted alone."""
    main = parts.get(MAIN)
    if main is None or _BODY_STATE.search(main) or not _only_page_fields(main):
        return None
    if not _ENDS_WITH_SECTION.search(main) or (b"<w:p>" not in main and b"<w:p " not in main):
        return None
    head = main[: main.find(b"<w:body")]  # namespaces and mc:Ignorable must match too
    digest = hashlib.sha256(head)
    for name in sorted(parts):
        if name == MAIN or name.startswith("docProps/"):
            continue
        data = parts[name]
        if name.endswith(".xml") and (_SHELL_STATE.search(data) or not _only_page_fields(data)):
            return None
        digest.update(name.encode() + b"\0" + hashlib.sha256(data).digest())
    return digest.digest()


def leads(main: bytes) -> bool:
    """Must this document open its combined file? When the first table of a file breaks across pages,
    LibreOffice lays out the pages before it again, and that second pass may move a keep-with-next
    heading from the foot of a page to the next one. First in the file, the pages before that table
    are its own, as in its own file.
    """
    return _BREAKING_TABLE.search(main) is not None


def _restart_on_new_page(sect: etree._Element) -> None:
    """A file's first page is page 1 of a new page: say so explicitly for its first section."""
    for kind in sect.findall(_w("type")):
        sect.remove(kind)  # absent = nextPage; oddPage would add a blank page after an odd count
    pgnum = sect.find(_w("pgNumType"))
    if pgnum is None:
        pgnum = etree.Element(_w("pgNumType"))
        before = [i for i, child in enumerate(sect) if child.tag in _BEFORE_PGNUM]
        sect.insert(before[-1] + 1 if before else 0, pgnum)
    if pgnum.get(_w("start")) is None:
        pgnum.set(_w("start"), "1")


def _mark_first_paragraph(body: etree._Element, index: int) -> None:
    paragraph = next(body.iter(_w("p")))
    at = 1 if len(paragraph) and paragraph[0].tag == _w("pPr") else 0
    start = etree.Element(_w("bookmarkStart"), {_w("id"): str(index), _w("name"): f"{MARK}{index}"})
    paragraph.insert(at, etree.Element(_w("bookmarkEnd"), {_w("id"): str(index)}))
    paragraph.insert(at, start)


def _close_section(body: etree._Element, sect: etree._Element) -> None:
    """Turn the body's final w:sectPr into a section break after the document's last paragraph."""
    last = body[-1] if len(body) else None
    ppr = last.find(_w("pPr")) if last is not None and last.tag == _w("p") else None
    if last is not None and last.tag == _w("p") and (ppr is None or ppr.find(_w("sectPr")) is None):
        if ppr is None:
            ppr = etree.Element(_w("pPr"))
            last.insert(0, ppr)
        change = ppr.find(_w("pPrChange"))
        if change is None:
            ppr.append(sect)
        else:
            change.addprevious(sect)
    else:
        # A body that ends in a table: LibreOffice adds an empty paragraph after it anyway.
        paragraph = etree.SubElement(body, _w("p"))
        etree.SubElement(paragraph, _w("pPr")).append(sect)


def combine(mains: list[bytes]) -> bytes:
    """One document.xml whose sections are the given documents' bodies, in order."""
    root: etree._Element | None = None
    target: etree._Element | None = None
    for index, xml in enumerate(mains):
        doc = etree.fromstring(xml)
        body = doc.find(_w("body"))
        final = body[-1]
        _restart_on_new_page(next(body.iter(_w("sectPr"))))
        _mark_first_paragraph(body, index)
        if index < len(mains) - 1:
            body.remove(final)
            _close_section(body, final)
        if target is None:
            root, target = doc, body
        else:
            target.extend(list(body))
    assert root is not None
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def core_info(parts: dict[str, bytes]) -> dict[str, str]:
    """The PDF /Info entries LibreOffice writes from this document's core properties."""
    core = parts.get("docProps/core.xml")
    if core is None:
        return {}
    root = etree.fromstring(core)
    info = {}
    for key, tag in (*_CORE_INFO, ("/Keywords", _KEYWORDS)):
        text = root.findtext(tag)
        if text:
            info[key] = text
    return info


@dataclass(frozen=True)
class Piece:
    """One document's share of a combined PDF."""

    info: dict[str, str]  # its own /Info entries (title, author…)
    out: Path


def split(pdf: Path, pieces: list[Piece]) -> None:
    """Write each document's pages to its own file; ValueError when the marks don't add up."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import ArrayObject, FloatObject, NameObject, NullObject

    reader = PdfReader(pdf)
    starts: dict[int, int] = {}
    for name, dest in reader.named_destinations.items():
        if name.lstrip("/").startswith(MARK):
            starts[int(name.lstrip("/")[len(MARK) :])] = reader.get_destination_page_number(dest)
    pages = len(reader.pages)
    bounds = [starts.get(i, -1) for i in range(len(pieces))] + [pages]
    if bounds[0] != 0 or any(a >= b for a, b in pairwise(bounds)):
        raise ValueError(f"page marks out of order: {bounds}")
    shared = {k: v for k, v in (reader.metadata or {}).items() if k in ("/Creator", "/Producer", "/CreationDate")}
    catalog = reader.trailer["/Root"]
    for piece, (first, end) in zip(pieces, pairwise(bounds), strict=True):
        writer = PdfWriter()
        for number in range(first, end):
            writer.add_page(reader.pages[number])
        writer.add_metadata({**shared, **piece.info})
        root = writer._root_object
        for key in ("/Lang", "/ViewerPreferences"):
            if key in catalog:
                root[NameObject(key)] = catalog[key].clone(writer)
        root[NameObject("/OpenAction")] = ArrayObject(
            [writer.pages[0].indirect_reference, NameObject("/XYZ"), NullObject(), NullObject(), FloatObject(0)]
        )
        buffer = io.BytesIO()
        writer.write(buffer)
        piece.out.write_bytes(buffer.getvalue())
