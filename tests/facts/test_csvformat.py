"""The admin CSV format: values people type, encodings, delimiters, headers."""

from __future__ import annotations

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from facts.csvformat import (
    SHOWS,
    VIEWERSHIP,
    AmbiguousDateError,
    convert_cell,
    decode_text,
    header_key,
    parse_date,
    parse_number,
    quote_formula,
    recognise_kind,
    sniff_delimiter,
    unquote_formula,
)
from facts.errors import FactsError
from facts.importing import ImportFile, apply_import, plan_import
from facts.store import FactStore


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("70000000", 70_000_000),
        ("70,000,000", 70_000_000),
        ("70M", 70_000_000),
        ("70m", 70_000_000),
        ("70 million", 70_000_000),
        ("1.2B", 1_200_000_000),
        ("1.5k", 1_500),
        (" 82M ", 82_000_000),
        ("0", 0),
    ],
)
def test_numbers_as_people_type_them(text: str, value: int) -> None:
    assert parse_number(text) == value


@pytest.mark.parametrize(
    "text", ["lots", "70 zillion", "1.2.3", "7,0", "-5", "1.0001k", "", "M", "9" * 20, "10,000,000,000B"]
)
def test_what_is_not_a_whole_number_is_refused(text: str) -> None:
    with pytest.raises(ValueError):
        parse_number(text)


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("2020-10-02", "2020-10-02"),
        ("2020-10", "2020-10"),
        ("2020", "2020"),
        ("October 2, 2020", "2020-10-02"),
        ("2 Oct 2020", "2020-10-02"),
        ("2nd October 2020", "2020-10-02"),
        ("2020/10/02", "2020-10-02"),
        ("October 2020", "2020-10"),
        ("25/12/2020", "2020-12-25"),
        ("12/25/2020", "2020-12-25"),
        ("05/05/2020", "2020-05-05"),
    ],
)
def test_dates_are_stored_iso(text: str, iso: str) -> None:
    assert parse_date(text) == iso


def test_a_day_month_order_that_could_go_either_way_is_refused() -> None:
    with pytest.raises(AmbiguousDateError):
        parse_date("01/02/2020")


@pytest.mark.parametrize("text", ["31/02/2020", "2020-13-01", "soon", "Octember 2, 2020"])
def test_impossible_dates_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        parse_date(text)


@pytest.mark.parametrize(
    ("column", "text", "message"),
    [
        (
            "viewers",
            "lots",
            "column viewers: 'lots' is not a number. Write a whole number such as 70000000, 70,000,000, "
            "70M, 70 million, 1.2B or 1.5k.",
        ),
        (
            "start_date",
            "01/02/2020",
            "column start_date: '01/02/2020' is ambiguous (day/month or month/day?). "
            "Write it as YYYY-MM-DD (for example 2020-02-01).",
        ),
        (
            "start_date",
            "31/02/2020",
            "column start_date: '31/02/2020' is not a date. Write it as YYYY-MM-DD (for example "
            "2020-10-02), or YYYY-MM or YYYY if that is all you know.",
        ),
        (
            "runtime",
            "long",
            "column runtime: 'long' is not a number. Write it like 1.5 (a dot for decimals).",
        ),
    ],
)
def test_bad_cells_say_how_to_write_them(column: str, text: str, message: str) -> None:
    with pytest.raises(FactsError) as raised:
        convert_cell(VIEWERSHIP.column(column), text)
    assert str(raised.value) == message


def test_declared_text_is_never_guessed() -> None:
    assert convert_cell(SHOWS.column("country"), "02134") == "02134"


def test_empty_optional_numbers_are_none() -> None:
    assert convert_cell(VIEWERSHIP.column("rank"), "") is None


