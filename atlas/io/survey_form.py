"""The field-survey form (XLSForm, the ODK standard read by ODK Central and KoboToolbox) for a
census of batik businesses: one submission is one business.

Kecamatan and desa/kelurahan are cascading selects built from the pinned boundaries, with the
Kemendagri codes as choice names (the questions are named ``KDCPUM`` and ``KDEPUM`` after the
field registry) and the current names as labels (pre-2015 names added, for kelurahan merged in
2015). The business's kinds of work, whether it employs workers, its workers by sex and by where
they work (at home or in the workshop; ``pekerja`` is their sum), a GPS point (with accuracy; it
must fall inside the kab/kota's box of the chosen desa), an optional photo, the enumerator and the
date; consent first, with a note on confidentiality. Labels in Bahasa Indonesia and English.

The business's name, phone, photo and the enumerator are for the Dinas's own follow-up: the
atlas's import never stores or exports them (``PERSONAL_QUESTIONS``).
"""

from __future__ import annotations

import io

from openpyxl import Workbook

from atlas import config
from atlas.data import indicators
from atlas.data.boundaries import load_boundaries

LANGUAGES = {"id": "Bahasa Indonesia (id)", "en": "English (en)"}
FORM_ID = "sensus_usaha_batik"
#: a check the form makes (a business with more workers is asked to correct), not a published fact
MAX_WORKERS_PER_BUSINESS = 1000
#: the kinds of batik work asked about
WORK_KINDS = {
    "tulis": ("Batik tulis", "Hand-drawn batik (tulis)"),
    "cap": ("Batik cap", "Stamped batik (cap)"),
    "printing": ("Printing / sablon", "Printing / screen printing (sablon)"),
    "finishing": ("Finishing (pewarnaan, pelorodan)", "Finishing (dyeing, wax removal)"),
    "pedagang": ("Pedagang batik", "Batik trader"),
}
#: questions whose answers identify people or businesses: never stored or exported by the atlas
PERSONAL_QUESTIONS = ("nama_usaha", "telepon", "foto", "enumerator")
GPS_ACCURACY_M = 20  # Collect keeps reading until the point is this accurate (metres)

COLUMNS = [
    "type",
    "name",
    f"label::{LANGUAGES['id']}",
    f"label::{LANGUAGES['en']}",
    f"hint::{LANGUAGES['id']}",
    f"hint::{LANGUAGES['en']}",
    "required",
    "relevant",
    "constraint",
    f"constraint_message::{LANGUAGES['id']}",
    f"constraint_message::{LANGUAGES['en']}",
    "calculation",
    "choice_filter",
    "parameters",
    "default",
]


def _row(type_: str, name: str, label: tuple[str, str] = ("", ""), **more) -> dict:
    row = {"type": type_, "name": name, f"label::{LANGUAGES['id']}": label[0], f"label::{LANGUAGES['en']}": label[1]}
    for key, value in more.items():
        if isinstance(value, tuple):  # (id, en)
            row[f"{key}::{LANGUAGES['id']}"], row[f"{key}::{LANGUAGES['en']}"] = value
        else:
            row[key] = value
    return row


def _count(name: str, label: tuple[str, str]) -> dict:
    return _row(
        "integer",
        name,
        label,
        required="yes",
        relevant="${mempekerjakan} = 'ya'",
        constraint=f". >= 0 and . <= {MAX_WORKERS_PER_BUSINESS}",
        constraint_message=(
            f"Isi 0 sampai {MAX_WORKERS_PER_BUSINESS}",
            f"Give 0 to {MAX_WORKERS_PER_BUSINESS}",
        ),
    )


