"""Hostile input and faults around batch (issue 14): `fill:` reaches only its fields, a tampered manifest is
refused, file names never collide silently, one batch per OUTDIR, kill -9 and full disks, resumable runs,
long names, and the five communes that failed the library's own check."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import unicodedata
import zipfile
from pathlib import Path

import pytest

from vn_congvan import batch as batch_module
from vn_congvan import ooxml, units
from vn_congvan.cli import main
from vn_congvan.compose import FILL_FIELDS, Composer
from vn_congvan.derive import derive, issuer_for_unit
from vn_congvan.errors import InputError
from vn_congvan.loader import load
from vn_congvan.model import Document
from vn_congvan.render import render_bytes

ROOT = Path(__file__).resolve().parent.parent
QUAN_7 = ROOT / "examples/seeds/004-quan-7-ke-hoach.yaml"
THAI_NGUYEN_2026 = ROOT / "examples/derive/2026-ubnd-tinh-thai-nguyen-ke-hoach.yaml"
SECRET = "s3cr3t-i14a-token"
ESCAPE = "{campaign.__init__.__globals__.sys.modules.os.environ}"


def manifest(outdir: Path) -> list[dict]:
    return json.loads((outdir / "manifest.json").read_text(encoding="utf-8"))["units"]


def batch(plan: Path, outdir: Path, *extra: str) -> int:
    return main(["batch", str(plan), "-o", str(outdir), *extra])


def cli(*args: str, **kwargs) -> subprocess.CompletedProcess[str]:
    """The command as a user runs it, in its own process (no traceback can hide in pytest)."""
    return subprocess.run(
        [sys.executable, "-m", "vn_congvan", *args], capture_output=True, text=True, timeout=300, **kwargs
    )


def docx_files(outdir: Path) -> list[str]:
    return sorted(p.name for p in outdir.glob("*.docx") if p.is_file())


def units_csv(path: Path, rows: list[tuple[str, str]]) -> Path:
    path.write_text("code,name,type\n" + "".join(f"{c},{n},phường\n" for c, n in rows), encoding="utf-8")
    return path


# ------------------------------------------------------------------ 1. fill: only its fields


@pytest.fixture
def escaping_plan(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, int]:
    """Quận 7's plan with one `fill:` that walks attributes to os.environ; returns it and that line."""
    monkeypatch.setenv("VN_CONGVAN_TEST_SECRET", SECRET)
    text = QUAN_7.read_text(encoding="utf-8")
    placeholder = "{campaign.opening_day:long}"
    line = text[: text.index(placeholder)].count("\n")  # the `- fill: >-` line above it (1-based)
    plan = tmp_path / "plan.yaml"
    plan.write_text(text.replace(placeholder, ESCAPE, 1), encoding="utf-8")
    return plan, line


def assert_refused(err: str, plan: Path, line: int) -> None:
    assert re.search(
        rf"{re.escape(str(plan))}:{line}:\d+: body.*fill: trường '{re.escape(ESCAPE)}' không dùng được", err
    )
    assert SECRET not in err and "Traceback" not in err


def test_fill_escape_is_refused_by_render_with_file_line(escaping_plan, tmp_path: Path, capsys) -> None:
    plan, line = escaping_plan
    assert main(["render", str(plan), "-o", str(tmp_path / "out")]) == 2
    assert_refused(capsys.readouterr().err, plan, line)
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").iterdir())


def test_fill_escape_is_refused_by_derive_and_batch(escaping_plan, tmp_path: Path, capsys) -> None:
    plan, line = escaping_plan
    child = tmp_path / "child.yaml"
    assert main(["derive", str(plan), "--unit", "Phường Tân Phú", "-o", str(child), "--render"]) == 2
    assert_refused(capsys.readouterr().err, plan, line)
    assert not child.exists()
    assert batch(plan, tmp_path / "out", "--units", "all", "--jobs", "1") == 2
    assert_refused(capsys.readouterr().err, plan, line)
    assert not (tmp_path / "out").exists()


