"""How far `vn-congvan check` can be trusted: precision and recall on labelled documents.

    python benchmarks/check_quality.py [--labels DIR] [-v]

Three sets, each counted on (document, rule ID) pairs:
- real: the real .docx/.doc files and the decree with its Phụ lục, labelled by looking at them
  (tests/labels/check/<name>.yaml: source, class, kind, violations). A .doc is converted with LibreOffice
  once (cached in the temp directory). Target: precision ≥ 0.90.
- single-mistake: tests/rules/<ID>/fail.yaml, a bundled example with exactly one mistake for each rule.
  Target: recall 1.0.
- generated: every bundled example as rendered. Target: 0 findings.
Each set prints `docs=N findings=F true=T false=X missed=M precision=P recall=R`.
"""

from __future__ import annotations

import argparse
import hashlib
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from recipes import build  # noqa: E402
from shared import SHARED  # noqa: E402

from vn_congvan.check import REGISTRY, check  # noqa: E402
from vn_congvan.loader import load  # noqa: E402
from vn_congvan.render import render  # noqa: E402

LABELS = ROOT / "tests" / "labels" / "check"
RULES = ROOT / "tests" / "rules"
CACHE = Path(tempfile.gettempdir()) / "vn_congvan_check_quality"


@dataclass
class Score:
    docs: int = 0
    findings: int = 0
    true: int = 0
    false: int = 0
    missed: int = 0
    lines: list[str] = field(default_factory=list)  # per-document detail for -v

    def add(self, name: str, found: set[str], truth: set[str], n_findings: int) -> None:
        self.docs += 1
        self.findings += n_findings
        self.true += len(found & truth)
        self.false += len(found - truth)
        self.missed += len(truth - found)
        if found != truth:
            self.lines.append(f"  {name}: false={sorted(found - truth)} missed={sorted(truth - found)}")

    @property
    def precision(self) -> float:
        return self.true / (self.true + self.false) if self.true + self.false else 1.0

    @property
    def recall(self) -> float:
        return self.true / (self.true + self.missed) if self.true + self.missed else 1.0

    def line(self) -> str:
        return (
            f"docs={self.docs} findings={self.findings} true={self.true} false={self.false} "
            f"missed={self.missed} precision={self.precision:.2f} recall={self.recall:.2f}"
        )


def as_docx(path: Path) -> Path:
    """A .doc converted by LibreOffice (cached by content); a .docx as it is."""
    if path.suffix.lower() != ".doc":
        return path
    digest = hashlib.sha1(path.read_bytes()).hexdigest()[:16]
    out_dir = CACHE / digest
    out = out_dir / (path.stem + ".docx")
    if not out.exists():
        out_dir.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            ["soffice", "--headless", "--convert-to", "docx", "--outdir", str(out_dir), str(path)],
            check=True,
            capture_output=True,
            timeout=180,
        )
    return out


def real_set(labels: Path = LABELS) -> tuple[Score, int, int]:
    """(score, documents whose class the gate got right, documents)."""
    score = Score()
    right_class = 0
    for label_file in sorted(labels.glob("*.yaml")):
        label = yaml.safe_load(label_file.read_text(encoding="utf-8"))
        report = check(as_docx(SHARED / label["source"]))
        found = report.rule_ids()
        truth = set(label.get("violations") or {})
        score.add(label_file.stem, found, truth, len(report.findings))
        got = report.doc_class.key if report.doc_class else None
        right_class += got == label["class"]
        if got != label["class"]:
            score.lines.append(f"  {label_file.stem}: class {got}, labelled {label['class']}")
    return score, right_class, score.docs


def mistake_set(work: Path) -> Score:
    score = Score()
    for folder in sorted(p for p in RULES.iterdir() if p.is_dir() and p.name != "NUM-01"):
        opt_in = folder.name in REGISTRY and REGISTRY[folder.name].opt_in  # runs only when selected
        report = check(build(folder / "fail.yaml", work / f"{folder.name}.docx"), [folder.name] if opt_in else None)
        found = report.rule_ids()
        # one mistake per document: the rule under test must be found; what else fires is reported, not scored
        score.add(folder.name, found & {folder.name}, {folder.name}, len(report.findings))
    return score


def generated_set(work: Path) -> Score:
    score = Score()
    for src in sorted((ROOT / "examples").glob("*/*.yaml")):
        out = render(load(src), work / f"{src.stem}.docx", base=src.parent)
        report = check(out)
        score.add(src.stem, report.rule_ids(), set(), len(report.findings))
    return score


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--labels", type=Path, default=LABELS)
    ap.add_argument("-v", "--verbose", action="store_true", help="list each document's false and missed rule IDs")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        real, right, n = real_set(args.labels)
        mistakes = mistake_set(work)
        generated = generated_set(work)
    for name, score in (("real", real), ("single-mistake", mistakes), ("generated", generated)):
        print(f"{name}: {score.line()}")
        if args.verbose:
            print("\n".join(score.lines))
    print(f"real: class={right}/{n}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
