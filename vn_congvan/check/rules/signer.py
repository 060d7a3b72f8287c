"""Ô 7 (quyền hạn, chức vụ, họ tên người ký), ô 9b (Nơi nhận) and ô 12 (ký hiệu người soạn thảo)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ... import rules as data
from ...law import lines as L
from ...ooxml import Paragraph
from .. import edit, image
from ..edit import format_paragraph, retext, set_run, set_text_prefix, set_text_suffix, wtext
from ..locate import Located
from ..report import Finding
from ..text import display, empty, is_caps, norm, normal
from .base import Rule, fmt_problems, register
from .title import _label


@register
class SignerTitle(Rule):
    """Quyền hạn and chức vụ: caps, bold, 13–14 pt, centred; prefixes exactly TM., KT., TL., TUQ., Q."""

    id = "SIG-01"

    def check(self, d: Located) -> Iterator[Finding]:
        if not d.signer and d.kind is None:
            return
        if not d.titles and d.name is None:
            yield self.missing()
            return
        if not d.titles and d.name is not None:
            yield self.missing(d.name.text)
        titles = d.titles
        if titles and display(titles[-1]).startswith("PHÓ ") and not any(p.once(_prefix) for p in titles):
            yield self.finding(titles[-1].text, "cấp phó ký thay phải có dòng 'KT. …' của người đứng đầu phía trên")
        for p in titles:
            probs = p.once(_title_problems)
            if probs:
                yield self.finding(p.text, "; ".join(probs))

    def fix(self, d: Located) -> list[str]:
        """Format of the chức vụ lines, and the prefix written as the law writes it: 'K/T', 'Kt.', 'KT.GIÁM
        ĐỐC' → 'KT. GIÁM ĐỐC'."""
        done = []
        for p in d.titles:
            done += [f"chức vụ '{norm(p.text)}': {x}" for x in format_paragraph(p, "chuc_vu")]
            t = wtext(p)
            lead = t[: len(t) - len(t.lstrip())]
            m = L.SIGNER.LOOSE.match(t.lstrip())
            read = L.SIGNER.read(t.lstrip().upper())
            if m is None or read is None or L.SIGNER.match(t.lstrip(), strict=True):
                continue
            new = lead + L.SIGNER.format(read[0], t.lstrip()[m.end() :].strip())
            if read[0] in L.SIGNER.prefixes and retext(p, new):
                done.append(f"chức vụ: '{m.group(0).strip()}' → '{read[0]}'")
        return done


def _prefix(p: Paragraph) -> tuple[str, str] | None:
    """The quyền hạn prefix of a chức vụ line as shown, read: ('KT.', 'CHỦ TỊCH'), None without one."""
    return L.SIGNER.read(display(p))


def _title_problems(p: Paragraph) -> tuple[str, ...]:
    """What SIG-01 says of one chức vụ line: its format and its prefix."""
    t = display(p)
    probs = fmt_problems(p, "chuc_vu")
    if L.SIGNER.match(t) and not L.SIGNER.match(t, strict=True):
        m = L.SIGNER.LOOSE.match(t)
        written = m.group(0).strip() if m else t
        read = L.SIGNER.read(t)
        if read and written == read[0]:
            probs.append(f"thiếu khoảng trắng sau '{written}'")
        else:
            right = ", ".join(f"'{x}'" for x in L.SIGNER.prefixes)
            probs.append(f"viết tắt '{written}' sai, dùng {right}")
    return tuple(probs)


@register
class SignerOwnTitle(Rule):
    """After 'KT. …' or 'TL. …' comes the signer's own title."""

    id = "SIG-02"

    def check(self, d: Located) -> Iterator[Finding]:
        titles = d.titles
        for i, p in enumerate(titles):
            prefix = p.once(_prefix)
            if prefix and prefix[0] in ("KT.", "TL.") and i + 1 >= len(titles):
                yield self.finding(p.text)


