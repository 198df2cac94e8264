"""Answering questions: link the names, read the intent, look up the facts, compose an Answer.

The answers of each kind are composed in :mod:`facts.audience_answers`, :mod:`facts.people_answers`
and :mod:`facts.show_answers`; this module links the question, picks the intent and dispatches.
:class:`Answerer` is the one entry point for questions from Slack, the console and the CLI. It never
raises: junk gets a polite "I couldn't understand" and unknown names get "I don't have facts about X".
Every fact in an answer carries its source and as-of date, and numbers never cross shows.
"""

from __future__ import annotations

import functools
import logging
import re
import threading
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any, Concatenate, ParamSpec, Protocol, TypeVar, cast

from facts import lookup
from facts.answer import Answer, Choice, Context, EntityMatch
from facts.audience_answers import DEFAULT_TOP, AudienceAnswers, Ranking
from facts.composing import SUGGESTIONS, Turn, with_notes
from facts.countries import PLACE_WORDS, find_country, without_span
from facts.country_answers import CountryAnswers
from facts.dialect import Reader
from facts.errors import FactsError
from facts.intents import PEOPLE, REGISTRY, SHOW, Intent, IntentEntry, Registry
from facts.normalize import normalize_name
from facts.people_answers import PeopleAnswers
from facts.questions import (
    Named,
    Signals,
    choose_intent,
    read_limit,
    read_signals,
    split_questions,
)
from facts.questionwords import CHIT_CHAT, GREETINGS, MAX_QUESTIONS
from facts.show_answers import ShowAnswers
from facts.show_facts import attributes_named
from facts.store import Store
from facts.wording import join_words

log = logging.getLogger(__name__)

# Longer questions are cut: nobody types 500 characters of question, and linking time grows with length.
MAX_QUESTION_CHARS = 500
# Context.intent remembers the role or fact asked about after this mark: "credits:writer".
CONTEXT_DETAIL = ":"
CHIT_CHAT_REPLY = "Anything else? Ask me about a show, the people who make it or how many people watched it."
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_RANK = re.compile(r"(?<!\w)#\s?(\d{1,3})\b")
_SEASON_SHORTHAND = re.compile(r"(?<!\w)[sS](\d{1,2})(?:\s?[eE]\d{1,3})?\b")  # "s2", "S02E05"

SHOW_KINDS = SHOW
# Words that make a question ask for people, so the name in it is a show's.
ASKS_FOR_PEOPLE = frozenset("who whom whose person people actors actresses cast".split())
PERSON_KINDS = PEOPLE


class LinkerLike(Protocol):
    """What the answerer needs from :class:`facts.linking.Linker`."""

    def link(self, question: str, *, kinds: frozenset[str] | None = None) -> Any: ...


_P = ParamSpec("_P")
_R = TypeVar("_R")


def _one_at_a_time(
    method: Callable[Concatenate[Answerer, _P], _R],
) -> Callable[Concatenate[Answerer, _P], _R]:
    """Answer one question at a time per answerer, whichever thread asks.

    What answering keeps between questions (the name index, the linker's names, the measures) is
    shared by every thread and filled from one snapshot at a time. A store on one connection runs
    one snapshot at a time anyway; a pooled one (:mod:`facts.pgpool`) would let two answers read
    different generations into those caches at once.
    """

    @functools.wraps(method)
    def one_at_a_time(self: Answerer, *args: _P.args, **kwargs: _P.kwargs) -> _R:
        with self.answering:
            return method(self, *args, **kwargs)

    return one_at_a_time


