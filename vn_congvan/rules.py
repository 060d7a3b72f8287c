"""The data files the code reads: NĐ 30 formats and rules, the Phụ lục III kinds table."""

from __future__ import annotations

from functools import cache
from typing import Any

import yaml

from .paths import DATA


def read_data(name: str) -> Any:
    """A file of vn_congvan/data parsed, with libyaml's safe loader when installed: the same data in a tenth
    of the time (every command starts by reading some)."""
    text = (DATA / name).read_text(encoding="utf-8")
    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


@cache
def nd30() -> dict[str, Any]:
    return read_data("nd30.yaml")


@cache
def kinds() -> dict[str, dict[str, Any]]:
    return read_data("kinds.yaml")["kinds"]


def element(name: str) -> dict[str, Any]:
    return nd30()["elements"][name]


def header_table(level: str | None = None) -> tuple[int, int]:
    """(left, right) column widths in twips of the header table of `level`'s template."""
    spec = nd30()["header_table"]
    widths = spec.get("by_level", {}).get(level, spec)
    return widths["left"], widths["right"]
