"""Questions answered while a large Slack upload is previewed, against the web process as deployed.

    python -m bench.upload_answers --rows 2000000     # target: preview <= 20 s, <= 256 MB

Starts, on 127.0.0.1 only, a fake Slack (Web API, response_urls, the uploaded file at its
``url_private_download``) in a process of its own, and the web process as the Procfile's ``web:``
line runs it (uvicorn, two workers) on a new seeded database. Then:

1. **quiet**: ``--questions`` signed slash commands, one every ``--interval`` seconds, no upload;
2. **upload**: an admin's ``file_share`` DM event naming a figures file of ``--rows`` new shows
   (bench.upload_preview's file), which the bot downloads from the fake and previews; while the
   preview runs, the same questions at the same pace (at most ``--questions``, until the preview
   message reaches the fake Slack or ``--max-seconds`` pass).

Each question's latency runs from sending it to its answer reaching its response_url on the fake;
the preview's from sending the event to the preview (chat.postMessage in the DM) reaching the fake;
the download's start and end are logged by the fake too.
Every 50 ms the server's processes (the uvicorn parent, its workers and any child of theirs) are
read in /proc: the peak of each one's VmHWM and the peak of their VmRSS summed. Prints (and writes
to ``bench/out/upload-answers.json``) p50/p99/max of both phases' answers, the preview's wall time
and the memory figures. Every loop is bounded in count and time; both servers are stopped at the end.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import signal
import subprocess
import tempfile
import threading
import time
import urllib.parse
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Any

from bench.load_slack import (
    BOT_TOKEN,
    COMMANDS,
    LOOPBACK,
    REPO,
    SIGNING_SECRET,
    QuietHandler,
    encode_request,
    free_port,
    nearest_rank,
    procfile_command,
    read_status,
    signed_headers,
    wait_until_ready,
    write_results,
)
from bench.upload_preview import write_upload

TEAM = "TBENCH"
ADMIN = "UADMIN"
DM = "D0BENCH"
FILE_ID = "FBENCH"
FILE_NAME = "figures.csv"
PREVIEW_WAIT_S = 180.0
ANSWER_WAIT_S = 30.0
SAMPLE_S = 0.05
SEND_TIMEOUT_S = 30.0
SERVE_CHUNK = 1 << 20
# What the fake logs once it has sent the whole upload.
DOWNLOADED = "(download sent)"
# The bot refuses uploads over its limit before downloading; a 2M-row file is ~93 MB.
UPLOAD_LIMIT_MB = 200
# Answers slower than this are listed with when they were asked.
SLOW_MS = 150.0
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def serve_fake_slack(port: int, log: Path, upload: Path) -> None:
    """Serve the fake Slack on ``port`` until terminated: every call logged to ``log`` as a JSON line
    (path, ``time.monotonic()``, the text of a chat.postMessage), ``upload`` served as FILE_ID."""
    lock = threading.Lock()
    sink = log.open("a", encoding="utf-8")

    def record(path: str, text: str = "") -> None:
        with lock:
            sink.write(json.dumps({"path": path, "at": time.monotonic(), "text": text}) + "\n")
            sink.flush()

    class Handler(QuietHandler):
        def do_POST(self) -> None:
            raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            path = urllib.parse.urlsplit(self.path).path
            if path.startswith("/files/"):
                record(path)
                self._send_file()
                record(DOWNLOADED)
                return
            record(path, posted_text(raw))
            self.send_json(fake_reply(path, upload))

        do_GET = do_POST

        def _send_file(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/csv")
            self.send_header("Content-Length", str(upload.stat().st_size))
            self.end_headers()
            with upload.open("rb") as handle:
                while chunk := handle.read(SERVE_CHUNK):
                    self.wfile.write(chunk)

    server = ThreadingHTTPServer((LOOPBACK, port), Handler)
    server.daemon_threads = True
    server.serve_forever()


def file_info(base: str, upload: Path) -> dict[str, Any]:
    """The Slack file object of the upload, served by the fake at ``base``."""
    url = f"{base}/files/{FILE_ID}/download"
    size = upload.stat().st_size
    return {"id": FILE_ID, "name": FILE_NAME, "filetype": "csv", "size": size, "url_private_download": url}


def fake_reply(path: str, upload: Path) -> dict[str, Any]:
    """The fake Slack's answer to one Web API call."""
    if path.endswith("auth.test"):
        return {"ok": True, "user_id": "UBOT", "bot_id": "BBOT", "team_id": TEAM, "user": "showfacts"}
    if path.endswith("users.info"):
        return {"ok": True, "user": {"id": "UASKER", "team_id": TEAM, "is_admin": False}}
    return {"ok": True, "ts": f"{time.time():.6f}", "channel": DM}


