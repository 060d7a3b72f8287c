"""Render a composed document into a .docx through a docxtpl template.

A template is compiled once (docxtpl's tag clean-up, then Jinja with autoescape and
StrictUndefined) and reused; each document only renders XML strings and writes a zip whose
unchanged parts are copied as they are. Output is byte-reproducible and written atomically.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import posixpath
import pyexpat
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cache, lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import jinja2
from docxtpl import DocxTemplate
from jinja2 import meta, nodes
from jinja2.sandbox import ImmutableSandboxedEnvironment
from lxml import etree
from markupsafe import Markup, escape

from . import appendix, limits, report, zipwrite
from .compose import compose
from .errors import InputError, Problem, RenderError
from .model import Document
from .package import open_package
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


REQUIRED = ("[Content_Types].xml", "_rels/.rels", "word/document.xml", "word/styles.xml")
_XML_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_OVERRIDE = "{http://schemas.openxmlformats.org/package/2006/content-types}Override"
_INCLUDES = (nodes.Include, nodes.Import, nodes.FromImport, nodes.Extends)
_RID = re.compile(rb'r:(?:id|embed|link|pict)="([^"]*)"')  # a rendered part's references to its relationships


def _environment(sandboxed: bool) -> jinja2.Environment:
    cls = ImmutableSandboxedEnvironment if sandboxed else jinja2.Environment
    return cls(autoescape=True, undefined=jinja2.StrictUndefined, keep_trailing_newline=True)


def _escape(value: Any) -> Markup:
    """What a template's {{ x }} calls: markupsafe's escape, but the blocks and lines compose built (Markup,
    escaped once when made) pass as they are, not rebuilt as a new Markup each time they are printed."""
    return value if value.__class__ is Markup else escape(value)


def _well_formed(name: str, data: bytes) -> str | None:
    """None, or what is wrong with the XML part (empty, not XML, unbalanced)."""
    try:  # expat without a tree: a fifth of lxml's cost, so every output can afford it
        pyexpat.ParserCreate(namespace_separator=" ").Parse(data, True)
    except (pyexpat.ExpatError, LookupError, ValueError) as exc:  # LookupError: encoding="junk"
        return f"phần {name} không phải XML hợp lệ (not well-formed XML: {exc})"
    return None


def _target(source: str, rel: Any) -> str | None:
    """The part a relationship of `source`'s .rels points to (None: external)."""
    if rel.get("TargetMode") == "External":
        return None
    target = unquote(rel.get("Target", ""))  # part names are URIs: "media/a%20b.png"
    folder = source.rsplit("/_rels/", 1)[0] if "/_rels/" in source else ""
    joined = target.lstrip("/") if target.startswith("/") else f"{folder}/{target}".lstrip("/")
    return posixpath.normpath(joined)


def _relationship_ids(parts: dict[str, bytes], name: str) -> frozenset[bytes]:
    folder, _, base = name.rpartition("/")
    rels = parts.get(f"{folder}/_rels/{base}.rels")
    if rels is None:
        return frozenset()
    return frozenset(rel.get("Id", "").encode() for rel in etree.fromstring(rels, _XML_PARSER).iter(_REL))


def _template_parts(path: Path, user: bool) -> dict[str, bytes]:
    """The template's parts, checked once when it is compiled: within the .docx budgets, the parts Word needs
    present, every XML part UTF-8 and well-formed, no relationship to a part that is not in the output."""
    error = InputError if user else RenderError
    with open_package(path) as z:
        parts = {n: z.read(n) for n in z.namelist() if not n.endswith("/")}
    missing = [n for n in REQUIRED if n not in parts]
    if missing:
        raise error.one(f"mẫu .docx thiếu phần {', '.join(missing)} (template is missing parts)", file=str(path))
    problems = []
    for name, data in parts.items():
        if not name.endswith((".xml", ".rels")):
            continue
        try:
            data.decode("utf-8")
        except UnicodeDecodeError as exc:
            problems.append(f"phần {name} không phải UTF-8 (encoding): byte {exc.start}")
            continue
        if bad := _well_formed(name, data):
            problems.append(bad)
    if problems:
        raise error([Problem(f"mẫu .docx hỏng (broken template): {p}", file=str(path)) for p in problems])
    kept = set(parts) - set(DROPPED) | {"docProps/core.xml", "docProps/app.xml"}
    for name in [n for n in parts if n.endswith(".rels")]:
        root, changed = etree.fromstring(parts[name], _XML_PARSER), False
        for rel in list(root.iter(_REL)):
            target = _target(name, rel)
            if target in DROPPED:
                root.remove(rel)  # a dropped thumbnail or custom.xml leaves no dangling relationship
                changed = True
            elif target is not None and target not in kept:
                raise error.one(
                    f"mẫu .docx có quan hệ (relationship) {rel.get('Id')} trong {name} tới phần không có: {target}",
                    file=str(path),
                )
        if changed:
            parts[name] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    types = etree.fromstring(parts["[Content_Types].xml"], _XML_PARSER)
    dropped = [o for o in types.iter(_OVERRIDE) if o.get("PartName", "").lstrip("/") in DROPPED]
    if dropped:
        for override in dropped:
            types.remove(override)
        parts["[Content_Types].xml"] = etree.tostring(types, xml_declaration=True, encoding="UTF-8", standalone=True)
    for name in DROPPED:
        parts.pop(name, None)
    return parts


