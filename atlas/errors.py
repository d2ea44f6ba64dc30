"""Domain exceptions. Each subclasses AtlasError and the builtin it resembles,
so callers can catch either (``except AtlasError`` or ``except ValueError``)."""


class AtlasError(Exception):
    """Root of every error the atlas raises on purpose."""


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


class UnknownUnitError(AtlasError, KeyError):
    """A name or code matches no administrative unit."""

    def __str__(self) -> str:  # KeyError would wrap the message in quotes
        return str(self.args[0]) if self.args else ""


class AmbiguousUnitError(AtlasError, ValueError):
    """A name matches more than one administrative unit (listed in ``codes``)."""

    def __init__(self, message: str, codes: list[str]):
        super().__init__(message)
        self.codes = codes


class UnknownRegionError(AtlasError, ValueError):
    """A region name or kab/kota code the atlas does not know."""


class ExportError(AtlasError, ValueError):
    """An export could not be written (bad level, format or path)."""


class OptionError(AtlasError, ValueError):
    """A user-supplied option (class breaks, a measure) is not valid."""


class OutputExistsError(AtlasError, FileExistsError):
    """The output file exists and overwriting was not asked for."""
