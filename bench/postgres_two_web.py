"""Two web processes on one PostgreSQL database, both answering while the facts are replaced.

Starts, on loopback only: a PostgreSQL server (pgserver, as the tests do) holding the bundled seed
plus the Netflix files of ``tests/data/netflix_top10``; a fake Slack that records the answers the bot
posts to each ``response_url`` (and serves an admin's upload); and two web processes as the
Procfile's ``web:`` line runs them (uvicorn, ``--workers 1`` each, so two processes in all), both on
that database. Then it sends ``--requests`` signed ``/viewers Lupin, Bridgerton`` commands at
``--rate`` a second, alternating between the two processes, and a third of the way in changes both
figures at once (``--how``): ``upload``, an admin DMs the file to the first web process and clicks
Apply, so that process imports while both answer; ``import``, ``showfacts import`` from a third
process; ``migrate``, ``showfacts migrate --replace`` from a SQLite store holding the new figures.
It reports every command's acknowledgement, each answer as old, new or mixed (one figure from before
and one from after), when the change committed (the generation polled on a connection of its own),
and per process the commands sent after the commit still answered from the old facts.

    python bench/postgres_two_web.py --requests 300 --rate 20 --how upload
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.load_slack import (  # noqa: E402 (after the path is set)
    BOT_TOKEN,
    LOOPBACK,
    SIGNING_SECRET,
    encode_request,
    fake_reply,
    free_port,
    nearest_rank,
    procfile_command,
    read_status,
    signed_headers,
    wait_until_ready,
)

NETFLIX = REPO / "tests" / "data" / "netflix_top10"
OLD = ("82M", "70M")
NEW = ("83M", "71M")
CHANGED_FIGURES = (
    "show,viewers,window,platform\nBridgerton,83M,first 28 days,Netflix\nLupin,71M,first 28 days,Netflix\n"
)
ANSWER_WAIT_S = 60.0
ADMIN = "UADMIN"
TEAM = "TBENCH"
KINDS = ("old", "new", "mixed", "other")
COMMIT_POLL_S = 0.005
IMPORT_AT_SHARE = 1 / 3


class AnswerLog:
    """A fake Slack on a loopback port: every call answered ``ok``; response_url posts kept with the
    time they arrived; the admin's uploaded file served, and the messages posted kept (the preview)."""

    def __init__(self) -> None:
        self.answers: dict[int, tuple[float, str]] = {}
        self.messages: list[dict[str, Any]] = []
        log = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
                pass

            def do_GET(self) -> None:  # the uploaded file's download
                self.send(CHANGED_FIGURES.encode(), "application/octet-stream")

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                if self.path.startswith("/response/"):
                    text = json.loads(body or b"{}").get("text", "")
                    if self.path.split("/")[2].isdigit():
                        log.answers.setdefault(int(self.path.split("/")[2]), (time.monotonic(), text))
                if self.path.endswith("chat.postMessage"):
                    log.messages.append(parsed(body, self.headers.get("Content-Type", "")))
                self.send(json.dumps(log.reply(self.path)).encode(), "application/json")

            def send(self, data: bytes, content_type: str) -> None:
                self.send_response(200)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.server = ThreadingHTTPServer((LOOPBACK, free_port()), Handler)
        self.server.daemon_threads = True
        self.base = f"http://{LOOPBACK}:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def reply(self, path: str) -> dict[str, Any]:
        if path.endswith("users.info"):  # every user is an admin of the bot's workspace
            return {"ok": True, "user": {"id": ADMIN, "team_id": TEAM, "is_admin": True, "is_owner": False}}
        if path.endswith("files.info"):
            return {"ok": True, "file": self.file_info()}
        return fake_reply(path)

    def file_info(self) -> dict[str, Any]:
        return {
            "id": "FBENCH",
            "name": "changed.csv",
            "filetype": "csv",
            "size": len(CHANGED_FIGURES.encode()),
            "url_private": f"{self.base}/files/FBENCH",
            "url_private_download": f"{self.base}/files/FBENCH/download",
        }

    def apply_token(self) -> str:
        """The Apply button's value of the upload preview, once it has been posted."""
        deadline = time.monotonic() + ANSWER_WAIT_S
        while time.monotonic() < deadline:
            for message in self.messages:
                for block in json.loads(message.get("blocks") or "[]"):
                    for element in block.get("elements", []) if block.get("type") == "actions" else []:
                        if element.get("action_id") == "showfacts_apply":
                            return str(element["value"])
            time.sleep(0.01)
        raise SystemExit(f"no upload preview with an Apply button: {self.messages}")


