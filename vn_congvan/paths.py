"""Where the data lives: package data beside the code, Word templates and profiles at the project root."""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
DATA = PACKAGE / "data"
HOME = Path(os.environ.get("VN_CONGVAN_HOME") or PACKAGE.parent)
TEMPLATES = HOME / "templates"
PROFILES = HOME / "profiles"
