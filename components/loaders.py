"""Cached loaders: the register and reference data are read once per process, not per rerun.

What every rerun reads (the register's meta, the filter bar's choices, the municipalities, the barometer) is kept with
``st.cache_resource``, one object shared read-only by every session: ``st.cache_data`` hands each call a copy (an
unpickling on every rerun, measured under load: bench/load.py). Nothing changes what these return.

Cached functions take plain keys (the database URL), never frames, so hashing is free; the
filtering that depends on the user's choices happens outside the cache.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from components.maps import offline as offline_map
from components.memo import shared
from core.analysis import municipal, outlook
from core.analysis import overview as analysis
from core.analysis.filters import Choices, Filters, apply, choices_for
from core.analysis.labels import catalogue_names
from core.analysis.selection import Selection
from core.common import clock
from core.common.config import database_url
from core.common.i18n import t
from core.disclosure import release
from core.records import audience
from core.records.audience import User
from data import reference
from geo import access, boundaries, calibration, matrix, travel
from geo.network import default_network, default_parameters
from services import briefing_inputs as briefing_inputs_module
from services import privacy, publishing, seed
from services import supply as supply_service
from services.atomic_files import write_atomically
from services.register.store import Register, demo_login_allowed, holds_example_data, state_of
from services.seed import open_register


@shared()
def register(url: str) -> Register:
    return open_register(url)


def retention(url: str) -> None:
    """Contact persons kept past their date are erased at the first rerun of each day (``services.privacy``): a
    server that runs for weeks erases on time without a restart. Cheap on every other rerun (a cache hit)."""
    _retention_on(url, clock.today().isoformat())


@shared(max_entries=2)
def _retention_on(url: str, day: str) -> int:
    return privacy.erase_expired_contacts(register(url), dt.date.fromisoformat(day))


# Seconds a revision read for one rerun serves the next reruns of this server (every session's): a write through this
# server is seen at once (``Register.revision``), one through another server or the command line within this
REVISION_MAX_AGE = 1.0


def revision(url: str) -> str:
    """The register's revision, read at most once a second by this server (``REVISION_MAX_AGE``; a write of its own
    at once): every cache of register data is keyed by it. Writes never use it: they read their own in their
    transaction, and every service checks the acting user there again."""
    return register(url).revision(max_age=REVISION_MAX_AGE)


@st.cache_resource(show_spinner=False, max_entries=4, ttl=5)
def users(url: str, rev: str) -> dict[str, User]:
    """Every user by e-mail, read once per register revision (every change of a user raises it) and shared by every
    session: who is signed in, their role and municipalities, and the demo sign-in's list. Read-only. At most 5 s old
    whatever the revision says: a register restored over a running server outside ``kompetenskartan restore`` can
    meet a revision number again with other users (red team); the command raises it past every earlier one."""
    return {user.email: user for user in register(url).users()}


def user(url: str, rev: str, email: str) -> User | None:
    """The register's user with this e-mail (normalised as stored) at revision ``rev``; None: no such user."""
    return users(url, rev).get(email.strip().lower())


@shared(max_entries=4)
def needs(url: str, rev: str) -> pd.DataFrame:
    """Every row of the register: only for audiences that may read rows (``core.records.audience``).

    One frame shared by every session (``cache_resource``: ``cache_data`` would hand each rerun a
    copy, tens of MB at national scale). Nothing writes to it: filters and analyses make new frames,
    and pandas' copy-on-write keeps every derived frame apart from it."""
    return analysis.prepare(register(url).needs_frame(), reference.sni_section_of)


@shared(max_entries=16)
def rows(url: str, rev: str, scope: tuple[str, ...] | None) -> pd.DataFrame:
    """The rows of the municipalities in ``scope`` (``core.records.audience.scope``; None: every row), cut once
    per register revision and shared by the sessions with that scope (a broker's rerun took them anew). No row (scope
    ``()``, the public and viewers): the register's columns alone, read without a row, so the public's first rerun of a
    revision (after each release) no longer waits for every row of the register (2.5-5 s on the national one)."""
    if scope == ():
        return analysis.prepare(register(url).needs_frame(columns_only=True), reference.sni_section_of)
    return audience.rows_in(needs(url, rev), scope)


