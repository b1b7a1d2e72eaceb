"""Figures of a selection of needs: the overview, supply against demand, the official outlook (Yrkesbarometer),
the shared filters, map classes and per-municipality measures, labels."""
