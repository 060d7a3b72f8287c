"""The law as one model: ND30 elements with their line patterns (`lines`), their formats (data/nd30.yaml)
and the document kinds and issuer levels (`specs`). Compose prints with it, check and parse find with it."""

from .specs import Kind, Level, cong_van, kind, kind_by_name, kinds, level, levels, levels_of_type, territorial_levels

__all__ = [
    "Kind",
    "Level",
    "cong_van",
    "kind",
    "kind_by_name",
    "kinds",
    "level",
    "levels",
    "levels_of_type",
    "territorial_levels",
]
