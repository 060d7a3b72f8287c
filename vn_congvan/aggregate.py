"""Tổng hợp: sum many units' report figures into the higher level's table.

Inputs are báo cáo YAML files (their statistics table: the first table with figure columns, figures
written in the YAML or read from its `figures_csv`) and CSV files with the columns `unit,id,<figure
key>,…` (one line per unit and row; without a `unit` column the file name is the unit). The table
layout (rows, labels, units of measure) comes from `form`, a báo cáo YAML of the higher level, or else
from the first YAML report. Every row a unit must fill (a row's `figures`, default all figure columns)
must hold a non-negative number: text, negative or missing figures are all reported at once, each with
its unit, row and file:line, and nothing is summed or guessed.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path
from typing import Any

from . import loader, report
from .appendix import label
from .errors import InputError, Problem
from .model import (
    Appendix,
    Column,
    DataTable,
    Document,
    Section,
    TableBlock,
    TableRow,
    blank,
    format_figure,
    parse_figure,
)

Number = int | Decimal
UNIT_KEY = "u{}"  # per-unit column keys in the per-unit tables
TOTAL_KEY = "tong"
UNIT_TYPES = ("Phường", "Xã", "Thị trấn", "Đặc khu", "Quận", "Huyện", "Thị xã", "Thành phố", "Trường")


@dataclass
class SummaryRow:
    id: str | None
    row: TableRow  # the form's row: labels, unit of measure, which figures it carries
    figures: list[str]
    totals: dict[str, Number] = field(default_factory=dict)
    by_unit: dict[str, dict[str, Number]] = field(default_factory=dict)


@dataclass
class Summary:
    table: DataTable  # the form's layout
    units: list[str]
    rows: list[SummaryRow]
    sources: list[Path]
    form: Document | None = None  # the higher level's báo cáo, if given or taken from a report
    per_unit: bool = False

    def total(self, row_id: str, key: str) -> Number:
        return next(r for r in self.rows if r.id == row_id).totals[key]

    def value(self, unit: str, row_id: str, key: str) -> Number:
        return next(r for r in self.rows if r.id == row_id).by_unit[unit][key]

    # -- outputs

    def totals_table(self) -> DataTable:
        """The form's table with the totals in its figure cells."""
        t = self.table.model_copy(deep=True)
        for row, s in zip(t.rows, self.rows, strict=True):
            assert row.__pydantic_extra__ is not None
            for k, v in s.totals.items():
                row.__pydantic_extra__[k] = format_figure(v)
        t.figures_csv = None
        return t

    def unit_table(self, key: str) -> DataTable:
        """One figure column across the units: <labels before the figures> | unit 1 … unit n | Tổng cộng."""
        leaves = self.table.leaves()
        first = next(i for i, c in enumerate(leaves) if c.figures)
        labels = [c.model_copy() for c in leaves[:first]]
        title = next(c.title for c in leaves if c.key == key)
        # Narrow columns: "Tân Phú" under a "… (phường)" header rather than "Phường" wrapping in every cell.
        kind = next((k for k in UNIT_TYPES if all(u.startswith(k + " ") for u in self.units)), None)
        names = [u.removeprefix(f"{kind} ") for u in self.units] if kind else self.units
        if kind:
            title = f"{title} ({kind.lower()})"
        units = [Column(title=u, key=UNIT_KEY.format(n), figures=True, width=1.0) for n, u in enumerate(names)]
        units.append(Column(title="Tổng cộng", key=TOTAL_KEY, figures=True, width=1.1))
        rows = []
        for s in self.rows:
            values: dict[str, Any] = {c.key: s.row.values().get(c.key or "") for c in labels}
            if key in s.figures:
                for n, u in enumerate(self.units):
                    values[UNIT_KEY.format(n)] = format_figure(s.by_unit[u][key])
                values[TOTAL_KEY] = format_figure(s.totals[key])
            rows.append(TableRow(id=s.id, group=s.row.group, figures=[], **values))
        # Many narrow columns: 11 pt (nd30.yaml `bang` allows 11–14) keeps "1.250.000" on one line.
        size = 22 if len(self.units) > 6 else None
        return DataTable(columns=[*labels, Column(title=title, columns=units)], rows=rows, font_size=size)

    def document(self) -> Document:
        """The tổng hợp báo cáo: the form with totals; per unit, one landscape phụ lục per figure column."""
        if self.form is None:
            raise InputError.one("cần văn bản mẫu tổng hợp (--form) để dựng .docx (summary form)")
        doc = self.form.model_copy(deep=True)
        before = len(doc.appendices)
        if self.per_unit:
            for key in self.table.figure_keys():
                title = next(c.title for c in self.table.leaves() if c.key == key)
                doc.appendices.append(
                    Appendix(
                        title=[f"Số liệu theo đơn vị: {title}"],
                        orientation="landscape",
                        content=[TableBlock(table=self.unit_table(key))],
                    )
                )
        # The body names its phụ lục (NĐ 30 PL I III.1.a), right after the totals.
        added = [label(doc, i) for i in range(before, len(doc.appendices))]
        note = f"Số liệu của từng đơn vị tại {' và '.join(added)} kèm theo." if added else None
        replaced = False

        def swap(blocks: list[Any]) -> None:
            nonlocal replaced
            for i, b in enumerate(blocks):
                if replaced:
                    return
                if isinstance(b, TableBlock) and b.table.figure_keys():
                    blocks[i] = TableBlock(table=self.totals_table())
                    if note:
                        blocks.insert(i + 1, note)
                    replaced = True
                elif isinstance(b, Section):
                    swap(b.content)

        swap(doc.body)
        for a in doc.appendices[:before]:
            swap(a.content)
        return doc

    def to_data(self) -> dict[str, Any]:
        def plain(v: Number) -> int | str:
            return v if isinstance(v, int) else str(v)

        rows = []
        for s in self.rows:
            out: dict[str, Any] = {"id": s.id, "label": _label(self.table, s.row)}
            if s.figures:
                out["totals"] = {k: plain(v) for k, v in s.totals.items()}
                if self.per_unit:
                    out["by_unit"] = {u: {k: plain(v) for k, v in s.by_unit[u].items()} for u in self.units}
            rows.append(out)
        columns = [{"key": c.key, "title": c.title} for c in self.table.leaves() if c.figures]
        return {
            "units": list(self.units),
            "sources": [str(p) for p in self.sources],
            "columns": columns,
            "rows": rows,
        }


