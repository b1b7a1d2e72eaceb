"""An admin's writes: users, training offers, the measured travel matrix, and a new register's first admin.

The same path as the workspace's writes (``services.workspace``): the role is checked here, not only by the
page's navigation; each write is one transaction with its audit entry (who, before, after) and a raised
revision (``Register.written``), so every cache keyed by the revision (a broker's rows, exports) is made
anew at the next rerun, on every app server.
"""

from __future__ import annotations

import datetime as dt
import getpass
import json
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import delete, insert, select

from core.records.audience import Audience, User, UserProblem, parse_role
from services import privacy
from services.register import audit
from services.register.schema import BarometerRoundRow, BarometerRow, MetaRow, OfferRow, TravelRow, UserRow
from services.register.store import DEMO, EXAMPLE_DOMAIN, REAL, Register, is_example_user, user_row
from services.workspace import Refused, current_user


@dataclass(frozen=True)
class ScopeCheck:
    """What the published releases say about a user's municipalities (``Admin.scope_preview``): the sets they were not
    all protected against (empty: the user may hold them), the releases that were not (public, never changed: a broker
    holding that set could subtract what they know from them), and the combinations every release was protected
    against (besides each municipality alone and all 14)."""

    missing: tuple[tuple[str, ...], ...]
    unsafe: tuple[int, ...]  # release ids
    allowed: tuple[tuple[str, ...], ...]
    releases: int


def _scope_check(conn, user: User, before: dict | None = None) -> ScopeCheck:
    """Scopes are decided before they take effect (issue 37): a user may hold a set of municipalities only if every
    published release was protected against it (each municipality alone always is; so is all of Fyrbodal, whose
    reader reads every row): a broker given another could subtract what they know from figures already public, and
    a public release is never changed. Before the first release, any set is allowed (the releases are then protected
    against it).

    ``before``: the user as stored. A user moved to other municipalities still knows what they read of the old ones,
    so the old and the new set together must be protected too (a Trollhättan broker made Sotenäs's knows both)."""
    from core.disclosure import history as release_history
    from core.disclosure import release
    from data import reference
    from services.register.schema import ReleaseRow

    codes = reference.fyrbodal_codes()
    held = [user.municipalities]
    old = [m for m in str((before or {}).get("municipalities") or "").split(",") if m]
    for snapshot in _held_before(conn, user.email):  # removed and added again, they still know what they read
        old += [m for m in str(snapshot.get("municipalities") or "").split(",") if m]
    if old and set(old) != set(user.municipalities) and user.municipalities:
        held.append(tuple(sorted(set(old) | set(user.municipalities))))
    wanted = release.insider_scopes(codes, held)
    rows = conn.execute(select(ReleaseRow.id, ReleaseRow.scopes).order_by(ReleaseRow.id)).all()
    published = {int(i): release_history.scopes_of(text) for i, text in rows}
    missing = tuple(s for s in wanted if any(s not in protected for protected in published.values()))
    unsafe = tuple(i for i, protected in published.items() if any(s not in protected for s in missing))
    allowed = set.intersection(*published.values()) if published else set()
    return ScopeCheck(missing, unsafe, tuple(sorted(s for s in allowed if len(s) > 1)), len(published))


def _held_before(conn, email: str) -> list[dict]:
    """Every stored version of the user ``email`` the log holds (added, changed, removed): what they were given."""
    from services.register.schema import AuditRow

    out = []
    for before, after in conn.execute(select(AuditRow.before, AuditRow.after).where(
            AuditRow.table_name == "users", AuditRow.record_id == email.strip().lower(), AuditRow.action != "refused")):
        out += [json.loads(text) for text in (before, after) if text]
    return [o for o in out if isinstance(o, dict)]


def _scope_protected(conn, user: User, before: dict | None = None) -> None:
    """``_scope_check``; ``UserProblem`` code ``scope_unprotected`` (nothing written) for a set not protected."""
    check = _scope_check(conn, user, before)
    if check.missing:
        raise UserProblem("scope_unprotected", f"the published releases {list(check.unsafe)} are not protected against "
                          f"{list(check.missing)}; allowed combinations: {list(check.allowed)}",
                          ", ".join(",".join(s) for s in check.missing))


