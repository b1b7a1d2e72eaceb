"""The training supply an admin imports: rounds of MYH's results workbooks and of Skolverket's planned adult education,
each stored whole beside the rounds before it, with its source, file, SHA-256, when and by whom.

The way in is the register's one audited write path (``services.admin``): the role is checked when the ``Supply`` is
made and again inside each write's transaction (an admin removed or demoted since the page was drawn stores nothing);
a round is stored in one transaction with its audit entry and a raised revision (``Register.written``), or not at all.
A round already stored is refused: the same file (its SHA-256) again, or an MYH round (its kind and application
year) stored before; a stored round is never changed.

The file is read in a worker process within the file limits (``services.reading.supply_file``), so a hostile file costs
a refusal, never the server. Reading and storing are two steps, so the page and the command line can show what the
round changes against the previous round of the same series (MYH programmes, MYH courses, Skolverket) before it is
stored.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd
from sqlalchemy import insert, select

from core.exchange import supply as supply_format
from core.records.audience import Audience, User
from services import reading
from services.admin import still_admin
from services.register import audit
from services.register.schema import SUPPLY_TEXT, SupplyRoundRow, SupplyRow
from services.register.store import Register, holds_example_data
from services.workspace import Refused

SOURCES = ("myh", "skolverket")  # files read; "admin" is an offer entered by an admin (``Admin.replace_offers``)
KIND_WORDS = {"program": "program", "course": "kurser"}


@dataclass(frozen=True)
class Parsed:
    """A supply file read whole, not stored yet."""

    rows: pd.DataFrame  # core.exchange.supply.COLUMNS, text
    source: str  # myh, skolverket
    file_name: str
    sha256: str
    label: str  # "MYH program 2025", "MYH kurser 2024", "Skolverket 2026-12-05"

    @property
    def series(self) -> str:
        return series_of(self.label)


def series_of(label: str) -> str:
    """The rounds a round is compared with: "MYH program", "MYH kurser", "Skolverket"."""
    return label.rsplit(" ", 1)[0]


def detect(data: bytes) -> str:
    """``skolverket`` for a JSON text (its first character, after a BOM and white space, opens an object or a list),
    else ``myh`` (a workbook)."""
    head = data[:64].removeprefix(b"\xef\xbb\xbf").lstrip()
    return "skolverket" if head[:1] in (b"{", b"[") else "myh"


def read(data: bytes, file_name: str, source: str | None = None, today: dt.date | None = None) -> Parsed:
    """The file read whole in a worker process, or ``SupplyProblems`` (every problem with where and why; a file over
    the limits, or no spreadsheet, included). ``source``: ``myh`` or ``skolverket``; None: recognised by content."""
    source = source or detect(data)
    if source not in SOURCES:
        raise ValueError(f"unknown supply source {source!r}: one of {', '.join(SOURCES)}")
    rows = reading.supply_file(data, source)
    name = file_name.replace("\\", "/").rsplit("/", 1)[-1][:200]
    rows["source_file"] = name
    if source == "myh":
        kind, year = rows["kind"].iloc[0], rows["round"].iloc[0]
        label = f"MYH {KIND_WORDS.get(kind, kind)} {year}"
    else:
        label = f"Skolverket {(today or dt.date.today()).isoformat()}"
    too_long = [supply_format.Problem(f"{r.get('source_sheet', '')} row {r.get('source_row', '')}, column '{c}'",
                                      f"longer than {n} characters")
                for r in rows.to_dict("records") for c, n in SUPPLY_TEXT if len(str(r.get(c, ""))) > n]
    if too_long:  # what the register's columns hold (PostgreSQL refuses more, SQLite would keep it): refused whole
        raise supply_format.SupplyProblems(too_long[:supply_format.MAX_PROBLEMS])
    return Parsed(rows[list(supply_format.COLUMNS)], source, name, hashlib.sha256(data).hexdigest(), label)


def rounds(register: Register) -> pd.DataFrame:
    """The stored rounds, newest first: ``round_id``, ``source_kind``, ``label``, ``file_name``, ``sha256``,
    ``imported_at``, ``imported_by``, ``rows``."""
    with register.engine.connect() as conn:
        return pd.read_sql(select(SupplyRoundRow.__table__).order_by(SupplyRoundRow.imported_at.desc(),
                                                                     SupplyRoundRow.round_id.desc()), conn)


def round_rows(register: Register, round_id: int) -> pd.DataFrame:
    """One stored round's rows as the reader gave them (``core.exchange.supply.COLUMNS``, text)."""
    table = SupplyRow.__table__
    with register.engine.connect() as conn:
        file_name = conn.execute(select(SupplyRoundRow.file_name).where(SupplyRoundRow.round_id == round_id)).scalar_one()
        frame = pd.read_sql(select(table).where(table.c.round_id == round_id).order_by(table.c.line), conn)
    return frame.assign(source_file=file_name)[list(supply_format.COLUMNS)].astype(str)


