"""The ``kompetenskartan`` command line."""

from __future__ import annotations

import argparse
import contextlib
import sys

import pandas as pd

from core.common.config import database_url
from core.records import audience
from core.records.dataset import holds_example_data
from core.records.validation import InvalidTable
from data import demo
from services.admin import Admin, operator
from services.register.backup import BackupProblem
from services.register.store import RealRegister, Register, shown_url
from services.seed import load_demo
from services.workspace import Refused


def _demo(args: argparse.Namespace) -> int:
    url = args.database or database_url()
    print(f"Building the {args.scale} demo register (seed {args.seed}) in {shown_url(url)} ...", file=sys.stderr)
    register = Register(url)
    generated = load_demo(register, args.scale, args.seed, force=args.force)
    print(f"{len(generated.companies)} companies, {len(generated.needs)} needs (example data) written to {shown_url(url)}")
    return 0


def _init(args: argparse.Namespace) -> int:
    from services.admin import start_register

    url = args.database or database_url()
    admin = start_register(Register(url), audience.User(args.admin, audience.Audience.ADMIN, (), args.name or ""))
    print(f"{shown_url(url)}: a new, empty register of your own, with {admin.email} as its first admin.\n"
          "Next: add users (kompetenskartan users add EMAIL --role broker --municipality CODE), download the import "
          "template (kompetenskartan export --template --out mall.xlsx), import your needs, and back up "
          "(kompetenskartan backup --out FILE).")
    return 0


def _backup(args: argparse.Namespace) -> int:
    from pathlib import Path

    from services.register import backup

    url = args.database or database_url()
    taken = backup.backup(url, Path(args.out))
    print(f"{shown_url(url)}: backup written to {args.out} ({taken})")
    return 0


def _restore(args: argparse.Namespace) -> int:
    from pathlib import Path

    from services.register import backup

    url = args.database or database_url()
    restored = backup.restore(Path(args.file), url)
    print(f"{args.file} restored into {shown_url(url)} ({restored})")
    return 0


def _travel_matrix(args: argparse.Namespace) -> int:
    from pathlib import Path

    from data import reference
    from geo import matrix as mx
    from services import reading

    names = dict(zip(reference.places()["place_id"], reference.places()["name"]))
    register = Register(args.database or database_url())
    if args.import_file:  # read in a worker process with a memory and time limit; refused whole, or every problem
        pairs = mx.validated(mx.from_sheets(reading.spreadsheet(reading.file_bytes(Path(args.import_file)))), names)
        Admin(register, operator()).replace_travel_matrix(pairs)
        print(f"{len(pairs)} measured pairs stored; they replace the model's figures for those pairs")
        return 0
    measured = pd.DataFrame() if args.model_only else register.travel_matrix_frame()
    matrix = mx.overlay(mx.model(), measured)
    with open(args.out, "w", encoding="utf-8", newline="") as fh:
        fh.write(mx.to_csv(matrix, names))
    kind = f"model with {int(matrix.measured.sum())} measured pairs" if matrix.measured.any() else "modelled"
    print(f"{len(names) * (len(names) - 1)} pairs ({kind}) written to {args.out}")
    return 0


def _yrkesbarometer(args: argparse.Namespace) -> int:
    from pathlib import Path

    from core.analysis import barometer
    from services import reading
    from services.seed import barometer_rounds, current_barometer

    register = Register(args.database or database_url())
    if args.import_file:
        path = Path(args.import_file)
        try:  # read in a worker process with a memory and time limit (over them: OverLimit, "error: ...", exit 2)
            rows = reading.barometer_round(reading.file_bytes(path))
        except barometer.BarometerProblems as problems:
            print(f"error: {path.name} was not stored ({len(problems.problems)} problem(s); nothing written):", file=sys.stderr)
            for problem in problems.problems:
                print(f"  {problem}", file=sys.stderr)
            return 2
        stored = Admin(register, operator()).import_barometer(rows, path.name)
        shown = current_barometer(register).name
        print(f"round {stored} stored: {int((rows['lan'] == '14').sum())} occupations for Västra Götalands län and "
              f"{int((rows['lan'] == '00').sum())} for Sweden" + ("; the pages show it now" if shown == stored
                                                                  else f"; the pages still show the newer round {shown}"))
        return 0
    shown = current_barometer(register).name
    imported = set(register.barometer_rounds()["omgang"])
    for name, rows in barometer_rounds(register).items():
        where = "imported into the register" if name in imported else "shipped with the app"
        print(f"{name}: {int((rows['lan'] == '14').sum())} occupations, {where}" + (" (shown)" if name == shown else ""))
    return 0


