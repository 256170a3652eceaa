"""A throwaway PostgreSQL server for the tests (no mocks, no shared server).

``pg_server`` (session scope) runs Debian's PostgreSQL binaries: ``initdb`` into a temporary
directory (owned by the ``postgres`` OS user when the tests run as root, as initdb refuses root),
``pg_ctl start`` on a free TCP port bound to 127.0.0.1 (and a unix socket in that directory),
password authentication over TCP; at the end the server is stopped and the directory removed.
``pg_server.new_database()`` creates an empty database and returns its URL. Tests that use it
are skipped, with the reason, only when no PostgreSQL binaries (or no psycopg) are installed.
Install them with ``apt-get install postgresql`` (``.ci/run`` does so when running as root).
"""
from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from pathlib import Path

import pytest

USER, PASSWORD = "rasid", "s3cret-pw"


def pg_bindir() -> Path | None:
    """The directory of initdb/pg_ctl: Debian's /usr/lib/postgresql/N/bin (newest), else PATH."""
    def version(path: str) -> int:
        v = Path(path).parts[-3]
        return int(v) if v.isdigit() else 0

    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=version)
    if found:
        return Path(found[-1]).parent
    which = shutil.which("initdb")
    return Path(which).parent if which else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PgServer:
    def __init__(self, bindir: Path) -> None:
        self.bindir = bindir
        self.root = Path(tempfile.mkdtemp(prefix="rasid-pg-"))
        self.data = self.root / "data"
        self.port = 0
        self.as_postgres = os.geteuid() == 0
        if self.as_postgres:
            import pwd

            pw = pwd.getpwnam("postgres")  # KeyError: no such user, handled by the fixture
            os.chown(self.root, pw.pw_uid, pw.pw_gid)

    def _run(self, *args: str, timeout: int = 120) -> subprocess.CompletedProcess:
        cmd = [str(self.bindir / args[0]), *args[1:]]
        if self.as_postgres:
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, cwd=self.root)

    def start(self) -> None:
        pwfile = self.root / "pw"
        pwfile.write_text(PASSWORD + "\n")
        if self.as_postgres:
            shutil.chown(pwfile, "postgres")
        r = self._run("initdb", "-D", str(self.data), "-U", USER, f"--pwfile={pwfile}", "-E", "UTF8",
                      "--locale=C.UTF-8", "--auth-local=trust", "--auth-host=scram-sha-256")
        if r.returncode:
            raise RuntimeError(f"initdb failed: {r.stderr or r.stdout}")
        for _ in range(3):  # a port taken between choosing and binding: try another
            self.port = _free_port()
            opts = (f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off "
                    "-c synchronous_commit=off -c full_page_writes=off -c max_connections=60")
            r = self._run("pg_ctl", "-D", str(self.data), "-l", str(self.root / "server.log"), "-w",
                          "-t", "60", "-o", opts, "start")
            if r.returncode == 0:
                return
        log = (self.root / "server.log").read_text(errors="replace")[-2000:]
        raise RuntimeError(f"pg_ctl start failed: {r.stderr or r.stdout}\n{log}")

    def stop(self) -> None:
        try:
            if (self.data / "postmaster.pid").exists():
                self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop", timeout=60)
        finally:
            shutil.rmtree(self.root, ignore_errors=True)

    def url(self, db: str = "postgres", password: str = PASSWORD) -> str:
        return f"postgresql://{USER}:{password}@127.0.0.1:{self.port}/{db}"

    def new_database(self, prefix: str = "rasid") -> str:
        """An empty database; returns its URL."""
        import psycopg

        name = f"{prefix}_{uuid.uuid4().hex[:10]}"
        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)


@pytest.fixture(scope="session")
def pg_server():
    bindir = pg_bindir()
    if bindir is None:
        pytest.skip("no PostgreSQL binaries installed (initdb/pg_ctl); apt-get install postgresql")
    pytest.importorskip("psycopg", reason="the psycopg driver is not installed: pip install 'rasid[postgres]'")
    try:
        server = PgServer(bindir)
    except KeyError:
        pytest.skip("running as root but there is no 'postgres' OS user to run the server as")
    try:
        server.start()
    except BaseException:
        server.stop()
        raise
    yield server
    from rasid.kb import postgres

    with postgres._POOL_LOCK:  # idle pooled connections to this server die with it
        for url in [u for u in postgres._POOL if f":{server.port}/" in u]:
            for conn in postgres._POOL.pop(url):
                conn.close()
    server.stop()
