"""Answers about the people on shows: credits, casts, characters, filmographies, companies."""

from __future__ import annotations

from facts import lookup
from facts.answer import Answer, Choice, Field
from facts.citing import sources_of
from facts.composing import Composer, Turn, merge_answers
from facts.credit_phrases import (
    MAX_HEADLINE_NAMES,
    ROLE_QUESTIONS,
    ROLE_VERBS,
    all_credits,
    credit_names,
    credited_as,
    credits_headline,
    filmography_item,
    headline_list,
    role_matches,
    show_roles_line,
)
from facts.lookup import Credit, Person, Show
from facts.wording import join_words, plural_noun

# For an organisation, "make" and "produce" mean any credit (studio, production company).
ORGANISATION_MAKES = frozenset({"creator", "producer"})


def characters_by_person(credits: list[Credit]) -> dict[str, list[str]]:
    """Each person's characters among ``credits``, in order: one actor may play several."""
    characters: dict[str, list[str]] = {}
    for credit in credits:
        named = characters.setdefault(credit.person_name, [])
        if credit.character and credit.character not in named:
            named.append(credit.character)
    return characters


def plays_lines(credits: list[Credit]) -> str:
    """ "Nina Dobrev plays Elena Gilbert and Katherine Pierce in The Vampire Diaries." per person and show."""
    by_show: dict[tuple[str, str], list[Credit]] = {}
    for credit in credits:
        by_show.setdefault((credit.person_name, credit.show_title), []).append(credit)
    return " ".join(
        f"{person} plays {join_words(characters_by_person(group)[person])} in {title}."
        for (person, title), group in by_show.items()
    )


def _of_shows(turn: Turn, credits: list[Credit]) -> list[Credit]:
    """The credits on the shows the question names ("... on Lupin?"); all of them when it names none."""
    shows = {show.id for show in turn.shows}
    return [c for c in credits if c.show_id in shows] if shows else credits


def _on_shows(turn: Turn, preposition: str) -> str:
    """ " in Lupin" for the shows the question names, "" when it names none."""
    titles = join_words(list(dict.fromkeys(show.title for show in turn.shows)))
    return f" {preposition} {titles}" if titles else ""


