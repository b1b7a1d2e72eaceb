"""Exporting the needs register in the import's own format (one row per need with its company), as
CSV for Swedish Excel or as an XLSX with drop-down lists and an instructions sheet; the same
workbook without rows is the template. Text is never a formula: CSV cells that start like one are
quoted (the import takes the quote off again), XLSX cells are written as text."""

from __future__ import annotations

import io

import pandas as pd
from sqlalchemy import select

from core.common.i18n import t
from core.common.models import NEED_ENUMS, Outcome, SizeClass
from core.exchange.efforts_sheet import COLUMNS as EFFORT_COLUMNS
from core.exchange.export import excel_csv
from core.exchange.needs_sheet import COLUMNS
from core.records import audience
from core.records.audience import User
from services.register.schema import CompanyRow, EffortRow, NeedRow
from services.register.store import Register
from services.register_import import effort_key, need_key

CODED = {"need_type", "horizon", "form", "level", "source", "status", "outcome"}


def frame(register: Register, user: User, names: dict[str, dict[str, str]], lang: str = "sv") -> pd.DataFrame:
    """The needs the user may read, not withdrawn, as the sheet's columns (labels in ``lang``)."""
    query = (select(NeedRow.__table__, CompanyRow.org_nr, CompanyRow.name.label("company"), CompanyRow.sni_code,
                    CompanyRow.size_class)
             .join(CompanyRow, NeedRow.company_id == CompanyRow.id)
             .where(NeedRow.withdrawn.is_(False), CompanyRow.withdrawn.is_(False)).order_by(CompanyRow.id, NeedRow.id))
    with register.engine.connect() as conn:
        needs = pd.read_sql(query, conn)
    needs = audience.rows_for(user, needs)
    header = {f: (sv if lang == "sv" else en) for f, (sv, en, _) in COLUMNS.items()}
    out = pd.DataFrame({
        header["ref"]: [need_key(r, i) for r, i in zip(needs["ref"], needs["id"])],
        header["org_nr"]: needs["org_nr"], header["company"]: needs["company"], header["sni_code"]: needs["sni_code"],
        header["municipality_code"]: [names["municipality"].get(c, c) for c in needs["municipality_code"]],
        header["size_class"]: needs["size_class"],
        header["competence"]: [names["competence"].get(c, c) for c in needs["competence"]],
    })
    for field in ("need_type", "persons", "horizon", "form", "level", "source", "collected_on", "status", "follow_up_on",
                  "outcome", "note"):
        values = needs[field]
        if field in CODED:
            values = [t(lang, f"{field}.{v}") if v else "" for v in values]
        elif field in ("collected_on", "follow_up_on"):
            values = [pd.Timestamp(v).date().isoformat() if v is not None and pd.notna(v) else "" for v in values]
        out[header[field]] = values
    return out[[header[f] for f in COLUMNS]]


def efforts_frame(register: Register, visible: set[int], lang: str = "sv", allowed: tuple[str, ...] | None = None) -> pd.DataFrame:
    """The training efforts the user may edit (``visible``), not withdrawn, with the needs each serves as keys: only
    the needs of the ``allowed`` municipalities (a broker's; ``None``: every one), never another's behind a shared effort."""
    with register.engine.connect() as conn:
        efforts = pd.read_sql(select(EffortRow.__table__).where(EffortRow.withdrawn.is_(False)).order_by(EffortRow.id), conn)
        links = pd.read_sql(select(NeedRow.id, NeedRow.ref, NeedRow.effort_id, CompanyRow.org_nr)
                            .join(CompanyRow, NeedRow.company_id == CompanyRow.id)
                            .where(NeedRow.effort_id.is_not(None), NeedRow.withdrawn.is_(False), CompanyRow.org_nr != "",
                                   *([NeedRow.municipality_code.in_(allowed)] if allowed is not None else []))
                            .order_by(NeedRow.id), conn)
    efforts = efforts[efforts["id"].isin(visible)]
    served = {e: "; ".join(f"{o}/{need_key(r, i)}" for o, r, i in zip(g["org_nr"], g["ref"], g["id"]))
              for e, g in links.groupby("effort_id")}
    header = {f: (sv if lang == "sv" else en) for f, (sv, en, _) in EFFORT_COLUMNS.items()}
    return pd.DataFrame({
        header["ref"]: [effort_key(r, i) for r, i in zip(efforts["ref"], efforts["id"])],
        header["title"]: efforts["title"], header["provider"]: efforts["provider"], header["offer_id"]: efforts["offer_id"],
        header["start"]: [pd.Timestamp(v).date().isoformat() if v is not None and pd.notna(v) else "" for v in efforts["start"]],
        header["seats"]: efforts["seats"], header["needs"]: [served.get(i, "") for i in efforts["id"]],
        header["note"]: efforts["note"],
    })


def to_csv(table: pd.DataFrame) -> bytes:
    return excel_csv(table)


def choices(names: dict[str, dict[str, str]], lang: str = "sv") -> dict[str, list[str]]:
    """The drop-down lists of the template: every coded column's labels."""
    lists = {f: [t(lang, f"{f}.{e.value}") for e in enum] for f, enum in NEED_ENUMS.items()}
    lists["outcome"] = [t(lang, f"outcome.{o.value}") for o in Outcome]
    lists["size_class"] = [s.value for s in SizeClass]
    lists["municipality_code"] = sorted(names["municipality"].values())
    lists["competence"] = sorted(names["competence"].values())
    return lists


def to_xlsx(table: pd.DataFrame, names: dict[str, dict[str, str]], instructions: list[str], lang: str = "sv",
            max_rows: int = 5000, efforts: pd.DataFrame | None = None) -> bytes:
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    book = Workbook(write_only=False)
    sheet = book.active
    sheet.title = "Behov" if lang == "sv" else "Needs"
    _fill(sheet, table)
    codes = book.create_sheet("Koder" if lang == "sv" else "Codes")
    fields = list(COLUMNS)
    lists = choices(names, lang)
    last = max(max_rows, len(table) + 1)
    for col, (field, values) in enumerate(lists.items(), start=1):
        letter = get_column_letter(col)
        codes.cell(1, col, COLUMNS[field][0 if lang == "sv" else 1])
        for i, value in enumerate(values, start=2):
            codes.cell(i, col, value)
        rule = DataValidation(type="list", formula1=f"='{codes.title}'!${letter}$2:${letter}${len(values) + 1}", allow_blank=True)
        rule.error = t(lang, "import.validation_error")
        sheet.add_data_validation(rule)
        target = get_column_letter(fields.index(field) + 1)
        rule.add(f"{target}2:{target}{last}")
    for col in range(1, len(fields) + 1):
        sheet.column_dimensions[get_column_letter(col)].width = 18
    sheet.freeze_panes = "A2"
    if efforts is not None:
        sheet = book.create_sheet("Insatser" if lang == "sv" else "Efforts")
        _fill(sheet, efforts)
        for col in range(1, len(efforts.columns) + 1):
            sheet.column_dimensions[get_column_letter(col)].width = 22
    guide = book.create_sheet("Instruktioner" if lang == "sv" else "Instructions", 0)
    for line in instructions:
        guide.append([line])
    guide.column_dimensions["A"].width = 120
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _fill(sheet, table: pd.DataFrame) -> None:
    """The table's header and rows, every text cell written as text (never a formula)."""
    sheet.append(list(table.columns))
    for row in table.itertuples(index=False):
        sheet.append(list(row))
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, str):
                cell.data_type = "s"