def posted_text(raw: bytes) -> str:
    """The ``text`` of a JSON or form post (a chat.postMessage), its first 160 characters."""
    try:
        body = json.loads(raw)
    except ValueError:
        body = dict(urllib.parse.parse_qsl(raw.decode("utf-8", "replace")))
    return str(body.get("text", ""))[:160] if isinstance(body, dict) else ""


class FakeSlack:
    """The fake Slack's process and its log."""

    def __init__(self, scratch: Path, upload: Path) -> None:
        self.log = scratch / "fake-slack.jsonl"
        self.port = free_port()
        self.upload = upload
        context = multiprocessing.get_context("fork")
        self.process = context.Process(
            target=serve_fake_slack, args=(self.port, self.log, upload), daemon=True
        )
        self.process.start()
        self.base = f"http://{LOOPBACK}:{self.port}"

    def records(self) -> list[dict[str, Any]]:
        if not self.log.exists():
            return []
        return [json.loads(line) for line in self.log.read_text(encoding="utf-8").splitlines() if line]

    def answers(self) -> dict[str, float]:
        """The first response_url post time of every question answered, by its id."""
        found: dict[str, float] = {}
        for record in self.records():
            if record["path"].startswith("/response/"):
                found.setdefault(record["path"].split("/")[2], record["at"])
        return found

    def first(self, path: str) -> float | None:
        """When the fake first logged ``path``."""
        return next((r["at"] for r in self.records() if r["path"] == path), None)

    def preview(self) -> dict[str, Any] | None:
        """The first chat.postMessage (the preview, or a refusal) once it has arrived."""
        return next((r for r in self.records() if r["path"].endswith("chat.postMessage")), None)

    def close(self) -> None:
        self.process.terminate()
        self.process.join(timeout=5)


def question(key: str, index: int, base: str) -> tuple[bytes, dict[str, str]]:
    """A signed slash command (the load benchmark's mix, in turn) answering to /response/``key``."""
    command, text = COMMANDS[index % len(COMMANDS)]
    fields = {
        "team_id": TEAM,
        "channel_id": f"C{index % 20:04d}",
        "user_id": f"U{index:05d}",
        "command": command,
        "text": text,
        "api_app_id": "ABENCH",
        "response_url": f"{base}/response/{key}",
        "trigger_id": f"trigger-{key}",
    }
    body = urllib.parse.urlencode(fields).encode()
    return body, signed_headers(body, "application/x-www-form-urlencoded")


def upload_event(base: str, upload: Path) -> tuple[bytes, dict[str, str]]:
    """A signed ``file_share`` DM event from an admin, as Slack sends an upload to the bot."""
    event = {
        "type": "message",
        "subtype": "file_share",
        "channel_type": "im",
        "channel": DM,
        "user": ADMIN,
        "text": "",
        "ts": f"{time.time():.6f}",
        "files": [file_info(base, upload)],
    }
    payload = {"type": "event_callback", "team_id": TEAM, "api_app_id": "ABENCH", "event": event}
    body = json.dumps({**payload, "event_id": "EvBENCH", "event_time": int(time.time())}).encode()
    return body, signed_headers(body, "application/json")


def post(url: str, body: bytes, headers: dict[str, str]) -> tuple[int, float, float]:
    """POST over a plain socket; return the status, the send time and the acknowledgement latency."""
    import socket

    parts = urllib.parse.urlsplit(url)
    started = time.monotonic()
    try:
        with socket.create_connection((parts.hostname, parts.port), timeout=SEND_TIMEOUT_S) as conn:
            conn.sendall(encode_request(url, body, headers))
            status = read_status(conn)
    except (OSError, ValueError):
        status = 0
    return status, started, time.monotonic() - started


