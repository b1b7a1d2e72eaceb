"""Open the register and fill it with the demo register on first use."""

from __future__ import annotations

from core.store import Register
from data import demo, reference


def known_codes(municipality_codes: list[str] | None = None) -> dict[str, set[str]]:
    """Allowed codes for the needs table's reference columns."""
    known = {
        "competence": set(reference.competences()["code"]),
        "industry_group": set(reference.industry_groups()["code"]),
    }
    if municipality_codes is not None:
        known["municipality_code"] = set(municipality_codes)
    return known


def load_demo(register: Register, scale: str = "fyrbodal", seed: int = demo.DEFAULT_SEED) -> demo.DemoRegister:
    generated = demo.generate(scale, seed)
    register.replace(generated.companies, generated.needs, generated.meta, known_codes())
    return generated


def open_register(url: str) -> Register:
    """The register at ``url``, seeded with the Fyrbodal demo register if it is new."""
    register = Register(url)
    if register.is_empty():
        load_demo(register)
    return register
