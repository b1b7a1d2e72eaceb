"""The cohort finder's instance for the register: travel from each municipality to each host place.

Hosts are the places of the learning centres (komvux, learning centres, universities) in the
area and the places where an offer of the competence is held; minutes come from the travel
matrix between the municipality's central locality and the host. An offer's start date puts it
in a horizon window counted from the register's reference date (offers already started drop
out; an offer without a start date is taken to have yearly intakes and fits any window).
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from core.cohorts.finder import DISTANCE, Instance
from core.exchange.cohort_sheet import Labels
from data import reference
from geo.access import home_places
from geo.matrix import Matrix

HOST_KINDS = ("komvux", "learning_centre", "university")
WINDOW_MONTHS = ((6, "0-6"), (12, "6-12"), (36, "12-36"))


def window_of(start, reference: dt.date) -> str | None:
    """The horizon window an offer starting on ``start`` falls in; "" if unknown, None if past or too far."""
    if start is None or pd.isna(start):
        return ""
    months = (pd.Timestamp(start).year - reference.year) * 12 + pd.Timestamp(start).month - reference.month
    if months < 0:
        return None
    return next((w for limit, w in WINDOW_MONTHS if months < limit), None)


WAITING = ("new", "analysed")


def build(needs: pd.DataFrame, offers: pd.DataFrame, matrix: Matrix, homes: dict[str, str], centres: pd.DataFrame,
          competences: pd.DataFrame, place_names: dict[str, str], codes: list[str], reference: dt.date) -> Instance:
    centre_places = set(centres.loc[centres["kind"].isin(HOST_KINDS) & centres["municipality_code"].isin(codes), "place_id"])
    offer_places = set(offers.loc[offers["form"].ne("distance") & offers["place_id"].ne(""), "place_id"])
    hosts = sorted((centre_places | offer_places) & set(matrix.place_ids))
    idx = matrix.index()
    rows = [c for c in codes if homes.get(c) in idx]
    pick = ([idx[homes[c]] for c in rows], [idx[h] for h in hosts])
    car = pd.DataFrame(matrix.minutes_car[pick[0]][:, pick[1]], index=rows, columns=hosts)
    pt = pd.DataFrame(matrix.minutes_pt[pick[0]][:, pick[1]], index=rows, columns=hosts)
    frame = needs[needs["municipality_code"].astype(str).isin(rows)]
    if "status" in frame:  # only needs still waiting for training: not matched, in training or closed
        frame = frame[frame["status"].astype(str).isin(WAITING)]
    plain = pd.DataFrame({
        "need_id": frame["id"].astype(int).to_numpy(),
        "municipality_code": frame["municipality_code"].astype(str).to_numpy(),
        "competence": frame["competence"].astype(str).to_numpy(),
        "persons": frame["persons"].astype(int).to_numpy(),
        "horizon": frame["horizon"].astype(str).to_numpy(),
        "form": frame["form"].astype(str).to_numpy(),
    })
    windows = [window_of(s, reference) for s in offers["start"]]
    usable = offers.assign(window=windows, host=offers["place_id"].where(offers["form"].ne("distance"), DISTANCE))
    # an offer at a study place beyond the travel matrix (Borås, Kungälv, ...) cannot host a need
    usable = usable[usable["window"].notna() & usable["competence"].ne("") & usable["host"].ne("")]
    sizes = {r.code: (int(r.min_class_size), int(r.max_class_size)) for r in competences.itertuples()}
    return Instance(plain, car, pt, sizes, usable[["offer_id", "title", "competence", "host", "form", "seats", "window"]],
                    {h: place_names.get(h, h) for h in hosts})


def for_register(needs: pd.DataFrame, offers: pd.DataFrame, matrix: Matrix, codes: list[str], reference_date: dt.date) -> Instance:
    """The instance for the register's needs in ``codes`` with the reference tables."""
    places = reference.places()
    return build(needs, offers, matrix, _homes(), reference.learning_centres(), reference.competences(),
                 dict(zip(places["place_id"], places["name"])), codes, reference_date)


def _homes() -> dict[str, str]:
    return home_places(reference.municipalities(), reference.places())


def labels(lang: str, municipality_names: dict[str, str]) -> Labels:
    places = reference.places()
    centres = reference.learning_centres()
    centres = centres[centres["kind"].isin(HOST_KINDS) & centres["place_id"].ne("")]
    by_place = centres.groupby("place_id")["name"].agg(lambda names: " / ".join(sorted(names)))
    catalogue = reference.competences()
    return Labels(
        municipality=municipality_names,
        competence=dict(zip(catalogue["code"], catalogue["name_en" if lang == "en" else "name_sv"])),
        place=dict(zip(places["place_id"], places["name"])),
        centre=by_place.to_dict(),
    )


def reference_date(meta: dict[str, str]) -> dt.date:
    """Horizons count from the end of the register's period (the demo's), or from today."""
    end = meta.get("period_end")
    return dt.date.fromisoformat(end) if end else dt.date.today()
