"""What the AppTest suites share: opening a page the way a shared link does."""

from __future__ import annotations

import re

from streamlit.testing.v1 import AppTest
from streamlit.util import calc_hash

from components.navigation import PAGES


def open_page(at: AppTest, page: str, **params: str) -> AppTest:
    """Open ``page`` with URL parameters, as a link to it opens it: the first run of a fresh ``AppTest`` goes to the
    page's address (``st.Page`` names a page by the hash of its ``url_path``), with no run of the default page before
    it (``switch_page`` needs a run first: half of every page test's time). An ``AppTest`` that has run already
    switches pages, and the parameters are set again (the run before dropped them)."""
    for key, value in params.items():
        at.query_params[key] = value
    if not at._registered_pages:  # noqa: SLF001 (not run yet: no page registered)
        at._page_hash = calc_hash(url_path(page))  # noqa: SLF001 (what a visit to the page's address asks for)
    else:
        at.switch_page(page)
    at.run()
    assert not at.exception, at.exception
    return at


def url_path(page: str) -> str:
    """The address ``components.navigation`` gives a page file ("pages/needs_map.py": "behovskarta")."""
    return next(path for path, (file, _, _) in PAGES.items() if file == page)


def as_read(markdown: str) -> str:
    """What a reader sees of markdown that carries typed text (``core.common.text.literal``): without its backslash
    escapes and the invisible word joiners that keep a bare URL from becoming a link."""
    return re.sub(r"\\(.)", r"\1", markdown).replace("\u2060", "")


def frame_with(at: AppTest, *columns: str):
    """The one dataframe on the page that has all of ``columns`` (pages hold several; their order may change)."""
    [found] = [d.value for d in at.dataframe if set(columns) <= set(d.value.columns)]
    return found


def open_tables(at: AppTest) -> AppTest:
    """Open every chart's and map's table (``components.charts.as_table``: made only while its expander is open) and
    run the page again, as a reader who opens them all: for the tests that read what the tables show."""
    from components.charts import TABLE_SUFFIX

    keys = [e.proto.id.rpartition("-")[2] for e in at.expander if e.proto.id.endswith(TABLE_SUFFIX)]
    for key in keys:
        at.session_state[key] = True
    if keys:
        at.run()
    return at
