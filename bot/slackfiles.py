"""Fetching files people share with the bot, safely.

The size limit is checked on Slack's metadata before anything is downloaded, and again while
reading (metadata can be wrong). Downloads send the bot token as a Bearer header: without it Slack
answers with its HTML sign-in page instead of the file. The token goes to Slack's hosts only, redirects
included; a download must arrive whole (its Content-Length, and the size Slack gave) and in time.
"""

from __future__ import annotations

import http.client
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import Any, BinaryIO

from bot.replies import describe_size
from bot.timedhttp import Deadline, DeadlinePassed, timed_handlers
from facts.errors import FactsError

TABLE_EXTENSIONS = (".csv", ".tsv")
TABLE_FILETYPES = frozenset({"csv", "tsv"})
# The longest one read may wait for data, and the longest a whole download may take: a server that
# trickles a byte every few seconds would otherwise hold an answer thread for as long as it likes.
# Each read waits at most the idle time or what is left of the deadline, whichever is less.
DOWNLOAD_IDLE_SECONDS = 10.0
DOWNLOAD_DEADLINE_SECONDS = 30.0
READ_CHUNK_BYTES = 64 * 1024
SLACK_FILE_DOMAINS = ("slack.com", "slack-gov.com")


@dataclass(frozen=True)
class SharedFile:
    """What Slack says about a shared file."""

    id: str
    name: str
    size: int
    filetype: str
    url: str

    @classmethod
    def from_slack(cls, data: dict[str, Any]) -> SharedFile:
        """Read a Slack file object (from a ``file_share`` message or ``files.info``)."""
        return cls(
            id=str(data.get("id", "")),
            name=str(data.get("name") or data.get("title") or "file"),
            size=int(data.get("size") or 0),
            filetype=str(data.get("filetype", "")).lower(),
            url=str(data.get("url_private_download") or data.get("url_private") or ""),
        )

    def is_table(self) -> bool:
        """True for CSV and TSV files (by name or by Slack's file type)."""
        return self.name.lower().endswith(TABLE_EXTENSIONS) or self.filetype in TABLE_FILETYPES


def download_file(
    shared: SharedFile,
    into: BinaryIO,
    *,
    token: str,
    limit: int,
    api_base_url: str = "",
    deadline_seconds: float = DOWNLOAD_DEADLINE_SECONDS,
    idle_seconds: float = DOWNLOAD_IDLE_SECONDS,
) -> int:
    """Download ``shared`` with the bot token into ``into``, refusing more than ``limit`` bytes.

    Redirects are followed only to Slack's hosts (the token goes with them); the whole file must
    arrive within ``deadline_seconds``, with no wait of over ``idle_seconds`` for data, and be as
    long as the server and Slack's metadata say. The bytes go to ``into`` as they arrive (a file
    on disk), so that a large upload is never held in memory.

    Args:
        shared: the file.
        into: where the bytes are written (what was written is left there on failure).
        token: the bot token, sent as a Bearer header.
        limit: the most bytes accepted.
        api_base_url: the Slack Web API address in use, if not Slack's own (its host is trusted too).
        deadline_seconds: the longest the whole download may take (connecting included).
        idle_seconds: the longest a read may wait for data.

    Returns:
        How many bytes were written.

    Raises:
        FactsError: the file could not be downloaded, is stored off Slack, was not a file, is too
            large, arrived incomplete or too slowly.
    """
    if not shared.url.startswith(("https://", "http://")):
        raise FactsError(f"Slack gave no download address for {shared.name}.", "Please send it again.")
    if not is_slack_address(shared.url, api_base_url):
        # An external file's address points anywhere; the bot token must never be sent there.
        raise FactsError(
            f"I only download files from Slack, and {shared.name} is stored somewhere else.",
            "Upload the file itself to Slack, then send it again.",
        )
    deadline = Deadline(deadline_seconds, idle_seconds)
    opener = urllib.request.build_opener(
        SlackOnlyRedirects(shared.name, api_base_url), *timed_handlers(deadline)
    )
    request = urllib.request.Request(shared.url, headers={"Authorization": f"Bearer {token}"})
    try:
        with opener.open(request, timeout=min(idle_seconds, deadline_seconds)) as response:
            content_type = response.headers.get("Content-Type", "")
            announced = response.headers.get("Content-Length")
            received = _read_body(response, into, shared, limit, deadline)
    except DeadlinePassed as error:  # before the body: connecting, or the headers trickling
        raise _too_slow(shared, 0, deadline) from error
    except (OSError, http.client.HTTPException) as error:
        if isinstance(getattr(error, "reason", None), DeadlinePassed):  # urllib wraps what it sends
            raise _too_slow(shared, 0, deadline) from error
        raise FactsError(
            f"I could not download {shared.name} from Slack.", "Please send it again."
        ) from error
    if content_type.startswith("text/html"):
        # Slack's sign-in page: the token lacks files:read.
        raise FactsError(
            f"Slack would not let me read {shared.name}.",
            "Make sure the app has the files:read scope, then send the file again.",
        )
    _check_complete(shared, received, announced)
    return received


