"""A register whose free text is hostile: markdown images and links, HTML and (stored before the input checks
existed) bidi characters in company names, notes, an effort and a user's name. Shared by the AppTest crawl
(``test_text_as_typed.py``) and the browser test (``tests/e2e/test_text_as_typed.py``)."""

from __future__ import annotations

import datetime as dt
import re
import sqlite3

from sqlalchemy import update

from core.records.audience import Audience, User
from services.admin import Admin
from services.register.schema import CompanyRow
from services.register.store import Register
from services.seed import DEMO_USERS, load_demo, workspace

OUTSIDE = "198.51.100.7"  # TEST-NET-2 (RFC 5737): never a real host; any request to it is a leak
COMPANY = f"Varv ![x](http://{OUTSIDE}/company.png) <img src=http://{OUTSIDE}/img.png> AB"
NOTE = f"[klicka](http://{OUTSIDE}/link) <script>alert(1)</script> **fet** _kursiv_ # rubrik"
VISIT_NOTE = f"Besök ![v](http://{OUTSIDE}/visit.png)"
EFFORT = f"Kurs ![e](http://{OUTSIDE}/effort.png) <b>fet</b>"
BROKER_NAME = f"Mäklare ![u](http://{OUTSIDE}/user.png) <i>x</i>"
BIDI = "Rättvänd \u202eBA nevrat"  # stored by an older version, before control characters were refused
BROKER = User("hostile.broker@demo.invalid", Audience.BROKER, ("1427", "1435"), BROKER_NAME)
ADMIN = DEMO_USERS[0]
RAW = re.compile(r"(?<!\\)\]\(http|(?<!\\)<(img|script|b>|i>)")  # unescaped, markdown would act on them


def build(url: str) -> dict:
    """The demo register with the hostile records added through the workspace (as a broker would type them)."""
    load_demo(Register(url))
    register = Register(url)
    Admin(register, ADMIN).save_user(BROKER, {"1427", "1435"}, None)
    space = workspace(register, BROKER, dt.date(2026, 11, 20))
    company = space.add_company({"name": COMPANY, "org_nr": "556036-0793", "sni_code": "30.12", "municipality_code": "1427",
                                 "size_class": "10-49", "contact_name": f"Kim ![c](http://{OUTSIDE}/contact.png)",
                                 "contact_role": "VD", "contact_email": "kim@varvet.example", "contact_until": dt.date(2027, 6, 30)})
    visit = space.add_visit({"company_id": company["id"], "visited_on": dt.date(2026, 11, 2), "method": "workshop",
                             "note": VISIT_NOTE})
    need = space.add_need({"company_id": company["id"], "visit_id": visit["id"], "competence": "welding",
                           "need_type": "upskilling", "persons": 4, "horizon": "0-6", "form": "blended",
                           "level": "upper_secondary", "note": NOTE, "follow_up_on": dt.date(2026, 12, 1)})
    effort = space.add_effort({"title": EFFORT, "provider": f"Anordnare ![p](http://{OUTSIDE}/p.png)", "seats": 12,
                               "note": NOTE}, [need["id"]])
    other = space.add_company({"name": "Bidi AB", "org_nr": "556677-8808", "sni_code": "30.12", "municipality_code": "1435",
                               "size_class": "1-9"})
    with register.writer.begin() as conn:  # as an older version stored it, before the check
        conn.execute(update(CompanyRow).where(CompanyRow.id == other["id"]).values(name=BIDI))
    return {"company": company["id"], "need": need["id"], "effort": effort["id"]}


def copy_register(source_url: str, target) -> str:
    with sqlite3.connect(source_url.removeprefix("sqlite:///")) as source, sqlite3.connect(target) as copy:
        source.backup(copy)
    return f"sqlite:///{target}"
