"""The register: companies and their competence needs in an SQLAlchemy database.

SQLite by default (a file, created on first use), any SQLAlchemy URL otherwise (PostgreSQL for
a shared installation). Reads come back as pandas frames for analysis; bulk writes replace whole
tables inside one transaction, so a failed load leaves the register as it was. Single records are
written by ``services.workspace`` (versioned, audited); the schema is kept by ``services.register.migrate``.
"""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

import pandas as pd
from sqlalchemy import (
    Integer,
    String,
    cast,
    create_engine,
    delete,
    event,
    func,
    insert,
    select,
    text,
    update,
)
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import IntegrityError

from core.records.audience import Audience, User
from core.records.dataset import DEMO, REAL, holds_example_data  # noqa: F401 (services import them from here)
from core.records.validation import (
    COMPANY_COLUMNS,
    NEED_COLUMNS,
    OFFER_COLUMNS,
    InvalidTable,
    Problem,
    check_needs,
    check_offers,
    missing_columns,
)
from services.register import audit, migrate
from services.register.schema import (
    AuditRow,
    BarometerRoundRow,
    BarometerRow,
    CompanyRow,
    EffortRow,
    MetaRow,
    NeedRow,
    OfferRow,
    ReleaseRow,
    TravelRow,
    UserRow,
    VisitRow,
)


def state_of(meta: dict[str, str], needs: int) -> str:
    """``unset`` (neither ``init`` nor ``demo`` made it), ``empty`` (no needs yet) or ``ready``."""
    if not meta.get("dataset"):
        return "unset" if needs == 0 else "ready"  # a register from before the dataset key: its rows are shown
    return "empty" if needs == 0 else "ready"


EXAMPLE_DOMAIN = ".invalid"  # the demo's example users (RFC 2606: reserved, no identity provider can issue one)


def is_example_user(email: str) -> bool:
    """An example user of the demo register, whom the demo sign-in lets anyone act as."""
    return email.strip().lower().endswith(EXAMPLE_DOMAIN)


def demo_login_allowed(meta: dict[str, str]) -> bool:
    """The demo sign-in (act as an example user without an identity provider) runs only on the demo register."""
    return meta.get("dataset") == DEMO


class RealRegister(PermissionError):
    """The demo generator (or a restore) may not replace this register: it holds a region's data."""


class ExampleUserRefused(PermissionError):
    """An example user (the demo sign-in) writing on a register that is no longer the demo: nothing is written."""


EXAMPLE_WRITES = "example_writes"  # meta: someone wrote through the demo sign-in; the generator no longer replaces it


CATEGORICAL = [
    "municipality_code", "industry_group", "competence", "need_type", "horizon", "form", "level",
    "source", "status", "broker",
]


WRITE_LOCK = 7_304_212  # the PostgreSQL advisory lock every write transaction holds (migrations hold 7_304_211)