def _compile_sources(env: jinja2.Environment, sources: dict[str, str], path: Path) -> dict[str, tuple[str, str]]:
    """docxtpl's tag clean-up, then Jinja to Python source: name → (patched XML, Python source). For a user
    template this runs in a child under the template budgets (docxtpl's regexes and Jinja's parser on
    hostile XML can take long)."""
    patcher = DocxTemplate(str(path))
    out = {}
    for name, source in sources.items():
        patched = patcher.patch_xml(source)
        try:
            tree = env.parse(patched)
        except jinja2.TemplateSyntaxError as exc:
            raise InputError.one(
                f"lỗi cú pháp thẻ trong mẫu (template syntax): {exc.message}", file=str(path)
            ) from None
        if isinstance(env, ImmutableSandboxedEnvironment) and next(tree.find_all(_INCLUDES), None) is not None:
            raise InputError.one(
                "mẫu riêng không được dùng {% include %}, {% import %} hay {% extends %}: "
                "mẫu .docx phải tự chứa mọi thẻ (template must be self-contained)",
                file=str(path),
            )
        out[name] = (patched, str(env.compile(tree, raw=True)))
    return out


@dataclass
class CompiledTemplate:
    path: Path
    parts: dict[str, bytes]  # parts copied as they are
    compiled: dict[str, jinja2.Template]
    sect_pr: str | None = None  # the body's w:sectPr: phụ lục sections are made from it
    has_appendix_loop: bool = False
    user_supplied: bool = False  # a broken user template is the input's fault; a bundled one is ours
    relationship_ids: dict[str, frozenset[bytes]] = field(default_factory=dict)  # per rendered part
    printed: frozenset[str] | None = None  # the context names its parts use (a bundled template's)
    globals: dict[str, Any] = field(default_factory=dict)  # the Jinja globals its parts see (range, dict…)

    @classmethod
    def load(cls, path: Path, *, sandboxed: bool) -> CompiledTemplate:
        parts = _template_parts(path, sandboxed)
        ids = {name: _relationship_ids(parts, name) for name in RENDERED}
        env = _environment(sandboxed)
        sources = {}
        for name in RENDERED:
            if name in parts:
                sources[name] = parts.pop(name).decode("utf-8")
        if sandboxed:
            code = limits.run_limited(lambda: _compile_sources(env, sources, path), file=str(path))
        else:
            code = _compile_sources(env, sources, path)
        compiled = {}
        for name, (_, python) in code.items():
            try:
                compiled[name] = env.template_class.from_code(
                    env, compile(python, "<template>", "exec"), env.make_globals(None), None
                )
                compiled[name].root_render_func.__globals__["escape"] = _escape  # the module its code runs in
            except (SyntaxError, RecursionError, MemoryError, ValueError) as exc:
                message = f"mẫu quá phức tạp, không dịch được (template too complex): {exc}"
                raise InputError.one(message, file=str(path)) from None
        document = code.get("word/document.xml", ("", ""))[0]
        sect_pr = appendix.final_sect_pr(document) if document else None
        for name in ("docProps/core.xml", "docProps/app.xml"):
            parts.pop(name, None)
        printed = None
        if not sandboxed:  # a bundled template, parsed again at no risk: compose skips what it does not print
            printed = frozenset().union(*(meta.find_undeclared_variables(env.parse(x)) for x, _ in code.values()))
        has_loop, jinja_globals = "appendix_blocks" in document, dict(env.make_globals(None))
        return cls(path, parts, compiled, sect_pr, has_loop, sandboxed, ids, printed, jinja_globals)

    def render_parts(self, context: dict[str, Any]) -> dict[str, bytes]:
        if self.user_supplied:
            return limits.run_limited(lambda: self._render_parts(context), file=str(self.path))
        return self._render_parts(context)

    def _render_parts(self, context: dict[str, Any]) -> dict[str, bytes]:
        out = dict(self.parts)
        budget, size = limits.DOCUMENT_MB.bytes, 0
        # One Jinja Context per part over one dict of the globals and the document's values (generate()
        # would copy the values twice per part; the globals are a ChainMap, slow to copy).
        values = {**self.globals, **context}
        for name, template in self.compiled.items():
            try:
                chunks = []
                env = template.environment
                render = template.root_render_func(env.context_class(env, values, template.name, template.blocks))
                for chunk in render:  # streamed, so an oversized document stops early
                    size += len(chunk)
                    if size > budget:
                        raise limits.DOCUMENT_MB.error(file=str(self.path))
                    chunks.append(chunk)
                xml = "".join(chunks)
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
            # What a user template's tags can break, checked per output: well-formed XML, known relationships.
            # A bundled template's tags only print the library's own escaped text and markup: not re-checked.
            if not self.user_supplied:
                continue
            bad = _well_formed(name, out[name])
            if bad is None and (unknown := set(_RID.findall(out[name])) - self.relationship_ids.get(name, set())):
                bad = f"phần {name} tham chiếu quan hệ (relationship) không có: {b', '.join(sorted(unknown)).decode()}"
            if bad:
                error = InputError if self.user_supplied else RenderError
                raise error.one(f"văn bản dựng ra hỏng (broken output): {bad}", file=str(self.path))
        return out


