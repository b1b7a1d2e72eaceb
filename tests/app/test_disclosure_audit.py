"""An independent disclosure audit of what a visitor who is not signed in can see.

It shares nothing with the protection code (no cell keys, no relation lists): it crawls the public
pages as a visitor would, for every year and area they offer and the filters of two planted needs,
reads the figures off the page (metrics, tables, chart data), and writes its own linear model of
them from what any reader knows: each breakdown of a place's persons (need type, competence,
industry group, quarter) adds up to the same total, and Fyrbodal is the sum of its 14
municipalities. Then, for every figure the register holds from 1 or 2 companies, it solves the
interval attack (min and max under all of that, HiGHS) and requires the
interval to reach 50 % below and above the true value. Company names, brokers and notes must
appear nowhere, and no period offered can be subtracted from another.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import defaultdict
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy.sparse import lil_matrix
from streamlit.testing.v1 import AppTest

from core.analysis.labels import catalogue_names
from core.common.i18n import t as text_of
from data import demo, reference
from services.register.store import Register
from services.seed import DEMO_USERS, known_codes
from tests.app.conftest import new_app
from tests.app.helpers import frame_with, open_page, open_tables

APP = str(Path(__file__).resolve().parents[2] / "app.py")
FYRBODAL = reference.fyrbodal_codes()
MUNICIPALITY = dict(zip(reference.municipalities()["code"], reference.municipalities()["name"]))
COMPETENCE = catalogue_names(reference.competences(), "sv")
INDUSTRY = catalogue_names(reference.industry_groups(), "sv") | {"other": text_of("sv", "industry.other")}  # listed every year
NEED_TYPE = {"Kompetensutveckling (bristkompetens)": "upskilling", "Rekrytering (bristyrke)": "recruitment"}
DIMS = ("need_type", "competence", "industry_group", "quarter")
ONE, TWO = "Hemliga Enmansvarvet AB", ("Tvåbolaget Alfa AB", "Tvåbolaget Beta AB")
NOTE = "HEMLIG ANTECKNING OM KUNDEN"
YEAR = 2025


def _rare(needs: pd.DataFrame) -> list[str]:
    """Two catalogue competences nobody in the demo register needs in the audited year."""
    used = set(needs.loc[pd.to_datetime(needs["collected_on"]).dt.year == YEAR, "competence"])
    return [c for c in sorted(reference.competences()["code"]) if c not in used][:2]


@pytest.fixture(scope="module")
def planted(tmp_path_factory):
    """The demo register plus one company alone in a competence (Sotenäs) and two alone in another (Lysekil)."""
    generated = demo.generate()
    companies, needs = generated.companies.copy(), generated.needs.copy()
    needs["note"] = NOTE
    one_comp, two_comp = _rare(needs)
    rows = []
    for offset, (name, code, competence, persons) in enumerate(
            [(ONE, "1427", one_comp, 9), (TWO[0], "1484", two_comp, 5), (TWO[1], "1484", two_comp, 6)]):
        company = int(companies["id"].max()) + 1
        companies.loc[len(companies)] = [company, code, "boatbuilding", "30.12", "10-49", name]
        rows.append(needs.iloc[[0]].assign(id=int(needs["id"].max()) + 1 + offset, company_id=company, municipality_code=code,
                                           industry_group="boatbuilding", competence=competence, persons=persons,
                                           collected_on=dt.date(YEAR, 5, 20), note=NOTE))
    url = f"sqlite:///{tmp_path_factory.mktemp('audit') / 'audit.sqlite'}"
    register = Register(url)
    register.replace(companies, pd.concat([needs, *rows], ignore_index=True), generated.meta, known_codes(), generated.offers,
                     users=DEMO_USERS)
    return url, one_comp, two_comp


# --- crawling -----------------------------------------------------------------------------------


def visit(url: str, monkeypatch, page: str, **params: str) -> AppTest:
    monkeypatch.setenv("DATABASE_URL", url)
    at = new_app()
    at.user = {"is_logged_in": False}
    return open_page(at, page, **params)


def texts(at: AppTest) -> str:
    open_tables(at)  # every chart's and map's table opened
    parts = [str(node.proto) for node in _walk(at.main) if getattr(node, "proto", None) is not None]
    parts += [frame.value.to_csv() for frame in at.dataframe] + [table.value.to_csv() for table in at.table]
    parts += [json.dumps(json.loads(chart.proto.spec), ensure_ascii=False) for chart in at.get("plotly_chart")]
    return "\n".join(parts)


def _walk(node):
    yield node
    for child in getattr(node, "children", {}).values():
        yield from _walk(child)


def number(text: str) -> float | None:
    clean = str(text).replace("\xa0", "").replace(" ", "").replace(",", ".")
    return float(clean) if re.fullmatch(r"-?\d+(\.\d+)?", clean) else None


def code_of(dim: str, label: str) -> str:
    if dim == "need_type":
        return NEED_TYPE[label]
    if dim == "quarter":
        return label.split()[-1]
    names = COMPETENCE if dim == "competence" else INDUSTRY
    return next(code for code, name in names.items() if name == label)


DIM_OF = {"Behovstyp": "need_type", "Kompetens": "competence", "Branschgrupp": "industry_group", "Kvartal": "quarter"}


class Published:
    """What the visitor has read: linear equations over the true cells (year, municipality, dim, value)."""

    def __init__(self):
        self.persons: list[tuple[list[tuple], float]] = []  # ([(year, m, dim, v) ...], value)
        self.counts: dict[str, list[tuple[list[tuple], float]]] = defaultdict(list)  # companies / needs per (year, m)

    def cell(self, year: int, area: str, dim: str, value: str, figure: float) -> None:
        where = FYRBODAL if area == "fyrbodal" else [area]
        self.persons.append(([(year, m, dim, value) for m in where], figure))

    def total(self, year: int, area: str, figure: float) -> None:
        self.cell(year, area, "total", "", figure)

    def count(self, measure: str, year: int, area: str, figure: float) -> None:
        where = FYRBODAL if area == "fyrbodal" else [area]
        self.counts[measure].append(([(year, m) for m in where], figure))


def read_overview(seen: Published, at: AppTest, area: str, year: int) -> None:
    metrics = {m.label: m.value for m in at.metric}
    if number(metrics["Personer"]) is not None:
        seen.total(year, area, number(metrics["Personer"]))
    for label, measure in (("Företag", "companies"), ("Behov", "needs")):
        if number(metrics[label]) is not None:
            seen.count(measure, year, area, number(metrics[label]))
    table = frame_with(at, "Uppdelning", "Personer")
    for row in table.to_dict("records"):
        figure, dim = number(row["Personer"]), DIM_OF[row["Uppdelning"]]
        if figure is not None:
            seen.cell(int(row["År"]), area, dim, code_of(dim, row["Värde"]), figure)


def crawl(url: str, monkeypatch, one: str, two: str) -> tuple[Published, list[str], list[int]]:
    seen = Published()
    pages: list[str] = []
    first = visit(url, monkeypatch, "pages/overview.py")
    years = sorted(int(y) for y in first.sidebar.selectbox(key="p_year").options)
    for area in ["fyrbodal", *FYRBODAL]:  # every area and year the overview offers
        for year in years:
            at = visit(url, monkeypatch, "pages/overview.py", year=str(year), **({"area": f"m:{area}"} if area != "fyrbodal" else {}))
            pages.append(texts(at))
            read_overview(seen, at, area, year)
    for year in years:  # the map, with the planted needs' filters in the URL, and without
        for params in ({}, {"competence": one}, {"competence": two}, {"industry": "ig:boatbuilding"}):
            at = visit(url, monkeypatch, "pages/needs_map.py", year=str(year), **params)
            pages.append(texts(at))
            ranking = next(f.value for f in at.dataframe if "Kommun" in f.value.columns)
            dim, value = (("competence", params["competence"]) if "competence" in params else
                          ("industry_group", "boatbuilding") if params else ("total", ""))
            for name, figure in zip(ranking["Kommun"], ranking.iloc[:, 1]):
                if number(figure) is not None:
                    seen.cell(year, next(c for c, n in MUNICIPALITY.items() if n == name), dim, value, number(figure))
    for area in ["fyrbodal", *FYRBODAL]:  # the briefing for every area and year it offers
        for year in years:
            at = visit(url, monkeypatch, "pages/briefing.py", omrade=area, period=str(year))
            pages.append(texts(at))
            persons, companies = (number(m.value) for m in at.metric[:2])
            if persons is not None:
                seen.total(year, area, persons)
            if companies is not None:
                seen.count("companies", year, area, companies)
            for chart in at.get("plotly_chart"):
                for trace in json.loads(chart.proto.spec).get("data", []):
                    labels = trace.get("y") or []
                    if trace.get("orientation") == "h" and labels and all(lab in COMPETENCE.values() for lab in labels):
                        for lab, figure in zip(labels, trace["x"]):
                            seen.cell(year, area, "competence", code_of("competence", lab), float(figure))
    for area in ("fyrbodal", "1427", "1484"):  # demand beside supply where the planted needs are
        at = visit(url, monkeypatch, "pages/supply.py", year=str(YEAR), **({"area": f"m:{area}"} if area != "fyrbodal" else {}))
        pages.append(texts(at))
        gaps = next(f.value for f in at.dataframe if "Kompetens" in f.value.columns)
        demand = "Behov (personer)"
        for name, figure in zip(gaps["Kompetens"], gaps[demand]):
            if number(figure) is not None and name in COMPETENCE.values():
                seen.cell(YEAR, area, "competence", code_of("competence", name), number(figure))
    for page in ("pages/access.py", "pages/about.py"):
        pages.append(texts(visit(url, monkeypatch, page)))
    return seen, pages, years


# --- the attack -----------------------------------------------------------------------------------


def truth(url: str) -> pd.DataFrame:
    needs = Register(url).needs_frame()
    needs = needs[needs["municipality_code"].astype(str).isin(FYRBODAL)]
    return needs.assign(year=needs["collected_on"].dt.year, quarter="Q" + needs["collected_on"].dt.quarter.astype(str),
                        m=needs["municipality_code"].astype(str))


def interval_attack(seen: Published, needs: pd.DataFrame, years: list[int], scope: tuple[str, ...] = ()) -> tuple[int, list[str]]:
    """Every 1–2-company figure's interval under all the visitor knows; returns (checked, failures).

    ``scope``: an insider (a broker) who also knows every figure of these municipalities exactly, from their own
    rows; then the figures checked are those of the other companies: each municipality's outside the scope, and
    Fyrbodal's where no company of the scope takes part."""
    values = {d: sorted(needs[d].astype(str).unique()) for d in DIMS}
    values["competence"] = sorted(set(values["competence"]) | set(COMPETENCE))
    values["industry_group"] = sorted(set(values["industry_group"]) | set(INDUSTRY))
    values["need_type"], values["quarter"] = ["recruitment", "upskilling"], ["Q1", "Q2", "Q3", "Q4"]
    index: dict[tuple, int] = {}
    for year in years:
        for m in FYRBODAL:
            for d in DIMS:
                for v in values[d]:
                    index[(year, m, d, v)] = len(index)

    def terms(cell: tuple) -> list[int]:
        year, m, d, v = cell
        if d == "total":  # the place's persons: read off its need-type breakdown (all breakdowns agree)
            return [index[(year, m, "need_type", t)] for t in values["need_type"]]
        return [index[cell]]

    rows: list[list[int]] = []
    rhs: list[float] = []
    for year in years:  # every breakdown of a place adds up to the same total
        for m in FYRBODAL:
            base = [index[(year, m, "need_type", t)] for t in values["need_type"]]
            for d in DIMS[1:]:
                rows.append(base + [-1 - index[(year, m, d, v)] for v in values[d]])  # -1-i marks a minus sign
                rhs.append(0.0)
    for cells, figure in seen.persons:
        rows.append([i for c in cells for i in terms(c)])
        rhs.append(figure)
    a = lil_matrix((len(rows), len(index)))
    for r, members in enumerate(rows):
        for i in members:
            if i >= 0:
                a[r, i] += 1
            else:
                a[r, -1 - i] -= 1
    a = a.tocsr()
    bounds = [(0.0, None)] * len(index)
    for d in DIMS if scope else ():  # the insider's own figures, zeros included
        true = needs[needs["m"].isin(scope)].groupby(["year", "m", d])["persons"].sum()
        for (year, m, dd, v), i in index.items():
            if dd == d and m in scope:
                figure = float(true.get((year, m, v), 0.0))
                bounds[i] = (figure, figure)
    inside = needs[needs["m"].isin(scope)]
    targets = []
    for d in DIMS:
        group = needs.groupby(["year", "m", d])
        for (year, m, v), companies in group["company_id"].nunique().items():
            if 0 < companies < 3 and m not in scope:
                targets.append(([(int(year), m, d, str(v))], float(group["persons"].sum()[(year, m, v)]), f"{year} {m} {d}={v}"))
        region = needs.groupby(["year", d])
        own = set(inside.groupby(["year", d]).size().index)
        for (year, v), companies in region["company_id"].nunique().items():
            if 0 < companies < 3 and (year, v) not in own:
                targets.append(([(int(year), m, d, str(v)) for m in FYRBODAL], float(region["persons"].sum()[(year, v)]),
                                f"{year} Fyrbodal {d}={v}"))
    for (year, m), companies in needs.groupby(["year", "m"])["company_id"].nunique().items():
        if 0 < companies < 3 and m not in scope:
            targets.append(([(int(year), m, "total", "")], float(needs[(needs["year"] == year) & (needs["m"] == m)]["persons"].sum()),
                            f"{year} {m} total"))
    objectives = []
    for cells, _, _ in targets:
        c = np.zeros(len(index))
        for cell in cells:
            for i in terms(cell):
                c[i] += 1
        objectives.append(c)
    low, high = _extremes(a, np.array(rhs), bounds, objectives, [t[1] for t in targets])
    failures = [f"{name}: true {value:g}, attack [{lo:g}, {hi:g}]" for (_, value, name), lo, hi in zip(targets, low, high)
                if not (lo <= 0.5 * value + 1e-6 and hi >= 1.5 * value - 1e-6)]
    return len(targets), failures


