"""Benchmark: building and protecting the public release (the figures every protected page reads).

Prints figures; asserts nothing. With and without the insider scopes (each municipality alone and each demo
user's municipalities: what a broker knows exactly). Run with ``.venv/bin/python bench/release.py`` (``make bench``).
The release is computed once per register revision and cached by the app; this is what the first
public visitor after a write waits for.

``--smoke``: the Fyrbodal register with Sotenäs's needs of 2026 only (still published for all 14 and protected against
every insider), attacked as the outsider and two of the insiders (the year of releases: the first alone and with the
second): the same code in seconds (``make bench-smoke`` and the tests run it).
"""

from __future__ import annotations

import argparse
import itertools
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
import registers  # noqa: E402  (bench/registers.py: this script's folder is on the path)

from core.disclosure import (
    protection,
    release,  # noqa: E402
)
from data import reference  # noqa: E402
from services.publishing import listed  # noqa: E402
from services.register.store import Register  # noqa: E402
from services.seed import release_scopes  # noqa: E402

# --smoke: Sotenäs's needs of 2026 (of 2025-2026 for the year of releases, where its late needs fall), published for all
# 14; two insiders attack
SMOKE_MUNICIPALITY, SMOKE_YEAR, SMOKE_INSIDERS, SMOKE_YEARS = "1427", 2026, 2, [2025, 2026]


def demo_needs(scale: str, smoke: bool, years: list[int] | None = None) -> tuple[pd.DataFrame, list[tuple[str, ...]]]:
    """The demo register's needs (``smoke``: of one municipality and year, or ``years``) and the insiders of its users."""
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'bench.sqlite'}"
        registers.demo(url, scale)
        needs = Register(url).needs_frame()
        if smoke:
            needs = needs[needs["municipality_code"].astype(str).eq(SMOKE_MUNICIPALITY)
                          & needs["collected_on"].dt.year.isin(years or [SMOKE_YEAR])]
        return needs, release_scopes(Register(url))


def named(scale: str, smoke: bool) -> str:
    return f"{scale} (smoke: the needs of {SMOKE_MUNICIPALITY} in {SMOKE_YEAR} only)" if smoke else scale


def attackers(scopes: list[tuple[str, ...]], smoke: bool) -> list[tuple[str, ...]]:
    """The insiders who attack the release (besides the outsider): every one, or two in a smoke run."""
    return scopes[:SMOKE_INSIDERS] if smoke else scopes


def measure(scale: str, audit: bool, smoke: bool = False) -> None:
    needs, scopes = demo_needs(scale, smoke)
    codes = reference.fyrbodal_codes()
    start = time.perf_counter()
    cells, relations = release.tables(needs, codes)
    tables = time.perf_counter() - start
    print(f"{named(scale, smoke)}: {len(needs):,} needs; {len(cells):,} cells, {len(relations):,} relations (tables {tables:.2f} s)")
    for label, chosen in (("outsiders only", ()), (f"+ {len(scopes)} insider scopes", scopes)):
        start = time.perf_counter()
        built = release.build(needs, codes, chosen, listed=listed())
        total = time.perf_counter() - start
        hidden = sum(c.suppressed for c in built.cells.values())
        primary = sum(c.primary for c in built.cells.values())
        shown_nonzero = sum(1 for c in built.cells.values() if not c.suppressed and c.value > 0)
        region = [built.value(y, "persons", "total", release.REGION) for y in built.years]
        print(f"  {label}: build + protect {total:.2f} s; {primary} primary + {hidden - primary} complementary hidden, "
              f"{shown_nonzero} non-zero figures shown; Fyrbodal's persons per year shown: {region}")
        if audit:
            attack(built, needs, attackers(scopes, smoke))


# a year of quarterly releases (``measure_year``): the months each publishes, and what happens in the register before it
YEAR = ("2025-06", "2025-09", "2025-12", "2026-03")  # the third is 2025's final release: it applies 2025's withdrawals


def _late(needs: pd.DataFrame, n: int, municipality: str, competence: str, persons: int, day: str) -> pd.DataFrame:
    """A need registered late: a new company's, dated ``day`` (a month already published)."""
    return needs.iloc[[0]].assign(id=10**7 + n, company_id=10**7 + n, municipality_code=municipality, competence=competence,
                                  persons=persons, collected_on=pd.Timestamp(day), need_type="upskilling")


