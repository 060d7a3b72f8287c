"""What a .docx shows of a picture: its bytes decoded (format, transparency, the colour of its ink), the size it
is shown at and, for a floating picture, where it is anchored. ES-01 and ES-02 judge signature and seal images
with it; nothing here decides what is right."""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..ooxml import Document, Paragraph, Run
from ..package import open_package

WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
PIC = "{http://schemas.openxmlformats.org/drawingml/2006/picture}pic"
EMU_PER_MM = 36000
MAX_PIXELS = 25_000_000  # a seal or a signature is a few hundred pixels across; more is not decoded


@dataclass(frozen=True, slots=True)
class Ink:
    """The pixels of a decoded picture: its format, whether its background is transparent, and the share of
    its ink (opaque, not near-white pixels) that is red."""

    format: str  # "PNG", "JPEG", …
    transparent: bool
    red_share: float


@dataclass(frozen=True, slots=True)
class Frame:
    """Where a floating picture is: offsets from the frame Word measures it from (relativeFrom)."""

    h_from: str
    v_from: str
    x: float | None  # mm; None when aligned ('left', 'center') instead of offset
    y: float | None


@dataclass(frozen=True, slots=True)
class Picture:
    paragraph: Paragraph
    part: str
    name: str  # docPr name and description: what the author called it
    width: float  # shown size, mm
    height: float
    frame: Frame | None  # None: inline, in the line of text

    def box(self) -> tuple[float, float, float, float] | None:
        """(left, top, right, bottom) in mm within its frame, when both offsets are known."""
        f = self.frame
        if f is None or f.x is None or f.y is None:
            return None
        return f.x, f.y, f.x + self.width, f.y + self.height


def pictures(paragraphs: list[Paragraph]) -> list[Picture]:
    """The pictures (w:drawing with a pic:pic) anchored in `paragraphs`, in order."""
    out = []
    for p in paragraphs:
        for r in p.runs:
            if r.image_rel and r.element is not None:
                pic = _picture(p, r)
                if pic is not None:
                    out.append(pic)
    return out


def _picture(p: Paragraph, r: Run) -> Picture | None:
    for holder in r.element.iter(WP + "inline", WP + "anchor"):
        if next(holder.iter(PIC), None) is None:
            continue
        ext = holder.find(WP + "extent")
        if ext is None:
            return None
        doc_pr = holder.find(WP + "docPr")
        name = " ".join(doc_pr.get(a, "") for a in ("name", "descr", "title")) if doc_pr is not None else ""
        frame = _frame(holder) if holder.tag == WP + "anchor" else None
        return Picture(
            p,
            r.image_rel or "",
            name.strip(),
            int(ext.get("cx", "0")) / EMU_PER_MM,
            int(ext.get("cy", "0")) / EMU_PER_MM,
            frame,
        )
    return None


def _frame(anchor: Any) -> Frame:
    def axis(tag: str) -> tuple[str, float | None]:
        pos = anchor.find(WP + tag)
        if pos is None:
            return "", None
        off = pos.find(WP + "posOffset")
        value = int(off.text.strip()) / EMU_PER_MM if off is not None and (off.text or "").strip() else None
        return pos.get("relativeFrom", ""), value

    (h_from, x), (v_from, y) = axis("positionH"), axis("positionV")
    return Frame(h_from, v_from, x, y)


def image_bytes(doc: Document, rel: str) -> bytes | None:
    """The bytes of the main part's image `rel`, read within the package budgets; None when the file is gone
    (a batch checks documents before they are written) or the part is missing."""
    part = doc.rels.get(rel)
    if not part:
        return None
    try:
        with open_package(Path(doc.path)) as pkg:
            return pkg.read(part)
    except (OSError, KeyError, ValueError, InputError):
        return None


def ink(data: bytes) -> Ink | None:
    """Decode a PNG, JPEG, GIF …; None when Pillow cannot read it or it is too large to look at."""
    from PIL import Image  # imported on demand: most documents carry no picture

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as im:
                if im.width * im.height > MAX_PIXELS:
                    return None
                fmt = im.format or ""
                has_alpha = im.mode in ("RGBA", "LA", "PA", "RGBa") or "transparency" in im.info
                small = im.convert("RGBA")
                small.thumbnail((96, 96))
                pixels = list(small.getdata())
    except (OSError, ValueError, Image.DecompressionBombError, Image.DecompressionBombWarning):
        return None
    clear = sum(1 for *_, a in pixels if a < 128)
    inked = [(r, g, b) for r, g, b, a in pixels if a >= 128 and min(r, g, b) < 200]
    red = sum(1 for r, g, b in inked if r >= 120 and r > 1.6 * g and r > 1.6 * b)
    return Ink(fmt, has_alpha and clear >= 0.05 * len(pixels), red / len(inked) if inked else 0.0)
