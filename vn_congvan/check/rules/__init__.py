"""The rule registry: one module per group of ND30 elements, one class per rule ID (see base.Rule).
A new rule: its row in data/nd30.yaml `rules`, one class with @register, one folder tests/rules/<ID>/."""

from . import appendix, body, caps, header, kind, meta, number, page, signer, title  # noqa: F401 - they register
from .base import REGISTRY, Rule

__all__ = ["REGISTRY", "Rule"]