class Answerer(AudienceAnswers, PeopleAnswers, ShowAnswers, CountryAnswers):
    """Answers questions about the facts in one store.

    Args:
        store: the open fact store.
        linker: the name linker; by default a :class:`facts.linking.Linker` over ``store``.
        registry: the intents questions are read with; each entry's handler is a method of this class.

    Raises:
        ValueError: an entry of ``registry`` names a handler this class does not have.
    """

    def __init__(self, store: Store, linker: LinkerLike | None = None, registry: Registry = REGISTRY) -> None:
        super().__init__(store)
        if linker is None:
            from facts.linking import Linker

            linker = Linker(store)
        self.linker = linker
        self.registry = registry
        self._handlers = {entry.intent: self._handler(entry) for entry in registry.entries if entry.handler}
        self.answering = threading.RLock()

    def _handler(self, entry: IntentEntry) -> Callable[[Turn], Answer]:
        handler = getattr(self, entry.handler, None)
        if not callable(handler):
            raise ValueError(
                f"The intent {entry.intent} names {entry.handler}, which {type(self).__name__} lacks."
            )
        return cast(Callable[[Turn], Answer], handler)

    @_one_at_a_time
    def answer(self, text: str, *, context: Context | None = None, intent: str | None = None) -> Answer:
        """Answer one question (or, with ``intent``, a slash command whose ``text`` is just names).

        Never raises: any failure becomes a polite answer.
        """
        question = spell_seasons(spell_ranks(clean_question(text)))
        context = context or Context()
        try:
            # One snapshot for the whole answer: the names linked and the facts read agree, and a
            # store across a network pays for one transaction, not one per step.
            with self.store.read():
                answer = self._answer_message(question, context, intent)
        except FactsError as error:
            return Answer(kind="error", headline=str(error), notes=error.details, context=context)
        except Exception:  # the boundary: a bug must not reach the user as a traceback
            # The question may come from a private DM: its text is logged at DEBUG only.
            log.exception("answering a question failed (%d characters)", len(question))
            log.debug("the question that failed: %r", question)
            return Answer(
                kind="error",
                headline="Sorry, something went wrong while answering that. Please try rephrasing it.",
                context=context,
            )
        if answer.context == Context():
            # A reply about nothing in particular (which show? not found) keeps the conversation's subject.
            return Answer(**{**answer.__dict__, "context": context})
        return answer

    def _answer_message(self, question: str, context: Context, intent: str | None) -> Answer:
        questions = split_questions(question) if intent is None else [question]
        if len(questions) > 1 and self._names_across(question, questions):
            questions = [question]  # "who wrote Tomorrow, When the War Began?" asks one question
        if len(questions) > 1:
            return self._answer_each(questions, context)
        return self._answer(question, context, intent)

    def _names_across(self, text: str, parts: Sequence[str]) -> bool:
        """Whether ``text`` names something whose name runs across two of its ``parts``."""
        try:
            mentions = self.linker.link(text).mentions
        except Exception:  # the boundary: answering each part still works
            # As at the answer boundary: the text may come from a private DM, so DEBUG only.
            log.exception("linking a message of several questions failed (%d characters)", len(text))
            log.debug("the message whose linking failed: %r", text)
            return False
        folded = [part.casefold() for part in parts]
        return any(not any(m.text.casefold() in part for part in folded) for m in mentions)

    def _answer_each(self, questions: list[str], context: Context) -> Answer:
        # Each question is read in the context the one before it leaves ("... and who created it").
        parts: list[Answer] = []
        for question in questions[:MAX_QUESTIONS]:
            parts.append(self.answer(question, context=context))
            context = parts[-1].context
        if len(questions) > MAX_QUESTIONS:
            skipped = f"I answered the first {MAX_QUESTIONS} questions; ask the others on their own."
            parts[-1] = with_notes(parts[-1], [skipped])
        intents = "+".join(part.intent or part.kind for part in parts)
        entities = tuple(entity for part in parts for entity in part.entities)
        return Answer(
            kind="several",
            headline=" ".join(part.headline for part in parts),
            parts=tuple(parts),
            intent=intents,
            entities=entities,
            context=context,
        )

    @_one_at_a_time
    def top_shows(self, limit: int = DEFAULT_TOP) -> Answer:
        """Return the most watched shows, ranked within one measure."""
        with self.store.read() as db:
            return self._top(db, Ranking(max(1, min(limit, 25))))

    # -- dispatch -----------------------------------------------------------------------------

    def _answer(self, text: str, context: Context, forced: str | None) -> Answer:
        command = self._command(forced)
        if command is not None and command.intent == Intent.TOP:
            return self.top_shows(read_limit(text.split()) or DEFAULT_TOP)
        if not text:
            return self._unclear_or_which(text, forced)
        kinds = command.kinds if command else None
        linking = self.linker.link(text, kinds=kinds)
        if kinds and not linking.mentions:
            # "/whois Emily in Paris": not a person, but a show; say so and show what there is.
            loose = self.linker.link(text)
            if loose.mentions:
                wanted = "person" if kinds == PERSON_KINDS else "show"
                note = f"There is no {wanted} called {text}; here is what I have."
                return with_notes(self._answer(text, context, None), [note])
        with self.store.read() as db:
            country, linking, rest = self._country_asked(db, linking, forced)
            signals = read_signals(rest, self.registry)
            turn = Turn(db=db, text=text, signals=signals, unknown=tuple(linking.unknown), country=country)
            ambiguous = self._which_reading(turn, linking) or self._resolve_mentions(turn, linking.mentions)
            if ambiguous is not None:
                return ambiguous
            intent = _commanded_intent(command, turn) or choose_intent(signals, _named(turn), self.registry)
            answer = self._dispatch(turn, intent, context)
        return self._with_suggestions(answer, turn) if answer.kind == "not_found" else answer

    def _country_asked(
        self, db: Reader, linking: Any, forced: str | None
    ) -> tuple[str, Any, tuple[str, ...]]:
        """Take a country the question names as a place ("top 10 in France") out of its names.

        Returns the country ('' if none), the linking without it, and the question's other words.
        """
        # A country is only read after a place word or as a name nothing else has (countries.find_country):
        # without either, the known countries are not even looked up.
        named_place = bool(linking.unknown) or not PLACE_WORDS.isdisjoint(linking.tokens)
        known = self._known_countries(db) if named_place and not forced else {}
        spans = [(mention.start, mention.end) for mention in linking.mentions]
        found = find_country(linking.tokens, known, spans, linking.unknown) if known else None
        if found is None:
            return "", linking, tuple(linking.rest())
        country, start, end = found
        mentions = tuple(m for m in linking.mentions if (m.start, m.end) != (start, end))
        named = " ".join(linking.tokens[start:end])
        unknown = tuple(u for u in linking.unknown if normalize_name(u).removeprefix("the ") != named)
        kept = replace(linking, mentions=mentions, unknown=unknown)
        inside = {i for m in mentions for i in range(m.start, m.end)}
        outside = [token if i not in inside else "" for i, token in enumerate(linking.tokens)]
        rest = tuple(word for word in without_span(outside, start, end) if word)
        return country, kept, rest

    def _dispatch(self, turn: Turn, intent: str, context: Context) -> Answer:
        entry = self.registry.entry(intent)
        if entry is not None and entry.standalone:
            return self._handlers[entry.intent](turn)
        if intent == Intent.UNKNOWN and not _named(turn).anything and not turn.unknown:
            found = self._reverse(turn)
            if found is not None:
                return found
        if not _named(turn).anything:
            if turn.unknown:
                return self._not_found(turn)
            if _is_chit_chat(turn.signals.words):  # "thanks!", "ok": no question, so no subject either
                return Answer(kind="help", headline=CHIT_CHAT_REPLY, intent="chit_chat")
            if not (context.show_ids or context.person_ids):
                return self._which(turn, intent)
            self._load_context(turn, context)
            intent = choose_intent(turn.signals, _named(turn), self.registry)
        if intent == Intent.UNKNOWN and context.intent and turn.signals.followup:
            intent, turn.signals = self._repeated_intent(context, turn.signals)
            self._carry_over(turn, context, intent)
        elif intent == Intent.UNKNOWN:
            intent = _card_intent(turn)
        return self._compose(turn, intent)

    def _compose(self, turn: Turn, intent: str) -> Answer:
        entry = self.registry.entry(intent)
        # A show's recorded attribute or platform named in the question answers instead
        # ("what is the production status of X" is not about producers; "is X on Netflix?").
        if turn.shows and entry and entry.attribute_first and self._names_attribute(turn):
            entry = self.registry.entry(Intent.SHOW_FACT)
        if turn.shows and entry and entry.platform_first and self._names_platform(turn):
            entry = self.registry.entry(Intent.SHOW_FACT)
        # Rankings and the catalogue are answered before anything is named (see _dispatch), never here.
        if entry is None or entry.standalone or entry.intent not in self._handlers:
            return self._not_understood(turn)
        lacking = next((group for group in entry.needs if _lacks(turn, group)), None)
        if lacking is not None:  # "and Lupin?" after a question whose person is no longer known
            answer = self._which(turn, str(entry.intent), person=bool(lacking & PEOPLE))
        else:
            answer = self._handlers[entry.intent](turn)
        return _finish(answer, turn, str(entry.intent), _remembered(entry, turn.signals))

    def _rank(self, turn: Turn) -> Answer:
        """Rank shows, unless the question asks for a recorded standing ("most watched Irish drama of
        2023" may be one)."""
        standing = self._reverse(turn)
        if standing is not None:
            return standing
        if turn.signals.top:
            return self._top(turn.db, self._ranking_of(turn))
        return self._not_found(turn) if turn.unknown else self._not_understood(turn)

    def _repeated_intent(self, context: Context, signals: Signals) -> tuple[str, Signals]:
        """Split a remembered intent back into the intent and the signals it asked with."""
        intent, _, detail = context.intent.partition(CONTEXT_DETAIL)
        entry = self.registry.entry(intent)
        if detail and entry is not None and entry.remembers:
            return intent, signals.recall(entry.remembers, detail)
        return intent, signals

    def _carry_over(self, turn: Turn, context: Context, intent: str) -> None:
        """Take what a repeated intent needs but the follow-up did not name from the context: "who does
        Ashley Park play?" then "and in Lupin?" asks for Ashley Park's character in Lupin."""
        entry = self.registry.entry(intent)
        lacking = [group for group in entry.needs if _lacks(turn, group)] if entry else []
        if lacking:
            self._load_context(turn, context, frozenset().union(*lacking))

    def _names_platform(self, turn: Turn) -> bool:
        """Take a network or platform the question names ("is X on Netflix?") out of the unknown names."""
        if not turn.unknown:
            return False
        known = {normalize_name(p): p for p in self._platforms(turn.db)}
        for show in turn.shows:
            known |= {normalize_name(n): n for n in (show.network, show.original_network) if n}
        asks_where = turn.signals.membership and "on" in turn.signals.words and not turn.people
        for name in turn.unknown:
            typed = normalize_name(name)
            # "paramount" names Paramount Network ("network" is a grammar word the linker left out).
            match = next((known[k] for k in known if k == typed or k.startswith(typed + " ")), "")
            if match or asks_where:
                turn.platform = match or name
                turn.unknown = tuple(u for u in turn.unknown if u != name)
                turn.signals = replace(turn.signals, fact="network")
                return True
        return False

    def _names_attribute(self, turn: Turn) -> bool:
        return any(
            attributes_named(lookup.attributes_of_show(turn.db, show.id), turn.signals.words)
            for show in turn.shows
        )

    # -- linking --------------------------------------------------------------------------------

    def _resolve_mentions(self, turn: Turn, mentions: Sequence[Any]) -> Answer | None:
        for mention in mentions:
            distinct = _distinct_candidates(list(mention.candidates))
            if len(distinct) > 1:
                distinct = _narrow(distinct, mention.text, turn.signals)
            if len(distinct) > 1:
                return self._did_you_mean(turn, mention.text, distinct)
            if distinct:
                self._add_entity(turn, distinct[0], mention.text)
        return None

    def _add_entity(self, turn: Turn, candidate: Any, matched_text: str) -> None:
        kind, ref_id = candidate.kind, int(candidate.ref_id)
        if kind == "show":
            show = lookup.get_show(turn.db, ref_id)
            if show is None or any(s.id == ref_id for s in turn.shows):
                return
            turn.shows.append(show)
        elif kind in PERSON_KINDS:
            person = lookup.get_person(turn.db, ref_id)
            if person is None or any(p.id == ref_id for p in turn.people):
                return
            turn.people.append(person)
        elif kind == "character":
            credit = lookup.get_credit(turn.db, ref_id)
            if credit is None:
                return
            turn.characters.append(credit)
        else:
            return
        turn.entities.append(
            EntityMatch(
                kind=kind, id=ref_id, name=candidate.name, matched_text=matched_text, score=candidate.score
            )
        )

    def _load_context(self, turn: Turn, context: Context, kinds: frozenset[str] = SHOW | PEOPLE) -> None:
        """Add the context's shows and people (those of ``kinds``) to what the turn is about."""
        for show_id in context.show_ids if kinds & SHOW else ():
            show = lookup.get_show(turn.db, show_id)
            if show is not None:
                turn.shows.append(show)
        for person_id in context.person_ids if kinds & PEOPLE else ():
            person = lookup.get_person(turn.db, person_id)
            if person is not None:
                turn.people.append(person)

    # -- failures and clarifications ----------------------------------------------------------

    def _which_reading(self, turn: Turn, linking: Any) -> Answer | None:
        """Ask which of two close readings of the question was meant ("About Adam and Sandra, or
        Adam Sandler?"), each choice the question with its names spelled out; None if only one."""
        readings = [linking.mentions, getattr(linking, "alternative", ())]
        if not all(readings):
            return None
        labels: list[str] = []
        questions: list[str] = []
        offered: dict[tuple[str, int], EntityMatch] = {}
        for mentions in readings:
            names = [_display_name(turn.db, m.candidates[0]) for m in mentions]
            question = turn.text
            for mention, name in zip(mentions, names, strict=True):
                question = _replace_name(question, mention.text, name)
                top = mention.candidates[0]
                key = (top.kind, int(top.ref_id))
                offered.setdefault(key, EntityMatch(*key, name, mention.text, float(top.score)))
            labels.append(join_words(list(dict.fromkeys(names)), "and"))
            questions.append(question)
        if len(set(labels)) < len(labels):
            return None  # things of the same name: the mentions' own choices tell them apart
        several = any(len(mentions) > 1 for mentions in readings)
        choices = tuple(Choice(label=label, question=q) for label, q in zip(labels, questions, strict=True))
        return Answer(
            kind="clarify",
            headline=f"Did you mean {labels[0]}{',' if several else ''} or {labels[1]}?",
            choices=choices,
            intent="clarify",
            entities=tuple(offered.values()),
        )

    def _did_you_mean(self, turn: Turn, matched: str, candidates: Sequence[Any]) -> Answer:
        names = [_display_name(turn.db, candidate) for candidate in candidates]
        questions = [_replace_name(turn.text, matched, name) for name in names]
        if len(set(names)) < len(names):
            # A show and a person of the same name: only the grammar of the question can tell them apart.
            questions = [_card_question(name, c.kind) for name, c in zip(names, candidates, strict=True)]
            names = [f"{name} ({c.kind})" for name, c in zip(names, candidates, strict=True)]
        # The candidates are what the question was linked to, best first: report them as its entities.
        offered = tuple(
            EntityMatch(kind=c.kind, id=int(c.ref_id), name=n, matched_text=matched, score=float(c.score))
            for n, c in zip(names, candidates, strict=True)
        )
        return Answer(
            kind="clarify",
            headline=f"Did you mean {join_words(names, 'or')}?",
            choices=tuple(Choice(label=n, question=q) for n, q in zip(names, questions, strict=True)),
            intent="clarify",
            entities=(*turn.entities, *offered),
        )

    def _not_found(self, turn: Turn) -> Answer:
        name = turn.unknown[0]
        words = set(turn.signals.words).union(*(normalize_name(unknown).split() for unknown in turn.unknown))
        if words <= GREETINGS:
            return self._not_understood(turn)
        if words <= GREETINGS | CHIT_CHAT:
            return Answer(kind="help", headline=CHIT_CHAT_REPLY, intent="chit_chat")
        return Answer(kind="not_found", headline=f"I don't have facts about {name}.", intent="not_found")

    def _with_suggestions(self, answer: Answer, turn: Turn) -> Answer:
        name = turn.unknown[0]
        suggestions = self._suggest(name)
        if not suggestions:
            return answer
        notes = (f"Similar names I know: {join_words(suggestions, 'or')}.",)
        choices = tuple(Choice(label=s, question=_replace_name(turn.text, name, s)) for s in suggestions)
        return Answer(**{**answer.__dict__, "notes": notes, "choices": choices})

    def _suggest(self, name: str) -> list[str]:
        suggest = getattr(self.linker, "suggest", None)
        if suggest is None:
            return []
        names: list[str] = []
        for candidate in suggest(name, limit=SUGGESTIONS):
            if candidate.name not in names:
                names.append(candidate.name)
        return names

    def _unclear_or_which(self, text: str, forced: str | None) -> Answer:
        command = self._command(forced)
        if command is not None:
            what = "person" if command.asks_for_person else "show"
            return Answer(
                kind="clarify",
                headline=f"Which {what}? Give a name after the command.",
                intent=command.command,
            )
        with self.store.read() as db:
            return self._not_understood(Turn(db=db, text=text, signals=read_signals((), self.registry)))

    def _command(self, forced: str | None) -> IntentEntry | None:
        """The entry a slash command asks for ("whois": a person's card), None for a question."""
        return next((e for e in self.registry.entries if forced and e.command == forced), None)


