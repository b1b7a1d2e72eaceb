"""What the AppTest suites share: opening a page the way a shared link does."""

from __future__ import annotations

import re

from streamlit.testing.v1 import AppTest


def open_page(at: AppTest, page: str, **params: str) -> AppTest:
    """Open ``page`` with URL parameters. AppTest must run app.py once before it can switch pages, and
    that run (on the overview) drops the page's own parameters, so they are set again."""
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    for key, value in params.items():
        at.query_params[key] = value
    at.switch_page(page)
    at.run()
    assert not at.exception, at.exception
    return at


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
