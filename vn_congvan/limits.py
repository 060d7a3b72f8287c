"""Budgets on what one input may cost: each has a default, one environment variable to raise it, and one
message that says which budget was exceeded and how to raise it. The README lists them."""

from __future__ import annotations

import os
import pickle
import resource
import select
import signal
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from .errors import InputError, VnCongvanError

T = TypeVar("T")

MB = 1024 * 1024


@dataclass(frozen=True)
class Budget:
    env: str  # VN_CONGVAN_MAX_…: the one way to raise it
    default: int
    unit: str
    what: str  # Vietnamese, with the English term

    @property
    def limit(self) -> int:
        """Read at each use, so a caller (or a test) can set the variable at run time."""
        raw = os.environ.get(self.env)
        if not raw:
            return self.default
        try:
            value = int(raw)
        except ValueError:
            raise InputError.one(f"biến môi trường {self.env} phải là một số nguyên dương: {raw!r}") from None
        if value <= 0:
            raise InputError.one(f"biến môi trường {self.env} phải là một số nguyên dương: {raw!r}")
        return value

    @property
    def bytes(self) -> int:
        return self.limit * MB

    def message(self, actual: str = "") -> str:
        return (
            f"vượt giới hạn {self.what}{': ' + actual if actual else ''} (giới hạn {self.limit} {self.unit}, "
            f"budget exceeded); nếu đầu vào đáng tin, đặt biến môi trường {self.env} lớn hơn để nâng giới hạn"
        )

    def error(self, actual: str = "", **where: object) -> InputError:
        return InputError.one(self.message(actual), **where)


YAML_MB = Budget(
    "VN_CONGVAN_MAX_YAML_MB", 4, "MB", "tệp YAML hoặc văn bản sau khi mở rộng bí danh (YAML after alias expansion)"
)
YAML_NODES = Budget(
    "VN_CONGVAN_MAX_YAML_NODES", 200_000, "nút", "số nút YAML sau khi mở rộng bí danh (alias expansion, YAML nodes)"
)
DOCUMENT_MB = Budget("VN_CONGVAN_MAX_DOCUMENT_MB", 100, "MB", "kích thước văn bản dựng ra (rendered document size)")
DOCX_MB = Budget(
    "VN_CONGVAN_MAX_DOCX_MB", 50, "MB", "dung lượng giải nén .docx ngoài cỡ tệp (decompressed size beyond file size)"
)
DOCX_ELEMENTS = Budget(
    "VN_CONGVAN_MAX_DOCX_ELEMENTS", 500_000, "phần tử", "số phần tử XML trong gói .docx (XML elements read)"
)
DOCX_PARTS = Budget("VN_CONGVAN_MAX_DOCX_PARTS", 1000, "phần", "số phần trong gói .docx (package part count)")
TEMPLATE_SECONDS = Budget(
    "VN_CONGVAN_MAX_TEMPLATE_SECONDS", 10, "giây", "thời gian chạy mẫu riêng (user template evaluation time)"
)
TEMPLATE_MB = Budget("VN_CONGVAN_MAX_TEMPLATE_MB", 512, "MB", "bộ nhớ chạy mẫu riêng (user template evaluation memory)")

ALL = (YAML_MB, YAML_NODES, DOCUMENT_MB, DOCX_MB, DOCX_ELEMENTS, DOCX_PARTS, TEMPLATE_SECONDS, TEMPLATE_MB)


def mb(n: int) -> str:
    return f"{n / MB:.1f} MB"


def _address_space() -> int:
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[0]) * resource.getpagesize()
    except (OSError, ValueError, IndexError):
        return 0


def run_limited(fn: Callable[[], T], *, file: str = "") -> T:
    """Run `fn` in a forked child under the template budgets (wall time, address space, CPU), return its
    result or raise its VnCongvanError; a child that runs over a budget is killed and the budget named.

    Where there is no fork (not POSIX), `fn` runs here, unbounded."""
    if not hasattr(os, "fork"):
        return fn()
    seconds, memory = TEMPLATE_SECONDS.limit, TEMPLATE_MB.bytes
    base = _address_space()
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns into the caller's code
        try:
            os.close(read_end)
            try:
                if base:
                    resource.setrlimit(resource.RLIMIT_AS, (base + memory, resource.RLIM_INFINITY))
                resource.setrlimit(resource.RLIMIT_CPU, (seconds + 1, resource.RLIM_INFINITY))
                result: tuple[Any, ...] = ("ok", fn())
            except VnCongvanError as exc:
                result = ("error", type(exc), exc.problems)
            except MemoryError:
                result = ("memory",)
            except Exception as exc:  # the template's own failure, whatever it is: reported, not a traceback
                result = ("exception", f"{type(exc).__name__}: {exc}"[:500])
            with os.fdopen(write_end, "wb") as out:
                out.write(pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL))
        finally:
            os._exit(0)
    os.close(write_end)
    chunks, deadline, timed_out = [], time.monotonic() + seconds, False
    try:
        with os.fdopen(read_end, "rb", buffering=0) as pipe:
            while True:
                left = deadline - time.monotonic()
                if left <= 0 or not select.select([pipe], [], [], left)[0]:
                    timed_out = True
                    break
                chunk = pipe.read(1 << 20)
                if not chunk:
                    break
                chunks.append(chunk)
    except BaseException:  # Ctrl-C while waiting: the child goes too
        timed_out = True
        raise
    finally:
        if timed_out:
            os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    if timed_out:
        raise TEMPLATE_SECONDS.error(file=file)
    try:
        result = pickle.loads(b"".join(chunks))
    except Exception:  # killed by a limit before it could answer (CPU time, memory while writing)
        raise TEMPLATE_MB.error("tiến trình dựng mẫu bị dừng (killed)", file=file) from None
    if result[0] == "ok":
        return result[1]  # type: ignore[no-any-return]
    if result[0] == "error":
        raise result[1](result[2])
    if result[0] == "memory":
        raise TEMPLATE_MB.error("hết bộ nhớ (out of memory)", file=file)
    raise InputError.one(f"mẫu gây lỗi khi chạy (template error): {result[1]}", file=file)
