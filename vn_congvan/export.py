"""PDF export through LibreOffice (soffice --headless --convert-to pdf).

One LibreOffice worker per core, each one soffice process for all its files (starting LibreOffice
costs ~0.6 s CPU). Files made from one template are converted as the sections of one combined file
and the PDF is split again (see combine): ~10 ms CPU per document instead of ~40 ms for a file on
its own. Each worker uses its own throwaway user profile, so parallel runs (pytest -n, make -j,
the workers themselves) don't fight over ~/.config/libreoffice or attach to a running LibreOffice.
"""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import os
import shutil
import signal
import subprocess
import tempfile
import time
import zipfile
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from . import combine, zipwrite
from .errors import ExportError, InputError, Problem

INSTALL_HINT = "cài: apt-get install libreoffice-writer-nogui fonts-liberation2"

# LibreOffice ≥ 7.4 takes export filter options as JSON after the filter name.
PDF_FILTER = "pdf:writer_pdf_Export"
# Combined files also export their bookmarks as named destinations: they mark where each document starts.
PDF_MARKS_FILTER = PDF_FILTER + ':{"ExportBookmarksToPDFDestination":{"type":"boolean","value":"true"}}'
PDFA2_FILTER = PDF_FILTER + ':{"SelectPdfVersion":{"type":"long","value":"2"}}'

# Where installers put soffice when it is not on PATH (macOS app bundle, Windows).
_EXTRA_LOCATIONS = (
    "/Applications/LibreOffice.app/Contents/MacOS/soffice",
    r"C:\Program Files\LibreOffice\program\soffice.exe",
)


CHUNK = 64  # documents per combined file: past ~100, LibreOffice's time per document grows


def find_soffice() -> str | None:
    """Path of the LibreOffice binary: $VN_CONGVAN_SOFFICE, then soffice/libreoffice on PATH."""
    override = os.environ.get("VN_CONGVAN_SOFFICE")
    if override:
        return override if os.access(override, os.X_OK) else None
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    for candidate in _EXTRA_LOCATIONS:
        if os.access(candidate, os.X_OK):
            return candidate
    return None


def default_timeout(n_files: int) -> float:
    """Generous: a cold start is ~1-3 s, a page-heavy file a few seconds; a hang must not block CI."""
    return 120.0 + 30.0 * n_files


def _check_inputs(docx_paths: Sequence[Path]) -> list[tuple[Path, Path]]:
    """(as given, absolute) for each input; every problem is reported at once."""
    problems: list[Problem] = []
    resolved: list[tuple[Path, Path]] = []
    seen: dict[str, Path] = {}
    for raw in docx_paths:
        path = Path(raw)
        name = str(path)
        if not path.exists():
            problems.append(Problem("Không tìm thấy tệp (file not found)", file=name))
            continue
        if not path.is_file():
            problems.append(Problem("Không phải là tệp thường (not a regular file)", file=name))
            continue
        try:
            with path.open("rb") as fh:
                fh.read(4)
        except OSError as exc:
            problems.append(Problem(f"Không đọc được tệp (unreadable file): {exc.strerror}", file=name))
            continue
        # LibreOffice silently imports a non-zip ".docx" as plain text and prints garbage; refuse it here.
        if path.suffix.lower() == ".docx" and not _looks_like_docx(path):
            problems.append(Problem("Tệp không phải là .docx hợp lệ (not a valid Word .docx package)", file=name))
            continue
        # soffice names each output <stem>.pdf, so two inputs with one stem would overwrite each other.
        other = seen.get(path.stem)
        if other is not None:
            problems.append(
                Problem(
                    f"Trùng tên với {other}: cả hai đều ra {path.stem}.pdf (duplicate output name)",
                    file=name,
                )
            )
            continue
        seen[path.stem] = path
        resolved.append((path, path.resolve()))
    if problems:
        raise InputError(problems)
    return resolved


def _looks_like_docx(path: Path) -> bool:
    try:
        with zipfile.ZipFile(path) as zf:
            return "word/document.xml" in zf.namelist()
    except (zipfile.BadZipFile, OSError):
        return False


def _is_pdfa2(data: bytes) -> bool:
    # LibreOffice writes the XMP packet uncompressed; the identifier is an element or an attribute.
    return b"<pdfaid:part>2</pdfaid:part>" in data or b'pdfaid:part="2"' in data


