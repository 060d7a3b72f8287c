"""Vietnamese text rules the packages get wrong (see README): dates per NĐ 30, case, numerals.

babel's `vi` locale pads every month ("tháng 03"); NĐ 30 pads only days below 10 and months 1–2.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date

from . import rules
from .law import lines
from .law.lines import DRAFT_GAP as DRAFT_GAP  # the date and number patterns live in law.lines
from .law.lines import long_date as long_date
from .law.lines import pad_day as pad_day
from .law.lines import pad_month as pad_month

# Pasted from Word: characters that mean "space" are converted; other control characters have no
# meaning in a document (and are invalid in XML), so they are rejected rather than dropped.
_AS_SPACE = re.compile(r"[\t\x0b\x0c\u00a0\u2000-\u200a\u202f\u205f\u3000]")
_FORBIDDEN = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f\u200b-\u200d\u2028\u2029\ufeff\ufffe\uffff\ud800-\udfff]")


_ORDINARY = re.compile(
    r"[^\x00-\x1f\x7f-\x9f\u00a0\u2000-\u200f\u2028-\u202f\u205f\u3000\ufeff\ufffe\uffff\ud800-\udfff]*"
)


def clean(text: str) -> str:
    """NFC, spaces for tab-like characters, one paragraph break for a blank line, single line
    breaks folded (a soft break stretches a justified line). Raises ValueError on control characters."""
    if _ORDINARY.fullmatch(text) and unicodedata.is_normalized("NFC", text):
        return text  # the common case, checked in C: nothing to convert
    bad = _FORBIDDEN.search(text)
    if bad:
        raise ValueError(
            f"ký tự điều khiển U+{ord(bad.group()):04X} không được phép (control character); "
            "hãy xóa hoặc thay bằng khoảng trắng"
        )
    text = _AS_SPACE.sub(" ", unicodedata.normalize("NFC", text))
    if "\n" in text or "\r" in text:
        parts = re.split(r"\r?\n\s*\r?\n", text.strip())
        text = "\n\n".join(re.sub(r"\s*[\r\n]+\s*", " ", part).strip() for part in parts)
    return text  # what a văn thư fills by hand: "ngày      tháng      năm 2022"


def short_date(d: date) -> str:
    """'07/9/2022': the in-text form of the seeds, with the same leading-zero rule."""
    return f"{pad_day(d.day)}/{pad_month(d.month)}/{d.year}"


def date_line(place: str, d: date | None, year: int) -> str:
    """Ô 4. A draft (no date yet) leaves day and month blank for the văn thư."""
    return lines.DATE.format(place, d, year)


def number_line(number: int | None, symbol: str) -> str:
    """Ô 3: 'Số: 05/KH-UBND' (leading zero below 10); a draft leaves the gap: 'Số:      /KH-UBND'."""
    return lines.SO.format(number, symbol)


def upper(text: str) -> str:
    return unicodedata.normalize("NFC", text.upper())


def lower_first(text: str) -> str:
    """'Tổ chức Tuần lễ …' → 'tổ chức Tuần lễ …' for a citation's trích yếu; keeps acronyms."""
    if not text or (len(text) > 1 and text[1].isupper()):
        return text
    return text[0].lower() + text[1:]


ROMAN = [
    (1000, "M"),
    (900, "CM"),
    (500, "D"),
    (400, "CD"),
    (100, "C"),
    (90, "XC"),
    (50, "L"),
    (40, "XL"),
    (10, "X"),
    (9, "IX"),
    (5, "V"),
    (4, "IV"),
    (1, "I"),
]


def roman(n: int) -> str:
    out = []
    for value, letters in ROMAN:
        count, n = divmod(n, value)
        out.append(letters * count)
    return "".join(out)


def diem_letter(index: int) -> str:
    """Điểm letters (NĐ 30 PL I II.6.đ): a b c d đ e g …, no f, j, w, z."""
    letters = rules.nd30()["diem_letters"]
    return letters[index % len(letters)]


# Number words. num2words(lang="vi") reads 2022 as "hai nghìn lẻ hai mươi hai" and 1050 as
# "một nghìn lẻ năm mươi" (wrong); this is the standard reading, used for "Bằng chữ: …" in reports.
_DIGITS = ["không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"]
_SCALES = ["", "nghìn", "triệu", "tỷ"]


def _triple(n: int, full: bool) -> list[str]:
    hundreds, tens, units = n // 100, n // 10 % 10, n % 10
    out = [_DIGITS[hundreds], "trăm"] if hundreds or full else []
    if tens == 0:
        if units and out:
            out.append("linh")
    elif tens == 1:
        out.append("mười")
    else:
        out += [_DIGITS[tens], "mươi"]
    if units == 1 and tens > 1:
        out.append("mốt")
    elif units == 5 and tens > 0:
        out.append("lăm")
    elif units:
        out.append(_DIGITS[units])
    return out


def number_words(n: int) -> str:
    """1050 → 'một nghìn không trăm năm mươi'; 2022 → 'hai nghìn không trăm hai mươi hai'."""
    if n < 0:
        return "âm " + number_words(-n)
    if n == 0:
        return _DIGITS[0]
    groups: list[int] = []
    while n:
        n, rest = divmod(n, 1000)
        groups.append(rest)
    words: list[str] = []
    for i in range(len(groups) - 1, -1, -1):
        if groups[i] == 0:
            if i and i % 3 == 0 and words and words[-1] != "tỷ":
                words.append("tỷ")  # 10^9, 10^18 …: "một nghìn tỷ"
            continue
        words += _triple(groups[i], full=bool(words))
        scale = _SCALES[i % 3] if i % 3 else ("tỷ" * bool(i))
        if scale:
            words.append(scale)
    return " ".join(words)
