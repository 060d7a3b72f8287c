"""PDF speed: the commune plans of a province (or the whole country) through LibreOffice.

    python benchmarks/pdf.py [--province NAME | --all] [--jobs W] [--floor-sample K]

Renders one plan per commune, converts them the library's way (documents of one template
combined into one LibreOffice file per ~64, split again; one worker per core) and the floor way
(one LibreOffice conversion per file, the same workers) in the same run, and checks that both
give the same words at the same places on the same pages. Last line:
pdfs=N ms_per_pdf=X floor_ms_per_pdf=Y ratio=Y/X wall_s=S workers=W
(ms_per_pdf: wall time / N. The line before gives CPU time per PDF, LibreOffice's included.
Targets on 2 cores: ≤ 30 ms per PDF for the 168 units of TP. Hồ Chí Minh, all 3,321 communes in
≤ 120 s wall.)
"""

from __future__ import annotations

import argparse
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from batch import AS_OF, DEFAULT_PLAN, child  # noqa: E402

from vn_congvan import units  # noqa: E402
from vn_congvan.export import cpu_count, to_pdf  # noqa: E402
from vn_congvan.render import render_bytes  # noqa: E402


def cpu_seconds() -> float:
    """This process and every LibreOffice it waited for."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def timed(docs: list[Path], outdir: Path, **options: object) -> tuple[list[Path], float, float]:
    wall, cpu = time.perf_counter(), cpu_seconds()
    pdfs = to_pdf(docs, outdir, **options)  # type: ignore[arg-type]
    return pdfs, time.perf_counter() - wall, cpu_seconds() - cpu


def layout(pdf: Path) -> list[str]:
    out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    return re.findall(r"<page [^>]*>|<word [^>]*>[^<]*</word>", out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--province", default="Thành phố Hồ Chí Minh")
    parser.add_argument("--all", action="store_true", help="all 3,321 communes of the country")
    parser.add_argument("--jobs", type=int, default=cpu_count(), help="LibreOffice workers (default: cores)")
    parser.add_argument("--floor-sample", type=int, default=168, help="files converted one by one for the floor")
    parser.add_argument("--compare", type=int, default=40, help="PDFs compared word by word with the floor")
    args = parser.parse_args()

    selected = units.all_units(as_of=AS_OF, level="xa") if args.all else units.children(args.province, as_of=AS_OF)
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp, "docx")
        src.mkdir()
        docs = []
        for unit in selected:
            docs.append(src / f"{unit.code}.docx")
            docs[-1].write_bytes(render_bytes(child(DEFAULT_PLAN, unit)))
        n = len(docs)

        pdfs, wall, cpu = timed(docs, Path(tmp, "combined"), jobs=args.jobs)
        assert len(pdfs) == n
        sample = docs[: args.floor_sample]
        floor, floor_wall, floor_cpu = timed(sample, Path(tmp, "floor"), jobs=args.jobs, combined=False)

        for a, b in list(zip(floor, pdfs, strict=False))[: args.compare]:
            if layout(a) != layout(b):
                sys.exit(f"{b.name}: the combined conversion differs from converting the file alone")
        print(f"same pages and words: {min(args.compare, len(floor))} PDFs compared with the floor")

    ms, floor_ms = wall * 1000 / n, floor_wall * 1000 / len(sample)
    print(
        f"cpu_ms_per_pdf={cpu * 1000 / n:.1f} floor_cpu_ms_per_pdf={floor_cpu * 1000 / len(sample):.1f} "
        f"floor_pdfs={len(sample)}"
    )
    print(
        f"pdfs={n} ms_per_pdf={ms:.1f} floor_ms_per_pdf={floor_ms:.1f} ratio={floor_ms / ms:.1f} "
        f"wall_s={wall:.2f} workers={args.jobs}"
    )


if __name__ == "__main__":
    main()
