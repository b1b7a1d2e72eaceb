"""Releases on a schedule: each one frozen, and protected together with the one before it.

A release is made for closed quarters (``release.closed_through``) and stored, never changed afterwards
(``services.register.store``). The next one publishes the same tables with more months, and needs registered late
change figures of periods published before; whoever reads both releases learns each figure's change. So
the next release is protected **together with the previous one**: per (year, measure) group, one system
of three copies of the tables,

- the previous release's cells (``~was``), as they were published: shown ones known, hidden ones hidden;
- the change of each cell since (``~diff``: the companies whose contribution changed are its contributors,
  a change from one or two companies is as sensitive as a figure from one or two), never published and
  possibly negative;
- the new cells, tied by ``new = was + diff``,

and ``core.disclosure.protection`` hides new cells until no sensitive new cell, no earlier cell and no change can be
narrowed below ±50 % by an outsider or by any insider (a broker knows all three copies of their own
municipalities). A group nothing changed in keeps the previous release's hidden cells (the same figure is
published the same way). Protection is verified against the release just before; a reader who compares
two releases further apart compares sums of changes the releases between them protected one at a time
(README: "Known limits").
"""

from __future__ import annotations

import io
import json
import zlib
from collections.abc import Sequence
from dataclasses import replace

import numpy as np
import pandas as pd

from core.disclosure import release
from core.disclosure.protection import Cell, Relation, is_sensitive, protect
from core.disclosure.release import DIMENSIONS, REGION, Release

WAS, DIFF = "~was", "~diff"
# what a release keeps of the rows it was made from (for the next release's changes and the brief): codes,
# numbers and dates only, no names, notes or brokers (personal data is erased from the register on its date)
SNAPSHOT = ["id", "company_id", "municipality_code", "industry_group", "competence", "need_type", "persons",
            "horizon", "form", "level", "source", "collected_on", "status", "sni_code"]


def renamed(key: str, role: str) -> str:
    year, rest = key.split("|", 1)
    return f"{year}{role}|{rest}"


def contributions(needs: pd.DataFrame) -> pd.Series:
    """Each company's contribution to each cell of ``release.tables`` (index: cell key, company)."""
    parts = []
    for year in release.years_of(needs):
        frame = needs[needs["collected_on"].dt.year == year]
        company = frame["company_id"].to_numpy()
        persons = frame["persons"].to_numpy(dtype=float)
        ones = np.ones(len(frame))
        for where in (frame["municipality_code"].astype(str), pd.Series(REGION, index=frame.index)):
            for dim in ("total", *DIMENSIONS):
                keys = f"{year}|persons|{dim}|" + where + "|" + release._column(frame, dim)
                parts.append(pd.DataFrame({"key": keys.to_numpy(), "c": company, "x": persons}))
            parts.append(pd.DataFrame({"key": (f"{year}|needs|total|" + where + "|").to_numpy(), "c": company, "x": ones}))
            parts.append(pd.DataFrame({"key": (f"{year}|companies|total|" + where + "|").to_numpy(), "c": company, "x": ones}))
    if not parts:
        return pd.Series(dtype=float, index=pd.MultiIndex.from_arrays([[], []], names=["key", "c"]))
    summed = pd.concat(parts).groupby(["key", "c"])["x"].sum()
    companies = summed.index.get_level_values("key").str.contains(r"\|companies\|", regex=True)
    return summed.where(~companies, 1.0)  # a company counts once


def changes(new: pd.DataFrame, old: pd.DataFrame) -> dict[str, Cell]:
    """The change of every cell from ``old`` rows to ``new`` rows, as cells whose contributors are the companies
    whose contribution changed (only cells that changed)."""
    delta = contributions(new).sub(contributions(old), fill_value=0.0)
    delta = delta[delta.abs() > 1e-9]
    out: dict[str, Cell] = {}
    for k, part in delta.groupby(level="key"):
        sizes = np.sort(part.abs().to_numpy())[::-1]
        top = (float(sizes[0]), float(sizes[1]) if len(sizes) > 1 else 0.0)
        sensitive = is_sensitive(len(sizes), float(sizes.sum()), top)
        out[str(k)] = Cell(renamed(str(k), DIFF), float(part.sum()), len(sizes), top, suppressed=True, primary=sensitive)
    return out


