"""Ruled tables of a PDF page: the grid its drawn lines make, found on a render of the page.

The text layer says where each word is but not which table cell holds it. The page is rendered without
anti-aliasing (a 0.5 pt rule stays one dark pixel wide), long dark runs are its horizontal and vertical
rules, and a vertical rule counts only when it meets two horizontal ones (a letter's stem does not; a
seal over a corner may hide one end). Rules that touch make one table when they give at least two
columns; a missing rule between two slots of the grid is a merged cell. Borderless tables (the
header's two columns, the signature block) have no rules and stay lines.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

DPI = 100  # a 13 pt line is 18 px: enough to tell rules from letters, and fast
DARK = 128  # a rendered rule without anti-aliasing is black
SCAN_DARK = 160  # a scanned rule is grey and ragged
# Lengths at DPI, scaled to the image's dpi:
H_RUN = 28  # px (20 pt): the narrowest column's rule; letters are shorter
V_RUN = 8  # px (6 pt): a one-line row; letters' stems are ruled out by the two-rules test instead
TOL = 3  # px: rules that meet, the same rule drawn twice, a scan's skew


@dataclass(frozen=True)
class Rule:
    at: float  # y of a horizontal rule, x of a vertical one (px, the middle of its thickness)
    start: int  # x0 (horizontal) or y0 (vertical), px
    end: int

    def covers(self, v: float) -> bool:
        return self.start - TOL <= v <= self.end + TOL

    def meets(self, other: Rule) -> bool:
        return self.covers(other.at) and other.covers(self.at)


@dataclass(frozen=True)
class Slot:
    """A cell of the grid: rows first..last, columns first..last (0-based, inclusive), and its box in pt."""

    row: int
    last_row: int
    col: int
    last_col: int
    box: tuple[float, float, float, float]  # x0, y0, x1, y1 in PDF points


@dataclass(frozen=True)
class Grid:
    """One ruled table of a page."""

    xs: list[float]  # column boundaries, pt
    ys: list[float]  # row boundaries, pt
    cells: list[Slot]

    @property
    def box(self) -> tuple[float, float, float, float]:
        return self.xs[0], self.ys[0], self.xs[-1], self.ys[-1]

    def holds(self, x: float, y: float) -> bool:
        x0, y0, x1, y1 = self.box
        return x0 <= x <= x1 and y0 <= y <= y1

    def cell_at(self, x: float, y: float) -> Slot | None:
        for c in self.cells:
            x0, y0, x1, y1 = c.box
            if x0 <= x <= x1 and y0 <= y <= y1:
                return c
        return None


def _runs(dark: np.ndarray, least: int) -> list[tuple[int, int, int]]:
    """(row, start, end) of every run of dark pixels at least `least` long, row by row (end exclusive)."""
    import numpy as np

    h, w = dark.shape
    padded = np.zeros((h, w + 2), dtype=np.int8)
    padded[:, 1:-1] = dark
    step = np.diff(padded, axis=1)
    rows, starts = np.nonzero(step == 1)
    _, ends = np.nonzero(step == -1)  # row-major order: the k-th end closes the k-th start
    keep = ends - starts >= least
    return list(zip(rows[keep].tolist(), starts[keep].tolist(), ends[keep].tolist(), strict=True))


def _rules(runs: list[tuple[int, int, int]]) -> list[Rule]:
    """Runs on neighbouring rows that overlap: one rule drawn a few pixels thick."""
    open_: list[list[int]] = []  # [first row, last row, start, end]
    done: list[list[int]] = []
    for row, start, end in runs:
        for r in open_:
            if r[1] in (row, row - 1) and start < r[3] and r[2] < end:
                r[1], r[2], r[3] = row, min(r[2], start), max(r[3], end)
                break
        else:
            open_.append([row, row, start, end])
        done += [r for r in open_ if r[1] < row - 1]
        open_ = [r for r in open_ if r[1] >= row - 1]
    return [Rule((a + b) / 2, s, e) for a, b, s, e in done + open_]


def _cluster(values: list[float]) -> list[float]:
    out: list[list[float]] = []
    for v in sorted(values):
        if out and v - out[-1][-1] <= TOL:
            out[-1].append(v)
        else:
            out.append([v])
    return [sum(c) / len(c) for c in out]


def find_image(pnm: bytes, dpi: float = DPI, dark: int = DARK) -> list[Grid]:
    """The ruled tables of a page image, a binary PPM (P6) or PGM (P5) rendered at `dpi`. Only black and
    grey print counts as dark: a red seal or a blue signature over the table draws no rules."""
    import numpy as np

    from .ocr import _pnm  # the one PNM header reader

    (w, h, _), pixels = _pnm(pnm)
    if pnm.startswith(b"P6"):
        rgb = np.frombuffer(pixels, dtype=np.uint8, count=w * h * 3).reshape(h, w, 3)
        black = rgb[:, :, 0] < dark
        for c in (1, 2):
            black &= rgb[:, :, c] < dark
        return find(black, dpi)
    return find(np.frombuffer(pixels, dtype=np.uint8, count=w * h).reshape(h, w) < dark, dpi)


def find(dark: np.ndarray, dpi: float = DPI) -> list[Grid]:
    """The ruled tables of a page whose dark pixels are `dark` at `dpi`, top to bottom, cells in points."""
    if (k := round(dpi / DPI)) > 1:  # a scan at 200 dpi: pooled to DPI, where the lengths below hold
        h, w = dark.shape[0] // k * k, dark.shape[1] // k * k
        dark = dark[:h, :w].reshape(h // k, k, w // k, k).any(axis=(1, 3))
        dpi /= k
    across = _rules(_runs(dark, H_RUN))
    if len(across) < 2:
        return []  # most pages: no rules, or a line under the header
    down = _rules(_runs(dark.T, V_RUN))
    down = [v for v in down if sum(v.meets(h) for h in across) >= 2]
    # Rules that meet, joined (union-find over horizontals 0..n-1 and verticals n..)
    parent = list(range(len(across) + len(down)))

    def root(k: int) -> int:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    for j, v in enumerate(down):
        for i, h in enumerate(across):
            if h.meets(v):
                parent[root(i)] = root(len(across) + j)
    groups: dict[int, tuple[list[Rule], list[Rule]]] = {}
    for j, v in enumerate(down):
        groups.setdefault(root(len(across) + j), ([], []))[1].append(v)
    for i, h in enumerate(across):
        if root(i) in groups:
            groups[root(i)][0].append(h)
    scale = 72 / dpi
    grids = [_grid(hs, vs, scale) for hs, vs in groups.values()]
    return sorted((g for g in grids if g is not None), key=lambda g: g.ys[0])


def _grid(across: list[Rule], down: list[Rule], scale: float) -> Grid | None:
    xs, ys = _cluster([v.at for v in down]), _cluster([h.at for h in across])
    if len(xs) < 3 or len(ys) < 2:
        return None  # a framed paragraph or a box: one column is no table

    def wall(x: float, y: float) -> bool:  # a vertical rule at x through y
        return any(abs(v.at - x) <= TOL and v.start <= y <= v.end for v in down)

    def floor(y: float, x: float) -> bool:  # a horizontal rule at y under x
        return any(abs(h.at - y) <= TOL and h.start <= x <= h.end for h in across)

    taken: set[tuple[int, int]] = set()
    cells: list[Slot] = []
    for i in range(len(ys) - 1):
        ymid = (ys[i] + ys[i + 1]) / 2
        for j in range(len(xs) - 1):
            if (i, j) in taken:
                continue
            last = j
            while last + 2 < len(xs) and not wall(xs[last + 1], ymid):
                last += 1
            bottom = i
            while bottom + 2 < len(ys) and not any(
                floor(ys[bottom + 1], (xs[k] + xs[k + 1]) / 2) for k in range(j, last + 1)
            ):
                bottom += 1
            taken |= {(r, k) for r in range(i, bottom + 1) for k in range(j, last + 1)}
            box = (xs[j] * scale, ys[i] * scale, xs[last + 1] * scale, ys[bottom + 1] * scale)
            cells.append(Slot(i, bottom, j, last, box))
    return Grid([x * scale for x in xs], [y * scale for y in ys], cells)
