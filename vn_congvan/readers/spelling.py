"""OCR spelling: words Tesseract read with a wrong tone or vowel mark, put right from their neighbours.

Tesseract's Vietnamese model loses or swaps a mark on one letter ("vê việc", "bồ sung", "phát triên") and
leaves a word that is Vietnamese all the same, so no list of syllables can tell. Its neighbours can:
`data/bigrams.csv` (built by scripts/build_bigrams.py from the decree, its Phụ lục and the project's own
text, never from the documents the benchmark measures) counts which syllables follow which. A word is
changed only
- to a word spelt with the same letters (`law.lines.bare`: marks and đ's bar aside),
- when the likeliest reading of its run of lines (a Viterbi pass over the candidates) takes the other
  spelling, the new word makes a pair with a neighbour that is seen often and above chance (`_enough`; a
  word the corpus knows needs a neighbour that calls for the new one), and the word as read is seen beside
  neither neighbour (a word that already fits its context is kept),
- and never inside a proper name (`_protect`): a person's name, a name the unit table knows.
Whole phrases the model is known to misread (data/ocr_confusions.yaml, `correct`) are put right first,
also where a line break falls inside them. Each change is returned as a `Change`.
"""

from __future__ import annotations

import itertools
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

from ..law.lines import bare, person_name
from ..paths import DATA
from ..rules import read_data
from .legacy import recase
from .quality import is_syllable

NUMBER = "#"  # every number is one token for the counts: "số 1050" is "số #"
_TOKEN = re.compile(r"[^\W\d_]+|\d+")
_END = re.compile(r"[.!?…](?=\s|$)")  # a sentence's end: no context across it
_ADDRESS = {"ông", "bà"}  # and "đồng chí": a person's name follows
NAME_RUN = 3  # capitalised words in a row that make a name (a person's: họ, tên đệm, tên)
_LINE_END = re.compile(rf"{_END.pattern}|\n")  # or a line break
CHANGE_COST = math.log(1e-3)  # the odds against a word being misread, in the Viterbi pass
SMOOTH = 2.0  # weight of a word's overall frequency against what follows one word
MIN_PAIR = 3  # a change needs a pair seen this often beside the new word…
MIN_ASSOC = 10  # …this many times more often than chance…
KNOWN = 10  # …and, for a word as read seen this often, a neighbour…
SELECT = 0.45  # …that has the new word beside it in this share of its pairs


@dataclass(frozen=True)
class Change:
    """One word put right: where (page and line index of the OCR output), the word read, the word written,
    and the pairs of `data/bigrams.csv` that chose it (empty for a known phrase of ocr_confusions.yaml)."""

    page: int
    line: int
    before: str
    after: str
    evidence: tuple[tuple[str, int], ...] = ()

    def __str__(self) -> str:
        why = ", ".join(f"'{p}' {n}×" for p, n in self.evidence)
        return f"{self.before} → {self.after}" + (f" ({why})" if why else "")


def key(token: str) -> str:
    return NUMBER if token.isdigit() else unicodedata.normalize("NFC", token).lower()


def _countable(k: str) -> bool:
    return k == NUMBER or is_syllable(k)


def pairs(text: str) -> Iterator[tuple[str, str]]:
    """The pairs of neighbouring tokens of a text as `data/bigrams.csv` counts them (lower case; a number
    is "#"); no pair spans a sentence's end or a line break, nor holds a token that is no syllable."""
    for part in _LINE_END.split(unicodedata.normalize("NFC", text)):
        keys = [key(t) for t in _TOKEN.findall(part)]
        for a, b in itertools.pairwise(keys):
            if _countable(a) and _countable(b):
                yield a, b


