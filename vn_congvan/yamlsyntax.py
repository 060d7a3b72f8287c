"""PyYAML syntax errors → one plain-Vietnamese Problem at the line and column where the user must look.

PyYAML reports where it gave up ("expected <block end>, but found '<block mapping start>'" at the
next key, "found unexpected end of stream" on the last line); the cause is usually earlier: a quote
opened and never closed, a key without its colon, a line indented by a tab or by one space too many.
Each rule below recognises one cause, names it in Vietnamese with the English term and points at the
cause's line and column; the rules are tried in order (RULES) and the first that recognises the error wins.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import yaml

from .errors import Problem

_KEY_LINE = re.compile(r"\s*(?:-\s+)*[^\s#'\"-][^:#]*:(?:\s|$)")
_QUOTE = 'đặt cả câu trong dấu nháy kép "…"'


@dataclass(frozen=True)
class _Error:
    """One PyYAML error over the file's lines (tabs as PyYAML saw them: spaces), 0-based positions."""

    problem: str  # PyYAML's sentence: "could not find expected ':'"
    context: str  # and its context: "while scanning a simple key"
    line: int
    column: int
    ctx: yaml.Mark | None  # where the context started (the opening quote, the key …)
    lines: list[str]
    raw: list[str]  # the lines as written, tabs included
    source: str

    def text(self, n: int) -> str:
        return self.lines[n] if 0 <= n < len(self.lines) else ""

    def indent(self, n: int) -> int:
        return _indent(self.text(n))

    def above(self, n: int) -> int | None:
        """The nearest line above `n` that holds YAML, not a blank or a comment."""
        return next((k for k in range(n - 1, -1, -1) if _content(self.text(k))), None)


Found = tuple[int, int, str]  # line, column (0-based) and the message
Rule = Callable[[_Error], Found | None]


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" \t"))


def _content(line: str) -> bool:
    return bool(line.strip()) and not line.lstrip().startswith("#")


def _unclosed_quote(q: str) -> str:
    name = "nháy kép" if q == '"' else "nháy đơn"
    return f"dấu {name} {q} mở ở đây chưa được đóng (unclosed quote): thêm {q} ở cuối câu"


def _reserved(ch: str) -> str:
    return f"ký tự '{ch}' không được đứng đầu một giá trị YAML (reserved character): {_QUOTE}"


# ---------------------------------------------------------------- the rules, in the order they are tried


def quote_to_the_end(e: _Error) -> Found | None:
    """`title: "Kế hoạch` with no closing quote: PyYAML runs to the end of the file."""
    if "quoted scalar" in e.context and e.ctx:
        q = e.text(e.ctx.line)[e.ctx.column : e.ctx.column + 1] or '"'
        return e.ctx.line, e.ctx.column, _unclosed_quote(q)
    return None


def bracket_left_open(e: _Error) -> Found | None:
    """`kind: [ke_hoach`: reported where the bracket opened."""
    if "flow" in e.context and e.ctx:
        bracket = e.text(e.ctx.line)[e.ctx.column : e.ctx.column + 1] or "["
        closing = {"[": "]", "{": "}"}.get(bracket, "]")
        message = f"dấu '{bracket}' mở ở đây chưa được đóng bằng '{closing}' (unclosed bracket); nếu đây là văn bản, "
        return e.ctx.line, e.ctx.column, message + _QUOTE
    return None


def tab_indent(e: _Error) -> Found | None:
    """A line (or the one above it) indented with a tab: YAML indents with spaces only."""
    above = e.above(e.line)
    for n in (e.line, above):
        if n is not None and n < len(e.raw) and "\t" in e.raw[n][: _indent(e.raw[n]) + 1]:
            return (
                n,
                0,
                (
                    "dòng này thụt lề bằng phím Tab (tab character): YAML chỉ thụt lề bằng dấu cách (spaces); "
                    "thay Tab bằng dấu cách cho thẳng cột với các khóa cùng cấp"
                ),
            )
    return None


