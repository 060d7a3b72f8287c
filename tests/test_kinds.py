"""Every Mẫu of Phụ lục III has an example under examples/mau/, rendered with the Mẫu's elements in the
Mẫu's order (data/kinds.yaml) and each element in its format (data/nd30.yaml `elements`), read back from the
.docx with ooxml. The kinds' own rules: thẩm quyền, "QUYẾT ĐỊNH:", Điều, fields, signers."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from vn_congvan import law, ooxml, rules
from vn_congvan.check import check
from vn_congvan.errors import InputError
from vn_congvan.loader import load
from vn_congvan.model import Document
from vn_congvan.render import render

ROOT = Path(__file__).resolve().parent.parent
MAU = sorted((ROOT / "examples" / "mau").glob("*.yaml"))

# The bundled templates' paragraph style of each ND30 element (scripts/build_templates.py).
STYLE = {
    "quoc_hieu": "VBQuocHieu",
    "tieu_ngu": "VBTieuNgu",
    "chu_quan": "VBChuQuan",
    "co_quan": "VBCoQuan",
    "so_ky_hieu": "VBSo",
    "dia_danh": "VBDiaDanh",
    "ten_loai": "VBTenLoai",
    "trich_yeu": "VBTrichYeu",
    "vv": "VBVv",
    "kinh_gui": "VBKinhGui",
    "tham_quyen": "VBThamQuyen",
    "can_cu": "VBCanCu",
    "ban_hanh": "VBBanHanh",
    "noi_dung": "VBNoiDung",
    "chuc_vu": "VBChucVu",
    "ho_ten": "VBHoTen",
    "noi_nhan_label": "VBNoiNhanLabel",
    "noi_nhan": "VBNoiNhan",
    "ky_hieu_soan": "VBKyHieuSoan",
}
RIGHT_COLUMN = {"quoc_hieu", "tieu_ngu", "dia_danh"}
DIEU = re.compile(r"^Điều \d+\. ")


def test_every_mau_of_phu_luc_iii_has_an_example() -> None:
    named = {law.kind(load(p).kind).mau for p in MAU}
    wanted = {"1.1", "1.2–1.3", "1.4", "1.6", "1.7", "1.8", "1.9", "1.10"}
    assert wanted <= named, wanted - named
    assert any(load(p).attachment is not None for p in MAU), "Mẫu 1.3: a quyết định with its attached văn bản"
    # hợp đồng, bản ghi nhớ, bản thỏa thuận have a code in Phụ lục III but no Mẫu
    assert {k.key for k in law.kinds().values() if not k.mau} == {"hop_dong", "ban_ghi_nho", "ban_thoa_thuan"}


@pytest.fixture(scope="module", params=MAU, ids=lambda p: p.stem)
def rendered(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    doc = load(request.param)
    out = render(doc, tmp_path_factory.mktemp("k") / "doc.docx", base=request.param.parent)
    return doc, ooxml.read(out), out


def _located(d: ooxml.Document, element: str, main: list[ooxml.Paragraph]) -> list[ooxml.Paragraph]:
    if element == "dieu":
        return [p for p in main if DIEU.match(p.text)]
    return [p for p in main if p.style_id == STYLE[element] and p.text.strip()]


def _band(p: ooxml.Paragraph) -> tuple[int, int]:
    """Position on the page: a table row is one band (its cells stand side by side)."""
    if p.cell is not None and p.cell.table is not None:
        first = p.cell.table.rows[p.cell.row].cells[0].paragraphs[0]
        return first.index, p.cell.row
    return p.index, 0


def test_elements_in_the_mau_order_with_their_formats(rendered) -> None:
    doc, d, _ = rendered
    main = [p for p in d.paragraphs() if p.section == 0]  # the attached văn bản and phụ lục come after
    order = []
    for element in doc.spec.elements:
        found = _located(d, element, main)
        if element in ("chu_quan", "kinh_gui", "can_cu", "tham_quyen", "ky_hieu_soan") and not found:
            continue  # present only when the document has one (a chủ quản, recipients, căn cứ …)
        assert found, f"{element} missing from {doc.kind}"
        spec = rules.element(element)
        for p in found:
            runs = [r for r in p.visible_runs() if r.text.strip()]
            label = runs[:1] if element == "dieu" else runs  # "Điều 1." bold, its running text regular
            low, high = spec["range"]
            assert all(low <= (r.props.size or 0) <= high for r in label), (element, p.text)
            if "bold" in spec and element != "noi_dung":  # body text may bold a word of its own
                assert all(r.props.bold == spec["bold"] for r in label), (element, p.text)
            if "italic" in spec and element != "noi_dung":
                assert all(r.props.italic == spec["italic"] for r in label), (element, p.text)
            if spec.get("caps"):
                assert p.text == p.text.upper(), (element, p.text)
            if spec.get("align") in ("center", "both"):
                assert p.align == spec["align"], (element, p.text)
            if element in RIGHT_COLUMN:
                assert p.cell is not None and p.cell.col == 1, element
        order.append((element, _band(found[0])))
    bands = [band for _, band in order]
    assert bands == sorted(bands), f"{doc.kind}: elements out of the Mẫu's order: {order}"


def test_every_example_passes_check(rendered) -> None:
    _, _, out = rendered
    report = check(out)
    assert report.findings == [], report.findings


def test_quyet_dinh_enacting_line_and_articles(rendered) -> None:
    doc, d, _ = rendered
    if doc.spec.body != "dieu":
        return
    texts = [p.text for p in d.paragraphs() if p.section == 0]
    assert doc.spec.enacting in texts
    assert texts.index(vn_upper(doc.authority)) < texts.index(doc.spec.enacting)
    numbers = [int(m.group(1)) for t in texts if (m := re.match(r"^Điều (\d+)\.", t))]
    assert numbers == list(range(1, len(numbers) + 1)) and numbers


def vn_upper(text: str | None) -> str:
    from vn_congvan.vntext import upper

    return upper(text or "")


def test_attached_van_ban_of_mau_1_3(tmp_path: Path) -> None:
    src = ROOT / "examples" / "mau" / "1.3-quyet-dinh-ban-hanh.yaml"
    doc = load(src)
    d = ooxml.read(render(doc, tmp_path / "qd.docx", base=src.parent))
    attached = [p for p in d.paragraphs() if p.section == 1]
    texts = [p.text for p in attached if p.text]
    assert "QUY CHẾ" in texts and texts.index("QUY CHẾ") < texts.index("Chương I")
    kem = next(p for p in attached if p.text.startswith("(Ban hành kèm theo Quyết định số 1521/QĐ-UBND ngày 16"))
    assert kem.align == "center" and kem.visible_runs()[0].props.italic
    assert kem.text.endswith("của Ủy ban nhân dân tỉnh Thái Nguyên)")
    chuong = next(p for p in attached if p.text == "Chương II")
    title = attached[attached.index(chuong) + 1]
    assert title.text == "NHIỆM VỤ CỦA BAN TỔ CHỨC" and title.align == "center" and title.visible_runs()[0].props.bold
    # Điều are counted through the whole văn bản, across Chương
    assert [t for t in texts if t.startswith("Điều ")][2].startswith("Điều 3. Nhiệm vụ chung")
    assert not any(p.text == "Nơi nhận:" for p in attached), "Mẫu 1.3's attached văn bản has no Nơi nhận"


def test_bien_ban_signers_side_by_side_and_noi_nhan_under(tmp_path: Path) -> None:
    src = ROOT / "examples" / "mau" / "1.9-bien-ban.yaml"
    d = ooxml.read(render(load(src), tmp_path / "bb.docx", base=src.parent))
    thu_ky = next(p for p in d.paragraphs() if p.text == "THƯ KÝ")
    chu_toa = next(p for p in d.paragraphs() if p.text == "CHỦ TỌA")
    assert thu_ky.cell.row == chu_toa.cell.row and (thu_ky.cell.col, chu_toa.cell.col) == (0, 1)
    label = next(p for p in d.paragraphs() if p.text == "Nơi nhận:")
    assert label.cell.row == thu_ky.cell.row + 1 and label.cell.col == 0
    assert [p.text for p in label.cell.paragraphs][-1] == "- Lưu: VT, Hồ sơ."
    assert not any(re.search(r", ngày \d+ tháng", p.text) for p in d.paragraphs() if p.cell is not None)


BASE = """
kind: quyet_dinh
profile: ubnd-tinh-thai-nguyen
date: 2026-09-15
title: Về việc thành lập Ban Tổ chức
numbering: ["Điều 1."]
signer: {title: CHỦ TỊCH, name: Trịnh Việt Hùng}
body:
  - numbered: Thành lập Ban Tổ chức./.
