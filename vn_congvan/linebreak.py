"""Where a short line of a document may break: the header, date, title, Kính gửi, signer and table-header
lines are broken by us, measured with the Times New Roman metrics against their real box, so Word and
LibreOffice never have to break them inside a name ("UBND THÀNH PHỐ / HẢI PHÒNG", not "HẢI / PHÒNG").

Vietnamese words are syllables separated by spaces; every gap between two of them is GOOD (a phrase
boundary), PLAIN, or BAD (inside a name, a number's phrase or a two-syllable word of nd30.yaml `words`).
The same classification tells `pdfpage` whether a printed line broke where it should not.
"""

from __future__ import annotations

import bisect
import re
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

from . import rules
from .metrics import text_width

GOOD, PLAIN, BAD = 0, 1, 2
_COST = {GOOD: 0.0, PLAIN: 40.0, BAD: 100_000.0}
_LINE_COST = 1000.0  # fewer lines first
_RAGGED = 60.0  # then lines of similar length (the text is centred)
_ROOM = 1.5  # points between a line's width and the same line with its next word: the paragraph's width
_SPACES = re.compile(r"( +)")
_INNER = re.compile(r"(?<=[^\s][-/–])(?=[^\s])")  # renderers may break after a hyphen or slash


class LayoutWarning(UserWarning):
    """A line had to break inside a name or a word, or a word is wider than its box."""


@dataclass(frozen=True)
class Broken:
    lines: list[str]  # joined by a space, they are the text (glued: with no-break spaces)
    ok: bool  # False: a BAD gap had to be used, or a word is wider than the box
    width: float  # points: a box this wide makes any renderer's greedy wrap give exactly `lines`


@cache
def _data() -> dict[str, Any]:
    d = rules.nd30()["line_breaking"]
    return {
        "fill": d["fill"],
        "before": _by_first([tuple(p.casefold().split()) for p in d["break_before"]]),
        "after": tuple(d["break_after"]),
        "dashes": set(d["dashes"]),
        "units": _by_first(sorted((tuple(u.casefold().split()) for u in d["unit_types"]), key=len, reverse=True)),
        "not_units": _by_first([tuple(u.casefold().split()) for u in d["not_unit_types"]]),
        "words": {tuple(w.casefold().split()) for w in d["words"]},
    }


def _by_first(phrases: list[tuple[str, ...]]) -> dict[str, list[tuple[str, ...]]]:
    """Phrases by their first word (in their order): a word only meets the phrases it can start."""
    out: dict[str, list[tuple[str, ...]]] = {}
    for p in phrases:
        out.setdefault(p[0], []).append(p)
    return out


def _starts(folded: list[str], i: int, phrases: dict[str, list[tuple[str, ...]]]) -> tuple[str, ...] | None:
    """The phrase of `phrases` that the casefolded words folded[i:] start with, if any."""
    for p in phrases.get(folded[i], ()):
        if tuple(folded[i : i + len(p)]) == p:
            return p
    return None


def _is_name_start(word: str) -> bool:
    return bool(word) and (word[0].isupper() or word[0].isdigit())


def gaps(words: list[str], *, names: bool = True, seps: list[str] | None = None) -> list[int]:
    """GOOD / PLAIN / BAD for the gap after each word but the last. `names=False` (narrow table headers):
    a name may break between its syllables when it has to."""
    d = _data()
    caps = not any(map(str.islower, "".join(words)))
    n = len(words)
    folded = [w.casefold().strip(",;:.") for w in words]
    bare = [w.casefold().strip(",;:.()") for w in words]  # each gap's pair, for nd30.yaml `words`
    # The phrase tables by first word: most words start none, so a lookup in them comes first.
    units, not_units, before = d["units"], d["not_units"], d["before"]
    after, dashes, two_words = d["after"], d["dashes"], d["words"]
    # Unit-type phrases: [start, end) spans; in capitals the name after one runs to a phrase boundary.
    unit_end: set[int] = set()  # index of the type's last word
    unit_start: set[int] = set()
    inside: set[int] = set()  # gaps inside a unit-type phrase ("THÀNH PHỐ")
    for i, f in enumerate(folded):
        if f not in units or (f in not_units and _starts(folded, i, not_units)):
            continue
        u = _starts(folded, i, units)
        if u:
            unit_start.add(i)
            unit_end.add(i + len(u) - 1)
            inside.update(range(i, i + len(u) - 1))
    out: list[int] = []
    in_name = False
    for i in range(n - 1):
        w, nxt = words[i], words[i + 1]
        if seps is not None and not seps[i]:
            kind = BAD  # inside a word
        elif w.endswith(after) or w in dashes:
            kind = GOOD
        elif nxt in dashes or i in inside or (bare[i], bare[i + 1]) in two_words:
            kind = BAD
        elif nxt[:1].isdigit():
            kind = BAD  # "năm 2026", "Quận 7", "số 144/KH-UBND"
        elif caps:
            if i in unit_end:
                in_name = True
                kind = GOOD
            elif (
                i + 1 in unit_start
                or (folded[i + 1] in before and _starts(folded, i + 1, before))
                or nxt.startswith("(")
            ):
                in_name = False
                kind = GOOD
            else:
                kind = BAD if in_name and names else PLAIN
        elif (folded[i + 1] in before and _starts(folded, i + 1, before)) or nxt.startswith("("):
            kind = GOOD
        elif _is_name_start(nxt) and (_is_name_start(w) or i in unit_end) and i + 1 not in unit_start:
            kind = BAD if names else PLAIN  # "Đồng Hỷ", "xã Đồng Hỷ", "GDTX Hải Phòng"
        else:
            kind = PLAIN
        out.append(kind)
    return out


