"""Where ../shared (seeds, real documents, the decree) lies: beside the clone, or VN_CONGVAN_SHARED."""

from __future__ import annotations

import os
from pathlib import Path

_ROOT = Path(__file__).resolve().parents[1]
SHARED = next(
    (
        p
        for p in (Path(os.environ.get("VN_CONGVAN_SHARED", "")), _ROOT.parent / "shared", Path("/work/shared"))
        if str(p) not in ("", ".") and (p / "seeds").is_dir()
    ),
    _ROOT.parent / "shared",
)
SEEDS = SHARED / "seeds"
REALDOCS = SHARED / "realdocs"
LAW = SHARED / "law"
