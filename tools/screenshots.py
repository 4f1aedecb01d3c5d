"""Screenshots of every tab and the main dialogs, in English and Chinese, from a fresh
demo workspace: ``python tools/screenshots.py [--out docs/screenshots] [--size 1600x1000]``.

Runs without a display (Qt's offscreen platform), with the fonts the app uses (its own
CJK font where the system has none). Each picture is ``<out>/<language>/<nn>-<name>.png``; run it
again after any change to the screens and commit the pictures that changed."""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def _wait(app: object, seconds: float) -> None:
    from PySide6.QtWidgets import QApplication

    end = time.monotonic() + seconds
    while time.monotonic() < end:
        QApplication.processEvents()
        time.sleep(0.02)


def shoot(language: str, out: Path, size: tuple[int, int]) -> list[Path]:
    from PySide6.QtWidgets import QApplication, QDialog, QWidget

    from kol_desk.app import DEMO, Application, make_qt_app
    from kol_desk.i18n import set_language
    from kol_desk.preferences import Preferences
    from kol_desk.ui.main_window import TAB_BUDGET, TAB_CAMPAIGNS, TAB_CREATORS, TAB_REPORTS

    app = make_qt_app()
    set_language(language)
    application = Application(app, Preferences())
    application.apply_language()
    window = application.open(DEMO)
    assert window is not None
    window.resize(*size)
    folder = out / language
    folder.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []

    def save(name: str, widget: QWidget, settle: float = 1.0) -> None:
        _wait(app, settle)
        path = folder / f"{len(written) + 1:02d}-{name}.png"
        widget.grab().save(str(path))
        written.append(path)

    def dialog(name: str, make: Callable[[], QDialog]) -> None:
        shown = make()
        shown.show()
        save(name, shown, 0.8)
        shown.reject()
        shown.deleteLater()

    tabs = window.tabs
    tabs.setCurrentIndex(TAB_CREATORS)
    creators = window.creators_tab
    _wait(app, 1.0)
    creators.table.selectRow(0)
    creators.panel.sections.setCurrentIndex(2)  # the creator's quotes
    save("creators", window)
    # The history of a creator who has some: collaborations with results and a rating.
    from sqlalchemy import func, select

    from kol_desk.models import Collaboration, PlatformAccount, ResultSnapshot

    with window.context.workspace.session() as session:
        handle = session.scalar(
            select(PlatformAccount.handle)
            .join(Collaboration, Collaboration.account_id == PlatformAccount.id)
            .join(ResultSnapshot, ResultSnapshot.collaboration_id == Collaboration.id)
            .group_by(PlatformAccount.id).order_by(func.count(Collaboration.id.distinct()).desc(),
                                                  PlatformAccount.id).limit(1))
    if handle:
        creators.filters.search.setText(handle)
        _wait(app, 1.5)
        creators.table.selectRow(0)
    creators.panel.sections.setCurrentIndex(3)
    save("creator-history", window)
    creators.filters.search.clear()

    tabs.setCurrentIndex(TAB_CAMPAIGNS)
    campaigns = window.campaigns_tab
    save("campaigns", window)
    first = campaigns.model.row_object(0).id
    campaigns.show_board(first)
    save("board", window, 1.5)
    campaigns.pages.setCurrentIndex(2)
    save("due", window)

    tabs.setCurrentIndex(TAB_BUDGET)
    budget = window.budget_tab
    save("budget", window, 4.0)  # the charts redraw at their final size
    budget.pages.setCurrentWidget(budget.charts_page)
    save("budget-charts", window, 3.0)

    tabs.setCurrentIndex(TAB_REPORTS)
    reports = window.reports_tab
    _wait(app, 1.0)
    deadline = time.monotonic() + 30
    while reports.report is None and time.monotonic() < deadline:
        _wait(app, 0.2)
    save("reports", window, 1.0)
    reports.tables.setCurrentIndex(1)  # per platform, with the KPI chart under it
    reports.chart_choice.setCurrentIndex(reports.chart_choice.findData("kpi"))
    save("reports-platforms", window, 3.0)

    from kol_desk.ui.campaigns.card_dialog import CardDialog
    from kol_desk.ui.campaigns.dialogs import AddCreatorsDialog
    from kol_desk.ui.creators.dialogs import CreatorDialog
    from kol_desk.ui.dialogs.settings import SettingsDialog
    from kol_desk.ui.importing.wizard import ImportWizard

    board = campaigns.board
    card_id = next(c.id for column in board.columns.values() for c in column.model.cards)
    dialog("creator-form", lambda: CreatorDialog(None, [], window))
    dialog("card", lambda: CardDialog(window.context, card_id, window))
    dialog("add-to-campaign", lambda: AddCreatorsDialog(window.context, first, window))
    dialog("import-wizard", lambda: ImportWizard(window.context, window))
    dialog("settings", lambda: SettingsDialog(window.context.preferences, window))
    # A new, empty workspace: what the first minute looks like.
    empty = application.open(Path(os.environ["KOL_DESK_DATA_DIR"]) / f"new-{language}.sqlite")
    assert empty is not None
    empty.resize(*size)
    save("new-workspace", empty, 1.5)
    empty.close()
    empty.context.workspace.dispose()
    QApplication.processEvents()
    return written


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "screenshots")
    parser.add_argument("--size", default="1600x1000", help="window size, WIDTHxHEIGHT")
    parser.add_argument("--lang", action="append", choices=["en", "zh_CN"],
                        help="one language (default: both)")
    args = parser.parse_args()
    width, height = (int(n) for n in args.size.split("x"))
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    # A throwaway data and config folder: the demo is made fresh, preferences start empty.
    # Always the same one, so the status bar's database path, and with it the pictures,
    # change only when the screens do.
    scratch = Path(tempfile.gettempdir()) / "kol-desk-screenshots"
    shutil.rmtree(scratch, ignore_errors=True)
    os.environ["KOL_DESK_DATA_DIR"] = str(scratch / "data")
    os.environ["KOL_DESK_CONFIG_DIR"] = str(scratch / "config")
    sys.path.insert(0, str(REPO))
    for language in args.lang or ["en", "zh_CN"]:
        for path in shoot(language, args.out, (width, height)):
            print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
