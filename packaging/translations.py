"""The translation catalogues: extract, compile, check — one command each (Babel).

    python3 packaging/translations.py extract   # the strings of the code → the .po files
    python3 packaging/translations.py compile   # the .po files → the .mo the app reads
    python3 packaging/translations.py check     # untranslated, fuzzy, placeholders, stale .mo

The French catalogue is split by layer (``resources/translations/fr/ui.po``, ``cli.po``,
``documents.po``, ``core.po``: smaller files, edited side by side), compiled into one
``resources/translations/fr/LC_MESSAGES/vendor_desk.mo``. ``extract`` adds the strings the code
has and the catalogue lacks to the part of the layer they are in (keeping every translation),
and drops those the code no longer has. ``check`` fails (exit 1) when a string of the code has
no French translation, a translation is fuzzy, its placeholders (``{name}``, ``%(name)s``,
``%s``) differ from the source's, or the .mo is not the compiled .po files; the test suite runs
it (tests/test_translations.py). What is extracted: ``_``, ``N_``, ``gettext``, ``ngettext``,
``pgettext``, ``npgettext`` (vendor_desk.i18n, and a ``domain/`` module's own ``N_``), Qt's
``tr`` and ``QCoreApplication.translate`` (context first), and argparse's own words.
"""

from __future__ import annotations

import argparse
import io
import re
import sys
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "vendor_desk"
TRANSLATIONS = ROOT / "resources" / "translations"
DOMAIN = "vendor_desk"
#: Languages translated from the English source.
TARGETS = ("fr",)
PLURAL_FORMS = {"fr": "nplurals=2; plural=(n > 1);"}

KEYWORDS = {
    "_": None,
    "N_": None,
    "gettext": None,
    "ngettext": (1, 2),
    "pgettext": ((1, "c"), 2),
    "npgettext": ((1, "c"), 2, 3),
    "tr": None,
    "translate": ((1, "c"), 2),
}
#: Not user-visible text of ours: the simulator stands for the marketplace.
EXCLUDED = ("sandbox/",)

#: argparse's own words (Python 3.11+), looked up in our catalogue (vendor_desk.i18n).
ARGPARSE = [
    "usage: ",
    "positional arguments",
    "options",
    "show this help message and exit",
    "%(prog)s: error: %(message)s\n",
    "the following arguments are required: %s",
    "unrecognized arguments: %s",
    "invalid choice: %(value)r (choose from %(choices)s)",
    "argument %(argument_name)s: %(message)s",
    "invalid %(type)s value: %(value)r",
    "expected one argument",
    "expected at least one argument",
    "expected at most one argument",
    "ambiguous option: %(option)s could match %(matches)s",
    "not allowed with argument %s",
    "one of the arguments %s is required",
    "ignored explicit argument %r",
    "show program's version number and exit",
]

#: Which part a string goes in, by the file it was first found in.
PARTS = (
    ("ui", ("ui/",)),
    ("documents", ("documents/",)),
    ("cli", ("app.py", "cli_commands.py", "cli_output.py", "selftest.py", "__main__.py")),
    ("core", ("",)),
)

_PLACEHOLDER = re.compile(r"\{[A-Za-z_][A-Za-z0-9_]*(?:[!:][^{}]*)?\}|%\([a-z_]+\)[sdrf]|%[sdrf]")


def _part_of(path: str) -> str:
    for part, prefixes in PARTS:
        if any(path.startswith(prefix) for prefix in prefixes):
            return part
    return "core"


def extract() -> Catalog:
    """The template: every string of the code, with where it is."""
    template = Catalog(project="Vendor Desk", domain=DOMAIN, charset="utf-8")
    found = extract_from_dir(
        str(PACKAGE),
        method_map=[("**.py", "python")],
        keywords=KEYWORDS,
        comment_tags=("Translators:",),
        strip_comment_tags=True,
    )
    for filename, lineno, message, comments, context in found:
        if filename.startswith(EXCLUDED) or not message:
            continue
        msgid = message if isinstance(message, str) else tuple(message)
        if isinstance(msgid, tuple) and not all(msgid):
            continue
        template.add(msgid, locations=[(filename, lineno)], auto_comments=comments, context=context)
    for text in ARGPARSE:
        template.add(text, locations=[("argparse", 0)])
    return template


def _part_files(language: str) -> dict[str, Path]:
    """The layers' parts, and any other part a feature keeps its strings in (earnings.po …)."""
    folder = TRANSLATIONS / language
    parts = {part: folder / f"{part}.po" for part, _ in PARTS}
    for extra in sorted(folder.glob("*.po")):
        parts.setdefault(extra.stem, extra)
    return parts


def _read(path: Path, language: str) -> Catalog:
    if not path.exists():
        catalog = Catalog(locale=language, domain=DOMAIN, project="Vendor Desk", charset="utf-8")
        return catalog
    with path.open("rb") as stream:
        return read_po(stream, locale=language, domain=DOMAIN)


def _key(message: Message) -> tuple[object, str | None]:
    return (message.id, message.context)


def load(language: str) -> Catalog:
    """Every part of ``language``'s catalogue, in one catalogue."""
    merged = Catalog(locale=language, domain=DOMAIN, project="Vendor Desk", charset="utf-8")
    for path in _part_files(language).values():
        for message in _read(path, language):
            known = merged.get(message.id, message.context) if message.id else None
            if message.id and (known is None or not _complete(known)):
                if known is not None:  # Catalog merges into an entry it holds: replace it
                    merged.delete(message.id, message.context)
                merged[message.id] = message  # a translated copy wins over an empty one
    return merged


