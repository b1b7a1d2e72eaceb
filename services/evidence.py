"""The evidence for the next programme (issue 33, point 5), read from the register for one reader.

Who: a broker or an admin (``Refused`` for anyone else). The page is not offered to the public or to viewers: the
protected version reads only the newest published release, which the public sees already on the supply page, and the
document is made for a provider's application, which a broker prepares with them. Keeping it off the public pages
publishes no new combination of figures (a sum over the municipalities within reach of any place is a new figure an
outsider could subtract from another).

What: in the protected version every figure of needs is the release's (and no cohort); in the exact version the rows
the reader may read (``core.records.audience.scope``: a broker's municipalities, an admin's all), the release's figure
for the municipalities within reach the reader may not read, and the cohorts the finder makes of the reader's rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import pandas as pd

from core.briefing import evidence
from core.briefing.evidence import Choice, Evidence
from core.cohorts.finder import DISTANCE
from core.disclosure.release import Release
from core.records import audience
from core.records.audience import User
from data import reference
from geo.access import home_places
from geo.matrix import Matrix
from services import cohort_instance
from services.register.store import Register
from services.seed import BarometerRound
from services.workspace import Refused

PERIOD_MONTHS = 12  # the exact version counts the needs recorded in the 12 months up to the register's reference date
OFFER_COLUMNS = ["offer_id", "title", "competence", "host", "form", "seats", "window"]


def check(user: User | None) -> None:
    if not audience.sees_companies(user):
        raise Refused("role", "only a broker or an admin makes the evidence for a programme")


def study_places(matrix: Matrix) -> list[str]:
    """The places a programme can be put at: the travel model's places, learning centres' places first."""
    centres = set(reference.learning_centres()["place_id"])
    names = dict(zip(reference.places()["place_id"], reference.places()["name"]))
    return sorted(matrix.place_ids, key=lambda p: (p not in centres, names.get(p, p)))


def minutes_from(matrix: Matrix, place_id: str) -> tuple[dict[str, float], dict[str, float]]:
    """Modelled minutes by public transport to ``place_id``: from each Fyrbodal municipality's central locality, and
    from every place of the model."""
    idx = matrix.index()
    to = idx[place_id]
    homes = home_places(reference.municipalities(), reference.places())
    by_code = {code: float(matrix.minutes_pt[idx[home], to]) for code, home in homes.items() if home in idx}
    by_place = {p: float(matrix.minutes_pt[i, to]) for p, i in idx.items()}
    return by_code, by_place


def period(meta: Mapping[str, str]) -> tuple[dt.date, dt.date]:
    last = cohort_instance.reference_date(dict(meta))
    return (pd.Timestamp(last) - pd.DateOffset(months=PERIOD_MONTHS) + pd.Timedelta(days=1)).date(), last


def rows_of(register: Register, user: User | None, competence: str) -> pd.DataFrame:
    """The needs of ``competence`` the user may read (not withdrawn), cut on the server."""
    needs = audience.rows_for(user, register.needs_frame())
    if "withdrawn" in needs:
        needs = needs[~needs["withdrawn"].astype(bool)]
    return needs[needs["competence"].astype(str) == competence]


def instance_offers(offers: pd.DataFrame, choice: Choice, reference_date: dt.date) -> pd.DataFrame:
    """The offers of the competence held at the study place, with their horizon window, as the cohort finder reads
    them (``services.cohort_instance.build``)."""
    mine = offers[(offers["competence"] == choice.competence) & offers["form"].ne("distance")
                  & (offers["place_id"] == choice.place_id)]
    windows = [cohort_instance.window_of(s, reference_date) for s in mine["start"]]
    mine = mine.assign(window=windows, host=mine["place_id"].where(mine["form"].ne("distance"), DISTANCE))
    return mine[mine["window"].notna()][OFFER_COLUMNS].reset_index(drop=True)


def cohorts(rows: pd.DataFrame, choice: Choice, minutes_to: dict[str, float], offers: pd.DataFrame,
            reference_date: dt.date) -> tuple:
    window = cohort_instance.window_of(pd.Timestamp(choice.start), reference_date)
    if not window:  # the start is past or beyond the finder's horizons
        return ()
    catalogue = reference.competences().set_index("code")
    sizes = (int(catalogue.at[choice.competence, "min_class_size"]), int(catalogue.at[choice.competence, "max_class_size"]))
    waiting = rows[rows["status"].astype(str).isin(cohort_instance.WAITING)] if "status" in rows else rows
    return evidence.absorbed(waiting, choice, minutes_to, sizes, instance_offers(offers, choice, reference_date), window)


def make(register: Register, user: User | None, choice: Choice, lang: str, *, offers: pd.DataFrame, matrix: Matrix,
         published: Release | None, barometer: BarometerRound, names: Mapping[str, Mapping[str, str]],
         today: dt.date) -> Evidence:
    """The evidence for ``choice`` as ``user`` may read it (``Refused`` for the public and viewers)."""
    check(user)
    meta = register.meta()
    minutes_to, place_minutes = minutes_from(matrix, choice.place_id)
    first, last = period(meta)
    rows = found = None
    if not choice.protected:
        found = rows_of(register, user, choice.competence)
        collected = pd.to_datetime(found["collected_on"]).dt.date
        rows = found[(collected >= first) & (collected <= last)]
    inputs = evidence.Inputs(
        choice=choice, names=names, minutes_to=minutes_to, place_minutes=place_minutes, rows=rows,
        readable=audience.scope(user), period=(first, last), release=published, offers=offers,
        barometer=barometer.rows, links=reference.competence_occupations(), barometer_round=barometer.name,
        barometer_date=barometer.date,
        cohorts=None if found is None else cohorts(found, choice, minutes_to, offers, last),
        meta=meta, generated=today)
    return evidence.assemble(inputs, lang)
