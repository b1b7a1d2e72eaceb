"""The reference tables: real facts exactly as sourced, and catalogues that fit together."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from data import reference

SHARED = Path(__file__).resolve().parents[3] / "shared" / "reference" / "municipalities.csv"

# SCB code, name, population 31 Dec 2023 (../shared/reference/municipalities.csv)
FYRBODAL_2023 = [
    ("1421", "Orust", 15333), ("1427", "Sotenäs", 9052), ("1430", "Munkedal", 10502),
    ("1435", "Tanum", 12865), ("1438", "Dals-Ed", 4606), ("1439", "Färgelanda", 6434),
    ("1460", "Bengtsfors", 9138), ("1461", "Mellerud", 9165), ("1484", "Lysekil", 13969),
    ("1485", "Uddevalla", 57045), ("1486", "Strömstad", 13476), ("1487", "Vänersborg", 40012),
    ("1488", "Trollhättan", 59073), ("1492", "Åmål", 12006),
]


@pytest.mark.parametrize(("code", "name", "population"), FYRBODAL_2023)
def test_municipality_code_name_and_population(code, name, population):
    row = reference.municipalities().set_index("code").loc[code]
    assert (row["name"], row["population_2023"]) == (name, population)
    assert row["population_2023_source"], "every population carries its source"


def test_exactly_the_14_fyrbodal_municipalities():
    assert sorted(reference.fyrbodal_codes()) == sorted(c for c, _, _ in FYRBODAL_2023)


@pytest.mark.skipif(not SHARED.exists(), reason="../shared/reference is not beside this checkout")
def test_populations_match_the_shared_reference_file():
    with open(SHARED, encoding="utf-8") as fh:
        shared = {r["kommun_kod"]: int(r["population_2023_12_31"]) for r in csv.DictReader(fh)}
    ours = dict(zip(reference.municipalities()["code"], reference.municipalities()["population_2023"]))
    assert ours == shared


def test_places_belong_to_fyrbodal_or_are_named_destinations():
    places = reference.places()
    localities = places[places["kind"] == "locality"]
    assert set(localities["municipality_code"]) == set(reference.fyrbodal_codes())
    assert set(places.loc[places["kind"] == "destination", "name"]) == {"Göteborg", "Karlstad", "Halden", "Fredrikstad"}
    assert (places["population"] > 0).all()
    assert places["coord_source"].str.contains("GeoNames").all()


def test_kungshamn_has_the_reference_coordinates():
    kungshamn = reference.places().set_index("name").loc["Kungshamn"]
    assert (kungshamn["lat"], kungshamn["lon"], kungshamn["municipality_code"]) == (58.36305, 11.25938, "1427")


def test_learning_centres_have_ids_sources_and_plausible_positions():
    centres = reference.learning_centres()
    assert centres["centre_id"].is_unique
    assert set(centres["kind"]) <= {"komvux", "learning_centre", "university", "other"}
    assert centres["source"].ne("").sum() >= len(centres) - 1
    placed = centres.dropna(subset=["lat"])
    assert placed["lat"].between(57.5, 59.5).all() and placed["lon"].between(10.5, 14.0).all()
    assert {"munkedal-kunskapens-hus", "campus-dalsland"} <= set(placed["centre_id"])


def test_competence_catalogue():
    comp = reference.competences()
    assert 30 <= len(comp) <= 50
    assert comp["code"].is_unique
    assert (comp["min_class_size"] <= comp["max_class_size"]).all()
    assert comp[["name_sv", "name_en"]].ne("").all().all()
    ssyk = set(reference.ssyk_groups()["code"])
    assert set(comp["ssyk_group"]) - {""} <= ssyk


def test_industry_groups_map_to_real_sni_sections():
    sections = set(reference.sni_sections()["section"])
    for _, row in reference.industry_groups().iterrows():
        assert set(row["sni_sections"].split(";")) <= sections
        for code in row["sni_codes"].split(";"):
            assert reference.sni_section_of(code) in row["sni_sections"].split(";"), (row["code"], code)


@pytest.mark.parametrize(
    ("code", "section"),
    [("01", "A"), ("03", "A"), ("10.2", "C"), ("30.12", "C"), ("35", "D"), ("47", "G"), ("79", "N"), ("84", "O"), ("99", "U")],
)
def test_sni_section_of(code, section):
    assert reference.sni_section_of(code) == section


def test_sni_section_of_rejects_codes_outside_sni():
    with pytest.raises(ValueError, match="no SNI 2007 section"):
        reference.sni_section_of("04")


def test_demo_profiles_only_name_known_codes():
    profiles = reference.demo_profiles()
    groups = set(reference.industry_groups()["code"])
    competences = set(reference.competences()["code"])
    assert set(profiles["industry_weights"]) == set(reference.fyrbodal_codes())
    for weights in profiles["industry_weights"].values():
        assert set(weights) <= groups
    assert set(profiles["competence_weights"]) == groups
    for weights in profiles["competence_weights"].values():
        assert set(weights) <= competences
    assert set(profiles["name_stems"]) == groups
