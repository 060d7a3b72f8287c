"""Property: any valid document with any printable Vietnamese text renders to a .docx that opens, passes the
ND30 checker, and contains every text verbatim. Text is drawn from every vowel with every tone mark (NFC),
đ, digits, spaces and the punctuation that breaks naive templating: & < > " ' { } % / and friends."""

from __future__ import annotations

import re
import tempfile
import unicodedata
import zipfile
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vn_congvan import check, ooxml
from vn_congvan.model import Document
from vn_congvan.paths import PROFILES
from vn_congvan.render import render, render_bytes

TONES = ("", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323")  # ngang, huyền, sắc, hỏi, ngã, nặng
VOWELS = [unicodedata.normalize("NFC", v + t) for v in "aăâeêioôơuưy" for t in TONES]
LETTERS = [*VOWELS, *"bcdđghklmnpqrstvx", *"fjwz"]
ALPHABET = sorted({*LETTERS, *(c.upper() for c in LETTERS), *"0123456789", *" &<>\"'{}%/", *".,;:!?()-[]#*$\\=+@~^|_"})
assert all(unicodedata.is_normalized("NFC", c) and c.isprintable() for c in ALPHABET)

# Fragments that look like template tags, XML, or the parts of the layout the checker looks for.
FRAGMENTS = (
    "{{ x }}", "{%p if y %}", "{{p b }}", "{#", "<w:p>", "</w:t>", "]]>", "&amp;", "&#x41;", "<b>", "Sở GD&ĐT",
    "Nơi nhận:", "Kính gửi:", "Căn cứ", "Số: 01/KH-UBND", "I.", "1.", "a)", "-", "V/v", "TM.", "KT.", "./.",
    "Lưu: VT.", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "ngày 30 tháng 9 năm 2022", "{campaign.name}",
)  # fmt: skip
words = st.text(ALPHABET, min_size=1, max_size=40) | st.sampled_from(FRAGMENTS)
text = (
    st.lists(words, min_size=1, max_size=4)
    .map(" ".join)
    .map(str.strip)
    .filter(bool)
    # The checker finds the Kính gửi and the V/v line by their first
    # words wherever they are, so no text may open with them.
    .filter(lambda t: not t.casefold().startswith(("nơi nhận", "kính gửi", "v/v")))
)
# A Kính gửi or Nơi nhận entry is one name: ";" separates entries, and a final "." or ";" is dropped for the
# list's own punctuation, so keep something before it.
entry = text.filter(lambda t: ";" not in t and t.rstrip(".").strip() != "")
# A trích yếu is a sentence: with no lower-case letter at all ("0") the checker takes it for all capitals
# (test_title_without_letters_is_not_all_capitals below).
# Nor may it read like the blocks around it: "Căn cứ …" under the title is a căn cứ, "Số …/" the number line,
# and "… ngày 02 tháng 9 năm 2025" in a V/v the date line (test_vv_with_a_date_is_not_the_date_line).
NOT_A_TITLE = re.compile(r"^(căn cứ|số\s*:?\s*\d*\s*/)|ngày\b.*\btháng\b.*\bnăm\b")
sentence = text.filter(lambda t: any(c.islower() for c in t) and not NOT_A_TITLE.search(t.casefold()))


def profile() -> dict[str, Any]:
    return yaml.safe_load((PROFILES / "ubnd-tinh-thai-nguyen.yaml").read_text(encoding="utf-8"))


@st.composite
def documents(draw: st.DrawFn) -> dict[str, Any]:
    cong_van = draw(st.booleans())
    sections = []
    for _ in range(draw(st.integers(1, 3))):
        content: list[Any] = draw(st.lists(text, min_size=1, max_size=3))
        if draw(st.booleans()):
            content.append({"items": draw(st.lists(text, min_size=1, max_size=4))})
        sections.append({"heading": draw(text), "content": content})
    distribution: list[Any] = []
    for to in draw(st.lists(entry, max_size=4)):
        note = draw(st.none() | text)
        distribution.append(to if note is None else {"to": to, "note": note})
    return {
        "kind": "cong_van" if cong_van else "ke_hoach",
        "issuer": profile(),
        "number": 7,
        "date": "2022-09-30",
        "drafting_unit": "KGVX",
        "title": draw(sentence),
        "recipients": draw(st.lists(entry, min_size=1 if cong_van else 0, max_size=3)),
        "body": sections,
        "closing": draw(text),
        "signer": "pho_chu_tich_tt",
        "distribution": distribution,
    }


def texts(data: dict[str, Any]) -> list[str]:
    """What must appear verbatim: every text, less the punctuation the layout owns."""
    title = re.sub(r"^V/v\s+", "", data["title"]) if data["kind"] == "cong_van" else data["title"]
    out = [title, data["closing"]]
    out += [r.rstrip(";.").strip() for r in data["recipients"]]
    for section in data["body"]:
        out.append(section["heading"])
        for block in section["content"]:
            out += block["items"] if isinstance(block, dict) else [block]
    for d in data["distribution"]:
        if isinstance(d, str):
            out.append(d.rstrip(";.").strip())
        else:
            out += [d["to"].rstrip(";.").strip(), d["note"]]
    return [unicodedata.normalize("NFC", t) for t in out]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents())
def test_any_text_renders_verbatim_and_passes_the_checker(data: dict[str, Any]) -> None:
    doc = Document.model_validate(data)
    with tempfile.TemporaryDirectory() as tmp:
        out = render(doc, Path(tmp) / "doc.docx")
        assert out.read_bytes() == render_bytes(doc)  # the file is what render_bytes gives, byte for byte
        with zipfile.ZipFile(out) as z:
            assert z.testzip() is None
        paragraphs = [p.text for p in ooxml.read(out).paragraphs()]
        report = check(out)
    assert report.ok, [(f.rule_id, f.message, f.where) for f in report.errors]
    joined = "\n".join(paragraphs)
    assert [t for t in texts(data) if t not in joined] == []


# ---------------------------------------------------------------- minimal forms of what the property found

CHECKER = "check.py: "


def checked(**changes: Any) -> list[tuple[str, str]]:
    data = {
        "kind": "ke_hoach",
        "issuer": profile(),
        "number": 7,
        "date": "2022-09-30",
        "drafting_unit": "KGVX",
        "title": "Tổ chức Tuần lễ hưởng ứng học tập suốt đời",
        "body": [{"heading": "Mục đích, yêu cầu", "content": ["Nâng cao nhận thức của người dân."]}],
        "closing": "Các cơ quan, đơn vị triển khai thực hiện.",
        "signer": "pho_chu_tich_tt",
        **changes,
    }
    with tempfile.TemporaryDirectory() as tmp:
        out = render(Document.model_validate(data), Path(tmp) / "doc.docx")
        return [(f.rule_id, f.where) for f in check(out).errors]


def test_the_baseline_passes() -> None:
    assert checked() == []


def test_body_text_starting_noi_nhan_is_not_the_noi_nhan_label() -> None:
    body = [{"heading": "Hồ sơ", "content": ["Nơi nhận hồ sơ: Bộ phận một cửa của UBND tỉnh."]}]
    assert checked(body=body) == []


def test_vv_with_a_date_is_not_the_date_line() -> None:
    title = "Nghỉ lễ Quốc khánh ngày 02 tháng 9 năm 2025"
    assert checked(kind="cong_van", recipients=["Các sở, ban, ngành tỉnh"], title=title) == []


def test_title_without_letters_is_not_all_capitals() -> None:
    assert checked(title="0") == []