@shared(max_entries=16)
def municipality_codes(url: str, rev: str, scope: tuple[str, ...] | None) -> tuple[str, ...]:
    """The municipalities the rows of ``scope`` come from, sorted (read-only; on every run it was 40 % of an admin's
    Pendling rerun on the national register)."""
    return tuple(sorted(rows(url, rev, scope)["municipality_code"].astype(str).unique()))


@shared(max_entries=16)
def municipalities_present(url: str, rev: str, scope: tuple[str, ...] | None) -> int:
    """How many municipalities the rows of ``scope`` come from (the area label "all N municipalities")."""
    return int(rows(url, rev, scope)["municipality_code"].nunique())


@shared(max_entries=32)
def selection(url: str, rev: str, scope: tuple[str, ...] | None, filters: Filters,
              codes: tuple[str, ...] | None) -> Selection:
    """The needs of one selection (``filters`` without its URL notices, in the area's ``codes``) with what
    the pages derive from them (``core.analysis.selection``), shared by every session that shows it. A few MB each
    on the national register; an admin's whole register is its frame itself (20 MB), not a copy."""
    return Selection(apply(rows(url, rev, scope), filters, None if codes is None else list(codes)),
                     key=(url, rev, scope, filters, codes))


@shared(max_entries=4)
def public_release(url: str, rev: str) -> release.Release | None:
    """The newest published release (``services.publishing``; None before the first): frozen, so every revision
    reads the same figures until the next one is published."""
    return publishing.latest(register(url))


def scheduled_release(url: str, rev: str) -> None:
    """Publish the release due (a quarter closed, or a user given municipalities the newest was not protected
    against): checked once per register revision and day, so a server publishes on time without cron."""
    day = clock.today().isoformat()
    _published_on(url, rev, day)
    _released.add((url, rev, day))


# (url, revision, day) whose release this process has checked: a rerun that only finds the check in the cache shows no
# spinner (its thread and messages were a twentieth of a reading rerun's time under load: bench/load.py)
_released: set[tuple[str, str, str]] = set()


def release_checked(url: str, rev: str) -> bool:
    """True when ``scheduled_release`` has already run for this revision today in this process (a cache hit)."""
    return (url, rev, clock.today().isoformat()) in _released


@shared(max_entries=4)
def _published_on(url: str, rev: str, day: str) -> int:
    try:
        made = publishing.publish(register(url), dt.date.fromisoformat(day))
    except publishing.AnotherPublisher:  # another server (or cron) published it first: the pages read theirs
        return 0
    return made.id if made is not None else 0


@shared(max_entries=2)
def release_preview(url: str, rev: str, day: str) -> tuple[publishing.Report, str, str]:
    """The next release's protection report (an admin's preview; made on request, seconds to a minute), with the
    months it covers and why it is made."""
    new, previous, due = publishing.preview(register(url), dt.date.fromisoformat(day))
    return publishing.report(new, previous), new.through, due.why


def releases(url: str, rev: str) -> pd.DataFrame:
    return register(url).releases()


@shared(max_entries=8)
def open_data_urls(url: str, rev: str) -> dict[str, str]:
    """The newest release's open-data files under ``static/open-data`` (written once; a release never changes),
    by kind (csv, json, metadata), as addresses on this server."""
    published = public_release(url, rev)
    if published is None:
        return {}
    out = {}
    for name, data in publishing.open_data_files(published).items():
        kind = "metadata" if name.endswith("-metadata.json") else name.rsplit(".", 1)[1]
        out[kind] = _static_file("open-data", name, data)
        out["latest_" + kind] = _static_file("open-data", publishing.LATEST[kind], data)  # the newest, at an address that never changes
    return out


@shared(max_entries=8)
def barometer(url: str, rev: str) -> seed.BarometerRound:
    """The Yrkesbarometer round the pages show: the newest imported into the register, else the one the app ships."""
    return seed.current_barometer(register(url))


@shared(max_entries=8)
def outlook_signals(url: str, rev: str) -> dict[str, outlook.Signal]:
    """Arbetsförmedlingen's Yrkesbarometer (county 14) per competence of the catalogue (``core.analysis.outlook``)."""
    return outlook.signals(reference.competence_occupations(), barometer(url, rev).rows)


@shared(max_entries=8)
def outlook_coverage(url: str, rev: str) -> dict[str, int]:
    """How the catalogue meets the round's barometer (``core.analysis.outlook.coverage``; most of *Om data*'s rerun)."""
    return outlook.coverage(reference.competence_occupations(), barometer(url, rev).rows, list(reference.competences()["code"]))