def _supply(args: argparse.Namespace) -> int:
    from pathlib import Path

    from core.exchange.supply import SupplyProblems
    from services import reading, supply

    register = Register(args.database or database_url())
    if args.import_file:
        path = Path(args.import_file)
        try:  # read whole in a worker process with a memory and time limit: a hostile file is a refusal
            parsed = supply.read(reading.file_bytes(path), path.name, args.source)
        except SupplyProblems as problems:
            print(f"error: {path.name} was not stored ({len(problems.problems)} problem(s); nothing written):", file=sys.stderr)
            for problem in problems.problems:
                print(f"  {problem}", file=sys.stderr)
            return 2
        before, changed = supply.changes(register, parsed.rows, parsed.series)
        counts = changed["change"].value_counts()
        against = f"against {before['label']} ({before['file_name']})" if before is not None else "the first of its kind"
        summary = (f"{parsed.label}: {len(parsed.rows)} rows; {against}: {int(counts.get('added', 0))} added, "
                   f"{int(counts.get('removed', 0))} not in this file, {int(counts.get('changed', 0))} changed")
        if args.dry_run:
            print(f"{summary} (dry run: nothing stored)")
            return 0
        round_id = supply.Supply(register, operator()).store(parsed)
        print(f"round {round_id} stored: {summary}")
        return 0
    stored = supply.rounds(register)
    if stored.empty:
        print("no supply round imported; the app shows the shipped supply (data/yh_supply.csv)")
    for row in stored.itertuples():
        print(f"{row.round_id}: {row.label}, {row.rows} rows, from {row.file_name} (SHA-256 {row.sha256[:12]}…), "
              f"imported {row.imported_at:%Y-%m-%d %H:%M} by {row.imported_by}")
    return 0


def _cohorts(args: argparse.Namespace) -> int:
    from core.cohorts import finder as cohorts
    from core.exchange import cohort_sheet as cohort_export
    from data import reference
    from geo import matrix as mx
    from services import cohort_instance

    register = Register(args.database or database_url())
    user = _signed_in(register, args.as_user)
    scope = audience.scope(user)
    codes = [c for c in reference.fyrbodal_codes() if scope is None or c in scope]
    matrix = mx.overlay(mx.model(), register.travel_matrix_frame())
    meta = register.meta()
    needs = audience.rows_for(user, register.needs_frame())
    instance = cohort_instance.for_register(needs, register.offers_frame(), matrix, codes,
                                            cohort_instance.reference_date(meta))
    settings = cohorts.Settings(car_minutes=args.max_car_minutes, pt_minutes=args.max_pt_minutes, min_size=args.min_size,
                                max_size=args.max_size, method=args.method, time_limit=args.time_limit)
    plan = cohorts.plan(instance, settings)
    names = dict(zip(reference.municipalities()["code"], reference.municipalities()["name"]))
    text = cohort_export.to_json(plan, settings, cohort_instance.labels("en", names), "en", holds_example_data(meta))
    with open(args.out, "w", encoding="utf-8") as fh:
        fh.write(text)
    label = " (example data)" if holds_example_data(meta) else ""
    print(f"{len(plan.cohorts)} cohorts, {plan.persons_placed} persons placed, {len(plan.non_viable)} needs not viable "
          f"({plan.method}, {plan.status}, {plan.seconds:.1f} s){label}: written to {args.out}")
    return 0


