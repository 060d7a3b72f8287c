"""Times New Roman advance widths (from Liberation Serif, metric-compatible) to measure text in points.

Used to check that the Quốc hiệu fits on one line and to size the short lines under headings.
"""

from __future__ import annotations

import json
import unicodedata
from functools import lru_cache

from .paths import DATA


@lru_cache(maxsize=1)
def _tables() -> tuple[float, dict[str, int], dict[str, int], float, float]:
    raw = json.loads((DATA / "tnr_metrics.json").read_text(encoding="utf-8"))
    regular: dict[str, int] = raw["regular"]
    bold: dict[str, int] = raw["bold"]
    # Fallback for characters the table lacks: mean width of the lowercase letters.
    letters = "abcdefghijklmnopqrstuvwxyz"
    avg_r = sum(regular[c] for c in letters) / len(letters)
    avg_b = sum(bold[c] for c in letters) / len(letters)
    return float(raw["units_per_em"]), regular, bold, avg_r, avg_b


def _base_letter(ch: str) -> str:
    # Strip diacritics: "ộ" -> "o"; đ/Đ have no decomposition, keep as is.
    return "".join(c for c in unicodedata.normalize("NFD", ch) if not unicodedata.combining(c))[:1]


@lru_cache(maxsize=8192)
def _units(text: str, bold: bool) -> float:
    _upem, regular, bolds, avg_r, avg_b = _tables()
    table, avg = (bolds, avg_b) if bold else (regular, avg_r)
    total = 0.0
    for ch in text:
        w = table.get(ch)
        if w is None:
            if unicodedata.combining(ch):
                continue  # a stray combining mark after NFC has zero advance
            w = table.get(_base_letter(ch) or ch, avg)
        total += w
    return total


def text_width(text: str, size_pt: float, bold: bool = False) -> float:
    """Width of `text` set in Times New Roman at `size_pt`, in points (no kerning: Word default)."""
    upem = _tables()[0]
    return _units(unicodedata.normalize("NFC", text), bold) * size_pt / upem


def pt_to_mm(points: float) -> float:
    return points * 25.4 / 72


def twips_to_pt(twips: float) -> float:
    return twips / 20
