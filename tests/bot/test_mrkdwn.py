from __future__ import annotations

import pytest

from bot.mrkdwn import escape_text, text_from_slack


@pytest.mark.parametrize(
    ("raw", "escaped"),
    [
        ("Law & Order", "Law &amp; Order"),
        ("<!channel> look", "&lt;!channel&gt; look"),
        ("<@U123>", "&lt;@U123&gt;"),
        ("a > b < c", "a &gt; b &lt; c"),
        ("&amp;", "&amp;amp;"),
        ("quotes \"stay\" 'as' they are", "quotes \"stay\" 'as' they are"),
    ],
)
def test_escape_text_escapes_only_the_three_control_characters(raw: str, escaped: str) -> None:
    assert escape_text(raw) == escaped


@pytest.mark.parametrize(
    ("slack", "plain"),
    [
        ("<@UBOT> how many people watched Lupin?", "how many people watched Lupin?"),
        ("<@UBOT|showfacts> who is in Squid Game", "who is in Squid Game"),
        ("<!channel> viewers of Lupin", "viewers of Lupin"),
        ("<!here|here> <!everyone> Lupin", "Lupin"),
        ("<!subteam^S123|@tv-team> Lupin", "Lupin"),
        ("Law &amp; Order viewers", "Law & Order viewers"),
        ("is 3 &lt; 4 &gt; 2", "is 3 < 4 > 2"),
        ("see <https://example.com/lupin|Lupin> ratings", "see Lupin ratings"),
        ("see <https://example.com/x>", "see https://example.com/x"),
        ("mail <mailto:a@b.c>", "mail a@b.c"),
        ("in <#C123|general> who made Lupin", "in #general who made Lupin"),
        ("&lt;!channel&gt; literal", "<!channel> literal"),
        ("  spaced   out  ", "spaced out"),
    ],
)
def test_text_from_slack_turns_markup_back_into_what_was_typed(slack: str, plain: str) -> None:
    assert text_from_slack(slack, bot_user_id="UBOT") == plain


def test_escaping_what_was_read_never_recreates_a_ping() -> None:
    typed = text_from_slack("&lt;!channel&gt; Lupin")
    assert escape_text(typed) == "&lt;!channel&gt; Lupin"