# -- helpers ------------------------------------------------------------------------------------------


def clean_question(text: str) -> str:
    """Return the question without control characters, unpaired surrogates or excess length."""
    text = text.encode("utf-8", errors="replace").decode("utf-8", errors="replace")
    text = unicodedata.normalize("NFC", text[: MAX_QUESTION_CHARS * 4])
    text = _CONTROL.sub(" ", text)
    return " ".join(text.split())[:MAX_QUESTION_CHARS]


def spell_ranks(text: str) -> str:
    """Return the question with chart places spelt out ("what's #1?" -> "what's number 1?").

    Names lose their punctuation when compared, so "#1" would be read as a bare "1".
    """
    return _RANK.sub(r"number \1", text)


def spell_seasons(text: str) -> str:
    """Return the question with seasons written out ("wednesday s2" -> "wednesday season 2"):
    run together with its number, a season would be read as part of the name."""
    return _SEASON_SHORTHAND.sub(lambda match: f"season {int(match.group(1))}", text)


def _is_chit_chat(words: Sequence[str]) -> bool:
    """Whether a message is only small talk ("thanks!", "ok cool"); a greeting alone asks for help."""
    said = set(words)
    return bool(said & CHIT_CHAT) and said <= GREETINGS | CHIT_CHAT


def _commanded_intent(command: IntentEntry | None, turn: Turn) -> str:
    if command is None:
        return ""
    if command.intent == Intent.AUDIENCE and len(turn.shows) > 1:
        return Intent.COMPARE.value  # "/viewers Lupin, Bridgerton" compares them
    return str(command.intent)


