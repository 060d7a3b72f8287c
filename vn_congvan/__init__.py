"""vn_congvan: Vietnamese administrative documents of every kind of Phụ lục III, per NĐ 30/2020/NĐ-CP.

The flow, one module per step: YAML (loader) → validated model (model) → derive (derive) →
compose + render (compose, render) → check and fix (check) → export (export); parse reads documents back.

    >>> import vn_congvan
    >>> doc = vn_congvan.load("examples/seeds/001-thai-nguyen-ke-hoach.yaml")
    >>> vn_congvan.render(doc, "out/001.docx")

The public names are loaded on first use (PEP 562): `import vn_congvan` costs almost nothing, and a
command or script pays only for the modules it uses. The public functions share their module's name
(`render`, `check`, `derive`, `parse`, `aggregate`): the package attribute is always the function, also
after its submodule was imported (the import system's binding of a submodule on this package is dropped
for those names). Reach a module itself with `from vn_congvan.check import check_document` or
`sys.modules["vn_congvan.check"]`; `from vn_congvan import check` is the function.
"""

from __future__ import annotations

import importlib
import sys
from types import ModuleType
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

# Each public name and the submodule that defines it.
_PUBLIC = {
    "Document": "model",
    "InputError": "errors",
    "aggregate": "aggregate",
    "check": "check",
    "derive": "derive",
    "fix": "check.fix",
    "load": "loader",
    "parse": "parse",
    "render": "render",
    "render_bytes": "render",
    "run_batch": "batch",
    "to_pdf": "export",
}

__all__ = [
    "Document",
    "InputError",
    "__version__",
    "aggregate",
    "check",
    "derive",
    "fix",
    "load",
    "parse",
    "render",
    "render_bytes",
    "run_batch",
    "to_pdf",
]

if TYPE_CHECKING:
    from .aggregate import aggregate
    from .batch import run_batch
    from .check import check
    from .check.fix import fix
    from .derive import derive
    from .errors import InputError
    from .export import to_pdf
    from .loader import load
    from .model import Document
    from .parse import parse
    from .render import render, render_bytes


def __getattr__(name: str) -> Any:
    where = _PUBLIC.get(name)
    if where is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{where}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    loaded = (k for k, v in globals().items() if isinstance(v, ModuleType) and v.__name__.startswith(f"{__name__}."))
    return sorted({*__all__, *loaded})


class _Package(ModuleType):
    """Keeps `vn_congvan.render` (and the others) the function when `vn_congvan.render` the module loads."""

    def __setattr__(self, name: str, value: Any) -> None:
        if name in _PUBLIC and isinstance(value, ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
