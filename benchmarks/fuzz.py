"""Hostile input at scale: a larger fuzz campaign, the named hostile inputs, and text parsing time.

    python benchmarks/fuzz.py [--cases N] [--seeds S1,S2,…]

Each campaign runs in its own process (tests/fuzz_cases.py: the CLI in-process, peak memory from
ru_maxrss). Lines printed:
campaign seed=S cases=N failures=F slowest_s=X total_s=T peak_mb=M
hostile cases=N failures=F slowest_s=X docx_slowest_s=D peak_mb=M  (every .docx refused within a second)
txt lines=N parse_s=X                                      (linear: 100,000 lines in seconds)
Targets: failures=0 everywhere, hostile slowest_s < 1, peak_mb < 400.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CASES = ROOT / "tests" / "fuzz_cases.py"


def run(*args: str) -> dict:
    done = subprocess.run([sys.executable, str(CASES), *args], capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def show_failures(report: dict) -> None:
    for f in report["failures"][:5]:
        print(f"  FAIL {f['name']} {f['command']} exit={f['code']}: {f['problem'][:400]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=2000)
    parser.add_argument("--seeds", default="1,2,3")
    args = parser.parse_args()
    for seed in args.seeds.split(","):
        r = run("--seed", seed, "--cases", str(args.cases))
        print(
            f"campaign seed={seed} cases={r['cases']} failures={len(r['failures'])} "
            f"slowest_s={r['slowest']['seconds']} ({r['slowest']['name']}) total_s={r['total_seconds']} "
            f"peak_mb={r['peak_mb']}"
        )
        show_failures(r)
    r = run("--hostile")
    print(
        f"hostile cases={r['cases']} failures={len(r['failures'])} slowest_s={r['slowest']['seconds']} "
        f"({r['slowest']['name']}) docx_slowest_s={r['slowest_by_kind']['hostile']} peak_mb={r['peak_mb']}"
    )
    show_failures(r)
    with tempfile.TemporaryDirectory() as tmp:
        for n in (10_000, 100_000):
            for name, text in (("short", "".join(f"dòng số {i}\n" for i in range(n))), ("a", "a\n" * n)):
                source = Path(tmp) / f"{name}.txt"
                source.write_text(text, encoding="utf-8")
                started = time.perf_counter()
                subprocess.run(
                    [sys.executable, "-m", "vn_congvan", "parse", str(source), "-o", str(Path(tmp) / "o.yaml")],
                    check=True,
                    capture_output=True,
                    cwd=ROOT,
                )
                print(f"txt lines={n} kind={name} parse_s={time.perf_counter() - started:.2f}")


if __name__ == "__main__":
    main()