@cache
def _compiled(path: Path, mtime: int, sandboxed: bool) -> CompiledTemplate:
    return CompiledTemplate.load(path, sandboxed=sandboxed)


def compiled_template(path: Path, *, sandboxed: bool) -> CompiledTemplate:
    return _compiled(path, _mtime(path), sandboxed)


# While templates are pinned (a batch): each file's time, read once. None: read for every document.
_PINNED: dict[Path, int] | None = None


@contextlib.contextmanager
def pinned_templates() -> Iterator[None]:
    """Within: a template file's time (does it need compiling again?) and the bundled templates folder's
    (which template applies?) are read once, not once per document: a batch renders thousands with the
    same one or two. A template edited during a batch is used from the next batch on."""
    global _PINNED
    outer = _PINNED
    _PINNED = {} if outer is None else outer
    try:
        yield
    finally:
        _PINNED = outer


def _mtime(path: Path) -> int:
    if _PINNED is None:
        return path.stat().st_mtime_ns
    when = _PINNED.get(path)
    if when is None:
        when = _PINNED[path] = path.stat().st_mtime_ns
    return when


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
    found = _bundled(doc.kind, doc.issuer.level.value, layout, _mtime(TEMPLATES))
    if found is None:
        raise RenderError.one(f"thiếu mẫu mặc định templates/{layout}.docx (chạy scripts/build_templates.py)")
    return found, False


@lru_cache(maxsize=256)  # one stat of the folder per document instead of up to four (a file added changes it)
def _bundled(kind: str, level: str, layout: str, _folder_mtime: int) -> Path | None:
    for name in (f"{kind}.{level}", kind, f"{layout}.{level}", layout):
        candidate = TEMPLATES / f"{name}.docx"
        if candidate.is_file():
            return candidate
    return None


def package(parts: dict[str, bytes], properties: dict[str, str], when: date | None) -> bytes:
    """Zip the parts with fixed timestamps; core properties carry the title and the issuer as author."""
    return _zip(_with_properties(parts, properties, when))


def _with_properties(parts: dict[str, bytes], properties: dict[str, str], when: date | None) -> dict[str, bytes]:
    core = CORE.format(
        title=escape(properties["title"]),
        author=escape(properties["author"]),
        when=(when or date(2020, 1, 1)).isoformat(),
    )
    return {**parts, "docProps/core.xml": core.encode("utf-8"), "docProps/app.xml": APP.encode("utf-8")}


def _zip(parts: dict[str, bytes]) -> bytes:
    # The template's parts come from the cache; a document's own parts would only fill it.
    own = ("word/document.xml", "docProps/core.xml")
    return zipwrite.write([(zipwrite.pack if n in own else zipwrite.member)(n, parts[n]) for n in _order(tuple(parts))])


