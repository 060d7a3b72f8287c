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
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    out = args.output or Path("out") / f"{args.file.stem}.yaml"
    print(parse_to_yaml(args.file, out))
    return 0