def year_of_releases(needs: pd.DataFrame, scopes: list[tuple[str, ...]], smoke: bool
                     ) -> tuple[list[release.Release], list[float], list[str]]:
    """Four quarterly releases (``YEAR``) made as the app makes them (``core.disclosure.history.build``: the previous
    release's rows as published plus the needs registered since, protected together with every earlier release) from
    the register as it stands at each: the needs collected by then, late needs, withdrawals, and one change of a
    user's municipalities. Returns the releases, the time each took and what happened before each."""
    from core.disclosure import history as release_history

    codes = reference.fyrbodal_codes()
    where = SMOKE_MUNICIPALITY if smoke else "1427"
    register = needs.copy()
    published, seconds, events, gone = [], [], [], -1
    for i, through in enumerate(YEAR):
        event: list[str] = []
        if i == 1:  # a late need for a published month; a published need withdrawn (counted until the year's final
            # release), and one not yet published (never counted)
            register = pd.concat([register, _late(needs, 1, where, "boatbuilding", 3, "2025-03-03")], ignore_index=True)
            old = published[0].needs
            mine = old[old["municipality_code"].astype(str).eq(where) & old["collected_on"].dt.year.eq(2025)] if old is not None else old
            gone = int(mine["id"].iloc[len(mine) // 2]) if mine is not None and len(mine) else -1
            q3 = register[(register["collected_on"] > "2025-06-30") & (register["collected_on"] <= "2025-09-30")]
            fresh = int(q3["id"].iloc[0]) if len(q3) else -1
            register = register[~register["id"].isin([gone, fresh])]
            event.append("a late need (2025-03, 3 persons); a published need withdrawn, and one not yet published")
        if i == 2:
            register = pd.concat([register, _late(needs, 2, where, "welding", 2, "2025-08-10")], ignore_index=True)
            event.append("a late need (2025-08, 2 persons); the year's final release: the withdrawal applied")
        if i == 3:  # the Sotenäs + Tanum broker is given Sotenäs alone (allowed: protected); the set stays an insider
            scopes = [s for s in scopes if s != ("1427", "1435")] + [("1427",)]
            register = pd.concat([register, _late(needs, 3, where, "logistics", 1, "2025-11-20")], ignore_index=True)
            event.append("a late need (2025-11, 1 person: counts in 2026-01); a user's municipalities changed "
                         "(Sotenäs + Tanum to Sotenäs)")
        rows = register[register["collected_on"] <= pd.Period(through, "M").end_time]
        start = time.perf_counter()
        previous = published[-1] if published else None
        made = release_history.build(rows, codes, sorted(set(scopes), key=lambda s: (len(s), s)), through, previous, published,
                                     listed())
        seconds.append(time.perf_counter() - start)
        if i == 2:
            counted = [gone in set(r.needs["id"]) for r in (published[1], made)]
            event.append(f"the withdrawn need counted in release 2: {counted[0]}, in release 3: {counted[1]}")
        published.append(made)
        events.append("; ".join(event) or "the first")
    return published, seconds, events


def measure_year(scale: str, audit: bool, smoke: bool = False) -> None:
    """A year of quarterly releases (issue 37): the time per release, and the independent attack
    (``tests/release_attack.py``) as the outsider and every insider scope on each release, each pair and all four."""
    needs, scopes = demo_needs(scale, smoke, SMOKE_YEARS)
    published, seconds, events = year_of_releases(needs, scopes, smoke)
    label = f"{scale} (smoke: the needs of {SMOKE_MUNICIPALITY} in {SMOKE_YEARS} only)" if smoke else scale
    print(f"{label}, a year of quarterly releases (late needs, withdrawals, a user's municipalities changed):")
    for i, (made, took, event) in enumerate(zip(published, seconds, events)):
        hidden = sum(c.suppressed for c in made.cells.values())
        print(f"  release {i + 1} (through {made.through}; {event}): {took:.1f} s; hidden {hidden} of {len(made.cells)}")
    if not audit:
        return
    from tests import release_attack

    readers = [(), *attackers(sorted({s for r in published for s in r.scopes}, key=lambda s: (len(s), s)), smoke)]
    n = len(published)
    combos = [(i,) for i in range(n)] + list(itertools.combinations(range(n), 2)) + [tuple(range(n))]
    if smoke:  # the first release alone and with the second: the attack on one release and on several
        combos = [(0,), (0, 1)]
    years = SMOKE_YEARS if smoke else None
    start, total = time.perf_counter(), release_attack.Found()
    header = "  attacker".ljust(16) + "".join(("+".join(str(i + 1) for i in c)).rjust(13) for c in combos)
    print("  checked·exact·narrowed per reader (rows) and set of releases read together (columns):")
    print(header)
    for scope in readers:
        line = f"  {'+'.join(scope) or 'outsider'}".ljust(16)
        for combo in combos:
            found = release_attack.attack([published[i] for i in combo], scope, years=years, published=published)
            total = total + found
            line += f"{found.checked}·{found.exact}·{found.narrowed}".rjust(13)
        print(line, flush=True)
    print(f"  attack on the {n} releases, {len(combos)} sets of them, outsider and {len(readers) - 1} insiders: {total.checked} "
          f"targets checked, {total.exact} exact, {total.narrowed} narrowed within ±50 % ({time.perf_counter() - start:.0f} s)"
          + (f"; e.g. {total.examples}" if total.examples else ""))


def attack(built: release.Release, needs, scopes) -> None:
    """The audit's interval attack (``tests/app/test_disclosure_audit.py``) on every shown person figure of the
    release (what the public pages show), as an outsider and as each insider scope: figures from 1-2 companies
    checked, disclosed exactly, narrowed within ±50 %."""
    from tests.app.test_disclosure_audit import Published, interval_attack

    seen = Published()
    for key, cell in built.cells.items():
        year, measure_, dim, where, value = key.split("|")
        if measure_ == "persons" and not cell.suppressed:
            seen.cell(int(year), "fyrbodal" if where == release.REGION else where, dim, value, cell.value)
    fyrbodal = needs[needs["municipality_code"].astype(str).isin(reference.fyrbodal_codes())]
    truth = fyrbodal.assign(year=fyrbodal["collected_on"].dt.year, m=fyrbodal["municipality_code"].astype(str),
                            quarter="Q" + fyrbodal["collected_on"].dt.quarter.astype(str))
    start, totals = time.perf_counter(), [0, 0, 0]
    for scope in [(), *scopes]:
        checked, failures = interval_attack(seen, truth, list(built.years), scope)
        exact = sum(1 for f in failures if _exact(f))
        totals = [totals[0] + checked, totals[1] + exact, totals[2] + len(failures) - exact]
        if failures or not scope:
            print(f"    attack as {'+'.join(scope) or 'outsider'}: {checked} figures, {exact} exact, {len(failures) - exact} narrowed")
    print(f"    attack, outsider and {len(scopes)} insiders: {totals[0]} figure-attacks, {totals[1]} exact, {totals[2]} narrowed "
          f"({time.perf_counter() - start:.1f} s)")


def _exact(failure: str) -> bool:
    """"2025 1427 competence=x: true 6, attack [6, 6]" is disclosed exactly."""
    true = float(failure.split("true ")[1].split(",")[0])
    low, high = (float(x) for x in failure.split("[")[1].rstrip("]").split(", "))
    return abs(low - true) < 1e-6 and abs(high - true) < 1e-6


def main() -> None:
    print(f"protection: fewer than {protection.MIN_COMPANIES} companies or p% rule ({protection.P_RULE:.0%}); "
          f"every hidden sensitive figure kept at least ±{protection.PROTECTION:.0%} wide")
    parser = argparse.ArgumentParser()
    parser.add_argument("--scales", default="fyrbodal,national")
    parser.add_argument("--no-audit", action="store_true", help="skip the interval attack")
    parser.add_argument("--audit-scales", default="fyrbodal",
                        help="the scales whose releases are attacked (default fyrbodal, ~11 minutes; the national register's "
                        "attack takes hours, so `make bench` leaves it out: --audit-scales fyrbodal,national)")
    parser.add_argument("--smoke", action="store_true", help="Sotenäs's needs of 2026 in the Fyrbodal register: seconds")
    args = parser.parse_args()
    audited = set(args.audit_scales.split(","))
    for scale in ["fyrbodal"] if args.smoke else args.scales.split(","):
        audit = not args.no_audit and (args.smoke or scale in audited)
        if not audit:
            print(f"{scale}: no attack on its releases (--audit-scales {args.audit_scales})")
        measure(scale, audit, args.smoke)
        measure_year(scale, audit, args.smoke)


if __name__ == "__main__":
    main()
