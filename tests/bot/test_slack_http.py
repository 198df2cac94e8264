"""The real Slack app, driven over HTTP with requests signed as Slack signs them."""

from __future__ import annotations

import json
import time
import urllib.parse
from pathlib import Path

import pytest

from bot.blocks import fallback_text
from bot.buttons import ACTION_CHOOSE, ACTION_PAGE_NEXT, ACTION_SHARE, Ask
from bot.replies import GENERIC_ERROR, help_answer
from bot.settings import Settings
from facts.answer import Context
from facts.answering import Answerer
from facts.store import FactStore
from tests.bot.blockcheck import assert_no_pings, assert_within_limits
from tests.bot.conftest import ADMIN, FAULT, direct_message, mention, serve_app
from tests.bot.fakeslack import BOT_USER, WAIT_SECONDS, FakeSlack, SlackDriver
from tests.facts.answering_support import load_csv_dir

REALNAMES = Path(__file__).resolve().parent.parent / "data" / "linking" / "realnames"
# The bot acks before answering: Slack gives it 3 seconds, the tests give it far less.
ACK_SECONDS = 1.0


def expected_text(
    store: FactStore, question: str, *, intent: str | None = None, context: Context | None = None
) -> str:
    """What the bot should say: the Answerer's answer, rendered as Slack's fallback text."""
    return fallback_text(Answerer(store).answer(question, intent=intent, context=context))


def top_titles(store: FactStore) -> list[str]:
    """The shows help uses in its examples: the two most watched."""
    return [bar.label for bar in Answerer(store).top_shows(2).bars]


def test_a_bad_signature_is_refused(slack: SlackDriver, fake: FakeSlack) -> None:
    body = urllib.parse.urlencode(
        {"command": "/viewers", "text": "Lupin", "response_url": fake.response_url()}
    )
    posted = slack.post(body, "application/x-www-form-urlencoded", signature="v0=" + "0" * 64)
    assert posted.status == 401
    assert fake.calls("/response") == []


def test_a_request_older_than_five_minutes_is_refused(slack: SlackDriver) -> None:
    body = urllib.parse.urlencode({"command": "/viewers", "text": "Lupin"})
    posted = slack.post(body, "application/x-www-form-urlencoded", timestamp=int(time.time()) - 301)
    assert posted.status == 401


def test_url_verification_is_answered(slack: SlackDriver) -> None:
    posted = slack.post(json.dumps({"type": "url_verification", "challenge": "abc"}), "application/json")
    assert (posted.status, posted.json()) == (200, {"challenge": "abc"})


@pytest.mark.parametrize(
    ("command", "text", "intent"),
    [
        ("/viewers", "Lupin", "audience"),
        ("/viewers", "lupin, bridgerton", "audience"),
        ("/cast", "Emily in Paris", "cast"),
        ("/whois", "Lily Collins", "whois"),
    ],
)
def test_slash_commands_ack_then_answer_privately_with_a_share_button(
    slack: SlackDriver, fake: FakeSlack, store: FactStore, command: str, text: str, intent: str
) -> None:
    started = time.monotonic()
    path = slack.command(command, text)
    assert time.monotonic() - started < ACK_SECONDS
    (call,) = fake.wait_for(path)
    assert call.body["response_type"] == "ephemeral"
    assert call.body["text"] == expected_text(store, text, intent=intent)
    assert_within_limits(call.body["blocks"])
    share = (
        call.body["blocks"][-2]["elements"][-1]
        if call.body["blocks"][-1]["type"] == "context"
        else call.body["blocks"][-1]["elements"][-1]
    )
    assert share["action_id"] == ACTION_SHARE
    assert Ask.from_value(share["value"]) == Ask(text, intent=intent)


@pytest.mark.parametrize(
    ("command", "usage"),
    [
        (
            "/viewers",
            "Usage: /viewers SHOW[, SHOW ...] (how many people watched a show, or which of several won).",
        ),
        ("/cast", "Usage: /cast SHOW (who is in a show's cast, and whom they play)."),
        ("/whois", "Usage: /whois PERSON (who someone is and what they worked on)."),
    ],
)
def test_a_command_without_text_explains_its_usage(
    slack: SlackDriver, fake: FakeSlack, command: str, usage: str
) -> None:
    (call,) = fake.wait_for(slack.command(command, "  "))
    assert call.body["text"] == usage


