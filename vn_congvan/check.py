"""ND30 checker: apply the nd30.md §16 rule table to any .docx, including documents made by hand in Word.

Elements are found by content and position (Quốc hiệu by its text, the date line by its pattern, the
signer block by TM./KT./… or a caps title followed by a name), not only by vn_congvan's own layout.
Formats, ranges and messages come from data/nd30.yaml (`elements`, `page`, `body`, `lines`, `rules`).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from . import ooxml
from .metrics import text_width
from .ooxml import Document, Paragraph, Table
from .paths import DATA

UPPER = "A-ZĐÀ-ỸÂĂÊÔƠƯ"
_KY_HIEU_GROUP = re.compile(rf"^[{UPPER}][A-Za-zĐđÀ-ỹ&]*$")
_SO_LOOSE = re.compile(r"^Số\b\s*(?P<colon>:?)\s*(?P<num>\d*)(?P<gap>\s*)/(?P<code>.*)$", re.IGNORECASE)
_SO_STRICT = re.compile(rf"^Số: ?(0[1-9]|[1-9]\d+| +)?/[{UPPER}][A-Za-zĐđÀ-ỹ&]*(-[{UPPER}][A-Za-zĐđÀ-ỹ&]*)+$")
_DATE_LOOSE = re.compile(r"^(?P<place>[^,]*?)\s*(?P<comma>,?)\s*ngày\b(?P<rest>.*\btháng\b.*\bnăm\b.*)$")
_DATE_PARTS = re.compile(r"^\s*(?P<d>\d*)\s*tháng\s*(?P<m>\d*)\s*năm\s*(?P<y>\d*)\s*\.?$")
_DATE_STRICT = re.compile(
    r"^(?P<place>[A-ZĐÂĂÊÔƠƯÁÀẢÃÈÉÌÍÒÓÕÙÚÝĨŨẠ-Ỹ][^,]*), ngày (?P<d>0[1-9]|[12]\d|3[01]| +) tháng "
    r"(?P<m>0[12]|[3-9]|1[0-2]| +) năm (?P<y>\d{4})$"
)
_SIGNER_PREFIX = re.compile(r"^(TM|KT|TL|TUQ|Q)\.\s")
_SIGNER_PREFIX_LOOSE = re.compile(r"^(TM|KT|TL|TUQ|Q)\b\.?\s*|^(T/M|K/T|T\.L|T\.M|K\.T)\b")
_LUU = re.compile(r"^- Lưu: VT(, [^.]+)?\.$")
_KH_O12 = re.compile(rf"^[{UPPER}]+\.\(\d+\)$")
_PHU_LUC = re.compile(r"^Phụ lục(?: (?P<num>[IVXLC]+|\d+))?$", re.IGNORECASE)
_KEM_THEO = re.compile(r"^\(Kèm theo .+\)$")
_ROMAN_HEAD = re.compile(r"^(Phần|Chương) [IVXLC]+$")
_MUC_HEAD = re.compile(r"^(Mục|Tiểu mục) \d+$")
_DIEU = re.compile(r"^Điều \d+\.")
_DIEM = re.compile(r"^([a-zđ])\) ")
_PHAN_MUC = re.compile(r"^[IVXLC]+\. ")
_HAS_LOWER = re.compile(r"[a-zđà-ỹ]")


@dataclass(frozen=True, slots=True)
class Finding:
    rule_id: str
    severity: str  # "error" | "warning"
    message: str
    where: str = ""


@dataclass(slots=True)
class Report:
    path: str
    findings: list[Finding] = field(default_factory=list)
    kind: str | None = None  # key in kinds.yaml, or None when not recognised

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "warning"]

    def rule_ids(self, severity: str | None = None) -> set[str]:
        return {f.rule_id for f in self.findings if severity is None or f.severity == severity}

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "ok": self.ok,
            "kind": self.kind,
            "findings": [asdict(f) for f in self.findings],
        }


@cache
def _data() -> dict[str, Any]:
    return yaml.safe_load((DATA / "nd30.yaml").read_text(encoding="utf-8"))


@cache
def _kinds_file() -> dict[str, Any]:
    return yaml.safe_load((DATA / "kinds.yaml").read_text(encoding="utf-8"))


def _kinds() -> dict[str, dict[str, Any]]:
    return _kinds_file()["kinds"]


def rules() -> dict[str, dict[str, Any]]:
    """The rule table (id -> severity, message, ref[, missing]) from nd30.yaml."""
    return _data()["rules"]


# --- text helpers ---------------------------------------------------------------------------------

# Old and new tone placement are equal for comparisons (nd30.md §13, "checker normalisation").
_TONE_PAIRS = [
    ("oà", "òa"),
    ("oá", "óa"),
    ("oả", "ỏa"),
    ("oã", "õa"),
    ("oạ", "ọa"),
    ("uỳ", "ùy"),
    ("uý", "úy"),
    ("uỷ", "ủy"),
    ("uỹ", "ũy"),
    ("uỵ", "ụy"),
    ("oè", "òe"),
    ("oé", "óe"),
    ("oẻ", "ỏe"),
    ("oẽ", "õe"),
    ("oẹ", "ọe"),
]


def norm(text: str) -> str:
    """NFC, single spaces, stripped."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip()


def fold(text: str) -> str:
    """Comparison key: NFC, case-folded, tone placement unified, single spaces."""
    t = norm(text).lower()
    for old, new in _TONE_PAIRS:
        t = t.replace(old, new)
    return t


def display(p: Paragraph) -> str:
    """Text as it appears on the page: runs with w:caps are upper-cased."""
    return norm("".join(r.text.upper() if r.props.caps else r.text for r in p.runs))


def excerpt(text: str, limit: int = 60) -> str:
    t = norm(text)
    return t if len(t) <= limit else t[: limit - 1] + "…"


def is_caps(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters)


def _in(value: int | None, rng: list[int]) -> bool:
    return value is not None and rng[0] <= value <= rng[1]


def _empty(p: Paragraph) -> bool:
    return not p.text.strip() and not p.has_drawing


def _underscores(p: Paragraph) -> bool:
    t = p.text.strip()
    return len(t) >= 3 and set(t) <= {"_"}


# --- the checker ----------------------------------------------------------------------------------


