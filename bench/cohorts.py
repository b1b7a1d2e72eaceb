"""Benchmark: the cohort finder's solve time and persons placed, MILP and greedy.

Prints figures; asserts nothing. Run with ``.venv/bin/python bench/cohorts.py`` (``make bench``).

- Fyrbodal: the demo register (774 needs) on the travel model, default settings (45 min by car or
  60 by public transport, the catalogue's class sizes).
- National: the national demo register (~108,000 needs, 290 municipalities). The travel model
  covers only Fyrbodal, so this instance is synthetic and says so: every municipality's label
  point is a host, car minutes = great-circle km x 1.3 / 75 km/h + 5, public transport = car x 1.5
  + 10. It measures the solver at scale, not travel in Sweden.

``--smoke``: the synthetic instance is built on the Fyrbodal register instead of the national one (the same code in
seconds; ``make bench-smoke`` and the tests run it).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import registers  # noqa: E402  (bench/registers.py: this script's folder is on the path)

from core.cohorts import finder as cohorts  # noqa: E402
from data import reference  # noqa: E402
from geo import boundaries
from geo import matrix as mx  # noqa: E402
from geo.network import haversine_km  # noqa: E402
from services import cohort_instance  # noqa: E402
from services.register.store import Register  # noqa: E402
from services.seed import load_demo  # noqa: E402


def report(name: str, instance: cohorts.Instance, settings: cohorts.Settings) -> None:
    for method in ("milp", "greedy"):
        plan = cohorts.plan(instance, cohorts.Settings(**{**settings.__dict__, "method": method}))
        gap = "" if plan.gap != plan.gap else f", MIP gap {plan.gap:.2%} (bound - placed) / bound"
        print(f"{name} {method}: {plan.seconds:.2f} s, {plan.persons_placed} persons placed in {len(plan.cohorts)} cohorts, "
              f"{sum(r.persons for r in plan.routed)} routed to offers, {plan.status}{gap}")


def national_instance(url: str) -> cohorts.Instance:
    register = Register(url)
    codes = boundaries.municipalities()["code"].tolist()
    points = boundaries.label_points(codes).set_index("code").loc[codes]
    km = haversine_km(points["lat"].to_numpy()[:, None], points["lon"].to_numpy()[:, None],
                      points["lat"].to_numpy()[None, :], points["lon"].to_numpy()[None, :])
    car = km * 1.3 / 75 * 60 + 5
    needs = register.needs_frame()
    plain = pd.DataFrame({"need_id": needs["id"].to_numpy(), "municipality_code": needs["municipality_code"].astype(str).to_numpy(),
                          "competence": needs["competence"].astype(str).to_numpy(), "persons": needs["persons"].to_numpy(),
                          "horizon": needs["horizon"].astype(str).to_numpy(), "form": needs["form"].astype(str).to_numpy()})
    sizes = {r.code: (int(r.min_class_size), int(r.max_class_size)) for r in reference.competences().itertuples()}
    offers = pd.DataFrame(columns=["offer_id", "title", "competence", "host", "form", "seats", "window"])
    return cohorts.Instance(plain, pd.DataFrame(car, index=codes, columns=codes),
                            pd.DataFrame(car * 1.5 + 10, index=codes, columns=codes), sizes, offers)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--smoke", action="store_true", help="the synthetic instance on the Fyrbodal register: seconds")
    smoke = parser.parse_args().smoke
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'fyrbodal.sqlite'}"
        registers.demo(url)
        register = Register(url)
        instance = cohort_instance.for_register(register.needs_frame(), register.offers_frame(), mx.model(),
                                                reference.fyrbodal_codes(), cohort_instance.reference_date(register.meta()))
        report("Fyrbodal (774 needs)", instance, cohorts.Settings())
        national = url if smoke else f"sqlite:///{Path(tmp) / 'national.sqlite'}"
        if not smoke:
            load_demo(Register(national), "national")
        instance = national_instance(national)
        of = " of the Fyrbodal register" if smoke else ""
        report(f"National, synthetic travel ({len(instance.needs)} needs{of}, 290 municipalities)", instance,
               cohorts.Settings(time_limit=50.0))


if __name__ == "__main__":
    main()
