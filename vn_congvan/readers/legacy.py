"""Repair text whose Vietnamese letters were mangled on the way: legacy font encodings, detached tone marks.

- TCVN3 (ABC) and VNI text shown as Latin-1 ("T×nh h×nh kinh tÕ-x· héi", "Vieät Nam"): a word is
  converted with the tables in data/legacy_encodings.yaml when it is not a Vietnamese syllable and its
  conversion is one. Words that already read as Vietnamese are never touched.
- Latin letters typed in Cyrillic ("ВСТ-ВТC"): mapped back when the line has no other Cyrillic.
- Tone marks detached from their letters and pushed to the end of a PDF line ("thiêt hai ̀ ̣ ̣"): each
  mark goes back, in order, onto one of the words before it, choosing the likeliest spelling by syllable
  frequency (data/syllables.csv, built by scripts/build_syllables.py) and syllable shape.
"""

from __future__ import annotations

import math
import re
import unicodedata
from functools import cache, lru_cache

import yaml

from ..paths import DATA
from .quality import TONES, is_syllable, split_tone, tone_positions


@cache
def tables() -> dict[str, dict[str, str]]:
    return yaml.safe_load((DATA / "legacy_encodings.yaml").read_text(encoding="utf-8"))


@cache
def frequencies() -> tuple[dict[str, int], int]:
    counts: dict[str, int] = {}
    for row in (DATA / "syllables.csv").read_text(encoding="utf-8").splitlines():
        word, _, n = row.rpartition(",")
        counts[word] = int(n)
    return counts, sum(counts.values())


def logp(word: str) -> float:
    """Log-likelihood of a syllable: frequent ones high, unseen valid ones low, impossible ones lowest."""
    counts, total = frequencies()
    if not is_syllable(word):
        return math.log(1e-9)
    return math.log((counts.get(word.lower(), 0) + 0.5) / total)


@cache
def _token_re() -> re.Pattern[str]:
    extra = "".join(sorted({c for name in ("tcvn3", "vni") for k in tables()[name] for c in k if not c.isalpha()}))
    return re.compile(rf"(?:[^\W\d_]|[{re.escape(extra)}])+")


@cache
def _keys(table: str) -> re.Pattern[str]:
    """The table's legacy sequences, longest first: at each place the longest one that matches is taken."""
    return re.compile("|".join(map(re.escape, sorted(tables()[table], key=len, reverse=True))))


@lru_cache(maxsize=8192)
def _convert(word: str, table: str) -> str:
    mapping = tables()[table]
    return _keys(table).sub(lambda m: mapping[m.group(0)], word)


def _odd(word: str) -> bool:
    """A word that may be legacy-encoded: not Vietnamese as it stands, not plain ASCII, has a Latin letter
    (a lone "½" or "×" is a symbol, not a word)."""
    return not word.isascii() and re.search("[A-Za-z]", word) is not None and not is_syllable(word)


def repair_encoding(text: str) -> tuple[str, list[str]]:
    """Convert TCVN3/VNI words back to Unicode with the table that repairs most words of the line."""
    odd = [w for w in _token_re().findall(text) if _odd(w)]
    if not odd:
        return text, []
    gains = {name: sum(is_syllable(_convert(w, name)) for w in odd) for name in ("tcvn3", "vni")}
    name = max(gains, key=lambda k: gains[k])
    if not gains[name]:
        return text, []

    def fix(m: re.Match[str]) -> str:
        word = m.group(0)
        if not _odd(word):
            return word
        new = _convert(word, name)
        return new if is_syllable(new) else word

    return _token_re().sub(fix, text), [name]


_CYRILLIC = re.compile(r"[\u0400-\u04ff\u0370-\u03ff]")


def repair_homoglyphs(text: str) -> tuple[str, int]:
    if not _CYRILLIC.search(text):
        return text, 0
    mapping = tables()["homoglyphs"]
    if any(c not in mapping for c in _CYRILLIC.findall(text)):
        return text, 0  # real Cyrillic (or Ghostscript mojibake): not ours to change
    return "".join(mapping.get(c, c) for c in text), sum(c in mapping for c in text)


_DETACHED = re.compile(rf"(?:(?<=\s)|^)[{TONES}](?:\s+[{TONES}](?=\s|$))*")
_WORD = re.compile(r"[^\W\d_]+")
_WINDOW = 24  # a mark run belongs to the PDF line before it: look back this many words at most


