"""`vn-congvan pdf FILE.docx… -o OUTDIR [--pdfa] [--jobs N]`: convert with LibreOffice, print each PDF path."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..errors import ExportError


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "pdf",
        help="xuất PDF bằng LibreOffice (export to PDF)",
        description="Chuyển các tệp .docx sang PDF bằng LibreOffice: mỗi lõi CPU một tiến trình; các tệp cùng mẫu "
        "được ghép thành một tệp, chuyển một lần rồi tách lại (combined conversion).",
    )
    parser.add_argument("files", nargs="+", type=Path, metavar="FILE.docx", help="tệp .docx cần chuyển")
    parser.add_argument(
        "-o",
        "--outdir",
        type=Path,
        required=True,
        metavar="OUTDIR",
        help="thư mục ghi PDF (output directory)",
    )
    parser.add_argument("--pdfa", action="store_true", help="xuất PDF/A-2b để lưu trữ (archival PDF/A-2)")
    parser.add_argument(
        "--jobs", type=int, default=None, metavar="N", help="số tiến trình LibreOffice (workers; mặc định: số lõi CPU)"
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=None,
        metavar="SECONDS",
        help="giới hạn thời gian cho mỗi lần chạy LibreOffice (timeout per run), giây",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from ..export import to_pdf

    try:
        written = to_pdf(args.files, args.outdir, pdfa=args.pdfa, timeout=args.timeout, jobs=args.jobs)
    except ExportError as exc:
        for path in exc.written:  # the files that did convert are still worth reporting
            print(path)
        raise
    for path in written:
        print(path)
    return 0