@register
class SignerName(Rule):
    """Họ tên: each syllable capitalised, bold, 13–14 pt, centred, no học hàm/học vị."""

    id = "SIG-03"

    def check(self, d: Located) -> Iterator[Finding]:
        name = d.name  # a block awaiting its signer's name is a note of the report, not a finding
        if name is None:
            return
        probs = fmt_problems(name, "ho_ten")
        nt = norm(name.text)
        ranked = next((nt[len(r) + 1 :] for r in data.nd30()["military_ranks"] if nt.startswith(r + " ")), nt)
        if display(name) != nt or not L.person_name(ranked, titles=True):
            probs.append("viết hoa chữ cái đầu mỗi tiếng, không in hoa toàn bộ")
        if L.academic_title(nt):
            probs.append("không ghi học hàm, học vị trước họ tên")
        if probs:
            yield self.finding(name.text, "; ".join(probs))

    def fix(self, d: Located) -> list[str]:
        """Format; a name in capitals written with a capital at each syllable, as every Vietnamese name is
        ('ĐẶNG XUÂN TRƯỜNG' → 'Đặng Xuân Trường'). A học vị before it is the signer's to drop."""
        name = d.name
        if name is None:
            return []
        done = [f"họ tên: {x}" for x in format_paragraph(name, "ho_ten")]
        shown, text = display(name), wtext(name)
        if is_caps(shown) and not L.academic_title(norm(text)) and 2 <= len(text.split()) <= 7:
            titled = " ".join(w.capitalize() for w in text.split(" "))
            for r in name.runs:
                if r.props.caps:
                    set_run(r, caps=False)
            if titled != text:
                retext(name, titled)
            if L.person_name(norm(titled)):
                done.append(f"họ tên: '{norm(shown)}' → '{norm(titled)}'")
        return done


def _at(block: list[Paragraph], p: Paragraph) -> int | None:
    """Where `p` is in `block` (None: not there), found by identity: a paragraph's == compares all its
    fields, runs included, and the paragraphs of one part always differ in their index."""
    return next((i for i, q in enumerate(block) if q is p), None)


def _gap(d: Located) -> list[Paragraph] | None:
    """The signer block's lines between chức vụ (ô 7b may stand after them) and họ tên; None: no name in it."""
    at_name = _at(d.signer, d.name) if d.name is not None and d.titles else None
    return None if at_name is None else d.signer[(_at(d.signer, d.titles[0]) or 0) + 1 : at_name]


@register
class SignatureGap(Rule):
    """At least 3 empty lines (or a signature image) between chức vụ and họ tên."""

    id = "SIG-04"

    def check(self, d: Located) -> Iterator[Finding]:
        name = d.name
        if name is None or not d.titles:
            return
        gap = _gap(d) or []
        empties = sum(1 for q in gap if empty(q))
        if empties < data.nd30()["check"]["signature_gap_min"] and not any(q.has_drawing for q in gap):
            yield self.finding(name.text, f"chỉ có {empties} dòng trống")

    def fix(self, d: Located) -> list[str]:
        """Empty lines added right above the name until there are three (no image in the gap)."""
        if (gap := _gap(d)) is None or (name := d.name) is None:
            return []
        missing = data.nd30()["check"]["signature_gap_min"] - sum(1 for q in gap if empty(q))
        if missing <= 0 or any(q.has_drawing for q in gap):
            return []
        for _ in range(missing):
            edit.add_empty_before(name)
        return [f"họ tên người ký: thêm {missing} dòng trống để ký"]


@register
class NoiNhanLabel(Rule):
    """'Nơi nhận:' exactly, bold italic, 12 pt, flush left, in the left cell."""

    id = "NN-01"

    def check(self, d: Located) -> Iterator[Finding]:
        nn = d.nn
        if nn is None:
            if d.kind is not None or d.signer:
                yield self.missing()
            return
        probs = fmt_problems(nn, "noi_nhan_label")
        if norm(nn.text) != L.NOI_NHAN.format():
            probs.append(f"phải viết đúng '{L.NOI_NHAN.format()}'")
        if nn.cell is not None and nn.cell.col > 0:
            probs.append("phải ở ô bên trái")
        if probs:
            yield self.finding(nn.text, "; ".join(probs))

    def fix(self, d: Located) -> list[str]:
        """Bold italic 12 pt flush left, written 'Nơi nhận:'; its place is left."""
        if d.nn is None:
            return []
        done = [f"Nơi nhận: {x}" for x in format_paragraph(d.nn, "noi_nhan_label")]
        if norm(d.nn.text).rstrip(":").strip().lower() == "nơi nhận":
            done += _label(d.nn, L.NOI_NHAN.format(), r"nơi\s*nhận\s*:?")
        return done


