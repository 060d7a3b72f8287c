"""`vn-congvan` command line: one module per subcommand, each with `register(sub)` and `run(args)`."""

from __future__ import annotations

import argparse
import importlib
import sys
import warnings
from datetime import date

from ..errors import InputError, VnCongvanError

COMMANDS = ["render", "check", "fix", "pdf", "units", "derive", "parse", "batch", "aggregate"]


def as_of(text: str | None) -> date | None:
    """The --as-of option of every subcommand: YYYY-MM-DD or DD/MM/YYYY; a bad date exits 2."""
    if text is None:
        return None
    from ..model import parse_date

    try:
        return parse_date(text)
    except ValueError as exc:
        raise InputError.one(str(exc), field="--as-of") from None


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="vn-congvan",
        description="Soạn công văn, kế hoạch, báo cáo đúng thể thức Nghị định 30/2020/NĐ-CP.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in COMMANDS:
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
    args = build_parser().parse_args(argv)
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
