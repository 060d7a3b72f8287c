"""`vn-congvan check FILE.docx… [--json]`: check documents against NĐ 30/2020/NĐ-CP.

Exit status: 0 no errors (warnings allowed), 1 at least one error, 2 a file could not be read.
"""

from __future__ import annotations

import argparse
import json
import sys
import zipfile
from pathlib import Path
from typing import Any

from ..check import check
from ..ooxml import DocxReadError

SEVERITY_VI = {"error": "LỖI", "warning": "cảnh báo"}


def register(sub: Any) -> None:
    p = sub.add_parser(
        "check",
        help="kiểm tra thể thức văn bản .docx theo NĐ 30/2020/NĐ-CP",
        description="Kiểm tra thể thức, kỹ thuật trình bày văn bản .docx theo NĐ 30/2020/NĐ-CP.",
    )
    p.add_argument("files", nargs="+", metavar="FILE.docx")
    p.add_argument("--json", action="store_true", help="in kết quả dạng JSON (machine-readable)")
    p.add_argument(
        "--pdf",
        action="store_true",
        help="in thử bằng LibreOffice và kiểm tra trang in (PG-01…PG-04: chữ ký, trang trống, ngắt dòng, Quốc hiệu)",
    )
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    results: list[dict[str, Any]] = []
    status = 0
    pages = _pages(args.files) if args.pdf else {}
    for path in args.files:
        try:
            report = check(path)
            report.findings += pages.get(Path(path), [])
        except DocxReadError as exc:
            status = 2
            results.append({"path": path, "ok": False, "error": str(exc), "findings": []})
            if not args.json:
                print(f"{path}: không đọc được tệp: {exc}", file=sys.stderr)
            continue
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


def _print_human(result: dict[str, Any]) -> None:
    findings = result["findings"]
    n_err = sum(1 for f in findings if f["severity"] == "error")
    n_warn = len(findings) - n_err
    verdict = "ĐẠT" if result["ok"] else "KHÔNG ĐẠT"
    print(f"{result['path']}: {verdict} ({n_err} lỗi, {n_warn} cảnh báo)")
    for f in findings:
        where = f"  «{f['where']}»" if f["where"] else ""
        print(f"  {f['rule_id']:<8} {SEVERITY_VI[f['severity']]:<8} {f['message']}{where}")
