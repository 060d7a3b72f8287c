"""The batch's full path takes shortcuts (a derived child's issuer and campaign are not validated a second
time, paragraphs and lines come from caches): each must give what the plain path gives, to the byte."""

from __future__ import annotations

import datetime
import hashlib
from pathlib import Path

import pytest

from vn_congvan import units
from vn_congvan.derive import derive, issuer_for_unit
from vn_congvan.loader import load
from vn_congvan.model import Document
from vn_congvan.render import render_bytes

ROOT = Path(__file__).resolve().parent.parent
PLAN = ROOT / "examples/derive/2026-ubnd-tinh-thai-nguyen-ke-hoach.yaml"
AS_OF = datetime.date(2026, 9, 25)


def _sample() -> list[units.Unit]:
    """The first and last commune of every province: xã, phường, đặc khu, long and numbered names."""
    out = []
    for province in units.all_units(era="2025", level="tinh"):
        below = units.children(province)
        out += [below[0], below[-1]]
    return out


@pytest.mark.parametrize("kind", [None, "quyet_dinh", "giay_moi", "thong_bao"])
def test_a_derived_child_is_the_document_its_data_validates_to(kind: str | None) -> None:
    parent = load(PLAN)
    sample = _sample() if kind is None else _sample()[::9]
    assert len(sample) >= 8
    for unit in sample:
        child = derive(parent, issuer_for_unit(unit, as_of=AS_OF), as_of=AS_OF, kind=kind)
        validated = Document.model_validate(child.data)  # the plain path: every value validated and cleaned
        fast = child.document
        assert fast == validated, unit.full_name
        assert fast.model_dump() == validated.model_dump()
        assert fast.model_fields_set == validated.model_fields_set
        assert render_bytes(fast) == render_bytes(validated), unit.full_name


@pytest.mark.parametrize("kind", [None, "quyet_dinh", "thong_bao"])
def test_a_remembered_body_is_what_making_it_afresh_gives(kind: str | None) -> None:
    """derive makes a body once per set of the fields it reads: each child's data and trace are those of a
    derive that remembers nothing, and its body is its own."""
    import importlib

    derive_module = importlib.import_module("vn_congvan.derive")  # the package's `derive` is the function
    parent = load(PLAN)
    seen = []
    for unit in _sample()[::3]:
        warm = derive(parent, issuer_for_unit(unit, as_of=AS_OF), as_of=AS_OF, kind=kind)
        derive_module._BODIES.clear()
        cold = derive(parent, issuer_for_unit(unit, as_of=AS_OF), as_of=AS_OF, kind=kind)
        assert warm.data == cold.data, unit.full_name
        assert warm.trace == cold.trace, unit.full_name
        seen.append(warm)
    assert len({repr(d.data["body"]) for d in seen}) >= 2  # a xã's body and a phường's
    derive_module._BODIES.clear()
    made, first, again = (
        derive(parent, issuer_for_unit(_sample()[0], as_of=AS_OF), as_of=AS_OF, kind=kind).data["body"]
        for _ in range(3)
    )
    assert first == made and first is not made
    first[-1]["changed"] = first[0]["heading"] = "changed"  # a child's body is its own: the next is not changed
    assert again == made


def test_a_childs_objects_are_its_own() -> None:
    parent = load(PLAN)
    issuer = issuer_for_unit(units.find("Xã Tân Cương", as_of=AS_OF), as_of=AS_OF)
    child = derive(parent, issuer, as_of=AS_OF).document
    assert (
        child.campaign is not parent.campaign
        and child.campaign == derive(parent, issuer, as_of=AS_OF).document.campaign
    )
    child.campaign.name = "changed"  # type: ignore[union-attr]
    assert parent.campaign.name != "changed"  # type: ignore[union-attr]
    # A profile file is loaded once per process: each child validates its own issuer from it.
    a = derive(parent, ROOT / "profiles/bcd-xhht-tan-cuong.yaml", as_of=AS_OF).document
    b = derive(parent, ROOT / "profiles/bcd-xhht-tan-cuong.yaml", as_of=AS_OF).document
    assert a.issuer == b.issuer and a.issuer is not b.issuer


def test_edited_data_is_validated_from_the_edit() -> None:
    parent = load(PLAN)
    child = derive(parent, issuer_for_unit(units.find("Xã Tân Cương", as_of=AS_OF), as_of=AS_OF), as_of=AS_OF)
    child.data["campaign"] = {**child.data["campaign"], "theme": "Chủ đề mới"}
    assert child.document.campaign.theme == "Chủ đề mới"  # type: ignore[union-attr]


def _body_text(doc: Document) -> str:
    from vn_congvan.compose import compose

    return "".join(compose(doc)["blocks"])


