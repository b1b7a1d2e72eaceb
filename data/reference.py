"""Readers for the reference tables in this folder, each row carrying its own source.

Codes are read as strings (SCB codes keep their leading zero; SNI codes like ``10.2`` are
not numbers). See ``build_reference.py`` for how the sourced tables were made.
"""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path

import pandas as pd

HERE = Path(__file__).parent
FYRBODAL_NAME = "Fyrbodal"


def _read(name: str) -> pd.DataFrame:
    return pd.read_csv(HERE / name, dtype=str, keep_default_na=False)


@cache
def municipalities() -> pd.DataFrame:
    """The 14 Fyrbodal municipalities with SCB code, population 2023 (and source), FA region."""
    frame = _read("municipalities.csv")
    for col in ("lat", "lon"):
        frame[col] = frame[col].astype(float)
    frame["population_2023"] = frame["population_2023"].astype(int)
    frame["population_2024"] = pd.to_numeric(frame["population_2024"]).astype("Int64")
    return frame


def fyrbodal_codes() -> list[str]:
    return list(_fyrbodal_codes())


@cache
def _fyrbodal_codes() -> tuple[str, ...]:
    return tuple(municipalities()["code"].tolist())


@cache
def places() -> pd.DataFrame:
    """Localities (GeoNames cities1000, CC BY 4.0) of the 14, plus destinations outside."""
    frame = _read("places.csv")
    frame[["lat", "lon"]] = frame[["lat", "lon"]].astype(float)
    frame["population"] = frame["population"].astype(int)
    return frame


@cache
def learning_centres() -> pd.DataFrame:
    frame = _read("learning_centres.csv")
    frame[["lat", "lon"]] = frame[["lat", "lon"]].apply(pd.to_numeric)
    return frame


@cache
def sni_sections() -> pd.DataFrame:
    return _read("sni_sections.csv")


@cache
def ssyk_groups() -> pd.DataFrame:
    return _read("ssyk_groups.csv")


@cache
def competences() -> pd.DataFrame:
    frame = _read("competences.csv")
    frame[["min_class_size", "max_class_size"]] = frame[["min_class_size", "max_class_size"]].astype(int)
    return frame


@cache
def industry_groups() -> pd.DataFrame:
    return _read("industry_groups.csv")


@cache
def network_nodes() -> pd.DataFrame:
    """Junctions, stations and towns outside the places table that the travel network needs."""
    frame = _read("network_nodes.csv")
    frame[["lat", "lon"]] = frame[["lat", "lon"]].astype(float)
    return frame


@cache
def network_links() -> pd.DataFrame:
    """The authored road, ferry and rail links of the travel model (see geo/network.py)."""
    return _read("network_links.csv")


@cache
def travel_checks() -> pd.DataFrame:
    """Every sourced road, rail and travel-time figure (copied from the shared reference's distances.csv)."""
    frame = _read("travel_checks.csv")
    frame[["value", "tolerance"]] = frame[["value", "tolerance"]].astype(float)
    return frame


@cache
def demo_profiles() -> dict:
    with open(HERE / "demo_profiles.toml", "rb") as fh:
        return tomllib.load(fh)


def sni_section_of(sni_code: str) -> str:
    """The SNI 2007 section letter of a division or class code ('10.2' -> 'C')."""
    division = int(str(sni_code).split(".")[0])
    for section, divisions in zip(sni_sections()["section"], sni_sections()["divisions"]):
        low, _, high = divisions.partition("-")
        if int(low) <= division <= int(high or low):
            return section
    raise ValueError(f"SNI code {sni_code!r} lies in no SNI 2007 section")


@cache
def industry_group_of(sni_code: str) -> str | None:
    """The Kompetenskartan industry group whose SNI codes are the longest prefix of ``sni_code``, if any."""
    code = str(sni_code).strip()
    best, length = None, 0
    for group, codes in zip(industry_groups()["code"], industry_groups()["sni_codes"]):
        for prefix in str(codes).split(";"):
            if prefix and code.startswith(prefix) and len(prefix) > length:
                best, length = group, len(prefix)
    return best


@cache
def sni_divisions() -> frozenset[int]:
    """The SNI 2007 divisions (01–99 with gaps) that lie in a section."""
    out = set()
    for divisions in sni_sections()["divisions"]:
        low, _, high = divisions.partition("-")
        out |= set(range(int(low), int(high or low) + 1))
    return frozenset(out)


YRKESBAROMETER_RETRIEVED = "2026-12-02"  # when the shipped round was read (shared/reference/README.md)


@cache
def yrkesbarometer() -> pd.DataFrame:
    """Arbetsförmedlingen's Yrkesbarometer for county 14 (Västra Götaland) and Sweden (00), one row per occupation
    and area, with its round and source; empty assessment fields where the occupation was not assessed."""
    return _read("yrkesbarometer.csv")


@cache
def competence_occupations() -> pd.DataFrame:
    """The competence catalogue linked to the barometer's occupations (by SSYK 2012 unit group), each link with a
    one-line reason; a competence with no fitting occupation has one row with an empty ``yb_concept_id`` saying why."""
    return _read("competence_occupations.csv")
