"""Documents for rule fixtures, built from a small YAML recipe instead of a committed binary:

    base: example:seeds/001-thai-nguyen-ke-hoach   # a bundled example, rendered (or builder:cong_van)
    mutate:                                         # then exactly the mistake under test
      - {find: "Số: 05/KH-UBND", replace: "Số: 5/KH-UBND"}

Mutations act on word/document.xml: `replace` (the paragraph's text), `set` (run properties bold,
italic, caps, size in half-points, font, color; paragraph align, first_line, before, after, line,
border_top), `delete`, `insert_after` (a copy of the paragraph with new text), `delete_next` (that many
following paragraphs), `move_after` / `move_before` (the paragraph moved next to another), `append` (a
last paragraph formatted like `find`), `one_section`, `section` (sectPr child attributes), `table_borders`
(of the first table), `header_page` (run properties of the header's PAGE field), `picture` (an image appended to
the paragraph `find` names: png, gif, a drawn signature, or a drawn seal: seal, seal-jpeg, seal-opaque, seal-blue;
with `size_mm: [w, h]`, `anchor_mm: [x, y]` to float it, `name`), `core` (file properties); `header: true`
makes an op act on the header holding `find`.
"""

from __future__ import annotations

import base64
import copy
import hashlib
import io
import shutil
import struct
import sys
import tempfile
import zipfile
import zlib
from pathlib import Path
from typing import Any

import yaml
from lxml import etree

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).parent))

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W = f"{{{W_NS}}}"
CACHE = Path(tempfile.gettempdir()) / "vn_congvan_recipes"


def _base(spec: str, options: dict[str, Any]) -> Path:
    """The unmutated document of a recipe (rendered once per process and cached by content)."""
    CACHE.mkdir(parents=True, exist_ok=True)
    key = hashlib.sha1(f"{spec}{sorted(options.items())}".encode()).hexdigest()[:16]
    out = CACHE / f"base-{key}.docx"
    if out.exists():
        return out
    how, _, what = spec.partition(":")
    if how == "example":
        from vn_congvan.loader import load
        from vn_congvan.render import render

        src = ROOT / "examples" / f"{what}.yaml"
        render(load(src), out, base=src.parent)
    elif how == "builder":
        from docx_builder import build

        build(out, kind=what, **options)
    else:
        raise ValueError(f"recipe base {spec!r}: use example:<path> or builder:<kind>")
    return out


def _text(p: Any) -> str:
    return "".join(t.text or "" for t in p.iter(W + "t"))


def _find(root: Any, needle: str) -> Any:
    """The paragraph whose text is `needle`, else the first that starts with it, else that contains it."""
    paras = list(root.iter(W + "p"))
    for test in (str.__eq__, str.startswith, str.__contains__):
        for p in paras:
            if test(_text(p).strip(), needle):
                return p
    raise LookupError(f"recipe: no paragraph contains {needle!r}")


def _set_text(p: Any, text: str) -> None:
    ts = list(p.iter(W + "t"))
    if not ts:
        raise LookupError("recipe: paragraph has no text run")
    ts[0].text = text
    ts[0].set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    for t in ts[1:]:
        t.text = ""


def _child(parent: Any, tag: str, first: bool = False) -> Any:
    el = parent.find(W + tag)
    if el is None:
        el = etree.Element(W + tag)
        if first:
            parent.insert(0, el)
        else:
            parent.append(el)
    return el


_TOGGLE = {"bold": "b", "italic": "i", "caps": "caps"}


def _set_run(r: Any, props: dict[str, Any]) -> None:
    rpr = _child(r, "rPr", first=True)
    for key, value in props.items():
        if key in _TOGGLE:
            el = _child(rpr, _TOGGLE[key])
            el.set(W + "val", "1" if value else "0")
        elif key == "size":
            for tag in ("sz", "szCs"):
                _child(rpr, tag).set(W + "val", str(value))
        elif key == "font":
            fonts = _child(rpr, "rFonts", first=True)
            for a in list(fonts.attrib):
                del fonts.attrib[a]
            for slot in ("ascii", "hAnsi", "cs"):
                fonts.set(W + slot, value)
        elif key == "color":
            _child(rpr, "color").set(W + "val", value)


def _set(p: Any, props: dict[str, Any]) -> None:
    ppr = _child(p, "pPr", first=True)
    run_props = {k: v for k, v in props.items() if k in (*_TOGGLE, "size", "font", "color")}
    for r in p.iter(W + "r"):
        if any((t.text or "").strip() for t in r.iter(W + "t")):
            _set_run(r, run_props)
    if "border_top" in props:
        top = _child(_child(ppr, "pBdr"), "top")
        top.set(W + "val", props["border_top"])
        top.set(W + "sz", "6")
    if "align" in props:
        _child(ppr, "jc").set(W + "val", props["align"])
    if "first_line" in props:
        ind = _child(ppr, "ind")
        ind.attrib.pop(W + "hanging", None)
        ind.set(W + "firstLine", str(props["first_line"]))
    for key in ("before", "after", "line"):
        if key in props:
            _child(ppr, "spacing").set(W + key, str(props[key]))


