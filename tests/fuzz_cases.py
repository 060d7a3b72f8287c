"""Fuzz campaign over the CLI, in-process: mutated YAML (render), .docx at zip and XML level (check, parse)
and .txt (parse), from a fixed seed. Each case must end in exit 0 with a valid output, exit 1 (check: findings)
or exit 2 with a message and no output; never a traceback or a hang.

`python tests/fuzz_cases.py --seed S --cases N` runs a campaign and prints one JSON object: the failures,
the counts per kind and exit code, the slowest case and the peak memory of the process (ru_maxrss).
tests/test_fuzz.py runs a few hundred cases in a subprocess; benchmarks/fuzz.py runs more.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import random
import resource
import sys
import tempfile
import time
import traceback
import zipfile
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import yaml
from lxml import etree

sys.path.insert(0, str(Path(__file__).parent))

import hostile_docx as H
from shared import REALDOCS, SEEDS

from vn_congvan.cli import main

ROOT = Path(__file__).resolve().parents[1]
KINDS = ("yaml", "zip", "xml", "txt", "hostile")
HOSTILE_VALUES = [
    "",
    "~",
    "[]",
    "{}",
    "&x a",
    "*x",
    "!!python/object/apply:os.system ['true']",
    "9" * 400,
    "2025-02-30",
    '"unterminated',
    "{{ title }}",
    "{campaign.__init__.__globals__}",
    "a\ufffeb",
    "a\x00b",
    "x" * 100_000,
    "- - - -",
    ": :",
    "'''",
    "Sở GD&ĐT <b>",
    "\u202e\u200b",
]
XML_SNIPPETS = [
    "<w:p>",
    "</w:p>",
    "<w:r><w:t>x</w:t></w:r>",
    "<w:tbl><w:tr><w:tc><w:p/></w:tc></w:tr></w:tbl>",
    "<w:sdt><w:sdtContent>" * 300 + "</w:sdtContent></w:sdt>" * 300,
    '<w:sz w:val="-5"/>',
    '<w:sz w:val="99999999999999999999"/>',
    '<w:pStyle w:val="KhongCo"/>',
    '<w:rFonts w:ascii=""/>',
    "&amp;&lt;",
    "\x01",
    "<!-- c -->",
    '<w:sectPr><w:pgSz w:w="0" w:h="-1"/></w:sectPr>',
    "<x:unknown xmlns:x='urn:x'/>",
]
PARTS = ("word/document.xml", "word/styles.xml", "_rels/.rels", "word/_rels/document.xml.rels", "[Content_Types].xml")


@dataclass
class Result:
    kind: str
    name: str
    command: str
    code: int | str
    seconds: float
    problem: str = ""  # empty: the case behaved


def _yaml_sources() -> list[str]:
    files = [*sorted((ROOT / "examples/seeds").glob("*.yaml")), ROOT / "tests/hostile/kế hoạch số 5 — Thái Nguyên.yaml"]
    return [f.read_text(encoding="utf-8") for f in files]


def _docx_sources(workdir: Path) -> list[bytes]:
    from vn_congvan.loader import load
    from vn_congvan.render import render

    out = []
    for name in ("001-thai-nguyen-ke-hoach", "000-hai-phong-cong-van"):
        target = workdir / f"{name}.docx"
        render(load(ROOT / f"examples/seeds/{name}.yaml"), target)
        out.append(target.read_bytes())
    out += [p.read_bytes() for p in sorted(REALDOCS.glob("files/*.docx"))[:3]]
    return out


def _txt_sources() -> list[str]:
    files = sorted(SEEDS.glob("*.txt")) + sorted(REALDOCS.glob("texts/*.txt"))[:6]
    return [f.read_text(encoding="utf-8", errors="replace") for f in files]


def mutate_yaml(rng: random.Random, text: str) -> bytes:
    lines = text.split("\n")
    for _ in range(rng.randint(1, 3)):
        op = rng.randrange(8)
        i = rng.randrange(len(lines)) if lines else 0
        if op == 0 and lines:
            del lines[i]
        elif op == 1 and lines:
            lines.insert(i, lines[rng.randrange(len(lines))])
        elif op == 2 and len(lines) > 1:
            j = rng.randrange(len(lines))
            lines[i], lines[j] = lines[j], lines[i]
        elif op == 3 and lines:
            lines[i] = (" " * rng.choice((1, 2, 4)) + lines[i]) if rng.random() < 0.5 else lines[i].lstrip()
        elif op == 4 and lines and ":" in lines[i]:
            key = lines[i].split(":", 1)[0]
            lines[i] = f"{key}: {rng.choice(HOSTILE_VALUES)}"
        elif op == 5:
            lines.append("x_a: &a [" + ", ".join(["lol"] * 10) + "]")
            lines += [
                f"x_{c}: &{c} [" + ", ".join([f"*{p}"] * 10) + "]" for p, c in zip("abcdefg", "bcdefgh", strict=True)
            ]
        elif op == 6 and lines:
            pos = rng.randrange(len(lines[i]) + 1)
            lines[i] = lines[i][:pos] + rng.choice(HOSTILE_VALUES)[:200] + lines[i][pos:]
        else:
            lines = lines[: rng.randrange(len(lines) + 1)]
    data = "\n".join(lines).encode("utf-8")
    if rng.random() < 0.1 and data:
        at = rng.randrange(len(data))
        data = data[:at] + bytes([rng.randrange(256)]) + data[at + 1 :]
    return data


def mutate_zip(rng: random.Random, data: bytes) -> bytes:
    op = rng.randrange(6)
    names = list(H.parts_of(data))
    name = rng.choice(names)
    if op == 0:
        out = bytearray(data)
        for _ in range(rng.randint(1, 20)):
            out[rng.randrange(len(out))] = rng.randrange(256)
        return bytes(out)
    if op == 1:
        return data[: rng.randrange(len(data))]
    if op == 2:
        return H.patch_header(data, name, flags=rng.choice((1, 8, 0x41, 0x800)), method=rng.choice((0, 8, 9, 12, 99)))
    if op == 3:
        return H.lying_size(H.build(H.parts_of(data)), name, rng.choice((0, 1, 100, 2**31)))
    if op == 4:
        return H.with_parts(data, {name: None})
    return H.bad_deflate(H.build(H.parts_of(data)), name) if len(H.parts_of(data)[name]) > 64 else data[::-1]


def mutate_xml(rng: random.Random, data: bytes) -> bytes:
    parts = H.parts_of(data)
    name = rng.choice([p for p in PARTS if p in parts])
    xml = parts[name].decode("utf-8", "replace")
    for _ in range(rng.randint(1, 3)):
        op = rng.randrange(5)
        pos = rng.randrange(len(xml) + 1)
        if op == 0:  # drop one tag
            start = xml.find("<", pos)
            end = xml.find(">", start)
            if start >= 0 and end > start:
                xml = xml[:start] + xml[end + 1 :]
        elif op == 1:  # insert a snippet before a tag
            start = xml.find("<", pos)
            start = start if start >= 0 else len(xml)
            xml = xml[:start] + rng.choice(XML_SNIPPETS) + xml[start:]
        elif op == 2:  # an attribute value replaced
            at = xml.find('="', pos)
            end = xml.find('"', at + 2)
            if at >= 0 and end > at:
                junk = rng.choice(["", "-1", "x" * 5000, "999999999999", "auto", "&#0;", "rId999"])
                xml = xml[: at + 2] + junk + xml[end:]
        elif op == 3:  # an element repeated
            start = xml.find("<w:p>", pos)
            end = xml.find("</w:p>", start)
            if start >= 0 and end > start:
                xml = xml[:start] + xml[start : end + 6] * rng.choice((2, 50, 500)) + xml[start:]
        else:
            xml = xml[:pos]
    parts[name] = xml.encode("utf-8")
    return H.build(parts)


def mutate_txt(rng: random.Random, text: str) -> bytes:
    lines = text.splitlines()
    for _ in range(rng.randint(1, 3)):
        op = rng.randrange(7)
        i = rng.randrange(len(lines)) if lines else 0
        if op == 0 and lines:
            rng.shuffle(lines)
        elif op == 1 and lines:
            lines = lines[i:] + lines * rng.choice((1, 5, 20))
        elif op == 2:
            lines.insert(i, rng.choice(["| a | b |", "<br><p>x</p>", "Số: /KH-UBND", "Nơi nhận:", "- Lưu: VT.", "1."]))
        elif op == 3 and lines:
            lines[i] = lines[i] * rng.choice((10, 1000))
        elif op == 4:
            lines += ["a"] * rng.choice((100, 5000))
        elif op == 5 and lines:
            lines[i] = "".join(chr(rng.randrange(1, 0x2FFF)) for _ in range(rng.randrange(1, 80)))
        else:
            lines = lines[: rng.randrange(len(lines) + 1)]
    data = "\r\n".join(lines).encode("utf-8")
    if rng.random() < 0.1:
        data = b"\xef\xbb\xbf" + data if rng.random() < 0.5 else data + b"\xff\xfe"
    return data


def _valid_docx(path: Path) -> str:
    import docx

    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if name.endswith((".xml", ".rels")):
                etree.fromstring(z.read(name))
    docx.Document(str(path))
    return ""


def run_one(kind: str, name: str, command: str, data: bytes, work: Path) -> Result:
    suffix = {"yaml": ".yaml", "txt": ".txt"}.get(kind, ".docx")
    case = work / name
    case.mkdir()
    source = case / f"input{suffix}"
    source.write_bytes(data)
    out = case / "out"
    argv = {
        "render": ["render", str(source), "-o", str(out)],
        "check": ["check", "--json", str(source)],
        "parse": ["parse", str(source), "-o", str(out / "parsed.yaml")],
    }[command]
    stdout, stderr = io.StringIO(), io.StringIO()
    started = time.perf_counter()
    try:
        with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
            code: int | str = main(argv)
    except BaseException:
        return Result(kind, name, command, "traceback", time.perf_counter() - started, traceback.format_exc()[-2000:])
    seconds = time.perf_counter() - started
    err = stderr.getvalue()
    problem = ""
    written = sorted(p.name for p in out.rglob("*")) if out.exists() else []
    if "Traceback" in err:
        problem = "traceback in stderr"
    elif code == 2:
        if command == "check":  # --json: the message is in the report
            err += "".join(str(r.get("error", "")) for r in json.loads(stdout.getvalue() or "[]"))
        if not err.strip() or str(source) not in err:
            problem = "exit 2 without a message naming the file"
        elif written:
            problem = f"exit 2 but wrote {written}"
    elif code in (0, 1) and command == "check":
        results = json.loads(stdout.getvalue())
        if not (isinstance(results, list) and results and "findings" in results[0]):
            problem = "check --json gave no report"
    elif code == 0 and command == "render":
        try:
            problem = _valid_docx(out / "input.docx")
        except Exception as exc:
            problem = f"invalid output: {type(exc).__name__}: {exc}"[:500]
    elif code == 0 and command == "parse":
        try:
            if not isinstance(yaml.safe_load((out / "parsed.yaml").read_text(encoding="utf-8")), dict):
                problem = "parse output is not a mapping"
        except Exception as exc:
            problem = f"invalid parse output: {exc}"[:500]
    else:
        problem = f"unexpected exit {code}"
    if problem:
        problem += f" | stderr: {err[-800:]}"
    return Result(kind, name, command, code, seconds, problem)


def generate(seed: int, cases: int, work: Path) -> Iterator[tuple[str, str, str, bytes]]:
    """(kind, name, command, input bytes) of each case, the same for the same seed."""
    rng = random.Random(seed)
    yamls, docxs, txts = _yaml_sources(), _docx_sources(work), _txt_sources()
    for n in range(cases):
        kind = KINDS[n % 4]
        name = f"{kind}-{n:05d}"
        if kind == "yaml":
            yield kind, name, "render", mutate_yaml(rng, rng.choice(yamls))
        elif kind == "txt":
            yield kind, name, "parse", mutate_txt(rng, rng.choice(txts))
        else:
            mutate = mutate_zip if kind == "zip" else mutate_xml
            data = mutate(rng, rng.choice(docxs))
            yield kind, name, rng.choice(("check", "parse")), data


def campaign(seed: int, cases: int, work: Path) -> list[Result]:
    return [run_one(kind, name, command, data, work) for kind, name, command, data in generate(seed, cases, work)]


def hostile(work: Path) -> list[Result]:
    """The named hostile packages of tests/hostile_docx.py through check and parse, and a YAML alias bomb of
    long strings (1.5 MB expanding to 1.5 GB) through render: all must be refused, quickly, in little memory."""
    good = _docx_sources(work)[0]
    results = [
        run_one("hostile", f"{name}-{command}", command, build(), work)
        for name, build in H.cases(good).items()
        for command in ("check", "parse")
    ]
    plan = (ROOT / "tests/hostile/kế hoạch số 5 — Thái Nguyên.yaml").read_text(encoding="utf-8")
    refs = ", ".join(["*a"] * 1000)
    bomb = plan.replace("archive: KGVX", f"archive: KGVX\nx_a: &a {'x' * 1_500_000}\nx_b: [{refs}]")
    results.append(run_one("yaml", "alias-bomb-render", "render", bomb.encode("utf-8"), work))
    return results


def summary(results: list[Result]) -> dict[str, object]:
    slowest = max(results, key=lambda r: r.seconds)
    return {
        "cases": len(results),
        "failures": [r.__dict__ for r in results if r.problem],
        "exits": dict(Counter(f"{r.kind}/{r.command}/{r.code}" for r in results)),
        "slowest": {"name": slowest.name, "command": slowest.command, "seconds": round(slowest.seconds, 2)},
        "slowest_by_kind": {
            k: round(max(r.seconds for r in results if r.kind == k), 2) for k in sorted({r.kind for r in results})
        },
        "total_seconds": round(sum(r.seconds for r in results), 1),
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
    }


def cli() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seed", type=int, default=20261201)
    parser.add_argument("--cases", type=int, default=300)
    parser.add_argument("--hostile", action="store_true", help="the named hostile inputs instead of mutants")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        os.chdir(tmp)  # anything written outside its OUTDIR would land here
        work = Path(tmp) / "cases"
        work.mkdir()
        results = hostile(work) if args.hostile else campaign(args.seed, args.cases, work)
        stray = sorted(p.name for p in Path(tmp).iterdir() if p != work)
    report = summary(results)
    report["stray_files"] = stray
    print(json.dumps(report, ensure_ascii=False))


if __name__ == "__main__":
    cli()
