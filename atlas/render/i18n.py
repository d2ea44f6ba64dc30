"""Interface text in Bahasa Indonesia (default) and English."""

from __future__ import annotations

LANGUAGES = ("id", "en")
DEFAULT_LANGUAGE = "id"

STRINGS: dict[str, dict[str, str]] = {
    "title": {"id": "Atlas Batik Pekalongan", "en": "Batik Atlas of Pekalongan"},
    "subtitle": {
        "id": "Sebaran pelaku usaha dan pekerja batik di Kota dan Kabupaten Pekalongan",
        "en": "Batik producers and workers across Kota and Kabupaten Pekalongan",
    },
    "language": {"id": "Bahasa", "en": "Language"},
    "view": {"id": "Peta", "en": "Map"},
    "view.production": {"id": "Produksi", "en": "Production"},
    "view.labour": {"id": "Tenaga kerja", "en": "Labour"},
    "view.environment": {"id": "Lingkungan", "en": "Environment"},
    "view.margin": {"id": "Margin keuntungan", "en": "Margin"},
    "view.data": {"id": "Data & impor", "en": "Data & import"},
    "data.versions": {"id": "Versi data jumlah", "en": "Dataset versions"},
    "search": {"id": "Cari wilayah (nama sekarang atau sebelum 2015)", "en": "Find a unit (current or pre-2015 name)"},
    "search.placeholder": {"id": "Ketik nama desa/kelurahan…", "en": "Type a desa/kelurahan name…"},
    "search.old_name": {"id": "{old} (nama lama) → {name}", "en": "{old} (former name) → {name}"},
    "save_map": {"id": "Simpan peta ini (PNG)", "en": "Save this map (PNG)"},
    "table.select_hint": {
        "id": "Pilih sebuah baris untuk menyorot dan memperbesar wilayah itu di peta.",
        "en": "Select a row to highlight and zoom to that unit on the map.",
    },
    "summary.area": {
        "id": "**{area}**: {with_data} dari {units} desa/kelurahan berdata; jumlahnya {producers} pelaku usaha dan {workers} pekerja. Angka terbitan untuk seluruh wilayah (tidak sejenis, saling berbeda): {published}.",
        "en": "**{area}**: {with_data} of {units} desa/kelurahan have counts, summing to {producers} producers and {workers} workers. Published totals for the whole area (of other kinds, and they disagree): {published}.",
    },
    "survey.form": {
        "id": "Unduh formulir survei lapangan (XLSForm: ODK / KoboToolbox)",
        "en": "Download the field-survey form (XLSForm: ODK / KoboToolbox)",
    },
    "survey.form.help": {
        "id": "Terbitkan di ODK Central atau KoboToolbox, kumpulkan di ponsel, lalu muat ekspornya di Muat direktori usaha dengan profil kolom odk atau kobo (docs/survey.md).",
        "en": "Publish it on ODK Central or KoboToolbox, collect on phones, then load its export under Load a business directory with the column profile odk or kobo (docs/survey.md).",
    },
    "summary.survey": {
        "id": "**{area}**, survei {year} ({source}): {reached} dari {units} desa/kelurahan sudah ada kiriman.",
        "en": "**{area}**, survey {year} ({source}): {reached} of {units} desa/kelurahan have submissions so far.",
    },
    "summary.none": {
        "id": "**{area}**: tidak ada hitungan per desa yang diterbitkan untuk {units} desa/kelurahannya, hanya angka seluruh wilayah: {published}. Bappeda dapat memuatnya di halaman *Data & impor* (templat, direktori usaha, atau tabel per kecamatan).",
        "en": "**{area}**: no per-desa counts are published for its {units} desa/kelurahan, only totals for the whole area: {published}. Bappeda can load them on the *Data & impor* page (template, business directory or kecamatan table).",
    },
    "per_kecamatan.note": {
        "id": "{n} desa/kelurahan dilaporkan per kecamatan (tanpa angka per desa): lihat tingkat Kecamatan. Angka kecamatan tidak pernah dibagi ke desa.",
        "en": "{n} desa/kelurahan are reported per kecamatan (no per-desa counts): see the Kecamatan level. Kecamatan figures are never spread over desa.",
    },
    "directory": {"id": "Muat direktori usaha (Bappeda)", "en": "Load a business directory (Bappeda)"},
    "directory.help": {
        "id": "Satu baris per usaha (Direktori IKM, data UMKM). Periksa dulu kolomnya, lalu laporan (tanpa menyimpan); simpan hanya bila laporannya benar. Nama dan alamat usaha tidak pernah disimpan. Panduan: docs/bappeda.md.",
        "en": "One row per business (Direktori IKM, UMKM data). Check the columns, then the report (nothing stored); store only when the report is right. Business names and addresses are never stored. Guide: docs/bappeda.md.",
    },
    "directory.label": {"id": "Kolom berkas", "en": "File column"},
    "directory.samples": {"id": "Contoh isi", "en": "Sample values"},
    "directory.target": {"id": "Kolom atlas", "en": "Atlas column"},
    "directory.keep": {"id": "Hanya baris dengan (KOLOM=NILAI)", "en": "Only rows with (COLUMN=VALUE)"},
    "directory.summary": {
        "id": "{rows} baris usaha, {filtered} tersaring keluar, {totals} baris jumlah dilewati; {placed} ditempatkan, {unplaced} tidak dapat ditempatkan (daftar di bawah).",
        "en": "{rows} business rows, {filtered} filtered out, {totals} totals rows skipped; {placed} placed, {unplaced} could not be placed (listed below).",
    },
    "directory.row": {"id": "Baris", "en": "Row"},
    "directory.column": {"id": "Kolom", "en": "Column"},
    "directory.value": {"id": "Isi", "en": "Value"},
    "directory.reason": {"id": "Alasan", "en": "Reason"},
    "columns.profile": {"id": "Profil kolom tersimpan", "en": "Saved column profile"},
    "columns.save_as": {"id": "Simpan pemetaan kolom sebagai profil", "en": "Save the column mapping as a profile"},
    "columns.save": {"id": "Simpan profil", "en": "Save profile"},
    "columns.saved": {"id": "Profil {name} disimpan.", "en": "Profile {name} saved."},
    "directory.check": {"id": "Periksa (tanpa menyimpan)", "en": "Check (nothing stored)"},
    "directory.accept": {"id": "Terima laporan dan simpan", "en": "Accept the report and store"},
    "data.year": {"id": "Tahun", "en": "Year"},
    "data.source": {"id": "Sumber", "en": "Source"},
    "data.imported": {"id": "Diimpor (UTC)", "en": "Imported (UTC)"},
    "data.in_latest": {"id": "Dalam tampilan terbaru", "en": "In the latest view"},
    "data.yes": {"id": "ya", "en": "yes"},
    "data.no": {"id": "tidak", "en": "no"},
    "data.manage": {"id": "Kelola versi (editor)", "en": "Manage versions (editors)"},
    "data.version": {"id": "Versi", "en": "Version"},
    "data.action": {"id": "Tindakan", "en": "Action"},
    "data.action.exclude": {"id": "Keluarkan dari tampilan terbaru", "en": "Keep out of the latest view"},
    "data.action.include": {"id": "Masukkan ke tampilan terbaru", "en": "Let back into the latest view"},
    "data.action.retire": {"id": "Pensiunkan (tetap tersimpan)", "en": "Retire (kept on disk)"},
    "data.apply": {"id": "Terapkan", "en": "Apply"},
    "data.applied": {
        "id": "Selesai: {version}. Tercatat di jejak audit.",
        "en": "Done: {version}. Recorded in the audit trail.",
    },
    "data.retired": {"id": "Versi yang dipensiunkan", "en": "Retired versions"},
    "data.restore": {"id": "Pulihkan", "en": "Restore"},
    "data.change_failed": {
        "id": "Perubahan ditolak; tidak ada yang diubah.",
        "en": "Change refused; nothing was changed.",
    },
    "margin.umk_year": {"id": "Tahun UMK", "en": "UMK year"},
    "margin.inputs": {"id": "Masukan rantai nilai (per kain)", "en": "Value-chain inputs (per piece)"},
    "margin.inputs_help": {
        "id": "Nilai berlabel *skenario* adalah asumsi, bukan data; ganti dengan hasil survei (docs/margin.md). Harga beli tiap pelaku mengikuti harga jual pelaku sebelumnya.",
        "en": "Values labelled *scenario* are assumptions, not data; replace them with survey results (docs/margin.md). Each actor's buying price follows the previous actor's selling price.",
    },
    "margin.caption": {
        "id": "Perkiraan dari model: jumlah pekerja dan pelaku usaha ({dataset}) × masukan rantai nilai. Bersumber: {sourced}. Asumsi skenario: {scenario}.",
        "en": "Model estimates: workers and producers ({dataset}) × value-chain inputs. Sourced: {sourced}. Scenario assumptions: {scenario}.",
    },
    "margin.map_note": {
        "id": "Model: bersumber = {sourced}, UMK; jumlah: {dataset}; semua masukan lain = asumsi skenario.",
        "en": "Model: sourced = {sourced}, UMK; counts: {dataset}; every other input = scenario assumption.",
    },
    "margin.none": {"id": "tidak ada", "en": "none"},
    "margin.same": {
        "id": "{measure} sama untuk setiap wilayah: {value}. Peta satu kelas tidak digambar.",
        "en": "{measure} is the same for every unit: {value}. A one-class map is not drawn.",
    },
    "margin.chart": {
        "id": "Bagian harga akhir per pelaku (per kain)",
        "en": "Share of the final price by actor (per piece)",
    },
    "margin.outside": {
        "id": "Bahan di luar rantai: {share} % dari harga akhir.",
        "en": "Inputs from outside the chain: {share} % of the final price.",
    },
    "margin.share": {"id": "Bagian (%)", "en": "Share (%)"},
    "margin.table": {"id": "Ekonomi per pelaku", "en": "Unit economics by actor"},
    "margin.error": {
        "id": "{n} masukan tidak sah dan tidak dipakai (yang lain tetap); rinciannya di bawah.",
        "en": "{n} invalid input(s) not used (the others are kept); details below.",
    },
    "margin.download": {"id": "Unduh lapisan margin", "en": "Download the margin layer"},
    "actor.pemasok": {"id": "Pemasok bahan baku", "en": "Raw-material supplier"},
    "actor.buruh": {"id": "Buruh batik", "en": "Batik worker"},
    "actor.pengrajin": {"id": "Pengrajin", "en": "Batik maker"},
    "actor.pemilik": {"id": "Pemilik usaha (juragan)", "en": "Business owner (juragan)"},
    "actor.pedagang": {"id": "Pedagang", "en": "Trader"},
    "param.harga_masuk": {"id": "harga beli", "en": "price in"},
    "param.harga_keluar": {"id": "harga jual / upah", "en": "price out / wage"},
    "param.unit_per_bulan": {"id": "kain per bulan", "en": "pieces per month"},
    "status.sourced": {"id": "bersumber", "en": "sourced"},
    "status.scenario": {"id": "skenario", "en": "scenario"},
    "env.upload": {
        "id": "Data lingkungan: raster GeoTIFF atau vektor (GPKG, GeoJSON, Shapefile zip, KML, FlatGeobuf, CSV bujur/lintang)",
        "en": "Environmental data: a GeoTIFF raster or a vector file (GPKG, GeoJSON, zipped Shapefile, KML, FlatGeobuf, CSV lon/lat)",
    },
    "env.vector_help": {
        "id": "Vektor dihitung tepat dalam UTM 49S: poligon (mis. genangan rob) luas dan bagian tertutup; garis (mis. sungai) panjang dan jarak; titik (mis. sampel air) jumlah, nilai atribut dan jarak. Unggahan tidak mengubah data tersimpan. Panduan: docs/environment.md.",
        "en": "Vectors are computed exactly in UTM 49S: polygons (e.g. tidal flooding) area and share covered; lines (e.g. rivers) length and distance; points (e.g. water samples) count, attribute values and distance. An upload changes no stored data. Guide: docs/environment.md.",
    },
    "env.vector_measure": {"id": "Statistik vektor", "en": "Vector statistic"},
    "env.attribute": {"id": "Atribut titik (angka)", "en": "Point attribute (numeric)"},
    "env.classes": {"id": "Bagian per kelas atribut", "en": "Share per class of an attribute"},
    "env.fill": {"id": "Nilai untuk wilayah tanpa titik", "en": "Value for units without points"},
    "env.nothing": {"id": "(tidak ada)", "en": "(none)"},
    "fill.none": {"id": "biarkan kosong", "en": "leave empty"},
    "fill.nearest": {"id": "titik terdekat (ditandai)", "en": "nearest point (labelled)"},
    "fill.idw": {"id": "interpolasi IDW (ditandai)", "en": "IDW interpolation (labelled)"},
    "kind.polygon": {"id": "poligon", "en": "polygon"},
    "kind.line": {"id": "garis", "en": "line"},
    "kind.point": {"id": "titik", "en": "point"},
    "env.vector_summary": {
        "id": "{features} fitur {kind} dari {name} (CRS asal {crs}); {repaired} geometri tidak valid diperbaiki.",
        "en": "{features} {kind} features from {name} (own CRS {crs}); {repaired} invalid geometries repaired.",
    },
    "env.vector_error": {
        "id": "Berkas vektor tidak dapat dipakai; tidak ada yang disimpan.",
        "en": "The vector file cannot be used; nothing was saved.",
    },
    "env.source_raster": {"id": "raster {name}, band {band}, {crs}", "en": "raster {name}, band {band}, {crs}"},
    "env.source_vector": {"id": "vektor {name}, {crs}", "en": "vector {name}, {crs}"},
    "env.help": {
        "id": "Unggah GeoTIFF (elevasi, rob, penurunan tanah, pencemaran, tutupan lahan) dalam CRS apa pun; batas {mb} MB. Statistik dihitung tepat per wilayah, berbobot bagian sel yang tertutup. Raster besar: pakai `atlas overlay` di baris perintah.",
        "en": "Upload a GeoTIFF (elevation, tidal flooding, subsidence, pollution, land cover) in any CRS; limit {mb} MB. Statistics are exact per unit, weighted by the covered part of each cell. Large rasters: use `atlas overlay` on the command line.",
    },
    "env.band": {"id": "Band", "en": "Band"},
    "env.stat": {"id": "Statistik", "en": "Statistic"},
    "env.class_share": {"id": "Bagian kelas yang dipetakan", "en": "Class share to map"},
    "env.categorical": {"id": "Raster kategori (mis. tutupan lahan)", "en": "Categorical raster (e.g. land cover)"},
    "env.batik": {"id": "Indikator batik untuk dibandingkan", "en": "Batik indicator to compare"},
    "env.map_title": {"id": "{stat} raster, band {band}", "en": "Raster {stat}, band {band}"},
    "env.progress": {"id": "Menghitung statistik per wilayah…", "en": "Computing statistics per unit…"},
    "env.scatter": {"id": "{batik} terhadap {stat}", "en": "{batik} against {stat}"},
    "env.correlation": {
        "id": "Korelasi (Pearson r, {n} wilayah berdata)",
        "en": "Correlation (Pearson r, {n} units with data)",
    },
    "env.no_correlation": {
        "id": "Terlalu sedikit wilayah berdata untuk korelasi ({n}).",
        "en": "Too few units with data for a correlation ({n}).",
    },
    "env.coverage": {
        "id": "Raster menutup {full} wilayah penuh, {partial} sebagian, {none} tidak sama sekali.",
        "en": "The raster covers {full} units fully, {partial} partly, {none} not at all.",
    },
    "env.download": {"id": "Unduh lapisan gabungan", "en": "Download the joined layer"},
    "env.waiting": {
        "id": "Unggah sebuah GeoTIFF atau berkas vektor untuk memulai.",
        "en": "Upload a GeoTIFF or a vector file to start.",
    },
    "env.error": {
        "id": "Raster tidak dapat dipakai; tidak ada yang disimpan.",
        "en": "The raster cannot be used; nothing was saved.",
    },
    "stat.mean": {"id": "rata-rata", "en": "mean"},
    "stat.min": {"id": "minimum", "en": "minimum"},
    "stat.max": {"id": "maksimum", "en": "maximum"},
    "stat.std": {"id": "simpangan baku", "en": "standard deviation"},
    "stat.sum": {"id": "jumlah", "en": "sum"},
    "stat.count": {"id": "jumlah sel", "en": "cell count"},
    "stat.coverage": {"id": "bagian tertutup", "en": "covered fraction"},
    "measure": {"id": "Ukuran", "en": "Measure"},
    "level": {"id": "Tingkat wilayah", "en": "Level"},
    # the published layers (OGC API collections, data packages, metadata records)
    "collection.terbaru": {"id": "Jumlah terbaru per wilayah", "en": "Latest count per unit"},
    "collection.terbaru.about": {
        "id": "Pelaku usaha dan pekerja batik per wilayah: jumlah terbaru setiap wilayah, dengan tahun dan sumbernya sendiri.",
        "en": "Batik producers and workers per unit: each unit's most recent count, with its own year and source.",
    },
    "collection.versi": {"id": "Semua versi data jumlah", "en": "Every dataset version of the counts"},
    "collection.versi.about": {
        "id": "Setiap versi data jumlah (Tabel 1 Wijaya dkk. 2022 dan setiap impor Bappeda); saring dengan versi, tahun atau sumber.",
        "en": "Every dataset version of the counts (Tabel 1 of Wijaya et al. 2022 and every Bappeda import); filter by versi, tahun or sumber.",
    },
    "collection.margin": {"id": "Model margin (Gambar 3)", "en": "Margin model (Gambar 3)"},
    "collection.margin.about": {
        "id": "Perkiraan upah pekerja dan margin pemilik per wilayah menurut model rantai nilai; setiap masukan diberi asal (bersumber atau skenario).",
        "en": "Estimated worker wages and owner margins per unit from the value-chain model; every input labelled sourced or scenario.",
    },
    "collection.perubahan": {
        "id": "Perubahan antara versi terlama dan terbaru",
        "en": "Change from the oldest to the newest version",
    },
    "collection.perubahan.about": {
        "id": "Selisih jumlah antara versi desa terlama dan terbaru; kosong bila baru ada satu versi.",
        "en": "Difference in counts between the oldest and the newest desa-level version; empty while there is one version only.",
    },
    "level.desa": {"id": "Desa/kelurahan", "en": "Village (desa/kelurahan)"},
    "level.kecamatan": {"id": "Kecamatan", "en": "Kecamatan (district)"},
    "level.kabkota": {"id": "Kabupaten/kota", "en": "Kabupaten/kota"},
    "region": {"id": "Wilayah", "en": "Region"},
    "region.all": {"id": "Kota + Kabupaten", "en": "Kota + Kabupaten"},
    "region.kota": {"id": "Kota Pekalongan", "en": "Kota Pekalongan"},
    "region.kabupaten": {"id": "Kabupaten Pekalongan", "en": "Kabupaten Pekalongan"},
    "scheme": {"id": "Klasifikasi", "en": "Classification"},
    "scheme.quantiles": {"id": "Kuantil", "en": "Quantiles"},
    "scheme.fisher_jenks": {"id": "Natural breaks (Fisher-Jenks)", "en": "Natural breaks (Fisher-Jenks)"},
    "scheme.equal_interval": {"id": "Interval sama", "en": "Equal interval"},
    "scheme.user_defined": {"id": "Batas kelas sendiri", "en": "User-defined breaks"},
    "classes": {"id": "Jumlah kelas", "en": "Number of classes"},
    "breaks": {"id": "Batas kelas (pisahkan dengan koma)", "en": "Class breaks (comma-separated)"},
    "palette": {"id": "Palet warna (aman buta warna)", "en": "Colour palette (colour-blind safe)"},
    "basemap": {"id": "Peta dasar", "en": "Basemap"},
    "basemap.none": {"id": "Tanpa peta dasar (luring)", "en": "No basemap (offline)"},
    "basemap.osm": {"id": "OpenStreetMap (perlu internet)", "en": "OpenStreetMap (needs internet)"},
    "no_data": {"id": "Tidak ada data", "en": "No data"},
    "status.reported": {"id": "lengkap", "en": "reported"},
    "status.partial": {"id": "sebagian", "en": "partial"},
    "status.no data": {"id": "tidak ada data", "en": "no data"},
    "status.per kecamatan": {"id": "dilaporkan per kecamatan", "en": "reported per kecamatan"},
    "note.few_values": {
        "id": "Hanya {n} nilai berbeda: peta memakai {n} kelas, bukan {k}.",
        "en": "Only {n} distinct values: the map uses {n} classes instead of {k}.",
    },
    "note.no_values": {"id": "Tidak ada nilai untuk dipetakan.", "en": "There are no values to map."},
    "note.no_breaks": {
        "id": "Belum ada batas kelas; memakai kuantil.",
        "en": "No class breaks given; using quantiles.",
    },
    "note.breaks_outside": {
        "id": "Batas {breaks} di luar rentang data ({low} – {high}) dan tidak dipakai.",
        "en": "Breaks {breaks} lie outside the data ({low} – {high}) and are not used.",
    },
    "auth.read_only": {
        "id": "Atlas ini hanya-baca: belum ada editor. Pengelola server menambah editor dengan `atlas editors add NAMA` (docs/bappeda.md).",
        "en": "This atlas is read-only: no editor is configured. Whoever runs the server adds one with `atlas editors add NAME` (docs/bappeda.md).",
    },
    "auth.visitors": {
        "id": "Pengunjung dapat menjelajah dan mengunduh. Hanya editor (Bappeda) yang masuk dapat memuat data.",
        "en": "Visitors explore and download. Only signed-in editors (Bappeda) load data.",
    },
    "auth.name": {"id": "Nama editor", "en": "Editor name"},
    "auth.password": {"id": "Kata sandi", "en": "Password"},
    "auth.sign_in": {"id": "Masuk", "en": "Sign in"},
    "auth.sign_out": {"id": "Keluar", "en": "Sign out"},
    "auth.signed_in": {"id": "Masuk sebagai editor {name}.", "en": "Signed in as editor {name}."},
    "auth.wrong": {"id": "Nama atau kata sandi salah.", "en": "Wrong name or password."},
    "auth.locked": {
        "id": "Terlalu banyak percobaan gagal; coba lagi dalam {seconds} detik.",
        "en": "Too many failed attempts; try again in {seconds} seconds.",
    },
    "audit": {"id": "Jejak perubahan (audit)", "en": "Audit trail"},
    "audit.help": {
        "id": "Hanya editor yang melihat jejak perubahan dan nama editor.",
        "en": "Only editors see the audit trail and the editors' names.",
    },
    "audit.waktu": {"id": "Waktu (UTC)", "en": "Time (UTC)"},
    "audit.editor": {"id": "Editor", "en": "Editor"},
    "audit.tindakan": {"id": "Tindakan", "en": "Action"},
    "audit.tahun": {"id": "Tahun data", "en": "Data year"},
    "audit.sumber": {"id": "Sumber", "en": "Source"},
    "audit.berkas": {"id": "Berkas", "en": "File"},
    "audit.baris": {"id": "Baris", "en": "Rows"},
    "audit.unit": {"id": "Unit", "en": "Units"},
    "audit.versi": {"id": "Versi", "en": "Version"},
    "audit.sha256": {"id": "SHA-256 berkas", "en": "File SHA-256"},
    "audit.action.import": {"id": "impor", "en": "import"},
    "audit.action.replace": {"id": "ganti", "en": "replace"},
    "audit.action.retire": {"id": "pensiunkan", "en": "retire"},
    "audit.action.restore": {"id": "pulihkan", "en": "restore"},
    "audit.action.exclude": {"id": "keluarkan dari data terbaru", "en": "exclude from latest"},
    "audit.action.include": {"id": "masukkan ke data terbaru", "en": "include in latest"},
    "error.data": {
        "id": "Data ini tidak dapat ditampilkan. Data lain tetap utuh; rinciannya ada di bawah.",
        "en": "This data cannot be shown. Other data are intact; the details are below.",
    },
    "error.files": {
        "id": "Server tidak dapat membaca atau menulis berkasnya (penuh atau hanya-baca?). Hubungi pengelola atlas.",
        "en": "The server cannot read or write its files (full or read-only?). Contact whoever runs the atlas.",
    },
    "upload.button": {"id": "Pilih berkas", "en": "Choose a file"},
    "error.details": {"id": "Rincian teknis", "en": "Technical details"},
    "error.unexpected": {
        "id": "Halaman ini gagal karena kesalahan di atlas sendiri, bukan karena data Anda. Kesalahan itu tercatat di log server; muat ulang halaman atau pilih tampilan lain.",
        "en": "This page failed because of a fault in the atlas itself, not in your data. The fault is recorded in the server's log; reload the page or choose another view.",
    },
    # what each kind of error means, in plain words (atlas.errors; the detail is folded away)
    "error.kind.AtlasError": {"id": "Atlas tidak dapat memakai masukan ini.", "en": "The atlas cannot use this input."},
    "error.kind.OptionError": {"id": "Pilihan ini tidak sah.", "en": "This choice is not valid."},
    "error.kind.UnknownRegionError": {"id": "Wilayah ini tidak dikenal.", "en": "This area is not known."},
    "error.kind.UnknownLevelError": {"id": "Tingkat wilayah ini tidak dikenal.", "en": "This level is not known."},
    "error.kind.UnknownFieldError": {
        "id": "Kolom ini tidak dikenal atlas.",
        "en": "The atlas does not know this column.",
    },
    "error.kind.OutputExistsError": {
        "id": "Berkas keluaran sudah ada dan tidak ditimpa.",
        "en": "The output file exists and was not overwritten.",
    },
    "error.kind.SourceUnavailableError": {
        "id": "Berkas batas wilayah tidak tersedia (tanpa cermin dan tanpa internet).",
        "en": "A boundary file is not available (no mirror and no internet).",
    },
    "error.kind.ChecksumError": {
        "id": "Berkas batas wilayah tidak sama dengan versi yang dipatok (SHA-256).",
        "en": "A boundary file differs from its pinned version (SHA-256).",
    },
    "error.kind.BoundaryParseError": {
        "id": "Berkas batas wilayah tidak dapat dibaca.",
        "en": "A boundary file cannot be read.",
    },
    "error.kind.BoundaryValidationError": {
        "id": "Batas wilayah gagal diperiksa (jumlah wilayah atau geometri).",
        "en": "The boundaries fail a check (unit counts or geometry).",
    },
    "error.kind.IndicatorTableError": {
        "id": "Tabel data rusak: baris, kolom dan isinya disebut di rincian.",
        "en": "A data table is malformed: the row, column and value are in the details.",
    },
    "error.kind.DatasetNotFoundError": {
        "id": "Versi data yang diminta tidak ada.",
        "en": "The dataset version asked for does not exist.",
    },
    "error.kind.UnknownUnitError": {
        "id": "Nama atau kode wilayah tidak dikenal.",
        "en": "A unit name or code is not known.",
    },
    "error.kind.AmbiguousUnitError": {
        "id": "Nama wilayah cocok dengan lebih dari satu wilayah; pakai kodenya.",
        "en": "A unit name matches more than one unit; use its code.",
    },
    "error.kind.SpreadsheetError": {
        "id": "Berkas ini tidak dapat dibaca sebagai tabel (CSV, XLSX atau ODS).",
        "en": "This file cannot be read as a table (CSV, XLSX or ODS).",
    },
    "error.kind.ImportRejected": {
        "id": "Isi berkas tidak lolos pemeriksaan; setiap alasan ada di rincian.",
        "en": "The file's contents fail the checks; every reason is in the details.",
    },
    "error.kind.ParseLimitError": {
        "id": "Membaca berkas ini butuh terlalu banyak memori atau waktu, atau dihentikan; tidak ada yang disimpan.",
        "en": "Reading this file needs too much memory or time, or was stopped; nothing was stored.",
    },
    "error.kind.MarginInputError": {
        "id": "Nilai rantai nilai tidak sah (aktor, parameter dan nilainya di rincian).",
        "en": "A value-chain input is not valid (actor, parameter and value in the details).",
    },
    "error.kind.RasterError": {
        "id": "Bukan raster yang dapat dipakai: bukan raster, tanpa CRS, di luar wilayah, atau terlalu besar.",
        "en": "Not a usable raster: not a raster, no CRS, outside the area, or too large.",
    },
    "error.kind.VectorError": {
        "id": "Bukan berkas vektor yang dapat dipakai: format tak dikenal, tanpa CRS, di luar wilayah, atau terlalu besar.",
        "en": "Not a usable vector file: unknown format, no CRS, outside the area, or too large.",
    },
    "error.kind.ExportError": {
        "id": "Berkas ekspor tidak dapat ditulis; ekspor sebelumnya tetap utuh.",
        "en": "The export cannot be written; earlier exports are intact.",
    },
    "error.kind.AssetMissingError": {
        "id": "Pustaka peta (JavaScript/CSS) tidak terpasang; jalankan pemasangan lagi.",
        "en": "The map libraries (JavaScript/CSS) are not installed; run the set-up again.",
    },
    "error.kind.EditorsFileError": {
        "id": "Berkas daftar editor rusak; hubungi pengelola atlas.",
        "en": "The editors file is damaged; contact whoever runs the atlas.",
    },
    "error.kind.VersionExistsError": {
        "id": "Versi data dengan tahun dan sumber ini sudah tersimpan; centang 'ganti' untuk menggantinya atau beri sumber lain.",
        "en": "A dataset version of this year and source is already stored; tick 'replace' to replace it or give another source.",
    },
    "error.kind.StoreUnavailableError": {
        "id": "Basis data atlas tidak dapat dihubungi; peta tetap dapat dilihat, perubahan data menunggu sampai tersambung lagi.",
        "en": "The atlas database cannot be reached; maps can still be viewed, changes to the data wait until it is back.",
    },
    "error.kind.StoreSchemaError": {
        "id": "Basis data atlas belum disiapkan atau versinya lain; pengelola menjalankan 'atlas db init' atau 'atlas db upgrade'.",
        "en": "The atlas database is not set up or has another version; whoever runs the atlas runs 'atlas db init' or 'atlas db upgrade'.",
    },
    "error.kind.StoreWriteError": {
        "id": "Basis data menolak perubahan ini; tidak ada yang berubah.",
        "en": "The database refused this change; nothing was changed.",
    },
    "data.store_problem": {
        "id": "Atlas hanya-baca untuk sementara, dengan data Tabel 1 saja.",
        "en": "The atlas is read-only for now, with the Tabel 1 data only.",
    },
    "data.damaged": {
        "id": "Versi data {name} rusak dan dilewati; versi lain tetap utuh.",
        "en": "The dataset version {name} is damaged and skipped; the other versions are intact.",
    },
    "legend.no_change": {"id": "0 (tidak berubah)", "en": "0 (no change)"},
    "legend.partial": {"id": "Dibandingkan dengan data sebagian", "en": "Compared with a partial count"},
    "banding.comparable": {"id": "sebanding (keduanya lengkap)", "en": "comparable (both complete)"},
    "banding.partial": {
        "id": "dengan data sebagian: perubahan bisa semu",
        "en": "involves a partial count: the change may be an artefact",
    },
    "banding.missing": {"id": "tidak ada data di salah satu tahun", "en": "no data in one of the years"},
    "change.no_overlap": {
        "id": "Tidak ada wilayah yang berdata di kedua data ({start} dan {end}); pilih data lain untuk dibandingkan.",
        "en": "No unit has data in both datasets ({start} and {end}); choose other datasets to compare.",
    },
    "change.partial_count": {
        "id": "{n} wilayah dibandingkan dengan data sebagian (garis merah putus-putus): perubahannya bisa semu.",
        "en": "{n} units are compared with a partial count (dashed red outline): their change may be an artefact.",
    },
    "note.fallback": {
        "id": "Klasifikasi {scheme} gagal ({reason}); memakai kelas per nilai.",
        "en": "The {scheme} classification failed ({reason}); using one class per value.",
    },
    "error.breaks": {
        "id": "Batas kelas harus angka dipisah koma, bukan {text!r}; memakai kuantil.",
        "en": "Class breaks must be numbers separated by commas, not {text!r}; using quantiles.",
    },
    "dataset": {"id": "Data (tahun: sumber)", "en": "Dataset (year: source)"},
    "link.this_view": {
        "id": "Tautan ke tampilan ini (tambahkan ke alamat atlas, atau salin alamat dari bilah browser):",
        "en": "Link to this view (add it to the atlas's address, or copy the address bar):",
    },
    "dataset.latest": {"id": "Terbaru per wilayah", "en": "Latest per unit"},
    "dataset.years": {"id": "Per tahun (penggeser tahun, putar)", "en": "By year (year slider, play)"},
    "year.tolerance": {
        "id": "Toleransi tahun (nilai tahun sebelumnya dipakai paling lama)",
        "en": "Year tolerance (how far back an earlier value is shown)",
    },
    "latest.mixed": {
        "id": "Tahun bercampur: tiap wilayah menampilkan jumlah terbarunya ({years}); tahun dan sumber tiap nilai ada di tabel dan rincian.",
        "en": "Years are mixed: each unit shows its most recent count ({years}); each value's year and source are in the table and details.",
    },
    "compare": {"id": "Tampilkan perubahan antar dua tahun", "en": "Show the change between two years"},
    "compare.with": {"id": "Dibandingkan dengan (awal)", "en": "Compared with (start)"},
    "compare.none": {
        "id": "Hanya ada satu data; impor data tahun lain untuk membandingkan.",
        "en": "There is only one dataset; import another year to compare.",
    },
    "change.title": {"id": "Perubahan {measure}, {start} → {end}", "en": "Change in {measure}, {start} → {end}"},
    "downloads": {"id": "Unduh tampilan ini", "en": "Download this view"},
    "download.gpkg": {"id": "GeoPackage (semua tingkat)", "en": "GeoPackage (all levels)"},
    "download.shp": {"id": "Shapefile (zip)", "en": "Shapefile (zip)"},
    "download.xlsx": {"id": "XLSX", "en": "XLSX"},
    "import": {"id": "Muat data jumlah baru (Bappeda)", "en": "Load updated counts (Bappeda)"},
    "import.help": {
        "id": "Berkas CSV atau XLSX dengan kode (KDEPUM) atau nama desa/kelurahan, pelaku usaha dan pekerja. Batas ukuran {mb} MB. Unduh templat di atas (atau `atlas template`; lihat docs/bappeda.md).",
        "en": "A CSV or XLSX file with the village code (KDEPUM) or name, producers and workers. Size limit {mb} MB. Download the template above (or `atlas template`; see docs/bappeda.md).",
    },
    "import.template": {
        "id": "Unduh templat isian (XLSX, semua desa/kelurahan)",
        "en": "Download the fill-in template (XLSX, every village)",
    },
    "import.replace": {
        "id": "Ganti versi yang sudah ada (tahun dan sumber sama)",
        "en": "Replace the existing version (same year and source)",
    },
    "import.exists": {
        "id": 'Sudah ada data {year} dari sumber ini. Centang "Ganti versi yang sudah ada" untuk menggantinya, atau beri sumber lain.',
        "en": 'A {year} dataset from this source exists. Tick "Replace the existing version" to replace it, or give another source.',
    },
    "import.file": {"id": "Berkas", "en": "File"},
    "import.year": {"id": "Tahun data", "en": "Year of the counts"},
    "import.source": {"id": "Sumber data", "en": "Source of the counts"},
    "import.button": {"id": "Impor sebagai data baru", "en": "Import as a new dataset"},
    "import.done": {
        "id": "Diimpor: {rows} baris, {units} desa/kelurahan, sebagai data {year}.",
        "en": "Imported: {rows} rows, {units} villages, as the {year} dataset.",
    },
    "import.rejected": {
        "id": "Berkas ditolak; tidak ada yang berubah.",
        "en": "The file was rejected; nothing changed.",
    },
    "import.need_source": {"id": "Isi sumber data terlebih dahulu.", "en": "Enter the source first."},
    "details": {"id": "Rincian wilayah", "en": "Unit details"},
    "details.published": {
        "id": "Angka terbitan lain untuk wilayah ini (definisi lain; tidak digabung dengan hitungan):",
        "en": "Other published figures for this unit (other definitions; never merged into the counts):",
    },
    "sources.unit_figures": {
        "id": "Angka terbitan per wilayah (definisi lain, berdampingan dengan hitungan)",
        "en": "Published figures per unit (other definitions, beside the counts)",
    },
    "details.field": {"id": "Kolom", "en": "Field"},
    "details.value": {"id": "Nilai", "en": "Value"},
    "details.hint": {
        "id": "Klik sebuah wilayah pada peta untuk melihat rinciannya.",
        "en": "Click a unit on the map to see its details.",
    },
    "table": {"id": "Tabel", "en": "Table"},
    "download.geojson": {"id": "GeoJSON", "en": "GeoJSON"},
    "download.csv": {"id": "CSV", "en": "CSV"},
    "download.package": {
        "id": "Paket publikasi (SHP, GPKG, metadata ISO 19139, Data Package)",
        "en": "Publication package (SHP, GPKG, ISO 19139 metadata, Data Package)",
    },
    "sources": {"id": "Sumber data", "en": "Data sources"},
    "sources.counts": {"id": "Jumlah per desa/kelurahan", "en": "Counts per village"},
    "sources.no_counts": {
        "id": "Tidak ada jumlah per desa/kelurahan untuk wilayah dan data yang dipilih.",
        "en": "No per-village counts for the chosen area and dataset.",
    },
    "sources.totals": {
        "id": "Total terbitan (berbeda antar sumber; ditampilkan berdampingan, tidak dirata-rata)",
        "en": "Published totals (sources disagree; shown side by side, not averaged)",
    },
    "sources.boundaries": {
        "id": "Batas wilayah: cahyadsn/wilayah_boundaries (MIT), kode Kepmendagri 300.2.2-2430/2025, commit {commit}.",
        "en": "Boundaries: cahyadsn/wilayah_boundaries (MIT), Kepmendagri 300.2.2-2430/2025 codes, commit {commit}.",
    },
    "sources.crosswalk": {
        "id": "Nama klaster 2017 memakai kelurahan sebelum penggabungan 2015 (Perda Kota Pekalongan No. 8/2013); dicocokkan lewat tabel padanan.",
        "en": "2017 cluster names use the kelurahan before the 2015 merger (Perda Kota Pekalongan No. 8/2013); matched through a crosswalk.",
    },
    "help": {"id": "Bantuan", "en": "Help"},
    "help.text": {
        "id": (
            "**Cara memakai.** Pilih *Peta* (Produksi atau Tenaga kerja) dan *Ukuran* di samping. "
            "Arahkan tetikus ke wilayah untuk nilai singkat; klik untuk rincian (kode, nama, nilai, "
            "sumber, tahun). Untuk mencari satu wilayah (mis. Kauman), pakai ikon kaca pembesar di "
            "pojok tabel, atau perbesar peta dan klik wilayahnya. Ubah *Klasifikasi* (mis. Natural "
            "breaks) dan *Jumlah kelas*. Tabel di bawah peta dapat diurutkan dengan mengklik judul kolom. Tombol *Unduh tampilan ini* menyimpan "
            "data sebagai GeoJSON, GeoPackage, Shapefile, CSV atau XLSX. Wilayah abu-abu bergaris putus-putus **tidak ada data** "
            "(bukan nol)."
        ),
        "en": (
            "**How to use.** Choose the *Map* (Production or Labour) and *Measure* in the sidebar. "
            "Hover over a unit for a quick value; click it for details (code, names, values, source, "
            "year). To find one unit (e.g. Kauman), use the magnifier icon at the corner of the table, or "
            "zoom the map and click it. Change the *Classification* (e.g. Natural breaks) and *Number "
            "of classes*. Sort the table below the map by clicking a column header. The *Download this view* buttons save "
            "the data as GeoJSON, GeoPackage, Shapefile, CSV or XLSX. Grey units with a dashed outline have **no data** (not zero)."
        ),
    },
    "approx.yes": {"id": "ya (±)", "en": "yes (~)"},
    "approx.no": {"id": "tidak", "en": "no"},
    "fig.g1": {
        "id": "Gambar 1. Peta produksi batik: pelaku usaha per desa/kelurahan",
        "en": "Figure 1. Batik production map: producers per village",
    },
    "fig.g2": {
        "id": "Gambar 2. Peta tenaga kerja batik: pekerja per desa/kelurahan",
        "en": "Figure 2. Batik labour map: workers per village",
    },
    "fig.g3": {
        "id": "Gambar 3. Margin keuntungan batik: upah buruh dibanding margin pemilik",
        "en": "Figure 3. Batik profit margins: worker wages against owner margins",
    },
    "fig.g4": {
        "id": "Gambar 4. Apakah klaster membantu usaha Anda? (survei klaster)",
        "en": "Figure 4. Does the cluster help your business? (cluster survey)",
    },
    "year": {"id": "Tahun", "en": "Year"},
    "env.band_years": {
        "id": "Pita raster ini tahun? Tulis tahun tiap pita (kosongkan bila bukan)",
        "en": "Are the bands years? Give each band's year (leave empty if not)",
    },
    "env.source_raster_years": {"id": "{name} (pita per tahun, {crs})", "en": "{name} (one band per year, {crs})"},
    "env.map_title_year": {"id": "{stat} raster, {year}", "en": "Raster {stat}, {year}"},
    "env.year_carried": {
        "id": "{n} wilayah memakai nilai batik tahun terdekat sebelumnya.",
        "en": "{n} units show the closest earlier year's batik value.",
    },
    "trend": {"id": "Perkembangan wilayah ini per tahun", "en": "This unit through the years"},
    "trend.partial": {
        "id": "Tahun yang baru sebagian desanya berdata tidak dijumlah dan tidak ditampilkan.",
        "en": "Years in which only some of its desa have counts are not summed and not shown.",
    },
    "trend.none": {
        "id": "Baru ada satu tahun data untuk wilayah ini.",
        "en": "Only one year of data for this unit so far.",
    },
    "ranked": {"id": "Peringkat wilayah (tertinggi dan terendah)", "en": "Units ranked (highest and lowest)"},
    "ranked.unit": {"id": "Wilayah", "en": "Unit"},
    "ranked.no_data": {"id": "Tanpa data: {n} wilayah", "en": "Without data: {n} units"},
    "multiples": {"id": "Peta beberapa tahun berdampingan", "en": "Maps of several years side by side"},
    "multiples.years": {"id": "Tahun yang ditampilkan", "en": "Years shown"},
    "year.play": {"id": "▶ Putar", "en": "▶ Play"},
    "year.pause": {"id": "⏸ Jeda", "en": "⏸ Pause"},
    "year.carried": {
        "id": "{shown}, tahun terdekat dengan data (tidak ada data {asked})",
        "en": "{shown}, the closest year with data (no data for {asked})",
    },
    "year.carried_legend": {
        "id": "Nilai tahun sebelumnya (garis titik)",
        "en": "An earlier year's value (dotted outline)",
    },
    "year.same_classes": {
        "id": "Kelas sama untuk semua tahun: warna yang sama berarti nilai yang sama.",
        "en": "The same classes for every year: one colour means one value.",
    },
    "series.carried_legend": {
        "id": "Dibawa dari tahun sebelumnya (arsir)",
        "en": "Carried from an earlier year (hatched)",
    },
    "series.multiples_title": {"id": "{measure} per tahun", "en": "{measure} by year"},
    "series.multiples_note": {
        "id": "Kelas dihitung atas semua tahun yang ditampilkan: warna yang sama berarti nilai yang sama di setiap tahun.",
        "en": "Classes are computed over every year shown: the same colour means the same value in every year.",
    },
    "fig.urban": {"id": "Kelurahan (perkotaan): garis tegas", "en": "Kelurahan (urban): solid outline"},
    "fig.rural": {"id": "Desa (perdesaan): garis titik", "en": "Desa (rural): dotted outline"},
    "fig.outline": {"id": "Batas kabupaten/kota", "en": "Kab/kota boundary"},
    "fig.north": {"id": "U", "en": "N"},
    "fig.sources": {"id": "Sumber: {sources}", "en": "Sources: {sources}"},
    "fig.boundaries": {
        "id": "batas wilayah cahyadsn/wilayah_boundaries (MIT), kode Kepmendagri 300.2.2-2430/2025",
        "en": "boundaries cahyadsn/wilayah_boundaries (MIT), Kepmendagri 300.2.2-2430/2025 codes",
    },
    "fig.scenario": {
        "id": "Skenario: semua masukan rantai nilai kecuali upah buruh per kain adalah asumsi (docs/margin.md)",
        "en": "Scenario: every value-chain input except the worker's wage per piece is an assumption (docs/margin.md)",
    },
    "fig.shares": {
        "id": "Bagian harga akhir per pelaku (model, per kain)",
        "en": "Share of the final price by actor (model, per piece)",
    },
    "fig.outside": {"id": "Bahan di luar rantai", "en": "Inputs outside the chain"},
    "fig.yes": {"id": "Ya", "en": "Yes"},
    "fig.no": {"id": "Tidak", "en": "No"},
    "fig.dont_know": {"id": "Tidak tahu", "en": "Don't know"},
    "fig.pesindon": {
        "id": "Pesindon (lokasi setelah penggabungan 2015 belum terkonfirmasi)",
        "en": "Pesindon (location after the 2015 merger unconfirmed)",
    },
    "fig.percent": {"id": "% responden", "en": "% of respondents"},
    "map.source_line": {"id": "Sumber: {sources}", "en": "Source: {sources}"},
}


