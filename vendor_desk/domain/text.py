"""Sentences of the domain shown to the vendor, marked for the translation catalogue.

``domain/`` imports nothing else of ours, so it cannot translate: it marks its sentences with
:func:`N_` (extracted into the catalogue, returned unchanged) and the layer that shows them
translates them (``vendor_desk.i18n.translated`` for the command line, ``ui.labels.rule_reason``
for the window). A sentence with values in it is a :class:`Sentence`: the English text as a
``str`` (so callers and logs see exactly what they always saw) which also remembers its
template and values, so that the template is translated first and the values put in after.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def N_(message: str) -> str:
    """Mark ``message`` for the catalogue; translated where it is shown."""
    return message


class Sentence(str):
    """``template.format(**values)`` in English, remembering ``template`` and ``values``.

    A value that is itself a :class:`Sentence` (e.g. a status word marked with :func:`N_` and
    wrapped: ``Sentence(N_("on hold"))``) is translated too; other values (names, numbers,
    codes) are put in as they are.
    """

    template: str
    values: dict[str, Any]

    def __new__(cls, template: str, /, **values: Any) -> Sentence:
        text = super().__new__(cls, cls.shape(template.format(**values) if values else template))
        text.template = template
        text.values = values
        return text

    def render(self, translate: Callable[[str], str]) -> str:
        """The sentence in the language ``translate`` speaks (gettext's ``_`` or Qt's)."""
        values = {
            name: value.render(translate) if isinstance(value, Sentence) else value
            for name, value in self.values.items()
        }
        translated = translate(self.template)
        try:
            return self.shape(translated.format(**values) if values else translated)
        except (KeyError, IndexError, ValueError):  # a broken translation: the English text
            return str.__str__(self)

    @staticmethod
    def shape(text: str) -> str:
        """The finished text (a subclass may change its case)."""
        return text

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (self.template, self.values))


class Capitalised(Sentence):
    """A :class:`Sentence` whose first letter is upper case, in every language (a clause,
    lower case in its template, standing as a sentence of its own)."""

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (self.template, self.values, True))

    @staticmethod
    def shape(text: str) -> str:
        return text[:1].upper() + text[1:]


def _rebuild(template: str, values: dict[str, Any], capitalised: bool = False) -> Sentence:
    return (Capitalised if capitalised else Sentence)(template, **values)


def render(text: str, translate: Callable[[str], str]) -> str:
    """``text`` in the language of ``translate``: a :class:`Sentence` template translated then
    filled in, any other string translated as it is (the English text when the catalogue
    has no translation)."""
    if isinstance(text, Sentence):
        return text.render(translate)
    return translate(text) if text else text


__all__ = ["N_", "Capitalised", "Sentence", "render"]
