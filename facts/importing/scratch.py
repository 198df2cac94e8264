"""Where staging databases live, and how those of killed imports are removed.

Each staging database ``NAME.db`` sits in a directory of its own (:func:`staging_dir`) beside a lock
file ``NAME.lock`` on which its process holds an exclusive ``flock`` for the database's lifetime. The
kernel (or, on NFS, the lock manager) drops that lock when the process dies however it dies, so
a lock file that can be locked belongs to nobody: :func:`remove_orphans`, run as every import
starts, deletes its database and then itself. A database in use, by any process on any host
sharing the directory, is never touched. ``NAME`` holds the host and pid of its owner, for the
people looking at the directory.
"""

from __future__ import annotations

import fcntl
import os
import re
import socket
import tempfile
import threading
from pathlib import Path

PREFIX = "showfacts-import-"
LOCK_SUFFIX = ".lock"
DB_SUFFIX = ".db"
DEFAULT_DIR_NAME = "showfacts-staging"
# Attempts at a lock file that no cleaner took between its creation and its lock (one is the norm).
CREATE_ATTEMPTS = 5

# The lock files this process holds: never opened by its own cleaner, whose closing them would
# drop the owner's lock where flock is emulated by POSIX locks (NFS).
_held: set[Path] = set()
_held_lock = threading.Lock()


def staging_dir(directory: Path | None) -> Path:
    """The directory of the staging databases: ``directory``, or one in the system's temp dir."""
    return directory if directory is not None else Path(tempfile.gettempdir()) / DEFAULT_DIR_NAME


class LockedPath:
    """A new staging database's path, with the lock that says it is in use held until :meth:`release`."""

    def __init__(self, directory: Path) -> None:
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        self.lock_path, self._fd = _locked_lock_file(directory)
        self.path = self.lock_path.with_suffix(DB_SUFFIX)
        # Created here, readable by its owner only; SQLite opens it as an empty database.
        os.close(os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))

    def release(self) -> None:
        """Delete the database, then the lock file, then drop the lock."""
        _remove_database(self.path)
        self.lock_path.unlink(missing_ok=True)
        with _held_lock:
            _held.discard(self.lock_path)
        os.close(self._fd)


def remove_orphans(directory: Path) -> int:
    """Delete the staging databases in ``directory`` whose process has gone; return how many."""
    try:
        names = [path for path in directory.iterdir() if _is_lock_file(path.name)]
    except FileNotFoundError:
        return 0
    with _held_lock:
        names = [path for path in names if path not in _held]
    return sum(_remove_if_orphaned(path) for path in names)


def _locked_lock_file(directory: Path) -> tuple[Path, int]:
    for _ in range(CREATE_ATTEMPTS):
        fd, name = tempfile.mkstemp(prefix=f"{PREFIX}{_owner()}-", suffix=LOCK_SUFFIX, dir=directory)
        path = Path(name)
        with _held_lock:
            _held.add(path)
        if _lock(fd) and _still_at(fd, path):
            return path, fd
        with _held_lock:  # a cleaner took it for an orphan in between: try another name
            _held.discard(path)
        os.close(fd)
    raise OSError(f"could not lock a staging file in {directory}")


def _remove_if_orphaned(lock_path: Path) -> bool:
    try:
        fd = os.open(lock_path, os.O_RDWR)  # write access: NFS emulates flock by POSIX locks
    except OSError:  # its owner finished, another cleaner removed it, or it is not ours to open
        return False
    try:
        if not (_lock(fd) and _still_at(fd, lock_path)):
            return False  # in use
        _remove_database(lock_path.with_suffix(DB_SUFFIX))
        lock_path.unlink(missing_ok=True)  # last, while locked: nobody takes the name meanwhile
        return True
    except OSError:  # not ours to delete: left to its owner
        return False
    finally:
        os.close(fd)


def _remove_database(path: Path) -> None:
    for suffix in ("", "-journal", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def _lock(fd: int) -> bool:
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _still_at(fd: int, path: Path) -> bool:
    """Whether ``path`` still names the file open on ``fd`` (a cleaner may have removed it)."""
    try:
        named, opened = os.stat(path), os.fstat(fd)
    except FileNotFoundError:
        return False
    return (named.st_dev, named.st_ino) == (opened.st_dev, opened.st_ino)


def _owner() -> str:
    host = re.sub(r"[^A-Za-z0-9.]+", "_", socket.gethostname())[:40] or "host"
    return f"{host}-{os.getpid()}"


def _is_lock_file(name: str) -> bool:
    return name.startswith(PREFIX) and name.endswith(LOCK_SUFFIX)
