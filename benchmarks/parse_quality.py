"""How much of a received document `vn-congvan parse` reads right, measured on labelled documents.

    python benchmarks/parse_quality.py [--labels DIR] [--no-ocr] [--only-ocr] [-v]

--no-ocr skips the sources whose label says `ocr: true` (and names them); -v lists every wrong field and,
per source, the runs of source words the parsed YAML lost.

Each tests/labels/parse/<name>.yaml gives the true value of every field its source contains (decided by
reading the document, tests/labels/README.md). A field is correct when the parsed value equals the label
after this normalisation (`same`): NFC, runs of whitespace as one space, outer spaces; case is ignored only
where the law prints the text in capitals anyway (the issuer's lines and the signer's title lines); the codes
of `symbol` and `archive` ignore spaces (a PDF's kerning splits "KTTHh5" into "KTTH h5"); list
fields must match item by item; `date` is compared as ISO text, `number` as an integer. Then:
- words_kept: of the source's words (the reader's lines, Quốc hiệu and Tiêu ngữ aside), the share found in
  the same order in the document the parsed YAML renders (difflib's matching blocks over case-folded words,
  a number by its value: "09" is 9). The round trip is the measure because the YAML keeps part of the text
  as structure the renderer prints back ("1.", "a)", "Số:", "ngày … tháng … năm …", a căn cứ's "Công văn số
  …/… ngày … của …"), and a word in the YAML that is never printed is lost to the reader all the same. When
  the YAML does not render, its strings are compared instead;
- renders: the parsed YAML, written as `parse` writes it, loads and renders to .docx without an edit.
Sources read by OCR (scans, broken PDF layers) are counted apart. Prints
`docs=N fields=F correct=C accuracy=A words_kept=K renders=R` for each set.
"""

from __future__ import annotations

import argparse
import difflib
import re
import sys
import tempfile
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from shared import SHARED  # noqa: E402

from vn_congvan.law import lines as L  # noqa: E402
from vn_congvan.parse import Parsed, parse_file  # noqa: E402
from vn_congvan.readers import read  # noqa: E402

LABELS = ROOT / "tests" / "labels" / "parse"
FIELDS = ["issuer", "kind", "number", "symbol", "date", "title", "recipients", "basis", "signer", "distribution"]
FIELDS.append("archive")
CODE_KEYS = {"symbol", "archive"}  # codes: spaces carry nothing
CAPS_KEYS = {"issuer.name", "issuer.parent", "signer.authority", "signer.title"}  # printed in capitals


def norm(value: Any, *, caps: bool = False) -> Any:
    if value is None:
        return None
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int):
        return value
    text = re.sub(r"\s+", " ", unicodedata.normalize("NFC", str(value))).strip()
    return L.fold(text) if caps else text


def same(key: str, got: Any, want: Any) -> bool:
    if isinstance(want, list):
        if not isinstance(got, list) or len(got) != len(want):
            return False
        return all(same(key, g, w) for g, w in zip(got, want, strict=True))
    if key == "number":
        try:
            return int(str(got)) == int(want)
        except (TypeError, ValueError):
            return False
    if key in CODE_KEYS:
        return re.sub(r"\s", "", str(got)) == re.sub(r"\s", "", str(want))
    return norm(got, caps=key in CAPS_KEYS) == norm(want, caps=key in CAPS_KEYS)


def units(labels: dict[str, Any]) -> list[tuple[str, Any]]:
    """The label's fields as (key, value) units: issuer and signer count per sub-field."""
    out = []
    for key in FIELDS:
        if key not in labels:
            continue
        value = labels[key]
        if isinstance(value, dict):
            out += [(f"{key}.{sub}", v) for sub, v in value.items()]
        else:
            out.append((key, value))
    return out


def lookup(fields: dict[str, Any], key: str) -> Any:
    head, _, sub = key.partition(".")
    value = fields.get(head)
    return (value or {}).get(sub) if sub else value


WORD = re.compile(r"[\wÀ-ỹ]+")


def words(text: str) -> list[str]:
    return [w.lstrip("0") or "0" if w.isdigit() else w for w in WORD.findall(L.fold(text))]


def strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in strings(v)]
    return [str(value)] if value is not None and not isinstance(value, bool) else []


def words_kept(parsed: Parsed, rendered: Path | None = None) -> tuple[int, int, list[str]]:
    """(source words found in order in the rendered .docx (else in the YAML's strings), source words, the runs
    of source words not found)."""
    source = [w for line in parsed.read.lines if not _qh(line.text) for w in words(line.text)]
    if rendered is not None:
        got = [w for line in read(rendered).lines for w in words(line.text)]
    else:
        got = [w for s in strings(parsed.data) for w in words(s)]
    blocks = difflib.SequenceMatcher(None, source, got, autojunk=False).get_matching_blocks()
    lost, at = [], 0
    for b in blocks:
        if b.a > at:
            lost.append(" ".join(source[at : b.a]))
        at = b.a + b.size
    return sum(b.size for b in blocks), len(source), lost


