"""Helpers of the French window tests: the catalogue tool (packaging/translations.py, not a
package) and a fixture-style context speaking French in every layer."""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from vendor_desk import i18n
from vendor_desk.ui import translator


def _load_translations() -> Any:
    path = Path(__file__).resolve().parents[2] / "packaging" / "translations.py"
    spec = importlib.util.spec_from_file_location("vendor_desk_translations_tool", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


translations = _load_translations()


@contextmanager
def speaking(app: Any, language: str) -> Iterator[Any]:
    """The app speaks ``language`` (catalogue, Qt's translators, locale) inside the block,
    English again after."""
    i18n.set_language(language)
    translator.install(app, language)
    try:
        yield app
    finally:
        i18n.set_language("en")
        translator.install(app, "en")