@pytest.mark.parametrize(
    ("data", "text"),
    [
        ("title\nÉmily\n".encode(), "title\nÉmily\n"),
        (b"\xef\xbb\xbftitle\nLupin\n", "title\nLupin\n"),
        ("name\nGrégoire\n".encode("cp1252"), "name\nGrégoire\n"),
        ("name\nZoë “Z” Wanamaker\n".encode("cp1252"), "name\nZoë “Z” Wanamaker\n"),
        ("title\tnetwork\nÉmily\tNetflix\n".encode("utf-16"), "title\tnetwork\nÉmily\tNetflix\n"),
        (b"\xfe\xff" + "title\nLupin\n".encode("utf-16-be"), "title\nLupin\n"),
    ],
)
def test_encodings_utf8_bom_utf16_and_windows_1252(data: bytes, text: str) -> None:
    assert decode_text("f.csv", data) == text


def test_binary_files_are_refused() -> None:
    with pytest.raises(FactsError) as raised:
        decode_text("photo.csv", b"\x89PNG\r\n\x00\x00\x00")
    assert str(raised.value) == (
        "photo.csv is not a text file (it contains NUL bytes). "
        "Save it as CSV (UTF-8) from your spreadsheet and upload that file."
    )


def test_broken_utf16_is_refused() -> None:
    with pytest.raises(FactsError) as raised:
        decode_text("export.txt", b"\xff\xfet\x00i\x00\x00\xd8")
    assert str(raised.value) == (
        "export.txt starts like a UTF-16 file but byte 7 is not valid UTF-16. "
        "Save it as CSV (UTF-8) from your spreadsheet and upload that file."
    )


def problems(name: str, data: bytes) -> tuple[str, ...]:
    """Return the problems an import of one file names (the file is read by facts.importing)."""
    with FactStore.open() as store, pytest.raises(FactsError) as raised:
        plan_import(store, [ImportFile(name, data)])
    return raised.value.details


def added(name: str, data: bytes) -> tuple[str, ...]:
    with FactStore.open() as store:
        return plan_import(store, [ImportFile(name, data)]).changed_lines


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty.csv is empty. Upload a CSV file with a header row and at least one row."),
        (b"  \n\n", "empty.csv is empty. Upload a CSV file with a header row and at least one row."),
        (
            b"title,network\n",
            "empty.csv has a header row but no rows of facts. Add at least one row under the header.",
        ),
    ],
)
def test_empty_files(data: bytes, message: str) -> None:
    assert problems("empty.csv", data) == (message,)


@pytest.mark.parametrize(
    ("header", "delimiter"),
    [("title,network", ","), ("title;network", ";"), ("title\tnetwork", "\t"), ("title", ",")],
)
def test_delimiter_is_sniffed_from_the_header(header: str, delimiter: str) -> None:
    assert sniff_delimiter(header) == delimiter


@pytest.mark.parametrize("separator", [",", ";", "\t"])
def test_rows_split_on_the_sniffed_delimiter(separator: str) -> None:
    data = f'title{separator}network\n"Lupin, Part 2"{separator}Netflix\n'.encode()
    assert added("shows.csv", data) == ("Added: Lupin, Part 2",)


def test_ragged_rows_are_errors_naming_each_line() -> None:
    assert problems("shows.csv", b"title,network\nLupin\nBridgerton,Netflix\nDark,Netflix,extra\n") == (
        "shows.csv has rows with the wrong number of cells.",
        "shows.csv line 2: 1 cells where the header has 2.",
        "shows.csv line 4: 3 cells where the header has 2.",
    )


@pytest.mark.parametrize("quote", [b'"', b""])
def test_absurd_cells_are_refused_cleanly(quote: bytes) -> None:
    data = b"title,summary\nLupin," + quote + b"x" * 1_000_002 + quote + b"\n"
    (problem,) = problems("shows.csv", data)
    assert problem.startswith("shows.csv line 2: cannot read the CSV (field larger than field limit")


def test_multi_line_cells_and_blank_lines_keep_the_file_s_line_numbers() -> None:
    data = b'title,summary\nLupin,"two\nlines"\n\nDark,x\n,y\n'
    assert problems("shows.csv", data) == (
        "shows.csv line 6, column title: empty. Every row needs a value there.",
    )


