"""Text helpers of the checker: normal form, comparison key, the text as the page shows it."""

from __future__ import annotations

import re
from functools import cache

from ..law import lines as L
from ..law.find import empty, facts_of, is_caps, norm, underscores  # noqa: F401  (the checker reads them here)
from ..ooxml import Paragraph

fold = L.fold  # the comparison key: case and tone placement ('Hoà' = 'Hòa') do not count


def display(p: Paragraph) -> str:
    """Text as it appears on the page: runs with w:caps are upper-cased."""
    return p.once(_display)


def _display(p: Paragraph) -> str:
    return norm("".join(r.text.upper() if r.props.caps else r.text for r in p.runs))


def normal(p: Paragraph) -> str:
    """norm(p.text), from the finder's facts of the line (worked out once per text, most often while locating)."""
    return facts_of(p.text).norm


def excerpt(text: str, limit: int = 60) -> str:
    t = norm(text)
    return t if len(t) <= limit else t[: limit - 1] + "…"


@cache
def font_key(name: str) -> str:
    """'Times New Roman Bold', 'TimesNewRomanPS-BoldMT' → 'timesnewroman': a face name is its family."""
    key = re.sub(r"[^a-z0-9.]", "", fold(name))
    return re.sub(r"(ps)?(bold|italic|regular|oblique)*(mt)?$", "", key) or key
