"""Test support for the answering tests: a small extra catalogue and a temporary exact-match linker.

The stand-in linker follows the interface of ``facts.linking.Linker`` (helper B1) and is used only
until the real one lands.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from facts.normalize import normalize_name
from facts.store import FactStore

MAX_SPAN = 8
# Question words never start a name on their own (a film called "What?" must not eat "what").
GRAMMAR = frozenset("what who which does did is was in the a an of by movies films act star".split())
ARTICLES = ("the ", "a ", "an ")


@dataclass(frozen=True)
class Candidate:
    kind: str
    ref_id: int
    name: str
    score: float
    via_alias: bool = False


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    text: str
    candidates: tuple[Candidate, ...]


@dataclass(frozen=True)
class Linking:
    question: str
    tokens: tuple[str, ...]
    mentions: tuple[Mention, ...]
    unknown: tuple[str, ...]

    def rest(self) -> tuple[str, ...]:
        inside = {i for m in self.mentions for i in range(m.start, m.end)}
        return tuple(t for i, t in enumerate(self.tokens) if i not in inside)


class StandinLinker:
    """Exact matches of normalised spans (leading articles optional); capitalised leftovers are unknown."""

    def __init__(self, store: FactStore) -> None:
        self.store = store

    def _lookup(self, norm: str, kinds: frozenset[str] | None) -> list[Candidate]:
        with self.store.lock:
            rows = self.store.conn.execute(
                "SELECT kind, ref_id, text FROM names WHERE norm IN (?, ?, ?, ?)",
                (norm, "the " + norm, "a " + norm, "an " + norm),
            ).fetchall()
        found: dict[tuple[str, int], Candidate] = {}
        for kind, ref_id, text in rows:
            base = kind.removesuffix("_alias")
            if kinds is None or base in kinds:
                found.setdefault(
                    (base, ref_id), Candidate(base, ref_id, text, 100.0, kind.endswith("_alias"))
                )
        return list(found.values())

    def link(self, question: str, *, kinds: frozenset[str] | None = None) -> Linking:
        tokens = tuple(normalize_name(question).split())
        mentions = []
        i = 0
        while i < len(tokens):
            for end in range(min(len(tokens), i + MAX_SPAN), i, -1):
                if end - i == 1 and tokens[i] in GRAMMAR:
                    continue
                candidates = self._lookup(" ".join(tokens[i:end]), kinds)
                if candidates:
                    mentions.append(Mention(i, end, " ".join(tokens[i:end]), tuple(candidates)))
                    i = end
                    break
            else:
                i += 1
        unknown = _capitalised_spans(question, {t for m in mentions for t in m.text.split()})
        return Linking(question, tokens, tuple(mentions), unknown)

    def suggest(self, text: str, *, kinds: frozenset[str] | None = None, limit: int = 3) -> list[Candidate]:
        words = normalize_name(text).split()
        found: list[Candidate] = []
        for word in words:
            if word in ("the", "a", "an"):
                continue
            with self.store.lock:
                rows = self.store.conn.execute(
                    "SELECT kind, ref_id, text FROM names WHERE ' ' || norm || ' ' LIKE ?", (f"% {word} %",)
                ).fetchall()
            found += [Candidate(k.removesuffix("_alias"), r, t, 50.0) for k, r, t in rows]
        return found[:limit]


def _capitalised_spans(question: str, matched: set[str]) -> tuple[str, ...]:
    spans: list[list[str]] = []
    current: list[str] = []
    for index, word in enumerate(question.replace("?", " ").replace(",", " ").split()):
        bare = word.strip(".!'\"")
        looks_like_name = bare[:1].isupper() and index > 0 and normalize_name(bare) not in matched
        if looks_like_name or (current and bare.casefold() in ("the", "of", "in")):
            current.append(bare)
        elif current:
            spans.append(current)
            current = []
    if current:
        spans.append(current)
    return tuple(" ".join(span) for span in spans if normalize_name(" ".join(span)) not in ("the", ""))


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