def _label(table: DataTable, row: TableRow) -> str:
    """The row's wording for messages: its longest text cell ("Các lớp bồi dưỡng…"), not the STT."""
    texts = [str(v) for c in table.leaves() if not c.figures and not blank(v := row.values().get(c.key or ""))]
    return max(texts, key=len, default=row.id or "")


def _short(text: str, n: int = 60) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


@dataclass
class _Unit:
    name: str
    file: str
    values: dict[str, dict[str, Any]]  # row id -> key -> raw
    where: dict[tuple[str, str], tuple[str, int | None]]  # (row id, key) -> file, line
    line: int | None = None  # where the unit is declared


def _from_yaml(path: Path) -> tuple[_Unit, Document, DataTable]:
    data, marks = loader.load_data(path)
    try:
        doc = loader.validate(data, marks)
    except InputError as exc:  # say whose report it is: the unit, as a tổng hợp is read unit by unit
        issuer = data.get("issuer") if isinstance(data.get("issuer"), dict) else {}
        who = data.get("unit") or issuer.get("name") or path.stem
        raise InputError([replace(p, message=f"{who}: {p.message}") for p in exc.problems]) from None
    doc, csv_where = report.fill_figures(doc, path.parent)
    found = report.figure_table(doc)
    if found is None:
        raise InputError.one("báo cáo không có bảng số liệu (no table with figures columns)", file=str(path))
    index, table = found
    raw_path = report.raw_table_paths(data)[index]
    values: dict[str, dict[str, Any]] = {}
    where: dict[tuple[str, str], tuple[str, int | None]] = {}
    for n, row in enumerate(table.rows):
        rid = row.id or ""
        values[rid] = {k: row.values().get(k) for k in table.figure_keys()}
        for k in table.figure_keys():
            mark = marks.get((*raw_path, "rows", n, k)) or marks.get((*raw_path, "rows", n))
            yaml_where = (mark.file, mark.line) if mark else (str(path), None)
            where[(rid, k)] = csv_where.get((index, rid, k)) or yaml_where
    unit_mark = marks.get(("unit",))
    name = doc.unit or doc.issuer.name
    return _Unit(name, str(path), values, where, unit_mark.line if unit_mark else None), doc, table


