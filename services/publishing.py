"""Publishing the public release on a schedule: when a quarter has closed, a new frozen release is made and
stored (``core.disclosure.history``); the public pages, the brief and the open-data files read the newest one.

Two ways, the same function: the first rerun of each day (and of each register revision) checks whether one is
due (``components.loaders.scheduled_release``), and ``kompetenskartan release publish`` does it from cron, so
that no visitor waits for it. A release is due when a quarter has closed since the newest release, or when a
user holds municipalities the newest release was not protected against (a broker given a new municipality:
the same months are published again from the same rows, with what that broker may know protected too).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
from sqlalchemy.exc import IntegrityError

from core.common import clock
from core.common.config import open_data_settings
from core.common.i18n import t
from core.disclosure import history as release_history
from core.disclosure import open_data, release
from core.disclosure.release import REGION, Release
from data import reference
from services.register.store import Register
from services.seed import release_scopes


@dataclass(frozen=True)
class Due:
    through: str  # the months the release will publish, "2026-09"
    why: str  # "first" | "quarter" | "scopes"


def stored(register: Register) -> pd.DataFrame:
    return register.releases()


def load(register: Register, release_id: int) -> Release:
    table = register.releases()
    row = table[table["id"] == release_id].iloc[0]
    cells, needs = register.release_data(release_id)
    return release_history.load(cells, needs, int(row["id"]), pd.Timestamp(row["published_on"]).date().isoformat(),
                                str(row["revision"]))


def every(register: Register) -> list[Release]:
    """Every published release, oldest first (all are public: the next one is protected together with them)."""
    return [load(register, int(i)) for i in register.releases()["id"]]


def latest(register: Register) -> Release | None:
    """The newest published release (None before the first)."""
    table = register.releases()
    return load(register, int(table["id"].iloc[-1])) if len(table) else None


def due(register: Register, today: dt.date | None = None) -> Due | None:
    """Whether a release is due today (a few small queries: run at every revision)."""
    through = release.closed_through(today or clock.today())
    table = register.releases()
    if not len(table):
        needs = register.needs_frame()
        return Due(through, "first") if len(release.cut(needs, reference.fyrbodal_codes(), through)) else None
    newest = table.iloc[-1]
    if str(newest["through"]) < through:
        return Due(through, "quarter")
    if not set(release_scopes(register)) <= release_history.scopes_of(str(newest["scopes"])):
        return Due(str(newest["through"]), "scopes")
    return None


def listed() -> dict[str, list[str]]:
    """The values every release lists in its breakdowns, every year, zeros included: the catalogue's competences and
    industry groups (a row listed only when there are needs of it would bound its hidden Fyrbodal figure at 1)."""
    return {"competence": reference.competences()["code"].tolist(),
            # "other": a company whose SNI code is in no group of the catalogue (services.register_import, workspace)
            "industry_group": [*reference.industry_groups()["code"].tolist(), release.OTHER]}


def next_release(register: Register, today: dt.date | None = None) -> tuple[Release, Release | None, Due] | None:
    """The release that would be published today (not stored), the one before it, and why (None: none is due)."""
    when = due(register, today)
    if when is None:
        return None
    earlier = every(register)
    previous = earlier[-1] if earlier else None
    codes = reference.fyrbodal_codes()
    scopes = release_scopes(register)
    if when.why == "scopes" and previous is not None and previous.needs is not None:
        rows = previous.needs  # the same months from the same rows: only more may be hidden
    else:
        rows = register.needs_frame()
    return release_history.build(rows, codes, scopes, when.through, previous, earlier, listed()), previous, when


def preview(register: Register, today: dt.date | None = None) -> tuple[Release, Release | None, Due]:
    """The next release as it would be made today: the one due now (not yet published), or else the one due when
    the quarter in progress closes, from the rows registered so far."""
    day = today or clock.today()
    made = next_release(register, day)
    if made is not None:
        return made
    quarter_end = f"{day.year}-{3 * ((day.month - 1) // 3 + 1):02d}"
    earlier = every(register)
    previous = earlier[-1] if earlier else None
    new = release_history.build(register.needs_frame(), reference.fyrbodal_codes(), release_scopes(register),
                                quarter_end, previous, earlier, listed())
    return new, previous, Due(quarter_end, "preview")


class AnotherPublisher(Exception):
    """Another publisher (another server, or cron beside the app) stored a release on the one this was built on
    first: nothing was stored (the newest release is theirs; a release due still is made on the next check)."""


class UsersChanged(Exception):
    """A user was given municipalities while the release was built: it is not protected against them (built again)."""


def _covers_the_users(new: Release):
    """A check for ``Register.add_release``'s transaction: every user's municipalities, as the register holds them
    when the release is stored, are among the insiders it was protected against (an admin's change while it was built
    passed ``services.admin``'s scope check against the releases stored then, which did not hold this one)."""
    from services.register import audit

    def check(conn) -> None:
        missing = set(release.insider_scopes(reference.fyrbodal_codes(), audit.scopes_held(conn))) - set(new.scopes)
        if missing:
            raise UsersChanged(f"users hold {sorted(missing)}, which the release was not protected against")
    return check


def _still_due(new: Release, based_on: int, when: Due):
    """A check for ``Register.add_release``'s transaction: the release it was built on is still the newest, and the
    months are still due (``due`` and the newest release are read in separate queries: a publisher that saw another's
    release between them would otherwise store a second release of the same months on it)."""
    from sqlalchemy import select

    from services.register.schema import ReleaseRow

    def check(conn) -> None:
        newest = conn.execute(select(ReleaseRow.id, ReleaseRow.through, ReleaseRow.scopes)
                              .order_by(ReleaseRow.id.desc()).limit(1)).first()
        if (newest.id if newest is not None else 0) != based_on:
            raise AnotherPublisher(f"another publisher stored release {newest.id if newest else '?'} first; the "
                                   f"release built on {based_on or 'none'} was not stored")
        if newest is not None and (newest.through > new.through or (newest.through == new.through and (
                when.why != "scopes" or set(new.scopes) <= release_history.scopes_of(str(newest.scopes))))):
            raise AnotherPublisher(f"release {newest.id} already publishes the figures through {newest.through}: "
                                   f"a release through {new.through} is not due")
    return check


def _checks(*checks):
    def check(conn) -> None:
        for one in checks:
            one(conn)
    return check


def publish(register: Register, today: dt.date | None = None, actor: str = "system", tries: int = 3) -> Release | None:
    """Make and store the release due today; None when none is due. Atomic across processes and servers: the
    release is stored only if the release it was built on is still the newest (``Register.add_release``), else
    ``AnotherPublisher`` is raised and nothing is stored; and only if it is protected against every user's
    municipalities as they are when it is stored, else it is built again (``tries`` in all, then ``UsersChanged``)."""
    for attempt in range(tries):
        try:
            return _publish(register, today, actor)
        except UsersChanged:
            if attempt == tries - 1:
                raise
    return None


def _publish(register: Register, today: dt.date | None, actor: str) -> Release | None:
    day = today or clock.today()
    revision = register.revision()  # read before the rows: the release names the revision its rows are from
    made = next_release(register, day)
    if made is None:
        return None
    new, previous, when = made
    cells, needs = release_history.dump(new)
    shown = sum(1 for c in new.cells.values() if not c.suppressed)
    about = {"through": new.through, "published_on": day, "revision": revision, "shown": shown,
             "hidden": len(new.cells) - shown, "scopes": release_history.scopes_text(new.scopes),
             "based_on": previous.id if previous is not None else 0}
    try:
        new_id = register.add_release(about, cells, needs, actor,
                                      check=_checks(_still_due(new, previous.id if previous is not None else 0, when),
                                                   _covers_the_users(new)))
    except IntegrityError as e:
        newest = register.releases()
        raise AnotherPublisher(f"another publisher stored release {int(newest['id'].iloc[-1]) if len(newest) else '?'} "
                               f"first; the release built on {about['based_on'] or 'none'} was not stored") from e
    return load(register, new_id)


@dataclass(frozen=True)
class Report:
    """What a release hides and why: per year and measure, cells shown, hidden as sensitive (fewer than 3
    companies, or one company dominating) and hidden as complements; and the figures that change since the
    release before."""

    table: pd.DataFrame  # year, measure, cells, shown, few, dominated, complement
    changed: int  # cells whose value differs from the previous release's
    revealed: int  # cells shown now that the previous release hid (the protection together allowed it)
    competences: tuple[int, int]  # the newest year's Fyrbodal competence figures: shown, of


def report(new: Release, previous: Release | None) -> Report:
    rows = []
    for (year, measure), cells in _by_group(new).items():
        few = sum(1 for c in cells if c.suppressed and c.primary and c.companies < 3)
        dominated = sum(1 for c in cells if c.suppressed and c.primary and c.companies >= 3)
        hidden = sum(1 for c in cells if c.suppressed)
        rows.append({"year": year, "measure": measure, "cells": len(cells), "shown": len(cells) - hidden,
                     "few": few, "dominated": dominated, "complement": hidden - few - dominated})
    changed = revealed = 0
    if previous is not None:
        for k, c in new.cells.items():
            old = previous.cells.get(k)
            changed += old is not None and abs(old.value - c.value) > 1e-9
            revealed += old is not None and old.suppressed and not c.suppressed
    year = max(new.years) if new.years else 0
    prefix = release.key(year, "persons", "competence", REGION)
    comps = [c for k, c in new.cells.items() if k.startswith(prefix) and c.value > 0]
    table = pd.DataFrame(rows, columns=["year", "measure", "cells", "shown", "few", "dominated", "complement"])
    return Report(table, changed, revealed, (sum(1 for c in comps if not c.suppressed), len(comps)))


def _by_group(published: Release) -> dict[tuple[int, str], list]:
    out: dict[tuple[int, str], list] = {}
    for k, c in published.cells.items():
        year, measure = k.split("|")[:2]
        out.setdefault((int(year), measure), []).append(c)
    return dict(sorted(out.items()))


METHOD = ("Tal från färre än 3 företag, och tal där ett företag dominerar (p-regeln, 10 %), visas inte (..). Så många "
          "andra tal döljs att inget dolt tal kan räknas fram inom ±50 % ur de visade och sambanden mellan dem (summor "
          "över kommuner, kompetenser, branscher, behovstyper och kvartal) — inte heller av en kompetensmäklare som känner "
          "sina egna kommuners siffror (inte heller ett Fyrbodaltal minus mäklarens egen del), och inte genom att jämföra "
          "alla tidigare publiceringar (tal kan bara växa). Kontrollerat med linjärprogrammering (HiGHS). Talen är "
          "slutliga: ett kvartals tal ändras aldrig; ett behov som registreras sent räknas i nästa opublicerade kvartal.")


def open_data_names() -> dict[str, dict[str, str]]:
    munis = reference.municipalities()
    comps, groups = reference.competences(), reference.industry_groups()
    return {"municipality": dict(zip(munis["code"], munis["name"])),
            "competence": dict(zip(comps["code"], comps["name_sv"])),
            "industry_group": dict(zip(groups["code"], groups["name_sv"])),
            "need_type": {v: t("sv", f"need_type.{v}") for v in ("recruitment", "upskilling")}}


LATEST = {"csv": "kompetenskartan-senaste.csv", "json": "kompetenskartan-senaste.json",
          "metadata": "kompetenskartan-senaste-metadata.json"}


def open_data_files(published: Release, base_url: str = "/app/static/open-data") -> dict[str, bytes]:
    """The release's open-data files by name: cells as CSV and JSON, and their metadata (``core.disclosure.open_data``)."""
    settings = open_data_settings()
    stem = f"kompetenskartan-publicering-{published.id}"
    table = open_data.rows(published, open_data_names())
    base = (settings["public_url"] + base_url) if settings["public_url"] else base_url
    urls = {kind: f"{base}/{stem}.{kind}" for kind in open_data.FILES}
    return {f"{stem}.csv": open_data.to_csv(table), f"{stem}.json": open_data.to_json(table),
            f"{stem}-metadata.json": open_data.metadata(published, settings, urls, METHOD)}
