"""What each map view shows (field names from the registry, ``atlas.fields``), and numbers
formatted as people of each language read them."""

from __future__ import annotations

VIEWS: dict[str, tuple[str, ...]] = {
    "production": ("pelaku_usaha", "pelaku_per_km2"),
    "labour": ("pekerja", "pekerja_per_km2", "pekerja_per_pelaku"),
}
#: Estimates of the margin view (``atlas.analysis.margin.margin_layer``).
MARGIN_MEASURES = ("rasio_upah_margin", "tagihan_upah", "margin_pemilik", "persen_umk")


def all_fields() -> list[str]:
    """Every count field a production or labour view can draw."""
    return [name for names in VIEWS.values() for name in names]


def format_value(value, decimals: int, lang: str) -> str:
    """A number as people read it: Indonesian uses '.' for thousands and ',' for decimals."""
    text = f"{float(value):,.{decimals}f}"
    if lang == "id":
        text = text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    return text
