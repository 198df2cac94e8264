"""The admin CSV format: kinds of file, their columns, and how typed values are read.

One file holds one kind of fact and is recognised by its header row. Column names are
case-insensitive and spaces, underscores and hyphens are the same. Every column has a declared
type, so nothing is guessed: "02134" in a text column stays "02134".

Files are bytes from a disk or a Slack upload: :func:`decode_text` decides the encoding,
:func:`sniff_delimiter` the delimiter (:mod:`facts.importing` reads the rows), and every problem is
reported with the file, line and column.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from typing import Literal

from facts.errors import FactsError

ColumnType = Literal["text", "number", "decimal", "date", "kind"]

# Cells longer than this are refused: no real fact needs a megabyte, and csv's default
# limit (128 KiB) would otherwise fail with a bare "field larger than field limit".
MAX_CELL_CHARS = 1_000_000
csv.field_size_limit(MAX_CELL_CHARS + 1)

DELIMITERS = (",", ";", "\t")
FIRST_ROW_LINE = 2  # the line of the first row under the header
# What makes a spreadsheet run a cell as a formula (or a DDE command, "|calc"), even after blanks or
# invisible characters such as a zero-width space; and the controls that can start one on their own.
FORMULA_STARTS = ("=", "+", "-", "@", "|")
FORMULA_CONTROLS = ("\t", "\r")
DATE_HINT = "Write it as YYYY-MM-DD (for example 2020-10-02), or YYYY-MM or YYYY if that is all you know."
# The largest whole number a database column holds (a 64-bit integer in SQLite and PostgreSQL).
MAX_NUMBER = (1 << 63) - 1
NUMBER_HINT = "Write a whole number such as 70000000, 70,000,000, 70M, 70 million, 1.2B or 1.5k."


@dataclass(frozen=True)
class Column:
    """One column of a kind of file: its name in CSV files, its type, and its database column."""

    name: str
    type: ColumnType = "text"
    db: str = ""
    required: bool = False

    @property
    def db_column(self) -> str:
        return self.db or self.name


@dataclass(frozen=True)
class Kind:
    """A kind of fact file: which table it fills and which columns make its natural key."""

    name: str
    table: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]

    def column(self, name: str) -> Column:
        return next(column for column in self.columns if column.name == name)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(column.name for column in self.columns)

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(column.name for column in self.columns if column.required)


_SOURCE = (Column("source"), Column("as_of"))

SHOWS = Kind(
    "shows",
    "shows",
    (
        Column("title", required=True),
        Column("aliases"),
        Column("network"),
        Column("original_network"),
        Column("premiere_date", "date"),
        Column("genre"),
        Column("format"),
        Column("country"),
        Column("status"),
        Column("summary"),
        *_SOURCE,
    ),
    ("title",),
)
PEOPLE = Kind(
    "people",
    "people",
    (
        Column("name", required=True),
        Column("kind", "kind"),
        Column("aliases"),
        Column("summary"),
        *_SOURCE,
    ),
    ("name",),
)
CREDITS = Kind(
    "credits",
    "credits",
    (
        Column("show", required=True),
        Column("name", required=True),
        Column("role", required=True),
        Column("character"),
        Column("company"),
        *_SOURCE,
    ),
    ("show", "name", "role"),
)
VIEWERSHIP = Kind(
    "viewership",
    "viewership",
    (
        Column("show", required=True),
        Column("viewers", "number", db="value", required=True),
        Column("metric"),
        Column("season"),
        Column("window", db="time_window"),
        Column("start_date", "date"),
        Column("platform"),
        Column("category"),
        Column("hours_viewed", "number"),
        Column("runtime", "decimal", db="runtime_hours"),
        Column("rank", "number"),
        Column("weeks_in_top_10", "number", db="weeks_in_top10"),
        *_SOURCE,
    ),
    ("show", "season", "platform", "window", "metric"),
)
ATTRIBUTES = Kind(
    "attributes",
    "show_attributes",
    (
        Column("show", required=True),
        Column("attribute", required=True),
        Column("value", required=True),
        *_SOURCE,
    ),
    ("show", "attribute", "value"),
)
COUNTRY_RANKS = Kind(
    "country_ranks",
    "country_ranks",
    (
        Column("show", required=True),
        Column("country", required=True),
        Column("rank", "number", required=True),
        Column("country_code"),
        Column("season"),
        Column("window", db="time_window"),
        Column("start_date", "date"),
        Column("platform"),
        Column("category"),
        Column("weeks_in_top_10", "number", db="weeks_in_top10"),
        *_SOURCE,
    ),
    ("show", "season", "country", "window", "category"),
)
KINDS = (SHOWS, PEOPLE, CREDITS, VIEWERSHIP, ATTRIBUTES, COUNTRY_RANKS)
KIND_BY_NAME = {kind.name: kind for kind in KINDS}

PERSON_KINDS = {"person": "person", "organisation": "organisation", "organization": "organisation"}
DEFAULT_METRIC = "viewers"
METRICS = ("viewers", "views", "hours viewed")

_SUFFIXES = {
    "k": 1_000,
    "thousand": 1_000,
    "m": 1_000_000,
    "mn": 1_000_000,
    "million": 1_000_000,
    "b": 1_000_000_000,
    "bn": 1_000_000_000,
    "billion": 1_000_000_000,
}
_NUMBER = re.compile(r"^(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?\s*([a-z]*)$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})(?:-(\d{1,2}))?$")
_YEAR = re.compile(r"^\d{4}$")
_SLASHED_YMD = re.compile(r"^(\d{4})[/.](\d{1,2})[/.](\d{1,2})$")
_SLASHED_DMY = re.compile(r"^(\d{1,2})[/.](\d{1,2})[/.](\d{4})$")
_WRITTEN_FORMATS = ("%B %d, %Y", "%B %d %Y", "%b %d, %Y", "%b %d %Y", "%d %B %Y", "%d %b %Y")
_MONTH_FORMATS = ("%B %Y", "%b %Y")


UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
# How much of a file's start is looked at to recognise UTF-16 written without a byte-order mark.
UTF16_SNIFF_BYTES = 200


def header_key(name: str) -> str:
    """Return the canonical spelling of a column name ("Weeks in Top-10" -> "weeks_in_top_10")."""
    return re.sub(r"[\s_\-]+", "_", name.strip().casefold()).strip("_")


def decode_text(name: str, data: bytes) -> str:
    """Return the text of a file: UTF-8 (with or without BOM) when it is valid, else Windows-1252.

    Raises:
        FactsError: the file is empty or binary (NUL bytes).
    """
    utf16 = "utf-16" if data.startswith(UTF16_BOMS) else sniff_utf16(data[:UTF16_SNIFF_BYTES])
    if utf16:
        # Excel's "Unicode Text" export: UTF-16 with a byte-order mark, tab-separated (some tools
        # write it without the mark).
        data = _decode_utf16(name, data, utf16).encode("utf-8")
    if not data.strip():
        raise FactsError(f"{name} is empty.", "Upload a CSV file with a header row and at least one row.")
    if b"\x00" in data:
        raise FactsError(
            f"{name} is not a text file (it contains NUL bytes).",
            "Save it as CSV (UTF-8) from your spreadsheet and upload that file.",
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Excel on Windows saves "CSV" as Windows-1252; bytes it leaves undefined fall back to Latin-1.
        return (
            "".join(_decode_cp1252_byte(byte) for byte in data)
            if _has_undefined_cp1252(data)
            else data.decode("cp1252")
        )


def sniff_utf16(head: bytes) -> str:
    """Return "utf-16-le" or "utf-16-be" for the start of UTF-16 text without a byte-order mark, else "".

    Fact files start with a header row of Latin letters, which UTF-16 writes as a NUL byte beside
    every letter: the NULs all on odd positions (little-endian) or all on even ones (big-endian).
    """
    sample = head[: len(head) - len(head) % 2]
    if len(sample) < 4:
        return ""
    evens, odds = sample[0::2], sample[1::2]
    if odds.count(0) == len(odds) and 0 not in evens:
        return "utf-16-le"
    if evens.count(0) == len(evens) and 0 not in odds:
        return "utf-16-be"
    return ""


def _decode_utf16(name: str, data: bytes, encoding: str = "utf-16") -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        raise FactsError(
            f"{name} starts like a UTF-16 file but byte {error.start + 1} is not valid UTF-16.",
            "Save it as CSV (UTF-8) from your spreadsheet and upload that file.",
        ) from error


def _has_undefined_cp1252(data: bytes) -> bool:
    return any(byte in (0x81, 0x8D, 0x8F, 0x90, 0x9D) for byte in data)


def _decode_cp1252_byte(byte: int) -> str:
    try:
        return bytes([byte]).decode("cp1252")
    except UnicodeDecodeError:
        return bytes([byte]).decode("latin-1")


def sniff_delimiter(header_line: str) -> str:
    """Return the delimiter used in a header line: the most frequent of comma, semicolon and tab."""
    return max(DELIMITERS, key=lambda delimiter: (header_line.count(delimiter), delimiter == ","))


def recognise_kind(name: str, header: tuple[str, ...]) -> Kind:
    """Return the kind of fact file a header row belongs to.

    Raises:
        FactsError: the header matches no kind, names an unknown column, misses a required one,
            or repeats a column.
    """
    repeated = sorted({column for column in header if header.count(column) > 1})
    if repeated:
        raise FactsError(f"{name}: the column {repeated[0]} appears more than once.", "Keep one of them.")
    kind = _guess_kind(set(header))
    if kind is None:
        raise FactsError(
            f"{name}: I cannot tell what kind of facts the header row ({', '.join(header)}) holds.",
            "The first row must name the columns: "
            + "; ".join(f"{kind.name}: {', '.join(kind.required)}" for kind in KINDS)
            + " (plus optional columns).",
        )
    unknown = [column for column in header if column not in kind.names]
    if unknown:
        raise FactsError(
            f"{name}: unknown column {unknown[0]!r} in a {kind.name} file.",
            f"Accepted columns: {', '.join(kind.names)}.",
        )
    missing = [column for column in kind.required if column not in header]
    if missing:
        raise FactsError(
            f"{name}: a {kind.name} file needs the column {missing[0]}.",
            f"Required columns: {', '.join(kind.required)}.",
        )
    return kind


def _guess_kind(header: set[str]) -> Kind | None:
    if "title" in header:
        return SHOWS
    if "show" in header:
        if "attribute" in header:
            return ATTRIBUTES
        if {"name", "role"} & header:
            return CREDITS
        if "country" in header and "viewers" not in header:
            return COUNTRY_RANKS
        return VIEWERSHIP
    if "name" in header:
        return PEOPLE
    return None


def parse_number(text: str) -> int:
    """Return the whole number people write as ``70000000``, ``70,000,000``, ``70M``, ``1.5k``.

    Raises:
        ValueError: not such a number.
    """
    if text.isdecimal():
        value = int(text)  # the common case, without the pattern
    else:
        value = _parse_written_number(text)
    if value > MAX_NUMBER:
        raise ValueError(text)
    return value


def _parse_written_number(text: str) -> int:
    match = _NUMBER.match(text.strip().casefold().replace("_", ""))
    if not match:
        raise ValueError(text)
    whole, fraction, suffix = match.groups()
    multiplier = _SUFFIXES.get(suffix, 0) if suffix else 1
    if not multiplier:
        raise ValueError(text)
    fraction = fraction or ""
    scaled = int(whole.replace(",", "") + fraction) * multiplier
    divisor = 10 ** len(fraction)
    if scaled % divisor:
        raise ValueError(text)
    return scaled // divisor


def parse_decimal(text: str) -> float:
    """Return a decimal number such as ``1.9667`` (runtime in hours).

    Raises:
        ValueError: not a number.
    """
    value = float(text.strip().replace(",", ""))
    if value != value or value in (float("inf"), float("-inf")):
        raise ValueError(text)
    return value


def parse_date(text: str) -> str:
    """Return a date as ISO text: YYYY-MM-DD, or YYYY-MM / YYYY when that is all that is given.

    Raises:
        ValueError: not a date, or ambiguous (01/02/2020).
    """
    text = " ".join(text.strip().split())
    if _YEAR.match(text):
        return text
    iso = _ISO_DATE.match(text) or _SLASHED_YMD.match(text)
    if iso:
        year, month, day = iso.groups()
        if day is None:
            return dt.date(int(year), int(month), 1).strftime("%Y-%m")
        return dt.date(int(year), int(month), int(day)).isoformat()
    slashed = _SLASHED_DMY.match(text)
    if slashed:
        return _parse_slashed_date(*(int(part) for part in slashed.groups()))
    return _parse_written_date(text)


class AmbiguousDateError(ValueError):
    """01/02/2020 is January or February depending on who wrote it."""


def _parse_slashed_date(first: int, second: int, year: int) -> str:
    if first <= 12 and second <= 12 and first != second:
        raise AmbiguousDateError(f"{first}/{second}/{year}")
    day, month = (first, second) if first > 12 or first == second else (second, first)
    return dt.date(year, month, day).isoformat()


def _parse_written_date(text: str) -> str:
    cleaned = re.sub(r"(\d)(st|nd|rd|th)\b", r"\1", text, flags=re.IGNORECASE)
    for pattern in _WRITTEN_FORMATS:
        try:
            return dt.datetime.strptime(cleaned, pattern).date().isoformat()
        except ValueError:
            continue
    for pattern in _MONTH_FORMATS:
        try:
            return dt.datetime.strptime(cleaned, pattern).strftime("%Y-%m")
        except ValueError:
            continue
    raise ValueError(text)


def unquote_formula(text: str) -> str:
    """Undo the ``'`` that export puts before cells a spreadsheet would run as formulas."""
    return text[1:] if text.startswith("'") and _needs_quote(text[1:]) else text


