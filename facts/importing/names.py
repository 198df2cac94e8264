"""The name index kept by an import itself, where no trigger keeps it (PostgreSQL).

SQLite's triggers write the name rows of every show, person and character that is inserted,
changed or deleted, calling ``sf_norm``. A PostgreSQL server cannot call Python, so an import
there writes them as the store's rows are written, with the normalised names the staging
database computed (the keys, and ``stage.st_aliases``). Every name row written, changed or
deleted is journaled like the facts, so undo puts the index back with them.
"""

from __future__ import annotations

from facts.dialect import Connection
from facts.importing.journal import journal_before, journal_inserted
from facts.importing.rows import FileColumns

# The name rows of each named table: (kinds of its own name, kinds of its aliases).
_NAMES = {
    "shows": ("kind = 'show'", "kind = 'show_alias'"),
    "people": ("kind IN ('person', 'organisation')", "kind IN ('person_alias', 'organisation_alias')"),
    "credits": ("kind = 'character'", ""),
}
# Where a named table's own name comes from: its text column, and the staged column of its norm.
_TEXT = {"shows": ("title", "title_key"), "people": ("name", "name_key")}


class NameWriter:
    """The name rows of one import's writes, journaled under ``import_id``."""

    def __init__(self, conn: Connection, import_id: int) -> None:
        self.conn = conn
        self.import_id = import_id

    def remove(self, table: str, ids: str, params: tuple[object, ...]) -> None:
        """Delete the name rows of the rows of ``table`` whose ids ``ids`` (a subquery) selects."""
        if table in _NAMES:
            self._delete(f"({' OR '.join(filter(None, _NAMES[table]))}) AND ref_id IN ({ids})", params)

    def update(self, columns: FileColumns, file_no: int) -> None:
        """Write anew the name rows of the rows one file changed (its named columns)."""
        table = columns.kind.table
        if table not in _NAMES:
            return
        changed = f"SELECT store_id FROM stage.st_{columns.kind.name} WHERE changed = 1 AND file_no = ?"
        own, aliases = _NAMES[table]
        if table == "credits":
            if "character" in columns.stored:
                self._delete(f"{own} AND ref_id IN ({changed})", (file_no,))
                self._insert_characters("stage.st_credits s", "s.store_id", "s.changed = 1", file_no)
            return
        renamed = f"{own} OR {aliases}" if "aliases" in columns.stored else own
        self._delete(f"({renamed}) AND ref_id IN ({changed})", (file_no,))
        if table == "people" and "aliases" not in columns.stored and "kind" in columns.stored:
            self._relabel_aliases(changed, file_no)
        staged = f"stage.st_{columns.kind.name} s ON m.id = s.store_id"
        self._insert_own(table, staged, "s.changed = 1", file_no)
        if "aliases" in columns.stored:
            self._insert_aliases(table, f"s.changed = 1 AND s.file_no = {int(file_no)}", "s.rowid")

    def insert_named(self, table: str, first: int, last: int) -> None:
        """Write the name rows of the new rows ``first``..``last`` of ``table`` (shows or people)."""
        if last < first:
            return
        new = f"stage.new_{table} n ON n.seq = m.id - {int(first) - 1}"
        base = self._largest()
        self.conn.execute(
            "INSERT INTO names(id, kind, ref_id, text, norm)"
            f" SELECT {base} + ROW_NUMBER() OVER (ORDER BY m.id),"
            f" {self._kind(table)}, m.id, m.{_TEXT[table][0]}, n.key FROM main.{table} m JOIN {new}"
            " WHERE m.id BETWEEN ? AND ?",
            (first, last),
        )
        self._journal_from(base)
        self._insert_aliases(table, f"m.id BETWEEN {int(first)} AND {int(last)}", "n.st_rowid", new)

    def insert_characters(self, file_no: int, base: int) -> None:
        """Write the characters of one credits file's new credits, numbered ``base`` + 1, 2, ... in order."""
        numbered = (
            f"(SELECT *, {int(base)} + ROW_NUMBER() OVER (ORDER BY rowid) AS new_id FROM stage.st_credits"
            " WHERE store_id IS NULL AND file_no = ?) AS s"
        )
        self._insert_characters(numbered, "s.new_id", "TRUE", file_no, (file_no,))

    def _insert_own(self, table: str, joined: str, condition: str, file_no: int) -> None:
        text, key = _TEXT[table]
        base = self._largest()
        self.conn.execute(
            "INSERT INTO names(id, kind, ref_id, text, norm)"
            f" SELECT {base} + ROW_NUMBER() OVER (ORDER BY m.id),"
            f" {self._kind(table)}, m.id, m.{text}, s.{key} FROM main.{table} m JOIN {joined}"
            f" WHERE {condition} AND s.file_no = ?",
            (file_no,),
        )
        self._journal_from(base)

    def _insert_aliases(self, table: str, condition: str, staged_row: str, joined: str = "") -> None:
        source = joined or f"stage.st_{table} s ON m.id = s.store_id"
        base = self._largest()
        self.conn.execute(
            "INSERT INTO names(id, kind, ref_id, text, norm)"
            f" SELECT {base} + ROW_NUMBER() OVER (ORDER BY m.id, a.pos), {self._kind(table)} || '_alias',"
            f" m.id, a.text, a.norm FROM main.{table} m JOIN {source}"
            f" JOIN stage.st_aliases a ON a.kind = '{table}' AND a.st_rowid = {staged_row} WHERE {condition}"
        )
        self._journal_from(base)

    def _insert_characters(
        self, credits: str, credit_id: str, condition: str, file_no: int, params: tuple[int, ...] = ()
    ) -> None:
        base = self._largest()
        self.conn.execute(
            "INSERT INTO names(id, kind, ref_id, text, norm)"
            f" SELECT {base} + ROW_NUMBER() OVER (ORDER BY {credit_id}), 'character', {credit_id},"
            f" s.character, COALESCE(s.character_key, '') FROM {credits}"
            f" WHERE {condition} AND s.file_no = ? AND s.character != ''",
            (*params, file_no),
        )
        self._journal_from(base)

    def _relabel_aliases(self, changed: str, file_no: int) -> None:
        """A person who became an organisation keeps their aliases, now an organisation's."""
        aliases = f"kind IN ('person_alias', 'organisation_alias') AND ref_id IN ({changed})"
        journal_before(self.conn, self.import_id, "names", aliases, (file_no,))
        self.conn.execute(
            "UPDATE names SET kind = p.kind || '_alias' FROM main.people p WHERE p.id = names.ref_id"
            f" AND names.kind IN ('person_alias', 'organisation_alias') AND names.ref_id IN ({changed})",
            (file_no,),
        )

    def _delete(self, where: str, params: tuple[object, ...]) -> None:
        journal_before(self.conn, self.import_id, "names", where, params)
        self.conn.execute(f"DELETE FROM names WHERE {where}", params)

    def _journal_from(self, base: int) -> None:
        journal_inserted(self.conn, self.import_id, "names", base + 1, self._largest())

    def _largest(self) -> int:
        return int(self.conn.execute("SELECT COALESCE(MAX(id), 0) FROM names").fetchone()[0])

    @staticmethod
    def _kind(table: str) -> str:
        return {"shows": "'show'", "people": "m.kind"}[table]
