"""The field survey: the XLSForm the atlas writes (checked by pyxform, the ODK reference
converter) and its exports loaded as counts. The exports are SYNTHETIC: made up here in the
documented layouts of ODK Central (group-prefixed '-' columns, split geopoint, meta-instanceID /
KEY) and KoboToolbox ('/' groups, '_lokasi/titik_latitude', '_uuid'), with messy cases (a
repeated submission, a deleted column, a form version change, a declined interview, a point
outside the chosen desa). Expected counts come from pandas over the fixture."""

from __future__ import annotations

import io
import random

import pandas as pd
import pytest
import shapely
from openpyxl import load_workbook

from atlas import fields
from atlas.analysis.layers import build_layers
from atlas.cli import main
from atlas.data.boundaries import load_boundaries
from atlas.io.survey_form import LANGUAGES, PERSONAL_QUESTIONS, form_bytes

SECRET = "RAHASIA-PRIBADI"  # in every personal answer: it must never come out
SOURCE = "Survei batik 2026 (synthetic test)"


@pytest.fixture(scope="module")
def form(mirror) -> bytes:
    return form_bytes("kabupaten")


def sheet(form: bytes, name: str) -> pd.DataFrame:
    return pd.read_excel(io.BytesIO(form), sheet_name=name, dtype=str).fillna("")


def test_pyxform_converts_the_form_without_an_error_or_a_warning(form, tmp_path):
    from pyxform.xls2xform import convert

    path = tmp_path / "form.xlsx"
    path.write_bytes(form)
    result = convert(xlsform=str(path))
    assert result.warnings == [] and "<h:html" in result.xform
    assert "jr:constraintMsg" in result.xform and "selected-at" in result.xform  # GPS inside the box


def test_the_choice_lists_are_the_boundary_codes(form):
    kabupaten = load_boundaries(("33.26",))
    choices = sheet(form, "choices")
    assert set(choices.loc[choices["list_name"] == "KDEPUM", "name"]) == set(kabupaten.desa["KDEPUM"])
    assert set(choices.loc[choices["list_name"] == "KDCPUM", "name"]) == set(kabupaten.kecamatan["KDCPUM"])
    desa = choices[choices["list_name"] == "KDEPUM"]
    assert (desa["kecamatan"] == desa["name"].str[:8]).all()  # the cascade kecamatan -> desa
    for language in LANGUAGES.values():
        assert (desa[f"label::{language}"].str.len() > 0).all()
    survey = sheet(form, "survey")
    for question in ("KDEPUM", "KDCPUM", "pekerja"):
        assert question in set(survey["name"]) and fields.is_known(question)  # named from the field registry
    assert sheet(form, "settings")["default_language"].iloc[0] == LANGUAGES["id"]


def test_a_kota_form_names_pre_2015_kelurahan(mirror):
    choices = sheet(form_bytes("kota"), "choices")
    kauman = choices[(choices["list_name"] == "KDEPUM") & (choices["name"] == "33.75.02.1004")]
    assert "sebelum 2015" in kauman[f"label::{LANGUAGES['id']}"].iloc[0]


def submissions(seed: int = 5, count: int = 400) -> pd.DataFrame:
    """Synthetic submissions over the Kabupaten's real desa (one row per business)."""
    rng = random.Random(seed)
    desa = load_boundaries(("33.26",)).desa.to_crs("EPSG:4326")
    codes = list(desa["KDEPUM"])[:60]  # the survey has reached 60 desa so far
    points = dict(zip(desa["KDEPUM"], shapely.point_on_surface(desa.geometry.values)))
    rows = []
    for number in range(count):
        code = rng.choice(codes)
        employs = rng.random() < 0.8
        men, women = (rng.randint(0, 20), rng.randint(0, 30)) if employs else (0, 0)
        home = rng.randint(0, men + women)
        where = points[code] if number % 40 else points[rng.choice(codes[:5] if code not in codes[:5] else codes[5:10])]
        rows.append(
            {
                "setuju": "ya",
                "KDCPUM": code[:8],
                "KDEPUM": code,
                "nama_usaha": f"{SECRET} usaha {number}",
                "telepon": f"{SECRET} 0812{number:06d}",
                "jenis_usaha": rng.choice(["tulis", "cap printing", "finishing", "pedagang tulis"]),
                "mempekerjakan": "ya" if employs else "tidak",
                "pekerja_laki": men if employs else "",
                "pekerja_perempuan": women if employs else "",
                "pekerja_rumahan": home if employs else "",
                "pekerja_bengkel": men + women - home if employs else "",
                "pekerja": men + women,
                "lat": where.y,
                "lon": where.x,
                "foto": f"{SECRET}-{number}.jpg",
                "enumerator": f"{SECRET} pencacah",
                "instance": f"uuid:{rng.getrandbits(64):016x}-{number}",
                "outside": number % 40 == 0,
            }
        )
    frame = pd.DataFrame(rows)
    repeated = frame.sample(12, random_state=seed)  # sent twice (ODK Collect re-sends on a bad network)
    declined = {**{k: "" for k in frame.columns}, "setuju": "tidak", "instance": "uuid:declined-1", "outside": False}
    return pd.concat([frame, repeated, pd.DataFrame([declined])], ignore_index=True)