@dataclass(frozen=True)
class Lexicon:
    pairs: dict[tuple[str, str], int]
    left: Counter[str]  # how often a word stands first in a pair
    right: Counter[str]  # how often a word stands second
    freq: Counter[str]  # how often a word occurs in any pair
    total: int
    spellings: dict[str, tuple[str, ...]]  # bare letters -> the words spelt with them

    def n(self, a: str, b: str) -> int:
        return self.pairs.get((a, b), 0)

    def assoc(self, a: str, b: str) -> float:
        """How many times more often the pair is seen than its words' frequencies give by chance."""
        return self.n(a, b) * self.total / (self.left[a] * self.right[b] or 1)

    def logp(self, a: str | None, b: str) -> float:
        """log P(b | a), the pair's count smoothed by b's own frequency (a None: b opens a sentence)."""
        unigram = (self.freq[b] + 0.5) / (self.total + 0.5 * len(self.freq))
        if a is None:
            return math.log(unigram)
        return math.log((self.n(a, b) + SMOOTH * unigram) / (self.left[a] + SMOOTH))


@cache
def lexicon() -> Lexicon:
    table: dict[tuple[str, str], int] = {}
    for row in (DATA / "bigrams.csv").read_text(encoding="utf-8").splitlines():
        pair, _, n = row.rpartition(",")
        a, b = pair.split(" ")
        table[a, b] = int(n)
    left: Counter[str] = Counter()
    right: Counter[str] = Counter()
    for (a, b), n in table.items():
        left[a] += n
        right[b] += n
    freq = left + right
    spellings: dict[str, list[str]] = {}
    for w in freq:
        if w != NUMBER:
            spellings.setdefault(bare(w), []).append(w)
    return Lexicon(table, left, right, freq, sum(table.values()), {k: tuple(v) for k, v in spellings.items()})


@cache
def _names() -> frozenset[tuple[str, ...]]:
    """Proper names the data knows, as lower-case syllables: unit names (both eras) and person names."""
    from .. import units

    names = {u.name for era in (units.LEGACY, units.ERA_2025) for u in units.all_units(era=era)}
    names |= set(read_data("person_names.yaml"))
    return frozenset(tuple(key(t) for t in _TOKEN.findall(n)) for n in names if not n.isdigit())


@dataclass
class _Tok:
    text: str
    start: int
    end: int
    opens: bool  # no context before it (a sentence starts)
    fixed: bool = False  # a proper name, a number, a code: kept as read


def _tokens(text: str) -> list[_Tok]:
    out: list[_Tok] = []
    pos = 0
    for m in _TOKEN.finditer(text):
        opens = not out or bool(_END.search(text, pos, m.start()))
        out.append(_Tok(m.group(0), m.start(), m.end(), opens))
        pos = m.end()
    _protect(text, out)
    return out


def _protect(text: str, toks: list[_Tok]) -> None:
    """Kept as read: numbers and codes ("BGDĐT"); a line that is a person's name (a signer's, as
    law.lines.person_name reads it); NAME_RUN or more capitalised words in a row ("Nguyễn Văn Hòa" is no
    "văn hóa") and any after "ông", "bà", "đồng chí"; names the unit table or the person-name data knows
    (not all in lower case: "Chư Păh" is a district, "ghi chư" is "ghi chú")."""
    for t in toks:
        t.fixed = not _countable(key(t.text))
    start = 0
    for line in text.split("\n"):
        if person_name(line):
            for t in toks:
                t.fixed |= start <= t.start < start + len(line)
        start += len(line) + 1
    keys = [key(t.text) for t in toks]
    i = 0
    while i < len(toks):  # runs of capitalised words one space apart
        j = i
        while j < len(toks) and _title(toks[j].text) and (j == i or text[toks[j - 1].end : toks[j].start] == " "):
            j += 1
        after = i > 0 and (keys[i - 1] in _ADDRESS or keys[i - 2 : i] == ["đồng", "chí"])
        if j - i >= NAME_RUN or (after and j > i):
            for t in toks[i:j]:
                t.fixed = True
        i = max(j, i + 1)
    names = _names()
    for size in (4, 3, 2):
        for i in range(len(toks) - size + 1):
            if tuple(keys[i : i + size]) in names and any(not toks[k].text.islower() for k in range(i, i + size)):
                for k in range(i, i + size):
                    toks[k].fixed = True


def _title(t: str) -> bool:
    return t[:1].isupper() and (len(t) == 1 or t[1:].islower())


