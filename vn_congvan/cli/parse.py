"""vn-congvan parse FILE [-o FILE.yaml] [--lines] [--no-ocr]"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "parse",
        help="đọc văn bản nhận được (.docx, .doc, .pdf, ảnh quét, .txt) thành tệp YAML (parse a received document)",
    )
    p.add_argument(
        "file", type=Path, metavar="FILE", help="tệp .docx/.doc/.pdf/.png/.jpg/.txt/.md, hoặc - để đọc từ stdin"
    )
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
        help="chỉ đọc: in các dòng đọc được, các dòng bỏ qua kèm lý do và tóm tắt (show what the reader read)",
    )
    p.add_argument("--no-ocr", action="store_true", help="không chạy OCR (Tesseract) cho bản quét, lớp chữ PDF hỏng")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    source = str(args.file) if str(args.file) == "-" else args.file
    if args.lines:
        from ..readers import read, report

        print(report(read(source, ocr=not args.no_ocr)))
        return 0
    from ..parse import complete, parse_file, write_yaml

    parsed = parse_file(source, ocr=not args.no_ocr)
    stem = "stdin" if source == "-" else args.file.stem
    out = write_yaml(parsed, args.output or Path("out") / f"{stem}.yaml")
    print(out)
    # What was read, dropped and left to complete goes to stderr: stdout stays the YAML's path for scripts.
    print(parsed.summary(), file=sys.stderr)
    _, todo = complete(parsed.data)
    if todo:
        print("cần bổ sung (to complete): " + "; ".join(todo), file=sys.stderr)
    return 0
