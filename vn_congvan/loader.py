"""YAML → validated Document, with every problem reported at once as file:line:column.

PyYAML's own typing is bypassed: scalars stay strings (`NO`, `0123`, `2025-02-30` are not
False, 83 or a bare ValueError) until pydantic validates them; duplicate keys are errors.
"""

from __future__ import annotations

import itertools
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from . import limits, vntext
from .errors import FieldError, InputError, Problem
from .model import Document
from .paths import PROFILES
from .yamlsyntax import syntax_problem

Path_ = tuple[str | int, ...]

_PROFILE_NAME = re.compile(r"[a-z0-9][a-z0-9_-]*")

# A document nests a few levels (body → section → items → items); anything deeper is hostile input
# that would exhaust Python's recursion in PyYAML's composer or in `_Tree.build`.
MAX_DEPTH = 50
# Aliases (*x) repeat a node: allowed, but a few nested ones ("billion laughs") would expand forever, so the
# data after expansion is budgeted (limits.YAML_NODES, limits.YAML_MB), counted as it is built.
# Tags the resolver gives plain scalars, lists and mappings; an explicit `!!python/…` or `!foo` is refused.
_PLAIN = ("str", "int", "float", "bool", "null", "timestamp", "merge", "value", "seq", "map")
_PLAIN_TAGS = {f"tag:yaml.org,2002:{t}" for t in _PLAIN}


@dataclass(frozen=True)
class Mark:
    file: str
    line: int
    column: int


class _Tree:
    """Plain data (dicts, lists, strings, None) plus the source position of every node."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.marks: dict[Path_, Mark] = {}
        self.problems: list[Problem] = []
        self._open: set[int] = set()  # nodes being built: an alias to one of them is recursive
        self._nodes = limits.YAML_NODES.limit
        self._chars = limits.YAML_MB.bytes
        self.over = False  # a budget ran out: the rest is not built

    def mark(self, path: Path_, node: yaml.Node) -> None:
        self.marks[path] = Mark(self.file, node.start_mark.line + 1, node.start_mark.column + 1)

    def problem(self, message: str, node: yaml.Node, path: Path_) -> None:
        m = node.start_mark
        self.problems.append(Problem(message, self.file, m.line + 1, m.column + 1, _dotted(path)))

    def build(self, node: yaml.Node, path: Path_ = ()) -> Any:
        if id(node) in self._open:
            self.problem("bí danh YAML tự tham chiếu (recursive alias)", node, path)
            return None
        if self.over:
            return None
        self._nodes -= 1
        if isinstance(node, yaml.ScalarNode):
            self._chars -= len(node.value)
        if self._nodes < 0 or self._chars < 0:
            self.over = True
            budget = limits.YAML_NODES if self._nodes < 0 else limits.YAML_MB
            self.problem(budget.message(), node, path)
            return None
        if node.tag not in _PLAIN_TAGS:
            self.problem(f"thẻ YAML không được hỗ trợ (unsupported tag): {node.tag}", node, path)
            return None
        self.mark(path, node)
        if isinstance(node, yaml.ScalarNode):
            return self.scalar(node, path)
        self._open.add(id(node))
        try:
            return self.collection(node, path)
        finally:
            self._open.discard(id(node))

    def collection(self, node: yaml.Node, path: Path_) -> Any:
        if isinstance(node, yaml.MappingNode):
            out: dict[str, Any] = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, yaml.ScalarNode):
                    self.problem("khóa phải là chuỗi (key must be a string)", key_node, path)
                    continue
                key = self.text(key_node, path)
                if " " in key.strip():
                    # "…như sau:" at the end of a line makes YAML read the sentence as a key.
                    self.problem(
                        f"câu '{key[:40]}…' bị YAML hiểu là khóa vì kết thúc bằng dấu hai chấm; "
                        'hãy đặt cả câu trong dấu nháy kép "…" (quote the text)',
                        key_node,
                        path,
                    )
                    continue
                if key in out:
                    self.problem(f"khóa '{key}' bị lặp (duplicate key)", key_node, (*path, key))
                    continue
                out[key] = self.build(value_node, (*path, key))
            return out
        return [self.build(child, (*path, i)) for i, child in enumerate(node.value)]

    def scalar(self, node: yaml.ScalarNode, path: Path_) -> Any:
        if node.style is None and node.value in ("", "~", "null", "Null", "NULL"):
            return None
        return self.text(node, path)

    def text(self, node: yaml.ScalarNode, path: Path_) -> str:
        try:
            return vntext.clean(node.value)
        except ValueError as exc:
            self.problem(str(exc), node, path)
            return node.value


# Characters YAML or XML refuse (controls, U+FFFE/U+FFFF), found in C rather than one by one in Python.
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f\u2028\u2029\ufffe\uffff]")


def _clean_error(ch: str) -> ValueError | None:
    try:
        vntext.clean(ch)
    except ValueError as exc:
        return exc
    return None


def _dotted(path: Path_) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _check_depth(source: str, file: str) -> None:
    """PyYAML's event parser is iterative; its composer recurses once per level. Refuse deep nesting first."""
    depth = 0
    for event in yaml.parse(source, Loader=yaml.SafeLoader):
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                m = event.start_mark
                raise InputError.one(
                    f"lồng nhau quá {MAX_DEPTH} cấp (nesting too deep)", file=file, line=m.line + 1, column=m.column + 1
                )
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


