"""The Settings dialog's tier thresholds: the followers at which each tier starts, for
every platform or per platform (Douyin and Xiaohongshu lists draw 腰部 at different
sizes). One workspace setting (``services.tiers``) that every surface applies."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QFormLayout, QGroupBox, QLabel, QSpinBox, QWidget

from kol_desk.domain import PLATFORM_LABELS, TIER_LABELS, Platform, Tier
from kol_desk.i18n import tr
from kol_desk.services.tiers import BOUNDED, Thresholds, save_tier_thresholds, tier_thresholds
from kol_desk.store.database import Workspace

ALL = ""


class TierThresholdsBox(QGroupBox):
    """Pick "All platforms" or one platform, edit where each tier starts."""

    def __init__(self, workspace: Workspace, read_only: bool, parent: QWidget | None = None) -> None:
        super().__init__(tr("Tier thresholds (this workspace)"), parent)
        self.workspace = workspace
        self.loaded = tier_thresholds(workspace)
        self.edited: Thresholds = {key: dict(bounds) for key, bounds in self.loaded.items()}
        self.platform_box = QComboBox()
        self.platform_box.addItem(tr("All platforms"), ALL)
        for platform in Platform:
            self.platform_box.addItem(tr(PLATFORM_LABELS[platform]), platform.value)
        self.spins: dict[Tier, QSpinBox] = {}
        layout = QFormLayout(self)
        layout.addRow(tr("Platform:"), self.platform_box)
        for tier in BOUNDED:
            spin = QSpinBox()
            spin.setRange(1, 2_000_000_000)
            spin.setGroupSeparatorShown(True)
            spin.setSingleStep(1000)
            spin.setEnabled(not read_only)
            self.spins[tier] = spin
            layout.addRow(tr("{tier} from (followers):", tier=tr(TIER_LABELS[tier])), spin)
        note = QLabel(tr("KOC below the first. A platform left as it is follows \"All platforms\"; "
                         "a creator's manual tier wins."))
        note.setWordWrap(True)
        layout.addRow(note)
        self._shown = ALL
        self._show(ALL)
        self.platform_box.currentIndexChanged.connect(lambda _i: self._switch())

    def _bounds(self, platform: str) -> dict[Tier, int]:
        return self.edited.get(platform) or dict(self.edited[ALL])

    def _show(self, platform: str) -> None:
        bounds = self._bounds(platform)
        for tier, spin in self.spins.items():
            spin.setValue(bounds[tier])

    def _keep_shown(self) -> None:
        shown = {tier: spin.value() for tier, spin in self.spins.items()}
        if self._shown == ALL:
            # Platforms without their own numbers follow the new defaults.
            for key, bounds in list(self.edited.items()):
                if key != ALL and bounds == self.edited[ALL]:
                    self.edited[key] = dict(shown)
        self.edited[self._shown] = shown

    def _switch(self) -> None:
        self._keep_shown()
        self._shown = str(self.platform_box.currentData())
        self._show(self._shown)

    def thresholds(self) -> Thresholds:
        self._keep_shown()
        return self.edited

    def changed(self) -> bool:
        edited = self.thresholds()
        return any(self._bounds(key) != self.loaded.get(key, self.loaded[ALL])
                   for key in {*edited, *self.loaded})

    def save(self) -> None:
        """Writes the thresholds; BadInputError says which platform's do not rise."""
        save_tier_thresholds(self.workspace, self.thresholds())
