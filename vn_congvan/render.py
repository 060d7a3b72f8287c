"""Render a composed document into a .docx through a docxtpl template.

A template is compiled once (docxtpl's tag clean-up, then Jinja with autoescape and
StrictUndefined) and reused; each document only renders XML strings and writes a zip whose
unchanged parts are copied as they are. Output is byte-reproducible and written atomically.
"""

from __future__ import annotations

import os
import tempfile
import zipfile
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import jinja2
from docxtpl import DocxTemplate
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markupsafe import escape

from . import appendix, report, zipwrite
from .compose import compose
from .errors import InputError, RenderError
from .model import Document
from .paths import TEMPLATES

RENDERED = ("word/document.xml", "word/header1.xml", "word/header2.xml")
ZIP_TIME = (2020, 3, 5, 0, 0, 0)  # fixed, so the same input gives the same bytes

CORE = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
    "<dc:title>{title}</dc:title><dc:creator>{author}</dc:creator><cp:lastModifiedBy>{author}</cp:lastModifiedBy>"
    '<dcterms:created xsi:type="dcterms:W3CDTF">{when}T00:00:00Z</dcterms:created>'
    '<dcterms:modified xsi:type="dcterms:W3CDTF">{when}T00:00:00Z</dcterms:modified>'
    "</cp:coreProperties>"
)
APP = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
    "<Application>vn_congvan</Application></Properties>"
)
DROPPED = ("docProps/thumbnail.jpeg", "docProps/custom.xml")  # never leak a template's metadata


def _environment(sandboxed: bool) -> jinja2.Environment:
    cls = ImmutableSandboxedEnvironment if sandboxed else jinja2.Environment
    return cls(autoescape=True, undefined=jinja2.StrictUndefined, keep_trailing_newline=True)


@dataclass
class CompiledTemplate:
    path: Path
    parts: dict[str, bytes]  # parts copied as they are
    compiled: dict[str, jinja2.Template]
    sect_pr: str | None = None  # the body's w:sectPr: phụ lục sections are made from it
    has_appendix_loop: bool = False
    user_supplied: bool = False  # a broken user template is the input's fault; a bundled one is ours

    @classmethod
    def load(cls, path: Path, *, sandboxed: bool) -> CompiledTemplate:
        try:
            with zipfile.ZipFile(path) as z:
                parts = {n: z.read(n) for n in z.namelist() if n not in DROPPED}
        except (OSError, zipfile.BadZipFile) as exc:
            raise InputError.one(f"không đọc được mẫu .docx (template): {exc}", file=str(path)) from None
        env = _environment(sandboxed)
        patcher = DocxTemplate(str(path))
        compiled = {}
        sect_pr, has_loop = None, False
        for name in RENDERED:
            if name in parts:
                source = patcher.patch_xml(parts.pop(name).decode("utf-8"))
                if name == "word/document.xml":
                    sect_pr = appendix.final_sect_pr(source)
                    has_loop = "appendix_blocks" in source
                try:
                    compiled[name] = env.from_string(source)
                except jinja2.TemplateSyntaxError as exc:
                    raise InputError.one(
                        f"lỗi cú pháp thẻ trong mẫu (template syntax): {exc.message}", file=str(path)
                    ) from None
        for name in ("docProps/core.xml", "docProps/app.xml"):
            parts.pop(name, None)
        return cls(path, parts, compiled, sect_pr, has_loop, user_supplied=sandboxed)

    def render_parts(self, context: dict[str, Any]) -> dict[str, bytes]:
        out = dict(self.parts)
        for name, template in self.compiled.items():
            try:
                xml = template.render(context)
                if name == "word/document.xml" and context.get("final_sect_pr"):
                    # The last phụ lục's section (maybe landscape) is the body's final w:sectPr.
                    xml = appendix.replace_final_sect_pr(xml, context["final_sect_pr"])
                out[name] = xml.encode("utf-8")
            except jinja2.UndefinedError as exc:
                error = InputError if self.user_supplied else RenderError
                raise error.one(
                    f"mẫu dùng thẻ không có dữ liệu (unknown tag): {exc.message}", file=str(self.path)
                ) from None
            except jinja2.exceptions.SecurityError as exc:
                raise InputError.one(
                    f"mẫu dùng thao tác không được phép (sandbox): {exc}", file=str(self.path)
                ) from None
            except jinja2.TemplateError as exc:
                raise RenderError.one(
                    f"lỗi khi dựng văn bản từ mẫu (template error): {exc}", file=str(self.path)
                ) from None
        return out