def _named(turn: Turn) -> Named:
    people = sum(1 for p in turn.people if p.kind != "organisation")
    return Named(
        shows=len(turn.shows),
        people=people,
        organisations=len(turn.people) - people,
        characters=len(turn.characters),
        countries=1 if turn.country else 0,
    )


def _lacks(turn: Turn, kinds: frozenset[str]) -> bool:
    """Whether the turn is about nothing of ``kinds`` (a person's kinds count people and organisations)."""
    if kinds & SHOW and turn.shows:
        return False
    if kinds & PEOPLE and turn.people:
        return False
    return not ("character" in kinds and turn.characters)


def _card_intent(turn: Turn) -> str:
    if len(turn.shows) > 1 and not turn.people:
        # "lupin, bridgerton and witcher": how they compare is the likely question.
        return Intent.COMPARE.value
    if turn.entities and turn.entities[0].kind in PERSON_KINDS:
        return Intent.PERSON_CARD.value
    if turn.shows:
        return Intent.SHOW_CARD.value
    if turn.people:
        return Intent.PERSON_CARD.value
    return Intent.WHO_PLAYS.value if turn.characters else Intent.UNKNOWN.value


def _distinct_candidates(candidates: Sequence[Any]) -> list[Any]:
    seen: dict[tuple[str, int], Any] = {}
    for candidate in candidates:
        seen.setdefault((candidate.kind, int(candidate.ref_id)), candidate)
    # Equally good candidates are offered alphabetically, whatever order the linker found them in.
    return sorted(seen.values(), key=lambda c: (-round(float(c.score), 1), str(c.name)))


