"""Capitalisation (Phụ lục II): names of bodies, citations, special nouns, holidays, days and months."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache, lru_cache
from re import _parser  # type: ignore[attr-defined]  # the stdlib's own pattern parser (needles)
from typing import NamedTuple

from ... import rules as data
from ...ooxml import Paragraph
from ..locate import Located, paragraph_judgment
from ..report import Finding
from ..text import normal
from .base import Rule, register


class _Said(NamedTuple):
    """What CAP-01 … CAP-04 say of one line (the line's normal form decides it all)."""

    wrong: tuple[tuple[str, str], ...]  # CAP-01
    upper: str | None  # CAP-02
    lower: str | None  # CAP-02
    people: str | None  # CAP-03
    special: tuple[tuple[str, str], ...]  # CAP-04


def _said(d: Located) -> list[tuple[str, _Said]]:
    """(text, what the CAP rules say of it) of every paragraph they have something to say of, in order: one
    walk and one lookup per paragraph for the four rules, which then read only their hits."""
    return d.once(_said_list)


def _said_list(d: Located) -> list[tuple[str, _Said]]:
    return [(p.text, said[_SLOT]) for _, p, said in d.judged if said[_SLOT] is not None]


def _line_said(p: Paragraph) -> _Said | None:
    t = normal(p)
    return _text_said(t) if t else None


_SLOT = paragraph_judgment(_line_said)


@lru_cache(maxsize=2048)  # files read one by one share no paragraphs, but their lines repeat
def _text_said(t: str) -> _Said | None:
    for w in _words():  # most lines hold none of the words any of the four rules looks for
        if w in t:
            break
    else:
        return None
    said = _Said(_wrong_hits(t), *_citation_hits(t), _people_hit(t), _special_hits(t))
    return said if any(said) else None


@cache
def _words() -> tuple[str, ...]:
    """Strings one of which a line must hold for a CAP rule to say something of it (each rule's own test
    below looks for these first)."""
    words = [w for w, _ in _wrong()] + [*_DIEU_WORDS, *_KHOAN_WORDS, *_people(), *(w for w, _ in _special()[0])]
    return tuple(dict.fromkeys(words))


@register
class AgencyNames(Rule):
    """'Ủy ban nhân dân', 'Sở Giáo dục và Đào tạo': only the first syllable and proper names in capitals."""

    id = "CAP-01"

    def check(self, d: Located) -> Iterator[Finding]:
        seen: set[str] = set()
        for raw, said in _said(d):
            for wrong, right in said.wrong:
                if wrong not in seen:
                    seen.add(wrong)
                    yield self.finding(raw, f"'{wrong}' → '{right}'")


def _wrong_hits(t: str) -> tuple[tuple[str, str], ...]:
    return tuple((wrong, right) for wrong, right in _wrong() if wrong in t)


@cache
def _wrong() -> tuple[tuple[str, str], ...]:
    return tuple((w["wrong"], w["right"]) for w in data.nd30()["capitalisation_wrong"])


_DIEU = re.compile(r"\b(điều|chương|tiểu mục) (\d+|[IVXLC]+)\b(?! năm)")
_KHOAN = re.compile(r"[a-zđà-ỹ,] (Khoản \d+|Điểm [a-zđ]\b)")
# the words one of which every match of _DIEU, of _KHOAN holds: each is searched only where one is found
_DIEU_WORDS, _KHOAN_WORDS = ("điều ", "chương ", "tiểu mục "), ("Khoản ", "Điểm ")


@register
class Citations(Rule):
    """Citing a document's parts: Phần, Chương, Mục, Điều capitalised; khoản, điểm in lower case."""

    id = "CAP-02"

    def check(self, d: Located) -> Iterator[Finding]:
        done = set()
        for raw, said in _said(d):
            if said.upper and "upper" not in done:
                done.add("upper")
                yield self.finding(raw, said.upper)
            if said.lower and "lower" not in done:
                done.add("lower")
                yield self.finding(raw, said.lower)


def _citation_hits(t: str) -> tuple[str | None, str | None]:
    """What CAP-02 says of `t`: a part cited in lower case, a khoản or điểm cited in capitals."""
    m = _DIEU.search(t) if any(w in t for w in _DIEU_WORDS) else None
    k = _KHOAN.search(t) if any(w in t for w in _KHOAN_WORDS) else None
    upper = f"'{m.group(0)}' → '{m.group(1).capitalize()} {m.group(2)}'" if m else None
    return upper, f"'{k.group(1)}' viết thường" if k else None


@register
class SpecialNouns(Rule):
    """'Nhà nước', 'Nhân dân' used as proper nouns are capitalised."""

    id = "CAP-03"

    def check(self, d: Located) -> Iterator[Finding]:
        for raw, said in _said(d):
            if said.people is not None:
                yield self.finding(raw, f"'{said.people}'")
                return


def _people_hit(t: str) -> str | None:
    for ph in _people():
        if ph in t:
            return ph
    return None


@cache
def _people() -> tuple[str, ...]:
    return tuple(data.nd30()["check"]["people_phrases"])


@cache
def _special() -> tuple[tuple[tuple[str, int], ...], tuple[tuple[re.Pattern[str], str], ...]]:
    """The words one of which a line must hold for a capitalisation_special pattern to be searched there,
    each with its row (a search costs 3 µs per 100 characters: a leading \\b keeps re from scanning for a
    literal prefix; a line new to the batch is tested against 7 patterns), and each pattern with its right
    spelling."""
    rows = data.nd30()["capitalisation_special"]
    words = tuple((w, i) for i, row in enumerate(rows) for w in needles(row["pattern"]))
    return words, tuple((re.compile(row["pattern"]), row["right"]) for row in rows)


def _special_hits(t: str) -> tuple[tuple[str, str], ...]:
    """(what matched, its right spelling) of every capitalisation_special pattern found in `t`."""
    words, each = _special()
    rows = {i for w, i in words if w in t}
    if not rows:
        return ()
    found = ((right, pattern.search(t)) for i, (pattern, right) in enumerate(each) if i in rows)
    return tuple((m.group(0), right) for right, m in found if m)


def needles(pattern: str) -> tuple[str, ...]:
    """Strings one of which every match of `pattern` holds: the longest run of plain characters of its
    top level, or one per alternative of a top-level '|'. ('',) (found in any text) when there is none or
    case is ignored."""
    parsed = _parser.parse(pattern)
    if parsed.state.flags & re.IGNORECASE:
        return ("",)
    return _needles(list(parsed)) or ("",)


def _needles(seq: list[tuple[object, object]]) -> tuple[str, ...]:
    best: tuple[str, ...] = ()
    run = ""
    for op, arg in [*seq, (None, None)]:
        if op is _parser.LITERAL:
            run += chr(arg)  # type: ignore[arg-type]
            continue
        found = [(run,)] if run else []
        run = ""
        if op is _parser.BRANCH:
            alts = [_needles(list(alt)) for alt in arg[1]]  # type: ignore[index]
            found += [tuple(n for alt in alts for n in alt)] if all(alts) else []
        for cand in found:  # the candidate whose shortest string is longest: the fewest false hits
            if not best or min(map(len, cand)) > min(map(len, best)):
                best = cand
    return best


@register
class HolidaysAndDays(Rule):
    """Holidays ('ngày Quốc khánh'), tết ('tết Nguyên đán'), days and months in words ('thứ Hai', 'tháng Năm')."""

    id = "CAP-04"

    def check(self, d: Located) -> Iterator[Finding]:
        seen: set[str] = set()
        for raw, said in _said(d):
            for found, right in said.special:
                if right not in seen:
                    seen.add(right)
                    yield self.finding(raw, f"'{found}' → '{right}'")
