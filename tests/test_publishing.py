"""``atlas publish``: per layer a zipped Shapefile and a GeoPackage with an ISO 19139 record
beside them, validated against the ISO 19139 schemas that pycsw (PALAPA's catalogue) ships, and a
Data Package validated by the frictionless library. Expected values are read back with
geopandas, GDAL's ogrinfo and hashlib. The imported counts are synthetic."""

from __future__ import annotations

import hashlib
import importlib.util
import json
import subprocess
from pathlib import Path

import pyogrio
import pytest
from lxml import etree

from atlas.cli import main
from tests.conftest import write_text

SOURCE = "Survei (synthetic test)"
NS = {"gmd": "http://www.isotc211.org/2005/gmd", "gco": "http://www.isotc211.org/2005/gco"}


def iso19139_schema() -> etree.XMLSchema:
    """The ISO/TS 19139 schemas (gmd and gmx, 2006-05-04) as the pycsw package ships them: no download."""
    root = Path(importlib.util.find_spec("pycsw").submodule_search_locations[0])
    folder = root / "plugins/profiles/apiso/schemas/ogc/iso/19139/20060504"
    wrapper = f"""<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">
      <xs:import namespace="http://www.isotc211.org/2005/gmd" schemaLocation="{(folder / "gmd/gmd.xsd").as_uri()}"/>
      <xs:import namespace="http://www.isotc211.org/2005/gmx" schemaLocation="{(folder / "gmx/gmx.xsd").as_uri()}"/>
    </xs:schema>"""
    return etree.XMLSchema(etree.fromstring(wrapper.encode()))


@pytest.fixture(scope="module")
def package(mirror, tmp_path_factory):
    folder = tmp_path_factory.mktemp("publish")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("ATLAS_DATASETS_DIR", str(folder / "datasets"))
        patch.setenv("ATLAS_PUBLIC_URL", "https://sig.example.go.id/atlas")
        patch.setenv("ATLAS_CONTACT_ORGANISATION", "Bappeda (synthetic test)")
        counts = write_text(folder / "h.csv", "kode;pelaku_usaha;pekerja\n33.75.02.1004;41;501\n")
        assert main(["import", str(counts), "--year", "2024", "--source", SOURCE]) == 0
        assert main(["publish", "--out", str(folder / "paket")]) == 0
    return folder / "paket", hashlib.sha256(counts.read_bytes()).hexdigest()


LAYERS = [
    f"{level}_{kind}"
    for level in ("desa", "kecamatan", "kabkota")
    for kind in ("terbaru", "versi", "margin", "perubahan")
]


@pytest.mark.parametrize("layer", LAYERS)
def test_each_layer_has_its_files_and_a_valid_iso19139_record(package, layer):
    folder, imported_sha = package
    for suffix in (".zip", ".gpkg", ".xml"):
        assert (folder / f"{layer}{suffix}").is_file(), suffix
    frame = pyogrio.read_dataframe(folder / f"{layer}.gpkg", layer=layer)
    shp = pyogrio.read_dataframe(f"/vsizip/{folder / f'{layer}.zip'}")
    assert len(frame) == len(shp) > 0
    record = etree.parse(str(folder / f"{layer}.xml"))
    schema = iso19139_schema()
    assert schema.validate(record), schema.error_log
    title = record.find(".//gmd:identificationInfo//gmd:citation//gmd:title", NS)
    texts = [t.text for t in title.iter() if t.text and t.text.strip()]
    assert len(texts) == 2 and texts[0] != texts[1]  # Bahasa Indonesia, and English beside it
    west, east, south, north = (
        float(record.find(f".//gmd:{side}/gco:Decimal", NS).text)
        for side in ("westBoundLongitude", "eastBoundLongitude", "southBoundLatitude", "northBoundLatitude")
    )
    minx, miny, maxx, maxy = frame.total_bounds
    assert (west, south, east, north) == pytest.approx((minx, miny, maxx, maxy), abs=1e-6)
    text = (folder / f"{layer}.xml").read_text(encoding="utf-8")
    assert "PEL Batik Kota Pekalongan 2017" in text and imported_sha in text  # lineage: Tabel 1 and the import
    assert "https://creativecommons.org/licenses/by/4.0/" in text and "EPSG:4326" in text
    assert f"https://sig.example.go.id/atlas/collections/{layer}" in text and "Bappeda (synthetic test)" in text
    assert "<gml:beginPosition>2017-01-01</gml:beginPosition>" in text and "2024-12-31" in text


def test_a_record_missing_its_title_fails_the_schema(package):
    folder, _ = package
    record = etree.parse(str(folder / "desa_terbaru.xml"))
    title = record.find(".//gmd:identificationInfo//gmd:citation//gmd:title", NS)
    title.getparent().remove(title)
    assert not iso19139_schema().validate(record)  # the validation can fail


def test_ogrinfo_opens_every_file(package):
    folder, _ = package
    for path in sorted(folder.glob("*.gpkg")) + sorted(folder.glob("*.zip")):
        target = f"/vsizip/{path}" if path.suffix == ".zip" else str(path)
        out = subprocess.run(
            ["ogrinfo", "-ro", "-so", "-al", target], capture_output=True, text=True, check=True
        ).stdout
        assert "Feature Count" in out and "EPSG" in out, path.name


def test_the_data_package_validates_with_frictionless(package):
    from frictionless import validate

    folder, _ = package
    report = validate(str(folder / "datapackage" / "datapackage.json"))
    assert report.valid, report.flatten(["type", "note"])[:5]
    descriptor = json.loads((folder / "datapackage" / "datapackage.json").read_text(encoding="utf-8"))
    assert descriptor["licenses"][0]["name"] == "CC-BY-4.0"
    terbaru = next(r for r in descriptor["resources"] if r["name"] == "desa-terbaru")
    fields = {f["name"]: f for f in terbaru["schema"]["fields"]}
    assert fields["pekerja"]["type"] == "integer" and "Pekerja" in fields["pekerja"]["title"]
    rows = pyogrio.read_dataframe(folder / "desa_terbaru.gpkg", layer="desa_terbaru", read_geometry=False)
    import pandas as pd

    table = pd.read_csv(folder / "datapackage" / "desa_terbaru.csv", dtype={"KDEPUM": str})
    assert list(table["KDEPUM"]) == list(rows["KDEPUM"]) and table["pekerja"].sum() == rows["pekerja"].sum()


def test_a_broken_data_package_fails_validation(package, tmp_path):
    from frictionless import validate

    folder, _ = package
    copy = tmp_path / "dp"
    import shutil

    shutil.copytree(folder / "datapackage", copy)
    table = copy / "kabkota_terbaru.csv"
    lines = table.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    cells = lines[1].split(",")
    cells[header.index("pekerja")] = "banyak"  # not an integer
    table.write_text("\n".join([lines[0], ",".join(cells), *lines[2:]]) + "\n", encoding="utf-8")
    assert not validate(str(copy / "datapackage.json")).valid


def test_an_earlier_package_is_never_overwritten_unasked(package, capsys):
    folder, _ = package
    before = {p.name: p.stat().st_mtime_ns for p in folder.iterdir()}
    assert main(["publish", "--out", str(folder)]) == 2
    assert "use --force" in capsys.readouterr().err
    assert {p.name: p.stat().st_mtime_ns for p in folder.iterdir()} == before