def _extremes(a, rhs, bounds, objectives: list[np.ndarray], values: list[float]) -> tuple[list[float], list[float]]:
    """For each objective, a value at or below its minimum's 50 % mark (or the minimum) and at or above its
    maximum's 150 % mark (or the maximum). A few LPs push every open target at once; any feasible point where a
    target already passes its mark proves it (the true extreme is further still); the rest get one LP each."""
    solve = _highs(a, rhs, bounds)

    low, high = [np.inf] * len(objectives), [-np.inf] * len(objectives)
    for sense, found, mark in ((1, low, 0.5), (-1, high, 1.5)):
        open_ = set(range(len(objectives)))
        for _ in range(6):
            if not open_:
                break
            x = solve(sense * sum(objectives[t] / max(values[t], 1.0) for t in open_))
            if x is None:
                break
            done = set()
            for t in open_:
                at = float(objectives[t] @ x)
                if (at <= mark * values[t] + 1e-6) if sense == 1 else (at >= mark * values[t] - 1e-6):
                    found[t], done = at, done | {t}
            if not done:
                break
            open_ -= done
        for t in open_:
            x = solve(sense * objectives[t])
            found[t] = (np.inf if sense == -1 else -np.inf) if x is None else float(objectives[t] @ x)
    return low, high


