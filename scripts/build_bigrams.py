"""Build vn_congvan/data/bigrams.csv: how often two syllables follow each other in the law and the project's own text.

The OCR spelling corrector (vn_congvan/readers/spelling.py) reads it: a word Tesseract read with a wrong
tone or vowel mark ("vê việc", "bồ sung") is put right only when these counts show its neighbours go with
the other spelling ("về việc", "bổ sung") and never with the one read.

Sources, all written to the letter of the law or by this project:
- ../shared/law: the decree and its Phụ lục I–VI (.docx), read with the library's own reader;
- the Word templates (templates/*.docx);
- the data tables vn_congvan/data/{kinds,levels,agency_names,localise,nd30,unit_types,holidays}.yaml;
- examples/ (the seeds reproduced, the Mẫu, derived plans, reports), except examples/real;
- the administrative-unit table (both eras): each unit's full name ("Phường Tân Định").
Never ../shared/realdocs, examples/real (reproduced from realdocs) or tests/labels: they hold the documents
the parse benchmark measures, and counting their words would put the answers into the corrector. Nor
data/ocr_confusions.yaml (its phrases were seen on the labelled scans; the corrector reads it as it is).

A line is `first second,count` (lower case, NFC); "#" stands for a number ("số 1050" counts as "số #").
Only pairs of Vietnamese syllables (readers.quality.is_syllable) or numbers are kept; a sentence's end
(". ", a paragraph) separates; a line met again (a derived plan repeats its source) counts once.
Run once: `.venv/bin/python scripts/build_bigrams.py`.
"""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))

from shared import LAW  # noqa: E402

from vn_congvan import units  # noqa: E402
from vn_congvan.readers import read  # noqa: E402
from vn_congvan.readers.spelling import pairs  # noqa: E402

DATA_TABLES = ("kinds", "levels", "agency_names", "localise", "nd30", "unit_types", "holidays")
OUT = ROOT / "vn_congvan" / "data" / "bigrams.csv"


def strings(value: object) -> Iterator[str]:
    """Every string of a YAML document, keys included."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from strings(k)
            yield from strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from strings(v)


def texts() -> Iterator[str]:
    for path in [*sorted(LAW.glob("*.docx")), *sorted((ROOT / "templates").glob("*.docx"))]:
        yield from (line.text for line in read(path).lines)
    for name in DATA_TABLES:
        path = ROOT / "vn_congvan" / "data" / f"{name}.yaml"
        yield from strings(yaml.safe_load(path.read_text(encoding="utf-8")))
    for path in sorted((ROOT / "examples").rglob("*")):
        if "real" in path.relative_to(ROOT / "examples").parts or not path.is_file():
            continue
        if path.suffix == ".yaml":
            yield from strings(yaml.safe_load(path.read_text(encoding="utf-8")))
        elif path.suffix == ".csv":
            yield from path.read_text(encoding="utf-8").splitlines()
    for era in (units.LEGACY, units.ERA_2025):
        yield from (u.full_name for u in units.all_units(era=era))


def main() -> None:
    counts: Counter[tuple[str, str]] = Counter()
    seen: set[str] = set()
    for text in texts():
        for line in text.splitlines():
            if (k := " ".join(line.split())) and k not in seen:  # derived examples repeat their source's lines
                seen.add(k)
                counts.update(pairs(line))
    rows = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    OUT.write_text("".join(f"{a} {b},{n}\n" for (a, b), n in rows), encoding="utf-8")
    print(f"{OUT}: {len(rows)} pairs, {sum(counts.values())} occurrences")


if __name__ == "__main__":
    main()
