"""A rule is one small class: its ID, the document classes it applies to, `check` (findings on a located
document) and, where safe, `fix`. Severity, message, law reference and the message for a missing element
are data (nd30.yaml `rules`); the class docstring is the rule's documentation."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any, ClassVar

from ... import rules as data
from ...metrics import text_width
from ...ooxml import Paragraph
from ..locate import Located, cell_margins
from ..report import Finding
from ..text import display, excerpt, is_caps

REGISTRY: dict[str, type[Rule]] = {}
ADMIN = frozenset({"hanh_chinh"})
ANY_DOCX = frozenset({"hanh_chinh", "phu_luc_rieng"})


class Rule:
    id: ClassVar[str]
    applies_to: ClassVar[frozenset[str]] = ADMIN
    # A rule with a mechanical edit defines `fix(self, d: Located) -> list[str]`: it edits the located
    # elements' XML in place (check/edit.py) and says what it changed ('element: before → after'); check/fix.py
    # drives them. A rule whose repair needs a person (a missing element, a wording) has none.
    fix_safety: ClassVar[str] = "safe"  # as in ruff: "unsafe" fixes (a guess) run only with --unsafe-fixes
    fix_stage: ClassVar[int] = 1  # 0: page and table geometry, fixed first (the other fixes measure against it)
    opt_in: ClassVar[bool] = False  # beyond NĐ 30 (file properties): `check` runs it only when selected

    @classmethod
    def has_fix(cls) -> bool:
        return callable(getattr(cls, "fix", None))

    @classmethod
    def meta(cls) -> dict[str, Any]:
        return data.nd30()["rules"][cls.id]

    @classmethod
    def severity(cls) -> str:
        return str(cls.meta()["severity"])

    @classmethod
    def ref(cls) -> str:
        return str(cls.meta()["ref"])

    @classmethod
    def doc(cls) -> str:
        return (cls.__doc__ or cls.meta()["message"]).strip()

    def check(self, d: Located) -> Iterator[Finding]:
        raise NotImplementedError

    # reporting helpers
    def finding(self, where: str = "", detail: str = "", *, severity: str | None = None) -> Finding:
        msg = self.meta()["message"] + (f" ({detail})" if detail else "")
        return Finding(self.id, severity or self.severity(), msg, excerpt(where))

    def missing(self, where: str = "") -> Finding:
        meta = self.meta()
        return Finding(self.id, self.severity(), meta.get("missing", meta["message"]), excerpt(where))


def register(cls: type[Rule]) -> type[Rule]:
    assert cls.id in data.nd30()["rules"], f"{cls.id}: no row in nd30.yaml rules"
    assert cls.id not in REGISTRY, f"{cls.id} registered twice"
    REGISTRY[cls.id] = cls
    return cls


def in_range(value: int | None, rng: list[int]) -> bool:
    return value is not None and rng[0] <= value <= rng[1]


def fmt_problems(p: Paragraph, elem: str, *, check_caps: bool = True) -> list[str]:
    """What in `p` differs from nd30.yaml elements.<elem> (size range, bold, italic, caps, alignment)."""
    return list(p.once(_fmt_problems, elem, check_caps))


def _fmt_problems(p: Paragraph, elem: str, check_caps: bool) -> tuple[str, ...]:
    spec = data.element(elem)
    runs = p.visible_runs()
    out: list[str] = []
    if runs:  # plain loops: a line new to a batch is judged here by several rules (no generator frames)
        # A line's size is that of the runs holding its text: a small drafter's note '(Bích)' is not judged.
        # A drafter's note in the line, '(T.Q.Hùng)' or subscript, is not judged either.
        texts = [r.text.strip() for r in runs]
        least = 0.3 * (sum(map(len, texts)) or 1)
        sizes = set()
        for r, t in zip(runs, texts, strict=True):
            if len(t) >= least and not r.props.vert_align and not _NOTE.fullmatch(t):
                sizes.add(r.props.size)
        lo, hi = spec["range"]
        for size in sizes:
            if size is None or not lo <= size <= hi:
                shown = ", ".join("?" if s is None else f"{s / 2:g}" for s in sorted(sizes, key=lambda s: s or 0))
                out.append(f"cỡ chữ {shown} pt, cần {lo / 2:g}–{hi / 2:g}")
                break
        if len(runs) > 1:  # a ':' may differ in style
            runs = [r for r in runs if any(map(str.isalpha, r.text))] or runs
        for attr, yes, no in _EMPHASIS:
            if attr not in spec:
                continue
            if spec[attr]:
                for r in runs:
                    if not getattr(r.props, attr):
                        out.append(yes)
                        break
            else:
                for r in runs:
                    if getattr(r.props, attr):
                        out.append(no)
                        break
    if check_caps and spec.get("caps") and not is_caps(display(p)):
        out.append("chưa in hoa")
    align = spec.get("align")
    if align == "center" and p.align != "center":
        wrong = "chưa canh giữa"
    elif align == "both" and p.align != "both":
        wrong = "chưa canh đều hai lề"
    elif align == "left" and p.align not in (None, "left", "both"):
        wrong = "chưa canh trái"
    else:
        return tuple(out)
    # A line pushed into place with leading spaces looks centred on the page: its alignment is not judged.
    # So does a line that fills its table cell, whatever its alignment.
    if not (p.text[:2].isspace() or p.text.startswith("\t") or _fills_cell(p)):
        out.append(wrong)
    return tuple(out)


_EMPHASIS = (("bold", "chưa in đậm", "không được in đậm"), ("italic", "chưa in nghiêng", "không được in nghiêng"))
_NOTE = re.compile(r"\(.*\)")  # a drafter's note: '(Bích)'


def _fills_cell(p: Paragraph) -> bool:
    width = p.cell.effective_width if p.cell is not None else None
    if not width:
        return False
    used = sum(text_width(r.text, (r.props.size or 24) / 2, r.props.bold) * 20 for r in p.visible_runs())
    return used >= 0.9 * (width - cell_margins())


def fmt_check(rule: Rule, p: Paragraph, elem: str, *, check_caps: bool = True) -> Iterator[Finding]:
    probs = p.once(_fmt_problems, elem, check_caps)
    if probs:
        yield rule.finding(p.text, "; ".join(probs))
