"""How Vietnamese a text looks: the share of valid syllables, of syllables with diacritics, and mojibake signs.

A page's text layer is trusted when most of its words are Vietnamese syllables (onset + vowel nucleus + coda,
at most one tone mark) and it shows no mojibake signature; otherwise it is read by OCR. The syllable shape is
the orthography's, not a dictionary: it accepts rare syllables and rejects "ƣ", "CØNG", "6Ӣ", "nghi$m".
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

TONES = "\u0300\u0301\u0303\u0309\u0323"  # huyền, sắc, ngã, hỏi, nặng
_VOWELS = "aăâeêioôơuưy"
_SYLLABLE = re.compile(
    rf"(?:ngh|ng|nh|ch|gh|gi|kh|ph|th|tr|qu|[bcdđghklmnprstvx])?[{_VOWELS}]{{1,3}}(?:ch|nh|ng|[cmnpt])?"
)
_WORD = re.compile(r"[^\W\d_]+")
_ROMAN = re.compile(r"[IVXLC]+")
# Letters that mojibake leaves and Vietnamese never uses: broken ToUnicode maps ("ƣ" for "ư", Cyrillic for
# Ghostscript re-distills), Adobe Scan's wrong font ("CØNG", "HØI", "CHæNGH"), TCVN3 read as Latin-1.
# Cyrillic letters that look Latin ("ВСТ" typed in a ký hiệu) are repaired, not counted.
_MOJIBAKE = set("ƣƢØøæÆÜ×·¸µ¶¹»¼½¾ÐÑÞßþ")
LOOKALIKE = set("АВСЕНІКМОРТХУасеорху")


def mojibake_chars(text: str) -> int:
    return sum(c in _MOJIBAKE or ("\u0400" <= c <= "\u04ff" and c not in LOOKALIKE) for c in text)


@dataclass(frozen=True)
class Quality:
    words: int  # alphabetic tokens judged (acronyms and roman numerals left out)
    valid: float  # share that are Vietnamese syllables
    marked: float  # share of valid syllables carrying a diacritic (Vietnamese prose: about 0.6)
    mojibake: int  # characters that only mojibake produces

    @property
    def broken(self) -> bool:
        """A text layer to replace by OCR: garbled letters or too few Vietnamese syllables."""
        if self.words < 8:
            return self.mojibake > 0
        return self.valid < 0.8 or self.mojibake >= 3 or self.no_diacritics

    @property
    def no_diacritics(self) -> bool:
        """Vietnamese written without its marks ("CONG HOA XA HOI", ABBYY layers, plain-ASCII copies)."""
        return self.words >= 20 and self.marked < 0.12


def is_syllable(word: str) -> bool:
    w = unicodedata.normalize("NFD", word.lower())
    if sum(c in TONES for c in w) > 1:
        return False
    base = unicodedata.normalize("NFC", "".join(c for c in w if c not in TONES))
    return _SYLLABLE.fullmatch(base) is not None


def _acronym(word: str) -> bool:
    if _ROMAN.fullmatch(word):
        return True
    return word.isupper() and not any(c.lower() in _VOWELS for c in unicodedata.normalize("NFC", word))


def words(text: str) -> list[str]:
    """The alphabetic tokens of a text (NFC), in order."""
    return _WORD.findall(unicodedata.normalize("NFC", text))


def measure(text: str) -> Quality:
    judged = [w for w in words(text) if not _acronym(w)]
    valid = [w for w in judged if is_syllable(w)]
    marked = sum(1 for w in valid if not w.isascii())
    n = len(judged)
    return Quality(
        words=n,
        valid=len(valid) / n if n else 1.0,
        marked=marked / len(valid) if valid else 0.0,
        mojibake=mojibake_chars(text),
    )