def missing_colon(e: _Error) -> Found | None:
    """`kind ke_hoach`: PyYAML notices only on the next line; the key's own line is the one to fix."""
    if e.ctx and "simple key" in e.context:
        return (
            e.ctx.line,
            e.indent(e.ctx.line),
            (
                "thiếu dấu hai chấm ':' sau khóa (missing colon): viết 'khóa: giá trị', ví dụ 'kind: ke_hoach'; "
                "nếu dòng này là phần tiếp của câu ở trên, hãy thụt lề sâu hơn khóa của câu đó"
            ),
        )
    return None


def quote_swallowed_lines(e: _Error) -> Found | None:
    """A quote left open takes everything up to the next quote character as its text; YAML then fails just
    after that quote, far from where the user must add the missing one."""
    last = None
    try:
        for token in yaml.scan(e.source, Loader=yaml.SafeLoader):
            if isinstance(token, yaml.ScalarToken) and token.style and token.end_mark.line > token.start_mark.line:
                last = token
    except yaml.YAMLError:
        pass
    if last is None or last.end_mark.line != e.line:
        return None
    start = last.start_mark
    return start.line, start.column, _unclosed_quote(e.text(start.line)[start.column])


def colon_in_text(e: _Error) -> Found | None:
    """`closing: Các cơ quan: …` (a colon and a space inside an unquoted text), or a key indented deeper than
    the line above, which YAML reads as the rest of that line's text."""
    if not e.problem.startswith("mapping values are not allowed"):
        return None
    above = e.above(e.line)
    if above is not None and e.indent(e.line) > e.indent(above) and _KEY_LINE.match(e.text(e.line)):
        return (
            e.line,
            e.indent(e.line),
            (
                f"thụt lề sai (bad indentation): dòng này thụt {e.indent(e.line)} dấu cách, sâu hơn dòng {above + 1} "
                f"({e.indent(above)}), nên YAML nối nó vào giá trị ở dòng trên; các khóa cùng cấp phải thẳng cột"
            ),
        )
    return (
        e.line,
        e.column,
        f"dấu hai chấm và dấu cách ': ' giữa câu khiến YAML hiểu nhầm là khóa (colon in text): {_QUOTE}",
    )


def stray_bracket(e: _Error) -> Found | None:
    if m := re.search(r"but found '([\]}])'", e.problem):
        message = f"dấu '{m.group(1)}' thừa, không có dấu mở tương ứng (unmatched bracket): bỏ nó đi, hoặc "
        return e.line, e.column, message + 'đặt cả giá trị trong dấu nháy kép "…"'
    return None


def dash_mid_line(e: _Error) -> Found | None:
    if e.problem.startswith("sequence entries are not allowed"):
        return (
            e.line,
            e.column,
            (
                "gạch đầu dòng '- ' không được đứng ở đây (list item not allowed here): mỗi mục danh sách ở một dòng "
                f"riêng, thụt lề dưới khóa của nó; nếu là văn bản, {_QUOTE}"
            ),
        )
    return None


def block_out_of_step(e: _Error) -> Found | None:
    """ "expected <block end>": something where the block above does not allow it. Mid-line it is the text;
    at the line's start a list item among keys, a key among list items, or an indentation no block uses."""
    if not e.problem.startswith("expected <block end>"):
        return None
    own = e.indent(e.line)
    if e.column > own:
        after_quote = e.text(e.line)[: e.column].rstrip().endswith(("'", '"'))
        what = "có chữ sau dấu nháy đóng (text after closing quote)" if after_quote else "chữ thừa (unexpected text)"
        return e.line, e.column, f'{what}: đặt cả câu trong một cặp nháy kép "…"'
    item = e.text(e.line).lstrip().startswith("-")
    aligned = e.ctx is not None and e.ctx.column == own
    if aligned and item:
        return (
            e.line,
            own,
            (
                "mục danh sách '- …' nằm giữa các khóa (list item inside a mapping): đặt các mục dưới một khóa "
                "(ví dụ 'content:') và thụt lề sâu hơn khóa đó"
            ),
        )
    if aligned and "block collection" in e.context:
        return (
            e.line,
            own,
            (
                "khóa nằm giữa các mục danh sách '- …' (key inside a list): thêm '- ' ở đầu dòng nếu đây là một mục, "
                "hoặc thụt lề cho thẳng cột với khóa cùng cấp"
            ),
        )
    levels = [n for n in _open_levels(e) if n != own] or [0]
    nearest = sorted(
        {
            max((n for n in levels if n < own), default=levels[0]),
            min((n for n in levels if n > own), default=levels[-1]),
        }
    )
    return (
        e.line,
        own,
        (
            f"thụt lề sai (bad indentation): dòng này thụt {own} dấu cách, không khớp cấp nào ở trên "
            f"({' hoặc '.join(map(str, nearest))} dấu cách); các khóa cùng cấp phải thẳng cột"
        ),
    )