class MemoryWatch:
    """Samples VmHWM and VmRSS of a process and all its descendants until stopped."""

    def __init__(self, root: int) -> None:
        self.root = root
        self.peaks: dict[int, tuple[str, int]] = {}
        self.peak_sum_kib = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(SAMPLE_S):
            self.sample()

    def sample(self) -> None:
        total = 0
        for pid in descendants(self.root):
            status = read_status_kib(pid)
            if not status:
                continue
            total += status.get("VmRSS", 0)
            name, peak = self.peaks.get(pid, (process_name(pid), 0))
            self.peaks[pid] = (name, max(peak, status.get("VmHWM", 0)))
        self.peak_sum_kib = max(self.peak_sum_kib, total)

    def stop(self) -> None:
        self.sample()
        self._stop.set()
        self._thread.join(timeout=5)


def descendants(root: int) -> list[int]:
    """``root`` and every process below it (from /proc/PID/task/*/children)."""
    found, queue = [], [root]
    while queue and len(found) < 1000:
        pid = queue.pop()
        found.append(pid)
        for task in Path(f"/proc/{pid}/task").glob("*/children"):
            try:
                queue += [int(child) for child in task.read_text().split()]
            except OSError:
                continue
    return found


def read_status_kib(pid: int) -> dict[str, int]:
    try:
        lines = Path(f"/proc/{pid}/status").read_text().splitlines()
    except OSError:
        return {}
    fields = (line.split(":", 1) for line in lines if line.startswith(("VmHWM", "VmRSS")))
    return {name: int(value.split()[0]) for name, value in fields}


def cpu_seconds(root: int) -> dict[int, float]:
    """User + system CPU seconds so far of ``root`` and every process below it, by pid."""
    spent = {}
    for pid in descendants(root):
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        spent[pid] = (int(fields[11]) + int(fields[12])) / CLOCK_TICKS
    return spent


def process_name(pid: int) -> str:
    try:
        words = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return "?"
    return " ".join(word.decode(errors="replace") for word in words if word)[:100]


def ask_until(
    url: str, fake: FakeSlack, phase: str, args: argparse.Namespace, done: Any
) -> list[tuple[str, int, float, float]]:
    """Send questions every ``args.interval`` s until ``done()`` or the count or time bound."""
    sent = []
    deadline = time.monotonic() + args.max_seconds
    for index in range(args.questions):
        if done() or time.monotonic() > deadline:
            break
        key = f"{phase}{index}"
        status, started, ack = post(url, *question(key, index, fake.base))
        sent.append((key, status, started, ack))
        time.sleep(max(0.0, started + args.interval - time.monotonic()))
    return sent


def wait_answers(fake: FakeSlack, keys: list[str]) -> dict[str, float]:
    deadline = time.monotonic() + ANSWER_WAIT_S
    while time.monotonic() < deadline:
        answers = fake.answers()
        if all(key in answers for key in keys):
            return answers
        time.sleep(0.1)
    return fake.answers()


def summarise(
    sent: list[tuple[str, int, float, float]], answers: dict[str, float], since: float
) -> dict[str, Any]:
    """p50/p99/max of the acknowledgements and of the answers (ms), how many arrived, and the
    slow answers (over SLOW_MS) as [seconds after ``since`` the question was sent, latency]."""
    acks = [ack * 1000 for _, status, _, ack in sent if status == 200]
    answered = [(answers[key] - started) * 1000 for key, _, started, _ in sent if key in answers]

    def spread(values: list[float]) -> dict[str, float | None]:
        if not values:
            return {"p50": None, "p99": None, "max": None}
        return {
            "p50": round(nearest_rank(values, 0.5), 1),
            "p99": round(nearest_rank(values, 0.99), 1),
            "max": round(max(values), 1),
        }

    slow = [
        [round(started - since, 2), round((answers[key] - started) * 1000)]
        for key, _, started, _ in sent
        if key in answers and (answers[key] - started) * 1000 > SLOW_MS
    ]
    return {
        "sent": len(sent),
        "acknowledged": len(acks),
        "answered": len(answered),
        "ack_ms": spread(acks),
        "answer_ms": spread(answered),
        "slow": slow,
    }