def outlook_round(url: str, rev: str) -> str:
    return barometer(url, rev).name


@st.cache_data(show_spinner=False, max_entries=4)
def barometer_rounds(url: str, rev: str) -> dict[str, pd.DataFrame]:
    return seed.barometer_rounds(register(url))


@shared(max_entries=8)
def meta(url: str, rev: str) -> dict[str, str]:
    return register(url).meta()


@shared(max_entries=8)
def register_state(url: str, rev: str) -> str:
    """``unset`` (nothing in it: not made by ``init`` nor ``demo``), ``empty`` (no needs yet) or ``ready``."""
    return state_of(meta(url, rev), register(url).need_count())


def demo_login_refused(url: str) -> str | None:
    """The register's dataset if the demo sign-in may not run on it (None: it may), checked on every run: a demo
    register turns real at its first write (which removes its example users), and from the next run on the demo
    sign-in is refused, without a restart. Cached per register revision, which that write raises."""
    return _demo_login_refused(url, revision(url))


@shared(max_entries=8)
def _demo_login_refused(url: str, rev: str) -> str | None:
    meta = register(url).meta()
    return None if demo_login_allowed(meta) else (meta.get("dataset") or "unset")


@shared()
def municipalities() -> pd.DataFrame:
    """All 290 municipalities' codes, names and FA regions (no geometry)."""
    return pd.DataFrame(boundaries.municipalities().drop(columns="geometry"))


@shared()
def fa_names() -> dict[str, str]:
    """Local labour market (FA region) codes to names (read-only, shared: a dict made on every run was ~1 % of one)."""
    munis = municipalities()
    return dict(zip(munis["fa_code"], munis["fa_name"]))


@shared()
def section_names() -> dict[str, str]:
    """SNI sections to their Swedish names (read-only, shared)."""
    sections = reference.sni_sections()
    return dict(zip(sections["section"], sections["name_sv"]))


@st.cache_data(show_spinner=False)
def municipality_names_sweden() -> dict[str, str]:
    """All 290 municipalities of Sweden by SCB code (the supply's study places lie beyond Fyrbodal too)."""
    from data import yh_supply

    frame = yh_supply.swedish_municipalities()
    return dict(zip(frame["code"], frame["name"]))


@shared()
def names(lang: str) -> dict[str, dict[str, str]]:
    """Labels in ``lang`` of municipality, competence and industry group codes (read-only, shared)."""
    munis = municipalities()
    return {
        "municipality": dict(zip(munis["code"], munis["name"])),
        "competence": catalogue_names(reference.competences(), lang),
        # "other": a company whose SNI code is in no group of the catalogue (a release lists it every year)
        "industry_group": catalogue_names(reference.industry_groups(), lang) | {"other": t(lang, "industry.other")},
    }


def industry_options() -> list[str]:
    groups = ["ig:" + code for code in reference.industry_groups()["code"]]
    return groups + ["sni:" + s for s in reference.sni_sections()["section"]]


@shared(max_entries=8)
def choices(url: str, rev: str, scope: tuple[str, ...] | None) -> Choices:
    """The filter bar's choices for a reader of ``scope``: from the rows they may read (``choices_for``)."""
    return choices_for(needs(url, rev), municipalities(), industry_options(), reference.fyrbodal_codes(), scope=scope)


@dataclass(frozen=True)
class Source:
    """The register a session reads, with the facts every page needs about it."""

    url: str
    meta: dict[str, str]

    @property
    def is_demo(self) -> bool:
        """Labelled as example data: the demo register, also after its first write made it real."""
        return holds_example_data(self.meta)


def source(rev: str | None = None) -> Source:
    """``rev``: the revision the caller has read for this rerun (read here if not given)."""
    url = database_url()
    return Source(url=url, meta=meta(url, rev if rev is not None else revision(url)))


def _static_json(kind: str, text: str) -> str:
    """Write ``text`` once under ``static/geo`` (named by its hash) and return its URL on this server."""
    name = f"{kind}-{hashlib.sha1(text.encode()).hexdigest()[:16]}.json"
    return _static_file("geo", name, text.encode())


