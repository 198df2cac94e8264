"""Load test of the Slack web process: concurrent signed slash commands against it, loopback only.

Starts, on 127.0.0.1 only:

- a fake Slack Web API (``SLACK_API_BASE_URL``) that answers every method ``ok`` and records the
  ``response_url`` posts the bot makes with its answers;
- the web process exactly as the Procfile's ``web:`` line runs it (uvicorn, two worker processes),
  or as ``--web`` says, on a copy-free fact database (``--db``; the seed by default);

optionally opens ``--stalled`` connections that send their headers and one byte of body and then
stall (slow clients, or an attacker holding connections), and then sends ``--requests`` signed
slash commands (``/viewers``, ``/cast``, ``/whois``, ``/showfacts``),
all at once from ``--concurrency`` client threads, and reports: how many were acknowledged (HTTP 200),
acknowledgement latency p50/p99/max, and how many answers reached their ``response_url`` (with the
p50/p99 from sending the command to receiving the answer). Every loop is bounded in count and time,
and the script stops both servers itself.

    python bench/load_slack.py --requests 200 --concurrency 200
    python bench/load_slack.py --stalled 16 --requests 20 --concurrency 1
    python bench/load_slack.py --stalled 16 --requests 3 --concurrency 1 --web \
        "gunicorn --chdir OLD_CHECKOUT --bind 0.0.0.0:$PORT --workers 2 --threads 4 --timeout 0 \
        'bot.server:create_wsgi_app()'"      # the server before issue 16 (gunicorn, WSGI)
    python bench/load_slack.py --db bench/out/n100000/bench.db
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import json
import multiprocessing
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
LOOPBACK = "127.0.0.1"
SIGNING_SECRET = "bench-signing-secret"
BOT_TOKEN = "xoxb-bench-token"
PROCFILE_WEB = "web:"
START_TIMEOUT_S = 60.0
REQUEST_TIMEOUT_S = 30.0
ANSWER_WAIT_S = 120.0
RECV_BYTES = 65536
STALL_SETTLE_S = 0.5
COMMANDS = (
    ("/viewers", "Lupin, Bridgerton"),
    ("/viewers", "brigerton"),
    ("/cast", "Emily in Paris"),
    ("/whois", "Lily Collins"),
    ("/showfacts", "who created emily in paris"),
    ("/showfacts", "top 5"),
    ("/showfacts", "how many people watched lupn?"),
)


class FakeSlackApi:
    """Slack's Web API and response URLs on a loopback port, in a process of its own (so that the
    load generator's threads do not slow it down): every call answered ``ok``, logged with its
    ``time.monotonic()`` (one clock for every process on the machine)."""

    def __init__(self, log: Path) -> None:
        self.log = log
        self.port = free_port()
        self.process = multiprocessing.get_context("fork").Process(
            target=serve_fake_slack, args=(self.port, log), daemon=True
        )
        self.process.start()

    @property
    def base(self) -> str:
        return f"http://{LOOPBACK}:{self.port}"

    def records(self) -> list[tuple[str, float]]:
        """Return (path, monotonic time) of every request so far."""
        if not self.log.exists():
            return []
        lines = self.log.read_text(encoding="utf-8").splitlines()
        return [(path, float(at)) for path, at in (line.rsplit(" ", 1) for line in lines if " " in line)]

    def answers(self) -> dict[str, float]:
        """Return the first response_url post time of every command index answered."""
        found: dict[str, float] = {}
        for path, at in self.records():
            if path.startswith("/response/"):
                found.setdefault(path.split("/")[2], at)
        return found

    def close(self) -> None:
        self.process.terminate()
        self.process.join(timeout=5)


class QuietHandler(BaseHTTPRequestHandler):
    """A request handler that logs nothing and answers JSON with :meth:`send_json`."""

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass

    def send_json(self, payload: dict[str, Any]) -> None:
        body = json.dumps(payload).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def serve_fake_slack(port: int, log: Path) -> None:
    """Serve the fake Slack API on ``port`` until terminated, logging every request to ``log``."""
    lock = threading.Lock()
    sink = log.open("a", encoding="utf-8")

    class Handler(QuietHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            self.rfile.read(length)
            with lock:
                sink.write(f"{self.path} {time.monotonic()}\n")
                sink.flush()
            self.send_json(fake_reply(self.path))

        do_GET = do_POST

    server = ThreadingHTTPServer((LOOPBACK, port), Handler)
    server.daemon_threads = True
    server.serve_forever()


def fake_reply(path: str) -> dict[str, Any]:
    """Return the fake Slack's answer to one Web API call."""
    if path.endswith("auth.test"):
        return {"ok": True, "user_id": "UBOT", "bot_id": "BBOT", "team_id": "TBENCH", "user": "showfacts"}
    if path.endswith("users.info"):
        return {"ok": True, "user": {"id": "UBENCH", "is_admin": False, "is_owner": False}}
    return {"ok": True, "ts": f"{time.time():.6f}"}


