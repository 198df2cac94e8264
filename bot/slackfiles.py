"""Fetching files people share with the bot, safely.

The size limit is checked on Slack's metadata before anything is downloaded, and again while
reading (metadata can be wrong). Downloads send the bot token as a Bearer header: without it Slack
answers with its HTML sign-in page instead of the file.
"""

from __future__ import annotations

import urllib.request
from dataclasses import dataclass
from typing import Any

from bot.replies import describe_size
from facts.errors import FactsError

TABLE_EXTENSIONS = (".csv", ".tsv")
TABLE_FILETYPES = frozenset({"csv", "tsv"})
DOWNLOAD_TIMEOUT_SECONDS = 30


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


def download_file(shared: SharedFile, *, token: str, limit: int) -> bytes:
    """Download ``shared`` with the bot token, refusing more than ``limit`` bytes.

    Raises:
        FactsError: the file could not be downloaded, was not a file, or is too large.
    """
    if not shared.url.startswith(("https://", "http://")):
        raise FactsError(f"Slack gave no download address for {shared.name}.", "Please send it again.")
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
