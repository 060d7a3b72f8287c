"""Plain text: .txt/.md files, text pasted from web pages, stdin."""

from __future__ import annotations

from pathlib import Path

from ..errors import InputError
from .base import Origin
from .clean import Source

# Tried in order; Latin-1 never fails, so 8-bit legacy text (TCVN3 saved as ANSI) still arrives and
# legacy.repair turns it back into Vietnamese.
ENCODINGS = ("utf-8-sig", "latin-1")


def decode(data: bytes, name: str) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    for enc in ENCODINGS:
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    raise InputError.one("không giải mã được văn bản (cannot decode text)", file=name)


def sources(text: str) -> list[Source]:
    return [Source(line, Origin.TXT) for line in text.splitlines()]


def read_text_file(path: Path) -> list[Source]:
    return sources(decode(path.read_bytes(), str(path)))
