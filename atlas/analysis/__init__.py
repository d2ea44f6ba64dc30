"""Stage 3, analysis: boundaries joined with counts and aggregated to kecamatan and kab/kota
(``layers``), change between two versions (``change``), the value-chain margin model
(``margin``), and exact zonal statistics of rasters (``coverage``, ``overlay``). Produces
GeoDataFrames; draws and writes nothing."""