def _from_csv(path: Path) -> list[_Unit]:
    header, rows = report.read_csv(path)
    if "id" not in header:
        raise InputError.one("tệp số liệu cần cột 'id' (row id)", file=str(path), line=1)
    units: dict[str, _Unit] = {}
    for row in rows:
        name = row.values.get("unit") or path.stem
        unit = units.setdefault(name, _Unit(name, str(path), {}, {}, row.line))
        rid = row.values["id"]
        if rid in unit.values:
            raise InputError.one(f"{name}: hàng (row) '{rid}' bị lặp (duplicate)", file=str(path), line=row.line)
        unit.values[rid] = {k: v for k, v in row.values.items() if k not in ("unit", "id")}
        for k in unit.values[rid]:
            unit.where[(rid, k)] = (str(path), row.line)
    return list(units.values())


def aggregate(report_paths: list[Path | str], *, per_unit: bool = False, form: Path | str | None = None) -> Summary:
    """Sum the reports' figures row by row; InputError lists every bad, negative or missing figure."""
    if not report_paths:
        raise InputError.one("cần ít nhất một báo cáo (no reports given)")
    units: list[_Unit] = []
    problems: list[Problem] = []
    layout: tuple[Document, DataTable] | None = None
    if form is not None:
        form_doc = loader.load(form)
        found = report.figure_table(form_doc)
        if found is None:
            raise InputError.one("văn bản mẫu không có bảng số liệu (form has no figures table)", file=str(form))
        layout = (form_doc, found[1])
    for p in map(Path, report_paths):
        try:
            if p.suffix.lower() == ".csv":
                units += _from_csv(p)
            else:
                unit, doc, table = _from_yaml(p)
                units.append(unit)
                layout = layout or (doc, table)
        except InputError as exc:
            problems += exc.problems
    if problems:
        raise InputError(problems)
    if layout is None:
        raise InputError.one("chỉ có tệp CSV: cần --form (báo cáo mẫu có bảng số liệu) để biết các hàng")
    table = layout[1]
    summary_form = layout[0] if form is not None else None  # a unit's own report is no summary's header
    keys = table.figure_keys()

    seen: dict[str, _Unit] = {}
    for u in units:
        if u.name in seen:
            problems.append(
                Problem(f"đơn vị '{u.name}' có hai báo cáo (duplicate unit), cả ở {seen[u.name].file}", u.file, u.line)
            )
        seen[u.name] = u
    missing_ids = [n for n, r in enumerate(table.rows, 1) if r.id is None and table.row_figures(r)]
    if missing_ids:
        problems.append(
            Problem(
                f"bảng mẫu: các hàng thứ {', '.join(map(str, missing_ids))} có số liệu nhưng chưa có id (row id)",
                str(form or units[0].file),
            )
        )
    if problems:
        raise InputError(problems)

    rows = [SummaryRow(r.id, r, table.row_figures(r)) for r in table.rows]
    known = {r.id for r in table.rows}
    for u in units:
        extra = sorted({k for vals in u.values.values() for k in vals if k not in keys})
        if extra:
            problems.append(
                Problem(
                    f"{u.name}: cột {', '.join(extra)} không phải cột số liệu của bảng mẫu; có: {', '.join(keys)}",
                    u.file,
                    u.line,
                )
            )
        for rid in u.values:
            if rid not in known:
                file, line = next((w for (i, _), w in u.where.items() if i == rid), (u.file, u.line))
                problems.append(
                    Problem(f"{u.name}: hàng (row) '{rid}' không có trong bảng mẫu (unknown row)", file, line)
                )
        for s in rows:
            if not s.figures:
                continue
            label = _short(_label(table, s.row))
            got = u.values.get(s.id or "", {})
            s.by_unit[u.name] = {}
            for k in s.figures:
                title = next(c.title for c in table.leaves() if c.key == k)
                file, line = u.where.get((s.id or "", k), (u.file, u.line))
                where = f"{u.name}: hàng (row) {s.id} «{label}», cột (column) «{title}»"
                raw = got.get(k)
                if blank(raw):
                    problems.append(Problem(f"{where}: thiếu số liệu (missing figure)", file, line))
                    continue
                try:
                    s.by_unit[u.name][k] = parse_figure(raw)
                except ValueError as exc:
                    problems.append(Problem(f"{where}: {exc}", file, line))
    if problems:
        raise InputError(problems)
    for s in rows:
        for k in s.figures:
            s.totals[k] = sum((s.by_unit[u.name][k] for u in units), start=0)
    return Summary(table, [u.name for u in units], rows, [Path(p) for p in report_paths], summary_form, per_unit)