def _highs(a, rhs, bounds):
    """The visitor's system (``a @ x = rhs``, ``bounds``) as one HiGHS model re-solved per objective
    (``tests.release_attack.solver``); ``solve(c)``: a point minimising ``c @ x``, None when unbounded."""
    from tests.release_attack import solver

    return solver(a, rhs, rhs, bounds)


@pytest.fixture(scope="module")
def crawled(planted, tmp_path_factory):
    url, one, two = planted
    monkeypatch = pytest.MonkeyPatch()
    try:
        seen, pages, years = crawl(url, monkeypatch, one, two)
    finally:
        monkeypatch.undo()
    return url, one, two, seen, pages, years


def test_no_company_broker_or_note_appears_on_any_public_page(crawled):
    url, one, two, _, pages, _ = crawled
    text = "\n".join(pages)
    assert "Personer" in text and len(pages) > 100, "the crawl read the pages"
    names = Register(url).companies_frame()["name"].tolist()
    brokers = Register(url).needs_frame()["broker"].astype(str).unique().tolist()
    for secret in [*names, *brokers, NOTE, "company_id"]:
        assert secret not in text, secret


def test_no_figure_from_one_or_two_companies_can_be_narrowed_to_within_half_its_value(crawled):
    url, one, two, seen, _, years = crawled
    checked, failures = interval_attack(seen, truth(url), years)
    assert checked > 300, f"only {checked} figures from 1–2 companies were attacked"
    assert len(seen.persons) > 500, "and the attack knew many published figures"  # 679: zeros beside hidden ones are hidden
    assert failures == [], f"{len(failures)} of {checked} narrowed: {failures[:10]}"


