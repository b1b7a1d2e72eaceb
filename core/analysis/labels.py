"""Codes to display labels in the user's language (competences, industries, enums, areas)."""

from __future__ import annotations

import pandas as pd

from core.analysis.filters import Filters
from core.common.i18n import t
from core.common.models import NEED_ENUMS


def catalogue_names(catalogue: pd.DataFrame, lang: str) -> dict[str, str]:
    """``code`` -> name from a catalogue with ``name_sv`` and ``name_en`` columns."""
    column = "name_en" if lang == "en" else "name_sv"
    return dict(zip(catalogue["code"], catalogue[column]))


def enum_label(lang: str, enum_name: str, code: str) -> str:
    return t(lang, f"{enum_name}.{code}")


def area_label(lang: str, area: str, names: dict[str, str], fa_names: dict[str, str], count: int) -> str:
    if area == "fyrbodal":
        return t(lang, "filters.area_fyrbodal")
    if area == "all":
        return t(lang, "filters.area_all", count=count)
    kind, _, code = area.partition(":")
    if kind == "fa":
        return t(lang, "filters.area_fa", name=fa_names.get(code, code))
    return names.get(code, code)


def industry_label(lang: str, industry: str, groups: dict[str, str], sections: dict[str, str]) -> str:
    kind, _, code = industry.partition(":")
    if kind == "ig":
        return t(lang, "filters.industry_group", name=groups.get(code, code))
    if kind == "sni":
        return t(lang, "filters.industry_sni", code=code, name=sections.get(code, code))
    return t(lang, "filters.industry_all")


def label_needs(needs: pd.DataFrame, lang: str, names: dict[str, dict[str, str]]) -> pd.DataFrame:
    """The needs as a table for people: labels for codes, localised column names.

    ``names`` maps ``municipality``, ``competence`` and ``industry_group`` to code -> label.
    """
    out = pd.DataFrame(
        {
            "id": needs["id"],
            "collected_on": needs["collected_on"].dt.date,
            "municipality": needs["municipality_code"].astype(str).map(names["municipality"]),
            "company": needs["company"],
            "industry_group": needs["industry_group"].astype(str).map(names["industry_group"]),
            "sni_code": needs["sni_code"],
            "competence": needs["competence"].astype(str).map(names["competence"]),
            "persons": needs["persons"],
        }
    )
    for column in NEED_ENUMS:
        out[column] = needs[column].astype(str).map(lambda code, c=column: enum_label(lang, c, code))
    out["broker"] = needs["broker"].astype(str)
    out["note"] = needs["note"]
    return out.rename(columns={c: t(lang, f"column.{c}") for c in out.columns})


def selection_summary(lang: str, filters: Filters, names: dict[str, dict[str, str]], sections: dict[str, str],
                      months: tuple[str, ...]) -> str:
    """The selection in one line, for a view without the filter bar (meeting mode, a briefing)."""
    parts = [industry_label(lang, filters.industry, names["industry_group"], sections)]
    if filters.competences:
        parts.append(", ".join(names["competence"].get(c, c) for c in filters.competences))
    parts += [", ".join(t(lang, f"{kind}.{v}") for v in values)
              for kind, values in (("need_type", filters.need_types), ("horizon", filters.horizons)) if values]
    period = filters.period or ((months[0], months[-1]) if months else None)
    if period:
        parts.append(f"{period[0]} – {period[1]}")
    return " · ".join(parts)
