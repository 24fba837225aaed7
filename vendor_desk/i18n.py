"""The vendor's language, for every layer: the window, the command line and the documents.

One catalogue system, GNU gettext: the French text of every user-visible string is in
``resources/translations/fr/*.po`` (one file per layer, edited by hand or with any PO editor),
compiled into ``resources/translations/fr/LC_MESSAGES/vendor_desk.mo`` which the app reads with
the standard library's :mod:`gettext` — no Qt needed, so the command line and the PDFs (which
have no Qt) use it as the window does. The window's ``tr()`` calls reach the same catalogue
through :class:`vendor_desk.ui.translator.GettextTranslator`. ``packaging/translations.py``
extracts, compiles and checks the catalogues (Babel); docs/translations.md says why gettext.

    from vendor_desk.i18n import _, ngettext
    _("Order #{number} shipped").format(number=n)
    ngettext("{count} order", "{count} orders", n).format(count=n)

Lower layers that may import nothing of ours (``domain/``) mark their sentences with a local
``N_`` (extracted, translated where shown). The language is chosen once per process by
:func:`set_language`: an explicit choice (``--lang``, the Preferences dialog), else the
system's (``LANGUAGE``, ``LC_ALL``, ``LC_MESSAGES``, ``LANG`` — read as text, so
``LANG=fr_FR.UTF-8`` gives French even where that C locale is not installed — then Windows'
or macOS's user interface language).
"""

from __future__ import annotations

import argparse
import gettext as _gettext
import os
import subprocess
import sys
from collections.abc import Mapping
from functools import cache

from vendor_desk.paths import resources_dir

DOMAIN = "vendor_desk"
#: The source strings' language.
SOURCE_LANGUAGE = "en"
#: Languages the app ships in (the source's first).
LANGUAGES: tuple[str, ...] = ("en", "fr")
#: What the Preferences dialog and ``--lang`` offer: "system" follows the computer.
SYSTEM = "system"


def normalise(tag: str | None) -> str:
    """The primary language of a locale name or tag ("fr_FR.UTF-8", "fr-BE", "FR" → "fr");
    "" for none ("C", "POSIX", empty)."""
    text = (tag or "").strip()
    if not text or text.upper() in ("C", "POSIX") or text.startswith("C."):
        return ""
    return text.replace("-", "_").split(".")[0].split("@")[0].split("_")[0].lower()


def environment_language(environ: Mapping[str, str] | None = None) -> str:
    """The language the environment asks for, as gettext reads it (``LANGUAGE`` first — a
    list, the first shipped language of it wins — then ``LC_ALL``, ``LC_MESSAGES``, ``LANG``);
    "" when none says."""
    env = os.environ if environ is None else environ
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(name, "")
        if not value:
            continue
        if name == "LANGUAGE":
            for entry in value.split(":"):
                if normalise(entry) in LANGUAGES:
                    return normalise(entry)
            continue
        return normalise(value)
    return ""


def _platform_language() -> str:
    """Windows' or macOS's user interface language ("" elsewhere or when unknown)."""
    try:
        if sys.platform == "win32":
            import ctypes
            import locale

            lcid = ctypes.windll.kernel32.GetUserDefaultUILanguage()  # type: ignore[attr-defined]
            return normalise(locale.windows_locale.get(lcid, ""))
        if sys.platform == "darwin":
            out = subprocess.run(
                ["defaults", "read", "-g", "AppleLanguages"],
                capture_output=True,
                text=True,
                timeout=2,
                check=False,
            ).stdout
            for line in out.splitlines():
                tag = line.strip().strip('(),"')
                if tag:
                    return normalise(tag)
    except (OSError, ValueError, AttributeError, subprocess.SubprocessError):
        return ""
    return ""


def system_language() -> str:
    """The computer's language (environment first, then the platform's), "en" when unknown."""
    return environment_language() or _platform_language() or SOURCE_LANGUAGE


def resolve(choice: str | None) -> str:
    """The language to use for ``choice`` ("system"/"" → the computer's): one of
    :data:`LANGUAGES` (English for a language the app does not ship in)."""
    wanted = normalise(choice) if choice and choice != SYSTEM else system_language()
    return wanted if wanted in LANGUAGES else SOURCE_LANGUAGE


def catalogue_dir() -> str:
    return str(resources_dir() / "translations")


class Translator:
    """One language's catalogue: gettext's functions, plus "is there a translation?"."""

    def __init__(self, language: str) -> None:
        self.language = language
        self._catalogue: _gettext.NullTranslations
        if language == SOURCE_LANGUAGE:
            self._catalogue = _gettext.NullTranslations()
        else:
            self._catalogue = _gettext.translation(
                DOMAIN, catalogue_dir(), languages=[language], fallback=True
            )

    @property
    def loaded(self) -> bool:
        """The catalogue was found (always True for the source language)."""
        return self.language == SOURCE_LANGUAGE or isinstance(
            self._catalogue, _gettext.GNUTranslations
        )

    def gettext(self, message: str) -> str:
        return self._catalogue.gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self._catalogue.ngettext(singular, plural, n)

    def pgettext(self, context: str, message: str) -> str:
        return self._catalogue.pgettext(context, message)

    def npgettext(self, context: str, singular: str, plural: str, n: int) -> str:
        return self._catalogue.npgettext(context, singular, plural, n)

    def lookup(self, context: str, message: str) -> str | None:
        """The translation of ``message`` in ``context`` or, failing that, without context;
        None when the catalogue has none (the window's Qt bridge asks this)."""
        if self.language == SOURCE_LANGUAGE:
            return None
        # The catalogue itself, not gettext(): a translation may be the source text
        # ("Notifications", "Total"), which gettext() cannot tell from a missing one.
        entries: Mapping[object, str] = getattr(self._catalogue, "_catalog", {})
        keys = (f"{context}\x04{message}", message) if context else (message,)
        for key in keys:
            found = entries.get(key)
            if found:
                return found
        return None


@cache
def translator(language: str) -> Translator:
    """The catalogue of ``language`` (one of :data:`LANGUAGES`; others give the source)."""
    return Translator(language if language in LANGUAGES else SOURCE_LANGUAGE)


_current = translator(SOURCE_LANGUAGE)


def set_language(choice: str | None) -> str:
    """Speak ``choice`` ("system" / None: the computer's language) from now on, in every
    layer; also the command line's parser messages. Returns the language used."""
    global _current
    _current = translator(resolve(choice))
    # argparse's own words ("usage:", "options", "error:" …) come from gettext's default
    # functions: give it ours, whose catalogue has them.
    argparse._ = gettext  # type: ignore[attr-defined]
    argparse.ngettext = ngettext  # type: ignore[attr-defined]
    return _current.language


def language() -> str:
    """The language in use."""
    return _current.language


def current() -> Translator:
    return _current


def gettext(message: str) -> str:
    return _current.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _current.ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    return _current.pgettext(context, message)


def translated(text: str) -> str:
    """A sentence of a lower layer in the current language: a ``domain.text.Sentence``'s
    template translated then filled in, any other marked string translated as it is."""
    from vendor_desk.domain.text import render

    return render(text, gettext)


def N_(message: str) -> str:
    """Mark ``message`` for the catalogue; translated where it is shown."""
    return message


_ = gettext

__all__ = [
    "LANGUAGES",
    "N_",
    "SOURCE_LANGUAGE",
    "SYSTEM",
    "Translator",
    "_",
    "current",
    "environment_language",
    "gettext",
    "language",
    "ngettext",
    "normalise",
    "pgettext",
    "resolve",
    "set_language",
    "system_language",
    "translated",
    "translator",
]
