"""The accessibility statement (Tillgänglighetsredogörelse) on Om data, in Digg's structure, Swedish and English,
with the region's contact address for reporting a problem, and a link to it in every page's sidebar."""

from __future__ import annotations

import pytest

from tests.app.helpers import as_read, open_page

HEADINGS = {
    "sv": ["Tillgänglighetsredogörelse", "Hur tillgänglig är tjänsten?", "Vad kan du göra om du inte kan använda delar av tjänsten?",
           "Rapportera brister i tjänstens tillgänglighet", "Tillsyn", "Innehåll som inte är tillgängligt", "Hur vi testat tjänsten"],
    "en": ["Accessibility statement", "How accessible is the service?", "What can you do if you cannot use parts of the service?",
           "Report shortcomings in the service's accessibility", "Supervision", "Content that is not accessible",
           "How we tested the service"],
}


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_the_statement_has_digg_s_sections_and_the_contact_address(public_app, monkeypatch, lang):
    monkeypatch.setenv("KOMPETENSKARTAN_CONTACT", "tillganglighet@fyrbodal.se")
    at = open_page(public_app, "pages/about.py", lang=lang)
    headings = [h.value for h in at.header] + [h.value for h in at.subheader]
    assert all(h in headings for h in HEADINGS[lang]), headings
    texts = " ".join(as_read(m.value) for m in at.markdown)
    assert texts.count("tillganglighet@fyrbodal.se") == 2  # what to do instead, and where to report
    assert ("Digg" in texts) and ("WCAG" in texts) and ("2.1" in texts)
    assert ("helt förenlig" if lang == "sv" else "fully compliant") in texts
    assert ("Vi känner inte till något innehåll" if lang == "sv" else "We know of no content") in texts  # no gap left
    assert ("PDF/UA" in texts) and ("skärmläsare manuellt" if lang == "sv" else "manually with a screen reader") in texts


def test_without_a_contact_address_the_statement_says_who_sets_it(public_app, monkeypatch):
    monkeypatch.delenv("KOMPETENSKARTAN_CONTACT", raising=False)
    at = open_page(public_app, "pages/about.py")
    texts = " ".join(as_read(m.value) for m in at.markdown)
    assert "Fyrbodals kommunalförbund (kontaktadressen är inte angiven: administratören anger den med KOMPETENSKARTAN_CONTACT)" in texts


def test_every_page_links_the_statement_from_its_sidebar(public_app):
    public_app.run()
    links = [p for p in public_app.sidebar.get("page_link")]
    [statement] = [link.proto for link in links if link.proto.label == "Tillgänglighetsredogörelse"]
    assert "om-data" in statement.page, statement
