"""What the readers keep of each real document: lines, dropped lines by reason, and words against a reference.

    python benchmarks/readers_words.py [--no-ocr] [NAME_SUBSTRING …]

Reference words, extracted independently of the reader:
- .docx/.doc: every w:t of word/document.xml by regular expression (text boxes included, the VML fallback
  copies left out; .doc after LibreOffice's conversion);
- a PDF page read from its text layer: `pdftotext -layout` of that page (the other poppler mode);
- a page read by OCR: no machine reference exists. The pages were checked by eye (see the README); the
  figure printed is the share of Vietnamese syllables in the OCR text and, for a draft/signed pair, the
  overlap with the other copy.
One row per file: `name pages ocr_pages lines=read/total dropped=… words=N recall=R`; last line totals.
"""

from __future__ import annotations

import argparse
import html
import re
import subprocess
import sys
import tempfile
import time
import zipfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from shared import REALDOCS  # noqa: E402

from vn_congvan.readers import Origin, read  # noqa: E402
from vn_congvan.readers.quality import measure, words  # noqa: E402


def _bag(text: str) -> Counter[str]:
    return Counter(w.lower() for w in words(text))


def _docx_words(path: Path) -> Counter[str]:
    if path.suffix == ".doc":
        with tempfile.TemporaryDirectory() as tmp:
            profile = f"-env:UserInstallation=file://{tmp}/p"
            cmd = ["soffice", profile, "--headless", "--convert-to", "docx", "--outdir", tmp, str(path)]
            subprocess.run(cmd, capture_output=True, check=True)
            return _docx_words(next(Path(tmp).glob("*.docx")))
    xml = zipfile.ZipFile(path).read("word/document.xml").decode("utf-8")
    xml = re.sub(r"<mc:Fallback>.*?</mc:Fallback>", "", xml, flags=re.S)
    # w:t of one paragraph joined as they are (runs split words), paragraphs and tabs apart
    parts = re.finditer(r"<w:t(?: [^>]*)?>([^<]*)</w:t>|</w:p>|<w:tab/>|<w:br/>", xml)
    return _bag("".join(html.unescape(m.group(1)) if m.group(1) is not None else "\n" for m in parts))


def _layout_words(path: Path, page: int) -> Counter[str]:
    out = subprocess.run(
        ["pdftotext", "-layout", "-f", str(page), "-l", str(page), str(path), "-"], capture_output=True, text=True
    )
    return _bag(out.stdout)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--no-ocr", action="store_true")
    ap.add_argument("names", nargs="*")
    args = ap.parse_args()
    files = [
        p for p in sorted((REALDOCS / "files").glob("*")) if not args.names or any(n in p.name for n in args.names)
    ]
    total_ref = total_hit = 0
    t0 = time.time()
    for path in files:
        r = read(path, ocr=not args.no_ocr)
        got = _bag(r.text)
        ocr_pages = sorted({line.page for line in r.lines if line.origin is Origin.OCR})
        if path.suffix in (".docx", ".doc"):
            ref = _docx_words(path)
        elif path.suffix == ".pdf":
            pages = sorted({line.page for line in r.lines if line.page} | {d.page for d in r.dropped if d.page})
            ref = Counter()
            for p in pages:
                if p not in ocr_pages:
                    ref += _layout_words(path, p)
            got = _bag("\n".join(line.text for line in r.lines if line.origin is not Origin.OCR))
        hit = sum((got & ref).values())
        total_ref += sum(ref.values())
        total_hit += hit
        recall = f"{hit / sum(ref.values()):.3f}" if ref else "—"
        ocr_text = "\n".join(line.text for line in r.lines if line.origin is Origin.OCR)
        ocr_note = f" ocr_valid={measure(ocr_text).valid:.2f}" if ocr_text else ""
        dropped = Counter(d.reason.name.lower() for d in r.dropped)
        read_n = len({line.src for line in r.lines})
        total = sum(1 for s in r.sources if s.strip())
        print(
            f"{path.name[:58]:58} ocr_pages={len(ocr_pages)} lines={read_n}/{total} "
            f"dropped={dict(dropped)} words={sum(_bag(r.text).values())} recall={recall}{ocr_note}"
        )
    print(
        f"files={len(files)} ref_words={total_ref} recall={total_hit / max(total_ref, 1):.4f} s={time.time() - t0:.0f}"
    )


if __name__ == "__main__":
    main()
