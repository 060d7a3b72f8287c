"""PyYAML syntax errors → one plain-Vietnamese Problem at the line and column where the user must look.

PyYAML reports where it gave up ("expected <block end>, but found '<block mapping start>'" at the
next key, "found unexpected end of stream" on the last line); the cause is usually earlier: a quote
opened and never closed, a key without its colon, a line indented by a tab or by one space too many.
Each case below names the cause in Vietnamese with the English term and points at the cause's line.
"""

from __future__ import annotations

import re

import yaml

from .errors import Problem

_KEY_LINE = re.compile(r"\s*(?:-\s+)*[^\s#'\"-][^:#]*:(?:\s|$)")


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" \t"))


def _content(line: str) -> bool:
    return bool(line.strip()) and not line.lstrip().startswith("#")


def _levels(lines: list[str], before: int) -> list[int]:
    """Indentations a line at `before` (0-based) may use: those of the blocks still open above it."""
    levels: set[int] = set()
    lowest = None
    for line in reversed(lines[:before]):
        if not _content(line):
            continue
        indent = _indent(line)
        if lowest is None or indent < lowest:
            levels.add(indent)
            lowest = indent
            # "  - heading: x": the dash opens a list item, the key opens its mapping two columns right
            if m := re.match(r"(\s*)((?:-\s+)+)", line):
                levels.add(len(m.group(1)) + len(m.group(2)))
        if lowest == 0:
            break
    return sorted(levels)


def _spaces(levels: list[int]) -> str:
    words = [str(n) for n in levels]
    return (", ".join(words[:-1]) + " hoặc " + words[-1]) if len(words) > 1 else "".join(words)


def _swallowing_quote(source: str, line: int) -> yaml.Mark | None:
    """Where a quoted string opened that ran over line ends and stopped at another text's quote on `line`.

    A quote left open takes everything up to the next quote character as its text; YAML then fails just
    after that quote, far from where the user must add the missing one."""
    last = None
    try:
        for token in yaml.scan(source, Loader=yaml.SafeLoader):
            if isinstance(token, yaml.ScalarToken) and token.style and token.end_mark.line > token.start_mark.line:
                last = token
    except yaml.YAMLError:
        pass
    return last.start_mark if last and last.end_mark.line == line else None


def _tab_line(original: list[str], line: int) -> int | None:
    """`line` or the content line above it, when indented with a tab: the likely cause of an indentation error."""
    above = next((n for n in range(line - 1, -1, -1) if _content(original[n])), None)
    for n in (line, above):
        if n is not None and n < len(original) and "\t" in original[n][: _indent(original[n]) + 1]:
            return n
    return None


