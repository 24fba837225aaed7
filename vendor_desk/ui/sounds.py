"""The Pack view's short sounds: a scan taken, an error, everything packed, shipped.

Played with Qt Multimedia's ``QSoundEffect`` (low latency, made for short WAV files) from
``resources/sounds/``. Qt Multimedia is loaded only when the first sound plays; on a computer
where it cannot be (no audio library — Linux needs libpulse), the sounds are off and
:attr:`PackSounds.unavailable` says why. The vendor can mute them (remembered in the settings).
Every sound asked for is recorded in :attr:`PackSounds.played` (what a packer would have heard),
muted or not, so the window's behaviour can be checked without speakers.
"""

from __future__ import annotations

import logging
from enum import StrEnum
from typing import Any

from PySide6.QtCore import QObject, QSettings, QUrl

from vendor_desk.paths import resource_path

log = logging.getLogger("vendor_desk.ui.sounds")

MUTE_KEY = "pack/muteSounds"


class Sound(StrEnum):
    SCAN = "scan"  # a scan was taken (an item counted, a tracking code read, an order opened)
    ERROR = "error"  # refused: wrong item, one too many, unknown code, a mis-scan
    PACKED = "packed"  # the last unit: everything is packed
    SHIPPED = "shipped"  # marked shipped


class PackSounds(QObject):
    """The four sounds, muteable. ``settings`` keeps the mute switch."""

    def __init__(self, settings: QSettings, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._settings = settings
        self._effects: dict[Sound, Any] | None = None
        #: Why sounds cannot be played on this computer ("" while they can, or not tried yet).
        self.unavailable = ""
        #: Every sound asked for, in order (muted ones included): what the packer heard.
        self.played: list[Sound] = []

    @property
    def muted(self) -> bool:
        return bool(self._settings.value(MUTE_KEY, False, type=bool))

    def set_muted(self, muted: bool) -> None:
        self._settings.setValue(MUTE_KEY, muted)

    def play(self, sound: Sound) -> None:
        self.played.append(sound)
        if self.muted:
            return
        effects = self._load()
        effect = effects.get(sound)
        if effect is not None:
            effect.play()

    def _load(self) -> dict[Sound, Any]:
        if self._effects is not None:
            return self._effects
        self._effects = {}
        try:
            from PySide6.QtMultimedia import QSoundEffect
        except ImportError as error:  # e.g. Linux without libpulse
            self.unavailable = str(error)
            log.info("sounds unavailable: %s", error)
            return self._effects
        for sound in Sound:
            effect = QSoundEffect(self)
            effect.setSource(QUrl.fromLocalFile(str(resource_path("sounds", f"{sound}.wav"))))
            effect.setVolume(0.8)
            self._effects[sound] = effect
        return self._effects


__all__ = ["MUTE_KEY", "PackSounds", "Sound"]
