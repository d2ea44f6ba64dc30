"""The one field registry: every column the atlas writes or shows, defined once.

Each field has the levels it appears at, a label and a unit in Bahasa Indonesia and English, the
decimals it is shown with, its Shapefile (dBASE) name of at most 10 characters and a description.
Exports, tables, tooltips, legends and ``docs/data-dictionary.md`` (``atlas dictionary``) derive
from it. Class shares of overlays (``r_frac_<class>``, ``v_kelas_<class>``) are described by pattern.
Published-total columns come from ``geodata/published_totals.csv`` (``kolom``, ``kolom_shp``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from atlas.errors import UnknownFieldError

#: The administrative levels, finest first, and the code and name field of each.
LEVELS = ("desa", "kecamatan", "kabkota")
CODE_FIELD = {"desa": "KDEPUM", "kecamatan": "KDCPUM", "kabkota": "KDPKAB"}
NAME_FIELD = {"desa": "WADMKD", "kecamatan": "WADMKC", "kabkota": "WADMKK"}
SHAPEFILE_NAME_LIMIT = 10

#: Groups of fields, in the order exports and the data dictionary list them.
GROUPS = {
    "identity": ("Identitas", "Identification"),
    "indicator": ("Indikator", "Indicators"),
    "aggregate": ("Agregasi", "Aggregation"),
    "change": ("Perubahan antar dua data", "Change between two datasets"),
    "margin": ("Model margin (Gambar 3)", "Margin model (Gambar 3)"),
    "overlay": ("Statistik lingkungan (raster dan vektor)", "Environmental statistics (raster and vector)"),
    "series": ("Deret waktu", "Time series"),
    "table": ("Kolom tabel aplikasi", "App table columns"),
}


@dataclass(frozen=True)
class Field:
    """One column: where it appears, how it is called and shown, what it means."""

    name: str
    group: str
    levels: tuple[str, ...]
    label_id: str
    label_en: str
    description_id: str
    description_en: str
    unit_id: str = ""
    unit_en: str = ""
    decimals: int | None = None  # None: text or code, shown as it is
    shapefile: str = ""  # dBASE name; empty means the field's own name

    @property
    def shapefile_name(self) -> str:
        return self.shapefile or self.name

    def label(self, lang: str) -> str:
        return self.label_en if lang == "en" else self.label_id

    def unit(self, lang: str) -> str:
        return self.unit_en if lang == "en" else self.unit_id

    def description(self, lang: str) -> str:
        return self.description_en if lang == "en" else self.description_id


ALL = LEVELS
ABOVE_DESA = ("kecamatan", "kabkota")


def _field(
    name: str,
    group: str,
    levels: tuple[str, ...],
    labels: tuple[str, str],
    descriptions: tuple[str, str],
    units: tuple[str, str] = ("", ""),
    decimals: int | None = None,
    shapefile: str = "",
) -> Field:
    """A field from (id, en) pairs, so each entry of the registry reads as one row."""
    return Field(
        name,
        group,
        levels,
        labels[0],
        labels[1],
        descriptions[0],
        descriptions[1],
        units[0],
        units[1],
        decimals,
        shapefile,
    )


FIELDS: tuple[Field, ...] = (
    # identification, after BIG's RBI administrative layers
    _field(
        "KDEPUM",
        "identity",
        ("desa",),
        ("Kode desa/kelurahan", "Village code"),
        ("Kode Kemendagri desa/kelurahan (mis. 33.75.02.1004)", "Kemendagri village code (e.g. 33.75.02.1004)"),
    ),
    _field("WADMKD", "identity", ("desa",), ("Desa/kelurahan", "Village"), ("Nama desa/kelurahan", "Village name")),
    _field(
        "tingkat",
        "identity",
        ("desa",),
        ("Jenis", "Kind"),
        (
            "`kelurahan` atau `desa`, dari angka pertama bagian keempat kode (1 atau 2)",
            "`kelurahan` (urban) or `desa` (rural), from the first digit of the code's fourth part",
        ),
    ),
    _field(
        "KDCPUM",
        "identity",
        ("desa", "kecamatan"),
        ("Kode kecamatan", "Kecamatan code"),
        ("Kode Kemendagri kecamatan", "Kemendagri kecamatan (district) code"),
    ),
    _field(
        "WADMKC", "identity", ("desa", "kecamatan"), ("Kecamatan", "Kecamatan"), ("Nama kecamatan", "Kecamatan name")
    ),
    _field(
        "KDPKAB",
        "identity",
        ALL,
        ("Kode kab/kota", "Kab/kota code"),
        ("Kode Kemendagri kabupaten/kota", "Kemendagri kab/kota code"),
    ),
    _field("WADMKK", "identity", ALL, ("Kabupaten/kota", "Kabupaten/kota"), ("Nama kabupaten/kota", "Kab/kota name")),
    _field("KDPPUM", "identity", ALL, ("Kode provinsi", "Province code"), ("Kode provinsi", "Province code")),
    _field("WADMPR", "identity", ALL, ("Provinsi", "Province"), ("Nama provinsi", "Province name")),
    # indicators, at every level
    _field(
        "pelaku_usaha",
        "indicator",
        ALL,
        ("Pelaku usaha", "Producers"),
        (
            "Jumlah pelaku usaha batik (unit usaha). Kosong = tidak ada data, bukan nol.",
            "Number of batik producers (businesses). Empty = no data, not zero.",
        ),
        ("unit usaha", "businesses"),
        0,
        "pelaku",
    ),
    _field(
        "pekerja",
        "indicator",
        ALL,
        ("Pekerja", "Workers"),
        ("Jumlah pekerja batik", "Number of batik workers"),
        ("orang", "people"),
        0,
    ),
    _field(
        "pekerja_per_pelaku",
        "indicator",
        ALL,
        ("Pekerja per pelaku usaha", "Workers per producer"),
        ("Pekerja per pelaku usaha", "Workers per producer"),
        ("orang per unit usaha", "people per business"),
        1,
        "pkj_per_pl",
    ),
    _field(
        "pelaku_per_km2",
        "indicator",
        ALL,
        ("Pelaku usaha per km²", "Producers per km²"),
        ("Pelaku usaha per km² luas wilayah", "Producers per km² of unit area"),
        ("unit usaha/km²", "businesses/km²"),
        1,
        "pl_per_km2",
    ),
    _field(
        "pekerja_per_km2",
        "indicator",
        ALL,
        ("Pekerja per km²", "Workers per km²"),
        ("Pekerja per km² luas wilayah", "Workers per km² of unit area"),
        ("orang/km²", "people/km²"),
        1,
        "pkj_perkm2",
    ),
    _field(
        "luas_km2",
        "indicator",
        ALL,
        ("Luas (km², dihitung)", "Area (km², computed)"),
        (
            "Luas poligon batas, dihitung di UTM 49S (EPSG:32749); bukan luas resmi",
            "Area of the boundary polygon, computed in UTM 49S (EPSG:32749); not the official area",
        ),
        ("km²", "km²"),
        2,
    ),
    _field("tahun", "indicator", ALL, ("Tahun", "Year"), ("Tahun data jumlah", "Year of the counts")),
    _field("sumber", "indicator", ALL, ("Sumber", "Source"), ("Sumber data jumlah", "Source of the counts")),
    _field(
        "status_data",
        "indicator",
        ALL,
        ("Status data", "Data status"),
        (
            "`reported`: seluruh wilayah dilaporkan; `partial`: hanya sebagian (mis. 1 dari 4 kelurahan "
            "lama, sebagian desa dalam kecamatan, atau usaha tanpa jumlah pekerja); `per kecamatan`: "
            "desa tanpa angka sendiri, kecamatannya dilaporkan utuh; `no data`: tidak ada data",
            "`reported`: the whole unit is reported; `partial`: only part (e.g. 1 of 4 former kelurahan, "
            "some villages of a kecamatan, or businesses without a worker count); `per kecamatan`: a desa "
            "without its own count whose kecamatan is reported as a whole; `no data`: nothing reported",
        ),
        shapefile="status",
    ),
    # a unit's values through the years (atlas export --layer series)
    _field(
        "tahun_data",
        "series",
        ALL,
        ("Tahun asal nilai", "Year of the value"),
        (
            "Tahun versi data yang memberi nilai ini; bila lebih awal dari `tahun`, nilainya dibawa dari tahun "
            "terdekat sebelumnya (dalam batas toleransi)",
            "Year of the dataset version the value comes from; when earlier than `tahun`, the value is carried "
            "from the closest earlier year (within the tolerance)",
        ),
        shapefile="thn_data",
    ),
    _field(
        "dibawa",
        "series",
        ALL,
        ("Dibawa dari tahun lain", "Carried from another year"),
        (
            "`yes`: tidak ada data untuk `tahun`, nilai tahun terdekat sebelumnya ditampilkan; "
            "`no`: nilai tahun itu sendiri",
            "`yes`: no data for `tahun`, the closest earlier year's value is shown; `no`: that year's own value",
        ),
    ),
    # what an aggregate or a village is made of
    _field(
        "klaster",
        "aggregate",
        ("desa",),
        ("Klaster di sumber", "Clusters in source"),
        (
            "Nama klaster batik pada sumber (nama kelurahan sebelum 2015)",
            "Batik cluster names as in the source (pre-2015 kelurahan names)",
        ),
    ),
    _field(
        "jumlah_unit",
        "aggregate",
        ABOVE_DESA,
        ("Jumlah desa/kelurahan", "Villages"),
        ("Jumlah desa/kelurahan dalam wilayah", "Number of villages in the unit"),
        decimals=0,
        shapefile="jml_unit",
    ),
    _field(
        "unit_berdata",
        "aggregate",
        ABOVE_DESA,
        ("Desa/kelurahan berdata", "Villages with data"),
        (
            "Jumlah desa/kelurahan yang memiliki data; jumlah di tingkat ini hanya mencakup mereka",
            "Number of those villages with counts; sums at this level cover only them",
        ),
        decimals=0,
        shapefile="unit_data",
    ),
    # change between two dataset versions (atlas.analysis.change)
    _field(
        "selisih_pelaku_usaha",
        "change",
        ALL,
        ("Selisih pelaku usaha", "Change in producers"),
        ("Pelaku usaha akhir - awal", "Producers, end minus start"),
        ("unit usaha", "businesses"),
        0,
        "d_pelaku",
    ),
    _field(
        "selisih_pekerja",
        "change",
        ALL,
        ("Selisih pekerja", "Change in workers"),
        ("Pekerja akhir - awal", "Workers, end minus start"),
        ("orang", "people"),
        0,
        "d_pekerja",
    ),
    _field(
        "selisih_pekerja_per_pelaku",
        "change",
        ALL,
        ("Selisih pekerja per pelaku usaha", "Change in workers per producer"),
        ("Pekerja per pelaku usaha, akhir - awal", "Workers per producer, end minus start"),
        ("orang per unit usaha", "people per business"),
        1,
        "d_pkj_pl",
    ),
    _field(
        "selisih_pelaku_per_km2",
        "change",
        ALL,
        ("Selisih pelaku usaha per km²", "Change in producers per km²"),
        ("Pelaku usaha per km², akhir - awal", "Producers per km², end minus start"),
        ("unit usaha/km²", "businesses/km²"),
        1,
        "d_pl_km2",
    ),
    _field(
        "selisih_pekerja_per_km2",
        "change",
        ALL,
        ("Selisih pekerja per km²", "Change in workers per km²"),
        ("Pekerja per km², akhir - awal", "Workers per km², end minus start"),
        ("orang/km²", "people/km²"),
        1,
        "d_pkj_km2",
    ),
    _field(
        "persen_pelaku_usaha",
        "change",
        ALL,
        ("Perubahan pelaku usaha (%)", "Change in producers (%)"),
        (
            "100 × (akhir - awal) / awal; kosong bila awal 0 atau tidak ada data",
            "100 × (end - start) / start; empty where the start is 0 or missing",
        ),
        ("%", "%"),
        1,
        "pct_pelaku",
    ),
    _field(
        "persen_pekerja",
        "change",
        ALL,
        ("Perubahan pekerja (%)", "Change in workers (%)"),
        (
            "100 × (akhir - awal) / awal; kosong bila awal 0 atau tidak ada data",
            "100 × (end - start) / start; empty where the start is 0 or missing",
        ),
        ("%", "%"),
        1,
        "pct_pkj",
    ),
    _field(
        "pelaku_usaha_awal",
        "change",
        ALL,
        ("Pelaku usaha (awal)", "Producers (start)"),
        ("Pelaku usaha pada data awal", "Producers in the earlier dataset"),
        ("unit usaha", "businesses"),
        0,
        "pelaku_0",
    ),
    _field(
        "pelaku_usaha_akhir",
        "change",
        ALL,
        ("Pelaku usaha (akhir)", "Producers (end)"),
        ("Pelaku usaha pada data akhir", "Producers in the later dataset"),
        ("unit usaha", "businesses"),
        0,
        "pelaku_1",
    ),
    _field(
        "pekerja_awal",
        "change",
        ALL,
        ("Pekerja (awal)", "Workers (start)"),
        ("Pekerja pada data awal", "Workers in the earlier dataset"),
        ("orang", "people"),
        0,
        "pekerja_0",
    ),
    _field(
        "pekerja_akhir",
        "change",
        ALL,
        ("Pekerja (akhir)", "Workers (end)"),
        ("Pekerja pada data akhir", "Workers in the later dataset"),
        ("orang", "people"),
        0,
        "pekerja_1",
    ),
    _field(
        "tahun_awal",
        "change",
        ALL,
        ("Tahun awal", "Start year"),
        ("Tahun nilai awal unit ini", "Year of this unit's start value"),
    ),
    _field(
        "tahun_akhir",
        "change",
        ALL,
        ("Tahun akhir", "End year"),
        ("Tahun nilai akhir unit ini", "Year of this unit's end value"),
        shapefile="tahun_akhr",
    ),
    _field(
        "sumber_awal",
        "change",
        ALL,
        ("Sumber awal", "Start source"),
        ("Sumber nilai awal", "Source of the start value"),
        shapefile="sumber_awl",
    ),
    _field(
        "sumber_akhir",
        "change",
        ALL,
        ("Sumber akhir", "End source"),
        ("Sumber nilai akhir", "Source of the end value"),
        shapefile="sumber_akr",
    ),
    _field(
        "status_awal",
        "change",
        ALL,
        ("Status data awal", "Start data status"),
        ("`reported`, `partial` atau `no data` pada data awal", "`reported`, `partial` or `no data` at the start"),
        shapefile="status_0",
    ),
    _field(
        "status_akhir",
        "change",
        ALL,
        ("Status data akhir", "End data status"),
        ("`reported`, `partial` atau `no data` pada data akhir", "`reported`, `partial` or `no data` at the end"),
        shapefile="status_1",
    ),
    _field(
        "status_banding",
        "change",
        ALL,
        ("Keterbandingan", "Comparability"),
        (
            "`comparable`: kedua nilai lengkap; `partial`: salah satu hanya sebagian wilayah (penurunan bisa "
            "semu); `missing`: salah satu tidak ada data",
            "`comparable`: both values complete; `partial`: either covers only part of the unit (a fall may be "
            "an artefact); `missing`: either has no value",
        ),
        shapefile="status_cmp",
    ),
    # margin model estimates
    _field(
        "rasio_upah_margin",
        "margin",
        ALL,
        ("Upah buruh ÷ margin pemilik", "Worker wages ÷ owner margins"),
        (
            "Perkiraan tagihan upah buruh dibagi margin pemilik per bulan",
            "Estimated worker wage bill divided by the owners' margin pool, per month",
        ),
        ("rasio", "ratio"),
        2,
        "rasio_u_m",
    ),
    _field(
        "tagihan_upah",
        "margin",
        ALL,
        ("Perkiraan upah buruh per bulan", "Estimated monthly worker wage bill"),
        ("Pekerja × upah buruh per bulan (model)", "Workers × a worker's monthly wage (model)"),
        ("Rp/bulan", "Rp/month"),
        0,
        "tagih_upah",
    ),
    _field(
        "margin_pemilik",
        "margin",
        ALL,
        ("Perkiraan margin pemilik per bulan", "Estimated monthly owner margin pool"),
        ("Pelaku usaha × margin pemilik per bulan (model)", "Producers × an owner's monthly margin (model)"),
        ("Rp/bulan", "Rp/month"),
        0,
        "margin_pml",
    ),
    _field(
        "persen_umk",
        "margin",
        ALL,
        ("Perkiraan penghasilan buruh (% UMK)", "Estimated worker earnings (% of UMK)"),
        (
            "Upah buruh per bulan sebagai persen UMK tahun terpilih",
            "A worker's monthly wage as a percentage of the chosen year's UMK",
        ),
        ("% UMK", "% of UMK"),
        1,
    ),
    _field(
        "upah_buruh_bulanan",
        "margin",
        ALL,
        ("Upah buruh per bulan", "Worker's monthly wage"),
        ("Upah buruh per kain × kain per bulan (model)", "Wage per piece × pieces per month (model)"),
        ("Rp/bulan", "Rp/month"),
        0,
        "upah_bln",
    ),
    _field(
        "umk",
        "margin",
        ALL,
        ("UMK", "UMK (minimum wage)"),
        ("Upah minimum kabupaten/kota tahun terpilih", "Regional minimum wage of the chosen year"),
        ("Rp/bulan", "Rp/month"),
        0,
    ),
    _field(
        "asal_tagihan_upah",
        "margin",
        ALL,
        ("Asal tagihan upah", "Provenance of the wage bill"),
        ("Sumber tiap masukan perkiraan upah", "Source of each input of the wage estimate"),
        shapefile="asal_tagih",
    ),
    _field(
        "asal_margin_pemilik",
        "margin",
        ALL,
        ("Asal margin pemilik", "Provenance of the owner margins"),
        ("Sumber tiap masukan perkiraan margin", "Source of each input of the margin estimate"),
        shapefile="asal_mrgn",
    ),
    _field(
        "asal_persen_umk",
        "margin",
        ALL,
        ("Asal % UMK", "Provenance of % of UMK"),
        ("Sumber UMK dan upah", "Source of the UMK and the wage"),
        shapefile="asal_pumk",
    ),
    _field(
        "tanpa_pekerja",
        "indicator",
        ALL,
        ("Usaha tanpa jumlah pekerja", "Businesses without a worker count"),
        (
            "Usaha dalam direktori yang tidak mencatat jumlah pekerja; bila > 0, pekerja adalah jumlah sebagian",
            "Businesses of a directory that give no worker count; when > 0, workers is a partial sum",
        ),
        ("unit usaha", "businesses"),
        decimals=0,
        shapefile="tanpa_pkj",
    ),
    # a kecamatan-level report beside the sum of the desa (latest view): never averaged with it
    _field(
        "laporan_pelaku_usaha",
        "indicator",
        ("kecamatan",),
        ("Pelaku usaha (laporan kecamatan)", "Producers (kecamatan report)"),
        ("Pelaku usaha menurut laporan tingkat kecamatan terbaru", "Producers in the newest kecamatan-level report"),
        ("unit usaha", "businesses"),
        decimals=0,
        shapefile="lap_pelaku",
    ),
    _field(
        "laporan_pekerja",
        "indicator",
        ("kecamatan",),
        ("Pekerja (laporan kecamatan)", "Workers (kecamatan report)"),
        ("Pekerja menurut laporan tingkat kecamatan terbaru", "Workers in the newest kecamatan-level report"),
        ("orang", "people"),
        decimals=0,
        shapefile="lap_pkj",
    ),
    _field(
        "laporan_tahun",
        "indicator",
        ("kecamatan",),
        ("Tahun laporan kecamatan", "Year of the kecamatan report"),
        ("Tahun laporan tingkat kecamatan", "Year of the kecamatan-level report"),
        shapefile="lap_tahun",
    ),
    _field(
        "laporan_sumber",
        "indicator",
        ("kecamatan",),
        ("Sumber laporan kecamatan", "Source of the kecamatan report"),
        ("Sumber laporan tingkat kecamatan", "Source of the kecamatan-level report"),
        shapefile="lap_sumber",
    ),
    # raster statistics (atlas overlay); r_frac_<class> is matched by pattern below
    _field(
        "r_mean",
        "overlay",
        ALL,
        ("Rata-rata raster", "Raster mean"),
        (
            "Rata-rata sel, berbobot bagian sel di dalam unit",
            "Mean of the cells, weighted by the part of each cell inside the unit",
        ),
        decimals=2,
    ),
    _field(
        "r_min",
        "overlay",
        ALL,
        ("Minimum raster", "Raster minimum"),
        ("Nilai sel terkecil yang menyentuh unit", "Smallest value of a cell the unit covers"),
        decimals=2,
    ),
    _field(
        "r_max",
        "overlay",
        ALL,
        ("Maksimum raster", "Raster maximum"),
        ("Nilai sel terbesar yang menyentuh unit", "Largest value of a cell the unit covers"),
        decimals=2,
    ),
    _field(
        "r_std",
        "overlay",
        ALL,
        ("Simpangan baku raster", "Raster standard deviation"),
        ("Simpangan baku berbobot cakupan", "Coverage-weighted standard deviation"),
        decimals=2,
    ),
    _field(
        "r_sum",
        "overlay",
        ALL,
        ("Jumlah raster", "Raster sum"),
        ("Jumlah nilai sel × bagian tertutup", "Sum of cell values × covered fraction"),
        decimals=2,
    ),
    _field(
        "r_count",
        "overlay",
        ALL,
        ("Jumlah sel raster", "Raster cell count"),
        ("Jumlah sel valid berbobot cakupan", "Coverage-weighted number of valid cells"),
        decimals=2,
    ),
    _field(
        "r_coverage",
        "overlay",
        ALL,
        ("Bagian tertutup raster", "Raster covered fraction"),
        ("Bagian luas unit yang tertutup sel valid (0-1)", "Share of the unit's area covered by valid cells (0-1)"),
        decimals=3,
    ),
    _field(
        "r_cakupan",
        "overlay",
        ALL,
        ("Cakupan raster", "Raster coverage"),
        (
            "`full`, `partial` atau `none`: seberapa jauh raster menutup unit",
            "`full`, `partial` or `none`: how far the raster covers the unit",
        ),
    ),
    # vector statistics (atlas overlay of a vector file); v_kelas_<class> is matched by pattern below
    _field(
        "v_luas_km2",
        "overlay",
        ALL,
        ("Luas tertutup vektor", "Area covered (vector)"),
        (
            "Luas unit yang tertutup poligon (tumpang tindih sekali)",
            "Unit area covered by the polygons (overlaps once)",
        ),
        ("km²", "km²"),
        decimals=3,
    ),
    _field(
        "v_persen_luas",
        "overlay",
        ALL,
        ("Bagian tertutup vektor", "Share covered (vector)"),
        ("Luas tertutup ÷ luas unit × 100", "Area covered ÷ unit area × 100"),
        ("%", "%"),
        decimals=1,
        shapefile="v_pers_lua",
    ),
    _field(
        "v_panjang_km",
        "overlay",
        ALL,
        ("Panjang garis", "Line length"),
        ("Panjang garis (mis. sungai) di dalam unit", "Length of the lines (e.g. rivers) inside the unit"),
        ("km", "km"),
        decimals=2,
        shapefile="v_panj_km",
    ),
    _field(
        "v_jarak_garis_km",
        "overlay",
        ALL,
        ("Jarak ke garis", "Distance to a line"),
        (
            "Jarak terpendek dari batas unit ke garis terdekat (0 bila dilalui)",
            "Shortest distance from the unit to the nearest line (0 when crossed)",
        ),
        ("km", "km"),
        decimals=2,
        shapefile="v_jrk_gar",
    ),
    _field(
        "v_jumlah_titik",
        "overlay",
        ALL,
        ("Jumlah titik", "Number of points"),
        ("Titik (mis. sampel air) di dalam unit", "Points (e.g. water samples) inside the unit"),
        decimals=0,
        shapefile="v_jml_tik",
    ),
    _field(
        "v_jarak_titik_km",
        "overlay",
        ALL,
        ("Jarak ke titik", "Distance to a point"),
        (
            "Jarak terpendek dari unit ke titik terdekat (0 bila ada di dalam)",
            "Shortest distance from the unit to the nearest point (0 when inside)",
        ),
        ("km", "km"),
        decimals=2,
        shapefile="v_jrk_tik",
    ),
    _field(
        "v_rerata",
        "overlay",
        ALL,
        ("Rata-rata atribut titik", "Point attribute mean"),
        (
            "Rata-rata atribut yang dipilih atas titik di dalam unit",
            "Mean of the chosen attribute over the points inside",
        ),
        decimals=2,
    ),
    _field(
        "v_min",
        "overlay",
        ALL,
        ("Minimum atribut titik", "Point attribute minimum"),
        ("Nilai terkecil atribut atas titik di dalam unit", "Smallest value of the attribute over the points inside"),
        decimals=2,
    ),
    _field(
        "v_maks",
        "overlay",
        ALL,
        ("Maksimum atribut titik", "Point attribute maximum"),
        ("Nilai terbesar atribut atas titik di dalam unit", "Largest value of the attribute over the points inside"),
        decimals=2,
    ),
    _field(
        "v_nilai",
        "overlay",
        ALL,
        ("Nilai atribut (diukur atau diisi)", "Attribute value (measured or filled)"),
        (
            "Rata-rata terukur; unit tanpa titik diisi dari titik terdekat atau IDW bila diminta (v_nilai_asal)",
            "Measured mean; units without points filled from the nearest point or by IDW when asked (v_nilai_asal)",
        ),
        decimals=2,
    ),
    _field(
        "v_nilai_asal",
        "overlay",
        ALL,
        ("Asal nilai", "Value origin"),
        (
            "`diukur`, `titik terdekat` atau `interpolasi IDW` (kosong: tanpa nilai)",
            "`diukur` (measured), `titik terdekat` (nearest point) or `interpolasi IDW` (empty: no value)",
        ),
        shapefile="v_nil_asal",
    ),
    # columns of the app's tables that are not layer fields
    _field("wilayah", "table", (), ("Wilayah", "Area"), ("Wilayah total terbitan", "Area of a published total")),
    _field(
        "catatan",
        "table",
        (),
        ("Catatan", "Caveat"),
        (
            "Mengapa angka terbitan ini tidak sejenis dengan hitungan",
            "Why a published figure is not a count of the same kind",
        ),
    ),
    _field("indikator", "table", (), ("Indikator", "Indicator"), ("Apa yang dihitung", "What is counted")),
    _field("nilai", "table", (), ("Nilai", "Value"), ("Nilai total terbitan", "Published value"), decimals=0),
    _field("perkiraan", "table", (), ("Perkiraan", "Approximate"), ("Nilai perkiraan (±)", "Approximate value (~)")),
    _field(
        "aktor",
        "table",
        (),
        ("Pelaku rantai nilai", "Value-chain actor"),
        ("Pelaku rantai nilai batik", "Actor of the batik value chain"),
    ),
    _field(
        "harga_masuk",
        "table",
        (),
        ("Harga beli (Rp/kain)", "Price in (Rp/piece)"),
        ("Harga beli per kain", "Buying price per piece"),
        decimals=0,
    ),
    _field(
        "harga_keluar",
        "table",
        (),
        ("Harga jual / upah (Rp/kain)", "Price out / wage (Rp/piece)"),
        ("Harga jual atau upah per kain", "Selling price or wage per piece"),
        decimals=0,
    ),
    _field(
        "margin_per_unit",
        "table",
        (),
        ("Margin (Rp/kain)", "Margin (Rp/piece)"),
        ("Harga jual - harga beli", "Price out - price in"),
        decimals=0,
    ),
    _field(
        "unit_per_bulan",
        "table",
        (),
        ("Kain per bulan", "Pieces per month"),
        ("Kain per bulan per pelaku", "Pieces per month per actor"),
        decimals=0,
    ),
    _field(
        "margin_per_bulan",
        "table",
        (),
        ("Margin (Rp/bulan)", "Margin (Rp/month)"),
        ("Margin per kain × kain per bulan", "Margin per piece × pieces per month"),
        decimals=0,
    ),
    _field(
        "bagian_harga_akhir",
        "table",
        (),
        ("Bagian harga akhir", "Share of the final price"),
        ("Margin per kain ÷ harga akhir", "Margin per piece ÷ final price"),
        decimals=3,
    ),
)

REGISTRY: dict[str, Field] = {f.name: f for f in FIELDS}
_CLASS_SHARE = re.compile(r"^r_frac_(?P<value>.+)$")
_POLYGON_CLASS = re.compile(r"^v_kelas_(?P<value>.+)$")


def field(name: str) -> Field:
    """The registered field ``name`` (raster class shares ``r_frac_<class>`` and polygon class
    shares ``v_kelas_<class>`` by pattern)."""
    if name in REGISTRY:
        return REGISTRY[name]
    polygon_class = _POLYGON_CLASS.match(name)
    if polygon_class:
        value = polygon_class["value"]
        return Field(
            name,
            "overlay",
            ALL,
            f"Bagian tertutup kelas {value}",
            f"Share covered by class {value}",
            f"Bagian luas unit (%) yang tertutup poligon kelas {value}",
            f"Share of the unit's area (%) covered by polygons of class {value}",
            "%",
            "%",
            decimals=1,
        )
    share = _CLASS_SHARE.match(name)
    if share:
        value = share["value"]
        return Field(
            name,
            "overlay",
            ALL,
            f"Bagian kelas {value}",
            f"Share of class {value}",
            f"Bagian luas unit bernilai kelas {value}",
            f"Share of the unit's area in class {value}",
            decimals=3,
        )
    raise UnknownFieldError(f"unknown field {name!r}: it is not in the field registry (atlas/fields.py)")


def is_known(name: str) -> bool:
    """True when ``name`` is a registered field (or matches a registered pattern)."""
    return name in REGISTRY or bool(_CLASS_SHARE.match(name) or _POLYGON_CLASS.match(name))


def label(name: str, lang: str) -> str:
    """Heading of a field in ``lang``; a column outside the registry keeps its own name."""
    return field(name).label(lang) if is_known(name) else name


def unit(name: str, lang: str) -> str:
    """Unit of a field in ``lang``; empty for fields without a unit."""
    return field(name).unit(lang) if is_known(name) else ""


def decimals(name: str) -> int:
    """Decimals to show a numeric field with (2 for numbers outside the registry)."""
    found = field(name).decimals if is_known(name) else None
    return 2 if found is None else found


def level_fields(level: str, groups: tuple[str, ...]) -> list[str]:
    """Names of the fields of ``groups`` present at ``level``, in registry order."""
    return [f.name for f in FIELDS if f.group in groups and level in f.levels]


def check_registry() -> list[str]:
    """Problems in the registry itself (empty when sound): Shapefile names of layer fields too
    long or repeated."""
    problems: list[str] = []
    seen: dict[str, str] = {}
    for f in (f for f in FIELDS if f.levels):
        name = f.shapefile_name
        if len(name) > SHAPEFILE_NAME_LIMIT:
            problems.append(f"{f.name}: Shapefile name {name!r} is over {SHAPEFILE_NAME_LIMIT} characters")
        if name in seen:
            problems.append(f"{f.name}: Shapefile name {name!r} is also used by {seen[name]}")
        seen[name] = f.name
    return problems
