"""`vn-congvan check FILE.docx… [--json] [--select IDS] [--ignore IDS] [--list-rules]`: check documents
against NĐ 30/2020/NĐ-CP. Files given together are also checked against each other (NUM-01).

Exit status: 0 no errors (warnings allowed), 1 at least one error, 2 a file could not be read or bad usage.
"""

from __future__ import annotations

import argparse
import json
import sys
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import SEVERITY_VI, rule_ids

if TYPE_CHECKING:
    from ..ooxml import Document


def register(sub: Any) -> None:
    p = sub.add_parser(
        "check",
        help="kiểm tra thể thức văn bản .docx theo NĐ 30/2020/NĐ-CP",
        description="Kiểm tra thể thức, kỹ thuật trình bày văn bản .docx theo NĐ 30/2020/NĐ-CP.",
    )
    p.add_argument("files", nargs="*", metavar="FILE.docx")
    p.add_argument("--json", action="store_true", help="in kết quả dạng JSON (machine-readable)")
    p.add_argument(
        "--pdf",
        action="store_true",
        help="in thử bằng LibreOffice và kiểm tra trang in (PG-01…PG-04: chữ ký, trang trống, ngắt dòng, Quốc hiệu)",
    )
    p.add_argument("--select", metavar="IDS", help="chỉ chạy các quy tắc này, ví dụ 'SO,DD-01' (mã hoặc tiền tố)")
    p.add_argument("--ignore", metavar="IDS", help="bỏ qua các quy tắc này, ví dụ 'CAP,SIG-04'")
    p.add_argument("--list-rules", action="store_true", help="liệt kê các quy tắc: mã, mức độ, căn cứ, có sửa tự động")
    p.add_argument("--fix", action="store_true", help="sửa tự động rồi kiểm tra lại (như `vn-congvan fix`)")
    from .fix import add_options

    add_options(p, with_select=False)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from .. import ooxml
    from ..check import REGISTRY, check_documents, cross_selected, selected
    from ..ooxml import DocxReadError

    try:
        every = sorted(REGISTRY) if args.list_rules else []  # the list shows the opt-in rules too
        chosen = selected(rule_ids(args.select) or every, rule_ids(args.ignore))
    except ValueError as exc:
        print(f"vn-congvan check: {exc}", file=sys.stderr)
        return 2
    if args.list_rules:
        cross = cross_selected(rule_ids(args.select), rule_ids(args.ignore))
        _list_rules(sorted([r.id for r in chosen] + cross), as_json=args.json)
        return 0
    if not args.files:
        print("vn-congvan check: cần ít nhất một tệp .docx (FILE.docx)", file=sys.stderr)
        return 2
    if args.fix:
        from .fix import run as run_fix

        return run_fix(args)
    results: list[dict[str, Any]] = []
    status = 0
    pages = _pages(args.files) if args.pdf else {}
    docs: list[Document] = []
    for path in args.files:
        try:
            docs.append(ooxml.read(path))
        except DocxReadError as exc:
            status = 2
            results.append({"path": path, "ok": False, "error": str(exc), "findings": []})
            if not args.json:
                print(exc, file=sys.stderr)  # names the file itself
    for report in check_documents(docs, rule_ids(args.select), rule_ids(args.ignore)):
        if not report.not_applicable:
            report.findings += pages.get(Path(report.path), [])
        if not report.ok and status == 0:
            status = 1
        results.append(report.to_dict())
        if not args.json:
            _print_human(report.to_dict())
    if args.json:
        json.dump(results, sys.stdout, ensure_ascii=False, indent=2)
        print()
    return status


def _pages(files: list[str]) -> dict[Path, list[Any]]:
    """Page findings of the readable .docx files (one LibreOffice call); unreadable ones are reported above."""
    from ..pdfpage import check_pdf

    readable = [Path(f) for f in files if Path(f).suffix.lower() == ".docx" and zipfile.is_zipfile(f)]
    return check_pdf(readable) if readable else {}


def _list_rules(ids: list[str], *, as_json: bool) -> None:
    from ..check import REGISTRY, rules

    table = rules()
    rows = [
        {
            "id": rid,
            "severity": table[rid]["severity"],
            "ref": table[rid]["ref"],
            "fix": REGISTRY[rid].has_fix() if rid in REGISTRY else False,
            "fix_safety": REGISTRY[rid].fix_safety if rid in REGISTRY and REGISTRY[rid].has_fix() else None,
            "message": table[rid]["message"],
            "doc": REGISTRY[rid].doc() if rid in REGISTRY else table[rid]["message"],
        }
        for rid in ids
    ]
    if as_json:
        json.dump(rows, sys.stdout, ensure_ascii=False, indent=2)
        print()
        return
    for r in rows:
        fix = {"safe": "sửa được", "unsafe": "sửa khi hỏi"}.get(r["fix_safety"] or "", "-")
        print(f"{r['id']:<8} {SEVERITY_VI[r['severity']]:<8} {fix:<11} {r['ref']:<24} {r['message']}")


def _print_human(result: dict[str, Any]) -> None:
    findings = result["findings"]
    if result.get("not_applicable"):
        print(f"{result['path']}: {result['not_applicable']}")
        return
    n_err = sum(1 for f in findings if f["severity"] == "error")
    n_warn = len(findings) - n_err
    verdict = "ĐẠT" if result["ok"] else "KHÔNG ĐẠT"
    print(f"{result['path']}: {verdict} ({n_err} lỗi, {n_warn} cảnh báo)")
    for note in result.get("notes", []):
        print(f"  ghi chú: {note}")
    for f in findings:
        where = f"  «{f['where']}»" if f["where"] else ""
        print(f"  {f['rule_id']:<8} {SEVERITY_VI[f['severity']]:<8} {f['message']}{where}")
