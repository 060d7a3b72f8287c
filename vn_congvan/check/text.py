"""Text helpers of the checker: normal form, comparison key, the text as the page shows it."""

from __future__ import annotations

import re
import unicodedata
from functools import cache, lru_cache

from ..law import lines as L
from ..ooxml import Paragraph


@lru_cache(maxsize=2048)  # every rule asks for the same paragraphs' text; a batch's own lines churn
def norm(text: str) -> str:
    """NFC, single spaces, stripped."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip()


fold = L.fold  # the comparison key: case and tone placement ('Hoà' = 'Hòa') do not count


def display(p: Paragraph) -> str:
    """Text as it appears on the page: runs with w:caps are upper-cased."""
    return norm("".join(r.text.upper() if r.props.caps else r.text for r in p.runs))


def excerpt(text: str, limit: int = 60) -> str:
    t = norm(text)
    return t if len(t) <= limit else t[: limit - 1] + "…"


@lru_cache(maxsize=2048)
def is_caps(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters)


def empty(p: Paragraph) -> bool:
    return not p.text.strip() and not p.has_drawing


def underscores(p: Paragraph) -> bool:
    t = p.text.strip()
    return len(t) >= 3 and set(t) <= {"_"}


@cache
def font_key(name: str) -> str:
    """'Times New Roman Bold', 'TimesNewRomanPS-BoldMT' → 'timesnewroman': a face name is its family."""
    key = re.sub(r"[^a-z0-9.]", "", fold(name))
    return re.sub(r"(ps)?(bold|italic|regular|oblique)*(mt)?$", "", key) or key