def test_large_cells_within_the_limit_are_read() -> None:
    summary = "y" * 200_000
    data = f"title,summary\nLupin,{summary}\n".encode()
    with FactStore.open() as store:
        apply_import(store, plan_import(store, [ImportFile("shows.csv", data)]), user="t")
        assert store.conn.execute("SELECT summary FROM shows").fetchone() == (summary,)


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Premiere Date", "premiere_date"),
        ("premiere-date", "premiere_date"),
        (" WEEKS in top-10", "weeks_in_top_10"),
    ],
)
def test_column_names_ignore_case_spaces_hyphens(name: str, key: str) -> None:
    assert header_key(name) == key


@pytest.mark.parametrize(
    ("header", "kind"),
    [
        (("title",), "shows"),
        (("name", "kind"), "people"),
        (("show", "name", "role"), "credits"),
        (("show", "viewers"), "viewership"),
        (("show", "attribute", "value"), "attributes"),
    ],
)
def test_kinds_are_recognised_by_their_header(header: tuple[str, ...], kind: str) -> None:
    assert recognise_kind("f.csv", header).name == kind


@pytest.mark.parametrize(
    ("header", "message"),
    [
        (
            ("title", "rating"),
            "f.csv: unknown column 'rating' in a shows file. Accepted columns: title, aliases, network, "
            "original_network, premiere_date, genre, format, country, status, summary, source, as_of.",
        ),
        (
            ("show", "window"),
            "f.csv: a viewership file needs the column viewers. Required columns: show, viewers.",
        ),
        (("title", "title"), "f.csv: the column title appears more than once. Keep one of them."),
        (
            ("colour",),
            "f.csv: I cannot tell what kind of facts the header row (colour) holds. The first row must name "
            "the columns: shows: title; people: name; credits: show, name, role; viewership: show, viewers; "
            "attributes: show, attribute, value; country_ranks: show, country, rank (plus optional columns).",
        ),
    ],
)
def test_bad_headers_name_the_column_and_the_accepted_ones(header: tuple[str, ...], message: str) -> None:
    with pytest.raises(FactsError) as raised:
        recognise_kind("f.csv", header)
    assert str(raised.value) == message


@pytest.mark.parametrize(
    ("value", "exported"),
    [
        ("=1+1", "'=1+1"),
        ("+44 20", "'+44 20"),
        ("-x", "'-x"),
        ("@SUM", "'@SUM"),
        ("|calc", "'|calc"),
        ("\u200b=HYPERLINK(1)", "'\u200b=HYPERLINK(1)"),
        (" \u2060 =1", "' \u2060 =1"),
        ("\t1", "'\t1"),
        ("Lupin", "Lupin"),
        ("\u200bLupin", "\u200bLupin"),
        ("'quoted", "'quoted"),
    ],
)
def test_formula_cells_are_quoted_on_export_and_read_back(value: str, exported: str) -> None:
    assert quote_formula(value) == exported
    assert unquote_formula(exported) == value


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (70_000_000, "70M"),
        (1_500, "1.5k"),
        (1_200_000_000, "1.2B"),
        (1_234_567, "1,234,567"),
        (7_051_063_700, "7,051,063,700"),
    ],
)
def test_figures_in_reports(value: int, text: str) -> None:
    from facts.importing import format_figure

    assert format_figure(value) == text


@given(st.integers(min_value=0, max_value=10**13))
def test_figures_as_reports_write_them_read_back_exactly(value: int) -> None:
    from facts.importing import format_figure

    assert parse_number(format_figure(value)) == value


@given(
    st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=40)
)
@example("'=")  # a cell already quoted once keeps its apostrophe
@example("'\t")
@example("''+1")
def test_any_text_cell_survives_export_quoting(text: str) -> None:
    assert unquote_formula(quote_formula(text)) == text


@pytest.mark.parametrize("order", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_byte_order_mark_is_read_as_utf16(order: str) -> None:
    text = "title\tnetwork\nLupin\tNetflix\nAmélie\tCanal+\n"
    assert decode_text("shows.tsv", text.encode(order)) == text
