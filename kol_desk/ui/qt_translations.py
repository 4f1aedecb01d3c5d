"""Qt's own strings (file dialogs, standard buttons, calendars) in the app's language:
the catalog Qt ships, plus ours for the strings that catalog lacks (Qt 6 renamed some
labels, e.g. the file dialog's "&Look in:", and its Chinese catalog still has the old ones),
and the locale that names months and weekdays."""

from __future__ import annotations

import json

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QObject, QTranslator

from kol_desk.i18n import DEFAULT_LANGUAGE, TRANSLATIONS

# catalog file: {"Context|source text": "translation"}
SUPPLEMENT = "qt/qtbase.json"


class SupplementTranslator(QTranslator):
    """Answers only what its catalog holds. Otherwise None, a null string, so that Qt
    asks the next translator: an empty string would be taken as the translation."""

    def __init__(self, entries: dict[str, str], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._entries = entries

    def translate(self, context: str, source: str, _disambiguation: str | None = None,
                  n: int = -1) -> str | None:
        return self._entries.get(f"{context}|{source}")

    def isEmpty(self) -> bool:
        return not self._entries


def install_qt_translations(app: QCoreApplication, language: str,
                            installed: list[QTranslator]) -> None:
    """Replaces the translators in ``installed`` with those for ``language``."""
    for translator in installed:
        app.removeTranslator(translator)
    installed.clear()
    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China)
                       if language == "zh_CN" else QLocale(QLocale.Language.English,
                                                           QLocale.Country.UnitedStates))
    if language == DEFAULT_LANGUAGE:
        return
    shipped = QTranslator(app)
    if shipped.load(f"qtbase_{language}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        installed.append(shipped)
    path = TRANSLATIONS / language / SUPPLEMENT
    if path.exists():
        # installed after the shipped one, so Qt asks it first
        installed.append(SupplementTranslator(json.loads(path.read_text(encoding="utf-8")), app))
    for translator in installed:
        app.installTranslator(translator)
