"""Benchmark: importing a 100,000-need XLSX (preview + commit) through ``kompetenskartan import``.

The workbook is written first (not timed); the import runs as its own process so its time and peak
memory (resident set) are the import's alone. Prints figures; asserts nothing. Targets (issue 13):
<= 30 s and <= 1.5 GB on the development machine.

    .venv/bin/python bench/import.py [--needs 100000]

``--smoke``: a file of 200 needs, imported and then previewed again (the first preview, a dry run as the third, left
out): the same code in seconds (``make bench-smoke`` and the tests run it).
"""

from __future__ import annotations

import argparse
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from core.exchange.needs_sheet import COLUMNS  # noqa: E402
from core.records.audience import Audience, User  # noqa: E402
from data import reference  # noqa: E402
from services.admin import start_register  # noqa: E402
from services.register.store import Register  # noqa: E402


def org_number(n: int) -> str:
    digits = f"5{n:08d}"
    total = sum((d - 9 if d > 9 else d) for d in (int(c) * (2 - i % 2) for i, c in enumerate(digits)))
    return f"{digits[:6]}-{digits[6:]}{(10 - total % 10) % 10}"


def workbook(path: Path, needs: int) -> None:
    from openpyxl import Workbook

    rng = random.Random(7)
    munis = dict(zip(reference.municipalities()["code"], reference.municipalities()["name"]))
    places = [munis[c] for c in reference.fyrbodal_codes()]
    competences = list(reference.competences()["name_sv"])
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Behov")
    sheet.append([sv for sv, _, _ in COLUMNS.values()])
    companies = max(needs // 20, 1)
    facts = {c: (org_number(c), f"Bänkföretag {c} AB", rng.choice(["43", "30.12", "56", "86"]), rng.choice(places),
                 rng.choice(["1-9", "10-49", "50-249"])) for c in range(companies)}
    for i in range(needs):
        org, name, sni, place, size = facts[i % companies]
        sheet.append([f"R-{i}", org, name, sni, place, size, rng.choice(competences), "Rekrytering (bristyrke)",
                      rng.randint(1, 9), "6-12", "På plats", "Gymnasial", "Företagsbesök",
                      f"2025-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}", "Ny", "", "", ""])
    book.save(path)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--needs", type=int, default=100_000)
    parser.add_argument("--smoke", action="store_true", help="a file of 200 needs, two imports: seconds")
    args = parser.parse_args()
    needs = 200 if args.smoke else args.needs
    with tempfile.TemporaryDirectory() as tmp:
        path, url = Path(tmp) / "needs.xlsx", f"sqlite:///{Path(tmp) / 'import.sqlite'}"
        t0 = time.perf_counter()
        workbook(path, needs)
        print(f"{needs:,} needs written to an XLSX of {path.stat().st_size / 1e6:.1f} MB in {time.perf_counter() - t0:.1f} s (not timed)")
        register = Register(url)
        admin = start_register(register, User("bench@region.example", Audience.ADMIN, (), "Bench"))  # a region's own
        steps = (("preview (--dry-run)", ["--dry-run"]), ("preview + commit", []),
                 ("the same file again (preview, all unchanged)", ["--dry-run"]))
        for label, extra in steps[1:] if args.smoke else steps:
            t0 = time.perf_counter()
            done = subprocess.run([sys.executable, "-m", "cli", "import", str(path), "--as", admin.email, "--database", url,
                                   *extra], cwd=ROOT, capture_output=True, text=True)
            seconds = time.perf_counter() - t0
            if done.returncode != 0:  # a refused or crashed import is no figure: the bench stops and says why
                sys.exit(f"{label}: kompetenskartan import exited with {done.returncode}: {done.stderr.strip()[-2000:]}")
            peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
            print(f"{label}: {seconds:.1f} s, peak memory {peak:,.0f} MB (largest child so far); "
                  f"{done.stdout.strip().splitlines()[-1]}")
        print(f"register now holds {len(Register(url).needs_frame()):,} needs (targets: <= 30 s, <= 1,500 MB)")


if __name__ == "__main__":
    main()
