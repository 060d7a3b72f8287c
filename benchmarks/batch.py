"""Batch speed: derive + render N commune plans the library's way and docxtpl's, in CPU time.

    python benchmarks/batch.py [--units N] [--jobs J] [--sample K] [--memory] [--plan PLAN.yaml]

Three ways in one run, each given the same derived documents:
- the library: compose, render (templates compiled once per process), write; J processes for all N;
- docxtpl used well: the template read into memory once, Jinja's compile of its XML cached;
- docxtpl naive: open the template, render, save, per document.
Both docxtpl ways run on K documents in this process and must give the library's paragraph text.
`check_cpu_ms_per_doc`: what batch's default check costs per document: the same batch run again with each chunk's
files checked from their parts once written, the check's CPU counted in the workers (target ≤ 1 ms).
`full_cpu_ms_per_doc`: the full path without the check (derive + compose + render + write), one plan after
another in a fresh process, no pool. The library's way derives 64 plans, renders them stage by stage
(`render.render_packages`), then writes them, as a batch worker does: one plan after another through every
stage and the write costs about 30 % more CPU (each stage evicts the others' data from the CPU's caches).
CPU time counts every process (the library's workers included), so a busy second core does not
change the ratios. Last line:
docs=N cpu_ms_per_doc=X docxtpl_cpu_ms_per_doc=Y naive_cpu_ms_per_doc=Z ratio_cpu=Y/X naive_ratio_cpu=Z/X
wall_s=S jobs=J
`--memory` also renders 1,000 and 10,000 documents in fresh processes and prints the peak RSS of each
(per-document parts must not pile up in a cache). Targets on 2 cores: full path ≤ 1 ms CPU per plan,
all 3,321 communes ≤ 10 s wall, peak RSS at 10,000 within 10 % of 1,000.
Files are written in a temporary folder under `--tmp` (default: the system's). Creating a file costs the
kernel 6–220 µs of CPU on this project's VM depending on the folder (ext4 looks for a free inode beyond the
folder's block group when that group is full): compare runs in the same folder.
"""

from __future__ import annotations

import argparse
import io
import itertools
import resource
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from datetime import date
from functools import cache
from pathlib import Path

import jinja2
from docxtpl import DocxTemplate

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from vn_congvan import ooxml, units  # noqa: E402
from vn_congvan.batch import CHUNK, batch_collector  # noqa: E402
from vn_congvan.compose import compose  # noqa: E402
from vn_congvan.derive import derive, issuer_for_unit  # noqa: E402
from vn_congvan.loader import load  # noqa: E402
from vn_congvan.model import Document  # noqa: E402
from vn_congvan.render import (  # noqa: E402
    pinned_templates,
    render_bytes,
    render_packages,
    template_for,
    write_atomic,
)

AS_OF = date(2026, 9, 15)
DEFAULT_PLAN = ROOT / "examples/derive/2026-ubnd-tinh-thai-nguyen-ke-hoach.yaml"
_PARENT: dict[Path, Document] = {}


def child(plan: Path, unit: units.Unit) -> Document:
    if plan not in _PARENT:
        _PARENT[plan] = load(plan)
    return derive(_PARENT[plan], issuer_for_unit(unit, as_of=AS_OF), as_of=AS_OF).document


def library_chunk(plan: Path, chunk: list[units.Unit], outdir: Path, checked: bool = False) -> tuple[int, float]:
    """The full path: derive + compose + render + write, as a `vn-congvan batch` worker does it: templates
    pinned, each chunk of at most 64 units derived, rendered stage by stage, then written; with `checked`,
    then read from their parts and checked stage by stage (batch's default: batch.check_units). Returns the
    units done and the CPU seconds the check took in this process."""
    from vn_congvan.check import check_each

    check_s = 0.0
    with pinned_templates(), batch_collector():
        for i in range(0, len(chunk), CHUNK):
            part = chunk[i : i + CHUNK]
            made = render_packages([child(plan, u) for u in part])
            assert not any(isinstance(m, Exception) for m in made), made
            for unit, (_, data) in zip(part, made, strict=True):
                write_atomic(outdir / f"{unit.code}.docx", data)
            if checked:
                start = time.process_time()
                check_each(
                    [
                        ooxml.read_parts(parts, outdir / f"{u.code}.docx")
                        for u, (parts, _) in zip(part, made, strict=True)
                    ]
                )
                check_s += time.process_time() - start
    return len(chunk), check_s