def procfile_command(port: int, web: str = "") -> list[str]:
    """Return the Procfile's ``web:`` command (or ``web``) with ``$PORT`` filled in, bound to loopback."""
    lines = (REPO / "Procfile").read_text(encoding="utf-8").splitlines()
    found = web or next((line[len(PROCFILE_WEB) :] for line in lines if line.startswith(PROCFILE_WEB)), "")
    if not found:
        raise SystemExit("Procfile has no web: line")
    command = found.strip().replace("$PORT", str(port)).replace("0.0.0.0", LOOPBACK)
    words = _split(command)
    program = Path(sys.executable).with_name(words[0])
    return [str(program) if program.exists() else words[0], *words[1:]]


def _split(command: str) -> list[str]:
    import shlex

    return shlex.split(command)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((LOOPBACK, 0))
        return int(probe.getsockname()[1])


def wait_until_ready(url: str, process: subprocess.Popen[bytes]) -> float:
    """Wait until the web process answers HTTP (servers bind before their workers have loaded the app).

    Returns:
        Seconds from now until the first HTTP answer of any status.
    """
    started = time.perf_counter()
    while time.perf_counter() - started < START_TIMEOUT_S:
        if process.poll() is not None:
            raise SystemExit(f"the web process exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=START_TIMEOUT_S):
                return time.perf_counter() - started
        except urllib.error.HTTPError:  # 404/405/401: the app is loaded and answering
            return time.perf_counter() - started
        except OSError:
            time.sleep(0.05)
    raise SystemExit("the web process did not answer in time")


def signed_command(index: int, fake_base: str, rng: random.Random) -> tuple[bytes, dict[str, str]]:
    """Return the body and headers of one signed slash command, its response_url on the fake."""
    command, text = rng.choice(COMMANDS)
    body = urllib.parse.urlencode(
        {
            "token": "legacy",
            "team_id": "TBENCH",
            "team_domain": "bench",
            "channel_id": f"C{index % 20:04d}",
            "channel_name": "bench",
            "user_id": f"U{index:05d}",
            "user_name": f"user{index}",
            "command": command,
            "text": text,
            "api_app_id": "ABENCH",
            "response_url": f"{fake_base}/response/{index}",
            "trigger_id": f"trigger-{index}",
        }
    ).encode()
    return body, signed_headers(body, "application/x-www-form-urlencoded")


def signed_headers(body: bytes, content_type: str) -> dict[str, str]:
    """Return the headers Slack sends with ``body``: its type, a timestamp of now and its signature."""
    timestamp = str(int(time.time()))
    base = f"v0:{timestamp}:".encode() + body
    signature = "v0=" + hmac.new(SIGNING_SECRET.encode(), base, hashlib.sha256).hexdigest()
    return {
        "Content-Type": content_type,
        "X-Slack-Request-Timestamp": timestamp,
        "X-Slack-Signature": signature,
    }


def send(
    url: str, body: bytes, headers: dict[str, str], barrier: threading.Barrier
) -> tuple[int, float, float]:
    """Post one command once every client thread is ready; return status, start time, latency.

    The request is written and the response read over a plain socket: urllib's opener chain and
    header parsing cost the 200 client threads about 2 ms of CPU a request, on the cores the server
    needs (an idle endpoint measured p99 ~210 ms with urllib, ~155 ms this way). The latency runs from
    before connecting until the last byte of the response.
    """
    request = encode_request(url, body, headers)
    parts = urllib.parse.urlsplit(url)
    barrier.wait(timeout=REQUEST_TIMEOUT_S)
    started = time.monotonic()
    try:
        with socket.create_connection((parts.hostname, parts.port), timeout=REQUEST_TIMEOUT_S) as conn:
            conn.sendall(request)
            status = read_status(conn)
    except (OSError, ValueError):
        status = 0
    return status, started, time.monotonic() - started


def encode_request(url: str, body: bytes, headers: dict[str, str]) -> bytes:
    """Return the bytes of an HTTP/1.1 POST of ``body`` to ``url``, closing the connection after."""
    parts = urllib.parse.urlsplit(url)
    lines = [f"POST {parts.path} HTTP/1.1", f"Host: {parts.netloc}", f"Content-Length: {len(body)}"]
    lines += ["Connection: close", *(f"{name}: {value}" for name, value in headers.items())]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


def read_status(conn: socket.socket) -> int:
    """Read one HTTP response to its last byte (its Content-Length, or the close); return the status."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(RECV_BYTES)
        if not chunk:
            raise ValueError("the connection closed before the response headers")
        data += chunk
    head, _, rest = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    fields = dict(line.lower().split(": ", 1) for line in lines[1:] if ": " in line)
    length = int(fields.get("content-length", -1))
    while length < 0 or len(rest) < length:
        chunk = conn.recv(RECV_BYTES)
        if not chunk:
            break
        rest += chunk
    return int(lines[0].split(" ", 2)[1])


def nearest_rank(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, int(round(share * len(ordered) + 0.5)) - 1))]


def run_load(args: argparse.Namespace) -> dict[str, Any]:
    """Start the fake Slack and the web process, fire the commands, and collect the figures."""
    scratch = Path(tempfile.mkdtemp(prefix="showfacts-load-"))
    fake = FakeSlackApi(scratch / "fake-slack.log")
    port = free_port()
    db = args.db or scratch / "facts.db"
    env = {
        **os.environ,
        "PORT": str(port),
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_BASE_URL": fake.base + "/api/",
        "SHOWFACTS_DB": str(db),
    }
    env.pop("SLACK_APP_TOKEN", None)
    command = procfile_command(port, args.web)
    process = subprocess.Popen(
        command, cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True
    )
    try:
        url = f"http://{LOOPBACK}:{port}/slack/events"
        startup = wait_until_ready(url, process)
        load_before = os.getloadavg()
        stalled = stall(url, args.stalled)
        try:
            results = fire(args, fake, url)
        finally:
            for conn in stalled:
                conn.close()
        results["stalled_connections"] = len(stalled)
        results["load_average_before_after"] = [load_before, os.getloadavg()]
        results.update({"command": " ".join(command), "startup_seconds": round(startup, 2), "db": str(db)})
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            _, err = process.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            _, err = process.communicate()
        fake.close()
    results["server_errors"] = [
        line for line in err.decode("utf-8", "replace").splitlines() if "Traceback" in line or "ERROR" in line
    ][:10]
    return results


def stall(url: str, count: int) -> list[socket.socket]:
    """Open ``count`` connections that send a request's headers and one byte of its body, then stall."""
    parts = urllib.parse.urlsplit(url)
    head = (
        f"POST {parts.path} HTTP/1.1\r\nHost: {parts.netloc}\r\n"
        "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\nc"
    ).encode()
    connections = []
    for _ in range(count):
        conn = socket.create_connection((parts.hostname, parts.port), timeout=REQUEST_TIMEOUT_S)
        conn.sendall(head)
        connections.append(conn)
    time.sleep(STALL_SETTLE_S)  # let the server take them all up before the real requests
    return connections


def fire(args: argparse.Namespace, fake: FakeSlackApi, url: str) -> dict[str, Any]:
    """Send every command concurrently and wait (bounded) for the answers to reach the fake."""
    rng = random.Random(args.seed)
    requests = [signed_command(i, fake.base, rng) for i in range(args.requests)]
    barrier = threading.Barrier(min(args.concurrency, args.requests))
    with ThreadPoolExecutor(max_workers=args.concurrency) as pool:
        futures = [pool.submit(send, url, body, headers, barrier) for body, headers in requests]
        outcomes = [f.result() for f in futures]
    deadline = time.monotonic() + ANSWER_WAIT_S
    while len(fake.answers()) < args.requests and time.monotonic() < deadline:
        time.sleep(0.1)
    acks = [latency * 1000 for status, _, latency in outcomes if status == 200]
    answers = fake.answers()
    answered = [(answers[str(i)] - outcomes[i][1]) * 1000 for i in range(args.requests) if str(i) in answers]
    return {
        "requests": args.requests,
        "concurrency": args.concurrency,
        "acknowledged": len(acks),
        "statuses": sorted({status for status, _, _ in outcomes}),
        "ack_p50_ms": round(nearest_rank(acks, 0.5), 1) if acks else None,
        "ack_p99_ms": round(nearest_rank(acks, 0.99), 1) if acks else None,
        "ack_max_ms": round(max(acks), 1) if acks else None,
        "answered": len(answered),
        "answer_p50_ms": round(nearest_rank(answered, 0.5), 1) if answered else None,
        "answer_p99_ms": round(nearest_rank(answered, 0.99), 1) if answered else None,
        "api_calls": dict(Counter(path for path, _ in fake.records() if path.startswith("/api/"))),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=200)
    parser.add_argument("--db", type=Path, help="fact database (default: a new one with the seed)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--stalled", type=int, default=0, help="slow connections held open meanwhile")
    parser.add_argument("--web", default="", help="server command instead of the Procfile's web: line")
    args = parser.parse_args()
    write_results(run_load(args), "load-slack.json")


def write_results(results: dict[str, Any], name: str) -> None:
    """Print ``results`` as JSON and write them to ``bench/out/name``."""
    out = REPO / "bench" / "out" / name
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