def quote_formula(text: str) -> str:
    """Prefix ``'`` to a cell that a spreadsheet would run as a formula (``=``, ``+``, ``-``, ``@``)."""
    return "'" + text if _needs_quote(text) else text


def _needs_quote(text: str) -> bool:
    # A cell that already begins with apostrophes before a formula would lose one to unquote_formula
    # on the way back, so it is quoted too: export and import stay each other's inverse.
    return _runs_as_formula(text) or _runs_as_formula(text.lstrip("'"))


def _runs_as_formula(text: str) -> bool:
    if text[:1] in FORMULA_CONTROLS:
        return True
    visible = text.lstrip()
    while visible[:1] and unicodedata.category(visible[0]) == "Cf":  # zero-width and bidi marks
        visible = visible[1:].lstrip()
    return visible[:1] in FORMULA_STARTS and bool(visible)


def convert_cell(column: Column, text: str) -> str | int | float | None:
    """Return the typed value of one cell (empty numbers become None).

    Raises:
        FactsError: the cell does not hold a value of the column's type; the message says how to write it.
    """
    text = unquote_formula(text.strip())
    if column.type == "text":
        return text
    if column.type == "kind":
        return _convert_person_kind(text)
    if not text:
        if column.required:
            raise FactsError(f"column {column.name}: empty.", "Every row needs a value there.")
        return "" if column.type == "date" else None
    try:
        if column.type == "number":
            return parse_number(text)
        if column.type == "decimal":
            return parse_decimal(text)
        return parse_date(text)
    except AmbiguousDateError as error:
        raise FactsError(
            f"column {column.name}: {text!r} is ambiguous (day/month or month/day?).",
            "Write it as YYYY-MM-DD (for example 2020-02-01).",
        ) from error
    except ValueError as error:
        raise _type_error(column, text) from error


def _convert_person_kind(text: str) -> str:
    if not text:
        return "person"
    kind = PERSON_KINDS.get(text.casefold())
    if kind is None:
        raise FactsError(f"column kind: {text!r} is not a kind of person.", "Write person or organisation.")
    return kind


def _type_error(column: Column, text: str) -> FactsError:
    if column.type == "number":
        return FactsError(f"column {column.name}: {text!r} is not a number.", NUMBER_HINT)
    if column.type == "decimal":
        return FactsError(
            f"column {column.name}: {text!r} is not a number.", "Write it like 1.5 (a dot for decimals)."
        )
    return FactsError(f"column {column.name}: {text!r} is not a date.", DATE_HINT)