"""


def _load(text: str, tmp_path: Path) -> Document:
    path = tmp_path / "doc.yaml"
    path.write_text(text, encoding="utf-8")
    return load(path)


def test_quyet_dinh_needs_its_authority_line(tmp_path: Path) -> None:
    with pytest.raises(InputError) as exc:
        _load(BASE, tmp_path)
    assert "authority" in str(exc.value) and "thẩm quyền" in str(exc.value)
    assert _load(BASE + "authority: Chủ tịch Ủy ban nhân dân tỉnh Thái Nguyên\n", tmp_path).numbering == ["Điều 1."]


def test_a_giay_moi_without_its_place_is_refused(tmp_path: Path) -> None:
    text = BASE.replace("quyet_dinh", "giay_moi").replace('numbering: ["Điều 1."]\n', "")
    text = text.replace("  - numbered: Thành lập Ban Tổ chức./.", '  - "Thời gian: 8 giờ ngày 01/10/2026."')
    with pytest.raises(InputError) as exc:
        _load(text, tmp_path)
    assert "'Địa điểm: …'" in str(exc.value) and "Mẫu 1.7" in str(exc.value)


@pytest.mark.parametrize(
    ("chain", "ok"),
    [
        (["TL. CHỦ TỊCH", "KT. CHÁNH VĂN PHÒNG"], True),
        (["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH"], True),
        (["TM. ỦY BAN NHÂN DÂN", "TL. CHỦ TỊCH", "KT. CHÁNH VĂN PHÒNG"], True),
        (["KT. CHỦ TỊCH", "TL. CHÁNH VĂN PHÒNG"], False),  # nothing after KT. but the deputy's title
        (["TL. BỘ TRƯỞNG", "TUQ. VỤ TRƯỞNG"], False),
        (["KT. CHỦ TỊCH", "TM. ỦY BAN NHÂN DÂN"], False),  # TM. opens the chain
        (["T/M ỦY BAN NHÂN DÂN"], False),  # the old abbreviation
    ],
)
def test_authority_chains_as_the_law_allows(chain: list[str], ok: bool, tmp_path: Path) -> None:
    title = "PHÓ CHÁNH VĂN PHÒNG" if chain[-1].endswith("VĂN PHÒNG") else "PHÓ CHỦ TỊCH"
    text = BASE.replace(
        "signer: {title: CHỦ TỊCH, name: Trịnh Việt Hùng}", f"signer: {{chain: {chain}, title: {title}}}"
    )
    text += "authority: Chủ tịch Ủy ban nhân dân tỉnh Thái Nguyên\n"
    if ok:
        assert _load(text, tmp_path).the_signer.lines() == [*chain, title]
    else:
        with pytest.raises(InputError):
            _load(text, tmp_path)


def test_van_ban_lien_tich_two_issuers_and_two_signature_blocks(tmp_path: Path) -> None:
    src = ROOT / "examples" / "mau" / "1.4-ke-hoach-lien-tich.yaml"
    doc = load(src)
    d = ooxml.read(render(doc, tmp_path / "lt.docx", base=src.parent))
    header = [p.text.replace("\u00a0", " ") for p in d.tables()[0].rows[0].cells[0].paragraphs if p.text]
    assert header.index("SỞ GIÁO DỤC VÀ ĐÀO TẠO") < header.index("SỞ VĂN HÓA, THỂ THAO") < header.index("VÀ DU LỊCH")
    assert any(p.text == "Số: 96/KH-SGDĐT-SVHTTDL" for p in d.paragraphs())
    names = [p for p in d.paragraphs() if p.text in ("Trần Văn Bình", "Nguyễn Thị Hoa")]
    assert [p.cell.col for p in names] == [0, 1] and names[0].cell.row == names[1].cell.row
    one = src.read_text(encoding="utf-8").replace(
        "  - {chain: [KT. GIÁM ĐỐC], title: PHÓ GIÁM ĐỐC, name: Nguyễn Thị Hoa}\n", ""
    )
    (tmp_path / "one.yaml").write_text(one, encoding="utf-8")
    with pytest.raises(InputError) as exc:
        load(tmp_path / "one.yaml")
    assert "liên tịch của 2 cơ quan cần 2 người ký" in str(exc.value)
