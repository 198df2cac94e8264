from __future__ import annotations

import pytest

from bot.blocks import ITEMS_PER_PAGE, answer_blocks, answer_message, draw_bar, home_view
from bot.buttons import ACTION_PAGE_NEXT, ACTION_PAGE_PREV, ACTION_SHARE, Ask
from facts.answer import Answer, Bar, Choice, Context, Field, Source
from facts.errors import FactsError
from tests.bot.blockcheck import assert_no_pings, assert_within_limits

HUGE = "x" * 20_000


def make_answer(**overrides: object) -> Answer:
    values: dict[str, object] = {
        "kind": "answer",
        "headline": "Lupin had 70M viewers in its first 28 days.",
        "title": "Lupin",
        "sources": (Source("Netflix", "2021-05-01"),),
    }
    values.update(overrides)
    return Answer(**values)  # type: ignore[arg-type]


def test_a_small_answer_renders_exactly() -> None:
    answer = make_answer(
        fields=(Field("Network", "Netflix"),),
        bars=(Bar("Bridgerton", 82e6, "82M viewers"), Bar("Lupin", 70e6, "70M viewers")),
        choices=(Choice("Lupin (2021)", "how many people watched Lupin"),),
    )
    message = answer_message(answer, ask=Ask("Lupin", intent="audience"), shareable=True)
    choose_value = '{"q":"how many people watched Lupin"}'
    assert message["blocks"] == [
        {"type": "header", "text": {"type": "plain_text", "text": "Lupin", "emoji": False}},
        {
            "type": "section",
            "text": {"type": "mrkdwn", "text": "Lupin had 70M viewers in its first 28 days."},
        },
        {"type": "section", "fields": [{"type": "mrkdwn", "text": "*Network*\nNetflix"}]},
        {
            "type": "section",
            "text": {
                "type": "mrkdwn",
                "text": "`██████████` 82M viewers  Bridgerton\n`█████████░` 70M viewers  Lupin",
            },
        },
        {
            "type": "actions",
            "elements": [
                {
                    "type": "button",
                    "text": {"type": "plain_text", "text": "Lupin (2021)", "emoji": False},
                    "action_id": "showfacts_choose_0",
                    "value": choose_value,
                },
                {
                    "type": "button",
                    "text": {"type": "plain_text", "text": "Share in channel", "emoji": False},
                    "action_id": ACTION_SHARE,
                    "value": '{"q":"Lupin","i":"audience"}',
                },
            ],
        },
        {"type": "context", "elements": [{"type": "mrkdwn", "text": "Source: Netflix (as of 1 May 2021)"}]},
    ]
    assert message["text"] == (
        "Lupin had 70M viewers in its first 28 days.\nNetwork: Netflix\n1. Bridgerton: 82M viewers\n"
        "2. Lupin: 70M viewers\nOptions: Lupin (2021)\nSource: Netflix (as of 1 May 2021)"
    )


@pytest.mark.parametrize(
    ("value", "top", "bar"),
    [
        (82, 82, "██████████"),
        (70, 82, "█████████░"),
        (1, 1000, "█░░░░░░░░░"),
        (0, 10, "░░░░░░░░░░"),
        (5, 0, "░░░░░░░░░░"),
    ],
)
def test_bars_are_drawn_to_scale(value: float, top: float, bar: str) -> None:
    assert draw_bar(value, top) == bar


