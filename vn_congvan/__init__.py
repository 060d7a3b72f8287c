"""vn_congvan: Vietnamese administrative documents of every kind of Phụ lục III, per NĐ 30/2020/NĐ-CP.

The flow, one module per step: YAML (loader) → validated model (model) → derive (derive) →
compose + render (compose, render) → check and fix (check) → export (export); parse reads documents back.

    >>> import vn_congvan
    >>> doc = vn_congvan.load("examples/seeds/001-thai-nguyen-ke-hoach.yaml")
    >>> vn_congvan.render(doc, "out/001.docx")

The public functions share their module's name (`render`, `check`, `derive`, `parse`, `aggregate`), so
they are imported here eagerly: the package attribute is bound to the function once, and importing a
submodule later never rebinds it (Python sets a package attribute only when it first loads the submodule,
which happens below). Reach a module itself with `from vn_congvan.check import check_document` or
`sys.modules["vn_congvan.check"]`; `from vn_congvan import check` is the function.
"""

from __future__ import annotations

__version__ = "0.1.0"  # before the imports: batch reads it while this package is still loading

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