def _run_soffice(
    cmd: list[str], timeout: float, poll: Callable[[], None] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run soffice; `poll` is called about every 50 ms while it runs (work that can overlap with it)."""
    # Own session so a timeout kills oosplash *and* the soffice.bin it spawned.
    proc = subprocess.Popen(
        cmd,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        errors="replace",
        start_new_session=True,
    )
    deadline = time.monotonic() + timeout
    try:
        while True:
            try:  # communicate may be retried after a timeout without losing output
                out, err = proc.communicate(timeout=0.05 if poll else timeout)
                break
            except subprocess.TimeoutExpired:
                if poll is None or time.monotonic() >= deadline:
                    raise subprocess.TimeoutExpired(cmd, timeout) from None
                poll()
    except BaseException:
        with contextlib.suppress(ProcessLookupError):
            if hasattr(os, "killpg"):
                os.killpg(proc.pid, signal.SIGKILL)
            else:  # Windows: no process groups
                proc.kill()
        proc.communicate()
        raise
    return subprocess.CompletedProcess(cmd, proc.returncode, out, err)


@dataclass
class _Input:
    given: Path  # as the caller spelled it
    absolute: Path
    key: bytes | None = None  # combine.shell_key: equal keys can share one LibreOffice file
    leads: bool = False  # combine.leads: first in its LibreOffice file
    info: dict[str, str] = field(default_factory=dict)
    failure: str = ""  # soffice's error lines when it did not convert


def _read_parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


def _group(item: _Input) -> None:
    try:
        parts = _read_parts(item.absolute)
        item.key = combine.shell_key(parts)
        item.info = combine.core_info(parts) if item.key else {}
        item.leads = item.key is not None and combine.leads(parts[combine.MAIN])
    except Exception:  # a damaged package: LibreOffice converts it alone and its failure names it
        item.key, item.info = None, {}


def _plan(inputs: list[_Input], lanes: int) -> list[list[_Input]]:
    """Tasks: runs of up to CHUNK documents with one key (combined), or single documents; each
    document that combine.leads opens a run of its own."""
    groups: dict[bytes | None, list[_Input]] = {}
    for item in inputs:
        groups.setdefault(item.key, []).append(item)
    tasks: list[list[_Input]] = [[item] for item in groups.pop(None, [])]
    for group in groups.values():
        count = -(-len(group) // CHUNK)
        if len(group) >= 2 * lanes:  # enough documents to keep every worker busy
            count = -(-count // lanes) * lanes
        leaders = [item for item in group if item.leads]
        count = max(count, len(leaders))
        runs = [[item] for item in leaders] + [[] for _ in range(count - len(leaders))]
        rest = iter(item for item in group if not item.leads)
        for k, run in enumerate(runs):  # sizes differ by at most one
            run += itertools.islice(rest, len(group) // count + (k < len(group) % count) - len(run))
        tasks += [run for run in runs if run]
    return tasks


def _assign(tasks: list[list[_Input]], lanes: int) -> list[list[list[_Input]]]:
    """Largest first to the least loaded worker; a file on its own costs about four combined ones."""
    load = [0] * lanes
    out: list[list[list[_Input]]] = [[] for _ in range(lanes)]
    for task in sorted(tasks, key=lambda t: -_cost(t)):
        lane = load.index(min(load))
        out[lane].append(task)
        load[lane] += _cost(task)
    return [lane for lane in out if lane]


def _cost(task: list[_Input]) -> int:
    return len(task) if len(task) > 1 else 4


def _command(soffice: str, profile: Path, filter_: str, outdir: Path, files: list[Path]) -> list[str]:
    return [
        soffice,
        f"-env:UserInstallation={profile.as_uri()}",
        "--headless",
        "--invisible",
        "--nologo",
        "--norestore",
        "--nolockcheck",
        "--convert-to",
        filter_,
        "--outdir",
        str(outdir),
        # Absolute paths: a file named "-x.docx" can't pass for an option.
        *(str(f) for f in files),
    ]


@dataclass
class _Lane:
    """One LibreOffice worker: its own profile, its own staging directory."""

    soffice: str
    work: Path
    filter_: str
    timeout: float | None
    seeded: bool = False  # the profile started from a saved one (or one was saved from it)

    def run(self, tasks: list[list[_Input]]) -> dict[Path, Path]:
        """Convert; return each converted input's PDF in staging (a timeout raises for the lane's inputs)."""
        profile = Path(tempfile.mkdtemp(prefix="vn_congvan-lo-profile-"))
        self.seeded = _copy_seed(self.soffice, profile)
        try:
            done: dict[Path, Path] = {}
            singles = [task[0] for task in tasks if len(task) == 1]
            combined = [task for task in tasks if len(task) > 1]
            if combined:
                singles += self._combined(profile, combined, done)
            if singles:
                outdir = self.work / "out"
                result = self._soffice(profile, self.filter_, outdir, [s.absolute for s in singles])
                details = _soffice_errors(result)
                for item in singles:
                    pdf = outdir / f"{item.absolute.stem}.pdf"
                    if pdf.is_file():
                        done[item.absolute] = pdf
                    else:
                        item.failure = details
            return done
        finally:
            shutil.rmtree(profile, ignore_errors=True)

    def _combined(self, profile: Path, tasks: list[list[_Input]], done: dict[Path, Path]) -> list[_Input]:
        """Convert each task as one file and split it; return the inputs to convert on their own."""
        from pypdf.errors import PyPdfError

        sources, pdfs, outdir = self.work / "combined", self.work / "combined-pdf", self.work / "out"
        sources.mkdir(parents=True)
        outdir.mkdir(exist_ok=True)
        alone: list[_Input] = []
        built: list[tuple[Path, list[_Input]]] = []
        for task in tasks:
            try:
                shell = _read_parts(task[0].absolute)
                shell[combine.MAIN] = combine.combine([_read_parts(i.absolute)[combine.MAIN] for i in task])
            except Exception:  # a damaged file: each converted alone, so a failure names its file
                alone += task
                continue
            source = sources / f"{len(built)}.docx"  # LibreOffice's k-th output is k.pdf
            source.write_bytes(zipwrite.write([zipwrite.pack(name, data) for name, data in shell.items()]))
            built.append((source, task))
        split = 0

        def split_ready(finished: bool) -> None:
            # LibreOffice converts the files in order: once the next PDF exists, this one is complete.
            nonlocal split
            while split < len(built) and (finished or (pdfs / f"{split + 1}.pdf").exists()):
                source, task = built[split]
                split += 1
                pieces = [combine.Piece(i.info, outdir / f"{i.absolute.stem}.pdf") for i in task]
                try:
                    combine.split(pdfs / f"{source.stem}.pdf", pieces)
                except (OSError, ValueError, PyPdfError):
                    for piece in pieces:  # no stale piece may pass for a later conversion's output
                        piece.out.unlink(missing_ok=True)
                    alone.extend(task)
                    continue
                done.update({i.absolute: p.out for i, p in zip(task, pieces, strict=True)})

        if built:
            files = [source for source, _ in built]
            self._soffice(profile, PDF_MARKS_FILTER, pdfs, files, poll=lambda: split_ready(False))
            split_ready(True)
        return alone

    def _soffice(
        self, profile: Path, filter_: str, outdir: Path, files: list[Path], poll: Callable[[], None] | None = None
    ) -> subprocess.CompletedProcess[str]:
        timeout = self.timeout if self.timeout is not None else default_timeout(len(files))
        result = _run_soffice(_command(self.soffice, profile, filter_, outdir, files), timeout, poll)
        if not self.seeded:
            self.seeded = _save_seed(self.soffice, profile)
        return result


def _seed_dir(soffice: str) -> Path | None:
    """A user profile LibreOffice made once, per installation: a fresh one costs ~0.4 s per worker."""
    try:
        real = Path(soffice).resolve()
        stamp = f"{real}:{real.stat().st_mtime_ns}"
        cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    except (OSError, RuntimeError):  # no home directory: every worker makes its own profile
        return None
    return cache / "vn_congvan" / f"libreoffice-profile-{hashlib.sha256(stamp.encode()).hexdigest()[:12]}"


def _copy_seed(soffice: str, profile: Path) -> bool:
    seed = _seed_dir(soffice)
    if seed is None:
        return True  # nothing to copy, nowhere to save
    try:
        shutil.copytree(seed, profile, dirs_exist_ok=True)
    except OSError:
        return False
    return True


def _save_seed(soffice: str, profile: Path) -> bool:
    """Keep a copy of a profile LibreOffice just made (renamed into place: parallel runs can't mix two)."""
    seed = _seed_dir(soffice)
    if seed is None:
        return True
    try:
        seed.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".seed-", dir=seed.parent))
        shutil.copytree(profile, staging, dirs_exist_ok=True, ignore=shutil.ignore_patterns(".lock"))
        try:
            os.rename(staging, seed)
        except OSError:  # another run saved one first
            shutil.rmtree(staging, ignore_errors=True)
    except OSError:
        pass
    return True


