"""The paper's figures: produced in both languages, structurally complete, rendering as PDF,
and close to a stored baseline image (regenerate deliberately: ATLAS_UPDATE_BASELINE=1)."""

import os
import shutil
import subprocess

import pytest
from matplotlib.testing.compare import compare_images

from atlas.cli import main
from atlas.render.figures import FIGURES, view_png, write_figures
from atlas.render.maps import MapChoice

BASELINE = os.path.join(os.path.dirname(__file__), "baseline")
BASELINE_DPI = 40
EXPECTED_POLYGONS = {"gambar1": 312, "gambar2": 27, "gambar3": 27, "gambar4": 28}


@pytest.fixture(scope="module")
def drawn(layers_all):
    return {(name, lang): draw(layers_all, lang) for name, draw in FIGURES.items() for lang in ("id", "en")}


@pytest.mark.parametrize("lang, no_data", [("id", "Tidak ada data"), ("en", "No data")])
@pytest.mark.parametrize("name", ["gambar1", "gambar2", "gambar3"])
def test_maps_are_complete(drawn, name, lang, no_data):
    result = drawn[(name, lang)]
    assert result.polygons == EXPECTED_POLYGONS[name]
    assert no_data in result.legend and len(result.legend) >= 5 + 3  # classes, no data, outlines
    assert "Tabel 1" in result.source_line and "wilayah_boundaries" in result.source_line
    texts = {t.get_text() for ax in result.figure.axes for t in ax.texts}
    assert {"U" if lang == "id" else "N", "0"} <= texts  # north arrow and scale bar
    assert "Pekalongan Timur" in texts  # kecamatan labels
    figure_texts = [t.get_text() for t in result.figure.texts]
    assert any(t.startswith("Gambar" if lang == "id" else "Figure") for t in figure_texts)  # title
    assert result.source_line in figure_texts


def test_margin_figure_labels_the_scenario(drawn):
    result = drawn[("gambar3", "en")]
    assert "assumption" in result.source_line and "Tribun Jateng" in result.source_line
    chart = result.figure.axes[-1]
    assert [t.get_text() for t in chart.get_yticklabels()][:2] == ["Raw-material supplier", "Batik worker"]


def test_survey_figure(drawn):
    result = drawn[("gambar4", "id")]
    insets = [ax for ax in result.figure.axes if ax.get_title()]
    values = {ax.get_title()[:8]: [round(p.get_height()) for p in ax.patches] for ax in insets}
    assert values["Kauman"] == [59, 9, 32] and values["Pesindon"] == [67, 33, 0]
    assert "Gambar 4" in result.source_line


def test_command_writes_every_format_in_both_languages(mirror, tmp_path, capsys):
    assert main(["figures", "--out", str(tmp_path)]) == 0
    files = sorted(p.name for p in tmp_path.iterdir())
    assert len(files) == 4 * 3 * 2
    from PIL import Image

    with Image.open(tmp_path / "gambar1_id.png") as image:
        assert round(image.info["dpi"][0]) == 300 and image.size[0] > 3000
    assert (tmp_path / "gambar2_en.svg").read_text(encoding="utf-8").lstrip().startswith("<?xml")
    pdftoppm = shutil.which("pdftoppm")
    assert pdftoppm, "pdftoppm (Debian poppler-utils) is installed by make test"
    for pdf in tmp_path.glob("*.pdf"):
        subprocess.run([pdftoppm, "-png", "-r", "20", str(pdf), str(tmp_path / pdf.stem)], check=True)
        assert (tmp_path / f"{pdf.stem}-1.png").stat().st_size > 1000


@pytest.fixture(scope="module")
def small_pngs(layers_all, tmp_path_factory):
    folder = tmp_path_factory.mktemp("figures")
    write_figures(layers_all, folder, "id", formats=("png",), dpi=BASELINE_DPI)
    return folder


@pytest.mark.parametrize("name", sorted(FIGURES))
def test_matches_the_baseline_image(small_pngs, name):
    actual = small_pngs / f"{name}_id.png"
    expected = os.path.join(BASELINE, f"{name}_id.png")
    if os.environ.get("ATLAS_UPDATE_BASELINE"):
        os.makedirs(BASELINE, exist_ok=True)
        shutil.copy(actual, expected)
    assert os.path.exists(expected), "no baseline: run with ATLAS_UPDATE_BASELINE=1 once, deliberately"
    assert compare_images(expected, str(actual), tol=8) is None


def test_map_pngs_drawn_by_several_sessions_at_once_match_their_sequential_drawing(layers_all):
    """The app's sessions draw the map PNG on their own threads: each drawing must be the one it
    would be alone (the engine keeps no shared pyplot state)."""
    from concurrent.futures import ThreadPoolExecutor

    views = [
        (layers_all.desa, MapChoice(field="pelaku_usaha", lang="id")),
        (layers_all.desa, MapChoice(field="pekerja", palette="PuBu", k=4, lang="en")),
        (layers_all.kecamatan, MapChoice(level="kecamatan", field="pekerja", scheme="equal_interval", lang="id")),
        (layers_all.kabkota, MapChoice(level="kabkota", field="pelaku_usaha", palette="viridis", k=3, lang="en")),
    ]
    alone = [view_png(layer, layers_all, choice, dpi=40) for layer, choice in views]
    assert len(set(alone)) == len(views)  # four different maps, so a mix-up would show
    with ThreadPoolExecutor(max_workers=4) as pool:
        together = list(pool.map(lambda i: view_png(views[i % 4][0], layers_all, views[i % 4][1], dpi=40), range(8)))
    assert together == [alone[i % 4] for i in range(8)]
