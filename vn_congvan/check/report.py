"""What a check returns: findings, the document class the gate decided, and the verdict."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class Finding:
    rule_id: str
    severity: str  # "error" | "warning"
    message: str
    where: str = ""


@dataclass(frozen=True, slots=True)
class DocClass:
    """What the gate decided the file is, how sure it is, and why."""

    key: str  # hanh_chinh | phu_luc_rieng | qppl | dang | ban_sao | khac
    confidence: float
    reason: str
    applies: bool | None = None  # whether NĐ 30's rules bind it; None: by class
    copy: bool = False  # an electronic copy (Mẫu 3.2): the copied văn bản's own số, not a new one (NUM-01)

    def __post_init__(self) -> None:
        if self.applies is None:
            object.__setattr__(self, "applies", self.key in ("hanh_chinh", "phu_luc_rieng"))

    @property
    def label(self) -> str:
        return CLASS_LABELS[self.key]


CLASS_LABELS = {
    "hanh_chinh": "văn bản hành chính",
    "phu_luc_rieng": "phụ lục, văn bản kèm theo trong tệp riêng",
    "qppl": "văn bản quy phạm pháp luật (thể thức theo NĐ 34/2016, không theo NĐ 30)",
    "dang": "văn bản của Đảng (thể thức theo HD 36-HD/VPTW, không theo NĐ 30)",
    "ban_sao": "bản sao văn bản",
    "khac": "không phải văn bản hành chính",
}


@dataclass(slots=True)
class Report:
    path: str
    findings: list[Finding] = field(default_factory=list)
    kind: str | None = None  # key in kinds.yaml, or None when not recognised
    doc_class: DocClass | None = None
    not_applicable: str = ""  # "không áp dụng / cần xem xét: …" when the gate held the rules back
    notes: list[str] = field(default_factory=list)  # what is worth saying but breaks no rule

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
        out: dict[str, Any] = {
            "path": self.path,
            "ok": self.ok,
            "kind": self.kind,
            "class": self.doc_class.key if self.doc_class else None,
            "class_confidence": self.doc_class.confidence if self.doc_class else None,
            "class_reason": self.doc_class.reason if self.doc_class else None,
            "findings": [asdict(f) for f in self.findings],
        }
        if self.not_applicable:
            out["not_applicable"] = self.not_applicable
        if self.notes:
            out["notes"] = self.notes
        return out