def test_showfacts_alone_is_help(slack: SlackDriver, fake: FakeSlack, store: FactStore) -> None:
    (call,) = fake.wait_for(slack.command("/showfacts", ""))
    assert call.body["text"] == fallback_text(help_answer(shows=top_titles(store)))
    assert "how many people watched Bridgerton?" in call.body["text"]
    (admin_call,) = fake.wait_for(slack.command("/showfacts", "help", user=ADMIN))
    assert admin_call.body["text"] == fallback_text(help_answer(admin=True, shows=top_titles(store)))


def test_showfacts_top_and_questions(slack: SlackDriver, fake: FakeSlack, store: FactStore) -> None:
    (top,) = fake.wait_for(slack.command("/showfacts", "top 3"))
    assert top.body["text"] == fallback_text(Answerer(store).top_shows(3))
    share = [e for b in top.body["blocks"] if b["type"] == "actions" for e in b["elements"]][-1]
    assert Ask.from_value(share["value"]) == Ask("top 3", intent="top")
    (question,) = fake.wait_for(slack.command("/showfacts", "how many people watched lupin?"))
    assert question.body["text"] == expected_text(store, "how many people watched lupin?")


@pytest.mark.parametrize("word", ["history", "undo", "export"])
def test_admin_words_are_refused_to_others(slack: SlackDriver, fake: FakeSlack, word: str) -> None:
    (call,) = fake.wait_for(slack.command("/showfacts", word))
    assert call.body["text"] == (
        "Only showfacts admins can change the facts, so I left them as they are.\n"
        "Ask a workspace admin to add your user ID to SHOWFACTS_ADMINS if you should be one."
    )


