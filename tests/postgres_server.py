"""A real, throwaway PostgreSQL server for the state store's tests.

Started from the machine's own binaries (``initdb``/``pg_ctl`` on ``PATH`` or under
``/usr/lib/postgresql/*/bin``) in a temporary directory, listening only on a Unix socket there,
and stopped at the end of the session. As root, the server runs as the ``postgres`` user
(``initdb`` refuses root). Where no server binary exists, the tests that need it are skipped
with that reason.
"""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

__all__ = ["find_server_binaries", "throwaway_server"]


def find_server_binaries() -> Path | None:
    """The directory holding ``initdb`` and ``pg_ctl``, if this machine has one."""
    found = shutil.which("pg_ctl")
    if found and shutil.which("initdb"):
        return Path(found).parent
    candidates = sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)
    return next(
        (c for c in candidates if (c / "initdb").exists() and (c / "pg_ctl").exists()), None
    )


@contextmanager
def throwaway_server(binaries: Path, work: Path) -> Iterator[str]:
    """Run a server in ``work``; yields the URL of its ``postgres`` database."""
    owner = _server_user()
    data, sockets = work / "data", work / "sockets"
    sockets.mkdir(parents=True)
    if owner is not None:
        os.chown(work, owner.pw_uid, owner.pw_gid)
        os.chown(sockets, owner.pw_uid, owner.pw_gid)
    run = ["runuser", "-u", owner.pw_name, "--"] if owner is not None else []
    user = owner.pw_name if owner is not None else pwd.getpwuid(os.getuid()).pw_name
    subprocess.run(
        [*run, str(binaries / "initdb"), "-D", str(data), "-U", user, "-A", "trust", "-E", "UTF8"],
        check=True,
        capture_output=True,
    )
    options = f"-k {sockets} -c listen_addresses='' -c fsync=off -p 54329"
    subprocess.run(
        [
            *run,
            str(binaries / "pg_ctl"),
            "-D",
            str(data),
            "-o",
            options,
            "-w",
            "-l",
            str(work / "server.log"),
            "start",
        ],
        check=True,
        capture_output=True,
    )
    try:
        yield f"postgresql://{user}@/postgres?host={sockets}&port=54329"
    finally:
        subprocess.run(
            [*run, str(binaries / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"],
            check=False,
            capture_output=True,
        )


def _server_user() -> pwd.struct_passwd | None:
    """``postgres`` when running as root (the server will not), else None (ourselves)."""
    if os.getuid() != 0:
        return None
    try:
        return pwd.getpwnam("postgres")
    except KeyError:
        return pwd.getpwnam("nobody")
