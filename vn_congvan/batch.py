"""A plan for every unit: derive and render one child per commune (or district), in parallel.

Each unit's result is independent: a failure is recorded in the manifest and the others go on; a failed
write (read-only directory, full disk) stops the run. Files get deterministic ASCII names with the unit code,
are written atomically, and the manifest is rewritten as units finish, so a re-run (after a crash too) skips
units whose inputs did not change (same input → same bytes, so the check stays valid). One batch at a time
per OUTDIR (a lock), and the manifest is checked before it is trusted: it is a file anyone can edit.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import hashlib
import json
import os
import re
import signal
import sys
import time
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from dataclasses import asdict, dataclass, fields, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from . import __version__, ooxml, units, zipwrite
from .derive import derive, issuer_for_unit
from .errors import InputError, Problem, VnCongvanError
from .loader import load
from .model import Document
from .render import compiled_template, pinned_templates, render_packages, template_for, write_atomic

if TYPE_CHECKING:
    from .check.report import Report

try:
    import fcntl
except ImportError:  # Windows: no OUTDIR lock
    fcntl = None  # type: ignore[assignment]

MANIFEST = "manifest.json"
LOCK = ".vn-congvan-batch.lock"
NAME_MAX = 150  # bytes of a file stem: ".docx", ".pdf" and write_atomic's ".….part" stay far below 255
SAVE_EVERY = 0.5  # seconds between manifest rewrites while units finish (and once at the end)
# What a manifest may name: only names file_name() makes, so never a path out of OUTDIR.
_FILE = re.compile(r"[a-z0-9][a-z0-9-]*\.docx")
_HEX64 = re.compile(r"[0-9a-f]{64}")
_PART = re.compile(r"\..+\.(?:docx|json|zip)\.[a-z0-9_]+\.part")  # write_atomic's temporary files


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


def short_stem(stem: str) -> str:
    """`stem` within NAME_MAX bytes: a long one is cut (its start, so the unit code, kept) and gets a digest of
    the whole, so two long names stay apart and the same name always gives the same file."""
    raw = stem.encode("utf-8")
    if len(raw) <= NAME_MAX:
        return stem
    cut = raw[: NAME_MAX - 11].decode("utf-8", "ignore").rstrip("-. ")
    return f"{cut}-{hashlib.sha256(raw).hexdigest()[:10]}"


def file_name(unit: units.Unit, kind: str | None = None) -> str:
    """Only ASCII letters, digits and '-': a unit name can never become a path. A campaign document other
    than the plan (`kind`: giay_moi …) ends with its kind: '…-phuong-tan-phu-giay-moi.docx'."""
    suffix = f"-{ascii_slug(kind)}" if kind else ""
    return short_stem(f"{ascii_slug(unit.code) or 'x'}-{ascii_slug(unit.full_name)}{suffix}") + ".docx"


def zip_name(plan: Path) -> str:
    return short_stem(plan.stem) + ".zip"


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
    parent_pid: int | None = None  # set for worker processes: they stop when the batch process is gone
    kind: str | None = None  # derive's kind: None for the catalogue's plan (kế hoạch or công văn)


_PLAN: dict[Path, Document] = {}


def _parent(plan: Path) -> Document:
    # Loaded once per worker process, not once per unit.
    if plan not in _PLAN:
        _PLAN[plan] = load(plan)
    return _PLAN[plan]


class _WriteFailed(Exception):
    """A file could not be written (read-only directory, full disk): the whole run stops, not one unit."""


class _Derived(NamedTuple):
    """A unit's entry and its derived document (None: deriving it failed, the entry says why)."""

    entry: Entry
    doc: Document | None


def derive_unit(job: Job, unit: units.Unit) -> _Derived:
    entry = Entry(code=unit.code, name=unit.full_name, file=file_name(unit, job.kind))
    entry.input_key = _digest(job.plan_key, json.dumps(asdict(unit), sort_keys=True, ensure_ascii=False))
    try:
        issuer = issuer_for_unit(unit, as_of=job.as_of)
        return _Derived(entry, derive(_parent(job.plan), issuer, as_of=job.as_of, kind=job.kind).document)
    except Exception as exc:  # one unit's bug must not stop the other units
        entry.error = _error(exc)
        return _Derived(entry, None)


def _error(exc: Exception) -> str:
    return str(exc) if isinstance(exc, VnCongvanError) else f"{type(exc).__name__}: {exc}"


