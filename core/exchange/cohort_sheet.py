"""A cohort plan as tables, JSON and an Excel workbook, with its explanations in plain words."""

from __future__ import annotations

import dataclasses
import io
import json

import pandas as pd

from core.cohorts.finder import DISTANCE, NonViable, Plan, Settings
from core.common.i18n import t
from core.exchange.export import defuse


@dataclasses.dataclass(frozen=True)
class Labels:
    """Names for codes: municipalities, competences, host places, the learning centre at a host."""

    municipality: dict[str, str]
    competence: dict[str, str]
    place: dict[str, str]
    centre: dict[str, str]  # host place id -> learning centre name(s)

    def host(self, host: str, lang: str) -> str:
        if host == DISTANCE:
            return t(lang, "cohort.distance_host")
        centre = self.centre.get(host)
        place = self.place.get(host, host)
        return f"{centre} ({place})" if centre else place


def explanation(item: NonViable, settings: Settings, labels: Labels, lang: str) -> str:
    if item.reason == "no_host":
        return t(lang, "cohort.why_no_host", car=int(settings.car_minutes), pt=int(settings.pt_minutes))
    if item.reason == "too_few":
        return t(lang, "cohort.why_too_few", n=item.missing, car=int(settings.car_minutes), pt=int(settings.pt_minutes),
                 host=labels.host(item.best_host, lang))
    return t(lang, "cohort.why_not_chosen")


def alternative(item: NonViable, labels: Labels, lang: str) -> str:
    kind, _, value = item.alternative.partition(":")
    if kind == "distance":
        return t(lang, "cohort.alt_distance", title=value)
    if kind == "neighbour":
        return t(lang, "cohort.alt_neighbour", place=labels.place.get(value, value))
    return t(lang, "cohort.alt_contract")


def proposals(plan: Plan, labels: Labels, lang: str) -> pd.DataFrame:
    rows = []
    for i, c in enumerate(plan.cohorts, start=1):
        rows.append({
            "cohort": i, "competence": labels.competence.get(c.competence, c.competence), "competence_code": c.competence,
            "host": labels.host(c.host, lang), "host_place_id": c.host,
            "form": t(lang, "form.distance" if c.host == DISTANCE else "form.blended"),
            "window": t(lang, f"horizon.{c.window}"),
            "municipalities": ", ".join(labels.municipality.get(m, m) for m in c.municipalities),
            "n_municipalities": len(c.municipalities), "persons": c.total, "min_size": c.min_size, "max_size": c.max_size,
            "regional_vux": c.regional_vux, "longest_minutes_car": round(c.longest, 1),
        })
    return pd.DataFrame(rows, columns=["cohort", "competence", "competence_code", "host", "host_place_id", "form", "window",
                                       "municipalities", "n_municipalities", "persons", "min_size", "max_size",
                                       "regional_vux", "longest_minutes_car"])


def members(plan: Plan, labels: Labels, lang: str) -> pd.DataFrame:
    rows = [
        {"cohort": i, "competence": labels.competence.get(c.competence, c.competence), "need_id": m.need_id,
         "municipality_code": m.municipality_code, "municipality": labels.municipality.get(m.municipality_code, m.municipality_code),
         "persons": m.persons, "horizon": t(lang, f"horizon.{m.horizon}"), "host": labels.host(c.host, lang),
         "minutes_car": round(m.minutes_car, 1), "minutes_pt": round(m.minutes_pt, 1), "pooled_only": len(c.municipalities) > 1}
        for i, c in enumerate(plan.cohorts, start=1) for m in c.members
    ]
    return pd.DataFrame(rows, columns=["cohort", "competence", "need_id", "municipality_code", "municipality", "persons",
                                       "horizon", "host", "minutes_car", "minutes_pt", "pooled_only"])


def non_viable(plan: Plan, settings: Settings, labels: Labels, lang: str) -> pd.DataFrame:
    rows = [
        {"need_id": n.need_id, "competence": labels.competence.get(n.competence, n.competence),
         "municipality": labels.municipality.get(n.municipality_code, n.municipality_code), "persons": n.persons,
         "horizon": t(lang, f"horizon.{n.horizon}"), "reason": n.reason, "missing": n.missing,
         "why": explanation(n, settings, labels, lang), "alternative": alternative(n, labels, lang)}
        for n in plan.non_viable
    ]
    return pd.DataFrame(rows, columns=["need_id", "competence", "municipality", "persons", "horizon", "reason", "missing",
                                       "why", "alternative"])


def routed(plan: Plan, titles: dict[str, str], labels: Labels) -> pd.DataFrame:
    rows = [{"need_id": r.need_id, "competence": labels.competence.get(r.competence, r.competence),
             "municipality": labels.municipality.get(r.municipality_code, r.municipality_code), "persons": r.persons,
             "offer_id": r.offer_id, "offer": titles.get(r.offer_id, r.offer_id), "minutes_car": round(r.minutes_car, 1)}
            for r in plan.routed]
    return pd.DataFrame(rows, columns=["need_id", "competence", "municipality", "persons", "offer_id", "offer", "minutes_car"])


def to_json(plan: Plan, settings: Settings, labels: Labels, lang: str = "en", example_data: bool = False) -> str:
    """The command line's output: per proposal its competence, host, members, total and minimum; the non-viable needs."""
    body = {
        "example_data": example_data,
        "method": plan.method, "status": plan.status, "mip_gap": None if plan.gap != plan.gap else plan.gap,
        "seconds": round(plan.seconds, 3), "settings": dataclasses.asdict(settings),
        "persons_placed": plan.persons_placed,
        "proposals": [
            {"competence": c.competence, "host_place_id": c.host or None, "host": labels.host(c.host, lang),
             "form": "distance" if c.host == DISTANCE else "blended", "start_window": c.window,
             "members": [{"municipality_code": m.municipality_code, "persons": m.persons,
                          "minutes_to_host": round(m.minutes_car, 1), "minutes_to_host_pt": round(m.minutes_pt, 1),
                          "need_id": m.need_id} for m in c.members],
             "total_persons": c.total, "min_size": c.min_size, "max_size": c.max_size,
             "regional_vocational_adult_education": c.regional_vux}
            for c in plan.cohorts
        ],
        "routed_to_existing_offers": [dataclasses.asdict(r) for r in plan.routed],
        "non_viable": [dataclasses.asdict(n) | {"explanation": explanation(n, settings, labels, lang),
                                                "alternative_text": alternative(n, labels, lang)} for n in plan.non_viable],
    }
    return json.dumps(body, ensure_ascii=False, indent=2)


def to_excel(sheets: dict[str, pd.DataFrame]) -> bytes:
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for name, frame in sheets.items():
            safe = frame.copy()
            for column in safe.columns:  # openpyxl stores a text starting with "=" as a formula
                if pd.api.types.is_string_dtype(safe[column]) or safe[column].dtype == object:
                    safe[column] = safe[column].map(defuse)
            safe.to_excel(writer, sheet_name=name[:31], index=False)
    return buffer.getvalue()