def test_data_and_questions_are_escaped_everywhere() -> None:
    sneaky = "<!channel> & <@U1> <!here>"
    answer = Answer(
        kind="card",
        headline=sneaky,
        title=sneaky,
        fields=(Field(sneaky, sneaky),),
        bars=(Bar(sneaky, 1, sneaky),),
        items=(sneaky,),
        notes=(sneaky,),
        choices=(Choice(sneaky, sneaky),),
        sources=(Source(sneaky),),
    )
    message = answer_message(answer, ask=Ask(sneaky), shareable=True)
    assert_no_pings(
        {"text": message["text"], "blocks": [b for b in message["blocks"] if b["type"] != "actions"]}
    )
    buttons = [e for b in message["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert all("<" not in button["text"]["text"] for button in buttons)
    assert message["blocks"][1]["text"]["text"] == "&lt;!channel&gt; &amp; &lt;@U1&gt; &lt;!here&gt;"


def test_a_huge_answer_stays_within_every_limit() -> None:
    answer = Answer(
        kind="answer",
        headline=HUGE,
        title=HUGE,
        fields=tuple(Field(f"{n} {HUGE}", HUGE) for n in range(40)),
        bars=tuple(Bar(f"{n} {HUGE}", n, HUGE) for n in range(300)),
        items=tuple(f"cast member {n} {HUGE}" for n in range(5000)),
        notes=tuple(HUGE for _ in range(100)),
        choices=tuple(Choice(HUGE, HUGE) for _ in range(40)),
        sources=tuple(Source(HUGE, "2021") for _ in range(30)),
    )
    message = answer_message(
        answer, ask=Ask(HUGE, context=Context(show_ids=tuple(range(900)))), shareable=True
    )
    assert_within_limits(message["blocks"])
    assert len(message["text"]) <= 3000
    last = message["blocks"][-1]
    assert last["type"] == "context"


def test_long_lists_are_paged_with_prev_and_next() -> None:
    answer = make_answer(items=tuple(f"Actor {n}" for n in range(1, 46)))
    first = answer_blocks(answer, ask=Ask("cast of Lupin", intent="cast"))
    assert first[2]["text"]["text"] == "\n".join(f"• Actor {n}" for n in range(1, ITEMS_PER_PAGE + 1))
    assert first[3] == {"type": "context", "elements": [{"type": "mrkdwn", "text": "Showing 1–20 of 45"}]}
    assert [e["action_id"] for e in first[4]["elements"]] == [ACTION_PAGE_NEXT]
    assert Ask.from_value(first[4]["elements"][0]["value"]) == Ask("cast of Lupin", intent="cast", page=1)
    last = answer_blocks(answer, ask=Ask("cast of Lupin", intent="cast", page=2))
    assert last[2]["text"]["text"] == "\n".join(f"• Actor {n}" for n in range(41, 46))
    assert last[3]["elements"][0]["text"] == "Showing 41–45 of 45"
    assert [e["action_id"] for e in last[4]["elements"]] == [ACTION_PAGE_PREV]


def test_import_previews_carry_apply_and_cancel() -> None:
    blocks = answer_blocks(Answer(kind="report", headline="2 added"), staging_token="tok123")
    assert blocks[-1]["elements"][0]["action_id"] == "showfacts_apply"
    assert blocks[-1]["elements"][0]["value"] == "tok123"
    assert blocks[-1]["elements"][1]["action_id"] == "showfacts_cancel"


def test_home_view_holds_at_most_100_blocks() -> None:
    big = Answer(kind="report", headline="h", notes=tuple(HUGE for _ in range(200)))
    view = home_view([big, big, big])
    assert view["type"] == "home"
    assert_within_limits(view["blocks"], max_blocks=100)


@pytest.mark.parametrize("value", ["", "not json", "[1]", '{"p": 2}', '{"q": "x", "p": "two"}'])
def test_damaged_button_values_are_refused_politely(value: str) -> None:
    with pytest.raises(FactsError) as raised:
        Ask.from_value(value)
    assert str(raised.value) == "That button's data is damaged. Please ask your question again."


def test_ask_round_trips_through_a_button_value() -> None:
    ask = Ask("who created it?", intent="", context=Context(intent="audience", show_ids=(4, 5)), page=3)
    assert Ask.from_value(ask.to_value()) == ask
    assert len(Ask(HUGE).to_value()) <= 2000
