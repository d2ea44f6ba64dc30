"""The yardstick for ``atlas overlay`` as a whole command: a minimal script that reads the units
(a GeoPackage layer), runs ``exact_extract`` (feature-sequential, its faster strategy for 312
units) and writes the statistics as CSV. Usage: python exact_extract_command.py UNITS.gpkg
RASTER OUT.csv"""

import sys

import geopandas as gpd
from exactextract import exact_extract

units_file, raster, out = sys.argv[1:4]
units = gpd.read_file(units_file, layer="desa")[["KDEPUM", "geometry"]]
table = exact_extract(
    raster,
    units,
    ["mean", "min", "max", "count"],
    include_cols=["KDEPUM"],
    output="pandas",
    strategy="feature-sequential",
)
table.to_csv(out, index=False)