def syntax_problem(exc: yaml.MarkedYAMLError, original: str, file: str) -> Problem:
    """Explain `exc`, raised on `original` with tabs turned into spaces, at the cause's line and column."""
    lines = original.replace("\t", " ").splitlines() or [""]
    raw = original.splitlines() or [""]
    mark, ctx = exc.problem_mark, exc.context_mark
    line = mark.line if mark else len(lines) - 1
    column = mark.column if mark else 0
    problem, context = exc.problem or "", exc.context or ""

    def at(n: int, col: int, message: str) -> Problem:
        return Problem(message, file, n + 1, col + 1)

    def text(n: int) -> str:
        return lines[n] if 0 <= n < len(lines) else ""

    if "quoted scalar" in context and ctx:
        q = text(ctx.line)[ctx.column : ctx.column + 1] or '"'
        return at(ctx.line, ctx.column, _unclosed_quote(q))
    if "flow" in context and ctx:
        bracket = text(ctx.line)[ctx.column : ctx.column + 1] or "["
        closing = {"[": "]", "{": "}"}.get(bracket, "]")
        return at(
            ctx.line,
            ctx.column,
            f"dấu '{bracket}' mở ở đây chưa được đóng bằng '{closing}' (unclosed bracket); "
            f'nếu đây là văn bản, đặt cả câu trong dấu nháy kép "…"',
        )
    if ctx and "simple key" in context:
        if (tab := _tab_line(raw, line)) is not None:
            return at(tab, 0, _TAB)
        return at(
            ctx.line,
            _indent(text(ctx.line)),
            "thiếu dấu hai chấm ':' sau khóa (missing colon): viết 'khóa: giá trị', ví dụ 'kind: ke_hoach'; "
            "nếu dòng này là phần tiếp của câu ở trên, hãy thụt lề sâu hơn khóa của câu đó",
        )
    if (opened := _swallowing_quote(original.replace("\t", " "), line)) is not None:
        return at(opened.line, opened.column, _unclosed_quote(text(opened.line)[opened.column]))
    if (tab := _tab_line(raw, line)) is not None:
        return at(tab, 0, _TAB)
    if problem.startswith("mapping values are not allowed"):
        above = next((n for n in range(line - 1, -1, -1) if _content(text(n))), None)
        if above is not None and _indent(text(line)) > _indent(text(above)) and _KEY_LINE.match(text(line)):
            return at(
                line,
                _indent(text(line)),
                f"thụt lề sai (bad indentation): dòng này thụt {_indent(text(line))} dấu cách, sâu hơn dòng "
                f"{above + 1} ({_indent(text(above))}), nên YAML nối nó vào giá trị ở dòng trên; "
                "các khóa cùng cấp phải thẳng cột",
            )
        return at(
            line,
            column,
            "dấu hai chấm và dấu cách ': ' giữa câu khiến YAML hiểu nhầm là khóa (colon in text): "
            'đặt cả câu trong dấu nháy kép "…"',
        )
    if m := re.search(r"but found '([\]}])'", problem):
        return at(
            line,
            column,
            f"dấu '{m.group(1)}' thừa, không có dấu mở tương ứng (unmatched bracket): "
            'bỏ nó đi, hoặc đặt cả giá trị trong dấu nháy kép "…"',
        )
    if problem.startswith("sequence entries are not allowed"):
        return at(
            line,
            column,
            "gạch đầu dòng '- ' không được đứng ở đây (list item not allowed here): mỗi mục danh sách ở một dòng "
            'riêng, thụt lề dưới khóa của nó; nếu là văn bản, đặt cả câu trong dấu nháy kép "…"',
        )
    if problem.startswith("expected <block end>"):
        if column > _indent(text(line)):  # mid-line: the indentation is fine, the value is not
            after_quote = text(line)[:column].rstrip().endswith(("'", '"'))
            return at(
                line,
                column,
                (
                    "có chữ sau dấu nháy đóng (text after closing quote)"
                    if after_quote
                    else "chữ thừa sau giá trị (unexpected text)"
                )
                + ': đặt cả câu trong một cặp nháy kép "…"',
            )
        starts_item = text(line).lstrip().startswith("-")
        if "block collection" in context and ctx and ctx.column == _indent(text(line)) and not starts_item:
            return at(
                line,
                _indent(text(line)),
                "khóa nằm giữa các mục danh sách '- …' (key inside a list): thêm '- ' ở đầu dòng nếu đây là một "
                "mục, hoặc thụt lề cho thẳng cột với khóa cùng cấp",
            )
        if starts_item and ctx and ctx.column == _indent(text(line)):
            return at(
                line,
                _indent(text(line)),
                "mục danh sách '- …' nằm giữa các khóa (list item inside a mapping): đặt các mục dưới một khóa "
                "(ví dụ 'content:') và thụt lề sâu hơn khóa đó",
            )
        own = _indent(text(line))
        levels = [n for n in _levels(lines, line) if n != own] or [0]
        # the nearest level on either side: the one the user most likely meant
        levels = sorted(
            {
                max((n for n in levels if n < own), default=levels[0]),
                min((n for n in levels if n > own), default=levels[-1]),
            }
        )
        return at(
            line,
            _indent(text(line)),
            f"thụt lề sai (bad indentation): dòng này thụt {_indent(text(line))} dấu cách, không khớp cấp nào "
            f"ở trên ({_spaces(levels)} dấu cách); các khóa cùng cấp phải thẳng cột",
        )
    if m := re.match(r"found character '(.)' that cannot start any token", problem):
        return at(line, column, _reserved(m.group(1)))
    # "*Tổ chức", "&…", "!…", "|…", ">…": a value starting with a character YAML reads as syntax
    if ctx and re.match(r"while (scanning|parsing) an? (alias|anchor|tag|block scalar|directive)", context):
        return at(ctx.line, ctx.column, _reserved(text(ctx.line)[ctx.column : ctx.column + 1]))
    if m := re.match(r"found undefined alias '(.*)'", problem):
        return at(
            line,
            column,
            f"'*{m.group(1)}' là bí danh YAML chưa khai báo (undefined alias): "
            f'nếu đây là văn bản, đặt trong dấu nháy kép "…"',
        )
    if "another document" in problem:
        return at(line, column, "tệp chỉ chứa một văn bản: bỏ dòng '---' thứ hai (a second YAML document)")
    if "escape character" in problem:
        return at(
            line,
            column,
            "dấu '\\' trong nháy kép mở đầu một ký tự thoát (unknown escape): viết '\\\\' hoặc dùng nháy đơn '…'",
        )
    # PyYAML's remaining sentences name its tokens ("<document start>"): only its plain ones are shown.
    detail = f": {problem}" if "<" not in problem else ""
    return at(
        line,
        column,
        f"lỗi cú pháp YAML (syntax error){detail}; kiểm tra thụt lề, dấu nháy và dấu hai chấm ở dòng này và dòng trên",
    )


_TAB = (
    "dòng này thụt lề bằng phím Tab (tab character): YAML chỉ thụt lề bằng dấu cách (spaces); "
    "thay Tab bằng dấu cách cho thẳng cột với các khóa cùng cấp"
)


def _unclosed_quote(q: str) -> str:
    name = "nháy kép" if q == '"' else "nháy đơn"
    return f"dấu {name} {q} mở ở đây chưa được đóng (unclosed quote): thêm {q} ở cuối câu"


def _reserved(ch: str) -> str:
    return (
        f"ký tự '{ch}' không được đứng đầu một giá trị YAML (reserved character): "
        'đặt cả giá trị trong dấu nháy kép "…"'
    )