def survey_rows() -> list[dict]:
    """The questions, in order."""
    inside = (
        "selected-at(., 0) >= ${min_lintang} and selected-at(., 0) <= ${max_lintang} and "
        "selected-at(., 1) >= ${min_bujur} and selected-at(., 1) <= ${max_bujur}"
    )
    box = "instance('KDEPUM')/root/item[name=${KDEPUM}]/"
    return [
        _row("start", "mulai"),
        _row("end", "selesai"),
        _row("today", "tanggal"),
        _row(
            "note",
            "kerahasiaan",
            (
                "Jawaban Anda dipakai untuk menghitung usaha dan pekerja batik per desa/kelurahan. Nama, nomor "
                "telepon dan foto tidak diterbitkan; yang diterbitkan hanya jumlah per wilayah.",
                "Your answers are used to count batik businesses and workers per village. Names, phone numbers "
                "and photos are not published; only counts per area are.",
            ),
        ),
        _row(
            "select_one ya_tidak",
            "setuju",
            ("Apakah Anda bersedia diwawancarai?", "Do you agree to be interviewed?"),
            required="yes",
        ),
        _row("begin_group", "usaha", ("Usaha", "Business"), relevant="${setuju} = 'ya'"),
        _row("select_one KDCPUM", "KDCPUM", ("Kecamatan", "District (kecamatan)"), required="yes"),
        _row(
            "select_one KDEPUM",
            "KDEPUM",
            ("Desa/kelurahan", "Village (desa/kelurahan)"),
            required="yes",
            choice_filter="kecamatan=${KDCPUM}",
            hint=("Nama sebelum 2015 ada dalam kurung", "Names before 2015 are in brackets"),
        ),
        _row("text", "nama_usaha", ("Nama usaha (tidak diterbitkan)", "Business name (not published)")),
        _row("text", "telepon", ("Nomor telepon (tidak diterbitkan)", "Phone number (not published)")),
        _row(
            "select_multiple jenis",
            "jenis_usaha",
            ("Jenis kegiatan batik", "Kind of batik work"),
            required="yes",
        ),
        _row(
            "select_one ya_tidak",
            "mempekerjakan",
            ("Apakah usaha ini mempekerjakan pekerja?", "Does the business employ workers?"),
            required="yes",
        ),
        _count("pekerja_laki", ("Pekerja laki-laki", "Male workers")),
        _count("pekerja_perempuan", ("Pekerja perempuan", "Female workers")),
        _count("pekerja_rumahan", ("Pekerja yang bekerja di rumah sendiri", "Workers working in their own homes")),
        _row(
            "integer",
            "pekerja_bengkel",
            ("Pekerja yang bekerja di bengkel/tempat usaha", "Workers working in the workshop"),
            required="yes",
            relevant="${mempekerjakan} = 'ya'",
            constraint=". >= 0 and . + ${pekerja_rumahan} = ${pekerja_laki} + ${pekerja_perempuan}",
            constraint_message=(
                "Pekerja di rumah + di bengkel harus sama dengan laki-laki + perempuan",
                "Workers at home + in the workshop must equal male + female workers",
            ),
        ),
        _row(
            "calculate",
            "pekerja",
            calculation="if(${mempekerjakan} = 'ya', ${pekerja_laki} + ${pekerja_perempuan}, 0)",
        ),
        _row("end_group", ""),
        _row("begin_group", "lokasi", ("Lokasi", "Location"), relevant="${setuju} = 'ya'"),
        _row("calculate", "min_lintang", calculation=f"{box}min_lintang"),
        _row("calculate", "max_lintang", calculation=f"{box}max_lintang"),
        _row("calculate", "min_bujur", calculation=f"{box}min_bujur"),
        _row("calculate", "max_bujur", calculation=f"{box}max_bujur"),
        _row(
            "geopoint",
            "titik",
            ("Titik GPS tempat usaha", "GPS point of the business"),
            required="yes",
            constraint=inside,
            constraint_message=(
                "Titik ini di luar kabupaten/kota desa yang dipilih",
                "This point is outside the regency/city of the chosen village",
            ),
            parameters=f"capture-accuracy={GPS_ACCURACY_M}",
        ),
        _row(
            "image",
            "foto",
            (
                "Foto tempat usaha (boleh dilewati; tidak diterbitkan)",
                "Photo of the business (optional; not published)",
            ),
            parameters="max-pixels=1024",
        ),
        _row("end_group", ""),
        _row("text", "enumerator", ("Nama pencacah", "Enumerator's name"), required="yes"),
    ]


def choice_rows(region: str) -> list[dict]:
    """The choice lists: yes/no, kinds of work, kecamatan and desa/kelurahan of ``region``."""
    boundaries = load_boundaries(config.region_codes(region))
    desa = boundaries.desa.to_crs("EPSG:4326")
    boxes = desa.dissolve("KDPKAB").bounds  # the kab/kota box each desa's GPS point must fall in
    old_names = indicators.load_crosswalk_table().groupby("kode")["kelurahan_lama"].apply(list).to_dict()
    rows = [
        _choice("ya_tidak", "ya", ("Ya", "Yes")),
        _choice("ya_tidak", "tidak", ("Tidak", "No")),
        *(_choice("jenis", name, label) for name, label in WORK_KINDS.items()),
    ]
    for code, name, kabkota in zip(
        boundaries.kecamatan["KDCPUM"], boundaries.kecamatan["WADMKC"], boundaries.kecamatan["WADMKK"]
    ):
        rows.append(_choice("KDCPUM", code, (f"{name} ({kabkota})", f"{name} ({kabkota})")))
    for row in desa.sort_values("KDEPUM").itertuples():
        earlier = [old for old in old_names.get(row.KDEPUM, []) if old.casefold() != row.WADMKD.casefold()]
        label_id = row.WADMKD + (f" (sebelum 2015: {', '.join(earlier)})" if earlier else "")
        label_en = row.WADMKD + (f" (before 2015: {', '.join(earlier)})" if earlier else "")
        minx, miny, maxx, maxy = boxes.loc[row.KDPKAB]
        rows.append(
            _choice(
                "KDEPUM",
                row.KDEPUM,
                (label_id, label_en),
                kecamatan=row.KDCPUM,
                min_lintang=round(miny, 6),
                max_lintang=round(maxy, 6),
                min_bujur=round(minx, 6),
                max_bujur=round(maxx, 6),
            )
        )
    return rows


def _choice(list_name: str, name: str, label: tuple[str, str], **more) -> dict:
    return {
        "list_name": list_name,
        "name": name,
        f"label::{LANGUAGES['id']}": label[0],
        f"label::{LANGUAGES['en']}": label[1],
        **more,
    }


def form_bytes(region: str = "kabupaten", version: str = "1") -> bytes:
    """The XLSForm workbook (survey, choices, settings) for ``region``."""
    book = Workbook()
    survey = book.active
    survey.title = "survey"
    _sheet(survey, COLUMNS, survey_rows())
    choices = choice_rows(region)
    choice_columns = list(dict.fromkeys(key for row in choices for key in row))
    _sheet(book.create_sheet("choices"), choice_columns, choices)
    settings = {
        "form_title": f"Sensus usaha batik / Batik business census ({region})",
        "form_id": FORM_ID,
        "version": version,
        "default_language": LANGUAGES["id"],
    }
    _sheet(book.create_sheet("settings"), list(settings), [settings])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _sheet(sheet, columns: list[str], rows: list[dict]) -> None:
    sheet.append(columns)
    for row in rows:
        sheet.append([row.get(column, "") for column in columns])