#: The connecting words of a citation, as the atlas's own source files write them (English) and
#: as an Indonesian screen shows them; the longer phrase first where one contains another.
CITATION_TERMS = (
    (", cited in ", ", dikutip dalam "),
    (", reported by ", ", diberitakan oleh "),
    (", in ", ", dalam "),
    (" et al.", " dkk."),
    ("blog citing ", "blog yang mengutip "),
    (", published ", ", terbit "),
    (", via a thesis quotation", ", lewat kutipan tesis"),
    (" article ", " artikel "),
    ("(year approximate)", "(tahun perkiraan)"),
    ("May 2011", "Mei 2011"),
)


def citation(text: str, lang: str) -> str:
    """A source citation in ``lang``: its connecting words translated, names and titles kept."""
    if lang == "en":
        return text
    for english, indonesian in CITATION_TERMS:
        text = text.replace(english, indonesian)
    return text


def error_text(error: BaseException, lang: str) -> str:
    """What ``error`` means, in ``lang``: the text of its class, or of its nearest ancestor."""
    for kind in type(error).__mro__:
        if f"error.kind.{kind.__name__}" in STRINGS:
            return t(f"error.kind.{kind.__name__}", lang)
    return t("error.kind.AtlasError", lang)


def t(key: str, lang: str = DEFAULT_LANGUAGE, **values) -> str:
    """The text of ``key`` in ``lang`` (falling back to Bahasa Indonesia), formatted with ``values``."""
    entry = STRINGS[key]
    text = entry.get(lang) or entry[DEFAULT_LANGUAGE]
    return text.format(**values) if values else text


#: Streamlit's own words a visitor sees (its messages, placeholders and buttons), as regular
#: expressions over a whole text, with their translation; English needs none.
STREAMLIT_WORDS: dict[str, list[tuple[str, str]]] = {
    "id": [
        (r"^File must be (.+) or smaller\.$", "Berkas paling besar $1; berkas ini lebih besar dan tidak diunggah."),
        (r"^(.+) files are not allowed\.$", "Berkas $1 tidak diterima di sini."),
        (r"^Press Enter to submit form$", "Tekan Enter untuk mengirim formulir"),
        (r"^Press Enter to apply$", "Tekan Enter untuk menerapkan"),
        (r"^No results$", "Tidak ada hasil"),
        (r"^(\d+) results?$", "$1 hasil"),
        (r"^Download as CSV$", "Unduh sebagai CSV"),
        (r"^Choose an option$", "Pilih salah satu"),
        (r"^No options to select\.?$", "Tidak ada pilihan."),
        (r"^Running\.\.\.$", "Sedang memproses..."),
    ],
    "en": [],
}
