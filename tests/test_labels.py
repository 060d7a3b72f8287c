"""The labelled ground truth (tests/labels) is complete and well formed: one check label per real Word document and
law file, known classes, kinds and rule IDs, and sources that exist. The labels' content is decided by looking at the
documents (tests/labels/README.md); these tests only guard their shape."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
import yaml
from shared import LAW, REALDOCS, SHARED  # tests/ is on sys.path under pytest

LABELS = Path(__file__).resolve().parent / "labels"
KINDS = Path(__file__).resolve().parents[1] / "vn_congvan" / "data" / "kinds.yaml"
CLASSES = {"hanh_chinh", "phu_luc_rieng", "qppl", "dang", "ban_sao", "khac"}
NEW_RULES = {"KG-03", "PGN-04", "CAP-04"}  # added by issue 10 beside the nd30.md §16 table
PARSE_FIELDS = {"issuer", "kind", "number", "symbol", "date", "title", "recipients", "basis", "signer",
                "distribution", "archive"}  # fmt: skip


def _rule_ids() -> set[str]:
    text = (SHARED / "docs" / "nd30.md").read_text(encoding="utf-8")
    table = text[text.index("## 16.") :]
    return set(re.findall(r"^\| ([A-Z]+-[0-9A-Z]+) \|", table, re.M)) | NEW_RULES


def _load(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _word_sources() -> list[str]:
    files = sorted(p for p in (REALDOCS / "files").iterdir() if p.suffix in (".docx", ".doc"))
    law = [LAW / "30_2020_ND_CP.docx", *(LAW / f"Phuluc{i}.docx" for i in range(1, 7))]
    return [str(p.relative_to(SHARED)) for p in (*files, *law)]


def test_every_word_document_has_one_check_label() -> None:
    labelled = sorted(_load(p)["source"] for p in (LABELS / "check").glob("*.yaml"))
    assert labelled == sorted(_word_sources())


@pytest.mark.parametrize("path", sorted((LABELS / "check").glob("*.yaml")), ids=lambda p: p.stem)
def test_check_label_shape(path: Path) -> None:
    label = _load(path)
    assert list(label) == ["source", "class", "kind", "violations", "notes"]
    assert Path(label["source"]).stem == path.stem
    assert (SHARED / label["source"]).is_file()
    assert label["class"] in CLASSES
    kinds = _load(KINDS)["kinds"]
    if label["class"] == "hanh_chinh":
        assert label["kind"] in kinds
    else:
        assert label["kind"] is None and label["violations"] == {}
    assert set(label["violations"]) <= _rule_ids()
    assert all(isinstance(why, str) and why.strip() for why in label["violations"].values())
    assert isinstance(label["notes"], str)


def test_every_text_seed_and_file_has_one_parse_label() -> None:
    texts = [*(REALDOCS / "texts").glob("*.txt"), *(SHARED / "seeds").glob("*.txt")]
    files = [p for p in (REALDOCS / "files").iterdir() if p.suffix in (".docx", ".doc", ".pdf")]
    labelled = sorted(_load(p)["source"] for p in (LABELS / "parse").glob("*.yaml"))
    assert labelled == sorted(str(p.relative_to(SHARED)) for p in (*texts, *files))


@pytest.mark.parametrize("path", sorted((LABELS / "parse").glob("*.yaml")), ids=lambda p: p.stem)
def test_parse_label_shape(path: Path) -> None:
    label = _load(path)
    # `ocr: true` marks a scan or a broken text layer, read from the page image (reported apart).
    assert list(label) in (["source", "fields"], ["source", "ocr", "fields"])
    assert label.get("ocr", True) is True
    assert Path(label["source"]).stem == path.stem
    assert (SHARED / label["source"]).is_file()
    fields = label["fields"]
    assert set(fields) <= PARSE_FIELDS
    assert set(fields.get("issuer", {})) <= {"name", "parent", "place"}
    assert set(fields.get("signer", {})) <= {"authority", "title", "name"}
    assert fields.get("kind", "cong_van") in _load(KINDS)["kinds"]
    assert isinstance(fields.get("number", 1), int)
    assert isinstance(fields.get("date", date.today()), date)
    for key in ("recipients", "basis", "distribution"):
        assert all(isinstance(item, str) and item.strip() for item in fields.get(key, []))
    for key in ("symbol", "title", "archive"):
        assert isinstance(fields.get(key, "x"), str)
