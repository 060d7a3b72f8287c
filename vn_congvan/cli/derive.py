"""vn-congvan derive PARENT (--profile PROFILE.yaml | --unit NAME [--province P]) [--parent-profile P.yaml]
[--as-of DATE] [--deadline-days N] [--kind KIND] -o CHILD.yaml [--render]"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from ..errors import InputError, Problem
from . import as_of as parse_as_of


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "derive",
        help="lập văn bản cấp dưới từ văn bản cấp trên (derive a lower level's document)",
        description=(
            "Lập văn bản của cấp dưới (huyện, xã, sở) từ văn bản cấp trên: trích dẫn đầy đủ, kế thừa nội dung, "
            "giao nhiệm vụ cho đơn vị cấp mình, hạn báo cáo sớm hơn cấp trên N ngày làm việc."
        ),
    )
    p.add_argument("parent", type=Path, metavar="PARENT", help="văn bản cấp trên: .yaml, .pdf, .docx, .txt…")
    who = p.add_mutually_exclusive_group(required=True)
    who.add_argument("--profile", metavar="PROFILE.yaml", help="hồ sơ cơ quan cấp dưới (tệp hoặc tên trong profiles/)")
    who.add_argument("--unit", metavar="NAME", help="đơn vị hành chính, ví dụ 'Phường Tân Phú' (UBND lập từ dữ liệu)")
    p.add_argument("--province", metavar="NAME", help="tỉnh chứa --unit")
    p.add_argument(
        "--parent-profile", metavar="PROFILE.yaml", help="hồ sơ cơ quan cấp trên, khi .txt/.docx thiếu phần đầu"
    )
    p.add_argument("--as-of", metavar="DATE", help="ngày áp dụng (mặc định: ngày của văn bản cấp trên)")
    p.add_argument("--deadline-days", type=int, default=3, metavar="N", help="số ngày làm việc trước hạn cấp trên (3)")
    p.add_argument(
        "--kind",
        metavar="KIND",
        help="loại văn bản cấp dưới: mặc định kế hoạch hoặc công văn (theo danh mục); quyet_dinh (quyết định ban "
        "hành kế hoạch, kèm kế hoạch), giay_moi (giấy mời dự Lễ khai mạc), thong_bao",
    )
    p.add_argument("-o", "--output", type=Path, required=True, metavar="CHILD.yaml")
    p.add_argument("--render", action="store_true", help="dựng thêm CHILD.docx bên cạnh")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from ..derive import _parent_doc, derive, issuer_for_unit, save

    if args.deadline_days < 0:
        raise InputError.one("--deadline-days phải ≥ 0 (must not be negative)")
    if args.output.suffix.lower() not in (".yaml", ".yml"):
        raise InputError.one("tệp kết quả phải có đuôi .yaml (output must be YAML)", file=str(args.output))
    parent = _parent_doc(args.parent, args.parent_profile)
    as_of = (
        parse_as_of(args.as_of) or parent.date or (parent.campaign.start if parent.campaign else None) or date.today()
    )
    if args.unit:
        from .. import units

        try:
            unit = units.find(args.unit, province=args.province, as_of=as_of)
        except InputError as exc:
            if not args.as_of and units.era_for(as_of) != units.era_for(date.today()):
                exc.problems.append(  # the parent's date chose the older unit data: say so, and how to change it
                    Problem(
                        f"ngày áp dụng {as_of.isoformat()} là ngày của văn bản cấp trên: đơn vị tìm theo dữ liệu trước "
                        "01/7/2025; dùng --as-of để chọn ngày khác (as-of defaults to the parent's date)"
                    )
                )
            raise
        profile = issuer_for_unit(unit, as_of=as_of)
    else:
        profile = args.profile
    derived = derive(  # the file, read once (cached): derive knows it was received and lists what it lacks
        args.parent,
        profile,
        as_of=as_of,
        deadline_days=args.deadline_days,
        kind=args.kind,
        parent_profile=args.parent_profile,
    )
    derived.parent_path = str(args.parent)
    derived.document  # validate before writing anything  # noqa: B018
    out = save(derived, args.output)
    print(out)
    print(out.with_name(f"{out.stem}.trace.yaml"))
    if args.render:
        from ..loader import load
        from ..render import render

        print(render(load(out), out.with_suffix(".docx"), base=out.parent))
    if derived.todo:  # what the văn thư fills in before it is signed: the placeholders and the parent's guesses
        print(f"{out}: cần bổ sung (to complete) {len(derived.todo)} mục:", file=sys.stderr)
        for t in derived.todo:
            print(f"  - {t}", file=sys.stderr)
    return 0
