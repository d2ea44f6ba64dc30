"""Stage 2, intake: reading people's spreadsheets (``spreadsheet``), importing updated counts as a
new dataset version (``importer``) and writing fill-in templates (``template``). Uses only the
data stage."""
