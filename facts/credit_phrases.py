"""How credits are said: who made a show, what someone worked on, in which roles.

Role names are an open vocabulary (whatever the admin CSV says, lower-cased); the few roles with
their own verbs are listed here, every other role is phrased generically.
"""

from __future__ import annotations

from facts import lookup
from facts.dialect import Reader
from facts.lookup import Credit, Person
from facts.wording import join_words, plural_noun

# How a role's credits are announced: (passive verb for "X was ___ by", active verb for "P ___ X").
ROLE_VERBS = {
    "creator": ("created", "created"),
    "writer": ("written", "wrote"),
    "director": ("directed", "directed"),
    "producer": ("produced", "produced"),
    "cast": ("", "appears in"),
}


ROLE_QUESTIONS = {
    "creator": "who created {show}",
    "writer": "who wrote {show}",
    "director": "who directed {show}",
    "producer": "who produces {show}",
    "executive producer": "who the executive producers of {show} are",
    "studio": "which studio makes {show}",
    "cast": "who is in the cast of {show}",
}


# Names listed in a one-line headline before "and N others".
MAX_HEADLINE_NAMES = 6


def role_matches(role: str, asked: str) -> bool:
    """Whether a credit's role answers a question about ``asked`` ("producer" takes in executive ones)."""
    if asked == "producer":
        return role.endswith("producer")
    return role == asked


def all_credits(db: Reader, person: Person) -> list[Credit]:
    """Return a person's credits; for an organisation also those naming it as someone's company."""
    credits = lookup.credits_of_person(db, person.id)
    if person.kind == "organisation":
        credits += lookup.credits_of_company(db, person.name)
    return credits


def credit_names(credits: list[Credit], *, show_role: bool) -> list[str]:
    """Name the people of some credits, with their company (and role, when asked for)."""
    names = []
    for credit in credits:
        notes = [credit.role] if show_role else []
        if credit.company:
            notes.append(credit.company)
        names.append(f"{credit.person_name} ({', '.join(notes)})" if notes else credit.person_name)
    return list(dict.fromkeys(names))


def credits_headline(title: str, role: str, names: list[str]) -> str:
    """Say who holds a role on a show: "Emily in Paris was created by Darren Star." """
    listed = join_words(names)
    passive = ROLE_VERBS.get(role, ("", ""))[0]
    if passive:
        return (
            f"{title} was {passive} by {listed}."
            if role != "producer"
            else f"{title} is produced by {listed}."
        )
    verb = "is" if len(names) == 1 else "are"
    return f"The {plural_noun(role, len(names))} of {title} {verb} {listed}."


def headline_list(titles: list[str]) -> str:
    """List titles for a one-line headline, the rest counted: "A, B and 3 more"."""
    shown = titles[:MAX_HEADLINE_NAMES]
    rest = len(titles) - len(shown)
    return join_words([*shown, f"{rest} more"]) if rest else join_words(shown)


def roles_on(person: Person, title: str, credits: list[Credit]) -> tuple[list[str], list[str]]:
    """Return someone's roles on one show, and (for an organisation) the people it is the company of."""
    roles, staff, characters = [], [], []
    for credit in credits:
        if credit.show_title != title:
            continue
        if credit.person_id != person.id:  # an organisation named as someone's company
            staff.append(credit.person_name)
        elif credit.role == "cast":
            roles.append("cast member")
            characters += [credit.character] if credit.character else []
        else:
            roles.append(credit.role)
    # One actor may play several characters: one "cast member (A and B)", not one per character.
    cast = f"cast member ({join_words(list(dict.fromkeys(characters)))})" if characters else "cast member"
    return [cast if role == "cast member" else role for role in dict.fromkeys(roles)], list(
        dict.fromkeys(staff)
    )


def show_roles_line(person: Person, title: str, credits: list[Credit]) -> str:
    """Describe someone's roles on one show: "creator, writer and executive producer of Emily in Paris"."""
    roles, staff = roles_on(person, title, credits)
    if roles == ["cast member"] and not staff:
        return f"in the cast of {title}"
    parts = [f"{join_words(roles)} of {title}"] if roles else []
    if staff:
        parts.append(f"company of {join_words(staff)} on {title}")
    return "; ".join(parts)


def filmography_item(person: Person, title: str, credits: list[Credit], role: str) -> str:
    """One line of a filmography: the title, and the roles unless the question named the role."""
    roles, staff = roles_on(person, title, credits)
    if staff:
        roles.append(f"company of {join_words(staff)}")
    if role and all(not r.endswith(")") for r in roles):
        return title
    return f"{title}: {join_words(roles)}"


def credited_as(person: Person, title: str, credits: list[Credit]) -> str:
    """Say how someone is credited on a show: "is in the cast of X" / "is credited on X as creator"."""
    roles, staff = roles_on(person, title, credits)
    if roles == ["cast member"] and not staff:
        return f"is in the cast of {title}"
    if staff and not roles:
        return f"is the company of {join_words(staff)} on {title}"
    return f"is credited on {title} as {join_words(roles)}"