def test_unknown_names_are_not_offered_for_sharing(slack: SlackDriver, fake: FakeSlack) -> None:
    (call,) = fake.wait_for(slack.command("/viewers", "Qwxzzy Qwxzzy"))
    actions = [e["action_id"] for b in call.body["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert ACTION_SHARE not in actions


def test_an_unknown_command_gets_a_404_not_a_500(slack: SlackDriver, fake: FakeSlack) -> None:
    form = {
        "command": "/nosuch",
        "text": "x",
        "user_id": "U1",
        "channel_id": "C1",
        "response_url": fake.response_url(),
        "team_id": "T0001",
    }
    posted = slack.post(urllib.parse.urlencode(form), "application/x-www-form-urlencoded")
    assert posted.status == 404


def test_a_mention_is_answered_in_its_thread(slack: SlackDriver, fake: FakeSlack, store: FactStore) -> None:
    assert slack.event(mention(f"<@{BOT_USER}> how many people watched Lupin?")).status == 200
    (call,) = fake.wait_for("/api/chat.postMessage")
    assert call.body["channel"] == "C0001"
    assert call.body["thread_ts"] == "1700000000.000100"
    assert call.body["text"] == expected_text(store, "how many people watched Lupin?")


def test_a_mention_that_carries_pings_never_pings(slack: SlackDriver, fake: FakeSlack) -> None:
    slack.event(mention(f"<@{BOT_USER}> <!channel> &lt;!here&gt; who is <@U999> in Lupin &amp; <!everyone>"))
    (call,) = fake.wait_for("/api/chat.postMessage")
    assert_no_pings(call.body)


def test_a_bare_mention_gets_help(slack: SlackDriver, fake: FakeSlack, store: FactStore) -> None:
    slack.event(mention(f"<@{BOT_USER}>"))
    (call,) = fake.wait_for("/api/chat.postMessage")
    assert call.body["text"] == fallback_text(help_answer(shows=top_titles(store)))


@pytest.mark.parametrize("text", ["help", "Hi!", "hello there?", "?", "What can you do?"])
def test_asking_for_help_in_a_direct_message_gets_help(
    slack: SlackDriver, fake: FakeSlack, store: FactStore, text: str
) -> None:
    slack.event(direct_message(text))
    (call,) = fake.wait_for("/api/chat.postMessage")
    assert call.body["text"] == fallback_text(help_answer(shows=top_titles(store)))


@pytest.mark.parametrize("text", ["thanks!", "Thank you", "thx"])
def test_thanks_get_a_welcome(slack: SlackDriver, fake: FakeSlack, text: str) -> None:
    slack.event(mention(f"<@{BOT_USER}> {text}"))
    (call,) = fake.wait_for("/api/chat.postMessage")
    assert call.body["text"] == "You're welcome! Ask me about any show whenever you like."


def test_direct_messages_keep_follow_up_context(
    slack: SlackDriver, fake: FakeSlack, store: FactStore
) -> None:
    slack.event(direct_message("how many people watched Emily in Paris?", ts="1.1"))
    first = fake.wait_for("/api/chat.postMessage")[0]
    answerer = Answerer(store)
    asked = answerer.answer("how many people watched Emily in Paris?")
    assert first.body["text"] == fallback_text(asked)
    assert "thread_ts" not in first.body
    slack.event(direct_message("who created it?", ts="1.2"))
    second = fake.wait_for("/api/chat.postMessage", 2)[1]
    assert second.body["text"] == fallback_text(answerer.answer("who created it?", context=asked.context))


@pytest.mark.parametrize(
    "event",
    [
        direct_message("edited", subtype="message_changed"),
        direct_message("bye", subtype="message_deleted"),
        direct_message("I am a bot", bot_id="B999"),
        direct_message("channel chatter", channel_type="channel", channel="C0001"),
    ],
)
def test_edits_bots_and_channel_messages_are_ignored(
    slack: SlackDriver, fake: FakeSlack, event: dict
) -> None:
    assert slack.event(event).status == 200
    slack.event(direct_message("who is Lily Collins?", ts="9.9"))
    slack.wait_for_answers()
    (call,) = fake.calls("/api/chat.postMessage")
    assert call.body["text"] != ""


def test_retries_and_repeated_event_ids_are_answered_once(slack: SlackDriver, fake: FakeSlack) -> None:
    event = direct_message("who is Lily Collins?", ts="3.3")
    assert slack.event(event, event_id="EvSAME").status == 200
    assert slack.event(event, event_id="EvSAME", retry=1).status == 200
    assert slack.event(event, event_id="EvSAME", retry=2).status == 200
    slack.wait_for_answers()
    assert len(fake.calls("/api/chat.postMessage")) == 1
    slack.event(direct_message("who is Ashley Park?", ts="3.4"), event_id="EvOTHER")
    slack.wait_for_answers()
    assert len(fake.calls("/api/chat.postMessage")) == 2


def test_a_mention_delivered_as_mention_and_message_is_answered_once(
    slack: SlackDriver, fake: FakeSlack
) -> None:
    text = f"<@{BOT_USER}> who is Lily Collins?"
    slack.event(direct_message(text, ts="4.4"))
    slack.event(mention(text, ts="4.4", channel="D0001", channel_type="im"))
    slack.wait_for_answers()
    assert len(fake.calls("/api/chat.postMessage")) == 1


def test_share_posts_the_card_in_channel(slack: SlackDriver, fake: FakeSlack, store: FactStore) -> None:
    posted, path = slack.click(ACTION_SHARE, Ask("Lupin", intent="audience").to_value())
    assert posted.status == 200
    (call,) = fake.wait_for(path)
    assert call.body["response_type"] == "in_channel"
    assert call.body["replace_original"] is False
    assert call.body["text"] == expected_text(store, "Lupin", intent="audience")
    actions = [e["action_id"] for b in call.body["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert ACTION_SHARE not in actions


def test_a_choice_button_answers_its_question(slack: SlackDriver, fake: FakeSlack, store: FactStore) -> None:
    _, path = slack.click(f"{ACTION_CHOOSE}_0", Ask("who is Lily Collins?").to_value(), ephemeral=False)
    (call,) = fake.wait_for(path)
    assert call.body["replace_original"] is True
    assert call.body["text"] == expected_text(store, "who is Lily Collins?")


def test_a_page_button_shows_that_page(slack: SlackDriver, fake: FakeSlack) -> None:
    _, path = slack.click(ACTION_PAGE_NEXT, Ask("Emily in Paris", intent="cast", page=5).to_value())
    (call,) = fake.wait_for(path)
    assert call.body["replace_original"] is True
    assert_within_limits(call.body["blocks"])


def test_a_click_without_response_url_is_answered_in_the_dm(
    slack: SlackDriver, fake: FakeSlack, store: FactStore
) -> None:
    slack.click(f"{ACTION_CHOOSE}_1", Ask("Lupin").to_value(), response_url=False)
    (call,) = fake.wait_for("/api/chat.postMessage")
    assert call.body["channel"] == "UASKER"
    assert call.body["text"] == expected_text(store, "Lupin")


@pytest.mark.parametrize(
    ("action_id", "value", "text"),
    [
        ("old_button", "x", "That button no longer works. Please ask your question again."),
        (ACTION_SHARE, "garbage", "That button's data is damaged. Please ask your question again."),
    ],
)
def test_unknown_or_damaged_buttons_get_a_polite_answer(
    slack: SlackDriver, fake: FakeSlack, action_id: str, value: str, text: str
) -> None:
    posted, path = slack.click(action_id, value)
    assert posted.status == 200
    (call,) = fake.wait_for(path)
    assert call.body["text"] == text


def test_a_malformed_payload_is_not_a_server_error(slack: SlackDriver) -> None:
    posted = slack.post("payload=%7Bnot-json", "application/x-www-form-urlencoded")
    assert 400 <= posted.status < 500


def test_app_home_shows_how_to_ask_and_the_top_shows(
    slack: SlackDriver, fake: FakeSlack, store: FactStore
) -> None:
    slack.event({"type": "app_home_opened", "user": "UASKER", "channel": "D0001", "tab": "home"})
    (call,) = fake.wait_for("/api/views.publish")
    assert call.body["user_id"] == "UASKER"
    view = json.loads(call.body["view"]) if isinstance(call.body["view"], str) else call.body["view"]
    assert view["type"] == "home"
    assert_within_limits(view["blocks"], max_blocks=100)
    texts = [b["text"]["text"] for b in view["blocks"] if b["type"] == "section" and "text" in b]
    assert help_answer(shows=top_titles(store)).headline in texts
    assert Answerer(store).top_shows(5).headline in texts


def test_the_messages_tab_publishes_nothing(slack: SlackDriver, fake: FakeSlack) -> None:
    slack.event({"type": "app_home_opened", "user": "UASKER", "channel": "D0001", "tab": "messages"})
    slack.event(direct_message("who is Lily Collins?", ts="5.5"))
    fake.wait_for("/api/chat.postMessage")
    assert fake.calls("/api/views.publish") == []


def test_an_unexpected_failure_gets_an_apology_not_a_traceback(
    failing_slack: SlackDriver, fake: FakeSlack, caplog: pytest.LogCaptureFixture
) -> None:
    (call,) = fake.wait_for(failing_slack.command("/showfacts", "top"))
    assert call.body["text"] == GENERIC_ERROR
    assert FAULT not in json.dumps(call.body)
    assert "xoxb" not in caplog.text


def test_facts_written_by_another_process_are_answered_at_once(
    slack: SlackDriver, fake: FakeSlack, settings: Settings
) -> None:
    question = "how many people watched Zyzzyva Nights?"
    slack.event(direct_message(question, ts="8.8"))
    (before,) = fake.wait_for("/api/chat.postMessage")
    other = FactStore.open(settings.db_path)
    with other.write() as db:
        show_id = db["shows"].insert({"title": "Zyzzyva Nights", "title_key": "zyzzyva nights"}).last_pk
        db["viewership"].insert({"show_id": show_id, "value": 12_000_000, "time_window": "first 28 days"})
    expected = fallback_text(Answerer(other).answer(question))
    other.close()
    slack.event(direct_message(question, ts="8.9"))
    after = fake.wait_for("/api/chat.postMessage", 2)[1]
    assert "12M" not in before.body["text"]
    assert after.body["text"] == expected
    assert "12M" in after.body["text"]


def test_a_rate_limited_reply_is_retried(slack: SlackDriver, fake: FakeSlack, store: FactStore) -> None:
    fake.rate_limit_once("chat.postMessage")
    slack.event(direct_message("who is Lily Collins?", ts="6.6"))
    first, second = fake.wait_for("/api/chat.postMessage", 2)
    assert first.body == second.body
    assert second.body["text"] == expected_text(store, "who is Lily Collins?")


def test_an_unexpected_failure_in_a_thread_gets_an_apology_there(
    failing_slack: SlackDriver, fake: FakeSlack
) -> None:
    failing_slack.event(mention(f"<@{BOT_USER}> who is Lily Collins?", ts="1700000000.000900"))
    (call,) = fake.wait_for("/api/chat.postMessage")
    assert (call.body["text"], call.body["thread_ts"]) == (GENERIC_ERROR, "1700000000.000900")


def test_socket_mode_retries_are_answered_once(settings: Settings, store: FactStore, fake: FakeSlack) -> None:
    from slack_bolt.request import BoltRequest

    from bot.app import create_app

    app = create_app(settings, store, Answerer(store))
    envelope = {
        "type": "event_callback",
        "team_id": "T0001",
        "event_id": "EvSOCKET",
        "event": direct_message("who is Lily Collins?", ts="2.2"),
    }
    for retry in ("", "1"):
        headers = {"x-slack-retry-num": [retry]} if retry else {}
        request = BoltRequest(body=json.dumps(envelope), mode="socket_mode", headers=headers)
        assert app.dispatch(request).status == 200
    assert app.answers.join(WAIT_SECONDS)
    assert len(fake.calls("/api/chat.postMessage")) == 1


def test_tokens_never_reach_the_logs(
    slack: SlackDriver, fake: FakeSlack, caplog: pytest.LogCaptureFixture
) -> None:
    from tests.bot.fakeslack import BOT_TOKEN, SIGNING_SECRET

    caplog.set_level("DEBUG")
    fake.wait_for(slack.command("/viewers", "Lupin"))
    slack.event(direct_message("who is Lily Collins?", ts="9.1"))
    fake.wait_for("/api/chat.postMessage")
    assert caplog.text
    assert BOT_TOKEN not in caplog.text
    assert SIGNING_SECRET not in caplog.text


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        ("42", "application/json"),
        ('{"type": "event_callback", "event_id": "Ev9", "event": "x"}', "application/json"),
        ("payload=null", "application/x-www-form-urlencoded"),
        (
            "payload=" + urllib.parse.quote('{"type": "block_actions", "actions": []}'),
            "application/x-www-form-urlencoded",
        ),
    ],
)
def test_signed_but_malformed_bodies_get_400(slack: SlackDriver, body: str, content_type: str) -> None:
    assert slack.post(body, content_type).status == 400


def test_a_timestamp_that_is_not_a_number_is_refused(slack: SlackDriver) -> None:
    body = urllib.parse.urlencode({"command": "/viewers", "text": "Lupin"})
    posted = slack.post(
        body, "application/x-www-form-urlencoded", headers={"X-Slack-Request-Timestamp": "soon"}
    )
    assert posted.status == 401


def test_a_mention_asking_two_questions_gets_both_answers(
    slack: SlackDriver, fake: FakeSlack, store: FactStore
) -> None:
    question = "how many people watched Lupin and who created Emily in Paris?"
    slack.event(mention(f"<@{BOT_USER}> {question}"))
    (call,) = fake.wait_for("/api/chat.postMessage")
    assert call.body["text"] == expected_text(store, question)
    assert call.body["text"].startswith("Lupin had 70M viewers")
    assert "Emily in Paris was created by Darren Star." in call.body["text"]
    blocks = json.loads(call.body["blocks"]) if isinstance(call.body["blocks"], str) else call.body["blocks"]
    assert {"type": "divider"} in blocks
    assert_within_limits(blocks)


def test_two_readings_of_a_question_are_offered_as_buttons(settings: Settings, fake: FakeSlack) -> None:
    store = FactStore.open(settings.db_path)
    load_csv_dir(store, REALNAMES)
    with serve_app(settings, Answerer(store), fake) as slack:
        slack.event(direct_message("tell me about adam sandla"))
        (call,) = fake.wait_for("/api/chat.postMessage")
    store.close()
    buttons = [e for b in call.body["blocks"] if b["type"] == "actions" for e in b["elements"]]

    assert call.body["text"].startswith("Did you mean About Adam and Sandra, or Adam Sandler?")
    assert [(b["text"]["text"], b["action_id"]) for b in buttons][:2] == [
        ("About Adam and Sandra", f"{ACTION_CHOOSE}_0"),
        ("Adam Sandler", f"{ACTION_CHOOSE}_1"),
    ]
    assert json.loads(buttons[1]["value"])["q"] == "tell me about Adam Sandler"
