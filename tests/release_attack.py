"""An attack on published releases written apart from the protection code (``core.disclosure.protection``,
``core.disclosure.history``): what a statistician who keeps every open-data file of the releases can compute.

From the published cells only (a hidden one is a variable, never below 0) and what any reader knows of the tables:
each breakdown of a place's persons (need type, competence, industry group, quarter) adds up to its total, and the
municipalities add up to Fyrbodal, in every release; between two releases no cell shrinks (needs are only added),
and a quarter a release published, and every year before its last, is final (README: "A published figure never
changes"), except in a year's final release, which applies the year's withdrawals: there the reader is granted which
cells a withdrawal took part in (free) and that no other went down, more than a reader knows. An insider (a broker) also knows every figure of their own municipalities exactly, in every release.
And what a breakdown's list says: where a year's list of competences (or industry groups) leaves out some of the
catalogue's (``data/competences.csv``, ``data/industry_groups.csv``, public), a value is listed because Fyrbodal has
needs of it, so its hidden Fyrbodal figure is at least 1 (issue 37's red team narrowed 81 figures so); a list of the
whole catalogue tells nothing. And what the rule for zeros says (README: a zero is hidden where it adds up with a
hidden figure that is not zero): a hidden figure none of whose sums holds another hidden figure is not 0, so at least 1
(were every zero shown, every hidden figure would be at least 1: the red team's next 150).

Targets: every hidden figure from 1–2 companies (or dominated: the p %-rule), and every change between two releases
made by 1–2 companies; for an insider, a Fyrbodal figure or change counts from the companies outside their own
municipalities (they subtract their own part). Each must keep an interval reaching 50 % of its (or the others')
value below and above the true value. The truth is computed here from each release's own rows.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

import highspy
import numpy as np
import pandas as pd
from scipy.sparse import coo_matrix

REGION = "region"
DIMS = ("need_type", "competence", "industry_group", "quarter")


@dataclass
class Found:
    checked: int = 0
    exact: int = 0
    narrowed: int = 0  # within ±50 %, exact ones not included
    examples: tuple[str, ...] = ()

    def __add__(self, other: Found) -> Found:
        return Found(self.checked + other.checked, self.exact + other.exact, self.narrowed + other.narrowed,
                     (self.examples + other.examples)[:5])


def _long(rows: pd.DataFrame) -> pd.DataFrame:
    """One row per (cell, company): the company's part of the cell, and the company's municipality."""
    rows = rows.assign(year=rows["collected_on"].dt.year.astype(str), m=rows["municipality_code"].astype(str),
                       quarter="Q" + rows["collected_on"].dt.quarter.astype(str), one=1.0)
    out = []
    for where in ("m", REGION):
        w = rows["m"] if where == "m" else REGION
        for dim in ("total", *DIMS):
            v = "" if dim == "total" else rows[dim].astype(str)
            if dim == "industry_group":  # a company in no group of the catalogue is published as "other" (README)
                v = v.replace({"": "other", "nan": "other", "None": "other"})
            out.append(pd.DataFrame({"key": rows["year"] + "|persons|" + dim + "|" + w + "|" + v, "c": rows["company_id"],
                                     "m": rows["m"], "x": rows["persons"].astype(float)}))
        out.append(pd.DataFrame({"key": rows["year"] + "|needs|total|" + w + "|", "c": rows["company_id"], "m": rows["m"], "x": rows["one"]}))
        companies = rows.drop_duplicates(["year", "company_id"])
        cw = companies["m"] if where == "m" else REGION
        out.append(pd.DataFrame({"key": companies["year"] + "|companies|total|" + cw + "|", "c": companies["company_id"],
                                 "m": companies["m"], "x": companies["one"]}))
    return pd.concat(out).groupby(["key", "c", "m"], as_index=False)["x"].sum()


def _sensitive(part: pd.DataFrame) -> dict[str, float]:
    """Keys whose contributions (``x`` per company, non-zero) are from 1–2 companies or dominated: their value."""
    part = part[part["x"].abs() > 1e-9]
    out = {}
    for key, x in part.groupby("key")["x"]:
        sizes = np.sort(np.abs(x.to_numpy()))[::-1]
        if len(sizes) < 3 or sizes.sum() - sizes[0] - sizes[1] < 0.1 * sizes[0]:
            out[str(key)] = float(x.sum())
    return out


def _relations(keys: Sequence[str]) -> list[tuple[str, list[str]]]:
    """The additivity a reader sees in the published keys: breakdowns to totals, municipalities to Fyrbodal."""
    out: dict[tuple[str, str], list[str]] = {}
    for k in keys:
        year, measure, dim, where, value = k.split("|")
        if measure == "persons" and dim != "total":
            out.setdefault((f"{year}|persons|total|{where}|", dim), []).append(k)
        if where != REGION:
            out.setdefault((f"{year}|{measure}|{dim}|{REGION}|{value}", "municipalities"), []).append(k)
    present = set(keys)
    return [(t, ms) for (t, _), ms in out.items() if t in present]


def catalogue() -> dict[str, set[str]]:
    from data import reference  # the public catalogue a reader compares a year's lists with

    return {"competence": set(reference.competences()["code"]), "industry_group": set(reference.industry_groups()["code"])}


def floors(keys: Sequence[str], whole: dict[str, set[str]]) -> set[str]:
    """The Fyrbodal cells a reader knows are at least 1: of a year's breakdown whose list leaves out part of the
    catalogue ``whole``, each value listed."""
    listed: dict[tuple[str, str], set[str]] = {}
    for k in keys:
        year, _, dim, where, value = k.split("|")
        if dim in whole and where == REGION:
            listed.setdefault((year, dim), set()).add(value)
    return {f"{year}|persons|{dim}|{REGION}|{v}" for (year, dim), values in listed.items()
            if not whole[dim] <= values for v in values}


def alone_in_its_sums(cells) -> set[str]:
    """The hidden cells that no sum they take part in (breakdown to total, municipalities to Fyrbodal) shares with
    another hidden cell: were such a cell 0, the rule for zeros would show it, so it is at least 1."""
    hidden = {k for k, c in cells.items() if c.suppressed}
    company: dict[str, int] = {}
    for total, members in _relations(list(cells)):
        line = [total, *members]
        count = sum(k in hidden for k in line)
        for k in line:
            company[k] = max(company.get(k, 0), count)
    return {k for k in hidden if company.get(k, 1) <= 1}


def _final(key: str, through: str) -> bool:
    year, _, dim, _, value = key.split("|")
    last = int(through[:4])
    return int(year) < last or (int(year) == last and dim == "quarter" and 3 * int(value[1:]) <= int(through[5:7]))


def attack(releases: Sequence, scope: tuple[str, ...] = (), measures: Sequence[str] = ("persons", "companies", "needs"),
           years: Sequence[int] | None = None, published: Sequence | None = None,
           whole: dict[str, set[str]] | None = None) -> Found:
    """All of ``releases`` (each with ``cells``, ``needs``, ``through``; oldest first) read together by an outsider
    (``scope`` empty) or by the insider of ``scope``. ``measures``/``years``: the cells attacked (all by default).
    ``published``: every release, oldest first (default ``releases``): a figure an earlier one showed is attacked at
    ±50 % of its growth since it was shown (of the others' part's growth, for an insider), since what was shown is
    public; unchanged, it is no target. ``whole``: the catalogue a reader compares a year's lists with (``catalogue``;
    ``{}``: the reader does not use the lists)."""
    inside = set(scope)
    whole = catalogue() if whole is None else whole

    def wanted(k: str) -> bool:
        year, measure = k.split("|")[:2]
        return measure in measures and (years is None or int(year) in years)

    variables: dict[tuple[int, str], int] = {}
    bounds: list[tuple[float, float | None]] = []
    for i, r in enumerate(releases):
        at_least_one = floors(list(r.cells), whole) | alone_in_its_sums(r.cells)
        for k, c in r.cells.items():
            if not wanted(k):
                continue
            variables[(i, k)] = len(bounds)
            known = not c.suppressed or k.split("|")[3] in inside
            bounds.append((c.value, c.value) if known else (1.0 if k in at_least_one else 0.0, None))
    eq_rows: list[list[tuple[int, float]]] = []
    ub_rows: list[list[tuple[int, float]]] = []
    for i, r in enumerate(releases):
        for total, members in _relations([k for k in r.cells if wanted(k)]):
            eq_rows.append([(variables[(i, m)], 1.0) for m in members] + [(variables[(i, total)], -1.0)])
    longs = [_long(r.needs) for r in releases]
    for i in range(len(releases) - 1):  # consecutive releases: nothing shrinks, a final figure stays
        j = i + 1
        step = longs[j].set_index(["key", "c"])["x"].sub(longs[i].set_index(["key", "c"])["x"], fill_value=0)
        fell = set(step[step < -1e-9].index.get_level_values("key"))  # a withdrawal took part (a year's final release)
        for k in releases[i].cells:
            if (j, k) in variables and (i, k) in variables:
                before, after = releases[i].cells[k].value, releases[j].cells[k].value
                if k in fell:  # the reader is granted which cells a withdrawal took part in, not which way they went
                    continue
                row = [(variables[(i, k)], 1.0), (variables[(j, k)], -1.0)]  # earlier - later <= 0
                (eq_rows if _final(k, releases[i].through) and after == before else ub_rows).append(row)
    targets: list[tuple[list[tuple[int, float]], float, float, str]] = []  # (objective, true, half width, name)

    def attacked(part: pd.DataFrame) -> dict[str, tuple[float, float]]:
        """Per key: (its value, the value it is attacked at: the others' part for an insider's Fyrbodal key)."""
        whole = part.groupby("key")["x"].sum()
        out = {}
        for k, rest in _sensitive(part[~part["m"].isin(inside)]).items():
            where = k.split("|")[3]
            if where in inside or not wanted(k) or rest == 0:
                continue
            out[k] = (float(whole[k]), rest)
        return out

    every = list(published) if published is not None else list(releases)
    parts: dict[int, dict[str, float]] = {}

    def others(e) -> dict[str, float]:
        """Per key, the part of release ``e``'s figure from companies outside the reader's scope."""
        if id(e) not in parts:
            long = _long(e.needs)
            parts[id(e)] = long[~long["m"].isin(inside)].groupby("key")["x"].sum().to_dict()
        return parts[id(e)]

    for i, r in enumerate(releases):
        before = every[:next((n for n, e in enumerate(every) if e is r), len(every))]
        for k, (value, rest) in attacked(longs[i]).items():
            shown = next((e for e in reversed(before) if k in e.cells and not e.cells[k].suppressed), None)
            if shown is not None:  # what an earlier release showed is public: its growth since is what is attacked
                rest -= others(shown).get(k, 0.0)
                if abs(rest) < 1e-9:
                    continue
            if r.cells[k].suppressed:
                targets.append(([(variables[(i, k)], 1.0)], value, 0.5 * abs(rest), f"release {i + 1} {k}"))
            else:
                targets.append(([], value, 0.5 * abs(rest), f"release {i + 1} {k} shown"))
    for i, j in itertools.combinations(range(len(releases)), 2):
        delta = longs[j].set_index(["key", "c", "m"])["x"].sub(longs[i].set_index(["key", "c", "m"])["x"], fill_value=0).reset_index()
        for k, (value, rest) in attacked(delta).items():
            # a cell a release does not list is 0 (its year's tables list every value with a need in any municipality)
            objective = ([(variables[(j, k)], 1.0)] if (j, k) in variables else []) + \
                ([(variables[(i, k)], -1.0)] if (i, k) in variables else [])
            targets.append((objective, value, 0.5 * abs(rest), f"releases {i + 1}-{j + 1} change of {k}"))
    return _solve(len(bounds), eq_rows, ub_rows, bounds, targets)


def _model(n: int, eq_rows, ub_rows, bounds):
    """The reader's system as one HiGHS model (equalities, then ``row <= 0``): ``solver``'s ``solve``."""
    rows = eq_rows + ub_rows
    data = [(r, j, v) for r, row in enumerate(rows) for j, v in row]
    r, j, v = zip(*data) if data else ((), (), ())
    matrix = coo_matrix((v, (r, j)), shape=(len(rows), n))
    return solver(matrix, [0.0] * len(eq_rows) + [-highspy.kHighsInf] * len(ub_rows), np.zeros(len(rows)), bounds)


def solver(matrix, row_lower, row_upper, bounds):
    """A reader's system (``row_lower <= matrix @ x <= row_upper``, ``bounds`` per column: (low, high or None)) as one
    HiGHS model, re-solved for each objective from the basis the one before ended with (scipy's ``linprog`` builds and
    presolves it again for each of thousands of LPs); ``solve(c)``: a point minimising ``c @ x``, None when unbounded.
    Also the disclosure audit's (``tests/app/test_disclosure_audit.py``)."""
    columns = matrix.tocsc()
    n = columns.shape[1]
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = n, columns.shape[0]
    lp.col_cost_ = np.zeros(n)
    lp.col_lower_ = np.array([b[0] for b in bounds], dtype=np.float64)
    lp.col_upper_ = np.array([highspy.kHighsInf if b[1] is None else b[1] for b in bounds], dtype=np.float64)
    lp.row_lower_ = np.asarray(row_lower, dtype=np.float64)
    lp.row_upper_ = np.asarray(row_upper, dtype=np.float64)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_, lp.a_matrix_.index_, lp.a_matrix_.value_ = columns.indptr, columns.indices, columns.data
    highs = getattr(highspy, "_Highs")()  # noqa: B009 (the plain solver: no banner on stdout)
    highs.setOptionValue("output_flag", False)
    highs.setOptionValue("simplex_strategy", 4)  # primal: only the objective changes between solves
    highs.passModel(lp)
    every = np.arange(n, dtype=np.int32)

    def solve(c: np.ndarray) -> np.ndarray | None:
        highs.changeColsCost(n, every, np.asarray(c, dtype=np.float64))
        highs.run()
        status = highs.getModelStatus()
        if status in (highspy.HighsModelStatus.kUnbounded, highspy.HighsModelStatus.kUnboundedOrInfeasible):
            return None  # the system holds for the true values, so it is not infeasible: unbounded
        assert status == highspy.HighsModelStatus.kOptimal, f"the reader's system must hold for the true values ({status})"
        return np.array(highs.getSolution().col_value)

    return solve