def test_fill_escape_through_the_python_api_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    # A script builds the document without the loader: the renderer is the last gate.
    monkeypatch.setenv("VN_CONGVAN_TEST_SECRET", SECRET)
    doc = load(QUAN_7)
    dumped = json.dumps(doc.model_dump(mode="json"), ensure_ascii=False)
    assert "{campaign.opening_day:long}" in dumped
    hostile = Document.model_validate(json.loads(dumped.replace("{campaign.opening_day:long}", ESCAPE)))
    with pytest.raises(InputError, match="không dùng được trong fill"):
        render_bytes(hostile)
    composer = Composer(doc)
    for name in ("{document.__class__}", "{issuer.signers}", "{campaign}", "{issuer.model_config}", "{appendix.x}"):
        with pytest.raises(InputError, match="unknown field"):
            composer.fill(name)
    # …and a derived child of it too (derive keeps the parent's fill text for the renderer).
    ward = next(u for u in units.children("Quận 7", as_of=doc.date) if u.name == "Tân Phú")
    child = derive(hostile, issuer_for_unit(ward, as_of=doc.date), as_of=doc.date).document
    with pytest.raises(InputError, match="không dùng được trong fill"):
        render_bytes(child)


def test_every_documented_field_fills(tmp_path: Path) -> None:
    doc = load(QUAN_7).model_copy(update={"appendices": []})
    composer = Composer(doc)
    filled = {name: composer.fill("{" + name + "}") for name in FILL_FIELDS if not name.startswith("appendix")}
    assert filled["campaign.start"] == "01/10/2021" and filled["campaign.year"] == "2021"
    assert composer.fill("{campaign.start:long}") == "ngày 01 tháng 10 năm 2021"
    assert filled["issuer.name"] == "Ủy ban nhân dân Quận 7" and filled["issuer.place"] == "Quận 7"
    assert filled["document.number"] == "4595" and filled["document.date"] == "01/10/2021"
    assert composer.fill("{issuer.name:upper}") == "ỦY BAN NHÂN DÂN QUẬN 7"


def test_a_unit_name_carrying_a_placeholder_cannot_reach_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    monkeypatch.setenv("VN_CONGVAN_TEST_SECRET", SECRET)
    csv = units_csv(tmp_path / "u.csv", [("00001", "Tân Phú"), ("00002", f"Khu {ESCAPE}")])
    out = tmp_path / "out"
    assert batch(QUAN_7, out, "--units", str(csv), "--jobs", "1", "--no-check") == 0
    capsys.readouterr()
    texts = "\n".join(p.text for path in out.glob("*.docx") for p in ooxml.read(path).paragraphs())
    assert f"Khu {ESCAPE}, ngày" in texts  # a name is text: printed as written, never expanded
    assert SECRET not in texts and SECRET not in (out / "manifest.json").read_text(encoding="utf-8")


# ------------------------------------------------------------------ 2. the manifest is input


@pytest.fixture
def quan_7_two(tmp_path: Path) -> Path:
    out = tmp_path / "q7"
    assert batch(QUAN_7, out, "--units", "Tân Phú, Phú Mỹ", "--jobs", "1", "--no-check") == 0
    return out


def tamper(outdir: Path, **change: object) -> None:
    data = json.loads((outdir / "manifest.json").read_text(encoding="utf-8"))
    data["units"][0].update(change)
    (outdir / "manifest.json").write_text(json.dumps(data), encoding="utf-8")


