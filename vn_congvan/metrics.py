"""Times New Roman advance widths (from Liberation Serif, metric-compatible) to measure text in points.

Used to check that the Quốc hiệu fits on one line, to size the short lines under headings and to choose
where the short lines of ô 1–9 break (linebreak.py).
"""

from __future__ import annotations

import json
import unicodedata
from functools import lru_cache

from .paths import DATA


@lru_cache(maxsize=1)
def _tables() -> tuple[float, dict[str, tuple[dict[str, int], float]]]:
    """units per em, and per face (regular, bold, italic) its widths and the fallback for characters the
    table lacks: the mean width of the lowercase letters."""
    raw = json.loads((DATA / "tnr_metrics.json").read_text(encoding="utf-8"))
    letters = "abcdefghijklmnopqrstuvwxyz"
    faces = {
        face: (raw[face], sum(raw[face][c] for c in letters) / len(letters)) for face in ("regular", "bold", "italic")
    }
    return float(raw["units_per_em"]), faces


def _base_letter(ch: str) -> str:
    # Strip diacritics: "ộ" -> "o"; đ/Đ have no decomposition, keep as is.
    return "".join(c for c in unicodedata.normalize("NFD", ch) if not unicodedata.combining(c))[:1]


@lru_cache(maxsize=2048)
def _units(text: str, face: str) -> float:
    table, avg = _tables()[1][face]
    known = list(map(table.get, text))
    if None not in known:  # most text: every character in the table (integer widths: the sum is exact)
        return float(sum(known))
    total = 0.0
    for ch in text:
        w = table.get(ch)
        if w is None:
            if unicodedata.combining(ch):
                continue  # a stray combining mark after NFC has zero advance
            w = table.get(_base_letter(ch) or ch, avg)
        total += w
    return total


@lru_cache(maxsize=2048)  # line breaking measures the same words line after line, unit after unit
def text_width(text: str, size_pt: float, bold: bool = False, italic: bool = False) -> float:
    """Width of `text` set in Times New Roman at `size_pt`, in points (no kerning: Word default).
    Bold italic is measured as bold (no line that is both is ever broken)."""
    upem = _tables()[0]
    face = "bold" if bold else "italic" if italic else "regular"
    return _units(unicodedata.normalize("NFC", text), face) * size_pt / upem


def pt_to_mm(points: float) -> float:
    return points * 25.4 / 72


def twips_to_pt(twips: float) -> float:
    return twips / 20