class SlackOnlyRedirects(urllib.request.HTTPRedirectHandler):
    """Follows redirects between Slack's hosts only: urllib would send the bot token anywhere."""

    def __init__(self, name: str, api_base_url: str) -> None:
        self.name = name
        self.api_base_url = api_base_url

    def redirect_request(
        self, req: urllib.request.Request, fp: Any, code: int, msg: str, headers: Any, newurl: str
    ) -> urllib.request.Request | None:
        if not is_slack_address(newurl, self.api_base_url):
            raise FactsError(
                f"Slack sent me to another address for {self.name} "
                f"({urllib.parse.urlsplit(newurl).hostname or newurl}), so I did not download it.",
                "Upload the file itself to Slack, then send it again.",
            )
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def _read_body(
    response: http.client.HTTPResponse, into: BinaryIO, shared: SharedFile, limit: int, deadline: Deadline
) -> int:
    """Copy at most ``limit + 1`` bytes into ``into``, giving up at the deadline or when no data came
    for its idle time; return how many were copied."""
    received = 0
    while received <= limit:
        try:
            chunk = response.read1(min(READ_CHUNK_BYTES, limit + 1 - received))
        except DeadlinePassed as error:
            raise _too_slow(shared, received, deadline) from error
        except TimeoutError as error:
            raise FactsError(
                f"{shared.name} stopped arriving after {describe_size(received)} (nothing came for "
                f"{deadline.idle:g} s), so I stopped and imported nothing.",
                "Please send it again in a minute.",
            ) from error
        if not chunk:
            break
        into.write(chunk)
        received += len(chunk)
    if received > limit:
        raise FactsError(
            f"{shared.name} is larger than the {describe_size(limit)} I accept.",
            "Split it into smaller CSV files and send them one at a time.",
        )
    return received


def _too_slow(shared: SharedFile, received: int, deadline: Deadline) -> FactsError:
    return FactsError(
        f"{shared.name} arrived too slowly: {describe_size(received)} in {deadline.seconds:g} s, "
        "so I stopped and imported nothing.",
        "Please send it again in a minute.",
    )


def _check_complete(shared: SharedFile, received: int, announced: str | None) -> None:
    """Refuse a download cut short of its Content-Length or of the size Slack gave for the file."""
    expected = max(int(announced) if announced and announced.isdigit() else 0, shared.size)
    if received < expected:
        raise FactsError(
            f"Only {describe_size(received)} of {shared.name} ({describe_size(expected)}) arrived, "
            "so I imported nothing.",
            "Please send it again.",
        )


def is_slack_address(url: str, api_base_url: str = "") -> bool:
    """True for an https address on Slack's domains, or on the host of the configured Web API."""
    parts = urllib.parse.urlsplit(url)
    if api_base_url:
        base = urllib.parse.urlsplit(api_base_url)
        if (parts.scheme, parts.netloc) == (base.scheme, base.netloc):
            return True
    host = parts.hostname or ""
    on_slack = any(host == domain or host.endswith(f".{domain}") for domain in SLACK_FILE_DOMAINS)
    return parts.scheme == "https" and on_slack
