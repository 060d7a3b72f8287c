"""The public Python API as a scripter uses it: `import vn_congvan`, then every function, twice, in one process,
whatever submodule was imported first (a submodule import once rebound `vn_congvan.render` to the module)."""

from __future__ import annotations

import datetime
import inspect
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import vn_congvan
import vn_congvan.aggregate
import vn_congvan.batch
import vn_congvan.check
import vn_congvan.derive
import vn_congvan.export
import vn_congvan.parse
import vn_congvan.render
from vn_congvan import units
from vn_congvan.export import find_soffice

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "examples/seeds/001-thai-nguyen-ke-hoach.yaml"
QUAN_7 = ROOT / "examples/seeds/004-quan-7-ke-hoach.yaml"
REPORTS = ROOT / "examples/reports"
API = ["load", "render", "render_bytes", "check", "derive", "parse", "aggregate", "to_pdf", "run_batch"]


def test_every_public_name_is_a_function_after_its_submodule_was_imported() -> None:
    for name in API:
        assert inspect.isfunction(getattr(vn_congvan, name)), name
    assert set(API) <= set(vn_congvan.__all__)


def test_each_function_works_twice_in_one_process(tmp_path: Path) -> None:
    for n in (1, 2):
        doc = vn_congvan.load(SEED)
        assert doc.number == 144
        out = vn_congvan.render(doc, tmp_path / f"{n}.docx")
        assert out.is_file()
        assert vn_congvan.render_bytes(doc) == out.read_bytes()  # deterministic
        report = vn_congvan.check(out)
        assert report.ok, report.findings
        child = vn_congvan.derive(doc, ROOT / "profiles/ubnd-huyen-dong-hy.yaml", as_of=datetime.date(2022, 10, 1))
        assert child.document.issuer.name == "Ủy ban nhân dân huyện Đồng Hỷ"
        parsed = vn_congvan.parse(out)
        assert parsed["number"] == 144 and parsed["title"] == doc.title
        summary = vn_congvan.aggregate([REPORTS / "phuong-tan-phu.yaml", REPORTS / "so-lieu-9-phuong.csv"])
        assert summary.total("1", "so_luong") == 306
        wards = [u for u in units.children("Quận 7", as_of=datetime.date(2021, 10, 1)) if "Tân" in u.name][:2]
        entries = vn_congvan.run_batch(
            QUAN_7, wards, tmp_path / f"batch{n}", as_of=datetime.date(2021, 10, 1), progress=lambda *_: None
        )
        assert [e.error for e in entries] == [None, None] and all(e.check == "ok" for e in entries)


def test_to_pdf_twice(tmp_path: Path) -> None:
    if not find_soffice():
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("CI must have LibreOffice")
        pytest.skip("no LibreOffice")
    docx = vn_congvan.render(vn_congvan.load(SEED), tmp_path / "a.docx")
    for n in (1, 2):
        [pdf] = vn_congvan.to_pdf([docx], tmp_path / f"pdf{n}")
        assert pdf.read_bytes().startswith(b"%PDF")


SCRIPT = """
import datetime, inspect, sys
import vn_congvan.{first}
from vn_congvan.{first} import *  # a star import of the submodule must not disturb the package either
import vn_congvan
names = {api!r}
for name in names:
    assert inspect.isfunction(getattr(vn_congvan, name)), (name, getattr(vn_congvan, name))
doc = vn_congvan.load({seed!r})
for n in range(2):
    vn_congvan.render(doc, f"{{n}}.docx")
    assert vn_congvan.check(f"{{n}}.docx").ok
    assert vn_congvan.parse(f"{{n}}.docx")["number"] == 144
    vn_congvan.derive(doc, "ubnd-huyen-dong-hy", as_of=datetime.date(2022, 10, 1))
print("ok")
"""


@pytest.mark.parametrize("first", ["render", "check", "batch", "loader"])
def test_a_fresh_interpreter_importing_a_submodule_first(tmp_path: Path, first: str) -> None:
    code = SCRIPT.format(first=first, api=API, seed=str(SEED))
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0 and done.stdout.strip() == "ok", done.stderr
    shutil.rmtree(tmp_path)


LAZY = """
import sys
import vn_congvan
loaded = sorted(m for m in sys.modules if m.startswith("vn_congvan."))
print(loaded, dir(vn_congvan))
from vn_congvan import check, load, render
print(check.__module__, load.__module__, render.__module__)
"""


def test_importing_the_package_loads_nothing_until_a_name_is_used() -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", LAZY], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    first, second = done.stdout.splitlines()
    assert first == f"[] {sorted(vn_congvan.__all__)}"
    assert second == "vn_congvan.check vn_congvan.loader vn_congvan.render"
    assert set(vn_congvan.__all__) - {"__version__"} == set(vn_congvan._PUBLIC)
    with pytest.raises(AttributeError, match="no attribute 'nothing'"):
        vn_congvan.nothing  # noqa: B018


CLI_MODULES = """
import sys
from vn_congvan.cli import main
status = main(sys.argv[1:])
print(status, " ".join(sorted(m for m in sys.modules if m.startswith("vn_congvan."))))
"""


def test_a_cli_command_imports_only_what_it_needs(tmp_path: Path) -> None:
    docx = vn_congvan.render(vn_congvan.load(SEED), tmp_path / "a.docx")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}

    def modules(*argv: str) -> tuple[str, set[str]]:
        cmd = [sys.executable, "-c", CLI_MODULES, *argv]
        done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=120)
        status, _, names = done.stdout.strip().rpartition("\n")[2].partition(" ")
        return status, set(names.split())

    status, loaded = modules("check", str(docx))
    assert status == "0"
    assert "vn_congvan.check" in loaded
    assert not loaded & {"vn_congvan.derive", "vn_congvan.render", "vn_congvan.parse", "vn_congvan.batch"}
    status, loaded = modules("units", "Thái Nguyên")
    assert status == "0" and "vn_congvan.units" in loaded
    assert not loaded & {"vn_congvan.check", "vn_congvan.ooxml", "vn_congvan.model", "vn_congvan.render"}


def test_top_level_help_lists_every_command_wherever_the_command_word_is() -> None:
    from vn_congvan.cli import COMMANDS

    for argv in (["--help"], ["-h", "check"]):
        done = subprocess.run(
            [sys.executable, "-m", "vn_congvan", *argv], capture_output=True, text=True, timeout=120, cwd=ROOT
        )
        assert done.returncode == 0, done.stderr
        listed = [line.split()[0] for line in done.stdout.splitlines() if re.match(r" {4}\S", line)]
        assert listed == COMMANDS, argv