@register
class NoiNhanItems(Rule):
    """Each recipient on its own line '- …;', 11 pt, upright."""

    id = "NN-02"

    def check(self, d: Located) -> Iterator[Finding]:
        if d.nn is None:
            return
        items = d.nn_items
        if not items:
            yield self.finding(d.nn.text, "chưa ghi nơi nhận")
            return
        said = [(q, q.once(_nn_item)) for q in items]
        bad = next(((q, probs) for q, (probs, _, _) in said if probs), None)
        if bad is not None:
            yield self.finding(bad[0].text, "; ".join(bad[1]))
        undashed = next((q for q, (_, dashed, _) in said if not dashed), None)
        if undashed is not None:
            yield self.finding(undashed.text, "phải bắt đầu bằng '- '")
        open_end = next((q for q, (_, _, ended) in said[:-1] if not ended), None)
        if open_end is not None:
            yield self.finding(open_end.text, "dòng phải kết thúc bằng ';'")

    def fix(self, d: Located) -> list[str]:
        """11 pt upright; each line opened by '- ' ('–', '+', '-x' → '- ') and ending ';' (the last, the
        Lưu line, is NN-03's)."""
        done = []
        for q in d.nn_items:
            done += [f"nơi nhận '{norm(q.text)[:40]}': {x}" for x in format_paragraph(q, "noi_nhan")]
            if q.num_text and q.num_text.strip() in "-–":
                continue
            t = wtext(q).lstrip()
            m = L.DASH_ITEM.match(t)
            if m and not t.startswith("- ") and set_text_prefix(q, t[: m.start("t")], "- "):
                done.append(f"nơi nhận '{norm(q.text)[:40]}': '{t[: m.start('t')].strip()}' → '-'")
            elif not m and q.num_text is None and set_text_prefix(q, "", "- "):
                done.append(f"nơi nhận '{norm(q.text)[:40]}': thêm '- '")
        for q in d.nn_items[:-1]:  # every line but the Lưu ends ';' (a ',' or '.' is replaced)
            t = norm(q.text)
            if t.endswith((";", ":")):
                continue
            old = t[-1] if t[-1] in ",." else ""
            if set_text_suffix(q, old, ";"):
                done.append(f"nơi nhận '{t[:40]}': " + (f"'{old}' → ';'" if old else "thêm ';'"))
        return done


def _nn_item(q: Paragraph) -> tuple[tuple[str, ...], bool, bool]:
    """What NN-02 reads of a Nơi nhận line: its format problems, opened by '- ', ended by ';' (or ':')."""
    t = normal(q)
    dashed = t.startswith("- ") or bool(q.num_text and q.num_text.strip() in "-–")
    return tuple(fmt_problems(q, "noi_nhan")), dashed, t.endswith((";", ":"))


@register
class Archive(Rule):
    """The last recipient line is '- Lưu: VT, …' ending with '.'."""

    id = "NN-03"

    def check(self, d: Located) -> Iterator[Finding]:
        if d.nn is None or not d.nn_items:
            return
        last = norm(d.nn_items[-1].text)
        if not L.LUU_STRICT.match(last if last.startswith("-") else "- " + last):
            yield self.finding(d.nn_items[-1].text)

    def fix(self, d: Located) -> list[str]:
        """The form of an existing Lưu line: '- Lưu VT, KT;' → '- Lưu: VT, KT.'. A list without one is left:
        the archive copy is not invented."""
        if d.nn is None or not d.nn_items:
            return []
        q = d.nn_items[-1]
        t = wtext(q)
        m = re.match(r"^(\s*)(?:[-–+]\s*)?Lưu\b\s*[:.]?\s*(.*?)\s*[.;,]?\s*$", t, re.IGNORECASE)
        if m is None or not m[2]:
            return []
        new = f"{m[1]}- Lưu: {m[2]}."
        if not L.LUU_STRICT.match(norm(new)) or not retext(q, new):
            return []
        return [f"Lưu: '{norm(t)}' → '{norm(new)}'"]