class CachedEnvironment(jinja2.Environment):
    """docxtpl compiles the template's XML with from_string on every render: compile each source once."""

    @cache  # noqa: B019 - one environment per run
    def from_string(self, source, globals=None, template_class=None):  # type: ignore[override]
        return super().from_string(source, globals, template_class)


class WellUsedDocxtpl:
    """One DocxTemplate over the template's bytes in memory, one Jinja environment with a compile cache."""

    def __init__(self, template: Path) -> None:
        self.tpl = DocxTemplate(io.BytesIO(template.read_bytes()))
        self.env = CachedEnvironment(undefined=jinja2.StrictUndefined, autoescape=True)

    def write(self, doc: Document, out: Path) -> None:
        self.tpl.template_file.seek(0)
        self.tpl.render(compose(doc), jinja_env=self.env, autoescape=True)
        self.tpl.save(str(out))


def naive(doc: Document, out: Path) -> None:
    template, _ = template_for(doc)
    tpl = DocxTemplate(str(template))
    tpl.render(compose(doc), jinja_env=jinja2.Environment(undefined=jinja2.StrictUndefined), autoescape=True)
    tpl.save(str(out))


def paragraphs(path: Path) -> list[str]:
    return [p.text for p in ooxml.read(path).paragraphs()]


def cpu_seconds() -> float:
    """This process and its finished children (the library's pool workers)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def scratch(folder: Path | None) -> None:
    """Temporary folders of this process go under `folder` (None: the system's temporary folder)."""
    if folder is not None:
        folder.mkdir(parents=True, exist_ok=True)
    tempfile.tempdir = str(folder) if folder else tempfile.gettempdir()


def peak_rss_mb(count: int, plan: Path) -> float:
    """Peak RSS of a fresh process rendering `count` plans (communes repeated past 3,321)."""
    cmd = [sys.executable, __file__, "--rss-child", str(count), "--plan", str(plan), "--tmp", str(tempfile.tempdir)]
    return int(subprocess.run(cmd, check=True, capture_output=True, text=True).stdout.split()[-1]) / 1024


def rss_child(count: int, plan: Path) -> None:
    communes = units.all_units(as_of=AS_OF, level="xa")
    with tempfile.TemporaryDirectory() as tmp:
        library_chunk(plan, list(itertools.islice(itertools.cycle(communes), count)), Path(tmp))
    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)


def full_path_ms(count: int, plan: Path) -> float:
    """CPU per plan of the full path (derive + compose + render + write, no check), one plan after another
    in a fresh process: each unit met once, as a batch worker meets it."""
    cmd = [sys.executable, __file__, "--full-child", str(count), "--plan", str(plan), "--tmp", str(tempfile.tempdir)]
    return float(subprocess.run(cmd, check=True, capture_output=True, text=True).stdout.split()[-1])