def _candidates(t: _Tok, lex: Lexicon) -> list[str]:
    k = key(t.text)
    if t.fixed:
        return [k]
    return [k, *(w for w in lex.spellings.get(bare(k), ()) if w != k)]


def _viterbi(toks: list[_Tok], lex: Lexicon) -> list[str]:
    """The likeliest words of a run of tokens: pair probabilities, and CHANGE_COST for each word changed."""
    if not toks:
        return []
    cands = [_candidates(t, lex) for t in toks]
    cost = [[CHANGE_COST * (c != key(t.text)) for c in cs] for t, cs in zip(toks, cands, strict=True)]
    score = [[lex.logp(None, c) + cost[0][j] for j, c in enumerate(cands[0])]]
    back: list[list[int]] = [[0] * len(cands[0])]
    for i in range(1, len(toks)):
        row, ptr = [], []
        for j, c in enumerate(cands[i]):
            if toks[i].opens:
                best = max(range(len(cands[i - 1])), key=lambda p: score[-1][p])
                row.append(score[-1][best] + lex.logp(None, c) + cost[i][j])
            else:
                options = [score[-1][p] + lex.logp(prev, c) for p, prev in enumerate(cands[i - 1])]
                best = max(range(len(options)), key=options.__getitem__)
                row.append(options[best] + cost[i][j])
            ptr.append(best)
        score.append(row)
        back.append(ptr)
    j = max(range(len(cands[-1])), key=lambda p: score[-1][p])
    out = []
    for i in range(len(toks) - 1, -1, -1):
        out.append(cands[i][j])
        j = back[i][j]
    return out[::-1]


def _support(words: list[str], toks: list[_Tok], i: int, w: str, lex: Lexicon) -> list[tuple[str, str, int]]:
    """The pairs of the lexicon `w` makes at position i with the neighbours in `words`, with their counts."""
    out = []
    if i > 0 and not toks[i].opens and (n := lex.n(words[i - 1], w)):
        out.append((words[i - 1], w, n))
    if i + 1 < len(toks) and not toks[i + 1].opens and (n := lex.n(w, words[i + 1])):
        out.append((w, words[i + 1], n))
    return out


def _enough(support: list[tuple[str, str, int]], known: bool, lex: Lexicon) -> bool:
    """Whether the pairs a new word makes with its neighbours clearly favour it. A pair counts when it is seen
    MIN_PAIR times (once or twice is noise in a corpus this size) and MIN_ASSOC times more often than its
    words' frequencies give by chance ("và tham" is chance, "thẩm quyền" is not; a number's pairs, "số 1050",
    always count). A word as read that the corpus knows (seen KNOWN times) is replaced only when the
    neighbour calls for the new word: it stands beside it in SELECT of the neighbour's pairs ("hướng" →
    "dẫn", "hệ" → "thống"; "cho" → "mọi" is not enough to change a "mỗi")."""
    strong = [(a, b, n) for a, b, n in support if n >= MIN_PAIR and (NUMBER in (a, b) or lex.assoc(a, b) >= MIN_ASSOC)]
    if not known:
        return bool(strong)
    return any(max(n / lex.left[a], n / lex.right[b]) >= SELECT for a, b, n in strong)


def _choose(toks: list[_Tok], lex: Lexicon) -> list[tuple[str, tuple[tuple[str, int], ...]]]:
    """(word, evidence) for each token: the Viterbi reading, each change kept only while the context clearly
    favours it (seen beside a neighbour, the word as read seen beside none)."""
    read = [key(t.text) for t in toks]
    words = _viterbi(toks, lex)
    while True:
        undo = [
            i
            for i, w in enumerate(words)
            if w != read[i]
            and (
                not _enough(_support(words, toks, i, w, lex), lex.freq[read[i]] >= KNOWN, lex)
                or _support(read, toks, i, read[i], lex)
                or _support(words, toks, i, read[i], lex)
            )
        ]
        if not undo:
            break
        for i in undo:
            words[i] = read[i]
    return [
        (w, tuple((f"{a} {b}", n) for a, b, n in _support(words, toks, i, w, lex)) if w != read[i] else ())
        for i, w in enumerate(words)
    ]


