"""vn-congvan render FILE.yaml… [-o OUTDIR] [--draft] [--pdf]"""

from __future__ import annotations

import argparse
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import InputError, Problem, RenderError

if TYPE_CHECKING:
    from ..loader import Mark
    from ..model import Document


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("render", help="dựng .docx từ tệp YAML (render a document)")
    p.add_argument("files", nargs="+", type=Path, metavar="FILE.yaml")
    p.add_argument("-o", "--outdir", type=Path, default=Path("out"), help="thư mục kết quả (mặc định: out/)")
    p.add_argument("--draft", action="store_true", help="để trống số và ngày (bản dự thảo)")
    p.add_argument("--pdf", action="store_true", help="xuất thêm PDF bằng LibreOffice")
    p.set_defaults(run=run)


def output_path(outdir: Path, file: Path) -> Path:
    """OUTDIR/<name of the YAML file>.docx: only the file's own name is used, so the output stays in OUTDIR."""
    out = outdir / f"{file.stem}.docx"
    if out.parent != outdir:
        raise InputError.one(f"không dùng được tên tệp làm tên kết quả (output name): {file.name!r}", file=str(file))
    return out


def _located(problems: list[Problem], file: Path, doc: Document, marks: dict[tuple, Mark]) -> list[Problem]:
    """Rendering problems point at the template file, or nowhere: point them at the YAML that chose it."""
    where = marks.get(("issuer", "template")) if doc.issuer.template else None
    out = []
    for p in problems:
        if where is not None:
            source = f" ({p.file})" if p.file else ""
            out.append(Problem(p.message + source, where.file, where.line, where.column, "issuer.template"))
        elif not p.file:
            out.append(replace(p, file=str(file)))
        else:
            out.append(p)
    return out


def run(args: argparse.Namespace) -> int:
    from ..loader import load_data, validate
    from ..render import render_bytes, write_atomic

    outdir: Path = args.outdir
    if outdir.exists() and not outdir.is_dir():
        raise InputError.one("thư mục kết quả (OUTDIR) là một tệp, không phải thư mục", file=str(outdir))
    # Validate every input first: a bad file means no file is written at all.
    docs, problems, outputs = [], [], {}
    for file in args.files:
        try:
            out = output_path(outdir, file)
            if out in outputs:
                raise InputError.one(
                    f"trùng tên kết quả (same output name) {out.name} với {outputs[out]}", file=str(file)
                )
            outputs[out] = file
            data, marks = load_data(file)
            docs.append((file, out, validate(data, marks), marks))
        except InputError as exc:
            problems += exc.problems
    if problems:
        raise InputError(problems)
    # Then render in memory: a template problem in any file still means no file is written.
    rendered = []
    for file, out, doc, marks in docs:
        try:
            rendered.append((out, render_bytes(doc, draft=args.draft, base=file.parent)))
        except (InputError, RenderError) as exc:
            if isinstance(exc, RenderError) and not doc.issuer.template:
                raise  # a bundled template is broken: not the input's fault
            problems += _located(exc.problems, file, doc, marks)
    if problems:
        raise InputError(problems)
    written = []
    for out, data in rendered:
        try:
            write_atomic(out, data)
        except OSError as exc:
            raise RenderError.one(f"không ghi được tệp (cannot write): {exc.strerror}", file=str(out)) from None
        written.append(out)
        print(out)
    if args.pdf:
        from ..export import to_pdf

        for path in to_pdf(written, outdir):
            print(path)
    return 0
