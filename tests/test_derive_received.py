"""`vn-congvan derive RECEIVED --unit …`: every real received file (../shared/realdocs/files) gives a ward or
district plan in one command: exit 0, a rendered .docx, what must be completed listed on stderr, and the parent
cited with the number, ký hiệu, date and issuer as parse read them.

Excluded, for the suite's time only (each is read by OCR, 7–35 s here): the scans and the broken text layers
but one, `ttr-ubnd-tinh-quang-ngai-24-mien-nhiem-2025-scan.pdf` (an image-only scan, handwritten số and day).
`VN_CONGVAN_DERIVE_OCR=1` runs them all (about 3 minutes on 2 cores)."""

from __future__ import annotations

import os
import re
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from shared import REALDOCS

from vn_congvan import units, vntext
from vn_congvan.cli import main
from vn_congvan.derive import _parent_doc
from vn_congvan.model import Document

FILES = REALDOCS / "files"
SCAN = "ttr-ubnd-tinh-quang-ngai-24-mien-nhiem-2025-scan.pdf"  # the one file read by OCR here
OCR_READ = ("scan", "mojibake", "broken-glyphs", "badfont")  # INDEX.md: scans and broken text layers
ALL_OCR = os.environ.get("VN_CONGVAN_DERIVE_OCR") == "1"
CASES = sorted(
    f.name
    for f in FILES.glob("*")
    if f.suffix in (".pdf", ".docx", ".doc") and (ALL_OCR or f.name == SCAN or not any(w in f.name for w in OCR_READ))
)
# The document's own province (INDEX.md); a unit of it after the 2025 reform, or a district before it.
PROVINCE = {
    "lao-cai": ("Lào Cai", "Phường Cam Đường", "Thành phố Lào Cai"),
    "dong-thap": ("Đồng Tháp", "Phường Mỹ Tho", "Thành phố Cao Lãnh"),
    "cao-lanh": ("Đồng Tháp", "Phường Mỹ Tho", "Thành phố Cao Lãnh"),
    "doc-binh-kieu": ("Đồng Tháp", "Phường Mỹ Tho", "Thành phố Cao Lãnh"),
    "quang-ngai": ("Quảng Ngãi", "Phường Cẩm Thành", "Huyện Bình Sơn"),
    "lam-dong": ("Lâm Đồng", "Phường Mũi Né", "Thành phố Bảo Lộc"),
    "binh-thuan": ("Bình Thuận", "Phường Mũi Né", "Huyện Tuy Phong"),
}
NATIONAL = ("Hồ Chí Minh", "Phường Tân Định", "Quận 1")  # a Bộ's letter reaches every province
PLACEHOLDER = re.compile(r"\[CẦN BỔ SUNG: [^\]]*\]")


@pytest.fixture(scope="module")
def parents() -> dict[str, Document]:
    """Each file read once, as derive reads it (derive's own cache: the CLI below does not read it again)."""
    return {name: _parent_doc(FILES / name) for name in CASES}


def _unit(name: str, parent: Document) -> tuple[str, str]:
    province, ward, district = next((v for k, v in PROVINCE.items() if k in name), NATIONAL)
    legacy = parent.date is not None and units.era_for(parent.date) == units.LEGACY
    if province == "Bình Thuận" and not legacy:
        province = "Lâm Đồng"  # merged into Lâm Đồng on 1 July 2025
    return (district if legacy else ward), province


def _docx_text(path: Path) -> str:
    """Every paragraph of the body, header table cells included, one space between them."""
    body = docx.Document(str(path)).element.body
    paras = ("".join(t.text or "" for t in p.iter(qn("w:t"))) for p in body.iter(qn("w:p")))
    return " ".join(" ".join(p.split()) for p in paras if p.strip())


@pytest.mark.parametrize("name", CASES)
def test_received_file_derives_in_one_command(
    name: str, parents: dict[str, Document], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    parent = parents[name]
    unit, province = _unit(name, parent)
    out = tmp_path / "child.yaml"
    rc = main(["derive", str(FILES / name), "--unit", unit, "--province", province, "-o", str(out), "--render"])
    err = capsys.readouterr().err
    assert rc == 0, err
    page = _docx_text(out.with_suffix(".docx"))
    assert unit.split(" ", 1)[1].upper() in page  # the child's own header: "PHƯỜNG CAM ĐƯỜNG"

    # Every placeholder on the page is in the YAML and listed on stderr, under the field that holds it.
    body = "\n".join(line for line in out.read_text(encoding="utf-8").splitlines() if not line.startswith("#"))
    on_page = set(PLACEHOLDER.findall(page))
    assert on_page <= set(PLACEHOLDER.findall(body))
    for p in on_page:
        assert f": {p}" in err, p
    if "{campaign.report_deadline}" not in body:  # no campaign deadline to fill: the date or a blank
        assert "{campaign" not in page

    # The parent, cited as read: its issuer(s), number/ký hiệu and date when read, the kind by name.
    issuers = [n.strip() for n in re.split(r", | và ", _cited_issuers(page, parent))]
    assert issuers and all(i in page for i in issuers)
    assert parent.kind_name in page
    if parent.number is not None:
        assert f"số {parent.number:02d}/{parent.full_symbol()}" in page
    if parent.date is not None:
        assert f"ngày {vntext.short_date(parent.date)} của" in page
    if parent.number is None or parent.date is None:
        assert "văn bản cấp trên: chưa có" in err


def _cited_issuers(page: str, parent: Document) -> str:
    """The issuer words of the parent's citation on the page ('… của X về …')."""
    lead = re.escape(parent.kind_name) + r"[^;]*? của (.+?) về"
    m = re.search(lead, page)
    assert m, f"no citation of the parent ({parent.kind_name}) in: {page[:600]}"
    return m.group(1)


def test_joint_parent_cites_every_issuer_read(parents: dict[str, Document]) -> None:
    """A liên ngành hướng dẫn (a 2×4 header grid parse reads as one name): cited as the law cites a joint
    document, each issuer by its Phụ lục II name, split where the ký hiệu's codes say (BCA, BQP, …)."""
    from vn_congvan.derive import _issuers_named

    parent = parents["hd-lien-nganh-bca-bqp-byt-bct-24-n2o-2026.pdf"]
    named = _issuers_named(parent)
    assert named.startswith("Bộ Công an, Bộ Quốc phòng, Bộ Công Thương, Bộ Tài chính, Viện Kiểm sát")
    assert " và Tòa án " in named


def test_other_province_unit_is_a_user_error(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    name = "kh-so-gddt-dong-thap-362-tiep-doan-stem-2026-draft.doc"
    args = ["derive", str(FILES / name), "--unit", "Phường Cam Đường", "--province", "Đồng Tháp"]
    rc = main([*args, "-o", str(tmp_path / "c.yaml")])
    assert rc == 2
    assert "unit not found" in capsys.readouterr().err
    assert not (tmp_path / "c.yaml").exists()