def parsed(body: bytes, content_type: str) -> dict[str, Any]:
    """A Web API call's arguments (form or JSON; blocks as JSON text either way)."""
    if "json" in content_type:
        data: dict[str, Any] = json.loads(body or b"{}")
        if isinstance(data.get("blocks"), list):
            data["blocks"] = json.dumps(data["blocks"])
        return data
    return {key: values[0] for key, values in urllib.parse.parse_qs(body.decode()).items()}


def build_stores(folder: Path, url: str) -> Path:
    """Fill the database at ``url`` (seed + Netflix files); return a SQLite store with the new figures."""
    from facts.importing import apply_import, open_seeded, plan_import, read_paths
    from facts.postgres import PostgresStore, copy_facts

    files = sorted(path for path in NETFLIX.iterdir() if path.suffix == ".tsv")
    changed = folder / "changed.csv"
    changed.write_text(CHANGED_FIGURES, encoding="utf-8")
    new = folder / "new.db"
    with open_seeded(new) as store:
        apply_import(store, plan_import(store, read_paths(files)), user="bench")
        with PostgresStore.open(url) as target:
            copy_facts(store, target)
        apply_import(store, plan_import(store, read_paths([changed])), user="bench")
    return new


def signed(index: int, fake: str) -> tuple[bytes, dict[str, str]]:
    body = urllib.parse.urlencode(
        {
            "team_id": "TBENCH",
            "channel_id": "C0001",
            "user_id": f"U{index:05d}",
            "command": "/viewers",
            "text": "Lupin, Bridgerton",
            "api_app_id": "ABENCH",
            "response_url": f"{fake}/response/{index}",
            "trigger_id": f"trigger-{index}",
        }
    ).encode()
    return body, signed_headers(body, "application/x-www-form-urlencoded")


def upload_and_apply(fake: AnswerLog, events: str) -> tuple[float, float]:
    """An admin DMs the changed figures to ``events``' process and clicks Apply on its preview."""
    started = time.monotonic()
    event = {
        "type": "message",
        "subtype": "file_share",
        "channel_type": "im",
        "channel": "DBENCH",
        "user": ADMIN,
        "text": "",
        "ts": f"{time.time():.6f}",
        "files": [fake.file_info()],
    }
    envelope = {
        "team_id": TEAM,
        "api_app_id": "ABENCH",
        "event": event,
        "type": "event_callback",
        "event_id": "EvUPLOAD",
        "event_time": int(time.time()),
        "authorizations": [{"team_id": TEAM, "user_id": "UBOT", "is_bot": True}],
    }
    body = json.dumps(envelope).encode()
    post(events, body, signed_headers(body, "application/json"))
    payload = {
        "type": "block_actions",
        "team": {"id": TEAM, "domain": "bench"},
        "user": {"id": ADMIN, "username": "admin", "team_id": TEAM},
        "api_app_id": "ABENCH",
        "container": {"type": "message", "message_ts": "1.2", "channel_id": "DBENCH", "is_ephemeral": False},
        "trigger_id": "trigger-apply",
        "channel": {"id": "DBENCH", "name": "directmessage"},
        "response_url": f"{fake.base}/response/apply",
        "actions": [
            {"action_id": "showfacts_apply", "block_id": "b1", "value": fake.apply_token(), "type": "button"}
        ],
    }
    body = urllib.parse.urlencode({"payload": json.dumps(payload)}).encode()
    post(events, body, signed_headers(body, "application/x-www-form-urlencoded"))
    return started, time.monotonic()