def test_a_manifest_pointing_outside_outdir_is_refused_and_never_zipped(quan_7_two: Path, capsys) -> None:
    passwd = Path("/etc/passwd")
    tamper(quan_7_two, file="../../../../etc/passwd", sha256=hashlib.sha256(passwd.read_bytes()).hexdigest())
    before = sorted(p.name for p in quan_7_two.rglob("*"))
    assert batch(QUAN_7, quan_7_two, "--units", "Tân Phú, Phú Mỹ", "--zip", "--pdf", "--jobs", "1") == 2
    err = capsys.readouterr().err
    assert f"{quan_7_two / 'manifest.json'}: units[0].file: manifest không hợp lệ" in err and "etc/passwd" in err
    assert sorted(p.name for p in quan_7_two.rglob("*")) == before  # no zip, no pdf/, nothing re-rendered
    # --force ignores the damaged manifest: the archive holds the two plans and a fresh manifest only.
    assert batch(QUAN_7, quan_7_two, "--units", "Tân Phú, Phú Mỹ", "--zip", "--jobs", "1", "--no-check", "--force") == 0
    assert "manifest cũ bị bỏ qua" in capsys.readouterr().err
    with zipfile.ZipFile(quan_7_two / "004-quan-7-ke-hoach.zip") as z:
        assert sorted(z.namelist()) == ["27487-phuong-tan-phu.docx", "27493-phuong-phu-my.docx", "manifest.json"]
        assert b"root:" not in b"".join(z.read(n) for n in z.namelist())
    assert all(e["file"] in ("27487-phuong-tan-phu.docx", "27493-phuong-phu-my.docx") for e in manifest(quan_7_two))


def test_a_symlink_in_place_of_a_plan_is_rendered_over_not_zipped(quan_7_two: Path, capsys) -> None:
    target = quan_7_two / "27487-phuong-tan-phu.docx"
    target.unlink()
    target.symlink_to("/etc/passwd")
    tamper(quan_7_two, sha256=hashlib.sha256(Path("/etc/passwd").read_bytes()).hexdigest())
    assert batch(QUAN_7, quan_7_two, "--units", "Tân Phú, Phú Mỹ", "--zip", "--jobs", "1", "--no-check") == 0
    assert not target.is_symlink()
    with zipfile.ZipFile(quan_7_two / "004-quan-7-ke-hoach.zip") as z:
        assert z.read(target.name).startswith(b"PK")


@pytest.mark.parametrize(
    "text, says",
    [
        ("{not json", "không phải JSON"),
        ("[]", "danh sách 'units'"),
        ('{"units": {"a": 1}}', "danh sách 'units'"),
        ('{"units": ["x"]}', "units[0]: manifest không hợp lệ"),
        ('{"units": [{"code": "1", "name": "x", "evil": 1}]}', "units[0]: manifest không hợp lệ"),
        ('{"units": [{"code": 1, "name": "x"}]}', "units[0].code"),
        ('{"units": [{"code": "1", "name": "x", "file": "/etc/passwd"}]}', "units[0].file"),
        ('{"units": [{"code": "1", "name": "x", "file": "a/../../b.docx"}]}', "units[0].file"),
        ('{"units": [{"code": "1", "name": "x", "sha256": "zz"}]}', "units[0].sha256"),
        ('{"units": [{"code": "1", "name": "x"}, {"code": "1", "name": "y"}]}', "units[1].code"),
        ('{"units": [{"code": "1", "name": "x", "skipped": "yes"}]}', "units[0].skipped"),
    ],
)
def test_a_malformed_manifest_is_a_clear_error(tmp_path: Path, text: str, says: str, capsys) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "manifest.json").write_text(text, encoding="utf-8")
    assert batch(QUAN_7, out, "--units", "Tân Phú", "--no-check") == 2  # an exception would fail the test
    err = capsys.readouterr().err
    assert says in err and f"{out / 'manifest.json'}" in err and "--force" in err
    assert docx_files(out) == []


def test_a_malformed_manifest_from_the_command_line(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "manifest.json").write_bytes(b"\xff\xfe{")
    result = cli("batch", str(QUAN_7), "--units", "Tân Phú", "-o", str(out), "--no-check")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert f"{out / 'manifest.json'}: không đọc được manifest" in result.stderr


# ------------------------------------------------------------------ 3. file-name collisions


