"""Every error the atlas raises on purpose, in one family.

Each class subclasses ``AtlasError`` and the builtin it resembles, so callers can catch either
(``except AtlasError`` or ``except ValueError``). ``exit_code`` is what the command line returns:
2 for a wrong argument or option (usage), 1 for a file or data that cannot be used.
"""

from __future__ import annotations

from collections.abc import Sequence

USAGE, DATA = 2, 1


class AtlasError(Exception):
    """Root of every error the atlas raises on purpose."""

    exit_code = DATA


# --- usage: what the user asked for is not possible -------------------------------------------


class OptionError(AtlasError, ValueError):
    """A user-supplied option (class breaks, a measure, a palette) is not valid."""

    exit_code = USAGE


class UnknownRegionError(OptionError):
    """A region name or kab/kota code the atlas does not know."""


class UnknownLevelError(OptionError):
    """A level other than desa, kecamatan or kabkota."""


class UnknownFieldError(OptionError):
    """A field name that is not in the field registry (``atlas.fields``)."""


class OutputExistsError(AtlasError, FileExistsError):
    """The output file exists and overwriting was not asked for."""

    exit_code = USAGE


class VersionExistsError(OutputExistsError):
    """A dataset version of that year and source is already stored (or retired)."""


# --- data: a file or table cannot be used --------------------------------------------------------


class SourceUnavailableError(AtlasError, FileNotFoundError):
    """An upstream boundary file is neither in the mirror nor downloadable."""


class ChecksumError(AtlasError, ValueError):
    """A boundary file does not match its pinned SHA-256 sum."""


class BoundaryParseError(AtlasError, ValueError):
    """An upstream boundary file could not be parsed."""


class BoundaryValidationError(AtlasError, ValueError):
    """Parsed boundaries fail a structural check (unit counts, empty geometry)."""


class IndicatorTableError(AtlasError, ValueError):
    """An indicator table (CSV) is malformed: names the file, row, column and value."""


class DatasetNotFoundError(AtlasError, LookupError):
    """No dataset version (or more than one) matches the year and source asked for."""

    exit_code = USAGE


class UnknownUnitError(AtlasError, KeyError):
    """A name or code matches no administrative unit."""

    def __str__(self) -> str:  # KeyError would wrap the message in quotes
        return str(self.args[0]) if self.args else ""


class AmbiguousUnitError(AtlasError, ValueError):
    """A name matches more than one administrative unit (listed in ``codes``)."""

    def __init__(self, message: str, codes: list[str]):
        super().__init__(message)
        self.codes = codes


class SpreadsheetError(AtlasError, ValueError):
    """A file that cannot be read as a table at all."""


class ImportRejected(AtlasError, ValueError):
    """An import was rejected; ``problems`` lists every reason. Nothing was changed."""

    MAX_SHOWN = 50

    def __init__(self, name: str, problems: Sequence[object]):
        self.problems = list(problems)
        lines = "\n".join(f"  - {p}" for p in self.problems[: self.MAX_SHOWN])
        extra = len(self.problems) - self.MAX_SHOWN
        more = f"\n  ... and {extra} more" if extra > 0 else ""
        super().__init__(f"{name} was rejected, nothing was changed:\n{lines}{more}")


class ParseLimitError(AtlasError, ValueError):
    """Reading a user's file went beyond its memory or time bound, or was stopped (``atlas.bounded``)."""


class MarginInputError(AtlasError, ValueError):
    """The value-chain parameters are invalid; the message names actor, parameter and value."""


class RasterError(AtlasError, ValueError):
    """A raster the overlay cannot use: not a raster, no CRS, no overlap, unknown band."""


class VectorError(AtlasError, ValueError):
    """A vector file the overlay cannot use: unknown format, no CRS, no overlap, bad attribute."""


class ExportError(AtlasError, ValueError):
    """An export could not be written (bad level, format or path)."""


class AssetMissingError(AtlasError, FileNotFoundError):
    """A map library (installed from npm by the set-up) is missing."""


class EditorsFileError(AtlasError, ValueError):
    """The editors file cannot be read or holds something else than editors."""


# --- the store: where the shared state lives ----------------------------------------------------


class StoreUnavailableError(AtlasError, ConnectionError):
    """The database named by ``ATLAS_DATABASE_URL`` cannot be reached."""


class StoreSchemaError(AtlasError, RuntimeError):
    """The database has no atlas schema, or one of another version (``atlas db init`` / ``upgrade``)."""


class StoreWriteError(AtlasError, PermissionError):
    """The store refused a change (read-only database, no permission, disk full): nothing changed."""
