"""Open the register and fill it with the demo register on first use."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from core.analysis import barometer
from core.common.config import default_demo_url
from core.common.i18n import t
from core.disclosure import release
from core.exchange import efforts_sheet, needs_sheet
from core.exchange.efforts_sheet import COLUMNS as EFFORT_COLUMNS
from core.exchange.needs_sheet import COLUMNS
from core.records import audience
from core.records.audience import Audience, User
from data import demo, reference
from services import reading, register_export, register_import, supply
from services.privacy import erase_expired_contacts
from services.register.store import DEMO, EXAMPLE_WRITES, Register
from services.workspace import Workspace


def known_codes(municipality_codes: list[str] | None = None) -> dict[str, set[str]]:
    """Allowed codes for the needs table's reference columns."""
    known = {
        "competence": set(reference.competences()["code"]),
        "industry_group": set(reference.industry_groups()["code"]),
    }
    known["place_id"] = set(reference.places()["place_id"])
    if municipality_codes is not None:
        known["municipality_code"] = set(municipality_codes)
    return known


# Example users of the demo register, for the demo sign-in (``KOMPETENSKARTAN_DEMO_LOGIN=1``). Their
# addresses are under ``.invalid`` (reserved, RFC 2606), so no identity provider can ever sign in as them.
DEMO_USERS = (
    User("admin@demo.invalid", Audience.ADMIN, (), "Exempel Administratör"),
    User("maklare.sotenas@demo.invalid", Audience.BROKER, ("1427", "1435"), "Exempel Mäklare Sotenäs/Tanum"),
    User("maklare.trollhattan@demo.invalid", Audience.BROKER, ("1488",), "Exempel Mäklare Trollhättan"),
    User("politiker@demo.invalid", Audience.VIEWER, (), "Exempel Politiker"),
)


def load_demo(register: Register, scale: str = "fyrbodal", seed: int = demo.DEFAULT_SEED,
              force: bool = False) -> demo.DemoRegister:
    """Build the demo register (example data and its example users) in ``register``, in one transaction.

    Only into an empty or a demo register: a real one raises ``services.register.store.RealRegister`` unless ``force``."""
    generated = demo.generate(scale, seed)
    register.replace(generated.companies, generated.needs, generated.meta, known_codes(), generated.offers, visits=generated.visits,
                     users=DEMO_USERS, force=force)
    return generated


def open_register(url: str) -> Register:
    """The register at ``url``; the default SQLite register of ``make run`` is seeded with the demo on first use.

    Any other new register (a ``DATABASE_URL``, or ``KOMPETENSKARTAN_DB``) stays empty until
    ``kompetenskartan init`` (a region's own) or ``kompetenskartan demo``. A demo register made by an older
    generator is rebuilt (same scale and seed) unless someone wrote on it through the demo sign-in. A ``real`` register (``init``,
    or a demo register after its first write) is never touched."""
    register = Register(url)
    meta = register.meta()
    if register.is_empty() and url == default_demo_url():
        load_demo(register)
    elif (meta.get("dataset") == DEMO and meta.get("generator_version") != demo.GENERATOR_VERSION
          and not meta.get(EXAMPLE_WRITES)):  # what people wrote through the demo sign-in is kept (store.replace)
        load_demo(register, meta.get("scale", "fyrbodal"), int(meta.get("seed", demo.DEFAULT_SEED)))
    erase_expired_contacts(register)  # contact persons are kept only until their date
    return register


def workspace(register: Register, user: User | None, today=None):
    """The brokers' workspace on ``register`` for ``user``, with the reference codes it validates against."""
    return Workspace(register, user, known_codes(reference.fyrbodal_codes()), set(reference.sni_divisions()),
                     reference.industry_group_of, today)


def import_names(lang: str = "sv") -> dict[str, dict[str, str]]:
    """The names an import or export writes for Fyrbodal's municipalities and the competences."""
    munis = dict(zip(reference.municipalities()["code"], reference.municipalities()["name"]))
    comps = reference.competences()
    return {"municipality": {c: munis[c] for c in reference.fyrbodal_codes()},
            "competence": dict(zip(comps["code"], comps["name_sv" if lang == "sv" else "name_en"]))}


