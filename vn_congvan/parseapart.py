"""Files signed apart and electronic copies read back: Mẫu 2.2 (a phụ lục in its own file), Mẫu 1.3 điện tử (the
văn bản a quyết định ban hành, in its own file) and Mẫu 3.2 (bản sao điện tử). Each carries the agency's ký số
box at the top of page 1, read by the pattern that prints it (kinds.yaml `ky_so`, law.lines.KY_SO), and the first
two the '(Kèm theo … số …)' line of the văn bản they go with (law.lines.ATTACHED_LINE). parse.py reads the
page as any document; `reshape` turns what it read into the kind's own fields (`attached_to`, `signed_at`,
`appendices`, `attachment`, `copy_of`)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any, Protocol

from . import law, parseplace, units
from .law import find
from .law import lines as L


class _Line(Protocol):
    @property
    def text(self) -> str: ...

    @property
    def bold(self) -> bool | None: ...


def box(text: str) -> tuple[str, dict[str, str], datetime] | None:
    """The ký số box's kind (van_ban, ban_sao), values and time, or None."""
    return L.KY_SO.fields(find.norm(text))


def attached_issuer(lines: list[str]) -> str | None:
    """The issuer named by the first '(Kèm theo …)' line (a phụ lục file has no header of its own)."""
    return next((r.issuer for t in lines if (r := L.ATTACHED_LINE.read(t))), None)


def reshape(out: dict[str, Any], box_text: str, lines: list[_Line], named: bool) -> dict[str, Any]:
    """The parsed document as the kind its ký số box says it is. `named`: the page has a tên loại of its own
    under a header (Mẫu 1.3 điện tử), not a phụ lục's heading stack (Mẫu 2.2)."""
    read = box(box_text)
    if read is None:
        return out
    what, values, when = read
    copies = [k for k, f in law.specs.copy_formats().items() if f.get("ky_so") == what]
    if copies:
        return _copy(out, copies[0], values, when)
    kind = next((k for k in law.kinds().values() if k.ky_so == what and ("ten_loai" in k.elements) == named), None)
    so = L.SO.read(values.get("number", ""))
    symbol = find.symbol(so.code) if so else None
    at = next((k for k, x in enumerate(lines) if L.ATTACHED_LINE.read(x.text)), None)
    if kind is None or symbol is None or so is None or at is None:
        return out
    kem = L.ATTACHED_LINE.read(lines[at].text)
    assert kem is not None
    of = next((k for k in law.kinds().values() if L.fold(k.name) == L.fold(kem.kind) and not k.separate), None)
    if of is None:
        return out
    issuer = dict(out.get("issuer") or {})
    groups = symbol.split("-")
    if of.code and groups[0] == of.code and len(groups) > 1 and L.SO.GROUP.match(groups[1]):
        issuer["abbreviation"] = groups[1]
    day = _day(kem.date) or when.date()  # left blank in the line: the ký số carries it (PL I III.1.c)
    level = law.levels().get(issuer.get("level") or "")
    if "place" not in issuer and level is not None and level.is_territorial:
        # no date line in the file: a UBND's địa danh is its own unit's name (PL I II.4)
        unit = parseplace.header_unit(issuer.get("header") or [], units.era_for(day))
        issuer["place"] = unit.name if unit is not None else None
        issuer = {k: v for k, v in issuer.items() if v is not None}
    attached: dict[str, Any] = {"kind": of.key, "number": int(so.number or kem.number or 0) or None}
    if "abbreviation" not in issuer or of.symbol(issuer["abbreviation"]) != symbol:
        attached["symbol"] = symbol
    attached["date"] = day.isoformat()
    new: dict[str, Any] = {"kind": kind.key, "issuer": issuer, "attached_to": attached, "signed_at": when.isoformat()}
    if attached["number"] is None:
        new["draft"] = True  # 'Số:      /KH-UBND' in the box: a draft's blank
    if "phu_luc_so" in kind.elements:
        appendix = _appendix(out.get("appendices") or [])
        if appendix is not None:
            new["appendices"] = [appendix]
    elif out.get("kind") in law.kinds():
        new["attachment"] = _attachment(out, kem.lead, lines[at + 1 :])
    return new  # a campaign read from its words is not printed in the file: left out


def _day(d: L.DateRead) -> date | None:
    try:
        return date(int(d.year), int(d.month), int(d.day)) if d.day and d.month else None
    except ValueError:
        return None


def _copy(out: dict[str, Any], fmt: str, values: dict[str, str], when: datetime) -> dict[str, Any]:
    """Mẫu 3.2: the copied document as parsed, and the copy's form, body and time from the box."""
    form = next((k for k, m in law.specs.copy_marks().items() if m == values.get("mark")), None)
    if form is None:
        return out
    copy: dict[str, Any] = {"form": form, "format": fmt}
    agency = values.get("agency")
    if agency and agency != (out.get("issuer") or {}).get("name"):
        copy["name"] = agency
    copy["signed_at"] = when.isoformat()
    return {**out, "copy_of": copy}


def _appendix(appendices: list[dict[str, Any]]) -> dict[str, Any] | None:
    """Mẫu 2.2: 'Phụ lục II' gives its number; the '(Kèm theo …)' line is printed from `attached_to`."""
    if not appendices:
        return None
    a = dict(appendices[0])
    title = list(a.get("title") or [])
    if title and (m := L.PHU_LUC.match(title[0])):
        title = title[1:]
        if m["num"]:
            a = {"number": m["num"], **a}
    a["title"] = title
    if L.ATTACHED_LINE.read(a.get("attached") or ""):
        del a["attached"]
    return a