def _card_question(name: str, kind: str) -> str:
    return f"Who is {name}?" if kind in PERSON_KINDS else f"What is {name}?"


def _narrow(candidates: list[Any], text: str, signals: Signals) -> list[Any]:
    """Settle an ambiguous mention when the question does: the name typed exactly, or the only
    candidate of the kind the question needs ("what does Jesse James appear in" wants a person)."""
    typed = normalize_name(text)
    exact = [c for c in candidates if normalize_name(str(c.name)) == typed]
    if len(exact) == 1:
        return exact
    pool = exact or candidates
    kinds = _wanted_kinds(signals)
    fitting = [c for c in pool if c.kind in kinds]
    return fitting if fitting else pool


def _wanted_kinds(signals: Signals) -> frozenset[str]:
    """The kinds of thing a question's grammar asks about (empty: it does not say)."""
    words = set(signals.words)
    if signals.audience or signals.compare or signals.top or signals.fact:
        return SHOW_KINDS
    if signals.company:
        return PERSON_KINDS
    if signals.plays:
        return frozenset({"character", "person"})
    if signals.role or signals.filmography:
        # "who directed X" names a show; "what did X direct" names a person.
        return SHOW_KINDS if words & ASKS_FOR_PEOPLE else PERSON_KINDS
    if signals.card:
        return PERSON_KINDS if "who" in words else SHOW_KINDS
    return frozenset()


