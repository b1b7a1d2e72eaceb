"""The shared selection (area, industry, competence, need type, horizon, period) and its URL form.

A ``Filters`` value is what every page analyses; ``to_query``/``from_query`` turn it into the
URL's query parameters and back, so a shared link reproduces a view. Parsing never trusts the
URL: a value that is not among the choices is dropped and reported, never passed on.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace

import pandas as pd

from core.common.models import Horizon, NeedType
from core.records import audience

FYRBODAL = "fyrbodal"
ALL = "all"


@dataclass(frozen=True)
class Choices:
    """What a selection may contain, given the register and the reference data."""

    areas: tuple[str, ...]
    industries: tuple[str, ...]
    competences: tuple[str, ...]
    months: tuple[str, ...]  # "YYYY-MM", ascending
    need_types: tuple[str, ...] = tuple(n.value for n in NeedType)
    horizons: tuple[str, ...] = tuple(h.value for h in Horizon)


@dataclass(frozen=True)
class Filters:
    area: str = FYRBODAL  # "fyrbodal" | "all" | "fa:16" | "m:1427"
    industry: str = ""  # "" | "ig:marine_food" | "sni:C"
    competences: tuple[str, ...] = ()
    need_types: tuple[str, ...] = ()
    horizons: tuple[str, ...] = ()
    period: tuple[str, str] | None = None  # first and last month, inclusive
    ignored: tuple[tuple[str, str], ...] = field(default=(), compare=False)

    def to_query(self) -> dict[str, str]:
        """Query parameters for the non-default parts of the selection."""
        query = {
            "area": self.area if self.area != FYRBODAL else "",
            "industry": self.industry,
            "competence": ",".join(self.competences),
            "type": ",".join(self.need_types),
            "horizon": ",".join(self.horizons),
            "from": self.period[0] if self.period else "",
            "to": self.period[1] if self.period else "",
        }
        return {k: v for k, v in query.items() if v}

    @classmethod
    def from_query(cls, params: Mapping[str, str], choices: Choices) -> Filters:
        ignored: list[tuple[str, str]] = []

        def one(name: str, allowed: tuple[str, ...], default: str) -> str:
            value = params.get(name, "")
            if value and value not in allowed:
                ignored.append((name, value))
                return default
            return value or default

        def many(name: str, allowed: tuple[str, ...]) -> tuple[str, ...]:
            values = [v for v in params.get(name, "").split(",") if v]
            ignored.extend((name, v) for v in values if v not in allowed)
            return tuple(v for v in values if v in allowed)

        period = None
        start, end = one("from", choices.months, ""), one("to", choices.months, "")
        if start or end:
            start, end = start or choices.months[0], end or choices.months[-1]
            period = (min(start, end), max(start, end))
        return cls(
            area=one("area", choices.areas, FYRBODAL if FYRBODAL in choices.areas else ALL),
            industry=one("industry", choices.industries, ""),
            competences=many("competence", choices.competences),
            need_types=many("type", choices.need_types),
            horizons=many("horizon", choices.horizons),
            period=period,
            ignored=tuple(ignored),
        )

    def without_ignored(self) -> Filters:
        return replace(self, ignored=())


def choices_for(needs: pd.DataFrame, municipalities: pd.DataFrame, industries: list[str], fyrbodal: list[str], *,
                scope: tuple[str, ...] | None) -> Choices:
    """The choices offered to a reader of ``scope`` (``core.records.audience.scope``: None for every row, a broker's
    municipalities, () for none). ``municipalities`` has ``code`` and ``fa_code`` for all 290.

    Areas, competences and months come from the rows the reader may read only: a list built from the whole register
    would tell a broker which competences (and months) other municipalities' companies have. A broker gets their
    municipalities together (when more than one) and one at a time, never Fyrbodal or an FA region."""
    readable = audience.rows_in(needs, scope)
    present = set(readable["municipality_code"].astype(str).unique())
    munis = municipalities[municipalities["code"].isin(present)]
    if scope is None:
        areas = [ALL] if not present <= set(fyrbodal) else []
        if present & set(fyrbodal):
            areas.insert(0, FYRBODAL)
        areas += [f"fa:{c}" for c in sorted(munis["fa_code"].dropna().unique())]
        areas += [f"m:{c}" for c in sorted(munis["code"])]
    else:  # their own municipalities, with rows or not yet (a new broker's first day: an empty page, not an error)
        own = [f"m:{c}" for c in sorted(set(scope) & set(municipalities["code"].astype(str)))]
        areas = [ALL, *own] if len(own) > 1 else own
    months = pd.period_range(readable["collected_on"].min(), readable["collected_on"].max(), freq="M") if len(readable) else ()
    return Choices(
        areas=tuple(areas),
        industries=tuple(industries),
        competences=tuple(sorted(readable["competence"].astype(str).unique())),
        months=tuple(str(m) for m in months),
    )


def area_codes(area: str, municipalities: pd.DataFrame, fyrbodal: list[str]) -> list[str] | None:
    """The municipality codes of an area; None for the whole register."""
    if area == ALL:
        return None
    if area == FYRBODAL:
        return list(fyrbodal)
    kind, _, code = area.partition(":")
    if kind == "fa":
        return municipalities.loc[municipalities["fa_code"] == code, "code"].tolist()
    if kind == "m":
        return [code]
    raise ValueError(f"unknown area {area!r}")


def apply(needs: pd.DataFrame, filters: Filters, codes: list[str] | None) -> pd.DataFrame:
    """The needs in the selection (``needs`` as from ``analysis.prepare``)."""
    mask = pd.Series(True, index=needs.index)
    if codes is not None:
        mask &= needs["municipality_code"].isin(codes)
    kind, _, value = filters.industry.partition(":")
    if kind == "ig":
        mask &= needs["industry_group"] == value
    elif kind == "sni":
        mask &= needs["sni_section"] == value
    for column, values in (
        ("competence", filters.competences),
        ("need_type", filters.need_types),
        ("horizon", filters.horizons),
    ):
        if values:
            mask &= needs[column].isin(values)
    if filters.period:
        start = pd.Period(filters.period[0], "M").start_time
        end = pd.Period(filters.period[1], "M").end_time
        mask &= needs["collected_on"].between(start, end)
    # nothing filtered out: a copy-on-write copy, which copies no data until someone changes it
    return needs.copy(deep=False) if mask.all() else needs[mask]
