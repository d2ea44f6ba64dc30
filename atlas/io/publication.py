"""What every publication of the atlas says of itself: who publishes it and where (from
configuration), its licence, its keywords, and the sources its lineage is built from."""

from __future__ import annotations

from dataclasses import dataclass

from atlas import config
from atlas.data import indicators, sources


@dataclass(frozen=True)
class Licence:
    name: str
    url: str
    attribution: str


#: The atlas's own layers: CC BY 4.0. The counts are facts reported by their sources (cited in
#: every record); the boundaries are MIT-licensed and are attributed as their licence asks.
LICENCE = Licence(
    "CC-BY-4.0",
    "https://creativecommons.org/licenses/by/4.0/",
    f"Batas wilayah / boundaries: (c) Cahya DSN, MIT licence, {sources.UPSTREAM_REPOSITORY}",
)


@dataclass(frozen=True)
class Publisher:
    """Who publishes, and where: from ``ATLAS_CONTACT_ORGANISATION``, ``ATLAS_CONTACT_EMAIL``,
    ``ATLAS_PUBLIC_URL`` (the address the office's users reach the services at)."""

    organisation: str
    email: str
    url: str
    kugi_theme: str

    @classmethod
    def configured(cls, default_url: str = "http://127.0.0.1:5000") -> Publisher:
        return cls(
            config.publishing_setting("ATLAS_CONTACT_ORGANISATION", "Atlas Batik Pekalongan"),
            config.publishing_setting("ATLAS_CONTACT_EMAIL"),
            config.publishing_setting("ATLAS_PUBLIC_URL", default_url).rstrip("/"),
            config.publishing_setting("ATLAS_KUGI_THEME"),
        )


KEYWORDS = {
    "id": [
        "batik",
        "industri kecil menengah",
        "tenaga kerja",
        "pelaku usaha",
        "Kota Pekalongan",
        "Kabupaten Pekalongan",
        "Jawa Tengah",
    ],
    "en": [
        "batik",
        "small and medium industry",
        "labour",
        "producers",
        "Kota Pekalongan",
        "Kabupaten Pekalongan",
        "Central Java",
    ],
}
#: the code list every unit is identified by
CODE_LIST = "Kode wilayah Kemendagri (Kepmendagri 300.2.2-2430/2025)"


def keywords(lang: str) -> list[str]:
    return list(KEYWORDS["en" if lang == "en" else "id"])


def lineage() -> list[str]:
    """Where the data come from: the paper's Tabel 1, the crosswalk, the published totals and the
    boundaries (each imported version adds its own file and SHA-256)."""
    tabel1 = indicators.load_counts()
    crosswalk = indicators.load_crosswalk_table()
    totals = indicators.load_totals()
    return [
        f"Jumlah 2017 / counts 2017: {tabel1['sumber'].iloc[0]}",
        "Penggabungan kelurahan 2015 / 2015 kelurahan merger: "
        + "; ".join(dict.fromkeys(source.split(";")[0].strip() for source in crosswalk["sumber"])),
        "Total terbitan / published totals: " + "; ".join(dict.fromkeys(totals["sumber"])),
        f"Batas wilayah / boundaries: {sources.UPSTREAM_REPOSITORY} commit {sources.UPSTREAM_COMMIT}, {CODE_LIST}",
    ]
