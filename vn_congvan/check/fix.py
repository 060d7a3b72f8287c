"""Repair the thể thức of a .docx: run the checker, apply the fix of every fixable finding on the located
elements (each rule's `fix`, rules/), write the result atomically, check it again.

    result = fix("du-thao.docx", "du-thao.fixed.docx")
    result.changes      # what was changed: rule ID and 'element: before → after'
    result.after        # the check of the written file: what is left for a person

Safe first: a file the gate does not take for a văn bản hành chính of a known kind is not touched; no word
of content is changed except the documented mechanical forms (a leading zero in 'Số: 05', the month '3'
of a date, the wording of fixed labels such as 'Kính gửi:', 'Nơi nhận:', 'KT.'); a missing element is
reported, never invented. `content_words` is what a test compares before and after.
"""

from __future__ import annotations

import difflib
import os
import re
import shutil
import tempfile
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import ooxml
from .. import rules as data
from ..law import lines as L
from . import REGISTRY, check_document, locate, selected
from .edit import discard, save
from .report import Finding, Report
from .rules.title import vv_block

PASSES = 4  # geometry, then the rest; a fix can reveal another (a bigger font makes a line too short)


@dataclass(frozen=True, slots=True)
class Change:
    rule_id: str
    what: str  # 'element: before → after'


@dataclass(slots=True)
class FixResult:
    path: str
    out: str | None  # the file written (None: refused, dry run or nothing to change)
    before: Report
    after: Report | None = None
    changes: list[Change] = field(default_factory=list)
    refused: str = ""  # why the file was left alone
    backup: str | None = None
    words_changed: int = 0

    @property
    def left(self) -> list[Finding]:
        """What the fix left for a person: the findings of the fixed document."""
        return list(self.after.findings) if self.after is not None else list(self.before.findings)

    @property
    def new_findings(self) -> list[Finding]:
        """Findings of a rule that had none before the fix: a fix must never make one."""
        had = self.before.rule_ids()
        return [f for f in self.left if f.rule_id not in had]

    @property
    def ok(self) -> bool:
        return not self.refused and all(f.severity != "error" for f in self.left)

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "out": self.out,
            "class": self.before.doc_class.key if self.before.doc_class else None,
            "kind": self.before.kind,
            "refused": self.refused or None,
            "backup": self.backup,
            "changes": [{"rule_id": c.rule_id, "change": c.what} for c in self.changes],
            "left": [
                {"rule_id": f.rule_id, "severity": f.severity, "message": f.message, "where": f.where}
                for f in self.left
            ],
            "new_findings": [f.rule_id for f in self.new_findings],
            "words_changed": self.words_changed,
            "ok": self.ok,
        }


def fixable(
    select: Iterable[str] | None = None, ignore: Iterable[str] | None = None, *, unsafe: bool = False
) -> set[str]:
    """Rule IDs whose fix runs: chosen by --select/--ignore, with a fix, unsafe ones only when asked."""
    return {r.id for r in selected(select, ignore) if r.has_fix() and (unsafe or r.fix_safety == "safe")}


