"""The MetaQA 1-hop dev questions both MetaQA benchmarks ask (see ../shared/data/README.md)."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "metaqa"
# question type -> (role of the credit, whether the bracketed entity is the movie)
TYPES = {
    "movie_to_director": ("director", True),
    "movie_to_writer": ("writer", True),
    "movie_to_actor": ("cast", True),
    "actor_to_movie": ("cast", False),
    "director_to_movie": ("director", False),
    "writer_to_movie": ("writer", False),
}
_BRACKETED = re.compile(r"\[([^\]]+)\]")


@dataclass(frozen=True)
class Question:
    qtype: str
    text: str  # brackets removed
    entity: str
    answers: tuple[str, ...]


def read_questions(folder: Path, limit: int | None) -> list[Question]:
    """Return the dev questions of the six credit types (at most ``limit`` per type)."""
    lines = (folder / "1-hop_dev.txt").read_text(encoding="utf-8").splitlines()
    qtypes = (folder / "1-hop_qa_dev_qtype.txt").read_text(encoding="utf-8").splitlines()
    per_type: dict[str, int] = defaultdict(int)
    questions = []
    for line, qtype in zip(lines, qtypes, strict=True):
        qtype = qtype.strip()
        if qtype not in TYPES or (limit is not None and per_type[qtype] >= limit):
            continue
        raw, answers = line.split("\t")
        match = _BRACKETED.search(raw)
        if match is None:
            continue
        per_type[qtype] += 1
        text = _BRACKETED.sub(lambda m: m.group(1), raw)
        questions.append(Question(qtype, text, match.group(1), tuple(answers.split("|"))))
    return questions


def credits_of(questions: Iterable[Question]) -> set[tuple[str, str, str]]:
    """Return the (movie, person, role) credits the questions' gold answers imply."""
    credits = set()
    for question in questions:
        role, entity_is_movie = TYPES[question.qtype]
        for answer in question.answers:
            movie, person = (question.entity, answer) if entity_is_movie else (answer, question.entity)
            credits.add((movie, person, role))
    return credits


def percentile(values: list[float], fraction: float) -> float:
    """The value at ``fraction`` (0-1) of the sorted values; 0 when there are none."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] if ordered else 0.0
