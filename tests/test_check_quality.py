"""The checker's measured quality (benchmarks/check_quality.py, same computation): precision ≥ 0.90 on the
labelled real files, recall 1.0 on the single-mistake set, no finding on any generated example."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[1] / "benchmarks" / "check_quality.py"


@pytest.fixture(scope="module")
def quality():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("check_quality", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def test_real_set_precision(quality) -> None:  # type: ignore[no-untyped-def]
    score, right_class, docs = quality.real_set()
    assert docs >= 3
    assert score.precision >= 0.90, "\n".join([score.line(), *score.lines])
    assert right_class == docs, "\n".join(score.lines)


def test_single_mistake_recall(quality, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    score = quality.mistake_set(tmp_path)
    assert score.docs == len([p for p in quality.RULES.iterdir() if p.is_dir()]) - 1  # NUM-01 is cross-document
    assert score.recall == 1.0, "\n".join(score.lines)


def test_generated_examples_have_no_findings(quality, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    score = quality.generated_set(tmp_path)
    assert score.docs >= 12
    assert score.findings == 0, "\n".join(score.lines)