def _qh(text: str) -> bool:
    return L.quoc_hieu(text, within=True) or L.tieu_ngu(text)


def renders(parsed: Parsed, tmp: Path) -> str | None:
    """None when the written YAML loads and renders as it is, else why not."""
    from vn_congvan.loader import load
    from vn_congvan.parse import to_yaml
    from vn_congvan.render import render

    path = tmp / "parsed.yaml"
    path.write_text(to_yaml(parsed.data, "x", parsed), encoding="utf-8")
    try:
        render(load(path), tmp / "parsed.docx")
    except Exception as exc:  # the figure counts every failure; -v says which
        return f"{type(exc).__name__}: {str(exc)[:200]}"
    return None


@dataclass
class Score:
    docs: int = 0
    fields: int = 0
    correct: int = 0
    kept: int = 0
    words: int = 0
    rendered: int = 0
    lines: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # labels not measured (--no-ocr: the OCR sources)

    @property
    def accuracy(self) -> float:
        return self.correct / self.fields if self.fields else 1.0

    @property
    def words_kept(self) -> float:
        return self.kept / self.words if self.words else 1.0

    def line(self) -> str:
        return (
            f"docs={self.docs} fields={self.fields} correct={self.correct} accuracy={self.accuracy:.2f} "
            f"words_kept={self.words_kept:.3f} renders={self.rendered}/{self.docs}"
        )


def label_files(labels: Path = LABELS) -> list[Path]:
    return sorted(labels.glob("*.yaml"))


def ocr_label_files(labels: Path = LABELS) -> list[Path]:
    """The labels of sources read by OCR (`ocr: true`: scans and broken text layers)."""
    return [p for p in label_files(labels) if yaml.safe_load(p.read_text(encoding="utf-8")).get("ocr")]


def score_one(label_path: Path, tmp: Path, *, ocr: bool = True) -> tuple[str, Score]:
    """('ocr' or 'text', the document's score)."""
    label = yaml.safe_load(label_path.read_text(encoding="utf-8"))
    parsed = parse_file(SHARED / label["source"], ocr=ocr)
    s = Score(docs=1)
    for key, want in units(label.get("fields") or {}):
        got = lookup(parsed.fields, key)
        s.fields += 1
        if same(key.split(".")[0] if key.split(".")[0] in ("basis",) else key, got, want):
            s.correct += 1
        else:
            s.lines.append(f"  {label_path.stem} {key}: got {got!r} want {want!r}")
    why = renders(parsed, tmp)
    s.rendered = why is None
    if why:
        s.lines.append(f"  {label_path.stem} render: {why}")
    s.kept, s.words, lost = words_kept(parsed, tmp / "parsed.docx" if why is None else None)
    if lost:
        s.lines.append(f"  {label_path.stem} words_kept: {s.kept}/{s.words}, lost {s.words - s.kept}:")
        s.lines += [f"    - {run[:300]}" for run in lost]
    group = "ocr" if any(line.origin.value == "ocr" for line in parsed.read.lines) else "text"
    return group, s


def needs_ocr(label_path: Path) -> bool:
    """The label says its words must be read from the page image (`ocr: true`: scans, broken text layers)."""
    return bool(yaml.safe_load(label_path.read_text(encoding="utf-8")).get("ocr"))


def measure(labels: Path = LABELS, *, ocr: bool = True, only: list[Path] | None = None) -> dict[str, Score]:
    """The scores per set ('all', 'text', 'ocr'); without OCR the OCR sources are listed in all.skipped."""
    totals = {"all": Score(), "text": Score(), "ocr": Score()}
    with tempfile.TemporaryDirectory() as tmp:
        for path in only if only is not None else label_files(labels):
            if not ocr and needs_ocr(path):
                totals["all"].skipped.append(path.stem)  # an image-only scan has no words without Tesseract
                continue
            group, s = score_one(path, Path(tmp), ocr=ocr)
            for t in (totals["all"], totals[group]):
                t.docs += 1
                t.fields += s.fields
                t.correct += s.correct
                t.kept += s.kept
                t.words += s.words
                t.rendered += s.rendered
                t.lines += s.lines
    return totals


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--labels", type=Path, default=LABELS)
    ap.add_argument("--no-ocr", action="store_true", help="skip the sources that need OCR (labels with ocr: true)")
    ap.add_argument("--only-ocr", action="store_true", help="only the sources labelled `ocr: true` (scans)")
    ap.add_argument("-v", "--verbose", action="store_true", help="list every wrong field and every lost word run")
    args = ap.parse_args()
    only = ocr_label_files(args.labels) if args.only_ocr else None
    totals = measure(args.labels, ocr=not args.no_ocr, only=only)
    for name, s in totals.items():
        if name == "ocr" and not s.docs and args.no_ocr:
            continue
        print(f"{name:5} {s.line()}")
    skipped = totals["all"].skipped
    if skipped:
        print(f"skipped {len(skipped)} OCR sources (--no-ocr): {', '.join(skipped)}")
    if args.verbose:
        print("\n".join(totals["all"].lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
