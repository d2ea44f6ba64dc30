"""The one validation contract for every stored value: years, counts and text.

The importer refuses exactly what the readers of the stored tables refuse, so an accepted import
can never break a later read. Each check returns None when the value is fine, or the reason.
"""

from __future__ import annotations

import re
import unicodedata

FIRST_YEAR, LAST_YEAR = 1900, 2099
#: No desa/kelurahan, kecamatan or kab/kota has ten million batik producers or workers (all of
#: Jawa Tengah has about 37 million people); a larger number is a typing or file error.
MAX_COUNT = 10_000_000
#: Text fields (sources, names) fit a Shapefile text field (254 bytes) with room for joins.
MAX_TEXT_CHARS = 200
#: Line breaks, tabs, C0/C1 controls, and the marks that change the direction text is drawn in
#: (embeddings, overrides, isolates): with these a stored name could read as another name.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def year_problem(year: object) -> str | None:
    """Why ``year`` cannot be stored (None when it can)."""
    if isinstance(year, bool) or not isinstance(year, int):
        return "is not a year"
    if not FIRST_YEAR <= year <= LAST_YEAR:
        return f"is not a year from {FIRST_YEAR} to {LAST_YEAR}"
    return None


def count_problem(count: int) -> str | None:
    """Why a whole number ``count`` cannot be stored as a count (None when it can)."""
    if count < 0:
        return "is negative"
    if count > MAX_COUNT:
        return f"is over {MAX_COUNT:,}, more than any unit can have"
    return None


def text_problem(text: str) -> str | None:
    """Why ``text`` cannot be stored (None when it can): one line, no control characters."""
    if len(text) > MAX_TEXT_CHARS:
        return f"is longer than {MAX_TEXT_CHARS} characters"
    if CONTROL_CHARACTERS.search(text):
        return "holds a line break, tab, control or text-direction character: write it on one line"
    return None


def normalised_text(text: str) -> str:
    """Text as it is stored and compared: Unicode NFC, trimmed, inner runs of spaces made one
    (so that "Wijaya  2022 " and "Wijaya 2022" are one source); ``text_problem`` still applies."""
    return re.sub(r" {2,}", " ", unicodedata.normalize("NFC", text).strip())


def shown(text: object, limit: int = 60) -> str:
    """A value quoted safely for a message: control characters escaped, long text cut."""
    value = str(text)
    cut = value[:limit] + ("…" if len(value) > limit else "")
    return repr(cut)
