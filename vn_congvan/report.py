"""Báo cáo figures: where a report's tables are, and filling them from a CSV file (`figures_csv`).

A figures CSV is one row per table row: `id,<figure key>,…` (e.g. `id,so_luong,nguoi`), UTF-8 (Excel's
BOM accepted), separated by commas or semicolons (Vietnamese Excel writes ';' because ',' is the
decimal mark). Lines starting with '#' are comments. A blank cell stays blank in the report; every
other cell must be a non-negative number ("1.250.000", "12,5"). Errors name the CSV file and line.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import InputError, Problem
from .model import Block, DataTable, Document, Section, TableBlock, blank, parse_figure

Where = tuple[str, int | None]  # file, line


def _block_tables(blocks: list[Block]) -> Iterator[DataTable]:
    for b in blocks:
        if isinstance(b, TableBlock):
            yield b.table
        elif isinstance(b, Section):
            yield from _block_tables(b.content)
            for task in b.tasks:
                yield from _block_tables(task.duties)


def tables(doc: Document) -> Iterator[DataTable]:
    """Every table of the document in reading order: body, then each phụ lục (content, then form)."""
    yield from _block_tables(doc.body)
    for a in doc.appendices:
        yield from _block_tables(a.content)
        if a.form is not None:
            yield from _block_tables(a.form.body)


def _raw_block_tables(blocks: Any, path: tuple[str | int, ...]) -> Iterator[tuple[tuple[str | int, ...], Any]]:
    if not isinstance(blocks, list):
        return
    for i, b in enumerate(blocks):
        if not isinstance(b, dict):
            continue
        if isinstance(b.get("table"), dict):
            yield (*path, i, "table"), b["table"]
        elif "heading" in b:
            yield from _raw_block_tables(b.get("content"), (*path, i, "content"))
            for j, task in enumerate(b.get("tasks") or []):
                if isinstance(task, dict):
                    yield from _raw_block_tables(task.get("duties"), (*path, i, "tasks", j, "duties"))


def raw_table_paths(data: dict[str, Any]) -> list[tuple[str | int, ...]]:
    """Paths of the tables in the loader's raw data, in the order of `tables()` (for file:line)."""
    out = [p for p, _ in _raw_block_tables(data.get("body"), ("body",))]
    for i, a in enumerate(data.get("appendices") or []):
        if isinstance(a, dict):
            out += [p for p, _ in _raw_block_tables(a.get("content"), ("appendices", i, "content"))]
            form = a.get("form")
            if isinstance(form, dict):
                out += [p for p, _ in _raw_block_tables(form.get("body"), ("appendices", i, "form", "body"))]
    return out


def figure_table(doc: Document) -> tuple[int, DataTable] | None:
    """The report's statistics table: the first one with figure columns."""
    for i, t in enumerate(tables(doc)):
        if t.figure_keys():
            return i, t
    return None


# ---------------------------------------------------------------- CSV


@dataclass
class CsvRow:
    line: int
    values: dict[str, str]


def read_csv(path: Path) -> tuple[list[str], list[CsvRow]]:
    """Header (lower-cased, stripped) and rows with their line numbers; InputError if unreadable."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputError.one("không tìm thấy tệp số liệu (CSV file not found)", file=str(path)) from None
    except UnicodeDecodeError as exc:
        raise InputError.one(f"tệp CSV không phải UTF-8 (encoding): byte {exc.start}", file=str(path)) from None
    lines = [(n, line) for n, line in enumerate(text.splitlines(), 1) if line.strip() and not line.startswith("#")]
    if not lines:
        raise InputError.one("tệp CSV rỗng (empty file)", file=str(path))
    first = lines[0][1]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO("\n".join(line for _, line in lines)), delimiter=delimiter)
    records = list(reader)
    header = [h.strip().lower() for h in records[0]]
    rows = []
    for (n, _), record in zip(lines[1:], records[1:], strict=True):
        if len(record) > len(header):
            raise InputError.one(
                f"dòng có {len(record)} ô nhưng tiêu đề có {len(header)} cột (too many cells)", file=str(path), line=n
            )
        rows.append(CsvRow(n, {h: (record[i].strip() if i < len(record) else "") for i, h in enumerate(header)}))
    return header, rows


def read_figures(path: Path, table: DataTable) -> tuple[dict[str, dict[str, str]], dict[tuple[str, str], Where]]:
    """A unit's figures CSV checked against `table`: values by row id and key, and each cell's line."""
    header, rows = read_csv(path)
    file = str(path)
    problems: list[Problem] = []
    keys = table.figure_keys()
    ids = {r.id for r in table.rows if r.id is not None}
    if "id" not in header:
        raise InputError.one(f"tệp số liệu cần cột 'id' (row id) và các cột {', '.join(keys)}", file=file, line=1)
    for h in header:
        if h != "id" and h not in keys:
            problems.append(Problem(f"cột '{h}' không phải cột số liệu của bảng; có: {', '.join(keys)}", file, 1))
    values: dict[str, dict[str, str]] = {}
    where: dict[tuple[str, str], Where] = {}
    for row in rows:
        rid = row.values["id"]
        if rid not in ids:
            problems.append(Problem(f"không có hàng (row) id '{rid}' trong bảng", file, row.line))
            continue
        if rid in values:
            problems.append(Problem(f"hàng (row) id '{rid}' bị lặp (duplicate)", file, row.line))
            continue
        values[rid] = {}
        for k in keys:
            raw = row.values.get(k, "")
            if blank(raw):
                continue
            try:
                parse_figure(raw)
            except ValueError as exc:
                problems.append(Problem(f"hàng (row) '{rid}', cột '{k}': {exc}", file, row.line))
                continue
            values[rid][k] = raw
            where[(rid, k)] = (file, row.line)
    if problems:
        raise InputError(problems)
    return values, where


def fill_figures(doc: Document, base: Path | None) -> tuple[Document, dict[tuple[int, str, str], Where]]:
    """A copy of `doc` whose tables with `figures_csv` carry the CSV's figures; and where each came from,
    by (table index, row id, key). Tables without figures_csv are left as written."""
    if not any(t.figures_csv for t in tables(doc)):
        return doc, {}
    doc = doc.model_copy(deep=True)
    where: dict[tuple[int, str, str], Where] = {}
    problems: list[Problem] = []
    for i, t in enumerate(tables(doc)):
        if not t.figures_csv:
            continue
        path = Path(t.figures_csv)
        if not path.is_absolute() and base is not None:
            path = base / path
        try:
            values, lines = read_figures(path, t)
        except InputError as exc:
            problems += exc.problems
            continue
        for row in t.rows:
            for k, raw in values.get(row.id or "", {}).items():
                assert row.__pydantic_extra__ is not None
                row.__pydantic_extra__[k] = raw
                where[(i, row.id or "", k)] = lines[(row.id or "", k)]
        t.figures_csv = None  # read once: the figures are now in the table
    if problems:
        raise InputError(problems)
    return doc, where


def with_figures(doc: Document, base: Path | None = None) -> Document:
    """`doc` with its figures_csv files read (relative to `base`, the YAML's folder)."""
    return fill_figures(doc, base)[0]
