"""`vn-congvan` command line: one module per subcommand, each with `register(sub)` and `run(args)`.

Start-up is most of a one-file command's time: a subcommand module imports only argparse-level things at
its top and the library inside `run`, and `main` registers only the subcommand named on the command line
(all of them for `--help` or a wrong name), so `vn-congvan check` never loads derive, render or parse.
"""

from __future__ import annotations

import argparse
import importlib
import sys
import warnings
from datetime import date

from ..errors import InputError, VnCongvanError

COMMANDS = ["render", "check", "fix", "pdf", "units", "derive", "parse", "batch", "aggregate"]
SEVERITY_VI = {"error": "LỖI", "warning": "cảnh báo"}  # how check and fix print a finding's severity


def rule_ids(value: str | None) -> list[str]:
    """--select / --ignore: rule IDs or prefixes separated by commas or spaces."""
    return [t for t in (value or "").replace(" ", ",").split(",") if t]


def as_of(text: str | None) -> date | None:
    """The --as-of option of every subcommand: YYYY-MM-DD or DD/MM/YYYY; a bad date exits 2."""
    if text is None:
        return None
    from ..model import parse_date

    try:
        return parse_date(text)
    except ValueError as exc:
        raise InputError.one(str(exc), field="--as-of") from None


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The parser of every subcommand, or of `only` (the one named on the command line)."""
    parser = argparse.ArgumentParser(
        prog="vn-congvan",
        description="Soạn công văn, kế hoạch, báo cáo đúng thể thức Nghị định 30/2020/NĐ-CP.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in [only] if only in COMMANDS else COMMANDS:
        try:
            module = importlib.import_module(f".{name}", __name__)
        except ModuleNotFoundError as exc:  # a subcommand not built yet
            if exc.name != f"{__name__}.{name}":
                raise
            continue
        module.register(sub)
    return parser


def _warning(message: Warning | str, category: type[Warning], *_: object, **__: object) -> str:
    return f"Cảnh báo (warning): {message}\n"


def main(argv: list[str] | None = None) -> int:
    warnings.formatwarning = _warning  # a layout warning reads like the other messages, without a traceback line
    words = sys.argv[1:] if argv is None else argv
    # The subcommand is the first word that is not an option (no top-level option takes a value).
    at = next((i for i, w in enumerate(words) if not w.startswith("-")), len(words))
    named = None if {"-h", "--help"} & set(words[:at]) or at == len(words) else words[at]
    args = build_parser(named).parse_args(argv)
    try:
        return int(args.run(args) or 0)
    except InputError as exc:
        print(f"Lỗi dữ liệu đầu vào (input error):\n{exc}", file=sys.stderr)
        return 2
    except VnCongvanError as exc:
        print(f"Lỗi (error):\n{exc}", file=sys.stderr)
        return 1
    except BrokenPipeError:  # `vn-congvan units … | head`: the reader left, nothing is wrong
        sys.stderr.close()
        return 0


if __name__ == "__main__":
    sys.exit(main())
