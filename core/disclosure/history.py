"""Releases on a schedule: each one frozen, its figures final, and protected together with every release before it.

A release is made for closed quarters (``release.closed_through``) and stored, never changed afterwards
(``services.register.store``). **A published figure never changes**: the next release takes the rows of the one
before as they were published (``final_rows``) and adds the needs registered since; a need registered for a month
already published counts in the first month after it (the next open quarter). A need edited after its quarter was
published stays counted as it was published: the figures count needs as registered. So a quarter's cells are the same
in every later release of its year, and the open year's tables only grow, quarter by quarter, until **the year's final
release** (the one through its December): it applies the revisions that cannot be avoided (a need of that year
withdrawn, or whose company was withdrawn or erased, since it was published), so some of the year's figures may go
down there, once; that change is protected like every other (a change by 1-2 companies is a target; the increment is
signed where a cell went down). After it, the year's tables never move.

Whoever keeps every release compares them all, so the next release is protected **together with all of them**: per
(year, measure) group, one system of a copy of the tables per distinct state of the group (releases that published
the same figures are one state: what any of them shows is known), tied by

- the increment between consecutive states (``~d``), never published, **at least 0** (cells only grow; for a
  quarter already published, exactly 0: a final figure), its contributors the companies whose needs were added; in a
  year's final release, for a cell a withdrawal took part in, free of sign (the reader is granted which cells those
  are);
- the change between any two states further apart (``~p``) where it is sensitive, tied the same way;

and ``core.disclosure.protection`` hides new cells until no sensitive cell of any release, no increment and no change
can be narrowed below ±50 % by an outsider or by any insider (a broker knows every copy of their own municipalities;
a Fyrbodal figure minus their own part is attacked at ±50 % of the rest). A group whose figures did not change is
published as the newest release published it.
"""

from __future__ import annotations

import io
import json
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

import pandas as pd

from core.disclosure import release
from core.disclosure.protection import PROTECTION, Cell, Insider, Relation, is_sensitive, protect
from core.disclosure.release import Release

DIFF = "~d"
# what a release keeps of the rows it was made from (for the next release's changes and the brief): codes,
# numbers and dates only, no names, notes or brokers (personal data is erased from the register on its date)
SNAPSHOT = ["id", "company_id", "municipality_code", "industry_group", "competence", "need_type", "persons",
            "horizon", "form", "level", "source", "collected_on", "status", "sni_code"]
contributions = release.contributions


def renamed(key: str, role: str) -> str:
    year, rest = key.split("|", 1)
    return f"{year}{role}|{rest}"


def final_rows(needs: pd.DataFrame, previous: Release | None, through: str = "") -> pd.DataFrame:
    """The rows the next release counts: the previous release's as published, and the needs registered since (not
    in it); one dated in a month the previous release published counts in the first month after its months.

    The year's final release (``through`` its December) applies the revisions that could not be avoided: a need of
    that year withdrawn since it was published, or whose company was withdrawn or erased, is no longer counted (not
    in ``needs``). Only then, once a year, can a published figure of that year go down; the change is protected like
    any other (``build``). An edit of a published need is never applied (the figures count needs as registered)."""
    if previous is None or previous.needs is None:
        return needs
    old = previous.needs
    if through.endswith("-12"):
        gone = old["collected_on"].dt.year.eq(int(through[:4])) & ~old["id"].isin(needs["id"])
        old = old[~gone]
    columns = [c for c in SNAPSHOT if c in old.columns and c in needs.columns]
    added = needs[~needs["id"].isin(old["id"])][columns]
    first = pd.Timestamp(release.after(previous.through)) if previous.through else None
    if first is not None:
        added = added.assign(collected_on=added["collected_on"].where(added["collected_on"] >= first, first))
    rows = pd.concat([old[columns], added], ignore_index=True)
    for col in ("municipality_code", "industry_group", "competence", "need_type"):
        rows[col] = rows[col].astype(str).astype("category")
    return rows


def changes(new: pd.DataFrame, old: pd.DataFrame) -> dict[str, Cell]:
    """The change of every cell from ``old`` rows to ``new`` rows, as cells whose contributors are the companies
    whose contribution changed (only cells that changed); ``primary``: sensitive."""
    return _changed(contributions(new).sub(contributions(old), fill_value=0.0), DIFF)


def _changed(delta: pd.Series, role: str) -> dict[str, Cell]:
    delta = delta[delta.abs() > 1e-9]
    out: dict[str, Cell] = {}
    for k, (value, n, top) in release.stats(delta.rename("x").reset_index()[["key", "x"]]).items():
        out[k] = Cell(renamed(k, role), value, n, top, suppressed=True, primary=is_sensitive(n, abs(value), top))
    return out


@dataclass
class _State:
    """One state of a group: the releases (consecutive) that published the same figures for it."""

    cells: dict[str, Cell]  # hidden only where every one of those releases hid it
    newest: Release
    rows: pd.DataFrame
    through: str


