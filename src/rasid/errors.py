"""The one error hierarchy of rasid.

Every failure a user can meet is a ``RasidError`` with a short code and a one-line message,
so the CLI can print ``path: reason`` and carry on with the next input, and the API can map it
to a JSON error shape. Nothing in rasid raises a bare ``Exception``.
"""
from __future__ import annotations


class RasidError(Exception):
    """Base class: ``code`` is stable and machine-readable, ``str(err)`` is for people."""

    code = "RASID"

    def __init__(self, message: str, *, source: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.source = source

    def __str__(self) -> str:
        return f"{self.source}: {self.message}" if self.source else self.message


class InputError(RasidError):
    """An input that cannot be turned into a document (rejected with a reason)."""

    code = "E_INPUT"


class EncodingError(InputError):
    """Bytes that are binary or not text in any supported encoding."""

    code = "E_ENCODING"


class EmptyInputError(InputError):
    """Input with no article text left after cleaning."""

    code = "E_EMPTY"


class NotArabicError(InputError):
    """Text that is not (mostly) Arabic: rasid's pipeline would only produce noise."""

    code = "E_NOT_ARABIC"


class TooLargeError(InputError):
    """Input over the configured size limit."""

    code = "E_TOO_LARGE"


class DataFileError(RasidError):
    """A packaged lexicon or gazetteer is missing or malformed (an installation problem)."""

    code = "E_DATA"


class PipelineError(RasidError):
    """A pipeline was assembled with a stage whose requirements are not met."""

    code = "E_PIPELINE"


class StageError(RasidError):
    """A stage failed on a document."""

    code = "E_STAGE"


class StoreError(RasidError):
    """The knowledge base could not be opened, migrated or written."""

    code = "E_STORE"


class NotFoundError(StoreError):
    """A record asked for by id does not exist."""

    code = "E_NOT_FOUND"


class QueryError(RasidError):
    """A search query that cannot be run (empty after normalisation, bad syntax)."""

    code = "E_QUERY"