def cpu_count() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # macOS, Windows
        return os.cpu_count() or 1


def to_pdf(
    docx_paths: Sequence[Path],
    outdir: Path,
    *,
    pdfa: bool = False,
    timeout: float | None = None,
    jobs: int | None = None,
    combined: bool = True,
) -> list[Path]:
    """Convert each file to outdir/<stem>.pdf; return the PDF paths in input order.

    Runs `jobs` LibreOffice workers (default: one per core). Files made from one template are
    converted as the sections of one combined file and the PDF is split again (`combined=False`:
    one conversion per file); each PDF has the text, fonts and pages of converting its file alone.
    Each PDF appears atomically (converted in a temporary directory inside outdir, then renamed).
    `pdfa=True` writes PDF/A-2b, one conversion per file. Raises InputError for missing/unreadable
    inputs (nothing converted), ExportError when soffice is missing, times out, or some files fail
    (the others are still written and listed in `ExportError.written`). `timeout` applies to each
    LibreOffice run.
    """
    checked = _check_inputs(docx_paths)
    if not checked:
        return []
    soffice = find_soffice()
    if soffice is None:
        raise ExportError.one(f"Không tìm thấy LibreOffice (soffice) để xuất PDF (PDF export); {INSTALL_HINT}")

    outdir = Path(outdir)
    try:
        outdir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError.one(
            f"Không tạo được thư mục đầu ra (output directory): {exc.strerror}", file=str(outdir)
        ) from exc
    real_outdir = outdir.resolve()
    inputs = [_Input(given, absolute) for given, absolute in checked]
    if combined and not pdfa and len(inputs) > 1:
        for item in inputs:
            _group(item)
    lanes = min(max(1, jobs or cpu_count()), len(inputs))

    staging = Path(tempfile.mkdtemp(prefix=".vn_congvan-pdf-", dir=real_outdir))
    try:
        plan = _assign(_plan(inputs, lanes), lanes)
        workers = [
            _Lane(soffice, staging / str(n), PDFA2_FILTER if pdfa else PDF_FILTER, timeout) for n in range(len(plan))
        ]
        problems: list[Problem] = []
        produced: dict[Path, Path] = {}
        with ThreadPoolExecutor(len(workers)) as pool:
            futures = [pool.submit(lane.run, tasks) for lane, tasks in zip(workers, plan, strict=True)]
            for future, tasks in zip(futures, plan, strict=True):
                try:
                    produced.update(future.result())
                except subprocess.TimeoutExpired as exc:
                    message = f"LibreOffice quá thời gian {exc.timeout:g} s (timeout)"
                    problems += [Problem(message, file=str(i.given)) for task in tasks for i in task]
                except OSError as exc:
                    raise ExportError.one(
                        f"Không chạy được LibreOffice (soffice): {exc.strerror}; {INSTALL_HINT}", file=soffice
                    ) from exc

        written: list[Path] = []
        timed_out = {p.file for p in problems}
        for item in inputs:
            src = item.given
            if str(src) in timed_out:
                continue
            target = (real_outdir / f"{item.absolute.stem}.pdf").resolve()
            if target.parent != real_outdir:  # a stem like ".." must not write outside outdir
                problems.append(Problem("Tên tệp đầu ra nằm ngoài thư mục đầu ra (unsafe name)", file=str(src)))
                continue
            pdf = produced.get(item.absolute)
            data = pdf.read_bytes() if pdf is not None and pdf.is_file() else b""
            if not data.startswith(b"%PDF-"):
                problems.append(Problem(f"Không chuyển được sang PDF (conversion failed){item.failure}", file=str(src)))
                continue
            if pdfa and not _is_pdfa2(data):
                problems.append(
                    Problem(
                        "LibreOffice không xuất được PDF/A-2 (PDF/A export; cần LibreOffice ≥ 7.4)",
                        file=str(src),
                    )
                )
                continue
            os.replace(pdf, target)
            written.append(outdir / target.name)  # as the caller spelled outdir
        if problems:
            raise ExportError(problems, written)
        return written
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _soffice_errors(result: subprocess.CompletedProcess[str]) -> str:
    """soffice exits 0 even when a file fails; keep its "Error:" lines (they don't name the file)."""
    lines = [ln.strip() for ln in result.stderr.splitlines() if ln.strip().lower().startswith("error")]
    if result.returncode != 0:
        lines.append(f"soffice exit status {result.returncode}")
    return (": " + "; ".join(dict.fromkeys(lines))) if lines else ""