@lru_cache(maxsize=64)  # a template's documents all have the same parts
def _order(names: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(sorted(names, key=lambda n: (n != "[Content_Types].xml", n)))


def render_bytes(doc: Document, *, draft: bool = False, base: Path | None = None) -> bytes:
    return render_package(doc, draft=draft, base=base)[1]


def render_package(doc: Document, *, draft: bool = False, base: Path | None = None) -> tuple[dict[str, bytes], bytes]:
    """The document's parts and the .docx zipped from them: batch checks the parts without unzipping."""
    template, doc = _prepared(doc, base)
    parts = _parts(template, doc, compose(doc, draft=draft, sect_pr=template.sect_pr, printed=template.printed), draft)
    return parts, _zip(parts)


def render_packages(docs: Sequence[Document]) -> list[tuple[dict[str, bytes], bytes] | Exception]:
    """render_package of each document, stage by stage: all found their template, then all composed, all
    rendered, all zipped. A batch's documents pass each stage together, which keeps that stage's code and
    data in the CPU's caches (10–15 % less CPU than one document after another); the same bytes. A document
    that fails has its exception in its place, and the others are made."""
    out: list[Any] = []
    for doc in docs:
        out.append(_attempt(_prepared, doc, None))
    contexts = [
        r if isinstance(r, Exception) else _attempt(compose, r[1], sect_pr=r[0].sect_pr, printed=r[0].printed)
        for r in out
    ]
    for i, (r, context) in enumerate(zip(out, contexts, strict=True)):
        out[i] = context if isinstance(context, Exception) else _attempt(_parts, r[0], r[1], context, False)
    return [r if isinstance(r, Exception) else (r, _zip(r)) for r in out]


def _attempt(stage: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    try:
        return stage(*args, **kwargs)
    except Exception as exc:  # the caller's (a batch's unit) to report; the other documents go on
        return exc


def _prepared(doc: Document, base: Path | None) -> tuple[CompiledTemplate, Document]:
    """The document's compiled template, and the document with its figures_csv files read."""
    path, sandboxed = template_for(doc, base)
    template = compiled_template(path, sandboxed=sandboxed)
    if doc.appendices and not template.has_appendix_loop:
        raise RenderError.one(
            "mẫu (template) không có chỗ cho phụ lục: thêm {%p for b in appendix_blocks %}{{p b }}{%p endfor %} "
            "sau khối chữ ký (appendices need the appendix_blocks loop)",
            file=str(path),
        )
    return template, report.with_figures(doc, base)  # figures_csv files, relative to the YAML


def _parts(template: CompiledTemplate, doc: Document, context: dict[str, Any], draft: bool) -> dict[str, bytes]:
    parts = _with_properties(template.render_parts(context), context["properties"], None if draft else doc.date)
    box = str(escape(context.get("ky_so", ""))).encode()
    if box and not any(box in data for name, data in parts.items() if name.startswith("word/header")):
        raise (InputError if template.user_supplied else RenderError).one(
            "mẫu (template) không in chữ ký số của cơ quan: thêm {{ ky_so }} vào đầu trang của trang đầu "
            "(the agency's ký số box needs the ky_so tag in the first page's header)",
            file=str(template.path),
        )
    return parts


_PART_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
_PART_FLAGS |= getattr(os, "O_BINARY", 0)
_PARTS = itertools.count()


def write_atomic(path: Path, data: bytes) -> None:
    """Write next to the target, then rename: a reader never sees a half-written file. The temporary file is
    created 0666 less the umask, like any file (a batch writes thousands: no mkdir, chmod or random name each)."""
    folder, name = os.path.split(os.fspath(path))  # plain strings: a batch builds thousands of these names
    while True:
        tmp = os.path.join(folder, f".{name}.{os.getpid():x}_{next(_PARTS):x}.part")
        try:
            fd = os.open(tmp, _PART_FLAGS, 0o666)
            break
        except FileExistsError:  # another process's, by chance: take the next name
            continue
        except FileNotFoundError:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
    try:
        try:  # os.write, not a file object: no fstat, ioctl and lseek per file
            done = os.write(fd, data)
            while done < len(data):
                done += os.write(fd, memoryview(data)[done:])
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def render(doc: Document, out: Path | str, *, draft: bool = False, base: Path | None = None) -> Path:
    """Render `doc` to the .docx file `out` (written atomically)."""
    out = Path(out)
    write_atomic(out, render_bytes(doc, draft=draft, base=base))
    return out
