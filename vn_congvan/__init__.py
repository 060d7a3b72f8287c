"""vn_congvan: Vietnamese administrative documents (công văn, kế hoạch, báo cáo) per NĐ 30/2020/NĐ-CP.

The flow, one module per step: YAML (loader) → validated model (model) → derive (derive) →
compose + render (compose, render) → check (check) → export (export).

    >>> import vn_congvan
    >>> doc = vn_congvan.load("examples/seeds/001-thai-nguyen-ke-hoach.yaml")
    >>> vn_congvan.render(doc, "out/001.docx")
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

__version__ = "0.1.0"

_API = {
    "load": "loader",
    "Document": "model",
    "render": "render",
    "render_bytes": "render",
    "derive": "derive",
    "parse": "parse",
    "check": "check",
    "fix": "check.fix",
    "to_pdf": "export",
    "aggregate": "aggregate",
    "run_batch": "batch",
    "InputError": "errors",
}

__all__ = [*_API, "__version__"]


def __getattr__(name: str) -> Any:
    # Import on first use: `import vn_congvan` stays fast and free of import cycles.
    if name in _API:
        return getattr(import_module(f".{_API[name]}", __name__), name)
    raise AttributeError(name)
