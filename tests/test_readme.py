"""The README as a newcomer meets it: in a fresh clone, after `make demo`, every fenced `sh` block run in a new
shell that has done what the README says every new shell does (`. .venv/bin/activate`), every `python` block
run by that shell's `python`, every document or profile in a `yaml` block valid, and no path outside the
repository. The clone's `.venv` reuses this interpreter's installed packages instead of installing them again
(a .pth file puts the clone first, then this environment's site-packages); `make test` is not re-run."""

from __future__ import annotations

import itertools
import os
import re
import shutil
import stat
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from vn_congvan.export import find_soffice

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
FENCE = re.compile(r"^```(\w*)\n(.*?)^```$", re.S | re.M)
SETUP = {"make demo", "make test"}


def blocks(lang: str) -> list[tuple[int, str]]:
    """(line number, code) of each fenced block in `lang`."""
    return [(README[: m.start()].count("\n") + 1, m.group(2)) for m in FENCE.finditer(README) if m.group(1) == lang]


def shown_output(line: int) -> list[str]:
    """The lines of a `text` block right after the `sh` block at `line`: what the README says it prints."""
    fences = list(FENCE.finditer(README))
    for m, after in itertools.pairwise(fences):
        if README[: m.start()].count("\n") + 1 == line and not README[m.end() : after.start()].strip():
            return after.group(2).splitlines() if after.group(1) == "text" else []
    return []


def _light_venv(clone: Path) -> None:
    """clone/.venv: this Python, the clone's package first, this environment's packages, and the console script."""
    venv = clone / ".venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    site = next((venv / "lib").glob("python3*/site-packages"))
    (site / "vn_congvan_clone.pth").write_text(f"{clone}\n{sysconfig.get_paths()['purelib']}\n", encoding="utf-8")
    script = venv / "bin" / "vn-congvan"
    script.write_text(
        f"#!{venv}/bin/python\nimport sys\nfrom vn_congvan.cli import main\nsys.exit(main())\n", encoding="utf-8"
    )
    script.chmod(script.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)


def _env(clone: Path) -> dict[str, str]:
    """A new shell's environment: no virtualenv active, no vn-congvan on PATH, nothing of this checkout."""
    path = [p for p in os.environ.get("PATH", "").split(os.pathsep) if p and not (Path(p) / "vn-congvan").exists()]
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME")}
    return {**env, "PATH": os.pathsep.join(path), "HOME": str(clone.parent)}


@pytest.fixture(scope="module")
def clone(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if shutil.which("git") is None or not (ROOT / ".git").exists() or shutil.which("make") is None:
        pytest.skip("needs git, make and a git checkout")
    if not find_soffice():
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("CI must have LibreOffice")
        pytest.skip("the README's PDF commands need LibreOffice")
    where = tmp_path_factory.mktemp("readme") / "vn_congvan"
    subprocess.run(["git", "clone", "-q", str(ROOT), str(where)], check=True)
    # The working tree as it would be committed: tracked and new files, not ignored ones (out/, .venv/).
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        check=True,
        capture_output=True,
    ).stdout.split(b"\0")
    for name in filter(None, (n.decode() for n in listed)):
        source, target = ROOT / name, where / name
        if source.is_file():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
        elif target.exists():  # deleted in the working tree
            target.unlink()
    _light_venv(where)
    done = subprocess.run(["make", "demo"], cwd=where, env=_env(where), capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    return where


def _shell(clone: Path, code: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", "-e", "-o", "pipefail", "-c", f". .venv/bin/activate\n{code}"],
        cwd=clone,
        env=_env(clone),
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def test_the_readme_has_the_setup_commands_then_the_activation() -> None:
    sh = blocks("sh")
    assert {line.split("#")[0].strip() for line in sh[0][1].splitlines()} == SETUP
    assert sh[1][1].split("#")[0].strip() == ". .venv/bin/activate"
    assert blocks("python"), "the README shows the Python API"


def test_a_new_shell_has_no_vn_congvan_until_activated(clone: Path) -> None:
    bare = subprocess.run(["bash", "-c", "command -v vn-congvan"], cwd=clone, env=_env(clone), capture_output=True)
    assert bare.returncode != 0
    assert _shell(clone, "command -v vn-congvan").stdout.strip() == str(clone / ".venv/bin/vn-congvan")


def test_every_shell_and_python_block_runs_in_a_fresh_clone(clone: Path) -> None:
    ran = 0
    for line, lang, code in sorted(
        [(n, "sh", c) for n, c in blocks("sh")] + [(n, "python", c) for n, c in blocks("python")]
    ):
        if lang == "sh" and {x.split("#")[0].strip() for x in code.splitlines()} <= SETUP | {""}:
            continue  # `make demo` ran when the clone was made; `make test` is this suite
        if lang == "python":
            script = clone / f"readme-{line}.py"
            script.write_text(code, encoding="utf-8")
            code = f"python {script.name}"
        done = _shell(clone, code)
        assert done.returncode == 0, f"README.md:{line} ({lang}) failed:\n{done.stdout}\n{done.stderr}"
        printed = (done.stdout + done.stderr).splitlines()
        missing = [shown for shown in shown_output(line) if shown not in printed]
        assert not missing, f"README.md:{line} shows lines it does not print: {missing}\n{printed}"
        ran += 1
    assert ran >= 5
    assert (clone / "out/quan-7/manifest.json").is_file() and (clone / "out/api/pdf/001.pdf").is_file()


def test_every_yaml_block_is_a_valid_document_or_profile(clone: Path) -> None:
    found = blocks("yaml")
    assert len(found) >= 5
    for line, code in found:
        path = clone / f"readme-{line}.yaml"
        path.write_text(code, encoding="utf-8")
        if re.search(r"^kind:", code, re.M):
            render = f"vn-congvan render {path.name} -o out/readme"
            done = _shell(clone, f"{render} && vn-congvan check out/readme/{path.stem}.docx")
        else:
            check = "from vn_congvan.derive import _load_profile_file as f; import sys; f(sys.argv[1], 0)"
            done = _shell(clone, f"python -c '{check}' {path.name}")
        assert done.returncode == 0, f"README.md:{line} (yaml):\n{done.stdout}\n{done.stderr}"


def test_the_readme_points_only_inside_the_repository() -> None:
    assert "../" not in README and "/work/" not in README
    for target in re.findall(r"\]\(([^)]+)\)", README):
        assert target.startswith(("http://", "https://", "#")) or (ROOT / target).exists(), target
    folders = "examples|profiles|templates|scripts|vn_congvan|benchmarks|tests"
    for path in re.findall(rf"`((?:{folders})/[^`*<> ]+)`", README):
        if not re.search(r"[A-Z]{3,}", path):  # not a placeholder such as profiles/NAME.yaml
            assert (ROOT / path.rstrip(".,;:")).exists(), path
