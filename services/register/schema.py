"""The register's tables (SQLAlchemy declarative). The migrations in ``services/register/migrations`` make them;
``tests/unit/test_migrations.py`` checks that the two agree.

Records a broker edits (companies, visits, needs, training efforts) carry a ``version`` (raised by
one on every change: an edit based on an older version is refused) and ``withdrawn`` (a soft delete:
the row stays, restorable, and no figure counts it). Users carry a ``version`` too (an admin's save based on
an older one is refused). ``audit_log`` is append-only.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class Versioned:
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    withdrawn: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class CompanyRow(Versioned, Base):
    __tablename__ = "companies"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    municipality_code: Mapped[str] = mapped_column(String(4), index=True)
    sni_code: Mapped[str] = mapped_column(String(8))
    industry_group: Mapped[str] = mapped_column(String(40))
    size_class: Mapped[str] = mapped_column(String(10))
    org_nr: Mapped[str] = mapped_column(String(11), default="", server_default="")  # NNNNNN-NNNN; "" if not recorded
    # the contact person: brokers only, kept until contact_until (then erased)
    contact_name: Mapped[str] = mapped_column(String(200), default="", server_default="")
    contact_role: Mapped[str] = mapped_column(String(100), default="", server_default="")
    contact_email: Mapped[str] = mapped_column(String(254), default="", server_default="")
    contact_until: Mapped[dt.date | None] = mapped_column(Date, nullable=True)


class VisitRow(Versioned, Base):
    """A kartläggning: a company visit, workshop, survey or industry council where needs were collected."""

    __tablename__ = "visits"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id"), index=True)
    visited_on: Mapped[dt.date] = mapped_column(Date)
    method: Mapped[str] = mapped_column(String(20))
    broker: Mapped[str] = mapped_column(String(254))
    note: Mapped[str] = mapped_column(Text, default="", server_default="")


class EffortRow(Versioned, Base):
    """An utbildningsinsats: training that serves one or more needs (``needs.effort_id``)."""

    __tablename__ = "efforts"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    provider: Mapped[str] = mapped_column(String(200))
    offer_id: Mapped[str] = mapped_column(String(40), default="", server_default="")  # an offer it runs, if any
    cohort_ref: Mapped[str] = mapped_column(String(80), default="", server_default="")  # the cohort proposal it came from
    start: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    seats: Mapped[int] = mapped_column(Integer)
    broker: Mapped[str] = mapped_column(String(254))
    note: Mapped[str] = mapped_column(Text, default="", server_default="")
    ref: Mapped[str] = mapped_column(String(60), default="", server_default="")  # the import file's own reference


class NeedRow(Versioned, Base):
    __tablename__ = "needs"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id"), index=True)
    municipality_code: Mapped[str] = mapped_column(String(4), index=True)
    industry_group: Mapped[str] = mapped_column(String(40))
    competence: Mapped[str] = mapped_column(String(40), index=True)
    need_type: Mapped[str] = mapped_column(String(20))
    persons: Mapped[int] = mapped_column(Integer)
    horizon: Mapped[str] = mapped_column(String(8))
    form: Mapped[str] = mapped_column(String(20))
    level: Mapped[str] = mapped_column(String(20))
    source: Mapped[str] = mapped_column(String(20))
    collected_on: Mapped[dt.date] = mapped_column(Date, index=True)
    broker: Mapped[str] = mapped_column(String(100))
    status: Mapped[str] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(Text, default="")
    visit_id: Mapped[int | None] = mapped_column(ForeignKey("visits.id"), nullable=True, index=True)
    follow_up_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    outcome: Mapped[str] = mapped_column(String(20), default="", server_default="")  # when closed
    offer_id: Mapped[str] = mapped_column(String(40), default="", server_default="")  # matched to an offer
    effort_id: Mapped[int | None] = mapped_column(ForeignKey("efforts.id"), nullable=True, index=True)
    ref: Mapped[str] = mapped_column(String(60), default="", server_default="")  # the import file's own reference


class OfferRow(Base):
    """A training offer: a course or programme with seats, at a place or by distance."""

    __tablename__ = "offers"
    offer_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    provider: Mapped[str] = mapped_column(String(200))
    provider_type: Mapped[str] = mapped_column(String(20))
    competence: Mapped[str] = mapped_column(String(40), index=True)  # "" when outside the catalogue
    place_id: Mapped[str] = mapped_column(String(20))  # "" for distance without a study place
    centre_id: Mapped[str] = mapped_column(String(40))  # "" when not at a listed learning centre
    form: Mapped[str] = mapped_column(String(20))
    seats: Mapped[int] = mapped_column(Integer)
    start: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    weeks: Mapped[int | None] = mapped_column(Integer, nullable=True)
    pace_pct: Mapped[int] = mapped_column(Integer)
    is_real: Mapped[bool] = mapped_column(Boolean)
    source: Mapped[str] = mapped_column(Text)


class TravelRow(Base):
    """A measured travel time between two places, imported by a user (overrides the model)."""

    __tablename__ = "travel_matrix"
    from_id: Mapped[str] = mapped_column(String(20), primary_key=True)
    to_id: Mapped[str] = mapped_column(String(20), primary_key=True)
    from_name: Mapped[str] = mapped_column(String(100))
    to_name: Mapped[str] = mapped_column(String(100))
    km_road: Mapped[float] = mapped_column(Float)
    minutes_car: Mapped[float] = mapped_column(Float)
    minutes_pt: Mapped[float] = mapped_column(Float)


class UserRow(Base):
    """A person who may sign in, with a role and (for a broker) the municipalities they work in."""

    __tablename__ = "users"
    email: Mapped[str] = mapped_column(String(254), primary_key=True)  # lower case, as the identity provider says it
    role: Mapped[str] = mapped_column(String(20))
    municipalities: Mapped[str] = mapped_column(String(400), default="")  # SCB codes, comma-separated
    name: Mapped[str] = mapped_column(String(200), default="")
    # raised by one on every save: an admin's save based on an older version is refused (``services.admin``)
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")


class AuditRow(Base):
    """One write or refused write: who, when, what, the record before and after (JSON). Only ever inserted."""

    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)
    actor: Mapped[str] = mapped_column(String(254), index=True)
    action: Mapped[str] = mapped_column(String(20))  # add, edit, withdraw, restore, refused, replace
    table_name: Mapped[str] = mapped_column(String(20))
    record_id: Mapped[str] = mapped_column(String(40), index=True)
    version: Mapped[int | None] = mapped_column(Integer, nullable=True)  # the record's version after the write
    before: Mapped[str] = mapped_column(Text, default="", server_default="")
    after: Mapped[str] = mapped_column(Text, default="", server_default="")
    detail: Mapped[str] = mapped_column(Text, default="", server_default="")


class MetaRow(Base):
    __tablename__ = "meta"
    key: Mapped[str] = mapped_column(String(50), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class BarometerRow(Base):
    """One occupation's assessment in one area (14: Västra Götalands län, 00: Sweden) in one round of
    Arbetsförmedlingen's Yrkesbarometer, as imported by an admin (``kompetenskartan yrkesbarometer --import``).
    Public data (CC0); the round the app ships (``data/yrkesbarometer.csv``) is not stored here."""

    __tablename__ = "barometer"
    omgang: Mapped[str] = mapped_column(String(10), primary_key=True)
    lan: Mapped[str] = mapped_column(String(2), primary_key=True)
    yb_concept_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    yb_yrke: Mapped[str] = mapped_column(String(200))
    yrkesomrade: Mapped[str] = mapped_column(String(200))
    ssyk: Mapped[str] = mapped_column(String(200))
    antal_ssyk: Mapped[str] = mapped_column(String(4))
    jobbmojligheter: Mapped[str] = mapped_column(String(20))
    rekryteringssituation: Mapped[str] = mapped_column(String(20))
    prognos: Mapped[str] = mapped_column(String(20))
    hogsta_bedomningsniva: Mapped[str] = mapped_column(String(20))
    delvis_helt: Mapped[str] = mapped_column(String(10))
    taxonomi_version: Mapped[str] = mapped_column(String(4))


class BarometerRoundRow(Base):
    """A stored round: when, by whom and from which file it was imported."""

    __tablename__ = "barometer_rounds"
    omgang: Mapped[str] = mapped_column(String(10), primary_key=True)
    imported_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    imported_by: Mapped[str] = mapped_column(String(254))
    file_name: Mapped[str] = mapped_column(String(200))
    occupations: Mapped[int] = mapped_column(Integer)


class ReleaseRow(Base):
    """A published release of the public figures (``core.disclosure.history``): made once for closed months, never
    changed afterwards. ``cells``: the protected cells (compressed JSON, hidden ones with their values: the
    register's own copy, never shown); ``needs``: the rows it was made from (codes, numbers, dates; compressed CSV)."""

    __tablename__ = "releases"
    __table_args__ = (UniqueConstraint("through", "revision", name="uq_releases_through_revision"),
                      Index("uq_releases_based_on", "based_on", unique=True))
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # the release it was built on (0: the first); unique, so that of two publishers at once only one stores a release
    based_on: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    through: Mapped[str] = mapped_column(String(7))  # the last month published, "2026-09"
    published_on: Mapped[dt.date] = mapped_column(Date)
    revision: Mapped[str] = mapped_column(String(20))  # the register revision it was made from
    made_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    made_by: Mapped[str] = mapped_column(String(254))
    shown: Mapped[int] = mapped_column(Integer)  # cells shown
    hidden: Mapped[int] = mapped_column(Integer)  # cells hidden
    scopes: Mapped[str] = mapped_column(Text)  # the insiders protected against: "1427,1435;1488;…"
    cells: Mapped[bytes] = mapped_column(LargeBinary)
    needs: Mapped[bytes] = mapped_column(LargeBinary)


class SupplyRoundRow(Base):
    """A round of the training supply an admin imported (``services.supply``): its source, file and who stored it.
    A stored round is never changed; the next one is stored beside it."""

    __tablename__ = "supply_rounds"
    round_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    source_kind: Mapped[str] = mapped_column(String(12))  # myh, skolverket, admin
    label: Mapped[str] = mapped_column(String(60))  # "MYH program 2025", "Skolverket 2026-12-05"
    file_name: Mapped[str] = mapped_column(String(200))
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    imported_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    imported_by: Mapped[str] = mapped_column(String(254))
    rows: Mapped[int] = mapped_column(Integer)


SUPPLY_TEXT = (  # core.exchange.supply.COLUMNS as stored (text, as the reader gives them); the file is the round's
    ("source", 20), ("kind", 10), ("round", 20), ("diarienummer", 40), ("event_id", 300), ("title", 300),
    ("provider", 300), ("education_area", 300), ("sun5_code", 20), ("sun5_name", 300), ("municipality_code", 4),
    ("municipality_name", 300), ("several_municipalities", 3), ("municipalities", 20), ("yh_points", 20),
    ("credits_text", 620), ("study_form", 10), ("pace_pct", 20), ("intakes", 20), ("first_intake_year", 20),
    ("seats_per_intake", 20), *((f"seats_intake_{k}", 20) for k in range(1, 6)), ("seats_total", 20), ("start", 10),
    ("continuous_intake", 3), ("source_sheet", 80), ("source_row", 20),
)


class SupplyRow(Base):
    """One programme or course and study municipality of a stored supply round (``core.exchange.supply.COLUMNS``
    but ``source_file``, which is the round's)."""

    __table__ = Table(
        "supply", Base.metadata,
        Column("round_id", Integer, ForeignKey("supply_rounds.round_id"), primary_key=True),
        Column("line", Integer, primary_key=True),  # the row's place in the round (0, 1, ...)
        *(Column(name, String(length), nullable=False, server_default="") for name, length in SUPPLY_TEXT),
    )
