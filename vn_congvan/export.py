"""PDF export through LibreOffice (soffice --headless --convert-to pdf).

One soffice process converts every file of a call (starting LibreOffice costs ~1 s, each extra file
~0.06 s). Each call uses its own throwaway user profile, so parallel runs (pytest -n, make -j) don't
fight over ~/.config/libreoffice or attach to a running LibreOffice.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
import zipfile
from collections.abc import Sequence
from pathlib import Path

from .errors import ExportError, InputError, Problem

INSTALL_HINT = "cài: apt-get install libreoffice-writer-nogui fonts-liberation2"

# LibreOffice ≥ 7.4 takes export filter options as JSON after the filter name.
PDF_FILTER = "pdf:writer_pdf_Export"
PDFA2_FILTER = PDF_FILTER + ':{"SelectPdfVersion":{"type":"long","value":"2"}}'

# Where installers put soffice when it is not on PATH (macOS app bundle, Windows).
_EXTRA_LOCATIONS = (
    "/Applications/LibreOffice.app/Contents/MacOS/soffice",
    r"C:\Program Files\LibreOffice\program\soffice.exe",
)


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


def _run_soffice(cmd: list[str], timeout: float) -> subprocess.CompletedProcess[str]:
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
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            if hasattr(os, "killpg"):
                os.killpg(proc.pid, signal.SIGKILL)
            else:  # Windows: no process groups
                proc.kill()
        proc.communicate()
        raise
    return subprocess.CompletedProcess(cmd, proc.returncode, out, err)


def to_pdf(
    docx_paths: Sequence[Path],
    outdir: Path,
    *,
    pdfa: bool = False,
    timeout: float | None = None,
) -> list[Path]:
    """Convert each file to outdir/<stem>.pdf with one soffice process; return the PDF paths in order.

    Each PDF appears atomically (converted in a temporary directory inside outdir, then renamed).
    `pdfa=True` writes PDF/A-2b. Raises InputError for missing/unreadable inputs (nothing converted),
    ExportError when soffice is missing, times out, or some files fail (the others are still written
    and listed in `ExportError.written`).
    """
    inputs = _check_inputs(docx_paths)
    if not inputs:
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
    if timeout is None:
        timeout = default_timeout(len(inputs))

    profile = Path(tempfile.mkdtemp(prefix="vn_congvan-lo-profile-"))
    staging = Path(tempfile.mkdtemp(prefix=".vn_congvan-pdf-", dir=real_outdir))
    try:
        cmd = [
            soffice,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--invisible",
            "--nologo",
            "--norestore",
            "--nolockcheck",
            "--convert-to",
            PDFA2_FILTER if pdfa else PDF_FILTER,
            "--outdir",
            str(staging),
            # Absolute paths: a file named "-x.docx" can't pass for an option.
            *(str(absolute) for _, absolute in inputs),
        ]
        try:
            result = _run_soffice(cmd, timeout)
        except subprocess.TimeoutExpired as exc:
            raise ExportError(
                [Problem(f"LibreOffice quá thời gian {timeout:g} s (timeout)", file=str(p)) for p, _ in inputs]
            ) from exc
        except OSError as exc:
            raise ExportError.one(
                f"Không chạy được LibreOffice (soffice): {exc.strerror}; {INSTALL_HINT}", file=soffice
            ) from exc

        written: list[Path] = []
        problems: list[Problem] = []
        details = _soffice_errors(result)
        for src, absolute in inputs:
            produced = staging / f"{absolute.stem}.pdf"
            target = (real_outdir / f"{absolute.stem}.pdf").resolve()
            if target.parent != real_outdir:  # a stem like ".." must not write outside outdir
                problems.append(Problem("Tên tệp đầu ra nằm ngoài thư mục đầu ra (unsafe name)", file=str(src)))
                continue
            data = produced.read_bytes() if produced.is_file() else b""
            if not data.startswith(b"%PDF-"):
                problems.append(Problem(f"Không chuyển được sang PDF (conversion failed){details}", file=str(src)))
                continue
            if pdfa and not _is_pdfa2(data):
                problems.append(
                    Problem(
                        "LibreOffice không xuất được PDF/A-2 (PDF/A export; cần LibreOffice ≥ 7.4)",
                        file=str(src),
                    )
                )
                continue
            os.replace(produced, target)
            written.append(outdir / target.name)  # as the caller spelled outdir
        if problems:
            raise ExportError(problems, written)
        return written
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        shutil.rmtree(profile, ignore_errors=True)


def _soffice_errors(result: subprocess.CompletedProcess[str]) -> str:
    """soffice exits 0 even when a file fails; keep its "Error:" lines (they don't name the file)."""
    lines = [ln.strip() for ln in result.stderr.splitlines() if ln.strip().lower().startswith("error")]
    if result.returncode != 0:
        lines.append(f"soffice exit status {result.returncode}")
    return (": " + "; ".join(dict.fromkeys(lines))) if lines else ""