def _mutate(root: Any, op: dict[str, Any]) -> None:
    if "table_borders" in op:
        tbl = next(root.iter(W + "tbl"))
        borders = _child(_child(tbl, "tblPr", first=True), "tblBorders")
        for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
            el = _child(borders, side)
            el.set(W + "val", op["table_borders"])
            el.set(W + "sz", "4")
        return
    if op.get("one_section"):  # drop the section breaks inside the body: every page in the last section
        for ppr in root.iter(W + "pPr"):
            for sect in ppr.findall(W + "sectPr"):
                ppr.remove(sect)
        return
    if "section" in op:
        for sect in root.iter(W + "sectPr"):
            for tag, attrs in op["section"].items():
                el = _child(sect, tag)
                for a, v in attrs.items():
                    el.set(W + a, str(v))
        return
    if "append" in op:  # a new last paragraph of the body, formatted like the one `find` names
        new = copy.deepcopy(_find(root, op["find"]))
        _set_text(new, op["append"])
        body = root.find(W + "body")
        last = body[-1]
        (last.addprevious if last.tag == W + "sectPr" else body.append)(new)
        return
    p = _find(root, op["find"])
    if "replace" in op:
        _set_text(p, op["replace"])
    if "set" in op:
        _set(p, op["set"])
    for _ in range(op.get("delete_next", 0)):
        nxt = p.getnext()
        while nxt is not None and nxt.tag != W + "p":
            nxt = nxt.getnext()
        if nxt is None:
            raise LookupError(f"recipe: nothing after {op['find']!r} to delete")
        nxt.getparent().remove(nxt)
    if op.get("delete"):
        p.getparent().remove(p)
    if "move_after" in op:
        _find(root, op["move_after"]).addnext(p)
    if "move_before" in op:
        _find(root, op["move_before"]).addprevious(p)
    if "insert_after" in op:
        new = copy.deepcopy(p)
        _set_text(new, op["insert_after"])
        p.addnext(new)


