"""One error base class for the whole project, with the codes of DESIGN.md.

The HTTP mapping lives in ``api/errors.py``; the CLI prints ``error: CODE: message``.
"""

from __future__ import annotations

from enum import StrEnum


class ErrorCode(StrEnum):
    INVALID_PDF = "INVALID_PDF"
    ENCRYPTED_PDF = "ENCRYPTED_PDF"
    EMPTY_PDF = "EMPTY_PDF"
    NO_TEXT_LAYER = "NO_TEXT_LAYER"
    FILE_TOO_LARGE = "FILE_TOO_LARGE"
    TOO_MANY_PAGES = "TOO_MANY_PAGES"
    PDF_TOO_COMPLEX = "PDF_TOO_COMPLEX"
    INVALID_SETTINGS = "INVALID_SETTINGS"
    INSUFFICIENT_CREDITS = "INSUFFICIENT_CREDITS"
    RATE_LIMITED = "RATE_LIMITED"
    UNAUTHORIZED = "UNAUTHORIZED"
    JOB_NOT_FOUND = "JOB_NOT_FOUND"
    INVALID_JOB_STATUS = "INVALID_JOB_STATUS"
    JOB_CANCELLED = "JOB_CANCELLED"
    TOO_MANY_JOBS = "TOO_MANY_JOBS"
    SERVER_BUSY = "SERVER_BUSY"
    CHUNK_PROCESSING_ERROR = "CHUNK_PROCESSING_ERROR"
    TASK_TIMEOUT = "TASK_TIMEOUT"
    ENGINE_ERROR = "ENGINE_ERROR"
    PROCESSING_ERROR = "PROCESSING_ERROR"
    STORAGE_UNAVAILABLE = "STORAGE_UNAVAILABLE"  # the object store refused or did not answer
    INVALID_EPUB = "INVALID_EPUB"  # not an EPUB: broken archive, no package, no spine
    MALFORMED_EPUB = "MALFORMED_EPUB"  # a document of the EPUB is not well-formed XML
    EPUB_XML_ENTITIES = "EPUB_XML_ENTITIES"  # entity declarations (expansion, external files)
    UNSAFE_EPUB_PATH = "UNSAFE_EPUB_PATH"  # a name that leaves the archive (../, /, C:)
    EPUB_TOO_LARGE = "EPUB_TOO_LARGE"  # unpacks to too much: a zip bomb
    ENCRYPTED_EPUB = "ENCRYPTED_EPUB"  # DRM: the text documents are encrypted
    EMPTY_EPUB = "EMPTY_EPUB"  # no text in its reading order


class FrenchNovelError(Exception):
    """A failure a person can understand: a stable code and a plain message."""

    code: ErrorCode = ErrorCode.PROCESSING_ERROR

    def __init__(self, message: str, *, code: ErrorCode | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code

    def __str__(self) -> str:
        return f"{self.code.value}: {self.message}"


class InputError(FrenchNovelError):
    """The uploaded file cannot be processed (bad, encrypted, empty, scanned, too big)."""

    code = ErrorCode.INVALID_PDF


class SettingsError(FrenchNovelError):
    """A setting is out of range or unknown."""

    code = ErrorCode.INVALID_SETTINGS


class EngineError(FrenchNovelError):
    """The rewriting engine refused the work for good (bad key, bad request)."""

    code = ErrorCode.ENGINE_ERROR


class TransientEngineError(FrenchNovelError):
    """The rewriting engine failed in a way that a retry may cure (429, 5xx, timeout)."""

    code = ErrorCode.ENGINE_ERROR


class Cancelled(FrenchNovelError):
    """The job was cancelled while this work was running; stop quietly."""

    code = ErrorCode.INVALID_JOB_STATUS