def import_preview(register: Register, user: User, data: bytes, file_name: str, today=None):
    """Read, check and compare an uploaded file (a needs sheet, an efforts sheet or both) with the register.

    Nothing is written. The file is read in a worker process with a memory and time limit (``services.reading``).
    Raises ``core.exchange.spreadsheet.Refused`` for a file refused whole (code ``limits``: the worker did not finish
    within them); row problems are in the preview. Returns (preview, the needs sheet's parse, the sheet the problems
    are in)."""
    import datetime as dt

    sheets = reading.spreadsheet(data)
    effort_sheets = [s for s in sheets if efforts_sheet.is_efforts(s)]
    need_sheets = [s for s in sheets if s not in effort_sheets]
    comps = reference.competences()
    words = needs_sheet.vocabulary({c: (sv, en) for c, sv, en in zip(comps["code"], comps["name_sv"], comps["name_en"])},
                                   import_names()["municipality"])
    sheet = needs_sheet.pick(need_sheets) if need_sheets else None
    if sheet is not None and effort_sheets and not needs_sheet.known_headers(sheet):
        sheet = None  # a workbook's other sheets (instructions, codes) beside an efforts sheet
    parsed = (needs_sheet.parse(sheet, words, set(reference.sni_divisions()), today or dt.date.today()) if sheet is not None
              else needs_sheet.Parsed())
    efforts = efforts_sheet.parse(effort_sheets[0], supply.offer_ids(register)) if effort_sheets else None
    if efforts is not None:  # a sheet left with only its header is fine while the other sheet has rows
        for this, other in ((parsed, efforts), (efforts, parsed)):
            if other.records:
                this.problems = [p for p in this.problems if p.code != "no_rows"]
    plan = register_import.preview(register, user, parsed, data, file_name, sheet.name if sheet is not None else "")
    if efforts is not None:
        visible = set(int(i) for i in workspace(register, user).frame("efforts")["id"])
        register_import.preview_efforts(register, user, efforts, plan, effort_sheets[0].name, visible)
    problem_sheet = next((s for s in sheets if plan.problems and s.name == plan.problems[0].sheet), sheet or sheets[0])
    return plan, parsed, problem_sheet


def export_file(register: Register | None, user: User | None, lang: str, kind: str) -> tuple[bytes, int, int]:
    """The needs (and in an XLSX the training efforts) a user may read, in the import's format, or with no
    user the empty template; returns the file and its numbers of needs and efforts. Page and command share it."""
    names = import_names(lang)
    header = 0 if lang == "sv" else 1
    if user is None or register is None:  # the template
        table = pd.DataFrame(columns=[spec[header] for spec in COLUMNS.values()])
    else:
        table = register_export.frame(register, user, names, lang)
    if kind == "csv":
        return register_export.to_csv(table), len(table), 0
    if user is None or register is None:
        efforts = pd.DataFrame(columns=[spec[header] for spec in EFFORT_COLUMNS.values()])
    else:
        visible = set(int(i) for i in workspace(register, user).frame("efforts")["id"])
        efforts = register_export.efforts_frame(register, visible, lang, audience.scope(user))
    data = register_export.to_xlsx(table, names, t(lang, "import.instructions").split("\n"), lang, efforts=efforts)
    return data, len(table), len(efforts)


@dataclass(frozen=True)
class BarometerRound:
    """The Yrkesbarometer round the pages show: the newest of the rounds an admin imported and the one the app ships."""

    rows: pd.DataFrame
    name: str  # "2025-2"
    date: str  # when it entered the app: imported (a stored round) or retrieved (the shipped one), ISO date
    imported: bool


def current_barometer(register: Register) -> BarometerRound:
    shipped = reference.yrkesbarometer()
    stored = register.barometer_rounds()
    shipped_name = str(shipped["omgang"].iloc[0])
    name = barometer.newest([shipped_name, *stored["omgang"]])
    if name in set(stored["omgang"]):
        at = stored.loc[stored["omgang"] == name, "imported_at"].iloc[0]
        return BarometerRound(register.barometer_frame(name), name, pd.Timestamp(at).date().isoformat(), True)
    return BarometerRound(shipped, shipped_name, reference.YRKESBAROMETER_RETRIEVED, False)


def barometer_rounds(register: Register) -> dict[str, pd.DataFrame]:
    """Every round at hand, oldest first: the shipped one and those stored (a stored round of the same name wins)."""
    shipped = reference.yrkesbarometer()
    rounds = {str(shipped["omgang"].iloc[0]): shipped}
    for name in register.barometer_rounds()["omgang"]:
        rounds[name] = register.barometer_frame(name)
    return dict(sorted(rounds.items(), key=lambda item: barometer.round_order(item[0])))


def release_scopes(register: Register) -> list[tuple[str, ...]]:
    """The insiders the public release is protected against: each Fyrbodal municipality alone and the
    municipalities of each user of the register (a broker knows those rows exactly), and every set a user held
    before, removed users' too, with each address's sets together (they still know what they read: a broker moved
    from Sotenäs + Tanum to Trollhättan before the first release knows all three). A user's change of municipalities
    is a new revision, so a new release."""
    return release.insider_scopes(reference.fyrbodal_codes(), register.scopes_held())
