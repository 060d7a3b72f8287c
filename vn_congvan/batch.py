"""A plan for every unit: derive and render one child per commune (or district), in parallel.

Each unit's result is independent: a failure is recorded in the manifest and the others go on.
Files get deterministic ASCII names with the unit code, are written atomically, and a re-run
skips units whose inputs did not change (same input → same bytes, so the check stays valid).
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path

from . import __version__, units, zipwrite
from .derive import derive, issuer_for_unit
from .errors import InputError, VnCongvanError
from .loader import load
from .model import Document
from .render import compiled_template, render_bytes, template_for, write_atomic

MANIFEST = "manifest.json"


@dataclass
class Entry:
    code: str
    name: str
    file: str | None = None
    sha256: str | None = None
    check: str | None = None  # "ok", "errors: …" or None when not checked
    error: str | None = None
    input_key: str | None = None
    skipped: bool = False


def ascii_slug(text: str) -> str:
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def file_name(unit: units.Unit) -> str:
    """Only ASCII letters, digits and '-': a unit name can never become a path."""
    return f"{ascii_slug(unit.code) or 'x'}-{ascii_slug(unit.full_name)}.docx"


def select_units(
    parent: Document, spec: str, *, as_of: date, parent_unit: str | None, province: str | None = None
) -> list[units.Unit]:
    """`all`, a comma-separated list of names under the issuer's unit, or a CSV file."""
    if spec.endswith(".csv"):
        return units.read_units_csv(Path(spec), as_of=as_of)
    place = parent_unit or parent.issuer.place
    under = units.children(place, province=province, as_of=as_of)
    if not under:  # a commune's plan: nothing below it in the unit data
        raise InputError.one(
            f"'{place}' không có đơn vị hành chính trực thuộc (no units below it): batch lập kế hoạch cho các đơn vị "
            "cấp dưới của cơ quan ban hành; hãy cho danh sách bằng --units FILE.csv (code,name,type)",
            field="--units",
        )
    if spec == "all":
        return under
    wanted = [s.strip() for s in spec.split(",") if s.strip()]
    by_name = {units.normalise_name(u.full_name): u for u in under}
    chosen, missing = [], []
    for name in wanted:
        unit = by_name.get(units.normalise_name(name))
        (chosen if unit else missing).append(unit or name)
    if missing:
        raise InputError.one(
            f"không có đơn vị trực thuộc (unit not found): {', '.join(map(str, missing))}", field="--units"
        )
    return chosen


def _digest(*parts: bytes | str) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(part.encode() if isinstance(part, str) else part)
        h.update(b"\0")
    return h.hexdigest()


@dataclass(frozen=True)
class Job:
    plan: Path
    as_of: date
    outdir: Path
    check: bool
    plan_key: str


_PLAN: dict[Path, Document] = {}


def _parent(plan: Path) -> Document:
    # Loaded once per worker process, not once per unit.
    if plan not in _PLAN:
        _PLAN[plan] = load(plan)
    return _PLAN[plan]


def render_unit(job: Job, unit: units.Unit) -> Entry:
    entry = Entry(code=unit.code, name=unit.full_name, file=file_name(unit))
    entry.input_key = _digest(job.plan_key, json.dumps(asdict(unit), sort_keys=True, ensure_ascii=False))
    try:
        child = derive(_parent(job.plan), issuer_for_unit(unit, as_of=job.as_of), as_of=job.as_of).document
        data = render_bytes(child)
        target = job.outdir / entry.file
        write_atomic(target, data)
        entry.sha256 = hashlib.sha256(data).hexdigest()
        if job.check:
            from .check import check

            report = check(target)
            entry.check = "ok" if report.ok else "errors: " + ", ".join(sorted(report.rule_ids("error")))
    except VnCongvanError as exc:
        entry.error = str(exc)
    except Exception as exc:  # one unit's bug must not stop the other units
        entry.error = f"{type(exc).__name__}: {exc}"
    return entry


def _render_chunk(job: Job, chunk: list[units.Unit]) -> list[Entry]:
    return [render_unit(job, u) for u in chunk]


def _progress(done: int, total: int) -> None:
    if sys.stderr.isatty():
        width = 30
        filled = width * done // max(total, 1)
        sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
        if done == total:
            sys.stderr.write("\n")
        sys.stderr.flush()


def _chunks(items: Sequence[units.Unit], size: int) -> Iterator[list[units.Unit]]:
    for i in range(0, len(items), size):
        yield list(items[i : i + size])


def run_batch(
    plan: Path,
    selected: Sequence[units.Unit],
    outdir: Path,
    *,
    as_of: date,
    jobs: int = 1,
    force: bool = False,
    check: bool = True,
    progress: Callable[[int, int], None] = _progress,
) -> list[Entry]:
    """Render one plan per unit into `outdir` and write `outdir/manifest.json`."""
    outdir.mkdir(parents=True, exist_ok=True)
    parent = _parent(plan.resolve())  # loaded before the workers fork, so they inherit it
    template, sandboxed = template_for(parent)
    plan_key = _digest(
        __version__,
        plan.read_bytes(),
        template.read_bytes(),
        as_of.isoformat(),
        json.dumps(parent.issuer.model_dump(mode="json")),
    )
    job = Job(plan.resolve(), as_of, outdir, check, plan_key)
    previous = {e["code"]: e for e in _read_manifest(outdir)}

    entries: dict[str, Entry] = {}
    todo: list[units.Unit] = []
    for unit in selected:
        old = previous.get(unit.code)
        key = _digest(plan_key, json.dumps(asdict(unit), sort_keys=True, ensure_ascii=False))
        path = outdir / file_name(unit)
        unchanged = old and old.get("input_key") == key and not old.get("error") and path.is_file()
        if not force and unchanged and hashlib.sha256(path.read_bytes()).hexdigest() == old.get("sha256"):
            entries[unit.code] = Entry(**{**old, "skipped": True})
            continue
        todo.append(unit)

    done = len(entries)
    progress(done, len(selected))
    if jobs <= 1 or len(todo) < 2:
        for unit in todo:
            entries[unit.code] = render_unit(job, unit)
            done += 1
            progress(done, len(selected))
    else:
        compiled_template(template, sandboxed=sandboxed)  # compiled once here; forked workers inherit it
        size = max(1, min(64, len(todo) // (jobs * 4) or 1))
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            for result in pool.map(_render_chunk, [job] * len(todo), _chunks(todo, size)):
                for entry in result:
                    entries[entry.code] = entry
                done += len(result)
                progress(done, len(selected))

    ordered = [entries[u.code] for u in selected]
    manifest = {
        "plan": plan.name,
        "as_of": as_of.isoformat(),
        "generator": f"vn_congvan {__version__}",
        "units": [asdict(e) for e in ordered],
    }
    write_atomic(outdir / MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=2).encode("utf-8"))
    return ordered


def _read_manifest(outdir: Path) -> list[dict]:
    try:
        return json.loads((outdir / MANIFEST).read_text(encoding="utf-8"))["units"]
    except (OSError, ValueError, KeyError):
        return []


def zip_outputs(outdir: Path, entries: Sequence[Entry], name: str) -> Path:
    """One deterministic archive of the rendered files and the manifest, written atomically."""
    files = [e.file for e in entries if e.file and not e.error] + [MANIFEST]
    write_atomic(outdir / name, zipwrite.write([zipwrite.pack(f, (outdir / f).read_bytes()) for f in files]))
    return outdir / name