def post(url: str, body: bytes, headers: dict[str, str]) -> tuple[int, float]:
    import socket

    parts = urllib.parse.urlsplit(url)
    started = time.monotonic()
    try:
        with socket.create_connection((parts.hostname, parts.port), timeout=10) as conn:
            conn.sendall(encode_request(url, body, headers))
            status = read_status(conn)
    except (OSError, ValueError):
        status = 0
    return status, (time.monotonic() - started) * 1000


def classify(text: str) -> str:
    """old, new, mixed (a figure from each), or other."""
    old = [figure in text for figure in OLD]
    new = [figure in text for figure in NEW]
    if all(old) and not any(new):
        return "old"
    if all(new) and not any(old):
        return "new"
    return "mixed" if any(old) and any(new) else "other"


def start_web(url: str, fake: str, folder: Path, name: str) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    env = {
        **os.environ,
        "PORT": str(port),
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_BASE_URL": fake + "/api/",
        "DATABASE_URL": url,
        "SHOWFACTS_ADMINS": ADMIN,
    }
    env.pop("SHOWFACTS_DB", None)
    env.pop("SLACK_APP_TOKEN", None)
    command = procfile_command(port)
    command[command.index("--workers") + 1] = "1"  # two processes in all, one per web
    process = subprocess.Popen(
        command,
        cwd=REPO,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=(folder / f"{name}.log").open("wb"),
        start_new_session=True,
    )
    events = f"http://{LOOPBACK}:{port}/slack/events"
    wait_until_ready(events, process)
    return process, events