class _Checker:
    def __init__(self, doc: Document, report: Report) -> None:
        self.doc = doc
        self.report = report
        self.data = _data()
        self.el = self.data["elements"]
        self.cfg = self.data["check"]
        self.paras = [p for p in doc.paragraphs()]
        self.pos = {id(p): i for i, p in enumerate(self.paras)}
        self.used: set[int] = set()  # ids of paragraphs already claimed by a header element

    # reporting
    def emit(self, rule_id: str, where: str = "", detail: str = "", *, severity: str | None = None) -> None:
        rule = rules()[rule_id]
        msg = rule["message"] + (f" ({detail})" if detail else "")
        self.report.findings.append(Finding(rule_id, severity or rule["severity"], msg, excerpt(where)))

    def missing(self, rule_id: str, where: str = "") -> None:
        rule = rules()[rule_id]
        self.report.findings.append(
            Finding(rule_id, rule["severity"], rule.get("missing", rule["message"]), excerpt(where))
        )

    # formatting helpers
    def fmt_problems(self, p: Paragraph, elem: str, *, check_caps: bool = True) -> list[str]:
        """What in `p` differs from elements.<elem> (size range, bold, italic, caps, alignment)."""
        spec = self.el[elem]
        runs = p.visible_runs()
        out: list[str] = []
        sizes = {r.props.size for r in runs}
        bad = sorted(s for s in sizes if not _in(s, spec["range"])) if runs else []
        if bad or None in sizes:
            shown = ", ".join("?" if s is None else f"{s / 2:g}" for s in sorted(sizes, key=lambda s: s or 0))
            out.append(f"cỡ chữ {shown} pt, cần {spec['range'][0] / 2:g}–{spec['range'][1] / 2:g}")
        if "bold" in spec and runs:
            if spec["bold"] and not all(r.props.bold for r in runs):
                out.append("chưa in đậm")
            elif not spec["bold"] and any(r.props.bold for r in runs):
                out.append("không được in đậm")
        if "italic" in spec and runs:
            if spec["italic"] and not all(r.props.italic for r in runs):
                out.append("chưa in nghiêng")
            elif not spec["italic"] and any(r.props.italic for r in runs):
                out.append("không được in nghiêng")
        if check_caps and spec.get("caps") and not is_caps(display(p)):
            out.append("chưa in hoa")
        align = spec.get("align")
        if align == "center" and p.align != "center":
            out.append("chưa canh giữa")
        elif align == "both" and p.align != "both":
            out.append("chưa canh đều hai lề")
        elif align == "left" and p.align not in (None, "left", "both"):
            out.append("chưa canh trái")
        return out

    def check_fmt(self, rule_id: str, p: Paragraph, elem: str, *, check_caps: bool = True) -> bool:
        probs = self.fmt_problems(p, elem, check_caps=check_caps)
        if probs:
            self.emit(rule_id, p.text, "; ".join(probs))
        return not probs

    def siblings(self, p: Paragraph) -> list[Paragraph]:
        """Paragraphs of the same container (cell or top-level body) in order."""
        if p.cell is not None:
            return p.cell.paragraphs
        return [b for b in self.doc.body if isinstance(b, Paragraph)]

    def after(self, p: Paragraph, n: int = 6) -> list[Paragraph]:
        sib = self.siblings(p)
        i = next(i for i, q in enumerate(sib) if q is p)
        return sib[i + 1 : i + 1 + n]

    def container_width(self, p: Paragraph) -> int:
        """Text width available to `p`, twips, before its own indents."""
        if p.cell is not None and p.cell.effective_width:
            return p.cell.effective_width - 2 * self.cfg["cell_margin"]
        sec = self.doc.sections[min(p.section, len(self.doc.sections) - 1)]
        return sec.text_width or 9355

    def measure(self, p: Paragraph) -> float:
        """Width of the longest rendered line of `p`, twips (wrapping capped at the container)."""
        total = 0.0
        for r in p.visible_runs():
            size = (r.props.size or 24) / 2
            total += text_width(r.text.upper() if r.props.caps else r.text, size, r.props.bold) * 20
        avail = self.container_width(p) - p.ind_left - p.ind_right
        return min(total, float(avail))

    # --- short lines (TN-02, CQ-03, TL-03) -------------------------------------------------------
    def check_line(self, rule_id: str, text_p: Paragraph, ratio: list[float], tol: float = 0.0) -> None:
        """A solid line right under `text_p`: bottom border (own or of the next empty paragraph), a shape,
        or underscores; its length relative to the measured text width must be within `ratio`."""
        candidates: list[Paragraph] = [text_p]
        for q in self.after(text_p, 2):
            if _empty(q) or _underscores(q) or (q.has_drawing and not q.text.strip()):
                candidates.append(q)
                if q.border_bottom or q.has_drawing or _underscores(q):
                    break
            else:
                break
        text_w = self.measure(text_p)
        for q in candidates:
            self.used.add(id(q))
            if q.has_drawing and not q.text.strip():
                return  # a drawn line: accepted, length not measured
            if _underscores(q):
                size = (q.visible_runs()[0].props.size or 24) / 2
                length = text_width(q.text.strip(), size) * 20
                self._line_ratio(rule_id, text_p, length, text_w, ratio, tol, centred=q.align == "center")
                return
            b = q.border_bottom
            if b is not None:
                if b.val not in ("single", "thick"):
                    self.emit(rule_id, text_p.text, f"đường kẻ kiểu '{b.val}', cần nét liền")
                avail = self.container_width(q)
                length = avail - q.ind_left - q.ind_right
                if q is text_p and q.ind_left == q.ind_right == 0 and ratio[1] < 0.9:
                    length = avail  # a border on the text paragraph spans the whole cell
                centred = abs(q.ind_left - q.ind_right) <= self.cfg["centre_tolerance"] * avail
                self._line_ratio(rule_id, text_p, length, text_w, ratio, tol, centred=centred)
                return
        if rule_id == "TN-02" and any(r.props.underline for r in text_p.visible_runs()):
            self.emit(rule_id, text_p.text, "dùng gạch chân chữ thay cho đường kẻ", severity="warning")
            return
        self.missing(rule_id, text_p.text)

    def _line_ratio(
        self, rule_id: str, p: Paragraph, length: float, text_w: float, ratio: list[float], tol: float, centred: bool
    ) -> None:
        if text_w <= 0:
            return
        r = length / text_w
        if not (ratio[0] - tol <= r <= ratio[1] + tol):
            self.emit(
                rule_id,
                p.text,
                f"đường kẻ dài {length / 56.7:.0f} mm = {r:.0%} dòng chữ ({text_w / 56.7:.0f} mm), "
                f"cần {ratio[0]:.0%}–{ratio[1]:.0%}",
            )
        elif not centred:
            self.emit(rule_id, p.text, "đường kẻ không cân đối giữa")

    # --- page setup, fonts, page numbers ---------------------------------------------------------
    def check_page(self) -> None:
        page = self.data["page"]
        tol = page["tolerance"]
        mtol = page["margin_tolerance"]
        sections_with_table = {b.section for b in self.doc.body if isinstance(b, Table)}
        for s in self.doc.sections:
            where = f"Mục (section) {s.index + 1}"
            w, h = s.page_width, s.page_height
            portrait = _near(w, page["width"], tol) and _near(h, page["height"], tol)
            landscape = _near(w, page["height"], tol) and _near(h, page["width"], tol)
            if not portrait and not (landscape and (s.index > 0 or s.index in sections_with_table)):
                size = f"{(w or 0) / 56.7:.0f} × {(h or 0) / 56.7:.0f} mm" if w and h else "không rõ"
                self.emit("PAGE-01", where, size)
            for side, rid in (("top", "PAGE-02"), ("bottom", "PAGE-03"), ("left", "PAGE-04"), ("right", "PAGE-05")):
                lo, hi, _default = page["margins"][side]
                v = s.margins.get(side)
                if landscape and s.index > 0:
                    continue  # landscape phụ lục pages rotate the margins (PL I sample: L30/R15/T20/B15)
                if v is None or not (lo - mtol <= v <= hi + mtol):
                    self.emit(rid, where, f"{(v or 0) / 56.7:.1f} mm".replace(".", ","))

    def check_fonts(self) -> None:
        accepted = {fold(f) for f in self.data["font"]["accepted"]}
        forbidden = {fold(f) for f in self.data["font"]["forbidden"]}
        bad_fonts: dict[str, tuple[int, str]] = {}
        bad_colors: dict[str, tuple[int, str]] = {}
        legacy: dict[str, str] = {}
        not_nfc = ""
        for p, r in self.doc.all_runs():
            if not r.text.strip():
                continue
            names = {r.props.fonts.get(slot) for slot in ("ascii", "hAnsi", "cs")}
            for name in names:
                if name is None or fold(name) in accepted:
                    continue
                if fold(name) in forbidden or fold(name).startswith((".vn", "vni")):
                    legacy.setdefault(name, p.text)
                n, w = bad_fonts.get(name, (0, p.text))
                bad_fonts[name] = (n + 1, w)
            c = r.props.color
            if c and c.lower() not in ("auto", "000000"):
                n, w = bad_colors.get(c, (0, p.text))
                bad_colors[c] = (n + 1, w)
            if not not_nfc and unicodedata.normalize("NFC", r.text) != r.text:
                not_nfc = p.text
        for name, (n, w) in bad_fonts.items():
            self.emit("FONT-01", w, f"phông '{name}' ở {n} đoạn chữ")
        for color, (n, w) in bad_colors.items():
            self.emit("FONT-02", w, f"màu #{color} ở {n} đoạn chữ")
        for name, w in legacy.items():
            self.emit("FONT-03", w, f"phông '{name}'")
        if not_nfc:
            self.emit("FONT-03", not_nfc, "chữ tổ hợp chưa chuẩn hóa NFC")

    def estimate_pages(self) -> float:
        lines = 0.0
        for p in self.paras:
            sizes = [r.props.size or 24 for r in p.visible_runs()]
            if p.cell is not None and p.cell.col > 0:
                continue  # side-by-side cells share lines with the left cell
            size = max(sizes, default=26) / 2
            w = self.container_width(p) / 20
            lines += max(1.0, text_width(p.text, size) / max(w, 1.0)) * size / 14 + p.space_before / 280
        return lines / self.cfg["page_estimate_lines"]

    def check_page_numbers(self) -> None:
        el = self.el["so_trang"]
        for hf in self.doc.header_footer_parts():
            if hf.kind == "footer" and hf.has_page_field:
                p = next(p for p in hf.paragraphs() if p.has_page_field)
                self.emit("PGN-01", p.text or hf.part, "số trang đặt ở chân trang (footer)")
        first = self.doc.sections[0]
        default = first.headers.get("default")
        numbered = default is not None and default.has_page_field
        if not numbered:
            if self.estimate_pages() > 1.0 and not any(
                h.has_page_field for s in self.doc.sections for h in s.headers.values()
            ):
                self.missing("PGN-01", "Mục (section) 1")
        else:
            assert default is not None
            p = next(p for p in default.paragraphs() if p.has_page_field)
            probs = []
            if p.align != "center":
                probs.append("chưa canh giữa")
            runs = p.visible_runs() or p.runs
            if any(not _in(r.props.size, el["range"]) for r in runs):
                probs.append(f"cỡ chữ cần {el['range'][0] / 2:g}–{el['range'][1] / 2:g}")
            if any(r.props.bold or r.props.italic for r in runs):
                probs.append("không được đậm hoặc nghiêng")
            if probs:
                self.emit("PGN-01", p.text or "PAGE", "; ".join(probs))
            first_hdr = first.headers.get("first")
            if not first.title_pg:
                self.emit("PGN-02", "Mục (section) 1", "thiếu thiết lập 'Trang đầu khác' (titlePg)")
            elif first_hdr is not None and first_hdr.has_page_field:
                self.emit("PGN-02", "Mục (section) 1", "đầu trang của trang đầu có trường PAGE")
        # PGN-03: each phụ lục section restarts at 1
        for s in self.doc.sections[1:]:
            heads = [p for p in self.paras if p.section == s.index and p.cell is None]
            if any(_PHU_LUC.match(norm(p.text)) for p in heads[:5]) and s.pgnum_start != 1:
                self.emit("PGN-03", f"Mục (section) {s.index + 1}")

    # --- header block ------------------------------------------------------------------------------
    def find_quoc_hieu(self) -> Paragraph | None:
        accepted = {fold(q) for q in self.data["quoc_hieu_accepted"]}
        for p in self.paras[:60]:
            if fold(p.text) in accepted:
                return p
        return None

    def next_nonempty(self, p: Paragraph, n: int = 4) -> tuple[Paragraph | None, int]:
        skipped = 0
        for q in self.after(p, n):
            if q.text.strip():
                return q, skipped
            skipped += 1
        return None, skipped

    def check_quoc_hieu(self) -> Paragraph | None:
        qh = self.find_quoc_hieu()
        if qh is None:
            self.missing("QH-01")
            return None
        self.used.add(id(qh))
        probs = self.fmt_problems(qh, "quoc_hieu")
        if display(qh) not in self.data["quoc_hieu_accepted"]:
            probs.append("viết sai chữ hoặc chưa in hoa")
        if qh.cell is not None and qh.cell.col == 0 and qh.cell.table and qh.cell.table.n_cols > 1:
            probs.append("phải ở ô bên phải")
        if qh.section != 0:
            probs.append("phải ở trang đầu")
        if probs:
            self.emit("QH-01", qh.text, "; ".join(dict.fromkeys(probs)))
        # HDR-02: one line in its column
        size = max((r.props.size or 24 for r in qh.visible_runs()), default=24) / 2
        need = text_width(display(qh), size, bold=True) * 20
        avail = self.container_width(qh) - qh.ind_left - qh.ind_right
        if need > avail:
            self.emit("HDR-02", qh.text, f"cần {need / 56.7:.0f} mm, cột chỉ có {avail / 56.7:.0f} mm")
        # Tiêu ngữ right after it
        tn, skipped = self.next_nonempty(qh)
        if tn is None or not all(w in fold(tn.text) for w in ("độc lập", "tự do", "hạnh phúc")):
            self.missing("TN-01", qh.text)
            return qh
        self.used.add(id(tn))
        probs = self.fmt_problems(tn, "tieu_ngu")
        text = norm(tn.text)
        if text != self.data["tieu_ngu"]:
            if re.search(r"[–—]", text):
                probs.append("dùng gạch ngang dài (–) thay cho gạch nối (-)")
            elif re.search(r"\S-|-\S", text):
                probs.append("thiếu khoảng trắng quanh gạch nối")
            elif fold(text) == fold(self.data["tieu_ngu"]):
                probs.append("viết hoa sai: chỉ viết hoa chữ đầu mỗi cụm từ")
            else:
                probs.append(f"viết là '{text}'")
        if probs:
            self.emit("TN-01", tn.text, "; ".join(probs))
        if skipped or (qh.line_rule == "auto" and qh.line and qh.line > 276):
            self.emit("QHTN-SP", tn.text, "có dòng trống hoặc giãn dòng lớn" if skipped else "giãn dòng lớn")
        lines = self.data["lines"]["tieu_ngu"]
        self.check_line("TN-02", tn, lines["ratio"])
        return qh

    def header_left(self, qh: Paragraph | None) -> list[Paragraph]:
        """Paragraphs of the left header block (ô 2, 3, 5b)."""
        if qh is not None and qh.cell is not None and qh.cell.table is not None:
            row = qh.cell.table.rows[qh.cell.row]
            left = [c for c in row.cells if c.col < qh.cell.col]
            if left:
                return left[0].paragraphs
        # Hand-made layouts without a table: top-level paragraphs before the first tên loại / body.
        out = []
        for p in self.paras[:30]:
            if p.cell is None:
                out.append(p)
        return out

    def check_issuer(self, left: list[Paragraph]) -> None:
        issuer: list[Paragraph] = []
        for p in left:
            if id(p) in self.used:
                continue
            t = norm(p.text)
            if not t:
                if issuer:
                    break
                continue
            if _SO_LOOSE.match(t) or _DATE_LOOSE.match(t) or t.lower().startswith("v/v"):
                break
            if not is_caps(display(p)) and not issuer:
                break  # the block starts with something else (hand-made layouts)
            if not is_caps(display(p)) and issuer:
                break
            issuer.append(p)
        if not issuer:
            self.missing("CQ-01")
            return
        # Leading non-bold lines are the chủ quản, the rest the issuing body.
        bolds = [all(r.props.bold for r in p.visible_runs()) for p in issuer]
        split = 0
        if any(bolds):
            while split < len(issuer) and not bolds[split]:
                split += 1
        for p in issuer[:split]:
            self.used.add(id(p))
            self.check_fmt("CQ-02", p, "chu_quan")
        for p in issuer[split:]:
            self.used.add(id(p))
            self.check_fmt("CQ-01", p, "co_quan")
        last = issuer[-1]
        spec = self.data["lines"]["co_quan"]
        self.check_line("CQ-03", last, spec["ratio"], spec.get("tolerance", 0.0))

    def find_so(self, candidates: Iterable[Paragraph]) -> Paragraph | None:
        for p in candidates:
            if _SO_LOOSE.match(norm(p.text)):
                return p
        return None

    def check_so(self, p: Paragraph | None, kind: str | None) -> None:
        if p is None:
            self.missing("SO-01")
            return
        self.used.add(id(p))
        raw = unicodedata.normalize("NFC", p.text).strip()
        m = _SO_LOOSE.match(norm(raw))
        assert m is not None
        probs = self.fmt_problems(p, "so_ky_hieu")
        # "Số" itself must not be bold (the number may be, by hand)
        probs = [x for x in probs if x != "không được in đậm"]
        so_runs = [r for r in p.visible_runs() if "S" in r.text or "ố" in r.text][:1]
        if so_runs and so_runs[0].props.bold:
            probs.append("chữ 'Số' không được in đậm")
        if not m.group("colon") or not raw.startswith("Số"):
            probs.append("phải viết 'Số:'")
        num = m.group("num")
        code_raw = m.group("code")
        code = code_raw.strip()
        if num and len(num) == 1:
            self.emit("SO-02", p.text, f"'{num}' phải viết '0{num}'")
        if num and m.group("gap"):
            self.emit("SO-03", p.text, "khoảng trắng trước '/'")
        if code_raw != code_raw.lstrip() or re.search(r"\s", code):
            self.emit("SO-03", p.text, "khoảng trắng trong ký hiệu")
        groups = [g.strip() for g in code.split("-")]
        if len(groups) < 2 or not all(_KY_HIEU_GROUP.match(g) for g in groups):
            probs.append("ký hiệu phải gồm các nhóm chữ in hoa nối bằng '-' (ví dụ KH-UBND)")
        if probs:
            self.emit("SO-01", p.text, "; ".join(probs))
        first = groups[0] if groups else ""
        codes = {k["code"] for k in _kinds().values() if k.get("code")}
        codes |= set(_kinds_file().get("copies", {}).values())
        upper_codes = {c.upper(): c for c in codes}
        if kind == "cong_van":
            if first.upper() in upper_codes or first.upper() == "CV":
                self.emit("SO-04", p.text, f"công văn không dùng chữ viết tắt tên loại '{first}'")
            return
        want = _kinds()[kind]["code"] if kind else None
        if first not in codes and first.upper() in upper_codes:
            self.emit("SO-05", p.text, f"viết '{first}', đúng là '{upper_codes[first.upper()]}'")
        elif want and first != want:
            self.emit("SO-04", p.text, f"'{first}' không khớp tên loại, cần '{want}'")

    def find_date(self, candidates: Iterable[Paragraph]) -> Paragraph | None:
        for p in candidates:
            t = norm(p.text)
            if t.startswith("V/v"):  # a trích yếu may mention a date; it is not the date line
                continue
            if _DATE_LOOSE.match(t) and _DATE_PARTS.match(_DATE_LOOSE.match(t).group("rest")):  # type: ignore[union-attr]
                return p
        return None

    def check_date(self, p: Paragraph | None, so: Paragraph | None) -> None:
        if p is None:
            self.missing("DD-01")
            return
        self.used.add(id(p))
        text = unicodedata.normalize("NFC", p.text).strip()
        loose = _DATE_LOOSE.match(norm(text))
        assert loose is not None
        parts = _DATE_PARTS.match(loose.group("rest"))
        assert parts is not None
        probs = self.fmt_problems(p, "dia_danh")
        place = loose.group("place")
        if not loose.group("comma"):
            probs.append("thiếu dấu phẩy sau địa danh")
        d, m, y = parts.group("d"), parts.group("m"), parts.group("y")
        if d and m and y:
            try:
                dt.date(int(y), int(m), int(d))
            except ValueError:
                probs.append("ngày không hợp lệ")
        if not y:
            probs.append("thiếu năm")
        if (bool(d) != bool(m)) and not (m and not d):  # a day without a month is not a draft
            probs.append("thiếu ngày hoặc tháng")
        pad = []
        if d and (len(d) == 1 or (len(d) == 2 and d.startswith("0") and d == "00")):
            pad.append(f"ngày '{d}' phải viết '{int(d):02d}'")
        if m:
            mi = int(m)
            if mi in (1, 2) and m != f"0{mi}":
                pad.append(f"tháng '{m}' phải viết '0{mi}'")
            elif mi >= 3 and m != str(mi):
                pad.append(f"tháng '{m}' phải viết '{mi}'")
        if pad:
            self.emit("DD-02", p.text, "; ".join(pad))
        # Strict pattern with blanks allowed for drafts; padding problems are DD-02's.
        strict = re.sub(r"ngày +tháng", "ngày   tháng", text)
        strict = re.sub(r"tháng +năm", "tháng   năm", strict)
        if not pad and not _DATE_STRICT.match(strict) and not probs:
            probs.append("sai mẫu 'Địa danh, ngày … tháng … năm …'")
        same_table = so is not None and so.cell is not None and p.cell is not None and so.cell.table is p.cell.table
        if same_table and p.cell.col <= so.cell.col:  # type: ignore[union-attr]
            probs.append("phải ở ô bên phải, ngang dòng số, ký hiệu")
        if probs:
            self.emit("DD-01", p.text, "; ".join(probs))
        if re.search(r"\bT[Pp]\.|\bHCM\b|^Tp\b", place) or (place and not place[0].isupper()):
            self.emit("DD-03", p.text, f"'{place}'")

    def find_ten_loai(self, start: int) -> tuple[str | None, Paragraph | None]:
        names = {fold(k["name"]): key for key, k in _kinds().items() if k["layout"] == "co_ten_loai"}
        for p in self.paras[start : start + 40]:
            if id(p) in self.used:
                continue
            key = names.get(fold(display(p)).rstrip(":"))
            if key and fold(display(p)).rstrip(":") == fold(display(p)):
                return key, p
        return None, None

    def check_ten_loai(self, p: Paragraph) -> None:
        self.used.add(id(p))
        self.check_fmt("TL-01", p, "ten_loai")
        ty: list[Paragraph] = []
        for q in self.after(p, 6):
            if not q.text.strip():
                break
            if _SO_LOOSE.match(norm(q.text)) or fold(q.text).startswith(("căn cứ", "kính gửi")):
                break
            if ty and (q.align != "center" or not all(r.props.bold for r in q.visible_runs())):
                break  # a wrapped trích yếu continues only with centred bold lines
            ty.append(q)
            if q.border_bottom or len(ty) >= 3:
                break
        if not ty:
            self.missing("TL-02", p.text)
            return
        for q in ty:
            self.used.add(id(q))
            probs = self.fmt_problems(q, "trich_yeu")
            if not _HAS_LOWER.search(display(q)) and display(q) != display(q).lower():
                probs.append("trích yếu không viết toàn chữ in hoa")
            if probs:
                self.emit("TL-02", q.text, "; ".join(probs))
        spec = self.data["lines"]["trich_yeu"]
        self.check_line("TL-03", ty[-1], spec["ratio"], spec.get("tolerance", 0.0))

    def check_vv(self, p: Paragraph | None, so: Paragraph | None, kind: str | None) -> None:
        if p is None:
            if kind == "cong_van":
                self.missing("VV-01")
            return
        self.used.add(id(p))
        probs = self.fmt_problems(p, "vv")
        if not norm(p.text).startswith("V/v "):
            probs.append("phải bắt đầu bằng 'V/v ' (chữ V hoa, v thường)")
        if so is not None and so.cell is not None and p.cell is not so.cell:
            probs.append("phải ở cùng ô, dưới số và ký hiệu")
        prev = self._prev(p)
        before = p.space_before + (prev.space_after if prev is not None else 0)
        if before < self.el["vv"].get("space_before", 120) - 30:
            probs.append("cần cách dòng số, ký hiệu 6pt")
        if p.border_bottom:
            probs.append("không kẻ đường dưới V/v")
        if probs:
            self.emit("VV-01", p.text, "; ".join(probs))

    def _prev(self, p: Paragraph) -> Paragraph | None:
        sib = self.siblings(p)
        i = next(i for i, q in enumerate(sib) if q is p)
        return sib[i - 1] if i else None

    # --- Kính gửi --------------------------------------------------------------------------------
    def check_kinh_gui(self, p: Paragraph) -> list[Paragraph]:
        self.used.add(id(p))
        probs = self.fmt_problems(p, "kinh_gui")
        if probs:
            self.emit("KG-01", p.text, "; ".join(probs))
        t = norm(p.text)
        after_colon = t.split(":", 1)[1].strip() if ":" in t else ""
        recipients: list[Paragraph] = []
        for q in self.after(p, 30):
            qt = norm(q.text)
            if not qt:
                break
            if qt.startswith(("-", "–", "+")) or q.num_text:
                recipients.append(q)
                self.used.add(id(q))
            else:
                break
        if ":" not in t:
            self.emit("KG-02", p.text, "thiếu dấu ':' sau 'Kính gửi'")
        if after_colon and recipients:
            self.emit("KG-02", p.text, "nhiều nơi nhận thì xuống dòng sau dấu ':'")
        elif after_colon and after_colon.count(";") >= 1:
            self.emit("KG-02", p.text, "nhiều nơi nhận phải ghi mỗi nơi một dòng")
        elif not after_colon and len(recipients) == 1:
            self.emit("KG-02", recipients[0].text, "một nơi nhận thì ghi cùng dòng 'Kính gửi:'")
        elif not after_colon and not recipients:
            self.emit("KG-02", p.text, "chưa ghi nơi nhận")
        if len(recipients) >= 2:
            for q in recipients[:-1]:
                if not norm(q.text).endswith(";"):
                    self.emit("KG-02", q.text, "dòng phải kết thúc bằng ';'")
            if not norm(recipients[-1].text).endswith("."):
                self.emit("KG-02", recipients[-1].text, "dòng cuối phải kết thúc bằng '.'")
            if len({q.ind_left - q.ind_hanging for q in recipients}) > 1:
                self.emit("KG-02", recipients[0].text, "các gạch đầu dòng chưa thẳng hàng")
        return recipients

    # --- signature block and Nơi nhận ----------------------------------------------------------
    def find_noi_nhan(self) -> Paragraph | None:
        # The main document's label stands alone after its body ("Nơi nhận hồ sơ: …" in the body is
        # text; a phụ lục's report form, in a later section, has its own).
        main = [p for p in self.paras if p.section == 0] or self.paras
        for p in reversed(main):
            if fold(p.text).startswith("nơi nhận") and len(norm(p.text)) <= len("Nơi nhận:") + 1:
                return p
        return next((p for p in main if fold(p.text).startswith("nơi nhận")), None)

    def find_signer(self, body_start: int, nn: Paragraph | None) -> list[Paragraph]:
        """Paragraphs of the signer block: chức vụ lines, gap, họ tên."""
        # (1) the other cell of the Nơi nhận row
        if nn is not None and nn.cell is not None and nn.cell.table is not None:
            row = nn.cell.table.rows[nn.cell.row]
            others = [c for c in row.cells if c is not nn.cell and c.text.strip()]
            if others:
                return others[-1].paragraphs
        # (2) a paragraph starting with an authority prefix, or a caps line followed by a name
        for i in range(body_start, len(self.paras)):
            p = self.paras[i]
            if id(p) in self.used:
                continue
            t = display(p)
            if _SIGNER_PREFIX_LOOSE.match(t) and is_caps(t):
                if p.cell is not None:
                    return p.cell.paragraphs
                return self.paras[i : i + 12]
        # (3) the last caps bold line followed, after empty lines, by a short Title Case line
        end = self.pos[id(nn)] if nn is not None else len(self.paras)
        for i in range(end - 1, max(body_start, end - 25), -1):
            p = self.paras[i]
            if is_caps(display(p)) and all(r.props.bold for r in p.visible_runs()) and id(p) not in self.used:
                rest = [q for q in self.paras[i + 1 : i + 10] if q.text.strip()]
                if rest and _looks_like_name(rest[0].text):
                    if p.cell is not None:
                        return p.cell.paragraphs
                    j = self.pos[id(rest[0])]
                    return self.paras[i : j + 1]
        return []

    def check_signer(self, block: list[Paragraph]) -> None:
        texts = [p for p in block if p.text.strip() and not fold(p.text).startswith("nơi nhận")]
        if not texts:
            self.missing("SIG-01")
            return
        for p in block:
            self.used.add(id(p))
        after = block[block.index(texts[-1]) + 1 :] if texts[-1] in block else []
        if sum(1 for q in after if _empty(q)) >= self.cfg["signature_gap_min"]:
            # Titles, then the signature gap, then nothing: a document awaiting its signer's name.
            self.check_signer_titles(texts)
            self.emit("SIG-03", texts[-1].text, "chưa có họ tên người ký (missing name)", severity="warning")
            return
        name = texts[-1]
        titles = texts[:-1]
        if not titles:
            self.missing("SIG-01", name.text)
        self.check_signer_titles(titles)
        self.check_signer_name(name, titles, block)

    def check_signer_titles(self, titles: list[Paragraph]) -> None:
        for i, p in enumerate(titles):
            t = display(p)
            probs = self.fmt_problems(p, "chuc_vu")
            m = _SIGNER_PREFIX_LOOSE.match(t)
            if m and not _SIGNER_PREFIX.match(t):
                probs.append(f"viết tắt '{m.group(0).strip()}' sai, dùng 'TM.', 'KT.', 'TL.', 'TUQ.', 'Q.'")
            if probs:
                self.emit("SIG-01", p.text, "; ".join(probs))
            if re.match(r"^(KT|TL)\. ", t) and (i + 1 >= len(titles)):
                self.emit("SIG-02", p.text)

    def check_signer_name(self, name: Paragraph, titles: list[Paragraph], block: list[Paragraph]) -> None:
        probs = self.fmt_problems(name, "ho_ten")
        nt = norm(name.text)
        if display(name) != nt or not _looks_like_name(nt, allow_titles=True):
            probs.append("viết hoa chữ cái đầu mỗi tiếng, không in hoa toàn bộ")
        acad = "|".join(self.data["academic_titles"])
        if re.match(rf"^({acad})\.?\s", nt):
            probs.append("không ghi học hàm, học vị trước họ tên")
        if probs:
            self.emit("SIG-03", name.text, "; ".join(probs))
        if titles:
            gap_from = block.index(titles[-1]) if titles[-1] in block else 0
            gap = block[gap_from + 1 : block.index(name)] if name in block else []
            empties = sum(1 for q in gap if _empty(q))
            if empties < self.cfg["signature_gap_min"] and not any(q.has_drawing for q in gap):
                self.emit("SIG-04", name.text, f"chỉ có {empties} dòng trống")

    def check_noi_nhan(self, nn: Paragraph | None, has_kinh_gui: bool, required: bool) -> None:
        if nn is None:
            if required:
                self.missing("NN-01")
            return
        self.used.add(id(nn))
        probs = self.fmt_problems(nn, "noi_nhan_label")
        if norm(nn.text) != "Nơi nhận:":
            probs.append("phải viết đúng 'Nơi nhận:'")
        if nn.cell is not None and nn.cell.col > 0:
            probs.append("phải ở ô bên trái")
        if probs:
            self.emit("NN-01", nn.text, "; ".join(probs))
        items: list[Paragraph] = []
        o12: Paragraph | None = None
        for q in self.after(nn, len(self.paras)):
            t = norm(q.text)
            if not t:
                if items:
                    break
                continue
            is_item = t.startswith(("-", "–", "+")) or bool(q.num_text)
            if not is_item and (items or q.cell is None):
                if q.cell is not None:
                    o12 = q  # a line after the list in the same cell: ô 12, drafter + copies
                break
            items.append(q)
        for q in items:
            self.used.add(id(q))
        if not items:
            self.emit("NN-02", nn.text, "chưa ghi nơi nhận")
            return
        size_bad = [q for q in items if self.fmt_problems(q, "noi_nhan")]
        if size_bad:
            self.emit("NN-02", size_bad[0].text, "; ".join(self.fmt_problems(size_bad[0], "noi_nhan")))
        for q in items:
            t = norm(q.text)
            if not (t.startswith("- ") or (q.num_text and q.num_text.strip() in "-–")):
                self.emit("NN-02", q.text, "phải bắt đầu bằng '- '")
                break
        for q in items[:-1]:
            if not norm(q.text).endswith((";", ":")):
                self.emit("NN-02", q.text, "dòng phải kết thúc bằng ';'")
                break
        last = norm(items[-1].text)
        if not _LUU.match(last if last.startswith("-") else "- " + last):
            self.emit("NN-03", items[-1].text)
        if has_kinh_gui:
            first = norm(items[0].text)
            if first == "- Như Kính gửi;":
                self.emit("NN-04", items[0].text, "nên ghi '- Như trên;'", severity="warning")
            elif first != "- Như trên;":
                self.emit("NN-04", items[0].text)
        if o12 is not None:
            self.used.add(id(o12))
            t = norm(o12.text)
            if not _KH_O12.match(t) or self.fmt_problems(o12, "ky_hieu_soan"):
                self.emit("KH-01", o12.text)

    # --- body -----------------------------------------------------------------------------------
    def check_body(self, body: list[Paragraph]) -> None:
        spec = self.data["body"]
        el = self.el["noi_dung"]
        accepted = spec["first_line_indent"]["accepted"]
        tol = spec["first_line_indent"]["tolerance"]
        issues: dict[str, list[Paragraph]] = {}

        def add(key: str, p: Paragraph) -> None:
            issues.setdefault(key, []).append(p)

        basis = self.data["basis_leads_italic"]
        basis_run: list[Paragraph] = []
        preamble = True  # căn cứ ban hành open the body; a later "Căn cứ tình hình…" is ordinary text
        for p in body:
            t = norm(p.text)
            runs = p.visible_runs()
            sizes = {r.props.size for r in runs}
            heading = bool(runs) and all(r.props.bold for r in runs)
            if any(not _in(s, el["range"]) for s in sizes):
                add("cỡ chữ ngoài 13–14", p)
            if preamble and any(t.startswith(b) for b in basis):
                basis_run.append(p)
                continue
            preamble = preamble and t.startswith("Thực hiện")  # "Thực hiện Công văn …" opens the body too
            self._flush_basis(basis_run)
            basis_run = []
            if _ROMAN_HEAD.match(t) or _MUC_HEAD.match(t):
                if p.align != "center" or not heading:
                    self.emit("ND-05", p.text, "phải canh giữa, in đậm")
                continue
            if _PHAN_MUC.match(t) and not (is_caps(display(p)) and heading):
                self.emit("ND-05", p.text, "tên mục (I., II., …) phải in hoa, đậm")
            if _DIEU.match(t) and not (runs and runs[0].props.bold):
                self.emit("ND-05", p.text, "'Điều …' phải in đậm")
            dm = _DIEM.match(t)
            if dm and dm.group(1) not in self.data["diem_letters"]:
                self.emit("ND-05", p.text, f"điểm không dùng chữ '{dm.group(1)}'")
            centred_heading = heading and p.align == "center"
            if not centred_heading:
                if p.align != "both" and not heading:
                    add("chưa canh đều hai lề", p)
                fl = p.ind_first_line - p.ind_hanging
                if not any(abs(fl - a) <= tol for a in accepted):
                    add("lùi đầu dòng khác 1 cm/1,27 cm", p)
            if any(r.props.italic for r in runs) and all(r.props.italic for r in runs) and not heading:
                add("chữ nghiêng", p)
            if p.space_before + p.space_after < spec["spacing_between_min"]:
                add("ND-02", p)
            self._line_spacing(p, add)
        self._flush_basis(basis_run)
        for key, ps in issues.items():
            if key == "ND-02":
                self.emit("ND-02", ps[0].text, f"{len(ps)} đoạn cách nhau dưới 6pt")
            elif key.startswith("ND-03"):
                sev = "warning" if key.endswith("W") else None
                self.emit("ND-03", ps[0].text, f"{len(ps)} đoạn", severity=sev)
            else:
                self.emit("ND-01", ps[0].text, f"{key}: {len(ps)} đoạn")
        last = next((p for p in reversed(body) if p.text.strip()), None)
        if last is not None and not norm(last.text).endswith("./."):
            self.emit("ND-06", last.text)

    def _line_spacing(self, p: Paragraph, add: Any) -> None:
        spec = self.data["body"]
        if p.line is None:
            return
        if p.line_rule == "auto":
            lo, hi = spec["line_auto"]
            if not lo <= p.line <= hi:
                add("ND-03", p)
        else:
            size = max((r.props.size or 28 for r in p.visible_runs()), default=28)
            lo, hi = spec["line_exact_per_sz"]
            if not lo * size <= p.line <= hi * size:
                add("ND-03W", p)

    def _flush_basis(self, group: list[Paragraph]) -> None:
        if not group:
            return
        for i, p in enumerate(group):
            self.used.add(id(p))
            probs = self.fmt_problems(p, "can_cu")
            t = norm(p.text)
            end = "." if i == len(group) - 1 else ";"
            if not t.endswith(end) and not (end == ";" and t.endswith(".")):
                probs.append(f"phải kết thúc bằng '{end}'")
            if probs:
                self.emit("ND-04", p.text, "; ".join(probs))

    # --- phụ lục ----------------------------------------------------------------------------------
    def check_phu_luc(self, body_text: str) -> None:
        top = [p for p in self.paras if p.cell is None]
        heads: list[Paragraph] = []
        nums: list[str | None] = []
        for p in top:
            m = _PHU_LUC.match(norm(p.text))
            if m and (p.section > 0 or self._follows_kem_theo(p)):
                heads.append(p)
                nums.append(m.group("num"))
        if not heads:
            return
        if len(heads) >= 2 and any(n is None or n.isdigit() for n in nums):
            self.emit("PL-03", heads[0].text)
        for p, num in zip(heads, nums, strict=True):
            probs = self.fmt_problems(p, "phu_luc_so")
            after = [q for q in self.after(p, 6) if q.text.strip()]
            title = after[0] if after and not _KEM_THEO.match(norm(after[0].text)) else None
            kem = next((q for q in after[:3] if _KEM_THEO.match(norm(q.text))), None)
            if title is not None:
                probs += self.fmt_problems(title, "phu_luc_ten")
            if kem is None:
                probs.append("thiếu dòng '(Kèm theo …)'")
            else:
                probs += self.fmt_problems(kem, "phu_luc_kem")
            if probs:
                self.emit("PL-01", p.text, "; ".join(dict.fromkeys(probs)))
            ref = f"phụ lục {num.lower()}" if num and len(heads) >= 2 else "phụ lục"
            if ref not in fold(body_text):
                self.emit("PL-02", p.text)

    def _follows_kem_theo(self, p: Paragraph) -> bool:
        return any(_KEM_THEO.match(norm(q.text)) for q in self.after(p, 3))

    # --- capitalisation -----------------------------------------------------------------------
    def check_caps(self, texts: list[Paragraph]) -> None:
        wrong = self.data["capitalisation_wrong"]
        seen: set[str] = set()
        phrases = self.cfg["people_phrases"]
        for p in texts:
            t = norm(p.text)
            for w in wrong:
                if w["wrong"] in t and w["wrong"] not in seen:
                    seen.add(w["wrong"])
                    self.emit("CAP-01", p.text, f"'{w['wrong']}' → '{w['right']}'")
            m = re.search(r"\bđiều \d+", t)
            if m and "CAP-02" not in seen:
                seen.add("CAP-02")
                self.emit("CAP-02", p.text, f"'{m.group(0)}' → 'Điều'")
            m = re.search(r"[a-zđà-ỹ,] (Khoản \d+|Điểm [a-zđ]\b)", t)
            if m and "CAP-02b" not in seen:
                seen.add("CAP-02b")
                self.emit("CAP-02", p.text, f"'{m.group(1)}' viết thường")
            for ph in phrases:
                if ph in t and "CAP-03" not in seen:
                    seen.add("CAP-03")
                    self.emit("CAP-03", p.text, f"'{ph}'")

    def check_header_table(self, qh: Paragraph | None) -> None:
        if qh is None or qh.cell is None or qh.cell.table is None:
            return
        t = qh.cell.table
        probs = []
        if t.n_cols != 2:
            probs.append(f"{t.n_cols} cột")
        widths = [c.effective_width or 0 for c in t.rows[qh.cell.row].cells]
        if len(widths) == 2 and sum(widths):
            share = widths[0] / sum(widths)
            lo, hi = self.cfg["header_left_share"]
            if not lo <= share <= hi:
                probs.append(f"cột trái chiếm {share:.0%}")
        if t.has_visible_borders:
            probs.append("có đường viền")
        if probs:
            self.emit("HDR-01", qh.text, "; ".join(probs))

    # --- orchestration ------------------------------------------------------------------------
    def run(self) -> None:
        self.check_page()
        self.check_fonts()
        self.check_page_numbers()
        qh = self.check_quoc_hieu()
        self.check_header_table(qh)
        left = self.header_left(qh)
        head_zone = self.paras[: max(40, (self.pos[id(qh)] + 30) if qh is not None else 40)]
        so = self.find_so(left) or self.find_so(head_zone)
        date_p = self.find_date(head_zone)
        vv = next((p for p in head_zone if fold(p.text).startswith("v/v")), None)
        start = max((self.pos[id(p)] for p in (qh, so, date_p, vv) if p is not None), default=0) + 1
        kind, tl = self.find_ten_loai(start)
        kg = next(
            (p for p in self.paras[start:] if fold(p.text).startswith("kính gửi") and id(p) not in self.used),
            None,
        )
        if kind is None and (vv is not None or (kg is not None and tl is None)):
            kind = "cong_van"
        self.report.kind = kind
        self.check_issuer([p for p in left if p is not so and p is not vv])
        self.check_so(so, kind)
        self.check_date(date_p, so)
        self.check_vv(vv, so, kind)
        if tl is not None:
            self.check_ten_loai(tl)
        recipients = self.check_kinh_gui(kg) if kg is not None else []
        # The body runs from after the last header element to the signature block.
        head_end = max(
            [self.pos[id(p)] for p in (qh, so, date_p, vv, tl, kg, *recipients) if p is not None]
            + [max((self.pos[i] for i in (id(q) for q in self.paras) if i in self.used), default=0)]
        )
        nn = self.find_noi_nhan()
        signer = self.find_signer(head_end + 1, nn)
        if signer or kind:
            self.check_signer(signer)
        self.check_noi_nhan(nn, kg is not None, required=bool(kind or signer))
        sig_start = min(
            [self.pos[id(p)] for p in (*signer, nn) if p is not None] + [len(self.paras)],
        )
        body = [
            p
            for p in self.paras[head_end + 1 : sig_start]
            if p.cell is None and p.text.strip() and id(p) not in self.used
        ]
        self.check_body(body)
        self.check_phu_luc(" ".join(p.text for p in body))
        self.check_caps(self.paras)


def _near(value: int | None, target: int, tol: int) -> bool:
    return value is not None and abs(value - target) <= tol


def _looks_like_name(text: str, allow_titles: bool = False) -> bool:
    words = norm(text).split()
    if not 2 <= len(words) <= 7:
        return False
    for w in words:
        w = w.strip(".,")
        if not w or not w[0].isupper():
            return False
        if len(w) > 1 and not w[1:].islower() and not (allow_titles and w.endswith(".")):
            return False
    return True


def check_document(doc: Document) -> Report:
    report = Report(path=doc.path)
    _Checker(doc, report).run()
    order = {"error": 0, "warning": 1}
    report.findings.sort(key=lambda f: (order[f.severity], f.rule_id))
    return report


def check(path: str | Path) -> Report:
    """Check one .docx against NĐ 30; raises ooxml.DocxReadError if it cannot be read."""
    return check_document(ooxml.read(path))


__all__ = ["Finding", "Report", "check", "check_document", "rules"]