def build(needs: pd.DataFrame, codes: list[str], scopes: Sequence[tuple[str, ...]] | None, through: str,
          previous: Release | None) -> Release:
    """The release of ``needs`` through month ``through``, protected together with ``previous`` (None: the first)."""
    if previous is None or previous.needs is None:
        return release.build(needs, codes, scopes, through)
    scopes = release.insider_scopes(codes) if scopes is None else scopes
    published = release.cut(needs, codes, through)
    cells, relations = release.tables(published, codes, through)
    _, old_relations = release.tables(previous.needs, codes, previous.through, with_cells=False)
    diffs = changes(published, previous.needs)
    covered = {tuple(x) for x in scopes} <= {tuple(x) for x in previous.scopes}
    protected: dict[str, Cell] = {}
    for group in release.groups(cells):
        part, tied = release.in_group(cells, relations, group)
        old = {k: c for k, c in previous.cells.items() if k.startswith(group + "|")}
        moved = {k: d for k, d in diffs.items() if k.startswith(group + "|")}
        if not old:  # a year the previous release did not publish
            protected |= protect(part, tied, release.cost, release._insiders(part, scopes))
        elif not moved and set(old) == {c.key for c in part} and covered:
            protected |= old  # the same figures, protected against the same insiders before: published the same way
        elif not moved and set(old) == {c.key for c in part}:
            fresh = protect(part, tied, release.cost, release._insiders(part, scopes))
            protected |= {k: replace(c, suppressed=c.suppressed or old[k].suppressed) for k, c in fresh.items()}
        else:
            old_tied = [r for r in old_relations if r[0].startswith(group + "|")]
            protected |= _joint(part, tied, old, old_tied, moved, scopes)
    release._hide_together(protected)
    return release.made(protected, published, codes, through, scopes)


def _joint(part: list[Cell], tied: list[Relation], old: dict[str, Cell], old_tied: list[Relation],
           moved: dict[str, Cell], scopes: Sequence[tuple[str, ...]]) -> dict[str, Cell]:
    """One group's new cells protected with the previous release's (as published) and the changes between them."""
    new = {c.key: c for c in part}
    keys = sorted(set(new) | set(old))
    cells: list[Cell] = []
    for k in keys:
        cells.append(new.get(k, Cell(k, 0.0, 0)))
        cells.append(replace(old.get(k, Cell(k, 0.0, 0)), key=renamed(k, WAS)))
        cells.append(moved.get(k, Cell(renamed(k, DIFF), 0.0, 0, suppressed=True)))
    relations = [*tied, *[(renamed(t, WAS), [renamed(m, WAS) for m in ms]) for t, ms in old_tied],
                 *[(k, [renamed(k, WAS), renamed(k, DIFF)]) for k in keys]]
    preset = frozenset(renamed(k, role) for k in keys for role in (WAS, DIFF))
    signed = frozenset(renamed(k, DIFF) for k in keys)
    out = protect(cells, relations, release.cost, release._insiders(cells, scopes), preset, signed)
    return {k: out[k] for k in new}


def dump(published: Release) -> tuple[bytes, bytes]:
    """A release as stored: its cells (compressed JSON) and the rows it was made from (compressed CSV)."""
    cells = [[c.key, c.value, c.companies, c.top[0], c.top[1], int(c.suppressed), int(c.primary)]
             for c in published.cells.values()]
    about = {"cells": cells, "years": list(published.years), "codes": list(published.codes), "start": published.start,
             "through": published.through, "scopes": [list(x) for x in published.scopes]}
    rows = published.needs if published.needs is not None else pd.DataFrame(columns=SNAPSHOT)
    table = rows[[c for c in SNAPSHOT if c in rows.columns]].to_csv(index=False, date_format="%Y-%m-%d")
    return zlib.compress(json.dumps(about).encode(), 9), zlib.compress(table.encode(), 9)


def load(cells: bytes, needs: bytes, id_: int = 0, published: str = "", revision: str = "") -> Release:
    about = json.loads(zlib.decompress(cells))
    table = {k: Cell(k, v, n, (a, b), bool(s), bool(p)) for k, v, n, a, b, s, p in about["cells"]}
    rows = pd.read_csv(io.BytesIO(zlib.decompress(needs)), dtype=str, keep_default_na=False)
    rows["collected_on"] = pd.to_datetime(rows["collected_on"])
    for col in ("id", "company_id", "persons"):
        rows[col] = rows[col].astype("int64")
    for col in ("municipality_code", "industry_group", "competence", "need_type", "horizon", "form", "level", "source", "status"):
        if col in rows:
            rows[col] = rows[col].astype("category")
    return Release(table, tuple(about["years"]), tuple(about["codes"]), about["start"], about["through"], rows,
                   id_, published, revision, tuple(tuple(x) for x in about["scopes"]))


def scopes_text(scopes: Sequence[Sequence[str]]) -> str:
    return ";".join(",".join(s) for s in scopes)


def scopes_of(text: str) -> set[tuple[str, ...]]:
    return {tuple(s.split(",")) for s in text.split(";") if s}