@pytest.mark.parametrize(
    "rows",
    [
        [("X1", "Tân Phú"), ("x1", "Tân Phu")],  # case and accents fold to one ASCII name
        [("A1", unicodedata.normalize("NFC", "Tân Phú")), ("a1", unicodedata.normalize("NFD", "Tân Phú"))],
        [("B-1", "Tân Phú"), ("b_1", "Tân Phú")],
    ],
)
def test_two_units_with_one_file_name_are_refused(tmp_path: Path, rows, capsys) -> None:
    csv = units_csv(tmp_path / "u.csv", rows)
    assert batch(QUAN_7, tmp_path / "out", "--units", str(csv), "--jobs", "1", "--no-check") == 2
    err = capsys.readouterr().err
    assert "trùng tên tệp (file name collision)" in err and rows[0][0] in err and rows[1][0] in err
    assert docx_files(tmp_path / "out") == []


def test_a_collision_with_a_unit_of_an_earlier_run_is_refused(tmp_path: Path, capsys) -> None:
    out = tmp_path / "out"
    assert batch(QUAN_7, out, "--units", str(units_csv(tmp_path / "a.csv", [("X1", "Tân Phú")])), "--no-check") == 0
    first = (out / "x1-phuong-tan-phu.docx").read_bytes()
    assert batch(QUAN_7, out, "--units", str(units_csv(tmp_path / "b.csv", [("x1", "Tân Phong")])), "--no-check") == 0
    capsys.readouterr()
    # x1 renamed "Tân Phu": its file would be X1's.
    assert batch(QUAN_7, out, "--units", str(units_csv(tmp_path / "c.csv", [("x1", "Tân Phu")])), "--no-check") == 2
    err = capsys.readouterr().err
    assert "x1-phuong-tan-phu.docx: X1 Phường Tân Phú và x1 Phường Tân Phu" in err
    assert (out / "x1-phuong-tan-phu.docx").read_bytes() == first
    assert {e["code"]: e["file"] for e in manifest(out)} == {
        "X1": "x1-phuong-tan-phu.docx",
        "x1": "x1-phuong-tan-phong.docx",
    }


# ------------------------------------------------------------------ 4. one batch per OUTDIR

HOLD_LOCK = """
import sys, time
from pathlib import Path
from vn_congvan.batch import outdir_lock
with outdir_lock(Path(sys.argv[1])):
    print("locked", flush=True)
    time.sleep(120)
"""


