"""`vn-congvan units NAME`: the administrative units directly under NAME, as of a date."""

from __future__ import annotations

import argparse
import json
import sys

from . import as_of as parse_as_of


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "units",
        help="liệt kê đơn vị hành chính trực thuộc (list units directly under a unit)",
        description=(
            "Liệt kê đơn vị hành chính trực thuộc NAME: trước 01/7/2025 tỉnh -> huyện -> xã, "
            "từ 01/7/2025 tỉnh -> xã (list the units directly under NAME)."
        ),
    )
    p.add_argument("name", metavar="NAME", help="ví dụ 'TP. Hồ Chí Minh', 'Quận 7', 'Phường 1, Quận 3'")
    p.add_argument("--province", metavar="NAME", help="tỉnh, thành phố chứa NAME (narrows the search)")
    p.add_argument("--as-of", metavar="DATE", help="ngày áp dụng YYYY-MM-DD hoặc DD/MM/YYYY (default: today)")
    p.add_argument("--json", action="store_true", help="in danh sách JSON: code, name, full_name, type")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from .. import units

    as_of = parse_as_of(args.as_of)
    unit = units.find(args.name, province=args.province, as_of=as_of)
    found = units.children(unit)
    if not found:
        print(f"{unit.full_name}: không có đơn vị trực thuộc (no units under it)", file=sys.stderr)
    if args.json:
        rows = [{"code": u.code, "name": u.name, "full_name": u.full_name, "type": u.type} for u in found]
        print(json.dumps(rows, ensure_ascii=False, indent=2))
    else:
        for u in found:
            print(u.full_name)
    return 0
