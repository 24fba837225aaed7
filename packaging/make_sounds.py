"""Write the Pack view's short sounds into resources/sounds/ (16-bit mono WAV, 22,050 Hz).

    python3 packaging/make_sounds.py

Synthesised here (sine tones with a soft attack and release), so they carry no third-party
licence: ``scan.wav`` (a scan was taken: one short high note), ``error.wav`` (refused: two low
notes), ``packed.wav`` (every item is packed: a rising third), ``shipped.wav`` (marked shipped: a
rising arpeggio). Each is under a quarter of a second, so a packer hears it without waiting.
"""

from __future__ import annotations

import math
import struct
import wave
from pathlib import Path

RATE = 22_050
HERE = Path(__file__).resolve().parent.parent / "resources" / "sounds"


def tone(frequency: float, seconds: float, volume: float = 0.45) -> list[float]:
    count = int(RATE * seconds)
    fade = max(1, int(RATE * 0.008))
    samples = []
    for index in range(count):
        envelope = min(1.0, index / fade, (count - index) / fade)
        value = math.sin(2 * math.pi * frequency * index / RATE)
        value += 0.25 * math.sin(4 * math.pi * frequency * index / RATE)  # a little body
        samples.append(volume * envelope * value / 1.25)
    return samples


def silence(seconds: float) -> list[float]:
    return [0.0] * int(RATE * seconds)


def write(name: str, samples: list[float]) -> None:
    HERE.mkdir(parents=True, exist_ok=True)
    with wave.open(str(HERE / name), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE)
        out.writeframes(b"".join(struct.pack("<h", int(s * 32767)) for s in samples))


def main() -> None:
    write("scan.wav", tone(1568, 0.07))  # G6
    write("error.wav", tone(196, 0.11, 0.6) + silence(0.04) + tone(165, 0.14, 0.6))
    write("packed.wav", tone(1047, 0.08) + tone(1319, 0.12))  # C6, E6
    write("shipped.wav", tone(784, 0.06) + tone(988, 0.06) + tone(1175, 0.06) + tone(1568, 0.1))


if __name__ == "__main__":
    main()