def test_a_cached_body_is_what_composing_it_afresh_gives() -> None:
    from vn_congvan import compose

    parent = load(PLAN)
    sample = [units.find(n, province="Thái Nguyên", as_of=AS_OF) for n in ("Xã Tân Cương", "Phường Phan Đình Phùng")]
    docs = [derive(parent, issuer_for_unit(u, as_of=AS_OF), as_of=AS_OF).document for u in sample]
    warm = [render_bytes(d) for d in docs for _ in range(2)]
    cold = []
    for d in docs:
        for _ in range(2):
            compose._BODIES.clear()
            cold.append(render_bytes(d))
    assert warm == cold
    assert warm[0] != warm[2]  # a xã's body and a phường's are not the same cache entry


def test_a_cached_body_follows_the_fields_its_fills_read() -> None:
    parent = load(PLAN)
    doc = derive(parent, issuer_for_unit(units.find("Xã Tân Cương", as_of=AS_OF), as_of=AS_OF), as_of=AS_OF).document
    assert doc.campaign is not None
    theme = "Học tập suốt đời cho mọi người dân"
    moved = doc.model_copy(update={"campaign": doc.campaign.model_copy(update={"theme": theme})})
    before, after = _body_text(doc), _body_text(moved)
    assert f"Chủ đề của Tuần lễ: {doc.campaign.theme}." in before and theme not in before
    assert f"Chủ đề của Tuần lễ: {theme}." in after and doc.campaign.theme not in after
    assert _body_text(doc) == before  # and back: the entry of the first is still right for it


