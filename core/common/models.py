"""The domain vocabulary: the closed sets of values a need carries, and the record types.

Codes are plain lowercase strings, stored as they are in the register and in URLs; their
Swedish and English labels live in the i18n catalogues under the enum's name
(``need_type.recruitment``), so a code never changes when a label does.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum


class NeedType(StrEnum):
    RECRUITMENT = "recruitment"  # bristyrke: people the company must hire
    UPSKILLING = "upskilling"  # bristkompetens: staff who must learn


class Horizon(StrEnum):
    SHORT = "0-6"
    MEDIUM = "6-12"
    LONG = "12-36"


class Form(StrEnum):
    ON_SITE = "on_site"
    BLENDED = "blended"
    DISTANCE = "distance"


class Level(StrEnum):
    BASIC = "basic"  # grundläggande
    UPPER_SECONDARY = "upper_secondary"  # gymnasial
    POST_SECONDARY = "post_secondary"  # eftergymnasial, YH
    HIGHER = "higher"  # högskola


class Source(StrEnum):
    COMPANY_VISIT = "company_visit"
    WORKSHOP = "workshop"
    SURVEY = "survey"
    INDUSTRY_COUNCIL = "industry_council"


class Status(StrEnum):
    NEW = "new"
    ANALYSED = "analysed"
    MATCHED = "matched"
    IN_TRAINING = "in_training"
    CLOSED = "closed"


class Outcome(StrEnum):
    """How a closed need ended."""

    TRAINED = "trained"
    RECRUITED = "recruited"
    WITHDRAWN = "withdrawn"
    NO_OFFER = "no_offer"


class SizeClass(StrEnum):
    MICRO = "1-9"
    SMALL = "10-49"
    MEDIUM = "50-249"
    LARGE = "250+"


class ProviderType(StrEnum):
    KOMVUX = "komvux"
    YH = "yh"
    UNIVERSITY = "university"
    PRIVATE = "private"
    CONTRACT = "contract"


# The enum behind each categorical column of the needs table, for labels and validation.
NEED_ENUMS: dict[str, type[StrEnum]] = {
    "need_type": NeedType,
    "horizon": Horizon,
    "form": Form,
    "level": Level,
    "source": Source,
    "status": Status,
}


@dataclass(frozen=True)
class Company:
    id: int
    name: str
    municipality_code: str
    sni_code: str
    industry_group: str
    size_class: str


@dataclass(frozen=True)
class Need:
    id: int
    company_id: int
    municipality_code: str
    industry_group: str
    competence: str
    need_type: NeedType
    persons: int
    horizon: Horizon
    form: Form
    level: Level
    source: Source
    collected_on: dt.date
    broker: str
    status: Status
    note: str = ""


@dataclass(frozen=True)
class LearningCentre:
    centre_id: str
    name: str
    kind: str
    municipality_code: str
    lat: float | None
    lon: float | None
    operator: str
    status: str


@dataclass(frozen=True)
class TrainingOffer:
    """A course or programme with seats (a row of the register's ``offers`` table)."""

    offer_id: str
    title: str
    provider: str
    provider_type: ProviderType
    competence: str  # "" when outside the competence catalogue
    place_id: str  # "" for distance without a study place
    centre_id: str  # "" when not at a listed learning centre
    form: Form
    seats: int  # per intake
    start: dt.date | None  # None when the source does not say
    weeks: int | None
    pace_pct: int
    is_real: bool  # a sourced programme, not example data
    source: str