def odk_central(frame: pd.DataFrame, split_geopoint: bool = True) -> pd.DataFrame:
    """ODK Central's CSV layout for the form ('-' between group and question)."""
    out = pd.DataFrame(
        {
            "SubmissionDate": "2026-11-30T08:00:00.000Z",
            "tanggal": "2026-11-30",
            "setuju": frame["setuju"],
            **{f"usaha-{q}": frame[q] for q in ("KDCPUM", "KDEPUM", "nama_usaha", "telepon", "jenis_usaha")},
            **{f"usaha-{q}": frame[q] for q in ("mempekerjakan", "pekerja_laki", "pekerja_perempuan")},
            **{f"usaha-{q}": frame[q] for q in ("pekerja_rumahan", "pekerja_bengkel", "pekerja")},
        }
    )
    if split_geopoint:
        out["lokasi-titik-Latitude"], out["lokasi-titik-Longitude"] = frame["lat"], frame["lon"]
        out["lokasi-titik-Altitude"], out["lokasi-titik-Accuracy"] = 3.5, 8.0
    else:
        out["lokasi-titik"] = [f"{la} {lo} 3.5 8.0" if la != "" else "" for la, lo in zip(frame["lat"], frame["lon"])]
    out["lokasi-foto"] = frame["foto"]
    out["enumerator"] = frame["enumerator"]
    out["meta-instanceID"] = frame["instance"]
    out["KEY"] = frame["instance"]
    out["SubmitterName"] = f"{SECRET} akun"
    out["Edits"] = 0
    out["FormVersion"] = "1"
    return out


def kobo(frame: pd.DataFrame) -> pd.DataFrame:
    """KoboToolbox's CSV layout ('/' between group and question, '_lokasi/titik_latitude', '_uuid')."""
    out = pd.DataFrame(
        {
            "start": "2026-11-30T08:00:00.000+07:00",
            "setuju": frame["setuju"],
            **{f"usaha/{q}": frame[q] for q in ("KDCPUM", "KDEPUM", "nama_usaha", "telepon", "jenis_usaha")},
            **{f"usaha/{q}": frame[q] for q in ("mempekerjakan", "pekerja_laki", "pekerja_perempuan", "pekerja")},
        }
    )
    out["lokasi/titik"] = [f"{la} {lo} 3.5 8.0" if la != "" else "" for la, lo in zip(frame["lat"], frame["lon"])]
    out["_lokasi/titik_latitude"], out["_lokasi/titik_longitude"] = frame["lat"], frame["lon"]
    out["_lokasi/titik_altitude"], out["_lokasi/titik_precision"] = 3.5, 8.0
    out["lokasi/foto"], out["lokasi/foto_URL"] = frame["foto"], "https://kf.example/" + frame["foto"].astype(str)
    out["enumerator"] = frame["enumerator"]
    out["meta/instanceID"] = frame["instance"]
    out["_uuid"] = frame["instance"].str.removeprefix("uuid:")
    out["_submission_time"] = "2026-11-30T01:00:00"
    out["_submitted_by"] = f"{SECRET}-akun"
    out["__version__"] = ["vAbc" if n % 3 else "vXyz" for n in range(len(frame))]  # the form changed mid-survey
    return out.drop(columns=["usaha/telepon"])  # a column deleted from the form


def expected(frame: pd.DataFrame) -> pd.DataFrame:
    """Per desa: businesses and workers, each submission once (pandas, independently)."""
    once = frame.drop_duplicates("instance")
    once = once[once["setuju"] == "ya"]
    return once.groupby("KDEPUM").agg(pelaku_usaha=("instance", "size"), pekerja=("pekerja", "sum"))