def insider_scopes() -> list[tuple[str, ...]]:
    """Each municipality alone, and each demo user's municipalities (the brokers of the register)."""
    users = [tuple(sorted(u.municipalities)) for u in DEMO_USERS if 0 < len(u.municipalities) < len(FYRBODAL)]
    return sorted({(m,) for m in FYRBODAL} | set(users))


def test_no_broker_narrows_another_municipalitys_figure_from_one_or_two_companies(crawled):
    """The insider: a broker knows their own municipalities' figures exactly and subtracts them."""
    url, _, _, seen, _, years = crawled
    needs = truth(url)
    found = {}
    for scope in insider_scopes():
        checked, failures = interval_attack(seen, needs, years, scope)
        assert checked > 200, (scope, checked)
        found[scope] = failures
    assert ("1427", "1435") in found, "the Sotenäs/Tanum broker's scope was attacked"
    assert {s: f for s, f in found.items() if f} == {}


def test_the_insider_attack_bites_on_a_release_protected_against_outsiders_only(crawled):
    """The same attack on every cell of a release built without insider protection narrows figures: the audit
    can fail."""
    from core.disclosure import release

    url, _, _, _, _, years = crawled
    needs = truth(url)
    outsider = release.build(Register(url).needs_frame(), FYRBODAL, scopes=())
    seen = Published()
    for key, cell in outsider.cells.items():
        year, measure, dim, where, value = key.split("|")
        if measure == "persons" and not cell.suppressed:
            seen.cell(int(year), "fyrbodal" if where == "region" else where, dim, value, cell.value)
    narrowed = [f for scope in (("1427",), ("1484",), ("1488",)) for f in interval_attack(seen, needs, years, scope)[1]]
    assert narrowed, "an outsider's protection alone lets a broker narrow someone's figure"


def test_the_planted_needs_are_protected_under_their_own_filters(crawled):
    url, one, two, seen, _, _ = crawled
    published = {tuple(cells): figure for cells, figure in seen.persons}
    assert ((YEAR, "1427", "competence", one),) not in published
    assert ((YEAR, "1484", "competence", two),) not in published
    assert tuple((YEAR, m, "competence", one) for m in FYRBODAL) not in published, "nor Fyrbodal's figure, which is the same company"


def test_periods_offered_to_the_public_never_overlap(crawled, monkeypatch):
    url = crawled[0]
    at = visit(url, monkeypatch, "pages/briefing.py")
    options = at.selectbox(key="brief_period").options
    assert options and all(re.fullmatch(r"År \d{4}", o) for o in options), options
    at = visit(url, monkeypatch, "pages/overview.py", **{"from": "2025-01", "to": "2025-06"})
    assert any("from=2025-01" in w.value for w in at.sidebar.warning), "a month range in a link is refused, not applied"
    whole_year = visit(url, monkeypatch, "pages/overview.py", year="2026")
    assert [m.value for m in at.metric] == [m.value for m in whole_year.metric]
