"""The data files the code reads: NĐ 30 formats and rules, the Phụ lục III kinds table."""

from __future__ import annotations

from functools import cache
from typing import Any

import yaml

from .paths import DATA


@cache
def nd30() -> dict[str, Any]:
    return yaml.safe_load((DATA / "nd30.yaml").read_text(encoding="utf-8"))


@cache
def kinds() -> dict[str, dict[str, Any]]:
    return yaml.safe_load((DATA / "kinds.yaml").read_text(encoding="utf-8"))["kinds"]


def element(name: str) -> dict[str, Any]:
    return nd30()["elements"][name]
