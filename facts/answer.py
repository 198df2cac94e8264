"""The one answer model. Every question, command and admin action produces an :class:`Answer`;
``bot/`` renders it to Block Kit, to Slack's plain-text fallback and to the terminal.

All strings here are plain text, never markup: renderers escape them for their medium.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

AnswerKind = Literal[
    "answer",  # the fact that was asked for
    "card",  # a show's or a person's card (bare name, "what is X", "who is Y")
    "not_found",  # nothing by that name: "I don't have facts about The Crown"
    "no_fact",  # known show or person, unknown fact: says what is known instead
    "clarify",  # which show? / did you mean A or B? (choices hold the options)
    "help",  # usage
    "report",  # admin output: import preview, history, undo
    "error",  # a FactsError shown to the user
    "several",  # several questions in one message: parts holds each answer, headline all theirs
]


@dataclass(frozen=True)
class Source:
    """Where a fact comes from, and the date it was true on (ISO date or free text)."""

    name: str
    as_of: str = ""


@dataclass(frozen=True)
class Field:
    """A labelled value on a card ("Premiere" / "2 October 2020")."""

    label: str
    value: str


@dataclass(frozen=True)
class Bar:
    """One row of a comparison or ranking; renderers draw ``value`` to scale."""

    label: str
    value: float
    display: str  # the value written for people: "82M viewers"


@dataclass(frozen=True)
class Point:
    """One value of a series: when it was counted (an ISO date) and how much."""

    when: str
    value: float
    display: str  # the value written for people: "7.8M views"


@dataclass(frozen=True)
class Series:
    """Figures of one thing over time (a season's weeks in a weekly chart), oldest first;
    renderers draw it as a line chart or a sparkline."""

    label: str
    unit: str  # what the values count: "views", "hours viewed"
    points: tuple[Point, ...]


@dataclass(frozen=True)
class Choice:
    """An option offered back to the asker; choosing it asks ``question``."""

    label: str
    question: str


@dataclass(frozen=True)
class EntityMatch:
    """Something the question was linked to."""

    kind: str  # show | person | organisation | character
    id: int
    name: str
    matched_text: str  # the words of the question that named it
    score: float  # 0-100


@dataclass(frozen=True)
class Context:
    """What a conversation was last about, so follow-ups ("who created it?") resolve."""

    intent: str = ""
    show_ids: tuple[int, ...] = ()
    person_ids: tuple[int, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"intent": self.intent, "show_ids": list(self.show_ids), "person_ids": list(self.person_ids)}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Context:
        """Read back :meth:`to_dict`; damaged parts (from a tampered button) are left out."""
        return cls(
            intent=intent if isinstance(intent := data.get("intent"), str) else "",
            show_ids=_ids(data.get("show_ids")),
            person_ids=_ids(data.get("person_ids")),
        )


def _ids(value: Any) -> tuple[int, ...]:
    if not isinstance(value, list | tuple):
        return ()
    return tuple(i for i in value if isinstance(i, int) and not isinstance(i, bool))


@dataclass(frozen=True)
class Answer:
    """A complete reply.

    Args:
        kind: what sort of reply this is (see :data:`AnswerKind`).
        headline: the answer in one or two sentences.
        title: the card's title (a show or person name), if the reply is about one thing.
        fields: labelled facts shown under the headline.
        bars: comparison or ranking rows, winner first.
        series: figures over time (week by week), for a chart.
        items: a list that may be long (a cast); renderers paginate it.
        notes: secondary lines: other figures, what is not known, caveats.
        choices: options to pick from (did you mean, which show).
        sources: where every fact shown comes from.
        intent: the intent that was recognised.
        entities: what the question was linked to.
        context: the conversation context after this answer.
        parts: the answers, in order, of a message that asked several questions.
    """

    kind: AnswerKind
    headline: str
    title: str = ""
    fields: tuple[Field, ...] = ()
    bars: tuple[Bar, ...] = ()
    series: tuple[Series, ...] = ()
    items: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    choices: tuple[Choice, ...] = ()
    sources: tuple[Source, ...] = ()
    intent: str = ""
    entities: tuple[EntityMatch, ...] = ()
    context: Context = field(default_factory=Context)
    parts: tuple[Answer, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """Return the answer as JSON-ready data."""
        return asdict(self)
