"""One descriptor: an attribute worked out on its first read, then kept as the instance's own."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, TypeVar

T = TypeVar("T")


class lazy(Generic[T]):
    """functools.cached_property without its lock (Python 3.11 takes one at every first read, and the checker
    reads dozens of these per document). After the first read the value is in the instance's __dict__, which
    Python looks in before a descriptor without __set__: no call at all from then on."""

    __slots__ = ("compute", "name")

    def __init__(self, compute: Callable[[Any], T]) -> None:
        self.compute = compute
        self.name = compute.__name__

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name  # also for a lambda: `norm = lazy(lambda f: …)`

    def __get__(self, obj: Any, owner: type | None = None) -> T:
        if obj is None:
            return self  # type: ignore[return-value]
        value = obj.__dict__[self.name] = self.compute(obj)
        return value