def correct_text(text: str) -> tuple[str, list[tuple[int, str, str, tuple[tuple[str, int], ...]]]]:
    """A text (lines joined by "\\n", which is no break of context) with its misread words put right, and
    (offset in `text`, word read, word written, evidence) for each change."""
    toks = _tokens(text)
    chosen = _choose(toks, lexicon())
    out, changes, pos = [], [], 0
    for t, (w, evidence) in zip(toks, chosen, strict=True):
        if w == key(t.text):
            continue
        new = recase(w, t.text)
        out += [text[pos : t.start], new]
        pos = t.end
        changes.append((t.start, t.text, new, evidence))
    out.append(text[pos:])
    return "".join(out), changes


@cache
def _confusions() -> tuple[re.Pattern[str], dict[str, str]]:
    """data/ocr_confusions.yaml: misread phrase (case-folded) -> the phrase, and one pattern finding them
    (a line break may fall between their words)."""
    data = read_data("ocr_confusions.yaml")["phrases"]
    table = {unicodedata.normalize("NFC", k).lower(): unicodedata.normalize("NFC", v) for k, v in data.items()}
    alts = "|".join(r"\s+".join(map(re.escape, k.split(" "))) for k in sorted(table, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alts})(?!\w)", re.IGNORECASE), table


def _phrases(text: str) -> tuple[str, list[tuple[int, str, str]]]:
    """The known misread phrases put right (their case and line breaks kept), and (offset, read, written)."""
    pattern, table = _confusions()
    text = unicodedata.normalize("NFC", text)
    out, changes, pos = [], [], 0
    for m in pattern.finditer(text):
        got = m.group(0)
        want = table[re.sub(r"\s+", " ", got.lower())]
        want = recase(want, got)
        gaps, words = re.findall(r"\s+", got), want.split(" ")
        if len(gaps) == len(words) - 1:
            want = "".join(w + g for w, g in zip(words, [*gaps, ""], strict=True))
        out += [text[pos : m.start()], want]
        pos = m.end()
        changes.append((m.start(), got, want))
    out.append(text[pos:])
    return "".join(out), changes


def correct(text: str) -> str:
    """Phrases the Vietnamese OCR model misreads, as printed: "GIÁM ĐÓC" → "GIÁM ĐỐC", "Giây phép" → "Giấy
    phép" (the line's case kept)."""
    return _phrases(text)[0]


def correct_pages(pages: list[list[tuple[str, str]]]) -> tuple[list[list[tuple[str, str]]], list[Change]]:
    """OCR pages of (text, where) lines with the misread words put right, and each change. The context runs
    over consecutive lines of one block (the same `where`: the running text, one column of the header)."""
    out: list[list[tuple[str, str]]] = []
    changes: list[Change] = []
    for p, page in enumerate(pages, 1):
        lines = list(page)
        start = 0
        while start < len(lines):
            end = start + 1
            while end < len(lines) and lines[end][1] == lines[start][1]:
                end += 1
            read = "\n".join(t for t, _ in lines[start:end])
            text, found = _phrases(read)
            changes += [
                Change(p, start + read.count("\n", 0, at), " ".join(a.split()), " ".join(b.split()))
                for at, a, b in found
            ]
            fixed, words = correct_text(text)
            changes += [Change(p, start + text.count("\n", 0, at), a, b, ev) for at, a, b, ev in words]
            for k, t in enumerate(fixed.split("\n")):
                lines[start + k] = (t, lines[start + k][1])
            start = end
        out.append(lines)
    return out, changes


def summary(changes: list[Change], shown: int = 8) -> str:
    """What the reader's warnings say: how many words were put right, and the first few."""
    listed = ", ".join(f"'{c.before}' → '{c.after}'" for c in changes[:shown])
    more = f" và {len(changes) - shown} chỗ khác" if len(changes) > shown else ""
    return f"sửa chính tả OCR theo ngữ cảnh (OCR spelling) {len(changes)} chỗ: {listed}{more}"
