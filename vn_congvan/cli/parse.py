"""vn-congvan parse FILE(.docx|.txt) [-o FILE.yaml]"""

from __future__ import annotations

import argparse
from pathlib import Path

from ..parse import parse_to_yaml


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "parse",
        help="đọc văn bản nhận được (.docx hoặc .txt) thành tệp YAML (parse a received document)",
    )
    p.add_argument("file", type=Path, metavar="FILE", help="tệp .docx hoặc văn bản .txt")
    p.add_argument(
        "-o",
        "--output",
        type=Path,
        default=None,
        metavar="FILE.yaml",
        help="tệp YAML kết quả (mặc định: out/<tên>.yaml)",
    )
    p.add_argument(
        "--lines",
        action="store_true",
        help="chỉ đọc: in các dòng đọc được, các dòng bỏ qua kèm lý do và tóm tắt (show what the reader read; "
        "FILE may be .docx/.doc/.pdf/.png/.jpg/.txt or - for stdin)",
    )
    p.add_argument("--no-ocr", action="store_true", help="với --lines: không chạy OCR (Tesseract)")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    if args.lines:
        from ..readers import read, report

        print(report(read(str(args.file) if str(args.file) == "-" else args.file, ocr=not args.no_ocr)))
        return 0
    out = args.output or Path("out") / f"{args.file.stem}.yaml"
    print(parse_to_yaml(args.file, out))
    return 0
