"""The Slack fixtures of tests/bot (fake Slack Web API, the real app over HTTP, a signing driver)."""

from tests.bot.conftest import failing_slack, fake, settings, slack, store  # noqa: F401 (pytest finds fixtures by name)
