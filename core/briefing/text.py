"""The briefing's words and formatted figures, shared by the page, the PDF and the deck.

Every renderer takes its lines from here, so the three show the same figures, the same
explanations and the same suppression marks.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from core.analysis.outlook import marker
from core.briefing.content import Briefing
from core.common import formatting
from core.common.i18n import t
from core.disclosure.protection import MIN_COMPANIES, Cell
from core.records.dataset import holds_example_data

HIDDEN = "–"


@dataclass(frozen=True)
class Line:
    label: str
    value: str
    explanation: str


@dataclass(frozen=True)
class Names:
    area: str
    municipality: dict[str, str]
    competence: dict[str, str]
    place: dict[str, str]
    centre: dict[str, str]


def number(cell: Cell, lang: str) -> str:
    return HIDDEN if cell.shown is None else formatting.integer(int(cell.shown), lang)


def period_text(period: tuple[str, str] | None, lang: str) -> str:
    return "–" if period is None else f"{period[0]} – {period[1]}"


def headline(b: Briefing, lang: str, population: int | None) -> list[Line]:
    h = b.headline
    share = b.upskilling_share
    per_1000 = h["persons"].shown / population * 1000 if h["persons"].shown is not None and population else None
    year = int(b.period[0][:4])
    if b.previous is None or not b.compared:
        change, change_note = HIDDEN, t(lang, "brief.no_previous")
    elif b.change is None:
        change, change_note = HIDDEN, t(lang, "brief.suppressed_note", n=MIN_COMPANIES)
    else:
        change = formatting.signed_percent(b.change, lang)
        change_note = t(lang, "brief.explain_change", now=formatting.quarters_text(year, b.compared, lang),
                        now_value=number(h["cmp_persons"], lang), before=number(h["prev_persons"], lang),
                        period=formatting.quarters_text(year - 1, b.compared, lang))
    return [
        Line(t(lang, "brief.persons"), number(h["persons"], lang), t(lang, "brief.explain_persons")),
        Line(t(lang, "brief.companies"), number(h["companies"], lang), t(lang, "brief.explain_companies")),
        Line(t(lang, "brief.per_1000"), HIDDEN if per_1000 is None else formatting.decimal(per_1000, lang),
             t(lang, "brief.explain_per_1000")),
        Line(t(lang, "brief.upskilling_share"), HIDDEN if share is None else formatting.percent(share, lang),
             t(lang, "brief.explain_share")),
        Line(t(lang, "brief.change"), change, change_note),
    ]


def need_types(b: Briefing, lang: str) -> list[Line]:
    return [Line(t(lang, f"need_type.{k}"), number(b.headline[k], lang), t(lang, f"brief.explain_{k}"))
            for k in ("recruitment", "upskilling")]


def top(b: Briefing, lang: str, names: Names) -> list[tuple[str, float]]:
    # the top holds shown competences only (``Briefing.top``)
    return [(names.competence.get(r.code, r.code), shown) for r in b.top if (shown := r.cells["persons"].shown) is not None]


def gaps(b: Briefing, lang: str, names: Names) -> list[list[str]]:
    return [[names.competence.get(r.code, r.code), number(r.cells["demand"], lang),
             formatting.integer(int(r.public["seats"]), lang), formatting.integer(int(r.public["gap"]), lang),
             formatting.integer(int(r.public["distance"]), lang)] for r in b.gaps]


def access(b: Briefing, lang: str, names: Names) -> list[list[str]]:
    rows = []
    for r in b.access.itertuples(index=False):
        rows.append([names.municipality.get(r.municipality_code, r.municipality_code), formatting.percent(r.share_car_45, lang),
                     formatting.percent(r.share_pt_60, lang), formatting.decimal(r.mean_car, lang)])
    return rows


def outlook(b: Briefing, lang: str, names: Names) -> list[list[str]]:
    """Arbetsförmedlingen's picture for the brief's top competences: situation and five-year outlook markers."""
    rows = []
    for r in b.top:
        situation, prognosis = marker(b.outlook.get(r.code), lambda key, **values: t(lang, key, **values))
        rows.append([names.competence.get(r.code, r.code), situation, prognosis])
    return rows


def outlook_source(b: Briefing, lang: str) -> str:
    """The source line: "Källa: Arbetsförmedlingen, Yrkesbarometern 2025-2, CC0 (hämtad 2026-12-02)."""
    how = t(lang, "outlook.imported" if b.outlook_imported else "outlook.retrieved")
    return t(lang, "outlook.source", round=b.outlook_round, how=how, date=b.outlook_date)


def title(b: Briefing, lang: str, names: Names) -> str:
    return t(lang, "brief.doc_title", area=names.area)


def subtitle(b: Briefing, lang: str, generated: dt.date) -> str:
    text = t(lang, "brief.doc_subtitle", period=period_text(b.period, lang), date=generated.isoformat())
    return f"{text} · {release_line(b, lang)}" if b.through else text


def release_line(b: Briefing, lang: str) -> str:
    """"Publicerad 2026-10-01, avser t.o.m. 2026-09": the frozen release every figure of the brief is from."""
    return t(lang, "release.named", published=b.released or "–", through=b.through, id=b.release_id)


def sources(b: Briefing, lang: str, meta: dict[str, str], generated: dt.date) -> list[str]:
    demo = holds_example_data(meta)
    lines = [
        t(lang, "brief.source_register_demo" if demo else "brief.source_register", seed=meta.get("seed", "?"),
          newest=b.newest.isoformat() if b.newest else "–", oldest=b.oldest.isoformat() if b.oldest else "–"),
        t(lang, "brief.source_population"),
        t(lang, "brief.source_offers"),
        t(lang, "brief.source_travel"),
        outlook_source(b, lang),
        t(lang, "brief.source_suppression", n=MIN_COMPANIES, hidden=b.suppressed),
        *([t(lang, "release.source", published=b.released or "–", through=b.through, id=b.release_id)] if b.through else []),
        t(lang, "brief.source_generated", date=generated.isoformat()),
    ]
    return lines


def hidden_top_note(b: Briefing, lang: str) -> str:
    """The same words whatever is hidden: a count of hidden competences near the top would bound them."""
    return t(lang, "brief.hidden_top", min=MIN_COMPANIES)
