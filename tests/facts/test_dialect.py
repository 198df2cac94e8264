"""The store's SQLite queries as PostgreSQL is given them, and what each dialect says differently."""

from __future__ import annotations

import pytest

from facts.dialect import POSTGRESQL, SQLITE
from facts.errors import FactsError

psycopg = pytest.importorskip(
    "psycopg", reason="the PostgreSQL backend needs psycopg: pip install -e '.[test]'"
)

from facts.postgres import PostgresStore, to_psycopg  # noqa: E402 (after the skip)


@pytest.mark.parametrize(
    ("sqlite", "postgresql"),
    [
        ("SELECT * FROM shows WHERE id = ?", "SELECT * FROM shows WHERE id = %s"),
        ("SELECT '?', \"a?\" FROM t WHERE x = ?", "SELECT '?', \"a?\" FROM t WHERE x = %s"),
        (
            "SELECT 1 WHERE k LIKE '%\\_alias' AND v LIKE ?",
            "SELECT 1 WHERE k LIKE '%%\\_alias' AND v LIKE %s",
        ),
        (
            "SELECT v.id FROM viewership v INDEXED BY viewership_year WHERE",
            "SELECT v.id FROM viewership v WHERE",
        ),
        (
            "WHERE v.show_id = ? AND +v.metric = ? AND (+v.start_date >= ?)",
            "WHERE v.show_id = %s AND v.metric = %s AND (v.start_date >= %s)",
        ),
        ("SET value = CAST(value AS INTEGER) + 1", "SET value = CAST(value AS INTEGER) + 1"),
    ],
)
def test_queries_are_rewritten_for_psycopg(sqlite: str, postgresql: str) -> None:
    assert to_psycopg(sqlite) == postgresql


def test_name_searches_say_the_same_in_both() -> None:
    words = [("lupin", "lupine"), ("part",)]
    sql, params = SQLITE.name_search("n.id", words, None)
    assert "names_fts MATCH ?" in sql
    assert params == ('("lupin" OR "lupine") AND ("part")', -1)
    sql, params = POSTGRESQL.name_search("n.id", words, 5, ranked=True)
    assert sql.count("n.words && CAST(? AS text[])") == 2
    assert params == (["lupin", "lupine"], ["part"], 5)


def test_an_unreachable_server_is_a_clear_error_without_the_password() -> None:
    with pytest.raises(
        FactsError, match="Cannot connect to the PostgreSQL database facts on 127.0.0.1"
    ) as error:
        PostgresStore.open("postgresql://bot:s3cret@127.0.0.1:1/facts?connect_timeout=2")
    assert "s3cret" not in str(error.value)