def watch_commit(url: str, stop: threading.Event, seen: dict[str, float]) -> None:
    """Note when the generation first changes (the replace's commit), polling every few ms."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        query = "SELECT value FROM meta WHERE key = 'generation'"
        first = conn.execute(query).fetchone()
        while not stop.is_set():
            if conn.execute(query).fetchone() != first:
                seen["commit"] = time.monotonic()
                return
            time.sleep(COMMIT_POLL_S)


def replace_facts(args: argparse.Namespace, url: str, new: Path, folder: Path) -> tuple[float, float]:
    """Replace the facts from a process of its own; return its start and end (monotonic)."""
    if args.how == "upload":
        raise AssertionError("uploads are applied by upload_and_apply")
    showfacts = [sys.executable, "-c", "from bot.cli import main; main()"]
    if args.how == "import":
        command = [*showfacts, "--db", url, "import", str(folder / "changed.csv"), "--user", "bench"]
    else:
        command = [*showfacts, "--db", str(new), "migrate", "--to", url, "--replace"]
    started = time.monotonic()
    done = subprocess.run(command, cwd=REPO, capture_output=True, text=True, check=False)
    ended = time.monotonic()
    if done.returncode:
        raise SystemExit(f"replacing the facts failed: {done.stdout}{done.stderr}")
    return started, ended


def run(args: argparse.Namespace) -> dict[str, Any]:
    import pgserver  # the tests' server (pip install -e '.[test]')

    folder = Path(tempfile.mkdtemp(prefix="showfacts-two-web-"))
    server = pgserver.get_server(folder / "pg", cleanup_mode="delete")
    url = str(server.get_uri())
    fake = AnswerLog()
    new = build_stores(folder, url)
    webs = [start_web(url, fake.base, folder, f"web{n}") for n in (1, 2)]
    load_before = os.getloadavg()
    sent: list[tuple[int, float, int, float]] = []  # process, sent at, status, ack ms
    import_at = int(args.requests * IMPORT_AT_SHARE)
    replacing: dict[str, tuple[float, float]] = {}
    committed: dict[str, float] = {}
    stop = threading.Event()
    watcher = threading.Thread(target=watch_commit, args=(url, stop, committed), daemon=True)
    watcher.start()
    worker: threading.Thread | None = None
    try:
        for index in range(args.requests):
            if index == import_at:
                if args.how == "upload":
                    work = lambda: replacing.update(span=upload_and_apply(fake, webs[0][1]))  # noqa: E731
                else:
                    work = lambda: replacing.update(span=replace_facts(args, url, new, folder))  # noqa: E731
                worker = threading.Thread(target=work)
                worker.start()
            target = index % 2
            at = time.monotonic()
            status, ack_ms = post(webs[target][1], *signed(index, fake.base))
            sent.append((target, at, status, ack_ms))
            time.sleep(max(0.0, 1 / args.rate - (time.monotonic() - at)))
        if worker is not None:
            worker.join()
        deadline = time.monotonic() + ANSWER_WAIT_S
        while len(fake.answers) < args.requests and time.monotonic() < deadline:
            time.sleep(0.1)
    finally:
        stop.set()
        for process, _ in webs:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(20)
        server.cleanup()
    return report(
        args, sent, fake.answers, replacing.get("span"), committed.get("commit"), load_before, folder
    )


def report(
    args: argparse.Namespace,
    sent: list[tuple[int, float, int, float]],
    answers: dict[int, tuple[float, str]],
    span: tuple[float, float] | None,
    commit: float | None,
    load_before: tuple[float, float, float],
    folder: Path,
) -> dict[str, Any]:
    acks = [ack for _, _, status, ack in sent if status == 200]
    kinds = {index: classify(answers[index][1]) for index in answers}
    per_process: dict[str, Any] = {}
    for target in (0, 1):
        mine = [index for index, (process, *_) in enumerate(sent) if process == target]
        after = [i for i in mine if commit and sent[i][1] > commit]
        stale = [i for i in after if kinds.get(i) == "old"]
        per_process[f"web{target + 1}"] = {
            "commands": len(mine),
            "answers": {kind: sum(1 for i in mine if kinds.get(i) == kind) for kind in KINDS},
            "sent_after_commit_answered_old": len(stale),
            "commands_sent_after_commit": len(after),
            "first_new_answer_after_commit_s": next(
                (round(answers[i][0] - commit, 3) for i in mine if commit and kinds.get(i) == "new"), None
            ),
        }
    answered_ms = [(answers[i][0] - sent[i][1]) * 1000 for i in answers]
    return {
        "requests": args.requests,
        "rate_per_s": args.rate,
        "how": args.how,
        "acknowledged": len(acks),
        "statuses": sorted({status for _, _, status, _ in sent}),
        "ack_p50_ms": round(nearest_rank(acks, 0.5), 1) if acks else None,
        "ack_p99_ms": round(nearest_rank(acks, 0.99), 1) if acks else None,
        "answered": len(answers),
        "answer_p50_ms": round(nearest_rank(answered_ms, 0.5), 1) if answered_ms else None,
        "answer_p99_ms": round(nearest_rank(answered_ms, 0.99), 1) if answered_ms else None,
        "replace_seconds": round(span[1] - span[0], 2) if span else None,
        "commit_after_replace_start_s": round(commit - span[0], 2) if span and commit else None,
        "per_process": per_process,
        "load_average_before_after": [load_before, os.getloadavg()],
        "server_errors": [
            line
            for name in ("web1", "web2")
            for line in (folder / f"{name}.log").read_text(errors="replace").splitlines()
            if "Traceback" in line or "ERROR" in line
        ][:10],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--rate", type=float, default=20.0, help="commands a second")
    parser.add_argument(
        "--how",
        choices=("migrate", "import", "upload"),
        default="migrate",
        help="migrate --replace or import from a third process, or an admin's upload applied by web1",
    )
    args = parser.parse_args()
    results = run(args)
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