@pytest.mark.parametrize(
    ("profile", "layout", "suffix"),
    [
        ("odk", odk_central, ".csv"),
        ("odk", lambda f: odk_central(f, split_geopoint=False), ".csv"),
        ("kobo", kobo, ".csv"),
        ("kobo", kobo, ".xlsx"),
    ],
    ids=["odk-split-geopoint", "odk-one-column-geopoint", "kobo", "kobo-xlsx"],
)
def test_an_export_loads_to_the_independently_counted_desa(
    mirror, tmp_path, monkeypatch, capsys, profile, layout, suffix
):
    monkeypatch.setenv("ATLAS_DATASETS_DIR", str(tmp_path / "datasets"))
    frame = submissions()
    export = tmp_path / f"export{suffix}"
    table = layout(frame)
    table.to_csv(export, index=False) if suffix == ".csv" else table.to_excel(export, index=False)
    args = ["import-directory", str(export), "--year", "2026", "--source", SOURCE, "--region", "kabupaten"]
    assert main([*args, "--profile", profile]) == 0
    report = capsys.readouterr().out
    assert "12 repeated submission(s) counted once" in report
    outside = int(frame.drop_duplicates("instance")["outside"].sum())
    assert f"{outside} GPS point(s) outside the chosen desa" in report and "the chosen desa is kept" in report
    assert main([*args, "--profile", profile, "--accept"]) == 0
    layer = build_layers("kabupaten", year=2026).desa.set_index("KDEPUM")
    truth = expected(frame)
    got = layer.loc[layer["pelaku_usaha"].notna(), ["pelaku_usaha", "pekerja"]].astype(int).sort_index()
    pd.testing.assert_frame_equal(got, truth.astype(int).sort_index(), check_names=False)


def test_personal_answers_never_reach_a_stored_file_or_an_export(mirror, tmp_path, monkeypatch):
    monkeypatch.setenv("ATLAS_DATASETS_DIR", str(tmp_path / "datasets"))
    export = tmp_path / "export.csv"
    odk_central(submissions()).to_csv(export, index=False)
    args = ["import-directory", str(export), "--year", "2026", "--source", SOURCE, "--region", "kabupaten"]
    assert main([*args, "--profile", "odk", "--accept"]) == 0
    outputs = tmp_path / "out"
    for fmt in ("geojson", "gpkg", "zip", "csv", "xlsx"):
        assert main(["export", "--region", "kabupaten", "--year", "2026", "--out", str(outputs / f"d.{fmt}")]) == 0
    assert main(["publish", "--region", "kabupaten", "--out", str(outputs / "paket")]) == 0
    written = [p for p in (tmp_path / "datasets").rglob("*") if p.is_file()]
    written += [p for p in outputs.rglob("*") if p.is_file()]
    assert len(written) > 20
    for path in written:
        data = path.read_bytes()
        if path.suffix in (".zip", ".xlsx"):
            import zipfile

            with zipfile.ZipFile(path) as archive:
                data += b"".join(archive.read(name) for name in archive.namelist())
        assert SECRET.encode() not in data, path
    for question in PERSONAL_QUESTIONS:
        assert all(question.encode() not in p.read_bytes() for p in written if p.suffix == ".csv"), question


def test_the_survey_progress_is_recorded_and_told(mirror, tmp_path, monkeypatch, capsys):
    from atlas.data.datasets import survey_progress
    from atlas.data.indicators import load_totals
    from atlas.render.presentation import summary_lines

    monkeypatch.setenv("ATLAS_DATASETS_DIR", str(tmp_path / "datasets"))
    frame = submissions()
    export = tmp_path / "export.csv"
    kobo(frame).to_csv(export, index=False)
    args = ["import-directory", str(export), "--year", "2026", "--source", SOURCE, "--region", "kabupaten"]
    assert main([*args, "--profile", "kobo", "--accept"]) == 0
    reached = frame.loc[frame["setuju"] == "ya", "KDEPUM"].nunique()
    units = len(load_boundaries(("33.26",)).desa)
    (progress,) = survey_progress()
    assert (progress.kabkota, progress.reached, progress.units, progress.year) == ("33.26", reached, units, 2026)
    layers = build_layers("kabupaten")
    lines = summary_lines(layers, load_totals(), "en", [progress])
    assert f"survey 2026 ({SOURCE}): {reached} of {units} desa/kelurahan have submissions so far" in lines[0]
    lines = summary_lines(layers, load_totals(), "id", [progress])
    assert f"survei 2026 ({SOURCE}): {reached} dari {units} desa/kelurahan sudah ada kiriman" in lines[0]


def test_the_cli_writes_the_form(mirror, tmp_path):
    out = tmp_path / "form.xlsx"
    assert main(["survey-form", "--region", "kota", "--out", str(out)]) == 0
    assert load_workbook(out).sheetnames == ["survey", "choices", "settings"]
    assert main(["survey-form", "--region", "kota", "--out", str(out)]) == 2  # never overwritten unasked
    assert main(["survey-form", "--region", "kota", "--out", str(tmp_path / "form.csv")]) == 2
