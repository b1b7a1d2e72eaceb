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
    known["place_id"] = set(reference.places()["place_id"])
    if municipality_codes is not None:
        known["municipality_code"] = set(municipality_codes)
    return known


def load_demo(register: Register, scale: str = "fyrbodal", seed: int = demo.DEFAULT_SEED) -> demo.DemoRegister:
    generated = demo.generate(scale, seed)
    register.replace(generated.companies, generated.needs, generated.meta, known_codes(), generated.offers)
    return generated


def open_register(url: str) -> Register:
    """The register at ``url``, seeded with the Fyrbodal demo register if it is new.

    A demo register made by an older generator is rebuilt (same scale and seed): it holds only
    example data, and the newer generator may add tables (the training offers came in version 2).
    A register with real data is never touched."""
    register = Register(url)
    meta = register.meta()
    if register.is_empty():
        load_demo(register)
    elif meta.get("dataset") == "demo" and meta.get("generator_version") != demo.GENERATOR_VERSION:
        load_demo(register, meta.get("scale", "fyrbodal"), int(meta.get("seed", demo.DEFAULT_SEED)))
    return register