def make_engine(url: str, writer: bool = False) -> Engine:
    """An engine for reads, or (``writer``) for write transactions. On SQLite a writer begins with
    ``BEGIN IMMEDIATE``: it takes the write lock first and waits its turn (busy timeout), instead of
    reading under a shared lock and failing with "database is locked" when two upgrade at once."""
    if url.startswith("sqlite:///") and url != "sqlite:///:memory:":
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, pool_pre_ping=not url.startswith("sqlite"))
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_settings)
        if writer:
            event.listen(engine, "connect", _sqlite_own_transactions)
            event.listen(engine, "begin", lambda conn: conn.exec_driver_sql("BEGIN IMMEDIATE"))
    elif engine.dialect.name == "postgresql" and writer:
        # the same on PostgreSQL: a writer takes the register's write lock first (held until it commits), so
        # writers queue in one order and a check made at the start (an import's "has the register moved on
        # since the preview?") still holds at the end; without it two imports could both pass the check
        event.listen(engine, "begin", lambda conn: conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({WRITE_LOCK})"))
    return engine


def _sqlite_own_transactions(conn, _record) -> None:
    conn.isolation_level = None  # pysqlite emits no BEGIN of its own; the "begin" event does


def _sqlite_settings(conn, _record) -> None:
    """Foreign keys on; write-ahead log so readers never block the writer; a writer waits up to
    30 s for another's transaction instead of failing with "database is locked"."""
    conn.execute("PRAGMA foreign_keys=ON")
    conn.execute("PRAGMA secure_delete=ON")  # erased personal data is overwritten in the file, not left in free pages
    conn.execute("PRAGMA busy_timeout=30000")
    if conn.execute("PRAGMA journal_mode").fetchone()[0] != "memory":
        conn.execute("PRAGMA journal_mode=WAL")


OPTIONAL_NEED_COLUMNS = ["visit_id", "follow_up_on", "outcome", "offer_id"]


def _records(frame: pd.DataFrame, columns: list[str], dates: tuple[str, ...]) -> list[dict]:
    """Rows to insert: dates as dates, missing values as NULL."""
    out = frame[columns].copy()
    for col in dates:
        if col in out:
            out[col] = [d.date() if pd.notna(d) else None for d in pd.to_datetime(out[col])]
    out = out.astype(object).where(out.notna(), None)
    if "visit_id" in out:
        out["visit_id"] = [int(v) if v is not None else None for v in out["visit_id"]]
    return out.to_dict("records")


def user_row(user: User) -> dict:
    return {"email": user.email, "role": user.role.value, "municipalities": ",".join(user.municipalities), "name": user.name}


# Writes committed by this process, per database URL: a revision this process read is taken again only while no
# write of any of its Register objects on that URL has committed since (``Register.revision``'s ``max_age``)
_WRITES: dict[str, int] = {}


def _count_write(url: str) -> None:
    _WRITES[url] = _WRITES.get(url, 0) + 1


def shown_url(url: str) -> str:
    """A database URL without its password, for messages."""
    return make_url(url).render_as_string(hide_password=True)


class Register:
    """The needs register behind one database URL."""

    def __init__(self, url: str):
        self.url = url
        self.engine = make_engine(url)
        self.writer = self.engine if url == "sqlite:///:memory:" else make_engine(url, writer=True)
        self._seen: tuple[str, float, int] | None = None  # the revision last read, when (monotonic) and _WRITES then
        # a write transaction's commit counts before and after the database commits it (the pool takes the connection
        # back after its commit): a revision read between the two is not taken again
        event.listen(self.writer, "commit", lambda _conn: _count_write(url))
        if self.writer is not self.engine:
            event.listen(self.writer.pool, "checkin", lambda _conn, _record: _count_write(url))
        migrate.upgrade(self.writer)

    def is_empty(self) -> bool:
        with self.engine.connect() as conn:
            return conn.execute(select(func.count()).select_from(MetaRow).where(MetaRow.key != "revision")).scalar_one() == 0

    def meta(self) -> dict[str, str]:
        with self.engine.connect() as conn:
            return self.meta_in(conn)

    @staticmethod
    def meta_in(conn) -> dict[str, str]:
        """The register's meta keys, read in the caller's transaction."""
        return dict(conn.execute(select(MetaRow.key, MetaRow.value)).all())

    def revision(self, max_age: float = 0.0) -> str:
        """Changes with every write to needs, companies, offers, users or the travel matrix (cache keys).

        ``max_age``: seconds for which the revision last read may be taken again instead of asking the database, as
        long as no write of this process has committed since (a write here is seen at once; one by another process,
        another server or the command line, within ``max_age``). For the pages' reads only (``components.loaders``);
        0, the default, reads it fresh, as every write and every check before one does."""
        seen = self._seen
        if max_age > 0 and seen is not None and seen[2] == _WRITES.get(self.url, 0) \
                and time.monotonic() - seen[1] <= max_age:
            return seen[0]
        writes, when = _WRITES.get(self.url, 0), time.monotonic()  # taken before the read: a write during it counts
        with self.engine.connect() as conn:
            value = self._revision(conn)
        self._seen = (value, when, writes)
        return value

    @staticmethod
    def _revision(conn) -> str:
        value = conn.execute(select(MetaRow.value).where(MetaRow.key == "revision")).scalar_one_or_none()
        return value or "0"

    @staticmethod
    def _bump(conn) -> None:
        """Raise the revision by one inside the caller's transaction. One UPDATE: it locks the row, so
        concurrent writers (other app servers) queue and none of their raises is lost."""
        raised = conn.execute(update(MetaRow).where(MetaRow.key == "revision")
                              .values(value=cast(cast(MetaRow.value, Integer) + 1, String)))
        if raised.rowcount:
            return
        try:
            with conn.begin_nested():  # the first write of a new register; another may insert it at the same moment
                conn.execute(insert(MetaRow), [{"key": "revision", "value": "1"}])
        except IntegrityError:
            conn.execute(update(MetaRow).where(MetaRow.key == "revision")
                         .values(value=cast(cast(MetaRow.value, Integer) + 1, String)))

    def users(self, email: str | None = None) -> list[User]:
        """Every user, or the one with ``email`` (normalised as stored)."""
        return [user for user, _version in self.versioned_users(email)]

    def versioned_users(self, email: str | None = None) -> list[tuple[User, int]]:
        """``users`` with each one's stored version (raised by every save), read together: the version an admin's
        form was read at, for ``Admin.save_user`` and ``Admin.remove_user`` to refuse a save based on an older read."""
        query = (select(UserRow.email, UserRow.role, UserRow.municipalities, UserRow.name, UserRow.version)
                 .order_by(UserRow.email))
        if email is not None:
            query = query.where(UserRow.email == email.strip().lower())
        with self.engine.connect() as conn:
            rows = conn.execute(query).all()
        return [(User(e, Audience(r), tuple(c for c in m.split(",") if c), n), v) for e, r, m, n, v in rows]

    def user(self, email: str) -> User | None:
        """One query by key: this runs on every rerun of a signed-in session."""
        found = self.users(email)
        return found[0] if found else None

    def user_version(self, email: str) -> int | None:
        """The stored version of one user; None if there is no such user."""
        with self.engine.connect() as conn:
            return conn.execute(select(UserRow.version).where(UserRow.email == email.strip().lower())).scalar_one_or_none()

    def scopes_held(self) -> list[tuple[str, ...]]:
        """``audit.scopes_held``: every user's municipalities, every set the log says a user held, each address's union."""
        with self.engine.connect() as conn:
            return audit.scopes_held(conn)

    def is_demo(self) -> bool:
        return self.meta().get("dataset") == DEMO

    def written(self, conn, actor: str) -> None:
        """Every write by a person (workspace, import, users, offers, travel matrix) ends here, inside its own
        transaction: the register's revision is raised, and the first such write on a demo register by someone
        other than its example users (a provider's sign-in, the command line) turns it ``real`` (audited); a write
        by an example user (only the demo sign-in acts as one, and anyone may use it) is example data and leaves
        the demo a demo: from then on no generator rebuilds it and ``kompetenskartan demo`` refuses it. It
        keeps its label as example data (``example_data``): the generated rows are still fictional. Its example users
        (``.invalid`` addresses, which anyone could act as through the demo sign-in) are removed in the same
        transaction, and the demo sign-in is refused on it from the next run (``demo_login_allowed``)."""
        if is_example_user(actor):  # the demo sign-in (anyone): example data, the register stays the demo
            if self.meta_in(conn).get("dataset", DEMO) != DEMO:  # a tab left open on the demo: never on a region's data
                raise ExampleUserRefused(f"{actor} is an example user of the demo register, which this register no longer is")
            conn.execute(delete(MetaRow).where(MetaRow.key == EXAMPLE_WRITES))  # the generator keeps it from now on
            conn.execute(insert(MetaRow), [{"key": EXAMPLE_WRITES, "value": "1"}])
            self._bump(conn)
            return
        turned = conn.execute(update(MetaRow).where(MetaRow.key == "dataset", MetaRow.value == DEMO).values(value=REAL))
        if turned.rowcount:
            conn.execute(delete(MetaRow).where(MetaRow.key == "example_data"))
            conn.execute(insert(MetaRow), [{"key": "example_data", "value": "1"}])
            audit.record(conn, actor, "edit", "register", "dataset", None, {"dataset": DEMO}, {"dataset": REAL},
                         detail="the first write on the demo register: it is kept from now on, never rebuilt by the generator")
            self._remove_example_users(conn, actor)
        self._bump(conn)

    @staticmethod
    def _remove_example_users(conn, actor: str) -> None:
        """The demo's example users go when it turns real (each removal audited), and so does every user whom an
        example user added or changed last (anyone can act as one through the demo sign-in, so such a user's rights
        were given by anyone; ``services.admin`` refuses that now, this clears registers from before). A real admin
        added on the demo by the command line stays; without one, the operator adds one with
        ``kompetenskartan users add … --role admin``."""
        last: dict[str, str] = {}
        for email, who in conn.execute(select(AuditRow.record_id, AuditRow.actor).where(
                AuditRow.table_name == "users", AuditRow.action.in_(("add", "edit", "remove"))).order_by(AuditRow.id)):
            last[email] = who
        given = {email for email, who in last.items() if is_example_user(who)}
        rows = conn.execute(select(UserRow.__table__).order_by(UserRow.email)).mappings().all()
        for row in rows:
            if is_example_user(row["email"]) or row["email"] in given:
                why = ("an example user of the demo register" if is_example_user(row["email"])
                       else "a user whose rights an example user of the demo register gave")
                audit.record(conn, actor, "remove", "users", row["email"], None, dict(row), None,
                             detail=f"{why}, removed when it turned real")
                conn.execute(delete(UserRow).where(UserRow.email == row["email"]))

    def forget_old_pages(self, tries: int = 5, pause: float = 0.2) -> bool:
        """After personal data is erased: on SQLite, copy the write-ahead log into the file and empty it (old
        versions of pages stay in the log file until then; ``secure_delete`` zeroes freed space in the file).
        A reader in the middle of a transaction keeps the checkpoint from finishing: it is tried ``tries`` times,
        and False says the log still holds old pages (the next retention run tries again). PostgreSQL's old row
        versions go with autovacuum and are never in a ``pg_dump``: True."""
        if self.writer.dialect.name != "sqlite":
            return True
        raw = self.writer.raw_connection()  # outside a transaction: the writer's begins with BEGIN IMMEDIATE
        sqlite = raw.driver_connection
        assert sqlite is not None  # open: raw_connection() connected it
        try:  # a reader is waited for briefly, not the writer's 30 s busy timeout per try
            sqlite.execute(f"PRAGMA busy_timeout={int(pause * 1000)}")
            for attempt in range(tries):
                if attempt:
                    time.sleep(pause)
                # (busy, pages in the log, pages copied into the file): emptied when not busy and all copied
                busy, log, done = sqlite.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
                if not busy and log == done:
                    return True
            return False
        finally:
            sqlite.execute("PRAGMA busy_timeout=30000")
            raw.close()

    def holds_data(self, conn) -> bool:
        """Any company, need, offer, user or measured travel pair (a register someone may have put work into)."""
        return any(conn.execute(select(model.__table__.c[0]).limit(1)).first() is not None
                   for model in (CompanyRow, NeedRow, UserRow, TravelRow))

    def need_count(self) -> int:
        with self.engine.connect() as conn:
            return conn.execute(select(func.count()).select_from(NeedRow).where(NeedRow.withdrawn.is_(False))).scalar_one()

    def replace(
        self,
        companies: pd.DataFrame,
        needs: pd.DataFrame,
        meta: dict[str, str],
        known: dict[str, set[str]],
        offers: pd.DataFrame | None = None,
        actor: str = "system",
        visits: pd.DataFrame | None = None,
        users: tuple[User, ...] = (),
        force: bool = False,
    ) -> None:
        """Replace the whole register (and its offers and users, if given), or raise ``InvalidTable`` and change
        nothing. Only an empty or a demo register is replaced; a real one (meta ``dataset`` not ``demo`` with any
        row) raises ``RealRegister`` unless ``force`` (``kompetenskartan demo --force``)."""
        problems = missing_columns(companies, COMPANY_COLUMNS)
        if problems:
            raise InvalidTable("companies", problems)
        needs = needs.reset_index(drop=True)
        problems = check_needs(needs, known)
        orphans = ~needs["company_id"].isin(companies["id"]) if "company_id" in needs else pd.Series([], dtype=bool)
        problems += [Problem(i + 1, "company_id", "no such company") for i in orphans[orphans].index]
        if problems:
            raise InvalidTable("needs", problems)
        offer_rows = self._offer_rows(offers, known) if offers is not None else None
        company_rows = companies[COMPANY_COLUMNS].to_dict("records")
        optional = [c for c in OPTIONAL_NEED_COLUMNS if c in needs and (c != "visit_id" or visits is not None)]
        need_rows = _records(needs, NEED_COLUMNS + optional, ("collected_on", "follow_up_on"))
        visit_rows = _records(visits, list(visits.columns), ("visited_on",)) if visits is not None else []
        with self.writer.begin() as conn:
            dataset = conn.execute(select(MetaRow.value).where(MetaRow.key == "dataset")).scalar_one_or_none()
            if dataset != DEMO and self.holds_data(conn) and not force:
                raise RealRegister(f"the register at {shown_url(self.url)} holds a region's data (dataset {dataset or 'unset'}): "
                                   "the demo generator does not replace it (kompetenskartan demo --force does, if you mean it)")
            touched = conn.execute(select(MetaRow.value).where(MetaRow.key == EXAMPLE_WRITES)).scalar_one_or_none()
            if dataset == DEMO and touched and not force:  # e.g. a region that tried the demo with its own file
                raise RealRegister(f"the demo register at {shown_url(self.url)} holds what people wrote through the demo "
                                   "sign-in since it was built: the demo generator does not replace it "
                                   "(kompetenskartan demo --force does, if you mean it)")
            conn.execute(delete(ReleaseRow))  # releases of the data replaced go with it
            conn.execute(delete(NeedRow))
            conn.execute(delete(VisitRow))
            conn.execute(delete(EffortRow))
            conn.execute(delete(CompanyRow))
            conn.execute(delete(MetaRow).where(MetaRow.key != "revision"))
            today = dt.date.today().isoformat()  # the old register's people go with it, from the log's snapshots too
            audit.forget_personal(conn, f"[erased {today}: register rebuilt]", f"[erased {today}]")
            conn.execute(insert(CompanyRow), company_rows)
            if visit_rows:
                conn.execute(insert(VisitRow), visit_rows)
            conn.execute(insert(NeedRow), need_rows)
            conn.execute(insert(MetaRow), [{"key": k, "value": str(v)} for k, v in meta.items() if k != "revision"])
            self._bump(conn)
            self._reset_sequences(conn)
            audit.record(conn, actor, "replace", "register", "*", None, detail=f"{len(company_rows)} companies, "
                         f"{len(need_rows)} needs" + (f", {len(offer_rows)} offers" if offer_rows is not None else ""))
            if offer_rows is not None:
                conn.execute(delete(OfferRow))
                if offer_rows:
                    conn.execute(insert(OfferRow), offer_rows)
            if users:  # the old users go, from the log too (their addresses and names, the erasures they asked for)
                conn.execute(delete(UserRow))
                conn.execute(insert(UserRow), [user_row(u) for u in users])
                audit.forget_users(conn, f"[erased {today}: register rebuilt]", f"[erased {today}]",
                                   {u.email.strip().lower() for u in users})
        self.forget_old_pages()

    @staticmethod
    def _reset_sequences(conn) -> None:
        """After rows with given ids, PostgreSQL's id sequences continue after the largest (SQLite does so itself)."""
        if conn.dialect.name != "postgresql":
            return
        for table in ("companies", "visits", "efforts", "needs"):
            conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                              f"COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)"))

    @staticmethod
    def _offer_rows(offers: pd.DataFrame, known: dict[str, set[str]]) -> list[dict]:
        problems = check_offers(offers.reset_index(drop=True), known)
        if problems:
            raise InvalidTable("offers", problems)
        frame = offers[OFFER_COLUMNS].copy()
        frame["start"] = [d.date() if pd.notna(d) else None for d in pd.to_datetime(frame["start"])]
        frame["weeks"] = [int(w) if pd.notna(w) else None for w in pd.to_numeric(frame["weeks"])]
        return frame.astype({"seats": int, "pace_pct": int, "is_real": bool}).to_dict("records")

    def offers_frame(self) -> pd.DataFrame:
        with self.engine.connect() as conn:
            frame = pd.read_sql(select(OfferRow.__table__).order_by(OfferRow.offer_id), conn)
        frame["start"] = pd.to_datetime(frame["start"])
        frame["weeks"] = frame["weeks"].astype("Int64")
        frame["is_real"] = frame["is_real"].astype(bool)
        return frame

    def travel_matrix_frame(self) -> pd.DataFrame:
        with self.engine.connect() as conn:
            return pd.read_sql(select(TravelRow.__table__).order_by(TravelRow.from_id, TravelRow.to_id), conn)

    def needs_frame(self, columns_only: bool = False) -> pd.DataFrame:
        """Every need not withdrawn (nor its company), with its company's name and SNI code, codes as categories.
        ``columns_only``: no row, the columns alone (what the pages of an audience that reads no row get)."""
        query = select(NeedRow.__table__, CompanyRow.name.label("company"), CompanyRow.sni_code).join(
            CompanyRow, NeedRow.company_id == CompanyRow.id
        ).where(NeedRow.withdrawn.is_(False), CompanyRow.withdrawn.is_(False)).order_by(NeedRow.id)
        if columns_only:
            query = query.limit(0)
        with self.engine.connect() as conn:
            frame = pd.read_sql(query, conn)
        frame["collected_on"] = pd.to_datetime(frame["collected_on"])
        frame["follow_up_on"] = pd.to_datetime(frame["follow_up_on"])
        frame["persons"] = frame["persons"].astype("int64")
        for col in CATEGORICAL:
            frame[col] = frame[col].astype("category")
        return frame

    def companies_frame(self) -> pd.DataFrame:
        with self.engine.connect() as conn:
            return pd.read_sql(select(CompanyRow.__table__).order_by(CompanyRow.id), conn)

    def barometer_rounds(self) -> pd.DataFrame:
        """The Yrkesbarometer rounds an admin imported (``omgang``, ``imported_at``, ``imported_by``, ``file_name``,
        ``occupations``); none on a register that was never given one (the app then uses the round it ships)."""
        with self.engine.connect() as conn:
            return pd.read_sql(select(BarometerRoundRow.__table__).order_by(BarometerRoundRow.omgang), conn)

    def barometer_frame(self, omgang: str) -> pd.DataFrame:
        """One stored round's rows, as ``data.reference.yrkesbarometer`` gives the shipped one (text columns)."""
        with self.engine.connect() as conn:
            frame = pd.read_sql(select(BarometerRow.__table__).where(BarometerRow.omgang == omgang)
                                .order_by(BarometerRow.lan, BarometerRow.yb_yrke), conn)
        return frame.astype(str)

    def releases(self) -> pd.DataFrame:
        """The published releases, oldest first (``id``, ``through``, ``published_on``, ``revision``, ``made_at``,
        ``made_by``, ``shown``, ``hidden``), without their cells."""
        columns = [c for c in ReleaseRow.__table__.columns if c.key not in ("cells", "needs")]
        with self.engine.connect() as conn:
            return pd.read_sql(select(*columns).order_by(ReleaseRow.id), conn)

    def release_data(self, release_id: int) -> tuple[bytes, bytes]:
        """One release's stored cells and rows (``core.disclosure.history.load`` reads them)."""
        with self.engine.connect() as conn:
            row = conn.execute(select(ReleaseRow.cells, ReleaseRow.needs).where(ReleaseRow.id == release_id)).one()
        return bytes(row[0]), bytes(row[1])

    def add_release(self, about: dict, cells: bytes, needs: bytes, actor: str, check=None) -> int:
        """Store a release (``about``: through, published_on, revision, shown, hidden, scopes, based_on: the release it
        was built on, 0 for the first), audited, in one transaction. A release built on one that is no longer the
        newest (another publisher stored one on it first: ``based_on`` is unique), or of the same months and revision,
        raises ``IntegrityError`` and nothing is written. Raises the revision (every cache of public figures is keyed
        by it). ``check(conn)``: run first in the same transaction (after every writer before it), to refuse."""
        with self.writer.begin() as conn:
            if check is not None:
                check(conn)
            key = conn.execute(insert(ReleaseRow).values(**about, made_at=dt.datetime.now(dt.UTC), made_by=actor,
                                                         cells=cells, needs=needs)).inserted_primary_key
            assert key is not None  # an insert of one row always returns its key
            new_id = key[0]
            audit.record(conn, actor, "add", "releases", str(new_id), None, None, {k: str(v) for k, v in about.items()},
                         detail=f"release {new_id} published: figures through {about['through']}")
            self._bump(conn)
        return int(new_id)