def _signed_in(register: Register, email: str | None) -> audience.User:
    """The user a company-level command runs as: a broker (their municipalities) or an admin."""
    if not email:
        raise ValueError("this command writes company-level data (individual needs): give --as EMAIL of a broker or admin "
                         "in the register (see 'kompetenskartan users list')")
    user = register.user(email)
    if user is None or not audience.sees_companies(user):
        raise ValueError(f"{email} is not a broker or admin in the register")
    return user


def _users(args: argparse.Namespace) -> int:
    from data import reference

    register = Register(args.database or database_url())
    if args.action in ("add", "remove") and not args.email:
        raise ValueError(f"users {args.action} needs the user's e-mail")
    if args.action == "add":
        # "users add" adds or replaces: it reads the stored version itself (None if the user is new) and saves on it,
        # so the version check still holds for the moment between this read and the write (a change by an admin in
        # the app then is refused, not overwritten); the command line has no form read earlier to check against
        user = audience.User(args.email, audience.parse_role(args.role), tuple(args.municipality or ()), args.name or "")
        saved = Admin(register, operator()).save_user(user, set(reference.fyrbodal_codes()), register.user_version(user.email))
        print(f"{saved.email}: {saved.role.value}" + (f" ({', '.join(saved.municipalities)})" if saved.municipalities else ""))
    elif args.action == "remove":
        if not Admin(register, operator()).remove_user(args.email):
            raise ValueError(f"no user {args.email!r} in the register")
        print(f"{args.email.strip().lower()} removed")
    else:
        for u in register.users():
            print(f"{u.email}\t{u.role.value}\t{','.join(u.municipalities)}\t{u.name}")
    return 0


def _briefing(args: argparse.Namespace) -> int:
    from core.briefing import content as briefing
    from core.briefing import deck as report_pptx
    from core.briefing import pdf as report_pdf
    from services import briefing_inputs, publishing

    area = briefing_inputs.area_codes(args.area)
    register = Register(args.database or database_url())
    with contextlib.suppress(publishing.AnotherPublisher):  # published by another at the same moment: the brief reads theirs
        publishing.publish(register, actor="kompetenskartan briefing")  # the release due, as the app's first visit would
    inputs = briefing_inputs.prepare(register)
    choices = briefing.periods(inputs.months)
    args.period = args.period or next(iter(choices), "")
    if args.period not in choices:
        raise ValueError(f"unknown period {args.period!r}; choose one of {', '.join(choices)}")
    brief = briefing_inputs.make(inputs, area, choices[args.period])
    renderer = report_pptx if args.format == "pptx" else report_pdf
    data = renderer.render(brief, briefing_inputs.names(args.lang, area), args.lang, inputs.meta, inputs.population, inputs.outlines)
    with open(args.out, "wb") as fh:
        fh.write(data)
    label = " (example data)" if holds_example_data(inputs.meta) else ""
    print(f"briefing for {briefing_inputs.names(args.lang, area).area}, {choices[args.period][0]}–{choices[args.period][1]}{label}: "
          f"{len(data)} bytes written to {args.out}")
    return 0


def _db(args: argparse.Namespace) -> int:
    from services.privacy import erase_expired_contacts
    from services.register import migrate
    from services.register.store import make_engine

    url = args.database or database_url()
    engine = make_engine(url, writer=True)
    if args.action == "current":
        with engine.connect() as conn:
            print(f"{shown_url(url)}: revision {migrate.current(conn) or 'none (made before migrations, or empty)'}; "
                  f"newest {migrate.head()}")
        return 0
    before, after = migrate.upgrade(engine)
    done = "already at" if before == after else f"upgraded from {before or 'an empty database'} to"
    print(f"{shown_url(url)}: {done} revision {after}")  # the password masked: compose's migrate logs this
    erased = erase_expired_contacts(Register(url))
    if erased:
        print(f"{erased} contact person(s) kept past their date erased")
    return 0


