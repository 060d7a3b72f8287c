"""The .docx container, written directly: a template's unchanging parts are compressed once and
their bytes copied into every document (zipfile would deflate them again each time).
Fixed timestamps make the output byte-reproducible."""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass
from functools import lru_cache

_DOS_DATE = ((2020 - 1980) << 9) | (3 << 5) | 5  # 2020-03-05 00:00, the decree's date
_SMALL = 2048  # deflating a few hundred bytes costs more than it saves


@dataclass(frozen=True, slots=True)
class Member:
    name: bytes
    method: int  # 0 stored, 8 deflated
    crc: int
    size: int
    data: bytes
    local: bytes = b""  # its local header and name, made once
    central: bytes = b""  # its central directory entry up to its offset, made once

    def __post_init__(self) -> None:
        fields = (20, 0, self.method, 0, _DOS_DATE, self.crc, len(self.data), self.size, len(self.name))
        local = struct.pack("<IHHHHHIIIHH", 0x04034B50, *fields, 0) + self.name
        central = struct.pack("<IH", 0x02014B50, 20) + struct.pack("<HHHHHIIIHHHHHI", *fields, 0, 0, 0, 0, 0)
        object.__setattr__(self, "local", local)
        object.__setattr__(self, "central", central)


def pack(name: str, data: bytes) -> Member:
    if len(data) <= _SMALL:
        return Member(name.encode(), 0, zlib.crc32(data), len(data), data)
    deflate = zlib.compressobj(1, zlib.DEFLATED, -15)
    packed = deflate.compress(data) + deflate.flush()
    return Member(name.encode(), 8, zlib.crc32(data), len(data), packed)


# A template's parts recur in every document: compressed once per distinct (name, data); bytes
# cache their hash, so a hit is cheap.
member = lru_cache(maxsize=512)(pack)


def write(members: list[Member]) -> bytes:
    out, central = bytearray(), bytearray()
    for m in members:
        central += m.central
        central += len(out).to_bytes(4, "little")  # the member's offset
        central += m.name
        out += m.local
        out += m.data
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(members), len(members), len(central), len(out), 0)
    out += central
    out += end
    return bytes(out)
