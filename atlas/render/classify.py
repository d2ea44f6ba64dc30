"""Choropleth classes with mapclassify, robust to ties and too few distinct values.

A failed or impossible classification falls back to a simpler one and says so in ``note``
(an i18n key with its values), instead of raising: many units tie or have no data.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import mapclassify
import numpy as np
import pandas as pd
from matplotlib import colormaps
from matplotlib.colors import to_hex

from atlas.errors import OptionError

SCHEMES = ("quantiles", "fisher_jenks", "equal_interval", "user_defined")
#: Colour-blind-safe sequential palettes (matplotlib perceptual maps and ColorBrewer).
PALETTES = {
    "YlOrBr": "YlOrBr",
    "viridis": "viridis_r",
    "cividis": "cividis_r",
    "PuBu": "PuBu",
    "PuOr": "PuOr_r",
}  # the last diverges, for changes

DIVERGING_PALETTE = "PuOr"  # changes: falls and rises around a white "no change"
MIN_CLASSES, MAX_CLASSES = 2, 9  # what a reader can tell apart on a choropleth
NO_DATA_COLOUR = "#bdbdbd"
NO_CLASS = -1


@dataclass(frozen=True)
class Classification:
    """Upper bounds of each class, the class of each value (-1 for no data), and a note."""

    lower: float | None
    bins: tuple[float, ...]
    classes: np.ndarray
    note: tuple[str, dict[str, object]] | None = None
    neutral: int | None = None  # the class of exactly no change, in a diverging classification
    lows: tuple[float, ...] = ()  # each class's smallest value, where it differs from the bin below

    @property
    def k(self) -> int:
        return len(self.bins)

    def bounds(self) -> list[tuple[float | None, float]]:
        """(lower, upper) of each class."""
        lows = list(self.lows) if self.lows else [self.lower, *self.bins[:-1]]
        return list(zip(lows, self.bins))


def classify(values, scheme: str = "quantiles", k: int = 5, breaks: list[float] | None = None) -> Classification:
    """Classify ``values`` (NaN = no data) into at most ``k`` classes by ``scheme``."""
    if scheme not in SCHEMES:
        raise OptionError(f"unknown classification {scheme!r}: use one of {', '.join(SCHEMES)}")
    if not isinstance(k, int) or k < 1:
        raise OptionError(f"the number of classes must be a whole number of 1 or more, got {k!r}")
    series, data = _numbers(values)
    if data.size == 0:
        return _nothing_to_classify(series)
    note: tuple[str, dict[str, object]] | None = None
    distinct = np.unique(data)
    if scheme == "user_defined":
        if not breaks:
            scheme, note = "quantiles", ("note.no_breaks", {})
        else:
            low, high = float(data.min()), float(data.max())
            inside = sorted({float(b) for b in breaks if low < b < high})
            outside = sorted({float(b) for b in breaks} - set(inside))
            if outside:
                shown = ", ".join(f"{b:g}" for b in outside)
                note = ("note.breaks_outside", {"breaks": shown, "low": f"{low:g}", "high": f"{high:g}"})
            return _result(series, low, [*inside, high], note)
    if len(distinct) <= k:
        if len(distinct) < k:
            note = ("note.few_values", {"n": len(distinct), "k": k})
        return _result(series, float(data.min()), [float(v) for v in distinct], note)
    try:
        with warnings.catch_warnings():  # tie and "Numba not installed" warnings become the note
            warnings.simplefilter("ignore")
            classifier = {
                "quantiles": mapclassify.Quantiles,
                "fisher_jenks": mapclassify.FisherJenks,
                "equal_interval": mapclassify.EqualInterval,
            }[scheme](data, k=k)
        bins = sorted(set(float(b) for b in classifier.bins))
    except (ValueError, IndexError) as exc:
        bins, note = [float(v) for v in distinct], ("note.fallback", {"scheme": scheme, "reason": str(exc)})
    if len(bins) < k and note is None:
        note = ("note.few_values", {"n": len(bins), "k": k})
    return _result(series, float(data.min()), bins, note)


def parse_breaks(text: str | None) -> tuple[float, ...]:
    """Class breaks typed by a person: '10, 50, 100' (';' also separates); empty gives ()."""
    parts = [p.strip() for p in (text or "").replace(";", ",").split(",") if p.strip()]
    try:
        numbers = [float(p) for p in parts]
    except ValueError:
        raise OptionError(f"class breaks must be numbers separated by commas, got {text!r}") from None
    if not all(np.isfinite(numbers)):
        raise OptionError(f"class breaks must be finite numbers, got {text!r}")
    return tuple(sorted(numbers))


def classify_diverging(values, k: int = 5) -> Classification:
    """Classes centred on zero for changes: up to ``(k - 1) // 2`` classes of falls, one class of
    exactly no change (``neutral``), and as many of rises; no class straddles 0."""
    if not isinstance(k, int) or k < 3:
        raise OptionError(f"a diverging classification needs at least 3 classes, got {k!r}")
    series, data = _numbers(values)
    if data.size == 0:
        return _nothing_to_classify(series)
    half = (k - 1) // 2
    falls, rises = data[data < 0], data[data > 0]
    fall_bins, fall_lows = _quantile_classes(falls, half)
    rise_bins, rise_lows = _quantile_classes(rises, half)
    bins = [*fall_bins, 0.0, *rise_bins]
    lows = (*fall_lows, 0.0, *rise_lows)
    result = _result(series, float(data.min()), bins, None)
    return Classification(result.lower, result.bins, result.classes, None, neutral=len(fall_bins), lows=lows)


def _numbers(values) -> tuple[pd.Series, np.ndarray]:
    """``values`` as floats (NaN = no data), and the values that are there."""
    series = pd.to_numeric(pd.Series(values, dtype="Float64"), errors="coerce").astype(float)
    return series, series.dropna().to_numpy()


def _nothing_to_classify(series: pd.Series) -> Classification:
    return Classification(None, (), np.full(len(series), NO_CLASS), ("note.no_values", {}))


def _quantile_classes(data: np.ndarray, k: int) -> tuple[list[float], list[float]]:
    """Upper bounds and smallest values of at most ``k`` quantile classes of ``data`` (bounds are
    values of the data, so each class is non-empty)."""
    if not data.size:
        return [], []
    uppers = sorted({float(v) for v in np.quantile(data, np.arange(1, k + 1) / k, method="higher")})
    lows = [float(data.min()), *(float(data[data > upper].min()) for upper in uppers[:-1])]
    return uppers, lows


def diverging_colours(classification: Classification, palette: str = DIVERGING_PALETTE) -> list[str]:
    """Colours of a diverging classification: falls dark to light, no change white, rises light to dark."""
    cmap = colormaps[PALETTES[palette]]
    neutral = classification.neutral or 0
    rises = classification.k - neutral - 1
    falls = [to_hex(cmap(x)) for x in np.linspace(0.05, 0.38, neutral)] if neutral else []
    up = [to_hex(cmap(x)) for x in np.linspace(0.62, 0.95, rises)] if rises else []
    return [*falls, "#f7f7f7", *up]


def _result(series: pd.Series, lower: float, bins: list[float], note) -> Classification:
    values = series.to_numpy()
    classes = np.searchsorted(np.asarray(bins), values, side="left")
    classes = np.where(np.isnan(values), NO_CLASS, np.minimum(classes, len(bins) - 1))
    return Classification(lower, tuple(bins), classes.astype(int), note)


def palette_colours(palette: str, k: int) -> list[str]:
    """``k`` hex colours from light to dark of a colour-blind-safe palette."""
    if palette not in PALETTES:
        raise OptionError(f"unknown palette {palette!r}: use one of {', '.join(PALETTES)}")
    cmap = colormaps[PALETTES[palette]]
    if k == 1:
        return [to_hex(cmap(0.6))]
    low, high = (0.05, 0.95) if palette == "PuOr" else (0.15, 0.95)
    return [to_hex(cmap(x)) for x in np.linspace(low, high, k)]
