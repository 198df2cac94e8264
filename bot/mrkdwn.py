"""Slack's text encoding, both ways.

Slack treats ``&``, ``<`` and ``>`` as control characters: ``<!channel>`` pings a channel and
``<@U123>`` a person. Everything the bot writes goes through :func:`escape_text`, so no name in
the facts and no question quoted back can ever ping anyone. Text arriving from Slack goes through
:func:`text_from_slack` before it is asked: mentions and links become plain words again.
"""

from __future__ import annotations

import re

_ESCAPES = (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"))
# <@U123>, <@U123|name>, <#C123|general>, <!here>, <!subteam^S1|@team>, <http://x|label>, <mailto:..>
_CONTROL = re.compile(r"<([@#!]?)([^<>|]*)(?:\|([^<>]*))?>")
_SPACES = re.compile(r"[ \t]+")


def escape_text(text: str) -> str:
    """Escape the three characters Slack reads as markup (and only those, as Slack asks).

    >>> escape_text("Law & Order <!channel>")
    'Law &amp; Order &lt;!channel&gt;'
    """
    for raw, escaped in _ESCAPES:
        text = text.replace(raw, escaped)
    return text


def text_from_slack(text: str, *, bot_user_id: str = "") -> str:
    """Turn a Slack message's text back into what the person typed, minus pings and markup.

    User mentions (the bot's own included) and special mentions (``<!here>``) are dropped;
    channels become ``#name``; links become their label (or the bare address); the three escaped
    characters are restored.

    Args:
        text: the ``text`` of a Slack event or slash command.
        bot_user_id: the bot's user id (its mention is always dropped).
    """
    plain = _CONTROL.sub(_replace_control, text)
    for raw, escaped in reversed(_ESCAPES):
        plain = plain.replace(escaped, raw)
    return _SPACES.sub(" ", plain).strip()


def _replace_control(match: re.Match[str]) -> str:
    sigil, target, label = match.group(1), match.group(2), match.group(3)
    if sigil == "@" or sigil == "!":
        # A mention of a person or a group is not part of a question about TV shows.
        return ""
    if sigil == "#":
        return f"#{label}" if label else ""
    return label if label else target.removeprefix("mailto:")