def _states(earlier: Sequence[Release], group: str) -> list[_State]:
    states: list[_State] = []
    for r in earlier:
        cells = {k: c for k, c in r.cells.items() if k.startswith(group + "|")}
        if not cells or r.needs is None:
            continue
        last = states[-1] if states else None
        if last is not None and {k: c.value for k, c in last.cells.items()} == {k: c.value for k, c in cells.items()}:
            last.cells = {k: replace(c, suppressed=c.suppressed and cells[k].suppressed, primary=c.primary or cells[k].primary)
                          for k, c in last.cells.items()}
            last.newest, last.rows, last.through = r, r.needs, r.through
        else:
            states.append(_State(dict(cells), r, r.needs, r.through))
    return states


def build(needs: pd.DataFrame, codes: list[str], scopes: Sequence[tuple[str, ...]] | None, through: str,
          previous: Release | None, earlier: Sequence[Release] = (), listed: release.Listed | None = None) -> Release:
    """The release of ``needs`` through month ``through``, its rows ``final_rows`` on ``previous`` (None: the first),
    protected together with ``earlier``: every release still public, oldest first (default: ``previous`` alone).
    ``listed``: the values its breakdowns list every year, zeros included (``release.build``)."""
    if previous is None or previous.needs is None:
        return release.build(needs, codes, scopes, through, listed)
    earlier = [r for r in earlier if r.needs is not None] or [previous]
    scopes = release.insider_scopes(codes) if scopes is None else scopes
    # a scope once protected stays protected: a user moved off it still knows what they read
    scopes = sorted({tuple(s) for s in scopes} | {tuple(s) for r in earlier for s in r.scopes}, key=lambda s: (len(s), s))
    published = release.cut(final_rows(needs, previous, through), codes, through)
    cells, relations = release.tables(published, codes, through, listed=listed)
    system = _System(published, through, codes, scopes, earlier)
    protected: dict[str, Cell] = {}
    for group in release.groups(cells):
        part, tied = release.in_group(cells, relations, group)
        past = _states(earlier, group)
        last = past[-1] if past else None
        if last is None:  # a year no release published
            attackers, primary = release.insiders(part, scopes, system.residual(system.new, ""))
            protected |= protect(part, tied, release.cost, attackers, primary=primary)
        elif ({k: c.value for k, c in last.cells.items()} == {c.key: c.value for c in part}
              and {tuple(x) for x in scopes} <= {tuple(x) for x in last.newest.scopes}):
            protected |= {k: last.newest.cells[k] for k in last.cells}  # the same figures, protected as before
        else:
            protected |= system.joint(group, part, tied, past)
    release.hide_alongside(protected, relations)
    return release.made(protected, published, codes, through, scopes)


def name(key: str, tag: str) -> str:
    """A cell's key in the joint system: the new release's as it is, an earlier state's renamed by its tag."""
    return renamed(key, tag) if tag else key


