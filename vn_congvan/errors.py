"""Errors users see: plain Vietnamese, with the English term, the file, line and field."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    message: str  # Vietnamese first, English term in brackets where useful
    file: str = ""
    line: int | None = None
    column: int | None = None
    field: str = ""

    def __str__(self) -> str:
        # No file (a command-line option, a value built in Python): no made-up "<input>" place.
        where = self.file
        if self.file and self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        parts = [p for p in (where, self.field) if p]
        return ": ".join([*parts, self.message])


class FieldError(ValueError):
    """A model check about one field (dotted path): the loader reports it at that field's line."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


@dataclass
class VnCongvanError(Exception):
    """Base error; `problems` lists every problem found, not only the first."""

    problems: list[Problem] = field(default_factory=list)

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)

    @classmethod
    def one(cls, message: str, **where: object) -> VnCongvanError:
        return cls([Problem(message, **where)])  # type: ignore[arg-type]


class InputError(VnCongvanError):
    """Invalid user input (YAML, profile, CSV, options): exit status 2, no file written."""


class RenderError(VnCongvanError):
    """A template or rendering failure that is not the input's fault."""


@dataclass
class ExportError(VnCongvanError):
    """PDF export failed (no LibreOffice, a file did not convert, timeout): exit status 1.

    `written` lists the PDFs that did convert, so a caller can still report them."""

    written: list[Path] = field(default_factory=list)