class ChangedUser(UserProblem):
    """A save or removal based on version ``based_on`` of a user (None: the admin meant a new one) when the register
    holds version ``stored`` (None: no such user): another admin changed, removed or added the user in between.
    Nothing was written; code ``changed`` (``users.problem_changed``), or ``exists`` for a new user whose e-mail
    another admin added first."""

    def __init__(self, email: str, based_on: int | None, stored: int | None):
        self.email, self.based_on, self.stored = email, based_on, stored
        if based_on is None:
            super().__init__("exists", f"there is already a user {email} (version {stored}): choose it to change it", email)
        else:
            what = "was removed" if stored is None else f"was changed (now version {stored})"
            super().__init__("changed", f"{email} {what} by someone else after version {based_on} was read: "
                                        "nothing was written; read it again and retry", email)


OPERATOR = "command line ({})"


def operator() -> User:
    """The command line's actor: whoever can reach the register's database is its administrator. Audited
    under the operating-system user's name."""
    try:
        who = getpass.getuser()
    except (KeyError, OSError):  # no name for this uid (a container)
        who = "unknown"
    return User(OPERATOR.format(who), Audience.ADMIN, (), "")


def is_operator(user: User) -> bool:
    """The command line (no e-mail address: no sign-in can be one, ``checked_user`` and ``core.records.identity``)."""
    return user.email.startswith(OPERATOR.format("")[:-1]) and "@" not in user.email


def checked_user(user: User, known_municipalities: set[str]) -> User:
    """``user`` normalised as stored, or ``UserProblem`` for a bad e-mail, role or municipality."""
    email = user.email.strip().lower()
    if "@" not in email or len(email) > 254 or any(ch.isspace() for ch in email):
        raise UserProblem("email", f"not an e-mail address: {user.email!r}", user.email)
    role = parse_role(str(user.role))
    unknown = [c for c in user.municipalities if c not in known_municipalities]
    if unknown:
        raise UserProblem("municipality", f"unknown municipality code(s): {', '.join(unknown)}", ", ".join(unknown))
    if role == Audience.BROKER and not user.municipalities:
        raise UserProblem("broker", "a broker needs at least one municipality")
    return User(email, role, tuple(sorted(set(user.municipalities))) if role == Audience.BROKER else (), user.name.strip())


def start_register(register: Register, admin: User, actor: User | None = None) -> User:
    """Make ``register`` a region's own, empty register with its first admin (``kompetenskartan init``).

    Refused (``RealRegister``-like ``Refused``, nothing written) unless the register holds nothing yet."""
    actor = actor or operator()
    first = checked_user(User(admin.email, Audience.ADMIN, (), admin.name), set())
    _real_address(first.email)
    with register.writer.begin() as conn:
        meta = dict(conn.execute(select(MetaRow.key, MetaRow.value)).all())
        if register.holds_data(conn) or meta.get("dataset"):
            raise Refused("not_empty", f"the register already holds data (dataset {meta.get('dataset') or 'unset'}): "
                                       "init starts only an empty register; choose another --database")
        started = {"dataset": REAL, "started_on": dt.date.today().isoformat(), "started_by": first.email}
        conn.execute(insert(MetaRow), [{"key": k, "value": v} for k, v in started.items()])
        row = user_row(first) | {"version": 1}
        conn.execute(insert(UserRow), [row])
        audit.record(conn, actor.email, "add", "register", "dataset", None, None, started, "init: a region's own register")
        audit.record(conn, actor.email, "add", "users", first.email, 1, None, row, "init: the first admin")
        register.written(conn, actor.email)
    return first


def _real_address(email: str) -> None:
    """A region's register takes real addresses: one under ``.invalid`` is an example user of the demo (no provider can
    sign in as one, and on a real register it may not write)."""
    if is_example_user(email):
        raise UserProblem("example_user", f"{email} is an example address of the demo register (…{EXAMPLE_DOMAIN}): "
                                          "a region's register takes real addresses", email)


def still_admin(conn, actor: User) -> User:
    """``actor`` as the register holds them now, read inside the write's transaction, if still an admin (``Refused``
    otherwise): an ``Admin`` or ``services.supply.Supply`` made when a page was drawn may act at a later click, after
    the admin was removed or lost the role (issue 36). The command line is the register's operator."""
    if is_operator(actor):
        return actor
    now = current_user(conn, actor)
    if now.role != Audience.ADMIN:
        raise Refused("not_admin", f"{actor.email} is no longer an admin of the register")
    return now


