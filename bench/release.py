"""Benchmark: building and protecting the public release (the figures every protected page reads).

Prints figures; asserts nothing. With and without the insider scopes (each municipality alone and each demo
user's municipalities: what a broker knows exactly). Run with ``.venv/bin/python bench/release.py`` (``make bench``).
The release is computed once per register revision and cached by the app; this is what the first
public visitor after a write waits for.

``--smoke``: the Fyrbodal register with Sotenäs's needs of 2026 only (still published for all 14 and protected against
every insider), attacked as the outsider and two of the insiders: the same code in seconds (``make bench-smoke`` and
the tests run it).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from core.disclosure import (
    protection,
    release,  # noqa: E402
)
from data import reference  # noqa: E402
from services.register.store import Register  # noqa: E402
from services.seed import load_demo, release_scopes  # noqa: E402

# --smoke: Sotenäs's needs of 2026 (where the late need of measure_history falls), published for all 14; two insiders attack
SMOKE_MUNICIPALITY, SMOKE_YEAR, SMOKE_INSIDERS = "1427", 2026, 2


def demo_needs(scale: str, smoke: bool) -> tuple[pd.DataFrame, list[tuple[str, ...]]]:
    """The demo register's needs (``smoke``: of one municipality and year) and the insiders of its users."""
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'bench.sqlite'}"
        load_demo(Register(url), scale)
        needs = Register(url).needs_frame()
        if smoke:
            needs = needs[needs["municipality_code"].astype(str).eq(SMOKE_MUNICIPALITY) & needs["collected_on"].dt.year.eq(SMOKE_YEAR)]
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
        built = release.build(needs, codes, chosen)
        total = time.perf_counter() - start
        hidden = sum(c.suppressed for c in built.cells.values())
        primary = sum(c.primary for c in built.cells.values())
        shown_nonzero = sum(1 for c in built.cells.values() if not c.suppressed and c.value > 0)
        region = [built.value(y, "persons", "total", release.REGION) for y in built.years]
        print(f"  {label}: build + protect {total:.2f} s; {primary} primary + {hidden - primary} complementary hidden, "
              f"{shown_nonzero} non-zero figures shown; Fyrbodal's persons per year shown: {region}")
        if audit:
            attack(built, needs, attackers(scopes, smoke))


def measure_history(scale: str, audit: bool, smoke: bool = False) -> None:
    """Two releases on the schedule (``core.disclosure.history``): through 2026-06, then through 2026-09 with a need
    registered late for 2026-03 (a new company in Sotenäs, 3 persons: the issue's example), protected together."""
    from core.disclosure import history as release_history

    needs, scopes = demo_needs(scale, smoke)
    codes = reference.fyrbodal_codes()
    late = needs.iloc[[0]].assign(id=10**7, company_id=10**7, municipality_code="1427", competence="boatbuilding", persons=3,
                                  collected_on=pd.Timestamp("2026-03-01"), need_type="upskilling")
    later = pd.concat([needs, late], ignore_index=True)
    start = time.perf_counter()
    first = release.build(needs, codes, scopes, "2026-06")
    one = time.perf_counter() - start
    start = time.perf_counter()
    second = release_history.build(later, codes, scopes, "2026-09", first)
    two = time.perf_counter() - start
    alone = release.build(later, codes, scopes, "2026-09")
    hidden = (sum(c.suppressed for c in second.cells.values()), sum(c.suppressed for c in alone.cells.values()))
    print(f"{named(scale, smoke)}, two releases: the first (through 2026-06) {one:.1f} s; the next (through 2026-09) protected together "
          f"with it {two:.1f} s; hidden {hidden[0]} of {len(second.cells)} (made alone: {hidden[1]})")
    if not audit:
        return
    from tests.unit.test_release_history import narrowed

    changes = release_history.changes(second.needs, first.needs)
    sensitive = sum(1 for c in changes.values() if c.primary)
    start, found, insiders = time.perf_counter(), {}, attackers(scopes, smoke)
    for made, label in ((second, "together"), (alone, "made alone")):
        for scope in [(), *insiders]:
            known = {k for r in (first, made) for k in r.cells if k.split("|")[3] in scope}
            n = sum(len(narrowed(first, made, g, known)) for g in ("2026|persons", "2026|companies", "2026|needs"))
            found[(label, scope)] = n
            if label == "made alone" and not scope:
                break
    together = [n for (label, _), n in found.items() if label == "together"]
    print(f"  attack on the {sensitive} changes from 1-2 companies, outsider and {len(insiders)} insiders: "
          f"{sum(together)} narrowed within ±50 % (exact included) together; {found[('made alone', ())]} by an outsider "
          f"when the next release is made alone ({time.perf_counter() - start:.0f} s)")


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
    parser.add_argument("--no-audit", action="store_true", help="skip the interval attack (minutes on the national register)")
    parser.add_argument("--smoke", action="store_true", help="Sotenäs's needs of 2026 in the Fyrbodal register: seconds")
    args = parser.parse_args()
    for scale in ["fyrbodal"] if args.smoke else args.scales.split(","):
        measure(scale, not args.no_audit, args.smoke)
        measure_history(scale, not args.no_audit, args.smoke)


if __name__ == "__main__":
    main()
