"""Stage 5, files for other GIS: layers written as GeoJSON, GeoPackage, Shapefile, CSV and XLSX
with their provenance (``export``), and the data dictionary generated from the field registry
(``dictionary``)."""
