"""Capitalisation (Phụ lục II): names of bodies, citations, special nouns, holidays, days and months."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache, lru_cache

from ... import rules as data
from ..locate import Located
from ..report import Finding
from ..text import norm
from .base import Rule, register


def _texts(d: Located) -> list[tuple[str, str]]:
    """(normal form, text) of every paragraph with text."""
    return d.once(_text_list)


def _text_list(d: Located) -> list[tuple[str, str]]:
    return [(t, p.text) for p in d.paras if (t := norm(p.text))]


@register
class AgencyNames(Rule):
    """'Ủy ban nhân dân', 'Sở Giáo dục và Đào tạo': only the first syllable and proper names in capitals."""

    id = "CAP-01"

    def check(self, d: Located) -> Iterator[Finding]:
        seen: set[str] = set()
        for t, raw in _texts(d):
            for wrong, right in _wrong_hits(t):
                if wrong not in seen:
                    seen.add(wrong)
                    yield self.finding(raw, f"'{wrong}' → '{right}'")


@lru_cache(maxsize=2048)  # a batch's documents share most lines: each is searched once
def _wrong_hits(t: str) -> tuple[tuple[str, str], ...]:
    return tuple((w["wrong"], w["right"]) for w in data.nd30()["capitalisation_wrong"] if w["wrong"] in t)


_DIEU = re.compile(r"\b(điều|chương|tiểu mục) (\d+|[IVXLC]+)\b(?! năm)")
_KHOAN = re.compile(r"[a-zđà-ỹ,] (Khoản \d+|Điểm [a-zđ]\b)")


@register
class Citations(Rule):
    """Citing a document's parts: Phần, Chương, Mục, Điều capitalised; khoản, điểm in lower case."""

    id = "CAP-02"

    def check(self, d: Located) -> Iterator[Finding]:
        said = set()
        for t, raw in _texts(d):
            upper, lower = _citation_hits(t)
            if upper and "upper" not in said:
                said.add("upper")
                yield self.finding(raw, upper)
            if lower and "lower" not in said:
                said.add("lower")
                yield self.finding(raw, lower)


@lru_cache(maxsize=2048)
def _citation_hits(t: str) -> tuple[str | None, str | None]:
    """What CAP-02 says of `t`: a part cited in lower case, a khoản or điểm cited in capitals."""
    m, k = _DIEU.search(t), _KHOAN.search(t)
    upper = f"'{m.group(0)}' → '{m.group(1).capitalize()} {m.group(2)}'" if m else None
    return upper, f"'{k.group(1)}' viết thường" if k else None


@register
class SpecialNouns(Rule):
    """'Nhà nước', 'Nhân dân' used as proper nouns are capitalised."""

    id = "CAP-03"

    def check(self, d: Located) -> Iterator[Finding]:
        for t, raw in _texts(d):
            ph = _people_hit(t)
            if ph is not None:
                yield self.finding(raw, f"'{ph}'")
                return


@lru_cache(maxsize=2048)
def _people_hit(t: str) -> str | None:
    return next((ph for ph in data.nd30()["check"]["people_phrases"] if ph in t), None)


@cache
def _special() -> list[tuple[re.Pattern[str], str]]:
    return [(re.compile(row["pattern"]), row["right"]) for row in data.nd30()["capitalisation_special"]]


@lru_cache(maxsize=2048)  # the same lines come back document after document in a batch
def _special_hits(t: str) -> tuple[tuple[str, str], ...]:
    """(what matched, its right spelling) of every capitalisation_special pattern found in `t`."""
    return tuple((m.group(0), right) for pattern, right in _special() if (m := pattern.search(t)))


@register
class HolidaysAndDays(Rule):
    """Holidays ('ngày Quốc khánh'), tết ('tết Nguyên đán'), days and months in words ('thứ Hai', 'tháng Năm')."""

    id = "CAP-04"

    def check(self, d: Located) -> Iterator[Finding]:
        seen: set[str] = set()
        for t, raw in _texts(d):
            for found, right in _special_hits(t):
                if right not in seen:
                    seen.add(right)
                    yield self.finding(raw, f"'{found}' → '{right}'")
