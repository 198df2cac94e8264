"""Fetching files people share with the bot, safely.

The size limit is checked on Slack's metadata before anything is downloaded, and again while
reading (metadata can be wrong). Downloads send the bot token as a Bearer header: without it Slack
answers with its HTML sign-in page instead of the file.
"""

from __future__ import annotations

import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import Any

from bot.replies import describe_size
from facts.errors import FactsError

TABLE_EXTENSIONS = (".csv", ".tsv")
TABLE_FILETYPES = frozenset({"csv", "tsv"})
DOWNLOAD_TIMEOUT_SECONDS = 30
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


def download_file(shared: SharedFile, *, token: str, limit: int, api_base_url: str = "") -> bytes:
    """Download ``shared`` with the bot token, refusing more than ``limit`` bytes.

    Args:
        shared: the file.
        token: the bot token, sent as a Bearer header.
        limit: the most bytes accepted.
        api_base_url: the Slack Web API address in use, if not Slack's own (its host is trusted too).

    Raises:
        FactsError: the file could not be downloaded, is stored off Slack, was not a file, or is too
            large.
    """
    if not shared.url.startswith(("https://", "http://")):
        raise FactsError(f"Slack gave no download address for {shared.name}.", "Please send it again.")
    if not is_slack_address(shared.url, api_base_url):
        # An external file's address points anywhere; the bot token must never be sent there.
        raise FactsError(
            f"I only download files from Slack, and {shared.name} is stored somewhere else.",
            "Upload the file itself to Slack, then send it again.",
        )
    request = urllib.request.Request(shared.url, headers={"Authorization": f"Bearer {token}"})
    try:
        with urllib.request.urlopen(request, timeout=DOWNLOAD_TIMEOUT_SECONDS) as response:
            content_type = response.headers.get("Content-Type", "")
            data: bytes = response.read(limit + 1)
    except OSError as error:
        raise FactsError(
            f"I could not download {shared.name} from Slack.", "Please send it again."
        ) from error
    if content_type.startswith("text/html"):
        # Slack's sign-in page: the token lacks files:read.
        raise FactsError(
            f"Slack would not let me read {shared.name}.",
            "Make sure the app has the files:read scope, then send the file again.",
        )
    if len(data) > limit:
        raise FactsError(
            f"{shared.name} is larger than the {describe_size(limit)} I accept.",
            "Split it into smaller CSV files and send them one at a time.",
        )
    return data


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
