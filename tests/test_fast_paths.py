"""The batch's shortcuts change nothing: a derived child skips the text-cleaning walk (its text comes from
validated documents) and gives the same model and the same bytes; a document's own parts stay out of the
template-part cache, so memory stays flat over a long batch."""

from __future__ import annotations

import unicodedata
from datetime import date
from pathlib import Path

import pytest

from vn_congvan import units, zipwrite
from vn_congvan.derive import Derived, derive, issuer_for_unit
from vn_congvan.loader import load
from vn_congvan.model import Document
from vn_congvan.render import render_bytes

ROOT = Path(__file__).resolve().parents[1]
AS_OF = date(2026, 9, 15)


def children() -> list[Derived]:
    plan = load(ROOT / "examples/derive/2026-ubnd-tinh-thai-nguyen-ke-hoach.yaml")
    communes = units.all_units(as_of=AS_OF, level="xa")
    out = [derive(plan, issuer_for_unit(u, as_of=AS_OF), as_of=AS_OF) for u in communes[:: len(communes) // 40]]
    out.append(
        derive(
            ROOT / "examples/seeds/001-thai-nguyen-ke-hoach.yaml",
            ROOT / "profiles/ubnd-huyen-dong-hy.yaml",
            as_of=date(2022, 10, 3),
        )
    )
    out.append(
        derive(
            ROOT / "examples/seeds/002-bo-gddt-cong-van.yaml",
            ROOT / "profiles/so-gddt-thai-nguyen.yaml",
            as_of=date(2020, 9, 20),
        )
    )
    return out


@pytest.fixture(scope="module")
def derived() -> list[Derived]:
    return children()


def test_derived_child_equals_a_fully_cleaned_validation(derived: list[Derived]) -> None:
    for child in derived:
        full = Document.model_validate(child.data)  # the loader's path: every string cleaned
        assert child.document == full, child.data["issuer"]["name"]
        assert render_bytes(child.document) == render_bytes(full)


def test_an_issuer_built_in_python_is_still_cleaned() -> None:
    plan = load(ROOT / "examples/derive/2026-ubnd-tinh-thai-nguyen-ke-hoach.yaml")
    unit = units.all_units(as_of=AS_OF, level="xa")[7]
    issuer = issuer_for_unit(unit, as_of=AS_OF)
    untidy = issuer.model_copy(update={"name": unicodedata.normalize("NFD", issuer.name).replace(" ", "\t", 1)})
    child = derive(plan, untidy, as_of=AS_OF)
    assert child.document.issuer.name == issuer.name  # NFC, tab as a space: as the loader would have it
    assert child.document == Document.model_validate(child.data)


def test_document_parts_do_not_fill_the_template_cache(derived: list[Derived]) -> None:
    render_bytes(derived[0].document)
    before = zipwrite.member.cache_info().currsize
    for child in derived[1:40]:
        render_bytes(child.document)
    assert zipwrite.member.cache_info().currsize == before  # 39 new documents, no new cached parts