def _retention(args: argparse.Namespace) -> int:
    import datetime as dt

    from services.privacy import erase_expired_contacts

    url = args.database or database_url()
    erased = erase_expired_contacts(Register(url), dt.date.fromisoformat(args.today) if args.today else None)
    print(f"{shown_url(url)}: {erased} contact person(s) kept past their date erased (records and audit log)")
    return 0


def _release(args: argparse.Namespace) -> int:
    import datetime as dt
    from pathlib import Path

    from services import publishing
    from services.atomic_files import write_atomically

    url = args.database or database_url()
    register = Register(url)
    today = dt.date.fromisoformat(args.today) if args.today else None
    if args.action == "list":
        table = publishing.stored(register)
        if not len(table):
            print(f"{shown_url(url)}: no release published yet")
        for r in table.itertuples(index=False):
            print(f"{r.id}\tpublicerad {pd.Timestamp(r.published_on).date()}\tavser t.o.m. {r.through}\t"
                  f"revision {r.revision}\t{r.shown} tal visas, {r.hidden} dolda")
        return 0
    if args.action in ("preview", "publish"):
        print("Protecting the release (a few seconds to a minute) ...", file=sys.stderr)
        if args.action == "preview":
            made = publishing.next_release(register, today)
            if made is None:
                print(_not_due(register))
                return 0
            new, previous, why = made
        else:
            try:
                published = publishing.publish(register, today, actor="kompetenskartan release publish")
            except publishing.AnotherPublisher as stopped:
                print(f"stopped: {stopped}", file=sys.stderr)
                return 3
            if published is None:
                print(_not_due(register))
                return 0
            new, previous = published, None
            table = publishing.stored(register)
            if len(table) > 1:
                previous = publishing.load(register, int(table["id"].iloc[-2]))
            why = None
        report = publishing.report(new, previous)
        head = (f"next release (not published; due: {why.why})" if why is not None
                else f"release {new.id} published {new.published}")
        print(f"{head}: figures through {new.through}, {len(new.cells)} cells, {int(report.table['shown'].sum())} shown")
        print(report.table.to_string(index=False))
        shown, of = report.competences
        print(f"changed since the release before: {report.changed} figures; shown now but hidden before: {report.revealed}; "
              f"competence figures for Fyrbodal {max(new.years) if new.years else '-'}: {shown} of {of} shown")
        return 0
    published = publishing.latest(register) if args.id is None else publishing.load(register, args.id)
    if published is None:
        print(f"error: {shown_url(url)}: no release published yet (kompetenskartan release publish)", file=sys.stderr)
        return 2
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    for name, data in publishing.open_data_files(published).items():
        write_atomically(out / name, data)
        print(out / name)
    return 0


def _not_due(register: Register) -> str:
    from services import publishing

    newest = publishing.stored(register)
    if not len(newest):
        return "no release due: the register has no needs from a closed quarter yet"
    last = newest.iloc[-1]
    return (f"no release due: release {last['id']} (published {pd.Timestamp(last['published_on']).date()}) covers "
            f"through {last['through']}; the next is due when the quarter after it has closed")


def _person(args: argparse.Namespace) -> int:
    from services import privacy

    register = Register(args.database or database_url())
    admin = Admin(register, operator())
    found = privacy.person_record(register, args.who)
    if args.action == "export":
        if not args.out:
            raise ValueError("person export needs --out FILE.json")
        text = admin.person_export(args.who)
        with open(args.out, "w", encoding="utf-8") as fh:
            fh.write(text)
        print(f"{len(found.companies)} contact person record(s), {len(found.notes)} note(s) and {len(found.entries)} "
              f"audit entries written to {args.out}")
        return 0
    if found.empty:
        print("nothing stored about that person: nothing erased")
        return 0
    if args.dry_run or (found.confirm and not args.yes):
        _would_change(found)
        if not args.dry_run:
            why = (f"{', '.join(found.weak)} is one word or short and may be someone else's word too" if found.weak else
                   "the erasure changes text outside the person's own companies, or a longer name that contains theirs is kept")
            print(f"error: {why}: check the list above, then run again with --yes {found.digest}", file=sys.stderr)
            return 2
        return 0
    if not args.requested_by:
        raise ValueError("person erase needs --requested-by: who asked for the erasure (kept in the log)")
    counts = admin.erase_person(args.who, args.requested_by, confirmed=args.yes)
    print(f"erased: {counts['companies']} contact person record(s), {counts['notes']} note(s), {counts['entries']} audit "
          "entries rewritten; the erasure itself is logged without the person")
    if counts.get("old_pages"):
        print("warning: the SQLite file's write-ahead log could not be emptied now (another connection was reading): "
              "it still holds old pages until the next checkpoint; the next retention run tries again", file=sys.stderr)
    return 0


