"""Hostile .docx packages, built from a good one: each changes one thing at the zip or XML level.

Shared by tests/test_limits.py and benchmarks/fuzz.py.
"""

from __future__ import annotations

import io
import struct
import zipfile
from collections.abc import Callable

CT = "[Content_Types].xml"
DOC = "word/document.xml"
BILLION_LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10 if i > 1 else "&lol;" * 10}">' for i in range(1, 10))
    + "]>\n"
)
EXTERNAL = '<?xml version="1.0"?>\n<!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'


def parts_of(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {n: z.read(n) for n in z.namelist()}


def build(parts: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", method) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return buf.getvalue()


def with_parts(data: bytes, changes: dict[str, bytes | None]) -> bytes:
    """Replace (bytes) or drop (None) parts."""
    parts = parts_of(data)
    for name, value in changes.items():
        if value is None:
            parts.pop(name, None)
        else:
            parts[name] = value
    return build(parts)


def _central(data: bytes, name: str) -> int:
    at = data.find(b"PK\x01\x02")
    while at >= 0:
        n = struct.unpack_from("<H", data, at + 28)[0]
        if data[at + 46 : at + 46 + n] == name.encode():
            return at
        at = data.find(b"PK\x01\x02", at + 4)
    raise KeyError(name)


def _local(data: bytes, name: str) -> int:
    return struct.unpack_from("<I", data, _central(data, name) + 42)[0]


def patch_header(data: bytes, name: str, *, flags: int | None = None, method: int | None = None) -> bytes:
    """Set the general-purpose flags or the compression method of one member, in both headers."""
    out = bytearray(data)
    for at, flag_at in ((_central(data, name), 8), (_local(data, name), 6)):
        if flags is not None:
            struct.pack_into("<H", out, at + flag_at, flags)
        if method is not None:
            struct.pack_into("<H", out, at + flag_at + 2, method)
    return bytes(out)


def lying_size(data: bytes, name: str, size: int) -> bytes:
    """The directory says `size` bytes; the deflate stream holds more."""
    out = bytearray(data)
    struct.pack_into("<I", out, _central(data, name) + 24, size)
    struct.pack_into("<I", out, _local(data, name) + 22, size)
    return bytes(out)


def bad_deflate(data: bytes, name: str) -> bytes:
    out = bytearray(data)
    at = _local(data, name)
    n, extra = struct.unpack_from("<HH", data, at + 26)
    start = at + 30 + n + extra
    compressed = struct.unpack_from("<I", data, _central(data, name) + 20)[0]
    for i in range(start + compressed // 3, start + compressed // 3 + 16):
        out[i] ^= 0x5A
    return bytes(out)


def bomb(mb: int) -> bytes:
    """A small package whose document.xml inflates to `mb` MB of spaces inside the body."""
    body = b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
    return build({CT: b"<Types/>", DOC: body + b" " * (mb * 1024 * 1024) + b"</w:body></w:document>"})


def element_bomb(good: bytes, n: int) -> bytes:
    """A tiny package whose body holds `n` empty paragraphs (each costs the reader far more than its 6 bytes)."""
    parts = parts_of(good)
    doc = parts[DOC].decode("utf-8")
    at = doc.index("<w:body>") + len("<w:body>")
    parts[DOC] = (doc[:at] + "<w:p/>" * n + doc[at:]).encode("utf-8")
    return build(parts)


def many_parts(good: bytes, n: int) -> bytes:
    parts = parts_of(good)
    parts.update({f"customXml/item{i}.xml": b"<a/>" for i in range(n)})
    return build(parts)


def cases(good: bytes) -> dict[str, Callable[[], bytes]]:
    """name → builder of a package that must be refused with exit 2."""

    def body() -> str:
        doc = parts_of(good)[DOC].decode("utf-8")
        return doc[doc.index("<w:document") :]

    return {
        "bad-deflate": lambda: bad_deflate(good, DOC),
        "encrypted-flag": lambda: patch_header(good, DOC, flags=0x1),
        "unknown-compression": lambda: patch_header(good, DOC, method=99),
        "lying-header": lambda: lying_size(build(parts_of(good)), DOC, 100),
        "broken-rels": lambda: with_parts(good, {"_rels/.rels": b"<Relationships"}),
        "broken-document-xml": lambda: with_parts(good, {DOC: b"<w:document><w:body>"}),
        "empty-document-xml": lambda: with_parts(good, {DOC: b""}),
        "no-document-xml": lambda: with_parts(good, {DOC: None}),
        "no-content-types": lambda: with_parts(good, {CT: None}),
        "billion-laughs": lambda: with_parts(good, {DOC: (BILLION_LAUGHS + body()).encode()}),
        "external-entity": lambda: with_parts(good, {DOC: (EXTERNAL + body()).encode()}),
        "not-a-zip": lambda: b"PK\x03\x04 this is not a zip at all",
        "empty-file": lambda: b"",
        "doc-renamed": lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 4000,
        "pdf-renamed": lambda: b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n",
        "zip-bomb": lambda: bomb(60),
        "too-many-parts": lambda: many_parts(good, 1200),
        "element-bomb": lambda: element_bomb(good, 600_000),
        "unknown-xml-encoding": lambda: with_parts(
            good, {DOC: (EXTERNAL.split("\n")[0].replace("?>", ' encoding="x-junk"?>') + body()).encode()}
        ),
    }
