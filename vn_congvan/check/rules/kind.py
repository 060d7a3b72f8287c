"""The structure a kind's data asks for (data/kinds.yaml): the thẩm quyền line and "QUYẾT ĐỊNH:" of
Mẫu 1.1–1.3, Điều numbered in order, and the labelled lines a giấy mời or biên bản must carry."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ... import law
from ...law import lines as L
from ...ooxml import Paragraph
from ..locate import Located
from ..report import Finding
from ..text import fold, norm
from .base import Rule, fmt_problems, register


def _enacting(d: Located) -> Paragraph | None:
    want = fold(d.kind.enacting or "").rstrip(":").strip() if d.kind else ""
    return next((p for p in d.body if want and fold(norm(p.text)).rstrip(": ") == want), None)


@register
class Enacting(Rule):
    """'QUYẾT ĐỊNH:' ('QUYẾT NGHỊ:') on its own line between the căn cứ and the articles: caps, bold, centred."""

    id = "QD-01"

    def check(self, d: Located) -> Iterator[Finding]:
        if d.kind is None or not d.kind.enacting:
            return
        p = _enacting(d)
        if p is None:
            yield self.missing(d.tl.text if d.tl is not None else "")
            return
        probs = fmt_problems(p, "ban_hanh")
        if not norm(p.text).endswith(":"):
            probs.append("kết thúc bằng dấu ':'")
        if probs:
            yield self.finding(p.text, "; ".join(probs))


@register
class Authority(Rule):
    """The thẩm quyền ban hành line over the căn cứ (Mẫu 1.1–1.3): caps, bold, centred."""

    id = "QD-02"

    def check(self, d: Located) -> Iterator[Finding]:
        if d.kind is None or not d.kind.authority_required or not d.basis:
            return
        if not d.authority:
            yield self.missing(d.basis[0].text)
        for p in d.authority:
            if probs := fmt_problems(p, "tham_quyen"):
                yield self.finding(p.text, "; ".join(probs))


@register
class Articles(Rule):
    """Điều of the body numbered 1, 2, 3 … in order, each opening with a bold 'Điều N.'."""

    id = "QD-03"

    def check(self, d: Located) -> Iterator[Finding]:
        if d.kind is None or d.kind.body != "dieu":
            return
        start = _enacting(d)
        body = d.body[d.body.index(start) + 1 :] if start is not None else d.body
        numbers = [(p, int(m["n"])) for p in body if (m := L.DIEU.match(norm(p.text)))]
        if not numbers:
            yield self.missing(start.text if start is not None else "")
            return
        for k, (p, n) in enumerate(numbers, 1):
            if n != k:
                yield self.finding(p.text, f"Điều {n} đứng ở vị trí thứ {k}")
                return


@register
class KindFields(Rule):
    """What a kind's Mẫu asks the body to say (kinds.yaml `fields`): a giấy mời's time and place, a biên bản's
    time, place and thành phần; found however a received document words them (`field_words`)."""

    id = "KIND-01"

    def check(self, d: Located) -> Iterator[Finding]:
        fields = d.kind.fields_for(" ".join(norm(p.text) for p in d.ty)) if d.kind is not None else ()
        if not fields:
            return
        body = fold(" ".join(norm(p.text) for p in d.body))
        words = law.specs.field_words()
        missing = [f for f in fields if not any(re.search(fold(w), body) for w in words.get(f, [re.escape(f)]))]
        if missing:
            where = d.tl.text if d.tl is not None else ""
            yield self.finding(where, f"{d.kind.name.lower()} thiếu: {', '.join(missing)}")
