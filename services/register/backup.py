"""Backups of the whole register (needs, companies, users, the audit log, everything) and their restore.

SQLite: the online backup API, a consistent copy while the app keeps running; the backup is itself an
SQLite register. PostgreSQL: ``pg_dump -Fc`` and ``pg_restore`` (the client programs must be installed;
they must be at least the server's major version). A restore goes only into an empty register, never over
one that holds data, and the restored register is upgraded to this version's schema (every row kept).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.engine import URL, make_url

from services.register import migrate
from services.register.schema import AuditRow, MetaRow, NeedRow, UserRow
from services.register.store import Register, make_engine, shown_url


class BackupProblem(RuntimeError):
    """Nothing was written: the reason says why (a file that exists, a missing program, a register with data)."""


@dataclass(frozen=True)
class Counts:
    needs: int
    users: int
    audit_entries: int

    def __str__(self) -> str:
        return f"{self.needs} needs, {self.users} users, {self.audit_entries} audit entries"


def counts(register: Register) -> Counts:
    with register.engine.connect() as conn:
        def n(model):
            return conn.execute(select(func.count()).select_from(model)).scalar_one()
        return Counts(n(NeedRow), n(UserRow), n(AuditRow))


def _sqlite_path(url: str) -> Path | None:
    parsed = make_url(url)
    return Path(parsed.database) if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:") else None


def _libpq(url: str) -> tuple[str, dict[str, str]]:
    """The SQLAlchemy URL as libpq (``pg_dump``) reads it, without its password, and the environment that carries
    the password (``PGPASSWORD``): a command line is readable by every user of the machine (``ps``)."""
    parsed = make_url(url)
    env = dict(os.environ)
    if parsed.password is not None:
        env["PGPASSWORD"] = str(parsed.password)
    bare = URL.create("postgresql", parsed.username, None, parsed.host, parsed.port, parsed.database, parsed.query)
    return bare.render_as_string(hide_password=False), env


def _owner_only(out: Path) -> None:
    """Create ``out`` empty and readable by its owner only (0600, whatever the umask), refusing one that exists:
    a backup holds every contact person and note of the register."""
    try:
        fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError as err:
        raise BackupProblem(f"{out} exists already: choose a new file name (a backup never overwrites a file)") from err
    os.close(fd)
    os.chmod(out, 0o600)


def _program(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupProblem(f"{name} was not found: install PostgreSQL's client programs (Debian: postgresql-client)")
    return found


def backup(url: str, out: Path) -> Counts:
    """Write a backup of the register at ``url`` to ``out`` (which must not exist yet)."""
    if out.exists():
        raise BackupProblem(f"{out} exists already: choose a new file name (a backup never overwrites a file)")
    path = _sqlite_path(url)
    if path is not None and not path.is_file():  # opening it would create and migrate a new, empty register
        raise BackupProblem(f"no register at {path}: check the path (nothing was created)")
    register = Register(url)
    taken = counts(register)
    if path is not None:
        _owner_only(out)
        _copy(sqlite3.connect(path), out)
    elif register.engine.dialect.name == "postgresql":
        target, env = _libpq(url)
        program = _program("pg_dump")
        _owner_only(out)
        done = subprocess.run([program, "-Fc", "--no-owner", "-f", str(out), target],
                              capture_output=True, text=True, env=env)
        if done.returncode != 0:
            out.unlink(missing_ok=True)
            raise BackupProblem(f"pg_dump failed: {done.stderr.strip()}")
    else:
        raise BackupProblem(f"backups are made of SQLite and PostgreSQL registers, not {register.engine.dialect.name}")
    return taken


def _empty(url: str) -> Register:
    register = Register(url)
    with register.engine.connect() as conn:
        dataset = conn.execute(select(MetaRow.value).where(MetaRow.key == "dataset")).scalar_one_or_none()
        if dataset or register.holds_data(conn):
            raise BackupProblem(f"the register at {shown_url(url)} is not empty "
                                f"(dataset {dataset or 'unset'}): a restore goes only into an empty register")
    return register


def restore(backup_file: Path, url: str) -> Counts:
    """Restore ``backup_file`` (made by ``backup``) into the empty register at ``url``."""
    if not backup_file.is_file():
        raise BackupProblem(f"no such backup file: {backup_file}")
    register = _empty(url)
    before = int(register.revision() or 0)  # a running server may have cached this register's revisions up to it
    path = _sqlite_path(url)
    if path is not None:
        try:
            source = sqlite3.connect(f"file:{backup_file}?mode=ro", uri=True)
            if source.execute("PRAGMA integrity_check").fetchone()[0] != "ok" or not source.execute(
                    "SELECT 1 FROM sqlite_master WHERE name = 'needs'").fetchone():
                raise BackupProblem(f"{backup_file} is not a backup of a register (no intact 'needs' table)")
        except sqlite3.DatabaseError as err:
            raise BackupProblem(f"{backup_file} is not an SQLite backup: {err}") from err
        register.engine.dispose()
        register.writer.dispose()
        _copy(source, path)
    elif register.engine.dialect.name == "postgresql":
        register.engine.dispose()
        register.writer.dispose()
        target, env = _libpq(url)
        done = subprocess.run([_program("pg_restore"), "--clean", "--if-exists", "--no-owner", "--single-transaction",
                               "-d", target, str(backup_file)], capture_output=True, text=True, env=env)
        if done.returncode != 0:
            raise BackupProblem(f"pg_restore failed (nothing restored): {done.stderr.strip()}")
    else:
        raise BackupProblem(f"backups are restored into SQLite and PostgreSQL registers, not {register.engine.dialect.name}")
    migrate.upgrade(make_engine(url, writer=True))  # a backup made by an older version: upgraded, every row kept
    _past(Register(url), before)
    return counts(Register(url))


def _past(register: Register, before: int) -> None:
    """The restored register's revision raised past every revision the register had before (``before``) and the
    backup's own: a server that cached users or figures by a revision number never meets the same number with other
    rows (a reused number kept a removed user's access: red team of issue 35)."""
    from sqlalchemy import update

    from services.register.schema import MetaRow

    with register.writer.begin() as conn:
        Register._bump(conn)  # the row exists after it
        now = int(Register._revision(conn))
        if now <= before:
            conn.execute(update(MetaRow).where(MetaRow.key == "revision").values(value=str(before + 1)))


def _copy(source: sqlite3.Connection, to: Path) -> None:
    """SQLite's online backup of ``source`` into the file ``to`` (both connections closed after)."""
    target = sqlite3.connect(to)
    try:
        with target:
            source.backup(target)
    finally:
        source.close()
        target.close()
