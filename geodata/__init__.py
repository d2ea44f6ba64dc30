"""The atlas's small hand-written data tables (each row with its source and year) and the
pinned SHA-256 sums of the upstream boundary files, shipped as package data ``atlas.geodata``."""
