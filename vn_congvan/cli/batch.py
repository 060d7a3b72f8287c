"""vn-congvan batch PLAN.yaml --units all|NAME,…|FILE.csv [--province P] [--as-of DATE] [--kind K] -o OUTDIR …"""

from __future__ import annotations

import argparse
import os
from datetime import date
from pathlib import Path

from ..errors import InputError
from . import as_of as parse_as_of


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("batch", help="kế hoạch cho từng đơn vị trực thuộc (one plan per unit)")
    p.add_argument("plan", type=Path, metavar="PLAN.yaml")
    p.add_argument("--units", default="all", help="all, danh sách tên cách nhau bởi dấu phẩy, hoặc tệp .csv")
    p.add_argument("--parent-unit", help="đơn vị hành chính của cơ quan ban hành (mặc định: địa danh của kế hoạch)")
    p.add_argument("--province", help="tỉnh của đơn vị khi tên trùng ở nhiều tỉnh (province of an ambiguous name)")
    p.add_argument("--as-of", metavar="DATE", help="ngày áp dụng (mặc định: ngày của kế hoạch)")
    p.add_argument("-o", "--outdir", type=Path, required=True)
    p.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    p.add_argument("--zip", action="store_true", help="đóng gói kết quả vào một tệp .zip")
    p.add_argument("--pdf", action="store_true", help="xuất thêm PDF bằng LibreOffice")
    p.add_argument("--force", action="store_true", help="dựng lại cả các đơn vị không thay đổi")
    p.add_argument("--no-check", action="store_true", help="không kiểm tra thể thức từng tệp")
    p.add_argument(
        "--kind",
        metavar="KIND",
        help="văn bản khác cho từng đơn vị: quyet_dinh (ban hành kế hoạch), giay_moi, thong_bao (mỗi loại một OUTDIR)",
    )
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from ..batch import run_batch, select_units, zip_name, zip_outputs
    from ..loader import load

    if not args.plan.is_file():
        raise InputError.one("không tìm thấy tệp (file not found)", file=str(args.plan))
    parent = load(args.plan)
    as_of = parse_as_of(args.as_of) or parent.date or date(parent.the_year, 12, 31)
    selected = select_units(parent, args.units, as_of=as_of, parent_unit=args.parent_unit, province=args.province)
    if not selected:
        raise InputError.one("không có đơn vị nào để lập kế hoạch (no units selected)", field="--units")
    entries = run_batch(
        args.plan,
        selected,
        args.outdir,
        as_of=as_of,
        jobs=max(1, args.jobs),
        force=args.force,
        check=not args.no_check,
        kind=args.kind,
    )
    failed = [e for e in entries if e.error or (e.check and e.check != "ok")]
    for e in entries:
        status = "LỖI: " + e.error if e.error else ("bỏ qua (không đổi)" if e.skipped else (e.check or "đã dựng"))
        print(f"{e.code}\t{e.name}\t{e.file}\t{status}")
    if args.zip:
        print(zip_outputs(args.outdir, entries, zip_name(args.plan)))
    if args.pdf:
        from ..export import to_pdf

        ok = [args.outdir / e.file for e in entries if e.file and not e.error]
        for path in to_pdf(ok, args.outdir / "pdf", jobs=max(1, args.jobs)):
            print(path)
    print(f"{len(entries) - len(failed)}/{len(entries)} đơn vị thành công (units ok)")
    return 1 if failed else 0