def _with_tone(word: str, tone: str) -> str:
    """The word with `tone` on the vowel that makes the likeliest syllable."""
    base, tones = split_tone(word)
    if tones:
        return word
    best, best_p = word, -math.inf
    for i in tone_positions(base):
        cand = unicodedata.normalize("NFC", base[: i + 1] + tone + base[i + 1 :])
        if logp(cand) > best_p:
            best, best_p = cand, logp(cand)
    return recase(best, word)


def recase(new: str, old: str) -> str:
    """`new` in the case `old` was written in: all capitals (a word of two letters or more: a lone capital
    opens a word), a capital first, or as it is."""
    if old.isupper() and len(old) > 1:
        return new.upper()
    return new[0].upper() + new[1:] if old[:1].isupper() else new


_SKIP = math.log(1e-12)  # a mark left unplaced: only when no word can take it
_DISTANCE = 0.15  # per word between a word and the mark run: the marks belong to the line just before it


def _assign(words: list[str], marks: list[str]) -> list[str | None]:
    """The mark each word gets (None: none), marks in order, maximising the syllables' likelihood."""
    n, k = len(words), len(marks)
    neg = -math.inf
    # best[i][j]: best score with words[:i] seen and marks[:j] placed or skipped; back[i][j]: the step taken
    best = [[neg] * (k + 1) for _ in range(n + 1)]
    back: list[list[str]] = [[""] * (k + 1) for _ in range(n + 1)]
    best[0][0] = 0.0
    for i in range(n + 1):
        for j in range(k):  # skip mark j before word i
            if best[i][j] + _SKIP > best[i][j + 1]:
                best[i][j + 1], back[i][j + 1] = best[i][j] + _SKIP, "skip"
        if i == n:
            break
        w = words[i]
        toned = bool(split_tone(w)[1])
        keep = 0.0 if toned else logp(w)
        for j in range(k + 1):
            if best[i][j] == neg:
                continue
            if best[i][j] + keep > best[i + 1][j]:
                best[i + 1][j], back[i + 1][j] = best[i][j] + keep, "keep"
            if j < k and not toned:
                score = best[i][j] + logp(_with_tone(w, marks[j])) - _DISTANCE * (n - 1 - i)
                if score > best[i + 1][j + 1]:
                    best[i + 1][j + 1], back[i + 1][j + 1] = score, "take"
    out: list[str | None] = [None] * n
    i, j = n, k
    while i > 0 or j > 0:
        step = back[i][j]
        if step == "skip":
            j -= 1
        elif step == "take":
            i, j = i - 1, j - 1
            out[i] = marks[j]
        else:
            i -= 1
    return out


def repair_detached_marks(text: str) -> tuple[str, int]:
    """Put tone marks that stand alone ("hai ̀ ̣ ̣") back on the words before them."""
    text = unicodedata.normalize("NFC", text)
    runs = list(_DETACHED.finditer(text))
    if not runs:
        return text, 0
    pieces, start, fixed = [], 0, 0
    for run in runs:
        segment = text[start : run.start()]
        marks = [c for c in run.group(0) if c in TONES]
        words = [w for w in _WORD.finditer(segment) if not w.group(0).isupper() or len(w.group(0)) > 1]
        words = words[-_WINDOW:]
        choice = _assign([w.group(0) for w in words], marks)
        seg, shift = segment, 0
        for w, mark in zip(words, choice, strict=True):
            if mark is None:
                continue
            new = _with_tone(w.group(0), mark)
            seg = seg[: w.start() + shift] + new + seg[w.end() + shift :]
            shift += len(new) - len(w.group(0))
            fixed += 1
        pieces.append(seg.rstrip() + (" " if text[run.end() : run.end() + 1] not in ("", "\n") else ""))
        start = run.end()
        while start < len(text) and text[start] == " ":
            start += 1
    pieces.append(text[start:])
    return "".join(pieces), fixed


def repair(text: str) -> tuple[str, list[str]]:
    """All repairs of one source line; returns the text and what was repaired (for the warnings)."""
    notes: list[str] = []
    text, encodings = repair_encoding(text)
    notes += [f"mã {name.upper()}" for name in encodings]
    text, n = repair_homoglyphs(text)
    if n:
        notes.append("chữ Kirin giống chữ Latinh (Cyrillic look-alikes)")
    text, n = repair_detached_marks(text)
    if n:
        notes.append("dấu thanh tách rời (detached tone marks)")
    return text, notes
