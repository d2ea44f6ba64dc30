"""The upstream SQL parser, on small inline snippets written for these tests."""

import pytest
import shapely

from atlas.data.wilayah_sql import iter_rows, path_to_geometry
from atlas.errors import BoundaryParseError

# A square from lat -7..-6, lng 109..110 written as upstream does: [lat, lng] pairs.
SQUARE = "[[[-7,109],[-7,110],[-6,110],[-6,109],[-7,109]]]"
HOLE = "[[[-7,109],[-7,110],[-6,110],[-6,109],[-7,109]],[[-6.8,109.2],[-6.2,109.2],[-6.2,109.8],[-6.8,109.8],[-6.8,109.2]]]"
MULTI = "[[[[-7,109],[-7,109.5],[-6.5,109.5],[-7,109]]],[[[-6,110],[-6,110.5],[-5.5,110.5],[-6,110]]]]"


def dump(*rows: str) -> str:
    body = ",\n".join(rows)
    return f"/* header */\nINSERT INTO wilayah_boundaries(kode,nama,lat,lng,path) VALUES\n{body};\n"


def test_coordinates_are_swapped_to_lon_lat():
    rows = list(iter_rows(dump(f"('33.99.01.2001','Square',-6.5,109.5,'{SQUARE}')")))
    minx, miny, maxx, maxy = rows[0].geometry.bounds
    assert (minx, miny, maxx, maxy) == (109, -7, 110, -6)


def test_polygon_with_hole_keeps_the_hole():
    geom = next(iter_rows(dump(f"('33.99.01.2001','Holed',-6.5,109.5,'{HOLE}')"))).geometry
    assert geom.geom_type == "Polygon"
    assert len(geom.interiors) == 1
    assert geom.area == pytest.approx(1.0 - 0.6 * 0.6)


def test_multipolygon_has_all_parts():
    geom = next(iter_rows(dump(f"('33.99.01.2001','Islands',-6.5,109.5,'{MULTI}')"))).geometry
    assert geom.geom_type == "MultiPolygon"
    assert len(geom.geoms) == 2
    assert geom.area == pytest.approx(2 * 0.5 * 0.5 * 0.5)


def test_doubled_apostrophe_is_one_apostrophe():
    rows = list(iter_rows(dump(f"('33.99.01.2001','Ma''had',-6.5,109.5,'{SQUARE}')")))
    assert rows[0].nama == "Ma'had"


def test_keep_filters_rows_before_decoding():
    text = dump(f"('33.99.01.2001','A',-6.5,109.5,'{SQUARE}')", "('33.98.01.2001','B',-6.5,109.5,'[[not json')")
    rows = list(iter_rows(text, keep=lambda kode: kode.startswith("33.99")))
    assert [r.kode for r in rows] == ["33.99.01.2001"]


def test_bad_path_names_the_line_and_unit():
    text = dump(
        f"('33.99.01.2001','A',-6.5,109.5,'{SQUARE}')", "('33.99.01.2002','Broken',-6.5,109.5,'[[[-7,109],[-7]]]')"
    )
    with pytest.raises(BoundaryParseError, match=r"line 4: cannot read the polygon of 33.99.01.2002 \(Broken\)"):
        list(iter_rows(text))


@pytest.mark.parametrize(
    "path, message",
    [
        ([], "empty path"),
        ([[-7, 109], [-6, 110]], "depth 2"),
        ([[[-7, 109], [-6, 110]]], "at least 3 points"),
    ],
)
def test_path_errors(path, message):
    with pytest.raises(ValueError, match=message):
        path_to_geometry(path)


def test_ring_closing_is_added_when_missing():
    geom = path_to_geometry([[[-7, 109], [-7, 110], [-6, 110]]])
    assert shapely.get_num_coordinates(geom) == 4
