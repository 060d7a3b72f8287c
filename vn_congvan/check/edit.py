"""Writing back to a located element: the paragraph and run handles ooxml keeps (`element`) are edited in
place, then the package is written with its main part re-serialised. The rules' `fix` methods use this;
the `fix` command that drives them is separate."""

from __future__ import annotations

import zipfile
from pathlib import Path

from lxml import etree

from ..ooxml import Document, Paragraph, Run, W

XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


def replace_text(p: Paragraph, old: str, new: str) -> bool:
    """Replace `old` by `new` in the paragraph's XML: inside one w:t when it lies there (each run keeps its
    formatting), else over the whole text put in the first w:t. False when `old` is not in the text."""
    ts = list(p.element.iter(W + "t"))
    for t in ts:
        if t.text and old in t.text:
            t.text = t.text.replace(old, new, 1)
            t.set(XML_SPACE, "preserve")
            return True
    full = "".join(t.text or "" for t in ts)
    if old not in full or not ts:
        return False
    ts[0].text = full.replace(old, new, 1)
    ts[0].set(XML_SPACE, "preserve")
    for t in ts[1:]:
        t.text = ""
    return True


def set_colour(r: Run, value: str = "000000") -> None:
    rpr = r.element.find(W + "rPr")
    if rpr is None:
        rpr = etree.SubElement(r.element, W + "rPr")
        r.element.insert(0, rpr)
    color = rpr.find(W + "color")
    if color is None:
        color = etree.SubElement(rpr, W + "color")
    for attr in list(color.attrib):
        del color.attrib[attr]
    color.set(W + "val", value)


def save(doc: Document, out: str | Path) -> Path:
    """Write `doc` with its edited main part to `out` (the other parts copied as they were)."""
    first = next(doc.paragraphs(), None)
    if first is None or first.element is None:
        raise ValueError(f"{doc.path}: không có đoạn văn nào để ghi (nothing to write)")
    root = first.element.getroottree().getroot()
    data = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    out = Path(out)
    with zipfile.ZipFile(doc.path) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            zout.writestr(info, data if info.filename == doc.main else zin.read(info.filename))
    return out
