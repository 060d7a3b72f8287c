"""WordprocessingML snippets the renderer emits. Formatting lives in the template's named styles;
code only chooses the style, and sets what depends on the text (a short line's indents)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from markupsafe import Markup, escape


@dataclass(frozen=True)
class Run:
    text: str
    bold: bool = False
    italic: bool = False


def run(r: Run) -> str:
    props = ("<w:b/><w:bCs/>" if r.bold else "") + ("<w:i/><w:iCs/>" if r.italic else "")
    rpr = f"<w:rPr>{props}</w:rPr>" if props else ""
    return f'<w:r>{rpr}<w:t xml:space="preserve">{escape(r.text)}</w:t></w:r>'


def paragraph(style: str, runs: Iterable[Run] = (), *, ind: tuple[int, int] | None = None) -> Markup:
    """A whole <w:p>; `ind` = (left, right) twips, used for short lines drawn as a bottom border."""
    ppr = f'<w:pStyle w:val="{style}"/>'
    if ind is not None:
        ppr += f'<w:ind w:left="{ind[0]}" w:right="{ind[1]}"/>'
    return Markup(f"<w:p><w:pPr>{ppr}</w:pPr>{''.join(run(r) for r in runs)}</w:p>")
