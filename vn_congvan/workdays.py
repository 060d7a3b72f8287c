"""Working days (ngày làm việc) for report deadlines: Monday–Friday minus the holidays in data/holidays.yaml,
plus the Saturdays worked to swap a day off (làm bù).

Dates outside the years the file covers count weekends only; `covered(d)` tells callers when that happens.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache, lru_cache

from .rules import read_data

_DAY = timedelta(days=1)


@cache
def _calendar() -> tuple[frozenset[date], frozenset[date], frozenset[int]]:
    raw = read_data("holidays.yaml")
    days = frozenset(d for year in raw["holidays"].values() for d in year)
    saturdays = frozenset(raw.get("working_saturdays") or [])
    return days, saturdays, frozenset(int(y) for y in raw["holidays"])


def holidays(year: int | None = None) -> list[date]:
    """The listed days off (lễ, Tết, nghỉ bù, hoán đổi), of one year or all."""
    days = _calendar()[0]
    return sorted(d for d in days if year is None or d.year == year)


def covered(d: date) -> bool:
    """Whether holidays.yaml lists the holidays of `d`'s year."""
    return d.year in _calendar()[2]


def is_workday(d: date) -> bool:
    days, saturdays, _ = _calendar()
    if d in saturdays:
        return True
    return d.weekday() < 5 and d not in days


@lru_cache(maxsize=64)  # a batch's children count from the same parent deadline or campaign end
def add_workdays(d: date, n: int) -> date:
    """The n-th working day after `d` (n > 0) or before it (n < 0); n == 0 returns `d` unchanged."""
    step = _DAY if n > 0 else -_DAY
    remaining = abs(n)
    while remaining:
        d += step
        if is_workday(d):
            remaining -= 1
    return d


def subtract_workdays(d: date, n: int) -> date:
    """The n-th working day before `d`: a deadline `n` working days ahead of the parent's."""
    return add_workdays(d, -n)


def workdays_between(start: date, end: date) -> int:
    """Working days in (start, end]: how many working days `end` lies after `start` (negative if before)."""
    if end < start:
        return -workdays_between(end, start)
    count, d = 0, start
    while d < end:
        d += _DAY
        count += is_workday(d)
    return count