def write_unit(job: Job, entry: Entry, data: bytes) -> Entry:
    """Write a rendered unit's file."""
    target = job.outdir / entry.file
    try:
        write_atomic(target, data)
    except OSError as exc:
        raise _WriteFailed(str(target), exc.strerror or str(exc)) from None
    entry.sha256 = hashlib.sha256(data).hexdigest()
    return entry


def check_units(job: Job, written: Sequence[tuple[Entry, dict[str, bytes]]]) -> None:
    """Check written units from the parts just zipped into their files: the findings of check(file) for each,
    without unzipping it. All read, then checked stage by stage (check_each); a unit whose file breaks a stage
    is checked alone, so that the error is its own."""
    from .check import check_document, check_each

    read = []
    for entry, parts in written:
        try:
            read.append((entry, ooxml.read_parts(parts, job.outdir / entry.file)))
        except Exception as exc:
            entry.error = f"check: {type(exc).__name__}: {exc}"
    reports: list[Report | None]
    try:
        reports = list(check_each([doc for _, doc in read]))
    except Exception:
        reports = []
        for entry, doc in read:
            try:
                reports.append(check_document(doc))
            except Exception as exc:
                entry.error = f"check: {type(exc).__name__}: {exc}"
                reports.append(None)
    for (entry, _), report in zip(read, reports, strict=True):
        if report is not None:
            entry.check = "ok" if report.ok else "errors: " + ", ".join(sorted(report.rule_ids("error")))


CHUNK = 64  # units a worker derives, renders, writes and checks stage by stage (_render_chunk)


@contextlib.contextmanager
def batch_collector() -> Iterator[None]:
    """Python's garbage collector as a batch wants it, restored on exit: its youngest generation scanned every
    10,000 allocations, not 700, so that a plan's short-lived objects (a read header table holds reference
    cycles) are mostly freed before a pass walks them: the batch's check costs ~5 % less CPU."""
    old = gc.get_threshold()
    gc.set_threshold(10_000, *old[1:])
    try:
        yield
    finally:
        gc.set_threshold(*old)


@batch_collector()
def _render_chunk(job: Job, chunk: list[units.Unit]) -> tuple[list[Entry], tuple[str, str] | None]:
    """The chunk's entries, and the (file, reason) of a failed write that stopped it. The chunk is derived,
    rendered stage by stage (render_packages), written, then checked (by default): each stage's code and data
    stay in the CPU's caches, where a unit after unit order has the kernel's file creation and every stage
    evict each other (about 30 % more CPU per plan on this project's VM)."""
    derived = []
    for unit in chunk:
        if job.parent_pid is not None and os.getppid() != job.parent_pid:
            os._exit(1)  # the batch process died (kill -9): write nothing more
        derived.append(derive_unit(job, unit))
    rendered = iter(render_packages([d.doc for d in derived if d.doc is not None]))
    out = []
    written: list[tuple[Entry, dict[str, bytes]]] = []
    failed = None
    for entry, doc in derived:
        if job.parent_pid is not None and os.getppid() != job.parent_pid:
            os._exit(1)
        made = next(rendered) if doc is not None else None
        if isinstance(made, Exception):
            entry.error = _error(made)
        if made is None or isinstance(made, Exception):
            out.append(entry)
            continue
        try:
            out.append(write_unit(job, entry, made[1]))
        except _WriteFailed as exc:
            failed = exc.args
            break
        written.append((entry, made[0]))
    if job.check:
        check_units(job, written)
    return out, failed


_PR_SET_PDEATHSIG = 1