def _open_levels(e: _Error) -> list[int]:
    """Indentations the error's line may use: those of the blocks still open above it."""
    levels: set[int] = set()
    lowest: int | None = None
    for line in reversed(e.lines[: e.line]):
        if not _content(line):
            continue
        indent = _indent(line)
        if lowest is None or indent < lowest:
            levels.add(indent)
            lowest = indent
            if m := re.match(r"(\s*)((?:-\s+)+)", line):  # "  - heading: x": its keys start after the dash
                levels.add(len(m.group(1)) + len(m.group(2)))
        if lowest == 0:
            break
    return sorted(levels)


def reserved_start(e: _Error) -> Found | None:
    """`title: @abc`, `*Tổ chức`, `!x`, `|x`, `%x`: a value starting with a character YAML reads as syntax."""
    if m := re.match(r"found character '(.)' that cannot start any token", e.problem):
        return e.line, e.column, _reserved(m.group(1))
    if e.ctx and re.match(r"while (scanning|parsing) an? (alias|anchor|tag|block scalar|directive)", e.context):
        return e.ctx.line, e.ctx.column, _reserved(e.text(e.ctx.line)[e.ctx.column : e.ctx.column + 1])
    return None


def undefined_alias(e: _Error) -> Found | None:
    if m := re.match(r"found undefined alias '(.*)'", e.problem):
        return (
            e.line,
            e.column,
            f"'*{m.group(1)}' là bí danh YAML chưa khai báo (undefined alias): nếu đây là văn bản, {_QUOTE}",
        )
    return None


def second_document(e: _Error) -> Found | None:
    if "another document" in e.problem:
        return e.line, e.column, "tệp chỉ chứa một văn bản: bỏ dòng '---' thứ hai (a second YAML document)"
    return None


def bad_escape(e: _Error) -> Found | None:
    if "escape character" in e.problem:
        return (
            e.line,
            e.column,
            ("dấu '\\' trong nháy kép mở đầu một ký tự thoát (unknown escape): viết '\\\\' hoặc dùng nháy đơn '…'"),
        )
    return None


RULES: list[Rule] = [
    quote_to_the_end,
    bracket_left_open,
    quote_swallowed_lines,
    tab_indent,
    missing_colon,
    colon_in_text,
    stray_bracket,
    dash_mid_line,
    block_out_of_step,
    reserved_start,
    undefined_alias,
    second_document,
    bad_escape,
]


def syntax_problem(exc: yaml.MarkedYAMLError, original: str, file: str) -> Problem:
    """Explain `exc`, raised on `original` with tabs turned into spaces, at the cause's line and column."""
    source = original.replace("\t", " ")
    lines = source.splitlines() or [""]
    mark = exc.problem_mark
    e = _Error(
        exc.problem or "",
        exc.context or "",
        mark.line if mark else len(lines) - 1,
        mark.column if mark else 0,
        exc.context_mark,
        lines,
        original.splitlines() or [""],
        source,
    )
    for rule in RULES:
        if found := rule(e):
            line, column, message = found
            return Problem(message, file, line + 1, column + 1)
    # PyYAML's remaining sentences name its tokens ("<document start>"): only its plain ones are shown.
    detail = f": {e.problem}" if "<" not in e.problem else ""
    return Problem(
        f"lỗi cú pháp YAML (syntax error){detail}; kiểm tra thụt lề, dấu nháy và dấu hai chấm ở dòng này và dòng trên",
        file,
        e.line + 1,
        e.column + 1,
    )