# Mẫu 1.3's articles: Phần, Chương, Mục (a number on its own line, the title under it), Điều, khoản, điểm.
_PART_STYLES = {"Phần": ("Phần I", 0), "Chương": ("Chương I", 1), "Mục": ("Mục 1", 2), "Tiểu mục": ("Mục 1", 2)}
_DEFAULT_NUMBERING = ["Chương I", "Điều 1.", "1.", "a)"]


def _attachment(out: dict[str, Any], lead: str, lines: list[_Line]) -> dict[str, Any]:
    """Mẫu 1.3 điện tử: the văn bản's tên loại and trích yếu, its lead ('Ban hành kèm theo') and its articles."""
    body, numbering = articles(lines)
    a: dict[str, Any] = {"kind": out["kind"], "title": out.get("title") or ""}
    if lead != "Ban hành kèm theo":
        a["attached"] = lead
    if numbering != _DEFAULT_NUMBERING[: len(numbering)]:
        a["numbering"] = numbering
    a["body"] = body
    return a


def articles(lines: list[_Line]) -> tuple[list[Any], list[str]]:
    """The body of a văn bản in Điều (Mẫu 1.1–1.3) as sections: Chương with its title line, Điều with its title
    (bold; text without layout: short, no closing stop) or its running text, khoản '1.' and điểm 'a)' as
    numbered text; other lines are paragraphs of the section above them. Returns the blocks and the numbering
    styles by depth."""
    root: dict[str, Any] = {"content": []}
    stack: list[tuple[int, dict[str, Any]]] = [(-1, root)]
    styles: dict[int, str] = {}
    k = 0

    def push(rank: int, style: str, node: dict[str, Any]) -> None:
        while stack[-1][0] >= rank:
            stack.pop()
        stack[-1][1]["content"].append(node)
        stack.append((rank, node))
        styles[rank] = style

    while k < len(lines):
        t = lines[k].text.strip()
        k += 1
        if m := (L.PART_HEAD.match(t) or L.SECTION_HEAD.match(t)):
            style, rank = _PART_STYLES[m["word"]]
            title = lines[k].text.strip() if k < len(lines) and find.is_caps(lines[k].text) else ""
            k += bool(title)
            push(rank, style, {"heading": title or t, "content": []})
        elif m := L.DIEU.match(t):
            titled = lines[k - 1].bold if lines[k - 1].bold is not None else _short(m["t"])
            push(3, "Điều 1.", {"heading" if titled else "numbered": m["t"], "content": []})
        elif (m := L.ARABIC_ITEM.match(t)) and "." not in m["n"].rstrip("."):
            push(4, "1.", {"numbered": m["t"], "content": []})
        elif m := L.DIEM.match(t):
            push(5, "a)", {"numbered": m["t"], "content": []})
        elif t:
            stack[-1][1]["content"].append(t)
    return _prune(root["content"]), [styles[r] for r in sorted(styles)]


def _short(text: str) -> bool:
    return 0 < len(text) <= 90 and not text.rstrip().endswith((".", ";", ":"))


def _prune(blocks: list[Any]) -> list[Any]:
    out = []
    for b in blocks:
        if isinstance(b, dict):
            b = {k: _prune(v) if k == "content" else v for k, v in b.items() if k != "content" or v}
        out.append(b)
    return out


def paper_copy(
    out: dict[str, Any], lines: list[str], signer: Callable[[list[str], str | None], dict[str, Any] | None]
) -> tuple[dict[str, Any], int]:
    """Mẫu 3.1: the bản sao block under the copied document (its lines after the signature: the copying body,
    'Số: 15/SY-SGDĐT', 'SAO Y', place and date, Nơi nhận, signer) as `copy_of`, and how many of `lines` it
    read (0: none). `signer` reads a signer block as parse does."""
    mark = next((k for k, t in enumerate(lines) if L.COPY_MARK.match(t)), None)
    so = next((r for t in lines if (r := L.SO.read(t))), None)
    code = find.symbol(so.code) if so else None
    forms = {c: k for k, c in law.specs.copy_codes().items()}
    groups = (code or "").split("-")
    if mark is None or so is None or code is None or forms.get(groups[0]) is None or len(groups) != 2:
        return out, 0
    copy: dict[str, Any] = {"form": forms[groups[0]]}
    issuer = out.get("issuer") or {}
    header = [t for t in lines[:mark] if find.is_caps(t) and not L.SO.match(t)]
    if header and header != issuer.get("header"):
        copy["header"] = header
    if groups[1] != issuer.get("abbreviation"):
        copy["abbreviation"] = groups[1]
    copy["number"] = int(so.number) if so.number else None
    read = 0
    heads: list[str] = []
    name = None
    distribution: list[str] = []
    for k, t in enumerate(lines):
        read = k + 1
        if (d := L.DATE.read(t)) and d.place and not d.tail.strip():
            if d.place != issuer.get("place"):
                copy["place"] = d.place
            copy["date"] = _day(d).isoformat() if _day(d) else None
        elif L.archive(t) is not None:
            continue  # 'Lưu: VT.': printed with the block
        elif t[:1] in "-–+" and L.DASH_ITEM.match(t):
            distribution.append(L.DASH_ITEM.sub(r"\g<t>", t).strip().rstrip(";.").strip())
        elif L.SIGNER.match(t) or (find.is_caps(t) and k > mark):
            heads.append(t)
        elif L.person_name(t) and heads:
            name = t
            break
    if distribution:
        copy["distribution"] = distribution
    if (who := signer(heads, name)) is not None:
        copy["signer"] = {k: v for k, v in who.items() if v is not None}
    return {**out, "copy_of": copy}, read
