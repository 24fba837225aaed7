"""Code 128 and QR codes drawn straight onto a reportlab canvas.

QR codes are encoded with reportlab's own encoder (no extra dependency) but with a fixed mask
pattern: choosing the "best" of the eight masks builds the symbol eight more times and is
about 80 % of the cost. Any mask is valid QR (scanners read all eight); the fixed one only
gives up the encoder's penalty-score tuning. The modules are then drawn as one filled path of
horizontal runs instead of one rectangle object per module (the stock ``QrCodeWidget``).
"""

from __future__ import annotations

from typing import Any

from reportlab.graphics.barcode import qrencoder
from reportlab.graphics.barcode.code128 import Code128

#: The mask pattern used for every QR code (see the module docstring).
QR_MASK = 2
#: Quiet zone around a QR code, in modules (the standard asks for 4).
QR_QUIET = 4


def qr_matrix(data: str) -> list[list[bool]]:
    """The QR modules of ``data`` (error correction M), rows top to bottom."""
    code = qrencoder.QRCode(None, qrencoder.QRErrorCorrectLevel.M)
    code.addData(data)
    code.version = code.calculate_version()
    code.makeImpl(False, QR_MASK)
    return [list(row) for row in code.modules]


def draw_qr(canvas: Any, x: float, y: float, size: float, data: str) -> None:
    """A QR code of ``data`` filling the square (x, y, size) including its quiet zone.

    The dark modules are written as one path of ``re`` operators in module units under a
    scaling transform: integers only, so no float formatting per rectangle.
    """
    matrix = qr_matrix(data)
    count = len(matrix)
    module = size / (count + 2 * QR_QUIET)
    ops: list[str] = []
    for row_index, row in enumerate(matrix):
        row_y = count - 1 - row_index
        start = -1
        for col, dark in enumerate([*row, False]):
            if dark and start < 0:
                start = col
            elif not dark and start >= 0:
                ops.append(f"{start} {row_y} {col - start} 1 re")
                start = -1
    canvas.saveState()
    canvas.setFillColorRGB(0, 0, 0)
    canvas.translate(x + QR_QUIET * module, y + QR_QUIET * module)
    canvas.scale(module, module)
    canvas.addLiteral("\n".join(ops) + "\nf")
    canvas.restoreState()


def draw_code128(
    canvas: Any,
    x: float,
    y: float,
    value: str,
    *,
    width: float,
    height: float,
    center: bool = False,
) -> float:
    """A Code 128 barcode of ``value`` at most ``width`` wide (quiet zones included), bottom
    left at (x, y) — or centred in (x, x + width) with ``center``. Returns the width used."""
    probe = Code128(value, barWidth=1.0, barHeight=height, quiet=True, lquiet=10, rquiet=10)
    bar_width = min(1.4, width / probe.width)
    barcode = Code128(
        value,
        barWidth=bar_width,
        barHeight=height,
        quiet=True,
        lquiet=10 * bar_width,
        rquiet=10 * bar_width,
        humanReadable=False,
    )
    canvas.saveState()
    canvas.setFillColorRGB(0, 0, 0)
    offset = (width - float(barcode.width)) / 2 if center else 0.0
    barcode.drawOn(canvas, x + offset, y)
    canvas.restoreState()
    return float(barcode.width)
