"""`vn-congvan pdf FILE.docx… -o OUTDIR [--pdfa]`: convert with LibreOffice, print each PDF path."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..errors import ExportError
from ..export import to_pdf


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "pdf",
        help="xuất PDF bằng LibreOffice (export to PDF)",
        description="Chuyển các tệp .docx sang PDF bằng LibreOffice (một tiến trình cho tất cả các tệp).",
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
        "--timeout", type=float, default=None, metavar="SECONDS", help="giới hạn thời gian (timeout), giây"
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    try:
        written = to_pdf(args.files, args.outdir, pdfa=args.pdfa, timeout=args.timeout)
    except ExportError as exc:
        for path in exc.written:  # the files that did convert are still worth reporting
            print(path)
        raise
    for path in written:
        print(path)
    return 0