@register
class NhuTren(Rule):
    """With Kính gửi, the first recipient is '- Như trên;'."""

    id = "NN-04"

    def check(self, d: Located) -> Iterator[Finding]:
        if d.kg is None or not d.nn_items:
            return
        first = norm(d.nn_items[0].text)
        if first == "- Như Kính gửi;":
            yield self.finding(d.nn_items[0].text, "nên ghi '- Như trên;'", severity="warning")
        elif first != L.NHU_TREN:
            yield self.finding(d.nn_items[0].text)


@register
class DrafterMark(Rule):
    """Ô 12: the drafter's initials and the number of copies, 'PL.(300)', 11 pt, upright. An office's own
    internal mark without a copy count ('07.KH/T9/Tamht') is not this element and is left alone."""

    id = "KH-01"

    def check(self, d: Located) -> Iterator[Finding]:
        o12 = d.o12
        if o12 is None or "(" not in o12.text:
            return
        if not L.KY_HIEU_SOAN.match(norm(o12.text)) or fmt_problems(o12, "ky_hieu_soan"):
            yield self.finding(o12.text)

    def fix(self, d: Located) -> list[str]:
        """11 pt upright; 'PL(300)', 'PL .(300)' → 'PL.(300)'."""
        if d.o12 is None:
            return []
        done = [f"ký hiệu người soạn thảo: {x}" for x in format_paragraph(d.o12, "ky_hieu_soan")]
        text = wtext(d.o12)
        m = re.match(r"^(\s*)(\S+?)\s*\.?\s*\((\d+)\)\s*$", text)
        if m and L.KY_HIEU_SOAN.match(f"{m[2]}.({m[3]})") and retext(d.o12, f"{m[1]}{m[2]}.({m[3]})"):
            done.append(f"ký hiệu người soạn thảo: '{norm(text)}' → '{m[2]}.({m[3]})'")
        return done


@register
class ContactLine(Rule):
    """Ô 13 (optional): address, phone, email under the document on page 1, 11–12 pt, upright, a solid line
    across the page above it."""

    id = "DC-01"

    def check(self, d: Located) -> Iterator[Finding]:
        lines = [p for p in d.paras[d.main_end + 1 :] if p.section == 0 and p.cell is None and p.once(_contact)]
        for s in d.doc.sections[:1]:
            for typ in ("first", "default"):
                hf = s.footers.get(typ)
                if hf is not None and (typ == "default" or s.title_pg):
                    lines += [p for p in hf.paragraphs() if p.once(_contact)]
                    break
        if not lines:
            return
        probs = [x for p in lines for x in fmt_problems(p, "dia_chi")]
        first = lines[0]
        prev = d.before(first) if first in d.paras else None
        ruled = "top" in first.borders or (prev is not None and (prev.border_bottom or prev.has_drawing))
        if not ruled:
            probs.append("thiếu đường kẻ phía trên")
        if probs:
            yield self.finding(first.text, "; ".join(dict.fromkeys(probs)))

    def fix(self, d: Located) -> list[str]:
        """11–12 pt upright address lines, a solid line above the first one (its top border)."""
        lines = [p for p in d.paras[d.main_end + 1 :] if p.section == 0 and p.cell is None and p.once(_contact)]
        if not lines:
            return []
        done = [f"địa chỉ '{norm(p.text)[:30]}': {x}" for p in lines for x in format_paragraph(p, "dia_chi")]
        prev = d.before(lines[0])
        if "top" not in lines[0].borders and not (prev is not None and (prev.border_bottom or prev.has_drawing)):
            edit.set_para(lines[0], top_border=True)
            done.append("địa chỉ: thêm đường kẻ phía trên")
        return done


def _contact(p: Paragraph) -> bool:
    return bool(L.CONTACT.match(normal(p)))


