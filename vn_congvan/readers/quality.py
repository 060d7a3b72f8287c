"""How Vietnamese a text looks: the share of valid syllables, of syllables with diacritics, and mojibake signs.

A page's text layer is trusted when most of its words are Vietnamese syllables (onset + vowel nucleus + coda,
at most one tone mark) and it shows no mojibake signature; otherwise it is read by OCR. The syllable shape is
the orthography's, not a dictionary: it accepts rare syllables and rejects "ƣ", "CØNG", "6Ӣ", "nghi$m".
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from dataclasses import dataclass

TONES = "\u0300\u0301\u0303\u0309\u0323"  # huyền, sắc, ngã, hỏi, nặng
_VOWELS = "aăâeêioôơuưy"
# The vowel nuclei of Vietnamese orthography (with a final i/o/u/y counted in the nucleus), longest first.
_NUCLEI = re.findall(
    r"\S+",
    "iêu yêu oai oay oao oeo uây uôi ươi ươu uya uyê uyu "
    "ai ao au ay âu ây eo êu ia iê iu oa oă oe oi ôi ơi oo ua uâ uê ui uô uơ uy ưa ưi ươ ưu yê "
    "a ă â e ê i o ô ơ u ư y",
)
_ONSET = "ngh|ng|nh|ch|gh|gi|kh|ph|th|tr|qu|[bcdđghklmnprstvx]"
_SYLLABLE = re.compile(rf"(?P<onset>{_ONSET})?(?P<nucleus>{'|'.join(_NUCLEI)})(?P<coda>ch|nh|ng|[cmnpt])?")
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


def split_tone(word: str) -> tuple[str, str]:
    """("thiệt") -> ("thiêt", "\u0323"): the lower-case word without its tone mark(s), and the marks."""
    w = unicodedata.normalize("NFD", word.lower())
    tones = "".join(c for c in w if c in TONES)
    return unicodedata.normalize("NFC", "".join(c for c in w if c not in TONES)), tones


def syllable_parts(word: str) -> re.Match[str] | None:
    """onset, nucleus and coda of a toneless lower-case syllable, or None."""
    m = _SYLLABLE.fullmatch(word)
    if m is None and word.startswith("gi"):  # "gì", "gìn": the i is both onset and nucleus
        m = _SYLLABLE.fullmatch("gi" + word[1:])
    return m


_MARKED = "ăâêôơư"


def tone_positions(base: str) -> list[int]:
    """Where a tone mark may sit in a toneless syllable (indices into `base`); both styles of "hoà/hòa"."""
    m = syllable_parts(base)
    if m is None:
        return []
    start, _end = m.span("nucleus")
    nucleus = m["nucleus"]
    hats = [i for i, c in enumerate(nucleus) if c in _MARKED]
    if hats:
        at = [hats[-1]]
    elif m["coda"] or len(nucleus) == 1:
        at = [len(nucleus) - 1]
    elif nucleus in ("oa", "oe", "uy"):
        at = [0, 1]
    elif len(nucleus) == 3:
        at = [1]
    else:
        at = [0]
    return [start + i for i in at]


def is_syllable(word: str) -> bool:
    if any(a.islower() and b.isupper() for a, b in itertools.pairwise(word)):
        return False  # "tÕ", "CØNG" are never how Vietnamese is written
    base, tones = split_tone(word)
    if len(tones) > 1:
        return False
    m = syllable_parts(base)
    if m is None:
        return False
    if tones:
        # The tone sits on its vowel ("thiệt", not "thịêt").
        nfd = unicodedata.normalize("NFD", word.lower())
        at = len(unicodedata.normalize("NFC", nfd[: nfd.index(tones)])) - 1
        if at not in tone_positions(base):
            return False
    # A stop coda (c, ch, p, t) takes only the sắc or nặng tone.
    return not (m["coda"] in ("c", "ch", "p", "t") and tones not in ("\u0301", "\u0323"))


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
