"""Plain text: .txt/.md files, text pasted from web pages, stdin."""

from __future__ import annotations

from pathlib import Path

from ..errors import InputError
from .base import Origin
from .clean import Source

# Tried in order; Latin-1 never fails, so 8-bit legacy text (TCVN3 saved as ANSI, its letters at 0xA0–0xFF
# where cp1252 and Latin-1 agree) still arrives and legacy.repair turns it back into Vietnamese.
ENCODINGS = ("utf-8-sig", "cp1252", "latin-1")
_CONTROL = set(range(32)) - {9, 10, 11, 12, 13}


def decode(data: bytes, name: str) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    if b"\x00" in data or sum(b in _CONTROL for b in data) > len(data) // 100:
        raise InputError.one("không phải văn bản (binary data, not text)", file=name)
    for enc in ENCODINGS:
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    raise InputError.one("không giải mã được văn bản (cannot decode text)", file=name)  # pragma: no cover


def sources(text: str) -> list[Source]:
    return [Source(line, Origin.TXT) for line in text.splitlines()]


def read_text_file(path: Path) -> list[Source]:
    return sources(decode(path.read_bytes(), str(path)))