class PeopleAnswers(Composer):
    """Composes answers about who made and starred in shows."""

    def _credits(self, turn: Turn) -> Answer:
        role = turn.signals.role or "creator"
        if not turn.shows:
            return self._filmography(turn) if turn.people else self._which(turn, "credits")
        answers = [self._credits_of(turn, show, role) for show in turn.shows]
        return merge_answers(answers)

    def _credits_of(self, turn: Turn, show: Show, role: str) -> Answer:
        credits = [c for c in lookup.credits_of_show(turn.db, show.id) if role_matches(c.role, role)]
        if role == "cast":
            return self._cast_of(turn, show, credits)
        if not credits:
            asked = ROLE_QUESTIONS.get(role, "who the " + plural_noun(role, 2) + " of {show} are")
            return self._no_fact(turn, show, f"I don't know {asked.format(show=show.title)}.")
        names = credit_names(credits, show_role=role == "producer")
        return Answer(
            kind="answer",
            headline=credits_headline(show.title, role, names),
            title=show.title,
            sources=sources_of(credits),
        )

    def _cast(self, turn: Turn) -> Answer:
        if not turn.shows:
            return self._filmography(turn) if turn.people else self._which(turn, "cast")
        answers = []
        for show in turn.shows:
            credits = [c for c in lookup.credits_of_show(turn.db, show.id) if c.role == "cast"]
            answers.append(self._cast_of(turn, show, credits))
        return merge_answers(answers)

    def _cast_of(self, turn: Turn, show: Show, credits: list[Credit]) -> Answer:
        if not credits:
            return self._no_fact(turn, show, f"I don't know who is in the cast of {show.title}.")
        names = list(dict.fromkeys(c.person_name for c in credits))
        shown = names[:MAX_HEADLINE_NAMES]
        rest = len(names) - len(shown)
        listed = join_words([*shown, f"{rest} others"]) if rest else join_words(shown)
        items = tuple(
            f"{name} as {join_words(characters)}" if characters else name
            for name, characters in characters_by_person(credits).items()
        )
        return Answer(
            kind="answer",
            headline=f"{show.title} stars {listed}.",
            title=show.title,
            items=items if rest or any(c.character for c in credits) else (),
            sources=sources_of(credits),
        )

    def _who_plays(self, turn: Turn) -> Answer:
        credits = turn.characters
        if turn.shows:
            credits = [c for c in credits if c.show_id in {s.id for s in turn.shows}] or credits
        return Answer(kind="answer", headline=plays_lines(credits), sources=sources_of(credits))

    def _plays_whom(self, turn: Turn) -> Answer:
        person = turn.people[0]
        cast = [c for c in lookup.credits_of_person(turn.db, person.id) if c.role == "cast"]
        if turn.shows:
            cast = [c for c in cast if c.show_id in {s.id for s in turn.shows}]
        if turn.characters:
            return self._plays_character(person, turn.characters[0], cast)
        known = [c for c in cast if c.character]
        if known:
            return Answer(
                kind="answer", headline=plays_lines(known), title=person.name, sources=sources_of(known)
            )
        if cast:
            shows = join_words(list(dict.fromkeys(c.show_title for c in cast)))
            return Answer(
                kind="no_fact",
                headline=f"{person.name} is in the cast of {shows}, but I don't know which character.",
                title=person.name,
                sources=sources_of(cast),
            )
        played = f"I don't know of any character played by {person.name}"
        return self._person_no_fact(turn, person, f"{played}{_on_shows(turn, 'in')}.")

    def _plays_character(self, person: Person, character: Credit, cast: list[Credit]) -> Answer:
        """ "Does Ashley Park play Emily?": yes, or who does, with what is known of the person's roles."""
        if character.person_id == person.id:
            line = f"{person.name} plays {character.character} in {character.show_title}."
            return Answer(
                kind="answer", headline=f"Yes: {line}", title=person.name, sources=sources_of([character])
            )
        own = [c for c in cast if c.character]
        also = plays_lines(own) or f"I don't know which character {person.name} plays."
        headline = (
            f"No: {character.person_name} plays {character.character} in {character.show_title}. {also}"
        )
        return Answer(
            kind="answer", headline=headline, title=person.name, sources=sources_of([character, *own])
        )

    def _filmography(self, turn: Turn) -> Answer:
        if not turn.people:
            return self._cast(turn) if turn.shows else self._which(turn, "filmography")
        return merge_answers([self._filmography_of(turn, person) for person in turn.people])

    def _filmography_of(self, turn: Turn, person: Person) -> Answer:
        role = turn.signals.role
        if person.kind == "organisation" and role in ORGANISATION_MAKES:
            role = ""  # "what does <studio> make" asks for everything it is credited on
        credits = [c for c in all_credits(turn.db, person) if not role or role_matches(c.role, role)]
        if not credits:
            what = f"{role} credits" if role else "credits"
            return self._person_no_fact(turn, person, f"I don't have any {what} for {person.name}.")
        titles = list(dict.fromkeys(c.show_title for c in credits))
        verb = ROLE_VERBS.get(role, ("", ""))[1] if role else ""
        listed = headline_list(titles)
        headline = f"{person.name} {verb} {listed}." if verb else f"{person.name} is credited on {listed}."
        return Answer(
            kind="answer",
            headline=headline,
            title=person.name,
            items=tuple(filmography_item(person, title, credits, role) for title in titles),
            sources=sources_of(credits),
        )

    def _person_card(self, turn: Turn) -> Answer:
        if not turn.people:
            return self._show_card(turn) if turn.shows else self._which(turn, "person_card")
        return merge_answers([self._card_of_person(turn, person) for person in turn.people])

    def _card_of_person(self, turn: Turn, person: Person) -> Answer:
        credits = all_credits(turn.db, person)
        titles = list(dict.fromkeys(c.show_title for c in credits))
        phrases = [show_roles_line(person, title, credits) for title in titles]
        if person.summary:
            headline = person.summary
        elif phrases:
            headline = f"{person.name}: {'; '.join(phrases[:3])}" + (
                f"; and {len(phrases) - 3} more." if len(phrases) > 3 else "."
            )
        else:
            headline = f"{person.name}: I have no credits for them yet."
        fields = []
        if person.kind == "organisation":
            fields.append(Field("Kind", "Organisation"))
        if person.aliases:
            fields.append(Field("Also known as", person.aliases.replace(";", ",")))
        return Answer(
            kind="card",
            headline=headline,
            title=person.name,
            fields=tuple(fields),
            items=tuple(phrases) if len(phrases) > 3 or person.summary else (),
            sources=sources_of([person, *credits]),
        )

    def _company(self, turn: Turn) -> Answer:
        person = turn.people[0]
        if person.kind == "organisation":
            return self._staff_of(turn, person)
        credits = _of_shows(turn, [c for c in lookup.credits_of_person(turn.db, person.id) if c.company])
        if not credits:
            asked = f"I don't know which company {person.name} is with{_on_shows(turn, 'on')}."
            return self._person_no_fact(turn, person, asked)
        companies = join_words(list(dict.fromkeys(c.company for c in credits)))
        roles = join_words([f"{c.role} of {c.show_title}" for c in credits])
        return Answer(
            kind="answer",
            headline=f"{person.name} is with {companies} ({roles}).",
            title=person.name,
            sources=sources_of(credits),
        )

    def _staff_of(self, turn: Turn, company: Person) -> Answer:
        credits = _of_shows(turn, lookup.credits_of_company(turn.db, company.name))
        if not credits and turn.shows:
            return self._person_no_fact(
                turn, company, f"I don't know of anyone with {company.name}{_on_shows(turn, 'on')}."
            )
        if not credits:
            return self._card_of_person(turn, company)
        people = join_words(
            list(dict.fromkeys(f"{c.person_name} ({c.role} of {c.show_title})" for c in credits))
        )
        return Answer(
            kind="answer",
            headline=f"People with {company.name}: {people}.",
            title=company.name,
            sources=sources_of(credits),
        )

    def _membership(self, turn: Turn) -> Answer:
        person, show = turn.people[0], turn.shows[0]
        role = turn.signals.role
        credits = [c for c in all_credits(turn.db, person) if c.show_id == show.id]
        matching = [c for c in credits if not role or role_matches(c.role, role)]
        if matching:
            line = credited_as(person, show.title, matching)
            return Answer(kind="answer", headline=f"Yes: {person.name} {line}.", sources=sources_of(matching))
        known = [
            c for c in lookup.credits_of_show(turn.db, show.id) if not role or role_matches(c.role, role)
        ]
        if not known:
            return self._membership_unknown(turn, person, show, role)
        if credits:
            line = credited_as(person, show.title, credits)
            headline = f"No: I have no {role} credit for {person.name} on {show.title}; {person.name} {line}."
            return Answer(kind="answer", headline=headline, sources=sources_of(credits))
        return Answer(
            kind="answer",
            headline=f"No: I have no credit for {person.name} on {show.title}.",
            sources=sources_of(known),
        )

    def _membership_unknown(self, turn: Turn, person: Person, show: Show, role: str) -> Answer:
        """No credit of that kind is known for the show at all: say so rather than "No"."""
        asked = ROLE_QUESTIONS.get(role or "cast", "who the " + plural_noun(role, 2) + " of {show} are")
        headline = f"I can't tell: I don't know {asked.format(show=show.title)}."
        credits = all_credits(turn.db, person)
        by_show = {c.show_title: [d for d in credits if d.show_title == c.show_title] for c in credits}
        notes = tuple(
            f"{person.name} {credited_as(person, title, found)}." for title, found in by_show.items()
        )
        return Answer(
            kind="no_fact",
            headline=headline,
            title=person.name,
            notes=notes[:MAX_HEADLINE_NAMES],
            sources=sources_of(credits),
        )

    def _person_no_fact(self, turn: Turn, person: Person, headline: str) -> Answer:
        card = self._card_of_person(turn, person)
        return Answer(
            kind="no_fact",
            headline=headline,
            title=person.name,
            notes=(f"What I know: {card.headline}",),
            choices=(Choice(label=f"Who is {person.name}?", question=f"Who is {person.name}?"),),
            sources=card.sources,
        )
