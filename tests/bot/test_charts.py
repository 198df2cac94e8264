"""Week-by-week answers come with a chart: a PNG in the Slack thread, a saved file in the console."""

from __future__ import annotations

import io
import struct
from pathlib import Path

from bot.charts import CHART_DPI, CHART_INCHES, chart_path, draw_chart
from bot.console import Console
from bot.handlers import Handlers
from facts.answer import Answer, Point, Series
from facts.answering import Answerer
from facts.importing import ImportFile, apply_import, plan_import
from facts.store import FactStore
from tests.bot.fakeslack import BOT_USER, FakeSlack, SlackDriver

WEEKS = b"""show,season,viewers,metric,window,start_date,platform,rank,source,as_of
Kelpie,Kelpie: Season 1,9M,views,week ending 2025-03-09,2025-03-03,Netflix,1,Netflix Top 10,2025-03-09
Kelpie,Kelpie: Season 1,6M,views,week ending 2025-03-16,2025-03-10,Netflix,2,Netflix Top 10,2025-03-16
Kelpie,Kelpie: Season 1,2M,views,week ending 2025-03-23,2025-03-17,Netflix,8,Netflix Top 10,2025-03-23
"""
QUESTION = "how did kelpie do week by week?"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def add_weeks(store: FactStore) -> None:
    apply_import(store, plan_import(store, [ImportFile("weeks.csv", WEEKS)]), user="tests")


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == PNG_SIGNATURE
    width, height = struct.unpack(">II", data[16:24])  # the IHDR chunk comes first
    return width, height


def test_a_series_is_drawn_as_a_png_line_chart(tmp_path: Path) -> None:
    points = tuple(Point(f"2025-03-{day:02d}", value, f"{value:g}") for day, value in ((9, 9.0), (16, 6.0)))
    answer = Answer(kind="answer", headline="x", series=(Series("Kelpie", "views", points),))

    path = draw_chart(answer, chart_path(answer, tmp_path))

    assert path == tmp_path / "kelpie.png"
    assert png_size(path.read_bytes()) == (int(CHART_INCHES[0] * CHART_DPI), int(CHART_INCHES[1] * CHART_DPI))


def test_the_console_saves_the_chart_and_says_where(store: FactStore, tmp_path: Path) -> None:
    add_weeks(store)
    output = io.StringIO()
    handlers = Handlers(store, Answerer(store), lambda user, team="": True)
    Console(handlers, io.StringIO(QUESTION + "\n"), output, chart_dir=tmp_path).run()

    assert f"Chart: {tmp_path / 'kelpie.png'}" in output.getvalue()
    assert "Kelpie: Season 1  \u2588\u2586\u2583  9M views -> 2M views" in output.getvalue()
    assert png_size((tmp_path / "kelpie.png").read_bytes())[0] > 0


def test_a_mention_gets_the_chart_in_its_thread(
    slack: SlackDriver, fake: FakeSlack, store: FactStore
) -> None:
    add_weeks(store)
    slack.event({"type": "app_mention", "user": "UASKER", "text": f"<@{BOT_USER}> {QUESTION}",
                 "ts": "1700000000.000100", "channel": "C0001"})  # fmt: skip

    (message,) = fake.wait_for("/api/chat.postMessage")
    (complete,) = fake.wait_for("/api/files.completeUploadExternal")
    (upload,) = fake.calls("/upload")
    assert message.body["text"].startswith("Kelpie: Season 1 week by week: 3 weeks in the Top 10")
    assert (complete.body["channel_id"], complete.body["thread_ts"]) == ("C0001", "1700000000.000100")
    assert upload.raw.startswith(PNG_SIGNATURE)
