"""What a screen in one language must not show: a phrase from the other language's tables, a
"None"/"nan"/"empty" placeholder, or (in Bahasa Indonesia) a decimal point instead of a comma.

The phrase tables are the interface strings (``atlas.render.i18n``) and the field registry's
labels; a phrase counts only where the two languages differ and it is long enough to be a phrase
of that language rather than a name ("Kota", "Batik").
"""

from __future__ import annotations

import re
import string
from functools import cache

from atlas import fields
from atlas.render import i18n

MIN_WORDS = 2
MIN_CHARS = 10
PLACEHOLDERS = re.compile(r"(?<![\w.])(None|nan|NaN|NaT|empty|null)(?![\w.])")
# short words that belong to one language only: a sentence or citation left untranslated
MARKERS = {
    "en": re.compile(r"\b(the|of|and|in|with|from|by|cited|reported|per unit|empty)\b"),
    "id": re.compile(r"\b(dan|yang|dari|untuk|dengan|tidak|dalam|oleh|per desa)\b"),
}
# a cited title in quotes keeps its own language ("Impact of Batik Sewage ... Jenggot")
QUOTED = re.compile(r'"[^"\n]*"|“[^”\n]*”')
# agencies are named as they call themselves, in Indonesian, on English screens too
PROPER_NAMES = re.compile(r"Dinas [A-Z][\w&]*(?: (?:dan|&|[A-Z][\w&]*))*|Paguyuban [A-Z]\w*(?: [A-Z]\w*)*")
# a Jawa Tengah region code (33.75, 33.75.02.1004) is not a decimal number
CODE = re.compile(r"\b33\.\d{2}(?:\.\d{2}(?:\.\d{4})?)?\b")
# a decimal point: digits, a point, then not exactly three digits (1.234 groups thousands in Indonesian)
DECIMAL_POINT = re.compile(r"(?<![\d.,])\d+\.(?:\d{1,2}|\d{4,})(?![\d.,])")


def _literal_parts(template: str) -> list[str]:
    """The fixed text of a template, between its ``{placeholders}`` and markdown marks."""
    parts = [literal for literal, *_ in string.Formatter().parse(template)]
    return [p.strip(" *_:;,.()-→\n") for piece in parts for p in re.split(r"[*_\n]+", piece or "")]


@cache
def phrases(lang: str) -> frozenset[str]:
    """Phrases of ``lang`` that the other language's screens must never show."""
    other = "en" if lang == "id" else "id"
    pairs = [(entry.get(lang, ""), entry.get(other, "")) for entry in i18n.STRINGS.values()]
    pairs += [(f.label(lang), f.label(other)) for f in fields.FIELDS]
    pairs += [(f.description(lang), f.description(other)) for f in fields.FIELDS]
    own_text = " ".join(theirs for _, theirs in pairs)
    found = set()
    for mine, theirs in pairs:
        if mine == theirs:
            continue
        for part in _literal_parts(mine):
            if len(part) >= MIN_CHARS and len(part.split()) >= MIN_WORDS and part not in own_text:
                found.add(part)
    return frozenset(found)


def problems(text: str, lang: str) -> list[str]:
    """Every reason ``text``, shown to a visitor in ``lang``, is wrong (empty when it is right)."""
    other = "en" if lang == "id" else "id"
    found = [f"{other} phrase: {p!r}" for p in sorted(phrases(other)) if p in text]
    prose = PROPER_NAMES.sub("", QUOTED.sub("", text))
    found += [f"{other} word: {_around(prose, m)!r}" for m in MARKERS[other].finditer(prose)]
    found += [f"placeholder: {m.group(0)!r} in {_around(text, m)!r}" for m in PLACEHOLDERS.finditer(text)]
    if lang == "id":
        without_codes = CODE.sub("", text)
        found += [f"decimal point: {_around(without_codes, m)!r}" for m in DECIMAL_POINT.finditer(without_codes)]
    return found


def _around(text: str, match: re.Match) -> str:
    return text[max(0, match.start() - 30) : match.end() + 30].replace("\n", " ")