def update(language: str, template: Catalog) -> dict[str, int]:
    """Bring ``language``'s parts in line with the template: new strings added (untranslated)
    to their layer's part, gone ones dropped, translations kept. Counts per part."""
    old: dict[tuple[object, str | None], Message] = {}
    home: dict[tuple[object, str | None], str] = {}
    for part_name, path in _part_files(language).items():
        for message in _read(path, language):
            known = old.get(_key(message))
            if message.id and (known is None or not _complete(known)):
                old[_key(message)] = message
                home[_key(message)] = part_name
    parts = {
        part: Catalog(locale=language, domain=DOMAIN, project="Vendor Desk", charset="utf-8")
        for part in _part_files(language)
    }
    for message in template:
        if not message.id:
            continue
        first = message.locations[0][0] if message.locations else ""
        kept = old.get(_key(message))
        # A string stays in the part that has it; a new one goes to its layer's part.
        part = home.get(_key(message)) or ("cli" if first == "argparse" else _part_of(first))
        parts[part].add(
            message.id,
            kept.string if kept is not None else ("", "") if message.pluralizable else "",
            locations=message.locations,
            flags=kept.flags if kept is not None else (),
            auto_comments=message.auto_comments,
            user_comments=kept.user_comments if kept is not None else (),
            context=message.context,
        )
    counts = {}
    for part, path in _part_files(language).items():
        catalog = parts[part]
        catalog.fuzzy = False
        path.parent.mkdir(parents=True, exist_ok=True)
        buffer = io.BytesIO()
        write_po(buffer, catalog, width=100, sort_by_file=True, omit_header=False)
        path.write_bytes(_header(buffer.getvalue(), language))
        counts[part] = len(catalog)
    return counts


def _header(po: bytes, language: str) -> bytes:
    """A stable header (no creation date churn), with the language's plural rule."""
    text = po.decode("utf-8")
    text = re.sub(r'"POT-Creation-Date: [^"]*\\n"\n', "", text)
    text = re.sub(r'"PO-Revision-Date: [^"]*\\n"\n', "", text)
    text = re.sub(r'"Generated-By: [^"]*\\n"\n', "", text)
    text = re.sub(
        r'"Plural-Forms: [^"]*\\n"', f'"Plural-Forms: {PLURAL_FORMS[language]}\\\\n"', text
    )
    return text.encode("utf-8")


def mo_path(language: str) -> Path:
    return TRANSLATIONS / language / "LC_MESSAGES" / f"{DOMAIN}.mo"


def compiled(language: str) -> bytes:
    catalog = load(language)
    catalog.fuzzy = False
    catalog.creation_date = datetime(2026, 1, 1, tzinfo=UTC)
    catalog.revision_date = datetime(2026, 1, 1, tzinfo=UTC)
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    return buffer.getvalue()


def compile_all() -> list[Path]:
    written = []
    for language in TARGETS:
        path = mo_path(language)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(compiled(language))
        written.append(path)
    return written


def placeholders(text: str) -> list[str]:
    return sorted(_PLACEHOLDER.findall(text.replace("{{", "").replace("}}", "")))


def problems(language: str, template: Catalog | None = None) -> list[str]:
    """What keeps ``language``'s catalogue from being complete, one line each."""
    template = template if template is not None else extract()
    catalog = load(language)
    found: list[str] = []
    for message in template:
        if not message.id:
            continue
        where = ", ".join(f"{f}:{n}" for f, n in message.locations[:2])
        translated = catalog.get(message.id, message.context)
        label = message.id if isinstance(message.id, str) else message.id[0]
        if translated is None or not _complete(translated):
            found.append(f"untranslated: {label!r} ({where})")
            continue
        if translated.fuzzy:
            found.append(f"fuzzy: {label!r} ({where})")
        for source, target in _pairs(message, translated):
            if placeholders(source) != placeholders(target):
                found.append(
                    f"placeholders differ: {source!r} {placeholders(source)} → {target!r} "
                    f"{placeholders(target)} ({where})"
                )
    if mo_path(language).exists():
        if mo_path(language).read_bytes() != compiled(language):
            found.append(f"{mo_path(language).relative_to(ROOT)} is stale: run compile")
    else:
        found.append(f"{mo_path(language).relative_to(ROOT)} is missing: run compile")
    return found


def _complete(message: Message) -> bool:
    strings = message.string if isinstance(message.string, tuple | list) else (message.string,)
    return bool(strings) and all(strings)


def _pairs(source: Message, target: Message) -> Iterable[tuple[str, str]]:
    if isinstance(source.id, tuple | list):
        singular, plural = source.id[0], source.id[1]
        strings = target.string if isinstance(target.string, tuple | list) else (target.string,)
        for index, text in enumerate(strings):
            # French's singular form serves 0 and 1: "{count}" may be spelt out there.
            yield (singular if index == 0 else plural), text
    else:
        yield str(source.id), str(target.string)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=("extract", "compile", "check"))
    args = parser.parse_args(argv)
    if args.command == "extract":
        template = extract()
        for language in TARGETS:
            counts = update(language, template)
            print(f"{language}: " + ", ".join(f"{part} {n}" for part, n in counts.items()))
        return 0
    if args.command == "compile":
        for path in compile_all():
            print(f"wrote {path.relative_to(ROOT)}")
        return 0
    status = 0
    for language in TARGETS:
        found = problems(language)
        for line in found:
            print(f"{language}: {line}")
        print(f"{language}: {len(found)} problem(s)")
        status = status or (1 if found else 0)
    return status


if __name__ == "__main__":
    sys.exit(main())
