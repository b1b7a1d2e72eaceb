"""The place-to-place travel matrix: the model's, or a measured one a user imports.

The exchange format is one CSV row per ordered pair of different places:
``from_id,from_name,to_id,to_name,km_road,minutes_car,minutes_pt`` with ids and names as in
the places table (``data/places.csv``). An imported file may also be the same table saved by Excel or
LibreOffice (.xlsx, .xls, .ods, or CSV with semicolons and decimal commas): it is read like any spreadsheet
(``core.exchange.spreadsheet``; in the app and the command line in a worker process, ``services.reading``), checked
as a whole (every problem with its row) and replaces the model only for the pairs it contains.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from core.exchange import spreadsheet
from core.records.validation import InvalidTable, Problem, missing_columns
from geo import travel
from geo.network import Network, Parameters, default_network, default_parameters

COLUMNS = ["from_id", "from_name", "to_id", "to_name", "km_road", "minutes_car", "minutes_pt"]
VALUES = ["km_road", "minutes_car", "minutes_pt"]


@dataclass(frozen=True)
class Matrix:
    """Square arrays over ``place_ids`` (the places table's order); ``measured`` marks imported pairs."""

    place_ids: list[str]
    km_road: np.ndarray
    minutes_car: np.ndarray
    minutes_pt: np.ndarray
    measured: np.ndarray

    def minutes(self, mode: str) -> np.ndarray:
        return self.minutes_car if mode == "car" else self.minutes_pt

    def index(self) -> dict[str, int]:
        return {pid: i for i, pid in enumerate(self.place_ids)}


def model(net: Network | None = None, params: Parameters | None = None) -> Matrix:
    net = net or default_network()
    routes = travel.routes(net, params or default_parameters())
    places = np.flatnonzero(net.nodes["is_place"].to_numpy())
    pick = np.ix_(places, places)
    return Matrix(
        place_ids=net.nodes.loc[places, "node_id"].tolist(),
        km_road=routes.km_road[pick], minutes_car=routes.minutes_car[pick], minutes_pt=routes.minutes_pt[pick],
        measured=np.zeros((len(places), len(places)), dtype=bool),
    )


def to_frame(matrix: Matrix, names: dict[str, str]) -> pd.DataFrame:
    """The exchange format, values rounded to 0.1; the diagonal (a place to itself) is left out."""
    n = len(matrix.place_ids)
    i, j = np.nonzero(~np.eye(n, dtype=bool))
    ids = np.array(matrix.place_ids)
    return pd.DataFrame({
        "from_id": ids[i], "from_name": [names[x] for x in ids[i]],
        "to_id": ids[j], "to_name": [names[x] for x in ids[j]],
        "km_road": np.round(matrix.km_road[i, j], 1),
        "minutes_car": np.round(matrix.minutes_car[i, j], 1),
        "minutes_pt": np.round(matrix.minutes_pt[i, j], 1),
    })


def to_csv(matrix: Matrix, names: dict[str, str]) -> str:
    return to_frame(matrix, names).to_csv(index=False)


def read_csv(data: bytes | str) -> pd.DataFrame:
    """Parse a matrix file here, in this process (the tests; the app and the command line read it in a worker and call
    ``from_sheets``); a file refused whole raises ``InvalidTable`` saying why."""
    try:
        return from_sheets(spreadsheet.read(data.encode("utf-8") if isinstance(data, str) else data))
    except spreadsheet.Refused as exc:
        raise InvalidTable("travel matrix", [Problem(None, None, f"not a readable table ({exc})")]) from exc


def from_sheets(sheets: list[spreadsheet.Sheet]) -> pd.DataFrame:
    """The matrix's rows as text: the sheet whose first non-empty row names the most of ``COLUMNS``, that row its header."""
    def header(sheet: spreadsheet.Sheet) -> tuple[int, list[str]]:
        first = next(([c.strip() for c in row] for row in sheet.rows if any(c.strip() for c in row)), [])
        return sum(c in COLUMNS for c in first), first

    sheet = max(sheets, key=lambda s: header(s)[0])
    names = header(sheet)[1]
    start = next(i for i, row in enumerate(sheet.rows) if any(c.strip() for c in row)) + 1 if names else 0
    width = len(names)
    rows = [(row + [""] * width)[:width] for row in sheet.rows[start:] if any(c.strip() for c in row)]
    named = [n if n else f"_{i}" for i, n in enumerate(names)]
    return pd.DataFrame(rows, columns=named, dtype=object) if named else pd.DataFrame()


def check(frame: pd.DataFrame, names: dict[str, str]) -> list[Problem]:
    """Problems in an imported matrix: unknown places, names that do not match, missing or negative values, repeats."""
    problems = missing_columns(frame, COLUMNS)
    if problems:
        return problems
    for row, rec in enumerate(frame[COLUMNS].itertuples(index=False), start=1):
        for side in ("from", "to"):
            pid, name = getattr(rec, f"{side}_id").strip(), getattr(rec, f"{side}_name").strip()
            if pid not in names:
                problems.append(Problem(row, f"{side}_id", f"unknown place {pid!r}"))
            elif name and name != names[pid]:
                problems.append(Problem(row, f"{side}_name", f"{name!r} is not the name of {pid} ({names[pid]})"))
        if rec.from_id.strip() == rec.to_id.strip():
            problems.append(Problem(row, "to_id", "a place to itself"))
        for col in VALUES:
            value = pd.to_numeric(_decimal(getattr(rec, col)), errors="coerce")
            if pd.isna(value):
                problems.append(Problem(row, col, "missing or not a number"))
            elif value < 0:
                problems.append(Problem(row, col, "negative"))
    pairs = frame["from_id"].str.strip() + "→" + frame["to_id"].str.strip()
    problems += [Problem(i + 1, "to_id", f"pair {p} appears twice") for i, p in pairs[pairs.duplicated()].items()]
    return problems


def _decimal(text: str) -> str:
    """12,5 (a Swedish spreadsheet's decimal comma) is 12.5."""
    return text.strip().replace(",", ".")


def validated(frame: pd.DataFrame, names: dict[str, str]) -> pd.DataFrame:
    """The imported pairs as clean columns, or ``InvalidTable`` with every problem."""
    problems = check(frame, names)
    if problems:
        raise InvalidTable("travel matrix", problems)
    out = frame[COLUMNS].apply(lambda col: col.str.strip())
    out[VALUES] = out[VALUES].map(_decimal).astype(float)
    return out.reset_index(drop=True)


def overlay(base: Matrix, measured: pd.DataFrame) -> Matrix:
    """``base`` with the pairs in ``measured`` (a validated frame) replaced."""
    if measured.empty:
        return base
    idx = base.index()
    i = measured["from_id"].map(idx).to_numpy(int)
    j = measured["to_id"].map(idx).to_numpy(int)
    arrays = {col: getattr(base, col).copy() for col in VALUES}
    for col in VALUES:
        arrays[col][i, j] = measured[col].to_numpy(float)
    flags = base.measured.copy()
    flags[i, j] = True
    return Matrix(place_ids=base.place_ids, measured=flags, **arrays)
