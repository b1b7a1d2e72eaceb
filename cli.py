"""The ``kompetenskartan`` command line."""

from __future__ import annotations

import argparse
import sys

from core.config import database_url
from core.store import Register
from core.validation import InvalidTable
from data import demo
from data.seed import load_demo


def _demo(args: argparse.Namespace) -> int:
    url = args.database or database_url()
    print(f"Building the {args.scale} demo register (seed {args.seed}) in {url} ...", file=sys.stderr)
    register = Register(url)
    generated = load_demo(register, args.scale, args.seed)
    print(f"{len(generated.companies)} companies, {len(generated.needs)} needs (example data) written to {url}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="kompetenskartan", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    build = commands.add_parser("demo", help="(re)build a register with the seeded demo data")
    build.add_argument("--scale", choices=sorted(demo.SCALES), default="fyrbodal")
    build.add_argument("--database", metavar="URL", help="SQLAlchemy URL (default: DATABASE_URL or var/kompetenskartan.sqlite)")
    build.add_argument("--seed", type=int, default=demo.DEFAULT_SEED)
    build.set_defaults(func=_demo)
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except InvalidTable as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
