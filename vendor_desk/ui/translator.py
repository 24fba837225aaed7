"""The window speaks the catalogue of :mod:`vendor_desk.i18n`: Qt's ``tr()`` and
``QCoreApplication.translate()`` calls are answered from the same gettext catalogue as the
command line and the documents, and Qt's own words (standard buttons, file dialogs) from the
translations Qt ships for the language."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from vendor_desk import i18n

#: Set on the application: the translators installed (replaced when the language changes).
_INSTALLED = "vendorDeskTranslators"


class GettextTranslator(QTranslator):
    """A QTranslator reading :func:`vendor_desk.i18n.current`'s catalogue: the translation in
    the call's context (``QCoreApplication.translate("Status", …)``), else the same text
    without context (``self.tr(…)``: Qt passes the class name)."""

    def translate(
        self,
        context: str,
        source_text: str,
        disambiguation: str | None = None,
        n: int = -1,
    ) -> str | None:
        # None (a null QString) when the catalogue has no translation: Qt then shows the
        # source text. An empty string would be taken as the translation, showing nothing.
        return i18n.current().lookup(context or "", source_text)

    def isEmpty(self) -> bool:
        return i18n.language() == i18n.SOURCE_LANGUAGE


def locale_for(language: str) -> QLocale:
    """The formats for ``language``: the system's when it speaks it (French of Belgium stays
    Belgian), else the language's main country's."""
    system = QLocale.system()
    if i18n.normalise(system.name()) == language:
        return system
    return QLocale(language)


def install(app: QCoreApplication, language: str) -> list[QTranslator]:
    """Speak ``language`` (one of i18n.LANGUAGES) in the window from now on: our catalogue,
    Qt's own translations, and the default locale for dates and amounts."""
    for old in app.property(_INSTALLED) or []:
        app.removeTranslator(old)
    installed: list[QTranslator] = []
    if language != i18n.SOURCE_LANGUAGE:
        ours = GettextTranslator(app)
        app.installTranslator(ours)
        installed.append(ours)
        qt = QTranslator(app)
        folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        if qt.load(f"qtbase_{language}", folder):
            app.installTranslator(qt)
            installed.append(qt)
    app.setProperty(_INSTALLED, installed)
    QLocale.setDefault(locale_for(language))
    return installed


__all__ = ["GettextTranslator", "install", "locale_for"]
