"""vn-congvan aggregate REPORT… -o SUMMARY.yaml|.docx [--per-unit] [--form FORM.yaml] [--draft]"""

from __future__ import annotations

import argparse
from pathlib import Path

from ..errors import InputError


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("aggregate", help="tổng hợp số liệu báo cáo của các đơn vị (aggregate reports)")
    p.add_argument("reports", nargs="+", type=Path, metavar="REPORT", help="báo cáo .yaml hoặc số liệu .csv")
    p.add_argument("-o", "--output", type=Path, required=True, metavar="SUMMARY", help="tệp kết quả .yaml hoặc .docx")
    p.add_argument("--per-unit", action="store_true", help="thêm một cột cho mỗi đơn vị (one column per unit)")
    p.add_argument("--form", type=Path, help="báo cáo tổng hợp mẫu của cấp trên (bắt buộc cho .docx)")
    p.add_argument("--draft", action="store_true", help="để trống số và ngày (bản dự thảo)")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    import yaml

    from ..aggregate import aggregate
    from ..render import render, write_atomic

    suffix = args.output.suffix.lower()
    if suffix not in (".yaml", ".yml", ".docx"):
        raise InputError.one("tệp kết quả phải là .yaml hoặc .docx (output format)", file=str(args.output))
    if suffix == ".docx" and args.form is None:
        raise InputError.one("xuất .docx cần --form: báo cáo tổng hợp mẫu của cấp trên (summary form)")
    summary = aggregate(args.reports, per_unit=args.per_unit, form=args.form)
    if suffix == ".docx":
        render(summary.document(), args.output, draft=args.draft, base=args.form.parent)
    else:
        head = f"# Tổng hợp số liệu từ {len(summary.units)} đơn vị (vn-congvan aggregate)\n"
        body = yaml.safe_dump(summary.to_data(), allow_unicode=True, sort_keys=False, width=120)
        write_atomic(args.output, (head + body).encode("utf-8"))
    print(args.output)
    return 0