def run(args: argparse.Namespace, scratch: Path) -> dict[str, Any]:
    """Write the upload, start both servers, run both phases, stop both servers."""
    upload = scratch / FILE_NAME
    write_upload(upload, args.rows)
    fake = FakeSlack(scratch, upload)
    port = free_port()
    env = {
        **os.environ,
        "PORT": str(port),
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_BASE_URL": fake.base + "/api/",
        "SHOWFACTS_DB": str(scratch / "facts.db"),
        "SHOWFACTS_ADMINS": ADMIN,
        "SHOWFACTS_MAX_UPLOAD_MB": str(UPLOAD_LIMIT_MB),
    }
    env.pop("SLACK_APP_TOKEN", None)
    command = procfile_command(port, args.web)
    process = subprocess.Popen(
        command,
        cwd=REPO,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=(scratch / "server.log").open("wb"),
        start_new_session=True,
    )
    try:
        url = f"http://{LOOPBACK}:{port}/slack/events"
        wait_until_ready(url, process)
        results = measure(args, fake, url, process.pid, upload)
        results["command"] = " ".join(command)
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        fake.close()
    log = (scratch / "server.log").read_text(encoding="utf-8", errors="replace").splitlines()
    results["server_errors"] = [line for line in log if "Traceback" in line or "ERROR" in line][:10]
    return results


def measure(args: argparse.Namespace, fake: FakeSlack, url: str, server: int, upload: Path) -> dict[str, Any]:
    """The quiet phase, then the upload with questions during its preview."""
    watch = MemoryWatch(server)
    load = [os.getloadavg()]
    quiet_at = time.monotonic()
    quiet = ask_until(url, fake, "q", args, lambda: False)
    quiet_answers = wait_answers(fake, [key for key, *_ in quiet])
    time.sleep(1.0)  # let the last answers' work settle before the upload
    cpu_before = cpu_seconds(server)
    status, sent_at, _ = post(url, *upload_event(fake.base, upload))
    during = ask_until(url, fake, "u", args, lambda: fake.preview() is not None)
    deadline = sent_at + PREVIEW_WAIT_S
    while fake.preview() is None and time.monotonic() < deadline:
        time.sleep(0.1)
    preview = fake.preview()
    cpu_after = cpu_seconds(server)
    during_answers = wait_answers(fake, [key for key, *_ in during])
    watch.stop()
    load.append(os.getloadavg())
    return {
        "rows": args.rows,
        "file_mb": round(upload.stat().st_size / 1e6, 1),
        "interval_s": args.interval,
        "quiet": summarise(quiet, quiet_answers, quiet_at),
        "during_preview": summarise(during, during_answers, sent_at),
        "upload_status": status,
        "preview_s": round(preview["at"] - sent_at, 2) if preview else None,
        "download_s_from_to": [
            round(at - sent_at, 2) if at else None
            for at in (fake.first(f"/files/{FILE_ID}/download"), fake.first(DOWNLOADED))
        ],
        "preview_text": preview["text"] if preview else "(no preview within the wait)",
        "peak_vmhwm_mb": {f"{pid} {name}": round(kib / 1024) for pid, (name, kib) in watch.peaks.items()},
        "peak_rss_sum_mb": round(watch.peak_sum_kib / 1024),
        "cpu_s_during_preview": {
            f"{pid} {process_name(pid)}": round(spent - cpu_before.get(pid, 0.0), 2)
            for pid, spent in cpu_after.items()
        },
        "load_average_start_end": load,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--rows", type=int, default=2_000_000)
    parser.add_argument("--questions", type=int, default=300, help="at most this many in each phase")
    parser.add_argument("--interval", type=float, default=0.1, help="seconds between questions")
    parser.add_argument("--max-seconds", type=float, default=120.0, help="longest a phase asks for")
    parser.add_argument("--web", default="", help="server command instead of the Procfile's web: line")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="showfacts-upload-answers-") as folder:
        results = run(args, Path(folder))
    write_results(results, "upload-answers.json")


if __name__ == "__main__":
    main()