def _solve(n: int, eq_rows, ub_rows, bounds, targets) -> Found:
    constant = np.array([b[0] if b[1] == b[0] else 0.0 for b in bounds])
    solve = _model(n, eq_rows, ub_rows, bounds)

    def vector(objective) -> np.ndarray:
        c = np.zeros(n)
        for j, v in objective:
            c[j] += v
        return c

    found = Found(checked=len(targets))
    objectives = [vector(t[0]) for t in targets]
    low = [float(o @ constant) if not o.any() or all(bounds[j][0] == bounds[j][1] for j in np.flatnonzero(o)) else np.nan
           for o in objectives]
    high = list(low)
    for sense, result in ((1, low), (-1, high)):
        open_ = {t for t in range(len(targets)) if np.isnan(result[t])}
        for _ in range(8):  # push every open target at once: a point beyond its mark proves it
            if not open_:
                break
            x = solve(sense * sum(objectives[t] / max(targets[t][2], 0.5) for t in open_))
            if x is None:
                break
            done = {t for t in open_ if (objectives[t] @ x <= targets[t][1] - targets[t][2] + 1e-6 if sense == 1
                                         else objectives[t] @ x >= targets[t][1] + targets[t][2] - 1e-6)}
            for t in done:
                result[t] = float(objectives[t] @ x)
            if not done:
                break
            open_ -= done
        for t in open_:
            x = solve(sense * objectives[t])
            result[t] = (np.inf if sense == -1 else -np.inf) if x is None else float(objectives[t] @ x)
    examples = []
    for t, (_, value, half, name) in enumerate(targets):
        if abs(low[t] - value) < 1e-6 and abs(high[t] - value) < 1e-6:
            found.exact += 1
        elif low[t] > value - half + 1e-6 or high[t] < value + half - 1e-6:
            found.narrowed += 1
        else:
            continue
        examples.append(f"{name}: true {value:g}, [{low[t]:g}, {high[t]:g}]")
    found.examples = tuple(examples[:5])
    return found
