"""Loading admin CSV files with plain SQL, without the importer (used by the linking tests)."""

from __future__ import annotations

import csv
from pathlib import Path

from facts.normalize import normalize_name
from facts.store import FactStore


def load_csv_dir(store: FactStore, folder: Path) -> None:
    """Insert the admin CSV files of ``folder`` with plain SQL (stand-in until the importer lands)."""
    with store.write() as db:
        for row in _read(folder / "shows.csv"):
            db["shows"].insert({**row, "title_key": normalize_name(row["title"])})
        for row in _read(folder / "people.csv"):
            db["people"].insert({**row, "name_key": normalize_name(row["name"])})
        for row in _read(folder / "credits.csv"):
            show_id = _ensure_show(db, row.pop("show"))
            person_id = _ensure_person(db, row.pop("name"), "person")
            if row.get("company"):
                _ensure_person(db, row["company"], "organisation")
            db["credits"].insert(
                {**row, "show_id": show_id, "person_id": person_id, "role": row["role"].lower()}
            )
        for row in _read(folder / "viewership.csv"):
            show_id = _ensure_show(db, row.pop("show"))
            record = {
                "show_id": show_id,
                "value": _number(row["viewers"]),
                "metric": row.get("metric") or "viewers",
                "season": row.get("season", ""),
                "time_window": row.get("window", ""),
                "start_date": row.get("start_date", ""),
                "platform": row.get("platform", ""),
                "category": row.get("category", ""),
                "source": row["source"],
                "as_of": row["as_of"],
                "rank": int(row["rank"]) if row.get("rank") else None,
                "weeks_in_top10": int(row["weeks_in_top_10"]) if row.get("weeks_in_top_10") else None,
                "hours_viewed": _number(row["hours_viewed"]) if row.get("hours_viewed") else None,
            }
            db["viewership"].insert(record)
        for row in _read(folder / "attributes.csv"):
            show_id = _ensure_show(db, row.pop("show"))
            db["show_attributes"].insert({**row, "show_id": show_id})


def _read(path: Path) -> list[dict[str, str]]:
    if not path.exists():
        return []
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _number(text: str) -> int:
    text = text.strip().upper().replace(",", "")
    scale = {"K": 1_000, "M": 1_000_000, "B": 1_000_000_000}.get(text[-1:], 1)
    return int(float(text.rstrip("KMB")) * scale)


def _ensure_show(db, title: str) -> int:  # type: ignore[no-untyped-def]
    rows = list(db.query("SELECT id FROM shows WHERE title_key = ?", (normalize_name(title),)))
    if rows:
        return int(rows[0]["id"])
    return int(db["shows"].insert({"title": title, "title_key": normalize_name(title)}).last_pk)


def _ensure_person(db, name: str, kind: str) -> int:  # type: ignore[no-untyped-def]
    rows = list(db.query("SELECT id FROM people WHERE name_key = ?", (normalize_name(name),)))
    if rows:
        return int(rows[0]["id"])
    return int(db["people"].insert({"name": name, "name_key": normalize_name(name), "kind": kind}).last_pk)
