"""Hostile-suite setups of later capabilities, one module per topic, gathered here so topics
never edit one shared file. A module may define `SETUPS` (API operation key -> Setup, for
test_api.py) and `FORMS` (name -> the tuple test_forms.py takes)."""

import importlib
import pkgutil


def collected(name: str) -> dict:
    found = {}
    for module in pkgutil.iter_modules(__path__):
        part = getattr(importlib.import_module(f"{__name__}.{module.name}"), name, {})
        clash = set(found) & set(part)
        assert not clash, f"{name}: set up twice: {sorted(clash)}"
        found.update(part)
    return found


def collected_setups() -> dict:
    return collected("SETUPS")
