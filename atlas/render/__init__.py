"""Stage 4, rendering for people: interface text (``i18n``), what each view maps (``measures``),
classification (``classify``), browser topology (``topology``), offline map libraries
(``assets``), interactive maps (``maps``), print figures (``figures``) and the app's tables and
details (``presentation``)."""
