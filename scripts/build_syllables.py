"""Build vn_congvan/data/syllables.csv: how often each Vietnamese syllable occurs in the decree and the seeds.

The readers use it to put detached tone marks back on the right words (the likeliest spelling wins) and
nothing else. Sources, all Unicode: ../shared/law (the decree and its Phụ lục), ../shared/seeds, and the
.docx files and clean-text-layer PDFs of ../shared/realdocs/files (never the web texts, which the readers'
tests repair).
Run once: `.venv/bin/python scripts/build_syllables.py`.
"""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from pathlib import Path

import docx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))

from shared import LAW, REALDOCS, SEEDS  # noqa: E402

from vn_congvan.readers.quality import is_syllable, measure, words  # noqa: E402


def texts() -> list[str]:
    out = []
    for path in [*sorted(LAW.glob("*.docx")), *sorted((REALDOCS / "files").glob("*.docx"))]:
        d = docx.Document(str(path))
        out.append(
            "\n".join([p.text for p in d.paragraphs] + [c.text for t in d.tables for r in t.rows for c in r.cells])
        )
    out += [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    for path in sorted((REALDOCS / "files").glob("*.pdf")):
        out.append(subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout)
    return [t for t in out if not measure(t).broken and measure(t).mojibake == 0]


def main() -> None:
    counts: Counter[str] = Counter()
    for text in texts():
        counts.update(w.lower() for w in words(text) if is_syllable(w))
    out = ROOT / "vn_congvan" / "data" / "syllables.csv"
    rows = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    out.write_text("".join(f"{w},{n}\n" for w, n in rows), encoding="utf-8")
    print(f"{out}: {len(rows)} syllables, {sum(counts.values())} occurrences")


if __name__ == "__main__":
    main()
