"""What each map view shows: the measures of the production and labour views."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Measure:
    """A layer field drawn on a map, with how many decimals to show."""

    field: str
    decimals: int


VIEWS: dict[str, tuple[Measure, ...]] = {
    "production": (Measure("pelaku_usaha", 0), Measure("pelaku_per_km2", 1)),
    "labour": (Measure("pekerja", 0), Measure("pekerja_per_km2", 1), Measure("pekerja_per_pelaku", 1)),
}


#: Estimates of the margin view (``atlas.analysis.margin.margin_layer``).
MARGIN_MEASURES = (Measure("rasio_upah_margin", 2), Measure("tagihan_upah", 0),
                   Measure("margin_pemilik", 0), Measure("persen_umk", 1))


def measure(field: str) -> Measure:
    """The measure drawing ``field``."""
    for measures in (*VIEWS.values(), MARGIN_MEASURES):
        for candidate in measures:
            if candidate.field == field:
                return candidate
    raise ValueError(f"unknown measure {field!r}: use one of {', '.join(all_fields())}")


def all_fields() -> list[str]:
    """Every field a view can draw."""
    return [m.field for measures in VIEWS.values() for m in measures]


def format_value(value, decimals: int, lang: str) -> str:
    """A number as people read it: Indonesian uses '.' for thousands and ',' for decimals."""
    text = f"{float(value):,.{decimals}f}"
    if lang == "id":
        text = text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    return text


def decimals_of(field: str) -> int:
    """Decimals to show for a field: the measure's, or 2 for other numbers (raster statistics)."""
    known = {*all_fields(), *(m.field for m in MARGIN_MEASURES)}
    return measure(field).decimals if field in known else 2