def _replace_name(text: str, old: str, new: str) -> str:
    pattern = re.compile(re.escape(old), re.IGNORECASE)
    replaced, count = pattern.subn(lambda _match: new, text, count=1)
    return replaced if count else new


def _finish(answer: Answer, turn: Turn, intent: str, remembered: str) -> Answer:
    shows = tuple(dict.fromkeys(s.id for s in turn.shows))
    people = tuple(dict.fromkeys(p.id for p in turn.people))
    context = Context(intent=remembered, show_ids=shows, person_ids=people)
    return replace(
        answer,
        notes=answer.notes + _unknown_notes(answer, turn),
        intent=answer.intent or intent,
        entities=tuple(turn.entities),
        context=answer.context if answer.context.intent else context,
    )


def _remembered(entry: IntentEntry, signals: Signals) -> str:
    """The intent a follow-up ("and Bridgerton?") repeats, with the role or fact it asked about."""
    detail = str(getattr(signals, entry.remembers)) if entry.remembers else ""
    return f"{entry.intent}{CONTEXT_DETAIL}{detail}" if detail else str(entry.intent)


def _unknown_notes(answer: Answer, turn: Turn) -> tuple[str, ...]:
    """Name what the question mentioned that has no facts, unless the answer already says so."""
    notes = []
    for name in turn.unknown:
        note = f"I don't have facts about {name}."
        if note not in answer.notes and name not in answer.headline:
            notes.append(note)
    return tuple(notes)


def _display_name(db: Reader, candidate: Any) -> str:
    """Name a candidate unambiguously: its title or name, not the alias that matched."""
    ref_id = int(candidate.ref_id)
    if candidate.kind == "show":
        show = lookup.get_show(db, ref_id)
        return show.title if show else str(candidate.name)
    if candidate.kind in PERSON_KINDS:
        person = lookup.get_person(db, ref_id)
        return person.name if person else str(candidate.name)
    credit = lookup.get_credit(db, ref_id) if candidate.kind == "character" else None
    return f"{credit.character} ({credit.show_title})" if credit else str(candidate.name)
