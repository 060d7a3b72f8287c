"""How safe and how complete `vn-congvan fix` is.

    python benchmarks/fix_quality.py [-v] [--no-libreoffice]

Two sets go through `fix`:
- single-mistake: tests/rules/<ID>/fail.yaml (a bundled example with exactly one mistake) for every rule
  that has a fix, or fix.yaml where fail.yaml's mistake is one the fix leaves to a person;
- real: the real .docx and .doc files of ../shared/realdocs/files (a .doc converted with LibreOffice first).
  Files the gate does not take for a văn bản hành chính of a known kind are refused (counted, not written).

Counted on (document, rule ID) pairs: fixed_findings (found before, gone after), left (found after: for a
person), fixable_left (of a rule with a fix, still there), new_findings (a rule that found nothing before
finds something after), words_changed (content words that differ, vn_congvan.fix.content_words), and how
many outputs LibreOffice converts to a PDF with pages and python-docx opens. Prints

    docs=N fixed_findings=F left=L new_findings=0 words_changed=0 opens_in_libreoffice=N

then the detail line (with how many documents pass `check` before and after). Targets: fixable_left=0 on the
single-mistake set, new_findings=0, words_changed=0, every output opening in both.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from check_quality import as_docx  # noqa: E402
from recipes import build  # noqa: E402
from shared import REALDOCS  # noqa: E402

from vn_congvan.check import REGISTRY  # noqa: E402
from vn_congvan.check.fix import FixResult, fix, fixable  # noqa: E402

RULES = ROOT / "tests" / "rules"


@dataclass
class Tally:
    docs: int = 0
    refused: int = 0
    fixed: int = 0
    left: int = 0
    fixable_left: int = 0
    new: int = 0
    words: int = 0
    passing_before: int = 0
    passing_after: int = 0
    outputs: list[Path] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)

    def add(self, name: str, r: FixResult, out: Path) -> None:
        if r.refused:
            self.refused += 1
            self.lines.append(f"  {name}: refused ({r.refused})")
            return
        self.docs += 1
        before, after = r.before.rule_ids(), r.after.rule_ids() if r.after else r.before.rule_ids()
        can = fixable()
        self.fixed += len(before - after)
        self.left += len(after)
        self.fixable_left += len(after & can)
        self.new += len(after - before)
        self.words += r.words_changed
        self.passing_before += r.before.ok
        self.passing_after += r.ok
        self.outputs.append(Path(r.out) if r.out else out)
        if after & can or after - before or r.words_changed:
            self.lines.append(
                f"  {name}: fixable_left={sorted(after & can)} new={sorted(after - before)} words={r.words_changed}"
            )


def mistake_set(work: Path, tally: Tally) -> None:
    for rid in sorted(r for r, cls in REGISTRY.items() if cls.has_fix()):
        src = build(fixture(rid), work / f"{rid}.docx")
        tally.add(rid, fix(src, work / "out" / f"{rid}.docx", unsafe=True), src)


def fixture(rule_id: str) -> Path:
    """The rule's single mistake for its fix: fix.yaml where fail.yaml's mistake is one for a person."""
    folder = RULES / rule_id
    return folder / "fix.yaml" if (folder / "fix.yaml").exists() else folder / "fail.yaml"


def real_set(work: Path, tally: Tally) -> None:
    for f in sorted((REALDOCS / "files").iterdir()):
        if f.suffix.lower() not in (".docx", ".doc"):
            continue
        src = as_docx(f)
        tally.add(f.name, fix(src, work / "out" / f"{f.stem}.docx"), src)


def opens_in_libreoffice(paths: list[Path], work: Path) -> int:
    """Outputs LibreOffice converts to a PDF of at least one page (one soffice run for all)."""
    if not paths or shutil.which("soffice") is None:
        return 0
    pdf_dir = work / "pdf"
    staged = work / "staged"
    staged.mkdir(parents=True, exist_ok=True)
    names = []
    for i, p in enumerate(paths):  # unique names: the two sets may share a stem
        names.append(staged / f"{i:03d}.docx")
        shutil.copyfile(p, names[-1])
    subprocess.run(
        ["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(pdf_dir), *map(str, names)],
        capture_output=True,
        timeout=900,
        check=False,
    )
    ok = 0
    for n in names:
        pdf = pdf_dir / (n.stem + ".pdf")
        if pdf.exists():
            info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=False).stdout
            ok += any(line.startswith("Pages:") and int(line.split()[1]) > 0 for line in info.splitlines())
    return ok


def opens_in_python_docx(paths: list[Path]) -> int:
    import docx

    ok = 0
    for p in paths:
        try:
            docx.Document(str(p))
            ok += 1
        except Exception:  # any failure to open counts as not opening
            pass
    return ok


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-v", "--verbose", action="store_true")
    ap.add_argument("--no-libreoffice", action="store_true", help="skip the LibreOffice conversion (slow)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        (work / "out").mkdir()
        mistakes, real = Tally(), Tally()
        mistake_set(work, mistakes)
        real_set(work, real)
        for name, t in (("single-mistake", mistakes), ("real", real)):
            lo = -1 if args.no_libreoffice else opens_in_libreoffice(t.outputs, work / name)
            print(
                f"{name}: docs={t.docs} fixed_findings={t.fixed} left={t.left} new_findings={t.new} "
                f"words_changed={t.words} opens_in_libreoffice={lo}"
            )
            docx_ok = opens_in_python_docx(t.outputs)
            print(
                f"  fixable_left={t.fixable_left} refused={t.refused} opens_in_python_docx={docx_ok} "
                f"passing_check_before={t.passing_before} passing_check_after={t.passing_after}"
            )
            if args.verbose:
                print("\n".join(t.lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
