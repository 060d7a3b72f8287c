"""Build vn_congvan/data/person_names.yaml: the administrative units named after a person or a historical event.

NĐ 30 (Phụ lục I, II.4): the địa danh of a unit "mang tên người, bằng chữ số hoặc sự kiện lịch sử" is written
with its full name, type included and capitalised: "Phường Phan Đình Phùng, ngày …", "Quận 7, ngày …",
"Phường Điện Biên Phủ, ngày …"; any other unit is written by its name alone: "Tân Định, ngày …". Numbered
units are recognised in code (the name is digits); this script lists the others, from the bundled unit
tables of both eras (vn_congvan/data/units/), by one rule:

1. A name of three or more syllables whose first syllable is a Vietnamese surname (họ, SURNAMES below) is
   a person's full name (họ + tên đệm + tên): Phan Đình Phùng, Hoàng Văn Thụ, Võ Thị Sáu, Lý Thường Kiệt.
   Not when the last syllable places it ("A", "Thượng", "Đông": PLACE_ENDINGS), nor the place names that
   happen to begin with a surname (PLACES_WITH_SURNAME, checked by hand against both tables).
2. A two-syllable name is a person's only when it is the name a historical figure is known by
   (KNOWN_AS, e.g. Lê Lợi, Trần Phú, Quang Trung): two syllables starting with a surname are just as
   often a place (Hoàng Mai, Phan Thiết, Cao Lãnh, Lý Sơn), so they are never guessed.
3. Names of people or events that rules 1–2 cannot see (Hai Bà Trưng, Bà Triệu, Điện Biên Phủ) are in
   OTHERS. A place named after a market, a bridge, a street or a village (Bến Thành, Cầu Ông Lãnh, Hàng Bạc,
   Tân Định, Đa Kao, Bàn Cờ) is a place name, not a person's: it is never listed.

Only names that occur in the unit tables are written. Run: python scripts/build_person_names.py
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from vn_congvan import units  # noqa: E402

OUT = ROOT / "vn_congvan/data/person_names.yaml"

_HO = (
    "Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý Đinh Mạc Trịnh Lương Đào Cao Chu "
    "Tôn Hà Mai Trương Lâm Tạ Triệu Đoàn Lưu Quách Tô Thái Văn"
)
# Not Châu, Kim, La: as first syllables they are mostly place words ("Châu Thành", "La Pan Tẩn").
SURNAMES = set(_HO.split())
# A last syllable that makes a name a part of a place ("Châu Phú A", "Đinh Trang Thượng"): never a person.
_ENDINGS = "A B C Thượng Hạ Đông Tây Nam Bắc Cửa Phố Tiến"
PLACE_ENDINGS = set(_ENDINGS.split())
PLACES_WITH_SURNAME = {
    "Hoàng Su Phì",  # a district town in the mountains (Hà Giang)
    "Phan Rí Cửa",  # the river mouth of Phan Rí
    "Đinh Văn Lâm Hà",  # Đinh Văn + Lâm Hà, merged in 2025
    "Đinh Trang Hòa",
    "Lương Hòa Lạc",
    "Cao Mã Pờ",
    # before 2025
    "Bùi La Nhân",
    "Cao Xuân Dương",
    "Dương Hồng Thủy",
    "Lâm Trung Thủy",
    "Lưu Vĩnh Sơn",
    "Lương An Trà",
    "Phan Rí Thành",
    "Phan Si Păng",  # the mountain
    "Thái Bình Trung",
    "Văn Miếu Quốc Tử Giám",  # a monument
}
KNOWN_AS = {
    "Lê Lợi", "Trần Phú", "Nguyễn Trãi", "Nguyễn Du", "Ngô Quyền", "Lê Chân", "Quang Trung", "Nguyễn Huệ",
    "Ngô Mây", "Trần Liễu", "Lý Bôn", "Tô Hiệu", "Cô Giang", "Cô Bắc", "Yết Kiêu", "Trưng Trắc", "Trưng Nhị",
    "Nguyễn Nghiêm", "Nguyễn Phích", "Trần Phán", "Phan Chu Trinh",
}  # fmt: skip
OTHERS = {"Hai Bà Trưng", "Bà Triệu", "Điện Biên Phủ"}


def person_named(name: str) -> bool:
    words = name.split()
    if name in OTHERS or name in KNOWN_AS:
        return True
    if name in PLACES_WITH_SURNAME or "-" in name or any(w.isdigit() for w in words) or words[-1] in PLACE_ENDINGS:
        return False
    return len(words) >= 3 and words[0] in SURNAMES


def main() -> None:
    names = {u.name for era in (units.ERA_2025, units.LEGACY) for u in units.all_units(era=era) if u.level != "tinh"}
    found = sorted(n for n in names if person_named(n))
    lines = [
        "# Units named after a person or a historical event: their địa danh keeps the type (NĐ 30 PL I II.4).",
        "# Built by scripts/build_person_names.py from data/units/ (its docstring states the rule); do not edit.",
        *(f"- {n}" for n in found),
    ]
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{OUT.relative_to(ROOT)}: {len(found)} names")


if __name__ == "__main__":
    main()
