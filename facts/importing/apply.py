"""Applying a plan: one transaction that journals, then removes, updates and inserts rows in SQL.

Every write is an ``INSERT ... SELECT`` or ``UPDATE ... FROM`` from the staging database: no row
passes through Python. New rows take consecutive ids after the largest, so that rows referring to
new shows and people can be written in the same pass, and the journal records them as ranges. The
name index is filled from the views its triggers also read (facts.schema m104), in one statement
per table instead of a trigger per row.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace as with_changes

from facts.csvformat import KIND_BY_NAME
from facts.dialect import Connection
from facts.errors import FactsError
from facts.importing.journal import ImportRecord, journal_before, journal_inserted, now, record_import
from facts.importing.names import NameWriter
from facts.importing.plan import ImportPlan, prepare, summarise
from facts.importing.rows import APPLY_ORDER, DEPENDENT_KINDS, file_columns, staged_table
from facts.importing.staging import StagedFile
from facts.importing.target import ImportStore, dialect_of, diff_kept, writing
from facts.importing.tuning import ImportTuning
from facts.schema import NAME_INSERT_TRIGGERS, NAME_VIEWS


def apply_import(store: ImportStore, plan: ImportPlan, *, user: str, first: bool = False) -> ImportRecord:
    """Apply a plan in one transaction, journaling every touched row; re-plans if the store moved on.

    Args:
        store: the fact store.
        plan: from :func:`facts.importing.plan_import`.
        user: who imports (recorded in the history).
        first: apply it only as the store's first import (the seed of a new store).

    Returns:
        The journal record of the import.

    Raises:
        FactsError: ``first``, and the store has had an import (another process's, meanwhile).
    """
    staging = plan.staging
    if staging is None or staging.closed:
        staging, notes = prepare(plan.files, plan.tuning)
        plan = with_changes(plan, staging=staging, parse_notes=notes, generation=-1)
    try:
        with writing(store, staging, replace=plan.replace) as conn:
            if first and conn.execute("SELECT EXISTS (SELECT 1 FROM imports)").fetchone()[0]:
                raise FactsError("This fact store has had an import already: nothing was changed.")
            return write_plan(store, conn, plan, user)
    finally:
        staging.close()


def write_plan(store: ImportStore, conn: Connection, plan: ImportPlan, user: str) -> ImportRecord:
    """Write ``plan`` on a connection in a write transaction with its staging attached."""
    staging = plan.staging
    assert staging is not None
    # On PostgreSQL the plan's diff went with its temporary tables: the staged rows are diffed again.
    if store.generation() != plan.generation or not diff_kept(conn):
        plan = summarise(conn, staging, plan.files, plan.replace, store.generation(), plan.parse_notes)
    record = ImportRecord(
        id=0,
        user=user,
        at=now(),
        files=plan.file_names,
        mode="replace" if plan.replace else "upsert",
        counts=plan.counts(),
        items=plan.changed_lines,
        notes=(*plan.created_lines, *plan.parse_notes),
    )
    import_id = record_import(conn, record)
    _Writer(conn, import_id, staging.files, plan.tuning).write(_added_rows(plan))
    plan.tuning.before_step("commit")
    return with_changes(record, id=import_id)


class _Writer:
    """The statements of one import, in order: removals of dependent rows, updates, inserts, removals."""

    def __init__(
        self, conn: Connection, import_id: int, files: list[StagedFile], tuning: ImportTuning
    ) -> None:
        self.conn = conn
        # Where no trigger keeps the name index, the writes keep it.
        self.names = None if dialect_of(conn).names_by_triggers else NameWriter(conn, import_id)
        self.import_id = import_id
        self.files = files
        self.step = tuning.before_step
        self.rebuild_ratio = tuning.rebuild_indexes_at

    def write(self, added: dict[str, int]) -> None:
        """Write the plan; ``added`` is how many rows it adds to each table (the name index's included)."""
        for name in reversed(DEPENDENT_KINDS):  # dependent rows go before the shows they refer to
            self._remove(name)
        for name in APPLY_ORDER:
            for file in self._files_of(name):
                self._update(file)
        with self._indexes_rebuilt(added), self._names_in_bulk():
            shows = self._insert_named(
                "shows", "title, source, as_of, title_key", "title, source, as_of, key"
            )
            people = self._insert_named(
                "people", "name, kind, source, as_of, name_key", "name, kind, source, as_of, key"
            )
            for name in DEPENDENT_KINDS:
                self._insert_dependent(name, shows, people)
        for name in ("people", "shows"):
            self._remove(name)
        if self.names is not None:
            self._continue_identities()

    @contextmanager
    def _indexes_rebuilt(self, added: dict[str, int]) -> Iterator[None]:
        """Drop the secondary indexes of the tables the block fills with many rows; build them after.

        Building an index once from all its rows sorts them; keeping it through the inserts writes
        every row into it at a random place. A unique index (the shows' and people's keys) built
        again refuses a duplicate as an insert would; the keys declared in their tables stay.
        """
        dropped: list[tuple[str, str]] = []
        for table, count in added.items() if self.names is None else ():
            if count and count >= self.rebuild_ratio * self._row_count(table):
                dropped += self.conn.execute(
                    "SELECT name, sql FROM main.sqlite_master WHERE type = 'index' AND tbl_name = ?"
                    " AND sql IS NOT NULL ORDER BY name",
                    (table,),
                ).fetchall()
        for name, _ in dropped:
            self.step(f"index {name}")
            self.conn.execute(f"DROP INDEX main.{name}")
        yield
        for name, sql in dropped:
            self.step(f"index {name}")
            self.conn.execute(sql)

    def _row_count(self, table: str) -> int:
        return int(self.conn.execute(f"SELECT COUNT(*) FROM main.{table}").fetchone()[0])

    @contextmanager
    def _names_in_bulk(self) -> Iterator[None]:
        """Run the block's inserts without the name index's insert triggers, then index their names.

        :meth:`_write_names` writes the name rows the triggers would have, one statement a table.
        """
        if self.names is not None:
            yield
            return
        start = self._largest_id("names")
        triggers = self.conn.execute(
            "SELECT name, sql FROM main.sqlite_master WHERE type = 'trigger'"
            f" AND name IN ({', '.join('?' * len(NAME_INSERT_TRIGGERS))}) ORDER BY name",
            NAME_INSERT_TRIGGERS,
        ).fetchall()
        for name, _ in triggers:
            self.conn.execute(f"DROP TRIGGER main.{name}")
        yield
        self.step("insert names_fts")
        self.conn.execute(
            "INSERT INTO names_fts(rowid, norm) SELECT id, norm FROM names WHERE id > ?", (start,)
        )
        for _, sql in triggers:
            self.conn.execute(sql)

    def _write_names(self, table: str, first: int, last: int) -> None:
        """Write the name rows of the new rows ``first``..``last`` of ``table``, as its trigger would."""
        if self.names is not None and table != "credits":  # characters are written per file
            self.step(f"insert names of {table}")
            self.names.insert_named(table, first, last)
        elif self.names is None and last >= first:
            self.step(f"insert names of {table}")
            self.conn.execute(
                f"INSERT INTO names(kind, ref_id, text, norm) SELECT * FROM {NAME_VIEWS[table]}"
                " WHERE ref_id BETWEEN ? AND ?",
                (first, last),
            )

    def _files_of(self, name: str) -> list[StagedFile]:
        kind = KIND_BY_NAME[name]
        return [file for file in self.files if file.holds_facts and file_columns(file).kind is kind]

    def _remove(self, name: str) -> None:
        table = KIND_BY_NAME[name].table
        where = "id IN (SELECT id FROM stage.removed WHERE kind = ?)"
        self.step(f"remove {table}")
        journal_before(self.conn, self.import_id, table, where, (name,))
        if self.names is not None:
            self.names.remove(table, "SELECT id FROM stage.removed WHERE kind = ?", (name,))
        self.conn.execute(f"DELETE FROM main.{table} WHERE {where}", (name,))

    def _update(self, file: StagedFile) -> None:
        columns = file_columns(file)
        table, staged = columns.kind.table, staged_table(columns.kind)
        where = f"id IN (SELECT store_id FROM stage.{staged} WHERE changed = 1 AND file_no = ?)"
        self.step(f"update {table}")
        journal_before(self.conn, self.import_id, table, where, (file.number,))
        assignments = ", ".join(f"{column} = s.{column}" for column in columns.stored)
        self.conn.execute(
            f"UPDATE main.{table} SET {assignments} FROM stage.{staged} AS s"
            f" WHERE {table}.id = s.store_id AND s.changed = 1 AND s.file_no = ?",
            (file.number,),
        )
        if self.names is not None:
            self.names.update(columns, file.number)

    def _insert_named(self, name: str, created_columns: str, created_values: str) -> int:
        """Insert the new shows (or people) numbered by the diff; return the id before the first."""
        kind = KIND_BY_NAME[name]
        base = self._largest_id(kind.table)
        new = f"stage.new_{name}"
        for file in self._files_of(name):
            stored = file_columns(file).stored
            self.step(f"insert {kind.table}")
            self.conn.execute(
                f"INSERT INTO main.{kind.table}(id, {', '.join(stored)})"
                f" SELECT {base} + n.seq, {', '.join(f's.{column}' for column in stored)}"
                f" FROM {new} n JOIN stage.{staged_table(kind)} s ON s.rowid = n.st_rowid"
                " WHERE s.file_no = ? ORDER BY n.seq",
                (file.number,),
            )
        self.step(f"insert {kind.table}")
        self.conn.execute(
            f"INSERT INTO main.{kind.table}(id, {created_columns}) SELECT {base} + seq, {created_values}"
            f" FROM {new} WHERE st_rowid IS NULL ORDER BY seq"
        )
        count = self.conn.execute(f"SELECT COUNT(*) FROM {new}").fetchone()[0]
        journal_inserted(self.conn, self.import_id, kind.table, base + 1, base + count)
        self._write_names(kind.table, base + 1, base + count)
        return base

    def _insert_dependent(self, name: str, shows: int, people: int) -> None:
        kind = KIND_BY_NAME[name]
        first = base = self._largest_id(kind.table)
        references = {"show_id": _reference("show_id", shows, "stage.new_shows n WHERE n.key = s.show_key")}
        if name == "credits":
            # By the credit's row (see numbering.number_new_people), not by the person's key.
            new_person = "stage.credited_people c WHERE c.st_rowid = s.rowid"
            references["person_id"] = _reference("person_id", people, new_person)
        for file in self._files_of(name):
            stored = file_columns(file).stored
            self.step(f"insert {kind.table}")
            # No id given: SQLite numbers each row one past the largest id, so the rows of this
            # write get consecutive ids after ``base`` in their order (no window over them needed).
            # An identity does not: on PostgreSQL the insert numbers them.
            ids = {} if self.names is None else {"id": f"{int(base)} + ROW_NUMBER() OVER (ORDER BY s.rowid)"}
            written = {**ids, **{column: f"s.{column}" for column in stored}, **references}
            cursor = self.conn.execute(
                f"INSERT INTO main.{kind.table}({', '.join(written)}) SELECT {', '.join(written.values())}"
                f" FROM stage.{staged_table(kind)} s WHERE s.store_id IS NULL AND s.file_no = ?"
                " ORDER BY s.rowid",
                (file.number,),
            )
            base += cursor.rowcount
            if self.names is not None and name == "credits":
                self.step("insert names of credits")
                self.names.insert_characters(file.number, base - cursor.rowcount)
        journal_inserted(self.conn, self.import_id, kind.table, first + 1, base)
        if kind.table in NAME_VIEWS:
            self._write_names(kind.table, first + 1, base)

    def _continue_identities(self) -> None:
        """Let each table's identity go on after the ids this import gave (PostgreSQL)."""
        for table in (*(KIND_BY_NAME[name].table for name in APPLY_ORDER), "names"):
            self.conn.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), COALESCE(MAX(id), 0) + 1, false)"
                f" FROM {table}"
            )

    def _largest_id(self, table: str) -> int:
        return int(self.conn.execute(f"SELECT COALESCE(MAX(id), 0) FROM main.{table}").fetchone()[0])


def _added_rows(plan: ImportPlan) -> dict[str, int]:
    """Return how many rows ``plan`` adds to each table, the name index's (at least) included."""
    counts = plan.counts()
    added = {KIND_BY_NAME[name].table: kind["added"] for name, kind in counts.items()}
    added["names"] = added.get("shows", 0) + added.get("people", 0)
    return added


def _reference(column: str, base: int, numbered: str) -> str:
    """SQL for the id a staged row refers to: the store's, or that of a row this import adds.

    ``numbered``: the table (and condition) whose ``seq`` numbers the added row.
    """
    return f"COALESCE(s.{column}, {base} + (SELECT seq FROM {numbered}))"
