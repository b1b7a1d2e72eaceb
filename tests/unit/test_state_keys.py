"""Session-state keys: each registered once, by the component that owns it; a second owner is refused at import."""

from __future__ import annotations

import importlib
import pathlib

import pytest

from components import state

ROOT = pathlib.Path(__file__).parents[2]


def _import_every_component() -> None:
    for path in sorted((ROOT / "components").rglob("*.py")):
        importlib.import_module(".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__"))


def test_every_key_has_one_owner_that_is_a_component():
    _import_every_component()
    owners = state.owners()
    assert len(owners) >= 40
    for name, owner in owners.items():
        assert owner.startswith("components."), (name, owner)
        importlib.import_module(owner)  # the owner names a module that exists
    assert owners[state.AREA] == "components.filter_bar" and owners["ws_need"] == "components.workspace.needs"


def test_a_key_claimed_by_a_second_component_is_refused():
    _import_every_component()
    with pytest.raises(state.DuplicateKey, match="'ws_need' belongs to components.workspace.needs"):
        state.key("ws_need", "components.workspace.efforts")
    assert state.key("ws_need", "components.workspace.needs") == "ws_need"  # the owner's module imported again


def test_a_module_that_copies_another_components_key_fails_to_import(tmp_path, monkeypatch):
    (tmp_path / "copycat.py").write_text('from components import state\nPICK = state.key("ws_effort", __name__)\n')
    monkeypatch.syspath_prepend(str(tmp_path))
    _import_every_component()
    with pytest.raises(state.DuplicateKey):
        importlib.import_module("copycat")