def _png() -> bytes:
    """A 1 × 1 transparent PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 6, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(b"\x00\x00\x00\x00\x00"))
        + chunk(b"IEND", b"")
    )


def _seal(colour: tuple[int, int, int] = (220, 30, 40), fmt: str = "PNG", clear: bool = True) -> bytes:
    """A seal drawn as a ring and a star on a transparent (or white) square, 120 px across."""
    from PIL import Image, ImageDraw

    im = Image.new("RGBA", (120, 120), (255, 255, 255, 0 if clear else 255))
    draw = ImageDraw.Draw(im)
    draw.ellipse((4, 4, 116, 116), outline=(*colour, 255), width=8)
    draw.regular_polygon((60, 60, 28), 5, fill=(*colour, 255))
    out = io.BytesIO()
    (im if fmt == "PNG" else im.convert("RGB")).save(out, fmt)
    return out.getvalue()


def _signature() -> bytes:
    """A blue hand-written stroke on a transparent background, 200 × 100 px (ES-01: a signature is blue)."""
    from PIL import Image, ImageDraw

    im = Image.new("RGBA", (200, 100), (255, 255, 255, 0))
    ImageDraw.Draw(im).line([(10, 70), (50, 20), (80, 80), (120, 25), (150, 75), (190, 40)], (20, 40, 160, 255), 6)
    out = io.BytesIO()
    im.save(out, "PNG")
    return out.getvalue()


IMAGES = {
    "png": _png,
    "signature": _signature,
    "gif": lambda: base64.b64decode("R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw=="),
    "seal": _seal,
    "seal-jpeg": lambda: _seal(fmt="JPEG", clear=False),
    "seal-opaque": lambda: _seal(clear=False),
    "seal-blue": lambda: _seal(colour=(30, 40, 200)),
}
EXTENSIONS = {"signature": "png", "seal": "png", "seal-jpeg": "jpeg", "seal-opaque": "png", "seal-blue": "png"}
_PIC = (
    '<w:r xmlns:w="{w}" xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<w:drawing><wp:{holder}{position}<wp:extent cx="{cx}" cy="{cy}"/>{wrap}<wp:docPr id="{n}" name="{name}"/>'
    '<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:pic>'
    '<pic:nvPicPr><pic:cNvPr id="{n}" name="chu-ky.{ext}"/><pic:cNvPicPr/></pic:nvPicPr>'
    '<pic:blipFill><a:blip r:embed="{rid}"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>'
    '<pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{cx}" cy="{cy}"/></a:xfrm>'
    '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr></pic:pic></a:graphicData></a:graphic>'
    "</wp:{holder_end}></w:drawing></w:r>"
)
_FLOAT = (
    ' simplePos="0" relativeHeight="1" behindDoc="0" locked="0" layoutInCell="1" allowOverlap="1">'
    '<wp:simplePos x="0" y="0"/>'
    '<wp:positionH relativeFrom="column"><wp:posOffset>{x}</wp:posOffset></wp:positionH>'
    '<wp:positionV relativeFrom="paragraph"><wp:posOffset>{y}</wp:posOffset></wp:positionV>'
)


def _add_picture(parts: dict[str, bytes], root: Any, op: dict[str, Any]) -> None:
    """A picture (by default 1 × 1 px, shown 40 × 20 mm in the line) in the paragraph that `find` names:
    part, relationship, content type and the w:drawing run."""
    image = op["picture"]
    ext = EXTENSIONS.get(image, image)
    n = sum(1 for name in parts if name.startswith("word/media/")) + 1
    rid = f"rIdRecipe{n}"
    parts[f"word/media/recipe{n}.{ext}"] = IMAGES[image]()
    rels_name = "word/_rels/document.xml.rels"
    rels = etree.fromstring(parts[rels_name])
    rel = etree.SubElement(rels, "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship")
    rel.set("Id", rid)
    rel.set("Type", "http://schemas.openxmlformats.org/officeDocument/2006/relationships/image")
    rel.set("Target", f"media/recipe{n}.{ext}")
    parts[rels_name] = etree.tostring(rels, xml_declaration=True, encoding="UTF-8", standalone=True)
    types = etree.fromstring(parts["[Content_Types].xml"])
    ct = "{http://schemas.openxmlformats.org/package/2006/content-types}"
    if not any(d.get("Extension") == ext for d in types.iter(ct + "Default")):
        default = etree.SubElement(types, ct + "Default")
        default.set("Extension", ext)
        default.set("ContentType", f"image/{ext}")
    parts["[Content_Types].xml"] = etree.tostring(types, xml_declaration=True, encoding="UTF-8", standalone=True)
    w, h = op.get("size_mm", [40, 20])
    anchor = op.get("anchor_mm")
    holder = "anchor" if anchor else "inline"
    position = _FLOAT.format(x=round(anchor[0] * 36000), y=round(anchor[1] * 36000)) if anchor else ">"
    pic = _PIC.format(
        w=W_NS,
        n=1000 + n,
        ext=ext,
        rid=rid,
        cx=round(w * 36000),
        cy=round(h * 36000),
        name=op.get("name", "Chữ ký"),
        holder=holder,
        holder_end=holder,
        wrap="<wp:wrapNone/>" if anchor else "",
        position=position,
    )
    _find(root, op["find"]).append(etree.fromstring(pic))


def build(recipe: Path | dict[str, Any], out: Path) -> Path:
    """Write the recipe's document to `out`."""
    spec = yaml.safe_load(recipe.read_text(encoding="utf-8")) if isinstance(recipe, Path) else recipe
    base = _base(spec["base"], spec.get("options", {}))
    ops = spec.get("mutate", [])
    if not ops:
        shutil.copyfile(base, out)
        return out
    with zipfile.ZipFile(base) as zin:
        parts = {n: zin.read(n) for n in zin.namelist()}
    root = etree.fromstring(parts["word/document.xml"])
    headers = {n: etree.fromstring(b) for n, b in parts.items() if n.startswith("word/header")}
    for op in ops:
        if "picture" in op:
            _add_picture(parts, root, op)
            continue
        if "core" in op:  # file properties: {title: …, creator: …}
            core = etree.fromstring(parts["docProps/core.xml"])
            for key, value in op["core"].items():
                el = next(e for e in core if etree.QName(e).localname == key)
                el.text = value
            parts["docProps/core.xml"] = etree.tostring(core, xml_declaration=True, encoding="UTF-8", standalone=True)
            continue
        if op.get("header"):  # the op acts on a header's paragraphs (the first page's: an agency's ký số box)
            _mutate(next(h for h in headers.values() if op["find"] in "".join(map(_text, h.iter(W + "p")))), op)
            continue
        if "header_page" in op:
            for h in headers.values():
                for r in h.iter(W + "r"):
                    _set_run(r, op["header_page"])
            continue
        _mutate(root, op)
    parts["word/document.xml"] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    for n, h in headers.items():
        parts[n] = etree.tostring(h, xml_declaration=True, encoding="UTF-8", standalone=True)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for n, b in parts.items():
            zout.writestr(n, b)
    return out