@register
class SignatureImage(Rule):
    """A signer's signature image (electronic documents): a PNG with a transparent background, placed between
    the chức vụ and the name. A .docx shows the format and the place; its colour is not judged."""

    id = "ES-01"

    def check(self, d: Located) -> Iterator[Finding]:
        titles, name = d.titles, d.name
        start, end = (_at(d.signer, titles[0]), _at(d.signer, name)) if titles and name is not None else (None, None)
        if start is None or end is None:
            return
        block = d.signer[start : end + 1]
        for p in block:
            for r in p.runs:
                if r.image_rel and not (part := d.doc.rels.get(r.image_rel, "")).lower().endswith(".png"):
                    yield self.finding(name.text, f"ảnh '{part.rsplit('/', 1)[-1]}' không phải PNG")
                    return


@register
class SealImage(Rule):
    """The seal image of an electronic document (PL I II.8.a): red, at the seal's real size, a PNG with a
    transparent background, over about a third of the signature image, on its left. A .docx shows the
    picture's bytes, the size it is shown at and where it floats: the seal is the signer block's picture whose
    ink is mostly red (or that its author named a seal)."""

    id = "ES-02"

    def check(self, d: Located) -> Iterator[Finding]:
        pics = image.pictures(d.signer)
        if not pics:
            return
        cfg = data.nd30()["check"]
        inks = {id(p): image.ink(b) if (b := image.image_bytes(d.doc, p.part)) else None for p in pics}
        names = [L.fold(n) for n in cfg["seal_names"]]

        def is_seal(p: image.Picture) -> bool:
            ink = inks[id(p)]
            words = f" {' '.join(L.fold(p.name).replace('.', ' ').replace('-', ' ').split())} "
            named = any(f" {n} " in words for n in names)
            return named or (ink is not None and ink.red_share >= cfg["seal_red_share"])

        seals = [p for p in pics if is_seal(p)]
        signatures = [p for p in pics if not any(p is s for s in seals)]
        for seal in seals:
            probs = []
            ink = inks[id(seal)]
            part = d.doc.rels.get(seal.part, seal.part).rsplit("/", 1)[-1]
            if ink is not None and ink.format != "PNG":
                probs.append(f"ảnh '{part}' là {ink.format}, không phải PNG")
            elif ink is not None and not ink.transparent:
                probs.append(f"ảnh '{part}' không có nền trong suốt")
            if ink is not None and ink.red_share < cfg["seal_red_share"]:
                probs.append("dấu không phải màu đỏ")
            low, high = cfg["seal_mm"]
            if not (low <= seal.width <= high and low <= seal.height <= high):
                probs.append(f"dấu hiển thị {seal.width:.0f} × {seal.height:.0f} mm, không phải kích thước thật")
            if signatures:
                probs += self._placement(seal, signatures[0], cfg["seal_cover"])
            if probs:
                yield self.finding(seal.paragraph.text or part, "; ".join(probs))

    @staticmethod
    def _placement(seal: image.Picture, sig: image.Picture, cover: list[float]) -> list[str]:
        """Over the signature's left part: judged when both float from the same frame with offsets (a picture
        in the line of text cannot cover another)."""
        if seal.frame is None:
            return ["dấu nằm trên dòng chữ (inline), không trùm lên chữ ký"]
        a, b = seal.box(), sig.box()
        if a is None or b is None or sig.frame is None or seal.frame.h_from != sig.frame.h_from:
            return []
        same_v = seal.frame.v_from == sig.frame.v_from and (
            seal.paragraph is sig.paragraph or seal.frame.v_from in ("page", "margin")
        )
        width = b[2] - b[0]
        covered = max(0.0, min(a[2], b[2]) - max(a[0], b[0])) / width if width > 0 else 0.0
        apart = same_v and (a[3] <= b[1] or b[3] <= a[1])
        if covered == 0 or apart:
            return ["dấu không trùm lên hình ảnh chữ ký"]
        if a[0] > b[0] or (a[0] + a[2]) / 2 > (b[0] + b[2]) / 2:
            return ["dấu phải trùm lên chữ ký về bên trái"]
        if not cover[0] <= covered <= cover[1]:
            return [f"dấu trùm {covered:.0%} chiều ngang chữ ký, cần khoảng 1/3"]
        return []