def previous(register: Register, series: str, before: int | None = None) -> pd.Series | None:
    """The newest stored round of ``series`` (stored before round ``before``, if given), or None."""
    stored = rounds(register)
    stored = stored[[series_of(label) == series for label in stored["label"]]]
    if before is not None:
        stored = stored[stored["round_id"] < before]
    return None if stored.empty else stored.iloc[0]


def changes(register: Register, new: pd.DataFrame, series: str, before: int | None = None) -> tuple[pd.Series | None, pd.DataFrame]:
    """What ``new`` changes against the previous stored round of ``series`` (``core.exchange.supply.changes``): that
    round (None: the first of its series, every row added) and the changes."""
    found = previous(register, series, before)
    old = round_rows(register, int(found["round_id"])) if found is not None else pd.DataFrame(columns=list(supply_format.COLUMNS))
    return found, supply_format.changes(old, new)


def changes_of(register: Register, round_id: int) -> tuple[pd.Series | None, pd.DataFrame]:
    """What stored round ``round_id`` changed against the round of its series stored before it."""
    stored = rounds(register)
    label = stored.loc[stored["round_id"] == round_id, "label"].iloc[0]
    return changes(register, round_rows(register, round_id), series_of(label), before=round_id)


def real_supply(register: Register, today: dt.date) -> pd.DataFrame:
    """The real supply as offers (``data.yh_supply.as_offers``): the shipped MYH rounds 2022-2024, each replaced by the
    newest stored round of the same MYH series and year, the MYH rounds stored beyond them, and the newest stored
    Skolverket round, all within reach of Fyrbodal."""
    from data import yh_supply

    stored = rounds(register)
    newest = stored.drop_duplicates("label")  # newest first: one round per label
    parts = [_shipped_offers(frozenset(newest["label"]), today).copy()]
    skolverket = newest[newest["source_kind"] == "skolverket"].head(1)
    for row in pd.concat([newest[newest["source_kind"] == "myh"], skolverket]).itertuples():
        rows = yh_supply.linked(round_rows(register, int(row.round_id)))
        parts.append(yh_supply.as_offers(rows, today, str(row.label)))
    found = pd.concat([p for p in parts if not p.empty], ignore_index=True) if any(not p.empty for p in parts) else parts[0]
    return found.drop_duplicates("offer_id")


@lru_cache(maxsize=8)
def _shipped_offers(replaced: frozenset[str], today: dt.date) -> pd.DataFrame:
    """The shipped MYH rounds as offers, but those ``replaced`` by a stored round of the same series and year: the same
    for every register and revision until a round is stored or the day changes, so made once per process for each
    (a register's first run after any write rebuilt it: ~40 ms, a sixth of an AppTest run of the workspace)."""
    from data import yh_supply

    shipped = yh_supply.yh_supply()
    labels = ["MYH " + KIND_WORDS.get(k, k) + f" {r}" for k, r in zip(shipped["kind"], shipped["round"])]
    return yh_supply.as_offers(shipped[[label not in replaced for label in labels]], today)


def offers(register: Register, today: dt.date) -> pd.DataFrame:
    """Every offer the pages show, each with its ``origin`` (``myh``, ``skolverket``, ``admin``: entered by an admin;
    ``example``: generated for the demo) and ``source``. The real supply (``real_supply``) on every register; beside it
    the register's own offers: those an admin entered, and on a register that holds example data (the demo) its
    generated examples. A region's register never shows a generated example. The register's own MYH rows (the demo's
    2024 programmes, ``myh-…``) give way to the real supply, which holds them."""
    from data import yh_supply

    own = register.offers_frame()
    own = own[~own["offer_id"].str.startswith("myh-")]
    if not holds_example_data(register.meta()):
        own = own[own["is_real"]]
    own = own.assign(origin=np.where(own["is_real"], "admin", "example"), municipality_code="", minutes_pt=np.nan,
                     intake_years="", round_label="", diarienummer="")
    real = real_supply(register, today)
    frame = pd.concat([f for f in (real, own) if not f.empty], ignore_index=True) if not (real.empty and own.empty) else real
    frame["start"] = pd.to_datetime(frame["start"])
    frame["weeks"] = pd.to_numeric(frame["weeks"]).astype("Int64")
    frame["is_real"] = frame["is_real"].astype(bool)
    frame["seats"] = frame["seats"].astype(int)
    return frame[list(yh_supply.OFFER_COLUMNS)].sort_values("offer_id", ignore_index=True)


