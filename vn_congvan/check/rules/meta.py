"""The file's own properties (docProps/core.xml): a file reused from last year's or another office's
document still carries that document's title and author, which every recipient's Word shows."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from lxml import etree

from ...law import lines as L
from .. import edit
from ..locate import Located
from ..report import Finding
from ..text import display, fold, norm
from .base import ANY_DOCX, Rule, register

_WORD = re.compile(r"\w+")
DC = "{http://purl.org/dc/elements/1.1/}"
CP = "{http://schemas.openxmlformats.org/package/2006/metadata/core-properties}"


def _words(text: str) -> set[str]:
    return set(_WORD.findall(fold(text)))


def stale_title(d: Located) -> str | None:
    """The title property when most of its words are not in the document's header (issuer, tên loại,
    trích yếu): the title of the document the file was made from. An empty title is not stale."""
    title = norm(d.doc.core.get("title", ""))
    words = _words(title)
    if not words:
        return None
    known = _words(d.kind.name) if d.kind is not None else set()
    for p in [*d.chu_quan, *d.issuer, d.tl, *d.ty, d.vv, d.other_tl]:
        if p is not None:
            known |= _words(display(p))
    return title if len(words & known) < 0.6 * len(words) else None


def own_title(d: Located) -> str | None:
    """The title the document's own header gives: 'Thông báo Kết quả kiểm tra …', 'Công văn tổ chức …'."""
    if d.kind is None:
        return None
    subject = L.VV.strip(norm(d.vv.text)) if d.vv is not None else " ".join(norm(p.text) for p in d.ty)
    return f"{d.kind.name[:1].upper()}{d.kind.name[1:]} {subject}".strip() if subject else None


@register
class FileProperties(Rule):
    """The file's title property belongs to this document, not to the one the file was copied from."""

    id = "META-01"
    applies_to = ANY_DOCX
    opt_in = True  # not part of NĐ 30's thể thức: `check` runs it when selected
    fix_safety = "unsafe"  # the author may be someone's on purpose: --unsafe-fixes

    def check(self, d: Located) -> Iterator[Finding]:
        title = stale_title(d)
        if title is not None:
            author = d.doc.core.get("creator", "")
            yield self.finding(title, f"tiêu đề '{title[:50]}'" + (f", tác giả '{author}'" if author else ""))

    def fix(self, d: Located) -> list[str]:
        """Title from the header (tên loại and trích yếu), author the issuing body, as `render` writes them."""
        old, new = stale_title(d), own_title(d)
        core = edit.part(d.doc, "docProps/core.xml")
        if old is None or new is None or core is None:
            return []
        issuer = " ".join(norm(p.text) for p in d.issuer) or None
        done = [f"thuộc tính tiêu đề: '{old[:40]}' → '{new[:40]}'"]
        _set(core, DC + "title", new)
        if issuer is not None:
            for tag in (DC + "creator", CP + "lastModifiedBy"):
                was = core.findtext(tag) or ""
                if was != issuer:
                    _set(core, tag, issuer)
                    done.append(f"thuộc tính tác giả: '{was}' → '{issuer}'")
        return done


def _set(core: Any, tag: str, value: str) -> None:
    el = core.find(tag)
    if el is None:
        el = etree.SubElement(core, tag)
    el.text = value
