"""The difference between the staged rows and the store, worked out by joins in SQL.

Runs on the store's connection with the staging database attached as ``stage``: every staged row
gets the id of the store's row with its key (``store_id``) and whether any of its file's columns
differ (``changed``); the shows and people an import adds are numbered in ``stage.new_shows`` and
``stage.new_people``; a replacing import lists the rows it removes in ``stage.removed``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from facts.csvformat import KIND_BY_NAME, VIEWERSHIP
from facts.dialect import Connection, Dialect
from facts.importing.numbering import number_new_people, number_new_shows
from facts.importing.report import MAX_REPORTED_PROBLEMS, describe_row, refusal
from facts.importing.rows import (
    APPLY_ORDER,
    DEPENDENT_KINDS,
    KEYS,
    PROVENANCE,
    REFERENCES,
    FileColumns,
    file_columns,
    missing_key_columns,
    staged_table,
)
from facts.importing.staging import StagedFile
from facts.importing.target import dialect_of

# The key by which staged shows and people find the store's.
_NAMED_KEYS = {"shows": "title_key", "people": "name_key"}
# How a dependent kind's staged rows find the store's row with the same key, once their show
# (and person) ids are known.
_SAME_KEY = {
    "credits": (
        "m.show_id = s.show_id AND m.person_id = s.person_id AND m.role = s.role"
        " AND (s.character_key IS NULL OR {character_key} = s.character_key)"
    ),
    "viewership": (
        "m.show_id = s.show_id AND m.season = s.season AND m.platform = s.platform"
        " AND m.time_window = s.time_window AND m.metric = s.metric"
    ),
    "attributes": "m.show_id = s.show_id AND m.attribute = s.attribute AND m.value = s.value",
    "country_ranks": (
        "m.show_id = s.show_id AND m.season = s.season AND m.country = s.country"
        " AND m.time_window = s.time_window AND m.category = s.category"
    ),
}


def diff(
    conn: Connection, files: Sequence[StagedFile], kinds: Sequence[str], replace: bool, *, again: bool
) -> None:
    """Fill in the staged rows' store ids, changes, new shows and people and (replacing) removals.

    ``again``: the staged rows hold what an earlier diff found, which is cleared first.
    """
    if again:
        for name in APPLY_ORDER:
            _forget_matches(conn, name)
    # The kinds some of whose rows the store has (or name a show or person it has): only those
    # can match a row, or change one.
    matched = {name for name, key in _NAMED_KEYS.items() if _match_named(conn, name, key)}
    named = {name for name in DEPENDENT_KINDS if _match_dependent(conn, name)}
    matched |= named
    for file in files:
        if missing_key_columns(file) and "viewership" in named:
            _match_partial_key(conn, file)
    for file in files:
        if file.holds_facts and file_columns(file).kind.name in matched:
            _mark_changed(conn, file.number, file_columns(file))
    number_new_shows(conn)
    number_new_people(conn)
    conn.execute("DROP TABLE IF EXISTS stage.removed")
    text = dialect_of(conn).staged_text
    conn.execute(f"CREATE TABLE stage.removed (kind {text} NOT NULL, id BIGINT NOT NULL)")
    if replace:
        _plan_removals(conn, kinds)


# Only the staged rows the store has a match for are written: in an import of new facts (a new
# store) hardly any, where setting every row would write the whole staging database again.


def _match_named(conn: Connection, name: str, key: str) -> bool:
    """Give the staged shows (or people) the store's ids; return whether any is in the store."""
    table = staged_table(KIND_BY_NAME[name])
    cursor = conn.execute(
        f"UPDATE stage.{table} AS s SET store_id = (SELECT id FROM main.{name} m WHERE m.{key} = s.{key})"
        f" WHERE s.{key} IN (SELECT {key} FROM main.{name})"
    )
    return cursor.rowcount > 0


def _match_dependent(conn: Connection, name: str) -> bool:
    """Give the staged rows their show's (and person's) ids and the store's rows with their key.

    Returns whether any row names a show (or person) the store has: no other can match.
    """
    kind = KIND_BY_NAME[name]
    table = staged_table(kind)
    show = "(SELECT id FROM main.shows m WHERE m.title_key = s.show_key)"
    known = "s.show_key IN (SELECT title_key FROM main.shows)"
    if name == "credits":
        cursor = conn.execute(
            f"UPDATE stage.{table} AS s SET show_id = {show},"
            " person_id = (SELECT id FROM main.people p WHERE p.name_key = s.person_key)"
            f" WHERE {known} OR s.person_key IN (SELECT name_key FROM main.people)"
        )
    else:
        cursor = conn.execute(f"UPDATE stage.{table} AS s SET show_id = {show} WHERE {known}")
    if cursor.rowcount <= 0:
        return False
    # A row naming a show (or person) the store does not have yet matches none of its rows.
    same_key = _SAME_KEY[name].format(character_key=dialect_of(conn).character_key("m"))
    same = f"(SELECT MIN(m.id) FROM main.{kind.table} m WHERE {same_key})"
    found = "s.show_id IS NOT NULL" + (" AND s.person_id IS NOT NULL" if name == "credits" else "")
    conn.execute(f"UPDATE stage.{table} AS s SET store_id = {same} WHERE {found}")
    return True


