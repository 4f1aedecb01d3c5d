"""Tabs whose pages are built the first time they are shown: a placeholder holds the
place until then (at 100k creators, building every page up front costs seconds)."""

from __future__ import annotations

from PySide6.QtWidgets import QTabWidget, QWidget


def install_page(tabs: QTabWidget, index: int, page: QWidget) -> None:
    """Put a built page in place of its placeholder, keeping the page in front."""
    current = tabs.currentIndex()
    title = tabs.tabText(index)
    placeholder = tabs.widget(index)
    tabs.blockSignals(True)
    tabs.removeTab(index)
    tabs.insertTab(index, page, title)
    tabs.setCurrentIndex(current)
    tabs.blockSignals(False)
    if placeholder is not None:
        placeholder.deleteLater()
