"""Stage 1, the data: pinned upstream boundary files (``sources``) and their parser
(``wilayah_sql``), validated and cached administrative boundaries (``boundaries``), the small
hand-written indicator tables of ``geodata/`` (``indicators``), the 2015 kelurahan merger
crosswalk and name matching (``crosswalk``), and the dataset versions of the counts (``datasets``).
Nothing here knows about layers, maps or exports."""