def full_child(count: int, plan: Path) -> None:
    communes = units.all_units(as_of=AS_OF, level="xa")
    with tempfile.TemporaryDirectory() as tmp:
        library_chunk(plan, [communes[-1]], Path(tmp))  # templates compiled, data loaded: once per process
        start = time.process_time()
        library_chunk(plan, communes[:count], Path(tmp))
        print((time.process_time() - start) * 1000 / count)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=None, help="number of communes (default: all 3,321)")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--sample", type=int, default=200, help="documents rendered the two docxtpl ways")
    parser.add_argument("--memory", action="store_true", help="peak RSS at 1,000 and 10,000 documents")
    parser.add_argument("--plan", type=Path, default=DEFAULT_PLAN)
    parser.add_argument("--tmp", type=Path, default=None, help="folder the files are written under")
    parser.add_argument("--rss-child", type=int, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--full-child", type=int, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    scratch(args.tmp)
    if args.rss_child:
        return rss_child(args.rss_child, args.plan)
    if args.full_child:
        return full_child(args.full_child, args.plan)

    communes = units.all_units(as_of=AS_OF, level="xa")
    selected = communes[: args.units] if args.units else communes
    n = len(selected)
    with tempfile.TemporaryDirectory() as tmp:
        lib_dir, well_dir, naive_dir = Path(tmp, "lib"), Path(tmp, "well"), Path(tmp, "naive")
        for d in (lib_dir, well_dir, naive_dir):
            d.mkdir()

        size = max(1, min(CHUNK, n // (args.jobs * 8) or 1))
        chunks = [selected[i : i + size] for i in range(0, n, size)]
        render_bytes(child(args.plan, selected[0]))  # warm caches before forking: workers inherit them

        def run(outdir: Path, checked: bool) -> tuple[float, float, float]:
            """CPU seconds (every process) and wall seconds of the library's batch over `selected`, and the
            CPU seconds its check took in the workers."""
            cpu, wall = cpu_seconds(), time.perf_counter()
            if args.jobs > 1:
                with ProcessPoolExecutor(args.jobs) as pool:
                    k = len(chunks)
                    done = list(pool.map(library_chunk, [args.plan] * k, chunks, [outdir] * k, [checked] * k))
            else:
                done = [library_chunk(args.plan, c, outdir, checked) for c in chunks]
            assert sum(d[0] for d in done) == n
            return cpu_seconds() - cpu, time.perf_counter() - wall, sum(d[1] for d in done)

        cpu, wall, _ = run(lib_dir, False)
        lib_ms = cpu * 1000 / n
        checked_dir = Path(tmp, "checked")
        checked_dir.mkdir()
        check_ms = run(checked_dir, True)[2] * 1000 / n  # the same batch with its default check

        sample = selected[: min(args.sample, n)]
        docs = [child(args.plan, unit) for unit in sample]  # derived outside the timed docxtpl loops
        well = WellUsedDocxtpl(template_for(docs[0])[0])
        well.write(docs[0], well_dir / "warm.docx")
        naive(docs[0], naive_dir / "warm.docx")  # the same warm-up the library had
        start, clock = time.process_time(), time.perf_counter()
        for unit, doc in zip(sample, docs, strict=True):
            well.write(doc, well_dir / f"{unit.code}.docx")
        well_ms = (time.process_time() - start) * 1000 / len(sample)
        well_wall = (time.perf_counter() - clock) * 1000 / len(sample)
        start, clock = time.process_time(), time.perf_counter()
        for unit, doc in zip(sample, docs, strict=True):
            naive(doc, naive_dir / f"{unit.code}.docx")
        naive_ms = (time.process_time() - start) * 1000 / len(sample)
        naive_wall = (time.perf_counter() - clock) * 1000 / len(sample)
        derive_ms = (
            min(
                _timed(lambda: [child(args.plan, u) for u in sample]),
                _timed(lambda: [child(args.plan, u) for u in sample]),
            )
            * 1000
            / len(sample)
        )

        for unit in sample:
            ours = paragraphs(lib_dir / f"{unit.code}.docx")
            if ours != paragraphs(well_dir / f"{unit.code}.docx") or ours != paragraphs(
                naive_dir / f"{unit.code}.docx"
            ):
                sys.exit(f"text differs for {unit.code} {unit.full_name}")
        print(f"same text: {len(sample)} documents compared, three ways; files written under {tempfile.tempdir}")

        from vn_congvan.check import check

        written = [lib_dir / f"{unit.code}.docx" for unit in sample[:100]]
        file_ms = _timed(lambda: [check(p) for p in written]) * 1000 / len(written)

    full_ms = full_path_ms(min(n, 1000), args.plan)
    print(f"full_cpu_ms_per_doc={full_ms:.2f} (one process, plan after plan: derive + compose + render + write)")
    print(
        f"derive_cpu_ms_per_doc={derive_ms:.2f} (docxtpl ways: + compose, render, save) "
        f"check_cpu_ms_per_doc={check_ms:.2f} (batch's default check, counted in its workers; not in "
        "the figures below; "
        f"vn-congvan check of the written file {file_ms:.2f})"
    )
    print(
        f"wall_ms_per_doc: library={wall * 1000 / n:.2f} ({args.jobs} processes) "
        f"docxtpl={well_wall:.2f} naive={naive_wall:.2f} (1 process, derive not included)"
    )
    if args.memory:
        small, large = peak_rss_mb(1000, args.plan), peak_rss_mb(10000, args.plan)
        print(f"peak_rss_mb_1000={small:.1f} peak_rss_mb_10000={large:.1f} growth={100 * (large / small - 1):+.1f}%")
    print(
        f"docs={n} cpu_ms_per_doc={lib_ms:.2f} docxtpl_cpu_ms_per_doc={well_ms + derive_ms:.2f} "
        f"naive_cpu_ms_per_doc={naive_ms + derive_ms:.2f} ratio_cpu={(well_ms + derive_ms) / lib_ms:.1f} "
        f"naive_ratio_cpu={(naive_ms + derive_ms) / lib_ms:.1f} wall_s={wall:.2f} jobs={args.jobs}"
    )


def _timed(work: object) -> float:
    start = time.process_time()
    work()  # type: ignore[operator]
    return time.process_time() - start


if __name__ == "__main__":
    main()
