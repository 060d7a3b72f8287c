"""Word-level comparison of a rendered document with a seed's extracted text.

The seeds (/work/shared/seeds, domain.md §1) are text extracted from PDFs: markdown emphasis and headings,
table pipes, HTML, a stray "✓", a stamp's OCR residue. `words` drops that noise and punctuation, so two
texts compare by their words only; `in_order_ratio` is the share of the seed's words the rendering
reproduces in order (LCS), `precision` the share of the rendering's words that the seed has.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

# Markdown link: keep the text, drop the target ("[a@b.vn](mailto:a@b.vn)").
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_HTML = re.compile(r"<[^>]{0,400}>")
_MARKUP = re.compile(r"\*+|#+|\|+|✓")
# A stamp's OCR residue: a run of 3+ short capitalised lines, the first one dotted initials
# ("X.H.C." / "PHÒNG" / "ÁO D" / "ĐÀO" / "V.G. BIÊN" in seed 003).
_STAMP = re.compile(r"^[ \t]*(?:[A-ZĐ]\.){2,}[ \t]*\n(?:[ \t]*[A-ZĐÀ-Ỹ. ]{1,12}[ \t]*\n){2,}", re.MULTILINE)
_DATE = re.compile(r"\b(\d{1,2})/(\d{1,2})/(\d{4})\b")
_WORD = re.compile(r"\d+/\d+/\d+|[^\W_]+")


def clean(text: str) -> str:
    """The seed text without extraction noise (still with punctuation and line breaks)."""
    text = unicodedata.normalize("NFC", text)
    text = _STAMP.sub("", text)
    text = _LINK.sub(r"\1", text)
    text = _HTML.sub(" ", text)
    text = text.replace("\\_", "_")
    return _MARKUP.sub(" ", text)


def _date(m: re.Match[str]) -> str:
    d, mo, y = m.groups()
    return f"{int(d)}/{int(mo)}/{y}"


def words(text: str) -> list[str]:
    """Lower-case words (letters and digits) of `text`, noise and punctuation removed.

    A date "07/9/2022" stays one token, without leading zeros ("7/9/2022"), so it matches only a whole
    date; other numbers lose their leading zeros too ("tháng 09" and "tháng 9" are the same word).
    """
    text = _DATE.sub(_date, clean(text)).lower()
    out = []
    for w in _WORD.findall(text):
        if w.isdigit():
            w = str(int(w))
        out.append(w)
    return out


def lcs_length(a: list[str], b: list[str]) -> int:
    """Length of the longest common subsequence, bit-parallel over `a` (Hyyrö 2004): O(len(b) · len(a)/64)."""
    if not a or not b:
        return 0
    masks: dict[str, int] = {}
    for i, w in enumerate(a):
        masks[w] = masks.get(w, 0) | (1 << i)
    full = (1 << len(a)) - 1
    v = full
    for w in b:
        u = v & masks.get(w, 0)
        v = ((v + u) | (v - u)) & full
    return len(a) - v.bit_count()


def in_order_ratio(seed_words: list[str], rendered_words: list[str]) -> float:
    """Fraction of the seed's words found in the rendering in the same order (LCS / len(seed))."""
    if not seed_words:
        return 1.0
    return lcs_length(seed_words, rendered_words) / len(seed_words)


def precision(seed_words: list[str], rendered_words: list[str]) -> float:
    """Fraction of the rendering's words that occur in the seed, counted as multisets."""
    if not rendered_words:
        return 1.0
    seed = Counter(seed_words)
    common = sum(min(n, seed[w]) for w, n in Counter(rendered_words).items())
    return common / len(rendered_words)


def missing(seed_words: list[str], rendered_words: list[str]) -> list[str]:
    """The seed's words that the rendering lacks (multiset difference): a debugging aid."""
    return list((Counter(seed_words) - Counter(rendered_words)).elements())


def extra(seed_words: list[str], rendered_words: list[str]) -> list[str]:
    """The rendering's words that the seed lacks (multiset difference): a debugging aid."""
    return list((Counter(rendered_words) - Counter(seed_words)).elements())