def _static_file(folder: str, name: str, data: bytes) -> str:
    """Write ``data`` as ``static/<folder>/<name>`` unless it holds it already; its URL on this server."""
    path = offline_map.STATIC_DIR / folder / name
    if not path.exists() or path.read_bytes() != data:
        write_atomically(path, data)  # a browser never reads half a file, nor another file's bytes
    return f"{offline_map.STATIC_URL}/{folder}/{name}"


@shared()
def region_geojson_url(codes: str) -> str:
    """The area's municipality polygons as a static GeoJSON file (``codes``: SCB codes joined by commas).

    The browser fetches it once from this server and caches it; the map's script then carries a URL
    instead of ~200 kB of coordinates, which folium would otherwise re-parse as a Jinja template on
    every render."""
    return _static_json("regions", boundaries.geojson(codes.split(",")))


@shared()
def fa_geojson_url(codes: str) -> str:
    return _static_json("fa", boundaries.fa_outlines(codes.split(",")))


@st.cache_data(show_spinner=False)
def label_points(codes: str) -> list[dict]:
    return boundaries.label_points(codes.split(","))[["code", "name", "lat", "lon"]].to_dict("records")


@st.cache_data(show_spinner=False)
def map_bounds(codes: str) -> list[list[float]]:
    return boundaries.bounds(codes.split(","))


@shared()
def population() -> dict[str, int]:
    """Inhabitants 2023 of the municipalities the reference table covers (the 14 of Fyrbodal)."""
    table = reference.municipalities()
    return dict(zip(table["code"], table["population_2023"].astype(int)))


@st.cache_data(show_spinner=False, max_entries=4)
def company_mix(url: str, rev: str) -> pd.DataFrame:
    return municipal.company_mix(needs(url, rev))


def offers(url: str, rev: str) -> pd.DataFrame:
    """Every offer the pages show, each with its origin and source (``services.supply.offers``): the real supply, the
    offers an admin entered, and on the demo its example offers (made anew each day: programmes end)."""
    return _offers(url, rev, clock.today().isoformat()).copy(deep=False)  # copy-on-write: the caller's own to change


@shared(max_entries=4)
def _offers(url: str, rev: str, day: str) -> pd.DataFrame:
    """Made once per (register revision, day) and shared (``cache_data`` unpickled a copy on every call: ~4 % of a
    public Utbud rerun)."""
    return supply_service.offers(register(url), dt.date.fromisoformat(day))


@shared()
def model_matrix() -> matrix.Matrix:
    """The travel model's place-to-place matrix (computed once per process, ~0.1 s)."""
    return matrix.model()


@st.cache_data(show_spinner=False, max_entries=4)
def measured_pairs(url: str, rev: str) -> pd.DataFrame:
    return register(url).travel_matrix_frame()


def travel_matrix(url: str, rev: str) -> matrix.Matrix:
    """The model with any measured pairs the register holds laid over it."""
    return matrix.overlay(model_matrix(), measured_pairs(url, rev))


@st.cache_data(show_spinner=False)
def place_people() -> pd.Series:
    return access.place_population(reference.places(), population())


@st.cache_data(show_spinner=False)
def home_places() -> dict[str, str]:
    return access.home_places(reference.municipalities(), reference.places())


@st.cache_data(show_spinner=False)
def place_names() -> dict[str, str]:
    return dict(zip(reference.places()["place_id"], reference.places()["name"]))


@shared(max_entries=4)
def briefing_inputs(url: str, rev: str) -> briefing_inputs_module.Inputs:
    """Reach, access, outlines and the release, once per register revision."""
    return briefing_inputs_module.prepare(register(url), published=public_release(url, rev))


@st.cache_data(show_spinner=False)
def travel_checks() -> pd.DataFrame:
    """The travel model beside every sourced figure (the data page's table; computed once)."""
    net = default_network()
    return calibration.checks(net, travel.routes(net, default_parameters()))


@st.cache_data(show_spinner=False)
def template_file(lang: str, kind: str) -> bytes:
    """The empty import template (headers, drop-downs, instructions): the same for everyone."""
    return seed.export_file(None, None, lang, kind)[0]


@st.cache_data(show_spinner=False, max_entries=8)
def export_file(url: str, rev: str, email: str, lang: str, kind: str) -> bytes:
    """The register's needs (and efforts) as the user may read them, in the import's format (xlsx or csv)."""
    return seed.export_file(register(url), register(url).user(email), lang, kind)[0]