def read_yaml(path: Path) -> tuple[Any, _Tree]:
    """Parse one YAML file into plain data with marks; syntax errors become InputError."""
    file = str(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise InputError.one("không tìm thấy tệp (file not found)", file=file) from None
    except IsADirectoryError:
        raise InputError.one("là một thư mục, không phải tệp (is a directory)", file=file) from None
    except OSError as exc:
        raise InputError.one(f"không đọc được tệp (cannot read): {exc.strerror}", file=file) from None
    if len(raw) > limits.YAML_MB.bytes:  # PyYAML reads a few hundred KB a second: refuse before, not after
        raise limits.YAML_MB.error(f"tệp {limits.mb(len(raw))}", file=file)
    try:
        source = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line, col = before.count(b"\n") + 1, exc.start - (before.rfind(b"\n") + 1) + 1
        raise InputError.one(
            f"tệp không phải UTF-8 (encoding): byte 0x{raw[exc.start]:02X}; hãy lưu lại với mã UTF-8",
            file=file,
            line=line,
            column=col,
        ) from None
    tree = _Tree(file)
    # PyYAML rejects these with no line number: report them ourselves, all at once.
    bad = [
        Problem(str(exc), file, source.count("\n", 0, m.start()) + 1, m.start() - source.rfind("\n", 0, m.start()))
        for m in itertools.islice(_CONTROL.finditer(source), 100)  # the first hundred say enough
        if (exc := _clean_error(m.group()))
    ]
    if bad:
        raise InputError(bad)
    # Tabs and the vertical tab / form feed Word pastes are spaces in text, never YAML syntax.
    original = source.removeprefix("\ufeff")
    source = re.sub("[\t\x0b\x0c]", " ", original)
    try:
        _check_depth(source, file)
        node = yaml.compose(source, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        raise InputError([syntax_problem(exc, original, file)]) from None
    except yaml.YAMLError as exc:
        raise InputError.one(f"lỗi cú pháp YAML (syntax error): {exc}", file=file) from None
    if node is None:
        raise InputError.one("tệp YAML rỗng (empty file)", file=file, line=1)
    data = tree.build(node)
    return data, tree


def _merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in over.items():
        out[key] = _merge(out[key], value) if isinstance(value, dict) and isinstance(out.get(key), dict) else value
    return out


def find_profile(name: str, relative_to: Path) -> Path:
    """A profile is a bundled name (`ubnd-tinh-thai-nguyen`) or a path to a .yaml file."""
    try:
        if name.endswith((".yaml", ".yml")):
            candidate = (relative_to / name).resolve()
            if candidate.is_file():
                return candidate
        elif _PROFILE_NAME.fullmatch(name):
            for folder in (relative_to / "profiles", relative_to.parent / "profiles", PROFILES):
                candidate = folder / f"{name}.yaml"
                if candidate.is_file():
                    return candidate
    except (OSError, RuntimeError):  # a name too long for the file system, a symlink loop: no such profile
        pass
    raise FileNotFoundError(name)


def load_data(path: Path | str) -> tuple[dict[str, Any], dict[Path_, Mark]]:
    """The document's data with its profile merged under `issuer`, and where each value came from."""
    path = Path(path)
    data, tree = read_yaml(path)
    if not isinstance(data, dict):
        root = tree.marks[()]
        raise InputError.one(
            "tệp văn bản phải là một bảng khóa: giá trị (mapping)", file=str(path), line=root.line, column=root.column
        )
    marks = dict(tree.marks)
    problems = list(tree.problems)
    profile = data.get("profile")
    if isinstance(profile, str):
        where = marks[("profile",)]
        try:
            profile_path = find_profile(profile, path.parent)
        except FileNotFoundError:
            message = (
                f"không tìm thấy hồ sơ cơ quan (profile) '{profile}' trong profiles/"
                if profile.endswith((".yaml", ".yml")) or _PROFILE_NAME.fullmatch(profile)
                else f"tên hồ sơ cơ quan (profile) không hợp lệ: {profile!r}; dùng tên trong profiles/ "
                "(chữ thường không dấu, số, '-', '_') hoặc đường dẫn tới tệp .yaml (invalid profile name)"
            )
            problems.append(Problem(message, where.file, where.line, where.column, "profile"))
        else:
            pdata, ptree = read_yaml(profile_path)
            problems += ptree.problems
            if not isinstance(pdata, dict):
                root = ptree.marks[()]
                problems.append(
                    Problem("hồ sơ phải là một bảng khóa: giá trị (mapping)", root.file, root.line, root.column)
                )
            else:
                # The profile's own template is found beside the profile, wherever the document is.
                template = pdata.get("template")
                if isinstance(template, str) and template and not Path(template).is_absolute():
                    pdata["template"] = os.path.normpath(profile_path.parent / template)
                for p, m in ptree.marks.items():
                    marks.setdefault(("issuer", *p), m)
                doc_issuer = data.get("issuer") or {}
                data["issuer"] = _merge(pdata, doc_issuer) if isinstance(doc_issuer, dict) else doc_issuer
                for p, m in tree.marks.items():  # the document's own values win
                    if p[:1] == ("issuer",):
                        marks[p] = m
    if problems:
        raise InputError(problems)
    return data, marks


_MESSAGES = {
    "missing": "thiếu trường bắt buộc (missing field)",
    "extra_forbidden": "khóa không được hỗ trợ (unknown key)",
    "string_type": "cần một chuỗi văn bản (string)",
    "list_type": "cần một danh sách (list)",
    "dict_type": "cần một bảng khóa: giá trị (mapping)",
    "model_type": "cần một bảng khóa: giá trị (mapping)",
    "int_parsing": "cần một số nguyên (integer)",
    "int_type": "cần một số nguyên (integer)",
    "bool_parsing": "cần true hoặc false (boolean)",
    "date_from_datetime_parsing": "ngày không hợp lệ (invalid date), cần dạng YYYY-MM-DD",
    "date_parsing": "ngày không hợp lệ (invalid date), cần dạng YYYY-MM-DD",
    "date_type": "ngày không hợp lệ (invalid date), cần dạng YYYY-MM-DD",
    "float_parsing": "cần một số (number)",
    "float_type": "cần một số (number)",
    "bool_type": "cần true hoặc false (boolean)",
    "none_required": "không được có giá trị ở đây (must be empty)",
}


def _message(err: dict[str, Any]) -> str:
    kind = err["type"]
    if kind in ("value_error", "assertion_error"):
        return str(err["msg"]).removeprefix("Value error, ")
    if kind == "literal_error":
        return f"giá trị không hợp lệ (invalid value); chọn một trong: {err['ctx']['expected']}"
    if kind == "enum":
        return f"giá trị không hợp lệ (invalid value); chọn một trong: {err['ctx']['expected']}"
    if kind == "block":
        return str(err["msg"])
    # pydantic's own sentence is English: kept after the Vietnamese words, never its internal names.
    return _MESSAGES.get(kind, f"giá trị không hợp lệ (invalid value): {err['msg']}")


def _where(err: dict[str, Any], data: Any, marks: dict[Path_, Mark]) -> tuple[Path_, Mark | None]:
    """The field a pydantic error is about, and where it is written.

    pydantic's `loc` mixes data keys with its own parts (union members 'str', 'Signer', validators
    'function-after[…]'): keep only the keys and indexes the data has, then the key that is missing, or
    the field a model check names (FieldError). A field that is absent has no line of its own: the
    mark is that of the mapping that lacks it, and none at the top (never a misleading 1:1)."""
    path: list[str | int] = []
    node = data
    for part in err["loc"]:
        key = isinstance(node, dict) and isinstance(part, str) and part in node
        index = isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)
        if key or index:
            node = node[part]
            path.append(part)
    cause = (err.get("ctx") or {}).get("error")
    extra = cause.field.split(".") if isinstance(cause, FieldError) else []
    if err["type"] == "missing":
        extra = [err["loc"][-1]]
    label = (*path, *extra)
    for part in extra:  # the deepest part that is written somewhere
        if not (isinstance(node, dict) and part in node):
            break
        node = node[part]
        path.append(part)
    return label, marks.get(tuple(path)) if path else None


def _value_at(data: Any, path: Path_) -> Any:
    for part in path:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data


# One value checked against a union (`signer: name | mapping`) fails every member: keep the member
# that fits the value's type, or say which types would do.
_TYPE_ERRORS = {"string_type": str, "model_type": dict, "dict_type": dict, "list_type": list}


def _fill_problems(data: Any, marks: dict[Path_, Mark], doc: Document) -> list[Problem]:
    """Every `fill:` must resolve ({campaign.theme} needs a theme): checked now, where lines are known."""
    from .compose import Composer

    composer, problems = Composer(doc), []

    def walk(node: Any, path: Path_) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "fill" and isinstance(value, str):
                    try:
                        composer.fill(value)
                    except InputError as exc:
                        m = marks.get((*path, key))
                        problems.append(
                            Problem(
                                exc.problems[0].message,
                                m.file if m else marks[()].file if () in marks else "",
                                m.line if m else None,
                                m.column if m else None,
                                _dotted((*path, key)),
                            )
                        )
                else:
                    walk(value, (*path, key))
        elif isinstance(node, list):
            for i, value in enumerate(node):
                walk(value, (*path, i))

    walk(data, ())
    return problems


def validate(data: dict[str, Any], marks: dict[Path_, Mark]) -> Document:
    doc = _validate_model(data, marks)
    problems = _fill_problems(data, marks, doc)
    if problems:
        raise InputError(problems)
    return doc


def _validate_model(data: dict[str, Any], marks: dict[Path_, Mark]) -> Document:
    try:
        return Document.model_validate(data)
    except ValidationError as exc:
        raise InputError(validation_problems(exc, data, marks)) from None


def validation_problems(exc: ValidationError, data: Any, marks: dict[Path_, Mark], file: str = "") -> list[Problem]:
    """pydantic's errors as Problems: Vietnamese message, dotted field, the line where the field is written
    (`file` when there are no marks, e.g. for a parsed .docx)."""
    file = marks[()].file if () in marks else file
    found: dict[Path_, list[tuple[str, str, Mark | None]]] = {}
    for err in exc.errors():
        field, mark = _where(err, data, marks)
        found.setdefault(field, []).append((err["type"], _message(err), mark))
    problems = []
    for field, errs in found.items():
        value = _value_at(data, field)
        fitting = [e for e in errs if not (e[0] in _TYPE_ERRORS and isinstance(value, _TYPE_ERRORS[e[0]]))]
        fitting = [e for e in fitting if e[0] not in _TYPE_ERRORS] or fitting
        if len(fitting) > 1 and all(e[0] in _TYPE_ERRORS for e in fitting):
            either = " hoặc ".join(dict.fromkeys(e[1].removeprefix("cần ") for e in fitting))
            fitting = [(fitting[0][0], f"cần {either}", fitting[0][2])]
        for message in dict.fromkeys(e[1] for e in fitting):
            mark = next(e[2] for e in fitting if e[1] == message)
            if mark:
                problems.append(Problem(message, mark.file, mark.line, mark.column, _dotted(field)))
            else:
                problems.append(Problem(message, file, field=_dotted(field)))
    return problems


def load(path: Path | str) -> Document:
    """Read, merge the profile, validate. Raises InputError listing every problem."""
    from .report import with_figures  # figures_csv are input too: a bad CSV fails here, before any write

    data, marks = load_data(path)
    return with_figures(validate(data, marks), Path(path).parent)