class Admin:
    """One admin's writes on the register. ``Refused`` for anyone else."""

    def __init__(self, register: Register, actor: User | None):
        if actor is None or actor.role != Audience.ADMIN:
            raise Refused("role", "only an admin manages users, offers and the travel matrix")
        self.register, self.actor = register, actor

    def _check(self, conn) -> None:
        self.actor = still_admin(conn, self.actor)

    def _check_now(self) -> None:
        with self.register.engine.connect() as conn:
            self._check(conn)

    def _example_may(self, email: str) -> None:
        """Anyone can act as the demo's example admin (the demo sign-in), so it manages only example users: a right it
        gave a real address would be given by anyone, and would outlive the demo (issue 36)."""
        if is_example_user(self.actor.email) and not is_example_user(email):
            raise UserProblem("example_admin", f"the demo sign-in manages only example users (…{EXAMPLE_DOMAIN}), "
                                               f"not {email}", email)

    # --- users ---

    def save_user(self, user: User, known_municipalities: set[str], version: int | None) -> User:
        """Add or change a user; ``UserProblem`` (nothing written) for a bad e-mail, role or municipality.

        ``version``: the user's version the admin's form was read at (``Register.versioned_users``), None for a new
        user. Checked inside the write transaction (writers queue on the register's write lock, ``store.make_engine``,
        so no other save comes between the check and the write): if the stored version differs (another
        admin saved or removed the user, or added one with this e-mail, since), ``ChangedUser`` and nothing is
        changed (the refused attempt is logged). Every save raises the version by one."""
        saved = checked_user(user, known_municipalities)
        self._example_may(saved.email)
        refused: ChangedUser | None = None
        with self.register.writer.begin() as conn:
            self._check(conn)
            if self.register.meta_in(conn).get("dataset", DEMO) != DEMO:
                _real_address(saved.email)
            before = self._user(conn, saved.email, lock=True)
            _scope_protected(conn, saved, before)
            stored = None if before is None else before["version"]
            if stored != version:
                refused = self._refuse(conn, saved.email, version, before, user_row(saved), "edit")
            else:
                if before is not None and before["role"] == Audience.ADMIN and saved.role != Audience.ADMIN:
                    self._keep_an_admin(conn, saved.email)
                after = user_row(saved) | {"version": (stored or 0) + 1}
                conn.execute(delete(UserRow).where(UserRow.email == saved.email))
                conn.execute(insert(UserRow), [after])
                audit.record(conn, self.actor.email, "edit" if before else "add", "users", saved.email, after["version"], before, after)
                self.register.written(conn, self.actor.email)
        if refused is not None:  # raised after the commit: the refused attempt stays in the log
            raise refused
        return saved

    def scope_preview(self, user: User) -> ScopeCheck:
        """Before a save: whether the published releases were protected against the municipalities ``user`` would hold
        (together with those they hold now, if stored), and which releases would be unsafe. Writes nothing."""
        with self.register.engine.connect() as conn:
            self._check(conn)
            return _scope_check(conn, user, self._user(conn, user.email.strip().lower()))

    def remove_user(self, email: str, version: int | None = None) -> bool:
        """Remove a user; False if there is none. ``version``: the one the admin's choice was read at, if given
        (``ChangedUser``, nothing removed, when the stored one differs); None removes whatever is stored."""
        email = email.strip().lower()
        self._example_may(email)
        refused: ChangedUser | None = None
        with self.register.writer.begin() as conn:
            self._check(conn)
            before = self._user(conn, email, lock=True)
            if before is None and version is None:
                return False
            if version is not None and (before is None or before["version"] != version):
                refused = self._refuse(conn, email, version, before, None, "remove")
            else:
                assert before is not None
                if before["role"] == Audience.ADMIN:
                    self._keep_an_admin(conn, email)
                conn.execute(delete(UserRow).where(UserRow.email == email))
                audit.record(conn, self.actor.email, "remove", "users", email, before["version"], before, None)
                self.register.written(conn, self.actor.email)
        if refused is not None:
            raise refused
        return True

    def _refuse(self, conn, email: str, based_on: int | None, stored: dict | None, attempted: dict | None, action: str) -> ChangedUser:
        """Log a refused save or removal (in the caller's transaction, which then commits) and return its error."""
        now = None if stored is None else stored["version"]
        audit.record(conn, self.actor.email, "refused", "users", email, now, stored, attempted,
                     f"{action} based on version {based_on if based_on is not None else 'none (a new user)'}, "
                     f"stored version {now if now is not None else 'none (no such user)'}")
        return ChangedUser(email, based_on, now)

    @staticmethod
    def _user(conn, email: str, lock: bool = False) -> dict | None:
        query = select(UserRow.__table__).where(UserRow.email == email)
        found = conn.execute(query.with_for_update() if lock else query).mappings().first()
        return dict(found) if found else None

    @staticmethod
    def _keep_an_admin(conn, leaving: str) -> None:
        others = conn.execute(select(UserRow.email).where(UserRow.role == Audience.ADMIN.value, UserRow.email != leaving)
                              .with_for_update()).first()
        if others is None:
            raise UserProblem("last_admin", "the register keeps at least one admin: add another admin first", leaving)

    # --- a contact person's data on request (services.privacy) ---

    def person_export(self, who: str) -> str:
        """Everything stored about a contact person, as readable JSON; the look is audited."""
        self._check_now()
        found = privacy.person_record(self.register, who)
        privacy.log_export(self.register, found, self.actor.email)
        return privacy.export_text(found, dt.datetime.now(dt.UTC))

    def erase_person(self, who: str, requested_by: str, confirmed: str = "") -> dict[str, int]:
        """``confirmed``: the code of the listing the admin saw (``privacy.Found.digest``): the erasure writes only if it
        would change that, and a one-word or short name needs it (``privacy.Unconfirmed`` without it)."""
        if not requested_by.strip():
            raise UserProblem("requested_by", "say who asked for the erasure: it is kept in the log")
        return privacy.erase_person(self.register, who, self.actor.email, requested_by.strip(), confirmed=confirmed,
                                    check=self._check)

    # --- reference inputs every figure depends on ---

    def replace_offers(self, offers: pd.DataFrame, known: dict[str, set[str]]) -> int:
        """Replace the training offers, or raise ``InvalidTable`` and change nothing."""
        rows = Register._offer_rows(offers, known)
        with self.register.writer.begin() as conn:
            self._check(conn)
            before = conn.execute(select(OfferRow.offer_id)).scalars().all()
            conn.execute(delete(OfferRow))
            if rows:
                conn.execute(insert(OfferRow), rows)
            audit.record(conn, self.actor.email, "replace", "offers", "*", None, detail=f"{len(before)} offers -> {len(rows)}")
            self.register.written(conn, self.actor.email)
        return len(rows)

    def import_barometer(self, rows: pd.DataFrame, file_name: str) -> str:
        """Store a round of the Yrkesbarometer (already read whole by ``core.analysis.barometer.read``) beside the rounds
        stored before; a round already stored is never changed (``Refused``). Returns the round."""
        omgang = str(rows["omgang"].iloc[0])
        occupations = int((rows["lan"] == "14").sum())
        with self.register.writer.begin() as conn:
            self._check(conn)
            stored = conn.execute(select(BarometerRoundRow.imported_at).where(BarometerRoundRow.omgang == omgang)).first()
            if stored is not None:
                raise Refused("round_stored", f"round {omgang} is already stored (imported {stored[0]:%Y-%m-%d}): "
                                              "a stored round is never changed")
            conn.execute(insert(BarometerRow), rows[[c.key for c in BarometerRow.__table__.columns]].to_dict("records"))
            about = {"omgang": omgang, "file_name": file_name[:200], "occupations": occupations}
            conn.execute(insert(BarometerRoundRow), [{**about, "imported_at": dt.datetime.now(dt.UTC), "imported_by": self.actor.email}])
            audit.record(conn, self.actor.email, "add", "barometer", omgang, None, None, about,
                         detail=f"Yrkesbarometer round {omgang}: {len(rows)} rows (areas 14 and 00)")
            self.register.written(conn, self.actor.email)
        return omgang

    def replace_travel_matrix(self, pairs: pd.DataFrame) -> int:
        """Store measured pairs (already validated against the places table) in one transaction; none clears them."""
        rows = pairs[[c.key for c in TravelRow.__table__.columns]].to_dict("records")
        with self.register.writer.begin() as conn:
            self._check(conn)
            before = len(conn.execute(select(TravelRow.from_id)).all())
            conn.execute(delete(TravelRow))
            if rows:
                conn.execute(insert(TravelRow), rows)
            audit.record(conn, self.actor.email, "replace", "travel_matrix", "*", None,
                         detail=f"{before} measured pairs -> {len(rows)}")
            self.register.written(conn, self.actor.email)
        return len(rows)