def split(text: str) -> tuple[list[str], list[str]]:
    """Pieces and what separates them: runs of spaces (kept: a draft's date line has wide gaps), or ""
    after a hyphen or slash inside a word ("GDNN-|GDTX", "quận/|huyện"), where renderers may break too."""
    parts = _SPACES.split(text.strip())
    if _INNER.search(text) is None:  # no word to split inside
        return parts[0::2], parts[1::2]
    words: list[str] = []
    seps: list[str] = []
    for k, part in enumerate(parts):
        if k % 2:
            seps.append(part)
            continue
        pieces = _INNER.split(part)
        words += pieces
        seps += [""] * (len(pieces) - 1)
    return words, seps


def chunks(text: str, *, names: bool = True) -> list[str]:
    """The pieces no break may split: words joined across BAD gaps ("Tổng cộng", "87.000.000")."""
    words, seps = split(text)
    out = [words[0]]
    for w, sep, kind in zip(words[1:], seps, gaps(words, names=names, seps=seps), strict=True):
        if kind == BAD:
            out[-1] += sep + w
        else:
            out.append(w)
    return out


@lru_cache(maxsize=2048)  # a batch repeats most lines (Nơi nhận, signer, parent) unit after unit
def fit(
    text: str,
    box_pt: float,
    size_pt: float,
    bold: bool = False,
    italic: bool = False,
    *,
    names: bool = True,
    glue: bool = False,
    first: float = 0.0,
) -> Broken:
    """The best lines for `text` in `box_pt`: fewest lines, then the best gaps (BAD ≫ PLAIN > GOOD), then
    lines of similar length. Only breaks a greedy wrap can produce are considered, so the document needs
    no break characters: a paragraph `width` wide (by its indents) wraps exactly there in Word and
    LibreOffice, and its text stays as written. `first`: points more the first line has (a hanging "- ")."""
    limit = box_pt * _data()["fill"]
    if not text.strip() or text_width(text.strip(), size_pt, bold, italic) - first <= limit:
        return Broken([text.strip()], True, box_pt)  # most lines: one line, nothing to split
    words, seps = split(text)
    kinds = gaps(words, names=names, seps=seps)
    if glue:  # no-break spaces in the BAD gaps: "Các hoạt\u00a0động" can only break before "hoạt"
        words, seps, kinds = _glued(words, seps, kinds)
    n = len(words)

    # Widths add up (no kerning): prefix sums make any line's width one subtraction. pieces: word, its
    # separator, word, … (a line from word i to word j - 1 is pieces[2i : 2j - 1]).
    pieces = [""] * (2 * n - 1)
    pieces[0::2], pieces[1::2] = words, seps[: n - 1]
    at, total = [0.0], 0.0
    for piece in pieces:
        total += text_width(piece, size_pt, bold, italic)
        at.append(total)

    def width(i: int, j: int) -> float:
        return at[2 * j - 1] - at[2 * i] - (first if i == 0 else 0.0)

    def joined(i: int, j: int) -> str:
        return "".join(pieces[2 * i : 2 * j - 1])

    word_end = at[1::2]  # word_end[j - 1]: where a line ending after word j - 1 ends

    def greedy(w: float) -> list[int]:
        """The lines a renderer fills word by word in a box `w` wide: their ends."""
        ends, i = [], 0
        while i < n:
            j = bisect.bisect_right(word_end, at[2 * i] + w + (first if i == 0 else 0.0))
            i = j if j > i else i + 1
            ends.append(i)
        return ends

    costs, bad = _COST, _COST[BAD]

    def search(w: float) -> tuple[float, list[int]] | None:
        """Every layout a greedy wrap gives from a box `w` wide up to the full box: at each step the box
        widens to where some line takes one more word. The cheapest."""
        best: tuple[float, list[int]] | None = None
        while True:
            # greedy(w) and the layout's cost in one pass, width(i, j) written out: this loop is most of a
            # batch's line breaking
            ends: list[int] = []
            cost, used, gap, i = 0.0, 0.0, float("inf"), 0
            while i < n:
                off = first if i == 0 else 0.0
                j = bisect.bisect_right(word_end, at[2 * i] + w + off)
                if j <= i:
                    j = i + 1
                ends.append(j)
                line_w = at[2 * j - 1] - at[2 * i] - off
                if line_w > used:
                    used = line_w
                slack = (limit - line_w) / limit
                slack = slack if slack > 0.0 else 0.0
                cost += _LINE_COST + _RAGGED * slack * slack + (bad if line_w > limit else 0)
                if j < n:
                    cost += costs[kinds[j - 1]]
                    nxt = at[2 * j + 1] - at[2 * i] - off
                    if nxt < gap:
                        gap = nxt
                i = j
            # Realisable only with room to spare: the widest line fits and each line's next word does
            # not, by more than renderers' rounding (a fraction of a point).
            cost += 0.0 if gap - used >= _ROOM else _COST[BAD] / 2
            if best is None or cost < best[0]:
                best = (cost, ends)
            if gap > limit:
                return best
            w = gap

    # Layouts of at most two lines more than the fewest first; all of them only if those break badly.
    word_widths = [b - a for a, b in zip(at[0::2], word_end, strict=True)]  # word k: at[2k + 1] - at[2k]
    word_widths[0] -= first
    narrowest = max(word_widths)
    fewest = len(greedy(limit))
    start = max(narrowest, width(0, n) / (fewest + 2))
    sep = max([b - a for a, b in zip(at[1:-1:2], at[2::2], strict=True)], default=0.0)
    best = _fewest_first(search, start, width(0, n), fewest, sep)
    if best is None:
        best = search(start)
    if best is not None and best[0] >= _COST[BAD] / 2:
        best = min(best, search(narrowest) or best, key=lambda b: b[0])
    assert best is not None
    ends = best[1]
    starts = [0, *ends[:-1]]
    used = max(width(i, j) for i, j in zip(starts, ends, strict=True))
    # The widest line must fit; the next word after each line must not: the box's width lies between.
    overflow = min((width(i, j + 1) for i, j in zip(starts, ends, strict=True) if j < n), default=limit)
    box = used + min(2 * _ROOM, (overflow - used) / 2)
    ok = used <= limit and all(kinds[j - 1] != BAD for j in ends[:-1])
    lines = [joined(i, j) for i, j in zip(starts, ends, strict=True)]
    return Broken(lines, ok, min(box, box_pt))