class _System:
    """What the joint protection of one release with all earlier ones needs, computed once per release."""

    def __init__(self, published: pd.DataFrame, through: str, codes: list[str], scopes: Sequence[tuple[str, ...]],
                 earlier: Sequence[Release]):
        self.codes, self.scopes, self.through = codes, scopes, through
        self.new = contributions(published)
        self.rows = published
        self.owner = release.municipality_of(published, *[r.needs for r in earlier])
        self._contrib: dict[int, pd.Series] = {}

    def contrib(self, state: _State | None) -> pd.Series:
        if state is None:
            return self.new
        if id(state.rows) not in self._contrib:  # once per state (setdefault would compute it at every call)
            self._contrib[id(state.rows)] = contributions(state.rows)
        return self._contrib[id(state.rows)]

    def residual(self, contrib: pd.Series, role: str) -> dict[tuple[str, ...], dict[str, Cell]]:
        return release.others(contrib, self.owner, self.scopes, lambda k: renamed(k, role) if role else k)

    def joint(self, group: str, part: list[Cell], tied: list[Relation], past: list[_State]) -> dict[str, Cell]:
        """One group's new cells protected with every earlier state of it, the increments and the changes."""
        new = {c.key: c for c in part}
        sequence: list[_State | None] = [*past, None]  # None: the new release
        tags = [f"~r{i}" for i in range(len(past))] + [""]
        keys = sorted(set(new).union(*(s.cells for s in past)))
        cells: list[Cell] = []
        relations: list[Relation] = list(tied)
        residual: dict[tuple[str, ...], dict[str, Cell]] = {tuple(s): {} for s in self.scopes}
        for i, state in enumerate(sequence):
            tag = tags[i]
            here = new if state is None else state.cells
            cells += [replace(here[k], key=name(k, tag)) if k in here else Cell(name(k, tag), 0.0, 0) for k in keys]
            if state is not None:
                # the values that state listed (its own cells: an older release listed only those with needs)
                _, rel = release.tables(state.rows, self.codes, state.through, with_cells=False,
                                        listed=release.listed_in(state.cells))
                relations += [(name(t, tag), [name(m, tag) for m in ms]) for t, ms in rel if t.startswith(group + "|")]
            for scope, found in self.residual(self._in(self.contrib(state), group), tag).items():
                residual[tuple(scope)] |= found
        signed: set[str] = set()
        for b in range(1, len(sequence)):
            for a in range(b):
                role = f"~d{b}" if a == b - 1 else f"~p{a}.{b}"
                delta = self._in(self.contrib(sequence[b]), group).sub(self._in(self.contrib(sequence[a]), group), fill_value=0.0)
                moved = _changed(delta, role)
                # a cell a withdrawal took part in may have gone either way: its change is free of sign (the reader is
                # granted the sign of every other change: none went down)
                fell = set(delta[delta < -1e-9].index.get_level_values("key"))
                earlier_state = sequence[a]
                closed = earlier_state.through if earlier_state is not None else self.through
                others = self.residual(delta, role)
                # a change further apart is a target of its own where it is sensitive: to an outsider, or to an insider
                # as the others' part of a Fyrbodal change (red team: a broker narrowed a change from release 1 to 3)
                theirs = {key for found in others.values() for key, c in found.items()
                          if is_sensitive(c.companies, abs(c.value), c.top)}
                for k in keys:
                    d = moved.get(k)
                    if a < b - 1 and (d is None or not d.primary) and renamed(k, role) not in theirs:
                        continue
                    if d is None:
                        d = Cell(renamed(k, role), 0.0, 0, suppressed=not _final(k, closed))
                    signed |= {d.key} if d.value < 0 or k in fell else set()
                    cells.append(d)
                    relations.append((name(k, tags[b]), [name(k, tags[a]), d.key]))
                for scope, found in others.items():
                    residual[tuple(scope)] |= found
        preset = frozenset(c.key for c in cells if c.key not in new)
        attackers, primary = release.insiders(cells, self.scopes, residual)
        widths, attackers = _published_part(new, past, tags, self.scopes, attackers, residual)
        out = protect(cells, relations, release.cost, attackers, preset, frozenset(signed), primary & frozenset(new), widths)
        return {k: out[k] for k in new}

    @staticmethod
    def _in(contrib: pd.Series, group: str) -> pd.Series:
        keys = contrib.index.get_level_values("key")
        return contrib[keys.str.startswith(group + "|")]


def _published_part(new: dict[str, Cell], past: list[_State], tags: list[str], scopes: Sequence[tuple[str, ...]],
                    attackers: list[Insider], residual: dict[tuple[str, ...], dict[str, Cell]]
                    ) -> tuple[dict[str, float], list[Insider]]:
    """What an earlier release showed is public: a figure of a later state that an earlier state showed (the latest
    that did) is attacked at ±50 % of its growth since, not of itself (its lower part is published; the growth is an
    increment, a target of its own when 1-2 companies made it), and an insider's others' part of a Fyrbodal figure
    likewise at ±50 % of that part's growth. Otherwise a figure that grows a little after it was shown, and is then
    dominated, could never be protected (its published value bounds it from below). The half widths for the outsider
    (by the system's names), and the insiders."""
    states = [s.cells for s in past] + [new]
    shown: dict[str, tuple[str, float]] = {}
    since: dict[str, tuple[str, str]] = {}  # a system name -> (its tag, the tag of the state that showed it before)
    widths: dict[str, float] = {}
    for tag, cells in zip(tags, states):
        for k, c in cells.items():
            if k in shown:
                widths[name(k, tag)] = PROTECTION * abs(c.value - shown[k][1])
                since[name(k, tag)] = (tag, shown[k][0])
        shown |= {k: (tag, c.value) for k, c in cells.items() if not c.suppressed}
    out: list[Insider] = []
    for scope, (known, attacked) in zip(scopes, attackers):
        if not isinstance(attacked, Mapping):
            out.append((known, attacked))
            continue
        own = residual.get(tuple(scope), {})
        adjusted = {}
        for k, w in attacked.items():
            if k in since:
                if k.split("|")[3] == release.REGION:
                    tag, before = since[k]
                    plain = k if not tag else k.replace(tag, "", 1)
                    now, then = own.get(k), own.get(name(plain, before))
                    w = PROTECTION * abs((now.value if now else 0.0) - (then.value if then else 0.0))
                else:
                    w = widths[k]
            if w > 0:
                adjusted[k] = w
        out.append((known, adjusted))
    return widths, out


def _final(key: str, through: str) -> bool:
    """Whether cell ``key`` was final in a release of the months through ``through``: a year before its last, or a
    quarter it published (a reader knows it cannot change)."""
    year, _, dim, _, value = key.split("|")
    last = int(through[:4])
    if int(year) < last:
        return True
    return int(year) == last and dim == "quarter" and 3 * int(value[1:]) <= int(through[5:7])


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