def _would_change(found) -> None:
    """What an erasure would change (``person erase --dry-run``): the contacts, each note as it would read, the log."""
    print(f"would erase: {len(found.companies)} contact person record(s), {len(found.notes)} note(s), {len(found.entries)} "
          "audit entries")
    for company in found.companies:
        print(f"  company {company['id']} ({company['municipality_code']}): {company['contact_name']} <{company['contact_email']}>")
    for note in found.notes:
        print(f"  {note['table']} {note['id']}: {note['note']!r} -> {note['after']!r}")
    for entry in found.entries:
        print(f"  log {entry['id']}: {entry['action']} {entry['table_name']} {entry['record_id']}")
    for company in found.near:
        print(f"  kept, not the same person: company {company['id']} ({company['municipality_code']}): "
              f"{company['contact_name']} <{company['contact_email']}> (the name only contains the name asked for)")
    print(f"code of this list: {found.digest} (person erase … --yes {found.digest} erases exactly this, "
          "or nothing if the register changed)")


def _audit(args: argparse.Namespace) -> int:
    from core.exchange.export import excel_csv
    from services.seed import workspace

    register = Register(args.database or database_url())
    log = workspace(register, _signed_in(register, args.as_user)).audit_log()
    with open(args.out, "wb") as fh:
        fh.write(excel_csv(log.drop(columns=["id"]).rename(columns={"table_name": "table"})))
    print(f"{len(log)} audit entries written to {args.out}")
    return 0


def _import(args: argparse.Namespace) -> int:
    from pathlib import Path

    from core.exchange.spreadsheet import ENCODINGS, Refused
    from services import reading, register_import
    from services.seed import import_preview

    register = Register(args.database or database_url())
    user = _signed_in(register, args.as_user)
    path = Path(args.file)
    try:
        preview, parsed, sheet = import_preview(register, user, reading.file_bytes(path), path.name)
    except Refused as err:
        print(f"error: {path.name}: {err}", file=sys.stderr)
        return 2
    if sheet is not None and sheet.encoding:  # a CSV: how its bytes were read
        print(f"read as {ENCODINGS.get(sheet.encoding, sheet.encoding)}, delimiter "
              f"{ {chr(9): 'tab'}.get(sheet.delimiter, repr(sheet.delimiter))}")
    for column in parsed.ignored_columns:
        print(f"note: column {column!r} is not one the import knows; it is ignored", file=sys.stderr)
    if preview.problems:
        for problem in preview.problems[:200]:
            print(f"error: {problem}", file=sys.stderr)
        more = len(preview.problems) - 200
        print(f"{len(preview.problems)} problem(s){f' ({more} more not shown)' if more > 0 else ''}: nothing was stored",
              file=sys.stderr)
        return 2
    summary = (f"{preview.count('new')} new, {preview.count('changed')} changed, {preview.count('unchanged')} unchanged, "
               f"{len(preview.missing)} in the register but not in the file (kept)")
    for row in preview.rows:
        if row.kind == "changed":
            print(f"row {row.row} ({row.org_nr} {row.ref}): " + "; ".join(f"{f}: {a} -> {b}" for f, (a, b) in row.changes.items()))
    if args.dry_run:
        print(f"{summary}; dry run: nothing was stored")
        return 0
    try:
        register_import.commit(register, user, preview)
    except register_import.Stale as stale:  # another import or edit was stored since this file was checked
        print(f"error: {path.name} was not stored: {stale} (another import or edit was stored meanwhile; nothing "
              "of this file was written: run the import again)", file=sys.stderr)
        return 2
    print(f"{summary}; stored (sha256 {preview.sha256[:12]}…)")
    return 0