def fix(
    path: str | Path,
    out: str | Path | None = None,
    *,
    in_place: bool = False,
    select: Iterable[str] | None = None,
    ignore: Iterable[str] | None = None,
    dry_run: bool = False,
    unsafe: bool = False,
) -> FixResult:
    """Fix one .docx. `out` defaults to '<name>.fixed.docx' beside it; the input itself is written only with
    `in_place`, after a copy '<name>.docx.bak'. Raises ooxml.DocxReadError for a file that cannot be read."""
    path = Path(path)
    # all rules, the opt-in ones (file properties) too, unless the caller chose
    select, ignore = list(select or []) or sorted(REGISTRY), list(ignore or [])
    rule_ids = fixable(select, ignore, unsafe=unsafe)
    doc = ooxml.read(path)
    before = check_document(doc, select, ignore)
    result = FixResult(str(path), None, before)
    cls = before.doc_class
    if cls is None or cls.key != "hanh_chinh" or before.kind is None:
        label = cls.label if cls is not None else "không rõ"
        why = f" ({cls.reason})" if cls is not None else ""
        result.refused = f"không sửa: {label}{why}, không phải văn bản hành chính thuộc loại đã biết"
        return result
    target = path if in_place else Path(out) if out is not None else path.with_name(path.stem + ".fixed.docx")
    if not in_place and target.resolve() == path.resolve():
        raise ValueError(f"{path}: tệp kết quả trùng tệp gốc; dùng --in-place để ghi đè (có bản sao lưu)")
    words = content_words(doc)
    with tempfile.TemporaryDirectory(prefix="vn-congvan-fix-") as tmp:
        current, report = doc, before
        for n in range(PASSES):
            todo = sorted(rule_ids & report.rule_ids(), key=lambda r: (REGISTRY[r].fix_stage, r))
            if not todo:
                break
            located = locate(current)
            made: list[Change] = []
            # page and table geometry first, then a fresh read: the other fixes measure against it
            for stage in sorted({REGISTRY[r].fix_stage for r in todo}):
                made = [Change(r, what) for r in todo if REGISTRY[r].fix_stage == stage for what in _fix(r, located)]
                made = [c for c in made if c not in result.changes]  # the same edit again is no progress
                if made:
                    break
            if not made:
                discard(current)
                break
            result.changes += made
            step = save(current, Path(tmp) / f"pass{n}.docx")
            current = ooxml.read(step)
            report = check_document(current, select, ignore)
        result.after = report
        report.path = str(path)
        result.words_changed = words_changed(words, content_words(current))
        new_errors = [f for f in result.new_findings if f.severity == "error"]
        if result.words_changed or new_errors:  # a fix's bug: the file is not written
            why = f"{result.words_changed} chữ nội dung bị đổi" if result.words_changed else "có lỗi mới"
            result.refused = f"không ghi: bản sửa tự động không an toàn ({why}); xin báo lỗi cho vn-congvan"
            return result
        if dry_run or not result.changes:
            return result
        target.parent.mkdir(parents=True, exist_ok=True)
        if in_place:
            backup = _free(path.with_name(path.name + ".bak"))
            shutil.copy2(path, backup)
            result.backup = str(backup)
        fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
        os.close(fd)
        staged = Path(name)
        try:
            shutil.copyfile(current.path, staged)
            staged.replace(target)
        except BaseException:
            staged.unlink(missing_ok=True)
            raise
        result.out = str(target)
        result.after.path = str(target)
    return result


def _fix(rule_id: str, d: Any) -> list[str]:
    return REGISTRY[rule_id]().fix(d)  # type: ignore[attr-defined, no-any-return]


def _free(p: Path) -> Path:
    n = 1
    candidate = p
    while candidate.exists():
        candidate = p.with_name(f"{p.name}{n}")
        n += 1
    return candidate


_WORD = re.compile(r"\d+|[^\W\d_]+")  # "4năm" is two words, as "4 năm"


def content_words(doc: ooxml.Document) -> list[str]:
    """The words of the body in order, as compared before and after a fix: case-folded (a label's wording,
    'KÍNH GỬI' → 'Kính gửi', is form), numbers by value ('5' = '05', '03' = '3'), NFC. The Quốc hiệu and the
    Tiêu ngữ are the law's fixed text: a misspelt one ('CỘNG HÕA') counts as the law's words; a signer's
    prefix counts in its form ('K/T' = 'KT.'). A công văn's trích yếu ('V/v …' and the lines continuing it)
    is read first, as one block wherever it stands: VV-02 moves it under the number, words untouched."""
    out: list[str] = []
    qh, tn = data.nd30()["quoc_hieu"], data.nd30()["tieu_ngu"]
    block = vv_block(locate(doc))
    moved = {id(p) for p in block}
    for p in [*block, *(p for p in doc.paragraphs() if id(p) not in moved)]:
        text = unicodedata.normalize("NFC", p.text)
        if L.quoc_hieu(text):
            text = qh
        elif L.tieu_ngu(text):
            text = tn
        elif (signer := L.SIGNER.read(text.strip())) is not None and L.SIGNER.match(text.strip().upper()):
            text = L.SIGNER.format(*signer)  # 'K/T GIÁM ĐỐC' is 'KT. GIÁM ĐỐC' written the old way
        for w in _WORD.findall(L.fold(text)):
            out.append(str(int(w)) if w.isdigit() else w)
    return out


def words_changed(a: list[str], b: list[str]) -> int:
    """How many words differ between two word lists (replaced, dropped or added), by a diff."""
    sm = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    return sum(max(i2 - i1, j2 - j1) for tag, i1, i2, j1, j2 in sm.get_opcodes() if tag != "equal")
