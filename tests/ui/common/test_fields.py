"""Date fields: typed or picked from a calendar, empty with a placeholder that is not a date."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate
from pytestqt.qtbot import QtBot

from kol_desk.i18n import set_language
from kol_desk.ui.common.fields import date_field


def test_a_date_is_picked_from_the_calendar(qtbot: QtBot) -> None:
    field = date_field()
    qtbot.addWidget(field)
    field.show()
    assert field.edit.text() == "" and field.value() is None
    assert field.edit.placeholderText() == "YYYY-MM-DD"
    field.pick_button.click()
    calendar = field.calendar
    assert calendar is not None
    qtbot.waitUntil(calendar.isVisible)
    calendar.clicked.emit(QDate(2026, 11, 11))
    assert field.edit.text() == "2026-11-11"
    assert field.value() == date(2026, 11, 11) and field.is_valid()
    assert not calendar.isVisible()


def test_the_calendar_opens_on_the_typed_date(qtbot: QtBot) -> None:
    field = date_field()
    qtbot.addWidget(field)
    field.show()
    field.edit.setText("2026/3/8")
    field.pick_button.click()
    assert field.calendar is not None
    assert field.calendar.selectedDate() == QDate(2026, 3, 8)


def test_the_placeholder_in_chinese_is_not_a_date(qtbot: QtBot) -> None:
    set_language("zh_CN")
    field = date_field()
    qtbot.addWidget(field)
    assert field.edit.placeholderText() == "年-月-日"
