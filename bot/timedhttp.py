"""urllib handlers whose every read waits at most the idle timeout or the time left to a deadline.

A socket timeout bounds one read only: a server sending a byte just before each one would hold
the reader for as long as it likes. Here each read of a connection (the status line, the headers
and every chunk of the body) is given ``min(idle, time left)``, so a download ends within its
deadline, give or take a scheduling delay, however the server paces its bytes.
"""

from __future__ import annotations

import functools
import http.client
import io
import socket
import ssl
import time
import urllib.request
from typing import Any


class DeadlinePassed(TimeoutError):
    """A read was cut off by the deadline (rather than by ``idle`` seconds without data)."""


class Deadline:
    """``seconds`` from now, with reads waiting at most ``idle`` seconds each."""

    def __init__(self, seconds: float, idle: float) -> None:
        self.seconds = seconds
        self.idle = idle
        self.at = time.monotonic() + seconds

    def next_timeout(self) -> float:
        """The timeout of the next read: ``idle``, or what is left of the deadline if less.

        Raises:
            DeadlinePassed: nothing is left.
        """
        left = self.at - time.monotonic()
        if left <= 0:
            raise DeadlinePassed(f"the {self.seconds:g} s deadline passed")
        return min(self.idle, left)


def timed_handlers(deadline: Deadline) -> list[urllib.request.BaseHandler]:
    """HTTP and HTTPS handlers for ``urllib.request.build_opener`` that keep to ``deadline``."""
    return [_TimedHTTPHandler(deadline), _TimedHTTPSHandler(deadline)]


class _TimedSocket:
    """A connected socket whose reading file sets each read's timeout from the deadline."""

    def __init__(self, sock: socket.socket, deadline: Deadline) -> None:
        self._sock = sock
        self._deadline = deadline

    def makefile(self, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        if mode != "rb":
            return self._sock.makefile(mode, *args, **kwargs)  # type: ignore[call-overload]
        # The socket's own raw file keeps it open until the response is read, as urllib expects.
        raw = self._sock.makefile("rb", buffering=0)
        return io.BufferedReader(_TimedReader(self._sock, raw, self._deadline))

    def __getattr__(self, name: str) -> Any:
        return getattr(self._sock, name)


class _TimedReader(io.RawIOBase):
    def __init__(self, sock: socket.socket, raw: Any, deadline: Deadline) -> None:
        self._sock = sock
        self._raw = raw
        self._deadline = deadline

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int | None:
        timeout = self._deadline.next_timeout()
        self._sock.settimeout(timeout)
        try:
            return self._raw.readinto(buffer)
        except TimeoutError as error:
            if timeout < self._deadline.idle:
                raise DeadlinePassed(f"the {self._deadline.seconds:g} s deadline passed") from error
            raise

    def close(self) -> None:
        self._raw.close()
        super().close()


class _TimedConnection(http.client.HTTPConnection):
    def __init__(self, *args: Any, deadline: Deadline, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.deadline = deadline

    def connect(self) -> None:
        self.timeout = self.deadline.next_timeout()
        super().connect()
        self.sock = _TimedSocket(self.sock, self.deadline)


class _TimedHTTPSConnection(_TimedConnection, http.client.HTTPSConnection):
    pass


class _TimedHTTPHandler(urllib.request.HTTPHandler):
    def __init__(self, deadline: Deadline) -> None:
        super().__init__()
        self.deadline = deadline

    def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(functools.partial(_TimedConnection, deadline=self.deadline), req)


class _TimedHTTPSHandler(urllib.request.HTTPSHandler):
    def __init__(self, deadline: Deadline) -> None:
        self.context = ssl.create_default_context()
        super().__init__(context=self.context)
        self.deadline = deadline

    def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        connection = functools.partial(_TimedHTTPSConnection, deadline=self.deadline)
        return self.do_open(connection, req, context=self.context)