@cache
def _compiled(path: Path, mtime: float, sandboxed: bool) -> CompiledTemplate:
    return CompiledTemplate.load(path, sandboxed=sandboxed)


def compiled_template(path: Path, *, sandboxed: bool) -> CompiledTemplate:
    return _compiled(path, path.stat().st_mtime, sandboxed)


def template_for(doc: Document, base: Path | None = None) -> tuple[Path, bool]:
    """Profile's own template → the level's → the kind's → the layout's default.
    Returns the path and whether it is user-supplied (rendered in Jinja's sandbox)."""
    if doc.issuer.template:
        own = Path(doc.issuer.template)
        if not own.is_absolute() and base is not None:
            own = base / own
        if not own.is_file():
            raise InputError.one(f"không tìm thấy mẫu (template) '{doc.issuer.template}'", field="issuer.template")
        return own, True
    layout = doc.spec.layout
    for name in (
        f"{doc.kind}.{doc.issuer.level.value}",
        doc.kind,
        f"{layout}.{doc.issuer.level.value}",
        layout,
    ):
        candidate = TEMPLATES / f"{name}.docx"
        if candidate.is_file():
            return candidate, False
    raise RenderError.one(f"thiếu mẫu mặc định templates/{layout}.docx (chạy scripts/build_templates.py)")


def package(parts: dict[str, bytes], properties: dict[str, str], when: date | None) -> bytes:
    """Zip the parts with fixed timestamps; core properties carry the title and the issuer as author."""
    core = CORE.format(
        title=escape(properties["title"]),
        author=escape(properties["author"]),
        when=(when or date(2020, 1, 1)).isoformat(),
    )
    parts = {**parts, "docProps/core.xml": core.encode("utf-8"), "docProps/app.xml": APP.encode("utf-8")}
    order = sorted(parts, key=lambda n: (n != "[Content_Types].xml", n))
    return zipwrite.write([zipwrite.member(name, parts[name]) for name in order])


def render_bytes(doc: Document, *, draft: bool = False, base: Path | None = None) -> bytes:
    path, sandboxed = template_for(doc, base)
    template = compiled_template(path, sandboxed=sandboxed)
    if doc.appendices and not template.has_appendix_loop:
        raise RenderError.one(
            "mẫu (template) không có chỗ cho phụ lục: thêm {%p for b in appendix_blocks %}{{p b }}{%p endfor %} "
            "sau khối chữ ký (appendices need the appendix_blocks loop)",
            file=str(path),
        )
    doc = report.with_figures(doc, base)  # figures_csv files, relative to the YAML
    context = compose(doc, draft=draft, sect_pr=template.sect_pr)
    return package(template.render_parts(context), context["properties"], None if draft else doc.date)


_UMASK = os.umask(0)
os.umask(_UMASK)


def write_atomic(path: Path, data: bytes) -> None:
    """Write next to the target, then rename: a reader never sees a half-written file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    try:
        os.fchmod(fd, 0o666 & ~_UMASK)  # mkstemp makes 0600; a document is an ordinary file
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def render(doc: Document, out: Path | str, *, draft: bool = False, base: Path | None = None) -> Path:
    """Render `doc` to the .docx file `out` (written atomically)."""
    out = Path(out)
    write_atomic(out, render_bytes(doc, draft=draft, base=base))
    return out
