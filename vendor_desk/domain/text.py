"""Sentences of the domain shown to the vendor, marked for the translation catalogue.

``domain/`` imports nothing else of ours, so it cannot translate: it marks its sentences with
:func:`N_` (extracted into the catalogue, returned unchanged) and the layer that shows them
translates them (``vendor_desk.i18n.translated`` for the command line, ``ui.labels.rule_reason``
for the window). A sentence with values in it is a :class:`Sentence`: the English text as a
``str`` (so callers and logs see exactly what they always saw) which also remembers its
template and values, so that the template is translated first and the values put in after.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
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


class Joined(Sentence):
    """Sentences one after the other (``" ".join`` of reasons), each translated on its own."""

    parts: tuple[str, ...]
    separator: str

    def __new__(cls, parts: Iterable[str], separator: str = " ") -> Joined:
        items = tuple(parts)
        text = str.__new__(cls, separator.join(items))
        text.template = separator
        text.values = {}
        text.parts = items
        text.separator = separator
        return text

    def render(self, translate: Callable[[str], str]) -> str:
        return self.separator.join(render(part, translate) for part in self.parts)

    def __reduce__(self) -> tuple[Any, ...]:
        return (Joined, (self.parts, self.separator))


def join_sentences(parts: Iterable[str], separator: str = " ") -> str:
    """``separator.join(parts)`` that a layer showing it translates part by part."""
    return Joined(parts, separator)


def _rebuild(template: str, values: dict[str, Any], capitalised: bool = False) -> Sentence:
    return (Capitalised if capitalised else Sentence)(template, **values)


def dump(text: str) -> dict[str, Any] | str:
    """``text`` as plain JSON data that :func:`load` turns back into the same sentence: a
    :class:`Sentence`'s template and values (values that are not JSON are kept as their
    text), any other string as it is — for a sentence stored (the outbox's errors) and
    translated when it is shown."""
    if isinstance(text, Joined):
        return {"joined": [dump(part) for part in text.parts], "separator": text.separator}
    if not isinstance(text, Sentence):
        return str(text)
    values = {
        name: dump(value)
        if isinstance(value, Sentence)
        else value
        if isinstance(value, bool | int | float) or value is None
        else str(value)
        for name, value in text.values.items()
    }
    data: dict[str, Any] = {"template": text.template, "values": values}
    if isinstance(text, Capitalised):
        data["capitalised"] = True
    return data


def load(data: object) -> str:
    """The sentence :func:`dump` wrote (a plain string stays one; unreadable data gives "")."""
    if isinstance(data, str):
        return data
    if isinstance(data, dict) and isinstance(data.get("joined"), list):
        return Joined((load(part) for part in data["joined"]), str(data.get("separator", " ")))
    if not isinstance(data, dict) or not isinstance(data.get("template"), str):
        return ""
    raw = data.get("values")
    values = {
        str(name): load(value) if isinstance(value, dict) else value
        for name, value in (raw.items() if isinstance(raw, dict) else ())
    }
    try:
        return _rebuild(data["template"], values, bool(data.get("capitalised")))
    except (KeyError, IndexError, ValueError):
        return ""


def render(text: str, translate: Callable[[str], str]) -> str:
    """``text`` in the language of ``translate``: a :class:`Sentence` template translated then
    filled in, any other string translated as it is (the English text when the catalogue
    has no translation)."""
    if isinstance(text, Sentence):
        return text.render(translate)
    return translate(text) if text else text


__all__ = [
    "N_",
    "Capitalised",
    "Joined",
    "Sentence",
    "dump",
    "join_sentences",
    "load",
    "render",
]