def test_write_atomic_writes_an_ordinary_file_through_a_part_file_batch_recognises(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os

    from vn_congvan.batch import _PART
    from vn_congvan.render import write_atomic

    old = os.umask(0o027)
    try:
        write_atomic(tmp_path / "new" / "dir" / "a.docx", b"one")  # a missing folder is made
        write_atomic(tmp_path / "new" / "dir" / "a.docx", b"two")  # replaced whole
    finally:
        os.umask(old)
    target = tmp_path / "new" / "dir" / "a.docx"
    assert target.read_bytes() == b"two" and target.stat().st_mode & 0o777 == 0o640
    seen: list[str] = []

    def fail(src: str, dst: str) -> None:
        seen.append(Path(src).name)
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(OSError):
        write_atomic(target, b"three")
    assert target.read_bytes() == b"two"  # the old file stays whole
    assert [p.name for p in target.parent.iterdir()] == ["a.docx"]  # the part file is gone
    assert len(seen) == 1 and _PART.fullmatch(seen[0]), seen  # a killed run's leftover is one batch removes


def test_write_atomic_finishes_a_short_write(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """os.write may write less than it was given: the rest follows, and the file is whole."""
    import os

    from vn_congvan.render import write_atomic

    real, sizes = os.write, []

    def short(fd: int, data: bytes) -> int:
        sizes.append(len(data))
        return real(fd, bytes(data[:7]))

    monkeypatch.setattr(os, "write", short)
    write_atomic(tmp_path / "a.docx", b"0123456789" * 5)
    assert (tmp_path / "a.docx").read_bytes() == b"0123456789" * 5
    assert sizes == [50, 43, 36, 29, 22, 15, 8, 1]


def test_line_breaking_from_the_fewest_lines_box_is_the_full_search(monkeypatch: pytest.MonkeyPatch) -> None:
    """linebreak.fit searches from the narrowest box that can hold the fewest lines when a good layout is
    there: every line breaks exactly as the search over all boxes does (trích yếu, headers, date lines,
    list items with a hanging dash, names allowed to break, glued names)."""
    from vn_congvan import linebreak

    texts = []
    for unit in units.all_units(as_of=AS_OF)[::7]:
        texts += [
            f"Tổ chức Tuần lễ hưởng ứng học tập suốt đời năm 2026 trên địa bàn {unit.full_name}",
            f"ỦY BAN NHÂN DÂN {unit.full_name.upper()}",
            f"- Ủy ban nhân dân {unit.full_name} (để thực hiện);",
        ]
    boxes = [(467.7, 14.0, {}), (173.5, 12.0, {}), (230.2, 11.0, {"first": 8.0}), (90.0, 13.0, {"names": False})]
    boxes.append((150.0, 13.0, {"glue": True}))
    fit = linebreak.fit.__wrapped__
    quick = [fit(t, box, size, **kw) for t in texts for box, size, kw in boxes]
    assert sum(len(b.lines) >= 2 for b in quick) > len(quick) // 3  # most are broken, many several times
    monkeypatch.setattr(linebreak, "_fewest_first", lambda *a: None)
    assert quick == [fit(t, box, size, **kw) for t in texts for box, size, kw in boxes]


def test_pinned_templates_read_each_templates_time_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """A batch pins its templates: the template and the bundled folder are looked at once for all its
    documents, not once per document, and the bytes are the same; outside the pin every render looks."""
    import importlib

    render = importlib.import_module("vn_congvan.render")  # the package's `render` is the function

    parent = load(PLAN)
    docs = [derive(parent, issuer_for_unit(u, as_of=AS_OF), as_of=AS_OF).document for u in _sample()[:6]]
    plain = [render_bytes(d) for d in docs]
    template = render.template_for(docs[0])[0]
    seen: list[str] = []
    real = Path.stat

    def stat(self: Path, **kw: object) -> object:
        seen.append(self.name)
        return real(self, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(Path, "stat", stat)
    with render.pinned_templates():
        pinned = [render_bytes(d) for d in docs]
        with render.pinned_templates():  # nested (a batch inside a script's own pin): the same times
            pinned.append(render_bytes(docs[0]))
    assert pinned == [*plain, plain[0]]
    assert sorted(seen) == sorted({template.name, "templates"}), seen
    assert render._PINNED is None
    seen.clear()
    render_bytes(docs[0])
    render_bytes(docs[0])
    assert seen.count(template.name) == 2 and seen.count("templates") == 2


@pytest.mark.parametrize("check", [False, True])
def test_a_batch_chunk_is_derived_rendered_then_written_with_the_bytes_of_a_render(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, check: bool
) -> None:
    """A worker derives its chunk, renders it stage by stage, then writes it (unit after unit costs more CPU);
    each file is what render_bytes gives for that unit, its entry checked from the parts when asked, and a
    unit that fails (here: its template is missing) is reported in its own entry."""
    from vn_congvan import batch

    names = ("Xã Tân Cương", "Phường Phan Đình Phùng", "Xã Đại Phúc")
    sample = [units.find(n, province="Thái Nguyên", as_of=AS_OF) for n in names]
    job = batch.Job(PLAN.resolve(), AS_OF, tmp_path, check, "key")
    order: list[str] = []
    derive_unit, write_atomic = batch.derive_unit, batch.write_atomic

    def derived(j: batch.Job, unit: units.Unit) -> batch._Derived:
        order.append("derive")
        made = derive_unit(j, unit)
        if unit is sample[1]:  # a unit whose render fails
            assert made.doc is not None
            return made._replace(
                doc=made.doc.model_copy(update={"issuer": made.doc.issuer.model_copy(update={"template": "x.docx"})})
            )
        return made

    monkeypatch.setattr(batch, "derive_unit", derived)
    monkeypatch.setattr(batch, "write_atomic", lambda p, d: (order.append("write"), write_atomic(p, d))[1])
    entries, failed = batch._render_chunk(job, sample)
    assert failed is None and order == ["derive"] * 3 + ["write"] * 2
    parent = load(PLAN)
    for unit, entry in zip(sample, entries, strict=True):
        if unit is sample[1]:
            assert entry.error and "x.docx" in entry.error and entry.sha256 is None
            assert not (tmp_path / entry.file).exists()
            continue
        data = (tmp_path / entry.file).read_bytes()
        assert data == render_bytes(derive(parent, issuer_for_unit(unit, as_of=AS_OF), as_of=AS_OF).document)
        assert entry.sha256 == hashlib.sha256(data).hexdigest() and entry.error is None, entry
        assert (entry.check is not None) is check  # "ok" or the rules that failed, from the parts


def test_render_packages_is_render_package_of_each() -> None:
    """Stage by stage over many documents gives each document's render_package, kinds and templates mixed,
    and a failing document's exception in its place."""
    import importlib

    from vn_congvan.errors import InputError

    render = importlib.import_module("vn_congvan.render")
    parent = load(PLAN)
    docs = [
        derive(parent, issuer_for_unit(u, as_of=AS_OF), as_of=AS_OF, kind=kind).document
        for u in _sample()[::6]
        for kind in (None, "giay_moi", "quyet_dinh")
    ]
    docs += [load(p) for p in sorted((ROOT / "examples/mau").glob("*.yaml"))]
    broken = docs[1].model_copy(update={"issuer": docs[1].issuer.model_copy(update={"template": "x.docx"})})
    docs.insert(2, broken)
    made = render.render_packages(docs)
    assert isinstance(made[2], InputError) and "x.docx" in str(made[2])
    for doc, out in zip(docs[:2] + docs[3:], made[:2] + made[3:], strict=True):
        assert out == render.render_package(doc)
