"""Tests for Times New Roman metrics, the OOXML reader and the ND30 checker."""

from __future__ import annotations

import json
import unicodedata

import pytest

from vn_congvan.metrics import pt_to_mm, text_width
from vn_congvan.paths import DATA

QUOC_HIEU = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"


# --- metrics -------------------------------------------------------------------------------------


def test_quoc_hieu_width_matches_nd30_estimate() -> None:
    # ND30 §2.4 (confidence Low) says ≈95 mm at 12 pt, ≈100 mm at 13 pt (cell padding included);
    # TNR Bold advance widths give 88.3 mm / 95.7 mm of set text.
    at12 = pt_to_mm(text_width(QUOC_HIEU, 12, bold=True))
    at13 = pt_to_mm(text_width(QUOC_HIEU, 13, bold=True))
    assert 86 < at12 < 96
    assert 93 < at13 < 104
    assert at13 / at12 == pytest.approx(13 / 12)


def test_bold_wider_than_regular_and_linear_in_size() -> None:
    assert text_width(QUOC_HIEU, 12, bold=True) > text_width(QUOC_HIEU, 12)
    assert text_width("abc", 28) == pytest.approx(2 * text_width("abc", 14))
    assert text_width("", 12) == 0


def test_known_advance_widths() -> None:
    # Times New Roman: space = 512/2048 em, "M" regular = 1821/2048 em.
    assert text_width(" ", 2048) == pytest.approx(512)
    assert text_width("M", 12) == pytest.approx(1821 / 2048 * 12)


def test_nfc_and_fallbacks() -> None:
    decomposed = unicodedata.normalize("NFD", "Việt")
    assert text_width(decomposed, 13) == text_width("Việt", 13)
    # A letter with a diacritic the table lacks falls back to its base letter.
    assert text_width("ḃ", 13) == text_width("b", 13)
    # A character with no base in the table falls back to the average, not zero.
    assert text_width("中", 13) > 0


def test_every_vietnamese_letter_is_in_the_table() -> None:
    table = json.loads((DATA / "tnr_metrics.json").read_text(encoding="utf-8"))
    vowels = "aăâeêioôơuưy"
    for base in vowels + vowels.upper():
        for mark in ["", "\u0300", "\u0301", "\u0303", "\u0309", "\u0323"]:
            ch = unicodedata.normalize("NFC", base + mark)
            assert ch in table["regular"] and ch in table["bold"], ch
    for ch in "đĐ–—“”‘’…":
        assert ch in table["regular"]