def _fewest_first(
    search: Callable[[float], tuple[float, list[int]] | None], start: float, total: float, fewest: int, sep: float
) -> tuple[float, list[int]] | None:
    """The search from the narrowest box that can hold the text in `fewest` lines, when that finds a layout
    of `fewest` lines without a bad break: then no narrower box can win (it gives more lines, and one more
    line costs 1,000 while a layout's gaps and raggedness cost under 100 a line below ten lines), and the
    search from `start` would only add those. None: search from `start`.
    `fewest` lines at a box w hold every word but the breaks' spaces (`sep` the widest): w ≥ lower."""
    lower = (total - (fewest - 1) * sep) / fewest - 1.0  # a point less, so rounding keeps it below
    if fewest >= 10 or lower <= start:
        return None
    found = search(lower)
    if found is None or found[0] >= _COST[BAD] / 2 or len(found[1]) != fewest:
        return None
    return found


def _glued(words: list[str], seps: list[str], kinds: list[int]) -> tuple[list[str], list[str], list[int]]:
    out_w, out_s, out_k = [words[0]], [], []
    for w, sep, kind in zip(words[1:], seps, kinds, strict=True):
        if kind == BAD and sep:
            out_w[-1] += "\u00a0" * len(sep) + w
        else:
            out_w.append(w)
            out_s.append(sep)
            out_k.append(kind)
    return out_w, out_s, out_k


def warn(message: str) -> None:
    """Tell the user (the CLI prints it as "cảnh báo"); the document is still written."""
    warnings.warn(LayoutWarning(message), stacklevel=3)
