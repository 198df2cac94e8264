"""The files of an import: where their bytes come from and how they are decoded, as a stream.

A file is read in one pass and never held whole as text: a disk file is streamed from disk, an
upload from its bytes. The encoding rules are :func:`facts.csvformat.decode_text`'s: UTF-8 (with or
without BOM) when the whole file is valid UTF-8, else Windows-1252; UTF-16 with a byte-order mark.
"""

from __future__ import annotations

import codecs
import io
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import BinaryIO, TextIO

from facts.csvformat import UTF16_BOMS, decode_text
from facts.errors import FactsError

SEED_PACKAGE = "facts"
SEED_FOLDER = "seed"
# Bytes read at a time when a file is checked before it is parsed.
CHUNK_BYTES = 1 << 20
WINDOWS_1252_FALLBACK = "showfacts-cp1252"
# The "encoding" of a file that decode_text reads whole (UTF-16, an Excel "Unicode Text" export).
DECODED_WHOLE = "decoded whole"


@dataclass(frozen=True)
class ImportFile:
    """One file to import: its name (for messages) and its bytes, or the path they are read from."""

    name: str
    data: bytes = b""
    path: Path | None = None

    def open_bytes(self) -> BinaryIO:
        """Return the file's bytes as a stream (read from disk when the file has a path)."""
        if self.path is None:
            return io.BytesIO(self.data)
        try:
            return self.path.open("rb")
        except OSError as error:
            raise _unreadable(self.path, error) from error

    def read_bytes(self) -> bytes:
        """Return all the file's bytes (for staging a Slack upload, which is small)."""
        with self.open_bytes() as stream:
            return stream.read()


def read_paths(paths: Sequence[Path]) -> list[ImportFile]:
    """Name files on disk for an import; they are read when the import is planned.

    Raises:
        FactsError: a file is missing or unreadable.
    """
    files = []
    for path in map(Path, paths):
        try:
            with path.open("rb"):
                pass
        except OSError as error:
            raise _unreadable(path, error) from error
        files.append(ImportFile(path.name, path=path))
    return files


def _unreadable(path: Path, error: OSError) -> FactsError:
    return FactsError(
        f"Cannot read {path}: {error.strerror or error}.", "Check the file name and its permissions."
    )


def seed_files() -> list[ImportFile]:
    """Return the bundled seed fact files (``facts/seed/*.csv``), in name order."""
    folder = resources.files(SEED_PACKAGE) / SEED_FOLDER
    entries = sorted(
        (entry for entry in folder.iterdir() if entry.name.endswith(".csv")), key=lambda e: e.name
    )
    return [ImportFile(entry.name, entry.read_bytes()) for entry in entries]


def _windows_1252_or_latin_1(error: UnicodeError) -> tuple[str, int]:
    # Excel on Windows saves "CSV" as Windows-1252; the bytes it leaves undefined read as Latin-1.
    assert isinstance(error, UnicodeDecodeError)
    byte = error.object[error.start : error.start + 1]
    return byte.decode("latin-1"), error.start + 1


codecs.register_error(WINDOWS_1252_FALLBACK, _windows_1252_or_latin_1)


def encoding_of(file: ImportFile) -> str:
    """Check a file in one pass of its bytes and return the encoding to read it with.

    Raises:
        FactsError: the file is empty or binary (NUL bytes), or not valid UTF-16 after a UTF-16 BOM.
    """
    decoder = codecs.getincrementaldecoder("utf-8")()
    utf8, blank, head = True, True, b""
    with file.open_bytes() as stream:
        while chunk := stream.read(CHUNK_BYTES):
            head = head or chunk[:2]
            if head.startswith(UTF16_BOMS) or b"\x00" in chunk:
                return _decoded_whole(file)
            blank = blank and not chunk.strip()
            if utf8:
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError:
                    utf8 = False
    if blank:
        decode_text(file.name, b"")  # raises the message for empty files
    try:
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        utf8 = False
    return "utf-8-sig" if utf8 else "cp1252"


def _decoded_whole(file: ImportFile) -> str:
    # UTF-16 (Excel's "Unicode Text", with or without a byte-order mark) and anything else with NUL
    # bytes: decode_text decides on the whole file, which is small when it is text (and names the
    # problem when it is not).
    decode_text(file.name, file.read_bytes())
    return DECODED_WHOLE


@contextmanager
def open_text(file: ImportFile, encoding: str) -> Iterator[TextIO]:
    """Open a file as text in ``encoding`` (from :func:`encoding_of`), with newlines as written."""
    if encoding == DECODED_WHOLE:
        yield io.StringIO(decode_text(file.name, file.read_bytes()), newline="")
        return
    errors = WINDOWS_1252_FALLBACK if encoding == "cp1252" else "strict"
    with io.TextIOWrapper(file.open_bytes(), encoding=encoding, errors=errors, newline="") as text:
        yield text