def offer_ids(register: Register) -> set[str]:
    """Every offer a need or a training effort may name: the register's own and every real one (also a programme whose
    intakes are over: a need matched to it stays valid). Made once per register revision (a write checks it)."""
    key = (register.url, register.revision())
    if key not in _OFFER_IDS:
        if len(_OFFER_IDS) > 8:
            _OFFER_IDS.clear()
        _OFFER_IDS[key] = frozenset(register.offers_frame()["offer_id"]) | frozenset(
            real_supply(register, dt.date(2000, 1, 1))["offer_id"])
    return set(_OFFER_IDS[key])


_OFFER_IDS: dict[tuple[str, str], frozenset[str]] = {}  # offer_ids per (register, revision)


class Supply:
    """An admin's imports of the training supply. ``Refused`` for anyone else."""

    def __init__(self, register: Register, actor: User | None):
        if actor is None or actor.role != Audience.ADMIN:
            raise Refused("role", "only an admin imports the training supply")
        self.register, self.actor = register, actor

    def _check(self, conn) -> None:
        still_admin(conn, self.actor)

    def store(self, parsed: Parsed) -> int:
        """Store ``parsed`` as a new round, whole or not at all; ``Refused`` (nothing written) when the same file or
        the same MYH round is stored already. Returns the round's id."""
        with self.register.writer.begin() as conn:
            self._check(conn)
            same = conn.execute(select(SupplyRoundRow.label, SupplyRoundRow.imported_at).where(
                (SupplyRoundRow.sha256 == parsed.sha256)
                | ((SupplyRoundRow.label == parsed.label) & (SupplyRoundRow.source_kind == "myh")))).first()
            if same is not None:
                raise Refused("round_stored", f"{parsed.file_name}: round {same[0]} is already stored (imported "
                                              f"{same[1]:%Y-%m-%d}): a stored round is never changed")
            last = previous(self.register, series_of(parsed.label))
            if last is not None and _same_rows(round_rows(self.register, int(last["round_id"])), parsed.rows):
                raise Refused("round_stored", f"{parsed.file_name}: the same rows as round {last['label']} (imported "
                                              f"{pd.Timestamp(last['imported_at']):%Y-%m-%d}): nothing new to store")
            about = {"source_kind": parsed.source, "label": parsed.label, "file_name": parsed.file_name,
                     "sha256": parsed.sha256, "rows": len(parsed.rows)}
            stored = conn.execute(insert(SupplyRoundRow).values(
                **about, imported_at=dt.datetime.now(dt.UTC), imported_by=self.actor.email)).inserted_primary_key
            assert stored is not None
            round_id = stored[0]
            names = [name for name, _ in SUPPLY_TEXT]
            records = parsed.rows[names].astype(str).to_dict("records")
            conn.execute(insert(SupplyRow.__table__), [{"round_id": round_id, "line": i, **r} for i, r in enumerate(records)])
            audit.record(conn, self.actor.email, "add", "supply", round_id, None, None, about,
                         detail=f"supply round {parsed.label}: {len(records)} rows from {parsed.file_name} "
                                f"(SHA-256 {parsed.sha256[:12]}…)")
            self.register.written(conn, self.actor.email)
        return int(round_id)


def _same_rows(stored: pd.DataFrame, new: pd.DataFrame) -> bool:
    """The same programmes and courses, field by field (the file itself may differ: re-indented, re-ordered)."""
    names = [n for n, _ in SUPPLY_TEXT if n not in ("source_sheet", "source_row")]
    def key(frame: pd.DataFrame) -> list[tuple]:
        return sorted(tuple(str(v) for v in row) for row in frame.reindex(columns=names).fillna("").astype(str).itertuples(index=False))
    return len(stored) == len(new) and key(stored) == key(new)

