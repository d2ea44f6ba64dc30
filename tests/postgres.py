"""A throwaway PostgreSQL/PostGIS cluster for the tests: Debian's server binaries (installed by
the set-up), a data folder of its own, a free port on 127.0.0.1, trust authentication for the
test role, run as the ``postgres`` system user when the tests run as root (as CI does), and
removed when the session ends. Each test gets a fresh database of its own."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import uuid
from pathlib import Path

from tests.servers import free_port

BIN = Path("/usr/lib/postgresql/15/bin")
ROLE = "atlas"


class Cluster:
    """One running PostgreSQL server; ``database()`` makes a new empty database with PostGIS."""

    def __init__(self) -> None:
        if not (BIN / "postgres").is_file():
            raise RuntimeError(f"PostgreSQL 15 is not installed at {BIN}: `make test` installs postgresql-15-postgis-3")
        self.folder = Path(tempfile.mkdtemp(prefix="atlas-pg-"))
        self.data = self.folder / "data"
        self.port = free_port()
        os.chmod(self.folder, 0o755)
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres", "postgres")
        self._run("initdb", "-D", str(self.data), "-U", ROLE, "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8")
        options = f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.folder} -c fsync=off"
        self._run("pg_ctl", "-D", str(self.data), "-o", options, "-l", str(self.folder / "log"), "-w", "start")
        self.admin_url = self.url("postgres")
        self._sql("CREATE DATABASE atlas_template")
        self._sql("CREATE EXTENSION postgis", database="atlas_template")

    def url(self, database: str) -> str:
        return f"postgresql://{ROLE}@127.0.0.1:{self.port}/{database}"

    def database(self) -> str:
        """The URL of a new database (PostGIS installed, no atlas tables yet)."""
        name = f"atlas_{uuid.uuid4().hex[:12]}"
        self._sql(f"CREATE DATABASE {name} TEMPLATE atlas_template")
        return self.url(name)

    def stop(self) -> None:
        try:
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)

    def _sql(self, statement: str, database: str = "postgres") -> None:
        import psycopg

        with psycopg.connect(self.url(database), autocommit=True) as connection:
            connection.execute(statement)

    def _run(self, program: str, *args: str) -> None:
        command = [str(BIN / program), *args]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, capture_output=True, cwd=self.folder, timeout=120)
