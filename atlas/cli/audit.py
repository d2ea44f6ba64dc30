"""atlas audit: the audit trail of changes to the stored data."""

from __future__ import annotations

from atlas.data.store import open_store


def arguments(parser) -> None:
    """No arguments."""


def run(args) -> int:
    for record in open_store().audit_records():
        print(
            f"{record.waktu}\t{record.editor}\t{record.tindakan}\t{record.tahun}: {record.sumber}\t"
            f"{record.berkas}\t{record.baris} rows, {record.unit} units\tsha256 {record.sha256[:12]}"
        )
    return 0
