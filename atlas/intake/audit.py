"""The audit trail: one JSON line per change of the stored data (import, replacement,
retirement, restoration, exclusion from or inclusion in the latest view), appended
to ``audit.jsonl`` beside the datasets and never rewritten."""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

from atlas import config

AUDIT_FILE = "audit.jsonl"


@dataclass(frozen=True)
class AuditRecord:
    """Who changed what, when."""

    waktu: str  # UTC, ISO 8601
    editor: str
    tindakan: str  # import | replace | retire | restore | exclude | include
    berkas: str  # the file as the editor named it
    sha256: str
    baris: int
    unit: int
    tahun: int
    sumber: str
    versi: str  # the stored version's file


def audit_path() -> Path:
    return config.datasets_dir() / AUDIT_FILE


def append(record: AuditRecord) -> None:
    """Append ``record`` as one line, flushed to disk before returning."""
    path = audit_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    line = json.dumps(asdict(record), ensure_ascii=False) + "\n"
    descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
    try:
        os.write(descriptor, line.encode("utf-8"))
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def records() -> list[AuditRecord]:
    """Every record, oldest first; a damaged line is skipped."""
    path = audit_path()
    if not path.is_file():
        return []
    found = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            found.append(AuditRecord(**json.loads(line)))
        except (ValueError, TypeError):
            continue
    return found
