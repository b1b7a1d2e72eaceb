"""Free text is text (issue 24): what users typed (company names, notes, an effort, a user's name) reaches every
page as literal text. AppTest sees the markdown each element sends: an unescaped ``](http://`` or ``<img`` there
would be an image, a link or HTML in the browser. (The browser test checks the requests themselves.)"""

from __future__ import annotations

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from tests.app import hostile
from tests.app.conftest import new_app, signed_in
from tests.app.helpers import as_read, open_page, open_tables

PAGES = ["pages/overview.py", "pages/needs_map.py", "pages/supply.py", "pages/access.py", "pages/cohorts.py",
         "pages/evidence.py", "pages/briefing.py", "pages/about.py"]
WORKSPACE_VIEWS = ["follow_ups", "companies", "needs", "efforts", "import", "log"]


@pytest.fixture(scope="module")
def hostile_url(tmp_path_factory) -> tuple[str, dict]:
    url = f"sqlite:///{tmp_path_factory.mktemp('hostile') / 'h.sqlite'}"
    return url, hostile.build(url)


def markdown_sent(at: AppTest) -> list[str]:
    """Every text the page sends as markdown (or with markdown in a label), and every widget's label (every table
    opened first)."""
    open_tables(at)
    texts = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "info", "success", "warning", "error", "exception"):
        texts += [str(e.value) for e in getattr(at, kind)]
    for table in at.table:  # st.table's cells are markdown
        if isinstance(table.value, pd.DataFrame):
            texts += [str(v) for v in table.value.to_numpy().ravel()]
    for kind in ("metric", "button", "text_input", "selectbox", "checkbox", "toggle", "radio", "text_area", "date_input",
                 "multiselect", "number_input", "expander", "tabs"):
        texts += [str(getattr(e, "label", "")) for e in getattr(at, kind)]
    for radio in at.radio:  # a radio's options are markdown too
        texts += [str(o) for o in radio.options]
    return texts


def shown(at: AppTest) -> str:
    """Everything the page shows, as text: markdown sources, table cells, options."""
    parts = markdown_sent(at)
    for frame in list(at.dataframe) + list(at.table):
        if isinstance(frame.value, pd.DataFrame):
            parts.append(frame.value.to_csv())
    for box in at.selectbox:
        parts += [str(o) for o in box.options]
    return "\n".join(parts)


def leaks(texts: list[str]) -> list[str]:
    """Texts in which markdown would find a link, an image or an HTML tag (not escaped), or a bidi override."""
    return [t for t in texts if hostile.RAW.search(t) or "\u202e" in t]


@pytest.mark.parametrize("email", [hostile.BROKER.email, hostile.ADMIN.email])
def test_every_page_sends_typed_text_as_text(hostile_url, monkeypatch, email):
    url, _ids = hostile_url
    monkeypatch.setenv("DATABASE_URL", url)
    for page in [*PAGES, *(["pages/users.py"] if email == hostile.ADMIN.email else [])]:
        at = open_page(signed_in(new_app(), email), page)
        assert not leaks(markdown_sent(at)), (page, leaks(markdown_sent(at)))


@pytest.mark.parametrize("email", [hostile.BROKER.email, hostile.ADMIN.email])
def test_the_workspace_shows_names_notes_and_efforts_literally(hostile_url, monkeypatch, email):
    url, ids = hostile_url
    monkeypatch.setenv("DATABASE_URL", url)
    at = open_page(signed_in(new_app(), email), "pages/workspace.py")
    seen = []
    for view, search in [(v, "Varv") for v in WORKSPACE_VIEWS] + [("companies", "Rättvänd")]:
        at.session_state["ws_view"] = view
        at.session_state["ws_company_search"] = search
        at.session_state["ws_company"] = ids["company"]
        at.session_state["ws_need"] = ids["need"]
        at.session_state["ws_effort"] = ids["effort"]
        at.run()
        assert not at.exception, (view, at.exception)
        assert not leaks(markdown_sent(at)), (view, leaks(markdown_sent(at)))
        seen.append(shown(at))
    everything = "\n".join(seen)
    assert "\u202e" not in everything, "a bidi override stored by an older version is shown as its code"
    assert "⟨U+202E⟩" in everything
    # and the text is there, as typed (escaped for markdown: the browser shows it literally)
    unescaped = as_read(everything)
    assert hostile.COMPANY in unescaped and hostile.NOTE in unescaped and hostile.EFFORT in unescaped


def test_the_signed_in_name_is_text(hostile_url, monkeypatch):
    url, _ids = hostile_url
    monkeypatch.setenv("DATABASE_URL", url)
    at = signed_in(new_app(), hostile.BROKER.email)
    at.run()
    captions = [c.value for c in at.sidebar.caption]
    assert any(hostile.BROKER_NAME in as_read(c) for c in captions) and not leaks(captions)