def test_a_second_batch_into_a_locked_outdir_is_refused_and_a_dead_holder_releases_it(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    holder = subprocess.Popen([sys.executable, "-c", HOLD_LOCK, str(out)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "locked\n"
        result = cli("batch", str(QUAN_7), "--units", "Tân Phú", "-o", str(out), "--no-check")
        assert result.returncode == 1 and "Traceback" not in result.stderr
        assert f"OUTDIR is locked by process {holder.pid}" in result.stderr and str(out) in result.stderr
        assert docx_files(out) == [] and not (out / "manifest.json").exists()
    finally:
        holder.send_signal(signal.SIGKILL)  # dies holding the lock: its lock file stays behind
        holder.wait()
    assert (out / batch_module.LOCK).read_text() == f"{holder.pid}\n"
    result = cli("batch", str(QUAN_7), "--units", "Tân Phú", "-o", str(out), "--no-check")
    assert result.returncode == 0, result.stderr
    assert docx_files(out) == ["27487-phuong-tan-phu.docx"] and not (out / batch_module.LOCK).exists()


def test_the_lock_is_per_outdir_and_released_after_a_run(tmp_path: Path) -> None:
    assert batch(QUAN_7, tmp_path / "a", "--units", "Tân Phú", "--no-check") == 0
    with batch_module.outdir_lock(tmp_path / "a"):
        assert batch(QUAN_7, tmp_path / "b", "--units", "Tân Phú", "--no-check") == 0
        # The same process (a script calling run_batch then zip_outputs) may take it again.
        assert batch(QUAN_7, tmp_path / "a", "--units", "Tân Phú", "--no-check", "--zip") == 0
    assert sorted(p.name for p in (tmp_path / "a").iterdir()) == [
        "004-quan-7-ke-hoach.zip",
        "27487-phuong-tan-phu.docx",
        "manifest.json",
    ]


# ------------------------------------------------------------------ 10, 12. kill -9, resume, leftovers

SLOW_BATCH = """
import sys, time
import vn_congvan.batch as b
from vn_congvan.cli import main
b.SAVE_EVERY = 0
b._cpus = lambda: 2  # two workers even on a one-CPU machine
real = b.derive_unit
def slow(job, unit):
    time.sleep(0.1)
    return real(job, unit)
b.derive_unit = slow
sys.exit(main(sys.argv[1:]))
"""


def children(pid: int) -> set[int]:
    kids: set[int] = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        kids |= {int(k) for k in (task / "children").read_text().split()}
    return kids


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state not in ("Z", "X")


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="needs Linux /proc")
def test_kill_9_stops_the_workers_and_a_rerun_resumes(tmp_path: Path) -> None:
    out = tmp_path / "out"
    args = ["batch", str(THAI_NGUYEN_2026), "--as-of", "2026-10-01", "-o", str(out), "--jobs", "2", "--no-check"]
    run = subprocess.Popen([sys.executable, "-c", SLOW_BATCH, *args], stdout=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while not ((out / "manifest.json").exists() and len(manifest(out)) >= 10):
            assert run.poll() is None and time.monotonic() < deadline
            time.sleep(0.05)
        workers = children(run.pid)
        assert len(workers) == 2
        run.send_signal(signal.SIGKILL)
        run.wait()
    finally:
        run.kill()
    deadline = time.monotonic() + 10
    while any(alive(w) for w in workers):
        assert time.monotonic() < deadline, "workers outlived the batch"
        time.sleep(0.05)
    written = docx_files(out)
    time.sleep(0.5)
    assert docx_files(out) == written and len(written) < 92  # nothing writes any more
    finished = {e["code"] for e in manifest(out)}
    (out / ".05953-xa-kha-son.docx.k1ll3d_x.part").write_bytes(b"half")  # what a kill mid-write leaves
    result = cli(*args)
    assert result.returncode == 0, result.stderr
    entries = manifest(out)
    assert len(entries) == 92 and len(docx_files(out)) == 92
    assert {e["code"] for e in entries if e["skipped"]} == finished  # the finished units are not redone
    assert sorted(p.name for p in out.iterdir() if p.name.startswith(".")) == []


def test_a_crash_keeps_the_finished_units_and_a_subset_run_keeps_the_others(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    out = tmp_path / "out"
    monkeypatch.setattr(batch_module, "SAVE_EVERY", 0)
    real = batch_module.derive_unit
    done: list[str] = []

    def crashing(job, unit):
        if len(done) == 4:
            raise KeyboardInterrupt  # Ctrl-C (or any crash) after four units
        done.append(unit.code)
        return real(job, unit)

    monkeypatch.setattr(batch_module, "derive_unit", crashing)
    with pytest.raises(KeyboardInterrupt):
        batch(QUAN_7, out, "--units", "all", "--jobs", "1", "--no-check")
    assert [e["code"] for e in manifest(out)] == done and len(docx_files(out)) == 4
    monkeypatch.setattr(batch_module, "derive_unit", real)
    assert batch(QUAN_7, out, "--units", "all", "--jobs", "1", "--no-check") == 0
    entries = manifest(out)
    assert len(entries) == 10 and {e["code"] for e in entries if e["skipped"]} == set(done)
    assert batch(QUAN_7, out, "--units", "Tân Phú", "--jobs", "1", "--no-check", "--force") == 0
    after = manifest(out)
    assert [e["code"] for e in after] == [e["code"] for e in entries]  # all ten, in the same order
    assert [e for e in after if e["name"] != "Phường Tân Phú"] == [e for e in entries if e["name"] != "Phường Tân Phú"]
    assert [e["skipped"] for e in after if e["name"] == "Phường Tân Phú"] == [False]


# ------------------------------------------------------------------ 11. failed writes and bad options


def test_a_failed_write_stops_the_run_at_once_with_one_message(tmp_path: Path) -> None:
    out = tmp_path / "out"
    (out / "27472-phuong-tan-kieng.docx").mkdir(parents=True)  # the third unit's file cannot be written
    result = cli("batch", str(QUAN_7), "--units", "all", "-o", str(out), "--jobs", "1", "--no-check")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.count("Lỗi") == 1
    assert f"{out / '27472-phuong-tan-kieng.docx'}: không ghi được tệp (cannot write file)" in result.stderr
    assert "đã dừng sau 2/10" in result.stderr
    assert docx_files(out) == ["27466-phuong-tan-thuan-dong.docx", "27469-phuong-tan-thuan-tay.docx"]
    assert [e["code"] for e in manifest(out)] == ["27466", "27469"]
    assert not list(out.glob(".*part"))


def _namespace() -> list[str] | None:
    """A private mount namespace, to mount a read-only or tiny tmpfs without touching the machine."""
    unshare = shutil.which("unshare")
    if unshare is None:
        return None
    cmd = [unshare, "-m"] if os.geteuid() == 0 else [unshare, "-rm"]
    if subprocess.run([*cmd, "true"], capture_output=True).returncode != 0:
        return None
    return cmd


def in_tmpfs(tmp_path: Path, options: str, *args: str) -> subprocess.CompletedProcess[str]:
    cmd = _namespace()
    if cmd is None:
        pytest.skip("no mount namespace here (unshare -m); the failed-write path is tested above")
    mnt = tmp_path / "mnt"
    mnt.mkdir()
    script = (
        f'mount -t tmpfs -o size={options.split(",")[0]} tmpfs "$1" && mkdir "$1/out"'
        + (' && mount -o remount,ro "$1"' if "ro" in options.split(",") else "")
        + ' && shift && exec "$@"'
    )
    return subprocess.run(
        [*cmd, "sh", "-c", script, "sh", str(mnt), sys.executable, "-m", "vn_congvan", *args, "-o", str(mnt / "out")],
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_a_read_only_outdir_stops_before_rendering(tmp_path: Path) -> None:
    result = in_tmpfs(tmp_path, "1m,ro", "batch", str(QUAN_7), "--units", "all", "--jobs", "1", "--no-check")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.count("Lỗi") == 1 and "Read-only file system" in result.stderr
    assert "không ghi được vào thư mục" in result.stderr and result.stdout == ""


def test_a_full_disk_stops_at_the_first_failed_write(tmp_path: Path) -> None:
    # 60 KB holds three or four 15 KB plans.
    result = in_tmpfs(tmp_path, "60k", "batch", str(QUAN_7), "--units", "all", "--jobs", "2", "--no-check")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.count("Lỗi") == 1 and "No space left on device" in result.stderr
    assert re.search(r"đã dừng sau [1-4]/10 đơn vị", result.stderr)


def test_outdir_that_is_a_file_exits_2(tmp_path: Path) -> None:
    (tmp_path / "f").write_text("x")
    for out in (tmp_path / "f", tmp_path / "f" / "sub"):
        result = cli("batch", str(QUAN_7), "--units", "Tân Phú", "-o", str(out), "--no-check")
        assert result.returncode == 2 and "Traceback" not in result.stderr
        assert str(out) in result.stderr and "OUTDIR" in result.stderr


def test_a_csv_field_over_the_csv_limit_is_an_input_error(tmp_path: Path) -> None:
    csv = units_csv(tmp_path / "u.csv", [("00001", "Tân Phú"), ("00002", "A" * 140_000)])
    result = cli("batch", str(QUAN_7), "--units", str(csv), "-o", str(tmp_path / "out"), "--no-check")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert f"{csv}:3: Không đọc được dòng CSV (bad CSV row): field larger than field limit" in result.stderr


# ------------------------------------------------------------------ 13. long names, --jobs


def test_long_unit_and_plan_names_are_cut_deterministically_keeping_the_code(tmp_path: Path, capsys) -> None:
    long_name = "Tân Phú " + "Hòa Bình Thịnh Vượng " * 20  # ~ 400 bytes
    csv = units_csv(tmp_path / "u.csv", [("00001", long_name), ("00002", long_name + "Hai")])
    plan = tmp_path / ("kế-hoạch-" + "rất-dài-" * 21 + ".yaml")  # ~ 250 bytes
    assert len(plan.name.encode()) > 240
    plan.write_bytes(QUAN_7.read_bytes())
    assert batch(plan, tmp_path / "out", "--units", str(csv), "--jobs", "1", "--no-check", "--zip") == 0
    names = docx_files(tmp_path / "out")
    assert len(names) == 2 and names[0] != names[1]
    assert all(
        len(n.encode()) <= batch_module.NAME_MAX + 5 and n.startswith(("00001-phuong-tan-phu-", "00002-"))
        for n in names
    )
    zips = list((tmp_path / "out").glob("*.zip"))
    assert len(zips) == 1 and len(zips[0].name.encode()) <= batch_module.NAME_MAX + 4
    assert {e["file"] for e in manifest(tmp_path / "out")} == set(names)
    capsys.readouterr()
    assert batch(plan, tmp_path / "out", "--units", str(csv), "--jobs", "1", "--no-check") == 0  # same names
    assert all(e["skipped"] for e in manifest(tmp_path / "out"))


def test_jobs_are_capped_at_units_and_cpus(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    started: list[int] = []
    real = batch_module.ProcessPoolExecutor

    def pool(*args, max_workers: int, **kwargs):
        started.append(max_workers)
        return real(*args, max_workers=max_workers, **kwargs)

    monkeypatch.setattr(batch_module, "ProcessPoolExecutor", pool)
    monkeypatch.setattr(batch_module, "_cpus", lambda: 2)
    assert batch(QUAN_7, tmp_path / "a", "--units", "Tân Phú, Phú Mỹ, Tân Quy", "--jobs", "300", "--no-check") == 0
    assert batch(QUAN_7, tmp_path / "b", "--units", "Tân Phú", "--jobs", "300", "--no-check") == 0
    assert started == [2]  # three units on two CPUs; one unit needs no pool at all
    assert len(docx_files(tmp_path / "a")) == 3


# ------------------------------------------------------------------ 14. every commune passes our check

# The five of 3,321 communes that failed DD-01: a numbered ward's place lost its "Phường", and the date
# pattern did not take Ý and Ó as capitals.
FAILED_DD01 = {
    "Lâm Đồng": {
        "Phường 1 Bảo Lộc": "Phường 1 Bảo Lộc",
        "Phường 2 Bảo Lộc": "Phường 2 Bảo Lộc",
        "Phường 3 Bảo Lộc": "Phường 3 Bảo Lộc",
    },
    "Ninh Bình": {"Xã Ý Yên": "Ý Yên"},
    "An Giang": {"Xã Óc Eo": "Óc Eo"},
}


@pytest.mark.parametrize("province", sorted(FAILED_DD01))
def test_the_communes_that_failed_dd01_pass_the_check(tmp_path: Path, province: str, capsys) -> None:
    wanted = FAILED_DD01[province]
    args = ["--parent-unit", province, "--units", ", ".join(wanted), "--as-of", "2026-10-01", "--jobs", "1"]
    assert batch(THAI_NGUYEN_2026, tmp_path, *args) == 0
    for e in manifest(tmp_path):
        assert e["check"] == "ok" and e["error"] is None
        texts = [p.text for p in ooxml.read(tmp_path / e["file"]).paragraphs()]
        assert f"{wanted[e['name']]}, ngày      tháng      năm 2026" in texts
        assert texts[:2] == ["ỦY BAN NHÂN DÂN", e["name"].upper()]
