"""Match unit names (current or pre-2015) to current Kemendagri codes.

Names are for people, codes are for joins: a name is matched only in a normalised form (case,
spaces and punctuation ignored) against the current village names and the pre-2015 names of the
kelurahan merger crosswalk (Perda Kota Pekalongan No. 8/2013), within one kab/kota. A name that
matches nothing gets the nearest known names as suggestions; one that matches two units is an error.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections import defaultdict

import pandas as pd

from atlas.errors import AmbiguousUnitError, UnknownUnitError


def normalise_name(name: str) -> str:
    """Case-, accent-, space- and punctuation-insensitive form of a place name."""
    decomposed = unicodedata.normalize("NFKD", str(name))
    return re.sub(r"[^0-9a-z]", "", decomposed.casefold())


class NameIndex:
    """Resolve names to current village codes, per kab/kota."""

    def __init__(self, villages: pd.DataFrame, crosswalk: pd.DataFrame):
        """``villages`` has KDEPUM, WADMKD; ``crosswalk`` has kode, kelurahan_lama."""
        self._codes: dict[tuple[str, str], set[str]] = defaultdict(set)
        self._labels: dict[tuple[str, str], str] = {}
        known = set(villages["KDEPUM"])
        self.codes = frozenset(known)
        self._current = {code: normalise_name(name) for code, name in zip(villages["KDEPUM"], villages["WADMKD"])}
        pairs = list(zip(villages["KDEPUM"], villages["WADMKD"]))
        pairs += [(code, old) for code, old in zip(crosswalk["kode"], crosswalk["kelurahan_lama"]) if code in known]
        for code, name in pairs:
            key = (code[:5], normalise_name(name))
            self._codes[key].add(code)
            self._labels.setdefault(key, name)
        self._old_names = crosswalk.groupby("kode")["kelurahan_lama"].apply(list).to_dict()

    def resolve(self, name: str, kabkota: str, *, hint: bool = True) -> str:
        """The current code of a village named ``name`` in ``kabkota`` (an unknown name's error
        suggests the nearest known names unless ``hint`` is False)."""
        codes = self._codes.get((kabkota, normalise_name(name)), set())
        if len(codes) == 1:
            return next(iter(codes))
        if codes:
            raise AmbiguousUnitError(
                f"{name!r} in {kabkota} may be any of {', '.join(sorted(codes))} "
                "(the pre-2015 kelurahan was split); give the Kemendagri code instead",
                sorted(codes),
            )
        suggestion = self.suggest(name, kabkota) if hint else ""
        raise UnknownUnitError(f"{name!r} is not a desa/kelurahan of {kabkota}{suggestion}")

    def is_current_name(self, name: str, code: str) -> bool:
        """True when ``name`` is today's name of ``code`` (in normalised form)."""
        return self._current.get(code) == normalise_name(name)

    def old_names(self, code: str) -> list[str]:
        """Pre-2015 kelurahan merged into ``code`` (empty where the crosswalk has none)."""
        return list(self._old_names.get(code, []))

    def suggest(self, name: str, kabkota: str) -> str:
        """'; did you mean ...?' with the nearest known names of ``kabkota``, or ''."""
        labels = {key[1]: label for key, label in self._labels.items() if key[0] == kabkota}
        near = difflib.get_close_matches(normalise_name(name), list(labels), n=3, cutoff=0.75)
        return f"; did you mean {' or '.join(repr(labels[n]) for n in near)}?" if near else ""