def _forget_matches(conn: Connection, name: str) -> None:
    """Clear what an earlier diff (against an older store) found, on the rows it found anything for."""
    table = staged_table(KIND_BY_NAME[name])
    columns = ("store_id", *REFERENCES.get(name, ()))
    conn.execute(
        f"UPDATE stage.{table} SET {', '.join(f'{column} = NULL' for column in columns)}, changed = 0"
        f" WHERE {' OR '.join(f'{column} IS NOT NULL' for column in columns)} OR changed != 0"
    )


def _match_partial_key(conn: Connection, file: StagedFile) -> None:
    """Match the figures of a file that leaves out key columns with the one figure they can mean.

    A figure of the file matches the store's figure of its show that agrees on the columns the file
    has (``show,viewers,window`` updates Lupin's figure of that window, whatever its platform), when
    it matches none exactly with the columns left out empty. Several candidates are refused.
    """
    given = [column for column in KEYS["viewership"][1:] if column not in missing_key_columns(file)]
    agree = " AND ".join(["m.show_id = s.show_id", *(f"m.{column} = s.{column}" for column in given)])
    candidates = f"FROM main.viewership m WHERE {agree}"
    matched = conn.execute(
        f"UPDATE stage.st_viewership AS s SET matches = (SELECT COUNT(*) {candidates}),"
        f" store_id = (SELECT MIN(m.id) {candidates})"
        " WHERE file_no = ? AND store_id IS NULL AND show_id IS NOT NULL",
        (file.number,),
    ).rowcount
    if not matched:  # no figure of a known show is left to match: none can be ambiguous
        return
    ambiguous = conn.execute(
        "SELECT line, show, show_id, season, platform, time_window, metric FROM stage.st_viewership"
        " WHERE file_no = ? AND matches > 1 ORDER BY rowid LIMIT ?",
        (file.number, MAX_REPORTED_PROBLEMS + 1),
    ).fetchall()
    if ambiguous:
        total = conn.execute(
            "SELECT COUNT(*) FROM stage.st_viewership WHERE file_no = ? AND matches > 1", (file.number,)
        ).fetchone()[0]
        _refuse_ambiguous(conn, file, given, ambiguous, total)


def _refuse_ambiguous(
    conn: Connection, file: StagedFile, given: list[str], rows: list[Any], total: int
) -> None:
    missing = [column.replace("time_window", "window") for column in missing_key_columns(file)]
    details = []
    for line, show, show_id, *keys in rows[:MAX_REPORTED_PROBLEMS]:
        values = dict(zip(KEYS["viewership"][1:], keys, strict=True))
        named = conn.execute(
            f"SELECT metric, time_window, season FROM main.viewership WHERE show_id = ?"
            f"{''.join(f' AND {column} = ?' for column in given)} ORDER BY id",
            (show_id, *(values[column] for column in given)),
        ).fetchall()
        figures = "; ".join(
            describe_row(VIEWERSHIP, {"show": show, "metric": m, "time_window": w, "season": s})
            for m, w, s in named
        )
        details.append(
            f"{file.name} line {line}: {show} has {len(named)} figures this row could mean ({figures})."
            f" Add the column{'s' if len(missing) > 1 else ''} {', '.join(missing)} to say which."
        )
    raise refusal(total, details)


def _mark_changed(conn: Connection, file_no: int, columns: FileColumns) -> None:
    table = staged_table(columns.kind)
    # A source the import filled in (an empty cell) names the import: a later import of the same
    # facts is no change.
    differs = " OR ".join(
        f"(COALESCE(s.cited, 0) = 0 AND m.{column} IS DISTINCT FROM s.{column})"
        if column in PROVENANCE
        else f"m.{column} IS DISTINCT FROM s.{column}"
        for column in columns.compared
    )
    conn.execute(
        f"UPDATE stage.{table} AS s SET changed = 1 WHERE file_no = ? AND store_id IS NOT NULL AND EXISTS"
        f" (SELECT 1 FROM main.{columns.kind.table} m WHERE m.id = s.store_id AND ({differs}))",
        (file_no,),
    )


def _plan_removals(conn: Connection, kinds: Sequence[str]) -> None:
    """List the rows of the kinds in the files that the files do not list, but for the named ones.

    Shows that keep facts of kinds this import does not replace stay, and so do the shows that the
    imported credits, figures and attributes name; people likewise for credits.
    """
    for name in kinds:
        kind = KIND_BY_NAME[name]
        kept = _kept(name, kinds, dialect_of(conn))
        conn.execute(
            f"INSERT INTO stage.removed(kind, id) SELECT ?, id FROM main.{kind.table} WHERE id NOT IN"
            f" (SELECT store_id FROM stage.{staged_table(kind)} WHERE store_id IS NOT NULL)"
            f"{f' AND id NOT IN ({kept})' if kept else ''} ORDER BY id",
            (name,),
        )


def _kept(name: str, kinds: Sequence[str], dialect: Dialect) -> str:
    if name == "shows":
        return " UNION ".join(
            f"SELECT show_id FROM stage.{staged_table(KIND_BY_NAME[other])} WHERE show_id IS NOT NULL"
            if other in kinds
            else f"SELECT show_id FROM main.{KIND_BY_NAME[other].table}"
            for other in DEPENDENT_KINDS
        )
    if name == "people" and "credits" in kinds:
        return (
            "SELECT person_id FROM stage.st_credits WHERE person_id IS NOT NULL UNION SELECT id"
            " FROM main.people WHERE name_key IN (SELECT company_key FROM stage.st_credits)"
        )
    if name == "people":
        return (
            "SELECT person_id FROM main.credits UNION SELECT id FROM main.people"
            f" WHERE name_key IN ({dialect.company_keys})"
        )
    return ""
