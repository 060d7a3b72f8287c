"""Fuzz suite (issue 14, "what must be true" 5): a fixed-seed campaign of a few hundred mutated inputs — YAML
through `render`, .docx at zip and XML level through `check` and `parse`, .txt through `parse` — and the named
hostile inputs, each run through vn_congvan.cli.main in a child process (tests/fuzz_cases.py) whose peak memory
is measured. Every case: no traceback, no hang, exit 0 with a valid output (1: check findings) or exit 2 with a
message naming the file and nothing written. A larger run: `python benchmarks/fuzz.py`.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).parent
PEAK_MB = 400  # the whole campaign in one process, the harness's own inputs included (a 60 MB zip bomb)
CASE_SECONDS = 10  # hang guard per case; the slowest case takes about 2 s


def campaign(*args: str) -> dict:
    done = subprocess.run(
        [sys.executable, str(HERE / "fuzz_cases.py"), *args], capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout)


@pytest.fixture(scope="module")
def mutants() -> dict:
    return campaign("--seed", "20261201", "--cases", "240")


def test_no_mutant_gives_a_traceback_or_a_bad_output(mutants: dict) -> None:
    assert mutants["cases"] == 240
    assert mutants["failures"] == [], json.dumps(mutants["failures"][:3], ensure_ascii=False, indent=1)


def test_no_mutant_hangs_or_writes_outside_its_outdir(mutants: dict) -> None:
    assert mutants["slowest"]["seconds"] < CASE_SECONDS, mutants["slowest"]
    assert mutants["stray_files"] == []


def test_the_campaign_peak_memory_is_bounded(mutants: dict) -> None:
    assert mutants["peak_mb"] < PEAK_MB, mutants["peak_mb"]


def test_the_campaign_reaches_both_outcomes_of_every_kind(mutants: dict) -> None:
    """A campaign whose mutants all fail at once (or all pass) tests nothing."""
    exits = mutants["exits"]
    for kind, command in (("yaml", "render"), ("xml", "check"), ("xml", "parse"), ("zip", "check")):
        assert any(k.startswith(f"{kind}/{command}/") and k.endswith(("/0", "/1")) for k in exits), (kind, exits)
        assert f"{kind}/{command}/2" in exits, (kind, exits)
    assert "txt/parse/0" in exits


def test_named_hostile_inputs_are_refused_fast_in_bounded_memory() -> None:
    report = campaign("--hostile")
    assert report["failures"] == [], json.dumps(report["failures"][:3], ensure_ascii=False, indent=1)
    assert set(report["exits"]) == {"hostile/check/2", "hostile/parse/2", "yaml/render/2"}
    assert report["slowest"]["seconds"] < CASE_SECONDS and report["peak_mb"] < PEAK_MB, report
