"""`vn-congvan fix IN.docx [-o OUT.docx | --in-place] [--select IDS] [--ignore IDS] [--dry-run] [--json]`:
repair the thể thức of a .docx (page, fonts, formats, labels, page numbers) without touching its words, then
check it again. Several files: `vn-congvan fix *.docx -o OUTDIR` and a summary table.

Exit status: 0 every result passes `check` (warnings allowed), 1 errors are left for a person or a file was
not an administrative document (nothing written), 2 a file could not be read or bad usage.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import SEVERITY_VI, rule_ids

if TYPE_CHECKING:
    from ..check.fix import FixResult


def register(sub: Any) -> None:
    p = sub.add_parser(
        "fix",
        help="sửa thể thức văn bản .docx theo NĐ 30/2020/NĐ-CP (không đổi nội dung)",
        description="Sửa tự động thể thức văn bản .docx theo NĐ 30/2020/NĐ-CP: khổ giấy, lề, phông, cỡ chữ, "
        "đậm/nghiêng, nhãn 'Kính gửi:', 'Nơi nhận:', số trang … Không thay đổi chữ nào của nội dung.",
    )
    p.add_argument("files", nargs="+", metavar="IN.docx")
    add_options(p)
    p.set_defaults(run=run)


def add_options(p: argparse.ArgumentParser, *, with_select: bool = True) -> None:
    p.add_argument("-o", "--output", metavar="OUT", help="tệp kết quả (một tệp) hoặc thư mục (nhiều tệp)")
    p.add_argument("--in-place", action="store_true", help="ghi đè tệp gốc (giữ bản sao lưu IN.docx.bak)")
    p.add_argument("--dry-run", action="store_true", help="chỉ cho biết sẽ sửa gì, không ghi tệp")
    p.add_argument("--unsafe-fixes", action="store_true", help="áp dụng cả các sửa đổi không an toàn (bố cục)")
    if with_select:
        p.add_argument("--json", action="store_true", help="in kết quả dạng JSON (machine-readable)")
        p.add_argument("--select", metavar="IDS", help="chỉ sửa các quy tắc này, ví dụ 'SO,FONT-01'")
        p.add_argument("--ignore", metavar="IDS", help="không sửa các quy tắc này")


def _target(args: argparse.Namespace, path: Path, many: bool) -> Path | None:
    if args.output is None:
        return None
    out = Path(args.output)
    if many or out.is_dir() or args.output.endswith(("/", "\\")):
        return out / (path.stem + ".docx")
    return out


def run(args: argparse.Namespace) -> int:
    from ..check import selected
    from ..check.fix import fix
    from ..ooxml import DocxReadError

    try:
        selected(rule_ids(args.select), rule_ids(args.ignore))
    except ValueError as exc:
        print(f"vn-congvan fix: {exc}", file=sys.stderr)
        return 2
    if args.in_place and args.output:
        print("vn-congvan fix: chọn -o hoặc --in-place, không cả hai", file=sys.stderr)
        return 2
    paths = [Path(f) for f in args.files]
    many = len(paths) > 1
    if many and args.output and Path(args.output).is_file():
        print(f"vn-congvan fix: nhiều tệp cần -o là một thư mục, '{args.output}' là tệp", file=sys.stderr)
        return 2
    targets = [_target(args, p, many) for p in paths]
    clash = {t for t in targets if t is not None and targets.count(t) > 1}
    if clash:
        print(f"vn-congvan fix: nhiều tệp cùng ghi vào {', '.join(map(str, sorted(clash)))}", file=sys.stderr)
        return 2
    status = 0
    results: list[FixResult] = []
    rows: list[dict[str, Any]] = []
    for path, target in zip(paths, targets, strict=True):
        try:
            result = fix(
                path,
                target,
                in_place=args.in_place,
                select=rule_ids(args.select),
                ignore=rule_ids(args.ignore),
                dry_run=args.dry_run,
                unsafe=args.unsafe_fixes,
            )
        except (DocxReadError, ValueError, OSError) as exc:
            status = 2
            rows.append({"path": str(path), "ok": False, "error": str(exc)})
            if not args.json:  # a read error names the file itself
                print(f"không sửa được: {exc}" if isinstance(exc, DocxReadError) else f"{path}: {exc}", file=sys.stderr)
            continue
        results.append(result)
        rows.append(result.to_dict())
        if not result.ok and status == 0:
            status = 1
        if not args.json:
            _print_human(result, dry_run=args.dry_run, unsafe=args.unsafe_fixes)
    if args.json:
        json.dump(rows if many else rows[0], sys.stdout, ensure_ascii=False, indent=2)
        print()
    elif many:
        _print_table(results)
    return status


def _print_human(r: FixResult, *, dry_run: bool, unsafe: bool = False) -> None:
    from ..check import REGISTRY

    if r.refused:
        print(f"{r.path}: {r.refused}; không ghi tệp nào")
        return
    if dry_run:
        head = "sẽ sửa (chạy thử, không ghi tệp)"
    elif r.out:
        head = f"đã ghi {r.out}" + (f" (bản gốc lưu ở {r.backup})" if r.backup else "")
    else:
        head = "không có gì để sửa tự động"
    print(f"{r.path}: {head}")
    for c in r.changes:
        print(f"  sửa  {c.rule_id:<8} {c.what}")
    left = r.left
    if left:
        print(f"  còn lại cho người soạn ({len(left)}):")
        for f in left:
            where = f"  «{f.where}»" if f.where else ""
            rule = REGISTRY.get(f.rule_id)
            hint = (
                " [sửa được với --unsafe-fixes]"
                if rule and rule.has_fix() and rule.fix_safety != "safe" and not unsafe
                else ""
            )
            print(f"  còn  {f.rule_id:<8} {SEVERITY_VI[f.severity]:<8} {f.message}{where}{hint}")
    verdict = "ĐẠT" if r.ok else "KHÔNG ĐẠT"
    print(f"  kết quả kiểm tra sau khi sửa: {verdict}; số chữ nội dung bị thay đổi: {r.words_changed}")


def _print_table(results: list[FixResult]) -> None:
    print()
    print(f"{'tệp':<48} {'đã sửa':>7} {'còn lỗi':>7} {'cảnh báo':>8}  kết quả")
    for r in results:
        errors = sum(1 for f in r.left if f.severity == "error")
        warnings = len(r.left) - errors
        outcome = "không sửa (không phải VBHC)" if r.refused else (r.out or "-")
        print(f"{Path(r.path).name[:48]:<48} {len(r.changes):>7} {errors:>7} {warnings:>8}  {outcome}")
