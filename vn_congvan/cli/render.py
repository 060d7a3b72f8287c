"""vn-congvan render FILE.yaml… [-o OUTDIR] [--draft] [--pdf]"""

from __future__ import annotations

import argparse
from pathlib import Path

from ..errors import InputError
from ..loader import load
from ..render import render


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("render", help="dựng .docx từ tệp YAML (render a document)")
    p.add_argument("files", nargs="+", type=Path, metavar="FILE.yaml")
    p.add_argument("-o", "--outdir", type=Path, default=Path("out"), help="thư mục kết quả (mặc định: out/)")
    p.add_argument("--draft", action="store_true", help="để trống số và ngày (bản dự thảo)")
    p.add_argument("--pdf", action="store_true", help="xuất thêm PDF bằng LibreOffice")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    # Validate every input first: a bad file means no file is written at all.
    docs, problems = [], []
    for file in args.files:
        try:
            docs.append((file, load(file)))
        except InputError as exc:
            problems += exc.problems
    if problems:
        raise InputError(problems)
    written = [render(doc, args.outdir / f"{file.stem}.docx", draft=args.draft, base=file.parent) for file, doc in docs]
    for path in written:
        print(path)
    if args.pdf:
        from ..export import to_pdf

        for path in to_pdf(written, args.outdir):
            print(path)
    return 0
