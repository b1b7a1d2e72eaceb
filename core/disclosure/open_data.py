"""A published release as open data: the cells as CSV and JSON, and a metadata file for Sweden's open-data
portal (dataportal.se), with DCAT-AP-SE's field names where they fit.

The CSV is what Swedish statistics readers expect: UTF-8 with a byte-order mark (Excel reads the å, ä, ö),
semicolons, Swedish headers, one row per cell, and a hidden (protected) figure written ``..`` as SCB and
Kolada write a figure that may not be shown. The JSON has the same rows, with ``null`` and ``"skyddad": true``
for a hidden one. Both are made from the stored release only, so they never differ from the pages.
"""

from __future__ import annotations

import json
from collections.abc import Mapping

import pandas as pd

from core.disclosure.release import REGION, Release

HIDDEN = ".."
HEADERS = {
    "release": "Publicering", "published": "Publicerad", "through": "Avser t.o.m.", "year": "År", "measure": "Mått",
    "dim": "Indelning", "code": "Kod", "label": "Benämning", "area_code": "Områdeskod", "area": "Område", "value": "Värde",
}
MEASURES = {"persons": "Personer", "companies": "Företag", "needs": "Behov"}
DIMENSIONS = {"total": "Totalt", "need_type": "Behovstyp", "competence": "Kompetens", "industry_group": "Branschgrupp",
              "quarter": "Kvartal"}
REGION_NAME = "Fyrbodal"
FILES = {"csv": "text/csv", "json": "application/json"}


def rows(published: Release, names: Mapping[str, Mapping[str, str]]) -> pd.DataFrame:
    """One row per cell (``HEADERS``' keys), in a fixed order; ``value`` None where hidden. ``names``:
    municipality, competence, industry_group and need_type codes to Swedish names."""
    out = []
    for k, cell in published.cells.items():
        year, measure, dim, where, code = k.split("|")
        label = {"total": "", "quarter": f"Kvartal {code[1:]}"}.get(dim, names.get(dim, {}).get(code, code))
        out.append({
            "release": published.id, "published": published.published, "through": published.through, "year": int(year),
            "measure": MEASURES[measure], "dim": DIMENSIONS[dim], "code": code, "label": label,
            "area_code": REGION_NAME if where == REGION else where,
            "area": REGION_NAME if where == REGION else names["municipality"].get(where, where),
            "value": None if cell.suppressed else int(round(cell.value)),
            "_order": (int(year), list(MEASURES).index(measure), list(DIMENSIONS).index(dim), where == REGION, where, code),
        })
    frame = pd.DataFrame(out, columns=[*HEADERS, "_order"])
    return frame.sort_values("_order", kind="stable").drop(columns="_order").reset_index(drop=True)


def to_csv(table: pd.DataFrame) -> bytes:
    shown = table.astype({"value": object})
    shown["value"] = [HIDDEN if v is None or pd.isna(v) else str(int(v)) for v in table["value"]]
    return shown.rename(columns=HEADERS).to_csv(sep=";", index=False, lineterminator="\r\n").encode("utf-8-sig")


def to_json(table: pd.DataFrame) -> bytes:
    records = []
    for r in table.to_dict("records"):
        hidden = r["value"] is None or pd.isna(r["value"])
        records.append({HEADERS[k]: (None if k == "value" and hidden else (int(v) if k == "value" else v))
                        for k, v in r.items()} | {"Skyddad": hidden})
    return json.dumps(records, ensure_ascii=False, indent=1).encode("utf-8")


def metadata(published: Release, settings: Mapping[str, str], urls: Mapping[str, str], method: str) -> bytes:
    """A DCAT-AP-SE-like description of the dataset (``settings``: title, publisher, publisher_url, licence,
    contact; ``urls``: csv and json download addresses; ``method``: the protection in one paragraph)."""
    first = f"{min(published.years)}-01-01" if published.years else ""
    last = (pd.Period(published.through, "M").end_time.date().isoformat() if published.through else "")
    description = ("Kompetensbehov som kompetensmäklare i Fyrbodals 14 kommuner har samlat in hos företag: personer, "
                   "företag och behov per kommun och för Fyrbodal, per år, behovstyp, kompetens, branschgrupp och kvartal. "
                   f"Publicering {published.id}, avser t.o.m. {published.through}. Skydd: {method}")
    about = {
        "@context": "https://www.w3.org/ns/dcat",
        "@type": "dcat:Dataset",
        "dcterms:identifier": f"kompetenskartan-{published.id}",
        "dcterms:title": {"sv": settings["title"], "en": settings.get("title_en", settings["title"])},
        "dcterms:description": {"sv": description},
        "dcterms:publisher": {"@type": "foaf:Agent", "foaf:name": settings["publisher"],
                              **({"foaf:homepage": settings["publisher_url"]} if settings.get("publisher_url") else {})},
        "dcat:contactPoint": {"@type": "vcard:Organization", "vcard:fn": settings["publisher"],
                              **({"vcard:hasEmail": f"mailto:{settings['contact']}"} if settings.get("contact") else {})},
        "dcterms:issued": published.published,
        "dcterms:temporal": {"@type": "dcterms:PeriodOfTime", "dcat:startDate": first, "dcat:endDate": last},
        "dcterms:spatial": "http://publications.europa.eu/resource/authority/place/SWE",  # Fyrbodal: 14 municipalities below
        "dcterms:accrualPeriodicity": "http://publications.europa.eu/resource/authority/frequency/QUARTERLY",
        "dcat:theme": ["http://publications.europa.eu/resource/authority/data-theme/ECON",
                       "http://publications.europa.eu/resource/authority/data-theme/EDUC"],
        "dcat:keyword": {"sv": ["kompetensbehov", "kompetensförsörjning", "Fyrbodal", "utbildning"]},
        "dcterms:language": "http://publications.europa.eu/resource/authority/language/SWE",
        "adms:versionNotes": {"sv": f"Publicering {published.id}, publicerad {published.published}, avser t.o.m. {published.through}; "
                                    "en publicering ändras aldrig i efterhand; årets sista publicering (t.o.m. december) "
                                    "tar bort behov som dragits tillbaka under året."},
        "kompetenskartan:municipalities": list(published.codes),
        "kompetenskartan:protection": {"sv": method},
        "dcat:distribution": [
            {"@type": "dcat:Distribution", "dcterms:title": {"sv": f"Kompetensbehov ({kind.upper()})"},
             "dcat:accessURL": urls[kind], "dcat:downloadURL": urls[kind], "dcat:mediaType": media,
             "dcterms:license": settings["licence"]}
            for kind, media in FILES.items()
        ],
    }
    return json.dumps(about, ensure_ascii=False, indent=1).encode("utf-8")