def _worker_init(parent_pid: int) -> None:
    """Linux: the kernel kills this worker when the batch process dies; elsewhere the pid check in
    _render_chunk stops it before its next unit."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent_pid:  # it died before prctl took effect
        os._exit(1)


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


def _cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


# ------------------------------------------------------------------ OUTDIR: lock, leftovers, manifest

_HELD: set[Path] = set()


def _lock_file(path: Path) -> int | None:
    """The locked descriptor of `path` holding our pid, or None when another process holds it."""
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return None
        try:
            if os.fstat(fd).st_ino == os.stat(path).st_ino:
                os.ftruncate(fd, 0)
                os.write(fd, f"{os.getpid()}\n".encode())
                return fd
        except FileNotFoundError:
            pass  # its holder removed the file as we opened it: lock the new one
        except OSError:
            os.close(fd)
            raise
        os.close(fd)


@contextlib.contextmanager
def outdir_lock(outdir: Path) -> Iterator[None]:
    """One batch per OUTDIR. The lock is an flock on OUTDIR/.vn-congvan-batch.lock: the kernel drops it when
    its holder dies, so a killed batch leaves no stale lock (the file it may leave is taken over)."""
    key = outdir.resolve()
    if fcntl is None or key in _HELD:
        yield
        return
    path = outdir / LOCK
    try:
        fd = _lock_file(path)
    except OSError as exc:
        raise VnCongvanError.one(
            f"không ghi được vào thư mục (cannot write): {exc.strerror or exc}", file=str(outdir)
        ) from None
    if fd is None:
        holder = "?"
        with contextlib.suppress(OSError):
            holder = path.read_text(encoding="ascii", errors="replace").strip() or "?"
        raise VnCongvanError.one(
            f"thư mục đang được một lệnh batch khác dùng (OUTDIR is locked by process {holder}); "
            "chờ lệnh đó xong hoặc chọn thư mục khác",
            file=str(outdir),
        )
    _HELD.add(key)
    try:
        yield
    finally:
        _HELD.discard(key)
        with contextlib.suppress(OSError):  # a directory made read-only meanwhile keeps the (unlocked) file
            path.unlink(missing_ok=True)
        os.close(fd)


def _prepare(outdir: Path) -> None:
    if outdir.exists() and not outdir.is_dir():
        raise InputError.one("-o phải là một thư mục, không phải một tệp (OUTDIR is a file)", file=str(outdir))
    try:
        outdir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        error = InputError if isinstance(exc, (NotADirectoryError, FileExistsError)) else VnCongvanError
        raise error.one(
            f"không tạo được thư mục (cannot create OUTDIR): {exc.strerror or exc}", file=str(outdir)
        ) from None


def _remove_leftovers(outdir: Path) -> None:
    """The .part files of a run that was killed while writing (with the lock held, none is in use)."""
    for path in outdir.glob(".*.part"):
        if _PART.fullmatch(path.name):
            path.unlink(missing_ok=True)


_ENTRY_TYPES: dict[str, tuple[type, ...]] = {
    f.name: (bool,) if f.name == "skipped" else (str,) if f.name in ("code", "name") else (str, type(None))
    for f in fields(Entry)
}


def read_manifest(outdir: Path) -> list[Entry]:
    """OUTDIR/manifest.json, checked field by field before it is trusted; no manifest → []."""
    path = outdir / MANIFEST
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return []
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError.one(f"không đọc được manifest (cannot read): {exc}", file=str(path)) from None

    def bad(message: str, where: str = "") -> InputError:
        return InputError(
            [
                Problem(
                    f"manifest không hợp lệ (invalid manifest): {message}; "
                    "xóa tệp này hoặc chạy lại với --force để dựng lại",
                    str(path),
                    field=where,
                )
            ]
        )

    try:
        data = json.loads(text)
    except ValueError as exc:
        raise bad(f"không phải JSON ({exc})") from None
    if not isinstance(data, dict) or not isinstance(data.get("units"), list):
        raise bad("cần một đối tượng có danh sách 'units'")
    entries: list[Entry] = []
    seen: set[str] = set()
    for i, raw in enumerate(data["units"]):
        where = f"units[{i}]"
        if not isinstance(raw, dict) or set(raw) - set(_ENTRY_TYPES) or not {"code", "name"} <= set(raw):
            raise bad(f"mỗi đơn vị có các khóa {', '.join(_ENTRY_TYPES)}", where)
        for key, value in raw.items():
            if not isinstance(value, _ENTRY_TYPES[key]):
                raise bad(f"kiểu sai (wrong type) {type(value).__name__}", f"{where}.{key}")
        if raw.get("file") is not None and not _FILE.fullmatch(raw["file"]):
            raise bad(f"tên tệp không hợp lệ (file name outside the rule): {raw['file']!r}", f"{where}.file")
        for key in ("sha256", "input_key"):
            if raw.get(key) is not None and not _HEX64.fullmatch(raw[key]):
                raise bad("cần 64 chữ số hex", f"{where}.{key}")
        if raw["code"] in seen:
            raise bad(f"mã trùng (duplicate code) {raw['code']!r}", f"{where}.code")
        seen.add(raw["code"])
        entries.append(Entry(**raw))
    return entries


class _Manifest:
    """The manifest as units finish: every unit it held before (a subset run keeps the others), rewritten
    atomically at most every SAVE_EVERY seconds and at the end, so a killed run loses little."""

    def __init__(self, outdir: Path, head: dict[str, str], old: list[Entry], selected: Sequence[units.Unit]):
        self.path, self.head = outdir / MANIFEST, head
        self.order = list(dict.fromkeys([e.code for e in old] + [u.code for u in selected]))
        self.entries = {e.code: e for e in old}
        self.saved = time.monotonic()

    def add(self, entries: Sequence[Entry]) -> None:
        for e in entries:
            self.entries[e.code] = e
        if time.monotonic() - self.saved >= SAVE_EVERY:
            self.save()

    def save(self) -> None:
        units_ = [asdict(self.entries[c]) for c in self.order if c in self.entries]
        data = {**self.head, "units": units_}
        try:
            write_atomic(self.path, json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8"))
        except OSError as exc:
            raise _WriteFailed(str(self.path), exc.strerror or str(exc)) from None
        self.saved = time.monotonic()


def _collisions(selected: Sequence[units.Unit], kept: Sequence[Entry], kind: str | None = None) -> list[Problem]:
    """Two units, one file (codes 'X1' and 'x1', NFC and NFD spellings…): refused, never overwritten."""
    owner: dict[str, tuple[str, str]] = {}
    for e in kept:
        if e.file:
            owner[unicodedata.normalize("NFC", e.file).casefold()] = (e.code, e.name)
    problems = []
    for u in selected:
        key = unicodedata.normalize("NFC", file_name(u, kind)).casefold()
        other = owner.setdefault(key, (u.code, u.full_name))
        if other[0] != u.code:
            problems.append(
                Problem(
                    f"hai đơn vị trùng tên tệp (file name collision) {file_name(u, kind)}: {other[0]} {other[1]} và "
                    f"{u.code} {u.full_name}; đặt mã (code) khác nhau không chỉ ở chữ hoa/thường hay dấu "
                    "(hoặc dùng thư mục khác)",
                    field="--units",
                )
            )
    return problems


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
    kind: str | None = None,
) -> list[Entry]:
    """Render one plan per unit into `outdir`, keeping `outdir/manifest.json` up to date; returns this run's
    entries. A failed write stops the run (VnCongvanError); one unit's failure is recorded in its entry.
    `kind` makes another campaign document per unit (derive's kind: quyet_dinh, giay_moi, thong_bao); one
    OUTDIR holds one kind (its manifest lists one file per unit)."""
    _prepare(outdir)
    # Templates pinned: the run renders with the template its manifest's key was made from, without a stat
    # of the template and its folder per unit (forked workers inherit the pinned times).
    with outdir_lock(outdir), pinned_templates():
        _remove_leftovers(outdir)
        return _run_locked(
            plan, selected, outdir, as_of=as_of, jobs=jobs, force=force, check=check, progress=progress, kind=kind
        )


def _run_locked(
    plan: Path,
    selected: Sequence[units.Unit],
    outdir: Path,
    *,
    as_of: date,
    jobs: int,
    force: bool,
    check: bool,
    progress: Callable[[int, int], None],
    kind: str | None = None,
) -> list[Entry]:
    selected = list({u.code: u for u in selected}.values())  # a unit named twice runs once
    try:
        old = read_manifest(outdir)
    except InputError as exc:
        if not force:
            raise
        print(f"{exc}\n--force: manifest cũ bị bỏ qua (old manifest ignored)", file=sys.stderr)
        old = []
    chosen = {u.code for u in selected}
    problems = _collisions(selected, [e for e in old if e.code not in chosen], kind)
    if problems:
        raise InputError(problems)

    parent = _parent(plan.resolve())  # loaded before the workers fork, so they inherit it
    template, sandboxed = template_for(parent)
    plan_key = _digest(
        __version__,
        plan.read_bytes(),
        template.read_bytes(),
        as_of.isoformat(),
        json.dumps(parent.issuer.model_dump(mode="json")),
        *([kind] if kind else []),
    )
    job = Job(plan.resolve(), as_of, outdir, check, plan_key, kind=kind)
    previous = {e.code: e for e in old}
    head = {"plan": plan.name, "as_of": as_of.isoformat(), "generator": f"vn_congvan {__version__}"}
    if kind:
        head["kind"] = kind
    manifest = _Manifest(outdir, head, old, selected)

    entries: dict[str, Entry] = {}
    todo: list[units.Unit] = []
    for unit in selected:
        prev = previous.get(unit.code)
        key = _digest(plan_key, json.dumps(asdict(unit), sort_keys=True, ensure_ascii=False))
        name = file_name(unit, kind)
        path = outdir / name
        unchanged = (
            prev
            and prev.file == name
            and prev.input_key == key
            and not prev.error
            and path.is_file()
            and not path.is_symlink()  # a link could point anywhere
        )
        if not force and unchanged and hashlib.sha256(path.read_bytes()).hexdigest() == prev.sha256:  # type: ignore[union-attr]
            entries[unit.code] = Entry(**{**asdict(prev), "skipped": True})  # type: ignore[arg-type]
            continue
        todo.append(unit)
    manifest.add(list(entries.values()))

    done = len(entries)
    progress(done, len(selected))

    def finish(result: list[Entry]) -> None:
        nonlocal done
        entries.update((e.code, e) for e in result)
        manifest.add(result)
        done += len(result)
        progress(done, len(selected))

    failed: tuple[str, str] | None = None
    jobs = max(1, min(jobs, len(todo), _cpus()))
    try:
        if jobs == 1:
            for unit in todo:
                result, failed = _render_chunk(job, [unit])
                finish(result)
                if failed:
                    break
        else:
            compiled_template(template, sandboxed=sandboxed)  # compiled once here; forked workers inherit it
            failed = _run_pool(job, todo, jobs, finish)
    except _WriteFailed as exc:  # the manifest itself could not be written
        failed = exc.args
    except BaseException:  # Ctrl-C, a bug: keep what finished for the re-run
        with contextlib.suppress(_WriteFailed):
            manifest.save()
        raise
    try:
        manifest.save()
    except _WriteFailed as exc:
        failed = failed or exc.args
    if failed:
        raise VnCongvanError.one(
            f"không ghi được tệp (cannot write file): {failed[1]}; đã dừng sau {len(entries)}/{len(selected)} đơn vị",
            file=failed[0],
        )
    return [entries[u.code] for u in selected]


def _run_pool(
    job: Job, todo: list[units.Unit], jobs: int, finish: Callable[[list[Entry]], None]
) -> tuple[str, str] | None:
    """Chunks in worker processes; a failed write cancels the chunks not started."""
    job = replace(job, parent_pid=os.getpid())
    size = max(1, min(CHUNK, len(todo) // (jobs * 4) or 1))
    failed: tuple[str, str] | None = None
    with ProcessPoolExecutor(max_workers=jobs, initializer=_worker_init, initargs=(os.getpid(),)) as pool:
        try:
            pending = {pool.submit(_render_chunk, job, chunk) for chunk in _chunks(todo, size)}
            while pending and not failed:
                finished, pending = wait(pending, return_when=FIRST_COMPLETED)
                for future in finished:
                    result, stop = future.result()
                    finish(result)
                    failed = failed or stop
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
    return failed


def zip_outputs(outdir: Path, entries: Sequence[Entry], name: str) -> Path:
    """One deterministic archive of the rendered files and the manifest, written atomically. Each file is
    re-read and must still be the one the manifest names (its rule and its sha256)."""
    with outdir_lock(outdir):
        members = []
        try:
            for e in entries:
                if not e.file or e.error:
                    continue
                path = outdir / e.file
                data = path.read_bytes() if _FILE.fullmatch(e.file) and not path.is_symlink() else b""
                if hashlib.sha256(data).hexdigest() != e.sha256:
                    raise VnCongvanError.one(
                        f"tệp đã bị thay đổi hoặc không hợp lệ (file changed since the batch): {e.file}",
                        file=str(outdir),
                    )
                members.append(zipwrite.pack(e.file, data))
            members.append(zipwrite.pack(MANIFEST, (outdir / MANIFEST).read_bytes()))
            write_atomic(outdir / name, zipwrite.write(members))
        except OSError as exc:
            raise VnCongvanError.one(
                f"không tạo được tệp nén (cannot write the zip): {exc.strerror or exc}", file=str(outdir / name)
            ) from None
    return outdir / name
