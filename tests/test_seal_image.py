"""ES-02, the seal image of an electronic document (PL I II.8.a), on each way a .docx can show it wrong: the
rule's own fixtures (tests/rules/ES-02) hold one passing and one failing document; these vary one fact each."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml
from recipes import build

from vn_congvan.check import check

PASS = yaml.safe_load((Path(__file__).parent / "rules" / "ES-02" / "pass.yaml").read_text(encoding="utf-8"))


def _seal_doc(tmp_path: Path, **change: Any) -> list[str]:
    """ES-02's messages for the passing fixture with the seal's picture op changed."""
    recipe = copy.deepcopy(PASS)
    seal = next(op for op in recipe["mutate"] if str(op.get("picture", "")).startswith("seal"))
    for key, value in change.items():
        if value is None:
            seal.pop(key, None)
        else:
            seal[key] = value
    return [f.message for f in check(build(recipe, tmp_path / "seal.docx"), select=["ES-02"]).findings]


def test_the_passing_fixture_has_a_seal_and_a_signature_and_no_finding(tmp_path: Path) -> None:
    from vn_congvan import ooxml
    from vn_congvan.check import image, locate

    d = locate(ooxml.read(build(PASS, tmp_path / "ok.docx")))
    pics = image.pictures(d.signer)
    assert [round(p.width) for p in pics] == [40, 38]  # the signature, then the seal, both in the signer block
    inks = [image.ink(image.image_bytes(d.doc, p.part) or b"") for p in pics]
    assert inks[1] is not None and inks[1].format == "PNG" and inks[1].transparent and inks[1].red_share > 0.9
    assert _seal_doc(tmp_path) == []


@pytest.mark.parametrize(
    ("change", "detail"),
    [
        ({"picture": "seal-opaque"}, "không có nền trong suốt"),
        ({"picture": "seal-jpeg"}, "là JPEG, không phải PNG"),
        ({"picture": "seal-blue", "name": "Con dấu"}, "dấu không phải màu đỏ"),
        ({"size_mm": [20, 20], "anchor_mm": [20, -4]}, "dấu hiển thị 20 × 20 mm, không phải kích thước thật"),
        ({"anchor_mm": None}, "dấu nằm trên dòng chữ (inline)"),
        ({"anchor_mm": [55, -4]}, "dấu phải trùm lên chữ ký về bên trái"),
        ({"anchor_mm": [-30, -4]}, "dấu không trùm lên hình ảnh chữ ký"),
        ({"anchor_mm": [5, 40]}, "dấu không trùm lên hình ảnh chữ ký"),
        ({"anchor_mm": [22, -4]}, "dấu trùm 75% chiều ngang chữ ký, cần khoảng 1/3"),
    ],
)
def test_each_way_a_seal_is_shown_wrong(tmp_path: Path, change: dict[str, Any], detail: str) -> None:
    messages = _seal_doc(tmp_path, **change)
    assert len(messages) == 1 and detail in messages[0], messages


def test_a_red_picture_outside_the_signer_block_is_no_seal(tmp_path: Path) -> None:
    recipe = copy.deepcopy(PASS)
    recipe["mutate"] = [{"find": "KẾ HOẠCH", "picture": "seal-opaque", "size_mm": [10, 10]}]
    assert check(build(recipe, tmp_path / "logo.docx"), select=["ES-02"]).findings == []
