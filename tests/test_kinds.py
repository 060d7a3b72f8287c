"""Every Mẫu of Phụ lục III has an example under examples/mau/, rendered with the Mẫu's elements in the
Mẫu's order (data/kinds.yaml) and each element in its format (data/nd30.yaml `elements`), read back from the
.docx with ooxml. The kinds' own rules: thẩm quyền, "QUYẾT ĐỊNH:", Điều, fields, signers."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from recipes import build

from vn_congvan import law, ooxml, rules
from vn_congvan.check import check
from vn_congvan.errors import InputError
from vn_congvan.law import lines as L
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
    "ky_so": "VBKySo",
    "phu_luc_so": "VBPhuLucSo",
    "phu_luc_ten": "VBPhuLucTen",
    "phu_luc_kem": "VBPhuLucKem",
}
RIGHT_COLUMN = {"quoc_hieu", "tieu_ngu", "dia_danh"}
DIEU = re.compile(r"^Điều \d+\. ")


def test_every_mau_of_phu_luc_iii_has_an_example() -> None:
    named = {law.kind(load(p).kind).mau for p in MAU}
    wanted = {"1.1", "1.2–1.3", "1.4", "1.6", "1.7", "1.8", "1.9", "1.10", "1.3 (điện tử)", "2.2"}
    assert wanted <= named, wanted - named
    assert any(load(p).attachment is not None for p in MAU), "Mẫu 1.3: a quyết định with its attached văn bản"
    copies = {law.specs.copy_formats()[d.copy_of.format]["mau"] for p in MAU if (d := load(p)).copy_of}
    assert copies == {"3.1", "3.2"}, copies
    # hợp đồng, bản ghi nhớ, bản thỏa thuận have a code in Phụ lục III but no Mẫu
    assert {k.key for k in law.kinds().values() if not k.mau} == {"hop_dong", "ban_ghi_nho", "ban_thoa_thuan"}


@pytest.fixture(scope="module", params=MAU, ids=lambda p: p.stem)
def rendered(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    doc = load(request.param)
    out = render(doc, tmp_path_factory.mktemp("k") / "doc.docx", base=request.param.parent)
    return doc, ooxml.read(out), out


def _first_header(d: ooxml.Document) -> list[ooxml.Paragraph]:
    first = d.sections[0].headers.get("first")
    return first.paragraphs() if first is not None else []


def _elements(doc: Document) -> list[str]:
    """The kind's elements in page order; an electronic copy's ký số box (kinds.yaml `copy_formats`) first."""
    return ["ky_so", *doc.spec.elements] if doc.copy_of is not None and doc.copy_of.ky_so else doc.spec.elements


def _located(d: ooxml.Document, element: str, main: list[ooxml.Paragraph]) -> list[ooxml.Paragraph]:
    if element == "ky_so":  # the top of page 1: the first page's header
        return [p for p in _first_header(d) if p.style_id == STYLE[element] and p.text.strip()]
    if element == "dieu":
        return [p for p in main if DIEU.match(p.text)]
    if element == "noi_dung":  # a phụ lục's content: the body's format under its own style name
        return [p for p in main if p.style_id in (STYLE[element], "VBPLNoiDung") and p.text.strip()]
    return [p for p in main if p.style_id == STYLE[element] and p.text.strip()]


def _band(p: ooxml.Paragraph) -> tuple[int, int]:
    """Position on the page: a table row is one band (its cells stand side by side); a header above all."""
    if p.style_id == STYLE["ky_so"]:
        return -1, 0
    if p.cell is not None and p.cell.table is not None:
        first = p.cell.table.rows[p.cell.row].cells[0].paragraphs[0]
        return first.index, p.cell.row
    return p.index, 0


def test_elements_in_the_mau_order_with_their_formats(rendered) -> None:
    doc, d, _ = rendered
    main = [p for p in d.paragraphs() if p.section == 0]  # the attached văn bản and phụ lục come after
    order = []
    for element in _elements(doc):
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
            if spec.get("align") in ("center", "both", "right"):
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
    if doc.spec.enacting is None:  # the văn bản kèm theo has Điều but no "QUYẾT ĐỊNH:" of its own
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


# ---------------------------------------------------------------- files signed apart, electronic copies

# The agency's ký số box of each (PL I II.8.b, III.1.d; Phần II I.3), as the Mẫu words it.
KY_SO = {
    "2.2-phu-luc-dien-tu": ("Số: 150/KH-UBND; 20/09/2026; 16:05:12+07:00", "phu_luc_rieng"),
    "1.3-van-ban-kem-theo-dien-tu": ("Số: 1521/QĐ-UBND; 16/09/2026; 16:20:05+07:00", "phu_luc_rieng"),
    "3.2-ban-sao-y-dien-tu": (
        "SAO Y; Sở Giáo dục và Đào tạo tỉnh Thái Nguyên; 17/09/2026; 09:30:00+07:00",
        "hanh_chinh",  # the copied văn bản as it is: every rule, and ES-03 on the box
    ),
}
GAP = " " * 6  # number and day left blank in an electronic file (PL I III.1.c)


def _mau(stem: str, tmp_path: Path) -> tuple[Document, ooxml.Document, Path]:
    src = ROOT / "examples" / "mau" / f"{stem}.yaml"
    doc = load(src)
    out = render(doc, tmp_path / f"{stem}.docx", base=src.parent)
    return doc, ooxml.read(out), out


@pytest.mark.parametrize("stem", sorted(KY_SO))
def test_ky_so_box_at_the_top_right_of_page_1(stem: str, tmp_path: Path) -> None:
    doc, d, out = _mau(stem, tmp_path)
    text, doc_class = KY_SO[stem]
    box = [p for p in _first_header(d) if p.text.strip()]
    assert [p.text for p in box] == [text]
    runs = box[0].visible_runs()
    assert box[0].align == "right" and all(r.props.size == 20 for r in runs)
    assert not any(r.props.bold or r.props.italic for r in runs)
    assert all(r.props.color in (None, "auto", "000000") for r in runs)
    later = [q.text for hf_type, hf in d.sections[0].headers.items() if hf_type != "first" for q in hf.paragraphs()]
    assert text not in later, "the box is on page 1 only"
    read = L.KY_SO.read(text)
    signed = doc.copy_of.signed_at if doc.copy_of else doc.signed_at
    assert read is not None and read.zone and read.time == signed
    report = check(out)
    assert report.doc_class.key == doc_class and report.findings == [], (report.doc_class, report.findings)


def test_phu_luc_in_its_own_file_is_the_mau_2_2(tmp_path: Path) -> None:
    _, d, _ = _mau("2.2-phu-luc-dien-tu", tmp_path)
    texts = [p.text for p in d.paragraphs() if p.text.strip()]
    assert texts[:3] == [
        "Phụ lục II",
        "LỊCH TỔ CHỨC CÁC HOẠT ĐỘNG CỦA TUẦN LỄ HƯỞNG ỨNG HỌC TẬP SUỐT ĐỜI NĂM 2026",
        f"(Kèm theo Kế hoạch số{GAP}/KH-UBND ngày{GAP}tháng{GAP}năm 2026 của Ủy ban nhân dân tỉnh Thái Nguyên)",
    ]
    assert texts[-1].endswith("báo cáo Ủy ban nhân dân tỉnh./.")
    assert not any(t.startswith(("Số:", "CỘNG HÒA", "Nơi nhận")) for t in texts), "no header, số or signer"


def test_van_ban_kem_theo_in_its_own_file_is_the_mau_1_3_dien_tu(tmp_path: Path) -> None:
    _, d, _ = _mau("1.3-van-ban-kem-theo-dien-tu", tmp_path)
    texts = [p.text for p in d.paragraphs() if p.text.strip()]
    assert texts[:4] == ["ỦY BAN NHÂN DÂN", "TỈNH THÁI NGUYÊN", rules.nd30()["quoc_hieu"], rules.nd30()["tieu_ngu"]]
    assert texts[4:7] == [
        "QUY CHẾ",
        "Hoạt động của Ban Tổ chức Tuần lễ hưởng ứng học tập suốt đời năm 2026",
        f"(Ban hành kèm theo Quyết định số{GAP}/QĐ-UBND ngày{GAP}tháng{GAP}năm 2026 của Ủy ban nhân dân tỉnh "
        "Thái Nguyên)",
    ]
    assert texts[7:9] == ["Chương I", "QUY ĐỊNH CHUNG"] and texts[9] == "Điều 1. Phạm vi điều chỉnh"
    assert not any(t.startswith(("Số:", "Thái Nguyên, ngày", "Nơi nhận")) for t in texts), "no số, date or signer"


def test_ban_sao_dien_tu_is_the_document_as_it_is(tmp_path: Path) -> None:
    """Mẫu 3.2: the copy's page is the copied văn bản's, word for word; no SAO Y block under it (Mẫu 3.1's)."""
    _, copy, _ = _mau("3.2-ban-sao-y-dien-tu", tmp_path)
    original = (ROOT / "examples" / "mau" / "3.2-ban-sao-y-dien-tu.yaml").read_text(encoding="utf-8")
    (tmp_path / "original.yaml").write_text(original.split("copy_of:")[0], encoding="utf-8")
    plain = ooxml.read(render(load(tmp_path / "original.yaml"), tmp_path / "original.docx"))
    assert [p.text for p in copy.paragraphs()] == [p.text for p in plain.paragraphs()]
    assert not any(L.COPY_MARK.match(p.text) for p in copy.paragraphs())
    assert not any(p.text.strip() for p in _first_header(plain)), "a văn bản signed as itself has no box"


@pytest.mark.parametrize(
    ("stem", "mutate", "rule", "words"),
    [
        # the box's time without its ISO 8601 offset
        (
            "3.2-ban-sao-y-dien-tu",
            {"header": True, "find": "SAO Y;", "replace": "SAO Y; Sở Giáo dục và Đào tạo; 17/09/2026; 09:30:00"},
            "ES-03",
            "ISO 8601",
        ),
        # the box's số written the old way, with a space before the "/"
        (
            "2.2-phu-luc-dien-tu",
            {"header": True, "find": "Số: 150/KH-UBND;", "replace": "Số: 150 /KH-UBND; 20/09/2026; 16:05:12+07:00"},
            "ES-03",
            "số, ký hiệu",
        ),
        # the box at the foot of the content, not at the top right of page 1
        (
            "2.2-phu-luc-dien-tu",
            {"find": "Các cơ quan, đơn vị gửi báo cáo", "append": "Số: 150/KH-UBND; 20/09/2026; 16:05:12+07:00"},
            "ES-03",
            "góc trên, bên phải",
        ),
        # the phụ lục rules bind a phụ lục in its own file: "Phụ lục II" not bold
        ("2.2-phu-luc-dien-tu", {"find": "Phụ lục II", "set": {"bold": False}}, "PL-01", "Phụ lục"),
    ],
)
def test_checker_finds_the_mistakes_of_a_separate_file(
    stem: str, mutate: dict, rule: str, words: str, tmp_path: Path
) -> None:
    out = build({"base": f"example:mau/{stem}", "mutate": [mutate]}, tmp_path / "bad.docx")
    report = check(out)
    found = [f for f in report.findings if f.rule_id == rule]
    assert found and words in found[0].message, report.findings


@pytest.mark.parametrize(
    ("yaml_text", "field"),
    [
        (
            "kind: phu_luc\nsigned_at: 2026-09-20T16:05:12+07:00\nappendices: [{content: [Nội dung./.]}]\n",
            "attached_to",
        ),
        (
            "kind: phu_luc\nattached_to: {kind: ke_hoach, number: 150, date: 2026-09-20}\n"
            "appendices: [{content: [Nội dung./.]}]\n",
            "signed_at",
        ),
        (
            "kind: phu_luc\nattached_to: {kind: ke_hoach, number: 150, date: 2026-09-20}\n"
            "signed_at: 2026-09-20T16:05:12+07:00\nnumber: 151\nappendices: [{content: [Nội dung./.]}]\n",
            "number",
        ),
        (
            "kind: ke_hoach\ndate: 2026-09-20\ntitle: Tổ chức Tuần lễ\nbody: [Nội dung./.]\nsigner: chu_tich\n"
            "signed_at: 2026-09-20T16:05:12+07:00\n",
            "attached_to",
        ),
    ],
)
def test_a_separate_file_needs_its_van_ban_and_its_ky_so_time(yaml_text: str, field: str, tmp_path: Path) -> None:
    with pytest.raises(InputError) as exc:
        _load("profile: ubnd-tinh-thai-nguyen\n" + yaml_text, tmp_path)
    assert field in str(exc.value)


def test_an_electronic_copy_has_no_number_of_its_own(tmp_path: Path) -> None:
    text = (ROOT / "examples" / "mau" / "3.2-ban-sao-y-dien-tu.yaml").read_text(encoding="utf-8")
    with pytest.raises(InputError) as exc:
        _load(text + "  number: 15\n", tmp_path)
    assert "Mẫu 3.2" in str(exc.value)


def test_a_template_without_the_ky_so_box_says_so(tmp_path: Path) -> None:
    """A user's template without {{ ky_so }} in its first page's header: the box is never dropped silently."""
    with zipfile.ZipFile(ROOT / "templates" / "co_ten_loai.docx") as z:
        parts = {n: z.read(n) for n in z.namelist()}
    parts["word/header2.xml"] = parts["word/header2.xml"].replace(b"{{ ky_so }}", b"")
    with zipfile.ZipFile(tmp_path / "own.docx", "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)
    text = (ROOT / "examples" / "mau" / "3.2-ban-sao-y-dien-tu.yaml").read_text(encoding="utf-8")
    doc = _load(text + f"issuer: {{template: {tmp_path / 'own.docx'}}}\n", tmp_path)
    with pytest.raises(InputError) as exc:
        render(doc, tmp_path / "out.docx", base=tmp_path)
    assert "{{ ky_so }}" in str(exc.value) and not (tmp_path / "out.docx").exists()
    plain = _load(text.split("copy_of:")[0] + f"issuer: {{template: {tmp_path / 'own.docx'}}}\n", tmp_path)
    assert render(plain, tmp_path / "plain.docx", base=tmp_path).exists()  # a văn bản without a box renders


def test_an_electronic_copy_checked_with_its_original_shares_its_number(tmp_path: Path) -> None:
    """NUM-01 (one số per year) counts the văn bản once: its Mẫu 3.2 copy carries the same số as it is."""
    from vn_congvan.check import check_set

    _, _, copy = _mau("3.2-ban-sao-y-dien-tu", tmp_path)
    _, _, original = _mau("1.2-quyet-dinh", tmp_path)
    reports = check_set([original, copy])
    assert [r.findings for r in reports] == [[], []]
    assert reports[1].doc_class.copy and "Mẫu 3.2" in reports[1].doc_class.reason
    twice = check_set([original, original])
    assert [f.rule_id for f in twice[1].findings] == ["NUM-01"]