def _export(args: argparse.Namespace) -> int:
    from services.seed import export_file

    kind = "csv" if args.out.lower().endswith(".csv") else "xlsx"
    if args.template:
        data, _needs, _efforts = export_file(None, None, args.lang, kind)
        label = "the template"
    else:
        register = Register(args.database or database_url())
        data, needs, efforts = export_file(register, _signed_in(register, args.as_user), args.lang, kind)
        label = f"{needs} needs" + ("" if kind == "csv" else f" and {efforts} training efforts")
    with open(args.out, "wb") as fh:
        fh.write(data)
    print(f"{label} written to {args.out}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="kompetenskartan", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    build = commands.add_parser("demo", help="(re)build a register with the seeded demo data")
    build.add_argument("--scale", choices=sorted(demo.SCALES), default="fyrbodal")
    build.add_argument("--database", metavar="URL", help="SQLAlchemy URL (default: DATABASE_URL or var/kompetenskartan.sqlite)")
    build.add_argument("--seed", type=int, default=demo.DEFAULT_SEED)
    build.add_argument("--force", action="store_true",
                       help="replace even a register that holds a region's data (dataset 'real'): it is lost")
    build.set_defaults(func=_demo)
    start = commands.add_parser("init", help="start a new, empty register of your own (no demo data) with its first admin")
    start.add_argument("--admin", required=True, metavar="EMAIL", help="the first admin's e-mail (as the identity provider gives it)")
    start.add_argument("--name", help="the admin's name")
    start.add_argument("--database", metavar="URL", help="SQLAlchemy URL (default: DATABASE_URL or var/kompetenskartan.sqlite)")
    start.set_defaults(func=_init)
    save = commands.add_parser("backup", help="write a backup of the whole register (SQLite online backup, or pg_dump)")
    save.add_argument("--out", required=True, metavar="FILE", help="a new file (never overwritten)")
    save.add_argument("--database", metavar="URL", help="SQLAlchemy URL (default: DATABASE_URL or var/kompetenskartan.sqlite)")
    save.set_defaults(func=_backup)
    back = commands.add_parser("restore", help="restore a backup into an empty register")
    back.add_argument("file", metavar="FILE")
    back.add_argument("--database", metavar="URL", help="SQLAlchemy URL (default: DATABASE_URL or var/kompetenskartan.sqlite)")
    back.set_defaults(func=_restore)
    travel = commands.add_parser("travel-matrix", help="write the place-to-place travel matrix as CSV, or import a measured one")
    action = travel.add_mutually_exclusive_group(required=True)
    action.add_argument("--out", metavar="FILE.csv", help="write from_id,from_name,to_id,to_name,km_road,minutes_car,minutes_pt")
    action.add_argument("--import", dest="import_file", metavar="FILE", help="validate and store a measured matrix (same columns; CSV, XLSX, XLS or ODS)")
    travel.add_argument("--model-only", action="store_true", help="ignore measured pairs stored in the register")
    travel.add_argument("--database", metavar="URL", help="SQLAlchemy URL (default: DATABASE_URL or var/kompetenskartan.sqlite)")
    travel.set_defaults(func=_travel_matrix)
    yb = commands.add_parser("yrkesbarometer", help="list the Yrkesbarometer rounds, or import Arbetsförmedlingen's next one (JSON)")
    yb.add_argument("--import", dest="import_file", metavar="FILE.json",
                    help="yrkesbarometer.json as Arbetsförmedlingen publishes it: checked whole, stored as a new round")
    yb.add_argument("--database", metavar="URL", help="SQLAlchemy URL (default: DATABASE_URL or var/kompetenskartan.sqlite)")
    yb.set_defaults(func=_yrkesbarometer)
    sup = commands.add_parser("supply", help="list the training-supply rounds imported (newest first), or import MYH's or "
                              "Skolverket's next file: checked whole, stored as a new round, audited")
    act = sup.add_mutually_exclusive_group(required=True)
    act.add_argument("--import", dest="import_file", metavar="FILE",
                     help="an MYH results workbook (.xlsx, as MYH publishes it) or Skolverket's planned adult education (JSON)")
    act.add_argument("--list", action="store_true", help="the rounds stored, newest first")
    sup.add_argument("--source", choices=["myh", "skolverket"], help="what the file is (default: recognised by its content)")
    sup.add_argument("--dry-run", action="store_true", help="check the file and show what it changes; store nothing")
    sup.add_argument("--database", metavar="URL", help="SQLAlchemy URL (default: DATABASE_URL or var/kompetenskartan.sqlite)")
    sup.set_defaults(func=_supply)
    pool = commands.add_parser("cohorts", help="propose cross-municipal cohorts for needs too small to train locally (JSON)")
    pool.add_argument("--out", metavar="FILE.json", required=True)
    pool.add_argument("--max-car-minutes", type=float, default=45, metavar="N", help="travel limit by car (default 45)")
    pool.add_argument("--max-pt-minutes", type=float, default=60, metavar="N", help="travel limit by public transport (default 60)")
    pool.add_argument("--min-size", type=int, metavar="N", help="minimum class size for every competence (default: the catalogue's)")
    pool.add_argument("--max-size", type=int, metavar="N", help="maximum class size for every competence (default: the catalogue's)")
    pool.add_argument("--method", choices=["milp", "greedy"], default="milp")
    pool.add_argument("--time-limit", type=float, default=60.0, metavar="S", help="seconds for the whole MILP run (default 60)")
    pool.add_argument("--database", metavar="URL", help="SQLAlchemy URL (default: DATABASE_URL or var/kompetenskartan.sqlite)")
    pool.add_argument("--as", dest="as_user", metavar="EMAIL", help="run as this broker (their municipalities) or admin (required)")
    pool.set_defaults(func=_cohorts)
    users = commands.add_parser("users", help="list, add or remove the users who may sign in, with their roles")
    users.add_argument("action", choices=["list", "add", "remove"])
    users.add_argument("email", nargs="?", default="", help="the user's e-mail (as the identity provider gives it)")
    users.add_argument("--role", default="viewer", help="viewer, broker or admin (default viewer)")
    users.add_argument("--municipality", action="append", metavar="CODE", help="a broker's municipality (SCB code); repeat for more")
    users.add_argument("--name", help="the user's name")
    users.add_argument("--database", metavar="URL", help="SQLAlchemy URL (default: DATABASE_URL or var/kompetenskartan.sqlite)")
    users.set_defaults(func=_users)
    brief = commands.add_parser("briefing", help="write the briefing for Fyrbodal or one municipality as PDF or PowerPoint")
    brief.add_argument("--area", required=True, help="fyrbodal, or a municipality's SCB code (e.g. 1427)")
    brief.add_argument("--out", required=True, metavar="FILE")
    brief.add_argument("--format", choices=["pdf", "pptx"], default="pdf")
    brief.add_argument("--period", default="", help="a calendar year such as 2025 (default: the newest)")
    brief.add_argument("--lang", choices=["sv", "en"], default="sv")
    brief.add_argument("--database", metavar="URL", help="SQLAlchemy URL (default: DATABASE_URL or var/kompetenskartan.sqlite)")
    brief.set_defaults(func=_briefing)
    db = commands.add_parser("db", help="the register's schema: upgrade it in place (every row kept) or show its revision")
    db.add_argument("action", choices=["upgrade", "current"])
    db.add_argument("--database", metavar="URL", help="SQLAlchemy URL (default: DATABASE_URL or var/kompetenskartan.sqlite)")
    db.set_defaults(func=_db)
    keep = commands.add_parser("retention", help="erase contact persons kept past their date (run daily from cron)")
    keep.add_argument("--today", metavar="YYYY-MM-DD", help=argparse.SUPPRESS)  # a clock the tests control
    keep.add_argument("--database", metavar="URL", help="SQLAlchemy URL (default: DATABASE_URL or var/kompetenskartan.sqlite)")
    keep.set_defaults(func=_retention)
    rel = commands.add_parser("release", help="the public release: publish the one due (run daily from cron), preview it, "
                              "list those published, or write one as open-data files")
    rel.add_argument("action", choices=["publish", "preview", "list", "open-data"])
    rel.add_argument("--id", type=int, help="open-data: the release (default the newest)")
    rel.add_argument("--out", metavar="DIR", default="open-data", help="open-data: the folder to write (default open-data)")
    rel.add_argument("--today", metavar="YYYY-MM-DD", help=argparse.SUPPRESS)  # a clock the tests control
    rel.add_argument("--database", metavar="URL", help="SQLAlchemy URL (default: DATABASE_URL or var/kompetenskartan.sqlite)")
    rel.set_defaults(func=_release)
    person = commands.add_parser("person", help="a contact person's data on request: export everything stored, or erase it")
    person.add_argument("action", choices=["export", "erase"])
    person.add_argument("who", metavar="EMAIL-or-NAME", help="the contact person's e-mail or full name")
    person.add_argument("--out", metavar="FILE.json", help="export: where to write")
    person.add_argument("--requested-by", metavar="TEXT", help="erase: who asked (e.g. the person, by e-mail on 2026-12-01)")
    person.add_argument("--dry-run", action="store_true", help="erase: list what would change; change nothing")
    person.add_argument("--yes", metavar="CODE", default="",
                        help="erase: the code --dry-run printed under its list; the erasure writes only that list (a "
                             "one-word or short name needs it)")
    person.add_argument("--database", metavar="URL", help="SQLAlchemy URL (default: DATABASE_URL or var/kompetenskartan.sqlite)")
    person.set_defaults(func=_person)
    log = commands.add_parser("audit", help="export the audit log (who, when, what, before and after) as CSV")
    log.add_argument("--out", metavar="FILE.csv", required=True)
    log.add_argument("--as", dest="as_user", metavar="EMAIL", help="a broker (entries about their records) or admin (all); required")
    log.add_argument("--database", metavar="URL", help="SQLAlchemy URL (default: DATABASE_URL or var/kompetenskartan.sqlite)")
    log.set_defaults(func=_audit)
    load = commands.add_parser("import", help="import a needs file (XLSX, XLS, ODS or CSV): checked whole, previewed, stored "
                              "all or nothing")
    load.add_argument("file", metavar="FILE")
    load.add_argument("--dry-run", action="store_true", help="check and preview only; store nothing")
    load.add_argument("--as", dest="as_user", metavar="EMAIL", help="a broker (their municipalities) or admin (required)")
    load.add_argument("--database", metavar="URL", help="SQLAlchemy URL (default: DATABASE_URL or var/kompetenskartan.sqlite)")
    load.set_defaults(func=_import)
    out = commands.add_parser("export", help="export the needs you may read in the import's format, or the empty template")
    out.add_argument("--out", metavar="FILE.xlsx|FILE.csv", required=True)
    out.add_argument("--template", action="store_true", help="the empty template (headers, drop-downs, instructions)")
    out.add_argument("--lang", choices=["sv", "en"], default="sv", help="headers and labels (default sv)")
    out.add_argument("--as", dest="as_user", metavar="EMAIL", help="a broker or admin (required unless --template)")
    out.add_argument("--database", metavar="URL", help="SQLAlchemy URL (default: DATABASE_URL or var/kompetenskartan.sqlite)")
    out.set_defaults(func=_export)
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except (InvalidTable, RealRegister, Refused, BackupProblem, audience.UserProblem) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except (OSError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
