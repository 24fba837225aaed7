"""Desktop notifications: the system tray's balloon where there is a tray, an optional sound.

The window says *what* happened (new orders, a change the marketplace refused, a message from
the admin); this class decides *how* it reaches the vendor. Every notification is also kept in
:attr:`DesktopNotifier.shown` (the last few), which is what the tests read on machines without a
tray (the offscreen platform has none).
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

from PySide6.QtCore import QObject, QSettings, Signal, Slot
from PySide6.QtWidgets import QApplication, QSystemTrayIcon

from vendor_desk.ui.icons import app_icon

SOUND_SETTING = "notifications/sound"
ENABLED_SETTING = "notifications/enabled"


@dataclass(frozen=True)
class ShownNotification:
    title: str
    text: str
    order_id: int | None
    #: False when no tray was available (nothing appeared on screen).
    on_screen: bool
    sound: bool


class DesktopNotifier(QObject):
    """Shows desktop notifications through a tray icon.

    Signals:
        clicked(order_id): the vendor clicked the last notification (-1: no order).
        tray_activated(): the vendor clicked the tray icon itself.
    """

    clicked = Signal(int)
    tray_activated = Signal()

    def __init__(self, settings: QSettings, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._settings = settings
        self.shown: deque[ShownNotification] = deque(maxlen=20)
        self._last_order: int | None = None
        self.tray: QSystemTrayIcon | None = None
        if QSystemTrayIcon.isSystemTrayAvailable():
            self.tray = QSystemTrayIcon(app_icon(), self)
            self.tray.setToolTip("Vendor Desk")
            self.tray.activated.connect(lambda _reason: self.tray_activated.emit())
            self.tray.messageClicked.connect(self._message_clicked)
            self.tray.show()

    @property
    def enabled(self) -> bool:
        return flag(self._settings.value(ENABLED_SETTING, True))

    @property
    def sound(self) -> bool:
        return flag(self._settings.value(SOUND_SETTING, False))

    def set_sound(self, on: bool) -> None:
        self._settings.setValue(SOUND_SETTING, on)

    def notify(
        self,
        title: str,
        text: str,
        *,
        order_id: int | None = None,
        warning: bool = False,
    ) -> None:
        """Show a notification (when enabled), with the sound when the vendor asked for one."""
        if not self.enabled:
            return
        sound = self.sound
        on_screen = self.tray is not None
        if self.tray is not None:
            icon = (
                QSystemTrayIcon.MessageIcon.Warning
                if warning
                else QSystemTrayIcon.MessageIcon.Information
            )
            self.tray.showMessage(title, text, icon, 8000)
        if sound:
            QApplication.beep()
        self._last_order = order_id
        self.shown.append(ShownNotification(title, text, order_id, on_screen, sound))

    @Slot()
    def _message_clicked(self) -> None:
        self.clicked.emit(self._last_order if self._last_order is not None else -1)

    def hide(self) -> None:
        if self.tray is not None:
            self.tray.hide()


def flag(value: object) -> bool:
    """QSettings gives booleans back as strings from some backends."""
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "yes", "on")
    return bool(value)
