"""The parser's measured quality (benchmarks/parse_quality.py, same computation) on the labelled sources that
need no OCR: web texts, seeds, Word files and PDFs with a sound text layer; and, apart, the 11 sources read by
Tesseract (scans and broken text layers, about a minute)."""

from __future__ import annotations

import importlib.util
import shutil
import sys
from pathlib import Path

import pytest
import yaml
from shared import REALDOCS

from vn_congvan.parse import parse_file
from vn_congvan.readers import ocr_available

BENCH = Path(__file__).resolve().parents[1] / "benchmarks" / "parse_quality.py"
OCR_MARKS = ("scan", "mojibake", "badfont", "broken-glyphs", "-ocr")  # sources read by OCR


@pytest.fixture(scope="module")
def quality():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("parse_quality", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def _without_ocr(quality) -> list[Path]:  # type: ignore[no-untyped-def]
    out = []
    for path in quality.label_files():
        source = yaml.safe_load(path.read_text(encoding="utf-8"))["source"]
        if any(m in source for m in OCR_MARKS) or (source.endswith(".doc") and shutil.which("soffice") is None):
            continue
        out.append(path)
    return out


@pytest.fixture(scope="module")
def score(quality):  # type: ignore[no-untyped-def]
    return quality.measure(only=_without_ocr(quality))["all"]


def test_labelled_set_is_there(quality) -> None:  # type: ignore[no-untyped-def]
    assert len(quality.label_files()) >= 27  # 17 web texts, 5 seeds, the real files
    assert len(_without_ocr(quality)) >= 20


def test_field_accuracy(score) -> None:  # type: ignore[no-untyped-def]
    # issue 12's target is 0.90; 517/528 = 0.979 reached (502/528 before the căn cứ, Nơi nhận and signer ends),
    # asserted so that it cannot fall back
    assert score.accuracy >= 0.97, "\n".join([score.line(), *score.lines])


def test_body_words_kept_in_order(score) -> None:  # type: ignore[no-untyped-def]
    # Target 0.98, measured on the round trip (the document the parsed YAML renders); 0.987 reached: tables
    # and attached tables as tables, the thẩm quyền line, signers side by side. What is left: a web page's
    # links after the signature, footnotes, a joint document's seven interleaved signatures, and the header's
    # two columns read in another order than the rendered table's.
    assert score.words_kept >= 0.985, "\n".join([score.line(), *(x for x in score.lines if "words_kept" in x)])


def test_every_parsed_file_renders(score) -> None:  # type: ignore[no-untyped-def]
    assert score.rendered == score.docs, "\n".join(line for line in score.lines if " render: " in line)


@pytest.mark.skipif(not ocr_available(), reason="Tesseract with Vietnamese data (tesseract-ocr-vie)")
def test_ocr_field_accuracy(quality) -> None:  # type: ignore[no-untyped-def]
    """The scans and broken text layers, read by Tesseract in the page's layout (readers/ocr.py)."""
    score = quality.measure(only=quality.ocr_label_files())["ocr"]
    assert score.docs == 11
    # Target 0.80, measured 0.80 = 104/130 (0.36 before the columns were read one after the other and coloured
    # ink whitened, 0.68 before the spelling from context and the signer's lines read alone). Most misses left:
    # handwritten numbers and days (blank, by design), OCR spelling the corpus cannot decide, names under a signature.
    assert score.accuracy >= 0.80, "\n".join([score.line(), *score.lines])


def test_same_rules_as_the_labels(quality) -> None:  # type: ignore[no-untyped-def]
    assert quality.same("title", "Kế  hoạch\u00a0A", "Kế hoạch A")
    assert not quality.same("title", "kế hoạch a", "Kế hoạch A")  # case counts in running text
    assert quality.same("issuer.name", "ỦY BAN NHÂN DÂN TỈNH HÀ GIANG", "Ủy ban nhân dân tỉnh Hà Giang")
    assert quality.same("number", "05", 5) and not quality.same("number", None, 5)
    assert not quality.same("basis", ["a;"], ["a;", "b."])


@pytest.mark.parametrize(
    ("draft", "signed"),
    [
        (
            "kh-so-gddt-dong-thap-362-tiep-doan-stem-2026-draft.doc",
            "kh-so-gddt-dong-thap-362-tiep-doan-stem-2026-signed.pdf",
        ),
        (
            "kh-truong-thpt-cao-lanh-2-58-sinh-hoat-lich-su-2026.docx",
            "kh-truong-thpt-cao-lanh-2-58-sinh-hoat-lich-su-2026-signed.pdf",
        ),
    ],
)
def test_draft_and_signed_copy_read_the_same(draft: str, signed: str) -> None:
    """The Word draft and its signed PDF: the same fields, except the số and date the draft leaves blank."""
    if draft.endswith(".doc") and shutil.which("soffice") is None:
        pytest.skip("LibreOffice")
    a, b = (parse_file(REALDOCS / "files" / name, ocr=False).fields for name in (draft, signed))
    for f in (a, b):
        f.pop("number", None), f.pop("date", None)
    assert a == b
    assert {"issuer", "kind", "symbol", "title", "basis", "signer", "distribution", "archive"} <= set(a)
