"""The section registry: every module in reporting/sections is listed once, with a key and title."""

from __future__ import annotations

import pkgutil

from vagval.reporting import sections
from vagval.reporting.sections import REGISTRY, section


def test_every_section_module_is_in_the_registry_once():
    modules = {info.name for info in pkgutil.iter_modules(sections.__path__)}
    listed = [module.__name__.rsplit(".", 1)[1] for module in REGISTRY]
    assert sorted(listed) == sorted(modules)
    assert len(set(listed)) == len(listed)


def test_each_section_has_a_unique_key_a_swedish_title_and_a_build_function():
    keys = [module.KEY for module in REGISTRY]
    assert len(set(keys)) == len(keys)
    for module in REGISTRY:
        assert str(module.TITLE)
        assert callable(module.build)
        assert section(module.KEY) is module
